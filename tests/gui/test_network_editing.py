"""The network editor and the drawn network: layers, confirmation, clicks and hand edits."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QMessageBox

from bpgui.gui.network_view import MAX_SHOWN, Selection
from bpgui.runs import build_network
from helpers import click, click_step, widget


def answer(monkeypatch, button):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or button)
    return asked


def test_add_and_remove_layers_follow_the_data_sizes(qtbot, window, monkeypatch):
    controller = window.controller
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    click(qtbot, window, "addLayerButton")
    assert controller.network.sizes == (2, 8, 8, 1) and not asked  # nothing trained yet: no question
    view = widget(window, "networkView")
    assert (2, 7, 0) in view.links and len(view.neurons) == 2 + 8 + 8 + 1
    click(qtbot, window, "removeLayerButton")
    click(qtbot, window, "removeLayerButton")
    assert controller.network.sizes == (2, 1)


def test_changing_the_architecture_after_training_asks_first(qtbot, window, monkeypatch):
    controller = window.controller
    click_step(qtbot, window, "stepEpochButton")
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    click(qtbot, window, "addLayerButton")
    assert asked and controller.network.sizes == (2, 8, 1) and controller.trainer.epoch == 1
    question = asked[0][2]
    assert "lost" not in question and "the run so far stays in the Runs tab" in question
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    click(qtbot, window, "addLayerButton")
    assert controller.network.sizes == (2, 8, 8, 1) and controller.state == "idle"
    assert [run.epochs_run for run in controller.runs] == [1]  # as the question said


def test_loss_change_keeps_the_weights(qtbot, window, monkeypatch):
    controller = window.controller
    click_step(qtbot, window, "stepEpochButton")
    weights = controller.network.params.copy()
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    loss_combo = widget(window, "lossCombo")
    assert [loss_combo.itemText(i) for i in range(loss_combo.count())] == ["bce", "mse", "half_sse"]
    loss_combo.setCurrentText("mse")
    assert not asked and controller.loss == "mse" and controller.trainer.epoch == 1
    np.testing.assert_array_equal(controller.network.params, weights)


def test_big_layers_are_collapsed(make_window):
    window = make_window(["--example", "digits"])
    view = widget(window, "networkView")
    assert window.controller.network.sizes[0] == 64
    assert sum(1 for layer, _ in view.neurons if layer == 0) <= MAX_SHOWN


def test_click_a_link_then_edit_it_while_paused(qtbot, window):
    controller = window.controller
    click_step(qtbot, window, "stepEpochButton")
    view = widget(window, "networkView")
    line = view.links[1, 0, 2].line()
    middle = view.mapFromScene(QPointF((line.x1() + line.x2()) / 2, (line.y1() + line.y2()) / 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    assert view.selection == Selection("link", 1, 2, 0)
    details = widget(window, "networkDetails").text()
    assert "w = " in details and "dL/dw" in details
    widget(window, "weightEditSpin").setValue(1.25)
    with qtbot.waitSignal(controller.networkChanged):
        click(qtbot, window, "weightEditButton")
    assert controller.network.weights[0][0, 2] == 1.25


def test_neuron_colour_modes_and_highlight(qtbot, window):
    controller = window.controller
    view = widget(window, "networkView")
    click_step(qtbot, window, "stepEpochButton")
    view.select(Selection("neuron", 1, 0))
    assert "delta" in widget(window, "networkDetails").text()
    for mode in ("activation", "bias", "delta"):
        widget(window, "neuronColourCombo").setCurrentText(mode)
        assert view.colour_mode == mode
    controller.highlightRequested.emit({"layer": 1, "stage": "delta"})
    assert view._highlight is not None
    controller.highlightRequested.emit(None)
    assert view._highlight is None


def mean_delta_shown(window):
    text = widget(window, "networkDetails").text()
    return float(text.split("mean |δ| ")[1].split()[0])


def test_a_clicked_neurons_mean_delta_is_the_one_its_colour_and_the_legend_show(qtbot, window):
    controller, view = window.controller, widget(window, "networkView")
    widget(window, "epochsSpin").setValue(300)
    view.select(Selection("neuron", 1, 0))
    with qtbot.waitSignal(controller.stateChanged, timeout=10000, check_params_cb=lambda s: s == "finished"):
        click(qtbot, window, "startButton")
    now = controller.trainer.diagnostics_now()["neuron_abs_delta"]
    shown = mean_delta_shown(window)  # at rest: the diagnostics of the weights as they are
    assert shown == pytest.approx(float(now[0][0]), abs=5e-7)
    assert shown <= view.legend_value + 5e-7
    assert view.report.neuron_abs_delta[0][0] == pytest.approx(shown, abs=5e-7)
    view.select(Selection("neuron", 2, 0))
    assert mean_delta_shown(window) == pytest.approx(float(now[1][0]), abs=5e-7)
    widget(window, "epochsSpin").setValue(100000)
    click(qtbot, window, "startButton")  # while training: the numbers of the frame drawn
    qtbot.waitUntil(lambda: controller.history.n > 310, timeout=5000)
    view.select(Selection("neuron", 1, 0))
    assert mean_delta_shown(window) == pytest.approx(float(view.report.neuron_abs_delta[0][0]), abs=5e-7)
    click(qtbot, window, "stopButton")
    assert controller.stop_and_wait()


def test_links_and_neurons_take_the_colours_of_the_weights_and_deltas(qtbot, window):
    from bpgui.gui.colormap import COOL, NEUTRAL, WARM, diverging_rgb
    from bpgui.gui.network_view import WIDTH_STEPS, link_codes

    # the pen code: sign, then the width step of |w| / largest; non-finite weights thinnest
    codes = link_codes(np.array([1.0, -1.0, 0.5, -0.25, 0.0, np.nan, np.inf]), 1.0)
    assert codes.tolist() == [2 * WIDTH_STEPS + 1, WIDTH_STEPS, WIDTH_STEPS + 1 + 6, 3, WIDTH_STEPS + 1, 0, 0]
    rgb = diverging_rgb([1.0, -1.0, 0.0, np.nan, 2.0, 0.5])
    assert rgb[:5].tolist() == [WARM.tolist(), COOL.tolist(), NEUTRAL.tolist(), NEUTRAL.tolist(), WARM.tolist()]
    assert rgb[5].tolist() == [int(v) for v in NEUTRAL + 0.5 * (WARM - NEUTRAL)]

    click_step(qtbot, window, "stepEpochButton")
    view, network = widget(window, "networkView"), window.controller.network
    largest = max(float(np.abs(W).max()) for W in network.weights)
    for (layer, i, j), line in view.links.items():
        code = link_codes(np.array([network.weights[layer - 1][i, j]]), largest)[0]
        assert line.pen().widthF() == view._pens[code].widthF()
        assert line.pen().color() == view._pens[code].color()
    deltas = window.controller.last_report.neuron_abs_delta
    for (layer, index), ellipse in view.neurons.items():
        if layer > 0:
            expected = diverging_rgb([abs(deltas[layer - 1][index]) / view.scale_value])[0]
            assert ellipse.brush().color().getRgb()[:3] == tuple(expected)


def test_selection_numbers_keep_tiny_values_and_never_show_minus_zero():
    from bpgui.gui.network_panel import _number

    assert _number(0.1234567) == "0.123457"
    assert _number(-3.2e-9) == "-3.2e-09"  # a tiny gradient is not shown as 0.000000
    assert _number(-0.0) == "0.000000" and _number(0) == "0.000000"
    assert _number(np.float32(2.5)) == "2.500000"


def test_legend_says_zero_when_no_gradient_reaches_the_neurons(qtbot, window):
    """Saturated float32 outputs pass back exactly 0: the legend's top reads 0, not 1."""
    import dataclasses

    click_step(qtbot, window, "stepEpochButton")
    view = widget(window, "networkView")
    report = window.controller.last_report
    silent = dataclasses.replace(report, neuron_abs_delta=[np.zeros_like(d) for d in report.neuron_abs_delta])
    view.show_report(silent)
    assert view.legend_value == 0.0 and view.scale_value == 1.0
    view.show_report(report)
    assert view.legend_value == view.scale_value == max(float(d.max()) for d in report.neuron_abs_delta)


def test_changing_the_seed_before_training_draws_the_initial_weights_from_it(qtbot, window):
    from PySide6.QtWidgets import QSpinBox

    controller = window.controller
    widget(window, "seedSpin", QSpinBox).setValue(7)
    expected, _ = build_network(controller.data, controller.architecture, 7)
    np.testing.assert_array_equal(controller.network.params, expected.params)
    click_step(qtbot, window, "stepEpochButton")
    trained = controller.network.params.copy()
    widget(window, "seedSpin", QSpinBox).setValue(8)  # trained already: the weights stay
    assert controller.config.seed == 8
    np.testing.assert_array_equal(controller.network.params, trained)


def test_reset_undoes_a_step_applied_by_the_inspector(qtbot, make_window):
    window = make_window(["--example", "classic-2-2-2"])
    controller = window.controller
    textbook = controller.network.params.copy()
    click(qtbot, window, "inspectorApplyButton")
    assert not np.array_equal(controller.network.params, textbook)
    click(qtbot, window, "resetButton")
    np.testing.assert_array_equal(controller.network.params, textbook)
    widget(window, "seedSpin").setValue(5)  # the textbook's weights are not drawn from a seed
    np.testing.assert_array_equal(controller.network.params, textbook)
