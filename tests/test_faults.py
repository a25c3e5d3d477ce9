"""The worst day: a full disk and a killed process during backups, imports and exports.

A full disk is made real with RLIMIT_FSIZE in a child process (every write past the limit fails
with EFBIG, as on a full USB stick); a crash is a real SIGKILL at a random moment.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from zunyi_trainer.backups import check_file, list_backups
from zunyi_trainer.db import open_register
from zunyi_trainer.models import Attendance, Trainee

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE and SIGKILL are POSIX")


def _cli_with_file_limit(limit_bytes: int, *args: str) -> subprocess.CompletedProcess:
    """Run the command line with every file it writes capped at ``limit_bytes``."""
    code = textwrap.dedent(
        f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write with EFBIG instead of dying
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit_bytes}, {limit_bytes}))
        from zunyi_trainer.cli import run
        raise SystemExit(run({list(args)!r}))
        """
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env={**os.environ, "ZUNYI_TRAINER_LANG": "zh"}
    )


def _fingerprint(data_dir: Path) -> dict:
    reg = open_register(data_dir)
    try:
        with reg.session() as s:
            return {
                "trainees": s.scalar(sa.select(sa.func.count()).select_from(Trainee)),
                "attendance": s.scalar(sa.select(sa.func.count()).select_from(Attendance)),
            }
    finally:
        reg.close()


def test_disk_full_during_a_backup_says_so_and_leaves_no_half_file(demo_dir, tmp_path):
    size = (demo_dir / "register.sqlite3").stat().st_size
    target = tmp_path / "usb" / "backup.sqlite3"
    proc = _cli_with_file_limit(size // 3, "--data-dir", str(demo_dir), "db", "backup", "-o", str(target))
    assert proc.returncode == 1
    # EFBIG reaches SQLite as an I/O error; a really full disk (ENOSPC) as "disk is full".
    assert ("磁盘空间不足" in proc.stderr or "磁盘读写出错" in proc.stderr) and "没有改动" in proc.stderr
    assert "备份没有完成" in proc.stderr and "Traceback" not in proc.stderr
    assert not target.exists() and not list(target.parent.glob("*.partial"))
    assert check_file(demo_dir / "register.sqlite3") is None


def _roster_file(path: Path, rows: int) -> Path:
    import factories
    from openpyxl import Workbook

    from zunyi_trainer.demo import GIVEN, SURNAMES

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "性别", "公民身份号码", "联系电话", "文化程度", "人员类别"])
    for i in range(rows):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[(i * 7) % len(GIVEN)]
        ws.append([i + 1, name, "", factories.id_number(), f"139{i:08d}", "初中", "农村转移劳动力"])
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=5):
        for cell in row:
            cell.number_format = "@"
    wb.save(path)
    return path


@pytest.fixture
def small_school(data_dir):
    import factories

    reg = open_register(data_dir)
    with reg.transaction() as s:
        factories.training_class(s, code="IMP001", trainees=2)
    reg.close()
    return data_dir


