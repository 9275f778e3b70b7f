"""Targets a write can meet besides a plain file, shared by the io, CLI and window tests.

A private full device (``/dev/full``'s numbers, made with ``os.mknod`` inside the test's own
folder), a FIFO with a reader thread, a read-only folder that holds even for root (the child
process drops the capabilities that let root ignore permissions), and a check that no
temporary file was left behind.
"""

import ctypes
import os
import stat
import subprocess
import sys
import threading

import pytest

FULL_DEVICE = (1, 7)  # Linux's /dev/full: every write fails with ENOSPC
NULL_DEVICE = (1, 3)  # /dev/null: every write succeeds and is thrown away

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def make_device(path, numbers=FULL_DEVICE):
    """A character device node at ``path``; the test is skipped (with the reason) where the
    system does not allow making one."""
    if not hasattr(os, "mknod") or not sys.platform.startswith("linux"):
        pytest.skip("character devices 1,7 and 1,3 are Linux's; os.mknod is missing here")
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(*numbers))
    except PermissionError:
        pytest.skip("making a device node needs CAP_MKNOD (root in a container allowing it)")
    return str(path)


def is_device(path):
    return stat.S_ISCHR(os.lstat(path).st_mode)


class FifoReader:
    """A FIFO at ``path`` and a thread reading it: ``received`` holds what arrived.

    ``keep`` bytes are read before the reader closes its end (None: read to the end), so a
    writer still writing gets EPIPE.
    """

    def __init__(self, path, keep=None):
        self.path = str(path)
        os.mkfifo(self.path)
        self.keep = keep
        self.received = b""
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        with open(self.path, "rb") as handle:  # blocks until the writer opens its end
            self.received = handle.read() if self.keep is None else handle.read(self.keep)

    def join(self, timeout=10):
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "nobody wrote to the FIFO"
        return self.received

    def release(self):
        """Unblock the reader if nobody ever opened the FIFO for writing."""
        if self._thread.is_alive():
            fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
            self._thread.join(5)


def _drop_root_override():
    """In the child before exec: without CAP_DAC_OVERRIDE root obeys permissions too."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def run_obeying_permissions(args, **kwargs):
    """Run ``args`` (a Python child) so that file permissions apply even when we are root.

    Skipped where neither holds: not root, or root that may drop its capabilities (Linux).
    """
    if os.geteuid() == 0 and not sys.platform.startswith("linux"):
        pytest.skip("root ignores permissions and dropping capabilities needs Linux")
    try:
        return subprocess.run(args, preexec_fn=_drop_root_override, capture_output=True, text=True,
                              timeout=60, **kwargs)
    except subprocess.TimeoutExpired:
        raise
    except subprocess.SubprocessError:  # prctl refused in the child
        pytest.skip("this root may not drop its capabilities (no CAP_SETPCAP)")


def leftovers(folder):
    """Temporary files a write left in ``folder``."""
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))
