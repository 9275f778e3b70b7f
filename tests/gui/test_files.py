"""Models, sessions, CSV import (good and bad) and the loss plot's exports."""

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from helpers import click, click_step, widget

PUMPS = Path(__file__).resolve().parents[2] / "docs" / "examples" / "pumps.csv"

GOOD_CSV = "length;colour;kind\n" + "".join(
    f"{1.0 + 0.1 * i:.1f};{'red' if i % 3 else 'blue'};{'long' if i % 2 else 'short'}\n" for i in range(40))


def test_export_json_npz_onnx_and_import_the_json_back(qtbot, window, tmp_path):
    controller = window.controller
    click_step(qtbot, window, "stepEpochButton")
    trained = controller.network.params.copy()
    for suffix in (".json", ".npz", ".onnx"):
        assert window.files.export_model(str(tmp_path / f"model{suffix}")) is True
    document = json.loads((tmp_path / "model.json").read_text())
    assert document["format"] == "bpgui-model" and document["training"]["epochs_run"] == 1
    click(qtbot, window, "reseedButton")
    assert not np.array_equal(controller.network.params, trained)
    assert window.files.import_model(str(tmp_path / "model.npz")) is True
    np.testing.assert_allclose(controller.network.params, trained)
    assert controller.state == "idle" and controller.network.sizes == (2, 8, 1)


def test_import_of_a_model_for_other_data_keeps_the_network(window, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"format": "bpgui-model", "version": 1')
    before = window.controller.network
    assert window.files.import_model(str(bad)) is False
    assert window.controller.network is before and "broken.json" in window.status_label.text()
    window.error_box.close()


def test_session_round_trip_restores_weights_settings_and_history(qtbot, window, tmp_path):
    controller = window.controller
    widget(window, "learningRateSpin").setValue(0.02)
    for _ in range(3):
        click_step(qtbot, window, "stepEpochButton")
    path = str(tmp_path / "class.bpgui.json")
    assert window.files.save_session(path) is True
    weights, losses = controller.network.params.copy(), controller.history.column("train_loss").copy()
    click(qtbot, window, "resetButton")
    window.files.open_example("iris")
    assert window.files.open_session(path) is True
    assert controller.source["example"] == "xor" and controller.config.learning_rate == 0.02
    np.testing.assert_allclose(controller.network.params, weights)
    np.testing.assert_allclose(controller.history.column("train_loss"), losses)
    assert controller.trainer.epoch == 3 and controller.state == "paused"
    click(qtbot, window, "resetButton")
    assert controller.trainer.epoch == 0


def test_a_reopened_session_continues_exactly_as_the_run_would_have(qtbot, window, tmp_path):
    """Adam's moments and the shuffling generator come back with the weights."""
    controller = window.controller
    for _ in range(3):
        click_step(qtbot, window, "stepEpochButton")
    path = str(tmp_path / "resume.bpgui.json")
    assert window.files.save_session(path) is True
    for _ in range(2):
        click_step(qtbot, window, "stepEpochButton")
    continued = controller.network.params.copy()
    assert window.files.open_session(path) is True
    assert controller.trainer.epoch == 3
    for _ in range(2):
        click_step(qtbot, window, "stepEpochButton")
    np.testing.assert_array_equal(controller.network.params, continued)


def test_csv_through_the_import_dialog(qtbot, window, tmp_path):
    path = tmp_path / "shapes.csv"
    path.write_text(GOOD_CSV)
    dialog = window.files.open_csv(str(path))
    assert dialog is window.findChild(QDialog, "csvImportDialog")
    assert widget(dialog, "delimiterCombo").currentText() == "semicolon"
    assert widget(dialog, "headerCombo").currentText() == "yes"
    assert widget(dialog, "previewTable").rowCount() == 20
    widget(dialog, "targetColumnCombo").setCurrentText("kind")
    with qtbot.waitSignal(window.controller.dataChanged):
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    data = window.controller.data
    assert data.target_names == ("kind",) and data.task == "classification"
    assert data.n_inputs == 3  # length and colour one-hot over blue, red
    assert window.controller.network.sizes[0] == 3 and window.controller.state == "idle"


def test_import_dialog_starts_identifier_columns_as_ignored(qtbot, window, tmp_path):
    path = tmp_path / "passengers.csv"
    path.write_text("id,name,sex,age,survived\n" + "".join(
        f'{i},"Doe, Mr. {i}",{"mf"[i % 2]},{20 + i % 40},{i % 2}\n' for i in range(60)))
    dialog = window.files.open_csv(str(path))
    roles = {name: widget(dialog, f"roleCombo_{name}").currentText()
             for name in ("id", "name", "sex", "age", "survived")}
    assert roles == {"id": "feature", "name": "ignore", "sex": "feature", "age": "feature",
                     "survived": "target"}
    columns = widget(dialog, "columnsTable")
    assert columns.item(1, 3).text() == "60 different values in 60 rows: an identifier?"
    assert columns.item(2, 3) is None
    with qtbot.waitSignal(window.controller.dataChanged):
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert window.controller.data.n_inputs == 4  # id, sex one-hot (f, m), age; no name


def test_export_model_suggests_the_data_name_in_the_last_folder(qtbot, window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from bpgui.gui import settings

    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kw: asked.append(args) or ("", ""))
    settings.remember_directory(str(tmp_path / "anything.csv"))
    window.files.export_model_action.trigger()
    assert asked[-1][1] == "Export model" and asked[-1][2] == str(tmp_path / "xor.json")
    dialog = window.files.open_csv(str(PUMPS))
    with qtbot.waitSignal(window.controller.dataChanged):
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    window.files.export_model_action.trigger()
    assert asked[-1][2] == str(PUMPS.parent / "pumps.json")  # the CSV's folder, now the last one
    window.files.save_session_action.trigger()
    assert asked[-1][2] == str(PUMPS.parent / "pumps.bpgui.json")
    written = []
    monkeypatch.setattr(window.files, "export_model", written.append)
    for name, chosen, expected in (("pumps.json", "NPZ model (*.npz)", "pumps.npz"),  # the type chosen
                                   ("pumps.json", "JSON model (*.json)", "pumps.json"),
                                   ("mine.json", "NPZ model (*.npz)", "mine.json")):  # typed: as typed
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, n=name, c=chosen: (str(tmp_path / n), c))
        window.files.ask_export_model()
        assert written[-1] == str(tmp_path / expected)


