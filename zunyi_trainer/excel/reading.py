"""Reading the tables users bring: .xlsx workbooks and CSV files, safely and quickly.

The workbook is read straight from its XML parts with a streaming parser (defusedxml, so
entity expansion and external references are refused), not with openpyxl: that is several
times faster than openpyxl's read-only mode and gives what read-only mode cannot — merged
cells (whose value belongs to every cell they span) and hidden columns and sheets.

A file that is not a workbook (a legacy .xls, an HTML page or a PDF renamed to .xlsx, a
password-protected or damaged file, random bytes) is refused with a :class:`UnreadableFile`
that says what the file is and what to do. Caps on size, rows and columns protect memory.

Values come back as Python objects: ``str`` for text, ``int``/``float`` for numbers (so a
caller can tell that an ID number was typed into a numeric cell), ``bool``, and
``datetime.datetime``/``datetime.time`` for cells formatted as dates or times.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import itertools
import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError, XMLPullParser

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from zunyi_trainer.errors import ZunyiError

MAX_FILE_BYTES = 50 * 1024 * 1024  # a roster of 100,000 rows is about 8 MB
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024  # zip bombs
MAX_ROWS = 100_000  # rows with a value, per sheet
MAX_COLUMNS = 200
MAX_MERGED_CELLS = 2_000_000  # cells filled in from merged ranges, per sheet

_TRANSITIONAL = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_REL_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_LETTERS = re.compile(r"[A-Z]{1,3}")
# Built-in number formats that show a date or a time (ECMA-376 18.8.30).
_BUILTIN_DATE_FORMATS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57})
_BUILTIN_TIME_ONLY = frozenset({18, 19, 20, 21, 45, 46, 47})
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# What a damaged zip or XML part raises from deep inside zipfile, zlib and the XML parser.
_DAMAGE = (
    zlib.error,
    zipfile.BadZipFile,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    NotImplementedError,
    RuntimeError,
    KeyError,
    IndexError,
)
_EXCEL_EPOCH_1904 = dt.datetime(1904, 1, 1)


class UnreadableFile(ZunyiError):
    """A file that cannot be read as a table; the message says what it is and what to do."""

    code = "file.unreadable"


class TooLarge(UnreadableFile):
    code = "file.too_large"


@dataclasses.dataclass
class Sheet:
    """One sheet's values. ``rows`` holds (Excel row number, values by 0-based column) for every
    row that has at least one value; merged ranges are already filled in."""

    name: str
    hidden: bool = False
    rows: list[tuple[int, list[Any]]] = dataclasses.field(default_factory=list)
    hidden_columns: set[int] = dataclasses.field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = dataclasses.field(default_factory=list)  # min_row, min_col, max_row, max_col

    @property
    def width(self) -> int:
        return max((len(values) for _, values in self.rows), default=0)


@dataclasses.dataclass
class TableFile:
    path: Path
    kind: str  # "xlsx" or "csv"
    sha256: str
    sheets: list[Sheet]


def column_letter(index: int) -> str:
    """``0`` → ``A``, ``27`` → ``AB``."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    value = 0
    for ch in letters:
        value = value * 26 + ord(ch) - 64
    return value - 1


def _refuse(zh: str, en: str, code: str, **data: Any) -> UnreadableFile:
    return UnreadableFile(zh, en, code=code, **data)


def _save_as_xlsx(zh_what: str, en_what: str, path: Path, code: str) -> UnreadableFile:
    return _refuse(
        "“{name}”是{what}，不是 .xlsx 工作簿。请用 Excel 或 WPS 打开它，选择“另存为”→“Excel 工作簿 (*.xlsx)”，再导入新保存的文件。",
        "“{name}” is {what_en}, not an .xlsx workbook. Open it in Excel or WPS, choose Save As → "
        "Excel Workbook (*.xlsx), and import the saved file.",
        code,
        name=path.name,
        what=zh_what,
        what_en=en_what,
    )


