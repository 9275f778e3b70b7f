"""prepare(): columns, task detection, labels, missing values, splits and scaling."""

import numpy as np
import pytest

from bpgui.data import DataError, DatasetSpec, prepare, read_csv, table_from_columns
from bpgui.data.splits import split_rows


def table_of(write_csv, text):
    return read_csv(write_csv(text))


def test_target_defaults_to_last_column_and_features_to_the_rest(write_csv):
    data = prepare(table_of(write_csv, "a,b,y\n1,2,0.5\n3,4,1.5\n5,6,2.7\n"),
                   DatasetSpec(val_split=0))
    assert data.target_names == ("y",) and data.feature_names == ("a", "b")
    assert data.task == "regression" and data.classes is None


def test_unknown_target_lists_the_columns(write_csv):
    with pytest.raises(DataError, match=r'unknown target column "z"; the columns are: a, y'):
        prepare(table_of(write_csv, "a,y\n1,2\n"), DatasetSpec(targets=("z",)))


def test_unknown_feature_lists_the_columns(write_csv):
    with pytest.raises(DataError, match=r'unknown feature column "q"; the columns are: a, y'):
        prepare(table_of(write_csv, "a,y\n1,2\n"), DatasetSpec(features=("q",)))


@pytest.mark.parametrize("column, task, classes", [
    ("1\n2\n1\n2\n3", "classification", (1, 2, 3)),
    ("1.0\n2.0\n1\n2\n1", "classification", (1, 2)),
    ("0.5\n1.5\n2\n3\n4", "regression", None),
    ("a\nb\na\nb\nc", "classification", ("a", "b", "c")),
])
def test_task_auto_and_label_types(write_csv, column, task, classes):
    rows = column.split("\n")
    text = "x,y\n" + "".join(f"{i},{v}\n" for i, v in enumerate(rows))
    data = prepare(table_of(write_csv, text), DatasetSpec(val_split=0))
    assert data.task == task and data.classes == classes
    if classes:
        assert all(type(c) is type(classes[0]) for c in data.classes)


def test_more_than_twenty_integers_is_regression(write_csv):
    text = "x,y\n" + "".join(f"{i},{i}\n" for i in range(21))
    assert prepare(table_of(write_csv, text)).task == "regression"
    text20 = "x,y\n" + "".join(f"{i},{i}\n" for i in range(20))
    assert prepare(table_of(write_csv, text20)).task == "classification"


def test_several_targets_are_regression(write_csv):
    table = table_of(write_csv, "x,a,b\n1,0,1\n2,1,0\n3,0,1\n")
    data = prepare(table, DatasetSpec(targets=("a", "b"), val_split=0, scaling="none"))
    assert data.task == "regression" and data.Y_train.shape == (3, 2)
    with pytest.raises(DataError, match="one target"):
        prepare(table, DatasetSpec(targets=("a", "b"), task="classification"))


def test_single_class_is_an_error(write_csv):
    with pytest.raises(DataError, match='column "y": the target holds a single class'):
        prepare(table_of(write_csv, "x,y\n1,a\n2,a\n3,\n"))


def test_regression_on_text_names_the_cell(write_csv):
    with pytest.raises(DataError, match=r'line 4, column "y": "big" is not a number'):
        prepare(table_of(write_csv, "x,y\n1,2\n2,3\n3,big\n"), DatasetSpec(task="regression"))


def test_two_classes_give_one_column_three_give_one_hot(write_csv):
    two = prepare(table_of(write_csv, "x,y\n1,no\n2,yes\n3,no\n4,yes\n"), DatasetSpec(val_split=0))
    assert two.classes == ("no", "yes") and two.Y_train[:, 0].tolist() == [0, 1, 0, 1]
    assert two.n_outputs_hint == 1
    assert two.targets_for(2)[0].tolist() == [[1, 0], [0, 1], [1, 0], [0, 1]]
    three = prepare(table_of(write_csv, "x,y\n1,b\n2,c\n3,a\n"), DatasetSpec(val_split=0))
    assert three.Y_train.tolist() == [[0, 1, 0], [0, 0, 1], [1, 0, 0]]


def test_missing_target_rows_are_dropped_and_features_imputed(write_csv):
    table = table_of(write_csv, "a,c,y\n1,red,1.5\n,blue,2.5\n3,?,\n5,blue,7.5\nNA,,8.5\n")
    data = prepare(table, DatasetSpec(val_split=0, scaling="none"))
    assert data.n_dropped == 1 and data.n_imputed == 3
    assert data.rows_train.tolist() == [0, 1, 3, 4]
    assert data.input_names == ("a", "c=blue", "c=red")
    assert data.X_train[:, 0].tolist() == [1.0, 3.0, 5.0, 3.0]  # mean of 1 and 5
    assert data.X_train[3, 1:].tolist() == [1.0, 0.0]  # most frequent: blue


