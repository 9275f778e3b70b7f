"""The window's runs: what the run in progress holds, what a run keeps when it ends, and how a
kept run comes back (the Runs dock's Restore).

No widgets here: plain functions over a :class:`~bpgui.gui.controller.TrainingController` and
its :class:`~bpgui.runs.run_log.RunLog` (``controller.runs``). The controller calls
:func:`sync_run` once a frame and whenever it comes to rest, and :func:`end_run` just before a
reset, new weights, data or architecture replace the weights a run ended with.
"""

from __future__ import annotations

import os

import numpy as np

from bpgui.gui.history import COLUMNS
from bpgui.runs.run_record import HISTORY_FIELDS
from bpgui.runs.run_table import setting_text

DATA_SETTINGS = ("target", "features", "task", "scale", "val_split", "test_split", "missing")
"""The settings that need the data prepared again (the split's seed stays the loaded one)."""


def data_name(source):
    """What the window trained on, in a word: the example's name or the CSV file's name."""
    source = source or {}
    return source.get("example") or os.path.basename(source.get("csv") or "")


def history_columns(history):
    """Views of the :class:`~bpgui.gui.history.History` columns a run record keeps."""
    return {name: history.column(name) for name in HISTORY_FIELDS if name in COLUMNS}


def sync_run(controller, with_weights=False):
    """Bring the record of the run in progress up to date (cheap: views, no copies); with
    ``with_weights`` also keep a copy of the network's weights as its final ones.

    Returns the record, or None before the run's first epoch.
    """
    history, current = controller.history, controller.runs.current
    if not history.n and controller.state != "diverged":
        return current
    # the settings and data of the newest epoch: a change made after it (as a new data set's, whose
    # loading ends this run) is not this run's
    trained = current is None or current.epochs_run != history.n
    seconds = float(np.nansum(history.column("seconds"))) if history.n else 0.0
    error = "diverged" if controller.state == "diverged" else None
    settings, data = (controller.settings, data_name(controller.source)) if trained else (None, None)
    record = controller.runs.sync_current(settings, history_columns(history), history.metric_name, seconds,
                                          data, error)
    if with_weights and record is not None and controller.network is not None:
        record.keep_network(controller.network)
    return record


def end_run(controller):
    """The run in progress ends (its weights are about to be replaced): keep it, with copies of
    its history and its final weights."""
    sync_run(controller, with_weights=True)
    controller.runs.end_current()


def restore_run(controller, record):
    """Bring ``record``'s settings back and, when the network's shape fits, its final weights.

    Training settings and the network's architecture always come back. Data settings
    (:data:`DATA_SETTINGS`) come back when the run trained on the loaded data: the loaded
    table is then prepared again with them (keeping the loaded split's seed). A run trained on
    other data leaves the data as it is. The weights come back when the rebuilt network has
    the run's layer sizes and activations; a new run then starts from them (Reset returns to
    them). Until it trains, a model exported describes them by the restored run
    (:func:`run_of_weights`).

    Returns
    -------
    str
        One sentence for the status bar saying what came back.

    Raises
    ------
    ValueError
        (or ``DataError``) when the settings do not fit the loaded data; nothing changes then.
    """
    if controller.data is None:
        raise ValueError("open data first: a run is restored onto loaded data")
    settings, loaded = record.settings, data_name(controller.source)
    same_data = record.data in ("", loaded)
    spec = settings.dataset_spec(controller.spec).replace(seed=controller.spec.seed) if same_data else controller.spec
    reprepared = spec != controller.spec
    changed = [f"{name} {setting_text(getattr(settings, name))}" for name in DATA_SETTINGS
               if reprepared and getattr(settings, name) not in (None, getattr(controller.settings, name))]
    controller.load_table(controller.table, spec, controller.source, architecture=settings.architecture(),
                          config=settings.train_config())
    # load_table ended the run in progress: when that was this run, its final weights are kept now
    network = controller.network
    fits = record.fits(network.sizes, network.activations)
    if fits:
        network.params[...] = record.params
        controller.weights_edited(new_start=True)
    data = ""
    if not same_data:
        data = f"it trained on {record.data}, so the data settings of {loaded} stay as they are"
    elif reprepared:
        data = f"the data was prepared again with its {', '.join(changed) or 'data settings'}"
    return _restore_message(record, network, fits, data)


def run_of_weights(controller):
    """The kept run whose final weights the network holds with nothing trained since: after
    Restore, after a Reset back to restored weights, or in a session saved so. None when the
    weights were trained (the run in progress describes them then), drawn or edited since.

    Newest run first; a run with no epochs describes nothing and is passed over.
    """
    network = controller.network
    if network is None or controller.trainer is None or controller.has_trained:
        return None
    for record in reversed(controller.runs.records):
        if (record.epochs_run and record.fits(network.sizes, network.activations)
                and np.array_equal(record.params, network.params)):
            return record
    return None


def _restore_message(record, network, fits, data):
    if fits:
        weights = " and final weights (training continues from them)"
    elif record.params is None:
        weights = " only (it kept no weights)"
    else:
        weights = f" only: its weights ({'-'.join(map(str, record.sizes))}) do not fit the network {network.describe()}"
    return f"restored {record.label}: its settings{weights}" + (f"; {data}" if data else "")
