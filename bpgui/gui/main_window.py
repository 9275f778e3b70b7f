"""The main window: network in the middle, loss plot below, controls on the left, views docked.

Layout: the "Training" dock on the left holds the training controls and the hyperparameters;
the centre holds the network (editor strip, drawing, legend, numbers) above the loss plot; each
view of ``bpgui.gui.views.VIEWS`` (issue 6) becomes a dock on the right, tabified, when that
package is there. Closing stops the worker, a sweep and an animation and waits for them
(bounded) before accepting.
"""

from __future__ import annotations


from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QApplication, QDockWidget, QLabel, QMainWindow, QMessageBox,
                               QScrollArea, QSplitter, QVBoxLayout, QWidget)

from bpgui.gui import screen_fit, settings
from bpgui.gui.assets import app_icon
from bpgui.gui.controller import TrainingController
from bpgui.gui.dock_tabs import set_tab_tooltips, tab_title
from bpgui.gui.file_actions import FileActions
from bpgui.gui.help_menu import HelpActions
from bpgui.gui.hyperparameter_panel import HyperparameterPanel
from bpgui.gui.network_panel import NetworkPanel
from bpgui.gui.plots import LossPanel
from bpgui.gui.run_tracking import data_name
from bpgui.gui.sweep_actions import SweepActions
from bpgui.gui.training_panel import TrainingPanel
from bpgui.gui.views.runs import add_runs_dock

STATE_WORDS = {"idle": "idle — ready to start", "training": "training", "paused": "paused",
               "stopped": "stopped", "finished": "finished", "diverged": "diverged"}
CSV_SUFFIXES = (".csv", ".tsv", ".txt")


def menu_text(button):
    """A menu item's text for ``button``: its text, and after a tab its shortcut, which the menu
    shows in its shortcut column. Shown only: the button keeps the key (the same key bound to
    the action too would be ambiguous, and neither would fire)."""
    shortcut = button.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    return f"{button.text()}\t{shortcut}" if shortcut else button.text()


def load_views():
    """The views of issue 6, ``{title: factory}``; empty when the package is absent."""
    try:
        from bpgui.gui.views import VIEWS
    except ImportError:
        return {}
    return dict(VIEWS)


