"""The in-memory table every data source produces: named columns, typed, with source lines."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bpgui.data.errors import DataError

NUMERIC = "numeric"
CATEGORICAL = "categorical"
KINDS = (NUMERIC, CATEGORICAL)


@dataclass(frozen=True)
class Table:
    """Columns read from a CSV file or made by an example generator.

    Attributes
    ----------
    source : str
        The path as given, or ``"example:<name>"``.
    columns : tuple of str
        Column names in file order (header names, or ``column_1`` … ``column_n``).
    data : dict of str to ndarray of shape (n_rows,)
        float64 (NaN = missing) for numeric columns; object arrays of ``str`` (``None`` =
        missing) for categorical ones.
    lines : ndarray of int64 of shape (n_rows,)
        1-based physical line of the file where each row starts (the header is line 1).
    delimiter, encoding : str
        What the file was read with.
    has_header : bool
    na_values : tuple of str
        The missing-value words used (case-insensitive).
    """

    source: str
    columns: tuple[str, ...]
    data: dict
    lines: np.ndarray
    delimiter: str = ","
    encoding: str = "utf-8"
    has_header: bool = True
    na_values: tuple[str, ...] = ()

    @property
    def n_rows(self) -> int:
        return int(len(self.lines))

    def kind(self, column) -> str:
        """``"numeric"`` or ``"categorical"`` for a column of this table."""
        return NUMERIC if self.column(column).dtype.kind == "f" else CATEGORICAL

    def column(self, name) -> np.ndarray:
        """The values of one column; DataError listing the columns when it does not exist."""
        try:
            return self.data[name]
        except KeyError:
            raise DataError(f'no column named "{name}"; the columns are: {list_names(self.columns)}',
                            path=self.source) from None

    def line_of(self, row) -> int:
        """Physical file line of a row index."""
        return int(self.lines[row])

    def __repr__(self):
        return f"Table({self.source!r}, {self.n_rows} rows, columns={list(self.columns)})"


IDENTIFIER_MIN_VALUES = 20  # text columns with more different values than this ...
IDENTIFIER_SHARE = 0.5  # ... and at least this share of their observed cells look like identifiers


def identifier_like(table: Table, columns=None) -> dict:
    """Text columns that look like identifiers (names, ticket numbers, free text), not categories.

    One-hot encoding such a column gives the network one input per value, almost one per row:
    it cannot generalise from them. A column counts when it has more than
    IDENTIFIER_MIN_VALUES different values and they are at least IDENTIFIER_SHARE of its
    non-missing cells. ``columns`` limits the search (default: every column).

    Returns
    -------
    dict of str to (int, int)
        ``{column: (different values, non-missing cells)}`` in column order.
    """
    found = {}
    for name in table.columns if columns is None else columns:
        if table.kind(name) == NUMERIC:
            continue
        values = table.column(name)
        observed = values[values != None]  # noqa: E711 - elementwise on an object array
        n_values = len(set(observed))
        if n_values > IDENTIFIER_MIN_VALUES and n_values >= IDENTIFIER_SHARE * len(observed):
            found[name] = (n_values, len(observed))
    return found


def constant_columns(table: Table, columns) -> dict:
    """Columns among ``columns`` holding one value in every non-missing cell (and at least
    two rows: one row is constant by nature): ``{column: that value}`` in the given order.

    A constant feature gives a network nothing to learn from; a constant target, nothing to
    learn (a classification target of one class is refused when the data is prepared)."""
    found = {}
    if table.n_rows < 2:
        return found
    for name in columns:
        values = table.column(name)
        observed = values[values != None] if values.dtype == object else values[~np.isnan(values)]  # noqa: E711
        if len(observed) > 1 and len(set(observed.tolist())) == 1:
            found[name] = observed[0].item() if hasattr(observed[0], "item") else observed[0]
    return found


def constant_notes(table: Table, features, targets) -> list:
    """One sentence per constant feature or target (:func:`constant_columns`), for the
    command line's ``note:`` lines and the window's status bar."""
    def shown(value):
        return f"{value:g}" if isinstance(value, float) else str(value)

    notes = [f'feature "{name}" has the same value ({shown(value)}) in every row: it gives the '
             "network nothing to learn from" for name, value in constant_columns(table, features).items()]
    notes += [f'target "{name}" has the same value ({shown(value)}) in every row: there is nothing '
              "to learn (R² is 0 unless the network predicts it exactly)"
              for name, value in constant_columns(table, targets).items()]
    return notes


def list_names(names, limit=30) -> str:
    """Column names for a message: ``a, b, c`` (shortened after ``limit``)."""
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f", … ({len(names) - limit} more)" if len(names) > limit else "")


def table_from_columns(source, columns, lines=None, **fields) -> Table:
    """Build a Table from ``{name: values}``: numbers become float64, anything else categorical.

    Parameters
    ----------
    source : str
    columns : dict of str to array-like of shape (n_rows,)
    lines : array-like of int, optional
        Defaults to 2, 3, … (as if the rows followed a header line).
    """
    data = {name: as_column(values) for name, values in columns.items()}
    n_rows = len(next(iter(data.values()))) if data else 0
    if lines is None:
        lines = np.arange(2, n_rows + 2, dtype=np.int64)
    return Table(source=source, columns=tuple(data), data=data,
                 lines=np.asarray(lines, dtype=np.int64), **fields)


def as_column(values) -> np.ndarray:
    """float64 for numeric values, an object array of str/None otherwise."""
    array = np.asarray(values)
    if array.dtype.kind in "biuf":
        return array.astype(np.float64)
    out = np.empty(len(array), dtype=object)
    out[:] = [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in array]
    return out
