"""How large a model or session file bpgui reads: larger ones are refused before they are
unpacked or parsed, so a file claiming a billion weights costs a few milliseconds, not the
memory it claims (docs/reliability.md lists the limits and the time to refuse).

The numbers leave room for any network this NumPy engine trains in reasonable time: 20
million weights and biases is, say, a 784-2000-2000-2000-10 network five times over; as float32
that is an 80 MB NPZ file, as JSON about 560 MB of text.
"""

from __future__ import annotations

MAX_FILE_BYTES = 1 << 30
"""A model (JSON or NPZ) or session file: at most 1 GiB."""

MAX_PARAMETERS = 20_000_000
"""Weights and biases of one network (a session holds two: current and initial)."""

MAX_LAYERS = 1_000
"""Layers of one network."""

MAX_NPZ_MEMBERS = 2 * MAX_LAYERS + 1
"""Arrays in a model NPZ: W and b per layer and ``meta``."""

MAX_META_CHARS = 16_000_000
"""Characters of an NPZ model's ``meta`` JSON text."""


def describe(count):
    """``20,000,000`` for messages."""
    return f"{count:,}"
