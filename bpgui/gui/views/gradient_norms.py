"""Gradient health: every layer's gradient norm per epoch on a log axis, with warnings in words."""

from __future__ import annotations

import functools

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout

from bpgui.gui.plots import add_legend, on_white
from bpgui.gui.views.base import ControllerView
from bpgui.gui.views.gradient_health import gradient_warnings
from bpgui.gui.views.plot_ranges import decade_range, epoch_limit
from bpgui.visual.network_layout import spread_layers

LOG_FLOOR = 1e-30  # a zero norm is drawn here instead of at log(0)


@functools.lru_cache(maxsize=None)
def layer_colours(n_layers):
    """RGB 0..255 per layer on a sequential map: the first layer dark, the output light green
    (viridis up to 0.8: its yellow end is hard to see on the white background). Cached:
    pyqtgraph reads the map from a file each time (10 ms)."""
    colour_map = pg.colormap.get("viridis")
    return [colour_map.map(0.8 * l / max(n_layers - 1, 1), mode="byte")[:3] for l in range(n_layers)]


PLOTTED_LAYERS = 12
"""A deeper network shows this many layers' curves, evenly spread (:func:`spread_layers`):
51 curves were unreadable, their legend covered the plot, and redrawing them took the
window 100-250 ms a frame; the warning below the plot still names every layer."""


SMOOTHING_SHARE = 0.01  # a curve's running geometric mean spans this share of the run's epochs


def finite_series(epochs, values):
    """The (epochs, values) pairs where ``values`` is finite, floored at LOG_FLOOR."""
    keep = np.isfinite(values)
    return epochs[keep], np.maximum(values[keep], LOG_FLOOR)


def running_geometric_mean(values, window):
    """Each value replaced by the geometric mean of the ``window`` values ending at it (fewer
    at the start): one epoch's norm is one batch's, which jumps by orders of magnitude from
    batch to batch; the trend is what tells a vanishing gradient. ``values`` > 0, shape (n,)."""
    if window <= 1 or len(values) < 2:
        return values
    logs = np.concatenate([[0.0], np.cumsum(np.log(values))])
    ends = np.arange(1, len(values) + 1)
    starts = np.maximum(ends - window, 0)
    return np.exp((logs[ends] - logs[starts]) / (ends - starts))


class GradientNormView(ControllerView):
    """``gradientNormPlot``: one curve per layer (x = epoch, every epoch of the controller's
    history; y its running geometric mean over 1% of the run; a deep network's layers
    :func:`spread_layers`), log y, and a warning label (every layer)."""

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.plot = pg.PlotWidget(background="w")
        on_white(self.plot.plotItem)
        self.plot.setObjectName("gradientNormPlot")
        self.plot.setLogMode(y=True)
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLabel("left", "gradient norm ‖dL/dW‖")
        self.plot.getAxis("left").enableAutoSIPrefix(False)
        # no grid: pyqtgraph draws it with the axes, which then repaint (text and all) with
        # every new point instead of only when the range moves
        add_legend(self.plot.plotItem, (-10, 10))
        self.plot.setMouseEnabled(x=False, y=False)
        self.curves = []  # one per layer in self.layers
        self.layers = []  # the layers drawn (1 = the first hidden layer's weights): all, or a spread of them
        self._n_layers = 0
        self._x_limit = self._y_range = None
        self.warning = QLabel()
        self.warning.setObjectName("gradientWarningLabel")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b03000")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.warning)

    def on_data_changed(self):
        self._forget()

    def on_network_changed(self):
        if len(self.controller.history) == 0:  # reset, re-seeded or rebuilt: a new run
            self._forget()

    def _forget(self):
        """A new run: no points; the curves of the network's layers made now, at rest (making
        a dozen took 110 ms, which the first frame of a run paid)."""
        self._x_limit = self._y_range = None
        network = self.controller.network
        self._set_layers(len(network.sizes) - 1 if network is not None else 0)
        for curve in self.curves:
            curve.clear()
        self.plot.plotItem.legend.setVisible(False)  # no legend over an empty plot
        self.warning.clear()

    def on_report(self, report):
        history = self.controller.history
        norms = history.grad_norms
        if norms is None or history.n == 0:
            return
        self._set_layers(norms.shape[1])
        self.plot.plotItem.legend.setVisible(bool(self.curves))
        epochs = history.column("epoch")
        window = int(SMOOTHING_SHARE * len(epochs))
        drawn = []
        for curve, layer in zip(self.curves, self.layers):
            x, y = finite_series(epochs, norms[:, layer - 1])
            drawn.append(running_geometric_mean(y, window))
            curve.setData(x, drawn[-1])
        self._fit_ranges(epochs[-1], np.concatenate(drawn))
        if report.grad_norms is not None:
            self.warning.setText("\n".join(gradient_warnings(report.grad_norms)))

    def _fit_ranges(self, last_epoch, norms):
        """Change the axes only when the data leaves them (no axis repaint most frames)."""
        x_limit = epoch_limit(self._x_limit, last_epoch) if self.training \
            else max(int(last_epoch), 1)  # at rest: the run exactly
        if x_limit != self._x_limit:
            self._x_limit = x_limit
            self.plot.setXRange(0, x_limit, padding=0)
        y_range = decade_range(np.maximum(norms, LOG_FLOOR), self._y_range)
        if y_range != self._y_range:
            self._y_range = y_range
            self.plot.setYRange(*y_range, padding=0)

    def _set_layers(self, n_layers):
        if self._n_layers == n_layers:
            return
        for curve in self.curves:
            self.plot.removeItem(curve)
        self.plot.plotItem.legend.clear()
        colours = layer_colours(n_layers)
        self._n_layers, self.layers, self.curves = n_layers, spread_layers(n_layers, PLOTTED_LAYERS), []
        shown = f"{len(self.layers)} of {n_layers} layers shown, evenly spread" if len(self.layers) < n_layers else ""
        self.plot.setTitle(shown or None, size="9pt", color="#444444")
        for l in self.layers:
            name = f"layer {l}" + (" (output)" if l == n_layers else "")
            curve = self.plot.plot(pen=pg.mkPen(tuple(int(c) for c in colours[l - 1]), width=1), name=name)
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
            self.curves.append(curve)
