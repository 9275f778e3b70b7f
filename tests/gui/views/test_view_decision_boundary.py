"""The decision boundary and the neuron maps against the engine's own forward pass."""

import time

import numpy as np
import pytest

from bpgui.engine import Network
from bpgui.visual import output_map
from bpgui.gui.views.decision_boundary import DecisionBoundaryView
from bpgui.gui.views.inspector import InspectorView
from bpgui.gui.views.neuron_maps import NeuronMapsView
from bpgui.gui.views.selection import sample_selection


def test_the_grid_is_the_network_input_of_the_raw_plane():
    center, scale = np.array([5.0, -2.0]), np.array([3.0, 10.0])
    X = np.array([[-1.0, -1.0], [1.0, 2.0]])
    grid = output_map.plane_grid(X, center, scale, size=10, padding=0.1)
    x0, y0, width, height = grid.raw_rect
    assert (x0, y0) == pytest.approx((2.0 - 0.6, -12.0 - 3.0))  # 10 % of 6 and of 30
    assert (width, height) == pytest.approx((6.0 * 1.2, 30.0 * 1.2))
    raw = output_map.to_raw(grid.points, center, scale)
    assert raw[0] == pytest.approx([x0 + width / 20, y0 + height / 20])  # first cell centre
    assert raw[1, 0] > raw[0, 0] and raw[1, 1] == raw[0, 1]  # x varies fastest (row-major)


def test_the_map_holds_the_engines_outputs_on_the_grid(controller, open_view, load_data):
    data = load_data("plane", test_split=0.2)
    view = open_view(DecisionBoundaryView)
    _, center, scale = output_map.plane_axes(data.preprocessor.columns)
    X_all = np.vstack([data.X_train, data.X_val, data.X_test])
    expected_grid = output_map.plane_grid(X_all, center, scale)
    assert view.grid.points == pytest.approx(expected_grid.points)
    assert view.grid_outputs == pytest.approx(controller.network.forward(expected_grid.points))
    image = view.image.image
    assert image.shape == (100, 100, 4)
    placed = view.image.mapRectToParent(view.image.boundingRect())
    assert (placed.x(), placed.y(), placed.width(), placed.height()) == pytest.approx(expected_grid.raw_rect)
    expected = output_map.classification_image(view.grid_outputs, 100)
    np.testing.assert_array_equal(image, expected)


def test_the_map_follows_edits_of_the_weights(controller, open_view, load_data):
    load_data("plane")
    view = open_view(DecisionBoundaryView)
    before = view.grid_outputs.copy()
    controller.network.biases[-1][...] += 2.0
    controller.weights_edited()
    assert view.grid_outputs == pytest.approx(controller.network.forward(view.grid.points))
    assert not np.allclose(before, view.grid_outputs)


def test_discretize_paints_only_class_colours(open_view, load_data):
    load_data("plane")
    view = open_view(DecisionBoundaryView)
    view.discretize.setChecked(True)
    shown = {tuple(c) for c in view.image.image.reshape(-1, 4)[:, :3]}
    palette = {tuple(c) for c in np.vstack([
        output_map.classification_image(np.array([[p]]), 1)[0, 0, :3] for p in (0.0, 1.0)])}
    assert shown <= palette


def test_regression_draws_the_predicted_surface_in_target_units(controller, open_view, load_data):
    data = load_data("surface")
    view = open_view(DecisionBoundaryView)
    values = data.preprocessor.decode(controller.network.forward(view.grid.points))[:, 0]
    expected = output_map.value_image(values, 100, view._value_levels)
    np.testing.assert_array_equal(view.image.image, expected)
    assert not view.discretize.isVisible()


def test_data_without_two_numeric_features_shows_a_message(qtbot, open_view, load_data):
    load_data("wide")
    view = open_view(DecisionBoundaryView)
    qtbot.wait(10)
    assert not view.plot.isVisible()
    assert "two numeric input features" in view.message.text()
    # at the top, with one line on drawing instead of a disabled drawing row in mid-air
    assert view.message.isVisible() and view.message.geometry().bottom() < view.height() // 3
    assert not view.tools.isVisible() and not view.discretize.isVisible() and not view.show_held_out.isVisible()
    assert "File › New drawing" in view.message.text()
    load_data("plane")
    assert view.plot.isVisible() and view.tools.isVisible() and not view.message.isVisible()
    assert view.discretize.isVisible() and view.show_held_out.isVisible()


