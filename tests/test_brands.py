"""Brands: checks, new brands, rebranding without leaks, house Word templates and every character."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import (as_linear, docx_header_footer_text, docx_text, house_fonts, needs, norm, pdf_text, structure_alts,
                      unbreak)

from briefpack.model import Colour


@pytest.mark.parametrize(("a", "b", "ratio"), [
    ("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#767676", "#ffffff", 4.54),
    ("#777777", "#ffffff", 4.48), ("#0000ff", "#ffffff", 8.59), ("#ff0000", "#ffffff", 4.0),
])
def test_contrast_ratio_matches_wcag(a: str, b: str, ratio: float) -> None:
    assert Colour.from_hex(a).contrast(Colour.from_hex(b)) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("text", ["#fff", "#ff000", "red", "1b4f72", "#1b4f7g", "#1b4f7200"])
def test_only_full_hex_colours_are_colours(text: str) -> None:
    with pytest.raises(ValueError):
        Colour.from_hex(text)


@pytest.mark.parametrize("brand", ["default", "lancashire", "gloucestershire", "bscb"])
def test_every_shipped_brand_passes_its_check(project: Path, run, brand: str) -> None:
    result = run("brand", "check", brand)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"brand '{brand}': 15 checks passed, 0 failed"


def test_a_failing_brand_is_reported_and_refused_by_build(project: Path, run) -> None:
    brand = project / "branding" / "lancashire" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("muted: '#555555'", "muted: '#aaaaaa'"),
                     encoding="utf-8")
    result = run("brand", "check", "lancashire")
    assert result.exit_code == 1
    assert ("FAIL  contrast: small print and footer (muted) on the page: #AAAAAA on #FFFFFF: 2.32:1 (needs 4.5:1) "
            "— choose a darker or lighter colour in 'palette'") in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1] == "brand 'lancashire': 14 checks passed, 1 failed"
    built = run("build", "packs/lancashire-7mb.yaml")
    assert built.exit_code == 1
    assert built.stderr == (
        "branding/lancashire/brand.yaml:10:10: brand 'lancashire' fails its check: contrast: small print and footer "
        "(muted) on the page: #AAAAAA on #FFFFFF: 2.32:1 (needs 4.5:1) — choose a darker or lighter colour in "
        "'palette' — run 'briefpack brand check lancashire' for the full report\n"
        "1 problem found; nothing was written.\n")


def test_a_fake_bold_face_fails_the_check(project: Path, run) -> None:
    brand = project / "branding" / "bscb" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("bold: PT_Sans-Web-Bold.ttf",
                                                                "bold: PT_Sans-Web-Regular.ttf"), encoding="utf-8")
    result = run("brand", "check", "bscb")
    assert result.exit_code == 1
    assert ("FAIL  fonts: a real bold face: 'PT_Sans-Web-Regular.ttf' is not a bold face (weight 400) — name the "
            "family's Bold file") in result.stdout.splitlines()


def test_brand_new_builds_at_once(project: Path, run) -> None:
    result = run("brand", "new", "north-somerset")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == ["wrote branding/north-somerset/brand.yaml",
                                              "wrote branding/north-somerset/logo.png"]
    assert run("brand", "check", "north-somerset").exit_code == 0
    built = run("build", "--all", "--brand", "north-somerset")
    assert built.exit_code == 0, built.output
    assert len(built.stdout.splitlines()) == 10 + 1  # and the 7-minute briefing's reading time
    text = pdf_text(project / "output" / "north-somerset" / "lancashire-7mb.pdf")
    assert "North Somerset Safeguarding Children Partnership" in text


def test_brand_new_refuses_an_existing_or_bad_name(project: Path, run) -> None:
    result = run("brand", "new", "lancashire")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("branding/lancashire: this brand already exists — edit "
                                             "branding/lancashire/brand.yaml, or choose another name")
    result = run("brand", "new", "North Somerset")
    assert result.stderr.splitlines()[0] == ("branding/North Somerset: 'North Somerset' cannot be a brand name — "
                                             "use lower-case letters, digits and hyphens, e.g. 'north-somerset'")


def citations(project: Path) -> list[str]:
    """Text that may keep another board's name: the sources' own summaries and citations."""
    from briefpack.load import load_library

    library = load_library(project / "packs" / "library")
    out = []
    for source in library.sources.values():
        out.append(f"{source.title} – {source.board}")
        out.extend("".join(s.text for s in para) for para in source.summary)
        if source.url:
            out.append(source.url.split("://", 1)[-1].rstrip("/"))
    return out


LANCASHIRE = ["Lancashire Safeguarding Children Board", "LSCB ·", "Board · Learning from reviews",
              "lancshiresafeguarding", "Learning into practice"]


def test_rebranding_leaves_nothing_of_the_first_board(project: Path, run) -> None:
    assert run("build", "packs/lancashire-7mb.yaml", "--brand", "gloucestershire").exit_code == 0
    out = project / "output" / "gloucestershire"
    # An address broken across a panel's lines is still one address.
    pdf = unbreak(norm(pdf_text(out / "lancashire-7mb.pdf")))
    word = unbreak(norm(docx_text(out / "lancashire-7mb.docx")))
    header_footer = norm(docx_header_footer_text(out / "lancashire-7mb.docx"))
    credit = "Adapted from a briefing by Lancashire Safeguarding Children Board, January 2017"  # issue 10
    assert credit in pdf and credit in word
    for allowed in sorted([*citations(project), credit], key=len, reverse=True):
        pdf, word = pdf.replace(unbreak(norm(allowed)), ""), word.replace(unbreak(norm(allowed)), "")
    for leak in LANCASHIRE:
        assert leak not in pdf and leak not in word and leak not in header_footer, leak
    assert "Gloucestershire Safeguarding Children Board" in pdf and "01452 583638" in pdf
    assert "Gloucestershire Safeguarding Children Board · www.gscb.org.uk" in header_footer
    assert "Things to note and remember" in pdf and "Things to note and remember" in word  # its own labels
    import docx
    document = docx.Document(str(out / "lancashire-7mb.docx"))
    logo = document.sections[0].first_page_header.part.related_parts
    blobs = [part.blob for part in logo.values() if hasattr(part, "blob") and part.blob[:4] == b"\x89PNG"]
    assert blobs == [(project / "branding" / "gloucestershire" / "logo.png").read_bytes()]
    assert document.core_properties.author == "Gloucestershire Safeguarding Children Board"


@needs("pdffonts")
def test_rebranding_changes_the_fonts(project: Path, run) -> None:
    assert run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--format", "pdf").exit_code == 0
    fonts = subprocess.run(["pdffonts", str(project / "output" / "bscb" / "lancashire-7mb.pdf")],
                           capture_output=True, text=True, check=True).stdout
    assert "PTSans" in fonts.replace("_", "").replace("-", "") and "Lato" not in fonts


WELSH = "Mae Siân yn byw yn Nhŷ’r Ŵyn ger Llŷn — “croeso” i’r plant, £5 a €3; ŵ ŷ Ŵ Ŷ"
LATIN = "".join(chr(c) for c in range(0xA1, 0x180) if chr(c).isprintable() and c != 0xAD)


def add_lesson(project: Path, text: str) -> None:
    lessons = project / "packs" / "library" / "lessons.yaml"
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    lessons.write_text(lessons.read_text(encoding="utf-8") + (
        f'\n  - id: welsh-test\n    title: Cymraeg\n    text: "{quoted}"\n    sources: [lancashire-scrs-2016-17]\n'),
        encoding="utf-8")
    pack = project / "packs" / "lancashire-7mb.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("lessons: [fathers-involvement,",
                                                             "lessons: [welsh-test, fathers-involvement,"),
                    encoding="utf-8")


@pytest.mark.parametrize("brand", ["default", "lancashire"])
@pytest.mark.parametrize("text", [WELSH, LATIN], ids=["welsh", "latin-1-and-extended-a"])
def test_welsh_and_latin_come_back_from_both_outputs(project: Path, run, brand: str, text: str) -> None:
    add_lesson(project, text)
    result = run("build", "packs/lancashire-7mb.yaml", "--brand", brand)
    assert result.exit_code == 0, result.output
    out = project / "output" / brand

    def squash(s: str) -> str:  # a 300-character word is wrapped across lines in the PDF
        return re.sub(r"\s+", "", s)

    assert squash(text) in squash(pdf_text(out / "lancashire-7mb.pdf"))
    assert norm(text) in norm(docx_text(out / "lancashire-7mb.docx"))


@needs("pdffonts")
def test_characters_the_brand_font_lacks_use_the_embedded_fallback(project: Path, run) -> None:
    add_lesson(project, WELSH)
    assert run("build", "packs/lancashire-7mb.yaml", "--brand", "default", "--format", "pdf").exit_code == 0
    fonts = subprocess.run(["pdffonts", str(project / "output" / "default" / "lancashire-7mb.pdf")],
                           capture_output=True, text=True, check=True).stdout
    assert "NotoSans" in fonts and "AtkinsonHyperlegible" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])


def test_a_character_no_font_has_is_an_error_naming_it(project: Path, run) -> None:
    add_lesson(project, "Music: 𝄞 and 漢")
    result = run("build", "packs/lancashire-7mb.yaml")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    line = next(i for i, text in enumerate((project / "packs/library/lessons.yaml").read_text().splitlines(), 1)
                if "Music:" in text)
    assert sorted(lines[:-1]) == sorted([
        f"packs/library/lessons.yaml:{line}:11: character '𝄞' (U+1D11E MUSICAL SYMBOL G CLEF) is in neither the "
        "brand font (Lato) nor its fallback (Noto Sans) — replace it, or give the brand a 'fallback' font that "
        "has it",
        f"packs/library/lessons.yaml:{line}:11: character '漢' (U+6F22 CJK UNIFIED IDEOGRAPH-6F22) is in neither "
        "the brand font (Lato) nor its fallback (Noto Sans) — replace it, or give the brand a 'fallback' font "
        "that has it"])
    assert not (project / "output").exists()


def test_right_to_left_text_is_refused(project: Path, run) -> None:
    add_lesson(project, "שלום")
    result = run("build", "packs/lancashire-7mb.yaml")
    assert result.exit_code == 1
    assert "right-to-left text ('ש', HEBREW LETTER SHIN) is not supported yet" in result.stderr


def test_a_house_word_template_is_honoured(project: Path, run) -> None:
    import docx
    from docx.shared import Pt, RGBColor

    template = docx.Document()
    template.styles["Heading 1"].font.color.rgb = RGBColor(0x12, 0x34, 0x56)
    template.styles["Heading 1"].font.size = Pt(20)
    template.sections[0].header.paragraphs[0].text = "Our house header"
    template.add_paragraph("Sample text that the template carried.")
    template.save(project / "branding" / "lancashire" / "house.dotx")
    # Saved as .docx content; rename the content type as Word would for a template.
    import zipfile
    import io
    data = (project / "branding" / "lancashire" / "house.dotx").read_bytes()
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"document.main+xml", b"template.main+xml")
            z.writestr(info, blob)
    (project / "branding" / "lancashire" / "house.dotx").write_bytes(out.getvalue())
    brand = project / "branding" / "lancashire" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "word_template: house.dotx\n", encoding="utf-8")
    result = run("build", "packs/lancashire-7mb.yaml", "--format", "docx")
    assert result.exit_code == 0, result.output
    path = project / "output" / "lancashire" / "lancashire-7mb.docx"
    document = docx.Document(str(path))
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0x12, 0x34, 0x56)
    assert document.styles["Heading 1"].font.size == Pt(20)
    assert document.styles["Normal"].font.name == "Calibri"            # the brand fills what was unset
    assert "Our house header" in docx_header_footer_text(path)
    assert "Sample text that the template carried." not in docx_text(path)
    assert "01 Background" in docx_text(path)


def test_a_template_that_is_not_word_is_refused(project: Path, run) -> None:
    (project / "branding" / "lancashire" / "house.docx").write_text("not a word file")
    brand = project / "branding" / "lancashire" / "brand.yaml"
    text = brand.read_text(encoding="utf-8") + "word_template: house.docx\n"
    brand.write_text(text, encoding="utf-8")
    result = run("build", "packs/lancashire-7mb.yaml")
    assert result.exit_code == 1
    line = len(text.splitlines())
    assert result.stderr.splitlines()[0] == (
        f"branding/lancashire/brand.yaml:{line}:16: 'house.docx' is not a Word file briefpack can read — open it "
        "in Word and save it again as .docx or .dotx")


def test_partner_logos_appear_with_alt_text(project: Path, run) -> None:
    import shutil
    import docx
    shutil.copy(project / "branding" / "bscb" / "logo.png", project / "branding" / "lancashire" / "partner.png")
    brand = project / "branding" / "lancashire" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "partners:\n  - {file: partner.png, alt: BSCB partner}\n",
                     encoding="utf-8")
    as_linear(project)  # tiles put them in the last page's footer band (tests/test_tiles.py)
    assert run("build", "packs/lancashire-7mb.yaml").exit_code == 0
    document = docx.Document(str(project / "output" / "lancashire" / "lancashire-7mb.docx"))
    # In the first page's header beside the board's logo, in both formats: never a page of only logos.
    header = document.sections[0].first_page_header._element
    # The same words as the PDF's Figure /Alt (both from Document.logo_alts).
    assert header.xpath(".//wp:docPr/@descr") == ["Logo of Lancashire Safeguarding Children Board",
                                                  "Logo of BSCB partner"]
    from pypdf import PdfReader
    first = PdfReader(project / "output" / "lancashire" / "lancashire-7mb.pdf").pages[0]
    assert len(first.images) == 2


def test_the_logo_is_described_in_the_brand_files_words_in_both_formats(project: Path, run) -> None:
    """brand.yaml's logo alt is what a screen reader says (as 'Logo of {name}'), not the board's name."""
    import docx

    brand = project / "branding" / "lancashire" / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(text.replace("  alt: Lancashire Safeguarding Children Board", "  alt: LSCB, a red square", 1),
                     encoding="utf-8")
    assert run("build", "packs/lancashire-7mb.yaml").exit_code == 0
    out = project / "output" / "lancashire"
    word = docx.Document(str(out / "lancashire-7mb.docx")).sections[0].first_page_header._element
    assert word.xpath(".//wp:docPr/@descr") == ["Logo of LSCB, a red square"]
    assert "Logo of LSCB, a red square" in structure_alts(out / "lancashire-7mb.pdf")


def test_fonts_in_the_brand_folder(project: Path, run) -> None:
    house_fonts(project)
    assert run("brand", "check", "gloucestershire").exit_code == 0
    assert run("build", "packs/gloucestershire-8-lessons.yaml", "--format", "pdf").exit_code == 0
    from conftest import pdf_runs
    fonts = {font for font, _ in pdf_runs(project / "output" / "gloucestershire" / "gloucestershire-8-lessons.pdf")}
    assert any("PTSans" in f.replace("_", "") for f in fonts)


def test_local_procedures_are_printed_with_their_address(project: Path, run) -> None:
    assert run("build", "packs/lancashire-7mb.yaml").exit_code == 0
    out = project / "output" / "lancashire"
    line = ("LSCB guidance – Resolving Professional Disagreement: "
            "www.lancashiresafeguarding.org.uk/resolving-professional-disagreement")
    assert line in norm(pdf_text(out / "lancashire-7mb.pdf"))
    assert line in norm(docx_text(out / "lancashire-7mb.docx"))
    assert run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb").exit_code == 0
    assert "lancashiresafeguarding.org.uk/resolving" not in pdf_text(project / "output" / "bscb" / "lancashire-7mb.pdf")


def test_brand_check_without_a_name_checks_every_brand(project: Path, run) -> None:
    result = run("brand", "check")
    assert result.exit_code == 0
    assert [line for line in result.stdout.splitlines() if line.startswith("brand '")] == [
        f"brand '{name}': 15 checks passed, 0 failed" for name in ("bscb", "default", "gloucestershire", "lancashire")]


@needs("pdftoppm")
def test_a_tinted_background_is_painted_on_every_page(project: Path, run, tmp_path: Path) -> None:
    from PIL import Image
    brand = project / "branding" / "bscb" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("palette:\n", "palette:\n  background: '#fdf8ee'\n"),
                     encoding="utf-8")
    assert run("brand", "check", "bscb").exit_code == 0
    assert run("build", "packs/bscb-key-learning-2014.yaml", "--format", "pdf").exit_code == 0
    subprocess.run(["pdftoppm", "-png", "-r", "20", str(project / "output" / "bscb" / "bscb-key-learning-2014.pdf"),
                    str(tmp_path / "p")], check=True)
    for page in sorted(tmp_path.glob("p*.png")):
        assert Image.open(page).convert("RGB").getpixel((2, 2)) == (0xfd, 0xf8, 0xee)
    assert run("build", "packs/bscb-key-learning-2014.yaml", "--format", "docx").exit_code == 0
    import docx
    document = docx.Document(str(project / "output" / "bscb" / "bscb-key-learning-2014.docx"))
    assert document.element.xpath("./w:background/@w:color") == ["FDF8EE"]
    order = [child.tag.rsplit("}", 1)[1] for child in document.settings.element]
    assert order.index("zoom") < order.index("displayBackgroundShape") < order.index("proofState")


def three_levels(project: Path) -> Path:
    """Learning points whose lesson's points have points of their own: lesson, point, point's point."""
    pack = project / "packs" / "three-levels.yaml"
    pack.write_text("kind: learning-points\ntitle: Three levels\ndate: '2024'\nbrand: lancashire\n"
                    "sections:\n  - label: One\n    lessons: [training-for-evasive-parents]\n", encoding="utf-8")
    return pack


def bullet_styles(path: Path) -> dict[str, str]:
    import docx

    return {p.text: p.style.name for p in docx.Document(str(path)).paragraphs if p.style.name.startswith("List")}


def test_a_third_level_of_bullets_is_a_third_level_in_word(project: Path, run) -> None:
    """The PDF draws a numbered lesson's points' points a level further in; Word put them in List Bullet 2 with
    the points above them. They are in List Bullet 3 (Word's own template has it as a list, indented further)."""
    import pdfplumber

    three_levels(project)
    result = run("build", "three-levels", "--brand", "lancashire")
    assert result.exit_code == 0, result.output
    styles = bullet_styles(project / "output" / "lancashire" / "three-levels.docx")
    assert styles["Key themes of learning are:"] == "List Bullet 2"
    assert styles["Importance of resolving barriers to engaging with families"] == "List Bullet 3"
    assert styles["Working with fathers who have previous convictions of violence"] == "List Bullet 3"
    with pdfplumber.open(project / "output" / "lancashire" / "three-levels.pdf") as pdf:
        words = [w for page in pdf.pages for w in page.extract_words()]
    x = {w["text"]: w["x0"] for w in words}
    assert x["Key"] < x["Importance"], "the PDF draws the third level further in"


def test_a_house_template_without_a_third_level_keeps_it_at_the_second(project: Path, run) -> None:
    import docx

    template = docx.Document()
    style = template.styles["List Bullet 3"].element
    style.getparent().remove(style)
    template.save(project / "branding" / "lancashire" / "house.docx")
    brand = project / "branding" / "lancashire" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "word_template: house.docx\n", encoding="utf-8")
    three_levels(project)
    result = run("build", "three-levels", "--brand", "lancashire", "--format", "docx")
    assert result.exit_code == 0, result.output
    styles = bullet_styles(project / "output" / "lancashire" / "three-levels.docx")
    assert styles["Importance of resolving barriers to engaging with families"] == "List Bullet 2"
    assert "List Bullet 3" not in styles.values()


def test_word_contacts_are_apart_as_in_the_pdf(project: Path, run) -> None:
    """Each contact in the Word contacts box after the first starts 12 pt below the one before (the PDF's rows
    are apart by their padding); they ran on from one another."""
    import docx
    from docx.shared import Pt

    result = run("build", "gloucestershire-8-lessons", "--format", "docx")
    assert result.exit_code == 0, result.output
    path = project / "output" / "gloucestershire" / "gloucestershire-8-lessons.docx"
    paragraphs = docx.Document(str(path)).paragraphs
    names = [p for p in paragraphs if p.text in ("Safeguarding Children Service", "Local procedures")]
    assert [(p.text, p.paragraph_format.space_before) for p in names] == [
        ("Safeguarding Children Service", None), ("Local procedures", Pt(12))]
