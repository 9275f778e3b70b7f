"""Keep the main window on its screen: the whole available area at first start, and a
remembered geometry that no longer fits (a smaller screen, another monitor) moved and shrunk
into it.

The window's frame (title bar, borders) is known only once the window manager has framed it,
so :func:`fit_window` runs again after the first show and fits the frame, not just the inside.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication

FRAME_CHECKS_MS = (0, 150, 500, 1200)
"""When to fit the frame after the first show: window managers frame a window asynchronously
(measured with twm under Xvfb: the frame came 210-370 ms after the show)."""


def available_geometry(window):
    """The available area (without panels and docks) of the screen ``window`` is on."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fitted(rect, available):
    """``rect`` shrunk to at most ``available``'s size and moved inside it.

    Parameters
    ----------
    rect, available : QRect

    Returns
    -------
    QRect
    """
    width = min(rect.width(), available.width())
    height = min(rect.height(), available.height())
    x = min(max(rect.x(), available.left()), available.left() + available.width() - width)
    y = min(max(rect.y(), available.top()), available.top() + available.height() - height)
    return QRect(x, y, width, height)


def fill_screen(window):
    """First start: the window takes the screen's available area."""
    window.setGeometry(available_geometry(window))


def fit_window(window):
    """Move and shrink ``window`` so that its frame lies inside the available area."""
    available = available_geometry(window)
    frame, inside = window.frameGeometry(), window.geometry()
    target = fitted(frame, available)
    if target == frame:
        return
    left, top = inside.x() - frame.x(), inside.y() - frame.y()
    extra_width, extra_height = frame.width() - inside.width(), frame.height() - inside.height()
    window.setGeometry(target.x() + left, target.y() + top,
                       target.width() - extra_width, target.height() - extra_height)


def dialog_size(available, fraction=(0.75, 0.8), least=QSize(1000, 700)):
    """A large dialog's first size: ``fraction`` of the available area (``available``, a
    QRect), at least ``least`` where the screen has room, never more than the screen.

    Returns
    -------
    QSize
    """
    width = max(int(available.width() * fraction[0]), least.width())
    height = max(int(available.height() * fraction[1]), least.height())
    return QSize(min(width, available.width()), min(height, available.height()))
