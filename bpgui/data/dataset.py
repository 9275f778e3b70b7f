"""From a Table and the user's choices to network-ready arrays: task, labels, splits, scaling."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from bpgui.data.derived import canonical_texts, check_columns, parse_derived
from bpgui.data.errors import DataError
from bpgui.data.kinds import CATEGORICAL, NUMERIC, column_as, format_number, is_missing, whole
from bpgui.data.fitting import SCALINGS, fit_categorical, fit_derived, fit_numeric, scale_parameters
from bpgui.data.preprocess import Preprocessor, imputed_raw, label_keys
from bpgui.data.splits import check_fractions, split_rows
from bpgui.data.table import Table, list_names

TASK_CHOICES = ("auto", "classification", "regression")
MISSING_POLICIES = ("impute", "drop")
MAX_INTEGER_CLASSES = 20


@dataclass(frozen=True)
class DatasetSpec:
    """The user's choices about a table (import dialog, CLI flags, session file).

    Attributes
    ----------
    targets : tuple of str or None
        Target columns; None means the last column.
    features : tuple of str or None
        Feature columns; None means every column that is not a target.
    kinds : tuple of (str, str)
        Overrides of detected column kinds: ``(column, "numeric" | "categorical")``.
    task : {"auto", "classification", "regression"}
    missing : {"impute", "drop"}
        What to do with a missing feature value.
    scaling : {"standard", "minmax", "none"}
    val_split, test_split : float
        Fractions of the rows held out (stratified by class for classification).
    seed : int
        Seed of the split.
    derived : tuple of str
        Derived inputs (``x1^2``, ``x1*x2``, ``sin(x1)``, ``cos(x1)``), kept as their canonical
        texts; appended after the features in this order (:mod:`bpgui.data.derived`).
    """

    targets: tuple[str, ...] | None = None
    features: tuple[str, ...] | None = None
    kinds: tuple[tuple[str, str], ...] = ()
    task: str = "auto"
    missing: str = "impute"
    scaling: str = "standard"
    val_split: float = 0.2
    test_split: float = 0.0
    seed: int = 0
    derived: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "derived", canonical_texts(self.derived))  # DataError if bad

    def to_dict(self) -> dict:
        d = asdict(self)
        d["targets"] = None if self.targets is None else list(self.targets)
        d["features"] = None if self.features is None else list(self.features)
        d["derived"] = list(self.derived)
        d["kinds"] = {column: kind for column, kind in self.kinds}
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "DatasetSpec":
        """Inverse of :meth:`to_dict`; missing keys take their defaults."""
        d = dict(d)
        for key in ("targets", "features"):
            if d.get(key) is not None:
                d[key] = tuple(d[key])
        d["derived"] = tuple(d.get("derived") or ())
        kinds = d.get("kinds") or ()
        d["kinds"] = tuple(tuple(pair) for pair in (kinds.items() if isinstance(kinds, dict)
                                                    else kinds))
        known = {name: d[name] for name in cls.__dataclass_fields__ if name in d}
        return cls(**known)

    def replace(self, **changes) -> "DatasetSpec":
        return DatasetSpec.from_dict({**self.to_dict(), **changes})

    def validate(self) -> None:
        """DataError for a choice outside its allowed words or ranges."""
        for name, value, allowed in (("task", self.task, TASK_CHOICES),
                                     ("missing", self.missing, MISSING_POLICIES),
                                     ("scaling", self.scaling, SCALINGS)):
            if value not in allowed:
                raise DataError(f'{name} must be one of {", ".join(allowed)}, not "{value}"')
        check_fractions(self.val_split, self.test_split)


@dataclass(frozen=True)
class PreparedData:
    """Network-ready arrays of one table under one spec.

    Attributes
    ----------
    X_train, X_val, X_test : ndarray of shape (n, n_inputs), float64
    Y_train, Y_val, Y_test : ndarray of shape (n, n_outputs), float64
        Classification: one 0/1 column for 2 classes, one-hot in ``classes`` order otherwise.
        Regression: one column per target, scaled when ``preprocessor.target_center`` is set.
    rows_train, rows_val, rows_test : ndarray of int64
        Row indices into the table (file order).
    task : {"classification", "regression"}
    classes : tuple or None
    target_names, input_names, feature_names : tuple of str
        ``input_names`` names every network input: the encoded features, then the derived
        inputs by their expressions.
    preprocessor : Preprocessor
    n_imputed, n_dropped : int
        Feature cells filled in, rows left out (missing target, or ``missing="drop"``).
    source : str
    spec : DatasetSpec
    """

    X_train: np.ndarray
    Y_train: np.ndarray
    X_val: np.ndarray
    Y_val: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    rows_train: np.ndarray
    rows_val: np.ndarray
    rows_test: np.ndarray
    task: str
    classes: tuple | None
    target_names: tuple[str, ...]
    input_names: tuple[str, ...]
    feature_names: tuple[str, ...]
    preprocessor: Preprocessor
    n_imputed: int
    n_dropped: int
    source: str
    spec: DatasetSpec

    @property
    def n_inputs(self) -> int:
        return self.X_train.shape[1]

    def with_derived(self, X_base: np.ndarray) -> np.ndarray:
        """Network inputs from the encoded features alone (see :meth:`Preprocessor.with_derived`)."""
        return self.preprocessor.with_derived(X_base)

    @property
    def n_outputs_hint(self) -> int:
        """Output units with the automatic output layer: 1 for 2 classes (sigmoid)."""
        return self.Y_train.shape[1]

    @property
    def n_rows(self) -> int:
        return len(self.rows_train) + len(self.rows_val) + len(self.rows_test)

    def targets_for(self, units: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(Y_train, Y_val, Y_test) for an output layer of ``units`` units.

        Only a 2-class problem has a choice: 1 unit (0/1 column) or 2 units (one-hot).
        """
        Ys = (self.Y_train, self.Y_val, self.Y_test)
        if units == self.n_outputs_hint:
            return Ys
        if self.task == "classification" and self.n_outputs_hint == 1 and units == 2:
            return tuple(np.column_stack([1.0 - Y[:, 0], Y[:, 0]]) for Y in Ys)
        raise DataError(f"the data has {self.n_outputs_hint} output column(s); an output layer "
                        f"of {units} units does not fit it")

    def __repr__(self):
        return (f"PreparedData({self.source!r}, {self.task}, inputs={self.n_inputs}, "
                f"train/val/test={len(self.rows_train)}/{len(self.rows_val)}/"
                f"{len(self.rows_test)})")


