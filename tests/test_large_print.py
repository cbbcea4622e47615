"""The large-print edition: the same content, linear, no text under 16 pt, tagged the same way."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, needs
from tagcheck import problems


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both editions of two packs (one of them the tiles fixture), built with the command line."""
    import os

    from click.testing import CliRunner

    from briefpack.cli import main
    from conftest import copy_examples

    project = copy_examples(tmp_path_factory.mktemp("large"))
    shutil.copy(ROOT / "tests" / "fixtures" / "tiles-7mb.yaml", project / "packs" / "tiles-7mb.yaml")
    before = Path.cwd()
    os.chdir(project)
    try:
        for extra in ((), ("--large-print",)):
            result = CliRunner().invoke(main, ["build", "lancashire-7mb", "ten-principles", "tiles-7mb", *extra],
                                        catch_exceptions=False)
            assert result.exit_code == 0, result.output
    finally:
        os.chdir(before)
    return project / "output"


NAMES = ["lancashire/lancashire-7mb", "default/ten-principles", "lancashire/tiles-7mb"]


def test_large_print_writes_its_own_files(editions: Path) -> None:
    for name in NAMES:
        for fmt in ("pdf", "docx"):
            assert (editions / f"{name}-large-print.{fmt}").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_no_text_under_16_points(editions: Path, name: str) -> None:
    import pdfplumber

    with pdfplumber.open(editions / f"{name}-large-print.pdf") as pdf:
        sizes = [c["size"] for page in pdf.pages for c in page.chars if c["text"].strip()]
    assert sizes and min(sizes) >= 16 - 0.01
    with pdfplumber.open(editions / f"{name}.pdf") as pdf:
        regular = [c["size"] for page in pdf.pages for c in page.chars if c["text"].strip()]
    assert min(regular) < 16  # the ordinary edition is not large print


@pytest.mark.parametrize("name", NAMES)
def test_large_print_is_tagged_and_says_the_same(editions: Path, name: str) -> None:
    large = editions / f"{name}-large-print.pdf"
    assert problems(large) == []
    if shutil.which("pdfinfo"):
        def said(path: Path) -> str:
            tree = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True,
                                  check=True).stdout
            lines, figure = [], None  # a chart's own labels wrap differently; its Alt says what it shows
            for line in tree.splitlines():
                indent = len(line) - len(line.lstrip())
                if figure is not None and indent > figure:
                    continue
                figure = indent if line.strip() == "Figure" else None
                if line.strip().startswith('"') and lines and lines[-1].startswith('"'):
                    lines[-1] += line.strip()  # an element's text on two lines or pages: one text
                elif not line.strip().startswith("Object "):
                    lines.append(line.strip())
            return re.sub(r"\s+", " ", " ".join(line.replace('""', "").strip('"') for line in lines))

        regular = editions / f"{name}.pdf"
        if name.endswith("7mb"):
            # Tiles become linear: the same words in the same order, in sections rather than panels (the title
            # row's subtitle and date are one line in tiles, two paragraphs in large print).
            assert "Sect" in said(large)
            assert re.findall(r"\w+", words(large)) == re.findall(r"\w+", words(regular))
        else:
            assert said(large) == said(regular)


def words(path: Path) -> str:
    """The text of every element of *path*'s structure tree, in order."""
    tree = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    return " ".join(line.strip().strip('"') for line in tree.splitlines() if line.strip().startswith('"'))


def test_tiles_become_linear_portrait_pages(editions: Path) -> None:
    from pypdf import PdfReader

    page = PdfReader(editions / "lancashire" / "tiles-7mb-large-print.pdf").pages[0]
    assert float(page.mediabox.width) < float(page.mediabox.height)


@pytest.mark.parametrize("name", NAMES)
def test_word_large_print_has_no_text_under_16_points(editions: Path, name: str) -> None:
    import docx
    from docx.shared import Pt

    from conftest import docx_text

    document = docx.Document(str(editions / f"{name}-large-print.docx"))
    used = {p.style.name for p in document.paragraphs}
    used |= {p.style.name for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs}
    used |= {"Header", "Footer"}
    for style_name in used:
        style = document.styles[style_name]
        while style is not None and style.font.size is None:
            style = style.base_style
        assert style is not None and style.font.size >= Pt(16), style_name
    runs = [r for p in document.paragraphs for r in p.runs if r.font.size is not None]
    assert all(r.font.size >= Pt(16) for r in runs)
    assert docx_text(editions / f"{name}-large-print.docx") == docx_text(editions / f"{name}.docx")


