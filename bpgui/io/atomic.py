"""Every file bpgui writes goes through here: whole or not at all, and never over a device.

What happens depends on what the path names (:func:`resolve_target`):

- a regular file, or nothing yet: the new content goes to a temporary file in the same folder
  (so the final ``os.replace`` stays on one file system and is atomic), is flushed and
  ``fsync``-ed, takes the old file's permissions, and only then replaces the file; the folder
  is ``fsync``-ed so the rename survives a power cut. On any failure the temporary file is
  removed and an existing file is left untouched;
- a symbolic link: the file it points to is replaced that way and the link stays a link (as
  editors and ``cp`` do); a dangling link creates its target when the target's folder exists;
- a device, a FIFO or any other file that is not regular: opened and written in place, never
  renamed over (``/dev/full`` stays a device and its ``ENOSPC`` is reported);
- a folder, a missing folder, a read-only file: refused before anything is written.

Every failure is an :class:`OSError` whose ``filename`` is the path as the caller gave it and
whose ``strerror`` says what went wrong in words, ready for ``error: PATH: reason``.
A process killed outright (``kill -9``) in the middle of a save leaves the old file whole and,
at worst, a hidden ``.NAME.*.tmp`` beside it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass

UNSYNCABLE = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EROFS})
"""``fsync`` errors that mean "this kind of file has nothing to sync" (pipes, most devices)."""


@dataclass(frozen=True)
class Target:
    """Where a write to ``path`` really goes.

    Attributes
    ----------
    path : str
        The path as given, named in every error.
    real : str
        The file that gets the content (``path`` with its symbolic links resolved).
    in_place : bool
        True for a device, FIFO or socket: opened and written directly, never replaced.
    """

    path: str
    real: str
    in_place: bool


def resolve_target(path):
    """Decide how a write to ``path`` happens, refusing what cannot work before writing.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    Target

    Raises
    ------
    OSError
        ``IsADirectoryError`` for a folder, ``FileNotFoundError`` when the folder (or the
        folder a dangling link points into) does not exist, ``PermissionError`` for an
        existing file that may not be written; ``filename`` is ``path``.
    """
    path = os.fspath(path)
    try:
        status = os.stat(path)  # follows symbolic links
    except FileNotFoundError:
        return _new_file(path)
    except OSError as error:  # a loop of links, a file used as a folder, …
        raise _named(error, path) from None
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", path)
    if not stat.S_ISREG(status.st_mode):
        return Target(path, path, in_place=True)
    real = os.path.realpath(path)
    if not os.access(real, os.W_OK):  # a file made read-only is kept, as `cp` would
        raise PermissionError(errno.EACCES, "permission denied (the file is read-only)", path)
    return Target(path, real, in_place=False)


def _new_file(path):
    """The Target of a path naming nothing yet, or a dangling symbolic link."""
    real = os.path.realpath(path) if os.path.islink(path) else path
    folder = os.path.dirname(os.path.abspath(real))
    if not os.path.isdir(folder):
        if real != path:
            raise FileNotFoundError(errno.ENOENT, f"the symbolic link points to {real}, "
                                                  f"whose folder {folder} does not exist", path)
        raise FileNotFoundError(errno.ENOENT, f"the folder {folder} does not exist", path)
    return Target(path, real, in_place=False)


def check_writable(path):
    """Refuse early (before a long computation) what :func:`atomic_open` would refuse later.

    Also refuses a folder in which new files may not be created. Returns the :class:`Target`.
    """
    target = resolve_target(path)
    folder = os.path.dirname(os.path.abspath(target.real))
    if not target.in_place and not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, f"permission denied (cannot create files in {folder})",
                              target.path)
    return target


@contextlib.contextmanager
def atomic_open(path, mode="wb", encoding=None, newline=None):
    """Open ``path`` for writing so that it ends up whole or untouched (see the module).

    Parameters
    ----------
    path : str or os.PathLike
        The destination.
    mode : {"wb", "w"}
        Binary or text.
    encoding, newline : str, optional
        As for :func:`open`, text mode only (``encoding`` defaults to UTF-8).

    Yields
    ------
    file object
        Write the complete content to it; a regular file changes only when the block ends
        without error.

    Raises
    ------
    OSError
        Naming ``path``; no temporary file is left behind.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_open writes only ('wb' or 'w'), not {mode!r}")
    target = resolve_target(path)
    opener = _write_in_place if target.in_place else _replace
    with opener(target, mode, encoding, newline) as handle:
        yield handle


@contextlib.contextmanager
def atomic_path(path, suffix=".tmp"):
    """A temporary file's name for writers that need a name rather than an open file (an
    encoder in another process, say); what is written there reaches ``path`` as
    :func:`atomic_open` would write it.

    Parameters
    ----------
    path : str or os.PathLike
        The destination.
    suffix : str
        The temporary name's ending (for a writer that guesses the format from it).

    Yields
    ------
    str
        An empty file's path; write the complete content there and close it before the block
        ends. A regular file (or a link's target) is then replaced by it; a device or FIFO
        receives a copy of it. On any failure it is removed and ``path`` is left untouched.
    """
    target = resolve_target(path)
    stage = _staged_for_device if target.in_place else _temporary_beside
    with stage(target, suffix) as temp_path:
        yield temp_path


