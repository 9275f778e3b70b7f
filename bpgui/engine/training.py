"""The training loop: a resumable trainer whose ``epochs()`` is a generator of reports.

The generator yields one immutable :class:`EpochReport` per completed epoch and checks a
thread-safe stop flag between batches; abandoning it (or stopping it) leaves the trainer
exactly where it was, so the next ``epochs()`` call resumes at the next batch. Pausing a run,
stepping one batch or one epoch, and changing hyperparameters between runs all follow from
that. The trainer knows nothing of threads beyond two ``threading.Event`` flags and the
lock of its pending-data slot.

Every report carries each layer's gradient norm: that of the epoch's last batch, as
backpropagation gave it (before the L1/L2 term and clipping), a few dot products per epoch.
Per-neuron diagnostics (mean |delta|, mean activation) are computed at the end of an epoch on
a fixed probe of up to ``probe_size`` training rows, only when asked (``diagnostics="always"``,
or ``request_diagnostics()`` before the epoch ends), so headless training never pays for what
nobody looks at.

The learning rate follows the config's schedule (``engine/schedules.py``): it is set once at
the start of each epoch from ``epoch + 1``, so pausing, stepping, resuming and restoring a
saved state all continue the schedule where it stood, and no batch pays for it.

The data may change while training runs (points drawn in the window): :meth:`Trainer.replace_data`
(any thread) leaves new arrays in a slot that the trainer takes as its next epoch begins, so
an epoch always trains on one dataset, never a mix, and the trainer holds the only copy.
"""

from __future__ import annotations

import math
import threading
import time

import numpy as np

from bpgui.engine.batches import BatchPlan
from bpgui.engine.config import TrainConfig
from bpgui.engine.losses import add_penalty_gradient, check_pair, get_loss, penalty
from bpgui.engine.metrics import METRICS
from bpgui.engine.network import Network
from bpgui.engine.optimizers import make_optimizer
from bpgui.engine.reports import BatchReport, EpochReport, TrainingDiverged
from bpgui.engine.stopping import BestEpoch, stop_reason
from bpgui.engine.training_data import PendingData, TrainingData, checked_arrays

TASKS = ("classification", "regression")
DIAGNOSTICS = ("always", "on_request", "never")


def _all_finite(array):
    """True when no element is NaN or infinite (min and max carry any NaN; no temporary)."""
    return math.isfinite(float(array.min())) and math.isfinite(float(array.max()))


