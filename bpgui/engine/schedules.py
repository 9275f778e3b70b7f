"""Learning-rate schedules, keyed by the word the user sees (DESIGN.md §4).

The rate is constant within an epoch. With base rate η (``--lr``), E epochs (``--epochs``),
epoch e counted from 1 and a warm-up of W epochs, e' = e − W and E' = E − W:

- warm-up, e ≤ W: η · e / W (then the schedule below starts at e' = 1);
- ``constant``: η;
- ``step``: η · G^floor((e' − 1) / N);
- ``exponential``: η · G^(e' − 1);
- ``cosine``: M + (η − M) · (1 + cos(π · (e' − 1) / (E' − 1))) / 2, η when E' = 1;
- ``cyclic`` (triangular): M + (η − M) · (1 − |((e' − 1) mod 2N) / N − 1|): M at e' = 1,
  η at e' = N + 1, M again at e' = 2N + 1.

Beyond the planned E epochs (the window can continue a run past them) every schedule follows
its formula, except ``cosine``, which holds M once e' ≥ E' (it has annealed); with nothing
to anneal over (E' ≤ 1) it stays at η. When W ≥ E the planned run is all warm-up: the rate
climbs η/W, 2η/W, … and reaches η only at epoch W; the schedule proper starts after it.

Parameters whose default depends on the schedule (G: 0.5 for ``step``, 0.95 for
``exponential``; M: 0 for ``cosine``, η/10 for ``cyclic``) are ``None`` in a configuration
until :func:`resolve` fills them in for the chosen schedule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

FLAGS = {"schedule": "--schedule", "warmup": "--warmup", "step_size": "--step-size",
         "gamma": "--gamma", "min_lr": "--min-lr", "cycle": "--cycle"}
"""A schedule setting's name → its command-line flag (messages name the flag)."""


def _power(base, exponent):
    """``base ** exponent``, infinite instead of an OverflowError (a growing G > 1)."""
    try:
        return base ** exponent
    except OverflowError:
        return math.inf


def _constant(lr, e, E, p):
    return lr


def _step(lr, e, E, p):
    return lr * _power(p["gamma"], (e - 1) // p["step_size"])


def _exponential(lr, e, E, p):
    return lr * _power(p["gamma"], e - 1)


def _cosine(lr, e, E, p):
    low = p["min_lr"]
    if E <= 1:
        return lr  # nothing to anneal over
    if e >= E:
        return low  # annealed: holds M beyond the planned epochs
    return low + (lr - low) * (1.0 + math.cos(math.pi * (e - 1) / (E - 1))) / 2.0


def _cyclic(lr, e, E, p):
    low, n = p["min_lr"], p["cycle"]
    return low + (lr - low) * (1.0 - abs(((e - 1) % (2 * n)) / n - 1.0))


@dataclass(frozen=True)
class Schedule:
    """One schedule: ``formula(lr, e', E', parameters) -> rate`` and the defaults of the
    parameters it reads (a value, or a function of the base rate η)."""

    name: str
    formula: Callable[[float, int, int, dict], float]
    defaults: dict
    description: str

    @property
    def parameters(self):
        """The names of the settings this schedule reads (besides the warm-up)."""
        return tuple(self.defaults)


SCHEDULES = {schedule.name: schedule for schedule in (
    Schedule("constant", _constant, {}, "η every epoch"),
    Schedule("step", _step, {"step_size": 10, "gamma": 0.5},
             "η · G^floor((e' − 1) / N): multiplied by G every N epochs"),
    Schedule("exponential", _exponential, {"gamma": 0.95}, "η · G^(e' − 1): multiplied by G every epoch"),
    Schedule("cosine", _cosine, {"min_lr": 0.0},
             "from η down to M along half a cosine over the run's epochs"),
    Schedule("cyclic", _cyclic, {"cycle": 10, "min_lr": lambda lr: lr / 10.0},
             "triangular: from M up to η in N epochs and back down in N, again and again"),
)}
"""Schedule by key; the key is the word in the window, the CLI and the model file."""


def resolve(schedule, lr, *, step_size=None, gamma=None, min_lr=None, cycle=None):
    """The parameters ``schedule`` reads, with its defaults where a value is None.

    Returns
    -------
    dict
        ``{name: value}`` for the names in ``SCHEDULES[schedule].parameters`` only.
    """
    given = {"step_size": step_size, "gamma": gamma, "min_lr": min_lr, "cycle": cycle}
    resolved = {}
    for name, default in SCHEDULES[schedule].defaults.items():
        value = given[name]
        if value is None:
            value = default(lr) if callable(default) else default
        resolved[name] = int(value) if name in ("step_size", "cycle") else float(value)
    return resolved


def rate_function(schedule, lr, epochs, *, warmup=0, step_size=None, gamma=None, min_lr=None,
                  cycle=None):
    """Return ``rate(epoch)``: the learning rate of epoch ``epoch`` (counted from 1).

    Parameters
    ----------
    schedule : str
        A key of :data:`SCHEDULES`.
    lr : float
        The base rate η.
    epochs : int
        E, the planned number of epochs.
    warmup : int
        W, epochs of linear warm-up (0: none).
    step_size, gamma, min_lr, cycle : number or None
        N of ``step``, G, M, N of ``cyclic``; None takes the schedule's default.
    """
    formula = SCHEDULES[schedule].formula
    parameters = resolve(schedule, lr, step_size=step_size, gamma=gamma, min_lr=min_lr, cycle=cycle)
    warmup, lr = int(warmup), float(lr)
    remaining = int(epochs) - warmup

    def rate(epoch):
        if epoch <= warmup:
            return lr * epoch / warmup
        return formula(lr, epoch - warmup, remaining, parameters)

    return rate


def epoch_rate(schedule, lr, epochs, epoch, **parameters):
    """The learning rate of epoch ``epoch`` (see :func:`rate_function` for the arguments)."""
    return rate_function(schedule, lr, epochs, **parameters)(epoch)


def _whole(value, minimum):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return math.isfinite(number) and number == int(number) and number >= minimum


def _number(value, minimum, strict):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return math.isfinite(number) and (number > minimum if strict else number >= minimum)


def check_schedule(schedule, lr, *, warmup=0, step_size=10, gamma=None, min_lr=None, cycle=10):
    """Raise ``ValueError`` (one line naming the flag) for a setting out of range.

    Refused: an unknown schedule; a warm-up that is negative or not a whole number; N
    (``step_size``, ``cycle``) below 1; G ≤ 0; M < 0; any NaN or infinity; and, for the
    schedules that read M, M above the base rate η.
    """
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r} for --schedule "
                         f"(known: {', '.join(SCHEDULES)})")
    checks = [
        (_whole(warmup, 0), "warmup", "a whole number of epochs, at least 0", warmup),
        (_whole(step_size, 1), "step_size", "a whole number of epochs, at least 1", step_size),
        (_whole(cycle, 1), "cycle", "a whole number of epochs, at least 1", cycle),
        (gamma is None or _number(gamma, 0.0, strict=True), "gamma", "a number above 0", gamma),
        (min_lr is None or _number(min_lr, 0.0, strict=False), "min_lr", "a number, at least 0", min_lr),
    ]
    for ok, name, wanted, value in checks:
        if not ok:
            raise ValueError(f"{FLAGS[name]} must be {wanted} (got {value!r})")
    if "min_lr" in SCHEDULES[schedule].parameters and min_lr is not None and min_lr > lr:
        raise ValueError(f"--min-lr ({min_lr:g}) must not be above the learning rate --lr "
                         f"({lr:g}) for the {schedule} schedule")
