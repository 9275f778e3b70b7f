"""Drawn data (DESIGN.md §4): clicks on the decision boundary become a dataset that trains,
changes while training (at an epoch boundary), saves as CSV and comes back in sessions."""

import json

import numpy as np
import pytest
from pyqtgraph import PlotWidget
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QDoubleSpinBox, QFileDialog

from bpgui.cli import main
from bpgui.data import DatasetSpec, prepare, read_csv
from bpgui.gui.drawing_session import drawing_session
from helpers import click, click_step, widget

TWO_CLASSES = [(-0.6, -0.5, 0), (-0.4, -0.7, 0), (-0.7, -0.2, 0), (-0.3, -0.4, 0), (-0.5, 0.1, 0),
               (0.5, 0.6, 1), (0.6, 0.3, 1), (0.3, 0.7, 1), (0.7, 0.5, 1), (0.4, 0.1, 1)]


def plane_click(window, x, y, button=Qt.MouseButton.LeftButton):
    """Click the decision-boundary plot where the raw feature values are (x, y)."""
    plot = widget(window, "decisionBoundaryView", PlotWidget)
    scene_point = plot.getViewBox().mapViewToScene(QPointF(x, y))
    QTest.mouseClick(plot.viewport(), button, Qt.KeyboardModifier.NoModifier,
                     plot.mapFromScene(scene_point))


def action(window, name):
    found = window.findChild(QAction, name)
    assert found is not None, f"no action {name}"
    return found


def draw(window, points):
    combo = widget(window, "drawClassCombo", QComboBox)
    for x, y, label in points:
        combo.setCurrentText(str(label))
        plane_click(window, x, y)


def pixel(window):
    """The length of a screen pixel along each axis of the plot, in raw units."""
    return np.array(widget(window, "decisionBoundaryView", PlotWidget).getViewBox().viewPixelSize())


@pytest.fixture
def drawing_window(make_window):
    """A window with File › New drawing chosen (draw mode on, an empty plane)."""
    window = make_window()
    action(window, "actionNewDrawing").trigger()
    assert widget(window, "drawDataButton", QAbstractButton).isChecked()
    return window


def test_the_drawing_objects_exist_with_their_types(window):
    button = widget(window, "drawDataButton", QAbstractButton)
    assert button.isCheckable() and button.isEnabled() and not button.isChecked()
    widget(window, "drawClassCombo", QComboBox)
    widget(window, "drawValueSpin", QDoubleSpinBox)
    widget(window, "clearDrawnButton", QAbstractButton)
    for name in ("actionSaveDataCsv", "actionNewDrawing", "actionNewValueDrawing", "actionUndoDrawing"):
        action(window, name)
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # File › New drawing
    assert button.isChecked() and len(drawing_session(window.controller).drawing) == 0


def test_clicks_add_and_remove_points_clear_empties_and_ctrl_z_undoes(qtbot, drawing_window):
    window, controller = drawing_window, drawing_window.controller
    drawing = drawing_session(controller).drawing
    draw(window, TWO_CLASSES[:3] + TWO_CLASSES[5:7])
    tolerance = 2 * pixel(window)
    assert drawing.values == ["0", "0", "0", "1", "1"]
    expected = np.array([p[:2] for p in TWO_CLASSES[:3] + TWO_CLASSES[5:7]])
    assert np.all(np.abs(drawing.points - expected) <= tolerance)
    assert controller.source["drawing"] is drawing  # two classes: the data now
    np.testing.assert_array_equal(controller.table.column("y"), [0, 0, 0, 1, 1])
    plane_click(window, 0.58, 0.32, Qt.MouseButton.RightButton)  # nearest: (0.6, 0.3)
    assert drawing.values == ["0", "0", "0", "1"] and controller.table.n_rows == 4
    click(qtbot, window, "clearDrawnButton")
    assert len(drawing) == 0
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(drawing) == 4 and controller.table.n_rows == 4
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the removal
    assert drawing.values == ["0", "0", "0", "1", "1"]
    assert np.all(np.abs(drawing.points[-1] - expected[-1]) <= tolerance)


