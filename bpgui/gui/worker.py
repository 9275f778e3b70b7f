"""The training worker: adapts the engine's epoch generator to a Qt thread.

The worker is a parentless ``QObject`` moved to a plain ``QThread`` (QT-NOTES.md). It never
emits once per epoch: each report goes into a thread-safe ``deque`` that the controller drains
on its own paced clock (30 Hz at most), so a trainer doing thousands of epochs a second never
floods the event loop. Stopping is a ``threading.Event`` set from the GUI thread (plus the
trainer's own flag, checked between batches); a queued signal would not arrive while ``run``
loops.
"""

from __future__ import annotations

import collections
import threading

from PySide6.QtCore import QObject, QThread, Signal

from bpgui.engine import TrainingDiverged
from bpgui.gui.pacing import thread_cpu_clock


class TrainingWorker(QObject):
    """Runs ``trainer.epochs(limit)`` on a worker thread.

    Parameters
    ----------
    trainer : bpgui.engine.Trainer
    run_id : int
        Echoed in every signal so the controller can ignore a late word from an old run.
    limit : int
        Stop once the trainer has done this many epochs in total.
    delay : callable () -> float
        Seconds to wait after each epoch (0 = full speed); read afresh every epoch so the
        speed slider acts at once.
    single_batch : bool
        Train one mini-batch only (``trainer.step_batch``); its ``BatchReport`` is kept in
        ``last_batch`` and the epoch's report, when the batch ended one, in ``reports``.
    """

    finished = Signal(int, str)  # run id, why: "stopped", "max_epochs", "target_loss", "early_stopping"
    failed = Signal(int, str, bool)  # run id, message, diverged?

    def __init__(self, trainer, run_id, limit, delay, single_batch=False):
        super().__init__()
        self.single_batch = single_batch
        self.last_batch = None
        self.trainer = trainer
        self.run_id = run_id
        self.limit = limit
        self._delay = delay
        self._stop = threading.Event()
        self.reports = collections.deque()
        self.cpu_clock = None  # the worker thread's CPU clock id once it runs (for the pacer)

    def request_stop(self):
        """Stop before the next batch (thread-safe; call from the GUI thread)."""
        self._stop.set()
        self.trainer.request_stop()

    def run(self):
        self.cpu_clock = thread_cpu_clock()
        try:
            if self.single_batch:
                reason = self._one_batch()
            else:
                reason = self._epochs()
        except TrainingDiverged as error:
            self.failed.emit(self.run_id, str(error), True)
            return
        except Exception as error:  # noqa: BLE001 - shown to the user, never a crash
            self.failed.emit(self.run_id, f"training failed: {error}", False)
            return
        self.finished.emit(self.run_id, reason)

    def _one_batch(self):
        self.last_batch, report = self.trainer.step_batch(self.limit)
        if report is None:
            return "stopped"
        self.reports.append(report)
        return report.stop_reason or "stopped"

    def _epochs(self):
        """Train epochs until the limit, a stop criterion or the stop flag; return why it ended.

        Every report carries the gradient norms; per-neuron data come with the epochs the
        controller asks for (the one it will draw next), so the trainer computes them only
        as often as the window draws.
        """
        for report in self.trainer.epochs(self.limit):
            self.reports.append(report)
            if report.stop_reason:
                return report.stop_reason
            delay = self._delay()
            if delay > 0 and self._stop.wait(delay):
                break
            if self._stop.is_set():
                break
        return "stopped"


def start_worker(worker):
    """Move ``worker`` to a new ``QThread``, wire the clean-up, start it; return the thread.

    Python owns both objects and the controller drops them on the GUI thread once the thread
    has finished. No ``deleteLater`` on the worker: destroying a PySide object on the worker
    thread takes Qt's signal-slot lock and then waits for the interpreter lock, while the GUI
    thread, holding the interpreter lock, may wait for that same Qt lock (a deadlock seen
    once in ~200 runs of the test suite, in a pause)."""
    worker_thread = QThread()
    worker.moveToThread(worker_thread)
    worker_thread.started.connect(worker.run)
    worker.finished.connect(worker_thread.quit)
    worker.failed.connect(worker_thread.quit)
    worker_thread.start()
    return worker_thread
