"""``bpgui sweep`` (DESIGN.md §4 "Sweeps"), in process through ``main(argv)`` and, for Ctrl+C,
as a subprocess."""

import csv
import os
import pty
import signal
import subprocess
import sys
import time

import pytest

from bpgui.cli import main

IRIS = ["--example", "iris", "--epochs", "3", "--quiet"]
NUMBERS = ["epochs_run", "train_loss", "val_loss", "train_metric", "val_metric", "seconds"]


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def sweep(tmp_path, capsys, *args, name="results.csv"):
    out = str(tmp_path / name)
    code = main(["sweep", *IRIS, "--out", out, *args])
    captured = capsys.readouterr()
    return code, out, captured


def without_seconds(rows):
    return [{key: value for key, value in row.items() if key != "seconds"} for row in rows]


def test_results_have_one_row_per_run_in_grid_order_seed_fastest(tmp_path, capsys):
    code, out, captured = sweep(tmp_path, capsys, "--lr", "0.01,0.1", "--hidden", "4",
                                "--hidden", "6,3", "--seeds", "2", "--seed", "7", "--jobs", "1")
    assert code == 0, captured.err
    with open(out, encoding="utf-8") as handle:
        assert handle.readline().strip() == ("run,seed,lr,hidden,epochs_run,train_loss,val_loss,"
                                            "train_metric,val_metric,seconds")
    rows = read_rows(out)
    assert [(row["run"], row["lr"], row["hidden"], row["seed"]) for row in rows] == [
        ("1", "0.01", "4", "7"), ("2", "0.01", "4", "8"), ("3", "0.01", "6,3", "7"), ("4", "0.01", "6,3", "8"),
        ("5", "0.1", "4", "7"), ("6", "0.1", "4", "8"), ("7", "0.1", "6,3", "7"), ("8", "0.1", "6,3", "8")]
    assert all(row["epochs_run"] == "3" and float(row["val_loss"]) > 0 for row in rows)
    assert 0 <= float(rows[0]["val_metric"]) <= 1 and float(rows[0]["seconds"]) > 0


def test_the_order_of_the_options_on_the_command_line_orders_runs_and_columns(tmp_path, capsys):
    code, out, _ = sweep(tmp_path, capsys, "--hidden", "4", "--hidden", "6,3", "--lr", "0.01,0.1",
                         "--batch-size", "16", "--jobs", "1")
    assert code == 0
    rows = read_rows(out)
    assert list(rows[0])[:4] == ["run", "seed", "hidden", "lr"]  # --batch-size 16: one value, shared
    assert [(row["hidden"], row["lr"]) for row in rows] == [
        ("4", "0.01"), ("4", "0.1"), ("6,3", "0.01"), ("6,3", "0.1")]


def test_schedules_and_whole_lists_of_derived_inputs_are_swept(tmp_path, capsys):
    out = str(tmp_path / "circles.csv")
    code = main(["sweep", "--example", "circles", "--hidden", "2", "--epochs", "3", "--jobs", "1",
                 "--derive", "x1^2,x2^2", "--derive", "x1*x2", "--schedule", "constant,cosine",
                 "--out", out, "--quiet"])
    assert code == 0, capsys.readouterr().err
    rows = read_rows(out)
    assert list(rows[0])[:4] == ["run", "seed", "derive", "schedule"]
    assert [(row["derive"], row["schedule"]) for row in rows] == [
        ("x1^2,x2^2", "constant"), ("x1^2,x2^2", "cosine"), ("x1*x2", "constant"), ("x1*x2", "cosine")]


