"""The Runs table in words: its columns, each cell's value and text, and its CSV exports.

No Qt: the Runs dock's table model shows these cells, and the same runs are written as CSV
(the table's columns, or every epoch of every run). Setting columns are named with the
command line's words (:class:`~bpgui.runs.settings.RunSettings` fields).
"""

from __future__ import annotations

import csv
import io
import math
from types import SimpleNamespace

from bpgui.runs.run_record import HISTORY_FIELDS, differing_settings

FINAL_COLUMNS = ("epochs_run", "train_loss", "val_loss", "metric", "ms_per_epoch")
"""The columns after the settings: what the run reached and how fast (``epochs_run``, the epochs
trained, as RESULTS.csv names it: ``epochs`` is the setting, a column when it differs)."""

HEADERS = {"label": "run", "data": "data", "epochs_run": "epochs run", "train_loss": "train loss",
           "val_loss": "val loss", "metric": "metric", "ms_per_epoch": "ms/epoch"}
METRIC_TITLES = {"accuracy": "accuracy", "r2": "R²"}
CURVE_COLUMNS = HISTORY_FIELDS  # every column a record keeps per epoch
NUMBER_FORMATS = {"train_loss": ".4g", "val_loss": ".4g", "metric": ".4f", "ms_per_epoch": ".3g"}


def table_columns(records):
    """The columns for ``records``: ``label``, ``data`` when they trained on different data, the
    settings whose values differ between them, then :data:`FINAL_COLUMNS`."""
    data = ("data",) if len({record.data for record in records if record.data}) > 1 else ()
    distinct = list(dict.fromkeys(record.settings for record in records))  # hundreds of runs, few settings
    settings = differing_settings([SimpleNamespace(settings=s) for s in distinct])
    return ("label", *data, *settings, *FINAL_COLUMNS)


def header(column, records=()):
    """The title of ``column``; the metric's names the metric when all runs share it."""
    if column == "metric":
        names = {record.metric_name for record in records if record.metric_name}
        return METRIC_TITLES.get(names.pop(), "metric") if len(names) == 1 else "metric"
    return HEADERS.get(column, column)


def run_metric(record):
    """The run's last metric: validation when it has a validation split, training otherwise."""
    has_validation = record.epochs_run and math.isfinite(record.history["val_loss"][-1])
    return record.final("val_metric" if has_validation else "train_metric")


def cell(record, column):
    """The value of ``column`` for ``record`` (None where it does not exist)."""
    if column in ("label", "data"):
        return getattr(record, column)
    if column == "epochs_run":
        return record.epochs_run
    if column in ("train_loss", "val_loss"):
        return record.final(column)
    if column == "metric":
        return run_metric(record)
    if column == "ms_per_epoch":
        return record.ms_per_epoch
    return getattr(record.settings, column)


def cell_text(record, column):
    """``cell`` as the table shows it."""
    value = cell(record, column)
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, NUMBER_FORMATS.get(column, "g"))
    return setting_text(value)


def setting_text(value):
    """A setting as the command line writes it: ``16,8`` for a tuple, ``yes``/``no``, ``g`` floats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (tuple, list)):
        return ",".join(setting_text(item) for item in value)
    if isinstance(value, float):
        return format(value, "g")
    return str(value)


# -- CSV ----------------------------------------------------------------------------------------

def table_csv_text(records, columns=None):
    """One row per run: ``run``, [``data``], the differing settings, ``epochs_run``,
    ``train_loss``, ``val_loss``, ``train_metric``, ``val_metric``, ``seconds``, ``ms_per_epoch``
    (and ``error`` when a run failed); an empty cell where a value does not exist.

    ``columns`` (as :func:`table_columns` gives them) picks the setting columns; by default the
    settings that differ between ``records``.
    """
    columns = table_columns(records) if columns is None else columns
    middle = [column for column in columns if column not in ("label", *FINAL_COLUMNS)]
    numbers = ("train_loss", "val_loss", "train_metric", "val_metric")
    errors = any(record.error for record in records)
    head = ["run", *middle, "epochs_run", *numbers, "seconds", "ms_per_epoch", *(("error",) if errors else ())]
    rows = [head]
    for record in records:
        row = [record.label, *(_csv_value(cell(record, column)) for column in middle), record.epochs_run,
               *(_csv_value(record.final(name)) for name in numbers), _csv_value(record.seconds),
               _csv_value(record.ms_per_epoch)]
        rows.append(row + ([record.error or ""] if errors else []))
    return _csv(rows)


def curves_csv_text(records):
    """Every epoch of every run, one row each: ``run``, then :data:`CURVE_COLUMNS`."""
    rows = [["run", *CURVE_COLUMNS]]
    for record in records:
        columns = [record.history[name] for name in CURVE_COLUMNS]
        for values in zip(*columns):
            rows.append([record.label, int(values[0]), *(_csv_value(float(x)) for x in values[1:])])
    return _csv(rows)


def _csv_value(value):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, float):
        return repr(value)
    return setting_text(value)


def _csv(rows):
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue()
