"""A built-in example's settings: its data choices and the preset that trains it well.

An example (:data:`bpgui.data.EXAMPLES`) holds a :class:`~bpgui.data.DatasetSpec` (its target,
features, task…) and a ``preset`` keyed by :class:`RunSettings` field names, plus
``init_layers`` for an exact start (the classic 2-2-2). The command line and the window apply
both through :func:`example_settings`.
"""

from __future__ import annotations

SPEC_SETTINGS = {"targets": "target", "features": "features", "task": "task",
                 "scaling": "scale", "val_split": "val_split", "test_split": "test_split",
                 "missing": "missing"}
"""DatasetSpec field → RunSettings field."""


def example_settings(example, base):
    """``base`` with the example's data choices and preset applied.

    Parameters
    ----------
    example : bpgui.data.Example
    base : RunSettings

    Returns
    -------
    settings : RunSettings
    preset_layers : dict or None
        ``{"weights", "biases"}`` to start from, or None.
    """
    spec = example.spec
    changes = {name: getattr(spec, field) for field, name in SPEC_SETTINGS.items()}
    preset = dict(example.preset)
    preset_layers = preset.pop("init_layers", None)
    changes.update(preset)
    if "hidden" in preset and "activations" not in preset:
        changes["activations"] = None  # the preset's activation holds for every layer
    return base.replace(**changes), preset_layers
