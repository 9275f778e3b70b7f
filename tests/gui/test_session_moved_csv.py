"""A session whose CSV was moved: the user is asked to locate it, in a file dialog that starts
in the session's folder and names the missing file; cancelling loses nothing."""

import json
import os
import shutil

import numpy as np
import pytest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from helpers import click_step

ROWS = "".join(f"{i / 10:.1f},{(i * 7) % 11},{'ab'[i % 2]}\n" for i in range(40))


@pytest.fixture
def saved(qtbot, window, tmp_path):
    """A session (in sessions/) of a CSV (in data/) trained 2 epochs; then the window moves on
    to another example and trains it, so there is something to lose."""
    (tmp_path / "data").mkdir()
    (tmp_path / "sessions").mkdir()
    csv_path = tmp_path / "data" / "flowers.csv"
    csv_path.write_text("x1,x2,y\n" + ROWS, encoding="utf-8")
    dialog = window.files.open_csv(str(csv_path))
    with qtbot.waitSignal(window.controller.dataChanged):
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    for _ in range(2):
        click_step(qtbot, window, "stepEpochButton")
    weights = window.controller.network.params.copy()
    session = tmp_path / "sessions" / "class.bpgui.json"
    assert window.files.save_session(str(session)) is True
    window.files.open_example("spiral")
    click_step(qtbot, window, "stepEpochButton")
    return {"csv": csv_path, "session": session, "weights": weights}


def file_dialog(monkeypatch, answer):
    """Replace the open-file dialog: record how it was asked, answer ``answer`` ("" = cancel)."""
    asked = []

    def ask(parent, caption="", directory="", filters="", *args, **kwargs):
        asked.append({"caption": caption, "directory": directory})
        return (str(answer) if answer else "", "")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(ask))
    return asked


def window_state(window):
    controller = window.controller
    return (controller.source, controller.network.sizes, controller.network.params.copy(),
            controller.trainer.epoch, controller.history.n, controller.state)


def test_a_moved_csv_is_asked_for_from_the_sessions_folder(qtbot, window, tmp_path, monkeypatch, saved):
    moved = tmp_path / "elsewhere" / "renamed.csv"
    moved.parent.mkdir()
    shutil.move(saved["csv"], moved)
    asked = file_dialog(monkeypatch, moved)
    assert window.files.open_session(str(saved["session"])) is True
    assert len(asked) == 1
    assert os.path.dirname(asked[0]["directory"]) == str(saved["session"].parent)
    assert "flowers.csv" in asked[0]["caption"] and str(saved["csv"].parent) in asked[0]["caption"]
    controller = window.controller
    assert controller.source["csv"] == str(moved) and controller.trainer.epoch == 2
    np.testing.assert_allclose(controller.network.params, saved["weights"])
    # saved again, the session names the new place, relative to itself
    assert window.files.save_session(str(saved["session"])) is True
    document = json.loads(saved["session"].read_text())
    assert document["data"]["source"] == str(moved)
    assert document["data"]["relative_source"] == os.path.join("..", "elsewhere", "renamed.csv")


def test_cancelling_keeps_everything_the_window_had(qtbot, window, monkeypatch, saved):
    os.remove(saved["csv"])
    before = window_state(window)
    asked = file_dialog(monkeypatch, "")
    assert window.files.open_session(str(saved["session"])) is False
    assert len(asked) == 1
    after = window_state(window)
    assert after[:2] == before[:2] and after[3:] == before[3:]
    np.testing.assert_array_equal(after[2], before[2])
    assert "Session not opened" in window.statusBar().currentMessage()
    assert "flowers.csv" in window.statusBar().currentMessage()
    assert window.error_box is None  # a choice the user made, not an error


def test_a_wrong_file_picked_is_one_message_and_changes_nothing(qtbot, window, tmp_path, monkeypatch, saved):
    os.remove(saved["csv"])
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    before = window_state(window)
    file_dialog(monkeypatch, other)
    assert window.files.open_session(str(saved["session"])) is False
    assert window_state(window)[:2] == before[:2] and window.controller.trainer.epoch == before[3]
    assert "\n" not in window.status_label.toolTip()
    window.error_box.close()


def test_a_folder_copied_whole_opens_without_asking(qtbot, window, tmp_path, monkeypatch, saved):
    """The relative path still finds the CSV beside a copied session (bpgui.io.session)."""
    copy = tmp_path / "copy"
    os.makedirs(copy)
    shutil.copytree(tmp_path / "data", copy / "data")
    shutil.copytree(tmp_path / "sessions", copy / "sessions")
    os.remove(saved["csv"])
    asked = file_dialog(monkeypatch, "")
    assert window.files.open_session(str(copy / "sessions" / "class.bpgui.json")) is True
    assert asked == [] and window.controller.source["csv"] == str(copy / "data" / "flowers.csv")
