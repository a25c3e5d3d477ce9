"""Every file the school or the county hands the app, made bad on purpose (hypothesis).

The roster import, the attendance workbook import, the punch log import, the county return import
and the batch verification are fed random bytes, truncated and bit-flipped valid files, valid zips
with odd members and workbooks with random cells. Whatever comes in:

- the parser raises nothing but the project's own error (:class:`ZunyiError`, a sentence to act on);
- the command line exits 0, 1 or 2 with no traceback and no "unexpected error";
- an import that is refused writes nothing: every table of the register keeps its row count.

The valid files the mutations start from are made once per module from the demo school.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import shutil
import sqlite3
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zunyi_trainer.cli import run
from zunyi_trainer.errors import ZunyiError

EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
CORE_EXAMPLES = settings(EXAMPLES, max_examples=25)

# --- the valid files, made once ------------------------------------------------------------------


class School:
    """A copy of the demo school, its class codes, and valid files of each kind."""

    def __init__(self, base: Path, template: Path) -> None:
        self.dir = base / "school"
        shutil.copytree(template, self.dir)
        self.county_dir = base / "county"  # batch verify on a machine with no register of its own
        self.files = base / "files"
        self.files.mkdir()
        with self._db() as db:
            self.draft = db.execute("SELECT code FROM training_class WHERE status = 'draft' ORDER BY code").fetchone()[0]
            self.running = db.execute("SELECT code FROM training_class WHERE status = 'in_progress' ORDER BY code").fetchone()[0]
            self.submitted = db.execute("SELECT code FROM training_class WHERE status = 'submitted' ORDER BY code").fetchone()[0]
            self.uscc = db.execute("SELECT uscc FROM institution").fetchone()[0]
            self.trainees = db.execute(
                "SELECT t.name, t.id_number FROM trainee t JOIN enrollment e ON e.trainee_id = t.id "
                "JOIN training_class c ON c.id = e.class_id WHERE c.code = ? ORDER BY t.id",
                (self.running,),
            ).fetchall()
            self.sessions = db.execute(
                "SELECT s.date, s.start_time FROM class_session s JOIN training_class c ON c.id = s.class_id "
                "WHERE c.code = ? ORDER BY s.date, s.start_time",
                (self.running,),
            ).fetchall()
        batch = self._batch()  # first: the return file acknowledges it
        self.seeds = {
            "roster": self._roster(),
            "roster_csv": self._roster_csv(),
            "attendance": self._attendance(),
            "punches": self._punches(),
            "return": self._return(),
            "batch": batch,
        }

    @contextlib.contextmanager
    def _db(self):
        db = sqlite3.connect(f"file:{self.dir / 'register.sqlite3'}?mode=ro", uri=True)
        try:
            yield db
        finally:
            db.close()

    def counts(self) -> dict[str, int]:
        """Rows of every table of the register."""
        with self._db() as db:
            tables = [
                r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            ]
            return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}

    def _roster(self) -> bytes:
        import roster_fixtures

        path = roster_fixtures.write_workbook(self.files / "roster.xlsx", roster_fixtures.roster_rows(4, start=900))
        return path.read_bytes()

    def _roster_csv(self) -> bytes:
        import roster_fixtures

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(roster_fixtures.HEADERS)
        writer.writerows(roster_fixtures.roster_rows(3, start=950))
        return out.getvalue().encode("utf-8-sig")

    def _attendance(self) -> bytes:
        target = self.files / "attendance.xlsx"
        assert run(["--data-dir", str(self.dir), "attendance", "export", self.running, "-o", str(target)]) == 0
        return target.read_bytes()

    def _punches(self) -> bytes:
        day, start = self.sessions[0]
        at = dt.datetime.fromisoformat(f"{day} {start}"[:16]) - dt.timedelta(minutes=5)
        lines = ["姓名,工号,打卡时间"] + [
            f"{name},{i + 1},{at:%Y-%m-%d %H:%M}" for i, (name, _id) in enumerate(self.trainees[:3])
        ]
        return ("\n".join(lines) + "\n").encode("utf-8-sig")

    def _return(self) -> bytes:
        with self._db() as db:
            seq, sha = db.execute("SELECT seq, sha256 FROM export_batch ORDER BY seq LIMIT 1").fetchone() or (None, None)
        doc = {
            "format": "zunyi-trainer/county-return",
            "version": 1,
            "institution_uscc": self.uscc,
            "issued_at": "2026-03-10T10:00:00+08:00",
            "decisions": [
                {
                    "class_code": self.submitted,
                    "decision": "rejected",
                    "decided_on": "2026-03-10",
                    "approver": "湄潭县人社局",
                    "reason": "x",
                }
            ],
            "acknowledged_batches": [{"seq": seq, "sha256": sha}] if seq else [],
        }
        return json.dumps(doc, ensure_ascii=False).encode()

    def _batch(self) -> bytes:
        usb = self.files / "usb"
        assert run(["--data-dir", str(self.dir), "batch", "export", "--full", "--no-documents", "-o", str(usb)]) == 0
        return next(usb.glob("*.zip")).read_bytes()


@pytest.fixture(scope="module")
def school(tmp_path_factory, demo_template) -> School:
    return School(tmp_path_factory.mktemp("fuzz"), demo_template)


# --- the ways a file goes bad ----------------------------------------------------------------------

ODD_NAMES = [
    "../../outside.txt",
    "/etc/passwd",
    "C:\\Windows\\win.ini",
    "a/" * 60 + "deep.xml",
    "x" * 300,
    "名单.xml",
    "xl/worksheets/sheet1.xml",  # a second member of a name already there
    "[Content_Types].xml",
    "",
]


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": wanted here
        for name, data in entries:
            with contextlib.suppress(ValueError):  # zipfile refuses some names outright; so would Excel
                zf.writestr(zipfile.ZipInfo(name or "_", date_time=(2026, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    """A valid file made bad: random bytes, cut short, bytes flipped, or lines shuffled."""
    how = draw(st.sampled_from(["random", "truncated", "flipped", "spliced"]))
    if how == "random":
        return draw(st.binary(min_size=1, max_size=3000))
    if how == "truncated":
        return seed[: draw(st.integers(1, max(1, len(seed) - 1)))]
    if how == "flipped":
        data = bytearray(seed)
        for position, value in draw(
            st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), min_size=1, max_size=12)
        ):
            data[position] = value
        return bytes(data)
    start = draw(st.integers(0, len(seed)))
    return seed[:start] + draw(st.binary(min_size=1, max_size=200)) + seed[start:]


@st.composite
def odd_zip(draw, seed: bytes) -> bytes:
    """The members of a valid zip (a workbook, a batch) with some dropped, replaced, cut or added."""
    entries = _members(seed)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(entries) - 1))
        name, data = entries[i]
        how = draw(st.sampled_from(["drop", "garbage", "truncate", "odd_name", "big_zeros", "duplicate"]))
        if how == "drop" and len(entries) > 1:
            entries.pop(i)
        elif how == "garbage":
            entries[i] = (name, draw(st.binary(max_size=500)))
        elif how == "truncate":
            entries[i] = (name, data[: draw(st.integers(0, max(0, len(data) - 1)))])
        elif how == "odd_name":
            entries.append((draw(st.sampled_from(ODD_NAMES)), draw(st.binary(max_size=200))))
        elif how == "big_zeros":
            entries[i] = (name, b"\0" * 3_000_000)  # compresses to a few KB
        else:
            entries.insert(i, (name, data))
    return _zip(entries)


CELL = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.times(),
    st.booleans(),
    st.sampled_from(["=1/0", "=A1", "#N/A", "合计", "制表人：", "出勤", "√", "×", "迟到", "5203" * 5]),
)


@st.composite
def random_cells(draw, seed: bytes) -> bytes:
    """The seed workbook's own header rows, then rows of random cells (any type Excel stores)."""
    from openpyxl import Workbook, load_workbook

    source = load_workbook(io.BytesIO(seed), read_only=True)
    head = [list(row) for row in source.worksheets[0].iter_rows(max_row=draw(st.integers(0, 3)), values_only=True)]
    source.close()
    wb = Workbook()
    ws = wb.active
    for row in head:
        ws.append(row)
    width = max((len(r) for r in head), default=6)
    for row in draw(st.lists(st.lists(CELL, max_size=width + 2), max_size=8)):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@st.composite
