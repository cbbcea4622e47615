"""Validation happens once, on the text YAML decoded, while the file and line are still known (issue 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import docx_text, found, house_fonts, pdf_text

PACK = "packs/lancashire-7mb.yaml"
CONTROL = "cannot appear in a document — delete it (it often comes from pasting out of another program)"


def replace_line(path: Path, start: str, new: str) -> int:
    """Replace the first line of *path* starting with *start* by *new*; return its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(start))
    lines[number] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


FIELDS = [
    pytest.param(PACK, "title:", 'title: "Themes{}from reviews"', 8, id="pack-title"),
    pytest.param("packs/library/lessons.yaml", "    title: Fathers", '    title: "Fa{}thers"', 12,
                 id="lesson-title"),
    pytest.param("branding/lancashire/brand.yaml", "footer:", 'footer: "Lancashire{}7-minute briefing"', 9,
                 id="brand-footer"),
    pytest.param("packs/library/questions.yaml", "  - id: child-heard-safely", '  - id: "child{}heard"', 9,
                 id="an-id"),
]
ESCAPES = [("\\x0b", "000B"), ("\\x00", "0000"), ("\\e", "001B"), ("\\a", "0007"), ("\\uFFFF", "FFFF"),
           ("\\v", "000B"), ("\\N", "0085"), ("\\L", "2028"), ("\\P", "2029"), ("\\x85", "0085"),
           ("\\x9b", "009B"), ("\\U0010FFFF", "10FFFF")]


@pytest.mark.parametrize(("file", "start", "new", "column"), FIELDS)
@pytest.mark.parametrize(("escape", "code"), ESCAPES, ids=[e for e, _ in ESCAPES])
def test_a_control_character_written_as_an_escape_is_refused_in_any_field(
        project: Path, run, file: str, start: str, new: str, column: int, escape: str, code: str) -> None:
    number = replace_line(project / file, start, new.format(escape))
    result = run("build", PACK)
    assert result.exit_code == 1
    assert result.stderr == (f"{file}:{number}:{column}: character U+{code} {CONTROL}\n"
                             "1 problem found; nothing was written.\n")
    assert not (project / "output").exists()


@pytest.mark.parametrize(("escape", "code"), [("\\u202E", "202E"), ("\\u2066", "2066"), ("\\u202A", "202A"),
                                              ("\\u200F", "200F")])
def test_a_direction_control_is_refused(project: Path, run, escape: str, code: str) -> None:
    number = replace_line(project / PACK, "title:", f'title: "Themes {escape}from reviews"')
    result = run("build", PACK)
    assert result.exit_code == 1
    assert result.stderr == (f"{PACK}:{number}:8: character U+{code} (a direction control) cannot appear in a "
                             "document: Word and PDF readers would show the text in different orders — delete it; "
                             "briefings are written left to right\n1 problem found; nothing was written.\n")


def test_a_direction_control_typed_into_the_file_is_refused_where_it_is(project: Path, run) -> None:
    number = replace_line(project / PACK, "title:", "title: Themes \u202efrom reviews")
    result = run("build", PACK)
    assert result.stderr.splitlines()[0].startswith(f"{PACK}:{number}:15: character U+202E (a direction control)")
    assert "\u202e" not in result.stderr


SPACES = {"no-break": "\u00a0", "thin": "\u2009", "em": "\u2003", "ideographic": "\u3000",
          "narrow no-break": "\u202f"}


@pytest.mark.parametrize("brand", ["lancashire", "default"])
@pytest.mark.parametrize("name", list(SPACES))
def test_a_special_space_reaches_the_pdf_and_word_file_as_typed(project: Path, run, name: str, brand: str) -> None:
    space = SPACES[name]
    replace_line(project / PACK, "title:", f'title: "Mr\\u{ord(space):04X}Smith and 10\\u{ord(space):04X}000"')
    replace_line(project / "packs/library/lessons.yaml", "      Working proactively with fathers",
                 f"      Work{space}with fathers, and{space}")
    assert run("build", PACK, "--brand", brand).exit_code == 0
    for text in (docx_text(project / f"output/{brand}/lancashire-7mb.docx"),
                 pdf_text(project / f"output/{brand}/lancashire-7mb.pdf")):
        assert f"Mr{space}Smith and 10{space}000" in text
        assert f"Work{space}with fathers, and{space} and in" in text


