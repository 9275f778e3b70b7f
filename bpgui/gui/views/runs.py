"""The Runs dock (``runsView``): every run kept, compared and restorable.

``runsTable`` lists the controller's kept runs (newest last) with the settings that differ
between them; selecting rows draws their curves in ``compareLossPlot``; ``restoreRunButton``
brings one run's settings (and, when they fit, its final weights) back. Runs can be renamed
(double-click or F2 on the name) and deleted; the plot exports as PNG and the runs as CSV.
The run in progress is the bold row; its numbers and its curve follow it at the dock's frame
pace, never per epoch.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDockWidget, QFileDialog,
                               QHBoxLayout, QHeaderView, QLabel, QMenu, QPushButton, QSplitter, QStyle,
                               QTableView, QToolButton, QVBoxLayout, QWidget)

from bpgui.gui import settings
from bpgui.gui.run_tracking import restore_run
from bpgui.gui.views.base import ControllerView
from bpgui.gui.views.compare_plot import QUANTITIES, ComparePlot
from bpgui.gui.views.runs_model import RunsTableModel
from bpgui.io.atomic import atomic_write_bytes, atomic_write_text, describe_os_error
from bpgui.runs.run_table import curves_csv_text, table_csv_text

DOCK_TITLE = "Runs"
FIT_DELAY_MS = 150
FIT_ROWS = 40


class RunsView(ControllerView):
    """The table of kept runs, its buttons and the comparison plot."""

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.setObjectName("runsPanel")
        self.last_message = ""
        self.model = RunsTableModel(controller.runs, self)
        self.table = self._make_table()
        self.plot = ComparePlot()
        self.quantity_combo = QComboBox()
        self.quantity_combo.setObjectName("compareQuantityCombo")
        self.quantity_combo.addItems(list(QUANTITIES))
        self.quantity_combo.setToolTip("What the curves of the selected runs show")
        self.log_check = QCheckBox("log scale")
        self.log_check.setObjectName("compareLogCheck")
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #666")
        self.restore_button = self._button("Restore", "restoreRunButton", self.restore_selected,
                                           "Bring the selected run's settings back and, when the network's "
                                           "shape fits, its final weights, to continue from them")
        self.rename_button = self._button("Rename", "renameRunButton", self.rename_selected,
                                          "Rename the selected run (or double-click its name)")
        self.delete_button = self._button("Delete", "deleteRunButton", self.delete_selected,
                                          "Forget the selected runs (Del)")
        self.export_button = self._export_button()
        self._lay_out()
        self._saved_selection = []
        self._fit_timer = QTimer(self)  # runs arriving one after another are sized once
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(FIT_DELAY_MS)
        self._fit_timer.timeout.connect(self._fit_columns)
        self.quantity_combo.currentTextChanged.connect(self.plot.set_quantity)
        self.log_check.toggled.connect(self.plot.set_log_scale)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.model.modelAboutToBeReset.connect(self._keep_selection)
        self.model.modelReset.connect(self._after_reset)
        self.model.rowsInserted.connect(self._after_insert)
        self.model.runChanged.connect(self._on_run_changed)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self._fit_columns()
        self._on_selection()

    # -- layout ---------------------------------------------------------------------------------

    def _make_table(self):
        table = QTableView()
        table.setObjectName("runsTable")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked |
                              QAbstractItemView.EditTrigger.EditKeyPressed)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setDefaultSectionSize(40)  # _fit_columns widens each to its contents
        table.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)  # hundreds of runs: sample rows
        table.setToolTip("Select runs to compare their curves below; Ctrl or Shift selects several")
        return table

    def _button(self, text, name, slot, tooltip):
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tooltip)
        button.clicked.connect(lambda *_: slot())
        return button

    def _export_button(self):
        button = QToolButton()
        button.setObjectName("exportRunsButton")
        button.setText("Export")
        button.setToolTip("Save the comparison plot as PNG, or the selected runs (all when none is selected) as CSV")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        for text, name, slot in (("Plot as PNG…", "actionExportComparePng", self.ask_export_png),
                                 ("Runs table as CSV…", "actionExportRunsCsv", self.ask_export_table_csv),
                                 ("Curves (every epoch) as CSV…", "actionExportCurvesCsv",
                                  self.ask_export_curves_csv)):
            action = menu.addAction(text)
            action.setObjectName(name)
            action.triggered.connect(lambda *_, slot=slot: slot())
        button.setMenu(menu)
        return button

    def _lay_out(self):
        buttons = QHBoxLayout()
        for button in (self.restore_button, self.rename_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addLayout(buttons)
        self._buttons, self._top_layout = buttons, top_layout
        switch = QHBoxLayout()
        switch.addWidget(QLabel("Compare"))
        switch.addWidget(self.quantity_combo)
        switch.addWidget(self.hint)
        switch.addStretch(1)
        switch.addWidget(self.log_check)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addLayout(switch)
        bottom_layout.addWidget(self.plot, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(splitter)

    def add_tool(self, button):
        """Put ``button`` (the window's Sweep button) before Export."""
        self._buttons.insertWidget(self._buttons.indexOf(self.export_button), button)

    def add_footer(self, widget):
        """Put ``widget`` (a sweep's progress) under the buttons."""
        self._top_layout.addWidget(widget)

    def _fit_columns(self):
        """Widen the columns that do not show their contents (never narrow what the user set)."""
        table, header = self.table, self.table.horizontalHeader()
        square = table.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 6
        for column in range(self.model.columnCount()):
            wanted = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
            if self.model.columns[column] == "label":  # room for the colour square a plotted run gets
                wanted += square
            if header.sectionSize(column) < wanted:
                header.resizeSection(column, wanted)

    # -- selection ------------------------------------------------------------------------------

    def selected_rows(self):
        """The selected rows, in the table's order."""
        rows = set()
        for selected in self.table.selectionModel().selection():
            rows.update(range(selected.top(), selected.bottom() + 1))
        return sorted(rows)

    def selected_records(self):
        return [self.model.record(row) for row in self.selected_rows()]

    def select_rows(self, rows):
        """Select whole ``rows`` (the curves follow)."""
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for row in rows:
            selection.select(self.model.index(row, 0), self.model.index(row, last))
        self.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _on_selection(self, *_):
        records = self.selected_records()
        self._show(records)
        self.restore_button.setEnabled(len(records) == 1)
        self.rename_button.setEnabled(len(records) == 1)
        self.delete_button.setEnabled(bool(records))

    def _keep_selection(self):
        self._saved_selection = self.selected_records()

    def _after_reset(self):
        rows = [row for row in map(self.model.row_of, self._saved_selection) if row is not None]
        self._saved_selection = []
        self._fit_timer.start()
        self.select_rows(rows)
        self._on_selection()

    def _after_insert(self, *_):
        self._fit_timer.start()

    def _show(self, records):
        self.plot.show_runs(records)
        self.model.set_colours(self.plot.colours())
        text = f"{len(records)} run{'s' if len(records) != 1 else ''}" if records else "select runs above to compare them"
        dots = sum(1 for record in records if no_curve(record))
        if dots:
            text += f" ({dots} with final numbers only, drawn as a dot: read from a sweep's RESULTS.csv)"
        self.hint.setText(text)

    def _on_run_changed(self, row):
        if any(shown is self.model.record(row) for shown in self.plot.records):  # a new name for the legend
            self._show(self.plot.records)
        self._fit_timer.start()

    # -- the run in progress --------------------------------------------------------------------

    def on_report(self, report):
        self.redraw()

    def on_state_changed(self, state):
        self.redraw()
        if not self.training:
            self._fit_timer.start()

    def redraw(self):
        """The run in progress: its row's numbers and, when shown, its curve."""
        self.model.refresh_current()
        current = self.controller.runs.current
        if current is not None:
            self.plot.refresh(current)

    # -- actions --------------------------------------------------------------------------------

    def restore_selected(self):
        """Restore the one selected run (see :func:`bpgui.gui.run_tracking.restore_run`)."""
        records = self.selected_records()
        if len(records) != 1:
            self.show_message("select one run to restore")
            return False
        record = records[0]
        try:
            message = restore_run(self.controller, record)
        except ValueError as error:
            self.controller.errorOccurred.emit(f"restoring {record.label}: {error}")
            return False
        self.show_message(message)
        return True

    def rename_selected(self):
        rows = self.selected_rows()
        if len(rows) == 1:
            self.table.edit(self.model.index(rows[0], 0))

    def delete_selected(self):
        rows = self.selected_rows()
        if rows:
            self.controller.runs.delete(rows)
            self.show_message(f"deleted {len(rows)} run{'s' if len(rows) != 1 else ''}")

    def export_png(self, path):
        return self._write(path, lambda: atomic_write_bytes(path, self.plot.png_bytes()), "comparison plot")

    def export_table_csv(self, path):
        records = self.selected_records() or list(self.controller.runs)
        return self._write(path, lambda: atomic_write_text(path, table_csv_text(records, self.model.columns)),
                           "runs table")

    def export_curves_csv(self, path):
        records = self.selected_records() or list(self.controller.runs)
        return self._write(path, lambda: atomic_write_text(path, curves_csv_text(records)), "runs' curves")

    def _write(self, path, write, what):
        try:
            write()
        except OSError as error:
            self.controller.errorOccurred.emit(describe_os_error(error, path))
            return False
        settings.remember_directory(path)
        self.show_message(f"{what} written to {path}")
        return True

    def ask_export_png(self):
        path = self._ask_save("Export comparison plot", "PNG image (*.png)", ".png")
        return self.export_png(path) if path else False

    def ask_export_table_csv(self):
        path = self._ask_save("Export runs table", "CSV (*.csv)", ".csv")
        return self.export_table_csv(path) if path else False

    def ask_export_curves_csv(self):
        path = self._ask_save("Export curves of the runs", "CSV (*.csv)", ".csv")
        return self.export_curves_csv(path) if path else False

    def _ask_save(self, title, filters, suffix):
        path, _ = QFileDialog.getSaveFileName(self, title, settings.last_directory(), filters)
        if path and not path.lower().endswith(suffix):
            path += suffix
        return path

    def show_message(self, text):
        """One line in the window's status bar (kept in ``last_message``)."""
        self.last_message = text
        window = self.window()
        if window is not self and hasattr(window, "show_message"):
            window.show_message(text)

    def disconnect_controller(self):
        self._fit_timer.stop()
        self.model.close()
        super().disconnect_controller()


def no_curve(record):
    """True for a run known by its last epoch only (read from a RESULTS.csv): no curve to draw."""
    train_loss = record.history["train_loss"]
    return record.epochs_run > 1 and int(np.isfinite(train_loss).sum()) <= 1


def add_runs_dock(window):
    """Put the Runs dock (``runsView``) beside the window's other view docks, in its View menu."""
    dock = QDockWidget(DOCK_TITLE, window)
    dock.setObjectName("runsView")
    view = RunsView(window.controller, dock)
    dock.setWidget(view)
    dock.visibilityChanged.connect(view.set_dock_visible)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    docks = list(window.view_docks.values())
    if docks:
        window.tabifyDockWidget(docks[-1], dock)
        docks[0].raise_()
    window.view_docks[DOCK_TITLE] = dock
    return dock
