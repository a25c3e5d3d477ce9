"""The printed documents of the demo school, read back as a county officer or inspector would."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from reportlab.platypus import Table

from tests.documents_fixtures import Pdf, font_report, page_numbers_add_up, read_pdf
from zunyi_trainer import idcard
from zunyi_trainer.db import open_register
from zunyi_trainer.documents import (
    build_application,
    build_archive,
    build_equipment_report,
    build_signin,
    find_class,
    fonts_for,
)
from zunyi_trainer.documents.archive import SECTIONS, archive_story, class_attachments, document_set_digest
from zunyi_trainer.documents.layout import Styles
from zunyi_trainer.i18n import set_language
from zunyi_trainer.models import ClassStatus, EquipmentSpend, Institution, TrainingClass


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> dict:
    """Each document of the demo school built once for the whole module."""
    set_language("zh")
    base = tmp_path_factory.mktemp("docs-demo")
    shutil.copytree(demo_template, base / "data", ignore=shutil.ignore_patterns("*.lock", "logs"))
    out = base / "out"
    out.mkdir()
    reg = open_register(base / "data")
    try:
        with reg.session() as s:
            by_status = {c.status: c.code for c in s.scalars(sa.select(TrainingClass).order_by(TrainingClass.code))}
            draft = s.scalars(
                sa.select(TrainingClass).where(TrainingClass.status == ClassStatus.DRAFT, TrainingClass.mode.is_(None))
            ).first()
            app_cls = find_class(s, draft.code if draft else by_status[ClassStatus.DRAFT])
            arc_cls = find_class(s, by_status[ClassStatus.ARCHIVED])
            run_cls = find_class(s, by_status[ClassStatus.IN_PROGRESS])
            spend_year = s.scalars(sa.select(EquipmentSpend.spent_on).order_by(EquipmentSpend.spent_on)).first().year
            results = {
                "application": build_application(s, app_cls, out / "application.pdf"),
                "archive": build_archive(s, arc_cls, out / "archive.pdf", store=reg.attachments_dir),
                "signin": build_signin(s, run_cls, out / "signin.pdf"),
                "equipment": build_equipment_report(s, spend_year, out / "equipment.pdf"),
            }
            facts = {
                "app_ids": [e.trainee.id_number for e in app_cls.enrollments],
                "app_cls": (app_cls.code, app_cls.name),
                "run_ids": [e.trainee.id_number for e in run_cls.enrollments if e.withdrawn_on is None],
                "run_names": [e.trainee.name for e in run_cls.enrollments if e.withdrawn_on is None],
                "run_code": run_cls.code,
                "arc_code": arc_cls.code,
                "arc_archive_no": arc_cls.archive_no,
                "arc_attachments": [(a.filename, a.sha256, a.size) for a in class_attachments(s, arc_cls)],
                "institution": s.scalars(sa.select(Institution)).one().name,
                "spends": [
                    (sp.invoice_no, sp.amount_fen)
                    for sp in s.scalars(sa.select(EquipmentSpend)).all()
                    if sp.spent_on.year == spend_year
                ],
                "spend_year": spend_year,
            }
    finally:
        reg.close()
    pdfs = {name: read_pdf(out / f"{name}.pdf") for name in results}
    return {"results": results, "pdfs": pdfs, "facts": facts, "out": out}


DOCS = ("application", "archive", "signin", "equipment")


@pytest.mark.parametrize("name", DOCS)
def test_every_font_of_every_document_is_embedded_and_none_is_a_standard_font(built: dict, name: str) -> None:
    fonts = font_report(built["pdfs"][name].reader)
    assert fonts, "a document with text has fonts"
    assert all(embedded for _, embedded in fonts), fonts
    assert not [f for f, _ in fonts if re.search("Helvetica|Times|Courier|STSong|Symbol", f)]


@pytest.mark.parametrize("name", DOCS)
def test_page_numbering_adds_up_on_every_page(built: dict, name: str) -> None:
    pdf: Pdf = built["pdfs"][name]
    assert len(pdf.pages) == built["results"][name].pages
    assert page_numbers_add_up(pdf)


@pytest.mark.parametrize("name", DOCS)
def test_every_page_carries_the_institution_version_and_generation_time(built: dict, name: str) -> None:
    pdf: Pdf = built["pdfs"][name]
    inst = re.sub(r"\s+", "", built["facts"]["institution"])
    for i in range(1, len(pdf.pages) + 1):
        page = pdf.page_compact(i)
        assert inst in page
        assert "zunyi-trainer" in page
        assert "生成时间" in page


@pytest.mark.parametrize(
    ("name", "title"),
    [("application", "开班申请表"), ("archive", "一班一档"), ("signin", "培训学员签到表"), ("equipment", "年度设备投入报告")],
)
def test_document_metadata_names_title_author_and_subject(built: dict, name: str, title: str) -> None:
    meta = built["pdfs"][name].reader.metadata
    assert title in meta.title
    assert meta.author == built["facts"]["institution"]
    assert meta.subject
    assert meta.creator.startswith("zunyi-trainer")


def test_application_holds_the_form_its_six_attachments_and_the_rule_findings(built: dict) -> None:
    text = built["pdfs"]["application"].compact
    code, name = built["facts"]["app_cls"]
    assert name in text
    for expected in (
        "职业技能培训开班申请表",
        "统一社会信用代码",
        code,
        "开班要素",
        "开班条件核查",
        "县级人力资源社会保障部门审核意见",
        "附件1学员花名册",
        "附件2课程安排表",
        "附件3师资情况表",
        "附件4场地设备情况表",
        "附件5考核方案",
        "附件6承诺书",
    ):
        assert expected in text, expected
    # the demo's blocked draft has no training mode: the checklist says so, as the rules module words it
    assert "不符合（须整改）" in text


def test_application_roster_prints_full_id_numbers_as_the_county_requires(built: dict) -> None:
    text = built["pdfs"]["application"].compact
    ids = built["facts"]["app_ids"]
    assert ids
    assert all(number in text for number in ids)


def test_signin_sheet_lists_every_trainee_with_a_masked_id_and_no_full_number(built: dict) -> None:
    text = built["pdfs"]["signin"].compact
    for name, number in zip(built["facts"]["run_names"], built["facts"]["run_ids"], strict=True):
        assert name in text
        assert idcard.mask(number) in text
        assert number not in text
    assert not re.search(r"\d{17}[\dX]", text), "no 18-character ID number anywhere on a sign-in sheet"
    assert "签到（签名）" in text and "签退（签名）" in text


def test_archive_never_prints_a_full_id_number(built: dict) -> None:
    assert not re.search(r"(?<!\d)\d{17}[\dX](?!\d)", built["pdfs"]["archive"].compact.replace("SHA-256", ""))


def test_archive_cover_names_archive_number_retention_and_dates(built: dict) -> None:
    cover = built["pdfs"]["archive"].page_compact(1)
    facts = built["facts"]
    assert "一班一档" in cover
    assert facts["arc_archive_no"] in cover
    assert "保管期限" in cover and "培训起止日期" in cover


def test_archive_table_of_contents_points_at_the_pages_where_sections_begin(built: dict) -> None:
    pdf: Pdf = built["pdfs"]["archive"]
    sections = built["results"]["archive"].sections
    # the page numbers are drawn when the document is saved: read the page as laid out
    toc = re.sub(r" +", " ", pdf.reader.pages[1].extract_text(extraction_mode="layout"))
    assert "目 录" in toc
    for s in SECTIONS:
        page = sections[s.key]
        assert s.title in pdf.page_compact(page), (s.title, page)
        assert re.search(re.escape(s.title) + r" \.{10,} " + str(page) + r"\n", toc), (s.title, page)
    assert list(sections.values()) == sorted(sections.values())


def test_archive_holds_attendance_results_subsidy_and_audit_log(built: dict) -> None:
    text = built["pdfs"]["archive"].compact
    for expected in (
        "考勤汇总",
        "考勤明细",
        "第1次课",
        "考核结果与证书",
        "证书编号",
        "补贴标准",
        "核定补贴金额",
        "操作记录",
        "最后一条记录的哈希",
    ):
        assert expected in text, expected


def test_archive_lists_every_attachment_with_size_and_sha256_and_the_set_digest_last(built: dict) -> None:
    pdf: Pdf = built["pdfs"]["archive"]
    text = pdf.compact
    attachments = built["facts"]["arc_attachments"]
    assert attachments, "the demo's archived class has photos"
    for filename, sha, size in attachments:
        assert filename in text
        assert sha in text
        assert f"{size:,}" in text
    digest = built["results"]["archive"].digest
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert digest in pdf.page_compact(len(pdf.pages))


def test_document_set_digest_changes_when_any_attachment_or_the_audit_trail_changes() -> None:
    class A:
        def __init__(self, sha: str, size: int, filename: str) -> None:
            self.sha256, self.size, self.filename = sha, size, filename

    base = [A("a" * 64, 10, "x.png"), A("b" * 64, 20, "y.mp3")]
    digest = document_set_digest(base, "c" * 64)
    assert digest == document_set_digest(list(reversed(base)), "c" * 64), "order of listing does not matter"
    assert digest != document_set_digest([base[0], A("d" * 64, 20, "y.mp3")], "c" * 64)
    assert digest != document_set_digest(base, "e" * 64)


def test_archive_long_tables_repeat_their_header_and_never_split_a_row(demo_register) -> None:
    with demo_register.session() as s:
        code = s.scalars(sa.select(TrainingClass.code).where(TrainingClass.status == ClassStatus.ARCHIVED)).first()
        cls = find_class(s, code)
        story, _ = archive_story(s, cls, Styles(fonts_for(s)), store=None)
    tables = [f for f in story if isinstance(f, Table)]
    long_tables = [t for t in tables if len(t._cellvalues) > 15]
    assert long_tables
    for t in long_tables:
        assert t.repeatRows >= 1
        assert t.splitInRow == 0


def test_archive_detail_header_is_repeated_on_each_page_it_runs_onto(built: dict) -> None:
    pdf: Pdf = built["pdfs"]["archive"]
    sections = built["results"]["archive"].sections
    detail_pages = range(sections["detail"], sections["results"])
    assert len(detail_pages) > 1
    for n in detail_pages:
        page = pdf.page_compact(n)
        assert "序号姓名身份证号状态签到签退" in page, n


def test_equipment_report_lists_each_spend_and_the_total(built: dict) -> None:
    text = built["pdfs"]["equipment"].compact
    spends = built["facts"]["spends"]
    assert spends
    for invoice, _ in spends:
        assert invoice in text
    total = sum(amount for _, amount in spends)
    assert f"{total // 100:,}.{total % 100:02d}" in text
    assert f"{built['facts']['spend_year']}年度实训设备投入报告" in text


def test_equipment_report_figures_agree_with_the_equipment_rule(demo_register) -> None:
    from zunyi_trainer.documents.equipment import year_figures, year_spends
    from zunyi_trainer.rules.equipment import equipment_share

    with demo_register.session() as s:
        inst = s.scalars(sa.select(Institution)).one()
        years = sorted({sp.spent_on.year for sp in s.scalars(sa.select(EquipmentSpend))})
        assert years
        for year in years:
            mine = year_figures(s, inst, year, year_spends(s, inst, year))
            rule = equipment_share(s, inst, year)
            if rule is None:
                assert mine.surplus_fen is None
                continue
            assert (mine.surplus_fen, mine.spent_fen, mine.target_fen, mine.met) == (
                rule.surplus_fen,
                rule.spent_fen,
                rule.target_fen,
                rule.met,
            )


def test_the_findings_checklist_keeps_every_text_inside_its_column(demo_register) -> None:
    """A rule's code (session.teacher_double_booked) is wider than its 40 mm column at the table's
    size: it wraps inside the cell rather than running over the border (as it did)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from zunyi_trainer.documents.application import findings_checklist
    from zunyi_trainer.documents.data import FindingRow

    with demo_register.session() as s:
        styles = Styles(fonts_for(s))
    found = [FindingRow("session.teacher_double_booked", "blocks", "教师 龙忠 在同一时间有两个课次。")]
    (table,) = findings_checklist(found, styles)
    for row in table._cellvalues[1:]:
        for value, width in zip(row, table._colWidths, strict=True):
            if isinstance(value, str):
                assert stringWidth(value, styles.fonts.body, 8.5) <= width, value
            else:
                assert value.wrap(width, 1000)[0] <= width