def test_a_bad_colour_in_the_parent_brand_is_reported_by_build_and_brand_check(project: Path, run) -> None:
    number = replace_line(project / "branding/default/brand.yaml", "  text:", "  text: '#zz'")
    expected = (f"branding/default/brand.yaml:{number}:9: '#zz' is not a colour — write it as '#RRGGBB' in quotes, "
                "e.g. '#1d4f91'")
    result = run("build", PACK)
    assert result.exit_code == 1
    assert result.stderr == f"{expected}\n1 problem found; nothing was written.\n"
    result = run("brand", "check", "lancashire")
    assert result.exit_code == 1
    assert result.stderr == f"{expected}\n1 problem found.\n"


def test_a_parent_value_a_brand_overrides_is_still_checked(project: Path, run) -> None:
    number = replace_line(project / "branding/default/brand.yaml", "  muted:", "  muted: '#12345'")
    result = run("build", PACK)
    assert result.stderr == (f"branding/default/brand.yaml:{number}:10: '#12345' is not a colour — write it as "
                             "'#RRGGBB' in quotes, e.g. '#1d4f91'\n1 problem found; nothing was written.\n")



SHAPED = [("नमस्ते", "Devanagari", "न", "DEVANAGARI LETTER NA"), ("বাংলা", "Bengali", "ব", "BENGALI LETTER BA"),
          ("தமிழ்", "Tamil", "த", "TAMIL LETTER TA"), ("ภาษาไทย", "Thai", "ภ", "THAI CHARACTER PHO SAMPHAO"),
          ("ಕನ್ನಡ", "Kannada", "ಕ", "KANNADA LETTER KA"), ("ਪੰਜਾਬੀ", "Gurmukhi", "ਪ", "GURMUKHI LETTER PA")]


@pytest.mark.parametrize(("text", "script", "first", "name"), SHAPED, ids=[s[1] for s in SHAPED])
def test_a_script_that_needs_shaping_is_refused(project: Path, run, text: str, script: str, first: str,
                                                name: str) -> None:
    number = replace_line(project / "packs/library/lessons.yaml", "    title: Fathers", f"    title: Fathers {text}")
    result = run("build", PACK)
    assert result.exit_code == 1
    assert result.stderr == (
        f"packs/library/lessons.yaml:{number}:12: {script} text ('{first}', {name}) needs shaping that briefpack's "
        "PDF writer cannot do, so its letters would be drawn wrongly — keep briefings in scripts such as Latin, "
        "Greek or Cyrillic; put translations in a separate document\n1 problem found; nothing was written.\n")
    assert not (project / "output").exists()


def test_right_to_left_text_is_one_problem_per_text(project: Path, run) -> None:
    number = replace_line(project / "packs/library/lessons.yaml", "    title: Fathers", "    title: مرحبا بالعالم")
    result = run("build", PACK)
    assert result.stderr == (
        f"packs/library/lessons.yaml:{number}:12: right-to-left text ('م', ARABIC LETTER MEEM) is not supported "
        "yet — keep briefings in left-to-right scripts; put translations in a separate document\n"
        "1 problem found; nothing was written.\n")


def test_the_brands_own_text_is_checked_against_its_fonts(project: Path, run) -> None:
    number = replace_line(project / "branding/lancashire/brand.yaml", "footer:", "footer: Lancashire ♫ briefing")
    expected = (f"branding/lancashire/brand.yaml:{number}:9: character '♫' (U+266B BEAMED EIGHTH NOTES) is in "
                "neither the brand font (Lato) nor its fallback (Noto Sans) — replace it, or give the brand a "
                "'fallback' font that has it\n")
    assert run("build", PACK).stderr == expected + found("build")
    assert run("brand", "check", "lancashire").stderr == expected + found(("brand", "check"))


