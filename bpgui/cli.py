"""The command line (DESIGN.md §4): ``bpgui`` opens the window; subcommands work headless.

::

    bpgui [DATA.csv --target COL | --example NAME]     the window
    bpgui examples | train | predict | evaluate | export

Exit code 0 on success and 2 on bad usage or bad input, which is told in exactly one line
``error: …`` on stderr (argparse's usage errors included), never a traceback. Qt is imported
only when the window opens; the data and model layers are imported by the subcommands that
need them, so ``bpgui --help`` and ``bpgui --version`` stay quick.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import math
import os
import sys
import time

import bpgui
from bpgui.engine import HIDDEN_ACTIVATIONS, INITIALIZERS, LOSSES, OPTIMIZERS, OUTPUT_ACTIVATIONS

EXIT_OK = 0
EXIT_USAGE = 2

TRAIN_DEFAULTS = {
    "target": None, "features": None, "task": "auto",
    "hidden": (16, 8), "activation": "tanh", "output_activation": "auto", "loss": "auto",
    "optimizer": "adam", "lr": 0.01, "momentum": 0.9, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
    "rho": 0.9, "batch_size": 32, "epochs": 100, "l1": 0.0, "l2": 0.0, "dropout": 0.0,
    "clip_norm": 0.0, "init": "glorot", "init_weights": None, "freeze_biases": False,
    "scale": "standard", "val_split": 0.2, "test_split": 0.0, "no_shuffle": False,
    "early_stopping": 0, "target_loss": None, "seed": 0, "dtype": "float32", "missing": "impute",
}
"""``bpgui train`` defaults by argparse destination; the flags themselves default to None so
an example's preset can fill in whatever the user did not give explicitly."""

PRESET_FLAGS = {
    "hidden": ("hidden", tuple), "activation": ("activation", str),
    "output_activation": ("output_activation", str), "loss": ("loss", str),
    "optimizer": ("optimizer", str), "learning_rate": ("lr", float),
    "batch_size": ("batch_size", int), "epochs": ("epochs", int), "scale": ("scale", str),
    "val_split": ("val_split", float), "test_split": ("test_split", float),
    "dtype": ("dtype", str), "freeze_biases": ("freeze_biases", bool),
    "shuffle": ("no_shuffle", lambda shuffle: not shuffle),
}
"""Example preset key → (train flag destination, conversion)."""

SPEC_FLAGS = {"task": "task", "scaling": "scale", "val_split": "val_split",
              "test_split": "test_split", "missing": "missing"}
"""DatasetSpec field → train flag destination, for an example's own data settings."""


# -- parsers ----------------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line ``error: …`` on stderr and exit code 2."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"error: {message} (see '{self.prog} --help')\n")


def _names(text):
    """``a,b`` → ``("a", "b")``."""
    names = tuple(name.strip() for name in text.split(","))
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected comma-separated column names, got {text!r}")
    return names


def _words(text):
    """``?,NA`` → ``("?", "NA")``; an empty string is an empty list."""
    return tuple(word.strip() for word in text.split(",")) if text.strip() else ()


def _hidden(text):
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


def _fraction(text):
    value = float(text)
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, got {text}")
    return value


_fraction.__name__ = "fraction"


def _whole(minimum):
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


_seed = _whole(0)


def _add_csv_arguments(parser, default_na="the default list"):
    group = parser.add_argument_group("reading the CSV")
    group.add_argument("--delimiter", metavar="X",
                       help="one character or comma, semicolon, tab, pipe, space (default: detect)")
    group.add_argument("--encoding", metavar="E", help="text encoding (default: detect)")
    group.add_argument("--header", choices=("auto", "yes", "no"), default="auto",
                       help="is the first line a header? (default: auto)")
    group.add_argument("--na-values", type=_words, metavar="WORD,…",
                       help=f"words meaning missing, replacing {default_na} "
                            "(?, NA, N/A, NaN, null); empty cells are always missing")


