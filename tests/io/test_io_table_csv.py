"""Save data as CSV: every number reads back exactly, text and missing cells survive."""

import numpy as np

from bpgui.data import CsvOptions, DatasetSpec, load_example, prepare, read_csv, table_from_columns
from bpgui.io.table_csv import save_table_csv, table_csv_text


def test_numbers_read_back_to_the_same_float64(tmp_path):
    rng = np.random.default_rng(7)
    values = np.concatenate([rng.normal(size=3000), rng.uniform(-6, 6, 3000) * 10.0 ** rng.integers(-8, 9, 3000),
                             [0.1, 0.30000000000000004, 1 / 3, 5e-324, -0.0, 2.0**52 + 1, 1e15, 3.0]])
    table = table_from_columns("memory", {"a": values, "b": np.arange(len(values)) % 3})
    path = tmp_path / "numbers.csv"
    save_table_csv(path, table)
    back = read_csv(path)
    assert back.columns == ("a", "b")
    np.testing.assert_array_equal(back.column("a"), values)
    assert np.signbit(back.column("a")[-4])  # -0.0 keeps its sign
    np.testing.assert_array_equal(back.column("b"), table.column("b"))


def test_text_needing_quotes_and_missing_cells_survive(tmp_path):
    table = table_from_columns("memory", {"size, cm": [1.5, np.nan, 2.0],
                                          "name": ['say "hi"', None, "a,b"],
                                          "label": ["x", "y", "x"]})
    assert table_csv_text(table).splitlines()[0] == '"size, cm",name,label'
    path = tmp_path / "text.csv"
    save_table_csv(path, table)
    back = read_csv(path, CsvOptions(delimiter=","))
    assert back.columns == table.columns
    np.testing.assert_array_equal(back.column("size, cm"), table.column("size, cm"))
    assert list(back.column("name")) == ['say "hi"', None, "a,b"]


def test_an_example_saved_prepares_to_the_same_arrays(tmp_path):
    table = load_example("spiral")
    path = tmp_path / "spiral.csv"
    save_table_csv(path, table)
    spec = DatasetSpec(targets=("label",))
    window, cli = prepare(table, spec), prepare(read_csv(path), spec)
    for name in ("X_train", "Y_train", "X_val", "Y_val"):
        np.testing.assert_array_equal(getattr(cli, name), getattr(window, name))
