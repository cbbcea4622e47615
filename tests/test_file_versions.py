"""A file replaced by another of the same size and modified time (`cp -p`, unzip, `git checkout` within one
second) is read again: nothing remembered from the old one is used, in the same process (no timings here)."""

from __future__ import annotations

import io
import os
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from briefpack import filememo
from conftest import docx_header_footer_text, pdf_runs


class _Later:
    """time for filememo, ten seconds on: every file written so far looks settled (see filememo.SETTLED_NS)."""

    @staticmethod
    def time_ns() -> int:
        return time.time_ns() + 10_000_000_000


@pytest.fixture(params=["settled", "just changed"])
def age(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test twice: with every file looking long settled (remembered by its stamp), and as written just now
    (known by its bytes)."""
    if request.param == "settled":
        monkeypatch.setattr(filememo, "time", _Later)
    return request.param


def replace_keeping_size_and_time(path: Path, data: bytes) -> None:
    """Write *data* over *path*, padded with zero bytes to its size (a font's checksums do not change), with its
    modified time set back as it was: only its changed time tells (it is made to move, on a coarse clock)."""
    before = path.stat()
    assert len(data) <= before.st_size
    data += bytes(before.st_size - len(data))
    for _ in range(1000):
        path.write_bytes(data)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        after = path.stat()
        if after.st_ctime_ns != before.st_ctime_ns:
            assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
            return
        time.sleep(0.002)
    raise AssertionError("the file's changed time never moved")


def _lato(face: str) -> Path:
    import fontpkg_lato

    return Path(fontpkg_lato.__file__).parent / "files" / f"Lato-{face}.ttf"


def _pt_sans(face: str) -> Path:
    import fontpkg_pt_sans

    return fontpkg_pt_sans.ROOT / "files" / f"PT_Sans-Web-{face}.ttf"


def test_a_font_file_replaced_is_read_again(tmp_path: Path, age: str) -> None:
    from briefpack import fontfaces

    path = tmp_path / "House.ttf"
    shutil.copy2(_lato("Regular"), path)
    assert fontfaces.read_font(path).family == "Lato"  # type: ignore[union-attr]
    replace_keeping_size_and_time(path, _pt_sans("Regular").read_bytes())
    assert fontfaces.read_font(path).family == "PT Sans"  # type: ignore[union-attr]
    assert [f.family for f in fontfaces.families(tmp_path)["PT Sans"]] == ["PT Sans"]


def _house_lato(project: Path) -> Path:
    """Give gloucestershire Lato's faces as its own files (House-*.ttf); return its folder."""
    folder = project / "branding" / "gloucestershire"
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        shutil.copy2(_lato(face), folder / f"House-{face}.ttf")
    brand = folder / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    start, end = text.index("fonts:"), text.index("footer:")
    brand.write_text(text[:start] + "fonts:\n  family: House Sans\n  regular: House-Regular.ttf\n  bold: "
                     "House-Bold.ttf\n  italic: House-Italic.ttf\n  bold_italic: House-BoldItalic.ttf\n"
                     + text[end:], encoding="utf-8")
    return folder


def test_a_pdf_built_again_after_its_fonts_are_replaced_draws_the_new_fonts(project: Path, run, age: str,
                                                                            monkeypatch) -> None:
    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")  # both builds here, in this process, where fonts are kept
    folder = _house_lato(project)
    pdf = project / "output" / "gloucestershire" / "gloucestershire-8-lessons.pdf"

    def fonts() -> set[str]:
        result = run("build", "packs/gloucestershire-8-lessons.yaml", "--format", "pdf")
        assert result.exit_code == 0, result.output
        return {name.partition("+")[2] for name, _ in pdf_runs(pdf)}

    assert {"Lato-Regular", "Lato-Bold"} <= fonts()
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        replace_keeping_size_and_time(folder / f"House-{face}.ttf", _pt_sans(face).read_bytes())
    drawn = fonts()
    assert {"PTSans-Regular", "PTSans-Bold"} <= drawn and not any(name.startswith("Lato") for name in drawn)


def test_a_brand_renamed_in_a_file_of_the_same_size_and_time_is_looked_for_by_its_new_name(project: Path,
                                                                                          age: str) -> None:
    from briefpack import leaks

    brand = project / "branding" / "lancashire" / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    old = "Lancashire Safeguarding Children Board"
    new = "Lancasters Safeguarding Children Board"
    assert old in text and len(new) == len(old)
    names = {t.text for t in leaks.identity(project / "branding", "lancashire") if t.kind == "name"}
    assert names == {old}
    replace_keeping_size_and_time(brand, text.replace(old, new).encode("utf-8"))
    names = {t.text for t in leaks.identity(project / "branding", "lancashire") if t.kind == "name"}
    assert names == {new}


def _template(path: Path, header: str) -> None:
    """A Word template whose header says *header*, stored (not compressed) at a fixed date: templates of headers
    of one length have one size."""
    import docx

    made = io.BytesIO()
    template = docx.Document()
    template.sections[0].header.paragraphs[0].text = header
    template.save(made)
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as out:
        for info in source.infolist():
            out.writestr(zipfile.ZipInfo(info.filename, (2026, 1, 1, 0, 0, 0)), source.read(info.filename))


def test_a_docx_built_again_after_its_word_template_is_replaced_has_the_new_template(project: Path, run, age: str,
                                                                                    monkeypatch) -> None:
    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    folder = project / "branding" / "lancashire"
    _template(folder / "house.docx", "House header one")
    _template(project / "two.docx", "House header two")
    brand = folder / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "word_template: house.docx\n", encoding="utf-8")
    docx = project / "output" / "lancashire" / "lancashire-7mb.docx"

    def header() -> str:
        result = run("build", "packs/lancashire-7mb.yaml", "--format", "docx")
        assert result.exit_code == 0, result.output
        return docx_header_footer_text(docx)

    assert "House header one" in header()
    replace_keeping_size_and_time(folder / "house.docx", (project / "two.docx").read_bytes())
    assert "House header two" in header()


def test_where_the_changed_time_is_not_a_change_time_the_stamp_holds_the_bytes(tmp_path: Path, monkeypatch) -> None:
    """On Windows st_ctime is the creation time, which a file overwritten in place keeps: there the stamp holds
    a digest of the file's bytes."""
    monkeypatch.setattr(filememo, "time", _Later)
    path = tmp_path / "logo.png"
    path.write_bytes(b"one")
    assert filememo.stamp(path) == filememo.stamp(path) and len(filememo.stamp(path) or ()) == 5
    monkeypatch.setattr(filememo, "TRUST_CTIME", False)
    first = filememo.stamp(path)
    assert first is not None and first[-1] == filememo.digest(path)
    replace_keeping_size_and_time(path, b"two")
    assert filememo.stamp(path)[:4] == first[:4] and filememo.stamp(path) != first  # type: ignore[index]


def _fira(face: str) -> Path:
    import fontpkg_fira_sans

    return fontpkg_fira_sans.ROOT / "files" / f"FiraSans-{face}.ttf"


def _lato_fallback(project: Path, run) -> tuple[Path, Callable[[], set[str]]]:  # noqa: ANN001 - the fixture
    """Gloucestershire in house fonts (PT Sans), with Lato's faces as its fallback in files of its own
    (Fall-*.ttf), and 'ŵ' (not in PT Sans) in its pack: its folder, and what builds it and names the fonts drawing
    'ŵ' (each build made afresh, never found up to date)."""
    from conftest import house_fonts

    house_fonts(project)
    folder = project / "branding" / "gloucestershire"
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        shutil.copy2(_lato(face), folder / f"Fall-{face}.ttf")
    brand = folder / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    start = text.index("footer:")
    end = text.index("\n", start)
    pack = project / "packs" / "gloucestershire-8-lessons.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("working with children", "working with children ŵ"),
                    encoding="utf-8")
    brand.write_text(text[:start] + "footer: Gloucestershire\nfallback:\n  family: Fall\n  regular: "
                     "Fall-Regular.ttf\n  bold: Fall-Bold.ttf\n  italic: Fall-Italic.ttf\n  bold_italic: "
                     "Fall-BoldItalic.ttf" + text[end:], encoding="utf-8")
    pdf = project / "output" / "gloucestershire" / "gloucestershire-8-lessons.pdf"

    def drawn_in() -> set[str]:
        shutil.rmtree(project / "output", ignore_errors=True)
        result = run("build", "packs/gloucestershire-8-lessons.yaml", "--format", "pdf")
        assert result.exit_code == 0, result.output
        return {name.partition("+")[2] for name, text in pdf_runs(pdf) if "ŵ" in text}

    return folder, drawn_in


