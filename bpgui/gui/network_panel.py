"""The network area: editor strip, drawn network, colour legend and the clicked item's numbers.

The numbers of a clicked neuron or link come from one backpropagation step traced on the first
training row (``bpgui.engine.trace_sample``): net input, activation, delta, bias, weight,
dL/dw and the update −η·dL/dw; a neuron's mean |δ| is the one its colour shows (the view's
report: the frame drawn while training, the weights as they are at rest). While paused, the
value can be edited by hand.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from bpgui.engine import trace_sample
from bpgui.gui.network_editor import NetworkEditor
from bpgui.gui.network_view import COLOUR_MODES, NetworkView

LEGEND_TITLES = {"delta": "mean |δ| = |dL/dz|", "activation": "mean activation", "bias": "bias"}
LEGEND_WAITING = {"delta": "gradients: press Start or Step to see them",
                  "activation": "activations: press Start or Step to see them"}
"""What the legend says before a run has given it any numbers (no scale to read)."""
LINKS_NOTE = "links: orange +, blue −, width |w|"

def _number(value):
    """Six decimals, or six significant digits when that would round a non-zero value to
    0.000000 (a gradient of 3e-9 is not zero); never ``-0.000000``."""
    value = float(value)
    if value != 0 and abs(value) < 5e-7:
        return f"{value:.6g}"
    return f"{value + 0.0:.6f}".replace("-0.000000", "0.000000")


class ColourLegend(QWidget):
    """A bar of the colour map with the range it stands for; before any run, what to press."""

    MARGIN = 56  # room for the numbers on either side of the bar

    def __init__(self, view, parent=None):
        super().__init__(parent)
        self.setObjectName("colourLegend")
        self.view = view
        self.setMinimumSize(260, 34)
        self.setMaximumHeight(34)
        self.refresh()

    def labels(self):
        """``(low, high, caption)``: the range's ends ("" before any numbers) and the caption."""
        mode = self.view.colour_mode
        if not self.view.has_values:
            return "", "", LEGEND_WAITING.get(mode, LEGEND_TITLES[mode])
        high = self.view.legend_value
        low = -high if mode != "delta" else 0.0
        return f"{low:.3g}", f"{high:.3g}", f"{LEGEND_TITLES[mode]}   {LINKS_NOTE}"

    def refresh(self):
        """Take the view's current scale: new caption, tooltip and a repaint."""
        _, _, caption = self.labels()
        tip = f"Neuron colours: {caption}\nLinks: orange for positive weights, blue for negative, wider for larger |w|"
        if tip != self.toolTip():  # called every frame while training
            self.setToolTip(tip)
        self.update()

    def paintEvent(self, event):
        painter = QPainter(self)
        metrics = painter.fontMetrics()
        low, high, caption = self.labels()
        bar = self.rect().adjusted(self.MARGIN, 4, -self.MARGIN, -18)
        width = self.rect().right() - bar.left() - 2
        if not self.view.has_values:  # no scale yet: only what to press
            painter.drawText(bar.left(), self.rect().center().y() + metrics.ascent() // 2,
                             metrics.elidedText(caption, Qt.TextElideMode.ElideRight, width))
            painter.end()
            return
        painter.fillRect(bar, self.view.legend_gradient(QPointF(bar.left(), 0), QPointF(bar.right(), 0)))
        painter.drawRect(bar)
        painter.drawText(bar.left() - 6 - metrics.horizontalAdvance(low), bar.bottom(), low)
        painter.drawText(bar.right() + 6, bar.bottom(), high)
        painter.drawText(bar.left(), self.rect().bottom() - 3,
                         metrics.elidedText(caption, Qt.TextElideMode.ElideRight, width))
        painter.end()


