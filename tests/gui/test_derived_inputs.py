"""derivedInputsButton: choosing x1^2 and x2^2 on the circles, and every view that feeds the
network a grid of inputs still working with them."""

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from bpgui.visual import output_map
from helpers import click, click_step, widget


def answer(monkeypatch, button):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or button)
    return asked


def open_choice(qtbot, window):
    click(qtbot, window, "derivedInputsButton")  # window-modal: returns at once
    (dialog,) = [d for d in window.findChildren(QDialog, "derivedInputsDialog") if d.isVisible()]
    return dialog


def items(dialog):
    return [dialog.list.item(row) for row in range(dialog.list.count())]


def check(dialog, *exprs):
    for item in items(dialog):
        if item.text() in exprs:
            item.setCheckState(Qt.CheckState.Checked)


def ok(dialog):
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


@pytest.fixture
def circles(make_window):
    return make_window(["--example", "circles"])


def choose(qtbot, window, *exprs):
    dialog = open_choice(qtbot, window)
    check(dialog, *exprs)
    with qtbot.waitSignal(window.controller.dataChanged):
        ok(dialog)


def test_the_playground_set_is_offered_at_once_for_two_features(qtbot, circles):
    dialog = open_choice(qtbot, circles)
    assert not dialog.filter.isVisibleTo(dialog)  # 7 entries: no filter needed
    assert [item.text() for item in items(dialog)] == ["x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)",
                                                       "cos(x1)", "cos(x2)"]
    assert all(item.checkState() == Qt.CheckState.Unchecked for item in items(dialog))
    dialog.reject()


def test_choosing_squares_on_the_circles_gives_four_inputs_that_train_and_draw(qtbot, circles):
    controller = circles.controller
    choose(qtbot, circles, "x1^2", "x2^2")
    data = controller.data
    assert data.input_names == ("x1", "x2", "x1^2", "x2^2") and controller.spec.derived == ("x1^2", "x2^2")
    assert controller.network.sizes == (4, 8, 1) and controller.state == "idle"
    assert "4 neurons (2 derived)" in circles.network_panel.editor.input_label.text()
    for _ in range(3):
        click_step(qtbot, circles, "stepEpochButton")
    assert controller.trainer.epoch == 3 and np.isfinite(controller.history.column("train_loss")).all()
    boundary = circles.view_docks["Decision boundary"].widget()
    assert boundary.plot.isVisible() and boundary.grid.points.shape == (100 * 100, 4)
    np.testing.assert_allclose(boundary.grid_outputs, controller.network.forward(boundary.grid.points))
    assert boundary.image.image.shape == (100, 100, 4)
    # the grid's derived columns are x1^2 and x2^2 of the plane's raw points, scaled as in the file
    raw = output_map.to_raw(boundary.grid.points[:, :2], *boundary.axes[1:])
    fitted = data.preprocessor.derived
    np.testing.assert_allclose(boundary.grid.points[:, 2], (raw[:, 0] ** 2 - fitted[0]["center"]) / fitted[0]["scale"])
    maps = circles.view_docks["Neuron maps"].widget()
    maps.redraw()
    assert len(maps.input_images) == 4 and len(maps.input_thumbnails) == 4
    assert maps.input_thumbnails[2].toolTip() == "Input x1^2"
    maps._show_large(maps.input_thumbnails[3])
    assert "Input x2^2" in maps.caption.text()
    predict = circles.view_docks["Predict"].widget()
    assert list(predict.inputs) == ["x1", "x2"] and "predicted class" in predict.output.text()
    inspector = circles.view_docks["Inspector"].widget()
    inspector.retrace()
    assert inspector.trace is not None and len(inspector.trace.x) == 4


def test_a_typed_expression_is_checked_in_one_line(qtbot, circles):
    dialog = open_choice(qtbot, circles)
    dialog.expression.setText("x1^3")
    click(qtbot, dialog, "derivedAddButton")
    assert 'derived input "x1^3"' in dialog.error.text() and "A^2, A*B, sin(A), cos(A)" in dialog.error.text()
    dialog.expression.setText("label*x1")
    ok(dialog)  # a bad expression keeps the dialog open
    assert dialog.isVisible() and '"label" is the target' in dialog.error.text()
    dialog.expression.setText("x2 * x2, sin( x1 )")
    with qtbot.waitSignal(circles.controller.dataChanged):
        ok(dialog)
    assert circles.controller.data.input_names == ("x1", "x2", "sin(x1)", "x2*x2")


def test_changing_them_after_training_asks_first(qtbot, circles, monkeypatch):
    controller = circles.controller
    click_step(qtbot, circles, "stepEpochButton")
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    dialog = open_choice(qtbot, circles)
    check(dialog, "x1*x2")
    ok(dialog)
    assert asked and controller.network.sizes == (2, 8, 1) and controller.trainer.epoch == 1
    question = asked[0][2]
    assert "lost" not in question and "the run so far stays in the Runs tab" in question
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    choose(qtbot, circles, "x1*x2")
    assert controller.network.sizes == (3, 8, 1) and controller.trainer.epoch == 0
    assert [run.epochs_run for run in controller.runs] == [1]  # as the question said


def test_the_button_waits_while_training(qtbot, circles):
    controller = circles.controller
    controller.config = controller.config.replace(max_epochs=100000)
    click(qtbot, circles, "startButton")
    qtbot.waitUntil(lambda: controller.state == "training", timeout=5000)
    assert not widget(circles, "derivedInputsButton").isEnabled()
    controller.stop_and_wait()
    qtbot.waitUntil(lambda: widget(circles, "derivedInputsButton").isEnabled(), timeout=5000)


def test_models_and_sessions_keep_them(qtbot, circles, tmp_path):
    controller = circles.controller
    choose(qtbot, circles, "x1^2", "x2^2")
    click_step(qtbot, circles, "stepEpochButton")
    trained = controller.network.params.copy()
    assert circles.files.export_model(str(tmp_path / "m.json")) is True
    document = json.loads((tmp_path / "m.json").read_text())
    assert [item["expr"] for item in document["inputs"]["derived"]] == ["x1^2", "x2^2"]
    assert circles.files.save_session(str(tmp_path / "s.bpgui.json")) is True
    circles.files.open_example("circles")  # the example again: no derived inputs
    assert controller.network.sizes == (2, 8, 1)
    assert circles.files.open_session(str(tmp_path / "s.bpgui.json")) is True
    assert controller.spec.derived == ("x1^2", "x2^2")
    np.testing.assert_allclose(controller.network.params, trained)
    circles.files.open_example("circles")
    assert circles.files.import_model(str(tmp_path / "m.json")) is True  # takes the model's inputs
    assert controller.data.input_names[2:] == ("x1^2", "x2^2")
    np.testing.assert_allclose(controller.network.params, trained, rtol=1e-6)


def test_many_features_get_a_filterable_list(qtbot, make_window):
    window = make_window(["--example", "iris"])
    dialog = open_choice(qtbot, window)
    assert len(items(dialog)) == 4 + 6 + 4 + 4 and dialog.filter.isVisibleTo(dialog)
    dialog.filter.setText("sin")
    assert [item.text() for item in items(dialog) if not item.isHidden()] == \
        [f"sin({name})" for name in window.controller.data.feature_names]
    dialog.reject()
