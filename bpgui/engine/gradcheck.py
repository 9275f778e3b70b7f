"""Gradient check: backpropagation against central finite differences.

Used by the tests to prove the calculus for every activation and loss; also handy from a
shell when a new activation is added.
"""

from __future__ import annotations

import numpy as np

from bpgui.engine.backprop import Workspace
from bpgui.engine.losses import add_penalty_gradient, get_loss


def loss_and_gradient(network, loss, X, Y, l1=0.0, l2=0.0):
    """Return the total loss (data + penalty) and its gradient w.r.t. ``network.params``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_inputs)
    Y : ndarray of shape (n_samples, n_outputs)

    Returns
    -------
    value : float
    grad : ndarray of shape (n_params,), a copy
    """
    loss = get_loss(loss) if isinstance(loss, str) else loss
    workspace = Workspace(network, X.shape[0])
    workspace.forward(np.asarray(X, network.dtype))
    Y = np.asarray(Y, network.dtype)
    value = workspace.loss_value(Y, loss)
    grad = workspace.backward(Y, loss).copy()
    n_w = network.n_weights
    value += add_penalty_gradient(network.params[:n_w], grad[:n_w], l1, l2, np.empty(n_w, network.dtype))
    return value, grad


def numerical_gradient(network, loss, X, Y, l1=0.0, l2=0.0, eps=1e-6):
    """Central differences of the total loss w.r.t. every parameter: ndarray (n_params,)."""
    params = network.params
    numeric = np.zeros_like(params)
    for i in range(params.size):
        saved = params[i]
        params[i] = saved + eps
        plus, _ = loss_and_gradient(network, loss, X, Y, l1, l2)
        params[i] = saved - eps
        minus, _ = loss_and_gradient(network, loss, X, Y, l1, l2)
        params[i] = saved
        numeric[i] = (plus - minus) / (2 * eps)
    return numeric


def max_relative_error(network, loss, X, Y, l1=0.0, l2=0.0, eps=1e-6):
    """Largest |analytic − numeric| / max(1e-8, |analytic| + |numeric|) over all parameters."""
    _, analytic = loss_and_gradient(network, loss, X, Y, l1, l2)
    numeric = numerical_gradient(network, loss, X, Y, l1, l2, eps)
    scale = np.maximum(np.abs(analytic) + np.abs(numeric), 1e-8)
    return float(np.max(np.abs(analytic - numeric) / scale))