def random_csv(draw, seed: bytes) -> bytes:
    """The seed CSV's header, then random fields, in one of the encodings people save CSV in."""
    header = seed.decode("utf-8-sig").splitlines()[0]
    field = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=25)
    rows = draw(st.lists(st.lists(field, max_size=9), max_size=8))
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(row)
    text = header + "\n" + out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]))
    return text.encode(encoding, errors="replace")


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def odd_return(draw, seed: bytes) -> bytes:
    """The seed return file with fields replaced, removed or added (valid JSON, wrong content)."""
    doc = json.loads(seed)
    for _ in range(draw(st.integers(1, 3))):
        target = doc
        decisions = doc.get("decisions")
        if draw(st.booleans()) and isinstance(decisions, list) and decisions and isinstance(decisions[0], dict):
            target = decisions[0]
        key = draw(st.sampled_from([*target.keys(), "extra"]))
        if draw(st.booleans()):
            target[key] = draw(JSON_VALUE)
        else:
            target.pop(key, None)
    return json.dumps(doc, ensure_ascii=False).encode()


# --- the parsers, in the core and on the command line ------------------------------------------


def _core_roster(path: Path) -> None:
    from zunyi_trainer.roster.importer import read_roster, sniff_roster

    sniff_roster(read_roster(path))


