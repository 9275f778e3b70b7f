"""The worker thread of a run, and the paced frames that bring its reports to the window.

:class:`RunThread` starts a :class:`~bpgui.gui.worker.TrainingWorker` on a ``QThread``, drains
the reports it queues on a ``QTimer`` (30 Hz at most, slower when drawing costs the trainer
more than it can afford: see :mod:`bpgui.gui.pacing`) and emits them once per frame, so views
never see a report per epoch and a fast trainer is never slowed down much by drawing. It also
stops and joins the thread (bounded, never ``terminate()``) and counts its worker in
:mod:`bpgui.gui.interpreter` (switch interval, garbage collection while a worker runs).
It knows nothing of the run's states: the controller does.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from bpgui.gui import interpreter
from bpgui.gui.pacing import FRAME_MS, FramePacer, read_cpu_clock
from bpgui.gui.worker import TrainingWorker, start_worker

STOP_WAIT_MS = 2000


class RunThread(QObject):
    """One training worker at a time, on its own thread, reporting on a paced clock.

    Signals
    -------
    framed(list of EpochReport)
        The reports queued since the last frame (never empty), on the GUI thread.
    finished(str, object)
        Why the worker ended ("stopped", "max_epochs", …) and its last ``BatchReport`` (or
        None); every queued report was framed first.
    failed(str, bool)
        The message, and whether training diverged.
    """

    framed = Signal(object)
    finished = Signal(str, object)
    failed = Signal(str, bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._run_id = 0
        self._worker = None
        self._worker_thread = None
        self._reports = None
        self._retired_threads = []
        self._full_speed = lambda: True
        self._pacer = FramePacer()
        self._tuned = False  # while our worker counts in bpgui.gui.interpreter
        self._frame_timer = QTimer(self)
        self._frame_timer.setInterval(FRAME_MS)
        self._frame_timer.timeout.connect(self._on_frame)

    @property
    def is_running(self):
        """True while a worker thread exists (running or winding down)."""
        return self._worker_thread is not None

    def launch(self, trainer, limit, delay, single_batch=False, full_speed=None):
        """Start a worker training ``trainer`` up to ``limit`` epochs (or one batch).

        Parameters
        ----------
        trainer : bpgui.engine.Trainer
        limit : int
        delay : callable () -> float
            Seconds to wait after each epoch, read afresh every epoch.
        single_batch : bool
        full_speed : callable () -> bool, optional
            True while the trainer runs flat out, so the pacer weighs drawing against it.
        """
        if self._worker_thread is not None:  # the previous run is still winding down
            self.join()
        self._run_id += 1
        self._full_speed = full_speed or (lambda: True)
        trainer.clear_stop()
        trainer.request_diagnostics()
        worker = TrainingWorker(trainer, self._run_id, limit, delay, single_batch=single_batch)
        worker.finished.connect(self._on_worker_finished)
        worker.failed.connect(self._on_worker_failed)
        self._worker, self._reports = worker, worker.reports
        self._worker_thread = start_worker(worker)
        self._pacer.start(time.perf_counter(), time.thread_time())
        self._frame_timer.setInterval(self._pacer.interval)
        self._frame_timer.start()
        self._tune_interpreter()

    def request_stop(self):
        """Ask the worker to stop before its next batch (it ends with ``finished``)."""
        if self._worker is not None:
            self._worker.request_stop()

    def join(self, timeout_ms=STOP_WAIT_MS):
        """Stop the worker, wait for its thread (bounded) and frame what it reported; from
        then on, whatever the old worker still says is ignored. Returns True when the thread
        has ended."""
        if self._worker_thread is None:
            return True
        self._run_id += 1
        self._worker.request_stop()
        self._worker_thread.quit()  # remembered by the thread even before its loop starts
        done = self._worker_thread.wait(timeout_ms)
        self._drain()
        self._forget_worker()
        return done

    # -- the interpreter while a worker runs (see bpgui.gui.interpreter) ----------------------

    def _tune_interpreter(self):
        if not self._tuned:
            self._tuned = True
            interpreter.worker_started()

    def _restore_interpreter(self):
        if self._tuned:
            self._tuned = False
            interpreter.worker_ended()

    # -- frames -----------------------------------------------------------------------------------

    def _on_frame(self):
        self._drain()
        interpreter.collect_garbage()
        if self._worker is not None:
            self._worker.trainer.request_diagnostics()
        self._pace()

    def _pace(self):
        """Set the next frame's interval from what drawing costs the trainer (see pacing)."""
        worker = self._worker
        worker_cpu = read_cpu_clock(worker.cpu_clock) if worker is not None else None
        self._frame_timer.setInterval(self._pacer.next_interval(
            time.perf_counter(), time.thread_time(), worker_cpu, self._full_speed()))

    def _drain(self):
        """Frame the worker's queued reports (the worker may add more meanwhile)."""
        reports = self._reports
        if not reports:
            return
        self.framed.emit([reports.popleft() for _ in range(len(reports))])

    # -- the worker's end -------------------------------------------------------------------------

    def _forget_worker(self):
        """Drop the worker; its thread is about to end (``run`` returned) and is waited for."""
        self._frame_timer.stop()
        worker_thread = self._worker_thread
        if worker_thread is not None:
            worker_thread.quit()
            if not worker_thread.wait(STOP_WAIT_MS):  # never let Python destroy a running QThread
                self._retired_threads.append((worker_thread, self._worker))  # nor its worker
        self._worker = self._worker_thread = self._reports = None
        self._restore_interpreter()
        self._retired_threads = [pair for pair in self._retired_threads if not pair[0].isFinished()]

    def _on_worker_finished(self, run_id, reason):
        if run_id != self._run_id:
            return
        batch = self._worker.last_batch  # a plain attribute: readable even once Qt deleted the worker
        self._drain()
        self._forget_worker()
        self.finished.emit(reason, batch)

    def _on_worker_failed(self, run_id, message, diverged):
        if run_id != self._run_id:
            return
        self._drain()
        self._forget_worker()
        self.failed.emit(message, diverged)
