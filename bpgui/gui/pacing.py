"""How often the window redraws while training: as often as the trainer can afford.

Drawing slows the trainer in two ways, and the pacer measures both at every frame:

- the worker and the window are Python threads sharing one interpreter lock: while the
  window runs Python (a slot, a view's redraw, pyqtgraph's paint code) the trainer waits.
  That wait is the share of wall time the worker thread was *not* running on a CPU (its own
  CPU clock against the wall clock); training alone it is 0-1% on every benchmark network.
- whatever the GUI thread computes, even in C++ without the lock, runs beside the trainer
  on a machine whose cores share their caches and, on virtual machines, often one physical
  core: on the 2-core machine of ``benchmarks/``, a busy loop in another process slowed the
  trainer by 12-50%. That is the GUI thread's CPU time, as a share of wall time.

Their sum, smoothed over frames, is kept under :data:`COST_BUDGET`: the frame interval grows
by a factor while it is over and shrinks back towards :data:`FRAME_MS` while it is well
under. The interval learned is kept from run to run (a paused run resumed, a new run in the
same window), so a resumed run does not start by drawing 30 frames a second again. Where a
thread's CPU clock cannot be read (no ``pthread_getcpuclockid``), the GUI thread's share is
budgeted alone.

No Qt here: the controller feeds the clocks in and sets its timer from the answer.
"""

from __future__ import annotations

import threading
import time

FRAME_MS = 33  # ~30 redraws a second at most
MAX_FRAME_MS = 1000  # the slowest pace, when drawing is expensive
COST_BUDGET = 0.08  # the worker's wait plus the GUI thread's CPU, as a share of wall time
SLOWER, FASTER = 1.3, 0.85  # interval factors per frame over / well under the budget
SMOOTHING = 0.5  # weight of the newest frame in the running cost


def thread_cpu_clock():
    """The calling thread's CPU clock id (for :func:`read_cpu_clock`), or None where the
    platform cannot read another thread's CPU time."""
    try:
        return time.pthread_getcpuclockid(threading.get_ident())
    except (AttributeError, OSError):
        return None


def read_cpu_clock(clock_id):
    """Seconds of CPU time on ``clock_id``; None if there is none or its thread has ended."""
    if clock_id is None:
        return None
    try:
        return time.clock_gettime(clock_id)
    except OSError:
        return None


class FramePacer:
    """The frame interval in ms, from the clocks read at each frame.

    Examples
    --------
    >>> pacer = FramePacer()
    >>> pacer.start(wall=0.0, gui_cpu=0.0, worker_cpu=0.0)
    >>> pacer.next_interval(wall=0.1, gui_cpu=0.005, worker_cpu=0.099, full_speed=True)
    33
    >>> pacer.next_interval(wall=0.2, gui_cpu=0.05, worker_cpu=0.150, full_speed=True)
    43

    Attributes
    ----------
    interval : int
        Milliseconds until the next frame.
    cost : float
        The running share of wall time that drawing cost the trainer (see the module).
    """

    def __init__(self):
        self.interval = FRAME_MS
        self.cost = 0.0
        self._wall = self._gui_cpu = 0.0
        self._worker_cpu = None

    def start(self, wall, gui_cpu, worker_cpu=None):
        """A run begins: the clocks start afresh; the interval learned so far is kept."""
        self._wall, self._gui_cpu, self._worker_cpu = wall, gui_cpu, worker_cpu

    def next_interval(self, wall, gui_cpu, worker_cpu, full_speed):
        """The interval until the next frame.

        Parameters
        ----------
        wall : float
            ``time.perf_counter()`` now.
        gui_cpu : float
            The GUI thread's ``time.thread_time()`` now.
        worker_cpu : float or None
            The worker thread's CPU time now (:func:`read_cpu_clock`), None if unknown.
        full_speed : bool
            False while the speed slider makes the trainer sleep between epochs: it waits
            anyway, so drawing costs it nothing and frames come at the full rate.
        """
        elapsed = wall - self._wall
        spent_gui = gui_cpu - self._gui_cpu
        known = worker_cpu is not None and self._worker_cpu is not None
        spent_worker = worker_cpu - self._worker_cpu if known else None
        self._wall, self._gui_cpu, self._worker_cpu = wall, gui_cpu, worker_cpu
        if not full_speed or elapsed <= 0:
            return FRAME_MS  # what is learned stays for when it runs at full speed again
        wait = min(max(1.0 - spent_worker / elapsed, 0.0), 1.0) if known else 0.0
        cost = wait + min(max(spent_gui / elapsed, 0.0), 1.0)
        self.cost = SMOOTHING * cost + (1.0 - SMOOTHING) * self.cost
        if self.cost > COST_BUDGET:
            self.interval = min(round(self.interval * SLOWER), MAX_FRAME_MS)
        elif self.cost < 0.5 * COST_BUDGET:
            self.interval = max(round(self.interval * FASTER), FRAME_MS)
        return self.interval
