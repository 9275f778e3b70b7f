"""The training controller: the one object every view talks to.

It owns the data, the network, the :class:`bpgui.engine.Trainer` (``diagnostics="on_request"``)
and the run's states. Loading data and building the network and trainer are its
:class:`~bpgui.gui.training_setup.TrainingSetup` half; this module runs the training. The worker thread and its paced frames are a :class:`RunThread`; each
frame's reports go into the :class:`History` and the newest is emitted once, so views never see
a report per epoch.

States: ``idle`` (nothing trained since the last reset), ``training``, ``paused``, ``stopped``,
``finished`` (a stop criterion was met) and ``diverged``.
"""

from __future__ import annotations

import dataclasses
import time

from PySide6.QtCore import QObject, Signal

from bpgui.engine import EpochReport, TrainConfig
from bpgui.gui.history import History
from bpgui.gui.run_thread import STOP_WAIT_MS, RunThread
from bpgui.gui.run_tracking import end_run, sync_run
from bpgui.gui.training_setup import TrainingSetup
from bpgui.runs import Architecture
from bpgui.runs.run_log import RunLog

DIAGNOSTIC_FIELDS = ("neuron_delta", "neuron_abs_delta", "neuron_activation", "params")
STATES = ("idle", "training", "paused", "stopped", "finished", "diverged")
SPEED_MAX = 20  # the speed slider's range is 0..SPEED_MAX; the maximum is full speed


def epoch_delay(speed):
    """Seconds to sleep after each epoch at slider value ``speed`` (0 … SPEED_MAX).

    ``SPEED_MAX`` is full speed (no sleep); the minimum sleeps one second (about one epoch a
    second for the small problems a lecture uses); in between the delay falls geometrically.
    """
    if speed >= SPEED_MAX:
        return 0.0
    return 10.0 ** (-3.0 * max(speed, 0) / SPEED_MAX)


