"""Render a Document to a Word file with python-docx, in real styles an editor can keep using."""

from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from typing import TYPE_CHECKING, Any, assert_never

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from briefpack import filememo
from briefpack.document import (BulletList, Chart, Choice, ContactBlock, Contents, Document, Field, FieldTable,
                                Heading, Item, LinkBlock, NumberedList, PageBreak, Para, Section, Table, TitleBlock,
                                TopBlock)
from briefpack.render.figures import bar_chart_png, qr_png
from briefpack.markup import Inline
from briefpack.model import WHITE, Brand, Colour
from briefpack.render import ooxml
from briefpack.memo import Memo
from briefpack.words import pieces

if TYPE_CHECKING:
    from briefpack.render.docxforms import FormWriter

PAGE_MM = {"A4": (210, 297), "Letter": (215.9, 279.4)}
BODY_PT = 11.5
LARGE_PRINT = 16 / 10
"""How much the large-print edition scales every size: the smallest text (10 pt) becomes 16 pt."""


def rgb(colour: Colour) -> RGBColor:
    return RGBColor(colour.red, colour.green, colour.blue)


class Renderer:
    """Turn one Document into .docx bytes in one brand's look."""

    def __init__(self, brand: Brand, language: str, base: Look | None = None, scale: float = 1.0,
                 template: bytes | None = None) -> None:
        """Start from *base* (the look this class set up for the brand, language and scale), or set one up now
        (from *template*, the brand's Word template's bytes when they have been read already).

        *scale* enlarges every text size (the large-print edition).
        """
        self.brand = brand
        self.scale = scale
        self.primary = rgb(brand.palette.primary)
        self.forms: FormWriter | None = None
        self.break_before = False
        """The next paragraph starts a new page."""
        self.link_words: dict[str, str] = {}
        """What a link does, in the board's words (the document's link_words)."""
        if base is not None:
            self.look = base
            self.doc = base.snapshot.open()
            self.body = self.doc.element.body
            self.section = self.body.find(ooxml.qn("w:sectPr"))
            """The body's section properties, last in it: it stays while the blocks go in before it."""
            return
        self.doc = docx.Document(io.BytesIO(house_template(brand.word_template, template))) if brand.word_template \
            else docx.Document()
        self.styles = StyleIndex(self.doc.styles)
        self.setup_styles(language)
        if brand.word_template is None:
            self.setup_page()

    # -- styles -----------------------------------------------------------------------------------
    def setup_styles(self, language: str) -> None:
        """Give the styles the brand's fonts and colours; with a house template, only what it leaves unset."""
        p = self.brand.palette
        styles = self.styles
        house = self.brand.word_template is not None
        ooxml.set_language(self.doc.styles.element, language)

        def style_named(name: str, base: str = "Normal"):
            if name in styles:
                return styles[name]
            added = styles.add_paragraph_style(name)
            added.base_style = styles[base]
            return added

        def font(name: str, size: float, colour: Colour, bold: bool | None = None, space_after: float = 0,
                 space_before: float | None = None):
            style = style_named(name)
            f, pf = style.font, style.paragraph_format
            if not house or f.name is None:
                f.name = self.brand.word_font
                rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
                for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                    rfonts.set(ooxml.qn(attr), self.brand.word_font)
                for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
                    rfonts.attrib.pop(ooxml.qn(theme_attr), None)
            if not house or f.size is None or self.scale != 1:
                f.size = Pt(size if self.scale == 1 else max(size * self.scale, 16))  # large print: 16 pt or more
            if not house or f.color.rgb is None:
                f.color.rgb = rgb(colour)
            if bold is not None and (not house or f.bold is None):
                f.bold = bold
            if not house or pf.space_after is None:
                pf.space_after = Pt(space_after)
            if space_before is not None and (not house or pf.space_before is None):
                pf.space_before = Pt(space_before)
            return style

        normal = font("Normal", BODY_PT, p.text, space_after=6)
        if not house or normal.paragraph_format.line_spacing is None:
            normal.paragraph_format.line_spacing = 1.2
        font("Title", 26, p.primary, bold=True, space_after=6)
        font("Subtitle", 14, p.text, bold=False, space_after=4)
        font("Heading 1", 16, p.primary, bold=True, space_after=4, space_before=14)
        font("Heading 2", 13, p.primary, bold=True, space_after=4, space_before=10)
        for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number"):
            if name != "List Bullet 3" or name in styles:  # a house template may not have a third level
                font(name, BODY_PT, p.text, space_after=3)
        font("Kicker", 11, p.accent, bold=True)
        font("Small Print", 10, p.muted)
        font("Reading Time", 11, p.accent, bold=True, space_after=6)
        font("TOC Heading", 16, p.primary, bold=True)
        for name in ("Header", "Footer"):
            font(name, 9, p.muted)
        if not house:
            # The default template's look that the brand replaces: a blue rule under Title, a letter-spaced
            # italic Subtitle, and a centre tab in headers and footers that would catch our one tab.
            for border in styles["Title"].element.xpath("./w:pPr/w:pBdr"):
                border.getparent().remove(border)
            for spacing in styles["Subtitle"].element.xpath("./w:rPr/w:spacing"):
                spacing.getparent().remove(spacing)
            styles["Subtitle"].font.italic = False
            for name in ("Header", "Footer"):
                styles[name].paragraph_format.tab_stops.clear_all()

    @functools.cached_property
    def text_width_emu(self) -> int:
        """The width between the margins, in English Metric Units (12,700 a point); asked once the page is set
        up (setup_page, or the template's own)."""
        section = self.doc.sections[0]
        return int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)

    @property
    def text_width_pt(self) -> float:
        return self.text_width_emu / 12700

    def setup_page(self) -> None:
        width, height = PAGE_MM[self.brand.page_size]
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin, section.bottom_margin = Mm(16), Mm(18)
        section.header_distance = section.footer_distance = Mm(8)

    def header_footer(self, document: Document) -> None:
        """The logo on the first page, the running header after it; one footer line with page numbers.

        The same strings as the PDF, from the Document. A house template's own header or footer, if it has
        one, is kept instead.
        """
        section = self.doc.sections[0]
        header, first_header = section.header, None
        header_element = header._element  # made now if the template has none (python-docx's order of parts)
        if ooxml.is_empty(header_element):
            section.different_first_page_header_footer = True
            first_header = section.first_page_header
            first = Paragraph(first_header._element.find(ooxml.qn("w:p")), first_header)  # its paragraphs[0]
            board_alt, *partner_alts = document.logo_alts(self.brand.logo_alt, self.brand.partners)
            picture = first.add_run().add_picture(str(self.brand.logo), height=Mm(14))
            ooxml.set_alt_text(picture, board_alt)
            if self.brand.partners:  # beside the board's logo, like the PDF: never a page of only logos
                first.add_run("\u2003\u2003")
                room = self.text_width_emu - int(picture.width) - int(Mm(40))  # LibreOffice spaces them wider
                height = partner_height(self.brand.partners, room, int(Mm(10)), int(Mm(3)))
                for i, ((path, _), alt) in enumerate(zip(self.brand.partners, partner_alts, strict=True)):
                    logo = first.add_run("  " if i else "").add_picture(str(path), height=Emu(height))
                    ooxml.set_alt_text(logo, alt)
            # The header has its own height: the first heading starts clear of the logo, in Word and LibreOffice.
            ooxml.set_spacing(first, after=Pt(14))
            running = Paragraph(header_element.find(ooxml.qn("w:p")), header)
            ooxml.add_run(running._p, document.header)
            ooxml.set_spacing(running, after=Pt(8))
            ooxml.rule_below(running, self.brand.palette.primary.hex)
        different_first = section.different_first_page_header_footer
        if document.mark:  # under every page's header, a house template's too
            for marked in (header, first_header or section.first_page_header) if different_first else (header,):
                run = marked.add_paragraph().add_run(document.mark)
                run.bold, run.font.color.rgb = True, rgb(self.brand.palette.accent)
        for footer in (section.footer, section.first_page_footer) if different_first else (section.footer,):
            footer_element = footer._element
            if ooxml.is_empty(footer_element):
                self.footer_line(document, footer_element.find(ooxml.qn("w:p")))

    def footer_line(self, document: Document, p) -> None:  # noqa: ANN001 - a python-docx w:p
        """'Board · 7-minute briefing' then, at the right margin, 'Page 1 of 2' with live fields."""
        ooxml.paragraph_property(p, "w:tabs").insert_tab_in_order(  # tab_stops.add_tab_stop(width, RIGHT)
            Emu(self.text_width_emu), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.SPACES)
        ooxml.add_run(p, document.footer + "\t")
        for is_placeholder, piece in pieces(document.page_label, "page", "pages"):
            if is_placeholder:
                ooxml.add_field(p, "PAGE" if piece == "page" else "NUMPAGES")
            else:
                ooxml.add_run(p, piece)

    def properties(self, document: Document) -> None:
        cp = self.doc.core_properties
        # Word's core properties hold at most 255 characters each; the document itself says it all.
        cp.title, cp.author, cp.subject = (_property(t) for t in (document.title, document.author, document.subject))
        keywords: list[str] = []
        for word in document.keywords:
            if len(", ".join([*keywords, word])) > PROPERTY_MOST:
                break
            keywords.append(word)
        cp.keywords = ", ".join(keywords)
        cp.language = document.language
        cp.last_modified_by = "briefpack"
        cp.comments = ""
        cp.version, cp.content_status = _property(document.version), document.status
        if document.form_id:
            cp.identifier = document.form_id
        cp.revision = 1
        year, month, day = ([int(x) for x in document.date_iso.split("-")] + [1, 1])[:3] if document.date_iso else (
            2000, 1, 1)
        when = dt.datetime(year, month, day)
        cp.created = cp.modified = when
        cp.last_printed = when

    # -- text -------------------------------------------------------------------------------------
    def inline(self, paragraph, spans: Inline) -> None:
        for span in spans:
            if span.href:
                ooxml.add_hyperlink(paragraph, span.href, span.text, bold=span.bold, italic=span.italic,
                                    colour=self.primary, words=self.link_words)
            else:
                ooxml.add_run(paragraph._p, span.text, bold=span.bold or None, italic=span.italic or None)

    def new_paragraph(self, style: str):
        """Add a paragraph in *style*, naming the style's id directly (see Look.paragraph_style)."""
        para = Paragraph(ooxml.new_paragraph(self.body, self.section, self.look.paragraph_style(style)),
                         self.doc._body)
        if self.break_before:
            para.paragraph_format.page_break_before = True
            self.break_before = False
        return para

    def page_break(self) -> None:
        """Start the next paragraph on a new page: never a paragraph of its own holding the break, which
        makes a blank page whenever it falls just past the end of a full page (LibreOffice, Word alike).
        The empty paragraph that keeps a table apart from the next is not needed before a new page."""
        last = self.doc.element.body[-2] if len(self.doc.element.body) > 1 else None
        if last is not None and last.tag == ooxml.qn("w:p") and not "".join(last.itertext()).strip() and \
                last.getprevious() is not None and last.getprevious().tag == ooxml.qn("w:tbl"):
            last.getparent().remove(last)
        self.break_before = True

    def paragraph(self, spans: Inline, style: str):
        para = self.new_paragraph(style)
        self.inline(para, spans)
        return para

    def plain(self, text: str, style: str):
        para = self.new_paragraph(style)
        ooxml.add_run(para._p, text)
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
                if block.reading_time:
                    self.plain(block.reading_time, "Reading Time")
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
                # The list's own top-level paragraphs, kept as they are made: rescanning the document
                # for them would cost the whole document once per list.
                ooxml.restart_numbering(self.doc, self.items(block.items, "List Number"),
                                        self.look.numbering("List Number"))
            case Chart():
                width_pt = self.text_width_pt
                png = bar_chart_png(block, self.brand, width_pt, str(self.brand.fonts.bold),
                                    str(self.brand.fonts.regular), self.scale)
                para = self.new_paragraph("Normal")
                picture = para.add_run().add_picture(io.BytesIO(png), width=Pt(width_pt))
                ooxml.set_alt_text(picture, block.alt)
            case Table():
                table = self.headed_table(block.header, len(block.rows))
                for row, values in zip(table.rows[1:], block.rows, strict=True):
                    for cell, text in zip(row.cells, values, strict=True):
                        cell.text = text
                if len(block.header) == 2:
                    set_widths(table, (0.7, 0.3), self.text_width_emu)  # as the PDF shares them
                compact(table)
                ooxml.mark_header_row(table)
                if len(block.rows) >= 3:  # the last row goes on with the one before it, as in the PDF
                    for tc in table._tbl.tr_lst[-2].tc_lst:
                        for p in tc.p_lst:
                            ooxml.paragraph_property(p, "w:keepNext").val = True
                self.new_paragraph("Normal")
            case LinkBlock():
                self.link_box(block)
            case Contents():
                self.plain(block.title, "TOC Heading")
                ooxml.add_field(self.new_paragraph("Normal")._p, 'TOC \\o "1-1" \\h \\z \\u', block.hint)
                ooxml.update_fields_on_open(self.doc)
            case PageBreak():
                self.page_break()
            case ContactBlock():
                self.plain(block.heading, "Heading 1")
                tint = self.brand.palette.primary.mix(self.brand.palette.background, 0.92).hex
                boxed = []
                for n, entry in enumerate(block.entries):
                    name = self.plain(entry.name, "Normal")
                    name.runs[0].bold = True
                    if n:  # a gap between one contact and the next, as the PDF's rows have
                        ooxml.set_spacing(name, before=Pt(12))
                    boxed.append(name)
                    boxed.extend(self.paragraph(line, "Normal") for line in entry.lines)
                for para in boxed:
                    ooxml.set_spacing(para, after=Pt(0))
                    ooxml.box_paragraph(para, tint, self.brand.palette.primary.hex)
            case Field() | FieldTable() | Choice():
                if self.forms is None:
                    from briefpack.render.docxforms import FormWriter
                    self.forms = FormWriter()
                self.forms.block(self, block)
            case _:
                assert_never(block)

    def link_box(self, block: LinkBlock) -> None:
        """The QR code beside the link's title, address and caption, in a box ruled in the brand colour, like
        the PDF's; one row that never breaks across pages."""
        qr_width = Mm(30)
        table = self.add_table(1, 2)
        ooxml.box_table(table, self.brand.palette.primary.hex, [int(qr_width), self.text_width_emu - int(qr_width)])
        left, right = table.rows[0].cells
        picture = left.paragraphs[0].add_run().add_picture(io.BytesIO(qr_png(block.url)), width=Mm(24))
        ooxml.set_alt_text(picture, block.alt or f"QR code for {block.address}")
        title = right.paragraphs[0]
        title.add_run(block.title).bold = True
        address = right.add_paragraph()
        ooxml.add_hyperlink(address, block.url, block.address, colour=self.primary, words=self.link_words)
        caption = right.add_paragraph(block.caption)
        caption._p.style = self.look.style_id("Small Print", WD_STYLE_TYPE.PARAGRAPH)
        for para in (left.paragraphs[0], title, address, caption):
            ooxml.set_spacing(para, before=Pt(3 if para in (left.paragraphs[0], title) else 0),
                              after=Pt(3 if para in (left.paragraphs[0], caption) else 1))
        ooxml.set_spacing(self.new_paragraph("Normal"), after=Pt(0))

    def headed_table(self, header: tuple[str, ...], rows: int):
        """A grid table with *header* as its first row, in white on the brand colour, and *rows* rows more."""
        table = self.add_table(1 + rows, len(header))
        self.table_grid(table)
        on_primary = WHITE if self.brand.palette.primary.contrast(WHITE) >= 4.5 else self.brand.palette.text
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
            run = cell.paragraphs[0].runs[0]
            run.bold = True
            run.font.color.rgb = rgb(on_primary)
            ooxml.shade_cell(cell, self.brand.palette.primary.hex)
        return table

    def add_table(self, rows: int, cols: int):  # noqa: ANN201 - a python-docx Table
        """python-docx's `document.add_table(rows, cols)`, without its asking the styles part for the style
        None is (which parses all the template's styles, and so writes them out again, for each document)."""
        table = self.doc._body.add_table(rows, cols, self.doc._block_width)
        table._tbl.tblStyle_val = None
        return table

    def table_grid(self, table) -> None:  # noqa: ANN001 - a python-docx Table
        """Give *table* the template's Table Grid style (what `table.style = ...` does, looked up once)."""
        table._tbl.tblStyle_val = self.look.style_id("Table Grid", WD_STYLE_TYPE.TABLE)

    def items(self, items: tuple[Item, ...], style: str, depth: int = 0) -> list:
        """Add the items and their children; return the paragraphs of the items at this depth."""
        made = []
        for item in items:
            made.append(self.paragraph(item.text, style))
            for more in item.more:
                para = self.paragraph(more, "Normal")
                ooxml.paragraph_property(para._p, "w:ind").left = Mm(6.35 * (depth + 1))  # its left_indent
            if item.children:
                self.items(item.children, self.bullets(depth + 1), depth + 1)
        return made

    def bullets(self, depth: int) -> str:
        """The style of a bulleted list *depth* levels under the top one: List Bullet 2 under an item, List
        Bullet 3 for any list further down, if the template has it as a list (Word's own template does; a
        house template need not), so the levels read as the PDF draws them."""
        if depth >= 2 and self.look.list_numbering("List Bullet 3") is not None:
            return "List Bullet 3"
        return "List Bullet 2"

    def render(self, document: Document) -> bytes:
        self.link_words = dict(document.link_words)
        self.header_footer(document)
        self.properties(document)
        if self.brand.palette.background != WHITE:
            ooxml.set_page_background(self.doc, self.brand.palette.background.hex)
        body = self.doc.element.body
        for child in list(body):
            if child.tag != ooxml.qn("w:sectPr"):  # a template's sample text goes; its page setup stays
                body.remove(child)
        for block in document.blocks:
            self.block(block)
        return ooxml.deterministic_bytes(self.doc)


