"""What a batch makes once and uses again can never serve a wrong answer (no timings here)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from briefpack import filememo, fontfile
from briefpack.render import pdfwriter
from conftest import house_fonts


class _Later:
    """time for filememo, ten seconds on: every file written so far looks settled (see filememo.SETTLED_NS)."""

    @staticmethod
    def time_ns() -> int:
        return time.time_ns() + 10_000_000_000


def _rewrite(path: Path, data: bytes) -> None:
    """Write *data* over *path*, making sure its changed time moves (a coarse clock may not have ticked)."""
    before = path.stat().st_ctime_ns
    for _ in range(1000):
        path.write_bytes(data)
        if path.stat().st_ctime_ns != before:
            return
        time.sleep(0.002)
    raise AssertionError("the file's changed time never moved")


def _garbled(data: bytes, table: bytes) -> bytes:
    """The font *data* with the start of *table* overwritten: the same size, the same directory."""
    tables = fontfile._tables(data)
    offset, _ = tables[table]
    return data[:offset] + b"\xa5" * 16 + data[offset + 16:]


@pytest.fixture
def font(tmp_path: Path) -> Path:
    import fontpkg_lato

    path = tmp_path / "Face.ttf"
    shutil.copy(Path(fontpkg_lato.__file__).parent / "files" / "Lato-Regular.ttf", path)
    return path


def _counting(monkeypatch) -> list[Path]:
    checked: list[Path] = []
    real = fontfile._verify

    def counted(path: Path, whole: bool) -> None:
        checked.append(path)
        real(path, whole)

    monkeypatch.setattr(fontfile, "_verify", counted)
    return checked


def test_a_settled_font_file_is_checked_once_per_process(font: Path, monkeypatch) -> None:
    monkeypatch.setattr(filememo, "time", _Later)
    checked = _counting(monkeypatch)
    for _ in range(3):
        fontfile.verify(font)
        fontfile.verify(font, whole=False)
    assert checked == [font, font]  # once whole, once the parsed tables only


def test_a_font_file_changed_on_disk_is_checked_again(font: Path, monkeypatch) -> None:
    monkeypatch.setattr(filememo, "time", _Later)
    checked = _counting(monkeypatch)
    fontfile.verify(font)
    good = font.read_bytes()
    _rewrite(font, _garbled(good, b"hmtx"))
    with pytest.raises(fontfile.DamagedFont, match="its 'hmtx' table is damaged"):
        fontfile.verify(font)
    # Its modified time set back as it was: the changed time still tells.
    stat = font.stat()
    _rewrite(font, good)
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    fontfile.verify(font)
    assert checked == [font, font, font]
    # A damaged version is remembered as damaged, the sound one as sound.
    with pytest.raises(fontfile.DamagedFont):
        _rewrite(font, _garbled(good, b"hmtx"))
        fontfile.verify(font)
    assert len(checked) == 4


def test_a_font_file_changed_just_now_is_never_taken_from_memory(font: Path, monkeypatch) -> None:
    """Changed twice within one tick of a coarse clock, a file can keep its times: it is read each time."""
    checked = _counting(monkeypatch)
    good = font.read_bytes()
    fontfile.verify(font)
    font.write_bytes(_garbled(good, b"hmtx"))  # perhaps within the same tick: the same times, the same size
    with pytest.raises(fontfile.DamagedFont):
        fontfile.verify(font)
    assert fontfile.characters(font) == fontfile._characters(font)
    assert checked == [font, font]


def test_what_a_font_draws_is_read_again_when_the_file_changes(font: Path, monkeypatch) -> None:
    import fontpkg_pt_sans

    monkeypatch.setattr(filememo, "time", _Later)
    lato = fontfile.characters(font), fontfile.info(font)
    other = fontpkg_pt_sans.ROOT / "files" / "PT_Sans-Web-Bold.ttf"
    _rewrite(font, other.read_bytes())
    assert (fontfile.characters(font), fontfile.info(font)) == (fontfile._characters(other), fontfile._info(other))
    assert (fontfile.characters(font), fontfile.info(font)) != lato


def test_a_brand_sees_its_font_damaged_between_two_loads(project: Path, monkeypatch) -> None:
    """Two loads in one process (a long batch, or the tests): the second one finds the damage."""
    from briefpack.brand import load_brand
    from briefpack.errors import BriefpackError

    monkeypatch.setattr(filememo, "time", _Later)
    house_fonts(project)
    folder = project / "branding" / "gloucestershire"
    assert load_brand(project / "branding", "gloucestershire").fonts.bold == (folder / "House-Bold.ttf").resolve()
    bold = folder / "House-Bold.ttf"
    _rewrite(bold, _garbled(bold.read_bytes(), b"glyf"))
    with pytest.raises(BriefpackError) as caught:
        load_brand(project / "branding", "gloucestershire")
    assert [p.message for p in caught.value.problems] == ["'House-Bold.ttf' is a damaged font file: its 'glyf' "
                                                          "table is damaged"]


# --- the PDF writer (render/pdfwriter.py) --------------------------------------------------------------------
_REPORTLAB_SUBSET = pdfwriter._make_subset
"""reportlab's own subsetter (tests replace pdfwriter._make_subset to count)."""


