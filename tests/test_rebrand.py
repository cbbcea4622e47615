"""Rebranding without sending staff to another board: references, procedures, the leak check, credit, words."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import docx_text, norm, pdf_text, structure_alts


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_references_say_what_the_brand_built_in_has(project: Path, run) -> None:
    assert run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb").exit_code == 0
    assert run("build", "packs/lancashire-7mb.yaml", "--format", "docx").exit_code == 0
    own = norm(docx_text(project / "output" / "lancashire" / "lancashire-7mb.docx"))
    assert "familiar with the LSCB guidance – Resolving Professional Disagreement, and have the confidence" in own
    assert "like the Lancashire Continuum of Need and Threshold Guidance when working jointly" in own
    for text in (norm(docx_text(project / "output" / "bscb" / "lancashire-7mb.docx")),
                 norm(pdf_text(project / "output" / "bscb" / "lancashire-7mb.pdf"))):
        assert "familiar with the BSCB Escalation Policy, and have the confidence" in text
        assert "like the BSCB Threshold Guidance when working jointly" in text


def test_a_procedure_reference_is_a_link_in_both_formats(project: Path, run) -> None:
    import docx
    from pypdf import PdfReader

    assert run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb").exit_code == 0
    out = project / "output" / "bscb"
    rels = docx.Document(str(out / "lancashire-7mb.docx")).part.rels.values()
    targets = {r.target_ref for r in rels if r.reltype.endswith("/hyperlink")}
    assert "https://www.example.org/bscb/threshold-guidance" in targets
    uris = {a["/A"].get("/URI") for page in PdfReader(out / "lancashire-7mb.pdf").pages
            for a in (x.get_object() for x in page.get("/Annots", []))}
    assert "https://www.example.org/bscb/threshold-guidance" in uris


def test_an_unknown_reference_says_where_and_what_was_meant(project: Path, run) -> None:
    edit(project / "packs" / "library" / "lessons.yaml", "{procedure:thresholds}", "{proceedure:thresholds}")
    edit(project / "packs" / "national-scr-precis.yaml", "{board_short}", "{bord_short}")
    result = run("build", "--all")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "packs/library/lessons.yaml:73:71: 'text' in lesson 'caf-continuum-of-need': unknown reference "
        "'{proceedure:thresholds}' (did you mean 'procedure'?) — use one of: {board}, {board_short}, "
        "{review_type}, {procedure:ID}; write \\{ for a literal brace",
        "packs/national-scr-precis.yaml:23:16: 'text' in section 02: unknown reference '{bord_short}' "
        "(did you mean 'board_short'?) — use one of: {board}, {board_short}, {review_type}, {procedure:ID}; "
        "write \\{ for a literal brace",
        "2 problems found; nothing was written.",
    ]


def test_a_brand_without_a_procedure_the_pack_refers_to_is_named(project: Path, run) -> None:
    new_brands(project, run, {"north-somerset": ("escalaton",)})
    result = run("build", "packs/lancashire-7mb.yaml", "--brand", "north-somerset")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "packs/library/lessons.yaml:65:79: branding/north-somerset/brand.yaml has no procedure 'escalation' "
        "(did you mean 'escalaton'?) — add it under procedures:",
        "packs/library/lessons.yaml:73:71: branding/north-somerset/brand.yaml has no procedure 'thresholds' "
        "— add it under procedures:",
        "2 problems found; nothing was written.",
    ]
    assert not (project / "output").exists()


def new_brands(project: Path, run, procedures: dict[str, tuple[str, ...]]) -> None:
    """New brands, each with just the procedures given."""
    for name, ids in procedures.items():
        assert run("brand", "new", name).exit_code == 0
        brand = project / "branding" / name / "brand.yaml"
        text = brand.read_text(encoding="utf-8")
        brand.write_text(text[:text.index("procedures:")] + "procedures:\n" + "".join(
            f"  - id: {p}\n    title: {p}\n    url: https://www.example.org/{p}\n" for p in ids),
            encoding="utf-8")


def test_each_brand_is_told_the_procedures_it_lacks(project: Path, run) -> None:
    # The references a pack makes are found once for all its brands; each brand is judged by its own procedures.
    new_brands(project, run, {"north-somerset": ("escalation", "thresholds"), "south-somerset": ("thresholds",)})
    result = run("build", "packs/lancashire-7mb.yaml", "--brand", "north-somerset", "--brand", "south-somerset")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "packs/library/lessons.yaml:65:79: branding/south-somerset/brand.yaml has no procedure 'escalation' "
        "— add it under procedures:",
        "1 problem found; nothing was written.",
    ]


def test_every_brand_is_told_the_procedures_it_lacks_in_one_run(project: Path, run) -> None:
    # One brand's missing procedure does not hide another's: a board building for several hears of all at once.
    new_brands(project, run, {"north-somerset": ("escalation",), "south-somerset": ("thresholds",)})
    result = run("build", "packs/lancashire-7mb.yaml", "--brand", "north-somerset", "--brand", "south-somerset")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "packs/library/lessons.yaml:65:79: branding/south-somerset/brand.yaml has no procedure 'escalation' "
        "— add it under procedures:",
        "packs/library/lessons.yaml:73:71: branding/north-somerset/brand.yaml has no procedure 'thresholds' "
        "— add it under procedures:",
        "2 problems found; nothing was written.",
    ]


def test_a_brace_can_be_written(project: Path, run) -> None:
    edit(project / "packs" / "lancashire-7mb.yaml", "title: Themes from Serious Case Reviews",
         "title: Themes from \\{board} reviews in {board}\nintro: Literal \\{board} and {review_type}s.")
    assert run("build", "packs/lancashire-7mb.yaml", "--format", "docx").exit_code == 0
    text = norm(docx_text(project / "output" / "lancashire" / "lancashire-7mb.docx"))
    assert "Themes from {board} reviews in Lancashire Safeguarding Children Board" in text
    assert "Literal {board} and Serious Case Reviews." in text


# What names each example board: its name, short name, aliases and the domains of its addresses.
IDENTITY = {
    "default": ["Local Safeguarding Children Partnership", "LSCP"],
    "lancashire": ["Lancashire", "Lancs", "LSCB", "lancashiresafeguarding", "lancshiresafeguarding",
                   "proceduresonline"],
    "gloucestershire": ["Gloucestershire", "Gloucester", "GSCB", "gscb.org.uk"],
    "bscb": ["BSCB"],
}


def compact(text: str) -> str:
    """*text* without spaces and hyphens: a line broken inside an address or a word reads the same."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


