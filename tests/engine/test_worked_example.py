"""The classic 2-2-2 worked example of DESIGN.md §3, through the Trainer and the inspector.

The network: inputs i1 = 0.05, i2 = 0.10; targets t1 = 0.01, t2 = 0.99; sigmoid everywhere;
half_sse; η = 0.5; biases frozen at b1 = 0.35 (hidden) and b2 = 0.60 (output).
Weight matrices are (n_in, n_out), so w1 (i1→h1) is W1[0, 0], w2 (i2→h1) W1[1, 0],
w3 (i1→h2) W1[0, 1], w4 (i2→h2) W1[1, 1]; likewise w5 (h1→o1) W2[0, 0], w6 (h2→o1) W2[1, 0],
w7 (h1→o2) W2[0, 1], w8 (h2→o2) W2[1, 1].

The expected numbers, worked by hand (σ(x) = 1 / (1 + e^−x), σ' = σ (1 − σ)):

forward
    net_h1 = 0.15·0.05 + 0.20·0.10 + 0.35 = 0.3775       out_h1 = σ(0.3775) = 0.593269992
    net_h2 = 0.25·0.05 + 0.30·0.10 + 0.35 = 0.3925       out_h2 = σ(0.3925) = 0.596884378
    net_o1 = 0.40·0.593269992 + 0.45·0.596884378 + 0.60 = 1.105905967
    out_o1 = σ(1.105905967) = 0.751365070
    net_o2 = 0.50·0.593269992 + 0.55·0.596884378 + 0.60 = 1.224921404
    out_o2 = σ(1.224921404) = 0.772928465
error
    E_o1 = ½ (0.01 − 0.751365070)² = 0.274811083
    E_o2 = ½ (0.99 − 0.772928465)² = 0.023560026
    E    = 0.298371109
output deltas  δ_o = (out_o − t) · out_o (1 − out_o)
    δ_o1 = 0.741365070 · 0.751365070 · 0.248634930 = 0.138498562
    δ_o2 = −0.217071535 · 0.772928465 · 0.227071535 = −0.038098237
hidden deltas  δ_h = (Σ_o δ_o w_ho) · out_h (1 − out_h)
    δ_h1 = (0.138498562·0.40 − 0.038098237·0.50) · 0.593269992 · 0.406730008 = 0.008771355
    δ_h2 = (0.138498562·0.45 − 0.038098237·0.55) · 0.596884378 · 0.403115622 = 0.009954255
gradients  dE/dw = δ(to) · out(from)
    dE/dw5 = 0.138498562 · 0.593269992 = 0.082167041    w5⁺ = 0.40 − 0.5 · 0.082167041 = 0.358916480
    dE/dw6 = 0.138498562 · 0.596884378 = 0.082667628    w6⁺ = 0.45 − 0.041333814 = 0.408666186
    dE/dw7 = −0.038098237 · 0.593269992 = −0.022602540  w7⁺ = 0.50 + 0.011301270 = 0.511301270
    dE/dw8 = −0.038098237 · 0.596884378 = −0.022740242  w8⁺ = 0.55 + 0.011370121 = 0.561370121
    dE/dw1 = 0.008771355 · 0.05 = 0.000438568            w1⁺ = 0.15 − 0.000219284 = 0.149780716
    dE/dw2 = 0.008771355 · 0.10 = 0.000877135            w2⁺ = 0.20 − 0.000438568 = 0.199561432
    dE/dw3 = 0.009954255 · 0.05 = 0.000497713            w3⁺ = 0.25 − 0.000248856 = 0.249751144
    dE/dw4 = 0.009954255 · 0.10 = 0.000995425            w4⁺ = 0.30 − 0.000497713 = 0.299502287
after the step, the same forward pass gives E = 0.291027774.
"""

import numpy as np
import pytest

from bpgui.engine import Network, TrainConfig, Trainer, apply_trace, trace_sample

X = np.array([[0.05, 0.10]])
Y = np.array([[0.01, 0.99]])
ERROR_BEFORE = 0.298371109
ERROR_AFTER = 0.291027774
# published w1..w8 after one step (DESIGN.md §3)
W_AFTER = [0.149780716, 0.19956143, 0.24975114, 0.29950229,
           0.35891648, 0.408666186, 0.511301270, 0.561370121]


def classic_network():
    hidden = [[0.15, 0.25],   # i1 → (h1, h2): w1, w3
              [0.20, 0.30]]   # i2 → (h1, h2): w2, w4
    output = [[0.40, 0.50],   # h1 → (o1, o2): w5, w7
              [0.45, 0.55]]   # h2 → (o1, o2): w6, w8
    return Network.from_layers([hidden, output], [[0.35, 0.35], [0.60, 0.60]],
                               ["sigmoid", "sigmoid"], dtype="float64")


def w1_to_w8(network):
    W1, W2 = network.weights
    return [W1[0, 0], W1[1, 0], W1[0, 1], W1[1, 1], W2[0, 0], W2[1, 0], W2[0, 1], W2[1, 1]]


def half_sse(network):
    return 0.5 * float(np.sum((network.forward(X) - Y) ** 2))


