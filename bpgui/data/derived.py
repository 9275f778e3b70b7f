"""Derived inputs (DESIGN.md §4): ``A^2``, ``A*B``, ``sin(A)``, ``cos(A)`` of numeric features.

The one place that reads, checks, names and computes them. An expression is read by a small
tokenizer and matched against the four forms of :data:`FORMS` (never ``eval``). A feature name
holding one of ``^*(),`` (or a double quote, or spaces at its ends) is written in double
quotes, a quote inside doubled as in CSV: ``"petal length"^2``, ``"a,b"*c``.

Every expression has a canonical text (no spaces around the operators, quotes only where the
name needs them): it is the derived input's name in the window and its ``expr`` in the model
file. Values are computed from the raw feature values after imputation, before scaling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations
from typing import Callable, Mapping

import numpy as np

from bpgui.data.errors import DataError


@dataclass(frozen=True)
class Form:
    """One kind of derived input: how many feature names it takes, its text, its values."""

    arity: int
    template: str
    compute: Callable[..., np.ndarray]


FORMS = {
    "A^2": Form(1, "{0}^2", lambda a: a * a),
    "A*B": Form(2, "{0}*{1}", lambda a, b: a * b),
    "sin(A)": Form(1, "sin({0})", np.sin),
    "cos(A)": Form(1, "cos({0})", np.cos),
}
"""The forms a user may write, keyed by how the user sees them."""

FUNCTIONS = {"sin": "sin(A)", "cos": "cos(A)"}
"""Function word → its form."""

ALLOWED = (f"allowed: {', '.join(FORMS)} where A and B are numeric feature names "
           '(a name holding one of ^*(), in double quotes: "a,b"^2)')
"""The tail of every message about a bad derived input."""

SPECIAL = set('^*(),"')


def quote_name(name: str) -> str:
    """``name`` as written in an expression: bare, or in double quotes when it must be."""
    if name and not (SPECIAL & set(name)) and name == name.strip():
        return name
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class DerivedInput:
    """One derived input: its form (a key of :data:`FORMS`) and the feature names it uses."""

    form: str
    names: tuple[str, ...]

    @property
    def expr(self) -> str:
        """The canonical text: ``x1^2``, ``x1*x2``, ``sin("a,b")``."""
        return FORMS[self.form].template.format(*(quote_name(name) for name in self.names))

    def evaluate(self, values: Mapping[str, np.ndarray]) -> np.ndarray:
        """The derived values from raw feature values (missing ones already imputed).

        Parameters
        ----------
        values : mapping of str to ndarray of shape (n,)

        Returns
        -------
        ndarray of shape (n,), float64
        """
        arguments = [np.asarray(values[name], dtype=np.float64) for name in self.names]
        with np.errstate(over="ignore", invalid="ignore"):
            return FORMS[self.form].compute(*arguments)

    def __str__(self):
        return self.expr


def bad(text: str, problem: str | None = None) -> DataError:
    """The one-line error about the expression ``text``."""
    middle = f": {problem}; " if problem else ": "
    return DataError(f'derived input "{text}"{middle}{ALLOWED}')


# -- reading ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Token:
    kind: str  # "name" or the operator character
    text: str
    quoted: bool = False


def _tokens(text: str) -> list[_Token]:
    """Names (bare runs of other characters, stripped; or quoted) and operator characters."""
    tokens, i = [], 0
    while i < len(text):
        char = text[i]
        if char in "^*(),":
            tokens.append(_Token(char, char))
            i += 1
        elif char == '"':
            name, i = _quoted(text, i)
            tokens.append(_Token("name", name, quoted=True))
        else:
            start = i
            while i < len(text) and text[i] not in SPECIAL:
                i += 1
            if text[start:i].strip():
                tokens.append(_Token("name", text[start:i].strip()))
    return tokens


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The name in double quotes starting at ``start`` and the index after its closing quote."""
    chars, i = [], start + 1
    while i < len(text):
        if text[i] == '"':
            if text[i + 1:i + 2] == '"':
                chars.append('"')
                i += 2
                continue
            return "".join(chars), i + 1
        chars.append(text[i])
        i += 1
    raise bad(text, "a double quote is not closed")