def test_clicking_a_point_selects_it_in_the_inspector(controller, open_view, load_data):
    load_data("plane")
    open_view(DecisionBoundaryView)
    inspector = open_view(InspectorView)
    sample_selection(controller).sampleSelected.emit(11)
    assert inspector.sample_spin.value() == 12


def test_redraw_costs_a_few_milliseconds_on_a_2_8_8_1_net(controller, open_view, load_data):
    load_data("plane")
    assert controller.network.sizes == (2, 8, 8, 1)
    view = open_view(DecisionBoundaryView)
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        view.redraw()
        timings.append(time.perf_counter() - started)
    assert np.median(timings) < 0.010  # measured ~1 ms; generous for a loaded CI machine


def test_neuron_maps_show_each_hidden_neuron(controller, open_view, load_data):
    load_data("plane")
    view = open_view(NeuronMapsView)
    assert [len(row) for row in view.thumbnails] == [8, 8]
    hidden = controller.network.layer_outputs(view.grid.points)[1]
    neuron = hidden[:, 3]
    expected = output_map.value_image(neuron, view.grid.size, output_map.value_levels(neuron))
    np.testing.assert_array_equal(view.images[0][3], expected)
    view._show_large(view.thumbnails[1][2])
    assert "Layer 2, neuron 3" in view.caption.text()
    assert not view.large.pixmap().isNull()


def test_hidden_neuron_images_are_per_neuron():
    network = Network.create((2, 3, 2, 1), ("tanh", "relu", "sigmoid"), seed=0)
    grid = output_map.plane_grid(np.array([[0.0, 0.0], [1.0, 1.0]]), np.zeros(2), np.ones(2), 8)
    images = output_map.hidden_neuron_images(network, grid)
    assert [len(layer) for layer in images] == [3, 2]
    assert images[0][0].shape == (8, 8, 4) and images[0][0].dtype == np.uint8


def test_layer_images_equal_one_value_image_per_neuron():
    # columns: ordinary, constant (flat), with NaN and inf, all NaN (no finite value)
    rng = np.random.default_rng(3)
    values = rng.normal(size=(16, 4))
    values[:, 1] = 0.25
    values[[2, 5], 2], values[7, 2] = np.nan, np.inf
    values[:, 3] = np.nan
    images = output_map.layer_value_images(values, 4)
    assert images.shape == (4, 4, 4, 4) and images.dtype == np.uint8
    for j in range(4):
        column = values[:, j]
        expected = output_map.value_image(column, 4, output_map.value_levels(column))
        np.testing.assert_array_equal(images[j], expected)


def test_hidden_neuron_images_of_chosen_layers_and_first_neurons():
    network = Network.create((2, 5, 4, 3, 1), ("tanh", "relu", "tanh", "sigmoid"), seed=0)
    grid = output_map.plane_grid(np.array([[0.0, 0.0], [1.0, 1.0]]), np.zeros(2), np.ones(2), 8)
    every = output_map.hidden_neuron_images(network, grid)
    chosen = output_map.hidden_neuron_images(network, grid, max_units=2, layers=[1, 3])
    assert [len(layer) for layer in chosen] == [2, 2]
    np.testing.assert_array_equal(chosen[1], every[2][:2])  # each neuron scaled to its own range


def test_the_map_grid_is_coarser_for_wide_networks_only():
    assert output_map.grid_size_for((2, 16, 16, 1)) == output_map.GRID_SIZE
    assert output_map.grid_size_for((2, 16, 1), largest=32) == 32
    wide = output_map.grid_size_for((2, 2000, 1))
    assert wide ** 2 * 2001 <= output_map.GRID_WORK < (wide + 1) ** 2 * 2001
    assert output_map.grid_size_for((2, 10**6, 1)) == output_map.MIN_GRID_SIZE
