"""What was found in a file, remembered for as long as the file stays the same: once per process, not once per brand.

Brands copied from each other, and every brand's parent 'default', name the same font and logo files; a batch
of 150 brands checked each of them 150 times. A file is known by its identity on disk (device, inode, size,
modified and changed times), its stamp.

Why the stamp may be trusted (as git trusts its index's stat data):
- The changed time (st_ctime on Linux and macOS) is set by the kernel, to the clock's time, whenever the
  file's bytes or its other times change: a write, a truncation, and setting the modified time back
  (os.utime, `cp -p`, unzip, `git checkout`, `touch -d`) each set it; no call sets it to a chosen value. A
  file replaced by another (renamed over it, or deleted and made again, perhaps with the same inode number)
  is a new inode, made now. So the stamp of a file changed since it was remembered differs in its changed
  time, whatever its size and modified time say.
- Unless two changes fall within one step of the file system's clock (FAT keeps 2 s steps; others a
  scheduler tick): so a file changed less than SETTLED_NS ago, or whose times lie in the future (a clock
  set back), is never remembered nor taken from memory; it is read each time.
- On Windows, st_ctime is the file's creation time, which a file overwritten in place keeps (shutil.copy2
  onto an existing file writes new bytes and sets the old modified time back): there the stamp also holds a
  digest of the file's bytes (TRUST_CTIME).
What is left: a clock stepped back by more than SETTLED_NS between two changes of one file, landing both
within one step of the file system's clock, with the same size and modified time; and file systems that keep
no changed time of their own (some network mounts): the stamp then says only what size and modified time say.

The stamp is taken before the file is read: a file changed while it is read is remembered under its old
stamp, which no later look at the file finds again (its changed time has moved), so no wrong answer is kept.
(On Windows, where the digest is read first, a file changed within that moment and later changed back to its
first bytes is the case left.)
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

SETTLED_NS = 3_000_000_000
"""A file changed less than this long ago (nanoseconds) is read again each time it is asked about: a file
system may keep its times in steps this coarse (FAT: 2 s), so a second change within one step could leave
its times as they were."""
TRUST_CTIME = os.name != "nt"
"""Whether st_ctime is the time of the file's last change (not on Windows, where it is its creation time)."""
KEEP = 4096
"""Answers kept (a brand has about twenty files)."""

T = TypeVar("T")
_known: dict[tuple, object] = {}
"""(what was asked, the file's identity) -> the answer, or the exception it raised."""


def stamp(path: Path) -> tuple[int | str, ...] | None:
    """The file's identity on disk; None if it changed too lately to tell (see SETTLED_NS) or cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < SETTLED_NS:  # in the future too
        return None
    found: tuple[int | str, ...] = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if not TRUST_CTIME:
        try:
            found += (digest(path),)
        except OSError:
            return None
    return found


def version(path: Path) -> tuple[int | str, ...] | None:
    """What tells this version of the file from any other: its stamp, or for a file changed just now (see
    SETTLED_NS) a digest of its bytes, read now; None when it cannot be read."""
    return versioned(path)[0]


def versioned(path: Path) -> tuple[tuple[int | str, ...] | None, bytes | None]:
    """The file's version (see version) and, when that is a digest of its bytes (a file changed just now), those
    bytes. What is made from the file and remembered under its version must be made from them, not from the
    file read again: changed in between (or changed and put back within a step of its clock), it would be
    remembered under the version of other bytes. A settled file's bytes are None, to be read from the file: its
    stamp is taken first, and a change before the read moves its changed time, so what was made is remembered
    under a stamp no later look finds (see above). (None, None) when the file cannot be read."""
    found = stamp(path)
    if found is not None:
        return found, None
    try:
        data = path.read_bytes()
    except OSError:
        return None, None
    return (hashlib.sha256(data).hexdigest(),), data


def digest(path: Path) -> str:
    """The sha256 of the file's bytes (OSError when it cannot be read)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


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