def test_every_example_rebuilt_in_every_other_brand_names_no_other_board(project: Path, run) -> None:
    """Every example pack in every example brand, its kit and its large-print edition: the text a reader
    sees (body, tables, headers, footers), the files' properties and what their links say they do."""
    import docx
    from pypdf import PdfReader

    from conftest import docx_header_footer_text
    from test_brands import citations

    for extra in ("--kit", "--large-print"):
        result = run("build", "--all", "--brand", "all", extra, "--strict", "-q")
        assert (result.exit_code, result.stderr) == (0, "")  # no leak warning, no note
    checked = run("check", "--brand", "all", "--strict")
    assert (checked.exit_code, checked.stderr) == (0, "")
    allowed = sorted((compact(norm(c)) for c in citations(project)), key=len, reverse=True)
    outputs = sorted((project / "output").rglob("*.docx"))
    assert len(outputs) == 5 * 4 * 3
    for path in outputs:
        brand, pack = path.parent.name, path.stem
        core = docx.Document(str(path)).core_properties
        pdf = PdfReader(path.with_suffix(".pdf"))
        said = link_descriptions(path.with_suffix(".pdf"), path)
        for name, text, properties in (
                ("docx", docx_text(path) + "\n" + docx_header_footer_text(path),
                 [core.title, core.subject, core.author, core.keywords, *said[1]]),
                ("pdf", pdf_text(path.with_suffix(".pdf")), [str(v) for v in (pdf.metadata or {}).values()]
                 + list(said[0]))):
            text = norm(text)
            text = text[:text.rindex("Sources")] if "Sources" in text else text
            text = re.sub(r"Adapted from a briefing by [^,]*, (\w+ )?\d{4}", "", text)  # the credit line
            text = compact(text + "|" + norm(" ".join(properties)))
            for citation in allowed:
                text = text.replace(citation, "")
            for other, names in IDENTITY.items():
                if other != brand:
                    found = [n for n in names if compact(n) in text]
                    assert found == [], f"{brand}/{pack}.{name} names {other}: {found}"


