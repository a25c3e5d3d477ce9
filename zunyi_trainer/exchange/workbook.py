"""The batch's human-readable workbook (xlsx), written as a stream, one sheet per table.

Why not openpyxl here: a large register's attendance alone is millions of cells, which openpyxl
(without lxml) writes at a fraction of the speed of the JSON lines beside it, and the batch must
stay within twice the cost of a plain zip of its rows. This writer emits the few parts of
SpreadsheetML a workbook needs (inline strings, one bold header style, a frozen header row), in a
fixed order with fixed timestamps, so the same rows give the same bytes. Tests read it back with
openpyxl.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import zipfile
from collections.abc import Sequence
from typing import IO, Any
from xml.sax.saxutils import escape

MAX_ROWS = 1_048_576  # Excel's limit per sheet, the header row included
MAX_CELL = 32_767  # Excel's limit of characters in a cell
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)

_CONTENT_TYPES_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    "</Relationships>"
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    "</sheetView></sheetViews>"
)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# XML 1.0 cannot carry most control characters; a stray one must not make the file unreadable.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPECIAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f&<>]")


def _clean(text: str) -> str:
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    if not _SPECIAL.search(text):
        return text
    return escape(_CONTROL.sub(" ", text))


class SheetWriter:
    def __init__(self, book: WorkbookWriter, name: str, headers: Sequence[str]) -> None:
        self.book = book
        self.name = name
        self.headers = list(headers)
        self.letters = [column_letter(i) for i in range(len(headers))]
        self.rows = 0
        self.part = 0
        self._fh: IO[bytes] | None = None
        self._buffer: list[str] = []
        self._open_part()

    def _open_part(self) -> None:
        self.part += 1
        title = self.name if self.part == 1 else f"{self.name}({self.part})"
        self._fh = self.book._new_sheet(title)
        widths = "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="{min(40, max(10, len(h) * 2 + 2))}" customWidth="1"/>'
            for i, h in enumerate(self.headers)
        )
        head = "".join(
            f'<c r="{col}1" t="inlineStr" s="1"><is><t>{_clean(h)}</t></is></c>'
            for col, h in zip(self.letters, self.headers, strict=True)
        )
        self._fh.write(f'{_SHEET_HEAD}<cols>{widths}</cols><sheetData><row r="1">{head}</row>'.encode())
        self.rows = 1

    def add_row(self, values: Sequence[Any]) -> None:
        """One row; cells carry no reference, so every column is written, empty ones as ``<c/>``."""
        if self.rows >= MAX_ROWS:
            self._close_part()
            self._open_part()
        self.rows += 1
        cells = []
        for value in values:
            kind = type(value)
            if kind is str:
                cells.append(f'<c t="inlineStr"><is><t xml:space="preserve">{_clean(value)}</t></is></c>' if value else "<c/>")
            elif value is None:
                cells.append("<c/>")
            elif kind is bool:
                cells.append(f'<c t="inlineStr"><is><t>{"是" if value else "否"}</t></is></c>')
            elif kind is int or kind is float:
                cells.append(f"<c><v>{value}</v></c>")
            else:
                cells.append(f'<c t="inlineStr"><is><t xml:space="preserve">{_clean(str(value))}</t></is></c>')
        self._buffer.append(f'<row r="{self.rows}">{"".join(cells)}</row>')
        if len(self._buffer) >= 500:
            self._flush()

    def _flush(self) -> None:
        if self._buffer and self._fh is not None:
            self._fh.write("".join(self._buffer).encode())
            self._buffer.clear()

    def _close_part(self) -> None:
        self._flush()
        assert self._fh is not None
        self._fh.write(b"</sheetData></worksheet>")
        self._fh.close()
        self._fh = None

    def close(self) -> None:
        if self._fh is not None:
            self._close_part()


class WorkbookWriter:
    """Write sheets one after another; ``order`` in :meth:`finish` decides how they are shown."""

    def __init__(self, target: str | IO[bytes], *, created: dt.datetime, compresslevel: int = 1) -> None:
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self.created = created
        self.sheets: list[str] = []  # titles, by sheet number

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # the same bytes whatever the platform
        info.external_attr = 0o644 << 16
        return info

    def _new_sheet(self, title: str) -> IO[bytes]:
        self.sheets.append(title[:31])
        return self.zip.open(self._info(f"xl/worksheets/sheet{len(self.sheets)}.xml"), "w")

    def sheet(self, name: str, headers: Sequence[str]) -> SheetWriter:
        return SheetWriter(self, name, headers)

    def abandon(self) -> None:
        """Close after a failure (the file is thrown away)."""
        with contextlib.suppress(Exception):
            self.zip.close()
        # A sheet still open for writing makes close() refuse, and ZipFile.__del__ would try again
        # on a closed file later, printing "Exception ignored ... Traceback" to the user's stderr.
        self.zip.fp = None

    def finish(self, first: Sequence[str] = ()) -> None:
        """Write the workbook parts; sheets whose titles are in ``first`` are shown first."""
        numbers = list(range(1, len(self.sheets) + 1))
        numbers.sort(key=lambda n: (self.sheets[n - 1] not in first, n))
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, len(self.sheets) + 1)
        )
        sheets_xml = "".join(
            f'<sheet name="{escape(self.sheets[n - 1], {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>' for n in numbers
        )
        rels = "".join(
            f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(self.sheets) + 1)
        )
        style_id = len(self.sheets) + 1
        rels += (
            f'<Relationship Id="rId{style_id}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        )
        stamp = self.created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        parts = {
            "[Content_Types].xml": f"{_CONTENT_TYPES_HEAD}{overrides}</Types>",
            "_rels/.rels": _ROOT_RELS,
            "docProps/core.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                "<dc:creator>zunyi-trainer</dc:creator>"
                f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
                f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
                "</cp:coreProperties>"
            ),
            "xl/workbook.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f"<sheets>{sheets_xml}</sheets></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f"{rels}</Relationships>"
            ),
            "xl/styles.xml": _STYLES,
        }
        for name, content in parts.items():
            self.zip.writestr(self._info(name), content.encode())
        self.zip.close()
