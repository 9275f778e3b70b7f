"""Redraws in turns: at most one view redraws per pass of the event loop while training.

When several views redraw in the same pass, their work and then the repaint of all their
plots land in one block, and the window does not answer input for that long (over 100 ms
with every view visible). The queue runs one queued redraw, then lets the event loop go
round (input, the worker's reports, the paint of what that redraw changed) before the next.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

TURN_MS = 0  # between two redraws: one pass of the event loop (0 = as soon as it is idle)


class DrawQueue(QObject):
    """Callables run one per event-loop pass, oldest request first, each queued at most once.

    Examples
    --------
    >>> queue = DrawQueue(controller)   # doctest: +SKIP
    >>> queue.request(view.redraw)      # doctest: +SKIP
    """

    def __init__(self, parent=None, turn_ms=TURN_MS):
        super().__init__(parent)
        self._waiting = []  # callables, oldest request first
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(turn_ms)
        self._timer.timeout.connect(self._run_next)

    def request(self, draw):
        """Queue ``draw()`` for a later pass (no-op when it is already waiting)."""
        if draw not in self._waiting:
            self._waiting.append(draw)
        if not self._timer.isActive():
            self._timer.start()

    def cancel(self, draw):
        """Forget a waiting ``draw`` (say, its view drew at once or closed)."""
        if draw in self._waiting:
            self._waiting.remove(draw)

    def is_waiting(self, draw):
        return draw in self._waiting

    def __len__(self):
        return len(self._waiting)

    def _run_next(self):
        if not self._waiting:
            return
        draw = self._waiting.pop(0)
        try:
            draw()
        finally:
            if self._waiting:
                self._timer.start()


def draw_queue(controller):
    """The controller's :class:`DrawQueue`, made (as its child) on first use."""
    queue = controller.findChild(DrawQueue)
    if queue is None:
        queue = DrawQueue(controller)
    return queue
