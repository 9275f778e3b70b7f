"""What each input and each hidden neuron computes over the input plane, as tiny images.

A first row shows the network's inputs over the plane (the two features, then any derived
inputs such as ``x1^2``: what the network is given to work with), then one row of thumbnails
per hidden layer; hovering a thumbnail shows it large beside them. Each map is scaled to its
own range (blue = lowest, orange = highest).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from bpgui.visual import output_map
from bpgui.visual.network_layout import spread_layers
from bpgui.gui.views.base import ControllerView

MAP_GRID = 32  # cells per side of each neuron's map (smoothly scaled up; 48 cost twice as much);
# fewer for very wide networks (output_map.grid_size_for)
THUMBNAIL = 44  # pixels
LARGE = 240
MAX_NEURONS_PER_LAYER = 32  # wider layers show their first neurons and say how many more
MAPS_PER_ROW = 8  # a wider layer wraps onto more rows (no sideways scrolling beside the large map)
MAX_LAYERS = 12  # a deeper network maps this many hidden layers, evenly spread (50 layers took 150 ms a frame)


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
    """``neuronMapsView``: maps of the inputs and of every hidden neuron for 2-feature data.

    ``input_images`` (n_inputs, size, size, 4) and ``images[k]`` (hidden layer
    ``mapped_layers[k]``: every hidden layer, or :data:`MAX_LAYERS` of a deep network's, its
    first :data:`MAX_NEURONS_PER_LAYER` neurons: the ones shown) hold the RGBA maps;
    ``input_thumbnails`` and ``thumbnails[k]`` the labels showing them.
    """

    frame_interval = 0.25

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.setObjectName("neuronMapsView")
        self.grid = None
        self.images = []  # images[k][j]: RGBA map of neuron j of hidden layer mapped_layers[k]
        self.mapped_layers = []  # the hidden layers mapped (1 = the first): all, or a spread of a deep network's
        self._thumbnails_for = None  # (widths, mapped layers) the thumbnail labels were made for
        self.input_images = []  # input_images[j]: RGBA map of network input j
        self.thumbnails = []
        self.input_thumbnails = []
        self._inputs_drawn = False
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
        self.grid = None
        self._fit_grid(self.controller.network)
        self.redraw()

    def _fit_grid(self, network):
        """The grid over the data's plane, as fine as this network's width allows
        (:func:`~bpgui.visual.output_map.grid_size_for`); the inputs' maps with it."""
        data = self.controller.data
        size = output_map.grid_size_for(network.sizes, MAP_GRID) if network is not None else MAP_GRID
        if data is None or (self.grid is not None and self.grid.size == size):
            return
        self.grid = output_map.data_plane_grid(data, size)
        # the inputs over the plane change only with the data and the grid: computed and drawn once
        self.input_images = [] if self.grid is None else \
            output_map.layer_value_images(self.grid.points, self.grid.size)
        self._inputs_drawn = False

    def redraw(self):
        network = self.current_network()
        self._fit_grid(network)
        if self.grid is None or network is None or network.n_inputs != self.grid.points.shape[1]:
            self._set_message("Neuron maps need data with exactly two numeric input features."
                              if network is not None or self.controller.data is not None else
                              "Load data to see what each hidden neuron computes.")
            self.images, self.mapped_layers = [], []
            self._rebuild_thumbnails([])
            return
        if len(network.sizes) < 3:
            self._set_message("This network has no hidden layer.")
        else:
            self._set_message("")
        self.mapped_layers = spread_layers(len(network.sizes) - 2, MAX_LAYERS)
        self.images = output_map.hidden_neuron_images(network, self.grid, MAX_NEURONS_PER_LAYER,
                                                      self.mapped_layers)
        self._rebuild_thumbnails([len(self.input_images), *(network.sizes[l] for l in self.mapped_layers)])
        rows, layers = list(self.thumbnails), list(self.images)
        if not self._inputs_drawn:
            rows.insert(0, self.input_thumbnails)
            layers.insert(0, self.input_images)
            self._inputs_drawn = True
        for row, layer in zip(rows, layers):
            for label, image in zip(row, layer[:MAX_NEURONS_PER_LAYER]):
                label.setPixmap(pixmap_of(image, THUMBNAIL))
        if self._hovered is not None:
            self._show_large(self._hovered)

    def _set_message(self, text):
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _rebuild_thumbnails(self, widths):
        """Rows of thumbnail labels: the inputs (``widths[0]``), then each hidden layer."""
        key = (tuple(widths), tuple(self.mapped_layers))
        if key == self._thumbnails_for:
            return
        self._thumbnails_for = key
        self._hovered = None
        self._inputs_drawn = False  # new labels: the inputs' maps are drawn again
        while self._thumbnail_layout.count():
            item = self._thumbnail_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        names = self.controller.data.input_names if self.controller.data is not None else ()
        rows, grid_row = [], 0
        for drawn, width in enumerate(widths):  # row: 0 = the inputs, then the mapped layers
            title = "inputs" if drawn == 0 else f"layer {self.mapped_layers[drawn - 1]}"
            self._thumbnail_layout.addWidget(QLabel(title), grid_row, 0, Qt.AlignmentFlag.AlignTop)
            row = []
            shown = min(width, MAX_NEURONS_PER_LAYER)
            for j in range(shown):
                label = QLabel()
                label.setFixedSize(THUMBNAIL, THUMBNAIL)
                label.setProperty("neuron", (drawn, j))
                label.setToolTip(_map_title(self._layer_of(drawn), j, names))
                label.installEventFilter(self._hover)
                self._thumbnail_layout.addWidget(label, grid_row + j // MAPS_PER_ROW, 1 + j % MAPS_PER_ROW)
                row.append(label)
            if width > MAX_NEURONS_PER_LAYER:
                more = QLabel(f"… {width - MAX_NEURONS_PER_LAYER} more")
                column = 1 + shown % MAPS_PER_ROW  # the label spans the rest of its row, widening no column
                self._thumbnail_layout.addWidget(more, grid_row + shown // MAPS_PER_ROW, column, 1,
                                                 MAPS_PER_ROW + 1 - column)
                shown += 1
            rows.append(row)
            grid_row += max(-(-shown // MAPS_PER_ROW), 1)
        self.input_thumbnails, self.thumbnails = (rows[0], rows[1:]) if rows else ([], [])
        self._thumbnail_layout.setColumnStretch(MAPS_PER_ROW + 1, 1)
        for row in range(self._thumbnail_layout.rowCount()):  # an earlier network's last row is a row now
            self._thumbnail_layout.setRowStretch(row, 0)
        self._thumbnail_layout.setRowStretch(grid_row, 1)  # rows packed at the top

    def _show_large(self, label):
        drawn, j = label.property("neuron")
        layers = [self.input_images, *self.images]
        if drawn >= len(layers) or j >= len(layers[drawn]):
            return
        self._hovered = label
        self.large.setPixmap(pixmap_of(layers[drawn][j], LARGE))
        names = self.controller.data.input_names if self.controller.data is not None else ()
        what = "its value" if drawn == 0 else "its activation"
        self.caption.setText(f"{_map_title(self._layer_of(drawn), j, names)}: {what} over the input plane "
                             "(blue = its lowest value, orange = its highest).")

    def _layer_of(self, row):
        """The network layer (as drawn: 0 = the inputs) a row of maps shows."""
        return 0 if row == 0 else self.mapped_layers[row - 1]


def _map_title(drawn, j, input_names):
    """``Input x1^2`` or ``Layer 2, neuron 3``."""
    if drawn == 0:
        return f"Input {input_names[j]}" if j < len(input_names) else f"Input {j + 1}"
    return f"Layer {drawn}, neuron {j + 1}"