class MainWindow(QMainWindow):
    """The bpgui window around one :class:`TrainingController`."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("bpgui — see backpropagation learn")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.controller = TrainingController(self)
        self.network_panel = NetworkPanel(self.controller)
        self.loss_panel = LossPanel(self.controller)
        self.training_panel = TrainingPanel(self.controller)
        self.hyperparameter_panel = HyperparameterPanel(self.controller)
        self.files = FileActions(self, self.controller)
        self.help = HelpActions(self)
        self.sweeps = SweepActions(self, self.controller)
        self.view_docks = {}
        self.training_actions = []  # (menu action, button it clicks)
        self.error_box = None
        self._last_error = ""
        self._rising_note = None
        self._placed_geometry = None  # where the window was put before it was first shown
        self._build_central()
        self._build_controls_dock()
        self._build_view_docks()
        runs_view = add_runs_dock(self).widget()
        button, progress = self.sweeps.dock_widgets()
        runs_view.add_tool(button)
        runs_view.add_footer(progress)
        self._build_menus()
        self._build_status_bar()
        self._connect()
        self._restore_settings()

    # -- layout ------------------------------------------------------------------------------

    def _build_central(self):
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.network_panel)
        splitter.addWidget(self.loss_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.setCentralWidget(splitter)

    def _build_controls_dock(self):
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.training_panel)
        layout.addWidget(self.hyperparameter_panel)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(box)
        scroll.setMinimumWidth(box.sizeHint().width() + 24)
        dock = QDockWidget("Training", self)
        dock.setObjectName("trainingDock")
        dock.setWidget(scroll)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable |
                         QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.controls_dock = dock

    def _build_view_docks(self):
        previous = None
        for title, factory in load_views().items():
            dock = QDockWidget(tab_title(title), self)  # a short tab; the View menu says it whole
            dock.setObjectName(f"dock_{title.replace(' ', '_')}")
            dock.toggleViewAction().setText(title)
            dock.dockLocationChanged.connect(self._label_tabs_soon)
            dock.topLevelChanged.connect(self._label_tabs_soon)
            view = factory(self.controller, dock)
            dock.setWidget(view)
            if hasattr(view, "set_dock_visible"):  # a tabbed-away view skips its frames
                dock.visibilityChanged.connect(view.set_dock_visible)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            if previous is not None:
                self.tabifyDockWidget(previous, dock)
            previous = dock
            self.view_docks[title] = dock
        if self.view_docks:
            next(iter(self.view_docks.values())).raise_()
        self._label_tabs_soon()

    def _label_tabs_soon(self, *_):
        """Tooltips on the dock tabs once Qt has (re)built its tab bars."""
        QTimer.singleShot(0, self, lambda: set_tab_tooltips(self, self.view_docks))

    def _build_menus(self):
        bar = self.menuBar()
        self.files.build_menu(bar.addMenu("&File"))
        training = bar.addMenu("&Training")
        panel = self.training_panel
        for button in (panel.start_button, panel.stop_button, panel.step_epoch_button,
                       panel.step_batch_button, panel.reset_button, panel.reseed_button):
            action = training.addAction(menu_text(button))
            action.triggered.connect(button.click)
            self.training_actions.append((action, button))
        self.sweeps.build_menu(bar.addMenu("&Runs"))
        view = bar.addMenu("&View")
        view.addAction(self.controls_dock.toggleViewAction())
        for dock in self.view_docks.values():
            view.addAction(dock.toggleViewAction())
        self.help.build_menu(bar.addMenu("&Help"))

    def _build_status_bar(self):
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.speed_label = QLabel()
        self.speed_label.setObjectName("epochsPerSecondLabel")
        self.statusBar().addPermanentWidget(self.speed_label)
        self.statusBar().addPermanentWidget(self.status_label)

    def _connect(self):
        controller = self.controller
        controller.stateChanged.connect(self._on_state)
        controller.errorOccurred.connect(self.show_error)
        controller.reportReady.connect(self._on_report)
        controller.batchDone.connect(self._on_batch)
        controller.dataChanged.connect(self._on_data)
        controller.dataEdited.connect(self._on_data)
        self._on_state(controller.state)

    # -- status ------------------------------------------------------------------------------

    def _on_state(self, state):
        text = STATE_WORDS[state]
        if state == "diverged" and self._last_error:
            text = f"diverged: {self._last_error}"
        self.status_label.setText(text)
        self.status_label.setToolTip(text)
        self.status_label.setStyleSheet("color: #b00020" if state == "diverged" else "")
        if state != "training":
            self.speed_label.setText(f"epoch {self.controller.trainer.epoch}" if self.controller.trainer else "")
        for action, button in self.training_actions:
            action.setText(menu_text(button))
            action.setEnabled(button.isEnabled())
        self._note_rising_loss(state)

    def _note_rising_loss(self, state):
        """At the end of a run, a status-bar note when the loss ended far above its start."""
        bar = self.statusBar()
        if state == "training" and bar.currentMessage() == self._rising_note:
            bar.clearMessage()
        if state in ("finished", "stopped") and self.controller.trainer is not None:
            self._rising_note = self.controller.rising_loss_note()
            if self._rising_note:
                bar.showMessage(self._rising_note)

    def _on_report(self, report):
        controller = self.controller
        loss = f"loss {report.train_loss:.4g}" if report.train_loss == report.train_loss else ""
        metric = report.metric
        metric_text = f", {report.metric_name} {metric:.3f}" if metric is not None else ""
        rate = f" — {controller.epochs_per_second:,.0f} epochs/s" if controller.state == "training" else ""
        self.speed_label.setText(f"epoch {report.epoch}  {loss}{metric_text}{rate}")

    def _on_batch(self, batch):
        self.speed_label.setText(f"epoch {batch.epoch}, batch {batch.batch}/{batch.n_batches}: loss {batch.loss:.4g}")

    def _on_data(self):
        data = self.controller.data
        source = self.controller.source or {}
        name = data_name(source) or ("drawing" if "drawing" in source else "")
        self.setWindowTitle(f"bpgui — {name} ({data.task}, {len(data.X_train)} training rows)")

    def show_error(self, message):
        """One clear message: in the status bar and a non-blocking message box."""
        message = str(message)
        self._last_error = message
        self.status_label.setText(f"{STATE_WORDS[self.controller.state]} — error: {message}")
        self.status_label.setToolTip(message)
        self.status_label.setStyleSheet("color: #b00020")
        self.statusBar().showMessage(message, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, "bpgui", message, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("errorMessageBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.error_box = box
        return False

    def show_message(self, message):
        self.statusBar().showMessage(message, 8000)

    # -- drag and drop -----------------------------------------------------------------------

    @staticmethod
    def _dropped_csv(mime):
        for url in mime.urls() if mime.hasUrls() else ():
            path = url.toLocalFile()
            if path.lower().endswith(CSV_SUFFIXES):
                return path
        return None

    def dragEnterEvent(self, event):
        if self._dropped_csv(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event):
        path = self._dropped_csv(event.mimeData())
        if path:
            event.acceptProposedAction()
            self.files.open_csv(path)

    # -- settings and closing ----------------------------------------------------------------

    def _restore_settings(self):
        geometry = settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            screen_fit.fill_screen(self)  # first start: the whole available screen
        screen_fit.fit_window(self)  # a remembered geometry larger than this screen shrinks
        self._placed_geometry = self.geometry()
        state = settings.value("windowState")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state, settings.WINDOW_STATE_VERSION)
        # The speed slider and the log-scale switch start as DESIGN §4 says (full speed, the
        # loss as it is) in every new window: a remembered slow speed or log axis would make
        # a script driving a fresh window train slowly or read log10 values from lossPlot.
        mode = settings.value("neuronColour", "delta")
        if mode in ("delta", "activation", "bias"):
            self.network_panel.colour_combo.setCurrentText(mode)
        self.controller.csv_config = settings.remembered_config("csvHyperparameters")

    def _save_settings(self):
        settings.remember("geometry", self.saveGeometry())
        settings.remember("windowState", self.saveState(settings.WINDOW_STATE_VERSION))
        settings.remember("neuronColour", self.network_panel.colour_combo.currentText())
        controller = self.controller
        csv_config = controller.config if controller.has_csv else controller.csv_config
        if csv_config is not None:  # examples keep their presets; a CSV gets these next time
            settings.remember_config("csvHyperparameters", csv_config)

    def showEvent(self, event):
        """Fit the frame too once the window manager has framed the window (it does so a little
        after the show, so look again a few times in the first second); not when the window
        was sized by code before it was shown."""
        super().showEvent(event)
        if self._placed_geometry is not None and self.geometry() == self._placed_geometry:
            for delay_ms in screen_fit.FRAME_CHECKS_MS:
                QTimer.singleShot(delay_ms, self, lambda: screen_fit.fit_window(self))
        self._placed_geometry = None

    def closeEvent(self, event):
        """Stop a sweep, training and a recording animation (bounded waits), remember the settings,
        then close."""
        self.sweeps.shutdown()
        self.files.animation.shutdown()
        self.controller.shutdown()
        self._save_settings()
        event.accept()


def hook_quit(window):
    """Stop the worker when the application quits another way than closing the window."""
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(window.sweeps.shutdown)
        app.aboutToQuit.connect(window.files.animation.shutdown)
        app.aboutToQuit.connect(window.controller.shutdown)
