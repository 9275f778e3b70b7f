"""Loss functions, their output deltas, the penalty terms, and the valid output pairings.

Each loss is averaged over the samples of a batch (DESIGN.md §3):

- ``mse``:           L = 1/(N K) Σ_n Σ_k (y − ŷ)²
- ``half_sse``:      L = 1/N Σ_n ½ Σ_k (y − ŷ)²        (the classic textbook error)
- ``bce``:           L = −1/N Σ_n Σ_k [y log ŷ + (1 − y) log(1 − ŷ)]   (sigmoid outputs)
- ``cross_entropy``: L = −1/N Σ_n Σ_k y log ŷ            (softmax output)

``output_delta`` writes dL/dz of the output layer for the batch-averaged loss. With the paired
activations (sigmoid + bce, softmax + cross_entropy) it is ``(ŷ − y) / N``; otherwise it is
dL/dŷ times the activation's derivative.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from bpgui.engine.activations import ACTIVATIONS, Activation


_EPS = {np.dtype(t): float(np.finfo(t).eps) for t in (np.float32, np.float64)}


def _clip_probabilities(y_hat, out):
    # what np.clip computes, as two ufunc calls: np.clip's Python wrapper costs more than
    # both on a training batch
    eps = _EPS.get(y_hat.dtype) or float(np.finfo(y_hat.dtype).eps)
    np.maximum(y_hat, eps, out=out)
    np.minimum(out, 1.0 - eps, out=out)


_INVERSE_COUNTS = {}


def _inverse_count(y_hat):
    """1 / len(y_hat) as a 0-d array of its dtype, cached (see activations.CONSTANTS)."""
    key = (y_hat.shape[0], y_hat.dtype)
    try:
        return _INVERSE_COUNTS[key]
    except KeyError:
        return _INVERSE_COUNTS.setdefault(key, np.array(1.0 / key[0], key[1]))


class Loss:
    """Base class: a named loss with its value and its output-layer delta."""

    name = ""
    paired_activation: str | None = None  # activation whose delta simplifies to ŷ − y

    def value(self, y_hat, y, scratch):
        """Return the batch-averaged loss. ``y_hat``, ``y``, ``scratch``: ``(N, K)``."""
        raise NotImplementedError

    def gradient(self, y_hat, y, out):
        """Write dL/dŷ (batch-averaged) into ``out`` of shape ``(N, K)``."""
        raise NotImplementedError

    def sample_values(self, y_hat, y, out, scratch, spare):
        """Write each sample's loss into ``out`` of shape ``(N,)``; their mean is ``value``.

        ``y_hat``, ``y``, ``scratch``, ``spare``: ``(N, K)``; both scratch buffers are
        overwritten. Lets the trainer score a whole epoch's outputs in a few calls.
        """
        raise NotImplementedError

    def output_delta(self, y_hat, y, out, activation: Activation, scratch):
        """Write dL/dz of the output layer into ``out``, shape ``(N, K)``."""
        for call in self.output_delta_calls(y_hat, y, out, activation, scratch):
            call()

    def output_delta_calls(self, y_hat, y, out, activation: Activation, scratch):
        """``output_delta`` as zero-argument calls bound to these buffers (see Activation)."""
        if activation.name == self.paired_activation:
            return partial(np.subtract, y_hat, y, out), partial(np.multiply, out, _inverse_count(y_hat), out)
        return (partial(self.gradient, y_hat, y, out), *activation.backward_calls(y_hat, out, scratch))

    def __repr__(self):
        return f"Loss({self.name!r})"


class MeanSquaredError(Loss):
    name = "mse"

    def value(self, y_hat, y, scratch):
        np.subtract(y_hat, y, out=scratch)
        return float(np.vdot(scratch, scratch)) / scratch.size

    def gradient(self, y_hat, y, out):
        np.subtract(y_hat, y, out=out)
        out *= 2.0 / out.size

    def sample_values(self, y_hat, y, out, scratch, spare):
        np.subtract(y_hat, y, out=scratch)
        np.multiply(scratch, scratch, out=scratch)
        np.add.reduce(scratch, 1, None, out)
        out *= 1.0 / scratch.shape[1]


class HalfSumSquaredError(Loss):
    name = "half_sse"

    def value(self, y_hat, y, scratch):
        np.subtract(y_hat, y, out=scratch)
        return 0.5 * float(np.vdot(scratch, scratch)) / scratch.shape[0]

    def gradient(self, y_hat, y, out):
        np.subtract(y_hat, y, out=out)
        out *= 1.0 / out.shape[0]

    def sample_values(self, y_hat, y, out, scratch, spare):
        np.subtract(y_hat, y, out=scratch)
        np.multiply(scratch, scratch, out=scratch)
        np.add.reduce(scratch, 1, None, out)
        out *= 0.5


class BinaryCrossEntropy(Loss):
    name = "bce"
    paired_activation = "sigmoid"

    def value(self, y_hat, y, scratch):
        _clip_probabilities(y_hat, scratch)
        # Σ y log p + (1 − y) log(1 − p) = Σ y log p + Σ log(1 − p) − Σ y log(1 − p)
        np.log(scratch, out=scratch)
        total = float(np.vdot(y, scratch))
        _clip_probabilities(y_hat, scratch)
        np.subtract(1.0, scratch, out=scratch)
        np.log(scratch, out=scratch)
        total += float(scratch.sum()) - float(np.vdot(y, scratch))
        return -total / y_hat.shape[0]

    def gradient(self, y_hat, y, out):
        # d/dŷ = (ŷ − y) / (ŷ (1 − ŷ)) / N
        _clip_probabilities(y_hat, out)
        denominator = out * (1.0 - out)
        np.subtract(y_hat, y, out=out)
        out /= denominator
        out *= 1.0 / out.shape[0]

    def sample_values(self, y_hat, y, out, scratch, spare):
        _clip_probabilities(y_hat, scratch)  # y log p + (1 − y) log(1 − p), as in value
        np.subtract(1.0, scratch, out=spare)
        np.log(scratch, out=scratch)
        np.log(spare, out=spare)
        scratch -= spare
        scratch *= y
        scratch += spare
        np.add.reduce(scratch, 1, None, out)
        np.negative(out, out=out)


class CrossEntropy(Loss):
    name = "cross_entropy"
    paired_activation = "softmax"

    def value(self, y_hat, y, scratch):
        _clip_probabilities(y_hat, scratch)
        np.log(scratch, out=scratch)
        return -float(np.vdot(y, scratch)) / y_hat.shape[0]

    def gradient(self, y_hat, y, out):
        _clip_probabilities(y_hat, out)
        np.divide(y, out, out=out)
        out *= -1.0 / out.shape[0]

    def sample_values(self, y_hat, y, out, scratch, spare):
        _clip_probabilities(y_hat, scratch)
        np.log(scratch, out=scratch)
        scratch *= y
        np.add.reduce(scratch, 1, None, out)
        np.negative(out, out=out)


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (MeanSquaredError(), HalfSumSquaredError(), BinaryCrossEntropy(), CrossEntropy())
}
"""Every loss by its key; the key is the word in the window, the CLI and the model file."""

VALID_LOSSES: dict[str, tuple[str, ...]] = {
    "softmax": ("cross_entropy",),
    "sigmoid": ("bce", "mse", "half_sse"),
    "linear": ("mse", "half_sse"),
    "tanh": ("mse", "half_sse"),
    "relu": ("mse", "half_sse"),
    "leaky_relu": ("mse", "half_sse"),
    "elu": ("mse", "half_sse"),
}
"""Output activation → the losses it may be paired with (the first is its natural pair)."""

TASK_OUTPUT_ACTIVATIONS = {
    "classification": ("softmax", "sigmoid"),
    "regression": ("linear", "tanh", "sigmoid"),
}


def get_loss(name: str) -> Loss:
    """Return the loss registered under ``name`` or raise a readable ``ValueError``."""
    try:
        return LOSSES[name]
    except KeyError:
        raise ValueError(f"unknown loss {name!r} (known: {', '.join(LOSSES)})") from None


def check_pair(output_activation: str, loss: str) -> None:
    """Raise ``ValueError`` unless ``loss`` may follow an ``output_activation`` output layer."""
    if output_activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {output_activation!r}")
    get_loss(loss)
    allowed = VALID_LOSSES[output_activation] if output_activation != "softmax" else ("cross_entropy",)
    if loss not in allowed:
        raise ValueError(
            f"loss {loss!r} cannot follow a {output_activation!r} output layer; "
            f"use one of: {', '.join(allowed)}"
        )


def resolve_output(task: str, n_classes: int = 0, n_targets: int = 1,
                   output_activation: str = "auto", loss: str = "auto") -> tuple[int, str, str]:
    """Choose the output layer and loss for a task, honouring explicit choices.

    ``auto`` picks softmax + cross_entropy for 3+ classes, sigmoid + bce for 2 classes and
    linear + mse for regression. Explicit choices are checked against the valid pairs.

    Returns
    -------
    units : int
        Output units: 1 for a sigmoid binary classifier, one per class for softmax (or several
        sigmoids), one per target for regression.
    output_activation, loss : str
        Registry keys.
    """
    if task not in TASK_OUTPUT_ACTIVATIONS:
        raise ValueError(f"unknown task {task!r} (use classification or regression)")
    if task == "classification" and n_classes < 2:
        raise ValueError(f"classification needs at least 2 classes, found {n_classes}")
    if output_activation == "auto":
        output_activation = _activation_for(task, n_classes, loss)
    if output_activation not in TASK_OUTPUT_ACTIVATIONS[task] and task == "classification":
        raise ValueError(
            f"a {output_activation!r} output cannot give class probabilities; "
            "use sigmoid or softmax for classification"
        )
    if loss == "auto":
        loss = _loss_for(task, output_activation)
    check_pair(output_activation, loss)
    if task == "regression":
        if loss in ("bce", "cross_entropy"):
            raise ValueError(f"loss {loss!r} is for classification; use mse or half_sse")
        return n_targets, output_activation, loss
    if output_activation == "sigmoid" and n_classes == 2:
        return 1, output_activation, loss
    return n_classes, output_activation, loss


def _activation_for(task, n_classes, loss):
    if task == "regression":
        return "linear"
    if loss == "cross_entropy":
        return "softmax"
    if loss in ("bce", "mse", "half_sse"):
        return "sigmoid"
    return "softmax" if n_classes >= 3 else "sigmoid"


def _loss_for(task, output_activation):
    natural = VALID_LOSSES[output_activation][0]
    if task == "regression" and natural == "bce":
        return "mse"
    return natural


def penalty(weights_flat, l1: float, l2: float, scratch=None) -> float:
    """Return the regularisation term: λ₁ Σ|W| + (λ₂/2) Σ W² over the weights (no biases);
    ``scratch`` (the weights' shape), if given, holds |W| instead of a new array."""
    total = 0.0
    if l1:
        total += l1 * float(np.add.reduce(np.abs(weights_flat, out=scratch)))
    if l2:
        total += 0.5 * l2 * float(np.vdot(weights_flat, weights_flat))
    return total


def add_penalty_gradient(weights_flat, grad_flat, l1: float, l2: float, scratch) -> float:
    """Add λ₁ sign(W) + λ₂ W to the weight gradient, in place (``scratch``: same shape), and
    return the penalty at these weights (:func:`penalty`, without allocating)."""
    total = penalty(weights_flat, l1, l2, scratch)
    if l1:
        np.sign(weights_flat, out=scratch)
        scratch *= l1
        grad_flat += scratch
    if l2:
        np.multiply(weights_flat, l2, out=scratch)
        grad_flat += scratch
    return total
