"""Backpropagation against central finite differences (bpgui.engine.gradcheck), in float64.

Every valid output-activation × loss pair (losses.VALID_LOSSES) is combined with every hidden
activation, with and without L1/L2, on random shapes drawn from a seed per case.

The comparison: per parameter ``|analytic − numeric| ≤ 1e-6 · |numeric| + 1e-8``
and, over the whole vector, ``‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖) < 1e-6``. The
absolute floor is needed because central differences of a loss of order 1 carry a round-off
error of about 1e-16 / 1e-6 = 1e-10 in every entry, so a gradient entry of 1e-6 cannot be
measured to a relative 1e-6. A wrong derivative is off by far more (see the last tests).
"""

import zlib

import numpy as np
import pytest

from bpgui.engine import HIDDEN_ACTIVATIONS, VALID_LOSSES, Network
from bpgui.engine.activations import ACTIVATIONS, Tanh
from bpgui.engine.backprop import Workspace
from bpgui.engine.gradcheck import loss_and_gradient, max_relative_error, numerical_gradient

PAIRS = [(output, loss) for output, losses in VALID_LOSSES.items() for loss in losses]
PENALTIES = {"plain": (0.0, 0.0), "l1+l2": (0.003, 0.05)}
KINKED = ("relu", "leaky_relu", "elu")  # derivative jumps at z = 0
RTOL, ATOL, VECTOR_RTOL = 1e-6, 1e-8, 1e-6


def targets_for(loss, rng, n_samples, n_outputs):
    """Targets of the kind each loss expects: one-hot, 0/1 (and soft) labels, or real values."""
    if loss == "cross_entropy":
        return np.eye(n_outputs)[rng.integers(0, n_outputs, n_samples)]
    if loss == "bce":
        labels = rng.integers(0, 2, (n_samples, n_outputs)).astype(float)
        labels[0] = rng.uniform(size=n_outputs)  # soft labels are allowed too
        return labels
    return rng.normal(size=(n_samples, n_outputs))


def pre_activations(network, X):
    """Net inputs z of every non-input layer, recomputed with plain NumPy."""
    a, zs = X, []
    for W, b, key in zip(network.weights, network.biases, network.activations):
        z = a @ W + b
        zs.append(z)
        a = ACTIVATIONS[key](z)
    return zs


def clear_of_kinks(network, X, margin=1e-4):
    """True when no kinked layer has a net input within ``margin`` of 0."""
    return all(np.abs(z).min() > margin
               for z, key in zip(pre_activations(network, X), network.activations) if key in KINKED)


def alive(network, loss, X, Y):
    """False when every unit is dead (a relu output below zero): a zero gradient proves nothing."""
    return np.linalg.norm(loss_and_gradient(network, loss, X, Y)[1]) > 1e-3


def random_case(output, loss, hidden, seed):
    """A random network, inputs and targets, redrawn until clear of the kinks and not dead."""
    rng = np.random.default_rng(seed)
    for _ in range(50):
        n_hidden_layers = int(rng.integers(1, 3))
        n_outputs = int(rng.integers(2 if output == "softmax" else 1, 5))
        sizes = [int(rng.integers(1, 5))] + [int(rng.integers(2, 6)) for _ in range(n_hidden_layers)]
        sizes.append(n_outputs)
        activations = [hidden] * n_hidden_layers + [output]
        network = Network.create(sizes, activations, init="uniform", init_range=1.0,
                                 seed=int(rng.integers(2**31)), dtype="float64")
        n_samples = int(rng.integers(1, 7))
        X = rng.normal(size=(n_samples, sizes[0]))
        Y = targets_for(loss, rng, n_samples, n_outputs)
        if clear_of_kinks(network, X) and alive(network, loss, X, Y):
            return network, X, Y
    raise AssertionError("no kink-free, live case in 50 draws")


def case_seed(*words):
    return zlib.crc32("/".join(words).encode())


def assert_gradients_agree(analytic, numeric):
    np.testing.assert_allclose(analytic, numeric, rtol=RTOL, atol=ATOL)
    vector_error = np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric))
    assert vector_error < VECTOR_RTOL


@pytest.mark.parametrize("penalty", list(PENALTIES))
@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("output,loss", PAIRS)
def test_backprop_matches_finite_differences(output, loss, hidden, penalty):
    l1, l2 = PENALTIES[penalty]
    network, X, Y = random_case(output, loss, hidden, case_seed(output, loss, hidden, penalty))
    _, analytic = loss_and_gradient(network, loss, X, Y, l1, l2)
    numeric = numerical_gradient(network, loss, X, Y, l1, l2)
    assert np.linalg.norm(analytic) > 1e-3, "a vanishing gradient would prove nothing"
    assert_gradients_agree(analytic, numeric)


