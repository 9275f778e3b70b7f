"""Metrics of a model on labelled data: what ``bpgui evaluate`` and the test-split view show.

Classification: accuracy, macro F1 (over the classes that occur in the true or predicted
labels, as scikit-learn's ``f1_score(average="macro")``), the confusion matrix
(``matrix[i][j]`` counts true ``classes[i]`` predicted as ``classes[j]``) and per-class
precision, recall, F1 and support. Regression: MSE, RMSE, MAE and R², each computed per
target in the targets' own units and then averaged over targets (scikit-learn's
``multioutput="uniform_average"``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bpgui.data.errors import DataError
from bpgui.data.kinds import NUMERIC, column_as
from bpgui.engine import LOSSES
from bpgui.engine.metrics import predicted_labels, r2_score


@dataclass(frozen=True)
class Evaluation:
    """A model's scores on a table.

    Attributes
    ----------
    task : {"classification", "regression"}
    metrics : dict
        The ``bpgui evaluate --json`` object: ``n_samples``, ``loss`` and the task's metrics.
    n_skipped : int
        Rows left out because their target was missing.
    per_class : list of dict or None
        ``{"class", "precision", "recall", "f1", "support"}`` per class (classification).
    """

    task: str
    metrics: dict
    n_skipped: int = 0
    per_class: list | None = None


def model_loss(loss, raw_outputs, Y):
    """The data term of ``loss`` for network outputs and network-ready targets, in their dtype.

    Parameters
    ----------
    loss : str
    raw_outputs : ndarray of shape (n_samples, n_output_units)
    Y : ndarray of shape (n_samples, n_output_units)
    """
    Y = np.asarray(Y, dtype=raw_outputs.dtype)
    return float(LOSSES[loss].value(raw_outputs, Y, np.empty_like(raw_outputs)))


def confusion_matrix(true_index, predicted_index, n_classes):
    """ndarray of int of shape (n_classes, n_classes): ``[i, j]`` = true i predicted as j."""
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(true_index), np.asarray(predicted_index)), 1)
    return matrix


def per_class_scores(matrix):
    """Precision, recall, F1 and support per class from a confusion matrix (0 where undefined).

    Returns
    -------
    precision, recall, f1 : ndarray of float of shape (n_classes,)
    support : ndarray of int of shape (n_classes,)
    """
    tp = np.diag(matrix).astype(float)
    predicted = matrix.sum(axis=0).astype(float)
    support = matrix.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, support, out=np.zeros_like(tp), where=support > 0)
    denominator = predicted + support  # 2 TP + FP + FN
    f1 = np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=denominator > 0)
    return precision, recall, f1, support


def classification_scores(true_index, predicted_index, classes):
    """Accuracy, macro F1 and the confusion matrix of class indices into ``classes``.

    Returns
    -------
    metrics : dict with ``accuracy``, ``macro_f1``, ``confusion_matrix``, ``classes``
    per_class : list of dict
    """
    matrix = confusion_matrix(true_index, predicted_index, len(classes))
    precision, recall, f1, support = per_class_scores(matrix)
    occurring = (support > 0) | (matrix.sum(axis=0) > 0)
    metrics = {
        "accuracy": float(np.trace(matrix) / matrix.sum()),
        "macro_f1": float(f1[occurring].mean()),
        "confusion_matrix": matrix.tolist(),
        "classes": list(classes),
    }
    per_class = [
        {"class": label, "precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for label, p, r, f, s in zip(classes, precision, recall, f1, support)
    ]
    return metrics, per_class


def regression_scores(y_true, y_pred):
    """MSE, RMSE, MAE and R² per target in the targets' units, averaged over targets.

    Parameters
    ----------
    y_true, y_pred : ndarray of shape (n_samples, n_targets)

    Returns
    -------
    dict with ``mse``, ``rmse``, ``mae``, ``r2`` (``r2`` is None for fewer than 2 rows)
    """
    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)
    error = y_pred - y_true
    mse = np.mean(error ** 2, axis=0)
    return {
        "mse": float(mse.mean()),
        "rmse": float(np.sqrt(mse).mean()),
        "mae": float(np.abs(error).mean(axis=0).mean()),
        "r2": r2_score(y_pred, y_true),
    }


def evaluate_outputs(task, loss, raw_outputs, Y, decoded, truth, classes=None):
    """Score a model's outputs against the truth.

    Parameters
    ----------
    task : {"classification", "regression"}
    loss : str
        The model's loss key.
    raw_outputs : ndarray of shape (n_samples, n_output_units)
        The network's outputs, model dtype.
    Y : ndarray of shape (n_samples, n_output_units)
        Network-ready targets (one 0/1 column, one-hot, or scaled values).
    decoded : ndarray of shape (n_samples, n_classes) or (n_samples, n_targets)
        Probabilities or de-scaled values.
    truth : ndarray
        Class indices of shape (n_samples,) or target values of shape (n_samples, n_targets).
    classes : sequence, optional
        Class labels (classification).

    Returns
    -------
    metrics : dict
    per_class : list of dict or None
    """
    metrics = {"n_samples": int(len(raw_outputs)), "loss": model_loss(loss, raw_outputs, Y)}
    if task == "classification":
        scores, per_class = classification_scores(truth, predicted_labels(decoded), classes)
        metrics.update(scores)
        return metrics, per_class
    metrics.update(regression_scores(truth, decoded))
    return metrics, None


def evaluate_model(model, table):
    """Score ``model`` (a :class:`bpgui.io.model.Model`) on the labelled rows of ``table``.

    Rows whose target is missing are skipped (and counted); feature values that are missing
    are imputed as in predict. Everything is computed in the model's dtype.

    Raises
    ------
    DataError
        A target or feature column missing from the table, a class the model does not know,
        or no row with a target value.
    """
    preprocessor = model.preprocessor
    Y_all = preprocessor.encode_targets(table)
    rows = np.flatnonzero(~np.isnan(Y_all).any(axis=1))
    if len(rows) == 0:
        raise DataError("no row has a value in the target column(s) "
                        f"{', '.join(preprocessor.targets)}", path=table.source)
    X, _ = preprocessor.transform_rows(table, rows)
    raw = model.network.forward(np.asarray(X, model.dtype))
    Y = _network_targets(Y_all[rows], raw.shape[1])
    decoded = model.decode(raw)
    if model.task == "classification":
        truth = predicted_labels(Y)
    else:
        truth = np.column_stack([column_as(table, name, NUMERIC)[rows] for name in preprocessor.targets])
    metrics, per_class = evaluate_outputs(model.task, model.loss, raw, Y, decoded, truth, model.classes)
    return Evaluation(model.task, metrics, n_skipped=int(table.n_rows - len(rows)), per_class=per_class)


def _network_targets(Y, units):
    """Two-class targets as one 0/1 column become ``[1 − y, y]`` for a two-unit output layer."""
    if Y.shape[1] == 1 and units == 2:
        return np.column_stack([1.0 - Y[:, 0], Y[:, 0]])
    return Y


def evaluation_table(evaluation, model, model_path, data_path):
    """The readable report of ``bpgui evaluate``: a few aligned lines of text."""
    metrics = evaluation.metrics
    lines = [
        f"model      {model_path} ({model.task}, {model.network.describe()}, loss {model.loss})",
        f"data       {data_path}: {metrics['n_samples']} rows evaluated, "
        f"{evaluation.n_skipped} skipped (missing target)",
        f"loss       {_number(metrics['loss'])}",
    ]
    if evaluation.task == "regression":
        for key in ("mse", "rmse", "mae", "r2"):
            lines.append(f"{key:<10} {_number(metrics[key])}")
        return "\n".join(lines)
    lines += [f"accuracy   {_number(metrics['accuracy'])}", f"macro F1   {_number(metrics['macro_f1'])}",
              "", "per class:"]
    lines += _grid(["class", "precision", "recall", "F1", "support"],
                   [[row["class"], _number(row["precision"]), _number(row["recall"]),
                     _number(row["f1"]), row["support"]] for row in evaluation.per_class])
    lines += ["", "confusion matrix (rows: true class, columns: predicted class):"]
    classes = metrics["classes"]
    lines += _grid(["", *classes], [[label, *counts] for label, counts in
                                    zip(classes, metrics["confusion_matrix"])])
    return "\n".join(lines)


def _grid(header, rows):
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return ["  " + "  ".join(cell.rjust(width) if i else cell.ljust(width)
                             for i, (cell, width) in enumerate(zip(row, widths))).rstrip()
            for row in cells]


def _number(value):
    return "-" if value is None else f"{value:.6f}"
