"""Views that show backpropagation at work, each fed by the training controller.

``VIEWS`` maps a dock title to a factory ``factory(controller, parent=None) -> QWidget``; the
main window turns each into a dock. Every view connects to the controller's signals in its
``__init__``, disconnects on close, and never touches the trainer. While training it draws
from the newest report's copy of the weights, otherwise from ``controller.network``.
"""

from bpgui.gui.views.decision_boundary import DecisionBoundaryView
from bpgui.gui.views.evaluation import EvaluationView
from bpgui.gui.views.gradient_norms import GradientNormView
from bpgui.gui.views.inspector import InspectorView
from bpgui.gui.views.metric_curves import MetricView
from bpgui.gui.views.neuron_maps import NeuronMapsView
from bpgui.gui.views.predict import PredictView

VIEWS = {
    "Decision boundary": DecisionBoundaryView,
    "Neuron maps": NeuronMapsView,
    "Inspector": InspectorView,
    "Gradient health": GradientNormView,
    "Metrics": MetricView,
    "Evaluation": EvaluationView,
    "Predict": PredictView,
}
"""Dock title → view factory ``(controller, parent=None) -> QWidget``."""

__all__ = ["VIEWS", "DecisionBoundaryView", "EvaluationView", "GradientNormView", "InspectorView",
           "MetricView", "NeuronMapsView", "PredictView"]
