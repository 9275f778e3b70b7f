"""Gradient health and metric curves."""

import numpy as np
import pytest

from bpgui.runs import Architecture
from bpgui.gui.views.gradient_health import gradient_warnings, layer_list
from bpgui.gui.views.gradient_norms import GradientNormView
from bpgui.gui.views.metric_curves import MetricView


def test_warnings_name_the_vanishing_and_exploding_layers():
    assert gradient_warnings([1e-3, 0.5, 2.0]) == []
    vanishing, exploding = gradient_warnings([1e-8, 3e-7, 0.1, 5e3])
    assert vanishing.startswith("Vanishing gradient in layers 1 and 2")
    assert exploding.startswith("Exploding gradient in layer 4")
    assert gradient_warnings([float("nan")])[0].startswith("Exploding gradient in layer 1")
    assert layer_list([1, 2, 5]) == "layers 1, 2 and 5"
    assert layer_list([*range(1, 50), 51]) == "layers 1–49 and 51"  # not 50 numbers
    assert layer_list([1, 2, 4, 5, 6]) == "layers 1, 2 and 4–6"


def test_a_ten_layer_sigmoid_net_warns_of_vanishing_gradients(step, controller, open_view, load_data):
    load_data("plane")
    controller.set_architecture(Architecture(hidden=(8,) * 10, activations=("sigmoid",) * 10))
    view = open_view(GradientNormView)
    for _ in range(3):
        step(controller)
    assert len(view.curves) == 11
    epochs, norms = view.curves[0].getData()
    assert list(epochs) == [1, 2, 3]
    assert np.all(norms < 1e-6)
    assert "Vanishing gradient in layers 1" in view.warning.text()
    assert view.plot.plotItem.ctrl.logYCheck.isChecked()


def test_a_healthy_net_has_no_warning_and_a_reset_clears_the_curves(step, controller, open_view, load_data):
    load_data("plane")
    view = open_view(GradientNormView)
    legend = view.plot.plotItem.legend
    assert not legend.isVisible()  # no curves yet: no empty box either
    step(controller)
    assert view.warning.text() == ""
    assert len(view.curves) == 3 and len(view.curves[0].getData()[0]) == 1
    assert legend.isVisible() and len(legend.items) == 3
    controller.reset()
    assert len(view.curves) == 3 and all(curve.getData()[0] is None for curve in view.curves)
    assert not legend.isVisible()


def test_metric_plot_shows_train_and_validation_per_epoch(step, controller, open_view, load_data):
    load_data("plane", val_split=0.25)
    view = open_view(MetricView)
    for _ in range(4):
        step(controller)
    epochs, train = view.train_curve.getData()
    assert list(epochs) == [1, 2, 3, 4]
    assert train == pytest.approx(controller.history.column("train_metric"))
    assert view.val_curve.getData()[1] == pytest.approx(controller.history.column("val_metric"))
    assert view.plot.getAxis("left").labelText == "accuracy"


def test_metric_plot_says_r2_for_regression(step, controller, open_view, load_data):
    load_data("surface", val_split=0.0)
    view = open_view(MetricView)
    step(controller)
    assert view.plot.getAxis("left").labelText == "R²"
    assert len(view.val_curve.getData()[0] if view.val_curve.getData()[0] is not None else []) == 0


def test_axis_ranges_grow_in_steps():
    from bpgui.gui.views.plot_ranges import decade_range, epoch_limit, metric_range

    assert epoch_limit(None, 3) == 10 and epoch_limit(10, 11) == 20 and epoch_limit(20, 15) == 20
    assert epoch_limit(10, 1000) == 1280
    assert decade_range([3e-7, 0.2]) == (-8.0, 0.0)
    assert decade_range([1e-6, 0.5], current=(-8.0, 0.0)) == (-8.0, 0.0)  # still covered: kept
    assert metric_range("accuracy", [0.2, 0.9]) == (0.0, 1.0)
    assert metric_range("r2", [-0.37, 0.5]) == (-0.4, 1.0)
    assert metric_range("r2", [-0.1], current=(-0.4, 1.0)) == (-0.4, 1.0)


def test_running_geometric_mean_follows_the_trend_of_a_noisy_series():
    from bpgui.gui.views.gradient_norms import running_geometric_mean

    values = np.array([1.0, 100.0, 1.0, 100.0])
    np.testing.assert_allclose(running_geometric_mean(values, 2), [1.0, 10.0, 10.0, 10.0])
    np.testing.assert_array_equal(running_geometric_mean(values, 1), values)  # short runs: raw