def _plain_reportlab(monkeypatch) -> None:
    """reportlab's own writer from now on: nothing made once, nothing kept."""
    from reportlab.pdfbase import pdfdoc, ttfonts
    from reportlab.pdfgen import canvas as rl_canvas

    from briefpack.render import pdfimages


    monkeypatch.setattr(ttfonts.TTFontFile, "makeSubset", _REPORTLAB_SUBSET)
    monkeypatch.setattr(ttfonts, "makeToUnicodeCMap", pdfwriter._to_unicode)
    monkeypatch.setattr(pdfdoc.PDFStreamFilterZCompress, "encode", pdfwriter._zcompress)
    monkeypatch.setattr(pdfdoc, "PDFName", pdfwriter._pdf_name)
    monkeypatch.setattr(pdfdoc, "pdfdocEnc", pdfwriter._pdfdoc_enc)
    monkeypatch.setattr(pdfdoc, "format", pdfwriter._format)
    monkeypatch.setattr(pdfdoc.PDFDictionary, "format", pdfwriter._dictionary_format_reportlab)
    monkeypatch.setattr(rl_canvas.Canvas, "drawImage", pdfimages._draw_image)
    from reportlab.platypus import paraparser

    from briefpack.render import rlsafe

    for table in [t for t in vars(paraparser).values() if isinstance(t, dict)]:
        for key, entry in list(table.items()):
            if isinstance(entry, tuple) and len(entry) == 2 and entry[1] is rlsafe._colour_once:
                monkeypatch.setitem(table, key, (entry[0], rlsafe._to_color))


def _fresh_writer(monkeypatch) -> None:
    """The writer's memory emptied (an earlier test may have filled it), and the pictures'."""

    from briefpack.render import pdfimages


    pdfwriter._streams.clear()  # and with them what they hold (_compressed, _faces)
    for name in ("_names", "_keys"):
        monkeypatch.setattr(pdfwriter, name, {})
    pdfimages._pictures.clear()


