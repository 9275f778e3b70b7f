"""The CSV import dialog: a preview of the first rows and every reading and preparing choice.

What ``bpgui.data.preview_csv`` detects (delimiter, encoding, header, column kinds) is filled
in; changing a reading setting previews again. OK reads the whole file and prepares it with
the chosen :class:`bpgui.data.DatasetSpec`; a problem shows its one-line message in the dialog
and the dialog stays open, so the data already loaded is never replaced by a bad file.

The file is watched while the dialog is open (:class:`~bpgui.gui.watched_file.WatchedFile`):
when it changes on disk (grows, shrinks, is replaced or deleted) the preview is taken again,
keeping the choices made for the columns still there, and the dialog says so. OK loads only
the version of the file the preview shows, read whole: a file changed since the preview, or
while it is read, is previewed again instead, with a message, and nothing is loaded.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QGroupBox, QHBoxLayout, QLabel, QSpinBox,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from bpgui.data import (DELIMITER_WORDS, SCALINGS, CsvOptions, DataError, DatasetSpec, prepare,
                        preview_csv, read_csv)
from bpgui.gui import screen_fit
from bpgui.gui.watched_file import WatchedFile

ROLES = ("feature", "target", "ignore")
KINDS = ("numeric", "categorical")
TASK_CHOICES = ("auto", "classification", "regression")
MISSING_CHOICES = ("impute", "drop")
PREVIEW_ROWS = 20
ENCODINGS = ("utf-8", "utf-8-sig", "latin-1", "cp1252")
DELIMITER_NAMES = {char: word for word, char in DELIMITER_WORDS.items()}


def _combo(name, items, tooltip, editable=False):
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItems(list(items))
    combo.setEditable(editable)
    combo.setToolTip(tooltip)
    return combo


def _identifier_note(name, n_values, n_cells):
    """The columns table's note on a text column that looks like an identifier."""
    item = QTableWidgetItem(f"{n_values} different values in {n_cells} rows: an identifier?")
    # rich text, so that Qt wraps the tooltip into a box instead of one line across the screen
    item.setToolTip(f"<p>{html.escape(name)} is text with almost a different value in every row "
                    "(a name, a code, free text). As a feature it would become one input per value, "
                    "from which the network cannot generalise, so it starts as ignored; choose "
                    "feature to use it.</p>")
    return item


