"""Read a CSV file into a :class:`Table`: detection, parsing with pandas' C engine, checks.

Rules (DESIGN.md §4): the delimiter (comma, semicolon, tab, pipe), the header row and the
encoding (UTF-8 with or without BOM, else Latin-1) are detected unless given; quoted fields
may hold delimiters and newlines; CRLF and blank lines are fine. Empty cells and the words
``?``, ``NA``, ``N/A``, ``NaN``, ``null`` (any case; a given list replaces them) are missing.
A column is numeric when every observed value is a number, categorical otherwise. Every
problem is a :class:`DataError` naming the file, line and column.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bpgui.data import layout as layout_scan
from bpgui.data import sniff
from bpgui.data.columns import (LARGEST_VALUE, boolean_columns, case_variants, check_finite,
                                 text_columns, to_column)
from bpgui.data.errors import DataError
from bpgui.data.limits import MAX_COLUMNS, MAX_FIELD_BYTES, too_long_field, too_many_columns
from bpgui.data.table import Table, identifier_like

DEFAULT_NA_VALUES = ("?", "NA", "N/A", "NaN", "null")
DELIMITER_WORDS = {"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|", "space": " "}
HEADER_CHOICES = ("auto", "yes", "no")
PREVIEW_BYTES = 256 * 1024
LONG_ROW_BYTES = 4 << 20
"""The preview reads this much when the first data row does not fit in PREVIEW_BYTES."""

__all__ = ["DEFAULT_NA_VALUES", "DELIMITER_WORDS", "CsvOptions", "Preview", "Table",
           "preview_csv", "read_csv", "resolve_delimiter"]


@dataclass(frozen=True)
class CsvOptions:
    """How to read a file; ``None`` and ``"auto"`` mean detect.

    Attributes
    ----------
    delimiter : str or None
        One character or a word of ``DELIMITER_WORDS``.
    encoding : str or None
        Any Python codec name; detected as UTF-8 (BOM or not) or Latin-1 when None.
    header : {"auto", "yes", "no"}
    na_values : tuple of str or None
        Missing-value words (case-insensitive); None means ``DEFAULT_NA_VALUES``.
    """

    delimiter: str | None = None
    encoding: str | None = None
    header: str = "auto"
    na_values: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Preview:
    """What the import dialog shows: detected settings and the first rows as text."""

    source: str
    delimiter: str
    encoding: str
    has_header: bool
    columns: tuple[str, ...]
    rows: list
    kinds: dict
    na_values: tuple[str, ...]
    identifiers: dict = field(default_factory=dict)  # table.identifier_like of the rows read


def resolve_delimiter(delimiter: str | None) -> str | None:
    """One character from a word or character; DataError for anything else."""
    if delimiter is None or delimiter == "auto":
        return None
    if delimiter.lower() in DELIMITER_WORDS:
        return DELIMITER_WORDS[delimiter.lower()]
    if delimiter == "\\t":
        return "\t"
    if len(delimiter) != 1 or delimiter in "\"\r\n":
        raise DataError(f'delimiter "{delimiter}" must be one character or one of: '
                        f'{", ".join(DELIMITER_WORDS)}')
    return delimiter


def read_csv(path, options: CsvOptions = CsvOptions()) -> Table:
    """Read a whole CSV file.

    Parameters
    ----------
    path : str or os.PathLike
    options : CsvOptions

    Returns
    -------
    Table

    Raises
    ------
    DataError
        For every problem with the file, never anything else.
    """
    source = os.fspath(path)
    return _parse_guarded([_read_bytes(source)], source, options, path=source)


UNEXPECTED = (ValueError, TypeError, IndexError, KeyError, OverflowError, UnicodeError,
              csv.Error, pd.errors.ParserError)
"""Failures of the libraries underneath on inputs nobody foresaw; reported, never raised."""


def preview_csv(path, options: CsvOptions = CsvOptions(), n_rows: int = 20) -> Preview:
    """Detect the settings and read the first rows of a file (its first 256 KiB at most)."""
    source = os.fspath(path)
    raw = _preview_bytes(source)
    table = parse_bytes(raw, source, options)
    records = sniff.sample_records(sniff.sample_text(raw if table.encoding.startswith("utf-8")
                                                     else raw.decode(table.encoding).encode()),
                                   _pandas_separator(table.delimiter), limit=n_rows + 1)
    rows = records[1:] if table.has_header else records
    return Preview(source, table.delimiter, table.encoding, table.has_header, table.columns,
                   [list(row) for row in rows[:n_rows]],
                   {name: table.kind(name) for name in table.columns}, table.na_values,
                   identifier_like(table))


def _read_bytes(source: str, limit: int = -1) -> bytes:
    try:
        with open(source, "rb") as handle:
            return handle.read(limit)
    except FileNotFoundError:
        raise DataError("no such file", path=source) from None
    except IsADirectoryError:
        raise DataError("is a folder, not a CSV file", path=source) from None
    except PermissionError:
        raise DataError("permission denied: cannot read this file", path=source) from None
    except OSError as error:
        raise DataError(f"cannot read the file: {error.strerror or error}", path=source) from None


def _preview_bytes(source: str) -> bytes:
    """The whole records in the first PREVIEW_BYTES of the file, or in its first
    LONG_ROW_BYTES when the first data row does not fit; DataError when it does not fit either."""
    for size in (PREVIEW_BYTES, LONG_ROW_BYTES):
        raw = _read_bytes(source, limit=size + 1)
        head = _head(raw, size)
        if len(raw) <= size or head.count(b"\n") >= 2:
            return head
    raise DataError(f"the first data row is longer than {LONG_ROW_BYTES >> 20} MiB; bpgui reads "
                    f"fields of at most {MAX_FIELD_BYTES:,} bytes (128 KiB)", path=source)


def _head(raw: bytes, size: int = PREVIEW_BYTES) -> bytes:
    """The first whole records of ``raw`` when it was cut at ``size`` bytes."""
    if len(raw) <= size:
        return raw
    end = raw.rfind(b"\n", 0, size)
    while end > 0 and raw.count(b'"', 0, end) % 2:
        end = raw.rfind(b"\n", 0, end)
    return raw[:end + 1] if end > 0 else raw[:size]


def parse_bytes(raw: bytes, source: str, options: CsvOptions = CsvOptions()) -> Table:
    """Read CSV content already in memory (see :func:`read_csv`)."""
    return _parse_guarded([raw], source, options)


def _parse_guarded(buffer, source, options, path=None) -> Table:
    """:func:`_parse_bytes`, turning a library's surprise into a DataError."""
    try:
        return _parse_bytes(buffer, source, options, path)
    except DataError:
        raise
    except UNEXPECTED as error:
        raise DataError(f"cannot read the file as CSV (unexpected {type(error).__name__}: "
                        f"{error})", path=source) from error


