"""Runs: one place from settings to a trained model, for the command line, sweeps and window.

No Qt here. :class:`RunSettings` holds every setting with the command line's words;
:func:`build_run` turns settings and a table into a network and a trainer;
:func:`training_record` describes the result in the model file. A sweep builds its runs with
:func:`grid` and trains them with :class:`Sweep` (see :mod:`bpgui.runs.sweep`).
"""

from bpgui.runs.architecture import Architecture
from bpgui.runs.grid import GRID_OPTIONS, GridOption, grid, option_text, option_value, swept_options
from bpgui.runs.build import (InitialLayers, Run, build_network, build_run, initial_layers,
                              make_trainer, run_architecture, train_run)
from bpgui.runs.presets import example_settings
from bpgui.runs.rising_loss import loss_rose, rising_loss_note
from bpgui.runs.training_record import (final_metric, final_values, kept_run_training, model_of,
                                         model_of_record, training_record)
from bpgui.runs.run_record import HISTORY_FIELDS, RunRecord, differing_settings
from bpgui.runs.settings import SETTING_NAMES, RunSettings
from bpgui.runs.sweep import BACKENDS, Sweep, SweepData, SweepResult, run_one
from bpgui.runs.ranking import best, ranked
from bpgui.runs.results import read_results, write_results

__all__ = [
    "BACKENDS", "GRID_OPTIONS", "HISTORY_FIELDS", "SETTING_NAMES", "Architecture", "GridOption",
    "InitialLayers", "Run", "RunRecord", "RunSettings", "Sweep", "SweepData", "SweepResult",
    "best", "build_network", "build_run", "differing_settings", "example_settings",
    "final_metric", "final_values", "grid", "initial_layers", "kept_run_training", "loss_rose", "make_trainer",
    "model_of", "model_of_record", "option_text", "option_value", "ranked", "read_results",
    "rising_loss_note", "run_architecture", "run_one", "swept_options", "train_run",
    "training_record", "write_results",
]
