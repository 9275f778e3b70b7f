"""Export a model as an ONNX graph (opset 17) built with the ``onnx`` package's helpers.

The graph (DESIGN.md §4) takes one input ``input``: float32 of shape ``[N, n_inputs]`` holding
the raw values in the model's ``columns`` order, categorical columns already one-hot encoded
and missing values already imputed. It applies the input scaling ``(x − center) / scale``,
the derived inputs (DESIGN.md §4 ``inputs.derived``: each computed from the raw numeric
columns, scaled and appended), every dense layer ``act(a @ W + b)`` and the output decoding, and gives one output
``output``: probabilities ``[N, n_classes]`` (one sigmoid unit p becomes ``[1 − p, p]``) or
de-scaled values ``[N, n_targets]`` (``y * scale + center``). A float64 model computes in
float64 inside the graph, so its values equal ``bpgui predict``'s to float32 precision.
"""

from __future__ import annotations

import json

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import bpgui
from bpgui.engine.activations import ELU_ALPHA, LEAKY_SLOPE
from bpgui.data.preprocess import Preprocessor
from bpgui.io.atomic import atomic_write_bytes

OPSET = 17
INPUT_NAME = "input"
OUTPUT_NAME = "output"

def _leaky_relu(graph, x):
    if graph.dtype == "float32":
        return graph.op("LeakyRelu", x, alpha=LEAKY_SLOPE)
    # onnxruntime has no float64 LeakyRelu: max(z, slope * z), as the engine computes it
    return graph.op("Max", x, graph.op("Mul", x, graph.constant("leaky_slope", [LEAKY_SLOPE])))


def _elu(graph, x):
    if graph.dtype == "float32":
        return graph.op("Elu", x, alpha=ELU_ALPHA)
    # onnxruntime has no float64 Elu: max(z, 0) + alpha (exp(min(z, 0)) - 1)
    zero, one = graph.constant("elu_zero", [0.0]), graph.constant("elu_one", [1.0])
    negative = graph.op("Sub", graph.op("Exp", graph.op("Min", x, zero)), one)
    negative = graph.op("Mul", negative, graph.constant("elu_alpha", [ELU_ALPHA]))
    return graph.op("Add", graph.op("Relu", x), negative)


ONNX_ACTIVATIONS = {
    "sigmoid": lambda graph, x: graph.op("Sigmoid", x),
    "tanh": lambda graph, x: graph.op("Tanh", x),
    "relu": lambda graph, x: graph.op("Relu", x),
    "leaky_relu": _leaky_relu,
    "elu": _elu,
    "linear": lambda graph, x: x,
    "softmax": lambda graph, x: graph.op("Softmax", x, axis=-1),
}
"""Activation key → function adding its nodes to a graph; slopes as in the engine."""

ONNX_DERIVED = {
    "A^2": lambda graph, a: graph.op("Mul", a, a),
    "A*B": lambda graph, a, b: graph.op("Mul", a, b),
    "sin(A)": lambda graph, a: graph.op("Sin", a),
    "cos(A)": lambda graph, a: graph.op("Cos", a),
}
"""Derived-input form (``bpgui.data.derived.FORMS`` key) → function adding its nodes."""

ONNX_TYPES = {"float32": TensorProto.FLOAT, "float64": TensorProto.DOUBLE}


def export_onnx(model, path):
    """Write ``model`` (a :class:`bpgui.io.model.Model`) to ``path`` as ONNX, atomically."""
    atomic_write_bytes(path, build_onnx(model).SerializeToString())


def build_onnx(model):
    """Return the checked ``onnx.ModelProto`` of ``model``."""
    graph = _GraphBuilder(str(model.dtype))
    raw = graph.cast_in(INPUT_NAME)
    center, scale = input_scaling(model.preprocessor.to_dict()["inputs"])
    x = graph.op("Sub", raw, graph.constant("input_center", center))
    x = graph.op("Div", x, graph.constant("input_scale", scale))
    if model.preprocessor.derived:
        x = graph.op("Concat", x, _derived(graph, model.preprocessor, raw), axis=1)
    network = model.network
    for i, (W, b, key) in enumerate(zip(network.weights, network.biases, network.activations)):
        x = graph.op("MatMul", x, graph.constant(f"W{i}", W))
        x = graph.op("Add", x, graph.constant(f"b{i}", b))
        x = ONNX_ACTIVATIONS[key](graph, x)
    x = _decode(graph, model, x)
    graph.cast_out(x, OUTPUT_NAME)
    n_outputs = len(model.classes) if model.task == "classification" else len(model.target_names)
    proto = graph.model(model.preprocessor.n_encoded, n_outputs, _metadata(model))
    onnx.checker.check_model(proto, full_check=True)
    return proto