LEAK = ("packs/library/lessons.yaml:74:24: 'Lancashire' is a name of another board (brand 'lancashire'), in a "
        "document for 'bscb' — write a board reference instead ({board}, {board_short}, {review_type} or "
        "{procedure:ID}), or quote it as background from the source (a section's 'sources:')")


def test_another_board_named_in_a_lesson_is_a_warning_with_its_line(project: Path, run) -> None:
    edit(project / "packs" / "library" / "lessons.yaml", "jointly on complex cases. Professionals",
         "jointly with the Lancashire Continuum of Need. Professionals")
    result = run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--format", "docx")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == ["warning: " + LEAK]
    assert (project / "output" / "bscb" / "lancashire-7mb.docx").exists()
    assert run("build", "packs/lancashire-7mb.yaml", "--format", "docx").stderr == ""  # its own board


def test_strict_makes_a_warning_an_error_and_writes_nothing(project: Path, run) -> None:
    edit(project / "packs" / "library" / "lessons.yaml", "jointly on complex cases. Professionals",
         "jointly with the Lancashire Continuum of Need. Professionals")
    result = run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [LEAK, "1 problem found; nothing was written."]
    assert not (project / "output").exists()
    result = run("check", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--strict")
    assert result.exit_code == 1 and result.stderr.splitlines()[0] == LEAK


def test_the_leak_check_passes_over_sources_and_a_quoted_summary(project: Path, run) -> None:
    # The 7-minute briefing's background is the Lancashire reviews' own summary: a fact about the source.
    result = run("build", "packs/lancashire-7mb.yaml", "--brand", "gloucestershire", "--format", "docx")
    assert result.exit_code == 0 and result.stderr == ""
    text = docx_text(project / "output" / "gloucestershire" / "lancashire-7mb.docx")
    assert "Lancashire Safeguarding Children Board (LSCB) regularly conducts" in norm(text)


def test_a_domain_of_another_board_is_found_in_a_link(project: Path, run) -> None:
    edit(project / "packs" / "lancashire-7mb.yaml", "title: Themes from Serious Case Reviews",
         "title: Themes from Serious Case Reviews\nintro: See [our site](https://www.gscb.org.uk/reviews).")
    result = run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--format", "docx")
    assert result.stderr.splitlines() == [
        "warning: packs/lancashire-7mb.yaml:4:35: 'gscb.org.uk' is a web or email address of another board (brand "
        "'gloucestershire'), in a document for 'bscb' — write a board reference instead ({board}, {board_short}, "
        "{review_type} or {procedure:ID}), or quote it as background from the source (a section's 'sources:')"]


CREDIT = "Adapted from a briefing by Lancashire Safeguarding Children Board, January 2017"


def test_a_pack_built_in_another_brand_credits_its_own_board(project: Path, run) -> None:
    assert run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb").exit_code == 0
    assert run("build", "packs/lancashire-7mb.yaml").exit_code == 0
    for brand, credited in (("bscb", True), ("lancashire", False)):
        out = project / "output" / brand
        for text in (norm(pdf_text(out / "lancashire-7mb.pdf")), norm(docx_text(out / "lancashire-7mb.docx"))):
            assert (CREDIT in text) is credited
            if credited:
                assert text.index(CREDIT) < text.index("Sources")
    edit(project / "packs" / "lancashire-7mb.yaml", "brand: lancashire", "brand: lancashire\ncredit: no")
    assert run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--format", "docx").exit_code == 0
    assert "Adapted from" not in docx_text(project / "output" / "bscb" / "lancashire-7mb.docx")


def cymru(project: Path) -> None:
    import shutil

    shutil.copytree(Path(__file__).parent / "fixtures" / "branding" / "cymru", project / "branding" / "cymru")


ENGLISH = ["7-minute briefing", "January", "March", "Page ", "Contacts", "Local procedures", "Sources",
           "Telephone", "Email:", "Website:", "About 5 minutes", "Adapted from", "Document control", "Version",
           "Draft", "DRAFT", "Owner", "Review date"]


def test_a_welsh_brand_gives_welsh_fixed_words_date_and_language(project: Path, run) -> None:
    import docx
    from pypdf import PdfReader

    from conftest import docx_header_footer_text

    cymru(project)
    # The pack's own section labels are its text, not fixed words: the brand's Welsh labels are used instead.
    pack = project / "packs" / "lancashire-7mb.yaml"
    pack.write_text(re.sub(r"  - label: [^\n]*\n    ", "  - ", pack.read_text(encoding="utf-8")), encoding="utf-8")
    edit(pack, "brand: lancashire", "brand: lancashire\nversion: '2'\nstatus: draft\nreview_date: 2027-03\n"
         "owner: Tîm Dysgu")
    result = run("build", "packs/lancashire-7mb.yaml", "--brand", "cymru")
    assert result.exit_code == 0, result.output
    out = project / "output" / "cymru"
    pdf = norm(pdf_text(out / "lancashire-7mb.pdf"))
    word = norm(docx_text(out / "lancashire-7mb.docx") + "\n" + docx_header_footer_text(out / "lancashire-7mb.docx"))
    for text in (pdf, word):
        for welsh in ("Briff 7 munud", "Ionawr 2017", "Cysylltiadau – Partneriaeth Diogelu Enghreifftiol",
                      "Ffôn: 01234 567890", "E-bost: diogelu@example.org", "Gwefan: www.example.org/cy",
                      "Gweithdrefnau lleol", "Ffynonellau", "Tua 5 munud i'w ddarllen",
                      "Addaswyd o friff gan Lancashire Safeguarding Children Board, Ionawr 2017",
                      "familiar with the Gweithdrefn datrys anghytundebau proffesiynol, and", "Cefndir",
                      "Cwestiynau i'w hystyried",
                      "Rheoli dogfen: Fersiwn 2 · Drafft · Perchennog: Tîm Dysgu · Dyddiad adolygu: Mawrth 2027"):
            assert welsh in text, welsh
        mine = text[:text.index("Ffynonellau")]
        mine = mine.replace("(published March 2016), Child LA (December 2016), Child KG (September 2016), child "
                            "LB (January 2017) and child LD (January 2017)", "")  # a source's own summary
        assert [w for w in ENGLISH if w in mine] == []
    assert "Tudalen 1 o 2" in pdf and "DRAFFT" in pdf  # both sides of one sheet of tiles
    assert PdfReader(out / "lancashire-7mb.pdf").trailer["/Root"]["/Lang"] == "cy"
    document = docx.Document(str(out / "lancashire-7mb.docx"))
    assert document.core_properties.language == "cy"
    lang = document.styles.element.find(".//" + docx.oxml.ns.qn("w:lang"))
    assert lang is not None and lang.get(docx.oxml.ns.qn("w:val")) == "cy"
    assert "Tudalen" in docx_header_footer_text(out / "lancashire-7mb.docx")


def test_a_pack_can_set_its_own_language(project: Path, run) -> None:
    from pypdf import PdfReader

    edit(project / "packs" / "lancashire-7mb.yaml", "brand: lancashire", "brand: lancashire\nlanguage: cy")
    assert run("build", "packs/lancashire-7mb.yaml", "--format", "pdf").exit_code == 0
    path = project / "output" / "lancashire" / "lancashire-7mb.pdf"
    assert PdfReader(path).trailer["/Root"]["/Lang"] == "cy"
    assert "Ionawr 2017" in pdf_text(path)  # Welsh month names are built in


def test_a_board_keeps_its_own_contacts_in_its_brand_folder(project: Path, run) -> None:
    (project / "branding" / "bscb" / "contacts.yaml").write_text(
        "contacts:\n  - id: bscb-team\n    name: BSCB Business Unit\n    phone: 0117 000 0000\n", encoding="utf-8")
    edit(project / "branding" / "bscb" / "brand.yaml", "footer: BSCB", "contacts:\n  - bscb-team\n"
         "  - lancashire-scp\n  - id: bscb-training\n    name: BSCB Training\n    email: training@example.org\n"
         "footer: BSCB")
    assert run("build", "packs/bscb-key-learning-2014.yaml", "--format", "docx").exit_code == 0
    text = norm(docx_text(project / "output" / "bscb" / "bscb-key-learning-2014.docx"))
    assert ("BSCB Business Unit Telephone: 0117 000 0000 Lancashire Safeguarding Children Board Website: "
            "www.lancshiresafeguarding.org.uk BSCB Training Email: training@example.org") in text
    edit(project / "branding" / "bscb" / "brand.yaml", "  - bscb-team\n", "  - bscb-teem\n")
    result = run("brand", "check", "bscb")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "branding/bscb/brand.yaml:21:5: unknown contact 'bscb-teem' (did you mean 'bscb-team'?) — use a contact "
        "id from packs/library/contacts.yaml or the brand's own contacts.yaml, or add it there")


