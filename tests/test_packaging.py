"""The desktop entry and the AppStream metadata in packaging/ agree with the package.

Names and versions are written in several files (pyproject.toml, bpgui/__init__.py, the desktop
entry, the metainfo, the icon asset); these checks catch one of them drifting. The files are
also checked by the freedesktop validators by hand (packaging/README.md).
"""

from __future__ import annotations

import configparser
import tomllib
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import bpgui
from bpgui.gui import assets

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DESKTOP_FILE = PACKAGING / "bpgui.desktop"
METAINFO_FILE = PACKAGING / "io.github.bpgui.metainfo.xml"


def pyproject():
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)


def desktop_entry():
    """The ``[Desktop Entry]`` group as a dict (keys keep their case)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def metainfo():
    return ElementTree.parse(METAINFO_FILE).getroot()


def test_desktop_entry_runs_the_installed_script_with_a_file_argument():
    entry = desktop_entry()
    script = next(iter(pyproject()["project"]["scripts"]))
    assert entry["Type"] == "Application"
    assert entry["Exec"].split() == [script, "%f"]
    assert entry["TryExec"] == script
    assert entry["Terminal"] == "false"


def test_icon_name_is_the_shipped_asset():
    icon_name = Path(assets.APP_ICON).stem
    assert desktop_entry()["Icon"] == icon_name
    assert metainfo().findtext("icon[@type='stock']") == icon_name
    assert assets.asset_bytes(assets.APP_ICON).lstrip().startswith(b"<?xml")


def test_metainfo_launches_the_desktop_entry():
    root = metainfo()
    assert root.get("type") == "desktop-application"
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP_FILE.name
    assert METAINFO_FILE.name == f"{root.findtext('id')}.metainfo.xml"
    assert root.findtext("provides/binary") == next(iter(pyproject()["project"]["scripts"]))


def test_metainfo_newest_release_is_the_package_version():
    releases = metainfo().findall("releases/release")
    assert releases, "the metainfo lists no release"
    assert releases[0].get("version") == bpgui.__version__ == pyproject()["project"]["version"]


def test_metainfo_licence_is_the_project_licence():
    assert metainfo().findtext("project_license") == pyproject()["project"]["license"]