def test_the_network_is_built_as_the_textbook_draws_it():
    network = classic_network()
    assert repr(network) == "Network(2-2-2, sigmoid/sigmoid)"
    np.testing.assert_array_equal(w1_to_w8(network), [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55])
    assert half_sse(network) == pytest.approx(ERROR_BEFORE, abs=1e-9)


def test_one_trainer_step_reproduces_the_published_numbers():
    network = classic_network()
    config = TrainConfig(learning_rate=0.5, optimizer="sgd", batch_size=1, max_epochs=1,
                         shuffle=False, train_biases=False)
    trainer = Trainer(network, "half_sse", X, Y, config, task="regression")
    (report,) = list(trainer.epochs())
    assert report.epoch == 1 and report.stop_reason == "max_epochs"
    assert report.train_loss == pytest.approx(ERROR_BEFORE, abs=1e-9)  # measured before the update
    np.testing.assert_allclose(w1_to_w8(network), W_AFTER, rtol=0, atol=1e-8)
    np.testing.assert_array_equal(network.biases[0], [0.35, 0.35])
    np.testing.assert_array_equal(network.biases[1], [0.60, 0.60])
    loss_after, metric = trainer.evaluate(X, Y)
    assert loss_after == pytest.approx(ERROR_AFTER, abs=1e-9)
    assert metric is None  # R² of one row does not exist


def test_the_inspector_shows_every_intermediate_number():
    network = classic_network()
    trace = trace_sample(network, "half_sse", X[0], Y[0], learning_rate=0.5, train_biases=False)
    hidden, output = trace.layers
    assert trace.loss == pytest.approx(ERROR_BEFORE, abs=1e-9)
    assert trace.loss_name == "half_sse" and trace.learning_rate == 0.5
    np.testing.assert_array_equal(hidden.inputs, [0.05, 0.10])
    np.testing.assert_allclose(hidden.net_input, [0.3775, 0.3925], atol=1e-12)
    np.testing.assert_allclose(hidden.activation, [0.593269992, 0.596884378], atol=1e-9)
    np.testing.assert_allclose(output.inputs, hidden.activation, atol=0)
    np.testing.assert_allclose(output.net_input, [1.105905967, 1.224921404], atol=1e-9)
    np.testing.assert_allclose(output.activation, [0.751365070, 0.772928465], atol=1e-9)
    np.testing.assert_allclose(trace.output, output.activation, atol=0)
    np.testing.assert_allclose(output.delta, [0.138498562, -0.038098237], atol=1e-9)
    np.testing.assert_allclose(hidden.delta, [0.008771355, 0.009954255], atol=1e-9)
    # grad_weights[i, j] = dE/dW[i, j]: rows are the sending units
    np.testing.assert_allclose(output.grad_weights, [[0.082167041, -0.022602540],
                                                     [0.082667628, -0.022740242]], atol=1e-9)
    np.testing.assert_allclose(hidden.grad_weights, [[0.000438568, 0.000497713],
                                                     [0.000877135, 0.000995425]], atol=1e-9)
    np.testing.assert_allclose(output.update_weights, -0.5 * output.grad_weights, rtol=1e-15)
    np.testing.assert_array_equal(hidden.grad_biases, 0.0)
    np.testing.assert_array_equal(output.update_biases, 0.0)
    assert (hidden.activation_name, output.activation_name) == ("sigmoid", "sigmoid")


def test_applying_the_trace_gives_the_published_step():
    network = classic_network()
    trace = trace_sample(network, "half_sse", X[0], Y[0], learning_rate=0.5, train_biases=False)
    np.testing.assert_array_equal(w1_to_w8(network), [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55])
    apply_trace(network, trace)
    np.testing.assert_allclose(w1_to_w8(network), W_AFTER, rtol=0, atol=1e-8)
    np.testing.assert_array_equal(network.biases[0], [0.35, 0.35])
    assert half_sse(network) == pytest.approx(ERROR_AFTER, abs=1e-9)
    after = trace_sample(network, "half_sse", X[0], Y[0], learning_rate=0.5, train_biases=False)
    assert after.loss == pytest.approx(ERROR_AFTER, abs=1e-9)


def test_trace_and_trainer_agree_to_the_last_bit_of_float64():
    traced, trained = classic_network(), classic_network()
    apply_trace(traced, trace_sample(traced, "half_sse", X[0], Y[0], 0.5, train_biases=False))
    config = TrainConfig(learning_rate=0.5, optimizer="sgd", batch_size=1, max_epochs=1,
                         shuffle=False, train_biases=False)
    list(Trainer(trained, "half_sse", X, Y, config).epochs())
    np.testing.assert_allclose(traced.params, trained.params, rtol=1e-15, atol=1e-17)


def test_with_biases_trained_they_move_by_minus_eta_delta():
    network = classic_network()
    trace = trace_sample(network, "half_sse", X[0], Y[0], learning_rate=0.5)
    # dE/db = δ for one sample: b_o1⁺ = 0.60 − 0.5 · 0.138498562 = 0.530750719
    np.testing.assert_allclose(trace.layers[1].grad_biases, [0.138498562, -0.038098237], atol=1e-9)
    apply_trace(network, trace)
    np.testing.assert_allclose(network.biases[1], [0.530750719, 0.619049118], atol=1e-9)
    np.testing.assert_allclose(network.biases[0], [0.345614323, 0.345022873], atol=1e-9)
