"""Weight initialisers, keyed by the word the user sees.

- ``glorot``: uniform on ±sqrt(6 / (n_in + n_out)), biases 0 (Glorot & Bengio, 2010,
  "Understanding the difficulty of training deep feedforward neural networks").
- ``he``: normal with standard deviation sqrt(2 / n_in), biases 0 (He et al., 2015,
  "Delving deep into rectifiers").
- ``uniform``: weights and biases uniform on ±range (the classic textbook start).

All draw from one ``numpy.random.Generator`` so one seed fixes the whole network.
"""

from __future__ import annotations

import numpy as np


def glorot(n_in, n_out, rng, init_range):
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out)), np.zeros(n_out)


def he(n_in, n_out, rng, init_range):
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out)), np.zeros(n_out)


def uniform(n_in, n_out, rng, init_range):
    weights = rng.uniform(-init_range, init_range, size=(n_in, n_out))
    return weights, rng.uniform(-init_range, init_range, size=n_out)


INITIALIZERS = {"glorot": glorot, "he": he, "uniform": uniform}
"""Initialiser by key: ``f(n_in, n_out, rng, init_range) -> (W (n_in, n_out), b (n_out,))``."""


def get_initializer(name: str):
    try:
        return INITIALIZERS[name]
    except KeyError:
        raise ValueError(f"unknown initialisation {name!r} (known: {', '.join(INITIALIZERS)})") from None
