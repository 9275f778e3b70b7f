import numpy as np
import pytest

from bpgui.io.evaluation import classification_scores, regression_scores


def test_classification_scores_by_hand():
    truth = np.array([0, 0, 1, 1, 2, 2])
    predicted = np.array([0, 1, 1, 1, 0, 2])
    metrics, per_class = classification_scores(truth, predicted, ("a", "b", "c"))
    assert metrics["confusion_matrix"] == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    assert metrics["accuracy"] == pytest.approx(4 / 6)
    # F1 per class: a 2·1/(2+1+1) = 0.5, b 2·2/(4+1) = 0.8, c 2·1/(2+1) = 2/3
    assert metrics["macro_f1"] == pytest.approx((0.5 + 0.8 + 2 / 3) / 3)
    assert [row["support"] for row in per_class] == [2, 2, 2]


def test_macro_f1_ignores_classes_that_occur_nowhere_as_scikit_learn():
    truth, predicted = np.array([0, 0, 1]), np.array([0, 1, 1])
    metrics, _ = classification_scores(truth, predicted, (0, 1, 2))
    assert metrics["macro_f1"] == pytest.approx((2 / 3 + 2 / 3) / 2)
    metrics_sk = pytest.importorskip("sklearn.metrics")
    assert metrics["macro_f1"] == pytest.approx(metrics_sk.f1_score(truth, predicted, average="macro"))


def test_regression_scores_average_over_targets():
    truth = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])
    predicted = np.array([[1.0, 12.0], [2.0, 18.0], [4.0, 30.0]])
    scores = regression_scores(truth, predicted)
    assert scores["mse"] == pytest.approx((1 / 3 + 8 / 3) / 2)
    assert scores["rmse"] == pytest.approx((np.sqrt(1 / 3) + np.sqrt(8 / 3)) / 2)
    assert scores["mae"] == pytest.approx((1 / 3 + 4 / 3) / 2)
    assert scores["r2"] == pytest.approx(((1 - 1 / 2) + (1 - 8 / 200)) / 2)
    assert regression_scores(truth[:1], predicted[:1])["r2"] is None
