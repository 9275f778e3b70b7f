"""What the fuzzers call and what they accept.

Each target writes one input to a file and reads it the way a user's file is read, with the
public functions the command line and the window use. Only the project's own clean errors
may come out: :class:`~bpgui.data.DataError` for CSV files and for data a model cannot take,
:class:`~bpgui.io.model.ModelFileError` for model and session files (the session loader's
error type too). Anything else (KeyError, TypeError, a NumPy, zipfile or pandas error, a
RecursionError, MemoryError, a failed invariant) is a crash; an input that takes more than
``HANG_SECONDS`` of CPU time is a hang. CPU time, not wall time: on a machine shared with
other work a wall clock would call ordinary inputs hangs (the process gets part of a core).
"""

from __future__ import annotations

import math
import os
import signal
import time
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from hypothesis import strategies as st

from bpgui.data import DataError, DatasetSpec, prepare, preview_csv, read_csv
from bpgui.data.table import table_from_columns
from bpgui.io.model import ModelFileError, load_model
from bpgui.io.session import load_session

HANG_SECONDS = 5.0


class Hang(Exception):
    """An input ran past HANG_SECONDS (raised by the alarm inside Python code)."""


# -- the checks --------------------------------------------------------------------------------

def check_csv(path, options):
    """Preview (the import dialog), read, then prepare with the default spec."""
    try:
        preview_csv(path, options)
    except DataError:
        pass
    table = read_csv(path, options)
    n = table.n_rows
    assert n >= 1 and all(table.data[name].shape == (n,) for name in table.columns)
    assert table.lines.shape == (n,) and (np.diff(table.lines) > 0).all() and table.lines[0] >= 1
    prepare(table, DatasetSpec())


def check_model(path, options=None):
    """Load, then predict three rows: typical values, missing values, unseen ones."""
    model = load_model(path)
    columns = {}
    for column in model.preprocessor.columns:
        if column["kind"] == "numeric":
            columns[column["name"]] = [column["center"], math.nan, 1e6]
        else:
            first = column["categories"][0] if column["categories"] else "x"
            columns[column["name"]] = [first, None, "never seen"]
    result = model.predict(table_from_columns("rows", columns))
    assert result.outputs.shape[0] == 3


def check_session(path, options=None):
    """Load; whatever loads must fit together (the window applies it as it stands)."""
    session = load_session(path)
    if session.network is not None and session.initial_params is not None:
        assert session.initial_params.shape == session.network.params.shape
    history = session.history or {}
    lengths = {values.shape for values in history.get("columns", {}).values()}
    assert len(lengths) <= 1 and all(len(shape) == 1 for shape in lengths)
    norms = history.get("grad_norms")
    if norms is not None:
        assert norms.ndim == 2 and (norms.shape[0],) in lengths


# -- the targets -------------------------------------------------------------------------------

@dataclass(frozen=True)
class FuzzTarget:
    """One reader under fuzzing.

    Attributes
    ----------
    name : str
        The word of ``run.py --target``.
    suffix : str
        The input file's extension (the loaders choose the format by it).
    check : callable (path, options) -> None
    allowed : tuple of exception types
        The clean errors.
    inputs : callable () -> SearchStrategy of (bytes, options)
        Built on first use (the seeds train small models).
    """

    name: str
    suffix: str
    check: Callable
    allowed: tuple
    inputs: Callable = field(repr=False)


def _csv_inputs():
    from fuzz_seeds import csv_seeds
    from fuzz_strategies import Seeds, csv_options, generated_csv, mutated

    from bpgui.data import CsvOptions

    data = st.one_of(mutated(Seeds(csv_seeds())), generated_csv(), st.binary(max_size=200))
    return st.tuples(data, st.one_of(st.just(CsvOptions()), csv_options()))


def _model_json_inputs():
    from fuzz_seeds import model_documents, model_seeds
    from fuzz_strategies import Seeds, json_text, mutated

    seeds = Seeds(json_bytes for json_bytes, _ in model_seeds().values())
    return st.tuples(st.one_of(json_text(Seeds(model_documents())), mutated(seeds)), st.none())


def _model_npz_inputs():
    from fuzz_seeds import model_documents, model_seeds
    from fuzz_strategies import Seeds, mutated, npz_bytes

    seeds = Seeds(npz for _, npz in model_seeds().values())
    return st.tuples(st.one_of(npz_bytes(Seeds(model_documents())), mutated(seeds, most=3)), st.none())


def _session_inputs():
    from fuzz_seeds import session_document, session_seed
    from fuzz_strategies import Seeds, json_text, mutated

    return st.tuples(st.one_of(json_text(Seeds([session_document()])), mutated(Seeds([session_seed()]))),
                     st.none())


TARGETS = {
    "csv": FuzzTarget("csv", ".csv", check_csv, (DataError,), _csv_inputs),
    "model-json": FuzzTarget("model-json", ".json", check_model, (ModelFileError, DataError), _model_json_inputs),
    "model-npz": FuzzTarget("model-npz", ".npz", check_model, (ModelFileError, DataError), _model_npz_inputs),
    "session": FuzzTarget("session", ".bpgui.json", check_session, (ModelFileError,), _session_inputs),
}


# -- running one input -------------------------------------------------------------------------

@dataclass
class Finding:
    """A crash or hang: its kind, where it happened, the smallest input that shows it."""

    target: str
    kind: str  # "crash" or "hang"
    error: str
    where: str
    data: bytes
    options: object
    count: int = 1
    trace: str = ""


def _where(error):
    """The innermost frame in bpgui (else the innermost at all): ``file:line in function``."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if f"{os.sep}bpgui{os.sep}" in f.filename] or frames
    frame = ours[-1] if ours else None
    if frame is None:
        return "?"
    return f"{frame.filename.rsplit(os.sep + 'bpgui' + os.sep, 1)[-1]}:{frame.lineno} in {frame.name}"


def _alarm(signum, frame):
    raise Hang(f"still running after {HANG_SECONDS:g} s of CPU time")


LAST = {"cpu": 0.0, "wall": 0.0}
"""CPU and wall seconds of the last input :func:`run_input` checked."""


def run_input(target, data, options, folder):
    """Write ``data`` and check it; return None or a :class:`Finding`.

    A profiling timer (process CPU time) interrupts Python code after HANG_SECONDS; time
    spent inside C code that does not return is caught by the caller's hard watchdog.
    """
    path = os.path.join(folder, "input" + target.suffix)
    with open(path, "wb") as handle:
        handle.write(data)
    previous = signal.signal(signal.SIGPROF, _alarm)
    signal.setitimer(signal.ITIMER_PROF, HANG_SECONDS)
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        with warnings.catch_warnings():  # numpy's overflow notes on absurd weights are no crash
            warnings.simplefilter("ignore", RuntimeWarning)
            target.check(path, options)
        finding = None
    except target.allowed as error:
        finding = None if str(error).strip() else Finding(
            target.name, "crash", f"{type(error).__name__} with an empty message", _where(error), data, options)
    except Hang as error:
        finding = Finding(target.name, "hang", str(error), _where(error), data, options)
    except Exception as error:  # noqa: BLE001 - every other exception is what we look for
        finding = Finding(target.name, "crash", f"{type(error).__name__}: {str(error)[:200]}",
                          _where(error), data, options, trace=traceback.format_exc(limit=-8))
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    LAST["cpu"], LAST["wall"] = time.process_time() - cpu_started, time.perf_counter() - started
    if finding is None and LAST["cpu"] > HANG_SECONDS:
        finding = Finding(target.name, "hang", f"took {LAST['cpu']:.1f} s of CPU time", "?", data, options)
    return finding
