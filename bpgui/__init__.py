"""bpgui: see backpropagation learn."""

from bpgui._metadata import read_version

__version__ = read_version()
