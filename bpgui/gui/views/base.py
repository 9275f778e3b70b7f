"""What every view shares: the controller's signals wired in ``__init__``, unwired on close,
and the network to draw (a snapshot of the newest report while training)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from bpgui.engine import Network

BUSY_STATES = ("training",)


def network_from_params(template, params):
    """A new Network shaped like ``template`` holding a copy of ``params`` (flat, as ``.params``)."""
    network = Network(template.sizes, template.activations, template.dtype)
    network.params[...] = params
    return network


class ControllerView(QWidget):
    """A view fed by a :class:`bpgui.gui.controller.TrainingController`.

    Subclasses override the ``on_*`` hooks they need; every hook is connected here and
    disconnected in :meth:`closeEvent`. The view never touches the trainer.
    """

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.latest_report = None
        self._connections = [
            (controller.dataChanged, self._data_changed),
            (controller.networkChanged, self._network_changed),
            (controller.reportReady, self._report_ready),
            (controller.stateChanged, self.on_state_changed),
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
        self.on_report(report)

    # -- hooks -----------------------------------------------------------------------------

    def on_data_changed(self):
        self.on_network_changed()

    def on_network_changed(self):
        pass

    def on_report(self, report):
        pass

    def on_state_changed(self, state):
        pass

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
