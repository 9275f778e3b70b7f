"""Where each record of a CSV file starts and how many fields it has, from the raw bytes.

pandas parses the values; this module keeps the row → physical line map that error messages
need. The fast path is vectorised NumPy over the bytes: a newline ends a record unless an odd
number of quote characters precedes it (a quoted field spans lines), and a delimiter counts
only outside quotes. Files with odd quoting go through the ``csv`` module instead, and files
separated by runs of spaces or tabs through :func:`whitespace_records`, which reads their
quotes as pandas does.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import numpy as np

QUOTE = ord('"')
NEWLINE = ord("\n")
BLANK_BYTES = (ord(" "), ord("\t"), ord("\r"))
WHITESPACE_DELIMITER = r"\s+"
CHUNK_BYTES = 1 << 23


@dataclass(frozen=True)
class Layout:
    """Non-blank records of a file.

    Attributes
    ----------
    lines : ndarray of int64 of shape (n_records,)
        1-based physical line where each record starts.
    n_fields : ndarray of int64 of shape (n_records,)
        Number of fields of each record.
    open_quote_line : int or None
        Line of the last quote character when their number is odd: where a quoted field that
        is never closed starts, if that is what happened.
    """

    lines: np.ndarray
    n_fields: np.ndarray
    open_quote_line: int | None = None
    long_field: tuple | None = None
    """``(line, field, n_bytes)`` of the first field longer than the ``field_limit`` the scan
    was given (``field`` 1-based; ``field`` and ``n_bytes`` None where not known)."""


def scan(raw: bytes, delimiter: str, field_limit=None) -> Layout:
    """Layout of UTF-8 (or any ASCII-compatible) ``raw`` bytes split by ``delimiter``.

    Works through the bytes in chunks so the temporary arrays stay small next to the file.
    With ``field_limit`` (bytes), also finds the first field longer than that.
    """
    if delimiter == WHITESPACE_DELIMITER:
        return scan_whitespace(raw.decode("utf-8", errors="replace"), field_limit)
    buf = np.frombuffer(raw, dtype=np.uint8)
    newlines = positions_of(buf, NEWLINE)
    quotes = positions_of(buf, QUOTE)
    open_quote_line = None
    if len(quotes) % 2:
        open_quote_line = int(np.searchsorted(newlines, quotes[-1])) + 1
    ends = _outside_quotes(newlines, quotes)
    if len(buf) and buf[-1] != NEWLINE:
        ends = np.append(ends, len(buf))
    starts = np.concatenate(([0], ends[:-1] + 1)) if len(ends) else ends
    n_fields = _delimiters_per_record(buf, ord(delimiter), ends, quotes) + 1
    keep = ~_blank(raw, buf, starts, ends, n_fields, delimiter)
    lines = np.searchsorted(newlines, starts[keep]) + 1
    long_field = None
    if field_limit is not None:
        long_field = _long_field(buf, ord(delimiter), starts, ends, quotes, newlines, field_limit)
    return Layout(lines.astype(np.int64), n_fields[keep].astype(np.int64), open_quote_line, long_field)


def _long_field(buf, byte, starts, ends, quotes, newlines, limit):
    """``(line, field, n_bytes)`` of the first field over ``limit`` bytes, or None.

    Only records longer than the limit can hold one, so only those are split (a legitimate
    file has none or, when very wide, a few hundred; each is one NumPy pass over its bytes).
    """
    for record in np.flatnonzero(ends - starts > limit):
        start, end = int(starts[record]), int(ends[record])
        delimiters = _outside_quotes(np.flatnonzero(buf[start:end] == byte) + start, quotes)
        lengths = np.diff(np.concatenate(([start - 1], delimiters, [end]))) - 1
        too_long = np.flatnonzero(lengths > limit)
        if len(too_long):
            field = int(too_long[0])
            return int(np.searchsorted(newlines, start)) + 1, field + 1, int(lengths[field])
    return None


def positions_of(buf, byte) -> np.ndarray:
    """Sorted int64 positions of ``byte`` in ``buf``, found chunk by chunk."""
    chunk = CHUNK_BYTES
    found = [np.flatnonzero(buf[start:start + chunk] == byte) + start
             for start in range(0, len(buf), chunk)]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _delimiters_per_record(buf, byte, ends, quotes) -> np.ndarray:
    """Delimiters outside quotes in each record (records end at ``ends``)."""
    chunk = CHUNK_BYTES
    counts = np.zeros(len(ends), dtype=np.int64)
    for start in range(0, len(buf), chunk):
        found = np.flatnonzero(buf[start:start + chunk] == byte) + start
        found = _outside_quotes(found, quotes)
        counts += np.bincount(np.searchsorted(ends, found), minlength=len(ends))[:len(ends)]
    return counts


def _outside_quotes(positions, quotes):
    """Keep the positions preceded by an even number of quote characters."""
    if len(quotes) == 0:
        return positions
    return positions[np.searchsorted(quotes, positions) % 2 == 0]


def _blank(raw, buf, starts, ends, n_fields, delimiter):
    """Mask of records made only of spaces, tabs and carriage returns (pandas skips them).

    A record with a delimiter is never blank, nor one whose first byte is content, so only the
    rare rest is looked at one by one.
    """
    blank_bytes = b"".join(bytes([b]) for b in BLANK_BYTES if b != ord(delimiter))
    blank = ends == starts
    maybe = np.flatnonzero((n_fields == 1) & ~blank)
    first = buf[starts[maybe]]
    starts_blank = np.isin(first, np.frombuffer(blank_bytes, dtype=np.uint8))
    for record in maybe[starts_blank]:
        blank[record] = not raw[starts[record]:ends[record]].strip(blank_bytes)
    return blank


def scan_with_csv(text: str, delimiter: str) -> Layout:
    """The same Layout through the ``csv`` module: slower, but exact for any quoting.

    Used only when the fast scan and pandas disagree on the number of rows, and to point at
    the line of a parse error.
    """
    if delimiter == WHITESPACE_DELIMITER:
        return scan_whitespace(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        skipinitialspace=True, strict=False)
    lines, n_fields = [], []
    previous_end, long_field = 0, None
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not record or (len(record) == 1 and not record[0].strip(" \t\r")):
                continue
            lines.append(start)
            n_fields.append(len(record))
    except csv.Error:  # a field beyond csv.field_size_limit() (128 KiB): the records so far
        long_field = (previous_end + 1, None, None)
    return Layout(np.asarray(lines, np.int64), np.asarray(n_fields, np.int64), long_field=long_field)


def scan_whitespace(text: str, field_limit=None) -> Layout:
    """Layout of a file whose fields are separated by runs of spaces or tabs (quotes honoured);
    with ``field_limit``, also the first field longer than that many UTF-8 bytes."""
    records, open_quote_line = whitespace_records(text)
    lines = [line for line, _ in records]
    n_fields = [len(fields) for _, fields in records]
    long_field = None
    if field_limit is not None:
        long_field = next(((line, index + 1, len(field.encode()))
                           for line, fields in records if max(map(len, fields)) * 4 > field_limit
                           for index, field in enumerate(fields) if len(field.encode()) > field_limit),
                          None)
    return Layout(np.asarray(lines, np.int64), np.asarray(n_fields, np.int64), open_quote_line, long_field)


def whitespace_records(text: str, limit=None):
    """The non-blank records of whitespace-separated ``text`` as pandas' C parser reads them.

    Fields are separated by runs of spaces and tabs (only those: a form feed is content);
    a record ends at a newline outside quotes; a field starting with a double quote runs to
    the closing one (``""`` inside is one quote, newlines may be inside) and whatever follows
    it up to the next space is part of it.

    Parameters
    ----------
    text : str
    limit : int, optional
        Stop after this many records.

    Returns
    -------
    records : list of (int, list of str)
        1-based physical line where each record starts, and its fields.
    open_quote_line : int or None
        Line of a quoted field that is never closed.
    """
    if '"' not in text:
        return _plain_whitespace_records(text, limit), None
    records, fields, line, start = [], [], 1, 1
    for match in WHITESPACE_TOKEN.finditer(text):
        token = match.group(0)
        if token in ("\n", "\r\n", "\r"):
            if fields:
                records.append((start, fields))
                if limit is not None and len(records) >= limit:
                    return records, None
                fields = []
            line += 1  # a lone carriage return ends a line too, as it ends pandas' record
            continue
        if not fields:
            start = line
        quoted, closing, rest = match.group(1), match.group(2), match.group(3)
        if quoted is None:
            fields.append(token)
            continue
        if not closing:  # the quote runs to the end of the text
            records.append((start, fields + [quoted.replace('""', '"')]))
            return records, line
        fields.append(quoted.replace('""', '"') + rest)
        line += token.count("\n")
    if fields:
        records.append((start, fields))
    return records, None


WHITESPACE_TOKEN = re.compile(r'"((?:[^"]+|"")*)("?)([^ \t\r\n]*)|[^ \t\r\n]+|\r\n|\n|\r')
"""One field (quoted: group 1 the inside, group 2 the closing quote or "" at the end of the
text, group 3 what follows it) or one line end; runs of spaces and tabs between them."""


def _plain_whitespace_records(text, limit):
    """:func:`whitespace_records` for text without quotes: split line by line."""
    records = []
    lines = LINE_END.split(text) if "\r" in text else text.split("\n")
    for number, line in enumerate(lines, start=1):
        fields = [field for field in line.replace("\t", " ").split(" ") if field]
        if fields:
            records.append((number, fields))
            if limit is not None and len(records) >= limit:
                break
    return records


LINE_END = re.compile(r"\r\n|\n|\r")
"""A line ends as pandas ends a record: CRLF, LF, or a lone CR."""
