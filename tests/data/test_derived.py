"""Derived inputs (DESIGN.md §4): expressions, their canonical text, values and scaling."""

import json

import numpy as np
import pytest

from bpgui.data import DataError, DatasetSpec, Preprocessor, prepare, read_csv, table_from_columns
from bpgui.data.derived import (ALLOWED, candidates, parse_derive_list, parse_derived,
                                quote_name, split_derived)

# -- one expression ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, form, names, canonical", [
    ("x1^2", "A^2", ("x1",), "x1^2"),
    (" x1 ^ 2 ", "A^2", ("x1",), "x1^2"),
    ("x1*x2", "A*B", ("x1", "x2"), "x1*x2"),
    ("x2 * x1", "A*B", ("x2", "x1"), "x2*x1"),
    ("x1*x1", "A*B", ("x1", "x1"), "x1*x1"),
    ("sin(x1)", "sin(A)", ("x1",), "sin(x1)"),
    ("cos( x2 )", "cos(A)", ("x2",), "cos(x2)"),
    ('"petal length"^2', "A^2", ("petal length",), "petal length^2"),
    ("petal length^2", "A^2", ("petal length",), "petal length^2"),
    ('"a,b"*c', "A*B", ("a,b", "c"), '"a,b"*c'),
    ('sin("f(x)")', "sin(A)", ("f(x)",), 'sin("f(x)")'),
    ('"x^2"^2', "A^2", ("x^2",), '"x^2"^2'),
    ('"say ""hi"""*b', "A*B", ('say "hi"', "b"), '"say ""hi"""*b'),
    ('"sin"^2', "A^2", ("sin",), "sin^2"),
    ("sin^2", "A^2", ("sin",), "sin^2"),
])
def test_each_form_parses_to_its_canonical_text(text, form, names, canonical):
    derived = parse_derived(text)
    assert (derived.form, derived.names, derived.expr) == (form, names, canonical)
    assert parse_derived(derived.expr) == derived  # the canonical text reads back the same


@pytest.mark.parametrize("name, quoted", [
    ("x1", "x1"), ("petal length", "petal length"), ("a,b", '"a,b"'), ("a*b", '"a*b"'),
    ("a^b", '"a^b"'), ("f(x)", '"f(x)"'), ("q\"", '"q"""'), (" pad", '" pad"'), ("", '""'),
])
def test_names_are_quoted_only_when_they_need_it(name, quoted):
    assert quote_name(name) == quoted


@pytest.mark.parametrize("text", [
    "", "   ", "x1", "x1^3", "x1^", "x1^2^2", "x1**2", "x1*", "*x2", "x1*x2*x3", "tan(x1)",
    "sin(x1", "sinx1)", "sin x1", "sin()", "sin(x1,x2)", "sin(x1)^2", "(x1)", "x1^x2",
    "SIN(x1)", '"x1', 'x1"^2', '"sin"(x1)', "x1^2 x2", "sin(x1)x",
])
def test_every_bad_expression_is_one_line_naming_it_and_what_is_allowed(text):
    with pytest.raises(DataError) as info:
        parse_derived(text)
    message = str(info.value)
    assert "\n" not in message
    assert f'derived input "{text}"' in message
    assert ALLOWED in message and "A^2, A*B, sin(A), cos(A)" in ALLOWED


def test_an_unknown_function_is_named():
    assert "unknown function tan" in str(pytest.raises(DataError, parse_derived, "tan(x1)").value)
    assert "only ^2" in str(pytest.raises(DataError, parse_derived, "x1^3").value)


# -- lists ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, parts", [
    ("x1^2,x2^2", ["x1^2", "x2^2"]),
    ('"a,b"*c,sin(x)', ['"a,b"*c', "sin(x)"]),
    ("sin(x1,x2),y^2", ["sin(x1,x2)", "y^2"]),
    ("x^2", ["x^2"]),
    ("x^2,", ["x^2", ""]),
    (' "q,"""^2 , y*z', [' "q,"""^2 ', " y*z"]),
])
def test_lists_split_on_commas_outside_quotes_and_parentheses(text, parts):
    assert split_derived(text) == parts


def test_a_list_gives_canonical_texts_in_order():
    assert parse_derive_list("x2 ^ 2, sin( x1 ),x1 * x2") == ("x2^2", "sin(x1)", "x1*x2")


@pytest.mark.parametrize("text, named", [
    ("x1^2,,x2^2", ""), ("x1^2,", ""), ("", ""), ("x1^2,x1 ^ 2", "x1 ^ 2"), ("sin(x1,x2)", "sin(x1,x2)"),
])
def test_bad_lists_are_one_line(text, named):
    with pytest.raises(DataError) as info:
        parse_derive_list(text)
    message = str(info.value)
    assert "\n" not in message and f'"{named}"' in message


