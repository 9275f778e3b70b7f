"""The runs a window keeps, newest last, and the one it is training now.

No Qt here. The window's controller feeds the log at a run's boundaries and once a frame
(:meth:`RunLog.sync_current`, :meth:`RunLog.end_current`); a sweep adds its finished runs with
one call (:meth:`RunLog.add`); the Runs dock listens (:meth:`RunLog.subscribe`) and shows them.

A run (DESIGN.md §4) starts at fresh or reset weights and lasts until the next reset, new
weights, data or architecture change; pausing and continuing is the same run. Its record
appears with its first epoch.
"""

from __future__ import annotations

import re

import numpy as np

from bpgui.runs.run_record import HISTORY_FIELDS, RunRecord

EVENTS = ("inserted", "changed", "removed", "reset")
"""What a listener hears, with the row it concerns (None for ``reset``)."""

_NUMBERED = re.compile(r"run (\d+)")


class RunLog:
    """Kept runs (:class:`RunRecord`), oldest first.

    Attributes
    ----------
    records : list of RunRecord
    current : RunRecord or None
        The record of the run in progress (one of ``records``), None between runs or when
        the user deleted it (the run in progress is then not kept until the next one).
    """

    def __init__(self):
        self.records = []
        self.current = None
        self._listeners = []
        self._numbered = 0  # the highest N of a "run N" label handed out so far
        self._dropped = False  # the run in progress was deleted: do not keep it again
        self._nans = np.full(0, np.nan)

    def __len__(self):
        return len(self.records)

    def __iter__(self):
        return iter(self.records)

    def __getitem__(self, index):
        return self.records[index]

    def __repr__(self):
        return f"RunLog({len(self.records)} runs, current={self.current.label if self.current else None})"

    # -- listeners ------------------------------------------------------------------------------

    def subscribe(self, listener):
        """Call ``listener(event, index)`` after every change (``event`` one of :data:`EVENTS`).

        The numbers of the run in progress change every frame without an event: whoever
        shows them refreshes that row at its own pace.
        """
        self._listeners.append(listener)

    def unsubscribe(self, listener):
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _tell(self, event, index=None):
        for listener in list(self._listeners):
            listener(event, index)

    # -- adding, naming, deleting ---------------------------------------------------------------

    def next_label(self):
        """The default name of the next run: ``run N``, N one more than any so far."""
        return f"run {self._numbered + 1}"

    def add(self, record):
        """Keep ``record`` as the newest run (a sweep's, or one read from a file) and return
        it; an empty label becomes :meth:`next_label`."""
        if not record.label:
            record.label = self.next_label()
        self._count(record.label)
        self.records.append(record)
        self._tell("inserted", len(self.records) - 1)
        return record

    def index(self, record):
        """The row of ``record`` (the same object), or None."""
        return next((i for i, kept in enumerate(self.records) if kept is record), None)

    def rename(self, index, label):
        """Give run ``index`` a new name; ``ValueError`` for an empty one."""
        label = str(label).strip()
        if not label:
            raise ValueError("a run needs a name")
        self.records[index].label = label
        self._tell("changed", index)

    def delete(self, indices):
        """Forget the runs at ``indices``; deleting the run in progress stops keeping it."""
        for index in sorted(set(indices), reverse=True):
            record = self.records.pop(index)
            if record is self.current:
                self.current, self._dropped = None, True
            self._tell("removed", index)

    def replace(self, records, current=None):
        """Hold ``records`` instead (a session's); ``current``: the row of the run in progress."""
        self.records = list(records)
        self.current = self.records[current] if current is not None else None
        self._dropped = False
        self._numbered = 0
        for record in self.records:
            self._count(record.label)
        self._numbered = max(self._numbered, len(self.records))
        self._tell("reset")

    def _count(self, label):
        match = _NUMBERED.fullmatch(label)
        if match:
            self._numbered = max(self._numbered, int(match.group(1)))

    # -- the run in progress --------------------------------------------------------------------

    def sync_current(self, settings, history, metric_name="", seconds=0.0, data=None, error=None):
        """Bring the run in progress up to date, keeping it from its first epoch on.

        Parameters
        ----------
        settings : RunSettings or None
            The settings of its newest epoch (None: as they were).
        history : dict of str to ndarray of shape (n_epochs,)
            Columns of :data:`HISTORY_FIELDS` (missing ones are NaN). Views of growing
            buffers are welcome: they are copied when the run ends.
        metric_name : str
        seconds : float
            Training time so far.
        data : str or None
            What it trains on (None: as it was).
        error : str or None

        Returns
        -------
        RunRecord or None
            The run's record; None before its first epoch (unless it failed) or once the user
            deleted it.
        """
        n = len(history.get("epoch", ()))
        if self._dropped or not (n or error):  # a run that failed in its first epoch is kept too
            return self.current
        columns = {name: history[name] if name in history else self._nan_column(n) for name in HISTORY_FIELDS}
        record = self.current
        if record is None:
            record = RunRecord(self.next_label(), settings, columns, metric_name, float(seconds),
                               error=error, data=data or "")
            self.current = record
            return self.add(record)
        if settings is not None:
            record.settings = settings
        if data is not None:
            record.data = data
        record.history, record.metric_name = columns, metric_name
        record.seconds, record.error = float(seconds), error
        return record

    def end_current(self):
        """The run in progress ended: its record keeps copies of its history (its weights are
        what :meth:`RunRecord.keep_network` gave it last)."""
        record, self.current, self._dropped = self.current, None, False
        if record is None:
            return
        record.history = {name: np.array(values, dtype=np.float64) for name, values in record.history.items()}
        index = self.index(record)
        if index is not None:
            self._tell("changed", index)

    def _nan_column(self, n):
        if len(self._nans) < n:
            self._nans = np.full(max(2 * len(self._nans), n, 1024), np.nan)
            self._nans.flags.writeable = False
        return self._nans[:n]
