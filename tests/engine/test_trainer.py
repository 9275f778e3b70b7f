"""Trainer behaviour: stop criteria, stopping and resuming, stepping, divergence, resets,
reports, diagnostics, dtypes, batch sizes, frozen biases, clipping, dropout, L1/L2 and
changing the configuration between runs."""

import dataclasses
import threading

import numpy as np
import pytest

from trainer_helpers import stop_after_batches, train

from bpgui.engine import Network, TrainConfig, Trainer, TrainingDiverged
from bpgui.engine.gradcheck import loss_and_gradient


def regression_data(n_samples=40, seed=0):
    """y = 1.5 x₁ − 2 x₂ + 0.5 + noise; X standard normal, shape (n, 2); Y shape (n, 1)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 2))
    return X, X @ np.array([[1.5], [-2.0]]) + 0.5 + rng.normal(scale=0.1, size=(n_samples, 1))


def make_trainer(dtype="float64", hidden="tanh", init_seed=0, data=None, validation=False, **config):
    """A 2-5-1 regression trainer over ``regression_data``; ``config`` overrides TrainConfig."""
    X, Y = data if data is not None else regression_data()
    network = Network.create((2, 5, 1), (hidden, "linear"), seed=init_seed, dtype=dtype)
    defaults = dict(learning_rate=0.01, batch_size=8, max_epochs=10)
    split = dict(X_val=X[:10] * 0.9, Y_val=Y[:10]) if validation else {}
    diagnostics = config.pop("diagnostics", "on_request")
    return Trainer(network, "mse", X, Y, TrainConfig(**{**defaults, **config}),
                   task="regression", diagnostics=diagnostics, **split)


# -- stop criteria ---------------------------------------------------------------------------

def test_max_epochs_is_the_number_of_reports():
    reports = train(make_trainer(max_epochs=7))
    assert [r.epoch for r in reports] == list(range(1, 8))
    assert [r.stop_reason for r in reports] == [None] * 6 + ["max_epochs"]


def test_a_limit_stops_early_and_the_next_run_continues_numbering():
    trainer = make_trainer(max_epochs=6)
    assert [r.epoch for r in train(trainer, limit=2)] == [1, 2]
    assert [r.epoch for r in train(trainer)] == [3, 4, 5, 6]
    assert train(trainer) == []  # max_epochs reached: nothing left to run


def test_target_loss_stops_at_the_first_epoch_below_it():
    reports = train(make_trainer(learning_rate=0.05, max_epochs=200, target_loss=0.05))
    assert reports[-1].stop_reason == "target_loss"
    assert reports[-1].train_loss <= 0.05 < reports[-2].train_loss
    assert len(reports) < 200


def overfitting_trainer(**config):
    """32 tanh units fitting 12 rows of noise; validation on 50 other rows of noise."""
    rng = np.random.default_rng(0)
    X, Y, X_val, Y_val = (rng.normal(size=(n, 1)) for n in (12, 12, 50, 50))
    network = Network.create((1, 32, 1), ("tanh", "linear"), seed=0, dtype="float64")
    settings = dict(learning_rate=0.02, batch_size=12, max_epochs=500, early_stopping=10)
    return Trainer(network, "mse", X, Y, TrainConfig(**{**settings, **config}),
                   X_val=X_val, Y_val=Y_val, diagnostics="always")


def test_early_stopping_restores_the_best_weights_and_reports_their_epoch():
    trainer = overfitting_trainer()
    reports = train(trainer)
    val_losses = [r.val_loss for r in reports]
    best = int(np.argmin(val_losses)) + 1
    final = reports[-1]
    assert final.stop_reason == "early_stopping"
    assert final.best_epoch == best
    assert final.epoch == best + 10  # patience: ten epochs without improvement
    assert all(r.stop_reason is None for r in reports[:-1])
    np.testing.assert_array_equal(trainer.network.params, reports[best - 1].params)
    assert not np.array_equal(trainer.network.params, final.params)
    assert trainer.evaluate(trainer.X_val, trainer.Y_val)[0] == pytest.approx(val_losses[best - 1], rel=1e-12)


def test_early_stopping_switched_on_between_runs_restores_the_best_weights_so_far():
    trainer = overfitting_trainer(early_stopping=0)
    reports = train(trainer, limit=15)  # the validation loss is lowest at epoch 10
    trainer.set_config(trainer.config.replace(early_stopping=3))
    reports += train(trainer)
    final = reports[-1]
    assert final.stop_reason == "early_stopping"
    assert final.best_epoch == int(np.argmin([r.val_loss for r in reports])) + 1 <= 15
    np.testing.assert_array_equal(trainer.network.params, reports[final.best_epoch - 1].params)


def test_best_epoch_follows_the_training_loss_without_validation():
    reports = train(make_trainer(learning_rate=0.05, max_epochs=20))
    assert reports[-1].best_epoch == int(np.argmin([r.train_loss for r in reports])) + 1


# -- stopping and resuming -------------------------------------------------------------------

def test_request_stop_before_a_run_trains_nothing():
    trainer = make_trainer()
    before = trainer.network.params.copy()
    trainer.request_stop()
    assert trainer.stop_requested
    assert train(trainer) == []
    np.testing.assert_array_equal(trainer.network.params, before)
    trainer.clear_stop()
    assert len(train(trainer)) == 10


@pytest.mark.parametrize("stop_after", [1, 3, 5, 13])
def test_stopping_mid_epoch_then_resuming_equals_an_uninterrupted_run(monkeypatch, stop_after):
    # shuffling, dropout and Adam: the random stream, the batch order and the optimiser
    # state all have to survive the pause
    settings = dict(optimizer="adam", dropout=0.2, shuffle=True, batch_size=8, max_epochs=4,
                    validation=True)
    uninterrupted = make_trainer(**settings)
    expected_reports = train(uninterrupted)

    paused = make_trainer(**settings)
    stop_after_batches(monkeypatch, paused, stop_after)  # 40 rows / 8 = 5 batches per epoch
    first_part = train(paused)
    assert len(first_part) == stop_after // 5
    assert paused.epoch == stop_after // 5 and paused.batch_in_epoch == stop_after % 5
    paused.clear_stop()
    reports = first_part + train(paused)
    np.testing.assert_array_equal(paused.network.params, uninterrupted.network.params)
    assert [(r.epoch, r.train_loss, r.val_loss) for r in reports] == \
        [(r.epoch, r.train_loss, r.val_loss) for r in expected_reports]


def test_a_stop_arriving_as_an_epoch_begins_does_not_shuffle_it_twice(monkeypatch):
    """The race a worker thread hits: the flag is set after the epoch's shuffle, before its
    first batch. Resuming must not draw a second permutation."""
    settings = dict(shuffle=True, max_epochs=4)
    paused, reference = make_trainer(**settings), make_trainer(**settings)
    begin, begun = paused._begin_epoch, []

    def begin_then_stop():
        begin()
        begun.append(1)
        if len(begun) == 2:
            paused.request_stop()

    monkeypatch.setattr(paused, "_begin_epoch", begin_then_stop)
    assert [r.epoch for r in train(paused)] == [1]
    paused.clear_stop()
    assert [r.epoch for r in train(paused)] == [2, 3, 4]
    train(reference)
    np.testing.assert_array_equal(paused.network.params, reference.network.params)


def test_request_stop_from_another_thread_stops_before_the_next_batch():
    trainer = make_trainer(max_epochs=10)
    seen = []
    for report in trainer.epochs():
        seen.append(report.epoch)
        if report.epoch == 3:
            stopper = threading.Thread(target=trainer.request_stop)
            stopper.start()
            stopper.join()
    assert seen == [1, 2, 3] and trainer.epoch == 3 and trainer.batch_in_epoch == 0
    trainer.clear_stop()
    assert [r.epoch for r in train(trainer)] == list(range(4, 11))
    reference = make_trainer(max_epochs=10)
    train(reference)
    np.testing.assert_array_equal(trainer.network.params, reference.network.params)


def test_a_worker_thread_stopped_anywhere_resumes_to_the_uninterrupted_result():
    """As the GUI does it: the loop runs on a worker, the stop comes from the main thread."""
    settings = dict(batch_size=1, shuffle=True, optimizer="nesterov", max_epochs=100)
    worker_trainer, reference = make_trainer(**settings), make_trainer(**settings)
    first_report, errors = threading.Event(), []

    def work():
        try:
            for _ in worker_trainer.epochs():
                first_report.set()
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            first_report.set()

    worker = threading.Thread(target=work)
    worker.start()
    assert first_report.wait(timeout=30)
    worker_trainer.request_stop()
    worker.join(timeout=30)
    assert not worker.is_alive() and errors == []
    assert 1 <= worker_trainer.epoch < 100  # stopped part-way, at whatever batch it reached
    worker_trainer.clear_stop()
    train(worker_trainer)
    train(reference)
    np.testing.assert_array_equal(worker_trainer.network.params, reference.network.params)


def test_abandoning_the_generator_keeps_the_trainer_resumable():
    trainer, reference = make_trainer(max_epochs=5), make_trainer(max_epochs=5)
    generator = trainer.epochs()
    next(generator)
    generator.close()
    assert trainer.epoch == 1
    assert [r.epoch for r in train(trainer)] == [2, 3, 4, 5]
    train(reference)
    np.testing.assert_array_equal(trainer.network.params, reference.network.params)


def test_step_batch_reports_each_batch_and_completes_the_epoch():
    trainer = make_trainer(batch_size=16, max_epochs=3)  # 40 rows: batches of 16, 16, 8
    assert trainer.n_batches == 3
    results = [trainer.step_batch() for _ in range(3)]
    assert [(b.epoch, b.batch, b.n_batches) for b, _ in results] == [(1, 1, 3), (1, 2, 3), (1, 3, 3)]
    assert results[0][1] is None and results[1][1] is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        results[0][0].loss = 0.0
    epoch_report = results[2][1]
    assert epoch_report.epoch == 1 and trainer.epoch == 1
    # the epoch's train_loss is the mean of its batch losses
    assert epoch_report.train_loss == pytest.approx(np.mean([b.loss for b, _ in results]), rel=1e-12)
    batch, _ = trainer.step_batch()
    assert (batch.epoch, batch.batch, trainer.batch_in_epoch) == (2, 1, 1)


def test_mixing_step_batch_and_epochs_equals_an_uninterrupted_run():
    stepped, reference = make_trainer(max_epochs=4), make_trainer(max_epochs=4)
    for _ in range(7):  # one epoch and two batches
        stepped.step_batch()
    assert [r.epoch for r in train(stepped)] == [2, 3, 4]
    train(reference)
    np.testing.assert_array_equal(stepped.network.params, reference.network.params)


def test_state_dict_round_trip_resumes_identically():
    settings = dict(optimizer="adam", shuffle=True, dropout=0.1, max_epochs=6)
    original = make_trainer(**settings)
    train(original, limit=3)
    state = original.state_dict()
    resumed = make_trainer(init_seed=99, **settings)  # other weights: all come from the state
    resumed.load_state_dict(state)
    assert resumed.epoch == 3
    train(original)
    assert [r.epoch for r in train(resumed)] == [4, 5, 6]
    np.testing.assert_array_equal(resumed.network.params, original.network.params)
    resumed.reset()  # the initial weights came with the state too
    original.reset()
    np.testing.assert_array_equal(resumed.network.params, original.network.params)


# -- divergence ------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_an_absurd_learning_rate_raises_training_diverged(dtype):
    trainer = make_trainer(dtype=dtype, optimizer="sgd", learning_rate=1e6)
    initial = trainer.network.params.copy()
    with pytest.raises(TrainingDiverged) as caught:
        train(trainer)
    message = str(caught.value)
    assert message.startswith(f"training diverged at epoch {caught.value.epoch}:")
    assert "Try a lower learning rate" in message and "1e+06" in message
    assert caught.value.epoch >= 1
    assert np.isfinite(trainer.network.params).all()
    if caught.value.epoch == 1:
        np.testing.assert_array_equal(trainer.network.params, initial)


def test_divergence_keeps_the_weights_of_the_last_good_epoch_and_training_can_go_on():
    trainer = make_trainer(optimizer="sgd", learning_rate=0.01, max_epochs=10)
    train(trainer, limit=2)
    good = trainer.network.params.copy()
    trainer.set_config(trainer.config.replace(learning_rate=1e50))
    with pytest.raises(TrainingDiverged, match=r"^training diverged at epoch 3: .*weights of epoch 2 are kept"):
        train(trainer)
    np.testing.assert_array_equal(trainer.network.params, good)
    assert trainer.epoch == 2 and trainer.batch_in_epoch == 0
    trainer.set_config(trainer.config.replace(learning_rate=0.01))
    assert [r.epoch for r in train(trainer)] == list(range(3, 11))


def test_diverging_sigmoid_classifier_raises_rather_than_warns():
    """bce clips its probabilities, so here the weights, not the loss, blow up first."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(64, 2)) * 1e3
    Y = (X[:, :1] > 0).astype(float)
    network = Network.create((2, 8, 1), ("tanh", "sigmoid"), seed=0)
    trainer = Trainer(network, "bce", X, Y, TrainConfig(learning_rate=1e30, optimizer="sgd", batch_size=8),
                      task="classification")
    with pytest.raises(TrainingDiverged, match="Try a lower learning rate"):
        train(trainer)
    assert np.isfinite(network.params).all()


