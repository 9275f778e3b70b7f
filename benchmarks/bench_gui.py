"""What the window costs the trainer, and whether a long run stays flat and fluid.

1. Epoch cost headless (the engine alone, as ``bpgui train`` runs it) against the same problem
   trained from the window while it draws (core window, and with the docked views of issue 6),
   in alternating one-second slices of the two runs (see ``speed_table``).
   Also: drawing alone, its frames switched on and off in alternate slices of one run.
2. A 5,000-epoch run with the default layout (docked views tabbed, one shown) and with every
   view visible side by side: the longest gap of the event loop, measured with a 10 ms QTimer.
3. A 20,000-epoch run with the window open: resident memory (RSS) over the run and the longest
   event-loop gap.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui.py`` (or under xvfb-run
for a real X11 window). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

EXAMPLE = "spiral"


def rss_mb():
    """Current resident set size in MB (Linux /proc)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


class Headless:
    """The engine alone on the window's problem, as ``bpgui train`` runs it (no diagnostics,
    on the main thread); ``run_for`` continues the same run."""

    def __init__(self, batch_size=None):
        from bpgui.data import get_example, load_example
        from bpgui.runs import RunSettings, build_run, example_settings

        example = get_example(EXAMPLE)
        settings, _ = example_settings(example, RunSettings(hidden=(8, 8)))
        if batch_size:
            settings = settings.replace(batch_size=batch_size)
        settings = settings.replace(epochs=10**9)
        self.trainer = build_run(load_example(EXAMPLE), settings, example.spec).trainer
        self._epochs = self.trainer.epochs()

    def run_for(self, seconds):
        """Train for about ``seconds``; return seconds per epoch."""
        started, done = time.perf_counter(), 0
        while True:
            next(self._epochs)
            done += 1
            elapsed = time.perf_counter() - started
            if elapsed > seconds:
                return elapsed / done


def show_every_view(window):
    """Lay the docked views out side by side (three on the right, four below), all visible."""
    from PySide6.QtCore import Qt

    docks = list(window.view_docks.values())
    right, bottom = Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea
    for i, dock in enumerate(docks):
        window.addDockWidget(right if i < 3 else bottom, dock)
    for first, second in zip(docks[:2], docks[1:3]):
        window.splitDockWidget(first, second, Qt.Orientation.Vertical)
    for first, second in zip(docks[3:-1], docks[4:]):
        window.splitDockWidget(first, second, Qt.Orientation.Horizontal)
    for dock in docks:
        dock.show()


def private_settings():
    """Keep the windows' remembered layout and settings in a temporary folder: the user's own
    (say, docks moved) must not change the measurement, nor the runs change the user's."""
    import tempfile

    from PySide6.QtCore import QSettings

    folder = tempfile.mkdtemp(prefix="bench_gui_settings_")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)


def run_events(seconds):
    """Run the event loop for ``seconds`` (the window draws, the worker trains)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def median_and_middle_half(ratios):
    """``(median, low, high)`` of ``ratios``: the median and the middle half's bounds."""
    ratios = sorted(ratios)
    quarter = len(ratios) // 4
    return statistics.median(ratios), ratios[quarter], ratios[-1 - quarter]


def settle(window, milliseconds=500):
    """Wait until the window is on screen and painted, as it is before a user presses Start
    (its first paint, 70-80 ms, would otherwise count as a gap of the run)."""
    from PySide6.QtTest import QTest

    QTest.qWaitForWindowExposed(window, 5000)
    run_events(milliseconds / 1000)


