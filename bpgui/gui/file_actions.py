"""The File menu: open CSV (dialog, drag-and-drop, recent files), examples, models, sessions,
loss plot export, animation export (:mod:`bpgui.gui.animation_export`), quit.

Each action has a stable object name (DESIGN.md §4). The slots that take a path
(:meth:`FileActions.open_csv`, :meth:`export_model`, …) are what the file dialogs call and
what tests call directly; every failure becomes one message in the window, never a traceback,
and never replaces the data already loaded.
"""

from __future__ import annotations

import dataclasses
import os

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

from bpgui.gui import settings
from bpgui.gui.animation_export import AnimationExport
from bpgui.gui.persistence import apply_model, apply_session, model_of, session_of

MODEL_FILTER = "JSON model (*.json);;NPZ model (*.npz);;ONNX model (*.onnx)"
IMPORT_FILTER = "Model files (*.json *.npz)"
SESSION_FILTER = "bpgui session (*.bpgui.json);;JSON (*.json)"
CSV_FILTER = "CSV files (*.csv *.txt *.tsv);;All files (*)"


def _action(parent, text, name, slot, shortcut=None, tooltip=None):
    action = QAction(text, parent)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tooltip:
        action.setToolTip(tooltip)
        action.setStatusTip(tooltip)
    action.triggered.connect(lambda *_: slot())
    return action


def _with_suffix(path, chosen_filter, default=".json"):
    """Add the extension the chosen filter names when the user typed none."""
    if os.path.splitext(path)[1]:
        return path
    for suffix in (".npz", ".onnx", ".png", ".csv", ".json"):
        if suffix[1:] in chosen_filter.lower():
            return path + suffix
    return path + default


def _problem(path, error):
    """One line naming the file: ``PATH: reason`` (an OSError's reason in words)."""
    from bpgui.io.atomic import describe_os_error

    if isinstance(error, OSError):
        return describe_os_error(error, path)
    text = str(error)
    return text if str(path) in text else f"{path}: {text}"


