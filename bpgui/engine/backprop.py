"""Forward and backward passes over preallocated buffers.

A :class:`Workspace` holds, for one network and one batch size, every buffer a training step
needs: each layer's activations, deltas and scratch, dropout masks, and a flat gradient laid
out like ``Network.params``. After construction neither pass allocates an array, which is
what makes small networks fast (Python call overhead, not arithmetic, dominates them).

Notation per layer l = 1..L: ``z_l = a_{l-1} @ W_l + b_l``, ``a_l = f_l(z_l)``,
``delta_l = dL/dz_l``. The backward pass is the chain rule::

    delta_L   = dL/dŷ ⊙ f_L'(z_L)           (ŷ − y)/N for the paired losses
    dL/dW_l   = a_{l-1}ᵀ @ delta_l
    dL/db_l   = Σ_n delta_l
    delta_l-1 = (delta_l @ W_lᵀ) ⊙ f_{l-1}'(z_{l-1})
"""

from __future__ import annotations

import numpy as np

from bpgui.engine.activations import get_activation
from bpgui.engine.losses import get_loss
from bpgui.engine.network import layer_views


class Workspace:
    """Buffers and passes for ``n_rows`` samples through ``network``.

    Parameters
    ----------
    network : Network
    n_rows : int
        Batch size the buffers are made for.
    dropout : float
        Probability of dropping each hidden unit during training (inverted dropout).
    """

    def __init__(self, network, n_rows, dropout=0.0, _share=None):
        self.network = network
        self.n_rows = n_rows
        self.dropout = float(dropout)
        self.activations = [get_activation(key) for key in network.activations]
        dtype, widths = network.dtype, network.sizes[1:]
        if _share is None:
            self._a = [np.zeros((n_rows, n), dtype) for n in widths]
            self._delta = [np.zeros((n_rows, n), dtype) for n in widths]
            self._scratch = [np.zeros((n_rows, n), dtype) for n in widths]
            hidden = widths[:-1] if self.dropout > 0 else ()
            self._mask = [np.zeros((n_rows, n), dtype) for n in hidden]
            self._dropped = [np.zeros((n_rows, n), dtype) for n in hidden]
            self.grad = np.zeros_like(network.params)
        else:  # a view onto the first n_rows rows of a bigger workspace
            self._a = [buf[:n_rows] for buf in _share._a]
            self._delta = [buf[:n_rows] for buf in _share._delta]
            self._scratch = [buf[:n_rows] for buf in _share._scratch]
            self._mask = [buf[:n_rows] for buf in _share._mask]
            self._dropped = [buf[:n_rows] for buf in _share._dropped]
            self.grad = _share.grad
        self.grad_weights, self.grad_biases = layer_views(self.grad, network.sizes)
        self.inputs = [None] * len(widths)  # what each layer received: X, a or dropped a
        self._masked = False

    def rows(self, n_rows):
        """Return a workspace over the first ``n_rows`` rows of these buffers."""
        if n_rows == self.n_rows:
            return self
        return Workspace(self.network, n_rows, self.dropout, _share=self)

    @property
    def output(self):
        """ndarray of shape (n_rows, n_outputs): the last forward pass's output."""
        return self._a[-1]

    @property
    def layer_activations(self):
        """Per non-input layer, the activations ``f(z)`` of the last forward pass."""
        return self._a

    @property
    def layer_deltas(self):
        """Per non-input layer, dL/dz of the last backward pass (batch-averaged loss)."""
        return self._delta

    def forward(self, X, rng=None):
        """Run the forward pass on ``X`` (n_rows, n_inputs); with ``rng``, apply dropout.

        Returns the output buffer (n_rows, n_outputs); it is overwritten by the next pass.
        """
        network = self.network
        a = X
        last = len(self._a) - 1
        self._masked = rng is not None and self.dropout > 0
        for l, (W, b, act) in enumerate(zip(network.weights, network.biases, self.activations)):
            self.inputs[l] = a
            out = self._a[l]
            np.matmul(a, W, out=out)
            out += b
            act.forward(out, out, self._scratch[l])
            a = out
            if self._masked and l < last:
                mask = self._mask[l]
                rng.random(out=mask, dtype=mask.dtype)
                np.greater_equal(mask, self.dropout, out=mask)
                mask *= 1.0 / (1.0 - self.dropout)
                a = np.multiply(out, mask, out=self._dropped[l])
        return self._a[-1]

    def backward(self, Y, loss, train_biases=True):
        """Fill ``grad`` with dL/dparams for the last forward pass and targets ``Y``.

        Parameters
        ----------
        Y : ndarray of shape (n_rows, n_outputs)
        loss : Loss or str
        train_biases : bool
            If false, the bias gradients are left at zero.
        """
        loss = get_loss(loss) if isinstance(loss, str) else loss
        network, L = self.network, len(self._a) - 1
        loss.output_delta(self._a[L], Y, self._delta[L], self.activations[L], self._scratch[L])
        for l in range(L, -1, -1):
            delta = self._delta[l]
            np.matmul(self.inputs[l].T, delta, out=self.grad_weights[l])
            if train_biases:
                np.sum(delta, axis=0, out=self.grad_biases[l])
            else:
                self.grad_biases[l].fill(0.0)
            if l > 0:
                previous = self._delta[l - 1]
                np.matmul(delta, network.weights[l].T, out=previous)
                if self._masked:
                    previous *= self._mask[l - 1]
                self.activations[l - 1].backward(self._a[l - 1], previous, self._scratch[l - 1])
        return self.grad

    def loss_value(self, Y, loss):
        """Return the batch-averaged data loss of the last forward pass against ``Y``."""
        loss = get_loss(loss) if isinstance(loss, str) else loss
        return loss.value(self._a[-1], Y, self._scratch[-1])