def test_the_playground_set_for_two_features():
    assert candidates(["x1", "x2"]) == ["x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)",
                                        "cos(x1)", "cos(x2)"]
    many = candidates([f"p{i}" for i in range(64)])
    assert len(many) == 64 + 64 * 63 // 2 + 2 * 64 and len(set(many)) == len(many)
    assert candidates(["a b", "c,d"])[1] == '"c,d"^2'


# -- values in prepare() ----------------------------------------------------------------------

COLUMNS = {
    "x1": [1.0, 2.0, np.nan, 4.0, 0.5, -1.0, 3.0, 2.5],
    "x2": [0.5, -1.0, 2.0, np.nan, 1.5, 0.0, -0.5, 1.0],
    "colour": ["red", "blue", "red", None, "blue", "red", "red", "blue"],
    "y": [0, 1, 0, 1, 0, 1, 0, 1],
}


def _table():
    return table_from_columns("test", COLUMNS)


def _hand_scaled(values, scaling):
    if scaling == "standard":
        return (values - values.mean()) / values.std()
    if scaling == "minmax":
        return (values - values.min()) / (values.max() - values.min())
    return values


@pytest.mark.parametrize("scaling", ["standard", "minmax", "none"])
def test_derived_values_come_from_imputed_raw_values_then_are_scaled(scaling):
    spec = DatasetSpec(val_split=0, scaling=scaling, derived=("x1^2", "x1*x2", "sin(x1)", "cos(x2)"))
    data = prepare(_table(), spec)
    assert data.input_names == ("x1", "x2", "colour=blue", "colour=red",
                                "x1^2", "x1*x2", "sin(x1)", "cos(x2)")
    x1, x2 = np.array(COLUMNS["x1"]), np.array(COLUMNS["x2"])
    x1 = np.where(np.isnan(x1), np.nanmean(x1), x1)  # every row trains: the means of all rows
    x2 = np.where(np.isnan(x2), np.nanmean(x2), x2)
    rows = data.rows_train
    expected = np.column_stack([_hand_scaled(v[rows], scaling)
                                for v in (x1 ** 2, x1 * x2, np.sin(x1), np.cos(x2))])
    np.testing.assert_allclose(data.X_train[:, 4:], expected, rtol=1e-12, atol=1e-12)
    derived = data.preprocessor.to_dict()["inputs"]["derived"]
    assert [d["expr"] for d in derived] == ["x1^2", "x1*x2", "sin(x1)", "cos(x2)"]
    first = (x1 ** 2)[rows]
    center, scale = {"standard": (first.mean(), first.std()),
                     "minmax": (first.min(), first.max() - first.min()), "none": (0.0, 1.0)}[scaling]
    assert derived[0] == {"expr": "x1^2", "center": pytest.approx(center), "scale": pytest.approx(scale)}
    assert data.n_imputed == 3  # the raw cells; derived inputs add none


def test_a_constant_derived_input_gets_scale_one():
    table = table_from_columns("t", {"a": [2.0, 2.0, 2.0, 2.0], "b": [1.0, 2.0, 3.0, 4.0], "y": [0, 1, 0, 1]})
    data = prepare(table, DatasetSpec(val_split=0, derived=("a^2",)))
    assert data.preprocessor.to_dict()["inputs"]["derived"] == [{"expr": "a^2", "center": 4.0, "scale": 1.0}]
    assert np.all(data.X_train[:, -1] == 0.0)


def test_derived_inputs_are_fitted_on_the_training_rows_only():
    table = table_from_columns("t", {"a": np.arange(40.0), "y": np.arange(40) % 2})
    data = prepare(table, DatasetSpec(val_split=0.25, derived=("a^2",)))
    train_values = np.arange(40.0)[data.rows_train] ** 2
    (derived,) = data.preprocessor.to_dict()["inputs"]["derived"]
    assert derived["center"] == pytest.approx(train_values.mean())
    np.testing.assert_allclose(data.X_val[:, 1], (np.arange(40.0)[data.rows_val] ** 2 - derived["center"])
                               / derived["scale"])


@pytest.mark.parametrize("derived, phrase", [
    (("z^2",), 'derived input "z^2": unknown column "z"; the numeric features are: x1, x2'),
    (("colour^2",), 'derived input "colour^2": "colour" is categorical'),
    (("y*x1",), 'derived input "y*x1": "y" is the target'),
    (("x1^2", "x1^2"), 'derived input "x1^2" is given twice'),
])
def test_columns_a_derived_input_cannot_use_are_refused_in_one_line(derived, phrase):
    with pytest.raises(DataError) as info:
        prepare(_table(), DatasetSpec(derived=derived))
    message = str(info.value)
    assert phrase in message and ALLOWED in message and "\n" not in message