def _parse_bytes(buffer: list, source: str, options: CsvOptions, path=None) -> Table:
    """Read the bytes in ``buffer`` (a one-item list, emptied so they can be freed early).

    When ``path`` is given and the file is UTF-8 as it stands, pandas reads the file itself
    and the bytes are let go once the layout is known: a 100 MB file is not held twice.
    """
    raw = buffer.pop()
    if options.header not in HEADER_CHOICES:
        raise DataError(f'header must be one of {", ".join(HEADER_CHOICES)}, not "{options.header}"',
                        path=source)
    na_values = tuple(DEFAULT_NA_VALUES if options.na_values is None else options.na_values)
    if not raw.strip():
        raise DataError("the file is empty", path=source)
    if options.encoding is None and sniff.looks_binary(raw):
        raise DataError("this is not a text (CSV) file: it holds binary data", path=source)
    encoding = options.encoding or sniff.detect_encoding(raw)
    text_bytes = _normalise_newlines(sniff.to_utf8(raw, encoding, source))
    can_reread = path is not None and text_bytes is raw
    del raw
    if not text_bytes.strip():
        raise DataError("the file is empty", path=source)
    sample = sniff.sample_text(text_bytes)
    delimiter = resolve_delimiter(options.delimiter)
    if delimiter is None:
        delimiter = sniff.detect_delimiter(sample)
    separator = _pandas_separator(delimiter)
    na_lower = frozenset(word.strip().lower() for word in na_values)
    first_records = sniff.sample_records(sample, separator)
    if not first_records:  # only white space that bytes.strip() does not know (say, U+00A0)
        raise DataError("the file is empty", path=source)
    if len(first_records[0]) > MAX_COLUMNS:  # before the header and layout scans, which cost per cell
        whole = len(first_records) > 1 or len(sample) == len(text_bytes)
        raise DataError(too_many_columns(len(first_records[0]), exact=whole), path=source, line=1)
    has_header = (options.header == "yes" if options.header != "auto"
                  else sniff.detect_header(first_records, na_lower))
    layout = _check_layout(text_bytes, separator, source, has_header)
    names = _column_names(first_records[0] if has_header else [], int(layout.n_fields[0]))
    if can_reread:
        del text_bytes, sample
        frame = _parse(path, source, separator, has_header, names, na_values, layout)
        lines = _row_lines(lambda: _read_bytes(path), separator, layout, has_header, len(frame))
    else:
        frame = _parse(io.BytesIO(text_bytes), source, separator, has_header, names, na_values,
                       layout)
        lines = _row_lines(lambda: text_bytes, separator, layout, has_header, len(frame))
    if len(frame) == 0:
        raise DataError("the file has a header but no data rows", path=source)
    data = _columns(frame, names, na_lower, delimiter != ",", lines, source)
    return Table(source=source, columns=tuple(names), data=data, lines=lines,
                 delimiter=delimiter, encoding=encoding, has_header=has_header,
                 na_values=na_values)


