"""Points drawn with the mouse: a small editable 2-D dataset with undo (no Qt).

A :class:`Drawing` holds points ``(x1, x2)`` in raw feature units, each with a class label
(the text the user picks, ``"0"``, ``"1"``, or an example's labels) or, for regression, a
value. :meth:`Drawing.table` turns them into a :class:`~bpgui.data.Table` with the columns
``x1``, ``x2`` and ``y`` (DESIGN.md §4 "Drawn data"), prepared, split and scaled like any
other table. Every edit (add, remove, clear) can be undone, most recent first.
"""

from __future__ import annotations

import math

import numpy as np

from bpgui.data.kinds import CATEGORICAL, column_as, is_missing
from bpgui.data.table import Table, table_from_columns

TASKS = ("classification", "regression")
FEATURES = ("x1", "x2")
TARGET = "y"
SOURCE = "drawing"
NEW_EXTENT = (-1.0, 1.0, -1.0, 1.0)  # the empty plane of File › New drawing
NEW_CLASSES = ("0", "1")
MAX_CLASSES = 10  # the class palette's colours
UNDO_DEPTH = 1000
PADDING = 0.1  # an example's points get this fraction of their extent as margin


class Drawing:
    """Points on the plane with a class label or a value each, and an undo history.

    Parameters
    ----------
    task : {"classification", "regression"}
    classes : sequence of str
        The labels offered for new points (classification), in the order they are shown;
        points may only carry these.
    extent : tuple of float
        ``(x1_min, x1_max, x2_min, x2_max)``: the plane offered for drawing.
    points : array-like of shape (n, 2), optional
    values : sequence, optional
        One label (str) or value (float) per point.
    """

    def __init__(self, task="classification", classes=NEW_CLASSES, extent=NEW_EXTENT,
                 points=None, values=None):
        if task not in TASKS:
            raise ValueError(f"a drawing's task is classification or regression, not {task!r}")
        self.task = task
        self.classes = [str(c) for c in classes] if task == "classification" else []
        self.extent = tuple(float(v) for v in extent)
        points = np.zeros((0, 2)) if points is None else np.asarray(points, float).reshape(-1, 2)
        self._points = [(float(a), float(b)) for a, b in points]
        self._values = [self._checked(v) for v in (values if values is not None else [])]
        if len(self._values) != len(self._points):
            raise ValueError("a drawing needs one label or value per point")
        self._undo = []
        self.version = 0  # counts edits (undo included)

    # -- reading -----------------------------------------------------------------------------

    def __len__(self):
        return len(self._points)

    @property
    def points(self):
        """ndarray of shape (n, 2): the points in raw units, in drawing order."""
        return np.array(self._points, float).reshape(-1, 2)

    @property
    def values(self):
        """list: the label (str) or value (float) of each point."""
        return list(self._values)

    @property
    def can_undo(self):
        return bool(self._undo)

    def counts(self):
        """``{label: points}`` for every offered class, in ``classes`` order (classification)."""
        counts = dict.fromkeys(self.classes, 0)
        for value in self._values:
            counts[value] += 1
        return counts

    def problem(self):
        """Why these points cannot be trained on yet (one line), or None when they can."""
        if len(self) < 2:
            return f"draw at least two points ({len(self)} so far)"
        if self.task == "regression":
            return None
        present = [label for label, n in self.counts().items() if n]
        if len(present) < 2:
            return f"draw points of at least two classes (only class {present[0]} has points)"
        return None

    def plane_rect(self):
        """``(x0, y0, width, height)``: the extent, grown to hold every point."""
        x_min, x_max, y_min, y_max = self.extent
        if self._points:
            points = self.points
            (px_min, py_min), (px_max, py_max) = points.min(axis=0), points.max(axis=0)
            x_min, x_max = min(x_min, px_min), max(x_max, px_max)
            y_min, y_max = min(y_min, py_min), max(y_max, py_max)
        return x_min, y_min, x_max - x_min, y_max - y_min

    def table(self) -> Table:
        """The points as a Table with the columns ``x1``, ``x2`` and ``y``.

        Class labels that are all integers make a numeric ``y`` (as a CSV of them would
        read), other labels a text column; regression values are numbers.
        """
        points = self.points
        return table_from_columns(SOURCE, {FEATURES[0]: points[:, 0], FEATURES[1]: points[:, 1],
                                           TARGET: self._target_column()})

    def _target_column(self):
        if self.task == "regression":
            return np.array(self._values, float)
        if all(_is_integer(label) for label in self._values):
            return np.array([int(label) for label in self._values], float)
        return np.array(self._values, dtype=object)

    # -- editing -----------------------------------------------------------------------------

    def add(self, x1, x2, value):
        """Add a point with a class label (one of ``classes``) or a value; return its index."""
        x1, x2 = float(x1), float(x2)
        if not (math.isfinite(x1) and math.isfinite(x2)):
            raise ValueError("a drawn point needs finite coordinates")
        value = self._checked(value)
        self._points.append((x1, x2))
        self._values.append(value)
        self._record(("remove", len(self._points) - 1))
        return len(self._points) - 1

    def remove_nearest(self, x1, x2, units=(1.0, 1.0)):
        """Remove the point nearest to ``(x1, x2)``; return its index (None when empty).

        ``units`` are the lengths of one screen pixel along each axis, so "nearest" is what
        the user sees as nearest even when the axes have very different ranges.
        """
        if not self._points:
            return None
        offsets = (self.points - (float(x1), float(x2))) / np.asarray(units, float)
        index = int(np.argmin(np.einsum("ij,ij->i", offsets, offsets)))
        self._record(("insert", index, self._points.pop(index), self._values.pop(index)))
        return index

    def clear(self):
        """Remove every point (one undo brings them all back)."""
        if self._points:
            self._record(("restore", self._points, self._values))
            self._points, self._values = [], []

    def undo(self):
        """Undo the most recent add, remove or clear; False when there is nothing to undo."""
        if not self._undo:
            return False
        step = self._undo.pop()
        if step[0] == "remove":
            del self._points[step[1]], self._values[step[1]]
        elif step[0] == "insert":
            _, index, point, value = step
            self._points.insert(index, point)
            self._values.insert(index, value)
        else:
            self._points, self._values = list(step[1]), list(step[2])
        self.version += 1
        return True

    def add_class(self):
        """Offer one more class label: the next integer when the labels are integers, else
        ``class N``; return it. ValueError beyond ``MAX_CLASSES``."""
        if self.task != "classification":
            raise ValueError("a regression drawing has values, not classes")
        if len(self.classes) >= MAX_CLASSES:
            raise ValueError(f"a drawing has at most {MAX_CLASSES} classes")
        if all(_is_integer(label) for label in self.classes):
            label = str(max((int(c) for c in self.classes), default=-1) + 1)
        else:
            label = next(f"class {n}" for n in range(len(self.classes) + 1, 2 * MAX_CLASSES)
                         if f"class {n}" not in self.classes)
        self.classes.append(label)
        return label

    def _record(self, step):
        self._undo.append(step)
        del self._undo[:-UNDO_DEPTH]
        self.version += 1

    def _checked(self, value):
        if self.task == "regression":
            value = float(value)
            if not math.isfinite(value):
                raise ValueError("a drawn value must be a finite number")
            return value
        value = str(value)
        if value not in self.classes:
            raise ValueError(f'"{value}" is not one of the classes {", ".join(self.classes)}')
        return value

    # -- to and from other forms -------------------------------------------------------------

    @classmethod
    def from_data(cls, table, features, target, task, classes=None):
        """The rows of ``table`` as an editable drawing (rows missing a value are left out).

        Parameters
        ----------
        table : Table
        features : (str, str)
            The two numeric feature columns: they become ``x1`` and ``x2``.
        target : str
            The target column: it becomes ``y``.
        task : {"classification", "regression"}
        classes : sequence, optional
            The data's class labels in order (classification); they become the offered
            classes as text.
        """
        x = np.column_stack([np.asarray(table.column(name), float) for name in features])
        raw = table.column(target)
        keep = ~np.isnan(x).any(axis=1) & ~is_missing(raw)
        if task == "regression":
            values = [float(v) for v in np.asarray(raw[keep], float)]
            offered = ()
        else:
            values = list(column_as(table, target, CATEGORICAL)[keep])
            offered = [str(c) for c in classes] if classes is not None else sorted(set(values))
        return cls(task, offered, padded_extent(x[keep]), x[keep], values)

    def to_dict(self):
        """A JSON-ready dict (session files): task, classes, extent and the points."""
        points = self.points
        return {"task": self.task, "classes": list(self.classes), "extent": list(self.extent),
                "x1": points[:, 0].tolist(), "x2": points[:, 1].tolist(), "y": self.values}

    @classmethod
    def from_dict(cls, values):
        """Inverse of :meth:`to_dict`; ValueError (or KeyError, TypeError) when damaged."""
        points = np.column_stack([np.asarray(values["x1"], float), np.asarray(values["x2"], float)])
        return cls(values["task"], values.get("classes") or (), values.get("extent") or NEW_EXTENT,
                   points, values["y"])

    def __repr__(self):
        return f"Drawing({self.task}, {len(self)} points, classes={self.classes})"


def padded_extent(points, padding=PADDING):
    """``(x1_min, x1_max, x2_min, x2_max)`` around ``points`` (n, 2) with a margin; the new
    drawing's plane when there are none."""
    if len(points) == 0:
        return NEW_EXTENT
    low, high = points.min(axis=0), points.max(axis=0)
    margin = padding * np.where(high > low, high - low, 1.0)
    low, high = low - margin, high + margin
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])


def _is_integer(label):
    try:
        int(label)
    except ValueError:
        return False
    return True
