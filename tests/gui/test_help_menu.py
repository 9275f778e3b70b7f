"""Help › Tutorial opens the best copy of the tutorial there is; Help › About shows the version."""

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMessageBox

from bpgui import _metadata
from bpgui.gui import help_menu

VERSION = _metadata.read_version()


class FakeDesktop:
    """Stands in for QDesktopServices: records the URLs instead of starting a browser."""

    def __init__(self, works=True):
        self.opened = []
        self.works = works

    def openUrl(self, url):  # noqa: N802 (Qt's name)
        self.opened.append(url)
        return self.works


@pytest.fixture
def desktop(monkeypatch):
    fake = FakeDesktop()
    monkeypatch.setattr(help_menu, "QDesktopServices", fake)
    return fake


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    """A source checkout of bpgui in ``tmp_path`` (its pyproject.toml), with no docs yet."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "bpgui"\nversion = "0.2.0"\n'
                                             'license = "MIT"\n')
    monkeypatch.setattr(_metadata, "SOURCE_ROOT", tmp_path)
    return tmp_path


def touch(root, relative):
    path = Path(root) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# tutorial\n")
    return path


def help_actions(window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    return [a.objectName() for a in menu.actions() if not a.isSeparator()]


def test_the_help_menu_holds_the_tutorial_and_about(window):
    assert help_actions(window) == ["actionTutorial", "actionAbout"]
    assert window.findChild(QAction, "actionAbout").text() == "About bpgui"


def test_the_built_site_is_opened_before_the_markdown_source(window, desktop, checkout):
    source = touch(checkout, "docs/tutorial.md")
    site = touch(checkout, "site/tutorial.html")
    window.findChild(QAction, "actionTutorial").trigger()
    assert [url.toLocalFile() for url in desktop.opened] == [str(site)]
    site.unlink()
    window.findChild(QAction, "actionTutorial").trigger()
    assert desktop.opened[-1].toLocalFile() == str(source)
    assert window.help.message_box is None  # nothing to say


def test_without_docs_the_online_documentation_or_a_clear_message(window, desktop, checkout, monkeypatch):
    window.findChild(QAction, "actionTutorial").trigger()
    assert desktop.opened == []
    box = window.help.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "docs/tutorial.md" in box.text() and "packaging/dev.sh docs" in box.text()
    box.close()

    # an installed wheel: no pyproject.toml beside the package, the metadata names the docs
    monkeypatch.setattr(_metadata, "SOURCE_ROOT", checkout / "site-packages")
    monkeypatch.setattr(_metadata, "project_urls", lambda root=None: {"Documentation": "https://example.org/bpgui/"})
    window.findChild(QAction, "actionTutorial").trigger()
    assert [url.toString() for url in desktop.opened] == ["https://example.org/bpgui/tutorial.html"]


def test_a_desktop_that_cannot_open_it_names_the_file(window, monkeypatch, checkout):
    monkeypatch.setattr(help_menu, "QDesktopServices", FakeDesktop(works=False))
    source = touch(checkout, "docs/tutorial.md")
    window.findChild(QAction, "actionTutorial").trigger()
    assert str(source) in window.help.message_box.text()


def test_about_shows_version_licence_and_a_link_to_the_docs(window, checkout):
    touch(checkout, "site/index.html")
    window.findChild(QAction, "actionAbout").trigger()
    box = window.help.message_box
    assert box.objectName() == "aboutBox" and box.isVisible()
    assert f"bpgui {VERSION}" in box.text() and "Licence: MIT" in box.text()
    assert f'href="{(checkout / "site" / "index.html").as_uri()}"' in box.text()
    label = next(label for label in box.findChildren(QLabel) if "href" in label.text())
    assert label.openExternalLinks()
    box.close()


def test_about_in_this_checkout_reads_pyproject(window):
    window.findChild(QAction, "actionAbout").trigger()
    assert f"bpgui {VERSION}" in window.help.message_box.text()
    assert VERSION == _metadata.read_version() != _metadata.UNKNOWN


def test_the_built_page_is_where_mkdocs_writes_the_tutorial():
    config = (Path(__file__).resolve().parents[2] / "mkdocs.yml").read_text(encoding="utf-8")
    plain = re.search(r"^use_directory_urls:\s*false", config, re.M) is not None
    assert help_menu.TUTORIAL_PAGES[0] == ("site/tutorial.html" if plain else "site/tutorial/index.html")
