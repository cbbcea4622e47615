"""Word files made with care: the header logo clear of the text, the QR code in a box with its caption like
the PDF's, and the logos and QR codes described in the same words as in the PDF."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE_PACKS, ROOT, libreoffice_pdfs, needs, pdf_dictionaries

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import copy_examples

    from briefpack.build import build

    root = copy_examples(tmp_path_factory.mktemp("word"))
    shutil.copy(ROOT / "tests" / "fixtures" / "linear-7mb.yaml", root / "packs" / "linear-7mb.yaml")
    shutil.copy(root / "branding" / "bscb" / "logo.png", root / "branding" / "lancashire" / "partner.png")
    brand = root / "branding" / "lancashire" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "partners:\n  - {file: partner.png, alt: BSCB partner}\n",
                     encoding="utf-8")
    build([root / "packs" / f"{p}.yaml" for p in [*EXAMPLE_PACKS, "linear-7mb"]], brand=None,
          formats=("pdf", "docx"), out=root / "output")
    return root / "output"


def figure_alts(path: Path) -> list[str]:
    from pypdf import PdfReader

    root = PdfReader(path).trailer["/Root"]["/StructTreeRoot"]
    return [str(d["/Alt"]) for d in pdf_dictionaries(root) if d.get("/S") == "/Figure" and "/Alt" in d]


def test_word_qr_code_is_in_a_box_with_its_caption_like_the_pdf(built: Path) -> None:
    import docx

    document = docx.Document(str(built / "default" / "ten-principles.docx"))
    boxes = [t for t in document.tables if t._tbl.xpath(".//wp:docPr[starts-with(@descr, 'QR code')]")]
    assert len(boxes) == 1
    [row] = boxes[0].rows
    qr_cell, text_cell = row.cells
    [alt] = qr_cell._tc.xpath(".//wp:docPr/@descr")
    assert alt in figure_alts(built / "default" / "ten-principles.pdf")
    assert [p.text for p in text_cell.paragraphs] == [
        "Learning from serious case reviews – free e-learning module",
        "virtual-college.co.uk/courses/safeguarding/learning-from-serious-case-reviews",
        "Scan the code with a phone camera to open the page."]
    # Ruled all round in the brand colour, as the PDF box is, and never broken across two pages.
    edges = {e.tag.removeprefix(W): (e.get(f"{W}val"), e.get(f"{W}color"))
             for e in boxes[0]._tbl.tblPr.find(f"{W}tblBorders")}
    primary = "1B4F72"  # the default brand's
    assert {side: edges[side] for side in ("top", "left", "bottom", "right")} == {
        side: ("single", primary) for side in ("top", "left", "bottom", "right")}
    assert edges["insideV"][0] == "nil"
    assert row._tr.trPr.find(f"{W}cantSplit") is not None


@pytest.mark.parametrize("pack", ["lancashire/linear-7mb", "default/ten-principles", "bscb/bscb-key-learning-2014"])
def test_logos_are_described_in_the_same_words_in_pdf_and_word(built: Path, pack: str) -> None:
    import docx

    document = docx.Document(str(built / f"{pack}.docx"))
    header = document.sections[0].first_page_header._element
    described = header.xpath(".//wp:docPr/@descr")
    assert described and described[0].startswith("Logo of ")
    assert set(described) <= set(figure_alts(built / f"{pack}.pdf"))
    if pack.startswith("lancashire"):
        assert described == ["Logo of Lancashire Safeguarding Children Board", "Logo of BSCB partner"]


@needs("soffice")
def test_word_header_logo_stands_clear_of_the_first_line(built: Path, tmp_path: Path) -> None:
    import pdfplumber

    sources = sorted(built.glob("*/*.docx"))
    for source, converted in zip(sources, libreoffice_pdfs(sources, tmp_path), strict=True):
        with pdfplumber.open(converted) as pdf:
            page = pdf.pages[0]
            logos = [i for i in page.images if i["top"] < 40 * MM]
            text = [c for c in page.chars if c["text"].strip()]
            assert logos, source.name
            first = min(c["top"] for c in text)
            # The header's own height keeps the first line of text at least 3 mm under the logos.
            assert first - max(i["bottom"] for i in logos) >= 3 * MM, source.name


def test_word_chart_is_the_size_of_the_pdf_chart(built: Path) -> None:
    """The Word chart is the PDF's chart: the same text size, so the same height (it was drawn with 3× text, a
    chart a page tall with its heading left alone on the page before)."""
    import docx
    import pdfplumber

    out = built / "default"
    word = docx.Document(str(out / "ten-principles.docx"))
    pictures = [p for p in word.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/"
                                                   "wordprocessingDrawing}inline")
                if "35%" in (p.find("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
                                    "docPr").get("descr") or "")]
    assert len(pictures) == 1
    word_height = int(pictures[0].find("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
                                       "extent").get("cy")) / 12700
    with pdfplumber.open(out / "ten-principles.pdf") as pdf:
        words = [(n, w) for n, page in enumerate(pdf.pages) for w in page.extract_words()]
    # The chart's first label and its last one (the table after it repeats them: take the first of each).
    page, top = next((n, w["top"]) for n, w in words if w["text"] == "Domestic")
    bottom = next(w["bottom"] for n, w in words if w["text"] == "removal" and n == page)
    assert 0.95 < word_height / (bottom - top) < 1.35, (word_height, bottom - top)


def test_word_files_made_one_after_another_from_one_look_are_as_if_made_alone(tmp_path: Path) -> None:
    """A batch opens each Word file from its look's starting document, parsed once (the parts a file leaves
    alone, such as the template's styles, are written as read): each file is the same, byte for byte, as
    when it is made first in a fresh process, and reads as its own: its numbered list from 1, its styles in
    the brand's colours, its tables and captions in the template's styles."""
    import io

    import docx

    from conftest import copy_examples

    from briefpack.build import prepare
    from briefpack.kit import compose_kit
    from briefpack.render import docx as word

    root = copy_examples(tmp_path)
    jobs = prepare([root / "packs" / f"{p}.yaml" for p in ("ten-principles", "lancashire-7mb")], "lancashire")
    documents = [d for job in jobs for d in (job.document, compose_kit(job.pack, job.library, job.brand,
                                                                        job.document))]
    brand = jobs[0].brand
    alone = []
    for document in documents:
        word._BASES.clear()
        alone.append(word.render_docx(document, brand)[0])
    word._BASES.clear()
    in_turn = [word.render_docx(document, brand)[0] for document in documents]
    assert in_turn == alone

    primary = brand.palette.primary.hex.upper()
    for data, document in zip(in_turn, documents, strict=True):
        opened = docx.Document(io.BytesIO(data))
        assert str(opened.styles["Heading 1"].font.color.rgb) == primary
        assert opened.styles["Normal"].font.name == brand.word_font
        assert opened.core_properties.title == document.title
        numbered = [p for p in opened.paragraphs if p.style.name == "List Number"]
        if numbered:  # each list its own, from 1: a numbering of its own that starts again at 1
            number = numbered[0]._p.pPr.numPr.numId.val
            num = opened.part.numbering_part.element.num_having_numId(number)
            assert num.xpath("./w:lvlOverride/w:startOverride/@w:val") == ["1"]
        for table in opened.tables:
            if len(table.columns) > 1 and table.style is not None and table.style.name != "Normal Table":
                assert table.style.name == "Table Grid"
    kit = docx.Document(io.BytesIO(in_turn[1]))
    assert any(t.style is not None and t.style.name == "Table Grid" for t in kit.tables)
    briefing = docx.Document(io.BytesIO(in_turn[0]))
    assert any(p.style.name == "List Number" for p in briefing.paragraphs)


@pytest.mark.parametrize("text", ["plain", " spaced ", "tab\there", "two\nlines", "cr\rlf\r\n", "\u00a0nbsp", "", "\t"])
def test_runs_written_directly_are_the_runs_python_docx_writes(text: str) -> None:
    """Paragraphs and runs are written straight into the XML (python-docx looks up each child's place in the
    schema): the same XML as python-docx's add_paragraph and add_run make, read back as the same text, bold
    and italic."""
    import io

    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    from briefpack.render import ooxml

    ours, theirs = docx.Document(), docx.Document()
    for bold, italic in ((False, False), (None, None), (True, None), (None, True), (True, True)):
        p = ooxml.new_paragraph(ours.element.body, ours.element.body.find(qn("w:sectPr")), "Heading1")
        ooxml.add_run(p, text, bold=bold, italic=italic)
        paragraph = theirs.add_paragraph()
        paragraph._p.style = "Heading1"
        run = paragraph.add_run(text)
        if (bold, italic) != (False, False):
            run.bold, run.italic = bold, italic
    assert etree.tostring(ours.element.body) == etree.tostring(theirs.element.body)
    saved = io.BytesIO()
    ours.save(saved)
    reopened = docx.Document(saved)
    paragraphs = [p for p in reopened.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in paragraphs] == [text.replace("\r", "\n")] * 5  # a line end is a break either way
    assert [(r.bold, r.italic) for p in paragraphs for r in p.runs] == [
        (None, None), (None, None), (True, None), (None, True), (True, True)]


def test_the_style_index_finds_each_style_as_python_docx_does() -> None:
    """Styles are looked up by name in an index made in one pass (python-docx searches them all with an
    XPath each time): every style of the template is found as python-docx finds it, a name no style has is
    python-docx's KeyError, and a style added through the index is found by both."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    from briefpack.render.docx import StyleIndex

    document = docx.Document()
    index = StyleIndex(document.styles)
    names = [style.name for style in document.styles]
    assert len(names) > 100
    for name in names:
        assert name in index
        assert index[name].element is document.styles[name].element
    assert "No Such Style" not in index
    with pytest.raises(KeyError):
        index["No Such Style"]
    added = index.add_paragraph_style("Kicker")
    assert "Kicker" in index and index["Kicker"].element is document.styles["Kicker"].element is added.element
    assert document.styles["Kicker"].type == WD_STYLE_TYPE.PARAGRAPH
    with pytest.raises(ValueError, match="already contains style"):
        index.add_paragraph_style("Kicker")


