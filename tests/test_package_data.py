"""Every file bpgui loads at run time is package data, so a wheel and a frozen bundle ship it.

Reads ``[tool.setuptools]`` from pyproject.toml and globs its package-data patterns against the
source tree the way setuptools does, without building a wheel (that check is by hand, see
packaging/README.md). The files "loaded at run time" are recorded, not listed by hand: each test
loads every built-in example and the window's assets through a spy on
``importlib.resources.files``.
"""

from __future__ import annotations

import fnmatch
import importlib.resources
import tomllib
from pathlib import Path

import pytest

from bpgui.data.examples import EXAMPLES, load_example
from bpgui.gui import assets

ROOT = Path(__file__).resolve().parents[1]
PYTHON_SUFFIXES = {".py", ".pyc", ".pyo"}


def setuptools_config():
    """The ``[tool.setuptools]`` table of pyproject.toml."""
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["tool"]["setuptools"]


def package_dir(package):
    """Source folder of a dotted package name, e.g. ``bpgui.data.datasets``."""
    return ROOT.joinpath(*package.split("."))


def is_packaged(package):
    """True when ``packages.find`` includes the dotted ``package`` and it is a regular package."""
    include = setuptools_config()["packages"]["find"].get("include", ["*"])
    return (any(fnmatch.fnmatchcase(package, pattern) for pattern in include)
            and (package_dir(package) / "__init__.py").is_file())


def shipped_files():
    """Files the package-data patterns match, as absolute paths.

    A pattern is a glob relative to its package's folder; the key ``"*"`` applies to every
    package, as in setuptools.
    """
    patterns = setuptools_config().get("package-data", {})
    packages = [".".join(init.parent.relative_to(ROOT).parts)
                for init in ROOT.joinpath("bpgui").rglob("__init__.py")]
    shipped = set()
    for package in packages:
        for pattern in patterns.get(package, []) + patterns.get("*", []):
            shipped.update(path for path in package_dir(package).glob(pattern) if path.is_file())
    return shipped


def data_files_in_tree():
    """Every file under bpgui/ that is not Python source or bytecode."""
    return {path for path in ROOT.joinpath("bpgui").rglob("*")
            if path.is_file() and path.suffix not in PYTHON_SUFFIXES
            and "__pycache__" not in path.parts}


class ResourceSpy:
    """Stands in for ``importlib.resources.files`` and records each ``(package, name)`` opened."""

    def __init__(self, real_files):
        self.real_files = real_files
        self.opened = []

    def __call__(self, package):
        return _SpyTraversable(self, str(package), self.real_files(package), ())


class _SpyTraversable:
    def __init__(self, spy, package, real, parts):
        self.spy, self.package, self.real, self.parts = spy, package, real, parts

    def joinpath(self, *names):
        parts = self.parts + tuple(str(name) for name in names)
        return _SpyTraversable(self.spy, self.package, self.real.joinpath(*names), parts)

    __truediv__ = joinpath

    def _record(self):
        self.spy.opened.append((self.package, "/".join(self.parts)))

    def read_bytes(self):
        self._record()
        return self.real.read_bytes()

    def read_text(self, *args, **kwargs):
        self._record()
        return self.real.read_text(*args, **kwargs)

    def open(self, *args, **kwargs):
        self._record()
        return self.real.open(*args, **kwargs)


@pytest.fixture
def opened_resources(monkeypatch):
    """Every ``(package, name)`` read through importlib.resources while loading all examples
    and every asset the window uses."""
    spy = ResourceSpy(importlib.resources.files)
    monkeypatch.setattr(importlib.resources, "files", spy)
    for name in EXAMPLES:
        load_example(name)
    assets.asset_bytes(assets.APP_ICON)
    return spy.opened


def test_spy_sees_the_shipped_datasets(opened_resources):
    # Guards the spy itself: if the examples stop reading through importlib.resources
    # (e.g. open(__file__ …)), a frozen bundle may miss them and this check would be empty.
    packages = {package for package, _ in opened_resources}
    assert {"bpgui.data.datasets", "bpgui.gui.assets"} <= packages


def test_every_file_loaded_at_run_time_is_package_data(opened_resources):
    shipped = shipped_files()
    missing = sorted(f"{package}/{name}" for package, name in opened_resources
                     if package_dir(package).joinpath(*name.split("/")) not in shipped)
    assert not missing, (f"loaded at run time but not matched by [tool.setuptools.package-data] "
                         f"in pyproject.toml, so a wheel would lack them: {missing}")


def test_every_package_loading_resources_is_packaged(opened_resources):
    unpackaged = sorted({package for package, _ in opened_resources if not is_packaged(package)})
    assert not unpackaged, (f"resources are read from {unpackaged}, which is not a regular package "
                            "(needs an __init__.py and a match in [tool.setuptools.packages.find])")


def test_every_data_file_in_the_tree_ships():
    unshipped = sorted(str(path.relative_to(ROOT)) for path in data_files_in_tree() - shipped_files())
    assert not unshipped, ("files under bpgui/ that no package-data pattern matches (a wheel "
                           f"would silently drop them; add a pattern or move them out): {unshipped}")


def test_every_package_data_key_is_a_package():
    patterns = setuptools_config().get("package-data", {})
    unknown = [package for package in patterns if package != "*" and not is_packaged(package)]
    assert not unknown, f"package-data keys that are not packages, so their files never ship: {unknown}"
