"""A CSV that changes on disk while the import dialog previews it: the dialog says so, previews
it again, and loads only what it previewed, read whole; the loaded data is never replaced by
a broken or half-written file."""

import os

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from helpers import widget

ROWS = "".join(f"{i / 10:.1f},{(i * 7) % 11},{'ab'[i % 2]}\n" for i in range(40))


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("x1,x2,y\n" + ROWS, encoding="utf-8")
    return path


def ok(dialog):
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def message(dialog):
    return widget(dialog, "csvErrorLabel").text()


def wait_for_change(qtbot, dialog, words):
    """The dialog noticed the change on its own (its file watcher)."""
    qtbot.waitUntil(lambda: words in message(dialog), timeout=5000)


def rewrite(path, text):
    """Replace the file's content, as an editor saving it in place would; its modification
    time moves on even within the file system's clock tick."""
    before = os.stat(path).st_mtime_ns
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_a_file_that_grows_is_previewed_again_and_loaded_whole(qtbot, window, csv_file):
    dialog = window.files.open_csv(str(csv_file))
    widget(dialog, "roleCombo_x2").setCurrentText("ignore")
    with open(csv_file, "a", encoding="utf-8") as handle:
        handle.write(ROWS)
    wait_for_change(qtbot, dialog, "changed on disk")
    assert widget(dialog, "roleCombo_x2").currentText() == "ignore"  # the choices made are kept
    with qtbot.waitSignal(window.controller.dataChanged):
        ok(dialog).click()
    assert window.controller.table.n_rows == 80 and window.controller.data.n_inputs == 1


def test_ok_right_after_a_change_previews_again_instead_of_loading(qtbot, window, csv_file):
    before = window.controller.data
    dialog = window.files.open_csv(str(csv_file))
    rewrite(csv_file, "x1,x2,z\n" + ROWS[:40])  # another target column, fewer rows
    ok(dialog).click()  # before the watcher's turn
    assert dialog.isVisible() and window.controller.data is before
    assert "changed on disk since it was previewed" in message(dialog)
    assert widget(dialog, "targetColumnCombo").currentText() == "z"
    with qtbot.waitSignal(window.controller.dataChanged):
        ok(dialog).click()
    assert window.controller.table.columns == ("x1", "x2", "z")


@pytest.mark.parametrize("content, words", [
    ("x1,x2,y\n", "has a header but no data rows"),  # shrinks to its header
    (b"\x00\x01\x02garbage\xff" * 50, "cannot decode the text as utf-8"),  # replaced by garbage
])
def test_a_file_that_shrinks_or_turns_to_garbage_is_not_loaded(qtbot, window, csv_file, content, words):
    before = window.controller.data
    dialog = window.files.open_csv(str(csv_file))
    rewrite(csv_file, content)
    wait_for_change(qtbot, dialog, words)
    assert "changed on disk" in message(dialog) and "\n" not in message(dialog)
    ok(dialog).click()
    assert dialog.isVisible() and window.controller.data is before
    assert words in message(dialog)
    dialog.reject()


def test_a_file_replaced_by_another_is_watched_again(qtbot, window, csv_file, tmp_path):
    dialog = window.files.open_csv(str(csv_file))
    replacement = tmp_path / "new.csv"
    replacement.write_text("x1,x2,y\n" + ROWS + ROWS + ROWS, encoding="utf-8")
    os.replace(replacement, csv_file)  # saved through a temporary file: a new inode
    wait_for_change(qtbot, dialog, "changed on disk")
    rewrite(csv_file, "x1,x2,y\n" + ROWS)  # and changed again later
    qtbot.waitUntil(lambda: dialog.preview.rows and dialog.watched.unchanged, timeout=5000)
    with qtbot.waitSignal(window.controller.dataChanged):
        ok(dialog).click()
    assert window.controller.table.n_rows == 40


def test_a_deleted_file_says_so_and_loads_nothing(qtbot, window, csv_file):
    before = window.controller.data
    dialog = window.files.open_csv(str(csv_file))
    os.remove(csv_file)
    wait_for_change(qtbot, dialog, "deleted or moved")
    assert str(csv_file) in message(dialog) and not ok(dialog).isEnabled()
    csv_file.write_text("x1,x2,y\n" + ROWS, encoding="utf-8")  # put back
    wait_for_change(qtbot, dialog, "changed on disk")
    assert ok(dialog).isEnabled()
    dialog.reject()
    assert window.controller.data is before


def test_a_file_written_while_it_is_read_is_not_loaded_half(qtbot, window, csv_file, monkeypatch):
    import bpgui.gui.csv_import_dialog as import_dialog

    before = window.controller.data
    dialog = window.files.open_csv(str(csv_file))
    read = import_dialog.read_csv

    def read_while_written(path, options):
        table = read(path, options)
        with open(csv_file, "a", encoding="utf-8") as handle:  # the writer goes on meanwhile
            handle.write(ROWS)
        return table

    monkeypatch.setattr(import_dialog, "read_csv", read_while_written)
    ok(dialog).click()
    assert dialog.isVisible() and window.controller.data is before
    assert "changed while it was being read" in message(dialog)
    monkeypatch.setattr(import_dialog, "read_csv", read)
    ok(dialog).click()  # previews the complete file first
    with qtbot.waitSignal(window.controller.dataChanged):
        ok(dialog).click()
    assert window.controller.table.n_rows == 80
