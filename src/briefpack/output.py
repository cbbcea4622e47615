"""Write outputs safely: temp file + rename, one build at a time, never over a file someone changed.

The manifest (.briefpack-manifest.json) records the hash of every file briefpack wrote. Before any file is
replaced, the hashes of the new files are added to it as "pending"; a file whose bytes match either the
recorded or the pending hash is briefpack's own. So a build killed between any two renames leaves a folder
the next plain build accepts, and a file is only called edited when its bytes match nothing briefpack wrote.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import errno
import hashlib
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from briefpack.errors import BriefpackError, Problem, display_path

MANIFEST = ".briefpack-manifest.json"
LOCK = ".briefpack.lock"
TEMP_SUFFIX = ".briefpack-tmp"
"""The ending of briefpack's temporary files: only files named so are ever cleaned up."""

_OUR_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + r"$")
_HASH = re.compile(r"^[0-9a-f]{64}$")


if sys.platform == "win32":  # Windows, where most partnerships' laptops are
    import msvcrt

    def _lock(fh: IO[bytes]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh: IO[bytes]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fh: IO[bytes]) -> None:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh: IO[bytes]) -> None:
        fcntl.flock(fh, fcntl.LOCK_UN)


_journal: list[Path] = []
"""Every file replaced since start_journal(): what Ctrl-C reports as written (the manifest is not counted)."""


def start_journal() -> None:
    """Forget what was written before: a new command starts."""
    _journal.clear()


def written_in_this_run() -> list[Path]:
    """The files replaced since start_journal(), in order, each once."""
    return list(dict.fromkeys(_journal))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def why(exc: OSError, out: bool = True) -> tuple[str, str]:
    """What really went wrong with a write, and what to do about it (*out*: the command has --out to offer)."""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return reason, "free some disk space" + (" or choose another folder with --out" if out else "")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return reason, "check that you may write to this folder" + (", or choose another with --out" if out else "")
    if exc.errno == errno.EROFS:
        return reason, ("the disk is read-only: choose another folder with --out" if out else
                        "the disk is read-only: work on a copy of the project on another disk")
    return reason, "check the folder" + (", or choose another with --out" if out else "")


def stage(path: Path, data: bytes) -> Path:
    """Write *data* to a temporary file beside *path*, on disk, with normal permissions; return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file normal permissions
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def atomic_write(path: Path, data: bytes) -> None:
    """Write *data* to *path* so that a crash or a full disk leaves the old file whole."""
    tmp = stage(path, data)
    try:
        os.replace(tmp, path)
        if path.name != MANIFEST:
            _journal.append(path)
    except BaseException:
        if not os.path.lexists(tmp) and path.name != MANIFEST:  # replaced, then stopped
            _journal.append(path)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class Status(enum.Enum):
    """What is at an output's place now, compared with what a build would write there."""

    MISSING = "missing"
    """Nothing there yet (or a dangling link, which is replaced, never followed)."""
    SAME = "same"
    """Exactly the bytes this build would write: nothing to do."""
    OURS = "ours"
    """What briefpack wrote there last (or was writing when a build was stopped): safe to replace."""
    EDITED = "edited"
    """briefpack wrote this file, and it has changed since."""
    UNKNOWN = "unknown"
    """A file briefpack has no record of writing."""
    UNREADABLE = "unreadable"
    """A file that cannot be read, so briefpack cannot tell whether it was edited."""
    NOT_A_FILE = "not a file"
    """A folder (or something else that is not a file) where the file should be."""
    TOO_LONG = "too long"
    """A name longer than the disk allows: no file can be there."""


@dataclass
class Record:
    """The manifest as read: hashes briefpack wrote, hashes it was about to write, and any trouble reading it."""

    files: dict[str, str] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)
    trouble: str = ""
    """Why there is no usable record ("" when the manifest was read): shown to the user."""
    others: dict[str, object] = field(default_factory=dict)
    """The manifest's other entries (what other parts of briefpack keep there), saved back unchanged."""

    def accepts(self, relative: str, hexdigest: str) -> bool:
        return hexdigest in (self.files.get(relative), self.pending.get(relative))


def _hashes(value: object) -> dict[str, str] | None:
    if not isinstance(value, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) and _HASH.match(v) for k, v in value.items()):
        return None
    return dict(value)


