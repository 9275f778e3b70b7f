"""The trained model and its files: JSON and NPZ (DESIGN.md §4), ONNX by export.

A :class:`Model` is a network plus everything needed to use it on raw CSV rows: the task, the
loss, the fitted :class:`~bpgui.data.preprocess.Preprocessor` (the file's ``inputs`` and
``outputs``) and what training did. The JSON file is::

    {"format": "bpgui-model", "version": 1, "task", "inputs", "outputs",
     "layers": [{"units", "activation", "weights": [n_in rows of n_out], "biases"}, ...],
     "loss", "training": {"epochs_run", "seed", "hyperparameters", "final"}}

The NPZ file holds the same: arrays ``W0, b0, W1, b1, …`` in the model's dtype and ``meta``, a
0-d unicode array with that JSON minus the ``weights`` and ``biases`` of each layer.

Every way a file can be wrong (missing, truncated, not JSON, a foreign JSON, shapes that do not
fit) ends in one :class:`ModelFileError` whose message names the file and what is wrong.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, field

import numpy as np

from bpgui.data.preprocess import Preprocessor
from bpgui.engine import LOSSES, Network, check_pair
from bpgui.engine.metrics import predicted_labels
from bpgui.io.atomic import atomic_write_bytes, atomic_write_text
from bpgui.io.errors import ModelFileError
from bpgui.io.file_reading import parse_json, read_bytes, read_npz, short_message
from bpgui.io.jsonable import jsonable
from bpgui.io.layers import brief as _brief
from bpgui.io.layers import checked_layers
from bpgui.io.limits import MAX_LAYERS, MAX_PARAMETERS, describe

__all__ = ["FORMAT", "VERSION", "Model", "ModelFileError", "PredictionResult", "load_layers",
           "load_model", "model_from_dict", "model_json_text", "model_suffix", "read_model_json",
           "save_model"]

FORMAT = "bpgui-model"
VERSION = 1
TASKS = ("classification", "regression")
DTYPES = ("float32", "float64")
MODEL_SUFFIXES = (".json", ".npz", ".onnx")


@dataclass
class PredictionResult:
    """What a model says about each row of a table, in row order.

    Attributes
    ----------
    task : {"classification", "regression"}
    outputs : ndarray of shape (n_rows, n_classes) or (n_rows, n_targets)
        Class probabilities in ``classes`` order, or de-scaled target values; model dtype.
    classes : tuple or None
        Class labels in their CSV type (classification only).
    target_names : tuple of str
    labels : ndarray of object of shape (n_rows,) or None
        The predicted class label per row (classification only).
    """

    task: str
    outputs: np.ndarray
    classes: tuple | None
    target_names: tuple
    labels: np.ndarray | None = None

    @property
    def n_rows(self):
        return len(self.outputs)


@dataclass
class Model:
    """A trained network with its preprocessing, ready to predict on raw tables.

    Attributes
    ----------
    network : Network
    loss : str
        Loss key the network was trained with.
    task : {"classification", "regression"}
    preprocessor : Preprocessor
        Fitted on the training split; turns raw tables into network inputs and outputs back.
    training : dict
        ``{"epochs_run", "seed", "hyperparameters", "final": {"train_loss", "val_loss", "metric"}}``.
    """

    network: Network
    loss: str
    task: str
    preprocessor: Preprocessor
    training: dict = field(default_factory=dict)

    @property
    def dtype(self):
        return self.network.dtype

    @property
    def classes(self):
        return self.preprocessor.classes

    @property
    def target_names(self):
        return tuple(self.preprocessor.targets)

    def inputs_of(self, table):
        """Network inputs for a raw table, imputed and scaled, in the model's dtype.

        Returns
        -------
        ndarray of shape (n_rows, n_inputs)
        """
        return np.asarray(self.preprocessor.transform(table), dtype=self.dtype)

    def predict_raw(self, table):
        """The network's own outputs for every row of ``table`` (no decoding).

        Returns
        -------
        ndarray of shape (n_rows, n_output_units), model dtype
        """
        return self.network.forward(self.inputs_of(table))

    def decode(self, raw):
        """Turn network outputs into probabilities (``[1 − p, p]`` for one sigmoid unit) or
        de-scaled values, computed in the model's dtype.

        Parameters
        ----------
        raw : ndarray of shape (n_rows, n_output_units)

        Returns
        -------
        ndarray of shape (n_rows, n_classes) or (n_rows, n_targets)
        """
        return np.asarray(self.preprocessor.decode(np.asarray(raw, self.dtype)), dtype=self.dtype)

    def predict(self, table):
        """Predict every row of ``table``, never dropping one (missing features are imputed)."""
        outputs = self.decode(self.predict_raw(table))
        labels = None
        if self.task == "classification":
            classes = np.empty(len(self.classes), dtype=object)
            classes[:] = list(self.classes)
            labels = classes[predicted_labels(outputs)] if len(outputs) else classes[:0]
        return PredictionResult(self.task, outputs, self.classes, self.target_names, labels)

    def to_dict(self, with_weights=True):
        """The model file's JSON object (DESIGN.md §4); without weights for an NPZ ``meta``."""
        sections = self.preprocessor.to_dict()
        layers = []
        for W, b, key in zip(self.network.weights, self.network.biases, self.network.activations):
            layer = {"units": int(W.shape[1]), "activation": key}
            if with_weights:
                layer["weights"] = W.tolist()
                layer["biases"] = b.tolist()
            layers.append(layer)
        return {
            "format": FORMAT,
            "version": VERSION,
            "task": self.task,
            "inputs": sections["inputs"],
            "outputs": sections["outputs"],
            "layers": layers,
            "loss": self.loss,
            "training": jsonable(self.training),
        }

    def __repr__(self):
        return f"Model({self.network.describe()}, {self.task}, {self.loss})"


