"""The grid of a sweep: lists of values for a few settings become the runs, in order.

A sweep (``bpgui sweep`` and the window's sweep dialog) varies only the settings named in
:data:`GRID_OPTIONS`; every other setting is shared by all runs and comes from a base
:class:`~bpgui.runs.settings.RunSettings`. Adding a grid option is one entry there, keyed by
the setting's name (the ``bpgui train`` flag without dashes, the RESULTS.csv column).

Use::

    from bpgui.runs import RunSettings, grid, swept_options

    lists = {"lr": (0.001, 0.01), "hidden": ((8,), (16, 16))}   # in the order the user gave them
    runs = grid(RunSettings(), lists, seeds=2)    # 8 RunSettings
    swept_options(lists)                          # ("lr", "hidden"): RESULTS.csv's option columns

The runs are the product of the lists in the order of ``lists``, the last list varying
fastest and the seed (``base.seed``, ``base.seed + 1``, …) fastest of all (DESIGN.md §4).
An option counts as *swept* when it has more than one value; an option with one value is
simply a setting shared by every run (it gets no column).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass


def _sizes(text):
    """``"16,16"`` → ``(16, 16)``; ``"0"`` or ``""`` → no hidden layer."""
    text = text.strip()
    return () if text in ("", "0") else tuple(int(part) for part in text.split(","))


def _derived(text):
    """``"x1^2,sin(x2)"`` → the canonical expressions (:mod:`bpgui.data.derived`)."""
    from bpgui.data.derived import parse_derive_list

    return parse_derive_list(text) if text.strip() else ()


def _sizes_text(sizes):
    """``(16, 16)`` → ``"16,16"``; no hidden layer → ``"0"`` (as ``--hidden 0`` says it)."""
    return ",".join(str(int(n)) for n in sizes) or "0"


@dataclass(frozen=True)
class GridOption:
    """How a sweep takes the values of one setting.

    Attributes
    ----------
    parse : callable (str) -> value
        A RESULTS.csv cell back to the setting's value (raises ``ValueError``).
    text : callable (value) -> str
        The value as a RESULTS.csv cell and in the ranking on stdout.
    repeated : bool
        The option is given once per value (``--hidden 8 --hidden 16,16``) because one value
        is itself a comma list; otherwise its values are one comma list (``--lr 0.1,0.01``).
    clears : tuple of str
        Settings reset to their defaults when this one is set (a swept ``activation`` holds
        for every hidden layer, so the window's per-layer ``activations`` go).
    """

    parse: object
    text: object = str
    repeated: bool = False
    clears: tuple = ()


GRID_OPTIONS = {
    "hidden": GridOption(_sizes, _sizes_text, repeated=True),
    "activation": GridOption(str, clears=("activations",)),
    "optimizer": GridOption(str),
    "lr": GridOption(float),
    "batch_size": GridOption(int),
    "l2": GridOption(float),
    "dropout": GridOption(float),
    "schedule": GridOption(str),
    "derive": GridOption(_derived, ",".join, repeated=True),
}
"""Setting name → how a sweep varies it. Only these may be given lists of values."""


def check_lists(lists):
    """Raise ``ValueError`` for a list a grid cannot take: an unknown option, no value, a
    value given twice."""
    for name, values in lists.items():
        if name not in GRID_OPTIONS:
            raise ValueError(f"{name} cannot be swept; the grid options are {', '.join(GRID_OPTIONS)}")
        if len(values) == 0:
            raise ValueError(f"{name}: the list of values is empty")
        texts = [GRID_OPTIONS[name].text(value) for value in values]
        repeated = next((text for text in texts if texts.count(text) > 1), None)
        if repeated is not None:
            raise ValueError(f"{name}: the value {repeated} is listed twice")


def apply(settings, name, value):
    """``settings`` with grid option ``name`` set to ``value`` (and what it clears)."""
    defaults = type(settings)()
    cleared = {other: getattr(defaults, other) for other in GRID_OPTIONS[name].clears}
    return settings.replace(**{name: value}, **cleared)


def grid(base, lists, seeds=1):
    """The runs of a sweep, in order.

    Parameters
    ----------
    base : RunSettings
        Every setting the lists do not vary; ``base.seed`` is the first seed.
    lists : dict of str to sequence
        Grid option (a :data:`GRID_OPTIONS` key) → its values, in the order the options were
        given; the last varies fastest.
    seeds : int
        Each setting is run with seeds ``base.seed`` … ``base.seed + seeds - 1``, fastest of all.

    Returns
    -------
    list of RunSettings
        ``prod(len(values)) * seeds`` settings, each validated.

    Raises
    ------
    ValueError
        A bad list (:func:`check_lists`), ``seeds`` below 1, or a combination of settings
        out of range (the message names the run).
    """
    check_lists(lists)
    if int(seeds) < 1:
        raise ValueError(f"the number of seeds must be at least 1, got {seeds}")
    names = tuple(lists)
    runs = []
    for *values, offset in itertools.product(*(lists[name] for name in names), range(int(seeds))):
        settings = base.replace(seed=base.seed + offset)
        for name, value in zip(names, values):
            settings = apply(settings, name, value)
        try:
            runs.append(settings.validate())
        except ValueError as error:
            described = ", ".join(f"{name} {GRID_OPTIONS[name].text(value)}" for name, value in zip(names, values))
            raise ValueError(f"run {len(runs) + 1} ({described}): {error}") from None
    return runs


def swept_options(lists):
    """The options with more than one value, in the order of ``lists`` (RESULTS.csv's
    option columns)."""
    return tuple(name for name, values in lists.items() if len(values) > 1)


def option_text(name, value):
    """The RESULTS.csv cell of grid option ``name``'s ``value``."""
    return GRID_OPTIONS[name].text(value)


def option_value(name, text):
    """The value of grid option ``name`` written as ``text`` (``ValueError`` if it is not one)."""
    if name not in GRID_OPTIONS:
        raise ValueError(f"{name} is not a grid option (they are {', '.join(GRID_OPTIONS)})")
    try:
        return GRID_OPTIONS[name].parse(text)
    except (TypeError, ValueError):
        raise ValueError(f"{text!r} is not a value of {name}") from None
