"""The Runs table's columns and cells, and its CSV exports."""

import csv
import io

import numpy as np

from bpgui.runs import RunRecord, RunSettings
from bpgui.runs.run_table import cell_text, curves_csv_text, header, table_columns, table_csv_text


def record(label, settings, losses, val=None, metric=None, data="xor", seconds=0.3):
    n = len(losses)
    history = {"epoch": np.arange(1.0, n + 1), "train_loss": np.array(losses, float),
               "val_loss": np.array(val if val is not None else [np.nan] * n, float),
               "train_metric": np.array(metric or [np.nan] * n, float),
               "val_metric": np.array(metric or [np.nan] * n, float)}
    return RunRecord(label, settings, history, "accuracy", seconds, data=data)


def rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_the_columns_name_only_what_differs():
    a = record("a", RunSettings(lr=0.1, hidden=(8,)), [0.5, 0.4])
    b = record("b", RunSettings(lr=0.2, hidden=(8,)), [0.6])
    assert table_columns([a, b]) == ("label", "lr", "epochs_run", "train_loss", "val_loss", "metric", "ms_per_epoch")
    assert table_columns([a]) == ("label", "epochs_run", "train_loss", "val_loss", "metric", "ms_per_epoch")
    c = record("c", RunSettings(lr=0.1, hidden=(16, 8)), [0.3], data="spiral")
    assert table_columns([a, b, c])[:4] == ("label", "data", "hidden", "lr")
    assert header("metric", [a, b]) == "accuracy" and header("ms_per_epoch") == "ms/epoch"


def test_cells_show_the_command_lines_words_and_the_last_epoch():
    a = record("a", RunSettings(hidden=(16, 8), freeze_biases=True), [0.5, 0.25], [0.6, 0.3], [0.5, 0.75])
    assert [cell_text(a, column) for column in ("hidden", "freeze_biases", "epochs_run", "train_loss",
                                                "val_loss", "metric", "ms_per_epoch")] == \
        ["16,8", "yes", "2", "0.25", "0.3", "0.7500", "150"]
    assert cell_text(record("b", RunSettings(), [0.5]), "val_loss") == ""


def test_the_table_csv_has_one_row_per_run_with_the_differing_settings():
    a = record("slow", RunSettings(lr=0.01, hidden=(16, 8)), [0.5, 0.25], [0.6, 0.3], [0.5, 0.75])
    b = record("fast, big", RunSettings(lr=0.1, hidden=(16, 8)), [0.4])
    b.error = "diverged"
    table = rows(table_csv_text([a, b]))
    assert table[0] == ["run", "lr", "epochs_run", "train_loss", "val_loss", "train_metric", "val_metric",
                        "seconds", "ms_per_epoch", "error"]
    assert table[1] == ["slow", "0.01", "2", "0.25", "0.3", "0.75", "0.75", "0.3", "150.0", ""]
    assert table[2][:4] == ["fast, big", "0.1", "1", "0.4"] and table[2][4] == "" and table[2][-1] == "diverged"
    assert rows(table_csv_text([a], ("label", "hidden", "epochs_run")))[1][:2] == ["slow", "16,8"]


def test_the_epochs_setting_and_the_epochs_run_are_two_columns():
    a = record("a", RunSettings(epochs=30000), [0.5, 0.4, 0.3])
    b = record("b", RunSettings(epochs=600), [0.6, 0.5])
    columns = table_columns([a, b])
    assert columns[:3] == ("label", "epochs", "epochs_run")
    assert [cell_text(a, column) for column in columns[1:3]] == ["30000", "3"]
    assert [header(column) for column in columns[1:3]] == ["epochs", "epochs run"]
    table = rows(table_csv_text([a, b]))
    assert table[0][:3] == ["run", "epochs", "epochs_run"]
    assert [row[:3] for row in table[1:]] == [["a", "30000", "3"], ["b", "600", "2"]]


def test_the_curves_csv_has_every_epoch_of_every_run():
    a = record("a", RunSettings(), [0.5, 0.25], [0.6, 0.3])
    b = record("b", RunSettings(), [0.4])
    table = rows(curves_csv_text([a, b]))
    assert table[0] == ["run", "epoch", "train_loss", "val_loss", "train_metric", "val_metric", "lr"]
    assert table[1:] == [["a", "1", "0.5", "0.6", "", "", ""], ["a", "2", "0.25", "0.3", "", "", ""],
                         ["b", "1", "0.4", "", "", "", ""]]
