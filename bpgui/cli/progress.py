"""A progress bar on stderr for long commands, one line that never outlives a failure."""

from __future__ import annotations

import math
import time


class ProgressBar:
    """Progress of ``total`` steps on ``stream`` (stderr).

    On a terminal the line is redrawn in place with ``\\r`` at most every ``interval``
    seconds and wiped if the command fails, so an error leaves exactly one line: ``error: …``.
    Elsewhere (a pipe, a log file) a complete line is written at most every
    ``pipe_interval`` seconds and once more at the end of a successful run, never a
    half-drawn one.

    Parameters
    ----------
    total : int
    stream : text stream
    enabled : bool
        False draws nothing (``--quiet``).
    describe : callable (done, total, bar) -> str, optional
        The line for ``done`` steps with the drawn ``bar``; default ``"{done}/{total} [bar]"``.
    """

    def __init__(self, total, stream, enabled=True, interval=0.1, pipe_interval=30.0, width=30,
                 describe=None):
        self.total, self.stream, self.enabled = int(total), stream, enabled
        self.live = enabled and _is_terminal(stream)
        self.interval = interval if self.live else pipe_interval
        self.width = width
        self.describe = describe or (lambda done, total, bar, extra: f"{done}/{total} [{bar}]{extra}")
        self._last_draw = time.monotonic() if enabled and not self.live else -math.inf
        self._drawn_width = 0
        self._last_text = None

    def update(self, done, extra=""):
        """Show ``done`` steps of ``total`` (and ``extra`` text) if it is time to draw again."""
        if not self.enabled:
            return
        self._last_text = self._text(done, extra)
        now = time.monotonic()
        if now - self._last_draw < self.interval and not (self.live and done >= self.total):
            return
        self._last_draw = now
        self._draw(self._last_text)

    def close(self, succeeded=True):
        """End the bar: keep its last line after success, leave nothing behind after failure."""
        if not self.enabled:
            return
        if self.live and self._drawn_width:
            if succeeded:
                self._draw(self._last_text)
                self.stream.write("\n")
            else:
                self.stream.write("\r" + " " * self._drawn_width + "\r")
        elif not self.live and succeeded and self._last_text is not None:
            self.stream.write(self._last_text + "\n")
        self.stream.flush()
        self._drawn_width = 0

    def _text(self, done, extra):
        fraction = min(done / self.total, 1.0) if self.total else 1.0
        filled = int(round(fraction * self.width))
        bar = "#" * filled + "." * (self.width - filled)
        return self.describe(done, self.total, bar, extra)

    def _draw(self, text):
        if self.live:
            self.stream.write("\r" + text.ljust(self._drawn_width))
            self._drawn_width = max(self._drawn_width, len(text))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def epoch_line(done, total, bar, extra):
    """``bpgui train``'s line: ``epoch 12/100 [###……] train_loss 0.3 val_loss 0.4``."""
    return f"epoch {done}/{total} [{bar}]{extra}"


def report_losses(report):
    """The losses of an epoch report as the progress line shows them."""
    text = f" train_loss {report.train_loss:.6g}"
    if report.val_loss is not None:
        text += f" val_loss {report.val_loss:.6g}"
    return text


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False
