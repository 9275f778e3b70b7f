"""How much does a sweep gain from parallel processes, and what does it cost over ``train``?

Usage::

    python benchmarks/bench_sweep.py [--rounds 3] [--overhead-rounds 7] [--epochs N] [--json OUT.json]

1. Speed-up: a 16-run sweep on iris (its preset: 200 epochs, batches of 16, Adam; the grid
   ``--lr 0.003,0.01,0.03,0.1 --hidden 8 --hidden 16,16 --seeds 2``) with ``--jobs 1`` and
   ``--jobs 2``, each a whole ``bpgui sweep`` command in a fresh interpreter (start-up, worker
   processes and RESULTS.csv included: what a user waits for). The goal on 2 cores: at least
   1.7x. ``--epochs N`` makes every run longer (the preset's 200 by default). The same sweep also runs as ``main(argv)`` calls in one interpreter, where joblib
   keeps its worker processes between calls (as the window does between sweeps): the
   speed-up once the workers are up.
2. Overhead: ``bpgui sweep`` of one run against ``bpgui train`` of the same settings (iris's
   preset), as commands and as ``main(argv)`` calls in one warm interpreter (the sweep
   machinery alone). The goal: under 10%.

The two sides of a comparison take turns in every round, the order reversed every other
round; a ratio is the median over rounds of the ratio within a round, so a machine whose
speed drifts over minutes still compares like with like.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

GRID = ["--lr", "0.003,0.01,0.03,0.1", "--hidden", "8", "--hidden", "16,16", "--seeds", "2"]

WARM = r"""
import json, sys, time
from bpgui.cli import main
commands, rounds = json.loads(sys.argv[1]), int(sys.argv[2])
times = {name: [] for name in commands}
for name, argv in commands.items():  # warm-up: imports, caches, joblib's worker processes
    assert main(argv) == 0
for round_ in range(rounds):
    order = list(commands) if round_ % 2 == 0 else list(reversed(commands))
    for name in order:
        start = time.perf_counter()
        assert main(commands[name]) == 0
        times[name].append(time.perf_counter() - start)
print(json.dumps(times))
"""


def in_one_interpreter(commands, rounds):
    """Like :func:`take_turns`, as ``main(argv)`` calls in one interpreter after a warm-up."""
    output = subprocess.run([sys.executable, "-c", WARM, json.dumps(commands), str(rounds)],
                            check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_command(argv):
    """Wall seconds of ``python -m bpgui ARGV`` in a fresh interpreter."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bpgui", *argv], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def take_turns(commands, rounds):
    """Run each command once per round, in alternating order; return name → list of seconds."""
    times = {name: [] for name in commands}
    for round_ in range(rounds):
        order = list(commands) if round_ % 2 == 0 else list(reversed(commands))
        for name in order:
            times[name].append(run_command(commands[name]))
    return times


def ratios(times, numerator, denominator):
    return [a / b for a, b in zip(times[numerator], times[denominator])]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the 16-run sweep (default 3)")
    parser.add_argument("--overhead-rounds", type=int, default=7, help="rounds of the one-run comparison")
    parser.add_argument("--epochs", type=int, help="epochs of every run of the 16 (default: the preset's 200)")
    parser.add_argument("--json", metavar="OUT.json", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="bench_sweep_")
    results = os.path.join(folder, "results.csv")
    epochs = ["--epochs", str(args.epochs)] if args.epochs else []
    sweep16 = ["sweep", "--example", "iris", *GRID, *epochs, "--out", results, "--quiet"]
    commands = {"jobs 1": [*sweep16, "--jobs", "1"], "jobs 2": [*sweep16, "--jobs", "2"]}
    print(f"16-run sweep on iris ({args.epochs or 200} epochs a run), {args.rounds} rounds, "
          f"cores: {os.cpu_count()}", flush=True)
    times = take_turns(commands, args.rounds)
    speedup = statistics.median(ratios(times, "jobs 1", "jobs 2"))
    warm16 = in_one_interpreter(commands, args.rounds)
    warm_speedup = statistics.median(ratios(warm16, "jobs 1", "jobs 2"))
    print(f"  commands: --jobs 1 {statistics.median(times['jobs 1']):.2f} s, --jobs 2 "
          f"{statistics.median(times['jobs 2']):.2f} s (medians): speed-up {speedup:.2f}x")
    print(f"  workers up: --jobs 1 {statistics.median(warm16['jobs 1']):.2f} s, --jobs 2 "
          f"{statistics.median(warm16['jobs 2']):.2f} s: speed-up {warm_speedup:.2f}x", flush=True)

    one = {"train": ["train", "--example", "iris", "--out", os.path.join(folder, "m.json"), "--quiet"],
           "sweep": ["sweep", "--example", "iris", "--out", results, "--quiet"]}
    cold = take_turns(one, args.overhead_rounds)
    cold_overhead = statistics.median(ratios(cold, "sweep", "train")) - 1
    warm = in_one_interpreter(one, args.overhead_rounds)
    warm_overhead = statistics.median(ratios(warm, "sweep", "train")) - 1
    print(f"one run (iris preset): commands train {statistics.median(cold['train']):.3f} s, "
          f"sweep {statistics.median(cold['sweep']):.3f} s: overhead {100 * cold_overhead:+.1f}%")
    print(f"  calls in one interpreter: train {statistics.median(warm['train']):.3f} s, "
          f"sweep {statistics.median(warm['sweep']):.3f} s: overhead {100 * warm_overhead:+.1f}%")
    figures = {"sweep16_commands_s": times, "speedup_commands": speedup,
               "sweep16_calls_s": warm16, "speedup_workers_up": warm_speedup,
               "one_run_commands_s": cold, "overhead_commands": cold_overhead,
               "one_run_calls_s": warm, "overhead_calls": warm_overhead}
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
