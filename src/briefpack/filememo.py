"""What was found in a file, remembered for as long as the file stays the same: once per process, not once per brand.

Brands copied from each other, and every brand's parent 'default', name the same font and logo files; a batch
of 150 brands checked each of them 150 times. A file is known by its identity on disk (device, inode, size,
modified and changed times): any write or replacement sets its changed time to the time of the change, which
no program can set back, so a file changed since it was checked never matches what was remembered.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

SETTLED_NS = 3_000_000_000
"""A file changed less than this long ago (nanoseconds) is read again each time it is asked about: a file
system may keep its times in steps this coarse (FAT: 2 s), so a second change within one step could leave
its times as they were."""
KEEP = 4096
"""Answers kept (a brand has about twenty files)."""

T = TypeVar("T")
_known: dict[tuple, object] = {}
"""(what was asked, the file's identity) -> the answer, or the exception it raised."""


def stamp(path: Path) -> tuple[int, ...] | None:
    """The file's identity on disk; None if it changed too lately to tell (see SETTLED_NS) or cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < SETTLED_NS:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def once(what: Hashable, path: Path, find: Callable[[], T], remember: tuple[type[Exception], ...] = ()) -> T:
    """*find()*'s answer about the file at *path* (*what* names the question, and the path itself when the
    answer names the file: two links to one file are two names), found once per version of the file in this
    process; an exception of a *remember* type is remembered and raised again like the answer."""
    identity = stamp(path)
    if identity is None:
        return find()
    key = (what, *identity)
    if key not in _known:
        if len(_known) >= KEEP:
            _known.clear()
        try:
            _known[key] = find()
        except remember as exc:
            _known[key] = exc
    found = _known[key]
    if isinstance(found, Exception):
        raise type(found)(*found.args)
    return found  # type: ignore[return-value]
