"""Messy but valid CSV files load; detection of delimiter, header, encoding and kinds."""

import numpy as np
import pytest

from bpgui.data import CsvOptions, DataError, identifier_like, preview_csv, read_csv
from bpgui.data.csv_reader import resolve_delimiter


def values(table, column):
    return table.data[column].tolist()


def test_clean_numeric_file(write_csv):
    table = read_csv(write_csv("a,b,y\n1,2,3\n4.5,-5e-1,6\n"))
    assert table.columns == ("a", "b", "y")
    assert values(table, "b") == [2.0, -0.5]
    assert table.data["a"].dtype == np.float64
    assert table.lines.tolist() == [2, 3]
    assert (table.delimiter, table.encoding, table.has_header) == (",", "utf-8", True)
    assert table.kind("a") == "numeric" and table.n_rows == 2


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_detects_delimiter(write_csv, delimiter):
    text = f"a{delimiter}b{delimiter}c\n1{delimiter}2{delimiter}x\n3{delimiter}4{delimiter}y\n"
    table = read_csv(write_csv(text))
    assert table.delimiter == delimiter
    assert values(table, "c") == ["x", "y"]


def test_semicolon_file_with_decimal_commas(write_csv):
    table = read_csv(write_csv("a;b\n1,5;2\n3;4,25\n"))
    assert values(table, "a") == [1.5, 3.0] and values(table, "b") == [2.0, 4.25]


def test_thousands_separators_are_read_as_numbers(write_csv):
    table = read_csv(write_csv('price,rooms\n"1,234.5",2\n"12,000",3\n7,4\n"-1,000,000",5\n'))
    assert values(table, "price") == [1234.5, 12000.0, 7.0, -1000000.0]
    table = read_csv(write_csv("price;area\n1.234,5;1 200\n12,5;80\n3;1\u00a0000\n"))
    assert values(table, "price") == [1234.5, 12.5, 3.0] and values(table, "area") == [1200.0, 80.0, 1000.0]


def test_comma_lists_that_are_not_thousands_stay_text(write_csv):
    # "1,5" in a comma-separated file has no 3-digit group: not a number written with a
    # thousands separator, so the column is text (a European decimal needs --delimiter)
    table = read_csv(write_csv('a,b\n"1,5",1\n"12,34",2\n'))
    assert table.kind("a") == "categorical" and values(table, "a") == ["1,5", "12,34"]


def test_identifier_like_columns_are_text_with_almost_one_value_per_row(write_csv):
    rows = "".join(f'{i},"Doe, J. {i}",{"abc"[i % 3]},T{i // 2},{i % 2}\n' for i in range(60))
    table = read_csv(write_csv("id,name,colour,ticket,y\n" + rows))
    # id: numbers; colour: 3 values; ticket: 30 values in 60 rows (half); name: 60 in 60
    assert identifier_like(table) == {"name": (60, 60), "ticket": (30, 60)}
    assert preview_csv(table.source).identifiers == {"name": (60, 60), "ticket": (30, 60)}
    few = read_csv(write_csv("name,y\n" + "".join(f"n{i},{i % 2}\n" for i in range(20))))
    assert identifier_like(few) == {}  # 20 different values: too few to tell


def test_true_and_false_keep_their_spelling(write_csv):
    # pandas would read them as booleans: the label "true" must not become "True", nor
    # "TRUE" and "true" one category
    table = read_csv(write_csv("flag,x,y\ntrue,1,yes\nFALSE,2,no\nTrue,3,yes\n,4,no\n"))
    assert values(table, "flag") == ["true", "FALSE", "True", None]
    assert table.kind("flag") == "categorical" and values(table, "x") == [1.0, 2.0, 3.0, 4.0]


def test_a_header_of_column_numbers_only_is_a_header_over_fractions(write_csv):
    # pandas.DataFrame(X).to_csv(index=False) names the columns 0, 1, 2, …
    table = read_csv(write_csv("0,1,2,3\n0.5,1.25,2,3\n0.75,1.5,2,1\n"))
    assert table.has_header and table.columns == ("0", "1", "2", "3") and table.n_rows == 2
    whole = read_csv(write_csv("0,1,2\n3,4,5\n6,7,8\n"))  # counts, not names: data
    assert not whole.has_header and whole.n_rows == 3


def test_quotes_with_embedded_delimiters_and_newlines_keep_physical_lines(write_csv):
    text = 'id,note,y\n1,"a, b",0\n2,"two\nlines",1\n\n3,"say ""hi""",0\n'
    table = read_csv(write_csv(text))
    assert values(table, "note") == ["a, b", "two\nlines", 'say "hi"']
    assert table.lines.tolist() == [2, 3, 6]


def test_utf8_bom_and_crlf(write_csv):
    table = read_csv(write_csv("\ufeffname,v\r\nx,1\r\n\r\ny,2\r\n"))
    assert table.columns == ("name", "v")
    assert values(table, "name") == ["x", "y"]
    assert table.lines.tolist() == [2, 4]
    assert table.encoding == "utf-8-sig"


def test_latin1_accents_fall_back(write_csv):
    table = read_csv(write_csv("ville,t\nZürich,1\nSão Paulo,2\n", encoding="latin-1"))
    assert table.encoding == "latin-1"
    assert values(table, "ville") == ["Zürich", "São Paulo"]


def test_utf8_accents(write_csv):
    table = read_csv(write_csv("ville,t\nZürich,1\n"))
    assert table.encoding == "utf-8" and values(table, "ville") == ["Zürich"]


def test_explicit_encoding_is_honoured(write_csv):
    path = write_csv("a,b\nщ,1\n", encoding="cp1251")
    table = read_csv(path, CsvOptions(encoding="cp1251"))
    assert values(table, "a") == ["щ"] and table.encoding == "cp1251"


