"""Values made safe for strict JSON (``allow_nan=False``), shared by model and session files."""

from __future__ import annotations

import math

import numpy as np


def jsonable(value):
    """Return ``value`` with tuples as lists, NumPy scalars as Python numbers, NaN and infinity
    as ``None`` (JSON has neither), recursively through dicts and lists."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
