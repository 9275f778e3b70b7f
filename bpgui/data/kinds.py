"""Read a column as numeric or categorical, whatever it was detected as."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpgui.data.errors import DataError
from bpgui.data.table import CATEGORICAL, KINDS, NUMERIC, Table


def format_number(value: float) -> str:
    """The text of a number as a category: ``3`` for integral values, ``0.5`` otherwise."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


LARGEST_WHOLE = 2.0**53  # beyond it float64 no longer holds every whole number (nor int64 all)


def whole(values) -> np.ndarray:
    """Boolean mask: the float values that are whole numbers a class label can be (|v| < 2⁵³);
    NaN is not."""
    values = np.asarray(values, float)
    with np.errstate(invalid="ignore"):
        return (values == np.round(values)) & (np.abs(values) < LARGEST_WHOLE)


def numbers_as_text(values: np.ndarray) -> np.ndarray:
    """float64 values → object array of str (None for NaN)."""
    out = np.empty(len(values), dtype=object)
    observed = ~np.isnan(values)
    out[observed] = [format_number(v) for v in values[observed]]
    return out


def column_as(table: Table, name: str, kind: str) -> np.ndarray:
    """Column ``name`` as float64 (``kind="numeric"``) or object str/None (``"categorical"``).

    Raises
    ------
    DataError
        Naming the line and column of the first value that is not a number when a categorical
        column is read as numeric.
    """
    if kind not in KINDS:
        raise DataError(f'column kind must be numeric or categorical, not "{kind}"',
                        path=table.source, column=name)
    values = table.column(name)
    have = table.kind(name)
    if have == kind:
        return values
    if kind == CATEGORICAL:
        return numbers_as_text(values)
    return text_as_numbers(values, table, name)


def text_as_numbers(values: np.ndarray, table: Table, name: str) -> np.ndarray:
    """Object str/None values → float64, or DataError at the first value that is no number."""
    observed = np.array([v is not None for v in values], dtype=bool)
    numbers = np.full(len(values), np.nan)
    parsed = pd.to_numeric(pd.Series(values[observed], dtype=object), errors="coerce")
    parsed = parsed.to_numpy(dtype=np.float64)
    bad = np.isnan(parsed)
    if bad.any():
        row = int(np.flatnonzero(observed)[np.argmax(bad)])
        raise DataError(f'"{values[row]}" is not a number (this column must be numeric)',
                        path=table.source, line=table.line_of(row), column=name)
    numbers[observed] = parsed
    return numbers


def is_missing(values: np.ndarray) -> np.ndarray:
    """Boolean mask of missing cells for a float64 or object column."""
    if values.dtype.kind == "f":
        return np.isnan(values)
    return pd.isna(pd.Series(values, dtype=object)).to_numpy()


__all__ = ["CATEGORICAL", "NUMERIC", "column_as", "format_number", "is_missing", "whole"]
