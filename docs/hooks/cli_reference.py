"""MkDocs hook: the command line reference is generated from the argparse parsers.

A page holding the marker ``<!-- bpgui-cli-reference -->`` on a line of its own gets, in its
place, the ``--help`` text of the window's parser and of every command, exactly as
``bpgui … --help`` prints it at a width of 100 columns, so the reference can never drift from
the program.
"""

from __future__ import annotations

import argparse
import os
import re

MARKER = "<!-- bpgui-cli-reference -->"
WIDTH = "100"


def help_sections():
    """``(title, help text)`` for the window and for each command, in ``--help`` order."""
    from bpgui.cli.main import command_parser
    from bpgui.gui.arguments import window_parser

    old_columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH  # argparse wraps to the terminal's width
    try:
        sections = [("bpgui", window_parser().format_help())]
        parser = command_parser()
        subparsers = next(action for action in parser._actions
                          if isinstance(action, argparse._SubParsersAction))
        for name, sub in subparsers.choices.items():
            sections.append((f"bpgui {name}", sub.format_help()))
    finally:
        if old_columns is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old_columns
    return sections


def reference_markdown():
    """The reference as Markdown: one heading and one text block per command."""
    parts = []
    for title, text in help_sections():
        parts.append(f"## `{title}`\n\n```text\n{text.rstrip()}\n```\n")
    return "\n".join(parts)


def on_page_markdown(markdown, page, config, files):
    """Replace the marker where it stands on a line of its own (a page may mention it)."""
    pattern = re.compile(rf"^{re.escape(MARKER)}[ \t]*$", re.M)
    if not pattern.search(markdown):
        return markdown
    return pattern.sub(lambda _: reference_markdown(), markdown)
