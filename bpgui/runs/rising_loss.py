"""A run that ends far worse than it began: the learning rate was probably too high.

A learning rate far too high does not always diverge to NaN: with sigmoids it saturates
them, and the loss climbs to a finite plateau (``--lr 1e6`` with SGD on xor: 0.69 to 8.8 in
50 epochs). Training then "succeeds"; this rule lets ``bpgui train`` (a ``note:`` line) and
the window (its status bar) say so.
"""

from __future__ import annotations

import math

RISE_FACTOR = 2.0
"""The final training loss must be more than this many times the loss the run started at …"""

LOSS_FLOOR = 0.01
"""… and above this, so that a loss wobbling near zero (0.001 → 0.003) is left alone."""


def loss_rose(start_loss, last_loss):
    """True when ``last_loss`` (the last epoch's training loss) ended far above
    ``start_loss`` (the loss of the initial weights): more than :data:`RISE_FACTOR` times it
    and above :data:`LOSS_FLOOR`. Missing or non-finite values never count."""
    if start_loss is None or last_loss is None:
        return False
    if not (math.isfinite(start_loss) and math.isfinite(last_loss)):
        return False
    return last_loss > RISE_FACTOR * start_loss and last_loss > LOSS_FLOOR


def rising_loss_note(start_loss, last_loss, learning_rate):
    """One sentence suggesting a lower learning rate, or None when the loss did not rise.

    Parameters
    ----------
    start_loss : float
        The training loss of the run's initial weights (``Trainer.initial_loss()``).
    last_loss : float
        The last epoch's training loss.
    learning_rate : float
        The run's base learning rate (``--lr``).
    """
    if not loss_rose(start_loss, last_loss):
        return None
    return (f"the training loss rose from {start_loss:.4g} at the initial weights to "
            f"{last_loss:.4g}: the learning rate ({learning_rate:g}) is probably too high; "
            f"try a lower one")
