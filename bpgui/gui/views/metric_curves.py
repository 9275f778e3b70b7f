"""Accuracy or R² per epoch, for the training and the validation split, and the learning rate
of every epoch on a second axis (on the right) when it changed during the run (a schedule)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout

from bpgui.gui.plots import AXIS_PEN, AXIS_TEXT_PEN, add_legend, on_white
from bpgui.gui.views.base import ControllerView
from bpgui.gui.views.plot_ranges import epoch_limit, metric_range
from bpgui.runs.run_table import METRIC_TITLES

TRAIN_PEN = pg.mkPen((0, 114, 178), width=1)
VALIDATION_PEN = pg.mkPen((213, 94, 0), width=1, style=pg.QtCore.Qt.PenStyle.DashLine)
RATE_PEN = pg.mkPen((204, 121, 167), width=1)  # reddish purple: apart from both metric curves
RATE_LABEL = "learning rate"


def shows_rate(rates, schedule):
    """True when the learning-rate curve says something: the rate changed during the run, or
    a schedule other than a plain constant rate is chosen (and some epoch has a rate)."""
    rates = rates[np.isfinite(rates)]
    if not len(rates):
        return False
    return bool(rates.min() != rates.max()) or schedule != "constant"


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
        self.legend = add_legend(self.plot.plotItem, (-10, -10))
        self.plot.setMouseEnabled(x=False, y=False)
        self._x_limit = self._y_range = self._title = None
        # one-pixel lines: a fraction of the paint time of wider ones (see plots._new_curve)
        self.train_curve = self.plot.plot(pen=TRAIN_PEN, name="training")
        self.val_curve = self.plot.plot(pen=VALIDATION_PEN, name="validation")
        self._make_rate_axis()
        for curve in (self.train_curve, self.val_curve, self.rate_curve):
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.plot)
        self.refresh()

    def _make_rate_axis(self):
        """``rate_curve`` in its own view box, read on the right axis, x linked to the plot's
        (pyqtgraph's two-axes pattern: the box follows the plot's geometry)."""
        item = self.plot.plotItem
        self.rate_box = pg.ViewBox(enableMouse=False)
        item.scene().addItem(self.rate_box)
        self.rate_axis = item.getAxis("right")
        self.rate_axis.linkToView(self.rate_box)
        self.rate_axis.setLabel(RATE_LABEL)
        self.rate_axis.enableAutoSIPrefix(False)  # the rates themselves (0.01), not "x0.001"
        self.rate_axis.setPen(AXIS_PEN)
        self.rate_axis.setTextPen(AXIS_TEXT_PEN)
        self.rate_box.setXLink(item)
        self.rate_curve = pg.PlotDataItem(pen=RATE_PEN, name=RATE_LABEL)
        self.rate_box.addItem(self.rate_curve)
        self._rate_shown = None
        self._rate_range = None
        item.vb.sigResized.connect(self._follow_plot)
        self._show_rate(False)

    def _follow_plot(self):
        self.rate_box.setGeometry(self.plot.plotItem.vb.sceneBoundingRect())
        self.rate_box.linkedViewChanged(self.plot.plotItem.vb, self.rate_box.XAxis)

    def _show_rate(self, shown):
        if shown == self._rate_shown:
            return
        self._rate_shown = shown
        self.plot.plotItem.showAxis("right", shown)
        self.rate_curve.setVisible(shown)
        if shown:
            self.legend.addItem(self.rate_curve, RATE_LABEL)
        else:
            self.legend.removeItem(self.rate_curve)
        self._follow_plot()

    def _draw_rates(self, epochs, rates):
        """The learning rate per epoch on the right axis, 0 … a little above its highest."""
        shown = shows_rate(rates, self.controller.config.schedule)
        self._show_rate(shown)
        if not shown:
            self.rate_curve.setData([], [])
            return
        keep = np.isfinite(rates)
        self.rate_curve.setData(epochs[keep], rates[keep])
        high = float(rates[keep].max())
        rate_range = (0.0, high * 1.05 if high > 0 else 1.0)
        if rate_range != self._rate_range:  # axes repaint only when the range moves
            self._rate_range = rate_range
            self.rate_box.setYRange(*rate_range, padding=0.02)  # as the metric's: zeros level

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
        self._draw_rates(epochs, history.column("lr"))
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
