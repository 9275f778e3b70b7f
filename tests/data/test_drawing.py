"""The drawn-points model: editing, undo, the table it makes, degenerate drawings."""

import numpy as np
import pytest

from bpgui.data import DatasetSpec, DataError, load_example, prepare
from bpgui.data.drawing import Drawing


def drawn(*points, task="classification", classes=("0", "1")):
    drawing = Drawing(task, classes)
    for x1, x2, value in points:
        drawing.add(x1, x2, value)
    return drawing


def test_points_make_a_table_of_x1_x2_and_y():
    drawing = drawn((0.1, 0.2, "0"), (-0.5, 0.75, "1"), (0.3, -0.3, "1"))
    table = drawing.table()
    assert table.columns == ("x1", "x2", "y")
    np.testing.assert_array_equal(table.column("x1"), [0.1, -0.5, 0.3])
    np.testing.assert_array_equal(table.column("x2"), [0.2, 0.75, -0.3])
    np.testing.assert_array_equal(table.column("y"), [0.0, 1.0, 1.0])  # integer labels: numbers
    data = prepare(table, DatasetSpec(val_split=0.0))
    assert data.task == "classification" and data.classes == (0, 1)
    assert data.feature_names == ("x1", "x2") and data.target_names == ("y",)


def test_text_labels_stay_text_and_regression_values_are_numbers():
    drawing = drawn((0, 0, "cat"), (1, 1, "dog"), classes=("cat", "dog"))
    assert list(drawing.table().column("y")) == ["cat", "dog"]
    values = drawn((0, 0, 1.5), (1, 1, -2), task="regression")
    np.testing.assert_array_equal(values.table().column("y"), [1.5, -2.0])
    assert prepare(values.table(), DatasetSpec(task="regression", val_split=0)).task == "regression"


def test_remove_nearest_measures_in_screen_units_and_undo_restores_every_edit():
    drawing = drawn((0.0, 0.0, "0"), (10.0, 0.1, "1"), (0.0, 1.0, "1"))
    assert drawing.remove_nearest(9.0, 0.9) == 1  # in plain units (10, 0.1) is nearest
    assert drawing.undo()
    # a pixel spans 100 along x1 and 0.01 along x2: on screen (0, 1) is nearest
    assert drawing.remove_nearest(9.0, 0.9, units=(100.0, 0.01)) == 2
    drawing.clear()
    assert len(drawing) == 0
    drawing.add(0.5, 0.5, "0")
    assert [drawing.undo() for _ in range(3)] == [True, True, True]  # the add, clear, remove
    np.testing.assert_array_equal(drawing.points, [[0.0, 0.0], [10.0, 0.1], [0.0, 1.0]])
    assert drawing.values == ["0", "1", "1"]
    assert [drawing.undo() for _ in range(4)] == [True, True, True, False]  # the first adds
    assert len(drawing) == 0
    assert Drawing().remove_nearest(0.0, 0.0) is None


def test_bad_points_are_refused_with_a_clear_message():
    drawing = Drawing()
    with pytest.raises(ValueError, match='"2" is not one of the classes 0, 1'):
        drawing.add(0, 0, "2")
    with pytest.raises(ValueError, match="finite"):
        drawing.add(float("nan"), 0, "0")
    with pytest.raises(ValueError, match="finite number"):
        Drawing("regression").add(0, 0, float("inf"))
    assert len(drawing) == 0 and not drawing.can_undo


def test_classes_can_be_added_up_to_the_palette():
    drawing = Drawing()
    assert drawing.add_class() == "2"
    assert drawing.classes == ["0", "1", "2"]
    named = Drawing(classes=("cat", "dog"))
    assert named.add_class() == "class 3"
    for _ in range(7):
        named.add_class()
    with pytest.raises(ValueError, match="at most 10 classes"):
        named.add_class()


@pytest.mark.parametrize("points, message", [
    ((), "draw at least two points (0 so far)"),
    (((0, 0, "0"),), "draw at least two points (1 so far)"),
    (((0, 0, "1"), (1, 1, "1")), "draw points of at least two classes (only class 1 has points)"),
])
def test_degenerate_drawings_say_what_is_missing(points, message):
    assert drawn(*points).problem() == message


def test_the_smallest_trainable_drawing_prepares_with_the_usual_split():
    # one point a class: the stratified split keeps both for training (no validation rows)
    drawing = drawn((0, 0, "0"), (1, 1, "1"))
    assert drawing.problem() is None
    data = prepare(drawing.table(), DatasetSpec())
    assert len(data.X_train) == 2 and len(data.X_val) == 0


def test_an_example_becomes_an_editable_drawing():
    table = load_example("xor")
    data = prepare(table, DatasetSpec(targets=("label",)))
    drawing = Drawing.from_data(table, ("x1", "x2"), "label", "classification", data.classes)
    assert drawing.classes == ["0", "1"] and len(drawing) == table.n_rows
    np.testing.assert_array_equal(drawing.table().column("x1"), table.column("x1"))
    np.testing.assert_array_equal(drawing.table().column("y"), table.column("label"))
    x0, y0, width, height = drawing.plane_rect()
    assert x0 < table.column("x1").min() and x0 + width > table.column("x1").max()
    drawing.add(5.0, 0.0, "1")  # outside: the plane grows to hold it
    assert drawing.plane_rect()[0] + drawing.plane_rect()[2] == 5.0


def test_the_session_form_round_trips_exactly():
    drawing = drawn((0.1, 1 / 3, "0"), (2 / 3, -0.7, "1"))
    drawing.add_class()
    copy = Drawing.from_dict(drawing.to_dict())
    np.testing.assert_array_equal(copy.points, drawing.points)
    assert copy.values == drawing.values and copy.classes == ["0", "1", "2"]
    assert copy.extent == drawing.extent and not copy.can_undo
    with pytest.raises((ValueError, KeyError)):
        Drawing.from_dict({"task": "classification", "x1": [0.0], "x2": [0.0], "y": ["7"]})


def test_a_drawn_label_that_is_not_offered_is_a_data_error_free_value_error():
    with pytest.raises(ValueError):
        Drawing(classes=("0", "1"), points=[[0, 0]], values=["5"])
    with pytest.raises(DataError):  # prepare still guards against one class
        prepare(drawn((0, 0, "1"), (1, 1, "1")).table(), DatasetSpec())
