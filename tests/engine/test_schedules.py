"""Learning-rate schedules (DESIGN.md §4): every formula against values worked by hand, the
warm-up, the defaults, what happens beyond the planned epochs, bad parameters, and the
trainer following the schedule through pauses, steps and saved states."""

import math

import numpy as np
import pytest

from trainer_helpers import stop_after_batches, train

from bpgui.engine import Network, TrainConfig, Trainer
from bpgui.engine.schedules import SCHEDULES, epoch_rate, rate_function, resolve


def make_trainer(init_seed=0, validation=False, **config):
    """A 2-5-1 tanh regression trainer on 40 rows (y = 1.5 x₁ − 2 x₂ + 0.5 + noise)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    Y = X @ np.array([[1.5], [-2.0]]) + 0.5 + rng.normal(scale=0.1, size=(40, 1))
    network = Network.create((2, 5, 1), ("tanh", "linear"), seed=init_seed, dtype="float64")
    split = dict(X_val=X[:10] * 0.9, Y_val=Y[:10]) if validation else {}
    defaults = dict(learning_rate=0.01, batch_size=8, max_epochs=10)
    return Trainer(network, "mse", X, Y, TrainConfig(**{**defaults, **config}), task="regression", **split)


def rates(schedule, lr, epochs, n=None, **parameters):
    """The rates of epochs 1 … n (default ``epochs``)."""
    rate = rate_function(schedule, lr, epochs, **parameters)
    return [rate(e) for e in range(1, (n or epochs) + 1)]


# -- the formulas, by hand -------------------------------------------------------------------

def test_registry_holds_the_words_of_the_design():
    assert list(SCHEDULES) == ["constant", "step", "exponential", "cosine", "cyclic"]


def test_constant_is_the_base_rate_every_epoch():
    assert rates("constant", 0.1, 5, n=8) == [0.1] * 8


def test_step_multiplies_by_gamma_every_step_size_epochs():
    # η · G^floor((e − 1) / N), η = 1, N = 3, G = 0.5: the drops come after epochs 3 and 6
    assert rates("step", 1.0, 8, step_size=3, gamma=0.5) == [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]


def test_step_defaults_drop_by_half_every_ten_epochs():
    got = rates("step", 0.2, 21)
    assert got[9] == 0.2 and got[10] == 0.1 and got[19] == 0.1 and got[20] == 0.05


def test_exponential_multiplies_by_gamma_every_epoch():
    # 0.2, 0.2 · 0.9 = 0.18, 0.18 · 0.9 = 0.162, 0.1458
    assert rates("exponential", 0.2, 4, gamma=0.9) == pytest.approx([0.2, 0.18, 0.162, 0.1458], rel=1e-14)
    assert rates("exponential", 1.0, 3) == pytest.approx([1.0, 0.95, 0.9025], rel=1e-14)  # G = 0.95


def test_cosine_anneals_from_the_rate_to_the_minimum_over_the_epochs():
    # E = 5, η = 1, M = 0.1: e = 1 → η; e = 2 → 0.1 + 0.9 (1 + cos π/4) / 2 = 0.86819805;
    # e = 3 → 0.1 + 0.9 · 0.5 = 0.55; e = 4 → 0.1 + 0.9 (1 − cos π/4) / 2 = 0.23180195; e = 5 → M
    assert rates("cosine", 1.0, 5, min_lr=0.1) == pytest.approx(
        [1.0, 0.86819805, 0.55, 0.23180195, 0.1], rel=1e-8)
    assert rates("cosine", 0.4, 3) == pytest.approx([0.4, 0.2, 0.0], abs=1e-15)  # M = 0


def test_cosine_holds_its_minimum_beyond_the_planned_epochs():
    assert rates("cosine", 1.0, 5, n=8, min_lr=0.1)[5:] == [0.1, 0.1, 0.1]


def test_cosine_with_a_single_epoch_after_warmup_is_the_rate():
    assert rates("cosine", 0.3, 1, n=3) == [0.3, 0.3, 0.3]  # E' = 1: nothing to anneal over
    assert rates("cosine", 0.3, 3, warmup=2, min_lr=0.01) == pytest.approx([0.15, 0.3, 0.3])


def test_cyclic_turning_points():
    # N = 2, η = 1, M = 0.1: starts at M, η at e' = N + 1 = 3, M again at e' = 2N + 1 = 5
    assert rates("cyclic", 1.0, 9, cycle=2, min_lr=0.1) == pytest.approx(
        [0.1, 0.55, 1.0, 0.55, 0.1, 0.55, 1.0, 0.55, 0.1], rel=1e-14)


def test_cyclic_defaults_cycle_ten_epochs_between_a_tenth_of_the_rate_and_the_rate():
    got = rates("cyclic", 0.5, 21)
    assert got[0] == pytest.approx(0.05) and got[10] == pytest.approx(0.5) and got[20] == pytest.approx(0.05)
    assert got[5] == pytest.approx(0.05 + 0.45 * 0.5)  # halfway up: e' = 6


def test_warmup_climbs_linearly_then_the_schedule_starts_at_its_first_epoch():
    # W = 4, η = 0.2: 0.05, 0.1, 0.15, 0.2; then step (N = 2, G = 0.5) from e' = 1
    got = rates("step", 0.2, 9, warmup=4, step_size=2, gamma=0.5)
    assert got == pytest.approx([0.05, 0.1, 0.15, 0.2, 0.2, 0.2, 0.1, 0.1, 0.05], rel=1e-14)


def test_warmup_shortens_the_cosine_to_the_epochs_left():
    # E = 6, W = 2: E' = 4, e' = e − 2; e = 3 → η, e = 6 → M
    got = rates("cosine", 1.0, 6, warmup=2, min_lr=0.0)
    assert got == pytest.approx([0.5, 1.0, 1.0, 0.75, 0.25, 0.0], abs=1e-12)


def test_cyclic_after_warmup_starts_at_its_minimum():
    assert rates("cyclic", 1.0, 5, warmup=2, cycle=1, min_lr=0.2) == pytest.approx([0.5, 1.0, 0.2, 1.0, 0.2])


def test_a_warmup_as_long_as_the_run_is_all_the_run():
    # W ≥ E: the planned epochs only climb; continued beyond them the schedule starts
    assert rates("cosine", 1.0, 3, n=7, warmup=5) == pytest.approx([0.2, 0.4, 0.6, 0.8, 1.0, 1.0, 1.0])
    assert rates("exponential", 1.0, 3, n=7, warmup=5, gamma=0.5) == pytest.approx(
        [0.2, 0.4, 0.6, 0.8, 1.0, 1.0, 0.5])


def test_growing_gamma_overflows_to_infinity_not_an_exception():
    assert epoch_rate("exponential", 1.0, 10, 100_000, gamma=2.0) == math.inf


# -- defaults --------------------------------------------------------------------------------

def test_defaults_depend_on_the_schedule_and_resolve_only_what_it_reads():
    assert resolve("constant", 0.1) == {}
    assert resolve("step", 0.1) == {"step_size": 10, "gamma": 0.5}
    assert resolve("exponential", 0.1) == {"gamma": 0.95}
    assert resolve("cosine", 0.1) == {"min_lr": 0.0}
    assert resolve("cyclic", 0.1) == pytest.approx({"cycle": 10, "min_lr": 0.01})
    assert resolve("step", 0.1, gamma=0.3, min_lr=0.5) == {"step_size": 10, "gamma": 0.3}


def test_train_config_defaults_to_a_constant_rate():
    config = TrainConfig()
    assert (config.schedule, config.warmup, config.step_size, config.gamma, config.min_lr,
            config.cycle) == ("constant", 0, 10, None, None, 10)
    assert config.schedule_parameters() == {}
    assert TrainConfig(schedule="cyclic", learning_rate=0.3).schedule_parameters() == pytest.approx(
        {"cycle": 10, "min_lr": 0.03})
    restored = TrainConfig.from_dict(TrainConfig(schedule="step", gamma=0.7).to_dict())
    assert (restored.schedule, restored.gamma) == ("step", 0.7)


# -- bad parameters ----------------------------------------------------------------------------

@pytest.mark.parametrize("changes, flag", [
    ({"schedule": "linear"}, "--schedule"),
    ({"step_size": 0}, "--step-size"),
    ({"cycle": 0}, "--cycle"),
    ({"cycle": -3}, "--cycle"),
    ({"gamma": 0.0}, "--gamma"),
    ({"gamma": -0.5}, "--gamma"),
    ({"gamma": math.nan}, "--gamma"),
    ({"gamma": math.inf}, "--gamma"),
    ({"warmup": -1}, "--warmup"),
    ({"warmup": 1.5}, "--warmup"),
    ({"warmup": math.nan}, "--warmup"),
    ({"step_size": math.nan}, "--step-size"),
    ({"min_lr": -0.001}, "--min-lr"),
    ({"min_lr": math.nan}, "--min-lr"),
    ({"schedule": "cosine", "min_lr": 0.5}, "--min-lr"),
    ({"schedule": "cyclic", "min_lr": 0.2}, "--min-lr"),
])
def test_bad_schedule_parameters_are_refused_in_one_line_naming_the_flag(changes, flag):
    with pytest.raises(ValueError) as caught:
        TrainConfig(learning_rate=0.1, **changes).validate()
    message = str(caught.value)
    assert flag in message and "\n" not in message


def test_a_minimum_above_the_rate_matters_only_to_the_schedules_that_read_it():
    TrainConfig(learning_rate=0.1, schedule="step", min_lr=0.5).validate()
    TrainConfig(learning_rate=0.1, schedule="cosine", min_lr=0.1).validate()  # M = η: flat


# -- the trainer follows the schedule ----------------------------------------------------------

def test_reports_carry_the_rate_of_each_epoch_and_the_optimiser_uses_it():
    trainer = make_trainer(optimizer="sgd", learning_rate=0.05, max_epochs=6, schedule="step",
                           step_size=2, gamma=0.1, warmup=1)
    reports = train(trainer)
    assert [r.lr for r in reports] == pytest.approx([0.05, 0.05, 0.05, 0.005, 0.005, 0.0005])
    assert trainer._optimizer.learning_rate == pytest.approx(0.0005)


def test_the_rate_is_constant_within_an_epoch():
    trainer = make_trainer(optimizer="sgd", batch_size=8, max_epochs=3, schedule="exponential", gamma=0.5)
    seen = []
    for _ in range(3 * trainer.n_batches):
        trainer.step_batch()
        seen.append(trainer._optimizer.learning_rate)
    assert seen == [0.01] * 5 + [0.005] * 5 + [0.0025] * 5


def test_sgd_under_a_schedule_is_sgd_at_each_epochs_rate():
    """A scheduled run equals constant-rate runs chained epoch by epoch at the scheduled rates."""
    settings = dict(optimizer="sgd", batch_size=40, shuffle=False, max_epochs=4)
    scheduled = make_trainer(learning_rate=0.1, schedule="cosine", min_lr=0.02, **settings)
    train(scheduled)
    chained = make_trainer(learning_rate=0.1, **settings)
    for epoch, rate in enumerate(rates("cosine", 0.1, 4, min_lr=0.02), start=1):
        chained.set_config(chained.config.replace(learning_rate=rate))
        train(chained, limit=epoch)
    np.testing.assert_allclose(scheduled.network.params, chained.network.params, rtol=1e-13)


@pytest.mark.parametrize("stop_after", [3, 7, 12])
def test_pausing_mid_epoch_and_resuming_continues_the_schedule_exactly(monkeypatch, stop_after):
    settings = dict(optimizer="adam", learning_rate=0.05, batch_size=8, max_epochs=5,
                    schedule="cyclic", cycle=2, warmup=1, shuffle=True)
    uninterrupted = make_trainer(**settings)
    expected = train(uninterrupted)
    paused = make_trainer(**settings)
    stop_after_batches(monkeypatch, paused, stop_after)  # 5 batches per epoch
    first = train(paused)
    paused.clear_stop()
    reports = first + train(paused)
    np.testing.assert_array_equal(paused.network.params, uninterrupted.network.params)
    assert [r.lr for r in reports] == [r.lr for r in expected]


def test_a_restored_state_continues_the_schedule_and_holds_the_rate_in_use():
    settings = dict(optimizer="momentum", learning_rate=0.05, max_epochs=8, schedule="cosine",
                    warmup=2, shuffle=True)
    original = make_trainer(**settings)
    train(original, limit=4)
    state = original.state_dict()
    assert state["optimizer"]["learning_rate"] == pytest.approx(epoch_rate("cosine", 0.05, 8, 4, warmup=2))
    resumed = make_trainer(init_seed=7, **settings)
    resumed.load_state_dict(state)
    assert resumed._optimizer.learning_rate == state["optimizer"]["learning_rate"]
    assert [r.lr for r in train(resumed)] == [r.lr for r in train(original)]
    np.testing.assert_array_equal(resumed.network.params, original.network.params)


def test_reset_starts_the_schedule_again():
    trainer = make_trainer(max_epochs=3, schedule="exponential", gamma=0.5)
    first = [r.lr for r in train(trainer)]
    trainer.reset()
    assert trainer.learning_rate == 0.01
    assert [r.lr for r in train(trainer)] == first


def test_changing_the_schedule_mid_epoch_applies_to_the_epoch_in_progress():
    trainer = make_trainer(optimizer="sgd", max_epochs=6)
    train(trainer, limit=2)
    trainer.step_batch()
    trainer.set_config(trainer.config.replace(schedule="step", step_size=1, gamma=0.5))
    assert trainer._optimizer.learning_rate == trainer.learning_rate == pytest.approx(0.01 * 0.5 ** 2)


def test_a_continued_run_follows_the_schedule_beyond_its_epochs():
    trainer = make_trainer(max_epochs=3, schedule="cyclic", cycle=1, min_lr=0.002)
    train(trainer)
    assert [r.lr for r in train(trainer, limit=5)] == pytest.approx([0.01, 0.002])


def test_early_stopping_and_target_loss_still_apply_under_a_schedule():
    reports = train(make_trainer(max_epochs=50, schedule="cosine", learning_rate=0.05, target_loss=1.0))
    assert reports[-1].stop_reason == "target_loss" and len(reports) < 50
    reports = train(make_trainer(max_epochs=200, schedule="exponential", gamma=0.5, validation=True,
                                 early_stopping=3, learning_rate=0.05))
    assert reports[-1].stop_reason == "early_stopping"


def test_initial_loss_is_the_loss_of_the_starting_weights():
    trainer = make_trainer(max_epochs=3, l2=0.01)
    before = trainer.initial_loss()
    train(trainer)
    assert trainer.initial_loss() == before
    fresh = make_trainer(max_epochs=3, l2=0.01)
    X, Y = trainer.X, trainer.Y
    data_loss, _ = fresh.evaluate(X, Y)
    network = fresh.network
    penalty = 0.5 * 0.01 * float(np.sum(network.params[:network.n_weights] ** 2))
    assert before == pytest.approx(data_loss + penalty, rel=1e-12)
