"""Atomic file writes: a file is either the old one or the complete new one, never half.

The new content goes to a temporary file in the destination's directory (so the final
``os.replace`` stays on one file system and is atomic), is flushed and ``fsync``-ed, and only
then replaces the destination. On any failure the temporary file is removed and an existing
destination is left untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile


@contextlib.contextmanager
def atomic_path(path, suffix=".tmp"):
    """A temporary file name beside ``path`` that replaces ``path`` when the block ends
    without error: for writers that need a name rather than an open file (an encoder in
    another process, say).

    Parameters
    ----------
    path : str or os.PathLike
        The destination.
    suffix : str
        The temporary name's ending (a writer that guesses the format from it).

    Yields
    ------
    str
        An empty file's path in the destination's folder; write the complete content there
        and close it before the block ends. It is flushed to disk, given the permissions a new
        file (or the old one) has, and renamed over ``path``; on any failure it is removed and
        ``path`` is left untouched.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, temp_path = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=suffix, dir=directory)
    except OSError as error:  # name the file the user asked for, not the temporary one
        raise OSError(error.errno, error.strerror, path) from None
    os.close(fd)
    try:
        yield temp_path
        _fsync_file(temp_path)
        _keep_mode(path, temp_path)
        os.replace(temp_path, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_path)
        raise
    _fsync_directory(directory)


@contextlib.contextmanager
def atomic_open(path, mode="wb", encoding=None, newline=None):
    """Open a temporary file that replaces ``path`` when the ``with`` block ends without error.

    Parameters
    ----------
    path : str or os.PathLike
        The destination.
    mode : {"wb", "w"}
        Binary or text.
    encoding, newline : str, optional
        As for :func:`open`, text mode only.

    Yields
    ------
    file object
        Write the complete content to it; nothing is visible at ``path`` until the block ends.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_open writes only ('wb' or 'w'), not {mode!r}")
    text = {"encoding": encoding or "utf-8", "newline": newline} if mode == "w" else {}
    with atomic_path(path) as temp_path, open(temp_path, mode, **text) as handle:
        yield handle


def atomic_write_bytes(path, data):
    """Write ``data`` (bytes) to ``path`` atomically."""
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def atomic_write_text(path, text, encoding="utf-8"):
    """Write ``text`` to ``path`` atomically (newlines written as given)."""
    with atomic_open(path, "w", encoding=encoding, newline="") as handle:
        handle.write(text)


def _keep_mode(path, temp_path):
    """Give the new file the old one's permissions, or the usual ones for a new file.

    ``mkstemp`` creates files readable by the owner only; a model or CSV written by the user
    should get the permissions their umask gives any other new file.
    """
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temp_path, mode)


def _fsync_file(path):
    """Flush a closed file's content to disk before it replaces another."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(directory):
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
