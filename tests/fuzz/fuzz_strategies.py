"""Hypothesis strategies for the fuzzers: inputs generated from scratch and real files mutated.

- bytes mutations (flip, overwrite, insert a troublesome token, delete, duplicate, truncate,
  splice another seed, repeat a chunk) of any seed;
- CSV text generated from troublesome cells in many dialects and encodings, with options;
- JSON documents (models, sessions) mutated field by field: a value replaced by another of
  any type, a key deleted, a list cut or grown, then written with NaN and Infinity allowed;
- NPZ archives rebuilt from a model's arrays with other dtypes, shapes, names and members,
  headers claiming enormous shapes, compressed or not, and their bytes mutated.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile

import numpy as np
from hypothesis import strategies as st

TOKENS = [b'"', b'""', b",", b";", b"\t", b" ", b"|", b"\n", b"\r\n", b"\r", b"\x00", b"\xff",
          b"\xef\xbb\xbf", b"\xff\xfe", b"\xc3", b"\xe2\x80\xa8", b"NA", b"nan", b"-inf", b"1e309",
          b"-0", b"1,5", b"0x1F", b"?", b"true", b"\\", b"'", b"=1+1", b"9" * 400, b"x" * 70000,
          b'"' + b"a" * 300, b"\n" * 50, b"[" * 100000, b'{"a":' * 30000, b"1" * 5000,
          b"1e999", b"-Infinity", b"NaN", b'"\\ud800"', b"null", b"{}", b"[]", b"[[[]]]",
          b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"\x93NUMPY"]
"""Bytes worth inserting anywhere: delimiters, quotes, line ends, BOMs, bad UTF-8, missing
words, overflowing numbers, a field beyond the csv module's limit, JSON nested 100,000 deep,
an integer of 5,000 digits, NaN and lone surrogates for JSON, zip and .npy signatures."""

class Seeds(tuple):
    """Seed inputs with a short repr (hypothesis prints a strategy's arguments)."""

    def __repr__(self):
        return f"<{len(self)} seeds>"


def _at(rnd, data, end=False):
    return rnd.randrange(len(data) + 1) if end else (rnd.randrange(len(data)) if data else 0)


def _flip(rnd, data):
    if data:
        data[_at(rnd, data)] ^= 1 << rnd.randrange(8)
    return data


def _overwrite(rnd, data):
    if data:
        data[_at(rnd, data)] = rnd.choice(b'\x00\xff",;\t \n\r\x80\xc3\xef.-+eE0129')
    return data


def _insert(rnd, data):
    i = _at(rnd, data, end=True)
    return data[:i] + rnd.choice(TOKENS) + data[i:]


def _delete(rnd, data):
    i = _at(rnd, data)
    return data[:i] + data[i + rnd.randint(1, 64):]


def _duplicate(rnd, data):
    i, j = _at(rnd, data), _at(rnd, data, end=True)
    return data[:j] + data[i:i + rnd.randint(1, 256)] + data[j:]


def _truncate(rnd, data):
    return data[:_at(rnd, data, end=True)]


def _repeat(rnd, data):
    i = _at(rnd, data)
    return data[:i] + data[i:i + rnd.randint(1, 40)] * rnd.randint(2, 3000) + data[i:]


BYTE_MUTATIONS = (_flip, _overwrite, _insert, _delete, _duplicate, _truncate, _repeat)


def mutate_bytes(rnd, data, most=6, seeds=()):
    """``data`` after 1 … ``most`` random mutations (a splice with one of ``seeds`` among them)."""
    data = bytearray(data)
    for _ in range(rnd.randint(1, most)):
        if seeds and rnd.randrange(10) == 0:
            other = rnd.choice(seeds)
            data = data[:_at(rnd, data, end=True)] + other[_at(rnd, other, end=True):]
        else:
            data = bytearray(rnd.choice(BYTE_MUTATIONS)(rnd, data))
    return bytes(data)


RANDOM = st.randoms(use_true_random=True)
"""The many small choices of a mutation come from one seeded generator: hypothesis picks the
seed and the structure, and an input costs a few draws instead of hundreds."""


@st.composite
def mutated(draw, seeds, most=6):
    """A seed with a few byte mutations."""
    rnd = draw(RANDOM)
    return mutate_bytes(rnd, rnd.choice(seeds), most, seeds)


# -- CSV generated from scratch ---------------------------------------------------------------

CELLS = ["", " ", "1", "-2.5", "3e2", "1e40", "1e400", "inf", "-Infinity", "nan", "NA", "n/a", "?",
         "null", "a", "b", "red", "Zürich", "a b", '"q"', '"a,b"', '"x\ny"', '"', "a;b", "1,5",
         "1.234,5", "\t", "True", "false", "0", "7", "  4  ", "é", "\u00a0", "١٢", "0x1F", "--1",
         "1e", "..", '""', '"unterminated', "\r", "x" * 200, "-", "+", "1_000", "٣.٥", "½"]


@st.composite
def generated_csv(draw):
    """CSV-like bytes: a header or not, rows of troublesome cells, any delimiter, quoting,
    line end and encoding, some rows longer or shorter than the others."""
    rnd = draw(RANDOM)
    delimiter = rnd.choice([",", ";", "\t", "|", " ", "  ", ":"])
    n_columns = rnd.randint(1, 6)
    extra = draw(st.lists(st.text(max_size=6), max_size=3))  # hypothesis's own odd text

    def cell():
        kind = rnd.randrange(4)
        if kind == 0 and extra:
            return rnd.choice(extra)
        if kind == 1:
            return repr(rnd.choice([rnd.uniform(-1e3, 1e3), rnd.gauss(0, 1e30), float("nan"), 0.1]))
        return rnd.choice(CELLS)

    lines = []
    if rnd.random() < 0.5:
        lines.append([rnd.choice(["a", "b", "x y", "label", "", "1", "a"]) for _ in range(n_columns)])
    for _ in range(rnd.randint(0, 8)):
        width = n_columns + rnd.choice([0, 0, 0, 0, 1, -1])
        lines.append([cell() for _ in range(max(width, 0))])
    if rnd.random() < 0.3:
        lines = [['"' + c.replace('"', '""') + '"' for c in line] for line in lines]
    end = rnd.choice(["\n", "\r\n", "\r"])
    text = end.join(delimiter.join(line) for line in lines) + rnd.choice(["", end, end * 3])
    encoding = rnd.choice(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])
    return text.encode(encoding, errors="replace")


