"""Runs › Sweep… (``actionSweep``) and Runs › Open sweep results… (``actionOpenSweep``): the
grid ``bpgui sweep`` builds, run by its own code in background processes, each finished run
added to ``runsTable``; cancel, close, RESULTS.csv read back, bad entries, responsiveness."""

import csv

import numpy as np
import pytest
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractButton, QDialog, QFileDialog, QLabel, QLineEdit, QProgressBar,
                               QTableView)

from bpgui.cli import main
from bpgui.cli.main import command_parser
from bpgui.cli.train import run_settings
from bpgui.runs import grid
from helpers import click, widget

XOR_GRID = {"hidden": "3; 4,2", "lr": "0.03,0.1"}
XOR_FLAGS = ["--hidden", "3", "--hidden", "4,2", "--lr", "0.03,0.1"]


def open_dialog(window):
    widget(window, "actionSweep", QAction).trigger()
    dialog = window.findChild(QDialog, "sweepDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def fill(dialog, fields=(), epochs=None, seeds=None, jobs=None):
    for name, text in dict(fields).items():
        widget(dialog, f"sweepEdit_{name}", QLineEdit).setText(text)
    for name, value in (("sweepEpochsSpin", epochs), ("sweepSeedsSpin", seeds), ("sweepJobsSpin", jobs)):
        if value is not None:
            widget(dialog, name).setValue(value)


def run_sweep(qtbot, window, dialog, timeout=60000):
    """Press Start and wait until the sweep has ended; return (results, cancelled, error)."""
    with qtbot.waitSignal(window.sweeps.runner.ended, timeout=timeout) as ended:
        click(qtbot, dialog, "startSweepButton")
    return ended.args


def cli_sweep(tmp_path, *args, name="results.csv"):
    out = tmp_path / name
    assert main(["sweep", "--quiet", "--out", str(out), *args]) == 0
    with open(out, newline="", encoding="utf-8") as handle:
        return out, list(csv.DictReader(handle))


def cli_runs(*args):
    """The runs ``bpgui sweep ARGS`` builds (its own parser and settings)."""
    parsed = command_parser().parse_args(["sweep", "--out", "results.csv", *args])
    settings, _, _ = run_settings(parsed)
    return grid(settings, parsed.grid or {}, parsed.seeds)


def test_the_actions_are_in_the_runs_menu_and_the_runs_dock(window):
    menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "&Runs")
    sweep, open_sweep = widget(window, "actionSweep", QAction), widget(window, "actionOpenSweep", QAction)
    assert menu.actions() == [sweep, open_sweep]
    button = widget(widget(window, "runsView"), "sweepButton", QAbstractButton)
    assert button.defaultAction() is sweep and open_sweep in button.menu().actions()
    assert not widget(window, "sweepProgressBar", QProgressBar).isVisible()


def test_the_dialog_builds_the_grid_the_command_line_builds(window):
    dialog = open_dialog(window)
    assert widget(dialog, "sweepEdit_lr", QLineEdit).text() == "0.03"  # the window's values
    assert widget(dialog, "sweepEdit_hidden", QLineEdit).text() == "8"
    fill(dialog, {**XOR_GRID, "activation": "tanh,relu"}, epochs=7, seeds=2, jobs=2)
    plan = dialog.plan()
    # the fields' order is the options' order on the command line (the last varies fastest)
    assert plan.runs == cli_runs("--example", "xor", "--hidden", "3", "--hidden", "4,2", "--activation",
                                 "tanh,relu", "--lr", "0.03,0.1", "--epochs", "7", "--seeds", "2")
    assert len(plan.runs) == 16 and plan.jobs == 2 and plan.backend == "local"
    count = widget(dialog, "sweepCountLabel", QLabel).text()
    assert "16 runs (2 hidden × 2 activation × 2 lr × 2 seeds), 2 at a time in worker processes" in count
    dialog.reject()


