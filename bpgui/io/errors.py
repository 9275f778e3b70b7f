"""The one exception the io layer raises for a file it cannot read or write."""

from __future__ import annotations

import os


class ModelFileError(ValueError):
    """A model or session file that cannot be read or written; the message is one line naming
    the file."""

    def __init__(self, path, problem):
        self.path = os.fspath(path) if path is not None else None
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path else problem)
