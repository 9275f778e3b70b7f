"""The example gallery: every built-in example as a small picture of its data, one click away.

File > Open example… (``actionOpenExample``) shows it; the File > Examples menu lists the same
examples by name. Each picture is drawn from the example's own table: the first two features as
a scatter coloured by class (or by target value for regression), or the first image of an
image dataset (digits).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListView, QListWidget, QListWidgetItem, QVBoxLayout

from bpgui.data import detect_task
from bpgui.gui.colormap import diverging_rgb
from bpgui.visual.output_map import CLASS_COLOURS

THUMBNAIL = 112  # pixels, square
MAX_POINTS = 400  # points drawn per scatter, a subset of larger examples


def example_picture(table, targets, hidden=(), size=THUMBNAIL):
    """A QPixmap of ``size`` x ``size`` showing ``table`` (a bpgui Table) and its ``targets``.

    Pixel columns named ``pixel_<row>_<col>`` are drawn as the first row's image; a table of a
    few rows (a worked example) as its network, with ``hidden`` layer sizes; a regression with
    more than two features as the feature most correlated with the target against the target;
    otherwise the first two numeric features as a scatter, coloured by class or target value.
    """
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(255, 255, 255))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    target, regression = targets[0], detect_task(table, targets) == "regression"
    pixels = [name for name in table.columns if name.startswith("pixel_")]
    features = [name for name in table.columns if name not in targets and table.kind(name) == "numeric"]
    if pixels:
        _draw_image(painter, table, pixels, size)
    elif table.n_rows < 4:
        _draw_network(painter, (len(features), *hidden, len(targets)), size)
    elif len(features) > 2 and regression:
        values = np.asarray(table.column(target), float)
        best = max(features, key=lambda name: abs(_correlation(table.column(name), values)))
        _draw_scatter(painter, table, (best, target), target, regression, size)
    elif len(features) >= 2:
        _draw_scatter(painter, table, features[:2], target, regression, size)
    painter.setPen(QColor(190, 190, 190))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return pixmap


def _draw_image(painter, table, pixels, size):
    side = int(round(np.sqrt(len(pixels))))
    values = np.array([table.column(name)[0] for name in pixels[:side * side]], float)
    grey = 255 - np.clip(255 * values / max(values.max(), 1e-12), 0, 255).astype(np.uint8)
    image = QImage(np.ascontiguousarray(grey.reshape(side, side)).tobytes(), side, side, side,
                   QImage.Format.Format_Grayscale8)
    painter.drawImage(QRectF(8, 8, size - 16, size - 16), image.copy())


def _draw_scatter(painter, table, features, target, regression, size):
    x, y = (np.asarray(table.column(name), float) for name in features)
    keep = np.isfinite(x) & np.isfinite(y)
    rows = np.flatnonzero(keep)[:: max(1, int(keep.sum()) // MAX_POINTS)]
    if len(rows) == 0:
        return
    margin = 8.0
    px = _scaled(x[rows], margin, size - margin)
    py = _scaled(y[rows], size - margin, margin)  # y up
    painter.setPen(Qt.PenStyle.NoPen)
    for X, Y, colour in zip(px, py, _point_colours(table.column(target)[rows], regression)):
        painter.setBrush(QColor(*(int(c) for c in colour)))
        painter.drawEllipse(QPointF(X, Y), 2.2, 2.2)


def _scaled(values, start, stop):
    """``values`` mapped linearly from their range onto ``start`` … ``stop`` (pixels)."""
    low, high = float(values.min()), float(values.max())
    return start + (values - low) / ((high - low) or 1.0) * (stop - start)


def _draw_network(painter, sizes, size):
    """Circles per unit, layer by layer, joined by lines: a network too small for a scatter."""
    columns = [size * (0.18 + 0.64 * i / max(len(sizes) - 1, 1)) for i in range(len(sizes))]
    rows = [[size * (0.5 + (j - (n - 1) / 2) * 0.28) for j in range(n)] for n in sizes]
    painter.setPen(QColor(120, 120, 120))
    for (x0, ys0), (x1, ys1) in zip(zip(columns, rows), zip(columns[1:], rows[1:])):
        for y0 in ys0:
            for y1 in ys1:
                painter.drawLine(QPointF(x0, y0), QPointF(x1, y1))
    painter.setBrush(QColor(*(int(255 * c) for c in CLASS_COLOURS[1])))
    for x, ys in zip(columns, rows):
        for y in ys:
            painter.drawEllipse(QPointF(x, y), 7.0, 7.0)


def _correlation(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    keep = np.isfinite(a) & np.isfinite(b)
    if keep.sum() < 2 or a[keep].std() == 0 or b[keep].std() == 0:
        return 0.0
    return float(np.corrcoef(a[keep], b[keep])[0, 1])


def _point_colours(values, regression):
    """RGB 0..255 per point: a diverging map of a regression target, class colours else."""
    values = np.asarray(values)
    if regression:
        centred = values - np.nanmean(values)
        return diverging_rgb(centred / (np.nanmax(np.abs(centred)) or 1.0)).astype(int)
    _, codes = np.unique(values.astype(str), return_inverse=True)
    return (CLASS_COLOURS[codes % len(CLASS_COLOURS)] * 255).astype(int)


class ExampleGallery(QDialog):
    """``exampleGallery``: the examples as pictures; ``chosen`` holds the name picked (or None).

    Double-click a picture, or select one and press Open; the dialog is window-modal and
    opened with ``open()``, so it never blocks the caller.
    """

    def __init__(self, parent=None):
        from bpgui.data import EXAMPLES

        super().__init__(parent)
        self.setObjectName("exampleGallery")
        self.setWindowTitle("Open example")
        self.chosen = None
        self.list = QListWidget()
        self.list.setObjectName("exampleList")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.list.setGridSize(QSize(THUMBNAIL + 48, THUMBNAIL + 40))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        for name, example in EXAMPLES.items():
            item = QListWidgetItem(QIcon(self._picture(example)), name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(example.description)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(760, 560)

    @staticmethod
    def _picture(example):
        from bpgui.data import DataError

        try:
            table = example.make()
        except (DataError, ValueError, OSError):  # a picture is never worth a failure
            return example_picture_blank()
        targets = tuple(example.spec.targets or table.columns[-1:])
        return example_picture(table, targets, tuple(example.preset.get("hidden", ())))

    def select(self, name):
        """Select the picture of example ``name``."""
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentRow(row)
                return
        raise KeyError(name)

    def accept(self):
        item = self.list.currentItem()
        self.chosen = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        super().accept()


def example_picture_blank(size=THUMBNAIL):
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(245, 245, 245))
    return pixmap
