"""Turn the columns pandas parsed into the Table's typed arrays: float64 or str/None."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd

from bpgui.data.errors import DataError

LARGEST_VALUE = 1e35
MAX_CASED_LETTERS = 8
SPACE_GROUPS = ("[ \u00a0\u202f]", "'")  # 1 234 (or no-break, thin spaces), 1'234: regexes
DIGIT_GROUPS = {  # decimal mark -> the thousands separators read with it (regexes)
    ".": (",", *SPACE_GROUPS),  # 1,234.5 (comma-separated files: in quotes)
    ",": (r"\.", *SPACE_GROUPS),  # 1.234,5 (files whose delimiter is not a comma)
}


def case_variants(words) -> list[str]:
    """Every upper/lower spelling of short words, so pandas' C parser matches them itself.

    Longer words get their common spellings only; :func:`to_column` still matches any
    spelling afterwards, this only keeps such columns on the fast numeric path.
    """
    variants = {""}
    for word in words:
        cased = [i for i, ch in enumerate(word) if ch.lower() != ch.upper()]
        if len(cased) > MAX_CASED_LETTERS:
            variants.update({word, word.lower(), word.upper(), word.title()})
            continue
        for flips in itertools.product((str.lower, str.upper), repeat=len(cased)):
            chars = list(word)
            for index, flip in zip(cased, flips):
                chars[index] = flip(chars[index])
            variants.add("".join(chars))
    return sorted(variants)


def to_column(series: pd.Series, na_lower: frozenset, decimal_comma: bool) -> np.ndarray:
    """float64 (NaN = missing) when every observed value is a number, else object str/None.

    Text work happens once per distinct value (``pandas.factorize``), so a categorical column
    of a million rows and five colours costs five strips and five lookups.

    Parameters
    ----------
    series : pandas.Series of shape (n_rows,)
    na_lower : frozenset of str
        Missing-value words, lower case.
    decimal_comma : bool
        Also accept ``3,5`` as a number (files whose delimiter is not a comma).
    """
    if series.dtype.kind in "iuf":
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    text = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str).str.strip()
    unique_missing = ((text == "") | text.str.lower().isin(na_lower)).to_numpy()
    missing = np.append(unique_missing, True)[codes]  # code -1 (NaN) reads the extra slot
    numbers = _as_numbers(text[~unique_missing], decimal_comma)
    if numbers is not None:
        unique_values = np.full(len(text) + 1, np.nan)  # the extra slot serves code -1
        unique_values[np.flatnonzero(~unique_missing)] = numbers
        return unique_values[codes]
    values = np.append(text.to_numpy(dtype=object), None)[codes]
    values[missing] = None
    return values


MAYBE_NUMBER = re.compile(r"[+-]?(inf|infinity)|[0-9+\-.,eE' \u00a0\u202f]*", re.IGNORECASE)
"""Every character a number may hold in any form :func:`to_column` reads (digits, sign, decimal
mark, exponent, a thousands separator) or an infinity word; text with any other is no number."""


def text_columns(frame: pd.DataFrame, names, na_lower: frozenset) -> dict:
    """The columns among ``names`` that hold a value no number format reads, converted as
    :func:`to_column` would convert them (stripped text, None where missing), all at once.

    One pandas Series per column costs about a millisecond, which made a file of 5,000 text
    columns take over 5 s; here the text work happens once per distinct value of the whole
    block. The other columns (every value could be a number) are left to :func:`to_column`.

    Returns
    -------
    dict of str to ndarray of object of shape (n_rows,)
    """
    if not names:
        return {}
    block = frame[list(names)].to_numpy(dtype=object)
    codes, uniques = pd.factorize(block.ravel(order="F"), use_na_sentinel=True)
    text = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str).str.strip()
    missing = ((text == "") | text.str.lower().isin(na_lower)).to_numpy()
    no_number = ~text.str.fullmatch(MAYBE_NUMBER).to_numpy(dtype=bool) & ~missing
    shape = block.shape
    is_text = np.append(no_number, False)[codes].reshape(shape, order="F").any(axis=0)
    values = np.append(np.where(missing, None, text.to_numpy(dtype=object)), None)[codes]
    values = values.reshape(shape, order="F")
    return {name: np.ascontiguousarray(values[:, j]) for j, name in enumerate(names) if is_text[j]}


def boolean_columns(frame: pd.DataFrame) -> list:
    """Names of the columns pandas turned into booleans (``true``/``False`` words), in order:
    bool columns, and object columns whose every present value is a bool (booleans with
    missing cells), found for all columns in one pass."""
    objects = [name for name, dtype in zip(frame.columns, frame.dtypes) if dtype == object]
    with_bool = set()
    if objects:
        block = frame[objects].to_numpy(dtype=object)
        codes, uniques = pd.factorize(block.ravel(order="F"), use_na_sentinel=True)
        is_bool = np.array([isinstance(u, (bool, np.bool_)) for u in uniques], dtype=bool)
        bools = np.append(is_bool, False)[codes].reshape(block.shape, order="F").any(axis=0)
        others = np.append(~is_bool, False)[codes].reshape(block.shape, order="F").any(axis=0)
        with_bool = {name for name, yes, no in zip(objects, bools, others) if yes and not no}
    return [name for name, dtype in zip(frame.columns, frame.dtypes) if dtype == bool or name in with_bool]


def _as_numbers(text: pd.Series, decimal_comma: bool):
    """float64 values when every string is a number, else None.

    A number may group its digits by thousands (``1,234.5``; with ``decimal_comma``,
    ``1.234,5``; either mark with ``1 234`` or ``1'234``): each group after the first has
    exactly three digits, so a list such as ``1,5`` in a comma-separated file stays text.
    """
    if len(text) == 0:
        return None
    numbers = _numbers_or_none(text)
    if numbers is None and decimal_comma and text.str.contains(",", regex=False).any():
        numbers = _numbers_or_none(text.str.replace(",", ".", regex=False))
    for group in DIGIT_GROUPS["," if decimal_comma else "."]:
        if numbers is not None:
            break
        numbers = _without_grouping(text, group, "," if decimal_comma else ".")
    return numbers


def _numbers_or_none(text: pd.Series):
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64)
    return None if np.isnan(numbers).any() else numbers


def _without_grouping(text: pd.Series, group: str, decimal: str):
    """float64 values of ``text`` read with thousands separator ``group`` (a regex) and
    decimal mark ``decimal``, or None if one is not a number that way (or none is grouped)."""
    grouped = rf"[+-]?\d{{1,3}}(?:{group}\d{{3}})+(?:{re.escape(decimal)}\d*)?"
    is_grouped = text.str.fullmatch(grouped)
    if not is_grouped.any():
        return None
    plain = text.where(~is_grouped, text.str.replace(group, "", regex=True))
    return _numbers_or_none(plain.str.replace(decimal, ".", regex=False) if decimal != "." else plain)


def check_finite(values: np.ndarray, column: str, lines: np.ndarray, path) -> None:
    """DataError at the first infinite or absurdly large (|x| > 1e35) value of a column."""
    with np.errstate(invalid="ignore"):
        bad = np.abs(values) > LARGEST_VALUE
    if not bad.any():
        return
    row = int(np.argmax(bad))
    value = values[row]
    what = (f"{value} is not a finite number" if np.isinf(value)
            else f"{value:g} is too large (values must be within ±1e35)")
    raise DataError(what, path=path, line=int(lines[row]), column=column)
