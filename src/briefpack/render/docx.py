"""Render a Document to a Word file with python-docx, in real styles an editor can keep using."""

from __future__ import annotations

import datetime as dt
import io
from typing import assert_never

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt, RGBColor

from briefpack.document import (BulletList, Chart, ContactBlock, Contents, Document, Heading, Item, LinkBlock,
                                NumberedList, PageBreak, Para, Section, Table, TitleBlock, TopBlock)
from briefpack.render.figures import bar_chart_png, qr_png
from briefpack.markup import Inline
from briefpack.model import WHITE, Brand, Colour
from briefpack.render import ooxml

PAGE_MM = {"A4": (210, 297), "Letter": (215.9, 279.4)}
BODY_PT = 11.5


def rgb(colour: Colour) -> RGBColor:
    return RGBColor(colour.red, colour.green, colour.blue)


class Renderer:
    """Turn one Document into .docx bytes in one brand's look."""

    def __init__(self, brand: Brand) -> None:
        self.brand = brand
        self.doc = docx.Document()
        self.primary = rgb(brand.palette.primary)
        self.style_ids: dict[str, str | None] = {}

    # -- styles -----------------------------------------------------------------------------------
    def setup_styles(self, language: str) -> None:
        p = self.brand.palette
        styles = self.doc.styles
        ooxml.set_language(styles.element, language)

        def font(style, size: float, colour: Colour, bold: bool | None = None) -> None:
            style.font.name = self.brand.word_font
            style.font.size = Pt(size)
            style.font.color.rgb = rgb(colour)
            if bold is not None:
                style.font.bold = bold
            rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                rfonts.set(ooxml.qn(attr), self.brand.word_font)
            for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
                rfonts.attrib.pop(ooxml.qn(theme_attr), None)

        normal = styles["Normal"]
        font(normal, BODY_PT, p.text)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.2
        font(styles["Title"], 26, p.primary, bold=True)
        title_pf = styles["Title"].paragraph_format
        title_pf.space_after = Pt(6)
        # The default template draws a blue rule under Title; the brand's rule replaces it.
        for border in styles["Title"].element.xpath("./w:pPr/w:pBdr"):
            border.getparent().remove(border)
        font(styles["Subtitle"], 14, p.text, bold=False)
        styles["Subtitle"].font.italic = False
        for level, size in ((1, 16), (2, 13)):
            heading = styles[f"Heading {level}"]
            font(heading, size, p.primary, bold=True)
            heading.paragraph_format.space_before = Pt(14 if level == 1 else 10)
            heading.paragraph_format.space_after = Pt(4)
        for name in ("List Bullet", "List Bullet 2", "List Number"):
            font(styles[name], BODY_PT, p.text)
            styles[name].paragraph_format.space_after = Pt(3)
        kicker = styles.add_style("Kicker", WD_STYLE_TYPE.PARAGRAPH)
        kicker.base_style = normal
        font(kicker, 11, p.accent, bold=True)
        small = styles.add_style("Small Print", WD_STYLE_TYPE.PARAGRAPH)
        small.base_style = normal
        font(small, 10, p.muted)
        for name in ("Header", "Footer"):
            font(styles[name], 9, p.muted)
            # The template's centre tab would catch our one tab; ours goes to the right margin instead.
            styles[name].paragraph_format.tab_stops.clear_all()
        for spacing in styles["Subtitle"].element.xpath("./w:rPr/w:spacing"):
            spacing.getparent().remove(spacing)

    @property
    def text_width_pt(self) -> float:
        section = self.doc.sections[0]
        return (section.page_width - section.left_margin - section.right_margin) / 12700

    def setup_page(self) -> None:
        width, height = PAGE_MM[self.brand.page_size]
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin, section.bottom_margin = Mm(16), Mm(18)
        section.header_distance = section.footer_distance = Mm(8)

    def header_footer(self, document: Document) -> None:
        section = self.doc.sections[0]
        header = section.header.paragraphs[0]
        header.paragraph_format.tab_stops.add_tab_stop(section.page_width - section.left_margin
                                                       - section.right_margin, WD_TAB_ALIGNMENT.RIGHT)
        picture = header.add_run().add_picture(str(self.brand.logo), height=Mm(14))
        ooxml.set_alt_text(picture, self.brand.logo_alt)
        header.add_run("\t" + self.brand.name)
        footer = section.footer.paragraphs[0]
        footer.paragraph_format.tab_stops.add_tab_stop(section.page_width - section.left_margin
                                                       - section.right_margin, WD_TAB_ALIGNMENT.RIGHT)
        footer.add_run(document.footer + "\tPage ")
        ooxml.add_field(footer, "PAGE")
        footer.add_run(" of ")
        ooxml.add_field(footer, "NUMPAGES")

    def properties(self, document: Document) -> None:
        cp = self.doc.core_properties
        cp.title, cp.author, cp.subject = document.title, document.author, document.subject
        # Word's core properties hold at most 255 characters each.
        keywords: list[str] = []
        for word in document.keywords:
            if len(", ".join([*keywords, word])) > 255:
                break
            keywords.append(word)
        cp.keywords = ", ".join(keywords)
        cp.language = document.language
        cp.last_modified_by = "briefpack"
        cp.comments = ""
        cp.revision = 1
        parts = [int(x) for x in document.date_iso.split("-")] if document.date_iso else [2000]
        when = dt.datetime(parts[0], *(parts[1:] + [1, 1])[:2])
        cp.created = cp.modified = when
        cp.last_printed = when

    # -- text -------------------------------------------------------------------------------------
    def inline(self, paragraph, spans: Inline) -> None:
        for span in spans:
            if span.href:
                ooxml.add_hyperlink(paragraph, span.href, span.text, bold=span.bold, italic=span.italic,
                                    colour=self.primary)
            else:
                run = paragraph.add_run(span.text)
                run.bold = span.bold or None
                run.italic = span.italic or None

    def new_paragraph(self, style: str):
        """Add a paragraph in *style*, naming the style's id directly.

        python-docx looks a style name up among every style of the template for each paragraph;
        resolving each name once keeps a briefing's Word file fast to write.
        """
        if style not in self.style_ids:
            found = self.doc.styles[style]
            self.style_ids[style] = None if found.style_id == "Normal" else found.style_id
        para = self.doc.add_paragraph()
        if self.style_ids[style] is not None:
            para._p.style = self.style_ids[style]
        return para

    def paragraph(self, spans: Inline, style: str):
        para = self.new_paragraph(style)
        self.inline(para, spans)
        return para

    def plain(self, text: str, style: str):
        para = self.new_paragraph(style)
        para.add_run(text)
        return para

    # -- blocks -----------------------------------------------------------------------------------
    def block(self, block: TopBlock) -> None:
        match block:
            case TitleBlock() if block.cover:
                self.plain(block.kicker, "Kicker")
                self.plain(block.title, "Title")
                if block.subtitle:
                    self.plain(block.subtitle, "Subtitle")
                board = self.plain(self.brand.name, "Normal")
                board.runs[0].bold = True
                if block.date:
                    self.plain(block.date, "Small Print")
            case TitleBlock():
                self.plain(block.kicker, "Kicker")
                self.plain(block.title, "Title")
                if block.subtitle:
                    self.plain(block.subtitle, "Subtitle")
                if block.date:
                    self.plain(block.date, "Small Print")
            case Section():
                heading = self.plain(f"{block.number} {block.label}", "Heading 1")
                ooxml.set_keep_with_next(heading)
                for child in block.blocks:
                    self.block(child)
            case Heading():
                self.plain(block.text, f"Heading {block.level}")
            case Para():
                self.paragraph(block.text, "Small Print" if block.style == "small" else "Normal")
            case BulletList():
                self.items(block.items, "List Bullet")
            case NumberedList():
                first = len(self.doc.paragraphs)
                self.items(block.items, "List Number")
                numbered = [p for p in self.doc.paragraphs[first:] if p.style.name == "List Number"]
                ooxml.restart_numbering(self.doc, numbered)
            case Chart():
                width_pt = self.text_width_pt
                png = bar_chart_png(block, self.brand, width_pt, str(self.brand.fonts.bold),
                                    str(self.brand.fonts.regular))
                para = self.new_paragraph("Normal")
                picture = para.add_run().add_picture(io.BytesIO(png), width=Pt(width_pt))
                ooxml.set_alt_text(picture, block.alt)
            case Table():
                table = self.doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
                table.style = self.doc.styles["Table Grid"]
                on_primary = WHITE if self.brand.palette.primary.contrast(WHITE) >= 4.5 else self.brand.palette.text
                for cell, text in zip(table.rows[0].cells, block.header):
                    cell.text = text
                    run = cell.paragraphs[0].runs[0]
                    run.bold = True
                    run.font.color.rgb = rgb(on_primary)
                    ooxml.shade_cell(cell, self.brand.palette.primary.hex)
                for row, values in zip(table.rows[1:], block.rows):
                    for cell, text in zip(row.cells, values):
                        cell.text = text
                ooxml.mark_header_row(table)
                self.new_paragraph("Normal")
            case LinkBlock():
                para = self.new_paragraph("Normal")
                para.paragraph_format.keep_with_next = True
                picture = para.add_run().add_picture(io.BytesIO(qr_png(block.url)), width=Mm(24))
                ooxml.set_alt_text(picture, f"QR code for {block.address}")
                title = self.plain(block.title, "Normal")
                title.runs[0].bold = True
                title.paragraph_format.space_after = Pt(0)
                address = self.new_paragraph("Normal")
                ooxml.add_hyperlink(address, block.url, block.address, colour=self.primary)
            case Contents():
                self.plain(block.title, "TOC Heading")
                ooxml.add_field(self.new_paragraph("Normal"), 'TOC \\o "1-1" \\h \\z \\u',
                                "Right-click here and choose Update Field to show the contents.")
                ooxml.update_fields_on_open(self.doc)
            case PageBreak():
                ooxml.add_page_break(self.new_paragraph("Normal"))
            case ContactBlock():
                self.plain(block.heading, "Heading 1")
                for entry in block.entries:
                    name = self.plain(entry.name, "Normal")
                    name.runs[0].bold = True
                    name.paragraph_format.space_after = Pt(0)
                    for line in entry.lines:
                        para = self.paragraph(line, "Normal")
                        para.paragraph_format.space_after = Pt(0)
                    self.doc.paragraphs[-1].paragraph_format.space_after = Pt(8)
            case _:
                assert_never(block)

    def items(self, items: tuple[Item, ...], style: str, depth: int = 0) -> None:
        for item in items:
            self.paragraph(item.text, style)
            for more in item.more:
                para = self.paragraph(more, "Normal")
                para.paragraph_format.left_indent = Mm(6.35 * (depth + 1))
            if item.children:
                self.items(item.children, "List Bullet 2", depth + 1)

    def render(self, document: Document) -> bytes:
        self.setup_styles(document.language)
        self.setup_page()
        self.header_footer(document)
        self.properties(document)
        body = self.doc.element.body
        for para in list(body.iterchildren(ooxml.qn("w:p"))):
            body.remove(para)
        for block in document.blocks:
            self.block(block)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return ooxml.deterministic_zip(buffer.getvalue())


def render_docx(document: Document, brand: Brand) -> tuple[bytes, tuple[str, ...]]:
    """Return the .docx for *document* in *brand* (always linear: Word users edit a flowing text)."""
    return Renderer(brand).render(document), ()
