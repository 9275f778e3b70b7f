"""The training loop: a resumable trainer whose ``epochs()`` is a generator of reports.

The generator yields one immutable :class:`EpochReport` per completed epoch and checks a
thread-safe stop flag between batches; abandoning it (or stopping it) leaves the trainer
exactly where it was, so the next ``epochs()`` call resumes at the next batch. Pausing a run,
stepping one batch or one epoch, and changing hyperparameters between runs all follow from
that. The trainer knows nothing of threads beyond two ``threading.Event`` flags.

Every report carries each layer's gradient norm: that of the epoch's last batch, as
backpropagation gave it (before the L1/L2 term and clipping), a few dot products per epoch.
Per-neuron diagnostics (mean |delta|, mean activation) are computed at the end of an epoch on
a fixed probe of up to ``probe_size`` training rows, only when asked (``diagnostics="always"``,
or ``request_diagnostics()`` before the epoch ends), so headless training never pays for what
nobody looks at.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import asdict, dataclass, fields, replace

import numpy as np

from bpgui.engine.backprop import Workspace
from bpgui.engine.losses import add_penalty_gradient, check_pair, get_loss, penalty
from bpgui.engine.metrics import METRICS, r2_from_sums, total_sum_of_squares
from bpgui.engine.optimizers import OPTIMIZERS, make_optimizer

TASKS = ("classification", "regression")
DIAGNOSTICS = ("always", "on_request", "never")


@dataclass(frozen=True)
class TrainConfig:
    """Every hyperparameter of a training run (the network's shape and initialisation aside)."""

    learning_rate: float = 0.01
    optimizer: str = "adam"
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    rho: float = 0.9
    batch_size: int = 32
    max_epochs: int = 100
    l1: float = 0.0
    l2: float = 0.0
    dropout: float = 0.0
    clip_norm: float = 0.0
    train_biases: bool = True
    shuffle: bool = True
    seed: int = 0
    target_loss: float | None = None
    early_stopping: int = 0  # patience in epochs; 0 switches early stopping off

    def validate(self):
        """Raise ``ValueError`` naming the first setting that is out of range."""
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r} (known: {', '.join(OPTIMIZERS)})")
        checks = [
            (self.learning_rate > 0 and math.isfinite(self.learning_rate), "learning rate must be a positive number"),
            (0 <= self.momentum < 1, "momentum must be in [0, 1)"),
            (0 <= self.beta1 < 1 and 0 <= self.beta2 < 1, "beta1 and beta2 must be in [0, 1)"),
            (0 <= self.rho < 1, "rho must be in [0, 1)"),
            (self.eps > 0, "eps must be positive"),
            (int(self.batch_size) >= 1, "batch size must be at least 1"),
            (int(self.max_epochs) >= 1, "epochs must be at least 1"),
            (self.l1 >= 0 and self.l2 >= 0, "L1 and L2 rates must not be negative"),
            (0 <= self.dropout < 1, "dropout must be in [0, 1)"),
            (self.clip_norm >= 0, "gradient clipping norm must not be negative"),
            (int(self.early_stopping) >= 0, "early-stopping patience must not be negative"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)
        return self

    def optimizer_hyperparameters(self):
        """The settings the chosen optimiser reads, by name."""
        names = OPTIMIZERS[self.optimizer].hyperparameter_names
        return {name: getattr(self, name) for name in names}

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, values):
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})

    def replace(self, **changes):
        return replace(self, **changes)


