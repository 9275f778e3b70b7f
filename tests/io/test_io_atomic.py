import os

import pytest

from bpgui.io.atomic import atomic_open, atomic_write_bytes, atomic_write_text


def test_writes_the_whole_file_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out.txt"
    atomic_write_text(target, "one\ntwo\n")
    assert target.read_text() == "one\ntwo\n"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_a_failure_while_writing_leaves_the_existing_file_untouched(tmp_path):
    target = tmp_path / "model.json"
    target.write_text("old content")
    with pytest.raises(RuntimeError):
        with atomic_open(target, "w") as handle:
            handle.write("half of the new")
            raise RuntimeError("disk full")
    assert target.read_text() == "old content"
    assert os.listdir(tmp_path) == ["model.json"]


def test_a_failure_leaves_no_file_when_there_was_none(tmp_path):
    target = tmp_path / "new.npz"
    with pytest.raises(ValueError):
        with atomic_open(target, "wb") as handle:
            handle.write(b"partial")
            raise ValueError("serialisation failed")
    assert os.listdir(tmp_path) == []


def test_a_missing_folder_is_an_os_error_and_writes_nothing(tmp_path):
    with pytest.raises(FileNotFoundError):
        atomic_write_bytes(tmp_path / "no" / "such" / "dir.bin", b"x")
    assert os.listdir(tmp_path) == []


def test_replacing_keeps_the_permissions_of_the_old_file(tmp_path):
    target = tmp_path / "shared.csv"
    target.write_text("a")
    os.chmod(target, 0o640)
    atomic_write_bytes(target, b"b")
    assert target.read_bytes() == b"b"
    assert os.stat(target).st_mode & 0o777 == 0o640


def test_atomic_path_gives_a_writer_a_name_and_replaces_the_file_once_it_is_done(tmp_path):
    from bpgui.io.atomic import atomic_path

    target = tmp_path / "run.mp4"
    target.write_bytes(b"old")
    with atomic_path(target) as temporary:
        assert os.path.dirname(temporary) == str(tmp_path) and temporary != str(target)
        with open(temporary, "wb") as handle:  # as another process would
            handle.write(b"new video")
        assert target.read_bytes() == b"old"
    assert target.read_bytes() == b"new video" and os.listdir(tmp_path) == ["run.mp4"]


def test_atomic_path_removes_its_file_on_failure(tmp_path):
    from bpgui.io.atomic import atomic_path

    with pytest.raises(KeyboardInterrupt):
        with atomic_path(tmp_path / "run.mp4") as temporary:
            with open(temporary, "wb") as handle:
                handle.write(b"half a video")
            raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []
