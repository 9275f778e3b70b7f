"""Property tests: whatever bytes arrive, read_csv and prepare give a valid result or a DataError.

Thousands of generated files in total: random bytes, CSV-like text built from troublesome
cells (quotes, delimiters, newlines, missing words, huge numbers, accents), and well-formed
tables written in many dialects that must read back exactly, line numbers included.
"""

import atexit
import math
import os
import shutil
import tempfile

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bpgui.data import CsvOptions, DataError, DatasetSpec, prepare, read_csv

PROPERTY = settings(max_examples=500, deadline=None,  # 5 properties: 2,500 generated files
                    suppress_health_check=[HealthCheck.too_slow])
FOLDER = tempfile.mkdtemp(prefix="bpgui-props-")
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)
pytestmark = pytest.mark.slow

TRICKY_CELLS = ["", " ", "1", "-2.5", "3e2", "1e40", "inf", "-Infinity", "nan", "NA", "n/a", "?",
                "null", "a", "b", "red", "Zürich", '"q"', '"a,b"', '"x\ny"', '"', "a;b", "1,5",
                "\t", "True", "0", "7", "  4  ", "é", "\u00a0", "١", "0x1F", "--1", "1e", "..",
                '""', '"unterminated', "\r"]


def write(data: bytes) -> str:
    path = os.path.join(FOLDER, "case.csv")
    with open(path, "wb") as handle:
        handle.write(data)
    return path


def check_table(table):
    """The invariants every Table keeps."""
    n = table.n_rows
    assert n >= 1 and len(table.columns) == len(set(table.columns)) >= 1
    assert table.lines.dtype == np.int64 and table.lines.shape == (n,)
    assert (table.lines >= 1).all() and (np.diff(table.lines) > 0).all()
    for name in table.columns:
        values = table.data[name]
        assert values.shape == (n,)
        if values.dtype.kind == "f":
            observed = values[~np.isnan(values)]
            assert np.isfinite(observed).all() and (np.abs(observed) <= 1e35).all()
        else:
            assert values.dtype == object
            assert all(v is None or (isinstance(v, str) and v == v.strip()) for v in values)


def check_prepared(data, table):
    rows = np.concatenate([data.rows_train, data.rows_val, data.rows_test])
    assert len(rows) == len(set(rows.tolist())) == table.n_rows - data.n_dropped
    for X, Y, part in ((data.X_train, data.Y_train, data.rows_train),
                       (data.X_val, data.Y_val, data.rows_val),
                       (data.X_test, data.Y_test, data.rows_test)):
        assert X.shape == (len(part), data.n_inputs) and np.isfinite(X).all()
        assert Y.shape == (len(part), data.n_outputs_hint) and np.isfinite(Y).all()
    assert len(data.rows_train) >= 1 and data.n_imputed >= 0


def read_or_error(path, options=CsvOptions()):
    try:
        table = read_csv(path, options)
    except DataError as error:
        assert str(error) and "unexpected" not in str(error), str(error)
        return None
    check_table(table)
    return table


def prepare_or_error(table, spec=DatasetSpec()):
    try:
        data = prepare(table, spec)
    except DataError as error:
        assert str(error) and "unexpected" not in str(error), str(error)
        return None
    check_prepared(data, table)
    return data


@PROPERTY
@given(st.binary(max_size=400))
def test_random_bytes(data):
    table = read_or_error(write(data))
    if table is not None:
        prepare_or_error(table)


