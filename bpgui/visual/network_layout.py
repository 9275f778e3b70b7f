"""What the network drawing shows, apart from how it is painted (no Qt).

The window's ``networkView`` and the animations' network drawing both draw a layer wider than
:data:`MAX_SHOWN` neurons collapsed (its first :data:`SHOWN_WHEN_COLLAPSED`, then "… N more"),
links by sign (orange +, blue −) with a width in :data:`WIDTH_STEPS` steps of |w| over the
network's largest |w|, and neurons on :func:`bpgui.visual.colormap.diverging_rgb` scaled by
the largest value shown (mean |delta|: the map's warm half).
"""

from __future__ import annotations

import numpy as np

from bpgui.visual.colormap import diverging_rgb

MAX_SHOWN = 12          # neurons drawn per layer before collapsing
SHOWN_WHEN_COLLAPSED = 10
MAX_LINK_WIDTH = 5.0    # the widest link, in the window's scene units
WIDTH_STEPS = 12
LINK_ALPHA = 200        # links' opacity (of 255): crossing links stay apart


def shown_indices(n_units):
    """Indices of the neurons drawn for a layer of ``n_units``."""
    if n_units <= MAX_SHOWN:
        return list(range(n_units))
    return list(range(SHOWN_WHEN_COLLAPSED))


def spread_layers(n_layers, most):
    """Layers 1 … ``n_layers`` to show of a deep network: all of a few, else ``most`` of them
    from the first to the last, evenly spread (the views of a 50-layer network show a dozen).

    >>> spread_layers(3, 8), spread_layers(51, 8)
    ([1, 2, 3], [1, 8, 15, 22, 30, 37, 44, 51])
    """
    if n_layers <= most:
        return list(range(1, n_layers + 1))
    return sorted({int(round(x)) for x in np.linspace(1, n_layers, most)})


def layer_title(layer, n_layers, n_units):
    """``input (4)``, ``hidden 1 (8)``, ``output (3)``: the title above a layer's column."""
    if layer == 0:
        return f"input ({n_units})"
    if layer == n_layers - 1:
        return f"output ({n_units})"
    return f"hidden {layer} ({n_units})"


def largest_weight(weights):
    """The largest finite |w| of the weight matrices ``weights`` (1.0 when none is > 0)."""
    largest = max((float(np.abs(W).max()) for W in weights if W.size), default=1.0)
    return largest if np.isfinite(largest) and largest > 0 else 1.0


def link_codes(weights, largest):
    """Each weight's pen code: sign and width step (a fraction of ``largest`` in
    WIDTH_STEPS steps); a non-finite weight gets the thinnest blue pen.

    Parameters
    ----------
    weights : ndarray of shape (n,)
    largest : float
        The largest |weight| of the network (> 0).

    Returns
    -------
    ndarray of shape (n,), int: ``positive * (WIDTH_STEPS + 1) + width step``.
    """
    finite = np.isfinite(weights)
    with np.errstate(invalid="ignore"):
        steps = np.rint(WIDTH_STEPS * np.minimum(np.abs(weights) / largest, 1.0))
        positive = weights >= 0
    return np.where(finite, positive * (WIDTH_STEPS + 1) + steps, 0).astype(int)


def neuron_scale(values):
    """The legend's top value and the colour scale of per-layer neuron ``values``.

    Parameters
    ----------
    values : list of ndarray of shape (n_units,) or None
        One per non-input layer.

    Returns
    -------
    (float, float)
        The largest finite |value| (what the legend shows; 0 when all are exactly 0, say
        saturated outputs passing no gradient back) and the scale to divide by (never 0).
    """
    if values is None:
        return 1.0, 1.0
    finite = [np.abs(v[np.isfinite(v)]).max() for v in values if np.isfinite(v).any()]
    legend = float(max(finite, default=1.0))
    return legend, legend or 1.0


def neuron_rgb(values, indices, scale, signed):
    """RGB 0..255 of shape (len(indices), 3) for the neurons ``indices`` of a layer.

    Parameters
    ----------
    values : ndarray of shape (n_units,) or None
        The layer's values (None: all neutral).
    indices : sequence of int
    scale : float
        From :func:`neuron_scale`.
    signed : bool
        The whole map around 0 (activation, bias); else the warm half of |value| (delta).
    """
    if values is None:
        return diverging_rgb(np.zeros(len(indices)))
    t = np.asarray(values, float)[np.asarray(indices, int)] / scale
    return diverging_rgb(t if signed else np.abs(t))


def link_width(step):
    """The width of a link of width ``step`` (0 … :data:`WIDTH_STEPS`), in scene units."""
    return 0.4 + MAX_LINK_WIDTH * step / WIDTH_STEPS
