"""What does an animation cost on top of the training? ``bpgui animate`` against ``bpgui train``.

Usage::

    python benchmarks/bench_animate.py [--example spiral] [--frames 60] [--format gif|mp4]
                                       [--rounds 5] [--markdown PATH] [-- TRAIN OPTIONS…]

Both commands run the same run (the example's preset, plus any train options after ``--``) as
whole processes, the way a user runs them, start-up included: ``bpgui train … --out M.json``
and ``bpgui animate … --out RUN.gif --frames N``. They take turns in ``--rounds`` rounds (the
order reversed every other round); each round gives the ratio animate / train of wall time and
of CPU time (user + system of the child process). The figures are the medians over the rounds.
The goal (issue 14) is a wall-time ratio under 2 for 60 frames; the exit status is 0 when the
median ratio meets it. On a machine shared with other work, wall times drift; the CPU ratio is
the steadier reading.

A second part times the stages of ``animate`` in this process (training with the frames'
weights kept, drawing the frames, writing the file), in CPU seconds. (The CPU time of a
command includes ffmpeg's, which encodes an MP4 in a child process on several threads.)
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

GOAL = 2.0


def timed(command):
    """Run ``command``; return (wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def commands(args, folder):
    bpgui = [sys.executable, "-m", "bpgui"]
    run = ["--example", args.example, "--quiet", *args.train_options]
    return {
        "train": [*bpgui, "train", *run, "--out", os.path.join(folder, "model.json")],
        "animate": [*bpgui, "animate", *run, "--out", os.path.join(folder, f"run.{args.format}"),
                    "--frames", str(args.frames)],
    }


def command_rounds(args):
    """Alternate the two commands; return per-round {name: (wall, cpu)}."""
    rounds = []
    with tempfile.TemporaryDirectory() as folder:
        runs = commands(args, folder)
        for command in runs.values():  # warm the file cache and the byte-code
            timed(command)
        for k in range(args.rounds):
            order = list(runs) if k % 2 == 0 else list(reversed(runs))
            rounds.append({name: timed(runs[name]) for name in order})
    return rounds


def stages(args):
    """CPU seconds of animate's stages, in process."""
    from bpgui.animation.frames import record
    from bpgui.animation.render import FrameRenderer
    from bpgui.animation.writers import write_animation
    from bpgui.cli.main import command_parser
    from bpgui.cli.train import run_settings, training_table
    from bpgui.runs import build_run

    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, f"run.{args.format}")
        parsed = command_parser().parse_args(["animate", "--example", args.example, "--out", out,
                                              *args.train_options])
        settings, preset_layers, explicit = run_settings(parsed)
        table, base_spec = training_table(parsed)
        run = build_run(table, settings, base_spec, preset_layers, explicit)
        clock = time.process_time
        start = clock()
        reports, frames = record(run, args.frames)
        trained = clock()
        renderer = FrameRenderer(run, reports, (800, 450), args.example)
        images = [renderer.render(frame) for frame in frames]
        drawn = clock()
        write_animation(out, args.format, iter(images), 15.0, (800, 450), [images[0], images[-1]],
                        renderer.smooth_box)
        written = clock()
        size = os.path.getsize(out)
    return {"epochs": len(reports), "frames": len(frames), "train_s": trained - start,
            "draw_s": drawn - trained, "write_s": written - drawn, "bytes": size}


def report(args, rounds, parts):
    wall = {name: statistics.median(r[name][0] for r in rounds) for name in ("train", "animate")}
    cpu = {name: statistics.median(r[name][1] for r in rounds) for name in ("train", "animate")}
    wall_ratio = statistics.median(r["animate"][0] / r["train"][0] for r in rounds)
    cpu_ratio = statistics.median(r["animate"][1] / r["train"][1] for r in rounds)
    lines = [
        f"## bpgui animate vs bpgui train: --example {args.example} {' '.join(args.train_options)}".rstrip(),
        "",
        f"{args.frames} frames, {args.format.upper()}, 800x450; {args.rounds} rounds; medians.",
        "",
        "| command | wall s | CPU s |",
        "| --- | --- | --- |",
        f"| bpgui train | {wall['train']:.2f} | {cpu['train']:.2f} |",
        f"| bpgui animate | {wall['animate']:.2f} | {cpu['animate']:.2f} |",
        f"| ratio animate / train | **{wall_ratio:.2f}** | {cpu_ratio:.2f} |",
        "",
        f"Stages of animate in process (CPU s): training with the frames' weights kept "
        f"{parts['train_s']:.2f} ({parts['epochs']} epochs), drawing {parts['draw_s']:.2f} "
        f"({1000 * parts['draw_s'] / parts['frames']:.1f} ms a frame), writing {parts['write_s']:.2f} "
        f"({parts['bytes'] / 1e6:.2f} MB"
        + ("; ffmpeg encodes in its own process, not counted here" if args.format == "mp4" else "") + ").",
        "",
        f"Goal: wall ratio under {GOAL:g}: {'met' if wall_ratio < GOAL else 'NOT met'}.",
    ]
    return "\n".join(lines), wall_ratio


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--example", default="spiral")
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--format", choices=("gif", "mp4"), default="gif")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--markdown", metavar="PATH", help="also write the result as Markdown")
    parser.add_argument("train_options", nargs="*", help="options for both commands (after --)")
    args = parser.parse_args(argv)
    text, ratio = report(args, command_rounds(args), stages(args))
    print(text)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return 0 if ratio < GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
