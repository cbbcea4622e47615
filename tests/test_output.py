"""Outputs are never lost: atomic writes, a lock, and no silent overwrite of a file someone changed."""

from __future__ import annotations

import fcntl
import json
import os
import stat
from pathlib import Path

import pytest

from briefpack import output
from briefpack.errors import BriefpackError

PACK = "packs/lancashire-7mb.yaml"
DOCX = Path("output/lancashire/lancashire-7mb.docx")
PDF = Path("output/lancashire/lancashire-7mb.pdf")


def test_an_edited_word_file_is_never_overwritten(project: Path, run) -> None:
    assert run("build", PACK).exit_code == 0
    edited = DOCX.read_bytes() + b"edited in Word"
    DOCX.write_bytes(edited)
    pdf_before = PDF.read_bytes()
    result = run("build", PACK)
    assert result.exit_code == 1
    assert result.stderr == (
        "output/lancashire/lancashire-7mb.docx: this file has changed since briefpack wrote it (edited in "
        "Word, perhaps) — save your edits under another name, or build with --force to replace it (briefpack "
        "keeps a dated backup first)\n1 problem found; nothing was written.\n")
    assert DOCX.read_bytes() == edited
    assert PDF.read_bytes() == pdf_before


def test_an_edited_pdf_is_not_said_to_be_edited_in_word(project: Path, run) -> None:
    assert run("build", PACK).exit_code == 0
    PDF.write_bytes(PDF.read_bytes() + b"%annotated\n")  # a reader saved its annotations, or a form filled in
    result = run("build", PACK)
    assert (result.exit_code, result.stderr) == (1, (
        "output/lancashire/lancashire-7mb.pdf: this file has changed since briefpack wrote it (filled in or "
        "annotated, perhaps) — save your edits under another name, or build with --force to replace it (briefpack "
        "keeps a dated backup first)\n1 problem found; nothing was written.\n"))


def test_force_keeps_a_backup(project: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "now_stamp", lambda: "20261123-101500")
    assert run("build", PACK).exit_code == 0
    fresh = DOCX.read_bytes()
    DOCX.write_bytes(b"my edits")
    result = run("build", PACK, "--force")
    assert result.exit_code == 0, result.output
    assert DOCX.read_bytes() == fresh
    backups = list(DOCX.parent.glob("lancashire-7mb.backup-*.docx"))
    assert len(backups) == 1 and backups[0].read_bytes() == b"my edits"
    # The build says where the edits went: it said only 'wrote …docx', and the backup had to be found by looking.
    assert result.stdout.splitlines() == [
        "wrote output/lancashire/lancashire-7mb.docx",
        "1 file in output/ already up to date",
        "lancashire-7mb: about 5 minutes to read aloud (649 words)",
        "kept the previous output/lancashire/lancashire-7mb.docx as "
        "output/lancashire/lancashire-7mb.backup-20261123-101500.docx"]
    DOCX.write_bytes(b"edited again")
    quiet = run("build", PACK, "--force", "-q")  # print only problems, and where an edit was kept
    assert (quiet.exit_code, quiet.stdout) == (0, "kept the previous output/lancashire/lancashire-7mb.docx as "
                                                  "output/lancashire/lancashire-7mb.backup-20261123-101500-2.docx\n")


def test_a_file_briefpack_did_not_write_is_not_overwritten(project: Path, run) -> None:
    DOCX.parent.mkdir(parents=True)
    DOCX.write_bytes(b"someone else's file")
    assert run("build", PACK).exit_code == 1
    assert DOCX.read_bytes() == b"someone else's file"


def test_rebuilding_unchanged_output_is_fine_and_leaves_owner_files_alone(project: Path, run) -> None:
    assert run("build", PACK).exit_code == 0
    owner = DOCX.parent / "~$ncashire-7mb.docx"
    lock = DOCX.parent / ".~lock.lancashire-7mb.docx#"
    owner.write_bytes(b"owner")
    lock.write_bytes(b"lock")
    assert run("build", PACK).exit_code == 0
    assert owner.read_bytes() == b"owner" and lock.read_bytes() == b"lock"


