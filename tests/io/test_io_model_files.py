"""Model JSON and NPZ files: the schema of DESIGN.md §4, exact round trips, clear errors."""

import json
import zipfile

import numpy as np
import pytest

from bpgui.data import read_csv
from bpgui.io.model import ModelFileError, load_layers, load_model, save_model
from bpgui.runs import RunSettings

MODEL_KEYS = ["format", "version", "task", "inputs", "outputs", "layers", "loss", "training"]


def test_json_file_follows_the_schema(model_files):
    document = json.loads(model_files["binary"].read_text())
    assert list(document) == MODEL_KEYS
    assert document["format"] == "bpgui-model" and document["version"] == 1
    assert document["task"] == "classification" and document["loss"] == "bce"
    columns = document["inputs"]["columns"]
    assert [c["name"] for c in columns] == ["x1", "x2", "colour"]
    assert set(columns[0]) == {"name", "kind", "impute", "center", "scale"}
    assert columns[2] == {"name": "colour", "kind": "categorical",
                          "categories": ["blue", "green", "red"], "impute": columns[2]["impute"]}
    assert document["inputs"]["scaling"] == "standard"
    assert document["outputs"] == {"targets": ["label"], "classes": ["no", "yes"], "center": None, "scale": None}
    layers = document["layers"]
    assert [layer["units"] for layer in layers] == [16, 8, 1]
    assert [layer["activation"] for layer in layers] == ["tanh", "tanh", "sigmoid"]
    assert np.array(layers[0]["weights"]).shape == (5, 16) and len(layers[0]["biases"]) == 16
    training = document["training"]
    assert training["epochs_run"] == 15 and training["seed"] == 0
    hyper = training["hyperparameters"]
    assert set(RunSettings().to_dict()) <= set(hyper)
    for key in ("hidden", "activation", "output_activation", "init", "dtype"):
        assert key in hyper
    assert hyper["dtype"] == "float32" and hyper["hidden"] == [16, 8] and hyper["epochs"] == 15
    assert set(training["final"]) == {"train_loss", "val_loss", "metric"}


def test_classes_keep_their_type(model_files):
    document = json.loads(model_files["multiclass"].read_text())
    assert document["outputs"]["classes"] == [0, 1, 2]
    assert document["layers"][-1]["activation"] == "softmax" and document["loss"] == "cross_entropy"


def test_regression_file_stores_the_target_scaling(model_files):
    outputs = json.loads(model_files["regression"].read_text())["outputs"]
    assert outputs["targets"] == ["t1", "t2"] and outputs["classes"] is None
    assert len(outputs["center"]) == 2 and outputs["scale"][0] > 100


@pytest.mark.parametrize("name", ["binary", "multiclass", "regression", "regression64", "binary_softmax",
                                  "multiclass_sigmoid"])
def test_json_and_npz_round_trips_predict_exactly_the_same(name, model_files, data_of, tmp_path):
    model = load_model(model_files[name])
    table = read_csv(data_of(name))
    expected = model.predict(table).outputs
    npz, json_again = tmp_path / "m.npz", tmp_path / "again.json"
    save_model(model, npz)
    save_model(load_model(npz), json_again)
    for path in (npz, json_again):
        reloaded = load_model(path)
        assert reloaded.network.dtype == model.network.dtype
        np.testing.assert_array_equal(reloaded.predict(table).outputs, expected)
        assert reloaded.training == model.training
    assert json_again.read_text() == model_files[name].read_text()


def test_npz_holds_weight_arrays_and_meta_without_weights(model_files, tmp_path):
    model = load_model(model_files["regression64"])
    path = tmp_path / "m.npz"
    save_model(model, path)
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["W0", "W1", "W2", "b0", "b1", "b2", "meta"]
        assert archive["meta"].shape == () and archive["meta"].dtype.kind == "U"
        meta = json.loads(str(archive["meta"][()]))
        assert archive["W0"].dtype == np.float64
        np.testing.assert_array_equal(archive["W1"], model.network.weights[1])
    assert "weights" not in meta["layers"][0] and "biases" not in meta["layers"][0]
    assert meta["layers"][0]["units"] == 16 and meta["format"] == "bpgui-model"


def test_load_layers_needs_only_the_layers(tmp_path):
    path = tmp_path / "layers.json"
    path.write_text(json.dumps({"layers": [
        {"units": 2, "activation": "sigmoid", "weights": [[0.15, 0.25], [0.2, 0.3]], "biases": [0.35, 0.35]},
        {"units": 1, "activation": "linear", "weights": [[0.4], [0.5]], "biases": [0.6]}]}))
    weights, biases, activations = load_layers(path)
    assert activations == ["sigmoid", "linear"]
    np.testing.assert_array_equal(weights[0], [[0.15, 0.25], [0.2, 0.3]])
    np.testing.assert_array_equal(biases[1], [0.6])


