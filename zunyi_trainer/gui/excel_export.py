"""Write what a list shows to an Excel workbook: one sheet, a bold frozen header, text cells (an
ID number or a phone number must never turn into a number in Excel)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def write_table(
    target: Path,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write ``rows`` under ``header``; returns the number of rows. Written to a temporary file and
    moved into place, so a failed export never leaves half a workbook under the chosen name."""
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = (title or "Sheet")[:31]
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    count = 0
    widths = [len(h) * 2 + 2 for h in header]
    for row in rows:
        ws.append([str(v) for v in row])
        for i, v in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], min(len(str(v)) * 2 + 2, 60))
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count, 0)
    for cell_row in ws.iter_rows(min_row=2):
        for cell in cell_row:
            cell.number_format = "@"
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    tmp = target.with_name(target.name + ".part")
    wb.save(tmp)
    os.replace(tmp, target)
    return count
