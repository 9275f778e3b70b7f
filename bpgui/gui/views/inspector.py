"""The step-through inspector: one backpropagation step on one sample, stage by stage.

Everything shown comes from :func:`bpgui.engine.trace_sample`; Apply uses
:func:`bpgui.engine.apply_trace` and tells the controller the weights changed.
"""

from __future__ import annotations

import numpy as np

from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSpinBox, QTableWidget,
    QTableWidgetItem, QVBoxLayout,
)

from bpgui.engine import apply_trace, trace_sample
from bpgui.gui.views.base import ControllerView
from bpgui.gui.views.inspector_steps import build_stages, fmt, training_differences
from bpgui.gui.views.selection import sample_selection

COLUMNS = ("Quantity", "Formula with the numbers", "Value")
RESIZE_PRECISION_ROWS = 40
SAMPLE_VALUES = 8  # a sample's x or y of more values is shortened in its one-line description


class InspectorView(ControllerView):
    """``inspectorView``: Next / Back walk the stages, Apply performs the step."""

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.setObjectName("inspectorView")
        self.trace = None
        self.stages = []
        self.index = 0
        self._traced_network = None
        # The network view shades the stage's layer only once the user walks the stages
        # (Next, Back, a picked sample, Apply): nothing is highlighted at start-up.
        self.walking = False
        self._build_widgets()
        self._selection = sample_selection(controller)
        self._selection.sampleSelected.connect(self.select_sample)
        self.on_data_changed()

    def _build_widgets(self):
        self.sample_spin = QSpinBox()
        self.sample_spin.setObjectName("inspectorSampleSpin")
        self.sample_spin.setPrefix("training row ")
        self.sample_spin.setToolTip("The training sample to trace (or click a point in the decision boundary)")
        self.sample_spin.valueChanged.connect(self.retrace)
        self.sample_label = QLabel()
        self.sample_label.setWordWrap(True)
        self.back_button = QPushButton("◀ Back")
        self.back_button.setObjectName("inspectorBackButton")
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton("Next ▶")
        self.next_button.setObjectName("inspectorNextButton")
        self.next_button.clicked.connect(self.next)
        self.apply_button = QPushButton("Apply the step")
        self.apply_button.setObjectName("inspectorApplyButton")
        self.apply_button.setToolTip("Change the network's weights by Δw (only while not training)")
        self.apply_button.clicked.connect(self.apply)
        self.title = QLabel()
        self.title.setObjectName("inspectorStageTitle")
        self.title.setStyleSheet("font-weight: bold")
        self.rule = QLabel()
        self.rule.setObjectName("inspectorRule")
        self.rule.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("inspectorTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        # widths from the first rows and the visible ones, not from every one of hundreds
        header.setResizeContentsPrecision(RESIZE_PRECISION_ROWS)
        self.result = QLabel()
        self.result.setObjectName("inspectorResult")
        self.result.setWordWrap(True)
        picker = QHBoxLayout()
        picker.addWidget(self.sample_spin)
        picker.addWidget(self.sample_label, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(picker)
        layout.addLayout(buttons)
        layout.addWidget(self.title)
        layout.addWidget(self.rule)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result)

    # -- controller hooks ------------------------------------------------------------------

    def disconnect_controller(self):
        try:
            self._selection.sampleSelected.disconnect(self.select_sample)
        except (RuntimeError, TypeError):
            pass
        super().disconnect_controller()

    def on_data_changed(self):
        data = self.controller.data
        n_rows = 0 if data is None else len(data.X_train)
        self.sample_spin.blockSignals(True)
        self.sample_spin.setRange(1, max(n_rows, 1))
        self.sample_spin.setValue(1)
        self.sample_spin.blockSignals(False)
        self.sample_spin.setEnabled(n_rows > 0)
        self.result.clear()
        self._stop_walking()
        self.retrace()

    def on_network_changed(self):
        self.retrace(keep_stage=True)

    def on_state_changed(self, state):
        self._update_buttons()
        if not self.training:
            self.retrace(keep_stage=True)

    # -- tracing ---------------------------------------------------------------------------

    def select_sample(self, row):
        """Trace training row ``row`` (0-based), e.g. a point clicked in the boundary view."""
        self.walking = True
        self.sample_spin.setValue(int(row) + 1)

    def retrace(self, *_, keep_stage=False):
        """Trace the selected sample on the current network and show a stage.

        While training, only while the inspector can be seen (a hidden one traces when it is
        shown); at rest always, so its numbers and Apply follow the network seen or not."""
        if not self.shown and self.training:
            self._stale = True
            return
        controller, data = self.controller, self.controller.data
        network = self.current_network()
        if data is None or network is None or len(data.X_train) == 0:
            self._show_empty("Load data and build a network to step through backpropagation.")
            return
        try:
            X, Y = controller.targets("train")
        except ValueError as error:
            self._show_empty(f"The network does not fit the data yet: {error}")
            return
        if network.n_inputs != X.shape[1] or network.n_outputs != Y.shape[1]:
            self._show_empty("The network does not fit the data yet.")
            return
        row = self.sample_spin.value() - 1
        config = controller.config
        self.trace = trace_sample(network, controller.loss, X[row], Y[row],
                                  controller.trainer.learning_rate, config.train_biases)
        self._traced_network = network
        self.stages = build_stages(network, self.trace, config.train_biases,
                                   training_differences(config, len(X)))
        self.sample_label.setText(self._describe_sample(data, X, Y, row))
        self.show_stage(min(self.index, len(self.stages) - 1) if keep_stage else 0)

    def _describe_sample(self, data, X, Y, row):
        x = _listed(X[row])
        y = _listed(Y[row])
        if data.classes is not None and len(Y[row]) > SAMPLE_VALUES:  # one-hot of many classes
            y = f"one-hot: class {data.classes[int(np.argmax(Y[row]))]} of {len(Y[row])}"
        origin = f"CSV row {int(data.rows_train[row]) + 1}" if len(data.rows_train) > row else ""
        return f"{origin}  x = ({x})  y = ({y})".strip()

    def _show_empty(self, text):
        self.trace, self.stages, self.index = None, [], 0
        self.title.setText("Step-through inspector")
        self.rule.setText(text)
        self.table.setRowCount(0)
        self._update_buttons()

    # -- walking the stages ----------------------------------------------------------------

    def next(self):
        self.walking = True
        if self.index + 1 < len(self.stages):
            self.show_stage(self.index + 1)

    def back(self):
        self.walking = True
        if self.index > 0:
            self.show_stage(self.index - 1)

    def _stop_walking(self):
        if self.walking:
            self.walking = False
            self._highlight(None)

    def _highlight(self, request):
        try:
            self.controller.highlightRequested.emit(request)
        except RuntimeError:  # the window is being torn down and the controller is gone
            pass

    def showEvent(self, event):
        super().showEvent(event)
        self._show_highlight()

    def hideEvent(self, event):
        super().hideEvent(event)
        self._show_highlight()

    def set_dock_visible(self, visible):
        super().set_dock_visible(visible)
        self._show_highlight()

    def _show_highlight(self):
        """The walked stage's layer while the inspector can be seen; a hidden or tabbed-away
        inspector leaves no shaded layer behind."""
        if self.walking:
            self._highlight(self.stages[self.index].highlight if self.shown and self.stages else None)

    def show_stage(self, index):
        """Fill the table with stage ``index`` and ask the network view to highlight it."""
        self.index = index
        stage = self.stages[index]
        self.title.setText(f"Stage {index + 1} of {len(self.stages)}: {stage.title}")
        self.rule.setText(stage.rule)
        self._fill_table(stage.rows)
        self._update_buttons()
        if self.walking:
            self._highlight(stage.highlight)

    def _fill_table(self, rows):
        """Show ``rows`` in the table, reusing its items (a stage of a 16-16 network has
        over 500 lines; new items for each would cost more than formatting them)."""
        table = self.table
        table.setUpdatesEnabled(False)
        try:
            table.setRowCount(len(rows))
            for r, row in enumerate(rows):
                for c, text in enumerate((row.quantity, row.formula, fmt(row.value))):
                    item = table.item(r, c)
                    if item is None:
                        table.setItem(r, c, QTableWidgetItem(text))
                    elif item.text() != text:
                        item.setText(text)
        finally:
            table.setUpdatesEnabled(True)

    def stage_text(self):
        """The current stage as plain text, one ``quantity = formula = value`` a line."""
        if not self.stages:
            return ""
        stage = self.stages[self.index]
        lines = [stage.title, stage.rule]
        lines += [f"{row.quantity} = {row.formula} = {fmt(row.value)}" for row in stage.rows]
        return "\n".join(lines)

    def _update_buttons(self):
        have = bool(self.stages)
        self.back_button.setEnabled(have and self.index > 0)
        self.next_button.setEnabled(have and self.index + 1 < len(self.stages))
        self.apply_button.setEnabled(have and not self.training)

    # -- applying --------------------------------------------------------------------------

    def apply(self):
        """Apply the traced update to the controller's network (never while training)."""
        if self.trace is None or self.training or self._traced_network is not self.controller.network:
            return
        loss_before = self.trace.loss
        stage = self.index
        self.walking = True
        apply_trace(self.controller.network, self.trace)
        self.controller.weights_edited(new_start=False)  # every view redraws; a reset undoes the step
        self.retrace(keep_stage=True)
        loss_after = self.trace.loss
        self.result.setText(f"Loss on this sample before the step: {fmt(loss_before)}; "
                            f"after: {fmt(loss_after)} (change {loss_after - loss_before:+.9f}). "
                            "The stages now trace the next step from the new weights.")
        self.show_stage(min(stage, len(self.stages) - 1))


def _listed(values):
    """``0.5, 1.25`` for a few values; ``v1, v2, v3, v4, … (64 values)`` for more."""
    if len(values) <= SAMPLE_VALUES:
        return ", ".join(fmt(v) for v in values)
    return ", ".join(fmt(v) for v in values[:SAMPLE_VALUES // 2]) + f", … ({len(values)} values)"
