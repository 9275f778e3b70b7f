"""The training controller: the one object every view talks to.

It owns the data, the network, the :class:`bpgui.engine.Trainer` (``diagnostics="on_request"``)
and the run's states. The worker thread and its paced frames are a :class:`RunThread`; each
frame's reports go into the :class:`History` and the newest is emitted once, so views never see
a report per epoch.

States: ``idle`` (nothing trained since the last reset), ``training``, ``paused``, ``stopped``,
``finished`` (a stop criterion was met) and ``diverged``.
"""

from __future__ import annotations

import dataclasses
import time

from PySide6.QtCore import QObject, Signal

from bpgui.engine import EpochReport, TrainConfig, TrainingDiverged
from bpgui.gui.history import History
from bpgui.gui.run_thread import STOP_WAIT_MS, RunThread
from bpgui.gui.run_tracking import end_run, sync_run
from bpgui.runs import (Architecture, RunSettings, build_network, example_settings,
                        initial_layers, make_trainer)
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


class TrainingController(QObject):
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

    # -- data ------------------------------------------------------------------------------

    def load_example(self, name, n_samples=None, noise=None, seed=0):
        """Load a built-in example with its preset network and training defaults."""
        from bpgui.data import get_example, load_example

        example = get_example(name)
        table = load_example(name, n_samples=n_samples, noise=noise, seed=seed)
        defaults = RunSettings.from_parts(Architecture(), TrainConfig(seed=self.config.seed), example.spec)
        settings, preset_layers = example_settings(example, defaults)
        source = {"example": name, "n_samples": n_samples, "noise": noise, "seed": seed}
        self.load_table(table, settings.dataset_spec(example.spec), source,
                        architecture=settings.architecture(), config=settings.train_config(),
                        init_layers=preset_layers)

    def load_csv(self, path, options, spec):
        """Read and prepare a CSV; raises ``DataError`` and keeps the loaded data on failure."""
        from bpgui.data import read_csv

        table = read_csv(path, options)
        source = {"csv": str(path), "options": dataclasses.asdict(options)}
        self.load_table(table, spec, source,
                        architecture=self.architecture.replace(output_activation="auto", loss="auto"),
                        config=self.config_for_csv())

    @property
    def settings(self):
        """Everything the next run would use, in the command line's words (:class:`RunSettings`)."""
        from bpgui.data import DatasetSpec

        return RunSettings.from_parts(self.architecture, self.config, self.spec or DatasetSpec())

    @property
    def has_csv(self):
        """True when the loaded data came from a CSV file (not a built-in example)."""
        return bool(self.source) and "csv" in self.source

    def config_for_csv(self):
        """The hyperparameters a newly opened CSV starts with: the current ones after a CSV,
        else the last ones used on a CSV (``csv_config``, also remembered between runs by the
        window), else the defaults. An example's tuned preset never carries over to a CSV."""
        if self.has_csv:
            return self.config
        return self.csv_config or TrainConfig(seed=self.config.seed)

    def load_table(self, table, spec, source, architecture=None, config=None, init_layers=None,
                   initial_params=None):
        """Prepare ``table`` with ``spec`` and build a fresh network for it.

        Everything that can fail (preparing the data, pairing the output) runs before any
        state changes, so a failure leaves the loaded data, network and history untouched.
        """
        from bpgui.data import prepare

        architecture = architecture or self.architecture
        config = (config or self.config).validate()
        data = prepare(table, spec)
        layers = initial_layers(RunSettings(), init_layers)
        network, loss = build_network(data, architecture, config.seed, layers)
        if initial_params is not None:
            if len(initial_params) != len(network.params):
                raise ValueError(f"the saved weights do not fit the network {network.describe()}")
            network.params[...] = initial_params
        trainer = self._make_trainer(network, loss, data, config)
        self.stop_and_wait()
        if self.has_csv:  # leaving the user's own data: keep its settings for the next CSV
            self.csv_config = self.config
        self.table, self.spec, self.data, self.source = table, spec, data, source
        self.architecture, self.config = architecture, config
        self.initial_seed = config.seed if init_layers is None and initial_params is None else None
        self._install(network, loss, trainer)
        self.dataChanged.emit()
        self.configChanged.emit()

    def set_derived(self, derived):
        """Re-prepare the loaded table with these derived inputs (``x1^2``, …; canonical or
        not) and build a fresh network for it; the window asks first when that discards
        training (``change_derived``). Raises ``DataError`` and changes nothing for a bad one.
        """
        spec = self.spec.replace(derived=tuple(derived))
        if spec == self.spec:
            return
        self.load_table(self.table, spec, self.source)

    def fits(self, data):
        """True when the current network takes ``data`` (a PreparedData) as it is: same
        task, inputs and outputs (so :meth:`replace_rows` can use it)."""
        if self.network is None or data.task != self.task:
            return False
        sizes, activations, _ = self.architecture.resolve(data)
        return (tuple(sizes), tuple(activations)) == (self.network.sizes, self.network.activations)

    def replace_rows(self, table, data, source):
        """Use other rows of data the network :meth:`fits` (points drawn while training):
        the network, the run and its history go on; the trainer takes the new arrays as its
        next epoch begins, never inside one. Emits ``dataEdited``."""
        Y_train, Y_val, _ = data.targets_for(self.network.n_outputs)
        has_val = len(data.X_val) > 0
        self.trainer.replace_data(data.X_train, Y_train, data.X_val if has_val else None,
                                  Y_val if has_val else None)
        if not self.run_thread.is_running and self.trainer.batch_in_epoch == 0:
            self.trainer.apply_pending_data()  # nothing trains: at once
        self.table, self.spec, self.data, self.source = table, data.spec, data, source
        self.dataEdited.emit()

    @staticmethod
    def _make_trainer(network, loss, data, config):
        return make_trainer(network, loss, data, config, diagnostics="on_request")

    def _install(self, network, loss, trainer):
        end_run(self)
        self.network, self.loss, self.trainer = network, loss, trainer
        self.task = trainer.task
        self._forget_run()
        self.networkChanged.emit()
        self._set_state("idle")

    def _forget_run(self):
        self.history.clear()
        self.last_report = None
        self.run_start_epoch = self.run_limit = 0
        self.epochs_per_second = 0.0

    def targets(self, split="train"):
        """``(X, Y)`` of a split with Y fitted to the network's outputs: ``(n, n_outputs)``."""
        Y = dict(zip(("train", "val", "test"), self.data.targets_for(self.network.n_outputs)))[split]
        return getattr(self.data, f"X_{split}"), Y

    # -- network and hyperparameters ---------------------------------------------------------

    def set_architecture(self, architecture):
        """Use a new architecture.

        When only the loss changed, the network, its weights, the run and the history are
        kept; otherwise the network is rebuilt with new weights from the seed (the window
        asks the user first when that throws training away: :meth:`keeps_weights`).
        """
        network, loss = build_network(self.data, architecture, self.config.seed)
        if self.keeps_weights(architecture):
            self.stop_and_wait()
            trainer = self._make_trainer(self.network, loss, self.data, self.config)
            trainer.load_state_dict(self.trainer.state_dict())
            self.architecture, self.loss, self.trainer = architecture, loss, trainer
            self.networkChanged.emit()
            return
        trainer = self._make_trainer(network, loss, self.data, self.config)
        self.stop_and_wait()
        self.architecture = architecture
        self.initial_seed = self.config.seed
        self._install(network, loss, trainer)

    def install_network(self, architecture, network):
        """Train ``network`` (say, an imported model's) from its current weights on the data."""
        sizes, activations, loss = architecture.resolve(self.data)
        if tuple(sizes) != network.sizes or tuple(activations) != network.activations:
            raise ValueError(f"the network {network.describe()} does not fit the loaded data, "
                             f"which needs {'-'.join(map(str, sizes))} with a {activations[-1]} output")
        trainer = self._make_trainer(network, loss, self.data, self.config)
        self.stop_and_wait()
        self.architecture = architecture
        self.initial_seed = None  # weights from elsewhere, not drawn from a seed
        self._install(network, loss, trainer)
        self.configChanged.emit()

    def after_restore(self):
        """After a session set weights, epoch and history: show them, paused where it was."""
        self.run_start_epoch = 0
        self.run_limit = self.config.max_epochs if self.trainer.epoch else 0
        self.last_report = self._report_from_history()
        sync_run(self, with_weights=True)
        self.networkChanged.emit()
        self.reportReady.emit(self.current_report())
        if self.trainer.epoch:
            self._set_state("finished" if self.trainer.epoch >= self.run_limit else "paused")

    def _report_from_history(self):
        history = self.history
        if not history.n:
            return None
        row = history.n - 1

        def value(name):
            x = float(history.column(name)[row])
            return None if x != x else x
        return EpochReport(epoch=int(history.column("epoch")[row]), train_loss=value("train_loss"),
                           val_loss=value("val_loss"), train_metric=value("train_metric"),
                           val_metric=value("val_metric"), metric_name=self.trainer.metric_name,
                           seconds=value("seconds") or 0.0, lr=value("lr"))

    def keeps_weights(self, architecture):
        """True when ``architecture`` gives the current network the same shape and start."""
        if self.network is None or self.data is None:
            return False
        sizes, activations, _ = architecture.resolve(self.data)
        old = self.architecture
        return (tuple(sizes), tuple(activations), architecture.dtype, architecture.init,
                architecture.init_range) == (self.network.sizes, self.network.activations,
                                             old.dtype, old.init, old.init_range)

    @property
    def has_trained(self):
        """True once any batch was trained since the last reset."""
        return self.trainer is not None and (self.trainer.epoch > 0 or self.trainer.batch_in_epoch > 0)

    def set_config(self, config):
        """Apply new hyperparameters, keeping the weights.

        While training, the run pauses between batches, takes the new settings and carries on.
        """
        config = config.validate()
        if config == self.config:
            return
        self.config = config
        if self.state == "training":
            self._pending_config = config
            self.run_thread.request_stop()
            return
        self._apply_config(config)

    def _apply_config(self, config):
        self.trainer.set_config(config)
        if self.run_limit:
            self.run_limit = self.run_start_epoch + config.max_epochs

    def weights_edited(self, new_start=True):
        """Call after changing weights while not training.

        ``new_start``: a hand edit while idle sets up the start of the next run, so a reset
        returns to the edited weights; a training step applied by hand (the inspector's Apply,
        ``new_start=False``) is undone by a reset like any training.
        """
        if new_start and self.state == "idle":
            self.trainer.restart_from_current()
            self.initial_seed = None  # set by hand, not drawn from a seed
        self.networkChanged.emit()
        self.reportReady.emit(self.current_report())

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
