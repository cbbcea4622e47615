"""Fonts: `briefpack fonts` lists what a brand can use; a brand may name just a family, variable fonts too."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import found, needs, pdf_text

NOTO = ("NotoSans[wdth,wght].ttf", "NotoSans-Italic[wdth,wght].ttf")
MADE_BOLD = r"^ok    fonts: a real bold face: HouseSans-\w+-wght700-ft[\d.]+-m1\.ttf, weight 700$"


@pytest.fixture(scope="session")
def small_variable_fonts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Noto Sans's variable fonts (from PyPI) cut to ASCII and renamed 'House Sans', so making faces is quick."""
    import fontpkg_noto_sans  # noqa: F401
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from briefpack.brand import font_folder

    folder = tmp_path_factory.mktemp("fonts")
    source = font_folder("fontpkg_noto_sans")
    assert source is not None
    for name in NOTO:
        font = TTFont(str(source / name), recalcTimestamp=False)
        options = subset.Options()
        options.layout_features, options.name_IDs, options.notdef_outline = [], ["*"], True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=range(0x20, 0x7F))
        subsetter.subset(font)
        for record in font["name"].names:
            if "Noto" in str(record.toUnicode()):
                record.string = str(record.toUnicode()).replace("Noto Sans", "House Sans").replace("NotoSans",
                                                                                                   "HouseSans")
        font.save(str(folder / name.replace("NotoSans", "HouseSans")))
    return folder


def family_only(brand_yaml: Path, family: str, package: str = "") -> None:
    """Replace the brand's 'fonts:' block with one naming just a family."""
    text = brand_yaml.read_text(encoding="utf-8")
    block = f"fonts:\n  family: {family}\n" + (f"  package: {package}\n" if package else "")
    brand_yaml.write_text(re.sub(r"fonts:\n(?:  .*\n)+", block, text), encoding="utf-8")


def test_the_faces_of_a_variable_family_in_a_pip_package() -> None:
    from briefpack.brand import font_folder
    from briefpack.fontfaces import families, pick_faces

    folder = font_folder("fontpkg_noto_sans")
    assert folder is not None
    faces = pick_faces(families(folder)["Noto Sans"])
    assert {face: (f.file.path.name, f.weight) for face, f in faces.items()} == {
        "regular": (NOTO[0], None), "bold": (NOTO[0], 700), "italic": (NOTO[1], None), "bold_italic": (NOTO[1], 700)}


def test_fonts_lists_families_faces_and_the_block_to_paste(project: Path, run, small_variable_fonts: Path) -> None:
    for name in small_variable_fonts.iterdir():
        shutil.copy(name, project / "branding" / "bscb" / name.name)
    result = run("fonts")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    lato = lines.index("Lato  (pip package fontpkg-lato)")
    assert lines[lato + 1:lato + 10] == [
        "  regular: Lato-Regular.ttf", "  bold: Lato-Bold.ttf", "  italic: Lato-Italic.ttf",
        "  bold italic: Lato-BoldItalic.ttf", "  paste into brand.yaml:", "    fonts:", "      family: Lato",
        "      package: fontpkg_lato", "      word: Arial                # Word files name a font every PC has"]
    house = lines.index("House Sans  (brand folder branding/bscb/)")
    assert lines[house + 1:house + 8] == [
        "  regular: HouseSans[wdth,wght].ttf",
        "  bold: made at weight 700 from HouseSans[wdth,wght].ttf (a variable font)",
        "  italic: HouseSans-Italic[wdth,wght].ttf",
        "  bold italic: made at weight 700 from HouseSans-Italic[wdth,wght].ttf (a variable font)",
        "  paste into brand.yaml:", "    fonts:", "      family: House Sans"]
    assert "  pip install fontpkg-open-sans      # Open Sans" in lines


