"""The Runs dock: runs kept, compared, renamed, deleted, restored, saved and exported.

The window is driven through the object names once (it is slow to step: every view redraws);
the rest drives the dock's view on a bare controller.
"""

import csv
import io
import json

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDockWidget, QTableView

from bpgui.gui.persistence import apply_session, model_of, session_of
from bpgui.gui.views.runs import RunsView
from bpgui.io.session import load_session, save_session
from helpers import click, click_step, widget


def table_cells(table):
    model = table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return headers, [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def curves(view):
    return view.plot.getPlotItem().listDataItems()


@pytest.fixture
def xor_view(controller, open_view):
    controller.load_example("xor")
    return open_view(RunsView)


def two_runs(controller, step, epochs=(3, 2), lr=0.1):
    """Train, reset, change the learning rate, train again: two runs."""
    step(controller, times=epochs[0])
    controller.reset()
    controller.set_config(controller.config.replace(learning_rate=lr))
    step(controller, times=epochs[1])
    return list(controller.runs)


# -- in the window ----------------------------------------------------------------------------------

def test_the_window_keeps_two_runs_draws_two_curves_and_restores_one(qtbot, window):
    assert isinstance(widget(window, "compareLossPlot", pg.PlotWidget), pg.PlotWidget)
    dock = widget(window, "runsView", QDockWidget)
    view_menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "&View")
    assert dock.toggleViewAction() in view_menu.actions()
    table = widget(window, "runsTable", QTableView)
    click_step(qtbot, window, "stepEpochButton")
    click_step(qtbot, window, "stepEpochButton")
    click(qtbot, window, "resetButton")
    widget(window, "learningRateSpin").setValue(0.1)
    click_step(qtbot, window, "stepEpochButton")
    headers, rows = table_cells(table)
    assert headers[:3] == ["run", "lr", "epochs run"] and headers[-2:] == ["accuracy", "ms/epoch"]
    assert [row[:3] for row in rows] == [["run 1", "0.03", "2"], ["run 2", "0.1", "1"]]
    first, second = window.controller.runs
    assert float(rows[0][3]) == pytest.approx(first.final("train_loss"), rel=1e-3) and float(rows[0][-1]) > 0
    table.selectAll()
    items = widget(window, "compareLossPlot", pg.PlotWidget).getPlotItem().listDataItems()
    assert [item.name() for item in items] == ["run 1", "run 2"]
    np.testing.assert_array_equal(items[0].getData()[0], [1, 2])
    table.selectRow(0)
    assert widget(window, "restoreRunButton", QAbstractButton).isEnabled()
    click(qtbot, window, "restoreRunButton")
    assert widget(window, "learningRateSpin").value() == 0.03
    np.testing.assert_array_equal(window.controller.network.params, first.params)
    assert "final weights" in window.statusBar().currentMessage()


# -- the dock on a controller -----------------------------------------------------------------------

def test_two_runs_are_two_rows_newest_last_naming_the_setting_that_differs(controller, step, xor_view):
    first, second = two_runs(controller, step)
    headers, rows = table_cells(xor_view.table)
    assert headers == ["run", "lr", "epochs run", "train loss", "val loss", "accuracy", "ms/epoch"]
    assert [row[:3] for row in rows] == [["run 1", "0.03", "3"], ["run 2", "0.1", "2"]]
    assert first.ms_per_epoch > 0 and first.params is not None
    assert second.params is None and controller.runs.current is second  # run 2 goes on
    assert xor_view.table.model().data(xor_view.table.model().index(1, 0), Qt.ItemDataRole.FontRole).bold()


def test_a_differing_epochs_setting_has_its_own_column_beside_the_epochs_run(controller, step, xor_view):
    controller.set_config(controller.config.replace(max_epochs=30000))
    step(controller, times=2)
    controller.reset()
    controller.set_config(controller.config.replace(max_epochs=600))
    step(controller)
    headers, rows = table_cells(xor_view.table)
    assert headers[:3] == ["run", "epochs", "epochs run"]
    assert [row[:3] for row in rows] == [["run 1", "30000", "2"], ["run 2", "600", "1"]]


