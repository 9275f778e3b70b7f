"""Accuracy or R² per epoch, for the training and the validation split."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout

from bpgui.gui.plots import add_legend, on_white
from bpgui.gui.views.base import ControllerView
from bpgui.gui.views.plot_ranges import epoch_limit, metric_range

METRIC_TITLES = {"accuracy": "accuracy", "r2": "R²"}
TRAIN_PEN = pg.mkPen((0, 114, 178), width=1)
VALIDATION_PEN = pg.mkPen((213, 94, 0), width=1, style=pg.QtCore.Qt.PenStyle.DashLine)


class MetricView(ControllerView):
    """``metricPlot``: the task's metric per epoch from the controller's history."""

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.plot = pg.PlotWidget(background="w")
        on_white(self.plot.plotItem)
        self.plot.setObjectName("metricPlot")
        self.plot.setLabel("bottom", "epoch")
        # no grid: pyqtgraph draws it with the axes, which then repaint (text and all) with
        # every new point instead of only when the range moves
        add_legend(self.plot.plotItem, (-10, -10))
        self.plot.setMouseEnabled(x=False, y=False)
        self._x_limit = self._y_range = self._title = None
        # one-pixel lines: a fraction of the paint time of wider ones (see plots._new_curve)
        self.train_curve = self.plot.plot(pen=TRAIN_PEN, name="training")
        self.val_curve = self.plot.plot(pen=VALIDATION_PEN, name="validation")
        for curve in (self.train_curve, self.val_curve):
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.plot)
        self.refresh()

    def on_network_changed(self):
        self.refresh()

    def on_report(self, report):
        self.refresh()

    def refresh(self):
        """Redraw both curves from the history (NaN rows, e.g. no validation split, skipped)."""
        history = self.controller.history
        name = history.metric_name or ("accuracy" if self.controller.task == "classification" else "r2")
        title = METRIC_TITLES.get(name, name)
        if title != self._title:  # a new label repaints the axis, text and all
            self._title = title
            self.plot.setLabel("left", title)
        epochs = history.column("epoch")
        shown = []
        for curve, column in ((self.train_curve, "train_metric"), (self.val_curve, "val_metric")):
            values = history.column(column)
            keep = np.isfinite(values)
            curve.setData(epochs[keep], values[keep])
            shown.append(values[keep])
        self._fit_ranges(name, history.last_epoch, np.concatenate(shown))

    def _fit_ranges(self, name, last_epoch, values):
        """Change the axes only when the data leaves them (no axis repaint most frames)."""
        x_limit = epoch_limit(self._x_limit if last_epoch else None, last_epoch) if self.training \
            else max(last_epoch, 1)  # at rest: the run exactly
        if x_limit != self._x_limit:
            self._x_limit = x_limit
            self.plot.setXRange(0, x_limit, padding=0)
        y_range = metric_range(name, values, self._y_range if last_epoch else None)
        if y_range != self._y_range:
            self._y_range = y_range
            self.plot.setYRange(*y_range, padding=0.02)
