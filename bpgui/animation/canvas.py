"""Drawing pieces for the animation frames on Pillow images: fonts, axes, ticks, smooth shapes.

Pillow draws without antialiasing; what must look smooth (points, curves, the network) is
drawn :data:`SUPERSAMPLE` times larger and reduced, once for what never changes in an
animation and once per frame for what does. Sizes are in pixels of an 800 x 450 frame times
the frame's ``scale``, so a larger ``--size`` gives the same picture, larger.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFont

SUPERSAMPLE = 3
BACKGROUND = (255, 255, 255)
TEXT = (40, 40, 40)
MUTED_TEXT = (100, 100, 100)
AXIS = (110, 110, 110)
FRAME_LINE = (160, 160, 160)


@functools.lru_cache(maxsize=32)
def font(size):
    """Pillow's built-in font (Aileron, FreeType) at ``size`` pixels; needs Pillow >= 10.1."""
    return ImageFont.load_default(size=max(int(round(size)), 6))


def text_width(text, text_font):
    return text_font.getlength(text)


def fit_text(text, text_font, width):
    """``text``, cut with an ellipsis so it fits ``width`` pixels."""
    if text_width(text, text_font) <= width:
        return text
    while text and text_width(text + "…", text_font) > width:
        text = text[:-1]
    return text + "…" if text else ""


def nice_ticks(low, high, count=5):
    """Round tick values within [low, high], about ``count`` of them (1, 2 or 5 times a power
    of ten apart).

    Returns
    -------
    (list of float, float): the ticks and their spacing.
    """
    span = high - low
    if not math.isfinite(span) or span <= 0:
        return [low], 1.0
    rough = span / max(count, 1)
    power = 10.0 ** math.floor(math.log10(rough))
    step = min((m * power for m in (1, 2, 5, 10) if m * power >= rough), default=10 * power)
    first = math.ceil(low / step - 1e-9) * step
    ticks = [first + i * step for i in range(int(math.floor((high - first) / step + 1e-9)) + 1)]
    return ticks, step


def tick_label(value, step):
    """A tick's text: as many decimals as the spacing needs (``0.25``, ``1500``, ``1e-05``)."""
    if value == 0:
        return "0"
    if abs(value) >= 1e5 or abs(value) < 1e-3:
        return f"{value:.0e}".replace("e-0", "e-").replace("e+0", "e")
    decimals = max(0, -int(math.floor(math.log10(step)))) if step > 0 else 0
    return f"{value:.{decimals}f}"


def short_number(value):
    """A value in a readout: four significant digits (``0.01234``, ``1.2e-05``)."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.4g}"


def supersampled(width, height, draw, factor=SUPERSAMPLE):
    """An RGBA image of ``width`` x ``height`` with smooth edges: ``draw(ImageDraw, factor)``
    paints on a transparent canvas ``factor`` times larger (coordinates times the factor),
    which is then reduced (colours averaged with their opacity, premultiplied)."""
    big = Image.new("RGBA", (max(width, 1) * factor, max(height, 1) * factor), (0, 0, 0, 0))
    draw(ImageDraw.Draw(big), factor)
    return big.convert("RGBa").reduce(factor).convert("RGBA")


def draw_axes_box(draw, rect):
    """The thin grey frame of a plot area ``rect`` = (x0, y0, x1, y1)."""
    draw.rectangle(rect, outline=FRAME_LINE, width=1)


def draw_x_ticks(draw, rect, ticks, to_pixel, labels, size):
    """Tick marks below ``rect`` and their ``labels``, centred (``size``: the font size)."""
    x0, y0, x1, y1 = rect
    tick_font = font(size)
    for value, label in zip(ticks, labels):
        x = to_pixel(value)
        if x0 - 0.5 <= x <= x1 + 0.5:
            draw.line([(x, y1), (x, y1 + size * 0.35)], fill=AXIS, width=1)
            draw.text((x, y1 + size * 0.45), label, fill=TEXT, font=tick_font, anchor="mt")


def draw_y_ticks(draw, rect, ticks, to_pixel, labels, size):
    """Tick marks left of ``rect`` and their ``labels``, right-aligned."""
    x0, y0, x1, y1 = rect
    tick_font = font(size)
    for value, label in zip(ticks, labels):
        y = to_pixel(value)
        if y0 - 0.5 <= y <= y1 + 0.5:
            draw.line([(x0 - size * 0.35, y), (x0, y)], fill=AXIS, width=1)
            draw.text((x0 - size * 0.5, y), label, fill=TEXT, font=tick_font, anchor="rm")


def draw_axis_names(image, rect, x_name, y_name, size, y_name_x):
    """``x_name`` centred under the tick labels of ``rect``; ``y_name`` written upwards,
    centred at x = ``y_name_x``."""
    x0, y0, x1, y1 = rect
    name_font = font(size)
    ImageDraw.Draw(image).text(((x0 + x1) / 2, y1 + size * 1.75), x_name, fill=TEXT, font=name_font, anchor="mt")
    label = Image.new("RGBA", (int(name_font.getlength(y_name)) + 4, int(size * 1.5)), (0, 0, 0, 0))
    ImageDraw.Draw(label).text((2, 0), y_name, fill=TEXT, font=name_font)
    label = label.rotate(90, expand=True)
    top = int((y0 + y1) / 2 - label.height / 2)
    image.paste(label, (int(y_name_x - label.width / 2), top), label)


def colour_bar(width, height, rgb):
    """An RGB image ``width`` x ``height`` whose columns are the colours ``rgb`` (n, 3) 0..255,
    stretched across."""
    columns = np.asarray(rgb, np.uint8)
    index = np.linspace(0, len(columns) - 1, max(width, 1)).round().astype(int)
    row = columns[index]
    return Image.fromarray(np.repeat(row[None, :, :], max(height, 1), axis=0), "RGB")
