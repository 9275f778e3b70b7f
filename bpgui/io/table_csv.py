"""A loaded table (a CSV, an example, a drawing) written back as CSV (the window's
File › Save data as CSV).

Every column in the table's order, every row in file order, a header line, commas, UTF-8.
Numbers are written so that reading them gives the same float64 exactly: whole numbers as
integers (``3``), others as Python's shortest round-trip text (``0.30000000000000004``);
missing cells are empty; text is quoted where the CSV rules need it. So ``bpgui train`` on
the file reads the same numbers the window holds.
"""

from __future__ import annotations

import csv
import io
import math

from bpgui.data.kinds import format_number
from bpgui.io.atomic import atomic_write_text


def table_csv_text(table):
    """The CSV text of ``table`` (a :class:`bpgui.data.Table`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    cells = [_cells(table.column(name)) for name in table.columns]
    writer.writerows(zip(*cells))
    return buffer.getvalue()


def save_table_csv(path, table):
    """Write ``table`` to ``path`` as CSV, atomically (OSError when it cannot be written)."""
    atomic_write_text(path, table_csv_text(table))


def _cells(values):
    """The text of each cell of one column: float64 (NaN missing) or str/None."""
    if values.dtype.kind == "f":
        return [_number(v) for v in values.tolist()]
    return ["" if v is None else str(v) for v in values]


def _number(value):
    if math.isnan(value):
        return ""
    if value == 0 and math.copysign(1.0, value) < 0:
        return "-0.0"  # format_number's "0" would lose the sign
    return format_number(value)


def train_command(path, table, spec, task):
    """The ``bpgui train`` command that reads a saved table as the window reads it.

    Parameters
    ----------
    path : str
        Where the table was saved.
    table : bpgui.data.Table
    spec : bpgui.data.DatasetSpec
        The window's data choices (targets, features, split, scaling, derived inputs).
    task : {"classification", "regression"}
        The task the window trains.

    Returns
    -------
    str
        ``bpgui train PATH [flags] --out MODEL.json``, with a flag for each choice the
        command line would not make by itself (its defaults are the window's for new data).
    """
    import shlex

    from bpgui.data import DatasetSpec, detect_task
    from bpgui.data.dataset import resolve_targets

    defaults = DatasetSpec()
    targets = resolve_targets(table, spec)
    flags = []
    if targets != (table.columns[-1],):
        flags += ["--target", ",".join(targets)]
    others = tuple(name for name in table.columns if name not in targets)
    if spec.features is not None and tuple(spec.features) != others:
        flags += ["--features", ",".join(spec.features)]
    if detect_task(table, targets, "auto") != task:
        flags += ["--task", task]
    for flag, name in (("--missing", "missing"), ("--scale", "scaling"),
                       ("--val-split", "val_split"), ("--test-split", "test_split"),
                       ("--seed", "seed")):
        if getattr(spec, name) != getattr(defaults, name):
            flags += [flag, str(getattr(spec, name))]
    if spec.derived:
        flags += ["--derive", ",".join(spec.derived)]
    return " ".join(["bpgui train", *map(shlex.quote, [str(path), *flags]), "--out", "MODEL.json"])
