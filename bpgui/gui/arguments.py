"""The window's command line: ``bpgui [DATA.csv --target COL[,COL] | --example NAME]``.

Plain argparse (no Qt), so bad usage is refused before Qt is imported.
"""

from __future__ import annotations

import argparse
import os

from bpgui.arguments import (COMMAND_NAMES, COMMAND_SUMMARIES, Parser, add_csv_arguments,
                             add_version, check_example_name, names)


def window_parser():
    """The parser of ``bpgui [DATA.csv --target COL | --example NAME]``."""
    commands = "\n".join(f"  {name:<10} {summary}" for name, summary in COMMAND_SUMMARIES.items())
    parser = Parser(
        prog="bpgui", allow_abbrev=False, formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="bpgui [DATA.csv --target COL[,COL] | --example NAME]\n"
              f"       bpgui {{{','.join(COMMAND_NAMES)}}} …",
        description="See backpropagation learn. Without a command, open the window "
                    "(optionally with data loaded).",
        epilog=f"commands (each has --help):\n{commands}",
    )
    parser.add_argument("data", nargs="?", metavar="DATA.csv", help="a CSV file to open")
    parser.add_argument("--target", type=names, metavar="COL[,COL]",
                        help="target column(s) (default: the last column)")
    parser.add_argument("--example", metavar="NAME", help="open a built-in example (see: bpgui examples)")
    add_csv_arguments(parser)
    add_version(parser)
    return parser


def _check_data_word(parser, word):
    """Bad usage unless ``word`` (None: none given) is an existing file."""
    if word is not None and not os.path.isfile(word):
        parser.error(f"{word!r} is neither a command ({', '.join(COMMAND_NAMES)}) nor an existing file")


def parse_window_args(argv):
    """Parse and check the window's arguments.

    Parameters
    ----------
    argv : list of str
        The arguments after the program name.

    Returns
    -------
    argparse.Namespace
        ``data`` (str or None), ``target`` (tuple of str or None), ``example`` (str or None),
        ``delimiter``, ``encoding`` (str or None), ``header`` ("auto", "yes" or "no"),
        ``na_values`` (tuple of str or None).

    Raises
    ------
    SystemExit
        Code 2 after one line ``error: …`` on stderr for bad usage, such as a word that is
        neither a command nor an existing file; code 0 after ``--help`` or ``--version``.
    """
    parser = window_parser()
    _check_data_word(parser, argv[0] if argv and not argv[0].startswith("-") else None)  # before --help
    args = parser.parse_args(argv)
    _check_data_word(parser, args.data)
    if args.data is not None and args.example is not None:
        parser.error("give either DATA.csv or --example NAME, not both")
    if args.example is not None:
        check_example_name(parser, args.example)
    return args
