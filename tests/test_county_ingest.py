"""County ingest: several schools' batches merged by school and UUID; replays, gaps, forks,
tampered and forged batches each refused with their reason and nothing half merged."""

from __future__ import annotations

import contextlib
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests import factories
from tests.county_fixtures import (
    NO_POSTGRES,
    POSTGRES_SERVER,
    add_class,
    class_by_code,
    county_register,
    new_school,
    register_school,
    table_counts,
)
from tests.exchange_fixtures import members, records, resign, root_of, tampered, write_zip
from zunyi_trainer.county.ingest import ACCEPTED, REFUSED, REPLAY, ingest_batch, ingest_batches
from zunyi_trainer.county.state import county_batch, county_record
from zunyi_trainer.exchange import signing
from zunyi_trainer.exchange.tables import TABLES
from zunyi_trainer.models import Attendance, ClassSession, Enrollment, Institution, Trainee, TrainingClass


class _Schools:
    """Schools made on first use: schools[0] is school 1, and so on."""

    def __init__(self, template: Path, base: Path) -> None:
        self.template, self.base, self.made = template, base, {}

    def __getitem__(self, i: int):
        if i not in self.made:
            self.made[i] = new_school(self.template, self.base, i + 1)
        return self.made[i]

    def __iter__(self):
        return (self[i] for i in range(3))


@pytest.fixture
def schools(empty_template: Path, tmp_path: Path):
    made = _Schools(empty_template, tmp_path)
    yield made
    for school in made.made.values():
        school.close()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.skipif(not POSTGRES_SERVER, reason=NO_POSTGRES)]),
    ]
)
def county(request, empty_template: Path, tmp_path: Path):
    """The county database: a SQLite register of its own, and the same on PostgreSQL when a server is there."""
    with contextlib.ExitStack() as stack:
        url = None
        if request.param == "postgresql":  # a copy of the session's migrated template database
            server = request.getfixturevalue("postgres_server")
            name = server.take(request.getfixturevalue("postgres_empty_template"))
            stack.callback(server.release, name)
            url = server.url_for(name)
        reg = county_register(empty_template, tmp_path, url)
        stack.callback(reg.close)
        yield reg


def _uuids(reg, model) -> set[str]:
    with reg.session() as s:
        return {str(u) for u in s.scalars(sa.select(model.uuid))}


def test_batches_of_several_schools_are_merged_record_for_record(schools, county) -> None:
    batches = []
    for n, school in enumerate(schools):
        add_class(school, trainees=3 + n, sessions=4)
        register_school(county, school)
        batches.append(school.export().path)
    results = ingest_batches(county, batches)
    assert [r.status for r in results] == [ACCEPTED] * 3, [r.message for r in results]
    for spec in TABLES:
        in_batches = {line["uuid"] for b in batches for line in records(b, spec.name)}
        assert _uuids(county, spec.model) >= in_batches, spec.name
        if spec.name != "institution":
            assert _uuids(county, spec.model) == in_batches, spec.name
    with county.session() as s:
        # Foreign keys were remapped to the county's own ids: every enrolment points at a trainee of its school.
        for e in s.scalars(sa.select(Enrollment)):
            assert e.trainee.institution_id == e.training_class.institution_id
        assert s.scalar(sa.select(sa.func.count()).select_from(Institution)) == 3
        assert s.scalar(sa.select(sa.func.count()).select_from(Trainee)) == 3 + 4 + 5


def test_records_keep_their_values_through_the_merge(schools, county) -> None:
    school = schools[0]
    code = add_class(school, trainees=2, sessions=2)
    register_school(county, school)
    batch = school.export().path
    assert ingest_batch(county, batch).status == ACCEPTED
    with school.register.session() as s, county.session() as c:
        mine, theirs = class_by_code(s, code), class_by_code(c, code)
        for col in TrainingClass.__table__.columns:
            if col.name.endswith("_id") or col.name == "id":
                continue
            assert getattr(mine, col.name) == getattr(theirs, col.name), col.name
        assert theirs.trade.code == mine.trade.code
        marks = {(str(a.session.uuid), str(a.enrollment.uuid), a.status) for a in c.scalars(sa.select(Attendance))}
        assert marks == {(str(a.session.uuid), str(a.enrollment.uuid), a.status) for a in s.scalars(sa.select(Attendance))}


