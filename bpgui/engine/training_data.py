"""The arrays a trainer trains on: in the network's dtype, contiguous, checked against it."""

from __future__ import annotations

import threading

import numpy as np


def checked_arrays(network, X, Y, X_val=None, Y_val=None):
    """``(X, Y, X_val, Y_val)`` in ``network``'s dtype, contiguous and checked.

    Parameters
    ----------
    network : Network
    X : array-like of shape (n_samples, n_inputs)
    Y : array-like of shape (n_samples, n_outputs)
    X_val, Y_val : array-like, optional

    Returns
    -------
    tuple of ndarray
        The validation pair is None when it has no rows.

    Raises
    ------
    ValueError
        Wrong shapes, or no training rows.
    """
    dtype = network.dtype
    X = np.ascontiguousarray(X, dtype=dtype)
    Y = np.ascontiguousarray(Y, dtype=dtype)
    check_shapes(network, X, Y, "training")
    if len(X) == 0:
        raise ValueError("no training rows")
    if X_val is None or not len(X_val):
        return X, Y, None, None
    X_val = np.ascontiguousarray(X_val, dtype=dtype)
    Y_val = np.ascontiguousarray(Y_val, dtype=dtype)
    check_shapes(network, X_val, Y_val, "validation")
    return X, Y, X_val, Y_val


def check_shapes(network, X, Y, name):
    """ValueError naming the split ``name`` unless ``X`` and ``Y`` fit ``network``."""
    sizes = network.sizes
    if X.ndim != 2 or X.shape[1] != sizes[0]:
        raise ValueError(f"{name} inputs have shape {X.shape}; the network takes {sizes[0]} inputs")
    if Y.ndim != 2 or Y.shape[1] != sizes[-1] or len(Y) != len(X):
        raise ValueError(f"{name} targets have shape {Y.shape}; expected ({len(X)}, {sizes[-1]})")


def label_column(task, Y):
    """The class of each row (bool for one sigmoid unit, an index for several), or zeros for
    regression.

    Returns
    -------
    ndarray of shape (n_samples,)
    """
    if task != "classification":
        return np.zeros(len(Y), dtype=np.int64)
    if Y.shape[1] == 1:
        return Y[:, 0] > 0.5
    return np.argmax(Y, axis=1)


class PendingData:
    """A slot for new arrays that a trainer takes as its next epoch begins (any thread puts;
    the newest put wins)."""

    def __init__(self):
        self._arrays = None
        self._lock = threading.Lock()

    @property
    def waiting(self):
        return self._arrays is not None

    def put(self, arrays):
        with self._lock:
            self._arrays = arrays

    def take(self):
        """The arrays put last (None when none wait), emptying the slot."""
        with self._lock:
            arrays, self._arrays = self._arrays, None
        return arrays
