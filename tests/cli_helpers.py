"""What the command-line tests check of stderr."""


def error_line(capsys):
    """The one ``error: …`` line a failed command printed on stderr (and nothing else)."""
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err
    return lines[0]
