"""The network's output over a 2-D input plane, as numbers and as colours (no Qt).

The plane is a grid of cell centres laid out in the network's (scaled) input space; the view
draws it in raw feature units, mapping back with each column's ``center`` and ``scale`` (the
preprocessor's ``(x - center) / scale``). Images are row-major: ``image[row, col]`` with rows
along the second feature (y) and columns along the first (x).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

GRID_SIZE = 100
GRID_WORK = 1_000_000
"""Grid points × network units (every layer's but the input's) one map may cost: a map of a
2-16-16-1 network keeps its 100 × 100 cells; one of a 2,000-neuron layer gets 22 × 22
(a 100 × 100 grid took 0.4 s to compute there; 22 × 22, 10 ms)."""
MIN_GRID_SIZE = 20
# NumPy lets other threads run during an operation on more than a few hundred elements; while
# a trainer thread holds the interpreter, getting it back costs up to a switch interval
# (5 ms) each time. Working in blocks of CHUNK_ROWS rows keeps each operation under that
# threshold: a 2-16-16-1 map then costs ~0.6 ms during training instead of ~12 ms.
CHUNK_ROWS = 400
PADDING = 0.1  # fraction of the data's extent added on every side

# Class colours (RGB 0..1), in class order; colour-blind-friendly (Okabe-Ito) first.
CLASS_COLOURS = np.array([
    (0.90, 0.62, 0.00), (0.34, 0.71, 0.91), (0.00, 0.62, 0.45), (0.80, 0.47, 0.65),
    (0.00, 0.45, 0.70), (0.84, 0.37, 0.00), (0.94, 0.89, 0.26), (0.45, 0.45, 0.45),
    (0.60, 0.30, 0.15), (0.35, 0.20, 0.55),
])
BACKGROUND_WASH = 0.45  # the map is mixed this much with white so the points stand out

# Blue → white → orange, for values (regression surfaces, neuron outputs) scaled to 0..1.
DIVERGING_ANCHORS = np.array([(0.13, 0.40, 0.67), (0.97, 0.97, 0.97), (0.84, 0.38, 0.05)])


@dataclass(frozen=True)
class PlaneGrid:
    """A ``size`` x ``size`` grid over the input plane.

    Attributes
    ----------
    points : ndarray of shape (size * size, n_inputs)
        The network inputs at the cell centres, row-major (x varies fastest): the two scaled
        features, then any derived inputs (``x1^2``, …) computed from them.
    raw_rect : tuple of float
        ``(x0, y0, width, height)`` of the whole grid in raw feature units.
    size : int
    """

    points: np.ndarray
    raw_rect: tuple
    size: int


def to_raw(X, center, scale):
    """Map network inputs ``X`` (n, 2) back to raw feature units."""
    return np.asarray(X, float) * scale + center


def to_scaled(X_raw, center, scale):
    """Map raw feature values (n, 2) to network inputs."""
    return (np.asarray(X_raw, float) - center) / scale


def plane_grid(X, center, scale, size=GRID_SIZE, padding=PADDING):
    """Build the grid covering the points ``X`` (network inputs, shape (n, 2)) with a margin.

    Parameters
    ----------
    X : ndarray of shape (n_samples, 2)
        Network inputs of the data to cover.
    center, scale : ndarray of shape (2,)
        The preprocessor's per-column centre and scale.
    size : int
        Cells per side.
    padding : float
        Margin as a fraction of the extent on each side.

    Returns
    -------
    PlaneGrid
    """
    raw = to_raw(X, center, scale)
    low, high = raw.min(axis=0), raw.max(axis=0)
    extent = np.where(high > low, high - low, 1.0)
    low, high = low - padding * extent, high + padding * extent
    rect = (float(low[0]), float(low[1]), float(high[0] - low[0]), float(high[1] - low[1]))
    return rect_grid(rect, center, scale, size)


def rect_grid(rect, center, scale, size=GRID_SIZE):
    """The grid over ``rect`` = ``(x0, y0, width, height)`` in raw feature units (a drawing's
    plane, which stays put while points come and go); see :func:`plane_grid`."""
    x0, y0, width, height = (float(v) for v in rect)
    low, high = np.array([x0, y0]), np.array([x0 + width, y0 + height])
    step = (high - low) / size
    xs = low[0] + (np.arange(size) + 0.5) * step[0]
    ys = low[1] + (np.arange(size) + 0.5) * step[1]
    gx, gy = np.meshgrid(xs, ys)  # gx[row, col] = xs[col]
    raw_points = np.column_stack([gx.ravel(), gy.ravel()])
    points = to_scaled(raw_points, center, scale)
    return PlaneGrid(points, (x0, y0, width, height), size)


def grid_size_for(sizes, largest=GRID_SIZE, work=GRID_WORK):
    """Cells per side of a map of the network of layer ``sizes`` (input first): ``largest``,
    or fewer so that cells × units stays under ``work`` (never under :data:`MIN_GRID_SIZE`).

    >>> grid_size_for((2, 16, 16, 1)), grid_size_for((2, 2000, 1)), grid_size_for((2, 16, 1), 32)
    (100, 22, 32)
    """
    units = max(sum(int(n) for n in sizes[1:]), 1)
    return int(min(largest, max(MIN_GRID_SIZE, math.isqrt(work // units))))


def data_plane_grid(data, size=GRID_SIZE, rect=None):
    """The grid over the two numeric features of ``data`` (a PreparedData), its points the
    full network inputs (derived ones too, through ``data.with_derived``); None unless the data
    has exactly two numeric feature columns. It covers the data with a margin, or ``rect``
    (raw units) when given.
    """
    axes = plane_axes(data.preprocessor.columns)
    if axes is None:
        return None
    _, center, scale = axes
    if rect is not None:
        grid = rect_grid(rect, center, scale, size)
    else:
        X_all = np.vstack([data.X_train, data.X_val, data.X_test])
        grid = plane_grid(plane_features(X_all), center, scale, size)
    return replace(grid, points=data.with_derived(grid.points))


def plane_features(X):
    """The two plane features of network inputs ``X`` (n, n_inputs): the first two columns
    (any derived inputs follow them)."""
    return np.asarray(X)[:, :2]


def in_chunks(function, rows, chunk=CHUNK_ROWS):
    """``function`` applied to blocks of ``chunk`` rows of ``rows``, results stacked."""
    return np.concatenate([function(rows[start:start + chunk]) for start in range(0, len(rows), chunk)])


def grid_outputs(network, grid):
    """The network's outputs on every grid point: ndarray of shape (size * size, n_outputs)."""
    return in_chunks(network.forward, grid.points)


