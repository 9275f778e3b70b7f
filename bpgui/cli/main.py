"""The command line's entry point: ``bpgui`` opens the window; subcommands work headless.

::

    bpgui [DATA.csv --target COL | --example NAME]     the window
    bpgui examples | train | predict | evaluate | export | animate

Exit code 0 on success and 2 on bad usage or bad input, which is told in exactly one line
``error: …`` on stderr (argparse's usage errors included), never a traceback. Qt is imported
only when the window opens; each command's module (and what it needs) is imported only when
that command runs, so ``bpgui --help`` and ``bpgui --version`` stay quick.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys

from bpgui.arguments import COMMAND_SUMMARIES, EXIT_OK, EXIT_USAGE, Parser, add_version


def command_module(name):
    """The module of subcommand ``name``: ``add_arguments(parser)`` and ``run(args)``."""
    return importlib.import_module(f"bpgui.cli.{name}")


def command_parser():
    """The parser of ``bpgui COMMAND …``, one subparser per command."""
    parser = Parser(prog="bpgui", allow_abbrev=False)
    add_version(parser)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, summary in COMMAND_SUMMARIES.items():
        module = command_module(name)
        sub = subparsers.add_parser(name, help=summary, description=summary, allow_abbrev=False)
        module.add_arguments(sub)
        sub.set_defaults(handler=module.run)
    return parser


def main(argv=None):
    """Run the command line; return the exit code (0 success, 2 bad usage or input)."""
    from bpgui.gui.arguments import parse_window_args

    argv = list(sys.argv[1:] if argv is None else argv)
    _tolerant_console()
    try:
        if argv and argv[0] in COMMAND_SUMMARIES:
            args = command_parser().parse_args(argv)
            return run_handler(args.handler, args)
        parse_window_args(argv)
    except SystemExit as exit_:
        return _exit_code(exit_)
    from bpgui.gui import run

    return run(argv)


def run_handler(handler, args):
    """Run a subcommand, turning every expected failure into one ``error:`` line."""
    from bpgui.engine import TrainingDiverged

    try:
        return handler(args)
    except (ValueError, TrainingDiverged) as error:  # DataError, ModelFileError, bad settings
        return fail(str(error))
    except BrokenPipeError as error:
        if error.filename:  # an output file (a FIFO) whose reader left, not our stdout
            return fail(os_message(error))
        _silence_stdout()
        return EXIT_OK
    except OSError as error:
        return fail(os_message(error))
    except KeyboardInterrupt:
        return fail("interrupted")
    except MemoryError:
        return fail("out of memory; try a smaller network, a smaller batch or less data")


def fail(message):
    """Print ``error: message`` as one line on stderr; return exit code 2."""
    line = " ".join(str(message).split())
    print(f"error: {line}", file=sys.stderr)
    return EXIT_USAGE


def os_message(error):
    """An OSError in words: ``PATH: reason``."""
    from bpgui.io.atomic import describe_os_error

    return describe_os_error(error)


def _tolerant_console():
    """A console that cannot show a character (a class label, a file name) shows an escape
    instead of failing the command."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")


def _exit_code(exit_):
    if exit_.code is None:
        return EXIT_OK
    return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE


def _silence_stdout():
    """After a closed pipe (``bpgui predict … | head``), let the interpreter exit quietly."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
