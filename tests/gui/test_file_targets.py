"""The window's saves (model, session, loss plot PNG, history CSV) meet a full device, a
symlink and a FIFO the way the command line does: through bpgui.io.atomic."""

import os

import pytest
from helpers import click_step
from write_targets import FifoReader, is_device, leftovers, make_device

SAVES = {
    "model.json": lambda window, path: window.files.export_model(path),
    "model.npz": lambda window, path: window.files.export_model(path),
    "lesson.bpgui.json": lambda window, path: window.files.save_session(path),
    "loss.png": lambda window, path: window.files.export_loss_png(path),
    "loss.csv": lambda window, path: window.files.export_loss_csv(path),
}
"""File name → the window's save of that kind (True on success)."""


@pytest.fixture
def trained(qtbot, window):
    for _ in range(2):
        click_step(qtbot, window, "stepEpochButton")
    return window


def test_a_full_device_shows_no_space_and_stays_a_device(tmp_path, trained):
    for name, save in SAVES.items():  # one window for all five (a window takes a second)
        device = make_device(tmp_path / name)
        assert not save(trained, device), name
        assert f"{device}: no space left on device" in trained.status_label.text()
        trained.error_box.close()
        assert is_device(device)
    assert sorted(os.listdir(tmp_path)) == sorted(SAVES)


def test_a_symlink_stays_and_its_target_gets_the_file(tmp_path, trained):
    (tmp_path / "real").mkdir()
    for name, save in SAVES.items():
        target = tmp_path / "real" / name
        target.write_bytes(b"old")
        link = tmp_path / name
        link.symlink_to(target)
        assert save(trained, str(link)) is True, name
        assert link.is_symlink() and target.read_bytes() != b"old"
    assert (tmp_path / "real" / "loss.png").read_bytes()[:4] == b"\x89PNG"
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "real") == []


def test_the_loss_png_goes_into_a_fifo(tmp_path, trained):
    reader = FifoReader(tmp_path / "loss.png")
    try:
        assert trained.files.export_loss_png(reader.path) is True
    finally:
        reader.release()
    assert reader.join()[:4] == b"\x89PNG"


def test_a_png_into_a_missing_folder_is_an_error_not_a_success(tmp_path, trained):
    path = str(tmp_path / "gone" / "loss.png")
    assert not trained.files.export_loss_png(path)
    assert "does not exist" in trained.status_label.text()
    trained.error_box.close()
    assert os.listdir(tmp_path) == []
