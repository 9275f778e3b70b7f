"""Hostile settings through the window: each trains, or says one clear thing, and the views
stay cheap to draw (no wall-clock assertion: the work a view does per redraw is bounded, and
benchmarks/bench_reliability.py --parts hostile measures the event-loop gaps).

Learning rates of 1e6 and 1e-12, a batch larger than the data, no hidden layer, a
2,000-neuron layer, 50 layers, one sample, 200 classes, a constant feature, a target with one
value. pytest-qt fails a test on any exception that escapes into Qt's event loop.
"""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QGraphicsEllipseItem

from helpers import click, click_step, widget

SCREEN = (1600, 1000)  # the smallest screen the window is checked against


def write_csv(path, header, rows):
    path.write_text(header + "\n" + "".join(",".join(map(str, row)) + "\n" for row in rows), encoding="utf-8")
    return str(path)


def many_classes_csv(tmp_path, n_classes=200, per_class=10):
    rng = np.random.default_rng(0)
    rows = [(f"{np.cos(c) + rng.normal(0, .1):.4f}", f"{np.sin(1.3 * c) + rng.normal(0, .1):.4f}", f"c{c:03d}")
            for c in range(n_classes) for _ in range(per_class)]
    return write_csv(tmp_path / "classes.csv", "x1,x2,label", rows)


def errors_of(window):
    shown = []
    window.controller.errorOccurred.connect(shown.append)
    return shown


def view(window, title):
    return window.view_docks[title].widget()


def accept(dialog):
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def import_network(window, tmp_path, hidden):
    """File › Import model of a network with these hidden layers for the window's data."""
    from bpgui.engine import Network
    from bpgui.io.model import Model, save_model

    controller = window.controller
    sizes = (controller.network.n_inputs, *hidden, controller.network.n_outputs)
    network = Network(sizes, ("tanh",) * len(hidden) + (controller.network.activations[-1],))
    network.initialize("glorot", 0)
    path = str(tmp_path / "imported.json")
    save_model(Model(network, controller.loss, controller.task, controller.data.preprocessor), path)
    assert window.files.import_model(path) is True
    assert controller.network.sizes == sizes


def layer_editor(window, index):
    """The editor of hidden layer ``index`` now shown (findChild may find one being deleted)."""
    return window.network_panel.editor.layer_editors[index]


def fits_the_screen(window):
    hint = window.minimumSizeHint()
    return hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1]


# -- learning rates, batch size, no hidden layer ------------------------------------------------

def type_into(qtbot, spin, text):
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


@pytest.mark.parametrize("rate", ["1e6", "1e-12"])
def test_extreme_learning_rates_can_be_typed_and_train_or_say_why(qtbot, make_window, step, rate):
    window = make_window(["--example", "xor"])
    shown = errors_of(window)
    widget(window, "optimizerCombo").setCurrentText("sgd")
    type_into(qtbot, widget(window, "learningRateSpin"), rate)
    assert window.controller.config.learning_rate == float(rate)
    widget(window, "epochsSpin").setValue(20)
    step(window.controller, times=20)
    state = window.controller.state
    if float(rate) > 1:  # sigmoids saturate (a loss far above its start) or the loss overflows
        note = window.statusBar().currentMessage()
        assert (state == "diverged" and len(shown) == 1 and "lower learning rate" in shown[0]) or \
            (state == "finished" and "learning rate (1e+06) is probably too high" in note), (state, shown, note)
    else:
        assert state == "finished" and shown == [] and window.controller.trainer.epoch == 20


def test_a_batch_larger_than_the_data_trains_full_batch(qtbot, window, step):
    shown = errors_of(window)
    widget(window, "batchSizeSpin").setValue(1_000_000)
    assert window.controller.config.batch_size == 1_000_000
    step(window.controller, times=2)
    assert window.controller.trainer.epoch == 2 and shown == []
    assert window.controller.trainer.n_batches == 1