def test_a_pdf_built_again_after_its_fallback_font_is_replaced_draws_in_the_new_one(project: Path, run, age: str,
                                                                                    monkeypatch) -> None:
    """'ŵ' is not in PT Sans (the brand's fonts): the fallback draws it, Lato's faces, then Fira Sans's in their
    files; how a text was marked up for the old fallback is not used again."""
    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    folder, drawn_in = _lato_fallback(project, run)
    assert drawn_in() == {"Lato-Regular"}
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        replace_keeping_size_and_time(folder / f"Fall-{face}.ttf", _fira(face).read_bytes())
    assert drawn_in() == {"FiraSans-Regular"}


def test_a_word_chart_drawn_again_after_its_fonts_are_replaced_is_in_the_new_fonts(project: Path, run, age: str,
                                                                                   monkeypatch) -> None:
    """The chart's picture (drawn with the brand's font files) is drawn again, not taken from memory."""
    import docx

    from briefpack.render import figures

    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    folder = _house_lato(project)
    out = project / "output" / "gloucestershire" / "ten-principles.docx"

    def chart() -> bytes:
        result = run("build", "packs/ten-principles.yaml", "--brand", "gloucestershire", "--format", "docx")
        assert result.exit_code == 0, result.output
        pictures = [p.blob for p in docx.Document(str(out)).part.package.parts if p.content_type == "image/png"]
        charts = [blob for blob in pictures if blob in drawn]
        assert len(charts) == 1
        return charts[0]

    drawn: list[bytes] = []
    real = figures._draw_bar_chart_png
    monkeypatch.setattr(figures, "_draw_bar_chart_png", lambda *args: drawn.append(real(*args)) or drawn[-1])
    first = chart()
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        replace_keeping_size_and_time(folder / f"House-{face}.ttf", _pt_sans(face).read_bytes())
    assert chart() != first and len(drawn) == 2  # drawn again, in PT Sans


