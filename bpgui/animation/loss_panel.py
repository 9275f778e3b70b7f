"""The loss curve of an animation: training (and validation) loss up to the frame's epoch.

The axes are fixed for the whole animation (x: epoch 1 … the run's last; y: the whole run's
losses), so the curve grows from left to right and nothing jumps. The y axis is logarithmic
when the run's losses span two decades or more (highest / lowest >= :data:`LOG_SPAN`), as a
cross-entropy falling from 0.7 to 0.001 does, and linear from 0 otherwise. The curves are
drawn once, whole and smooth; a frame shows the part left of its epoch.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw

from bpgui.animation import canvas
from bpgui.visual.colormap import TRAIN_LOSS_RGB, VAL_LOSS_RGB

LOG_SPAN = 100.0
METRIC_WORDS = {"accuracy": "accuracy", "r2": "R2"}  # Pillow's built-in font has no ²


def loss_history(reports):
    """``(epochs, train, val)`` arrays of the reports; ``val`` is None without a validation split."""
    epochs = np.array([report.epoch for report in reports], float)
    train = np.array([report.train_loss for report in reports], float)
    has_val = any(report.val_loss is not None for report in reports)
    val = np.array([np.nan if r.val_loss is None else r.val_loss for r in reports], float) if has_val else None
    return epochs, train, val


def uses_log_scale(losses):
    """True when the finite losses are all positive and span :data:`LOG_SPAN` or more."""
    finite = losses[np.isfinite(losses)]
    return bool(finite.size) and finite.min() > 0 and finite.max() / finite.min() >= LOG_SPAN


class LossPanel:
    """The loss plot in ``box`` (x0, y0, x1, y1) of a frame; ``scale`` 1 = an 800 x 450 frame.

    Parameters
    ----------
    box : tuple of int
    scale : float
    reports : list of EpochReport
        The run's whole history (the axes and the curves).
    """

    def __init__(self, box, scale, reports):
        x0, y0, x1, y1 = box
        self.scale = scale
        self.font_size = 11 * scale
        self.rect = (int(x0 + 60 * scale), int(y0 + 8 * scale), int(x1 - 24 * scale), int(y1 - 40 * scale))
        self.epochs, self.train, self.val = loss_history(reports)
        self.reports = {report.epoch: report for report in reports}
        losses = self.train if self.val is None else np.concatenate([self.train, self.val])
        self.log = uses_log_scale(losses)
        self._set_ranges(losses)
        self.curves = self._curves()
        self.markers = {rgb: _marker(rgb, 3.2 * scale) for rgb in (TRAIN_LOSS_RGB, VAL_LOSS_RGB)}
        self._legend_image = self._legend_places = None  # drawn with the first frame

    # -- coordinates -------------------------------------------------------------------------

    def _set_ranges(self, losses):
        last = float(self.epochs[-1]) if len(self.epochs) else 1.0
        self.x_range = (1.0, last) if last > 1 else (0.5, 1.5)
        finite = losses[np.isfinite(losses)]
        if self.log:
            low, high = math.log10(finite.min()), math.log10(finite.max())
            pad = 0.04 * (high - low)
            self.y_range = (low - pad, high + pad)
        else:
            low = min(0.0, float(finite.min())) if finite.size else 0.0
            high = float(finite.max()) if finite.size else 1.0
            self.y_range = (low, high + 0.05 * (high - low)) if high > low else (low - 0.5, low + 0.5)

    def x_pixel(self, epoch):
        x0, _, x1, _ = self.rect
        low, high = self.x_range
        return x0 + (epoch - low) / (high - low) * (x1 - x0)

    def y_pixel(self, loss):
        _, y0, _, y1 = self.rect
        low, high = self.y_range
        value = np.log10(loss) if self.log else loss
        return y1 - (value - low) / (high - low) * (y1 - y0)

    # -- what never changes --------------------------------------------------------------------

    def draw_static(self, image):
        """Axes, ticks and axis names onto the frame's background ``image``."""
        draw = ImageDraw.Draw(image)
        canvas.draw_axes_box(draw, self.rect)
        x_ticks, x_step = canvas.nice_ticks(*self.x_range, count=5)
        x_ticks = [t for t in x_ticks if t == int(t)]
        canvas.draw_x_ticks(draw, self.rect, x_ticks, self.x_pixel,
                            [canvas.tick_label(t, max(x_step, 1)) for t in x_ticks], self.font_size)
        if self.log:
            decades = range(math.ceil(self.y_range[0]), math.floor(self.y_range[1]) + 1)
            y_ticks = [10.0 ** k for k in decades]
            labels = [_decade_label(k) for k in decades]
        else:
            y_ticks, y_step = canvas.nice_ticks(*self.y_range, count=5)
            labels = [canvas.tick_label(t, y_step) for t in y_ticks]
        canvas.draw_y_ticks(draw, self.rect, y_ticks, self.y_pixel, labels, self.font_size)
        y_name = "loss (log scale)" if self.log else "loss"
        canvas.draw_axis_names(image, self.rect, "epoch", y_name, self.font_size * 1.1,
                               self.rect[0] - 48 * self.scale)

    def _curves(self):
        """The whole run's curves, smooth, on a transparent image the size of the plot area."""
        x0, y0, x1, y1 = self.rect
        width = max(1.6 * self.scale, 1.0)
        series = [(self.train, TRAIN_LOSS_RGB)] + ([(self.val, VAL_LOSS_RGB)] if self.val is not None else [])

        def paint(draw, factor):
            for values, rgb in series:
                keep = np.isfinite(values)
                xs = (self.x_pixel(self.epochs[keep]) - x0) * factor
                ys = (self.y_pixel(values[keep]) - y0) * factor
                points = _envelope(xs, ys, (x1 - x0) * 2)
                if len(points) == 1:
                    points = points * 2
                draw.line(points, fill=rgb + (255,), width=int(round(width * factor)), joint="curve")

        return canvas.supersampled(x1 - x0 + 1, y1 - y0 + 1, paint)

    # -- a frame -------------------------------------------------------------------------------

    def draw(self, image, epoch):
        """The curves up to ``epoch``, its points marked, and a legend with their values."""
        x0, y0, x1, y1 = self.rect
        cut = int(math.ceil(self.x_pixel(epoch))) - x0 + 1
        if cut > 0:
            part = self.curves.crop((0, 0, min(cut, self.curves.width), self.curves.height))
            image.paste(part, (x0, y0), part)
        report = self.reports[epoch]
        for value, rgb in ((report.train_loss, TRAIN_LOSS_RGB), (report.val_loss, VAL_LOSS_RGB)):
            if value is not None and math.isfinite(value):
                marker = self.markers[rgb]
                image.paste(marker, (int(round(self.x_pixel(epoch) - marker.width / 2)),
                                     int(round(self.y_pixel(value) - marker.height / 2))), marker)
        self._legend(image, report)

    def _legend_rows(self, report):
        """``(name, value, colour or None)`` per line of the legend."""
        rows = [("training loss", report.train_loss, TRAIN_LOSS_RGB)]
        if self.val is not None:
            rows.append(("validation loss", report.val_loss, VAL_LOSS_RGB))
        if report.metric is not None:
            which = "validation" if report.val_metric is not None else "training"
            rows.append((f"{which} {METRIC_WORDS.get(report.metric_name, report.metric_name)}", report.metric, None))
        return rows

    def _legend_box(self, report):
        """The legend without its numbers (the same in every frame): an RGB image, and the
        right edge and middle height of each number's place in it."""
        size, s = self.font_size, self.scale
        text_font = canvas.font(size)
        rows = self._legend_rows(report)
        swatch = 16 * s
        label_width = max(text_font.getlength(name) for name, _, _ in rows)
        width = int(swatch + label_width + text_font.getlength("0.000000") + 18 * s)
        line = size * 1.45
        box = Image.new("RGB", (width, int(line * len(rows) + 6 * s)), (255, 255, 255))
        draw = ImageDraw.Draw(box)
        draw.rectangle((0, 0, box.width - 1, box.height - 1), outline=(200, 200, 200))
        places = []
        for i, (name, _, rgb) in enumerate(rows):
            y = 3 * s + line * (i + 0.5)
            if rgb is not None:
                draw.line([(5 * s, y), (1 * s + swatch, y)], fill=rgb, width=max(int(round(2 * s)), 1))
            draw.text((5 * s + swatch, y), name, fill=canvas.TEXT, font=text_font, anchor="lm")
            places.append((box.width - 6 * s, y))
        return box, places

    def _legend(self, image, report):
        """Top right inside the plot: each curve's name and value at this epoch, and the metric."""
        if self._legend_image is None:
            self._legend_image, self._legend_places = self._legend_box(report)
        box = self._legend_image
        left, top = int(self.rect[2] - 6 * self.scale - box.width), int(self.rect[1] + 6 * self.scale)
        image.paste(box, (left, top))
        draw, text_font = ImageDraw.Draw(image), canvas.font(self.font_size)
        for (_, value, _), (x, y) in zip(self._legend_rows(report), self._legend_places):
            draw.text((left + x, top + y), canvas.short_number(value), fill=canvas.TEXT, font=text_font,
                      anchor="rm")


