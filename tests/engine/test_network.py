"""The network's parameter layout, forward pass, initialisers, output pairing and metrics."""

import numpy as np
import pytest

from bpgui.engine import INITIALIZERS, Network, accuracy, check_pair, r2_score, resolve_output
from bpgui.engine.metrics import predicted_labels


def test_weights_and_biases_are_views_into_one_flat_buffer():
    network = Network((3, 4, 2), ("tanh", "linear"), dtype="float64")
    assert network.params.shape == (3 * 4 + 4 * 2 + 4 + 2,) and network.n_weights == 20
    assert [w.shape for w in network.weights] == [(3, 4), (4, 2)]
    assert [b.shape for b in network.biases] == [(4,), (2,)]
    network.params[...] = np.arange(26.0)
    np.testing.assert_array_equal(network.weights[0], np.arange(12.0).reshape(3, 4))
    np.testing.assert_array_equal(network.weights[1], np.arange(12.0, 20.0).reshape(4, 2))
    np.testing.assert_array_equal(network.biases[0], [20, 21, 22, 23])
    np.testing.assert_array_equal(network.biases[1], [24, 25])
    network.weights[1][...] = -1.0  # writing through a view writes the flat buffer
    np.testing.assert_array_equal(network.params[12:20], -1.0)


def test_forward_is_act_of_a_times_w_plus_b_layer_by_layer():
    network = Network.create((3, 4, 2), ("relu", "softmax"), init="uniform", seed=3, dtype="float64")
    X = np.random.default_rng(0).normal(size=(5, 3))
    hidden = np.maximum(X @ network.weights[0] + network.biases[0], 0.0)
    z = hidden @ network.weights[1] + network.biases[1]
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(network.forward(X), expected, rtol=1e-13)
    outputs = network.layer_outputs(X)
    assert len(outputs) == 3
    np.testing.assert_array_equal(outputs[0], X)
    np.testing.assert_allclose(outputs[1], hidden, rtol=1e-14)
    np.testing.assert_array_equal(outputs[2], network.forward(X))
    assert network.predict(X).shape == (5, 2)


def test_forward_rejects_inputs_of_the_wrong_width():
    network = Network((3, 1), ("linear",))
    with pytest.raises(ValueError, match=r"expected input of shape \(n, 3\), got \(4, 2\)"):
        network.forward(np.zeros((4, 2)))


def test_from_layers_copy_and_astype():
    weights = [np.array([[1.0, 2.0]]), np.array([[3.0], [4.0]])]
    network = Network.from_layers(weights, [[0.5, -0.5], [0.25]], ["tanh", "sigmoid"], dtype="float64")
    assert network.sizes == (1, 2, 1) and repr(network) == "Network(1-2-1, tanh/sigmoid)"
    np.testing.assert_array_equal(network.params, [1, 2, 3, 4, 0.5, -0.5, 0.25])
    clone = network.copy()
    clone.params[0] = 99.0
    assert network.params[0] == 1.0
    narrow = network.astype("float32")
    assert narrow.dtype == np.float32 and narrow.params.dtype == np.float32
    np.testing.assert_array_equal(narrow.params, network.params.astype(np.float32))


@pytest.mark.parametrize("init", list(INITIALIZERS))
def test_initialisation_is_seeded(init):
    first = Network.create((4, 6, 3), ("tanh", "linear"), init=init, seed=7)
    again = Network.create((4, 6, 3), ("tanh", "linear"), init=init, seed=7)
    other = Network.create((4, 6, 3), ("tanh", "linear"), init=init, seed=8)
    np.testing.assert_array_equal(first.params, again.params)
    assert not np.array_equal(first.params, other.params)
    first.initialize(init, seed=8)
    np.testing.assert_array_equal(first.params, other.params)


