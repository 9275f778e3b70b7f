"""The Python snippets of docs/model-files.md run and agree with ``bpgui predict``.

The NumPy-only forward pass reproduces ``bpgui predict`` for raw CSV rows; the NPZ example
reads the archive and the ONNX Runtime example the exported graph and its metadata as the page
says.
"""

import contextlib
import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

from bpgui.cli import main
from bpgui.data import CsvOptions, read_csv
from bpgui.io.model import load_model

PAGE = Path(__file__).resolve().parents[2] / "docs" / "model-files.md"
FORWARD_PASS = "<!-- numpy-forward-pass -->"
ONNX_RUNTIME = "<!-- onnx-runtime -->"
NPZ_READ = "<!-- npz-read -->"
EXAMPLES = PAGE.parent / "examples"


def snippet_from(path, marker):
    """The ```python block directly after the marker line."""
    text = Path(path).read_text(encoding="utf-8")
    match = re.search(re.escape(marker) + r"\s*\n```python\n(.*?)\n```", text, re.S)
    assert match, f"{path} has no ```python block right after {marker}"
    return match.group(1)


def check_snippet(code, model_path, data_path):
    namespace = {}
    exec(compile(code, "docs forward pass", "exec"), namespace)
    document = json.loads(Path(model_path).read_text())
    model = load_model(model_path)
    table = read_csv(data_path, CsvOptions(na_values=tuple(model.preprocessor.na_values)))
    expected = model.predict(table).outputs
    rows = list(csv.DictReader(Path(data_path).read_text().splitlines()))
    got = np.array([namespace["predict_row"](document, row) for row in rows], dtype=float)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6 * np.abs(expected).max())


@pytest.mark.parametrize("name", ["binary", "multiclass", "regression", "regression64", "binary_softmax",
                                  "multiclass_sigmoid"])
def test_docs_forward_pass_reproduces_predict(name, model_files, data_of):
    check_snippet(snippet_from(PAGE, FORWARD_PASS), model_files[name], data_of(name))


def test_docs_npz_example_reads_the_archive(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["train", str(EXAMPLES / "iris.csv"), "--hidden", "16,8", "--epochs", "2", "--out", "iris.npz",
                 "--quiet"]) == 0
    namespace = {}
    exec(compile(snippet_from(PAGE, NPZ_READ), "docs npz example", "exec"), namespace)
    assert namespace["first_weights"].shape == (4, 16)
    assert namespace["meta"]["format"] == "bpgui-model"
    assert "weights" not in namespace["meta"]["layers"][0]


def test_docs_onnx_runtime_example_names_the_classes_predict_gives(tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    monkeypatch.chdir(tmp_path)
    data = EXAMPLES / "iris.csv"
    assert main(["train", str(data), "--target", "species", "--epochs", "30", "--out", "iris.json",
                 "--quiet"]) == 0
    assert main(["export", "iris.json", "iris.onnx"]) == 0
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(snippet_from(PAGE, ONNX_RUNTIME), "docs onnx example", "exec"), {})
    names_line, classes_line = printed.getvalue().strip().splitlines()
    assert names_line == str(["sepal_length", "sepal_width", "petal_length", "petal_width"])
    rows = tmp_path / "rows.csv"  # the two rows the snippet feeds
    rows.write_text("sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.3,3.3,6.0,2.5\n")
    model = load_model("iris.json")
    expected = model.predict(read_csv(rows)).outputs.argmax(axis=1)
    assert classes_line == str([model.classes[i] for i in expected])