class CsvImportDialog(QDialog):
    """``csvImportDialog`` for ``path``. Raises ``DataError`` when the file cannot be previewed.

    After ``exec()`` returns Accepted, ``table``, ``spec`` and ``options`` hold the result.
    """

    def __init__(self, path, parent=None, spec=None):
        super().__init__(parent)
        self.setObjectName("csvImportDialog")
        self.setWindowTitle(f"Import {path}")
        self.path = str(path)
        self.table = None
        self.spec = None
        self.options = None
        self.watched = WatchedFile(self.path, self)
        self.watched.take()
        self.preview = preview_csv(self.path, CsvOptions(), PREVIEW_ROWS)
        self._build_widgets(spec or DatasetSpec())
        self._lay_out()
        self._show_preview()
        self.watched.changed.connect(self._on_file_changed)
        # room for the preview's columns and the columns table's notes on today's screens
        self.resize(screen_fit.dialog_size(screen_fit.available_geometry(parent or self)))

    # -- widgets -----------------------------------------------------------------------------

    def _build_widgets(self, spec):
        preview = self.preview
        self.delimiter_combo = _combo("delimiterCombo", ["auto", *DELIMITER_WORDS], "Character between the values of a row (detected)", True)
        self.delimiter_combo.setCurrentText(DELIMITER_NAMES.get(preview.delimiter, preview.delimiter))
        self.header_combo = _combo("headerCombo", ("auto", "yes", "no"), "Is the first line a header of column names? (detected)")
        self.header_combo.setCurrentText("yes" if preview.has_header else "no")
        self.encoding_combo = _combo("encodingCombo", dict.fromkeys((preview.encoding, *ENCODINGS)), "Text encoding of the file (detected)", True)
        self.preview_table = QTableWidget()
        self.preview_table.setObjectName("previewTable")
        self.columns_table = QTableWidget()
        self.columns_table.setObjectName("columnsTable")
        self.target_combo = _combo("targetColumnCombo", (), "The column the network learns to predict")
        self.task_combo = _combo("taskCombo", TASK_CHOICES, "Classification or regression; auto decides from the target column")
        self.task_combo.setCurrentText(spec.task)
        self.missing_combo = _combo("missingCombo", MISSING_CHOICES, "Fill a missing feature with its training mean or most frequent value, or drop the row")
        self.missing_combo.setCurrentText(spec.missing)
        self.scaling_combo = _combo("scalingCombo", SCALINGS, "How inputs are scaled: standardised, to [0, 1], or left as they are")
        self.scaling_combo.setCurrentText(spec.scaling)
        self.val_spin = self._fraction_spin("valSplitSpin", spec.val_split, "Fraction of rows held out to watch for overfitting")
        self.test_spin = self._fraction_spin("testSplitSpin", spec.test_split, "Fraction of rows kept apart for the final evaluation")
        self.seed_spin = QSpinBox()
        self.seed_spin.setObjectName("splitSeedSpin")
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setValue(spec.seed)
        self.seed_spin.setToolTip("Seed of the random split")
        self.error_label = QLabel()
        self.error_label.setObjectName("csvErrorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for combo in (self.delimiter_combo, self.header_combo, self.encoding_combo):
            combo.currentTextChanged.connect(self._reread)
        self.target_combo.currentTextChanged.connect(self._on_target_chosen)

    @staticmethod
    def _fraction_spin(name, value, tooltip):
        spin = QDoubleSpinBox()
        spin.setObjectName(name)
        spin.setRange(0.0, 0.9)
        spin.setSingleStep(0.05)
        spin.setValue(value)
        spin.setToolTip(tooltip)
        return spin

    def _lay_out(self):
        reading = QHBoxLayout()
        for label, widget in (("Delimiter", self.delimiter_combo), ("Header", self.header_combo),
                              ("Encoding", self.encoding_combo)):
            reading.addWidget(QLabel(label))
            reading.addWidget(widget)
        reading.addStretch(1)
        choices = QFormLayout()
        choices.addRow("Target column", self.target_combo)
        choices.addRow("Task", self.task_combo)
        choices.addRow("Missing values", self.missing_combo)
        choices.addRow("Scaling", self.scaling_combo)
        choices.addRow("Validation split", self.val_spin)
        choices.addRow("Test split", self.test_spin)
        choices.addRow("Split seed", self.seed_spin)
        preparing = QGroupBox("Columns and preparation")
        row = QHBoxLayout(preparing)
        row.addWidget(self.columns_table, 1)
        row.addLayout(choices)
        layout = QVBoxLayout(self)
        layout.addLayout(reading)
        layout.addWidget(QLabel(f"First rows of {self.path}"))
        layout.addWidget(self.preview_table, 1)
        layout.addWidget(preparing, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    # -- preview -----------------------------------------------------------------------------

    def read_options(self):
        """The reading settings as ``CsvOptions`` (None where "auto")."""
        delimiter = self.delimiter_combo.currentText().strip()
        encoding = self.encoding_combo.currentText().strip()
        return CsvOptions(delimiter=None if delimiter in ("", "auto") else delimiter,
                          encoding=encoding or None, header=self.header_combo.currentText())

    def _reread(self, *_, note=""):
        """Preview the file again with the reading settings; True when that worked. ``note``
        (say, that the file changed) is shown above any problem."""
        self.watched.take()
        try:
            self.preview = preview_csv(self.path, self.read_options(), PREVIEW_ROWS)
        except DataError as error:
            self.error_label.setText(" ".join(part for part in (note, str(error)) if part))
            return False
        self.error_label.setText(note)
        self._show_preview(keep_choices=True)
        return True

    def _on_file_changed(self):
        """The file changed on disk while the dialog is open: say so and preview it again."""
        if not self.watched.exists:
            self.watched.take()
            self.error_label.setText(f"{self.path}: the file was deleted or moved while this dialog "
                                     "was open; nothing was loaded")
            self._ok_button().setEnabled(False)
            return
        self._ok_button().setEnabled(True)
        self._reread(note=f"{self.path} changed on disk: the preview shows it as it is now.")

    def _ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _show_preview(self, keep_choices=False):
        preview = self.preview
        table = self.preview_table
        table.clear()
        table.setColumnCount(len(preview.columns))
        table.setRowCount(len(preview.rows))
        table.setHorizontalHeaderLabels(list(preview.columns))
        for r, values in enumerate(preview.rows):
            for c, value in enumerate(values):
                table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        table.resizeColumnsToContents()  # whole headers ("temperature (°C)")
        chosen = self._choices() if keep_choices else {}
        self._show_columns()
        self._restore_choices(chosen)

    def _choices(self):
        """The role and kind chosen for each column shown now: ``{name: (role, kind)}``."""
        return {name: (self.role_combos[name].currentText(), self.kind_combos[name].currentText())
                for name in getattr(self, "role_combos", {})}

    def _restore_choices(self, chosen):
        """Choose again what was chosen for the columns still there (a file changed on disk)."""
        kept = {name: choice for name, choice in chosen.items() if name in self.role_combos}
        for name, (role, kind) in kept.items():
            self.kind_combos[name].setCurrentText(kind)
            if role != "target":
                self.role_combos[name].setCurrentText(role)
        targets = [name for name, (role, _) in kept.items() if role == "target"]
        if targets:
            self.target_combo.setCurrentText(targets[0])

    def _show_columns(self):
        columns = self.preview.columns
        table = self.columns_table
        table.clear()
        table.setColumnCount(4)
        table.setRowCount(len(columns))
        table.setHorizontalHeaderLabels(["column", "role", "kind", "note"])
        self.role_combos, self.kind_combos = {}, {}
        identifiers = self.preview.identifiers
        for r, name in enumerate(columns):
            table.setItem(r, 0, QTableWidgetItem(name))
            role = _combo(f"roleCombo_{name}", ROLES, f"Use {name} as a feature, the target, or ignore it")
            is_target = r == len(columns) - 1
            role.setCurrentText("target" if is_target else "ignore" if name in identifiers else "feature")
            role.currentTextChanged.connect(self._on_role_changed)
            kind = _combo(f"kindCombo_{name}", KINDS, f"Read {name} as numbers or as categories")
            kind.setCurrentText(self.preview.kinds.get(name, "numeric"))
            table.setCellWidget(r, 1, role)
            table.setCellWidget(r, 2, kind)
            if name in identifiers:
                table.setItem(r, 3, _identifier_note(name, *identifiers[name]))
            self.role_combos[name], self.kind_combos[name] = role, kind
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)  # the notes take the room left
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        self.target_combo.addItems(list(columns))
        self.target_combo.setCurrentText(columns[-1] if columns else "")
        self.target_combo.blockSignals(False)

    def _on_target_chosen(self, name):
        for column, combo in self.role_combos.items():
            combo.blockSignals(True)
            if column == name:
                combo.setCurrentText("target")
            elif combo.currentText() == "target":
                combo.setCurrentText("feature")
            combo.blockSignals(False)

    def _on_role_changed(self, *_):
        targets = self._columns_with_role("target")
        if len(targets) == 1 and self.target_combo.currentText() != targets[0]:
            self.target_combo.blockSignals(True)
            self.target_combo.setCurrentText(targets[0])
            self.target_combo.blockSignals(False)

    def _columns_with_role(self, role):
        return [name for name, combo in self.role_combos.items() if combo.currentText() == role]

    # -- result ------------------------------------------------------------------------------

    def read_spec(self):
        """The preparing choices as a ``DatasetSpec``."""
        kinds = tuple((name, combo.currentText()) for name, combo in self.kind_combos.items()
                      if combo.currentText() != self.preview.kinds.get(name, "numeric"))
        return DatasetSpec(
            targets=tuple(self._columns_with_role("target")) or None,
            features=tuple(self._columns_with_role("feature")) or None,
            kinds=kinds, task=self.task_combo.currentText(), missing=self.missing_combo.currentText(),
            scaling=self.scaling_combo.currentText(), val_split=self.val_spin.value(),
            test_split=self.test_spin.value(), seed=self.seed_spin.value())

    def accept(self):
        """Read and prepare the whole file; stay open with the message when that fails, or
        when the file is no longer the one previewed (it is then previewed again)."""
        if not self.watched.unchanged:
            if self._reread(note=f"{self.path} changed on disk since it was previewed: check the "
                                 "preview and press OK again."):
                self._ok_button().setEnabled(True)
            return
        try:
            options, spec = self.read_options(), self.read_spec()
            if not spec.targets:
                raise DataError(f"{self.path}: choose a target column")
            table = read_csv(self.path, options)
            if not self.watched.unchanged:  # written to while it was read: maybe half a file
                raise DataError(f"{self.path}: the file changed while it was being read; press OK "
                                "again once it is complete")
            prepare(table, spec)
        except DataError as error:
            self.error_label.setText(str(error))
            return
        self.table, self.spec, self.options = table, spec, options
        super().accept()
