"""Predictions as a CSV: one row per input row, in order (DESIGN.md §4).

Columns: ``prediction`` (the class label in its CSV type, or the value of the one regression
target), or ``prediction_<target>`` for each of several targets; then, for classification,
``prob_<class>`` for each class in the model's ``classes`` order. Numbers are written with the
shortest text that reads back as the same value in the model's dtype.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from bpgui.io.atomic import atomic_open


def prediction_columns(result):
    """The header of the predictions CSV for a :class:`~bpgui.io.model.PredictionResult`."""
    if result.task == "classification":
        return ["prediction"] + [f"prob_{label}" for label in result.classes]
    if len(result.target_names) == 1:
        return ["prediction"]
    return [f"prediction_{name}" for name in result.target_names]


def prediction_rows(result):
    """The CSV cells of every row, as lists of str (in the order of :func:`prediction_columns`)."""
    outputs = result.outputs
    numbers = [[format_number(x) for x in row] for row in outputs]
    if result.task != "classification":
        return numbers
    return [[str(label)] + cells for label, cells in zip(result.labels, numbers)]


def format_number(value):
    """Shortest text that reads back as ``value`` in its own dtype: ``0.1`` for float32 0.1."""
    if isinstance(value, np.floating):
        return str(value)
    return repr(float(value))


def predictions_csv_text(result):
    """The whole predictions CSV as one string (``\\n`` line ends)."""
    buffer = io.StringIO()
    _write(result, buffer)
    return buffer.getvalue()


def write_predictions(result, path):
    """Write the predictions CSV to ``path`` atomically."""
    with atomic_open(path, "w", encoding="utf-8", newline="") as handle:
        _write(result, handle)


def _write(result, handle):
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(prediction_columns(result))
    writer.writerows(prediction_rows(result))
