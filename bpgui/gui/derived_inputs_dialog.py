"""The choice of derived inputs (``x1^2``, ``x1*x2``, ``sin(x1)``, …) beside the input layer.

A checklist of what :func:`bpgui.data.derived.candidates` offers for the numeric features (for
2-feature data the TensorFlow Playground's set, all at once; for many features a long list to
filter), plus a field for any expression of the allowed forms. Expressions are read and checked
by :mod:`bpgui.data.derived` only; a bad one is told in one line inside the dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPushButton, QVBoxLayout)

from bpgui.data import DataError
from bpgui.data.derived import candidates, check_columns, parse_derived, split_derived

FILTER_FROM = 10  # offer a filter field when the list is longer than this


class DerivedInputsDialog(QDialog):
    """``derivedInputsDialog``: check boxes of derived inputs and a field for more.

    Parameters
    ----------
    data : bpgui.data.PreparedData
        The loaded data: its numeric features are offered; its current derived inputs start
        checked.
    columns : sequence of str
        Every column of the table, so a typed name is told apart from an unknown one.
    """

    def __init__(self, data, columns=(), parent=None):
        super().__init__(parent)
        self.setObjectName("derivedInputsDialog")
        self.setWindowTitle("Derived inputs")
        pre = data.preprocessor
        self.numeric = [c["name"] for c in pre.columns if c["kind"] == "numeric"]
        self.features, self.targets, self.columns = pre.feature_names, pre.targets, tuple(columns)
        self.list = QListWidget()
        self.list.setObjectName("derivedInputsList")
        self.filter = QLineEdit()
        self.filter.setObjectName("derivedFilterEdit")
        self.filter.setPlaceholderText("Filter the list, e.g. sin or petal")
        self.expression = QLineEdit()
        self.expression.setObjectName("derivedExpressionEdit")
        self.expression.setPlaceholderText('x1^2, x1*x2, sin(x1), cos(x1); "a name, quoted"^2')
        self.add_button = QPushButton("Add")
        self.add_button.setObjectName("derivedAddButton")
        self.error = QLabel()
        self.error.setObjectName("derivedInputsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self._fill(candidates(self.numeric), pre.input_names[pre.n_encoded:])
        self._lay_out()
        self.filter.textChanged.connect(self._apply_filter)
        self.add_button.clicked.connect(self.add_typed)
        self.expression.returnPressed.connect(self.add_typed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _lay_out(self):
        intro = QLabel("Extra inputs computed from the numeric features before scaling, appended "
                       "after them. A better input can replace a deeper network: try x1^2 and "
                       "x2^2 on the circles with 2 hidden neurons.")
        intro.setWordWrap(True)
        typed = QHBoxLayout()
        typed.addWidget(self.expression, 1)
        typed.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.filter)
        self.filter.setVisible(self.list.count() > FILTER_FROM)
        layout.addWidget(self.list, 1)
        layout.addWidget(QLabel("Another expression (A^2, A*B, sin(A), cos(A)):"))
        layout.addLayout(typed)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(420, 460)

    def _fill(self, offered, chosen):
        for expr in offered:
            self._item(expr, expr in chosen)
        for expr in chosen:
            if expr not in offered:
                self._item(expr, True)

    def _item(self, expr, checked):
        item = QListWidgetItem(expr, self.list)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        return item

    def _apply_filter(self, text):
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(text.strip().lower() not in item.text().lower())

    def add_typed(self):
        """Check (adding when new) each expression typed in the field; a bad one is shown in
        one line and nothing is added. Returns True when all were taken."""
        try:
            exprs = [self.checked_expr(text) for text in split_derived(self.expression.text())]
        except DataError as error:
            self.error.setText(str(error))
            return False
        for expr in exprs:
            found = self.list.findItems(expr, Qt.MatchFlag.MatchExactly)
            item = found[0] if found else self._item(expr, True)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.scrollToItem(item)
        self.error.clear()
        self.expression.clear()
        return True

    def checked_expr(self, text):
        """The canonical text of ``text``; DataError unless it uses numeric features only."""
        derived = parse_derived(text)
        check_columns(derived, self.numeric, self.features, self.targets, self.columns)
        return derived.expr

    def accept(self):
        """OK takes an expression still in the field too (or stays open to show what is wrong)."""
        if self.expression.text().strip() and not self.add_typed():
            return
        super().accept()

    def chosen(self):
        """The checked expressions in list order."""
        items = (self.list.item(row) for row in range(self.list.count()))
        return tuple(item.text() for item in items if item.checkState() == Qt.CheckState.Checked)
