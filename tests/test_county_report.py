"""The county report: its sums match the batches it was made from; overdue and blocked schools."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from tests.county_fixtures import add_class, county_register, new_school, register_school
from tests.exchange_fixtures import records
from zunyi_trainer.county.ingest import ACCEPTED, ingest_batches
from zunyi_trainer.county.report import build_report, write_report
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.models import ClassStatus, Industry, TrainingClass
from zunyi_trainer.reference import PLAN_INDUSTRY_TARGETS, TRADES

INDUSTRY_OF_TRADE = {t.code: t.industry for t in TRADES}


@pytest.fixture(scope="module")
def gathered(empty_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """Three schools with classes in three industries, their batches ingested by the county
    (made once for the module: the tests only read it)."""
    tmp_path = tmp_path_factory.mktemp("county-report")
    schools = [new_school(empty_template, tmp_path, n, county=c) for n, c in ((1, "meitan"), (2, "renhuai"), (3, "huichuan"))]
    county = county_register(empty_template, tmp_path)
    add_class(schools[0], trade="茶艺师", trainees=4, sessions=4, subsidy_fen=1_000_00)
    add_class(schools[0], trade="评茶员", trainees=2, sessions=2, absent_every=3)
    add_class(schools[1], trade="白酒酿造工", trainees=5, sessions=4, subsidy_fen=1_500_00)
    add_class(schools[1], trade="白酒酿造工", trainees=3, sessions=2, end=dt.date(2025, 11, 30))  # last year
    add_class(schools[2], trade="茶艺师", trainees=3, sessions=2, status=ClassStatus.IN_PROGRESS)  # not finished
    batches = []
    for school in schools:
        register_school(county, school)
        batches.append(school.export().path)
    assert [r.status for r in ingest_batches(county, batches)] == [ACCEPTED] * 3
    yield county, schools, batches
    county.close()
    for school in schools:
        school.close()


def _from_batches(batches: list[Path], year: int) -> dict:
    """The report's figures computed straight from the batches' record lines."""
    trained: Counter = Counter()
    marks: Counter = Counter()
    subsidy = 0
    for b in batches:
        classes = {c["uuid"]: c for c in records(b, "classes")}
        finished = {
            u for u, c in classes.items() if c["status"] in ("completed", "archived") and c["end_date"].startswith(str(year))
        }
        for e in records(b, "enrolments"):
            if e["class_uuid"] in finished and e["withdrawn_on"] is None:
                trained[INDUSTRY_OF_TRADE[classes[e["class_uuid"]]["trade_code"]]] += 1
                subsidy += e["subsidy_fen"]
        sessions = {s["uuid"]: s for s in records(b, "sessions")}
        for a in records(b, "attendance"):
            if sessions[a["session_uuid"]]["date"].startswith(str(year)):
                marks[a["status"]] += 1
    return {"trained": trained, "marks": marks, "subsidy": subsidy}


def test_report_sums_match_the_batches(gathered) -> None:
    county, _schools, batches = gathered
    report = build_report(county, 2026, as_of=dt.date(2026, 4, 1))
    expected = _from_batches(batches, 2026)
    total = report.total
    assert {i.industry: i.trained for i in report.industries if i.trained} == dict(expected["trained"])
    assert total.trained == sum(expected["trained"].values()) == 4 + 2 + 5
    assert dict(total.marks) == dict(expected["marks"])
    assert total.subsidy_determined_fen == expected["subsidy"] == 4 * 1_000_00 + 2 * 1_200_00 + 5 * 1_500_00
    # The plan's targets travel with the industries; the running total counts last year's class too.
    liquor = next(i for i in report.industries if i.industry is Industry.LIQUOR)
    assert liquor.target == PLAN_INDUSTRY_TARGETS[Industry.LIQUOR]
    assert (liquor.trained, liquor.since_plan_start) == (5, 8)
    assert [s.trained for s in report.schools] == [s.trained for s in sorted(report.schools, key=lambda f: (f.county, f.uscc))]
    by_uscc = {s.uscc: s for s in report.schools}
    assert by_uscc[_schools[2].uscc].trained == 0  # its class is still running


def test_attendance_periods_follow_the_marks(gathered) -> None:
    county, _schools, _batches = gathered
    report = build_report(county, 2026, as_of=dt.date(2026, 4, 1))
    for f in report.schools:
        assert f.marked_periods == 4 * sum(f.marks.values())  # every test session has 4 periods
        attended = f.marks.get("present", 0) + f.marks.get("late", 0) + f.marks.get("early_leave", 0)
        assert f.attended_periods == 4 * attended
    assert 0 < report.total.attendance_rate < 1


def test_the_county_check_of_subsidies_agrees_with_the_schools_own_registers(gathered) -> None:
    county, schools, _batches = gathered
    report = build_report(county, 2026, as_of=dt.date(2026, 4, 1))
    from zunyi_trainer.settings import load_settings
    from zunyi_trainer.subsidy import class_subsidy

    for school in schools:
        with school.register.session() as s:
            settings = load_settings(s)
            finished = [
                c
                for c in s.scalars(sa.select(TrainingClass))
                if c.status in (ClassStatus.COMPLETED, ClassStatus.ARCHIVED) and c.end_date.year == 2026
            ]
            summaries = [class_subsidy(s, c, settings, as_of=c.end_date) for c in finished]
        row = next(f for f in report.schools if f.uscc == school.uscc)
        assert row.subsidy_checked_fen == sum(x.total_fen for x in summaries)
        assert row.subsidy_eligible == sum(x.eligible_count for x in summaries)
    assert 0 < report.total.subsidy_eligible < report.total.trained  # some fall below the threshold


def test_schools_with_old_batches_are_overdue(gathered) -> None:
    county, schools, _batches = gathered
    fresh = build_report(county, 2026, as_of=dt.date.today())
    assert not any(s.overdue for s in fresh.schools)
    late = build_report(county, 2026, as_of=dt.date.today() + dt.timedelta(days=60))
    assert {s.uscc for s in late.schools if s.overdue} == {s.uscc for s in schools}
    assert {s.uscc for s in late.follow_up} >= {s.uscc for s in schools}


def test_a_registered_school_that_never_sent_a_batch_is_overdue(empty_template: Path, tmp_path: Path) -> None:
    county = county_register(empty_template, tmp_path)
    silent = new_school(empty_template, tmp_path, 9)
    try:
        register_school(county, silent)
        report = build_report(county, 2026, as_of=dt.date.today())
    finally:
        silent.close()
        county.close()
    row = next(s for s in report.schools if s.uscc == silent.uscc)
    assert row.overdue and row.batches == 0 and row.trained == 0 and row.last_batch_at is None


def test_schools_whose_findings_block_are_listed(gathered) -> None:
    county, schools, _batches = gathered
    report = build_report(county, 2026, as_of=dt.date(2026, 4, 1))
    blocked = {s.uscc: s.blocking for s in report.schools if s.blocking}
    # The school with a class running has classes checked; every blocking finding names its rule.
    for findings in blocked.values():
        assert all(code and message for _cls, code, message in findings)
    from zunyi_trainer.rules import check_class

    with county.session() as s:
        from zunyi_trainer.models import TrainingClass

        running = s.query(TrainingClass).filter(TrainingClass.status == ClassStatus.IN_PROGRESS).one()
        expect = [f.code for f in check_class(s, running, today=dt.date(2026, 4, 1)) if f.blocks]
    got = [code for cls, code, _m in blocked.get(schools[2].uscc, []) if cls == running.code]
    assert expect and got == expect


def test_xlsx_report_holds_the_same_figures(gathered, tmp_path: Path) -> None:
    county, _schools, batches = gathered
    report = build_report(county, 2026, as_of=dt.date(2026, 4, 1))
    path = write_report(report, tmp_path / "county-2026.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == ["全县分产业", "各校汇总", "各校分产业", "需跟进学校", "跨校重复参训"]
    rows = list(wb["全县分产业"].iter_rows(values_only=True))
    total_row = next(r for r in rows if r and r[0] == "合计")
    assert total_row[1] == sum(_from_batches(batches, 2026)["trained"].values())
    schools_rows = list(wb["各校汇总"].iter_rows(values_only=True))
    header = schools_rows[1]
    last = schools_rows[-1]
    assert last[1] == "全县合计"
    assert float(last[header.index("学校核定补贴（元）")]) == report.total.subsidy_determined_fen / 100


def test_pdf_report_is_written(gathered, tmp_path: Path) -> None:
    county, _schools, _batches = gathered
    report = build_report(county, 2026, as_of=dt.date.today() + dt.timedelta(days=60))
    path = write_report(report, tmp_path / "county-2026.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000
    assert not list(tmp_path.glob(".*partial"))


def test_report_refuses_a_name_it_cannot_write_and_an_implausible_year(gathered, tmp_path: Path) -> None:
    county, _schools, _batches = gathered
    report = build_report(county, 2026)
    with pytest.raises(ValidationError, match=r"\.xlsx 或 \.pdf"):
        write_report(report, tmp_path / "county.docx")
    with pytest.raises(ValidationError, match="年份"):
        build_report(county, 26)


def test_a_person_in_two_schools_subsidised_classes_at_once_is_found(empty_template: Path, tmp_path: Path) -> None:
    from tests import factories
    from zunyi_trainer.models import Enrollment

    a, b, c = (new_school(empty_template, tmp_path, n) for n in (1, 2, 3))
    county = county_register(empty_template, tmp_path)
    try:
        code_a = add_class(a, trainees=2, end=dt.date(2026, 3, 15))
        with a.register.session() as s:
            person = s.scalars(sa.select(TrainingClass).where(TrainingClass.code == code_a)).one().enrollments[0].trainee
            number, name = person.id_number, person.name
        for school, end in ((b, dt.date(2026, 3, 20)), (c, dt.date(2026, 6, 30))):  # b overlaps, c does not
            code = add_class(school, trainees=1, end=end)
            with school.register.transaction() as s:
                cls = s.scalars(sa.select(TrainingClass).where(TrainingClass.code == code)).one()
                twin = factories.trainee(s, institution=factories.institution(s), id_number=number, name=name)
                cls.enrollments.append(Enrollment(trainee=twin, enrolled_on=cls.start_date))
        for school in (a, b, c):
            register_school(county, school)
        assert [r.status for r in ingest_batches(county, [x.export().path for x in (a, b, c)])] == [ACCEPTED] * 3
        report = build_report(county, 2026, as_of=dt.date(2026, 7, 1))
        [found] = report.cross_school
        assert {found.first.uscc, found.second.uscc} == {a.uscc, b.uscc}
        assert found.name == name and found.id_masked != number and found.id_masked[-4:] == number[-4:]
        assert {a.uscc, b.uscc} <= {s.uscc for s in report.follow_up}
        path = write_report(report, tmp_path / "r.xlsx")
        rows = list(openpyxl.load_workbook(path, read_only=True)["跨校重复参训"].iter_rows(values_only=True))
        assert any(r and r[0] == found.id_masked for r in rows)
        assert number not in str(rows)  # the full ID number never appears in the report
    finally:
        county.close()
        for school in (a, b, c):
            school.close()
