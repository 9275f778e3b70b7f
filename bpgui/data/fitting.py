"""Fitting the column descriptions on the training split: the scaling of numeric features
and derived inputs, the categories and imputed values (DESIGN.md §4's ``inputs.columns`` and
``inputs.derived``), which :class:`~bpgui.data.preprocess.Preprocessor` then applies."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from bpgui.data.columns import LARGEST_VALUE
from bpgui.data.errors import DataError
from bpgui.data.kinds import CATEGORICAL, NUMERIC

SCALINGS = ("standard", "minmax", "none")

SMALLEST_SCALE = 2 * LARGEST_VALUE / np.finfo(np.float64).max * 1e3
"""A spread below this (about 1e-270) is taken as none: any readable value (|x| <= 1e35),
seen or not in training, scales to a finite number (a range of 2e-309 made an unseen 1
overflow to infinity)."""


def scale_parameters(values: np.ndarray, scaling: str) -> tuple[float, float]:
    """(center, scale) of observed values: mean/population std, min/range, or 0/1.

    A constant column (or ``none``), or one whose spread is below :data:`SMALLEST_SCALE`,
    gets scale 1.
    """
    if scaling not in SCALINGS:
        raise DataError(f'scaling must be one of {", ".join(SCALINGS)}, not "{scaling}"')
    if scaling == "none" or len(values) == 0:
        return 0.0, 1.0
    if scaling == "standard":
        center, scale = float(np.mean(values)), float(np.std(values))
    else:
        center, scale = float(np.min(values)), float(np.max(values) - np.min(values))
    if not math.isfinite(scale) or scale < SMALLEST_SCALE or not math.isfinite(center):
        scale = 1.0
    return center, scale


def fit_numeric(name, values, scaling, source=None) -> dict:
    """Column description of a numeric feature from its training values (float64, NaN missing)."""
    observed = values[~np.isnan(values)]
    if len(observed) == 0:
        raise DataError("this feature has no values in the training rows; leave it out",
                        path=source, column=name)
    center, scale = scale_parameters(observed, scaling)
    return {"name": name, "kind": NUMERIC, "impute": float(np.mean(observed)),
            "center": center, "scale": scale}


def fit_derived(derived, raw, scaling) -> list:
    """The model file's ``inputs.derived`` entries, fitted on training values.

    Parameters
    ----------
    derived : list of bpgui.data.derived.DerivedInput
    raw : dict of str to ndarray of shape (n_train,)
        Imputed raw values of the training rows (:func:`imputed_raw`).
    scaling : {"standard", "minmax", "none"}
        The rule numeric features are scaled with (a constant input gets scale 1).

    Returns
    -------
    list of dict
        ``{"expr", "center", "scale"}`` in the order given.
    """
    fitted = []
    for item in derived:
        values = item.evaluate(raw)
        center, scale = scale_parameters(values[np.isfinite(values)], scaling)
        fitted.append({"expr": item.expr, "center": center, "scale": scale})
    return fitted


def fit_categorical(name, values, source=None) -> dict:
    """Column description of a categorical feature: sorted categories, most frequent value."""
    counts = pd.Series(values, dtype=object).dropna().value_counts()
    if len(counts) == 0:
        raise DataError("this feature has no values in the training rows; leave it out",
                        path=source, column=name)
    categories = sorted(str(c) for c in counts.index)
    most = counts.max()
    impute = min(str(c) for c, n in counts.items() if n == most)
    return {"name": name, "kind": CATEGORICAL, "categories": categories, "impute": impute}