def test_a_drawn_dataset_trains_and_saves_a_csv_that_bpgui_train_reads_the_same(
        qtbot, drawing_window, tmp_path, monkeypatch, capsys):
    window, controller = drawing_window, drawing_window.controller
    draw(window, TWO_CLASSES)
    assert controller.data.task == "classification" and controller.network.sizes == (2, 8, 8, 1)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: controller.history.n >= 20, timeout=10000)
    click(qtbot, window, "stopButton")
    qtbot.waitUntil(lambda: not controller.run_thread.is_running, timeout=5000)
    assert np.isfinite(controller.history.column("train_loss")).all()

    path = tmp_path / "drawn.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "CSV (*.csv)"))
    action(window, "actionSaveDataCsv").trigger()
    assert path.read_text().splitlines()[0] == "x1,x2,y"
    cli = prepare(read_csv(path), DatasetSpec(seed=controller.config.seed))  # bpgui train's reading
    for name in ("X_train", "Y_train", "X_val", "Y_val"):
        np.testing.assert_array_equal(getattr(cli, name), getattr(controller.data, name))
    assert "bpgui train" in window.statusBar().currentMessage()

    # the same run from the command line: the same weights after three epochs
    click(qtbot, window, "resetButton")
    for _ in range(3):
        click_step(qtbot, window, "stepEpochButton")
    model = tmp_path / "m.json"
    assert main(["train", str(path), "--out", str(model), "--hidden", "8,8", "--lr", "0.03",
                 "--batch-size", "16", "--epochs", "3", "--seed", str(controller.config.seed),
                 "--quiet"]) == 0
    layers = json.loads(model.read_text())["layers"]
    for layer, W, b in zip(layers, controller.network.weights, controller.network.biases):
        np.testing.assert_array_equal(np.asarray(layer["weights"], np.float32), W)
        np.testing.assert_array_equal(np.asarray(layer["biases"], np.float32), b)
    capsys.readouterr()


def test_points_drawn_while_training_reach_the_trainer_at_an_epoch_boundary_paced(qtbot, drawing_window):
    window, controller = drawing_window, drawing_window.controller
    draw(window, TWO_CLASSES)
    n_before = len(controller.data.X_train)
    swaps = []
    controller.dataEdited.connect(lambda: swaps.append(controller.trainer.epoch))
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: controller.history.n >= 5, timeout=10000)
    draw(window, [(0.1 * i - 0.5, 0.9, i % 2) for i in range(10)])  # ten quick clicks
    assert swaps == []  # paced: not one data change per click
    qtbot.waitUntil(lambda: controller.table.n_rows == len(TWO_CLASSES) + 10, timeout=5000)
    assert len(swaps) <= 2  # the clicks took far less than two frames
    qtbot.waitUntil(lambda: len(controller.trainer.X) > n_before, timeout=5000)
    assert controller.state == "training"  # the run goes on: same network, same history
    qtbot.waitUntil(lambda: controller.trainer.epoch > swaps[0] + 2, timeout=5000)
    assert controller.history.n > 5 and controller.state == "training"
    click(qtbot, window, "stopButton")
    qtbot.waitUntil(lambda: not controller.run_thread.is_running, timeout=5000)


def test_an_example_becomes_editable_and_keeps_its_network(qtbot, window):
    controller = window.controller
    click_step(qtbot, window, "stepEpochButton")
    network, trained = controller.network, controller.network.params.copy()
    click(qtbot, window, "drawDataButton")
    assert controller.source["example"] == "xor"  # only looking: nothing changed yet
    widget(window, "drawClassCombo", QComboBox).setCurrentText("1")
    plane_click(window, 0.5, 0.5)
    assert controller.table.n_rows == 201 and controller.table.columns == ("x1", "x2", "y")
    assert controller.network is network and controller.trainer.epoch == 1
    np.testing.assert_array_equal(controller.network.params, trained)


def test_a_regression_drawing_takes_its_values_from_drawValueSpin(drawing_window, qtbot):
    window, controller = drawing_window, drawing_window.controller
    action(window, "actionNewValueDrawing").trigger()
    spin = widget(window, "drawValueSpin", QDoubleSpinBox)
    assert spin.isVisible() and not widget(window, "drawClassCombo", QComboBox).isVisible()
    for x, value in ((-0.5, 2.5), (0.0, -1.0), (0.5, 0.25)):
        spin.setValue(value)
        plane_click(window, x, 0.2)
    assert controller.data.task == "regression"
    np.testing.assert_array_equal(controller.table.column("y"), [2.5, -1.0, 0.25])
    click_step(qtbot, window, "stepEpochButton")
    assert controller.history.n == 1


