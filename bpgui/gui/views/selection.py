"""A per-controller channel for "this training row was picked" between views.

The decision boundary emits a row when a point is clicked; the inspector listens. Both only
know the controller, so the channel hangs off it (created on first use, dies with it).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal



class SampleSelection(QObject):
    sampleSelected = Signal(int)  # index into controller.data.X_train


def sample_selection(controller):
    """The controller's :class:`SampleSelection`, made (as its child) on first use."""
    channel = controller.findChild(SampleSelection)
    if channel is None:
        channel = SampleSelection(controller)
    return channel
