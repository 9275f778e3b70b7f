"""Turn raw table columns into network inputs and targets, and network outputs back.

A :class:`Preprocessor` is fitted on the training split only and serialises to the model
file's ``inputs`` and ``outputs`` sections (DESIGN.md §4), so predict applies the very same
imputation, scaling, one-hot encoding and class order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bpgui.data.csv_reader import DEFAULT_NA_VALUES
from bpgui.data.derived import file_entries, parse_derived
from bpgui.data.description import preprocessor_arguments
from bpgui.data.errors import DataError
from bpgui.data.kinds import NUMERIC, column_as, format_number, is_missing, whole
from bpgui.data.table import Table, list_names

TASKS = ("classification", "regression")


def imputed_raw(table, rows, columns, names=None) -> dict:
    """Raw values of the numeric ``columns`` (descriptions with ``impute``) for ``rows``, with
    missing cells filled: what derived inputs are computed from. ``names`` limits the columns
    read (default: every numeric one).

    Returns
    -------
    dict of str to ndarray of shape (len(rows),), float64
    """
    raw = {}
    for column in columns:
        if column["kind"] == NUMERIC and (names is None or column["name"] in names):
            values = column_as(table, column["name"], NUMERIC)[rows]
            raw[column["name"]] = np.where(np.isnan(values), column["impute"], values)
    return raw


class Preprocessor:
    """Imputation, scaling and encoding of one model's inputs and outputs.

    Attributes
    ----------
    task : {"classification", "regression"}
    scaling : {"standard", "minmax", "none"}
    columns : list of dict
        DESIGN.md §4 ``inputs.columns``, in network-input order.
    derived : list of dict
        DESIGN.md §4 ``inputs.derived``: ``{"expr", "center", "scale"}`` per derived input,
        appended after the encoded columns (empty: none).
    derived_inputs : list of bpgui.data.derived.DerivedInput
        The same expressions, read.
    na_values : tuple of str
    targets : tuple of str
    classes : tuple or None
        Class labels (int or str) in output order, for classification.
    target_center, target_scale : ndarray of shape (n_targets,) or None
        Set when regression targets are scaled.
    """

    def __init__(self, task, scaling, columns, targets, classes=None, target_center=None,
                 target_scale=None, na_values=DEFAULT_NA_VALUES, derived=()):
        if task not in TASKS:
            raise DataError(f'task must be classification or regression, not "{task}"')
        self.task = task
        self.scaling = scaling
        self.columns = [dict(column) for column in columns]
        self.targets = tuple(targets)
        self.classes = None if classes is None else tuple(classes)
        self.target_center = None if target_center is None else np.asarray(target_center, float)
        self.target_scale = None if target_scale is None else np.asarray(target_scale, float)
        self.na_values = tuple(na_values)
        numeric = [c["name"] for c in self.columns if c["kind"] == NUMERIC]
        self.derived = file_entries(derived, numeric)
        self.derived_inputs = [parse_derived(item["expr"]) for item in self.derived]

    # ---- shape of the network's ends -------------------------------------------------------
    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(column["name"] for column in self.columns)

    @property
    def input_names(self) -> tuple[str, ...]:
        """One name per network input: ``age`` or ``colour=red`` for one-hot units, then each
        derived input's expression (``age^2``)."""
        names = []
        for column in self.columns:
            if column["kind"] == NUMERIC:
                names.append(column["name"])
            else:
                names.extend(f'{column["name"]}={c}' for c in column["categories"])
        return tuple(names) + tuple(item["expr"] for item in self.derived)

    @property
    def n_inputs(self) -> int:
        return len(self.input_names)

    @property
    def n_encoded(self) -> int:
        """Network inputs from the columns themselves (before the derived ones): the width of
        the ONNX graph's ``input``."""
        return self.n_inputs - len(self.derived)

    @property
    def n_classes(self) -> int:
        return 0 if self.classes is None else len(self.classes)

    # ---- inputs ------------------------------------------------------------------------------
    def transform(self, table: Table) -> np.ndarray:
        """Network inputs for every row of ``table``.

        Returns
        -------
        X : ndarray of shape (n_rows, n_inputs), float64

        Raises
        ------
        DataError
            When a feature column is missing from the table (the available ones are listed)
            or a numeric feature holds text.
        """
        return self.transform_rows(table, np.arange(table.n_rows))[0]

    def transform_rows(self, table: Table, rows) -> tuple[np.ndarray, int]:
        """Inputs for ``rows`` of ``table`` and the number of cells imputed."""
        rows = np.asarray(rows, dtype=np.int64)
        X = np.zeros((len(rows), self.n_inputs))
        n_imputed, offset = 0, 0
        for column in self.columns:
            values = self._feature(table, column)[rows]
            width = 1 if column["kind"] == NUMERIC else len(column["categories"])
            n_imputed += _encode_column(column, values, X[:, offset:offset + width])
            offset += width
        if self.derived:
            used = {name for item in self.derived_inputs for name in item.names}
            X[:, offset:] = self._derived_inputs(imputed_raw(table, rows, self.columns, used))
        return X, n_imputed

    def with_derived(self, X_base) -> np.ndarray:
        """Full network inputs from the encoded columns alone: the derived inputs computed from
        the raw values the scaled numeric columns stand for, appended. The views that feed a
        grid of points to the network (the output maps) go through here.

        Parameters
        ----------
        X_base : ndarray of shape (n, n_encoded)
            Scaled numeric values and one-hot units, as the first columns of ``transform``.

        Returns
        -------
        ndarray of shape (n, n_inputs), float64
        """
        X_base = np.asarray(X_base, dtype=np.float64)
        if X_base.ndim != 2 or X_base.shape[1] != self.n_encoded:
            raise ValueError(f"expected encoded inputs of shape (n, {self.n_encoded}), got {X_base.shape}")
        if not self.derived:
            return X_base
        raw, offset = {}, 0
        for column in self.columns:
            if column["kind"] == NUMERIC:
                raw[column["name"]] = X_base[:, offset] * column["scale"] + column["center"]
                offset += 1
            else:
                offset += len(column["categories"])
        return np.hstack([X_base, self._derived_inputs(raw)])

    def _derived_inputs(self, raw) -> np.ndarray:
        """Scaled derived inputs (n, n_derived) from imputed raw values by column name."""
        return np.column_stack([(item.evaluate(raw) - fitted["center"]) / fitted["scale"]
                                for item, fitted in zip(self.derived_inputs, self.derived)])

    def _feature(self, table, column):
        if column["name"] not in table.data:
            raise DataError(f"this feature column is missing; the file has: "
                            f"{list_names(table.columns)}", path=table.source, column=column["name"])
        return column_as(table, column["name"], column["kind"])

    # ---- targets ----------------------------------------------------------------------------
    def encode_targets(self, table: Table, rows=None) -> np.ndarray:
        """Network targets for ``rows`` (default all) of ``table``; NaN rows where one is missing.

        Returns
        -------
        Y : ndarray of shape (n_rows, n_outputs), float64
            Classification: one 0/1 column (2 classes) or one-hot columns in ``classes``
            order. Regression: one column per target, scaled when the model scales targets.

        Raises
        ------
        DataError
            A target column missing from the table, or a class the model does not know.
        """
        rows = np.arange(table.n_rows) if rows is None else np.asarray(rows, dtype=np.int64)
        for name in self.targets:
            if name not in table.data:
                raise DataError(f"this target column is missing; the file has: "
                                f"{list_names(table.columns)}", path=table.source, column=name)
        if self.task == "classification":
            return self._encode_classes(table, rows)
        Y = np.column_stack([column_as(table, name, NUMERIC)[rows] for name in self.targets])
        if self.target_center is not None:
            Y = (Y - self.target_center) / self.target_scale
        return Y

    def class_codes(self, table: Table, rows) -> np.ndarray:
        """Index into ``classes`` per row; -1 where the target is missing."""
        name = self.targets[0]
        values = table.column(name)[rows]
        keys, missing = label_keys(values, all(isinstance(c, int) for c in self.classes))
        codes = pd.Index(list(self.classes)).get_indexer(keys).astype(np.int64)  # -1: unknown
        unknown = np.flatnonzero((codes < 0) & ~missing)
        if len(unknown):
            row = int(rows[unknown[0]])
            value = values[unknown[0]]
            text = format_number(value) if isinstance(value, float) else value  # 7, not 7.0
            raise DataError(f'unknown class "{text}"; the model knows: '
                            f'{", ".join(map(str, self.classes))}',
                            path=table.source, line=table.line_of(row), column=name)
        codes[missing] = -1
        return codes

    def _encode_classes(self, table, rows):
        codes = self.class_codes(table, rows)
        return one_hot_targets(codes, self.n_classes)

    # ---- outputs ----------------------------------------------------------------------------
    def decode(self, output) -> np.ndarray:
        """Network outputs → class probabilities or target values in their own units.

        Parameters
        ----------
        output : ndarray of shape (n, n_outputs)

        Returns
        -------
        ndarray of shape (n, n_classes) for classification (one sigmoid unit p gives
        ``[1 − p, p]``; several units are normalised to sum to 1), else (n, n_targets).
        """
        output = np.asarray(output, dtype=np.float64)
        if output.ndim == 1:
            output = output[:, None]
        if self.task == "classification":
            if output.shape[1] == 1:
                return np.column_stack([1.0 - output[:, 0], output[:, 0]])
            total = output.sum(axis=1, keepdims=True)
            safe = np.where(total > 0, total, 1.0)
            return np.where(total > 0, output / safe, 1.0 / output.shape[1])
        if self.target_center is not None:
            return output * self.target_scale + self.target_center
        return output.copy()

    # ---- files ------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """The model file's ``inputs`` and ``outputs`` sections (DESIGN.md §4)."""
        inputs = {"scaling": self.scaling, "columns": [dict(c) for c in self.columns],
                  "na_values": list(self.na_values)}
        if self.derived:
            inputs["derived"] = [dict(item) for item in self.derived]
        return {
            "inputs": inputs,
            "outputs": {
                "targets": list(self.targets),
                "classes": None if self.classes is None else list(self.classes),
                "center": None if self.target_center is None else self.target_center.tolist(),
                "scale": None if self.target_scale is None else self.target_scale.tolist(),
            },
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Preprocessor":
        """Rebuild from :meth:`to_dict` output (or a whole model file with ``task``), checked
        (:func:`~bpgui.data.description.preprocessor_arguments`)."""
        return cls(**preprocessor_arguments(d))

    def __repr__(self):
        return (f"Preprocessor({self.task}, {self.scaling}, inputs={list(self.input_names)}, "
                f"targets={list(self.targets)})")


def _encode_column(column, values, out) -> int:
    """Write one feature's network inputs into ``out`` (n, width); return the cells imputed."""
    missing = is_missing(values)
    if column["kind"] == NUMERIC:
        filled = np.where(missing, column["impute"], values)
        out[:, 0] = (filled - column["center"]) / column["scale"]
    else:
        filled = np.where(missing, column["impute"], values)
        codes = pd.Index(column["categories"]).get_indexer(filled)  # -1: unseen category
        known = np.flatnonzero(codes >= 0)
        out[known, codes[known]] = 1.0
    return int(missing.sum())


def label_keys(values: np.ndarray, int_labels: bool):
    """Class keys of a target column: int64 when the labels are integers, else str.

    Returns
    -------
    keys : ndarray of shape (n,)
    missing : ndarray of bool of shape (n,)
    """
    missing = is_missing(values)
    if values.dtype.kind == "f":
        if int_labels:
            integral = whole(values)
            keys = np.where(integral, np.nan_to_num(values), np.nan).astype(object)
            keys[integral] = values[integral].astype(np.int64)
            return keys, missing
        keys = np.empty(len(values), dtype=object)
        keys[~missing] = [format_number(v) for v in values[~missing]]
        return keys, missing
    if int_labels:
        keys = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(float)
        integral = whole(keys)
        out = np.full(len(values), None, dtype=object)
        out[integral] = keys[integral].astype(np.int64)
        return out, missing
    return values, missing


def one_hot_targets(codes: np.ndarray, n_classes: int) -> np.ndarray:
    """Class indices → one 0/1 column (2 classes) or one-hot rows; NaN rows where code is -1."""
    width = 1 if n_classes == 2 else n_classes
    Y = np.zeros((len(codes), width))
    known = codes >= 0
    if width == 1:
        Y[known, 0] = codes[known]
    else:
        Y[np.flatnonzero(known), codes[known]] = 1.0
    Y[~known] = np.nan
    return Y
