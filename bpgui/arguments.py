"""Argument parsing shared by the command line and the window (argparse, no Qt).

Both ``bpgui COMMAND …`` (:mod:`bpgui.cli`) and ``bpgui [DATA.csv | --example NAME]`` (the
window, :mod:`bpgui.gui.arguments`) read CSV options and report bad usage the same way: one
line ``error: …`` on stderr and exit code 2.
"""

from __future__ import annotations

import argparse

import bpgui

EXIT_OK = 0
EXIT_USAGE = 2

COMMAND_SUMMARIES = {
    "examples": "list the built-in examples",
    "train": "train a network on a CSV or an example and save the model",
    "predict": "predictions of a model for every row of a CSV",
    "evaluate": "metrics of a model on labelled data",
    "export": "convert a model file to JSON, NPZ or ONNX",
    "sweep": "train a grid of settings in parallel and rank the runs",
    "animate": "train as train does and write a GIF or MP4 of the run learning",
}
"""Subcommand word → its one-line summary, in the order ``bpgui --help`` lists them."""

COMMAND_NAMES = tuple(COMMAND_SUMMARIES)


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line ``error: …`` on stderr and exit code 2."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"error: {message} (see '{self.prog} --help')\n")


def names(text):
    """``a,b`` → ``("a", "b")``."""
    parts = tuple(name.strip() for name in text.split(","))
    if not all(parts):
        raise argparse.ArgumentTypeError(f"expected comma-separated column names, got {text!r}")
    return parts


def words(text):
    """``?,NA`` → ``("?", "NA")``; an empty string is an empty list."""
    return tuple(word.strip() for word in text.split(",")) if text.strip() else ()


def add_version(parser):
    parser.add_argument("--version", action="version", version=f"bpgui {bpgui.__version__}")


def add_csv_arguments(parser, default_na="the default list"):
    """``--delimiter``, ``--encoding``, ``--header`` and ``--na-values`` in their own group."""
    group = parser.add_argument_group("reading the CSV")
    group.add_argument("--delimiter", metavar="X",
                       help="one character or comma, semicolon, tab, pipe, space (default: detect)")
    group.add_argument("--encoding", metavar="E", help="text encoding (default: detect)")
    group.add_argument("--header", choices=("auto", "yes", "no"), default="auto",
                       help="is the first line a header? (default: auto)")
    group.add_argument("--na-values", type=words, metavar="WORD,…",
                       help=f"words meaning missing, replacing {default_na} "
                            "(?, NA, N/A, NaN, null); empty cells are always missing")


def csv_options(args, na_values=None):
    """The :class:`bpgui.data.CsvOptions` of parsed CSV arguments (``na_values``: the
    fallback list when ``--na-values`` was not given)."""
    from bpgui.data import CsvOptions

    return CsvOptions(delimiter=args.delimiter, encoding=args.encoding, header=args.header,
                      na_values=args.na_values if args.na_values is not None else na_values)


def check_example_name(parser, name):
    """Bad usage unless ``name`` is a built-in example."""
    from bpgui.data.examples import EXAMPLES

    if name not in EXAMPLES:
        parser.error(f"unknown example {name!r} (known: {', '.join(EXAMPLES)})")