@needs("pdffonts")
def test_a_brand_names_a_variable_family_and_gets_real_bold_faces(project: Path, run, small_variable_fonts: Path,
                                                                  tmp_path: Path, monkeypatch) -> None:
    folder = project / "branding" / "bscb"
    for name in small_variable_fonts.iterdir():
        shutil.copy(name, folder / name.name)
    family_only(folder / "brand.yaml", "House Sans")
    monkeypatch.setenv("BRIEFPACK_CACHE", str(tmp_path / "cache-1"))
    check = run("brand", "check", "bscb")
    assert "ok    fonts: a real italic face: HouseSans-Italic[wdth,wght].ttf" in check.stdout.splitlines()
    assert re.search(MADE_BOLD, check.stdout, re.M), check.stdout
    assert check.exit_code == 0, check.stdout
    assert run("build", "bscb-key-learning-2014", "--format", "pdf", "--out", "one").exit_code == 0
    pdf = project / "one" / "bscb" / "bscb-key-learning-2014.pdf"
    assert "Key learning points" in pdf_text(pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    embedded = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]]
    assert "HouseSans-Bold" in embedded and "HouseSans-Regular" in embedded
    # Made once, kept by content: a second cache makes the same bytes, so the PDF is the same.
    made = sorted(p.name for p in (tmp_path / "cache-1" / "fonts").iterdir())
    assert len(made) == 2 and all("wght700" in name for name in made)
    monkeypatch.setenv("BRIEFPACK_CACHE", str(tmp_path / "cache-2"))
    assert run("build", "bscb-key-learning-2014", "--format", "pdf", "--out", "two").exit_code == 0
    assert (project / "two" / "bscb" / "bscb-key-learning-2014.pdf").read_bytes() == pdf.read_bytes()


def test_a_family_that_is_not_there(project: Path, run) -> None:
    family_only(project / "branding" / "bscb" / "brand.yaml", "Lato Sans", "fontpkg_lato")
    result = run("build", "bscb-key-learning-2014")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(
        "branding/bscb/brand.yaml:13:11: font package 'fontpkg_lato' has no font family 'Lato Sans' (did you mean "
        "'Lato'?) — use one of: Lato; 'briefpack fonts' lists every family you can use")


def test_a_variable_font_named_as_the_bold_face_is_made_bold(project: Path, run, small_variable_fonts: Path,
                                                             tmp_path: Path, monkeypatch) -> None:
    folder = project / "branding" / "bscb"
    for name in small_variable_fonts.iterdir():
        shutil.copy(name, folder / name.name)
    brand = folder / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(re.sub(r"fonts:\n(?:  .*\n)+", "fonts:\n  family: House Sans\n"
                            "  regular: HouseSans[wdth,wght].ttf\n  bold: HouseSans[wdth,wght].ttf\n"
                            "  italic: HouseSans-Italic[wdth,wght].ttf\n"
                            "  bold_italic: HouseSans-Italic[wdth,wght].ttf\n",
                            text), encoding="utf-8")
    monkeypatch.setenv("BRIEFPACK_CACHE", str(tmp_path / "cache"))
    result = run("brand", "check", "bscb")
    assert result.exit_code == 0, result.stdout
    assert re.search(MADE_BOLD, result.stdout, re.M)


def damaged_package(site: Path, table: bytes, *, drop: bool = False) -> Path:
    """fontpkg_damaged in *site*: Lato, its regular face's *table* garbled inside its bounds (or renamed away)."""
    import struct

    import fontpkg_lato

    files = site / "fontpkg_damaged" / "files"
    shutil.copytree(Path(fontpkg_lato.__file__).parent / "files", files)
    (files.parent / "__init__.py").write_text("")
    regular = files / "Lato-Regular.ttf"
    data = bytearray(regular.read_bytes())
    for i in range(struct.unpack_from(">H", data, 4)[0]):
        tag, _, offset, length = struct.unpack_from(">4sLLL", data, 12 + 16 * i)
        if tag == table and drop:
            data[12 + 16 * i:16 + 16 * i] = b"zzzz"
        elif tag == table:  # the first glyphs (.notdef, space, the first letters), or the table's start
            start, size = (offset + 100, 4000) if tag == b"glyf" else (offset, min(16, length))
            data[start:start + size] = b"\xa5" * size
    regular.write_bytes(bytes(data))
    return regular


