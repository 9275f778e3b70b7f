"""Pure-NumPy backpropagation: no Qt, no pandas.

The registries (``ACTIVATIONS``, ``LOSSES``, ``OPTIMIZERS``, ``INITIALIZERS``) are keyed by the
words the user sees in the window, on the command line and in the model file.
"""

from bpgui.engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from bpgui.engine.backprop import Workspace
from bpgui.engine.initializers import INITIALIZERS
from bpgui.engine.inspector import SampleTrace, apply_trace, trace_sample
from bpgui.engine.losses import LOSSES, VALID_LOSSES, check_pair, resolve_output
from bpgui.engine.metrics import accuracy, r2_score
from bpgui.engine.network import Network
from bpgui.engine.optimizers import OPTIMIZERS, make_optimizer
from bpgui.engine.config import TrainConfig
from bpgui.engine.reports import BatchReport, EpochReport, TrainingDiverged
from bpgui.engine.training import Trainer

__all__ = [
    "ACTIVATIONS", "HIDDEN_ACTIVATIONS", "OUTPUT_ACTIVATIONS", "INITIALIZERS", "LOSSES",
    "OPTIMIZERS", "VALID_LOSSES", "BatchReport", "EpochReport", "Network", "SampleTrace",
    "TrainConfig", "Trainer", "TrainingDiverged", "Workspace", "accuracy", "apply_trace",
    "check_pair", "make_optimizer", "r2_score", "resolve_output", "trace_sample",
]
