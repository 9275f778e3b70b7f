"""Long runs and the window under stress: what bpgui leaves behind after many epochs and cycles.

Parts (``--parts``, comma-separated; all by default):

- ``headless``: 100,000 epochs of an example trained as ``bpgui train`` trains it (through
  ``bpgui.runs``, the reports it keeps included): resident memory (RSS) and milliseconds per
  epoch at the start, at points between and at the end.
- ``window``: 20,000 epochs with the window open and every docked view visible side by side
  (``bench_gui.show_every_view``): RSS growth and the longest gap of the event loop (a 10 ms
  QTimer), against the goals of 50 MB and 50 ms.
- ``cycles``: 200 start/stop cycles in one window, then 50 windows opened, trained and closed
  in one process: operating-system threads, Python threads, Qt objects alive (their Python
  wrappers, by type: QThread, QTimer, …), widgets and RSS, after warming up and at the end.
- ``hostile``: the window under the settings of tests/gui/test_hostile_settings.py that cost
  the most to draw (200 classes, a 2,000-neuron layer, 50 layers), every view visible: the
  longest event-loop gap while it trains, and the gaps over 50 ms.

Run under Xvfb for a real X11 window (the figures in docs/reliability.md are from there):
``xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python benchmarks/bench_reliability.py``;
without a display it runs offscreen. Use a quiet machine: other processes on the cores make
gaps and epoch times longer.
"""

from __future__ import annotations

import argparse
import collections
import gc
import os
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from bench_gui import private_settings, rss_mb, run_events, settle, show_every_view  # noqa: E402

GAP_GOAL_MS, MEMORY_GOAL_MB = 50, 50


# -- counting what is alive -----------------------------------------------------------------

def os_threads():
    """Threads of this process, native ones included (Qt's, BLAS's): /proc/self/task."""
    return len(os.listdir("/proc/self/task"))


def census():
    """What is alive now: threads, Qt objects by type (their Python wrappers), widgets, RSS."""
    from PySide6.QtCore import QObject, QThread, QTimer
    from PySide6.QtWidgets import QApplication

    gc.collect()
    qt_objects = [o for o in gc.get_objects() if isinstance(o, QObject)]
    return {
        "os threads": os_threads(),
        "python threads": threading.active_count(),
        "QThreads": sum(isinstance(o, QThread) for o in qt_objects),
        "QTimers": sum(isinstance(o, QTimer) for o in qt_objects),
        "QObjects": len(qt_objects),
        "widgets": len(QApplication.allWidgets()),
        "windows": len(QApplication.topLevelWidgets()),
        "RSS MB": round(rss_mb(), 1),
    }


def most_grown(before_objects, after_objects, n=5):
    """The Qt types whose live wrappers grew most between two ``Counter``s."""
    grown = after_objects - before_objects
    return ", ".join(f"{name} +{count}" for name, count in grown.most_common(n)) or "none"


def qt_types():
    from PySide6.QtCore import QObject

    gc.collect()
    return collections.Counter(type(o).__name__ for o in gc.get_objects() if isinstance(o, QObject))


