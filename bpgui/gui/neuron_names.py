"""What the network's input and output neurons stand for, in the words of the data.

Inputs are named by the prepared data's ``input_names`` (a numeric feature ``petal_length``,
one unit per category ``colour=red``, derived inputs by their expression); outputs by what
they compute: ``P(setosa)`` per class, ``P(yes)`` for the single sigmoid unit of two classes
(the probability of the second, "positive", class), the target's name for regression.
"""

from __future__ import annotations

MAX_LABEL = 14
"""Characters of a label drawn beside a neuron; a longer name is cut with "…" (its tooltip
holds the whole name)."""


def input_names(data, n_inputs):
    """One name per input neuron, or None when the data does not describe ``n_inputs`` inputs."""
    names = tuple(str(name) for name in getattr(data, "input_names", ()) or ())
    return names if len(names) == n_inputs else None


def output_names(data, n_outputs):
    """One name per output neuron (see the module docstring), or None when they do not fit."""
    if data is None:
        return None
    if data.task == "classification" and data.classes:
        classes = [str(label) for label in data.classes]
        if n_outputs == 1 and len(classes) == 2:
            return (f"P({classes[1]})",)
        return tuple(f"P({label})" for label in classes) if n_outputs == len(classes) else None
    names = tuple(str(name) for name in data.target_names)
    return names if len(names) == n_outputs else None


def neuron_names(data, sizes):
    """``(inputs, outputs)``: the names of the first and last layer of ``sizes`` (or None each)."""
    if data is None or not sizes:
        return None, None
    return input_names(data, sizes[0]), output_names(data, sizes[-1])


def short_label(name, limit=MAX_LABEL):
    """``name`` cut to ``limit`` characters, the last one "…", when it is longer."""
    return name if len(name) <= limit else name[: limit - 1] + "…"
