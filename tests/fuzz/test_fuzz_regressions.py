"""Every crash the fuzzers found, as the smallest input that showed it: each must now end in
the project's own clean error (or load correctly). docs/reliability.md lists them."""

import copy
import io
import json
import zipfile

import numpy as np
import pytest
from fuzz_seeds import model_documents, model_seeds, session_document
from fuzz_strategies import _npy_claiming, _with_member

from bpgui.data import CsvOptions, DataError, read_csv
from bpgui.data.csv_reader import _column_names
from bpgui.io.model import ModelFileError, load_model
from bpgui.io.session import load_session

# -- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["hex", "rot13", "base64", "zlib"])
def test_a_codec_that_is_not_a_text_encoding_is_a_data_error(tmp_path, encoding):
    path = tmp_path / "a.csv"
    path.write_bytes(b"a,b\n1,2\n")
    with pytest.raises(DataError, match=f'"{encoding}" is not a text encoding'):
        read_csv(path, CsvOptions(encoding=encoding))


def test_a_lone_carriage_return_in_a_whitespace_file_starts_a_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b'a b\n1 "x"\r2 y\n3 z\n')
    table = read_csv(path, CsvOptions(delimiter="space"))
    assert table.data["b"].tolist() == ["x", "y", "z"] and table.lines.tolist() == [2, 3, 4]


def test_thousands_of_equal_column_names_are_numbered_in_one_pass():
    names = _column_names(["a"] * 3000 + ["a_2", ""], 3002)
    assert names[:3] == ["a", "a_2", "a_3"] and names[-2] == "a_2_2" and names[-1] == "column_3002"
    assert len(set(names)) == 3002


@pytest.mark.timeout(10)  # the number pattern backtracked: 4,000 digits took 5 s, 100,000 hours
def test_a_cell_of_many_digits_is_sniffed_in_linear_time(tmp_path):
    from bpgui.data.sniff import is_number

    assert not is_number("1" * 100_000 + "x") and is_number("1" * 100_000 + ".5e3")
    path = tmp_path / "digits.csv"
    path.write_text("a,b\n" + "7" * 100_000 + "x,1\n2,3\n")
    assert read_csv(path).columns == ("a", "b")


# -- model files: JSON -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def iris():
    return next(d for d in model_documents() if d["outputs"]["targets"] == ["species"])


def _load(tmp_path, document=None, text=None, name="m.json"):
    path = tmp_path / name
    path.write_text(text if text is not None else json.dumps(document, allow_nan=True))
    return load_model(path)


def _changed(document, change):
    document = copy.deepcopy(document)
    change(document)
    return document


@pytest.mark.parametrize("where", ["loss", "task", "activation", "dtype", "scaling", "kind"])
@pytest.mark.parametrize("value", [["mse"], {"a": 1}])
def test_a_key_word_of_another_type_is_a_model_file_error(tmp_path, iris, where, value):
    places = {
        "loss": lambda d: d.__setitem__("loss", value),
        "task": lambda d: d.__setitem__("task", value),
        "activation": lambda d: d["layers"][0].__setitem__("activation", value),
        "dtype": lambda d: d["training"]["hyperparameters"].__setitem__("dtype", value),
        "scaling": lambda d: d["inputs"].__setitem__("scaling", value),
        "kind": lambda d: d["inputs"]["columns"][0].__setitem__("kind", value),
    }
    with pytest.raises(ModelFileError):
        _load(tmp_path, _changed(iris, places[where]))


@pytest.mark.parametrize("field, value", [("name", ["x"]), ("name", 3), ("scale", 0), ("scale", None),
                                          ("center", "a"), ("impute", float("inf"))])
def test_a_column_that_cannot_be_applied_is_a_model_file_error(tmp_path, iris, field, value):
    with pytest.raises(ModelFileError, match='"inputs"/"outputs"'):
        _load(tmp_path, _changed(iris, lambda d: d["inputs"]["columns"][0].__setitem__(field, value)))


@pytest.mark.parametrize("field, value", [("targets", [["species"]]), ("targets", "species"),
                                          ("classes", [[1], [2], [3]]), ("classes", "abc"),
                                          ("na_values", [1, None])])
def test_outputs_of_the_wrong_types_are_a_model_file_error(tmp_path, iris, field, value):
    section = "inputs" if field == "na_values" else "outputs"
    with pytest.raises(ModelFileError):
        _load(tmp_path, _changed(iris, lambda d: d[section].__setitem__(field, value)))


def test_classification_with_one_class_is_a_model_file_error(tmp_path):
    xor = next(d for d in model_documents() if d["outputs"]["targets"] == ["label"] and
               d["layers"][-1]["units"] == 1 and d["task"] == "classification")
    one_class = _changed(xor, lambda d: d["outputs"].__setitem__("classes", [0]))
    with pytest.raises(ModelFileError, match="at least 2 classes"):
        _load(tmp_path, one_class)


def test_a_weight_too_large_for_a_float_is_a_model_file_error(tmp_path, iris):
    text = json.dumps(iris).replace('"biases": [', '"biases": [' + "1" * 400 + ", ", 1)
    with pytest.raises(ModelFileError, match="not a finite number"):
        _load(tmp_path, text=text)


def test_a_weight_beyond_float32_in_a_float32_model_is_a_model_file_error(tmp_path, iris):
    huge = _changed(iris, lambda d: d["layers"][0]["biases"].__setitem__(0, 1e300))
    with pytest.raises(ModelFileError, match="not a finite number"):
        _load(tmp_path, huge)


@pytest.mark.parametrize("text, problem", [("[" * 100_000, "nested too deeply"),
                                           ('{"a": ' + "7" * 5000 + "}", "number with too many digits")])
