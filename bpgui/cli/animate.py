"""``bpgui animate``: train as ``train`` does and write an animation of the run learning."""

from __future__ import annotations

import argparse
import math
import os
import sys

from bpgui.arguments import EXIT_OK
from bpgui.cli.options import add_run_arguments, whole
from bpgui.cli.progress import ProgressBar, report_losses
from bpgui.cli.train import note_rising_loss, prepared_run, summary_line


def frame_size(text):
    """``800x450`` → ``(800, 450)``."""
    parts = text.lower().split("x")
    try:
        width, height = (int(part) for part in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT in pixels like 800x450, got {text!r}") from None
    return width, height


def frames_per_second(text):
    """A finite number of frames per second (its range is checked with the other options)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a number of frames per second like 15, got {text!r}")
    return value


def add_arguments(parser):
    add_run_arguments(parser, ("RUN.gif", "animation to write: .gif or .mp4 (MP4 needs bpgui[video])"))
    animation = parser.add_argument_group("animation")
    animation.add_argument("--frames", type=whole(1), default=60, metavar="N",
                           help="evenly spaced epochs shown, the first and the last included (default: 60)")
    animation.add_argument("--fps", type=frames_per_second, default=15.0, metavar="X",
                           help="frames per second (default: 15)")
    animation.add_argument("--size", type=frame_size, default=(800, 450), metavar="WxH",
                           help="frame size in pixels (default: 800x450)")
    out = parser.add_argument_group("output")
    out.add_argument("--quiet", action="store_true", help="no progress bar (notes are still printed)")


def run(args):
    from bpgui.animation import AnimationOptions, animate_run, check_output, run_title

    options = AnimationOptions(args.frames, args.fps, args.size).validate()
    settings, training, start_loss = prepared_run(args, lambda: check_output(args.out, options.size))
    name = args.example or os.path.basename(args.data)
    progress = AnimationProgress(training.trainer.config.max_epochs, options.frames, quiet=args.quiet)
    succeeded = False
    try:
        reports, frames = animate_run(training, args.out, options, run_title(name, training),
                                      on_report=progress.epoch, on_frame=progress.frame)
        succeeded = True
    finally:
        progress.close(succeeded)
    note_rising_loss(start_loss, reports[-1], settings)
    width, height = options.size
    print(f"{summary_line(reports, training, args.out)} ({len(frames)} frames, {width}x{height}, "
          f"{options.fps:g} fps)")
    return EXIT_OK


class AnimationProgress:
    """One progress bar on stderr: its first half the training's epochs, its second the frames
    drawn (:func:`bpgui.animation.progress_steps`)."""

    def __init__(self, epochs, frames, quiet=False):
        from bpgui.animation import PROGRESS_STEPS

        self.epochs = int(epochs)
        self.label = ""
        self.bar = ProgressBar(PROGRESS_STEPS, sys.stderr, enabled=not quiet,
                               describe=lambda done, total, bar, extra: f"{self.label} [{bar}]{extra}")

    def epoch(self, report):
        from bpgui.animation import progress_steps

        self.label = f"epoch {report.epoch}/{self.epochs}"
        self.bar.update(progress_steps(report.epoch, self.epochs, 0, 1), report_losses(report))

    def frame(self, done, total):
        from bpgui.animation import progress_steps

        self.label = f"frame {done}/{total}"
        self.bar.update(progress_steps(1, 1, done, total))

    def close(self, succeeded):
        self.bar.close(succeeded)
