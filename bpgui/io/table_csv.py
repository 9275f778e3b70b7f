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

import numpy as np

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
