"""The drawn network: layers as columns, links by weight, neurons by their gradient.

The scene is built once per architecture; a report only recolours the items (brushes and
pens), so redrawing at the controller's pace (30 Hz at most) costs little. Layers wider than
:data:`MAX_SHOWN` neurons are drawn collapsed: the first neurons, then "… N more".
Input neurons carry the data's input names on their left and output neurons their class or
target on their right (:mod:`bpgui.gui.neuron_names`; long names cut, whole in the tooltip),
for the drawn neurons only.

Colouring (switch "Colour neurons by"): ``delta`` is the mean |dL/dz| over the probe rows
(warm half of the map, scaled to the largest), ``activation`` the mean activation and ``bias``
the neuron's bias (the whole diverging map, symmetric around 0). Links are orange for positive
and blue for negative weights, wider for larger magnitudes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QTransform
from PySide6.QtWidgets import (QGraphicsEllipseItem, QGraphicsLineItem, QGraphicsRectItem,
                               QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsView)

from bpgui.engine import Network
from bpgui.gui.colormap import NEGATIVE_LINK, POSITIVE_LINK, diverging, gradient
from bpgui.gui.neuron_names import neuron_names, short_label
from bpgui.visual.colormap import INPUT_NEURON_RGB, NEURON_OUTLINE_RGB
from bpgui.visual.network_layout import (LINK_ALPHA, MAX_SHOWN, WIDTH_STEPS, largest_weight,
                                         layer_title, link_codes, link_width, neuron_rgb,
                                         neuron_scale, shown_indices)

__all__ = ["COLOUR_MODES", "MAX_SHOWN", "WIDTH_STEPS", "NetworkView", "Selection", "link_codes",
           "shown_indices"]

COLUMN_GAP = 170.0
ROW_GAP = 34.0
RADIUS = 11.0
COLOUR_MODES = ("delta", "activation", "bias")
INPUT_FILL = QColor(*INPUT_NEURON_RGB)
OUTLINE = QColor(*NEURON_OUTLINE_RGB)
LABEL_GAP = 5.0  # between a neuron and its name
LABEL_POINT_SIZE = 9
MIN_WIDTH_SCALE = 0.35  # a deeper network than fits at this scale scrolls sideways
LINKS_PER_FRAME = 800  # links recoloured per frame while training (a deep network's take turns)


def _link_pens():
    """Pens by code ``positive * (WIDTH_STEPS + 1) + width step`` (see :func:`link_codes`)."""
    pens = []
    for positive in (False, True):
        colour = QColor(POSITIVE_LINK if positive else NEGATIVE_LINK)
        colour.setAlpha(LINK_ALPHA)
        pens += [QPen(colour, link_width(step)) for step in range(WIDTH_STEPS + 1)]
    return pens


@dataclass(frozen=True)
class Selection:
    """What was clicked: a neuron (``layer`` counts from 0 = input) or a link into ``layer``."""

    kind: str  # "neuron" or "link"
    layer: int
    index: int  # neuron index, or the receiving neuron of a link
    source: int = -1  # the sending neuron of a link


class NetworkView(QGraphicsView):
    """``networkView``: the network as a graph, recoloured from the controller's reports."""

    selectionChanged = Signal(object)  # Selection or None

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.setObjectName("networkView")
        self.controller = controller
        self.colour_mode = "delta"
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(300, 220)
        self.setToolTip("Click a neuron or a link to see its numbers")
        self.neurons = {}  # (layer, index) -> ellipse
        self.links = {}    # (layer, source, target) -> line; layer = the receiving layer
        # per layer, the drawn items in one order with their indices, for whole-layer updates
        self._link_rows = []    # (layer, sources (n,), targets (n,), lines, codes shown (n,))
        self._next_link_row = 0  # where the next frame's recolouring of links starts, while training
        self._neuron_rows = []  # (layer, indices (n,), ellipses, RGB shown (n, 3)); layer > 0
        self.selection = None
        self.scale_value = self.legend_value = 1.0  # colour scale; its top on the legend
        self.has_values = False  # False until there is something to colour by (no run yet)
        self.report = None  # the report the neuron colours and the legend come from
        self._sizes = None
        self._names = (None, None)  # input and output neuron names the scene was built with
        self._highlight = None
        self._pens = _link_pens()
        controller.networkChanged.connect(self.rebuild_if_needed)
        controller.reportReady.connect(self.show_report)
        controller.highlightRequested.connect(self.highlight)
        controller.stateChanged.connect(self._on_state)
        self.rebuild_if_needed()

    def _on_state(self, state):
        # Antialiased lines cost several times more to paint; while training the picture
        # changes up to 30 times a second and sharpness matters less than a fluid window.
        self.setRenderHint(QPainter.RenderHint.Antialiasing, state != "training")

    # -- building ----------------------------------------------------------------------------

    def rebuild_if_needed(self):
        network = self.controller.network
        if network is None:
            return
        names = neuron_names(self.controller.data, network.sizes)
        if network.sizes != self._sizes or names != self._names:
            self._build(network.sizes, names)
        self.show_network(network)

    def _position(self, layer, row, n_rows):
        return QPointF(layer * COLUMN_GAP, (row - (n_rows - 1) / 2.0) * ROW_GAP)

    def _build(self, sizes, names=(None, None)):
        scene = self.scene()
        scene.clear()
        self.neurons.clear()
        self.links.clear()
        self._highlight = None
        self._sizes, self._names = sizes, names
        positions = {}
        for layer, n_units in enumerate(sizes):
            shown = shown_indices(n_units)
            rows = len(shown) + (1 if len(shown) < n_units else 0)
            for row, index in enumerate(shown):
                positions[layer, index] = self._position(layer, row, rows)
            if len(shown) < n_units:
                more = QGraphicsSimpleTextItem(f"… {n_units - len(shown)} more")
                point = self._position(layer, rows - 1, rows)
                more.setPos(point.x() - 30, point.y() - 8)
                scene.addItem(more)
            title = QGraphicsSimpleTextItem(layer_title(layer, len(sizes), n_units))
            title.setFont(QFont(title.font().family(), 9, QFont.Weight.Bold))
            top = self._position(layer, 0, rows)
            title.setPos(top.x() - 35, top.y() - 46)
            scene.addItem(title)
        for layer in range(1, len(sizes)):
            for j in shown_indices(sizes[layer]):
                for i in shown_indices(sizes[layer - 1]):
                    line = QGraphicsLineItem(positions[layer - 1, i].x(), positions[layer - 1, i].y(),
                                             positions[layer, j].x(), positions[layer, j].y())
                    line.setZValue(0)
                    line.setData(0, Selection("link", layer, j, i))
                    scene.addItem(line)
                    self.links[layer, i, j] = line
        for (layer, index), point in positions.items():
            ellipse = QGraphicsEllipseItem(point.x() - RADIUS, point.y() - RADIUS, 2 * RADIUS, 2 * RADIUS)
            ellipse.setZValue(2)
            ellipse.setPen(QPen(OUTLINE, 1.2))
            ellipse.setBrush(QBrush(INPUT_FILL if layer == 0 else diverging(0.0)))
            ellipse.setData(0, Selection("neuron", layer, index))
            scene.addItem(ellipse)
            self.neurons[layer, index] = ellipse
        self._add_names(sizes, names, positions)
        self._link_rows = []
        for layer in range(1, len(sizes)):
            keys = [(i, j) for (l, i, j) in self.links if l == layer]
            sources, targets = (np.array(column, int) for column in zip(*keys))
            lines = [self.links[layer, i, j] for i, j in keys]
            self._link_rows.append((layer, sources, targets, lines, np.full(len(keys), -1)))
        self._neuron_rows = []
        for layer in range(1, len(sizes)):
            indices = np.array(shown_indices(sizes[layer]), int)
            ellipses = [self.neurons[layer, index] for index in indices]
            self._neuron_rows.append((layer, indices, ellipses, np.full((len(indices), 3), -1)))
        self._fit()

    def _add_names(self, sizes, names, positions):
        """Labels beside the drawn input (left) and output (right) neurons; tooltips on both."""
        inputs, outputs = names
        for layer, layer_names, word in ((0, inputs, "input"), (len(sizes) - 1, outputs, "output")):
            for index in shown_indices(sizes[layer]) if layer_names else ():
                name, point = layer_names[index], positions[layer, index]
                tip = f"{word} {index + 1}: {name}"
                label = QGraphicsSimpleTextItem(short_label(name))
                label.setFont(QFont(label.font().family(), LABEL_POINT_SIZE))
                label.setToolTip(tip)
                label.setData(0, Selection("neuron", layer, index))
                box = label.boundingRect()
                x = (point.x() - RADIUS - LABEL_GAP - box.width() if layer == 0
                     else point.x() + RADIUS + LABEL_GAP)
                label.setPos(x, point.y() - box.height() / 2)
                self.scene().addItem(label)
                self.neurons[layer, index].setToolTip(tip)

    def neuron_name(self, layer, index):
        """The data's name of an input or output neuron (``petal_length``, ``P(yes)``), or None."""
        if self._sizes is None:
            return None
        inputs, outputs = self._names
        names = inputs if layer == 0 else outputs if layer == len(self._sizes) - 1 else None
        return names[index] if names and 0 <= index < len(names) else None

    def _fit(self):
        rect = self.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20)
        self.scene().setSceneRect(rect)
        self._fit_view()

    def _fit_view(self):
        """The whole network in view; a network so deep that it would shrink below
        :data:`MIN_WIDTH_SCALE` (50 layers: a thin line) keeps that scale, or the one that
        fits its height, and scrolls sideways from its inputs."""
        rect = self.scene().sceneRect()
        viewport = self.viewport().size()
        if rect.width() <= 0 or rect.height() <= 0 or viewport.width() <= 0 or viewport.height() <= 0:
            return
        across, down = viewport.width() / rect.width(), viewport.height() / rect.height()
        if across >= min(down, MIN_WIDTH_SCALE):
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            return
        scale = min(down, MIN_WIDTH_SCALE)
        self.setTransform(QTransform.fromScale(scale, scale))
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self._sizes is not None:
            self._fit_view()

    # -- colouring ---------------------------------------------------------------------------

    def set_colour_mode(self, mode):
        if mode not in COLOUR_MODES:
            raise ValueError(f"unknown colour mode {mode!r}")
        self.colour_mode = mode
        report = self.controller.last_report
        if report is not None and self.controller.state == "training":
            self.show_report(report)
        else:
            self.show_network(self.controller.network)

    def network_for(self, report):
        """The network as it was at ``report`` (a copy built from its params when it has them)."""
        network = self.controller.network
        if report is None or report.params is None or self.controller.state != "training":
            return network
        snapshot = Network(network.sizes, network.activations, network.dtype)
        snapshot.params[...] = report.params
        return snapshot

    def show_report(self, report):
        network = self.network_for(report)
        if network is None or network.sizes != self._sizes:
            return
        self._colour_links(network)
        self._colour_neurons(network, report)

    def show_network(self, network):
        """Colour ``network`` (the controller's, just changed): while training, by the newest
        report; at rest, by the diagnostics of the weights as they are now (the newest report's
        were measured on earlier weights, or with another loss)."""
        if network is not None and network.sizes == self._sizes:
            controller = self.controller
            report = controller.last_report
            if report is not None and controller.state != "training":
                report = controller.current_report()
            self._colour_links(network)
            self._colour_neurons(network, report)

    def _colour_links(self, network):
        """Pen per link from its weight; widths come in WIDTH_STEPS steps so that a frame
        only touches the links whose pen really changed. While training, a frame recolours
        the links of :data:`LINKS_PER_FRAME` at most, layer after layer, going on where the
        last frame stopped (50 layers of 8 are 3,200 links: 15-30 ms a frame); at rest, all."""
        largest = largest_weight(network.weights)
        pens, rows = self._pens, self._link_rows
        if not rows:
            return
        training = self.controller.state == "training"
        first = self._next_link_row % len(rows) if training else 0
        budget = LINKS_PER_FRAME if training else None
        for step in range(len(rows)):
            index = (first + step) % len(rows)
            layer, sources, targets, lines, shown = rows[index]
            if budget is not None and step and budget < len(lines):
                self._next_link_row = index
                return
            codes = link_codes(network.weights[layer - 1][sources, targets], largest)
            for k in np.flatnonzero(codes != shown):
                lines[k].setPen(pens[codes[k]])
            shown[...] = codes
            if budget is not None:
                budget -= len(lines)
        self._next_link_row = first

    def neuron_values(self, network, report):
        """Per non-input layer, the values the neurons are coloured by (or None)."""
        if self.colour_mode == "bias":
            return list(network.biases)
        if report is None:
            return None
        values = report.neuron_abs_delta if self.colour_mode == "delta" else report.neuron_activation
        return list(values) if values is not None else None

    def _colour_neurons(self, network, report):
        self.report = report
        values = self.neuron_values(network, report)
        signed = self.colour_mode != "delta"
        self.has_values = values is not None
        self.legend_value, self.scale_value = neuron_scale(values)
        for layer, indices, ellipses, shown in self._neuron_rows:
            layer_values = None if values is None else values[layer - 1]
            rgb = neuron_rgb(layer_values, indices, self.scale_value, signed)
            for k in np.flatnonzero((rgb != shown).any(axis=1)):
                ellipses[k].setBrush(QBrush(QColor(*map(int, rgb[k]))))
            shown[...] = rgb

    def legend_gradient(self, start, stop):
        return gradient(self.colour_mode != "delta", start, stop)

    # -- interaction -------------------------------------------------------------------------

    def mousePressEvent(self, event):
        item = self.itemAt(event.position().toPoint())
        while item is not None and not isinstance(item.data(0), Selection):
            item = item.parentItem()
        self.select(item.data(0) if item is not None else None)
        super().mousePressEvent(event)

    def select(self, selection):
        """Mark ``selection`` (a :class:`Selection` or None) and announce it."""
        self.selection = selection
        item = self._item_for(selection)
        if isinstance(item, QGraphicsEllipseItem):
            item.setPen(QPen(QColor(0, 0, 0), 3.0))
        for ellipse in self.neurons.values():
            if ellipse is not item:
                ellipse.setPen(QPen(OUTLINE, 1.2))
        self.selectionChanged.emit(selection)

    def _item_for(self, selection):
        if selection is None:
            return None
        if selection.kind == "neuron":
            return self.neurons.get((selection.layer, selection.index))
        return self.links.get((selection.layer, selection.source, selection.index))

    def highlight(self, request):
        """Shade the column of ``request["layer"]`` (layers as drawn: the input is 0)."""
        if self._highlight is not None:
            self.scene().removeItem(self._highlight)
            self._highlight = None
        if not request or self._sizes is None:
            return
        column = int(request.get("layer", 0))
        if not 0 <= column < len(self._sizes):
            return
        rect = QRectF(column * COLUMN_GAP - 2 * RADIUS, self.scene().sceneRect().top() + 30,
                      4 * RADIUS, self.scene().sceneRect().height() - 40)
        band = QGraphicsRectItem(rect)
        band.setBrush(QBrush(QColor(255, 220, 90, 70)))
        band.setPen(QPen(Qt.PenStyle.NoPen))
        band.setZValue(-1)
        band.setToolTip(str(request.get("stage", "")))
        self.scene().addItem(band)
        self._highlight = band
        self.ensureVisible(band, 40, 0)  # a deep network scrolls to the column