def test_brand_check_finds_a_contact_the_library_lacks(project: Path, run) -> None:
    number = replace_line(project / "branding/lancashire/brand.yaml", "contacts:", "contacts: [lancashire-scb]")
    result = run("brand", "check", "lancashire")
    assert result.exit_code == 1
    assert result.stderr == (f"branding/lancashire/brand.yaml:{number}:12: unknown contact 'lancashire-scb' (did "
                             "you mean 'lancashire-scp'?) — use a contact id from packs/library/contacts.yaml or "
                             "the brand's own contacts.yaml, or add it there\n1 problem found.\n")


def test_the_model_holds_no_positions() -> None:
    import dataclasses

    from briefpack import model

    for cls in (model.Pack, model.PackSection, model.Brand, model.Library):
        names = [f.name for f in dataclasses.fields(cls)]
        assert not [n for n in names if n.endswith("_at") or n == "nodes"], cls


def test_a_value_that_spans_lines_is_quoted_on_one_line(project: Path, run) -> None:
    number = replace_line(project / PACK, "      - child-heard-safely", "      - child-heard\n\n        - safely")
    result = run("build", PACK)
    assert result.stderr == (f"{PACK}:{number}:9: 'child-heard\\n- safely' is not a valid id — use lower-case "
                             "letters, digits and hyphens\n1 problem found; nothing was written.\n")


LONG = " ".join(["Kicker"] * 41) + "x"  # 287 characters: inside briefpack's 300, past Word's 255


def test_a_kicker_and_brand_name_longer_than_word_properties_hold(project: Path, run) -> None:
    import docx

    replace_line(project / PACK, "title:", f"kicker: {LONG}\nversion: {LONG}\ntitle: Themes from Serious Case Reviews")
    replace_line(project / "branding/lancashire/brand.yaml", "name:", f"name: {LONG}")
    result = run("build", PACK)
    assert result.exit_code == 0, result.output
    word = project / "output/lancashire/lancashire-7mb.docx"
    properties = docx.Document(str(word)).core_properties
    assert properties.author == " ".join(["Kicker"] * 36) + "…"
    assert len(properties.subject) <= 255 and properties.subject.endswith("…")
    assert properties.version == properties.author
    assert LONG in docx_text(word)
    assert LONG in " ".join(pdf_text(project / "output/lancashire/lancashire-7mb.pdf").split())


@pytest.mark.parametrize(("date", "why"), [
    ("0000", "'0000' has the year 0: briefpack takes years from 1900 to 2999"),
    ("0000-06", "'0000-06' has the year 0: briefpack takes years from 1900 to 2999"),
    ("0000-06-01", "'0000-06-01' has the year 0: briefpack takes years from 1900 to 2999"),
    ("1899-12", "'1899-12' has the year 1899: briefpack takes years from 1900 to 2999"),
    ("2017-13", "'2017-13' has no month 13: months run from 01 to 12"),
    ("2017-02-29", "'2017-02-29' has no day 29: February 2017 has 28 days"),
    ("Feb 2017", "'Feb 2017' is not a date"),
])
def test_a_date_that_is_not_one_says_why(project: Path, run, date: str, why: str) -> None:
    number = replace_line(project / PACK, "date:", f"date: {date}")
    result = run("build", PACK)
    assert result.exit_code == 1
    assert result.stderr == (f"{PACK}:{number}:7: {why} — write it as 2017-02 (a month) or "
                             "2017-02-14 (a day)\n1 problem found; nothing was written.\n")


def test_a_long_title_is_told_the_limit_that_applies(project: Path, run) -> None:
    number = replace_line(project / PACK, "title:", "title: " + "x" * 2000)
    result = run("build", PACK)
    assert result.stderr == (f"{PACK}:{number}:8: 'title' in the pack is 2,000 characters long, more than the 200 a "
                             "title may have — shorten it; put the rest in 'subtitle'\n"
                             "1 problem found; nothing was written.\n")


