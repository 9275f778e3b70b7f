"""The live loss plot: training and validation loss per epoch from the controller's history.

The curves are created once; each paced report redraws them from views of the history's
growing arrays (``setData(x[:n], y[:n])``), with clipping to the view, peak downsampling and no
symbols, so 20,000 epochs draw as fast as 200 (QT-NOTES.md).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from bpgui.visual.colormap import TRAIN_LOSS_RGB, VAL_LOSS_RGB

TRAIN_PEN = pg.mkPen(color=TRAIN_LOSS_RGB, width=1)
VAL_PEN = pg.mkPen(color=VAL_LOSS_RGB, width=1)
AXIS_PEN = pg.mkPen(110, 110, 110)
AXIS_TEXT_PEN = pg.mkPen(50, 50, 50)
LEGEND_STYLE = {"labelTextColor": (40, 40, 40), "brush": pg.mkBrush(255, 255, 255, 215),
                "pen": pg.mkPen(190, 190, 190)}


def on_white(plot_item):
    """Dark axes and text for a plot on a white background (pyqtgraph's defaults are light
    grey, made for black); returns ``plot_item``."""
    for name in ("left", "bottom"):
        axis = plot_item.getAxis(name)
        axis.setPen(AXIS_PEN)
        axis.setTextPen(AXIS_TEXT_PEN)
    return plot_item


class Legend(pg.LegendItem):
    """A legend shown only while it names something: pyqtgraph draws an empty legend as an
    empty box (a plot before its first curve)."""

    def __init__(self, **options):
        super().__init__(**options)
        self.setVisible(False)

    def updateSize(self):
        super().updateSize()  # pyqtgraph calls it after every addItem, removeItem and clear
        self.setVisible(bool(self.items))


def add_legend(plot_item, offset):
    """A :class:`Legend` with dark text on a light, mostly opaque box (readable over the
    curves), set as ``plot_item``'s legend (curves plotted with a name join it)."""
    if plot_item.legend is None:
        plot_item.legend = Legend(offset=offset, **LEGEND_STYLE)
        plot_item.legend.setParentItem(plot_item.vb)
    return plot_item.legend


def _new_curve(plot_item, pen, name):
    # one-pixel lines (not antialiased): Qt draws them ~6x faster than two-pixel ones (1 ms
    # against 6-8 ms for a 10,000-epoch curve), and the window draws them while training
    curve = plot_item.plot([], [], pen=pen, name=name, symbol=None)
    curve.setClipToView(True)
    curve.setDownsampling(auto=True, method="peak")
    curve.setSkipFiniteCheck(False)
    return curve


