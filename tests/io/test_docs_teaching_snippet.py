"""docs/teaching.md's NumPy-only forward pass with derived inputs reproduces ``bpgui predict``."""

import re
from pathlib import Path

import pytest

from bpgui.cli import main
from test_doc_snippets import check_snippet

TEACHING = Path(__file__).resolve().parents[2] / "docs" / "teaching.md"
MARKER = "<!-- numpy-forward-pass-derived -->"


def snippet():
    text = TEACHING.read_text(encoding="utf-8")
    match = re.search(re.escape(MARKER) + r"\s*\n```python\n(.*?)\n```", text, re.S)
    assert match, f"{TEACHING} has no ```python block right after {MARKER}"
    return match.group(1)


@pytest.fixture(scope="module")
def quoted_csv(tmp_path_factory):
    """Column names that need quotes in an expression, a missing cell, a regression target."""
    path = tmp_path_factory.mktemp("quoted") / "quoted.csv"
    rows = [f"{0.1 * i:.2f},{(i * 7) % 11 - 5},{'' if i == 4 else (i % 5) * 0.3:},{i * 0.5 + (i % 3):.2f}"
            for i in range(40)]
    path.write_text('"len, cm",f(x),w,y\n' + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_the_snippet_reproduces_predict_with_derived_inputs(tmp_path, csv_files):
    model = tmp_path / "binary.json"
    assert main(["train", str(csv_files["binary"]), "--out", str(model), "--epochs", "5", "--quiet",
                 "--derive", "x1^2,x1*x2,sin(x2),cos(x1)"]) == 0
    check_snippet(snippet(), model, csv_files["binary"])


def test_the_snippet_reads_quoted_names(tmp_path, quoted_csv):
    model = tmp_path / "quoted.json"
    assert main(["train", str(quoted_csv), "--out", str(model), "--epochs", "5", "--quiet", "--dtype",
                 "float64", "--derive", '"len, cm"^2,"f(x)"*w,sin("f(x)"),cos(w)']) == 0
    check_snippet(snippet(), model, quoted_csv)


def test_the_snippet_still_reads_models_without_derived_inputs(model_files, data_of):
    check_snippet(snippet(), model_files["multiclass"], data_of("multiclass"))
