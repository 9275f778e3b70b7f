"""Retake the views' screenshots in this folder from the real window.

Run from the repository: ``xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python
resources/screenshots/retake.py resources/screenshots [NAME,NAME…]`` with names of the
functions below (default: all of them).
Each dock is grabbed (``QWidget.grab``) after training the example it shows; ``window`` grabs
the whole window (README), ``tutorial`` drives the window through docs/tutorial.md
(``tutorial_shots.py``). Look at every image before committing it.
"""
import os, sys
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
from PySide6.QtCore import QEventLoop, QTimer, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication
from PySide6.QtTest import QTest

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
app = QApplication.instance() or QApplication([])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "benchmarks"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # tutorial_shots
import bench_gui
bench_gui.private_settings()
from bpgui.gui import create_main_window
from bpgui.runs import Architecture


def wait(ms):
    loop = QEventLoop(); QTimer.singleShot(ms, loop.quit); loop.exec()


def window_for(argv, size=(1600, 760)):
    w = create_main_window(list(argv))
    w.resize(*size)
    w.show()
    QTest.qWaitForWindowExposed(w, 5000)
    wait(300)
    return w


def train(w, epochs, batch_size=None, until_done=True):
    c = w.controller
    cfg = c.config.replace(max_epochs=epochs)
    if batch_size:
        cfg = cfg.replace(batch_size=batch_size)
    c.set_config(cfg)
    loop = QEventLoop()
    c.stateChanged.connect(lambda s: loop.quit() if s in ("finished", "diverged") else None)
    c.start()
    loop.exec()
    wait(400)


def dock(w, title, width=820):
    d = w.view_docks[title]
    d.show(); d.raise_()
    w.resizeDocks([d], [width], Qt.Orientation.Horizontal)
    wait(400)
    return d


def save(widget, name, height=None):
    """Save a dock at the width the docs show (820 px), or its top ``height`` pixels."""
    widget.window().resizeDocks([widget], [820], Qt.Orientation.Horizontal)
    grab(widget, name, height)


def spiral():
    w = window_for(["--example", "spiral"])
    c = w.controller
    d = dock(w, "Decision boundary")
    # mid-training
    cfg = c.config.replace(max_epochs=100000)
    c.set_config(cfg)
    c.start()
    while c.trainer.epoch < 250:
        wait(20)
    wait(300)
    save(d, "decisionBoundaryView-training.png")
    c.pause(); c.stop_and_wait(); c.reset(); wait(200)
    train(w, 1500)
    save(dock(w, "Decision boundary"), "decisionBoundaryView.png")
    nm = dock(w, "Neuron maps")
    view = nm.widget()
    view._show_large(view.thumbnails[1][5])
    wait(200)
    save(nm, "neuronMapsView.png", height=320)
    save(dock(w, "Metrics"), "metricPlot.png")
    w.close()


def plane():
    w = window_for(["--example", "plane"])
    train(w, 3)  # still learning: the points (true values) stand out from the surface
    save(dock(w, "Decision boundary"), "decisionBoundaryView-regression.png")
    w.close()


def classic():
    w = window_for(["--example", "classic-2-2-2"])
    d = dock(w, "Inspector", 900)
    view = d.widget()
    while view.stages[view.index].key != "delta":
        view.next_button.click()
    view.next_button.click()  # the hidden layer's deltas, by the chain rule
    wait(200)
    save(d, "inspectorView.png")
    while view.stages[view.index].key != "update" or view.stages[view.index].layer != 2:
        view.next_button.click()
    view.apply_button.click()
    wait(300)
    save(d, "inspectorView-applied.png")
    w.close()


def gradients():
    w = window_for(["--example", "xor"])
    c = w.controller
    c.set_architecture(Architecture(hidden=(8,) * 10, activations=("sigmoid",) * 10))
    wait(200)
    train(w, 2000)
    w.controls_dock.hide()  # ten hidden layers make the network editor wide
    save(dock(w, "Gradient health"), "gradientNormPlot.png")
    w.close()


def iris():
    w = window_for(["--example", "iris"])
    train(w, 200)
    save(dock(w, "Evaluation"), "evaluationView.png", height=320)
    save(dock(w, "Predict"), "predictView.png", height=290)
    w.close()


def houses():
    w = window_for(["--example", "houses"])
    train(w, 200)
    save(dock(w, "Evaluation"), "evaluationView-regression.png")
    w.close()


def grab(widget, name, height=None):
    """Save a widget as it is shown (the network panel, a dialog, a dock left in place), or its
    top ``height`` pixels."""
    wait(300)
    pixmap = widget.grab()
    if height and pixmap.height() > height:
        pixmap = pixmap.copy(0, 0, pixmap.width(), height)
    path = os.path.join(OUT, name)
    pixmap.save(path, "PNG")
    print(name, pixmap.width(), pixmap.height(), os.path.getsize(path))


def derived():
    """The circles with 2 hidden neurons and the derived inputs x1^2, x2^2 (docs/teaching.md)."""
    w = window_for(["--example", "circles"])
    c = w.controller
    c.set_architecture(c.architecture.with_hidden([2], ["tanh"]))
    train(w, 200)
    save(dock(w, "Decision boundary"), "derivedInputs-circles-without.png")
    c.reset()  # nothing trained: choosing derived inputs asks no question
    dialog = w.network_panel.editor.choose_derived()
    for row in range(dialog.list.count()):
        item = dialog.list.item(row)
        if item.text() in ("x1^2", "x2^2"):
            item.setCheckState(Qt.CheckState.Checked)
    grab(dialog, "derivedInputsDialog.png")
    dialog.accept()
    wait(300)
    train(w, 200)
    save(dock(w, "Decision boundary"), "derivedInputs-circles.png")
    nm = dock(w, "Neuron maps")
    view = nm.widget()
    view._show_large(view.input_thumbnails[2])
    wait(200)
    save(nm, "neuronMapsView-derived.png", height=320)
