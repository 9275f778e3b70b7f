"""A diverging colour map (cool blue → light grey → warm red), as in Moreland's "coolwarm".

Signed values (activation, bias, weight) use the whole map around zero; magnitudes such as the
mean |delta| use its warm half, from grey (no gradient) to red (the largest gradient).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QLinearGradient

COOL = np.array([59, 76, 192], float)
NEUTRAL = np.array([221, 221, 221], float)
WARM = np.array([180, 4, 38], float)
POSITIVE_LINK = QColor(214, 96, 0)   # orange: positive weights
NEGATIVE_LINK = QColor(33, 102, 172)  # blue: negative weights


def diverging_rgb(t):
    """RGB 0..255 integers, shape (n, 3), of the values ``t`` (n,): see :func:`diverging`."""
    t = np.asarray(t, float)
    t = np.where(np.isfinite(t), np.clip(t, -1.0, 1.0), 0.0)
    end = np.where((t >= 0)[:, None], WARM, COOL)
    return (NEUTRAL + np.abs(t)[:, None] * (end - NEUTRAL)).astype(int)


def diverging(t):
    """Colour of ``t`` in [-1, 1]: -1 cool blue, 0 neutral grey, +1 warm red (clipped)."""
    return QColor(*map(int, diverging_rgb([t])[0]))


def gradient(signed, start, stop):
    """A ``QLinearGradient`` from ``start`` to ``stop`` (QPointF) showing the map's range."""
    brush = QLinearGradient(start, stop)
    points = (-1.0, 0.0, 1.0) if signed else (0.0, 1.0)
    for i, t in enumerate(points):
        brush.setColorAt(i / (len(points) - 1), diverging(t))
    return brush
