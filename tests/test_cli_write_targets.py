"""The command line's output files when they are not plain files (DESIGN.md §4: exit 2 with
one line ``error: PATH: reason``; nothing half-written; a device or FIFO is written, never
replaced; a symlink keeps pointing at the file that gets the content)."""

import os
import stat
import sys

import pytest
from write_targets import FifoReader, is_device, leftovers, make_device, run_obeying_permissions

from bpgui.cli import main


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A small XOR model and a CSV of 20,000 rows to predict (its CSV is over 64 KiB, more than
    a pipe holds)."""
    folder = tmp_path_factory.mktemp("targets")
    model = str(folder / "xor.json")
    assert main(["train", "--example", "xor", "--out", model, "--epochs", "2", "--quiet"]) == 0
    rows = "".join(f"{i % 2},{(i // 2) % 2}\n" for i in range(20000))
    (folder / "rows.csv").write_text("x1,x2\n" + rows)
    return {"model": model, "rows": str(folder / "rows.csv")}


def _one_error(capsys):
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


def _commands(files, out):
    return {
        "predict": ["predict", files["model"], files["rows"], "--out", out],
        "export": ["export", files["model"], out],
        "train": ["train", "--example", "xor", "--epochs", "1", "--quiet", "--out", out],
        "log": ["train", "--example", "xor", "--epochs", "1", "--quiet", "--out",
                os.path.join(os.path.dirname(files["model"]), "m.json"), "--log", out],
    }


@pytest.mark.parametrize("command", ["predict", "export", "train", "log"])
def test_a_full_device_is_exit_2_no_space_and_stays_a_device(tmp_path, files, capsys, command):
    device = make_device(tmp_path / "full.json")
    capsys.readouterr()
    assert main(_commands(files, device)[command]) == 2
    assert _one_error(capsys) == f"error: {device}: no space left on device"
    assert is_device(device) and os.listdir(tmp_path) == ["full.json"]


def test_predict_into_a_fifo_sends_what_stdout_would_show(tmp_path, files, capsys):
    assert main(["predict", files["model"], files["rows"]]) == 0
    expected = capsys.readouterr().out.encode()
    reader = FifoReader(tmp_path / "pipe.csv")
    try:
        assert main(["predict", files["model"], files["rows"], "--out", reader.path]) == 0
    finally:
        reader.release()
    assert reader.join() == expected and len(expected) > 65536
    assert stat.S_ISFIFO(os.lstat(reader.path).st_mode)


def test_a_fifo_reader_that_leaves_early_is_exit_2_broken_pipe(tmp_path, files, capsys):
    reader = FifoReader(tmp_path / "pipe.csv", keep=100)
    try:
        assert main(["predict", files["model"], files["rows"], "--out", reader.path]) == 2
    finally:
        reader.release()
    assert _one_error(capsys) == f"error: {reader.path}: broken pipe"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("command", ["predict", "export", "train", "log"])
def test_a_symlink_stays_and_its_target_gets_the_content(tmp_path, files, capsys, command):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "out.json"
    target.write_text("old")
    link = tmp_path / "out.json"
    link.symlink_to(os.path.join("real", "out.json"))
    assert main(_commands(files, str(link))[command]) == 0
    assert link.is_symlink() and target.read_text() != "old"
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "real") == []


@pytest.mark.parametrize("command", ["train", "log"])
def test_train_refuses_a_link_into_a_missing_folder_before_training(tmp_path, files, capsys, command):
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "gone" / "out.json")
    capsys.readouterr()
    assert main(_commands(files, str(link))[command]) == 2
    captured = capsys.readouterr()
    assert "trained" not in captured.out and captured.err.count("\n") == 1
    assert captured.err.startswith(f"error: {link}: ") and "does not exist" in captured.err


@pytest.mark.parametrize("command", ["predict", "export", "train", "log"])
def test_a_missing_folder_or_a_folder_is_exit_2_and_writes_nothing(tmp_path, files, capsys, command):
    (tmp_path / "folder.json").mkdir()
    for out, reason in ((tmp_path / "no" / "out.json", f"the folder {tmp_path / 'no'} does not exist"),
                        (tmp_path / "folder.json", "is a folder")):
        capsys.readouterr()
        assert main(_commands(files, str(out))[command]) == 2
        assert _one_error(capsys) == f"error: {out}: {reason}"
    assert os.listdir(tmp_path) == ["folder.json"] and os.listdir(tmp_path / "folder.json") == []


@pytest.mark.parametrize("command", ["predict", "export", "train"])
def test_a_read_only_folder_is_exit_2_permission_denied(tmp_path, files, command):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    out = str(folder / "out.json")
    done = run_obeying_permissions([sys.executable, "-m", "bpgui", *_commands(files, out)[command]])
    folder.chmod(0o755)
    assert done.returncode == 2 and done.stderr.startswith(f"error: {out}: permission denied"), done.stderr
    assert done.stderr.count("\n") == 1 and "trained" not in done.stdout
    assert os.listdir(folder) == []