@pytest.fixture
def damaged(project: Path, tmp_path_factory, monkeypatch):  # noqa: ANN201
    """Make the lancashire brand use a copy of fontpkg_lato with one table of its regular face damaged."""
    def make(table: bytes, *, drop: bool = False) -> Path:
        site = tmp_path_factory.mktemp("site")
        regular = damaged_package(site, table, drop=drop)
        monkeypatch.syspath_prepend(str(site))
        brand = project / "branding/lancashire/brand.yaml"
        brand.write_text(brand.read_text(encoding="utf-8").replace("fontpkg_lato", "fontpkg_damaged"),
                         encoding="utf-8")
        return regular
    return make


REINSTALL = "install it again: pip install --force-reinstall fontpkg-damaged"


def test_brand_check_checksums_the_fonts_of_an_installed_package(run, damaged) -> None:
    """A build checksums only the tables of a package's fonts reportlab parses when it registers them (the
    glyphs would cost about half a build's CPU); 'brand check' checks every table against its checksum."""
    regular = damaged(b"glyf")
    result = run("brand", "check", "lancashire")
    assert result.exit_code == 1
    assert f"FAIL  fonts: files intact: '{regular.name}' is a damaged font file: its 'glyf' table is damaged — " \
           f"{REINSTALL}\n" in result.stdout
    assert result.stdout.endswith("brand 'lancashire': 14 checks passed, 1 failed\n")


def test_damaged_glyphs_in_a_package_font_are_named_when_the_pdf_meets_them(project: Path, damaged) -> None:
    import os
    import sys

    regular = damaged(b"glyf")  # reportlab's subsetter raised IndexError
    # In a process of its own: reportlab keeps the fonts it registered by name, so an earlier test's Lato
    # would be drawn instead of this damaged copy.
    paths = [str(regular.parent.parent.parent), *(p for p in sys.path if p)]
    for command in ("build", "check"):  # a check makes no PDF, but it makes the fonts' subsets as a build does
        result = subprocess.run([sys.executable, "-m", "briefpack", command, "lancashire-7mb"], capture_output=True,
                                text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)}, check=False,
                                timeout=600)
        assert (result.returncode, result.stderr) == (1, (
            f"branding/lancashire/brand.yaml: 'Lato-Regular.ttf' is a damaged font file: its 'glyf' table is "
            f"damaged — {REINSTALL}\n{found(command)}"))


@pytest.mark.parametrize("table", [b"head", b"maxp", b"loca", b"hmtx", b"cmap", b"name"])
def test_a_package_font_reportlab_could_not_register_is_found_before_rendering(run, damaged, table: bytes) -> None:
    damaged(table)  # was reportlab's TTFError ('Unknown head table version 42404.a5a5') or struct.error
    result = run("build", "lancashire-7mb")
    assert (result.exit_code, result.stderr) == (1, (
        f"branding/lancashire/brand.yaml:14:12: 'Lato-Regular.ttf' is a damaged font file: its "
        f"'{table.decode()}' table is damaged — {REINSTALL}\n1 problem found; nothing was written.\n"))


@pytest.mark.parametrize("table", [b"name", b"post"])
def test_a_font_without_a_table_reportlab_needs_is_refused(run, damaged, table: bytes) -> None:
    damaged(table, drop=True)  # was KeyError: 'name' from reportlab
    result = run("build", "lancashire-7mb")
    assert (result.exit_code, result.stderr) == (1, (
        f"branding/lancashire/brand.yaml:14:12: 'Lato-Regular.ttf' is a damaged font file: it has no "
        f"{table.decode()} table — {REINSTALL}\n1 problem found; nothing was written.\n"))