LOSS_FORMULAS = {  # DESIGN.md §3, written out directly; each averaged over the samples
    "mse": lambda p, y: np.mean((y - p) ** 2),
    "half_sse": lambda p, y: 0.5 * np.sum((y - p) ** 2) / len(y),
    "bce": lambda p, y: -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) / len(y),
    "cross_entropy": lambda p, y: -np.sum(y * np.log(p)) / len(y),
}


@pytest.mark.parametrize("output,loss", PAIRS)
def test_loss_value_matches_the_design_formula_with_penalty(output, loss):
    network, X, Y = random_case(output, loss, "tanh", case_seed("value", output, loss))
    l1, l2 = 0.02, 0.3
    value, _ = loss_and_gradient(network, loss, X, Y, l1, l2)
    y_hat = network.forward(X)
    W = np.concatenate([w.ravel() for w in network.weights])
    expected = LOSS_FORMULAS[loss](y_hat, Y) + l1 * np.abs(W).sum() + l2 / 2 * (W ** 2).sum()
    assert value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
def test_dropout_backward_matches_finite_differences_for_a_fixed_mask(hidden):
    network, X, Y = random_case("sigmoid", "bce", hidden, case_seed("dropout", hidden))
    X = np.repeat(X, 4, axis=0)  # more rows: some units dropped, some kept
    Y = np.repeat(Y, 4, axis=0)
    workspace = Workspace(network, len(X), dropout=0.4)

    def loss_with_mask_seed_5():
        workspace.forward(X, np.random.default_rng(5))  # the same mask on every call
        return workspace.loss_value(Y, "bce")

    loss_with_mask_seed_5()
    analytic = workspace.backward(Y, "bce").copy()
    numeric = np.zeros_like(analytic)
    params, eps = network.params, 1e-6
    for i in range(params.size):
        saved = params[i]
        params[i] = saved + eps
        plus = loss_with_mask_seed_5()
        params[i] = saved - eps
        minus = loss_with_mask_seed_5()
        params[i] = saved
        numeric[i] = (plus - minus) / (2 * eps)
    assert_gradients_agree(analytic, numeric)


def test_frozen_biases_get_zero_gradient_and_weights_the_full_one():
    network, X, Y = random_case("linear", "mse", "tanh", seed=11)
    workspace = Workspace(network, len(X))
    workspace.forward(X)
    frozen = workspace.backward(Y, "mse", train_biases=False).copy()
    _, full = loss_and_gradient(network, "mse", X, Y)
    n_w = network.n_weights
    np.testing.assert_array_equal(frozen[n_w:], 0.0)
    np.testing.assert_array_equal(frozen[:n_w], full[:n_w])


def test_float32_gradient_agrees_with_float64():
    network, X, Y = random_case("softmax", "cross_entropy", "elu", seed=12)
    _, grad64 = loss_and_gradient(network, "cross_entropy", X, Y)
    _, grad32 = loss_and_gradient(network.astype("float32"), "cross_entropy", X, Y)
    assert grad32.dtype == np.float32
    np.testing.assert_allclose(grad32, grad64, rtol=1e-4, atol=1e-6)


def test_gradient_check_catches_a_wrong_derivative(monkeypatch):
    """The check can fail: drop tanh's f'(z) factor and the error jumps far above tolerance."""
    network, X, Y = random_case("linear", "mse", "tanh", seed=13)
    assert max_relative_error(network, "mse", X, Y) < 1e-4
    monkeypatch.setattr(Tanh, "backward", lambda self, a, delta, scratch: None)
    assert max_relative_error(network, "mse", X, Y) > 1e-2
    _, analytic = loss_and_gradient(network, "mse", X, Y)
    with pytest.raises(AssertionError):
        assert_gradients_agree(analytic, numerical_gradient(network, "mse", X, Y))


def test_gradient_check_catches_a_wrong_penalty_gradient():
    network, X, Y = random_case("linear", "mse", "tanh", seed=14)
    _, with_l2 = loss_and_gradient(network, "mse", X, Y, l2=0.5)
    numeric_without = numerical_gradient(network, "mse", X, Y)
    with pytest.raises(AssertionError):
        assert_gradients_agree(with_l2, numeric_without)
