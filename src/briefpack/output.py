"""Write outputs safely: temp file + rename, one build at a time, never over a file someone changed."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from briefpack.errors import BriefpackError, Problem, display_path

MANIFEST = ".briefpack-manifest.json"
LOCK = ".briefpack.lock"


if sys.platform == "win32":  # Windows, where most partnerships' laptops are
    import msvcrt

    def _lock(fh) -> None:  # noqa: ANN001 - an open file
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh) -> None:  # noqa: ANN001
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fh) -> None:  # noqa: ANN001 - an open file
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh) -> None:  # noqa: ANN001
        fcntl.flock(fh, fcntl.LOCK_UN)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def stage(path: Path, data: bytes) -> Path:
    """Write *data* to a temporary file beside *path*, on disk, with normal permissions; return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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
    os.replace(stage(path, data), path)


class OutputFolder:
    """The output root: its lock and its manifest of what briefpack wrote."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @contextlib.contextmanager
    def locked(self) -> Iterator[OutputFolder]:
        """Hold the folder's lock for one build; a second build at once is told to wait."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fh = open(self.root / LOCK, "a+")
        except OSError as exc:
            raise BriefpackError([Problem(display_path(self.root), 0, 0,
                                          f"cannot use the output folder ({exc.strerror})",
                                          "choose another with --out, or check its permissions")]) from None
        with fh:
            try:
                _lock(fh)
            except OSError:
                raise BriefpackError([Problem(display_path(self.root), 0, 0,
                                              "another briefpack build is writing to this folder",
                                              "wait for it to finish, then build again")]) from None
            try:
                yield self
            finally:
                _unlock(fh)

    def manifest(self) -> dict[str, str]:
        try:
            data = json.loads((self.root / MANIFEST).read_text(encoding="utf-8"))
            files = data.get("files", {})
            return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
        except (OSError, ValueError):
            return {}

    def changed_since_written(self, relative: str, manifest: dict[str, str]) -> bool:
        """True when the file exists and is not byte-for-byte what briefpack last wrote there."""
        path = self.root / relative
        if not path.exists():
            return False
        return manifest.get(relative) != file_digest(path)

    def write_all(self, files: dict[str, bytes], force: bool) -> list[Path]:
        """Write every file, or none if any would overwrite someone's changes (unless *force*)."""
        manifest = self.manifest()
        changed = [rel for rel in files if self.changed_since_written(rel, manifest)]
        if changed and not force:
            raise BriefpackError([Problem(
                display_path(self.root / rel), 0, 0,
                "this file has changed since briefpack wrote it (edited in Word, perhaps)",
                "save your edits under another name, or build with --force to replace it "
                "(briefpack keeps a dated backup first)") for rel in changed])
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        # First every new file goes to disk beside its target; only when all are there does any
        # replace its old version, so a full disk part-way leaves the whole previous build as it was.
        staged: dict[str, Path] = {}
        rel = ""
        try:
            for rel, data in files.items():
                path = self.root / rel
                if rel not in changed and path.exists() and manifest.get(rel) == digest(data):
                    continue  # already what briefpack would write
                staged[rel] = stage(path, data)
        except BaseException as exc:
            for tmp in staged.values():
                with contextlib.suppress(OSError):
                    tmp.unlink()
            if isinstance(exc, OSError):
                raise BriefpackError([Problem(
                    display_path(self.root / rel), 0, 0, f"cannot write the file ({exc.strerror or exc})",
                    "free some disk space or choose another folder with --out; no file was changed")]) from None
            raise
        failed: list[Problem] = []
        for rel, tmp in staged.items():
            path = self.root / rel
            try:
                if rel in changed:
                    os.replace(path, path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}"))
                os.replace(tmp, path)
            except OSError as exc:  # on Windows, a document open in Word cannot be replaced
                with contextlib.suppress(OSError):
                    tmp.unlink()
                failed.append(Problem(display_path(path), 0, 0, f"cannot replace the file ({exc.strerror or exc})",
                                      "close it if it is open in Word or a PDF viewer, then build again"))
                continue
            manifest[rel] = digest(files[rel])
        written = [self.root / rel for rel in files]
        body = json.dumps({"note": "What briefpack wrote here, so it never overwrites your edits.",
                           "files": dict(sorted(manifest.items()))}, indent=2)
        try:
            atomic_write(self.root / MANIFEST, body.encode("utf-8") + b"\n")
            if failed:
                raise BriefpackError(failed, nothing_written=len(failed) == len(staged))
        except OSError as exc:
            raise BriefpackError([Problem(
                display_path(self.root / MANIFEST), 0, 0,
                f"the documents were written, but not the list of what was written ({exc.strerror or exc})",
                "free some disk space and build again; until then briefpack treats the files as edited")],
                nothing_written=False) from None
        return written