def test_two_font_files_of_one_postscript_name_are_each_drawn_as_themselves(project: Path, run, monkeypatch) -> None:
    """Gloucestershire's own copy of Lato and Lancashire's Lato (the package's) name their faces alike: each
    document draws from its own file (reportlab would take the first it met for both, and a QR code in the
    second then named a font its PDF did not have)."""
    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    _house_lato(project)
    result = run("build", "packs/ten-principles.yaml", "--brand", "gloucestershire", "--brand", "lancashire",
                 "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert ({name.partition("+")[2] for name, _ in pdf_runs(project / "output" / "lancashire" / "ten-principles.pdf")}
            == {"Lato-Regular", "Lato-Bold"})


def test_briefpacks_own_source_replaced_by_a_file_of_the_same_size_and_time_is_new_source(tmp_path: Path) -> None:
    """A checkout being worked on: outputs are made again when briefpack's code changes (uptodate.own_stamp)."""
    from briefpack import uptodate

    (tmp_path / "render").mkdir()
    (tmp_path / "render" / "pdf.py").write_text("SIZE = 1\n", encoding="utf-8")
    before = uptodate.source_stamp(tmp_path)
    assert before and uptodate.source_stamp(tmp_path) == before
    replace_keeping_size_and_time(tmp_path / "render" / "pdf.py", b"SIZE = 2\n")
    assert uptodate.source_stamp(tmp_path) != before


def _libreoffice_return(path: Path, title: str) -> None:
    """A Word kit of Lancashire's as LibreOffice saves it: its team field known by its title alone."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = (f'<w:document xmlns:w="{w}"><w:body><w:sdt><w:sdtPr><w:alias w:val="{title}"/></w:sdtPr>'
                '<w:sdtContent><w:p><w:r><w:t>Preston Early Help</w:t></w:r></w:p></w:sdtContent></w:sdt>'
                '</w:body></w:document>')
    core = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier>briefpack-kit/1 pack=lancashire-7mb '
            'brand=lancashire</dc:identifier></cp:coreProperties>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", document)
        z.writestr("docProps/core.xml", core)


def test_a_return_is_read_in_the_brands_words_as_its_file_is_now(project: Path, age: str) -> None:
    """The titles of a kit's fields are in its brand's words: a brand.yaml replaced (same size and time), or
    another project's brand of the same name, gives the words read then."""
    from briefpack.returns import read_docx

    brand = project / "branding" / "lancashire" / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(text.replace("    - Questions\n", "    - Questions\n  words:\n    kit_team: Tîm AAAA\n", 1),
                     encoding="utf-8")
    form = project / "return.docx"
    _libreoffice_return(form, "Tîm AAAA")
    assert read_docx(form)[1] == {"team": "Preston Early Help"}
    replace_keeping_size_and_time(brand, brand.read_bytes().replace(b"AAAA", b"BBBB"))
    _libreoffice_return(form, "Tîm BBBB")
    assert read_docx(form)[1] == {"team": "Preston Early Help"}


