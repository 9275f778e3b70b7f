"""``bpgui animate`` (DESIGN.md §4 "Animations"): the files it writes and the lines it refuses with."""

import os
import sys

import numpy as np
import pytest
from PIL import Image

from bpgui.animation import render
from bpgui.cli import main
from cli_helpers import error_line as _error_line

SMALL = ["--size", "320x180", "--quiet"]


def gif_frames(path):
    """Every frame of a GIF as RGB arrays, with its duration in ms."""
    with Image.open(path) as image:
        frames, durations = [], []
        for k in range(image.n_frames):
            image.seek(k)
            durations.append(image.info["duration"])
            frames.append(np.asarray(image.convert("RGB"), int))
        return frames, durations, image.size, image.info.get("loop")


def test_a_gif_has_the_frames_size_and_speed_asked_for(tmp_path, capsys):
    out = tmp_path / "xor.gif"
    assert main(["animate", "--example", "xor", "--epochs", "40", "--out", str(out),
                 "--frames", "5", "--fps", "10", *SMALL]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("trained 40 epochs") and f"wrote {out} (5 frames, 320x180, 10 fps)" in captured.out
    frames, durations, size, loop = gif_frames(out)
    assert len(frames) == 5 and size == (320, 180) and loop == 0
    assert durations == [100] * 5
    # frames differ as training goes on, each from the one before
    assert all(np.abs(a - b).sum() > 0 for a, b in zip(frames, frames[1:]))
    assert os.listdir(tmp_path) == ["xor.gif"]


def test_the_default_is_sixty_frames_of_800_by_450_at_15_fps(tmp_path):
    out = tmp_path / "run.gif"
    assert main(["animate", "--example", "xor", "--epochs", "70", "--out", str(out), "--quiet"]) == 0
    with Image.open(out) as image:
        assert image.n_frames == 60 and image.size == (800, 450)
        assert image.info["duration"] == 70  # 1/15 s, in the hundredths of a second a GIF counts


def test_a_run_shorter_than_the_frames_has_one_frame_per_epoch(tmp_path, capsys):
    out = tmp_path / "short.gif"
    assert main(["animate", "--example", "xor", "--epochs", "3", "--out", str(out), *SMALL]) == 0
    assert "(3 frames," in capsys.readouterr().out
    assert len(gif_frames(out)[0]) == 3


def test_a_csv_animates_too(tmp_path):
    rng = np.random.default_rng(0)
    rows = "".join(f"{a:.3f},{b:.3f},{c:.3f},{int(a + b > 0)}\n" for a, b, c in rng.normal(size=(60, 3)))
    data = tmp_path / "three.csv"
    data.write_text("a,b,c,y\n" + rows, encoding="utf-8")
    out = tmp_path / "three.gif"
    assert main(["animate", str(data), "--epochs", "4", "--hidden", "3", "--out", str(out), *SMALL]) == 0
    assert len(gif_frames(out)[0]) == 4


def test_an_mp4_is_written_with_imageio_ffmpeg(tmp_path):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    out = tmp_path / "xor.mp4"
    assert main(["animate", "--example", "xor", "--epochs", "12", "--out", str(out),
                 "--frames", "6", "--fps", "12", *SMALL]) == 0
    assert out.read_bytes()[4:8] == b"ftyp"
    n_frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert n_frames == 6 and seconds == pytest.approx(0.5, abs=0.05)
    assert os.listdir(tmp_path) == ["xor.mp4"]


def test_mp4_without_imageio_ffmpeg_is_one_line_before_any_training(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # import fails as when not installed
    trained = []
    monkeypatch.setattr("bpgui.animation.animate.record", lambda *a, **k: trained.append(1))
    assert main(["animate", "--example", "xor", "--out", str(tmp_path / "x.mp4"), *SMALL]) == 2
    assert _error_line(capsys) == ("error: writing MP4 needs imageio-ffmpeg: pip install 'bpgui[video]' "
                                   "(or write a .gif)")
    assert trained == [] and os.listdir(tmp_path) == []


@pytest.mark.parametrize("flags, words", [
    (["--size", "800"], "argument --size: expected WIDTHxHEIGHT"),
    (["--size", "axb"], "argument --size: expected WIDTHxHEIGHT"),
    (["--size", "100x50"], "--size must be between 200x120 and 4096x4096, got 100x50"),
    (["--size", "9000x450"], "--size must be between"),
    (["--frames", "0"], "argument --frames: must be at least 1, got 0"),
    (["--frames", "many"], "argument --frames: expected a whole number"),
    (["--fps", "0"], "--fps must be above 0 and at most 100, got 0"),
    (["--fps", "-3"], "--fps must be above 0"),
    (["--fps", "nan"], "argument --fps: expected a number of frames per second"),
    (["--fps", "500"], "--fps must be above 0 and at most 100, got 500"),
])
def test_bad_animation_options_are_one_line(tmp_path, capsys, flags, words):
    out = tmp_path / "x.gif"
    assert main(["animate", "--example", "xor", "--out", str(out), "--quiet", *flags]) == 2
    assert words in _error_line(capsys)
    assert os.listdir(tmp_path) == []


def test_bad_paths_are_one_line_before_training(tmp_path, capsys):
    (tmp_path / "folder.gif").mkdir()
    cases = {
        str(tmp_path / "run.png"): "an animation is written as .gif or .mp4, not '.png'",
        str(tmp_path / "run"): "an animation is written as .gif or .mp4, not no extension",
        str(tmp_path / "no" / "such" / "run.gif"): "does not exist",
        str(tmp_path / "folder.gif"): "is a folder",
    }
    for path, words in cases.items():
        assert main(["animate", "--example", "xor", "--out", path, *SMALL]) == 2
        line = _error_line(capsys)
        assert path in line and words in line
    assert sorted(os.listdir(tmp_path)) == ["folder.gif"]


def test_an_odd_size_is_refused_for_mp4(tmp_path, capsys):
    pytest.importorskip("imageio_ffmpeg")
    assert main(["animate", "--example", "xor", "--out", str(tmp_path / "x.mp4"), "--size", "321x180"]) == 2
    assert "MP4 needs an even width and height, got 321x180" in _error_line(capsys)


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_a_failure_while_writing_leaves_nothing_behind(tmp_path, capsys, monkeypatch, suffix):
    if suffix == ".mp4":
        pytest.importorskip("imageio_ffmpeg")
    out = tmp_path / f"run{suffix}"
    drawn = []
    original = render.FrameRenderer.render

    def full_disk_at_the_fourth_frame(self, frame):
        drawn.append(frame.epoch)
        if len(drawn) == 4:
            raise OSError(28, "No space left on device", str(out))
        return original(self, frame)

    monkeypatch.setattr(render.FrameRenderer, "render", full_disk_at_the_fourth_frame)
    assert main(["animate", "--example", "xor", "--epochs", "10", "--frames", "6", "--out", str(out), *SMALL]) == 2
    assert _error_line(capsys) == f"error: {out}: no space left on device"
    assert os.listdir(tmp_path) == []


def test_an_existing_file_is_replaced_only_by_a_complete_one(tmp_path, capsys, monkeypatch):
    out = tmp_path / "run.gif"
    out.write_bytes(b"the old animation")

    def fail(self, frame):
        raise OSError(5, "Input/output error", str(out))

    monkeypatch.setattr(render.FrameRenderer, "render", fail)
    assert main(["animate", "--example", "xor", "--epochs", "3", "--out", str(out), *SMALL]) == 2
    assert out.read_bytes() == b"the old animation" and os.listdir(tmp_path) == ["run.gif"]


def test_a_diverging_run_is_one_line_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "run.gif"
    assert main(["animate", "--example", "xor", "--epochs", "50", "--lr", "1e6", "--optimizer", "sgd",
                 "--activation", "relu", "--out", str(out), *SMALL]) == 2
    assert "training diverged" in _error_line(capsys)
    assert os.listdir(tmp_path) == []


def test_the_progress_bar_covers_training_then_drawing(tmp_path, capsys):
    out = tmp_path / "run.gif"
    assert main(["animate", "--example", "xor", "--epochs", "8", "--frames", "4", "--out", str(out),
                 "--size", "320x180"]) == 0
    err = capsys.readouterr().err
    assert "frame 4/4 [" in err and "#" * 30 in err  # a pipe gets the bar's last line, full


def test_animate_help_lists_its_options(capsys):
    assert main(["animate", "--help"]) == 0
    out = capsys.readouterr().out
    for flag in ("--out", "--frames", "--fps", "--size", "--example", "--lr", "--early-stopping"):
        assert flag in out
    assert main(["--help"]) == 0
    assert "animate" in capsys.readouterr().out
