"""The engine, data, model and run layers, the pictures (visual, animation) and the command line
never import Qt (DESIGN.md §2, §4), and the window never imports the command line.

Each check runs in a fresh interpreter (the test session itself may have Qt loaded by the GUI
tests). An import hook records every attempt to import a forbidden package, with the stack
that asked for it, so a failure names the culprit even when the import was caught and ignored.
"""

import ast
import json
import pathlib
import subprocess
import sys
import textwrap

RECORD_FORBIDDEN_IMPORTS = textwrap.dedent("""
    import importlib.abc, json, sys, traceback

    FORBIDDEN = {forbidden!r}
    attempts = []

    class RecordForbidden(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in FORBIDDEN:
                attempts.append({{"module": name, "stack": "".join(traceback.format_stack(limit=12))}})
            return None  # let the normal finders import it (or fail), we only record

    sys.meta_path.insert(0, RecordForbidden())
""")

REPORT = textwrap.dedent("""
    loaded = sorted({name.split(".")[0] for name in sys.modules} & FORBIDDEN)
    print("@@" + json.dumps({"loaded": loaded, "attempts": attempts}))
""")


def run_isolated(body, forbidden, cwd):
    """Run ``body`` in a new interpreter with the recording hook; return (result, process)."""
    script = RECORD_FORBIDDEN_IMPORTS.format(forbidden=set(forbidden)) + textwrap.dedent(body) + REPORT
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             cwd=cwd, timeout=120)
    assert process.returncode == 0, process.stderr
    marker = [line for line in process.stdout.splitlines() if line.startswith("@@")]
    assert marker, f"no report from the subprocess:\n{process.stdout}\n{process.stderr}"
    return json.loads(marker[-1][2:]), process


def assert_nothing_forbidden(result):
    stacks = "\n".join(f"{a['module']} imported from:\n{a['stack']}" for a in result["attempts"])
    assert result["loaded"] == [], stacks
    assert result["attempts"] == [], stacks


def test_headless_layers_and_cli_training_never_import_qt(tmp_path):
    model, animation = tmp_path / "m.json", tmp_path / "run.gif"
    body = f"""
        import pkgutil, importlib
        import bpgui.engine, bpgui.data, bpgui.io, bpgui.runs, bpgui.cli, bpgui.visual, bpgui.animation
        for package in (bpgui.engine, bpgui.data, bpgui.io, bpgui.runs, bpgui.cli, bpgui.visual,
                        bpgui.animation):
            for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                importlib.import_module(module.name)
        code = bpgui.cli.main(["train", "--example", "xor", "--epochs", "2",
                               "--out", {str(model)!r}, "--quiet"])
        assert code == 0, f"bpgui train exited with {{code}}"
        for example in ("xor", "iris"):  # the output map, then the network drawing
            code = bpgui.cli.main(["animate", "--example", example, "--epochs", "2", "--size", "320x180",
                                   "--out", {str(animation)!r}, "--quiet"])
            assert code == 0, f"bpgui animate exited with {{code}}"
    """
    result, process = run_isolated(body, {"PySide6", "pyqtgraph", "shiboken6"}, tmp_path)
    assert_nothing_forbidden(result)
    assert model.exists() and animation.exists(), process.stderr
    assert json.loads(model.read_text())["format"] == "bpgui-model"
    assert animation.read_bytes()[:6] == b"GIF89a"


def test_the_engine_needs_neither_qt_nor_pandas(tmp_path):
    body = """
        import pkgutil, importlib
        import bpgui.engine
        for module in pkgutil.walk_packages(bpgui.engine.__path__, "bpgui.engine."):
            importlib.import_module(module.name)
    """
    result, _ = run_isolated(body, {"PySide6", "pyqtgraph", "shiboken6", "pandas"}, tmp_path)
    assert_nothing_forbidden(result)


def test_the_recorder_does_catch_a_qt_import(tmp_path):
    """The check can fail: importing pyqtgraph's Qt shim is recorded with its stack."""
    result, _ = run_isolated("import pyqtgraph\n", {"PySide6", "pyqtgraph"}, tmp_path)
    assert "pyqtgraph" in result["loaded"]
    assert any(a["module"] == "pyqtgraph" for a in result["attempts"])


def imported_modules(path):
    """Every module a Python file imports (absolute names), at any depth of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def test_the_window_never_imports_the_command_line():
    """gui → cli would close a cycle (the command line opens the window)."""
    gui = pathlib.Path(__file__).parents[1] / "bpgui" / "gui"
    offenders = {str(path.relative_to(gui)): module for path in gui.rglob("*.py")
                 for module in imported_modules(path) if module.split(".")[:2] == ["bpgui", "cli"]}
    assert offenders == {}
