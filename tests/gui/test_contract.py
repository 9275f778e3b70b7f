"""DESIGN.md §4 "Python entry point for the window" and "Stable object names", sentence by
sentence, through ``create_main_window(argv)`` and the object names only (as the outside
checks do). Each test names the sentence it holds the window to."""

import re
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractButton, QComboBox, QDialog, QDialogButtonBox,
                               QDoubleSpinBox, QFileDialog, QGraphicsView, QLabel,
                               QMainWindow, QProgressBar, QSlider, QSpinBox,
                               QTableWidget, QWidget)

from helpers import click, click_step, wait_epochs, widget

ACTIONS = ("actionOpenCsv", "actionOpenExample", "actionExportModel", "actionImportModel",
           "actionSaveSession", "actionOpenSession", "actionQuit")
NAMED_TYPES = {
    "startButton": QAbstractButton, "stopButton": QAbstractButton,
    "stepEpochButton": QAbstractButton, "stepBatchButton": QAbstractButton,
    "resetButton": QAbstractButton, "reseedButton": QAbstractButton,
    "speedSlider": QSlider, "epochProgress": QProgressBar,
    "learningRateSpin": QDoubleSpinBox, "optimizerCombo": QComboBox, "batchSizeSpin": QSpinBox,
    "epochsSpin": QSpinBox, "lossCombo": QComboBox, "l2Spin": QDoubleSpinBox,
    "dropoutSpin": QDoubleSpinBox, "seedSpin": QSpinBox,
    "networkView": QGraphicsView, "addLayerButton": QAbstractButton,
    "removeLayerButton": QAbstractButton,
    "lossPlot": pg.PlotWidget, "metricPlot": pg.PlotWidget, "gradientNormPlot": pg.PlotWidget,
    "decisionBoundaryView": QWidget,
    "inspectorView": QWidget, "inspectorNextButton": QAbstractButton,
    "inspectorApplyButton": QAbstractButton, "statusLabel": QLabel,
}
STATE_WORDS = ("idle", "training", "paused", "stopped", "finished", "diverged")

# DESIGN.md §3: the classic 2-2-2 worked example
PUBLISHED = {"out_h1": 0.593269992, "out_o1": 0.75136507, "error": 0.298371109,
             "dE/dw5": 0.082167041, "w5 new": 0.35891648, "w1 new": 0.149780716}
PUBLISHED_W_AFTER = [0.149780716, 0.19956143, 0.24975114, 0.29950229,
                     0.35891648, 0.408666186, 0.511301270, 0.561370121]


def status(window):
    return widget(window, "statusLabel", QLabel).text()


def progress(window):
    return widget(window, "epochProgress", QProgressBar).value()


def show_dock_of(window, name):
    """Raise the dock holding the object ``name`` (docks are tabbed; hidden views skip frames)."""
    target = widget(window, name)
    for dock in window.view_docks.values():
        if dock.isAncestorOf(target):
            dock.show()
            dock.raise_()
            return target
    raise AssertionError(f"{name} is in no dock")


def start_and_wait_for(qtbot, window, state, timeout=5000):
    with qtbot.waitSignal(window.controller.stateChanged, timeout=timeout,
                          check_params_cb=lambda s: s == state):
        click(qtbot, window, "startButton")


# -- "Stable object names" ---------------------------------------------------------------------

def test_every_stable_name_exists_once_with_its_stated_type(make_window):
    window = make_window(["--example", "spiral"])
    assert isinstance(window, QMainWindow)
    for name in ACTIONS:
        found = window.findChildren(QAction, name)
        assert len(found) == 1, f"{name}: {len(found)} actions"
    for name, kind in NAMED_TYPES.items():
        found = [o for o in window.findChildren(QObject, name)]
        assert len(found) == 1, f"{name}: {len(found)} objects"
        assert isinstance(found[0], kind), f"{name} is a {type(found[0]).__name__}, not a {kind.__name__}"


