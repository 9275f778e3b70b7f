"""Runs › Sweep… (``actionSweep``): the dialog that builds a grid like ``bpgui sweep``.

One field per grid option (:data:`bpgui.runs.GRID_OPTIONS`), filled with the window's current
value: type a comma list to sweep it (``0.003,0.01,0.03``); hidden layers and derived inputs
take one network or one set per ``;``-separated group. Then the seeds (K), the epochs every
run trains, how many runs train at once and where (worker processes on this machine, or a
Dask cluster when Dask is installed). The dialog says how many runs the grid makes as you type,
and a bad entry gets one line beside its field in the command line's own words
(:mod:`bpgui.gui.sweep_plan`). Start hands the plan to the window's
:class:`~bpgui.gui.sweep_runner.SweepRunner` and closes.
"""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from bpgui.gui.sweep_plan import describe, field_text, grid_lists, make_plan
from bpgui.runs import GRID_OPTIONS
from bpgui.runs.sweep import BACKENDS, usable_cores

FIELD_LABELS = {
    "hidden": "Hidden layers", "activation": "Activation", "optimizer": "Optimizer",
    "lr": "Learning rate", "batch_size": "Batch size", "l2": "L2", "dropout": "Dropout",
    "schedule": "LR schedule", "derive": "Derived inputs",
}
"""Grid option → its row's label (the tooltips name the ``bpgui sweep`` flag)."""

FIELD_HINTS = {
    "hidden": "one network per group, groups separated by ; (8; 16,16); 0 = no hidden layer",
    "derive": "one set per group, groups separated by ; (x1^2,x2^2; sin(x1)); empty: as now",
}
MAX_JOBS = 256
ERROR_STYLE = "color: #b00020"




def dask_installed():
    """True when Dask's distributed scheduler can be imported (``bpgui[cluster]``)."""
    return importlib.util.find_spec("distributed") is not None


def _flag(name):
    return "--" + name.replace("_", "-")