def test_incremental_batch_applies_updates_and_deletions_in_order(schools, county) -> None:
    school = schools[0]
    code = add_class(school, trainees=3, sessions=2)
    register_school(county, school)
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    with school.register.transaction() as s:
        cls = class_by_code(s, code)
        cls.name = "改名后的茶艺师班"
        gone = cls.enrollments[0]
        gone_uuid, trainee_uuid = str(gone.uuid), str(gone.trainee.uuid)
        trainee = gone.trainee
        s.delete(gone)  # its attendance goes with it
        s.flush()
        s.delete(trainee)
        cls.sessions[0].topic = "茶具认识"
    result = ingest_batch(county, school.export().path)
    assert result.status == ACCEPTED, result.message
    assert result.applied.deleted >= 2 + 2  # the enrolment, its trainee and the enrolment's marks
    with county.session() as c:
        assert class_by_code(c, code).name == "改名后的茶艺师班"
        assert gone_uuid not in {str(u) for u in c.scalars(sa.select(Enrollment.uuid))}
        assert trainee_uuid not in {str(u) for u in c.scalars(sa.select(Trainee.uuid))}
        assert "茶具认识" in set(c.scalars(sa.select(ClassSession.topic)))
        owned = {str(u) for u in c.scalars(sa.select(county_record.c.record_uuid))}
        assert gone_uuid not in owned and trainee_uuid not in owned


def test_the_same_batch_twice_is_a_replay_that_changes_nothing(schools, county) -> None:
    school = schools[0]
    add_class(school)
    register_school(county, school)
    batch = school.export().path
    assert ingest_batch(county, batch).status == ACCEPTED
    before = table_counts(county)
    again = ingest_batch(county, batch)
    assert again.status == REPLAY and again.code == "batch.replay"
    assert "已经接收过" in again.message and "没有任何改动" in again.message
    assert table_counts(county) == before


def test_a_gap_in_the_sequence_is_refused(schools, county) -> None:
    school = schools[0]
    add_class(school)
    register_school(county, school)
    first = school.export().path
    add_class(school)
    school.export()  # batch 2 never reaches the county
    add_class(school)
    third = school.export().path
    assert ingest_batch(county, first).status == ACCEPTED
    before = table_counts(county)
    result = ingest_batch(county, third)
    assert result.status == REFUSED and result.code == "batch.gap"
    assert "缺少批次 2" in result.message
    assert table_counts(county) == before


def test_an_incremental_batch_cannot_start_a_schools_chain(schools, county) -> None:
    school = schools[0]
    add_class(school)
    register_school(county, school)
    school.export()
    add_class(school)
    second = school.export().path
    result = ingest_batch(county, second)
    assert result.status == REFUSED and result.code == "batch.gap"
    assert "缺少批次 1：" in result.message and "全量批次" in result.message
    assert table_counts(county)["institution"] == 0


def test_a_later_full_batch_may_start_a_schools_chain(schools, county) -> None:
    school = schools[0]
    add_class(school)
    register_school(county, school)
    school.export()
    add_class(school)
    full = school.export(full=True).path
    result = ingest_batch(county, full)
    assert result.status == ACCEPTED, result.message
    assert result.seq == 2


