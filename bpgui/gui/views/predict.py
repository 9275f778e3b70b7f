"""Predict: type one row of raw feature values and see the output, or run a whole CSV.

Both go through :class:`bpgui.io.model.Model` (the preprocessor's scaling and decoding) and the
CSV is written by :func:`bpgui.io.predictions.write_predictions`, exactly as ``bpgui predict``.
"""

from __future__ import annotations

import os

import numpy as np
from PySide6.QtWidgets import (
    QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
    QPushButton, QScrollArea, QVBoxLayout,
)

from bpgui.data import CsvOptions, DataError, read_csv
from bpgui.data.table import table_from_columns
from bpgui.gui.views.base import ControllerView
from bpgui.io.atomic import describe_os_error
from bpgui.io.model import Model
from bpgui.io.predictions import write_predictions

SPIN_LIMIT = 1e12
MAX_LINES = 12
"""Classes (or targets) listed one a line; with more, the most probable classes (the first
targets) and a line saying how many are left out, so 200 classes do not make the dock, and
the window with it, taller than the screen."""


def model_of(controller, network):
    """A :class:`Model` of ``network`` with the controller's loss, task and preprocessor."""
    data = controller.data
    return Model(network, controller.loss, data.task, data.preprocessor)


def describe_prediction(result):
    """One line per class (``label: probability``) or per target (``name: value``), in their
    order; beyond :data:`MAX_LINES` classes, the most probable first."""
    row = result.outputs[0]
    if result.task == "classification":
        lines = [f"predicted class: {result.labels[0]}"]
        order = range(len(row))
        if len(row) > MAX_LINES:
            order = np.argsort(-np.asarray(row, float), kind="stable")[:MAX_LINES - 2]
        lines += [f"  P({result.classes[k]}) = {float(row[k]):.6f}" for k in order]
        if len(row) > MAX_LINES:
            rest = np.delete(np.asarray(row, float), order)
            lines.append(f"  … {len(rest)} other classes, each P ≤ {rest.max():.6f}")
        return "\n".join(lines)
    lines = [f"{name} = {float(v):.6g}" for name, v in zip(result.target_names, row)]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES - 1] + [f"… {len(lines) - MAX_LINES + 1} other targets"]
    return "\n".join(lines)


class PredictView(ControllerView):
    """``predictView``: a form with one input per raw feature column, and "Predict a CSV…"."""

    frame_interval = 0.5

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.setObjectName("predictView")
        self.inputs = {}  # column name → QDoubleSpinBox or QComboBox
        self.form_box = QGroupBox("Inputs (raw values, as in the CSV)")
        self.form = QFormLayout(self.form_box)
        self.output = QLabel()
        self.output.setObjectName("predictOutput")
        self.output.setWordWrap(True)
        self.output.setStyleSheet("font-family: monospace")
        self.csv_button = QPushButton("Predict a CSV…")
        self.csv_button.setObjectName("predictCsvButton")
        self.csv_button.clicked.connect(self._ask_for_csv)
        self.status = QLabel()
        self.status.setObjectName("predictStatus")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.csv_button)
        buttons.addStretch(1)
        # one row per feature: 64 for the digits, so the form scrolls instead of making the
        # dock (and with it the whole window) taller than the screen
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setWidget(self.form_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.form_scroll, 1)
        layout.addWidget(QLabel("Output"))
        layout.addWidget(self.output)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.on_data_changed()

    # -- the form --------------------------------------------------------------------------

    def on_data_changed(self):
        while self.form.rowCount():
            self.form.removeRow(0)
        self.inputs = {}
        data = self.controller.data
        self.csv_button.setEnabled(data is not None)
        if data is None:
            self.output.setText("Load data and train a network to predict.")
            return
        for column in data.preprocessor.columns:
            editor = self._editor_for(column)
            self.inputs[column["name"]] = editor
            self.form.addRow(column["name"], editor)
        self.update_output()

    def _editor_for(self, column):
        if column["kind"] == "categorical":
            editor = QComboBox()
            editor.addItems([str(c) for c in column["categories"]])
            editor.setCurrentText(str(column["impute"]))
            editor.currentIndexChanged.connect(self.update_output)
        else:
            editor = QDoubleSpinBox()
            editor.setRange(-SPIN_LIMIT, SPIN_LIMIT)
            editor.setDecimals(6)
            scale = float(column.get("scale") or 1.0)
            editor.setSingleStep(max(abs(scale) / 10.0, 1e-6))
            editor.setValue(float(column["impute"]))
            editor.valueChanged.connect(self.update_output)
        editor.setToolTip(f"{column['name']} ({column['kind']}); starts at the training value used for missing cells")
        return editor

    def form_table(self):
        """The form's values as a one-row :class:`Table`."""
        values = {}
        for name, editor in self.inputs.items():
            if isinstance(editor, QComboBox):
                values[name] = [editor.currentText()]
            else:
                values[name] = [editor.value()]
        return table_from_columns("form", values)

    def on_network_changed(self):
        self.update_output()

    def on_report(self, report):
        self.update_output()

    def update_output(self, *_):
        """Predict the form's row with the network now shown."""
        network = self.current_network()
        if self.controller.data is None or network is None or not self.inputs:
            return
        try:
            result = model_of(self.controller, network).predict(self.form_table())
        except (DataError, ValueError) as error:
            self.output.setText(str(error))
            return
        self.output.setText(describe_prediction(result))

    # -- a whole CSV -----------------------------------------------------------------------

    def _ask_for_csv(self):
        source, _ = QFileDialog.getOpenFileName(self, "Predict a CSV", "", "CSV files (*.csv *.txt);;All files (*)")
        if not source:
            return
        stem, _ = os.path.splitext(source)
        target, _ = QFileDialog.getSaveFileName(self, "Save the predictions", f"{stem}-predictions.csv",
                                                "CSV files (*.csv)")
        if target:
            self.predict_csv(source, target)

    def predict_csv(self, source, target):
        """Predict every row of the CSV ``source`` and write ``target`` as ``bpgui predict`` does.

        Returns True on success; a problem is shown in words (never raised).
        """
        network = self.controller.network
        if self.controller.data is None or network is None:
            self.status.setText("Load data and train a network first.")
            return False
        if self.training:
            self.status.setText("Pause training before predicting a CSV.")
            return False
        preprocessor = self.controller.data.preprocessor
        try:
            table = read_csv(source, CsvOptions(na_values=tuple(preprocessor.na_values)))
            write_predictions(model_of(self.controller, network).predict(table), target)
        except (DataError, OSError, ValueError) as error:
            problem = describe_os_error(error, target) if isinstance(error, OSError) else error
            self.status.setText(f"Could not predict: {problem}")
            return False
        self.status.setText(f"Wrote {table.n_rows} predictions to {target}")
        return True
