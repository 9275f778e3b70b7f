"""From settings to a run ready to train: data → network → trainer, in one place.

``bpgui train``, every run of a sweep and the window all build their runs here, so "these
settings on this table" means the same network, the same initial weights and the same
trainer wherever it is asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bpgui.data import PreparedData, prepare
from bpgui.engine import Network, Trainer
from bpgui.runs.settings import RunSettings

NETWORK_FLAGS = ("hidden", "activation", "output_activation")
"""The settings that, given explicitly, win over the architecture of initial layers."""


@dataclass
class InitialLayers:
    """Weights to start from, and where they come from (for messages).

    Attributes
    ----------
    weights : list of ndarray of shape (n_in, n_out)
    biases : list of ndarray of shape (n_out,)
    activations : list of str
        One per layer (the output's last); may be shorter when the source does not say.
    source : str
        A file name or ``"the example's preset"``.
    """

    weights: list
    biases: list
    activations: list = field(default_factory=list)
    source: str = ""


@dataclass
class Run:
    """A run ready to train: its settings, prepared data, network, loss key and trainer."""

    settings: RunSettings
    data: PreparedData
    network: Network
    loss: str
    trainer: Trainer


def initial_layers(settings, preset_layers=None, explicit=()):
    """The layers a run starts from: ``--init-weights`` (a model file), else an example's
    preset layers (``{"weights", "biases"}``) unless ``hidden`` is in ``explicit``, else None."""
    if settings.init_weights is not None:
        from bpgui.io.model import load_layers

        weights, biases, activations = load_layers(settings.init_weights)
        return InitialLayers(weights, biases, list(activations), settings.init_weights)
    if preset_layers is None or "hidden" in explicit:
        return None
    weights = [np.asarray(W, float) for W in preset_layers["weights"]]
    biases = [np.asarray(b, float) for b in preset_layers["biases"]]
    return InitialLayers(weights, biases, list(preset_layers.get("activations", [])),
                         "the example's preset")


def run_architecture(settings, layers=None, explicit=()):
    """The :class:`Architecture` of a run: the settings', or the shape and activations of
    ``layers`` (an :class:`InitialLayers`) for whatever ``explicit`` (the settings given
    explicitly, by name) does not name among ``hidden``, ``activation``, ``output_activation``."""
    architecture = settings.architecture()
    if layers is None:
        return architecture
    hidden = tuple(settings.hidden)
    if "hidden" not in explicit:
        hidden = tuple(W.shape[1] for W in layers.weights[:-1])
    activations = (settings.activation,) * len(hidden)
    file_activations = tuple(layers.activations)
    if "activation" not in explicit and len(file_activations) == len(hidden) + 1:
        activations = file_activations[:-1]  # the file's, layer by layer
    output_activation = settings.output_activation
    if "output_activation" not in explicit and file_activations:
        output_activation = file_activations[-1]
    return architecture.replace(hidden=hidden, activations=activations,
                                output_activation=output_activation)


def build_network(data, architecture, seed, layers=None):
    """The network of ``architecture`` for ``data``, drawn from ``seed`` or set to ``layers``.

    Returns
    -------
    network : Network
    loss : str

    Raises
    ------
    ValueError
        When ``layers`` do not fit the network (naming their source).
    """
    sizes, activations, loss = architecture.resolve(data)
    network = Network.create(sizes, activations, architecture.init, seed, architecture.init_range,
                             architecture.dtype)
    if layers is not None:
        try:
            network.set_layers(layers.weights, layers.biases)
        except ValueError as error:
            raise ValueError(f"{layers.source}: its layers do not fit the network "
                             f"{network.describe()} ({error})") from None
    return network, loss


def make_trainer(network, loss, data, config, diagnostics="never"):
    """A :class:`Trainer` of ``network`` on ``data``'s training split, validated on its
    validation split (when it has rows), with targets fitted to the network's outputs."""
    Y_train, Y_val, _ = data.targets_for(network.n_outputs)
    has_val = len(data.X_val) > 0
    return Trainer(network, loss, data.X_train, Y_train, config,
                   X_val=data.X_val if has_val else None, Y_val=Y_val if has_val else None,
                   task=data.task, diagnostics=diagnostics)


def build_run(table, settings, base_spec=None, preset_layers=None, explicit=(),
              diagnostics="never"):
    """Prepare ``table`` under ``settings`` and build the network and trainer of the run.

    Parameters
    ----------
    table : bpgui.data.Table
    settings : RunSettings
    base_spec : DatasetSpec, optional
        Column choices the settings do not hold (an example's features, import-dialog kinds).
    preset_layers : dict, optional
        An example's initial layers.
    explicit : collection of str
        Settings given explicitly (see :func:`run_architecture`).
    diagnostics : {"always", "on_request", "never"}

    Raises
    ------
    DataError, ModelFileError, ValueError
        Bad data, an unreadable ``--init-weights`` file, settings out of range.
    """
    config = settings.train_config()
    data = prepare(table, settings.dataset_spec(base_spec))
    layers = initial_layers(settings, preset_layers, explicit)
    architecture = run_architecture(settings, layers, explicit)
    network, loss = build_network(data, architecture, settings.seed, layers)
    trainer = make_trainer(network, loss, data, config, diagnostics)
    return Run(settings, data, network, loss, trainer)


def train_run(run, on_report=None, keep_reports=True):
    """Train ``run`` to its end; return its epoch reports (``on_report`` sees each one), or
    with ``keep_reports=False`` a list of the last one only (a long run keeps no object per
    epoch: 100,000 reports took 55 MB).

    Raises
    ------
    TrainingDiverged
        The trainer restored the last finite weights; the reports so far are lost with it.
    """
    reports = []
    for report in run.trainer.epochs():
        if keep_reports or not reports:
            reports.append(report)
        else:
            reports[0] = report
        if on_report is not None:
            on_report(report)
    return reports
