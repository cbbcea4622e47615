"""Work a command does once: `check --all` reads each brand once (no timings here: what is done is counted)."""

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
    "2 problems found; nothing was written.\n")

