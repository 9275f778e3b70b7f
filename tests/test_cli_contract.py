"""DESIGN.md §4 clauses checked the way an outside checker would, one regression test per
deviation the contract audit found (each test failed before its fix)."""

import csv
import io
import json

import numpy as np
import pytest

from bpgui.cli import main
from bpgui.cli.progress import ProgressBar, epoch_line, report_losses


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def _only_error_line(capsys):
    err = capsys.readouterr().err
    lines = err.splitlines()  # \r counts as a line break here, as in str.splitlines
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, repr(err)
    return lines[0]


@pytest.fixture(scope="module")
def regression_rows(tmp_path_factory):
    """13 rows, 3 features, 2 targets, and initial layers in a file holding only ``layers``."""
    folder = tmp_path_factory.mktemp("contract")
    rng = np.random.default_rng(1)
    X = rng.normal(size=(13, 3))
    Y = np.column_stack([X @ [1.0, 2.0, -1.0] + 0.5, np.sin(X[:, 0])])
    lines = ["a,b,c,y1,y2"] + [",".join(repr(float(v)) for v in (*x, *y)) for x, y in zip(X, Y)]
    data = _write(folder / "rows.csv", "\n".join(lines) + "\n")
    layers = [(rng.normal(size=(3, 4)) * 0.5, rng.normal(size=4) * 0.1, "tanh"),
              (rng.normal(size=(4, 2)) * 0.5, rng.normal(size=2) * 0.1, "linear")]
    init = folder / "init.json"  # no "units", no other field: they are optional
    init.write_text(json.dumps({"layers": [{"activation": act, "weights": W.tolist(), "biases": b.tolist()}
                                           for W, b, act in layers]}))
    return {"folder": folder, "data": data, "X": X, "Y": Y, "layers": layers, "init": str(init)}