def compact(table) -> None:  # noqa: ANN001 - a python-docx Table
    """Rows as close as the PDF's: a point above and below each cell's text, not the body's space after; and
    never a row broken across pages (LibreOffice would leave a sliver of the last row on the next page).

    The rows' cells are their w:tc elements: our tables merge no cells (python-docx's row.cells would
    repeat a merged one)."""
    for tr in table._tbl.tr_lst:
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for tc in tr.tc_lst:
            for p in tc.p_lst:
                spacing = ooxml.paragraph_property(p, "w:spacing")
                spacing.before = spacing.after = Pt(1)


def set_widths(table, shares: tuple[float, ...], width: int) -> None:  # noqa: ANN001 - a python-docx Table
    """Share *width* (EMU) between the columns: the grid, which LibreOffice follows, and the cells (Word).

    A column's cells are the rows' w:tc at its place (python-docx's column.cells lays out the whole table
    again for each column; our tables merge no cells); each is given its width as python-docx's cell.width
    gives it."""
    rows = [tr.tc_lst for tr in table._tbl.tr_lst]
    for i, (column, share) in enumerate(zip(table.columns, shares, strict=True)):
        column.width = int(width * share)
        for cells in rows:
            cells[i].get_or_add_tcPr().width = int(width * share)


def partner_height(partners, room: int, height: int, gap: int) -> int:  # noqa: ANN001 - (Path, alt) pairs
    """The height (EMU) at which the partners' logos fit side by side in *room*, at most *height*."""
    from PIL import Image

    ratios = []
    for path, _ in partners:
        with Image.open(path) as image:
            ratios.append(image.width / image.height)
    wanted = height * sum(ratios) + gap * (len(ratios) - 1)
    return height if wanted <= room else max(1, int((room - gap * (len(ratios) - 1)) / sum(ratios)))


