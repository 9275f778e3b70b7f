"""The step-through inspector against the classic 2-2-2 worked example (DESIGN.md §3)."""

import re

import numpy as np
import pytest

from bpgui.engine import Network, trace_sample
from bpgui.gui.views.inspector import InspectorView
from bpgui.gui.views.inspector_steps import build_stages, fmt

PUBLISHED_LOSS_BEFORE = 0.298371109
PUBLISHED_LOSS_AFTER = 0.291027774
# w1..w8 after one step; w(l;i→j): w1 = w(1;1→1), w2 = w(1;2→1), w3 = w(1;1→2), w4 = w(1;2→2),
# w5 = w(2;1→1), w6 = w(2;2→1), w7 = w(2;1→2), w8 = w(2;2→2)
PUBLISHED_WEIGHTS_AFTER = {
    "w(1;1→1)": 0.149780716, "w(1;2→1)": 0.19956143, "w(1;1→2)": 0.24975114, "w(1;2→2)": 0.29950229,
    "w(2;1→1)": 0.35891648, "w(2;2→1)": 0.408666186, "w(2;1→2)": 0.511301270, "w(2;2→2)": 0.561370121,
}
# The other numbers of the classic tutorial's walk-through
PUBLISHED_FORWARD = {"z(1,1)": 0.3775, "a(1,1)": 0.593269992, "a(1,2)": 0.596884378,
                     "a(2,1)": 0.75136507, "a(2,2)": 0.772928465}
PUBLISHED_GRADIENTS = {"dL/dw(2;1→1)": 0.082167041}


def shown_values(view):
    """``quantity → value`` read from the inspector's table, as the user sees them."""
    table = view.table
    return {table.item(r, 0).text(): float(table.item(r, 2).text()) for r in range(table.rowCount())}


def walk_to(view, key, layer=None):
    """Press Next until the stage ``key`` (of ``layer``) is shown; return what it shows."""
    while True:
        stage = view.stages[view.index]
        if stage.key == key and (layer is None or stage.layer == layer):
            return shown_values(view)
        assert view.next_button.isEnabled(), f"stage {key} {layer} never came"
        view.next_button.click()


@pytest.fixture
def classic(controller, open_view):
    controller.load_example("classic-2-2-2")
    return open_view(InspectorView)


def test_the_classic_example_shows_the_published_numbers(classic):
    forward = {**walk_to(classic, "forward", 1), **walk_to(classic, "forward", 2)}
    for name, value in PUBLISHED_FORWARD.items():
        assert forward[name] == pytest.approx(value, abs=1e-8)
    loss = walk_to(classic, "loss")
    assert loss["L (half_sse)"] == pytest.approx(PUBLISHED_LOSS_BEFORE, abs=1e-8)
    gradients = walk_to(classic, "gradient", 2)
    assert gradients["dL/dw(2;1→1)"] == pytest.approx(PUBLISHED_GRADIENTS["dL/dw(2;1→1)"], abs=1e-8)
    new_weights = {**walk_to(classic, "update", 2), **walk_to(classic, "update", 1)}
    for name, value in PUBLISHED_WEIGHTS_AFTER.items():
        assert new_weights[f"{name} new"] == pytest.approx(value, abs=1e-8)
    assert not classic.next_button.isEnabled()  # the last stage


def test_numbers_are_shown_with_nine_decimals(classic):
    classic.next_button.click()
    text = classic.table.item(0, 2).text()
    assert re.fullmatch(r"-?\d+\.\d{9}", text)
    assert "0.050000000·0.150000000 + 0.100000000·0.200000000 + 0.350000000" in classic.stage_text()


def test_the_delta_formula_has_the_numbers_filled_in(classic):
    walk_to(classic, "delta", 1)
    line = next(l for l in classic.stage_text().splitlines() if l.startswith("δ(1,1)"))
    # δh1 = (w5·δo1 + w7·δo2) · out_h1·(1 − out_h1)
    assert line.startswith("δ(1,1) = (0.400000000·0.138498562 + 0.500000000·(-0.038098237)) · "
                           "0.593269992·(1 − 0.593269992) = 0.008771355")