def _columns(frame, names, na_lower, decimal_comma, lines, source) -> dict:
    """Every column as float64 or object values, checked for infinite and huge numbers.

    The columns pandas already parsed as numbers are converted in one block and checked in
    one pass, and the columns holding text no number format reads in another
    (:func:`~bpgui.data.columns.text_columns`): one pandas Series per column made a file of
    16,384 columns take over 5 s. Errors still name the first bad column in file order.
    """
    numeric = [name for name, dtype in zip(names, frame.dtypes) if dtype.kind in "iuf"]
    block = frame[numeric].to_numpy(dtype=np.float64, na_value=np.nan).T.copy() if numeric else None
    if block is not None:
        with np.errstate(invalid="ignore"):
            suspicious = set(np.asarray(numeric)[(np.abs(block) > LARGEST_VALUE).any(axis=1)])
    position = {name: index for index, name in enumerate(numeric)}
    texts = text_columns(frame, [name for name in names if name not in position], na_lower)
    data = {}
    for name in names:
        if name in position:
            values = block[position[name]]
            if name in suspicious:
                check_finite(values, name, lines, source)
        elif name in texts:
            values = texts[name]
        else:
            values = to_column(frame[name], na_lower, decimal_comma=decimal_comma)
            if values.dtype.kind == "f":
                check_finite(values, name, lines, source)
        data[name] = values
    return data


def _pandas_separator(delimiter: str) -> str:
    return layout_scan.WHITESPACE_DELIMITER if delimiter == " " else delimiter


def _normalise_newlines(text_bytes: bytes) -> bytes:
    """Old Mac files end lines with a lone CR; make those newlines."""
    if b"\n" not in text_bytes and b"\r" in text_bytes:
        return text_bytes.replace(b"\r", b"\n")
    return text_bytes


def _check_layout(text_bytes, separator, source, has_header) -> layout_scan.Layout:
    """Records and field counts; DataError for a ragged row.

    The fast scan assumes every quote character opens or closes a quoted field; when that
    leaves a quote open or rows ragged, the ``csv`` module reads the file again to be sure.
    """
    layout = layout_scan.scan(text_bytes, separator, field_limit=MAX_FIELD_BYTES)
    _check_size(layout, source)
    expected = int(layout.n_fields[0]) if len(layout.lines) else 0
    ragged = np.flatnonzero(layout.n_fields != expected)
    suspicious = layout.open_quote_line is not None or len(ragged)
    if suspicious and separator != layout_scan.WHITESPACE_DELIMITER and b'"' in text_bytes:
        slow = layout_scan.scan_with_csv(text_bytes.decode("utf-8", errors="replace"), separator)
        layout = dataclasses.replace(slow, open_quote_line=layout.open_quote_line)
        _check_size(layout, source)
        expected = int(layout.n_fields[0]) if len(layout.lines) else 0
        ragged = np.flatnonzero(layout.n_fields != expected)
    if len(layout.lines) == 0:
        raise DataError("the file is empty", path=source)
    if len(ragged):
        row = int(ragged[0])
        first = "the header" if has_header else f"line {int(layout.lines[0])}"
        found = int(layout.n_fields[row])
        raise DataError(f"this row has {found} field{'s' * (found != 1)} but {first} has "
                        f"{expected}", path=source, line=int(layout.lines[row]))
    return layout


