"""Which epochs an animation shows, and the weights kept for them while a run trains."""

import numpy as np
import pytest

from bpgui.animation.frames import WeightSnapshots, frame_epochs, record
from bpgui.data import get_example, load_example
from bpgui.runs import RunSettings, build_run, example_settings


def test_frames_are_evenly_spaced_with_the_first_and_last_epoch():
    epochs = frame_epochs(1500, 60)
    assert len(epochs) == 60 and epochs[0] == 1 and epochs[-1] == 1500
    steps = np.diff(epochs)
    assert steps.min() >= 25 and steps.max() <= 26  # 1499 / 59 = 25.4
    assert frame_epochs(100, 4) == (1, 34, 67, 100)
    assert frame_epochs(61, 61) == tuple(range(1, 62))


def test_a_run_of_fewer_epochs_than_frames_has_one_frame_per_epoch():
    assert frame_epochs(7, 60) == (1, 2, 3, 4, 5, 6, 7)
    assert frame_epochs(1, 60) == (1,)


def test_one_frame_shows_the_last_epoch():
    assert frame_epochs(200, 1) == (200,)


def test_frame_epochs_are_distinct_whenever_there_are_more_epochs_than_frames():
    for n_epochs in range(2, 140):
        for n_frames in (2, 3, 7, 60):
            epochs = frame_epochs(n_epochs, n_frames)
            assert len(set(epochs)) == len(epochs) == min(n_epochs, n_frames)
            assert epochs[-1] == n_epochs and epochs[0] == 1


@pytest.mark.parametrize("bad", [(0, 5), (5, 0), (-1, 3)])
def test_no_epochs_or_no_frames_is_refused(bad):
    with pytest.raises(ValueError):
        frame_epochs(*bad)


def _train(snapshots, n_epochs, stop_at=None):
    """Feed ``snapshots`` the weights of a pretend run: params = [epoch]."""
    last = stop_at or n_epochs
    for epoch in range(1, last + 1):
        snapshots.take(epoch, np.array([float(epoch)]), last=epoch == last)
    return last


def test_a_run_of_known_length_keeps_only_its_frames_weights():
    snapshots = WeightSnapshots(1000, 5, may_stop_early=False, params_bytes=8)
    _train(snapshots, 1000)
    assert sorted(snapshots.kept) == [1, 251, 501, 750, 1000]  # 500.5 rounds up
    frames = snapshots.frames(1000)
    assert [f.epoch for f in frames] == [1, 251, 501, 750, 1000]
    assert all(f.params[0] == f.epoch for f in frames)  # each frame has its own epoch's weights


def test_a_run_stopped_early_spreads_its_frames_over_the_epochs_it_ran():
    snapshots = WeightSnapshots(1000, 5, may_stop_early=True, params_bytes=8)
    last = _train(snapshots, 1000, stop_at=97)
    frames = snapshots.frames(last)
    assert [f.epoch for f in frames] == [1, 25, 49, 73, 97] == list(frame_epochs(97, 5))
    assert all(f.params[0] == f.epoch for f in frames)


def test_beyond_its_budget_a_long_run_keeps_every_nth_epoch_and_frames_take_the_nearest():
    snapshots = WeightSnapshots(100000, 6, may_stop_early=True, params_bytes=8, budget=8 * 30)
    last = _train(snapshots, 5003)
    assert len(snapshots.kept) <= 31 and snapshots.stride > 1
    epochs = [f.epoch for f in snapshots.frames(last)]
    assert epochs[0] == 1 and epochs[-1] == 5003 and len(epochs) == 6
    ideal = frame_epochs(5003, 6)
    assert max(abs(a - b) for a, b in zip(epochs, ideal)) <= snapshots.stride


def _run(name, **changes):
    example = get_example(name)
    settings, layers = example_settings(example, RunSettings())
    return build_run(load_example(name), settings.replace(**changes), example.spec, layers)


def test_recording_a_run_keeps_the_weights_it_had_at_each_frame():
    run = _run("xor", epochs=30)
    reports, frames = record(run, 4)
    assert len(reports) == 30 and [f.epoch for f in frames] == [1, 11, 20, 30]
    assert np.array_equal(frames[-1].params, run.network.params)  # the last frame: the trained weights
    assert not np.array_equal(frames[0].params, frames[-1].params)
    again = _run("xor", epochs=11)
    record(again, 1)
    assert np.array_equal(again.network.params, frames[1].params)  # epoch 11 of the same run


def test_recording_a_run_with_early_stopping_ends_its_frames_at_the_epoch_it_stopped():
    run = _run("circles", epochs=2000, early_stopping=3, lr=0.1)
    reports, frames = record(run, 10)
    last = reports[-1]
    assert last.stop_reason == "early_stopping" and last.epoch < 2000
    assert [f.epoch for f in frames] == list(frame_epochs(last.epoch, 10))


def test_progress_is_training_then_drawing_half_and_half():
    from bpgui.animation import PROGRESS_STEPS, progress_steps

    assert progress_steps(750, 1500, 0, 60) == PROGRESS_STEPS // 4
    assert progress_steps(1, 1, 30, 60) == 3 * PROGRESS_STEPS // 4
    assert progress_steps(97, 97, 60, 60) == PROGRESS_STEPS  # a run stopped early ends full too
