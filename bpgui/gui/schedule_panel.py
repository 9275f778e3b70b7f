"""The learning-rate schedule's rows of the hyperparameter form: ``scheduleCombo`` and the
parameters that apply to the chosen schedule (DESIGN.md §4, ``bpgui.engine.schedules``).

The warm-up row is always shown; the others only for the schedules that read them (step: step
size and gamma; exponential: gamma; cosine: min lr; cyclic: cycle and min lr). Gamma and min lr
left at their schedule's default (None in the config) show that default, and follow the
schedule (and, for cyclic's η/10, the learning rate) until the user sets a value.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QSpinBox

from bpgui.engine.schedules import SCHEDULES, resolve
from bpgui.gui.number_spin import NumberSpinBox

SCHEDULE_TOOLTIP = ("How the learning rate changes from epoch to epoch (constant within an epoch): "
                    + "; ".join(f"{s.name}: {s.description}" for s in SCHEDULES.values()) + ".")


@dataclass(frozen=True)
class ScheduleField:
    """One schedule parameter as a spin box: ``kind`` is "int" or "float"."""

    key: str
    object_name: str
    label: str
    kind: str
    tooltip: str
    low: float
    high: float


SCHEDULE_FIELDS = (
    ScheduleField("warmup", "warmupSpin", "Warm-up", "int",
                  "Epochs over which the rate climbs linearly to the learning rate (η·e/W) before "
                  "the schedule starts (0: none).", 0, 1_000_000),
    ScheduleField("step_size", "stepSizeSpin", "Step size", "int",
                  "step: the rate is multiplied by gamma every this many epochs.", 1, 1_000_000),
    ScheduleField("gamma", "gammaSpin", "Gamma", "float",
                  "step and exponential: the factor the rate is multiplied by (step: every step "
                  "size epochs, default 0.5; exponential: every epoch, default 0.95).", 1e-6, 10.0),
    ScheduleField("cycle", "cycleSpin", "Cycle", "int",
                  "cyclic: epochs from the lowest rate up to the learning rate (and as many back "
                  "down).", 1, 1_000_000),
    ScheduleField("min_lr", "minLrSpin", "Min learning rate", "float",
                  "cosine: the rate it anneals down to (default 0); cyclic: the lowest rate of a "
                  "cycle (default learning rate / 10).", 0.0, 10.0),
)


def _make_spin(field):
    if field.kind == "int":
        spin = QSpinBox()
        spin.setRange(int(field.low), int(field.high))
    else:  # shows 1e-05 as typed, steps one significant digit (a gamma of 0.95 → 0.96)
        spin = NumberSpinBox(field.low, field.high, steps="log", first=field.low or 1e-4)
    spin.setKeyboardTracking(False)
    spin.setObjectName(field.object_name)
    spin.setToolTip(field.tooltip)
    return spin


class ScheduleRows(QObject):
    """``scheduleCombo`` and its parameter spin boxes, as rows of a ``QFormLayout``.

    Parameters
    ----------
    controller : TrainingController
        Edits go to ``controller.set_config``; errors to ``controller.errorOccurred``.
    """

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self._filling = False
        self.form = None
        self.combo = QComboBox()
        self.combo.setObjectName("scheduleCombo")
        self.combo.addItems(list(SCHEDULES))
        self.combo.setToolTip(SCHEDULE_TOOLTIP)
        self.spins = {field.key: _make_spin(field) for field in SCHEDULE_FIELDS}
        self.combo.currentTextChanged.connect(lambda _text: self._on_edited("schedule"))
        for key, spin in self.spins.items():
            spin.valueChanged.connect(lambda _value, key=key: self._on_edited(key))
        controller.configChanged.connect(self.fill)
        controller.dataChanged.connect(self.fill)

    def add_to(self, form):
        """Add the rows to ``form`` (a QFormLayout) and show the current config."""
        self.form = form
        form.addRow("LR schedule", self.combo)
        for field in SCHEDULE_FIELDS:
            form.addRow(field.label, self.spins[field.key])
        self.fill()

    def fill(self):
        """Show ``controller.config``'s schedule: its parameters, defaults filled in."""
        config = self.controller.config
        values = {"warmup": config.warmup, "step_size": config.step_size, "cycle": config.cycle,
                  "gamma": config.gamma, "min_lr": config.min_lr}
        for key in ("gamma", "min_lr"):  # None: show the default of a schedule that reads it
            if values[key] is None:
                values[key] = self._default(config, key)
        self._filling = True
        try:
            self.combo.setCurrentText(config.schedule)
            for key, spin in self.spins.items():
                spin.setValue(values[key])
        finally:
            self._filling = False
        self._show_rows()

    @staticmethod
    def _default(config, key):
        """The default of ``key`` for the schedule that reads it (the chosen one first)."""
        for name in (config.schedule, *SCHEDULES):
            if key in SCHEDULES[name].parameters:
                return resolve(name, config.learning_rate)[key]
        raise KeyError(key)

    def _show_rows(self):
        if self.form is None:
            return
        applies = SCHEDULES[self.combo.currentText()].parameters
        for key, spin in self.spins.items():
            self.form.setRowVisible(spin, key == "warmup" or key in applies)

    def read_changes(self, edited):
        """The config changes the widgets ask for: the schedule, the whole-number settings,
        and ``edited`` (gamma or min lr) once the user set it."""
        changes = {"schedule": self.combo.currentText()}
        for key in ("warmup", "step_size", "cycle"):
            changes[key] = self.spins[key].value()
        if edited in ("gamma", "min_lr"):
            changes[edited] = self.spins[edited].value()
        return changes

    def _on_edited(self, edited):
        self._show_rows()
        controller = self.controller
        if self._filling or controller.trainer is None:
            return
        try:
            controller.set_config(controller.config.replace(**self.read_changes(edited)))
        except ValueError as error:
            controller.errorOccurred.emit(str(error))
            return
        if edited == "schedule":  # show the new schedule's defaults
            self.fill()
