"""A spin box for hyperparameters that may be tiny: ``1e-08``, ``0.0005``, typed as ``5e-4``.

``QDoubleSpinBox`` shows a fixed number of decimals (ε read ``0.0000000100``, a rate of 5e-7
read ``0.000001``) and its validator refuses an exponent. :class:`NumberSpinBox` keeps
QDoubleSpinBox's ``value()``, ``setValue()``, range and ``valueChanged`` as they are, and
changes only the text and the steps:

- the text is the number in up to 12 significant digits, as Python's ``g`` format writes it:
  ``0.0005``, ``0.01``, ``0.9``, ``1e-08`` (scientific below 1e-4), so a typed value reads as
  typed;
- typing accepts ``0.001``, ``1e-4``, ``5E-3``, ``.5`` (a decimal comma too);
- ``steps="log"`` (rates, penalties, ε): the arrows and the wheel move one significant digit,
  0.001 → 0.002 → … → 0.009 → 0.01 → 0.02, so a few clicks cross a decade and every value is
  a round number; from 0 the first step up is ``first``, and below ``first`` a field that may
  be 0 steps to 0 (its "off");
- ``steps="linear"``: the arrows add ``step`` (momentum, β, dropout), rounded to it.
"""

from __future__ import annotations

import math
import re

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox

SIGNIFICANT = 12
"""Digits shown: enough that a typed value reads back as typed."""
MAX_DECIMALS = 323
"""QDoubleSpinBox rounds every value to ``decimals()``; at Qt's maximum that rounding keeps
every double as it is, so 1e-12 and 1.5e-9 survive ``setValue``."""
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
PARTIAL = re.compile(r"[+-]?\d*\.?\d*([eE][+-]?\d*)?")


def format_number(value):
    """``value`` as the spin box writes it: ``0.0005``, ``1e-08``, ``0.9``, ``12``."""
    return format(float(value) + 0.0, f".{SIGNIFICANT}g")


def parse_number(text):
    """The number in ``text`` (``1e-4``, ``0,5``), or None when it is not one."""
    text = text.strip().replace(",", ".")
    return float(text) if NUMBER.fullmatch(text) else None


def digit_step(value, steps):
    """``value`` moved ``steps`` significant-digit steps (> 0 up, < 0 down); ``value`` > 0.

    >>> digit_step(0.003, 1), digit_step(0.009, 1), digit_step(0.01, -1), digit_step(0.0035, -1)
    (0.004, 0.01, 0.009, 0.003)
    """
    mantissa, exponent = f"{value:.{SIGNIFICANT - 1}e}".split("e")
    digits, exponent = float(mantissa), int(exponent)
    for _ in range(abs(steps)):
        if steps > 0:
            digits = math.floor(digits + 1e-9) + 1
            if digits >= 10:
                digits, exponent = 1, exponent + 1
        else:
            digits = math.ceil(digits - 1e-9) - 1
            if digits <= 0:
                digits, exponent = 9, exponent - 1
    return float(f"{int(digits)}e{exponent}")


class NumberSpinBox(QDoubleSpinBox):
    """A QDoubleSpinBox in plain or scientific notation, stepping by digit or by ``step``.

    Parameters
    ----------
    low, high : float
        The range (``setRange``).
    steps : {"log", "linear"}
    step : float
        The linear step (``singleStep``); ignored by ``"log"``.
    first : float or None
        ``"log"`` only: the value one step up from 0 (default: ``low`` when > 0, else 0.001).
    """

    def __init__(self, low=0.0, high=1.0, steps="log", step=0.01, first=None, parent=None):
        super().__init__(parent)
        if steps not in ("log", "linear"):
            raise ValueError(f"unknown steps {steps!r}")
        self.setDecimals(MAX_DECIMALS)
        self.setRange(low, high)
        self.setSingleStep(step)
        self.steps = steps
        self.first = first if first is not None else (low if low > 0 else 0.001)

    # -- text ---------------------------------------------------------------------------------

    def textFromValue(self, value):  # noqa: N802 (Qt's name)
        return format_number(value)

    def valueFromText(self, text):  # noqa: N802
        if self.specialValueText() and text == self.specialValueText():
            return self.minimum()
        number = parse_number(text)
        return self.value() if number is None else min(max(number, self.minimum()), self.maximum())

    def validate(self, text, pos):
        if self.specialValueText() and text == self.specialValueText():
            return QValidator.State.Acceptable, text, pos
        number = parse_number(text)
        if number is not None and self.minimum() <= number <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        partial = text.strip().replace(",", ".")
        if number is not None or PARTIAL.fullmatch(partial) or self.specialValueText().startswith(text):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    # -- steps --------------------------------------------------------------------------------

    def stepBy(self, steps):  # noqa: N802
        self.setValue(self.stepped(self.value(), steps))
        self.selectAll()

    def stepped(self, value, steps):
        """The value ``steps`` arrow presses away from ``value``, kept in range."""
        low, high = self.minimum(), self.maximum()
        if self.steps == "linear":
            value = round(value + steps * self.singleStep(), 12)
        elif value <= 0 or (steps < 0 and value <= self.first):
            value = self.first if steps > 0 else low
            if steps > 1:
                value = digit_step(value, steps - 1)
        else:
            value = digit_step(value, steps)
            if steps < 0 and value < self.first:
                value = low if low < self.first else self.first
        return min(max(value, low), high)

    def stepEnabled(self):  # noqa: N802
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self.isReadOnly():
            return flags
        if self.value() < self.maximum():
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if self.value() > self.minimum():
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags
