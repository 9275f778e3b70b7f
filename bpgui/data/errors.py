"""The one exception the data layer raises: a message naming file, line and column."""

from __future__ import annotations


class DataError(ValueError):
    """A problem with the user's data, told in one line.

    ``str(error)`` reads ``<path>: line N, column "name": <what is wrong>``; the parts that do not
    apply are left out.

    Parameters
    ----------
    message : str
        What is wrong, without the location.
    path : str, optional
        The file as the user gave it (or ``example:<name>``).
    line : int, optional
        1-based physical line of the file (the header is line 1).
    column : str, optional
        The column's name.
    """

    def __init__(self, message, path=None, line=None, column=None):
        self.message = str(message)
        self.path = None if path is None else str(path)
        self.line = None if line is None else int(line)
        self.column = None if column is None else str(column)
        super().__init__(self._format())

    def _format(self):
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f'column "{self.column}"')
        parts = [self.path, ", ".join(where), self.message]
        return ": ".join(part for part in parts if part)

    def __reduce__(self):
        return (type(self), (self.message, self.path, self.line, self.column))
