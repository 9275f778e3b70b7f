"""Preprocessor: the model file's inputs/outputs sections, transform, targets and decode."""

import json

import numpy as np
import pytest

from bpgui.data import DEFAULT_NA_VALUES, DataError, DatasetSpec, Preprocessor, prepare, read_csv


@pytest.fixture
def mixed(write_csv):
    text = "size,colour,y\n1,red,a\n2,blue,b\n3,red,a\n5,red,b\n"
    table = read_csv(write_csv(text, name="train.csv"))
    return table, prepare(table, DatasetSpec(val_split=0, scaling="standard"))


def test_to_dict_is_exactly_the_design_sections(mixed):
    table, data = mixed
    d = data.preprocessor.to_dict()
    assert set(d) == {"inputs", "outputs"}
    assert set(d["inputs"]) == {"scaling", "columns", "na_values"}
    assert d["inputs"]["scaling"] == "standard"
    assert d["inputs"]["na_values"] == list(DEFAULT_NA_VALUES)
    size = np.array([1.0, 2.0, 3.0, 5.0])
    assert d["inputs"]["columns"] == [
        {"name": "size", "kind": "numeric", "impute": pytest.approx(2.75),
         "center": pytest.approx(2.75), "scale": pytest.approx(size.std())},
        {"name": "colour", "kind": "categorical", "categories": ["blue", "red"], "impute": "red"},
    ]
    assert d["outputs"] == {"targets": ["y"], "classes": ["a", "b"], "center": None, "scale": None}
    json.dumps(d)


def test_round_trip_transforms_the_same(mixed):
    table, data = mixed
    again = Preprocessor.from_dict(json.loads(json.dumps(data.preprocessor.to_dict())))
    assert np.array_equal(again.transform(table), data.X_train)
    assert again.classes == ("a", "b") and again.task == "classification"


def test_from_dict_without_na_values_gets_the_default_list(mixed):
    d = mixed[1].preprocessor.to_dict()
    del d["inputs"]["na_values"]
    assert Preprocessor.from_dict(d).na_values == DEFAULT_NA_VALUES


def test_unseen_category_is_all_zeros_and_missing_is_imputed(mixed, write_csv):
    pre = mixed[1].preprocessor
    table = read_csv(write_csv("colour,size\ngreen,2.75\n,?\n", name="new.csv"))
    X = pre.transform(table)
    assert X.tolist() == [[0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]


def test_transform_names_a_missing_feature_column(mixed, write_csv):
    path = write_csv("size,y\n1,a\n", name="few.csv")
    with pytest.raises(DataError) as info:
        mixed[1].preprocessor.transform(read_csv(path))
    assert str(info.value) == (f'{path}: column "colour": this feature column is missing; '
                               "the file has: size, y")
    assert info.value.column == "colour"


def test_encode_targets_and_unknown_class(mixed, write_csv):
    pre = mixed[1].preprocessor
    table = read_csv(write_csv("size,colour,y\n1,red,b\n2,red,\n3,red,a\n", name="e.csv"))
    Y = pre.encode_targets(table)
    assert Y[0].tolist() == [1.0] and np.isnan(Y[1, 0]) and Y[2].tolist() == [0.0]
    bad = read_csv(write_csv("size,colour,y\n1,red,a\n2,red,zebra\n", name="u.csv"))
    with pytest.raises(DataError, match=r'line 3, column "y": unknown class "zebra"'):
        pre.encode_targets(bad)


def test_integer_classes_survive_json(write_csv):
    table = read_csv(write_csv("x,y\n1,3\n2,1\n3,2\n4,1\n"))
    pre = prepare(table, DatasetSpec(val_split=0)).preprocessor
    again = Preprocessor.from_dict(json.loads(json.dumps(pre.to_dict())))
    assert again.classes == (1, 2, 3)
    assert again.encode_targets(table).tolist() == [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]]


def test_decode_classification():
    pre = Preprocessor("classification", "none", [], ("y",), classes=("a", "b", "c"))
    softmax = np.array([[0.2, 0.3, 0.5]])
    assert pre.decode(softmax).tolist() == [[0.2, 0.3, 0.5]]
    sigmoids = np.array([[0.5, 0.5, 1.0]])
    assert pre.decode(sigmoids).tolist() == [[0.25, 0.25, 0.5]]
    binary = Preprocessor("classification", "none", [], ("y",), classes=(0, 1))
    assert binary.decode(np.array([[0.8]]))[0].tolist() == pytest.approx([0.2, 0.8])


def test_decode_regression():
    scaled = Preprocessor("regression", "standard", [], ("a", "b"),
                          target_center=[10.0, 0.0], target_scale=[2.0, 4.0])
    assert scaled.decode(np.array([[1.0, -1.0]])).tolist() == [[12.0, -4.0]]
    raw = Preprocessor("regression", "none", [], ("a",))
    assert raw.decode(np.array([[3.5]])).tolist() == [[3.5]]
    assert raw.to_dict()["outputs"] == {"targets": ["a"], "classes": None, "center": None,
                                        "scale": None}


def test_regression_targets_scale_and_decode_back(write_csv):
    table = read_csv(write_csv("x,y\n1,10.5\n2,20.5\n3,40.5\n"))
    data = prepare(table, DatasetSpec(val_split=0))
    out = data.preprocessor.to_dict()["outputs"]
    assert out["center"] == [pytest.approx(23.833333333)] and len(out["scale"]) == 1
    assert data.preprocessor.decode(data.Y_train)[:, 0] == pytest.approx([10.5, 20.5, 40.5])


def test_incomplete_dict_is_a_clear_error():
    with pytest.raises(DataError, match="incomplete"):
        Preprocessor.from_dict({"inputs": {}})
