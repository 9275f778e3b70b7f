"""The command line of DESIGN.md §4, in process through ``main(argv)`` and twice as a subprocess."""

import csv
import json
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import bpgui
from bpgui.cli import main
from cli_helpers import error_line as _error_line
from bpgui.gui.arguments import parse_window_args

CLASSIC_WEIGHTS = [[[0.149780716, 0.24975114], [0.19956143, 0.29950229]],
                   [[0.35891648, 0.511301270], [0.408666186, 0.561370121]]]
CLASSIC_ERROR_BEFORE = 0.298371109


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def flowers(tmp_path_factory):
    """A small labelled CSV (numeric and categorical features, string classes) and a model."""
    folder = tmp_path_factory.mktemp("cli")
    rng = np.random.default_rng(3)
    lines = ["length,width,colour,kind"]
    for i in range(90):
        kind = ("rose", "tulip", "daisy")[i % 3]
        length = {"rose": 3.0, "tulip": 5.0, "daisy": 1.0}[kind] + rng.normal(scale=0.4)
        colour = rng.choice(["red", "white"]) if kind != "daisy" else "white"
        lines.append(f"{length:.3f},{rng.normal():.3f},{colour},{kind}")
    data = _write(folder / "flowers.csv", "\n".join(lines) + "\n")
    model = str(folder / "flowers.json")
    assert main(["train", data, "--out", model, "--epochs", "40", "--quiet", "--lr", "0.03"]) == 0
    return {"data": data, "model": model, "folder": folder}


def test_train_notes_features_that_look_like_identifiers(tmp_path, capsys):
    rows = "".join(f'{i % 7},"Doe, J. {i}",{i % 2}\n' for i in range(60))
    data = _write(tmp_path / "people.csv", "score,name,y\n" + rows)
    out = str(tmp_path / "m.json")
    assert main(["train", data, "--out", out, "--epochs", "2"]) == 0
    captured = capsys.readouterr()
    assert ('note: feature "name" has 60 different values in 60 rows, one input each: an '
            "identifier? Leave it out with --features") in captured.err
    assert captured.out.startswith("trained 2 epochs")
    assert main(["train", data, "--out", out, "--epochs", "2", "--quiet"]) == 0
    assert capsys.readouterr().err.startswith("note: feature")  # --quiet hides the bar, not notes
    assert main(["train", data, "--out", out, "--epochs", "2", "--features", "score"]) == 0
    assert "note:" not in capsys.readouterr().err


# -- top level ------------------------------------------------------------------------------

def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"bpgui {bpgui.__version__}"
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "--example" in out and "train" in out and "evaluate" in out
    for command in ("train", "predict", "evaluate", "export", "examples"):
        assert main([command, "--help"]) == 0
        assert f"bpgui {command}" in capsys.readouterr().out


def test_train_help_lists_every_flag_of_the_design(capsys):
    main(["train", "--help"])
    out = capsys.readouterr().out
    flags = ("--out --target --features --task --hidden --activation --output-activation --loss "
             "--optimizer --lr --momentum --beta1 --beta2 --eps --rho --batch-size --epochs --l1 --l2 "
             "--dropout --clip-norm --init --init-weights --freeze-biases --scale --val-split "
             "--test-split --no-shuffle --early-stopping --target-loss --seed --dtype --log --quiet "
             "--schedule --warmup --step-size --gamma --min-lr --cycle "
             "--missing --na-values --delimiter --encoding --header --example").split()
    for flag in flags:
        assert flag in out, flag


def test_a_word_that_is_neither_command_nor_file_is_bad_usage(capsys):
    assert main(["trian"]) == 2
    assert "'trian' is neither a command" in _error_line(capsys)
    assert main(["trian", "--help"]) == 2  # not help and exit 0: the word is the mistake
    assert "'trian' is neither a command" in _error_line(capsys)
    assert main(["--example", "no-such-example"]) == 2
    assert "unknown example" in _error_line(capsys)


