"""Training controls: start / pause / resume, stop, step, reset, reseed, speed and progress."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QGridLayout, QGroupBox, QHBoxLayout, QLabel, QProgressBar,
                               QPushButton, QSlider, QVBoxLayout)

from bpgui.gui.controller import SPEED_MAX

START_TEXT = {"idle": "Start", "training": "Pause", "paused": "Resume", "stopped": "Start",
              "finished": "Start", "diverged": "Start"}
START_SHORTCUT = "Space"


def _button(text, name, tooltip, shortcut=None):
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tooltip)
    if shortcut:
        button.setShortcut(shortcut)
        button.setToolTip(f"{tooltip} ({shortcut})")
    return button


class TrainingPanel(QGroupBox):
    """Buttons that drive :class:`TrainingController`, the speed slider and the run's progress."""

    def __init__(self, controller, parent=None):
        super().__init__("Training", parent)
        self.controller = controller
        self.start_button = _button("Start", "startButton", "Start training, pause it, or resume it",
                                    START_SHORTCUT)
        self.stop_button = _button("Stop", "stopButton", "End the run; the weights stay as they are", "Ctrl+.")
        self.step_epoch_button = _button("Step epoch", "stepEpochButton", "Train exactly one epoch, then pause", "Ctrl+E")
        self.step_batch_button = _button("Step batch", "stepBatchButton", "Train exactly one mini-batch, then pause", "Ctrl+B")
        self.reset_button = _button("Reset", "resetButton", "Back to the same initial weights and an empty history", "Ctrl+R")
        self.reseed_button = _button("New weights", "reseedButton", "Draw new initial weights from the next seed and reset")
        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setObjectName("speedSlider")
        self.speed_slider.setRange(0, SPEED_MAX)
        self.speed_slider.setValue(SPEED_MAX)
        self.speed_slider.setToolTip("Training speed: full speed at the right, about one epoch a second at the left")
        self.progress = QProgressBar()
        self.progress.setObjectName("epochProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m epochs")
        self.progress.setToolTip("Epochs completed in the current run")
        self._lay_out()
        self.start_button.clicked.connect(self._on_start_clicked)
        self.stop_button.clicked.connect(controller.stop)
        self.step_epoch_button.clicked.connect(controller.step_epoch)
        self.step_batch_button.clicked.connect(controller.step_batch)
        self.reset_button.clicked.connect(controller.reset)
        self.reseed_button.clicked.connect(lambda *_: controller.reseed())
        self.speed_slider.valueChanged.connect(controller.set_speed)
        controller.stateChanged.connect(self._on_state)
        controller.reportReady.connect(self._update_progress)
        controller.networkChanged.connect(self._update_progress)
        controller.configChanged.connect(self._update_progress)
        self._on_state(controller.state)

    def _lay_out(self):
        grid = QGridLayout()
        buttons = [self.start_button, self.stop_button, self.step_epoch_button,
                   self.step_batch_button, self.reset_button, self.reseed_button]
        for i, button in enumerate(buttons):
            grid.addWidget(button, i // 2, i % 2)
        speed = QHBoxLayout()
        speed.addWidget(QLabel("Slow"))
        speed.addWidget(self.speed_slider, 1)
        speed.addWidget(QLabel("Fast"))
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(speed)
        layout.addWidget(self.progress)

    def _on_start_clicked(self):
        if self.controller.state == "training":
            self.controller.pause()
        else:
            self.controller.start()

    def _on_state(self, state):
        has_data = self.controller.trainer is not None
        training = state == "training"
        self.start_button.setText(START_TEXT[state])
        self.start_button.setShortcut(START_SHORTCUT)  # setText drops it (Qt sets the text's mnemonic)
        self.start_button.setEnabled(has_data)
        self.stop_button.setEnabled(state in ("training", "paused"))
        for button in (self.step_epoch_button, self.step_batch_button, self.reset_button, self.reseed_button):
            button.setEnabled(has_data and not training)
        self._update_progress()

    def _update_progress(self, *_):
        controller = self.controller
        if controller.trainer is None:
            return
        total = controller.run_limit - controller.run_start_epoch if controller.run_limit else controller.config.max_epochs
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(controller.run_epochs, max(total, 1)))