def test_degenerate_drawings_give_a_message_never_a_crash(qtbot, drawing_window):
    window, controller = drawing_window, drawing_window.controller
    status = widget(window, "drawStatusLabel")
    errors = []
    controller.errorOccurred.connect(errors.append)
    previous = controller.source
    draw(window, [TWO_CLASSES[0]])
    assert status.text() == "draw at least two points (1 so far)"
    click(qtbot, window, "startButton")
    assert errors[-1] == "cannot train yet: draw at least two points (1 so far)"
    assert controller.state != "training" and controller.source is previous
    window.error_box.close()
    draw(window, [TWO_CLASSES[1]])
    assert status.text() == "draw points of at least two classes (only class 0 has points)"
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    draw(window, [TWO_CLASSES[5]])  # a point a class: no validation rows, and it trains
    assert status.text() == "2 points: 1 of class 0, 1 of class 1"
    assert len(controller.data.X_train) == 2 and len(controller.data.X_val) == 0
    click_step(qtbot, window, "stepEpochButton")
    assert controller.history.n == 1 and controller.state == "paused"
    draw(window, [TWO_CLASSES[1]])  # the split takes one of class 0's two for validation
    assert len(controller.data.X_train) == 2 and len(controller.data.X_val) == 1
    click_step(qtbot, window, "stepEpochButton")
    assert controller.history.n == 2 and np.isfinite(controller.history.column("val_loss")[-1])


def test_a_new_class_rebuilds_the_network_when_idle_and_asks_for_a_reset_after_training(
        qtbot, drawing_window):
    window, controller = drawing_window, drawing_window.controller
    draw(window, TWO_CLASSES)
    click(qtbot, window, "drawAddClassButton")
    combo = widget(window, "drawClassCombo", QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["0", "1", "2"]
    assert combo.currentText() == "2"
    click_step(qtbot, window, "stepEpochButton")
    network = controller.network
    plane_click(window, 0.0, 0.8)  # class 2 after training: the network stays
    assert controller.network is network and controller.data.classes == (0, 1)
    assert "press Reset" in widget(window, "drawStatusLabel").text()
    click(qtbot, window, "resetButton")
    assert controller.data.classes == (0, 1, 2) and controller.network.sizes[-1] == 3
    plane_click(window, 0.1, 0.8)  # while idle another class-2 point just joins
    assert controller.table.n_rows == len(TWO_CLASSES) + 2


def test_a_session_keeps_the_drawn_points(qtbot, drawing_window, tmp_path):
    window, controller = drawing_window, drawing_window.controller
    draw(window, TWO_CLASSES)
    click_step(qtbot, window, "stepEpochButton")
    points = drawing_session(controller).drawing.points
    weights = controller.network.params.copy()
    path = str(tmp_path / "drawn.bpgui.json")
    assert window.files.save_session(path) is True
    window.files.open_example("circles")  # draw mode stays on: the circles' points to edit
    assert len(drawing_session(controller).drawing) == 200 and not drawing_session(controller).active
    assert window.files.open_session(path) is True
    drawing = drawing_session(controller).drawing
    np.testing.assert_array_equal(drawing.points, points)
    np.testing.assert_array_equal(controller.network.params, weights)
    assert controller.trainer.epoch == 1
    plane_click(window, 0.0, 0.0)  # still editable: the reopened points are the data
    assert controller.table.n_rows == len(TWO_CLASSES) + 1


def test_points_of_one_colour_share_one_brush():
    from bpgui.gui.views.decision_boundary import brushes

    shown = brushes([[1.0, 0.5, 0.0], [0.0, 0.0, 1.0], [1.0, 0.5, 0.0]])
    assert shown[0] is shown[2] and shown[0] is not shown[1]
    assert shown[1].color().getRgb()[:3] == (0, 0, 255)
