"""Work a command does once: `check --all` reads each brand once, a build saves its manifest once after
writing (no timings here: what is done is counted)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each brand's files are read from now on (each brand of its chain), all in this process."""
    from briefpack import brand

    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    counted: Counter[str] = Counter()
    real = brand._chain

    def chain(branding, name, asked_at, problems):  # noqa: ANN001, ANN202 - brand._chain's signature
        counted[name] += 1
        return real(branding, name, asked_at, problems)

    monkeypatch.setattr(brand, "_chain", chain)
    return counted


def test_check_all_reads_each_brand_once(project: Path, run, reads: Counter[str]) -> None:
    result = run("check", "--all")
    assert result.exit_code == 0, result.output
    assert reads == {"bscb": 1, "default": 1, "gloucestershire": 1, "lancashire": 1}


def test_check_all_says_what_it_said_when_it_read_brands_twice(project: Path, run, reads: Counter[str]) -> None:
    """A brand no pack is in is checked alone, a pack's brand against the library too: the same problems, in
    the same order, as when each was read for each."""
    shutil.copytree(project / "branding" / "bscb", project / "branding" / "spare")
    _edit(project / "branding" / "spare" / "brand.yaml", "primary: '#3b2a6b'", "primary: '#3b2a6'")
    _edit(project / "branding" / "lancashire" / "brand.yaml", "contacts: [lancashire-scp]",
          "contacts: [lancashire-scp, nobody]")
    result = run("check", "--all")
    assert result.exit_code == 1
    assert result.stderr == EXPECTED
    assert reads == {"bscb": 1, "default": 1, "gloucestershire": 1, "lancashire": 1, "spare": 1}


EXPECTED = (
    "branding/spare/brand.yaml:8:12: '#3b2a6' is not a colour — write it as '#RRGGBB' in quotes, e.g. '#1d4f91'\n"
    "branding/lancashire/brand.yaml:21:28: unknown contact 'nobody' — use a contact id from "
    "packs/library/contacts.yaml or the brand's own contacts.yaml, or add it there\n"
    "2 problems found.\n")


def test_a_build_saves_its_manifest_once_after_writing(project: Path, run, monkeypatch) -> None:
    """Once with the new files' hashes as pending, before any replaces its old version; once when all are in
    place, with what each was made from (so the next build skips them)."""
    from briefpack import output

    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    saved: list[str] = []
    real = output.atomic_write
    monkeypatch.setattr(output, "atomic_write", lambda path, data, *args: saved.append(path.name) or real(path, data,
                                                                                                          *args))
    for _ in range(2):
        result = run("build", "packs/lancashire-7mb.yaml")
        assert result.exit_code == 0, result.output
    assert saved == [output.MANIFEST] * 2  # the second build: nothing to do, nothing saved
    _edit(project / "packs" / "lancashire-7mb.yaml", "title: ", "title: New ")
    assert run("build", "packs/lancashire-7mb.yaml").exit_code == 0
    assert saved == [output.MANIFEST] * 4
    assert run("build", "packs/lancashire-7mb.yaml").exit_code == 0 and saved == [output.MANIFEST] * 4


def test_a_build_written_in_groups_records_what_its_files_were_made_from(project: Path, run, monkeypatch) -> None:
    """A large build writes its files as they are made (each group as its own write): what they were made from
    is saved after the last, so the next build has nothing to do."""
    import briefpack.build as building
    from briefpack import output

    monkeypatch.setattr(building, "STREAM_FROM", 2)
    monkeypatch.setattr(building, "STREAM_BYTES", 1)  # each part written as it comes
    saved: list[str] = []
    real = output.atomic_write
    monkeypatch.setattr(output, "atomic_write", lambda path, data, *args: saved.append(path.name) or real(path, data,
                                                                                                          *args))
    result = run("build", "--all", "--brand", "all")
    assert result.exit_code == 0, result.output
    assert len(saved) > 3
    saved.clear()
    result = run("build", "--all", "--brand", "all")
    assert result.exit_code == 0 and saved == [], result.output
