"""Each optimiser's first three steps against the arithmetic written out by hand.

One tiny case for all of them: two parameters p₀ = (1, −2), learning rate η = 0.1 and the
gradients g₁ = (0.5, −1), g₂ = (0.25, 2), g₃ = (−1, 0.5). The expected values below are the
update rules worked through with these numbers, not calls into the engine.
"""

import numpy as np
import pytest

from bpgui.engine import OPTIMIZERS, make_optimizer

P0 = (1.0, -2.0)
GRADS = [(0.5, -1.0), (0.25, 2.0), (-1.0, 0.5)]
LR = 0.1
SQRT = np.sqrt


def run_steps(name, n_steps=3, dtype="float64", **hyperparameters):
    """Return the optimiser and the parameters after each of the first ``n_steps`` steps."""
    optimizer = make_optimizer(name, 2, dtype, learning_rate=LR, **hyperparameters)
    params = np.array(P0, dtype=dtype)
    history = []
    for g in GRADS[:n_steps]:
        optimizer.step(params, np.array(g, dtype=dtype))
        history.append(params.copy())
    return optimizer, history


def test_sgd_three_steps():
    # p ← p − η g
    expected = [
        (1.0 - 0.05, -2.0 + 0.1),        # (0.95, −1.9)
        (0.95 - 0.025, -1.9 - 0.2),      # (0.925, −2.1)
        (0.925 + 0.1, -2.1 - 0.05),      # (1.025, −2.15)
    ]
    _, history = run_steps("sgd")
    np.testing.assert_allclose(history, expected, rtol=1e-15)


def test_momentum_three_steps():
    # v ← 0.9 v − η g;  p ← p + v
    # v₁ = (−0.05, 0.1)                                       p₁ = (0.95, −1.9)
    # v₂ = (−0.045 − 0.025, 0.09 − 0.2) = (−0.07, −0.11)      p₂ = (0.88, −2.01)
    # v₃ = (−0.063 + 0.1, −0.099 − 0.05) = (0.037, −0.149)    p₃ = (0.917, −2.159)
    optimizer, history = run_steps("momentum", momentum=0.9)
    np.testing.assert_allclose(history, [(0.95, -1.9), (0.88, -2.01), (0.917, -2.159)], rtol=1e-14)
    np.testing.assert_allclose(optimizer.state_dict()["velocity"], (0.037, -0.149), rtol=1e-13)


def test_nesterov_three_steps():
    # v ← 0.9 v − η g (as momentum);  p ← p + 0.9 v − η g with the new v
    # p₁ = (1 − 0.045 − 0.05, −2 + 0.09 + 0.1)          = (0.905, −1.81)
    # p₂ = (0.905 − 0.063 − 0.025, −1.81 − 0.099 − 0.2) = (0.817, −2.109)
    # p₃ = (0.817 + 0.0333 + 0.1, −2.109 − 0.1341 − 0.05) = (0.9503, −2.2931)
    _, history = run_steps("nesterov", momentum=0.9)
    np.testing.assert_allclose(history, [(0.905, -1.81), (0.817, -2.109), (0.9503, -2.2931)], rtol=1e-13)


def test_rmsprop_three_steps():
    # s ← 0.9 s + 0.1 g²;  p ← p − η g / (√s + ε), ε = 1e-8
    # s₁ = (0.025, 0.1);  s₂ = (0.0225 + 0.00625, 0.09 + 0.4) = (0.02875, 0.49)
    # s₃ = (0.025875 + 0.1, 0.441 + 0.025) = (0.125875, 0.466)
    eps = 1e-8
    p1 = (1.0 - 0.1 * 0.5 / (SQRT(0.025) + eps), -2.0 + 0.1 * 1.0 / (SQRT(0.1) + eps))
    p2 = (p1[0] - 0.1 * 0.25 / (SQRT(0.02875) + eps), p1[1] - 0.1 * 2.0 / (0.7 + eps))
    p3 = (p2[0] + 0.1 * 1.0 / (SQRT(0.125875) + eps), p2[1] - 0.1 * 0.5 / (SQRT(0.466) + eps))
    optimizer, history = run_steps("rmsprop", rho=0.9, eps=eps)
    np.testing.assert_allclose(history, [p1, p2, p3], rtol=1e-13)
    np.testing.assert_allclose(optimizer.state_dict()["square_avg"], (0.125875, 0.466), rtol=1e-13)
    # the first step moves each parameter by η/√0.1 ≈ 0.316 (up to ε), whatever the gradient's size
    np.testing.assert_allclose(history[0], (1.0 - 0.316227766, -2.0 + 0.316227766), atol=1e-7)


