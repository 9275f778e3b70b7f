"""Running a sweep: records as runs finish, divergence as a result, cancelling, the same numbers
in process, in loky processes and on a Dask LocalCluster; ranking; RESULTS.csv read back."""

import dataclasses
import threading
import time

import numpy as np
import pytest

from bpgui.data import get_example, load_example
from bpgui.runs import (RunRecord, RunSettings, Sweep, SweepData, SweepResult, best, example_settings,
                        grid, ranked, read_results, write_results)


def sweep_of(example, lists, seeds=1, **changes):
    """A grid on a built-in example (its preset, with ``changes``) and the data it trains on."""
    spec = get_example(example)
    base, layers = example_settings(spec, RunSettings())
    runs = grid(base.replace(**changes), lists, seeds)
    return SweepData(load_example(example), spec.spec, layers, frozenset({"epochs", *lists})), runs


def by_index(results):
    return {result.index: result.record for result in results}


def assert_same_runs(expected, actual):
    assert sorted(expected) == sorted(actual)
    for index, record in expected.items():
        other = actual[index]
        assert other.settings == record.settings and other.error == record.error
        for name, values in record.history.items():
            np.testing.assert_array_equal(other.history[name], values, err_msg=name)
        np.testing.assert_array_equal(other.params, record.params)


@pytest.fixture(scope="module")
def xor_in_process():
    data, runs = sweep_of("xor", {"lr": (0.03, 0.1), "hidden": ((3,), (4, 2))}, epochs=4)
    return data, runs, by_index(Sweep(data, runs, jobs=1).results())


def test_each_run_comes_back_as_a_sweep_record_with_history_and_weights(xor_in_process):
    _, runs, records = xor_in_process
    assert sorted(records) == [0, 1, 2, 3]
    record = records[3]
    assert isinstance(record, RunRecord) and record.origin == "sweep" and record.label == "sweep run 4"
    assert record.settings == runs[3] and record.settings.hidden == (4, 2) and record.error is None
    assert record.epochs_run == 4 and record.metric_name == "accuracy" and record.seconds > 0
    assert record.sizes == (2, 4, 2, 1) and record.params is not None


def test_a_diverged_run_is_a_result_and_the_sweep_goes_on():
    data, runs = sweep_of("plane", {"lr": (0.01, 1e4, 0.02)}, optimizer="sgd", epochs=3)
    records = by_index(Sweep(data, runs).results())
    assert [records[i].error for i in range(3)] == [None, "diverged", None]
    assert records[2].epochs_run == 3 and records[1].epochs_run < 3
    assert ranked([SweepResult(i, record) for i, record in records.items()])[-1].index == 1


def test_parallel_processes_give_the_same_numbers_and_cancel_stops_them(xor_in_process):
    data, runs, expected = xor_in_process
    assert_same_runs(expected, by_index(Sweep(data, runs, jobs=2).results()))
    sweep, seen = Sweep(data, runs * 4, jobs=2), []
    for result in sweep.results():
        seen.append(result)
        sweep.cancel()
    assert len(seen) == 1 and sweep.cancelled


def test_cancel_from_another_thread_stops_a_run_in_process_between_batches():
    data, runs = sweep_of("xor", {"lr": (0.03, 0.1)}, epochs=10**6)
    sweep = Sweep(data, runs, jobs=1)
    timer = threading.Timer(0.5, sweep.cancel)
    timer.start()
    try:
        assert list(sweep.results()) == []  # the cut-short run is not a result
    finally:
        timer.cancel()


def test_cancel_from_another_thread_abandons_runs_in_worker_processes_at_once():
    """The runs would train for minutes; cancelling kills the loky workers, and results() ends
    promptly (joblib's generator has no public cancel: this guards the one we use). The
    workers run at the niceness asked for (the window's sweeps), this process as it was."""
    psutil = pytest.importorskip("psutil")
    data, runs = sweep_of("xor", {"lr": (0.03, 0.1, 0.3)}, epochs=10**6)
    sweep, ended = Sweep(data, runs, jobs=2, nice=10), []
    own_nice = psutil.Process().nice()

    def iterate():
        ended.append(list(sweep.results()))

    def training_children():
        children = psutil.Process().children(recursive=True)
        return [child for child in children if "resource_tracker" not in " ".join(child.cmdline())]

    worker = threading.Thread(target=iterate)
    worker.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and sorted(c.nice() for c in training_children()) != [10, 10]:
        time.sleep(0.1)  # the workers start and lower their priority with their first run
    assert sorted(c.nice() for c in training_children()) == [10, 10]
    assert psutil.Process().nice() == own_nice
    cancelled = time.perf_counter()
    sweep.cancel()
    worker.join(timeout=20)
    assert not worker.is_alive() and ended == [[]]
    assert time.perf_counter() - cancelled < 10  # seconds; the workers would train for minutes
    assert list(sweep.results()) == []  # a cancelled sweep stays cancelled