def test_the_pdf_writer_makes_the_same_bytes_as_reportlabs_own(project: Path, monkeypatch) -> None:
    """Brands of other fonts (and the Welsh brand, whose text needs more than the first subset) in one process,
    each document written twice from what was kept: every byte as reportlab's own writer makes it."""
    from briefpack.build import prepare
    from briefpack.render.pdf import render_pdf

    shutil.copytree(Path(__file__).parent / "fixtures" / "branding" / "cymru", project / "branding" / "cymru")
    jobs = prepare([project / "packs" / "ten-principles.yaml", project / "packs" / "national-scr-precis.yaml"],
                   ("lancashire", "bscb", "cymru", "lancashire"))
    _fresh_writer(monkeypatch)
    made: list[int] = []
    real = pdfwriter._make_subset
    monkeypatch.setattr(pdfwriter, "_make_subset", lambda face, subset: made.append(1) or real(face, subset))
    kept = [render_pdf(job.document, job.brand)[0] for job in jobs * 2]
    subsets = [key for key in pdfwriter._streams.data if key[0] == "subset"]
    assert 0 < len(made) == len(subsets)  # each subset made once, though asked for again and again
    assert any(max(key[3]) > 0x7F for key in subsets)  # more than the first subset of a face
    assert len(pdfwriter._streams) == 2 * len(subsets)  # and each its character map
    _plain_reportlab(monkeypatch)
    plain = [render_pdf(job.document, job.brand)[0] for job in jobs]
    assert kept == plain * 2
    assert len(set(plain)) == 6  # the last brand is the first again


def _face(name: str):  # noqa: ANN202 - a reportlab TTFontFace, read apart from any registered one
    import fontpkg_lato
    import fontpkg_pt_sans
    from reportlab.pdfbase.ttfonts import TTFontFace

    folder = fontpkg_pt_sans.ROOT if name.startswith("PT") else Path(fontpkg_lato.__file__).parent
    return TTFontFace(str(folder / "files" / f"{name}.ttf"))


def test_each_face_gets_its_own_subset_of_the_same_characters(monkeypatch) -> None:

    _fresh_writer(monkeypatch)
    codes = list(range(128)) + [0x2013, 0x2019]
    faces = [_face("Lato-Regular"), _face("Lato-Bold"), _face("PT_Sans-Web-Regular"), _face("Lato-Regular")]
    made = [pdfwriter._subset_once(face, list(codes)) for face in faces]
    assert made == [pdfwriter._make_subset(face, list(codes)) for face in faces]
    assert len(set(made)) == 3 and made[0] == made[3]
    assert made[0] is not made[3]  # the same file read twice is two faces, each with its own
    assert pdfwriter._subset_once(faces[0], list(codes)) is made[0]  # kept


def test_a_face_whose_characters_change_gets_a_new_subset(monkeypatch) -> None:

    _fresh_writer(monkeypatch)
    face = _face("Lato-Regular")
    codes = list(range(32, 128))
    first = pdfwriter._subset_once(face, codes)
    face.charToGlyph[ord("A")] = face.charToGlyph[ord("B")]  # as rlsafe.keep_spaces maps a space to a glyph
    second = pdfwriter._subset_once(face, codes)
    assert second != first and second == pdfwriter._make_subset(face, codes)


def test_only_the_last_font_streams_are_kept(monkeypatch) -> None:

    _fresh_writer(monkeypatch)
    face = _face("Lato-Regular")
    for n in range(pdfwriter.KEEP_STREAMS + 5):
        pdfwriter._subset_once(face, list(range(32, 40 + n)))
    assert len(pdfwriter._streams) == len(pdfwriter._compressed) == len(pdfwriter._faces) == pdfwriter.KEEP_STREAMS


def test_a_kept_font_stream_is_compressed_as_reportlab_compresses_it(monkeypatch) -> None:
    import zlib

    from reportlab.pdfbase import pdfdoc, ttfonts


    _fresh_writer(monkeypatch)
    subset = pdfwriter._subset_once(_face("Lato-Bold"), list(range(128)))
    assert pdfdoc.PDFZCompress.encode(subset) == zlib.compress(subset)
    assert pdfdoc.PDFZCompress.encode(bytes(subset)) == zlib.compress(subset)  # equal bytes, not the kept ones
    assert pdfdoc.PDFZCompress.encode("BT /F1 12 Tf ET") == zlib.compress(b"BT /F1 12 Tf ET")
    cmap = pdfwriter._cmap_once("AAAAAA+Lato-Bold", list(range(128)))
    assert cmap == pdfwriter._to_unicode("AAAAAA+Lato-Bold", list(range(128)))
    assert ttfonts.makeToUnicodeCMap("AAAAAA+Lato-Bold", list(range(128))) is cmap
    assert pdfdoc.PDFZCompress.encode(cmap) == zlib.compress(cmap.encode("utf-8"))
    assert pdfwriter._cmap_once("AAAAAB+Lato-Bold", list(range(128))) != cmap  # another subset's name