class Window:
    """A window trained for a while, with a 10 ms ticker measuring event-loop gaps.

    ``views``: False = core window only, True = with the docked views (tabbed, as at
    start-up), "all" = every docked view visible side by side.
    """

    def __init__(self, views):
        import bpgui.gui.main_window as main_window
        from bpgui.gui import create_main_window

        load_views = main_window.load_views
        if not views:
            main_window.load_views = dict
        try:
            self.window = create_main_window(["--example", EXAMPLE])
        finally:
            main_window.load_views = load_views
        self.window.resize(1600, 1000)
        if views == "all":
            show_every_view(self.window)
        self.window.show()
        self.controller = self.window.controller
        settle(self.window)

    def train(self, seconds=None, epochs=None, batch_size=None):
        """Train until ``seconds`` passed or ``epochs`` done; return (s/epoch, gaps in ms, RSS samples)."""
        from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

        controller = self.controller
        config = controller.config.replace(max_epochs=epochs or 10**9)
        controller.set_config(config.replace(batch_size=batch_size) if batch_size else config)
        clock, gaps, memory = QElapsedTimer(), [], []
        ticker = QTimer()
        ticker.setInterval(10)
        ticker.timeout.connect(lambda: gaps.append(clock.restart()))
        sampler = QTimer()
        sampler.setInterval(500)
        sampler.timeout.connect(lambda: memory.append((controller.trainer.epoch, rss_mb())))
        frames = []
        count_frame = lambda report: frames.append(1) if controller.state == "training" else None  # noqa: E731
        controller.reportReady.connect(count_frame)
        loop = QEventLoop()
        controller.stateChanged.connect(lambda state: loop.quit() if state == "finished" else None)
        if seconds:
            QTimer.singleShot(int(seconds * 1000), loop.quit)
        started = time.perf_counter()
        controller.start()
        clock.start()
        ticker.start()
        sampler.start()
        loop.exec()
        elapsed = time.perf_counter() - started
        ticker.stop()
        sampler.stop()
        controller.stop_and_wait()
        controller.reportReady.disconnect(count_frame)
        self.frames_per_second = len(frames) / elapsed
        return elapsed / max(controller.trainer.epoch, 1), gaps[1:] or [0], memory

    def endless_run(self, batch_size=None):
        """Set the window's run to go on until stopped (with ``batch_size`` rows per batch)."""
        controller = self.controller
        controller.set_config(controller.config.replace(
            max_epochs=10**9, **({"batch_size": batch_size} if batch_size else {})))

    def timed(self, seconds):
        """Let the window train and draw for ``seconds``; return (seconds per epoch, frames
        per second) of that time."""
        controller, frames = self.controller, []
        count_frame = lambda report: frames.append(1) if controller.state == "training" else None  # noqa: E731
        controller.reportReady.connect(count_frame)
        first_epoch, started = controller.trainer.epoch, time.perf_counter()
        run_events(seconds)
        epochs, elapsed = controller.trainer.epoch - first_epoch, time.perf_counter() - started
        controller.reportReady.disconnect(count_frame)
        return elapsed / max(epochs, 1), len(frames) / elapsed

    def train_slice(self, seconds, batch_size=None, settle=0.3):
        """Train (or resume) with the window drawing, then pause; return (seconds per epoch,
        frames per second) over ``seconds`` that begin ``settle`` seconds after the resume.

        What a resume and a pause cost (the thread's start, the redraws a change of state
        asks for, the final redraw) happens once per click, not per epoch, so it is left out.
        """
        if self.controller.state != "paused":
            self.endless_run(batch_size)
        self.controller.start()
        run_events(settle)
        timed = self.timed(seconds)
        self.controller.pause()
        self.controller.stop_and_wait()
        return timed

    def close(self):
        self.window.close()


LAYOUTS = {False: "window (network view, loss plot, controls)",
           True: "window + docked views (default layout)",
           "all": "window + every view visible"}


def speed_table(args, app):
    """Epoch cost headless against the window drawing, in alternating slices of one run each.

    This machine's speed drifts by ±20% within seconds (other virtual machines share its
    cores), so one long run of each would compare two different machines. Instead the engine
    alone and the window take turns in slices of ``args.slice`` seconds, each continuing its
    own run (the window is paused, not drawing, while the engine alone runs), the order within a
    pair alternating (the machine slows down under sustained load), and the table gives the
    median over ``args.slices`` pairs of the ratio within each pair. A window slice is timed
    from 0.3 s after its resume (see ``Window.train_slice``).
    """
    batch = f"batches of {args.batch_size}" if args.batch_size else "full batch of 240 rows"
    print(f"Problem: example {EXAMPLE} (2-16-16-1 tanh, Adam, {batch}); platform {app.platformName()}; "
          f"{args.slices} alternating pairs of {args.slice:g} s slices per row\n")
    print("| run | headless ms per epoch | window ms per epoch | window vs headless (median of pairs) "
          "| middle half of the pairs | frames per second |")
    print("|---|---|---|---|---|---|")
    for views, name in LAYOUTS.items():
        headless, window = Headless(args.batch_size), Window(views)
        window.train_slice(args.slice, args.batch_size)  # past the first frames' axis changes
        headless.run_for(args.slice)
        pairs = []
        for index in range(args.slices):
            # the machine slows down under sustained load and recovers when idle, so the
            # second slice of a pair is at a disadvantage: the order alternates
            if index % 2 == 0:
                alone = headless.run_for(args.slice)
                drawn, frames_per_second = window.train_slice(args.slice, args.batch_size)
            else:
                drawn, frames_per_second = window.train_slice(args.slice, args.batch_size)
                alone = headless.run_for(args.slice)
            pairs.append((alone, drawn, frames_per_second))
        window.close()
        median, low, high = median_and_middle_half(drawn / alone - 1 for alone, drawn, _ in pairs)
        print(f"| {name} | {1000 * statistics.median(a for a, _, _ in pairs):.3f} "
              f"| {1000 * statistics.median(d for _, d, _ in pairs):.3f} "
              f"| {median:+.0%} | {low:+.0%} to {high:+.0%} "
              f"| {statistics.median(f for _, _, f in pairs):.1f} |", flush=True)
    print()


