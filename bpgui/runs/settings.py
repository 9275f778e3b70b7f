"""Every setting of a run in one plain value, named with the command line's words.

:class:`RunSettings` is what ``bpgui train`` builds from its flags, what a sweep varies, what
the window's runs are compared by and what the model file keeps as
``training.hyperparameters``: one name for one thing, from the flag (``--batch-size``) to the
field (``batch_size``) to the file. The engine's and the data layer's own objects
(:class:`~bpgui.engine.TrainConfig`, :class:`~bpgui.data.DatasetSpec` and the network's
:class:`~bpgui.runs.architecture.Architecture`) are derived from it here and nowhere else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from bpgui.data.dataset import DatasetSpec
from bpgui.engine import TrainConfig
from bpgui.runs.architecture import Architecture

TUPLE_FIELDS = ("target", "features", "derive", "hidden", "activations")
DATA_FIELDS = ("target", "features", "task", "scale", "val_split", "test_split", "missing", "derive")
"""The settings that choose and prepare the data (the others build and train the network)."""


@dataclass(frozen=True)
class RunSettings:
    """The settings of one training run (data choices, network, training).

    Field names are the ``bpgui train`` flags without dashes (DESIGN.md §4), with the
    command line's defaults. Two fields exist only in the window: ``activations`` (one
    activation per hidden layer, overriding ``activation``) and ``init_range`` (the range of
    ``--init uniform``).
    """

    # data
    target: tuple[str, ...] | None = None
    features: tuple[str, ...] | None = None
    task: str = "auto"
    scale: str = "standard"
    val_split: float = 0.2
    test_split: float = 0.0
    missing: str = "impute"
    derive: tuple[str, ...] = ()
    # network
    hidden: tuple[int, ...] = (16, 8)
    activation: str = "tanh"
    activations: tuple[str, ...] | None = None
    output_activation: str = "auto"
    loss: str = "auto"
    init: str = "glorot"
    init_range: float = 0.5
    init_weights: str | None = None
    dtype: str = "float32"
    # training
    optimizer: str = "adam"
    lr: float = 0.01
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    rho: float = 0.9
    schedule: str = "constant"
    warmup: int = 0
    step_size: int = 10
    gamma: float | None = None  # None: the schedule's default (engine/schedules.py)
    min_lr: float | None = None  # None: the schedule's default
    cycle: int = 10
    batch_size: int = 32
    epochs: int = 100
    l1: float = 0.0
    l2: float = 0.0
    dropout: float = 0.0
    clip_norm: float = 0.0
    freeze_biases: bool = False
    no_shuffle: bool = False
    early_stopping: int = 0
    target_loss: float | None = None
    seed: int = 0

    def __post_init__(self):
        for name in TUPLE_FIELDS:  # lists from JSON, argparse or a caller become tuples
            value = getattr(self, name)
            if value is not None and not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    def replace(self, **changes):
        return replace(self, **changes)

    @property
    def hidden_activations(self):
        """One activation per hidden layer: ``activations`` when given, else ``activation``."""
        if self.activations is not None and len(self.activations) == len(self.hidden):
            return tuple(self.activations)
        return (self.activation,) * len(self.hidden)

    # -- the objects of the other layers ------------------------------------------------------

    def train_config(self):
        """The engine's :class:`TrainConfig` of these settings (validated)."""
        return TrainConfig(
            learning_rate=self.lr, optimizer=self.optimizer, momentum=self.momentum,
            beta1=self.beta1, beta2=self.beta2, eps=self.eps, rho=self.rho,
            schedule=self.schedule, warmup=self.warmup, step_size=self.step_size,
            gamma=self.gamma, min_lr=self.min_lr, cycle=self.cycle,
            batch_size=self.batch_size, max_epochs=self.epochs, l1=self.l1, l2=self.l2,
            dropout=self.dropout, clip_norm=self.clip_norm, train_biases=not self.freeze_biases,
            shuffle=not self.no_shuffle, seed=self.seed, target_loss=self.target_loss,
            early_stopping=self.early_stopping,
        ).validate()

    def architecture(self):
        """The network's :class:`Architecture` (hidden layers, activations, output, init)."""
        return Architecture(hidden=tuple(self.hidden), activations=self.hidden_activations,
                            output_activation=self.output_activation, loss=self.loss,
                            init=self.init, init_range=self.init_range, dtype=self.dtype)

    def dataset_spec(self, base=None):
        """``base`` (a :class:`DatasetSpec`, say with the import dialog's column kinds) with
        these settings' data choices; columns stay ``base``'s where the settings name none."""
        base = base or DatasetSpec()
        changes = {"task": self.task, "missing": self.missing, "scaling": self.scale,
                   "val_split": self.val_split, "test_split": self.test_split, "seed": self.seed,
                   "derived": tuple(self.derive)}
        if self.target is not None:
            changes["targets"] = tuple(self.target)
        if self.features is not None:
            changes["features"] = tuple(self.features)
        return base.replace(**changes)

    @classmethod
    def from_parts(cls, architecture, config, spec, base=None):
        """The settings of a network, a training configuration and a dataset spec (what the
        window holds), on top of ``base`` for anything they do not say."""
        hidden_activations = tuple(architecture.activations)
        uniform = len(set(hidden_activations)) <= 1
        base = base or cls()
        return base.replace(
            target=spec.targets, features=spec.features, task=spec.task, scale=spec.scaling,
            val_split=spec.val_split, test_split=spec.test_split, missing=spec.missing,
            derive=tuple(spec.derived),
            hidden=tuple(architecture.hidden),
            activation=hidden_activations[0] if uniform and hidden_activations else base.activation,
            activations=None if uniform else hidden_activations,
            output_activation=architecture.output_activation, loss=architecture.loss,
            init=architecture.init, init_range=architecture.init_range, dtype=architecture.dtype,
            optimizer=config.optimizer, lr=config.learning_rate, momentum=config.momentum,
            beta1=config.beta1, beta2=config.beta2, eps=config.eps, rho=config.rho,
            schedule=config.schedule, warmup=config.warmup, step_size=config.step_size,
            gamma=config.gamma, min_lr=config.min_lr, cycle=config.cycle,
            batch_size=config.batch_size, epochs=config.max_epochs, l1=config.l1, l2=config.l2,
            dropout=config.dropout, clip_norm=config.clip_norm,
            freeze_biases=not config.train_biases, no_shuffle=not config.shuffle,
            early_stopping=config.early_stopping, target_loss=config.target_loss,
            seed=config.seed,
        )

    def validate(self):
        """Raise ``ValueError`` naming the first setting out of range; return self."""
        self.train_config()
        self.architecture()
        self.dataset_spec().validate()
        return self

    # -- files --------------------------------------------------------------------------------

    def to_dict(self):
        """A JSON-ready dict: tuples become lists."""
        values = asdict(self)
        for name in TUPLE_FIELDS:
            if values[name] is not None:
                values[name] = list(values[name])
        return values

    @classmethod
    def from_dict(cls, values):
        """Inverse of :meth:`to_dict`; unknown keys are ignored, missing ones take defaults."""
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in values.items() if key in known})


SETTING_NAMES = tuple(f.name for f in fields(RunSettings))
"""Every setting's name, in the order of :class:`RunSettings`."""
