"""The engine learns: XOR, three gaussian blobs and a smooth regression, from fixed seeds.

Each problem is one any working backpropagation solves; the thresholds are what a fixed seed
gives with room to spare, and two runs from the same seed must agree bit for bit.
"""

import numpy as np
import pytest

from bpgui.engine import OPTIMIZERS, Network, TrainConfig, Trainer, accuracy, r2_score

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=float)
XOR_LEARNING_RATES = {"sgd": 0.5, "momentum": 0.1, "nesterov": 0.1, "rmsprop": 0.01, "adam": 0.05}


def train_xor(optimizer="adam", seed=0, dtype="float32", epochs=500):
    network = Network.create((2, 8, 1), ("tanh", "sigmoid"), seed=seed, dtype=dtype)
    config = TrainConfig(learning_rate=XOR_LEARNING_RATES[optimizer], optimizer=optimizer,
                         batch_size=4, max_epochs=epochs, seed=seed)
    reports = list(Trainer(network, "bce", XOR_X, XOR_Y, config, task="classification").epochs())
    return network, reports


def three_blobs(n_samples=300, seed=0):
    """Three round gaussian clouds (σ = 0.7) around (0, 2), (−2, −1), (2, −1): one-hot targets."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
    labels = rng.integers(0, 3, n_samples)
    X = centres[labels] + rng.normal(scale=0.7, size=(n_samples, 2))
    return X, np.eye(3)[labels]


def smooth_surface(n_samples=300, seed=2):
    """y = sin(x₁) + 0.5 x₂² − 0.3 x₂ + noise (σ = 0.05) on [−2, 2]²."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, size=(n_samples, 2))
    y = np.sin(X[:, :1]) + 0.5 * X[:, 1:] ** 2 - 0.3 * X[:, 1:]
    return X, y + rng.normal(scale=0.05, size=y.shape)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_xor_is_learned_by_every_optimizer(optimizer):
    network, reports = train_xor(optimizer, dtype="float64")
    assert len(reports) == 500 and reports[-1].stop_reason == "max_epochs"
    assert reports[-1].train_metric == 1.0
    assert reports[-1].train_loss < 0.02 < reports[0].train_loss
    assert accuracy(network.forward(XOR_X), XOR_Y) == 1.0
    np.testing.assert_array_equal(network.forward(XOR_X).ravel() > 0.5, [False, True, True, False])


def test_xor_two_runs_are_bit_identical():
    first, first_reports = train_xor(seed=3)
    second, second_reports = train_xor(seed=3)
    assert first.dtype == np.float32
    np.testing.assert_array_equal(first.params, second.params)
    assert [r.train_loss for r in first_reports] == [r.train_loss for r in second_reports]
    other, _ = train_xor(seed=4)
    assert not np.array_equal(first.params, other.params)


def train_blobs(seed=1):
    X, Y = three_blobs()
    network = Network.create((2, 8, 3), ("tanh", "softmax"), seed=seed)
    config = TrainConfig(learning_rate=0.01, batch_size=16, max_epochs=50, seed=seed)
    trainer = Trainer(network, "cross_entropy", X[:200], Y[:200], config,
                      X_val=X[200:], Y_val=Y[200:], task="classification")
    return network, list(trainer.epochs())


def test_three_gaussian_blobs_with_softmax():
    network, reports = train_blobs()
    final = reports[-1]
    assert final.metric_name == "accuracy"
    assert final.train_metric >= 0.97 and final.val_metric >= 0.97
    assert final.val_loss < 0.1 < reports[0].val_loss
    X, Y = three_blobs()
    assert accuracy(network.forward(X[200:]), Y[200:]) == final.val_metric
    probabilities = network.forward(X)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-6)
    again, _ = train_blobs()
    np.testing.assert_array_equal(network.params, again.params)


def train_surface(seed=2):
    X, y = smooth_surface()
    network = Network.create((2, 16, 1), ("tanh", "linear"), seed=seed)
    config = TrainConfig(learning_rate=0.01, batch_size=16, max_epochs=200, seed=seed)
    trainer = Trainer(network, "mse", X[:200], y[:200], config,
                      X_val=X[200:], Y_val=y[200:], task="regression")
    return network, list(trainer.epochs())


def test_regression_reaches_a_high_r2():
    network, reports = train_surface()
    final = reports[-1]
    assert final.metric_name == "r2"
    assert final.train_metric > 0.98 and final.val_metric > 0.98
    assert reports[0].val_metric < 0.9
    X, y = smooth_surface()
    assert r2_score(network.forward(X[200:]), y[200:]) == pytest.approx(final.val_metric, rel=1e-6)
    again, _ = train_surface()
    np.testing.assert_array_equal(network.params, again.params)