def _decade_label(k):
    return f"{10.0 ** k:g}" if -3 <= k <= 4 else f"1e{k}"


def _marker(rgb, radius):
    """A small filled circle with a white rim, smooth, as an RGBA sprite."""
    side = int(math.ceil(2 * radius + 3))

    def paint(draw, factor):
        centre, r = side * factor / 2, radius * factor
        draw.ellipse((centre - r, centre - r, centre + r, centre + r), fill=rgb + (255,),
                     outline=(255, 255, 255, 255), width=max(int(factor * 0.8), 1))

    return canvas.supersampled(side, side, paint)


def _envelope(xs, ys, columns):
    """Points of a polyline through (xs, ys); more points than ``columns`` are reduced to each
    column's highest and lowest value in turn, so spikes stay visible."""
    if len(xs) <= 2 * columns:
        return list(zip(xs.tolist(), ys.tolist()))
    span = xs[-1] - xs[0]
    buckets = np.floor((xs - xs[0]) / span * (columns - 1)).astype(int)
    starts = np.flatnonzero(np.r_[True, buckets[1:] != buckets[:-1]])
    low, high = np.minimum.reduceat(ys, starts), np.maximum.reduceat(ys, starts)
    points = np.empty((2 * len(starts), 2))
    points[0::2, 0] = points[1::2, 0] = xs[starts]
    points[0::2, 1], points[1::2, 1] = low, high
    return [tuple(p) for p in points.tolist()]
