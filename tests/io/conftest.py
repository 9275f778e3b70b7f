"""Small CSV files and models trained on them through the command line, shared by the io tests."""

import numpy as np
import pytest

from bpgui.cli import main


def write_csv(path, header, rows):
    lines = [",".join(header)] + [",".join(str(cell) for cell in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _binary_rows(rng, n):
    """x1 (some cells missing), x2, a categorical colour, label yes/no."""
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    colour = rng.choice(["red", "blue", "green"], n)
    label = np.where(x1 + x2 + (colour == "red") > 0.5, "yes", "no")
    return [("" if i % 13 == 0 else f"{x1[i]:.4f}", f"{x2[i]:.4f}", colour[i], label[i])
            for i in range(n)]


def _multiclass_rows(rng, n):
    """Integer classes 0, 1, 2 from two numbers and a categorical size (one cell 'NA')."""
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    size = rng.choice(["S", "M", "L"], n)
    label = (x1 > 0).astype(int) + (x2 > 0).astype(int)
    return [(f"{x1[i]:.4f}", "NA" if i == 3 else size[i], f"{x2[i]:.4f}", label[i]) for i in range(n)]


def _regression_rows(rng, n):
    """Two targets in very different units from a number and a categorical."""
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    kind = rng.choice(["a", "b"], n)
    t1 = 300 * x1 + 1000 + 50 * (kind == "a")
    t2 = x1 * x2 - 5
    return [(f"{x1[i]:.4f}", kind[i], f"{x2[i]:.4f}", f"{t1[i]:.3f}", f"{t2[i]:.4f}") for i in range(n)]


@pytest.fixture(scope="session")
def csv_files(tmp_path_factory):
    """``{"binary", "multiclass", "regression"}`` → path of a CSV file."""
    folder = tmp_path_factory.mktemp("csv")
    rng = np.random.default_rng(7)
    return {
        "binary": write_csv(folder / "binary.csv", ("x1", "x2", "colour", "label"), _binary_rows(rng, 160)),
        "multiclass": write_csv(folder / "multi.csv", ("x1", "size", "x2", "cls"), _multiclass_rows(rng, 150)),
        "regression": write_csv(folder / "reg.csv", ("x1", "kind", "x2", "t1", "t2"), _regression_rows(rng, 150)),
    }


MODELS = {
    "binary": ("binary", []),
    "multiclass": ("multiclass", []),
    "regression": ("regression", ["--target", "t1,t2"]),
    "regression64": ("regression", ["--target", "t1,t2", "--dtype", "float64", "--activation", "elu"]),
    "binary_softmax": ("binary", ["--output-activation", "softmax", "--activation", "leaky_relu"]),
    "multiclass_sigmoid": ("multiclass", ["--output-activation", "sigmoid", "--hidden", "",
                                          "--optimizer", "rmsprop"]),
}
"""Model name → (its CSV in ``csv_files``, extra train flags)."""


@pytest.fixture(scope="session")
def model_files(tmp_path_factory, csv_files):
    """Model name (keys of MODELS) → path of a JSON model trained for a few epochs."""
    folder = tmp_path_factory.mktemp("models")
    paths = {}
    for name, (data, flags) in MODELS.items():
        path = folder / f"{name}.json"
        code = main(["train", str(csv_files[data]), "--out", str(path), "--epochs", "15", "--quiet", *flags])
        assert code == 0
        paths[name] = path
    return paths


@pytest.fixture(scope="session")
def data_of(csv_files):
    """Model name → the CSV it was trained on."""
    return lambda name: csv_files[MODELS[name][0]]
