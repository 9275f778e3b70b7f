"""Evaluation on held-out data: confusion matrix and per-class scores, or predicted vs actual.

The numbers come from :mod:`bpgui.io.evaluation`, the same code as ``bpgui evaluate``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QStackedWidget, QTableView, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from bpgui.data import DataError
from bpgui.gui.plots import on_white
from bpgui.gui.views.base import ControllerView
from bpgui.gui.views.confusion_model import ConfusionModel
from bpgui.io.evaluation import evaluate_model
from bpgui.io.model import Model

STRETCHED_CLASSES = 12  # up to this many classes the matrix's columns share the width; more scroll
SPLITS = (("test", "test split"), ("val", "validation split"), ("train", "training split (no held-out data)"))


def held_out_split(data):
    """``(split key, words)`` of the data to evaluate on: test, else validation, else training."""
    for key, words in SPLITS:
        if len(getattr(data, f"X_{key}")):
            return key, words
    return SPLITS[-1]


def table_rows(table, rows):
    """The rows ``rows`` (indices) of ``table`` as a table of their own."""
    rows = np.asarray(rows, dtype=np.intp)
    return dataclasses.replace(table, data={name: values[rows] for name, values in table.data.items()},
                               lines=table.lines[rows])


def evaluate_split(controller, network, split):
    """Score ``network`` on a split of the controller's table exactly as ``bpgui evaluate`` does.

    Returns
    -------
    evaluation : bpgui.io.evaluation.Evaluation
        ``.metrics`` is the ``bpgui evaluate --json`` object; ``.per_class`` the per-class scores.
    predicted, actual : ndarray of shape (n_samples, n_targets) or None
        De-scaled predictions and the true values (regression only).
    """
    data = controller.data
    table = table_rows(controller.table, getattr(data, f"rows_{split}"))
    model = Model(network, controller.loss, data.task, data.preprocessor)
    evaluation = evaluate_model(model, table)
    if data.task == "classification":
        return evaluation, None, None
    predicted = model.predict(table).outputs
    actual = np.column_stack([table.data[name] for name in data.preprocessor.targets])
    return evaluation, predicted, actual


def read_only_table(rows, columns, table=None):
    """A QTableWidget of ``rows`` x ``columns`` (or ``table``, a view, set up the same way)."""
    table = QTableWidget(rows, columns) if table is None else table
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    return table


def fit_columns(table, labels):
    """Columns that share the width for a few classes; for many, each as wide as the widest
    header or count (the table scrolls sideways rather than squeezing 200 columns to slivers)."""
    header = table.horizontalHeader()
    if len(labels) <= STRETCHED_CLASSES:
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        return
    metrics = header.fontMetrics()
    widest = max((metrics.horizontalAdvance(f"→ {label}") for label in labels), default=0)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header.setDefaultSectionSize(min(max(widest, metrics.horizontalAdvance("0000")) + 12, 160))


def fit_height(table, max_rows=12):
    """Make ``table`` as tall as its rows (up to ``max_rows``), so no empty area is drawn."""
    rows = min(table.model().rowCount(), max_rows)
    height = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(rows))
    table.setMaximumHeight(height + 2 * table.frameWidth() + 2)


class EvaluationView(ControllerView):
    """``evaluationView``: scores of the current network on the test (else validation) split."""

    frame_interval = 1.0

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.setObjectName("evaluationView")
        self.metrics = None
        self.per_class = None
        self.summary = QLabel()
        self.summary.setObjectName("evaluationSummary")
        self.summary.setWordWrap(True)
        self.confusion_model = ConfusionModel(self)
        self.confusion = read_only_table(0, 0, QTableView())
        self.confusion.setModel(self.confusion_model)
        self.confusion.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.confusion.setObjectName("confusionMatrixTable")
        self.scores = read_only_table(0, 4)
        self.scores.setObjectName("classScoresTable")
        self.scores.setHorizontalHeaderLabels(["precision", "recall", "F1", "support"])
        classification = QWidget()
        column = QVBoxLayout(classification)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("Confusion matrix (rows: true class, columns: predicted class)"))
        column.addWidget(self.confusion, 10)  # as tall as their rows (fit_height) where there is room
        column.addWidget(QLabel("Per-class scores"))
        column.addWidget(self.scores, 10)
        column.addStretch(1)
        self.scatter_plot = pg.PlotWidget(background="w")
        on_white(self.scatter_plot.plotItem)
        self.scatter_plot.setObjectName("predictedVsActualPlot")
        self.scatter_plot.setLabel("bottom", "actual")
        self.scatter_plot.setLabel("left", "predicted")
        self.scatter_plot.showGrid(x=True, y=True, alpha=0.2)
        self.ideal_line = self.scatter_plot.plot(pen=pg.mkPen((120, 120, 120), width=1.5, style=Qt.PenStyle.DashLine))
        self.scatter = pg.ScatterPlotItem(size=6, pen=None, brush=pg.mkBrush(0, 114, 178, 160))
        self.scatter_plot.addItem(self.scatter)
        self.pages = QStackedWidget()
        self.pages.addWidget(classification)
        self.pages.addWidget(self.scatter_plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.pages, 1)
        self.refresh()

    def on_network_changed(self):
        self.refresh()

    def on_state_changed(self, state):
        if not self.training:
            self.refresh()

    def on_report(self, report):
        self.refresh()

    def refresh(self):
        """Evaluate the network now shown and fill the tables or the scatter plot."""
        data, network = self.controller.data, self.current_network()
        if data is None or self.controller.network is None:
            self.metrics = self.per_class = None
            self.summary.setText("Load data and train a network to evaluate it.")
            return
        if network is None:  # training, and no copy of the weights has arrived yet
            return
        split, words = held_out_split(data)
        try:
            evaluation, predicted, actual = evaluate_split(self.controller, network, split)
        except (DataError, ValueError) as error:  # e.g. the network does not fit the data
            self.summary.setText(str(error))
            return
        if evaluation.metrics == self.metrics and self.summary.text().startswith(f"On the {words}"):
            return  # nothing changed: leave the tables alone (no repaint)
        self.metrics, self.per_class = evaluation.metrics, evaluation.per_class
        if data.task == "classification":
            self._show_classification(words)
        else:
            self._show_regression(words, predicted, actual)

    def _show_classification(self, words):
        m = self.metrics
        self.summary.setText(f"On the {words}: {m['n_samples']} samples, accuracy {m['accuracy']:.4f}, "
                             f"macro F1 {m['macro_f1']:.4f}, loss {m['loss']:.6g}")
        labels = [str(c) for c in m["classes"]]
        if labels != self.confusion_model.labels:
            fit_columns(self.confusion, labels)
        self.confusion_model.set_matrix(m["confusion_matrix"], labels)
        self.scores.setRowCount(len(self.per_class))
        self.scores.setVerticalHeaderLabels(labels)
        for r, row in enumerate(self.per_class):
            cells = (f"{row['precision']:.4f}", f"{row['recall']:.4f}", f"{row['f1']:.4f}", str(row["support"]))
            for c, text in enumerate(cells):
                self.scores.setItem(r, c, QTableWidgetItem(text))
        fit_height(self.confusion)
        fit_height(self.scores)
        self.pages.setCurrentIndex(0)

    def _show_regression(self, words, predicted, actual):
        m = self.metrics
        r2 = "n/a" if m["r2"] is None else f"{m['r2']:.4f}"
        self.summary.setText(f"On the {words}: {m['n_samples']} samples, R² {r2}, RMSE {m['rmse']:.6g}, "
                             f"MAE {m['mae']:.6g} (first target shown)")
        actual, predicted = np.asarray(actual, float)[:, 0], np.asarray(predicted, float)[:, 0]
        self.scatter.setData(actual, predicted)
        both = np.concatenate([actual, predicted])
        both = both[np.isfinite(both)]
        if both.size:
            low, high = float(both.min()), float(both.max())
            self.ideal_line.setData([low, high], [low, high])
        self.pages.setCurrentIndex(1)
