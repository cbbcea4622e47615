"""The output folder's odd states, false alarms, killed builds and backups: a clear message, never a lost edit."""

from __future__ import annotations

import builtins
import errno
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefpack import output
from briefpack.errors import BriefpackError

PACK = "packs/lancashire-7mb.yaml"
DOCX = Path("output/lancashire/lancashire-7mb.docx")
PDF = Path("output/lancashire/lancashire-7mb.pdf")
MANIFEST = Path("output") / output.MANIFEST
KEEP = "(briefpack keeps a dated backup first)"


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- 6. odd states: a clear message, never a traceback --------------------------------------------------------

def test_an_output_that_is_a_folder_is_named(project: Path, run) -> None:
    PDF.mkdir(parents=True)
    for args in ((), ("--force",)):
        result = run("build", PACK, *args)
        assert result.exit_code == 1
        assert result.stderr == ("output/lancashire/lancashire-7mb.pdf: this is a folder, not a file, so briefpack "
                                 "cannot write here — move or rename the folder, then build again\n"
                                 "1 problem found; nothing was written.\n")
        assert not DOCX.exists() and PDF.is_dir()


def test_a_brand_folder_that_is_a_file_is_named(project: Path, run) -> None:
    Path("output").mkdir()
    Path("output/lancashire").write_bytes(b"not a folder")
    result = run("build", PACK)
    assert result.exit_code == 1
    assert result.stderr == ("output/lancashire: this is a file, but briefpack needs a folder here — move or "
                             "rename the file, then build again\n1 problem found; nothing was written.\n")
    assert Path("output/lancashire").read_bytes() == b"not a folder"


def test_an_output_folder_that_is_a_file_is_named(project: Path, run) -> None:
    Path("output").write_bytes(b"a file")
    result = run("build", PACK)
    assert result.exit_code == 1
    assert result.stderr == ("output: this is a file, not a folder — choose another output folder with --out, "
                             "or move the file away\n1 problem found; nothing was written.\n")


