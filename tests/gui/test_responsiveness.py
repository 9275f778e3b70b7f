"""The window stays responsive while training, and closes promptly while training."""

import sys
import time

from PySide6.QtCore import QElapsedTimer, QObject, QTimer
from PySide6.QtWidgets import QSpinBox

from helpers import click, wait_epochs, widget


def longest_gap_while_training(qtbot, window, milliseconds=1500):
    """Longest time between two ticks of a 10 ms QTimer while the window trains."""
    clock, gaps = QElapsedTimer(), []
    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: gaps.append(clock.restart()))
    click(qtbot, window, "startButton")
    clock.start()
    ticker.start()
    qtbot.wait(milliseconds)
    ticker.stop()
    click(qtbot, window, "startButton")  # pause
    window.controller.stop_and_wait()
    return max(gaps[1:], default=milliseconds)


def test_no_event_loop_gap_over_100_ms_while_training(qtbot, make_window, monkeypatch):
    """The core window (network, loss plot, controls); the docked views of issue 6 are
    measured with it in benchmarks/bench_gui.py. Other processes on a loaded 2-core machine
    can steal a time slice, so up to two more measurements are allowed."""
    import bpgui.gui.main_window as main_window

    monkeypatch.setattr(main_window, "load_views", dict)
    window = make_window(["--example", "spiral"])
    widget(window, "epochsSpin", QSpinBox).setValue(100000)
    gaps = [longest_gap_while_training(qtbot, window)]
    while gaps[-1] >= 100 and len(gaps) < 3:
        gaps.append(longest_gap_while_training(qtbot, window))
    assert window.controller.history.n > 50
    assert min(gaps) < 100, f"longest gaps {gaps} ms"


def test_close_while_training_stops_within_a_second(qtbot, make_window):
    window = make_window(["--example", "spiral"])
    controller = window.controller
    widget(window, "epochsSpin", QSpinBox).setValue(100000)
    click(qtbot, window, "startButton")
    wait_epochs(qtbot, window, 5)
    started = time.perf_counter()
    window.close()
    assert time.perf_counter() - started < 1.0
    assert not controller.run_thread.is_running and controller.state == "stopped"


def test_refcount_of_none_is_stable_under_many_qt_calls():
    """PySide6 6.12.0 leaks a reference to None per void call and crashes long runs."""
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(1000):
        obj.setObjectName("x")
    assert abs(sys.getrefcount(None) - before) < 50


def test_garbage_is_collected_on_the_gui_thread_only_while_training(qtbot, make_window, step):
    """The collector could otherwise run on the worker and destroy Qt objects there (a
    deadlock against the GUI thread seen in the full suite); it is back on after the run.
    While it is off, what existed before the run is frozen out of the GUI thread's
    collections (they would walk the whole window), and thawed after."""
    import gc

    window = make_window(["--example", "xor"])
    assert gc.isenabled() and gc.get_freeze_count() == 0
    widget(window, "epochsSpin", QSpinBox).setValue(100000)
    click(qtbot, window, "startButton")
    assert window.controller.state == "training" and not gc.isenabled()
    assert gc.get_freeze_count() > 10000  # the window, its widgets, pyqtgraph, Qt's wrappers
    click(qtbot, window, "startButton")  # pause
    window.controller.stop_and_wait()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    step(window.controller, "epoch")
    assert gc.isenabled()


def test_blas_leaves_the_window_a_core_while_a_worker_trains(qtbot, make_window, monkeypatch):
    """A 2,000-neuron layer's products ran on every core and starved the window's thread
    (a 3 ms map took 100-800 ms on 2 cores); during a run BLAS has one core fewer."""
    from threadpoolctl import threadpool_info

    from bpgui.gui import interpreter

    def blas_threads():
        return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}

    before = blas_threads()
    monkeypatch.setattr(interpreter, "blas_threads_for_workers", lambda cores=None: 1)
    window = make_window(["--example", "xor"])
    widget(window, "epochsSpin").setValue(100000)
    click(qtbot, window, "startButton")
    assert blas_threads() == {1}
    click(qtbot, window, "startButton")  # pause
    window.controller.stop_and_wait()
    assert blas_threads() == before
    monkeypatch.undo()
    assert [interpreter.blas_threads_for_workers(n) for n in (1, 2, 8)] == [1, 1, 7]
