"""Task metrics: accuracy for classification, R² (averaged over targets) for regression."""

from __future__ import annotations

import numpy as np


def predicted_labels(y_hat):
    """Class index per row: ``ŷ > 0.5`` for one output unit, the arg-max otherwise.

    Parameters
    ----------
    y_hat : ndarray of shape (n_samples, n_outputs)

    Returns
    -------
    ndarray of int of shape (n_samples,)
    """
    if y_hat.shape[1] == 1:
        return (y_hat[:, 0] > 0.5).astype(np.int64)
    return np.argmax(y_hat, axis=1)


def accuracy(y_hat, Y):
    """Fraction of rows whose predicted class is the target's (``Y`` one-hot or a 0/1 column)."""
    if len(Y) == 0:
        return None
    return float(np.mean(predicted_labels(y_hat) == predicted_labels(Y)))


def r2_from_sums(ss_res, ss_tot, n_samples):
    """R² averaged over targets from per-target sums of squares; ``None`` for fewer than 2 rows.

    A target with no variance scores 1 when predicted exactly and 0 otherwise (as scikit-learn).
    """
    if n_samples < 2:
        return None
    ss_res, ss_tot = np.asarray(ss_res, float), np.asarray(ss_tot, float)
    safe = np.where(ss_tot > 0, ss_tot, 1.0)
    scores = np.where(ss_tot > 0, 1.0 - ss_res / safe, np.where(ss_res == 0, 1.0, 0.0))
    return float(np.mean(scores))


def total_sum_of_squares(Y):
    """Per-target Σ (y − ȳ)²: ndarray of shape (n_targets,)."""
    Y = np.asarray(Y, float)
    return ((Y - Y.mean(axis=0)) ** 2).sum(axis=0)


def r2_score(y_hat, Y):
    """R² averaged over targets, ``None`` for fewer than 2 rows."""
    Y = np.asarray(Y, float)
    ss_res = ((Y - np.asarray(y_hat, float)) ** 2).sum(axis=0)
    return r2_from_sums(ss_res, total_sum_of_squares(Y), len(Y))


METRICS = {"classification": ("accuracy", accuracy), "regression": ("r2", r2_score)}
"""Task → (metric name, metric function)."""
