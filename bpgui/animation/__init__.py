"""Animations of a run learning, drawn offscreen with NumPy and Pillow (no Qt, no display).

:func:`animate_run` trains a run, keeping the weights of the epochs its frames show
(:mod:`~bpgui.animation.frames`), draws each frame like the window draws the run
(:mod:`~bpgui.animation.render`) and writes a GIF or an MP4 (:mod:`~bpgui.animation.writers`).
``bpgui animate`` and the window's ``actionExportAnimation`` both use it.
"""

from bpgui.animation.animate import (PROGRESS_STEPS, AnimationCancelled, AnimationOptions, animate_run,
                                    progress_steps, run_title)
from bpgui.animation.frames import Frame, WeightSnapshots, frame_epochs, record
from bpgui.animation.writers import VIDEO_EXTRA, VideoUnavailable, animation_format, check_output

__all__ = ["PROGRESS_STEPS", "VIDEO_EXTRA", "AnimationCancelled", "AnimationOptions", "Frame", "VideoUnavailable",
           "WeightSnapshots", "animate_run", "animation_format", "check_output", "frame_epochs",
           "progress_steps", "record", "run_title"]
