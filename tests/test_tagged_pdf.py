"""Every PDF is tagged (PDF/UA-1 structure): checked by our own rules, by pdfua, against golden structure trees."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_examples, needs
from tagcheck import problems

PDFS = ["bscb/bscb-key-learning-2014", "default/national-scr-precis", "default/ten-principles",
        "gloucestershire/gloucestershire-8-lessons", "lancashire/lancashire-7mb", "lancashire/tiles-7mb"]
GOLDEN = ROOT / "tests" / "golden"


def make_project(to: Path) -> Path:
    copy_examples(to)
    shutil.copy(ROOT / "tests" / "fixtures" / "tiles-7mb.yaml", to / "packs" / "tiles-7mb.yaml")
    return to


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from briefpack.build import all_packs, build
    from briefpack.load import Project

    project = make_project(tmp_path_factory.mktemp("tagged"))
    out = project / "output"
    written, notes = build(all_packs(Project(project)), brand=None, formats=("pdf",), out=out)
    assert len(written) == len(PDFS) and notes == []
    return out


def documents(project: Path, names: list[str]):
    """(name, Document, Brand) of example packs, composed as a build composes them."""
    from briefpack.build import prepare

    jobs = prepare([project / "packs" / f"{name.split('/')[1]}.yaml" for name in names], None)
    return [(f"{job.brand.id}/{job.pack.id}", job.document, job.brand) for job in jobs]


@pytest.mark.parametrize("name", PDFS)
def test_every_pdf_meets_the_tagged_pdf_rules(tagged: Path, name: str) -> None:
    assert problems(tagged / f"{name}.pdf") == []


@pytest.mark.parametrize("name", PDFS)
def test_pdfua_finds_nothing(tagged: Path, name: str) -> None:
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", str(tagged / f"{name}.pdf")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert "result: PASS" in result.stdout


@needs("pdfinfo")
@pytest.mark.parametrize("name", PDFS)
def test_structure_tree_is_the_reviewed_one(tagged: Path, name: str) -> None:
    """The tree as poppler prints it; after a deliberate change run with BRIEFPACK_UPDATE_GOLDEN=1 and review."""
    tree = subprocess.run(["pdfinfo", "-struct-text", str(tagged / f"{name}.pdf")], capture_output=True,
                          text=True, check=True).stdout
    golden = GOLDEN / f"{name.replace('/', '--')}.struct.txt"
    if os.environ.get("BRIEFPACK_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(tree, encoding="utf-8")
    assert tree == golden.read_text(encoding="utf-8"), (
        f"the structure tree of {name}.pdf changed: if that is intended, review the difference, then run "
        "BRIEFPACK_UPDATE_GOLDEN=1 pytest tests/test_tagged_pdf.py -k reviewed and commit tests/golden/")


@needs("pdfinfo")
def test_pdfinfo_sees_tags_title_and_language(tagged: Path) -> None:
    info = subprocess.run(["pdfinfo", str(tagged / "lancashire" / "lancashire-7mb.pdf")], capture_output=True,
                          text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert "Title:           Themes from Serious Case Reviews" in info
    meta = subprocess.run(["pdfinfo", "-meta", str(tagged / "lancashire" / "lancashire-7mb.pdf")],
                          capture_output=True, text=True, check=True).stdout
    assert "<pdfuaid:part>1</pdfuaid:part>" in meta
    assert '<rdf:li xml:lang="x-default">Themes from Serious Case Reviews</rdf:li>' in meta


@needs("pdfinfo")
def test_tiles_read_01_to_07_in_the_tree(tagged: Path) -> None:
    tree = subprocess.run(["pdfinfo", "-struct-text", str(tagged / "lancashire" / "tiles-7mb.pdf")],
                          capture_output=True, text=True, check=True).stdout.splitlines()
    sections = [i for i, line in enumerate(tree) if line == "  Sect"]
    headings = [tree[i + 2].strip() for i in sections if tree[i + 1].strip() == "H2 (block)"]
    assert headings == ['"01 Background"', '"02 Why it matters"', '"03 Information"', '"04 Learning"',
                        '"05 Learning into practice"', '"06 What to do"', '"07 Questions"']


@needs("qpdf")
@needs("pdffonts")
@pytest.mark.parametrize("name", PDFS)
def test_qpdf_finds_no_error_and_every_font_is_embedded(tagged: Path, name: str) -> None:
    path = str(tagged / f"{name}.pdf")
    check = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors found" in check.stdout
    fonts = subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in fonts), fonts
    assert not any("Helvetica" in line for line in fonts)


# -- the checks catch what they are for ---------------------------------------------------------------------
def test_an_untagged_footer_fails_the_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefpack.render.pdf import Renderer, render_pdf

    (name, document, brand), = documents(make_project(tmp_path / "p"), ["lancashire/lancashire-7mb"])
    monkeypatch.setattr(Renderer, "footer", Renderer.running_footer)
    path = tmp_path / "broken.pdf"
    path.write_bytes(render_pdf(document, brand)[0])
    import pikepdf

    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
    found = problems(path)
    # the footer of each page, and nothing else
    assert [p.split(":")[0] for p in found] == [f"page {n}" for n in range(1, pages + 1)]
    assert all(p.endswith("painting operators neither tagged nor artifacts") for p in found)


def edited(source: Path, to: Path, change) -> Path:  # noqa: ANN001
    import pikepdf

    with pikepdf.open(source) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop(0)
            if change(node):
                break
            kids = node.get("/K")
            stack.extend(k for k in (kids if isinstance(kids, pikepdf.Array) else [kids])
                         if isinstance(k, pikepdf.Dictionary) and "/S" in k)
        pdf.save(to)
    return to


def test_a_skipped_heading_level_fails_the_checks(tagged: Path, tmp_path: Path) -> None:
    import pikepdf

    def h2_to_h3(node) -> bool:  # noqa: ANN001
        if node.get("/S") == pikepdf.Name.H2:
            node.S = pikepdf.Name.H3
            return True
        return False

    broken = edited(tagged / "default" / "ten-principles.pdf", tmp_path / "skip.pdf", h2_to_h3)
    assert problems(broken) == ["heading level skipped: H1 then H3"]


def test_a_figure_without_alt_text_fails_the_checks(tagged: Path, tmp_path: Path) -> None:
    import pikepdf

    def drop_alt(node) -> bool:  # noqa: ANN001
        if node.get("/S") == pikepdf.Name.Figure:
            del node["/Alt"]
            return True
        return False

    broken = edited(tagged / "default" / "ten-principles.pdf", tmp_path / "alt.pdf", drop_alt)
    assert problems(broken) == ["Figure without /Alt"]


# -- what tagging must not change ---------------------------------------------------------------------------
@needs("pdftoppm")
def test_tagging_changes_no_pixel(tmp_path: Path) -> None:
    from PIL import Image, ImageChops

    from briefpack.render.pdf import render_pdf

    project = make_project(tmp_path / "p")
    for name, document, brand in documents(project, PDFS):
        pages = {}
        for tagged in (True, False):
            pdf = tmp_path / f"{name.replace('/', '-')}-{tagged}.pdf"
            pdf.write_bytes(render_pdf(document, brand, tagged=tagged)[0])
            subprocess.run(["pdftoppm", "-r", "72", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
            pages[tagged] = sorted(tmp_path.glob(f"{pdf.stem}-*.png"))
        assert len(pages[True]) == len(pages[False]) >= 1, name
        for a, b in zip(pages[True], pages[False], strict=True):
            with Image.open(a) as one, Image.open(b) as other:
                assert one.size == other.size
                assert ImageChops.difference(one.convert("RGB"), other.convert("RGB")).getbbox() is None, (name, a)


def test_the_same_bytes_wherever_the_project_folder_is(tmp_path: Path) -> None:
    from briefpack.build import build

    outputs = []
    for where in (tmp_path / "a", tmp_path / "somewhere" / "else" / "entirely"):
        project = make_project(where)
        packs = [project / "packs" / f"{p}.yaml" for p in ("lancashire-7mb", "ten-principles", "tiles-7mb")]
        build(packs, brand=None, formats=("pdf",), out=project / "output")
        outputs.append([(project / "output" / f"{name}.pdf").read_bytes()
                        for name in ("lancashire/lancashire-7mb", "default/ten-principles", "lancashire/tiles-7mb")])
    assert outputs[0] == outputs[1]



def test_a_piece_drawn_after_a_freed_one_is_content_not_a_repeat(monkeypatch: pytest.MonkeyPatch) -> None:
    """A flowable is an artifact only when it is drawn again (a repeated table header row). A split paragraph's
    piece is drawn once and freed, and Python may give a later piece the same id: that piece is still content,
    or a reader never hears it (the bscb large-print briefing lost half a list item that way)."""
    import io

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from briefpack.render import tagging

    root = tagging.Element.document()
    canv = tagging.TaggedCanvas(io.BytesIO(), tag_root=root)
    pieces = [tagging.tag(Paragraph(text, ParagraphStyle("t")), tagging.Element("P", root))
              for text in ("drawn first, then freed", "drawn once, later")]
    monkeypatch.setattr(tagging, "id", lambda obj: 1 if obj in pieces else id(obj), raising=False)
    drawn = []
    for piece in pieces:
        piece.wrap(200, 100)
        before = len(canv._code)
        piece.drawOn(canv, 0, 0)
        drawn.append(" ".join(canv._code[before:]))
    assert all("/P <</MCID" in code and "/Artifact" not in code for code in drawn), drawn


@pytest.mark.parametrize("name", [*PDFS, "default/ten-principles-kit"])
def test_text_is_an_artifact_only_where_it_was_said_before(tagged: Path, tmp_path: Path, name: str) -> None:
    """Text outside the running header and footer is an artifact only when a reader has heard it already: a
    table's header row repeated on a new page, the dots of a contents line. Anything else a screen reader
    would skip (as it did the first half of a list item split across pages)."""
    from pypdf import PdfReader

    from tagcheck import artifact_text

    path = tagged / f"{name}.pdf"
    if name.endswith("-kit"):
        from briefpack.build import build

        project = make_project(tmp_path / "p")
        build([project / "packs" / "ten-principles.yaml"], brand=None, formats=("pdf",), out=tmp_path / "o",
              kit=True)
        path = tmp_path / "o" / f"{name}.pdf"

    def words(text: str) -> str:
        return " ".join(re.findall(r"[A-Za-z0-9]+", text))

    pages = [words(page.extract_text()) for page in PdfReader(path).pages]
    for piece in artifact_text(path):
        where, text = piece.split(": ", 1)
        number = int(where.split()[1])
        if not words(text):
            continue  # leader dots
        assert words(text) in " ".join(pages[:number - 1]), piece


@needs("pdfinfo")
@needs("pdftotext")
@pytest.mark.parametrize("name", PDFS)
def test_no_words_run_together_in_the_tree(tagged: Path, name: str) -> None:
    from tagcheck import run_together

    assert run_together(tagged / f"{name}.pdf") == []
