"""Roster import: a workbook of trainees into a class, checked row by row, all or nothing.

The steps can be taken one at a time (the GUI's wizard) or together (the command line):

1. :func:`read_roster` reads the file (refusing what is not a workbook) and :func:`sniff_roster`
   finds the sheet, the header row and the column mapping, which the user may correct
   (:meth:`Layout.with_columns`).
2. :func:`validate_roster` cleans and checks every row against the register and returns a
   :class:`RosterPlan` — the report and the rows to write. Nothing is written.
3. :func:`apply_roster` backs the register up and writes the plan in one transaction: with any
   error it refuses (:class:`ImportRefused`) unless told to skip the invalid rows.

Writes are bulk SQLAlchemy Core statements with one audit event per inserted row through
:func:`zunyi_trainer.audit.append_events` (the ORM would take several times as long for a
20,000-row roster), plus a named ``roster_import`` operation on the class that keeps the file's
name, hash and counts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import operator
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer import audit, bulk, idcard
from zunyi_trainer.db import Register
from zunyi_trainer.errors import NotFound, ValidationError, ZunyiError
from zunyi_trainer.excel.reading import TableFile, read_table
from zunyi_trainer.i18n import text
from zunyi_trainer.models import (
    ClassStatus,
    Education,
    Enrollment,
    EnrollmentResult,
    Sex,
    Trainee,
    TraineeCategory,
    TrainingClass,
)
from zunyi_trainer.roster import cleaning
from zunyi_trainer.roster.fields import (
    CATEGORY_INDEX,
    EDUCATION_INDEX,
    FIELD_BY_KEY,
    SEX_INDEX,
    match_field,
    normalise_header,
)
from zunyi_trainer.roster.layout import Layout, find_header, layout_at, no_header_error
from zunyi_trainer.roster.report import ERROR, WARNING, ImportRefused, ImportReport, Issue
from zunyi_trainer.timeutil import now_utc, today_local

Progress = Callable[[int, int], None]

MAX_NAME = 64
_SEVERAL = re.compile(r"[、,，;；/|＋+]")
MAX_ADDRESS = 256
MAX_EMPLOYER = 128
_CHUNK = 500  # values per IN (...): well under SQLite's variable limit
_WRITE_CHUNK = 5000


@dataclasses.dataclass
class RosterRow:
    """A valid row, cleaned, with what the import will do with it."""

    row: int
    name: str
    id_number: str
    sex: Sex
    birth_date: dt.date
    phone: str = ""
    education: Education | None = None
    category: TraineeCategory = TraineeCategory.OTHER
    household_address: str = ""
    current_address: str = ""
    employer: str = ""
    notes: str = ""
    trainee_id: int | None = None  # set when the trainee is already in the register
    action: str = "create"  # create | link | already


@dataclasses.dataclass
class RosterPlan:
    class_id: int
    class_code: str
    file_sha256: str
    layout: Layout
    rows: list[RosterRow]
    report: ImportReport

    @property
    def has_errors(self) -> bool:
        return bool(self.report.errors)


# --- step 1: read and sniff ---------------------------------------------------------------------


@bulk.collector_paused()  # no 100 ms pauses of the window while thousands of rows go by
def read_roster(path: Path | str) -> TableFile:
    return read_table(path)


def layout_for(table: TableFile, sheet_index: int, header_row: int) -> Layout:
    """The mapping when the user picks another sheet or header row in the wizard."""
    if not 0 <= sheet_index < len(table.sheets):
        raise ValidationError(
            "工作簿中没有第 {n} 个工作表。", "The workbook has no sheet number {n}.", code="import.no_sheet", n=sheet_index + 1
        )
    return layout_at(table, sheet_index, header_row, match_field, _exact_synonym)


def _exact_synonym(value: object) -> bool:
    from zunyi_trainer.roster.fields import _EXACT

    return normalise_header(value) in _EXACT


def sniff_roster(table: TableFile) -> Layout:
    """The sheet, header row and column mapping of a roster; ValidationError when none is found."""
    found = find_header(table, match_field, ("name", "id_number"))
    if found is None:
        raise no_header_error(table, [FIELD_BY_KEY[k].header for k in ("name", "id_number", "phone")])
    layout = layout_at(table, found[0], found[1], match_field, _exact_synonym)
    if "id_number" not in layout.columns or "name" not in layout.columns:
        missing = "公民身份号码" if "id_number" not in layout.columns else "姓名"
        layout.warnings.append(
            Issue(
                layout.header_row,
                "",
                "column.missing",
                text(
                    "表头中没有“{m}”列。请在导入向导中指定哪一列是{m}，或在文件中加上这一列。",
                    "The header has no “{m}” column. Choose that column in the import wizard or add it to the file.",
                    m=missing,
                ),
                WARNING,
            )
        )
    return layout


# --- step 2: validate ---------------------------------------------------------------------------


def resolve_class(session: Session, ref: str) -> TrainingClass:
    """A class by its code (班级编号) or UUID."""
    ref = (ref or "").strip()
    cls = session.scalars(sa.select(TrainingClass).where(TrainingClass.code == ref)).first()
    if cls is None:
        try:
            cls = session.scalars(sa.select(TrainingClass).where(TrainingClass.uuid == uuid.UUID(ref))).first()
        except ValueError:
            cls = None
    if cls is None:
        raise NotFound(
            "没有编号为“{ref}”的培训班。可用 zunyi-trainer class list 查看班级编号。",
            "There is no class “{ref}”. See zunyi-trainer class list for the codes.",
            code="class.not_found",
            ref=ref,
        )
    return cls


def _age_limits(session: Session) -> tuple[int, int]:
    try:
        from zunyi_trainer.settings import load_settings
    except ImportError:  # the settings module not yet present: the idcard defaults
        return idcard.MIN_AGE, idcard.MAX_AGE
    settings = load_settings(session)
    return getattr(settings, "id_min_age", idcard.MIN_AGE), getattr(settings, "id_max_age", idcard.MAX_AGE)


def _check_class_open(cls: TrainingClass) -> None:
    if cls.status == ClassStatus.ARCHIVED:
        raise ZunyiError(
            "培训班 {c} 已归档，不能再导入学员。",
            "Class {c} is archived; trainees can no longer be imported into it.",
            code="roster.class_archived",
            c=cls.code,
        )


def _issue(report: ImportReport, layout: Layout, row: int, field: str, code: str, zh: str, en: str, value: Any = "", **params):
    report.add(
        Issue(
            row,
            layout.header_of(field) or FIELD_BY_KEY[field].header,
            code,
            text(zh, en, **params),
            ERROR,
            cleaning.clean_text(value)[:100],
        )
    )


def _warn(report: ImportReport, layout: Layout, row: int, field: str, code: str, zh: str, en: str, value: Any = "", **params):
    report.add(
        Issue(
            row,
            layout.header_of(field) or (FIELD_BY_KEY[field].header if field in FIELD_BY_KEY else ""),
            code,
            text(zh, en, **params),
            WARNING,
            cleaning.clean_text(value)[:100],
        )
    )


def _choices(members: Any) -> str:
    return "、".join(m.zh for m in members)


@bulk.collector_paused()  # no 100 ms pauses of the window while thousands of rows go by
def validate_roster(
    session: Session,
    training_class: TrainingClass,
    table: TableFile,
    layout: Layout,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> RosterPlan:
    """Clean and check every row; nothing is written."""
    _check_class_open(training_class)
    sheet = table.sheets[layout.sheet_index]
    cols = layout.columns
    report = ImportReport(
        file=table.path.name,
        sheet=sheet.name,
        header_row=layout.header_row,
        columns={k: layout.header_of(k) for k in cols},
    )
    for w in layout.warnings:
        report.add(w)
    for required in ("name", "id_number"):
        if required not in cols:
            raise ValidationError(
                "没有找到“{h}”列，无法导入。请在导入向导中指定哪一列是{h}，或在文件的表头中加上这一列。",
                "There is no “{h}” column, so nothing can be imported. Choose that column in the import wizard or add it to the header.",
                code="import.column_missing",
                h=FIELD_BY_KEY[required].header,
            )
    min_age, max_age = _age_limits(session)
    today = today or today_local()
    existing: dict[str, tuple[int, str]] = {}
    registered_phone: dict[str, str] = {}
    for tid, number, registered_name, registered in session.execute(
        sa.select(Trainee.id, Trainee.id_number, Trainee.name, Trainee.phone).where(
            Trainee.institution_id == training_class.institution_id
        )
    ):
        existing[number] = (tid, registered_name)
        registered_phone[number] = registered
    enrolled = set(session.scalars(sa.select(Enrollment.trainee_id).where(Enrollment.class_id == training_class.id)))

    def cell(values: list[Any], field: str) -> Any:
        index = cols.get(field)
        return values[index] if index is not None and index < len(values) else None

    rows: list[RosterRow] = []
    first_seen: dict[str, tuple[int, str]] = {}
    data_rows = [(n, v) for n, v in sheet.rows if n > layout.header_row]
    total = len(data_rows)
    name_header, id_header = normalise_header(layout.header_of("name")), normalise_header(layout.header_of("id_number"))
    # The fixed lists' cells repeat a handful of texts over thousands of rows: normalise each once.
    listed = functools.lru_cache(maxsize=4096)(normalise_header)
    for done, (number, values) in enumerate(data_rows, start=1):
        if progress is not None and done % 2000 == 0:
            progress(done, total)
        report.rows_read += 1
        raw_name, raw_id = cell(values, "name"), cell(values, "id_number")
        name = cleaning.clean_name(raw_name)
        id_text = cleaning.clean_text(raw_id)
        if not name and not id_text:
            report.skipped_blank += 1
            continue
        if cleaning.looks_like_footer(name) or (name and name == id_text) or cleaning.looks_like_footer(id_text):
            report.skipped_blank += 1  # 合计/制表人 lines, and a title merged across the row
            continue
        if normalise_header(name) == name_header and normalise_header(id_text) == id_header:
            report.skipped_blank += 1  # the header repeated on each printed page
            continue
        before = len(report.errors)
        row_issue = functools.partial(_issue, report, layout, number)

        # 姓名
        if not name:
            row_issue("name", "name.empty", "姓名为空。请填写学员姓名。", "The name is empty; fill it in.")
        elif (
            len(name) > MAX_NAME
            or sum(ch.isdigit() for ch in name) >= 4
            or not any(ch.isalpha() for ch in name)
            or name.startswith(("#", "="))  # an Excel error (#N/A) or a formula's text
        ):
            row_issue(
                "name",
                "name.format",
                "姓名“{v}”不像人名（数字太多、没有文字或过长）。请检查这一行是否错列。",
                "The name “{v}” does not look like a name (digits, no letters, or too long); check that the columns are not shifted.",
                raw_name,
                v=name[:20],
            )
        # 公民身份号码
        parsed = None
        lost = cleaning.id_lost_in_number(raw_id)
        if lost is not None:
            row_issue(
                "id_number",
                "id.numeric_cell",
                "身份证号被 Excel 存成了数字（显示为 {v}），最后几位已经丢失，无法还原。请把这一列设置为“文本”格式，再重新输入或粘贴正确的身份证号。",
                "The ID number was stored by Excel as a number ({v}); its last digits are lost and cannot be "
                "recovered. Format the column as Text and enter the correct ID number again.",
                raw_id,
                v=lost,
            )
        elif not id_text:
            row_issue(
                "id_number",
                "id.empty",
                "身份证号为空。请填写 18 位公民身份号码。",
                "The ID number is empty; enter the 18-digit number.",
            )
        else:
            try:
                parsed = idcard.parse(raw_id, today=today, min_age=min_age, max_age=max_age)
            except ValidationError as exc:
                report.add(Issue(number, layout.header_of("id_number"), exc.code, exc.message(), ERROR, id_text[:40]))
            else:
                if "id.birthplace" in parsed.warnings:
                    _warn(
                        report,
                        layout,
                        number,
                        "id_number",
                        "id.birthplace",
                        "身份证号“{v}”的前 6 位不是出生年份当时的行政区划代码，请核对（迟报户口的人可能如此）。",
                        "The first 6 digits of “{v}” are not an area code of the birth year; check it (late registrations can be like this).",
                        parsed.number,
                        v=parsed.number,
                    )
        # 性别
        raw_sex = cell(values, "sex")
        sex_text = cleaning.clean_text(raw_sex)
        if sex_text:
            sex = SEX_INDEX.get(listed(sex_text))
            if sex is None:
                row_issue(
                    "sex",
                    "sex.unknown",
                    "性别“{v}”无法识别，请填写“男”或“女”。",
                    "Sex “{v}” is not 男 or 女.",
                    raw_sex,
                    v=sex_text,
                )
            elif parsed is not None and sex != parsed.sex:
                row_issue(
                    "sex",
                    "sex.mismatch",
                    "性别“{v}”与身份证号（第 17 位表示{id_sex}）不符。请核对身份证号和性别。",
                    "Sex “{v}” does not match the ID number (its 17th digit says {id_sex}); check both.",
                    raw_sex,
                    v=sex_text,
                    id_sex=parsed.sex.zh,
                )
        # 联系电话
        raw_phone = cell(values, "phone")
        phone = cleaning.clean_phone(raw_phone)
        if phone and not cleaning.phone_is_valid(phone):
            row_issue(
                "phone",
                "phone.invalid",
                "联系电话“{v}”不是有效的号码。手机号应为 11 位、以 1 开头；座机请写区号，如 0851-28221234。",
                "The phone “{v}” is not valid: a mobile has 11 digits starting with 1; a landline needs its area code.",
                raw_phone,
                v=cleaning.clean_text(raw_phone),
            )
        elif not phone and "phone" in cols:
            _warn(report, layout, number, "phone", "phone.empty", "没有填写联系电话。", "No phone number.")
        # 文化程度, 人员类别
        education = None
        edu_text = cleaning.clean_text(cell(values, "education"))
        if edu_text:
            education = EDUCATION_INDEX.get(listed(edu_text))
            if education is None:
                row_issue(
                    "education",
                    "education.unknown",
                    "文化程度“{v}”无法识别，请填写以下之一：{choices}。",
                    "Education “{v}” is not recognised; use one of: {choices}.",
                    edu_text,
                    v=edu_text,
                    choices=_choices(Education),
                )
        category = TraineeCategory.OTHER
        cat_text = cleaning.clean_text(cell(values, "category"))
        if cat_text:
            found = CATEGORY_INDEX.get(listed(cat_text))
            if found is None and _SEVERAL.search(cat_text):
                # “脱贫劳动力、农村转移劳动力”: the register keeps one category, the first it knows.
                known = [c for part in _SEVERAL.split(cat_text) if (c := CATEGORY_INDEX.get(listed(part)))]
                if known:
                    found = known[0]
                    _warn(
                        report,
                        layout,
                        number,
                        "category",
                        "category.several",
                        "人员类别“{v}”含有多个类别，登记册只记录一个：{first}。",
                        "The category “{v}” names several; the register keeps one: {first}.",
                        cat_text,
                        v=cat_text,
                        first=found.zh,
                    )
            if found is None:
                row_issue(
                    "category",
                    "category.unknown",
                    "人员类别“{v}”无法识别，请填写以下之一：{choices}。",
                    "Category “{v}” is not recognised; use one of: {choices}.",
                    cat_text,
                    v=cat_text,
                    choices=_choices(TraineeCategory),
                )
            else:
                category = found  # type: ignore[assignment]
        texts = {}
        for field, limit in (
            ("household_address", MAX_ADDRESS),
            ("current_address", MAX_ADDRESS),
            ("employer", MAX_EMPLOYER),
            ("notes", 2000),
        ):
            value = cleaning.clean_text(cell(values, field))
            if len(value) > limit:
                row_issue(
                    field,
                    "text.too_long",
                    "内容过长（{n} 字），最多 {limit} 字。",
                    "Too long ({n} characters); at most {limit}.",
                    value,
                    n=len(value),
                    limit=limit,
                )
            texts[field] = value

        # Duplicates in the file and conflicts with the register.
        if parsed is not None:
            key = parsed.number
            if key in first_seen:
                first_row, first_name = first_seen[key]
                row_issue(
                    "id_number",
                    "id.duplicate_in_file",
                    "身份证号 {v} 在文件中重复出现（第 {first} 行已有）。请删去重复的一行。",
                    "The ID number {v} appears twice in the file (first on row {first}); remove the duplicate.",
                    key,
                    v=idcard.mask(key),
                    first=first_row,
                )
                if name and first_name and name != first_name:
                    _issue(
                        report,
                        layout,
                        first_row,
                        "id_number",
                        "id.duplicate_in_file",
                        "身份证号 {v} 在第 {other} 行又出现了一次，姓名却不同（“{a}”与“{b}”）。请核对哪一行是对的。",
                        "The ID number {v} appears again on row {other} with another name (“{a}” and “{b}”); check which is right.",
                        key,
                        v=idcard.mask(key),
                        other=number,
                        a=first_name,
                        b=name,
                    )
            else:
                first_seen[key] = (number, name)
            known = existing.get(key)
            if known is not None and name and known[1] != name:
                row_issue(
                    "id_number",
                    "id.conflict_register",
                    "登记册中身份证号 {v} 属于“{registered}”，本行的姓名是“{name}”。请核对身份证号和姓名。",
                    "In the register, the ID number {v} belongs to “{registered}”, but this row says “{name}”; check both.",
                    key,
                    v=idcard.mask(key),
                    registered=known[1],
                    name=name,
                )
        if len(report.errors) > before or parsed is None:
            continue
        row = RosterRow(
            row=number,
            name=name,
            id_number=parsed.number,
            sex=parsed.sex,
            birth_date=parsed.birth_date,
            phone=phone,
            education=education,
            category=category,
            **texts,
        )
        known = existing.get(parsed.number)
        if known is not None:
            row.trainee_id = known[0]
            row.action = "already" if known[0] in enrolled else "link"
            kept = registered_phone.get(parsed.number, "")
            if phone and kept and phone != kept:
                _warn(
                    report,
                    layout,
                    number,
                    "phone",
                    "trainee.phone_differs",
                    "登记册中“{name}”的联系电话是 {kept}，文件中是 {phone}。保留登记册中的号码；如需更改，请在学员信息中修改。",
                    "The register has {kept} as {name}'s phone, the file {phone}. The register's number was kept; "
                    "change it in the trainee's record if needed.",
                    phone,
                    name=name,
                    kept=kept,
                    phone=phone,
                )
            if row.action == "already":
                _warn(
                    report,
                    layout,
                    number,
                    "name",
                    "trainee.already_enrolled",
                    "“{name}”已在本班花名册中，这一行不再重复导入。",
                    "“{name}” is already in this class; the row is not imported again.",
                    name,
                    name=name,
                )
        rows.append(row)
    report.valid = len(rows)
    # A duplicate found on a later row makes the first row invalid too, when the names differ.
    bad_rows = report.error_rows
    if bad_rows:
        rows = [r for r in rows if r.row not in bad_rows]
        report.valid = len(rows)
    _count_actions(report, rows)
    report.skipped_invalid = len(bad_rows)
    if progress is not None:
        progress(total, total)
    return RosterPlan(training_class.id, training_class.code, table.sha256, layout, rows, report)


def _count_actions(report: ImportReport, rows: list[RosterRow]) -> None:
    report.created = sum(1 for r in rows if r.action == "create")
    report.linked_existing = sum(1 for r in rows if r.action == "link")
    report.already_enrolled = sum(1 for r in rows if r.action == "already")
    report.imported = report.created + report.linked_existing


# --- step 3: write ------------------------------------------------------------------------------


def _insert_audited(
    session: Session,
    table: sa.Table,
    rows: list[dict[str, Any]],
    class_uuid: uuid.UUID | None,
    progress: Callable[[int], None],
    *,
    key_column: str,
    scope_column: str,
) -> list[int]:
    """Insert rows (each with its own ``uuid`` and timestamps; all with the same keys) and one
    audit event per row, as the ORM hook would have written it; returns the new ids in the order
    of ``rows``. ``key_column`` is unique among the rows with the same ``scope_column`` (an ID
    number in an institution)."""
    if not rows:
        return []
    conn = session.connection()
    # Columns left out take their scalar default, so that the audit snapshot is the whole row.
    defaults = {
        c.key: c.default.arg if c.default is not None and c.default.is_scalar else None
        for c in table.columns
        if c.key != "id" and c.key not in rows[0]
    }
    given = list(rows[0])
    columns = list(defaults) + given
    pick = operator.itemgetter(*given)
    fixed = tuple(defaults.values())
    full = [fixed + pick(r) for r in rows] if len(given) > 1 else [(*fixed, r[given[0]]) for r in rows]
    before = conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()
    for start in range(0, len(full), _WRITE_CHUNK):
        chunk = full[start : start + _WRITE_CHUNK]
        bulk.insert_rows(conn, table, columns, chunk)  # executemany; RETURNING would go row by row on SQLite
        progress(len(chunk))
    # This transaction holds the write lock now: rows after ``before`` in this scope are ours.
    key_at = columns.index(key_column)
    scope_value = rows[0][scope_column]
    key, scope = table.c[key_column], table.c[scope_column]
    new_ids = dict(conn.execute(sa.select(key, table.c.id).where(table.c.id > before, scope == scope_value)).all())
    ids = [new_ids[r[key_at]] for r in full]
    # The snapshot: every column but updated_at, and the new id; the UUIDs as text once, for
    # the snapshot (jsonable writes a UUID as its text) and the record key.
    uuid_at = columns.index("uuid")
    keys = [str(r[uuid_at]) for r in full]
    kept = [i for i, k in enumerate(columns) if k not in ("updated_at", "uuid")]
    snapshots = bulk.snapshot_json([columns[i] for i in kept], [[r[i] for i in kept] for r in full], {"id": ids, "uuid": keys})
    actor = session.info.get("actor")
    name = str(table.name)  # a plain str: sqlite3 adapts a subclass (quoted_name) value by value
    audit.append_events(
        conn,
        (
            {
                "action": "insert",
                "table_name": name,
                "record_key": key,
                "class_uuid": class_uuid,
                "changes": changes,
                "actor": actor,
            }
            for key, changes in zip(keys, snapshots, strict=True)
        ),
    )
    return ids


@bulk.collector_paused()  # no 100 ms pauses of the window while thousands of rows go by
def apply_roster(
    register: Register,
    plan: RosterPlan,
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    backup: bool = True,
    progress: Progress | None = None,
) -> ImportReport:
    """Write the plan in one transaction, after a backup. With errors and without
    ``skip_invalid`` nothing is written and :class:`ImportRefused` carries the report."""
    report = plan.report
    report.dry_run = dry_run
    if report.errors and not skip_invalid:
        raise ImportRefused(report)
    if dry_run:
        return report
    to_write = [r for r in plan.rows if r.action in ("create", "link")]
    if not to_write:
        report.written = True
        return report
    if backup and register.engine.dialect.name == "sqlite":
        report.backup = str(register.backup("pre-import").path)
    total = len(to_write) * 2
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(min(done, total), total)

    now = now_utc()
    today = today_local()
    with register.transaction() as s, bulk.roomy_cache(s.connection()):
        cls = s.get(TrainingClass, plan.class_id)
        if cls is None:
            raise NotFound("培训班已被删除。", "The class has been deleted.", code="class.not_found")
        _check_class_open(cls)
        # The register may have changed since the plan was made: check again inside the transaction.
        numbers = [r.id_number for r in to_write]
        current: dict[str, tuple[int, str]] = {}
        for start in range(0, len(numbers), _CHUNK):
            chunk = numbers[start : start + _CHUNK]
            for tid, number, name in s.execute(
                sa.select(Trainee.id, Trainee.id_number, Trainee.name).where(
                    Trainee.institution_id == cls.institution_id, Trainee.id_number.in_(chunk)
                )
            ):
                current[number] = (tid, name)
        enrolled = set(s.scalars(sa.select(Enrollment.trainee_id).where(Enrollment.class_id == cls.id)))
        for r in to_write:
            known = current.get(r.id_number)
            if (known is None) != (r.action == "create") or (known is not None and known[1] != r.name):
                raise ZunyiError(
                    "导入期间登记册被修改（第 {row} 行的学员已有变化），本次导入已撤销。请重新检查文件后再导入。",
                    "The register changed during the import (the trainee on row {row}); nothing was imported. Check the file again.",
                    code="import.stale",
                    row=r.row,
                )
            if known is not None:
                r.trainee_id = known[0]
        new_trainees = [
            {
                "uuid": uuid.uuid4(),
                "institution_id": cls.institution_id,
                "name": r.name,
                "id_number": r.id_number,
                "sex": r.sex,
                "birth_date": r.birth_date,
                "phone": r.phone,
                "education": r.education,
                "category": r.category,
                "household_address": r.household_address,
                "current_address": r.current_address,
                "employer": r.employer,
                "notes": r.notes,
                "created_at": now,
                "updated_at": now,
            }
            for r in to_write
            if r.action == "create"
        ]
        ids = _insert_audited(
            s, Trainee.__table__, new_trainees, None, advance, key_column="id_number", scope_column="institution_id"
        )
        by_number = {t["id_number"]: new_id for t, new_id in zip(new_trainees, ids, strict=True)}
        advance(len(to_write) - len(new_trainees))
        enrollments = []
        for r in to_write:
            trainee_id = r.trainee_id if r.action == "link" else by_number[r.id_number]
            if trainee_id in enrolled:
                continue
            enrolled.add(trainee_id)
            enrollments.append(
                {
                    "uuid": uuid.uuid4(),
                    "class_id": cls.id,
                    "trainee_id": trainee_id,
                    "enrolled_on": today,
                    "subsidised": True,
                    "subsidy_fen": 0,
                    "result": EnrollmentResult.PENDING,
                    "withdraw_reason": "",
                    "certificate_no": "",
                    "notes": "",
                    "created_at": now,
                    "updated_at": now,
                }
            )
        _insert_audited(s, Enrollment.__table__, enrollments, cls.uuid, advance, key_column="trainee_id", scope_column="class_id")
        audit.record_operation(
            s,
            "roster_import",
            cls,
            {
                "file": report.file,
                "sha256": plan.file_sha256,
                "sheet": report.sheet,
                "rows_read": report.rows_read,
                "created": report.created,
                "linked_existing": report.linked_existing,
                "skipped_invalid": report.skipped_invalid,
            },
        )
    report.written = True
    return report


def import_roster(
    register: Register,
    path: Path | str,
    class_ref: str,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """All three steps, as the command line runs them."""
    table = read_roster(path)
    layout = sniff_roster(table)

    def phase(offset: int) -> Progress | None:
        # Checking is the first half of the bar, writing the second.
        if progress is None:
            return None
        return lambda done, total: progress(offset * total + done, 2 * total)

    with register.session() as s:
        cls = resolve_class(s, class_ref)
        plan = validate_roster(s, cls, table, layout, progress=phase(0))
    return apply_roster(register, plan, skip_invalid=skip_invalid, dry_run=dry_run, progress=phase(1))
