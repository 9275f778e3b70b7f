"""The Runs menu: ``actionSweep`` (a grid like ``bpgui sweep``, run in the background) and
``actionOpenSweep`` (a RESULTS.csv into the Runs table).

A sweep started from :class:`~bpgui.gui.sweep_dialog.SweepDialog` runs in a
:class:`~bpgui.gui.sweep_runner.SweepRunner`; its progress (finished runs of all, time left)
and its Cancel button sit under the Runs table (:class:`SweepProgress`), where the runs appear
as they finish. When it ends, the best run (``bpgui sweep``'s ranking) is selected in the table
and named in the status bar.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QMenu, QProgressBar, QPushButton,
                               QToolButton, QWidget)

from bpgui.gui import settings
from bpgui.gui.sweep_runner import SweepRunner
from bpgui.io.atomic import describe_os_error

RESULTS_FILTER = "Sweep results (*.csv);;All files (*)"


def duration(seconds):
    """``1 min 05 s``, ``12 s``."""
    seconds = max(0, round(seconds))
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def best_sentence(results, options):
    """``best: sweep 1 run 4 (lr 0.03, hidden 16,16): val accuracy 1, val loss 0.000625`` or
    None when no run finished; ``options``: the settings named (the swept ones)."""
    from bpgui.runs import best
    from bpgui.runs.ranking import judged_by_validation
    from bpgui.runs.run_table import METRIC_TITLES, setting_text

    top = best(results)
    if top is None:
        return None
    record = top.record
    names = list(options)
    if len({result.record.settings.seed for result in results}) > 1:
        names.insert(0, "seed")
    named = ", ".join(f"{name} {setting_text(getattr(record.settings, name))}" for name in names)
    metric = METRIC_TITLES.get(record.metric_name, "metric")
    if judged_by_validation(results):
        numbers = [("val", metric, record.final("val_metric")), ("val", "loss", record.final("val_loss"))]
    else:
        numbers = [("train", "loss", record.final("train_loss")), ("train", metric, record.final("train_metric"))]
    said = ", ".join(f"{split} {name} {value:.4g}" for split, name, value in numbers if value is not None)
    return f"best: {record.label}{f' ({named})' if named else ''}: {said}"


class SweepProgress(QWidget):
    """Under the Runs table while a sweep runs: a bar of finished runs, the time left, Cancel."""

    def __init__(self, runner, parent=None):
        super().__init__(parent)
        self.setObjectName("sweepProgress")
        self.bar = QProgressBar()
        self.bar.setObjectName("sweepProgressBar")
        self.bar.setFormat("%v of %m runs")
        self.label = QLabel()
        self.label.setObjectName("sweepProgressLabel")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelSweepButton")
        self.cancel_button.setToolTip("Stop the sweep: the runs still training are abandoned; "
                                      "the finished ones stay in the table")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Sweep"))
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.cancel_button)
        self.runner = runner
        self.cancel_button.clicked.connect(self._cancel)
        runner.started.connect(self._on_started)
        runner.progressed.connect(self._on_progress)
        runner.ended.connect(self._on_ended)
        self.hide()

    def _on_started(self, total):
        self.bar.setRange(0, total)
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.show()

    def _on_progress(self, done, total, seconds_left):
        self.bar.setValue(done)
        if seconds_left is not None:
            self.label.setText(f"about {duration(seconds_left)} left")
        elif done == 0:
            self.label.setText("starting…")
        else:
            self.label.setText("")

    def _cancel(self):
        self.runner.cancel()
        self.cancel_button.setEnabled(False)
        self.label.setText("cancelling…")

    def _on_ended(self, *_):
        self.hide()


class SweepActions(QObject):
    """The Runs menu of ``window`` and the sweep it runs."""

    def __init__(self, window, controller):
        super().__init__(window)
        self.window, self.controller = window, controller
        self.runner = SweepRunner(controller, self)
        self.dialog = None
        self.sweep_action = QAction("&Sweep…", window)
        self.sweep_action.setObjectName("actionSweep")
        self.sweep_action.setStatusTip("Train a grid of settings in background processes, as bpgui sweep does")
        self.sweep_action.setToolTip(self.sweep_action.statusTip())
        self.sweep_action.triggered.connect(lambda *_: self.ask_sweep())
        self.open_action = QAction("&Open sweep results…", window)
        self.open_action.setObjectName("actionOpenSweep")
        self.open_action.setStatusTip("Read a RESULTS.csv written by bpgui sweep into the Runs table")
        self.open_action.setToolTip(self.open_action.statusTip())
        self.open_action.triggered.connect(lambda *_: self.ask_open_results())
        self.runner.started.connect(self._on_started)
        self.runner.ended.connect(self._on_ended)

    def build_menu(self, menu):
        menu.addAction(self.sweep_action)
        menu.addAction(self.open_action)

    def dock_widgets(self):
        """``(button, progress)`` for the Runs dock: a Sweep button (its menu opens results)
        and the progress row."""
        button = QToolButton()
        button.setObjectName("sweepButton")
        button.setDefaultAction(self.sweep_action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = QMenu(button)
        menu.addAction(self.open_action)
        button.setMenu(menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        return button, SweepProgress(self.runner)

    @property
    def is_running(self):
        return self.runner.is_running

    # -- a sweep --------------------------------------------------------------------------------

    def ask_sweep(self):
        """Open ``sweepDialog`` on the window's data and settings (window-modal); its Start
        runs the sweep."""
        from bpgui.gui.sweep_dialog import SweepDialog

        if self.controller.data is None:
            return self.window.show_error("open data first: a sweep trains on the loaded data")
        if self.is_running:
            return self.window.show_error("a sweep is already running; cancel it under the Runs table first")
        self._show_runs_dock()  # where the runs will appear (its first paint is not during the sweep)
        dialog = SweepDialog(self.controller, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.planned.connect(self.start)
        dialog.finished.connect(self._forget_dialog)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        self.dialog = dialog
        return dialog

    def _forget_dialog(self, *_):
        self.dialog = None

    def start(self, plan):
        """Run ``plan`` in the background (the Runs dock comes to the front)."""
        self.runner.start(plan)

    def _show_runs_dock(self):
        dock = self.window.view_docks.get("Runs")
        if dock is not None:
            dock.show()
            dock.raise_()

    def _on_started(self, total):
        self.sweep_action.setEnabled(False)
        self._show_runs_dock()
        self.window.show_message(f"sweep {self.runner.number}: training {total} run{'s' if total != 1 else ''}…")

    def _on_ended(self, results, cancelled, error):
        self.sweep_action.setEnabled(True)
        runner, plan = self.runner, self.runner.plan
        total = len(plan.runs) if plan is not None else len(results)
        options = [name for name, values in (plan.lists if plan else {}).items() if len(values) > 1]
        if error:
            what = f"sweep {runner.number} stopped after {len(results)} of {total} runs"
            self.window.show_error(f"{what}: {error}")
        elif cancelled:
            what = f"sweep {runner.number} cancelled after {len(results)} of {total} runs"
        else:
            what = f"sweep {runner.number}: {total} run{'s' if total != 1 else ''} in {duration(runner.seconds)}"
        self._select_best(results, options, what, so_far=bool(error or cancelled))

    def _select_best(self, results, options, what, so_far=False):
        """Select the best of ``results`` in the Runs table and say which in the status bar
        (``so_far``: of the runs that finished before the sweep stopped)."""
        from bpgui.runs import best

        sentence = best_sentence(results, options)
        top = best(results)
        view = self.runs_view()
        if top is not None and view is not None:
            row = view.model.row_of(top.record)
            if row is not None:
                view.select_rows([row])
                view.table.scrollTo(view.model.index(row, 0))
        if sentence and so_far:
            sentence = sentence.replace("best:", "best so far:", 1)
        message = f"{what}; {sentence}" if sentence else f"{what}; no run finished"
        self.window.show_message(message)
        return message

    def runs_view(self):
        dock = self.window.view_docks.get("Runs")
        return dock.widget() if dock is not None else None

    def shutdown(self):
        """Cancel a sweep and join its thread (bounded): part of the window's close sequence."""
        return self.runner.shutdown()

    # -- RESULTS.csv ----------------------------------------------------------------------------

    def ask_open_results(self):
        path, _ = QFileDialog.getOpenFileName(self.window, "Open sweep results", settings.last_directory(),
                                              RESULTS_FILTER)
        return self.open_results(path) if path else False

    def open_results(self, path):
        """Add the runs of a RESULTS.csv to the Runs table (their final numbers; no curves, no
        weights) and select the best; one message and nothing added when the file is bad.

        The file holds only the swept settings and the seed: the other settings of its runs
        are taken to be the window's current ones.
        """
        from bpgui.runs import read_results

        try:
            options, results = read_results(path, self.controller.settings)
        except OSError as error:
            return self.window.show_error(describe_os_error(error, path))
        except ValueError as error:
            return self.window.show_error(str(error))
        stem = os.path.splitext(os.path.basename(path))[0]
        for result in results:
            result.record.label = f"{stem} run {result.index + 1}"
            self.controller.runs.add(result.record)
        settings.remember_directory(path)
        return self._select_best(results, list(options),
                                 f"read {len(results)} run{'s' if len(results) != 1 else ''} from "
                                 f"{os.path.basename(path)} (final numbers only)")
