"""Finding the table in a workbook: which sheet, which row is the header, which column is what.

Sheets in front that explain how to fill the form, title rows above the header (the school's
name, the class, the date), two-row headers, hidden helper columns: the sniffer looks at the
first rows of every sheet and takes the row whose cells name the most roster fields. The
result is a :class:`Layout` the GUI shows to the user, who can correct the column mapping
before anything is validated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from zunyi_trainer.errors import ValidationError
from zunyi_trainer.excel.reading import Sheet, TableFile, column_letter
from zunyi_trainer.i18n import text
from zunyi_trainer.roster.report import WARNING, Issue

HEADER_SCAN_ROWS = 30


@dataclasses.dataclass
class Layout:
    """Where the table is: ``columns`` maps a field key to a 0-based column index."""

    sheet_index: int
    sheet_name: str
    header_row: int  # Excel row number
    columns: dict[str, int]
    headers: dict[int, str]  # column index → the header text as in the file
    warnings: list[Issue] = dataclasses.field(default_factory=list)

    def header_of(self, field: str) -> str:
        index = self.columns.get(field)
        if index is None:
            return ""
        return self.headers.get(index) or column_letter(index)

    def with_columns(self, **columns: int | None) -> Layout:
        """A corrected mapping (the wizard's drop-downs): ``layout.with_columns(id_number=4, phone=None)``."""
        mapping = dict(self.columns)
        for key, index in columns.items():
            if index is None:
                mapping.pop(key, None)
            else:
                mapping = {k: v for k, v in mapping.items() if v != index}
                mapping[key] = index
        return dataclasses.replace(self, columns=mapping, warnings=list(self.warnings))


def _row_fields(values: Sequence[object], match: Callable[[object], str | None]) -> dict[int, str]:
    found = {}
    for index, value in enumerate(values):
        if isinstance(value, str):
            field = match(value)
            if field is not None:
                found[index] = field
    return found


def _score(fields: dict[int, str], key_fields: Sequence[str]) -> int:
    distinct = set(fields.values())
    return len(distinct) + sum(2 for k in key_fields if k in distinct)


def find_header(
    table: TableFile,
    match: Callable[[object], str | None],
    key_fields: Sequence[str],
    *,
    min_fields: int = 2,
) -> tuple[int, int] | None:
    """(sheet index, Excel row number) of the best header row, or ``None``. Visible sheets are
    preferred; a header must name at least ``min_fields`` fields, one of them a key field."""
    best: tuple[tuple[int, int, int], int, int] | None = None
    for sheet_index, sheet in enumerate(table.sheets):
        for number, values in sheet.rows[:HEADER_SCAN_ROWS]:
            fields = _row_fields(values, match)
            distinct = set(fields.values())
            if len(distinct) < min_fields or not distinct.intersection(key_fields):
                continue
            # Rank: visible sheet first, then the most fields; earlier sheets and rows win ties.
            rank = (0 if sheet.hidden else 1, _score(fields, key_fields), -sheet_index)
            if best is None or rank > best[0]:
                best = (rank, sheet_index, number)
    return None if best is None else (best[1], best[2])


def layout_at(
    table: TableFile,
    sheet_index: int,
    header_row: int,
    match: Callable[[object], str | None],
    exact: Callable[[object], bool] | None = None,
) -> Layout:
    """The column mapping of a given header row. Where two columns name the same field, a visible
    column beats a hidden one and an exact header beats a looser one; the other is reported."""
    sheet: Sheet = table.sheets[sheet_index]
    values = next((v for n, v in sheet.rows if n == header_row), [])
    headers = {i: str(v).strip() for i, v in enumerate(values) if v is not None and str(v).strip()}
    candidates: dict[str, list[int]] = {}
    for index, field in _row_fields(values, match).items():
        candidates.setdefault(field, []).append(index)
    columns: dict[str, int] = {}
    warnings: list[Issue] = []
    for field, indexes in candidates.items():

        def preference(i: int) -> tuple[int, int, int]:
            return (
                0 if i in sheet.hidden_columns else 1,
                1 if exact is not None and exact(values[i]) else 0,
                -i,
            )

        ordered = sorted(indexes, key=preference, reverse=True)
        chosen = ordered[0]
        columns[field] = chosen
        for other in ordered[1:]:
            warnings.append(
                Issue(
                    header_row,
                    headers.get(other, column_letter(other)),
                    "column.duplicate",
                    text(
                        "“{a}”列（{ca} 列）与“{b}”列（{cb} 列）含义相同，已使用“{b}”列{hidden}。如不对，请在导入向导中调整列的对应关系。",
                        "Column “{a}” ({ca}) means the same as “{b}” ({cb}); “{b}” was used{hidden_en}. "
                        "Correct the column mapping in the import wizard if that is wrong.",
                        a=headers.get(other, ""),
                        ca=column_letter(other),
                        b=headers.get(chosen, ""),
                        cb=column_letter(chosen),
                        hidden="（“" + headers.get(other, "") + "”列是隐藏列）" if other in sheet.hidden_columns else "",
                        hidden_en=" (the other is hidden)" if other in sheet.hidden_columns else "",
                    ),
                    WARNING,
                )
            )
        if chosen in sheet.hidden_columns:
            warnings.append(
                Issue(
                    header_row,
                    headers.get(chosen, column_letter(chosen)),
                    "column.hidden",
                    text(
                        "“{a}”列（{ca} 列）在 Excel 中是隐藏的，仍按它导入。请确认这一列是要导入的数据。",
                        "Column “{a}” ({ca}) is hidden in Excel and was imported all the same; check that it holds the data.",
                        a=headers.get(chosen, ""),
                        ca=column_letter(chosen),
                    ),
                    WARNING,
                )
            )
    return Layout(sheet_index, sheet.name, header_row, columns, headers, warnings)


def no_header_error(table: TableFile, expected: Sequence[str]) -> ValidationError:
    return ValidationError(
        "在“{name}”中没有找到表头行：前 {n} 行里没有一行同时包含“{a}”等列名。请确认选对了文件，或在第一行写上列名（如 {cols}）。",
        "No header row was found in “{name}”: none of the first {n} rows names the columns (such as {cols}). "
        "Check the file, or put the column names in the first row.",
        code="import.no_header",
        name=table.path.name,
        n=HEADER_SCAN_ROWS,
        a="”“".join(expected[:2]),
        cols="、".join(expected),
    )
