"""Every io writer (model JSON/NPZ/ONNX, session, predictions, history) goes through
bpgui.io.atomic: a device is written in place with its error reported, a FIFO receives the
file, a symlink keeps pointing at the file that gets the content, and a save killed with
SIGKILL at any moment leaves the old file whole."""

import errno
import os
import random
import signal
import subprocess
import sys

import pytest
from write_targets import FifoReader, is_device, leftovers, make_device

from bpgui.engine import Network
from bpgui.io.history_csv import history_csv_text
from bpgui.io.model import load_model, save_model
from bpgui.io.session import Session, load_session, save_session


@pytest.fixture(scope="module")
def model(model_files):
    return load_model(model_files["binary"])


def _session():
    return Session(network=Network.create((2, 3, 1), ("tanh", "sigmoid"), seed=0), loss="bce",
                   task="classification", epoch=1)


def _write_predictions(model, path):
    from bpgui.data import table_from_columns
    from bpgui.io.predictions import write_predictions

    table = table_from_columns("rows", {"x1": [0.0, 1.0], "x2": [1.0, 2.0], "colour": ["red", "blue"]})
    write_predictions(model.predict(table), path)


WRITERS = {
    "model.json": lambda model, path: save_model(model, path),
    "model.npz": lambda model, path: save_model(model, path),
    "model.onnx": lambda model, path: save_model(model, path),
    "lesson.bpgui.json": lambda model, path: save_session(path, _session()),
    "predictions.csv": _write_predictions,
}
"""File name → write that file with one of bpgui.io's writers."""


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_full_device_reports_no_space_and_stays_a_device(tmp_path, model, name):
    device = make_device(tmp_path / name)
    with pytest.raises(OSError) as caught:
        WRITERS[name](model, device)
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == device
    assert is_device(device) and os.listdir(tmp_path) == [name]


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_symlink_keeps_pointing_at_the_file_that_gets_the_content(tmp_path, model, name):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / name
    target.write_bytes(b"old")
    link = tmp_path / name
    link.symlink_to(target)
    WRITERS[name](model, link)
    assert link.is_symlink() and target.read_bytes() != b"old"
    if name.startswith("model.") and not name.endswith(".onnx"):
        assert load_model(link).network.sizes == model.network.sizes
    if name.endswith(".bpgui.json"):
        assert load_session(link).network.sizes == (2, 3, 1)
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "real") == []


@pytest.mark.parametrize("name", ["model.npz", "lesson.bpgui.json"])
def test_a_fifo_receives_what_the_file_would_hold(tmp_path, model, name):
    WRITERS[name](model, tmp_path / f"plain-{name}")
    reader = FifoReader(tmp_path / name)
    try:
        WRITERS[name](model, reader.path)
    finally:
        reader.release()
    received = reader.join()
    if name == "model.npz":  # the same arrays (the zip's time stamps may differ)
        (tmp_path / "copy.npz").write_bytes(received)
        assert load_model(tmp_path / "copy.npz").network.sizes == model.network.sizes
    else:
        assert received == (tmp_path / f"plain-{name}").read_bytes()


def test_history_csv_text_is_what_a_writer_gets():
    assert history_csv_text([(1, 0.5, None, 0.75, float("nan"), 0.1)]) == \
        "epoch,train_loss,val_loss,train_metric,val_metric,lr\n1,0.5,,0.75,,0.1\n"


# -- kill -9 in the middle of saves -----------------------------------------------------------

_SAVER = r"""
import sys
from bpgui.io.atomic import atomic_write_bytes
path, size = sys.argv[1], int(sys.argv[2])
print("ready", flush=True)
i = 0
while True:
    i += 1
    atomic_write_bytes(path, b"%08d" % i * (size // 8))
"""


def _whole(data, size):
    return len(data) == size and data == data[:8] * (size // 8)


def _kill_at_random(args, rounds, longest, rng):
    """Start ``args``, wait for its ``ready`` line, kill -9 after a random delay; ``rounds`` times."""
    for _ in range(rounds):
        child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout.readline() == "ready\n"
            try:
                child.wait(rng.uniform(0.0, longest))
            except subprocess.TimeoutExpired:
                pass
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
            child.stdout.close()
        yield


def test_kill_9_at_random_moments_of_large_saves_leaves_the_old_file_whole(tmp_path):
    size = 4 << 20
    target = tmp_path / "big.bin"
    target.write_bytes(b"00000000" * (size // 8))
    rng = random.Random(13)
    versions = set()
    for _ in _kill_at_random([sys.executable, "-c", _SAVER, str(target), str(size)], 20, 0.12, rng):
        data = target.read_bytes()
        assert _whole(data, size), "a killed save left a partial file"
        versions.add(data[:8])
    assert len(versions) > 3  # the kills did land in the middle of many different saves
    stray = [name for name in os.listdir(tmp_path) if name != "big.bin"]
    assert all(name.startswith(".big.bin.") and name.endswith(".tmp") for name in stray)


_MODEL_SAVER = r"""
import sys
from bpgui.engine import Network
from bpgui.io.model import load_model, save_model
model = load_model(sys.argv[1])
model.network = Network.create((model.network.n_inputs, 600, 400, model.network.n_outputs),
                               ("tanh", "tanh", model.network.output_activation), seed=1)
print("ready", flush=True)
while True:
    save_model(model, sys.argv[2])
"""


@pytest.mark.slow
def test_kill_9_during_model_saves_leaves_a_model_that_loads(tmp_path, model_files):
    out = tmp_path / "big.npz"
    small = load_model(model_files["binary"])
    save_model(small, out)
    big = (small.network.n_inputs, 600, 400, small.network.n_outputs)
    rng = random.Random(7)
    sizes = set()
    for _ in _kill_at_random([sys.executable, "-c", _MODEL_SAVER, str(model_files["binary"]), str(out)],
                             4, 0.4, rng):
        sizes.add(load_model(out).network.sizes)  # a ModelFileError here is a torn file
    assert big in sizes and sizes <= {small.network.sizes, big}
