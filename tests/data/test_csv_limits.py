"""CSV files larger than sensible are refused with one line naming the limit, before pandas
parses them: a field over 128 KiB, more columns than a spreadsheet holds."""

import pytest

from bpgui.data import CsvOptions, DataError, preview_csv, read_csv
from bpgui.data.limits import MAX_COLUMNS, MAX_FIELD_BYTES

HUGE = "x" * 10_000_000  # a 10 MB field


@pytest.mark.parametrize("text, options, line", [
    (f"a,b\n1,2\n{HUGE},3\n", CsvOptions(), 3),
    (f'a,b\n1,"{HUGE}"\n', CsvOptions(), 2),
    (f'a;b\n1;"a""{HUGE}"\n', CsvOptions(), 2),
    (f"a b\n1 {HUGE}\n", CsvOptions(delimiter="space"), 2),
    (f'a b\n1 "x {HUGE}"\n', CsvOptions(delimiter="space"), 2),
    (f'a,b\n1,"x\n{HUGE}\n"\n', CsvOptions(), 2),  # a quoted field over several lines
], ids=["plain", "quoted", "doubled-quotes", "space", "space-quoted", "multiline"])
def test_a_10_mb_field_is_refused_naming_its_line_and_the_limit(tmp_path, text, options, line):
    path = tmp_path / "big.csv"
    path.write_text(text)
    with pytest.raises(DataError) as caught:
        read_csv(path, options)
    assert caught.value.line == line
    assert f"at most {MAX_FIELD_BYTES:,} bytes" in caught.value.message


def test_a_field_of_exactly_the_limit_is_read(tmp_path):
    path = tmp_path / "edge.csv"
    path.write_text("a,b\n1," + "y" * MAX_FIELD_BYTES + "\n2,z\n")
    assert read_csv(path).data["b"][0] == "y" * MAX_FIELD_BYTES


def test_the_preview_refuses_the_field_too(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(f"a,b\n1,{HUGE}\n")
    with pytest.raises(DataError, match="at most"):
        preview_csv(path)


@pytest.mark.parametrize("header", [True, False])
def test_more_columns_than_a_spreadsheet_are_refused(tmp_path, header):
    n = 20_000
    rows = [",".join(f"c{i}" for i in range(n))] if header else []
    rows += [",".join(str(i % 7) for i in range(n))] * 3
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(DataError) as caught:
        read_csv(path)
    count = f"{n:,}" if header else f"more than {MAX_COLUMNS:,}"  # 64 KiB of "1," is a partial row
    assert caught.value.message == (f"the file has {count} columns; bpgui reads at most {MAX_COLUMNS:,} "
                                    "(as many as a spreadsheet holds)")


def test_as_many_columns_as_the_limit_are_read_and_one_more_is_not(tmp_path, monkeypatch):
    from bpgui.data import csv_reader, limits

    monkeypatch.setattr(csv_reader, "MAX_COLUMNS", 40)  # 16,384 columns take seconds to read
    monkeypatch.setattr(limits, "MAX_COLUMNS", 40)
    for n, readable in ((40, True), (41, False)):
        path = tmp_path / f"wide{n}.csv"
        path.write_text(",".join(f"c{i}" for i in range(n)) + "\n" + ",".join(["1"] * n) + "\n")
        if readable:
            assert len(read_csv(path).columns) == n
        else:
            with pytest.raises(DataError, match="the file has 41 columns; bpgui reads at most 40"):
                read_csv(path)


def test_a_wide_file_keeps_every_column_kind_and_the_first_bad_value(tmp_path):
    """Numeric columns are converted together (16,384 columns one by one took over 5 s);
    the values, kinds and the first error in column order stay as they were."""
    n = 3000
    header = ",".join(f"c{i}" for i in range(n)) + ",word,flag\n"
    row = ",".join(str(i) for i in range(n)) + ",red,true\n"
    path = tmp_path / "wide.csv"
    path.write_text(header + row + row.replace(",red,", ",blue,").replace("true", "False"))
    table = read_csv(path)
    assert table.data["c2999"].tolist() == [2999.0, 2999.0] and table.data["c0"].dtype.kind == "f"
    assert table.data["word"].tolist() == ["red", "blue"] and table.data["flag"].tolist() == ["true", "False"]
    bad = header + row.replace(",17,", ",1e40,", 1).replace(",red,", ",1e99,") + row
    path.write_text(bad)
    with pytest.raises(DataError) as caught:
        read_csv(path)
    assert (caught.value.line, caught.value.column) == (2, "c17")


def test_a_first_row_wider_than_the_sample_is_refused_before_the_header_is_guessed(tmp_path):
    n = 40_000  # over 64 KiB: the sniffer sees only the start of the first row
    path = tmp_path / "wide.csv"
    path.write_text(",".join(["1"] * n) + "\n" + ",".join(["2"] * n) + "\n")
    with pytest.raises(DataError) as caught:
        read_csv(path)
    assert caught.value.message.startswith("the file has more than 16,384 columns")
