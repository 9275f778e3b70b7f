"""The network editor: derived inputs, hidden layers (neurons and activation each), the output.

The input and output sizes are shown, not edited: they follow the loaded data, whose derived
inputs (``x1^2``, ``sin(x1)``, …) ``derivedInputsButton`` chooses. The output activation
offers only what suits the task ("auto" picks the natural pair, as the command line does);
the loss combo of the hyperparameter panel then offers only valid pairs.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton,
                               QScrollArea, QSizePolicy, QSpinBox, QStyle, QVBoxLayout, QWidget)

from bpgui.engine import HIDDEN_ACTIVATIONS
from bpgui.engine.losses import TASK_OUTPUT_ACTIVATIONS

MAX_HIDDEN_LAYERS = 64
MAX_NEURONS = 4096
"""What the editor offers (the command line and model files take more: a network imported
with a wider layer keeps it, its spin box reaching that far). The drawing collapses layers
wider than a dozen neurons and the views stay paced, so both limits are about training time,
not drawing."""


def neurons(n):
    """``1 neuron``, ``2 neurons``."""
    return f"{n} neuron" if n == 1 else f"{n} neurons"


def change_architecture(parent, controller, architecture):
    """Apply ``architecture``, asking first when that replaces trained weights (the run ends
    and is kept in the Runs tab, as the question says).

    Returns True when it was applied.
    """
    if controller.has_trained and not controller.keeps_weights(architecture):
        answer = QMessageBox.question(
            parent, "Change the network?",
            "Changing the network starts training again from new initial weights; the run so "
            "far stays in the Runs tab. Change it?")
        if answer != QMessageBox.StandardButton.Yes:
            controller.configChanged.emit()  # put the widgets back
            return False
    try:
        controller.set_architecture(architecture)
    except ValueError as error:
        controller.errorOccurred.emit(str(error))
        controller.configChanged.emit()
        return False
    return True


def change_derived(parent, controller, derived):
    """Use these derived inputs (re-preparing the data, a new network), asking first when that
    replaces trained weights (the run is kept). Returns True when they were applied."""
    if tuple(derived) == controller.spec.derived:
        return False
    if controller.has_trained:
        answer = QMessageBox.question(
            parent, "Change the inputs?",
            "Changing the derived inputs rebuilds the network: training starts again from new "
            "initial weights; the run so far stays in the Runs tab. Change them?")
        if answer != QMessageBox.StandardButton.Yes:
            return False
    try:
        controller.set_derived(derived)
    except ValueError as error:  # DataError: one line naming the expression
        controller.errorOccurred.emit(str(error))
        return False
    return True


class LayerEditor(QWidget):
    """One hidden layer: a neuron count and an activation."""

    changed = Signal()

    def __init__(self, index, units, activation, parent=None):
        super().__init__(parent)
        self.units_spin = QSpinBox()
        self.units_spin.setObjectName(f"neuronsSpin{index}")
        self.units_spin.setRange(1, max(MAX_NEURONS, units))  # an imported wider layer is shown as it is
        self.units_spin.setValue(units)
        self.units_spin.setKeyboardTracking(False)
        self.units_spin.setToolTip(f"Neurons in hidden layer {index + 1}")
        self.activation_combo = QComboBox()
        self.activation_combo.setObjectName(f"activationCombo{index}")
        self.activation_combo.addItems(list(HIDDEN_ACTIVATIONS))
        self.activation_combo.setCurrentText(activation)
        self.activation_combo.setToolTip(f"Activation function of hidden layer {index + 1}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        layout.addWidget(QLabel(f"Hidden {index + 1}"))
        layout.addWidget(self.units_spin)
        layout.addWidget(self.activation_combo)
        self.units_spin.valueChanged.connect(self.changed)
        self.activation_combo.currentTextChanged.connect(self.changed)


class LayerStrip(QScrollArea):
    """The hidden layers' editors side by side, scrolling sideways once they outgrow the room
    the window gives them: adding layers never widens the window (at 8 layers the strip
    would otherwise squeeze the docks on the right to "B…" tabs)."""

    MIN_WIDTH = 120  # about one layer's editor: the least the strip shrinks to

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("hiddenLayersScroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        box = QWidget()
        self.row = QHBoxLayout(box)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.setWidget(box)
        self._bar_shown = False

    def sizeHint(self):
        """Wide enough for every layer (the box layout gives less when the window has less);
        tall enough for them and, when they scroll, the scroll bar under them."""
        inner = self.widget().sizeHint()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) if self._bar_shown else 0
        return QSize(inner.width(), inner.height() + bar)

    def minimumSizeHint(self):
        return QSize(min(self.MIN_WIDTH, self.widget().sizeHint().width()), self.sizeHint().height())

    def resizeEvent(self, event):
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._check_bar)  # not inside the layout's own pass

    def refit(self):
        """Take the editors' new size (call after adding or removing some)."""
        for index in range(self.row.count()):
            # shown now, not by the layout's queued show: until then they measure 0 wide
            self.row.itemAt(index).widget().setVisible(True)
        self.widget().adjustSize()
        self._check_bar()
        self.updateGeometry()

    def scroll_to_end(self):
        bar = self.horizontalScrollBar()
        bar.setValue(bar.maximum())

    def _check_bar(self):
        shown = self.widget().minimumSizeHint().width() > self.width()
        if shown != self._bar_shown:
            self._bar_shown = shown
            self.updateGeometry()