def test_a_column_left_out_of_the_features_is_refused():
    with pytest.raises(DataError, match='derived input "x2\\^2": "x2" is not one of the features'):
        prepare(_table(), DatasetSpec(features=("x1", "colour"), derived=("x2^2",)))


def test_the_spec_keeps_canonical_texts_and_round_trips():
    spec = DatasetSpec(derived=("x1 ^ 2", "sin( x2 )"))
    assert spec.derived == ("x1^2", "sin(x2)")
    assert DatasetSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec
    assert DatasetSpec.from_dict({}).derived == ()
    with pytest.raises(DataError, match='derived input "x\\^3"'):
        DatasetSpec(derived=("x^3",))


# -- the preprocessor -------------------------------------------------------------------------


@pytest.fixture
def prepared():
    return prepare(_table(), DatasetSpec(val_split=0.25, derived=("x1^2", "x1*x2", "sin(x1)", "cos(x2)")))


def test_preprocessor_round_trip_and_transform(prepared):
    pre = prepared.preprocessor
    again = Preprocessor.from_dict(json.loads(json.dumps(pre.to_dict())))
    assert again.input_names == pre.input_names and again.derived == pre.derived
    X = again.transform(_table())
    np.testing.assert_allclose(X[prepared.rows_train], prepared.X_train, rtol=1e-12)
    np.testing.assert_allclose(X[prepared.rows_val], prepared.X_val, rtol=1e-12)


def test_transform_imputes_missing_raw_values_with_the_stored_impute(prepared):
    pre = prepared.preprocessor
    impute = {c["name"]: c["impute"] for c in pre.columns if c["kind"] == "numeric"}
    table = table_from_columns("new", {"x1": [np.nan, 2.0], "x2": [1.0, np.nan], "colour": ["red", "red"]})
    X = pre.transform(table)
    raw_x1, raw_x2 = np.array([impute["x1"], 2.0]), np.array([1.0, impute["x2"]])
    for k, values in enumerate((raw_x1 ** 2, raw_x1 * raw_x2, np.sin(raw_x1), np.cos(raw_x2))):
        d = pre.derived[k]
        np.testing.assert_allclose(X[:, 4 + k], (values - d["center"]) / d["scale"], rtol=1e-12)


def test_with_derived_turns_base_inputs_into_the_network_inputs(prepared):
    pre = prepared.preprocessor
    assert pre.n_encoded == 4 and pre.n_inputs == 8
    full = pre.with_derived(prepared.X_train[:, :4])
    np.testing.assert_allclose(full, prepared.X_train, rtol=1e-9, atol=1e-12)
    assert prepared.with_derived(prepared.X_val[:, :4]).shape == prepared.X_val.shape


def test_without_derived_inputs_nothing_changes(write_csv):
    table = read_csv(write_csv("a,b,y\n1,2,0\n3,5,1\n4,1,0\n"))
    data = prepare(table, DatasetSpec(val_split=0))
    d = data.preprocessor.to_dict()
    assert "derived" not in d["inputs"]
    assert data.preprocessor.with_derived(data.X_train) is not None
    np.testing.assert_array_equal(data.preprocessor.with_derived(data.X_train), data.X_train)
    for old in ({**d["inputs"]}, {**d["inputs"], "derived": []}):
        pre = Preprocessor.from_dict({"inputs": old, "outputs": d["outputs"]})
        assert pre.derived == [] and pre.input_names == ("a", "b")


@pytest.mark.parametrize("derived, phrase", [
    ([{"expr": "q^2", "center": 0, "scale": 1}], 'unknown column "q"'),
    ([{"expr": "a^3", "center": 0, "scale": 1}], 'derived input "a^3"'),
    ([{"expr": "a^2", "center": 0}], "scale"),
    ([{"expr": "a^2", "center": 0, "scale": 0}], "scale"),
    (["a^2"], "derived"),
])
def test_a_broken_derived_section_is_refused(write_csv, derived, phrase):
    table = read_csv(write_csv("a,b,y\n1,2,0\n3,5,1\n4,1,0\n"))
    d = prepare(table, DatasetSpec(val_split=0)).preprocessor.to_dict()
    d["inputs"]["derived"] = derived
    with pytest.raises(DataError, match=phrase.replace("^", "\\^")):
        Preprocessor.from_dict(d)
