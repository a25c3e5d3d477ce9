"""The bulk writer of imports stores what SQLAlchemy would store and snapshots what the audit
hook would write: the fast path is not another format."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid

import factories as f
import pytest

from zunyi_trainer import audit, bulk
from zunyi_trainer.models import Education, Sex, Trainee, TraineeCategory

AWARE = dt.datetime(2026, 3, 2, 8, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -17,
        2**70,
        "",
        "王芳",
        'quote " backslash \\ tab \t line\n',
        "\u2028\x00\x1f",
        "阿依古丽·买买提",
        dt.date(1990, 2, 28),
        AWARE,
        dt.datetime(2026, 3, 2, 8, 30),
        dt.time(8, 30),
        Sex.FEMALE,
        Education.VOCATIONAL,
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        decimal.Decimal("12.50"),
        1.5,
        b"\x00\x01",
    ],
)
def test_a_value_is_written_as_canonical_json_of_its_jsonable_form(value):
    assert bulk._json_value(value) == audit.canonical_json(audit.jsonable(value))


def test_snapshots_are_the_canonical_json_of_the_row_with_sorted_keys():
    columns = ["uuid", "name", "sex", "birth_date", "created_at", "notes", "zeta", "alpha"]
    rows = [
        [uuid.uuid4(), "张三", Sex.MALE, dt.date(1990, 1, 1), AWARE, "", 1, True],
        [uuid.uuid4(), 'a "quoted" name', Sex.FEMALE, dt.date(1991, 5, 6), AWARE, None, 2, 1],
        [uuid.uuid4(), "李四", Sex.MALE, dt.date(1990, 1, 1), AWARE, "注：换行\n", 1.0, False],
    ]
    ids = [7, 8, 9]
    got = bulk.snapshot_json(columns, rows, {"id": ids})
    for text, row, row_id in zip(got, rows, ids, strict=True):
        expected = {k: audit.jsonable(v) for k, v in zip(columns, row, strict=True)} | {"id": row_id}
        assert text == audit.canonical_json(expected)
        assert json.loads(text) == json.loads(audit.canonical_json(expected))


def _trainee_rows(institution_id: int, n: int) -> list[dict]:
    now = dt.datetime(2026, 3, 2, 1, 2, 3, 456789, tzinfo=dt.UTC)
    return [
        {
            "uuid": uuid.uuid4(),
            "institution_id": institution_id,
            "name": f"学员{i}",
            "id_number": f.id_number(dt.date(1990, 1, 1) + dt.timedelta(days=i)),
            "sex": Sex.MALE if i % 2 else Sex.FEMALE,
            "birth_date": dt.date(1990, 1, 1) + dt.timedelta(days=i),
            "phone": "" if i % 3 else "13900000000",
            "education": None if i % 4 == 0 else Education.JUNIOR,
            "category": TraineeCategory.OTHER if i % 2 else TraineeCategory.RELOCATED,
            "household_address": "贵州省遵义市",
            "current_address": "",
            "employer": "",
            "notes": "",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(n)
    ]


def test_bulk_insert_stores_exactly_what_sqlalchemy_core_stores(register):
    table = Trainee.__table__
    with register.transaction() as s:
        inst = f.institution(s)
        inst_id = inst.id
    rows = _trainee_rows(inst_id, 12)
    columns = list(rows[0])
    stored = {}
    for how in ("core", "bulk"):
        with register.engine.connect() as conn, conn.begin() as tx:
            if how == "core":
                conn.execute(table.insert(), rows)
            else:
                bulk.insert_rows(conn, table, columns, [tuple(r[k] for k in columns) for r in rows])
            names = ", ".join(columns)
            stored[how] = conn.exec_driver_sql(f"SELECT {names} FROM trainee ORDER BY id").all()
            tx.rollback()
    assert len(stored["core"]) == 12
    assert stored["bulk"] == stored["core"]


def test_a_large_write_gets_a_roomy_page_cache_and_the_connection_its_own_back(register):
    with register.engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            pytest.skip("a SQLite page cache")
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        with bulk.roomy_cache(conn):
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -bulk.ROOMY_CACHE_KIB
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: durability untouched


def test_bulk_appended_events_of_every_shape_verify_with_the_chain_hash(register):
    """append_events encodes the fields shared by a run of events once; the verifier hashes each
    event with _chain_hash: they must agree for any mix of instants, actors, tables and classes."""
    class_a, class_b = uuid.uuid4(), uuid.uuid4()
    at = dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    events = []
    for i in range(60):
        events.append(
            {
                "actor": ("王芳", "管理员 1", "")[i % 3],
                "action": ("insert", "update", "roster_import")[i % 2 + (i % 7 == 0)],
                "table_name": ("attendance", "trainee", "enrollment")[(i // 4) % 3],
                "record_key": str(uuid.uuid4()) if i % 5 else i,
                "class_uuid": (None, class_a, str(class_b), class_b)[(i // 3) % 4],
                "changes": {"n": i, "名": "张三;5:x;"} if i % 2 else '{"raw":"1:2;"}',
                **({"at": at + dt.timedelta(microseconds=i // 10)} if i % 4 else {}),
            }
        )
    with register.engine.begin() as conn:
        assert audit.append_events(conn, events) == 60
        assert audit.append_events(conn, events[:7]) == 7
    with register.engine.connect() as conn:
        report = audit.verify_chain(conn)
        assert report.ok, report
        assert report.events >= 67


def test_the_uuids_of_new_marks_are_random_version_4_and_distinct():
    from zunyi_trainer.attendance import _RowBuilder
    from zunyi_trainer.models import AttendanceMethod, AttendanceStatus

    build = _RowBuilder(AttendanceMethod.TERMINAL, "王芳", dt.datetime(2026, 3, 2, tzinfo=dt.UTC), 500)
    keys = set()
    for i in range(500):
        key, stored, snapshot = build(1, i, AttendanceStatus.PRESENT, AWARE, None, "")
        u = uuid.UUID(key)
        assert (u.version, u.variant, u.hex, str(u)) == (4, uuid.RFC_4122, stored[0], key)
        assert json.loads(snapshot)["uuid"] == key and audit.canonical_json(json.loads(snapshot)) == snapshot
        keys.add(key)
    assert len(keys) == 500