@dataclass(frozen=True)
class EpochReport:
    """What one epoch did; holds copies only, so it may cross threads.

    ``train_loss`` is the mean of the epoch's batch losses, each its batch's data loss plus
    the L1/L2 penalty at the weights that batch was computed with; ``val_loss`` is the data
    loss on the validation split after the epoch plus the penalty at those weights (DESIGN
    §3: the penalty is part of the loss; ``Trainer.evaluate`` gives the data term alone).
    ``grad_norms`` (per layer: the norm of dL/dW and dL/db of the epoch's last batch, before
    the L1/L2 term and clipping) is always there. ``neuron_delta`` (per layer, mean signed
    dL/dz per neuron), ``neuron_abs_delta`` (mean |dL/dz|), ``neuron_activation`` (mean
    activation) and ``params`` (a copy of the weights, laid out as ``Network.params``) are
    ``None`` when diagnostics were not computed for this epoch. Layers are the non-input
    layers, in order.
    """

    epoch: int
    train_loss: float
    val_loss: float | None
    train_metric: float | None
    val_metric: float | None
    metric_name: str
    seconds: float
    grad_norms: tuple[float, ...] | None = None
    neuron_delta: tuple[np.ndarray, ...] | None = None
    neuron_abs_delta: tuple[np.ndarray, ...] | None = None
    neuron_activation: tuple[np.ndarray, ...] | None = None
    params: np.ndarray | None = None  # read-only copy of Network.params (with diagnostics)
    stop_reason: str | None = None  # "max_epochs", "target_loss", "early_stopping" or None
    best_epoch: int | None = None

    @property
    def metric(self):
        """The validation metric when there is a validation split, the training one otherwise."""
        return self.val_metric if self.val_metric is not None else self.train_metric


@dataclass(frozen=True)
class BatchReport:
    epoch: int  # the epoch in progress, counted from 1
    batch: int  # batches done in that epoch
    n_batches: int
    loss: float


class TrainingDiverged(RuntimeError):
    """A loss or a weight became NaN or infinite; the last finite weights were restored."""

    def __init__(self, epoch, learning_rate, what="the loss"):
        self.epoch = epoch
        super().__init__(
            f"training diverged at epoch {epoch}: {what} became NaN or infinite; "
            f"the weights of epoch {epoch - 1} are kept. Try a lower learning rate "
            f"(now {learning_rate:g}), gradient clipping, or scaled inputs."
        )


def _all_finite(array):
    """True when no element is NaN or infinite (min and max carry any NaN; no temporary)."""
    return math.isfinite(float(array.min())) and math.isfinite(float(array.max()))


def _read_only(array):
    array = np.array(array, copy=True)
    array.flags.writeable = False
    return array