# -- writing ----------------------------------------------------------------------------------

def save_model(model, path):
    """Write ``model`` to ``path`` as JSON, NPZ or ONNX (by extension), atomically.

    Raises
    ------
    ModelFileError
        For an unknown extension.
    OSError
        When the file cannot be written (an existing file is then left untouched).
    """
    suffix = model_suffix(path)
    network = model.network
    if network.params.size > MAX_PARAMETERS or len(network.weights) > MAX_LAYERS:
        raise ModelFileError(path, f"the network has {describe(network.params.size)} weights and biases in "
                                   f"{len(network.weights)} layers; bpgui reads models of at most "
                                   f"{describe(MAX_PARAMETERS)} in {describe(MAX_LAYERS)} layers, so it "
                                   "writes none larger")
    if suffix == ".json":
        atomic_write_text(path, model_json_text(model))
    elif suffix == ".npz":
        _save_npz(model, path)
    else:
        from bpgui.io.onnx_export import export_onnx

        export_onnx(model, path)


def model_suffix(path):
    """The model format of ``path`` from its extension; ModelFileError for any other."""
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix not in MODEL_SUFFIXES:
        raise ModelFileError(path, "unknown model file type; use .json, .npz or .onnx")
    return suffix


def model_json_text(model):
    return json.dumps(model.to_dict(), indent=1, allow_nan=False) + "\n"


def _save_npz(model, path):
    arrays = {}
    for i, (W, b) in enumerate(zip(model.network.weights, model.network.biases)):
        arrays[f"W{i}"] = np.array(W)
        arrays[f"b{i}"] = np.array(b)
    arrays["meta"] = np.array(json.dumps(model.to_dict(with_weights=False), allow_nan=False))
    buffer = io.BytesIO()  # whole in memory first: zipfile seeks, which a FIFO cannot
    np.savez(buffer, **arrays)
    atomic_write_bytes(path, buffer.getvalue())


# -- reading ----------------------------------------------------------------------------------

def load_model(path):
    """Read a ``.json`` or ``.npz`` model file.

    Raises
    ------
    ModelFileError
        Naming the file and what is wrong with it; never anything else.
    """
    suffix = model_suffix(path)
    if suffix == ".onnx":
        raise ModelFileError(path, "ONNX files cannot be loaded back; use the .json or .npz model")
    if suffix == ".json":
        document = read_model_json(path)
    else:
        document = _read_npz(path)
    return model_from_dict(document, path)


def load_layers(path):
    """Read only the ``layers`` of a model file (for ``--init-weights``).

    Returns
    -------
    weights : list of ndarray of shape (n_in, n_out)
    biases : list of ndarray of shape (n_out,)
    activations : list of str
    """
    suffix = model_suffix(path)
    if suffix == ".onnx":
        raise ModelFileError(path, "initial weights must come from a .json or .npz model file")
    document = read_model_json(path) if suffix == ".json" else _read_npz(path)
    if not isinstance(document, dict):
        raise ModelFileError(path, "not a bpgui model file (expected a JSON object)")
    return checked_layers(document, path)


