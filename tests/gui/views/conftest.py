"""Fixtures for the views: a controller owned by the fixture, views closed at teardown."""

import numpy as np
import pytest

from bpgui.data.dataset import DatasetSpec
from bpgui.data.table import table_from_columns
from bpgui.gui.controller import TrainingController


def plane_table(task="classification", n=120, seed=0):
    """Two raw features far from unit scale; XOR-like classes or a smooth surface."""
    rng = np.random.default_rng(seed)
    u = rng.normal(5.0, 3.0, n)
    v = rng.normal(-2.0, 10.0, n)
    if task == "classification":
        target = np.where((u - 5.0) * (v + 2.0) > 0, "same", "opposite")
    else:
        target = 3.0 * u - 0.2 * v + 100.0
    return table_from_columns("memory:plane", {"u": u, "v": v, "target": target})


def wide_table(n=90, seed=1):
    """Four numeric features and a categorical one, three classes (iris-like)."""
    rng = np.random.default_rng(seed)
    classes = rng.integers(0, 3, n)
    features = {f"f{i}": rng.normal(classes * (i + 1), 1.0) for i in range(4)}
    features["colour"] = np.array(["red", "green", "blue"], dtype=object)[rng.integers(0, 3, n)]
    features["species"] = np.array(["setosa", "versicolor", "virginica"], dtype=object)[classes]
    return table_from_columns("memory:wide", features)


def load(controller, table, **spec):
    controller.load_table(table, DatasetSpec(**spec), {"csv": table.source})


@pytest.fixture
def controller(qtbot):
    controller = TrainingController()
    yield controller
    assert controller.shutdown(), "the training thread did not stop"


@pytest.fixture
def open_view(qtbot, controller):
    """``open_view(factory)`` builds a view on the fixture's controller and shows it."""
    views = []

    def make(factory):
        view = factory(controller)
        qtbot.addWidget(view)
        view.resize(700, 500)
        view.show()
        views.append(view)
        return view

    yield make
    for view in views:
        view.close()


TABLES = {"plane": plane_table, "surface": lambda: plane_table("regression"), "wide": wide_table}


@pytest.fixture
def load_data(controller):
    """``load_data(name, **spec)`` loads one of TABLES into the fixture's controller."""

    def make(name, **spec):
        load(controller, TABLES[name](), **spec)
        return controller.data

    return make