def house_template(path, data: bytes | None = None) -> bytes:  # noqa: ANN001 - a Path
    """The template's bytes (*data*, or read from *path*), as a document: a .dotx differs from a .docx only in its
    main content type."""
    if data is None:
        data = path.read_bytes()
    if path.suffix.lower() != ".dotx":
        return data
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml")
            target.writestr(info, blob)
    return out.getvalue()


class StyleIndex:
    """A document's styles by name, the way python-docx's `styles[name]`, `name in styles` (by shown name)
    and `add_style` find them, gathered in one pass: python-docx searches every style of the template
    (hundreds) with an XPath for each name."""

    def __init__(self, styles) -> None:  # noqa: ANN001 - python-docx Styles
        from docx.styles import BabelFish

        self.styles = styles
        self.babel = BabelFish
        self.by_name: dict[str, Any] = {}
        """Each style element by its w:name (the first of that name, as python-docx's XPath finds)."""
        name_tag, val = ooxml.qn("w:name"), ooxml.qn("w:val")
        for element in styles.element.iterchildren(ooxml.qn("w:style")):
            for name in element.iterchildren(name_tag):
                self.by_name.setdefault(name.get(val), element)
        self.shown = {BabelFish.internal2ui(name) for name in self.by_name if name is not None}
        """The names the styles show (python-docx's style.name)."""

    def __contains__(self, name: str) -> bool:
        """Whether a style shows *name* (`name in {s.name for s in styles}`)."""
        return name in self.shown

    def __getitem__(self, name: str):  # noqa: ANN204 - a python-docx style
        from docx.styles.style import StyleFactory

        element = self.by_name.get(self.babel.ui2internal(name))
        return self.styles[name] if element is None else StyleFactory(element)  # python-docx's other ways

    def add_paragraph_style(self, name: str):  # noqa: ANN201 - a python-docx ParagraphStyle
        """python-docx's `styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)`, knowing the name is free."""
        from docx.styles.style import StyleFactory

        internal = self.babel.ui2internal(name)
        if internal in self.by_name:
            return self.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)  # python-docx says it is taken
        element = self.styles.element.add_style_of_type(internal, WD_STYLE_TYPE.PARAGRAPH, False)
        self.by_name[internal] = element
        self.shown.add(name)
        return StyleFactory(element)


