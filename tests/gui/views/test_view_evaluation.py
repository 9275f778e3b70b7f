"""The evaluation view shows what ``bpgui evaluate --json`` computes for the same model and data."""

import csv
import json

import numpy as np
import pytest
from PySide6.QtCore import Qt

from bpgui.cli import main as cli_main
from bpgui.gui.views.evaluation import EvaluationView, table_rows
from bpgui.io.model import Model, save_model


def write_csv(table, path):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.columns)
        for r in range(table.n_rows):
            writer.writerow([repr(float(v)) if isinstance(v, float) else v
                             for v in (table.data[name][r] for name in table.columns)])


def shown_matrix(view):
    """The counts the confusion matrix table shows, row by row."""
    model = view.confusion.model()
    return [[int(model.index(i, j).data()) for j in range(model.columnCount())]
            for i in range(model.rowCount())]


def cli_evaluation(controller, split, tmp_path, capsys):
    """Save the controller's model, write the split's rows as a CSV, run the command line."""
    data = controller.data
    model = Model(controller.network, controller.loss, data.task, data.preprocessor)
    save_model(model, tmp_path / "model.json")
    write_csv(table_rows(controller.table, getattr(data, f"rows_{split}")), tmp_path / "rows.csv")
    capsys.readouterr()
    assert cli_main(["evaluate", str(tmp_path / "model.json"), str(tmp_path / "rows.csv"), "--json"]) in (0, None)
    return json.loads(capsys.readouterr().out)


def test_the_confusion_matrix_equals_the_evaluate_command(step, controller, open_view, load_data, tmp_path, capsys):
    load_data("wide", test_split=0.3)
    step(controller, times=3)
    view = open_view(EvaluationView)
    expected = cli_evaluation(controller, "test", tmp_path, capsys)
    assert view.metrics["confusion_matrix"] == expected["confusion_matrix"]
    assert view.metrics["classes"] == expected["classes"]
    assert view.metrics["accuracy"] == pytest.approx(expected["accuracy"], abs=1e-12)
    assert view.metrics["macro_f1"] == pytest.approx(expected["macro_f1"], abs=1e-12)
    assert shown_matrix(view) == expected["confusion_matrix"]
    assert view.confusion.model().headerData(0, Qt.Orientation.Vertical) == str(expected["classes"][0])
    matrix = np.array(expected["confusion_matrix"])
    precision_0 = matrix[0, 0] / matrix[:, 0].sum() if matrix[:, 0].sum() else 0.0
    assert float(view.scores.item(0, 0).text()) == pytest.approx(precision_0, abs=5e-5)
    assert int(view.scores.item(0, 3).text()) == matrix[0].sum()


def test_without_a_test_split_the_validation_split_is_used(controller, open_view, load_data, tmp_path, capsys):
    load_data("plane", val_split=0.25)
    view = open_view(EvaluationView)
    assert "validation split" in view.summary.text()
    expected = cli_evaluation(controller, "val", tmp_path, capsys)
    assert view.metrics["confusion_matrix"] == expected["confusion_matrix"]


def test_regression_shows_predicted_against_actual(step, controller, open_view, load_data, tmp_path, capsys):
    data = load_data("surface", test_split=0.25)
    step(controller, times=3)
    view = open_view(EvaluationView)
    expected = cli_evaluation(controller, "test", tmp_path, capsys)
    for key in ("mse", "rmse", "mae", "r2", "loss"):
        assert view.metrics[key] == pytest.approx(expected[key], rel=1e-6)
    actual, predicted = view.scatter.getData()
    assert len(actual) == len(data.rows_test)
    assert sorted(actual) == pytest.approx(sorted(controller.table.data["target"][data.rows_test]))
    x, y = view.ideal_line.getData()
    assert list(x) == list(y)
    assert view.pages.currentWidget() is view.scatter_plot