def test_a_picture_is_kept_as_the_bytes_its_digest_was_taken_of(project: Path, monkeypatch) -> None:
    """A logo replaced while it is read (between its digest and its decoding) is never kept as the picture of the
    bytes it had: the picture is decoded from the bytes that were hashed."""
    from reportlab.lib.utils import ImageReader

    from briefpack.render import pdfimages

    pdfimages._pictures.clear()
    logo = project / "branding" / "lancashire" / "logo.png"
    first, other = logo.read_bytes(), (project / "branding" / "bscb" / "logo.png").read_bytes()
    real = pdfimages.SharedImage

    def replaced_meanwhile(*args):  # noqa: ANN002, ANN202
        logo.write_bytes(other)
        return real(*args)

    monkeypatch.setattr(pdfimages, "SharedImage", replaced_meanwhile)
    drawn = pdfimages.picture(logo)
    expected = ImageReader(io.BytesIO(first))
    assert (drawn.getSize(), drawn.getRGBData()) == (expected.getSize(), expected.getRGBData())


def replaced_once_its_version_is_taken(monkeypatch: pytest.MonkeyPatch, files: dict[Path, bytes]) -> None:
    """Each of *files* replaced by its bytes (see replace_keeping_size_and_time) just after filememo first takes
    its version: changed between its version and its read."""
    pending = {path.resolve(): data for path, data in files.items()}

    def then_replaced(real):  # noqa: ANN001, ANN202 - filememo.version or versioned
        def taken(path: Path):  # noqa: ANN202 - what *real* gives
            found = real(path)
            data = pending.pop(Path(path).resolve(), None)
            if data is not None:
                replace_keeping_size_and_time(Path(path), data)
            return found
        return taken

    for name in ("version", "versioned"):
        monkeypatch.setattr(filememo, name, then_replaced(getattr(filememo, name)))


def test_a_word_template_changed_after_its_version_is_taken_is_not_remembered_under_it(project: Path, run,
                                                                                       age: str, monkeypatch) -> None:
    """The starting .docx is made from the bytes the template's version was taken of: replaced in between, and
    put back, the template's own header is used, not the other one's (remembered under the first's version)."""
    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    folder = project / "branding" / "lancashire"
    house = folder / "house.docx"
    _template(house, "House header one")
    _template(project / "two.docx", "House header two")
    one = house.read_bytes()
    brand = folder / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "word_template: house.docx\n", encoding="utf-8")
    docx = project / "output" / "lancashire" / "lancashire-7mb.docx"

    def header() -> str:
        shutil.rmtree(project / "output", ignore_errors=True)  # built again, not found up to date (once put back)
        result = run("build", "packs/lancashire-7mb.yaml", "--format", "docx")
        assert result.exit_code == 0, result.output
        return docx_header_footer_text(docx)

    replaced_once_its_version_is_taken(monkeypatch, {house: (project / "two.docx").read_bytes()})
    # Settled, the file is read after its stamp is taken (its new bytes, under a stamp no later look finds);
    # changed just now, the bytes its digest was taken of are the ones used.
    assert ("House header one" if age == "just changed" else "House header two") in header()
    replace_keeping_size_and_time(house, one)
    assert "House header one" in header()