def window_parser():
    """The parser of ``bpgui [DATA.csv --target COL | --example NAME]``."""
    parser = _Parser(
        prog="bpgui", allow_abbrev=False, formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="bpgui [DATA.csv --target COL[,COL] | --example NAME]\n"
              "       bpgui {examples,train,predict,evaluate,export} …",
        description="See backpropagation learn. Without a command, open the window "
                    "(optionally with data loaded).",
        epilog="commands (each has --help):\n"
               "  examples   list the built-in examples\n"
               "  train      train a network on a CSV or an example and save the model\n"
               "  predict    predictions of a model for every row of a CSV\n"
               "  evaluate   metrics of a model on labelled data\n"
               "  export     convert a model file to JSON, NPZ or ONNX",
    )
    parser.add_argument("data", nargs="?", metavar="DATA.csv", help="a CSV file to open")
    parser.add_argument("--target", type=_names, metavar="COL[,COL]",
                        help="target column(s) (default: the last column)")
    parser.add_argument("--example", metavar="NAME", help="open a built-in example (see: bpgui examples)")
    _add_csv_arguments(parser)
    parser.add_argument("--version", action="version", version=f"bpgui {bpgui.__version__}")
    return parser


def _check_data_word(parser, word):
    """Bad usage unless ``word`` (None: none given) is an existing file."""
    if word is not None and not os.path.isfile(word):
        parser.error(f"{word!r} is neither a command ({', '.join(COMMANDS)}) nor an existing file")


def parse_window_args(argv):
    """Parse and check the window's arguments (the GUI calls this too).

    Parameters
    ----------
    argv : list of str
        The arguments after the program name.

    Returns
    -------
    argparse.Namespace
        ``data`` (str or None), ``target`` (tuple of str or None), ``example`` (str or None),
        ``delimiter``, ``encoding`` (str or None), ``header`` ("auto", "yes" or "no"),
        ``na_values`` (tuple of str or None).

    Raises
    ------
    SystemExit
        Code 2 after one line ``error: …`` on stderr for bad usage, such as a word that is
        neither a command nor an existing file; code 0 after ``--help`` or ``--version``.
    """
    parser = window_parser()
    _check_data_word(parser, argv[0] if argv and not argv[0].startswith("-") else None)  # before --help
    args = parser.parse_args(argv)
    _check_data_word(parser, args.data)
    if args.data is not None and args.example is not None:
        parser.error("give either DATA.csv or --example NAME, not both")
    if args.example is not None:
        _check_example_name(parser, args.example)
    return args


def _check_example_name(parser, name):
    from bpgui.data.examples import EXAMPLES

    if name not in EXAMPLES:
        parser.error(f"unknown example {name!r} (known: {', '.join(EXAMPLES)})")


