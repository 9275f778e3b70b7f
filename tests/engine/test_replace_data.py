"""New data while training runs (points drawn in the window): taken between epochs only."""

import threading

import numpy as np
import pytest

from bpgui.engine import Network, TrainConfig, Trainer


def data(n, seed):
    """A regression problem of ``n`` rows: X (n, 2), Y (n, 1)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    return X, X @ np.array([[1.0], [-2.0]]) + 0.3


def trainer_on(X, Y, seed=0, X_val=None, Y_val=None, task="regression", output="linear",
               loss="mse", **config):
    network = Network.create((2, 4, Y.shape[1]), ("tanh", output), seed=seed, dtype="float64")
    settings = dict(learning_rate=0.05, batch_size=8, max_epochs=50, optimizer="sgd", shuffle=False)
    return Trainer(network, loss, X, Y, TrainConfig(**{**settings, **config}), X_val=X_val,
                   Y_val=Y_val, task=task)


def test_new_data_is_taken_when_the_next_epoch_begins():
    (X_a, Y_a), (X_b, Y_b) = data(24, 0), data(13, 1)
    trainer = trainer_on(X_a, Y_a)
    list(trainer.epochs(2))
    trainer.replace_data(X_b, Y_b)
    assert trainer.has_pending_data and trainer.X.shape == (24, 2)  # not yet: between epochs
    after_two = trainer.network.params.copy()
    [report] = list(trainer.epochs(3))
    assert not trainer.has_pending_data
    np.testing.assert_array_equal(trainer.X, X_b)
    assert trainer.n_batches == 2  # 13 rows in batches of 8
    # the third epoch is exactly an epoch on the new data from the weights after two
    reference = trainer_on(X_b, Y_b)
    reference.network.params[...] = after_two
    [expected] = list(reference.epochs(1))
    np.testing.assert_array_equal(trainer.network.params, reference.network.params)
    assert report.train_loss == expected.train_loss and report.epoch == 3


def test_an_epoch_begun_finishes_on_the_data_it_began_with():
    (X_a, Y_a), (X_b, Y_b) = data(24, 0), data(40, 1)
    stepped, reference = trainer_on(X_a, Y_a), trainer_on(X_a, Y_a)
    stepped.step_batch()  # 1 of 3 batches
    stepped.replace_data(X_b, Y_b)
    with pytest.raises(RuntimeError, match="between epochs"):
        stepped.apply_pending_data()  # never mid-epoch, even when asked
    stepped.step_batch()
    _, report = stepped.step_batch()
    assert report is not None and report.epoch == 1
    [expected] = list(reference.epochs(1))
    np.testing.assert_array_equal(stepped.network.params, reference.network.params)
    assert report.train_loss == expected.train_loss
    assert stepped.has_pending_data and stepped.X.shape == (24, 2)
    batch, _ = stepped.step_batch()  # the second epoch begins: the new data now
    assert stepped.X.shape == (40, 2) and batch.n_batches == 5


def test_the_newest_data_wins_and_bad_arrays_change_nothing():
    (X_a, Y_a), (X_b, Y_b), (X_c, Y_c) = data(24, 0), data(10, 1), data(7, 2)
    trainer = trainer_on(X_a, Y_a)
    trainer.replace_data(X_b, Y_b)
    trainer.replace_data(X_c, Y_c)
    with pytest.raises(ValueError, match="the network takes 2 inputs"):
        trainer.replace_data(np.zeros((5, 3)), np.zeros((5, 1)))
    with pytest.raises(ValueError, match="no training rows"):
        trainer.replace_data(np.zeros((0, 2)), np.zeros((0, 1)))
    assert trainer.apply_pending_data()
    np.testing.assert_array_equal(trainer.X, X_c)
    assert not trainer.apply_pending_data()


def test_the_validation_split_comes_and_goes_with_the_data():
    (X_a, Y_a), (X_v, Y_v) = data(24, 0), data(6, 3)
    trainer = trainer_on(X_a, Y_a)
    assert next(trainer.epochs(1)).val_loss is None
    trainer.replace_data(X_a, Y_a, X_v, Y_v)
    report = next(trainer.epochs(2))
    assert report.val_loss == pytest.approx(trainer.evaluate(X_v, Y_v)[0])
    trainer.replace_data(X_a[:3], Y_a[:3], X_v[:0], Y_v[:0])  # no validation rows left
    report = next(trainer.epochs(3))
    assert report.val_loss is None and report.val_metric is None


@pytest.mark.parametrize("rows", [
    ([[0.5, 0.5]], [[1.0]]),  # one row
    ([[0.0, 0.0], [1.0, 1.0]], [[1.0], [1.0]]),  # one class only
])
def test_tiny_classification_data_trains_without_a_crash(rows):
    X, Y = np.array(rows[0]), np.array(rows[1])
    trainer = trainer_on(*data(10, 0)[:1], (data(10, 0)[1] > 0).astype(float), task="classification",
                         output="sigmoid", loss="bce")
    trainer.replace_data(X, Y)
    reports = list(trainer.epochs(5))
    assert len(reports) == 5 and all(np.isfinite(r.train_loss) for r in reports)
    assert trainer.n_batches == 1


def test_regression_on_equal_targets_scores_without_a_crash():
    trainer = trainer_on(*data(10, 0))
    trainer.replace_data(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[2.0], [2.0]]))
    report = next(trainer.epochs(1))
    assert np.isfinite(report.train_loss) and report.train_metric in (0.0, 1.0)


def test_data_replaced_from_another_thread_never_reaches_an_epoch_begun():
    """As the window does it: the loop runs on a worker, new data comes from the main thread.

    Every batch must run on the plan its epoch began with, and every epoch's rows must be
    one of the datasets given, whole."""
    datasets = [data(n, seed) for seed, n in enumerate((30, 9, 17, 41, 5, 23))]
    trainer = trainer_on(*datasets[0], batch_size=4, shuffle=True, max_epochs=100000)
    bind, seen, errors = trainer._batch_trainer, [], []

    def recording_batch_trainer():
        train_batch, plan = bind(), trainer._plan

        def train_and_record(index):
            seen.append((trainer.epoch, id(plan), id(trainer._plan), len(trainer.X)))
            train_batch(index)
        return train_and_record

    trainer._batch_trainer = recording_batch_trainer
    running = threading.Event()

    def work():
        try:
            for report in trainer.epochs():
                running.set()
                if trainer.stop_requested:
                    break
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            running.set()

    worker = threading.Thread(target=work)
    worker.start()
    assert running.wait(timeout=30)
    for X, Y in datasets[1:] * 20:
        trainer.replace_data(X, Y)
    last = len(datasets[-1][0])
    deadline = threading.Event()
    for _ in range(3000):  # until the last dataset is in use
        if len(trainer.X) == last and not trainer.has_pending_data:
            break
        deadline.wait(0.001)
    trainer.request_stop()
    worker.join(timeout=30)
    assert not worker.is_alive() and errors == []
    assert len(trainer.X) == last
    sizes = {len(X) for X, _ in datasets}
    by_epoch = {}
    for epoch, bound_plan, current_plan, n_rows in seen:
        assert bound_plan == current_plan  # never swapped under a running batch
        assert n_rows in sizes
        by_epoch.setdefault(epoch, set()).add((bound_plan, n_rows))
    assert all(len(used) == 1 for used in by_epoch.values())  # one dataset per epoch
    assert len({n for used in by_epoch.values() for _, n in used}) > 1  # the data did change