# -- reset and re-initialise -----------------------------------------------------------------

def test_reset_returns_to_the_initial_weights_and_replays_the_same_run():
    trainer = make_trainer(shuffle=True, optimizer="momentum", max_epochs=5)
    initial = trainer.network.params.copy()
    first = train(trainer)
    after_first = trainer.network.params.copy()
    assert not np.array_equal(after_first, initial)
    trainer.reset()
    assert trainer.epoch == 0 and trainer.batch_in_epoch == 0
    np.testing.assert_array_equal(trainer.network.params, initial)
    second = train(trainer)
    np.testing.assert_array_equal(trainer.network.params, after_first)
    assert [r.train_loss for r in first] == [r.train_loss for r in second]


def test_reinitialising_with_a_new_seed_then_restarting_gives_new_initial_weights():
    trainer = make_trainer(max_epochs=3)
    old_initial = trainer.network.params.copy()
    train(trainer)
    trainer.network.initialize("glorot", seed=1234)
    new_initial = trainer.network.params.copy()
    assert not np.array_equal(new_initial, old_initial)
    trainer.restart_from_current()
    assert trainer.epoch == 0
    train(trainer)
    trainer.reset()
    np.testing.assert_array_equal(trainer.network.params, new_initial)


# -- reports ---------------------------------------------------------------------------------

