"""The network of a run: hidden layers, activations, output pairing, initialisation.

Plain data (no Qt): the window's network editor edits an :class:`Architecture`, and
:func:`bpgui.runs.build_network` builds a :class:`bpgui.engine.Network` from it for the loaded
data, whose input and output sizes always follow the data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from bpgui.engine import resolve_output


@dataclass(frozen=True)
class Architecture:
    """Hidden layer sizes and activations, the output pairing and the initialisation.

    ``output_activation`` and ``loss`` may be ``"auto"`` (chosen from the task, as the
    command line does); explicit choices are checked against the valid pairs.
    """

    hidden: tuple[int, ...] = (8, 8)
    activations: tuple[str, ...] = ("tanh", "tanh")
    output_activation: str = "auto"
    loss: str = "auto"
    init: str = "glorot"
    init_range: float = 0.5
    dtype: str = "float32"

    def __post_init__(self):
        if len(self.hidden) != len(self.activations):
            raise ValueError("one activation per hidden layer is needed")
        if any(int(n) < 1 for n in self.hidden):
            raise ValueError("every hidden layer needs at least one neuron")

    def replace(self, **changes):
        return replace(self, **changes)

    def with_hidden(self, hidden, activations):
        return replace(self, hidden=tuple(int(n) for n in hidden), activations=tuple(activations))

    def to_dict(self):
        values = asdict(self)
        values["hidden"] = list(self.hidden)
        values["activations"] = list(self.activations)
        return values

    @classmethod
    def from_dict(cls, values):
        known = {f.name for f in fields(cls)}
        kept = {k: v for k, v in values.items() if k in known}
        for key in ("hidden", "activations"):
            if key in kept:
                kept[key] = tuple(kept[key])
        return cls(**kept)

    def resolve(self, data):
        """Return ``(sizes, activations, loss)`` of the network for ``data`` (PreparedData)."""
        n_classes = len(data.classes) if data.classes is not None else 0
        units, output_activation, loss = resolve_output(
            data.task, n_classes, len(data.target_names), self.output_activation, self.loss)
        sizes = (data.n_inputs, *self.hidden, units)
        return sizes, (*self.activations, output_activation), loss

