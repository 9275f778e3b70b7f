"""The window's state as files: models (``bpgui.io.model``) and sessions (``bpgui.io.session``).

No widgets here: these functions turn a :class:`TrainingController` into a ``Model`` or a
``Session`` and back; the file dialogs around them live in ``file_actions.py``.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from bpgui import runs
from bpgui.gui.run_tracking import run_of_weights, sync_run
from bpgui.runs import Architecture


def training_record(controller):
    """The model file's ``training`` object, as ``bpgui train`` writes it, of the weights the
    network holds: the run in progress's epochs and last numbers, or, when the weights are a
    kept run's final ones with nothing trained since (a Restore), that run's epochs, numbers and
    settings (on the loaded data's data settings)."""
    record = run_of_weights(controller)
    if record is not None:
        return runs.kept_run_training(record, controller.network, controller.settings)
    return runs.training_record(controller.settings, controller.network, controller.trainer.epoch,
                                controller.last_report)


def model_of(controller):
    """A ``bpgui.io.model.Model`` of the current network and data preprocessing."""
    from bpgui.io.model import Model

    return Model(network=controller.network.copy(), loss=controller.loss, task=controller.task,
                 preprocessor=controller.data.preprocessor, training=training_record(controller))


def architecture_of(network, loss, init="glorot", init_range=0.5):
    """The :class:`Architecture` that rebuilds ``network``'s shape with this loss."""
    return Architecture(hidden=tuple(network.sizes[1:-1]), activations=tuple(network.activations[:-1]),
                        output_activation=network.output_activation, loss=loss, init=init,
                        init_range=init_range, dtype=str(network.dtype))


def apply_model(controller, model):
    """Use an imported model's network (and loss) on the loaded data, from its weights; the
    data takes the model's derived inputs when it has the same columns.

    Raises ``ValueError`` naming the mismatch when the model does not fit the loaded data.
    """
    data, network = controller.data, model.network
    if data is None:
        raise ValueError("open data first: a model is trained and inspected on loaded data")
    if model.task != data.task:
        raise ValueError(f"the model is for {model.task} but the loaded data is {data.task}")
    derived = tuple(item["expr"] for item in model.preprocessor.derived)
    if derived != data.spec.derived and model.preprocessor.n_encoded == data.preprocessor.n_encoded:
        controller.set_derived(derived)  # the model's derived inputs, computed from this data
        data = controller.data
    if network.n_inputs != data.n_inputs:
        raise ValueError(f"the model takes {network.n_inputs} inputs but the loaded data gives "
                         f"{data.n_inputs}; open the data it was trained on first")
    architecture = architecture_of(network, model.loss, controller.architecture.init,
                                   controller.architecture.init_range)
    controller.install_network(architecture, network.copy())


def session_of(controller):
    """A ``bpgui.io.session.Session`` of everything the window shows."""
    from bpgui.data import CsvOptions
    from bpgui.io.session import Session

    source, options, example, drawing = None, CsvOptions(), None, None
    if controller.source and "csv" in controller.source:
        source, options = controller.source["csv"], CsvOptions(**controller.source["options"])
    elif controller.source and "drawing" in controller.source:
        drawing = controller.source["drawing"].to_dict()
    elif controller.source:
        example = {key: controller.source[key] for key in ("example", "n_samples", "noise", "seed")}
        example["name"] = example.pop("example")
        source = f"example:{example['name']}"
    architecture = controller.architecture
    state = controller.trainer.state_dict()
    sync_run(controller, with_weights=True)  # the run in progress is kept as it stands
    kept = controller.runs
    return Session(
        source=source, csv_options=options, spec=controller.spec, example=example, drawing=drawing,
        network=controller.network.copy(), initial_params=state["initial_params"],
        loss=controller.loss, task=controller.task,
        init={"method": architecture.init, "seed": controller.config.seed, "range": architecture.init_range},
        architecture=architecture.to_dict(),
        config=controller.config, epoch=controller.trainer.epoch, history=controller.history.to_session(),
        optimizer_state=state["optimizer"], rng_state=state["rng"],
        runs=list(kept.records), current_run=kept.index(kept.current) if kept.current else None)


def apply_session(controller, session):
    """Reload the session's data, network, weights, settings, history and kept runs (which
    replace the window's; the session's run in progress goes on).

    Raises ``DataError`` / ``ValueError`` (nothing is changed then).
    """
    from bpgui.data import load_example, read_csv

    if session.example:
        example = session.example
        table = load_example(example["name"], n_samples=example.get("n_samples"),
                             noise=example.get("noise"), seed=example.get("seed") or 0)
        source = {"example": example["name"], "n_samples": example.get("n_samples"),
                  "noise": example.get("noise"), "seed": example.get("seed") or 0}
    elif session.drawing:
        from bpgui.data.drawing import Drawing

        try:
            drawing = Drawing.from_dict(session.drawing)
        except (KeyError, TypeError) as error:
            raise ValueError(f"the drawn points are damaged ({error})") from None
        table, source = drawing.table(), {"drawing": drawing}
    elif session.source:
        table = read_csv(session.source, session.csv_options)
        source = {"csv": session.source, "options": dataclasses.asdict(session.csv_options)}
    else:
        raise ValueError("the session holds no data source")
    network = session.network
    init = session.init or {}
    architecture = saved_architecture(session) or architecture_of(network, session.loss, init.get("method", "glorot"),
                                                                  init.get("range", 0.5))
    initial = session.initial_params if session.initial_params is not None else network.params
    controller.load_table(table, session.spec, source, architecture=architecture, config=session.config,
                          initial_params=initial)
    restore_trainer(controller.trainer, session, network.params, initial)
    controller.runs.replace(session.runs, session.current_run)
    controller.history.load_session(session.history or {})
    controller.after_restore()


def saved_architecture(session):
    """The session's own :class:`Architecture` (``auto`` words and all) when it has one that
    matches its network's hidden layers, else None (older files: rebuilt from the layers)."""
    network = session.network
    try:
        architecture = Architecture.from_dict(session.architecture or {})
    except (TypeError, ValueError):
        return None
    hidden = (tuple(network.sizes[1:-1]), tuple(network.activations[:-1]), str(network.dtype))
    if not session.architecture or (architecture.hidden, architecture.activations, architecture.dtype) != hidden:
        return None
    return architecture


def restore_trainer(trainer, session, params, initial_params):
    """Put the trainer where the session left it: weights, epoch and, when the file has them
    and they fit, the optimiser's state and the shuffling generator, so the run continues
    exactly as it would have (from an epoch boundary; a session saved inside an epoch goes
    on with the next epoch's shuffle)."""
    state = trainer.state_dict()
    state.update(epoch=int(session.epoch), params=params, initial_params=initial_params)
    if _optimizer_fits(state["optimizer"], session.optimizer_state):
        state["optimizer"] = session.optimizer_state
    if session.rng_state is not None:
        state["rng"] = session.rng_state
    try:
        trainer.load_state_dict(state)
    except (KeyError, TypeError, ValueError):  # a damaged generator state: keep the weights
        trainer.load_state_dict({**state, "rng": trainer.state_dict()["rng"]})


def _optimizer_fits(current, saved):
    """True when ``saved`` has the same state arrays (names and shapes) as ``current``
    (its rate, ``learning_rate``, may be absent: a file older than the schedules)."""
    optional = {"learning_rate"}
    if not saved or set(saved) - optional != set(current) - optional:
        return False
    return all(key in ("t", "learning_rate") or np.shape(saved[key]) == np.shape(current[key])
               for key in current)
