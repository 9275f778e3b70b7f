"""The tutorial's screenshots (docs/tutorial.md): the real window driven through its steps.

``retake.py … tutorial`` calls :func:`take`. Everything goes through what a user touches: the
File menu's actions and their file dialogs, the import dialog's fields and OK button, the
network editor's spin box, the Start and Reset buttons, typed hyperparameters, clicks on the
network, the dock tabs, the Runs table's selection. Each image is saved as ``tutorial-N-*.png``.
"""
import os
import shutil
import tempfile

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QAbstractSpinBox, QApplication, QDialogButtonBox, QFileDialog, QLineEdit,
                               QSpinBox)

HERE = os.path.dirname(os.path.abspath(__file__))
PUMPS = os.path.join(HERE, "..", "..", "docs", "examples", "pumps.csv")


def when_modal(kind, act, wait):
    """Run ``act(dialog)`` once a modal dialog of type ``kind`` is up (polled on a timer)."""
    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            wait(300)
            act(dialog)
        else:
            QTimer.singleShot(50, poll)
    QTimer.singleShot(50, poll)


def type_into(widget, text, key=Qt.Key.Key_Return):
    """Select the field's text, type ``text`` and press Enter (or ``key``), as a user does."""
    widget.setFocus()
    line = widget.findChild(QLineEdit) if isinstance(widget, QAbstractSpinBox) else widget
    line.selectAll()
    QTest.keyClicks(line, text)
    QTest.keyClick(line, key)


def click_neuron(view, layer, index):
    """Click the drawn neuron ``index`` of ``layer`` (0: inputs) in the network view."""
    ellipse = view.neurons[(layer, index)]
    where = view.mapFromScene(ellipse.sceneBoundingRect().center())
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)


def click_tab(window, title):
    """Click the dock tab whose text is ``title`` (Gradients, Test, Runs …)."""
    from PySide6.QtWidgets import QTabBar

    for bar in window.findChildren(QTabBar):
        for index in range(bar.count()):
            if bar.tabText(index) == title and bar.isVisible():
                QTest.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                                 bar.tabRect(index).center())
                return
    raise LookupError(f"no dock tab {title!r}")


def press_start_and_wait(window, wait):
    """Click Start and wait until the run has finished."""
    controller = window.controller
    window.training_panel.start_button.click()
    while controller.state != "finished":
        wait(50)
    wait(500)


def take(out, window_for, wait, grab):
    """Take the tutorial's screenshots into ``out``.

    Parameters
    ----------
    out : str
        The folder of the PNG files.
    window_for, wait, grab : callable
        retake.py's helpers: a shown window for argv and size, an event-loop wait in ms, and
        ``grab(widget, name, height=None)`` that saves a widget as it is shown (its top
        ``height`` pixels).
    """
    folder = os.path.join(tempfile.mkdtemp(), "bpgui-tutorial")
    os.makedirs(folder)
    shutil.copy(PUMPS, folder)
    here = os.getcwd()
    os.chdir(folder)
    try:
        _steps(folder, window_for(["--example", "spiral"], size=(1600, 1000)), wait, grab)
    finally:
        os.chdir(here)
        shutil.rmtree(os.path.dirname(folder))


def _steps(folder, w, wait, grab):
    w.move(0, 0)
    # 1. File › Open CSV…: the file dialog, then the import dialog with a test split of 0.2
    def choose_file(dialog):
        type_into(dialog.findChild(QLineEdit, "fileNameEdit"), os.path.join(folder, "pumps.csv"))
    when_modal(QFileDialog, choose_file, wait)
    w.findChild(QAction, "actionOpenCsv").trigger()
    wait(500)
    dialog = QApplication.activeModalWidget()
    type_into(dialog.findChild(QAbstractSpinBox, "testSplitSpin"), "0.2", Qt.Key.Key_Tab)  # Enter is OK
    grab(dialog, "tutorial-1-import.png")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    wait(800)
    # 2. the network: Hidden 2 down to 8 neurons
    type_into(w.findChild(QSpinBox, "neuronsSpin1"), "8")
    wait(500)
    grab(w.network_panel, "tutorial-2-network.png")
    # 3. Start: 100 epochs; the Metrics tab shows the accuracy per epoch
    press_start_and_wait(w, wait)
    click_tab(w, "Metrics")
    grab(w, "tutorial-3-trained.png")
    # 4. the gradient colours: click a neuron of the first hidden layer for its numbers
    click_neuron(w.network_panel.view, 1, 4)
    wait(300)
    grab(w.network_panel, "tutorial-4-colours.png")
    # 5. the Gradients tab
    click_tab(w, "Gradients")
    grab(w.view_docks["Gradient health"], "tutorial-5-gradients.png")
    # 6. the Test tab
    click_tab(w, "Test")
    grab(w.view_docks["Evaluation"], "tutorial-6-test.png", height=330)
    # 7. File › Export model…: the save dialog suggests pumps.json in the tutorial's folder
    def save_as(dialog):
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name.text() == "pumps.json", f"the export suggested {name.text()!r}"
        grab(dialog, "tutorial-7-export.png")
        name.setFocus()
        QTest.keyClick(name, Qt.Key.Key_Return)
    when_modal(QFileDialog, save_as, wait)
    w.findChild(QAction, "actionExportModel").trigger()
    wait(500)
    assert os.path.exists(os.path.join(folder, "pumps.json")), "the export wrote no pumps.json"
    # 8. a second run: Reset, learning rate 0.001, Start; both runs selected in the Runs tab
    w.training_panel.reset_button.click()
    wait(300)
    type_into(w.findChild(QAbstractSpinBox, "learningRateSpin"), "0.001")
    press_start_and_wait(w, wait)
    click_tab(w, "Runs")
    runs = w.view_docks["Runs"].widget()
    table = runs.table
    first = table.visualRect(table.model().index(0, 0)).center()
    last = table.visualRect(table.model().index(1, 0)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, first)
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, last)
    wait(500)
    grab(w.view_docks["Runs"], "tutorial-8-runs.png")
    runs.quantity_combo.setCurrentText("validation loss")
    wait(500)
    grab(w.view_docks["Runs"], "tutorial-9-runs-validation.png")
    w.close()
