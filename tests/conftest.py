"""Suite-wide set-up: Qt must never need a display (QT-NOTES.md)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