def test_brand_check_lists_procedures_the_library_refers_to_that_the_brand_lacks(project: Path, run) -> None:
    edit(project / "branding" / "bscb" / "brand.yaml", "  - id: thresholds\n    title: BSCB Threshold Guidance\n"
         "    url: https://www.example.org/bscb/threshold-guidance\n", "")
    result = run("brand", "check", "bscb")
    assert result.exit_code == 1
    assert ("FAIL  procedures: packs/library/lessons.yaml:73:71: branding/bscb/brand.yaml has no procedure "
            "'thresholds' — add it under procedures:") in result.stdout.splitlines()
    assert run("brand", "check", "lancashire").exit_code == 0


def test_brand_check_checks_partner_logos(project: Path, run) -> None:
    from PIL import Image

    Image.new("RGB", (60, 20), "white").save(project / "branding" / "bscb" / "police.png")
    edit(project / "branding" / "bscb" / "brand.yaml", "footer: BSCB", "partners:\n"
         "  - {file: police.png, alt: Constabulary}\nfooter: BSCB")
    result = run("brand", "check", "bscb")
    assert result.exit_code == 1
    assert ("FAIL  partner logo: police.png (Constabulary): 60×20 pixels, 45 dpi at 11 mm tall — use an image "
            "at least 67 pixels tall") in result.stdout.splitlines()