class FileActions(QObject):
    """Builds the File menu of ``window`` and carries out its actions on the controller."""

    def __init__(self, window, controller):
        super().__init__(window)
        self.window, self.controller = window, controller
        self.open_csv_action = _action(window, "&Open CSV…", "actionOpenCsv", self.ask_open_csv,
                                       QKeySequence.StandardKey.Open, "Open a CSV file with the import dialog")
        self.open_example_action = _action(window, "Open e&xample…", "actionOpenExample", self.ask_open_example,
                                           "Ctrl+Shift+E", "Pick a built-in example from pictures of their data")
        self.example_menu = QMenu("&Examples", window)
        self.example_menu.setObjectName("exampleMenu")
        self.recent_menu = QMenu("&Recent files", window)
        self.recent_menu.setObjectName("recentMenu")
        self.export_model_action = _action(window, "&Export model…", "actionExportModel", self.ask_export_model,
                                           "Ctrl+Shift+X", "Save the trained network as JSON, NPZ or ONNX")
        self.import_model_action = _action(window, "&Import model…", "actionImportModel", self.ask_import_model,
                                           "Ctrl+I", "Load a JSON or NPZ model to inspect or continue training")
        self.save_session_action = _action(window, "&Save session…", "actionSaveSession", self.ask_save_session,
                                           QKeySequence.StandardKey.Save, "Save data source, network, settings, weights and history")
        self.open_session_action = _action(window, "Open sess&ion…", "actionOpenSession", self.ask_open_session,
                                           "Ctrl+Shift+O", "Reopen a saved session")
        self.new_drawing_action = _action(window, "&New drawing", "actionNewDrawing", self.new_drawing,
                                          QKeySequence.StandardKey.New,
                                          "An empty plane: draw points of two classes with the mouse")
        self.new_value_drawing_action = _action(
            window, "New drawing of &values", "actionNewValueDrawing",
            lambda: self.new_drawing("regression"), None,
            "An empty plane: draw points with a value each (regression)")
        self.save_data_action = _action(window, "Save &data as CSV…", "actionSaveDataCsv",
                                        self.ask_save_data_csv, "Ctrl+Shift+S",
                                        "Write the loaded data, drawn or not, as a CSV file for bpgui train")
        self.export_png_action = _action(window, "Export loss plot as &PNG…", "actionExportLossPng",
                                         self.ask_export_png)
        self.export_csv_action = _action(window, "Export loss history as &CSV…", "actionExportLossCsv",
                                         self.ask_export_csv)
        self.animation = AnimationExport(window, controller)
        self.export_animation_action = _action(
            window, "Export &animation…", "actionExportAnimation", self.animation.ask, None,
            "Train a fresh copy of the current run and save it learning as a GIF or MP4")
        self.animation.action = self.export_animation_action
        self.quit_action = _action(window, "&Quit", "actionQuit", window.close,
                                   QKeySequence("Ctrl+Q"), "Stop training and quit")
        self._fill_examples()
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._fill_recent()

    def build_menu(self, menu):
        menu.addAction(self.open_csv_action)
        menu.addMenu(self.recent_menu)
        menu.addAction(self.open_example_action)
        menu.addMenu(self.example_menu)
        menu.addSeparator()
        menu.addAction(self.new_drawing_action)
        menu.addAction(self.new_value_drawing_action)
        menu.addAction(self.save_data_action)
        menu.addSeparator()
        for action in (self.export_model_action, self.import_model_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.save_session_action)
        menu.addAction(self.open_session_action)
        menu.addSeparator()
        menu.addAction(self.export_png_action)
        menu.addAction(self.export_csv_action)
        menu.addAction(self.export_animation_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)

    def _fill_examples(self):
        from bpgui.data import EXAMPLES

        for name, example in EXAMPLES.items():
            action = self.example_menu.addAction(name)
            action.setObjectName(f"actionExample_{name}")
            action.setStatusTip(example.description)
            action.setToolTip(example.description)
            action.triggered.connect(lambda *_, n=name: self.open_example(n))

    def _fill_recent(self):
        self.recent_menu.clear()
        paths = settings.recent_files()
        for path in paths:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda *_, p=path: self.open_csv(p))
        self.recent_menu.setEnabled(bool(paths))

    # -- file dialogs ------------------------------------------------------------------------

    def _ask_open(self, title, filters):
        path, _ = QFileDialog.getOpenFileName(self.window, title, settings.last_directory(), filters)
        return path

    def _ask_save(self, title, filters, default_suffix, suggested=""):
        """A path from the save dialog, opened in the last folder used with ``suggested`` (a
        file name) filled in; "" when cancelled. The suggestion's own suffix follows the file
        type chosen (``pumps.json`` saved as NPZ is ``pumps.npz``); a name typed keeps its own."""
        start = os.path.join(settings.last_directory(), suggested) if suggested else settings.last_directory()
        path, chosen = QFileDialog.getSaveFileName(self.window, title, start, filters)
        if not path:
            return ""
        if suggested and os.path.basename(path) == suggested and default_suffix not in chosen:
            path = path[: -len(default_suffix)]
        return _with_suffix(path, chosen, default_suffix)

    def _data_stem(self):
        """The loaded data's name for file names: ``pumps`` for pumps.csv, an example's name,
        ``drawing`` for drawn points ("" before any data)."""
        from bpgui.gui.run_tracking import data_name

        source = self.controller.source or {}
        if "drawing" in source:
            return "drawing"
        return os.path.splitext(data_name(source))[0]

    def _suggested(self, suffix):
        stem = self._data_stem()
        return stem + suffix if stem else ""

    def ask_open_csv(self):
        path = self._ask_open("Open CSV", CSV_FILTER)
        if path:
            self.open_csv(path)

    def ask_export_model(self):
        path = self._ask_save("Export model", MODEL_FILTER, ".json", self._suggested(".json"))
        if path:
            self.export_model(path)

    def ask_import_model(self):
        path = self._ask_open("Import model", IMPORT_FILTER)
        if path:
            self.import_model(path)

    def ask_save_session(self):
        path = self._ask_save("Save session", SESSION_FILTER, ".bpgui.json", self._suggested(".bpgui.json"))
        if path:
            self.save_session(path)

    def ask_open_session(self):
        path = self._ask_open("Open session", SESSION_FILTER)
        if path:
            self.open_session(path)

    def ask_export_png(self):
        path = self._ask_save("Export loss plot", "PNG image (*.png)", ".png")
        if path:
            self.export_loss_png(path)

    def ask_export_csv(self):
        path = self._ask_save("Export loss history", "CSV (*.csv)", ".csv")
        if path:
            self.export_loss_csv(path)

    def ask_save_data_csv(self):
        path = self._ask_save("Save data as CSV", "CSV (*.csv)", ".csv")
        if path:
            self.save_data_csv(path)

    def ask_open_example(self):
        """Show the example gallery (window-modal, returns at once); return the dialog."""
        from bpgui.gui.example_gallery import ExampleGallery

        gallery = ExampleGallery(self.window)
        gallery.accepted.connect(lambda: gallery.chosen and self.open_example(gallery.chosen))
        gallery.finished.connect(gallery.deleteLater)
        gallery.open()
        return gallery

    # -- the work ----------------------------------------------------------------------------

    def open_example(self, name):
        from bpgui.data import DataError

        try:
            self.controller.load_example(name)
        except (DataError, ValueError) as error:
            self.window.show_error(f"example {name}: {error}")
            return
        self.window.show_message(f"Opened example {name}")

    def open_csv(self, path):
        """Show the import dialog for ``path`` (window-modal, returns at once); None on a bad file."""
        from bpgui.data import DataError
        from bpgui.gui.csv_import_dialog import CsvImportDialog

        try:
            dialog = CsvImportDialog(path, self.window, spec=None)
        except (DataError, OSError) as error:
            self.window.show_error(str(error))
            return None
        dialog.accepted.connect(lambda: self._load_imported(dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _load_imported(self, dialog):
        from bpgui.data import DataError

        source = {"csv": dialog.path, "options": dataclasses.asdict(dialog.options)}
        try:
            self.controller.load_table(dialog.table, dialog.spec, source,
                                       architecture=self.controller.architecture.replace(
                                           output_activation="auto", loss="auto"),
                                       config=self.controller.config_for_csv())
        except (DataError, ValueError) as error:
            self.window.show_error(f"{dialog.path}: {error}")
            return
        settings.add_recent_file(dialog.path)
        settings.remember_directory(dialog.path)
        self.window.show_message("; note: ".join([f"Opened {dialog.path}", *self._notes()]))

    def _notes(self):
        """What trains as asked but is rarely meant: a feature or target with one value."""
        from bpgui.data import constant_notes

        preprocessor = self.controller.data.preprocessor
        return constant_notes(self.controller.table, preprocessor.feature_names, preprocessor.targets)

    def export_model(self, path):
        from bpgui.io.model import ModelFileError, save_model

        if self.controller.network is None:
            return self.window.show_error("nothing to export: open data first")
        try:
            save_model(model_of(self.controller), path)
        except (ModelFileError, ValueError, OSError) as error:
            return self.window.show_error(_problem(path, error))
        settings.remember_directory(path)
        self.window.show_message(f"Model written to {path}")
        return True

    def import_model(self, path):
        from bpgui.io.model import ModelFileError, load_model

        try:
            apply_model(self.controller, load_model(path))
        except (ModelFileError, ValueError, OSError) as error:
            return self.window.show_error(_problem(path, error))
        settings.remember_directory(path)
        self.window.show_message(f"Model imported from {path}")
        return True

    def new_drawing(self, task="classification"):
        """Start an empty plane to draw on (the decision-boundary view comes to the front)."""
        from bpgui.gui.drawing_session import drawing_session

        drawing_session(self.controller).new_drawing(task)
        dock = self.window.view_docks.get("Decision boundary")
        if dock is not None:
            dock.show()
            dock.raise_()
        what = "a class" if task == "classification" else "a value"
        self.window.show_message(f"New drawing: a left click adds a point of {what}, "
                                 "a right click removes the nearest")

    def save_data_csv(self, path):
        """Write the loaded data (a drawing's points while one is edited) as CSV."""
        from bpgui.data import DatasetSpec
        from bpgui.data.drawing import FEATURES, TARGET
        from bpgui.gui.drawing_session import drawing_session
        from bpgui.io.table_csv import save_table_csv, train_command

        session, controller = drawing_session(self.controller), self.controller
        table = session.table_to_save()
        if table is None:
            return self.window.show_error("nothing to save: open data first")
        try:
            save_table_csv(path, table)
        except OSError as error:
            return self.window.show_error(_problem(path, error))
        if session.active and not session.installed:  # points not trained on yet
            spec, task = DatasetSpec(targets=(TARGET,), features=FEATURES), session.drawing.task
        else:
            spec, task = controller.spec, controller.task
        settings.remember_directory(path)
        self.window.show_message(f"Data written to {path}; read it with: "
                                 f"{train_command(path, table, spec, task)}")
        return True

    def save_session(self, path):
        from bpgui.gui.drawing_session import drawing_session
        from bpgui.io.session import save_session

        if self.controller.network is None:
            return self.window.show_error("nothing to save: open data first")
        session = drawing_session(self.controller)
        session.flush()
        if session.active and session.problem:
            return self.window.show_error(f"the drawing cannot be trained on now ({session.problem}), "
                                          "so a session cannot hold it: Save data as CSV keeps its points")
        self.controller.pause()
        try:
            save_session(path, session_of(self.controller))
        except (ValueError, OSError) as error:
            return self.window.show_error(_problem(path, error))
        self.window.show_message(f"Session saved to {path}")
        return True

    def open_session(self, path):
        from bpgui.data import DataError
        from bpgui.gui.session_opening import locate_missing_csv
        from bpgui.io.model import ModelFileError
        from bpgui.io.session import load_session

        try:
            session = load_session(path)
            if not locate_missing_csv(self.window, session, path):
                return False  # the user cancelled: nothing changed
            apply_session(self.controller, session)
        except (ModelFileError, DataError, ValueError, OSError) as error:
            return self.window.show_error(_problem(path, error))
        self.window.show_message(f"Session opened from {path}")
        return True

    def export_loss_png(self, path):
        try:
            self.window.loss_panel.plot.export_png(path)
        except (OSError, RuntimeError, ValueError) as error:
            return self.window.show_error(_problem(path, error))
        self.window.show_message(f"Loss plot written to {path}")
        return True

    def export_loss_csv(self, path):
        from bpgui.io.atomic import atomic_write_text

        try:
            atomic_write_text(path, self.controller.history.to_csv_text())
        except OSError as error:
            return self.window.show_error(_problem(path, error))
        self.window.show_message(f"Loss history written to {path}")
        return True
