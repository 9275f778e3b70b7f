"""RunSettings: one value for every setting, in the command line's words."""

import json

import pytest

from bpgui.data import DatasetSpec, get_example, load_example
from bpgui.runs import Architecture, RunSettings, build_run, example_settings, train_run


def test_defaults_are_the_command_lines():
    settings = RunSettings()
    assert (settings.hidden, settings.activation, settings.optimizer, settings.lr) == ((16, 8), "tanh", "adam", 0.01)
    assert (settings.batch_size, settings.epochs, settings.dtype, settings.val_split) == (32, 100, "float32", 0.2)
    assert (settings.scale, settings.init, settings.seed) == ("standard", "glorot", 0)


def test_a_json_round_trip_gives_the_same_settings():
    settings = RunSettings(target=("y",), hidden=(4, 3), activations=("relu", "tanh"), lr=0.2,
                           freeze_biases=True, target_loss=0.01)
    text = json.dumps(settings.to_dict())
    assert RunSettings.from_dict(json.loads(text)) == settings
    assert RunSettings.from_dict({"lr": 0.5, "unknown": 1}) == RunSettings(lr=0.5)


def test_the_engines_and_the_data_layers_objects_follow_the_settings():
    settings = RunSettings(lr=0.3, epochs=7, freeze_biases=True, no_shuffle=True, seed=4,
                           scale="minmax", val_split=0.1, hidden=(5,), activation="relu")
    config = settings.train_config()
    assert (config.learning_rate, config.max_epochs, config.train_biases, config.shuffle, config.seed) == \
        (0.3, 7, False, False, 4)
    spec = settings.dataset_spec(DatasetSpec(kinds=(("a", "categorical"),)))
    assert (spec.scaling, spec.val_split, spec.seed, spec.kinds) == ("minmax", 0.1, 4, (("a", "categorical"),))
    assert settings.architecture() == Architecture(hidden=(5,), activations=("relu",))


def test_the_windows_parts_give_back_the_same_settings():
    settings = RunSettings(hidden=(6, 2), activations=("relu", "elu"), lr=0.02, init="uniform",
                           init_range=0.3, scale="none", l2=0.1)
    again = RunSettings.from_parts(settings.architecture(), settings.train_config(), settings.dataset_spec())
    assert again == settings


def test_bad_settings_are_refused_in_words():
    with pytest.raises(ValueError, match="learning rate"):
        RunSettings(lr=-1).validate()
    with pytest.raises(ValueError, match="scaling"):
        RunSettings(scale="cubic").validate()


def test_an_examples_preset_and_columns_become_settings():
    settings, layers = example_settings(get_example("classic-2-2-2"), RunSettings())
    assert (settings.target, settings.features, settings.scale, settings.val_split) == (("o1", "o2"), ("i1", "i2"), "none", 0.0)
    assert (settings.optimizer, settings.lr, settings.batch_size, settings.freeze_biases, settings.no_shuffle) == \
        ("sgd", 0.5, 1, True, True)
    assert layers["weights"][0] == [[0.15, 0.25], [0.20, 0.30]]


def test_a_built_run_reproduces_the_published_step():
    example = get_example("classic-2-2-2")
    settings, layers = example_settings(example, RunSettings())
    run = build_run(load_example("classic-2-2-2"), settings.replace(epochs=1), example.spec, layers)
    reports = train_run(run)
    assert reports[0].train_loss == pytest.approx(0.298371109, abs=1e-9)
    assert run.network.weights[0][0, 0] == pytest.approx(0.149780716, abs=1e-9)
    assert run.network.weights[1][1, 1] == pytest.approx(0.561370121, abs=1e-9)


def test_explicit_hidden_sizes_win_over_an_examples_layers():
    example = get_example("classic-2-2-2")
    settings, layers = example_settings(example, RunSettings())
    run = build_run(load_example("classic-2-2-2"), settings.replace(hidden=(3,)), example.spec, layers,
                    explicit={"hidden"})
    assert run.network.sizes == (2, 3, 2)
