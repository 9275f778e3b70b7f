"""Every activation against an independent formula and its backward against central differences.

The engine computes each derivative from the activation's *output* (``backward(a, delta)``);
here the reference is the slope of the forward pass itself, measured elementwise with central
differences, so a wrong derivative formula cannot hide behind a matching wrong forward.
"""

import numpy as np
import pytest

from bpgui.engine.activations import (
    ACTIVATIONS, ELU_ALPHA, HIDDEN_ACTIVATIONS, LEAKY_SLOPE, OUTPUT_ACTIVATIONS, get_activation,
)

ELEMENTWISE = [name for name in ACTIVATIONS if name != "softmax"]

# Written out with plain NumPy, independently of the engine's in-place formulas.
REFERENCE_FORWARD = {
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
    "elu": lambda z: np.where(z > 0, z, ELU_ALPHA * (np.exp(z) - 1.0)),
    "linear": lambda z: z.copy(),
}


def random_net_inputs(seed, shape=(6, 5), kink_margin=1e-3):
    """Standard-normal z with no entry within ``kink_margin`` of 0 (relu, leaky_relu, elu kink)."""
    z = np.random.default_rng(seed).normal(size=shape)
    return np.where(np.abs(z) < kink_margin, 0.5, z)


def backward_from_output(activation, z):
    """f'(z) as the engine computes it: ``backward`` on the forward output with delta = 1."""
    a = activation(z)
    delta = np.ones_like(z)
    activation.backward(a, delta, np.empty_like(z))
    return delta


def test_registries_hold_every_key_of_the_design():
    assert set(ACTIVATIONS) == {"sigmoid", "tanh", "relu", "leaky_relu", "elu", "linear", "softmax"}
    assert "softmax" not in HIDDEN_ACTIVATIONS
    assert set(OUTPUT_ACTIVATIONS) <= set(ACTIVATIONS)
    for key, activation in ACTIVATIONS.items():
        assert activation.name == key


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_forward_matches_the_textbook_formula(name):
    z = random_net_inputs(seed=1) * 3.0
    np.testing.assert_allclose(ACTIVATIONS[name](z), REFERENCE_FORWARD[name](z), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_forward_in_place_equals_out_of_place(name):
    activation = ACTIVATIONS[name]
    z = random_net_inputs(seed=2)
    expected = activation(z)
    activation.forward(z, z, np.empty_like(z))  # out is z itself, as the workspace does
    np.testing.assert_array_equal(z, expected)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_forward_keeps_dtype(name, dtype):
    z = random_net_inputs(seed=3).astype(dtype)
    assert ACTIVATIONS[name](z).dtype == np.dtype(dtype)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_backward_from_output_matches_central_differences(name):
    activation = ACTIVATIONS[name]
    z = random_net_inputs(seed=4, kink_margin=1e-3) * 2.0
    h = 1e-6
    numeric = (activation(z + h) - activation(z - h)) / (2 * h)
    np.testing.assert_allclose(backward_from_output(activation, z), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_backward_multiplies_the_incoming_delta(name):
    activation = ACTIVATIONS[name]
    z = random_net_inputs(seed=5)
    incoming = np.random.default_rng(6).normal(size=z.shape)
    delta = incoming.copy()
    activation.backward(activation(z), delta, np.empty_like(z))
    np.testing.assert_allclose(delta, incoming * backward_from_output(activation, z), rtol=1e-14)


def test_derivatives_at_known_points():
    z = np.array([[-2.0, -0.5, 0.5, 2.0]])
    sig = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(backward_from_output(ACTIVATIONS["sigmoid"], z), sig * (1 - sig))
    np.testing.assert_allclose(backward_from_output(ACTIVATIONS["tanh"], z), 1 - np.tanh(z) ** 2)
    np.testing.assert_array_equal(backward_from_output(ACTIVATIONS["relu"], z), [[0, 0, 1, 1]])
    np.testing.assert_allclose(backward_from_output(ACTIVATIONS["leaky_relu"], z),
                               [[0.01, 0.01, 1, 1]], rtol=1e-15)
    np.testing.assert_allclose(backward_from_output(ACTIVATIONS["elu"], z),
                               [[np.exp(-2.0), np.exp(-0.5), 1, 1]], rtol=1e-14)
    np.testing.assert_array_equal(backward_from_output(ACTIVATIONS["linear"], z), np.ones_like(z))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sigmoid_saturates_without_overflow(dtype):
    z = np.array([[-1000.0, -50.0, 0.0, 50.0, 1000.0]], dtype=dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = ACTIVATIONS["sigmoid"](z)
    assert a[0, 0] == 0.0 and a[0, -1] == 1.0 and a[0, 2] == 0.5
    assert np.all(np.isfinite(a))


def test_softmax_rows_are_probabilities_and_shift_invariant():
    softmax = ACTIVATIONS["softmax"]
    z = random_net_inputs(seed=7, shape=(5, 4)) * 3
    p = softmax(z)
    reference = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(p, reference, rtol=1e-13)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(softmax(z + 123.0), p, rtol=1e-12)


def test_softmax_huge_inputs_do_not_overflow():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = ACTIVATIONS["softmax"](np.array([[1000.0, 0.0, -1000.0], [800.0, 800.0, 0.0]]))
    np.testing.assert_allclose(p, [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]], atol=1e-300)


@pytest.mark.parametrize("seed", range(4))
def test_softmax_jacobian_vector_product(seed):
    """backward(a, v) = J v with J = diag(a) − a aᵀ (symmetric), against central differences."""
    softmax = ACTIVATIONS["softmax"]
    rng = np.random.default_rng(seed)
    z, v = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    h = 1e-6
    numeric = (softmax(z + h * v) - softmax(z - h * v)) / (2 * h)  # row-wise J v
    jvp = v.copy()
    softmax.backward(softmax(z), jvp, np.empty_like(z))
    np.testing.assert_allclose(jvp, numeric, rtol=1e-6, atol=1e-10)
    a = softmax(z)
    explicit = np.einsum("ni,nij->nj", v, np.einsum("ni,ij->nij", a, np.eye(5)) - a[:, :, None] * a[:, None, :])
    np.testing.assert_allclose(jvp, explicit, rtol=1e-12, atol=1e-15)


def test_unknown_activation_is_a_readable_value_error():
    with pytest.raises(ValueError, match=r"unknown activation 'swish' \(known: sigmoid, tanh"):
        get_activation("swish")
