"""File › Export animation (``actionExportAnimation``): the current data and settings as a GIF
or MP4, drawn exactly as ``bpgui animate`` draws it (:func:`bpgui.animation.animate_run`).

The animation is a fresh run: a copy of the window's network at the weights the current run
started from (those Reset returns to), trained with the current settings on the loaded data in
a background thread. The window's own network, run and history are never touched, and the
window stays usable meanwhile. A progress dialog counts the epochs and then the frames; Cancel
stops it and writes nothing.
"""

from __future__ import annotations

import os
import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from bpgui.gui import run_tracking, settings
from bpgui.gui.background_job import BackgroundJob
from bpgui.io.atomic import describe_os_error

ANIMATION_FILTER = "GIF animation (*.gif);;MP4 video (*.mp4)"


def window_run(controller):
    """A fresh :class:`bpgui.runs.Run` of the window's current data and settings, at the
    weights the current run started from, sharing no array the window trains.

    Raises
    ------
    ValueError
        When no data is loaded.
    """
    from bpgui.engine import Network
    from bpgui.runs import Run, make_trainer

    if controller.data is None or controller.network is None:
        raise ValueError("nothing to animate: open data first")
    network = controller.network
    copy = Network(network.sizes, network.activations, network.dtype)
    copy.params[...] = controller.trainer.initial_params
    trainer = make_trainer(copy, controller.loss, controller.data, controller.config)
    return Run(controller.settings, controller.data, copy, controller.loss, trainer)


def data_name(controller):
    """The loaded data's name for the title: the example or the CSV file's name."""
    return run_tracking.data_name(controller.source) or "data"


class AnimationWorker(QObject):
    """Records one animation on a worker thread (a parentless QObject, QT-NOTES.md).

    Signals
    -------
    progressed(int, str)
        Steps done of :data:`bpgui.animation.PROGRESS_STEPS` (training, then drawing), and
        what is being done.
    finished(str)
        The path written.
    failed(str, bool)
        The message, and whether it was a cancel (nothing written either way).
    """

    progressed = Signal(int, str)
    finished = Signal(str)
    failed = Signal(str, bool)

    def __init__(self, run, path, options, title):
        super().__init__()
        self.recording, self.path, self.options, self.title = run, path, options, title
        self.epochs = run.trainer.config.max_epochs
        self._cancel = threading.Event()
        self._shown = -1

    def cancel(self):
        """Stop before the next batch or frame (any thread); nothing is written."""
        self._cancel.set()
        self.recording.trainer.request_stop()

    def _progress(self, step, text):
        if step != self._shown:  # a fast run does thousands of epochs a second: a signal a step
            self._shown = step
            self.progressed.emit(step, text)

    def _on_report(self, report):
        from bpgui.animation import progress_steps

        self._progress(progress_steps(report.epoch, self.epochs, 0, 1),
                       f"Training: epoch {report.epoch} of {self.epochs}")

    def _on_frame(self, done, total):
        from bpgui.animation import progress_steps

        self._progress(progress_steps(1, 1, done, total), f"Drawing frame {done} of {total}")

    def run(self):
        from bpgui.animation import AnimationCancelled, animate_run
        from bpgui.engine import TrainingDiverged

        try:
            animate_run(self.recording, self.path, self.options, self.title, on_report=self._on_report,
                        on_frame=self._on_frame, cancelled=self._cancel.is_set)
        except AnimationCancelled:
            self.failed.emit("animation cancelled; nothing was written", True)
        except TrainingDiverged as error:
            self.failed.emit(f"{self.path}: not written: {error}", False)
        except OSError as error:
            self.failed.emit(describe_os_error(error, self.path), False)
        except Exception as error:  # noqa: BLE001 - shown to the user, never a crash
            self.failed.emit(f"{self.path}: {error}", False)
        else:
            self.finished.emit(self.path)


class AnimationExport(BackgroundJob):
    """``actionExportAnimation``'s work: ask for a path, record in the background, report.

    Attributes
    ----------
    dialog : QProgressDialog or None
        While recording (object name ``animationProgressDialog``).
    """

    done = Signal(str)  # the path written, or "" when cancelled or failed

    def __init__(self, window, controller, options=None):
        super().__init__(window)
        self.window, self.controller = window, controller
        self.options = options  # None: the command line's defaults (bpgui.animation, imported when used)
        self.action = None  # set by FileActions: disabled while recording
        self.dialog = None

    def ask(self):
        """The file dialog, then :meth:`record` to the chosen path."""
        path, chosen = QFileDialog.getSaveFileName(self.window, "Export animation", settings.last_directory(),
                                                   ANIMATION_FILTER)
        if path:
            if not os.path.splitext(path)[1]:
                path += ".mp4" if "mp4" in chosen.lower() else ".gif"
            self.record(path)

    def record(self, path):
        """Record the current data and settings to ``path`` (.gif or .mp4) in the background;
        False (and one message) when it cannot start."""
        from bpgui.animation import AnimationOptions, check_output, run_title

        if self.is_running:
            return self.window.show_error("an animation is already being recorded")
        options = self.options or AnimationOptions()
        try:
            options.validate()
            check_output(path, options.size)
            run = window_run(self.controller)
        except ValueError as error:
            return self.window.show_error(str(error))
        worker = AnimationWorker(run, path, options, run_title(data_name(self.controller), run))
        worker.progressed.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        self._show_dialog()
        self._start(worker)
        if self.action is not None:
            self.action.setEnabled(False)
        return True

    def _show_dialog(self):
        from bpgui.animation import PROGRESS_STEPS

        dialog = QProgressDialog("Training…", "Cancel", 0, PROGRESS_STEPS, self.window)
        dialog.setObjectName("animationProgressDialog")
        dialog.setWindowTitle("Export animation")
        dialog.setWindowModality(Qt.WindowModality.NonModal)  # the window stays usable
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.show()
        self.dialog = dialog

    def cancel(self):
        if self._worker is not None:
            self._worker.cancel()
            if self.dialog is not None:
                self.dialog.setLabelText("Cancelling…")

    def _on_progress(self, step, text):
        if self.dialog is not None and self._current():
            self.dialog.setValue(step)
            self.dialog.setLabelText(text)

    def _on_finished(self, path):
        if not self._current():
            return
        self._end()
        settings.remember_directory(path)
        self.window.show_message(f"Animation written to {path}")
        self.done.emit(path)

    def _on_failed(self, message, cancelled):
        if not self._current():
            return
        self._end()
        if cancelled:
            self.window.show_message(message)
        else:
            self.window.show_error(message)
        self.done.emit("")

    def _end(self):
        """Wait for the worker's thread (it is ending) and close the dialog; True when the
        thread has ended."""
        ended = self._join()
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        if self.action is not None:
            self.action.setEnabled(True)
        return ended

    def shutdown(self):
        """Cancel a recording and wait for its thread (bounded) before the window closes."""
        if self._worker is None:
            return True
        self._worker.cancel()
        return self._end()
