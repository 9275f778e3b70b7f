"""A finished (or paused) run as it is kept for comparing: settings, history, numbers, weights.

The window keeps one :class:`RunRecord` per run in its Runs dock and in the session file; a
sweep produces one per grid point. Plain data (no Qt), JSON-ready through :meth:`to_dict`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from bpgui.runs.settings import SETTING_NAMES, RunSettings

HISTORY_FIELDS = ("epoch", "train_loss", "val_loss", "train_metric", "val_metric", "lr")
"""Per-epoch columns a record keeps (NaN where a value does not exist)."""


@dataclass
class RunRecord:
    """One run: what it was told, how it learned, where it ended.

    Attributes
    ----------
    label : str
        The user's name for the run (``run 3`` by default).
    settings : RunSettings
    history : dict of str to ndarray of shape (n_epochs,), float64
        The :data:`HISTORY_FIELDS` per epoch, NaN where missing.
    metric_name : str
        ``accuracy`` or ``r2``.
    seconds : float
        Training time (wall clock, excluding pauses).
    params : ndarray of shape (n_params,) or None
        The final weights, laid out as ``Network.params``.
    sizes : tuple of int
        The network's layer sizes (inputs first), to tell whether ``params`` fit a network.
    activations : tuple of str
        One per non-input layer.
    error : str or None
        ``"diverged"`` (or another word) when the run failed; its numbers are then absent.
    origin : str
        ``"window"`` or ``"sweep"``.
    data : str
        What the run trained on: an example's name or a CSV file's name ("" when unknown).
    """

    label: str
    settings: RunSettings
    history: dict = field(default_factory=dict)
    metric_name: str = ""
    seconds: float = 0.0
    params: np.ndarray | None = None
    sizes: tuple = ()
    activations: tuple = ()
    error: str | None = None
    origin: str = "window"
    data: str = ""

    def __post_init__(self):
        n = max((len(values) for values in self.history.values()), default=0)
        self.history = {name: np.asarray(self.history.get(name, np.full(n, np.nan)), dtype=np.float64)
                        for name in HISTORY_FIELDS}

    @classmethod
    def from_reports(cls, label, settings, reports, network=None, seconds=None, origin="window"):
        """A record of epoch ``reports`` (oldest first) and the ``network`` they trained."""
        columns = {name: np.array([_number(getattr(report, name, None)) for report in reports])
                   for name in HISTORY_FIELDS}
        metric_name = reports[-1].metric_name if reports else ""
        if seconds is None:
            seconds = float(sum(report.seconds for report in reports))
        record = cls(label, settings, columns, metric_name, float(seconds), origin=origin)
        if network is not None:
            record.keep_network(network)
        return record

    def keep_network(self, network):
        """Keep a copy of ``network``'s weights and its shape as the run's final weights."""
        self.params = np.array(network.params, dtype=np.float64)
        self.sizes = tuple(int(n) for n in network.sizes)
        self.activations = tuple(network.activations)

    @property
    def epochs_run(self):
        return len(self.history["epoch"])

    def final(self, name):
        """The last epoch's ``name`` (a :data:`HISTORY_FIELDS` column), or None."""
        values = self.history[name]
        return _or_none(values[-1]) if len(values) else None

    @property
    def ms_per_epoch(self):
        """Mean training time per epoch in milliseconds (None before any epoch)."""
        return 1000.0 * self.seconds / self.epochs_run if self.epochs_run else None

    def fits(self, sizes, activations):
        """True when the final weights can be loaded into a network of this shape."""
        return self.params is not None and (tuple(sizes), tuple(activations)) == (self.sizes, self.activations)

    # -- files ----------------------------------------------------------------------------------

    def to_dict(self):
        """A JSON-ready dict (NaN becomes null)."""
        return {
            "label": self.label, "settings": self.settings.to_dict(),
            "history": {name: [_or_none(x) for x in values] for name, values in self.history.items()},
            "metric_name": self.metric_name, "seconds": self.seconds,
            "params": None if self.params is None else self.params.tolist(),
            "sizes": list(self.sizes), "activations": list(self.activations),
            "error": self.error, "origin": self.origin, "data": self.data,
        }

    @classmethod
    def from_dict(cls, values):
        """Inverse of :meth:`to_dict`.

        Raises
        ------
        ValueError, TypeError, KeyError
            For a dict that is not a run record (the caller names the file).
        """
        history = {name: np.array([_number(x) for x in values.get("history", {}).get(name, [])])
                   for name in HISTORY_FIELDS}
        params = values.get("params")
        return cls(
            label=str(values["label"]), settings=RunSettings.from_dict(values.get("settings") or {}),
            history=history, metric_name=str(values.get("metric_name") or ""),
            seconds=float(values.get("seconds") or 0.0),
            params=None if params is None else np.asarray(params, dtype=np.float64),
            sizes=tuple(int(n) for n in values.get("sizes") or ()),
            activations=tuple(str(a) for a in values.get("activations") or ()),
            error=values.get("error"), origin=str(values.get("origin") or "window"),
            data=str(values.get("data") or ""),
        )


def differing_settings(records):
    """The setting names whose values are not the same in every record, in
    :class:`RunSettings` order (what the Runs table shows as columns)."""
    if len(records) < 2:
        return ()
    first, others = records[0].settings, [record.settings for record in records[1:]]
    # attributes, not to_dict(): the Runs table asks this of hundreds of runs as they come in
    return tuple(name for name in SETTING_NAMES
                 if any(getattr(other, name) != getattr(first, name) for other in others))


def _number(value):
    return math.nan if value is None else float(value)


def _or_none(value):
    return None if value is None or not math.isfinite(value) else float(value)