def test_bad_entries_are_one_line_beside_their_field_and_nothing_starts(qtbot, window):
    dialog = open_dialog(window)
    start = widget(dialog, "startSweepButton", QAbstractButton)
    cases = [("lr", "0.1,fast", "invalid float value: 'fast' in the list '0.1,fast'"),
             ("batch_size", "8,0", "must be at least 1, got 0 in the list '8,0'"),
             ("activation", "tanh,swish", "invalid choice: 'swish' in the list 'tanh,swish' (choose from"),
             ("lr", "0.1,0.1", "0.1 is listed twice"),
             ("lr", "", "give at least one value"),
             ("hidden", "8;;16", "an empty group in '8;;16'; write 0 for no hidden layer"),
             ("hidden", "8; 8,x", "expected layer sizes like 16,8, got '8,x'")]
    for name, text, words in cases:
        fill(dialog, {name: text})
        error = widget(dialog, f"sweepError_{name}", QLabel)
        assert error.isVisible() and error.text().startswith(words), (name, error.text())
        assert not start.isEnabled()
        fill(dialog, {name: {"lr": "0.03", "batch_size": "16", "activation": "tanh", "hidden": "8"}[name]})
        assert not error.isVisible() and start.isEnabled()
    fill(dialog, {"lr": "0.1,-1"})  # a combination out of range: the grid's message, naming the run
    message = widget(dialog, "sweepMessageLabel", QLabel)
    assert message.isVisible() and message.text().startswith("run 2 (lr -1.0): learning rate must be")
    assert not start.isEnabled()
    fill(dialog, {"lr": "0.03", "derive": "x1^2; x9^2"})  # only the data can tell: said at Start
    assert start.isEnabled() and not dialog.start()
    error = widget(dialog, "sweepError_derive", QLabel)
    assert error.isVisible() and "x9" in error.text() and len(error.text().splitlines()) == 1
    assert dialog.isVisible() and not window.sweeps.is_running and len(window.controller.runs) == 0
    dialog.reject()


@pytest.mark.slow
def test_a_sweep_adds_each_run_with_the_numbers_of_bpgui_sweep_and_selects_the_best(qtbot, window, tmp_path):
    dialog = open_dialog(window)
    fill(dialog, XOR_GRID, epochs=6, jobs=2)
    results, cancelled, error = run_sweep(qtbot, window, dialog)
    assert not cancelled and error == "" and not window.sweeps.is_running
    assert window.sweeps.dialog is None  # Start closed it
    assert not widget(window, "sweepProgressBar", QProgressBar).isVisible()
    table = widget(window, "runsTable", QTableView)
    runs = list(window.controller.runs)
    assert table.model().rowCount() == 4 and len(results) == 4
    assert sorted(r.label for r in runs) == [f"sweep 1 run {n}" for n in (1, 2, 3, 4)]
    assert {r.origin for r in runs} == {"sweep"} and {r.data for r in runs} == {"xor"}
    _, rows = cli_sweep(tmp_path, "--example", "xor", *XOR_FLAGS, "--epochs", "6", "--jobs", "1")
    by_label = {r.label: r for r in runs}
    for row in rows:
        record = by_label[f"sweep 1 run {row['run']}"]
        assert (record.settings.hidden, record.settings.lr) == (
            tuple(int(n) for n in row["hidden"].split(",")), float(row["lr"]))
        assert record.epochs_run == int(row["epochs_run"])
        for name in ("train_loss", "val_loss", "train_metric", "val_metric"):
            assert record.final(name) == float(row[name]), name  # digit for digit
    best_row = max(rows, key=lambda row: (float(row["val_metric"]), -float(row["val_loss"])))
    selected = window.view_docks["Runs"].widget().selected_records()
    assert [r.label for r in selected] == [f"sweep 1 run {best_row['run']}"]
    assert f"best: sweep 1 run {best_row['run']}" in window.statusBar().currentMessage()
    # restore a sweep run: its settings and, the shape fitting, its final weights
    click(qtbot, window, "restoreRunButton")
    np.testing.assert_array_equal(window.controller.network.params, selected[0].params)
    assert "final weights" in window.statusBar().currentMessage()


def long_sweep(qtbot, window, jobs=2):
    """A sweep whose runs would train for minutes; returns once they train."""
    dialog = open_dialog(window)
    fill(dialog, {"lr": "0.01,0.02,0.03,0.04"}, epochs=10**6, jobs=jobs)
    with qtbot.waitSignal(window.sweeps.runner.started, timeout=10000):
        click(qtbot, dialog, "startSweepButton")
    assert widget(window, "sweepProgressBar", QProgressBar).isVisible()
    assert not widget(window, "actionSweep", QAction).isEnabled()
    qtbot.wait(1500)  # the worker processes start and train


def sweep_children():
    """This process's child processes that train (not loky's resource tracker)."""
    psutil = pytest.importorskip("psutil")
    children = psutil.Process().children(recursive=True)
    return [child for child in children if child.is_running() and child.status() != psutil.STATUS_ZOMBIE
            and "resource_tracker" not in " ".join(child.cmdline())]