def prepare(table: Table, spec: DatasetSpec = DatasetSpec()) -> PreparedData:
    """Choose columns and task, drop and split rows, fit the preprocessor, build the arrays.

    Raises
    ------
    DataError
        Unknown columns (the available ones are listed), a target that cannot serve the task,
        a single class, no rows left, bad choices in ``spec``.
    """
    spec.validate()
    targets = resolve_targets(table, spec)
    features = resolve_features(table, spec, targets)
    kinds = column_kinds(table, spec, features)
    check_derived(table, spec, features, kinds, targets)
    task = detect_task(table, targets, spec.task)
    target_values = [column_as(table, name, table.kind(name) if task == "classification"
                               else NUMERIC) for name in targets]
    keep = ~np.any([is_missing(v) for v in target_values], axis=0)
    if spec.missing == "drop":
        for name in features:
            keep &= ~is_missing(column_as(table, name, kinds[name]))
    rows = np.flatnonzero(keep)
    if len(rows) == 0:
        raise DataError("no rows left after leaving out rows with missing values",
                        path=table.source)
    classes, codes = None, None
    if task == "classification":
        classes, codes = class_labels(table, targets[0], rows)
    train, val, test = split_rows(rows, spec.val_split, spec.test_split, spec.seed,
                                  labels=codes)
    preprocessor = fit_preprocessor(table, spec, features, kinds, targets, task, classes, train)
    return _build(table, spec, preprocessor, (train, val, test), n_dropped=table.n_rows - len(rows))


def resolve_targets(table: Table, spec: DatasetSpec) -> tuple[str, ...]:
    targets = tuple(spec.targets) if spec.targets else (table.columns[-1],)
    _check_known(table, targets, "target")
    if len(set(targets)) != len(targets):
        raise DataError("a target column is named twice", path=table.source)
    return targets


def resolve_features(table: Table, spec: DatasetSpec, targets) -> tuple[str, ...]:
    if spec.features is None:
        features = tuple(c for c in table.columns if c not in targets)
    else:
        features = tuple(spec.features)
        _check_known(table, features, "feature")
        both = [c for c in features if c in targets]
        if both:
            raise DataError("this column cannot be both a feature and a target",
                            path=table.source, column=both[0])
    if not features:
        raise DataError("there are no feature columns left besides the target", path=table.source)
    return features