def test_missing_drop_policy(write_csv):
    table = table_of(write_csv, "a,c,y\n1,red,1.5\n,blue,2.5\n3,?,\n5,blue,7.5\n")
    data = prepare(table, DatasetSpec(val_split=0, missing="drop"))
    assert data.rows_train.tolist() == [0, 3] and data.n_dropped == 2 and data.n_imputed == 0


def test_no_split_keeps_every_row_in_file_order(write_csv):
    text = "x,y\n" + "".join(f"{i},{i % 2}\n" for i in range(10))
    data = prepare(table_of(write_csv, text), DatasetSpec(val_split=0, test_split=0))
    assert data.rows_train.tolist() == list(range(10)) and len(data.X_val) == 0


def test_stratified_split_puts_each_class_everywhere():
    labels = np.array([0] * 50 + [1] * 10 + [2] * 5)
    train, val, test = split_rows(np.arange(65), 0.2, 0.2, seed=3, labels=labels)
    assert len(train) + len(val) + len(test) == 65
    assert len(set(train) | set(val) | set(test)) == 65
    for part in (train, val, test):
        assert set(labels[part]) == {0, 1, 2}
    assert split_rows(np.arange(65), 0.2, 0.2, seed=3, labels=labels)[1].tolist() == val.tolist()


def test_bad_split_fractions():
    with pytest.raises(DataError, match="validation"):
        split_rows(np.arange(5), 1.2, 0)
    with pytest.raises(DataError, match="leave some rows"):
        split_rows(np.arange(5), 0.5, 0.5)


def test_standard_scaling_uses_training_rows_only():
    table = table_from_columns("t", {"x": [1.0, 2.0, 3.0, 100.0], "y": [1.5, 2.0, 3.0, 4.0]})
    data = prepare(table, DatasetSpec(val_split=0.25, seed=0))
    train_x = table.data["x"][data.rows_train]
    column = data.preprocessor.columns[0]
    assert column["center"] == pytest.approx(train_x.mean())
    assert column["scale"] == pytest.approx(train_x.std())
    assert data.X_train[:, 0].mean() == pytest.approx(0) and data.X_train[:, 0].std() == pytest.approx(1)
    train_y = table.data["y"][data.rows_train]
    assert data.preprocessor.target_center.tolist() == pytest.approx([train_y.mean()])


def test_minmax_and_none_scaling_and_constant_columns():
    table = table_from_columns("t", {"x": [2.0, 4.0, 6.0], "k": [5.0, 5.0, 5.0], "y": [1.0, 2.0, 4.0]})
    minmax = prepare(table, DatasetSpec(scaling="minmax", val_split=0, task="regression"))
    assert minmax.X_train[:, 0].tolist() == [0, 0.5, 1]
    assert minmax.preprocessor.columns[1]["scale"] == 1.0
    assert minmax.Y_train[:, 0].tolist() == [0, 1 / 3, 1]
    none = prepare(table, DatasetSpec(scaling="none", val_split=0, task="regression"))
    assert none.X_train[:, 0].tolist() == [2, 4, 6] and none.preprocessor.target_center is None


def test_kind_overrides(write_csv):
    table = table_of(write_csv, "zip,y\n1000,1.5\n2000,2.5\n1000,3.5\n")
    data = prepare(table, DatasetSpec(kinds=(("zip", "categorical"),), val_split=0))
    assert data.input_names == ("zip=1000", "zip=2000")
    bad = table_of(write_csv, "c,y\n1,1\nx,2\n")
    with pytest.raises(DataError, match=r'line 3, column "c": "x" is not a number'):
        prepare(bad, DatasetSpec(kinds=(("c", "numeric"),)))


def test_spec_round_trip_and_validation():
    spec = DatasetSpec(targets=("y",), kinds=(("c", "categorical"),), scaling="minmax", seed=4)
    assert DatasetSpec.from_dict(spec.to_dict()) == spec
    assert DatasetSpec.from_dict({}) == DatasetSpec()
    with pytest.raises(DataError, match="scaling"):
        DatasetSpec(scaling="log").validate()


def test_whole_numbers_too_large_for_labels_are_not_classes():
    from bpgui.data import detect_task, table_from_columns

    table = table_from_columns("t", {"x": [1.0, 2, 3, 4, 5, 6], "y": [4.0, 1e19, 4, 1e19, 4, 1e19]})
    assert detect_task(table, ("y",), "auto") == "regression"  # 1e19 is past int64's range
    data = prepare(table, DatasetSpec(targets=("y",), task="classification", val_split=0.0))
    assert data.classes == ("4", "1e+19")  # asked for classes: text labels, no overflow
