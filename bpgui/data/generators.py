"""Synthetic 2-D datasets in the spirit of the TensorFlow Playground, plus house prices.

Each generator takes ``n_samples``, ``noise`` and ``seed`` and returns a dict of columns
(float64 arrays, class labels as ints) ready for :func:`bpgui.data.table.table_from_columns`.
"""

from __future__ import annotations

import numpy as np


def xor(n_samples=200, noise=0.05, seed=0) -> dict:
    """Points in [-1, 1]² kept away from the axes; class 1 where x₁·x₂ > 0."""
    rng = np.random.default_rng(seed)
    points = rng.uniform(0.1, 1.0, (n_samples, 2)) * rng.choice([-1.0, 1.0], (n_samples, 2))
    label = (points[:, 0] * points[:, 1] > 0).astype(np.int64)
    points += rng.normal(0.0, noise, points.shape)
    return {"x1": points[:, 0], "x2": points[:, 1], "label": label}


def circles(n_samples=200, noise=0.05, seed=0) -> dict:
    """Class 1 inside radius 0.5, class 0 on a ring from 0.7 to 1.0."""
    rng = np.random.default_rng(seed)
    label = (np.arange(n_samples) % 2).astype(np.int64)
    radius = np.where(label == 1, rng.uniform(0.0, 0.5, n_samples), rng.uniform(0.7, 1.0, n_samples))
    angle = rng.uniform(0.0, 2 * np.pi, n_samples)
    x1 = radius * np.cos(angle) + rng.normal(0.0, noise, n_samples)
    x2 = radius * np.sin(angle) + rng.normal(0.0, noise, n_samples)
    return {"x1": x1, "x2": x2, "label": label}


def gaussians(n_samples=200, noise=0.5, seed=0) -> dict:
    """Two round clouds centred at (−1, −1) (class 0) and (1, 1) (class 1); ``noise`` is their std."""
    rng = np.random.default_rng(seed)
    label = (np.arange(n_samples) % 2).astype(np.int64)
    centre = np.where(label == 1, 1.0, -1.0)
    x1 = centre + rng.normal(0.0, noise, n_samples)
    x2 = centre + rng.normal(0.0, noise, n_samples)
    return {"x1": x1, "x2": x2, "label": label}


def spiral(n_samples=300, noise=0.05, seed=0) -> dict:
    """Two interleaved spiral arms, one per class, 1.75 turns each."""
    rng = np.random.default_rng(seed)
    label = (np.arange(n_samples) % 2).astype(np.int64)
    t = rng.uniform(0.0, 1.0, n_samples)
    radius = 0.05 + 0.95 * t
    angle = 1.75 * 2 * np.pi * t + np.pi * label
    x1 = radius * np.sin(angle) + rng.normal(0.0, noise, n_samples)
    x2 = radius * np.cos(angle) + rng.normal(0.0, noise, n_samples)
    return {"x1": x1, "x2": x2, "label": label}


def plane(n_samples=200, noise=0.1, seed=0) -> dict:
    """y = 2·x₁ − 3·x₂ + 1 + noise over [-1, 1]²."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.uniform(-1.0, 1.0, (2, n_samples))
    y = 2.0 * x1 - 3.0 * x2 + 1.0 + rng.normal(0.0, noise, n_samples)
    return {"x1": x1, "x2": x2, "y": y}


BUMPS = ((-0.5, -0.5, 1.0), (0.5, 0.5, 1.0), (-0.5, 0.5, -1.0), (0.5, -0.5, -1.0))
"""(x₁ centre, x₂ centre, height) of the multi-gaussian surface's bumps."""


def multi_gaussian(n_samples=300, noise=0.05, seed=0) -> dict:
    """y = a sum of four Gaussian bumps (two up, two down) over [-1, 1]², plus noise."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.uniform(-1.0, 1.0, (2, n_samples))
    y = sum(h * np.exp(-((x1 - a) ** 2 + (x2 - b) ** 2) / (2 * 0.3 ** 2)) for a, b, h in BUMPS)
    y = y + rng.normal(0.0, noise, n_samples)
    return {"x1": x1, "x2": x2, "y": y}


def houses(n_samples=500, noise=0.1, seed=0) -> dict:
    """Synthetic house prices from floor area (m²) and bedrooms; ``noise`` is relative."""
    rng = np.random.default_rng(seed)
    area = np.round(rng.uniform(40.0, 250.0, n_samples))
    bedrooms = np.clip(np.round(area / 40.0 + rng.normal(0.0, 0.7, n_samples)), 1, 6)
    price = 50_000 + 2_500 * area + 12_000 * bedrooms
    price = np.round(price * (1.0 + rng.normal(0.0, noise, n_samples)), -2)
    return {"floor_area": area, "bedrooms": bedrooms, "price": price}
