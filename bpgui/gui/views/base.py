"""What every view shares: the controller's signals wired in ``__init__``, unwired on close,
and the network to draw (a snapshot of the newest report while training)."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from bpgui.engine import Network
from bpgui.gui.draw_queue import draw_queue

BUSY_STATES = ("training",)
DRAW_SHARE = 0.1
"""While training, a view's redraws take at most this share of the window's time: a view
whose redraw took ``t`` seconds waits ``t / DRAW_SHARE`` before the next (a 2,000-neuron
layer or 200 classes make some views slow; they then redraw less often, never more slowly)."""


def network_from_params(template, params):
    """A new Network shaped like ``template`` holding a copy of ``params`` (flat, as ``.params``)."""
    network = Network(template.sizes, template.activations, template.dtype)
    network.params[...] = params
    return network


class ControllerView(QWidget):
    """A view fed by a :class:`bpgui.gui.controller.TrainingController`.

    Subclasses override the ``on_*`` hooks they need; every hook is connected here and
    disconnected in :meth:`closeEvent`. The view never touches the trainer.

    While training, :meth:`on_report` runs at most once per ``frame_interval`` seconds (the
    newest report wins), in turn with the other views through the controller's
    :class:`bpgui.gui.draw_queue.DrawQueue` (one view redraws per pass of the event loop, so
    paints and input come in between), and not at all while the view is hidden; a hidden
    view catches up when shown, or when the run pauses or ends (at rest every view holds the
    current numbers, seen or not: a script reading a plot finds them). A dock whose tab is not the current one still counts as
    visible to Qt 6 (``isVisible()`` stays True, only its visible region is empty), so the
    window forwards each dock's ``visibilityChanged`` to :meth:`set_dock_visible`.
    :meth:`collect` sees every report, for views that keep a series. Outside training every
    report is drawn at once. A view whose redraw is slow redraws less often while training
    (:data:`DRAW_SHARE`, :meth:`redraw_interval`).

    The default hooks suit views that draw the current network: a new network, a report
    while training and the end of a run all call :meth:`redraw`.
    """

    frame_interval = 0.1  # seconds between redraws while training

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.latest_report = None
        self._pending_report = None
        self._last_draw = 0.0
        self.draw_seconds = 0.0  # how long the last redraw from a report took
        self._stale = False
        self._dock_visible = True
        self._frame_timer = QTimer(self)
        self._frame_timer.setSingleShot(True)
        self._frame_timer.timeout.connect(self._queue_draw)
        self._draws = draw_queue(controller)
        self._connections = [
            (controller.dataChanged, self._data_changed),
            (controller.dataEdited, self._data_changed),  # rows drawn or removed: same network
            (controller.networkChanged, self._network_changed),
            (controller.reportReady, self._report_ready),
            (controller.stateChanged, self._state_changed),
        ]
        for signal, slot in self._connections:
            signal.connect(slot)

    # -- wiring ----------------------------------------------------------------------------

    def disconnect_controller(self):
        """Stop listening to the controller (idempotent)."""
        for signal, slot in self._connections:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):  # already gone with the controller
                pass
        self._connections = []
        self._frame_timer.stop()
        try:
            self._draws.cancel(self._draw_pending)
        except RuntimeError:  # the queue went with the controller
            pass

    def closeEvent(self, event):
        self.disconnect_controller()
        super().closeEvent(event)

    def _data_changed(self):
        self.latest_report = None
        self.on_data_changed()

    def _network_changed(self):
        self.latest_report = None
        self.on_network_changed()

    def _report_ready(self, report):
        if report.params is not None:
            self.latest_report = report
        self.collect(report)
        self._pending_report = report
        if not self.training:  # at rest every view draws, seen or not: once, and its data is right
            self._stale = False
            self._frame_timer.stop()
            self._draws.cancel(self._draw_pending)
            self._draw_pending()
            return
        if not self.shown:  # while training a hidden view skips its frames and catches up later
            self._stale = True
            return
        if not self._frame_timer.isActive() and not self._draws.is_waiting(self._draw_pending):
            wait = self.redraw_interval() - (time.perf_counter() - self._last_draw)
            if wait > 0:
                self._frame_timer.start(int(wait * 1000) + 1)
            else:
                self._queue_draw()

    def _queue_draw(self):
        self._draws.request(self._draw_pending)

    def _draw_pending(self):
        report, self._pending_report = self._pending_report, None
        if report is not None:
            self._last_draw = time.perf_counter()
            self.on_report(report)
            self.draw_seconds = time.perf_counter() - self._last_draw

    def redraw_interval(self):
        """Seconds from one redraw's start to the next while training: ``frame_interval``, or
        longer when the last redraw took more than :data:`DRAW_SHARE` of that."""
        return max(self.frame_interval, self.draw_seconds / DRAW_SHARE)

    @property
    def shown(self):
        """True when the user can see the view (shown, and its dock's tab is the current one)."""
        return self._dock_visible and self.isVisible()

    def set_dock_visible(self, visible):
        """The dock holding this view became visible (its tab selected) or not."""
        self._dock_visible = bool(visible)
        self._catch_up()

    def showEvent(self, event):
        super().showEvent(event)
        self._catch_up()

    def _catch_up(self):
        if self._stale and (self.shown or not self.training):
            self._stale = False
            self.on_network_changed()
            self._draw_pending()

    def _state_changed(self, state):
        self._catch_up()  # a run paused or ended: a view hidden meanwhile draws what it skipped
        self.on_state_changed(state)

    # -- hooks -----------------------------------------------------------------------------

    def on_data_changed(self):
        self.on_network_changed()

    def on_network_changed(self):
        """Weights or architecture replaced: draw the current network."""
        self.redraw()

    def collect(self, report):
        """Every report, drawn or not (cheap bookkeeping only)."""

    def on_report(self, report):
        """The newest report, at most once per ``frame_interval`` while training: draws the
        report's snapshot of the weights (outside training the hooks above draw)."""
        if report.params is not None and self.training:
            self.redraw()

    def on_state_changed(self, state):
        """A run began or ended: once it ended, draw the controller's network."""
        if not self.training:
            self.redraw()

    def redraw(self):
        """Draw :meth:`current_network` (views that draw the network override this)."""

    # -- what to draw ----------------------------------------------------------------------

    @property
    def training(self):
        return self.controller.state in BUSY_STATES

    def current_network(self):
        """The network to draw: a snapshot from the newest report while training, the
        controller's network otherwise; None when there is none (or no snapshot yet)."""
        network = self.controller.network
        if network is None:
            return None
        if not self.training:
            return network
        report = self.latest_report
        if report is None or report.params is None or len(report.params) != len(network.params):
            return None
        return network_from_params(network, report.params)
