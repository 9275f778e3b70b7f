"""The drawing being edited in the decision-boundary view, and its way into the controller.

One :class:`DrawingSession` hangs off the controller (:func:`drawing_session`). It holds the
:class:`~bpgui.data.drawing.Drawing` (points drawn on an empty plane, File › New drawing, or
the rows of 2-D data made editable) and turns each edit into data:

- The points are prepared like any table (split and scaled with the spec's seed). When the
  network :meth:`~TrainingController.fits` them, the controller swaps the rows in place
  (``replace_rows``): the run goes on and the trainer takes them as its next epoch begins.
- While training runs, edits are applied at most once per :data:`APPLY_MS` (the views' frame
  interval), so quick clicks never redraw every view per click.
- A new set of classes changes the network's output layer: with nothing trained (state idle)
  the network is rebuilt at once; otherwise the last good points stay in training and the
  status says to press Reset (or undo).
- Points that cannot be trained on (one point, one class) leave the loaded data as it was;
  :attr:`problem` says why, and the controller's Start says it too (``data_problem``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from bpgui.data import DataError, DatasetSpec, prepare
from bpgui.data.drawing import FEATURES, NEW_CLASSES, NEW_EXTENT, TARGET, Drawing
from bpgui.runs import RunSettings

APPLY_MS = 100  # while training, edits reach the data (and the views) at most this often
DRAWING_PRESET = {"hidden": (8, 8), "activation": "tanh", "optimizer": "adam", "lr": 0.03,
                  "batch_size": 16, "epochs": 100000}
"""The run a new drawing starts with: the 2-D examples' small tanh networks, and epochs for
about half a minute of training at full speed on a few dozen points, so there is time to
draw more while it runs (pause or stop it when you like)."""


def drawing_session(controller):
    """The controller's :class:`DrawingSession`, made (as its child) on first use."""
    session = controller.findChild(DrawingSession)
    if session is None:
        session = DrawingSession(controller)
    return session


def drawable(data):
    """Why ``data`` (a PreparedData or None) cannot be drawn on, or None when it can."""
    if data is None:
        return "load data first"
    columns = data.preprocessor.columns
    if len(columns) != 2 or any(column["kind"] != "numeric" for column in columns):
        return "drawing needs data with exactly two numeric features"
    if len(data.target_names) != 1:
        return "drawing needs data with one target"
    return None