def test_no_hidden_layer_trains_and_the_maps_say_so(qtbot, make_window, step):
    window = make_window(["--example", "spiral"])
    shown = errors_of(window)
    while window.controller.architecture.hidden:
        click(qtbot, window, "removeLayerButton")
    assert window.controller.network.sizes == (2, 1)
    step(window.controller, times=2)
    assert shown == [] and window.controller.trainer.epoch == 2
    assert view(window, "Neuron maps").message.text() == "This network has no hidden layer."
    assert len(view(window, "Gradient health").curves) == 1


# -- wide and deep networks -------------------------------------------------------------------

def test_a_2000_neuron_layer_is_drawn_collapsed_and_mapped_cheaply(qtbot, make_window, step):
    from bpgui.gui.network_editor import LayerEditor
    from bpgui.gui.views.neuron_maps import MAX_NEURONS_PER_LAYER
    from bpgui.visual.output_map import GRID_WORK

    window = make_window(["--example", "spiral"])
    shown = errors_of(window)
    layer_editor(window, 0).units_spin.setValue(2000)
    controller = window.controller
    assert controller.network.sizes[1] == 2000
    step(controller)
    assert shown == [] and controller.trainer.epoch == 1
    drawn = [item for item in window.network_panel.view.scene().items() if isinstance(item, QGraphicsEllipseItem)]
    assert len(drawn) < 60  # 2 inputs, 10 of 2,000, 8, 1 output
    maps = view(window, "Neuron maps")
    assert len(maps.images[0]) == MAX_NEURONS_PER_LAYER  # not one image per neuron
    grid = maps._thumbnail_layout  # rows packed at the top: only the row after the last stretches
    assert [grid.rowStretch(row) for row in range(grid.rowCount())].count(1) == 1
    window.view_docks["Neuron maps"].raise_()
    qtbot.waitUntil(maps.isVisible)
    qtbot.wait(20)
    thumbnails = maps.thumbnails[0]  # evenly spaced: "… 1968 more" widens no column
    steps = {b.x() - a.x() for a, b in zip(thumbnails[:8], thumbnails[1:8])}
    assert len(steps) == 1, steps
    strip = window.network_panel.editor.layers_scroll
    qtbot.waitUntil(lambda: all(editor.activation_combo.isVisible() for editor in strip.widget().findChildren(LayerEditor)))
    qtbot.wait(10)
    for editor in window.network_panel.editor.layer_editors:  # the rebuilt editors are whole, not cut
        bottom = editor.activation_combo.mapTo(strip.widget(), editor.activation_combo.rect().bottomLeft()).y()
        assert bottom < strip.viewport().height(), (bottom, strip.viewport().height())
    boundary = view(window, "Decision boundary")
    assert boundary.grid.size ** 2 * sum(controller.network.sizes[1:]) <= GRID_WORK
    assert boundary.grid_outputs.shape == (boundary.grid.size ** 2, 1)


def test_an_imported_layer_wider_than_the_editor_offers_keeps_its_width(qtbot, window, tmp_path, monkeypatch):
    """The neuron spin box once clamped an imported 2,000-neuron layer to its maximum (1024),
    showing a width the network did not have; an edit then shrank the layer."""
    import bpgui.gui.network_editor as network_editor

    monkeypatch.setattr(network_editor, "MAX_NEURONS", 100)
    import_network(window, tmp_path, (300,))
    assert layer_editor(window, 0).units_spin.value() == 300
    layer_editor(window, 0).activation_combo.setCurrentText("relu")  # an edit of the layer's other setting
    assert window.controller.network.sizes[1] == 300
    assert window.controller.network.activations[0] == "relu"


