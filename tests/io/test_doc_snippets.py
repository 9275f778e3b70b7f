"""The README's NumPy-only forward pass reproduces ``bpgui predict`` for raw CSV rows."""

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest

from bpgui.data import CsvOptions, read_csv
from bpgui.io.model import load_model

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- numpy-forward-pass -->"


def snippet_from(path):
    """The ```python block directly after the marker line."""
    text = Path(path).read_text(encoding="utf-8")
    match = re.search(re.escape(MARKER) + r"\s*\n```python\n(.*?)\n```", text, re.S)
    assert match, f"{path} has no ```python block right after {MARKER}"
    return match.group(1)


def check_snippet(code, model_path, data_path):
    namespace = {}
    exec(compile(code, "README forward pass", "exec"), namespace)
    document = json.loads(Path(model_path).read_text())
    model = load_model(model_path)
    table = read_csv(data_path, CsvOptions(na_values=tuple(model.preprocessor.na_values)))
    expected = model.predict(table).outputs
    rows = list(csv.DictReader(Path(data_path).read_text().splitlines()))
    got = np.array([namespace["predict_row"](document, row) for row in rows], dtype=float)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6 * np.abs(expected).max())


@pytest.mark.parametrize("name", ["binary", "multiclass", "regression", "regression64", "binary_softmax",
                                  "multiclass_sigmoid"])
def test_readme_forward_pass_reproduces_predict(name, model_files, data_of):
    check_snippet(snippet_from(README), model_files[name], data_of(name))