def test_a_member_every_file_shares_stays_deflated_once_while_each_files_own_pass_through() -> None:
    """Members every Word file of a look shares (its styles, a logo) are deflated once per process, while
    each file's own large members (its text) come and go; whatever the cache holds, each member inflates
    back to its bytes."""
    import zlib

    from briefpack.render import ooxml

    ooxml._DEFLATED.clear()
    shared = b"<w:styles>" + b"<w:style/>" * 2000 + b"</w:styles>"
    for n in range(100):
        own = f"<w:document>{n}</w:document>".encode() * 400
        for blob in (shared, own):
            crc, data = ooxml._deflate(blob)
            assert zlib.decompress(data, -15) == blob and crc == zlib.crc32(blob)
        assert shared in ooxml._DEFLATED
    assert len(ooxml._DEFLATED) <= 64


@pytest.mark.parametrize("before", [(), ("page_break_before",), ("alignment",),
                                    ("page_break_before", "alignment", "first_line_indent", "keep_together")])
def test_paragraph_properties_set_directly_are_where_python_docx_puts_them(before: tuple[str, ...]) -> None:
    """Keep-with-next, spacing, indent and numbering are put into a paragraph's properties in one pass (where
    python-docx searches them again for each tag that may follow): in the schema's order, as python-docx
    puts them, whatever the paragraph had already; and read back as set."""
    import copy
    import io

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from briefpack.render import ooxml

    document = docx.Document()
    theirs = document.add_paragraph("Text", style="Heading 1")
    for step in before:  # what the paragraph has already
        fmt = theirs.paragraph_format
        if step == "alignment":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif step == "first_line_indent":
            fmt.first_line_indent = Mm(2)
        else:
            setattr(fmt, step, True)
    ours = docx.text.paragraph.Paragraph(copy.deepcopy(theirs._p), theirs._parent)
    fmt = theirs.paragraph_format
    fmt.keep_with_next = True
    fmt.space_before, fmt.space_after = Pt(6), Pt(2)
    fmt.left_indent = Mm(6.35)
    theirs._p.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = 0
    ooxml.set_keep_with_next(ours)
    ooxml.set_spacing(ours, before=Pt(6), after=Pt(2))
    ooxml.paragraph_property(ours._p, "w:ind").left = Mm(6.35)
    ooxml.paragraph_property(ours._p, "w:numPr").get_or_add_ilvl().val = 0
    ooxml.rule_below(ours, "123456")
    ooxml.rule_below(theirs, "123456")
    ooxml.box_paragraph(ours, "EEEEEE", "123456")
    ooxml.box_paragraph(theirs, "EEEEEE", "123456")
    def tree(p) -> list:  # noqa: ANN001 - the elements in order, with their attributes in order
        return [(e.tag, list(e.attrib.items()), e.text) for e in p.iter()]
    assert tree(ours._p) == tree(theirs._p)
    theirs._p.addnext(ours._p)
    saved = io.BytesIO()
    document.save(saved)
    for read in docx.Document(saved).paragraphs[-2:]:
        f = read.paragraph_format
        assert (f.keep_with_next, f.space_before, f.space_after, f.left_indent) == (True, Pt(6), Pt(2), Mm(6.35))
        assert read._p.pPr.numPr.ilvl.val == 0