def test_initialisers_follow_their_papers():
    glorot = Network.create((30, 50, 20), ("tanh", "linear"), init="glorot", seed=0, dtype="float64")
    for W in glorot.weights:
        limit = np.sqrt(6.0 / (W.shape[0] + W.shape[1]))
        assert np.abs(W).max() <= limit and np.abs(W).max() > 0.9 * limit
    np.testing.assert_array_equal(glorot.params[glorot.n_weights:], 0.0)
    he = Network.create((400, 300, 1), ("relu", "linear"), init="he", seed=0, dtype="float64")
    assert he.weights[0].std() == pytest.approx(np.sqrt(2.0 / 400), rel=0.02)
    uniform = Network.create((10, 10, 10), ("tanh", "linear"), init="uniform", init_range=0.3, seed=0)
    assert np.abs(uniform.params).max() <= 0.3
    assert np.abs(uniform.params[uniform.n_weights:]).max() > 0.0  # biases drawn too


@pytest.mark.parametrize("task, n_classes, n_targets, activation, loss, expected", [
    ("classification", 2, 1, "auto", "auto", (1, "sigmoid", "bce")),
    ("classification", 3, 1, "auto", "auto", (3, "softmax", "cross_entropy")),
    ("classification", 2, 1, "softmax", "auto", (2, "softmax", "cross_entropy")),
    ("classification", 2, 1, "auto", "cross_entropy", (2, "softmax", "cross_entropy")),
    ("classification", 4, 1, "sigmoid", "auto", (4, "sigmoid", "bce")),
    ("classification", 2, 1, "sigmoid", "mse", (1, "sigmoid", "mse")),
    ("regression", 0, 1, "auto", "auto", (1, "linear", "mse")),
    ("regression", 0, 3, "auto", "half_sse", (3, "linear", "half_sse")),
    ("regression", 0, 1, "sigmoid", "auto", (1, "sigmoid", "mse")),
    ("regression", 0, 2, "tanh", "auto", (2, "tanh", "mse")),
])
def test_resolve_output_pairs_the_output_layer_with_its_loss(task, n_classes, n_targets, activation, loss, expected):
    assert resolve_output(task, n_classes, n_targets, activation, loss) == expected


@pytest.mark.parametrize("args, message", [
    (("classification", 1), "classification needs at least 2 classes, found 1"),
    (("classification", 3, 1, "linear"), "a 'linear' output cannot give class probabilities"),
    (("classification", 3, 1, "softmax", "mse"), "loss 'mse' cannot follow a 'softmax' output layer"),
    (("regression", 0, 1, "auto", "bce"), "cannot follow a 'linear' output layer"),
    (("regression", 0, 1, "sigmoid", "bce"), "loss 'bce' is for classification; use mse or half_sse"),
    (("clustering",), "unknown task 'clustering'"),
])
def test_resolve_output_refuses_what_cannot_work(args, message):
    with pytest.raises(ValueError, match=message):
        resolve_output(*args)


def test_check_pair_names_unknown_keys():
    check_pair("sigmoid", "bce")
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        check_pair("gelu", "mse")
    with pytest.raises(ValueError, match=r"unknown loss 'hinge' \(known: mse, half_sse, bce, cross_entropy\)"):
        check_pair("linear", "hinge")


def test_accuracy_and_predicted_labels():
    one_unit = np.array([[0.2], [0.7], [0.5], [0.9]])
    np.testing.assert_array_equal(predicted_labels(one_unit), [0, 1, 0, 1])
    assert accuracy(one_unit, np.array([[0], [1], [1], [1]])) == 0.75
    softmax = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
    assert accuracy(softmax, np.array([[0, 1, 0], [0, 0, 1]])) == 0.5
    assert accuracy(np.zeros((0, 2)), np.zeros((0, 2))) is None


def test_r2_averages_over_targets_and_needs_two_rows():
    Y = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])
    perfect_and_mean = np.array([[1.0, 20.0], [2.0, 20.0], [3.0, 20.0]])  # R² 1 and 0
    assert r2_score(perfect_and_mean, Y) == pytest.approx(0.5)
    # R² = 1 − SS_res / SS_tot = 1 − (0.25 + 0 + 0.25) / 2 = 0.75 for the first column alone
    assert r2_score(np.array([[1.5], [2.0], [2.5]]), Y[:, :1]) == pytest.approx(0.75)
    assert r2_score(np.array([[1.0]]), np.array([[2.0]])) is None
    constant = np.array([[4.0], [4.0]])
    assert r2_score(constant, constant) == 1.0 and r2_score(constant + 1, constant) == 0.0
