"""Every view together: data changes, a threaded training run, closing."""

import time

import pytest

from bpgui.gui.views import VIEWS


@pytest.fixture
def all_views(open_view):
    return {title: open_view(factory) for title, factory in VIEWS.items()}


def test_views_survive_data_changes(step, controller, all_views, qtbot):
    for name in ("xor", "iris", "plane", "houses", "xor"):
        controller.load_example(name)
        step(controller)
        qtbot.wait(1)
    boundary = all_views["Decision boundary"]
    assert boundary.plot.isVisible() and boundary.grid_outputs is not None
    assert all_views["Inspector"].stages
    assert all_views["Evaluation"].metrics is not None


def test_the_boundary_message_when_iris_is_loaded(controller, all_views):
    controller.load_example("iris")
    assert "two numeric input features" in all_views["Decision boundary"].message.text()
    assert all_views["Neuron maps"].images == []


def test_training_with_every_view_open_draws_from_reports_in_short_turns(controller, all_views, qtbot, monkeypatch):
    """Every view redraws from the reports while a worker thread trains, each turn short.

    The whole event-loop gap also depends on the machine's load and on the other widgets; it
    is measured under Xvfb in the main window (README), not asserted here.
    """
    controller.load_example("xor")
    controller.config = controller.config.replace(max_epochs=100000)
    turns = []
    for view in all_views.values():
        draw = view.on_report

        def timed(report, draw=draw, view=view):
            started = time.perf_counter()
            draw(report)
            turns.append((type(view).__name__, time.perf_counter() - started))

        monkeypatch.setattr(view, "on_report", timed)
    with qtbot.waitSignal(controller.stateChanged):
        controller.start()
    qtbot.waitUntil(lambda: {name for name, _ in turns} >= {"DecisionBoundaryView", "GradientNormView",
                                                             "MetricView", "NeuronMapsView"}, timeout=5000)
    controller.pause()
    assert controller.stop_and_wait()
    assert controller.history.last_epoch > 1
    assert all_views["Decision boundary"].last_redraw_ms is not None
    assert len(all_views["Gradient health"].curves) == len(controller.network.sizes) - 1
    slowest = max(turns, key=lambda turn: turn[1])
    assert slowest[1] < 0.1, f"{slowest[0]} took {slowest[1] * 1000:.0f} ms to draw one frame"


def test_a_hidden_view_skips_frames_while_training_and_is_current_at_rest(step, controller, all_views, qtbot):
    controller.load_example("xor")
    boundary = all_views["Decision boundary"]
    boundary.hide()
    controller.set_config(controller.config.replace(max_epochs=100000))
    controller.start()
    qtbot.waitUntil(lambda: controller.history.n > 20 and boundary._stale, timeout=5000)
    assert controller.stop_and_wait()
    qtbot.waitUntil(lambda: not boundary._stale, timeout=2000)  # the run's last report, at rest
    assert boundary.grid_outputs == pytest.approx(controller.network.forward(boundary.grid.points))
    step(controller)  # at rest, a hidden view draws every report
    assert not boundary._stale
    assert boundary.grid_outputs == pytest.approx(controller.network.forward(boundary.grid.points))
    boundary.show()
    assert not boundary._stale


def test_a_closed_view_stops_listening(controller, all_views):
    controller.load_example("xor")
    boundary = all_views["Decision boundary"]
    boundary.close()
    before = boundary.grid_outputs.copy()
    controller.network.biases[-1][...] += 3.0
    controller.weights_edited()
    assert (boundary.grid_outputs == before).all()