def csv_options():
    """The CsvOptions a user could give: detection, a word, a character, an encoding, …"""
    from bpgui.data import CsvOptions

    return st.builds(
        CsvOptions,
        delimiter=st.sampled_from([None, None, None, "comma", "semicolon", "tab", "pipe", "space",
                                   ":", "\\t", "auto", "x", '"', "ab", ""]),
        encoding=st.sampled_from([None, None, None, "utf-8", "latin-1", "utf-16", "cp1252", "ascii",
                                  "utf-8-sig", "utf-32", "no-such-codec", "rot13", "hex", "idna"]),
        header=st.sampled_from(["auto", "auto", "yes", "no", "maybe"]),
        na_values=st.sampled_from([None, None, (), ("x",), ("",), ("1", "a"), (" ",)]),
    )


# -- JSON documents mutated field by field -----------------------------------------------------

SCALARS = [None, True, False, 0, 1, -1, 3, 10**9, -(10**9), 2**63, 10**400, 0.5, -0.0, 1e308,
           float("nan"), float("inf"), float("-inf"), "", "softmax", "sigmoid", "relu", "linear",
           "float64", "float16", "standard", "numeric", "categorical", "classification",
           "regression", "mse", "bce", "cross_entropy", "adam", "sgd", "PCG64", "MT19937",
           "bpgui-model", "bpgui-session", "example:xor", "x" * 1000, "é", "\ud800"]
KEYS = ["units", "activation", "weights", "biases", "name", "kind", "t", "m", "columns", "state",
        "center", "scale", "classes", "targets"]


def random_json(rnd, depth=0):
    """A JSON value from SCALARS, or a short list or object of them (three levels at most)."""
    kind = rnd.randrange(10) if depth < 3 else 0
    if kind < 6:
        return rnd.choice(SCALARS)
    if kind < 9:
        return [random_json(rnd, depth + 1) for _ in range(rnd.randrange(4))]
    return {rnd.choice(KEYS): random_json(rnd, depth + 1) for _ in range(rnd.randrange(3))}


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([10**9, -(10**9), 2**63, 10**400]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "softmax", "sigmoid", "relu", "linear", "float64", "float16", "standard",
                     "numeric", "categorical", "classification", "regression", "mse", "bce",
                     "cross_entropy", "adam", "sgd", "PCG64", "MT19937", "bpgui-model",
                     "bpgui-session", "example:xor", "x" * 1000]),
    st.text(max_size=8))
json_values = st.recursive(json_scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.sampled_from(
        ["units", "activation", "weights", "biases", "name", "kind", "t", "m", "columns", "state"]),
        children, max_size=3)), max_leaves=8)


def _random_path(rnd, value):
    """A path (keys and indexes) into a JSON value by a random walk from the root: each step
    goes one level down with probability 0.8, so every depth is reached and the walk costs
    its depth, not the document's size."""
    path = ()
    while isinstance(value, (dict, list)) and value and rnd.random() < 0.8:
        key = rnd.choice(list(value)) if isinstance(value, dict) else rnd.randrange(len(value))
        path += (key,)
        value = value[key]
    return path


DELETE = object()


