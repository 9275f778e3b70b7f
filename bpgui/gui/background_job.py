"""Long work beside the window on a worker thread: recording an animation, running a sweep.

:class:`BackgroundJob` holds what such work needs around its own worker: the thread (started
with :func:`~bpgui.gui.worker.start_worker`), garbage collected on the GUI thread while it
runs (:mod:`bpgui.gui.interpreter`), a check that a signal comes from the current worker and
not a late one, and a bounded join that never destroys a running thread (QT-NOTES.md: a
thread that outlives the wait is kept, never ``terminate()``-d).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from bpgui.gui import interpreter
from bpgui.gui.worker import start_worker

STOP_WAIT_MS = 5000
_RETIRED = []  # (thread, worker) that outlived a bounded wait: never destroyed while running


class BackgroundJob(QObject):
    """One worker at a time on its own thread; subclasses connect its signals and react."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._worker = self._worker_thread = None
        self._collector = QTimer(self)  # garbage is collected here while the worker runs
        self._collector.setInterval(100)
        self._collector.timeout.connect(interpreter.collect_garbage)

    @property
    def is_running(self):
        return self._worker_thread is not None

    def _start(self, worker):
        """Run ``worker`` (a parentless QObject with ``run``, ``finished``/``failed``
        signals) on a new thread; its signals must be connected first."""
        self._worker = worker
        interpreter.worker_started()
        self._collector.start()
        self._worker_thread = start_worker(worker)

    def _current(self):
        """True in a slot called by the worker running now (not a late word from an old one)."""
        return self._worker is not None and self.sender() is self._worker

    def _join(self, wait_ms=STOP_WAIT_MS):
        """Wait for the worker's thread (it is ending, or was told to) and forget the worker;
        True when the thread has ended."""
        thread, ended = self._worker_thread, True
        if thread is not None:
            thread.quit()
            ended = thread.wait(wait_ms)
            if not ended:  # never let Python destroy a running QThread, nor its worker
                _RETIRED.append((thread, self._worker))
            self._collector.stop()
            interpreter.worker_ended()
        self._worker = self._worker_thread = None
        return ended