NOT_A_PROJECT = ("branding: there is no branding/ folder here, so this is not a briefpack project — run briefpack in "
                 "your project folder (the one with packs/ and branding/)\n")


@pytest.mark.parametrize("args", [("brand", "check"), ("brand", "check", "lancashire"), ("brand", "new", "north")])
def test_brand_commands_outside_a_project_say_so(tmp_path: Path, run, monkeypatch, args: tuple[str, ...]) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr == NOT_A_PROJECT + found(args)
    assert list(tmp_path.iterdir()) == []


def test_a_pack_outside_a_project_is_named_as_such(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "briefing.yaml").write_text("kind: leaflet\n", encoding="utf-8")
    result = run("build", "briefing.yaml")
    assert result.exit_code == 1
    assert result.stderr == ("briefing.yaml: this pack is not in a briefpack project: there is no packs/library/ or "
                             "branding/ folder beside its folder — keep packs in the packs/ folder of your project "
                             "(the one with packs/ and branding/)\n1 problem found; nothing was written.\n")


@pytest.mark.parametrize(("name", "message"), [
    ("packs/library/lessons.yaml", "this is a library file (items for packs to choose from), not a pack — name a "
     "pack from packs/, e.g. 'briefpack build lancashire-7mb'"),
    ("branding/lancashire/brand.yaml", "this is a brand file, not a pack — to build packs in this brand, name a "
     "pack and add '--brand lancashire'"),
    ("-", "'-' (standard input) cannot be a pack: briefpack reads packs from files — name a pack file, or the id "
     "of a pack in packs/"),
])
def test_a_file_that_is_not_a_pack_is_named_for_what_it_is(project: Path, run, name: str, message: str) -> None:
    result = run("build", name)
    assert result.exit_code == 1
    assert result.stderr == f"{name}: {message}\n1 problem found; nothing was written.\n"


def test_a_library_file_copied_into_packs_is_named_for_what_it_is(project: Path, run) -> None:
    (project / "packs" / "more-lessons.yaml").write_bytes((project / "packs/library/lessons.yaml").read_bytes())
    result = run("build", "packs/more-lessons.yaml")
    assert result.stderr == ("packs/more-lessons.yaml: this is a library file (items for packs to choose from), not a "
                             "pack — name a pack from packs/, e.g. 'briefpack build lancashire-7mb'\n"
                             "1 problem found; nothing was written.\n")