class NetworkEditor(QWidget):
    """A strip: input size, one :class:`LayerEditor` per hidden layer, the output layer."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.layer_editors = []
        self.input_label = QLabel()
        self.derived_button = QPushButton("x², sin…")
        self.derived_button.setObjectName("derivedInputsButton")
        self.derived_button.setToolTip("Derived inputs: add x1^2, x1*x2, sin(x1), … of the numeric "
                                       "features as extra inputs")
        self.output_label = QLabel()
        self.output_combo = QComboBox()
        self.output_combo.setObjectName("outputActivationCombo")
        self.output_combo.setToolTip("Activation of the output layer; auto pairs it with the task")
        self.add_button = QPushButton("+ layer")
        self.add_button.setObjectName("addLayerButton")
        self.add_button.setToolTip("Add a hidden layer after the last one")
        self.remove_button = QPushButton("− layer")
        self.remove_button.setObjectName("removeLayerButton")
        self.remove_button.setToolTip("Remove the last hidden layer")
        self.layers_scroll = LayerStrip()
        self.layers_box = self.layers_scroll.row
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        inputs = QVBoxLayout()
        inputs.addWidget(self.input_label)
        inputs.addWidget(self.derived_button)
        layout.addLayout(inputs)
        layout.addWidget(self.layers_scroll)
        output = QVBoxLayout()
        output.addWidget(self.output_label)
        output.addWidget(self.output_combo)
        layout.addLayout(output)
        layout.addStretch(1)
        layout.addWidget(self.add_button)
        layout.addWidget(self.remove_button)
        self.add_button.clicked.connect(self.add_layer)
        self.remove_button.clicked.connect(self.remove_layer)
        self.derived_button.clicked.connect(self.choose_derived)
        self.output_combo.currentTextChanged.connect(self._on_edited)
        controller.networkChanged.connect(self.refresh)
        controller.configChanged.connect(self.force_refresh)
        controller.stateChanged.connect(self._on_state)
        self._filling = False
        self._shown = None
        self.refresh()

    def refresh(self):
        """Show the controller's architecture and the data's input and output sizes."""
        architecture, network = self.controller.architecture, self.controller.network
        shown = (architecture, network.sizes if network is not None else None, self.controller.task)
        if shown == self._shown:
            return
        self._shown = shown
        self._filling = True
        try:
            while self.layer_editors:
                editor = self.layer_editors.pop()
                self.layers_box.removeWidget(editor)
                editor.hide()  # gone at once, not when the deferred delete runs
                editor.deleteLater()
            for index, (units, activation) in enumerate(zip(architecture.hidden, architecture.activations)):
                editor = LayerEditor(index, units, activation, self)
                editor.changed.connect(self._on_edited)
                self.layers_box.addWidget(editor)
                self.layer_editors.append(editor)
            if network is not None:
                derived = len(self.controller.spec.derived) if self.controller.spec else 0
                extra = f" ({derived} derived)" if derived else ""
                self.input_label.setText(f"Input\n{neurons(network.n_inputs)}{extra}")
                self.output_label.setText(f"Output: {neurons(network.n_outputs)}")
            self.output_combo.clear()
            self.output_combo.addItems(["auto", *TASK_OUTPUT_ACTIVATIONS[self.controller.task]])
            self.output_combo.setCurrentText(architecture.output_activation)
        finally:
            self._filling = False
        # place the new editors now: until the deferred layout request runs they would sit
        # at the strip's top-left corner, over the input label
        self.layers_scroll.refit()
        self.layout().activate()
        self._on_state(self.controller.state)

    def force_refresh(self):
        self._shown = None
        self.refresh()

    def read_architecture(self):
        hidden = [editor.units_spin.value() for editor in self.layer_editors]
        activations = [editor.activation_combo.currentText() for editor in self.layer_editors]
        output = self.output_combo.currentText() or "auto"
        architecture = self.controller.architecture.with_hidden(hidden, activations)
        if output != architecture.output_activation:
            architecture = architecture.replace(output_activation=output, loss="auto")
        return architecture

    def add_layer(self):
        architecture = self.controller.architecture
        if len(architecture.hidden) >= MAX_HIDDEN_LAYERS:
            return
        units = architecture.hidden[-1] if architecture.hidden else 8
        activation = architecture.activations[-1] if architecture.activations else "tanh"
        if change_architecture(self, self.controller, architecture.with_hidden(
                [*architecture.hidden, units], [*architecture.activations, activation])):
            QTimer.singleShot(0, self.layers_scroll.scroll_to_end)  # the new layer in sight

    def remove_layer(self):
        architecture = self.controller.architecture
        if architecture.hidden:
            change_architecture(self, self.controller, architecture.with_hidden(
                architecture.hidden[:-1], architecture.activations[:-1]))

    def choose_derived(self):
        """Open the choice of derived inputs (window-modal, returns at once); return the dialog."""
        from bpgui.gui.derived_inputs_dialog import DerivedInputsDialog

        controller = self.controller
        if controller.data is None:
            return None
        dialog = DerivedInputsDialog(controller.data, controller.table.columns, self.window())
        dialog.accepted.connect(lambda: change_derived(self, controller, dialog.chosen()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _on_edited(self, *_):
        if self._filling or self.controller.data is None:
            return
        architecture = self.read_architecture()
        if architecture != self.controller.architecture:
            change_architecture(self, self.controller, architecture)

    def _on_state(self, state):
        editable = state != "training" and self.controller.data is not None
        for widget in (self.add_button, self.remove_button, self.output_combo, self.derived_button):
            widget.setEnabled(editable)
        self.add_button.setEnabled(editable and len(self.layer_editors) < MAX_HIDDEN_LAYERS)
        self.add_button.setToolTip("Add a hidden layer after the last one" if len(self.layer_editors) < MAX_HIDDEN_LAYERS
                                   else f"At most {MAX_HIDDEN_LAYERS} hidden layers here (bpgui train --hidden takes more)")
        self.remove_button.setEnabled(editable and bool(self.layer_editors))
        for editor in self.layer_editors:
            editor.setEnabled(editable)
