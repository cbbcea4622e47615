"""Shared fixtures: a copy of the real project to break, and readers that see what a reader sees."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PACKS = ("bscb-key-learning-2014", "gloucestershire-8-lessons", "lancashire-7mb", "national-scr-precis",
                 "ten-principles")
"""The example packs the tests know. A board adds its own packs beside them; tests never see those."""
EXAMPLE_BRANDS = ("bscb", "default", "gloucestershire", "lancashire")
"""The example brands the tests know, likewise."""


def found(command: str | tuple[str, ...], problems: int = 1) -> str:
    """The last line of a report of *problems* problems from *command* ('build', or its words: ('brand', 'check')):
    a command that writes nothing (check, list, brand check) does not speak of writing."""
    words = (command,) if isinstance(command, str) else command
    counted = "1 problem found" if problems == 1 else f"{problems} problems found"
    reads_only = words[0] in ("check", "list") or tuple(words[:2]) == ("brand", "check")
    return f"{counted}.\n" if reads_only else f"{counted}; nothing was written.\n"


def norm(text: str) -> str:
    """Collapse all white space, so text compares across line wrapping."""
    return re.sub(r"\s+", " ", text).strip()


def unbreak(text: str) -> str:
    """*text* without the line breaks a long address takes after '/', '.' or '-' in a narrow panel
    ('www. example.org/ a-b' → 'www.example.org/a-b'); apply it to both sides of a comparison."""
    return re.sub(r"(?<=[/.\-])\s+(?=[a-z0-9])", "", text)


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph, tables included, in document order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    out = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, document)
            out.append((p.style.name, p.text))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                for cell in row.cells:
                    out.extend((p.style.name, p.text) for p in cell.paragraphs)
    return out


def docx_text(path: Path) -> str:
    return "\n".join(text for _, text in docx_paragraphs(path))


def docx_header_footer_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = []
    for section in document.sections:
        for part in (section.first_page_header, section.header, section.first_page_footer, section.footer):
            parts.extend(p.text for p in part.paragraphs)
    return "\n".join(parts)


def copy_examples(to: Path) -> Path:
    """Copy the example packs, the library and the example brands (and nothing a board added) into *to*."""
    shutil.copytree(ROOT / "packs" / "library", to / "packs" / "library")
    shutil.copy(ROOT / "packs" / "README.md", to / "packs" / "README.md")
    for pack in EXAMPLE_PACKS:
        shutil.copy(ROOT / "packs" / f"{pack}.yaml", to / "packs" / f"{pack}.yaml")
    (to / "branding").mkdir()
    shutil.copy(ROOT / "branding" / "README.md", to / "branding" / "README.md")
    for brand in EXAMPLE_BRANDS:
        shutil.copytree(ROOT / "branding" / brand, to / "branding" / brand)
    return to


def as_linear(project: Path) -> Path:
    """Make *project*'s Lancashire briefing the linear layout (tests/fixtures/linear-7mb.yaml), for tests of that
    layout: the example itself is tiles."""
    pack = project / "packs" / "lancashire-7mb.yaml"
    shutil.copy(ROOT / "tests" / "fixtures" / "linear-7mb.yaml", pack)
    return pack


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example packs and brands in a temporary folder, which is also the working folder."""
    copy_examples(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the examples for tests that only read them (do not change it: use `project` for that)."""
    return copy_examples(tmp_path_factory.mktemp("examples"))


@pytest.fixture
def run():
    """Run the briefpack command in-process; return the Click result."""
    from briefpack.cli import main

    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def house_fonts(project: Path, damage=None) -> str:  # noqa: ANN001 - bytes -> bytes
    """Give the gloucestershire brand fonts of its own, in its folder (PT Sans as 'House Sans'), its bold face
    passed through *damage* if given; return where brand.yaml names the bold face (path:line:column)."""
    import fontpkg_pt_sans

    folder = project / "branding" / "gloucestershire"
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        shutil.copy(fontpkg_pt_sans.ROOT / "files" / f"PT_Sans-Web-{face}.ttf", folder / f"House-{face}.ttf")
    if damage is not None:
        bold = folder / "House-Bold.ttf"
        bold.write_bytes(damage(bold.read_bytes()))
    brand = folder / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    start, end = text.index("fonts:"), text.index("footer:")
    text = (text[:start] + "fonts:\n  family: House Sans\n  regular: House-Regular.ttf\n  bold: House-Bold.ttf\n"
            "  italic: House-Italic.ttf\n  bold_italic: House-BoldItalic.ttf\n" + text[end:])
    brand.write_text(text, encoding="utf-8")
    return f"branding/gloucestershire/brand.yaml:{text[:text.index('  bold: ')].count(chr(10)) + 1}:9"


def needs(tool: str):
    """Skip a test when a Debian tool is not installed (CI installs them)."""
    return pytest.mark.skipif(shutil.which(tool) is None, reason=f"{tool} is not installed")


def libreoffice_pdfs(sources: list[Path], to: Path) -> list[Path]:
    """Convert Word files to PDF with LibreOffice (one profile of its own in *to*); fail on any it cannot load."""
    import subprocess

    subprocess.run(["soffice", f"-env:UserInstallation=file://{to}/profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(to), *map(str, sources)], capture_output=True, timeout=300)
    converted = [to / f"{source.stem}.pdf" for source in sources]
    for source, pdf in zip(sources, converted, strict=True):
        assert pdf.exists(), f"LibreOffice could not load {source.name}"
    return converted


def pdf_runs(path: Path) -> list[tuple[str, str]]:
    """(font name, text) of every piece of text drawn, in drawing order."""
    from pypdf import PdfReader

    runs: list[tuple[str, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() and font_dict is not None:
            runs.append((str(font_dict.get("/BaseFont", "")), text))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return runs


def pdf_dictionaries(root):  # noqa: ANN001, ANN201 - a pypdf object; yields pypdf dictionaries
    """Every dictionary reachable from *root* in a PDF, each once, not following links back to parents."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack = [root]
    seen: set[int] = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj
            stack.extend(value for key, value in obj.items() if key not in ("/Parent", "/P"))
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def structure_alts(path: Path) -> set[str]:
    """The alternative text of every figure in a PDF's structure tree."""
    from pypdf import PdfReader

    root = PdfReader(path).trailer["/Root"]["/StructTreeRoot"]
    return {str(d["/Alt"]) for d in pdf_dictionaries(root) if "/Alt" in d}