def damaged_png(good: bytes, how: str) -> bytes:
    if how == "truncated":
        return good[:len(good) // 2]
    if how == "no-end-chunk":
        return good[:-12]
    data = bytearray(good)
    at = good.index(b"IDAT") + 200
    data[at:at + 50] = bytes(50)
    return bytes(data)


DAMAGE = {"truncated": "it is cut short", "no-end-chunk": "it is cut short", "corrupt": "its image data is corrupt"}


@pytest.mark.parametrize("how", list(DAMAGE))
def test_a_damaged_logo_is_found_by_build_and_brand_check(project: Path, run, how: str) -> None:
    logo = project / "branding/lancashire/logo.png"
    logo.write_bytes(damaged_png(logo.read_bytes(), how))
    number = next(i for i, t in enumerate((project / "branding/lancashire/brand.yaml").read_text().splitlines(), 1)
                  if "file: logo.png" in t)
    expected = (f"branding/lancashire/brand.yaml:{number}:9: 'logo.png' is damaged: {DAMAGE[how]} — export or "
                "save the image again as PNG or JPEG\n")
    assert run("build", PACK).stderr == expected + found("build")
    assert run("brand", "check", "lancashire").stderr == expected + found(("brand", "check"))
    assert not (project / "output").exists()


def test_a_truncated_jpeg_partner_logo_is_found(project: Path, run) -> None:
    import io

    from PIL import Image

    folder = project / "branding/lancashire"
    buffer = io.BytesIO()
    Image.open(folder / "logo.png").convert("RGB").save(buffer, "JPEG", quality=90)
    (folder / "police.jpg").write_bytes(buffer.getvalue()[:len(buffer.getvalue()) // 2])
    brand = folder / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "partners:\n  - file: police.jpg\n    alt: Police\n",
                     encoding="utf-8")
    number = len(brand.read_text().splitlines()) - 1
    assert run("build", PACK).stderr == (
        f"branding/lancashire/brand.yaml:{number}:11: 'police.jpg' is damaged: it is cut short — export or save the "
        "image again as PNG or JPEG\n1 problem found; nothing was written.\n")


def garbage_in(font: bytes, tag: bytes) -> bytes:
    """*font* with the middle of its table *tag* overwritten: the signature and directory still look right."""
    import struct

    count = struct.unpack_from(">H", font, 4)[0]
    for i in range(count):
        found, _, offset, length = struct.unpack_from(">4sLLL", font, 12 + 16 * i)
        if found == tag:
            middle = offset + length // 4
            return font[:middle] + bytes(range(256)) * 8 + font[middle + 2048:]
    raise AssertionError(tag)


@pytest.mark.parametrize(("damage", "why"), [
    (lambda data: data[:len(data) // 3], "the file is cut short (its 'glyf' table is missing)"),
    (lambda data: garbage_in(data, b"glyf"), "its 'glyf' table is damaged"),
], ids=["truncated", "garbage-body"])
def test_a_damaged_font_is_found_by_build_and_brand_check(project: Path, run, damage, why: str) -> None:
    where = house_fonts(project, damage)
    expected = (f"{where}: 'House-Bold.ttf' is a damaged font file: {why} — copy the font file again from where you "
                "got it\n")
    assert run("build", "packs/gloucestershire-8-lessons.yaml").stderr == expected + found("build")
    assert run("brand", "check", "gloucestershire").stderr == expected + found(("brand", "check"))


def word_template(project: Path, edit) -> str:  # noqa: ANN001 - dict of parts -> dict of parts
    import io
    import zipfile

    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts = edit(parts)
    with zipfile.ZipFile(project / "branding/lancashire/house.docx", "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    brand = project / "branding/lancashire/brand.yaml"
    text = brand.read_text(encoding="utf-8") + "word_template: house.docx\n"
    brand.write_text(text, encoding="utf-8")
    return f"branding/lancashire/brand.yaml:{len(text.splitlines())}:16"


def macro_enabled(parts: dict[str, bytes]) -> dict[str, bytes]:
    types = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    return parts | {"[Content_Types].xml": types, "word/vbaProject.bin": b"\0" * 64}


@pytest.mark.parametrize(("edit", "message"), [
    (macro_enabled, "'house.docx' is a macro-enabled Word file (.docm or .dotm) renamed — save it from Word as a Word "
     "Template (.dotx), without macros"),
    (lambda parts: {k: v for k, v in parts.items() if k != "[Content_Types].xml"},
     "'house.docx' is not a Word file briefpack can read: it has no [Content_Types].xml — open it in Word and save it "
     "again as .docx or .dotx"),
    (lambda parts: parts | {"word/styles.xml": parts["word/styles.xml"] + b" " * 30_000_000},
     "'house.docx' is too large: its part word/styles.xml expands to 30 MB, far more than a Word template holds — "
     "save a new, empty document with your styles from Word as .dotx and name that file"),
    (lambda parts: parts | {"word/document.xml": b"garbage"},  # was lxml's XMLSyntaxError traceback
     "'house.docx' is damaged: its part word/document.xml is not well-formed XML (line 1: Start tag expected, '<' "
     "not found, line 1, column 1) — open it in Word and save it again as .docx or .dotx"),
    (lambda parts: parts | {"word/styles.xml": b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY e SYSTEM '
                                               b'"file:///etc/passwd">]><s a="&e;"/>'},
     "'house.docx' is damaged: its part word/styles.xml is not well-formed XML (line 1: Attribute references "
     "external entity 'e', line 1, column 85) — open it in Word and save it again as .docx or .dotx"),
], ids=["macro-enabled", "no-content-types", "styles-bomb", "document-not-xml", "styles-external-entity"])
def test_a_bad_house_word_template_is_found_by_build_and_brand_check(project: Path, run, edit, message: str) -> None:
    where = word_template(project, edit)
    expected = f"{where}: {message}\n"
    assert run("build", PACK).stderr == expected + found("build")
    assert run("brand", "check", "lancashire").stderr == expected + found(("brand", "check"))


@pytest.mark.parametrize(("escape", "code"), [("\\u2060", "2060"), ("\\u200C", "200C"), ("\\uFEFF", "FEFF"),
                                              ("\\u2062", "2062"), ("\\U000E0041", "E0041")])
def test_an_invisible_formatting_character_is_refused(project: Path, run, escape: str, code: str) -> None:
    # reportlab draws the word joiner as a gap and Lato's zero-width non-joiner as a bar; Word shows nothing.
    number = replace_line(project / PACK, "title:", f'title: "Themes {escape}from reviews"')
    result = run("build", PACK)
    assert (result.exit_code, result.stderr) == (1, (
        f"{PACK}:{number}:8: character U+{code} (an invisible formatting character) cannot appear in a document: "
        f"Word shows nothing there, a PDF may show a gap or a mark — {CONTROL.split(' — ')[1]}\n"
        "1 problem found; nothing was written.\n"))
    assert not (project / "output").exists()


def test_soft_hyphen_zero_width_space_and_joiner_are_kept(project: Path, run) -> None:
    replace_line(project / PACK, "title:", 'title: "Safe\\u00adguarding zero\\u200bwidth a\\u200db"')
    assert run("build", PACK).exit_code == 0
    assert docx_text(project / "output/lancashire/lancashire-7mb.docx").count(
        "Safe\u00adguarding zero\u200bwidth a\u200db") == 1


@pytest.mark.parametrize("typed", ['"Themes\\nfrom\\treviews"', "|\n  Themes\n  from reviews"])
def test_a_one_line_field_reads_line_breaks_and_tabs_as_spaces_in_both_formats(project: Path, run,
                                                                               typed: str) -> None:
    # Word made "\n" a line break and "\t" a tab stop where the PDF drew spaces.
    replace_line(project / PACK, "title:", f"title: {typed}")
    assert run("build", PACK).exit_code == 0
    from docx import Document

    doc = Document(str(project / "output/lancashire/lancashire-7mb.docx"))
    assert doc.core_properties.title == "Themes from reviews"
    assert "Themes from reviews" in [p.text for p in doc.paragraphs]
    assert "Themes from reviews" in pdf_text(project / "output/lancashire/lancashire-7mb.pdf")


def test_a_section_that_would_be_printed_empty_is_refused(project: Path, run) -> None:
    """A heading with nothing under it (in tiles, an empty panel) is never printed: a section with nothing in
    it, or quoting only sources that have no summary, is a problem where it is, in check as in build."""
    pack = project / PACK
    sources = replace_line(pack, "    sources: [lancashire-scrs-2016-17]", "    sources: [bscb-scrs-2014]")
    empty = replace_line(pack, "  - lessons: [multi-agency-clarification", "  - label: Also")
    for command in ("build", "check"):
        result = run(command, PACK)
        assert result.exit_code == 1
        assert result.stderr == (
            f"{PACK}:{sources}:14: section 01 'Background' would be printed empty: source 'bscb-scrs-2014' has no "
            "summary to quote — give the source a 'summary:' in packs/library/, or add 'text:' or 'lessons:' to "
            f"the section\n{PACK}:{empty}:5: section 05 'Also' has nothing in it, so it would be printed empty — "
            f"add 'text:', 'lessons:', 'questions:' or 'actions:' to it\n{found(command, 2)}")
    assert not (project / "output").exists()
