"""How large a CSV file's parts may be: larger ones are refused before pandas parses them,
with one line naming the limit (docs/reliability.md lists them and the time to refuse)."""

from __future__ import annotations

MAX_FIELD_BYTES = 128 * 1024
"""One field (cell) of a CSV file: 131,072 bytes, the ``csv`` module's own limit. A longer
cell is no feature a network can learn from: a 10 MB one is a damaged or foreign file."""

MAX_COLUMNS = 16_384
"""Columns of a CSV file: as many as a spreadsheet holds (Excel's XFD)."""


def too_many_columns(n_columns, exact=True):
    """``exact`` False when only the start of the first row was counted."""
    count = f"{n_columns:,}" if exact else f"more than {MAX_COLUMNS:,}"
    return f"the file has {count} columns; bpgui reads at most {MAX_COLUMNS:,} (as many as a spreadsheet holds)"


def too_long_field(n_bytes=None, field=None):
    """``field`` (1-based) and ``n_bytes`` None when the csv module stopped at the field."""
    which = f"field {field}" if field is not None else "a field"
    size = f"{n_bytes:,} bytes" if n_bytes is not None else f"more than {MAX_FIELD_BYTES:,} bytes"
    return f"{which} of this row holds {size}; bpgui reads fields of at most {MAX_FIELD_BYTES:,} bytes (128 KiB)"
