"""A view whose redraw is slow redraws less often while training (base.DRAW_SHARE)."""

import pytest

from bpgui.gui.views import base
from bpgui.gui.views.base import DRAW_SHARE, ControllerView


class SlowView(ControllerView):
    """Each redraw from a report advances a fake clock by ``cost`` seconds."""

    frame_interval = 0.1

    def __init__(self, controller, clock, cost):
        super().__init__(controller)
        self.clock, self.cost, self.drawn = clock, cost, 0

    def on_report(self, report):
        self.drawn += 1
        self.clock[0] += self.cost


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(base.time, "perf_counter", lambda: now[0])
    return now


@pytest.mark.parametrize("cost, interval", [(0.001, 0.1), (0.2, 0.2 / DRAW_SHARE)])
def test_the_wait_between_redraws_grows_with_their_cost(controller, clock, cost, interval):
    view = SlowView(controller, clock, cost)
    view._pending_report = object()
    view._draw_pending()
    assert view.drawn == 1 and view.draw_seconds == pytest.approx(cost)
    assert view.redraw_interval() == pytest.approx(interval)


def test_a_slow_view_skips_frames_while_training(controller, clock, monkeypatch, load_data):
    load_data("plane")
    view = SlowView(controller, clock, 0.2)
    monkeypatch.setattr(ControllerView, "training", property(lambda self: True))
    monkeypatch.setattr(ControllerView, "shown", property(lambda self: True))
    report = controller.current_report()
    view._report_ready(report)
    view._draws._run_next()
    assert view.drawn == 1
    clock[0] += 0.5  # sooner than 0.2 / DRAW_SHARE = 2 s after the slow redraw
    view._report_ready(report)
    assert view._frame_timer.isActive() and view._frame_timer.interval() >= 1000 * (2.0 - 0.7)
    view.close()