def _broken_json_files(good):
    document = json.loads(good)
    wrong_shape = json.loads(good)
    wrong_shape["layers"][1]["weights"] = wrong_shape["layers"][1]["weights"][:-1]
    bad_activation = json.loads(good)
    bad_activation["layers"][0]["activation"] = "swish"
    bad_version = dict(document, version=99)
    no_inputs = {key: value for key, value in document.items() if key != "inputs"}
    text_weight = json.loads(good)
    text_weight["layers"][0]["biases"][0] = "x"
    bad_pair = dict(document, loss="cross_entropy")
    return {
        "empty": ("", "empty"),
        "truncated": (good[: len(good) // 2], "truncated"),
        "foreign": ('{"name": "something else"}', "not a bpgui model"),
        "array": ("[1, 2, 3]", "not a bpgui model"),
        "binary": ("\x00\xff\xfe garbage", "not"),
        "wrong_shape": (json.dumps(wrong_shape), "layer 2"),
        "bad_activation": (json.dumps(bad_activation), "swish"),
        "bad_version": (json.dumps(bad_version), "version 99"),
        "no_inputs": (json.dumps(no_inputs), '"inputs"'),
        "text_weight": (json.dumps(text_weight), "numbers"),
        "bad_pair": (json.dumps(bad_pair), "cross_entropy"),
    }


def test_every_broken_json_file_is_one_clear_error_naming_the_file(model_files, tmp_path):
    good = model_files["binary"].read_text()
    for name, (content, phrase) in _broken_json_files(good).items():
        path = tmp_path / f"{name}.json"
        path.write_text(content, encoding="latin-1")
        with pytest.raises(ModelFileError) as caught:
            load_model(path)
        message = str(caught.value)
        assert message.startswith(f"{path}: "), name
        assert phrase in message, (name, message)
        assert "\n" not in message


def test_broken_npz_files_are_clear_errors(model_files, tmp_path):
    model = load_model(model_files["multiclass"])
    good = tmp_path / "good.npz"
    save_model(model, good)
    raw = good.read_bytes()
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(raw[: len(raw) // 2])
    no_meta = tmp_path / "no_meta.npz"
    np.savez(no_meta, W0=np.zeros((2, 2)))
    missing_array = tmp_path / "missing.npz"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(missing_array, "w") as target:
        for item in source.namelist():
            if item != "W1.npy":
                target.writestr(item, source.read(item))
    not_zip = tmp_path / "text.npz"
    not_zip.write_text("hello")
    cases = {truncated: "truncated", no_meta: "meta", missing_array: "W1", not_zip: "NPZ"}
    for path, phrase in cases.items():
        with pytest.raises(ModelFileError) as caught:
            load_model(path)
        assert str(caught.value).startswith(f"{path}: ") and phrase in str(caught.value), str(caught.value)


def test_missing_file_and_unknown_extension(tmp_path):
    with pytest.raises(ModelFileError, match="no such file"):
        load_model(tmp_path / "absent.json")
    with pytest.raises(ModelFileError, match=r"\.json, \.npz or \.onnx"):
        load_model(tmp_path / "model.pkl")
    with pytest.raises(ModelFileError, match="cannot be loaded back"):
        load_model(tmp_path / "model.onnx")


def test_a_failed_save_leaves_the_existing_file_untouched(model_files, tmp_path):
    model = load_model(model_files["binary"])
    target = tmp_path / "keep.json"
    target.write_text("previous model")
    model.training = {"epochs_run": 1, "final": {"train_loss": object()}}  # not JSON-serialisable
    with pytest.raises(TypeError):
        save_model(model, target)
    assert target.read_text() == "previous model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.json"]


def test_predict_never_drops_a_row_and_imputes_missing_values(model_files, tmp_path):
    model = load_model(model_files["binary"])
    path = tmp_path / "rows.csv"
    path.write_text("colour,x2,x1,label\nred,0.5,,yes\n,?,1.0,\npurple,0.1,0.2,no\n")
    table = read_csv(path, _options(model))
    result = model.predict(table)
    assert result.outputs.shape == (3, 2) and result.outputs.dtype == np.float32
    np.testing.assert_allclose(result.outputs.sum(axis=1), 1.0, rtol=1e-6)
    assert list(result.labels) == [("yes" if p[1] > 0.5 else "no") for p in result.outputs]


def _options(model):
    from bpgui.data import CsvOptions

    return CsvOptions(na_values=tuple(model.preprocessor.na_values))