def test_stdout_ranks_the_runs_best_first_and_ends_with_the_best_one(tmp_path, capsys):
    code, out, captured = sweep(tmp_path, capsys, "--lr", "0.001,0.03,0.01", "--jobs", "1")
    assert code == 0
    rows = {row["run"]: row for row in read_rows(out)}
    expected = sorted(rows, key=lambda run: (-float(rows[run]["val_metric"]), float(rows[run]["val_loss"]), run))
    lines = captured.out.strip().splitlines()
    assert lines[0].split() == ["rank", "run", "seed", "lr", "epochs", "train_loss", "val_loss",
                                "train_accuracy", "val_accuracy", "seconds"]
    assert [line.split()[1] for line in lines[1:4]] == expected and len(lines) == 5
    top = rows[expected[0]]
    assert lines[-1] == (f"best: run {expected[0]} of 3 (seed 0, lr {top['lr']}): "
                         f"val_accuracy {float(top['val_metric']):.6g}, val_loss {float(top['val_loss']):.6g}; "
                         f"wrote {out}")


def test_without_a_validation_split_the_lowest_training_loss_wins(tmp_path, capsys):
    code, out, captured = sweep(tmp_path, capsys, "--lr", "0.001,0.03", "--val-split", "0", "--jobs", "1")
    assert code == 0
    rows = read_rows(out)
    assert [row["val_loss"] for row in rows] == ["", ""]
    winner = min(rows, key=lambda row: float(row["train_loss"]))
    assert captured.out.strip().splitlines()[-1].startswith(
        f"best: run {winner['run']} of 2 (seed 0, lr {winner['lr']}): "
        f"train_loss {float(winner['train_loss']):.6g}, train_accuracy ")


def test_best_writes_the_model_train_writes_for_the_same_settings(tmp_path, capsys):
    best = str(tmp_path / "best.json")
    code, out, captured = sweep(tmp_path, capsys, "--lr", "0.003,0.03", "--seeds", "2", "--seed", "4",
                                "--jobs", "1", "--best", best)
    assert code == 0 and captured.out.strip().endswith(f"wrote {out}, {best}")
    run = captured.out.strip().splitlines()[-1].split()[2]
    row = next(row for row in read_rows(out) if row["run"] == run)
    trained = str(tmp_path / "trained.json")
    assert main(["train", *IRIS, "--lr", row["lr"], "--seed", row["seed"], "--out", trained]) == 0
    with open(best, "rb") as a, open(trained, "rb") as b:
        assert a.read() == b.read()


def test_a_diverged_run_is_a_row_with_the_error_column_and_the_sweep_goes_on(tmp_path, capsys):
    out = str(tmp_path / "results.csv")
    code = main(["sweep", "--example", "plane", "--epochs", "3", "--optimizer", "sgd", "--quiet",
                 "--lr", "0.01,10000,0.02", "--jobs", "1", "--out", out])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    rows = read_rows(out)
    assert list(rows[0])[-1] == "error" and [row["error"] for row in rows] == ["", "diverged", ""]
    assert [rows[1][name] for name in NUMBERS] == [""] * 6 and rows[2]["epochs_run"] == "3"
    lines = captured.out.strip().splitlines()
    assert lines[-2].split()[1:3] == ["2", "0"] and lines[-2].endswith("diverged")
    assert "; 1 of 3 diverged; wrote" in lines[-1]


def test_jobs_one_and_two_write_the_same_numbers(tmp_path, capsys):
    args = ["--lr", "0.01,0.1", "--hidden", "4", "--hidden", "5", "--seeds", "2"]
    one = sweep(tmp_path, capsys, *args, "--jobs", "1", name="one.csv")
    two = sweep(tmp_path, capsys, *args, "--jobs", "2", name="two.csv")
    assert one[0] == two[0] == 0
    assert without_seconds(read_rows(one[1])) == without_seconds(read_rows(two[1]))


