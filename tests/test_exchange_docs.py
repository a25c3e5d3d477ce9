"""docs/exchange.md prints the very schemas the program checks with, and the schema checker
finds what departs from them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zunyi_trainer.exchange.schemas import BATCH_HEADER_SCHEMA, COUNTY_RETURN_SCHEMA, RECORD_LINE_SCHEMA, first_error

DOC = Path(__file__).resolve().parents[1] / "docs" / "exchange.md"


@pytest.mark.parametrize(
    "schema", [BATCH_HEADER_SCHEMA, RECORD_LINE_SCHEMA, COUNTY_RETURN_SCHEMA], ids=["header", "line", "return"]
)
def test_the_documented_schema_is_the_one_the_program_checks_with(schema: dict) -> None:
    assert json.dumps(schema, indent=2, ensure_ascii=False) in DOC.read_text(encoding="utf-8")


def test_the_documented_versions_match_the_schemas() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert BATCH_HEADER_SCHEMA["properties"]["version"]["const"] == 1 and "batch format 1" in doc
    assert COUNTY_RETURN_SCHEMA["properties"]["version"]["const"] == 1 and "return format 1" in doc


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ({"_op": "upsert"}, "missing 'uuid'"),
        ({"_op": "merge", "uuid": "0" * 8 + "-0000-0000-0000-" + "0" * 12}, "$._op"),
        ({"_op": "delete", "uuid": "not-a-uuid"}, "$.uuid"),
        ([], "must be of type object"),
    ],
)
def test_the_schema_checker_names_where_a_line_departs(value: object, where: str) -> None:
    problem = first_error(value, RECORD_LINE_SCHEMA)
    assert problem is not None and where in problem


def test_the_schema_checker_accepts_a_good_return_and_checks_formats() -> None:
    good = {
        "format": "zunyi-trainer/county-return",
        "version": 1,
        "institution_uscc": "91110000600037341L",
        "issued_at": "2026-03-10T10:00:00+08:00",
        "decisions": [{"class_code": "A1", "decision": "approved", "decided_on": "2026-03-10", "approver": "县局"}],
        "acknowledged_batches": [{"seq": 1, "sha256": "a" * 64}],
    }
    assert first_error(good, COUNTY_RETURN_SCHEMA) is None
    assert "decided_on" in first_error(
        {**good, "decisions": [{**good["decisions"][0], "decided_on": "10/3/2026"}]}, COUNTY_RETURN_SCHEMA
    )
    assert "seq" in first_error({**good, "acknowledged_batches": [{"seq": True, "sha256": "a" * 64}]}, COUNTY_RETURN_SCHEMA)
    assert "version" in first_error({**good, "version": 1.0}, COUNTY_RETURN_SCHEMA)
