"""The Python snippets of the docs run and agree with ``bpgui predict``.

docs/model-files.md: the NumPy-only forward pass reproduces ``bpgui predict`` for raw CSV rows,
derived inputs included (docs/teaching.md links to it rather than carrying a copy); the NPZ
example reads the archive and the ONNX Runtime example the exported graph and its metadata as
the page says. docs/tutorial.md: the short forward pass predicts the tutorial's new pumps as
``bpgui predict`` does, on a model trained as the tutorial trains it.
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
TUTORIAL = PAGE.parent / "tutorial.md"
FORWARD_PASS = "<!-- numpy-forward-pass -->"
TUTORIAL_NUMPY = "<!-- tutorial-numpy -->"
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


@pytest.fixture(scope="module")
def quoted_csv(tmp_path_factory):
    """Column names that need quotes in an expression, a missing cell, a regression target."""
    path = tmp_path_factory.mktemp("quoted") / "quoted.csv"
    rows = [f"{0.1 * i:.2f},{(i * 7) % 11 - 5},{'' if i == 4 else (i % 5) * 0.3:},{i * 0.5 + (i % 3):.2f}"
            for i in range(40)]
    path.write_text('"len, cm",f(x),w,y\n' + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_docs_forward_pass_computes_derived_inputs(tmp_path, csv_files):
    model = tmp_path / "binary.json"
    assert main(["train", str(csv_files["binary"]), "--out", str(model), "--epochs", "5", "--quiet",
                 "--derive", "x1^2,x1*x2,sin(x2),cos(x1)"]) == 0
    check_snippet(snippet_from(PAGE, FORWARD_PASS), model, csv_files["binary"])


def test_docs_forward_pass_reads_quoted_names_in_derived_inputs(tmp_path, quoted_csv):
    model = tmp_path / "quoted.json"
    assert main(["train", str(quoted_csv), "--out", str(model), "--epochs", "5", "--quiet", "--dtype",
                 "float64", "--derive", '"len, cm"^2,"f(x)"*w,sin("f(x)"),cos(w)']) == 0
    check_snippet(snippet_from(PAGE, FORWARD_PASS), model, quoted_csv)


def tutorial_model(folder):
    """pumps.json trained as docs/tutorial.md trains it (fewer epochs), in ``folder``."""
    features = "site,age (years),flow (m³/h),lubricant,temperature (°C),vibration (mm/s)"
    assert main(["train", str(EXAMPLES / "pumps.csv"), "--features", features, "--test-split", "0.2",
                 "--epochs", "10", "--out", str(folder / "pumps.json"), "--quiet"]) == 0
    return folder / "pumps.json"


def test_tutorial_numpy_snippet_predicts_as_bpgui_predict(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    model = load_model(tutorial_model(tmp_path))
    code = snippet_from(TUTORIAL, TUTORIAL_NUMPY)
    row_statement = re.compile(r"^row = \{.*?\}[^\n]*$", re.S | re.M)
    assert row_statement.search(code), "the tutorial's snippet should set one row = {…}"
    new = EXAMPLES / "pumps-new.csv"
    expected = model.predict(read_csv(new)).outputs
    for index, row in enumerate(csv.DictReader(new.read_text(encoding="utf-8").splitlines())):
        namespace = {"ROW": row}
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(row_statement.sub("row = ROW", code), "tutorial snippet", "exec"), namespace)
        np.testing.assert_allclose(namespace["a"], expected[index], rtol=1e-5, atol=1e-6)
    printed = io.StringIO()  # the snippet as shown: pump P-304, the fourth row
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "tutorial snippet", "exec"), {})
    lines = [line.split() for line in printed.getvalue().strip().splitlines()]
    assert [name for name, _ in lines] == [str(name) for name in model.classes]
    np.testing.assert_allclose([float(p) for _, p in lines], expected[3], atol=6e-5)


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
