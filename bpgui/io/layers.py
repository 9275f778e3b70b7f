"""The ``layers`` of a model or session file, checked before a network is built from them.

Every layer is an object with a known ``activation`` key and ``weights`` (n_in rows of n_out
numbers) and ``biases`` (n_out numbers) that chain from layer to layer; every value is finite
in the model's dtype; ``units``, when given, agrees; and there are at most MAX_LAYERS layers
and MAX_PARAMETERS numbers. Anything else is a :class:`ModelFileError` naming the layer.
"""

from __future__ import annotations

import numpy as np

from bpgui.engine import ACTIVATIONS
from bpgui.io.errors import ModelFileError
from bpgui.io.limits import MAX_LAYERS, MAX_PARAMETERS, describe


def checked_layers(document, path, dtype="float64"):
    """Weights, biases and activation keys of every layer, each checked (values finite in
    ``dtype``, shapes that chain, at most MAX_LAYERS layers and MAX_PARAMETERS numbers)."""
    layers = document.get("layers")
    if not isinstance(layers, list) or not layers:
        raise ModelFileError(path, 'no "layers" list (not a bpgui model file?)')
    if len(layers) > MAX_LAYERS:
        raise ModelFileError(path, f"{describe(len(layers))} layers; a bpgui model has at most "
                                   f"{describe(MAX_LAYERS)}")
    weights, biases, activations = [], [], []
    n_numbers = 0
    for i, layer in enumerate(layers, start=1):
        if not isinstance(layer, dict):
            raise ModelFileError(path, f"layer {i} is not an object")
        key = layer.get("activation")
        if not isinstance(key, str) or key not in ACTIVATIONS:
            raise ModelFileError(path, f"layer {i}: unknown activation {brief(key)} "
                                       f"(known: {', '.join(ACTIVATIONS)})")
        _check_units(layer.get("units"), path, i)
        W = _numbers(layer.get("weights"), path, i, "weights", dtype)
        b = _numbers(layer.get("biases"), path, i, "biases", dtype)
        n_numbers += W.size + b.size
        if n_numbers > MAX_PARAMETERS:
            raise ModelFileError(path, f"layer {i}: more than {describe(MAX_PARAMETERS)} weights and "
                                       "biases so far; a bpgui model has at most that many")
        if W.ndim != 2 or b.ndim != 1 or W.shape[1] != len(b) or W.shape[0] < 1 or len(b) < 1:
            raise ModelFileError(path, f"layer {i}: weights must be n_in rows of n_out numbers and "
                                       f"biases n_out numbers; got shapes {W.shape} and {b.shape}")
        if "units" in layer and layer["units"] != len(b):
            raise ModelFileError(path, f"layer {i}: units is {brief(layer['units'])} but there are {len(b)} biases")
        if weights and weights[-1].shape[1] != W.shape[0]:
            raise ModelFileError(path, f"layer {i}: takes {W.shape[0]} inputs but layer {i - 1} "
                                       f"has {weights[-1].shape[1]} units")
        weights.append(W)
        biases.append(b)
        activations.append(key)
    if "softmax" in activations[:-1]:
        raise ModelFileError(path, "softmax is only allowed at the output layer")
    return weights, biases, activations


def _check_units(units, path, layer):
    """A ``units`` claim beyond the limit is named as such (the biases then tell the truth)."""
    if isinstance(units, (int, float)) and not isinstance(units, bool) and units > MAX_PARAMETERS:
        raise ModelFileError(path, f"layer {layer}: claims {_count(units)} units; a bpgui model has at "
                                   f"most {describe(MAX_PARAMETERS)} weights and biases")


def _count(number):
    """``1,000,000,000``, or ``about 10^400`` and ``1e+300`` for numbers no float holds or
    nobody reads."""
    if isinstance(number, int):
        return f"{number:,}" if number < 10**21 else f"about 10^{len(str(number)) - 1}"
    return f"{number:,.0f}" if number < 1e21 else f"{number:.3g}"


def _numbers(value, path, layer, name, dtype="float64"):
    """``value`` as a float64 array whose every value is finite in ``dtype``."""
    if value is None:
        raise ModelFileError(path, f'layer {layer}: no "{name}"')
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ModelFileError(path, f'layer {layer}: "{name}" must hold numbers only, '
                                   "in rows of equal length") from None
    except OverflowError:  # an integer beyond any float
        array = np.array([np.inf])
    largest = np.finfo(dtype).max
    if not (np.isfinite(array).all() and (np.abs(array) <= largest).all()):
        raise ModelFileError(path, f'layer {layer}: "{name}" holds a value that is not a finite '
                                   f"number in {dtype}")
    return array


def brief(value):
    """``repr`` of a value from a file, cut short: a message stays one readable line."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
