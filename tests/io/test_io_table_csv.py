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


def test_the_train_command_names_only_what_the_command_line_would_not_choose():
    from bpgui.io.table_csv import train_command

    table = table_from_columns("memory", {"x1": [0.0, 1.0], "x2": [1.0, 0.0], "y": [1.0, 2.0]})
    assert train_command("d.csv", table, DatasetSpec(), "classification") == \
        "bpgui train d.csv --out MODEL.json"
    # whole-number values drawn for regression would be read as two classes
    assert train_command("my data.csv", table, DatasetSpec(val_split=0.0, seed=3), "regression") == \
        "bpgui train 'my data.csv' --task regression --val-split 0.0 --seed 3 --out MODEL.json"
    spec = DatasetSpec(targets=("x1",), features=("x2",), derived=("x2^2",))
    assert train_command("d.csv", table, spec, "regression") == \
        "bpgui train d.csv --target x1 --features x2 --task regression --derive 'x2^2' --out MODEL.json"