def _core_table(path: Path) -> None:
    from zunyi_trainer.excel.reading import read_table

    read_table(path)


def _core_punches(path: Path) -> None:
    from zunyi_trainer.excel.reading import read_table
    from zunyi_trainer.punches import read_punches
    from zunyi_trainer.roster.report import ImportReport

    table = read_table(path)
    read_punches(table, ImportReport(kind="punches", file=path.name))


def _core_return(path: Path) -> None:
    from zunyi_trainer.exchange.county_return import read_return

    read_return(path.read_bytes())


def _core_verify(path: Path) -> None:
    from zunyi_trainer.exchange.verify import verify_batch

    verify_batch(path)


# name: (seed, file suffix, the core parser, the command line for a file and the school)
PARSERS: dict[str, tuple[str, str, Callable[[Path], None], Callable[[Path, School], list[str]]]] = {
    "roster": ("roster", ".xlsx", _core_roster, lambda f, s: ["roster", "import", str(f), "--class", s.draft]),
    "roster_csv": ("roster_csv", ".csv", _core_roster, lambda f, s: ["roster", "import", str(f), "--class", s.draft]),
    "attendance": ("attendance", ".xlsx", _core_table, lambda f, s: ["attendance", "import", str(f), "--class", s.running]),
    "punches": ("punches", ".csv", _core_punches, lambda f, s: ["punches", "import", str(f), "--class", s.running]),
    "return": ("return", ".json", _core_return, lambda f, s: ["county-return", "import", str(f)]),
    "batch": ("batch", ".zip", _core_verify, lambda f, s: ["batch", "verify", str(f)]),
}


def _write(folder: Path, suffix: str, data: bytes) -> Path:
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    return path


def _core_refuses_or_reads(parser: Callable[[Path], None], path: Path) -> None:
    try:
        parser(path)
    except ZunyiError as exc:
        assert exc.message().strip(), "a refusal must say why"
    # Anything else propagates and fails the test: a crash in the parser.


