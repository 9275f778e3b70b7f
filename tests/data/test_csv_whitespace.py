"""Files whose fields are separated by runs of spaces or tabs (``--delimiter space``, or
detected): double quotes are honoured as in a comma file, in the header and in the rows."""

import pytest

from bpgui.data import CsvOptions, DataError, preview_csv, read_csv

IRIS_QUOTED = '"sepal length" "sepal width" label\n5.1 3.5 a\n4.9 3.0 b\n'

DETECT_AND_GIVEN = pytest.mark.parametrize("options", [CsvOptions(), CsvOptions(delimiter="space")],
                                           ids=["detected", "given"])


@DETECT_AND_GIVEN
def test_a_quoted_header_names_the_columns(write_csv, options):
    table = read_csv(write_csv(IRIS_QUOTED), options)
    assert table.columns == ("sepal length", "sepal width", "label")
    assert table.data["sepal width"].tolist() == [3.5, 3.0] and table.data["label"].tolist() == ["a", "b"]
    assert table.delimiter == " " and table.has_header and table.lines.tolist() == [2, 3]


@DETECT_AND_GIVEN
def test_tabs_and_runs_of_spaces_separate_fields_and_edges_are_ignored(write_csv, options):
    table = read_csv(write_csv('"a b"\t  c   "d"\n  1 \t 2\t\t3  \n4   5 6\r\n'), options)
    assert table.columns == ("a b", "c", "d")
    assert table.data["d"].tolist() == [3.0, 6.0] and table.lines.tolist() == [2, 3]


@DETECT_AND_GIVEN
def test_quoted_cells_may_hold_spaces_quotes_and_newlines(write_csv, options):
    text = 'x name y\n1 "New York" p\n2 "say ""hi""" q\n3 "two\nlines" r\n4 plain s\n'
    table = read_csv(write_csv(text), options)
    assert table.data["name"].tolist() == ["New York", 'say "hi"', "two\nlines", "plain"]
    assert table.lines.tolist() == [2, 3, 4, 6]


def test_a_row_with_too_many_fields_is_named_by_its_line(write_csv):
    path = write_csv('"sepal length" "sepal width" label\n5.1 3.5 a\n4.9 3.0 b extra\n')
    with pytest.raises(DataError) as caught:
        read_csv(path, CsvOptions(delimiter="space"))
    assert str(caught.value) == f"{path}: line 3: this row has 4 fields but the header has 3"


def test_a_quote_never_closed_is_named_by_its_line(write_csv):
    path = write_csv('a b\n1 2\n3 "open\n4 5\n')
    with pytest.raises(DataError) as caught:
        read_csv(path, CsvOptions(delimiter="space"))
    assert caught.value.line == 3 and "never closed" in caught.value.message


def test_the_preview_shows_unquoted_names_and_cells(write_csv):
    preview = preview_csv(write_csv('"sepal length" "sepal width" label\n5.1 "3.5" "a b"\n'))
    assert preview.columns == ("sepal length", "sepal width", "label")
    assert preview.rows == [["5.1", "3.5", "a b"]]


def test_only_space_and_tab_separate_as_in_pandas(write_csv):
    table = read_csv(write_csv("a b\n1\x0c2 3\n"), CsvOptions(delimiter="space"))
    assert table.data["a"].tolist() == ["1\x0c2"]
