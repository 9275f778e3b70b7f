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

from functools import lru_cache, partial

import numpy as np

LEAKY_SLOPE = 0.01
ELU_ALPHA = 1.0


class _DtypeConstants(dict):
    """dtype → the constants of the passes as 0-d arrays of that dtype, made on first use.

    A ufunc takes a 0-d array of its operands' dtype in about half the time it takes a
    Python float (0.33 vs 0.65 µs on a 10x4 float32 batch) and computes exactly the same:
    NumPy casts a Python float to the array's dtype before the loop either way.
    """

    VALUES = {"half": 0.5, "one": 1.0, "slope": LEAKY_SLOPE, "alpha": ELU_ALPHA,
              "leaky_scale": (1.0 - LEAKY_SLOPE) / 2.0, "leaky_offset": (1.0 + LEAKY_SLOPE) / 2.0}

    def __missing__(self, dtype):
        constants = type("Constants", (), {k: np.array(v, dtype) for k, v in self.VALUES.items()})
        self[dtype] = constants
        return constants


CONSTANTS = _DtypeConstants()
"""``CONSTANTS[array.dtype].half`` etc.: see :class:`_DtypeConstants`."""


@lru_cache(maxsize=16)
def _zeros(shape, dtype):
    """A read-only array of zeros: ``np.maximum(z, zeros)`` runs about twice as fast as
    ``np.maximum(z, 0)`` (with a 0-d operand these ufuncs take a slower loop; unlike
    multiply and add, see :class:`_DtypeConstants`)."""
    zeros = np.zeros(shape, dtype)
    zeros.flags.writeable = False
    return zeros


class Activation:
    """Base class: a named element-wise function with its derivative from the output.

    Subclasses define each direction once, as a tuple of zero-argument calls bound to the
    buffers (``forward_calls``, ``backward_calls``); ``forward`` and ``backward`` run them.
    The trainer binds the calls of every batch once and then only runs them: on small
    networks the Python around each NumPy call costs as much as the call itself.
    """

    name = ""

    def forward_calls(self, z, out, scratch):
        """The calls that write ``f(z)`` into ``out`` (``(n_samples, n_units)``; may be ``z``)."""
        raise NotImplementedError

    def backward_calls(self, a, delta, scratch):
        """The calls that multiply ``delta`` in place by ``f'(z)``, computed from the output ``a``."""
        raise NotImplementedError

    def forward(self, z, out, scratch):
        """Write ``f(z)`` into ``out`` (shape ``(n_samples, n_units)``); ``out`` may be ``z``."""
        for call in self.forward_calls(z, out, scratch):
            call()

    def backward(self, a, delta, scratch):
        """Multiply ``delta`` in place by ``f'(z)``, computed from the output ``a``."""
        for call in self.backward_calls(a, delta, scratch):
            call()

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

    def forward_calls(self, z, out, scratch):
        half = CONSTANTS[out.dtype].half
        return (partial(np.multiply, z, half, out), partial(np.tanh, out, out),
                partial(np.multiply, out, half, out), partial(np.add, out, half, out))

    def backward_calls(self, a, delta, scratch):
        return (partial(np.subtract, CONSTANTS[a.dtype].one, a, scratch),  # f' = a (1 - a)
                partial(np.multiply, scratch, a, scratch), partial(np.multiply, delta, scratch, delta))


class Tanh(Activation):
    name = "tanh"

    def forward_calls(self, z, out, scratch):
        return (partial(np.tanh, z, out),)

    def backward_calls(self, a, delta, scratch):
        return (partial(np.square, a, scratch),  # f' = 1 - a^2
                partial(np.subtract, CONSTANTS[a.dtype].one, scratch, scratch),
                partial(np.multiply, delta, scratch, delta))


SIGN_LOOP_SIZE = 1024  # see ReLU.backward_calls


class ReLU(Activation):
    name = "relu"

    def forward_calls(self, z, out, scratch):
        return (partial(np.maximum, z, _zeros(z.shape, z.dtype), out=out),)

    def backward_calls(self, a, delta, scratch):
        # a >= 0, so f' = sign(a) is 1 where a > 0 and 0 elsewhere, as is the comparison
        # a > 0 (they differ only for NaN, where training has diverged anyway); np.sign
        # is the faster loop on a few hundred values, the comparison beyond (2.5x at 256x512)
        if a.size < SIGN_LOOP_SIZE:
            mask = partial(np.sign, a, scratch)
        else:
            mask = partial(np.greater, a, _zeros(a.shape, a.dtype), scratch)
        return mask, partial(np.multiply, delta, scratch, delta)


class LeakyReLU(Activation):
    name = "leaky_relu"

    def forward_calls(self, z, out, scratch):
        return (partial(np.multiply, z, CONSTANTS[z.dtype].slope, scratch),  # max(z, slope * z)
                partial(np.maximum, z, scratch, out=out))

    def backward_calls(self, a, delta, scratch):
        # f' = 1 where a > 0, slope where a < 0: (1 + s)/2 + (1 - s)/2 * sign(a)
        constants = CONSTANTS[a.dtype]
        return (partial(np.sign, a, scratch), partial(np.multiply, scratch, constants.leaky_scale, scratch),
                partial(np.add, scratch, constants.leaky_offset, scratch),
                partial(np.multiply, delta, scratch, delta))


class ELU(Activation):
    """Exponential linear unit (Clevert et al., 2016) with alpha 1."""

    name = "elu"

    def forward_calls(self, z, out, scratch):
        zeros = _zeros(z.shape, z.dtype)  # alpha (exp(min(z, 0)) - 1) + max(z, 0)
        return (partial(np.minimum, z, zeros, out=scratch), partial(np.expm1, scratch, scratch),
                partial(np.multiply, scratch, CONSTANTS[z.dtype].alpha, scratch),
                partial(np.maximum, z, zeros, out=out), partial(np.add, out, scratch, out))

    def backward_calls(self, a, delta, scratch):
        # f' = 1 where a > 0, a + alpha elsewhere
        return (partial(np.minimum, a, _zeros(a.shape, a.dtype), out=scratch),
                partial(np.add, scratch, CONSTANTS[a.dtype].alpha, scratch),
                partial(np.multiply, delta, scratch, delta))


class Linear(Activation):
    name = "linear"

    def forward_calls(self, z, out, scratch):
        return () if out is z else (partial(np.copyto, out, z),)

    def backward_calls(self, a, delta, scratch):
        return ()


class Softmax(Activation):
    """Row-wise softmax; only valid at the output, paired with cross-entropy."""

    name = "softmax"

    def forward_calls(self, z, out, scratch):
        # shift by the row maximum so exp never overflows; the row maxima and the row sums
        # go to scratch's first column, so nothing is allocated
        row = scratch[:, :1]
        return (partial(np.maximum.reduce, z, 1, out=row, keepdims=True), partial(np.subtract, z, row, out),
                partial(np.exp, out, out), partial(np.add.reduce, out, 1, out=row, keepdims=True),
                partial(np.divide, out, row, out))

    def backward(self, a, delta, scratch):
        # Jacobian-vector product: delta_i <- a_i (delta_i - sum_j a_j delta_j)
        np.multiply(a, delta, out=scratch)
        delta -= scratch.sum(axis=1, keepdims=True)
        delta *= a

    def backward_calls(self, a, delta, scratch):
        return (partial(self.backward, a, delta, scratch),)  # never in a training step


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