def test_a_fork_of_the_sequence_is_refused(schools, county, tmp_path: Path) -> None:
    school = schools[0]
    add_class(school)
    register_school(county, school)
    first = school.export().path
    # A copy of the school's register (same key) goes on, and so does the original: two batch 2s.
    twin_dir = tmp_path / "twin"
    school.register.close()
    shutil.copytree(school.data_dir, twin_dir, ignore=shutil.ignore_patterns("*.lock", "logs"))
    from zunyi_trainer.db import open_register
    from zunyi_trainer.exchange.export import export_batch

    school.register = open_register(school.data_dir)
    add_class(school, trade="评茶员")
    ours = school.export().path
    twin = open_register(twin_dir)
    try:
        with twin.transaction() as s:
            factories.trainee(s, institution=factories.institution(s))
        other = export_batch(twin, tmp_path / "twin-usb", documents=False).path
    finally:
        twin.close()
    assert ingest_batch(county, first).status == ACCEPTED
    assert ingest_batch(county, ours).status == ACCEPTED
    before = table_counts(county)
    result = ingest_batch(county, other)
    assert result.status == REFUSED and result.code == "batch.fork"
    assert table_counts(county) == before


@pytest.mark.parametrize(
    ("how", "code"),
    [
        ("edited_payload", "batch.checksum"),
        ("dropped_file", "batch.missing_file"),
        ("other_key", "batch.wrong_key"),
    ],
)
def test_tampered_batches_are_refused_with_their_reason(schools, county, tmp_path: Path, how: str, code: str) -> None:
    school = schools[0]
    add_class(school)
    register_school(county, school)
    batch = school.export().path
    root = root_of(batch)

    def change(entries: dict[str, bytes]) -> dict[str, bytes]:
        name = f"{root}/data/records/trainees.jsonl"
        if how == "edited_payload":
            entries[name] = entries[name].replace("学员".encode(), "某某".encode(), 1)
        elif how == "dropped_file":
            del entries[name]
        else:
            entries[name] = entries[name].replace("学员".encode(), "某某".encode(), 1)
            entries = resign(entries, root, signing.Ed25519PrivateKey.generate())
        return entries

    bad = tampered(batch, tmp_path / batch.name, change)
    before = table_counts(county)
    result = ingest_batch(county, bad)
    assert result.status == REFUSED and result.code == code, result.message
    assert table_counts(county) == before
    assert ingest_batch(county, batch).status == ACCEPTED  # the genuine batch still goes in


def test_a_batch_with_a_duplicate_member_is_refused(schools, county, tmp_path: Path) -> None:
    school = schools[0]
    add_class(school)
    register_school(county, school)
    batch = school.export().path
    entries = list(members(batch).items())
    name, data = next((n, d) for n, d in entries if n.endswith("records/trainees.jsonl"))
    doubled = write_zip(tmp_path / batch.name, [*entries, (name, data.replace("学员".encode(), "某某".encode()))])
    result = ingest_batch(county, doubled)
    assert result.status == REFUSED and result.code == "batch.duplicate", result.message
    assert table_counts(county)["trainee"] == 0


def test_a_batch_from_an_unregistered_school_is_refused(schools, county) -> None:
    school = schools[0]
    add_class(school)
    result = ingest_batch(county, school.export().path)
    assert result.status == REFUSED and result.code == "county.unregistered"
    assert "county keys add" in result.message


def test_a_file_that_is_not_a_batch_is_refused_with_the_verifiers_reason(county, tmp_path: Path) -> None:
    junk = tmp_path / "notes.zip"
    junk.write_bytes(b"not a zip at all")
    result = ingest_batch(county, junk)
    assert result.status == REFUSED and result.code == "batch.not_zip"
    traversal = write_zip(tmp_path / "evil.zip", [("../evil.txt", b"x")])
    assert ingest_batch(county, traversal).code == "batch.path_traversal"


def _forge(school, batch: Path, target: Path, change) -> Path:
    """A batch changed and signed again with the school's own key: it verifies, the merge must judge it."""
    key = signing.load_or_create_key(school.data_dir)
    root = root_of(batch)
    target.parent.mkdir(parents=True, exist_ok=True)
    return tampered(batch, target, lambda entries: resign(change(entries, root), root, key))


