"""The JSON Schemas of the exchange formats, and a small validator for the subset they use.

The schemas here are the ones printed in ``docs/exchange.md`` (a test keeps the two equal). The
validator implements what these schemas need (type, required, properties,
additionalProperties, enum, const, pattern, minimum, minLength, maxLength, maxItems, items,
format date / date-time) so that no further dependency is needed; it names the first place where
a document departs from its schema.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
USCC = {"type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"}

COUNTY_RETURN_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://zunyi-trainer.invalid/schemas/county-return-1.json",
    "title": "zunyi-trainer county return file, version 1",
    "type": "object",
    "required": ["format", "version", "institution_uscc", "issued_at", "decisions", "acknowledged_batches"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": "zunyi-trainer/county-return"},
        "version": {"const": 1},
        "institution_uscc": USCC,
        "issued_at": {"type": "string", "format": "date-time"},
        "issuer": {"type": "string", "maxLength": 128},
        "decisions": {
            "type": "array",
            "maxItems": 10000,
            "items": {
                "type": "object",
                "required": ["class_code", "decision", "decided_on", "approver"],
                "additionalProperties": False,
                "properties": {
                    "class_code": {"type": "string", "minLength": 1, "maxLength": 32},
                    "decision": {"enum": ["approved", "rejected"]},
                    "approval_no": {"type": "string", "maxLength": 64},
                    "decided_on": {"type": "string", "format": "date"},
                    "approver": {"type": "string", "minLength": 1, "maxLength": 128},
                    "reason": {"type": "string", "maxLength": 2000},
                },
            },
        },
        "acknowledged_batches": {
            "type": "array",
            "maxItems": 100000,
            "items": {
                "type": "object",
                "required": ["seq", "sha256"],
                "additionalProperties": False,
                "properties": {"seq": {"type": "integer", "minimum": 1}, "sha256": SHA256},
            },
        },
    },
}

_COUNTS = {
    "type": "object",
    "required": ["records", "deleted"],
    "additionalProperties": False,
    "properties": {"records": {"type": "integer", "minimum": 0}, "deleted": {"type": "integer", "minimum": 0}},
}

BATCH_HEADER_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://zunyi-trainer.invalid/schemas/batch-1.json",
    "title": "zunyi-trainer export batch header (data/batch.json), version 1",
    "type": "object",
    "required": [
        "format",
        "version",
        "institution",
        "seq",
        "kind",
        "created_at",
        "app_version",
        "schema_version",
        "period",
        "record_counts",
        "tables",
        "prev_sha256",
        "key_fingerprint",
        "attachments",
        "documents",
        "workbook",
    ],
    "additionalProperties": False,
    "properties": {
        "format": {"const": "zunyi-trainer/batch"},
        "version": {"const": 1},
        "institution": {
            "type": "object",
            "required": ["uscc", "name", "uuid"],
            "additionalProperties": False,
            "properties": {"uscc": USCC, "name": {"type": "string"}, "uuid": {"type": "string"}},
        },
        "seq": {"type": "integer", "minimum": 1},
        "kind": {"enum": ["full", "incremental"]},
        "created_at": {"type": "string", "format": "date-time"},
        "app_version": {"type": "string"},
        "schema_version": {"type": "string"},
        "period": {
            "type": "object",
            "required": ["after_change", "through_change", "from", "to"],
            "additionalProperties": False,
            "properties": {
                "after_change": {"type": "integer", "minimum": 0},
                "through_change": {"type": "integer", "minimum": 0},
                "from": {"type": ["string", "null"], "format": "date-time"},
                "to": {"type": "string", "format": "date-time"},
            },
        },
        "record_counts": {"type": "object", "additionalProperties": _COUNTS},
        "tables": {"type": "array", "items": {"type": "string", "pattern": "^[a-z_]+$"}},
        "prev_sha256": {"type": "string", "pattern": "^([0-9a-f]{64})?$"},
        "key_fingerprint": {"type": "string"},
        "attachments": {
            "type": "object",
            "required": ["files", "bytes"],
            "additionalProperties": False,
            "properties": {"files": {"type": "integer", "minimum": 0}, "bytes": {"type": "integer", "minimum": 0}},
        },
        "documents": {
            "type": "object",
            "required": ["included", "files", "note"],
            "additionalProperties": False,
            "properties": {
                "included": {"type": "boolean"},
                "files": {"type": "integer", "minimum": 0},
                "note": {"type": "string"},
            },
        },
        "workbook": {"type": "string"},
    },
}

RECORD_LINE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://zunyi-trainer.invalid/schemas/record-line-1.json",
    "title": "one line of data/records/<table>.jsonl, version 1",
    "type": "object",
    "required": ["_op", "uuid"],
    "properties": {
        "_op": {"enum": ["upsert", "delete"]},
        "uuid": {"type": "string", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"},
    },
}

_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name])


def _format_ok(value: str, fmt: str) -> bool:
    try:
        if fmt == "date":
            dt.date.fromisoformat(value)
            return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))
        if fmt == "date-time":
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed.tzinfo is not None and "T" in value
    except ValueError:
        return False
    return True


def first_error(value: Any, schema: dict[str, Any], where: str = "$") -> str | None:
    """Where and how ``value`` departs from ``schema`` (e.g. ``$.decisions[0].decision: not one of …``), or None."""
    if "const" in schema and (value != schema["const"] or type(value) is not type(schema["const"])):
        return f"{where}: must be {schema['const']!r}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{where}: must be one of {schema['enum']}"
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(_is_type(value, n) for n in names):
            return f"{where}: must be of type {'/'.join(names)}"
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            return f"{where}: must not be empty" if schema["minLength"] == 1 else f"{where}: too short"
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return f"{where}: longer than {schema['maxLength']} characters"
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return f"{where}: does not match {schema['pattern']}"
        if "format" in schema and not _format_ok(value, schema["format"]):
            return f"{where}: not a valid {schema['format']}"
    if _is_type(value, "integer") and "minimum" in schema and value < schema["minimum"]:
        return f"{where}: must be at least {schema['minimum']}"
    if isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            return f"{where}: more than {schema['maxItems']} items"
        items = schema.get("items")
        if items:
            for i, item in enumerate(value):
                found = first_error(item, items, f"{where}[{i}]")
                if found:
                    return found
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                return f"{where}: missing {name!r}"
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in props:
                found = first_error(item, props[name], f"{where}.{name}")
            elif extra is False:
                found = f"{where}: unexpected {name!r}"
            elif isinstance(extra, dict):
                found = first_error(item, extra, f"{where}.{name}")
            else:
                found = None
            if found:
                return found
    return None
