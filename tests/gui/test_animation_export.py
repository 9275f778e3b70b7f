"""File › Export animation (``actionExportAnimation``): the same frames as ``bpgui animate``,
recorded in the background from a fresh copy of the current run."""

import gc
import os

import numpy as np
import pytest
from PIL import Image
from PySide6.QtGui import QAction
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QPushButton

from bpgui.animation import AnimationOptions
from bpgui.cli import main
from helpers import click_step, widget


def small(window, frames=5):
    """Record small animations in tests (the window's default is 60 frames of 800x450)."""
    window.files.animation.options = AnimationOptions(frames=frames, fps=10.0, size=(320, 180))


def choose(monkeypatch, path, chosen_filter="GIF animation (*.gif)"):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(path), chosen_filter))


def test_the_action_records_the_current_run_as_bpgui_animate_does(qtbot, make_window, monkeypatch, tmp_path):
    window = make_window(["--example", "xor"])
    controller = window.controller
    widget(window, "epochsSpin").setValue(12)
    click_step(qtbot, window, "stepEpochButton")  # the window's own run moves on
    weights, epoch = controller.network.params.copy(), controller.trainer.epoch
    small(window)
    choose(monkeypatch, tmp_path / "from-window")  # no extension: the chosen filter's
    action = widget(window, "actionExportAnimation", QAction)
    assert action in window.menuBar().actions()[0].menu().actions()  # in the File menu
    export = window.files.animation
    with qtbot.waitSignal(export.done, timeout=20000) as done:
        action.trigger()
        dialog = window.findChild(QProgressDialog, "animationProgressDialog")
        assert dialog is not None and dialog.isVisible() and not action.isEnabled()
    written = tmp_path / "from-window.gif"
    assert done.args == [str(written)] and written.exists()
    assert not export.is_running and action.isEnabled()
    assert window.findChild(QProgressDialog, "animationProgressDialog") is None or not dialog.isVisible()
    # the window's run is untouched: same weights, same epoch
    np.testing.assert_array_equal(controller.network.params, weights)
    assert controller.trainer.epoch == epoch
    # the same pictures as the command line's, from the run's initial weights
    cli = tmp_path / "from-cli.gif"
    assert main(["animate", "--example", "xor", "--epochs", "12", "--frames", "5", "--fps", "10",
                 "--size", "320x180", "--out", str(cli), "--quiet"]) == 0
    with Image.open(written) as a, Image.open(cli) as b:
        assert a.n_frames == b.n_frames == 5 and a.size == (320, 180)
        for k in range(5):
            a.seek(k)
            b.seek(k)
            assert np.array_equal(np.asarray(a.convert("RGB")), np.asarray(b.convert("RGB"))), k


def test_cancel_stops_the_recording_and_writes_nothing(qtbot, make_window, tmp_path):
    window = make_window(["--example", "spiral"])
    widget(window, "epochsSpin").setValue(100000)
    small(window)
    export = window.files.animation
    assert export.record(str(tmp_path / "long.gif")) is True
    qtbot.waitUntil(lambda: export.dialog is not None and export.dialog.value() > 0, timeout=10000)
    cancel = export.dialog.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    with qtbot.waitSignal(export.done, timeout=10000) as done:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert done.args == [""] and not export.is_running
    assert os.listdir(tmp_path) == []
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_bad_path_is_one_message_and_starts_nothing(make_window, tmp_path):
    window = make_window(["--example", "xor"])
    export = window.files.animation
    assert export.record(str(tmp_path / "run.png")) is False
    assert "an animation is written as .gif or .mp4" in window.error_box.text()
    assert not export.is_running and export.dialog is None
    window.error_box.close()
    assert export.record(str(tmp_path / "missing" / "run.gif")) is False
    assert "does not exist" in window.error_box.text()
    window.error_box.close()
    assert os.listdir(tmp_path) == []


def test_an_error_while_recording_is_one_message(qtbot, make_window, monkeypatch, tmp_path):
    from bpgui.animation import render

    def fail(self, frame):
        raise OSError(28, "No space left on device", str(tmp_path / "run.gif"))

    monkeypatch.setattr(render.FrameRenderer, "render", fail)
    window = make_window(["--example", "xor"])
    widget(window, "epochsSpin").setValue(5)
    small(window)
    export = window.files.animation
    with qtbot.waitSignal(export.done, timeout=10000):
        export.record(str(tmp_path / "run.gif"))
    assert window.error_box.text() == f"{tmp_path / 'run.gif'}: no space left on device"
    window.error_box.close()
    assert os.listdir(tmp_path) == []


def test_closing_the_window_stops_a_recording(qtbot, make_window, tmp_path):
    window = make_window(["--example", "spiral"])
    widget(window, "epochsSpin").setValue(100000)
    small(window)
    export = window.files.animation
    export.record(str(tmp_path / "long.gif"))
    qtbot.waitUntil(lambda: export.dialog is not None and export.dialog.value() > 0, timeout=10000)
    window.close()
    assert not export.is_running and os.listdir(tmp_path) == []


def test_the_collector_stays_off_until_both_the_run_and_the_recording_end(qtbot, make_window, tmp_path):
    """Two workers at once (bpgui.gui.interpreter counts them): the first to end must not
    turn the collector back on under the other."""
    window = make_window(["--example", "spiral"])
    controller = window.controller
    widget(window, "epochsSpin").setValue(100000)
    small(window)
    export = window.files.animation
    export.record(str(tmp_path / "long.gif"))
    controller.start()
    assert not gc.isenabled()
    with qtbot.waitSignal(export.done, timeout=10000):
        export.cancel()
    assert not gc.isenabled()  # the run still trains
    controller.stop_and_wait()
    assert gc.isenabled() and gc.get_freeze_count() == 0


@pytest.mark.parametrize("chosen, suffix", [("MP4 video (*.mp4)", ".mp4"), ("GIF animation (*.gif)", ".gif")])
def test_the_chosen_filter_names_the_file(monkeypatch, make_window, tmp_path, chosen, suffix):
    window = make_window(["--example", "xor"])
    asked = []
    monkeypatch.setattr(window.files.animation, "record", asked.append)
    choose(monkeypatch, tmp_path / "run", chosen)
    window.files.animation.ask()
    assert asked == [str(tmp_path / f"run{suffix}")]
