"""Real datasets shipped with bpgui as CSV files (see README.md beside them for sources).

Loaded with :mod:`importlib.resources`, so a source checkout, an installed wheel and a frozen
bundle all find them.
"""