def test_selected_rows_draw_one_curve_each_in_table_order_with_x_epoch(controller, step, xor_view):
    assert not xor_view.plot.legend.isVisible()  # nothing selected: no empty legend box
    first, second = two_runs(controller, step)
    xor_view.select_rows([1, 0])
    assert [item.name() for item in curves(xor_view)] == ["run 1", "run 2"]
    for item, record in zip(curves(xor_view), (first, second)):
        x, y = item.getData()
        np.testing.assert_array_equal(x, np.arange(1, record.epochs_run + 1))
        np.testing.assert_allclose(y, record.history["train_loss"])
    assert curves(xor_view)[0].opts["pen"].color() != curves(xor_view)[1].opts["pen"].color()
    xor_view.quantity_combo.setCurrentText("validation loss")
    assert len(curves(xor_view)) == 2
    np.testing.assert_allclose(curves(xor_view)[1].getData()[1], second.history["val_loss"])
    record, epoch, value = xor_view.plot.nearest(2.0, float(second.history["val_loss"][1]))
    assert (record, epoch, value) == (second, 2, pytest.approx(second.history["val_loss"][1]))
    point = xor_view.plot.getPlotItem().vb.mapViewToScene(pg.QtCore.QPointF(2.0, value))
    xor_view.plot.scene().sigMouseMoved.emit(point)
    assert xor_view.plot.readout.textItem.toPlainText() == f"run 2\nepoch 2\nvalidation loss {value:.6g}"
    xor_view.quantity_combo.setCurrentText("metric")
    assert xor_view.plot.getPlotItem().getAxis("left").labelText == "accuracy"
    xor_view.select_rows([1])
    assert [item.name() for item in curves(xor_view)] == ["run 2"] and xor_view.plot.legend.isVisible()
    xor_view.select_rows([])
    assert not xor_view.plot.legend.isVisible()


def test_the_run_in_progress_follows_in_its_row_and_curve(controller, step, xor_view):
    two_runs(controller, step)
    xor_view.select_rows([1])
    step(controller)
    assert len(curves(xor_view)[0].getData()[0]) == 3 and table_cells(xor_view.table)[1][1][2] == "3"


def test_rename_and_delete(controller, step, xor_view):
    two_runs(controller, step)
    model = xor_view.table.model()
    xor_view.select_rows([0, 1])
    assert model.setData(model.index(0, 0), "slow start") and not model.setData(model.index(0, 0), "  ")
    assert table_cells(xor_view.table)[1][0][0] == "slow start"
    assert [item.name() for item in curves(xor_view)] == ["slow start", "run 2"]
    xor_view.select_rows([0])
    xor_view.delete_button.click()
    assert [row[0] for row in table_cells(xor_view.table)[1]] == ["run 2"]
    assert table_cells(xor_view.table)[0][1] == "epochs run"  # one run: no setting differs
    xor_view.select_rows([0])
    xor_view.delete_button.click()  # the run in progress: no longer kept
    step(controller)
    assert table_cells(xor_view.table)[1] == []
    controller.reset()
    step(controller)
    assert [row[0] for row in table_cells(xor_view.table)[1]] == ["run 3"]


def test_pausing_continuing_and_starting_again_is_one_run(controller, step, qtbot):
    controller.load_example("xor")
    controller.set_config(controller.config.replace(max_epochs=100000))
    controller.start()
    qtbot.waitUntil(lambda: controller.history.n >= 2, timeout=5000)
    controller.pause()
    assert controller.stop_and_wait()
    step(controller)
    controller.start()  # resume
    qtbot.waitUntil(lambda: controller.history.n > 5, timeout=5000)
    controller.stop()
    assert controller.stop_and_wait()
    controller.start()  # stopped and started again: the same weights go on, the same run
    qtbot.waitUntil(lambda: controller.history.n > 8, timeout=5000)
    controller.stop()
    assert controller.stop_and_wait()
    assert len(controller.runs) == 1
    np.testing.assert_array_equal(controller.runs[0].history["epoch"], np.arange(1, controller.trainer.epoch + 1))


def test_restore_brings_the_settings_and_final_weights_back(controller, step, xor_view):
    first, second = two_runs(controller, step)
    xor_view.select_rows([0])
    assert xor_view.restore_selected()
    assert controller.config.learning_rate == 0.03 and controller.state == "idle"
    np.testing.assert_array_equal(controller.network.params, first.params)
    assert second.params is not None and second.epochs_run == 2  # the run in progress was kept
    assert "final weights" in xor_view.last_message
    step(controller)
    assert [run.label for run in controller.runs] == ["run 1", "run 2", "run 3"]
    controller.reset()
    np.testing.assert_array_equal(controller.network.params, first.params)  # reset comes back to them


