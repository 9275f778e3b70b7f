"""Session files: everything needed to reopen the window exactly where it was.

A session is one JSON object (written atomically)::

    {"format": "bpgui-session", "version": 1,
     "data": {"source": path or "example:<name>" or null, "relative_source": path or null,
              "csv_options": {delimiter, encoding, header, na_values},
              "example": {"name", "n_samples", "noise", "seed"} or null,
              "drawing": {"task", "classes", "extent", "x1": [...], "x2": [...], "y": [...]}
                         or absent (points drawn in the window: they have no file),
              "spec": {DatasetSpec fields}},
     "network": {"dtype", "loss", "task", "init": {"method", "seed", "range"},
                 "layers": [{"units", "activation", "weights", "biases"}, ...],
                 "initial_layers": [{"weights", "biases"}, ...] or null,
                 "architecture": {Architecture fields, "auto" words kept} or absent},
     "training": {"config": {TrainConfig fields, the learning-rate schedule's included}, "epoch": n,
                  "optimizer": {"t": n, "learning_rate": x, state name: [values]} or absent,
                  "rng": the shuffling generator's bit_generator.state or absent},
     "history": {"metric_name": str, "columns": {name: [values, null where missing]},
                 "grad_norms": [[per layer] per epoch] or null},
     "runs": [RunRecord.to_dict(), ...], "current_run": row of the run in progress or null}

``runs`` are the window's kept runs (the Runs dock), oldest first; files written before runs
were kept have neither key and open with no runs.

``relative_source`` is the CSV path relative to the session file, so a teacher can hand a
class a folder holding both and it opens from wherever the folder is copied.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field

import numpy as np

from bpgui.data.csv_reader import CsvOptions
from bpgui.data.dataset import DatasetSpec
from bpgui.engine import Network, TrainConfig
from bpgui.engine.network import layer_views
from bpgui.io.atomic import atomic_write_text
from bpgui.io.jsonable import jsonable
from bpgui.io.errors import ModelFileError
from bpgui.io.file_reading import parse_json, read_bytes
from bpgui.io.layers import brief, checked_layers
from bpgui.runs.run_record import RunRecord

FORMAT = "bpgui-session"
VERSION = 1
SESSION_SUFFIX = ".bpgui.json"


@dataclass
class Session:
    """The state of the window that a session file keeps.

    Attributes
    ----------
    source : str or None
        The CSV path, ``"example:<name>"``, or None when no data was loaded.
    csv_options : CsvOptions
    spec : DatasetSpec
    example : dict or None
        ``{"name", "n_samples", "noise", "seed"}`` for a built-in example.
    drawing : dict or None
        Points drawn in the window (:meth:`bpgui.data.drawing.Drawing.to_dict`); the session
        holds them itself, as they have no file.
    network : Network or None
        Current weights.
    initial_params : ndarray of shape (n_params,) or None
        The weights the current run started from (what "reset" goes back to).
    loss, task : str
    init : dict
        ``{"method", "seed", "range"}``: how the network was initialised.
    architecture : dict or None
        The window's :class:`~bpgui.runs.Architecture` as a dict (its ``auto`` output and loss
        kept as ``auto``); None in older files (rebuilt from the layers then).
    config : TrainConfig
    epoch : int
        Epochs trained so far.
    history : dict
        ``{"metric_name": str, "columns": {name: ndarray of shape (n_epochs,)},
        "grad_norms": ndarray of shape (n_epochs, n_layers) or None}``; NaN where missing.
    optimizer_state : dict or None
        The optimiser's ``state_dict()`` (``{"t": int, "learning_rate": float, name:
        ndarray}``; the rate is where the schedule stood), so a reopened run continues
        exactly; None in older files (the optimiser then starts afresh). Older files have no
        ``learning_rate`` (the schedule then follows from the epoch alone).
    rng_state : dict or None
        The trainer's shuffling generator (``bit_generator.state``); None in older files.
    runs : list of RunRecord
        The kept runs, oldest first (none in older files).
    current_run : int or None
        The row in ``runs`` of the run in progress (it goes on when the session reopens).
    """

    source: str | None = None
    csv_options: CsvOptions = field(default_factory=CsvOptions)
    spec: DatasetSpec = field(default_factory=DatasetSpec)
    example: dict | None = None
    drawing: dict | None = None
    network: Network | None = None
    initial_params: np.ndarray | None = None
    loss: str = "auto"
    task: str = "auto"
    init: dict = field(default_factory=lambda: {"method": "glorot", "seed": 0, "range": 0.5})
    architecture: dict | None = None
    config: TrainConfig = field(default_factory=TrainConfig)
    epoch: int = 0
    history: dict = field(default_factory=dict)
    optimizer_state: dict | None = None
    rng_state: dict | None = None
    runs: list = field(default_factory=list)
    current_run: int | None = None


def save_session(path, session):
    """Write ``session`` (a :class:`Session`) to ``path`` as JSON, atomically."""
    document = session_to_dict(session, os.path.dirname(os.path.abspath(path)))
    atomic_write_text(path, json.dumps(document, indent=1, allow_nan=False) + "\n")


def load_session(path):
    """Read a session file; :class:`ModelFileError` naming the file when it is not one."""
    document = parse_json(read_bytes(path), path, "JSON session file")
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelFileError(path, 'not a bpgui session file (no "format": "bpgui-session")')
    if document.get("version") != VERSION:
        raise ModelFileError(path, f"session version {brief(document.get('version'))} is not supported "
                                   f"(this bpgui reads version {VERSION})")
    try:
        return session_from_dict(document, os.path.dirname(os.path.abspath(path)), path)
    except ModelFileError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError) as error:
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ModelFileError(path, f"the session file is damaged ({detail})") from None


# -- to JSON ----------------------------------------------------------------------------------

def session_to_dict(session, directory="."):
    """The session's JSON object; ``directory`` is where the session file goes."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "data": {
            "source": session.source,
            "relative_source": _relative(session.source, directory),
            "csv_options": _options_to_dict(session.csv_options),
            "example": jsonable(session.example),
            **({"drawing": jsonable(session.drawing)} if session.drawing is not None else {}),
            "spec": jsonable(session.spec.to_dict()),
        },
        "network": _network_to_dict(session),
        "training": _training_to_dict(session),
        "history": _history_to_dict(session.history),
        "runs": [_run_to_dict(record) for record in session.runs],
        "current_run": session.current_run,
    }