def test_a_word_chart_is_drawn_in_the_fonts_whose_versions_were_taken(project: Path, run, age: str,
                                                                      monkeypatch) -> None:
    """A chart is drawn from the bytes its fonts' versions were taken of: fonts replaced in between, and put back,
    give the chart in the fonts themselves, not one in the others remembered under their versions."""
    import docx

    from briefpack import memo

    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    folder = _house_lato(project)
    out = project / "output" / "gloucestershire" / "ten-principles.docx"

    def pictures() -> set[bytes]:
        shutil.rmtree(project / "output", ignore_errors=True)  # built again, not found up to date
        result = run("build", "packs/ten-principles.yaml", "--brand", "gloucestershire", "--format", "docx")
        assert result.exit_code == 0, result.output
        return {p.blob for p in docx.Document(str(out)).part.package.parts if p.content_type == "image/png"}

    memo.clear()
    first = pictures()  # the logo, the QR codes and the chart
    memo.clear()  # the chart is drawn again, not taken from memory
    faces = {folder / f"House-{face}.ttf": _pt_sans(face).read_bytes() for face in ("Regular", "Bold")}
    kept = {path: path.read_bytes() for path in faces}
    replaced_once_its_version_is_taken(monkeypatch, faces)
    assert (pictures() == first) == (age == "just changed")  # settled: the files read after their stamps
    for path, data in kept.items():
        replace_keeping_size_and_time(path, data)
    assert pictures() == first


def test_a_fallback_font_is_registered_from_the_bytes_its_version_was_taken_of(project: Path, run, age: str,
                                                                               monkeypatch) -> None:
    """'ŵ' is drawn in the fallback (Lato's faces in the brand's files): replaced by Fira Sans's between their
    versions and their registration (which waits for a text that needs them), and put back, it is drawn in Lato,
    never in the Fira Sans remembered under Lato's versions."""
    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    folder, drawn_in = _lato_fallback(project, run)
    faces = {folder / f"Fall-{face}.ttf": _fira(face).read_bytes() for face in ("Regular", "Bold", "Italic",
                                                                               "BoldItalic")}
    replaced_once_its_version_is_taken(monkeypatch, faces)
    assert drawn_in() == {"Lato-Regular" if age == "just changed" else "FiraSans-Regular"}  # as the template's
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        replace_keeping_size_and_time(folder / f"Fall-{face}.ttf", _lato(face).read_bytes())
    assert drawn_in() == {"Lato-Regular"}


@pytest.mark.parametrize(("changed", "old", "new"), [
    ("branding/lancashire/brand.yaml", "footer: Lancashire Safeguarding Children Board · Learning from reviews",
     "footer: Changed while building"),
    ("packs/library/lessons.yaml", "Working proactively with fathers", "Working changed while building with fathers"),
    ("packs/lancashire-7mb.yaml", "title: Themes from Serious Case Reviews", "title: Changed while building"),
], ids=["brand", "library", "pack"])
def test_an_input_changed_while_it_is_built_and_put_back_is_built_again(project: Path, run, monkeypatch,
                                                                         changed: str, old: str, new: str) -> None:
    # The inputs were hashed before the build read them: a file changed during the build and put back after it
    # left outputs made from other bytes than those hashed, and the next build called them up to date.
    from briefpack import build as building

    from conftest import norm, pdf_text

    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    path = project / changed
    first = path.read_bytes()
    times = (path.stat().st_atime_ns, path.stat().st_mtime_ns)
    real = building._render

    def render_changed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - build._render's
        path.write_bytes(first.replace(old.encode(), new.encode()))  # after the hashes, before the build reads it
        try:
            return real(*args, **kwargs)
        finally:  # put back as it was, modified time and all (as `cp -p` or an editor's undo and save might)
            path.write_bytes(first)
            os.utime(path, ns=times)

    monkeypatch.setattr(building, "_render", render_changed)
    assert run("build", "lancashire-7mb", "--format", "pdf", "-q").exit_code == 0
    pdf = project / "output/lancashire/lancashire-7mb.pdf"
    said = new.partition(": ")[2] or new
    assert said in norm(pdf_text(pdf))  # made from the changed bytes
    monkeypatch.setattr(building, "_render", real)
    result = run("build", "lancashire-7mb", "--format", "pdf")
    assert (result.exit_code, result.stdout.splitlines()[0]) == (0, "wrote output/lancashire/lancashire-7mb.pdf")
    assert said not in norm(pdf_text(pdf)) and (old.partition(": ")[2] or old) in norm(pdf_text(pdf))
    assert run("build", "lancashire-7mb", "--format", "pdf").stdout == (
        "nothing to do: the 1 file in output/ is up to date\n")
