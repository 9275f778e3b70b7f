"""``bpgui train``: train a network on a CSV or an example and write the model file."""

from __future__ import annotations

import sys

from bpgui.arguments import EXIT_OK, csv_options
from bpgui.cli.options import add_run_arguments
from bpgui.cli.progress import ProgressBar, epoch_line, report_losses
from bpgui.io.history_csv import HistoryRows


def add_arguments(parser):
    add_run_arguments(parser, ("MODEL", "model file to write: .json, .npz or .onnx"))
    out = parser.add_argument_group("output")
    out.add_argument("--log", metavar="HISTORY.csv", help="write the loss and metric of every epoch")
    out.add_argument("--quiet", action="store_true", help="no progress bar (notes are still printed)")


def run(args):
    from bpgui.io.model import save_model
    from bpgui.runs import model_of

    settings, training, start_loss = prepared_run(args, lambda: check_writable(args.out, args.log))
    log = HistoryRows() if args.log else None
    reports = train_with_progress(training, quiet=args.quiet, log=log)
    note_rising_loss(start_loss, reports[-1], settings)
    model = model_of(training, reports[-1])
    if args.log:
        write_history(args.log, log.rows())
    save_model(model, args.out)
    print(summary_line(reports, training, args.out))
    return EXIT_OK


def prepared_run(args, check_outputs):
    """The run ``train`` and ``animate`` train: its settings, then ``check_outputs()`` (what
    could only fail after training is refused before the data is read), the data, the run
    built, its notes printed on stderr (``--quiet`` hides the progress bar, never a note).

    Returns
    -------
    settings : RunSettings
    training : bpgui.runs.build.Run
        The run, ready to train.
    start_loss : float
        The training loss of the initial weights (for :func:`note_rising_loss`).
    """
    from bpgui.runs import build_run

    settings, preset_layers, explicit = run_settings(args)
    check_outputs()
    table, base_spec = training_table(args)
    training = build_run(table, settings, base_spec, preset_layers, explicit)
    print_notes(table, training)
    return settings, training, training.trainer.initial_loss()


def run_settings(args):
    """Every setting of the run: explicit flag > example preset > default.

    Returns
    -------
    settings : RunSettings
    preset_layers : dict or None
        The example's initial layers.
    explicit : set of str
        The settings given explicitly on the command line.
    """
    from bpgui.data import get_example
    from bpgui.runs import SETTING_NAMES, RunSettings, example_settings

    if (args.data is None) == (args.example is None):
        raise ValueError("give a DATA.csv or --example NAME (one of them)")
    settings, preset_layers = RunSettings(), None
    if args.example is not None:
        settings, preset_layers = example_settings(get_example(args.example), settings)
    given = {name: getattr(args, name) for name in SETTING_NAMES
             if getattr(args, name, None) is not None}
    return settings.replace(**given).validate(), preset_layers, set(given)


def training_table(args):
    """The table to train on and the dataset spec it comes with (an example's columns).

    Returns
    -------
    table : bpgui.data.Table
    base_spec : bpgui.data.DatasetSpec
    """
    from bpgui.data import DatasetSpec, get_example, load_example, read_csv

    if args.example is not None:
        return load_example(args.example), get_example(args.example).spec
    return read_csv(args.data, csv_options(args)), DatasetSpec()


def check_writable(*paths):
    """Refuse before training what could only fail after it: a wrong model extension (the
    first path), then for every path what the write would refuse (a missing folder, a folder
    as the file, a folder that takes no new files; an OSError naming the path)."""
    from bpgui.io.atomic import check_writable as check_target
    from bpgui.io.model import model_suffix

    model_suffix(paths[0])
    for path in paths:
        if path is not None:
            check_target(path)


def print_notes(table, training):
    """``note:`` lines on stderr for what trains as asked but is rarely meant: a feature that
    looks like an identifier (``bpgui.data.identifier_like``), a feature or target with one
    value in every row (``bpgui.data.constant_notes``), a validation split left empty."""
    from bpgui.data import constant_notes, identifier_like

    data, val_split = training.data, training.settings.val_split
    for name, (n_values, n_cells) in identifier_like(table, data.preprocessor.feature_names).items():
        print(f'note: feature "{name}" has {n_values} different values in {n_cells} rows, '
              f"one input each: an identifier? Leave it out with --features", file=sys.stderr)
    for note in constant_notes(table, data.preprocessor.feature_names, data.preprocessor.targets):
        print(f"note: {note}", file=sys.stderr)
    if val_split > 0 and len(data.X_val) == 0:
        why = "each class keeps its only row for training" if data.task == "classification" else "too few rows"
        print(f"note: no rows could be held out for validation (--val-split {val_split:g}): {why}",
              file=sys.stderr)


def note_rising_loss(start_loss, last_report, settings):
    """A ``note:`` on stderr when the training loss ended far above where it started."""
    from bpgui.runs import rising_loss_note

    note = rising_loss_note(start_loss, last_report.train_loss, settings.lr)
    if note is not None:
        print(f"note: {note} with --lr", file=sys.stderr)


def train_with_progress(training, quiet=False, log=None):
    """Train a run to its end with a progress bar on stderr; return a list of its last epoch
    report (a long run keeps no report object per epoch: 100,000 of them took 55 MB).

    ``log``: a :class:`~bpgui.io.history_csv.HistoryRows` that keeps every epoch's logged
    numbers (for ``--log``), or None.

    Raises
    ------
    TrainingDiverged
        With the engine's message (the caller writes no file then).
    """
    from bpgui.runs import train_run

    progress = ProgressBar(training.trainer.config.max_epochs, sys.stderr, enabled=not quiet,
                           describe=epoch_line)

    def seen(report):
        if log is not None:
            log.append(report)
        progress.update(report.epoch, report_losses(report))

    succeeded = False
    try:
        reports = train_run(training, seen, keep_reports=False)
        succeeded = True
    finally:
        progress.close(succeeded)
    return reports


def write_history(path, rows):
    """Write ``--log`` from ``rows`` (:meth:`HistoryRows.rows`): one row per epoch, epochs from
    1, empty where a value does not exist."""
    from bpgui.io.atomic import atomic_write_text
    from bpgui.io.history_csv import history_csv_text

    atomic_write_text(path, history_csv_text(rows))


def summary_line(reports, training, out):
    """The one line ``bpgui train`` ends with on stdout."""
    from bpgui.runs import final_metric

    last, trainer, data = reports[-1], training.trainer, training.data
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