def _run_to_dict(record):
    values = record.to_dict()
    if record.params is not None and not np.isfinite(record.params).all():
        values["params"] = None  # JSON has no NaN; such weights could not be restored anyway
    return values


def _relative(source, directory):
    if not source or source.startswith("example:"):
        return None
    try:
        return os.path.relpath(os.path.abspath(source), directory)
    except ValueError:  # another drive on Windows
        return None


def _options_to_dict(options):
    values = asdict(options)
    if values["na_values"] is not None:
        values["na_values"] = list(values["na_values"])
    return values


def _network_to_dict(session):
    network = session.network
    if network is None:
        layers, initial = None, None
    else:
        layers = [{"units": int(W.shape[1]), "activation": key, "weights": W.tolist(), "biases": b.tolist()}
                  for W, b, key in zip(network.weights, network.biases, network.activations)]
        initial = None
        if session.initial_params is not None:
            weights, biases = layer_views(np.asarray(session.initial_params, network.dtype), network.sizes)
            initial = [{"weights": W.tolist(), "biases": b.tolist()} for W, b in zip(weights, biases)]
    return {
        "dtype": str(network.dtype) if network is not None else None,
        "loss": session.loss,
        "task": session.task,
        "init": jsonable(session.init),
        "layers": layers,
        "initial_layers": initial,
        "architecture": jsonable(session.architecture),
    }


def _training_to_dict(session):
    training = {"config": jsonable(session.config.to_dict()), "epoch": int(session.epoch)}
    if session.optimizer_state is not None:
        training["optimizer"] = {key: _optimizer_value_to_json(key, value)
                                 for key, value in session.optimizer_state.items()}
    if session.rng_state is not None:
        training["rng"] = jsonable(session.rng_state)
    return training


def _history_to_dict(history):
    if not history:
        return {"metric_name": "", "columns": {}, "grad_norms": None}
    columns = {name: jsonable(np.asarray(values, float).tolist())
               for name, values in history.get("columns", {}).items()}
    norms = history.get("grad_norms")
    return {
        "metric_name": history.get("metric_name", ""),
        "columns": columns,
        "grad_norms": None if norms is None else jsonable(np.asarray(norms, float).tolist()),
    }


# -- from JSON --------------------------------------------------------------------------------

def session_from_dict(document, directory=".", path=None):
    """Build a :class:`Session` from its JSON object (``directory``: where the file was)."""
    data, net, training = document["data"], document["network"], document["training"]
    network, initial = _network_from_dict(net, path)
    return Session(
        source=_resolve_source(data.get("source"), data.get("relative_source"), directory),
        csv_options=_options_from_dict(data.get("csv_options") or {}),
        spec=DatasetSpec.from_dict(data.get("spec") or {}),
        example=data.get("example"),
        drawing=data.get("drawing"),
        network=network,
        initial_params=initial,
        loss=net.get("loss", "auto"),
        task=net.get("task", "auto"),
        init=dict(net.get("init") or {"method": "glorot", "seed": 0, "range": 0.5}),
        architecture=net.get("architecture"),
        config=TrainConfig.from_dict(training.get("config") or {}).validate(),
        epoch=int(training.get("epoch", 0)),
        history=_history_from_dict(document.get("history") or {}, path),
        optimizer_state=_optimizer_from_dict(training.get("optimizer")),
        rng_state=training.get("rng"),
        **_runs_from_dict(document),
    )


