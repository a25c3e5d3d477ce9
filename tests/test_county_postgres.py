"""The county database on PostgreSQL: ingest, refusals, replays, concurrent ingests, return, report.

Runs when ``ZUNYI_TRAINER_TEST_POSTGRES`` names a server (as tests/test_postgres.py); each test
gets a database of its own.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.county_fixtures import add_class, class_by_code, new_school, register_school, table_counts
from zunyi_trainer import audit
from zunyi_trainer.cli import run
from zunyi_trainer.county.decisions import build_return, enter_decision
from zunyi_trainer.county.ingest import ACCEPTED, REFUSED, REPLAY, ingest_batch, ingest_batches
from zunyi_trainer.county.report import build_report, write_report
from zunyi_trainer.db import open_register
from zunyi_trainer.models import ClassStatus, Enrollment, Trainee

SERVER = os.environ.get("ZUNYI_TRAINER_TEST_POSTGRES")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not SERVER, reason="no PostgreSQL server: set ZUNYI_TRAINER_TEST_POSTGRES (.ci/run starts one)"),
]


@pytest.fixture
def pg_url(postgres_server, postgres_empty_template):
    """A database of its own, copied from the session's migrated template (tests/conftest.py)."""
    name = postgres_server.take(postgres_empty_template)
    yield postgres_server.url_for(name)
    postgres_server.release(name)


@pytest.fixture
def county(pg_url, tmp_path: Path):
    reg = open_register(tmp_path / "county", database_url=pg_url)
    yield reg
    reg.close()


@pytest.fixture
def schools(empty_template: Path, tmp_path: Path):
    made = [new_school(empty_template, tmp_path, n, county=c) for n, c in ((1, "meitan"), (2, "renhuai"))]
    yield made
    for school in made:
        school.close()


def test_batches_merge_and_refusals_leave_nothing_on_postgresql(schools, county) -> None:
    a, b = schools
    code = add_class(a, trainees=3, sessions=2)
    add_class(b, trade="白酒酿造工", trainees=4, sessions=2)
    for school in schools:
        register_school(county, school)
    results = ingest_batches(county, [a.export().path, b.export().path])
    assert [r.status for r in results] == [ACCEPTED, ACCEPTED], [r.message for r in results]
    with county.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Trainee)) == 7

    with a.register.transaction() as s:
        cls = class_by_code(s, code)
        gone = cls.enrollments[0]
        trainee = gone.trainee
        s.delete(gone)
        s.flush()
        s.delete(trainee)
    second = a.export().path
    add_class(a)
    a.export()
    fourth = a.export().path  # batch 3 is held back: batch 4 is a gap
    before = table_counts(county)
    gap = ingest_batch(county, fourth)
    assert gap.status == REFUSED and gap.code == "batch.gap"
    assert table_counts(county) == before
    assert ingest_batch(county, second).status == ACCEPTED
    assert ingest_batch(county, second).status == REPLAY
    with county.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Enrollment)) == 6
    with county.engine.connect() as conn:
        assert audit.verify_chain(conn).ok


def test_two_ingests_of_one_batch_at_once_take_it_in_once(schools, county, pg_url, tmp_path: Path) -> None:
    a = schools[0]
    add_class(a, trainees=5, sessions=4)
    register_school(county, a)
    batch = a.export().path
    other = open_register(tmp_path / "county2", database_url=pg_url)
    results = []
    barrier = threading.Barrier(2)

    def take(reg) -> None:
        barrier.wait()
        results.append(ingest_batch(reg, batch))

    threads = [threading.Thread(target=take, args=(reg,)) for reg in (county, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert sorted(r.status for r in results) == [ACCEPTED, REPLAY], [r.message for r in results]
    with county.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Trainee)) == 5
    with county.engine.connect() as conn:
        assert audit.verify_chain(conn).ok


def test_return_and_report_on_postgresql(schools, county, pg_url, tmp_path: Path) -> None:
    a, b = schools
    code = add_class(a, status=ClassStatus.SUBMITTED, end=dt.date(2026, 4, 30))
    add_class(a, trainees=4)
    add_class(b, trade="白酒酿造工", trainees=5)
    for school in schools:
        register_school(county, school)
    assert [r.status for r in ingest_batches(county, [a.export().path, b.export().path])] == [ACCEPTED] * 2
    enter_decision(county, a.uscc, code, "approved", approval_no="遵人社培〔2026〕009号", approver="县人社局")
    with county.session() as s:
        assert [d["class_code"] for d in build_return(s, a.uscc)["decisions"]] == [code]
    report = build_report(county, 2026, as_of=dt.date(2026, 4, 1))
    assert report.total.trained == 9
    write_report(report, tmp_path / "county.xlsx")
    # The same through the command line, pointed at the server.
    assert run(["--database-url", pg_url, "--data-dir", str(tmp_path / "cli"), "county", "keys", "list"]) == 0
    out = tmp_path / "county.pdf"
    assert (
        run(["--database-url", pg_url, "--data-dir", str(tmp_path / "cli"), "county", "report", "--year", "2026", "-o", str(out)])
        == 0
    )
    assert out.read_bytes().startswith(b"%PDF")
