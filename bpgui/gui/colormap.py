"""The window's colours as Qt objects, from the Qt-free map of :mod:`bpgui.visual.colormap`."""

from __future__ import annotations

from PySide6.QtGui import QColor, QLinearGradient

from bpgui.visual.colormap import (COOL, NEGATIVE_LINK_RGB, NEUTRAL, POSITIVE_LINK_RGB, WARM,
                                   diverging_rgb)

POSITIVE_LINK = QColor(*POSITIVE_LINK_RGB)
NEGATIVE_LINK = QColor(*NEGATIVE_LINK_RGB)

__all__ = ["COOL", "NEGATIVE_LINK", "NEUTRAL", "POSITIVE_LINK", "WARM", "diverging",
           "diverging_rgb", "gradient"]


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
