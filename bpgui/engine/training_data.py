"""The arrays a trainer trains on: in the network's dtype, contiguous, checked against it, and
replaced between two epochs (drawn data, the window's new points) by :class:`TrainingData`."""

from __future__ import annotations

import threading

import numpy as np

from bpgui.engine.backprop import Workspace
from bpgui.engine.metrics import total_sum_of_squares
from bpgui.engine.probe import Probe


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


class TrainingData:
    """What :class:`~bpgui.engine.training.Trainer` does with its arrays: take them, and take
    new ones between two epochs. Uses the trainer's ``network``, ``task``, ``_pending_data``,
    ``_cursor``, ``_probe_size``, ``_best`` and ``_build_batches``."""

    def replace_data(self, X, Y, X_val=None, Y_val=None):
        """Train on new data from the next epoch on (any thread; the newest call wins).

        The arrays are checked and converted here, on the caller's thread (``ValueError``
        for wrong shapes or no rows, and nothing changes); the trainer takes them as its next
        epoch begins (:meth:`apply_pending_data`), so no epoch mixes two datasets. The run
        goes on: weights, optimiser state and epoch count stay; early stopping starts
        looking for a best epoch afresh, as losses on other data do not compare.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_inputs)
        Y : array-like of shape (n_samples, n_outputs)
        X_val, Y_val : array-like, optional
            The new validation split (None or no rows: none).
        """
        self._pending_data.put(checked_arrays(self.network, X, Y, X_val, Y_val))

    @property
    def has_pending_data(self):
        """True while data given to :meth:`replace_data` waits for the next epoch."""
        return self._pending_data.waiting

    def apply_pending_data(self):
        """Take the data waiting from :meth:`replace_data` now. Called as each epoch begins;
        call it yourself only at an epoch boundary (``batch_in_epoch == 0``) while nothing
        trains, say to evaluate the new data at once. Returns True when there was some."""
        if self._cursor and self._pending_data.waiting:
            raise RuntimeError("new data can only be taken between epochs")
        arrays = self._pending_data.take()
        if arrays is None:
            return False
        self._set_data(*arrays)
        self._build_batches()
        self._best.restart(self.network.params)
        return True

    def _set_data(self, X, Y, X_val, Y_val):
        """Use checked arrays (:func:`checked_arrays`) and what is derived from them."""
        self.X, self.Y, self.X_val, self.Y_val = X, Y, X_val, Y_val
        self._labels = label_column(self.task, Y)
        self._ss_tot = total_sum_of_squares(Y) if self.task == "regression" else None
        self._probe = Probe(X, Y, self._probe_size)
        self._val_workspace = Workspace(self.network, len(X_val)) if X_val is not None else None
