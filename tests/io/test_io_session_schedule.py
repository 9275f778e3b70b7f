"""Session files keep the learning-rate schedule and where it stood; older files still open."""

import json

import numpy as np

from bpgui.engine import Network, TrainConfig
from bpgui.io.session import Session, load_session, save_session


def _session(config, optimizer_state):
    network = Network.create((2, 3, 1), ("tanh", "sigmoid"), seed=0, dtype="float64")
    return Session(source="example:xor", network=network, initial_params=network.params.copy(),
                   loss="bce", task="classification", config=config, epoch=4,
                   optimizer_state=optimizer_state)


def test_the_schedule_and_the_rate_in_use_round_trip(tmp_path):
    config = TrainConfig(learning_rate=0.2, schedule="cyclic", warmup=3, cycle=4, min_lr=0.01)
    state = {"t": 12, "learning_rate": 0.0575, "velocity": np.arange(13.0)}
    path = tmp_path / "s.bpgui.json"
    save_session(path, _session(config, state))
    loaded = load_session(path)
    assert loaded.config == config
    assert loaded.optimizer_state["t"] == 12 and loaded.optimizer_state["learning_rate"] == 0.0575
    assert isinstance(loaded.optimizer_state["learning_rate"], float)
    np.testing.assert_array_equal(loaded.optimizer_state["velocity"], state["velocity"])


def test_a_file_without_the_schedule_opens_with_a_constant_rate(tmp_path):
    path = tmp_path / "old.bpgui.json"
    save_session(path, _session(TrainConfig(), {"t": 3, "learning_rate": 0.01, "velocity": np.zeros(13)}))
    document = json.loads(path.read_text())
    for key in ("schedule", "warmup", "step_size", "gamma", "min_lr", "cycle"):
        del document["training"]["config"][key]
    del document["training"]["optimizer"]["learning_rate"]
    path.write_text(json.dumps(document))
    loaded = load_session(path)
    assert loaded.config == TrainConfig() and loaded.config.schedule == "constant"
    assert set(loaded.optimizer_state) == {"t", "velocity"}
