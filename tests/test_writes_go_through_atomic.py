"""Every file bpgui writes goes through bpgui/io/atomic.py: no other module opens a file for
writing, renames files or calls a library's own file writer (read from the source, so a new
writer that bypasses the module fails here)."""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "bpgui"
WRITING_MODULE = PACKAGE / "io" / "atomic.py"

WRITER_METHODS = {"savez", "savez_compressed", "tofile", "write_text", "write_bytes", "to_csv",
                  "dump", "mkstemp", "NamedTemporaryFile", "export", "save", "copyfile", "copy2", "move"}
"""Calls that write a file when given a path (``np.savez``, ``Path.write_text``, ``json.dump``,
pyqtgraph's ``exporter.export``, ``QImage.save`` …)."""

OS_WRITERS = {"replace", "rename", "open", "mknod", "mkfifo"}
"""``os.<name>`` calls that make or replace files (``dataclasses.replace`` and ``str.replace``
are not meant)."""

MODE_ARGUMENT = {"open": 1, "fdopen": 1}


def _on_os(func):
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "os"


def _in_memory(node, atomic_handles=()):
    """``writer(buffer, …)`` (a BytesIO or QBuffer named ``buffer``), ``export(toBytes=True)``,
    or ``writer(handle, …)`` where ``handle`` is bound by ``with atomic_open(…) as handle``."""
    first = node.args[0] if node.args else None
    to_bytes = any(kw.arg == "toBytes" and getattr(kw.value, "value", False) is True for kw in node.keywords)
    return to_bytes or (isinstance(first, ast.Name) and first.id in ("buffer", *atomic_handles))


def _atomic_handles(tree):
    """Names bound by ``with atomic_open(…) as NAME``: files the writing module opened."""
    return {item.optional_vars.id for node in ast.walk(tree) if isinstance(node, ast.With)
            for item in node.items
            if isinstance(item.context_expr, ast.Call) and getattr(item.context_expr.func, "id", None) == "atomic_open"
            and isinstance(item.optional_vars, ast.Name)}


def _devnull(node):
    """``os.open(os.devnull, …)``: silencing a closed stdout writes no file."""
    first = node.args[0] if node.args else None
    return isinstance(first, ast.Attribute) and first.attr == "devnull"


def _writes(node, atomic_handles=()):
    """The name of a call that writes a file, or None."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    if _on_os(func) and name in OS_WRITERS:
        return None if name == "open" and _devnull(node) else name
    if name in MODE_ARGUMENT:
        modes = [kw.value for kw in node.keywords if kw.arg == "mode"]
        if len(node.args) > MODE_ARGUMENT[name]:
            modes.append(node.args[MODE_ARGUMENT[name]])
        for mode in modes:
            if not (isinstance(mode, ast.Constant) and isinstance(mode.value, str)):
                return name  # a mode we cannot read: count it
            if set(mode.value) & set("wax+"):
                return name
        return None
    return name if name in WRITER_METHODS and not _in_memory(node, atomic_handles) else None


def _calls(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    handles = _atomic_handles(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _writes(node, handles)
            if name:
                yield name, node.lineno


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if p != WRITING_MODULE)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_but_atomic_writes_files(path):
    relative = path.relative_to(PACKAGE).as_posix()
    found = [f"{relative}:{line}: {name}(…)" for name, line in _calls(path)]
    assert not found, "write through bpgui.io.atomic instead: " + "; ".join(found)


def test_the_check_sees_a_writer():
    sample = ast.parse("open(p, 'w')\nnp.savez(p, a=1)\nopen(p, 'rb')\n'a'.replace('a', 'b')\nos.replace(a, b)\n"
                       "os.open(os.devnull, 1)\nos.open(p, 1)\nnp.savez(buffer)\ne.export(toBytes=True)\ne.export(p)")
    names = [_writes(node) for node in ast.walk(sample) if isinstance(node, ast.Call)]
    assert sorted(name for name in names if name) == ["export", "open", "open", "replace", "savez"]


def test_a_handle_from_atomic_open_may_be_given_to_a_writer_and_no_other():
    sample = ast.parse("with atomic_open(p) as handle:\n    image.save(handle)\n"
                       "with open(p, 'rb') as other:\n    image.save(other)\n")
    handles = _atomic_handles(sample)
    names = [_writes(node, handles) for node in ast.walk(sample) if isinstance(node, ast.Call)]
    assert handles == {"handle"} and [name for name in names if name] == ["save"]
