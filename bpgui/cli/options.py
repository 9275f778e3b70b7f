"""The options of ``bpgui train`` (shared by every command that trains) and their types."""

from __future__ import annotations

import argparse

from bpgui.arguments import add_csv_arguments, names
from bpgui.engine import HIDDEN_ACTIVATIONS, INITIALIZERS, LOSSES, OPTIMIZERS, OUTPUT_ACTIVATIONS
from bpgui.engine.schedules import SCHEDULES


def hidden_sizes(text):
    """``16,8`` → ``(16, 8)``; ``""`` or ``0`` → no hidden layer."""
    if text.strip() in ("", "0"):
        return ()
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected layer sizes like 16,8, got {text!r}") from None
    if min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"every hidden layer needs at least one unit, got {text!r}")
    return sizes


def derive_list(text):
    """``x1^2,sin(x1)`` → canonical expressions (:mod:`bpgui.data.derived`); one line if bad."""
    from bpgui.data.derived import parse_derive_list

    try:
        return parse_derive_list(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def fraction(text):
    """A number in [0, 1)."""
    value = float(text)
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, got {text}")
    return value


def whole(minimum):
    """An argparse type: a whole number of at least ``minimum`` (the error names the flag)."""
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a whole number, at least {minimum}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {text}")
        return value
    parse.__name__ = f"whole number ≥ {minimum}"
    return parse


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
    data.add_argument("--derive", type=derive_list, metavar="EXPR[,EXPR…]", help="derived inputs "
                      "appended after the features: A^2, A*B, sin(A), cos(A) of numeric features")
    add_csv_arguments(parser)


def add_network_arguments(parser):
    net = parser.add_argument_group("network")
    net.add_argument("--hidden", type=hidden_sizes, metavar="16,8",
                     help='hidden layer sizes; "" or 0 for none (default: 16,8)')
    net.add_argument("--activation", choices=HIDDEN_ACTIVATIONS, help="hidden activation (default: tanh)")
    net.add_argument("--output-activation", choices=("auto", *OUTPUT_ACTIVATIONS), help="(default: auto)")
    net.add_argument("--loss", choices=("auto", *LOSSES), help="(default: auto)")
    net.add_argument("--init", choices=tuple(INITIALIZERS), help="weight initialisation (default: glorot)")
    net.add_argument("--init-weights", metavar="MODEL", help="start from the layers of a .json or .npz model")
    net.add_argument("--dtype", choices=("float32", "float64"), help="(default: float32)")


def add_fit_arguments(parser):
    fit = parser.add_argument_group("training")
    fit.add_argument("--optimizer", choices=tuple(OPTIMIZERS), help="(default: adam)")
    fit.add_argument("--lr", type=float, metavar="X", help="learning rate (default: 0.01)")
    fit.add_argument("--momentum", type=float, metavar="X", help="for momentum and nesterov (default: 0.9)")
    fit.add_argument("--beta1", type=float, metavar="X", help="for adam (default: 0.9)")
    fit.add_argument("--beta2", type=float, metavar="X", help="for adam (default: 0.999)")
    fit.add_argument("--eps", type=float, metavar="X", help="for adam and rmsprop (default: 1e-8)")
    fit.add_argument("--rho", type=float, metavar="X", help="for rmsprop (default: 0.9)")
    fit.add_argument("--schedule", choices=tuple(SCHEDULES), help="learning-rate schedule (default: constant)")
    fit.add_argument("--warmup", type=whole(0), metavar="W",
                     help="epochs of linear warm-up from lr/W to lr before the schedule (default: 0)")
    fit.add_argument("--step-size", type=whole(1), metavar="N", help="for step: epochs between drops (default: 10)")
    fit.add_argument("--gamma", type=float, metavar="G",
                     help="for step (default: 0.5) and exponential (default: 0.95): the factor")
    fit.add_argument("--min-lr", type=float, metavar="M",
                     help="for cosine (default: 0) and cyclic (default: lr/10): the lowest rate")
    fit.add_argument("--cycle", type=whole(1), metavar="N",
                     help="for cyclic: epochs from the lowest rate to lr, half a cycle (default: 10)")
    fit.add_argument("--batch-size", type=whole(1), metavar="N", help="(default: 32)")
    fit.add_argument("--epochs", type=whole(1), metavar="N", help="maximum epochs (default: 100)")
    fit.add_argument("--l1", type=float, metavar="X", help="L1 rate (default: 0)")
    fit.add_argument("--l2", type=float, metavar="X", help="L2 rate (default: 0)")
    fit.add_argument("--dropout", type=fraction, metavar="P", help="hidden dropout (default: 0)")
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
