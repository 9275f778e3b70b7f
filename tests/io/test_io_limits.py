"""Model and session files larger than sensible are refused before they are read, parsed or
unpacked, with one line naming the limit (bpgui/io/limits.py, docs/reliability.md)."""

import io
import json
import os
import zipfile

import numpy as np
import pytest

from bpgui.engine import Network
from bpgui.io import limits, model
from bpgui.io.model import ModelFileError, load_model, save_model
from bpgui.io.session import Session, load_session, save_session


@pytest.fixture(scope="module")
def document(model_files):
    return json.loads(model_files["binary"].read_text())


@pytest.fixture(scope="module")
def npz_bytes(model_files, tmp_path_factory):
    path = tmp_path_factory.mktemp("npz") / "m.npz"
    save_model(load_model(model_files["binary"]), path)
    return path.read_bytes()


def _members(npz, **replace):
    """The NPZ with members replaced (name → bytes of a .npy file) or added."""
    source = zipfile.ZipFile(io.BytesIO(npz))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name[:-4] not in replace:
                target.writestr(name, source.read(name))
        for name, content in replace.items():
            target.writestr(f"{name}.npy", content)
    return out.getvalue()


def _claim(shape, dtype="<f8"):
    """A .npy file whose header claims ``shape`` and which holds 16 bytes."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buffer.getvalue() + bytes(16)


@pytest.mark.parametrize("suffix, load", [(".json", load_model), (".npz", load_model),
                                          (".bpgui.json", load_session)])
def test_a_file_over_1_gib_is_refused_unread(tmp_path, suffix, load):
    path = tmp_path / f"huge{suffix}"
    with open(path, "wb") as handle:
        handle.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: no disk used
    with pytest.raises(ModelFileError, match=r"at most 1,073,741,824 bytes \(1 GiB\)"):
        load(path)


def test_json_claiming_a_billion_units_is_refused(tmp_path, document):
    claim = json.loads(json.dumps(document))
    claim["layers"][0]["units"] = 1e9
    path = tmp_path / "m.json"
    path.write_text(json.dumps(claim))
    with pytest.raises(ModelFileError, match="claims 1,000,000,000 units; a bpgui model has at most 20,000,000"):
        load_model(path)


def test_more_layers_than_the_limit_are_refused(tmp_path, document):
    many = json.loads(json.dumps(document))
    many["layers"] = [{"units": 1, "activation": "tanh", "weights": [[0.5]], "biases": [0.0]}] * 1001
    path = tmp_path / "m.json"
    path.write_text(json.dumps(many))
    with pytest.raises(ModelFileError, match="1,001 layers; a bpgui model has at most 1,000"):
        load_model(path)


@pytest.mark.parametrize("member, shape, dtype, phrase", [
    ("W0", (10**9,), "<f8", "claims 1,000,000,000 numbers"),
    ("b0", (10**5, 10**5), "<f4", "claims 10,000,000,000 numbers"),
    ("W1", (2**62,), "|u1", "at most 20,000,000 weights and biases"),
    ("meta", (), "<U100000000", "'meta' claims 100,000,000 characters"),
    ("W0", (3,), "<c16", "complex128 values, not numbers"),
])
def test_npz_arrays_claiming_too_much_are_refused_unread(tmp_path, npz_bytes, member, shape, dtype, phrase):
    path = tmp_path / "m.npz"
    path.write_bytes(_members(npz_bytes, **{member: _claim(shape, dtype)}))
    with pytest.raises(ModelFileError, match=phrase):
        load_model(path)


def test_an_npz_of_thousands_of_entries_is_refused_before_unpacking(tmp_path, npz_bytes):
    path = tmp_path / "m.npz"
    path.write_bytes(_members(npz_bytes, **{f"x{i}": b"" for i in range(limits.MAX_NPZ_MEMBERS)}))
    with pytest.raises(ModelFileError, match="more than 2,001 entries"):
        load_model(path)


def test_a_session_claiming_huge_layers_is_refused(tmp_path):
    path = tmp_path / "s.bpgui.json"
    save_session(path, Session(network=Network.create((2, 3, 1), ("tanh", "sigmoid")), loss="bce"))
    session = json.loads(path.read_text())
    session["network"]["layers"][0]["units"] = 10**12
    path.write_text(json.dumps(session))
    with pytest.raises(ModelFileError, match="claims 1,000,000,000,000 units"):
        load_session(path)


def test_a_network_over_the_limit_is_not_saved(tmp_path, model_files, monkeypatch):
    monkeypatch.setattr(model, "MAX_PARAMETERS", 10)
    with pytest.raises(ModelFileError, match="bpgui reads models of at most 10"):
        save_model(load_model(model_files["binary"]), tmp_path / "m.json")
    assert list(tmp_path.iterdir()) == []


def test_reading_a_small_file_does_not_reserve_the_limit(tmp_path, model_files):
    import tracemalloc

    tracemalloc.start()
    load_model(model_files["binary"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50 << 20  # read(1 GiB) reserved 1 GiB before reading 3 KB


def test_a_pipe_over_the_limit_is_refused_after_the_limit(tmp_path, monkeypatch):
    import threading

    from bpgui.io import file_reading

    monkeypatch.setattr(file_reading, "MAX_FILE_BYTES", 3 << 20)
    pipe = tmp_path / "m.json"
    os.mkfifo(pipe)

    def feed():
        with open(pipe, "wb") as handle:
            try:
                handle.write(b" " * (5 << 20))
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed)
    writer.start()
    with pytest.raises(ModelFileError, match="at most 3,145,728 bytes"):
        file_reading.read_bytes(pipe, file_reading.MAX_FILE_BYTES)
    writer.join(10)
