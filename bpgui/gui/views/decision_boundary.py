"""The decision boundary: the network's output over the input plane behind the data points."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout

from bpgui.engine.metrics import predicted_labels
from bpgui.gui.plots import on_white
from bpgui.visual import output_map
from bpgui.gui.views.base import ControllerView
from bpgui.gui.views.selection import sample_selection

POINT_SIZE = 8
OUTLINE = pg.mkPen(30, 30, 30, 200, width=1)


class DecisionBoundaryView(ControllerView):
    """Coloured output map (``decisionBoundaryView``) for data with two numeric features.

    Classification: class colours blended by probability (or the winning class only, with
    "Discretize"); regression: the predicted value of the first target on a diverging map.
    Clicking a training point selects it in the inspector.
    """

    def __init__(self, controller, parent=None, grid_size=output_map.GRID_SIZE):
        super().__init__(controller, parent)
        self.grid_size = grid_size
        self.grid = None
        self.axes = None
        self._place_image = False
        self.grid_outputs = None  # network outputs on grid.points, (size * size, n_outputs)
        self.last_redraw_ms = None
        self._value_levels = (0.0, 1.0)
        self._build_widgets()
        self.on_data_changed()

    def _build_widgets(self):
        self.plot = pg.PlotWidget(background="w")
        on_white(self.plot.plotItem)
        self.plot.setObjectName("decisionBoundaryView")
        self.plot.setMenuEnabled(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.train_points = pg.ScatterPlotItem(size=POINT_SIZE, pen=OUTLINE, hoverable=True,
                                               tip=self._point_tip)
        self.train_points.sigClicked.connect(self._point_clicked)
        self.held_out_points = pg.ScatterPlotItem(size=POINT_SIZE + 1, symbol="t", pen=pg.mkPen("k", width=1.5))
        self.plot.addItem(self.train_points)
        self.plot.addItem(self.held_out_points)
        self.discretize = QCheckBox("Discretize")
        self.discretize.setToolTip("Paint each point of the plane in the colour of its most likely class")
        self.discretize.toggled.connect(self.redraw)
        self.show_held_out = QCheckBox("Show test points")
        self.show_held_out.toggled.connect(self._update_held_out_visibility)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        controls = QHBoxLayout()
        controls.addWidget(self.discretize)
        controls.addWidget(self.show_held_out)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(controls)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.message)

    # -- controller hooks ------------------------------------------------------------------

    def on_data_changed(self):
        data = self.controller.data
        self.axes = output_map.plane_axes(data.preprocessor.columns) if data is not None else None
        self.grid = None
        if self.axes is None:
            self._show_unavailable(data)
            return
        names, center, scale = self.axes
        self.message.hide()
        self.plot.show()
        self.grid = output_map.data_plane_grid(data, self.grid_size)
        self._place_image = True  # ImageItem.setRect needs an image: placed at the next redraw
        self.plot.setLabel("bottom", names[0])
        self.plot.setLabel("left", names[1])
        classification = data.task == "classification"
        self.discretize.setVisible(classification)
        self._value_levels = self._target_levels(data)
        self._set_points(data)
        self.plot.getViewBox().setRange(QRectF(*self.grid.raw_rect), padding=0)
        self.redraw()

    # -- drawing ---------------------------------------------------------------------------

    def redraw(self):
        """Evaluate the network on the grid and repaint the map; remembers its cost in ms."""
        network = self.current_network()
        data = self.controller.data
        if self.grid is None or network is None or data is None or \
                network.n_inputs != self.grid.points.shape[1]:
            return
        started = time.perf_counter()
        self.grid_outputs = output_map.grid_outputs(network, self.grid)
        self.image.setImage(self._colour(data, self.grid_outputs), autoLevels=False)
        if self._place_image:
            self.image.setRect(QRectF(*self.grid.raw_rect))
            self._place_image = False
        self.last_redraw_ms = (time.perf_counter() - started) * 1000.0

    def _colour(self, data, outputs):
        size = self.grid.size
        if data.task == "classification":
            return output_map.classification_image(outputs, size, self.discretize.isChecked())
        values = output_map.in_chunks(lambda part: data.preprocessor.decode(part)[:, 0], outputs)
        return output_map.value_image(values, size, self._value_levels)

    def _target_levels(self, data):
        if data.task == "classification":
            return (0.0, 1.0)
        return output_map.value_levels(data.preprocessor.decode(data.Y_train)[:, 0])

    def _set_points(self, data):
        _, center, scale = self.axes
        train = output_map.to_raw(output_map.plane_features(data.X_train), center, scale)
        self.train_points.setData(pos=train, brush=self._brushes(data, data.Y_train),
                                  data=np.arange(len(train)))
        X_held, Y_held, name = (data.X_test, data.Y_test, "test") if len(data.X_test) else \
            (data.X_val, data.Y_val, "validation")
        self.show_held_out.setText(f"Show {name} points")
        self.show_held_out.setEnabled(len(X_held) > 0)
        held = output_map.to_raw(output_map.plane_features(X_held), center, scale)
        self.held_out_points.setData(pos=held, brush=self._brushes(data, Y_held))
        self._update_held_out_visibility()

    def _brushes(self, data, Y):
        if len(Y) == 0:
            return []
        if data.task == "classification":
            n_classes = len(data.classes)
            labels = predicted_labels(Y)  # a 0/1 column or one-hot rows → class index
            rgb = output_map.class_colours(n_classes)[labels]
        else:
            rgb = output_map.value_colours(data.preprocessor.decode(Y)[:, 0], self._value_levels)
        return [pg.mkBrush(*(np.round(c * 255).astype(int))) for c in rgb]

    def _update_held_out_visibility(self):
        self.held_out_points.setVisible(self.show_held_out.isChecked() and self.show_held_out.isEnabled())

    def _show_unavailable(self, data):
        self.plot.hide()
        self.image.clear()
        self.train_points.clear()
        self.held_out_points.clear()
        if data is None:
            text = "Load data to see the network's output over the input plane."
        else:
            text = (f"The decision boundary needs exactly two numeric input features; "
                    f"this data has {len(data.feature_names)} features and {data.n_inputs} "
                    "network inputs.")
        self.message.setText(text)
        self.message.show()

    # -- picking a sample ------------------------------------------------------------------

    def _point_clicked(self, item, points, event):
        if len(points):
            sample_selection(self.controller).sampleSelected.emit(int(points[0].data()))

    def _point_tip(self, x, y, data):
        return f"training row {int(data) + 1}: ({x:.4g}, {y:.4g}); click to inspect"
