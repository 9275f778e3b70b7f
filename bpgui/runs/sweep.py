"""Running the runs of a sweep: in this process, in parallel processes, or on a Dask cluster.

Every run is built and trained by :func:`~bpgui.runs.build.build_run` and
:func:`~bpgui.runs.build.train_run`, as ``bpgui train`` does, with one BLAS thread
(threadpoolctl), so a run's numbers never depend on where or beside what it ran. Each finished
run comes back as a :class:`~bpgui.runs.run_record.RunRecord` (origin ``"sweep"``, labelled
``sweep run N``, with its per-epoch history and final weights) as soon as it finishes.

Use (the command line and the window's sweep dialog alike)::

    from bpgui.runs import RunSettings, Sweep, SweepData, grid

    runs = grid(base_settings, {"lr": (0.001, 0.01, 0.1)}, seeds=2)
    sweep = Sweep(SweepData(table, base_spec), runs, jobs=2, backend="local")
    for result in sweep.results():      # in the order runs finish, not grid order
        result.index, result.record     # position in ``runs`` (RESULTS.csv's run is index + 1)
    sweep.cancel()                      # from any thread: no new run starts

Backends (:data:`BACKENDS`, keyed by the ``--backend`` word):

- ``local``: ``jobs=1`` trains the runs one after another in this process; more jobs train
  them in that many worker processes through joblib's loky backend.
- ``dask``: the runs go to a Dask cluster through joblib's Dask backend: the scheduler at
  ``scheduler`` (``tcp://host:port``), or a ``LocalCluster`` of ``jobs`` single-threaded
  worker processes started for the sweep and closed after it. Needs ``bpgui[cluster]``.

Cancelling: :meth:`Sweep.cancel` (from any thread) stops a run trained in this process
between two batches; in worker processes no further run is dispatched and the runs still
going are abandoned at once (joblib kills the loky workers, Dask forgets the tasks), and
:meth:`Sweep.results` ends within a few hundredths of a second. A run cut short is never
yielded; a cancelled sweep stays cancelled. Closing the generator (or an exception such as
``KeyboardInterrupt`` inside it) abandons the running runs too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
import warnings
from dataclasses import dataclass, field

from bpgui.engine import TrainingDiverged
from bpgui.runs.build import build_run, train_run
from bpgui.runs.run_record import RunRecord

CLUSTER_EXTRA = "pip install 'bpgui[cluster]'"


@dataclass(frozen=True)
class SweepData:
    """What every run of a sweep trains on (sent to each worker; picklable).

    Attributes
    ----------
    table : bpgui.data.Table
    base_spec : DatasetSpec or None
        Column choices the settings do not hold (an example's features, import choices).
    preset_layers : dict or None
        An example's initial layers (see :func:`~bpgui.runs.build.build_run`).
    explicit : frozenset of str
        Settings given explicitly (they win over the initial layers' architecture).
    """

    table: object
    base_spec: object = None
    preset_layers: dict | None = None
    explicit: frozenset = field(default_factory=frozenset)

    def build(self, settings):
        """The :class:`~bpgui.runs.build.Run` of ``settings`` on this data, untrained."""
        return build_run(self.table, settings, self.base_spec, self.preset_layers, self.explicit)


@dataclass(frozen=True)
class SweepResult:
    """One finished run: its position in the grid (from 0) and its record."""

    index: int
    record: RunRecord


def run_one(data, index, settings, started=None, nice=0):
    """Build and train one run of a sweep with one BLAS thread; a divergence is a result.

    Parameters
    ----------
    data : SweepData
    index : int
        The run's position in the grid (its label is ``sweep run {index + 1}``).
    settings : RunSettings
    started : callable (Run) -> None, optional
        Told the run before it trains (in-process cancelling stops its trainer).
    nice : int
        Lower the calling process's scheduling priority to this niceness first (worker
        processes only; see :func:`lower_priority`).

    Returns
    -------
    SweepResult
        Its record has ``error="diverged"`` when training diverged (the history up to the
        last finite epoch and the last finite weights are kept).
    """
    from threadpoolctl import threadpool_limits

    if nice:
        lower_priority(nice)
    with threadpool_limits(limits=1):
        run = data.build(settings)
        if started is not None:
            started(run)
        reports, error = [], None
        start = time.perf_counter()
        try:
            train_run(run, reports.append, keep_reports=False)  # the history: ``reports``, once
        except TrainingDiverged:
            error = "diverged"
        seconds = time.perf_counter() - start
    record = RunRecord.from_reports(f"sweep run {index + 1}", settings, reports, run.network,
                                    seconds=seconds, origin="sweep")
    record.error = error
    return SweepResult(index, record)


def lower_priority(nice):
    """Run this process at niceness ``nice`` or lower priority (Unix; elsewhere nothing).

    A sweep started from the window runs its worker processes so: the operating system then
    serves the window (and the window's own training) first, and the sweep takes the cores
    they leave. A run's numbers do not depend on it.
    """
    if not hasattr(os, "setpriority"):
        return
    try:
        if os.getpriority(os.PRIO_PROCESS, 0) < nice:
            os.setpriority(os.PRIO_PROCESS, 0, nice)
    except OSError:  # not allowed here: run as we are
        pass


class Sweep:
    """The runs of a sweep and where they run; :meth:`results` trains them.

    Parameters
    ----------
    data : SweepData
    runs : sequence of RunSettings
        Usually :func:`~bpgui.runs.grid.grid`'s.
    jobs : int
        Runs trained at once (``local``: 1 = in this process; ``dask`` without a scheduler:
        the LocalCluster's workers; with a scheduler the cluster's workers decide).
    backend : {"local", "dask"}
    scheduler : str, optional
        A Dask scheduler's address (``tcp://host:port``); ``dask`` only.
    nice : int
        Niceness of the worker processes this sweep starts on this machine (loky's, a local
        Dask cluster's); 0 leaves them as they are. Never this process's, nor a remote
        cluster's.

    Raises
    ------
    ValueError
        An unknown backend, ``jobs`` below 1, a scheduler without ``dask``.
    """

    def __init__(self, data, runs, jobs=1, backend="local", scheduler=None, nice=0):
        check_backend(backend, jobs, scheduler)
        self.data, self.runs = data, list(runs)
        self.jobs, self.backend, self.scheduler = int(jobs), backend, scheduler
        self.nice = 0 if scheduler is not None else int(nice)
        self._stop = threading.Event()
        self._in_process_run = None
        self._lock = threading.Lock()  # guards _parallel_call between results() and cancel()
        self._parallel_call = None  # the joblib.Parallel whose runs are going now

    def __len__(self):
        return len(self.runs)

    def results(self):
        """Train the runs; yield a :class:`SweepResult` as each one finishes.

        Raises
        ------
        ValueError
            Bad data or settings (from the first run that meets them); the Dask backend
            missing (naming ``bpgui[cluster]``) or its scheduler unreachable.
        """
        yield from BACKENDS[self.backend](self)

    def cancel(self):
        """Stop the sweep (any thread): no new run starts, a run in this process stops between
        two batches, runs in worker processes are abandoned, and :meth:`results` ends without
        yielding unfinished runs (at once when it has not started)."""
        self._stop.set()
        run = self._in_process_run
        if run is not None:
            run.trainer.request_stop()
        with self._lock:
            if self._parallel_call is not None:
                _abandon(self._parallel_call)

    @property
    def cancelled(self):
        return self._stop.is_set()

    # -- backends -------------------------------------------------------------------------------

    def _in_process(self):
        for index, settings in enumerate(self.runs):
            if self._stop.is_set():
                return
            result = run_one(self.data, index, settings, started=self._started)
            self._in_process_run = None
            if self._stop.is_set():  # cancelled while it trained: cut short
                return
            yield result

    def _started(self, run):
        self._in_process_run = run
        if self._stop.is_set():
            run.trainer.request_stop()

    def _local(self):
        if min(self.jobs, len(self.runs)) <= 1:
            yield from self._in_process()
            return
        import joblib

        with joblib.parallel_config(backend="loky"):
            yield from self._parallel(min(self.jobs, len(self.runs)))

    def _dask(self):
        import joblib

        with _dask_client(self.scheduler, min(self.jobs, max(len(self.runs), 1))):
            with joblib.parallel_config(backend="dask"):
                yield from self._parallel(-1)

    def _parallel(self, n_jobs):
        """The runs through joblib's configured backend, yielded as they finish."""
        from joblib import Parallel, delayed

        tasks = (delayed(run_one)(self.data, index, settings, nice=self.nice)
                 for index, settings in enumerate(self.runs) if not self._stop.is_set())
        call = Parallel(n_jobs=n_jobs, batch_size=1, return_as="generator_unordered")
        with _children_ignore_interrupts():  # loky starts its workers here
            outputs = call(tasks)
        with self._lock:
            self._parallel_call = call
            if self._stop.is_set():  # cancelled while the workers started
                _abandon(call)
        try:
            for result in outputs:
                if self._stop.is_set():
                    return
                yield result
        finally:
            with self._lock:
                self._parallel_call = None
            with warnings.catch_warnings():  # joblib warns that runs were cancelled: we asked
                warnings.simplefilter("ignore")
                outputs.close()  # abandons the runs still going (joblib aborts them)


BACKENDS = {"local": Sweep._local, "dask": Sweep._dask}
"""``--backend`` word → how a :class:`Sweep` runs its runs."""


def _abandon(call):
    """Abandon the runs of a ``joblib.Parallel`` generator from another thread than the one
    iterating it: no new run is dispatched, the loky workers are killed (Dask forgets the
    tasks), and the generator ends within 10 ms (joblib's retrieval loop polls every 10 ms).

    joblib has no public way to cancel a call from outside: closing its generator works only
    between two results, in the thread that iterates it, and a run can take minutes. This is
    what joblib itself does when a task fails or when its generator is collected in another
    thread (``Parallel._abort``); marking the call as failed drops the results not yet taken,
    so nothing more is yielded. tests/runs/test_sweep.py checks it on each joblib version.
    """
    call._exception = True
    try:
        call._abort()
    except AttributeError:  # the call ended meanwhile and released its workers: nothing to abandon
        pass


def usable_cores():
    """The cores this process may use: the default number of jobs of a sweep (``bpgui sweep``
    and the window's dialog)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_backend(backend, jobs=1, scheduler=None):
    """Raise ``ValueError`` for an unknown backend, ``jobs`` below 1, or a scheduler address
    without the dask backend."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r} (known: {', '.join(BACKENDS)})")
    if int(jobs) < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    if scheduler is not None and backend != "dask":
        raise ValueError("a scheduler address needs the dask backend (--backend dask)")


@contextlib.contextmanager
def _dask_client(scheduler, n_workers):
    """A Dask client, default for joblib's Dask backend while the block runs: connected to
    ``scheduler``, or to a LocalCluster of ``n_workers`` single-threaded processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ValueError(f"the dask backend needs Dask's distributed scheduler: {CLUSTER_EXTRA}") from None
    with contextlib.ExitStack() as stack:
        if scheduler is None:
            with _children_ignore_interrupts():
                cluster = stack.enter_context(LocalCluster(
                    n_workers=n_workers, threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.CRITICAL))
            client = stack.enter_context(Client(cluster))
        else:
            try:
                client = stack.enter_context(Client(scheduler, timeout="10s"))
            except (OSError, TimeoutError, ValueError) as error:
                reason = " ".join(str(error).split()) or type(error).__name__
                raise ValueError(f"cannot reach the Dask scheduler {scheduler}: {reason}") from None
        yield client


@contextlib.contextmanager
def _children_ignore_interrupts():
    """Start worker processes that ignore Ctrl+C (a terminal sends it to every process of its
    group; an ignored signal stays ignored in a child), so only the sweep's own process hears
    it, and stops them. A Ctrl+C while they start (a second or two for a LocalCluster) is
    ignored too. Main thread only (elsewhere signals are not ours to change)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if handler is None else handler)
