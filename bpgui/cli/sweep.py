"""``bpgui sweep``: train a grid of settings (and seeds) in parallel and rank the runs.

DESIGN.md §4 "Sweeps". The grid comes from train's options given lists
(:mod:`bpgui.cli.grid_arguments`), the runs from :func:`bpgui.runs.grid`, and they train in
:class:`bpgui.runs.Sweep` (in process, in loky worker processes or on Dask). RESULTS.csv holds
one row per run in grid order; stdout ends with the runs ranked best first and one summary
line. Ctrl+C writes the finished runs' rows and exits with 130.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time

from bpgui.arguments import EXIT_OK
from bpgui.cli.grid_arguments import add_grid_action
from bpgui.cli.options import add_run_arguments, whole
from bpgui.cli.progress import ProgressBar
from bpgui.runs.sweep import BACKENDS

EXIT_INTERRUPTED = 130
"""Ctrl+C: the shell's convention, 128 + SIGINT."""



def add_arguments(parser):
    add_grid_action(parser)
    add_run_arguments(parser, ("RESULTS.csv", "the results to write, one row per run"))
    sweep = parser.add_argument_group("sweep")
    sweep.add_argument("--seeds", type=whole(1), default=1, metavar="K",
                       help="run every setting with seeds s … s+K−1 from --seed s (default: 1)")
    sweep.add_argument("--jobs", type=whole(1), metavar="N",
                       help="runs at once (default: the number of cores; 1 trains in this process)")
    sweep.add_argument("--backend", choices=tuple(BACKENDS), default="local",
                       help="local processes, or a Dask cluster (needs bpgui[cluster]) (default: local)")
    sweep.add_argument("--scheduler", metavar="ADDRESS",
                       help="the Dask scheduler, tcp://host:port (default: a local cluster)")
    sweep.add_argument("--best", metavar="MODEL", help="write the best run's model: .json, .npz or .onnx")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args):
    from bpgui.cli.train import check_writable, run_settings, training_table
    from bpgui.runs import Sweep, SweepData, grid, swept_options
    from bpgui.runs.sweep import check_backend, usable_cores

    jobs = args.jobs if args.jobs is not None else usable_cores()
    check_backend(args.backend, jobs, args.scheduler)
    check_results_path(args.out, args.data)
    if args.best is not None:
        check_writable(args.best)
    lists = args.grid or {}
    settings, preset_layers, explicit = run_settings(args)
    runs = grid(settings, lists, args.seeds)
    table, base_spec = training_table(args)
    data = SweepData(table, base_spec, preset_layers, frozenset(explicit))
    options = swept_options(lists)
    results, interrupted = train_all(Sweep(data, runs, jobs, args.backend, args.scheduler), args.quiet)
    with _no_interrupts():
        _write_results(args.out, results, options)
    if interrupted:
        print(f"error: interrupted after {len(results)} of {len(runs)} runs; "
              f"wrote their rows to {args.out}", file=sys.stderr)
        return EXIT_INTERRUPTED
    from bpgui.cli.sweep_report import ranking_table, summary_line

    print(ranking_table(results, options))
    written = [args.out]
    try:
        if args.best is not None:
            written.append(write_best(data, results, args.best))
    finally:  # the summary says what was written, even when --best could not be
        print(summary_line(results, options, written))
    return EXIT_OK


def check_results_path(out, data):
    """Refuse an ``--out`` that is not a .csv, is not writable, or is the training data."""
    from bpgui.io.atomic import check_writable

    if os.path.splitext(out)[1].lower() != ".csv":
        raise ValueError(f"{out}: the results are a CSV file; name it RESULTS.csv "
                         f"(the best model goes to --best)")
    check_writable(out)
    if data is not None and os.path.abspath(out) == os.path.abspath(data):
        raise ValueError(f"{out}: is the training data; write the results to another file")


def train_all(sweep, quiet=False):
    """Run ``sweep`` with a progress bar on stderr (finished runs, time left).

    Returns
    -------
    results : list of SweepResult
        The finished runs, in the order they finished.
    interrupted : bool
        Ctrl+C stopped the sweep (the runs still going were abandoned).
    """
    # every finished run is drawn (interval 0): runs come seldom, and a throttled update
    # would leave the bar behind for as long as the next run takes
    progress = ProgressBar(len(sweep), sys.stderr, enabled=not quiet, interval=0.0, describe=_run_line)
    results, start, interrupted = [], time.monotonic(), False
    progress.update(0)
    try:
        for result in sweep.results():
            results.append(result)
            progress.update(len(results), _time_left(time.monotonic() - start, len(results), len(sweep)))
    except KeyboardInterrupt:
        interrupted = True
        progress.close(False)
    except BaseException:
        progress.close(False)
        raise
    else:
        progress.close(True)
    return results, interrupted


def write_best(data, results, path):
    """Write the best run's model to ``path`` (the model ``bpgui train`` writes for its
    settings); return ``path``.

    Raises
    ------
    ValueError
        No run finished.
    """
    from bpgui.io.model import save_model
    from bpgui.runs import model_of_record
    from bpgui.runs.ranking import best

    top = best(results)
    if top is None:
        raise ValueError(f"{path}: not written, no run finished (every run diverged)")
    save_model(model_of_record(data.build(top.record.settings), top.record), path)
    return path


def _write_results(path, results, options):
    from bpgui.runs.results import write_results

    write_results(path, results, options)




def _run_line(done, total, bar, extra):
    return f"run {done}/{total} [{bar}]{extra}"


def _time_left(elapsed, done, total):
    """`` 1m05s left`` from the pace of the finished runs."""
    if done == 0 or done >= total:
        return ""
    seconds = round(elapsed / done * (total - done))
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"
    return f" {text} left"


@contextlib.contextmanager
def _no_interrupts():
    """Let a second Ctrl+C not interrupt writing the results (main thread only)."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are not ours to change
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
