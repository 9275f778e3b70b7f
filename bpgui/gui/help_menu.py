"""The Help menu: the tutorial (``actionTutorial``) and the About box (``actionAbout``).

The tutorial is the built documentation site's page ``site/tutorial.html`` when a source
checkout has built it (``bash packaging/dev.sh docs``), else its Markdown source
``docs/tutorial.md``, else the online documentation named by ``[project.urls] Documentation``
in pyproject.toml (an installed wheel has no ``docs/``); with none of them a message says so.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMessageBox

from bpgui import _metadata

TUTORIAL_PAGES = ("site/tutorial.html", "docs/tutorial.md")
"""The tutorial in a source checkout, best first: the built page (mkdocs.yml builds plain
``page.html`` files: ``use_directory_urls: false``), then its source."""
DOCS_PAGES = ("site/index.html", "docs/index.md")
"""The documentation's front page in a source checkout, best first."""
NO_TUTORIAL = ("The tutorial is not part of this copy of bpgui. In a source checkout its text "
               "is docs/tutorial.md, and “bash packaging/dev.sh docs” builds the "
               "documentation site into site/.")


def checkout_root():
    """The repository folder when bpgui runs from a source checkout, else None."""
    root = _metadata.SOURCE_ROOT
    return root if _metadata.source_project(root) is not None else None


def _local_page(pages):
    root = checkout_root()
    for relative in pages if root is not None else ():
        path = Path(root) / relative
        if path.is_file():
            return QUrl.fromLocalFile(str(path))
    return None


def online_docs():
    """``[project.urls] Documentation`` as a QUrl, or None when pyproject.toml names none."""
    url = _metadata.project_urls().get("Documentation")
    return QUrl(url) if url else None


def tutorial_url():
    """Where the tutorial is (see the module docstring), or None."""
    local = _local_page(TUTORIAL_PAGES)
    if local is not None:
        return local
    online = online_docs()
    if online is None:
        return None
    return QUrl(online.toString().rstrip("/") + "/tutorial.html")


def docs_url():
    """The documentation's front page: built site, Markdown source, online, or the tutorial."""
    return _local_page(DOCS_PAGES) or online_docs() or tutorial_url()


class HelpActions:
    """Help › Tutorial and Help › About bpgui for one window."""

    def __init__(self, window):
        self.window = window
        self.message_box = None  # the last About or "no tutorial" box, for tests
        self.tutorial_action = self.about_action = None

    def build_menu(self, menu):
        self.tutorial_action = menu.addAction("Tutorial")
        self.tutorial_action.setObjectName("actionTutorial")
        self.tutorial_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.tutorial_action.setStatusTip("Open the tutorial: ten minutes from a CSV file to an exported model")
        self.tutorial_action.triggered.connect(self.open_tutorial)
        menu.addSeparator()
        self.about_action = menu.addAction("About bpgui")
        self.about_action.setObjectName("actionAbout")
        self.about_action.setMenuRole(self.about_action.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)

    def open_tutorial(self):
        """Open the tutorial in the desktop's browser or editor; say so when it is missing."""
        url = tutorial_url()
        if url is None:
            self._show(QMessageBox.Icon.Information, "Tutorial", NO_TUTORIAL)
        elif not QDesktopServices.openUrl(url):
            where = url.toLocalFile() or url.toString()
            self._show(QMessageBox.Icon.Warning, "Tutorial",
                       f"The desktop could not open the tutorial; open it yourself: {where}")
        return url

    def show_about(self):
        """The version, the licence and a link to the documentation (non-blocking)."""
        url = docs_url()
        if url is None:
            docs = "Documentation: not in this copy (see README.md)."
        else:
            shown = html.escape(url.toLocalFile() or url.toString())
            docs = f'Documentation: <a href="{html.escape(url.toString())}">{shown}</a>'
        text = (f"<h3>bpgui {html.escape(_metadata.read_version())}</h3>"
                "<p>See backpropagation learn: train small neural networks on your own data, "
                "watch the gradients, export the model.</p>"
                f"<p>Licence: {html.escape(_metadata.licence() or 'see LICENSE')}</p><p>{docs}</p>")
        box = self._show(QMessageBox.Icon.NoIcon, "About bpgui", text)
        box.setObjectName("aboutBox")
        box.setIconPixmap(self.window.windowIcon().pixmap(64, 64))
        return box

    def _show(self, icon, title, text):
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setTextFormat(Qt.TextFormat.RichText if text.startswith("<") else Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.message_box = box
        return box
