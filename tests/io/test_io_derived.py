"""Derived inputs through the command line and the files: JSON, NPZ, ONNX, predict, sessions."""

import json

import numpy as np
import onnx
import onnxruntime
import pytest

from bpgui.cli import main
from bpgui.data import DatasetSpec, read_csv
from bpgui.engine import Network, TrainConfig
from bpgui.io.model import load_model, save_model
from bpgui.io.onnx_export import onnx_inputs
from bpgui.io.session import Session, load_session, save_session

DERIVE = 'x1^2,x1*x2,sin(x2),cos(x1)'


@pytest.fixture(scope="module")
def derived_model(tmp_path_factory, csv_files):
    """A binary model (x1 with missing cells, x2, a categorical colour) with derived inputs."""
    path = tmp_path_factory.mktemp("derived") / "model.json"
    code = main(["train", str(csv_files["binary"]), "--out", str(path), "--epochs", "15", "--quiet",
                 "--derive", DERIVE])
    assert code == 0
    return path


def test_the_model_file_lists_the_derived_inputs_in_order(derived_model):
    document = json.loads(derived_model.read_text())
    derived = document["inputs"]["derived"]
    assert [d["expr"] for d in derived] == ["x1^2", "x1*x2", "sin(x2)", "cos(x1)"]
    assert all(set(d) == {"expr", "center", "scale"} and d["scale"] > 0 for d in derived)
    assert [c["name"] for c in document["inputs"]["columns"]] == ["x1", "x2", "colour"]
    assert len(document["layers"][0]["weights"]) == 2 + 3 + 4  # the encoded columns, then the derived


def _forward_by_hand(document, table):
    """The network input exactly as DESIGN.md §4 describes it, then the layers."""
    columns, rows = [], table.n_rows
    raw = {}
    for column in document["inputs"]["columns"]:
        values = table.data[column["name"]]
        if column["kind"] == "numeric":
            filled = np.where(np.isnan(values), column["impute"], values)
            raw[column["name"]] = filled
            columns.append((filled - column["center"]) / column["scale"])
        else:
            filled = [column["impute"] if v is None else v for v in values]
            columns += [np.array([v == c for v in filled], float) for c in column["categories"]]
    functions = {"x1^2": lambda: raw["x1"] ** 2, "x1*x2": lambda: raw["x1"] * raw["x2"],
                 "sin(x2)": lambda: np.sin(raw["x2"]), "cos(x1)": lambda: np.cos(raw["x1"])}
    for d in document["inputs"]["derived"]:
        columns.append((functions[d["expr"]]() - d["center"]) / d["scale"])
    a = np.column_stack(columns).reshape(rows, -1)
    for layer in document["layers"]:
        z = a @ np.array(layer["weights"]) + np.array(layer["biases"])
        a = np.tanh(z) if layer["activation"] == "tanh" else 1 / (1 + np.exp(-z))
    return a[:, 0]


