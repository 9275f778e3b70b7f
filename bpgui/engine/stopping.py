"""When a run stops on its own: early stopping (with the best epoch's weights), a target
loss, or its last epoch."""

from __future__ import annotations

import math

import numpy as np


class BestEpoch:
    """The epoch with the lowest monitored loss so far, its weights and the epochs since.

    Kept even while early stopping is off: it may be switched on between runs.

    Parameters
    ----------
    params : ndarray of shape (n_params,)
        The network's weights now (copied: the best so far until an epoch does better).
    """

    def __init__(self, params):
        self.params = params.copy()
        self.restart(params)

    def restart(self, params):
        """Forget the best so far (new data: losses on other data do not compare)."""
        self.loss, self.epoch, self.waited = math.inf, None, 0
        np.copyto(self.params, params)

    def update(self, epoch, monitored, params):
        """Count ``epoch`` whose monitored loss is ``monitored``, its weights ``params``."""
        if monitored < self.loss:
            self.loss, self.epoch, self.waited = monitored, epoch, 0
            np.copyto(self.params, params)
        else:
            self.waited += 1


def stop_reason(config, best, epoch, train_loss, limit):
    """Why the run stops after ``epoch`` ("early_stopping", "target_loss", "max_epochs"),
    or None. ``limit`` is the epoch the current call trains to: a smaller one than the run's
    end is a step (one epoch, say), not the end of the run."""
    if config.early_stopping and best.waited >= config.early_stopping:
        return "early_stopping"
    if config.target_loss is not None and train_loss <= config.target_loss:
        return "target_loss"
    if epoch >= limit >= config.max_epochs:
        return "max_epochs"
    return None
