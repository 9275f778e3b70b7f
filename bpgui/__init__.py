"""bpgui: see backpropagation learn."""

__version__ = "0.1.0"
