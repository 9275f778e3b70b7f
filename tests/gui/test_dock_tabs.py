"""The view docks' tabs are short words, whole at 1600x1000, with the whole name as tooltip."""

from PySide6.QtWidgets import QTabBar

from bpgui.gui.dock_tabs import TABS, tab_title, tab_tooltip
from bpgui.gui.views import VIEWS


def view_tab_bars(window):
    titles = {dock.windowTitle() for dock in window.view_docks.values()}
    return [bar for bar in window.findChildren(QTabBar)
            if bar.isVisible() and any(bar.tabText(i) in titles for i in range(bar.count()))]


DOCKS = [*VIEWS, "Runs"]  # the views, then the Runs dock


def test_every_view_has_a_short_title_and_a_description():
    assert set(TABS) == set(DOCKS)
    for name in DOCKS:
        assert len(tab_title(name)) <= 10 and tab_tooltip(name).startswith(f"{name}: ")
    assert len({tab_title(name) for name in DOCKS}) == len(DOCKS)
    assert tab_title("Another") == "Another" and tab_tooltip("Another") == "Another"  # not listed


def test_tabs_are_short_and_whole_at_1600x1000(qtbot, window):
    window.resize(1600, 1000)
    qtbot.wait(20)
    assert list(window.view_docks) == DOCKS  # still keyed by the whole name
    for name, dock in window.view_docks.items():
        assert dock.windowTitle() == tab_title(name)
        assert dock.toggleViewAction().text() == name  # the View menu says it whole
    bars = view_tab_bars(window)
    assert len(bars) == 1 and bars[0].count() == len(DOCKS)
    bar = bars[0]
    for index in range(bar.count()):
        assert bar.tabRect(index).width() >= bar.tabSizeHint(index).width(), bar.tabText(index)  # not elided
        name = next(n for n in DOCKS if tab_title(n) == bar.tabText(index))
        assert bar.tabToolTip(index) == tab_tooltip(name)


def assert_tabs_whole(window):
    bars = view_tab_bars(window)
    assert len(bars) == 1 and bars[0].count() == len(DOCKS)
    bar = bars[0]
    for index in range(bar.count()):
        assert bar.tabRect(index).width() >= bar.tabSizeHint(index).width(), bar.tabText(index)


def test_many_hidden_layers_never_widen_the_window_and_the_tabs_stay_whole(qtbot, make_window):
    from bpgui.gui.network_editor import MAX_HIDDEN_LAYERS

    many = 16  # twice what fits at 1600 px (test_hostile_settings.py adds 50 in a smaller window)
    assert MAX_HIDDEN_LAYERS >= many
    window = make_window(["--example", "spiral"])
    window.resize(1600, 1000)
    qtbot.wait(20)
    width = window.width()
    editor = window.network_panel.editor
    while len(editor.layer_editors) < many:
        editor.add_button.click()
    qtbot.wait(20)
    assert len(editor.layer_editors) == many
    assert window.minimumSizeHint().width() <= 1600 and window.width() == width
    assert_tabs_whole(window)
    assert editor.layers_scroll.horizontalScrollBar().maximum() > 0  # the layers scroll instead
    last = editor.layer_editors[-1]
    editor.layers_scroll.ensureWidgetVisible(last)
    assert editor.layers_scroll.viewport().rect().contains(
        last.mapTo(editor.layers_scroll.viewport(), last.rect().center()))
    assert editor.remove_button.isVisible() and editor.remove_button.isEnabled()


def test_tooltips_come_back_after_a_dock_is_moved_out_and_back(qtbot, window):
    dock = window.view_docks["Gradient health"]
    dock.setFloating(True)
    qtbot.wait(5)
    dock.setFloating(False)
    qtbot.waitUntil(lambda: any(bar.tabToolTip(i) == tab_tooltip("Gradient health")
                                for bar in view_tab_bars(window) for i in range(bar.count())), timeout=2000)
