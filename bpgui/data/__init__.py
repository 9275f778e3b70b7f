"""Data layer: CSV reading, task detection, preprocessing, splits and built-in examples.

No Qt here. Every problem with the user's data is a :class:`DataError` whose message names
the file, line and column.
"""

from bpgui.data.csv_reader import (DEFAULT_NA_VALUES, DELIMITER_WORDS, CsvOptions, Preview,
                                   parse_bytes, preview_csv, read_csv, resolve_delimiter)
from bpgui.data.dataset import DatasetSpec, PreparedData, detect_task, prepare
from bpgui.data.errors import DataError
from bpgui.data.examples import EXAMPLES, Example, get_example, load_example
from bpgui.data.fitting import SCALINGS
from bpgui.data.preprocess import Preprocessor
from bpgui.data.splits import split_rows
from bpgui.data.table import Table, constant_notes, identifier_like, table_from_columns

__all__ = [
    "DEFAULT_NA_VALUES", "DELIMITER_WORDS", "EXAMPLES", "SCALINGS", "CsvOptions", "DataError",
    "DatasetSpec", "Example", "PreparedData", "Preprocessor", "Preview", "Table", "constant_notes", "detect_task",
    "get_example", "identifier_like", "load_example", "parse_bytes", "prepare", "preview_csv", "read_csv",
    "resolve_delimiter", "split_rows", "table_from_columns",
]
