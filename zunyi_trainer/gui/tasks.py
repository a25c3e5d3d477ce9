"""The one task runner (STYLE.md item 2): long work runs off the UI thread with a progress dialog
and a cancel button, and its result or error comes back on the main thread.

A task is a function ``fn(task)`` that calls ``task.progress(done, total)`` as it goes (which raises
:class:`Cancelled` once the user has pressed cancel). Writes run on one dedicated worker, so two
writes never interleave. Tests inject :class:`SynchronousPool`, which runs every task at once on
the calling thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from zunyi_trainer.gui import messages

log = logging.getLogger(__name__)


class _AfterPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], Any]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
            self.deleteLater()
        return False


def after_paint(widget: QWidget, callback: Callable[[], Any]) -> None:
    """Call ``callback`` once ``widget`` has been painted (a zero timer after its next paint).

    For work a page starts when it is first shown: a worker running Python meanwhile makes the
    UI thread wait for Python's lock at every step of the window's first paint."""
    _AfterPaint(widget, callback)


class Cancelled(Exception):
    """The user pressed cancel; the task stops at its next progress call."""


class SynchronousPool:
    """A stand-in for QThreadPool that runs each runnable immediately (for tests)."""

    def start(self, runnable: QRunnable) -> None:
        runnable.run()

    def waitForDone(self, msecs: int = -1) -> bool:
        return True


class TaskHandle:
    """What a running task sees: progress reporting and the cancel flag."""

    #: At most one progress signal per this many seconds reaches the UI thread: a task that
    #: reports every row of a 20,000-row import would otherwise flood the event loop.
    PROGRESS_INTERVAL_S = 0.05

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancel = threading.Event()
        self._last_emit = 0.0

    def progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        now = time.monotonic()
        if done <= 0 or done >= total or now - self._last_emit >= self.PROGRESS_INTERVAL_S:
            self._last_emit = now
            self._relay.progressed.emit(int(done), int(total))

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Relay(QObject):
    """Lives on the main thread; signals emitted from the worker arrive there queued."""

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    """Runs ``fn`` on a pool thread. Its Python objects (the relay, a QObject, among them) must die on
    the main thread: a QObject destroyed on the worker takes Qt's signal lock and then waits for
    Python's lock, while the main thread, holding Python's lock, may be waiting for that signal lock
    (closing the progress dialog): a deadlock seen in the tests. So the pool does not delete the
    runnable; TaskRunner keeps it and lets it go on the main thread a while after ``run`` ended."""

    def __init__(self, fn: Callable[[TaskHandle], Any], handle: TaskHandle, relay: _Relay) -> None:
        super().__init__()
        self.fn, self.handle, self.relay = fn, handle, relay
        self.released_at: float | None = None
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.fn(self.handle)
        except BaseException as exc:  # handed to the main thread, which logs and shows it
            self.relay.failed.emit(exc)
        else:
            self.relay.finished.emit(result)
        finally:
            self.released_at = time.monotonic()


class TaskRunner(QObject):
    """Runs tasks off the UI thread; ``pool`` and ``write_pool`` are injectable."""

    def __init__(self, parent: QObject | None = None, pool: Any = None, write_pool: Any = None) -> None:
        super().__init__(parent)
        self.pool = pool if pool is not None else QThreadPool.globalInstance()
        if write_pool is None:
            if isinstance(pool, SynchronousPool):
                write_pool = pool
            else:
                write_pool = QThreadPool(self)
                write_pool.setMaxThreadCount(1)  # writes never interleave
        self.write_pool = write_pool
        self._running: set[_Relay] = set()
        self._kept: list[_Runnable] = []  # finished or running; let go on the main thread (see _Runnable)
        self._writing: set[_Relay] = set()

    @property
    def busy(self) -> int:
        return len(self._running)

    @property
    def writing(self) -> bool:
        """A write (import, backup, export …) is running: a form's save should wait for it rather
        than block the window on the register's write lock."""
        return bool(self._writing)

    def run(
        self,
        fn: Callable[[TaskHandle], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        parent: QWidget | None = None,
        label: str | None = None,
        writes: bool = False,
    ) -> TaskHandle:
        """Start ``fn``; with ``label`` a progress dialog with cancel is shown while it runs.

        Errors go to ``on_error`` or, by default, to the error dialog (traceback to the log only).
        """
        relay = _Relay()
        handle = TaskHandle(relay)
        dialog: QProgressDialog | None = None
        if label is not None:
            dialog = QProgressDialog(label, self.tr("Cancel"), 0, 0, parent)
            dialog.setObjectName("taskProgress")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)  # a blink: no dialog flashes for quick work
            dialog.setAutoReset(False)
            dialog.setAutoClose(False)
            dialog.canceled.connect(handle.cancel)

            def show_progress(done: int, total: int) -> None:
                if dialog is not None:
                    dialog.setMaximum(max(total, 0))
                    dialog.setValue(min(done, total) if total > 0 else 0)

            relay.progressed.connect(show_progress)

        def finish() -> None:
            self._let_go()
            self._running.discard(relay)
            self._writing.discard(relay)
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()

        def done(result: Any) -> None:
            finish()
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            finish()
            if isinstance(exc, Cancelled):
                log.info("task cancelled")
                return
            if on_error is not None:
                on_error(exc)
            else:
                messages.show_error(parent, exc)

        relay.finished.connect(done)
        relay.failed.connect(failed)
        self._running.add(relay)
        if writes:
            self._writing.add(relay)
        runnable = _Runnable(fn, handle, relay)
        self._let_go()
        self._kept.append(runnable)
        (self.write_pool if writes else self.pool).start(runnable)
        return handle

    def _let_go(self) -> None:
        """Drop the runnables whose worker finished with them a while ago (a second: the worker is
        long out of ``run`` by then), so their objects are destroyed here, on the main thread."""
        now = time.monotonic()
        self._kept = [r for r in self._kept if r.released_at is None or now - r.released_at < 1.0]

    def wait(self) -> None:
        """Block until every task has finished (used at exit)."""
        self.pool.waitForDone(-1)
        self.write_pool.waitForDone(-1)