@pytest.mark.parametrize("jobs", [2, 1])
def test_cancel_abandons_the_runs_and_joins_the_thread(qtbot, window, jobs):
    long_sweep(qtbot, window, jobs)
    runner = window.sweeps.runner
    with qtbot.waitSignal(runner.ended, timeout=15000) as ended:
        click(qtbot, window, "cancelSweepButton")
    results, cancelled, error = ended.args
    assert cancelled and results == [] and error == "" and not runner.is_running
    assert len(window.controller.runs) == 0 and widget(window, "actionSweep", QAction).isEnabled()
    assert "cancelled" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not sweep_children(), timeout=10000)


def test_closing_the_window_mid_sweep_leaves_nothing_running(qtbot, make_window, step):
    window = make_window(["--example", "xor"])
    long_sweep(qtbot, window)
    assert sweep_children()  # the worker processes train
    step(window.controller, "epoch", times=2)  # the window's own training goes on meanwhile
    assert window.controller.trainer.epoch == 2 and window.sweeps.is_running
    window.close()
    assert not window.sweeps.is_running
    qtbot.waitUntil(lambda: not sweep_children(), timeout=10000)


def test_open_sweep_reads_a_results_csv_of_the_command_line_into_rows(qtbot, window, tmp_path, monkeypatch):
    path, rows = cli_sweep(tmp_path, "--example", "xor", "--lr", "0.03,0.1", "--epochs", "4", "--jobs", "1",
                           "--seeds", "2", name="xor-lr.csv")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    widget(window, "actionOpenSweep", QAction).trigger()
    runs = list(window.controller.runs)
    assert [r.label for r in runs] == [f"xor-lr run {n}" for n in (1, 2, 3, 4)]
    for record, row in zip(runs, rows):
        assert (record.settings.lr, record.settings.seed) == (float(row["lr"]), int(row["seed"]))
        assert record.final("val_loss") == float(row["val_loss"]) and record.epochs_run == 4
        assert record.params is None
    view = window.view_docks["Runs"].widget()
    assert len(view.selected_records()) == 1 and "best: xor-lr run" in window.statusBar().currentMessage()
    table = widget(window, "runsTable", QTableView)
    table.selectAll()
    items = widget(window, "compareLossPlot").getPlotItem().listDataItems()
    assert [len(item.getData()[0]) for item in items] == [1, 1, 1, 1]  # one point each: the last epoch
    assert all(item.opts["symbol"] is not None for item in items)  # drawn as a dot
    assert "final numbers only" in view.hint.text()
    table.selectRow(1)
    click(qtbot, window, "restoreRunButton")  # settings only: the file keeps no weights
    assert window.controller.settings.lr == float(rows[1]["lr"])
    assert "settings only" in window.statusBar().currentMessage()


def test_a_bad_results_file_is_one_message_and_adds_nothing(window, tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("run,seed,lr,epochs_run,train_loss,val_loss,train_metric,val_metric,seconds\n"
                    "1,0,fast,3,0.5,0.5,0.5,0.5,0.1\n")
    assert window.sweeps.open_results(str(path)) is False
    assert window.error_box is not None and "line 2" in window.error_box.text()
    assert "lr" in window.error_box.text() and len(window.controller.runs) == 0


def longest_gap_while_sweeping(qtbot, window, jobs):
    """Longest time between two ticks of a 10 ms QTimer from Start to the sweep's end."""
    dialog = open_dialog(window)
    fill(dialog, {"lr": "0.01,0.02,0.03,0.04"}, epochs=400 if jobs == 1 else 1000, jobs=jobs)
    qtbot.wait(300)  # the dialog is drawn, as it would be while the user types
    clock, gaps = QElapsedTimer(), []
    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: gaps.append(clock.restart()))
    clock.start()
    ticker.start()
    results, cancelled, error = run_sweep(qtbot, window, dialog)
    ticker.stop()
    assert len(results) == 4 and not cancelled and error == ""
    return max(gaps[1:], default=0), len(gaps)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [2, 1])
def test_no_event_loop_gap_over_100_ms_while_a_sweep_runs(qtbot, make_window, jobs):
    """The window's event loop keeps ticking while the runs train: in worker processes (which
    run at a lower priority) and, with one job, on a worker thread of the window's process.
    Other processes on a loaded 2-core machine can steal a time slice, so one second
    measurement is allowed, as for training (test_responsiveness.py)."""
    window = make_window(["--example", "iris"])
    window.view_docks["Runs"].raise_()
    qtbot.wait(300)
    gaps = [longest_gap_while_sweeping(qtbot, window, jobs)]
    if gaps[0][0] >= 100:
        gaps.append(longest_gap_while_sweeping(qtbot, window, jobs))
    assert all(ticks > 20 for _, ticks in gaps)  # the sweep lasted long enough to measure
    assert min(gap for gap, _ in gaps) < 100, f"longest gaps {gaps} ms"