OPTIMIZER_SCALARS = {"t": int, "learning_rate": float}
"""The optimiser state's numbers that are not arrays, and their types."""


def _optimizer_value_to_json(key, value):
    if key in OPTIMIZER_SCALARS:
        return OPTIMIZER_SCALARS[key](value)
    return np.asarray(value).tolist()


def _runs_from_dict(document):
    runs = [RunRecord.from_dict(values) for values in document.get("runs") or ()]
    current = document.get("current_run")
    if not isinstance(current, int) or not 0 <= current < len(runs):
        current = None
    return {"runs": runs, "current_run": current}


def _optimizer_from_dict(state):
    if not state:
        return None
    return {key: OPTIMIZER_SCALARS[key](value) if key in OPTIMIZER_SCALARS else np.asarray(value, dtype=float)
            for key, value in state.items()}


def _resolve_source(source, relative, directory):
    """Prefer the CSV beside the session file (a copied folder), else the stored path."""
    if relative:
        candidate = os.path.normpath(os.path.join(directory, relative))
        if os.path.exists(candidate) and not (source and os.path.exists(source)):
            return candidate
    return source


def _options_from_dict(values):
    values = dict(values)
    if values.get("na_values") is not None:
        values["na_values"] = tuple(values["na_values"])
    known = CsvOptions.__dataclass_fields__
    return CsvOptions(**{key: value for key, value in values.items() if key in known})


def _network_from_dict(net, path=None):
    """The current network and the flat initial weights, each layer checked as a model's."""
    layers = net.get("layers")
    if not layers:
        return None, None
    dtype = net.get("dtype") or "float32"
    if dtype not in ("float32", "float64"):
        raise ModelFileError(path, f"network.dtype must be float32 or float64, not {brief(dtype)}")
    weights, biases, activations = checked_layers({"layers": layers}, path, dtype)
    network = Network.from_layers(weights, biases, activations, dtype)
    initial = None
    if net.get("initial_layers"):
        starts = net["initial_layers"]
        if not isinstance(starts, list) or len(starts) != len(layers) or \
                not all(isinstance(layer, dict) for layer in starts):
            raise ModelFileError(path, "the initial weights do not fit the network (one object per layer)")
        w0, b0, _ = checked_layers({"layers": [dict(layer, activation=key) for layer, key
                                               in zip(starts, activations)]}, path, dtype)
        if [w.shape for w in w0] != [w.shape for w in weights] or [b.shape for b in b0] != [b.shape for b in biases]:
            raise ModelFileError(path, "the initial weights do not fit the network "
                                       f"{network.describe()}")
        initial = Network.from_layers(w0, b0, activations, dtype).params.copy()
    return network, initial


def _history_from_dict(history, path=None):
    """Columns of equal length (one value per epoch, null where missing) and gradient norms
    of one row per epoch, as the window's history takes them; ModelFileError otherwise."""
    if not history.get("columns"):
        return {}
    try:
        columns = {name: _numbers_or_nan(values, 1) for name, values in history["columns"].items()}
        norms = history.get("grad_norms")
        norms = None if norms is None else _numbers_or_nan(norms, 2)
    except (TypeError, ValueError, OverflowError):
        columns = None
    lengths = {len(values) for values in columns.values()} if columns is not None else set()
    if columns is None or len(lengths) != 1 or (norms is not None and {len(norms)} != lengths):
        raise ModelFileError(path, "the training history is damaged: it needs one number (or null) "
                                   "per epoch in every column and one row of gradient norms per epoch")
    return {"metric_name": history.get("metric_name", ""), "columns": columns, "grad_norms": norms}


def _numbers_or_nan(values, ndim):
    """A float array of ``ndim`` dimensions from lists of numbers and nulls."""
    rows = [values] if ndim == 1 else values
    if rows == []:  # no epoch yet
        return np.zeros((0, 0))
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise TypeError("not a list of numbers")
    array = np.array([[math.nan if v is None else v for v in row] for row in rows], dtype=float)
    if array.ndim != 2:
        raise ValueError("rows of different lengths or nested deeper")
    return array[0] if ndim == 1 else array
