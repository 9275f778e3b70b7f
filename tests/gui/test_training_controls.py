"""Start, pause, step, stop, reset, reseed and the speed slider, through the object names."""

import time

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar, QSlider, QSpinBox

from helpers import click, click_step, wait_epochs, widget

CONTROL_NAMES = ("startButton", "stopButton", "stepEpochButton", "stepBatchButton", "resetButton",
                 "reseedButton", "speedSlider", "epochProgress", "learningRateSpin", "optimizerCombo",
                 "batchSizeSpin", "epochsSpin", "lossCombo", "l2Spin", "dropoutSpin", "seedSpin",
                 "networkView", "addLayerButton", "removeLayerButton", "lossPlot", "statusLabel")


def test_default_start_is_spiral_ready_to_train(make_window):
    window = make_window([])
    controller = window.controller
    assert controller.source["example"] == "spiral" and controller.state == "idle"
    for name in CONTROL_NAMES:
        widget(window, name)
    assert widget(window, "startButton").isEnabled()
    assert widget(window, "epochProgress", QProgressBar).value() == 0
    assert "idle" in widget(window, "statusLabel").text()
    slider = widget(window, "speedSlider", QSlider)
    assert slider.value() == slider.maximum()


def test_start_pause_step_stop_reset(qtbot, window):
    controller = window.controller
    progress = widget(window, "epochProgress", QProgressBar)
    widget(window, "epochsSpin", QSpinBox).setValue(100000)
    initial = controller.network.params.copy()
    with qtbot.waitSignal(controller.stateChanged, check_params_cb=lambda s: s == "training"):
        click(qtbot, window, "startButton")
    wait_epochs(qtbot, window, 10)
    assert widget(window, "startButton").text() == "Pause"
    click(qtbot, window, "startButton")
    assert controller.state == "paused" and "paused" in widget(window, "statusLabel").text()
    qtbot.waitUntil(lambda: not controller.run_thread.is_running)
    epochs = controller.trainer.epoch
    qtbot.wait(100)
    assert controller.trainer.epoch == epochs and controller.history.n == epochs
    assert progress.value() == epochs and widget(window, "startButton").text() == "Resume"

    click_step(qtbot, window, "stepEpochButton")
    assert controller.trainer.epoch == epochs + 1 and controller.state == "paused"
    click_step(qtbot, window, "stepBatchButton")
    assert controller.trainer.batch_in_epoch == 1 and controller.trainer.epoch == epochs + 1

    click(qtbot, window, "stopButton")
    assert controller.state == "stopped" and progress.value() == epochs + 1
    click(qtbot, window, "resetButton")
    assert controller.state == "idle" and controller.trainer.epoch == 0 and progress.value() == 0
    assert controller.history.n == 0
    np.testing.assert_array_equal(controller.network.params, initial)


def test_run_finishes_at_max_epochs_and_progress_stays(qtbot, window):
    controller = window.controller
    widget(window, "epochsSpin", QSpinBox).setValue(7)
    with qtbot.waitSignal(controller.stateChanged, check_params_cb=lambda s: s == "finished", timeout=5000):
        click(qtbot, window, "startButton")
    progress = widget(window, "epochProgress", QProgressBar)
    assert controller.trainer.epoch == 7 and progress.value() == 7 and progress.maximum() == 7
    assert controller.history.n == 7 and "finished" in widget(window, "statusLabel").text()


def test_step_epoch_from_idle_trains_exactly_one_epoch(qtbot, window):
    controller = window.controller
    click_step(qtbot, window, "stepEpochButton")
    assert controller.trainer.epoch == 1 and controller.history.n == 1 and controller.state == "paused"
    assert widget(window, "epochProgress", QProgressBar).value() == 1


def test_reseed_draws_new_weights_and_bumps_the_seed(qtbot, window):
    controller = window.controller
    seed = widget(window, "seedSpin", QSpinBox).value()
    before = controller.network.params.copy()
    click(qtbot, window, "reseedButton")
    assert widget(window, "seedSpin", QSpinBox).value() == seed + 1
    assert not np.array_equal(before, controller.network.params)
    after = controller.network.params.copy()
    click_step(qtbot, window, "stepEpochButton")
    click(qtbot, window, "resetButton")
    np.testing.assert_array_equal(controller.network.params, after)