def test_no_header_gets_numbered_names(write_csv):
    table = read_csv(write_csv("1,2,3\n4,5,6\n"))
    assert not table.has_header
    assert table.columns == ("column_1", "column_2", "column_3")
    assert table.lines.tolist() == [1, 2]


def test_header_option_overrides_detection(write_csv):
    path = write_csv("1,2\n3,4\n")
    table = read_csv(path, CsvOptions(header="yes"))
    assert table.columns == ("1", "2") and table.n_rows == 1
    table = read_csv(write_csv("a,b\nc,d\n", name="t.csv"), CsvOptions(header="no"))
    assert values(table, "column_1") == ["a", "c"]


def test_trailing_blank_lines_are_ignored(write_csv):
    table = read_csv(write_csv("a,b\n1,2\n3,4\n\n\n   \n"))
    assert table.n_rows == 2


def test_no_final_newline(write_csv):
    assert read_csv(write_csv("a,b\n1,2\n3,4")).n_rows == 2


def test_missing_words_are_case_insensitive_and_empty_cells_missing(write_csv):
    table = read_csv(write_csv("a,b,c\n1,x,?\nna,,N/a\nNULL,nan,3\n4,y,5\n"))
    assert np.isnan(table.data["a"]).tolist() == [False, True, True, False]
    assert values(table, "b") == ["x", None, None, "y"]
    assert table.kind("c") == "numeric" and np.isnan(table.data["c"]).sum() == 2


def test_given_missing_words_replace_the_default_list(write_csv):
    table = read_csv(write_csv("a,b\n-999,NA\n2,x\n"), CsvOptions(na_values=("-999",)))
    assert np.isnan(table.data["a"][0]) and values(table, "b") == ["NA", "x"]
    assert table.na_values == ("-999",)


def test_whitespace_around_values(write_csv):
    table = read_csv(write_csv("a , b\n 1.5 ,  red \n2,  blue\n"))
    assert table.columns == ("a", "b")
    assert values(table, "a") == [1.5, 2.0] and values(table, "b") == ["red", "blue"]


def test_strings_make_a_column_categorical(write_csv):
    table = read_csv(write_csv("a,b\n1,2\nthree,4\n"))
    assert table.kind("a") == "categorical" and values(table, "a") == ["1", "three"]


@pytest.mark.parametrize("word, char", [("comma", ","), ("semicolon", ";"), ("tab", "\t"),
                                        ("pipe", "|"), ("space", " "), (":", ":")])
def test_delimiter_words(word, char):
    assert resolve_delimiter(word) == char


def test_explicit_delimiters(write_csv):
    table = read_csv(write_csv("a:b\n1:2\n"), CsvOptions(delimiter=":"))
    assert table.columns == ("a", "b")
    table = read_csv(write_csv("a  b\n 1   2\n3 4\n", name="s.csv"), CsvOptions(delimiter="space"))
    assert values(table, "b") == [2.0, 4.0] and table.lines.tolist() == [2, 3]


def test_duplicate_and_empty_header_names_are_made_unique(write_csv):
    table = read_csv(write_csv("a,a,\n1,2,3\n"))
    assert table.columns == ("a", "a_2", "column_3")


def test_single_column_file(write_csv):
    table = read_csv(write_csv("y\n1\n2\n\n3\n"))
    assert table.columns == ("y",) and table.lines.tolist() == [2, 3, 5]


def test_true_false_are_categories(write_csv):
    table = read_csv(write_csv("a,b\nTrue,1\nFalse,2\n"))
    assert values(table, "a") == ["True", "False"]


def test_lone_carriage_returns(write_csv):
    assert read_csv(write_csv("a,b\r1,2\r3,4\r")).n_rows == 2


def test_odd_quote_inside_field_still_maps_lines(write_csv):
    table = read_csv(write_csv('a,b\n1,5"\n\n2,"x"\n3,y\n'))
    assert values(table, "b") == ['5"', "x", "y"]
    assert table.lines.tolist() == [2, 4, 5]


def test_preview(write_csv):
    rows = "".join(f"{i};{i * 2};c{i % 3}\n" for i in range(50))
    preview = preview_csv(write_csv("x;y;z\n" + rows), n_rows=5)
    assert preview.delimiter == ";" and preview.has_header
    assert preview.columns == ("x", "y", "z")
    assert preview.rows[0] == ["0", "0", "c0"] and len(preview.rows) == 5
    assert preview.kinds == {"x": "numeric", "y": "numeric", "z": "categorical"}


def test_preview_of_a_large_file_reads_only_its_head(write_csv):
    text = "a,b\n" + "1.25,hello\n" * 40000
    preview = preview_csv(write_csv(text))
    assert len(preview.rows) == 20 and preview.kinds["b"] == "categorical"


def test_preview_reports_bad_files(write_csv):
    with pytest.raises(DataError, match="line 3"):
        preview_csv(write_csv("a,b\n1,2\n3\n"))


def test_layout_scan_is_the_same_across_chunk_boundaries(write_csv, monkeypatch):
    from bpgui.data import layout

    text = 'a,b,c\n1,"x,\ny",2\n\n  \n3,4,5\n"p""q",r,"s\n\nt"\n6,7,8'
    whole = layout.scan(text.encode(), ",")
    monkeypatch.setattr(layout, "CHUNK_BYTES", 3)
    chunked = layout.scan(text.encode(), ",")
    assert chunked.lines.tolist() == whole.lines.tolist() == [1, 2, 6, 7, 10]
    assert chunked.n_fields.tolist() == whole.n_fields.tolist() == [3] * 5
    assert read_csv(write_csv(text)).lines.tolist() == [2, 6, 7, 10]
