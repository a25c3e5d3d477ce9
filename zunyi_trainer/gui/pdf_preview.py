"""The document preview: a generated PDF shown in the window (QPdfView), with page navigation,
zoom, printing through the system's print dialog, and "save as" where the user chooses.

Printing renders each page with :meth:`QPdfDocument.render` at :data:`PRINT_DPI` and draws it,
at actual size, into the printer's painter. It runs on the task runner (a :class:`QPdfDocument`
of its own in the worker), so a long archive never freezes the window.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from zunyi_trainer.errors import ZunyiError, explain_storage_error
from zunyi_trainer.gui import messages
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.tasks import Cancelled

log = logging.getLogger(__name__)

PRINT_DPI = 300  # sharp on any office printer; an A4 page is 2480 × 3508 pixels
BAND_ROWS = 160  # pixel rows drawn per call (see _draw_page)
ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 4.0
LAST_DIR_KEY = "documents/last_dir"


class PdfUnreadable(ZunyiError):
    code = "documents.unreadable"


def load_document(path: Path, parent=None) -> QPdfDocument:
    """Open ``path`` as a QPdfDocument, refusing a file that is not a readable PDF with a sentence."""
    doc = QPdfDocument(parent)
    error = doc.load(str(path))
    if error != QPdfDocument.Error.None_ or doc.pageCount() < 1:
        raise PdfUnreadable(
            "无法打开 PDF 文件“{name}”（{error}）。文件可能不完整，请重新生成。",
            "Cannot open the PDF “{name}” ({error}). It may be incomplete; generate it again.",
            name=path.name,
            error=error.name,
        )
    return doc


def print_pages(path: Path, printer: QPrinter, pages: list[int], progress=None, dpi: int | None = None) -> int:
    """Draw ``pages`` (0-based) of the PDF at ``path`` into ``printer``, each at actual size on
    its sheet; returns how many were printed. Safe to run off the UI thread (QPainter on a
    QPrinter is, and the document is opened here)."""
    dpi = dpi or PRINT_DPI
    doc = load_document(path)
    try:
        painter = QPainter()
        if not painter.begin(printer):
            raise ZunyiError(
                "无法开始打印：打印机“{name}”没有响应。请检查打印机是否已连接、已开机，然后再试。",
                "Cannot start printing: the printer “{name}” does not respond. Check that it is connected and on.",
                code="documents.printer",
                name=printer.printerName() or printer.outputFileName() or "?",
            )
        try:
            for n, index in enumerate(pages):
                if progress is not None:
                    progress(n, len(pages))
                if n and not printer.newPage():
                    raise ZunyiError(
                        "打印在第 {page} 页中断（打印机没有接受新的一页）。请检查打印机后重新打印。",
                        "Printing stopped at page {page} (the printer refused a new page). Check the printer and print again.",
                        code="documents.printer",
                        page=index + 1,
                    )
                _draw_page(doc, index, painter, printer.resolution() / dpi, dpi)
        except BaseException:
            printer.abort()  # cancelled or failed: the job is withdrawn, not half printed
            raise
        finally:
            painter.end()
        if progress is not None:
            progress(len(pages), len(pages))
        return len(pages)
    finally:
        doc.close()


def _draw_page(doc: QPdfDocument, index: int, painter: QPainter, device_per_pixel: float, dpi: int) -> None:
    """One page at actual size from the sheet's corner (full-page mode), in bands of
    :data:`BAND_ROWS` rows: each call into Qt holds Python's lock while the print engine
    compresses the pixels, and a whole 300-dpi page would freeze the window for a second."""
    size = doc.pagePointSize(index)
    width, height = round(size.width() * dpi / 72), round(size.height() * dpi / 72)
    for top in range(0, height, BAND_ROWS):
        rows = min(BAND_ROWS, height - top)
        options = QPdfDocumentRenderOptions()
        options.setScaledSize(QSize(width, height))
        options.setScaledClipRect(QRect(0, top, width, rows))
        band = QImage(width, rows, QImage.Format.Format_RGB32)
        band.fill(Qt.GlobalColor.white)  # pdfium leaves the paper transparent; an opaque band prints lighter and faster
        with _painting(band) as on_band:
            on_band.drawImage(0, 0, doc.render(index, QSize(width, rows), options))
        painter.drawImage(QRectF(0, top * device_per_pixel, width * device_per_pixel, rows * device_per_pixel), band)


@contextlib.contextmanager
def _painting(device):
    painter = QPainter(device)
    try:
        yield painter
    finally:
        painter.end()


def copy_pdf(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` through a temporary file beside it: a failure (a full or
    removed USB stick) leaves no half-written PDF, and a file open in a reader is reported."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".zunyi-", suffix=".pdf", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        try:
            os.replace(tmp, target)
        except PermissionError:
            raise ZunyiError(
                "无法写入 {p}：文件可能正在 PDF 阅读器中打开。请关闭它后再试。",
                "Cannot write {p}: it may be open in a PDF reader. Close it and try again.",
                code="documents.locked",
                p=str(target),
            ) from None
        return target
    except OSError as exc:
        raise write_error(exc, target) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_error(exc: OSError, target: Path) -> ZunyiError:
    """A failed write as a sentence: the disk's own (full, read-only, removed) or the system's reason."""
    return explain_storage_error(exc) or ZunyiError(
        "无法写入 {p}：{reason}。请换一个位置或文件名再试。",
        "Cannot write {p}: {reason}. Choose another place or name and try again.",
        code="documents.write",
        p=str(target),
        reason=exc.strerror or type(exc).__name__,
    )


def show_pdf(path: str | Path, parent: QWidget, *, title: str | None = None, notes: list[str] | None = None) -> PdfPreview:
    """Preview a PDF already saved at ``path`` (not deleted on close) from any widget of the app;
    the AppContext is found among ``parent`` and its ancestors."""
    ctx, widget = None, parent
    while widget is not None and ctx is None:
        ctx = getattr(widget, "ctx", None)
        widget = widget.parentWidget()
    if not isinstance(ctx, AppContext):
        raise LookupError("no AppContext above the widget")
    path = Path(path)
    preview = PdfPreview(ctx, path, title=title or path.stem, suggested_name=path.name, notes=notes, parent=parent)
    preview.show()
    preview.raise_()
    return preview


class PdfPreview(QDialog):
    """One generated document: its pages, and what can be done with it (print, save as).

    ``owned_dir`` is a temporary folder holding the file; it is deleted when the preview closes
    (an application carries full ID numbers: no copy is left behind in the temp folder)."""

    def __init__(
        self,
        ctx: AppContext,
        path: Path,
        *,
        title: str,
        suggested_name: str,
        notes: list[str] | None = None,
        owned_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx, self.path, self.suggested_name, self.owned_dir = ctx, Path(path), suggested_name, owned_dir
        if owned_dir is not None:
            _copies.add(owned_dir)
            # Destroyed without being closed (its window went away): the copy goes too. The slot
            # holds the path only; the preview is gone by the time it runs.
            self.destroyed.connect(lambda *_args, folder=owned_dir: remove_copy(folder))
        self.setObjectName("pdfPreview")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(self.tr("Preview: %1").replace("%1", title))
        self.resize(900, 1000)
        self.document = load_document(self.path, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("previewToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        layout.addWidget(self.toolbar)
        self.print_action = self._action("print", self.tr("Print…"), QKeySequence.StandardKey.Print, self.print_document)
        self.save_action = self._action("saveAs", self.tr("Save as…"), QKeySequence.StandardKey.Save, self.save_as)
        self.toolbar.addSeparator()
        self.first_action = self._action("firstPage", self.tr("First"), "Ctrl+Home", lambda: self.go_to(1))
        self.previous_action = self._action(
            "previousPage",
            self.tr("Previous"),
            QKeySequence.StandardKey.MoveToPreviousPage,
            lambda: self.go_to(self.current_page() - 1),
        )
        self.page_box = QSpinBox(self)
        self.page_box.setObjectName("pageNumber")
        self.page_box.setRange(1, self.page_count())
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(self.go_to)
        self.toolbar.addWidget(self.page_box)
        self.page_total = QLabel(self.tr("of %1").replace("%1", str(self.page_count())), self)
        self.page_total.setObjectName("pageTotal")
        self.page_total.setContentsMargins(4, 0, 8, 0)
        self.toolbar.addWidget(self.page_total)
        self.next_action = self._action(
            "nextPage", self.tr("Next"), QKeySequence.StandardKey.MoveToNextPage, lambda: self.go_to(self.current_page() + 1)
        )
        self.last_action = self._action("lastPage", self.tr("Last"), "Ctrl+End", lambda: self.go_to(self.page_count()))
        self.toolbar.addSeparator()
        self._action("zoomOut", self.tr("Zoom out"), QKeySequence.StandardKey.ZoomOut, self.zoom_out)
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoomLabel")
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.toolbar.addWidget(self.zoom_label)
        self._action("zoomIn", self.tr("Zoom in"), QKeySequence.StandardKey.ZoomIn, self.zoom_in)
        self._action("fitWidth", self.tr("Fit width"), "Ctrl+0", self.fit_width)
        self._action("fitPage", self.tr("Whole page"), None, self.fit_page)
        self.toolbar.addSeparator()
        self._action("close", self.tr("Close"), QKeySequence.StandardKey.Close, self.close)

        self.notes = QLabel(self)
        self.notes.setObjectName("previewNotes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("background: #fff4e5; color: #6b3d00; padding: 6px 10px;")
        self.notes.setText("\n".join(notes or []))
        self.notes.setVisible(bool(notes))
        layout.addWidget(self.notes)

        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setDocument(self.document)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        self.view.zoomFactorChanged.connect(self._show_zoom)
        self.view.zoomModeChanged.connect(self._show_zoom)
        layout.addWidget(self.view, 1)

        footer = QHBoxLayout()
        footer.setContentsMargins(10, 4, 10, 4)
        self.file_label = QLabel(self)
        self.file_label.setObjectName("previewFile")
        footer.addWidget(self.file_label, 1)
        layout.addLayout(footer)
        self.printed: int | None = None  # pages sent by the last print
        self._printing = False
        self._printer: QPrinter | None = None
        self.finished.connect(self._release)
        self._show_file()
        self._page_changed(0)
        self._show_zoom()
        self.view.setFocus()  # the arrow and page keys scroll the pages at once

    def _action(self, name: str, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"preview_{name}")
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(f"{text} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
        action.triggered.connect(lambda _=False: slot())
        self.toolbar.addAction(action)
        return action

    # -- pages and zoom

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        """The page shown, counted from 1."""
        return self.view.pageNavigator().currentPage() + 1

    def go_to(self, page: int) -> None:
        page = max(1, min(int(page), self.page_count()))
        navigator = self.view.pageNavigator()
        if navigator.currentPage() != page - 1:
            navigator.jump(page - 1, QPointF(), navigator.currentZoom())
        self._page_changed(page - 1)

    def _page_changed(self, index: int) -> None:
        page = index + 1
        if self.page_box.value() != page:
            self.page_box.blockSignals(True)
            self.page_box.setValue(page)
            self.page_box.blockSignals(False)
        self.first_action.setEnabled(page > 1)
        self.previous_action.setEnabled(page > 1)
        self.next_action.setEnabled(page < self.page_count())
        self.last_action.setEnabled(page < self.page_count())

    def zoom_factor(self) -> float:
        return self.view.zoomFactor()

    def set_zoom(self, factor: float) -> None:
        self._keeping_page(lambda: self._custom_zoom(factor))

    def _custom_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, factor)))

    def _keeping_page(self, change) -> None:
        """Change the zoom and stay on the page being read (the scroll offset alone would move it)."""
        page = self.current_page()
        change()
        self._show_zoom()
        # The view lays its pages out again on the next turn of the event loop; jump after that.
        QTimer.singleShot(0, self, lambda: self.go_to(page))

    def zoom_in(self) -> None:
        self.set_zoom(self._effective_zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self._effective_zoom() / ZOOM_STEP)

    def fit_width(self) -> None:
        self._keeping_page(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))

    def fit_page(self) -> None:
        self._keeping_page(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))

    def _effective_zoom(self) -> float:
        """The zoom the user sees: in a fitting mode the view's factor stays at its last custom value,
        so it is worked out from the page's width against the viewport's."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom:
            return self.view.zoomFactor()
        size = self.document.pagePointSize(max(0, self.current_page() - 1))
        if size.width() <= 0:
            return 1.0
        dpi = self.view.logicalDpiX() / 72
        width = self.view.viewport().width() / (size.width() * dpi)
        if self.view.zoomMode() == QPdfView.ZoomMode.FitInView and size.height() > 0:
            width = min(width, self.view.viewport().height() / (size.height() * dpi))
        return max(ZOOM_MIN, min(ZOOM_MAX, width))

    def _show_zoom(self, *_args) -> None:
        self.zoom_label.setText(f"{self._effective_zoom():.0%}")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._show_zoom)  # a fitting zoom follows the view, laid out after this

    def _show_file(self) -> None:
        size = self.path.stat().st_size if self.path.exists() else 0
        self.file_label.setText(
            self.tr("%1 page(s), %2 KB").replace("%1", str(self.page_count())).replace("%2", f"{max(1, size // 1024):,}")
        )

    def wait_for_pages(self, timeout_s: float = 5.0) -> bool:
        """Process events until the view shows ink (QPdfView renders pages in the background);
        for screenshots and tests that look at the screen. False if nothing appeared in time."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            QApplication.processEvents()
            image = self.view.viewport().grab().toImage()
            if any(
                QColor(image.pixel(x, y)).lightness() < 128
                for y in range(0, image.height(), 6)
                for x in range(0, image.width(), 6)
            ):
                return True
            time.sleep(0.02)
        return False

    # -- save and print

    def _last_dir(self) -> str:
        value = self.ctx.settings.value(LAST_DIR_KEY, "")
        return str(value) if value and Path(str(value)).is_dir() else str(Path.home())

    def save_as(self, target: str | Path | None = None) -> Path | None:
        """Copy the PDF where the user chooses (a folder, a USB stick); returns where, or None."""
        if target is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Save the document as"),
                str(Path(self._last_dir()) / self.suggested_name),
                self.tr("PDF files (*.pdf)"),
            )
            if not chosen:
                return None
            target = chosen
        target = Path(target)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            copy_pdf(self.path, target)
        except Exception as exc:
            messages.show_error(self, exc)
            return None
        self.ctx.settings.setValue(LAST_DIR_KEY, str(target.parent))
        self.file_label.setText(self.tr("Saved to %1").replace("%1", str(target)))
        return target

    def make_printer(self) -> QPrinter:
        """A printer set up for this document: its paper size and orientation, every page."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setFullPage(True)
        printer.setDocName(self.suggested_name)
        first = self.document.pagePointSize(0)
        short, long = sorted((round(first.width()), round(first.height())))
        printer.setPageSize(QPageSize(QSize(short, long)))  # points, matched to A4 and the like
        landscape = first.width() > first.height()
        printer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait)
        printer.setFromTo(1, self.page_count())
        return printer

    def print_document(self) -> bool:
        """Ask the system's print dialog, then print off the UI thread with progress."""
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        dialog.setMinMax(1, self.page_count())
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer, self.pages_chosen(printer))

    def pages_chosen(self, printer: QPrinter) -> list[int]:
        """The 0-based pages the print dialog asked for: all, a range, or the current page."""
        count = self.page_count()
        if printer.printRange() == QPrinter.PrintRange.CurrentPage:
            return [self.current_page() - 1]
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first = max(1, printer.fromPage())
            last = min(count, printer.toPage() or count)
            return list(range(first - 1, last))
        return list(range(count))

    def print_to(self, printer: QPrinter, pages: list[int] | None = None) -> bool:
        pages = list(range(self.page_count())) if pages is None else pages
        path = self.path
        self.printed = None

        def done(count: int | None) -> None:
            self._printing = False
            self.printed = count
            if count is not None:
                self.file_label.setText(self.tr("Sent %1 page(s) to the printer.").replace("%1", str(count)))
            else:
                self.file_label.setText(self.tr("Printing was cancelled; nothing was sent to the printer."))

        def failed(exc: BaseException) -> None:
            self._printing = False
            messages.show_error(self, exc)

        def work(task) -> int | None:
            try:
                return print_pages(path, printer, pages, progress=task.progress)
            except Cancelled:
                return None  # answered like a result, so the preview knows the file is free again
            except OSError as exc:
                raise explain_storage_error(exc) or exc from None

        self._printer = printer  # kept alive until the task is over
        self._printing = True
        self.ctx.runner.run(work, on_done=done, on_error=failed, parent=self, label=self.tr("Printing…"))
        return True

    # -- closing

    def done(self, result: int) -> None:
        if self._printing:  # the print reads the file in the background: close once it is over
            return
        super().done(result)

    def _release(self, _result: int = 0) -> None:
        """Closed (by the button, Esc or the window's frame): let go of the file, delete our copy."""
        self.document.close()
        if self.owned_dir is not None:
            remove_copy(self.owned_dir)
            self.owned_dir = None


# Temporary copies of generated documents. An application carries full ID numbers, so none may
# outlive its preview: removed when the preview closes, when it is destroyed unclosed (its window
# went away), at exit, and — after a crash — by the next start's sweep of day-old copies.
TEMP_PREFIX = "zunyi-document-"
_copies: set[Path] = set()


def new_copy_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    _copies.add(folder)
    return folder


def remove_copy(folder: Path) -> None:
    _copies.discard(folder)
    with contextlib.suppress(OSError):
        shutil.rmtree(folder)


def remove_all_copies() -> None:
    for folder in list(_copies):
        remove_copy(folder)


def sweep_stale_copies(max_age_hours: float = 24) -> int:
    """Delete copies left by a run that ended without cleaning up; returns how many."""
    cutoff = time.time() - max_age_hours * 3600
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder)
                removed += 1
    return removed


atexit.register(remove_all_copies)
