import csv
import io

import numpy as np

from bpgui.data import read_csv
from bpgui.io.model import PredictionResult, load_model
from bpgui.io.predictions import format_number, predictions_csv_text, write_predictions


def _rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_classification_columns_and_labels_in_their_type(model_files, data_of):
    model = load_model(model_files["multiclass"])
    table = read_csv(data_of("multiclass"))
    rows = _rows(predictions_csv_text(model.predict(table)))
    assert rows[0] == ["prediction", "prob_0", "prob_1", "prob_2"]
    assert len(rows) == table.n_rows + 1
    for row in rows[1:]:
        probabilities = [float(x) for x in row[1:]]
        assert row[0] == str(int(np.argmax(probabilities)))
        assert abs(sum(probabilities) - 1) < 1e-5


def test_several_targets_get_one_column_each(model_files, data_of, tmp_path):
    model = load_model(model_files["regression"])
    result = model.predict(read_csv(data_of("regression")))
    path = tmp_path / "pred.csv"
    write_predictions(result, path)
    rows = _rows(path.read_text())
    assert rows[0] == ["prediction_t1", "prediction_t2"]
    np.testing.assert_array_equal(np.array(rows[1:], dtype=np.float32), result.outputs)


def test_one_target_is_called_prediction():
    result = PredictionResult("regression", np.array([[1.5], [np.float32(0.1)]], np.float32), None, ("y",))
    assert predictions_csv_text(result) == "prediction\n1.5\n0.1\n"


def test_numbers_are_written_shortest_in_their_own_dtype():
    assert format_number(np.float32(0.1)) == "0.1"
    assert format_number(np.float64(0.1) + 2e-17) == "0.10000000000000002"
    assert float(format_number(np.float64(1 / 3))) == 1 / 3
