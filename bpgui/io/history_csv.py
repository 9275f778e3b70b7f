"""The training-history CSV (`bpgui train --log`, the window's "Export loss history as CSV").

One row per epoch, epochs counted from 1:
``epoch,train_loss,val_loss,train_metric,val_metric,lr`` (``lr``: the learning rate used in
that epoch); a value that does not exist (None or NaN) is an empty cell.
"""

from __future__ import annotations

import math
from array import array

HISTORY_COLUMNS = ("epoch", "train_loss", "val_loss", "train_metric", "val_metric", "lr")


class HistoryRows:
    """The HISTORY_COLUMNS of every epoch as numbers (48 bytes an epoch), for a log written
    at the end of a long run without keeping a report object per epoch."""

    def __init__(self):
        self._columns = {name: array("d") for name in HISTORY_COLUMNS}

    def append(self, report):
        """Keep one ``EpochReport``'s values (None as NaN)."""
        for name, column in self._columns.items():
            value = getattr(report, name)
            column.append(math.nan if value is None else float(value))

    def __len__(self):
        return len(self._columns["epoch"])

    def rows(self):
        """The rows for :func:`history_csv_text`: the epoch as an int, missing values None."""
        columns = [self._columns[name] for name in HISTORY_COLUMNS]
        for values in zip(*columns):
            yield (int(values[0]), *(None if math.isnan(v) else v for v in values[1:]))


def _cell(value):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return str(int(value)) if isinstance(value, int) else repr(float(value))


def history_csv_text(rows):
    """Return the CSV text for ``rows``: iterables of the six HISTORY_COLUMNS values."""
    lines = [",".join(HISTORY_COLUMNS)]
    lines += [",".join(_cell(value) for value in row) for row in rows]
    return "\n".join(lines) + "\n"
