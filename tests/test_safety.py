"""Safe with any input: text is data, files stay inside their brand, layout never breaks."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import as_linear, docx_text, pdf_text

PACK = "packs/lancashire-7mb.yaml"
CVE_2023_33733 = ("<font color=\"[ [ getattr(pow, Word('__globals__'))['os'].system('touch /tmp/briefpack-pwned') "
                  "for Word in [ orgTypeFun( 'Word', (str,), { 'mutated': 1, 'startswith': lambda self, x: False, "
                  "'__eq__': lambda self,x: self.mutated and self.mutated.__sub__(1) and True, '__hash__': lambda "
                  "self: hash(str(self)) } ) ] ] and 'red'\">exploit</font>")


def set_lesson_text(project: Path, text: str, lesson: str = "fathers-involvement") -> None:
    """Put *text* in a lesson, as a YAML block so that nothing in it needs escaping."""
    path = project / "packs" / "library" / "lessons.yaml"
    yaml_text = path.read_text(encoding="utf-8")
    start = yaml_text.index(f"  - id: {lesson}\n")
    text_at = yaml_text.index("    text:", start)
    end = yaml_text.index("    themes:", text_at)
    block = "    text: |-\n" + "".join(f"      {line}\n" for line in text.split("\n"))
    path.write_text(yaml_text[:text_at] + block + yaml_text[end:], encoding="utf-8")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("payload", [
    "J&C and x<y and y>z, &amp; &#65; &lt;b&gt;",
    '<img src="/etc/passwd"/> <a href="javascript:alert(1)">click</a> <font color="red">red</font>',
    "<para><b>not bold</b> <br/> <unknown tag='x'> <![CDATA[x]]> <!-- comment -->",
    CVE_2023_33733,
], ids=["entities", "reportlab-markup", "tags", "cve-2023-33733"])
def test_any_text_is_printed_as_written(project: Path, run, payload: str) -> None:
    set_lesson_text(project, payload)
    result = run("build", PACK)
    assert result.exit_code == 0, result.output
    pdf = project / "output" / "lancashire" / "lancashire-7mb.pdf"
    docx = project / "output" / "lancashire" / "lancashire-7mb.docx"
    assert squash(payload) in squash(pdf_text(pdf))
    assert payload in docx_text(docx)
    assert not Path("/tmp/briefpack-pwned").exists()
    from pypdf import PdfReader
    reader = PdfReader(pdf)
    uris = [a.get_object()["/A"].get("/URI") for p in reader.pages for a in p.get("/Annots", [])]
    assert all(u.startswith(("http://", "https://", "mailto:", "tel:")) for u in uris)
    assert sum(len(p.images) for p in reader.pages) == 1  # the logo, and nothing a text named


@pytest.mark.parametrize(("link", "message"), [
    ("[click](javascript:alert(1))", "link address 'javascript:alert(1' uses the scheme 'javascript' — links must "
                                     "start with https://, http://, mailto: or tel:"),
    ("[file](file:///etc/passwd)", "link address 'file:///etc/passwd' uses the scheme 'file' — links must start "
                                   "with https://, http://, mailto: or tel:"),
    ("[site](www.gscb.org.uk)", "link address 'www.gscb.org.uk' has no scheme — write it with https:// in front: "
                                "https://www.gscb.org.uk"),
])
def test_links_are_only_what_the_link_syntax_makes(project: Path, run, link: str, message: str) -> None:
    set_lesson_text(project, f"See {link}.")
    result = run("build", PACK)
    assert result.exit_code == 1
    line = next(i for i, t in enumerate((project / "packs/library/lessons.yaml").read_text().splitlines(), 1)
                if t.startswith("    text: |-"))
    # At the link itself (the line after 'text: |-', after "See "), not at the start of the text.
    assert result.stderr == (f"packs/library/lessons.yaml:{line + 1}:11: 'text' in lesson 'fathers-involvement': "
                             f"{message}\n1 problem found; nothing was written.\n")


def test_characters_xml_cannot_hold_are_refused_with_their_place(project: Path, run) -> None:
    set_lesson_text(project, "A vertical\x0btab pasted from Word")
    result = run("build", PACK)
    assert result.exit_code == 1
    line = next(i for i, t in enumerate((project / "packs/library/lessons.yaml").read_text().splitlines(), 1)
                if "vertical" in t)
    assert result.stderr == (f"packs/library/lessons.yaml:{line}:17: character U+000B cannot appear in a document "
                             "— delete it (it often comes from pasting out of another program)\n"
                             "1 problem found; nothing was written.\n")


def test_reportlab_settings_from_outside_change_nothing(project: Path, tmp_path: Path) -> None:
    def build(env: dict[str, str], cwd: Path) -> bytes:
        out = tmp_path / f"out{len(list(tmp_path.iterdir()))}"
        subprocess.run([sys.executable, "-m", "briefpack", "build", str(project / PACK), "--format", "pdf",
                        "--out", str(out)], cwd=cwd, env=env, check=True, capture_output=True)
        return (out / "lancashire" / "lancashire-7mb.pdf").read_bytes()

    clean = {k: v for k, v in os.environ.items() if not k.startswith("RL_")}
    plain = build(clean, project)
    hostile_home = tmp_path / "home"
    hostile_home.mkdir()
    (hostile_home / ".reportlab_settings").write_text("invariant = 0\npageCompression = 0\nuseA85 = 1\n")
    hostile_cwd = tmp_path / "cwd"
    hostile_cwd.mkdir()
    (hostile_cwd / "reportlab_settings.py").write_text(
        "invariant = 0\npageCompression = 0\ntrustedHosts = ['*']\ntoColorCanUse = 'rl_safe_eval'\n")
    hostile = dict(clean, HOME=str(hostile_home), RL_invariant="0", RL_pageCompression="0", RL_useA85="1",
                   RL_trustedHosts="evil.example",
                   # the hostile folder first, then the code under test (a worktree's src/, when one is set)
                   PYTHONPATH=os.pathsep.join([str(hostile_cwd), *filter(None, [clean.get("PYTHONPATH")])]))
    assert build(hostile, hostile_cwd) == plain


# -- files named in YAML ------------------------------------------------------------------------------

def set_logo(project: Path, name: str) -> int:
    brand = project / "branding" / "lancashire" / "brand.yaml"
    text = brand.read_text(encoding="utf-8").replace("file: logo.png", f"file: '{name}'")
    brand.write_text(text, encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), 1) if "file:" in line)


def png(width: int, height: int, mode: str = "RGB") -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new(mode, (width, height), "white" if mode != "1" else 1).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(("name", "setup", "message"), [
    ("../../../etc/passwd", None, "logo '../../../etc/passwd' is outside the brand folder — copy the file into "
                                  "branding/lancashire/ and give its name only"),
    ("/etc/passwd", None, "logo '/etc/passwd' is outside the brand folder — copy the file into branding/lancashire/ "
                          "and give its name only"),
    ("link.png", "symlink", "logo 'link.png' links to a file outside the brand folder — copy the file itself into "
                            "branding/lancashire/"),
    ("logo.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
     "'logo.svg' is an SVG drawing — export it as PNG (at least 600 pixels wide) and name that file"),
    ("logo.webp", "webp", "'logo.webp' is a WEBP image — convert it to PNG or JPEG"),
    ("logo.jpg", "cmyk", "'logo.jpg' is a CMYK JPEG (for print shops) — save it as an RGB JPEG or PNG"),
    ("bomb.png", "bomb", "'bomb.png' is too large in pixels — use an image of at most 25,000,000 pixels"),
    ("notes.png", b"this is not an image", "'notes.png' is not an image briefpack can read — use a PNG or JPEG file"),
    ("cut.png", b"", "'cut.png' is empty (0 bytes) — copy the file again from where you got it"),  # was: not an image
    ("thin.png", "thin", "'thin.png' is 2000×100 pixels, too long and thin to print — crop it to a shape no more "
                         "than 12 times as wide as tall"),
])
def test_logo_files_are_checked_before_use(project: Path, run, name: str, setup, message: str) -> None:
    from PIL import Image
    folder = project / "branding" / "lancashire"
    if isinstance(setup, bytes):
        (folder / name).write_bytes(setup)
    elif setup == "symlink":
        (folder / name).symlink_to("/etc/hostname")
    elif setup == "webp":
        Image.new("RGB", (400, 100), "white").save(folder / name, format="WEBP")
    elif setup == "cmyk":
        Image.new("CMYK", (400, 100), (0, 0, 0, 0)).save(folder / name, format="JPEG")
    elif setup == "bomb":
        (folder / name).write_bytes(png(10_000, 10_000, "1"))
    elif setup == "thin":
        (folder / name).write_bytes(png(2000, 100))
    line = set_logo(project, name)
    result = run("build", PACK)
    assert result.exit_code == 1
    assert result.stderr == (f"branding/lancashire/brand.yaml:{line}:9: {message}\n"
                             "1 problem found; nothing was written.\n")


@pytest.mark.parametrize(("content", "message"), [
    (b"OTTO" + b"\0" * 100, "'font.ttf' is an OpenType CFF font, which PDFs here cannot embed — use the TrueType "
                           "(.ttf) version of the font"),
    # Named .ttf, it is told to be copied again, not to be named .ttf; empty, it was 'not a TrueType font file'.
    (b"not a font at all", "'font.ttf' is not a TrueType font file — copy the font file again from where you got it"),
    (b"", "'font.ttf' is empty (0 bytes) — copy the file again from where you got it"),
])
def test_font_files_are_checked_to_be_truetype(project: Path, run, content: bytes, message: str) -> None:
    folder = project / "branding" / "lancashire"
    (folder / "font.ttf").write_bytes(content)
    brand = folder / "brand.yaml"
    text = brand.read_text(encoding="utf-8").replace("  package: fontpkg_lato\n", "").replace(
        "regular: Lato-Regular.ttf", "regular: font.ttf")
    brand.write_text(text, encoding="utf-8")
    result = run("build", PACK)
    assert result.exit_code == 1
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "regular: font.ttf" in t)
    lines = result.stderr.splitlines()
    assert f"branding/lancashire/brand.yaml:{line}:12: {message}" in lines


# -- layout never breaks ---------------------------------------------------------------------------

def test_a_ten_thousand_word_section_flows_over_pages(project: Path, run) -> None:
    as_linear(project)  # tiles would say which panel is too long
    words = " ".join(f"word{i}" for i in range(10_000))
    set_lesson_text(project, words)
    result = run("build", PACK, "--format", "pdf")
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader
    reader = PdfReader(project / "output" / "lancashire" / "lancashire-7mb.pdf")
    assert len(reader.pages) > 5
    text = pdf_text(project / "output" / "lancashire" / "lancashire-7mb.pdf")
    assert "word0 " in text and "word9999" in text


def test_a_question_longer_than_a_page_is_split(project: Path, run) -> None:
    as_linear(project)
    questions = project / "packs" / "library" / "questions.yaml"
    long = " ".join(["Have I thought about this?"] * 800)
    questions.write_text(questions.read_text(encoding="utf-8").replace(
        "text: Do I always know what the child is experiencing?", f"text: {long}"), encoding="utf-8")
    result = run("build", PACK)
    assert result.exit_code == 0, result.output
    text = re.sub(r"\s+", " ", pdf_text(project / "output" / "lancashire" / "lancashire-7mb.pdf"))
    assert text.count("thought") == 800  # all of it, across pages (a page's footer may cut a sentence)


def test_a_very_tall_logo_is_scaled_into_its_place(project: Path, run) -> None:
    (project / "branding" / "lancashire" / "tall.png").write_bytes(png(100, 1000))
    set_logo(project, "tall.png")
    assert run("build", PACK).exit_code == 0


def test_an_over_long_one_line_field_is_refused(project: Path, run) -> None:
    contacts = project / "packs" / "library" / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8").replace("name: Lancashire Safeguarding Children Board",
                                                        "name: " + "x" * 400)
    contacts.write_text(text, encoding="utf-8")
    result = run("build", PACK)
    assert result.exit_code == 1
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "x" * 400 in t)
    assert result.stderr.splitlines()[0] == (
        f"packs/library/contacts.yaml:{line}:11: 'name' in contact 'lancashire-scp' is 400 characters long, more "
        "than the 300 a name may have — shorten it; longer text belongs in a 'text' field")