@pytest.mark.parametrize("screen", [QRect(0, 0, 1600, 1000), QRect(0, 0, 1280, 760), QRect(0, 0, 800, 600)])
def test_import_dialog_opens_at_a_size_that_suits_the_screen_and_shows_the_note_whole(
        qtbot, window, monkeypatch, screen):
    from bpgui.gui import screen_fit

    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget: QRect(screen))
    dialog = window.files.open_csv(str(PUMPS))
    qtbot.waitExposed(dialog)
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    assert dialog.width() >= min(screen.width(), 1000) and dialog.height() >= min(screen.height(), 700)
    columns = widget(dialog, "columnsTable")
    note = columns.item(0, 3)
    assert note.text() == "300 different values in 300 rows: an identifier?"
    if screen.width() >= 1280:  # room for it: the note is whole, without hovering
        header = columns.horizontalHeader()
        right = header.sectionViewportPosition(3) + header.sectionSize(3)
        assert right <= columns.viewport().width()
        assert header.sectionSize(3) >= columns.fontMetrics().horizontalAdvance(note.text())
    assert Qt.mightBeRichText(note.toolTip()) and "pump is text" in note.toolTip()  # wraps
    dialog.reject()


@pytest.mark.parametrize("content, where", [
    (b"", "empty.csv"),
    (b"a,b,y\n1,2,0\n3,4\n5,6,1\n", "ragged.csv"),
])
def test_bad_csv_shows_a_message_and_keeps_the_loaded_data(qtbot, window, tmp_path, content, where):
    path = tmp_path / where
    path.write_bytes(content)
    before = window.controller.data
    dialog = window.files.open_csv(str(path))
    if dialog is not None:  # the preview worked; reading the whole file must fail
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        assert dialog.isVisible() and where in widget(dialog, "csvErrorLabel").text()
        dialog.reject()
    else:
        assert where in window.status_label.text()
        window.error_box.close()
    assert window.controller.data is before


def test_loss_plot_first_item_is_the_training_curve_and_exports(qtbot, window, tmp_path):
    controller = window.controller
    for _ in range(4):
        click_step(qtbot, window, "stepEpochButton")
    plot = widget(window, "lossPlot")
    x, y = plot.getPlotItem().listDataItems()[0].getData()
    np.testing.assert_array_equal(x, [1, 2, 3, 4])
    np.testing.assert_allclose(y, controller.history.column("train_loss"))
    widget(window, "logScaleCheck").setChecked(True)
    assert plot.value_at(2.2)[0] == 2
    assert window.files.export_loss_png(str(tmp_path / "loss.png")) is True
    assert (tmp_path / "loss.png").read_bytes()[:4] == b"\x89PNG"
    assert window.files.export_loss_csv(str(tmp_path / "loss.csv")) is True
    lines = (tmp_path / "loss.csv").read_text().splitlines()
    assert lines[0] == "epoch,train_loss,val_loss,train_metric,val_metric,lr" and len(lines) == 5
    assert [float(line.split(",")[-1]) for line in lines[1:]] == [controller.config.learning_rate] * 4


def test_open_example_shows_a_gallery_of_pictures_and_opens_the_pick(qtbot, window):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction

    from bpgui.data import EXAMPLES

    window.findChild(QAction, "actionOpenExample").trigger()  # window-modal: returns at once
    gallery = window.findChild(QDialog, "exampleGallery")
    assert gallery is not None and gallery.isVisible()
    items = [gallery.list.item(row) for row in range(gallery.list.count())]
    assert [item.data(Qt.ItemDataRole.UserRole) for item in items] == list(EXAMPLES)
    picture = items[0].icon().pixmap(64, 64).toImage()  # xor: coloured points, not a blank card
    colours = {picture.pixelColor(x, y).name() for x in range(0, 64, 2) for y in range(0, 64, 2)}
    assert len(colours) > 3
    gallery.select("iris")
    with qtbot.waitSignal(window.controller.dataChanged):
        gallery.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Open).click()
    assert window.controller.source["example"] == "iris" and window.controller.data.n_inputs == 4