class Trainer:
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
        dtype = network.dtype
        self.X = np.ascontiguousarray(X, dtype=dtype)
        self.Y = np.ascontiguousarray(Y, dtype=dtype)
        self._check_shapes(self.X, self.Y, "training")
        if len(self.X) == 0:
            raise ValueError("no training rows")
        self.X_val = self.Y_val = None
        if X_val is not None and len(X_val):
            self.X_val = np.ascontiguousarray(X_val, dtype=dtype)
            self.Y_val = np.ascontiguousarray(Y_val, dtype=dtype)
            self._check_shapes(self.X_val, self.Y_val, "validation")
        self._labels = self._label_column(self.Y)
        self._ss_tot = total_sum_of_squares(self.Y) if task == "regression" else None
        n_probe = min(probe_size, len(self.X))
        self._probe = (self.X[:n_probe], self.Y[:n_probe])
        self._probe_workspace = None
        self._val_workspace = Workspace(network, len(self.X_val)) if self.X_val is not None else None
        self._stop = threading.Event()
        self._diagnostics_request = threading.Event()
        self._initial_params = network.params.copy()
        self._snapshot = network.params.copy()
        self._reset_state()
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
            value = self._batch_loss(self._cursor)
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
        return len(self._batches)

    @property
    def batch_in_epoch(self):
        """Batches already done in the epoch in progress (0 at an epoch boundary)."""
        return self._cursor

    def set_config(self, config):
        """Apply new hyperparameters between runs; the weights and, where possible, the
        optimiser state are kept (a different optimiser or bias switch starts a fresh state)."""
        config = config.validate()
        old, self.config = self.config, config
        if (config.optimizer, config.train_biases) != (old.optimizer, old.train_biases):
            self._make_optimizer()
        else:
            self._optimizer.set_hyperparameters(**config.optimizer_hyperparameters())
        if (config.batch_size, config.shuffle, config.dropout) != (old.batch_size, old.shuffle, old.dropout):
            self._cursor = 0
            self._build_batches()

    def reset(self):
        """Back to the initial weights of this run, epoch 0, fresh optimiser and shuffling."""
        self.network.params[...] = self._initial_params
        self._reset_state()
        self._optimizer.reset()

    def restart_from_current(self):
        """Take the network's current weights (say, re-initialised) as the new initial ones."""
        self._initial_params = self.network.params.copy()
        self.reset()

    def state_dict(self):
        """Everything needed to resume at an epoch boundary: ``{"epoch", "params", ...}``."""
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
        self._epoch_started = time.perf_counter()
        np.copyto(self._snapshot, self.network.params)
        self._batch_penalties.fill(0.0)
        if self._shuffles:
            # the same draws as rng.permutation(n), into a kept buffer; mode="clip" lets take
            # write straight into out= (mode="raise" buffers a whole copy of X first)
            order = self._order
            np.copyto(order, self._identity_order)
            self._rng.shuffle(order)
            np.take(self.X, order, axis=0, out=self._X_shuffled, mode="clip")
            np.take(self.Y, order, axis=0, out=self._Y_shuffled, mode="clip")
            np.take(self._labels, order, axis=0, out=self._labels_shuffled, mode="clip")

    def _batch_trainer(self):
        """Return ``train_batch(index)``: one optimiser step on batch ``index`` of ``_batches``.

        Everything a step reads is bound once (the passes of each batch as lists of
        zero-argument calls, rebound only when the random generator or the bias switch
        changes) or once per run, because on small networks a batch costs about 30 NumPy
        calls of well under a microsecond each, and attribute look-ups, method calls and
        branches around them would cost as much again. The loss and the metric are not
        computed here: the outputs stay in ``_epoch_output`` and ``_end_epoch`` scores them.
        """
        config, network = self.config, self.network
        rng = self._rng if config.dropout > 0 else None
        if self._bound_for != (rng, config.train_biases):
            self._bound_for = (rng, config.train_biases)
            self._batch_calls = [
                (*workspace.forward_calls(X, rng),
                 *workspace.backward_calls(Y, self.loss, config.train_biases))
                for X, Y, workspace in self._batches]
        batch_calls = self._batch_calls
        step, params = self._optimizer.step, self._trained_params
        grad = self._batches[0][2].grad  # every batch's workspace shares one gradient buffer
        trained_grad = self._trained_grad_of(grad)
        n_w = network.n_weights
        l1, l2, clip_norm = config.l1, config.l2, config.clip_norm
        penalised = (network.params[:n_w], grad[:n_w], l1, l2, self._penalty_scratch) if l1 or l2 else None
        batch_penalties = self._batch_penalties
        last, squares, layer_grads = self.n_batches - 1, self._grad_squares, self._layer_grads

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
        if not _all_finite(self._epoch_output[:self._batch_bounds[self._cursor]]):
            self._diverge("the loss")
        if not _all_finite(self.network.params):
            self._diverge("a weight")

    def _batch_loss(self, index):
        """The loss of batch ``index`` as its last training step saw it (float): its data
        loss plus the L1/L2 penalty at the weights it was computed with."""
        start, stop = self._batch_bounds[index], self._batch_bounds[index + 1]
        per_sample, in_float64 = self._sample_losses[start:stop], self._sample_losses64[start:stop]
        self.loss.sample_values(self._epoch_output[start:stop], self._epoch_targets[start:stop],
                                per_sample, *(buf[start:stop] for buf in self._epoch_scratch))
        np.copyto(in_float64, per_sample)
        return float(np.add.reduce(in_float64)) / (stop - start) + float(self._batch_penalties[index])

    def _epoch_loss(self):
        """Mean of the epoch's batch losses, from the outputs kept in ``_epoch_output``."""
        per_sample, batch_sums = self._sample_losses, self._batch_sums
        self.loss.sample_values(self._epoch_output, self._epoch_targets, per_sample, *self._epoch_scratch)
        # summed in float64; copied first, as reduceat(dtype=) would cast into a temporary
        np.copyto(self._sample_losses64, per_sample)
        np.add.reduceat(self._sample_losses64, self._batch_starts, 0, None, batch_sums)
        batch_sums /= self._batch_rows
        batch_sums += self._batch_penalties
        return float(batch_sums.sum()) / len(batch_sums)

    def _epoch_metric(self):
        """Accuracy or R² of the epoch's outputs (each from its batch's step) against the targets."""
        y_hat, n = self._epoch_output, len(self._epoch_output)
        if self.task == "classification":
            predicted, same = self._metric_scratch
            if y_hat.shape[1] == 1:
                np.greater(y_hat[:, 0], 0.5, out=same)
                np.equal(same, self._epoch_labels, out=same)
            else:
                y_hat.argmax(axis=1, out=predicted)
                np.equal(predicted, self._epoch_labels, out=same)
            return int(np.count_nonzero(same)) / n
        squares, in_float64 = self._epoch_scratch[0], self._squares64
        np.subtract(y_hat, self._epoch_targets, out=squares)
        np.multiply(squares, squares, out=squares)
        np.copyto(in_float64, squares)  # reduce(dtype=) would cast into a temporary
        return r2_from_sums(np.add.reduce(in_float64, 0), self._ss_tot, n)

    def _end_epoch(self, limit):
        config = self.config
        self.epoch += 1
        self._cursor = 0
        train_loss = self._epoch_loss()
        if not math.isfinite(train_loss):
            self.epoch -= 1
            self._diverge("the loss")
        if not _all_finite(self.network.params):
            self.epoch -= 1
            self._diverge("a weight")
        train_metric = self._epoch_metric()
        val_loss = val_metric = None
        if self.X_val is not None:
            val_loss, val_metric = self._validate()
            if not math.isfinite(val_loss):
                self.epoch -= 1
                self._diverge("the validation loss")
        diagnostics = self._maybe_diagnostics()
        grad_norms = tuple(math.sqrt(square) for square in self._grad_squares)
        stop_reason = self._stop_reason(train_loss, val_loss, limit)
        seconds = time.perf_counter() - self._epoch_started
        return EpochReport(
            epoch=self.epoch, train_loss=train_loss, val_loss=val_loss,
            train_metric=train_metric, val_metric=val_metric, metric_name=self.metric_name,
            seconds=seconds, stop_reason=stop_reason, best_epoch=self._best_epoch,
            grad_norms=grad_norms, **diagnostics,
        )

    def _validate(self):
        workspace = self._val_workspace
        y_hat = workspace.forward(self.X_val)
        value = self.loss.value(y_hat, self.Y_val, workspace.layer_deltas[-1])
        config, network = self.config, self.network
        if config.l1 or config.l2:
            value += penalty(network.params[:network.n_weights], config.l1, config.l2)
        return value, METRICS[self.task][1](y_hat, self.Y_val)

    def _stop_reason(self, train_loss, val_loss, limit):
        config = self.config
        monitored = val_loss if val_loss is not None else train_loss
        if monitored < self._best_loss:
            self._best_loss, self._best_epoch = monitored, self.epoch
            # kept even while early stopping is off: it may be switched on between runs
            np.copyto(self._best_params, self.network.params)
            self._waited = 0
        else:
            self._waited += 1
        if config.early_stopping and self._waited >= config.early_stopping:
            self.network.params[...] = self._best_params
            return "early_stopping"
        if config.target_loss is not None and train_loss <= config.target_loss:
            return "target_loss"
        if self.epoch >= limit >= config.max_epochs:
            return "max_epochs"  # a smaller limit is a step (one epoch, say), not the end of the run
        return None

    def _maybe_diagnostics(self):
        wanted = self.diagnostics == "always" or (
            self.diagnostics == "on_request" and self._diagnostics_request.is_set())
        if not wanted:
            return {}
        self._diagnostics_request.clear()
        return self.diagnostics_now()

    def diagnostics_now(self):
        """Per-neuron delta / activation means on the probe rows, and the weights.

        Returns
        -------
        dict with keys ``neuron_delta``, ``neuron_abs_delta`` and ``neuron_activation``
        (tuples of read-only ndarrays of shape (n_units,), one per non-input layer; deltas
        per sample, dL_n/dz) and ``params``.
        """
        X, Y = self._probe
        if self._probe_workspace is None:
            self._probe_workspace = Workspace(self.network, len(X))
        workspace = self._probe_workspace
        workspace.forward(X)
        workspace.backward(Y, self.loss)
        n = len(X)
        return {
            "neuron_delta": tuple(_read_only(d.sum(axis=0)) for d in workspace.layer_deltas),
            "neuron_abs_delta": tuple(_read_only(np.abs(d).sum(axis=0)) for d in workspace.layer_deltas),
            "neuron_activation": tuple(_read_only(a.sum(axis=0) / n) for a in workspace.layer_activations),
            "params": _read_only(self.network.params),
        }

    def _diverge(self, what):
        self.network.params[...] = self._snapshot
        self._optimizer.reset()
        self._cursor = 0
        raise TrainingDiverged(self.epoch + 1, self.config.learning_rate, what)

    # -- set-up ----------------------------------------------------------------------------

    def _check_shapes(self, X, Y, name):
        sizes = self.network.sizes
        if X.ndim != 2 or X.shape[1] != sizes[0]:
            raise ValueError(f"{name} inputs have shape {X.shape}; the network takes {sizes[0]} inputs")
        if Y.ndim != 2 or Y.shape[1] != sizes[-1] or len(Y) != len(X):
            raise ValueError(f"{name} targets have shape {Y.shape}; expected ({len(X)}, {sizes[-1]})")

    def _label_column(self, Y):
        if self.task != "classification":
            return np.zeros(len(Y), dtype=np.int64)
        if Y.shape[1] == 1:
            return Y[:, 0] > 0.5
        return np.argmax(Y, axis=1)

    def _reset_state(self):
        self.epoch = 0
        self._cursor = 0
        self._rng = np.random.default_rng(self.config.seed)
        self._best_loss = math.inf
        self._best_epoch = None
        self._waited = 0
        self._best_params = self.network.params.copy()

    def _build_batches(self):
        """Precompute every batch's views, so the hot loop creates no arrays.

        Each batch gets ``(X rows, Y rows, workspace)``; the workspaces share every buffer
        but the output layer's activations, which are the batch's rows of ``_epoch_output``
        (n_samples, n_outputs), so the epoch's loss and metric are computed at its end.
        """
        config, network, n = self.config, self.network, len(self.X)
        size = min(int(config.batch_size), n)
        # one batch holding every row has the same gradient in any order: shuffling it would
        # only cost a copy of the data per epoch
        self._shuffles = config.shuffle and size < n
        if self._shuffles:
            self._X_shuffled = np.empty_like(self.X)
            self._Y_shuffled = np.empty_like(self.Y)
            self._labels_shuffled = np.empty_like(self._labels)
            X, Y, labels = self._X_shuffled, self._Y_shuffled, self._labels_shuffled
        else:
            X, Y, labels = self.X, self.Y, self._labels
        self._epoch_targets, self._epoch_labels = Y, labels
        self._identity_order = np.arange(n)
        self._order = np.empty_like(self._identity_order)
        dtype, n_out = network.dtype, network.n_outputs
        self._epoch_output = np.zeros((n, n_out), dtype)
        self._epoch_scratch = (np.zeros((n, n_out), dtype), np.zeros((n, n_out), dtype))
        self._sample_losses = np.zeros(n, dtype)
        self._sample_losses64 = np.zeros(n, np.float64)
        self._squares64 = np.zeros((n, n_out), np.float64) if self.task == "regression" else None
        self._metric_scratch = (np.zeros(n, np.int64), np.zeros(n, bool))
        full = Workspace(network, size, config.dropout)
        starts = range(0, n, size)
        self._batch_bounds = np.array([*starts, n])
        self._batch_starts = self._batch_bounds[:-1]
        self._batch_rows = np.diff(self._batch_bounds).astype(np.float64)
        self._batch_sums = np.zeros(len(starts), np.float64)
        self._batches = []
        for start in starts:
            stop = min(start + size, n)
            workspace = full.rows(stop - start, output=self._epoch_output[start:stop])
            self._batches.append((X[start:stop], Y[start:stop], workspace))
        self._penalty_scratch = np.zeros(network.n_weights, dtype)
        self._batch_penalties = np.zeros(len(starts), np.float64)  # L1/L2 term each batch saw
        self._layer_grads = [(w.reshape(-1), b) for w, b in zip(full.grad_weights, full.grad_biases)]
        self._grad_squares = np.zeros(len(self._layer_grads), np.float64)
        self._bound_for, self._batch_calls = None, None  # see _batch_trainer

    def _make_optimizer(self):
        params = self.network.params
        end = len(params) if self.config.train_biases else self.network.n_weights
        self._trained_params = params[:end]
        self._trained_end = end
        self._optimizer = make_optimizer(self.config.optimizer, end, self.network.dtype,
                                         **self.config.optimizer_hyperparameters())

    def _trained_grad_of(self, grad):
        return grad if self._trained_end == len(grad) else grad[:self._trained_end]

    def __repr__(self):
        return f"Trainer({self.network!r}, {self.loss.name}, epoch {self.epoch})"
