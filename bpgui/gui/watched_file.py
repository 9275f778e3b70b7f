"""A file the window shows, watched for changes on disk (the CSV an import dialog previews).

:func:`signature` tells one version of a file from another (inode, size, modification time):
a file replaced by another (a save through a temporary file) or rewritten in place has
another. :class:`WatchedFile` emits ``changed`` once the file's signature differs from the
one last :meth:`~WatchedFile.take`-n and the writes have settled, also after the file was
deleted, replaced or created again (Qt stops watching a path whose file went away, so the
folder is watched too).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

SETTLE_MS = 250  # a program writing the file sends many changes: react once they pause


def signature(path):
    """``(inode, size, modification time in ns)`` of ``path``, or None when it is not there."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_ino, status.st_size, status.st_mtime_ns


class WatchedFile(QObject):
    """Watches ``path`` and its folder; ``changed`` when it is not the version last taken."""

    changed = Signal()

    def __init__(self, path, parent=None, settle_ms=SETTLE_MS):
        super().__init__(parent)
        self.path = os.path.abspath(path)
        self.seen = None
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._poke)
        self._watcher.directoryChanged.connect(self._poke)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(settle_ms)
        self._settle.timeout.connect(self._check)
        folder = os.path.dirname(self.path)
        if os.path.isdir(folder):
            self._watcher.addPath(folder)
        self._watch_file()

    def take(self):
        """Remember the file as it is now (say, just before reading it); return its signature."""
        self.seen = signature(self.path)
        return self.seen

    @property
    def unchanged(self):
        """True when the file is still the version last taken."""
        return signature(self.path) == self.seen

    @property
    def exists(self):
        return signature(self.path) is not None

    def _watch_file(self):
        if os.path.exists(self.path) and self.path not in self._watcher.files():
            self._watcher.addPath(self.path)

    def _poke(self, *_):
        self._settle.start()

    def _check(self):
        self._watch_file()  # a file replaced or created again is watched afresh
        if not self.unchanged:
            self.changed.emit()
