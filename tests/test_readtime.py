"""Reading-time words are counted from the composed Document, as a facilitator reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import docx_paragraphs, docx_text, norm, pdf_text

from briefpack import readtime


@pytest.mark.parametrize(("text", "expected"), [
    ("", 0),
    ("Think family.", 2),
    ("don't multi-agency 7-minute", 3),
    ("  spaced\u00a0out\twords  ", 3),
])
def test_count(text: str, expected: int) -> None:
    assert readtime.count(text) == expected


@pytest.mark.parametrize(("words", "wpm", "expected"), [(0, 150, 1), (150, 150, 1), (151, 150, 2), (742, 150, 5)])
def test_minutes(words: int, wpm: int, expected: int) -> None:
    assert readtime.minutes(words, wpm) == expected


def set_pace(project: Path, value: str) -> int:
    """Give the Lancashire brand a reading pace; return the line it is on."""
    brand = project / "branding" / "lancashire" / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(text + f"words_per_minute: {value}\n", encoding="utf-8")
    return text.count("\n") + 1


def test_build_prints_the_reading_time_and_the_document_shows_it(project: Path, run) -> None:
    result = run("build", "packs/lancashire-7mb.yaml")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.splitlines()[-1] == "lancashire-7mb: about 5 minutes to read aloud (649 words)"
    out = project / "output" / "lancashire"
    assert "January 2017 About 5 minutes to read 01 Background" in norm(pdf_text(out / "lancashire-7mb.pdf"))
    assert ("Reading Time", "About 5 minutes to read") in docx_paragraphs(out / "lancashire-7mb.docx")


def test_other_kinds_have_no_reading_time(project: Path, run) -> None:
    result = run("build", "packs/ten-principles.yaml", "--format", "docx")
    assert result.exit_code == 0 and "read aloud" not in result.output
    assert "to read" not in docx_text(project / "output" / "default" / "ten-principles.docx")


def test_over_seven_minutes_warns_with_each_sections_words(project: Path, run) -> None:
    set_pace(project, "80")
    result = run("build", "packs/lancashire-7mb.yaml", "--format", "docx")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "lancashire-7mb: about 9 minutes to read aloud (649 words)"
    assert result.stderr == (
        "note: lancashire-7mb: about 9 minutes to read aloud at 80 words a minute, more than 7 — words by section: "
        "01 Background 129, 02 Why it matters 105, 03 Information 67, 04 Learning 47, 05 Learning into practice "
        "113, 06 What to do 18, 07 Questions 78; trim the longest\n")
    assert ("Reading Time", "About 9 minutes to read") in docx_paragraphs(
        project / "output" / "lancashire" / "lancashire-7mb.docx")


@pytest.mark.parametrize("value", ["fast", "40", "1e3", "150.5"])
def test_a_brand_pace_must_be_a_sensible_whole_number(project: Path, run, value: str) -> None:
    line = set_pace(project, value)
    result = run("build", "packs/lancashire-7mb.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"branding/lancashire/brand.yaml:{line}:19: 'words_per_minute' must be a whole number from 80 to 250, "
        f"not '{value}' — write e.g. 'words_per_minute: 150' (a fair pace for reading aloud)")
