"""Exporting batches: a valid BagIt bag, every record accounted for, incremental batches after
edits and deletions, sequence numbers used only by complete batches, same rows same bytes."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import bagit
import openpyxl
import pytest
import sqlalchemy as sa

from tests import factories
from tests.exchange_fixtures import header, members, records, root_of
from zunyi_trainer import audit
from zunyi_trainer.cli import run
from zunyi_trainer.db import Register
from zunyi_trainer.exchange import export, signing
from zunyi_trainer.exchange.export import BatchPlan, ExportError, build_to_bytes, export_batch, redeliver
from zunyi_trainer.exchange.tables import TABLES
from zunyi_trainer.exchange.verify import verify_batch
from zunyi_trainer.models import (
    Attendance,
    AuditEvent,
    BatchKind,
    ClassStatus,
    Enrollment,
    ExportBatch,
    Institution,
    Teacher,
    Trainee,
)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_full_batch_is_a_bag_the_bagit_library_validates(demo_register: Register, tmp_path: Path) -> None:
    result = export_batch(demo_register, tmp_path / "usb", documents=False)
    with zipfile.ZipFile(result.path) as zf:
        zf.extractall(tmp_path / "unpacked")
    bag = bagit.Bag(str(tmp_path / "unpacked" / root_of(result.path)))
    bag.validate()  # raises BagValidationError when anything is off
    assert bag.info["Zunyi-Batch-Sequence"] == "1"
    assert "data/batch.json" in set(bag.payload_files())


def test_round_trip_accounts_for_every_record_of_every_table(demo_register: Register, tmp_path: Path) -> None:
    result = export_batch(demo_register, tmp_path, documents=False)
    report = verify_batch(result.path)
    assert report.seq == 1 and report.kind == "full" and report.sha256 == result.sha256
    with demo_register.session() as s:
        for spec in TABLES:
            in_register = {str(u) for u in s.scalars(sa.select(spec.table.c.uuid))}
            lines = records(result.path, spec.name)
            assert {line["uuid"] for line in lines} == in_register, spec.name
            assert len(lines) == len(in_register), f"{spec.name} has duplicate lines"
            assert report.record_counts[spec.name] == {"records": len(in_register), "deleted": 0}
    assert sum(c["records"] for c in report.record_counts.values()) > 2000


def test_records_point_at_each_other_by_uuid_never_by_local_id(demo_register: Register, tmp_path: Path) -> None:
    result = export_batch(demo_register, tmp_path, documents=False)
    classes = {r["uuid"] for r in records(result.path, "classes")}
    trainees = {r["uuid"] for r in records(result.path, "trainees")}
    enrolments = records(result.path, "enrolments")
    assert enrolments and all(e["class_uuid"] in classes and e["trainee_uuid"] in trainees for e in enrolments)
    for spec in TABLES:
        for line in records(result.path, spec.name)[:5]:
            assert "id" not in line and not any(k.endswith("_id") for k in line), (spec.name, sorted(line))
    cls = records(result.path, "classes")[0]
    assert cls["trade_code"] and isinstance(cls["fee_fen"], int)
    assert records(result.path, "institution")[0]["trade_codes"]


def test_every_member_name_is_ascii_under_one_bag_folder(demo_register: Register, tmp_path: Path) -> None:
    result = export_batch(demo_register, tmp_path, documents=False)
    names = list(members(result.path))
    root = root_of(result.path)
    assert all(n.isascii() and n.startswith(root + "/") for n in names)
    assert len(names) == len(set(names))
    assert any(n.startswith(f"{root}/data/attachments/") for n in names)


def test_attachment_content_travels_named_by_its_hash(demo_register: Register, tmp_path: Path) -> None:
    result = export_batch(demo_register, tmp_path, documents=False)
    content = members(result.path)
    root = root_of(result.path)
    index = records(result.path, "attachments")
    assert index
    for line in index:
        assert line["file"] == f"attachments/{line['sha256']}"
        assert len(content[f"{root}/data/{line['file']}"]) == line["size"]


def test_first_batch_is_full_and_the_next_incremental_carries_nothing_when_nothing_changed(
    demo_register: Register, tmp_path: Path
) -> None:
    first = export_batch(demo_register, tmp_path, documents=False)
    second = export_batch(demo_register, tmp_path, documents=False)
    assert (first.seq, first.kind, second.seq, second.kind) == (1, BatchKind.FULL, 2, BatchKind.INCREMENTAL)
    h = header(second.path)
    assert h["prev_sha256"] == first.sha256
    assert h["period"]["after_change"] == header(first.path)["period"]["through_change"]
    assert all(c == {"records": 0, "deleted": 0} for c in h["record_counts"].values())
    with demo_register.session() as s:
        rows = s.scalars(sa.select(ExportBatch).order_by(ExportBatch.seq)).all()
        assert [(b.seq, b.sha256, b.prev_sha256) for b in rows] == [(1, first.sha256, ""), (2, second.sha256, first.sha256)]
        assert json.loads(rows[0].record_counts)["trainees"]["records"] == 288
        assert s.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "batch_exported")) == 2


def test_incremental_batch_carries_edits_additions_and_deletions_as_tombstones(demo_register: Register, tmp_path: Path) -> None:
    first = export_batch(demo_register, tmp_path, documents=False)
    with demo_register.transaction() as s:
        trainee = s.scalars(sa.select(Trainee).order_by(Trainee.id)).first()
        trainee.phone = "13800000000"
        enrolment = s.scalars(sa.select(Enrollment).join(Attendance).order_by(Enrollment.id)).first()
        gone = str(enrolment.uuid)
        gone_marks = {str(a.uuid) for a in enrolment.attendance}
        s.delete(enrolment)
        newcomer = factories.teacher(s, institution=s.scalars(sa.select(Institution)).one(), name="新来的老师")
        edited, added = str(trainee.uuid), str(newcomer.uuid)
    second = export_batch(demo_register, tmp_path, documents=False)
    report = verify_batch(second.path, known={1: first.sha256})
    assert report.chain_checked and report.kind == "incremental"

    trainees = records(second.path, "trainees")
    assert [(t["uuid"], t["phone"], t["_op"]) for t in trainees] == [(edited, "13800000000", "upsert")]
    assert [(t["uuid"], t["_op"]) for t in records(second.path, "teachers")] == [(added, "upsert")]
    assert records(second.path, "enrolments") == [{"_op": "delete", "uuid": gone}]
    marks = records(second.path, "attendance")
    assert {m["uuid"] for m in marks} == gone_marks and all(m["_op"] == "delete" for m in marks)
    assert records(second.path, "classes") == []
    counts = header(second.path)["record_counts"]
    assert counts["attendance"] == {"records": 0, "deleted": len(gone_marks)}
    # A full batch afterwards carries everything as it is now, and no tombstones.
    third = export_batch(demo_register, tmp_path, full=True, documents=False)
    assert gone not in {e["uuid"] for e in records(third.path, "enrolments")}
    assert all(c["deleted"] == 0 for c in header(third.path)["record_counts"].values())
    assert verify_batch(third.path, known={1: first.sha256, 2: second.sha256}).chain_checked


def test_interrupted_export_leaves_no_file_and_uses_no_number(
    demo_register: Register, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cut(*args, **kwargs):
        raise KeyboardInterrupt  # the user pulls the plug half-way through the workbook

    monkeypatch.setattr(export.WorkbookWriter, "finish", cut)
    with pytest.raises(KeyboardInterrupt):
        export_batch(demo_register, tmp_path / "usb", documents=False)
    assert _files(tmp_path / "usb") == []
    assert _files(export.store_dir(demo_register.data_dir)) == []
    monkeypatch.undo()
    with demo_register.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ExportBatch)) == 0
    assert export_batch(demo_register, tmp_path / "usb", documents=False).seq == 1


def test_a_failure_while_recording_the_batch_removes_its_files(
    demo_register: Register, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args, **kwargs):
        raise OSError("disk full while recording")

    monkeypatch.setattr(export.audit, "record_operation", refuse)
    with pytest.raises(ExportError, match="没有占用"):
        export_batch(demo_register, tmp_path / "usb", documents=False)
    assert _files(tmp_path / "usb") == []
    assert _files(export.store_dir(demo_register.data_dir)) == []
    with demo_register.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ExportBatch)) == 0


def test_the_same_rows_and_sequence_give_the_same_bytes(demo_register: Register) -> None:
    key = signing.load_or_create_key(demo_register.data_dir)
    with demo_register.session() as s:
        inst = s.scalars(sa.select(Institution)).one()
        plan = BatchPlan(
            inst, 1, BatchKind.FULL, 0, 10**9, "", dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC), None, documents=False
        )
        one = build_to_bytes(s, plan, key, demo_register.data_dir)
        two = build_to_bytes(s, plan, key, demo_register.data_dir)
    assert one == two


def test_export_again_delivers_the_same_bytes(demo_register: Register, tmp_path: Path) -> None:
    first = export_batch(demo_register, tmp_path / "a", documents=False)
    with demo_register.transaction() as s:
        s.scalars(sa.select(Teacher)).first().phone = "13900000000"  # the register moves on
    again = redeliver(demo_register, 1, tmp_path / "b")
    assert again.read_bytes() == first.path.read_bytes()
    with pytest.raises(Exception, match="没有序号为 9 的批次"):
        redeliver(demo_register, 9, tmp_path / "b")


def test_export_again_refuses_a_damaged_kept_copy(demo_register: Register, tmp_path: Path) -> None:
    first = export_batch(demo_register, tmp_path / "a", documents=False)
    kept = export.store_dir(demo_register.data_dir) / first.path.name
    kept.write_bytes(kept.read_bytes()[:-10])
    with pytest.raises(ExportError, match="缺失或已损坏"):
        redeliver(demo_register, 1, tmp_path / "b")


def test_workbook_holds_the_same_rows_with_chinese_headings(demo_register: Register, tmp_path: Path) -> None:
    result = export_batch(demo_register, tmp_path, documents=False)
    root = root_of(result.path)
    book_path = tmp_path / "book.xlsx"
    book_path.write_bytes(members(result.path)[f"{root}/data/workbook.xlsx"])
    book = openpyxl.load_workbook(book_path, read_only=True)
    assert book.sheetnames[0] == "说明"
    sheet = book["学员"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) - 1 == len(records(result.path, "trainees"))
    assert "身份证号" in rows[0] and "姓名" in rows[0][rows[0].index("名称/姓名")]
    classes = list(book["培训班"].iter_rows(values_only=True))
    fee = classes[0].index("培训费(元)")
    assert all(isinstance(r[fee], int | float) for r in classes[1:])  # yuan, as numbers


def test_a_register_without_a_school_cannot_export(register: Register, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="还没有学校信息"):
        export_batch(register, tmp_path / "usb")
    assert _files(tmp_path / "usb") == []


def test_cli_exports_lists_and_shows_the_key(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data-dir", str(demo_dir), "batch", "export", "--no-documents", "-o", str(tmp_path / "usb")]) == 0
    out = capsys.readouterr().out
    assert "已导出全量批次 1" in out and "SHA256:" in out
    assert run(["--data-dir", str(demo_dir), "batch", "export", "--no-documents", "-o", str(tmp_path / "usb")]) == 0
    assert run(["--data-dir", str(demo_dir), "batch", "list"]) == 0
    listing = capsys.readouterr().out
    assert "增量" in listing and "已导出" in listing
    assert run(["--data-dir", str(demo_dir), "batch", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["seq"] for r in rows] == [1, 2] and rows[0]["state"] == "exported"
    assert run(["--data-dir", str(demo_dir), "batch", "key", "--export", str(tmp_path / "school.pub")]) == 0
    shown = capsys.readouterr().out
    key = signing.load_public_key((tmp_path / "school.pub").read_bytes())
    assert signing.fingerprint(key) in shown
    assert header(tmp_path / "usb" / rows[0]["filename"])["key_fingerprint"] == signing.fingerprint(key)
    assert run(["--data-dir", str(demo_dir), "batch", "export", "--again", "1", "-o", str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / rows[0]["filename"]).read_bytes() == (tmp_path / "usb" / rows[0]["filename"]).read_bytes()


def test_batch_carries_the_documents_of_classes_that_have_them(register: Register, tmp_path: Path) -> None:
    with register.transaction() as s:
        submitted = factories.training_class(
            s,
            code="DOC001",
            trainees=3,
            sessions=4,
            status=ClassStatus.SUBMITTED,
            submitted_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        )
        factories.training_class(s, code="DOC002")  # a draft has no application yet
        code = submitted.code
    result = export_batch(register, tmp_path / "usb")
    root = root_of(result.path)
    docs = {n.removeprefix(f"{root}/data/documents/"): d for n, d in members(result.path).items() if "/documents/" in n}
    assert list(docs) == [f"{code}/application.pdf"]
    assert docs[f"{code}/application.pdf"].startswith(b"%PDF")
    assert header(result.path)["documents"] == {"included": True, "files": 1, "note": ""}
    assert verify_batch(result.path).seq == 1
    without = export_batch(register, tmp_path / "usb", full=True, documents=False)
    assert header(without.path)["documents"]["included"] is False
    assert "--no-documents" in header(without.path)["documents"]["note"]


def test_progress_is_reported_up_to_the_total(demo_register: Register, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    export_batch(demo_register, tmp_path, documents=False, progress=lambda done, total: seen.append((done, total)))
    total = seen[-1][1]
    assert seen[-1][0] == total and all(t == total for _d, t in seen)
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)  # never goes backwards
    assert len(seen) > 3


def test_an_audit_event_whose_key_is_not_a_uuid_names_nothing_that_travels(demo_register: Register, tmp_path: Path) -> None:
    export_batch(demo_register, tmp_path, documents=False)
    with demo_register.transaction() as s:
        audit.append_events(
            s.connection(),
            [{"action": "update", "table_name": "trainee", "record_key": "42", "class_uuid": None, "changes": {}}],
        )
    second = export_batch(demo_register, tmp_path, documents=False)
    assert records(second.path, "trainees") == []
    assert verify_batch(second.path).seq == 2


def test_leftovers_of_a_killed_export_are_cleared_and_the_number_reused(demo_register: Register, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    store = export.store_dir(demo_register.data_dir)
    store.mkdir()
    name = "zunyi-batch-52520382AY4CL12THT-000001.zip"
    (usb / f".{name}.partial").write_bytes(b"half a batch")  # as a kill -9 during the write leaves it
    (store / f".{name}.partial").write_bytes(b"half a copy")
    result = export_batch(demo_register, usb, documents=False)
    assert result.seq == 1
    assert _files(usb) == [result.path.name] and _files(store) == [result.path.name]


def test_a_stick_pulled_at_the_last_rename_leaves_no_batch_and_no_kept_copy(
    demo_register: Register, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = export.os.replace

    def replace(src, dst):
        if Path(dst).parent == tmp_path / "usb":
            raise OSError(5, "Input/output error")
        return real_replace(src, dst)

    monkeypatch.setattr(export.os, "replace", replace)
    with pytest.raises(ExportError, match="U 盘是否已拔出"):
        export_batch(demo_register, tmp_path / "usb", documents=False)
    monkeypatch.undo()
    assert _files(tmp_path / "usb") == [] and _files(export.store_dir(demo_register.data_dir)) == []
    with demo_register.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ExportBatch)) == 0


def test_an_incremental_batch_carries_new_documents_of_a_class_whose_roster_changed(register: Register, tmp_path: Path) -> None:
    with register.transaction() as s:
        cls = factories.training_class(
            s,
            code="DOC003",
            trainees=2,
            sessions=2,
            status=ClassStatus.SUBMITTED,
            submitted_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        )
        factories.training_class(
            s, code="DOC004", status=ClassStatus.SUBMITTED, submitted_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
        )
        class_id = cls.id
    export_batch(register, tmp_path / "usb", documents=False)
    with register.transaction() as s:
        enrolment = s.scalars(sa.select(Enrollment).where(Enrollment.class_id == class_id)).first()
        enrolment.notes = "换了联系电话"  # the class row itself is untouched
    second = export_batch(register, tmp_path / "usb")
    assert records(second.path, "classes") == []
    root = root_of(second.path)
    docs = sorted(n.removeprefix(f"{root}/data/documents/") for n in members(second.path) if "/documents/" in n)
    assert docs == ["DOC003/application.pdf"]


def test_progress_counts_each_document_as_a_step(register: Register, tmp_path: Path) -> None:
    with register.transaction() as s:
        for code in ("DOC005", "DOC006"):
            factories.training_class(
                s, code=code, status=ClassStatus.SUBMITTED, submitted_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
            )
    seen: list[tuple[int, int]] = []
    export_batch(register, tmp_path, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1]
    assert seen[-1][1] > seen[0][1]  # the total grew by the documents once they were known
    assert len({d for d, _t in seen}) >= 4


def test_exporting_into_the_folder_of_kept_copies_is_refused(demo_register: Register) -> None:
    with pytest.raises(ExportError, match="留存批次副本"):
        export_batch(demo_register, export.store_dir(demo_register.data_dir), documents=False)
    with demo_register.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ExportBatch)) == 0


def test_class_codes_that_are_not_ascii_give_distinct_ascii_folders(register: Register, tmp_path: Path) -> None:
    with register.transaction() as s:
        for code in ("茶艺2026-01", "酒艺2026-01"):
            factories.training_class(
                s, code=code, status=ClassStatus.SUBMITTED, submitted_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
            )
    result = export_batch(register, tmp_path)
    folders = {n.split("/")[3] for n in members(result.path) if "/documents/" in n}
    assert len(folders) == 2 and all(f.isascii() for f in folders)
    assert verify_batch(result.path).seq == 1


def test_cli_key_is_shown_while_the_register_is_open_and_refused_without_one(
    demo_register: Register, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--data-dir", str(demo_register.data_dir), "batch", "key"]) == 0
    shown = capsys.readouterr().out
    assert signing.fingerprint(signing.load_or_create_key(demo_register.data_dir).public_key()) in shown
    assert run(["--data-dir", str(tmp_path / "nothing"), "batch", "key"]) == 1
    assert "没有找到登记册" in capsys.readouterr().err
    assert not (tmp_path / "nothing" / "keys").exists()
