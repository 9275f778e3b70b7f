"""What the sweep dialog's fields mean: the grid of ``bpgui sweep`` built from the window.

No widgets here (the dialog is :mod:`bpgui.gui.sweep_dialog`). Each grid option's field holds
what ``bpgui sweep`` takes after its flag: a comma list (``0.001,0.01``), or, for ``hidden``
and ``derive`` whose one value is itself a comma list, one value per ``;``-separated group
(``8; 16,16``: the flag given once per group). Every value is checked by the command line's
own types (:func:`bpgui.runs.grid_values.list_values`). A field left at the window's current
value sweeps nothing; the base settings are the window's (``controller.settings``), with the
dialog's epochs; the runs come from :func:`bpgui.runs.grid`, so the dialog builds exactly the
runs the command line builds for the same lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from bpgui.runs import GRID_OPTIONS, SETTING_NAMES, RunSettings, SweepData, grid, option_text
from bpgui.runs.grid_values import list_values

GROUP_SEPARATOR = ";"


def field_text(settings, name):
    """The field of grid option ``name`` filled with ``settings``' value (``hidden`` as
    ``16,8``; no derived input as an empty field)."""
    value = getattr(settings, name)
    if name == "derive":
        return ",".join(value)
    return option_text(name, value)


def field_values(name, text):
    """The values a field says, in order.

    Returns
    -------
    tuple or None
        None for an empty ``derive`` field (the derived inputs stay as they are).

    Raises
    ------
    ValueError
        One line: the command line's words for a bad value, an empty group, a repeat.
    """
    text = text.strip()
    if not GRID_OPTIONS[name].repeated:
        if not text:
            raise ValueError("give at least one value")
        return list_values(name, text)
    if not text and name == "derive":
        return None
    groups = [group.strip() for group in text.split(GROUP_SEPARATOR)]
    values = ()
    for group in groups:
        if not group:
            hint = "; write 0 for no hidden layer" if name == "hidden" else ""
            raise ValueError(f"an empty group in {text!r}{hint}")
        values = list_values(name, group, values)
    return values


def grid_lists(texts, settings):
    """The grid's lists from the fields' texts, in field order.

    Parameters
    ----------
    texts : dict of str to str
        Grid option → its field's text.
    settings : RunSettings
        The window's current settings: a field that says just its current value sweeps
        nothing (so an untouched ``activation`` keeps activations set layer by layer).

    Returns
    -------
    lists : dict of str to tuple
        What :func:`bpgui.runs.grid` takes.
    errors : dict of str to str
        Grid option → the one line that says what is wrong with its field.
    """
    lists, errors = {}, {}
    for name, text in texts.items():
        try:
            values = field_values(name, text)
        except ValueError as error:
            errors[name] = str(error)
            continue
        if values is not None and values != (getattr(settings, name),):
            lists[name] = values
    return lists, errors


@dataclass
class SweepPlan:
    """A sweep the window is about to run.

    Attributes
    ----------
    runs : list of RunSettings
        :func:`bpgui.runs.grid`'s, in grid order.
    lists : dict of str to tuple
        The swept lists (RESULTS.csv's option columns are those with several values).
    data : SweepData
    jobs : int
    backend : str
    scheduler : str or None
    data_name : str
        What the runs train on (the Runs table's ``data``).
    """

    runs: list
    lists: dict
    data: SweepData
    jobs: int = 1
    backend: str = "local"
    scheduler: str | None = None
    data_name: str = ""


def base_settings(settings, epochs):
    """The settings every run shares: the window's, with the dialog's epochs."""
    return settings.replace(epochs=int(epochs))


def make_plan(controller, lists, epochs, seeds, jobs=1, backend="local", scheduler=None):
    """The :class:`SweepPlan` of the window's data and settings and the dialog's choices.

    Raises
    ------
    ValueError
        A combination out of range (naming its run), ``seeds`` below 1, a bad backend.
    """
    from bpgui.gui.run_tracking import data_name
    from bpgui.runs.sweep import check_backend

    check_backend(backend, jobs, scheduler)
    base = base_settings(controller.settings, epochs)
    runs = grid(base, lists, seeds)
    return SweepPlan(runs, dict(lists), window_sweep_data(controller, lists, base), int(jobs),
                     backend, scheduler, data_name(controller.source))


def window_sweep_data(controller, lists, base):
    """What every run trains on: the window's table and column choices (``base``: the
    settings every run starts from, :func:`base_settings`).

    For an example whose preset starts from given weights (the classic 2-2-2), the runs start
    from them as ``bpgui sweep --example`` does: unless a setting that shapes the network is
    swept or differs from the preset, as if the window's settings were given as flags.
    """
    preset_layers, explicit = None, set(lists) | {"epochs"}
    example = (controller.source or {}).get("example")
    if example is not None:
        from bpgui.data import get_example
        from bpgui.runs import example_settings

        preset, preset_layers = example_settings(get_example(example), RunSettings())
        explicit |= {name for name in SETTING_NAMES if getattr(base, name) != getattr(preset, name)}
    return SweepData(controller.table, controller.spec, preset_layers, frozenset(explicit))


def describe(lists, seeds):
    """``3 lr × 2 hidden × 2 seeds``: how the count comes about."""
    parts = [f"{len(values)} {name}" for name, values in lists.items() if len(values) > 1]
    if int(seeds) > 1:
        parts.append(f"{int(seeds)} seeds")
    return " × ".join(parts)
