"""``bpgui sweep``'s grid options: train's own options, taking lists of values.

``bpgui sweep`` has every option of ``bpgui train`` (:func:`bpgui.cli.options.add_run_arguments`).
Registering :class:`GridAction` as the parser's ``store`` action before adding them turns each
option named in :data:`bpgui.runs.grid.GRID_OPTIONS` into a list: a comma list
(``--lr 0.001,0.01``), or, for an option whose one value is itself a comma list, one value per
occurrence (``--hidden 8 --hidden 16,16``). Each value is checked by the option's own type and
choices, exactly as ``bpgui train`` checks it (:func:`bpgui.runs.grid_values.list_values`, which
the window's sweep dialog uses too). The lists land in ``args.grid`` (option name →
tuple of values, in the order the options were first given), and the option itself holds its
first value, so ``train``'s :func:`~bpgui.cli.train.run_settings` builds the base settings.
"""

from __future__ import annotations

import argparse

from bpgui.runs.grid import GRID_OPTIONS
from bpgui.runs.grid_values import list_values

GRID_DEST = "grid"


def add_grid_action(parser):
    """Make ``parser``'s plain options (added after this call) understand lists where
    :data:`GRID_OPTIONS` says so."""
    parser.register("action", None, GridAction)
    parser.register("action", "store", GridAction)
    parser.set_defaults(**{GRID_DEST: None})


class GridAction(argparse.Action):
    """argparse's ``store``, except that a grid option collects a list of checked values."""

    def __init__(self, option_strings, dest, type=None, choices=None, metavar=None, help=None, **kwargs):
        self.grid = GRID_OPTIONS.get(dest)
        self.item_type, self.item_choices = type, choices
        if self.grid is not None:
            type, choices = None, None
            if self.grid.repeated:
                help = f"{help}; give it several times to sweep"
            else:
                metavar = f"{metavar or 'WORD'}[,…]"
                of = f" of {', '.join(self.item_choices)}" if self.item_choices else ""
                help = f"{help}; a comma list{of} to sweep"
        super().__init__(option_strings, dest, type=type, choices=choices, metavar=metavar,
                         help=help, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        if self.grid is None:
            setattr(namespace, self.dest, values)
            return
        lists = dict(getattr(namespace, GRID_DEST, None) or {})
        if self.dest in lists and not self.grid.repeated:
            parser.error(f"argument {option_string}: given twice; give its values as one comma list")
        try:
            lists[self.dest] = list_values(self.dest, values, lists.get(self.dest, ()))
        except ValueError as error:
            parser.error(f"argument {option_string}: {error}")
        setattr(namespace, GRID_DEST, lists)
        setattr(namespace, self.dest, lists[self.dest][0])