class TrainingController(QObject, TrainingSetup):
    """Data, network, trainer and worker thread; the views' single source of truth.

    Attributes
    ----------
    data : bpgui.data.PreparedData or None
    table : bpgui.data.Table or None
    spec : bpgui.data.DatasetSpec or None
    network : bpgui.engine.Network or None
    loss, task : str
    config : TrainConfig
    architecture : Architecture
    state : str
    history : History
    last_report : EpochReport or None
        The newest report, with diagnostics when any were computed since.
    runs : RunLog
        Every run kept (the Runs dock); fed here at a run's boundaries and once a frame.
    """

    dataChanged = Signal()
    dataEdited = Signal()  # the rows changed in place (a drawing): same network, the run goes on
    networkChanged = Signal()
    reportReady = Signal(object)
    stateChanged = Signal(str)
    errorOccurred = Signal(str)
    highlightRequested = Signal(object)
    configChanged = Signal()  # config or architecture replaced from code (preset, reseed, session)
    batchDone = Signal(object)  # BatchReport of a single step

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data = self.table = self.spec = self.network = self.trainer = None
        self.source = None  # {"csv": path, "options": {...}} or {"example": name, ...}
        self.csv_config = None  # the hyperparameters last used on a CSV (see config_for_csv)
        self.loss = "mse"
        self.task = "regression"
        self.config = TrainConfig()
        self.architecture = Architecture()
        self.initial_seed = None  # the seed the current run's initial weights were drawn from
        self.state = "idle"
        self.history = History()
        self.runs = RunLog()
        self.last_report = None
        self.speed = SPEED_MAX
        self.run_start_epoch = 0
        self.run_limit = 0
        self.epochs_per_second = 0.0
        self.data_problem = None  # why the data cannot be trained now (a drawing): Start says it
        self._pending_config = None
        self._stepping = False
        self._last_tick = time.perf_counter()
        self.run_thread = RunThread(self)
        self.run_thread.framed.connect(self._record)
        self.run_thread.finished.connect(self._on_worker_finished)
        self.run_thread.failed.connect(self._on_worker_failed)

    # -- training ----------------------------------------------------------------------------

    @property
    def is_training(self):
        return self.state == "training"

    @property
    def run_epochs(self):
        """Epochs completed in the current run (0 before any run)."""
        return self.trainer.epoch - self.run_start_epoch if self.run_limit else 0

    def start(self):
        """Start a run (from idle, stopped, finished or diverged) or resume a paused one."""
        if self.trainer is None or self.state == "training" or self._refused():
            return
        if self.state != "paused":
            self._begin_run()
        self._launch()

    def pause(self):
        if self.state == "training":
            self.run_thread.request_stop()
            self._set_state("paused")

    def stop(self):
        """End the run; the weights stay as they are."""
        if self.state == "training":
            self.run_thread.request_stop()
            self._set_state("stopped")
        elif self.state == "paused":
            self._set_state("stopped")

    def step_epoch(self):
        """Train exactly one epoch (the rest of the one begun, when paused inside an epoch) on
        the worker thread; state ``training`` meanwhile, then ``paused`` (or ``finished``)."""
        if self._prepare_step():
            self._launch(step="epoch")

    def step_batch(self):
        """Train exactly one mini-batch on the worker thread; then emits ``batchDone`` (and a
        report if the batch ended an epoch) and pauses."""
        if self._prepare_step():
            self._launch(step="batch")

    @property
    def is_stepping(self):
        """True while a single epoch or batch is being trained."""
        return self._stepping

    def reset(self):
        """Back to the same initial weights, epoch 0, empty history."""
        self.stop_and_wait()
        end_run(self)
        self.trainer.reset()
        self._forget_run()
        self.networkChanged.emit()
        self._set_state("idle")

    def reseed(self, seed=None):
        """Draw new initial weights from ``seed`` (default: the next seed) and reset."""
        self.stop_and_wait()
        end_run(self)
        seed = self.config.seed + 1 if seed is None else int(seed)
        self.config = self.config.replace(seed=seed)
        self.initial_seed = seed
        self.network.initialize(self.architecture.init, seed, self.architecture.init_range)
        self.trainer.set_config(self.config)
        self.trainer.restart_from_current()
        self._forget_run()
        self.configChanged.emit()
        self.networkChanged.emit()
        self._set_state("idle")

    def rising_loss_note(self):
        """A sentence suggesting a lower learning rate when the run's training loss ended far
        above the loss of its initial weights (``bpgui.runs.rising_loss``), else None."""
        from bpgui.runs import rising_loss_note

        losses = self.history.column("train_loss")
        if self.trainer is None or not len(losses):
            return None
        return rising_loss_note(self.trainer.initial_loss(), float(losses[-1]), self.config.learning_rate)

    def set_speed(self, speed):
        """Slider value 0 … SPEED_MAX; read by the worker after every epoch."""
        self.speed = int(speed)

    def current_delay(self):
        return epoch_delay(self.speed)

    def current_report(self):
        """The newest report with diagnostics of the network as it is now."""
        base = self.last_report or EpochReport(
            epoch=self.trainer.epoch, train_loss=float("nan"), val_loss=None, train_metric=None,
            val_metric=None, metric_name=self.trainer.metric_name, seconds=0.0)
        return dataclasses.replace(base, **self.trainer.diagnostics_now())

    def stop_and_wait(self, timeout_ms=STOP_WAIT_MS):
        """Stop the worker and wait (bounded) until its thread has ended; True when it has."""
        if not self.run_thread.is_running:
            return True
        done = self.run_thread.join(timeout_ms)
        self._stepping = False
        if self._pending_config is not None:
            self._apply_config(self._pending_config)
            self._pending_config = None
        if self.state == "training":
            self._set_state("stopped")
        return done

    def shutdown(self):
        """Stop everything before the window closes or the application quits."""
        return self.stop_and_wait()

    # -- internals ---------------------------------------------------------------------------

    def _begin_run(self):
        self.run_start_epoch = self.trainer.epoch
        self.run_limit = self.trainer.epoch + self.config.max_epochs

    def _refused(self):
        """Say why training cannot start now (``data_problem``); True when it cannot."""
        if self.data_problem:
            self.errorOccurred.emit(f"cannot train yet: {self.data_problem}")
        return bool(self.data_problem)

    def _prepare_step(self):
        if self.trainer is None or self.state == "training" or self._refused():
            return False
        if self.state != "paused":
            self._begin_run()
        self.trainer.clear_stop()
        return True

    def _after_step(self, batch):
        self._stepping = False
        if self.state == "training":  # not paused or stopped by the user meanwhile
            self._set_state("finished" if self.trainer.epoch >= self.run_limit else "paused")
        if batch is not None:
            self.batchDone.emit(batch)
        self.networkChanged.emit()
        self.reportReady.emit(self.current_report())  # drawn at once: no longer training

    def _launch(self, step=None):
        """Start the worker: a run to ``run_limit``, or one ``step`` ("epoch" or "batch")."""
        self._stepping = step is not None
        limit = self.trainer.epoch + 1 if step == "epoch" else self.run_limit
        delay = self.current_delay if step is None else (lambda: 0.0)  # a step never waits
        self._last_tick = time.perf_counter()
        self.run_thread.launch(self.trainer, limit, delay, single_batch=step == "batch",
                               full_speed=lambda: self._stepping or self.current_delay() == 0)
        self._set_state("training")

    def _record(self, reports):
        self.history.extend(reports)
        sync_run(self)
        now = time.perf_counter()
        elapsed = now - self._last_tick
        if elapsed > 0 and self.state == "training":
            rate = len(reports) / elapsed
            self.epochs_per_second = rate if not self.epochs_per_second else 0.7 * self.epochs_per_second + 0.3 * rate
        self._last_tick = now
        newest = reports[-1]
        if newest.params is None:  # carry the newest per-neuron data along for the views
            donors = [r for r in reports if r.params is not None] or [self.last_report]
            donor = donors[-1]
            if donor is not None and donor.params is not None:
                newest = dataclasses.replace(newest, **{name: getattr(donor, name) for name in DIAGNOSTIC_FIELDS})
        self.last_report = newest
        self.reportReady.emit(newest)

    def _on_worker_finished(self, reason, batch):
        if self._stepping:
            if self._pending_config is not None:
                config, self._pending_config = self._pending_config, None
                self._apply_config(config)
            self._after_step(batch)
            return
        if self._pending_config is not None:
            config, self._pending_config = self._pending_config, None
            self._apply_config(config)
            if self.state == "training" and reason == "stopped":
                self._launch()  # the run paused only to take the new settings
                return
        if reason != "stopped" or self.state == "training":
            self._set_state("finished")
        self.reportReady.emit(self.current_report())

    def _on_worker_failed(self, message, diverged):
        self._stepping = False
        if diverged:
            self._diverged(message)
        else:
            self._set_state("stopped")
            self.errorOccurred.emit(message)

    def _diverged(self, message):
        self.networkChanged.emit()  # the last finite weights were restored
        self._set_state("diverged")
        self.errorOccurred.emit(message)

    def _set_state(self, state):
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}")
        self.state = state
        if state != "training":
            sync_run(self)  # late reports, and "diverged", reach the run's record
        self.stateChanged.emit(state)
