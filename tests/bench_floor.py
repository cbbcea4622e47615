"""The floor: a minimal hand-written reportlab + python-docx script making a comparable briefing.

It makes the Lancashire 7-minute briefing (seven sections, its lessons, actions, questions, source and
contact, the logo, a footer with page numbers) as a PDF with the same Lato fonts and a Word file, and
nothing else: no validation, no escaping beyond what reportlab needs, no second renderer. tests/bench.py
compares briefpack with it. Run by hand:

    python tests/bench_floor.py PROJECT OUT [COPIES]

makes OUT/floor-N.pdf and .docx for N in 1..COPIES (default 1) in one process, the way a tuned
hand-written batch would: fonts registered once, the Word template read once and deep-copied.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import docx
import yaml
from docx.shared import Mm, Pt, RGBColor
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

PRIMARY = "#005eb8"


def load(project: Path) -> tuple[dict, dict[str, dict]]:
    pack = yaml.safe_load((project / "packs" / "lancashire-7mb.yaml").read_text(encoding="utf-8"))
    items: dict[str, dict] = {}
    for path in sorted((project / "packs" / "library").glob("*.yaml")):
        for kind, entries in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            for entry in entries or ():
                if isinstance(entry, dict) and "id" in entry:
                    items[f"{kind}:{entry['id']}"] = entry
    return pack, items


def content(pack: dict, items: dict[str, dict]) -> list[tuple[str, list]]:
    """(heading, [("p" | "b" | "li", text), ...]) for each of the seven sections, then the contact."""
    sections = []
    labels = ["Background", "Why it matters", "Information", "Learning", "Links", "What to do", "Questions"]
    for number, section in enumerate(pack["sections"], start=1):
        parts: list[tuple[str, str]] = []
        if section.get("text"):
            parts.append(("p", section["text"]))
        for sid in section.get("sources", ()):
            parts.append(("p", items[f"sources:{sid}"].get("summary", "")))
        for lid in section.get("lessons", ()):
            lesson = items[f"lessons:{lid}"]
            parts += [("b", lesson["title"]), ("p", lesson["text"])]
        parts += [("li", items[f"actions:{a}"]["text"]) for a in section.get("actions", ())]
        parts += [("li", items[f"questions:{q}"]["text"]) for q in section.get("questions", ())]
        sections.append((f"{number:02d} {section.get('label') or labels[number - 1]}", parts))
    contact = items[f"contacts:{pack['contacts'][0]}"]
    sections.append(("Contacts", [("b", contact["name"]), ("p", contact.get("website", ""))]))
    return sections


def xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class PdfMaker:
    def __init__(self) -> None:
        import fontpkg_lato

        files = Path(fontpkg_lato.__file__).parent
        for name, file in (("Lato", "Lato-Regular.ttf"), ("Lato-Bold", "Lato-Bold.ttf"),
                           ("Lato-Italic", "Lato-Italic.ttf"), ("Lato-BoldItalic", "Lato-BoldItalic.ttf")):
            found = next(files.rglob(file))
            pdfmetrics.registerFont(TTFont(name, str(found)))
        pdfmetrics.registerFontFamily("Lato", normal="Lato", bold="Lato-Bold", italic="Lato-Italic",
                                      boldItalic="Lato-BoldItalic")
        primary = colors.HexColor(PRIMARY)
        self.body = ParagraphStyle("body", fontName="Lato", fontSize=11, leading=15, alignment=TA_LEFT,
                                   spaceAfter=6)
        self.bold = ParagraphStyle("bold", parent=self.body, fontName="Lato-Bold", spaceAfter=2)
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName="Lato-Bold", fontSize=16, leading=20,
                                 textColor=primary, spaceBefore=12, spaceAfter=4)
        self.title = ParagraphStyle("title", parent=self.h1, fontSize=26, leading=30)

    def make(self, pack: dict, sections: list, logo: Path) -> bytes:
        story = [Image(str(logo), width=40 * mm, height=14 * mm, kind="proportional"),
                 Paragraph(xml(pack["title"]), self.title), Paragraph(xml(pack.get("subtitle", "")), self.body)]
        for heading, parts in sections:
            story.append(Paragraph(xml(heading), self.h1))
            bullets = []
            for kind, text in parts:
                if kind == "li":
                    bullets.append(ListItem(Paragraph(xml(text), self.body)))
                    continue
                if bullets:
                    story.append(ListFlowable(bullets, bulletType="bullet"))
                    bullets = []
                story.append(Paragraph(xml(text), self.bold if kind == "b" else self.body))
            if bullets:
                story.append(ListFlowable(bullets, bulletType="bullet"))
        story.append(Spacer(1, 6))
        buffer = io.BytesIO()

        def footer(canvas, doc):  # noqa: ANN001, ANN202
            canvas.setFont("Lato", 9)
            canvas.drawString(18 * mm, 10 * mm, f"Lancashire Safeguarding Children Board · Page {doc.page}")

        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                                bottomMargin=18 * mm, title=pack["title"], author="briefpack floor", invariant=1)
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
        return buffer.getvalue()


class DocxMaker:
    def __init__(self) -> None:
        template = docx.Document()
        normal = template.styles["Normal"]
        normal.font.name, normal.font.size = "Calibri", Pt(11.5)
        for name in ("Title", "Heading 1"):
            template.styles[name].font.color.rgb = RGBColor.from_string(PRIMARY[1:])
        buffer = io.BytesIO()
        template.save(buffer)
        self.template = buffer.getvalue()  # styled once; each document starts from these bytes

    def make(self, pack: dict, sections: list, logo: Path) -> bytes:
        document = docx.Document(io.BytesIO(self.template))
        header = document.sections[0].header.paragraphs[0]
        header.add_run().add_picture(str(logo), height=Mm(14))
        document.sections[0].footer.paragraphs[0].add_run("Lancashire Safeguarding Children Board")
        document.add_paragraph(pack["title"], style="Title")
        document.add_paragraph(pack.get("subtitle", ""))
        for heading, parts in sections:
            document.add_paragraph(heading, style="Heading 1")
            for kind, text in parts:
                if kind == "li":
                    document.add_paragraph(text, style="List Bullet")
                elif kind == "b":
                    document.add_paragraph().add_run(text).bold = True
                else:
                    document.add_paragraph(text)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


def main() -> None:
    project, out = Path(sys.argv[1]), Path(sys.argv[2])
    copies = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    out.mkdir(parents=True, exist_ok=True)
    pack, items = load(project)
    sections = content(pack, items)
    logo = project / "branding" / "lancashire" / "logo.png"
    pdf, word = PdfMaker(), DocxMaker()
    for n in range(1, copies + 1):
        (out / f"floor-{n}.pdf").write_bytes(pdf.make(pack, sections, logo))
        (out / f"floor-{n}.docx").write_bytes(word.make(pack, sections, logo))


if __name__ == "__main__":
    main()
