"""Wide files: the columns are converted in blocks (one pandas Series per column made a file of
5,000 text columns take over 5 s of CPU, which the fuzzer reported as a hang), with exactly the
values the column-by-column conversion gives."""

import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bpgui.data import read_csv
from bpgui.data.columns import boolean_columns, text_columns, to_column

CELLS = ["", " ", "a", "red", " blue ", "NA", "na", "?", "1", "2.5", " 3 ", "1,5", "1.234,5", "1,234.5",
         "1 234", "1'234", "inf", "-Infinity", "nan", "1e5", "e5", "0x1F", "١٢", "x1", "-", ".", ",",
         "1\u00a0234", "12'345.6", "True", "false", "null", "N/A", "7 "]
VALUES = st.one_of(st.sampled_from(CELLS), st.just(math.nan), st.booleans(), st.text(max_size=4))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(VALUES, min_size=1, max_size=5), min_size=1, max_size=6),
       st.booleans(), st.sampled_from([frozenset(), frozenset({"na", "?", "n/a", "null", "nan"})]))
def test_the_text_block_gives_what_to_column_gives(columns, decimal_comma, na_lower):
    n_rows = max(len(c) for c in columns)
    frame = pd.DataFrame({f"c{i}": pd.Series((c * n_rows)[:n_rows], dtype=object) for i, c in enumerate(columns)})
    names = list(frame.columns)
    texts = text_columns(frame, names, na_lower)
    for name in names:
        expected = to_column(frame[name], na_lower, decimal_comma)
        if name in texts:
            assert expected.dtype == object and texts[name].tolist() == expected.tolist()
    assert boolean_columns(frame) == [n for n in names if pd.api.types.infer_dtype(frame[n]) == "boolean"]


def test_a_file_of_thousands_of_text_columns_reads_the_same_words(tmp_path):
    n = 5000
    path = tmp_path / "wide.txt"
    path.write_text(" ".join(f"w{i}x" for i in range(n)) + "\n" + " ".join(["red", "NA", "x y"][i % 2] for i in range(n)) + "\n")
    table = read_csv(path)
    assert len(table.columns) == n and table.data["w0x"].tolist() == ["red"]
    assert np.isnan(table.data["w1x"]).all() and table.data["w4998x"].tolist() == ["red"]


def test_mixed_wide_columns_keep_numbers_text_and_booleans(tmp_path):
    n = 600
    header = ",".join(f"c{i}" for i in range(3 * n))
    row = ",".join(["1.5", "blue", "true"] * n)
    path = tmp_path / "mixed.csv"
    path.write_text(header + "\n" + row + "\n" + row.replace("blue", "") + "\n")
    table = read_csv(path)
    assert table.data["c0"].tolist() == [1.5, 1.5] and table.data["c1"].tolist() == ["blue", None]
    assert table.data["c2"].tolist() == ["true", "true"] and np.asarray(table.data["c3"]).dtype.kind == "f"


def test_a_header_of_thousands_of_repeated_names_reads(tmp_path):
    """pandas de-duplicated such a header in quadratic time (16,000 cells naming 3 columns:
    over 5 s, the long fuzz run's slowest input); the header is now skipped, not parsed by pandas."""
    n = 16_000
    path = tmp_path / "dups.csv"
    path.write_text("\n \n" + ",".join("abc"[i % 3] for i in range(n)) + "\n" + ",".join(["1.5"] * n) + "\n")
    table = read_csv(path)
    assert table.columns[:4] == ("a", "b", "c", "a_2") and table.columns[-1] == "a_5334"
    assert table.data["c_5333"].tolist() == [1.5] and table.lines.tolist() == [4]


def test_a_header_over_several_lines_after_blank_lines_is_skipped_whole(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text('\n  \n"first\nname",b\n1,x\n2,y\n')
    table = read_csv(path)
    assert table.columns == ("first\nname", "b") and table.data["b"].tolist() == ["x", "y"]
    assert table.lines.tolist() == [5, 6]