def sniff_kind(path: Path, head: bytes) -> str:
    """What the first bytes say the file is: xlsx, ole-encrypted, xls, html, xml2003, pdf, text or binary."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    stripped = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n\x00").lower()
    probe = head.lower().replace(b"\x00", b"")
    if stripped.startswith(b"<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in probe:
            return "xml2003"
        if b"<html" in probe or b"<table" in probe or b"<!doctype html" in probe or b"<meta" in probe:
            return "html"
        return "xml"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    if b"\x00" in head:
        return "binary"
    try:
        head.decode("utf-8")
        return "text"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut by the probe's end
            return "text"
    try:
        head.decode("gb18030")
    except UnicodeDecodeError:
        return "binary"
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return "binary" if controls > len(head) // 100 else "text"


def read_table(
    path: Path | str, *, allow_csv: bool = True, max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS
) -> TableFile:
    """Read an .xlsx workbook (every sheet) or a CSV file; refuse anything else with a reason."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise _refuse("找不到文件 {p}。", "There is no file at {p}.", "file.missing", p=str(path)) from None
    if not path.is_file():
        raise _refuse("{p} 不是一个文件。", "{p} is not a file.", "file.missing", p=str(path))
    if size == 0:
        raise _refuse("文件 {name} 是空的（0 字节）。", "The file {name} is empty (0 bytes).", "file.empty", name=path.name)
    if size > MAX_FILE_BYTES:
        raise TooLarge(
            "文件 {name} 有 {mb} MB，超过了 {cap} MB 的上限。请把它拆成几个较小的文件分别导入。",
            "The file {name} is {mb} MB, over the {cap} MB limit. Split it into smaller files.",
            name=path.name,
            mb=size // (1024 * 1024),
            cap=MAX_FILE_BYTES // (1024 * 1024),
        )
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    kind = sniff_kind(path, data[:4096])
    if kind == "zip":
        try:
            sheets = _read_xlsx(path, data, max_rows=max_rows, max_columns=max_columns)
        except _DAMAGE as exc:  # a part that does not inflate, a bad CRC, a cut stream
            raise _damaged(path, f"{type(exc).__name__}: {exc}") from None
        return TableFile(path, "xlsx", digest, sheets)
    if kind == "ole":
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            raise _refuse(
                "“{name}”设置了打开密码，程序无法读取。请在 Excel 或 WPS 中打开它，取消密码（文件→信息→保护工作簿→用密码进行加密，清空密码）后保存，再导入。",
                "“{name}” is password-protected and cannot be read. Open it in Excel or WPS, remove the "
                "password (File → Info → Protect Workbook → Encrypt with Password, clear it), save and import again.",
                "file.encrypted",
                name=path.name,
            )
        if path.suffix.lower() in (".et", ".ett"):
            raise _save_as_xlsx("WPS 表格文件（.et）", "a WPS Spreadsheets file (.et)", path, "file.et")
        raise _save_as_xlsx("旧版 Excel 97-2003 工作簿（.xls）", "a legacy Excel 97-2003 workbook (.xls)", path, "file.xls")
    if kind == "html":
        raise _save_as_xlsx(
            "一个网页（HTML）文件，只是扩展名改成了表格",
            "a web page (HTML) renamed to look like a spreadsheet",
            path,
            "file.html",
        )
    if kind == "xml2003":
        raise _save_as_xlsx("Excel 2003 XML 表格", "an Excel 2003 XML spreadsheet", path, "file.xml2003")
    if kind == "pdf":
        raise _refuse(
            "“{name}”是 PDF 文档，不是表格，无法导入。请找到原始的 Excel 文件，或把内容录入到花名册模板中。",
            "“{name}” is a PDF document, not a table. Find the original Excel file or fill in the roster template.",
            "file.pdf",
            name=path.name,
        )
    if kind == "text" and allow_csv and path.suffix.lower() in (".csv", ".txt", ".tsv"):
        return TableFile(path, "csv", digest, [_read_csv(path, data, max_rows=max_rows, max_columns=max_columns)])
    if kind == "text" and allow_csv:
        raise _refuse(
            "“{name}”是文本文件，不是 .xlsx 工作簿。如果它是逗号分隔的表格，请把扩展名改为 .csv；否则请在 Excel 或 WPS 中另存为 .xlsx。",
            "“{name}” is a text file, not an .xlsx workbook. If it is comma-separated, name it .csv; "
            "otherwise save it as .xlsx in Excel or WPS.",
            "file.text",
            name=path.name,
        )
    raise _refuse(
        "“{name}”不是 Excel 工作簿（.xlsx），也不是 CSV 表格，无法识别其内容。请确认选对了文件；如果它能在 Excel 或 WPS 中打开，请另存为 .xlsx 再导入。",
        "“{name}” is neither an Excel workbook (.xlsx) nor a CSV table. Check that it is the right "
        "file; if Excel or WPS can open it, save it as .xlsx and import that.",
        "file.unknown",
        name=path.name,
    )


