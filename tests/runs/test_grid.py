"""The grid of a sweep: order of the runs, seeds fastest, what counts as swept, the registry."""

import dataclasses

import pytest

from bpgui.cli.main import command_parser
from bpgui.runs import GRID_OPTIONS, RunSettings, grid, option_text, option_value, swept_options


def test_the_product_follows_the_order_of_the_lists_with_the_seed_fastest():
    base = RunSettings(seed=5)
    runs = grid(base, {"hidden": ((8,), (16, 16)), "lr": (0.1, 0.01)}, seeds=2)
    assert [(r.hidden, r.lr, r.seed) for r in runs] == [
        ((8,), 0.1, 5), ((8,), 0.1, 6), ((8,), 0.01, 5), ((8,), 0.01, 6),
        ((16, 16), 0.1, 5), ((16, 16), 0.1, 6), ((16, 16), 0.01, 5), ((16, 16), 0.01, 6)]
    swapped = grid(base, {"lr": (0.1, 0.01), "hidden": ((8,), (16, 16))})
    assert [(r.lr, r.hidden) for r in swapped] == [
        (0.1, (8,)), (0.1, (16, 16)), (0.01, (8,)), (0.01, (16, 16))]


def test_everything_not_listed_is_shared_and_one_value_is_not_swept():
    base = RunSettings(epochs=7, optimizer="sgd")
    lists = {"lr": (0.1, 0.2), "batch_size": (4,)}
    runs = grid(base, lists)
    assert len(runs) == 2 and {(r.epochs, r.optimizer, r.batch_size) for r in runs} == {(7, "sgd", 4)}
    assert swept_options(lists) == ("lr",)
    assert grid(base, {}) == [base] and len(grid(base, {}, seeds=3)) == 3


def test_a_swept_activation_holds_for_every_layer():
    base = RunSettings(hidden=(4, 4), activations=("relu", "tanh"))
    runs = grid(base, {"activation": ("elu", "sigmoid")})
    assert [r.hidden_activations for r in runs] == [("elu", "elu"), ("sigmoid", "sigmoid")]


@pytest.mark.parametrize("lists, seeds, words", [
    ({"epochs": (1, 2)}, 1, "epochs cannot be swept"),
    ({"lr": ()}, 1, "lr: the list of values is empty"),
    ({"lr": (0.1, 0.1)}, 1, "lr: the value 0.1 is listed twice"),
    ({"lr": (0.1,)}, 0, "seeds must be at least 1"),
    ({"lr": (0.1, -1.0)}, 1, "run 2 (lr -1.0): learning rate must be a positive number"),
])
def test_bad_lists_are_refused_with_one_clear_message(lists, seeds, words):
    with pytest.raises(ValueError) as error:
        grid(RunSettings(), lists, seeds)
    assert words in str(error.value)


def test_every_grid_option_is_a_setting_and_a_train_flag_and_reads_back_what_it_writes():
    """A new entry in GRID_OPTIONS is checked here without a new test: its name is a
    RunSettings field and a ``bpgui train`` flag, and its RESULTS.csv cell reads back."""
    fields = {field.name for field in dataclasses.fields(RunSettings)}
    parser = command_parser()
    samples = {"hidden": (16, 16), "activation": "relu", "optimizer": "sgd", "lr": 0.003,
               "batch_size": 8, "l2": 1e-4, "dropout": 0.25, "schedule": "cosine",
               "derive": ("sepal_length^2", "sin(petal_width)")}
    for name, option in GRID_OPTIONS.items():
        assert name in fields, name
        value = samples.get(name, getattr(RunSettings(), name))
        text = option_text(name, value)
        assert option_value(name, text) == value, name
        flag = "--" + name.replace("_", "-")
        args = parser.parse_args(["train", "--example", "iris", "--out", "m.json", flag, text])
        assert getattr(args, name) == value, name
    assert option_text("hidden", (16, 16)) == "16,16" and option_text("hidden", ()) == "0"
    assert option_value("hidden", "0") == ()
    with pytest.raises(ValueError, match="'x' is not a value of lr"):
        option_value("lr", "x")


def test_every_grid_option_has_the_value_type_of_its_train_flag():
    """The window's sweep dialog checks its fields with GRID_VALUES; the command line's flags
    take their type and choices from there too, so both refuse the same text alike."""
    from bpgui.runs.grid_values import GRID_VALUES, list_values

    assert set(GRID_VALUES) == set(GRID_OPTIONS)
    actions = {action.dest: action for action in command_parser()._subparsers._group_actions[0]
               .choices["train"]._actions}
    for name, kind in GRID_VALUES.items():
        assert (actions[name].type, actions[name].choices) == (kind.type, kind.choices), name
    assert list_values("lr", "0.1, 0.01") == (0.1, 0.01)
    assert list_values("hidden", "16,16", ((8,),)) == ((8,), (16, 16))
    for name, text, words in [("lr", "0.1,fast", "invalid float value: 'fast' in the list '0.1,fast'"),
                              ("optimizer", "sgd,fast", "invalid choice: 'fast' in the list 'sgd,fast' (choose"),
                              ("dropout", "1.5", "must be at least 0 and below 1, got 1.5"),
                              ("lr", "0.1,", "an empty item in the list '0.1,'"),
                              ("hidden", "8", "8 is listed twice")]:
        with pytest.raises(ValueError) as error:
            list_values(name, text, ((8,),) if name == "hidden" else ())
        assert str(error.value).startswith(words), (name, str(error.value))
