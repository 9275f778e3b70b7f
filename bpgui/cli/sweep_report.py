"""What ``bpgui sweep`` prints on stdout: the runs ranked best first, then one summary line.

::

    rank  run  seed  lr    epochs  train_loss  val_loss  train_accuracy  val_accuracy  seconds
       1    2     0  0.01     200   0.0229205   0.15273        0.991667           0.9    0.252
       …
    best: run 2 of 3 (seed 0, lr 0.01): val_accuracy 0.9, val_loss 0.15273; wrote results.csv
"""

from __future__ import annotations

from bpgui.runs.grid import option_text
from bpgui.runs.ranking import best, judged_by_validation, ranked


def ranking_table(results, options):
    """The table of ``results`` (SweepResults) ranked best first, as aligned text."""
    order = ranked(results)
    metric = _metric_name(results)
    header = ["rank", "run", "seed", *options, "epochs", "train_loss", "val_loss",
              f"train_{metric}", f"val_{metric}", "seconds"]
    failed = any(result.record.error for result in results)
    if failed:
        header.append("error")
    rows = [_row(position, result, options, failed) for position, result in enumerate(order, start=1)]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    text_columns = {len(header) - 1} if failed else set()
    lines = []
    for row in [header, *rows]:
        cells = [str(cell).ljust(width) if i in text_columns or row is header else str(cell).rjust(width)
                 for i, (cell, width) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def summary_line(results, options, written):
    """The last line: the best run, its settings and numbers, what failed, what was written."""
    top = best(results)
    n_failed = sum(1 for result in results if result.record.error)
    wrote = f"wrote {', '.join(written)}"
    if top is None:
        return f"no run finished: all {len(results)} diverged; {wrote}"
    record = top.record
    settings = ", ".join([f"seed {record.settings.seed}"]
                         + [f"{name} {option_text(name, getattr(record.settings, name))}" for name in options])
    if judged_by_validation(results):
        numbers = (f"val_{record.metric_name} {_number(record.final('val_metric'))}, "
                   f"val_loss {_number(record.final('val_loss'))}")
    else:
        numbers = (f"train_loss {_number(record.final('train_loss'))}, "
                   f"train_{record.metric_name} {_number(record.final('train_metric'))}")
    diverged = f"; {n_failed} of {len(results)} diverged" if n_failed else ""
    return f"best: run {top.index + 1} of {len(results)} ({settings}): {numbers}{diverged}; {wrote}"


def _row(position, result, options, failed):
    record, settings = result.record, result.record.settings
    cells = [position, result.index + 1, settings.seed,
             *(option_text(name, getattr(settings, name)) for name in options)]
    if record.error:
        cells += ["-"] * 6
    else:
        cells += [record.epochs_run, *(_number(record.final(name)) for name in
                                       ("train_loss", "val_loss", "train_metric", "val_metric")),
                  f"{record.seconds:.3g}"]
    if failed:
        cells.append(record.error or "")
    return cells


def _metric_name(results):
    names = [result.record.metric_name for result in results if result.record.metric_name]
    return names[0] if names else "metric"


def _number(value):
    return "-" if value is None else f"{value:.6g}"
