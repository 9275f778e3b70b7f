"""Optimisers, keyed by the word the user sees.

One protocol: ``step(params, grads)`` updates ``params`` in place from ``grads`` (both flat
arrays of the same shape); state is allocated once with ``zeros_like`` at construction;
``state_dict()`` / ``load_state_dict()`` save and restore it so a paused run resumes exactly,
and ``reset()`` forgets it. Hyperparameters may change between steps (``set_hyperparameters``)
without losing the state.

The scalars of an update (learning rate, decay rates and their complements) are kept as 0-d
arrays of the parameters' dtype, refreshed whenever a hyperparameter is assigned: a ufunc
takes those in about half the time it takes a Python float, with the same result.
"""

from __future__ import annotations

import math

import numpy as np


def _running_mean(average, decay, one_minus_decay, values, scratch):
    """``average ← decay · average + (1 − decay) · values`` in place (``values`` may be
    ``scratch``, which is overwritten)."""
    np.multiply(average, decay, average)
    np.multiply(values, one_minus_decay, scratch)
    np.add(average, scratch, average)


def _adaptive_update(params, numerator, mean_square, eps, step_size, scratch):
    """``params ← params − step_size · numerator / (√mean_square + eps)`` in place: the step
    of RMSprop (numerator g) and of Adam (numerator m)."""
    np.sqrt(mean_square, scratch)
    np.add(scratch, eps, scratch)
    np.divide(numerator, scratch, scratch)
    np.multiply(scratch, step_size, scratch)
    np.subtract(params, scratch, params)


class Optimizer:
    name = ""
    hyperparameter_names: tuple[str, ...] = ("learning_rate",)

    def __init__(self, n_params, dtype, learning_rate=0.01, **hyperparameters):
        self._dtype = np.dtype(dtype)
        self._largest = float(np.finfo(self._dtype).max)
        self._constant_values = {}  # name -> 0-d array of dtype, see _refresh_constants
        self.learning_rate = float(learning_rate)
        self.set_hyperparameters(**hyperparameters)
        self._scratch = np.zeros(n_params, dtype=dtype)
        self._state = {key: np.zeros(n_params, dtype=dtype) for key in self.state_keys}
        self.t = 0

    state_keys: tuple[str, ...] = ()
    rate_read_per_step = False  # True: ``_step`` reads ``learning_rate`` itself (no constant)

    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if name in self.hyperparameter_names:
            self._refresh_constants()

    def _constants(self):
        """The update's scalars by name, from the current hyperparameters (floats)."""
        return {"learning_rate": self.learning_rate}

    def _refresh_constants(self):
        # a learning rate beyond the dtype's range becomes inf, as it would inside the ufunc
        with np.errstate(over="ignore"):
            self._constant_values = {key: np.array(value, self._dtype)
                                     for key, value in self._constants().items()}

    def set_hyperparameters(self, **values):
        """Change hyperparameters (unknown names are ignored: other optimisers' settings)."""
        for key, value in values.items():
            if key in self.hyperparameter_names and value is not None:
                setattr(self, key, float(value))

    def set_learning_rate(self, rate):
        """Change the rate alone, as a schedule does every epoch: the 0-d constant it feeds is
        refilled in place (under a microsecond) instead of every constant being rebuilt."""
        rate = float(rate)
        if self.rate_read_per_step:
            object.__setattr__(self, "learning_rate", rate)
            return
        constant = self._constant_values.get("learning_rate")
        if constant is None or not abs(rate) <= self._largest:
            self.learning_rate = rate  # the full refresh (an overflow becomes inf there)
            return
        object.__setattr__(self, "learning_rate", rate)
        constant.fill(rate)

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
        """Return a copy of the state: ``{"t": int, "learning_rate": float, name: ndarray, ...}``.

        ``learning_rate`` is the rate in use, which a schedule changes from epoch to epoch:
        where the schedule stands.
        """
        return {"t": self.t, "learning_rate": self.learning_rate,
                **{key: array.copy() for key, array in self._state.items()}}

    def load_state_dict(self, state):
        """Restore :meth:`state_dict`'s values (a state without ``learning_rate``, from an
        older file, keeps the current rate)."""
        self.t = int(state["t"])
        if state.get("learning_rate") is not None:
            self.learning_rate = float(state["learning_rate"])
        for key, array in self._state.items():
            array[...] = state[key]

    def __repr__(self):
        values = ", ".join(f"{k}={getattr(self, k):g}" for k in self.hyperparameter_names)
        return f"{type(self).__name__}({values})"