def test_fifty_layers_fit_the_screen_and_draw_a_spread_of_layers(qtbot, make_window, tmp_path, step):
    from bpgui.gui.views.gradient_norms import PLOTTED_LAYERS
    from bpgui.gui.views.neuron_maps import MAX_LAYERS

    window = make_window(["--example", "spiral"])
    shown = errors_of(window)
    import_network(window, tmp_path, (8,) * 50)
    assert len(window.network_panel.editor.layer_editors) == 50
    assert fits_the_screen(window), window.minimumSizeHint()
    step(window.controller, times=2)
    assert shown == []
    gradients = view(window, "Gradient health")
    assert len(gradients.curves) == PLOTTED_LAYERS and gradients.layers[0] == 1 and gradients.layers[-1] == 51
    assert len(gradients.plot.plotItem.legend.items) == PLOTTED_LAYERS
    warning = gradients.warning.text()
    assert len(warning) < 300, warning  # ranges, not 51 numbers
    maps = view(window, "Neuron maps")
    assert len(maps.images) == MAX_LAYERS and maps.mapped_layers[-1] == 50
    network_view = window.network_panel.view
    assert network_view.transform().m11() >= min(0.3, network_view.viewport().height() / network_view.sceneRect().height())


def test_fifty_layers_through_the_add_button(qtbot, make_window):
    from bpgui.gui.network_editor import MAX_HIDDEN_LAYERS

    window = make_window(["--example", "xor"])
    window.controller.set_architecture(window.controller.architecture.with_hidden((2,) * 49, ("tanh",) * 49))
    click(qtbot, window, "addLayerButton")
    assert len(window.controller.architecture.hidden) == 50 <= MAX_HIDDEN_LAYERS
    assert fits_the_screen(window), window.minimumSizeHint()


# -- data: one sample, 200 classes, constant columns -------------------------------------------

def test_200_classes_train_and_every_view_stays_small(qtbot, make_window, tmp_path, step):
    from bpgui.gui.views.predict import MAX_LINES

    window = make_window([many_classes_csv(tmp_path), "--target", "label"])
    shown = errors_of(window)
    controller = window.controller
    assert controller.network.n_outputs == 200
    step(controller, times=2)
    assert shown == []
    evaluation = view(window, "Evaluation")
    model = evaluation.confusion.model()
    assert model.rowCount() == model.columnCount() == 200
    matrix = [[int(model.index(i, j).data()) for j in range(200)] for i in range(200)]
    assert matrix == evaluation.metrics["confusion_matrix"]
    assert model.headerData(199, Qt.Orientation.Horizontal) == "→ c199"
    predict = view(window, "Predict")
    assert len(predict.output.text().splitlines()) <= MAX_LINES
    assert fits_the_screen(window), window.minimumSizeHint()
    inspector = view(window, "Inspector")
    assert len(inspector.sample_label.text()) < 200
    boundary = view(window, "Decision boundary")
    assert boundary.grid_outputs.shape[1] == 200 and "200 classes share 10 colours" in boundary.message.text()


def test_a_confusion_matrix_refresh_is_one_signal_not_a_cell_each(qtbot, make_window, tmp_path, step):
    """200 classes as 40,000 table items took 1.2 s of the window's time per refresh."""
    window = make_window([many_classes_csv(tmp_path), "--target", "label"])
    step(window.controller)
    model = view(window, "Evaluation").confusion.model()
    signals = []
    model.dataChanged.connect(lambda *_: signals.append("data"))
    model.modelReset.connect(lambda: signals.append("reset"))
    step(window.controller, times=3)
    assert signals and set(signals) == {"data"} and len(signals) <= 6


def test_one_sample_of_one_class_is_refused_in_the_import_dialog(qtbot, window, tmp_path):
    before = window.controller.data
    dialog = window.files.open_csv(write_csv(tmp_path / "one.csv", "x1,x2,y", [(0.5, 0.2, "a")]))
    accept(dialog)
    message = widget(dialog, "csvErrorLabel").text()
    assert dialog.isVisible() and 'column "y"' in message and "single class" in message
    assert "\n" not in message
    dialog.reject()
    assert window.controller.data is before


def test_one_sample_of_a_number_trains(qtbot, window, tmp_path, step):
    shown = errors_of(window)
    dialog = window.files.open_csv(write_csv(tmp_path / "one.csv", "x1,x2,y", [(0.5, 0.2, 1.5)]))
    with qtbot.waitSignal(window.controller.dataChanged):
        accept(dialog)
    step(window.controller, times=2)
    assert shown == [] and window.controller.trainer.epoch == 2
    assert len(window.controller.data.X_train) == 1