@pytest.mark.parametrize("lock", ["~$ncashire-7mb.docx", ".~lock.lancashire-7mb.docx#"])
def test_a_document_open_in_word_or_libreoffice_is_not_replaced_under_it(project: Path, run, lock: str) -> None:
    assert run("build", PACK).exit_code == 0
    before = DOCX.read_bytes()
    (DOCX.parent / lock).write_bytes(b"lock")
    pack = project / PACK
    pack.write_text(pack.read_text(encoding="utf-8").replace("Themes from Serious Case Reviews",
                                                             "Themes from reviews"), encoding="utf-8")
    result = run("build", PACK)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"output/lancashire/lancashire-7mb.docx: this file is open in Word or LibreOffice (its lock file {lock} is "
        "beside it), and saving it there would undo this build — close it there, then build again (if nothing has "
        "it open, delete the lock file); or build with --force",
        "1 problem found; nothing was written.",
    ]
    assert DOCX.read_bytes() == before
    assert run("build", PACK, "--force").exit_code == 0
    assert DOCX.read_bytes() != before and (DOCX.parent / lock).read_bytes() == b"lock"


def test_written_files_have_normal_permissions(project: Path, run) -> None:
    assert run("build", PACK).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(PDF.stat().st_mode) == 0o666 & ~umask


def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.docx"
    target.write_bytes(b"old")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        output.atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.docx"]


def test_a_renderer_failing_mid_build_writes_nothing(project: Path, run, monkeypatch) -> None:
    assert run("build", PACK).exit_code == 0
    before = {p: p.read_bytes() for p in Path("output").rglob("*") if p.is_file()}
    from briefpack import build

    real = build.render

    def flaky(job, fmt):
        if fmt == "docx":
            raise RuntimeError("renderer crashed")
        return real(job, fmt)

    monkeypatch.setattr(build, "render", flaky)
    with pytest.raises(RuntimeError):
        run("build", PACK, "--brand", "default")
    after = {p: p.read_bytes() for p in Path("output").rglob("*") if p.is_file()}
    assert after == before