class SweepDialog(QDialog):
    """``sweepDialog``: the grid, the seeds and where the runs train.

    Parameters
    ----------
    controller : TrainingController
        Its data and current settings are the sweep's base.

    Signals
    -------
    planned(object)
        Start was pressed on a valid grid: the :class:`~bpgui.gui.sweep_plan.SweepPlan`.
    """

    planned = Signal(object)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.setObjectName("sweepDialog")
        self.setWindowTitle("Sweep")
        self.controller = controller
        self.settings = controller.settings
        self.edits, self.errors = {}, {}
        self.epochs_spin = self._spin("sweepEpochsSpin", 1, 10**7, self.settings.epochs)
        self.seeds_spin = self._spin("sweepSeedsSpin", 1, 1000, 1)
        self.jobs_spin = self._spin("sweepJobsSpin", 1, MAX_JOBS, usable_cores())
        self.backend_combo = QComboBox()
        self.backend_combo.setObjectName("sweepBackendCombo")
        self.backend_combo.addItems([b for b in BACKENDS if b != "dask" or dask_installed()])
        self.scheduler_edit = QLineEdit()
        self.scheduler_edit.setObjectName("sweepSchedulerEdit")
        self.scheduler_edit.setPlaceholderText("tcp://host:8786 (empty: a cluster on this machine)")
        self.count_label = QLabel()
        self.count_label.setObjectName("sweepCountLabel")
        self.count_label.setWordWrap(True)
        self.message = self._error_label("sweepMessageLabel")
        self.start_button = QPushButton("Start sweep")
        self.start_button.setObjectName("startSweepButton")
        self.start_button.setDefault(True)
        self._lay_out()
        for edit in self.edits.values():
            edit.textChanged.connect(self.refresh)
        for spin in (self.epochs_spin, self.seeds_spin, self.jobs_spin):
            spin.valueChanged.connect(self.refresh)
        self.backend_combo.currentTextChanged.connect(self.refresh)
        self.scheduler_edit.textChanged.connect(self.refresh)
        self.start_button.clicked.connect(self.start)
        self.refresh()

    # -- layout ---------------------------------------------------------------------------------

    @staticmethod
    def _spin(name, low, high, value):
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setValue(int(value))
        return spin

    @staticmethod
    def _error_label(name):
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet(ERROR_STYLE)
        label.hide()
        return label

    def _field(self, name):
        """The edit of grid option ``name`` and its error line, one under the other."""
        edit = QLineEdit(field_text(self.settings, name))
        edit.setObjectName(f"sweepEdit_{name}")
        hint = FIELD_HINTS.get(name, "a comma list of values")
        edit.setToolTip(f"{_flag(name)} of bpgui sweep: {hint}")
        edit.setPlaceholderText(hint)
        error = self._error_label(f"sweepError_{name}")
        self.edits[name], self.errors[name] = edit, error
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(edit)
        layout.addWidget(error)
        return box

    def _lay_out(self):
        intro = QLabel("Type a comma list in a field to sweep that setting (hidden layers and derived "
                       "inputs: one network or set per group, groups separated by ;). Every combination "
                       "trains on the loaded data, each with K seeds, in background processes, and joins "
                       "the Runs table as it finishes. Fields left as they are keep the window's value.")
        intro.setWordWrap(True)
        grid_box = QGroupBox("Grid")
        grid_form = QFormLayout(grid_box)
        for name in GRID_OPTIONS:
            grid_form.addRow(FIELD_LABELS[name], self._field(name))
        runs_box = QGroupBox("Runs")
        runs_form = QFormLayout(runs_box)
        seed = self.settings.seed
        self.seeds_spin.setToolTip(f"--seeds: every setting with seeds {seed}, {seed + 1}, … from the window's seed")
        self.epochs_spin.setToolTip("--epochs: the epochs every run trains")
        self.jobs_spin.setToolTip(f"--jobs: runs trained at once, each in its own process "
                                  f"(this machine has {usable_cores()} cores; 1 trains in the window's process)")
        runs_form.addRow("Epochs", self.epochs_spin)
        runs_form.addRow("Seeds", self.seeds_spin)
        runs_form.addRow("Runs at once", self.jobs_spin)
        where = QHBoxLayout()
        where.addWidget(self.backend_combo)
        where.addWidget(self.scheduler_edit, 1)
        runs_form.addRow("Backend", where)
        self.backend_combo.setToolTip("--backend: processes on this machine, or a Dask cluster")
        self.scheduler_edit.setToolTip("--scheduler: the address of a running Dask scheduler")
        runs_form.setRowVisible(runs_form.rowCount() - 1, self.backend_combo.count() > 1)  # Dask installed
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(grid_box)
        layout.addWidget(runs_box)
        layout.addWidget(self.count_label)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    # -- the grid -------------------------------------------------------------------------------

    def texts(self):
        return {name: edit.text() for name, edit in self.edits.items()}

    def plan(self):
        """The :class:`SweepPlan` of the fields, or None (each problem shown where it is)."""
        lists, errors = grid_lists(self.texts(), self.settings)
        for name, label in self.errors.items():
            label.setText(errors.get(name, ""))
            label.setVisible(name in errors)
        if errors:
            self._tell("", "")
            return None
        dask = self.backend_combo.currentText() == "dask"
        self.scheduler_edit.setEnabled(dask)
        scheduler = self.scheduler_edit.text().strip() or None if dask else None
        try:
            plan = make_plan(self.controller, lists, self.epochs_spin.value(), self.seeds_spin.value(),
                             self.jobs_spin.value(), self.backend_combo.currentText(), scheduler)
        except ValueError as error:
            self._tell("", str(error))
            return None
        self._tell(self._count_text(plan), "")
        return plan

    def _count_text(self, plan):
        n, how = len(plan.runs), describe(plan.lists, self.seeds_spin.value())
        jobs = min(plan.jobs, n)
        if plan.backend == "dask":
            where = f"on the Dask cluster at {plan.scheduler}" if plan.scheduler else \
                f"on a Dask cluster of {jobs} worker{'s' if jobs != 1 else ''} on this machine"
        elif jobs > 1:
            where = f"{jobs} at a time in worker processes"
        else:
            where = "one at a time in the window's process"
        return f"{n} run{'s' if n != 1 else ''}{f' ({how})' if how else ''}, {where}"

    def _tell(self, count, message):
        self.count_label.setText(f"<b>{count}</b>" if count else "")
        self.message.setText(message)
        self.message.setVisible(bool(message))

    def refresh(self, *_):
        self.start_button.setEnabled(self.plan() is not None)

    def start(self):
        """Check the plan on the data (the first run of each network and set of derived
        inputs is built) and hand it on; False (and the message shown) when it cannot start."""
        plan = self.plan()
        if plan is None:
            return False
        problem = check_on_data(plan)
        if problem is not None:
            name, message = problem
            if name is not None:
                self.errors[name].setText(message)
                self.errors[name].show()
            else:
                self._tell(self._count_text(plan), message)
            self.start_button.setEnabled(False)
            return False
        self.planned.emit(plan)
        self.accept()
        return True


def check_on_data(plan):
    """Prepare the data for each set of derived inputs of ``plan`` and build (not train) its
    first run, so what only the data can refuse (an unknown name in a derived input, a network
    the data cannot take) is told before anything starts.

    Returns
    -------
    tuple (str or None, str) or None
        The grid option whose field is at fault (None: the grid as a whole) and one line; None
        when the runs can be built.
    """
    from bpgui.data import prepare

    data, seen = plan.data, set()
    for index, settings in enumerate(plan.runs):
        if settings.derive in seen:
            continue
        seen.add(settings.derive)
        try:
            prepare(data.table, settings.dataset_spec(data.base_spec))
        except ValueError as error:  # DataError is a ValueError
            field = "derive" if "derive" in plan.lists else None
            return field, str(error) if field else f"run {index + 1}: {error}"
    try:
        data.build(plan.runs[0])
    except ValueError as error:
        return None, f"run 1: {error}"
    return None
