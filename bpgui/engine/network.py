"""The dense network: sizes, activations and parameters in one flat buffer.

All weights come first, then all biases, in one contiguous array ``params``; ``weights[i]``
(shape ``(n_in, n_out)``) and ``biases[i]`` (shape ``(n_out,)``) are views into it. An
optimiser step, a gradient clip or an L2 term is then one NumPy call over
``params`` (or over ``params[:n_weights]``), however deep the network.
"""

from __future__ import annotations

import numpy as np

from bpgui.engine.activations import get_activation
from bpgui.engine.initializers import get_initializer

DTYPES = ("float32", "float64")


def layer_views(flat, sizes):
    """Split a flat parameter-shaped array into per-layer weight and bias views.

    Parameters
    ----------
    flat : ndarray of shape (n_params,)
    sizes : sequence of int
        Units per layer, input first.

    Returns
    -------
    weights : list of ndarray of shape (n_in, n_out)
    biases : list of ndarray of shape (n_out,)
    """
    weights, biases = [], []
    offset = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        weights.append(flat[offset:offset + n_in * n_out].reshape(n_in, n_out))
        offset += n_in * n_out
    for n_out in sizes[1:]:
        biases.append(flat[offset:offset + n_out])
        offset += n_out
    return weights, biases


def count_weights(sizes):
    return sum(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


class Network:
    """A fully-connected feed-forward network ``a_out = act(a_in @ W + b)`` per layer.

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, the input layer first: ``(2, 8, 1)``.
    activations : sequence of str
        One activation key per non-input layer (``len(sizes) - 1`` of them).
    dtype : {"float32", "float64"}
    """

    def __init__(self, sizes, activations, dtype="float32"):
        sizes = tuple(int(n) for n in sizes)
        activations = tuple(activations)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"a network needs an input and an output layer of at least one unit: {sizes}")
        if len(activations) != len(sizes) - 1:
            raise ValueError(f"{len(sizes) - 1} layers need {len(sizes) - 1} activations, got {len(activations)}")
        for key in activations[:-1]:
            if key == "softmax":
                raise ValueError("softmax is only available at the output layer")
            get_activation(key)
        get_activation(activations[-1])
        if str(dtype) not in DTYPES:
            raise ValueError(f"dtype must be float32 or float64, not {dtype!r}")
        self.sizes = sizes
        self.activations = activations
        self.dtype = np.dtype(dtype)
        self.n_weights = count_weights(sizes)
        self.params = np.zeros(self.n_weights + sum(sizes[1:]), dtype=self.dtype)
        self.weights, self.biases = layer_views(self.params, sizes)

    @classmethod
    def create(cls, sizes, activations, init="glorot", seed=0, init_range=0.5, dtype="float32"):
        """Build a network and initialise it from ``seed``."""
        network = cls(sizes, activations, dtype)
        network.initialize(init, seed, init_range)
        return network

    @classmethod
    def from_layers(cls, weights, biases, activations, dtype="float32"):
        """Build a network from explicit per-layer arrays (as stored in a model file)."""
        weights = [np.asarray(w, dtype=float) for w in weights]
        if not weights:
            raise ValueError("a network needs at least one layer")
        sizes = [weights[0].shape[0]] + [w.shape[1] if w.ndim == 2 else -1 for w in weights]
        network = cls(sizes, activations, dtype)
        network.set_layers(weights, biases)
        return network

    def initialize(self, init="glorot", seed=0, init_range=0.5):
        """Draw every weight and bias again from ``seed`` (in place)."""
        initializer = get_initializer(init)
        rng = np.random.default_rng(seed)
        for W, b in zip(self.weights, self.biases):
            w_new, b_new = initializer(W.shape[0], W.shape[1], rng, init_range)
            W[...] = w_new
            b[...] = b_new

    def set_layers(self, weights, biases):
        """Copy per-layer arrays into the network, checking every shape."""
        if len(weights) != len(self.weights) or len(biases) != len(self.biases):
            raise ValueError(f"expected {len(self.weights)} layers of weights and biases")
        for i, (W, b, w_new, b_new) in enumerate(zip(self.weights, self.biases, weights, biases)):
            w_new, b_new = np.asarray(w_new, dtype=float), np.asarray(b_new, dtype=float)
            if w_new.shape != W.shape or b_new.shape != b.shape:
                raise ValueError(
                    f"layer {i + 1}: expected weights {W.shape} and biases {b.shape}, "
                    f"got {w_new.shape} and {b_new.shape}"
                )
            W[...] = w_new
            b[...] = b_new

    @property
    def n_inputs(self):
        return self.sizes[0]

    @property
    def n_outputs(self):
        return self.sizes[-1]

    @property
    def output_activation(self):
        return self.activations[-1]

    def forward(self, X):
        """Return the network's output for ``X`` without recording anything.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_inputs)

        Returns
        -------
        ndarray of shape (n_samples, n_outputs), in the network's dtype.
        """
        a = np.asarray(X, dtype=self.dtype)
        if a.ndim != 2 or a.shape[1] != self.n_inputs:
            raise ValueError(f"expected input of shape (n, {self.n_inputs}), got {a.shape}")
        for W, b, key in zip(self.weights, self.biases, self.activations):
            z = a @ W
            z += b
            get_activation(key).forward(z, z, np.empty_like(z))
            a = z
        return a

    predict = forward

    def layer_outputs(self, X):
        """Return every layer's activation for ``X``: a list, the input first."""
        outputs = [np.asarray(X, dtype=self.dtype)]
        for W, b, key in zip(self.weights, self.biases, self.activations):
            z = outputs[-1] @ W
            z += b
            get_activation(key).forward(z, z, np.empty_like(z))
            outputs.append(z)
        return outputs

    def copy(self):
        clone = Network(self.sizes, self.activations, self.dtype)
        clone.params[...] = self.params
        return clone

    def astype(self, dtype):
        clone = Network(self.sizes, self.activations, dtype)
        clone.params[...] = self.params
        return clone

    def describe(self):
        """Return ``2-8-1, tanh/sigmoid``: sizes, hidden activations / output activation."""
        shape = "-".join(str(n) for n in self.sizes)
        hidden = ",".join(dict.fromkeys(self.activations[:-1]))
        acts = f"{hidden}/{self.activations[-1]}" if hidden else self.activations[-1]
        return f"{shape}, {acts}"

    def __repr__(self):
        return f"Network({self.describe()})"
