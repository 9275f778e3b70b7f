"""Files the window loads at run time: the application icon.

They are package data (``[tool.setuptools.package-data]`` in pyproject.toml) read through
:mod:`importlib.resources`, so a source checkout, an installed wheel and a PyInstaller bundle
(``packaging/bpgui.spec`` collects them) all find them. Sources that are not loaded at run time
do not belong here.
"""

from __future__ import annotations

from importlib import resources

APP_ICON = "bpgui.svg"
"""The application icon: a 2-3-1 network, scalable (also installed for the desktop entry)."""

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
"""Pixel sizes the icon is rendered at, so every place Qt shows it gets a sharp picture."""


def asset_bytes(name):
    """The bytes of the asset ``name`` (a file name in this folder).

    Raises
    ------
    FileNotFoundError
        When the file is not in the installed package (package data missing from the build).
    """
    return resources.files(__name__).joinpath(name).read_bytes()


def app_icon():
    """The application icon as a ``QIcon`` rendered at :data:`ICON_SIZES` (needs a QApplication).

    An icon that cannot be read or rendered gives an empty ``QIcon`` (Qt's default icon), never
    an error: the window must open without it.
    """
    from PySide6.QtCore import QByteArray, QRectF, Qt
    from PySide6.QtGui import QIcon, QPainter, QPixmap
    from PySide6.QtSvg import QSvgRenderer

    icon = QIcon()
    try:
        renderer = QSvgRenderer(QByteArray(asset_bytes(APP_ICON)))
    except OSError:
        return icon
    if not renderer.isValid():
        return icon
    for size in ICON_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        icon.addPixmap(pixmap)
    return icon
