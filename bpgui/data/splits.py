"""Train / validation / test splits with a seed, stratified by class for classification."""

from __future__ import annotations

import numpy as np

from bpgui.data.errors import DataError


def check_fractions(val_split: float, test_split: float) -> None:
    """DataError unless both fractions are in [0, 1) and leave rows to train on."""
    for name, value in (("validation split", val_split), ("test split", test_split)):
        if not 0.0 <= value < 1.0:
            raise DataError(f"the {name} must be a fraction from 0 up to (not including) 1, "
                            f"got {value}")
    if val_split + test_split >= 1.0:
        raise DataError(f"validation ({val_split}) and test ({test_split}) splits together "
                        "must leave some rows for training")


def split_rows(rows, val_split=0.2, test_split=0.0, seed=0, labels=None):
    """Divide row indices into train, validation and test sets.

    Parameters
    ----------
    rows : ndarray of int of shape (n,)
        Usable row indices, in file order.
    val_split, test_split : float
        Fractions of the rows (of each class, when ``labels`` is given).
    seed : int
    labels : ndarray of shape (n,), optional
        Class index per row: split each class separately so every class appears in every
        split where it has enough rows.

    Returns
    -------
    train, val, test : ndarray of int
        Each sorted in file order. With both fractions 0 every row trains.
    """
    check_fractions(val_split, test_split)
    rows = np.asarray(rows, dtype=np.int64)
    if val_split == 0 and test_split == 0:
        return rows.copy(), rows[:0].copy(), rows[:0].copy()
    rng = np.random.default_rng(seed)
    groups = [rows] if labels is None else [rows[labels == c] for c in np.unique(labels)]
    parts = ([], [], [])
    for group in groups:
        for part, chosen in zip(parts, _split_group(rng.permutation(group), val_split, test_split)):
            part.append(chosen)
    return tuple(np.sort(np.concatenate(part)) for part in parts)


def _split_group(shuffled, val_split, test_split):
    """Cut one shuffled group; a nonzero fraction gets at least one row when one can be spared."""
    n = len(shuffled)
    n_test = _share(n, test_split)
    n_val = _share(n, val_split)
    while n_test + n_val >= n and (n_test or n_val):
        if n_val >= n_test and n_val:
            n_val -= 1
        else:
            n_test -= 1
    return shuffled[n_test + n_val:], shuffled[n_test:n_test + n_val], shuffled[:n_test]


def _share(n, fraction):
    if fraction <= 0 or n < 2:
        return 0
    return max(1, int(round(n * fraction)))
