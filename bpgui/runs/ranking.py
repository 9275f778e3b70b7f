"""Which run of a sweep is best (DESIGN.md §4).

With a validation split: the highest final validation metric (accuracy or R²), then the
lowest validation loss. Without one: the lowest final training loss. Ties keep grid order;
runs that failed (diverged) come last, in grid order.
"""

from __future__ import annotations

import math


def ranked(results):
    """``results`` (:class:`~bpgui.runs.sweep.SweepResult`) best first.

    The runs are judged by validation when any finished run has a validation loss.
    """
    finished = [result for result in results if _finished(result.record)]
    failed = [result for result in results if not _finished(result.record)]
    key = _validation_key if judged_by_validation(finished) else _training_key
    return (sorted(finished, key=lambda result: (key(result.record), result.index))
            + sorted(failed, key=lambda result: result.index))


def best(results):
    """The best finished :class:`~bpgui.runs.sweep.SweepResult`, or None when none finished."""
    order = ranked(results)
    return order[0] if order and _finished(order[0].record) else None


def judged_by_validation(results):
    """True when the ranking uses the validation numbers (some finished run has them)."""
    return any(_finished(r.record) and r.record.final("val_loss") is not None for r in results)


def _finished(record):
    return record.error is None and record.epochs_run > 0


def _validation_key(record):
    metric, loss = record.final("val_metric"), record.final("val_loss")
    return (metric is None, -metric if metric is not None else 0.0,
            loss if loss is not None else math.inf)


def _training_key(record):
    loss = record.final("train_loss")
    return loss if loss is not None else math.inf
