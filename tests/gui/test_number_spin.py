"""Hyperparameters read in plain or scientific notation, take typed exponents, step by digit."""

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QValidator, QWheelEvent
from PySide6.QtWidgets import QApplication, QDoubleSpinBox

from bpgui.gui.hyperparameter_panel import CONFIG_FIELDS, Field
from bpgui.gui.number_spin import NumberSpinBox, digit_step, format_number, parse_number

from helpers import widget

FLOAT_SPINS = [field.object_name for field in CONFIG_FIELDS if field.kind == "float"] + ["initRangeSpin"]


def type_into(qtbot, spin, text):
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


def wheel(spin, notches):
    centre = QPointF(spin.rect().center())
    event = QWheelEvent(centre, QPointF(spin.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(spin, event)


def test_numbers_are_written_as_typed_or_in_scientific_notation():
    assert [format_number(v) for v in (1e-8, 0.0005, 0.01, 0.9, 0.999, 1e-4, 1e-5, 12.0, 0.30000000000000004)] == [
        "1e-08", "0.0005", "0.01", "0.9", "0.999", "0.0001", "1e-05", "12", "0.3"]
    assert [parse_number(t) for t in ("1e-4", "5E-3", "0.001", ".5", "0,25", " 2 ")] == [1e-4, 5e-3, 0.001, 0.5, 0.25, 2.0]
    assert [parse_number(t) for t in ("", "1e", "e-4", "abc", "1e-4x", "1..2")] == [None] * 6


def test_digit_steps_cross_a_decade_in_round_numbers():
    assert [digit_step(0.001, k) for k in (1, 2, 8, 9, 10)] == [0.002, 0.003, 0.009, 0.01, 0.02]
    assert [digit_step(0.01, -k) for k in (1, 2, 9)] == [0.009, 0.008, 0.001]
    assert digit_step(0.0035, 1) == 0.004 and digit_step(0.0035, -1) == 0.003
    assert digit_step(1e-8, 1) == 2e-8 and digit_step(9e-9, 1) == 1e-8


def test_every_float_hyperparameter_is_a_number_spin_box(window):
    for name in FLOAT_SPINS:
        assert isinstance(widget(window, name), NumberSpinBox), name


def test_the_window_shows_small_values_readably(window):
    assert widget(window, "epsSpin").text() == "1e-08"  # not 0.0000000100
    rate = widget(window, "learningRateSpin", QDoubleSpinBox)
    rate.setValue(0.0005)
    assert rate.text() == "0.0005" and rate.value() == 0.0005
    assert window.controller.config.learning_rate == 0.0005
    assert widget(window, "beta2Spin").text() == "0.999"
    assert widget(window, "l2Spin").text() == "off"


def test_typed_rates_reach_the_config(qtbot, window):
    rate = widget(window, "learningRateSpin", QDoubleSpinBox)
    for text, expected in (("1e-4", 1e-4), ("5e-3", 5e-3), ("0.001", 0.001), ("2E-6", 2e-6)):
        type_into(qtbot, rate, text)
        assert rate.value() == expected and window.controller.config.learning_rate == expected, text
        assert rate.text() == format_number(expected)


def test_typing_tiny_penalties_and_eps(qtbot, window):
    type_into(qtbot, widget(window, "l2Spin"), "1e-5")
    type_into(qtbot, widget(window, "epsSpin"), "1e-10")
    config = window.controller.config
    assert config.l2 == 1e-5 and config.eps == 1e-10
    assert widget(window, "l2Spin").text() == "1e-05"


def test_text_that_is_not_a_number_is_refused(qtbot, window):
    rate = widget(window, "learningRateSpin", QDoubleSpinBox)
    before = rate.value()
    assert rate.validate("abc", 0)[0] == QValidator.State.Invalid
    assert rate.validate("1e-", 3)[0] == QValidator.State.Intermediate
    assert rate.validate("5e7", 3)[0] == QValidator.State.Intermediate  # above the maximum, 1e6
    type_into(qtbot, rate, "5e7")  # out of range: the previous value stays
    assert rate.value() == before == window.controller.config.learning_rate


def test_arrows_and_wheel_step_one_digit(qtbot, window):
    rate = widget(window, "learningRateSpin", QDoubleSpinBox)
    rate.setValue(0.001)
    rate.setFocus()
    qtbot.keyClick(rate, Qt.Key.Key_Up)
    assert rate.value() == 0.002 and window.controller.config.learning_rate == 0.002
    rate.setValue(0.01)
    qtbot.keyClick(rate, Qt.Key.Key_Down)
    assert rate.value() == 0.009
    wheel(rate, 2)
    assert rate.value() == 0.02  # 0.009 → 0.01 → 0.02
    wheel(rate, -1)
    assert rate.value() == 0.01


def test_a_switch_steps_from_off_to_its_first_value_and_back(window):
    l2 = widget(window, "l2Spin", QDoubleSpinBox)
    assert l2.value() == 0
    l2.stepBy(1)
    assert l2.value() == 1e-4 and l2.text() == "0.0001" and window.controller.config.l2 == 1e-4
    l2.stepBy(1)
    assert l2.value() == 2e-4
    l2.stepBy(-2)
    assert l2.value() == 0 and l2.text() == "off"
    rate = widget(window, "learningRateSpin", QDoubleSpinBox)
    rate.setValue(2e-12)
    rate.stepBy(-5)
    assert rate.value() == rate.minimum() == 1e-12  # never below the range


def test_linear_fields_add_their_step():
    spin = NumberSpinBox(0.0, 0.95, "linear", 0.05)
    spin.setSpecialValueText("off")
    spin.stepBy(3)
    assert spin.value() == 0.15 and spin.text() == "0.15"
    spin.stepBy(100)
    assert spin.value() == 0.95
    spin.setValue(0)
    assert spin.text() == "off" and spin.valueFromText("off") == 0


def test_values_keep_every_digit():
    spin = NumberSpinBox(0.0, 1e6)
    for value in (1e-8, 1.5e-9, 1e-12, 1 / 3, 0.1 + 0.2, 123456.789, 0.0005):
        spin.setValue(value)
        assert spin.value() == value


def test_a_stale_decimals_argument_is_refused():
    with pytest.raises(ValueError, match="steps"):
        Field("min_lr", "minLrSpin", "Min lr", "float", "tip", 0.0, 10.0, 6)
