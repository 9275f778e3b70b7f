"""Forward and backward passes over preallocated buffers.

A :class:`Workspace` holds, for one network and one batch size, every buffer a training step
needs: each layer's activations, deltas and scratch, dropout masks, and a flat gradient laid
out like ``Network.params``. After construction neither pass allocates an array, which is
what makes small networks fast (Python call overhead, not arithmetic, dominates them).
For the same reason both passes are also given as lists of zero-argument calls bound to
one batch's buffers (``forward_calls``, ``backward_calls``), which a trainer builds once
and then only runs.

Notation per layer l = 1..L: ``z_l = a_{l-1} @ W_l + b_l``, ``a_l = f_l(z_l)``,
``delta_l = dL/dz_l``. The backward pass is the chain rule::

    delta_L   = dL/dŷ ⊙ f_L'(z_L)           (ŷ − y)/N for the paired losses
    dL/dW_l   = a_{l-1}ᵀ @ delta_l
    dL/db_l   = Σ_n delta_l
    delta_l-1 = (delta_l @ W_lᵀ) ⊙ f_{l-1}'(z_{l-1})
"""

from __future__ import annotations

from functools import partial

import numpy as np

from bpgui.engine.activations import get_activation
from bpgui.engine.losses import get_loss
from bpgui.engine.network import layer_views

_dot = np.dot  # (a, b, out): matrix product into a C-contiguous buffer
_add = np.add


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

    def __init__(self, network, n_rows, dropout=0.0, _share=None, _output=None):
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
            self._ones = np.ones(n_rows, dtype)
            self.grad = np.zeros_like(network.params)
        else:  # a view onto the first n_rows rows of a bigger workspace
            self._a = [buf[:n_rows] for buf in _share._a]
            self._delta = [buf[:n_rows] for buf in _share._delta]
            self._scratch = [buf[:n_rows] for buf in _share._scratch]
            self._mask = [buf[:n_rows] for buf in _share._mask]
            self._dropped = [buf[:n_rows] for buf in _share._dropped]
            self._ones = _share._ones[:n_rows]
            self.grad = _share.grad
            if _output is not None:
                self._a[-1] = _output
        self.grad_weights, self.grad_biases = layer_views(self.grad, network.sizes)
        self.inputs = [None] * len(widths)  # what each layer received: X, a or dropped a
        self._masked = False
        self._bind_layers()

    def _bind_layers(self):
        """Gather, once, what each layer's step touches, so the passes only unpack tuples.

        ``np.dot`` with ``out=`` is used for the products: it calls the same BLAS routine as
        ``np.matmul`` with a fraction of its per-call overhead on small matrices. The bias
        gradients (column sums of the deltas) are products too, ``ones @ delta``: BLAS does
        them 2 to 6 times faster than ``np.add.reduce(delta, 0)`` at every batch size.
        """
        network = self.network
        self._forward_layers = list(zip(network.weights, network.biases, self.activations,
                                        self._a, self._scratch))
        self._backward_layers = []
        for l in range(len(self._a) - 1, -1, -1):
            below = (network.weights[l].T, self._delta[l - 1], self.activations[l - 1],
                     self._a[l - 1], self._scratch[l - 1]) if l > 0 else None
            self._backward_layers.append((l, self._delta[l], self.grad_weights[l],
                                          self.grad_biases[l], below))

    def rows(self, n_rows, output=None):
        """Return a workspace over the first ``n_rows`` rows of these buffers.

        ``output``, a C-contiguous ndarray of shape (n_rows, n_outputs), replaces the output
        layer's activation buffer: the trainer gives each batch its rows of an epoch-sized
        array, so every output of the epoch is still there at its end.
        """
        if n_rows == self.n_rows and output is None:
            return self
        return Workspace(self.network, n_rows, self.dropout, _share=self, _output=output)

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
        if X.dtype != self.network.dtype:
            X = np.asarray(X, self.network.dtype)
        for call in self.forward_calls(X, rng, flat=False):
            call()
        return self._a[-1]

    def forward_calls(self, X, rng=None, flat=True):
        """The forward pass on ``X`` as a list of zero-argument calls, bound to the buffers.

        Running them in order is ``forward(X, rng)``; a trainer binds them once per batch
        and then only runs them (see ``activations.Activation``). Also records what each
        layer reads, for ``backward_calls``. ``flat=False`` calls each activation's
        ``forward`` method instead of listing its NumPy calls (same arithmetic).
        """
        inputs, last = self.inputs, len(self._a) - 1
        masked = self._masked = rng is not None and self.dropout > 0
        calls, a = [], X
        for l, (W, b, act, out, scratch) in enumerate(self._forward_layers):
            inputs[l] = a
            calls += (partial(_dot, a, W, out), partial(_add, out, b, out))
            if flat:
                calls += act.forward_calls(out, out, scratch)
            else:
                calls.append(partial(act.forward, out, out, scratch))
            a = out
            if masked and l < last:
                calls += self._dropout_calls(l, out, rng)
                a = self._dropped[l]
        return calls

    def _dropout_calls(self, l, out, rng):
        """Inverted dropout on layer ``l``'s output, into the copy the next layer reads."""
        mask = self._mask[l]
        return (partial(rng.random, out=mask, dtype=mask.dtype),
                partial(np.greater_equal, mask, self.dropout, out=mask),
                partial(np.multiply, mask, 1.0 / (1.0 - self.dropout), mask),
                partial(np.multiply, out, mask, self._dropped[l]))

    def backward(self, Y, loss, train_biases=True):
        """Fill ``grad`` with dL/dparams for the last forward pass and targets ``Y``.

        Parameters
        ----------
        Y : ndarray of shape (n_rows, n_outputs)
        loss : Loss or str
        train_biases : bool
            If false, the bias gradients are left at zero.
        """
        if isinstance(loss, str):
            loss = get_loss(loss)
        for call in self.backward_calls(Y, loss, train_biases, flat=False):
            call()
        return self.grad

    def backward_calls(self, Y, loss, train_biases=True, flat=True):
        """``backward`` as a list of zero-argument calls for the pass ``forward_calls`` bound last.

        ``flat=False`` calls the loss's ``output_delta`` and each activation's ``backward``
        method instead of listing their NumPy calls (same arithmetic).
        """
        L = len(self._a) - 1
        output = (self._a[L], Y, self._delta[L], self.activations[L], self._scratch[L])
        calls = list(loss.output_delta_calls(*output) if flat else (partial(loss.output_delta, *output),))
        for l, delta, grad_w, grad_b, below in self._backward_layers:
            calls.append(partial(_dot, self.inputs[l].T, delta, grad_w))
            if train_biases:
                calls.append(partial(_dot, self._ones, delta, grad_b))
            else:
                calls.append(partial(grad_b.fill, 0.0))
            if below is not None:
                W_t, previous, act, a, scratch = below
                calls.append(partial(_dot, delta, W_t, previous))
                if self._masked:
                    calls.append(partial(np.multiply, previous, self._mask[l - 1], previous))
                if flat:
                    calls += act.backward_calls(a, previous, scratch)
                else:
                    calls.append(partial(act.backward, a, previous, scratch))
        return calls

    def loss_value(self, Y, loss):
        """Return the batch-averaged data loss of the last forward pass against ``Y``."""
        loss = get_loss(loss) if isinstance(loss, str) else loss
        return loss.value(self._a[-1], Y, self._scratch[-1])
