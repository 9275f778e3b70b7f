"""``compareLossPlot``: one curve per selected run (x = epoch), one colour per run, a legend by
label, and a hover readout naming the run, the epoch and the value.

What the curves show is switchable (training loss by default, validation loss, the metric);
there is always exactly one curve per run (a dot for a run known by its last epoch only, such
as one read from a sweep's RESULTS.csv), in the order the runs are given (the table's order
of the selected rows). Curves are drawn once per change with no symbols, clipped to the view
and peak-downsampled (QT-NOTES.md), so runs of 20,000 epochs cost no more than short ones;
while a run trains only its own curve is redrawn, at the dock's frame pace.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt

from bpgui.gui.plots import add_legend, on_white
from bpgui.runs.run_table import header

QUANTITIES = ("training loss", "validation loss", "metric")
"""What the curves can show (the dock's switch)."""
COLUMNS = {"training loss": "train_loss", "validation loss": "val_loss"}
PALETTE = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
           (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207))
"""Tableau's ten colours; after ten runs the colours come back dashed, then dotted."""
STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)
LEGEND_MAX = 12


def curve_values(record, quantity):
    """``(epochs, values)`` of ``record`` for ``quantity``, finite values only: arrays (n,).

    The metric is the validation metric when the run had a validation split, else training's.
    """
    history = record.history
    if quantity == "metric":
        has_validation = np.isfinite(history["val_metric"]).any()
        values = history["val_metric" if has_validation else "train_metric"]
    else:
        values = history[COLUMNS[quantity]]
    keep = np.isfinite(values)
    return history["epoch"][keep], values[keep]


