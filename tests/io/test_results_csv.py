"""RESULTS.csv of a sweep: its columns, empty cells, the error column only when a run failed,
and bad files named by line and column."""

import pytest

from bpgui.io.results_csv import ResultRow, ResultsTable, read_results_csv, results_csv_text, write_results_csv

NUMBERS = {"epochs_run": 3, "train_loss": 0.5, "val_loss": None, "train_metric": 0.75,
           "val_metric": None, "seconds": 0.25}
EMPTY = dict.fromkeys(NUMBERS)


def test_columns_rows_and_empty_cells():
    table = ResultsTable(("lr", "hidden"), [ResultRow(1, 0, {"lr": "0.1", "hidden": "16,16"}, NUMBERS),
                                            ResultRow(2, 1, {"lr": "0.01", "hidden": "8"}, NUMBERS)])
    assert results_csv_text(table) == (
        "run,seed,lr,hidden,epochs_run,train_loss,val_loss,train_metric,val_metric,seconds\n"
        '1,0,0.1,"16,16",3,0.5,,0.75,,0.25\n'
        "2,1,0.01,8,3,0.5,,0.75,,0.25\n")


def test_the_error_column_exists_only_when_a_run_failed(tmp_path):
    rows = [ResultRow(1, 0, {}, NUMBERS), ResultRow(2, 0, {}, EMPTY, error="diverged")]
    text = results_csv_text(ResultsTable((), rows))
    assert text.splitlines() == [
        "run,seed,epochs_run,train_loss,val_loss,train_metric,val_metric,seconds,error",
        "1,0,3,0.5,,0.75,,0.25,", "2,0,,,,,,,diverged"]
    path = tmp_path / "r.csv"
    write_results_csv(path, ResultsTable((), rows))
    again = read_results_csv(path)
    assert again.options == () and [row.error for row in again.rows] == [None, "diverged"]
    assert again.rows[0].numbers == NUMBERS and again.rows[1].numbers == EMPTY
    assert [row.line for row in again.rows] == [2, 3]


@pytest.mark.parametrize("text, message", [
    ("", "the file is empty"),
    ("epoch,train_loss\n1,0.5\n", "line 1: not a RESULTS.csv of bpgui sweep"),
    ("run,seed,epochs_run,train_loss,val_loss,train_metric,val_metric,seconds\n1,0,3,0.5\n",
     "line 2: 4 cells where the header has 8"),
    ("run,seed,epochs_run,train_loss,val_loss,train_metric,val_metric,seconds\n1,0,3,low,,,,1\n",
     "line 2, column \"train_loss\": expected a number, got 'low'"),
    ("run,seed,epochs_run,train_loss,val_loss,train_metric,val_metric,seconds\nfirst,0,3,,,,,1\n",
     "line 2, column \"run\": expected a whole number, got 'first'"),
])
def test_a_bad_file_is_one_message_naming_line_and_column(tmp_path, text, message):
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as error:
        read_results_csv(path)
    assert str(error.value).startswith(f"{path}") and message in str(error.value)