def command_parser():
    """The parser of ``bpgui COMMAND …`` with one subparser per entry of :data:`COMMANDS`."""
    parser = _Parser(prog="bpgui", allow_abbrev=False)
    parser.add_argument("--version", action="version", version=f"bpgui {bpgui.__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (add_arguments, handler, summary) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=summary, description=summary, allow_abbrev=False)
        add_arguments(sub)
        sub.set_defaults(handler=handler)
    return parser


def _add_examples_arguments(parser):
    pass


def _add_train_arguments(parser):
    data = parser.add_argument_group("data")
    data.add_argument("data", nargs="?", metavar="DATA.csv", help="the training data")
    data.add_argument("--example", metavar="NAME", help="a built-in example instead of a CSV; "
                      "its preset network and training settings apply unless given explicitly")
    data.add_argument("--out", required=True, metavar="MODEL", help="model file to write: .json, .npz or .onnx")
    data.add_argument("--target", type=_names, metavar="COL[,COL]", help="target column(s) (default: the last)")
    data.add_argument("--features", type=_names, metavar="A,B,…", help="feature columns (default: all others)")
    data.add_argument("--task", choices=("auto", "classification", "regression"), help="(default: auto)")
    data.add_argument("--scale", choices=("standard", "minmax", "none"), help="input scaling (default: standard)")
    data.add_argument("--val-split", type=_fraction, metavar="F", help="validation fraction (default: 0.2)")
    data.add_argument("--test-split", type=_fraction, metavar="F", help="held-out test fraction (default: 0)")
    data.add_argument("--missing", choices=("impute", "drop"), help="missing features (default: impute)")
    _add_csv_arguments(parser)
    net = parser.add_argument_group("network")
    net.add_argument("--hidden", type=_hidden, metavar="16,8", help='hidden layer sizes; "" or 0 for none (default: 16,8)')
    net.add_argument("--activation", choices=HIDDEN_ACTIVATIONS, help="hidden activation (default: tanh)")
    net.add_argument("--output-activation", choices=("auto", *OUTPUT_ACTIVATIONS), help="(default: auto)")
    net.add_argument("--loss", choices=("auto", *LOSSES), help="(default: auto)")
    net.add_argument("--init", choices=tuple(INITIALIZERS), help="weight initialisation (default: glorot)")
    net.add_argument("--init-weights", metavar="MODEL", help="start from the layers of a .json or .npz model")
    net.add_argument("--dtype", choices=("float32", "float64"), help="(default: float32)")
    fit = parser.add_argument_group("training")
    fit.add_argument("--optimizer", choices=tuple(OPTIMIZERS), help="(default: adam)")
    fit.add_argument("--lr", type=float, metavar="X", help="learning rate (default: 0.01)")
    fit.add_argument("--momentum", type=float, metavar="X", help="for momentum and nesterov (default: 0.9)")
    fit.add_argument("--beta1", type=float, metavar="X", help="for adam (default: 0.9)")
    fit.add_argument("--beta2", type=float, metavar="X", help="for adam (default: 0.999)")
    fit.add_argument("--eps", type=float, metavar="X", help="for adam and rmsprop (default: 1e-8)")
    fit.add_argument("--rho", type=float, metavar="X", help="for rmsprop (default: 0.9)")
    fit.add_argument("--batch-size", type=_whole(1), metavar="N", help="(default: 32)")
    fit.add_argument("--epochs", type=_whole(1), metavar="N", help="maximum epochs (default: 100)")
    fit.add_argument("--l1", type=float, metavar="X", help="L1 rate (default: 0)")
    fit.add_argument("--l2", type=float, metavar="X", help="L2 rate (default: 0)")
    fit.add_argument("--dropout", type=_fraction, metavar="P", help="hidden dropout (default: 0)")
    fit.add_argument("--clip-norm", type=float, metavar="X", help="gradient clipping norm, 0 = off (default: 0)")
    fit.add_argument("--freeze-biases", action="store_true", default=None, help="do not train the biases")
    fit.add_argument("--no-shuffle", action="store_true", default=None, help="keep file order for the batches")
    fit.add_argument("--early-stopping", type=_whole(0), metavar="PATIENCE", help="stop after this many epochs "
                     "without a better validation loss (default: off)")
    fit.add_argument("--target-loss", type=float, metavar="X", help="stop once the training loss reaches X")
    fit.add_argument("--seed", type=_seed, metavar="N", help="seed of splits, initialisation and shuffling (default: 0)")
    out = parser.add_argument_group("output")
    out.add_argument("--log", metavar="HISTORY.csv", help="write the loss and metric of every epoch")
    out.add_argument("--quiet", action="store_true", help="no progress bar")


def _add_predict_arguments(parser):
    parser.add_argument("model", metavar="MODEL", help="a .json or .npz model file")
    parser.add_argument("data", metavar="DATA.csv")
    parser.add_argument("--out", metavar="PRED.csv", help="write here instead of stdout")
    _add_csv_arguments(parser, default_na="the model's list")


def _add_evaluate_arguments(parser):
    parser.add_argument("model", metavar="MODEL", help="a .json or .npz model file")
    parser.add_argument("data", metavar="DATA.csv", help="data with the target column(s)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    _add_csv_arguments(parser, default_na="the model's list")


def _add_export_arguments(parser):
    parser.add_argument("model", metavar="MODEL", help="a .json or .npz model file")
    parser.add_argument("out", metavar="OUT", help="the file to write: .json, .npz or .onnx")


# -- main -------------------------------------------------------------------------------------

def main(argv=None):
    """Run the command line; return the exit code (0 success, 2 bad usage or input)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _tolerant_console()
    try:
        if argv and argv[0] in COMMANDS:
            args = command_parser().parse_args(argv)
            return _run(args.handler, args)
        parse_window_args(argv)
    except SystemExit as exit_:
        return _exit_code(exit_)
    from bpgui.gui import run

    return run(argv)


def _tolerant_console():
    """A console that cannot show a character (a class label, a file name) shows an escape
    instead of failing the command."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")


def _exit_code(exit_):
    if exit_.code is None:
        return EXIT_OK
    return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE


def _run(handler, args):
    """Run a subcommand, turning every expected failure into one ``error:`` line."""
    from bpgui.engine import TrainingDiverged

    try:
        return handler(args)
    except (ValueError, TrainingDiverged) as error:  # DataError, ModelFileError, bad settings
        return fail(str(error))
    except BrokenPipeError as error:
        if error.filename:  # an output file (a FIFO) whose reader left, not our stdout
            return fail(_os_message(error))
        _silence_stdout()
        return EXIT_OK
    except OSError as error:
        return fail(_os_message(error))
    except KeyboardInterrupt:
        return fail("interrupted")
    except MemoryError:
        return fail("out of memory; try a smaller network, a smaller batch or less data")


def fail(message):
    """Print ``error: message`` as one line on stderr; return exit code 2."""
    line = " ".join(str(message).split())
    print(f"error: {line}", file=sys.stderr)
    return EXIT_USAGE


def _os_message(error):
    from bpgui.io.atomic import describe_os_error

    return describe_os_error(error)


def _silence_stdout():
    """After a closed pipe (``bpgui predict … | head``), let the interpreter exit quietly."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _csv_options(args, na_values=None):
    from bpgui.data import CsvOptions

    return CsvOptions(delimiter=args.delimiter, encoding=args.encoding, header=args.header,
                      na_values=args.na_values if args.na_values is not None else na_values)


# -- examples, export -------------------------------------------------------------------------

def run_examples(args):
    from bpgui.data.examples import EXAMPLES

    for name, example in EXAMPLES.items():
        print(f"{name}  {example.description}")  # exactly the contract's `name  description`
    return EXIT_OK


def run_export(args):
    from bpgui.io.model import load_model, model_suffix, save_model

    model_suffix(args.out)
    save_model(load_model(args.model), args.out)
    print(f"wrote {args.out}")
    return EXIT_OK


# -- predict, evaluate ------------------------------------------------------------------------

def run_predict(args):
    from bpgui.data import read_csv
    from bpgui.io.model import load_model
    from bpgui.io.predictions import predictions_csv_text, write_predictions

    model = load_model(args.model)
    table = read_csv(args.data, _csv_options(args, tuple(model.preprocessor.na_values)))
    result = model.predict(table)
    if args.out:
        write_predictions(result, args.out)
        print(f"wrote {result.n_rows} predictions to {args.out}")
    else:
        write_utf8(sys.stdout, predictions_csv_text(result))
    return EXIT_OK


def write_utf8(stream, text):
    """Write ``text`` to a text stream as UTF-8 bytes, whatever the console's encoding, so the
    predictions on stdout are the same bytes as the file ``--out`` writes."""
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()


def run_evaluate(args):
    from bpgui.data import read_csv
    from bpgui.io.evaluation import evaluate_model, evaluation_table
    from bpgui.io.model import load_model

    model = load_model(args.model)
    table = read_csv(args.data, _csv_options(args, tuple(model.preprocessor.na_values)))
    evaluation = evaluate_model(model, table)
    if args.json:
        print(json.dumps(evaluation.metrics, allow_nan=False))
    else:
        print(evaluation_table(evaluation, model, args.model, args.data))
    return EXIT_OK


# -- train ------------------------------------------------------------------------------------

def run_train(args):
    from bpgui.data.dataset import prepare
    from bpgui.io.model import Model, save_model

    settings, preset = train_settings(args)
    _check_writable(args.out, args.log)
    table, spec = training_data(args, settings)
    data = prepare(table, spec)
    if not args.quiet:
        print_notes(table, spec, data)
    network, loss = build_network(data, settings, preset)
    config = train_config(settings)
    reports, trainer = train(network, loss, data, config, quiet=args.quiet)
    model = Model(network, loss, data.task, data.preprocessor,
                  training_record(settings, network, config, trainer, reports))
    if args.log:
        write_history(args.log, reports)
    save_model(model, args.out)
    print(summary_line(reports, trainer, data, args.out))
    return EXIT_OK


def train_settings(args):
    """Every train setting by flag destination: explicit flag > example preset > default.

    Returns
    -------
    settings : dict
    preset : dict
        The example's preset (empty without ``--example``).
    """
    if (args.data is None) == (args.example is None):
        raise ValueError("give a DATA.csv or --example NAME (one of them)")
    settings, preset = dict(TRAIN_DEFAULTS), {}
    if args.example is not None:
        example = _example(args.example)
        preset = dict(example.preset)
        for spec_field, dest in SPEC_FLAGS.items():
            settings[dest] = getattr(example.spec, spec_field)
        for key, value in preset.items():
            if key in PRESET_FLAGS:
                dest, convert = PRESET_FLAGS[key]
                settings[dest] = convert(value)
    for dest in TRAIN_DEFAULTS:
        value = getattr(args, dest)
        if value is not None:
            settings[dest] = value
    settings["explicit"] = {dest for dest in TRAIN_DEFAULTS if getattr(args, dest) is not None}
    return settings, preset


def _example(name):
    from bpgui.data.examples import EXAMPLES

    if name not in EXAMPLES:
        raise ValueError(f"unknown example {name!r} (known: {', '.join(EXAMPLES)})")
    return EXAMPLES[name]


def _check_writable(out, log):
    """Refuse before training what could only fail after it: a wrong extension, no folder, a
    folder as the file, a folder without write permission (a device, FIFO or link is fine)."""
    from bpgui.io.atomic import check_writable
    from bpgui.io.model import model_suffix

    model_suffix(out)
    for path in (out, log):
        if path is not None:
            check_writable(path)


def print_notes(table, spec, data):
    """``note:`` lines on stderr for what trains as asked but is rarely meant: a feature that
    looks like an identifier (``bpgui.data.identifier_like``), a validation split left empty."""
    from bpgui.data import identifier_like

    for name, (n_values, n_cells) in identifier_like(table, data.preprocessor.feature_names).items():
        print(f'note: feature "{name}" has {n_values} different values in {n_cells} rows, '
              f"one input each: an identifier? Leave it out with --features", file=sys.stderr)
    if spec.val_split > 0 and len(data.X_val) == 0:
        why = "each class keeps its only row for training" if data.task == "classification" else "too few rows"
        print(f"note: no rows could be held out for validation (--val-split {spec.val_split:g}): {why}",
              file=sys.stderr)


def training_data(args, settings):
    """The table to train on and the DatasetSpec from the settings.

    Returns
    -------
    table : Table
    spec : DatasetSpec
    """
    from bpgui.data import read_csv
    from bpgui.data.dataset import DatasetSpec
    from bpgui.data.examples import load_example

    if args.example is not None:
        example = _example(args.example)
        table, spec = load_example(args.example), example.spec
    else:
        table, spec = read_csv(args.data, _csv_options(args)), DatasetSpec()
    changes = {field: settings[dest] for field, dest in SPEC_FLAGS.items()}
    changes["seed"] = settings["seed"]
    if settings["target"] is not None:
        changes["targets"] = tuple(settings["target"])
    if settings["features"] is not None:
        changes["features"] = tuple(settings["features"])
    return table, dataclasses.replace(spec, **changes)


def build_network(data, settings, preset):
    """The network to train and its loss, from the settings, the data and any initial layers.

    ``--init-weights`` (or an example's preset layers) gives the starting weights; its
    architecture (layer sizes and each layer's activation) wins when ``--hidden`` is not given
    explicitly; ``--activation`` and ``--output-activation`` given explicitly still apply.

    Returns
    -------
    network : Network
    loss : str
    """
    from bpgui.engine import Network, resolve_output

    explicit = settings["explicit"]
    hidden = tuple(settings["hidden"])
    hidden_activations = (settings["activation"],) * len(hidden)
    output_activation = settings["output_activation"]
    layers, layers_source = _initial_layers(settings, preset)
    if layers is not None:
        weights, _, file_activations = layers
        if "hidden" not in explicit:
            hidden = tuple(W.shape[1] for W in weights[:-1])
        hidden_activations = (settings["activation"],) * len(hidden)
        if "activation" not in explicit and len(file_activations) == len(hidden) + 1:
            hidden_activations = tuple(file_activations[:-1])  # the file's, layer by layer
        if "output_activation" not in explicit:
            output_activation = file_activations[-1]
    n_classes = len(data.classes) if data.task == "classification" else 0
    units, output_activation, loss = resolve_output(
        data.task, n_classes, len(data.target_names), output_activation, settings["loss"])
    sizes = (data.n_inputs, *hidden, units)
    activations = hidden_activations + (output_activation,)
    network = Network.create(sizes, activations, settings["init"], settings["seed"], dtype=settings["dtype"])
    if layers is not None:
        try:
            network.set_layers(layers[0], layers[1])
        except ValueError as error:
            raise ValueError(f"{layers_source}: its layers do not fit the network "
                             f"{network.describe()} ({error})") from None
    return network, loss


def _initial_layers(settings, preset):
    """``(weights, biases, activations)`` and where they come from, or ``(None, None)``."""
    import numpy as np

    from bpgui.io.model import load_layers

    if settings["init_weights"] is not None:
        return load_layers(settings["init_weights"]), settings["init_weights"]
    init = preset.get("init_layers")
    if init is None or "hidden" in settings["explicit"]:
        return None, None
    weights = [np.asarray(W, float) for W in init["weights"]]
    activations = [preset.get("activation", "tanh")] * (len(weights) - 1)
    activations.append(preset.get("output_activation", "auto"))
    return (weights, [np.asarray(b, float) for b in init["biases"]], activations), "the example's preset"


def train_config(settings):
    from bpgui.engine import TrainConfig

    return TrainConfig(
        learning_rate=settings["lr"], optimizer=settings["optimizer"], momentum=settings["momentum"],
        beta1=settings["beta1"], beta2=settings["beta2"], eps=settings["eps"], rho=settings["rho"],
        batch_size=settings["batch_size"], max_epochs=settings["epochs"], l1=settings["l1"],
        l2=settings["l2"], dropout=settings["dropout"], clip_norm=settings["clip_norm"],
        train_biases=not settings["freeze_biases"], shuffle=not settings["no_shuffle"],
        seed=settings["seed"], target_loss=settings["target_loss"],
        early_stopping=settings["early_stopping"],
    ).validate()


def train(network, loss, data, config, quiet=False):
    """Train ``network`` in place; return the epoch reports and the trainer.

    Raises
    ------
    TrainingDiverged
        With the engine's message (the caller writes no file then).
    """
    from bpgui.engine import Trainer

    Y_train, Y_val, _ = data.targets_for(network.n_outputs)
    trainer = Trainer(network, loss, data.X_train, Y_train, config,
                      X_val=data.X_val, Y_val=Y_val, task=data.task, diagnostics="never")
    progress = ProgressBar(config.max_epochs, sys.stderr, enabled=not quiet)
    reports, succeeded = [], False
    try:
        for report in trainer.epochs():
            reports.append(report)
            progress.update(report)
        succeeded = True
    finally:
        progress.close(succeeded)
    return reports, trainer


class ProgressBar:
    """Training progress on ``stream`` (stderr), one line that never outlives a failure.

    On a terminal the line is redrawn in place with ``\\r`` at most every ``interval``
    seconds and wiped if training fails, so an error leaves exactly one line: ``error: …``.
    Elsewhere (a pipe, a log file) a complete line is written at most every
    ``pipe_interval`` seconds and once more at the end of a successful run, never a
    half-drawn one.
    """

    def __init__(self, total, stream, enabled=True, interval=0.1, pipe_interval=30.0, width=30):
        self.total, self.stream, self.enabled = int(total), stream, enabled
        self.live = enabled and _is_terminal(stream)
        self.interval = interval if self.live else pipe_interval
        self.width = width
        self._last_draw = time.monotonic() if enabled and not self.live else -math.inf
        self._drawn_width = 0
        self._last_text = None

    def update(self, report):
        """Show ``report`` (an EpochReport) if it is time to draw again."""
        if not self.enabled:
            return
        self._last_text = self._text(report)
        now = time.monotonic()
        if now - self._last_draw < self.interval and not (self.live and report.epoch >= self.total):
            return
        self._last_draw = now
        self._draw(self._last_text)

    def close(self, succeeded=True):
        """End the bar: keep its last line after success, leave nothing behind after failure."""
        if not self.enabled:
            return
        if self.live and self._drawn_width:
            if succeeded:
                self._draw(self._last_text)
                self.stream.write("\n")
            else:
                self.stream.write("\r" + " " * self._drawn_width + "\r")
        elif not self.live and succeeded and self._last_text is not None:
            self.stream.write(self._last_text + "\n")
        self.stream.flush()
        self._drawn_width = 0

    def _text(self, report):
        done = min(report.epoch / self.total, 1.0) if self.total else 1.0
        filled = int(round(done * self.width))
        bar = "#" * filled + "." * (self.width - filled)
        text = f"epoch {report.epoch}/{self.total} [{bar}] train_loss {report.train_loss:.6g}"
        if report.val_loss is not None:
            text += f" val_loss {report.val_loss:.6g}"
        return text

    def _draw(self, text):
        if self.live:
            self.stream.write("\r" + text.ljust(self._drawn_width))
            self._drawn_width = max(self._drawn_width, len(text))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def training_record(settings, network, config, trainer, reports):
    """The model file's ``training`` object: epochs, seed, every hyperparameter, final values."""
    last = reports[-1]
    hyperparameters = dict(config.to_dict())
    hyperparameters.update({
        "hidden": list(network.sizes[1:-1]),
        "activation": settings["activation"] if len(network.sizes) < 3 else network.activations[0],
        "output_activation": network.output_activation,
        "init": settings["init"],
        "init_weights": settings["init_weights"],
        "dtype": str(network.dtype),
        "scale": settings["scale"],
        "val_split": settings["val_split"],
        "test_split": settings["test_split"],
        "missing": settings["missing"],
    })
    return {
        "epochs_run": int(trainer.epoch),
        "seed": int(settings["seed"]),
        "hyperparameters": hyperparameters,
        "final": {"train_loss": last.train_loss, "val_loss": last.val_loss, "metric": final_metric(last)},
    }


def final_metric(report):
    """The run's metric: validation whenever there is a validation split (None where it does
    not exist, as R² of one row), training otherwise."""
    return report.train_metric if report.val_loss is None else report.val_metric


def write_history(path, reports):
    """Write ``--log``: one row per epoch, epochs from 1, empty where a value does not exist."""
    from bpgui.io.atomic import atomic_write_text
    from bpgui.io.history_csv import HISTORY_COLUMNS, history_csv_text

    rows = ([getattr(report, column) for column in HISTORY_COLUMNS] for report in reports)
    atomic_write_text(path, history_csv_text(rows))


def summary_line(reports, trainer, data, out):
    """The one line ``bpgui train`` ends with on stdout."""
    last = reports[-1]
    metric_name = last.metric_name
    which = "train" if last.val_loss is None else "val"
    parts = [f"train_loss {_short_number(last.train_loss)}",
             f"val_loss {_short_number(last.val_loss)}",
             f"{which}_{metric_name} {_short_number(final_metric(last))}"]
    if len(data.X_test):
        Y_test = data.targets_for(trainer.network.n_outputs)[2]
        test_loss, test_metric = trainer.evaluate(data.X_test, Y_test)
        parts += [f"test_loss {_short_number(test_loss)}", f"test_{metric_name} {_short_number(test_metric)}"]
    stopped = {"early_stopping": f", stopped early (best epoch {last.best_epoch})",
               "target_loss": ", target loss reached"}.get(last.stop_reason, "")
    epochs = f"{trainer.epoch} epoch" + ("" if trainer.epoch == 1 else "s")
    return (f"trained {epochs}{stopped}: {', '.join(parts)}; "
            f"{data.n_imputed} cells imputed, {data.n_dropped} rows dropped; wrote {out}")


def _short_number(value):
    return "-" if value is None else f"{value:.6g}"


COMMANDS = {
    "examples": (_add_examples_arguments, run_examples, "list the built-in examples"),
    "train": (_add_train_arguments, run_train, "train a network and save the model"),
    "predict": (_add_predict_arguments, run_predict, "predict every row of a CSV"),
    "evaluate": (_add_evaluate_arguments, run_evaluate, "metrics of a model on labelled data"),
    "export": (_add_export_arguments, run_export, "convert a model file (.json, .npz, .onnx)"),
}
"""Subcommand word → (add its arguments, run it, one-line summary)."""
