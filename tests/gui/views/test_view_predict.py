"""Predict: the form agrees with the model, and a CSV is written as ``bpgui predict`` writes it."""

import numpy as np
import pytest

from bpgui.cli import main as cli_main
from bpgui.gui.views.evaluation import table_rows
from bpgui.gui.views.predict import PredictView, describe_prediction, model_of
from bpgui.io.model import save_model


def test_the_form_has_one_input_per_raw_feature(controller, open_view, load_data):
    load_data("wide")
    view = open_view(PredictView)
    assert list(view.inputs) == ["f0", "f1", "f2", "f3", "colour"]
    assert view.inputs["colour"].count() == 3


def test_the_form_shows_the_models_probabilities(step, controller, open_view, load_data):
    load_data("wide")
    step(controller)
    view = open_view(PredictView)
    view.inputs["f2"].setValue(4.5)
    view.inputs["colour"].setCurrentText("red")
    result = model_of(controller, controller.network).predict(view.form_table())
    assert view.output.text() == describe_prediction(result)
    one_row = table_rows(controller.table, [0])
    for name in ("f0", "f1", "f2", "f3"):
        view.inputs[name].setValue(float(one_row.data[name][0]))
    view.inputs["colour"].setCurrentText(one_row.data["colour"][0])
    expected = model_of(controller, controller.network).predict(one_row)
    shown = [float(line.split("=")[1]) for line in view.output.text().splitlines()[1:]]
    assert shown == pytest.approx(expected.outputs[0].astype(float), abs=2e-6)


def test_regression_output_is_in_target_units(controller, open_view, load_data):
    data = load_data("surface")
    view = open_view(PredictView)
    view.inputs["u"].setValue(5.0)
    value = float(view.output.text().split("=")[1])
    X = data.preprocessor.transform(view.form_table())
    expected = data.preprocessor.decode(controller.network.forward(X))[0, 0]
    assert value == pytest.approx(float(expected), rel=1e-5)


def test_predict_a_csv_writes_what_the_command_line_writes(step, controller, open_view, load_data, tmp_path, capsys):
    load_data("wide")
    step(controller)
    source = tmp_path / "rows.csv"
    rng = np.random.default_rng(4)
    lines = ["f0,f1,f2,f3,colour"] + [
        ",".join([f"{v:.5f}" for v in rng.normal(size=4)] + [c]) for c in ("red", "blue", "", "green")]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    view = open_view(PredictView)
    assert view.predict_csv(str(source), str(tmp_path / "gui.csv")), view.status.text()
    save_model(model_of(controller, controller.network), tmp_path / "model.json")
    assert cli_main(["predict", str(tmp_path / "model.json"), str(source), "--out", str(tmp_path / "cli.csv")]) in (0, None)
    assert (tmp_path / "gui.csv").read_text() == (tmp_path / "cli.csv").read_text()


def test_a_bad_csv_is_reported_in_words(controller, open_view, load_data, tmp_path):
    load_data("wide")
    view = open_view(PredictView)
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    assert not view.predict_csv(str(bad), str(tmp_path / "out.csv"))
    assert "Could not predict" in view.status.text() and "f0" in view.status.text()
    assert not (tmp_path / "out.csv").exists()


def test_predictions_into_a_full_device_say_so_and_keep_the_device(controller, open_view, load_data, tmp_path):
    from write_targets import is_device, make_device

    load_data("wide")
    device = make_device(tmp_path / "full.csv")
    source = tmp_path / "rows.csv"
    source.write_text("f0,f1,f2,f3,colour\n" + "0.1,0.2,0.3,0.4,red\n" * 3000, encoding="utf-8")
    view = open_view(PredictView)
    assert not view.predict_csv(str(source), device)
    assert view.status.text() == f"Could not predict: {device}: no space left on device"
    assert is_device(device)
