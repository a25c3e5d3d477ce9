"""Writing styled workbooks: what every export of the register goes through.

:func:`write_table` takes column definitions and rows and writes an .xlsx that opens well in
Excel and WPS: a bold header row (under an optional title), frozen so it stays in view, an
autofilter, ID numbers and phones stored as text (so Excel never turns them into
``5.22128E+17``), real date cells, money in yuan from integer fen, and widths that fit the
content (a CJK character counts double). Written in openpyxl's write-only mode, so a register
of tens of thousands of rows streams out in constant memory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from zunyi_trainer.errors import ZunyiError
from zunyi_trainer.timeutil import to_local

Progress = Callable[[int, int], None]

# Column kinds: how a value is stored and shown.
AUTO, TEXT, ID, PHONE, DATE, DATETIME, TIME, INT, MONEY, DECIMAL, PERCENT = (
    "auto",
    "text",
    "id",
    "phone",
    "date",
    "datetime",
    "time",
    "int",
    "money",
    "decimal",
    "percent",
)
_FORMATS = {
    AUTO: "General",
    TEXT: "@",
    ID: "@",
    PHONE: "@",
    DATE: "yyyy-mm-dd",
    DATETIME: "yyyy-mm-dd hh:mm",
    TIME: "hh:mm",
    INT: "0",
    MONEY: "#,##0.00",
    DECIMAL: "0.##",
    PERCENT: "0.0%",
}
_MIN_WIDTH, _MAX_WIDTH = 6, 50
_WIDTH_SAMPLE = 300  # rows looked at to size the columns

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="999999")
_HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER_WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TITLE_FONT = Font(bold=True, size=14)


@dataclasses.dataclass(frozen=True)
class Column:
    """A column of an export: its header (Chinese, as the user sees it) and the kind of its values."""

    header: str
    kind: str = AUTO  # AUTO keeps numbers as numbers and text as text
    width: float | None = None  # None: fitted to the content

    def __post_init__(self) -> None:
        if self.kind not in _FORMATS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclasses.dataclass
class SheetSpec:
    """One sheet: a title row (optional), the header, the rows, and notes under the table."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    title: str = ""
    notes: Sequence[str] = ()
    hidden_rows_after_header: Sequence[Sequence[Any]] = ()  # machine keys the importer reads back
    row_count: int | None = None  # for progress, when ``rows`` is a generator
    hidden_columns: Sequence[int] = ()  # 0-based: machine keys the importer reads back