def test_two_builds_at_once_are_refused(project: Path, run) -> None:
    Path("output").mkdir()
    with open(Path("output") / output.LOCK, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = run("build", PACK)
    assert result.exit_code == 1
    assert result.stderr == ("output: another briefpack build is writing to this folder — wait for it to "
                             "finish, then build again\n1 problem found; nothing was written.\n")


def test_manifest_is_not_trusted_blindly(tmp_path: Path) -> None:
    folder = output.OutputFolder(tmp_path)
    (tmp_path / output.MANIFEST).write_text("not json", encoding="utf-8")
    assert folder.manifest() == {}
    written = folder.write_all({"b/x.pdf": b"pdf"}, force=False)
    assert written == [tmp_path / "b" / "x.pdf"]
    with pytest.raises(BriefpackError):
        (tmp_path / "b" / "x.pdf").write_bytes(b"changed")
        folder.write_all({"b/x.pdf": b"pdf2"}, force=False)


def test_a_full_disk_part_way_leaves_the_whole_previous_build(project: Path, run, monkeypatch) -> None:
    assert run("build", "--all").exit_code == 0
    before = {p: p.read_bytes() for p in Path("output").rglob("*") if p.is_file()}
    pack = Path("packs/lancashire-7mb.yaml")
    pack.write_text(pack.read_text(encoding="utf-8").replace("Themes from Serious Case Reviews",
                                                             "Themes from reviews"), encoding="utf-8")
    calls = []
    real_fsync = os.fsync

    def fill_up(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fill_up)
    result = run("build", "--all", "--format", "pdf", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr == ("output/lancashire/lancashire-7mb.docx: cannot write the file (No space left on "
                             "device) — free some disk space or choose another folder with --out; no file was "
                             "changed\n1 problem found; nothing was written.\n")
    after = {p: p.read_bytes() for p in Path("output").rglob("*") if p.is_file()}
    assert after == before


def test_a_manifest_that_cannot_be_saved_is_reported_truthfully(tmp_path: Path, monkeypatch) -> None:
    folder = output.OutputFolder(tmp_path)
    real = output.atomic_write
    saves = []

    def no_final_manifest(path: Path, data: bytes) -> None:
        if path.name == output.MANIFEST:
            saves.append(data)
            if len(saves) == 2:  # the first save records the new files as pending, the second as written
                raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(output, "atomic_write", no_final_manifest)
    with pytest.raises(BriefpackError) as caught:
        folder.write_all({"b/x.pdf": b"pdf"}, force=False)
    assert (tmp_path / "b" / "x.pdf").read_bytes() == b"pdf"
    assert caught.value.format_message() == (
        f"{tmp_path / output.MANIFEST}: the documents were written, but not the list of what was written (No "
        "space left on device) — free some disk space or choose another folder with --out, then build again; "
        "briefpack still knows the new files as its own\n1 problem found; see above.")
    monkeypatch.setattr(output, "atomic_write", real)
    folder.write_all({"b/x.pdf": b"pdf, built again"}, force=False)  # no false "edited" alarm
    assert (tmp_path / "b" / "x.pdf").read_bytes() == b"pdf, built again"


def test_a_manifest_that_cannot_be_saved_before_writing_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    folder = output.OutputFolder(tmp_path)
    folder.write_all({"b/x.pdf": b"old"}, force=False)
    real = output.atomic_write

    def no_manifest(path: Path, data: bytes) -> None:
        if path.name == output.MANIFEST:
            raise PermissionError(13, "Permission denied")
        real(path, data)

    monkeypatch.setattr(output, "atomic_write", no_manifest)
    with pytest.raises(BriefpackError) as caught:
        folder.write_all({"b/x.pdf": b"new"}, force=False)
    assert caught.value.format_message() == (
        f"{tmp_path / output.MANIFEST}: cannot save the list of what briefpack writes (Permission denied) — "
        "check that you may write to this folder, or choose another with --out; no file was changed\n"
        "1 problem found; nothing was written.")
    assert (tmp_path / "b" / "x.pdf").read_bytes() == b"old"
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["x.pdf"]


def test_a_file_that_cannot_be_replaced_is_named_and_the_rest_kept_track_of(tmp_path: Path, monkeypatch) -> None:
    folder = output.OutputFolder(tmp_path)
    folder.write_all({"b/x.pdf": b"old pdf", "b/x.docx": b"old docx"}, force=False)
    real = os.replace

    def open_in_word(src, dst):  # noqa: ANN001
        if str(dst).endswith("x.docx"):
            raise PermissionError(13, "Permission denied")
        real(src, dst)

    monkeypatch.setattr(os, "replace", open_in_word)
    with pytest.raises(BriefpackError) as caught:
        folder.write_all({"b/x.pdf": b"new pdf", "b/x.docx": b"new docx"}, force=False)
    assert caught.value.problems[0].message == "cannot replace the file (Permission denied)"
    assert caught.value.format_message().endswith("1 problem found; see above.")
    assert (tmp_path / "b" / "x.pdf").read_bytes() == b"new pdf"
    assert (tmp_path / "b" / "x.docx").read_bytes() == b"old docx"
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["x.docx", "x.pdf"]  # no temporary left
    monkeypatch.setattr(os, "replace", real)
    folder.write_all({"b/x.pdf": b"new pdf", "b/x.docx": b"new docx"}, force=False)  # the old docx is ours
    assert (tmp_path / "b" / "x.docx").read_bytes() == b"new docx"


def test_what_others_keep_in_the_manifest_is_kept(tmp_path: Path) -> None:
    folder = output.OutputFolder(tmp_path)
    folder.write_all({"b/x.pdf": b"pdf"}, force=False)
    manifest = tmp_path / output.MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**data, "inputs": {"outputs": {"b/x.pdf": ["k", 1, 2]}}}), encoding="utf-8")
    folder.write_all({"b/x.pdf": b"pdf 2"}, force=False)
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert data["inputs"] == {"outputs": {"b/x.pdf": ["k", 1, 2]}}
    assert data["files"] == {"b/x.pdf": output.digest(b"pdf 2")}