def _check_known(table, names, role):
    for name in names:
        if name not in table.data:
            raise DataError(f'unknown {role} column "{name}"; the columns are: '
                            f"{list_names(table.columns)}", path=table.source)


def check_derived(table: Table, spec: DatasetSpec, features, kinds, targets) -> None:
    """DataError (one line) for a derived input that does not use numeric features only."""
    numeric = [name for name in features if kinds[name] == NUMERIC]
    for text in spec.derived:
        check_columns(parse_derived(text), numeric, features, targets, table.columns, table.source)


def column_kinds(table: Table, spec: DatasetSpec, features) -> dict:
    """Kind of each feature: the override from ``spec.kinds`` or the detected one."""
    overrides = dict(spec.kinds)
    _check_known(table, list(overrides), "")
    return {name: overrides.get(name, table.kind(name)) for name in features}


def detect_task(table: Table, targets, task="auto") -> str:
    """``auto``: classification for text or ≤ 20 distinct integers in one target, else regression.

    Several targets are always regression.
    """
    if task == "classification" and len(targets) > 1:
        raise DataError("classification takes one target column; several targets mean "
                        "regression", path=table.source)
    if task != "auto":
        return task
    if len(targets) > 1:
        return "regression"
    values = table.column(targets[0])
    if table.kind(targets[0]) == CATEGORICAL:
        return "classification"
    observed = values[~np.isnan(values)]
    integral = np.all(whole(observed))
    return "classification" if integral and len(np.unique(observed)) <= MAX_INTEGER_CLASSES \
        else "regression"


def class_labels(table: Table, name: str, rows) -> tuple[tuple, np.ndarray]:
    """Sorted class labels (int when all are integers, else str) and each row's class index."""
    values = table.column(name)[rows]
    if values.dtype.kind == "f":
        int_labels = bool(np.all(whole(values)))
        unique = np.unique(values)
        classes = tuple(int(v) for v in unique) if int_labels else \
            tuple(format_number(v) for v in unique)
    else:
        parsed = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(float)
        int_labels = bool(np.all(whole(parsed)))
        classes = tuple(sorted({int(v) for v in parsed})) if int_labels else \
            tuple(sorted(set(values)))
    if len(classes) < 2:
        raise DataError(f'the target holds a single class ({classes[0]!r}); classification '
                        "needs at least two", path=table.source, column=name)
    keys, _ = label_keys(values, int_labels)
    codes = pd.Categorical(keys, categories=list(classes)).codes.astype(np.int64)
    return classes, codes


def fit_preprocessor(table, spec, features, kinds, targets, task, classes, train) -> Preprocessor:
    """A Preprocessor fitted on the training rows only."""
    columns = []
    for name in features:
        values = column_as(table, name, kinds[name])[train]
        columns.append(fit_numeric(name, values, spec.scaling, table.source) if kinds[name] == NUMERIC
                       else fit_categorical(name, values, table.source))
    derived = fit_derived([parse_derived(text) for text in spec.derived],
                          imputed_raw(table, train, columns) if spec.derived else {}, spec.scaling)
    center = scale = None
    if task == "regression" and spec.scaling != "none":
        pairs = [scale_parameters(column_as(table, name, NUMERIC)[train], spec.scaling)
                 for name in targets]
        center, scale = [p[0] for p in pairs], [p[1] for p in pairs]
    return Preprocessor(task, spec.scaling, columns, targets, classes=classes,
                        target_center=center, target_scale=scale, na_values=table.na_values,
                        derived=derived)


def _build(table, spec, preprocessor, splits, n_dropped) -> PreparedData:
    arrays, n_imputed = [], 0
    for rows in splits:
        X, imputed = preprocessor.transform_rows(table, rows)
        arrays += [X, preprocessor.encode_targets(table, rows)]
        n_imputed += imputed
    return PreparedData(*arrays, *splits, task=preprocessor.task, classes=preprocessor.classes,
                        target_names=preprocessor.targets, input_names=preprocessor.input_names,
                        feature_names=preprocessor.feature_names, preprocessor=preprocessor,
                        n_imputed=n_imputed, n_dropped=n_dropped, source=table.source, spec=spec)


__all__ = ["DatasetSpec", "PreparedData", "detect_task", "prepare"]