def unreadable(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Opening *path* fails as it does for a file with no read permission (tests run as root in CI)."""
    real = builtins.open
    target = path.resolve()

    def guarded(file, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if isinstance(file, (str, Path)) and Path(file).resolve() == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)


UNREADABLE = ("output/lancashire/lancashire-7mb.docx: this file cannot be read, so briefpack cannot tell whether it "
              f"was edited — make it readable or move it elsewhere, or build with --force to replace it {KEEP}\n"
              "1 problem found; nothing was written.\n")


def test_an_unreadable_output_is_named(project: Path, run, monkeypatch) -> None:
    assert run("build", PACK).exit_code == 0
    DOCX.write_bytes(b"edited, then locked")
    with monkeypatch.context() as patch:
        unreadable(patch, DOCX)
        result = run("build", PACK)
        assert result.exit_code == 1
        assert result.stderr == UNREADABLE
        result = run("build", PACK, "--force")
        assert result.exit_code == 0, result.output
    [backup] = DOCX.parent.glob("lancashire-7mb.backup-*.docx")
    assert backup.read_bytes() == b"edited, then locked"


def test_an_output_without_read_permission_is_named(project: Path, run) -> None:
    assert run("build", PACK).exit_code == 0
    DOCX.write_bytes(b"edited, then locked")
    DOCX.chmod(0)
    try:
        if os.access(DOCX, os.R_OK):
            pytest.skip("this user can read a file without read permission (root)")
        result = run("build", PACK)
    finally:
        DOCX.chmod(0o644)
    assert result.exit_code == 1
    assert result.stderr == UNREADABLE


@pytest.mark.parametrize("manifest", ["[1, 2]", "not json {", '{"files": {"a": 3}}', "\xff"])
def test_a_damaged_manifest_is_not_an_edit(project: Path, run, manifest: str) -> None:
    assert run("build", PACK).exit_code == 0
    MANIFEST.write_bytes(manifest.encode("latin-1"))
    assert run("build", PACK).exit_code == 0  # the same bytes again: nothing to complain about
    MANIFEST.write_bytes(manifest.encode("latin-1"))
    DOCX.write_bytes(b"edited")
    result = run("build", PACK)
    assert result.exit_code == 1
    reason = "cannot be read: not text" if manifest == "\xff" else "is damaged"
    assert result.stderr == (
        "output/lancashire/lancashire-7mb.docx: briefpack has no record of writing this file (its list of what "
        f"it wrote, .briefpack-manifest.json, {reason}) — move it elsewhere to keep it, or build with --force to "
        f"replace it {KEEP}\n1 problem found; nothing was written.\n")
    assert DOCX.read_bytes() == b"edited"


def test_a_lock_file_that_is_a_dangling_link_is_not_followed(project: Path, run, tmp_path: Path) -> None:
    Path("output").mkdir()
    outside = tmp_path / "outside" / "planted"
    (Path("output") / output.LOCK).symlink_to(outside)
    result = run("build", PACK)
    assert result.exit_code == 1
    assert result.stderr == ("output/.briefpack.lock: this lock file is a link to somewhere else — delete the "
                             "link, then build again\n1 problem found; nothing was written.\n")
    assert not outside.parent.exists()
    assert not DOCX.exists()


def test_permission_denied_is_not_a_full_disk(project: Path, run, monkeypatch) -> None:
    assert run("build", PACK).exit_code == 0
    before = files_under(Path("output"))

    def denied(*args, **kwargs):  # noqa: ANN002, ANN003
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", denied)
    result = run("build", PACK, "--brand", "default")
    assert result.exit_code == 1
    assert result.stderr == ("output/default/lancashire-7mb.pdf: cannot write the file (Permission denied) — check "
                             "that you may write to this folder, or choose another with --out; no file was "
                             "changed\n1 problem found; nothing was written.\n")
    assert files_under(Path("output")) == before


# --- 7. no false "edited" alarm; a killed build never blocks the next -----------------------------------------

def test_a_deleted_manifest_is_no_alarm_when_the_bytes_are_the_same(project: Path, run) -> None:
    assert run("build", PACK).exit_code == 0
    before = files_under(Path("output"))
    MANIFEST.unlink()
    result = run("build", PACK)
    assert result.exit_code == 0, result.output
    assert files_under(Path("output")) == before
    assert not list(DOCX.parent.glob("*.backup-*"))


def test_a_file_with_no_record_is_called_that_not_edited(project: Path, run) -> None:
    assert run("build", PACK).exit_code == 0
    MANIFEST.unlink()
    DOCX.write_bytes(b"edited")
    result = run("build", PACK)
    assert result.exit_code == 1
    assert result.stderr == (
        "output/lancashire/lancashire-7mb.docx: briefpack has no record of writing this file (its list of what it "
        "wrote, .briefpack-manifest.json, is missing) — move it elsewhere to keep it, or build with --force to "
        f"replace it {KEEP}\n1 problem found; nothing was written.\n")
    folder = output.OutputFolder(Path("output"))
    folder.write_all({"other.pdf": b"pdf"}, force=False)
    Path("output/other.docx").write_bytes(b"mine")  # briefpack has a list now, and this file is not in it
    with pytest.raises(BriefpackError) as caught:
        folder.write_all({"other.docx": b"new"}, force=False)
    assert caught.value.problems[0].message == "briefpack has no record of writing this file"


class Killed(BaseException):
    """The build process dies here (a kill or a power cut: no code of briefpack's runs after it)."""


def kill_after(monkeypatch: pytest.MonkeyPatch, n: int, what: type[BaseException] = Killed) -> None:
    """Renames and replaces go through until the n-th, which raises *what* instead.

    After a Killed, every later rename, link or delete raises Killed too: a killed process tidies nothing up.
    """
    calls = [0]
    for name in ("replace", "rename", "link", "unlink"):
        real = getattr(os, name)

        def counted(*args, real=real, counts=name in ("replace", "rename"), **kwargs):  # noqa: ANN002, ANN003
            if what is Killed and calls[0] >= n:
                raise Killed()
            calls[0] += counts
            if calls[0] == n:
                raise what()
            return real(*args, **kwargs)

        monkeypatch.setattr(os, name, counted)


VERSION_1 = {"b/x.pdf": b"pdf 1", "b/x.docx": b"docx 1", "c/y.pdf": b"y pdf 1", "c/y.docx": b"y docx 1"}
VERSION_2 = {k: v.replace(b"1", b"2") for k, v in VERSION_1.items()}


@pytest.mark.parametrize("what", [Killed, KeyboardInterrupt, SystemExit])
@pytest.mark.parametrize("force", [False, True])
def test_a_build_killed_between_any_two_renames_never_blocks_the_next(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: type[BaseException], force: bool) -> None:
    # Every rename: the pending manifest, the four files, the final manifest.
    for n in range(1, 7):
        root = tmp_path / f"{what.__name__}-{force}-{n}"
        folder = output.OutputFolder(root)
        folder.write_all(VERSION_1, force=False)
        (root / "c" / "z.docx").write_bytes(b"someone's own file")
        if force:
            (root / "b" / "x.docx").write_bytes(b"edited in Word")
        with monkeypatch.context() as patch:
            kill_after(patch, n, what)
            with pytest.raises(what):
                folder.write_all(VERSION_2, force=force)
        if (root / "b" / "x.docx").read_bytes() == b"edited in Word":  # killed before the new file was in place
            with pytest.raises(BriefpackError) as caught:
                folder.write_all(VERSION_2, force=False)
            assert [p.path for p in caught.value.problems] == [str(root / "b" / "x.docx")]
            folder.write_all(VERSION_2, force=True)
        else:
            folder.write_all(VERSION_2, force=False)  # a plain build: no --force needed
        after = files_under(root)
        assert {k: after[k] for k in VERSION_2} == VERSION_2
        assert after["c/z.docx"] == b"someone's own file"
        backups = [v for k, v in after.items() if ".backup-" in k]
        assert set(backups) == ({b"edited in Word"} if force else set())
        assert sorted(after) == sorted([*VERSION_2, "c/z.docx", output.MANIFEST, *(
            k for k in after if ".backup-" in k)])  # no temporary file left behind
        assert json.loads(after[output.MANIFEST])["files"] == {k: output.digest(v) for k, v in VERSION_2.items()}


def test_a_build_killed_before_its_renames_is_cleaned_up_by_the_next(project: Path, run, monkeypatch) -> None:
    assert run("build", PACK).exit_code == 0
    pack = Path(PACK)
    pack.write_text(pack.read_text(encoding="utf-8").replace("Themes from Serious Case Reviews",
                                                             "Themes from reviews"), encoding="utf-8")
    with monkeypatch.context() as patch:
        kill_after(patch, 2)  # the manifest with the pending hashes is saved, then the build dies
        with pytest.raises(Killed):
            run("build", PACK)
    assert len(list(DOCX.parent.glob(".*" + output.TEMP_SUFFIX))) == 2  # killed before its first document
    owner = DOCX.parent / "~$ncashire-notes.docx"  # another document, open in Word and LibreOffice
    lock = DOCX.parent / ".~lock.lancashire-notes.docx#"
    other = DOCX.parent / ".lancashire-7mb.docx.abcd1234.tmp"  # a temporary file, but not briefpack's
    for path in (owner, lock, other):
        path.write_bytes(path.name.encode())
    result = run("build", PACK)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in DOCX.parent.iterdir()) == sorted([DOCX.name, PDF.name, owner.name, lock.name,
                                                                    other.name])
    assert other.read_bytes() == other.name.encode()
    assert owner.read_bytes() == owner.name.encode() and lock.read_bytes() == lock.name.encode()


# --- 8. backups never overwrite backups -------------------------------------------------------------------------

def test_two_forced_rebuilds_in_the_same_second_keep_both_edits(project: Path, run, monkeypatch) -> None:
    monkeypatch.setattr(output, "now_stamp", lambda: "20261123-101500")
    assert run("build", PACK).exit_code == 0
    for edit in (b"first edit", b"second edit", b"third edit"):
        DOCX.write_bytes(edit)
        assert run("build", PACK, "--force").exit_code == 0
    names = sorted(p.name for p in DOCX.parent.glob("lancashire-7mb.backup-*"))
    assert names == ["lancashire-7mb.backup-20261123-101500-2.docx", "lancashire-7mb.backup-20261123-101500-3.docx",
                     "lancashire-7mb.backup-20261123-101500.docx"]
    assert sorted((DOCX.parent / n).read_bytes() for n in names) == [b"first edit", b"second edit", b"third edit"]


# --- no sequence of builds, kills, failures and damage loses an edit ------------------------------------------

def test_the_sequence_that_lost_an_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by the sequence test below on the old code: the second backup, in the same second, replaced the first.

    A build fails on a full disk, the Word file is edited, a --force build is killed after replacing it (so the
    manifest never heard of the new file), and --force is run again at once.
    """
    monkeypatch.setattr(output, "now_stamp", lambda: "20261123-101500")
    folder = output.OutputFolder(tmp_path)
    files = {"b/x.docx": b"docx 1", "b/x.pdf": b"pdf 1"}
    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left")))
        with pytest.raises(BriefpackError):
            folder.write_all(files, force=False)
    (tmp_path / "b" / "x.docx").write_bytes(b"my edit")
    with monkeypatch.context() as patch:
        kill_after(patch, 3)
        with pytest.raises(Killed):
            folder.write_all(files, force=True)
    folder.write_all(files, force=True)
    assert b"my edit" in files_under(tmp_path).values()
    assert files_under(tmp_path)["b/x.docx"] == b"docx 1"


OPERATIONS = st.lists(st.one_of(
    st.just(("edit",)), st.just(("build",)), st.just(("force",)), st.just(("new version",)),
    st.just(("delete manifest",)), st.just(("damage manifest",)), st.just(("full disk",)),
    st.tuples(st.just("kill"), st.integers(1, 6), st.booleans())), max_size=12)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(OPERATIONS)
def test_no_sequence_loses_an_edit(tmp_path_factory: pytest.TempPathFactory, operations: list[tuple]) -> None:
    """Every edit a build saw in the folder is still there afterwards: in its file, or in a backup."""
    root = tmp_path_factory.mktemp("seq")
    folder = output.OutputFolder(root)
    version = 1
    edits = 0
    seen: set[bytes] = set()
    mp = pytest.MonkeyPatch()
    mp.setattr(output, "now_stamp", lambda: "20261123-101500")  # every backup in the same second
    mp.setattr(os, "fsync", lambda fd: None)  # speed: nothing here is about the disk's cache
    try:
        for op in operations:
            files = {"b/x.docx": b"docx %d" % version, "b/x.pdf": b"pdf %d" % version}
            target = root / "b" / "x.docx"
            if op[0] == "edit":
                if target.exists() or (root / "b").is_dir():
                    if target.exists() and [p for p in root.rglob("*") if p.is_file()
                                            and p.read_bytes() == target.read_bytes()] == [target]:
                        seen.discard(target.read_bytes())  # the user replaces their own edit: their choice
                    edits += 1
                    target.write_bytes(b"edit %d" % edits)
                continue
            if op[0] == "new version":
                version += 1
                continue
            if op[0] == "delete manifest":
                (root / output.MANIFEST).unlink(missing_ok=True)
                continue
            if op[0] == "damage manifest":
                (root / output.MANIFEST).write_text("[]", encoding="utf-8")
                continue
            if target.exists() and target.read_bytes().startswith(b"edit"):
                seen.add(target.read_bytes())
            with pytest.MonkeyPatch.context() as patch:
                if op[0] == "kill":
                    kill_after(patch, op[1])
                elif op[0] == "full disk":
                    patch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
                try:
                    folder.write_all(files, force=op[0] == "force" or (op[0] == "kill" and op[2]))
                except (BriefpackError, Killed):
                    pass
            present = {p.read_bytes() for p in root.rglob("*") if p.is_file()}
            assert seen <= present, (op, seen - present)
    finally:
        mp.undo()
