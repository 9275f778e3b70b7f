"""A sweep's RESULTS.csv (``bpgui sweep --out``), written and read back (DESIGN.md §4).

One row per run in grid order: ``run`` (1…), ``seed``, one column per swept option (its
cell as :func:`bpgui.runs.grid.option_text` writes it, ``16,16`` for ``hidden``), then
:data:`NUMBER_COLUMNS`, and an ``error`` column (``diverged``) only when some run failed. A
number that does not exist (no validation split, a failed run) is an empty cell. The cells of
the option columns stay text here; :mod:`bpgui.runs.results` gives them their types.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field

from bpgui.io.atomic import atomic_write_text

NUMBER_COLUMNS = ("epochs_run", "train_loss", "val_loss", "train_metric", "val_metric", "seconds")
"""The numbers of a run, after the option columns."""


@dataclass
class ResultRow:
    """One run's row.

    Attributes
    ----------
    run, seed : int
    options : dict of str to str
        Swept option → its cell, in column order.
    numbers : dict of str to float or None
        :data:`NUMBER_COLUMNS` → value (``epochs_run`` a whole number), None where empty.
    error : str or None
    line : int
        Its line in the file read (0 for a row not read from a file).
    """

    run: int
    seed: int
    options: dict = field(default_factory=dict)
    numbers: dict = field(default_factory=dict)
    error: str | None = None
    line: int = 0


@dataclass
class ResultsTable:
    """The whole file: its swept options (column order) and its rows (file order)."""

    options: tuple
    rows: list


def results_columns(options, with_error):
    """The header: ``run, seed, *options, *NUMBER_COLUMNS[, error]``."""
    return ["run", "seed", *options, *NUMBER_COLUMNS, *(["error"] if with_error else [])]


def results_csv_text(table):
    """The CSV text of a :class:`ResultsTable` (``\\n`` line ends)."""
    with_error = any(row.error for row in table.rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(results_columns(table.options, with_error))
    for row in table.rows:
        cells = [str(row.run), str(row.seed), *(row.options[name] for name in table.options)]
        cells += [_cell(name, row.numbers.get(name)) for name in NUMBER_COLUMNS]
        writer.writerow(cells + ([row.error or ""] if with_error else []))
    return buffer.getvalue()


def write_results_csv(path, table):
    """Write ``table`` to ``path`` atomically."""
    atomic_write_text(path, results_csv_text(table))


def read_results_csv(path):
    """Read a RESULTS.csv.

    Returns
    -------
    ResultsTable

    Raises
    ------
    ValueError
        One line naming the file, and the line and column of a bad cell.
    OSError
        The file cannot be read.
    """
    with open(path, encoding="utf-8", newline="") as handle:
        try:
            lines = list(csv.reader(handle))
        except (csv.Error, UnicodeDecodeError) as error:
            raise ValueError(f"{path}: not a RESULTS.csv of bpgui sweep ({error})") from None
    if not lines:
        raise ValueError(f"{path}: the file is empty")
    options = _options_of_header(path, lines[0])
    columns = lines[0]
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if not cells:
            continue
        if len(cells) != len(columns):
            raise ValueError(f"{path}, line {number}: {len(cells)} cells where the header has {len(columns)}")
        values = dict(zip(columns, cells))
        rows.append(ResultRow(
            run=_whole(path, number, "run", values["run"]),
            seed=_whole(path, number, "seed", values["seed"]),
            options={name: values[name] for name in options},
            numbers={name: _number(path, number, name, values[name]) for name in NUMBER_COLUMNS},
            error=values.get("error") or None, line=number,
        ))
    return ResultsTable(options, rows)


def _options_of_header(path, header):
    """The option columns of a header, checking the fixed ones around them."""
    expected_start, end = ["run", "seed"], list(NUMBER_COLUMNS)
    body = header[:-1] if header and header[-1] == "error" else header
    if body[:2] != expected_start or body[-len(end):] != end or len(body) < len(end) + 2:
        raise ValueError(f"{path}, line 1: not a RESULTS.csv of bpgui sweep (expected the columns "
                         f"run, seed, the swept options, {', '.join(end)}[, error])")
    return tuple(body[2:-len(end)])


def _cell(name, value):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return str(int(value)) if name == "epochs_run" else repr(float(value))


def _whole(path, line, column, text):
    try:
        return int(text)
    except ValueError:
        raise ValueError(f'{path}, line {line}, column "{column}": expected a whole number, got {text!r}') from None


def _number(path, line, column, text):
    if text.strip() == "":
        return None
    if column == "epochs_run":
        return _whole(path, line, column, text)
    try:
        return float(text)
    except ValueError:
        raise ValueError(f'{path}, line {line}, column "{column}": expected a number, got {text!r}') from None