# --- CSV ----------------------------------------------------------------------------------------


def _decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")  # what Excel and terminals in China write


def _read_csv(path: Path, data: bytes, *, max_rows: int, max_columns: int) -> Sheet:
    content = _decode_text(data)
    sample = content[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    sheet = Sheet(name=path.stem)
    try:
        for number, values in enumerate(csv.reader(io.StringIO(content, newline=""), dialect), start=1):
            if not any(v.strip() for v in values):
                continue
            if len(values) > max_columns:
                raise _too_many_columns(path, max_columns)
            sheet.rows.append((number, values))
            if len(sheet.rows) > max_rows:
                raise _too_many_rows(path, max_rows)
    except csv.Error as exc:
        raise _refuse(
            "“{name}”不是完好的 CSV 表格（{why}）。请在 Excel 或 WPS 中打开并另存为 .xlsx。",
            "“{name}” is not a sound CSV table ({why}). Open it in Excel or WPS and save it as .xlsx.",
            "file.csv",
            name=path.name,
            why=str(exc),
        ) from None
    return sheet


def _too_many_rows(path: Path, cap: int) -> TooLarge:
    return TooLarge(
        "“{name}”的一个工作表有超过 {cap} 行数据，超过了上限。请把它拆成几个文件分别导入。",
        "A sheet of “{name}” has more than {cap} rows of data, over the limit. Split it into several files.",
        code="file.too_many_rows",
        name=path.name,
        cap=cap,
    )


def _too_many_columns(path: Path, cap: int) -> TooLarge:
    return TooLarge(
        "“{name}”的一个工作表有超过 {cap} 列数据，不像是花名册或考勤表。请删去多余的列再导入。",
        "A sheet of “{name}” has data in more than {cap} columns; remove the extra columns and import again.",
        code="file.too_many_columns",
        name=path.name,
        cap=cap,
    )


# --- xlsx ---------------------------------------------------------------------------------------


def _damaged(path: Path, why: str) -> UnreadableFile:
    return _refuse(
        "“{name}”已损坏或不完整（{why}），无法读取。请在 Excel 或 WPS 中打开它（软件会尝试修复），另存为新的 .xlsx 文件后再导入。",
        "“{name}” is damaged or incomplete ({why}). Open it in Excel or WPS (which tries to repair it), "
        "save it as a new .xlsx file and import that.",
        "file.damaged",
        name=path.name,
        why=why,
    )


class _Package:
    """The parts of an xlsx zip, with the memory caps applied as they are read."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError) as exc:
            raise _damaged(path, str(exc) or "zip") from None
        self.names = {info.filename for info in infos}
        total = sum(info.file_size for info in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise TooLarge(
                "“{name}”解压后有 {mb} MB，超过了 {cap} MB 的上限，可能不是正常的工作簿。",
                "“{name}” unpacks to {mb} MB, over the {cap} MB limit; it may not be a normal workbook.",
                code="file.too_large",
                name=path.name,
                mb=total // (1024 * 1024),
                cap=MAX_UNCOMPRESSED_BYTES // (1024 * 1024),
            )

    def open(self, name: str):
        try:
            return self.zip.open(name)
        except (KeyError, zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
            raise _damaged(self.path, f"{name}: {exc}") from None

    def _attack(self) -> UnreadableFile:
        return _refuse(
            "“{name}”中含有不允许的 XML 结构（实体或文档类型定义），出于安全考虑不予读取。请在 Excel 或 WPS 中另存为新的 .xlsx 文件后再导入。",
            "“{name}” contains XML constructs that are not allowed (entities or a DTD) and was not read "
            "for safety. Save it as a new .xlsx file in Excel or WPS and import that.",
            "file.xml_attack",
            name=self.path.name,
        )

    def parse(self, name: str, events: tuple[str, ...] = ("end",)):
        """Stream the elements of a small XML part with defusedxml: DTDs, entities and external
        references refused."""
        with self.open(name) as stream:
            try:
                yield from iterparse(stream, events=events, forbid_dtd=True)
            except DefusedXmlException:
                raise self._attack() from None
            except (ParseError, zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
                raise _damaged(self.path, f"{name}: {exc}") from None

    def parse_large(self, name: str, events: tuple[str, ...] = ("end",)):
        """Stream batches of the elements of a large part (a sheet, the shared strings) with the C parser.

        defusedxml hooks the pure-Python parser, which takes two thirds of the time of reading a
        sheet. The guard here is the one that matters: every entity attack (billion laughs,
        external entities) needs a document type declaration, which can only stand before the
        root element — so a part whose prolog holds ``<!DOCTYPE`` (or any ``<!`` declaration) is
        refused before a byte reaches the parser, and an entity used without one is a parse error.
        """
        with self.open(name) as stream:
            parser = XMLPullParser(events=events)
            try:
                head = stream.read(_PROLOG_BYTES)
                if not _prolog_is_plain(head):
                    raise self._attack()
                # Events are handed over a chunk at a time: one generator step per 64 KB, not per element.
                parser.feed(head)
                yield list(parser.read_events())  # read_events raises parse errors: inside the try
                while chunk := stream.read(1 << 16):
                    parser.feed(chunk)
                    yield list(parser.read_events())
                parser.close()
                yield list(parser.read_events())
            except (ParseError, zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
                raise _damaged(self.path, f"{name}: {exc}") from None


_PROLOG_BYTES = 64 * 1024


def _prolog_is_plain(head: bytes) -> bool:
    """True when the XML before the root element holds only the declaration, processing
    instructions, comments and white space — no DTD, no other ``<!`` declaration."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:200]:
        try:
            text = head.decode("utf-16")
        except UnicodeDecodeError:
            text = head[: len(head) - len(head) % 2].decode("utf-16", errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    pos = 0
    length = len(text)
    while pos < length:
        if text[pos] in " \t\r\n\ufeff":
            pos += 1
        elif text.startswith("<?", pos):
            end = text.find("?>", pos)
            if end < 0:
                return False
            pos = end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
            if end < 0:
                return False
            pos = end + 3
        else:
            # <!DOCTYPE …> (or any declaration) is refused; anything else is the root element (or
            # text that the parser will refuse).
            return not text.startswith("<!", pos)
    return length < _PROLOG_BYTES  # an empty part is harmless; a prolog longer than the probe is not


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _resolve(base_dir: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base_dir, target))


def _is_date_format(code: str) -> bool:
    cleaned = _FORMAT_NOISE.sub("", code).lower()
    if cleaned in ("general", "@", ""):
        return False
    return any(ch in cleaned for ch in "ymdhs")


def _read_xlsx(path: Path, data: bytes, *, max_rows: int, max_columns: int) -> list[Sheet]:
    pkg = _Package(path, data)
    if "xl/workbook.xml" not in pkg.names and "[Content_Types].xml" in pkg.names:
        workbook_part = _workbook_part(pkg)
    else:
        workbook_part = "xl/workbook.xml"
    if workbook_part not in pkg.names:
        if any(n.startswith("word/") for n in pkg.names):
            raise _save_as_xlsx("Word 文档（.docx）", "a Word document (.docx)", path, "file.docx")
        if any(n.startswith("ppt/") for n in pkg.names):
            raise _save_as_xlsx("PowerPoint 演示文稿", "a PowerPoint presentation", path, "file.pptx")
        if "content.xml" in pkg.names and "mimetype" in pkg.names:
            raise _save_as_xlsx("WPS/OpenOffice 的 ODS 表格", "an OpenDocument spreadsheet (.ods)", path, "file.ods")
        raise _refuse(
            "“{name}”是一个压缩包（zip），不是 Excel 工作簿。如果工作簿在压缩包里，请先解压再导入其中的 .xlsx 文件。",
            "“{name}” is a zip archive, not an Excel workbook. If the workbook is inside, extract it and import the .xlsx.",
            "file.zip",
            name=path.name,
        )
    base_dir = posixpath.dirname(workbook_part)
    rels = _relationships(pkg, posixpath.join(base_dir, "_rels", posixpath.basename(workbook_part) + ".rels"))
    sheet_specs: list[tuple[str, bool, str]] = []
    date1904 = False
    for _, el in pkg.parse(workbook_part):
        name = _local(el.tag)
        if name == "sheet":
            rid = el.get(f"{{{_REL_NS}}}id") or el.get(f"{{{_STRICT_REL_NS}}}id") or ""
            target = rels.get(rid)
            if target:
                sheet_specs.append((el.get("name") or "", el.get("state", "visible") != "visible", _resolve(base_dir, target)))
        elif name == "workbookPr":
            date1904 = el.get("date1904", "0").lower() in ("1", "true")
    shared = _shared_strings(pkg, base_dir, rels)
    date_styles, time_styles = _date_styles(pkg, base_dir, rels)
    epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH
    sheets = []
    for name, hidden, part in sheet_specs:
        if part not in pkg.names:
            continue  # a chart sheet or a dangling reference: nothing to read
        sheets.append(
            _read_sheet(
                pkg,
                part,
                Sheet(name=name, hidden=hidden),
                shared,
                date_styles,
                time_styles,
                epoch,
                max_rows=max_rows,
                max_columns=max_columns,
            )
        )
    if not sheets:
        raise _damaged(path, "no worksheet")
    return sheets


def _workbook_part(pkg: _Package) -> str:
    for _, el in pkg.parse("_rels/.rels") if "_rels/.rels" in pkg.names else ():
        if el.tag == _PKG_REL and el.get("Type", "").endswith("/officeDocument"):
            return _resolve("", el.get("Target", ""))
    return "xl/workbook.xml"


def _relationships(pkg: _Package, rels_part: str) -> dict[str, str]:
    if rels_part not in pkg.names:
        return {}
    found = {}
    for _, el in pkg.parse(rels_part):
        if _local(el.tag) == "Relationship" and el.get("TargetMode") != "External":
            found[el.get("Id", "")] = el.get("Target", "")
            found["type:" + el.get("Type", "").rsplit("/", 1)[-1]] = el.get("Target", "")
    return found


def _shared_strings(pkg: _Package, base_dir: str, rels: dict[str, str]) -> list[str]:
    part = _resolve(base_dir, rels.get("type:sharedStrings", "sharedStrings.xml"))
    if part not in pkg.names:
        return []
    strings: list[str] = []
    for _, el in itertools.chain.from_iterable(pkg.parse_large(part)):
        if _local(el.tag) != "si":
            continue
        parts = []
        for child in el:
            local = _local(child.tag)
            if local == "t":
                parts.append(child.text or "")
            elif local == "r":  # a rich-text run; phonetic runs (rPh) are not the text
                parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
        strings.append("".join(parts))
        el.clear()
    return strings


def _date_styles(pkg: _Package, base_dir: str, rels: dict[str, str]) -> tuple[frozenset[int], frozenset[int]]:
    part = _resolve(base_dir, rels.get("type:styles", "styles.xml"))
    if part not in pkg.names:
        return frozenset(), frozenset()
    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    in_cell_xfs = False
    for event, el in pkg.parse(part, events=("start", "end")):
        local = _local(el.tag)
        if local == "cellXfs":
            in_cell_xfs = event == "start"
        elif event == "end" and local == "numFmt":
            fmt_id = el.get("numFmtId", "")
            if fmt_id.isdigit():
                custom[int(fmt_id)] = el.get("formatCode", "")
        elif event == "end" and local == "xf" and in_cell_xfs:
            try:
                xf_formats.append(int(el.get("numFmtId", "0")))
            except ValueError:
                xf_formats.append(0)
    dates, times = set(), set()
    for index, fmt in enumerate(xf_formats):
        code = custom.get(fmt)
        if code is not None:
            if _is_date_format(code):
                cleaned = _FORMAT_NOISE.sub("", code).lower()
                is_time = not any(ch in cleaned for ch in "yd") and ("h" in cleaned or "s" in cleaned)
                (times if is_time else dates).add(index)
        elif fmt in _BUILTIN_DATE_FORMATS:
            (times if fmt in _BUILTIN_TIME_ONLY else dates).add(index)
    return frozenset(dates), frozenset(times)


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def _serial_to_datetime(serial: float, epoch: dt.datetime) -> dt.datetime:
    if epoch is _EXCEL_EPOCH and serial < 60:
        serial += 1  # Excel's phantom 1900-02-29
    value = epoch + dt.timedelta(days=serial)
    # Excel stores times as fractions of a day; round away floating-point noise to the second.
    return (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)


def _as_datetime(value: float, epoch: dt.datetime, *, time_only: bool) -> Any:
    try:
        if time_only:
            return _serial_to_datetime(float(value) % 1, epoch).time()
        return _serial_to_datetime(float(value), epoch)
    except (OverflowError, ValueError):
        return value


def _read_sheet(
    pkg: _Package,
    part: str,
    sheet: Sheet,
    shared: list[str],
    date_styles: frozenset[int],
    time_styles: frozenset[int],
    epoch: dt.datetime,
    *,
    max_rows: int,
    max_columns: int,
) -> Sheet:
    ns = f"{{{_STRICT}}}" if part and _STRICT_MARK in _peek(pkg, part) else f"{{{_TRANSITIONAL}}}"
    row_tag, cell_tag, v_tag, is_tag, t_tag, r_tag = (ns + x for x in ("row", "c", "v", "is", "t", "r"))
    col_tag, merge_tag = ns + "col", ns + "mergeCell"
    rows = sheet.rows
    n_shared = len(shared)
    last_row = 0
    letters_index: dict[str, int] = {}
    for batch in pkg.parse_large(part):
        for _, el in batch:
            tag = el.tag
            if tag == row_tag:
                ref = el.get("r")
                number = int(ref) if ref and ref.isdigit() else last_row + 1
                last_row = number
                values: list[Any] = []
                col = -1
                for c in el:
                    if c.tag != cell_tag:
                        continue
                    cref = c.get("r")
                    if cref:
                        letters = cref.rstrip("0123456789")
                        index = letters_index.get(letters)
                        if index is None:
                            index = letters_index[letters] = column_index(letters) if _LETTERS.fullmatch(letters) else -1
                        col = index if index >= 0 else col + 1
                    else:
                        col += 1
                    kind = c.get("t")
                    if kind == "inlineStr":
                        box = c.find(is_tag)
                        if box is None:
                            continue
                        if len(box) == 1 and box[0].tag == t_tag:  # one plain run: the common case
                            value: Any = box[0].text or ""
                        else:
                            value = "".join(
                                (x.text or "") if x.tag == t_tag else "".join(t.text or "" for t in x.iter(t_tag))
                                for x in box
                                if x.tag in (t_tag, r_tag)
                            )
                    else:
                        v = c.find(v_tag)
                        if v is None or v.text is None:
                            continue
                        raw = v.text
                        if kind == "s":
                            try:
                                index = int(raw)
                            except ValueError:
                                continue
                            value = shared[index] if 0 <= index < n_shared else ""
                        elif kind is None or kind == "n":
                            try:
                                value = _number(raw)
                            except ValueError:
                                value = raw
                            else:
                                style = c.get("s")
                                if style is not None and (date_styles or time_styles):
                                    s_index = int(style) if style.isdigit() else -1
                                    if s_index in date_styles:
                                        value = _as_datetime(value, epoch, time_only=False)
                                    elif s_index in time_styles:
                                        value = _as_datetime(value, epoch, time_only=True)
                        elif kind == "b":
                            value = raw.strip() in ("1", "true")
                        elif kind == "e":
                            value = raw  # #N/A, #VALUE!: kept as text, the caller reports it
                        else:  # "str" (a formula's text result), "d" (ISO date)
                            if kind == "d":
                                try:
                                    value = dt.datetime.fromisoformat(raw)
                                except ValueError:
                                    value = raw
                            else:
                                value = raw
                    if value == "":
                        continue
                    if col >= max_columns:
                        raise _too_many_columns(pkg.path, max_columns)
                    if col >= len(values):
                        values.extend([None] * (col + 1 - len(values)))
                    values[col] = value
                el.clear()
                if values:
                    rows.append((number, values))
                    if len(rows) > max_rows:
                        raise _too_many_rows(pkg.path, max_rows)
            elif tag == col_tag:
                if el.get("hidden", "0").lower() in ("1", "true"):
                    try:
                        lo, hi = int(el.get("min", "0")), int(el.get("max", "0"))
                    except ValueError:
                        continue
                    sheet.hidden_columns.update(range(max(lo, 1) - 1, min(hi, max_columns)))
            elif tag == merge_tag:
                bounds = _range_bounds(el.get("ref", ""))
                if bounds:
                    sheet.merged.append(bounds)
    _fill_merged(sheet)
    return sheet


_STRICT_MARK = b"purl.oclc.org/ooxml/spreadsheetml/main"


def _peek(pkg: _Package, part: str) -> bytes:
    with pkg.open(part) as stream:
        return stream.read(1024)


def _range_bounds(ref: str) -> tuple[int, int, int, int] | None:
    parts = ref.upper().split(":")
    if len(parts) != 2:
        return None
    a, b = _CELL_REF.fullmatch(parts[0]), _CELL_REF.fullmatch(parts[1])
    if not a or not b:
        return None
    r1, c1, r2, c2 = int(a.group(2)), column_index(a.group(1)), int(b.group(2)), column_index(b.group(1))
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _fill_merged(sheet: Sheet) -> None:
    """Give every cell of a merged range the value of its top-left cell."""
    if not sheet.merged or not sheet.rows:
        return
    by_number = {number: values for number, values in sheet.rows}
    last = sheet.rows[-1][0]
    added = False
    budget = MAX_MERGED_CELLS
    for min_row, min_col, max_row, max_col in sheet.merged:
        top = by_number.get(min_row)
        if top is None or min_col >= len(top) or top[min_col] is None:
            continue
        value = top[min_col]
        max_col = min(max_col, MAX_COLUMNS - 1)
        budget -= (min(max_row, last) - min_row + 1) * (max_col - min_col + 1)
        if budget < 0:
            raise TooLarge(
                "“{name}”中的合并单元格覆盖了太多单元格，无法读取。请取消合并（开始→合并后居中→取消合并）后再导入。",
                "The merged cells of “{name}” cover too many cells; unmerge them and import again.",
                code="file.too_many_merged",
                name=sheet.name,
            )
        for number in range(min_row, min(max_row, last) + 1):
            values = by_number.get(number)
            if values is None:
                values = by_number[number] = []
                added = True
            if max_col >= len(values):
                values.extend([None] * (max_col + 1 - len(values)))
            for col in range(min_col, max_col + 1):
                if values[col] is None:
                    values[col] = value
    if added:
        sheet.rows[:] = sorted(by_number.items())
