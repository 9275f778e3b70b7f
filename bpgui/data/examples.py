"""The built-in examples: synthetic 2-D problems, shipped real datasets and the 2-2-2 worked example.

``EXAMPLES`` is keyed by the name the user types (``bpgui train --example spiral``); each entry
has a one-line description, a generator of its Table, the DatasetSpec it is meant to be read
with and a ``preset`` of network and training defaults that train it well.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from typing import Callable

import numpy as np

from bpgui.data import generators
from bpgui.data.csv_reader import DEFAULT_NA_VALUES, parse_bytes
from bpgui.data.dataset import DatasetSpec
from bpgui.data.errors import DataError
from bpgui.data.table import Table, table_from_columns

DATASETS_PACKAGE = "bpgui.data.datasets"

CLASSIC_WEIGHTS = [[[0.15, 0.25], [0.20, 0.30]], [[0.40, 0.50], [0.45, 0.55]]]
"""W[layer][i][j]: from input i to unit j (DESIGN.md §3: w1..w4 hidden, w5..w8 output)."""
CLASSIC_BIASES = [[0.35, 0.35], [0.60, 0.60]]


@dataclass(frozen=True)
class Example:
    """One built-in example.

    Attributes
    ----------
    name : str
        The word the user types or picks.
    description : str
        One line for ``bpgui examples`` and the menu.
    make : callable (n_samples=None, noise=None, seed=0) -> Table
        Generates (or loads) the table; ``noise`` only matters for synthetic examples.
    spec : DatasetSpec
        Targets, features, scaling and split to read the table with.
    preset : dict
        Network and training defaults keyed by ``bpgui.runs.RunSettings`` field names (hidden,
        activation, lr, …), plus ``init_layers`` ({"weights", "biases"}) for an exact start.
    """

    name: str
    description: str
    make: Callable[..., Table] = field(repr=False)
    spec: DatasetSpec = DatasetSpec()
    preset: dict = field(default_factory=dict)

    @property
    def is_synthetic(self) -> bool:
        return isinstance(self.make, partial) and self.make.func is _synthetic


def _synthetic(name, generator, n_samples=None, noise=None, seed=0) -> Table:
    """Table of a generator with its own defaults for what is not given."""
    kwargs = {"seed": seed}
    if n_samples is not None:
        if int(n_samples) < 4:
            raise DataError(f"example {name} needs at least 4 samples, got {n_samples}")
        kwargs["n_samples"] = int(n_samples)
    if noise is not None:
        if not noise >= 0:
            raise DataError(f"noise must be zero or positive, got {noise}")
        kwargs["noise"] = float(noise)
    return table_from_columns(f"example:{name}", generator(**kwargs), na_values=DEFAULT_NA_VALUES)


def _shipped(name, filename, n_samples=None, noise=None, seed=0) -> Table:
    """A CSV shipped in ``bpgui/data/datasets``; ``n_samples`` draws a random subset of rows."""
    raw = resources.files(DATASETS_PACKAGE).joinpath(filename).read_bytes()
    table = parse_bytes(raw, f"example:{name}")
    if n_samples is None or int(n_samples) >= table.n_rows:
        return table
    rows = np.sort(np.random.default_rng(seed).choice(table.n_rows, int(n_samples), replace=False))
    return Table(table.source, table.columns, {c: v[rows] for c, v in table.data.items()},
                 table.lines[rows], table.delimiter, table.encoding, table.has_header,
                 table.na_values)


def _classic(n_samples=None, noise=None, seed=0) -> Table:
    """The one-row worked example of DESIGN.md §3."""
    return table_from_columns("example:classic-2-2-2",
                              {"i1": [0.05], "i2": [0.10], "o1": [0.01], "o2": [0.99]},
                              na_values=DEFAULT_NA_VALUES)


def _synthetic_example(name, description, generator, preset, target) -> Example:
    return Example(name, description, partial(_synthetic, name, generator),
                   DatasetSpec(targets=(target,)), preset)


def _shipped_example(name, description, filename, target, preset) -> Example:
    return Example(name, description, partial(_shipped, name, filename),
                   DatasetSpec(targets=(target,)), preset)


SMALL_TANH = {"activation": "tanh", "optimizer": "adam", "lr": 0.03, "batch_size": 16}

EXAMPLES: dict[str, Example] = {example.name: example for example in (
    _synthetic_example("xor", "XOR: four quadrants, opposite corners share a class (2-D classification)",
                       generators.xor, {**SMALL_TANH, "hidden": [8], "epochs": 200}, "label"),
    _synthetic_example("circles", "a disc inside a ring (2-D classification)",
                       generators.circles, {**SMALL_TANH, "hidden": [8], "epochs": 200}, "label"),
    _synthetic_example("gaussians", "two Gaussian clouds (2-D classification, nearly linear)",
                       generators.gaussians, {**SMALL_TANH, "hidden": [4], "epochs": 100}, "label"),
    _synthetic_example("spiral", "two interleaved spirals (2-D classification, hard)",
                       generators.spiral,
                       # full batch (the 240 training rows): a smooth loss curve that
                       # reaches 100 % validation accuracy; mini-batches of 16 at lr 0.03 spiked
                       {**SMALL_TANH, "hidden": [16, 16], "lr": 0.01, "batch_size": 240,
                        "epochs": 1500}, "label"),
    _synthetic_example("plane", "y = 2·x1 − 3·x2 + 1 plus noise (2-D regression)",
                       generators.plane, {**SMALL_TANH, "hidden": [4], "epochs": 100}, "y"),
    _synthetic_example("multi-gaussian", "a surface of four Gaussian bumps (2-D regression)",
                       generators.multi_gaussian,
                       {**SMALL_TANH, "hidden": [16, 8], "lr": 0.01, "epochs": 500}, "y"),
    _shipped_example("iris", "Fisher's iris flowers: 4 measurements, 3 species (classification)",
                     "iris.csv", "species",
                     {**SMALL_TANH, "hidden": [8], "lr": 0.01, "epochs": 200}),
    _shipped_example("digits", "8x8 handwritten digits: 64 pixels, 10 classes (classification)",
                     "digits.csv", "digit",
                     {"hidden": [32], "activation": "relu", "optimizer": "adam",
                      "lr": 0.003, "batch_size": 32, "epochs": 60}),
    Example("houses", "synthetic house prices from floor area and bedrooms (regression)",
            partial(_synthetic, "houses", generators.houses), DatasetSpec(targets=("price",)),
            {**SMALL_TANH, "hidden": [8], "lr": 0.01, "epochs": 200}),
    _shipped_example("diabetes", "442 diabetes patients: 10 measurements to disease progression "
                     "(regression)", "diabetes.csv", "progression",
                     {**SMALL_TANH, "hidden": [8], "lr": 0.001, "epochs": 100}),
    Example("classic-2-2-2", "the textbook 2-2-2 worked example: one row, one exact SGD step",
            _classic,
            DatasetSpec(targets=("o1", "o2"), features=("i1", "i2"), task="regression",
                        scaling="none", val_split=0.0, test_split=0.0),
            {"hidden": [2], "activation": "sigmoid", "output_activation": "sigmoid",
             "loss": "half_sse", "optimizer": "sgd", "lr": 0.5, "batch_size": 1,
             "scale": "none", "val_split": 0.0, "test_split": 0.0, "dtype": "float64",
             "freeze_biases": True, "no_shuffle": True,
             "init_layers": {"weights": CLASSIC_WEIGHTS, "biases": CLASSIC_BIASES}}),
)}


def get_example(name: str) -> Example:
    """The example called ``name``; DataError listing the names otherwise."""
    try:
        return EXAMPLES[name]
    except KeyError:
        raise DataError(f'unknown example "{name}"; the examples are: '
                        f'{", ".join(EXAMPLES)}') from None


def load_example(name: str, n_samples=None, noise=None, seed=0) -> Table:
    """The Table of example ``name`` (see :class:`Example.make`)."""
    return get_example(name).make(n_samples=n_samples, noise=noise, seed=seed)
