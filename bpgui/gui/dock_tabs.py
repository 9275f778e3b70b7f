"""Short tab titles for the view docks, with the whole name and what the view shows as tooltip.

Seven views share the right dock area; with their full names ("Decision boundary", "Gradient
health", …) Qt elided every tab to "Decision bound…", "Inspec…" at 1600x1000. Each dock's
window title is its short word (the tab, a floating dock's title bar); the View menu and the
tab's tooltip keep the whole name. ``bpgui.gui.views.VIEWS`` and ``MainWindow.view_docks``
stay keyed by the whole name; a view missing here keeps it as its title.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabBar

TABS = {
    "Decision boundary": ("Boundary", "what the network outputs over the plane of the two "
                          "inputs, behind the data points"),
    "Neuron maps": ("Neurons", "each hidden neuron's output over the plane of the two inputs"),
    "Inspector": ("Inspector", "one backpropagation step on one sample, stage by stage, with the numbers"),
    "Gradient health": ("Gradients", "the gradient norm of every layer per epoch: vanishing or exploding"),
    "Metrics": ("Metrics", "accuracy or R² per epoch, training and validation"),
    "Evaluation": ("Test", "the trained network on the test split: confusion matrix and per-class "
                   "metrics, or predicted against actual"),
    "Predict": ("Predict", "the trained network on inputs you type, or on a whole CSV"),
    "Runs": ("Runs", "every run kept: the settings that differ, final numbers, curves to compare"),
}
"""Whole name (``VIEWS`` key, or the Runs dock's) → (tab title, what the view shows)."""


def tab_title(name):
    """The short title of the view ``name`` (the name itself when it has none)."""
    return TABS.get(name, (name, ""))[0]


def tab_tooltip(name):
    """``Decision boundary: what the network outputs …``: the tab's tooltip."""
    description = TABS.get(name, (name, ""))[1]
    return f"{name}: {description}" if description else name


def set_tab_tooltips(window, docks):
    """Give every dock tab bar of ``window`` the tooltips of ``docks`` (``{name: dock}``).

    Qt builds a tab bar when docks are tabified and sets each tab's tooltip to the dock's title
    only when the title changes, so call this after the docks are laid out or moved.
    """
    tips = {dock.windowTitle(): tab_tooltip(name) for name, dock in docks.items()}
    for bar in window.findChildren(QTabBar):
        for index in range(bar.count()):
            tip = tips.get(bar.tabText(index))
            if tip is not None and bar.tabToolTip(index) != tip:
                bar.setTabToolTip(index, tip)
