"""Write what a list shows to an Excel workbook through the core's styled writer
(:func:`zunyi_trainer.excel.write_table`): a bold frozen header, real date cells, numbers as
numbers, and ID numbers, phones, codes and other numbers-that-are-names as text (an ID number must
never turn into ``5.22128E+17`` in Excel).

A list's cells arrive as the texts the view shows; :func:`typed_value` turns them back into what
the cell should hold, and :func:`column_kind` keeps a column as text when its header says it holds
identifiers."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from zunyi_trainer.excel import Column
from zunyi_trainer.excel import write_table as write_styled_table
from zunyi_trainer.excel.writing import AUTO, TEXT

# Headers of columns that hold identifiers: kept as text whatever their cells look like.
_TEXT_HEADERS = re.compile(r"身份证|证件|号码|编号|代码|号|电话|手机|联系方式|\bID\b|\bno\.|phone|code|number", re.I)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$")
_INT = re.compile(r"^-?(0|[1-9]\d{0,11})$")  # a leading zero means a code, not a number
_DECIMAL = re.compile(r"^-?(\d{1,3}(,\d{3})+|0|[1-9]\d*)\.\d+$|^-?\d{1,3}(,\d{3})+$")


def column_kind(header: str) -> str:
    return TEXT if _TEXT_HEADERS.search(header or "") else AUTO


def typed_value(text: Any) -> Any:
    """A view's cell text as the value a spreadsheet cell should hold: a date, a date and time, an
    integer or a decimal where the text is exactly one, else the text itself."""
    if not isinstance(text, str):
        return text
    value = text.strip()
    if not value:
        return None
    try:
        if _DATE.match(value):
            return dt.date.fromisoformat(value)
        if _DATETIME.match(value):
            return dt.datetime.fromisoformat(value)
    except ValueError:
        return text  # 2026-02-30 is not a date: keep what the list said
    if _INT.match(value):
        return int(value)
    if _DECIMAL.match(value):
        return decimal.Decimal(value.replace(",", ""))
    return text


def write_table(
    target: Path,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    progress: Callable[[int, int], None] | None = None,
    row_count: int | None = None,
) -> int:
    """Write ``rows`` under ``header`` to ``target`` (.xlsx); returns the number of rows. The core
    writes through a temporary file, so a failed export never leaves half a workbook."""
    kinds = [column_kind(h) for h in header]
    columns = [Column(str(h), kind) for h, kind in zip(header, kinds, strict=True)]
    count = 0

    def typed() -> Iterator[list[Any]]:
        nonlocal count
        for row in rows:
            count += 1
            yield [
                (None if v in (None, "") else str(v)) if kind == TEXT else typed_value(v)
                for v, kind in zip(row, kinds, strict=False)
            ]

    write_styled_table(
        Path(target),
        columns,
        typed(),
        sheet_name=_sheet_name(title),
        progress=progress,
        row_count=row_count,
    )
    return count


def _sheet_name(title: str) -> str:
    """Excel refuses []:*?/\\ in a sheet's name and more than 31 characters."""
    name = re.sub(r"[\[\]:*?/\\]", "_", title or "").strip("'") or "Sheet1"
    return name[:31]
