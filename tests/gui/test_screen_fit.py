"""The window fits the available screen at first start, and a remembered geometry too big for
the screen is fitted into it. The offscreen screen's size is replaced by a chosen one."""

import pytest
from PySide6.QtCore import QRect

from bpgui.gui import screen_fit
from bpgui.gui.screen_fit import fitted


@pytest.fixture
def screen(monkeypatch):
    """``screen(rect)`` makes ``rect`` the available geometry the window sees."""

    def use(rect):
        monkeypatch.setattr(screen_fit, "available_geometry", lambda window: QRect(rect))

    return use


@pytest.fixture
def new_window(qtbot):
    """A window built as ``bpgui`` builds it, left at the size it chose (closed at teardown)."""
    from bpgui.gui import create_main_window

    windows = []

    def make():
        window = create_main_window(["--example", "xor"])
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


def test_fitted_moves_and_shrinks_into_the_area():
    area = QRect(0, 30, 1600, 970)
    assert fitted(QRect(100, 100, 800, 600), area) == QRect(100, 100, 800, 600)
    assert fitted(QRect(-50, 0, 2500, 1600), area) == area
    assert fitted(QRect(1200, 900, 800, 600), area) == QRect(800, 400, 800, 600)


def test_first_start_takes_the_available_screen(screen, new_window, qtbot):
    screen(QRect(0, 24, 1600, 976))  # a panel of 24 px at the top
    window = new_window()
    assert window.geometry() == QRect(0, 24, 1600, 976)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(5)
    assert window.frameGeometry() == QRect(0, 24, 1600, 976)  # no frame offscreen: unchanged


def test_a_remembered_geometry_larger_than_the_screen_is_fitted(screen, new_window):
    screen(QRect(0, 0, 2560, 1440))
    big = new_window()
    big.setGeometry(100, 100, 2400, 1300)
    big.close()  # remembers its geometry
    screen(QRect(0, 0, 1366, 740))  # later, on a smaller screen
    again = new_window()
    frame = again.frameGeometry()
    assert QRect(0, 0, 1366, 740).contains(frame), frame  # (Qt alone kept 800 px of height)


def test_a_remembered_geometry_that_fits_is_kept(screen, new_window):
    screen(QRect(0, 0, 1600, 1000))
    first = new_window()
    first.setGeometry(40, 50, 700, 600)  # inside the offscreen screen (800x800) too
    first.close()
    assert new_window().geometry() == QRect(40, 50, 700, 600)
