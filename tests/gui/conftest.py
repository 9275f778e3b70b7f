"""Fixtures for the window: it is owned by a fixture, stopped at teardown, and a test that
leaves a training thread running fails (QT-NOTES.md)."""

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory):
    """QSettings in a temporary folder, so tests neither read nor write the user's."""
    folder = str(tmp_path_factory.mktemp("settings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    yield folder


@pytest.fixture
def make_window(qtbot):
    """``make_window(argv)`` builds the window as ``bpgui ARGV…`` would and shows it."""
    from bpgui.gui import create_main_window

    windows = []

    def make(argv=("--example", "xor")):
        window = create_main_window(list(argv))
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        controller = window.controller
        left_running = controller.run_thread.is_running
        left_recording = window.files.animation.is_running
        left_sweeping = window.sweeps.is_running
        window.close()
        assert not controller.run_thread.is_running and not controller.run_thread._retired_threads
        assert not window.files.animation.is_running
        assert not window.sweeps.is_running
        assert not left_running, "the test left a training thread running"
        assert not left_recording, "the test left an animation recording"
        assert not left_sweeping, "the test left a sweep running"


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def step(qtbot):
    """``step(controller, kind="epoch", times=1)``: Step epoch / Step batch, each waited for
    (steps run on the worker thread, like a run)."""

    def run_steps(controller, kind="epoch", times=1):
        action = controller.step_epoch if kind == "epoch" else controller.step_batch
        for _ in range(times):
            with qtbot.waitSignal(controller.stateChanged, timeout=5000,
                                  check_params_cb=lambda state: state != "training"):
                action()

    return run_steps
