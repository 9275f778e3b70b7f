"""Built-in examples: names, shapes, shipped datasets, the 2-2-2 preset, presets that learn."""

import numpy as np
import pytest

from bpgui.data import EXAMPLES, DataError, load_example, prepare
from bpgui.engine import Network, TrainConfig, Trainer, resolve_output

NAMES = ["xor", "circles", "gaussians", "spiral", "plane", "multi-gaussian", "iris", "digits",
         "houses", "diabetes", "classic-2-2-2"]


def test_registry_names_and_descriptions():
    assert list(EXAMPLES) == NAMES
    for name, example in EXAMPLES.items():
        assert example.name == name
        assert example.description and "\n" not in example.description


@pytest.mark.parametrize("name", NAMES)
def test_every_example_prepares(name):
    example = EXAMPLES[name]
    table = load_example(name)
    assert table.source == f"example:{name}"
    data = prepare(table, example.spec)
    assert np.isfinite(data.X_train).all() and np.isfinite(data.Y_train).all()


@pytest.mark.parametrize("name, task, n_inputs, n_classes", [
    ("xor", "classification", 2, 2), ("circles", "classification", 2, 2),
    ("gaussians", "classification", 2, 2), ("spiral", "classification", 2, 2),
    ("plane", "regression", 2, 0), ("multi-gaussian", "regression", 2, 0),
    ("iris", "classification", 4, 3), ("digits", "classification", 64, 10),
    ("houses", "regression", 2, 0), ("diabetes", "regression", 10, 0),
])
def test_example_shapes(name, task, n_inputs, n_classes):
    data = prepare(load_example(name), EXAMPLES[name].spec)
    assert data.task == task and data.n_inputs == n_inputs
    assert len(data.classes or ()) == n_classes


def test_shipped_datasets_are_the_real_ones():
    iris = load_example("iris")
    assert iris.n_rows == 150 and iris.data["species"][0] == "setosa"
    assert sorted(set(iris.data["species"])) == ["setosa", "versicolor", "virginica"]
    digits = load_example("digits")
    assert digits.n_rows == 1797 and len(digits.columns) == 65
    diabetes = load_example("diabetes")
    assert diabetes.n_rows == 442 and len(diabetes.columns) == 11
    assert diabetes.data["progression"][0] == 151.0


def test_generators_honour_samples_noise_and_seed():
    a = load_example("spiral", n_samples=50, noise=0.0, seed=1)
    b = load_example("spiral", n_samples=50, noise=0.0, seed=1)
    c = load_example("spiral", n_samples=50, noise=0.3, seed=1)
    assert a.n_rows == 50 and np.array_equal(a.data["x1"], b.data["x1"])
    assert not np.array_equal(a.data["x1"], c.data["x1"])
    assert load_example("iris", n_samples=30).n_rows == 30


def test_bad_names_and_arguments():
    with pytest.raises(DataError, match='unknown example "nope"; the examples are: xor, circles'):
        load_example("nope")
    with pytest.raises(DataError, match="noise"):
        load_example("xor", noise=-1)


def test_classic_example_and_preset():
    example = EXAMPLES["classic-2-2-2"]
    data = prepare(load_example("classic-2-2-2"), example.spec)
    assert data.X_train.tolist() == [[0.05, 0.10]] and data.Y_train.tolist() == [[0.01, 0.99]]
    assert data.feature_names == ("i1", "i2") and data.target_names == ("o1", "o2")
    preset = example.preset
    assert preset["init_layers"]["weights"] == [[[0.15, 0.25], [0.20, 0.30]],
                                                [[0.40, 0.50], [0.45, 0.55]]]
    assert preset["init_layers"]["biases"] == [[0.35, 0.35], [0.60, 0.60]]
    assert (preset["loss"], preset["optimizer"], preset["lr"], preset["dtype"]) == \
        ("half_sse", "sgd", 0.5, "float64")
    assert preset["freeze_biases"] is True and preset["no_shuffle"] is True


def test_classic_example_reproduces_the_published_step():
    example = EXAMPLES["classic-2-2-2"]
    data = prepare(load_example("classic-2-2-2"), example.spec)
    p = example.preset
    layers = p["init_layers"]
    net = Network.from_layers([np.array(w) for w in layers["weights"]],
                              [np.array(b) for b in layers["biases"]],
                              [p["activation"], p["output_activation"]], dtype=p["dtype"])
    config = TrainConfig(learning_rate=p["lr"], optimizer=p["optimizer"],
                         batch_size=p["batch_size"], max_epochs=1, train_biases=False,
                         shuffle=not p["no_shuffle"])
    trainer = Trainer(net, p["loss"], data.X_train, data.Y_train, config, task="regression")
    list(trainer.epochs())
    assert net.weights[0][0, 0] == pytest.approx(0.149780716, abs=1e-9)
    assert net.weights[1][1, 1] == pytest.approx(0.561370121, abs=1e-9)


@pytest.mark.parametrize("name", ["xor", "circles", "iris"])
def test_presets_learn(name):
    example = EXAMPLES[name]
    data = prepare(load_example(name), example.spec)
    p = example.preset
    units, output, loss = resolve_output(data.task, len(data.classes), 1)
    net = Network.create([data.n_inputs, *p["hidden"], units],
                         [p["activation"]] * len(p["hidden"]) + [output], seed=0)
    config = TrainConfig(learning_rate=p["lr"], optimizer=p["optimizer"],
                         batch_size=p["batch_size"], max_epochs=p["epochs"])
    trainer = Trainer(net, loss, data.X_train, data.Y_train, config, X_val=data.X_val,
                      Y_val=data.Y_val, task=data.task, diagnostics="never")
    last = list(trainer.epochs())[-1]
    assert last.val_metric >= 0.85
