"""Hostile settings on the command line: each trains (exit 0 and the summary line, with a
``note:`` where the result is rarely what was meant) or is refused with exit 2 and one
``error:`` line, never a traceback. The window's side is tests/gui/test_hostile_settings.py."""

import json

import numpy as np
import pytest

from bpgui.cli import main


def write_csv(path, header, rows):
    path.write_text(header + "\n" + "".join(",".join(map(str, row)) + "\n" for row in rows), encoding="utf-8")
    return str(path)


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, [line for line in err.splitlines() if line.startswith(("note:", "error:"))]


def trained(capsys, argv, epochs):
    code, out, lines = run(capsys, argv)
    assert code == 0, lines
    assert out.startswith(f"trained {epochs} epochs"), out
    return out, lines


def refused(capsys, argv):
    code, _, lines = run(capsys, argv)
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: "), lines
    return lines[0]


@pytest.fixture
def out(tmp_path):
    return ["--out", str(tmp_path / "model.json")]


def test_a_learning_rate_of_1e6_trains_with_a_note(capsys, out):
    _, lines = trained(capsys, ["train", "--example", "xor", "--optimizer", "sgd", "--lr", "1e6",
                                "--epochs", "50", *out], 50)
    assert len(lines) == 1 and "the learning rate (1e+06) is probably too high" in lines[0]


def test_a_learning_rate_of_1e300_diverges_with_one_line(capsys, out):
    line = refused(capsys, ["train", "--example", "xor", "--lr", "1e300", "--epochs", "5", *out])
    assert line.startswith("error: training diverged at epoch") and "lower learning rate" in line


def test_a_learning_rate_of_1e_12_trains_and_barely_moves(capsys, out, tmp_path):
    log = str(tmp_path / "log.csv")
    trained(capsys, ["train", "--example", "xor", "--lr", "1e-12", "--epochs", "20", "--log", log, *out], 20)
    losses = np.genfromtxt(log, delimiter=",", names=True)["train_loss"]
    assert np.ptp(losses) < 1e-3


@pytest.mark.parametrize("argv, epochs", [
    (["--batch-size", "1000000"], 3),  # larger than the data: one full batch
    (["--hidden", "0"], 3),  # no hidden layer
    (["--hidden", "2000"], 2),
    (["--hidden", ",".join(["4"] * 50)], 2),
])
def test_odd_networks_and_batches_train(capsys, out, argv, epochs):
    trained(capsys, ["train", "--example", "spiral", "--epochs", str(epochs), *argv, *out], epochs)


def test_zero_and_negative_settings_are_refused_in_one_line(capsys, out):
    assert "--batch-size" in refused(capsys, ["train", "--example", "xor", "--batch-size", "0", *out])
    assert "--hidden" in refused(capsys, ["train", "--example", "xor", "--hidden", "8,0", *out])
    assert "learning rate" in refused(capsys, ["train", "--example", "xor", "--lr", "0", *out])


def test_one_sample(capsys, out, tmp_path):
    one_class = write_csv(tmp_path / "one.csv", "x1,x2,y", [(0.5, 0.2, "a")])
    line = refused(capsys, ["train", one_class, *out])
    assert 'one.csv: column "y"' in line and "single class" in line
    one_value = write_csv(tmp_path / "value.csv", "x1,x2,y", [(0.5, 0.2, 1.5)])
    summary, lines = trained(capsys, ["train", one_value, "--epochs", "3", *out], 3)
    assert lines == ["note: no rows could be held out for validation (--val-split 0.2): too few rows"]
    assert "train_r2 -" in summary  # R² does not exist for one row


def test_200_classes(capsys, out, tmp_path):
    rng = np.random.default_rng(0)
    rows = [(f"{rng.normal():.3f}", f"{rng.normal():.3f}", f"c{c:03d}") for c in range(200) for _ in range(5)]
    data = write_csv(tmp_path / "classes.csv", "x1,x2,label", rows)
    trained(capsys, ["train", data, "--epochs", "2", *out], 2)
    code, report, _ = run(capsys, ["evaluate", out[1], data, "--json"])
    assert code == 0 and len(json.loads(report)["classes"]) == 200


def test_a_constant_feature_trains_with_a_note(capsys, out, tmp_path):
    data = write_csv(tmp_path / "constant.csv", "x1,x2,y", [(i / 40, 5, "ab"[i % 2]) for i in range(40)])
    _, lines = trained(capsys, ["train", data, "--epochs", "2", *out], 2)
    assert lines == ['note: feature "x2" has the same value (5) in every row: it gives the network '
                     "nothing to learn from"]


def test_a_target_with_one_value(capsys, out, tmp_path):
    classes = write_csv(tmp_path / "class.csv", "x1,y", [(i, "a") for i in range(40)])
    assert "single class" in refused(capsys, ["train", classes, *out])
    values = write_csv(tmp_path / "value.csv", "x1,y", [(i, 3.5) for i in range(40)])
    _, lines = trained(capsys, ["train", values, "--epochs", "2", *out], 2)
    assert lines[0] == ('note: target "y" has the same value (3.5) in every row: there is nothing to '
                        "learn (R² is 0 unless the network predicts it exactly)")


def test_a_long_run_keeps_no_report_per_epoch(capsys, out, tmp_path, monkeypatch):
    """100,000 epochs kept 100,000 EpochReport objects (about 0.55 KB each, 55 MB) only to
    write --log and the summary at the end; the log is kept as numbers (48 bytes an epoch)."""
    import gc

    from bpgui.cli.progress import ProgressBar
    from bpgui.engine import EpochReport

    alive = []
    update = ProgressBar.update

    def counting(self, done, extra=""):
        if done == self.total:
            gc.collect()
            alive.append(sum(isinstance(o, EpochReport) for o in gc.get_objects()))
        update(self, done, extra)

    monkeypatch.setattr(ProgressBar, "update", counting)
    log = tmp_path / "log.csv"
    trained(capsys, ["train", "--example", "xor", "--epochs", "300", "--log", str(log), *out], 300)
    assert alive and alive[0] < 5
    lines = log.read_text().splitlines()
    assert len(lines) == 301 and lines[1].startswith("1,") and lines[-1].startswith("300,")


def test_quiet_hides_the_progress_bar_but_not_the_note(capsys, out):
    code = main(["train", "--example", "xor", "--optimizer", "sgd", "--lr", "1e6", "--epochs", "50", "--quiet", *out])
    err = capsys.readouterr().err
    assert code == 0 and err.startswith("note: the training loss rose") and len(err.splitlines()) == 1