def test_reports_are_frozen_and_their_arrays_read_only():
    trainer = make_trainer(diagnostics="always", max_epochs=2)
    report = next(trainer.epochs())
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.train_loss = 0.0
    arrays = [report.params, *report.neuron_delta, *report.neuron_abs_delta, *report.neuron_activation]
    for array in arrays:
        assert not array.flags.writeable
        with pytest.raises(ValueError):
            array[...] = 0.0
    snapshot = report.params.copy()
    train(trainer)  # later training does not reach into an old report
    np.testing.assert_array_equal(report.params, snapshot)
    assert not np.shares_memory(report.params, trainer.network.params)


def test_diagnostics_only_when_always_or_requested():
    on_request = make_trainer(max_epochs=4)
    assert next(on_request.epochs()).neuron_delta is None
    on_request.request_diagnostics()
    requested = next(on_request.epochs())
    assert requested.neuron_delta is not None and requested.params is not None
    following = next(on_request.epochs())
    assert following.neuron_abs_delta is None and following.neuron_delta is None and following.params is None

    never = make_trainer(diagnostics="never")
    never.request_diagnostics()
    assert all(r.neuron_delta is None and r.neuron_activation is None for r in train(never))

    always = train(make_trainer(diagnostics="always", max_epochs=3))
    assert all(r.neuron_delta is not None for r in always)
    # the gradient norms come with every report, asked for or not
    assert all(len(r.grad_norms) == 2 for r in train(make_trainer(diagnostics="never", max_epochs=3)))


