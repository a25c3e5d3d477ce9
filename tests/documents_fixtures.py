"""Helpers for the document tests: reading PDFs back with pypdf."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader


@dataclass
class Pdf:
    reader: PdfReader
    pages: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def compact(self) -> str:
        """The text without white space: extraction splits table cells and words at will."""
        return re.sub(r"\s+", "", self.text)

    def page_compact(self, number: int) -> str:
        return re.sub(r"\s+", "", self.pages[number - 1])


def read_pdf(source: Path | bytes) -> Pdf:
    reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    return Pdf(reader, [p.extract_text() or "" for p in reader.pages])


def font_report(reader: PdfReader) -> list[tuple[str, bool]]:
    """(base font name, embedded?) for every font on every page, forms included."""
    found: list[tuple[str, bool]] = []

    def visit(resources) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        fonts = resources.get("/Font")
        if fonts is not None:
            for ref in fonts.get_object().values():
                font = ref.get_object()
                desc = None
                if font.get("/Subtype") == "/Type0":
                    desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
                else:
                    desc = font.get("/FontDescriptor")
                desc = desc.get_object() if desc is not None else None
                embedded = desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found.append((str(font.get("/BaseFont")), embedded))
        xobjects = resources.get("/XObject")
        if xobjects is not None:
            for ref in xobjects.get_object().values():
                xo = ref.get_object()
                if xo.get("/Subtype") == "/Form":
                    visit(xo.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def page_numbers_add_up(pdf: Pdf) -> bool:
    total = len(pdf.pages)
    return all(f"第{i}页共{total}页" in pdf.page_compact(i) for i in range(1, total + 1))
