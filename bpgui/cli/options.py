"""The options of ``bpgui train`` (shared by every command that trains); the types of the
options a sweep varies live in :mod:`bpgui.runs.grid_values`."""

from __future__ import annotations

from bpgui.arguments import add_csv_arguments, names
from bpgui.engine import INITIALIZERS, LOSSES, OUTPUT_ACTIVATIONS
from bpgui.runs.grid_values import GRID_VALUES, fraction, whole

__all__ = ["add_run_arguments", "fraction", "grid_type", "whole"]


def grid_type(name):
    """The ``type=``/``choices=`` of a grid option's flag: :data:`bpgui.runs.grid_values.GRID_VALUES`
    (the window's sweep dialog checks its fields with the same)."""
    return GRID_VALUES[name].arguments()


def add_data_arguments(parser, out_help):
    """DATA.csv or ``--example``, ``--out`` and the data choices (target, features, split…)."""
    data = parser.add_argument_group("data")
    data.add_argument("data", nargs="?", metavar="DATA.csv", help="the training data")
    data.add_argument("--example", metavar="NAME", help="a built-in example instead of a CSV; "
                      "its preset network and training settings apply unless given explicitly")
    data.add_argument("--out", required=True, metavar=out_help[0], help=out_help[1])
    data.add_argument("--target", type=names, metavar="COL[,COL]", help="target column(s) (default: the last)")
    data.add_argument("--features", type=names, metavar="A,B,…", help="feature columns (default: all others)")
    data.add_argument("--task", choices=("auto", "classification", "regression"), help="(default: auto)")
    data.add_argument("--scale", choices=("standard", "minmax", "none"), help="input scaling (default: standard)")
    data.add_argument("--val-split", type=fraction, metavar="F", help="validation fraction (default: 0.2)")
    data.add_argument("--test-split", type=fraction, metavar="F", help="held-out test fraction (default: 0)")
    data.add_argument("--missing", choices=("impute", "drop"), help="missing features (default: impute)")
    data.add_argument("--derive", **grid_type("derive"), metavar="EXPR[,EXPR…]", help="derived inputs "
                      "appended after the features: A^2, A*B, sin(A), cos(A) of numeric features")
    add_csv_arguments(parser)


def add_network_arguments(parser):
    net = parser.add_argument_group("network")
    net.add_argument("--hidden", **grid_type("hidden"), metavar="16,8",
                     help='hidden layer sizes; "" or 0 for none (default: 16,8)')
    net.add_argument("--activation", **grid_type("activation"), help="hidden activation (default: tanh)")
    net.add_argument("--output-activation", choices=("auto", *OUTPUT_ACTIVATIONS), help="(default: auto)")
    net.add_argument("--loss", choices=("auto", *LOSSES), help="(default: auto)")
    net.add_argument("--init", choices=tuple(INITIALIZERS), help="weight initialisation (default: glorot)")
    net.add_argument("--init-weights", metavar="MODEL", help="start from the layers of a .json or .npz model")
    net.add_argument("--dtype", choices=("float32", "float64"), help="(default: float32)")


def add_fit_arguments(parser):
    fit = parser.add_argument_group("training")
    fit.add_argument("--optimizer", **grid_type("optimizer"), help="(default: adam)")
    fit.add_argument("--lr", **grid_type("lr"), metavar="X", help="learning rate (default: 0.01)")
    fit.add_argument("--momentum", type=float, metavar="X", help="for momentum and nesterov (default: 0.9)")
    fit.add_argument("--beta1", type=float, metavar="X", help="for adam (default: 0.9)")
    fit.add_argument("--beta2", type=float, metavar="X", help="for adam (default: 0.999)")
    fit.add_argument("--eps", type=float, metavar="X", help="for adam and rmsprop (default: 1e-8)")
    fit.add_argument("--rho", type=float, metavar="X", help="for rmsprop (default: 0.9)")
    fit.add_argument("--schedule", **grid_type("schedule"), help="learning-rate schedule (default: constant)")
    fit.add_argument("--warmup", type=whole(0), metavar="W",
                     help="epochs of linear warm-up from lr/W to lr before the schedule (default: 0)")
    fit.add_argument("--step-size", type=whole(1), metavar="N", help="for step: epochs between drops (default: 10)")
    fit.add_argument("--gamma", type=float, metavar="G",
                     help="for step (default: 0.5) and exponential (default: 0.95): the factor")
    fit.add_argument("--min-lr", type=float, metavar="M",
                     help="for cosine (default: 0) and cyclic (default: lr/10): the lowest rate")
    fit.add_argument("--cycle", type=whole(1), metavar="N",
                     help="for cyclic: epochs from the lowest rate to lr, half a cycle (default: 10)")
    fit.add_argument("--batch-size", **grid_type("batch_size"), metavar="N", help="(default: 32)")
    fit.add_argument("--epochs", type=whole(1), metavar="N", help="maximum epochs (default: 100)")
    fit.add_argument("--l1", type=float, metavar="X", help="L1 rate (default: 0)")
    fit.add_argument("--l2", **grid_type("l2"), metavar="X", help="L2 rate (default: 0)")
    fit.add_argument("--dropout", **grid_type("dropout"), metavar="P", help="hidden dropout (default: 0)")
    fit.add_argument("--clip-norm", type=float, metavar="X", help="gradient clipping norm, 0 = off (default: 0)")
    fit.add_argument("--freeze-biases", action="store_true", default=None, help="do not train the biases")
    fit.add_argument("--no-shuffle", action="store_true", default=None, help="keep file order for the batches")
    fit.add_argument("--early-stopping", type=whole(0), metavar="PATIENCE", help="stop after this many epochs "
                     "without a better validation loss (default: off)")
    fit.add_argument("--target-loss", type=float, metavar="X", help="stop once the training loss reaches X")
    fit.add_argument("--seed", type=whole(0), metavar="N",
                     help="seed of splits, initialisation and shuffling (default: 0)")


def add_run_arguments(parser, out_help):
    """Every option of a training run: data, network and training (train's, sweep's…)."""
    add_data_arguments(parser, out_help)
    add_network_arguments(parser)
    add_fit_arguments(parser)