def test_a_welsh_brand_describes_its_figures_in_welsh_in_both_formats(project: Path, run) -> None:
    import docx

    cymru(project)
    assert run("build", "packs/ten-principles.yaml", "--brand", "cymru").exit_code == 0
    out = project / "output" / "cymru"
    qr = "Cod QR ar gyfer virtual-college.co.uk/courses/safeguarding/learning-from-serious-case-reviews"
    alts = structure_alts(out / "ten-principles.pdf")
    assert {"Logo Partneriaeth Diogelu Enghreifftiol", qr} <= alts
    assert any(a.startswith("Siart bar: ") for a in alts)
    document = docx.Document(str(out / "ten-principles.docx"))
    described = [e.get("descr") for e in document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert qr in described and any(d.startswith("Siart bar: ") for d in described)


# A rebuild with nothing to do says what the build said: the same warnings, and --strict fails the same way.

def test_an_up_to_date_rebuild_warns_and_fails_strict_as_the_first_build(project: Path, run) -> None:
    edit(project / "packs" / "library" / "lessons.yaml", "jointly on complex cases. Professionals",
         "jointly with the Lancashire Continuum of Need. Professionals")
    first = run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb")
    assert first.exit_code == 0 and first.stderr.splitlines() == ["warning: " + LEAK]
    out = project / "output" / "bscb"
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb")
    assert again.stdout == "nothing to do: all 2 files in output/ are up to date\n"
    assert again.stderr == first.stderr
    strict = run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--strict")
    assert (strict.exit_code, strict.stdout) == (1, "")
    assert strict.stderr.splitlines() == [LEAK, "1 problem found; nothing was written."]
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    checked = run("check", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--strict")
    assert checked.exit_code == 1 and checked.stderr.splitlines() == [LEAK, "1 problem found."]


def test_a_skipped_pair_warns_beside_a_rebuilt_one(project: Path, run) -> None:
    edit(project / "packs" / "library" / "lessons.yaml", "jointly on complex cases. Professionals",
         "jointly with the Lancashire Continuum of Need. Professionals")
    packs = ("packs/lancashire-7mb.yaml", "packs/ten-principles.yaml")
    first = run("build", *packs, "--brand", "bscb", "--format", "docx")
    assert first.stderr.splitlines() == ["warning: " + LEAK]
    edit(project / "packs" / "ten-principles.yaml", "title: ", "title: The ")
    again = run("build", *packs, "--brand", "bscb", "--format", "docx")
    assert again.stdout.splitlines() == ["wrote output/bscb/ten-principles.docx",
                                         "1 file in output/ already up to date"]
    assert again.stderr == first.stderr


def test_a_new_brand_is_looked_for_in_documents_already_built(project: Path, run) -> None:
    assert run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--format", "docx").stderr == ""
    (project / "branding" / "fathers-board").mkdir()
    (project / "branding" / "fathers-board" / "brand.yaml").write_text(
        "name: Fathers Board\nshort_name: FB\naliases: [fathers]\n", encoding="utf-8")
    result = run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--format", "docx")
    assert result.exit_code == 0
    said = ("'fathers' is a name of another board (brand 'fathers-board'), in a document for 'bscb' — write a "
            "board reference instead ({board}, {board_short}, {review_type} or {procedure:ID}), or quote it as "
            "background from the source (a section's 'sources:')")
    assert result.stderr.splitlines() == [f"warning: {where}: {said}" for where in (
        "packs/lancashire-7mb.yaml:14:15", "packs/lancashire-7mb.yaml:23:9", "packs/library/lessons.yaml:4:12",
        "packs/library/lessons.yaml:6:32")]
    # Another brand's looks are not what the leak check reads: nothing is built again for them.
    edit(project / "branding" / "fathers-board" / "brand.yaml", "aliases: [fathers]",
         "aliases: [fathers]\n# a comment\npalette:\n  primary: '#123456'")
    again = run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--format", "docx")
    assert again.stdout == "nothing to do: the 1 file in output/ is up to date\n"
    assert again.stderr == result.stderr



def test_a_brand_that_keeps_its_parents_name_is_the_same_board(project: Path, run) -> None:
    edit(project / "packs" / "library" / "lessons.yaml", "jointly on complex cases. Professionals",
         "jointly with the Lancashire Continuum of Need. Professionals")
    # Lancashire's large-type house style: another look, the same board, so its names are no leak in it.
    (project / "branding" / "lancashire-letter").mkdir()
    (project / "branding" / "lancashire-letter" / "brand.yaml").write_text(
        "extends: lancashire\npage_size: Letter\n", encoding="utf-8")
    result = run("build", "packs/lancashire-7mb.yaml", "--brand", "lancashire-letter", "--format", "docx",
                 "--strict")
    assert (result.exit_code, result.stderr) == (0, "")
    assert "Adapted from" not in docx_text(project / "output" / "lancashire-letter" / "lancashire-7mb.docx")
    # … and in another board's document it is one board, named once.
    result = run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--format", "docx")
    assert result.stderr.splitlines() == ["warning: " + LEAK]


def test_a_brand_with_its_own_name_does_not_inherit_its_parents_identity(project: Path, run) -> None:
    # North Somerset starts from the BSCB brand for its look: BSCB's names are another board's in it.
    edit(project / "branding" / "bscb" / "brand.yaml", "short_name: BSCB", "short_name: BSCB\naliases: [fathers]")
    (project / "branding" / "north-somerset").mkdir()
    (project / "branding" / "north-somerset" / "brand.yaml").write_text(
        "extends: bscb\nname: North Somerset Safeguarding Children Partnership\nshort_name: NSSCP\n"
        "footer: NSSCP\nprocedures:\n  - {id: escalation, title: Escalation, url: 'https://www.example.org/e'}\n"
        "  - {id: thresholds, title: Thresholds, url: 'https://www.example.org/t'}\n", encoding="utf-8")
    result = run("build", "packs/lancashire-7mb.yaml", "--brand", "north-somerset", "--format", "docx")
    assert result.exit_code == 0
    assert "warning: packs/library/lessons.yaml:4:12: 'fathers' is a name of another board (brand 'bscb'), in a " \
           "document for 'north-somerset'" in result.stderr


KIT_WORDS = """  words:
    kit: Team briefing pack
    kit_record: Record of the meeting
    kit_name: Full name
    kit_attendee: "Person {row}: {part}"
    kit_rating: Was it useful?
    link_open: Visit {address}
    link_email: Write to {address}
"""


def link_descriptions(pdf: Path, docx_path: Path) -> tuple[set[str], set[str]]:
    """What the PDF's link annotations (/Contents) and the Word file's links (screen tips) say they do."""
    from pypdf import PdfReader

    annotations = (a.get_object() for page in PdfReader(pdf).pages for a in page.get("/Annots", []))
    said = {str(a["/Contents"]) for a in annotations if a["/Subtype"] == "/Link"}
    xml = zipfile_text(docx_path, "word/document.xml")
    return said, set(re.findall(r'w:tooltip="([^"]*)"', xml))


def zipfile_text(path: Path, member: str) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(member).decode("utf-8")


def test_the_kit_and_the_link_descriptions_are_the_boards_words(project: Path, run) -> None:
    from pypdf import PdfReader

    edit(project / "branding" / "bscb" / "brand.yaml", "    - Questions\n", "    - Questions\n" + KIT_WORDS)
    assert run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--kit").exit_code == 0
    out = project / "output" / "bscb"
    kit_pdf, kit_docx = out / "lancashire-7mb-kit.pdf", out / "lancashire-7mb-kit.docx"
    for text in (norm(pdf_text(kit_pdf)), norm(docx_text(kit_docx))):
        for word in ("Team briefing pack", "Record of the meeting", "Full name", "Was it useful?"):
            assert word in text, word
        assert "Team record" not in text and "How useful was this briefing" not in text
    fields = PdfReader(kit_pdf).get_fields()
    assert fields is not None
    assert (fields["attendee_3_name"]["/TU"], fields["rating"]["/TU"]) == ("Person 3: full name", "Was it useful?")
    for said in link_descriptions(out / "lancashire-7mb.pdf", out / "lancashire-7mb.docx"):
        assert "Visit https://www.example.org/bscb/escalation-policy" in said
        assert not [s for s in said if s.startswith("Open ")]


def test_a_kit_in_the_boards_words_saved_without_its_tags_is_still_collected(project: Path, run) -> None:
    """LibreOffice keeps a content control's title, not its tag: the title is read in the kit brand's words."""
    from test_returns import fill_docx

    edit(project / "branding" / "bscb" / "brand.yaml", "    - Questions\n", "    - Questions\n" + KIT_WORDS)
    assert run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--kit", "--format", "docx").exit_code == 0
    filled = project / "returns" / "kit.docx"
    fill_docx(project / "output" / "bscb" / "lancashire-7mb-kit.docx", filled,
              {"team": "Early Help", "attendee_1_name": "Kim Lee", "attendee_2_name": "Raj Shah"})
    import zipfile

    with zipfile.ZipFile(filled) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["word/document.xml"] = re.sub(rb"<w:tag [^>]*/>", b"", parts["word/document.xml"])
    with zipfile.ZipFile(filled, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    result = run("returns", "returns", "--out", "returns.csv")
    assert result.exit_code == 0, result.output
    row = (project / "returns.csv").read_text(encoding="utf-8-sig").splitlines()[1].split(",")
    assert row[1:8] == ["lancashire-7mb", "bscb", "1", "", "Early Help", "", "2"]


def test_a_welsh_kit_has_welsh_dates_logo_and_link_descriptions(project: Path, run) -> None:
    cymru(project)
    assert run("build", "packs/lancashire-7mb.yaml", "--brand", "cymru", "--kit").exit_code == 0
    out = project / "output" / "cymru"
    for text in (norm(pdf_text(out / "lancashire-7mb-kit.pdf")), norm(docx_text(out / "lancashire-7mb-kit.docx"))):
        assert "Ionawr 2017" in text and "January 2017" not in text
    assert "Logo Partneriaeth Diogelu Enghreifftiol" in structure_alts(out / "lancashire-7mb-kit.pdf")
    for said in link_descriptions(out / "lancashire-7mb.pdf", out / "lancashire-7mb.docx"):
        assert said and all(s.startswith(("Agor ", "E-bost ", "Ffôn ")) for s in said), said


def test_a_welsh_kit_has_no_english_words_of_its_own(project: Path, run) -> None:
    # The Welsh brand translated none of the kit's words, nor what a kit calls its pack (the kit_pack_… words): its
    # kits were English but for their dates. Now no English word of the kit is left, in any kind's kit, and the
    # fields' Welsh titles are read back by returns. What is left in English is the pack's own text.
    from briefpack import kit
    from briefpack.returns import _ProjectWords
    from briefpack.words import MAY_USE, PLACEHOLDERS, WORDS, pieces

    cymru(project)
    packs = {"lancashire-7mb": "briff", "gloucestershire-8-lessons": "daflen", "ten-principles": "daflen hyfforddi",
             "national-scr-precis": "pecyn crynodeb", "bscb-key-learning-2014": "pecyn pwyntiau dysgu"}
    assert run("build", *packs, "--brand", "cymru", "--kit").exit_code == 0
    english = {piece.strip(" .:") for key, word in WORDS.items() if key.startswith("kit") or key == "link_section"
               for is_placeholder, piece in pieces(word, *(p.strip("{}") for p in PLACEHOLDERS.get(key, ())
                                                           + MAY_USE.get(key, ()))) if not is_placeholder}
    # 's' of '{seconds} s' is part of many a word, and kit_subject's 'from' (not printed) of the title 'Themes from …'
    english = {e for e in english if len(e) >= 3} - {"from"}
    assert {"Team meeting kit", "briefing", "leaflet", "handout", "précis pack", "learning points pack", "(from",
            "min", "words)"} <= english
    out = project / "output" / "cymru"
    for pack, it in packs.items():
        path = out / f"{pack}-kit"
        for text in (norm(pdf_text(path.with_suffix(".pdf"))), norm(docx_text(path.with_suffix(".docx")))):
            for welsh in (f"Cyflwynwch y {it}, cofnodwch y cyfarfod", f"Darllenwch y {it} eich hun",
                          f"mae'r {it} i gyd (", f"sut y gweithiodd y {it} i'ch tîm", "Pecyn cyfarfod tîm"):
                assert welsh in text, (pack, welsh)
            assert sorted(e for e in english if re.search(rf"(?<!\w){re.escape(e)}(?!\w)", text)) == [], pack
    words = _ProjectWords().of("cymru")
    assert words is not None
    assert [kit.field_of_title(title, words) for title in (
        "Pa mor ddefnyddiol oedd y daflen i'ch tîm?", "Mynychwr 3: asiantaeth", "Cam gweithredu 2: erbyn pryd",
        "Tîm neu wasanaeth")] == ["rating", "attendee_3_agency", "action_2_by", "team"]


def _pattern_as_written(text: str, address: bool) -> re.Pattern[str]:
    """The leak check's term pattern with its look behind in front, as it was first written."""
    if address:
        return re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])", re.IGNORECASE)
    words = r"\s+".join(re.escape(w) for w in text.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", 0 if text.isupper() else re.IGNORECASE)


def test_a_terms_pattern_finds_what_a_look_behind_in_front_finds() -> None:
    from briefpack.leaks import _pattern

    terms = [("LSCB", False), ("Board 5 · Lancashire Safeguarding Children Board", False), ("Gloucester", False),
             ("C.S.C.B.", False), ("(BSCB)", False), ("Ysgol Gymraeg", False), ("Straße", False),
             ("gscb.org.uk", True), ("x-y.gov.uk", True)]
    texts = ["LSCB", "the LSCB.", "xLSCB LSCB_ LSCB-x lscb", "Board 5 ·\nLancashire  safeguarding children BOARD,",
             "Board 5 · Lancashire Safeguarding Children Boards", "aBoard 5 · Lancashire Safeguarding Children Board",
             "Gloucestershire, gloucester; GLOUCESTER's _Gloucester 9Gloucester é Gloucester",
             "C.S.C.B. xC.S.C.B. C.S.C.B.x .C.S.C.B.", "a(BSCB) (BSCB)b (BSCB) ((BSCB))", "ysgol  gymraeg",
             "STRASSE straße Straße", "www.gscb.org.uk a@gscb.org.uk -gscb.org.uk gscb.org.uk- xgscb.org.uk "
             "gscb.org.uk.", "x-y.gov.uk ax-y.gov.uk -x-y.gov.uk X-Y.GOV.UK", ""]
    for text, address in terms:
        new, old = _pattern(text, address), _pattern_as_written(text, address)
        for said in texts + [f"{t} {text} {t}" for t in texts] + [text, f"-{text}", f"{text}-", f"a{text}a"]:
            assert [m.span() for m in new.finditer(said)] == [m.span() for m in old.finditer(said)], (text, said)
            assert new.sub(" ", said) == old.sub(" ", said), (text, said)
