"""Opening a session whose CSV is not where it was: the user is asked to locate it.

A session file names its CSV by path and by a path relative to itself
(:mod:`bpgui.io.session`), so a folder holding both opens from wherever it is copied. When
neither finds the file (it was moved or renamed apart from the session), a file dialog opens in
the session's folder, titled with the missing file; the session then opens with the file the
user picks, or, if they cancel, not at all, and the window keeps what it had.
"""

from __future__ import annotations

import os

from PySide6.QtWidgets import QFileDialog

CSV_FILTER = "CSV files (*.csv *.txt *.tsv);;All files (*)"


def missing_csv(session):
    """The session's CSV path when it names one that is not there, else None."""
    source = session.source
    if not source or session.example or session.drawing or source.startswith("example:"):
        return None
    return None if os.path.exists(source) else source


def locate_missing_csv(window, session, session_path):
    """Ask for the session's CSV when it is missing (see the module); True when the session
    can be opened (nothing was missing, or the user picked a file, now ``session.source``).

    ``window`` is the main window: its status bar says which file is missing while the
    dialog is open, and that the session was not opened if the user cancels.
    """
    missing = missing_csv(session)
    if missing is None:
        return True
    name, folder = os.path.basename(missing), os.path.dirname(os.path.abspath(session_path))
    where = os.path.dirname(missing) or "its folder"
    window.show_message(f"The session's data file {name} is not in {where}: locate it")
    chosen, _ = QFileDialog.getOpenFileName(window, f"Locate {name} (the session's data, missing from {where})",
                                            os.path.join(folder, name), CSV_FILTER)
    if not chosen:
        window.show_message(f"Session not opened: its data file {missing} is missing; the window "
                            "keeps what it had")
        return False
    session.source = os.path.abspath(chosen)
    return True