def test_a_font_is_registered_with_the_metrics_reportlab_reads_itself(small_variable_fonts: Path) -> None:
    """rlsafe reads a font's character map, metrics and glyph index an array at a time: every attribute reportlab
    sets is the same, in the same order, for every installed font package's files and the cut variable fonts."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from briefpack.brand import font_folder
    from briefpack.fontlist import installed_packages
    from briefpack.render import rlsafe

    files = sorted(small_variable_fonts.glob("*.ttf"))
    for package in installed_packages():
        folder = font_folder(package)
        files += sorted(folder.glob("*.ttf")) if folder else []
    assert len(files) > 40
    for path in files:
        quick = TTFontFile(str(path))
        assert TTFontFile.extractInfo is rlsafe._extract_info_quickly and rlsafe._char_info(quick)
        try:
            TTFontFile.extractInfo = rlsafe._extract_info  # type: ignore[method-assign]
            own = TTFontFile(str(path))
        finally:
            TTFontFile.extractInfo = rlsafe._extract_info_quickly  # type: ignore[method-assign]
        for name in ("charToGlyph", "glyphToChar", "charWidths", "hmetrics", "defaultWidth", "glyphPos"):
            mine, theirs = getattr(quick, name), getattr(own, name)
            assert type(mine) is type(theirs) and mine == theirs, (path.name, name)
            if isinstance(mine, dict):
                assert list(mine.items()) == list(theirs.items()), (path.name, name)


def _cmap_at_end(source: Path, dest: Path, edit) -> None:  # noqa: ANN001 - a function of (table, subtable's offset)
    """*source* written to *dest* with its cmap table moved to the end of the file and changed by *edit*, which is
    given the table (a bytearray) and the offset in it of the subtable reportlab reads (the last of platform 3, the
    one fontfile ranks first in these fonts) and returns the table's new bytes."""
    import struct

    from briefpack import fontfile

    data = bytearray(source.read_bytes())
    offset, length = fontfile._tables(bytes(data))[b"cmap"]
    table = bytearray(data[offset:offset + length])
    subtables = [struct.unpack_from(">HHL", table, 4 + 8 * i) for i in range(struct.unpack_from(">H", table, 2)[0])]
    table = bytearray(edit(table, [at for platform, _, at in subtables if platform == 3][-1]))
    for i in range(struct.unpack_from(">H", data, 4)[0]):
        if data[12 + 16 * i:16 + 16 * i] == b"cmap":
            struct.pack_into(">LL", data, 20 + 16 * i, len(data), len(table))
    dest.write_bytes(bytes(data + table))


def _format4_arrays(table: bytearray, at: int) -> tuple[int, int]:
    """(segment count, offset of the start codes) of the format 4 subtable at *at*."""
    import struct

    segments = struct.unpack_from(">H", table, at + 6)[0] // 2
    return segments, at + 16 + 2 * segments


def _glyphs_past_the_subtable(table: bytearray, at: int) -> bytearray:
    import struct

    segments, _ = _format4_arrays(table, at)
    struct.pack_into(">H", table, at + 2, 16 + 8 * segments)  # its length leaves out every glyph array
    return table


def _format4_overlap(table: bytearray, at: int) -> bytearray:
    import struct

    segments, starts = _format4_arrays(table, at)

    def value(place: int) -> int:
        return struct.unpack_from(">H", table, place)[0]

    k = next(k for k in range(1, segments)  # a segment of no glyph array after a gap: it starts at the prior end
             if value(starts + 4 * segments + 2 * k) == 0 and value(starts + 2 * k) > value(at + 12 + 2 * k))
    struct.pack_into(">H", table, starts + 2 * k, value(at + 12 + 2 * k))
    return table


def _format4_cut_short(table: bytearray, at: int) -> bytearray:
    segments, starts = _format4_arrays(table, at)
    return table[:starts + 2 * segments + 3]  # inside the deltas; the file ends there too