@pytest.mark.parametrize("l2, clip_norm", [(0.0, 0.0), (0.5, 0.01)])
def test_gradient_norms_are_the_last_batch_s_as_backprop_gave_it(l2, clip_norm):
    """Per layer ‖dL/dW, dL/db‖ of the epoch's last batch at the weights it saw, before the
    L1/L2 term and clipping (which would hide a vanishing or exploding gradient)."""
    X, Y = regression_data()
    trainer = make_trainer(diagnostics="never", max_epochs=2, batch_size=16, shuffle=False,
                           l2=l2, clip_norm=clip_norm)
    next(trainer.epochs())
    network = trainer.network
    before_last = network.copy()
    for _ in range(2):  # batches of 16, 16 and 8 rows: the epoch's last batch is rows 32..39
        trainer.step_batch()
    before_last.params[...] = network.params
    report = next(trainer.epochs())
    _, grad = loss_and_gradient(before_last, "mse", X[32:], Y[32:])
    grad_w = [grad[:10], grad[10:15]]  # W1 (2×5), W2 (5×1)
    grad_b = [grad[15:20], grad[20:21]]
    expected = [np.sqrt(np.sum(w ** 2) + np.sum(b ** 2)) for w, b in zip(grad_w, grad_b)]
    np.testing.assert_allclose(report.grad_norms, expected, rtol=1e-10)


