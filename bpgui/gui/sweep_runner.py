"""A sweep running beside the window: ``bpgui sweep``'s own code on a worker thread.

The runs train in :class:`bpgui.runs.Sweep` exactly as ``bpgui sweep`` trains them (worker
processes through joblib's loky backend, or a Dask cluster; ``jobs=1`` in this process). A
worker thread only iterates :meth:`Sweep.results`, which mostly waits for the processes; each
finished run crosses to the GUI thread as a queued signal and is added to the Runs dock with
one call (``controller.runs.add``). The window's own network, run and history are never
touched, so training in the window goes on meanwhile.

Cancel (:meth:`SweepRunner.cancel`) abandons the runs still going at once
(:meth:`Sweep.cancel`); the window's close sequence calls :meth:`SweepRunner.shutdown`, which
cancels and joins the thread (bounded, never ``terminate()``).
"""

from __future__ import annotations

import re
import time

from PySide6.QtCore import QObject, Signal

from bpgui.gui.background_job import STOP_WAIT_MS, BackgroundJob

DASK_STOP_WAIT_MS = 15000  # connecting to a scheduler gives up after 10 s; a LocalCluster closes in 1-2 s
WORKER_NICE = 10
"""Niceness of the sweep's worker processes: the window and its own training come first."""
_SWEEP_LABEL = re.compile(r"sweep (\d+) run \d+")


class SweepWorker(QObject):
    """Iterates a :class:`bpgui.runs.Sweep` on a worker thread (a parentless QObject).

    Signals
    -------
    resulted(object)
        A finished run's :class:`~bpgui.runs.SweepResult` (the worker keeps no reference).
    finished(bool)
        The sweep ended; True when it was cancelled.
    failed(str)
        It could not go on (bad data for a run, the Dask scheduler unreachable, a worker
        process lost): one line for the user.
    """

    resulted = Signal(object)
    finished = Signal(bool)
    failed = Signal(str)

    def __init__(self, sweep):
        super().__init__()
        self.sweep = sweep

    def cancel(self):
        """Any thread: no new run starts, the runs going are abandoned."""
        self.sweep.cancel()

    def run(self):
        try:
            for result in self.sweep.results():
                self.resulted.emit(result)
        except Exception as error:  # noqa: BLE001 - shown to the user, never a crash
            if self.sweep.cancelled:
                self.finished.emit(True)
            else:
                self.failed.emit(" ".join(str(error).split()) or type(error).__name__)
            return
        self.finished.emit(self.sweep.cancelled)


def next_sweep_number(records):
    """One more than the K of any ``sweep K run N`` label kept."""
    numbers = [int(match.group(1)) for match in map(_SWEEP_LABEL.fullmatch, (r.label for r in records)) if match]
    return max(numbers, default=0) + 1


def time_left(elapsed, done, total):
    """Seconds left at the pace of the finished runs; None before the first one."""
    if done == 0 or done >= total:
        return None
    return elapsed / done * (total - done)


class SweepRunner(BackgroundJob):
    """One sweep at a time, run beside the window; its runs go to ``controller.runs``.

    Signals
    -------
    started(int)
        A sweep of that many runs started.
    progressed(int, int, object)
        Runs finished, runs in all, and seconds left (None while unknown).
    ended(object, bool, str)
        The finished runs (SweepResults, in the order they finished, records as added to
        the Runs dock), whether the sweep was cancelled, and an error message ("" if none).
    """

    started = Signal(int)
    progressed = Signal(int, int, object)
    ended = Signal(object, bool, str)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.plan = None
        self.results = []
        self.number = 0  # K of this sweep's "sweep K run N" labels
        self._started_at = 0.0

    @property
    def seconds(self):
        """Seconds since the sweep started."""
        return time.monotonic() - self._started_at

    @property
    def total(self):
        return len(self.plan.runs) if self.plan is not None else 0

    def start(self, plan):
        """Run ``plan`` (a :class:`~bpgui.gui.sweep_plan.SweepPlan`) in the background.

        Raises
        ------
        RuntimeError
            When a sweep is already running.
        """
        from bpgui.runs import Sweep

        if self.is_running:
            raise RuntimeError("a sweep is already running")
        sweep = Sweep(plan.data, plan.runs, plan.jobs, plan.backend, plan.scheduler, nice=WORKER_NICE)
        self.plan, self.results = plan, []
        self.number = next_sweep_number(self.controller.runs)
        worker = SweepWorker(sweep)
        worker.resulted.connect(self._on_result)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        self._started_at = time.monotonic()
        self._start(worker)
        self.started.emit(len(plan.runs))
        self.progressed.emit(0, len(plan.runs), None)

    def cancel(self):
        """Abandon the runs going; the finished ones stay in the table."""
        if self._worker is not None:
            self._worker.cancel()

    def _on_result(self, result):
        if not self._current():
            return
        record = result.record
        record.label = f"sweep {self.number} run {result.index + 1}"
        record.data = self.plan.data_name
        self.controller.runs.add(record)
        self.results.append(result)
        done = len(self.results)
        self.progressed.emit(done, self.total, time_left(time.monotonic() - self._started_at, done, self.total))

    def _on_finished(self, cancelled):
        if self._current():
            self._end()
            self.ended.emit(list(self.results), cancelled, "")

    def _on_failed(self, message):
        if self._current():
            self._end()
            self.ended.emit(list(self.results), False, message)

    def _end(self):
        """Wait for the worker's thread (it is ending or was told to) and forget it; True when
        it has ended."""
        return self._join(DASK_STOP_WAIT_MS if self.plan.backend == "dask" else STOP_WAIT_MS)

    def shutdown(self):
        """Cancel a sweep and wait for its thread (bounded) before the window closes; the
        runs already finished stay. Returns True when nothing is left running."""
        if self._worker is None:
            return True
        self._worker.cancel()
        ended = self._end()
        self.ended.emit(list(self.results), True, "")
        return ended
