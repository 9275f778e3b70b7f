"""The batches of an epoch: every view and buffer one pass over the data needs, made once.

A :class:`BatchPlan` splits ``(X, Y)`` into mini-batches of one size, each with its own rows
and a :class:`Workspace` whose output activations are that batch's rows of one epoch-wide
output buffer, so the hot loop creates no arrays and the epoch's loss and metric are scored
at its end from what each batch's own training step computed.
"""

from __future__ import annotations

import numpy as np

from bpgui.engine.backprop import Workspace
from bpgui.engine.metrics import r2_from_sums


class BatchPlan:
    """Mini-batches over ``(X, Y)`` and the buffers that score an epoch.

    Parameters
    ----------
    network : Network
    X : ndarray of shape (n_samples, n_inputs), network dtype
    Y : ndarray of shape (n_samples, n_outputs), network dtype
    labels : ndarray of shape (n_samples,)
        Class index (or bool for one sigmoid unit) per row; zeros for regression.
    task : {"classification", "regression"}
    batch_size : int
    shuffle : bool
        Shuffle the rows at the start of every epoch (not done for a single full batch: the
        gradient is the same in any order, and shuffling would only cost a copy of the data).
    dropout : float

    Attributes
    ----------
    batches : list of (ndarray, ndarray, Workspace)
        Each batch's ``(X rows, Y rows, workspace)``.
    penalties : ndarray of shape (n_batches,), float64
        The L1/L2 term each batch's step saw (filled in by the trainer).
    """

    def __init__(self, network, X, Y, labels, task, batch_size, shuffle, dropout):
        n = len(X)
        size = min(int(batch_size), n)
        self.X, self.Y, self.labels, self.task = X, Y, labels, task
        self.shuffles = shuffle and size < n
        if self.shuffles:
            self._X_shuffled, self._Y_shuffled = np.empty_like(X), np.empty_like(Y)
            self._labels_shuffled = np.empty_like(labels)
            X, Y, labels = self._X_shuffled, self._Y_shuffled, self._labels_shuffled
        self.targets, self.epoch_labels = Y, labels
        self._identity_order = np.arange(n)
        self._order = np.empty_like(self._identity_order)
        dtype, n_out = network.dtype, network.n_outputs
        self.output = np.zeros((n, n_out), dtype)
        self._scratch = (np.zeros((n, n_out), dtype), np.zeros((n, n_out), dtype))
        self._sample_losses = np.zeros(n, dtype)
        self._sample_losses64 = np.zeros(n, np.float64)
        self._squares64 = np.zeros((n, n_out), np.float64) if task == "regression" else None
        self._metric_scratch = (np.zeros(n, np.int64), np.zeros(n, bool))
        full = Workspace(network, size, dropout)
        starts = range(0, n, size)
        self.bounds = np.array([*starts, n])
        self._starts = self.bounds[:-1]
        self._rows = np.diff(self.bounds).astype(np.float64)
        self._sums = np.zeros(len(starts), np.float64)
        self.batches = []
        for start in starts:
            stop = min(start + size, n)
            workspace = full.rows(stop - start, output=self.output[start:stop])
            self.batches.append((X[start:stop], Y[start:stop], workspace))
        self.penalties = np.zeros(len(starts), np.float64)
        self.grad = full.grad  # every batch's workspace shares one gradient buffer
        self.layer_grads = [(w.reshape(-1), b) for w, b in zip(full.grad_weights, full.grad_biases)]

    def __len__(self):
        return len(self.batches)

    def shuffle(self, rng):
        """Put the rows in a new random order for the next epoch (no-op when not shuffling)."""
        if not self.shuffles:
            return
        # the same draws as rng.permutation(n), into a kept buffer; mode="clip" lets take
        # write straight into out= (mode="raise" buffers a whole copy of X first)
        order = self._order
        np.copyto(order, self._identity_order)
        rng.shuffle(order)
        np.take(self.X, order, axis=0, out=self._X_shuffled, mode="clip")
        np.take(self.Y, order, axis=0, out=self._Y_shuffled, mode="clip")
        np.take(self.labels, order, axis=0, out=self._labels_shuffled, mode="clip")

    def outputs_done(self, n_batches):
        """The outputs of the first ``n_batches`` batches of this epoch."""
        return self.output[:self.bounds[n_batches]]

    def batch_loss(self, loss, index):
        """The loss of batch ``index`` as its training step saw it (float): its data loss
        plus the L1/L2 penalty at the weights it was computed with."""
        start, stop = self.bounds[index], self.bounds[index + 1]
        per_sample, in_float64 = self._sample_losses[start:stop], self._sample_losses64[start:stop]
        loss.sample_values(self.output[start:stop], self.targets[start:stop], per_sample,
                           *(buf[start:stop] for buf in self._scratch))
        np.copyto(in_float64, per_sample)
        return float(np.add.reduce(in_float64)) / (stop - start) + float(self.penalties[index])

    def epoch_loss(self, loss):
        """Mean of the epoch's batch losses, from the outputs kept in ``output``."""
        per_sample, batch_sums = self._sample_losses, self._sums
        loss.sample_values(self.output, self.targets, per_sample, *self._scratch)
        # summed in float64; copied first, as reduceat(dtype=) would cast into a temporary
        np.copyto(self._sample_losses64, per_sample)
        np.add.reduceat(self._sample_losses64, self._starts, 0, None, batch_sums)
        batch_sums /= self._rows
        batch_sums += self.penalties
        return float(batch_sums.sum()) / len(batch_sums)

    def epoch_metric(self, ss_tot):
        """Accuracy or R² of the epoch's outputs (each from its batch's step) against the
        targets; ``ss_tot`` is the targets' total sum of squares (regression)."""
        y_hat, n = self.output, len(self.output)
        if self.task == "classification":
            predicted, same = self._metric_scratch
            if y_hat.shape[1] == 1:
                np.greater(y_hat[:, 0], 0.5, out=same)
                np.equal(same, self.epoch_labels, out=same)
            else:
                y_hat.argmax(axis=1, out=predicted)
                np.equal(predicted, self.epoch_labels, out=same)
            return int(np.count_nonzero(same)) / n
        squares, in_float64 = self._scratch[0], self._squares64
        np.subtract(y_hat, self.targets, out=squares)
        np.multiply(squares, squares, out=squares)
        np.copyto(in_float64, squares)  # reduce(dtype=) would cast into a temporary
        return r2_from_sums(np.add.reduce(in_float64, 0), ss_tot, n)