def test_a_look_answers_its_usual_questions_up_front_and_others_as_python_docx_would(tmp_path: Path) -> None:
    """A look answers the renderers' usual style questions when it is made, from the document it was made
    from, and keeps no parsed copy of it (megabytes of styles, for each look a batch keeps); any other
    question is answered as python-docx answers it of the look's own bytes, a missing style included."""
    import io

    import docx
    from docx.enum.style import WD_STYLE_TYPE

    from conftest import copy_examples

    from briefpack.build import prepare
    from briefpack.render import docx as word

    root = copy_examples(tmp_path)
    brand = prepare([root / "packs" / "ten-principles.yaml"], "lancashire")[0].brand
    word._BASES.clear()
    look = word.base(brand, "en")
    assert look._styles is None
    assert all(question in look._answers for question in word.Look.USUAL)
    opened = docx.Document(io.BytesIO(ooxml_bytes(look)))
    assert look.paragraph_style("Heading 1") == opened.styles["Heading 1"].style_id == "Heading1"
    assert look.paragraph_style("Caption") == opened.styles["Caption"].style_id  # not a usual question
    assert look.style_id("Table Grid", WD_STYLE_TYPE.TABLE) == "TableGrid"
    assert look.numbering("List Number") == opened.styles["List Number"].element.pPr.numPr.numId.val
    with pytest.raises(KeyError):
        look.paragraph_style("No Such Style")


def ooxml_bytes(look) -> bytes:  # noqa: ANN001 - a Look
    """The look's starting .docx, as each document is opened from it."""
    document = look.snapshot.open()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
