"""The page of every document: A4, header and footer, styles, tables, metadata, one-pass numbering.

``第 x 页 共 y 页`` needs the page count before the first page is finished. Instead of building
twice (twice the time for a 300-page archive), the canvas keeps each finished page's drawing
operations and adds the header, footer and any late-bound text (a table of contents' page
numbers) when the document is saved and the total is known.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.flowables import KeepTogether, Spacer

from zunyi_trainer import __version__
from zunyi_trainer.documents.fonts import FontSet
from zunyi_trainer.errors import ZunyiError
from zunyi_trainer.timeutil import format_local

MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
GRID = colors.HexColor("#444444")
HEAD_BG = colors.HexColor("#E8E8E8")
LABEL_BG = colors.HexColor("#F3F3F3")

Progress = Callable[[int, int], None] | None


@dataclasses.dataclass
class PageInfo:
    """What the header, the footer and the PDF's metadata say."""

    title: str
    institution: str
    class_code: str
    subject: str
    generated_at: dt.datetime
    fonts: FontSet
    keywords: str = ""

    @property
    def header_left(self) -> str:
        return self.institution

    @property
    def header_right(self) -> str:
        return f"{self.title}  {self.class_code}".strip() if self.class_code else self.title


class Styles:
    """Paragraph styles in the document's fonts (never reportlab's Helvetica defaults)."""

    def __init__(self, fonts: FontSet) -> None:
        body, head = fonts.body, fonts.heading
        self.fonts = fonts
        # wordWrap="CJK" breaks lines between Chinese characters; the default only breaks at
        # spaces, which Chinese text does not have.
        self.base = ParagraphStyle("base", fontName=body, wordWrap="CJK")
        self.title = ParagraphStyle(
            "title", parent=self.base, fontName=head, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=6 * mm
        )
        self.subtitle = ParagraphStyle(
            "subtitle", parent=self.base, fontName=body, fontSize=12, leading=18, alignment=TA_CENTER, spaceAfter=4 * mm
        )
        self.h1 = ParagraphStyle(
            "h1", parent=self.base, fontName=head, fontSize=15, leading=22, spaceBefore=2 * mm, spaceAfter=3 * mm
        )
        self.h2 = ParagraphStyle(
            "h2", parent=self.base, fontName=head, fontSize=12, leading=18, spaceBefore=3 * mm, spaceAfter=2 * mm
        )
        self.body = ParagraphStyle("body", parent=self.base, fontName=body, fontSize=10.5, leading=17, firstLineIndent=0)
        self.indent = ParagraphStyle("indent", parent=self.body, firstLineIndent=21)
        self.small = ParagraphStyle("small", parent=self.base, fontName=body, fontSize=8, leading=11)
        self.cell = ParagraphStyle("cell", parent=self.base, fontName=body, fontSize=9, leading=12)
        self.cell_center = ParagraphStyle("cellc", parent=self.cell, alignment=TA_CENTER)
        self.label = ParagraphStyle("label", parent=self.base, fontName=head, fontSize=9.5, leading=12.5, alignment=TA_CENTER)
        self.right = ParagraphStyle("right", parent=self.body, alignment=TA_RIGHT)
        self.left = ParagraphStyle("left", parent=self.body, alignment=TA_LEFT)
        self.mono = ParagraphStyle("mono", parent=self.base, fontName=body, fontSize=7.5, leading=10)


def escape(value: object) -> str:
    """Text for a Paragraph: reportlab parses a small XML, so <, > and & must be escaped."""
    s = "" if value is None else str(value)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")
    # reportlab collapses ideographic spaces like any other; no-break spaces keep a form's gaps.
    return s.replace("\u3000", "\xa0\xa0\xa0")


def para(value: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(value), style)


