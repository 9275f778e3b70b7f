"""Runs: one place from settings to a trained model, for the command line, sweeps and window.

No Qt here. :class:`RunSettings` holds every setting with the command line's words;
:func:`build_run` turns settings and a table into a network and a trainer;
:func:`training_record` describes the result in the model file.
"""

from bpgui.runs.architecture import Architecture
from bpgui.runs.build import (InitialLayers, Run, build_network, build_run, initial_layers,
                              make_trainer, run_architecture, train_run)
from bpgui.runs.presets import example_settings
from bpgui.runs.rising_loss import loss_rose, rising_loss_note
from bpgui.runs.training_record import final_metric, final_values, model_of, training_record
from bpgui.runs.run_record import HISTORY_FIELDS, RunRecord, differing_settings
from bpgui.runs.settings import SETTING_NAMES, RunSettings

__all__ = [
    "HISTORY_FIELDS", "SETTING_NAMES", "Architecture", "InitialLayers", "Run", "RunRecord",
    "RunSettings", "build_network", "build_run", "differing_settings", "example_settings", "final_metric", "final_values", "initial_layers",
    "loss_rose", "make_trainer", "model_of", "rising_loss_note", "run_architecture", "train_run",
    "training_record",
]
