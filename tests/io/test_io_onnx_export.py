"""ONNX export: one input, one output, the scaling inside, and predict's numbers."""

import numpy as np
import onnx
import onnxruntime
import pytest

from bpgui.data import read_csv
from bpgui.io.model import load_model, save_model
from bpgui.io.onnx_export import OPSET, onnx_inputs


def _run(path, inputs):
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(["output"], {"input": inputs})[0]


@pytest.mark.parametrize("name", ["binary", "multiclass", "regression", "regression64", "binary_softmax",
                                  "multiclass_sigmoid"])
def test_onnx_output_equals_predict_to_float32_precision(name, model_files, data_of, tmp_path):
    model = load_model(model_files[name])
    table = read_csv(data_of(name))
    path = tmp_path / "model.onnx"
    save_model(model, path)
    expected = model.predict(table).outputs
    got = _run(path, onnx_inputs(model, table))
    assert got.dtype == np.float32 and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=2e-6, atol=2e-6 * np.abs(expected).max())


def test_graph_signature(model_files, tmp_path):
    model = load_model(model_files["binary"])
    path = tmp_path / "model.onnx"
    save_model(model, path)
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto, full_check=True)
    assert max(op.version for op in proto.opset_import if op.domain in ("", "ai.onnx")) >= OPSET >= 17
    (graph_input,), (graph_output,) = proto.graph.input, proto.graph.output
    assert graph_input.name == "input" and graph_output.name == "output"
    assert graph_input.type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    assert [d.dim_value for d in graph_input.type.tensor_type.shape.dim][1] == 5  # x1, x2, 3 colours
    assert [d.dim_value for d in graph_output.type.tensor_type.shape.dim][1] == 2  # [1 - p, p]


def test_categorical_inputs_are_one_hot_and_missing_values_imputed(model_files, tmp_path):
    model = load_model(model_files["binary"])
    path = tmp_path / "rows.csv"
    path.write_text("x1,x2,colour\n,0.5,red\n1.5,-0.5,\n")
    table = read_csv(path)
    inputs = onnx_inputs(model, table)
    impute_x1 = model.preprocessor.columns[0]["impute"]
    np.testing.assert_allclose(inputs[0], [impute_x1, 0.5, 0, 0, 1], rtol=1e-6)
    assert inputs[1, 2:].sum() == 1  # the most frequent colour
    onnx_path = tmp_path / "m.onnx"
    save_model(model, onnx_path)
    np.testing.assert_allclose(_run(onnx_path, inputs), model.predict(table).outputs, rtol=2e-6, atol=1e-7)
