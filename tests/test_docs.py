"""The documentation cannot go stale: the README stays short, every relative link leads to an
existing file (and heading), and every ``bpgui …`` command shown in the docs runs.

A command is a line starting with ``bpgui `` (or ``$ bpgui ``) in a ```bash block of
``docs/*.md``; a line ending in a backslash continues on the next. The commands of one page run
in order, in a temporary folder holding a copy of ``docs/examples/``, as a user following the
page would, and must exit 0, or the code a trailing comment ``# exits N`` names (then with one
``error: …`` line on stderr). Commands that open the window are skipped.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from bpgui.arguments import COMMAND_SUMMARIES

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
SCREENSHOTS = ROOT / "resources" / "screenshots"  # also served as screenshots/ by docs/hooks/screenshots.py
README_LIMIT = 10_000
PAGES = sorted(DOCS.glob("*.md"))
COMMAND_TIMEOUT = 120

FENCE = re.compile(r"^(`{3,}|~{3,})([^\n]*)\n(.*?)^\1[ \t]*$", re.M | re.S)
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXIT_COMMENT = re.compile(r"#\s*exits\s+(\d+)\s*$")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


# -- reading Markdown ---------------------------------------------------------------------------

def fenced_blocks(text):
    """``(info string, body)`` of every fenced code block of ``text``."""
    return [(match.group(2).strip(), match.group(3)) for match in FENCE.finditer(text)]


def prose(text):
    """``text`` without its fenced code blocks and inline code spans (links there are code)."""
    text = FENCE.sub("", text)
    return re.sub(r"(`+)(?:(?!\1).)+?\1", "", text)


def relative_links(text):
    """The link and image targets of ``text`` that are neither URLs nor in-page anchors."""
    return [target for target in LINK.findall(prose(text))
            if not SCHEME.match(target) and not target.startswith("#")]


def slug(heading):
    """The anchor of a heading, as Python-Markdown's ``toc`` (and, for plain headings, GitHub)
    makes it."""
    text = re.sub(r"[`*_]", "", heading)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors(path):
    """The anchors of the headings of the Markdown file ``path``."""
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {slug(match.group(1)) for match in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.M)}


def link_target(page, target):
    """The file a relative link of ``page`` leads to (a page's ``screenshots/`` is served from
    resources/screenshots)."""
    path = target.split("#", 1)[0].split("?", 1)[0]
    if page.parent == DOCS and path.startswith("screenshots/"):
        return SCREENSHOTS / path[len("screenshots/"):]
    return (page.parent / path).resolve() if path else page


# -- the commands of the docs -------------------------------------------------------------------

def command_lines(text):
    """Every ``bpgui …`` command of the ```bash blocks of ``text``, continuation lines joined."""
    commands = []
    for info, body in fenced_blocks(text):
        if info.split()[:1] != ["bash"]:
            continue
        lines = iter(body.splitlines())
        for line in lines:
            while line.rstrip().endswith("\\"):
                line = line.rstrip()[:-1].rstrip() + " " + next(lines, "").strip()
            line = line.strip()
            if line.startswith("$ "):
                line = line[2:].lstrip()
            if line.startswith("bpgui "):
                commands.append(line)
    return commands


def parse_command(line):
    """``(arguments after "bpgui", expected exit code)`` of a command line."""
    found = EXIT_COMMENT.search(line)
    expected = int(found.group(1)) if found else 0
    words = shlex.split(line, comments=True)
    assert not set(words) & {"|", ">", "<", ">>", "&&", ";"}, \
        f"{line!r}: a docs command must be one plain bpgui command (use --out, not a redirection)"
    return words[1:], expected


def opens_window(arguments):
    """True for ``bpgui``, ``bpgui DATA.csv …`` and ``bpgui --example NAME``: the window."""
    if not arguments:
        return True
    if arguments[0] in COMMAND_SUMMARIES:
        return False
    return not {"--help", "-h", "--version"} & set(arguments)


# One fresh interpreter per page runs the page's commands in order through bpgui's entry point,
# each with its own stdout and stderr: the test process never imports what a command imports,
# and the interpreter's start-up is paid once per page, not once per command.
RUNNER = """
import contextlib, io, json, sys
from bpgui.cli import main
results = []
for arguments in json.load(sys.stdin):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(arguments)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
        except BaseException:
            import traceback
            traceback.print_exc()
            code = "raised"
    results.append({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
json.dump(results, sys.__stdout__)
"""


def run_commands(commands, folder):
    """Run ``commands`` (lists of arguments after "bpgui") in order in ``folder``; one
    ``{"code", "stdout", "stderr"}`` per command."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps(commands), cwd=folder, env=env,
                          capture_output=True, text=True, timeout=COMMAND_TIMEOUT * max(len(commands), 1))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# -- the tests ----------------------------------------------------------------------------------

def test_readme_is_short():
    size = len(README.read_bytes())
    assert size <= README_LIMIT, f"README.md has {size} bytes; at most {README_LIMIT}: move the rest to docs/"


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_relative_link_leads_to_a_file(page):
    text = page.read_text(encoding="utf-8")
    broken = []
    for target in relative_links(text):
        path = link_target(page, target)
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif "#" in target and path.suffix == ".md" and target.split("#", 1)[1] not in anchors(path):
            broken.append(f"{target}: no heading with that anchor")
    assert not broken, f"{page.name}: " + "; ".join(broken)


def test_the_readme_links_into_every_page_of_the_docs():
    linked = {link_target(README, target).name for target in relative_links(README.read_text(encoding="utf-8"))}
    assert {page.name for page in PAGES} <= linked


def test_link_checker_finds_broken_links_and_anchors(tmp_path):
    text = ("[ok](#local) [code](`x.md`) `[not a link](nowhere.md)` [web](https://example.org/a.md)\n"
            "![shot](screenshots/none.png) [page](cli.md#no-such-heading)\n```\n[x](inside.md)\n```\n")
    assert relative_links(text) == ["screenshots/none.png", "cli.md#no-such-heading"]
    assert not link_target(DOCS / "index.md", "screenshots/none.png").exists()
    assert "no-such-heading" not in anchors(DOCS / "cli.md")
    assert "every-command-and-option" in anchors(DOCS / "cli.md")


def test_command_lines_are_found_joined_and_classified():
    text = ("```bash\nbpgui train a.csv \\\n    --out m.json   # a note\n$ bpgui examples\nls\n```\n"
            "```text\nbpgui predict m.json a.csv\n```\n```bash\nbpgui broken.csv   # exits 2\nbpgui\n```\n")
    lines = command_lines(text)
    assert lines == ["bpgui train a.csv --out m.json   # a note", "bpgui examples", "bpgui broken.csv   # exits 2"]
    assert parse_command(lines[0]) == (["train", "a.csv", "--out", "m.json"], 0)
    assert parse_command(lines[2]) == (["broken.csv"], 2)
    assert opens_window([]) and opens_window(["data.csv", "--target", "y"]) and opens_window(["--example", "iris"])
    assert not opens_window(["train", "--example", "iris"]) and not opens_window(["--version"])


