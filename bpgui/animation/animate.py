"""A run as an animation: train it, keep its frames' weights, draw them, write the file.

``bpgui animate`` and the window's ``actionExportAnimation`` both call :func:`animate_run`, so
the same run gives the same pictures from either.
"""

from __future__ import annotations

from dataclasses import dataclass

from bpgui.animation.frames import record
from bpgui.animation.render import FrameRenderer
from bpgui.animation.writers import check_output, write_animation

PROGRESS_STEPS = 1000
"""A progress bar's steps for a whole animation: the first half training, the second drawing."""
MAX_SIDE = 4096
MIN_SIZE = (200, 120)
MAX_FPS = 100.0


class AnimationCancelled(Exception):
    """The user cancelled; nothing was written."""


@dataclass(frozen=True)
class AnimationOptions:
    """How many frames, how fast, how large (``--frames``, ``--fps``, ``--size``)."""

    frames: int = 60
    fps: float = 15.0
    size: tuple = (800, 450)

    def validate(self):
        """Raise ``ValueError`` naming the first option out of range; return self."""
        if int(self.frames) != self.frames or self.frames < 1:
            raise ValueError(f"--frames must be a whole number, at least 1, got {self.frames}")
        if not 0 < self.fps <= MAX_FPS:
            raise ValueError(f"--fps must be above 0 and at most {MAX_FPS:g}, got {self.fps:g}")
        width, height = self.size
        if not (MIN_SIZE[0] <= width <= MAX_SIDE and MIN_SIZE[1] <= height <= MAX_SIDE):
            raise ValueError(f"--size must be between {MIN_SIZE[0]}x{MIN_SIZE[1]} and "
                             f"{MAX_SIDE}x{MAX_SIDE}, got {width}x{height}")
        return self


def progress_steps(epoch, epochs, frame, frames):
    """How far an animation has come, in :data:`PROGRESS_STEPS`: ``epoch`` of ``epochs``
    trained fill the first half, ``frame`` of ``frames`` drawn the second (drawing 60 frames
    takes about as long as training a small example)."""
    half = PROGRESS_STEPS // 2
    return half * min(epoch, epochs) // max(epochs, 1) + half * min(frame, frames) // max(frames, 1)


def run_title(name, run):
    """The frames' title line: the data, the network and how it trains."""
    settings = run.settings
    return (f"{name} · {run.network.describe()} · {settings.optimizer}, lr {settings.lr:g}, "
            f"batch {settings.batch_size}")


def animate_run(run, path, options, title, on_report=None, on_frame=None, cancelled=None):
    """Train ``run`` from where it stands to its end and write its animation to ``path``.

    Parameters
    ----------
    run : bpgui.runs.Run
        A fresh run; its network ends trained.
    path : str
        ``.gif`` or ``.mp4``.
    options : AnimationOptions
    title : str
    on_report : callable (EpochReport) -> None, optional
        Sees every epoch (a progress bar).
    on_frame : callable (done, total) -> None, optional
        Called after each frame is drawn.
    cancelled : callable () -> bool, optional
        Checked between frames; True stops with :class:`AnimationCancelled` and writes
        nothing (stop the training itself with ``run.trainer.request_stop()``).

    Returns
    -------
    reports : list of EpochReport
    frames : list of bpgui.animation.frames.Frame

    Raises
    ------
    ValueError
        A bad path or option (before training).
    TrainingDiverged, AnimationCancelled
    """
    options = options.validate()
    kind = check_output(path, options.size)
    cancelled = cancelled or (lambda: False)
    reports, frames = record(run, options.frames, on_report)
    if cancelled() or not frames:
        raise AnimationCancelled("cancelled")
    renderer = FrameRenderer(run, reports, options.size, title)
    ends = {0: renderer.render(frames[0]), len(frames) - 1: renderer.render(frames[-1])}

    def images():
        for k, frame in enumerate(frames):
            if cancelled():
                raise AnimationCancelled("cancelled")
            yield ends.pop(k) if k in ends else renderer.render(frame)
            if on_frame is not None:
                on_frame(k + 1, len(frames))

    write_animation(path, kind, images(), options.fps, options.size, list(ends.values()),
                    dither_box=renderer.smooth_box)
    return reports, frames
