"""``runsTable``'s model: one row per kept run of the controller's :class:`RunLog`, newest last.

A :class:`QAbstractTableModel` over a mirror of the log's list, so the table asks only for the
cells it shows (hundreds of runs cost nothing until scrolled to). The log's changes arrive
through its listener; the numbers of the run in progress are refreshed by the dock at its own
frame pace (:meth:`RunsTableModel.refresh_current`). When the columns change (a new run
differs in a setting no run differed in before) the model resets; the dock keeps the selection.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from bpgui.runs.run_table import cell, cell_text, header, setting_text, table_columns

HEADER_TIPS = {
    "label": "The run's name (double-click to rename)",
    "data": "What the run trained on",
    "epochs_run": "Epochs trained (the epochs setting, when it differs, is its own column)",
    "train_loss": "Training loss of the last epoch",
    "val_loss": "Validation loss of the last epoch",
    "metric": "Accuracy or R² of the last epoch (validation when there is a validation split)",
    "ms_per_epoch": "Training time per epoch in milliseconds (the engine's own clock)",
}
ERROR_BRUSH = QBrush(QColor(176, 0, 32))


class RunsTableModel(QAbstractTableModel):
    """The runs of ``runs`` (a :class:`~bpgui.runs.run_log.RunLog`) as table rows.

    Signals
    -------
    runChanged(int)
        A run's name or record changed (not the per-frame numbers of the run in progress).
    """

    runChanged = Signal(int)

    def __init__(self, runs, parent=None):
        super().__init__(parent)
        self.runs = runs
        self._rows = list(runs.records)
        self.columns = table_columns(self._rows)
        self._current_settings = None
        self.colours = {}  # id(record) -> QColor of its curve in the comparison plot
        runs.subscribe(self._on_runs)

    def close(self):
        """Stop listening to the log (idempotent)."""
        self.runs.unsubscribe(self._on_runs)

    # -- what the table asks --------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.columns)

    def record(self, row):
        return self._rows[row]

    def row_of(self, record):
        return next((row for row, kept in enumerate(self._rows) if kept is record), None)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(record, column)
        if role == Qt.ItemDataRole.EditRole:
            return record.label if column == "label" else cell_text(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != "label" and column != "data":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == "label":
            return self.colours.get(id(record))
        if role == Qt.ItemDataRole.FontRole and column == "label" and record is self.runs.current:
            font = QFont()  # the name only: numbers in bold would outgrow their column
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and record.error:
            return ERROR_BRUSH
        return None

    def _tooltip(self, record, column):
        if column != "label":
            value = cell(record, column)
            return f"{header(column, self._rows)}: {setting_text(value) if not isinstance(value, float) else repr(value)}"
        lines = [record.label]
        if record is self.runs.current:
            lines.append("the run in progress")
        if record.data:
            lines.append(f"trained on {record.data}")
        if record.error:
            lines.append(f"ended: {record.error}")
        if record.origin != "window":
            lines.append(f"from a {record.origin}")
        return "\n".join(lines)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return header(column, self._rows)
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(column, f"--{column.replace('_', '-')}: differs between the runs")
        return None

    def flags(self, index):
        flags = super().flags(index)
        if index.isValid() and self.columns[index.column()] == "label":
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.EditRole or self.columns[index.column()] != "label":
            return False
        try:
            self.runs.rename(index.row(), value)
        except ValueError:
            return False
        return True

    # -- the log's changes ----------------------------------------------------------------------

    def _on_runs(self, event, index):
        if event == "inserted":
            self.beginInsertRows(QModelIndex(), index, index)
            self._rows.insert(index, self.runs.records[index])
            self.endInsertRows()
        elif event == "removed":
            self.beginRemoveRows(QModelIndex(), index, index)
            del self._rows[index]
            self.endRemoveRows()
        elif event == "changed":
            self._row_changed(index)
            self.runChanged.emit(index)
        else:
            self.beginResetModel()
            self._rows = list(self.runs.records)
            self.columns = table_columns(self._rows)
            self.endResetModel()
            return
        self._check_columns()

    def refresh_current(self):
        """Show the newest numbers of the run in progress (call at a frame's pace)."""
        current = self.runs.current
        row = self.row_of(current) if current is not None else None
        if row is None:
            return
        if current.settings != self._current_settings:  # a setting changed mid-run
            self._current_settings = current.settings
            if self._check_columns():
                return
        self._row_changed(row)

    def set_colours(self, colours):
        """Show each plotted run's curve colour beside its name (``{id(record): QColor}``)."""
        if colours != self.colours:
            self.colours = colours
            self.dataChanged.emit(self.index(0, 0), self.index(max(len(self._rows) - 1, 0), 0),
                                  [Qt.ItemDataRole.DecorationRole])

    def _row_changed(self, row):
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def _check_columns(self):
        """Reset when the columns changed (True then); otherwise refresh the header's titles."""
        columns = table_columns(self._rows)
        if columns != self.columns:
            self.beginResetModel()
            self.columns = columns
            self.endResetModel()
            return True
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        return False