def _changed_at(value, path, change):
    """A copy of ``value`` with ``change`` applied at ``path`` (DELETE removes it); only the
    containers along the path are copied, everything else is shared."""
    if not path:
        return change(value)
    head, rest = path[0], path[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    if change is DELETE and not rest:
        del copy[head]
    else:
        copy[head] = _changed_at(value[head], rest, change)
    return copy


def _grown(value):
    if isinstance(value, list) and value:
        return value + value[-1:] * 3
    return [value, value]


def _cut(value):
    return value[:len(value) // 2] if isinstance(value, (list, str)) else value


@st.composite
def mutated_document(draw, documents, most=4):
    """One of ``documents`` with a few fields replaced (by a value hypothesis makes up),
    deleted, grown, cut or wrapped in a list."""
    rnd = draw(RANDOM)
    document = rnd.choice(documents)
    for _ in range(rnd.randint(1, most)):
        path = _random_path(rnd, document)
        action = rnd.choice(["replace", "replace", "delete", "grow", "cut", "wrap"])
        if action == "replace":  # hypothesis's own values one time in four: slower, more varied
            new = draw(json_values) if rnd.randrange(4) == 0 else random_json(rnd)
            change = lambda _, new=new: new  # noqa: E731
        else:
            change = {"delete": DELETE, "grow": _grown, "cut": _cut, "wrap": lambda v: [v]}[action]
        if change is DELETE and not path:
            continue
        document = _changed_at(document, path, change)
    return document


@st.composite
def json_text(draw, documents):
    """A mutated document as JSON text (NaN and Infinity allowed), sometimes byte-mutated too."""
    document = draw(mutated_document(documents))
    rnd = draw(RANDOM)
    text = json.dumps(document, indent=1 if rnd.randrange(8) == 0 else None, allow_nan=True).encode()
    if rnd.randrange(4) == 0:
        text = mutate_bytes(rnd, text, most=3)
    return text


# -- NPZ archives ------------------------------------------------------------------------------

DTYPES = ["float32", "float64", "float16", "int8", "int64", "bool", "complex64", "U3", "S2",
          ">f8", "V4"]


def _array_variant(rnd, array):
    choice = rnd.randrange(10)
    if choice == 0 and array.size:
        try:
            with np.errstate(invalid="ignore", over="ignore"):  # NaN or 1e300 as an integer: garbage wanted
                return array.astype(rnd.choice(DTYPES))
        except (TypeError, ValueError, OverflowError):  # text that is no number, 10**9 as int8
            return array
    if choice == 1:
        return array.T.copy() if array.ndim == 2 else array.reshape(1, -1)
    if choice == 2:
        return array.reshape(-1)
    if choice == 3:
        return np.zeros((0,) + array.shape[1:], array.dtype)
    if choice == 4:
        return np.float64(rnd.choice([0.5, np.nan, -np.inf, 1e300]))
    if choice == 5:
        return np.asfortranarray(np.atleast_2d(array))
    if choice == 6:
        return np.full(array.shape, rnd.choice([np.nan, np.inf, 1e308, -0.0]))
    return array


def _npy_claiming(shape, dtype="<f8", fortran=False):
    """An .npy file whose header claims ``shape`` but which holds 16 bytes of data."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": dtype, "fortran_order": fortran, "shape": shape})
    return buffer.getvalue() + b"\0" * 16


HUGE_SHAPES = [(10**9,), (1, 10**9), (10**5, 10**5), (2**62,), (3, 2**61), (10**9, 0), (-1, 3)]


@st.composite
def npz_bytes(draw, model_documents):
    """A model NPZ rebuilt with its arrays and ``meta`` changed, or claiming enormous arrays,
    sometimes with its bytes mutated afterwards."""
    rnd = draw(RANDOM)
    document = copy.deepcopy(rnd.choice(model_documents))
    members = {}
    for i, layer in enumerate(document.get("layers", [])):
        members[f"W{i}"] = np.asarray(layer.pop("weights"), dtype=np.float32)
        members[f"b{i}"] = np.asarray(layer.pop("biases"), dtype=np.float32)
    if rnd.randrange(3) == 0:
        document = draw(mutated_document(Seeds([document])))
    members["meta"] = np.array(json.dumps(document, allow_nan=True))
    for _ in range(rnd.randint(0, 3)):
        name = rnd.choice(sorted(members) + ["W9", "extra", "meta"])
        action = rnd.randrange(5)
        if action == 0 and name in members:
            del members[name]
        elif action == 1:
            members[name] = np.array(rnd.choice([["a"], [1, 2], 3, "x", ""]))
        elif name in members:
            members[name] = _array_variant(rnd, np.asarray(members[name]))
    buffer = io.BytesIO()
    (np.savez_compressed if rnd.random() < 0.5 else np.savez)(buffer, **members)
    data = buffer.getvalue()
    if rnd.randrange(5) == 0:  # a member whose header claims an enormous array
        claim = _npy_claiming(rnd.choice(HUGE_SHAPES), rnd.choice(["<f8", "<f4", "<U100000", "|u1"]),
                              rnd.random() < 0.5)
        data = _with_member(data, rnd.choice(["W0", "b0", "meta", "W1"]), claim)
    if rnd.randrange(4) == 0:
        data = mutate_bytes(rnd, data, most=3)
    return data


def _with_member(archive, name, content):
    """``archive`` (zip bytes) with member ``name.npy`` replaced by ``content``."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != f"{name}.npy":
                target.writestr(info.filename, source.read(info.filename))
        target.writestr(f"{name}.npy", content)
    return out.getvalue()