def class_probabilities(outputs):
    """Per-class probabilities from classification outputs (n, K).

    One sigmoid unit p means ``[1 − p, p]``; several sigmoid units are normalised to sum to 1;
    softmax rows pass unchanged.
    """
    outputs = np.asarray(outputs, float)
    if outputs.shape[1] == 1:
        return np.column_stack([1.0 - outputs[:, 0], outputs[:, 0]])
    totals = outputs.sum(axis=1, keepdims=True)
    return outputs / np.where(totals > 0, totals, 1.0)


def class_colours(n_classes, order=None):
    """RGB 0..1 of shape (n_classes, 3); classes beyond the palette cycle through it.

    ``order`` (n_classes ints) picks each class's place in the palette (a drawing keeps each
    class's colour however the data orders its classes); default 0, 1, 2, …
    """
    order = np.arange(n_classes) if order is None else np.asarray(order, int)
    return CLASS_COLOURS[order % len(CLASS_COLOURS)]


def classification_rgba(outputs, discretize=False, colours=None):
    """RGBA uint8 rows (n, 4) of class colours blended by probability.

    Parameters
    ----------
    outputs : ndarray of shape (n, n_outputs)
        Network outputs.
    discretize : bool
        Paint each row in the colour of its most probable class only.
    colours : ndarray of shape (n_classes, 3), optional
        RGB 0..1 per class (default :func:`class_colours`).
    """
    probabilities = class_probabilities(outputs)
    if discretize:
        winners = np.argmax(probabilities, axis=1)
        probabilities = np.zeros_like(probabilities)
        probabilities[np.arange(len(winners)), winners] = 1.0
    if colours is None:
        colours = class_colours(probabilities.shape[1])
    rgb = probabilities @ colours
    return rgba_rows(rgb * (1.0 - BACKGROUND_WASH) + BACKGROUND_WASH)


def classification_image(outputs, size, discretize=False, colours=None):
    """RGBA uint8 image (size, size, 4) of :func:`classification_rgba` over the grid's outputs."""
    rgba = in_chunks(lambda part: classification_rgba(part, discretize, colours), outputs)
    return rgba.reshape(size, size, 4)


def diverging_lut(n=256):
    """A blue-white-orange lookup table: RGB 0..1 of shape (n, 3)."""
    positions = np.linspace(0.0, 1.0, len(DIVERGING_ANCHORS))
    t = np.linspace(0.0, 1.0, n)
    return np.column_stack([np.interp(t, positions, DIVERGING_ANCHORS[:, c]) for c in range(3)])


def value_levels(values):
    """``(low, high)`` of finite values; a flat map gets a unit range around its value."""
    low, high = column_levels(np.reshape(np.asarray(values, float), (-1, 1)))
    return float(low[0]), float(high[0])


