"""RunRecord: a kept run survives a JSON round trip and says which settings differ."""

import json
import math

import numpy as np

from bpgui.data import get_example, load_example
from bpgui.runs import RunRecord, RunSettings, build_run, differing_settings, example_settings, train_run


def trained_xor(**changes):
    example = get_example("xor")
    settings, _ = example_settings(example, RunSettings())
    run = build_run(load_example("xor"), settings.replace(epochs=5, **changes), example.spec)
    return run, train_run(run)


def test_a_record_keeps_the_history_final_numbers_and_weights():
    run, reports = trained_xor()
    record = RunRecord.from_reports("run 1", run.settings, reports, run.network)
    assert record.epochs_run == 5 and record.metric_name == "accuracy"
    assert record.history["epoch"].tolist() == [1, 2, 3, 4, 5]
    assert record.final("train_loss") == reports[-1].train_loss
    assert record.final("val_metric") == reports[-1].val_metric
    assert record.ms_per_epoch > 0
    np.testing.assert_array_equal(record.params, run.network.params)
    assert record.fits(run.network.sizes, run.network.activations)
    assert not record.fits((2, 3, 1), run.network.activations)


def test_a_json_round_trip_keeps_everything_and_nan_becomes_null():
    run, reports = trained_xor(val_split=0.0)
    record = RunRecord.from_reports("no validation", run.settings, reports, run.network)
    document = json.loads(json.dumps(record.to_dict(), allow_nan=False))
    assert document["history"]["val_loss"] == [None] * 5
    again = RunRecord.from_dict(document)
    assert again.settings == record.settings and again.label == "no validation"
    assert math.isnan(again.history["val_loss"][0]) and again.final("val_loss") is None
    np.testing.assert_array_equal(again.params, record.params)
    assert (again.sizes, again.activations) == (record.sizes, record.activations)


def test_only_the_settings_that_differ_are_named():
    a = RunRecord("a", RunSettings(lr=0.1))
    b = RunRecord("b", RunSettings(lr=0.2, hidden=(4,)))
    c = RunRecord("c", RunSettings(lr=0.1))
    assert differing_settings([a, b, c]) == ("hidden", "lr")
    assert differing_settings([a]) == ()
