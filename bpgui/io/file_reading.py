"""Reading model and session files without trusting them.

A file is read only when it is no larger than :data:`~bpgui.io.limits.MAX_FILE_BYTES`; JSON
that Python's parser cannot take (nested 100,000 deep, an integer of 5,000 digits) is a clean
error; an NPZ archive is opened with ``zipfile`` and every ``.npy`` member's header is read and
checked (dtype, shape, size against the limits) before a byte of its data is unpacked, so an
archive claiming a billion weights is refused without allocating them. Every problem is a
:class:`~bpgui.io.errors.ModelFileError` naming the file.
"""

from __future__ import annotations

import io
import json
import lzma
import math
import os
import struct
import tokenize
import zipfile
import zlib

import numpy as np

from bpgui.io.errors import ModelFileError
from bpgui.io.limits import MAX_FILE_BYTES, MAX_META_CHARS, MAX_NPZ_MEMBERS, MAX_PARAMETERS, describe

NUMBER_KINDS = "fiu"
"""dtype kinds a weight array may have (float, signed and unsigned integer)."""

ARCHIVE_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, zlib.error,
                  lzma.LZMAError, EOFError, OSError, ValueError, KeyError, TypeError,
                  RuntimeError, OverflowError, struct.error, SyntaxError, tokenize.TokenError,
                  MemoryError)
"""What zipfile, zlib and numpy's .npy header parser raise on archives nobody foresaw (an
encrypted member is a RuntimeError, an unknown compression method a NotImplementedError, a
broken deflate stream a zlib.error, a malformed extra field a struct.error, a header that is
no Python literal a tokenize.TokenError or SyntaxError, one nested too deeply a MemoryError
or RecursionError …)."""


def read_bytes(path, limit=MAX_FILE_BYTES):
    """The whole file, refused unread when it is larger than ``limit`` bytes."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise _too_large(path, size, limit)
            data = _read_at_most(handle, limit, size)
    except OSError as error:
        raise ModelFileError(path, _os_problem(error)) from None
    if len(data) > limit:
        raise _too_large(path, len(data), limit)
    return data


def _read_at_most(handle, limit, size):
    """Up to ``limit + 1`` bytes, asking for what the file says it holds (``read(limit)``
    would reserve the whole limit first), then in 1 MiB pieces for a file that grew or a pipe
    that does not tell its size."""
    chunks = [handle.read(size + 1)] if size else []
    total = len(chunks[0]) if chunks else 0
    while total <= limit and (not chunks or chunks[-1]):
        chunks.append(handle.read(min(1 << 20, limit + 1 - total)))
        total += len(chunks[-1])
    return b"".join(chunks)


def _too_large(path, size, limit):
    return ModelFileError(path, f"the file holds {describe(size)} bytes or more; bpgui reads model "
                                f"and session files of at most {describe(limit)} bytes (1 GiB)")


def parse_json(raw, path, what="JSON model file"):
    """``raw`` (UTF-8, BOM or not) parsed as JSON; ModelFileError when it cannot be."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ModelFileError(path, f"not a {what} (not UTF-8 text)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        problem = "the file is empty" if not raw.strip() else (
            f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}); "
            "the file may be truncated")
        raise ModelFileError(path, problem) from None
    except RecursionError:
        raise ModelFileError(path, "the JSON is nested too deeply to be a bpgui file") from None
    except ValueError as error:  # Python refuses to read integers of more than 4,300 digits
        raise ModelFileError(path, f"the JSON holds a number with too many digits "
                                   f"({short_message(error)})") from None


def read_npz(raw, path):
    """Every ``.npy`` member of an NPZ archive, by name without ``.npy``.

    Weight arrays must hold numbers (``f``, ``i`` or ``u`` dtypes) and all of them together
    at most MAX_PARAMETERS; ``meta`` must be a 0-d unicode array of at most MAX_META_CHARS.

    Returns
    -------
    dict of str to ndarray
    """
    if raw.count(b"PK\x01\x02") > MAX_NPZ_MEMBERS:  # zipfile would build an object per entry
        raise ModelFileError(path, f"not a bpgui NPZ model: it holds more than "
                                   f"{describe(MAX_NPZ_MEMBERS)} entries")
    arrays, budget = {}, [MAX_PARAMETERS]
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            for info in archive.infolist():
                if info.filename.endswith(".npy"):
                    name = info.filename[:-len(".npy")]
                    arrays[name] = _member(archive, info, name, budget, path)
    except ModelFileError:
        raise
    except ARCHIVE_ERRORS as error:
        raise ModelFileError(path, f"not a readable NPZ model file ({short_message(error)}); "
                                   "the file may be truncated") from None
    return arrays


def _member(archive, info, name, budget, path):
    """One member, its header checked before its data is read."""
    with archive.open(info) as handle:
        version = np.lib.format.read_magic(handle)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(handle)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(handle)
        else:
            raise ModelFileError(path, f"the array {name} has .npy format version {version}, "
                                       "which bpgui does not read")
        if any(n < 0 for n in shape):
            raise ModelFileError(path, f"the array {name} claims the shape {shape}")
        count = math.prod(shape)
        _check_claim(name, shape, dtype, count, budget, path)
        size = count * dtype.itemsize
        data = handle.read(size + 1)
    if len(data) != size:
        raise ModelFileError(path, f"the array {name} holds {describe(len(data))} bytes or more "
                                   f"where its header says {describe(size)}; the file may be truncated")
    return np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")


def _check_claim(name, shape, dtype, count, budget, path):
    if name == "meta":
        chars = dtype.itemsize // 4 if dtype.kind == "U" else 0
        if dtype.kind != "U" or shape != ():
            raise ModelFileError(path, "not a bpgui NPZ model: 'meta' is not one text")
        if chars > MAX_META_CHARS:
            raise ModelFileError(path, f"'meta' claims {describe(chars)} characters; a model's "
                                       f"description has at most {describe(MAX_META_CHARS)}")
        return
    if dtype.kind not in NUMBER_KINDS or dtype.hasobject:
        raise ModelFileError(path, f"the array {name} holds {dtype} values, not numbers")
    budget[0] -= count
    if budget[0] < 0:
        raise ModelFileError(path, f"the array {name} claims {describe(count)} numbers of shape "
                                   f"{shape}; a bpgui model has at most {describe(MAX_PARAMETERS)} "
                                   "weights and biases")


def short_message(error):
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _os_problem(error):
    return error.strerror.lower() if error.strerror else short_message(error)