def column_levels(values):
    """:func:`value_levels` of every column of ``values`` (n, n_columns) at once.

    Returns
    -------
    (ndarray of shape (n_columns,), ndarray of shape (n_columns,)): the lows and the highs.
    """
    finite = np.isfinite(values)
    low = np.where(finite, values, np.inf).min(axis=0)
    high = np.where(finite, values, -np.inf).max(axis=0)
    empty = ~finite.any(axis=0)
    flat = ~empty & (high - low < 1e-12)
    low, high = np.where(empty, 0.0, low), np.where(empty, 1.0, high)
    return np.where(flat, low - 0.5, low), np.where(flat, high + 0.5, high)


DIVERGING_LUT = diverging_lut()  # built once: a map of 32 neurons asks for it ~200 times a frame


def value_colours(values, levels, lut=None):
    """RGB 0..1 (..., 3) of ``values`` through ``lut`` between ``levels`` (clipped); the
    levels may be arrays that broadcast against ``values``, one pair per column, say."""
    lut = DIVERGING_LUT if lut is None else lut
    low, high = levels
    t = np.clip((np.asarray(values, float) - low) / (high - low), 0.0, 1.0)
    t = np.nan_to_num(t, nan=0.5)
    return lut[(t * (len(lut) - 1)).astype(np.intp)]


def value_image(values, size, levels, lut=None):
    """RGBA uint8 image (size, size, 4) of one value per grid cell (a regression surface)."""
    rgba = in_chunks(lambda part: rgba_rows(value_colours(part, levels, lut)), np.asarray(values))
    return rgba.reshape(size, size, 4)


def rgba_rows(rgb):
    """Pack RGB 0..1 of shape (n, 3) into opaque uint8 rows (n, 4)."""
    rgba = np.empty((len(rgb), 4), np.uint8)
    rgba[:, :3] = np.clip(rgb * 255.0 + 0.5, 0, 255)
    rgba[:, 3] = 255
    return rgba


def hidden_neuron_images(network, grid, max_units=None, layers=None):
    """One small image per hidden neuron: its activation over the plane, scaled per neuron.

    ``max_units``: only the first that many neurons of each layer, and ``layers``: only these
    hidden layers (numbers as drawn: 1 is the first hidden layer; default all): the ones a
    view shows (a layer of 2,000 then costs 32 images, not 2,000).

    Returns
    -------
    list of ndarray
        ``images[k]`` has shape (min(n_units, max_units), size, size, 4): RGBA uint8 images of
        the neurons of hidden layer ``layers[k]`` (default ``k + 1``); ``images[k][j]`` is
        neuron ``j``'s.
    """
    layers = range(1, len(network.sizes) - 1) if layers is None else layers
    kept = slice(None, max_units)
    blocks = [[outputs[layer][:, kept] for layer in layers]
              for outputs in (network.layer_outputs(grid.points[start:start + CHUNK_ROWS])
                              for start in range(0, len(grid.points), CHUNK_ROWS))]
    outputs = [np.concatenate(layer) for layer in zip(*blocks)] if blocks else []
    return [layer_value_images(layer, grid.size) for layer in outputs]


def layer_value_images(values, size, lut=None):
    """Every column of ``values`` as its own :func:`value_image`, each scaled to its own range.

    The same pixels as ``value_image(values[:, j], size, value_levels(values[:, j]))`` for
    each ``j``, through the same functions applied to the whole layer at once.

    Parameters
    ----------
    values : ndarray of shape (size * size, n_units)
    size : int

    Returns
    -------
    ndarray of shape (n_units, size, size, 4), RGBA uint8.
    """
    values = np.asarray(values, float)
    cells, units = values.shape
    rgba = rgba_rows(value_colours(values, column_levels(values), lut).reshape(-1, 3))
    return np.ascontiguousarray(rgba.reshape(cells, units, 4).transpose(1, 0, 2)).reshape(units, size, size, 4)


def plane_axes(columns):
    """Names, centres and scales of the two input columns, or None unless there are exactly
    two numeric ones.

    Parameters
    ----------
    columns : list of dict
        The preprocessor's ``columns`` (DESIGN.md §4): ``name``, ``kind``, ``center``, ``scale``.

    Returns
    -------
    (tuple of str, ndarray of shape (2,), ndarray of shape (2,)) or None
    """
    if len(columns) != 2 or any(column["kind"] != "numeric" for column in columns):
        return None
    names = tuple(column["name"] for column in columns)
    center = np.array([float(column.get("center", 0.0)) for column in columns])
    scale = np.array([float(column.get("scale", 1.0)) for column in columns])
    return names, center, np.where(scale != 0, scale, 1.0)
