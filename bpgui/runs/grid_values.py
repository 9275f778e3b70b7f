"""The values of the grid options written as text, checked as ``bpgui train`` checks its flags.

One place says what a value of ``--lr``, ``--hidden``, ``--activation``… may be (its type and
its choices) and how one occurrence of a sweep option becomes a list of values. The command
line's flags take their types from here (:mod:`bpgui.cli.options`, :mod:`bpgui.cli.grid_arguments`)
and so does the window's sweep dialog, which must not import the command line: the same text
gives the same values, or the same words of refusal, in both.

The types are argparse types (they raise ``argparse.ArgumentTypeError`` with a message for the
user, argparse itself names the flag) that also work outside argparse.

Use::

    from bpgui.runs.grid_values import list_values

    list_values("lr", "0.001,0.01")            # (0.001, 0.01): one --lr occurrence
    list_values("hidden", "16,16", ((8,),))    # ((8,), (16, 16)): a second --hidden
    list_values("lr", "0.1,fast")              # ValueError: invalid float value: 'fast' in the list '0.1,fast'
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from bpgui.engine import HIDDEN_ACTIVATIONS, OPTIMIZERS
from bpgui.engine.schedules import SCHEDULES
from bpgui.runs.grid import GRID_OPTIONS


def hidden_sizes(text):
    """``16,8`` → ``(16, 8)``; ``""`` or ``0`` → no hidden layer."""
    if text.strip() in ("", "0"):
        return ()
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected layer sizes like 16,8, got {text!r}") from None
    if min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"every hidden layer needs at least one unit, got {text!r}")
    return sizes


def derive_list(text):
    """``x1^2,sin(x1)`` → canonical expressions (:mod:`bpgui.data.derived`); one line if bad."""
    from bpgui.data.derived import parse_derive_list

    try:
        return parse_derive_list(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def fraction(text):
    """A number in [0, 1)."""
    value = float(text)
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, got {text}")
    return value


def whole(minimum):
    """An argparse type: a whole number of at least ``minimum`` (the error names the flag)."""
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a whole number, at least {minimum}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {text}")
        return value
    parse.__name__ = f"whole number ≥ {minimum}"
    return parse


@dataclass(frozen=True)
class ValueType:
    """What one value of an option may be: a type (text → value) and/or a set of words."""

    type: object = None
    choices: tuple | None = None

    def arguments(self):
        """The ``type=`` and ``choices=`` of the option's ``add_argument``."""
        return {name: value for name, value in (("type", self.type), ("choices", self.choices))
                if value is not None}

    def parse(self, text):
        """``text`` as a value; ``ValueError`` with the words argparse would use."""
        try:
            value = self.type(text) if self.type is not None else text
        except argparse.ArgumentTypeError as error:
            raise ValueError(str(error)) from None
        except (TypeError, ValueError):
            raise ValueError(f"invalid {getattr(self.type, '__name__', '')} value: {text!r}") from None
        if self.choices is not None and value not in self.choices:
            raise ValueError(f"invalid choice: {text!r} (choose from {', '.join(map(str, self.choices))})")
        return value


GRID_VALUES = {
    "hidden": ValueType(hidden_sizes),
    "activation": ValueType(choices=tuple(HIDDEN_ACTIVATIONS)),
    "optimizer": ValueType(choices=tuple(OPTIMIZERS)),
    "lr": ValueType(float),
    "batch_size": ValueType(whole(1)),
    "l2": ValueType(float),
    "dropout": ValueType(fraction),
    "schedule": ValueType(choices=tuple(SCHEDULES)),
    "derive": ValueType(derive_list),
}
"""Grid option (a :data:`~bpgui.runs.grid.GRID_OPTIONS` key) → the type of one of its values,
the same as its ``bpgui train`` flag's."""


def list_values(name, text, given=()):
    """The values of one occurrence of grid option ``name`` (``--lr 0.1,0.01``), after ``given``.

    An option whose one value is itself a comma list (``hidden``, ``derive``: ``repeated`` in
    :data:`~bpgui.runs.grid.GRID_OPTIONS`) takes one value per occurrence; the others a comma
    list.

    Parameters
    ----------
    name : str
    text : str
    given : tuple
        The values of earlier occurrences (a repeated option given again).

    Returns
    -------
    tuple
        ``given`` followed by the new values.

    Raises
    ------
    ValueError
        One line, as ``bpgui sweep`` says it after ``argument --NAME:``: an empty item, a value
        the option does not take, a value listed twice.
    """
    repeated = GRID_OPTIONS[name].repeated
    items = [text] if repeated else text.split(",")
    in_list = len(items) > 1
    where = f" in the list {text!r}" if in_list else ""
    values = tuple(given)
    for item in items:
        item = item.strip() if in_list else item
        if in_list and item == "":
            raise ValueError(f"an empty item{where}")
        try:
            value = GRID_VALUES[name].parse(item)
        except ValueError as error:
            message = str(error)
            if message.startswith("invalid choice: ") and where:  # the list before the choices
                head, _, tail = message.partition(" (choose from ")
                raise ValueError(f"{head}{where} (choose from {tail}") from None
            raise ValueError(f"{message}{where}") from None
        if value in values:
            raise ValueError(f"{item.strip() or repr(item)} is listed twice")
        values += (value,)
    return values