def _cli_answers(school: School, argv: list[str], capsys) -> None:
    data_dir = school.county_dir if argv[:2] == ["batch", "verify"] else school.dir
    before = school.counts()
    capsys.readouterr()
    code = run(["--data-dir", str(data_dir), *argv])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (code, out, err)
    assert "Traceback" not in out + err
    assert "意外错误" not in err, err  # the CLI's sentence for an exception that is not a ZunyiError
    if code != 0:
        assert err.strip() or out.strip(), "a refusal must say why"
        assert school.counts() == before, "a refused import wrote something"


# --- the tests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PARSERS))
def test_the_valid_seed_files_are_read(school, name, tmp_path):
    seed, suffix, parser, _argv = PARSERS[name]
    parser(_write(tmp_path, suffix, school.seeds[seed]))  # no refusal: the mutations start from good files


@pytest.mark.parametrize("name", list(PARSERS))
def test_a_mutated_file_is_read_or_refused_with_a_reason(school, name, tmp_path_factory):
    seed, suffix, parser, _argv = PARSERS[name]
    folder = tmp_path_factory.mktemp(f"core-{name}")

    @CORE_EXAMPLES
    @given(data=mutated(school.seeds[seed]))
    def check(data: bytes) -> None:
        _core_refuses_or_reads(parser, _write(folder, suffix, data))

    check()


@pytest.mark.parametrize("name", ["roster", "attendance", "batch"])
def test_a_zip_with_odd_members_is_read_or_refused_with_a_reason(school, name, tmp_path_factory):
    seed, suffix, parser, _argv = PARSERS[name]
    folder = tmp_path_factory.mktemp(f"zip-{name}")

    @CORE_EXAMPLES
    @given(data=odd_zip(school.seeds[seed]))
    def check(data: bytes) -> None:
        _core_refuses_or_reads(parser, _write(folder, suffix, data))

    check()


@pytest.mark.parametrize("name", list(PARSERS))
def test_the_command_line_refuses_a_bad_file_without_a_traceback_and_writes_nothing(school, name, tmp_path_factory, capsys):
    seed, suffix, _parser, argv = PARSERS[name]
    folder = tmp_path_factory.mktemp(f"cli-{name}")
    strategy = mutated(school.seeds[seed])
    if suffix == ".xlsx":
        strategy = st.one_of(strategy, odd_zip(school.seeds[seed]), random_cells(school.seeds[seed]))
    elif suffix == ".csv":
        strategy = st.one_of(strategy, random_csv(school.seeds[seed]))
    elif suffix == ".json":
        strategy = st.one_of(strategy, odd_return(school.seeds[seed]))
    else:
        strategy = st.one_of(strategy, odd_zip(school.seeds[seed]))

    @EXAMPLES
    @given(data=strategy)
    def check(data: bytes) -> None:
        _cli_answers(school, argv(_write(folder, suffix, data), school), capsys)

    check()


@pytest.mark.parametrize("name", ["roster", "attendance", "punches"])
def test_a_sheet_of_random_cells_is_imported_whole_or_refused_whole(school, name, tmp_path_factory, capsys):
    seed, _suffix, _parser, argv = PARSERS[name]
    folder = tmp_path_factory.mktemp(f"cells-{name}")
    source = school.seeds[seed]
    if name == "punches":  # the punch log as a workbook: its CSV header as the first row
        from openpyxl import Workbook

        wb = Workbook()
        for line in source.decode("utf-8-sig").splitlines():
            wb.active.append(line.split(","))
        out = io.BytesIO()
        wb.save(out)
        source = out.getvalue()

    @EXAMPLES
    @given(data=random_cells(source))
    def check(data: bytes) -> None:
        _cli_answers(school, argv(_write(folder, ".xlsx", data), school), capsys)

    check()
