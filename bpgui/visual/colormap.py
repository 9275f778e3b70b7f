"""A diverging colour map (cool blue → light grey → warm red), as in Moreland's "coolwarm",
and the other fixed colours of the window's drawings, as RGB 0..255 (no Qt).

Signed values (activation, bias, weight) use the whole map around zero; magnitudes such as the
mean |delta| use its warm half, from grey (no gradient) to red (the largest gradient).
"""

from __future__ import annotations

import numpy as np

COOL = np.array([59, 76, 192], float)
NEUTRAL = np.array([221, 221, 221], float)
WARM = np.array([180, 4, 38], float)
POSITIVE_LINK_RGB = (214, 96, 0)   # orange: positive weights
NEGATIVE_LINK_RGB = (33, 102, 172)  # blue: negative weights
INPUT_NEURON_RGB = (245, 245, 245)  # input neurons have no gradient: a light fill
NEURON_OUTLINE_RGB = (60, 60, 60)
TRAIN_LOSS_RGB = (31, 119, 180)     # the loss plot's training curve
VAL_LOSS_RGB = (255, 127, 14)       # and its validation curve


def diverging_rgb(t):
    """RGB 0..255 integers, shape (n, 3), of the values ``t`` (n,) in [-1, 1] (clipped):
    -1 cool blue, 0 neutral grey, +1 warm red; a non-finite value is grey."""
    t = np.asarray(t, float)
    t = np.where(np.isfinite(t), np.clip(t, -1.0, 1.0), 0.0)
    end = np.where((t >= 0)[:, None], WARM, COOL)
    return (NEUTRAL + np.abs(t)[:, None] * (end - NEUTRAL)).astype(int)
