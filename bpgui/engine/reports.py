"""What training tells the outside world: epoch and batch reports, and divergence.

Reports hold copies only (never live arrays of the trainer), so they may cross threads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class EpochReport:
    """What one epoch did; holds copies only, so it may cross threads.

    ``train_loss`` is the mean of the epoch's batch losses, each its batch's data loss plus
    the L1/L2 penalty at the weights that batch was computed with; ``val_loss`` is the data
    loss on the validation split after the epoch plus the penalty at those weights (DESIGN
    §3: the penalty is part of the loss; ``Trainer.evaluate`` gives the data term alone).
    ``grad_norms`` (per layer: the norm of dL/dW and dL/db of the epoch's last batch, before
    the L1/L2 term and clipping) is always there. ``neuron_delta`` (per layer, mean signed
    dL/dz per neuron), ``neuron_abs_delta`` (mean |dL/dz|), ``neuron_activation`` (mean
    activation) and ``params`` (a copy of the weights, laid out as ``Network.params``) are
    ``None`` when diagnostics were not computed for this epoch. Layers are the non-input
    layers, in order.
    """

    epoch: int
    train_loss: float
    val_loss: float | None
    train_metric: float | None
    val_metric: float | None
    metric_name: str
    seconds: float
    grad_norms: tuple[float, ...] | None = None
    neuron_delta: tuple[np.ndarray, ...] | None = None
    neuron_abs_delta: tuple[np.ndarray, ...] | None = None
    neuron_activation: tuple[np.ndarray, ...] | None = None
    params: np.ndarray | None = None  # read-only copy of Network.params (with diagnostics)
    stop_reason: str | None = None  # "max_epochs", "target_loss", "early_stopping" or None
    best_epoch: int | None = None
    lr: float | None = None  # the learning rate used in this epoch (the schedule's)

    @property
    def metric(self):
        """The validation metric when there is a validation split, the training one otherwise."""
        return self.val_metric if self.val_metric is not None else self.train_metric


@dataclass(frozen=True)
class BatchReport:
    epoch: int  # the epoch in progress, counted from 1
    batch: int  # batches done in that epoch
    n_batches: int
    loss: float


class TrainingDiverged(RuntimeError):
    """A loss or a weight became NaN or infinite; the last finite weights were restored."""

    def __init__(self, epoch, learning_rate, what="the loss"):
        self.epoch = epoch
        super().__init__(
            f"training diverged at epoch {epoch}: {what} became NaN or infinite; "
            f"the weights of epoch {epoch - 1} are kept. Try a lower learning rate "
            f"(now {learning_rate:g}), gradient clipping, or scaled inputs."
        )
