"""Input neurons carry the data's input names, output neurons their class or target."""

from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsSimpleTextItem

from bpgui.data import CsvOptions, DatasetSpec, load_example, prepare, table_from_columns
from bpgui.gui.network_view import Selection
from bpgui.visual.network_layout import SHOWN_WHEN_COLLAPSED
from bpgui.gui.neuron_names import MAX_LABEL, neuron_names, short_label

from helpers import widget

LONG = "a_rather_long_measurement_name_in_millimetres"


def shop_data():
    """Two numeric features, one categorical (3 categories) and a yes/no target."""
    n = 30
    return prepare(table_from_columns("shop.csv", {
        "age": [20 + i for i in range(n)],
        "colour": [("red", "green", "blue")[i % 3] for i in range(n)],
        LONG: [i % 7 for i in range(n)],
        "bought": [("no", "yes")[i % 2] for i in range(n)],
    }), DatasetSpec(targets=("bought",)))


def texts(window):
    scene = widget(window, "networkView").scene()
    return {item.text(): item for item in scene.items() if isinstance(item, QGraphicsSimpleTextItem)}


def test_names_follow_the_prepared_data():
    iris = prepare(load_example("iris"), DatasetSpec(targets=("species",)))
    inputs, outputs = neuron_names(iris, (4, 8, 3))
    assert inputs == ("sepal_length", "sepal_width", "petal_length", "petal_width")
    assert outputs == ("P(setosa)", "P(versicolor)", "P(virginica)")
    shop = shop_data()
    inputs, outputs = neuron_names(shop, (5, 4, 1))
    assert inputs == ("age", "colour=blue", "colour=green", "colour=red", LONG)
    assert outputs == ("P(yes)",)  # one sigmoid unit: the positive class
    assert neuron_names(shop, (5, 4, 2))[1] == ("P(no)", "P(yes)")
    houses = prepare(load_example("houses"), DatasetSpec(targets=("price",)))
    assert neuron_names(houses, (2, 8, 1)) == (("floor_area", "bedrooms"), ("price",))
    assert neuron_names(houses, (3, 8, 2)) == (None, None)  # a network that does not fit: no names
    assert neuron_names(None, (2, 1)) == (None, None)


def test_long_names_are_cut():
    assert short_label("age") == "age"
    cut = short_label(LONG)
    assert len(cut) == MAX_LABEL and cut.endswith("…") and LONG.startswith(cut[:-1])


def test_iris_neurons_are_labelled_with_tooltips(make_window):
    window = make_window(["--example", "iris"])
    labels = texts(window)
    for name in ("sepal_length", "petal_width", "P(setosa)", "P(virginica)"):
        assert name in labels, name
    view = widget(window, "networkView")
    assert labels["petal_width"].toolTip() == "input 4: petal_width"
    assert view.neurons[0, 3].toolTip() == "input 4: petal_width"
    last = len(view._sizes) - 1
    assert view.neurons[last, 0].toolTip() == "output 1: P(setosa)"
    # the input names sit left of their neuron, the outputs right of theirs
    assert labels["sepal_length"].sceneBoundingRect().right() < view.neurons[0, 0].sceneBoundingRect().left()
    assert labels["P(setosa)"].sceneBoundingRect().left() > view.neurons[last, 0].sceneBoundingRect().right()


def test_collapsed_layers_label_only_the_drawn_neurons(make_window):
    window = make_window(["--example", "digits"])
    labels = texts(window)
    pixels = [text for text in labels if text.startswith("pixel_")]
    assert len(pixels) == SHOWN_WHEN_COLLAPSED
    assert "… 54 more" in labels and "P(0)" in labels and "P(9)" in labels


def test_a_csv_with_the_same_shape_is_relabelled_and_long_names_cut(make_window, tmp_path):
    window = make_window(["--example", "iris"])
    path = tmp_path / "shop.csv"
    data = shop_data()
    rows = ["age,colour," + LONG + ",bought"] + [f"{20 + i},{('red', 'green', 'blue')[i % 3]},{i % 7},"
                                                  f"{('no', 'yes')[i % 2]}" for i in range(30)]
    path.write_text("\n".join(rows) + "\n")
    window.controller.load_csv(str(path), CsvOptions(), DatasetSpec(targets=("bought",)))
    labels = texts(window)
    assert "sepal_length" not in labels
    assert {"age", "colour=red", "P(yes)"} <= set(labels)
    cut = short_label(LONG)
    assert cut in labels and labels[cut].toolTip() == f"input {len(data.input_names)}: {LONG}"


def test_clicked_inputs_and_outputs_say_their_name(make_window):
    window = make_window(["--example", "iris"])
    view = widget(window, "networkView")
    details = widget(window, "networkDetails")
    view.select(Selection("neuron", 0, 2))
    assert details.text().startswith("input 3 (petal_length): x = ")
    view.select(Selection("neuron", len(view._sizes) - 1, 1))
    assert "neuron 2 (P(versicolor)): net input" in details.text()
    assert all(isinstance(view.neurons[key], QGraphicsEllipseItem) for key in view.neurons)
