"""Per-epoch training history in NumPy arrays that grow by doubling.

A 20,000-epoch run appends 20,000 rows but reallocates only ~15 times, and the plots read
views ``[:n]`` of the same buffers, so memory stays flat and drawing never copies a list.
No Qt here: the history is plain data the controller owns and the views read.
"""

from __future__ import annotations

from operator import attrgetter

import numpy as np

from bpgui.io.history_csv import HISTORY_COLUMNS, history_csv_text

COLUMNS = (*HISTORY_COLUMNS, "seconds")
"""The scalar columns, in the order of the CSV export (``epoch`` is counted from 1)."""

_scalars_of = attrgetter(*COLUMNS)  # report -> tuple of its COLUMNS values


class History:
    """Growing per-epoch arrays: one float64 column per name in :data:`COLUMNS`.

    Missing values (no validation split, no diagnostics that epoch) are NaN.
    ``grad_norms`` has shape ``(n, n_layers)`` once the first report with norms arrives.

    Parameters
    ----------
    capacity : int
        Rows allocated at first; the buffers double whenever they are full.
    """

    def __init__(self, capacity=1024):
        self._initial_capacity = int(capacity)
        self.metric_name = ""
        self.clear()

    def clear(self):
        """Forget every row (a reset or a new network)."""
        self.n = 0
        self._columns = {name: np.full(self._initial_capacity, np.nan) for name in COLUMNS}
        self._grad_norms = None

    @property
    def capacity(self):
        return len(self._columns["epoch"])

    def __len__(self):
        return self.n

    def append(self, report):
        """Add one :class:`bpgui.engine.EpochReport` (its scalars and gradient norms)."""
        self.extend((report,))

    def extend(self, reports):
        """Add a sequence of reports, oldest first.

        The controller drains hundreds of reports per frame from a fast trainer; they are
        converted in one NumPy call (``None`` becomes NaN), since the GUI thread's Python
        time is time the trainer waits for the interpreter lock.
        """
        if not reports:
            return
        rows = np.array([_scalars_of(report) for report in reports], dtype=float)  # (n, columns)
        start, stop = self.n, self.n + len(rows)
        while self.capacity < stop:
            self._grow()
        for name, values in zip(COLUMNS, rows.T):
            self._columns[name][start:stop] = values
        self.metric_name = reports[-1].metric_name
        with_norms = [(row, report.grad_norms) for row, report in enumerate(reports, start)
                      if report.grad_norms is not None]
        if with_norms:
            indices, norms = zip(*with_norms)
            self._store_grad_norms(list(indices), np.array(norms, dtype=float))
        self.n = stop

    def _store_grad_norms(self, rows, norms):
        """``norms`` of shape (len(rows), n_layers) into those rows (a new layer count starts afresh)."""
        if self._grad_norms is None or self._grad_norms.shape[1] != norms.shape[1]:
            self._grad_norms = np.full((self.capacity, norms.shape[1]), np.nan)
        self._grad_norms[rows] = norms

    def _grow(self):
        size = 2 * self.capacity
        for name, column in self._columns.items():
            bigger = np.full(size, np.nan)
            bigger[:self.n] = column[:self.n]
            self._columns[name] = bigger
        if self._grad_norms is not None:
            bigger = np.full((size, self._grad_norms.shape[1]), np.nan)
            bigger[:self.n] = self._grad_norms[:self.n]
            self._grad_norms = bigger

    def column(self, name):
        """A read-only view of the first ``n`` values of column ``name``: shape ``(n,)``."""
        view = self._columns[name][:self.n]
        view.flags.writeable = False
        return view

    @property
    def grad_norms(self):
        """Per-layer gradient norms, shape ``(n, n_layers)``, NaN where not computed; or None."""
        if self._grad_norms is None:
            return None
        view = self._grad_norms[:self.n]
        view.flags.writeable = False
        return view

    @property
    def last_epoch(self):
        return int(self._columns["epoch"][self.n - 1]) if self.n else 0

    def to_session(self):
        """``{"metric_name", "columns": {name: ndarray (n,)}, "grad_norms": ndarray or None}``."""
        norms = self.grad_norms
        return {"metric_name": self.metric_name,
                "columns": {name: self.column(name).copy() for name in COLUMNS},
                "grad_norms": None if norms is None else norms.copy()}

    def load_session(self, values):
        """Replace the rows with those of :meth:`to_session` (as read from a session file)."""
        self.clear()
        columns = values.get("columns") or {}
        rows = len(columns.get("epoch", ()))
        while self.capacity < rows:
            self._grow()
        for name in COLUMNS:
            if name in columns:
                self._columns[name][:rows] = np.asarray(columns[name], float)
        norms = values.get("grad_norms")
        if norms is not None and len(norms):
            norms = np.asarray(norms, float)
            self._grad_norms = np.full((self.capacity, norms.shape[1]), np.nan)
            self._grad_norms[:rows] = norms
        self.metric_name = values.get("metric_name", "")
        self.n = rows

    def to_csv_text(self):
        """``epoch,train_loss,val_loss,train_metric,val_metric,lr`` rows (empty cell = missing)."""
        columns = [self.column(name) for name in HISTORY_COLUMNS]
        rows = ([int(epoch), *map(float, rest)] for epoch, *rest in zip(*columns))
        return history_csv_text(rows)