def test_window_arguments_are_parsed_for_the_gui(tmp_path):
    data = _write(tmp_path / "d.csv", "a,b\n1,2\n")
    args = parse_window_args([data, "--target", "b", "--delimiter", "comma", "--na-values", "?,-"])
    assert (args.data, args.target, args.example, args.delimiter) == (data, ("b",), None, "comma")
    assert (args.encoding, args.header, args.na_values) == (None, "auto", ("?", "-"))
    assert parse_window_args(["--example", "xor"]).example == "xor"


def test_examples_lists_every_example_one_per_line(capsys):
    from bpgui.data.examples import EXAMPLES

    assert main(["examples"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[0] for line in lines] == list(EXAMPLES)
    assert all("  " in line for line in lines)


# -- train ----------------------------------------------------------------------------------

def test_classic_2_2_2_reproduces_the_published_step(tmp_path, capsys):
    out, log = tmp_path / "m.json", tmp_path / "h.csv"
    assert main(["train", "--example", "classic-2-2-2", "--epochs", "1", "--out", str(out),
                 "--log", str(log)]) == 0
    model = json.loads(out.read_text())
    for layer, expected in zip(model["layers"], CLASSIC_WEIGHTS):
        np.testing.assert_allclose(layer["weights"], expected, atol=1e-8)
    assert [layer["biases"] for layer in model["layers"]] == [[0.35, 0.35], [0.6, 0.6]]
    assert model["loss"] == "half_sse" and model["training"]["hyperparameters"]["dtype"] == "float64"
    rows = list(csv.reader(log.read_text().splitlines()))
    assert rows[0] == ["epoch", "train_loss", "val_loss", "train_metric", "val_metric", "lr"]
    assert rows[1][0] == "1" and rows[1][2:] == ["", "", "", "0.5"]  # one row: no split, no R²
    assert abs(float(rows[1][1]) - CLASSIC_ERROR_BEFORE) < 1e-9
    assert model["training"]["final"] == {"train_loss": float(rows[1][1]), "val_loss": None, "metric": None}
    summary = capsys.readouterr().out.strip().splitlines()
    assert len(summary) == 1 and "trained 1 epoch" in summary[0] and str(out) in summary[0]


def test_explicit_flags_override_the_example_preset(tmp_path):
    out = tmp_path / "m.json"
    assert main(["train", "--example", "classic-2-2-2", "--epochs", "2", "--lr", "0.1", "--dtype", "float32",
                 "--out", str(out), "--quiet"]) == 0
    hyper = json.loads(out.read_text())["training"]["hyperparameters"]
    assert (hyper["lr"], hyper["dtype"], hyper["epochs"]) == (0.1, "float32", 2)
    assert (hyper["optimizer"], hyper["freeze_biases"], hyper["no_shuffle"]) == ("sgd", True, True)


def test_log_summary_and_final_values(flowers, tmp_path, capsys):
    out, log = tmp_path / "m.npz", tmp_path / "log.csv"
    assert main(["train", flowers["data"], "--out", str(out), "--log", str(log), "--epochs", "5",
                 "--hidden", "4", "--activation", "relu", "--batch-size", "8", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""  # --quiet: no progress bar
    summary = captured.out.strip()
    assert "\n" not in summary
    for part in ("trained 5 epochs", "train_loss", "val_loss", "val_accuracy", "0 cells imputed",
                 "0 rows dropped", str(out)):
        assert part in summary, part
    rows = list(csv.DictReader(log.read_text().splitlines()))
    assert [row["epoch"] for row in rows] == ["1", "2", "3", "4", "5"]
    assert all(row["val_loss"] and row["train_metric"] and row["val_metric"] for row in rows)
    from bpgui.io.model import load_model

    final = load_model(out).training["final"]
    assert final == {"train_loss": float(rows[-1]["train_loss"]), "val_loss": float(rows[-1]["val_loss"]),
                     "metric": float(rows[-1]["val_metric"])}


def test_progress_bar_goes_to_stderr(flowers, tmp_path, capsys):
    assert main(["train", flowers["data"], "--out", str(tmp_path / "m.json"), "--epochs", "3"]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("epoch 3/3 [") and captured.err.count("\n") == 1  # not a terminal
    assert "\r" not in captured.err and "epoch 3/3" not in captured.out


def test_missing_values_dropped_and_imputed_are_counted(tmp_path, capsys):
    data = _write(tmp_path / "gaps.csv", "a,b,y\n1,,0\n2,5,1\n?,6,0\n4,7,\n5,8,1\n6,NA,0\n7,1,1\n8,2,0\n")
    assert main(["train", data, "--out", str(tmp_path / "m.json"), "--epochs", "2", "--quiet",
                 "--val-split", "0"]) == 0
    summary = capsys.readouterr().out
    assert "3 cells imputed, 1 rows dropped" in summary and "train_accuracy" in summary
    assert main(["train", data, "--out", str(tmp_path / "m.json"), "--epochs", "2", "--quiet",
                 "--val-split", "0", "--missing", "drop"]) == 0
    assert "0 cells imputed, 4 rows dropped" in capsys.readouterr().out


def test_init_weights_start_from_a_model_file(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    common = ["--example", "classic-2-2-2", "--epochs", "1", "--quiet"]
    assert main(["train", *common, "--out", str(first)]) == 0
    assert main(["train", *common, "--init-weights", str(first), "--out", str(second)]) == 0
    assert main(["train", *common[:3], "2", "--quiet", "--out", str(tmp_path / "c.json")]) == 0
    two_steps = json.loads((tmp_path / "c.json").read_text())["layers"]
    np.testing.assert_allclose([layer["weights"] for layer in json.loads(second.read_text())["layers"]],
                               [layer["weights"] for layer in two_steps], atol=1e-12)


@pytest.mark.parametrize("argv, phrase", [
    (["train", "--example", "xor"], "--out"),
    (["train", "--out", "m.json"], "DATA.csv or --example"),
    (["train", "missing.csv", "--out", "m.json"], "missing.csv"),
    (["train", "--example", "xor", "--out", "m.txt"], ".json, .npz or .onnx"),
    (["train", "--example", "xor", "--out", "no/such/dir/m.json"], "does not exist"),
    (["train", "--example", "xor", "--out", "m.json", "--lr", "-1"], "learning rate"),
    (["train", "--example", "xor", "--out", "m.json", "--activation", "swish"], "swish"),
    (["train", "--example", "xor", "--out", "m.json", "--hidden", "4,x"], "--hidden"),
    (["train", "--example", "xor", "--out", "m.json", "--target", "nope"], '"nope"'),
    (["train", "--example", "xor", "--out", "m.json", "--loss", "cross_entropy",
      "--output-activation", "sigmoid"], "cross_entropy"),
    (["train", "--example", "xor", "--out", "m.json", "--init-weights", "absent.json"], "absent.json"),
])
def test_bad_train_input_is_one_error_line(argv, phrase, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert phrase in _error_line(capsys)
    assert not os.path.exists(tmp_path / "m.json")


def test_divergence_exits_2_and_writes_no_model(tmp_path, capsys):
    out = tmp_path / "m.json"
    assert main(["train", "--example", "plane", "--optimizer", "sgd", "--lr", "1000", "--out", str(out),
                 "--quiet"]) == 2
    assert _error_line(capsys).startswith("error: training diverged at epoch ")
    assert not out.exists()


def test_test_split_rows_are_held_out(tmp_path, capsys):
    from bpgui.data.dataset import DatasetSpec, prepare
    from bpgui.data.examples import load_example

    assert main(["train", "--example", "iris", "--test-split", "0.3", "--epochs", "3", "--quiet",
                 "--out", str(tmp_path / "m.json")]) == 0
    assert "test_accuracy" in capsys.readouterr().out
    data = prepare(load_example("iris"), DatasetSpec(targets=("species",), test_split=0.3))
    assert len(data.rows_test) == 45 and not set(data.rows_test) & set(data.rows_train)


@pytest.mark.slow
def test_iris_accuracy_is_comparable_to_scikit_learn(tmp_path):
    sklearn = pytest.importorskip("sklearn.neural_network")
    from bpgui.data.dataset import DatasetSpec, prepare
    from bpgui.data.examples import load_example
    from bpgui.io.model import load_model

    out = tmp_path / "iris.json"
    assert main(["train", "--example", "iris", "--test-split", "0.3", "--quiet", "--out", str(out)]) == 0
    data = prepare(load_example("iris"), DatasetSpec(targets=("species",), test_split=0.3))
    truth = np.argmax(data.Y_test, axis=1)
    ours = np.mean(np.argmax(load_model(out).network.forward(data.X_test), axis=1) == truth)
    reference = sklearn.MLPClassifier(hidden_layer_sizes=(8,), activation="tanh", learning_rate_init=0.01,
                                      max_iter=400, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a ConvergenceWarning would not change the comparison
        reference.fit(data.X_train, np.argmax(data.Y_train, axis=1))
    theirs = np.mean(reference.predict(data.X_test) == truth)
    assert ours >= theirs - 0.07, (ours, theirs)
    assert ours >= 0.85


# -- predict, evaluate, export --------------------------------------------------------------

def test_predict_writes_one_row_per_input_row_in_order(flowers, tmp_path, capsys):
    data = _write(tmp_path / "new.csv", "width,colour,length,kind\n0.1,red,3.1,rose\n0,,?,\n"
                                        "0.3,blue,1.0,peony\n")
    assert main(["predict", flowers["model"], data]) == 0
    rows = list(csv.reader(capsys.readouterr().out.splitlines()))
    assert rows[0] == ["prediction", "prob_daisy", "prob_rose", "prob_tulip"]
    assert len(rows) == 4 and all(row[0] in ("daisy", "rose", "tulip") for row in rows[1:])
    out = tmp_path / "pred.csv"
    assert main(["predict", flowers["model"], data, "--out", str(out)]) == 0
    assert list(csv.reader(out.read_text().splitlines())) == rows
    assert str(out) in capsys.readouterr().out


def test_predict_missing_feature_column_names_file_and_column(flowers, tmp_path, capsys):
    data = _write(tmp_path / "short.csv", "length,colour\n1,red\n")
    assert main(["predict", flowers["model"], data]) == 2
    line = _error_line(capsys)
    assert line.startswith(f"error: {data}: ") and '"width"' in line


def test_predict_takes_the_na_words_of_the_model_or_the_flag(flowers, tmp_path, capsys):
    data = _write(tmp_path / "dash.csv", "length,width,colour\n-,0.1,red\n")
    assert main(["predict", flowers["model"], data]) == 2  # "-" is text in a numeric column
    assert '"length"' in _error_line(capsys)
    assert main(["predict", flowers["model"], data, "--na-values", "-"]) == 0


def test_evaluate_json_classification(flowers, capsys):
    assert main(["evaluate", flowers["model"], flowers["data"], "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert list(metrics) == ["n_samples", "loss", "accuracy", "macro_f1", "confusion_matrix", "classes"]
    assert metrics["n_samples"] == 90 and metrics["classes"] == ["daisy", "rose", "tulip"]
    matrix = np.array(metrics["confusion_matrix"])
    assert matrix.sum(axis=1).tolist() == [30, 30, 30]
    assert metrics["accuracy"] == pytest.approx(np.trace(matrix) / 90)


def test_evaluate_table_skips_rows_without_target(flowers, tmp_path, capsys):
    data = _write(tmp_path / "some.csv", "length,width,colour,kind\n1,0,white,daisy\n3,0,red,\n5,0,red,tulip\n")
    assert main(["evaluate", flowers["model"], data]) == 0
    out = capsys.readouterr().out
    assert "2 rows evaluated, 1 skipped" in out and "accuracy" in out and "confusion matrix" in out


def test_evaluate_unknown_class_is_a_clear_error(flowers, tmp_path, capsys):
    data = _write(tmp_path / "odd.csv", "length,width,colour,kind\n1,0,white,daisy\n3,0,red,orchid\n")
    assert main(["evaluate", flowers["model"], data]) == 2
    line = _error_line(capsys)
    assert "orchid" in line and "line 3" in line and data in line


def test_evaluate_regression_json(tmp_path, capsys):
    out = tmp_path / "plane.json"
    assert main(["train", "--example", "plane", "--epochs", "20", "--quiet", "--out", str(out)]) == 0
    from bpgui.data.examples import load_example

    table = load_example("plane")
    data = _write(tmp_path / "plane.csv", "\n".join(
        [",".join(table.columns)] + [",".join(repr(float(table.data[c][i])) for c in table.columns)
                                     for i in range(table.n_rows)]) + "\n")
    capsys.readouterr()
    assert main(["evaluate", str(out), data, "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert list(metrics) == ["n_samples", "loss", "mse", "rmse", "mae", "r2"]
    assert metrics["rmse"] == pytest.approx(metrics["mse"] ** 0.5) and metrics["r2"] > 0.8


def test_export_converts_between_formats(flowers, tmp_path, capsys):
    npz, onnx_path, back = tmp_path / "m.npz", tmp_path / "m.onnx", tmp_path / "back.json"
    assert main(["export", flowers["model"], str(npz)]) == 0
    assert main(["export", str(npz), str(onnx_path)]) == 0
    assert main(["export", str(npz), str(back)]) == 0
    assert json.loads(back.read_text()) == json.loads(flowers["folder"].joinpath("flowers.json").read_text())
    assert onnx_path.stat().st_size > 0


@pytest.mark.parametrize("content", ["", '{"format": "bpgui-model", "vers', '{"hello": 1}'])
def test_bad_model_files_are_one_error_line(content, flowers, tmp_path, capsys):
    model = _write(tmp_path / "bad.json", content)
    for argv in (["predict", model, flowers["data"]], ["evaluate", model, flowers["data"]],
                 ["export", model, str(tmp_path / "x.onnx")]):
        assert main(argv) == 2
        assert _error_line(capsys).startswith(f"error: {model}: ")
    assert not (tmp_path / "x.onnx").exists()


def test_an_existing_output_is_untouched_when_the_command_fails(flowers, tmp_path, capsys):
    out = tmp_path / "pred.csv"
    out.write_text("keep me")
    short = _write(tmp_path / "short.csv", "length\n1\n")
    assert main(["predict", flowers["model"], short, "--out", str(out)]) == 2
    assert out.read_text() == "keep me"


# -- as a real process ----------------------------------------------------------------------

def _bpgui(*args, cwd):
    return subprocess.run([sys.executable, "-m", "bpgui", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=60)


def test_subprocess_errors_are_one_line_without_traceback(tmp_path):
    for args in (["nonsense"], ["predict", "absent.json", "absent.csv"], ["train", "--epochs", "x"]):
        result = _bpgui(*args, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
        assert "Traceback" not in result.stderr


def test_subprocess_train_never_imports_qt(tmp_path):
    code = ("import sys; from bpgui.cli import main; "
            "rc = main(['train', '--example', 'xor', '--epochs', '2', '--quiet', '--out', 'm.onnx']); "
            "assert rc == 0; assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "m.onnx").exists()


def test_logged_training_loss_includes_the_l2_penalty(tmp_path, capsys):
    # the worked example with L2 0.1: error 0.298371109 before the step, plus
    # (0.1 / 2) * (0.15² + 0.20² + 0.25² + 0.30² + 0.40² + 0.45² + 0.50² + 0.55²) = 0.05 * 1.13
    log, out = tmp_path / "h.csv", tmp_path / "m.json"
    assert main(["train", "--example", "classic-2-2-2", "--epochs", "1", "--l2", "0.1",
                 "--log", str(log), "--out", str(out), "--quiet"]) == 0
    with log.open() as handle:
        row = next(csv.DictReader(handle))
    assert abs(float(row["train_loss"]) - (CLASSIC_ERROR_BEFORE + 0.05 * 1.13)) < 1e-9
    assert json.loads(out.read_text())["training"]["final"]["train_loss"] == pytest.approx(
        CLASSIC_ERROR_BEFORE + 0.05 * 1.13, abs=1e-9)
    capsys.readouterr()


def test_train_notes_an_empty_validation_split(tmp_path, capsys):
    data = _write(tmp_path / "single.csv", "x,y\n" + "".join(f"{i}.5,c{i}\n" for i in range(12)))
    assert main(["train", data, "--out", str(tmp_path / "m.json"), "--epochs", "1"]) == 0
    assert ("note: no rows could be held out for validation (--val-split 0.2): each class keeps "
            "its only row for training") in capsys.readouterr().err
