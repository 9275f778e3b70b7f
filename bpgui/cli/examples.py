"""``bpgui examples``: the built-in examples, one ``name  description`` a line."""

from __future__ import annotations

from bpgui.arguments import EXIT_OK


def add_arguments(parser):
    pass


def run(args):
    from bpgui.data.examples import EXAMPLES

    for name, example in EXAMPLES.items():
        print(f"{name}  {example.description}")  # exactly the contract's `name  description`
    return EXIT_OK
