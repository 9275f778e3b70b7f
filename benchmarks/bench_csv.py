"""How fast and how lean is CSV import? Time read_csv + prepare on a generated ~100 MB file.

Usage::

    python benchmarks/bench_csv.py [--megabytes 100] [--keep PATH]

The file has eight numeric columns (some cells missing), one categorical column of five
colours and a numeric target. It is written in chunks, then a fresh interpreter reads and
prepares it, reporting wall time of each stage and the peak resident memory of that process
(``VmHWM`` on Linux, else ``resource.getrusage``) above its size after the imports.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

N_NUMERIC = 8
COLOURS = np.array(["red", "green", "blue", "yellow", "purple"])
CHUNK_ROWS = 100_000

MEASURE = r"""
import json, resource, sys, time
from bpgui.data import DatasetSpec, prepare, read_csv
def rss_mb():
    # VmHWM: this process's peak resident memory (ru_maxrss can inherit the parent's peak)
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
base = rss_mb()
start = time.perf_counter()
table = read_csv(sys.argv[1])
read_s = time.perf_counter() - start
after_read = rss_mb()
start = time.perf_counter()
data = prepare(table, DatasetSpec(targets=("target",), val_split=0.2, seed=0))
prepare_s = time.perf_counter() - start
print(json.dumps({"rows": table.n_rows, "columns": len(table.columns), "read_s": read_s,
                  "prepare_s": prepare_s, "base_rss_mb": base, "peak_rss_read_mb": after_read,
                  "peak_rss_mb": rss_mb(), "n_imputed": data.n_imputed,
                  "n_inputs": data.n_inputs, "task": data.task}))
"""


def write_csv(path, megabytes, seed=0):
    """Write chunks of random rows until the file reaches ``megabytes`` MB; return the row count."""
    rng = np.random.default_rng(seed)
    target_bytes = megabytes * 1_000_000
    header = ",".join([f"x{i}" for i in range(N_NUMERIC)] + ["colour", "target"]) + "\n"
    rows = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(header)
        while handle.tell() < target_bytes:
            handle.write(_chunk(rng, CHUNK_ROWS))
            rows += CHUNK_ROWS
    return rows


def _chunk(rng, n):
    numbers = rng.normal(0.0, 100.0, (n, N_NUMERIC)).round(4).astype(str)
    numbers[rng.random(numbers.shape) < 0.001] = ""
    colours = COLOURS[rng.integers(0, len(COLOURS), n)]
    target = rng.normal(0.0, 1.0, n).round(5).astype(str)
    table = np.column_stack([numbers, colours, target])
    return "\n".join(",".join(row) for row in table) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--keep", help="write the CSV here and keep it")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="bpgui-bench-")
    path = args.keep or os.path.join(folder, "big.csv")
    start = time.perf_counter()
    write_csv(path, args.megabytes)
    size_mb = os.path.getsize(path) / 1e6
    print(f"wrote {path}: {size_mb:.1f} MB in {time.perf_counter() - start:.1f} s", flush=True)
    try:
        result = subprocess.run([sys.executable, "-c", MEASURE, path], check=True,
                                capture_output=True, text=True)
    finally:
        if not args.keep:
            os.remove(path)
            os.rmdir(folder)
    numbers = json.loads(result.stdout)
    numbers["file_mb"] = round(size_mb, 1)
    print(json.dumps(numbers, indent=2))
    print(f"read_csv {numbers['read_s']:.2f} s + prepare {numbers['prepare_s']:.2f} s for "
          f"{numbers['rows']:,} rows ({size_mb:.0f} MB); peak memory "
          f"{numbers['peak_rss_mb'] - numbers['base_rss_mb']:.0f} MB above the "
          f"{numbers['base_rss_mb']:.0f} MB after imports")


if __name__ == "__main__":
    main()
