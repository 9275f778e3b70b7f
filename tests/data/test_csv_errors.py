"""Bad files give one DataError naming file, line and column; never another exception."""

import os

import pytest

from bpgui.data import CsvOptions, DataError, read_csv
from bpgui.data.errors import DataError as DataErrorClass


def test_message_format():
    error = DataErrorClass("bad value", path="f.csv", line=3, column="x")
    assert str(error) == 'f.csv: line 3, column "x": bad value'
    assert (error.path, error.line, error.column) == ("f.csv", 3, "x")
    assert str(DataErrorClass("oops", path="f.csv")) == "f.csv: oops"
    assert str(DataErrorClass("oops", line=2)) == "line 2: oops"
    assert isinstance(error, ValueError)


def test_missing_path(tmp_path):
    path = str(tmp_path / "nope.csv")
    with pytest.raises(DataError) as info:
        read_csv(path)
    assert str(info.value) == f"{path}: no such file"


def test_directory(tmp_path):
    with pytest.raises(DataError, match="folder"):
        read_csv(str(tmp_path))


@pytest.mark.parametrize("content", ["", "\n\n", "   \n \n"])
def test_empty_file(write_csv, content):
    with pytest.raises(DataError, match="empty"):
        read_csv(write_csv(content))


def test_header_only(write_csv):
    with pytest.raises(DataError, match="no data rows"):
        read_csv(write_csv("a,b,c\n"))


def test_binary_garbage(write_csv):
    with pytest.raises(DataError, match="binary"):
        read_csv(write_csv(bytes(range(256)) * 20))
    with pytest.raises(DataError, match="binary"):
        read_csv(write_csv(os.urandom(2000), name="r.bin"))


@pytest.mark.parametrize("content, line", [
    ("a,b\n1,2\n3,4,5\n", 3),
    ("a,b\n1,2\n\n\n3\n", 5),
    ('a,b\n1,"x\ny"\n2,3,4\n', 4),
])
def test_ragged_row_names_its_line(write_csv, content, line):
    path = write_csv(content)
    with pytest.raises(DataError) as info:
        read_csv(path)
    assert info.value.line == line
    assert str(info.value).startswith(f"{path}: line {line}: this row has")


def test_unclosed_quote(write_csv):
    with pytest.raises(DataError, match="line 3: a quoted field"):
        read_csv(write_csv('a,b\n1,2\n3,"oops\n4,5\n'))


@pytest.mark.parametrize("cell", ["inf", "-Infinity", "1e36", "-2E+300", "1e999"])
def test_infinite_or_huge_values_name_line_and_column(write_csv, cell):
    path = write_csv(f"a,b\n1,2\n3,{cell}\n")
    with pytest.raises(DataError) as info:
        read_csv(path)
    assert str(info.value).startswith(f'{path}: line 3, column "b": ')


def test_huge_value_line_counts_blank_lines_and_multiline_fields(write_csv):
    with pytest.raises(DataError, match=r'line 6, column "v"'):
        read_csv(write_csv('n,v\n"a\nb",1\n\nc,2\nd,1e40\n'))


def test_undecodable_text_with_explicit_encoding(write_csv):
    path = write_csv("a,b\n1,2\nç,3\n", encoding="latin-1")
    with pytest.raises(DataError, match="line 3: cannot decode"):
        read_csv(path, CsvOptions(encoding="utf-8"))


def test_unknown_encoding(write_csv):
    with pytest.raises(DataError, match='unknown encoding "nope"'):
        read_csv(write_csv("a\n1\n"), CsvOptions(encoding="nope"))


@pytest.mark.parametrize("delimiter", ["ab", '"', ""])
def test_bad_delimiter_option(write_csv, delimiter):
    with pytest.raises(DataError, match="delimiter"):
        read_csv(write_csv("a\n1\n"), CsvOptions(delimiter=delimiter))


def test_bad_header_option(write_csv):
    with pytest.raises(DataError, match="header"):
        read_csv(write_csv("a\n1\n"), CsvOptions(header="maybe"))