def read_model_json(path):
    """Parse a model JSON file into a dict; ModelFileError when it is not JSON."""
    return parse_json(read_bytes(path), path)


def _read_npz(path):
    arrays = read_npz(read_bytes(path), path)
    if "meta" not in arrays:
        raise ModelFileError(path, "not a bpgui NPZ model: no 'meta' text array")
    try:
        document = json.loads(str(arrays["meta"][()]))
    except json.JSONDecodeError as error:
        raise ModelFileError(path, f"the 'meta' array is not valid JSON ({error.msg})") from None
    except (RecursionError, ValueError):
        raise ModelFileError(path, "the 'meta' array is JSON nested too deeply or with a number "
                                   "of too many digits") from None
    if not isinstance(document, dict) or not isinstance(document.get("layers"), list):
        raise ModelFileError(path, "not a bpgui NPZ model: 'meta' has no list of layers")
    for i, layer in enumerate(document["layers"]):
        if not isinstance(layer, dict):
            raise ModelFileError(path, f"layer {i + 1} in 'meta' is not an object")
        if f"W{i}" not in arrays or f"b{i}" not in arrays:
            raise ModelFileError(path, f"the arrays W{i} and b{i} of layer {i + 1} are missing")
        layer["weights"], layer["biases"] = arrays[f"W{i}"], arrays[f"b{i}"]
    return document


def model_from_dict(document, path=None):
    """Build a :class:`Model` from the file's JSON object, checking every part of it."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelFileError(path, 'not a bpgui model file (no "format": "bpgui-model")')
    version = document.get("version")
    if version != VERSION:
        raise ModelFileError(path, f"model file version {_brief(version)} is not supported "
                                   f"(this bpgui reads version {VERSION})")
    task = document.get("task")
    if not isinstance(task, str) or task not in TASKS:
        raise ModelFileError(path, f'"task" must be classification or regression, not {_brief(task)}')
    loss = document.get("loss")
    if not isinstance(loss, str) or loss not in LOSSES:
        raise ModelFileError(path, f'unknown "loss" {_brief(loss)} (known: {", ".join(LOSSES)})')
    training = document.get("training") or {}
    if not isinstance(training, dict):
        raise ModelFileError(path, '"training" must be an object')
    dtype = _dtype_of(training, path)
    preprocessor = _preprocessor_of(document, task, path)
    weights, biases, activations = checked_layers(document, path, dtype)
    try:
        network = Network.from_layers(weights, biases, activations, dtype)
        check_pair(network.output_activation, loss)
    except ValueError as error:
        raise ModelFileError(path, short_message(error)) from None
    _check_fit(network, preprocessor, task, path)
    return Model(network, loss, task, preprocessor, training)


def _dtype_of(training, path):
    hyperparameters = training.get("hyperparameters") or {}
    dtype = hyperparameters.get("dtype", "float32") if isinstance(hyperparameters, dict) else None
    if not isinstance(dtype, str) or dtype not in DTYPES:
        raise ModelFileError(path, f"training.hyperparameters.dtype must be float32 or float64, "
                                   f"not {_brief(dtype)}")
    return dtype


def _preprocessor_of(document, task, path):
    sections = {"task": task, "inputs": document.get("inputs"), "outputs": document.get("outputs")}
    for name in ("inputs", "outputs"):
        if not isinstance(sections[name], dict):
            raise ModelFileError(path, f'"{name}" must be an object')
    try:
        return Preprocessor.from_dict(sections)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError) as error:
        raise ModelFileError(path, f'"inputs"/"outputs" are not valid: {short_message(error)}') from None


def _check_fit(network, preprocessor, task, path):
    n_inputs = len(preprocessor.input_names)
    if network.n_inputs != n_inputs:
        raise ModelFileError(path, f"the first layer takes {network.n_inputs} inputs but "
                                   f'"inputs" describes {n_inputs}')
    if task == "classification":
        n_classes = len(preprocessor.classes or ())
        if n_classes < 2:
            raise ModelFileError(path, f"a classification model needs at least 2 classes, "
                                       f"this one lists {n_classes}")
        expected = (1, n_classes) if n_classes == 2 else (n_classes,)
        if network.n_outputs not in expected:
            raise ModelFileError(path, f"the output layer has {network.n_outputs} units for "
                                       f"{n_classes} classes")
    elif network.n_outputs != len(preprocessor.targets):
        raise ModelFileError(path, f"the output layer has {network.n_outputs} units for "
                                   f"{len(preprocessor.targets)} targets")