def test_names_and_text_are_encoded_as_reportlab_encodes_them() -> None:
    from reportlab.pdfbase import pdfdoc


    texts = ["", "Type", "StructElem", "0 0 612 792", "a (b) #c", "\x00\x17\x7f", "é", "Aug–Dec", "\u2018x\u2019",
             *map(chr, range(0x300))]
    for text in texts:
        assert pdfdoc.PDFName(text) == pdfwriter._pdf_name(text) == pdfdoc.PDFName(text)
        try:
            expected: bytes | type = pdfwriter._pdfdoc_enc(text)
        except UnicodeEncodeError:
            expected = UnicodeEncodeError
        if expected is UnicodeEncodeError:
            with pytest.raises(UnicodeEncodeError):
                pdfdoc.pdfdocEnc(text)
        else:
            assert pdfdoc.pdfdocEnc(text) == expected
    assert pdfdoc.pdfdocEnc(b"\x18 as it is") == b"\x18 as it is"


def test_a_kept_picture_is_named_as_reportlab_names_it(project: Path, monkeypatch) -> None:
    """Drawn again and again with and without its transparency, and beside another picture."""
    import io

    from reportlab.pdfgen import canvas as rl_canvas

    from briefpack.render import pdfimages

    _fresh_writer(monkeypatch)
    logos = [pdfimages.picture(project / "branding" / brand / "logo.png") for brand in ("lancashire", "bscb")]

    def names() -> list[str]:
        canv = rl_canvas.Canvas(io.BytesIO())
        for logo in logos * 2:
            for mask in ("auto", None, [0, 2, 40, 42, 136, 139]):
                canv.drawImage(logo, 0, 0, 10, 10, mask)
                canv.drawImage(logo, 0, 0, width=10, height=10, mask=mask)
        return [line for line in canv._code if line.endswith(" Do")]

    kept, again = names(), names()
    _plain_reportlab(monkeypatch)
    assert kept == again == names()
    assert len(set(kept)) == 6


def test_markup_is_kept_for_each_pair_of_fonts(examples: Path, monkeypatch) -> None:
    """'ŵ' is in Lato (lancashire) but not in PT Sans (bscb), which draws it in the fallback; '𝄞' is in no font
    and is reported by every document that has it, made afresh or not."""
    from briefpack.brand import load_brand
    from briefpack.render.pdffonts import FACES, Fonts

    monkeypatch.setattr(Fonts, "_markups", {})
    lato, pt_sans = (load_brand(examples / "branding", name) for name in ("lancashire", "bscb"))
    text = "Cymraeg: ŵ & 𝄞"
    fonts = [Fonts(brand, frozenset(FACES)) for brand in (lato, pt_sans, lato, pt_sans)]
    made = [f.markup(text) for f in fonts]
    assert made[0] == made[2] and made[1] == made[3]
    assert made[0].startswith("Cymraeg: ŵ &amp; <font name=") and made[1].startswith("Cymraeg: <font name=")
    assert [f.missing for f in fonts] == [{"𝄞"}] * 4
    monkeypatch.setattr(Fonts, "_markups", {})
    assert [Fonts(brand, frozenset(FACES)).markup(text) for brand in (lato, pt_sans)] == made[:2]


