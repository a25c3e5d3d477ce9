"""The archive package, sign-in day selection, font choice and the ``docs`` commands."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import bagit
import openpyxl
import pytest

from tests import factories
from tests.documents_fixtures import font_report, page_numbers_add_up, read_pdf
from zunyi_trainer import attachments, idcard
from zunyi_trainer.cli import run
from zunyi_trainer.db import open_register
from zunyi_trainer.documents import build_package, build_signin, find_class, fonts
from zunyi_trainer.documents.data import signin_sessions
from zunyi_trainer.errors import NotFound, ValidationError, ZunyiError
from zunyi_trainer.models import Attendance, AttendanceMethod, AttendanceStatus
from zunyi_trainer.timeutil import local_instant


def png(width: int = 40, height: int = 30) -> bytes:
    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)

    row = b"\x00" + b"".join(bytes((x * 6 % 256, 90, 120)) for x in range(width))
    raw = row * height
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


ORIGINALS = {
    "开班仪式.png": png(),
    "实操课录音.mp3": b"ID3" + bytes(range(256)) * 40,
    "实操课视频.mp4": b"\x00\x00\x00\x18ftypmp42" + bytes(reversed(range(256))) * 64,
    "结业证书扫描件.pdf": b"%PDF-1.4\n% scanned\n" + b"x" * 500,
    "name:with*odd?chars.txt": "不安全的文件名".encode(),
}


def fill_filed_class(register) -> str:
    """A finished class of 6 trainees × 6 sessions with marks and attachments of every kind."""
    store = register.attachments_dir
    with register.transaction() as s:
        cls = factories.training_class(s, trainees=6, sessions=6, code="DOC2026001", start_date=dt.date(2026, 3, 2))
        cls.archive_no = "DA-DOC2026001"
        s.flush()
        for k, sess in enumerate(cls.sessions):
            for i, e in enumerate(cls.enrollments):
                status = AttendanceStatus.ABSENT if (i == 5 and k % 2) else AttendanceStatus.PRESENT
                s.add(
                    Attendance(
                        session=sess,
                        enrollment=e,
                        status=status,
                        sign_in_at=local_instant(sess.date, sess.start_time) if status is AttendanceStatus.PRESENT else None,
                        sign_out_at=local_instant(sess.date, sess.end_time) if status is AttendanceStatus.PRESENT else None,
                        method=AttendanceMethod.PAPER,
                    )
                )
        for name, content in ORIGINALS.items():
            attachments.add_attachment(
                s,
                store,
                content,
                filename=name,
                caption=f"{name} 说明",
                taken_at=local_instant(cls.start_date, dt.time(9, 0)),
                training_class=cls,
            )
        code = cls.code
    return code


LAYOUT_ONLY = "PDF layout, fonts and images; the queries behind the documents run on PostgreSQL in the other document tests"


@pytest.fixture
def filed_class(register) -> str:
    return fill_filed_class(register)


@pytest.fixture(scope="module")
def shared_package(tmp_path_factory: pytest.TempPathFactory, empty_template: Path) -> dict:
    """One package built for the tests that only read it."""
    base = tmp_path_factory.mktemp("docs-package")
    shutil.copytree(empty_template, base / "data", ignore=shutil.ignore_patterns("*.lock", "logs"))
    reg = open_register(base / "data")
    seen: list[tuple[int, int]] = []
    try:
        code = fill_filed_class(reg)
        with reg.session() as s:
            cls = find_class(s, code)
            facts = {
                "days": sorted({x.date for x in cls.sessions}),
                "ids": [e.trainee.id_number for e in cls.enrollments],
            }
            build_package(s, cls, base / "pkg.zip", store=reg.attachments_dir, progress=lambda d, t: seen.append((d, t)))
    finally:
        reg.close()
    return {"bag": unzip(base / "pkg.zip", base / "x"), "zip": base / "pkg.zip", "progress": seen, **facts}


def unzip(path: Path, into: Path) -> Path:
    with zipfile.ZipFile(path) as zf:
        zf.extractall(into)
    (bag,) = list(into.iterdir())
    return bag


def test_package_is_a_valid_bagit_bag_holding_every_attachment_unchanged(register, filed_class, tmp_path: Path) -> None:
    seen = []
    with register.session() as s:
        cls = find_class(s, filed_class)
        out = build_package(
            s, cls, tmp_path / "pkg.zip", store=register.attachments_dir, progress=lambda d, t: seen.append((d, t))
        )
    bag_dir = unzip(out, tmp_path / "x")
    bag = bagit.Bag(str(bag_dir))
    bag.validate()  # raises BagValidationError on any missing or altered file
    assert "sha256" in bag.algorithms
    payload = {p.name: p for p in (bag_dir / "data").rglob("*") if p.is_file()}
    for name, content in ORIGINALS.items():
        readable = re.sub(r'[\\/:*?"<>|]', "_", name)
        (match,) = [p for n, p in payload.items() if n.endswith(readable)]
        assert match.read_bytes() == content
    assert seen and seen[-1][0] == seen[-1][1], "progress reaches its total"


def test_package_zip_marks_its_chinese_names_as_utf8_for_windows_explorer(shared_package: dict) -> None:
    with zipfile.ZipFile(shared_package["zip"]) as zf:
        names = zf.infolist()
    assert any("一班一档" in i.filename for i in names)
    assert all(i.flag_bits & 0x800 for i in names if not i.filename.isascii())
    assert all(i.filename.startswith("档案移交包-DOC2026001/") for i in names)


def test_package_holds_the_pdfs_the_xlsx_and_an_index_of_every_file(shared_package: dict) -> None:
    days, ids = shared_package["days"], shared_package["ids"]
    data = shared_package["bag"] / "data"
    assert (data / "01-一班一档-DOC2026001.pdf").is_file()
    assert (data / "02-开班申请表-DOC2026001.pdf").is_file()
    assert sorted(p.name for p in (data / "03-签到表").iterdir()) == [f"签到表-{d.isoformat()}.pdf" for d in days]
    for pdf in data.rglob("*.pdf"):
        if "附件" in str(pdf):
            continue
        read = read_pdf(pdf)
        assert all(embedded for _, embedded in font_report(read.reader)), pdf.name
        assert page_numbers_add_up(read), pdf.name
    index = (data / "索引.html").read_text(encoding="utf-8")
    for p in data.rglob("*"):
        if p.is_file() and p.name != "索引.html":
            rel = p.relative_to(data).as_posix()
            assert rel in index
            assert hashlib.sha256(p.read_bytes()).hexdigest() in index
            assert f"{p.stat().st_size:,}" in index

    def cells(path: Path, sheet: str | None = None) -> list[str]:
        wb = openpyxl.load_workbook(path)
        ws = wb[sheet] if sheet else wb.worksheets[0]
        return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]

    # only the application's roster (a PDF) carries full ID numbers; every workbook is masked
    for book in ("05-花名册.xlsx", "06-考勤表.xlsx", "07-考勤明细（签到签退时间）.xlsx"):
        values = cells(data / book)
        assert all(idcard.mask(number) in values for number in ids), book
        assert not any(number in values for number in ids), book
    statuses = [v for v in cells(data / "07-考勤明细（签到签退时间）.xlsx", "考勤明细") if v in ("出勤", "旷课")]
    assert len(statuses) == 6 * 6


def test_package_reports_an_attachment_missing_from_the_store_instead_of_failing(register, filed_class, tmp_path: Path) -> None:
    lost = hashlib.sha256(ORIGINALS["实操课录音.mp3"]).hexdigest()
    attachments.blob_path(register.attachments_dir, lost).unlink()
    with register.session() as s:
        build_package(s, find_class(s, filed_class), tmp_path / "pkg.zip", store=register.attachments_dir)
    bag_dir = unzip(tmp_path / "pkg.zip", tmp_path / "x")
    bagit.Bag(str(bag_dir)).validate()
    note = (bag_dir / "data" / "04-附件" / "缺失文件说明.txt").read_text(encoding="utf-8")
    assert lost in note
    archive = read_pdf(bag_dir / "data" / "01-一班一档-DOC2026001.pdf")
    assert "文件缺失" in archive.compact


def test_package_must_be_named_zip(register, filed_class, tmp_path: Path) -> None:
    with register.session() as s, pytest.raises(ZunyiError, match=r"\.zip"):
        build_package(s, find_class(s, filed_class), tmp_path / "pkg.pdf", store=register.attachments_dir)
    assert not (tmp_path / "pkg.pdf").exists()


def test_signin_without_a_date_is_for_the_next_session_day_or_the_last_when_over(register) -> None:
    with register.transaction() as s:
        cls = factories.training_class(s, trainees=2, sessions=6, start_date=dt.date(2026, 3, 2))
        days = sorted({x.date for x in cls.sessions})
        assert [x.date for x in signin_sessions(cls, None, today=dt.date(2026, 3, 1))] == [days[0], days[0]]
        assert {x.date for x in signin_sessions(cls, None, today=days[1])} == {days[1]}
        assert {x.date for x in signin_sessions(cls, None, today=days[1] + dt.timedelta(days=1))} == {days[2]}
        assert {x.date for x in signin_sessions(cls, None, today=dt.date(2027, 1, 1))} == {days[-1]}
        with pytest.raises(NotFound, match="没有课"):
            signin_sessions(cls, dt.date(2026, 1, 1))


def test_signin_for_a_class_without_timetable_says_to_add_sessions(register, tmp_path: Path) -> None:
    with register.transaction() as s:
        cls = factories.training_class(s, trainees=2)
        with pytest.raises(NotFound, match="还没有课程安排"):
            build_signin(s, cls, tmp_path / "s.pdf")


def test_signin_of_a_day_with_two_sessions_prints_one_sheet_each(register, tmp_path: Path) -> None:
    with register.transaction() as s:
        cls = factories.training_class(s, trainees=3, sessions=2, start_date=dt.date(2026, 3, 2))
        result = build_signin(s, cls, tmp_path / "s.pdf", on=dt.date(2026, 3, 2))
    pdf = read_pdf(tmp_path / "s.pdf")
    assert result.pages == 2
    assert "08:30–11:30" in pdf.pages[0] and "14:00–17:00" in pdf.pages[1]
    with register.session() as s:
        cls = find_class(s, cls.code)
        one = build_signin(s, cls, tmp_path / "one.pdf", session_id=cls.sessions[1].id)
        assert one.pages == 1 and "14:00–17:00" in read_pdf(tmp_path / "one.pdf").pages[0]
        with pytest.raises(NotFound):
            build_signin(s, cls, tmp_path / "none.pdf", session_id=-1)


# -- fonts ----------------------------------------------------------------------------------------


def test_a_font_file_that_is_not_truetype_is_refused_with_a_sentence(tmp_path: Path) -> None:
    bogus = tmp_path / "NotoSerifCJK.otf"
    bogus.write_bytes(b"OTTO" + b"\x00" * 200)
    with pytest.raises(ValidationError, match="TrueType") as err:
        fonts.register_fonts(bogus)
    assert err.value.code == "documents.font"
    with pytest.raises(ValidationError, match="找不到字体文件"):
        fonts.register_fonts(tmp_path / "missing.ttf")


def test_installed_songti_fonts_are_found_by_their_file_names(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "simsun.ttc").write_bytes(b"x")
    (tmp_path / "simfang.ttf").write_bytes(b"x")
    (tmp_path / "arial.ttf").write_bytes(b"x")
    found = {f.path.name: f.label for f in fonts.find_installed_fonts([tmp_path])}
    assert found["simsun.ttc"].startswith("宋体")
    assert found["simfang.ttf"].startswith("仿宋")
    assert "arial.ttf" not in found


@pytest.mark.sqlite_only(reason=LAYOUT_ONLY)
def test_a_chosen_truetype_font_is_used_for_the_body_and_embedded(register, tmp_path: Path) -> None:
    # Any TrueType CJK font stands in for SimSun here: a copy of the shipped one under its name.
    chosen = tmp_path / "simsun.ttc"
    chosen.write_bytes(fonts.fallback_font_path().read_bytes())
    with register.transaction() as s:
        fonts.save_font_preference(s, chosen)
    with register.transaction() as s:
        assert fonts.load_font_preference(s) == str(chosen)
        picked = fonts.fonts_for(s)
        assert picked.body_path == str(chosen) and picked.body != picked.heading
        cls = factories.training_class(s, trainees=2, sessions=2)
        build_signin(s, cls, tmp_path / "s.pdf", on=cls.sessions[0].date)
    report = font_report(read_pdf(tmp_path / "s.pdf").reader)
    assert all(embedded for _, embedded in report)
    chosen.unlink()  # the font is gone (another PC): printing falls back to the built-in font
    with register.session() as s:
        assert fonts.fonts_for(s).body_path == str(fonts.fallback_font_path())


# -- command line ---------------------------------------------------------------------------------


def test_docs_commands_write_each_document_and_report_pages(register, filed_class, tmp_path: Path, capsys) -> None:
    data_dir = str(register.data_dir)
    register.close()
    for doc in ("application", "signin", "archive"):
        out = tmp_path / f"{doc}.pdf"
        assert run(["--data-dir", data_dir, "docs", doc, filed_class, "-o", str(out)]) == 0
        assert out.read_bytes().startswith(b"%PDF")
        assert "已生成" in capsys.readouterr().out
    out = tmp_path / "eq.pdf"
    assert run(["--data-dir", data_dir, "docs", "equipment", "--year", "2026", "-o", str(out)]) == 0
    assert "2026年度实训设备投入报告" in read_pdf(out).compact
    assert run(["--data-dir", data_dir, "docs", "package", filed_class, "-o", str(tmp_path / "p.zip")]) == 0
    bagit.Bag(str(unzip(tmp_path / "p.zip", tmp_path / "x"))).validate()


def test_docs_commands_refuse_with_a_message_and_leave_no_file(register, filed_class, tmp_path: Path, capsys) -> None:
    data_dir = str(register.data_dir)
    register.close()
    assert run(["--data-dir", data_dir, "docs", "archive", "NO-SUCH", "-o", str(tmp_path / "a.pdf")]) == 1
    assert "没有编号为“NO-SUCH”的培训班" in capsys.readouterr().err
    assert (
        run(["--data-dir", data_dir, "docs", "signin", filed_class, "--date", "2020-01-01", "-o", str(tmp_path / "s.pdf")]) == 1
    )
    assert "没有课" in capsys.readouterr().err
    assert run(["--data-dir", data_dir, "docs", "archive", filed_class, "-o", str(tmp_path / "a.txt")]) == 1
    with pytest.raises(SystemExit) as usage:
        run(["--data-dir", data_dir, "docs", "signin", filed_class, "--date", "03/02", "-o", str(tmp_path / "s.pdf")])
    assert usage.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".docs-*"))


def test_building_into_a_stream_works_for_the_gui(register, filed_class) -> None:
    buf = io.BytesIO()
    with register.session() as s:
        build_signin(s, find_class(s, filed_class), buf, on=dt.date(2026, 3, 2))
    assert buf.getvalue().startswith(b"%PDF")


def test_archive_shows_the_decision_and_what_changed_after_approval(register, tmp_path: Path) -> None:
    from zunyi_trainer import lifecycle
    from zunyi_trainer.documents import build_archive
    from zunyi_trainer.models import ClassStatus

    with register.transaction() as s:
        cls = factories.training_class(s, trainees=3, sessions=2, code="CHG2026001", start_date=dt.date(2026, 3, 2))
        cls.status = ClassStatus.SUBMITTED
    with register.transaction() as s:
        cls = find_class(s, "CHG2026001")
        lifecycle.record_decision(
            s, cls, "approved", approval_no="汇人社培〔2026〕007号", decided_on=dt.date(2026, 2, 20), approver="汇川区人社局"
        )
    with register.transaction() as s:
        cls = find_class(s, "CHG2026001")
        cls.sessions[1].start_time = dt.time(15, 0)
    with register.session() as s:
        result = build_archive(s, find_class(s, "CHG2026001"), tmp_path / "a.pdf", store=register.attachments_dir)
    pdf = read_pdf(tmp_path / "a.pdf")
    approval_page = pdf.page_compact(result.sections["application"])
    assert "汇人社培〔2026〕007号" in approval_page and "汇川区人社局" in approval_page
    changes = pdf.page_compact(result.sections["changes"])
    assert "批准后共有1项变更" in changes
    assert "14:00:00→15:00:00" in changes
    audit_text = "".join(pdf.page_compact(n) for n in range(result.sections["audit"], result.sections["digest"]))
    assert "登记批准" in audit_text


@pytest.mark.sqlite_only(reason=LAYOUT_ONLY)
def test_archive_draws_photos_scaled_down_and_lists_unreadable_ones(register, tmp_path: Path) -> None:
    from zunyi_trainer.documents import build_archive
    from zunyi_trainer.models import AttachmentKind

    with register.transaction() as s:
        cls = factories.training_class(s, trainees=1, sessions=1, code="PHO2026001")
        attachments.add_attachment(
            s, register.attachments_dir, png(2400, 1800), filename="大合影.png", caption="结业合影", training_class=cls
        )
        attachments.add_attachment(
            s,
            register.attachments_dir,
            b"not an image at all",
            filename="损坏的照片.jpg",
            kind=AttachmentKind.PHOTO,
            caption="损坏",
            training_class=cls,
        )
    with register.session() as s:
        result = build_archive(s, find_class(s, "PHO2026001"), tmp_path / "a.pdf", store=register.attachments_dir)
    pdf = read_pdf(tmp_path / "a.pdf")
    photos_page = pdf.reader.pages[result.sections["photos"] - 1]
    images = [xo.get_object() for xo in photos_page["/Resources"]["/XObject"].values()]
    assert len(images) == 1
    assert max(images[0]["/Width"], images[0]["/Height"]) == 1600
    text = pdf.page_compact(result.sections["photos"])
    assert "结业合影" in text and "图片无法显示" in text
    assert "损坏的照片.jpg" in pdf.compact  # still in the file list with its hash


def test_documents_of_a_bare_draft_class_still_build(register, tmp_path: Path) -> None:
    from zunyi_trainer.documents import build_application, build_archive

    with register.transaction() as s:
        cls = factories.training_class(s, code="BARE2026001")
    with register.session() as s:
        cls = find_class(s, "BARE2026001")
        app = build_application(s, cls, tmp_path / "app.pdf")
        arc = build_archive(s, cls, tmp_path / "arc.pdf", store=register.attachments_dir)
    assert app.pages >= 7 and arc.pages >= 12
    text = read_pdf(tmp_path / "arc.pdf").compact
    assert "本班没有照片" in text and "本班没有附件" in text and "本班没有课程安排" in text
    assert page_numbers_add_up(read_pdf(tmp_path / "app.pdf"))


@pytest.mark.sqlite_only(reason=LAYOUT_ONLY)
def test_a_name_the_font_cannot_print_is_reported_not_silently_boxed(register, tmp_path: Path, capsys) -> None:
    with register.transaction() as s:
        cls = factories.training_class(s, trainees=2, sessions=1, code="RARE2026001")
        cls.enrollments[0].trainee.name = "王𠮷"
    with register.session() as s:
        result = build_signin(s, find_class(s, "RARE2026001"), tmp_path / "s.pdf")
    assert len(result.warnings) == 1
    assert "王𠮷" in result.warnings[0] and "（𠮷）" in result.warnings[0]
    data_dir = str(register.data_dir)
    register.close()
    assert run(["--data-dir", data_dir, "docs", "signin", "RARE2026001", "-o", str(tmp_path / "c.pdf")]) == 0
    assert "空白方框" in capsys.readouterr().err


@pytest.mark.sqlite_only(reason=LAYOUT_ONLY)
def test_free_text_longer_than_a_page_flows_across_pages(register, tmp_path: Path) -> None:
    from zunyi_trainer.documents import build_application, build_archive

    long_text = "\n".join(
        f"第{i}条：理论考试采用闭卷笔试，实操考核由考评员现场评分，两项均合格为结业合格。" * 3 for i in range(1, 80)
    )
    with register.transaction() as s:
        cls = factories.training_class(s, trainees=1, sessions=1, code="LONG2026001")
        cls.assessment_plan = long_text
        cls.decision_remarks = long_text
    with register.session() as s:
        cls = find_class(s, "LONG2026001")
        app = build_application(s, cls, tmp_path / "app.pdf")
        arc = build_archive(s, cls, tmp_path / "arc.pdf", store=register.attachments_dir)
    assert "第79条" in read_pdf(tmp_path / "app.pdf").compact
    assert "第79条" in read_pdf(tmp_path / "arc.pdf").compact
    assert app.pages > 8 and arc.pages > 13


def test_docs_fonts_command_remembers_and_forgets_the_body_font(register, tmp_path: Path, capsys) -> None:
    chosen = tmp_path / "simfang.ttf"
    chosen.write_bytes(fonts.fallback_font_path().read_bytes())
    data_dir = str(register.data_dir)
    register.close()
    assert run(["--data-dir", data_dir, "docs", "fonts", "--use", str(tmp_path / "missing.ttf")]) == 1
    assert run(["--data-dir", data_dir, "docs", "fonts", "--use", str(chosen)]) == 0
    assert run(["--data-dir", data_dir, "docs", "fonts"]) == 0
    assert f"本校选用的正文字体：{chosen}" in capsys.readouterr().out
    assert run(["--data-dir", data_dir, "docs", "fonts", "--builtin"]) == 0
    assert run(["--data-dir", data_dir, "docs", "fonts"]) == 0
    assert "本校选用的正文字体：（程序自带字体）" in capsys.readouterr().out
