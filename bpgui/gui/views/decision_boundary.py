"""The decision boundary: the network's output over the input plane behind the data points.

With the drawing tools (``drawDataButton`` and its row, :mod:`.drawing_tools`) the plane takes
clicks: a left click adds a point at the clicked raw feature values (the plot's axes are raw
units: the map is placed by mapping its scaled grid back), a right click removes the nearest
point, as the user sees it (distances in pixels).
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout

from bpgui.engine.metrics import predicted_labels
from bpgui.gui.drawing_session import drawing_session
from bpgui.gui.plots import on_white
from bpgui.visual import output_map
from bpgui.gui.views.base import ControllerView
from bpgui.gui.views.drawing_tools import DrawingTools
from bpgui.gui.views.selection import sample_selection

POINT_SIZE = 8
OUTLINE = pg.mkPen(30, 30, 30, 200, width=1)
_BRUSHES = {}  # (r, g, b) -> QBrush, shared; see brushes


def brushes(rgb):
    """One brush per point for colours ``rgb`` (n, 3) in 0..1, the same QBrush object for the
    same colour: pyqtgraph renders a symbol per distinct brush *object*, so a brush per
    point cost ~25 ms a redraw for 1000 points, and re-rendered them at every data change."""
    keys = [tuple(c) for c in np.round(np.asarray(rgb) * 255).astype(int).tolist()]
    for key in set(keys) - _BRUSHES.keys():
        _BRUSHES[key] = pg.mkBrush(*key)
    return [_BRUSHES[key] for key in keys]


class DecisionBoundaryView(ControllerView):
    """Coloured output map (``decisionBoundaryView``) for data with two numeric features.

    Classification: class colours blended by probability (or the winning class only, with
    "Discretize"); regression: the predicted value of the first target on a diverging map.
    Clicking a training point selects it in the inspector; in draw mode clicks draw instead.
    """

    def __init__(self, controller, parent=None, grid_size=output_map.GRID_SIZE):
        super().__init__(controller, parent)
        self.grid_size = grid_size
        self.grid = None
        self._grid_rect = None  # raw (x, y, width, height) the grid covers; None: the data's extent
        self.axes = None
        self._place_image = False
        self.grid_outputs = None  # network outputs on grid.points, (size * size, n_outputs)
        self.last_redraw_ms = None
        self._value_levels = (0.0, 1.0)
        self._drawn = None  # (drawing, its version, value levels) the drawn points show
        self.session = drawing_session(controller)
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
        self.drawn_points = pg.ScatterPlotItem(size=POINT_SIZE + 1, pen=OUTLINE, hoverable=True,
                                               tip=self._drawn_tip)
        self.plot.addItem(self.train_points)
        self.plot.addItem(self.held_out_points)
        self.plot.addItem(self.drawn_points)
        self.plot.scene().sigMouseClicked.connect(self._plot_clicked)
        self.tools = DrawingTools(self.controller)
        self.tools.modeChanged.connect(self._on_draw_mode)
        self.session.changed.connect(self._on_drawing_changed)
        self._connections.append((self.session.changed, self._on_drawing_changed))  # undone on close
        self.discretize = QCheckBox("Discretize")
        self.discretize.setToolTip("Paint each point of the plane in the colour of its most likely class")
        self.discretize.toggled.connect(self.redraw)
        self.show_held_out = QCheckBox("Show test points")
        self.show_held_out.toggled.connect(self._update_held_out_visibility)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        controls = QHBoxLayout()
        controls.addWidget(self.discretize)
        controls.addWidget(self.show_held_out)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(controls)
        layout.addWidget(self.tools)
        layout.addWidget(self.message)  # instead of the plot, at the top
        layout.addWidget(self.plot, 1)
        layout.addStretch(0)  # takes the room only when the plot is hidden

    def _show_plane(self, drawing_tools=True):
        """The plot (and the rows above it) instead of the message."""
        self.message.hide()
        self.plot.show()
        self.tools.setVisible(drawing_tools)
        self.show_held_out.show()

    # -- controller hooks ------------------------------------------------------------------

    def on_data_changed(self):
        data = self.controller.data
        if self._plane_only():
            self._show_plane_only()
            return
        self.axes = output_map.plane_axes(data.preprocessor.columns) if data is not None else None
        self.grid = None
        if self.axes is None:
            self._show_unavailable(data)
            return
        names, center, scale = self.axes
        self._show_plane()
        n_classes = len(data.classes) if data.classes is not None else 0
        if n_classes > len(output_map.CLASS_COLOURS):  # 200 classes: say why colours repeat
            self.message.setText(f"{n_classes} classes share {len(output_map.CLASS_COLOURS)} colours: "
                                 "a colour stands for several classes.")
            self.message.show()
        self._grid_rect = self.session.drawing.plane_rect() if self.session.installed else None
        self.grid = output_map.data_plane_grid(data, self._cells(self.controller.network), self._grid_rect)
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
        if self.grid.size != self._cells(network):  # a wider or narrower network: as fine as it allows
            self.grid = output_map.data_plane_grid(data, self._cells(network), self._grid_rect)
            self._place_image = True
        self.grid_outputs = output_map.grid_outputs(network, self.grid)
        self.image.setImage(self._colour(data, self.grid_outputs), autoLevels=False)
        if self._place_image:
            self.image.setRect(QRectF(*self.grid.raw_rect))
            self._place_image = False
        self.last_redraw_ms = (time.perf_counter() - started) * 1000.0

    def _cells(self, network):
        """Cells per side of the map: ``grid_size``, fewer for a very wide network."""
        return self.grid_size if network is None else output_map.grid_size_for(network.sizes, self.grid_size)

    def _colour(self, data, outputs):
        size = self.grid.size
        if data.task == "classification":
            return output_map.classification_image(outputs, size, self.discretize.isChecked(),
                                                   self._palette(data))
        values = output_map.in_chunks(lambda part: data.preprocessor.decode(part)[:, 0], outputs)
        return output_map.value_image(values, size, self._value_levels)

    def _target_levels(self, data):
        if data.task == "classification":
            return (0.0, 1.0)
        drawing = self.session.drawing
        if drawing is not None and drawing.task == "regression" and len(drawing):
            return output_map.value_levels(drawing.values)
        return output_map.value_levels(data.preprocessor.decode(data.Y_train)[:, 0])

    def _palette(self, data):
        """RGB 0..1 (n_classes, 3) of the data's classes: a drawing's class keeps its colour."""
        order = None
        if self.session.drawing is not None:
            order = [self.session.colour_index(label) for label in data.classes]
            order = None if None in order else order
        return output_map.class_colours(len(data.classes), order)

    def _set_points(self, data):
        drawing = self.session.drawing
        self.train_points.setVisible(drawing is None)
        if drawing is None:
            self.drawn_points.clear()
            self._drawn = (None, None, self._value_levels)
        else:
            self._set_drawn_points()
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
            labels = predicted_labels(Y)  # a 0/1 column or one-hot rows → class index
            rgb = self._palette(data)[labels]
        else:
            rgb = output_map.value_colours(data.preprocessor.decode(Y)[:, 0], self._value_levels)
        return brushes(rgb)

    def _update_held_out_visibility(self):
        self.held_out_points.setVisible(self.show_held_out.isChecked() and self.show_held_out.isEnabled())

    def _show_unavailable(self, data):
        """No plane to show: a message at the top, without the rows of the plot and drawing
        (nothing there can be used; the message says how to draw instead)."""
        self.plot.hide()
        for widget in (self.tools, self.discretize, self.show_held_out):
            widget.hide()
        self.image.clear()
        self.train_points.clear()
        self.held_out_points.clear()
        self.drawn_points.clear()
        if data is None:
            text = "Load data to see the network's output over the input plane."
        else:
            text = (f"The decision boundary needs exactly two numeric input features; "
                    f"this data has {len(data.feature_names)} features and {data.n_inputs} "
                    "network inputs.")
        self.message.setText(f"{text}\nTo draw data points of your own, choose File › New drawing.")
        self.message.show()

    # -- picking a sample ------------------------------------------------------------------

    def _point_clicked(self, item, points, event):
        if len(points) and not self.tools.drawing_on:
            sample_selection(self.controller).sampleSelected.emit(int(points[0].data()))

    def _point_tip(self, x, y, data):
        return f"training row {int(data) + 1}: ({x:.4g}, {y:.4g}); click to inspect"

    # -- drawing -----------------------------------------------------------------------------

    def _plane_only(self):
        """True for a new drawing not yet trainable: its plane, no data and no map."""
        return self.session.fresh and self.session.drawing is not None and not self.session.installed

    def _show_plane_only(self):
        drawing = self.session.drawing
        self.grid = self.grid_outputs = None
        self.axes = None
        self.image.clear()
        self.train_points.clear()
        self.held_out_points.clear()
        self._show_plane()
        self.discretize.setVisible(drawing.task == "classification")
        self.show_held_out.setEnabled(False)
        self.plot.setLabel("bottom", "x1")
        self.plot.setLabel("left", "x2")
        self._value_levels = (output_map.value_levels(drawing.values) if len(drawing)
                              else (0.0, 1.0))
        self._set_drawn_points()
        self.plot.getViewBox().setRange(QRectF(*drawing.plane_rect()), padding=0)

    def _set_drawn_points(self):
        drawing = self.session.drawing
        self._drawn = (drawing, drawing.version, self._value_levels)
        if not len(drawing):
            self.drawn_points.clear()
            return
        if drawing.task == "classification":
            order = [drawing.classes.index(label) for label in drawing.values]
            rgb = output_map.class_colours(len(order), order)
        else:
            rgb = output_map.value_colours(np.array(drawing.values), self._value_levels)
        self.drawn_points.setData(pos=drawing.points, data=np.arange(len(drawing)), brush=brushes(rgb))

    def _on_drawing_changed(self):
        if self._plane_only():
            self._show_plane_only()
        elif self._drawn == (self.session.drawing, getattr(self.session.drawing, "version", None),
                             self._value_levels):
            return  # drawn already (the data change that came first redrew the points)
        elif self.axes is not None and self.controller.data is not None:
            if self.session.drawing is not None and self.controller.data.task == "regression":
                self._value_levels = self._target_levels(self.controller.data)
            self._set_points(self.controller.data)
        else:
            self.on_data_changed()

    def _on_draw_mode(self, on):
        self.plot.getViewBox().setMouseEnabled(not on, not on)  # the plane stays put
        self.plot.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        self._on_drawing_changed()

    def _plot_clicked(self, event):
        """Draw mode: a left click adds a point there, a right click removes the nearest."""
        if not self.tools.drawing_on:
            return
        box = self.plot.getViewBox()
        if not box.sceneBoundingRect().contains(event.scenePos()):
            return  # on an axis
        where = box.mapSceneToView(event.scenePos())
        try:
            if event.button() == Qt.MouseButton.LeftButton:
                self.session.add(where.x(), where.y(), self.tools.value())
            elif event.button() == Qt.MouseButton.RightButton:
                self.session.remove_nearest(where.x(), where.y(), box.viewPixelSize())
            else:
                return
        except ValueError as error:  # a label not offered, say: said, never raised
            self.tools.status.setText(str(error))
        event.accept()

    def _drawn_tip(self, x, y, data):
        value = self.session.drawing.values[int(data)] if self.session.drawing is not None else ""
        kind = "class" if isinstance(value, str) else "value"
        return f"drawn point {int(data) + 1}: ({x:.4g}, {y:.4g}), {kind} {value}"
