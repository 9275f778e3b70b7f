"""Optimisers, keyed by the word the user sees.

One protocol: ``step(params, grads)`` updates ``params`` in place from ``grads`` (both flat
arrays of the same shape); state is allocated once with ``zeros_like`` at construction;
``state_dict()`` / ``load_state_dict()`` save and restore it so a paused run resumes exactly,
and ``reset()`` forgets it. Hyperparameters may change between steps (``set_hyperparameters``)
without losing the state.
"""

from __future__ import annotations

import numpy as np


class Optimizer:
    name = ""
    hyperparameter_names: tuple[str, ...] = ("learning_rate",)

    def __init__(self, n_params, dtype, learning_rate=0.01, **hyperparameters):
        self.learning_rate = float(learning_rate)
        self.set_hyperparameters(**hyperparameters)
        self._scratch = np.zeros(n_params, dtype=dtype)
        self._state = {key: np.zeros(n_params, dtype=dtype) for key in self.state_keys}
        self.t = 0

    state_keys: tuple[str, ...] = ()

    def set_hyperparameters(self, **values):
        """Change hyperparameters (unknown names are ignored: other optimisers' settings)."""
        for key, value in values.items():
            if key in self.hyperparameter_names and value is not None:
                setattr(self, key, float(value))

    def step(self, params, grads):
        """Update ``params`` (ndarray of shape (n,)) in place from ``grads`` (same shape)."""
        self.t += 1
        self._step(params, grads, self._scratch)

    def _step(self, params, grads, scratch):
        raise NotImplementedError

    def reset(self):
        self.t = 0
        for array in self._state.values():
            array.fill(0.0)

    def state_dict(self):
        """Return a copy of the state: ``{"t": int, name: ndarray, ...}``."""
        return {"t": self.t, **{key: array.copy() for key, array in self._state.items()}}

    def load_state_dict(self, state):
        self.t = int(state["t"])
        for key, array in self._state.items():
            array[...] = state[key]

    def __repr__(self):
        values = ", ".join(f"{k}={getattr(self, k):g}" for k in self.hyperparameter_names)
        return f"{type(self).__name__}({values})"


class SGD(Optimizer):
    """Plain gradient descent: p ← p − η g."""

    name = "sgd"

    def _step(self, params, grads, scratch):
        np.multiply(grads, self.learning_rate, out=scratch)
        params -= scratch


class Momentum(Optimizer):
    """Classical momentum (Polyak, 1964): v ← μ v − η g;  p ← p + v."""

    name = "momentum"
    hyperparameter_names = ("learning_rate", "momentum")
    state_keys = ("velocity",)
    momentum = 0.9

    def _step(self, params, grads, scratch):
        velocity = self._state["velocity"]
        velocity *= self.momentum
        np.multiply(grads, self.learning_rate, out=scratch)
        velocity -= scratch
        params += velocity


class Nesterov(Momentum):
    """Nesterov momentum (Sutskever et al., 2013): v ← μ v − η g;  p ← p + μ v − η g."""

    name = "nesterov"

    def _step(self, params, grads, scratch):
        velocity = self._state["velocity"]
        velocity *= self.momentum
        np.multiply(grads, self.learning_rate, out=scratch)
        velocity -= scratch
        params -= scratch
        np.multiply(velocity, self.momentum, out=scratch)
        params += scratch


class RMSprop(Optimizer):
    """RMSprop (Tieleman & Hinton, 2012): s ← ρ s + (1 − ρ) g²;  p ← p − η g / (√s + ε)."""

    name = "rmsprop"
    hyperparameter_names = ("learning_rate", "rho", "eps")
    state_keys = ("square_avg",)
    rho = 0.9
    eps = 1e-8

    def _step(self, params, grads, scratch):
        square_avg = self._state["square_avg"]
        square_avg *= self.rho
        np.multiply(grads, grads, out=scratch)
        scratch *= 1.0 - self.rho
        square_avg += scratch
        np.sqrt(square_avg, out=scratch)
        scratch += self.eps
        np.divide(grads, scratch, out=scratch)
        scratch *= self.learning_rate
        params -= scratch


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015, "Adam: a method for stochastic optimization").

    m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;
    p ← p − η m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).
    """

    name = "adam"
    hyperparameter_names = ("learning_rate", "beta1", "beta2", "eps")
    state_keys = ("m", "v")
    beta1 = 0.9
    beta2 = 0.999
    eps = 1e-8

    def _step(self, params, grads, scratch):
        m, v = self._state["m"], self._state["v"]
        m *= self.beta1
        np.multiply(grads, 1.0 - self.beta1, out=scratch)
        m += scratch
        v *= self.beta2
        np.multiply(grads, grads, out=scratch)
        scratch *= 1.0 - self.beta2
        v += scratch
        np.multiply(v, 1.0 / (1.0 - self.beta2 ** self.t), out=scratch)
        np.sqrt(scratch, out=scratch)
        scratch += self.eps
        np.divide(m, scratch, out=scratch)
        scratch *= self.learning_rate / (1.0 - self.beta1 ** self.t)
        params -= scratch


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, Nesterov, RMSprop, Adam)}
"""Optimiser class by key; the key is the word in the window, the CLI and the model file."""


def make_optimizer(name, n_params, dtype, **hyperparameters) -> Optimizer:
    """Build the optimiser ``name`` for ``n_params`` parameters of ``dtype``."""
    try:
        cls = OPTIMIZERS[name]
    except KeyError:
        raise ValueError(f"unknown optimizer {name!r} (known: {', '.join(OPTIMIZERS)})") from None
    return cls(n_params, dtype, **hyperparameters)
