"""Running headers, footers, page numbers and QR captions: the Document's strings, the same in PDF and Word."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from conftest import ROOT, norm

from briefpack.document import Document, LinkBlock, Section, TopBlock


def word_paragraphs(word):  # noqa: ANN001, ANN201 - a python-docx Document; its paragraphs, tables' too
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, word) for p in word.element.body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")]


def composed(pack: str):
    from briefpack.build import prepare

    [job] = prepare([ROOT / "packs" / pack], None)
    return job


def recaptioned(block: TopBlock, caption: str) -> TopBlock:
    if isinstance(block, LinkBlock):
        return replace(block, caption=caption)
    if isinstance(block, Section):
        return replace(block, blocks=tuple(recaptioned(b, caption) for b in block.blocks))  # type: ignore[misc]
    return block


def both(document: Document, brand) -> tuple[list[str], object]:  # noqa: ANN001
    """The text of each PDF page, and the Word document, for *document*."""
    import docx
    from pypdf import PdfReader

    from briefpack.render.docx import render_docx
    from briefpack.render.pdf import render_pdf

    pdf, _ = render_pdf(document, brand)
    word, _ = render_docx(document, brand)
    return [norm(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages], docx.Document(io.BytesIO(word))


def test_header_footer_page_label_and_qr_caption_come_from_the_document() -> None:
    job = composed("ten-principles.yaml")
    document = replace(job.document, header="Running head from the Document",
                       footer="Footer words from the Document", page_label="Tudalen {page} o {pages}",
                       blocks=tuple(recaptioned(b, "Caption from the Document") for b in job.document.blocks))
    pages, word = both(document, job.brand)
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert "Footer words from the Document" in text
        assert f"Tudalen {number} o {len(pages)}" in text
        assert ("Running head from the Document" in text) == (number > 1)
        assert "Page " not in text and "Scan the code" not in text
    assert "Caption from the Document" in "".join(pages)
    section = word.sections[0]
    assert [p.text for p in section.header.paragraphs] == ["Running head from the Document"]
    for footer in (section.footer, section.first_page_footer):
        assert [p.text for p in footer.paragraphs] == ["Footer words from the Document\tTudalen 1 o 1"]
        assert "NUMPAGES" in footer._element.xml and " PAGE " in footer._element.xml
    body = [p.text for p in word_paragraphs(word)]  # the QR box is a table
    assert "Caption from the Document" in body and not any("Scan the code" in t for t in body)


def test_pdf_and_word_show_the_same_header_footer_and_caption() -> None:
    job = composed("ten-principles.yaml")
    document = job.document
    pages, word = both(document, job.brand)
    assert document.header == f"{job.brand.short_name} · {document.title}"
    section = word.sections[0]
    assert [p.text for p in section.header.paragraphs] == [document.header]
    assert document.header in pages[1]
    footer = f"{document.footer}\tPage 1 of 1"
    assert [p.text for p in section.footer.paragraphs] == [footer]
    assert all(document.footer in text for text in pages)
    captions = {b.caption for s in document.blocks if isinstance(s, Section) for b in s.blocks
                if isinstance(b, LinkBlock)} | {b.caption for b in document.blocks if isinstance(b, LinkBlock)}
    assert captions == {"Scan the code with a phone camera to open the page."}
    body = [p.text for p in word_paragraphs(word)]  # the QR box is a table
    caption = "Scan the code with a phone camera to open the page."
    assert body.count(caption) == norm(" ".join(pages)).count(caption) > 0


def test_word_footer_is_one_line_in_every_example(tmp_path: Path) -> None:
    import docx

    from briefpack.build import all_packs, build
    from briefpack.load import Project

    build(all_packs(Project(ROOT)), brand=None, formats=("docx",), out=tmp_path)
    for path in sorted(tmp_path.glob("*/*.docx")):
        section = docx.Document(str(path)).sections[0]
        for footer in (section.footer, section.first_page_footer):
            lines = [p.text for p in footer.paragraphs]
            assert len(lines) == 1 and "\tPage 1 of 1" in lines[0], (path.name, lines)