def test_word_links_say_where_they_go(editions: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(editions / "lancashire" / "lancashire-7mb.docx"))
    tips = [link.get(qn("w:tooltip")) for link in document.element.body.iter(qn("w:hyperlink"))]
    assert tips and all(tip and tip.split()[0] in ("Open", "Email", "Telephone") for tip in tips)
    assert "Open http://www.lancshiresafeguarding.org.uk/resources/serious-case-reviews.aspx" in tips


SPLIT = {
    "bscb": "Disengagement and disguised compliance – Disengagement, resistance and disguised compliance should be "
            "a key consideration when assessing risk to a child. Beware of written agreements.",
    "gloucestershire": "the child did not die, there is likely to be long term impact on the child's wellbeing.",
}


@needs("pdfinfo")
@pytest.mark.parametrize("brand", sorted(SPLIT))
def test_a_paragraph_split_across_pages_is_read_whole(tmp_path: Path, brand: str) -> None:
    """In these brands the large-print briefing breaks a paragraph across pages: both pieces are content of one
    P (once bscb's first piece was drawn as an artifact, which a screen reader skips), and the last piece's
    lines keep their spaces (gloucestershire's read 'impact on thechild's wellbeing')."""
    from briefpack.build import run
    from conftest import copy_examples
    from tagcheck import artifact_text, run_together

    project = copy_examples(tmp_path / "p")
    run([project / "packs" / "lancashire-7mb.yaml"], brand=brand, formats=("pdf",), out=project / "output",
        large_print=True)
    path = project / "output" / brand / "lancashire-7mb-large-print.pdf"
    assert problems(path) == []
    assert artifact_text(path) == []  # no tables, no contents: only the running header and footer
    assert run_together(path) == []
    tree = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True).stdout
    tree = re.sub(r'"\n *"', "", tree)  # one string for the P: its piece on each page, in order
    assert SPLIT[brand] in tree


@pytest.mark.parametrize("name", NAMES)
def test_the_running_header_and_footer_are_whole_and_clear_of_their_rules(editions: Path, name: str) -> None:
    """At 16 pt the footer has a line of its own over the page number: the board's footer is not cut short
    (one line beside the page number held about 40 characters of it), and no letter of the header or footer
    touches its rule (the footer's tops did); nothing of the page's content is under the footer's rule. (A
    running header too long for the whole width is still shortened: it is the pack's title.)"""
    import pdfplumber

    mm = 72 / 25.4
    with pdfplumber.open(editions / f"{name}-large-print.pdf") as pdf:
        count = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            rules = sorted(line["top"] for line in page.lines if abs(line["top"] - line["bottom"]) < 0.1
                           and line["x1"] - line["x0"] > page.width / 2)
            footer_rule = rules[-1]
            assert footer_rule > page.height - 40 * mm
            chars = [c for c in page.chars if c["text"].strip()]
            under = [c for c in chars if c["top"] > footer_rule - 1]
            assert min(c["top"] for c in under) >= footer_rule + 1 * mm, f"page {number}: a letter touches the rule"
            lines: dict[int, list] = {}
            for c in sorted(under, key=lambda c: (round(c["bottom"]), c["x0"])):
                lines.setdefault(round(c["bottom"]), []).append(c)
            said = [page.crop((0, min(c["top"] for c in cs) - 0.5, page.width,
                               max(c["bottom"] for c in cs) + 0.5)).extract_text() for cs in lines.values()]
            assert len(said) == 2 and not said[0].endswith("…"), said
            assert said[1] == f"Page {number} of {count}"
            assert max(c["bottom"] for c in chars if c["top"] < footer_rule - 1) < footer_rule
            if number > 1:  # the running header, over its rule
                header_rule = rules[0]
                over = [c for c in chars if c["bottom"] < header_rule + 1]
                assert over and max(c["bottom"] for c in over) <= header_rule - 1 * mm
