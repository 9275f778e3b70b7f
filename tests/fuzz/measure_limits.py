"""How fast, and with how little memory, bpgui refuses inputs larger than its limits.

    .venv/bin/python tests/fuzz/measure_limits.py

Each oversized input is written to a temporary folder (files over 1 GiB are sparse: no disk
used), then read with the function the command line and the window use; the table shows the
error, the median time of 5 refusals and the peak memory Python allocated meanwhile
(tracemalloc, which also counts NumPy's arrays). docs/reliability.md quotes the table.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bpgui.data import DataError, read_csv  # noqa: E402
from bpgui.io.model import ModelFileError, load_model  # noqa: E402
from bpgui.io.session import load_session  # noqa: E402


def _npy(shape, dtype="<f8"):
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buffer.getvalue() + bytes(16)


def _npz_with(npz, **members):
    source = zipfile.ZipFile(io.BytesIO(npz))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name[:-4] not in members:
                target.writestr(name, source.read(name))
        for name, content in members.items():
            target.writestr(f"{name}.npy", content)
    return out.getvalue()


def _sparse(path, size):
    with open(path, "wb") as handle:
        handle.truncate(size)


def cases(folder):
    """(description, path, loader) of every oversized input."""
    from fuzz_seeds import model_seeds, session_seed

    model_json, model_npz = model_seeds()["iris"]
    document = json.loads(model_json)
    made = []

    def add(description, name, content, loader):
        path = os.path.join(folder, name)
        if isinstance(content, int):
            _sparse(path, content)
        else:
            with open(path, "wb") as handle:
                handle.write(content if isinstance(content, bytes) else content.encode())
        made.append((description, path, loader))

    add("CSV: a 10 MB field", "field.csv", "a,b\n1," + "x" * 10_000_000 + "\n", read_csv)
    wide = ",".join(f"c{i}" for i in range(20_000)) + "\n"
    add("CSV: 20,000 columns, 10 rows", "wide.csv", wide + (",".join(["1"] * 20_000) + "\n") * 10, read_csv)
    document["layers"][0]["units"] = 1e9
    add('model JSON: "units": 1e9', "units.json", json.dumps(document), load_model)
    add("model NPZ: W0 header claims 10^9 float64 (8 GB)", "claim.npz",
        _npz_with(model_npz, W0=_npy((10**9,))), load_model)
    add("model NPZ: meta claims 10^8 characters", "meta.npz",
        _npz_with(model_npz, meta=_npy((), "<U100000000")), load_model)
    add("model NPZ: 3,000 entries", "entries.npz",
        _npz_with(model_npz, **{f"x{i}": b"" for i in range(3000)}), load_model)
    add("model JSON: a 2 GiB file (sparse)", "huge.json", 2 << 30, load_model)
    add("model JSON: nested 100,000 deep", "deep.json", "[" * 100_000, load_model)
    session = json.loads(session_seed())
    session["network"]["layers"][0]["units"] = 10**12
    add("session: a layer claims 10^12 units", "units.bpgui.json", json.dumps(session), load_session)
    add("session: a 2 GiB file (sparse)", "huge.bpgui.json", 2 << 30, load_session)
    return made


def measure(path, loader, repeats=5):
    """(message, median seconds, peak traced bytes) of refusing ``path``."""
    times, peak, message = [], 0, None
    for _ in range(repeats):
        tracemalloc.start()
        started = time.perf_counter()
        try:
            loader(path)
            message = "ACCEPTED"
        except (DataError, ModelFileError) as error:
            message = str(error).split(": ", 1)[1]
        times.append(time.perf_counter() - started)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return message, statistics.median(times), peak


def main():
    folder = tempfile.mkdtemp(prefix="bpgui-limits-")
    print("| input | refused with | time | peak memory |\n|---|---|---|---|")
    for description, path, loader in cases(folder):
        message, seconds, peak = measure(path, loader)
        print(f"| {description} | {message} | {seconds * 1000:.0f} ms | {peak / 2**20:.1f} MiB |", flush=True)


if __name__ == "__main__":
    main()
