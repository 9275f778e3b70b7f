"""What pyproject.toml says of bpgui: its version (written there only), licence and URLs.

A source checkout reads the pyproject.toml beside the package (an editable install's metadata
keeps the version it was installed with until it is reinstalled); an installed wheel or a
frozen bundle reads the installed distribution's metadata.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "bpgui"
UNKNOWN = "0+unknown"
SOURCE_ROOT = Path(__file__).resolve().parent.parent
"""The folder that holds the package: the repository in a source checkout."""


def source_project(root=None):
    """The ``[project]`` table of ``root/pyproject.toml`` (default :data:`SOURCE_ROOT`) when it
    describes bpgui, else None."""
    try:
        with open(Path(SOURCE_ROOT if root is None else root) / "pyproject.toml", "rb") as file:
            project = tomllib.load(file).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return project if project.get("name") == DISTRIBUTION else None


def read_version(root=None):
    """The version: the source checkout's pyproject.toml, else the installed metadata."""
    project = source_project(root)
    if project is not None and project.get("version"):
        return str(project["version"])
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return UNKNOWN


def licence(root=None):
    """The SPDX licence expression (``MIT``)."""
    project = source_project(root)
    if project is not None:
        return str(project.get("license", ""))
    try:
        info = metadata.metadata(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return ""
    return info.get("License-Expression") or info.get("License") or ""


def project_urls(root=None):
    """``[project.urls]`` as ``{label: url}`` (source checkout first, then the metadata)."""
    project = source_project(root)
    if project is not None:
        return dict(project.get("urls", {}))
    try:
        entries = metadata.metadata(DISTRIBUTION).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return {}
    return dict(entry.split(", ", 1) for entry in entries if ", " in entry)
