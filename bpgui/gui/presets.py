"""An example's preset (its tuned network and training defaults) applied to the user's settings.

No Qt. The keys are those of ``bpgui.data.examples.Example.preset``: hidden,
activation, output_activation, loss, optimizer, learning_rate, batch_size, epochs, scale,
val_split, test_split, dtype, freeze_biases, shuffle, init_layers.
"""

from __future__ import annotations

from dataclasses import replace

ARCHITECTURE_KEYS = {"output_activation": "output_activation", "loss": "loss", "dtype": "dtype"}
CONFIG_KEYS = {"optimizer": "optimizer", "learning_rate": "learning_rate",
               "batch_size": "batch_size", "epochs": "max_epochs", "shuffle": "shuffle"}
SPEC_KEYS = {"scale": "scaling", "val_split": "val_split", "test_split": "test_split"}


def _pick(preset, keys):
    return {field: preset[key] for key, field in keys.items() if key in preset}


def apply_preset(preset, architecture, config, spec):
    """Return ``(architecture, config, spec, init_layers)`` with the preset's values applied.

    ``init_layers`` is ``{"weights": [...], "biases": [...]}`` or None.
    """
    activation = preset.get("activation", architecture.activations[0] if architecture.activations else "tanh")
    hidden = tuple(preset.get("hidden", architecture.hidden))
    architecture = architecture.replace(
        hidden=hidden, activations=(activation,) * len(hidden), **_pick(preset, ARCHITECTURE_KEYS))
    changes = _pick(preset, CONFIG_KEYS)
    if "freeze_biases" in preset:
        changes["train_biases"] = not preset["freeze_biases"]
    config = config.replace(**changes)
    spec = replace(spec, **_pick(preset, SPEC_KEYS))
    return architecture, config, spec, preset.get("init_layers")
