"""Helpers for data tests: write a CSV (text or bytes) into a temporary folder."""

import pytest


@pytest.fixture
def write_csv(tmp_path):
    """``write_csv(content, name="data.csv", encoding="utf-8") -> path`` (str)."""

    def write(content, name="data.csv", encoding="utf-8"):
        path = tmp_path / name
        data = content if isinstance(content, bytes) else content.encode(encoding)
        path.write_bytes(data)
        return str(path)

    return write