class Trainer(TrainingData):
    """Trains ``network`` in place on ``(X, Y)``.

    Parameters
    ----------
    network : Network
    loss : str
        Loss key; must pair with the network's output activation.
    X : array-like of shape (n_samples, n_inputs)
    Y : array-like of shape (n_samples, n_outputs)
        One-hot rows (or one 0/1 column) for classification, targets for regression.
    config : TrainConfig
    X_val, Y_val : array-like, optional
        Validation split, evaluated after every epoch.
    task : {"classification", "regression"}
    diagnostics : {"always", "on_request", "never"}
    probe_size : int
        Rows used to compute per-neuron diagnostics and gradient norms.
    """

    def __init__(self, network, loss, X, Y, config=None, *, X_val=None, Y_val=None,
                 task="regression", diagnostics="on_request", probe_size=256):
        if task not in TASKS:
            raise ValueError(f"unknown task {task!r}")
        if diagnostics not in DIAGNOSTICS:
            raise ValueError(f"diagnostics must be one of {DIAGNOSTICS}")
        check_pair(network.output_activation, loss)
        self.network = network
        self.loss = get_loss(loss)
        self.task = task
        self.metric_name = METRICS[task][0]
        self.diagnostics = diagnostics
        self.config = (config or TrainConfig()).validate()
        self._probe_size = probe_size
        self._set_data(*checked_arrays(self.network, X, Y, X_val, Y_val))
        self._pending_data = PendingData()  # to take at the next epoch's start (replace_data)
        self._stop = threading.Event()
        self._diagnostics_request = threading.Event()
        self._initial_params = network.params.copy()
        self._snapshot = network.params.copy()
        self._reset_state()
        self._rate_of = self.config.rate_function()
        self._build_batches()
        self._make_optimizer()

    # -- public API ------------------------------------------------------------------------

    def epochs(self, limit=None):
        """Yield an :class:`EpochReport` per epoch until a stop criterion or the stop flag.

        Parameters
        ----------
        limit : int, optional
            Stop once this many epochs in total are done (default ``config.max_epochs``).

        Raises
        ------
        TrainingDiverged
            When a loss or weight becomes non-finite (the last finite weights are restored).
        """
        limit = self.config.max_epochs if limit is None else int(limit)
        while self.epoch < limit and not self._stop.is_set():
            with np.errstate(over="ignore", invalid="ignore"):  # NaN/inf raise TrainingDiverged
                report = self._run_epoch(limit)
            if report is None:
                return
            yield report
            if report.stop_reason:
                return

    def step_batch(self, limit=None):
        """Train exactly one mini-batch.

        Returns
        -------
        (BatchReport, EpochReport or None)
            The batch's loss, and the epoch's report when this batch completed an epoch.
        """
        if self._cursor == 0:
            self._begin_epoch()
        with np.errstate(over="ignore", invalid="ignore"):  # NaN/inf raise TrainingDiverged
            self._batch_trainer()(self._cursor)
            value = self._plan.batch_loss(self.loss, self._cursor)
        if not math.isfinite(value):
            self._diverge("the loss")
        self._cursor += 1
        batch = BatchReport(self.epoch + 1, self._cursor, self.n_batches, value)
        if self._cursor < self.n_batches:
            return batch, None
        limit = self.config.max_epochs if limit is None else int(limit)
        with np.errstate(over="ignore", invalid="ignore"):
            return batch, self._end_epoch(limit)

    def request_stop(self):
        """Ask a running ``epochs()`` to stop before its next batch (any thread)."""
        self._stop.set()

    def clear_stop(self):
        self._stop.clear()

    @property
    def stop_requested(self):
        return self._stop.is_set()

    def request_diagnostics(self):
        """Ask for per-neuron data and gradient norms in the next epoch's report (any thread)."""
        self._diagnostics_request.set()

    @property
    def n_batches(self):
        return len(self._plan)

    @property
    def batch_in_epoch(self):
        """Batches already done in the epoch in progress (0 at an epoch boundary)."""
        return self._cursor

    @property
    def learning_rate(self):
        """The rate of the epoch in progress (or the next one, at an epoch boundary)."""
        return self._rate_of(self.epoch + 1)

    def set_config(self, config):
        """Apply new hyperparameters between runs; the weights and, where possible, the
        optimiser state are kept (a different optimiser or bias switch starts a fresh state).
        The epoch in progress goes on at the new schedule's rate for it."""
        config = config.validate()
        old, self.config = self.config, config
        self._rate_of = config.rate_function()
        if (config.optimizer, config.train_biases) != (old.optimizer, old.train_biases):
            self._make_optimizer()
        else:
            self._optimizer.set_hyperparameters(**config.optimizer_hyperparameters())
            self._optimizer.learning_rate = self.learning_rate
        if (config.batch_size, config.shuffle, config.dropout) != (old.batch_size, old.shuffle, old.dropout):
            self._cursor = 0
            self._build_batches()

    def reset(self):
        """Back to the initial weights of this run, epoch 0, fresh optimiser and shuffling."""
        self.network.params[...] = self._initial_params
        self._reset_state()
        self._optimizer.reset()
        self._optimizer.learning_rate = self.learning_rate

    @property
    def initial_params(self):
        """A copy of the weights this run started from (what :meth:`reset` returns to)."""
        return self._initial_params.copy()

    def restart_from_current(self):
        """Take the network's current weights (say, re-initialised) as the new initial ones."""
        self._initial_params = self.network.params.copy()
        self.reset()

    def state_dict(self):
        """Everything needed to resume at an epoch boundary: ``{"epoch", "params", ...}``.

        The schedule's position is ``epoch`` (the next epoch's rate follows from it and the
        config); the optimiser's state also holds the rate in use."""
        return {
            "epoch": self.epoch,
            "params": self.network.params.copy(),
            "initial_params": self._initial_params.copy(),
            "optimizer": self._optimizer.state_dict(),
            "rng": self._rng.bit_generator.state,
        }

    def load_state_dict(self, state):
        self.network.params[...] = state["params"]
        self._initial_params = np.array(state["initial_params"], dtype=self.network.dtype)
        self._reset_state()
        self.epoch = int(state["epoch"])
        self._optimizer.load_state_dict(state["optimizer"])
        self._rng.bit_generator.state = state["rng"]

    def initial_loss(self):
        """The training loss of the run's initial weights (data term plus the L1/L2 penalty,
        as ``EpochReport.train_loss``): where the run started. One forward pass over the
        training rows; the trained network is not read, so a running epoch may go on."""
        network = Network(self.network.sizes, self.network.activations, self.network.dtype)
        network.params[...] = self._initial_params
        with np.errstate(over="ignore", invalid="ignore"):
            y_hat = network.forward(self.X)
            value = self.loss.value(y_hat, self.Y, np.empty_like(y_hat))
        return float(value + self._penalty_of(network.params))

    def evaluate(self, X, Y):
        """Return ``(loss, metric)`` of the current network on ``(X, Y)`` (data term only)."""
        y_hat = self.network.forward(X)
        value = self.loss.value(y_hat, np.asarray(Y, self.network.dtype), np.empty_like(y_hat))
        return value, METRICS[self.task][1](y_hat, np.asarray(Y, float))

    # -- the loop --------------------------------------------------------------------------

    def _run_epoch(self, limit):
        if self._cursor == 0:
            self._begin_epoch()
        train_batch, stop, n_batches = self._batch_trainer(), self._stop, self.n_batches
        while self._cursor < n_batches:
            # a begun (shuffled) epoch runs one batch first, else resuming would shuffle again
            if self._cursor > 0 and stop.is_set():
                self._check_paused_epoch()
                return None
            train_batch(self._cursor)
            self._cursor += 1
        return self._end_epoch(limit)

    def _begin_epoch(self):
        if self._pending_data.waiting:  # data drawn meanwhile: taken between epochs only
            self.apply_pending_data()
        self._epoch_started = time.perf_counter()
        rate = self._rate_of(self.epoch + 1)  # the schedule: one rate for the whole epoch
        if rate != self._optimizer.learning_rate:
            self._optimizer.set_learning_rate(rate)
        np.copyto(self._snapshot, self.network.params)
        self._plan.penalties.fill(0.0)
        self._plan.shuffle(self._rng)

    def _batch_trainer(self):
        """Return ``train_batch(index)``: one optimiser step on batch ``index`` of the plan.

        Everything a step reads is bound once (the passes of each batch as lists of
        zero-argument calls, rebound only when the random generator or the bias switch
        changes) or once per run, because on small networks a batch costs about 30 NumPy
        calls of well under a microsecond each, and attribute look-ups, method calls and
        branches around them would cost as much again. The loss and the metric are not
        computed here: the outputs stay in the plan's ``output`` and ``_end_epoch`` scores them.
        """
        config, network = self.config, self.network
        rng = self._rng if config.dropout > 0 else None
        plan = self._plan
        if self._bound_for != (rng, config.train_biases):
            self._bound_for = (rng, config.train_biases)
            self._batch_calls = [
                (*workspace.forward_calls(X, rng),
                 *workspace.backward_calls(Y, self.loss, config.train_biases))
                for X, Y, workspace in plan.batches]
        batch_calls = self._batch_calls
        step, params = self._optimizer.step, self._trained_params
        grad = plan.grad
        trained_grad = self._trained_grad_of(grad)
        n_w = network.n_weights
        l1, l2, clip_norm = config.l1, config.l2, config.clip_norm
        penalised = (network.params[:n_w], grad[:n_w], l1, l2, self._penalty_scratch) if l1 or l2 else None
        batch_penalties = plan.penalties
        last, squares, layer_grads = len(plan) - 1, self._grad_squares, plan.layer_grads

        def train_batch(index):
            for call in batch_calls[index]:
                call()
            if index == last:  # the epoch's gradient norms: its last batch's, as backprop gave it
                for l, (grad_w, grad_b) in enumerate(layer_grads):
                    squares[l] = float(np.vdot(grad_w, grad_w)) + float(np.vdot(grad_b, grad_b))
            if penalised is not None:
                batch_penalties[index] = add_penalty_gradient(*penalised)
            if clip_norm > 0:
                norm = math.sqrt(float(np.vdot(grad, grad)))
                if norm > clip_norm:
                    np.multiply(grad, clip_norm / norm, out=grad)
            step(params, trained_grad)

        return train_batch

    def _check_paused_epoch(self):
        """Raise TrainingDiverged if the batches run so far made an output or a weight
        non-finite: losses are only scored at an epoch's end, but a paused run must not
        sit on NaN weights."""
        if not _all_finite(self._plan.outputs_done(self._cursor)):
            self._diverge("the loss")
        if not _all_finite(self.network.params):
            self._diverge("a weight")

    def _end_epoch(self, limit):
        self._cursor = 0
        train_loss = self._plan.epoch_loss(self.loss)
        if not math.isfinite(train_loss):
            self._diverge("the loss")
        if not _all_finite(self.network.params):
            self._diverge("a weight")
        train_metric = self._plan.epoch_metric(self._ss_tot)
        val_loss = val_metric = None
        if self.X_val is not None:
            val_loss, val_metric = self._validate()
            if not math.isfinite(val_loss):
                self._diverge("the validation loss")
        self.epoch += 1  # counted once it is known to have ended well
        diagnostics = self._maybe_diagnostics()
        grad_norms = tuple(math.sqrt(square) for square in self._grad_squares)
        reason = self._stop_reason(train_loss, val_loss, limit)
        seconds = time.perf_counter() - self._epoch_started
        return EpochReport(
            epoch=self.epoch, train_loss=train_loss, val_loss=val_loss,
            train_metric=train_metric, val_metric=val_metric, metric_name=self.metric_name,
            seconds=seconds, stop_reason=reason, best_epoch=self._best.epoch,
            grad_norms=grad_norms, lr=self._optimizer.learning_rate, **diagnostics,
        )

    def _validate(self):
        workspace = self._val_workspace
        y_hat = workspace.forward(self.X_val)
        value = self.loss.value(y_hat, self.Y_val, workspace.layer_deltas[-1])
        return value + self._penalty_of(self.network.params), METRICS[self.task][1](y_hat, self.Y_val)

    def _penalty_of(self, params):
        """The L1/L2 penalty of the flat ``params`` (its weights), 0 without one."""
        config = self.config
        if not (config.l1 or config.l2):
            return 0.0
        return penalty(params[:self.network.n_weights], config.l1, config.l2)

    def _stop_reason(self, train_loss, val_loss, limit):
        best = self._best
        best.update(self.epoch, val_loss if val_loss is not None else train_loss, self.network.params)
        reason = stop_reason(self.config, best, self.epoch, train_loss, limit)
        if reason == "early_stopping":
            self.network.params[...] = best.params
        return reason

    def _maybe_diagnostics(self):
        wanted = self.diagnostics == "always" or (
            self.diagnostics == "on_request" and self._diagnostics_request.is_set())
        if not wanted:
            return {}
        self._diagnostics_request.clear()
        return self.diagnostics_now()

    def diagnostics_now(self):
        """Per-neuron delta / activation means on the probe rows, and the weights (see
        :meth:`bpgui.engine.probe.Probe.diagnostics`)."""
        return self._probe.diagnostics(self.network, self.loss)

    def _diverge(self, what):
        self.network.params[...] = self._snapshot
        self._optimizer.reset()
        self._cursor = 0
        raise TrainingDiverged(self.epoch + 1, self.config.learning_rate, what)

    # -- set-up ----------------------------------------------------------------------------

    def _reset_state(self):
        self.epoch = 0
        self._cursor = 0
        self._rng = np.random.default_rng(self.config.seed)
        self._best = BestEpoch(self.network.params)

    def _build_batches(self):
        """Precompute every batch's views (a :class:`BatchPlan`), so the hot loop creates no
        arrays; the gradient-norm and penalty buffers go with them."""
        config, network = self.config, self.network
        self._plan = BatchPlan(network, self.X, self.Y, self._labels, self.task,
                               config.batch_size, config.shuffle, config.dropout)
        self._penalty_scratch = np.zeros(network.n_weights, network.dtype)
        self._grad_squares = np.zeros(len(self._plan.layer_grads), np.float64)
        self._bound_for, self._batch_calls = None, None  # see _batch_trainer

    def _make_optimizer(self):
        params = self.network.params
        end = len(params) if self.config.train_biases else self.network.n_weights
        self._trained_params = params[:end]
        self._trained_end = end
        self._optimizer = make_optimizer(self.config.optimizer, end, self.network.dtype,
                                         **self.config.optimizer_hyperparameters())
        self._optimizer.learning_rate = self.learning_rate

    def _trained_grad_of(self, grad):
        return grad if self._trained_end == len(grad) else grad[:self._trained_end]

    def __repr__(self):
        return f"Trainer({self.network!r}, {self.loss.name}, epoch {self.epoch})"
