"""The confusion matrix as a Qt table model: one array, cells made only when painted.

A ``QTableWidget`` holds one item per cell; 200 classes are 40,000 items, and refilling them
took 1.2 s of the window's time at every refresh. The model keeps the counts in one array
and answers for the cells the view paints; a refresh of the same classes is one
``dataChanged`` signal.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

DIAGONAL_RGB = (0, 158, 115)  # right answers: green
OFF_DIAGONAL_RGB = (213, 94, 0)  # confusions: orange


def cell_colour(fraction, diagonal):
    """The cell's colour: green on the diagonal, orange off it, more opaque for more of the
    largest count (``fraction`` in 0..1); transparent for none."""
    alpha = int(30 + 170 * fraction) if fraction > 0 else 0
    return QColor(*(DIAGONAL_RGB if diagonal else OFF_DIAGONAL_RGB), alpha)


class ConfusionModel(QAbstractTableModel):
    """``matrix[i, j]`` = samples of true class ``labels[i]`` predicted as ``labels[j]``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.matrix = np.zeros((0, 0), dtype=np.int64)
        self.labels = []
        self._peak = 1
        self._brushes = {}  # (alpha, diagonal) -> QBrush, shared by equal cells

    def set_matrix(self, matrix, labels):
        """Show ``matrix`` (n, n) of counts for the classes ``labels`` (n,)."""
        matrix = np.asarray(matrix, dtype=np.int64).reshape(len(labels), len(labels))
        labels = [str(label) for label in labels]
        same_shape = labels == self.labels
        if not same_shape:
            self.beginResetModel()
        self.matrix, self._peak = matrix, max(int(matrix.max(initial=0)), 1)
        if same_shape:
            if len(labels):
                self.dataChanged.emit(self.index(0, 0), self.index(len(labels) - 1, len(labels) - 1))
        else:
            self.labels = labels
            self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.labels)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.labels)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        i, j = index.row(), index.column()
        count = int(self.matrix[i, j])
        if role == Qt.ItemDataRole.DisplayRole:
            return str(count)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brush(count / self._peak, i == j)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"true {self.labels[i]}, predicted {self.labels[j]}: {count}"
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) or \
                not 0 <= section < len(self.labels):
            return None
        label = self.labels[section]
        if orientation == Qt.Orientation.Horizontal:
            return f"→ {label}" if role == Qt.ItemDataRole.DisplayRole else f"predicted {label}"
        return label if role == Qt.ItemDataRole.DisplayRole else f"true {label}"

    def _brush(self, fraction, diagonal):
        colour = cell_colour(fraction, diagonal)
        key = (colour.alpha(), diagonal)
        if key not in self._brushes:
            self._brushes[key] = QBrush(colour)
        return self._brushes[key]
