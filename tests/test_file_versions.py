"""A file replaced by another of the same size and modified time (`cp -p`, unzip, `git checkout` within one
second) is read again: nothing remembered from the old one is used, in the same process (no timings here)."""

from __future__ import annotations

import os
import time
from pathlib import Path


from briefpack import filememo


class _Later:
    """time for filememo, ten seconds on: every file written so far looks settled (see filememo.SETTLED_NS)."""

    @staticmethod
    def time_ns() -> int:
        return time.time_ns() + 10_000_000_000


def replace_keeping_size_and_time(path: Path, data: bytes) -> None:
    """Write *data* over *path*, padded with zero bytes to its size (a font's checksums do not change), with its
    modified time set back as it was: only its changed time tells (it is made to move, on a coarse clock)."""
    before = path.stat()
    assert len(data) <= before.st_size
    data += bytes(before.st_size - len(data))
    for _ in range(1000):
        path.write_bytes(data)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        after = path.stat()
        if after.st_ctime_ns != before.st_ctime_ns:
            assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
            return
        time.sleep(0.002)
    raise AssertionError("the file's changed time never moved")


def test_where_the_changed_time_is_not_a_change_time_the_stamp_holds_the_bytes(tmp_path: Path, monkeypatch) -> None:
    """On Windows st_ctime is the creation time, which a file overwritten in place keeps: there the stamp holds
    a digest of the file's bytes."""
    monkeypatch.setattr(filememo, "time", _Later)
    path = tmp_path / "logo.png"
    path.write_bytes(b"one")
    assert filememo.stamp(path) == filememo.stamp(path) and len(filememo.stamp(path) or ()) == 5
    monkeypatch.setattr(filememo, "TRUST_CTIME", False)
    first = filememo.stamp(path)
    assert first is not None and first[-1] == filememo.digest(path)
    replace_keeping_size_and_time(path, b"two")
    assert filememo.stamp(path)[:4] == first[:4] and filememo.stamp(path) != first  # type: ignore[index]
