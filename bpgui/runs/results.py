"""A sweep's finished runs as RESULTS.csv rows, and a RESULTS.csv read back as run records.

Use::

    from bpgui.runs.results import read_results, write_results

    write_results("results.csv", results, swept_options(lists))   # results: SweepResults
    options, results = read_results("results.csv", base=RunSettings())

A record read back has the row's settings (``base`` with the row's seed and swept values),
its final numbers as the last epoch of a history whose earlier epochs are NaN (so
``epochs_run``, ``final(...)`` and ``ms_per_epoch`` are right and there is no curve to draw),
no weights, ``metric_name`` ``""`` (the file does not say accuracy or R²) and its ``error``.
"""

from __future__ import annotations

import math

import numpy as np

from bpgui.io.results_csv import NUMBER_COLUMNS, ResultRow, ResultsTable, read_results_csv, write_results_csv
from bpgui.runs.grid import apply, option_text, option_value
from bpgui.runs.run_record import HISTORY_FIELDS, RunRecord
from bpgui.runs.settings import RunSettings
from bpgui.runs.sweep import SweepResult


def result_row(result, options):
    """The :class:`~bpgui.io.results_csv.ResultRow` of a :class:`SweepResult`; a failed run's
    numbers are empty."""
    record = result.record
    failed = record.error is not None
    numbers = {name: None for name in NUMBER_COLUMNS}
    if not failed:
        numbers.update({name: record.final(name) for name in NUMBER_COLUMNS[1:-1]})
        numbers.update(epochs_run=record.epochs_run, seconds=record.seconds)
    return ResultRow(run=result.index + 1, seed=record.settings.seed,
                     options={name: option_text(name, getattr(record.settings, name)) for name in options},
                     numbers=numbers, error=record.error)


def write_results(path, results, options):
    """Write RESULTS.csv: one row per result, in grid order (atomically).

    Parameters
    ----------
    path : str
    results : iterable of SweepResult
        The finished runs (any order; an interrupted sweep writes the ones it has).
    options : sequence of str
        The swept options (:func:`~bpgui.runs.grid.swept_options`), in column order.
    """
    rows = [result_row(result, options) for result in sorted(results, key=lambda r: r.index)]
    write_results_csv(path, ResultsTable(tuple(options), rows))


def read_results(path, base=None):
    """Read a RESULTS.csv back as run records.

    Parameters
    ----------
    path : str
    base : RunSettings, optional
        The settings the sweep shared (the file holds only the swept ones and the seed).

    Returns
    -------
    options : tuple of str
        The swept options, in column order.
    results : list of SweepResult
        In file order; ``index`` is the row's ``run`` − 1.

    Raises
    ------
    ValueError
        One line naming the file, line and column of what is wrong.
    """
    table = read_results_csv(path)
    base = base or RunSettings()
    results = []
    for row in table.rows:
        settings = base.replace(seed=row.seed)
        for name, text in row.options.items():
            try:
                settings = apply(settings, name, option_value(name, text))
            except ValueError as error:
                raise ValueError(f'{path}, line {row.line}, column "{name}": {error}') from None
        results.append(SweepResult(row.run - 1, _record(row, settings)))
    return table.options, results


def _record(row, settings):
    n = row.numbers.get("epochs_run") or 0
    history = {name: np.full(n, np.nan) for name in HISTORY_FIELDS}
    history["epoch"] = np.arange(1, n + 1, dtype=float)
    for name in ("train_loss", "val_loss", "train_metric", "val_metric"):
        value = row.numbers.get(name)
        if n and value is not None:
            history[name][-1] = value
    seconds = row.numbers.get("seconds")
    return RunRecord(f"sweep run {row.run}", settings, history, "",
                     0.0 if seconds is None or not math.isfinite(seconds) else seconds,
                     error=row.error, origin="sweep")
