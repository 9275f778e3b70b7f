"""What the screenshots showed wrong, and the remembered hyperparameters."""

from PySide6.QtWidgets import QDoubleSpinBox, QGraphicsRectItem, QLabel, QSpinBox

from bpgui.data import CsvOptions, DatasetSpec
from helpers import click, widget

OFF_AT_ZERO = ("l2Spin", "l1Spin", "dropoutSpin", "clipNormSpin", "targetLossSpin", "earlyStoppingSpin")


def shaded_bands(window):
    scene = widget(window, "networkView").scene()
    return [item for item in scene.items() if isinstance(item, QGraphicsRectItem)]


def test_nothing_is_shaded_until_the_inspector_is_walked(qtbot, make_window):
    window = make_window(["--example", "xor"])
    assert shaded_bands(window) == []
    dock = window.view_docks["Inspector"]
    dock.raise_()
    qtbot.wait(1)
    assert shaded_bands(window) == []
    click(qtbot, window, "inspectorNextButton")
    assert len(shaded_bands(window)) == 1
    window.view_docks["Decision boundary"].raise_()  # inspector tabbed away: no band left
    qtbot.wait(1)
    assert shaded_bands(window) == []
    window.files.open_example("circles")
    assert shaded_bands(window) == []


def test_switches_read_off_at_zero_and_layer_sizes_are_singular_for_one(make_window):
    window = make_window(["--example", "xor"])
    for name in OFF_AT_ZERO:
        spin = widget(window, name)
        spin.setValue(0)
        assert spin.text() == "off", name
    widget(window, "l2Spin", QDoubleSpinBox).setValue(0.001)
    assert widget(window, "l2Spin").text() != "off" and window.controller.config.l2 == 0.001
    widget(window, "earlyStoppingSpin", QSpinBox).setValue(5)
    assert window.controller.config.early_stopping == 5
    widget(window, "targetLossSpin", QDoubleSpinBox).setValue(0)
    assert window.controller.config.target_loss is None
    texts = [label.text() for label in window.findChildren(QLabel)]
    assert "Output: 1 neuron" in texts and not any("1 neurons" in text for text in texts)


def test_hyperparameters_of_a_csv_are_remembered_but_never_override_an_example(make_window, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b,y\n" + "".join(f"{i},{i % 4},{3 * i}\n" for i in range(40)))
    window = make_window([str(path), "--target", "y"])
    widget(window, "learningRateSpin", QDoubleSpinBox).setValue(0.0123)
    widget(window, "batchSizeSpin", QSpinBox).setValue(7)
    window.files.open_example("xor")  # the example's preset, not the CSV's settings
    assert window.controller.config.learning_rate == 0.03
    window.controller.load_csv(str(path), CsvOptions(), DatasetSpec(targets=("y",)))
    assert window.controller.config.learning_rate == 0.0123  # back on a CSV: the CSV's settings
    window.files.open_example("xor")
    window.close()  # remembered between runs (QSettings)

    again = make_window(["--example", "spiral"])
    assert again.controller.config.learning_rate == 0.01  # the spiral preset wins
    fresh = make_window([str(path), "--target", "y"])
    config = fresh.controller.config
    assert config.learning_rate == 0.0123 and config.batch_size == 7


def test_a_tabbed_away_view_skips_frames_and_catches_up_when_its_tab_is_selected(qtbot, make_window):
    """Qt 6 keeps a tabbed-away dock "visible"; the dock's visibilityChanged says the truth.
    While training a tabbed-away view skips its frames; at rest it holds the current numbers."""
    window = make_window(["--example", "xor"])
    window.view_docks["Decision boundary"].raise_()
    maps = window.view_docks["Neuron maps"].widget()
    qtbot.wait(1)
    assert maps.isVisible() and not maps.shown
    widget(window, "epochsSpin", QSpinBox).setValue(100000)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.controller.history.n > 20 and maps._stale, timeout=5000)
    with qtbot.waitSignal(window.controller.stateChanged, check_params_cb=lambda s: s == "paused"):
        click(qtbot, window, "startButton")  # pause
    window.controller.stop_and_wait()
    assert not maps._stale and maps.images  # drawn once at rest, though its tab is not selected
    window.view_docks["Neuron maps"].raise_()
    qtbot.wait(1)
    assert maps.shown and not maps._stale and maps.images


def test_a_new_window_starts_at_full_speed_with_a_linear_loss_axis(make_window):
    """DESIGN §4: speedSlider at its maximum is the default; a slow speed or a log axis left by
    an earlier window would slow a fresh window down or put log10 values in lossPlot."""
    window = make_window(["--example", "xor"])
    slider = widget(window, "speedSlider")
    slider.setValue(slider.minimum())
    widget(window, "logScaleCheck").setChecked(True)
    window.close()
    again = make_window(["--example", "xor"])
    slider = widget(again, "speedSlider")
    assert slider.value() == slider.maximum()
    assert not widget(again, "logScaleCheck").isChecked()


def test_a_wide_dataset_does_not_make_the_window_taller_than_a_screen(make_window):
    """The Predict form has a row per feature (64 for the digits): it scrolls; before, its
    dock's minimum height (2,100 px) stretched the whole window off the screen."""
    window = make_window(["--example", "spiral"])
    window.files.open_example("digits")
    hint = window.minimumSizeHint()
    assert hint.height() < 800 and hint.width() < 1400