def display_width(value: Any) -> int:
    """How many character cells ``value`` takes: East Asian wide characters count 2."""
    text = cell_text(value)
    longest = max((line for line in text.split("\n")), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return str(getattr(value, "zh", value.value))
    return str(value)


def convert(value: Any, kind: str) -> Any:
    """A register value as the cell should hold it."""
    if value is None or value == "":
        return None
    if isinstance(value, enum.Enum):
        return getattr(value, "zh", None) or str(value.value)
    if kind in (TEXT, ID, PHONE):
        return cell_text(value)
    if kind == AUTO and isinstance(value, dt.datetime) and value.tzinfo:
        return to_local(value).replace(tzinfo=None)
    if kind == MONEY:
        return decimal.Decimal(int(value)) / 100  # integer fen → yuan, exact
    if kind in (DATETIME,) and isinstance(value, dt.datetime):
        # Excel has no time zones: show the local (Zunyi) wall-clock time.
        return to_local(value).replace(tzinfo=None) if value.tzinfo else value
    if kind == DATE and isinstance(value, dt.datetime):
        return (to_local(value) if value.tzinfo else value).date()
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _auto_format(value: Any) -> str:
    if isinstance(value, str):
        return "@"
    if isinstance(value, dt.datetime):
        return _FORMATS[DATETIME]
    if isinstance(value, dt.date):
        return _FORMATS[DATE]
    if isinstance(value, dt.time):
        return _FORMATS[TIME]
    return "General"


def _styled(ws: Any, value: Any, number_format: str, *, font=None, fill=None, border=None, alignment=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = number_format
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _widths(columns: Sequence[Column], sample: list[Sequence[Any]]) -> list[float]:
    widths = []
    for index, column in enumerate(columns):
        if column.width is not None:
            widths.append(column.width)
            continue
        best = display_width(column.header)
        for row in sample:
            if index < len(row):
                best = max(best, display_width(convert(row[index], column.kind)))
        if column.kind == DATETIME:
            best = max(best, 16)
        widths.append(float(min(_MAX_WIDTH, max(_MIN_WIDTH, best + 2))))
    return widths


def _add_sheet(wb: Workbook, spec: SheetSpec, progress: Progress | None) -> None:
    ws = wb.create_sheet(spec.name[:31])
    rows = iter(spec.rows)
    sample: list[Sequence[Any]] = []
    for row in rows:
        sample.append(row)
        if len(sample) >= _WIDTH_SAMPLE:
            break
    for index, width in enumerate(_widths(spec.columns, sample), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
        if index - 1 in spec.hidden_columns:
            ws.column_dimensions[get_column_letter(index)].hidden = True
    n_cols = len(spec.columns)
    header_row = 2 if spec.title else 1
    # Write-only sheets stream their header on the first append: views go in before it.
    ws.freeze_panes = f"A{header_row + 1 + len(spec.hidden_rows_after_header)}"
    if spec.title:
        ws.append([_styled(ws, spec.title, "General", font=_TITLE_FONT)])
    ws.append(
        [
            _styled(ws, c.header, "@", font=_HEADER_FONT, fill=_HEADER_FILL, border=_HEADER_BORDER, alignment=_CENTER_WRAP)
            for c in spec.columns
        ]
    )
    first_data = header_row + 1
    for keys in spec.hidden_rows_after_header:
        ws.row_dimensions[first_data].hidden = True
        ws.append([None if k is None else _styled(ws, str(k), "@") for k in keys])
        first_data += 1
    formats = [_FORMATS[c.kind] for c in spec.columns]
    kinds = [c.kind for c in spec.columns]
    total = spec.row_count or 0
    done = 0

    def emit(row: Sequence[Any]) -> None:
        cells = []
        for index in range(n_cols):
            value = convert(row[index] if index < len(row) else None, kinds[index])
            if value is None:
                cells.append(None)
            else:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = formats[index] if kinds[index] != AUTO else _auto_format(value)
                cells.append(cell)
        ws.append(cells)

    for row in sample:
        emit(row)
        done += 1
    for row in rows:
        emit(row)
        done += 1
        if progress is not None and done % 2000 == 0:
            progress(done, max(total, done))
    last_row = first_data + done - 1
    if n_cols and done:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(n_cols)}{last_row}"
    if spec.notes:
        ws.append([])
        for note in spec.notes:
            ws.append([note])


def write_workbook(path: Path | str, sheets: Sequence[SheetSpec], *, progress: Progress | None = None) -> Path:
    """Write the sheets to ``path`` (through a temporary file, so a failure leaves no half file)."""
    path = Path(path)
    check_suffix(path)  # before the write-only sheets open their temporary files
    wb = Workbook(write_only=True)
    for spec in sheets:
        _add_sheet(wb, spec, progress)
    return save_atomically(wb, path)


def check_suffix(path: Path) -> None:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ZunyiError(
            "导出文件的扩展名应为 .xlsx（现在是“{name}”）。",
            "An export must be named *.xlsx (got “{name}”).",
            code="export.suffix",
            name=path.name,
        )


def save_atomically(wb: Workbook, path: Path) -> Path:
    path = Path(path)
    check_suffix(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".xlsx", dir=path.parent)
        os.close(fd)
        try:
            wb.save(tmp)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except PermissionError:
        raise ZunyiError(
            "无法写入 {p}：文件可能正在 Excel 或 WPS 中打开。请关闭它后再试。",
            "Cannot write {p}: it may be open in Excel or WPS. Close it and try again.",
            code="export.locked",
            p=str(path),
        ) from None
    except OSError as exc:
        raise ZunyiError(
            "无法写入 {p}（{why}）。请换一个文件夹或检查磁盘空间。",
            "Cannot write {p} ({why}). Choose another folder or check the free space.",
            code="export.write",
            p=str(path),
            why=exc.strerror or str(exc),
        ) from None
    return path


def write_table(
    path: Path | str,
    columns: Sequence[Column | str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str = "Sheet1",
    title: str = "",
    notes: Sequence[str] = (),
    progress: Progress | None = None,
    row_count: int | None = None,
) -> Path:
    """Write one styled table. ``columns`` are :class:`Column` or plain header strings (kind AUTO).

    This is what "export the current view to Excel" calls: give it the view's headers and rows.
    """
    cols = [c if isinstance(c, Column) else Column(str(c)) for c in columns]
    spec = SheetSpec(sheet_name, cols, rows, title=title, notes=notes, row_count=row_count)
    return write_workbook(path, [spec], progress=progress)