def test_a_constant_feature_trains(qtbot, window, tmp_path, step):
    shown = errors_of(window)
    rows = [(f"{i / 50:.3f}", 5, "ab"[i % 2]) for i in range(50)]
    dialog = window.files.open_csv(write_csv(tmp_path / "constant.csv", "x1,x2,y", rows))
    with qtbot.waitSignal(window.controller.dataChanged):
        accept(dialog)
    assert 'note: feature "x2" has the same value (5) in every row' in window.statusBar().currentMessage()
    step(window.controller, times=2)
    assert shown == [] and window.controller.trainer.epoch == 2
    assert np.isfinite(window.controller.history.column("train_loss")).all()


def test_a_target_with_one_class_is_refused_and_one_value_trains(qtbot, window, tmp_path, step):
    rows = [(f"{i / 50:.3f}", f"{(i * 7 % 50) / 50:.3f}", "a") for i in range(50)]
    dialog = window.files.open_csv(write_csv(tmp_path / "one_class.csv", "x1,x2,y", rows))
    accept(dialog)
    assert "single class" in widget(dialog, "csvErrorLabel").text()
    dialog.reject()
    shown = errors_of(window)
    rows = [(f"{i / 50:.3f}", f"{(i * 7 % 50) / 50:.3f}", 3.5) for i in range(50)]
    dialog = window.files.open_csv(write_csv(tmp_path / "one_value.csv", "x1,x2,y", rows))
    with qtbot.waitSignal(window.controller.dataChanged):
        accept(dialog)
    assert 'note: target "y" has the same value (3.5) in every row' in window.statusBar().currentMessage()
    step(window.controller, times=2)
    assert shown == [] and window.controller.task == "regression" and window.controller.trainer.epoch == 2


def test_hostile_runs_leave_the_window_usable(qtbot, make_window, step):
    """After a diverged run the same window trains again from a sane rate."""
    window = make_window(["--example", "xor"])
    widget(window, "optimizerCombo").setCurrentText("sgd")
    widget(window, "learningRateSpin").setValue(1e6)
    step(window.controller, times=5)
    widget(window, "learningRateSpin").setValue(0.1)
    click(qtbot, window, "resetButton")
    click_step(qtbot, window, "stepEpochButton")
    assert window.controller.state == "paused"
    assert np.isfinite(window.controller.history.column("train_loss")).all()


def test_a_deep_networks_links_are_recoloured_in_turns_while_training(qtbot, make_window, tmp_path, monkeypatch):
    """3,200 links took 15-30 ms to recolour every frame; while training a frame takes up to
    LINKS_PER_FRAME of them, layer after layer; at rest the picture is complete."""
    from bpgui.gui.network_view import LINKS_PER_FRAME
    from bpgui.visual.network_layout import largest_weight, link_codes

    window = make_window(["--example", "spiral"])
    import_network(window, tmp_path, (8,) * 50)
    controller, view = window.controller, window.network_panel.view

    def stale_rows():
        largest = largest_weight(controller.network.weights)
        return [layer for layer, sources, targets, _, shown in view._link_rows
                if (link_codes(controller.network.weights[layer - 1][sources, targets], largest) != shown).any()]

    pens = []
    for _, _, _, lines, _ in view._link_rows:
        for line in lines:
            monkeypatch.setattr(line, "setPen", lambda pen, set_pen=line.setPen: (pens.append(1), set_pen(pen)))
    controller.network.params[...] = -controller.network.params  # every link's sign flips
    monkeypatch.setattr(controller, "state", "training")
    view.show_network(controller.network)
    assert 0 < len(pens) <= LINKS_PER_FRAME + 64 and stale_rows()
    for _ in range(len(view._link_rows)):
        view.show_network(controller.network)
    assert stale_rows() == []  # every layer had its turn
    controller.network.params[...] = -controller.network.params
    monkeypatch.setattr(controller, "state", "paused")
    view.show_network(controller.network)
    assert stale_rows() == []  # at rest, all at once