def test_dictionaries_are_written_as_reportlab_writes_them(monkeypatch) -> None:
    from collections import OrderedDict

    from reportlab.pdfbase import pdfdoc

    _fresh_writer(monkeypatch)
    document = pdfdoc.PDFDocument(invariant=1)
    inner = pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("MCR"), "MCID": 3})
    entries = {"Type": pdfdoc.PDFName("StructElem"), "S": pdfdoc.PDFName("P"), "K": pdfdoc.PDFArray([0, 1, inner]),
               "Alt": pdfdoc.PDFString("Logo of (the) board é"), "W": 1.5, "N": -2, "B": b"(raw)", "Odd key#": "x",
               "A": pdfdoc.PDFDictionary({"O": pdfdoc.PDFName("Table"), "Scope": pdfdoc.PDFName("Column")})}
    cases = [pdfdoc.PDFDictionary(entries), pdfdoc.PDFDictionary({}), pdfdoc.PDFDictionary({"One": 1}),
             pdfdoc.PDFDictionary(OrderedDict(reversed(list(entries.items()))))]
    forced = pdfdoc.PDFDictionary(entries)
    forced.multiline = "forced"
    cases.append(forced)
    made = [case.format(document) for case in cases * 2]
    _plain_reportlab(monkeypatch)
    assert made == [case.format(document) for case in cases * 2]
    assert made[0].count(b"\n ") == 1  # six entries to a line


