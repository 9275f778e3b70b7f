"""Many runs and many windows in one process leave nothing behind: no thread, no timer, no Qt
object, no widget. The long versions (200 start/stop cycles, 50 windows, with memory) are
benchmarks/bench_reliability.py --parts cycles."""

import gc
import os
import threading
import time

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QThread, QTimer
from PySide6.QtWidgets import QApplication


def census():
    """Threads (the process's own and Python's) and live Qt objects by kind."""
    gc.collect()
    qt_objects = [o for o in gc.get_objects() if isinstance(o, QObject)]
    return {
        "os threads": len(os.listdir("/proc/self/task")),
        "python threads": threading.active_count(),
        "QThreads": sum(isinstance(o, QThread) for o in qt_objects),
        "QTimers": sum(isinstance(o, QTimer) for o in qt_objects),
        "QObjects": len(qt_objects),
        "widgets": len(QApplication.allWidgets()),
    }


def start_and_stop(qtbot, controller, epochs=2):
    """Start, train at least ``epochs`` epochs, stop and wait for the thread to end."""
    first = controller.trainer.epoch
    controller.start()
    assert controller.state == "training"
    qtbot.waitUntil(lambda: controller.trainer.epoch >= first + epochs, timeout=5000)
    controller.stop()
    assert controller.stop_and_wait()
    QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def settled(qtbot):
    """Let deferred deletes and queued events run."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(20)


def test_start_stop_cycles_leave_no_thread_timer_or_object(qtbot, make_window):
    window = make_window(["--example", "spiral"])
    controller = window.controller
    controller.set_config(controller.config.replace(max_epochs=10**9))
    for _ in range(2):  # the first frames create the plots' items and the views' caches
        start_and_stop(qtbot, controller)
    settled(qtbot)
    children = len(window.findChildren(QObject))  # (this makes Python wrappers: before the census)
    before = census()
    for _ in range(20):
        start_and_stop(qtbot, controller)
    settled(qtbot)
    assert len(window.findChildren(QObject)) == children
    assert census() == before
    assert not controller.run_thread.is_running and controller.state == "stopped"


def test_open_close_cycles_leave_no_window_behind(qtbot):
    from bpgui.gui import create_main_window

    def cycle():
        window = create_main_window(["--example", "xor"])
        window.show()
        controller = window.controller
        controller.set_config(controller.config.replace(max_epochs=10**9))
        start_and_stop(qtbot, controller)
        controller.start()  # closed while training: the close stops and waits
        started = time.perf_counter()
        window.close()
        assert not controller.run_thread.is_running and time.perf_counter() - started < 5
        window.deleteLater()
        settled(qtbot)

    cycle()  # the first window imports and caches what every later one shares
    before = census()
    for _ in range(5):
        cycle()
    assert census() == before
    assert not any(w.objectName() == "mainWindow" for w in QApplication.topLevelWidgets())
