"""The interpreter while worker threads run Python beside the window, shared by every worker
(the training run, an animation being recorded): tuned when the first starts, restored when
the last ends.

- Every call from Qt into Python (a paint, a boundingRect, a slot) must take the interpreter
  lock back from a worker; by default that can take 5 ms each time, and a frame makes dozens
  of such calls. A short switch interval keeps the window fluid.
- The cyclic garbage collector runs in whichever thread allocates when it triggers. On a
  worker it may destroy Qt objects (a closed view, a timer), which takes Qt's locks while
  waiting for the interpreter lock the GUI thread holds: a deadlock. While a worker runs,
  garbage is collected on the GUI thread only (:func:`collect_garbage`, from a timer).
  Everything that exists before (the window, its views, pyqtgraph, Qt's wrappers) is frozen
  out of those collections: a full one otherwise walks it all, 15 ms with the interpreter
  lock held, every few frames, as thousands of epoch reports a second count up the
  collector's thresholds.
- The BLAS library (OpenBLAS) runs a large matrix product on every core, and its threads keep
  spinning on them a while after. A wide network (a 2,000-neuron layer) then left the window's
  thread no core: a decision-boundary map that takes 3 ms took 100-800 ms on 2 cores. While
  a worker runs, BLAS uses one core fewer than the machine has (at least one), so the
  window keeps one.
"""

from __future__ import annotations

import gc
import sys

WORKER_SWITCH_INTERVAL = 0.001  # seconds

_workers = 0
_saved = None  # (switch interval, collector enabled, BLAS limiter) from before the first worker
_blas = None  # threadpoolctl's ThreadpoolController, made once (finding the libraries takes ms)


def blas_threads_for_workers(cores=None):
    """BLAS threads while a worker trains beside the window: one core fewer than the
    machine has, at least one.

    >>> blas_threads_for_workers(2), blas_threads_for_workers(8), blas_threads_for_workers(1)
    (1, 7, 1)
    """
    if cores is None:
        from bpgui.runs.sweep import usable_cores

        cores = usable_cores()
    return max(1, cores - 1)


def _limit_blas():
    """Limit the BLAS libraries loaded so far; return the limiter (it restores them) or None."""
    global _blas
    try:
        from threadpoolctl import ThreadpoolController

        if _blas is None:
            _blas = ThreadpoolController()
        return _blas.limit(limits=blas_threads_for_workers(), user_api="blas")
    except Exception:  # noqa: BLE001 - a library threadpoolctl cannot drive: leave it as it is
        return None


def worker_started():
    """A worker thread starts: tune the interpreter if it is the first."""
    global _workers, _saved
    if _workers == 0:
        _saved = (sys.getswitchinterval(), gc.isenabled(), _limit_blas())
        sys.setswitchinterval(WORKER_SWITCH_INTERVAL)
        gc.disable()
        gc.freeze()
    _workers += 1


def worker_ended():
    """A worker thread has ended: restore the interpreter if it was the last."""
    global _workers, _saved
    if _workers == 0:
        return
    _workers -= 1
    if _workers == 0:
        interval, enabled, blas = _saved
        sys.setswitchinterval(interval)
        if blas is not None:
            blas.restore_original_limits()
        gc.unfreeze()
        if enabled:
            gc.enable()
        _saved = None


def collect_garbage():
    """On the GUI thread, while workers run: what the automatic collector would do now (as
    pyqtgraph's ``GarbageCollector`` does), each generation whose count passed its
    threshold; nothing when the collector was off before the workers started."""
    if _saved is None or not _saved[1]:
        return
    counts, thresholds = gc.get_count(), gc.get_threshold()
    for generation in (2, 1, 0):
        if counts[generation] > thresholds[generation]:
            gc.collect(generation)
            return
