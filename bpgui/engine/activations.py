"""Activation functions, keyed by the word the user sees.

Every activation computes its forward pass in place and its derivative from its *output*
(as scikit-learn does), so the activations saved by the forward pass are all the backward
pass needs::

    a = f(z)            forward(z, out, scratch)    out may be z itself
    delta *= f'(z)      backward(a, delta, scratch)

``scratch`` is a buffer of the same shape as ``a`` that the function may overwrite; with it
neither direction allocates memory. Softmax is only ever paired with cross-entropy, whose
output delta is ``y_hat - y`` directly, so its ``backward`` is the Jacobian-vector product
used only by the inspector and the gradient check.
"""

from __future__ import annotations

import numpy as np

LEAKY_SLOPE = 0.01
ELU_ALPHA = 1.0


class Activation:
    """Base class: a named element-wise function with its derivative from the output."""

    name = ""

    def forward(self, z, out, scratch):
        """Write ``f(z)`` into ``out`` (shape ``(n_samples, n_units)``); ``out`` may be ``z``."""
        raise NotImplementedError

    def backward(self, a, delta, scratch):
        """Multiply ``delta`` in place by ``f'(z)``, computed from the output ``a``."""
        raise NotImplementedError

    def __call__(self, z):
        """Out-of-place convenience: return ``f(z)`` as a new array."""
        out = np.empty_like(z)
        self.forward(z, out, np.empty_like(z))
        return out

    def __repr__(self):
        return f"Activation({self.name!r})"


class Sigmoid(Activation):
    """Logistic function, written as ``(1 + tanh(z / 2)) / 2`` so that it never overflows."""

    name = "sigmoid"

    def forward(self, z, out, scratch):
        np.multiply(z, 0.5, out=out)
        np.tanh(out, out=out)
        out *= 0.5
        out += 0.5

    def backward(self, a, delta, scratch):
        np.subtract(1.0, a, out=scratch)  # f' = a (1 - a)
        scratch *= a
        delta *= scratch


class Tanh(Activation):
    name = "tanh"

    def forward(self, z, out, scratch):
        np.tanh(z, out=out)

    def backward(self, a, delta, scratch):
        np.multiply(a, a, out=scratch)  # f' = 1 - a^2
        np.subtract(1.0, scratch, out=scratch)
        delta *= scratch


class ReLU(Activation):
    name = "relu"

    def forward(self, z, out, scratch):
        np.maximum(z, 0.0, out=out)

    def backward(self, a, delta, scratch):
        np.sign(a, out=scratch)  # a >= 0, so sign(a) is 1 where z > 0 and 0 elsewhere
        delta *= scratch


class LeakyReLU(Activation):
    name = "leaky_relu"

    def forward(self, z, out, scratch):
        np.multiply(z, LEAKY_SLOPE, out=scratch)  # max(z, slope * z)
        np.maximum(z, scratch, out=out)

    def backward(self, a, delta, scratch):
        # f' = 1 where a > 0, slope where a < 0: (1 + s)/2 + (1 - s)/2 * sign(a)
        np.sign(a, out=scratch)
        scratch *= (1.0 - LEAKY_SLOPE) / 2.0
        scratch += (1.0 + LEAKY_SLOPE) / 2.0
        delta *= scratch


class ELU(Activation):
    """Exponential linear unit (Clevert et al., 2016) with alpha 1."""

    name = "elu"

    def forward(self, z, out, scratch):
        np.minimum(z, 0.0, out=scratch)  # alpha (exp(min(z, 0)) - 1) + max(z, 0)
        np.expm1(scratch, out=scratch)
        scratch *= ELU_ALPHA
        np.maximum(z, 0.0, out=out)
        out += scratch

    def backward(self, a, delta, scratch):
        np.minimum(a, 0.0, out=scratch)  # f' = 1 where a > 0, a + alpha elsewhere
        scratch += ELU_ALPHA
        delta *= scratch


class Linear(Activation):
    name = "linear"

    def forward(self, z, out, scratch):
        if out is not z:
            np.copyto(out, z)

    def backward(self, a, delta, scratch):
        pass


class Softmax(Activation):
    """Row-wise softmax; only valid at the output, paired with cross-entropy."""

    name = "softmax"

    def forward(self, z, out, scratch):
        # shift by the row maximum so exp never overflows; the row maxima and the row sums
        # go to scratch's first column, so nothing is allocated
        row = scratch[:, :1]
        np.maximum.reduce(z, 1, out=row, keepdims=True)
        np.subtract(z, row, out=out)
        np.exp(out, out=out)
        np.add.reduce(out, 1, out=row, keepdims=True)
        out /= row

    def backward(self, a, delta, scratch):
        # Jacobian-vector product: delta_i <- a_i (delta_i - sum_j a_j delta_j)
        np.multiply(a, delta, out=scratch)
        delta -= scratch.sum(axis=1, keepdims=True)
        delta *= a


ACTIVATIONS: dict[str, Activation] = {
    act.name: act
    for act in (Sigmoid(), Tanh(), ReLU(), LeakyReLU(), ELU(), Linear(), Softmax())
}
"""Every activation by its key; the key is the word in the window, the CLI and the file."""

HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "linear")
OUTPUT_ACTIVATIONS = ("sigmoid", "softmax", "linear", "tanh")


def get_activation(name: str) -> Activation:
    """Return the activation registered under ``name`` or raise a readable ``ValueError``."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r} (known: {known})") from None