def test_apply_changes_the_network_and_shows_the_loss_after(classic, controller, qtbot):
    with qtbot.waitSignal(controller.networkChanged):
        classic.apply_button.click()
    W0, W1 = controller.network.weights
    after = [W0[0, 0], W0[1, 0], W0[0, 1], W0[1, 1], W1[0, 0], W1[1, 0], W1[0, 1], W1[1, 1]]
    assert after == pytest.approx(list(PUBLISHED_WEIGHTS_AFTER.values()), abs=1e-8)
    assert fmt(PUBLISHED_LOSS_AFTER) in classic.result.text()
    assert fmt(PUBLISHED_LOSS_BEFORE) in classic.result.text()
    assert classic.trace.loss == pytest.approx(PUBLISHED_LOSS_AFTER, abs=1e-8)


def test_back_and_next_walk_the_stages_and_request_highlights(classic, controller, qtbot):
    assert not classic.back_button.isEnabled()
    with qtbot.waitSignal(controller.highlightRequested) as blocker:
        classic.next_button.click()
    assert blocker.args == [{"layer": 1, "stage": "forward"}]
    classic.back_button.click()
    assert classic.index == 0
    keys = [stage.key for stage in classic.stages]
    assert keys == ["input", "forward", "forward", "loss", "delta", "delta",
                    "gradient", "gradient", "update", "update"]


def test_picking_another_sample_retraces(controller, open_view, load_data):
    load_data("plane", val_split=0.0)
    view = open_view(InspectorView)
    view.select_sample(7)
    X, Y = controller.targets("train")
    assert view.trace.x == pytest.approx(X[7].astype(view.trace.x.dtype))
    assert view.trace.y == pytest.approx(Y[7])


@pytest.mark.parametrize("activations,loss", [
    (("tanh", "linear"), "mse"), (("relu", "softmax"), "cross_entropy"),
    (("elu", "sigmoid"), "half_sse"), (("leaky_relu", "tanh"), "mse"),
])
def test_every_stage_row_shows_a_value_of_the_trace(activations, loss):
    network = Network.create((3, 4, 2), activations, seed=3, dtype="float64")
    trace = trace_sample(network, loss, [0.3, -1.2, 0.5], [1.0, 0.0], 0.1)
    stages = build_stages(network, trace)
    traced = {float(v) for layer in trace.layers for array in
              (layer.inputs, layer.net_input, layer.activation, layer.delta, layer.grad_weights,
               layer.grad_biases, layer.update_weights, layer.update_biases) for v in np.ravel(array)}
    traced |= {float(trace.loss)} | {float(v) for v in trace.y}
    for stage in stages:
        for row in stage.rows:
            if not row.quantity.endswith(" new"):
                assert float(row.value) in traced, (stage.title, row.quantity)


def test_stages_are_formatted_when_shown_from_the_weights_as_traced():
    """Only the stage on screen is formatted; editing the network afterwards (the inspector
    retraces then anyway) does not change the stages of the old trace."""
    network = Network.create((2, 3, 1), ("tanh", "sigmoid"), seed=1, dtype="float64")
    trace = trace_sample(network, "bce", [0.5, -0.5], [1.0], 0.1)
    stages = build_stages(network, trace)
    assert not any("rows" in vars(stage) for stage in stages)
    w_before = float(network.weights[0][0, 0])
    network.weights[0][...] = 7.0
    forward = next(stage for stage in stages if stage.key == "forward")
    assert fmt(w_before) in forward.rows[0].formula and "7.000000000" not in forward.rows[0].formula
    assert [stage for stage in stages if "rows" in vars(stage)] == [forward]


def test_update_stages_say_how_training_differs_from_the_one_sample_step(controller, open_view, load_data):
    from bpgui.engine import TrainConfig
    from bpgui.gui.views.inspector_steps import training_differences

    textbook = TrainConfig(optimizer="sgd", batch_size=1)
    assert training_differences(textbook, 100) == ""
    assert training_differences(TrainConfig(optimizer="sgd", batch_size=32), 1) == ""  # one row
    busy = TrainConfig(optimizer="adam", batch_size=32, l2=0.01, dropout=0.2)
    assert training_differences(busy, 100) == (
        "This is the plain gradient step for this one sample; training itself uses the adam "
        "optimiser, gradients averaged over batches of 32 rows, L2 0.01, dropout 0.2.")
    load_data("plane", val_split=0.0)
    view = open_view(InspectorView)
    update = next(stage for stage in view.stages if stage.key == "update")
    note = training_differences(controller.config, len(controller.data.X_train))
    assert note.startswith("This is the plain gradient step") and update.rule.endswith("\n" + note)