def print_census(rows):
    """A Markdown table: one row per (moment, census)."""
    keys = list(rows[0][1])
    print("| moment | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for moment, values in rows:
        print(f"| {moment} | " + " | ".join(str(values[key]) for key in keys) + " |")


# -- headless ---------------------------------------------------------------------------------

def headless(args):
    """``args.epochs`` epochs as ``bpgui train --log`` runs them (the last report and the logged
    numbers kept); RSS and ms per epoch over the run."""
    from bpgui.data import get_example, load_example
    from bpgui.io.history_csv import HistoryRows
    from bpgui.runs import RunSettings, build_run, example_settings, train_run

    example = get_example(args.example)
    settings, layers = example_settings(example, RunSettings())
    settings = settings.replace(epochs=args.epochs, **({"batch_size": args.batch_size} if args.batch_size else {}))
    run = build_run(load_example(args.example), settings, example.spec, layers)
    step = max(args.epochs // 100, 100)  # epochs per timing window
    log, samples = HistoryRows(), [(0, time.perf_counter(), rss_mb())]

    def seen(report):
        log.append(report)
        if report.epoch % step == 0:
            samples.append((report.epoch, time.perf_counter(), rss_mb()))

    train_run(run, seen, keep_reports=False)
    elapsed = samples[-1][1] - samples[0][1]
    print(f"Headless: example {args.example} ({run.network.describe()}, batch {settings.batch_size}), "
          f"{args.epochs:,} epochs in {elapsed:.0f} s, as bpgui train --log keeps them; "
          f"RSS {samples[0][2]:.1f} MB before the first epoch, {samples[-1][2]:.1f} MB after the last\n")
    print("| epochs | ms per epoch | RSS MB at the end |")
    print("|---|---|---|")
    shown = sorted({1, 2, len(samples) // 4, len(samples) // 2, 3 * len(samples) // 4, len(samples) - 1})
    for index in shown:
        (first, started, _), (last, ended, memory) = samples[index - 1], samples[index]
        print(f"| {first + 1:,}–{last:,} | {1000 * (ended - started) / (last - first):.3f} | {memory:.1f} |")
    times = [(b[1] - a[1]) / (b[0] - a[0]) for a, b in zip(samples, samples[1:])]
    quarter = len(times) // 4
    print(f"\nms per epoch over the first quarter of the run (median of its {step:,}-epoch windows): "
          f"{1000 * statistics.median(times[:quarter]):.3f}; over the last quarter: "
          f"{1000 * statistics.median(times[-quarter:]):.3f}\n")


# -- the window ---------------------------------------------------------------------------

def open_window(argv, every_view=True):
    from bpgui.gui import create_main_window

    window = create_main_window(argv)
    window.resize(1600, 1000)
    if every_view:
        show_every_view(window)
    window.show()
    settle(window)
    return window


def train_watched(window, epochs=None, seconds=None, sample_every_ms=500):
    """Train until ``epochs`` are done (or ``seconds`` passed); return (event-loop gaps in ms,
    [(epoch, RSS MB)] every ``sample_every_ms``, seconds)."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    controller = window.controller
    controller.set_config(controller.config.replace(max_epochs=epochs or 10**9))
    clock, gaps, memory = QElapsedTimer(), [], []
    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: gaps.append(clock.restart()))
    sampler = QTimer()
    sampler.setInterval(sample_every_ms)
    sampler.timeout.connect(lambda: memory.append((controller.trainer.epoch, rss_mb())))
    loop = QEventLoop()
    ended = lambda state: loop.quit() if state in ("finished", "diverged") else None  # noqa: E731
    controller.stateChanged.connect(ended)
    if seconds:
        QTimer.singleShot(int(seconds * 1000), loop.quit)
    started = time.perf_counter()
    memory.append((controller.trainer.epoch, rss_mb()))
    controller.start()
    clock.start()
    ticker.start()
    sampler.start()
    loop.exec()
    ticker.stop()
    sampler.stop()
    controller.stateChanged.disconnect(ended)
    controller.stop_and_wait()
    memory.append((controller.trainer.epoch, rss_mb()))
    return gaps[1:] or [0], memory, time.perf_counter() - started


def describe_gaps(gaps):
    over = sum(gap > GAP_GOAL_MS for gap in gaps)
    return (f"longest event-loop gap {max(gaps)} ms, median {statistics.median(gaps):.0f} ms, "
            f"{over} of {len(gaps)} gaps over {GAP_GOAL_MS} ms")


def window_run(args):
    """``args.window_epochs`` epochs with every view visible: RSS growth and event-loop gaps."""
    window = open_window(["--example", args.example])
    if args.batch_size:
        window.controller.set_config(window.controller.config.replace(batch_size=args.batch_size))
    before = rss_mb()
    gaps, memory, seconds = train_watched(window, epochs=args.window_epochs)
    epochs, batch = window.controller.trainer.epoch, window.controller.config.batch_size
    close_window(window)
    warm = next((mb for epoch, mb in memory if epoch >= min(1000, epochs // 10)), memory[0][1])
    growth = memory[-1][1] - before
    print(f"Window, every view visible: example {args.example} (batch {batch}), {epochs:,} epochs in {seconds:.0f} s; "
          f"RSS {before:.0f} MB with the window open, {warm:.0f} MB after {min(1000, epochs // 10):,} epochs, "
          f"{memory[-1][1]:.0f} MB at the end (peak {max(mb for _, mb in memory):.0f} MB): "
          f"{growth:+.0f} MB over the run (goal under {MEMORY_GOAL_MB} MB); {describe_gaps(gaps)} "
          f"(goal under {GAP_GOAL_MS} ms)\n")
    points = [memory[int(i * (len(memory) - 1) / 5)] for i in range(6)]
    print("| epoch | RSS MB |")
    print("|---|---|")
    for epoch, mb in points:
        print(f"| {epoch:,} | {mb:.1f} |")
    print()


# -- cycles -----------------------------------------------------------------------------------

def start_stop_cycles(window, cycles, report_every):
    """Start, let it train a moment, stop; return [(cycles done, census)]."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    controller = window.controller
    controller.set_config(controller.config.replace(max_epochs=10**9))
    rows = []
    for cycle in range(1, cycles + 1):
        epoch = controller.trainer.epoch
        controller.start()
        deadline = time.perf_counter() + 2.0
        while controller.trainer.epoch < epoch + 2 and time.perf_counter() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        controller.stop()
        controller.stop_and_wait()
        run_events(0.02)
        if cycle % report_every == 0:
            rows.append((f"after {cycle} start/stop cycles", census()))
    return rows


def close_window(window):
    """Close as the user does, then let Qt delete it (the application would quit instead)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    run_events(0.05)


def open_close_cycles(args, cycles, report_every):
    """Open a window, train a few epochs, close it; return [(cycles done, census)]."""
    rows = []
    for cycle in range(1, cycles + 1):
        window = open_window(["--example", args.example], every_view=False)
        start_stop_cycles(window, 1, 10**9)
        close_window(window)
        del window
        if cycle % report_every == 0 or cycle == 1:
            rows.append((f"after {cycle} windows opened and closed", census()))
    return rows


def cycles(args):
    rows = [("before any window", census())]
    window = open_window(["--example", args.example])
    start_stop_cycles(window, 5, 10**9)  # warm up: first frames, plots' items, caches
    rows.append(("window open, after 5 warm-up cycles", census()))
    types_before = qt_types()
    rows += start_stop_cycles(window, args.start_stop, max(args.start_stop // 4, 1))
    grown = most_grown(types_before, qt_types())
    close_window(window)
    del window
    rows.append(("that window closed", census()))
    types_before = qt_types()
    rows += open_close_cycles(args, args.open_close, max(args.open_close // 5, 1))
    print(f"Cycles: example {args.example}; {args.start_stop} start/stop cycles in one window (each trains "
          f"at least 2 epochs), then {args.open_close} windows opened, trained a cycle and closed\n")
    print_census(rows)
    print(f"\nQt types whose live objects grew during the start/stop cycles: {grown}; "
          f"during the open/close cycles: {most_grown(types_before, qt_types())}\n")


# -- hostile settings -----------------------------------------------------------------------------

def many_classes_csv(folder, n_classes=200, per_class=10):
    import numpy as np

    rng = np.random.default_rng(0)
    path = os.path.join(folder, "classes.csv")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("x1,x2,label\n")
        for c in range(n_classes):
            for _ in range(per_class):
                handle.write(f"{np.cos(c) + rng.normal(0, .1):.4f},{np.sin(1.3 * c) + rng.normal(0, .1):.4f},c{c:03d}\n")
    return path


def hostile(args):
    """The costliest hostile settings to draw, every view visible: event-loop gaps while training."""
    from bpgui.runs import Architecture

    folder = tempfile.mkdtemp(prefix="bench_reliability_")
    cases = {
        "200 classes (2-8-8-200)": None,  # its CSV is written below
        "a 2,000-neuron layer (2-2000-1)": (["--example", "spiral"], Architecture(hidden=(2000,), activations=("tanh",))),
        "50 layers of 8 (2-8×50-1)": (["--example", "spiral"], Architecture(hidden=(8,) * 50, activations=("tanh",) * 50)),
    }
    cases["200 classes (2-8-8-200)"] = ([many_classes_csv(folder), "--target", "label"], None)
    print(f"Hostile settings, every view visible, {args.hostile_seconds:g} s of training each:\n")
    print("| setting | epochs trained | longest gap ms | median gap ms | gaps over 50 ms |")
    print("|---|---|---|---|---|")
    for name, (argv, architecture) in cases.items():
        window = open_window(argv)
        if architecture is not None:
            window.controller.set_architecture(architecture)
            run_events(0.5)
        gaps, _, _ = train_watched(window, seconds=args.hostile_seconds)
        epochs = window.controller.trainer.epoch
        close_window(window)
        print(f"| {name} | {epochs:,} | {max(gaps)} | {statistics.median(gaps):.0f} | "
              f"{sum(gap > GAP_GOAL_MS for gap in gaps)} of {len(gaps)} |", flush=True)
    print()


PARTS = {"headless": headless, "window": window_run, "cycles": cycles, "hostile": hostile}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, of {', '.join(PARTS)}")
    parser.add_argument("--example", default="spiral", help="the example trained (default spiral)")
    parser.add_argument("--batch-size", type=int, default=16,
                        help="rows per batch of the headless and window runs (0: the example's preset)")
    parser.add_argument("--epochs", type=int, default=100_000, help="epochs of the headless run")
    parser.add_argument("--window-epochs", type=int, default=20_000, help="epochs of the window run")
    parser.add_argument("--start-stop", type=int, default=200, help="start/stop cycles in one window")
    parser.add_argument("--open-close", type=int, default=50, help="windows opened and closed")
    parser.add_argument("--hostile-seconds", type=float, default=10.0, help="seconds of training per hostile setting")
    args = parser.parse_args()
    parts = args.parts.split(",")
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
    if "headless" in parts:
        headless(args)
    if set(parts) - {"headless"}:
        if not os.environ.get("DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication([])
        private_settings()
        print(f"Qt platform: {app.platformName()}; load average {os.getloadavg()[0]:.2f} on "
              f"{os.cpu_count()} cores at the start\n")
        for part in parts:
            if part != "headless":
                PARTS[part](args)


if __name__ == "__main__":
    main()
