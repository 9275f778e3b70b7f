"""The training-history CSV (`bpgui train --log`, the window's "Export loss history as CSV").

One row per epoch, epochs counted from 1:
``epoch,train_loss,val_loss,train_metric,val_metric,lr`` (``lr``: the learning rate used in
that epoch); a value that does not exist (None or NaN) is an empty cell.
"""

from __future__ import annotations

import math

HISTORY_COLUMNS = ("epoch", "train_loss", "val_loss", "train_metric", "val_metric", "lr")


def _cell(value):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return str(int(value)) if isinstance(value, int) else repr(float(value))


def history_csv_text(rows):
    """Return the CSV text for ``rows``: iterables of the six HISTORY_COLUMNS values."""
    lines = [",".join(HISTORY_COLUMNS)]
    lines += [",".join(_cell(value) for value in row) for row in rows]
    return "\n".join(lines) + "\n"
