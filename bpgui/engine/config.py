"""Every hyperparameter of a training run, as the engine reads it.

:class:`TrainConfig` is frozen and validated in one place; the trainer, the window and the
command line all hand it over whole, so a run's settings are one value that can be compared,
saved in a session or model file and restored.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace

from bpgui.engine.optimizers import OPTIMIZERS
from bpgui.engine.schedules import check_schedule, rate_function, resolve


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
    # the learning-rate schedule (engine/schedules.py); None: the schedule's own default
    schedule: str = "constant"
    warmup: int = 0
    step_size: int = 10
    gamma: float | None = None
    min_lr: float | None = None
    cycle: int = 10

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
        check_schedule(self.schedule, self.learning_rate, **self._schedule_parameters(), warmup=self.warmup)
        return self

    def _schedule_parameters(self):
        return {"step_size": self.step_size, "gamma": self.gamma, "min_lr": self.min_lr,
                "cycle": self.cycle}

    def rate_function(self):
        """``rate(epoch)``: the learning rate of epoch ``epoch`` (from 1) under the schedule."""
        return rate_function(self.schedule, self.learning_rate, self.max_epochs, warmup=self.warmup,
                             **self._schedule_parameters())

    def schedule_parameters(self):
        """The parameters the chosen schedule reads, defaults filled in: ``{name: value}``."""
        return resolve(self.schedule, self.learning_rate, **self._schedule_parameters())

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