def test_the_command_line_reference_shows_commands_to_run():
    commands = [parse_command(line)[0] for line in command_lines((DOCS / "cli.md").read_text(encoding="utf-8"))]
    run = {arguments[0] for arguments in commands if not opens_window(arguments)}
    assert set(COMMAND_SUMMARIES) <= run, "docs/cli.md's examples should show every command"


def runnable_lines(page):
    """The command lines of ``page`` that do not open the window."""
    return [line for line in command_lines(page.read_text(encoding="utf-8"))
            if not opens_window(parse_command(line)[0])]


PAGES_WITH_COMMANDS = [page for page in PAGES if runnable_lines(page)]


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES_WITH_COMMANDS, ids=lambda path: path.name)
def test_every_command_of_the_docs_runs(page, tmp_path):
    folder = tmp_path / "examples"
    shutil.copytree(EXAMPLES, folder)
    lines = runnable_lines(page)
    results = run_commands([parse_command(line)[0] for line in lines], folder)
    for line, result in zip(lines, results):
        expected = parse_command(line)[1]
        assert result["code"] == expected, (
            f"{page.name}: `{line}` exited {result['code']}, expected {expected}\n{result['stderr']}")
        if expected:
            assert result["stderr"].strip().splitlines()[-1].startswith("error: "), result["stderr"]
            assert "Traceback" not in result["stderr"]
