"""RunLog: the window's kept runs, the one in progress, and what listeners hear."""

import numpy as np
import pytest

from bpgui.runs import RunRecord, RunSettings
from bpgui.runs.run_log import RunLog


def columns(n, loss=1.0):
    return {"epoch": np.arange(1.0, n + 1), "train_loss": np.full(n, loss), "val_loss": np.full(n, np.nan)}


@pytest.fixture
def log():
    log = RunLog()
    log.heard = []
    log.subscribe(lambda event, index: log.heard.append((event, index)))
    return log


def test_the_run_in_progress_is_kept_from_its_first_epoch_and_updated_in_place(log):
    assert log.sync_current(RunSettings(), columns(0)) is None and len(log) == 0
    first = log.sync_current(RunSettings(lr=0.1), columns(2), "accuracy", 0.5, "xor")
    assert log.heard == [("inserted", 0)] and log.current is first and first.label == "run 1"
    again = log.sync_current(RunSettings(lr=0.2), columns(5, 0.5), "accuracy", 1.0, "xor")
    assert again is first and len(log) == 1 and log.heard == [("inserted", 0)]  # numbers: no event
    assert first.epochs_run == 5 and first.settings.lr == 0.2 and first.final("train_loss") == 0.5
    assert np.isnan(first.history["lr"]).all() and len(first.history["lr"]) == 5
    assert first.ms_per_epoch == pytest.approx(200.0) and first.data == "xor"


def test_ending_a_run_copies_its_history_and_the_next_one_is_numbered_on(log):
    buffer = columns(3)
    record = log.sync_current(RunSettings(), buffer)
    log.end_current()
    buffer["train_loss"][:] = 99.0  # the window reuses its buffers: the kept run must not see it
    assert record.final("train_loss") == 1.0 and log.current is None and log.heard[-1] == ("changed", 0)
    second = log.sync_current(RunSettings(lr=0.5), columns(1))
    assert second.label == "run 2" and log.records == [record, second]


def test_a_record_from_outside_is_one_call_and_labels_count_on(log):
    outside = log.add(RunRecord("", RunSettings(lr=0.3), columns(4), origin="sweep"))
    assert outside.label == "run 1" and log.heard == [("inserted", 0)]
    log.add(RunRecord("run 7", RunSettings()))
    assert log.next_label() == "run 8"


def test_rename_delete_and_deleting_the_run_in_progress(log):
    log.add(RunRecord("a", RunSettings()))
    current = log.sync_current(RunSettings(), columns(2))
    log.rename(0, "  slow  ")
    assert log[0].label == "slow" and log.heard[-1] == ("changed", 0)
    with pytest.raises(ValueError, match="needs a name"):
        log.rename(0, " ")
    log.delete([1])
    assert log.current is None and list(log) == [log[0]] and log.heard[-1] == ("removed", 1)
    assert log.sync_current(RunSettings(), columns(3)) is None and len(log) == 1  # not kept again
    log.end_current()
    assert log.sync_current(RunSettings(), columns(1)) is not current and len(log) == 2


def test_replace_takes_a_sessions_runs_and_its_run_in_progress(log):
    kept = [RunRecord("run 4", RunSettings()), RunRecord("mine", RunSettings())]
    log.replace(kept, current=1)
    assert log.current is kept[1] and log.heard == [("reset", None)] and log.next_label() == "run 5"
    assert log.sync_current(RunSettings(), columns(2)) is kept[1]