def test_predict_on_a_csv_with_missing_values_applies_them(derived_model, tmp_path, capsys):
    path = tmp_path / "rows.csv"
    path.write_text("x1,x2,colour\n,0.5,red\n1.5,,blue\n-0.3,0.2,\n2,1,green\n")
    out = tmp_path / "pred.csv"
    assert main(["predict", str(derived_model), str(path), "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "prediction,prob_no,prob_yes" and len(lines) == 5
    p_yes = np.array([float(line.split(",")[2]) for line in lines[1:]])
    expected = _forward_by_hand(json.loads(derived_model.read_text()), read_csv(path))
    np.testing.assert_allclose(p_yes, expected, rtol=1e-5, atol=1e-6)


def test_evaluate_applies_them(derived_model, csv_files, capsys):
    assert main(["evaluate", str(derived_model), str(csv_files["binary"]), "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["n_samples"] == 160 and metrics["accuracy"] > 0.7


def test_json_and_npz_round_trip(derived_model, csv_files, tmp_path):
    model = load_model(derived_model)
    table = read_csv(csv_files["binary"])
    expected = model.predict(table).outputs
    npz, again = tmp_path / "m.npz", tmp_path / "again.json"
    save_model(model, npz)
    with np.load(npz, allow_pickle=False) as archive:
        meta = json.loads(str(archive["meta"][()]))
    assert meta["inputs"]["derived"] == json.loads(derived_model.read_text())["inputs"]["derived"]
    save_model(load_model(npz), again)
    np.testing.assert_array_equal(load_model(npz).predict(table).outputs, expected)
    assert again.read_text() == derived_model.read_text()


def test_onnx_takes_the_raw_columns_and_computes_the_derived_inputs(derived_model, tmp_path):
    model = load_model(derived_model)
    path = tmp_path / "rows.csv"
    path.write_text("x1,x2,colour\n,0.5,red\n1.5,,blue\n-0.3,0.2,\n2,1,green\n0.7,-1.2,red\n")
    table = read_csv(path)
    onnx_path = tmp_path / "m.onnx"
    save_model(model, onnx_path)
    proto = onnx.load(str(onnx_path))
    (graph_input,) = proto.graph.input
    assert [d.dim_value for d in graph_input.type.tensor_type.shape.dim][1] == 5  # x1, x2, 3 colours
    assert max(op.version for op in proto.opset_import if op.domain in ("", "ai.onnx")) == 17
    inputs = onnx_inputs(model, table)
    assert inputs.shape == (5, 5)
    session = onnxruntime.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    got = session.run(["output"], {"input": inputs})[0]
    expected = model.predict(table).outputs
    np.testing.assert_allclose(got, expected, rtol=2e-6, atol=2e-6)
    metadata = {p.key: p.value for p in proto.metadata_props}
    assert json.loads(metadata["bpgui_derived"]) == ["x1^2", "x1*x2", "sin(x2)", "cos(x1)"]


def test_onnx_of_a_float64_regression_model(csv_files, tmp_path):
    path = tmp_path / "reg.json"
    assert main(["train", str(csv_files["regression"]), "--target", "t1,t2", "--out", str(path),
                 "--epochs", "5", "--quiet", "--dtype", "float64", "--derive", "x2^2,x1*x2,sin(x1),cos(x2)"]) == 0
    model = load_model(path)
    table = read_csv(csv_files["regression"])
    save_model(model, tmp_path / "reg.onnx")
    session = onnxruntime.InferenceSession(str(tmp_path / "reg.onnx"), providers=["CPUExecutionProvider"])
    got = session.run(["output"], {"input": onnx_inputs(model, table)})[0]
    expected = model.predict(table).outputs
    np.testing.assert_allclose(got, expected, rtol=2e-6, atol=2e-6 * np.abs(expected).max())


def test_init_weights_from_a_model_with_derived_inputs(derived_model, csv_files, tmp_path):
    out = tmp_path / "continued.json"
    assert main(["train", str(csv_files["binary"]), "--out", str(out), "--epochs", "1", "--quiet",
                 "--derive", DERIVE, "--init-weights", str(derived_model)]) == 0
    assert len(json.loads(out.read_text())["layers"][0]["weights"]) == 9


def test_old_model_files_without_derived_still_load(model_files, data_of):
    document = json.loads(model_files["binary"].read_text())
    assert "derived" not in document["inputs"]
    model = load_model(model_files["binary"])
    assert model.preprocessor.derived == [] and model.network.n_inputs == 5
    assert model.predict(read_csv(data_of("binary"))).n_rows == 160


@pytest.mark.parametrize("derive, phrase", [
    ("x1^3", 'derived input "x1^3"'),
    ("tan(x1)", "unknown function tan"),
    ("sin(x1", 'derived input "sin(x1"'),
    ("x1^2,,x2^2", 'derived input ""'),
    ("z*x1", 'unknown column "z"'),
    ("colour^2", '"colour" is categorical'),
    ("label^2", '"label" is the target'),
])
def test_bad_expressions_are_one_line_and_exit_2(derive, phrase, csv_files, tmp_path, capsys):
    out = tmp_path / "m.json"
    assert main(["train", str(csv_files["binary"]), "--out", str(out), "--derive", derive, "--quiet"]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err
    assert phrase in lines[0] and "A^2, A*B, sin(A), cos(A)" in lines[0]
    assert not out.exists()


def test_a_broken_derived_section_names_the_model_file(derived_model, tmp_path, capsys):
    document = json.loads(derived_model.read_text())
    document["inputs"]["derived"][0]["expr"] = "x1^5"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document))
    assert main(["export", str(path), str(tmp_path / "x.onnx")]) == 2
    line = capsys.readouterr().err.strip()
    assert line.startswith(f"error: {path}:") and 'derived input "x1^5"' in line


def test_sessions_keep_the_derived_inputs(tmp_path):
    csv_path = tmp_path / "data.csv"
    csv_path.write_text("a,b,y\n")
    spec = DatasetSpec(targets=("y",), derived=("a^2", "a*b", "cos(b)"))
    session = Session(source=str(csv_path), spec=spec,
                      network=Network.create((5, 3, 1), ("tanh", "sigmoid"), seed=1),
                      loss="bce", task="classification", config=TrainConfig())
    path = tmp_path / "s.bpgui.json"
    save_session(path, session)
    assert json.loads(path.read_text())["data"]["spec"]["derived"] == ["a^2", "a*b", "cos(b)"]
    assert load_session(path).spec == spec


# -- the teaching claim of issue 14 -----------------------------------------------------------


def _circles_val_accuracy(tmp_path, *derive):
    out = tmp_path / f"circles{len(derive)}.json"
    code = main(["train", "--example", "circles", "--hidden", "2", "--epochs", "200", "--seed", "0",
                 "--out", str(out), "--quiet", *derive])
    assert code == 0
    return json.loads(out.read_text())["training"]["final"]["metric"]


def test_two_hidden_neurons_learn_the_circles_with_squares_and_not_without(tmp_path, capsys):
    """Measured (seeds 0-19, 200 and 600 epochs): without x1^2, x2^2 the validation accuracy is
    0.80-0.925 (two tanh neurons draw two lines, not a circle); with them it is 1.0 for every
    seed. The example's columns are x1, x2 and label."""
    without = _circles_val_accuracy(tmp_path)
    with_squares = _circles_val_accuracy(tmp_path, "--derive", "x1^2,x2^2")
    assert with_squares >= 0.97
    assert without <= 0.93
