"""One-sample inspector: every number of one backpropagation step, for teaching.

``trace_sample`` runs a forward and a backward pass on a single sample and returns, per layer,
the net input z, the activation a, the delta dL/dz, the gradients dL/dW and dL/db, and the plain
gradient-descent update Δ = −η·dL/d(param) each parameter would get. The window's step-through
view is built on it; the classic 2-2-2 worked example reproduces its published numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bpgui.engine.backprop import Workspace
from bpgui.engine.losses import get_loss


@dataclass(frozen=True)
class LayerTrace:
    """One layer of one sample's step. Shapes: inputs (n_in,), vectors (n_out,), matrices (n_in, n_out)."""

    inputs: np.ndarray
    net_input: np.ndarray
    activation: np.ndarray
    delta: np.ndarray
    grad_weights: np.ndarray
    grad_biases: np.ndarray
    update_weights: np.ndarray
    update_biases: np.ndarray
    activation_name: str


@dataclass(frozen=True)
class SampleTrace:
    x: np.ndarray
    y: np.ndarray
    output: np.ndarray
    loss: float
    loss_name: str
    learning_rate: float
    layers: tuple[LayerTrace, ...]


def trace_sample(network, loss, x, y, learning_rate, train_biases=True):
    """Trace one gradient-descent step for sample ``x`` (n_inputs,) with target ``y`` (n_outputs,)."""
    loss = get_loss(loss) if isinstance(loss, str) else loss
    X = np.asarray(x, network.dtype).reshape(1, -1)
    Y = np.asarray(y, network.dtype).reshape(1, -1)
    workspace = Workspace(network, 1)
    output = workspace.forward(X).copy()
    value = workspace.loss_value(Y, loss)
    workspace.backward(Y, loss, train_biases)
    layers = []
    for l, (W, b) in enumerate(zip(network.weights, network.biases)):
        inputs = workspace.inputs[l][0].copy()
        grad_w = workspace.grad_weights[l].copy()
        grad_b = workspace.grad_biases[l].copy()
        layers.append(LayerTrace(
            inputs=inputs,
            net_input=inputs @ W + b,
            activation=workspace.layer_activations[l][0].copy(),
            delta=workspace.layer_deltas[l][0].copy(),
            grad_weights=grad_w,
            grad_biases=grad_b,
            update_weights=-learning_rate * grad_w,
            update_biases=-learning_rate * grad_b,
            activation_name=network.activations[l],
        ))
    return SampleTrace(X[0].copy(), Y[0].copy(), output[0], value, loss.name, float(learning_rate), tuple(layers))


def apply_trace(network, trace):
    """Apply the traced updates to ``network`` in place."""
    for W, b, layer in zip(network.weights, network.biases, trace.layers):
        W += layer.update_weights
        b += layer.update_biases