# --- brand loading: YAML parsed once per content, character sets joined once per pair ------------------------
def test_a_yaml_file_is_parsed_once_per_content_and_name(tmp_path: Path, monkeypatch) -> None:

    from briefpack import yamlio

    yamlio._parsed.clear()
    monkeypatch.chdir(tmp_path)
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("name: North\ncolour: '#123456'\n", encoding="utf-8")
    second.write_bytes(first.read_bytes())
    a = yamlio.read(first)
    assert yamlio.read(first) is a  # the same bytes under the same name: the same nodes
    b = yamlio.read(second)  # the same bytes under another name: nodes naming that file
    assert b is not a and b.path == "b.yaml" and a.path == "a.yaml"
    stat = first.stat()
    first.write_text("name: South\ncolour: '#123456'\n", encoding="utf-8")  # same size, times set back
    os.utime(first, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    changed = yamlio.read(first)
    assert isinstance(changed, yamlio.Mapping) and changed.items["name"][1].value == "South"


def test_a_broken_yaml_file_is_reported_every_time_and_only_while_broken(tmp_path: Path, monkeypatch) -> None:

    from briefpack import yamlio
    from briefpack.errors import BriefpackError

    yamlio._parsed.clear()
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "a.yaml"
    path.write_text("name: [North\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(BriefpackError):
            yamlio.read(path)
    path.write_text("name: North\n", encoding="utf-8")
    assert isinstance(yamlio.read(path), yamlio.Mapping)


def test_only_the_last_yaml_files_are_kept(tmp_path: Path, monkeypatch) -> None:

    from briefpack import yamlio

    yamlio._parsed.clear()
    monkeypatch.setattr(yamlio._parsed, "size", 3)
    monkeypatch.chdir(tmp_path)
    for n in range(5):
        (tmp_path / f"{n}.yaml").write_text(f"n: {n}\n", encoding="utf-8")
        yamlio.read(tmp_path / f"{n}.yaml")
    assert [where for where, _ in yamlio._parsed.data] == ["2.yaml", "3.yaml", "4.yaml"]
    big = tmp_path / "big.yaml"
    big.write_text("n: '" + "x" * yamlio.KEEP_PARSED_BYTES + "'\n", encoding="utf-8")
    assert yamlio.read(big) is not yamlio.read(big)  # a large file is not kept


def test_brands_of_other_fonts_cover_their_own_characters(examples: Path) -> None:
    from briefpack.brand import load_brand
    from briefpack.brandcheck import covered

    lato, pt_sans, lato_again = (load_brand(examples / "branding", name) for name in ("lancashire", "bscb",
                                                                                       "lancashire"))
    assert covered(lato) is covered(lato_again)
    for brand in (lato, pt_sans):
        assert covered(brand) == (fontfile._characters(brand.fonts.regular)
                                  | fontfile._characters(brand.fallback.regular) | fontfile.SPACES)
    assert covered(lato) != covered(pt_sans)


def test_a_colour_in_paragraph_markup_is_parsed_as_reportlab_parses_it(monkeypatch) -> None:
    from reportlab.lib import colors

    from briefpack.render import rlsafe

    monkeypatch.setattr(rlsafe, "_colours", {})
    for text in ("#1f4e79", "#ABCDEF", "red", "Red", "rgb(10,20,30)", "hsl(120,50%,50%)", "0xff0000", "#1f4e79"):
        made = rlsafe._colour_once(text)
        assert (type(made), made.rgba()) == (type(colors.toColor(text)), colors.toColor(text).rgba())
        assert rlsafe._colour_once(text) is made
    assert rlsafe._colour_once(colors.red) is colors.red
    for _ in range(2):
        with pytest.raises(ValueError):
            rlsafe._colour_once("not a colour")


def test_a_logo_is_looked_at_once_per_version_and_again_when_it_changes(project: Path, monkeypatch) -> None:
    from briefpack import brand
    from briefpack.brand import load_brand
    from briefpack.errors import BriefpackError

    monkeypatch.setattr(filememo, "time", _Later)
    looked: list[str] = []
    real = brand._image_problems
    monkeypatch.setattr(brand, "_image_problems", lambda path: looked.append(path.name) or real(path))
    branding = project / "branding"
    for _ in range(2):
        load_brand(branding, "lancashire")
    assert sorted(looked) == ["logo.png", "logo.png"]  # lancashire's and default's, each once
    logo = branding / "lancashire" / "logo.png"
    good = logo.read_bytes()
    corrupt = bytearray(good)
    corrupt[good.index(b"IDAT") + 200:good.index(b"IDAT") + 250] = bytes(50)
    _rewrite(logo, bytes(corrupt))  # the same size
    with pytest.raises(BriefpackError) as caught:
        load_brand(branding, "lancashire")
    assert [p.message for p in caught.value.problems] == ["'logo.png' is damaged: its image data is corrupt"]
    _rewrite(logo, good)
    assert load_brand(branding, "lancashire").logo == logo.resolve()


def test_two_names_of_one_font_file_are_each_named_in_its_message(tmp_path: Path, font: Path, monkeypatch) -> None:
    from briefpack import brand
    from briefpack.errors import Problems
    from briefpack.yamlio import Scalar

    monkeypatch.setattr(filememo, "time", _Later)
    _rewrite(font, _garbled(font.read_bytes(), b"hmtx"))
    other = tmp_path / "Other.ttf"
    os.link(font, other)
    problems = Problems()
    for path in (font, other, font):
        brand.check_font(path, Scalar("brand.yaml", 3, 4, "x"), problems)
    assert [p.message for p in problems.items] == [
        "'Face.ttf' is a damaged font file: its 'hmtx' table is damaged",
        "'Other.ttf' is a damaged font file: its 'hmtx' table is damaged",
        "'Face.ttf' is a damaged font file: its 'hmtx' table is damaged"]


def test_a_subset_that_cannot_be_made_is_not_kept(monkeypatch) -> None:
    _fresh_writer(monkeypatch)
    face = _face("Lato-Regular")

    def damaged(face, subset):  # noqa: ANN001, ANN202 - as reportlab meets a damaged glyph
        raise IndexError("glyph")

    monkeypatch.setattr(pdfwriter, "_make_subset", damaged)
    with pytest.raises(IndexError):
        pdfwriter._subset_once(face, list(range(32, 128)))
    assert not pdfwriter._streams and not pdfwriter._compressed and not pdfwriter._faces


def test_text_is_split_into_subsets_as_reportlab_splits_it(project: Path, monkeypatch) -> None:
    """rlsafe's shortcut for text whose characters all have codes in the first subset gives what reportlab's
    TTFont.splitString gives, and leaves the same codes behind: random text from thousands of characters (the
    first subset fills, the font lacks some, U+00A0), and PDFs in brands of other fonts and the Welsh brand
    (more than the first subset), with and without the shortcut."""
    import random

    import fontpkg_pt_sans
    from reportlab.pdfbase.pdfdoc import PDFDocument
    from reportlab.pdfbase.ttfonts import TTFont

    from briefpack.build import prepare
    from briefpack.render import rlsafe
    from briefpack.render.pdf import render_pdf

    font = TTFont("BP-split-test", str(fontpkg_pt_sans.ROOT / "files" / "PT_Sans-Web-Regular.ttf"))
    for seed in range(3):
        slow, quick = PDFDocument(), PDFDocument()
        pick = random.Random(seed)
        characters = [chr(c) for c in range(32, 0x2200) if pick.random() < 0.3] + list("Plain text\xa0— ‘quoted’")
        for _ in range(2000):
            text = "".join(pick.choice(characters) for _ in range(pick.randint(0, 40)))
            assert rlsafe._split_string(font, text, quick) == rlsafe._split_string_slowly(font, text, slow), text
        assert font.state[quick].assignments == font.state[slow].assignments
        assert font.state[quick].subsets == font.state[slow].subsets
    shutil.copytree(Path(__file__).parent / "fixtures" / "branding" / "cymru", project / "branding" / "cymru")
    jobs = prepare([project / "packs" / "ten-principles.yaml", project / "packs" / "lancashire-7mb.yaml"],
                   ("lancashire", "gloucestershire", "cymru"))
    quickly = [render_pdf(job.document, job.brand)[0] for job in jobs]
    monkeypatch.setattr(rlsafe, "_split_string", rlsafe._split_string_slowly)
    assert [render_pdf(job.document, job.brand)[0] for job in jobs] == quickly


def test_a_width_remembered_is_the_width_reportlab_measures(project: Path, monkeypatch) -> None:
    """TTFont.stringWidth remembered per font (rlsafe): the width reportlab's own measuring gives, for random text
    at several sizes; measured again once the face has widths for more characters; and PDFs in brands of other
    fonts are the same with and without it."""
    import random

    import fontpkg_pt_sans
    from reportlab.pdfbase.ttfonts import TTFont

    from briefpack.build import prepare
    from briefpack import memo
    from briefpack.render import rlsafe
    from briefpack.render.pdf import render_pdf

    font = TTFont("BP-width-test", str(fontpkg_pt_sans.ROOT / "files" / "PT_Sans-Web-Regular.ttf"))
    pick = random.Random(7)
    characters = [chr(c) for c in range(32, 0x500)]
    for _ in range(3000):
        text = "".join(pick.choice(characters) for _ in range(pick.randint(0, 12)))
        size = pick.choice((9, 10.5, 11, 14.25))
        assert font.stringWidth(text, size) == rlsafe._string_width(font, text, size) == font.stringWidth(text, size)
    new = 0xF0123  # a character the face has no width for, then has one: the width measured before is not kept
    before = font.stringWidth(chr(new), 10)
    font.face.charWidths[new] = 2 * font.face.defaultWidth + 100
    assert font.stringWidth(chr(new), 10) == rlsafe._string_width(font, chr(new), 10) != before
    jobs = prepare([project / "packs" / "ten-principles.yaml", project / "packs" / "lancashire-7mb.yaml"],
                   ("lancashire", "gloucestershire", "bscb"))
    with memo.off():  # every line measured and broken in both
        remembered = [render_pdf(job.document, job.brand)[0] for job in jobs]
        monkeypatch.setattr(TTFont, "stringWidth", rlsafe._string_width)
        assert [render_pdf(job.document, job.brand)[0] for job in jobs] == remembered
