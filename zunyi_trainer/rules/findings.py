"""What a rule reports: a :class:`Finding` with a stable code, a severity and a Chinese message."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

BLOCKS = "blocks"
WARNS = "warns"
Severity = Literal["blocks", "warns"]


@dataclasses.dataclass(frozen=True)
class Finding:
    """One thing a rule found.

    ``code`` is stable (tests, the GUI and exports key on it); ``message`` is a sentence in the
    user's language (Chinese by default) that names the records involved and what to do;
    ``data`` holds the figures behind it; ``record`` is the (table name, uuid) of the record to
    open to fix it, when there is one.
    """

    code: str
    severity: Severity
    message: str
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
    record: tuple[str, str] | None = None

    @property
    def blocks(self) -> bool:
        return self.severity == BLOCKS

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "data": self.data,
            "record": {"table": self.record[0], "uuid": self.record[1]} if self.record else None,
        }


def record_of(obj: Any) -> tuple[str, str] | None:
    """The (table name, uuid) of a model object, for :attr:`Finding.record`."""
    if obj is None:
        return None
    return (type(obj).__tablename__, str(obj.uuid))


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocks]


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Blocking findings first, then by code; stable within a code (the rule's own order)."""
    return sorted(findings, key=lambda f: (0 if f.blocks else 1, f.code))