def test_a_batch_that_fails_half_way_through_the_merge_leaves_nothing_behind(schools, county, tmp_path: Path) -> None:
    school = schools[0]
    add_class(school, trainees=3, sessions=2)
    register_school(county, school)
    batch = school.export().path

    def dangling(entries, root):
        name = f"{root}/data/records/enrolments.jsonl"
        lines = entries[name].decode().splitlines()
        lines[-1] = lines[-1].replace(records(batch, "enrolments")[-1]["trainee_uuid"], "00000000-0000-4000-8000-000000000000")
        entries[name] = ("\n".join(lines) + "\n").encode()
        return entries

    forged = _forge(school, batch, tmp_path / "forged" / batch.name, dangling)
    before = table_counts(county)
    result = ingest_batch(county, forged)
    assert result.status == REFUSED and result.code == "county.dangling", result.message
    assert table_counts(county) == before  # institution, teachers, classes … all rolled back
    with county.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(county_batch)) == 0


def test_a_school_cannot_touch_another_schools_records(schools, county, tmp_path: Path) -> None:
    a, b = schools[0], schools[1]
    add_class(a)
    add_class(b)
    register_school(county, a)
    register_school(county, b)
    batch_a, batch_b = a.export().path, b.export().path
    assert ingest_batch(county, batch_a).status == ACCEPTED
    victim = records(batch_a, "trainees")[0]

    def steal(entries, root):
        name = f"{root}/data/records/trainees.jsonl"
        own = entries[name].decode().splitlines()
        line = own[0].replace(records(batch_b, "trainees")[0]["uuid"], victim["uuid"])
        entries[name] = ("\n".join([line, *own[1:]]) + "\n").encode()
        return entries

    forged = _forge(b, batch_b, tmp_path / "forged" / batch_b.name, steal)
    result = ingest_batch(county, forged)
    assert result.status == REFUSED and result.code == "county.foreign_record", result.message
    with county.session() as s:
        assert s.scalar(sa.select(Trainee.name).where(Trainee.uuid == uuid.UUID(victim["uuid"]))) == victim["name"]


def test_a_full_batch_is_a_snapshot_removing_what_the_school_no_longer_holds(schools, county) -> None:
    school = schools[0]
    code = add_class(school, trainees=2, sessions=2)
    keep = add_class(school, trainees=2, sessions=2)
    register_school(county, school)
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    with school.register.transaction() as s:
        s.delete(class_by_code(s, code))
    result = ingest_batch(county, school.export(full=True).path)
    assert result.status == ACCEPTED, result.message
    with county.session() as s:
        codes = set(s.scalars(sa.select(TrainingClass.code)))
    assert keep in codes and code not in codes


def test_batches_named_out_of_order_are_taken_in_order(schools, county) -> None:
    school = schools[0]
    add_class(school)
    register_school(county, school)
    first = school.export().path
    add_class(school)
    second = school.export().path
    results = ingest_batches(county, [second, first])
    assert [(r.seq, r.status) for r in results] == [(1, ACCEPTED), (2, ACCEPTED)]
    assert members(second)  # still readable: nothing was moved or extracted


def test_attachment_contents_reach_the_countys_store(schools, county) -> None:
    from zunyi_trainer.attachments import add_attachment, blob_path
    from zunyi_trainer.models import Attachment

    school = schools[0]
    code = add_class(school)
    with school.register.transaction() as s:
        att = add_attachment(
            s,
            school.register.attachments_dir,
            "开班照片".encode() * 100,
            filename="photo.jpg",
            training_class=class_by_code(s, code),
        )
        s.flush()
        digest = att.sha256
    register_school(county, school)
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    stored = blob_path(county.attachments_dir, digest)
    assert stored.read_bytes() == "开班照片".encode() * 100
    with county.session() as s:
        row = s.scalars(sa.select(Attachment)).one()
        assert row.training_class.code == code and row.sha256 == digest
    assert not list((county.data_dir / "incoming").iterdir())  # the private copy is gone


def test_a_missing_file_is_named_as_the_user_gave_it(county, tmp_path: Path) -> None:
    missing = tmp_path / "usb" / "zunyi-batch-91520380001MA6D01T-000001.zip"
    result = ingest_batch(county, missing)
    assert result.status == REFUSED and result.code == "batch.missing"
    assert str(missing) in result.message


