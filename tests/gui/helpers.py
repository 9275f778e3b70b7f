"""Driving the window through its object names."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget


def widget(window, name, kind=QWidget):
    found = window.findChild(kind, name)
    assert found is not None, f"no {kind.__name__} named {name!r}"
    return found


def click(qtbot, window, name):
    button = widget(window, name, QAbstractButton)
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_epochs(qtbot, window, n, timeout=5000):
    controller = window.controller
    qtbot.waitUntil(lambda: controller.history.n >= n, timeout=timeout)


def click_step(qtbot, window, name):
    """Click stepEpochButton / stepBatchButton and wait until the step (on the worker) ended."""
    controller = window.controller
    with qtbot.waitSignal(controller.stateChanged, timeout=5000,
                          check_params_cb=lambda state: state != "training"):
        click(qtbot, window, name)