def test_diagnostics_are_the_activations_and_deltas_on_the_probe_rows():
    X, Y = regression_data()
    trainer = make_trainer(diagnostics="always", max_epochs=1)
    report = next(trainer.epochs())
    network = trainer.network
    np.testing.assert_array_equal(report.params, network.params)
    hidden = np.tanh(X @ network.weights[0] + network.biases[0])
    np.testing.assert_allclose(report.neuron_activation[0], hidden.mean(axis=0), rtol=1e-12)
    assert [a.shape for a in report.neuron_delta] == [(5,), (1,)]
    for signed, absolute in zip(report.neuron_delta, report.neuron_abs_delta):
        assert np.all(absolute >= np.abs(signed) - 1e-15)


def test_val_loss_is_the_loss_on_the_validation_split_after_the_epoch():
    trainer = make_trainer(validation=True, max_epochs=1)
    report = next(trainer.epochs())
    loss, metric = trainer.evaluate(trainer.X_val, trainer.Y_val)
    assert report.val_loss == pytest.approx(loss, rel=1e-12)
    assert report.val_metric == pytest.approx(metric, rel=1e-12)
    assert report.metric == report.val_metric and report.metric_name == "r2"
    no_split = next(make_trainer(max_epochs=1).epochs())
    assert no_split.val_loss is None and no_split.metric == no_split.train_metric


# -- numbers: dtype, batch sizes, biases, clipping, dropout, penalties -------------------------

def test_float32_by_default_and_float64_on_request():
    X, Y = regression_data()
    network = Network.create((2, 5, 1), ("tanh", "linear"))
    assert network.dtype == np.float32 and network.params.dtype == np.float32
    trainer = Trainer(network, "mse", X, Y, TrainConfig(max_epochs=2))
    assert trainer.X.dtype == np.float32
    train(trainer)
    assert network.params.dtype == np.float32 and network.forward(X).dtype == np.float32
    wide = make_trainer(dtype="float64", max_epochs=2)
    train(wide)
    assert wide.network.params.dtype == np.float64
    assert wide.network.forward(X).dtype == np.float64


def plain_gradient_descent(network, X, Y, learning_rate, batch_size, epochs):
    """Mini-batch gradient descent in file order, written with the gradient-check helper."""
    for _ in range(epochs):
        for start in range(0, len(X), batch_size):
            rows = slice(start, start + batch_size)
            _, grad = loss_and_gradient(network, "mse", X[rows], Y[rows])
            network.params[...] -= learning_rate * grad