def input_scaling(inputs):
    """Per network input, the ``center`` and ``scale`` of the model's ``inputs`` section.

    One-hot inputs of categorical columns pass through unchanged (center 0, scale 1).

    Returns
    -------
    center, scale : ndarray of shape (n_inputs,)
    """
    center, scale = [], []
    for column in inputs["columns"]:
        if column["kind"] == "categorical":
            n = len(column["categories"])
            center += [0.0] * n
            scale += [1.0] * n
        else:
            center.append(float(column.get("center", 0.0)))
            scale.append(float(column.get("scale", 1.0)))
    return np.array(center), np.array(scale)


def _derived(graph, preprocessor, raw):
    """Nodes computing the scaled derived inputs ``[N, n_derived]`` from the raw ``input``."""
    index, offset = {}, 0
    for column in preprocessor.columns:
        if column["kind"] == "numeric":
            index[column["name"]] = offset
        offset += 1 if column["kind"] == "numeric" else len(column["categories"])
    gathered = {}

    def column(name):  # the raw column [N, 1], gathered once
        if name not in gathered:
            at = graph.constant(f"column_{index[name]}", np.array([index[name]]), "int64")
            gathered[name] = graph.op("Gather", raw, at, axis=1)
        return gathered[name]
    values = [ONNX_DERIVED[item.form](graph, *(column(name) for name in item.names))
              for item in preprocessor.derived_inputs]
    x = values[0] if len(values) == 1 else graph.op("Concat", *values, axis=1)
    fitted = preprocessor.derived
    x = graph.op("Sub", x, graph.constant("derived_center", [item["center"] for item in fitted]))
    return graph.op("Div", x, graph.constant("derived_scale", [item["scale"] for item in fitted]))


def onnx_inputs(model, table):
    """What the ONNX graph takes for a raw table: values in ``columns`` order, categorical
    columns one-hot, missing values imputed, not yet scaled.

    Returns
    -------
    ndarray of float32 of shape (n_rows, n_encoded): the columns only, never the derived inputs
    """
    unscaled = [dict(column, center=0.0, scale=1.0) if column["kind"] == "numeric" else column
                for column in model.preprocessor.columns]
    raw = Preprocessor(model.task, "none", unscaled, model.preprocessor.targets,
                       classes=model.preprocessor.classes, na_values=model.preprocessor.na_values)
    return raw.transform(table).astype(np.float32)


def _decode(graph, model, x):
    outputs = model.preprocessor.to_dict()["outputs"]
    if model.task == "classification":
        if model.network.n_outputs == 1:
            one = graph.constant("one", np.ones(1))
            return graph.op("Concat", graph.op("Sub", one, x), x, axis=1)
        if model.network.output_activation == "softmax":
            return x
        # independent units (several sigmoids) are normalised to sum to 1, as predict does
        total = graph.op("ReduceSum", x, graph.constant("class_axis", np.array([1]), "int64"), keepdims=1)
        return graph.op("Div", x, total)
    if outputs.get("scale") is not None:
        x = graph.op("Mul", x, graph.constant("target_scale", np.array(outputs["scale"], float)))
    if outputs.get("center") is not None:
        x = graph.op("Add", x, graph.constant("target_center", np.array(outputs["center"], float)))
    return x


def _metadata(model):
    return {
        "bpgui_input_names": json.dumps(list(model.preprocessor.input_names[:model.preprocessor.n_encoded])),
        "bpgui_derived": json.dumps([item["expr"] for item in model.preprocessor.derived]),
        "bpgui_task": model.task,
        "bpgui_classes": json.dumps(list(model.classes) if model.classes is not None else None),
        "bpgui_targets": json.dumps(list(model.target_names)),
    }


class _GraphBuilder:
    """Collects nodes and constants with generated names, computing in ``dtype``."""

    def __init__(self, dtype):
        self.dtype = dtype
        self.nodes = []
        self.initializers = []
        self._count = 0

    def _name(self, stem):
        self._count += 1
        return f"{stem}_{self._count}"

    def constant(self, name, values, dtype=None):
        name = self._name(name)
        array = np.asarray(values, dtype=dtype or self.dtype)
        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def op(self, operator, *inputs, **attributes):
        output = self._name(operator.lower())
        self.nodes.append(helper.make_node(operator, list(inputs), [output], **attributes))
        return output

    def cast_in(self, name):
        if self.dtype == "float32":
            return name
        return self.op("Cast", name, to=ONNX_TYPES[self.dtype])

    def cast_out(self, x, name):
        if self.dtype == "float32":
            self.nodes.append(helper.make_node("Identity", [x], [name]))
        else:
            self.nodes.append(helper.make_node("Cast", [x], [name], to=TensorProto.FLOAT))

    def model(self, n_inputs, n_outputs, metadata):
        graph = helper.make_graph(
            self.nodes, "bpgui",
            [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["N", n_inputs])],
            [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["N", n_outputs])],
            initializer=self.initializers,
        )
        proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="bpgui", producer_version=bpgui.__version__)
        proto.ir_version = min(proto.ir_version, 9)  # readable by onnxruntime releases since 1.16
        helper.set_model_props(proto, metadata)
        return proto