def yuan(fen: int | None) -> str:
    """Integer fen as ``1,234.50 元`` (exact: no float on the way)."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d} 元"


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


class PageMarker(Flowable):
    """Zero-size flowable that records the page it lands on (for the table of contents)."""

    def __init__(self, key: str, pages: dict[str, int]) -> None:
        super().__init__()
        self.key = key
        self.pages = pages
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.pages.setdefault(self.key, self.canv.getPageNumber())


class TableOfContents(Flowable):
    """Entries with dot leaders; the page numbers are written when the document is saved."""

    def __init__(self, entries: Sequence[tuple[str, str, int]], pages: dict[str, int], styles: Styles) -> None:
        super().__init__()
        self.entries = list(entries)  # (key, title, level)
        self.pages = pages
        self.styles = styles
        self.line = 9 * mm

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self.line * len(self.entries)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        font = self.styles.fonts.body
        spots = []
        for i, (key, title, level) in enumerate(self.entries):
            y = self.height - (i + 1) * self.line + 2.5 * mm
            x = 8 * mm * level
            c.setFont(font, 12 if level == 0 else 10.5)
            c.drawString(x, y, title)
            title_end = x + c.stringWidth(title, font, 12 if level == 0 else 10.5) + 2 * mm
            ax, ay = c.absolutePosition(title_end, y)
            rx, _ = c.absolutePosition(self.width, y)
            spots.append((key, ax, rx, ay))
        pages = self.pages

        def late(canv: rl_canvas.Canvas, total: int) -> None:
            for key, left, right, y in spots:
                number = str(pages.get(key, ""))
                canv.setFont(font, 11)
                num_w = canv.stringWidth(number, font, 11)
                dot_w = canv.stringWidth(".", font, 11)
                dots = max(0, int((right - left - num_w - 2 * mm) / dot_w))
                canv.drawString(left, y, "." * dots)
                canv.drawRightString(right, y, number)

        c.defer_to_save(late)


def numbered_canvas(info: PageInfo) -> type[rl_canvas.Canvas]:
    """A canvas class that draws header and footer at save time, when the total is known."""
    font_b, font_h = info.fonts.body, info.fonts.heading
    stamp = format_local(info.generated_at)

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = font_b  # the canvas preamble would otherwise name Helvetica
            kwargs.setdefault("initialFontSize", 10)
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._late: dict[int, list[Callable[[rl_canvas.Canvas, int], None]]] = {}

        def defer_to_save(self, fn: Callable[[rl_canvas.Canvas, int], None]) -> None:
            self._late.setdefault(self.getPageNumber(), []).append(fn)

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            late = self._late
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                for fn in late.get(self._pageNumber, []):
                    fn(self, total)
                rl_canvas.Canvas.showPage(self)
            rl_canvas.Canvas.save(self)

        def _decorate(self, total: int) -> None:
            w, h = self._pagesize
            self.saveState()
            self.setStrokeColor(GRID)
            self.setLineWidth(0.5)
            top = h - 14 * mm
            self.setFont(font_h, 8.5)
            self.drawString(MARGIN_X, top, info.header_left)
            self.drawRightString(w - MARGIN_X, top, info.header_right)
            self.line(MARGIN_X, top - 2 * mm, w - MARGIN_X, top - 2 * mm)
            bottom = 10 * mm
            self.line(MARGIN_X, bottom + 4 * mm, w - MARGIN_X, bottom + 4 * mm)
            self.setFont(font_b, 8)
            self.drawCentredString(w / 2, bottom, f"第 {self._pageNumber} 页 共 {total} 页")
            self.drawString(MARGIN_X, bottom, f"生成时间 {stamp}")
            self.drawRightString(w - MARGIN_X, bottom, f"zunyi-trainer {__version__}")
            self.restoreState()

    return NumberedCanvas


@dataclasses.dataclass
class BuildResult:
    pages: int
    sections: dict[str, int] = dataclasses.field(default_factory=dict)  # section key -> first page
    digest: str = ""  # the archive's document-set SHA-256
    warnings: list[str] = dataclasses.field(default_factory=list)  # sentences for the user (Chinese first)


class _Doc(BaseDocTemplate):
    def __init__(self, target: Any, info: PageInfo, pagesize: tuple[float, float]) -> None:
        super().__init__(
            target,
            pagesize=pagesize,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=info.title,
            author=info.institution,
            subject=info.subject,
            creator=f"zunyi-trainer {__version__}",
            keywords=info.keywords,
            initialFontName=info.fonts.body,
            invariant=False,
            lang="zh-CN",
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body", leftPadding=0, rightPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self.page_count = 0

    def afterPage(self) -> None:
        self.page_count = self.page


def build_pdf(
    target: str | Path | IO[bytes],
    info: PageInfo,
    story: list[Flowable],
    *,
    wide: bool = False,
    progress: Progress = None,
) -> BuildResult:
    """Lay out ``story`` on A4 (landscape when ``wide``) and write the PDF to ``target``."""
    pagesize = landscape(A4) if wide else A4
    out = str(target) if isinstance(target, Path) else target
    doc = _Doc(out, info, pagesize)
    if progress is not None:
        total = {"n": max(1, len(story))}

        def on_progress(kind: str, value: int) -> None:
            if kind == "SIZE_EST":
                total["n"] = max(1, value)
            elif kind == "PROGRESS":
                progress(min(value, total["n"]), total["n"])

        doc.setProgressCallBack(on_progress)
    try:
        doc.build(story, canvasmaker=numbered_canvas(info))
    except LayoutError as exc:
        raise ZunyiError(
            "“{title}”中有一项内容太长，一页放不下（{what}）。请把过长的文字分成几段或缩短后再打印。",
            "Something in “{title}” is too long to fit on one page ({what}). Shorten or split the long text and print again.",
            code="documents.layout",
            title=info.title,
            what=str(exc)[:120],
        ) from None
    if progress is not None:
        progress(1, 1)
    return BuildResult(pages=doc.page_count)


def frame_width(wide: bool = False) -> float:
    w = (landscape(A4) if wide else A4)[0]
    return w - 2 * MARGIN_X


def grid_style(font: str, *, header_rows: int = 1, size: float = 9, extra: Sequence[tuple] = ()) -> TableStyle:
    """Every cell in the document's font, a full grid, shaded header rows."""
    cmds: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size + 3),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        cmds += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG),
            ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"),
        ]
    cmds += list(extra)
    return TableStyle(cmds)