def _format12_past_unicode(table: bytearray, at: int) -> bytearray:
    import struct

    groups = struct.unpack_from(">L", table, at + 12)[0]
    struct.pack_into(">LL", table, at + 16 + 12 * (groups - 1), 0x10FFFF, 0x110000)
    return table


def _format12_overlap(table: bytearray, at: int) -> bytearray:
    import struct

    end = struct.unpack_from(">L", table, at + 20)[0]
    struct.pack_into(">L", table, at + 28, end)  # the second group starts at the first's last code
    return table


@pytest.mark.parametrize(("source", "edit", "message"), [
    ("fontpkg_lato/Lato-Regular.ttf", _glyphs_past_the_subtable, "its character map is damaged"),
    ("fontpkg_lato/Lato-Regular.ttf", _format4_overlap, "its character map is damaged"),
    ("fontpkg_lato/Lato-Regular.ttf", _format4_cut_short, "its character map is cut short"),
    (f"fontpkg_noto_sans/{NOTO[0]}", _format12_past_unicode, "its character map is damaged"),
    (f"fontpkg_noto_sans/{NOTO[0]}", _format12_overlap, "its character map is damaged"),
])
def test_a_damaged_character_map_is_refused_by_the_character_check_and_left_to_reportlab(
        tmp_path: Path, monkeypatch, source: str, edit, message: str) -> None:  # noqa: ANN001
    """fontfile and rlsafe decode a character map with the same code (fontfile.cmap_glyphs); on a subtable that is
    cut short or breaks its format's rules each keeps its own rule: fontfile names the damage, rlsafe hands the
    whole map to reportlab's own reading, so the font registers (or fails) exactly as reportlab alone makes it."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from briefpack import fontfile
    from briefpack.brand import font_folder
    from briefpack.render import rlsafe

    package, name = source.split("/")
    folder = font_folder(package)
    assert folder is not None
    path = tmp_path / name
    _cmap_at_end(folder / name, path, edit)
    with pytest.raises(fontfile.DamagedFont, match=f"^{message}$"):
        fontfile._characters(path)
    asked: list[int] = []
    reportlabs = rlsafe._extract_info

    def extract_info(self: TTFontFile, charInfo: int = 1) -> None:  # noqa: N803 - reportlab's name
        asked.append(charInfo)
        reportlabs(self, charInfo)

    monkeypatch.setattr(rlsafe, "_extract_info", extract_info)
    try:
        quick: TTFontFile | Exception = TTFontFile(str(path))
    except Exception as exc:  # noqa: BLE001 - whatever reportlab's own reading raises
        quick = exc
    assert asked == [0, 1]  # the header tables, then everything again by reportlab itself
    monkeypatch.setattr(TTFontFile, "extractInfo", reportlabs)
    try:
        own: TTFontFile | Exception = TTFontFile(str(path))
    except Exception as exc:  # noqa: BLE001
        own = exc
    if isinstance(own, Exception):
        assert type(quick) is type(own) and str(quick) == str(own)
        return
    assert isinstance(quick, TTFontFile)
    for attribute in ("charToGlyph", "glyphToChar", "charWidths", "hmetrics", "defaultWidth", "glyphPos"):
        assert repr(getattr(quick, attribute)) == repr(getattr(own, attribute)), attribute
    # Unchanged, the same font is read by rlsafe itself, and both callers agree on its characters.
    _cmap_at_end(folder / name, path, lambda table, at: table)
    asked.clear()
    monkeypatch.setattr(TTFontFile, "extractInfo", rlsafe._extract_info_quickly)
    read = TTFontFile(str(path))
    assert asked == [0]
    drawn = {chr(code) for code, glyph in read.charToGlyph.items() if glyph and code not in (0xA0, 0xFFFF)}
    assert fontfile._characters(path) - {"\xa0"} == drawn  # rlsafe gives U+00A0 the space's glyph