class LossPlot(pg.PlotWidget):
    """``lossPlot``: its first data item is the training-loss curve (x = epoch)."""

    def __init__(self, controller, parent=None):
        super().__init__(parent, background="w")
        self.setObjectName("lossPlot")
        self.controller = controller
        item = on_white(self.getPlotItem())
        item.setLabel("bottom", "epoch")
        item.setLabel("left", "loss")
        item.getAxis("left").enableAutoSIPrefix(False)
        # No grid: pyqtgraph draws it with the axes, which would then repaint (with all their
        # text) on every new point instead of only when the range moves.
        add_legend(item, (-10, 10))
        self.train_curve = _new_curve(item, TRAIN_PEN, "training loss")
        self.val_curve = _new_curve(item, VAL_PEN, "validation loss")
        self.readout = pg.TextItem(anchor=(0, 0), color=(40, 40, 40))
        self.readout.setZValue(10)
        item.addItem(self.readout, ignoreBounds=True)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        item.disableAutoRange()
        item.vb.sigRangeChangedManually.connect(self._on_user_range)
        item.autoBtn.clicked.connect(self._on_auto_button)
        self._range = None  # (x_max, y_low, y_high) we set; None = set it at the next redraw
        self._user_range = False
        controller.reportReady.connect(self.redraw)
        controller.networkChanged.connect(self.redraw)
        controller.dataChanged.connect(self.redraw)
        controller.stateChanged.connect(self.redraw)

    def set_log_scale(self, on):
        self.getPlotItem().setLogMode(y=bool(on))
        self._range = None
        self.redraw()

    def _on_user_range(self, *_):
        self._user_range = True

    def _on_auto_button(self, *_):
        self._user_range = False
        self._range = None
        self.getPlotItem().disableAutoRange()
        self.redraw()

    def _keep_in_view(self, epochs, values):
        """Move the axes in big steps only (x doubles, y when the data leaves it or shrinks
        to a quarter), so the axes are not redrawn on every frame; a user's zoom wins."""
        if self._user_range:
            return
        finite = values[np.isfinite(values)]
        if self.getPlotItem().ctrl.logYCheck.isChecked():
            finite = np.log10(finite[finite > 0])
        if not len(finite):
            return
        low, high = float(finite.min()), float(finite.max())
        x_max = self._range[0] if self._range else 0.0
        if self.controller.state != "training":  # at rest: fit the run exactly
            x_max = max(float(epochs[-1]), 1.0)
        elif epochs[-1] > x_max:
            x_max = max(2.0 * x_max, 10.0, float(epochs[-1]))
        if self._range and self._range[0] == x_max:
            y_low, y_high = self._range[1:]
            if low >= y_low and high <= y_high and (high - low) >= 0.25 * (y_high - y_low):
                return
        margin = 0.08 * (high - low) or 0.1 * (abs(high) or 1.0)
        self._range = (x_max, low - margin, high + margin)
        item = self.getPlotItem()
        item.setXRange(0, x_max, padding=0.02)
        item.setYRange(low - margin, high + margin, padding=0)

    @property
    def log_scale(self):
        return bool(self.getPlotItem().ctrl.logYCheck.isChecked())

    def redraw(self, *_):
        history = self.controller.history
        epochs = history.column("epoch")
        self.train_curve.setData(epochs, history.column("train_loss"))
        val = history.column("val_loss")
        if history.n and np.isfinite(val).any():
            self.val_curve.setData(epochs, val)
        else:
            self.val_curve.setData([], [])
        if not history.n:
            self._range, self._user_range = None, False
            return
        self._keep_in_view(epochs, np.concatenate([history.column("train_loss"), val]))

    def value_at(self, epoch):
        """``(epoch, train loss, validation loss)`` of the row nearest ``epoch``, or None."""
        history = self.controller.history
        if not history.n:
            return None
        epochs = history.column("epoch")
        row = int(np.clip(np.searchsorted(epochs, epoch), 0, history.n - 1))
        if row > 0 and abs(epochs[row - 1] - epoch) < abs(epochs[row] - epoch):
            row -= 1
        return int(epochs[row]), float(history.column("train_loss")[row]), float(history.column("val_loss")[row])

    def _on_mouse_moved(self, position):
        item = self.getPlotItem()
        if not item.sceneBoundingRect().contains(position):
            self.readout.setText("")
            return
        point = item.vb.mapSceneToView(position)
        found = self.value_at(point.x())
        if found is None:
            return
        epoch, train, val = found
        text = f"epoch {epoch}\ntrain {train:.6g}"
        if not math.isnan(val):
            text += f"\nval {val:.6g}"
        self.readout.setText(text)
        self.readout.setPos(point.x(), point.y())

    def png_bytes(self, width=1200):
        """The plot as a PNG image (pyqtgraph's ``ImageExporter``, rendered in memory)."""
        from pyqtgraph.exporters import ImageExporter
        from PySide6.QtCore import QBuffer, QIODevice

        exporter = ImageExporter(self.getPlotItem())
        exporter.parameters()["width"] = width
        image = exporter.export(toBytes=True)
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if image is None or not image.save(buffer, "PNG"):
            raise RuntimeError("the plot could not be drawn as a PNG image")
        return bytes(buffer.data())

    def export_png(self, path, width=1200):
        """Write the plot as a PNG image through bpgui.io.atomic (whole or not at all)."""
        from bpgui.io.atomic import atomic_write_bytes

        atomic_write_bytes(path, self.png_bytes(width))


class LossPanel(QWidget):
    """The loss plot with its log-scale switch."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.plot = LossPlot(controller)
        self.log_check = QCheckBox("log scale")
        self.log_check.setObjectName("logScaleCheck")
        self.log_check.setToolTip("Show the loss on a logarithmic axis")
        self.log_check.toggled.connect(self.plot.set_log_scale)
        top = QHBoxLayout()
        top.addWidget(QLabel("Loss per epoch (hover for values)"))
        top.addStretch(1)
        top.addWidget(self.log_check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
