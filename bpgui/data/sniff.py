"""Guess how a CSV file is written: its encoding, its delimiter and whether it has a header."""

from __future__ import annotations

import codecs
import csv
import io
import re

from bpgui.data.errors import DataError
from bpgui.data.layout import WHITESPACE_DELIMITER, whitespace_records

DELIMITER_CANDIDATES = (",", ";", "\t", "|")
SAMPLE_BYTES = 64 * 1024
SAMPLE_RECORDS = 50
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v") + b"\x7f"
NUMBER = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$|^\s*[-+]?(inf|infinity)\s*$",
                    re.IGNORECASE)
"""A number as text. Each digit can belong to one part only: ``\\d+\\.?\\d*`` let a run of
digits split between two parts in every way, and a cell of 4,000 digits took 5 s to refuse."""


def looks_binary(raw: bytes) -> bool:
    """True for data that is not text: NUL bytes, or many control characters, near the start."""
    head = raw[:SAMPLE_BYTES]
    if head.startswith(UTF16_BOMS):
        return False
    if b"\0" in head:
        return True
    controls = sum(head.count(bytes([b])) for b in CONTROL_BYTES)
    return controls > max(2, len(head) // 100)


def detect_encoding(raw: bytes) -> str:
    """``utf-8-sig`` (BOM), ``utf-16`` (BOM), ``utf-8`` when it decodes, else ``latin-1``."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith(UTF16_BOMS):
        return "utf-16"
    if raw.isascii() or is_utf8(raw):
        return "utf-8"
    return "latin-1"


def is_utf8(raw: bytes, chunk=1 << 22) -> bool:
    """Whether ``raw`` decodes as UTF-8, checked chunk by chunk to keep memory flat."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(raw), chunk):
            decoder.decode(raw[start:start + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def to_utf8(raw: bytes, encoding: str, path) -> bytes:
    """Re-encode ``raw`` as UTF-8 without BOM; DataError naming the line of undecodable bytes."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise DataError(f'unknown encoding "{encoding}"', path=path) from None
    try:
        b"\0\0\0\0".decode(codec)  # not b"": Python decodes nothing without asking the codec
    except LookupError:  # hex, base64, rot13, zlib …: codecs, but not of text
        raise DataError(f'"{encoding}" is not a text encoding; try utf-8 or latin-1', path=path) from None
    except (UnicodeError, ValueError):
        pass
    if codec == "utf-8":
        if raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if raw.isascii() or is_utf8(raw):
            return raw
        codec = "utf-8"
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise DataError(f"cannot decode the text as {encoding} (byte 0x{raw[error.start]:02x}); "
                        "choose another encoding, e.g. latin-1", path=path, line=line) from None
    return text.lstrip("\ufeff").encode("utf-8")


def sample_text(raw: bytes) -> str:
    """The first complete lines of UTF-8 ``raw`` (at most about 64 KiB) as text."""
    head = raw[:SAMPLE_BYTES]
    if len(raw) > SAMPLE_BYTES and b"\n" in head:
        head = head[:head.rindex(b"\n") + 1]
    return head.decode("utf-8", errors="replace")


def sample_records(text: str, delimiter: str, limit=SAMPLE_RECORDS) -> list[list[str]]:
    """The first non-blank records of ``text`` split by ``delimiter`` (``csv`` quoting rules)."""
    if delimiter == WHITESPACE_DELIMITER:
        return [fields for _, fields in whitespace_records(text, limit)[0]]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        skipinitialspace=True, strict=False)
    records = []
    try:
        for record in reader:
            if record and any(field.strip() for field in record) or len(record) > 1:
                records.append(record)
            if len(records) >= limit:
                break
    except csv.Error:
        pass
    return records


def detect_delimiter(text: str) -> str:
    """The candidate that splits the sample into the most consistent number (> 1) of fields.

    Ties go to the first of comma, semicolon, tab, pipe. A file none of them splits but runs
    of spaces split into the same number (> 1) of fields on every line is space-delimited
    (``" "``, read as runs of white space); any other file is read as one column (comma).
    """
    best, best_score = ",", (0.0, 0)
    for candidate in DELIMITER_CANDIDATES:
        records = sample_records(text, candidate)
        if len(records) > 1:
            records = records[:-1] if len(records) == SAMPLE_RECORDS else records
        counts = [len(r) for r in records]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = (counts.count(mode) / len(counts), mode)
        if score > best_score:
            best, best_score = candidate, score
    if best_score == (0.0, 0) and _splits_on_spaces(text):
        return " "
    return best


def _splits_on_spaces(text: str) -> bool:
    """Whether every sampled line splits on white space into the same number (> 1) of fields."""
    counts = {len(record) for record in sample_records(text, WHITESPACE_DELIMITER)}
    return len(counts) == 1 and counts.pop() > 1


def is_number(text: str) -> bool:
    return bool(NUMBER.match(text))


def detect_header(records: list[list[str]], na_words: set[str]) -> bool:
    """Whether the first record names the columns.

    Yes when one of its cells is text above a column of numbers. Yes as well when its numbers
    count the columns 0, 1, 2, … or 1, 2, 3, … (the names a data frame without column names
    is written with), its text never repeats in its own column below it, and it has text or,
    all numbers (at least three), the rows below hold a fraction. Otherwise no when any of its
    cells is a number; else yes when none of its cells repeats in its own column below it
    (column names are unique to the header), or when it is the only record.
    """
    if not records:
        return False
    first, rest = records[0], records[1:]
    if not rest:
        return not any(is_number(cell) for cell in first)
    if any(_is_name(cell, na_words) and _numbers_below(rest, index, na_words)
           for index, cell in enumerate(first)):
        return True
    texts_unique = not any(cell.strip() and cell.strip() in {row[i].strip() for row in rest if i < len(row)}
                           for i, cell in enumerate(first) if not is_number(cell))
    if any(is_number(cell) for cell in first):
        if not (texts_unique and _counts_columns(first)):
            return False
        if any(_is_name(c, na_words) for c in first):
            return True
        # only numbers, counting the columns (a data frame written without names, say
        # pandas.DataFrame(X).to_csv(index=False)): a header over rows holding fractions
        return len(first) >= 3 and all(is_number(c) for c in first) and _holds_fractions(rest)
    return texts_unique


def _is_name(cell: str, na_words: set[str]) -> bool:
    text = cell.strip()
    return bool(text) and text.lower() not in na_words and not is_number(text)


def _numbers_below(rest: list[list[str]], index: int, na_words: set[str]) -> bool:
    below = [row[index].strip() for row in rest if index < len(row)]
    observed = [v for v in below if v and v.lower() not in na_words]
    return bool(observed) and all(is_number(v) for v in observed)


def _holds_fractions(rows: list[list[str]]) -> bool:
    """Whether a cell of ``rows`` is a number that is not whole (a data row, not a count)."""
    for row in rows:
        for cell in row:
            if is_number(cell) and not float(cell).is_integer():
                return True
    return False


def _counts_columns(first: list[str]) -> bool:
    """Whether the numeric cells are 0, 1, 2, … or 1, 2, 3, … in column order (at least two)."""
    numbers = [cell.strip() for cell in first if is_number(cell)]
    return len(numbers) >= 2 and any(numbers == [str(start + i) for i in range(len(numbers))]
                                     for start in (0, 1))
