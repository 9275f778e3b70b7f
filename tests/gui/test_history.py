"""The history grows by doubling and keeps every epoch's numbers."""

import math

import numpy as np

from bpgui.engine import EpochReport
from bpgui.gui.history import History


def report(epoch, val=True, norms=None):
    return EpochReport(epoch=epoch, train_loss=1.0 / epoch, val_loss=2.0 / epoch if val else None,
                       train_metric=0.5, val_metric=None, metric_name="accuracy", seconds=0.001,
                       grad_norms=norms, lr=0.1 if val else None)


def test_doubling_keeps_every_row_and_reallocates_rarely():
    history = History(capacity=16)
    capacities = set()
    for epoch in range(1, 5001):
        history.append(report(epoch, norms=(1.0, 2.0) if epoch % 100 == 0 else None))
        capacities.add(history.capacity)
    assert history.n == 5000 and history.capacity == 8192
    assert len(capacities) == 10  # 16, 32, …, 8192
    np.testing.assert_array_equal(history.column("epoch"), np.arange(1, 5001))
    np.testing.assert_allclose(history.column("train_loss"), 1.0 / np.arange(1, 5001))
    norms = history.grad_norms
    assert norms.shape == (5000, 2) and norms[99, 1] == 2.0 and math.isnan(norms[98, 0])


def test_csv_text_has_the_cli_log_columns_and_empty_cells_for_missing_values():
    history = History()
    history.append(report(1, val=False))
    history.append(report(2))
    lines = history.to_csv_text().splitlines()
    assert lines[0] == "epoch,train_loss,val_loss,train_metric,val_metric,lr"
    assert lines[1] == "1,1.0,,0.5,,"
    assert lines[2] == "2,0.5,1.0,0.5,,0.1"


def test_session_round_trip():
    history = History(capacity=4)
    for epoch in range(1, 11):
        history.append(report(epoch, norms=(0.1 * epoch,)))
    restored = History(capacity=4)
    restored.load_session(history.to_session())
    assert restored.n == 10 and restored.metric_name == "accuracy"
    np.testing.assert_array_equal(restored.column("val_loss"), history.column("val_loss"))
    np.testing.assert_array_equal(restored.grad_norms, history.grad_norms)


def test_extend_in_blocks_equals_appending_one_by_one():
    reports = [report(epoch, val=epoch % 3 != 0, norms=(epoch, 2.0 * epoch) if epoch % 7 == 0 else None)
               for epoch in range(1, 1001)]
    one_by_one, in_blocks = History(capacity=16), History(capacity=16)
    for r in reports:
        one_by_one.append(r)
    for start in range(0, 1000, 137):  # blocks that cross the doubling boundaries
        in_blocks.extend(reports[start:start + 137])
    in_blocks.extend([])
    assert in_blocks.n == one_by_one.n == 1000 and in_blocks.capacity == one_by_one.capacity
    for name in ("epoch", "train_loss", "val_loss", "train_metric", "val_metric", "seconds"):
        np.testing.assert_array_equal(in_blocks.column(name), one_by_one.column(name))
    np.testing.assert_array_equal(in_blocks.grad_norms, one_by_one.grad_norms)
    assert math.isnan(in_blocks.column("val_loss")[2]) and in_blocks.metric_name == "accuracy"
