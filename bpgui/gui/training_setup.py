"""What the window trains: its data, network and settings (the controller's first half).

:class:`TrainingSetup` is mixed into :class:`~bpgui.gui.controller.TrainingController`: loading
data (examples, CSVs, drawings), building the network and trainer for it through
:mod:`bpgui.runs` (the one place that turns settings into a run), and applying new
architectures and hyperparameters. The controller's other half (its module) runs the
training: states, the worker thread and what it reports. No Qt here beyond the controller's
own signals, which these methods emit.
"""

from __future__ import annotations

import dataclasses

from bpgui.engine import EpochReport, TrainConfig
from bpgui.gui.run_tracking import end_run, sync_run
from bpgui.runs import (Architecture, RunSettings, build_network, example_settings,
                        initial_layers, make_trainer)


class TrainingSetup:
    """Data, network and settings of a :class:`TrainingController` (a mixin: the controller
    holds the attributes and signals these methods use)."""

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