class Look:
    """A brand's starting .docx, made once per look and language and opened for each document, with the
    answers about its styles that every document asks (python-docx would search all the template's styles
    by name each time; a look's answers do not change).

    The usual questions are answered from the document the look was made from, which then goes (its
    parsed styles are megabytes, and a batch keeps a few looks); any other is answered from a copy opened
    from the look's own bytes, the same styles."""

    USUAL: tuple[tuple, ...] = (
        *(("paragraph", name) for name in ("Normal", "Kicker", "Title", "Subtitle", "Small Print", "Reading Time",
                                           "Heading 1", "Heading 2", "List Bullet", "List Bullet 2", "List Number",
                                           "TOC Heading")),
        ("id", "Small Print", WD_STYLE_TYPE.PARAGRAPH), ("id", "Table Grid", WD_STYLE_TYPE.TABLE),
        ("numbering", "List Number"))
    """What the renderers ask of every look (a question that fails, such as a house template's missing
    Table Grid, is asked again when a document needs the answer, and fails then as it would have)."""

    def __init__(self, made: Renderer) -> None:
        self.snapshot: ooxml.Snapshot = ooxml.Snapshot(ooxml.deterministic_bytes(made.doc))
        self._answers: dict[tuple, Any] = {}
        self._styles: StyleIndex | None = made.styles
        """The styles the questions are asked of: the made document's, then (if ever needed) a copy's."""
        for question in self.USUAL:
            try:
                self._ask(question)
            except (KeyError, ValueError):
                pass
        self._styles = None

    def _ask(self, question: tuple):  # noqa: ANN202 - a style id, a numbering id or None
        if question not in self._answers:
            if self._styles is None:
                self._styles = StyleIndex(self.snapshot.open().styles)
            styles = self._styles
            kind, name, *more = question
            found = styles[name]
            if kind == "paragraph":
                answer = None if found.style_id == "Normal" else found.style_id
            elif kind == "id":
                answer = styles.styles.get_style_id(found, more[0])  # what document.part.get_style_id asks
            else:
                ppr = found.element.pPr
                answer = ppr.numPr.numId.val if ppr is not None and ppr.numPr is not None else None
            self._answers[question] = answer
        return self._answers[question]

    def paragraph_style(self, name: str) -> str | None:
        """The id a paragraph in the style called *name* names (none for Normal, which needs none)."""
        return self._ask(("paragraph", name))

    def style_id(self, name: str, kind) -> str | None:  # noqa: ANN001 - a WD_STYLE_TYPE
        """The id python-docx names when a paragraph or table is given the style called *name*."""
        return self._ask(("id", name, kind))

    def numbering(self, name: str) -> int | None:
        """The numbering (w:numId) the paragraph style called *name* has, if it has one."""
        return self._ask(("numbering", name))

    def list_numbering(self, name: str) -> int | None:
        """The numbering of the paragraph style called *name*, or None if it has none or there is no such style."""
        try:
            return self.numbering(name)
        except KeyError:
            return None