def test_loss_plot_first_item_is_the_training_loss_with_x_epoch(qtbot, make_window):
    window = make_window(["--example", "xor"])
    for _ in range(3):
        click_step(qtbot, window, "stepEpochButton")
    items = widget(window, "lossPlot").getPlotItem().listDataItems()
    x, y = items[0].getData()
    np.testing.assert_array_equal(x, [1, 2, 3])
    np.testing.assert_allclose(y, window.controller.history.column("train_loss"))
    assert not np.allclose(y, window.controller.history.column("val_loss"))


def test_metric_and_gradient_norm_plots_draw_per_epoch(qtbot, make_window):
    window = make_window(["--example", "xor"])
    metric = show_dock_of(window, "metricPlot")
    for _ in range(2):
        click_step(qtbot, window, "stepEpochButton")
    x, y = metric.getPlotItem().listDataItems()[0].getData()
    np.testing.assert_array_equal(x, [1, 2])
    np.testing.assert_allclose(y, window.controller.history.column("train_metric"))
    assert metric.getPlotItem().getAxis("left").labelText == "accuracy"
    norms = show_dock_of(window, "gradientNormPlot")
    curves = norms.getPlotItem().listDataItems()
    assert len(curves) == len(window.controller.network.sizes) - 1  # one per layer
    for curve in curves:
        np.testing.assert_array_equal(curve.getData()[0], [1, 2])


def test_plots_in_tabbed_away_docks_hold_the_run_once_it_ends(qtbot, make_window):
    """A script reading metricPlot or gradientNormPlot after a run finds its numbers, though
    their docks' tabs were never selected (hidden views skip frames only while training)."""
    window = make_window(["--example", "xor"])
    widget(window, "epochsSpin", QSpinBox).setValue(30)
    with qtbot.waitSignal(window.controller.stateChanged, timeout=10000,
                          check_params_cb=lambda state: state == "finished"):
        click(qtbot, window, "startButton")
    x, y = widget(window, "metricPlot").getPlotItem().listDataItems()[0].getData()
    np.testing.assert_array_equal(x, np.arange(1, 31))
    np.testing.assert_allclose(y, window.controller.history.column("train_metric"))
    curves = widget(window, "gradientNormPlot").getPlotItem().listDataItems()
    assert len(curves) == len(window.controller.network.sizes) - 1
    for curve in curves:  # every epoch, not only those the window drew
        np.testing.assert_array_equal(curve.getData()[0], np.arange(1, 31))


def test_inspector_applies_twice_from_a_tabbed_away_dock(qtbot, make_window):
    """Apply uses the trace of the network as it is now, seen or not: twice gives the
    textbook's first and then its second step, never the first step twice."""
    from bpgui.engine import apply_trace, trace_sample

    window = make_window(["--example", "classic-2-2-2"])
    controller = window.controller
    X, Y = controller.targets("train")
    expected = controller.network.copy()
    for _ in range(2):
        apply_trace(expected, trace_sample(expected, controller.loss, X[0], Y[0], 0.5, False))
    click(qtbot, window, "inspectorApplyButton")
    result = window.findChild(QLabel, "inspectorResult").text()
    assert "after: 0.291027774" in result
    click(qtbot, window, "inspectorApplyButton")
    np.testing.assert_allclose(controller.network.params, expected.params, atol=1e-12)


def test_decision_boundary_shows_the_output_map_for_two_features(make_window):
    window = make_window(["--example", "xor"])
    view = show_dock_of(window, "decisionBoundaryView")
    assert view.isVisible()
    images = [item for item in view.getPlotItem().items if isinstance(item, pg.ImageItem)]
    assert images and images[0].image is not None and images[0].image.shape[:2] == (100, 100)


# -- "Behaviour the names imply" -------------------------------------------------------------

