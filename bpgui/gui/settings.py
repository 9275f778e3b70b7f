"""What the window remembers between runs (QSettings): geometry, recent files, last settings."""

from __future__ import annotations

import json
import os

from PySide6.QtCore import QCoreApplication, QSettings

MAX_RECENT = 8
ORGANIZATION = "bpgui"
APPLICATION = "bpgui"
WINDOW_STATE_VERSION = 2  # bump when the docks change, so an old layout is not restored


def settings():
    """The application's ``QSettings``: the names ``run`` gives the application, else bpgui's."""
    app = QCoreApplication.instance()
    organization = (app.organizationName() if app else "") or ORGANIZATION
    application = (app.applicationName() if app else "") or APPLICATION
    return QSettings(organization, application)


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value]


def recent_files():
    """Recently opened CSV files that still exist, newest first."""
    return [path for path in _as_list(settings().value("recentFiles")) if os.path.exists(path)]


def add_recent_file(path):
    path = os.path.abspath(path)
    paths = [path] + [p for p in recent_files() if p != path]
    settings().setValue("recentFiles", paths[:MAX_RECENT])


def last_directory():
    return str(settings().value("lastDirectory", "") or "")


def remember_directory(path):
    settings().setValue("lastDirectory", os.path.dirname(os.path.abspath(path)))


def value(key, default=None, kind=None):
    """A remembered value; ``kind`` (bool, int, float) converts what QSettings gives back."""
    stored = settings().value(key, default)
    if stored is None or kind is None:
        return stored
    if kind is bool and isinstance(stored, str):
        return stored.lower() in ("true", "1", "yes")
    try:
        return kind(stored)
    except (TypeError, ValueError):
        return default


def remember(key, stored):
    settings().setValue(key, stored)


def remember_config(key, config):
    """Keep a ``TrainConfig`` as JSON text."""
    settings().setValue(key, json.dumps(config.to_dict()))


def remembered_config(key):
    """The ``TrainConfig`` kept under ``key``, or None (never kept, or unreadable)."""
    from bpgui.engine import TrainConfig

    text = settings().value(key)
    if not text:
        return None
    try:
        return TrainConfig.from_dict(json.loads(str(text))).validate()
    except (TypeError, ValueError):
        return None