def test_a_model_exported_after_restore_describes_the_restored_runs_weights(controller, step, xor_view, tmp_path):
    first, _ = two_runs(controller, step)
    controller.set_config(controller.config.replace(learning_rate=0.5))
    xor_view.select_rows([0])
    assert xor_view.restore_selected()
    controller.set_config(controller.config.replace(learning_rate=0.2))  # changed, nothing trained
    training = model_of(controller).training
    assert training["epochs_run"] == 3 and training["hyperparameters"]["lr"] == 0.03
    assert training["final"] == {"train_loss": pytest.approx(first.final("train_loss")),
                                 "val_loss": pytest.approx(first.final("val_loss")),
                                 "metric": pytest.approx(first.final("val_metric"))}
    step(controller)  # a new run from the restored weights: the file describes that one
    training = model_of(controller).training
    assert training["epochs_run"] == 1 and training["hyperparameters"]["lr"] == 0.2
    assert training["final"]["train_loss"] == pytest.approx(controller.history.column("train_loss")[-1])
    controller.reset()  # back to the restored weights
    assert model_of(controller).training["epochs_run"] == 3
    save_session(tmp_path / "restored.bpgui.json", session_of(controller))
    apply_session(controller, load_session(tmp_path / "restored.bpgui.json"))
    assert model_of(controller).training["epochs_run"] == 3
    controller.network.params[0] += 0.5  # edited by hand: no longer the run's weights
    controller.weights_edited()
    assert model_of(controller).training["epochs_run"] == 0
    assert model_of(controller).training["final"]["train_loss"] is None


def test_restore_onto_a_network_that_does_not_fit_restores_the_settings_only(controller, step, xor_view):
    controller.set_config(controller.config.replace(learning_rate=0.07))
    step(controller)
    controller.load_example("iris")
    assert controller.config.learning_rate != 0.07 and controller.runs[0].settings.lr == 0.07
    xor_view.select_rows([0])
    assert xor_view.restore_selected()
    assert controller.config.learning_rate == 0.07 and controller.network.sizes == (4, 8, 3)
    assert "do not fit" in xor_view.last_message and "trained on xor" in xor_view.last_message


def test_restore_prepares_the_data_again_with_the_runs_data_settings(controller, step, xor_view):
    step(controller)
    controller.load_table(controller.table, controller.spec.replace(val_split=0.5), controller.source)
    step(controller)
    assert table_cells(xor_view.table)[0][1] == "val_split"
    xor_view.select_rows([0])
    assert xor_view.restore_selected()
    assert controller.spec.val_split == 0.2 and len(controller.data.X_val) < len(controller.data.X_train)
    assert "prepared again with its val_split 0.2" in xor_view.last_message


def test_the_session_keeps_the_runs_and_the_run_in_progress_goes_on(controller, step, xor_view, tmp_path):
    first, _ = two_runs(controller, step)
    controller.runs.rename(0, "mine")
    path = tmp_path / "runs.bpgui.json"
    save_session(path, session_of(controller))
    controller.load_example("iris")
    step(controller)
    assert len(controller.runs) == 3
    apply_session(controller, load_session(path))
    assert [row[0] for row in table_cells(xor_view.table)[1]] == ["mine", "run 2"]
    np.testing.assert_array_equal(controller.runs[0].params, first.params)
    assert controller.runs.current is controller.runs[1]
    step(controller)
    headers, rows = table_cells(xor_view.table)
    assert headers[1] == "lr" and [row[2] for row in rows] == ["3", "3"]  # no "auto" turned into a word
    document = json.loads(path.read_text())
    del document["runs"], document["current_run"], document["network"]["architecture"]
    path.write_text(json.dumps(document))
    apply_session(controller, load_session(path))  # an older file: its history is a run
    assert [(run.label, run.epochs_run) for run in controller.runs] == [("run 1", 2)]


def test_a_run_that_diverges_is_kept_and_marked(controller, step, open_view):
    controller.load_example("houses")
    view = open_view(RunsView)
    controller.set_config(controller.config.replace(learning_rate=10.0, optimizer="sgd"))
    step(controller)
    assert controller.state == "diverged"
    (record,) = controller.runs
    assert record.error == "diverged" and record.settings.lr == 10.0
    model = view.table.model()
    assert model.data(model.index(0, 1)) == "0" and model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole)


def test_the_comparison_exports_as_png_and_csv(controller, step, xor_view, tmp_path):
    two_runs(controller, step)
    xor_view.select_rows([0, 1])
    assert xor_view.export_png(str(tmp_path / "compare.png"))
    assert (tmp_path / "compare.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert xor_view.export_table_csv(str(tmp_path / "runs.csv"))
    table = list(csv.reader(io.StringIO((tmp_path / "runs.csv").read_text())))
    assert table[0][:3] == ["run", "lr", "epochs_run"]
    assert [row[:3] for row in table[1:]] == [["run 1", "0.03", "3"], ["run 2", "0.1", "2"]]
    xor_view.select_rows([1])
    assert xor_view.export_curves_csv(str(tmp_path / "curves.csv"))
    assert [line.split(",")[:2] for line in (tmp_path / "curves.csv").read_text().splitlines()[1:]] == \
        [["run 2", "1"], ["run 2", "2"]]
    errors = []
    controller.errorOccurred.connect(errors.append)
    assert not xor_view.export_png(str(tmp_path / "missing" / "compare.png"))
    assert errors and "missing" in errors[0]
