import errno
import os
import stat
import sys

import pytest
from write_targets import NULL_DEVICE, FifoReader, is_device, leftovers, make_device, run_obeying_permissions

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


# -- targets that are not a plain file (DESIGN.md §4: an output file is written atomically) --

BIG = b"0123456789abcdef" * 65536  # 1 MiB: more than any buffer or pipe holds


@pytest.mark.parametrize("write", [lambda p: atomic_write_bytes(p, BIG),
                                   lambda p: atomic_write_text(p, BIG.decode())])
def test_a_full_device_is_written_in_place_and_its_error_reported(tmp_path, write):
    device = make_device(tmp_path / "full")
    with pytest.raises(OSError) as caught:
        write(device)
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == device
    assert caught.value.strerror == "No space left on device"
    assert is_device(device)  # never renamed over
    assert os.listdir(tmp_path) == ["full"]


def test_a_device_that_accepts_everything_stays_a_device(tmp_path):
    device = make_device(tmp_path / "null", NULL_DEVICE)
    atomic_write_text(device, "a,b\n1,2\n")
    assert is_device(device) and os.listdir(tmp_path) == ["null"]


def test_a_fifo_receives_the_content_and_stays_a_fifo(tmp_path):
    reader = FifoReader(tmp_path / "pipe")
    atomic_write_bytes(reader.path, BIG)
    assert reader.join() == BIG
    assert stat.S_ISFIFO(os.lstat(reader.path).st_mode) and os.listdir(tmp_path) == ["pipe"]


def test_a_fifo_whose_reader_leaves_is_a_broken_pipe_naming_it(tmp_path):
    reader = FifoReader(tmp_path / "pipe", keep=10)
    with pytest.raises(BrokenPipeError) as caught:
        atomic_write_bytes(reader.path, BIG)
    assert caught.value.filename == reader.path and caught.value.errno == errno.EPIPE
    assert reader.join() == BIG[:10] and leftovers(tmp_path) == []


def test_a_symlink_stays_and_its_target_gets_the_content_and_keeps_its_mode(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "model.json"
    target.write_text("old")
    os.chmod(target, 0o640)
    link = tmp_path / "model.json"
    link.symlink_to(os.path.join("real", "model.json"))  # relative, as `ln -s` makes them
    atomic_write_text(link, "new")
    assert link.is_symlink() and os.readlink(link) == os.path.join("real", "model.json")
    assert target.read_text() == "new" and os.stat(target).st_mode & 0o777 == 0o640
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "real") == []


def test_a_chain_of_symlinks_is_followed_to_the_end(tmp_path):
    target = tmp_path / "file.csv"
    target.write_text("old")
    (tmp_path / "one").symlink_to(target)
    (tmp_path / "two").symlink_to(tmp_path / "one")
    atomic_write_text(tmp_path / "two", "new")
    assert (tmp_path / "two").is_symlink() and (tmp_path / "one").is_symlink()
    assert target.read_text() == "new"


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "made.csv")
    atomic_write_text(link, "x\n")
    assert link.is_symlink() and (tmp_path / "made.csv").read_text() == "x\n"


def test_a_dangling_symlink_into_a_missing_folder_is_a_clear_error(tmp_path):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "gone" / "made.csv")
    with pytest.raises(FileNotFoundError) as caught:
        atomic_write_text(link, "x\n")
    assert caught.value.filename == str(link)
    assert str(tmp_path / "gone") in caught.value.strerror and "link" in caught.value.strerror
    assert link.is_symlink() and os.listdir(tmp_path) == ["out.csv"]


def test_a_symlink_to_a_device_writes_the_device(tmp_path):
    device = make_device(tmp_path / "full")
    link = tmp_path / "model.json"
    link.symlink_to(device)
    with pytest.raises(OSError) as caught:
        atomic_write_text(link, BIG.decode())
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(link)
    assert link.is_symlink() and is_device(device) and leftovers(tmp_path) == []


def test_a_folder_as_target_is_refused(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(IsADirectoryError) as caught:
        atomic_write_text(tmp_path / "out", "x")
    assert caught.value.filename == str(tmp_path / "out") and caught.value.strerror == "is a folder"
    assert os.listdir(tmp_path) == ["out"] and os.listdir(tmp_path / "out") == []


def test_a_missing_folder_names_the_folder(tmp_path):
    with pytest.raises(FileNotFoundError) as caught:
        atomic_write_text(tmp_path / "no" / "out.csv", "x")
    assert caught.value.strerror == f"the folder {tmp_path / 'no'} does not exist"


def test_a_failing_fsync_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "model.json"
    target.write_text("old content")

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError) as caught:
        atomic_write_text(target, "new content")
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(target)
    assert target.read_text() == "old content" and os.listdir(tmp_path) == ["model.json"]


_WRITE = ("import sys; from bpgui.io.atomic import atomic_write_text; "
          "atomic_write_text(sys.argv[1], 'new')")


def test_a_read_only_folder_is_permission_denied_and_left_empty(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    done = run_obeying_permissions([sys.executable, "-c", _WRITE,
                                    str(folder / "out.csv")])
    folder.chmod(0o755)
    assert done.returncode == 1 and "PermissionError" in done.stderr
    assert str(folder / "out.csv") in done.stderr and os.listdir(folder) == []


def test_a_read_only_file_is_not_replaced(tmp_path):
    target = tmp_path / "keep.csv"
    target.write_text("old")
    target.chmod(0o444)
    done = run_obeying_permissions([sys.executable, "-c", _WRITE, str(target)])
    assert done.returncode == 1 and "PermissionError" in done.stderr, done.stderr
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["keep.csv"]


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


def test_atomic_path_copies_into_a_device_and_names_its_error(tmp_path):
    from bpgui.io.atomic import atomic_path

    device = make_device(tmp_path / "full")
    with pytest.raises(OSError) as caught:
        with atomic_path(device, suffix=".mp4") as temporary:
            assert temporary.endswith(".mp4") and os.path.dirname(temporary) != str(tmp_path)
            with open(temporary, "wb") as handle:
                handle.write(BIG)
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == device
    assert is_device(device) and os.listdir(tmp_path) == ["full"]


def test_atomic_path_through_a_symlink_replaces_its_target(tmp_path):
    from bpgui.io.atomic import atomic_path

    target = tmp_path / "real.gif"
    target.write_bytes(b"old")
    link = tmp_path / "run.gif"
    link.symlink_to(target)
    with atomic_path(link) as temporary:
        with open(temporary, "wb") as handle:
            handle.write(b"new")
    assert link.is_symlink() and target.read_bytes() == b"new" and leftovers(tmp_path) == []
