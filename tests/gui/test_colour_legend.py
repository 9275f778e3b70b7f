"""The colour legend has no range to show before a run: it says what to press instead."""

from bpgui.gui.network_panel import LEGEND_WAITING, ColourLegend

from helpers import click, click_step, widget


def legend(window):
    return widget(window, "colourLegend", ColourLegend)


def test_before_any_training_the_legend_asks_for_start(qtbot, window):
    low, high, caption = legend(window).labels()
    assert (low, high) == ("", "") and caption == LEGEND_WAITING["delta"]
    assert "press Start" in caption and "press Start" in legend(window).toolTip()
    assert not legend(window).grab().isNull()  # paints without numbers
    window.network_panel.colour_combo.setCurrentText("activation")
    assert legend(window).labels()[2] == LEGEND_WAITING["activation"]
    window.network_panel.colour_combo.setCurrentText("bias")  # biases exist before training
    low, high, caption = legend(window).labels()
    assert low.startswith("-") and high and caption.startswith("bias")


def test_after_a_step_the_range_shows_and_a_reset_asks_again(qtbot, window):
    click_step(qtbot, window, "stepEpochButton")
    view = widget(window, "networkView")
    low, high, caption = legend(window).labels()
    assert low == "0" and high == f"{view.legend_value:.3g}" and caption.startswith("mean |δ|")
    assert "links: orange +" in caption
    click(qtbot, window, "resetButton")
    assert legend(window).labels()[2] == LEGEND_WAITING["delta"]
