"""The frames: what they show, and that they show it in the window's colours."""

import numpy as np
import pytest
from PIL import Image

from bpgui.animation import canvas
from bpgui.animation.frames import record
from bpgui.animation.loss_panel import uses_log_scale
from bpgui.animation.render import FrameRenderer
from bpgui.data import get_example, load_example
from bpgui.runs import RunSettings, build_run, example_settings
from bpgui.visual import output_map
from bpgui.visual.colormap import TRAIN_LOSS_RGB, VAL_LOSS_RGB


def recorded(name, frames=4, **changes):
    example = get_example(name)
    settings, layers = example_settings(example, RunSettings())
    run = build_run(load_example(name), settings.replace(**changes), example.spec, layers)
    reports, kept = record(run, frames)
    return run, reports, kept


@pytest.fixture(scope="module")
def spiral():
    run, reports, frames = recorded("spiral", epochs=150, lr=0.03)
    return run, reports, frames, FrameRenderer(run, reports, (800, 450), "spiral")


def pixels(image, box):
    return np.asarray(image.crop(tuple(int(v) for v in box)), int)


def test_two_feature_data_shows_the_output_map_and_the_frames_change_as_it_learns(spiral):
    run, reports, frames, renderer = spiral
    assert renderer.shows_plane
    images = [renderer.render(frame) for frame in frames]
    assert all(image.size == (800, 450) and image.mode == "RGB" for image in images)
    first, last = (pixels(image, renderer.left.rect) for image in (images[0], images[-1]))
    assert np.abs(first - last).mean() > 5  # the map changed
    curve_first, curve_last = (pixels(image, renderer.losses.rect) for image in (images[0], images[-1]))
    assert (np.abs(curve_first - curve_last).sum(axis=2) > 0).sum() > 500  # the curve grew


def test_the_map_has_the_windows_colours_at_the_frames_weights(spiral):
    run, reports, frames, renderer = spiral
    frame = frames[-1]
    image = renderer.render(frame)
    panel = renderer.left
    network = renderer.network
    network.params[...] = frame.params
    _, center, scale = output_map.plane_axes(run.data.preprocessor.columns)
    # a spot far from every training point: the map is all there is
    raw = output_map.to_raw(run.data.X_train, center, scale)
    gx, gy, width, height = panel.grid.raw_rect
    candidates = np.column_stack([gx + width * np.linspace(0.05, 0.95, 15).repeat(15),
                                  gy + height * np.tile(np.linspace(0.05, 0.95, 15), 15)])
    distance = np.min(np.linalg.norm(candidates[:, None, :] - raw[None, :, :], axis=2), axis=1)
    spot = candidates[np.argmax(distance)]
    expected = output_map.classification_rgba(network.forward(output_map.to_scaled(spot[None], center, scale)))[0, :3]
    x, y = int(round(float(panel.x_pixel(spot[0])))), int(round(float(panel.y_pixel(spot[1]))))
    shown = np.asarray(image, int)[y - 1:y + 2, x - 1:x + 2].reshape(-1, 3)
    assert np.abs(shown - expected).max(axis=1).min() <= 12  # bilinear smoothing of the grid


def test_the_training_points_have_their_class_colours(spiral):
    run, reports, frames, renderer = spiral
    image = np.asarray(renderer.render(frames[0]), int)
    panel = renderer.left
    _, center, scale = output_map.plane_axes(run.data.preprocessor.columns)
    raw = output_map.to_raw(run.data.X_train[:1], center, scale)[0]
    x, y = int(round(float(panel.x_pixel(raw[0])))), int(round(float(panel.y_pixel(raw[1]))))
    label = int(run.data.Y_train[0, 0])  # one sigmoid output: 0 or 1
    colour = np.round(output_map.class_colours(2)[label] * 255)
    assert np.abs(image[y, x] - colour).max() <= 40  # its centre (a neighbour may overlap it)


def test_the_loss_curve_shows_train_and_validation_up_to_the_frames_epoch(spiral):
    run, reports, frames, renderer = spiral
    losses = renderer.losses
    image = np.asarray(renderer.render(frames[1]), int)
    x0, y0, x1, y1 = losses.rect
    legend = losses._legend_image
    plot = image.copy()
    plot[y0:y0 + 8 + legend.height, x1 - 8 - legend.width:x1] = 255  # the legend's swatches are no curve
    cut = int(np.ceil(losses.x_pixel(frames[1].epoch)))
    for rgb in (TRAIN_LOSS_RGB, VAL_LOSS_RGB):
        near = np.abs(plot[y0 + 1:y1, x0 + 1:x1] - np.array(rgb)).max(axis=2) < 40
        columns = np.flatnonzero(near.any(axis=0)) + x0 + 1
        assert columns.min() <= x0 + 3 and columns.max() >= cut - 3  # from epoch 1 to this one
        assert columns.max() <= cut + 4  # and nothing after it


def test_data_without_two_features_shows_the_network_coloured_by_gradient():
    run, reports, frames = recorded("iris", frames=3, epochs=12)
    renderer = FrameRenderer(run, reports, (640, 360), "iris")
    assert not renderer.shows_plane
    kept = run.network.params.copy()
    early, late = renderer.abs_delta(frames[0].params), renderer.abs_delta(frames[-1].params)
    assert np.array_equal(run.network.params, kept)  # the run's own weights are left as they were
    run.network.params[...] = frames[0].params
    assert all(np.allclose(a, b) for a, b in zip(early, run.trainer.diagnostics_now()["neuron_abs_delta"]))
    run.network.params[...] = kept
    assert not all(np.allclose(a, b) for a, b in zip(early, late))
    first, last = renderer.render(frames[0]), renderer.render(frames[-1])
    assert first.size == (640, 360)
    box = renderer.left.drawing_rect
    assert np.abs(pixels(first, box) - pixels(last, box)).mean() > 0.5  # neurons and links recoloured


def test_two_features_with_derived_inputs_still_show_the_output_map():
    run, reports, frames = recorded("circles", frames=2, epochs=5, hidden=(2,), derive=("x1^2", "x2^2"))
    assert run.network.n_inputs == 4
    renderer = FrameRenderer(run, reports, (640, 360), "circles")
    assert renderer.shows_plane
    assert renderer.render(frames[-1]).size == (640, 360)


def test_a_large_frame_is_the_same_picture_larger():
    run, reports, frames = recorded("xor", frames=2, epochs=5)
    small = FrameRenderer(run, reports, (800, 450), "xor").render(frames[-1])
    large = FrameRenderer(run, reports, (1600, 900), "xor").render(frames[-1])
    assert large.size == (1600, 900)
    difference = np.abs(np.asarray(large.resize((800, 450), Image.Resampling.BOX), int) - np.asarray(small, int))
    assert difference.mean() < 12


def test_the_loss_axis_is_logarithmic_when_the_loss_spans_two_decades():
    assert uses_log_scale(np.array([0.7, 0.1, 0.006]))
    assert not uses_log_scale(np.array([0.7, 0.1, 0.008]))
    assert not uses_log_scale(np.array([0.0, 0.5]))  # a zero loss cannot go on a log axis


def test_ticks_are_round_numbers_inside_the_range():
    ticks, step = canvas.nice_ticks(-1.23, 1.17, count=5)
    assert step == 0.5 and ticks == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert [canvas.tick_label(t, step) for t in ticks] == ["-1.0", "-0.5", "0", "0.5", "1.0"]
    ticks, step = canvas.nice_ticks(1, 1500, count=5)
    assert ticks == [500.0, 1000.0, 1500.0] and canvas.tick_label(1500.0, step) == "1500"
