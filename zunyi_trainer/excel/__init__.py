"""Workbooks in and out: a safe, fast reader of .xlsx and CSV tables (:mod:`.reading`) and a
writer of styled register exports (:mod:`.writing`) — Chinese headers, IDs and phones as text,
real dates, frozen headers and column widths. :mod:`.registers` builds the registers' exports.

"Export the current view to Excel" is ``write_table(path, columns, rows, sheet_name=…, progress=…)``
with plain header strings (values keep their type) or :class:`Column` (with a kind: ``ID``,
``PHONE``, ``DATE``, ``MONEY`` …)."""

from zunyi_trainer.excel.reading import TableFile, UnreadableFile, read_table
from zunyi_trainer.excel.writing import Column, SheetSpec, write_table, write_workbook

__all__ = ["Column", "SheetSpec", "TableFile", "UnreadableFile", "read_table", "write_table", "write_workbook"]