def test_textbook_online_update_equals_a_hand_written_numpy_loop(regression_rows, capsys):
    r = regression_rows
    out, log = r["folder"] / "sgd.json", r["folder"] / "sgd.csv"
    lr, epochs = 0.05, 3
    assert main(["train", r["data"], "--target", "y1,y2", "--init-weights", r["init"], "--val-split", "0",
                 "--test-split", "0", "--no-shuffle", "--scale", "none", "--batch-size", "1",
                 "--optimizer", "sgd", "--freeze-biases", "--lr", str(lr), "--epochs", str(epochs),
                 "--dtype", "float64", "--log", str(log), "--out", str(out), "--quiet"]) == 0
    (W0, b0, _), (W1, b1, _) = r["layers"]
    W0, W1, epoch_losses = W0.copy(), W1.copy(), []
    for _ in range(epochs):  # forward, mse = mean over outputs, backward, W -= lr dL/dW; row by row
        batch_losses = []
        for x, y in zip(r["X"], r["Y"]):
            h = np.tanh(x @ W0 + b0)
            o = h @ W1 + b1
            batch_losses.append(np.mean((o - y) ** 2))
            delta_out = 2 * (o - y) / len(y)
            delta_hidden = (delta_out @ W1.T) * (1 - h ** 2)
            W1 -= lr * np.outer(h, delta_out)
            W0 -= lr * np.outer(x, delta_hidden)
        epoch_losses.append(np.mean(batch_losses))
    model = json.loads(out.read_text())
    assert [layer["activation"] for layer in model["layers"]] == ["tanh", "linear"]
    np.testing.assert_allclose(model["layers"][0]["weights"], W0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(model["layers"][1]["weights"], W1, rtol=0, atol=1e-12)
    assert model["layers"][0]["biases"] == r["layers"][0][1].tolist()  # frozen
    rows = list(csv.DictReader(log.read_text().splitlines()))
    assert [row["epoch"] for row in rows] == ["1", "2", "3"]
    np.testing.assert_allclose([float(row["train_loss"]) for row in rows], epoch_losses, rtol=1e-12)
    assert all(row["val_loss"] == "" and row["val_metric"] == "" for row in rows)
    assert model["training"]["final"]["val_loss"] is None
    assert model["training"]["final"]["metric"] == float(rows[-1]["train_metric"])


def test_init_weights_keep_each_layers_activation(regression_rows, capsys):
    r = regression_rows
    rng = np.random.default_rng(2)
    mixed = r["folder"] / "mixed.json"
    mixed.write_text(json.dumps({"layers": [
        {"activation": act, "weights": rng.normal(size=shape).tolist(), "biases": [0.0] * shape[1]}
        for act, shape in (("tanh", (3, 5)), ("relu", (5, 3)), ("linear", (3, 2)))]}))
    out = r["folder"] / "mixed_out.json"
    common = ["train", r["data"], "--target", "y1,y2", "--init-weights", str(mixed), "--epochs", "1",
              "--quiet", "--out", str(out)]
    assert main(common) == 0
    assert [layer["activation"] for layer in json.loads(out.read_text())["layers"]] == ["tanh", "relu", "linear"]
    assert main(common + ["--activation", "elu"]) == 0  # an explicit flag still wins
    assert [layer["activation"] for layer in json.loads(out.read_text())["layers"]] == ["elu", "elu", "linear"]


def test_divergence_leaves_exactly_one_error_line_and_no_file(regression_rows, capsys):
    r = regression_rows
    out = r["folder"] / "kept.json"
    out.write_text("the old model")
    code = main(["train", r["data"], "--target", "y1,y2", "--scale", "none", "--optimizer", "sgd",
                 "--lr", "1e6", "--batch-size", "13", "--epochs", "50", "--out", str(out)])  # no --quiet
    assert code == 2
    assert _only_error_line(capsys).startswith("error: training diverged at epoch ")
    assert out.read_text() == "the old model"


class _Terminal(io.StringIO):
    def isatty(self):
        return True


class _Report:
    def __init__(self, epoch):
        self.epoch, self.train_loss, self.val_loss = epoch, 0.5, None


def test_progress_bar_on_a_terminal_is_wiped_after_a_failure():
    stream = _Terminal()
    bar = ProgressBar(10, stream, describe=epoch_line)
    bar.update(1, report_losses(_Report(1)))
    assert stream.getvalue().startswith("\repoch 1/10 [")
    bar.close(succeeded=False)
    assert stream.getvalue().endswith("\r") and stream.getvalue().split("\r")[-2].strip() == ""
    stream = _Terminal()
    bar = ProgressBar(2, stream, describe=epoch_line)
    bar.update(1, report_losses(_Report(1)))
    bar.update(2, report_losses(_Report(2)))
    bar.close()
    assert stream.getvalue().endswith("\n") and "epoch 2/2" in stream.getvalue()


def test_progress_bar_in_a_pipe_writes_whole_lines_only_after_success():
    stream = io.StringIO()
    bar = ProgressBar(3, stream, describe=epoch_line)
    for epoch in (1, 2):
        bar.update(epoch, report_losses(_Report(epoch)))
    bar.close(succeeded=False)
    assert stream.getvalue() == ""
    bar = ProgressBar(3, stream, describe=epoch_line)
    for epoch in (1, 2, 3):
        bar.update(epoch, report_losses(_Report(epoch)))
    bar.close()
    assert stream.getvalue() == "epoch 3/3 [" + "#" * 30 + "] train_loss 0.5\n"


def test_a_negative_seed_is_bad_usage_naming_the_flag(regression_rows, capsys):
    out = str(regression_rows["folder"] / "seed.json")
    assert main(["train", regression_rows["data"], "--seed", "-1", "--out", out]) == 2
    assert "--seed" in _only_error_line(capsys)


def test_writing_into_a_missing_folder_names_the_file_asked_for(regression_rows, capsys, tmp_path):
    model = str(tmp_path / "m.json")
    assert main(["train", regression_rows["data"], "--epochs", "1", "--quiet", "--out", model]) == 0
    capsys.readouterr()
    for argv in (["export", model, str(tmp_path / "nowhere" / "m.onnx")],
                 ["predict", model, regression_rows["data"], "--out", str(tmp_path / "nowhere" / "p.csv")]):
        assert main(argv) == 2
        line = _only_error_line(capsys)
        assert "nowhere" in line and ".tmp" not in line


def test_a_model_of_a_generated_example_knows_the_default_missing_words(tmp_path, capsys):
    model = str(tmp_path / "xor.json")
    assert main(["train", "--example", "xor", "--epochs", "1", "--quiet", "--out", model]) == 0
    inputs = json.loads((tmp_path / "xor.json").read_text())["inputs"]
    assert inputs["na_values"] == ["?", "NA", "N/A", "NaN", "null"]
    columns = [column["name"] for column in inputs["columns"]]
    data = _write(tmp_path / "gaps.csv", ",".join(columns) + "\nNA,0.5\n0.1,?\n")
    capsys.readouterr()
    assert main(["predict", model, data]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 3


def test_messages_quote_values_as_written(tmp_path, capsys):
    data = _write(tmp_path / "d.csv", "a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n")
    model = str(tmp_path / "m.json")
    assert main(["train", data, "--epochs", "1", "--quiet", "--out", model]) == 0
    unknown = _write(tmp_path / "u.csv", "a,b,y\n1,2,0\n3,4,7\n")
    capsys.readouterr()
    assert main(["evaluate", model, unknown]) == 2
    assert 'line 3, column "y": unknown class "7";' in _only_error_line(capsys)
    assert main(["train", data, "--features", "a,y", "--out", model]) == 2
    line = _only_error_line(capsys)
    assert line.count('"y"') == 1 and "both a feature and a target" in line


def test_final_metric_is_the_validation_one_whenever_there_is_a_split(tmp_path, capsys):
    rows = "\n".join(f"{x},{3.5 * x + 0.25 * (x % 3)}" for x in range(5))
    data = _write(tmp_path / "five.csv", "x,y\n" + rows + "\n")
    model, log = tmp_path / "m.json", tmp_path / "h.csv"
    assert main(["train", data, "--val-split", "0.2", "--epochs", "2", "--quiet", "--out", str(model),
                 "--log", str(log)]) == 0  # one validation row: its R² does not exist
    summary = capsys.readouterr().out
    last = list(csv.DictReader(log.read_text().splitlines()))[-1]
    assert last["val_loss"] != "" and last["val_metric"] == "" and last["train_metric"] != ""
    final = json.loads(model.read_text())["training"]["final"]
    assert final["val_loss"] == float(last["val_loss"]) and final["metric"] is None
    assert "val_r2 -" in summary and "train_r2" not in summary


def test_space_delimited_files_are_detected(tmp_path, capsys):
    rows = "".join(f"  {0.1 * i:.4f}   {i % 4}.00   {i * 1.5:7.3f}\n" for i in range(12))  # UCI style
    data = _write(tmp_path / "housing.data", rows)
    model = tmp_path / "m.json"
    assert main(["train", data, "--task", "regression", "--epochs", "1", "--quiet", "--out", str(model)]) == 0
    columns = [column["name"] for column in json.loads(model.read_text())["inputs"]["columns"]]
    assert columns == ["column_1", "column_2"]
    assert json.loads(model.read_text())["outputs"]["targets"] == ["column_3"]


def _predict_frame(capsys, model, data):
    assert main(["predict", str(model), data]) == 0
    return list(csv.DictReader(capsys.readouterr().out.splitlines()))


def _evaluate_json(capsys, model, data):
    assert main(["evaluate", str(model), data, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    return json.loads(out)


def test_evaluate_regression_agrees_with_scikit_learn_on_predicts_values(regression_rows, capsys):
    metrics = pytest.importorskip("sklearn.metrics")
    r = regression_rows
    model = r["folder"] / "two_targets.json"
    assert main(["train", r["data"], "--target", "y1,y2", "--epochs", "5", "--quiet", "--out", str(model)]) == 0
    capsys.readouterr()
    rows = _predict_frame(capsys, model, r["data"])
    assert list(rows[0]) == ["prediction_y1", "prediction_y2"]
    y_pred = np.array([[float(row["prediction_y1"]), float(row["prediction_y2"])] for row in rows])
    y_true = r["Y"]
    got = _evaluate_json(capsys, model, r["data"])
    assert list(got) == ["n_samples", "loss", "mse", "rmse", "mae", "r2"] and got["n_samples"] == 13
    outputs = json.loads(model.read_text())["outputs"]
    center, scale = np.array(outputs["center"]), np.array(outputs["scale"])
    expected = {"loss": np.mean(((y_pred - center) / scale - (y_true - center) / scale) ** 2),
                "mse": metrics.mean_squared_error(y_true, y_pred),
                "rmse": metrics.root_mean_squared_error(y_true, y_pred),
                "mae": metrics.mean_absolute_error(y_true, y_pred), "r2": metrics.r2_score(y_true, y_pred)}
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-5, abs=1e-6), key


def test_evaluate_classification_agrees_with_scikit_learn_on_predicts_labels(tmp_path, capsys):
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(4)
    x = rng.normal(size=(60, 2))
    labels = np.digitize(x[:, 0] + 0.7 * rng.normal(size=60), [-0.5, 0.5]) * 5  # 0, 5, 10
    data = _write(tmp_path / "three.csv", "a,b,label\n" + "".join(
        f"{a!r},{b!r},{c}\n" for (a, b), c in zip(x, labels)))
    model = tmp_path / "three.json"
    assert main(["train", data, "--epochs", "3", "--quiet", "--out", str(model)]) == 0
    capsys.readouterr()
    rows = _predict_frame(capsys, model, data)
    assert list(rows[0]) == ["prediction", "prob_0", "prob_5", "prob_10"]
    assert {row["prediction"] for row in rows} <= {"0", "5", "10"}  # ints stay ints: "5", not "5.0"
    y_pred = [int(row["prediction"]) for row in rows]
    probabilities = np.array([[float(row[f"prob_{c}"]) for c in (0, 5, 10)] for row in rows])
    got = _evaluate_json(capsys, model, data)
    assert got["classes"] == [0, 5, 10] and got["n_samples"] == 60
    assert got["accuracy"] == pytest.approx(metrics.accuracy_score(labels, y_pred))
    assert got["macro_f1"] == pytest.approx(metrics.f1_score(labels, y_pred, average="macro"))
    assert got["confusion_matrix"] == metrics.confusion_matrix(labels, y_pred, labels=[0, 5, 10]).tolist()
    true_index = np.searchsorted([0, 5, 10], labels)
    assert got["loss"] == pytest.approx(-np.mean(np.log(probabilities[np.arange(60), true_index])), rel=1e-5)


def test_labels_a_console_cannot_encode_still_predict_and_evaluate(tmp_path):
    import os
    import subprocess
    import sys

    rows = "".join(f"{i},{('Genève', 'Zürich')[i % 2]}\n" for i in range(8))
    data = _write(tmp_path / "towns.csv", "x,town\n" + rows)
    assert main(["train", data, "--epochs", "1", "--quiet", "--val-split", "0",
                 "--out", str(tmp_path / "m.json")]) == 0
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    for command in ("predict", "evaluate"):
        result = subprocess.run([sys.executable, "-m", "bpgui", command, "m.json", "towns.csv"],
                                capture_output=True, cwd=tmp_path, env=env, timeout=60)
        assert result.returncode == 0, result.stderr
    predictions = subprocess.run([sys.executable, "-m", "bpgui", "predict", "m.json", "towns.csv"],
                                 capture_output=True, cwd=tmp_path, env=env, timeout=60).stdout
    assert predictions.decode("utf-8").splitlines()[0] == "prediction,prob_Genève,prob_Zürich"


@pytest.mark.parametrize("header, label", [("0,1,2,target", "{c}"), ("0,1,2,species", "kind_{c}")])
def test_a_header_of_column_numbers_is_detected(header, label, tmp_path, capsys):
    """``pandas.DataFrame(X).assign(target=y).to_csv(index=False)`` names the columns 0, 1, 2."""
    rng = np.random.default_rng(6)
    rows = "".join(f"{a:.3f},{b:.3f},{d:.3f},{label.format(c=i % 2)}\n"
                   for i, (a, b, d) in enumerate(rng.normal(size=(20, 3))))
    data = _write(tmp_path / "frame.csv", header + "\n" + rows)
    model = tmp_path / "m.json"
    assert main(["train", data, "--epochs", "1", "--quiet", "--out", str(model)]) == 0
    document = json.loads(model.read_text())
    assert [column["name"] for column in document["inputs"]["columns"]] == ["0", "1", "2"]
    assert document["outputs"]["targets"] == [header.split(",")[-1]]
    assert len(document["outputs"]["classes"]) == 2


def test_a_file_of_numbers_only_still_has_no_header(tmp_path, capsys):
    data = _write(tmp_path / "plain.csv", "0,1,2,1\n" + "".join(f"{i},{i + 1},{i * 2},{i % 2}\n" for i in range(9)))
    model = tmp_path / "m.json"
    assert main(["train", data, "--epochs", "1", "--quiet", "--out", str(model)]) == 0
    assert json.loads(model.read_text())["outputs"]["targets"] == ["column_4"]


@pytest.mark.parametrize("flag, value", [("--batch-size", "0"), ("--epochs", "0"),
                                         ("--epochs", "x"), ("--early-stopping", "-1")])
def test_out_of_range_counts_name_their_flag(flag, value, tmp_path, capsys):
    code = main(["train", "--example", "xor", "--out", str(tmp_path / "m.json"), flag, value])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert err[0].startswith(f"error: argument {flag}:")
    assert not (tmp_path / "m.json").exists()