_BASES: Memo[Look] = Memo(4)
"""The template set up in a brand's styles and page, per look and language: made once, opened per document (a
batch goes brand by brand: a few are enough, and memory stays flat)."""


def base(brand: Brand, language: str, scale: float = 1.0) -> Look:
    """The brand's starting .docx (the template, its styles and page set up) for documents in *language*.

    It depends only on the brand's look (what setup_styles and setup_page read), so brands that look alike
    (copies of one brand for several boards) share it.
    """
    look = (brand.palette, brand.word_font, brand.page_size, brand.word_template)
    # The template as it is now (see filememo.versioned): replaced by another of the same size and modified
    # time, it makes a new base, from the bytes its version was taken of when it was just changed.
    template, data = filememo.versioned(brand.word_template) if brand.word_template else (None, None)
    key = (look, language, template, scale)
    return _BASES.recall(key, lambda: Look(Renderer(brand, language, scale=scale, template=data)))


def render_docx(document: Document, brand: Brand) -> tuple[bytes, tuple[str, ...]]:
    """Return the .docx for *document* in *brand* (always linear: Word users edit a flowing text)."""
    scale = LARGE_PRINT if document.large_print else 1.0
    return Renderer(brand, document.language, base(brand, document.language, scale), scale).render(document), ()


PROPERTY_MOST = 255
"""Characters a Word core property (title, author, subject, keywords) may hold."""


def _property(text: str) -> str:
    """*text* cut to fit a Word core property, between words and marked with an ellipsis."""
    if len(text) <= PROPERTY_MOST:
        return text
    cut = text[:PROPERTY_MOST - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[PROPERTY_MOST // 2:] else cut).rstrip() + "…"