def test_learning_rate_changed_while_paused_keeps_the_weights(qtbot, window):
    controller = window.controller
    widget(window, "epochsSpin", QSpinBox).setValue(100000)
    click_step(qtbot, window, "stepEpochButton")
    weights = controller.network.params.copy()
    widget(window, "learningRateSpin").setValue(0.005)
    assert controller.trainer.config.learning_rate == 0.005 and controller.state == "paused"
    np.testing.assert_array_equal(controller.network.params, weights)
    click(qtbot, window, "startButton")
    wait_epochs(qtbot, window, 5)
    click(qtbot, window, "stopButton")
    assert controller.trainer.epoch > 1


def test_learning_rate_changed_while_training_carries_on(qtbot, window):
    controller = window.controller
    widget(window, "epochsSpin", QSpinBox).setValue(100000)
    click(qtbot, window, "startButton")
    wait_epochs(qtbot, window, 5)
    widget(window, "learningRateSpin").setValue(0.002)
    qtbot.waitUntil(lambda: controller.trainer.config.learning_rate == 0.002)
    epochs = controller.history.n
    wait_epochs(qtbot, window, epochs + 5)
    assert controller.state == "training"
    click(qtbot, window, "stopButton")


def test_slowest_speed_still_stops_at_once(qtbot, window):
    controller = window.controller
    widget(window, "speedSlider", QSlider).setValue(0)
    click(qtbot, window, "startButton")
    wait_epochs(qtbot, window, 1)
    qtbot.wait(150)
    assert controller.history.n <= 2  # about one epoch a second
    started = time.perf_counter()
    click(qtbot, window, "stopButton")
    controller.stop_and_wait()
    assert time.perf_counter() - started < 0.5


def test_divergence_stops_with_a_message_and_finite_weights(qtbot, make_window):
    window = make_window(["--example", "plane"])
    controller = window.controller
    widget(window, "optimizerCombo").setCurrentText("sgd")
    widget(window, "learningRateSpin").setValue(10.0)
    with qtbot.waitSignal(controller.stateChanged, check_params_cb=lambda s: s == "diverged", timeout=5000):
        click(qtbot, window, "startButton")
    assert "diverged" in widget(window, "statusLabel").text()
    assert "learning rate" in window.status_label.toolTip()
    assert np.isfinite(controller.network.params).all()
    window.error_box.close()


def test_the_training_menu_shows_the_buttons_shortcuts_and_still_drives_them(qtbot, window):
    menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "&Training")
    texts = [action.text() for action in menu.actions()]
    assert texts == ["Start\tSpace", "Stop\tCtrl+.", "Step epoch\tCtrl+E", "Step batch\tCtrl+B",
                     "Reset\tCtrl+R", "New weights"]
    # shown, not bound twice: the button keeps the key (two bindings would cancel each other)
    assert all(action.shortcut().isEmpty() for action in menu.actions())
    with qtbot.waitSignal(window.controller.stateChanged, timeout=5000,
                          check_params_cb=lambda state: state != "training"):
        qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.trainer.epoch == 1
    with qtbot.waitSignal(window.controller.stateChanged, timeout=5000,
                          check_params_cb=lambda state: state != "training"):
        menu.actions()[2].trigger()
    assert window.controller.trainer.epoch == 2
    assert menu.actions()[0].text() == "Resume\tSpace", [a.text() for a in menu.actions()]


def test_space_starts_pauses_and_resumes_after_the_button_changed_its_word(qtbot, window):
    controller, start = window.controller, widget(window, "startButton")
    controller.set_config(controller.config.replace(max_epochs=100000))
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.state == "training", timeout=5000)
    assert start.text() == "Pause" and start.shortcut().toString() == "Space"
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.state == "paused", timeout=5000)
    assert start.text() == "Resume"
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.state == "training", timeout=5000)
    click(qtbot, window, "stopButton")
    assert controller.stop_and_wait()