class DrawingSession(QObject):
    """The drawing, its status line, and the edits that reach the controller.

    Signals
    -------
    changed()
        The points, the classes or the status changed (paced while training).
    started()
        A new drawing began (File › New drawing): the view switches draw mode on.
    """

    changed = Signal()
    started = Signal()

    def __init__(self, controller):
        super().__init__(controller)
        self.controller = controller
        self.drawing = None
        self.problem = None  # why the drawing cannot be trained on now, or None
        self.fresh = False  # a New drawing: its first data builds a new network
        self._rebuild_on_reset = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(APPLY_MS)
        self._timer.timeout.connect(self.apply)
        controller.dataChanged.connect(self._on_data_changed)
        controller.stateChanged.connect(self._on_state)

    # -- what there is -----------------------------------------------------------------------

    @property
    def installed(self):
        """True when the controller's data is this drawing's points."""
        source = self.controller.source or {}
        return self.drawing is not None and source.get("drawing") is self.drawing

    @property
    def active(self):
        """True when the drawing stands for the data (new, edited or loaded): saving the
        data saves it and Start trains on it (or says why it cannot)."""
        return self.drawing is not None and (self.fresh or self.drawing.version > 0 or self.installed)

    def status(self):
        """One line for the view: the problem, or what there is."""
        drawing = self.drawing
        if drawing is None:
            return ""
        if self.problem:
            return self.problem
        if drawing.task == "regression":
            return f"{len(drawing)} points"
        counts = ", ".join(f"{n} of class {label}" for label, n in drawing.counts().items())
        return f"{len(drawing)} points: {counts}"

    def colour_index(self, label):
        """The position of a class label (as the data holds it) in the drawing's classes,
        which picks its colour; None without a drawing or for a label it does not offer."""
        if self.drawing is None or str(label) not in self.drawing.classes:
            return None
        return self.drawing.classes.index(str(label))

    # -- starting and ending -----------------------------------------------------------------

    def begin(self):
        """Make the loaded data's points editable (draw mode on); return why not, or None."""
        if self.drawing is not None:
            return None
        data = self.controller.data
        reason = drawable(data)
        if reason:
            return reason
        table = self.controller.table
        self.drawing = Drawing.from_data(table, data.feature_names, data.target_names[0],
                                         data.task, data.classes)
        self.changed.emit()
        return None

    def end(self):
        """Draw mode off: an untouched drawing of the loaded data is dropped again."""
        if self.drawing is not None and not self.active:
            self.drawing = None
            self.changed.emit()

    def new_drawing(self, task="classification"):
        """An empty plane (File › New drawing); the loaded data stays until the points can
        be trained on, and the run in progress stops."""
        self.controller.stop_and_wait()
        self._timer.stop()
        self.drawing = Drawing(task, NEW_CLASSES, NEW_EXTENT)
        self.fresh = True
        self._set_problem(self.drawing.problem())
        self.started.emit()

    # -- edits -------------------------------------------------------------------------------

    def add(self, x1, x2, value):
        self._edit(self.drawing.add, x1, x2, value)

    def remove_nearest(self, x1, x2, units=(1.0, 1.0)):
        self._edit(self.drawing.remove_nearest, x1, x2, units)

    def clear(self):
        self._edit(self.drawing.clear)

    def undo(self):
        """Undo the last add, remove or clear; False when there is nothing to undo."""
        if self.drawing is None or not self.drawing.can_undo:
            return False
        self._edit(self.drawing.undo)
        return True

    def add_class(self):
        """Offer one more class; return its label (ValueError beyond the palette)."""
        label = self.drawing.add_class()
        self.changed.emit()
        return label

    def _edit(self, change, *args):
        if self.drawing is None:
            raise RuntimeError("no drawing to edit: switch drawing on first")
        change(*args)
        if self.controller.is_training:
            if not self._timer.isActive():
                self._timer.start()  # paced: at most one data change per APPLY_MS
            return
        self.apply()

    def flush(self):
        """Apply an edit still waiting for its turn (before saving, say)."""
        if self._timer.isActive():
            self.apply()

    # -- from points to data -----------------------------------------------------------------

    def apply(self):
        """Make the controller's data the drawing's points when they can be trained on."""
        self._timer.stop()
        self._rebuild_on_reset = False
        drawing, controller = self.drawing, self.controller
        if drawing is None:
            return
        problem = drawing.problem()
        if problem is None:
            try:
                problem = self._install(drawing, controller)
            except (DataError, ValueError) as error:
                problem = str(error)
        self._set_problem(problem)

    def _install(self, drawing, controller):
        """Put the points into the controller; return a problem (str) or None."""
        table = drawing.table()
        if self.fresh:
            settings = RunSettings(**DRAWING_PRESET, seed=controller.config.seed, task=drawing.task,
                                   target=(TARGET,), features=FEATURES)
            controller.load_table(table, settings.dataset_spec(), {"drawing": drawing},
                                  architecture=settings.architecture(), config=settings.train_config())
            self.fresh = False
            return None
        spec = self._spec()
        data = prepare(table, spec)
        source = {"drawing": drawing}
        if controller.fits(data):
            controller.replace_rows(table, data, source)
        elif not controller.has_trained:
            controller.load_table(table, spec, source, architecture=controller.architecture.replace(
                output_activation="auto", loss="auto"))
        else:
            self._rebuild_on_reset = True
            return (f"the network was built for {self._described(controller.data)}; these points "
                    f"have {self._described(data)}: press Reset to rebuild it for them, or undo "
                    "(Ctrl+Z). Training goes on with the points before.")
        return None

    def _spec(self):
        """The spec of the points: the loaded drawing's, or the loaded data's choices with
        the drawing's columns (derived inputs kept when they use x1 and x2)."""
        controller = self.controller
        if self.installed:
            return controller.spec
        base = controller.spec or DatasetSpec()
        same_names = controller.data is not None and controller.data.feature_names == FEATURES
        return DatasetSpec(targets=(TARGET,), features=FEATURES, task=self.drawing.task,
                           missing=base.missing, scaling=base.scaling, val_split=base.val_split,
                           test_split=base.test_split, seed=base.seed,
                           derived=base.derived if same_names else ())

    @staticmethod
    def _described(data):
        if data.classes is None:
            return f"{len(data.target_names)} target(s)"
        return "classes " + ", ".join(str(c) for c in data.classes)

    def _set_problem(self, problem):
        self.problem = problem
        self.controller.data_problem = problem if self.active else None
        self.changed.emit()

    # -- the controller's news ---------------------------------------------------------------

    def _on_data_changed(self):
        source = self.controller.source or {}
        drawing = source.get("drawing")
        if drawing is self.drawing and drawing is not None:
            return  # our own points, just installed
        self._timer.stop()
        self.fresh, self.problem, self._rebuild_on_reset = False, None, False
        self.controller.data_problem = None
        self.drawing = drawing if isinstance(drawing, Drawing) else None  # a session's drawing
        self.changed.emit()

    def _on_state(self, state):
        if state != "training" and self._timer.isActive():
            self.apply()  # the run paused or ended: the waiting edit at once
        elif state == "idle" and self._rebuild_on_reset:
            self.apply()  # reset: now the network may change for the new classes

    def table_to_save(self):
        """The table File › Save data as CSV writes: the drawing's points while it stands
        for the data, else the loaded table."""
        if self.active:
            self.flush()
            return self.drawing.table()
        return self.controller.table