def gap_runs(args):
    """The longest event-loop gaps of a fixed-length run, default layout and every view shown."""
    for views, words in ((True, "default layout (views tabbed, the decision boundary shown)"),
                         ("all", "every view visible side by side")):
        window = Window(views)
        per_epoch, gaps, _ = window.train(epochs=args.gap_epochs, batch_size=args.batch_size)
        epochs = window.controller.trainer.epoch
        window.close()
        over = sum(gap > 50 for gap in gaps)
        print(f"{epochs}-epoch run, {words}: {per_epoch * epochs:.1f} s "
              f"({1 / per_epoch:,.0f} epochs/s), {window.frames_per_second:.1f} frames/s, "
              f"longest event-loop gap {max(gaps)} ms, {over} gaps over 50 ms")


def long_run(args):
    window = Window(views=True)
    per_epoch, gaps, memory = window.train(epochs=args.long_epochs, batch_size=args.batch_size)
    epochs = window.controller.trainer.epoch
    window.close()
    early = [mb for epoch, mb in memory if epoch >= min(2000, epochs // 4)]
    print(f"\nLong run, window with views: {epochs} epochs in {per_epoch * epochs:.1f} s, "
          f"{window.frames_per_second:.1f} frames/s, longest event-loop gap {max(gaps)} ms, RSS {early[0]:.0f} MB after "
          f"{min(2000, epochs // 4)} epochs → {memory[-1][1]:.0f} MB at the end "
          f"(peak {max(mb for _, mb in memory):.0f} MB).")


def drawing_toggle(args):
    """What drawing alone costs: one continuing run in the window, its frames on and off in
    alternate slices (the order alternating within a pair), the median of the pair ratios."""
    for views, name in LAYOUTS.items():
        window = Window(views)
        controller = window.controller
        window.endless_run(args.batch_size)
        controller.start()
        run_events(1.0)
        ratios, rates = [], []
        for index in range(args.slices):
            per_epoch = {}
            for drawing in ((False, True) if index % 2 == 0 else (True, False)):
                if drawing:
                    controller.run_thread._frame_timer.start()  # the pace it learned is kept
                else:
                    controller.run_thread._frame_timer.stop()  # reports wait in the queue meanwhile
                run_events(0.3)
                per_epoch[drawing], frames_per_second = window.timed(args.slice)
                if drawing:
                    rates.append(frames_per_second)
            ratios.append(per_epoch[True] / per_epoch[False] - 1)
        controller.stop_and_wait()
        window.close()
        median, low, high = median_and_middle_half(ratios)
        print(f"Drawing on against off in one run, {name}: {median:+.0%} "
              f"(middle half {low:+.0%} to {high:+.0%}), "
              f"{statistics.median(rates):.1f} frames/s", flush=True)


PARTS = {"speed": speed_table, "toggle": drawing_toggle, "gaps": gap_runs, "long": long_run}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slice", type=float, default=1.0, help="seconds per slice of the speed pairs")
    parser.add_argument("--slices", type=int, default=30, help="alternating pairs of slices per layout")
    parser.add_argument("--gap-epochs", type=int, default=5000, help="epochs of the gap runs")
    parser.add_argument("--long-epochs", type=int, default=20000, help="epochs of the long run")
    parser.add_argument("--batch-size", type=int, default=0,
                        help="rows per batch (0: the example's preset, one full batch)")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, of {', '.join(PARTS)}")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):  # under xvfb-run: a real X11 window
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    private_settings()
    print(f"platform {app.platformName()}")
    for part in args.parts.split(","):
        if part == "speed":
            speed_table(args, app)
        else:
            PARTS[part](args)


if __name__ == "__main__":
    main()
