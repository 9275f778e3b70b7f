import json

import numpy as np
import pytest

from bpgui.data import CsvOptions
from bpgui.data.dataset import DatasetSpec
from bpgui.engine import Network, TrainConfig
from bpgui.io.model import ModelFileError
from bpgui.io.session import Session, load_session, save_session


def _session(csv_path):
    network = Network.create((3, 4, 2), ("tanh", "softmax"), seed=1, dtype="float64")
    initial = network.params.copy()
    network.params[...] += 0.5
    history = {"metric_name": "accuracy",
               "columns": {"epoch": np.array([1.0, 2.0]), "val_loss": np.array([np.nan, 0.3])},
               "grad_norms": np.array([[0.1, 0.2], [np.nan, 0.4]])}
    return Session(source=str(csv_path), csv_options=CsvOptions(delimiter=";", na_values=("-",)),
                   spec=DatasetSpec(targets=("y",), kinds=(("c", "categorical"),), val_split=0.1),
                   network=network, initial_params=initial, loss="cross_entropy", task="classification",
                   init={"method": "he", "seed": 1, "range": 0.5},
                   config=TrainConfig(learning_rate=0.05, optimizer="momentum"), epoch=2, history=history)


def test_round_trip_keeps_everything(tmp_path):
    csv_path = tmp_path / "data.csv"
    csv_path.write_text("a;b;c;y\n")
    original = _session(csv_path)
    path = tmp_path / "lesson.bpgui.json"
    save_session(path, original)
    loaded = load_session(path)
    assert json.loads(path.read_text())["format"] == "bpgui-session"
    assert (loaded.source, loaded.csv_options, loaded.spec) == (original.source, original.csv_options, original.spec)
    assert (loaded.loss, loaded.task, loaded.init, loaded.config, loaded.epoch) == \
        (original.loss, original.task, original.init, original.config, original.epoch)
    assert loaded.network.sizes == (3, 4, 2) and loaded.network.dtype == np.float64
    np.testing.assert_array_equal(loaded.network.params, original.network.params)
    np.testing.assert_array_equal(loaded.initial_params, original.initial_params)
    np.testing.assert_array_equal(loaded.history["columns"]["val_loss"], [np.nan, 0.3])
    np.testing.assert_array_equal(loaded.history["grad_norms"], original.history["grad_norms"])


def test_a_copied_folder_finds_its_csv(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "data.csv").write_text("a;b;c;y\n")
    save_session(folder / "s.bpgui.json", _session(folder / "data.csv"))
    copy = tmp_path / "student"
    folder.rename(copy)
    assert load_session(copy / "s.bpgui.json").source == str(copy / "data.csv")


def test_empty_session_without_data_or_network(tmp_path):
    save_session(tmp_path / "s.json", Session())
    loaded = load_session(tmp_path / "s.json")
    assert loaded.source is None and loaded.network is None and loaded.history == {}


@pytest.mark.parametrize("content, phrase", [
    ("", "empty"), ('{"format": "bpgui-session", "ver', "truncated"),
    ('{"format": "bpgui-model"}', "not a bpgui session"),
    ('{"format": "bpgui-session", "version": 1, "data": {}}', "damaged"),
])
def test_broken_session_files_are_clear_errors(content, phrase, tmp_path):
    path = tmp_path / "s.json"
    path.write_text(content)
    with pytest.raises(ModelFileError) as caught:
        load_session(path)
    assert str(caught.value).startswith(f"{path}: ") and phrase in str(caught.value)


def test_the_kept_runs_survive_a_round_trip_and_older_files_have_none(tmp_path):
    from bpgui.runs import RunRecord, RunSettings

    csv_path = tmp_path / "data.csv"
    csv_path.write_text("a;b;c;y\n")
    session = _session(csv_path)
    first = RunRecord("slow", RunSettings(lr=0.01), {"epoch": np.array([1.0, 2.0]),
                                                     "train_loss": np.array([0.5, 0.25])},
                      "accuracy", 0.2, params=np.array([0.5, -1.5]), sizes=(1, 1), activations=("sigmoid",),
                      data="xor")
    second = RunRecord("run 2", RunSettings(lr=0.1), {"epoch": np.array([1.0])}, params=np.array([np.nan, 1.0]))
    session.runs, session.current_run = [first, second], 1
    path = tmp_path / "runs.bpgui.json"
    save_session(path, session)
    loaded = load_session(path)
    assert [run.label for run in loaded.runs] == ["slow", "run 2"] and loaded.current_run == 1
    assert loaded.runs[0].settings == first.settings and loaded.runs[0].data == "xor"
    np.testing.assert_array_equal(loaded.runs[0].history["train_loss"], [0.5, 0.25])
    np.testing.assert_array_equal(loaded.runs[0].params, [0.5, -1.5])
    assert loaded.runs[1].params is None  # weights JSON cannot hold are not kept
    document = json.loads(path.read_text())
    del document["runs"], document["current_run"]
    path.write_text(json.dumps(document))
    older = load_session(path)
    assert older.runs == [] and older.current_run is None and older.epoch == 2


def test_drawn_points_are_kept_in_the_file_exactly_and_older_files_have_none(tmp_path):
    from bpgui.data.drawing import Drawing

    drawing = Drawing(points=[[0.1, 1 / 3], [-2 / 3, 0.7]], values=["0", "1"])
    save_session(tmp_path / "drawn.json", Session(drawing=drawing.to_dict()))
    document = json.loads((tmp_path / "drawn.json").read_text())
    assert document["data"]["source"] is None and document["data"]["drawing"]["y"] == ["0", "1"]
    back = Drawing.from_dict(load_session(tmp_path / "drawn.json").drawing)
    np.testing.assert_array_equal(back.points, drawing.points)
    save_session(tmp_path / "plain.json", Session())
    assert "drawing" not in json.loads((tmp_path / "plain.json").read_text())["data"]
    assert load_session(tmp_path / "plain.json").drawing is None
