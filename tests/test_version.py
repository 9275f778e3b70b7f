"""The version is written once (pyproject.toml); everything that shows it agrees.

``bpgui --version``, ``bpgui.__version__``, the About box (tests/gui/test_help_menu.py), the
AppStream metainfo's newest release and the changelog's newest entry all read or repeat it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ElementTree
from importlib import metadata
from pathlib import Path

import bpgui
from bpgui import _metadata
from bpgui.cli import main

ROOT = Path(__file__).resolve().parents[1]
RELEASE_HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", re.MULTILINE)


def pyproject_version():
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


def changelog_releases():
    """``[(version, date), …]`` of CHANGELOG.md's release headings, newest first."""
    return RELEASE_HEADING.findall((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))


def metainfo_releases():
    root = ElementTree.parse(ROOT / "packaging" / "io.github.bpgui.metainfo.xml").getroot()
    return [(release.get("version"), release.get("date")) for release in root.findall("releases/release")]


def test_the_version_is_the_one_in_pyproject(capsys):
    version = pyproject_version()
    assert bpgui.__version__ == version
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"bpgui {version}"
    process = subprocess.run([sys.executable, "-m", "bpgui", "--version"], capture_output=True,
                             text=True, cwd=ROOT, timeout=60)
    assert process.returncode == 0 and process.stdout.strip() == f"bpgui {version}"


def test_changelog_and_metainfo_name_the_same_newest_release():
    changelog, metainfo = changelog_releases(), metainfo_releases()
    assert changelog and metainfo
    assert changelog[0] == metainfo[0]
    assert changelog[0][0] == pyproject_version()
    # every release both list, in the same order, newest first
    assert changelog == metainfo
    versions = [tuple(map(int, version.split("."))) for version, _ in changelog]
    assert versions == sorted(versions, reverse=True)


def test_changelog_follows_keep_a_changelog():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    assert "keepachangelog.com" in text and "semver.org" in text
    sections = re.findall(r"^### (\w+)$", text, re.MULTILINE)
    assert sections and set(sections) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def write_pyproject(folder, name="bpgui", version="9.8.7", extra=""):
    (folder / "pyproject.toml").write_text(f'[project]\nname = "{name}"\nversion = "{version}"\n'
                                           f'license = "MIT"\n{extra}')


def test_a_source_tree_reads_its_pyproject(tmp_path):
    write_pyproject(tmp_path, extra='[project.urls]\nDocumentation = "https://example.org/docs/"\n')
    assert _metadata.read_version(tmp_path) == "9.8.7"
    assert _metadata.licence(tmp_path) == "MIT"
    assert _metadata.project_urls(tmp_path) == {"Documentation": "https://example.org/docs/"}


def test_without_a_source_tree_the_installed_metadata_answers(tmp_path, monkeypatch):
    write_pyproject(tmp_path, name="another-project")  # not bpgui's: ignored
    assert _metadata.read_version(tmp_path) == metadata.version("bpgui")
    assert _metadata.read_version(tmp_path / "missing") == metadata.version("bpgui")

    def not_installed(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    monkeypatch.setattr(metadata, "metadata", not_installed)
    assert _metadata.read_version(tmp_path) == _metadata.UNKNOWN
    assert _metadata.project_urls(tmp_path) == {} and _metadata.licence(tmp_path) == ""