@pytest.mark.parametrize("batch_size, n_batches", [(1, 40), (8, 5), (40, 1), (1000, 1)])
def test_batch_sizes_from_one_to_the_full_batch_are_plain_gradient_descent(batch_size, n_batches):
    X, Y = regression_data()
    trainer = make_trainer(optimizer="sgd", learning_rate=0.05, batch_size=batch_size,
                           shuffle=False, max_epochs=3)
    assert trainer.n_batches == n_batches
    reference = trainer.network.copy()
    train(trainer)
    plain_gradient_descent(reference, X, Y, 0.05, batch_size, epochs=3)
    np.testing.assert_allclose(trainer.network.params, reference.params, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_frozen_biases_stay_unchanged(optimizer):
    trainer = make_trainer(optimizer=optimizer, train_biases=False, l2=0.1, max_epochs=5)
    trainer.network.biases[0][...] = [0.1, -0.2, 0.3, -0.4, 0.5]
    trainer.restart_from_current()
    before = trainer.network.params.copy()
    train(trainer)
    n_w = trainer.network.n_weights
    np.testing.assert_array_equal(trainer.network.params[n_w:], before[n_w:])
    assert not np.array_equal(trainer.network.params[:n_w], before[:n_w])


def test_clip_norm_bounds_the_update():
    X, Y = regression_data()
    trainer = make_trainer(optimizer="sgd", learning_rate=0.1, batch_size=40, clip_norm=0.5, max_epochs=1)
    before = trainer.network.params.copy()
    _, grad = loss_and_gradient(trainer.network, "mse", X, Y)
    assert np.linalg.norm(grad) > 0.5  # so the clip acts
    train(trainer)
    step = trainer.network.params - before
    assert np.linalg.norm(step) == pytest.approx(0.1 * 0.5, rel=1e-12)
    np.testing.assert_allclose(step, -0.1 * 0.5 * grad / np.linalg.norm(grad), rtol=1e-10, atol=1e-15)
    loose = make_trainer(optimizer="sgd", learning_rate=0.1, batch_size=40, clip_norm=1e6, max_epochs=1)
    train(loose)
    np.testing.assert_allclose(loose.network.params - before, -0.1 * grad, rtol=1e-12, atol=1e-15)


def test_dropout_trains_and_is_deterministic_per_seed():
    def run(seed, dropout):
        trainer = make_trainer(hidden="relu", dropout=dropout, seed=seed, max_epochs=30, learning_rate=0.02)
        return trainer, train(trainer)

    first, reports = run(seed=5, dropout=0.3)
    assert reports[-1].train_loss < 0.5 * reports[0].train_loss
    assert reports[-1].train_metric > 0.7  # R², measured with dropout on: 5 units, 30% dropped
    again, _ = run(seed=5, dropout=0.3)
    np.testing.assert_array_equal(first.network.params, again.network.params)
    other_seed, _ = run(seed=6, dropout=0.3)
    assert not np.array_equal(first.network.params, other_seed.network.params)
    no_dropout, _ = run(seed=5, dropout=0.0)
    assert not np.array_equal(first.network.params, no_dropout.network.params)
    X, _ = regression_data()
    np.testing.assert_array_equal(first.network.forward(X), first.network.forward(X))  # no dropout at predict


def test_l2_is_weight_decay_on_the_weights_only():
    X, Y = regression_data()
    plain = make_trainer(optimizer="sgd", learning_rate=0.1, batch_size=40, max_epochs=1)
    decayed = make_trainer(optimizer="sgd", learning_rate=0.1, batch_size=40, max_epochs=1, l2=0.5)
    before = plain.network.params.copy()
    train(plain)
    train(decayed)
    n_w = plain.network.n_weights
    # one step: W ← W − η (g + λ W), biases as without L2
    np.testing.assert_allclose(decayed.network.params[:n_w],
                               plain.network.params[:n_w] - 0.1 * 0.5 * before[:n_w], rtol=1e-12)
    np.testing.assert_allclose(decayed.network.params[n_w:], plain.network.params[n_w:], rtol=1e-12)


def test_l1_pulls_each_weight_by_a_constant_towards_zero():
    plain = make_trainer(optimizer="sgd", learning_rate=0.1, batch_size=40, max_epochs=1)
    sparse = make_trainer(optimizer="sgd", learning_rate=0.1, batch_size=40, max_epochs=1, l1=0.2)
    before = plain.network.params.copy()
    train(plain)
    train(sparse)
    n_w = plain.network.n_weights
    np.testing.assert_allclose(sparse.network.params[:n_w],
                               plain.network.params[:n_w] - 0.1 * 0.2 * np.sign(before[:n_w]), rtol=1e-12)


def test_l2_shrinks_the_trained_weights():
    def weight_norm(l2):
        trainer = make_trainer(learning_rate=0.05, max_epochs=100, l2=l2)
        train(trainer)
        return np.linalg.norm(trainer.network.params[:trainer.network.n_weights])

    assert weight_norm(0.1) < 0.8 * weight_norm(0.0)


# -- changing the configuration --------------------------------------------------------------

def test_set_config_mid_run_keeps_weights_epoch_and_optimizer_state():
    changed, reference = make_trainer(optimizer="adam", max_epochs=6), make_trainer(optimizer="adam", max_epochs=6)
    train(changed, limit=3)
    weights = changed.network.params.copy()
    changed.set_config(changed.config.replace(learning_rate=0.01, max_epochs=6))  # same values
    np.testing.assert_array_equal(changed.network.params, weights)
    assert changed.epoch == 3
    assert [r.epoch for r in train(changed)] == [4, 5, 6]
    train(reference)  # Adam's moments and step count survived: bit-identical
    np.testing.assert_array_equal(changed.network.params, reference.network.params)


def test_set_config_with_a_new_learning_rate_takes_effect_at_once():
    trainer = make_trainer(optimizer="sgd", learning_rate=0.01, batch_size=40, shuffle=False, max_epochs=5)
    train(trainer, limit=2)
    trainer.set_config(trainer.config.replace(learning_rate=0.2, batch_size=20))
    assert trainer.n_batches == 2
    before = trainer.network.copy()
    train(trainer, limit=3)
    X, Y = regression_data()
    plain_gradient_descent(before, X, Y, 0.2, 20, epochs=1)
    np.testing.assert_allclose(trainer.network.params, before.params, rtol=1e-12)


def test_set_config_can_switch_optimizer_and_keep_the_weights():
    trainer = make_trainer(optimizer="adam", max_epochs=4)
    train(trainer, limit=2)
    weights = trainer.network.params.copy()
    trainer.set_config(trainer.config.replace(optimizer="rmsprop", rho=0.95))
    np.testing.assert_array_equal(trainer.network.params, weights)
    assert [r.epoch for r in train(trainer)] == [3, 4]


# -- readable objects and errors -------------------------------------------------------------

def test_reprs_read_like_the_architecture():
    assert repr(Network((2, 8, 1), ("tanh", "sigmoid"))) == "Network(2-8-1, tanh/sigmoid)"
    assert repr(Network((4, 16, 8, 3), ("relu", "relu", "softmax"))) == "Network(4-16-8-3, relu/softmax)"
    assert repr(Network((3, 5, 5, 2), ("elu", "tanh", "linear"))) == "Network(3-5-5-2, elu,tanh/linear)"
    assert repr(Network((2, 1), ("sigmoid",))) == "Network(2-1, sigmoid)"
    assert repr(make_trainer()) == "Trainer(Network(2-5-1, tanh/linear), mse, epoch 0)"


@pytest.mark.parametrize("settings, message", [
    (dict(learning_rate=0.0), "learning rate must be a positive number"),
    (dict(learning_rate=-0.1), "learning rate must be a positive number"),
    (dict(learning_rate=float("nan")), "learning rate must be a positive number"),
    (dict(optimizer="adagrad"), r"unknown optimizer 'adagrad' \(known: sgd"),
    (dict(momentum=1.0), r"momentum must be in \[0, 1\)"),
    (dict(beta2=1.0), "beta1 and beta2"),
    (dict(rho=-0.1), "rho"),
    (dict(eps=0.0), "eps must be positive"),
    (dict(batch_size=0), "batch size must be at least 1"),
    (dict(max_epochs=0), "epochs must be at least 1"),
    (dict(l2=-1.0), "L1 and L2 rates must not be negative"),
    (dict(dropout=1.0), r"dropout must be in \[0, 1\)"),
    (dict(clip_norm=-1.0), "clipping"),
    (dict(early_stopping=-2), "patience"),
])
def test_invalid_configs_raise_a_readable_value_error(settings, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**settings).validate()
    X, Y = regression_data()
    with pytest.raises(ValueError, match=message):
        Trainer(Network((2, 1), ("linear",)), "mse", X, Y, TrainConfig(**settings))
    trainer = make_trainer()
    with pytest.raises(ValueError, match=message):
        trainer.set_config(TrainConfig(**settings))


def test_config_round_trips_through_a_dict():
    config = TrainConfig(learning_rate=0.3, optimizer="nesterov", early_stopping=4, target_loss=0.01)
    assert TrainConfig.from_dict({**config.to_dict(), "unknown": 1}) == config
    assert config.replace(batch_size=1).batch_size == 1 and config.batch_size == 32


@pytest.mark.parametrize("output, loss, allowed", [
    ("softmax", "mse", "cross_entropy"),
    ("sigmoid", "cross_entropy", "bce, mse, half_sse"),
    ("linear", "bce", "mse, half_sse"),
    ("tanh", "cross_entropy", "mse, half_sse"),
])
def test_invalid_activation_loss_pairs_raise_a_readable_value_error(output, loss, allowed):
    network = Network((2, 3, 2), ("tanh", output))
    X, Y = np.zeros((4, 2)), np.zeros((4, 2))
    expected = rf"loss '{loss}' cannot follow a '{output}' output layer; use one of: {allowed}"
    with pytest.raises(ValueError, match=expected):
        Trainer(network, loss, X, Y)


@pytest.mark.parametrize("build, message", [
    (lambda: Network((2, 3, 1), ("softmax", "sigmoid")), "softmax is only available at the output layer"),
    (lambda: Network((2, 3, 1), ("tanh",)), "2 layers need 2 activations, got 1"),
    (lambda: Network((2, 3, 1), ("tanh", "swish")), "unknown activation 'swish'"),
    (lambda: Network((2, 0, 1), ("tanh", "linear")), "at least one unit"),
    (lambda: Network((2,), ()), "an input and an output layer"),
    (lambda: Network((2, 1), ("linear",), dtype="float16"), "dtype must be float32 or float64"),
    (lambda: Network.create((2, 1), ("linear",), init="orthogonal"), "unknown initialisation 'orthogonal'"),
    (lambda: Network((2, 1), ("linear",)).set_layers([np.zeros((3, 1))], [np.zeros(1)]),
     r"layer 1: expected weights \(2, 1\)"),
])
def test_invalid_networks_raise_a_readable_value_error(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_mismatched_data_raises_a_readable_value_error():
    network = Network((2, 3, 1), ("tanh", "linear"))
    with pytest.raises(ValueError, match=r"training inputs have shape \(4, 3\); the network takes 2 inputs"):
        Trainer(network, "mse", np.zeros((4, 3)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match=r"training targets have shape \(4, 2\); expected \(4, 1\)"):
        Trainer(network, "mse", np.zeros((4, 2)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"validation targets"):
        Trainer(network, "mse", np.zeros((4, 2)), np.zeros((4, 1)), X_val=np.zeros((2, 2)), Y_val=np.zeros((3, 1)))
    with pytest.raises(ValueError, match="no training rows"):
        Trainer(network, "mse", np.zeros((0, 2)), np.zeros((0, 1)))
    with pytest.raises(ValueError, match="unknown task 'clustering'"):
        Trainer(network, "mse", np.zeros((4, 2)), np.zeros((4, 1)), task="clustering")
    with pytest.raises(ValueError, match="diagnostics must be one of"):
        Trainer(network, "mse", np.zeros((4, 2)), np.zeros((4, 1)), diagnostics="sometimes")


@pytest.mark.parametrize("l1, l2", [(0.0, 0.3), (0.2, 0.0), (0.1, 0.05)])
def test_reported_losses_include_the_penalty(l1, l2):
    """DESIGN §3: L2 adds (λ/2)·ΣW² and L1 λ·Σ|W| to the loss; the training loss counts each
    batch's penalty at the weights that batch saw, the validation loss the penalty after the
    epoch. evaluate() stays the data term."""
    trainer = make_trainer(optimizer="sgd", learning_rate=0.05, batch_size=20, max_epochs=1,
                           shuffle=False, validation=True, l1=l1, l2=l2)
    plain = make_trainer(optimizer="sgd", learning_rate=0.05, batch_size=20, max_epochs=1,
                         shuffle=False, validation=True)
    network, n_w = trainer.network, trainer.network.n_weights
    X, Y = regression_data()
    expected_train = []
    for start in range(0, len(X), 20):  # each batch: data loss and penalty before its step
        weights = network.params[:n_w].copy()
        data_loss, _ = trainer.evaluate(X[start:start + 20], Y[start:start + 20])
        expected_train.append(data_loss + l1 * np.abs(weights).sum() + 0.5 * l2 * weights @ weights)
        trainer.step_batch()
    trainer.reset()
    (report,) = train(trainer)
    np.testing.assert_allclose(report.train_loss, np.mean(expected_train), rtol=1e-12)
    weights = network.params[:n_w]
    data_val, _ = trainer.evaluate(trainer.X_val, trainer.Y_val)
    np.testing.assert_allclose(report.val_loss, data_val + l1 * np.abs(weights).sum()
                               + 0.5 * l2 * weights @ weights, rtol=1e-12)
    (no_penalty,) = train(plain)
    assert report.train_loss > no_penalty.train_loss
