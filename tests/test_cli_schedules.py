"""``bpgui train`` with learning-rate schedules (DESIGN.md §4): the flags, ``--log``'s ``lr``
column, the model file's words, bad parameters, and the note on a loss that rose."""

import csv
import json

import pytest

from bpgui.cli import main


def _train(tmp_path, *flags):
    out, log = tmp_path / "m.json", tmp_path / "h.csv"
    code = main(["train", "--example", "xor", "--out", str(out), "--log", str(log), "--quiet",
                 "--hidden", "3", *flags])
    return code, out, log


def _rates(log):
    return [float(row["lr"]) for row in csv.DictReader(log.read_text().splitlines())]


def test_log_has_a_sixth_column_with_each_epochs_rate(tmp_path, capsys):
    code, out, log = _train(tmp_path, "--epochs", "6", "--lr", "0.1", "--schedule", "step",
                            "--step-size", "2", "--gamma", "0.5", "--warmup", "1")
    assert code == 0
    header = log.read_text().splitlines()[0]
    assert header == "epoch,train_loss,val_loss,train_metric,val_metric,lr"
    # warm-up epoch 1: 0.1 · 1/1; then step from e' = 1: 0.1, 0.1, 0.05, 0.05, 0.025
    assert _rates(log) == pytest.approx([0.1, 0.1, 0.1, 0.05, 0.05, 0.025])
    hyperparameters = json.loads(out.read_text())["training"]["hyperparameters"]
    assert {key: hyperparameters[key] for key in ("schedule", "warmup", "step_size", "gamma")} == \
        {"schedule": "step", "warmup": 1, "step_size": 2, "gamma": 0.5}
    capsys.readouterr()


def test_a_constant_rate_logs_the_rate(tmp_path, capsys):
    code, out, log = _train(tmp_path, "--epochs", "3", "--lr", "0.02")
    assert code == 0 and _rates(log) == [0.02, 0.02, 0.02]
    assert json.loads(out.read_text())["training"]["hyperparameters"]["schedule"] == "constant"
    capsys.readouterr()


def test_cosine_and_cyclic_defaults_are_written_into_the_model_file(tmp_path, capsys):
    code, out, log = _train(tmp_path, "--epochs", "5", "--lr", "0.4", "--schedule", "cosine")
    assert code == 0 and _rates(log) == pytest.approx([0.4, 0.341421356, 0.2, 0.058578644, 0.0], abs=1e-8)
    assert json.loads(out.read_text())["training"]["hyperparameters"]["min_lr"] == 0.0
    code, out, log = _train(tmp_path, "--epochs", "5", "--lr", "0.4", "--schedule", "cyclic", "--cycle", "2")
    assert code == 0 and _rates(log) == pytest.approx([0.04, 0.22, 0.4, 0.22, 0.04])
    hyperparameters = json.loads(out.read_text())["training"]["hyperparameters"]
    assert hyperparameters["min_lr"] == pytest.approx(0.04) and hyperparameters["cycle"] == 2
    capsys.readouterr()


@pytest.mark.parametrize("flags, named", [
    (["--schedule", "linear"], "--schedule"),
    (["--schedule", "step", "--step-size", "0"], "--step-size"),
    (["--schedule", "cyclic", "--cycle", "0"], "--cycle"),
    (["--schedule", "step", "--gamma", "0"], "--gamma"),
    (["--schedule", "exponential", "--gamma", "-0.9"], "--gamma"),
    (["--schedule", "exponential", "--gamma", "nan"], "--gamma"),
    (["--warmup", "-1"], "--warmup"),
    (["--schedule", "cosine", "--min-lr", "-0.1"], "--min-lr"),
    (["--schedule", "cosine", "--min-lr", "nan"], "--min-lr"),
    (["--schedule", "cyclic", "--lr", "0.01", "--min-lr", "0.1"], "--min-lr"),
])
def test_bad_schedule_parameters_are_one_error_line_and_exit_2(tmp_path, capsys, flags, named):
    code, out, _ = _train(tmp_path, "--epochs", "2", *flags)
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith("error: ") and named in lines[0]
    assert not out.exists()


def test_a_rate_far_too_high_ends_with_a_note_quiet_or_not(tmp_path, capsys):
    out = str(tmp_path / "m.json")
    flags = ["train", "--example", "xor", "--optimizer", "sgd", "--lr", "1e6", "--epochs", "50", "--out", out]
    assert main(flags) == 0
    err = capsys.readouterr().err
    notes = [line for line in err.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "rose from 0.7" in notes[0] and "try a lower one with --lr" in notes[0]
    assert main([*flags, "--quiet"]) == 0
    assert capsys.readouterr().err.splitlines() == notes  # --quiet: the note without the bar
    assert main(["train", "--example", "xor", "--epochs", "50", "--out", out]) == 0
    assert "note:" not in capsys.readouterr().err
