"""Long fuzzing runs of bpgui's readers, one target after another.

    .venv/bin/python tests/fuzz/run.py --target all --minutes 10
    .venv/bin/python tests/fuzz/run.py --target csv --inputs 100000 --seed 1
    .venv/bin/python -m tests.fuzz.run --minutes 1          (the same, from the repository root)

Targets: csv (read_csv, preview_csv and prepare on generated and mutated files), model-json
and model-npz (load_model, then predict three rows), session (load_session). Every --report
seconds a line shows the inputs so far, inputs per second, crashes and hangs; at the end a
table of the totals and each distinct finding; a finding's input is saved under --out when it
is first seen (its smallest input at the end), and so is each target's slowest input.
An input taking more than 5 s of CPU time is a hang; one stuck in C code for --hard-timeout seconds aborts
the run with a traceback, its input left in the work folder that the run names at its start.
Exit code 0 when nothing was found, 1 otherwise.
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402

from fuzz_targets import LAST, TARGETS, run_input  # noqa: E402

CHUNK = 2000
"""Inputs per hypothesis run; each chunk starts from a new seed."""


class Tally:
    """Inputs, time and distinct findings of one target."""

    def __init__(self, name):
        self.name, self.inputs, self.seconds, self.findings = name, 0, 0.0, {}
        self.slowest = (0.0, 0.0, 0)  # CPU seconds, wall seconds, size of the slowest input
        self.slowest_input = (b"", None)

    def add(self, finding):
        """Keep ``finding``; True when it is a new one (not the same error at the same place)."""
        key = (finding.kind, finding.where, finding.error.split(":")[0])
        known = self.findings.get(key)
        if known is None:
            self.findings[key] = finding
            return True
        else:
            known.count += 1
            if len(finding.data) < len(known.data):
                known.data, known.options, known.error = finding.data, finding.options, finding.error
            return False

    @property
    def rate(self):
        return self.inputs / self.seconds if self.seconds else 0.0

    def counts(self):
        crashes = sum(1 for f in self.findings.values() if f.kind == "crash")
        return crashes, len(self.findings) - crashes


def fuzz(target, tally, minutes, max_inputs, seed, folder, report, hard_timeout, out):
    """Run ``target`` until ``minutes`` pass or ``max_inputs`` inputs were tried."""
    strategy = target.inputs()
    started = time.monotonic()
    stop_at = started + minutes * 60 if minutes else float("inf")
    last_report = started

    def one(case):
        nonlocal last_report
        if tally.inputs >= max_inputs or time.monotonic() >= stop_at:
            return
        faulthandler.dump_traceback_later(hard_timeout, exit=True)
        finding = run_input(target, case[0], case[1], folder)
        tally.inputs += 1
        if LAST["cpu"] > tally.slowest[0]:
            tally.slowest = (LAST["cpu"], LAST["wall"], len(case[0]))
            tally.slowest_input = case
        if finding is not None and tally.add(finding):
            print(f"  new {finding.kind}: {finding.error} at {finding.where}", flush=True)
            save_finding(tally.name, finding, len(tally.findings), out)
        now = time.monotonic()
        if now - last_report >= report:
            last_report = now
            tally.seconds = now - started
            crashes, hangs = tally.counts()
            print(f"  {target.name}: {tally.inputs} inputs, {tally.rate:.0f}/s, "
                  f"{crashes} crashes, {hangs} hangs", flush=True)

    chunk = 0
    while tally.inputs < max_inputs and time.monotonic() < stop_at:
        run = settings(max_examples=CHUNK, deadline=None, database=None, phases=[Phase.generate],
                       suppress_health_check=list(HealthCheck))(given(strategy)(one))
        try:
            hypothesis_seed(seed * 100003 + chunk)(run)()
        except Exception as error:  # noqa: BLE001 - a strategy's own bug: say so, go on
            print(f"  harness error (the fuzzer's, not bpgui's): {type(error).__name__}: "
                  f"{str(error).splitlines()[0] if str(error) else ''}", flush=True)
        chunk += 1
    faulthandler.cancel_dump_traceback_later()
    tally.seconds = time.monotonic() - started


def save_finding(name, finding, number, out):
    """Write a finding's input (and what it raised) under ``out`` as soon as it is new; the
    smallest input of the same finding replaces it at the end of the run."""
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, f"{name}-{finding.kind}-{number}{TARGETS[name].suffix}")
    with open(path, "wb") as handle:  # a test helper, not bpgui: plain writes are fine
        handle.write(finding.data)
    with open(path + ".txt", "w", encoding="utf-8") as handle:
        handle.write(f"{finding.error}\nat {finding.where}\noptions: {finding.options!r}\n"
                     f"seen {finding.count} times\n\n{finding.trace}")
    return path


def save_findings(tally, out):
    return [save_finding(tally.name, finding, number, out)
            for number, finding in enumerate(tally.findings.values(), start=1)]


def save_slowest(tally, out):
    data, options = tally.slowest_input
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, f"{tally.name}-slowest{TARGETS[tally.name].suffix}")
    with open(path, "wb") as handle:
        handle.write(data)
    with open(path + ".txt", "w", encoding="utf-8") as handle:
        handle.write(f"{tally.slowest[0]:.3f} s CPU, {tally.slowest[1]:.3f} s wall\noptions: {options!r}\n")
    return path


HEADER = (f"{'target':<12}{'inputs':>10}{'seconds':>10}{'inputs/s':>10}{'crashes':>9}{'hangs':>7}"
          "  slowest input (CPU s, wall s, bytes)")


def _row(tally):
    crashes, hangs = tally.counts()
    cpu, wall, size = tally.slowest
    return (f"{tally.name:<12}{tally.inputs:>10}{tally.seconds:>10.0f}{tally.rate:>10.0f}{crashes:>9}{hangs:>7}"
            f"  {cpu:.3f}, {wall:.3f}, {size:,}")


def _memory_folder():
    """A RAM-backed folder where there is one: writing each input to disk costs more than
    reading it (2.7 ms against 0.02 ms per small file here)."""
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", choices=("all", *TARGETS), default="all")
    parser.add_argument("--minutes", type=float, default=0.0, help="per target (0: no limit)")
    parser.add_argument("--inputs", type=int, default=0, help="per target (0: no limit)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--report", type=float, default=30.0, help="seconds between progress lines")
    parser.add_argument("--hard-timeout", type=float, default=60.0)
    parser.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "bpgui-fuzz-findings"))
    args = parser.parse_args(argv)
    if not args.minutes and not args.inputs:
        parser.error("give --minutes or --inputs (or both)")
    names = list(TARGETS) if args.target == "all" else [args.target]
    folder = tempfile.mkdtemp(prefix="bpgui-fuzz-", dir=_memory_folder())
    print(f"work folder (the input of a hard hang stays there): {folder}", flush=True)
    tallies = []
    for name in names:
        print(f"{name}: fuzzing", flush=True)
        tally = Tally(name)
        fuzz(TARGETS[name], tally, args.minutes, args.inputs or float("inf"), args.seed, folder,
             args.report, args.hard_timeout, args.out)
        save_slowest(tally, args.out)
        tallies.append(tally)
        print(f"{HEADER}\n{_row(tally)}", flush=True)  # kept even if a later target fails
    print(f"\n{HEADER}")
    found = False
    for tally in tallies:
        print(_row(tally))
        found = found or bool(tally.findings)
    for tally in tallies:
        for finding, path in zip(tally.findings.values(), save_findings(tally, args.out)):
            print(f"{finding.kind} ×{finding.count}: {finding.error} at {finding.where} -> {path}")
    shutil.rmtree(folder, ignore_errors=True)  # kept only when a hard hang ends the run
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