def test_a_dask_local_cluster_gives_the_same_numbers(xor_in_process):
    """One worker process (a LocalCluster starts quicker so); the runs cross processes all the same."""
    pytest.importorskip("distributed")
    data, runs, expected = xor_in_process
    assert_same_runs(expected, by_index(Sweep(data, runs, jobs=1, backend="dask").results()))


def test_the_dask_backend_missing_is_one_clear_message(monkeypatch, xor_in_process):
    data, runs, _ = xor_in_process
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)
    with pytest.raises(ValueError, match=r"^the dask backend needs Dask's distributed scheduler: "
                                         r"pip install 'bpgui\[cluster\]'$"):
        list(Sweep(data, runs, backend="dask").results())


@pytest.mark.parametrize("kwargs, words", [
    ({"backend": "spark"}, "unknown backend 'spark' (known: local, dask)"),
    ({"jobs": 0}, "jobs must be at least 1"),
    ({"scheduler": "tcp://127.0.0.1:1"}, "a scheduler address needs the dask backend"),
])
def test_bad_backends_are_refused(kwargs, words):
    with pytest.raises(ValueError) as error:
        Sweep(None, [], **kwargs)
    assert words in str(error.value)


# -- ranking ------------------------------------------------------------------------------------

def finished(index, val_metric, val_loss, train_loss=0.5):
    history = {"epoch": [1.0], "train_loss": [train_loss], "val_loss": [val_loss],
               "val_metric": [val_metric], "train_metric": [0.5]}
    return SweepResult(index, RunRecord(f"sweep run {index + 1}", RunSettings(), history, "accuracy"))


def test_the_ranking_takes_the_highest_metric_then_the_lowest_loss_and_failures_last():
    failed = SweepResult(0, RunRecord("sweep run 1", RunSettings(), error="diverged"))
    results = [failed, finished(1, 0.9, 0.3), finished(2, 0.95, 0.5), finished(3, 0.9, 0.2),
               finished(4, 0.9, 0.2)]
    assert [r.index for r in ranked(results)] == [2, 3, 4, 1, 0]
    assert best(results).index == 2 and best([failed]) is None


def test_without_validation_the_lowest_training_loss_wins():
    results = [finished(0, None, None, 0.4), finished(1, None, None, 0.1), finished(2, None, None, 0.3)]
    assert [r.index for r in ranked(results)] == [1, 2, 0]


# -- RESULTS.csv read back ----------------------------------------------------------------------

def test_results_read_back_as_records_with_their_settings_and_final_numbers(tmp_path, xor_in_process):
    _, runs, records = xor_in_process
    results = [SweepResult(i, dataclasses.replace(r, error="diverged" if i == 1 else None))
               for i, r in records.items()]
    path = tmp_path / "results.csv"
    write_results(path, reversed(results), ("lr", "hidden"))
    base = runs[0].replace(lr=0.5, hidden=(9,))
    options, again = read_results(path, base)
    assert options == ("lr", "hidden") and [r.index for r in again] == [0, 1, 2, 3]
    for result in again:
        original = records[result.index]
        assert result.record.settings == original.settings and result.record.origin == "sweep"
        if result.index != 1:
            assert result.record.epochs_run == original.epochs_run
            assert result.record.final("val_loss") == original.final("val_loss")
            assert result.record.seconds == pytest.approx(original.seconds)
    assert again[1].record.error == "diverged" and again[1].record.epochs_run == 0


def test_a_bad_option_cell_is_named_by_file_line_and_column(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("run,seed,hidden,epochs_run,train_loss,val_loss,train_metric,val_metric,seconds\n"
                    "1,0,\"8,8\",3,0.5,0.5,0.5,0.5,0.1\n2,0,eight,3,0.5,0.5,0.5,0.5,0.1\n")
    with pytest.raises(ValueError) as error:
        read_results(path)
    assert str(error.value) == f"{path}, line 3, column \"hidden\": 'eight' is not a value of hidden"