def test_json_that_python_cannot_parse_is_a_model_file_error(tmp_path, text, problem):
    with pytest.raises(ModelFileError, match=problem):
        _load(tmp_path, text=text)


# -- model files: NPZ --------------------------------------------------------------------------

def _npz(tmp_path, data):
    path = tmp_path / "m.npz"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def iris_npz():
    return next(npz for name, (_, npz) in model_seeds().items() if name == "iris")


def _compressed_with_garbage(npz):
    """The model compressed, W0's deflate stream replaced by bytes that are no deflate data."""
    arrays = dict(np.load(io.BytesIO(npz)))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    data = bytearray(buffer.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("W0.npy")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start:start + info.compress_size] = b"\xff" * info.compress_size
    return bytes(data)


def _central_field(npz, offset, value):
    """Every central-directory entry with the 2-byte field at ``offset`` set to ``value``."""
    data, start = bytearray(npz), 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:
        data[start + offset:start + offset + 2] = value.to_bytes(2, "little")
        start += 4
    return bytes(data)


@pytest.mark.parametrize("damage", ["deflate", "method", "version"])
def test_a_damaged_archive_is_a_model_file_error(tmp_path, iris_npz, damage):
    data = {"deflate": lambda: _compressed_with_garbage(iris_npz),
            "method": lambda: _central_field(iris_npz, 10, 1),     # "shrink": not supported
            "version": lambda: _central_field(iris_npz, 6, 173)}[damage]()
    with pytest.raises(ModelFileError, match="NPZ"):
        load_model(_npz(tmp_path, data))


@pytest.mark.parametrize("shape", [(10**10,), (2**62,), (100_000, 100_000), (1, 10**9)])
def test_an_array_claiming_more_than_a_model_holds_is_refused_unread(tmp_path, iris_npz, shape):
    data = _with_member(iris_npz, "W0", _npy_claiming(shape))
    with pytest.raises(ModelFileError, match="at most"):
        load_model(_npz(tmp_path, data))


# -- sessions ----------------------------------------------------------------------------------

def _session(tmp_path, document=None, text=None):
    path = tmp_path / "s.bpgui.json"
    path.write_text(text if text is not None else json.dumps(document, allow_nan=True))
    return load_session(path)


def test_initial_weights_of_another_shape_are_a_model_file_error(tmp_path):
    document = copy.deepcopy(session_document())
    document["network"]["initial_layers"][0]["weights"] = [[0.1, 0.2, 0.3, 0.4]]
    with pytest.raises(ModelFileError, match="initial weights"):
        _session(tmp_path, document)


def test_a_session_weight_too_large_for_a_float_is_a_model_file_error(tmp_path):
    text = json.dumps(session_document()).replace('"biases": [', '"biases": [' + "9" * 400 + ", ", 1)
    with pytest.raises(ModelFileError):
        _session(tmp_path, text=text)


def test_a_session_nested_too_deeply_is_a_model_file_error(tmp_path):
    with pytest.raises(ModelFileError, match="nested too deeply"):
        _session(tmp_path, text='{"format": ' + "[" * 100_000)


@pytest.mark.parametrize("center, scale", [([1.0], None), (None, [2.0])])
def test_target_scaling_needs_both_center_and_scale(tmp_path, center, scale):
    houses = next(d for d in model_documents() if d["outputs"]["targets"] == ["price"])
    half = _changed(houses, lambda d: d["outputs"].update(center=center, scale=scale))
    with pytest.raises(ModelFileError, match="center and scale"):
        _load(tmp_path, half)


@pytest.mark.parametrize("change", [
    lambda h: h["columns"].__setitem__("train_loss", [[0.9], [0.7]]),
    lambda h: h["columns"].__setitem__("train_loss", [0.9, 0.7, 0.5]),
    lambda h: h.__setitem__("grad_norms", [0.1, 0.2]),
    lambda h: h.__setitem__("grad_norms", [[0.1, 0.2]]),
    lambda h: h["columns"].__setitem__("train_loss", "0.9"),
], ids=["nested", "longer", "norms-1d", "norms-rows", "text"])
def test_a_history_the_window_could_not_show_is_a_model_file_error(tmp_path, change):
    document = copy.deepcopy(session_document())
    change(document["history"])
    with pytest.raises(ModelFileError, match="history"):
        _session(tmp_path, document)


def test_a_history_of_no_epoch_yet_loads(tmp_path):
    document = copy.deepcopy(session_document())
    document["history"] = {"metric_name": "", "columns": {"epoch": [], "train_loss": []}, "grad_norms": []}
    assert len(_session(tmp_path, document).history["columns"]["epoch"]) == 0


@pytest.mark.parametrize("header", [b"{'descr': '<f8', 'fortran_order': False, 'shape': (3,",
                                    b"{'descr': '<f8', 'fortran_order': False, 'shape': (3,)} if 1",
                                    b"{'descr': '<f8', 'fortran_order': False, 'shape': ((((((3,)"])
def test_an_npy_header_python_cannot_parse_is_a_model_file_error(tmp_path, iris_npz, header):
    padded = header + b" " * (-(len(header) + 11) % 64) + b"\n"
    member = b"\x93NUMPY\x01\x00" + len(padded).to_bytes(2, "little") + padded + bytes(24)
    with pytest.raises(ModelFileError, match="NPZ"):
        load_model(_npz(tmp_path, _with_member(iris_npz, "W0", member)))


@pytest.mark.parametrize("units", [10**400, float("inf"), 1e300])
def test_units_beyond_any_float_are_a_model_file_error(tmp_path, iris, units):
    text = json.dumps(_changed(iris, lambda d: d["layers"][0].__setitem__("units", units)))
    with pytest.raises(ModelFileError, match="units"):
        _load(tmp_path, text=text)