class OutputFolder:
    """The output root: its lock and its manifest of what briefpack wrote."""

    def __init__(self, root: Path, again: str = "build again", forced: str = "build with --force") -> None:
        self.root = root
        self.again = again
        """What the user does to try again, in the fixes: 'build again' (returns: collect the returns again)."""
        self.forced = forced
        """What the user does to replace a file anyway: 'build with --force'."""
        self.backups: list[tuple[Path, Path]] = []
        """Each file --force replaced, with the dated name its old version is kept under: the user is told."""

    def _problem(self, path: Path, message: str, fix: str) -> BriefpackError:
        return BriefpackError([Problem(display_path(path), 0, 0, message, fix)])

    @contextlib.contextmanager
    def locked(self) -> Iterator[OutputFolder]:
        """Hold the folder's lock for one build; a second build at once is told to wait."""
        if self.root.exists() and not self.root.is_dir():
            raise self._problem(self.root, "this is a file, not a folder",
                                "choose another output folder with --out, or move the file away")
        lock = self.root / LOCK
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if exc.errno == errno.ELOOP or any(p.is_symlink() for p in (self.root, *self.root.parents)):
                raise self._problem(self.root, "the way to this folder goes through a link that leads nowhere, "
                                    "or round in a circle", "fix or delete the link, or choose another output "
                                    "folder with --out") from None
            if file := next((p for p in reversed(self.root.parents) if p.is_file()), None):  # 'notes.txt/out'
                raise self._problem(self.root, f"{display_path(file)} is a file, not a folder, so this folder "
                                    "cannot be made", "choose another output folder with --out, or move the file "
                                    "away") from None
            raise self._problem(self.root, f"cannot use the output folder ({exc.strerror or exc})",
                                "choose another with --out, or check its permissions") from None
        try:
            if lock.is_symlink():  # never follow it: the lock is made inside the output folder or not at all
                raise OSError(errno.ELOOP, "a link")
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
            fh = os.fdopen(os.open(lock, flags, 0o666), "r+b")
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise BriefpackError([Problem(str(Path(display_path(self.root)) / LOCK), 0, 0,
                                              "this lock file is a link to somewhere else",
                                              f"delete the link, then {self.again}")]) from None
            if lock.is_dir():
                raise self._problem(lock, "this lock file is a folder",
                                    f"delete the folder, then {self.again}") from None
            raise self._problem(self.root, f"cannot use the output folder ({exc.strerror or exc})",
                                "choose another with --out, or check its permissions") from None
        with fh:
            try:
                _lock(fh)
            except OSError:
                raise self._problem(self.root, "another briefpack build is writing to this folder",
                                    f"wait for it to finish, then {self.again}") from None
            try:
                yield self
            finally:
                _unlock(fh)

    def record(self) -> Record:
        """The manifest, or an empty record saying why there is none."""
        path = self.root / MANIFEST
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Record(trouble=f"its list of what it wrote, {MANIFEST}, is missing")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not text"
            return Record(trouble=f"its list of what it wrote, {MANIFEST}, cannot be read: {reason}")
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        files = _hashes(data.get("files", {})) if isinstance(data, dict) else None
        pending = _hashes(data.get("pending", {})) if isinstance(data, dict) else None
        if files is None or pending is None:
            return Record(trouble=f"its list of what it wrote, {MANIFEST}, is damaged")
        others = {k: v for k, v in data.items() if k not in ("note", "files", "pending")}
        return Record(files, pending, others=others)

    def manifest(self) -> dict[str, str]:
        """The hash briefpack last wrote for each file."""
        return self.record().files

    def status(self, relative: str, data: bytes, record: Record | None = None) -> Status:
        """Whether the file at *relative* already holds *data*, is briefpack's own, or is something else."""
        record = record or self.record()
        path = self.root / relative
        try:
            mode = path.stat().st_mode
        except (FileNotFoundError, NotADirectoryError):  # a file where its folder should be is named by write_all
            return Status.MISSING
        except OSError as exc:
            return Status.TOO_LONG if exc.errno == errno.ENAMETOOLONG else Status.UNREADABLE
        if not stat.S_ISREG(mode):
            return Status.NOT_A_FILE
        try:
            current = file_digest(path)
        except OSError:
            return Status.UNREADABLE
        if current == digest(data):
            return Status.SAME
        if record.accepts(relative, current):
            return Status.OURS
        return Status.EDITED if relative in record.files else Status.UNKNOWN

    def refusals(self, statuses: dict[str, Status], record: Record, force: bool) -> list[Problem]:
        keep = "briefpack keeps a dated backup first)"
        problems = []
        for rel, status in statuses.items():
            if status in (Status.MISSING, Status.SAME):
                continue  # nothing to refuse (and naming the path costs a resolve())
            if status is Status.OURS:
                if force or (lock := open_by(self.root / rel)) is None:
                    continue
                problems.append(Problem(display_path(self.root / rel), 0, 0, "this file is open in Word or "
                                        f"LibreOffice (its lock file {lock.name} is beside it), and saving it there "
                                        "would undo this build", f"close it there, then {self.again} (if nothing "
                                        f"has it open, delete the lock file); or {self.forced}"))
                continue
            path = display_path(self.root / rel)
            if status is Status.TOO_LONG:
                problems.append(Problem(path, 0, 0, f"this name is too long for the disk ({len(Path(rel).name)} "
                                        "characters)", "choose a shorter name with --out"))
                continue
            if status is Status.NOT_A_FILE:
                problems.append(Problem(path, 0, 0, "this is a folder, not a file, so briefpack cannot write here",
                                        f"move or rename the folder, then {self.again}"))
            elif force:
                continue
            elif status is Status.EDITED:
                perhaps = {".docx": " (edited in Word, perhaps)", ".pdf": " (filled in or annotated, perhaps)",
                           ".csv": " (edited in a spreadsheet, perhaps)"}.get(Path(rel).suffix.lower(), "")
                problems.append(Problem(path, 0, 0, f"this file has changed since briefpack wrote it{perhaps}",
                                        f"save your edits under another name, or {self.forced} to replace it "
                                        f"({keep}"))
            elif status is Status.UNKNOWN:
                why_not = f" ({record.trouble})" if record.trouble else ""
                problems.append(Problem(path, 0, 0, f"briefpack has no record of writing this file{why_not}",
                                        f"move it elsewhere to keep it, or {self.forced} to replace it "
                                        f"({keep}"))
            elif status is Status.UNREADABLE:
                problems.append(Problem(path, 0, 0, "this file cannot be read, so briefpack cannot tell whether "
                                        "it was edited", "make it readable or move it elsewhere, or "
                                        f"{self.forced} to replace it ({keep}"))
        return problems

    def clean_temporaries(self) -> None:
        """Remove the temporary files of a build that was killed (only briefpack's own, never ~$ or .~lock)."""
        folders = [self.root]
        with contextlib.suppress(OSError), os.scandir(self.root) as entries:
            folders += [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False)]
        for folder in folders:
            try:
                with os.scandir(folder) as entries:
                    names = [e.name for e in entries if e.is_file(follow_symlinks=False)]
            except OSError:
                continue
            for name in names:
                if _OUR_TEMP.match(name):
                    with contextlib.suppress(OSError):
                        os.unlink(folder / name)

    def _save(self, record: Record) -> None:
        body: dict[str, object] = {"note": "What briefpack wrote here, so it never overwrites your edits.",
                                   "files": dict(sorted(record.files.items()))}
        if record.pending:
            body["pending"] = dict(sorted(record.pending.items()))
        body |= record.others
        atomic_write(self.root / MANIFEST, json.dumps(body, indent=2).encode("utf-8") + b"\n")

    def write_all(self, files: dict[str, bytes], force: bool,
                  also: Callable[[dict[str, object]], None] | None = None) -> list[Path]:
        """Write every file, or none if any would overwrite someone's changes (unless *force*).

        Once every file is in place, *also* may change the manifest's other entries (what other parts of
        briefpack keep there): they are saved with the files' hashes, in the one save that ends the writing."""
        self.clean_temporaries()
        record = self.record()
        statuses = {rel: self.status(rel, data, record) for rel, data in files.items()}
        problems = self.refusals(statuses, record, force)
        for parent in sorted({(self.root / rel).parent for rel in files}):
            if os.path.lexists(parent) and not parent.is_dir():
                problems.append(Problem(display_path(parent), 0, 0, "this is a file, but briefpack needs a "
                                        "folder here", f"move or rename the file, then {self.again}"))
        if problems:
            raise BriefpackError(problems)
        new = {rel: digest(data) for rel, data in files.items()}
        stamp = now_stamp()
        # First every new file goes to disk beside its target, and its hash into the manifest as pending;
        # only then does any replace its old version. A full disk part-way leaves the previous build as it
        # was; a build killed part-way leaves only files the manifest knows.
        staged: dict[str, Path] = {}
        rel = MANIFEST
        try:
            for rel, data in files.items():
                if statuses[rel] is not Status.SAME:
                    staged[rel] = stage(self.root / rel, data)
            rel = MANIFEST
            self._save(Record(record.files, record.pending | {r: new[r] for r in staged}, others=record.others))
        except BaseException as exc:
            _discard(staged.values())
            if isinstance(exc, OSError):
                reason, fix = why(exc)
                what = "cannot save the list of what briefpack writes" if rel == MANIFEST else "cannot write the file"
                raise self._problem(self.root / rel, f"{what} ({reason})", f"{fix}; no file was changed") from None
            raise
        failed: list[Problem] = []
        done: list[str] = []
        try:
            for rel, tmp in staged.items():
                path = self.root / rel
                try:
                    if statuses[rel] in (Status.EDITED, Status.UNKNOWN, Status.UNREADABLE):
                        self.backups.append((path, keep_backup(path, stamp)))
                    os.replace(tmp, path)
                    _journal.append(path)
                except OSError as exc:  # on Windows, a document open in Word cannot be replaced
                    _discard([tmp])
                    failed.append(Problem(display_path(path), 0, 0,
                                          f"cannot replace the file ({exc.strerror or exc})",
                                          f"close it if it is open in Word or a PDF viewer, then {self.again}"))
                    continue
                done.append(rel)
        except BaseException:
            _discard(staged.values())  # those already renamed are gone from their temporary names
            _journal.extend(self._replaced(staged, new))
            raise
        ours = {rel for rel, status in statuses.items() if status is Status.SAME} | set(done)
        others = dict(record.others)
        if also is not None and not failed:
            also(others)
        final = Record({**record.files, **{rel: new[rel] for rel in ours}},
                       {rel: h for rel, h in record.pending.items() if rel not in files}, others=others)
        try:
            self._save(final)
        except OSError as exc:
            failed.append(Problem(
                display_path(self.root / MANIFEST), 0, 0,
                f"the documents were written, but not the list of what was written ({why(exc)[0]})",
                f"{why(exc)[1]}, then {self.again}; briefpack still knows the new files as its own"))
        if failed:
            raise BriefpackError(failed, nothing_written=not done)
        return [self.root / rel for rel in files]

    def save_others(self, change: Callable[[dict[str, object]], None]) -> None:
        """Let *change* change the manifest's other entries, and save it; without a readable manifest, nothing
        is saved."""
        record = self.record()
        if not record.trouble:
            change(record.others)
            self._save(record)

    def _replaced(self, staged: dict[str, Path], new: dict[str, str]) -> list[Path]:
        """The files of *staged* that now hold their new bytes (after Ctrl-C, to tell the user)."""
        replaced = []
        for rel in staged:
            with contextlib.suppress(OSError):
                if file_digest(self.root / rel) == new[rel]:
                    replaced.append(self.root / rel)
        return replaced


