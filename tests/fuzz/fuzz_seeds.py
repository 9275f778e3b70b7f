"""Real, valid files the mutating fuzzers start from: the shipped example CSVs, models trained
by ``bpgui train`` (JSON and NPZ, classification and regression, numeric and categorical
inputs) and a saved session with history, optimiser and shuffling state.

Everything is made once per process (a few seconds) in a private temporary folder.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import io
import json
import os
import shutil
import tempfile
from importlib import resources

import numpy as np

from bpgui.cli import main as cli_main
from bpgui.data import CsvOptions, DatasetSpec
from bpgui.engine import Network, TrainConfig
from bpgui.io.session import Session, session_to_dict

FOLDER = tempfile.mkdtemp(prefix="bpgui-fuzz-seeds-")
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)

SMALL_CSVS = {
    "mixed.csv": "x1,colour,x2,label\n0.5,red,1,yes\n-1.2,blue,NA,no\n3,,2.5,yes\n0,red,-1,no\n",
    "semicolon.csv": "a;b;y\n1,5;2;3\n4;5,25;6\n7;8;9\n",
    "space.txt": '"sepal length" "sepal width" label\n5.1 3.5 a\n4.9 3.0 b\n',
    "quoted.csv": 'id,"name, full",y\n1,"Doe, J.",0\n2,"multi\nline",1\n',
    "noheader.tsv": "1\t2\t0\n3\t4\t1\n5\t6\t0\n",
}
"""Small files with the shapes the shipped datasets do not have."""


@functools.cache
def csv_seeds():
    """The bytes of every shipped dataset CSV (its first 200 lines) and of SMALL_CSVS."""
    seeds = []
    for entry in resources.files("bpgui.data.datasets").iterdir():
        if entry.name.endswith(".csv"):
            lines = entry.read_bytes().splitlines(keepends=True)
            seeds.append(b"".join(lines[:200]))
    seeds += [text.encode("utf-8") for text in SMALL_CSVS.values()]
    return tuple(seeds)


TRAINED = {
    "iris": ["--example", "iris"],
    "xor": ["--example", "xor"],
    "houses": ["--example", "houses"],
    "mixed": ["DATA", "--hidden", "3", "--dtype", "float64"],
}
"""Seed model → ``bpgui train`` arguments (DATA: the mixed CSV of SMALL_CSVS)."""


@functools.cache
def model_seeds():
    """``{name: (json_bytes, npz_bytes)}`` of small trained models."""
    data = os.path.join(FOLDER, "mixed.csv")
    with open(data, "w", encoding="utf-8") as handle:
        handle.write(SMALL_CSVS["mixed.csv"])
    seeds = {}
    for name, flags in TRAINED.items():
        flags = [data if flag == "DATA" else flag for flag in flags]
        json_path = os.path.join(FOLDER, f"{name}.json")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = cli_main(["train", *flags, "--epochs", "2", "--quiet", "--out", json_path])
            assert code == 0, f"training the seed model {name} failed"
            npz_path = os.path.join(FOLDER, f"{name}.npz")
            assert cli_main(["export", json_path, npz_path]) == 0
        with open(json_path, "rb") as json_file, open(npz_path, "rb") as npz_file:
            seeds[name] = (json_file.read(), npz_file.read())
    return seeds


@functools.cache
def model_documents():
    """The seed models' JSON objects (to mutate field by field)."""
    return tuple(json.loads(json_bytes) for json_bytes, _ in model_seeds().values())


@functools.cache
def session_document():
    """A saved session's JSON object: network, initial weights, history, optimiser, rng."""
    network = Network.create((3, 4, 2), ("tanh", "softmax"), seed=1, dtype="float64")
    initial = network.params.copy()
    network.params[...] += 0.25
    history = {"metric_name": "accuracy",
               "columns": {"epoch": np.array([1.0, 2.0]), "train_loss": np.array([0.9, 0.7]),
                           "val_loss": np.array([np.nan, 0.8])},
               "grad_norms": np.array([[0.1, 0.2], [np.nan, 0.4]])}
    optimizer = {"t": 2, "m": np.zeros(network.params.size), "v": np.full(network.params.size, 0.01)}
    session = Session(source=os.path.join(FOLDER, "mixed.csv"),
                      csv_options=CsvOptions(delimiter=";", na_values=("-",)),
                      spec=DatasetSpec(targets=("y",), kinds=(("c", "categorical"),), val_split=0.1),
                      network=network, initial_params=initial, loss="cross_entropy",
                      task="classification", init={"method": "he", "seed": 1, "range": 0.5},
                      config=TrainConfig(learning_rate=0.05, optimizer="adam"), epoch=2,
                      history=history, optimizer_state=optimizer,
                      rng_state=np.random.default_rng(5).bit_generator.state)
    return session_to_dict(session, FOLDER)


@functools.cache
def session_seed():
    return (json.dumps(session_document(), indent=1, allow_nan=False) + "\n").encode("utf-8")
