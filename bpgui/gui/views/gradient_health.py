"""Words for unhealthy gradients: which layers vanish or explode (no Qt)."""

from __future__ import annotations

import math

VANISHING_BELOW = 1e-6
EXPLODING_ABOVE = 1e3


def gradient_warnings(grad_norms, low=VANISHING_BELOW, high=EXPLODING_ABOVE):
    """Return one sentence per unhealthy layer (empty when all are within bounds).

    Parameters
    ----------
    grad_norms : sequence of float
        The gradient norm of each non-input layer, first hidden layer first (layer 1).
    low, high : float
        Bounds below which a gradient is called vanishing and above which exploding.

    Returns
    -------
    list of str
    """
    vanishing = [l for l, g in enumerate(grad_norms, 1) if math.isfinite(g) and g < low]
    exploding = [l for l, g in enumerate(grad_norms, 1) if not math.isfinite(g) or g > high]
    warnings = []
    if vanishing:
        warnings.append(
            f"Vanishing gradient in {layer_list(vanishing)} (norm below {low:g}): these weights "
            "barely learn. Try ReLU or tanh instead of sigmoid, fewer layers, or He/Glorot init."
        )
    if exploding:
        warnings.append(
            f"Exploding gradient in {layer_list(exploding)} (norm above {high:g}): try a lower "
            "learning rate, gradient clipping, or scaled inputs."
        )
    return warnings


def layer_list(layers):
    """``layer 3``, ``layers 1, 2 and 5``; runs of three or more as ranges: ``layers 1–49
    and 51`` (50 layers named one by one filled the view)."""
    if len(layers) == 1:
        return f"layer {layers[0]}"
    items = []
    for run in _runs(sorted(layers)):
        items += [f"{run[0]}–{run[-1]}"] if len(run) > 2 else [str(layer) for layer in run]
    if len(items) == 1:
        return f"layers {items[0]}"
    return "layers " + ", ".join(items[:-1]) + f" and {items[-1]}"


def _runs(layers):
    """Consecutive numbers grouped: [1, 2, 3, 5] → [[1, 2, 3], [5]]."""
    runs = [[layers[0]]]
    for layer in layers[1:]:
        if layer == runs[-1][-1] + 1:
            runs[-1].append(layer)
        else:
            runs.append([layer])
    return runs