def data_table(
    header: Sequence[object],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    fonts: FontSet,
    *,
    size: float = 9,
    center_cols: Sequence[int] = (),
    extra: Sequence[tuple] = (),
    min_row_height: float | None = None,
) -> Table:
    """A long table: the header repeats on every page and a row is never split across pages."""
    data = [list(header), *[list(r) for r in rows]]
    cmds = [("ALIGN", (c, 1), (c, -1), "CENTER") for c in center_cols]
    table = Table(
        data,
        colWidths=list(widths),
        rowHeights=None if min_row_height is None else [None] + [min_row_height] * len(rows),
        repeatRows=1,
        splitInRow=0,
        style=grid_style(fonts.body, size=size, extra=[*cmds, *extra]),
        hAlign="CENTER",
    )
    return table


def form_table(
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    fonts: FontSet,
    *,
    label_cells: Sequence[tuple[int, int]] = (),
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    heights: Sequence[float | None] | None = None,
) -> Table:
    """A bordered form (label | value grid) as on the county's paper forms."""
    cmds: list[tuple] = [("BACKGROUND", cell, cell, LABEL_BG) for cell in label_cells]
    cmds += [("SPAN", a, b) for a, b in spans]
    table = Table(
        [list(r) for r in rows],
        colWidths=list(widths),
        rowHeights=list(heights) if heights else None,
        splitInRow=0,
        style=grid_style(fonts.body, header_rows=0, size=9.5, extra=cmds),
        hAlign="CENTER",
    )
    return table


def signature_block(styles: Styles, lines: Sequence[str | tuple[str, str]], width: float, height: float = 30 * mm) -> Table:
    """A boxed area for a signature and seal (or the county's opinion).

    A line is a string (left-aligned) or a (left, right) pair, e.g. a signature line and the date.
    """
    rows = []
    for line in lines:
        left, right = (line, "") if isinstance(line, str) else line
        rows.append([para(left, styles.left), para(right, styles.right)])
    inner = Table(
        rows,
        colWidths=[width * 0.6 - 6, width * 0.4 - 6],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.fonts.body),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        ),
    )
    return Table(
        [[inner]],
        colWidths=[width],
        rowHeights=[height],
        style=grid_style(styles.fonts.body, header_rows=0, extra=[("VALIGN", (0, 0), (-1, -1), "TOP")]),
    )


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


def gap(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)