def _check_size(layout, source):
    """DataError for a field over MAX_FIELD_BYTES or a first record over MAX_COLUMNS fields."""
    if layout.long_field is not None:
        line, field, n_bytes = layout.long_field
        raise DataError(too_long_field(n_bytes, field), path=source, line=line)
    if len(layout.n_fields) and layout.n_fields[0] > MAX_COLUMNS:
        raise DataError(too_many_columns(int(layout.n_fields[0])), path=source, line=int(layout.lines[0]))


def _column_names(header: list[str], n_columns: int) -> list[str]:
    """Stripped header names (empty ones become column_i, repeats get _2, _3 …).

    Each name remembers the last number it was given, so a header of thousands of equal
    names is numbered in one pass (asking "is a_2 taken? a_3?" from 2 each time took
    minutes for 20,000 columns).
    """
    names, seen, last = [], set(), {}
    for index in range(n_columns):
        name = header[index].strip() if index < len(header) else ""
        name = name or f"column_{index + 1}"
        base, count = name, last.get(name, 1)
        while name in seen:
            count += 1
            name = f"{base}_{count}"
        last[base] = count
        seen.add(name)
        names.append(name)
    return names


def _parse(reader_input, source, separator, has_header, names, na_values, layout) -> pd.DataFrame:
    """pandas' C parser over the whole file (a path or a UTF-8 byte stream); errors → DataError.

    pandas turns ``true``/``FALSE``/``True`` cells into Python booleans, which would change
    the file's words (``true`` became the label ``True``) and merge their spellings: such
    columns are read a second time, as text.
    """
    def read(**choices):
        if hasattr(reader_input, "seek"):
            reader_input.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pd.read_csv(
                reader_input, sep=separator, engine="c", encoding="utf-8",
                header=None, skiprows=_header_rows(layout) if has_header else None, names=names,
                index_col=False,
                keep_default_na=False, na_values=case_variants(na_values),
                skip_blank_lines=True, skipinitialspace=True, quotechar='"', doublequote=True,
                on_bad_lines="error", **choices,
            )

    try:
        frame = read(dtype=None)
        booleans = boolean_columns(frame)
        if booleans:
            as_text = read(dtype=str, usecols=booleans)
            for name in booleans:
                frame[name] = as_text[name]
        return frame
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OverflowError) as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if "EOF inside string" in message:
            raise DataError("a quoted field starting on this line is never closed",
                            path=source, line=layout.open_quote_line) from None
        raise DataError(f"cannot read the file as CSV ({message})", path=source) from None


def _header_rows(layout) -> int:
    """Rows pandas skips to pass the header: the blank lines before it and the header itself.

    pandas is told there is no header (the names are ours, made unique by _column_names):
    de-duplicating the file's own header took it quadratic time, over 5 s for 16,000 cells
    naming three columns. A blank line counts as one row, a quoted header over several lines
    as one, so the header's first line number is the count.
    """
    return int(layout.lines[0])


def _row_lines(get_text_bytes, separator, layout, has_header, n_rows) -> np.ndarray:
    """Physical line of each data row; the ``csv`` module decides when the fast scan disagrees."""
    lines = layout.lines[1:] if has_header else layout.lines
    if len(lines) != n_rows:
        text = get_text_bytes().decode("utf-8", errors="replace")
        slow = layout_scan.scan_with_csv(text, separator)
        lines = slow.lines[1:] if has_header else slow.lines
    if len(lines) < n_rows:
        last = int(lines[-1]) if len(lines) else 1
        lines = np.concatenate((lines, np.arange(last + 1, last + 1 + n_rows - len(lines))))
    return np.ascontiguousarray(lines[:n_rows], dtype=np.int64)
