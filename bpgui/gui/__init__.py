"""The bpgui window (PySide6 + pyqtgraph).

``create_main_window(argv)`` builds the window as ``bpgui ARGS…`` would, without entering the
event loop (a QApplication must exist); ``run(argv)`` is what the ``bpgui`` script calls.
Qt is imported only inside these functions, so ``import bpgui.gui`` stays cheap.
"""

from __future__ import annotations

import os
import sys

DEFAULT_EXAMPLE = "spiral"
NO_DISPLAY_MESSAGE = ("bpgui: no display found (DISPLAY / WAYLAND_DISPLAY are not set), so the "
                      "window cannot open; the command line works without one: bpgui train --help")


def has_display(environ=os.environ):
    """True when Qt can open a window: a display, or a platform chosen explicitly."""
    if sys.platform in ("win32", "darwin"):
        return True
    return any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def create_main_window(argv):
    """Build the main window for ``bpgui ARGS…`` (``argv`` without the program name).

    With no data argument a built-in example (spiral) is loaded, ready to press Start.
    A data file that cannot be read leaves the window open with the message shown.

    Returns
    -------
    bpgui.gui.main_window.MainWindow
    """
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    from bpgui.gui.arguments import parse_window_args
    from bpgui.gui.main_window import MainWindow, hook_quit

    args = parse_window_args(list(argv))
    window = MainWindow()
    hook_quit(window)
    if args.data is not None:
        _open_data(window, args)
    else:
        window.files.open_example(args.example or DEFAULT_EXAMPLE)
    return window


def _open_data(window, args):
    """Load ``DATA.csv`` with the command line's reading options and ``--target``."""
    from bpgui.data import CsvOptions, DataError, DatasetSpec

    options = CsvOptions(delimiter=args.delimiter, encoding=args.encoding, header=args.header,
                         na_values=args.na_values)
    spec = DatasetSpec(targets=tuple(args.target) if args.target else None)
    try:
        window.controller.load_csv(args.data, options, spec)
    except (DataError, ValueError) as error:
        window.files.open_example(DEFAULT_EXAMPLE)
        window.show_error(str(error))
        return
    from bpgui.gui import settings

    settings.add_recent_file(args.data)


def run(argv):
    """Open the window and run the event loop; return the exit code.

    Without a display, print one line pointing to the command line and return 2.
    """
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    from PySide6.QtWidgets import QApplication

    from bpgui.gui import settings

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setOrganizationName(settings.ORGANIZATION)
    app.setApplicationName(settings.APPLICATION)
    app.setApplicationDisplayName("bpgui")
    window = create_main_window(argv)
    window.show()
    return app.exec()
