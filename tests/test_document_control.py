"""Document control: version, status (a draft is marked DRAFT), review date and owner, in both files."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from conftest import docx_header_footer_text, docx_text, norm, pdf_text

PACK = "packs/lancashire-7mb.yaml"
CONTROL = 'version: "1.2"\nstatus: {status}\nreview_date: 2027-03\nowner: Learning and Development Team\n'
LINE = "Version 1.2 · {status} · Owner: Learning and Development Team · Review date: March 2027"


def control(project: Path, status: str) -> None:
    path = project / PACK
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("brand: lancashire\n", "brand: lancashire\n" + CONTROL.format(status=status)),
                    encoding="utf-8")


@pytest.mark.parametrize("status", ["draft", "final"])
def test_control_fields_in_the_back_matter_and_both_files_properties(project: Path, run, status: str) -> None:
    import docx
    from pypdf import PdfReader

    control(project, status)
    assert run("build", "lancashire-7mb").exit_code == 0
    pdf, word = (project / "output" / "lancashire" / f"lancashire-7mb.{ext}" for ext in ("pdf", "docx"))
    line = LINE.format(status=status.capitalize())
    assert f"Document control: {line}" in norm(pdf_text(pdf))
    assert f"Document control: {line}" in norm(docx_text(word))
    subject = f"7-minute briefing from Lancashire Safeguarding Children Board – {line}"
    assert PdfReader(pdf).metadata["/Subject"] == subject
    properties = docx.Document(str(word)).core_properties
    assert (properties.version, properties.content_status) == ("1.2", status.capitalize())
    assert properties.subject.endswith(line)


def test_a_draft_is_marked_on_every_pdf_page_and_in_the_word_header(project: Path, run) -> None:
    from pypdf import PdfReader

    control(project, "draft")
    assert run("build", "lancashire-7mb", "packs/national-scr-precis.yaml").exit_code == 0
    pages = PdfReader(project / "output" / "lancashire" / "lancashire-7mb.pdf").pages
    assert len(pages) > 1 and all(page.extract_text().rstrip().endswith("DRAFT") for page in pages)
    assert "DRAFT" in docx_header_footer_text(project / "output" / "lancashire" / "lancashire-7mb.docx").split("\n")
    # Without a status, or with 'final', nothing is marked.
    for page in PdfReader(project / "output" / "default" / "national-scr-precis.pdf").pages:
        assert "DRAFT" not in page.extract_text()
    assert "DRAFT" not in docx_header_footer_text(project / "output" / "default" / "national-scr-precis.docx")


def test_final_is_not_marked(project: Path, run) -> None:
    from pypdf import PdfReader

    control(project, "final")
    assert run("build", "lancashire-7mb").exit_code == 0
    assert all("DRAFT" not in p.extract_text()
               for p in PdfReader(project / "output" / "lancashire" / "lancashire-7mb.pdf").pages)
    assert "DRAFT" not in docx_header_footer_text(project / "output" / "lancashire" / "lancashire-7mb.docx")


def test_build_all_warns_about_packs_past_their_review_date(project: Path, run, monkeypatch) -> None:
    from briefpack import doccontrol

    control(project, "final")
    monkeypatch.setattr(doccontrol, "today", lambda: datetime.date(2027, 3, 31))
    assert run("build", "--all", "--format", "pdf").stderr == ""          # due, not yet past
    monkeypatch.setattr(doccontrol, "today", lambda: datetime.date(2027, 4, 1))
    result = run("build", "--all", "--format", "pdf")
    assert result.exit_code == 0
    assert result.stderr == ("note: packs/lancashire-7mb.yaml: its review date, March 2027, has passed — review the "
                             "pack, then set a new 'review_date'\n")


@pytest.mark.parametrize(("line", "message"), [
    ("status: drafty", "packs/lancashire-7mb.yaml:7:9: unknown status 'drafty' (did you mean 'draft'?) — use one "
                       "of: draft, final"),
    ("review_date: next year", "packs/lancashire-7mb.yaml:7:14: 'next year' is not a date — write it as 2027-03 "
                               "(a month) or 2027-03-31 (a day)"),
])
def test_control_mistakes(project: Path, run, line: str, message: str) -> None:
    path = project / PACK
    path.write_text(path.read_text(encoding="utf-8").replace("brand: lancashire\n", f"brand: lancashire\n{line}\n"),
                    encoding="utf-8")
    result = run("build", "lancashire-7mb")
    assert result.exit_code == 1
    assert result.stderr == f"{message}\n1 problem found; nothing was written.\n"


def test_a_draft_pdf_keeps_the_tagged_pdf_rules(project: Path, run) -> None:
    import subprocess
    import sys

    from tagcheck import problems

    control(project, "draft")
    assert run("build", "lancashire-7mb", "--format", "pdf").exit_code == 0
    pdf = project / "output" / "lancashire" / "lancashire-7mb.pdf"
    assert problems(pdf) == []  # the DRAFT mark is a watermark artifact, the control line tagged text
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", str(pdf)], capture_output=True, text=True)
    assert "result: PASS" in result.stdout, result.stdout
