"""Per-neuron diagnostics on a fixed probe of training rows (what the window colours by).

The probe is the first ``size`` training rows; its forward and backward passes run in a
workspace of its own, so asking for diagnostics never disturbs training's buffers.
"""

from __future__ import annotations

import numpy as np

from bpgui.engine.backprop import Workspace


def read_only(array):
    """A read-only copy of ``array`` (safe to hand to another thread)."""
    array = np.array(array, copy=True)
    array.flags.writeable = False
    return array


class Probe:
    """Diagnostics of a network on the first ``size`` rows of ``(X, Y)``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_inputs)
    Y : ndarray of shape (n_samples, n_outputs)
    size : int
    """

    def __init__(self, X, Y, size):
        n = min(int(size), len(X))
        self.X, self.Y = X[:n], Y[:n]
        self._workspace = None

    def diagnostics(self, network, loss):
        """Per-neuron delta / activation means on the probe rows, and the weights.

        Parameters
        ----------
        network : Network
        loss : Loss
            The loss object (``bpgui.engine.losses.get_loss``).

        Returns
        -------
        dict with keys ``neuron_delta``, ``neuron_abs_delta`` and ``neuron_activation``
        (tuples of read-only ndarrays of shape (n_units,), one per non-input layer; deltas
        per sample, dL_n/dz) and ``params``.
        """
        if self._workspace is None:
            self._workspace = Workspace(network, len(self.X))
        workspace = self._workspace
        workspace.forward(self.X)
        workspace.backward(self.Y, loss)
        n = len(self.X)
        return {
            "neuron_delta": tuple(read_only(d.sum(axis=0)) for d in workspace.layer_deltas),
            "neuron_abs_delta": tuple(read_only(np.abs(d).sum(axis=0)) for d in workspace.layer_deltas),
            "neuron_activation": tuple(read_only(a.sum(axis=0) / n) for a in workspace.layer_activations),
            "params": read_only(network.params),
        }