def atomic_write_bytes(path, data):
    """Write ``data`` (bytes) to ``path`` (see :func:`atomic_open`)."""
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def atomic_write_text(path, text, encoding="utf-8"):
    """Write ``text`` to ``path`` (see :func:`atomic_open`), newlines written as given."""
    with atomic_open(path, "w", encoding=encoding, newline="") as handle:
        handle.write(text)


def describe_os_error(error, path=None):
    """``PATH: reason`` for an OSError, the reason in words as the system says them but
    starting in lower case (``/dev/full: no space left on device``); ``path`` when the error
    names no file."""
    reason = error.strerror or str(error) or type(error).__name__
    reason = reason[:1].lower() + reason[1:]  # a path inside the reason keeps its case
    name = error.filename if error.filename is not None else path
    return f"{os.fspath(name)}: {reason}" if name is not None else reason


def _text(mode, encoding, newline):
    """The keyword arguments of :func:`open` for ``mode``: text gets an encoding (UTF-8 unless
    told) and a newline rule, bytes nothing."""
    return {"encoding": encoding or "utf-8", "newline": newline} if mode == "w" else {}


@contextlib.contextmanager
def _replace(target, mode, encoding, newline):
    """A temporary file beside ``target.real``, open, that replaces it when the block succeeds."""
    with _temporary_beside(target, ".tmp") as temp_path, open(temp_path, mode, **_text(mode, encoding, newline)) as handle:
        yield handle


@contextlib.contextmanager
def _temporary_beside(target, suffix):
    """The name of an empty temporary file beside ``target.real``; once the block ends without
    error and the file is closed, it is flushed to disk, takes the old file's permissions and
    replaces ``target.real``. On any failure it is removed and the old file left as it was."""
    directory = os.path.dirname(os.path.abspath(target.real))
    try:
        fd, temp_path = tempfile.mkstemp(prefix=_temp_prefix(target.real), suffix=suffix, dir=directory)
    except OSError as error:  # name the file the user asked for, not the temporary one
        raise _named(error, target.path, always=True) from None
    os.close(fd)
    try:
        yield temp_path
        _fsync_file(temp_path)
        _keep_owner_and_mode(target.real, temp_path)
        os.replace(temp_path, target.real)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_path)
        if isinstance(error, OSError):
            raise _named(error, target.path, also=(temp_path, target.real)) from None
        raise
    _fsync_directory(directory)


@contextlib.contextmanager
def _staged_for_device(target, suffix):
    """A temporary file's name (in the system's temporary folder: a device's folder takes no
    new files) whose content is copied into the device or FIFO once the block succeeds."""
    with tempfile.TemporaryDirectory(prefix="bpgui-") as folder:
        temp_path = os.path.join(folder, "staged" + suffix)
        with open(temp_path, "wb"):
            pass
        yield temp_path
        with open(temp_path, "rb") as staged, _write_in_place(target, "wb", None, None) as handle:
            shutil.copyfileobj(staged, handle)


@contextlib.contextmanager
def _write_in_place(target, mode, encoding, newline):
    """The device or FIFO itself, opened without creating or truncating anything."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target.real, flags)
    except OSError as error:
        raise _named(error, target.path, also=(target.real,)) from None
    try:
        with os.fdopen(fd, mode, **_text(mode, encoding, newline)) as handle:
            yield handle
            handle.flush()
            _fsync_if_possible(handle.fileno())
    except OSError as error:
        raise _named(error, target.path, also=(target.real,)) from None


def _named(error, path, always=False, also=()):
    """``error`` with ``filename`` set to ``path`` and a reason in words.

    An error already naming another file (not one of ``also``) is kept unless ``always``.
    """
    if not always and error.filename not in (None, path, *also):
        return error
    if error.filename == path and error.strerror:
        return error
    reason = error.strerror or str(error) or type(error).__name__
    named = OSError(error.errno, reason, path)  # the errno picks the subclass (BrokenPipeError, …)
    named.__traceback__ = error.__traceback__
    return named


def _temp_prefix(real):
    """A hidden name beside the file, short enough for any file system's name limit."""
    return f".{os.path.basename(real)[:64]}."


def _keep_owner_and_mode(path, temp_path):
    """Give the new file the old one's permissions (and owner, where allowed), or the usual
    ones for a new file.

    ``mkstemp`` creates files readable by the owner only; a model or CSV written by the user
    should get the permissions their umask gives any other new file.
    """
    try:
        status = os.stat(path)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp_path, 0o666 & ~umask)
        return
    if hasattr(os, "chown") and (status.st_uid, status.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):  # only root may give a file away
            os.chown(temp_path, status.st_uid, status.st_gid)
    os.chmod(temp_path, stat.S_IMODE(status.st_mode))


def _fsync_if_possible(fd):
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in UNSYNCABLE:
            raise


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