@st.composite
def csv_like(draw):
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    n_columns = draw(st.integers(1, 4))
    cells = st.one_of(st.sampled_from(TRICKY_CELLS), st.text(max_size=6),
                      st.floats(allow_nan=True, allow_infinity=True).map(repr))
    rows = draw(st.lists(st.lists(cells, min_size=max(1, n_columns - 1),
                                  max_size=n_columns + 1), min_size=0, max_size=8))
    header = draw(st.booleans())
    lines = ([delimiter.join(f"c{i}" for i in range(n_columns))] if header else [])
    lines += [delimiter.join(row) for row in rows]
    text = newline.join(lines) + draw(st.sampled_from(["", newline, newline * 3]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


@PROPERTY
@given(csv_like(), st.sampled_from(["auto", "yes", "no"]))
@example(data=b"\xc2\xa0", header="yes")  # only a no-break space: once an IndexError
def test_csv_like_text(data, header):
    table = read_or_error(write(data), CsvOptions(header=header))
    if table is not None:
        prepare_or_error(table)


@st.composite
def specs(draw, columns):
    targets = draw(st.lists(st.sampled_from(columns), min_size=1, max_size=2, unique=True))
    return DatasetSpec(
        targets=tuple(targets),
        task=draw(st.sampled_from(["auto", "classification", "regression"])),
        missing=draw(st.sampled_from(["impute", "drop"])),
        scaling=draw(st.sampled_from(["standard", "minmax", "none"])),
        val_split=draw(st.sampled_from([0.0, 0.2, 0.5])),
        test_split=draw(st.sampled_from([0.0, 0.1, 0.3])),
        seed=draw(st.integers(0, 5)),
        kinds=tuple((c, draw(st.sampled_from(["numeric", "categorical"])))
                    for c in draw(st.lists(st.sampled_from(columns), max_size=2, unique=True))),
    )


@st.composite
def tables_with_specs(draw):
    n_rows = draw(st.integers(1, 25))
    n_columns = draw(st.integers(2, 4))
    number = st.one_of(st.integers(-3, 3).map(str), st.floats(-1e6, 1e6).map(repr),
                       st.sampled_from(["", "NA", "?"]))
    word = st.sampled_from(["red", "green", "blue", "", "NA"])
    kinds = draw(st.lists(st.sampled_from([number, word]), min_size=n_columns,
                          max_size=n_columns))
    rows = [",".join(draw(kind) for kind in kinds) for _ in range(n_rows)]
    names = [f"c{i}" for i in range(n_columns)]
    text = ",".join(names) + "\n" + "\n".join(rows) + "\n"
    return text.encode(), draw(specs(names))


@PROPERTY
@given(tables_with_specs())
def test_prepare_with_any_spec(case):
    data, spec = case
    table = read_or_error(write(data))
    if table is not None:
        prepare_or_error(table, spec)


def quote(cell):
    return '"' + cell.replace('"', '""') + '"'


@st.composite
def dialects(draw):
    """A numeric + categorical table and its text in a random (valid) dialect."""
    n_rows = draw(st.integers(1, 12))
    numbers = draw(st.lists(st.floats(-1e9, 1e9, allow_nan=False).map(lambda x: round(x, 6)),
                            min_size=n_rows, max_size=n_rows))
    labels = draw(st.lists(st.sampled_from(["a b", "c,d", "e\nf", 'g"h', "plain", "x;y"]),
                           min_size=n_rows, max_size=n_rows))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines, expected_lines, line = ["num" + delimiter + "label"], [], 2
    for x, label in zip(numbers, labels):
        for _ in range(draw(st.integers(0, 2))):
            lines.append(draw(st.sampled_from(["", "   "])))
            line += 1
        padding = draw(st.sampled_from(["", " "]))
        lines.append(padding + repr(x) + padding + delimiter + quote(label))
        expected_lines.append(line)
        line += 1 + label.count("\n")
    text = newline.join(lines) + draw(st.sampled_from(["", newline, newline + newline]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + text).encode(), numbers, labels, expected_lines, delimiter


@PROPERTY
@given(dialects())
def test_valid_dialects_read_back_exactly(case):
    data, numbers, labels, expected_lines, delimiter = case
    table = read_csv(write(data))
    assert table.columns == ("num", "label") and table.delimiter == delimiter
    assert table.data["num"].tolist() == [float(x) for x in numbers]
    assert table.data["label"].tolist() == [label.strip() for label in labels]
    assert table.lines.tolist() == expected_lines


@PROPERTY
@given(st.lists(st.lists(st.floats(-1e30, 1e30, allow_nan=False), min_size=3, max_size=3),
                min_size=2, max_size=30),
       st.sampled_from(["standard", "minmax", "none"]))
def test_scaling_is_finite_and_invertible(rows, scaling):
    text = "a,b,y\n" + "".join(",".join(repr(v) for v in row) + "\n" for row in rows)
    table = read_csv(write(text.encode()))
    data = prepare_or_error(table, DatasetSpec(scaling=scaling, task="regression", val_split=0))
    if data is not None:
        back = data.preprocessor.decode(data.Y_train)[:, 0]
        expected = np.array([row[2] for row in rows])
        assert np.allclose(back, expected, rtol=1e-6, atol=1e-6 * max(1.0, np.abs(expected).max()))
        assert not math.isnan(float(data.X_train.sum()))


@pytest.mark.parametrize("scaling", ["minmax", "standard"])
def test_a_spread_too_small_to_scale_is_taken_as_none(scaling):
    """Found by test_prepare_with_any_spec: training values 0 and 2.2e-309 made a min-max
    scale of 2.2e-309, and an unseen 1 overflowed to infinity (a RuntimeWarning, then inf)."""
    import warnings

    from bpgui.data.fitting import scale_parameters

    assert scale_parameters(np.array([0.0, 2.2e-309]), scaling)[1] == 1.0
    assert scale_parameters(np.array([0.0, 1e-200]), scaling)[1] > 0  # small but usable: kept
    text = "x,y\n0,a\n0,b\n2.2e-309,a\n0,b\n1,a\n-1e35,b\n1e35,a\n"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = prepare(read_csv(write(text.encode())),
                       DatasetSpec(targets=("y",), scaling=scaling, val_split=0.0, test_split=0.0))
    assert np.all(np.isfinite(data.X_train))