def test_disk_full_during_a_roster_import_writes_nothing(small_school, tmp_path):
    pytest.importorskip("zunyi_trainer.roster")
    roster = _roster_file(tmp_path / "roster.xlsx", 1500)
    before = _fingerprint(small_school)
    size = (small_school / "register.sqlite3").stat().st_size
    # Room for the pre-import backup (a copy of the register) but not for 1,500 more trainees.
    proc = _cli_with_file_limit(
        size + 40_000, "--data-dir", str(small_school), "roster", "import", str(roster), "--class", "IMP001"
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "磁盘" in proc.stderr, proc.stderr
    assert check_file(small_school / "register.sqlite3") is None
    assert _fingerprint(small_school) == before


def test_a_failed_backup_before_an_import_stops_the_import(small_school, tmp_path):
    pytest.importorskip("zunyi_trainer.roster")
    roster = _roster_file(tmp_path / "roster.xlsx", 20)
    before = _fingerprint(small_school)
    size = (small_school / "register.sqlite3").stat().st_size
    proc = _cli_with_file_limit(size // 2, "--data-dir", str(small_school), "roster", "import", str(roster), "--class", "IMP001")
    assert proc.returncode == 1 and "备份没有完成" in proc.stderr, proc.stdout + proc.stderr
    assert _fingerprint(small_school) == before


def test_an_io_error_when_opening_is_not_called_damage(small_school):
    """A disk that cannot even hold SQLite's shared-memory file is a disk problem: the register
    must not be reported damaged (which would send the user to restore a backup for nothing)."""
    proc = _cli_with_file_limit(8_000, "--data-dir", str(small_school), "class", "list")
    assert proc.returncode == 1
    assert "已损坏" not in proc.stderr and "磁盘" in proc.stderr, proc.stderr
    assert check_file(small_school / "register.sqlite3") is None


KILL_BACKUP = textwrap.dedent(
    """
    import sys
    from zunyi_trainer.backups import create_backup
    from pathlib import Path
    data = Path(sys.argv[1])
    print("go", flush=True)
    while True:
        create_backup(data / "register.sqlite3", data / "backups", "loop", rotate=False)
    """
)


@pytest.mark.slow
def test_kill_9_during_backups_leaves_only_whole_verified_backups(demo_dir):
    rng = random.Random(4)
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, "-c", KILL_BACKUP, str(demo_dir)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert proc.stdout.readline().strip() == "go"
        time.sleep(rng.uniform(0.2, 1.0))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        for info in list_backups(demo_dir / "backups"):
            assert check_file(info.path) is None, info.path
        assert check_file(demo_dir / "register.sqlite3") is None
    reg = open_register(demo_dir)  # and the next backup cleans up what the killed one left
    try:
        reg.backup("manual")
    finally:
        reg.close()
    assert not list((demo_dir / "backups").glob("*.partial"))


KILL_MARKS = textwrap.dedent(
    """
    import sys
    import sqlalchemy as sa
    from zunyi_trainer.attendance import Mark, record_marks
    from zunyi_trainer.db import open_register
    from zunyi_trainer.models import AttendanceMethod, AttendanceStatus, ClassSession, Enrollment, TrainingClass
    reg = open_register(sys.argv[1])
    with reg.session() as s:
        c = s.scalars(sa.select(TrainingClass).where(TrainingClass.code == sys.argv[2])).one()
        marks = [Mark(x.id, e.id, AttendanceStatus.ABSENT) for x in c.sessions for e in c.enrollments]
    print(len(marks), flush=True)
    with reg.transaction() as s:
        record_marks(s, marks, method=AttendanceMethod.PAPER, recorded_by="crash", correction_reason="kill test")
    print("done", flush=True)
    """
)


@pytest.mark.slow
def test_kill_9_during_an_attendance_save_keeps_all_or_nothing(demo_dir):
    from zunyi_trainer.models import AttendanceStatus, ClassSession, Enrollment, TrainingClass

    def absent_count() -> int:
        reg = open_register(demo_dir)
        try:
            with reg.session() as s:
                c = s.scalars(sa.select(TrainingClass).where(TrainingClass.code == "RH2026010")).one()
                return s.scalar(
                    sa.select(sa.func.count())
                    .select_from(Attendance)
                    .join(ClassSession, ClassSession.id == Attendance.session_id)
                    .join(Enrollment, Enrollment.id == Attendance.enrollment_id)
                    .where(ClassSession.class_id == c.id, Attendance.status == AttendanceStatus.ABSENT)
                )
        finally:
            reg.close()

    rng = random.Random(9)
    total = None
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-c", KILL_MARKS, str(demo_dir), "RH2026010"], stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        total = int(proc.stdout.readline())
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert check_file(demo_dir / "register.sqlite3") is None
        assert absent_count() in (0, total)


def test_no_full_id_number_reaches_the_log(demo_dir, capsys):
    from zunyi_trainer.cli import run

    run(["--data-dir", str(demo_dir), "check", "RH2026011"])
    run(["--data-dir", str(demo_dir), "class", "submit", "RH2026011"])
    capsys.readouterr()
    reg = open_register(demo_dir)
    try:
        with reg.session() as s:
            numbers = set(s.scalars(sa.select(Trainee.id_number)))
    finally:
        reg.close()
    log_text = "".join(p.read_text(encoding="utf-8") for p in (demo_dir / "logs").glob("*.log*"))
    assert log_text, "the commands logged something"
    assert not [n for n in numbers if n in log_text]


def test_storage_errors_are_explained_in_chinese():
    import sqlite3

    from zunyi_trainer.errors import explain_storage_error

    full = explain_storage_error(sa.exc.OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full")))
    assert full is not None and full.code == "storage.full" and "磁盘空间不足" in full.message()
    assert explain_storage_error(OSError(5, "Input/output error")).code == "storage.io"
    assert explain_storage_error(OSError(30, "Read-only file system")).code == "storage.readonly"
    assert explain_storage_error(ValueError("something else")) is None
    assert json.dumps(full.message(), ensure_ascii=False)


KILL_EXPORT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from zunyi_trainer.db import open_register
    from zunyi_trainer.exchange.export import export_batch
    reg = open_register(sys.argv[1])
    print("go", flush=True)
    export_batch(reg, Path(sys.argv[2]), full=True)
    print("done", flush=True)
    """
)


@pytest.mark.slow
def test_kill_9_during_an_export_leaves_no_batch_file_and_no_used_number(demo_dir, tmp_path):
    pytest.importorskip("zunyi_trainer.exchange.export")
    from zunyi_trainer.models import ExportBatch

    rng = random.Random(21)
    usb = tmp_path / "usb"
    for _ in range(4):
        proc = subprocess.Popen(
            [sys.executable, "-c", KILL_EXPORT, str(demo_dir), str(usb)], stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        assert proc.stdout.readline().strip() == "go"
        time.sleep(rng.uniform(0.05, 1.2))
        os.kill(proc.pid, signal.SIGKILL)
        finished = proc.stdout.read().strip() == "done"
        proc.wait()
        reg = open_register(demo_dir)
        try:
            with reg.session() as s:
                used = s.scalars(sa.select(ExportBatch.seq)).all()
        finally:
            reg.close()
        zips = sorted(p.name for p in usb.glob("*.zip")) if usb.exists() else []
        if finished:
            continue
        # Either the batch was recorded and its file is complete, or neither happened.
        assert len(zips) == len(used), (zips, used)
    leftovers = [p.name for p in usb.glob(".*")] if usb.exists() else []
    reg = open_register(demo_dir)
    try:
        from zunyi_trainer.exchange.export import export_batch

        result = export_batch(reg, usb, full=True)  # the next export goes on without a gap
        with reg.session() as s:
            seqs = sorted(s.scalars(sa.select(ExportBatch.seq)))
    finally:
        reg.close()
    assert seqs == list(range(1, len(seqs) + 1)) and result.seq == seqs[-1]
    assert not [p for p in usb.glob(".*") if p.name in leftovers], "partial files of killed exports remain on the stick"


KILL_IMPORT = textwrap.dedent(
    """
    import sys
    from zunyi_trainer.cli import run
    print("go", flush=True)
    raise SystemExit(run(["--data-dir", sys.argv[1], "roster", "import", sys.argv[2], "--class", "IMP001"]))
    """
)


@pytest.mark.slow
def test_kill_9_during_a_roster_import_keeps_all_or_nothing(small_school, tmp_path):
    pytest.importorskip("zunyi_trainer.roster")
    roster = _roster_file(tmp_path / "roster.xlsx", 3000)
    before = _fingerprint(small_school)["trainees"]
    rng = random.Random(33)
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-c", KILL_IMPORT, str(small_school), str(roster)], stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        assert proc.stdout.readline().strip() == "go"
        time.sleep(rng.uniform(1.0, 4.0))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert check_file(small_school / "register.sqlite3") is None
        after = _fingerprint(small_school)["trainees"]
        assert after in (before, before + 3000)
        if after != before:
            break


# --- a batch export on a full or failing USB stick ---------------------------------------------


def _batches(data_dir: Path) -> list[int]:
    from zunyi_trainer.models import ExportBatch

    reg = open_register(data_dir)
    try:
        with reg.session() as s:
            return sorted(s.scalars(sa.select(ExportBatch.seq)))
    finally:
        reg.close()


def _files_of(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (hidden partial files included) with its content."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} if folder.exists() else {}


def _register_is_whole(data_dir: Path) -> None:
    from zunyi_trainer.cli import run

    assert check_file(data_dir / "register.sqlite3") is None
    assert run(["--data-dir", str(data_dir), "db", "verify-audit"]) == 0


def test_disk_full_during_a_batch_export_leaves_no_file_and_no_used_number(demo_dir, tmp_path):
    pytest.importorskip("zunyi_trainer.exchange.export")
    usb = tmp_path / "usb"
    before, kept_before = _fingerprint(demo_dir), _files_of(demo_dir / "batches")
    # The demo's full batch is about 2 MB: a stick with room for half of it.
    proc = _cli_with_file_limit(1_000_000, "--data-dir", str(demo_dir), "batch", "export", "--full", "-o", str(usb))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "写入批次时出错" in proc.stderr and "序号也没有占用" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert _files_of(usb) == {}  # neither the batch nor its partial file
    assert _files_of(demo_dir / "batches") == kept_before  # nor the kept copy
    assert _batches(demo_dir) == []
    assert _fingerprint(demo_dir) == before
    _register_is_whole(demo_dir)
    # With room again, the export takes number 1: nothing was used up.
    from zunyi_trainer.cli import run

    assert run(["--data-dir", str(demo_dir), "batch", "export", "--full", "-o", str(usb)]) == 0
    assert _batches(demo_dir) == [1] and len(list(usb.glob("*.zip"))) == 1


def _failing_write(original, fail_at: int, calls: list[int]):
    """Stands in for ``FileSink.write``: the ``fail_at``-th write of the export raises EIO, as a
    USB stick pulled out or a failing sector does."""
    import errno

    def write(sink, data: bytes) -> int:
        calls.append(len(data))
        if len(calls) == fail_at:
            raise OSError(errno.EIO, "Input/output error")
        return original(sink, data)

    return write


# An unraisable exception (ZipFile.__del__ on a closed file) is printed to the user's stderr as a traceback.
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("fail_at", [1, 60, 250], ids=["first-write", "in-the-records", "near-the-end"])
def test_an_io_error_during_a_batch_export_is_explained_and_leaves_earlier_batches_intact(
    demo_dir, tmp_path, monkeypatch, capsys, fail_at
):
    export = pytest.importorskip("zunyi_trainer.exchange.export")
    from zunyi_trainer.cli import run

    usb = tmp_path / "usb"
    assert run(["--data-dir", str(demo_dir), "batch", "export", "--full", "-o", str(usb)]) == 0
    first_usb, first_kept = _files_of(usb), _files_of(demo_dir / "batches")
    assert _batches(demo_dir) == [1] and len(first_usb) == 1
    before = _fingerprint(demo_dir)
    capsys.readouterr()

    calls: list[int] = []
    monkeypatch.setattr(export.FileSink, "write", _failing_write(export.FileSink.write, fail_at, calls))
    code = run(["--data-dir", str(demo_dir), "batch", "export", "--full", "-o", str(usb)])
    out, err = capsys.readouterr()
    assert len(calls) >= fail_at  # the fault really happened during the export
    assert code == 1
    assert "写入批次时出错" in err and "Input/output error" in err and "序号也没有占用" in err, err
    assert "Traceback" not in out + err
    # The earlier batch, on the stick and in the kept copies, is untouched; nothing new is there.
    assert _files_of(usb) == first_usb
    assert _files_of(demo_dir / "batches") == first_kept
    assert _batches(demo_dir) == [1]
    assert _fingerprint(demo_dir) == before
    _register_is_whole(demo_dir)

    monkeypatch.undo()
    assert run(["--data-dir", str(demo_dir), "batch", "export", "-o", str(usb)]) == 0
    assert _batches(demo_dir) == [1, 2]  # the failed export left no gap