def test_adam_three_steps():
    # m ← 0.9 m + 0.1 g;  v ← 0.999 v + 0.001 g²;  p ← p − η (m / (1 − 0.9ᵗ)) / (√(v / (1 − 0.999ᵗ)) + ε)
    # m₁ = (0.05, −0.1),   v₁ = (0.00025, 0.001);     m̂₁ = (0.5, −1), v̂₁ = (0.25, 1)
    # m₂ = (0.045 + 0.025, −0.09 + 0.2) = (0.07, 0.11)
    # v₂ = (0.00024975 + 0.0000625, 0.000999 + 0.004) = (0.00031225, 0.004999)
    # m₃ = (0.063 − 0.1, 0.099 + 0.05) = (−0.037, 0.149)
    # v₃ = (0.00031193775 + 0.001, 0.004994001 + 0.00025) = (0.00131193775, 0.005244001)
    # bias corrections: 1 − 0.9 = 0.1, 1 − 0.81 = 0.19, 1 − 0.729 = 0.271;
    #                   1 − 0.999 = 0.001, 1 − 0.998001 = 0.001999, 1 − 0.997002999 = 0.002997001
    eps = 1e-8
    p1 = (1.0 - 0.1 * 0.5 / (0.5 + eps), -2.0 + 0.1 * 1.0 / (1.0 + eps))  # ≈ (0.9, −1.9)
    p2 = tuple(p - 0.1 * (m / 0.19) / (SQRT(v / 0.001999) + eps)
               for p, m, v in zip(p1, (0.07, 0.11), (0.00031225, 0.004999)))
    p3 = tuple(p - 0.1 * (m / 0.271) / (SQRT(v / 0.002997001) + eps)
               for p, m, v in zip(p2, (-0.037, 0.149), (0.00131193775, 0.005244001)))
    optimizer, history = run_steps("adam", beta1=0.9, beta2=0.999, eps=eps)
    np.testing.assert_allclose(history, [p1, p2, p3], rtol=1e-12)
    state = optimizer.state_dict()
    assert state["t"] == 3
    np.testing.assert_allclose(state["m"], (-0.037, 0.149), rtol=1e-13)
    np.testing.assert_allclose(state["v"], (0.00131193775, 0.005244001), rtol=1e-13)


def test_defaults_are_the_usual_ones():
    assert make_optimizer("momentum", 1, "float64").momentum == 0.9
    adam = make_optimizer("adam", 1, "float64")
    assert (adam.learning_rate, adam.beta1, adam.beta2, adam.eps) == (0.01, 0.9, 0.999, 1e-8)
    rmsprop = make_optimizer("rmsprop", 1, "float64")
    assert (rmsprop.rho, rmsprop.eps) == (0.9, 1e-8)
    assert repr(adam) == "Adam(learning_rate=0.01, beta1=0.9, beta2=0.999, eps=1e-08)"


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_state_dict_round_trip_resumes_identically(name):
    original, _ = run_steps(name, n_steps=2)
    params = np.array([0.3, -0.7])
    saved = original.state_dict()
    resumed = make_optimizer(name, 2, "float64", learning_rate=LR)
    resumed.load_state_dict(saved)
    saved_copy = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in saved.items()}
    a, b = params.copy(), params.copy()
    for g in [GRADS[2], GRADS[0], GRADS[1]]:
        original.step(a, np.array(g))
        resumed.step(b, np.array(g))
    np.testing.assert_array_equal(a, b)
    for key, value in saved_copy.items():  # the saved dict is a copy, untouched by later steps
        np.testing.assert_array_equal(saved[key], value)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_reset_forgets_the_state(name):
    optimizer, _ = run_steps(name)
    optimizer.reset()
    fresh = make_optimizer(name, 2, "float64", learning_rate=LR)
    a, b = np.array(P0), np.array(P0)
    optimizer.step(a, np.array(GRADS[0]))
    fresh.step(b, np.array(GRADS[0]))
    np.testing.assert_array_equal(a, b)


def test_set_hyperparameters_keeps_the_momentum_state():
    optimizer, history = run_steps("momentum", n_steps=2, momentum=0.9)
    optimizer.set_hyperparameters(learning_rate=0.2, beta1=0.5)  # beta1: another optimiser's
    assert optimizer.learning_rate == 0.2 and not hasattr(optimizer, "beta1")
    np.testing.assert_allclose(optimizer.state_dict()["velocity"], (-0.07, -0.11), rtol=1e-14)
    params = history[-1].copy()  # (0.88, −2.01)
    optimizer.step(params, np.array(GRADS[2]))
    # v₃ = 0.9 (−0.07, −0.11) − 0.2 (−1, 0.5) = (0.137, −0.199);  p₃ = (1.017, −2.209)
    np.testing.assert_allclose(params, (1.017, -2.209), rtol=1e-14)


def test_set_hyperparameters_keeps_adams_step_count():
    optimizer, _ = run_steps("adam", n_steps=2)
    before = optimizer.state_dict()
    optimizer.set_hyperparameters(learning_rate=0.5, beta2=0.99, momentum=0.3)
    after = optimizer.state_dict()
    assert after["t"] == 2 and optimizer.beta2 == 0.99
    np.testing.assert_array_equal(after["m"], before["m"])
    np.testing.assert_array_equal(after["v"], before["v"])


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_float32_state_stays_float32(name):
    optimizer, history = run_steps(name, dtype="float32")
    assert history[-1].dtype == np.float32
    _, history64 = run_steps(name)
    np.testing.assert_allclose(history[-1], history64[-1], rtol=1e-5)
    for key, value in optimizer.state_dict().items():
        if key not in ("t", "learning_rate"):
            assert value.dtype == np.float32


def test_unknown_optimizer_is_a_readable_value_error():
    with pytest.raises(ValueError, match=r"unknown optimizer 'adagrad' \(known: sgd, momentum, nesterov, rmsprop, adam\)"):
        make_optimizer("adagrad", 2, "float64")


@pytest.mark.parametrize("name", list(OPTIMIZERS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_set_learning_rate_steps_as_a_new_optimiser_at_that_rate_would(name, dtype):
    changed, _ = run_steps(name, n_steps=2, dtype=dtype)
    rebuilt, _ = run_steps(name, n_steps=2, dtype=dtype)
    changed.set_learning_rate(0.037)
    rebuilt.learning_rate = 0.037  # the full refresh of every constant
    a, b = np.array(P0, dtype), np.array(P0, dtype)
    changed.step(a, np.array(GRADS[2], dtype))
    rebuilt.step(b, np.array(GRADS[2], dtype))
    np.testing.assert_array_equal(a, b)
    assert changed.state_dict()["learning_rate"] == 0.037
    changed.set_learning_rate(1e300)  # beyond float32: inf, as the full refresh makes it
    assert changed.learning_rate == 1e300
