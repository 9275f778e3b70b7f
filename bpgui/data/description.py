"""A model file's description of the inputs and outputs (DESIGN.md §4 ``inputs`` and
``outputs``), checked so that predict can apply it to any table: every field of the type and
range :class:`~bpgui.data.preprocess.Preprocessor` needs, else one :class:`DataError`."""

from __future__ import annotations

import math

import numpy as np

from bpgui.data.csv_reader import DEFAULT_NA_VALUES
from bpgui.data.errors import DataError
from bpgui.data.fitting import SCALINGS
from bpgui.data.kinds import CATEGORICAL, NUMERIC


def preprocessor_arguments(d: dict) -> dict:
    """The keyword arguments of :class:`~bpgui.data.preprocess.Preprocessor` from a
    ``to_dict`` output (or a whole model file with ``task``).

    Raises
    ------
    DataError
        A field missing, of the wrong type or out of range.
    """
    try:
        inputs, outputs = d["inputs"], d["outputs"]
        classes = outputs.get("classes")
        task = d.get("task") or ("classification" if classes is not None else "regression")
        columns = [_checked_column(column) for column in _listed(inputs["columns"], "inputs.columns")]
        targets = _texts(outputs["targets"], "outputs.targets")
        scaling = inputs.get("scaling", "standard")
        if not isinstance(scaling, str) or scaling not in SCALINGS:
            raise DataError(f'inputs.scaling must be one of {", ".join(SCALINGS)}')
        center = _per_target(outputs.get("center"), targets, "center")
        scale = _per_target(outputs.get("scale"), targets, "scale")
        if (center is None) != (scale is None):
            raise DataError("outputs: scaled targets need both center and scale")
        return dict(task=task, scaling=scaling, columns=columns, targets=targets,
                    classes=_classes(classes), target_center=center, target_scale=scale,
                    na_values=_texts(inputs.get("na_values", list(DEFAULT_NA_VALUES)),
                                     "inputs.na_values", empty=True),
                    derived=inputs.get("derived"))
    except (KeyError, TypeError, AttributeError) as error:
        raise DataError(f"the inputs/outputs description is incomplete: {error}") from None


def _checked_column(column: dict) -> dict:
    """A column of a model file, checked so that predict can apply it to any table."""
    column = dict(column)
    name, kind = column["name"], column["kind"]
    if not isinstance(name, str) or not name:
        raise DataError("every column needs a name (text)")
    if kind == NUMERIC:
        for key in ("impute", "center", "scale"):
            column[key] = float(column[key])
            if not math.isfinite(column[key]):
                raise DataError(f'column "{name}": {key} must be a finite number')
        if column["scale"] == 0:
            raise DataError(f'column "{name}": scale must not be 0')
    elif kind == CATEGORICAL:
        column["categories"] = [str(c) for c in _listed(column["categories"], f'column "{name}": categories')]
        column["impute"] = None if column.get("impute") is None else str(column["impute"])
    else:
        raise DataError(f'column "{name}" has unknown kind "{kind}"')
    return column


def _listed(value, what) -> list:
    if not isinstance(value, list):
        raise DataError(f"{what} must be a list")
    return value


def _texts(value, what, empty=False) -> list:
    """A list of text (at least one unless ``empty``)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not (value or empty):
        raise DataError(f"{what} must be a list of text{'' if empty else ' (at least one)'}")
    return value


def _classes(classes):
    """None, or at least 2 different labels, each text or a whole number (DESIGN.md §4)."""
    if classes is None:
        return None
    labels = _listed(classes, "outputs.classes")
    if not all(isinstance(c, (str, int)) and not isinstance(c, bool) for c in labels) \
            or len(set(labels)) != len(labels) or len(labels) < 2:
        raise DataError("outputs.classes must hold at least 2 classes, each text or a whole "
                        "number, none twice")
    return labels


def _per_target(values, targets, what):
    """None, or one finite number per target (a scale never 0)."""
    if values is None:
        return None
    numbers = np.asarray(_listed(values, f"outputs.{what}"), dtype=float)
    if numbers.shape != (len(targets),) or not np.isfinite(numbers).all() or \
            (what == "scale" and (numbers == 0).any()):
        raise DataError(f"outputs.{what} must hold one finite number per target"
                        f"{' (never 0)' if what == 'scale' else ''}")
    return numbers