def test_ctrl_c_writes_the_finished_runs_and_exits_130(tmp_path):
    """The progress bar on a terminal (a pty) shows when the first, quick run has finished;
    the second (batches of one row) would run for minutes."""
    out = tmp_path / "results.csv"
    script = ("import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
              "from bpgui.cli import main; sys.exit(main(sys.argv[1:]))")
    command = [sys.executable, "-c", script, "sweep", "--example", "iris", "--epochs", "300",
               "--batch-size", "120,1", "--jobs", "1", "--out", str(out)]
    terminal, child_side = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=child_side, text=True)
    os.close(child_side)
    seen, deadline = b"", time.monotonic() + 90
    try:
        while b"run 1/2" not in seen and time.monotonic() < deadline:
            seen += os.read(terminal, 4096)  # OSError once the child has closed the terminal
        process.send_signal(signal.SIGINT)
        stdout, _ = process.communicate(timeout=60)
        seen += _drain(terminal)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        os.close(terminal)
    assert process.returncode == 130 and stdout == ""
    assert seen.decode().replace("\r", "\n").strip().splitlines()[-1] == (
        f"error: interrupted after 1 of 2 runs; wrote their rows to {out}")
    rows = read_rows(out)
    assert [(row["run"], row["batch_size"], row["epochs_run"]) for row in rows] == [("1", "120", "300")]


def _drain(terminal):
    data = b""
    try:
        while chunk := os.read(terminal, 4096):
            data += chunk
    except OSError:  # the child closed its side
        pass
    return data


@pytest.mark.parametrize("args, words", [
    (["--lr", "0.1,"], "argument --lr: an empty item in the list '0.1,'"),
    (["--lr", "0.1,fast"], "argument --lr: invalid float value: 'fast' in the list '0.1,fast'"),
    (["--batch-size", "8,0"], "argument --batch-size: must be at least 1, got 0 in the list '8,0'"),
    (["--activation", "tanh,swish"], "argument --activation: invalid choice: 'swish' in the list"),
    (["--hidden", "8", "--hidden", "8,x"], "argument --hidden: expected layer sizes like 16,8"),
    (["--lr", "0.1,0.1"], "argument --lr: 0.1 is listed twice"),
    (["--lr", "0.1", "--lr", "0.2"], "argument --lr: given twice; give its values as one comma list"),
    (["--lr", "0.1,-1"], "run 2 (lr -1.0): learning rate must be a positive number"),
    (["--jobs", "0"], "argument --jobs: must be at least 1, got 0"),
    (["--seeds", "0"], "argument --seeds: must be at least 1, got 0"),
    (["--backend", "spark"], "argument --backend: invalid choice: 'spark'"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "a scheduler address needs the dask backend"),
    (["--best", "best.txt"], "best.txt: unknown model file type"),
    (["--out", "results.json"], "results.json: the results are a CSV file"),
])
def test_every_bad_sweep_option_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    out = [] if "--out" in args else ["--out", "results.csv"]
    assert main(["sweep", *IRIS, *out, *args]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ") and words in err, err
    assert not os.path.exists("results.csv")


def test_the_results_never_overwrite_the_training_data(tmp_path, capsys):
    data = tmp_path / "data.csv"
    data.write_text("x,y\n" + "".join(f"{i},{i % 2}\n" for i in range(20)), encoding="utf-8")
    assert main(["sweep", str(data), "--out", str(data), "--lr", "0.1,0.2", "--quiet"]) == 2
    assert "is the training data" in capsys.readouterr().err and data.read_text().startswith("x,y")


def test_the_dask_backend_without_dask_installed_says_how_to_get_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    code, out, captured = sweep(tmp_path, capsys, "--lr", "0.1,0.2", "--backend", "dask")
    assert code == 2 and captured.err == ("error: the dask backend needs Dask's distributed "
                                          "scheduler: pip install 'bpgui[cluster]'\n")


def test_help_lists_the_sweep_options(capsys):
    assert main(["sweep", "--help"]) == 0
    out = capsys.readouterr().out
    for flag in ("--seeds", "--jobs", "--backend", "--scheduler", "--best", "--quiet", "--lr", "--hidden"):
        assert flag in out
    assert "a comma list to sweep" in out and "give it several times to sweep" in out
