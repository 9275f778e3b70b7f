"""Gradient health: every layer's gradient norm per epoch on a log axis, with warnings in words."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout

from bpgui.gui.views.base import ControllerView
from bpgui.gui.views.gradient_health import gradient_warnings
from bpgui.gui.views.output_map import class_colours

LOG_FLOOR = 1e-30  # a zero norm is drawn here instead of at log(0)


def finite_series(epochs, values):
    """The (epochs, values) pairs where ``values`` is finite, floored at LOG_FLOOR."""
    keep = np.isfinite(values)
    return epochs[keep], np.maximum(values[keep], LOG_FLOOR)


class GradientNormView(ControllerView):
    """``gradientNormPlot``: one curve per layer (x = epoch), log y, and a warning label."""

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("gradientNormPlot")
        self.plot.setLogMode(y=True)
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLabel("left", "gradient norm ‖dL/dW‖")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.addLegend(offset=(-10, 10))
        self.curves = []
        self.warning = QLabel()
        self.warning.setObjectName("gradientWarningLabel")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b03000")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.warning)
        self.refresh()

    def on_network_changed(self):
        self.refresh()

    def on_report(self, report):
        self.refresh(report)

    def refresh(self, report=None):
        """Redraw from the controller's history; warn from the newest norms."""
        history = self.controller.history
        norms = history.grad_norms
        if norms is None or len(history) == 0:
            self._set_layers(0)
            self.warning.clear()
            return
        self._set_layers(norms.shape[1])
        epochs = history.column("epoch")
        for curve, column in zip(self.curves, norms.T):
            curve.setData(*finite_series(epochs, column))
        newest = report.grad_norms if report is not None and report.grad_norms is not None else \
            self._last_finite_row(norms)
        self.warning.setText("\n".join(gradient_warnings(newest)) if newest is not None else "")

    @staticmethod
    def _last_finite_row(norms):
        finite_rows = np.flatnonzero(np.isfinite(norms).all(axis=1))
        return tuple(norms[finite_rows[-1]]) if len(finite_rows) else None

    def _set_layers(self, n_layers):
        if len(self.curves) == n_layers:
            return
        for curve in self.curves:
            self.plot.removeItem(curve)
        colours = class_colours(n_layers) * 255 if n_layers else []
        self.curves = []
        for l, colour in enumerate(colours, 1):
            name = f"layer {l}" + (" (output)" if l == n_layers else "")
            curve = self.plot.plot(pen=pg.mkPen(tuple(int(c) for c in colour), width=2), name=name)
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
            self.curves.append(curve)
