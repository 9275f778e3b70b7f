"""What each hidden neuron has learned: its output over the input plane as a tiny image.

One row of thumbnails per hidden layer; hovering a thumbnail shows it large beside them.
Each map is scaled to its own neuron's range (blue = lowest, orange = highest).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from bpgui.visual import output_map
from bpgui.gui.views.base import ControllerView

MAP_GRID = 32  # cells per side of each neuron's map (smoothly scaled up; 48 cost twice as much)
THUMBNAIL = 44  # pixels
LARGE = 240
MAX_NEURONS_PER_LAYER = 32  # wider layers show their first neurons and say how many more
MAPS_PER_ROW = 8  # a wider layer wraps onto more rows (no sideways scrolling beside the large map)


def pixmap_of(image, side):
    """A QPixmap of an RGBA uint8 image (rows = y upwards), scaled to ``side`` pixels."""
    flipped = np.ascontiguousarray(image[::-1])  # image row 0 is the lowest y; Qt's is the top
    height, width = flipped.shape[:2]
    qimage = QImage(flipped.data, width, height, 4 * width, QImage.Format.Format_RGBA8888).copy()
    return QPixmap.fromImage(qimage).scaled(side, side, Qt.AspectRatioMode.IgnoreAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation)


class _HoverFilter(QObject):
    """Calls ``on_hover(label)`` when the mouse enters one of the watched labels."""

    def __init__(self, on_hover, parent):
        super().__init__(parent)
        self._on_hover = on_hover

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Enter:
            self._on_hover(watched)
        return False


class NeuronMapsView(ControllerView):
    """``neuronMapsView``: a grid of per-hidden-neuron output maps for 2-feature data."""

    frame_interval = 0.25

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.setObjectName("neuronMapsView")
        self.grid = None
        self.images = []  # images[l][j]: RGBA map of neuron j of hidden layer l + 1
        self.thumbnails = []
        self._hovered = None
        self._hover = _HoverFilter(self._show_large, self)
        self.large = QLabel()
        self.large.setObjectName("neuronMapLarge")
        self.large.setFixedSize(LARGE, LARGE)
        self.large.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel("Hover a map to see it large.")
        self.caption.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self._thumbnail_box = QWidget()
        self._thumbnail_layout = QGridLayout(self._thumbnail_box)
        self._thumbnail_layout.setSpacing(3)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._thumbnail_box)
        side = QVBoxLayout()
        side.addWidget(self.large)
        side.addWidget(self.caption)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(scroll, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.message)
        layout.addLayout(body, 1)
        self.on_data_changed()

    def on_data_changed(self):
        data = self.controller.data
        axes = output_map.plane_axes(data.preprocessor.columns) if data is not None else None
        self.grid = None
        if axes is not None:
            _, center, scale = axes
            X_all = np.vstack([data.X_train, data.X_val, data.X_test])
            self.grid = output_map.plane_grid(X_all, center, scale, MAP_GRID)
        self.redraw()

    def redraw(self):
        network = self.current_network()
        if self.grid is None or network is None or network.n_inputs != 2:
            self._set_message("Neuron maps need data with exactly two numeric input features."
                              if network is not None or self.controller.data is not None else
                              "Load data to see what each hidden neuron computes.")
            self.images = []
            self._rebuild_thumbnails([])
            return
        if len(network.sizes) < 3:
            self._set_message("This network has no hidden layer.")
        else:
            self._set_message("")
        self.images = output_map.hidden_neuron_images(network, self.grid)
        self._rebuild_thumbnails([len(layer) for layer in self.images])
        for l, layer in enumerate(self.images):
            for j, image in enumerate(layer[:MAX_NEURONS_PER_LAYER]):
                self.thumbnails[l][j].setPixmap(pixmap_of(image, THUMBNAIL))
        if self._hovered is not None:
            self._show_large(self._hovered)

    def _set_message(self, text):
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _rebuild_thumbnails(self, widths):
        if [len(row) for row in self.thumbnails] == [min(w, MAX_NEURONS_PER_LAYER) for w in widths]:
            return
        self._hovered = None
        while self._thumbnail_layout.count():
            item = self._thumbnail_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.thumbnails = []
        grid_row = 0
        for l, width in enumerate(widths):
            self._thumbnail_layout.addWidget(QLabel(f"layer {l + 1}"), grid_row, 0, Qt.AlignmentFlag.AlignTop)
            row = []
            shown = min(width, MAX_NEURONS_PER_LAYER)
            for j in range(shown):
                label = QLabel()
                label.setFixedSize(THUMBNAIL, THUMBNAIL)
                label.setProperty("neuron", (l, j))
                label.setToolTip(f"layer {l + 1}, neuron {j + 1}")
                label.installEventFilter(self._hover)
                self._thumbnail_layout.addWidget(label, grid_row + j // MAPS_PER_ROW, 1 + j % MAPS_PER_ROW)
                row.append(label)
            if width > MAX_NEURONS_PER_LAYER:
                more = QLabel(f"… {width - MAX_NEURONS_PER_LAYER} more")
                self._thumbnail_layout.addWidget(more, grid_row + shown // MAPS_PER_ROW, 1 + shown % MAPS_PER_ROW)
                shown += 1
            self.thumbnails.append(row)
            grid_row += max(-(-shown // MAPS_PER_ROW), 1)
        self._thumbnail_layout.setColumnStretch(MAPS_PER_ROW + 1, 1)
        self._thumbnail_layout.setRowStretch(grid_row, 1)  # rows packed at the top

    def _show_large(self, label):
        l, j = label.property("neuron")
        if l >= len(self.images) or j >= len(self.images[l]):
            return
        self._hovered = label
        self.large.setPixmap(pixmap_of(self.images[l][j], LARGE))
        self.caption.setText(f"Layer {l + 1}, neuron {j + 1}: its activation over the input "
                             "plane (blue = its lowest value, orange = its highest).")