class NetworkPanel(QWidget):
    """Editor, view, legend and the details of the selected neuron or link."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.editor = NetworkEditor(controller)
        self.view = NetworkView(controller)
        self.legend = ColourLegend(self.view)
        self.colour_combo = QComboBox()
        self.colour_combo.setObjectName("neuronColourCombo")
        self.colour_combo.addItems(list(COLOUR_MODES))
        self.colour_combo.setToolTip("Colour neurons by their backpropagated gradient (delta), activation or bias")
        self.details = QLabel("Click a neuron or a link to see its numbers.")
        self.details.setObjectName("networkDetails")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setWordWrap(True)
        self.edit_spin = QDoubleSpinBox()
        self.edit_spin.setObjectName("weightEditSpin")
        self.edit_spin.setRange(-1e6, 1e6)
        self.edit_spin.setDecimals(6)
        self.edit_spin.setToolTip("New value for the selected weight or bias (while not training)")
        self.edit_button = QPushButton("Set")
        self.edit_button.setObjectName("weightEditButton")
        self.edit_button.setToolTip("Write the value into the network")
        self._lay_out()
        self.colour_combo.currentTextChanged.connect(self._on_colour_mode)
        self.view.selectionChanged.connect(self.show_details)
        self.edit_button.clicked.connect(self.apply_edit)
        controller.reportReady.connect(self._on_report)
        controller.networkChanged.connect(self._on_network_changed)
        controller.stateChanged.connect(lambda *_: self.show_details(self.view.selection))
        self.show_details(None)

    def _lay_out(self):
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("Colour neurons by"))
        bottom.addWidget(self.colour_combo)
        bottom.addWidget(self.legend, 1)
        edit = QHBoxLayout()
        edit.addWidget(self.details, 1)
        edit.addWidget(self.edit_spin)
        edit.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.editor)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        layout.addLayout(edit)

    def _on_colour_mode(self, mode):
        self.view.set_colour_mode(mode)
        self.legend.refresh()

    def _on_report(self, _report):
        """The view drew a report (it is connected first): the legend follows; at rest the
        selection's numbers do too (while training they stay those of the frame clicked on)."""
        self.legend.refresh()
        if self.controller.state != "training" and self.view.selection is not None:
            self.show_details(self.view.selection)

    def _on_network_changed(self):
        if self.view.selection is not None and self.view._item_for(self.view.selection) is None:
            self.view.select(None)
        self.show_details(self.view.selection)
        self.legend.refresh()

    # -- details -----------------------------------------------------------------------------

    def _trace(self):
        controller = self.controller
        network = self.view.network_for(self.view.report)  # the weights the view draws
        X, Y = controller.targets("train")
        return trace_sample(network, controller.loss, X[0], Y[0], controller.trainer.learning_rate,
                            controller.config.train_biases), network

    def show_details(self, selection):
        editable = (selection is not None and self.controller.state != "training"
                    and not (selection.kind == "neuron" and selection.layer == 0))
        self.edit_spin.setEnabled(editable)
        self.edit_button.setEnabled(editable)
        if selection is None or self.controller.network is None:
            self.details.setText("Click a neuron or a link to see its numbers (first training row).")
            return
        trace, network = self._trace()
        if selection.kind == "neuron":
            text, value = self._neuron_text(selection, trace, network)
        else:
            text, value = self._link_text(selection, trace, network)
        self.details.setText(text)
        if value is not None and editable:
            self.edit_spin.setValue(value)

    def _neuron_text(self, selection, trace, network):
        layer, j = selection.layer, selection.index
        name = self.view.neuron_name(layer, j)
        named = f" ({name})" if name else ""
        if layer == 0:
            return f"input {j + 1}{named}: x = {_number(trace.x[j])} (first training row)", None
        step = trace.layers[layer - 1]
        bias = float(network.biases[layer - 1][j])
        report = self.view.report  # the numbers its colour and the legend show
        mean_delta = ""
        if report is not None and report.neuron_abs_delta is not None:
            mean_delta = f", mean |δ| {_number(report.neuron_abs_delta[layer - 1][j])}"
        return (f"layer {layer}, neuron {j + 1}{named}: net input z = {_number(step.net_input[j])}, "
                f"activation a = {_number(step.activation[j])}, delta δ = dL/dz = {_number(step.delta[j])}, "
                f"bias b = {_number(bias)}, dL/db = {_number(step.grad_biases[j])}{mean_delta}"), bias

    def _link_text(self, selection, trace, network):
        layer, i, j = selection.layer, selection.source, selection.index
        step = trace.layers[layer - 1]
        weight = float(network.weights[layer - 1][i, j])
        return (f"weight from layer {layer - 1} neuron {i + 1} to layer {layer} neuron {j + 1}: "
                f"w = {_number(weight)}, dL/dw = {_number(step.grad_weights[i, j])}, "
                f"update −η·dL/dw = {_number(step.update_weights[i, j])} (first training row)"), weight

    def apply_edit(self):
        """Write the spin box's value into the selected weight or bias (not while training)."""
        selection, controller = self.view.selection, self.controller
        if selection is None or controller.state == "training":
            return
        value = self.edit_spin.value()
        if selection.kind == "link":
            controller.network.weights[selection.layer - 1][selection.source, selection.index] = value
        elif selection.layer > 0:
            controller.network.biases[selection.layer - 1][selection.index] = value
        controller.weights_edited()