class ComparePlot(pg.PlotWidget):
    """The selected runs' curves; :meth:`show_runs` draws them, :meth:`refresh` one again."""

    def __init__(self, parent=None):
        super().__init__(parent, background="w")
        self.setObjectName("compareLossPlot")
        item = on_white(self.getPlotItem())
        item.setLabel("bottom", "epoch")
        item.getAxis("left").enableAutoSIPrefix(False)
        self.legend = add_legend(item, (-10, 10))
        self.quantity = QUANTITIES[0]
        self.records, self.curves = [], []
        self._colours = {}  # id(record) -> palette slot: a run keeps its colour
        self.readout = pg.TextItem(anchor=(0, 1), color=(40, 40, 40), fill=pg.mkBrush(255, 255, 255, 215))
        self.readout.setZValue(20)
        item.addItem(self.readout, ignoreBounds=True)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._user_range = False  # the user zoomed or panned: the plot no longer moves the axes
        item.disableAutoRange()
        item.vb.sigRangeChangedManually.connect(self._on_user_range)
        item.autoBtn.clicked.connect(self._on_auto_button)
        self._label_axis()

    # -- drawing --------------------------------------------------------------------------------

    def show_runs(self, records):
        """Draw one curve per record, in the order given. Curve items are reused (pyqtgraph's
        cost is in adding items to a plot, not in new data), so selecting runs stays quick; the
        legend names the first :data:`LEGEND_MAX` runs (a hundred names would hide the curves)."""
        item = self.getPlotItem()
        self.legend.clear()
        self.records = list(records)
        self._forget_colours()
        while len(self.curves) > len(self.records):
            item.removeItem(self.curves.pop())
        for row, record in enumerate(self.records):
            if row == len(self.curves):
                curve = item.plot(symbol=None, autoDownsample=True, downsampleMethod="peak")
                curve.setClipToView(True)
                self.curves.append(curve)
            name = record.label if row < LEGEND_MAX else None
            epochs, values = curve_values(record, self.quantity)
            pen = self._pen(record)
            # a run read from a RESULTS.csv has its last epoch only: a dot, as a line needs two points
            dot = {"symbol": "o", "symbolSize": 7, "symbolPen": pen, "symbolBrush": pen.color()} \
                if len(epochs) == 1 else {"symbol": None}
            self.curves[row].setData(epochs, values, pen=pen, name=name, **dot)
            if name is not None:
                self.legend.addItem(self.curves[row], name)
        if len(self.records) > LEGEND_MAX:
            self.legend.addItem(pg.PlotDataItem(pen=None), f"… {len(self.records) - LEGEND_MAX} more")
        self._label_axis()
        self._user_range = False
        self.fit_range()

    def refresh(self, record):
        """Draw ``record``'s curve again (the run in progress, at the dock's pace); False when
        it is not shown."""
        for shown, curve in zip(self.records, self.curves):
            if shown is record:
                epochs, values = curve_values(record, self.quantity)
                curve.setData(epochs, values)
                if not self._user_range and not self._in_view(epochs, values):
                    self.fit_range(headroom=True)
                return True
        return False

    def set_quantity(self, quantity):
        """Show ``quantity`` (one of :data:`QUANTITIES`) for the same runs."""
        if quantity not in QUANTITIES:
            raise ValueError(f"unknown quantity {quantity!r}; choose one of {', '.join(QUANTITIES)}")
        self.quantity = quantity
        self.show_runs(self.records)

    def set_log_scale(self, on):
        self.getPlotItem().setLogMode(y=bool(on))
        self.fit_range()

    # -- the axes -------------------------------------------------------------------------------
    # pyqtgraph's auto range would take the curves' bounds after clipping them to the old range
    # (and only at the next paint), so the plot sets its range itself, at once.

    def fit_range(self, headroom=False):
        """Show every curve; with ``headroom`` leave room to the right for a run in progress
        (so the axes are not redrawn every frame)."""
        bounds = [self._bounds(*curve_values(record, self.quantity)) for record in self.records]
        bounds = [b for b in bounds if b is not None]
        if not bounds:
            return
        x_low, x_high = min(b[0] for b in bounds), max(b[1] for b in bounds)
        y_low, y_high = min(b[2] for b in bounds), max(b[3] for b in bounds)
        if headroom:
            x_high = x_low + 1.5 * (x_high - x_low)
        margin = 0.05 * (y_high - y_low) or 0.1 * (abs(y_high) or 1.0)
        if x_high - x_low < 1.0:  # dots at one epoch (runs read from a RESULTS.csv): in the middle
            x_low, x_high = x_low - 1.0, x_high + 1.0
        item = self.getPlotItem()
        item.setXRange(x_low, x_high, padding=0.02)
        item.setYRange(y_low - margin, y_high + margin, padding=0)

    def _bounds(self, epochs, values):
        """``(x_low, x_high, y_low, y_high)`` in view coordinates, or None for no points."""
        if self.getPlotItem().ctrl.logYCheck.isChecked():
            keep = values > 0
            epochs, values = epochs[keep], np.log10(values[keep])
        if not len(epochs):
            return None
        return float(epochs[0]), float(epochs[-1]), float(values.min()), float(values.max())

    def _in_view(self, epochs, values):
        bounds = self._bounds(epochs, values)
        if bounds is None:
            return True
        (x_low, x_high), (y_low, y_high) = self.getPlotItem().vb.viewRange()
        return bounds[1] <= x_high and y_low <= bounds[2] and bounds[3] <= y_high

    def _on_user_range(self, *_):
        self._user_range = True

    def _on_auto_button(self, *_):
        self._user_range = False
        self.getPlotItem().disableAutoRange()
        self.fit_range()

    def _pen(self, record):
        slot = self._colours.setdefault(id(record), self._free_slot())
        # one-pixel lines: Qt draws a 20,000-epoch curve in 4 ms, against 25 ms two pixels wide
        return pg.mkPen(PALETTE[slot % len(PALETTE)], width=1, style=STYLES[(slot // len(PALETTE)) % len(STYLES)])

    def colours(self):
        """``{id(record): QColor}`` of the curves shown."""
        return {id(record): curve.opts["pen"].color() for record, curve in zip(self.records, self.curves)}

    def _free_slot(self):
        used = set(self._colours.values())
        return next(slot for slot in range(len(used) + 1) if slot not in used)

    def _forget_colours(self):
        shown = {id(record) for record in self.records}
        self._colours = {key: slot for key, slot in self._colours.items() if key in shown}

    def _label_axis(self):
        title = header("metric", self.records) if self.quantity == "metric" else self.quantity
        self.getPlotItem().setLabel("left", title)

    # -- hover ----------------------------------------------------------------------------------

    def nearest(self, x, y):
        """``(record, epoch, value)`` of the point nearest ``(x, y)`` in view coordinates
        (log10 of the value on a log axis), or None when no run is shown."""
        box = self.getPlotItem().vb.viewRect()
        width, height = box.width() or 1.0, box.height() or 1.0
        log = self.getPlotItem().ctrl.logYCheck.isChecked()
        best = None
        for record in self.records:
            epochs, values = curve_values(record, self.quantity)
            if not len(epochs):
                continue
            row = int(np.clip(np.searchsorted(epochs, x), 0, len(epochs) - 1))
            for candidate in {max(row - 1, 0), row}:
                value = float(values[candidate])
                shown = math.log10(value) if log and value > 0 else value
                distance = math.hypot((epochs[candidate] - x) / width, (shown - y) / height)
                if best is None or distance < best[0]:
                    best = (distance, record, int(epochs[candidate]), value)
        return None if best is None else best[1:]

    def _on_mouse_moved(self, position):
        item = self.getPlotItem()
        found = None
        if item.sceneBoundingRect().contains(position):
            point = item.vb.mapSceneToView(position)
            found = self.nearest(point.x(), point.y())
        if found is None:
            self.readout.setText("")
            return
        record, epoch, value = found
        colour = self.colours().get(id(record))
        name = f'<b style="color: {colour.name()}">{html.escape(record.label)}</b>' if colour else html.escape(record.label)
        self.readout.setHtml(f"{name}<br>epoch {epoch}<br>{self.quantity} {value:.6g}")
        self.readout.setPos(point.x(), point.y())

    # -- export ---------------------------------------------------------------------------------

    def png_bytes(self, width=1200):
        """The plot as a PNG image (``width`` pixels wide), through pyqtgraph's ImageExporter."""
        from pyqtgraph.exporters import ImageExporter

        self.readout.setText("")
        exporter = ImageExporter(self.getPlotItem())
        exporter.parameters()["width"] = width
        image = exporter.export(toBytes=True)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):
            raise OSError("the plot could not be encoded as PNG")
        buffer.close()
        return bytes(data)