def test_speed_slider_maximum_is_the_default_and_full_speed(qtbot, make_window):
    window = make_window(["--example", "xor"])
    slider = widget(window, "speedSlider", QSlider)
    assert slider.value() == slider.maximum()
    widget(window, "epochsSpin", QSpinBox).setValue(100000)
    click(qtbot, window, "startButton")
    qtbot.wait(400)
    click(qtbot, window, "startButton")  # pause
    window.controller.stop_and_wait()
    assert window.controller.trainer.epoch > 40  # never slowed down (hundreds a second here)


def test_speed_slider_minimum_is_about_one_epoch_a_second(qtbot, make_window):
    window = make_window(["--example", "xor"])
    controller = window.controller
    slider = widget(window, "speedSlider", QSlider)
    slider.setValue(slider.minimum())
    widget(window, "epochsSpin", QSpinBox).setValue(100000)
    click(qtbot, window, "startButton")
    wait_epochs(qtbot, window, 1, timeout=3000)
    first = time.perf_counter()
    wait_epochs(qtbot, window, 2, timeout=3000)
    between = time.perf_counter() - first
    click(qtbot, window, "stopButton")
    controller.stop_and_wait()
    assert 0.6 < between < 1.6, f"{between:.2f} s between two epochs"


def test_step_epoch_trains_exactly_one_epoch_from_idle_and_from_paused(qtbot, make_window):
    window = make_window(["--example", "xor"])
    controller = window.controller
    assert controller.state == "idle"
    click_step(qtbot, window, "stepEpochButton")
    assert controller.trainer.epoch == 1 and controller.history.n == 1 and progress(window) == 1
    assert "paused" in status(window)
    widget(window, "epochsSpin", QSpinBox).setValue(100000)
    click(qtbot, window, "startButton")
    wait_epochs(qtbot, window, 3)
    click(qtbot, window, "startButton")  # pause
    qtbot.waitUntil(lambda: not controller.run_thread.is_running)
    assert controller.state == "paused"
    epochs = controller.trainer.epoch
    click_step(qtbot, window, "stepEpochButton")
    assert controller.trainer.epoch == epochs + 1 and controller.history.n == epochs + 1
    assert controller.trainer.batch_in_epoch == 0 and controller.state == "paused"


def test_epoch_progress_is_zero_before_a_run_and_kept_until_the_next_run_or_reset(qtbot, make_window):
    window = make_window(["--example", "xor"])
    assert progress(window) == 0
    widget(window, "epochsSpin", QSpinBox).setValue(6)
    start_and_wait_for(qtbot, window, "finished")
    assert progress(window) == 6
    widget(window, "learningRateSpin", QDoubleSpinBox).setValue(0.02)  # still the same run's count
    qtbot.wait(50)
    assert progress(window) == 6
    start_and_wait_for(qtbot, window, "finished")  # the next run counts from 0 again
    assert window.controller.trainer.epoch == 12 and progress(window) == 6
    click(qtbot, window, "resetButton")
    assert progress(window) == 0


def test_status_shows_every_state_in_words(qtbot, make_window):
    window = make_window(["--example", "xor"])
    seen = {"idle": status(window)}
    window.controller.stateChanged.connect(lambda state: seen.setdefault(state, status(window)))
    widget(window, "epochsSpin", QSpinBox).setValue(100000)
    click(qtbot, window, "startButton")
    wait_epochs(qtbot, window, 2)
    click(qtbot, window, "startButton")  # pause
    click(qtbot, window, "stopButton")
    widget(window, "epochsSpin", QSpinBox).setValue(3)
    start_and_wait_for(qtbot, window, "finished")
    widget(window, "optimizerCombo", QComboBox).setCurrentText("sgd")
    widget(window, "learningRateSpin", QDoubleSpinBox).setValue(10.0)
    window.files.open_example("plane")  # regression at lr 10 with sgd diverges
    widget(window, "optimizerCombo", QComboBox).setCurrentText("sgd")
    widget(window, "learningRateSpin", QDoubleSpinBox).setValue(10.0)
    start_and_wait_for(qtbot, window, "diverged")
    window.error_box.close()
    for state in STATE_WORDS:
        assert state in seen and state in seen[state], f"{state}: status said {seen.get(state)!r}"
    assert "learning rate" in status(window) or "learning rate" in window.status_label.toolTip()