def open_by(path: Path) -> Path | None:
    """The lock file Word (~$ and the name less its first two characters, or the whole of a short one) or
    LibreOffice (.~lock.NAME#) keeps beside *path* while it has the file open, if there is one.

    On Windows, Word's lock makes replacing the file fail, and that is reported; elsewhere the file would be
    replaced under the open document, which the user's next save there would silently put back.
    """
    name = path.name
    for lock in (f".~lock.{name}#", f"~${name[2:]}", f"~${name}"):
        if os.path.lexists(path.with_name(lock)):
            return path.with_name(lock)
    return None


def now_stamp() -> str:
    """The date and time in backups' names."""
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def backup_name(path: Path, stamp: str) -> Path:
    """A dated name beside *path* that no file has yet: backups never overwrite backups."""
    candidate = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
    n = 1
    while os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.stem}.backup-{stamp}-{n}{path.suffix}")
    return candidate


def keep_backup(path: Path, stamp: str) -> Path:
    """Give the file at *path* a dated backup name too, so the new file can replace it and the old is kept;
    return that name.

    A second name (a hard link) leaves the file in place until the new one replaces it; where a disk has no
    hard links, the file is renamed instead.
    """
    backup = backup_name(path, stamp)
    try:
        os.link(path, backup, follow_symlinks=False)
    except FileExistsError:
        return keep_backup(path, stamp)  # another process took that name just now: take the next
    except OSError:
        os.rename(path, backup)
    return backup


def kept(backups: Iterable[tuple[Path, Path]]) -> list[str]:
    """The lines that tell where --force kept each replaced file: the user's edits are there, not lost."""
    return [f"kept the previous {display_path(path)} as {display_path(backup)}" for path, backup in backups]


def _discard(paths: Iterable[Path]) -> None:
    for tmp in list(paths):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
