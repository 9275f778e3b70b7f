"""The command line (DESIGN.md §4): one module per command, the entry point in :mod:`main`.

``bpgui`` (the script) and ``python -m bpgui`` call :func:`main`.
"""

from bpgui.cli.main import main

__all__ = ["main"]