class SGD(Optimizer):
    """Plain gradient descent: p ← p − η g."""

    name = "sgd"

    def _step(self, params, grads, scratch):
        np.multiply(grads, self._constant_values["learning_rate"], scratch)
        np.subtract(params, scratch, params)


class Momentum(Optimizer):
    """Classical momentum (Polyak, 1964): v ← μ v − η g;  p ← p + v."""

    name = "momentum"
    hyperparameter_names = ("learning_rate", "momentum")
    state_keys = ("velocity",)
    momentum = 0.9

    def _constants(self):
        return {"learning_rate": self.learning_rate, "momentum": self.momentum}

    def _step(self, params, grads, scratch):
        velocity, constants = self._state["velocity"], self._constant_values
        np.multiply(velocity, constants["momentum"], velocity)
        np.multiply(grads, constants["learning_rate"], scratch)
        np.subtract(velocity, scratch, velocity)
        np.add(params, velocity, params)


class Nesterov(Momentum):
    """Nesterov momentum (Sutskever et al., 2013): v ← μ v − η g;  p ← p + μ v − η g."""

    name = "nesterov"

    def _step(self, params, grads, scratch):
        velocity, constants = self._state["velocity"], self._constant_values
        momentum = constants["momentum"]
        np.multiply(velocity, momentum, velocity)
        np.multiply(grads, constants["learning_rate"], scratch)
        np.subtract(velocity, scratch, velocity)
        np.subtract(params, scratch, params)
        np.multiply(velocity, momentum, scratch)
        np.add(params, scratch, params)


class RMSprop(Optimizer):
    """RMSprop (Tieleman & Hinton, 2012): s ← ρ s + (1 − ρ) g²;  p ← p − η g / (√s + ε)."""

    name = "rmsprop"
    hyperparameter_names = ("learning_rate", "rho", "eps")
    state_keys = ("square_avg",)
    rho = 0.9
    eps = 1e-8

    def _constants(self):
        return {"learning_rate": self.learning_rate, "rho": self.rho, "one_minus_rho": 1.0 - self.rho,
                "eps": self.eps}

    def _step(self, params, grads, scratch):
        square_avg, constants = self._state["square_avg"], self._constant_values
        np.square(grads, scratch)
        _running_mean(square_avg, constants["rho"], constants["one_minus_rho"], scratch, scratch)
        _adaptive_update(params, grads, square_avg, constants["eps"], constants["learning_rate"], scratch)


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015, "Adam: a method for stochastic optimization").

    m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;
    p ← p − η m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).

    The update is computed as p ← p − η_t m / (√v + ε_t) with η_t = η √(1 − β₂ᵗ) / (1 − β₁ᵗ)
    and ε_t = ε √(1 − β₂ᵗ): the same number (the paper's own "more efficient" ordering, as
    PyTorch does it) in one pass over the parameters fewer.
    """

    name = "adam"
    hyperparameter_names = ("learning_rate", "beta1", "beta2", "eps")
    rate_read_per_step = True
    state_keys = ("m", "v")
    beta1 = 0.9
    beta2 = 0.999
    eps = 1e-8

    def _constants(self):
        return {"beta1": self.beta1, "one_minus_beta1": 1.0 - self.beta1, "beta2": self.beta2,
                "one_minus_beta2": 1.0 - self.beta2,
                "step_eps": self.eps, "step_size": self.learning_rate}  # the last two: per step

    def _step(self, params, grads, scratch):
        m, v, constants = self._state["m"], self._state["v"], self._constant_values
        root_v_correction = math.sqrt(1.0 - self.beta2 ** self.t)
        constants["step_eps"].fill(self.eps * root_v_correction)
        constants["step_size"].fill(self.learning_rate * root_v_correction / (1.0 - self.beta1 ** self.t))
        _running_mean(m, constants["beta1"], constants["one_minus_beta1"], grads, scratch)
        np.square(grads, scratch)
        _running_mean(v, constants["beta2"], constants["one_minus_beta2"], scratch, scratch)
        _adaptive_update(params, m, v, constants["step_eps"], constants["step_size"], scratch)


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, Nesterov, RMSprop, Adam)}
"""Optimiser class by key; the key is the word in the window, the CLI and the model file."""


def make_optimizer(name, n_params, dtype, **hyperparameters) -> Optimizer:
    """Build the optimiser ``name`` for ``n_params`` parameters of ``dtype``."""
    try:
        cls = OPTIMIZERS[name]
    except KeyError:
        raise ValueError(f"unknown optimizer {name!r} (known: {', '.join(OPTIMIZERS)})") from None
    return cls(n_params, dtype, **hyperparameters)