# -- CSV import dialog -----------------------------------------------------------------------

def test_csv_import_dialog_loads_the_prepared_csv_with_the_chosen_target(qtbot, make_window,
                                                                         tmp_path, monkeypatch):
    path = tmp_path / "flowers.csv"
    rows = [f"{1 + 0.1 * i:.1f},{5 - 0.05 * i:.2f},{'a' if i % 3 else 'b'},{i % 2}" for i in range(40)]
    path.write_text("petal,sepal,colour,kind\n" + "\n".join(rows) + "\n")
    window = make_window(["--example", "xor"])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kw: (str(path), "CSV files"))
    window.findChild(QAction, "actionOpenCsv").trigger()
    dialog = window.findChild(QDialog, "csvImportDialog")
    assert dialog is not None and dialog.isVisible()
    widget(dialog, "targetColumnCombo", QComboBox).setCurrentText("colour")
    with qtbot.waitSignal(window.controller.dataChanged):
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    data = window.controller.data
    assert data.target_names == ("colour",) and data.task == "classification"
    assert data.feature_names == ("petal", "sepal", "kind") and data.n_inputs == 3
    assert window.controller.network.sizes[0] == 3 and window.controller.state == "idle"


# -- Step-through inspector ------------------------------------------------------------------

def inspector_numbers(view):
    """Every number with at least 6 decimals the inspector shows (labels and tables)."""
    texts = [label.text() for label in view.findChildren(QLabel)]
    for table in view.findChildren(QTableWidget):
        texts += [table.item(r, c).text() for r in range(table.rowCount())
                  for c in range(table.columnCount()) if table.item(r, c) is not None]
    return [float(x) for x in re.findall(r"-?\d+\.\d{6,}", " ".join(texts))]


def test_inspector_walks_the_classic_example_with_six_decimals_and_applies(qtbot, make_window):
    window = make_window(["--example", "classic-2-2-2"])
    view = show_dock_of(window, "inspectorView")
    next_button = widget(window, "inspectorNextButton", QAbstractButton)
    shown = inspector_numbers(view)
    while next_button.isEnabled():
        click(qtbot, window, "inspectorNextButton")
        shown += inspector_numbers(view)
    for name, value in PUBLISHED.items():
        assert any(abs(x - value) < 1e-6 for x in shown), f"{name} = {value} never shown"
    click(qtbot, window, "inspectorApplyButton")
    W0, W1 = window.controller.network.weights
    after = [W0[0, 0], W0[1, 0], W0[0, 1], W0[1, 1], W1[0, 0], W1[1, 0], W1[0, 1], W1[1, 1]]
    np.testing.assert_allclose(after, PUBLISHED_W_AFTER, atol=1e-8)
    assert any(abs(x - 0.291027774) < 1e-6 for x in inspector_numbers(view))  # error after


# -- "Python entry point for the window" -----------------------------------------------------

def test_create_main_window_with_an_example(make_window):
    window = make_window(["--example", "iris"])
    controller = window.controller
    assert isinstance(window, QMainWindow) and controller.source["example"] == "iris"
    assert controller.data.n_inputs == 4 and len(controller.data.classes) == 3
    assert controller.network.sizes[0] == 4 and controller.network.sizes[-1] == 3
    assert controller.state == "idle" and "iris" in window.windowTitle()


def test_create_main_window_with_a_csv_and_target(make_window, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("y,a,b\n" + "".join(f"{2 * i + 1},{i},{i % 5}\n" for i in range(60)))
    window = make_window([str(path), "--target", "y"])
    data = window.controller.data
    assert window.controller.source["csv"] == str(path)
    assert data.target_names == ("y",) and data.feature_names == ("a", "b")
    assert data.task == "regression" and window.controller.network.sizes[0] == 2
    assert "data.csv" in window.windowTitle()