def parse_derived(text: str) -> DerivedInput:
    """Read one expression (only its syntax; the names are checked by :func:`check_columns`).

    Raises
    ------
    DataError
        One line naming ``text`` and what is allowed.
    """
    tokens = _tokens(text)
    kinds = [token.kind for token in tokens]
    if not tokens:
        raise bad(text, "empty expression")
    if kinds == ["name", "(", "name", ")"] and not tokens[0].quoted:
        form = FUNCTIONS.get(tokens[0].text)
        if form is None:
            raise bad(text, f"unknown function {tokens[0].text}")
        return DerivedInput(form, (tokens[2].text,))
    if kinds == ["name", "^", "name"]:
        if tokens[2].quoted or tokens[2].text != "2":
            raise bad(text, "only ^2 (the square) is allowed as a power")
        return DerivedInput("A^2", (tokens[0].text,))
    if kinds == ["name", "*", "name"]:
        return DerivedInput("A*B", (tokens[0].text, tokens[2].text))
    if "(" in kinds and kinds.count("(") != kinds.count(")"):
        raise bad(text, "the parentheses do not match")
    raise bad(text)


def split_derived(text: str) -> list[str]:
    """Split a ``--derive`` list on the commas outside double quotes and parentheses."""
    parts, current, depth, quoted = [], [], 0, False
    for char in text:
        if char == '"':
            quoted = not quoted  # a doubled quote inside a name toggles twice
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth = max(depth - 1, 0)
        elif not quoted and depth == 0 and char == ",":
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def parse_derive_list(text: str) -> tuple[str, ...]:
    """``--derive`` text → the canonical texts in the order given.

    Raises
    ------
    DataError
        For a bad or empty expression, or one given twice (one line naming it).
    """
    return canonical_texts(split_derived(text))


def canonical_texts(texts) -> tuple[str, ...]:
    """Canonical texts of expressions, in order; DataError for a bad one or a repeat."""
    seen = {}
    for text in texts:
        expr = parse_derived(text).expr
        if expr in seen:
            raise DataError(f'derived input "{text}" is given twice; {ALLOWED}')
        seen[expr] = None
    return tuple(seen)


# -- checking against the data ----------------------------------------------------------------

def check_columns(derived: DerivedInput, numeric, features=None, targets=(), columns=(),
                  source=None) -> None:
    """Refuse a derived input whose names are not numeric features (one line naming it).

    Parameters
    ----------
    derived : DerivedInput
    numeric : sequence of str
        The numeric feature names.
    features : sequence of str, optional
        Every feature name (numeric or categorical); default ``numeric``.
    targets, columns : sequence of str
        The target columns and every column of the table, for a precise message.
    source : str, optional
        The file, for the message.
    """
    features = numeric if features is None else features
    for name in derived.names:
        if name in numeric:
            continue
        if name in targets:
            problem = f'"{name}" is the target, not a feature'
        elif name in features:
            problem = f'"{name}" is categorical; derived inputs take numeric features'
        elif name in columns:
            problem = f'"{name}" is not one of the features'
        else:
            problem = f'unknown column "{name}"; the numeric features are: {", ".join(numeric)}'
        raise DataError(f'derived input "{derived.expr}": {problem}; {ALLOWED}', path=source)


def file_entries(entries, numeric) -> list:
    """A model file's ``inputs.derived`` checked: each ``{"expr", "center", "scale"}`` with its
    canonical expr over ``numeric`` columns, a finite center and a finite non-zero scale.

    Parameters
    ----------
    entries : list of dict or None
        Absent (None) or empty means no derived inputs.
    numeric : sequence of str
        The model's numeric column names.

    Raises
    ------
    DataError
        One line naming what is wrong.
    """
    if entries is None:
        return []
    if not isinstance(entries, (list, tuple)) or not all(isinstance(item, dict) for item in entries):
        raise DataError('inputs.derived must be a list of {"expr", "center", "scale"} objects')
    checked = []
    for item in entries:
        if not all(key in item for key in ("expr", "center", "scale")):
            raise DataError(f'each of inputs.derived needs "expr", "center" and "scale", got {sorted(item)}')
        derived = parse_derived(str(item["expr"]))
        check_columns(derived, numeric)
        center, scale = float(item["center"]), float(item["scale"])
        if not (math.isfinite(center) and math.isfinite(scale) and scale != 0):
            raise DataError(f'derived input "{derived.expr}": center must be a number and scale a '
                            f"non-zero number, got {center} and {scale}")
        checked.append({"expr": derived.expr, "center": center, "scale": scale})
    return checked


def candidates(numeric) -> list[str]:
    """The derived inputs the window offers for these numeric features, in this order: the
    squares, the products of each pair, the sines, the cosines (for ``x1, x2`` the
    TensorFlow Playground's set)."""
    names = [quote_name(name) for name in numeric]
    return ([f"{a}^2" for a in names] + [f"{a}*{b}" for a, b in combinations(names, 2)]
            + [f"sin({a})" for a in names] + [f"cos({a})" for a in names])
