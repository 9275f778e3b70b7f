"""Which epochs an animation shows, and the weights at those epochs, kept while the run trains.

An animation of F frames shows F evenly spaced epochs of the run, the first and the last
included (:func:`frame_epochs`). The frames are drawn from the run's own weights, copied at
those epochs as the trainer's generator yields them (:class:`WeightSnapshots`), and its own
history, never from pictures of a window: recording costs one copy of the weights per frame.

A run that may stop before its last planned epoch (early stopping, a target loss) cannot know
its frames' epochs in advance. It keeps the weights of every epoch while they fit in
:data:`SNAPSHOT_BUDGET` bytes (the frames are then exact), and beyond that every second, fourth…
epoch (the stride doubles when the budget is full), each frame taking the nearest kept epoch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bpgui.runs import train_run

SNAPSHOT_BUDGET = 64 * 2**20  # bytes of weight copies a run that may stop early keeps


@dataclass(frozen=True)
class Frame:
    """One frame's state of the run: its epoch and a copy of the weights after it.

    Attributes
    ----------
    epoch : int
        Counted from 1.
    params : ndarray of shape (n_params,)
        Laid out as ``Network.params``.
    """

    epoch: int
    params: np.ndarray


def frame_epochs(n_epochs, n_frames):
    """``n_frames`` evenly spaced epochs of 1 … ``n_epochs``, the first and the last included.

    A run of fewer epochs than frames gets one frame per epoch; a single frame shows the last
    epoch (what the run learnt).

    Returns
    -------
    tuple of int, strictly increasing.
    """
    n_epochs, n_frames = int(n_epochs), int(n_frames)
    if n_epochs < 1 or n_frames < 1:
        raise ValueError(f"an animation needs at least one epoch and one frame, "
                         f"got {n_epochs} epochs and {n_frames} frames")
    if n_epochs <= n_frames:
        return tuple(range(1, n_epochs + 1))
    if n_frames == 1:
        return (n_epochs,)
    # spacing (n_epochs - 1) / (n_frames - 1) > 1, so rounding half up keeps them distinct
    positions = 1.0 + (n_epochs - 1) * np.arange(n_frames) / (n_frames - 1)
    return tuple(int(epoch) for epoch in np.floor(positions + 0.5))


class WeightSnapshots:
    """Copies of a run's weights at the epochs its animation will show.

    Parameters
    ----------
    planned_epochs : int
        The epochs the run trains unless it stops early.
    n_frames : int
    may_stop_early : bool
        Early stopping or a target loss is on: the last epoch is known only at the end.
    params_bytes : int
        The size of one copy of the weights.
    budget : int
        Bytes of copies a run that may stop early keeps before thinning them.
    """

    def __init__(self, planned_epochs, n_frames, may_stop_early, params_bytes, budget=SNAPSHOT_BUDGET):
        self.n_frames = int(n_frames)
        self.planned_epochs = int(planned_epochs)
        self.wanted = None if may_stop_early else set(frame_epochs(planned_epochs, n_frames))
        self.capacity = max(4 * self.n_frames, budget // max(int(params_bytes), 1))
        self.stride = 1
        self.kept = {}  # epoch -> params copy

    def take(self, epoch, params, last=False):
        """Keep a copy of ``params`` (the weights after ``epoch``) if a frame may show it;
        ``last``: the run ends with this epoch (its report has a stop reason)."""
        if self.wanted is not None:
            if epoch in self.wanted or last:
                self.kept[epoch] = params.copy()
            return
        if last or epoch == 1 or epoch % self.stride == 0:
            self.kept[epoch] = params.copy()
        if len(self.kept) > self.capacity:
            self.stride *= 2
            self.kept = {e: p for e, p in self.kept.items()
                         if e == 1 or e % self.stride == 0 or (last and e == epoch)}

    def frames(self, last_epoch):
        """The frames of a run that ended after ``last_epoch``: list of :class:`Frame`,
        epochs evenly spaced (to the nearest kept epoch, see the module's note)."""
        available = np.array(sorted(e for e in self.kept if e <= last_epoch))
        if len(available) == 0:
            return []
        chosen = []
        for epoch in frame_epochs(last_epoch, self.n_frames):
            nearest = int(available[np.argmin(np.abs(available - epoch))])
            if not chosen or nearest != chosen[-1]:
                chosen.append(nearest)
        return [Frame(epoch, self.kept[epoch]) for epoch in chosen]


def record(run, n_frames, on_report=None):
    """Train ``run`` (a :class:`bpgui.runs.Run`) to its end, keeping the frames' weights.

    Parameters
    ----------
    run : bpgui.runs.Run
    n_frames : int
    on_report : callable (EpochReport) -> None, optional
        Sees every epoch's report (a progress bar, a stop check).

    Returns
    -------
    reports : list of EpochReport
        The run's history, one per epoch (empty when it was stopped before any).
    frames : list of Frame

    Raises
    ------
    TrainingDiverged
    """
    config, network = run.trainer.config, run.network
    may_stop_early = bool(config.early_stopping) or config.target_loss is not None
    snapshots = WeightSnapshots(config.max_epochs, n_frames, may_stop_early, network.params.nbytes)

    def keep(report):
        snapshots.take(report.epoch, network.params, last=report.stop_reason is not None)
        if on_report is not None:
            on_report(report)

    reports = train_run(run, keep)
    frames = snapshots.frames(reports[-1].epoch) if reports else []
    return reports, frames
