"""The learning-rate schedule as run settings (the CLI's words), in the model file's record,
and the note on a loss that ended far above where it started."""

import json

import pytest

from bpgui.data import DatasetSpec, load_example
from bpgui.engine import Network
from bpgui.runs import (RunSettings, build_run, loss_rose, rising_loss_note, train_run,
                        training_record)

SCHEDULE = dict(schedule="cyclic", warmup=2, step_size=4, gamma=0.8, min_lr=0.001, cycle=3)


def test_schedule_settings_default_to_a_constant_rate():
    settings = RunSettings()
    assert (settings.schedule, settings.warmup, settings.step_size, settings.gamma, settings.min_lr,
            settings.cycle) == ("constant", 0, 10, None, None, 10)


def test_schedule_settings_reach_the_engine_and_come_back_from_the_window():
    settings = RunSettings(lr=0.05, **SCHEDULE)
    config = settings.train_config()
    assert {name: getattr(config, name) for name in SCHEDULE} == SCHEDULE
    again = RunSettings.from_parts(settings.architecture(), config, settings.dataset_spec())
    assert again == settings
    assert RunSettings.from_dict(json.loads(json.dumps(settings.to_dict()))) == settings


def test_bad_schedule_settings_are_refused_naming_the_flag():
    with pytest.raises(ValueError, match="--cycle"):
        RunSettings(schedule="cyclic", cycle=0).validate()
    with pytest.raises(ValueError, match="--min-lr"):
        RunSettings(schedule="cosine", lr=0.01, min_lr=0.1).validate()


@pytest.mark.parametrize("schedule, expected", [
    ("constant", {}),
    ("step", {"step_size": 10, "gamma": 0.5}),
    ("exponential", {"gamma": 0.95}),
    ("cosine", {"min_lr": 0.0}),
    ("cyclic", {"cycle": 10, "min_lr": 0.02}),
])
def test_the_model_files_hyperparameters_hold_the_schedule_as_used(schedule, expected):
    settings = RunSettings(lr=0.2, schedule=schedule)
    network = Network.create((2, 3, 1), ("tanh", "sigmoid"), seed=0)
    hyperparameters = training_record(settings, network, 0, None)["hyperparameters"]
    assert hyperparameters["schedule"] == schedule and hyperparameters["warmup"] == 0
    for name, value in expected.items():
        assert hyperparameters[name] == pytest.approx(value)
    if schedule == "constant":  # parameters no schedule reads stay as given (None)
        assert hyperparameters["gamma"] is None and hyperparameters["min_lr"] is None
    json.dumps(hyperparameters)


def test_a_built_run_trains_with_the_scheduled_rates():
    settings = RunSettings(lr=0.04, epochs=4, schedule="step", step_size=1, gamma=0.5, hidden=(3,))
    run = build_run(load_example("xor"), settings, DatasetSpec())
    reports = train_run(run)
    assert [r.lr for r in reports] == pytest.approx([0.04, 0.02, 0.01, 0.005])


# -- a loss that ended far above its start -------------------------------------------------------

@pytest.mark.parametrize("start, last, rose", [
    (0.69, 8.8, True),       # xor at --lr 1e6: the sigmoids saturate
    (0.69, 1.39, True),      # just above twice
    (0.69, 1.38, False),     # exactly twice is not "far above"
    (0.69, 0.01, False),     # learned
    (0.001, 0.003, False),   # three times, but below the floor: noise near zero
    (0.004, 0.02, True),     # above the floor and five times
    (float("nan"), 5.0, False),
    (0.5, float("inf"), False),  # divergence has its own error
    (None, 1.0, False),
])
def test_loss_rose_needs_twice_the_start_and_more_than_the_floor(start, last, rose):
    assert loss_rose(start, last) is rose


def test_the_note_names_both_losses_and_the_learning_rate():
    note = rising_loss_note(0.6931, 8.768, 1e6)
    assert note == ("the training loss rose from 0.6931 at the initial weights to 8.768: the "
                    "learning rate (1e+06) is probably too high; try a lower one")
    assert rising_loss_note(0.69, 0.2, 0.1) is None


def test_an_absurd_rate_on_xor_ends_with_a_rising_loss():
    settings = RunSettings(lr=1e6, optimizer="sgd", epochs=50)
    run = build_run(load_example("xor"), settings, DatasetSpec())
    start = run.trainer.initial_loss()
    last = train_run(run)[-1].train_loss
    assert start == pytest.approx(0.69, abs=0.05) and last > 5
    assert loss_rose(start, last)
    sane = build_run(load_example("xor"), RunSettings(epochs=50), DatasetSpec())
    assert not loss_rose(sane.trainer.initial_loss(), train_run(sane)[-1].train_loss)
