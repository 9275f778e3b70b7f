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


class _DtypeConstants(dict):
    """dtype → the constants of the passes as 0-d arrays of that dtype, made on first use.

    A ufunc takes a 0-d array of its operands' dtype in about half the time it takes a
    Python float (0.33 vs 0.65 µs on a 10x4 float32 batch) and computes exactly the same:
    NumPy casts a Python float to the array's dtype before the loop either way.
    """

    VALUES = {"zero": 0.0, "half": 0.5, "one": 1.0, "slope": LEAKY_SLOPE, "alpha": ELU_ALPHA,
              "leaky_scale": (1.0 - LEAKY_SLOPE) / 2.0, "leaky_offset": (1.0 + LEAKY_SLOPE) / 2.0}

    def __missing__(self, dtype):
        constants = type("Constants", (), {k: np.array(v, dtype) for k, v in self.VALUES.items()})
        self[dtype] = constants
        return constants


CONSTANTS = _DtypeConstants()
"""``CONSTANTS[array.dtype].half`` etc.: see :class:`_DtypeConstants`."""


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
        half = CONSTANTS[out.dtype].half
        np.multiply(z, half, out)
        np.tanh(out, out)
        np.multiply(out, half, out)
        np.add(out, half, out)

    def backward(self, a, delta, scratch):
        np.subtract(CONSTANTS[a.dtype].one, a, scratch)  # f' = a (1 - a)
        np.multiply(scratch, a, scratch)
        np.multiply(delta, scratch, delta)


class Tanh(Activation):
    name = "tanh"

    def forward(self, z, out, scratch):
        np.tanh(z, out)

    def backward(self, a, delta, scratch):
        np.multiply(a, a, scratch)  # f' = 1 - a^2
        np.subtract(CONSTANTS[a.dtype].one, scratch, scratch)
        np.multiply(delta, scratch, delta)


class ReLU(Activation):
    name = "relu"

    def forward(self, z, out, scratch):
        np.maximum(z, CONSTANTS[z.dtype].zero, out=out)

    def backward(self, a, delta, scratch):
        np.sign(a, scratch)  # a >= 0, so sign(a) is 1 where z > 0 and 0 elsewhere
        np.multiply(delta, scratch, delta)


class LeakyReLU(Activation):
    name = "leaky_relu"

    def forward(self, z, out, scratch):
        np.multiply(z, CONSTANTS[z.dtype].slope, scratch)  # max(z, slope * z)
        np.maximum(z, scratch, out=out)

    def backward(self, a, delta, scratch):
        # f' = 1 where a > 0, slope where a < 0: (1 + s)/2 + (1 - s)/2 * sign(a)
        constants = CONSTANTS[a.dtype]
        np.sign(a, scratch)
        np.multiply(scratch, constants.leaky_scale, scratch)
        np.add(scratch, constants.leaky_offset, scratch)
        np.multiply(delta, scratch, delta)


class ELU(Activation):
    """Exponential linear unit (Clevert et al., 2016) with alpha 1."""

    name = "elu"

    def forward(self, z, out, scratch):
        np.minimum(z, 0.0, out=scratch)  # alpha (exp(min(z, 0)) - 1) + max(z, 0)
        np.expm1(scratch, scratch)
        np.multiply(scratch, CONSTANTS[z.dtype].alpha, scratch)
        np.maximum(z, CONSTANTS[z.dtype].zero, out=out)
        np.add(out, scratch, out)

    def backward(self, a, delta, scratch):
        np.minimum(a, 0.0, out=scratch)  # f' = 1 where a > 0, a + alpha elsewhere
        np.add(scratch, CONSTANTS[a.dtype].alpha, scratch)
        np.multiply(delta, scratch, delta)


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
