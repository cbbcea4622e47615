"""The Lancashire 7-minute briefing, read back from the PDF and the Word file as a reader would."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, copy_examples, docx_paragraphs, docx_text, needs, norm, pdf_text, unbreak

LABELS = ["01 Background", "02 Why it matters", "03 Information", "04 Learning",
          "05 Learning into practice", "06 What to do", "07 Questions"]

# Every piece of seed 004, in its order, as the reader must find it.
SEED_004 = [
    "Lancashire Safeguarding Children Board (LSCB) regularly conducts Serious Case Reviews.",
    "These were called child O (published March 2016), Child LA (December 2016), Child KG (September 2016), "
    "child LB (January 2017) and child LD (January 2017).",
    "www.lancshiresafeguarding.org.uk/resources/serious-case-reviews.aspx",
    "there is likely to be long term impact on the child's wellbeing.",
    "Whilst the cases were diverse, there were themes to learn from:",
    "Fathers – Working proactively with fathers, ensuring the father is fully involved in the assessment "
    "process and in decision making.",
    "Domestic abuse and mental health – Every professional should understand the importance of screening "
    "for domestic abuse disclosure with adults including those with mental health problems.",
    "Mental health – Consider the impact of parental mental health on the child. 'If professionals do not "
    "know what risk a mental health patient poses to those around them then assume it is high'. If you do "
    "not have the expertise, find someone who does and consult them.",
    "Engaging with parents – In parental disputes, consider the impact on the child of decisions made by "
    "the parents. Professional's duty of care to adults should not obscure the responsibility to "
    "safeguard children.",
    "Disengagement, resistance and disguised compliance should be a key consideration when assessing risk "
    "to a child. Beware of written agreements. A piece of paper cannot secure a child's safety – ever.",
    "Age of the child and response to child sexual exploitation – children are children until aged 18 in law.",
    "Voice of the child – Children should be given the opportunity to have their voices heard in a safe "
    "environment as soon as possible and consistently throughout the support.",
    "Multi-agency working – All assessments should include multi-agency clarification of concerns, the "
    "voice of the child and clear decision making.",
    "All practitioners should be familiar with the LSCB guidance – Resolving Professional Disagreement, "
    "and have the confidence to use it.",
    "Use of the CAF, CON and Thresholds Guidance – professionals are reminded to utilise formal processes "
    "like the Lancashire Continuum of Need and Threshold Guidance when working jointly on complex cases. "
    "Professionals should always provide parents the opportunity to consider a CAF.",
    "Reflect on the information in this 7MB.",
    "Discuss with colleagues and...",
    "Take issues to supervision.",
    "Have I heard the views of the father, have I made assumptions about the father?",
    "How do we make sure we respond to allegations of domestic abuse?",
    "Are there any of the lessons which I can use to improve our systems or practice?",
    "Do I always know what the child is experiencing?",
    "Have I given the child the opportunity to be heard in a safe environment?",
    "Have I considered the impact of my decisions on the child?",
]


def in_order(text: str, pieces: list[str]) -> None:
    """Assert every piece is in *text*, each after the one before."""
    at = 0
    flat = unbreak(norm(text))
    for piece in pieces:
        found = flat.find(unbreak(norm(piece)), at)
        assert found >= 0, f"missing or out of order: {piece!r}"
        at = found + 1


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from briefpack.build import build

    out = tmp_path_factory.mktemp("out")
    build([ROOT / "packs" / "lancashire-7mb.yaml"], brand=None, formats=("pdf", "docx"), out=out)
    build([ROOT / "packs" / "lancashire-7mb.yaml"], brand="default", formats=("pdf", "docx"), out=out)
    # The same briefing in the linear layout (the example itself is tiles).
    project = copy_examples(tmp_path_factory.mktemp("linear"))
    shutil.copy(ROOT / "tests" / "fixtures" / "linear-7mb.yaml", project / "packs" / "linear-7mb.yaml")
    build([project / "packs" / "linear-7mb.yaml"], brand=None, formats=("pdf",), out=out)
    return out


def test_pdf_holds_all_of_seed_004_in_order(built: Path) -> None:
    text = pdf_text(built / "lancashire" / "lancashire-7mb.pdf")
    in_order(text, ["7-minute briefing", "Themes from Serious Case Reviews", "January 2017",
                    "About 5 minutes to read"])
    labels_and_content = [LABELS[0], *SEED_004[:4], LABELS[1], *SEED_004[4:8], LABELS[2], *SEED_004[8:10],
                          LABELS[3], *SEED_004[10:12], LABELS[4], *SEED_004[12:15], LABELS[5],
                          *SEED_004[15:18], LABELS[6], *SEED_004[18:]]
    flat = norm(text)
    for label in LABELS:
        number, name = label.split(" ", 1)
        flat = flat.replace(f"{number} {name}", label)
    in_order(flat, labels_and_content)
    in_order(flat, ["Contacts – Lancashire Safeguarding Children Board", "www.lancshiresafeguarding.org.uk",
                    "Sources", "Themes from five Serious Case Reviews"])


def test_word_file_says_the_same_in_the_same_order(built: Path) -> None:
    path = built / "lancashire" / "lancashire-7mb.docx"
    in_order(docx_text(path), [*SEED_004[:4], *SEED_004[4:]])
    headings = [text for style, text in docx_paragraphs(path) if style == "Heading 1"]
    assert headings == [*LABELS, "Contacts – Lancashire Safeguarding Children Board"]
    styles = {style for style, _ in docx_paragraphs(path)}
    assert {"Title", "Heading 1", "Heading 2", "List Bullet", "List Number"} <= styles


def test_pdf_and_word_carry_the_same_words(built: Path) -> None:
    pdf = unbreak(norm(pdf_text(built / "lancashire" / "lancashire-7mb.pdf")))
    for _, text in docx_paragraphs(built / "lancashire" / "lancashire-7mb.docx"):
        if text.strip():
            words = norm(text)
            if words[:3] in {f"{n:02d} " for n in range(1, 8)}:
                words = words[3:]
            assert unbreak(words) in pdf, words


def test_word_header_footer_and_properties(built: Path) -> None:
    import docx

    path = built / "lancashire" / "lancashire-7mb.docx"
    document = docx.Document(str(path))
    cp = document.core_properties
    assert (cp.title, cp.author) == ("Themes from Serious Case Reviews", "Lancashire Safeguarding Children Board")
    assert cp.subject == "7-minute briefing from Lancashire Safeguarding Children Board"
    section = document.sections[0]
    # One footer line on every page, like the PDF's; the contacts are in the contact box, not repeated here.
    for footer in (section.footer, section.first_page_footer):
        assert [p.text for p in footer.paragraphs] == [
            "Lancashire Safeguarding Children Board · Learning from reviews\tPage 1 of 1"]
    assert [p.text for p in section.header.paragraphs] == ["LSCB · Themes from Serious Case Reviews"]
    # The logo alone on the first page: it names the board, so its name is not printed beside it again.
    assert [p.text for p in section.first_page_header.paragraphs] == [""]
    xml = section.first_page_header._element.xml
    assert 'descr="Logo of Lancashire Safeguarding Children Board"' in xml  # as the PDF's /Alt
    assert "NUMPAGES" in document.sections[0].footer._element.xml
    styles_xml = document.styles.element.xml
    assert 'w:lang w:val="en-GB"' in styles_xml
    rels = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert "http://www.lancshiresafeguarding.org.uk/resources/serious-case-reviews.aspx" in rels


def test_pdf_metadata_bookmarks_and_links(built: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(built / "lancashire" / "lancashire-7mb.pdf")
    meta = reader.metadata
    assert meta.title == "Themes from Serious Case Reviews"
    assert meta.author == "Lancashire Safeguarding Children Board"
    assert meta.subject == "7-minute briefing from Lancashire Safeguarding Children Board"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]
    top_level = [item for item in reader.outline if not isinstance(item, list)]
    assert [item["/Title"] for item in top_level][:7] == LABELS
    pages = [reader.get_destination_page_number(item) for item in top_level[:7]]
    assert pages == sorted(pages) and pages[-1] > 0
    uris = [a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots", [])
            if a.get_object().get("/A", {}).get("/URI")]
    assert "http://www.lancshiresafeguarding.org.uk/resources/serious-case-reviews.aspx" in uris
    # Tiles: both sides of one landscape A4 sheet; the linear layout is portrait.
    assert [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages] == [
        (842, 595), (842, 595)]
    linear = PdfReader(built / "lancashire" / "linear-7mb.pdf")
    assert (round(float(linear.pages[0].mediabox.width)), round(float(linear.pages[0].mediabox.height))) == (595, 842)


def test_every_page_says_page_n_of_m(built: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(built / "lancashire" / "lancashire-7mb.pdf")
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in norm(page.extract_text()).replace(f"of\n{total}", f"of {total}")


def test_default_brand_gives_the_same_content_in_its_own_look(built: Path) -> None:
    text = norm(pdf_text(built / "default" / "lancashire-7mb.pdf"))
    # Lancashire's own procedures are the default brand's here (issue 10: no staff sent to another area's).
    local = {"LSCB guidance – Resolving Professional Disagreement":
             "Resolving professional disagreements (escalation) procedure",
             "Lancashire Continuum of Need and Threshold Guidance": "Threshold guidance (continuum of need)"}
    for piece in SEED_004:
        for theirs, ours in local.items():
            piece = piece.replace(theirs, ours)
        assert norm(piece) in text
    assert "Lancashire Continuum" not in text and "LSCB guidance" not in text
    assert "Local Safeguarding Children Partnership" in text
    fonts = subprocess.run(["pdffonts", str(built / "default" / "lancashire-7mb.pdf")], capture_output=True,
                           text=True).stdout if _has("pdffonts") else "AtkinsonHyperlegible"
    assert "AtkinsonHyperlegible" in fonts and "Lato" not in fonts


def _has(tool: str) -> bool:
    import shutil
    return shutil.which(tool) is not None


def test_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    from briefpack.build import build

    for name in ("a", "b"):
        build([ROOT / "packs" / "lancashire-7mb.yaml"], brand=None, formats=("pdf", "docx"), out=tmp_path / name)
    for suffix in ("pdf", "docx"):
        a = (tmp_path / "a" / "lancashire" / f"lancashire-7mb.{suffix}").read_bytes()
        b = (tmp_path / "b" / "lancashire" / f"lancashire-7mb.{suffix}").read_bytes()
        assert a == b


@needs("qpdf")
def test_qpdf_finds_no_errors(built: Path) -> None:
    for brand in ("lancashire", "default"):
        result = subprocess.run(["qpdf", "--check", str(built / brand / "lancashire-7mb.pdf")],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors" in result.stdout


@needs("pdffonts")
def test_every_font_is_embedded(built: Path) -> None:
    for brand in ("lancashire", "default"):
        lines = subprocess.run(["pdffonts", str(built / brand / "lancashire-7mb.pdf")], capture_output=True,
                               text=True, check=True).stdout.splitlines()[2:]
        assert lines, "no fonts listed"
        for line in lines:
            columns = line.split()
            assert columns[-5] == "yes", line  # the 'emb' column
            assert "Helvetica" not in line


@needs("pdftotext")
@pytest.mark.parametrize(("name", "mode"), [("linear-7mb", ()), ("lancashire-7mb", ("-raw",))])
def test_pdftotext_reads_sections_01_to_07(built: Path, name: str, mode: tuple[str, ...]) -> None:
    # Panels side by side share lines, which pdftotext's layout analysis reads across; its -raw mode reads the
    # page as drawn: 01 to 07, as a screen reader reads the structure tree.
    text = subprocess.run(["pdftotext", *mode, str(built / "lancashire" / f"{name}.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    positions = [norm(text).find(label) for label in LABELS]
    assert all(p >= 0 for p in positions), positions
    assert positions == sorted(positions)


@needs("soffice")
def test_libreoffice_opens_the_word_file(built: Path, tmp_path: Path) -> None:
    source = built / "lancashire" / "lancashire-7mb.docx"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   capture_output=True, timeout=120)
    converted = tmp_path / "lancashire-7mb.pdf"
    assert converted.exists(), "LibreOffice could not load the Word file"
    text = norm(pdf_text(converted))
    assert norm(SEED_004[-1]) in text and "01 Background" in text


@pytest.mark.parametrize(("brand", "bold_font"), [("lancashire", "Lato-Bold"),
                                                   ("default", "AtkinsonHyperlegible-Bold")])
def test_lesson_titles_are_in_the_real_bold_face(built: Path, brand: str, bold_font: str) -> None:
    from conftest import pdf_runs

    runs = pdf_runs(built / brand / "lancashire-7mb.pdf")
    title = [font for font, text in runs if text.strip() == "Fathers"]
    body = [font for font, text in runs if "Working proactively with fathers" in text]
    assert title and title[0].endswith(bold_font)
    assert body and not body[0].endswith(bold_font)


def test_word_contact_box_is_tinted_like_the_pdf(built: Path) -> None:
    import docx

    document = docx.Document(str(built / "lancashire" / "lancashire-7mb.docx"))
    boxed = [p for p in document.paragraphs if p.text.startswith("Website: www.lancshire")]
    assert boxed
    ppr = boxed[0]._p.pPr
    assert ppr.xpath("./w:shd/@w:fill") == ["F6ECEF"] and ppr.xpath("./w:pBdr/w:left/@w:color") == ["8A1538"]
    order = [child.tag.rsplit("}", 1)[1] for child in ppr]
    assert order.index("pBdr") < order.index("shd") < order.index("spacing")  # schema order