def test_a_trade_the_school_added_itself_is_kept_under_its_code(schools, county) -> None:
    from zunyi_trainer.models import Industry, Level, Trade, TradeKind

    school = schools[0]
    with school.register.transaction() as s:
        own = Trade(code="XY-01", name="苗绣", industry=Industry.OTHER, kind=TradeKind.SPECIAL, level_codes="special")
        s.add(own)
        s.flush()
        code = factories.training_class(s, trade=own, level=Level.SPECIAL, trainees=1).code
    register_school(county, school)
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    with county.session() as s:
        cls = class_by_code(s, code)
        assert cls.trade.code == "XY-01" and cls.trade.industry is Industry.OTHER


SHARED_ID = factories.id_number()


def test_schools_may_use_the_same_class_codes_and_id_numbers(schools, county, tmp_path: Path) -> None:
    a, b = schools[0], schools[1]
    for school in (a, b):
        with school.register.transaction() as s:
            cls = factories.training_class(s, code="2026-01", trainees=0)
            person = factories.trainee(s, institution=factories.institution(s), id_number=SHARED_ID)
            cls.enrollments.append(Enrollment(trainee=person, enrolled_on=cls.start_date))
        register_school(county, school)
        school.export()
    results = ingest_batches(county, [tmp_path / "usb"])  # the folder stands for the batches in it
    assert [(r.uscc, r.status) for r in results] == [(a.uscc, ACCEPTED), (b.uscc, ACCEPTED)]
    with county.session() as s:
        rows = s.execute(sa.select(Institution.uscc, TrainingClass.code).join(TrainingClass.institution)).all()
        assert sorted(rows) == sorted([(a.uscc, "2026-01"), (b.uscc, "2026-01")])
        assert s.scalar(sa.select(sa.func.count()).select_from(Trainee)) == 2


def test_progress_is_reported_through_the_batches_records(schools, county) -> None:
    a, b = schools[0], schools[1]
    for school in (a, b):
        add_class(school, trainees=3, sessions=2)
        register_school(county, school)
    seen: list[tuple[int, int]] = []
    results = ingest_batches(county, [a.export().path, b.export().path], progress=lambda d, t: seen.append((d, t)))
    assert [r.status for r in results] == [ACCEPTED, ACCEPTED]
    done = [d for d, _t in seen]
    assert done == sorted(done) and seen[-1][0] == seen[-1][1] == 2000
    assert any(0 < d < 1000 for d in done) and any(1000 < d < 2000 for d in done)  # within each batch too


def test_a_class_deleted_at_the_school_goes_with_its_timetable_roster_and_marks(schools, county) -> None:
    school = schools[0]
    code = add_class(school, trainees=3, sessions=2)
    keep = add_class(school, trainees=1, sessions=1)
    register_school(county, school)
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    with school.register.transaction() as s:
        s.delete(class_by_code(s, code))
    result = ingest_batch(county, school.export().path)
    assert result.status == ACCEPTED, result.message
    assert result.tables["attendance"]["deleted"] == 6 and result.tables["classes"]["deleted"] == 1
    with county.session() as s:
        assert set(s.scalars(sa.select(TrainingClass.code))) == {keep}
        assert s.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 1
        assert s.scalar(sa.select(sa.func.count()).select_from(Trainee)) == 4  # people stay on the register


def test_an_enrolment_removed_from_its_class_list_is_deleted_at_the_county(schools, county) -> None:
    school = schools[0]
    code = add_class(school, trainees=2, sessions=1)
    register_school(county, school)
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    with school.register.transaction() as s:
        cls = class_by_code(s, code)
        gone = str(cls.enrollments[0].uuid)
        cls.enrollments.remove(cls.enrollments[0])
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    with county.session() as s:
        assert gone not in {str(u) for u in s.scalars(sa.select(Enrollment.uuid))}
