"""Every hyperparameter the engine has, as a form; combo texts are the registry keys.

Each ``TrainConfig`` field is one row of :data:`CONFIG_FIELDS`; editing a row hands a new
config to the controller (which, while training, takes it between batches and carries on).
The loss and the initialisation belong to the :class:`Architecture`: changing them rebuilds
the trainer (the loss keeps the weights; a new initialisation draws new ones).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QFormLayout, QGroupBox, QSpinBox

from bpgui.engine import INITIALIZERS, OPTIMIZERS, VALID_LOSSES
from bpgui.gui.network_editor import change_architecture
from bpgui.gui.schedule_panel import ScheduleRows
from bpgui.gui.number_spin import NumberSpinBox


@dataclass(frozen=True)
class Field:
    """One ``TrainConfig`` field as a widget: ``kind`` is "float", "int", "bool" or "choice".

    A float field is a :class:`NumberSpinBox`: ``steps="log"`` moves one significant digit a
    step (0.001 → 0.002, first step up from 0 to ``first``), ``steps="linear"`` adds ``step``.
    """

    key: str
    object_name: str
    label: str
    kind: str
    tooltip: str
    low: float = 0.0
    high: float = 1.0
    steps: str = "log"
    optional: bool = False  # 0 in the widget means None in the config
    off_at_zero: bool = False  # 0 switches the setting off: the spin box then reads "off"
    step: float = 0.01
    first: float | None = None

    def __post_init__(self):
        if self.steps not in ("log", "linear"):  # also catches a stale positional decimals
            raise ValueError(f"Field {self.key}: steps is 'log' or 'linear', not {self.steps!r}")


CONFIG_FIELDS = (
    Field("learning_rate", "learningRateSpin", "Learning rate", "float",
          "How far each update moves the weights along the negative gradient. Type 0.001 or "
          "1e-3; the arrows move one digit (0.001, 0.002, …, 0.01).", 1e-12, 1e6),
    Field("optimizer", "optimizerCombo", "Optimizer", "choice",
          "The update rule: plain gradient descent, with momentum, or adaptive (RMSprop, Adam)."),
    Field("momentum", "momentumSpin", "Momentum", "float",
          "Fraction of the previous update carried into the next one (momentum and nesterov).", 0.0, 0.999,
          "linear"),
    Field("beta1", "beta1Spin", "Adam β1", "float",
          "Decay rate of Adam's running mean of the gradients.", 0.0, 0.9999, "linear"),
    Field("beta2", "beta2Spin", "Adam β2", "float",
          "Decay rate of Adam's running mean of the squared gradients.", 0.0, 0.99999, "linear", step=0.001),
    Field("rho", "rhoSpin", "RMSprop ρ", "float",
          "Decay rate of RMSprop's running mean of the squared gradients.", 0.0, 0.9999, "linear"),
    Field("eps", "epsSpin", "ε", "float",
          "Small number added to the denominator of adaptive optimisers to avoid dividing by zero "
          "(type 1e-8).", 1e-12, 1e-2),
    Field("batch_size", "batchSizeSpin", "Batch size", "int",
          "Samples per weight update: 1 is online learning, the number of rows is full batch.", 1, 1_000_000),
    Field("max_epochs", "epochsSpin", "Epochs", "int",
          "How many passes over the training data one run makes at most.", 1, 10_000_000),
    Field("l2", "l2Spin", "L2", "float",
          "Weight decay: adds λ/2 · Σ W² to the loss, pulling weights towards zero (0: off; type 1e-4 or 0.0001).",
          0.0, 10.0, off_at_zero=True, first=1e-4),
    Field("l1", "l1Spin", "L1", "float",
          "Adds λ · Σ |W| to the loss, pushing small weights to exactly zero (0: off; type 1e-4 or 0.0001).",
          0.0, 10.0, off_at_zero=True, first=1e-4),
    Field("dropout", "dropoutSpin", "Dropout", "float",
          "Probability of switching off each hidden neuron during a training step (0: off).", 0.0, 0.95,
          "linear", off_at_zero=True, step=0.05),
    Field("clip_norm", "clipNormSpin", "Clip norm", "float",
          "Scale the gradient down when its norm exceeds this (0 switches clipping off).", 0.0, 1e6,
          off_at_zero=True, first=0.1),
    Field("seed", "seedSpin", "Seed", "int",
          "Random seed of the initial weights and the shuffling, so a run can be repeated. Before "
          "any training, changing it draws the initial weights from it.", 0, 2**31 - 1),
    Field("train_biases", "trainBiasesCheck", "Train biases", "bool",
          "Update the biases too; switch off to keep them frozen as in the textbook example."),
    Field("shuffle", "shuffleCheck", "Shuffle", "bool",
          "Shuffle the training rows every epoch; off keeps file order for the batches."),
    Field("target_loss", "targetLossSpin", "Target loss", "float",
          "Stop once the training loss falls to this value (0 switches it off).", 0.0, 1e6,
          optional=True, off_at_zero=True, first=0.001),
    Field("early_stopping", "earlyStoppingSpin", "Early stopping", "int",
          "Stop after this many epochs without a better validation loss (0 switches it off).", 0, 100_000,
          off_at_zero=True),
)

LOSS_TOOLTIP = "The error the network minimises; only losses that pair with the output activation are offered."
INIT_TOOLTIP = "How the initial weights are drawn: Glorot, He, or uniform on ± the range."


def _make_widget(field):
    if field.kind == "choice":
        widget = QComboBox()
        widget.addItems(list(OPTIMIZERS))
    elif field.kind == "bool":
        widget = QCheckBox()
    elif field.kind == "int":
        widget = QSpinBox()
        widget.setRange(int(field.low), int(field.high))
    else:
        widget = NumberSpinBox(field.low, field.high, field.steps, field.step, field.first)
    if isinstance(widget, QAbstractSpinBox):
        widget.setKeyboardTracking(False)
    if field.off_at_zero:
        widget.setSpecialValueText("off")  # shown at the minimum, 0
    widget.setObjectName(field.object_name)
    widget.setToolTip(field.tooltip)
    return widget


class HyperparameterPanel(QGroupBox):
    """A form over ``controller.config`` plus the loss and the initialisation."""

    def __init__(self, controller, parent=None):
        super().__init__("Hyperparameters", parent)
        self.controller = controller
        self._filling = False
        self.widgets = {field.key: _make_widget(field) for field in CONFIG_FIELDS}
        self.loss_combo = QComboBox()
        self.loss_combo.setObjectName("lossCombo")
        self.loss_combo.setToolTip(LOSS_TOOLTIP)
        self.init_combo = QComboBox()
        self.init_combo.setObjectName("initCombo")
        self.init_combo.addItems(list(INITIALIZERS))
        self.init_combo.setToolTip(INIT_TOOLTIP)
        self.init_range_spin = NumberSpinBox(0.001, 10.0)
        self.init_range_spin.setObjectName("initRangeSpin")
        self.init_range_spin.setKeyboardTracking(False)
        self.init_range_spin.setToolTip("Half-width of the uniform initialisation: weights start in ± this range.")
        self.schedule_rows = ScheduleRows(controller, self)
        self._lay_out()
        self._connect()
        controller.configChanged.connect(self.fill)
        controller.dataChanged.connect(self.fill)
        controller.networkChanged.connect(self._fill_losses)
        controller.stateChanged.connect(self._on_state)
        self.fill()

    def _lay_out(self):
        form = QFormLayout(self)
        self.rows = {}
        for field in CONFIG_FIELDS:
            form.addRow(field.label, self.widgets[field.key])
            if field.key == "max_epochs":
                form.addRow("Loss", self.loss_combo)
            if field.key == "learning_rate":
                self.schedule_rows.add_to(form)
        form.addRow("Initialisation", self.init_combo)
        form.addRow("Init range", self.init_range_spin)
        self.form = form

    def _connect(self):
        for field in CONFIG_FIELDS:
            widget = self.widgets[field.key]
            if field.kind == "choice":
                widget.currentTextChanged.connect(self._on_config_edited)
            elif field.kind == "bool":
                widget.toggled.connect(self._on_config_edited)
            else:
                widget.valueChanged.connect(self._on_config_edited)
        self.loss_combo.currentTextChanged.connect(self._on_architecture_edited)
        self.init_combo.currentTextChanged.connect(self._on_architecture_edited)
        self.init_range_spin.valueChanged.connect(self._on_architecture_edited)

    # -- widgets ⇄ settings ------------------------------------------------------------------

    def read_config(self):
        """The config the widgets show: a ``TrainConfig``."""
        values = {}
        for field in CONFIG_FIELDS:
            widget = self.widgets[field.key]
            if field.kind == "choice":
                value = widget.currentText()
            elif field.kind == "bool":
                value = widget.isChecked()
            else:
                value = widget.value()
            if field.optional and not value:
                value = None
            values[field.key] = value
        return self.controller.config.replace(**values)

    def fill(self):
        """Show ``controller.config`` and the architecture's loss and initialisation."""
        self._filling = True
        try:
            config = self.controller.config
            for field in CONFIG_FIELDS:
                widget, value = self.widgets[field.key], getattr(config, field.key)
                if field.kind == "choice":
                    widget.setCurrentText(value)
                elif field.kind == "bool":
                    widget.setChecked(bool(value))
                else:
                    widget.setValue(0 if value is None else value)
            self.init_combo.setCurrentText(self.controller.architecture.init)
            self.init_range_spin.setValue(self.controller.architecture.init_range)
            self._fill_losses()
        finally:
            self._filling = False
        self._show_optimizer_rows()

    def _fill_losses(self):
        controller = self.controller
        if controller.network is None:
            return
        choices = [loss for loss in VALID_LOSSES[controller.network.output_activation]
                   if controller.task == "classification" or loss not in ("bce", "cross_entropy")]
        was_filling, self._filling = self._filling, True
        self.loss_combo.clear()
        self.loss_combo.addItems(choices)
        self.loss_combo.setCurrentText(controller.loss)
        self._filling = was_filling

    def _show_optimizer_rows(self):
        names = OPTIMIZERS[self.widgets["optimizer"].currentText()].hyperparameter_names
        for key in ("momentum", "beta1", "beta2", "rho", "eps"):
            self.form.setRowVisible(self.widgets[key], key in names)

    def _on_config_edited(self, *_):
        self._show_optimizer_rows()
        if self._filling or self.controller.trainer is None:
            return
        controller = self.controller
        try:
            config = self.read_config()
            controller.set_config(config)
        except ValueError as error:
            controller.errorOccurred.emit(str(error))
            return
        self.schedule_rows.fill()  # cyclic's default min lr follows the learning rate
        drawn = controller.initial_seed  # None: weights imported or set by hand, kept
        if drawn is not None and config.seed != drawn and controller.state == "idle" and controller.trainer.epoch == 0:
            controller.reseed(config.seed)  # nothing trained yet: the initial weights follow the seed

    def _on_architecture_edited(self, *_):
        if self._filling or self.controller.trainer is None:
            return
        architecture = self.controller.architecture.replace(
            loss=self.loss_combo.currentText() or "auto", init=self.init_combo.currentText(),
            init_range=self.init_range_spin.value())
        if architecture != self.controller.architecture:
            change_architecture(self, self.controller, architecture)

    def _on_state(self, state):
        training = state == "training"
        for widget in (self.loss_combo, self.init_combo, self.init_range_spin):
            widget.setEnabled(not training)