def schedules():
    w = window_for(["--example", "xor"])
    c = w.controller
    c.set_config(c.config.replace(schedule="step", warmup=5, step_size=10, gamma=0.5))
    c.configChanged.emit()  # the form shows what was set from code
    wait(200)
    panel = w.hyperparameter_panel.grab()  # not a dock: grabbed as it is
    panel = panel.copy(0, 0, panel.width(), 190)
    panel.save(os.path.join(OUT, "scheduleCombo.png"), "PNG")
    train(w, 120)
    save(dock(w, "Metrics"), "metricPlot-schedule.png")
    w.close()



def csv_dialog():
    """The import dialog on the docs' iris.csv, opened by a relative path as a user would."""
    from bpgui.gui.csv_import_dialog import CsvImportDialog
    here, path = os.getcwd(), os.path.abspath(os.path.join(OUT, "csvImportDialog.png"))
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "examples"))
    try:
        dialog = CsvImportDialog("iris.csv")
        dialog.resize(900, 640)
        dialog.show()
        QTest.qWaitForWindowExposed(dialog, 5000)
        wait(300)
        dialog.grab().save(path, "PNG")
        print("csvImportDialog.png", os.path.getsize(path))
        dialog.reject()
    finally:
        os.chdir(here)


def drawn():
    """File › New drawing, four clusters clicked in (an XOR), trained (docs/teaching.md)."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QAction

    w = window_for(["--example", "xor"])
    w.findChild(QAction, "actionNewDrawing").trigger()
    d = dock(w, "Decision boundary")
    view = d.widget()
    rng = __import__("numpy").random.default_rng(1)
    for cx, cy, label in ((-0.5, -0.5, "0"), (0.5, 0.5, "0"), (-0.5, 0.5, "1"), (0.5, -0.5, "1")):
        view.tools.class_combo.setCurrentText(label)
        for dx, dy in rng.normal(0, 0.15, (6, 2)):
            box = view.plot.getViewBox()
            where = view.plot.mapFromScene(box.mapViewToScene(QPointF(cx + dx, cy + dy)))
            QTest.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
    wait(200)
    train(w, 1500)
    save(d, "drawnData.png")
    # the points as File › Save data as CSV writes them: docs/examples/drawn.csv (teaching.md)
    examples = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "examples")
    w.files.save_data_csv(os.path.abspath(os.path.join(examples, "drawn.csv")))
    print(w.statusBar().currentMessage())


def sweep():
    """Runs › Sweep… on iris: the dialog with a 2 x 3 grid, then the Runs dock while the runs
    come in (the progress under the table, the finished runs' curves selected)."""
    w = window_for(["--example", "iris"], size=(1600, 900))
    dock(w, "Runs", 760)
    dialog = w.sweeps.ask_sweep()
    dialog.edits["hidden"].setText("8; 16,16")
    dialog.edits["lr"].setText("0.003,0.01,0.03")
    dialog.epochs_spin.setValue(600)
    dialog.jobs_spin.setValue(2)
    grab(dialog, "sweepDialog.png")
    runner, view = w.sweeps.runner, w.view_docks["Runs"].widget()
    dialog.start()
    while len(runner.results) < 4 and runner.is_running:
        wait(20)
    view.table.selectAll()
    save(w.view_docks["Runs"], "runsView-sweep.png")
    while runner.is_running:
        wait(50)
    w.close()


def runs():
    """The Runs tab after two spiral runs with learning rates 0.01 and 0.03 (comparing.md)."""
    import tutorial_shots
    w = window_for(["--example", "spiral"], size=(1600, 1000))
    w.move(0, 0)
    epochs = w.findChild(QAbstractSpinBox, "epochsSpin")
    tutorial_shots.type_into(epochs, "600")
    tutorial_shots.press_start_and_wait(w, wait)
    w.training_panel.reset_button.click()
    tutorial_shots.type_into(w.findChild(QAbstractSpinBox, "learningRateSpin"), "0.03")
    tutorial_shots.press_start_and_wait(w, wait)
    tutorial_shots.click_tab(w, "Runs")
    dock = w.view_docks["Runs"]
    table = dock.widget().table
    table.selectAll()
    wait(500)
    grab(dock, "runsView.png")
    w.close()


def window():
    """The whole window on the spiral: as it opens, trained, while training (README, docs)."""
    import tutorial_shots
    w = window_for(["--example", "spiral"], size=(1600, 1000))
    w.move(0, 0)
    tutorial_shots.click_tab(w, "Boundary")  # the tab a new window shows
    grab(w, "main-window.png")
    train(w, 1500)
    grab(w, "trained.png")
    c = w.controller
    w.training_panel.reset_button.click()
    tutorial_shots.type_into(w.findChild(QAbstractSpinBox, "epochsSpin"), "30000")
    w.training_panel.start_button.click()
    while c.trainer.epoch < 3000:
        wait(50)
    grab(w, "training.png")  # the status bar shows the epochs per second
    w.training_panel.stop_button.click()
    wait(300)
    w.close()


def tutorial():
    """docs/tutorial.md, step by step through the real window (see tutorial_shots.py)."""
    import tutorial_shots
    tutorial_shots.take(OUT, window_for, wait, grab)


for name in (sys.argv[2].split(",") if len(sys.argv) > 2 else
             ["spiral", "plane", "classic", "gradients", "iris", "houses", "derived", "schedules",
              "csv_dialog", "drawn", "sweep", "runs", "window", "tutorial"]):
    bench_gui.private_settings()  # each as a first start: no dock closed by an earlier shot
    globals()[name]()
