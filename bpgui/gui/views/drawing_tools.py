"""The drawing tools of the decision-boundary view: draw mode, class or value, clear, undo.

Object names (DESIGN.md §4 "Drawn data"): ``drawDataButton`` (checkable), ``drawClassCombo``,
``drawValueSpin``, ``clearDrawnButton``; also ``drawAddClassButton``, ``drawUndoButton``
(Ctrl+Z, the window's ``actionUndoDrawing``) and ``drawStatusLabel``. The widgets only edit
the controller's :class:`~bpgui.gui.drawing_session.DrawingSession`; the view turns clicks
on the plane into points.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QToolButton,
                               QWidget)

from bpgui.gui.drawing_session import drawable, drawing_session
from bpgui.visual.output_map import class_colours

DRAW_TIP = ("Draw data: a left click adds a point of the chosen class (or value), a right click "
            "removes the nearest point")


def _tool_button(text, name, tip):
    button = QToolButton()
    button.setText(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    return button


def colour_icon(index, size=12):
    """A square of class colour ``index`` (the palette of the map and the points)."""
    r, g, b = (np.round(class_colours(1, [index])[0] * 255)).astype(int)
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(int(r), int(g), int(b)))
    return QIcon(pixmap)


class DrawingTools(QWidget):
    """A row of drawing controls bound to the controller's drawing session.

    Signals
    -------
    modeChanged(bool)
        Draw mode switched on or off (the view stops panning while it is on).
    """

    modeChanged = Signal(bool)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.session = drawing_session(controller)
        self.draw_button = _tool_button("Draw", "drawDataButton", DRAW_TIP)
        self.draw_button.setCheckable(True)
        self.draw_button.setStyleSheet("QToolButton:checked { background: #ffd27f; "
                                       "border: 1px solid #b07a00; border-radius: 3px; }")
        self.class_combo = QComboBox()
        self.class_combo.setObjectName("drawClassCombo")
        self.class_combo.setToolTip("The class of the points a left click adds")
        self.add_class_button = _tool_button("+", "drawAddClassButton", "Offer one more class to draw")
        self.value_spin = QDoubleSpinBox()
        self.value_spin.setObjectName("drawValueSpin")
        self.value_spin.setRange(-1e6, 1e6)
        self.value_spin.setDecimals(3)
        self.value_spin.setValue(1.0)
        self.value_spin.setToolTip("The target value of the points a left click adds (regression)")
        self.clear_button = _tool_button("Clear", "clearDrawnButton", "Remove every drawn point (Ctrl+Z brings them back)")
        self.undo_action = QAction("Undo drawing", self)
        self.undo_action.setObjectName("actionUndoDrawing")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.undo_action.triggered.connect(self.session.undo)
        self.addAction(self.undo_action)
        self.undo_button = _tool_button("Undo", "drawUndoButton", "Undo the last drawn, removed or cleared points (Ctrl+Z)")
        self.undo_button.clicked.connect(self.session.undo)
        self.status = QLabel()
        self.status.setObjectName("drawStatusLabel")
        self.status.setWordWrap(True)
        self._lay_out()
        self.draw_button.toggled.connect(self._on_toggled)
        self.add_class_button.clicked.connect(self._add_class)
        self.clear_button.clicked.connect(self.session.clear)
        self.session.changed.connect(self.refresh)
        self.session.started.connect(self._on_started)
        controller.dataChanged.connect(self.refresh)
        self.refresh()

    def _lay_out(self):
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.draw_button)
        row.addWidget(self.class_combo)
        row.addWidget(self.add_class_button)
        row.addWidget(self.value_spin)
        row.addWidget(self.clear_button)
        row.addWidget(self.undo_button)
        row.addWidget(self.status, 1)

    # -- state -------------------------------------------------------------------------------

    @property
    def drawing_on(self):
        return self.draw_button.isChecked() and self.session.drawing is not None

    def value(self):
        """The label or value a left click adds now."""
        if self.session.drawing.task == "regression":
            return self.value_spin.value()
        return self.class_combo.currentText()

    def set_drawing(self, on):
        """Switch draw mode on or off (File › New drawing switches it on)."""
        self.draw_button.setChecked(on)

    def _on_started(self):
        self.set_drawing(True)

    def _on_toggled(self, on):
        if on:
            reason = self.session.begin()
            if reason:
                self.draw_button.setChecked(False)
                self.status.setText(reason)
                return
        else:
            self.session.end()
        self.refresh()
        self.modeChanged.emit(self.drawing_on)

    def _add_class(self):
        try:
            label = self.session.add_class()
        except ValueError as error:
            self.status.setText(str(error))
            return
        self.class_combo.setCurrentText(label)

    def refresh(self):
        """Follow the session: classes offered, which input shows, what is enabled, status."""
        drawing = self.session.drawing
        if drawing is None and self.draw_button.isChecked() and self.session.begin() is None:
            return  # other data came: draw mode goes on with its points (begin refreshed)
        drawing = self.session.drawing
        on = self.drawing_on
        data = self.controller.data
        regression = (drawing.task if drawing is not None else getattr(data, "task", "")) == "regression"
        self._fill_classes(self._offered(drawing, data))
        self.class_combo.setVisible(not regression)
        self.add_class_button.setVisible(not regression)
        self.value_spin.setVisible(regression)
        reason = drawable(self.controller.data) if drawing is None else None
        self.draw_button.setEnabled(reason is None)
        self.draw_button.setToolTip(DRAW_TIP if reason is None else f"{DRAW_TIP} ({reason})")
        if drawing is None and self.draw_button.isChecked():
            self.draw_button.setChecked(False)
        self.class_combo.setEnabled(drawing is not None or reason is None)  # choose, then draw
        self.value_spin.setEnabled(drawing is not None or reason is None)
        for widget in (self.add_class_button, self.clear_button):
            widget.setEnabled(drawing is not None)
        can_undo = drawing is not None and drawing.can_undo
        self.undo_button.setEnabled(can_undo)
        self.undo_action.setEnabled(can_undo)
        self.status.setText(self.session.status() if on or self.session.active else "")
        self.status.setStyleSheet("color: #b00020" if self.session.problem else "")

    @staticmethod
    def _offered(drawing, data):
        """The class labels to offer: the drawing's, else those drawing would start with."""
        if drawing is not None:
            return drawing.classes
        if data is not None and data.classes is not None and drawable(data) is None:
            return [str(label) for label in data.classes]
        return []

    def _fill_classes(self, classes):
        have = [self.class_combo.itemText(i) for i in range(self.class_combo.count())]
        if have == list(classes):
            return
        current = self.class_combo.currentText()
        self.class_combo.blockSignals(True)
        self.class_combo.clear()
        for index, label in enumerate(classes):
            self.class_combo.addItem(colour_icon(index), label)
        if current in classes:
            self.class_combo.setCurrentText(current)
        self.class_combo.blockSignals(False)
