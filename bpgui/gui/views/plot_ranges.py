"""Axis ranges that change rarely (no Qt).

A live plot whose range follows every new point re-lays out and repaints its axes every frame;
these ranges grow in steps (epochs by doubling, log values by whole decades), so most frames
repaint only the curves.
"""

from __future__ import annotations

import math

import numpy as np

FIRST_EPOCH_LIMIT = 10


def epoch_limit(current, last_epoch):
    """The x-axis end: ``current`` while it still holds ``last_epoch``, else doubled until it does."""
    limit = max(int(current or FIRST_EPOCH_LIMIT), FIRST_EPOCH_LIMIT)
    while limit < last_epoch:
        limit *= 2
    return limit


def decade_range(values, current=None):
    """``(low, high)`` in log10 units covering the finite positive ``values`` in whole decades.

    The current range is kept while it still covers the values, so it only ever changes when a
    value leaves it (then it is refitted to the values with one decade of margin below).
    """
    values = np.asarray(values, float)
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return current if current is not None else (-3.0, 1.0)
    low, high = math.log10(values.min()), math.log10(values.max())
    if current is not None and current[0] <= low and high <= current[1]:
        return current
    return float(math.floor(low) - 1), float(math.ceil(high) + (1 if math.ceil(high) == high else 0))


def metric_range(metric_name, values, current=None):
    """``(low, high)`` for accuracy (always 0…1) or R² (down to its lowest value in tenths)."""
    if metric_name == "accuracy":
        return (0.0, 1.0)
    values = np.asarray(values, float)
    values = values[np.isfinite(values)]
    lowest = min(0.0, float(values.min())) if values.size else 0.0
    if current is not None and current[0] <= lowest:
        return current
    return (math.floor(lowest * 10) / 10 if lowest > -10 else lowest, 1.0)
