"""The learning-rate schedule in the window: ``scheduleCombo`` and the parameters shown only
when they apply, the rate per epoch in the metrics view and the history, the model and
session files, and the status-bar note on a loss that rose."""

import json

import numpy as np
import pytest
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QSpinBox

from bpgui.engine.schedules import SCHEDULES, rate_function
from helpers import click_step, widget

PARAMETER_SPINS = {"warmup": "warmupSpin", "step_size": "stepSizeSpin", "gamma": "gammaSpin",
                   "cycle": "cycleSpin", "min_lr": "minLrSpin"}
SHOWN = {"constant": {"warmup"}, "step": {"warmup", "step_size", "gamma"},
         "exponential": {"warmup", "gamma"}, "cosine": {"warmup", "min_lr"},
         "cyclic": {"warmup", "cycle", "min_lr"}}


def shown_parameters(window):
    form = window.hyperparameter_panel.form
    return {key for key, name in PARAMETER_SPINS.items() if form.isRowVisible(widget(window, name))}


def metric_view(window):
    return window.view_docks["Metrics"].widget()


def test_schedule_combo_offers_the_words_and_shows_only_the_parameters_that_apply(window):
    combo = widget(window, "scheduleCombo", QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == list(SCHEDULES)
    assert combo.currentText() == "constant" and shown_parameters(window) == SHOWN["constant"]
    for name in SCHEDULES:
        combo.setCurrentText(name)
        assert window.controller.config.schedule == name
        assert shown_parameters(window) == SHOWN[name], name
    combo.setCurrentText("step")
    assert widget(window, "gammaSpin", QDoubleSpinBox).value() == 0.5  # the step default …
    combo.setCurrentText("exponential")
    assert widget(window, "gammaSpin", QDoubleSpinBox).value() == 0.95  # … and exponential's
    assert window.controller.config.gamma is None  # defaults stay defaults


def test_cyclic_minimum_follows_the_learning_rate_until_set_and_stays_below_it(window):
    controller = window.controller
    widget(window, "scheduleCombo", QComboBox).setCurrentText("cyclic")
    widget(window, "learningRateSpin", QDoubleSpinBox).setValue(0.05)
    min_lr = widget(window, "minLrSpin", QDoubleSpinBox)
    assert min_lr.value() == pytest.approx(0.005) and controller.config.min_lr is None
    min_lr.setValue(0.002)
    widget(window, "cycleSpin", QSpinBox).setValue(4)
    assert (controller.config.min_lr, controller.config.cycle) == (0.002, 4)
    widget(window, "learningRateSpin", QDoubleSpinBox).setValue(0.08)
    assert min_lr.value() == 0.002
    min_lr.setValue(0.1)  # above the rate: refused in words, the config keeps its minimum
    assert controller.config.min_lr == 0.002 and "--min-lr" in window.status_label.text()
    window.error_box.close()


def test_cosine_trains_and_the_metric_plot_shows_the_rate_per_epoch(qtbot, window, step, tmp_path):
    controller = window.controller
    widget(window, "scheduleCombo", QComboBox).setCurrentText("cosine")
    assert shown_parameters(window) == {"warmup", "min_lr"}
    widget(window, "warmupSpin", QSpinBox).setValue(1)
    widget(window, "minLrSpin", QDoubleSpinBox).setValue(0.001)
    widget(window, "epochsSpin", QSpinBox).setValue(6)
    lr = controller.config.learning_rate
    with qtbot.waitSignal(controller.stateChanged, timeout=10000,
                          check_params_cb=lambda state: state == "finished"):
        widget(window, "startButton").click()
    expected = [rate_function("cosine", lr, 6, warmup=1, min_lr=0.001)(e) for e in range(1, 7)]
    assert expected[0] == pytest.approx(lr) and expected[-1] == pytest.approx(0.001)
    np.testing.assert_allclose(controller.history.column("lr"), expected, rtol=1e-12)
    view = metric_view(window)
    plot = widget(window, "metricPlot")
    assert view.plot is plot and plot.plotItem.getAxis("right").isVisible()
    assert plot.plotItem.getAxis("right").labelText == "learning rate"
    x, y = view.rate_curve.getData()
    assert view.rate_curve.isVisible()
    np.testing.assert_array_equal(x, [1, 2, 3, 4, 5, 6])
    np.testing.assert_allclose(y, expected, rtol=1e-12)
    assert window.files.export_model(str(tmp_path / "m.json")) is True
    hyperparameters = json.loads((tmp_path / "m.json").read_text())["training"]["hyperparameters"]
    assert (hyperparameters["schedule"], hyperparameters["warmup"], hyperparameters["min_lr"]) == ("cosine", 1, 0.001)


def test_a_session_keeps_the_schedule_and_continues_it_exactly(qtbot, window, tmp_path):
    controller = window.controller
    widget(window, "scheduleCombo", QComboBox).setCurrentText("step")
    widget(window, "stepSizeSpin", QSpinBox).setValue(2)
    widget(window, "gammaSpin", QDoubleSpinBox).setValue(0.3)
    for _ in range(3):
        click_step(qtbot, window, "stepEpochButton")
    path = str(tmp_path / "step.bpgui.json")
    assert window.files.save_session(path) is True
    for _ in range(2):
        click_step(qtbot, window, "stepEpochButton")
    continued, rates = controller.network.params.copy(), controller.history.column("lr").copy()
    widget(window, "scheduleCombo", QComboBox).setCurrentText("constant")
    assert window.files.open_session(path) is True
    assert (controller.config.schedule, controller.config.step_size, controller.config.gamma) == ("step", 2, 0.3)
    assert widget(window, "scheduleCombo", QComboBox).currentText() == "step"
    assert widget(window, "gammaSpin", QDoubleSpinBox).value() == 0.3
    for _ in range(2):
        click_step(qtbot, window, "stepEpochButton")
    np.testing.assert_array_equal(controller.network.params, continued)
    np.testing.assert_array_equal(controller.history.column("lr"), rates)


def test_a_session_file_from_before_the_schedules_still_opens_and_continues(qtbot, window, tmp_path):
    controller = window.controller
    for _ in range(3):
        click_step(qtbot, window, "stepEpochButton")
    # a constant rate: logged, but the metric plot keeps to the metric
    np.testing.assert_array_equal(controller.history.column("lr"), [controller.config.learning_rate] * 3)
    assert not metric_view(window).rate_curve.isVisible()
    assert not widget(window, "metricPlot").plotItem.getAxis("right").isVisible()
    path = tmp_path / "old.bpgui.json"
    assert window.files.save_session(str(path)) is True
    for _ in range(2):
        click_step(qtbot, window, "stepEpochButton")
    continued = controller.network.params.copy()
    document = json.loads(path.read_text())
    for key in ("schedule", "warmup", "step_size", "gamma", "min_lr", "cycle"):
        del document["training"]["config"][key]
    del document["training"]["optimizer"]["learning_rate"]
    del document["history"]["columns"]["lr"]
    path.write_text(json.dumps(document))
    assert window.files.open_session(str(path)) is True
    assert controller.config.schedule == "constant" and np.isnan(controller.history.column("lr")).all()
    for _ in range(2):  # Adam's moments were restored: the run goes on exactly
        click_step(qtbot, window, "stepEpochButton")
    np.testing.assert_array_equal(controller.network.params, continued)


def test_a_loss_that_rose_far_above_its_start_gets_a_note_in_the_status_bar(qtbot, window):
    controller = window.controller
    controller.set_config(controller.config.replace(optimizer="sgd", learning_rate=1e6, max_epochs=30))
    with qtbot.waitSignal(controller.stateChanged, timeout=10000,
                          check_params_cb=lambda state: state == "finished"):
        widget(window, "startButton").click()
    message = window.statusBar().currentMessage()
    assert "training loss rose from" in message and "try a lower one" in message
    widget(window, "resetButton").click()
    controller.set_config(controller.config.replace(optimizer="adam", learning_rate=0.03, max_epochs=5))
    with qtbot.waitSignal(controller.stateChanged, timeout=10000,
                          check_params_cb=lambda state: state == "finished"):
        widget(window, "startButton").click()
    assert "rose" not in window.statusBar().currentMessage()
