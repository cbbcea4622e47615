"""Render a Document to PDF with reportlab. Every user string is escaped here and nowhere else."""

from __future__ import annotations

import io
from typing import assert_never
from xml.sax.saxutils import quoteattr

from briefpack.render import rlsafe  # noqa: F401  (first: fixes reportlab's configuration)

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_LEFT  # noqa: E402
from reportlab.lib.pagesizes import A4, LETTER, landscape  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen import canvas as rl_canvas  # noqa: E402
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether,  # noqa: E402
                                ListFlowable, ListItem, PageTemplate, Paragraph, Spacer, TableStyle)
from reportlab.platypus import Image as RLImage  # noqa: E402
from reportlab.platypus import PageBreak as RLPageBreak  # noqa: E402
from reportlab.platypus import Table as RLTable  # noqa: E402
from reportlab.platypus.tableofcontents import TableOfContents  # noqa: E402

from briefpack.document import (BulletList, Chart, ContactBlock, Contents, Document, Heading, Item,  # noqa: E402
                                LinkBlock, NumberedList, PageBreak, Para, Section, Table, TitleBlock, TopBlock)
from briefpack.render.figures import bar_chart, qr_drawing  # noqa: E402
from briefpack.render.pdffonts import Fonts, faces_used  # noqa: E402
from briefpack.render.pdfparts import (CHUNK, INDENT, TOTAL_FORM, Bookmarked, DocTemplate, Rule, SectionHeading,  # noqa: E402
                                       TotalPagesCanvas, keep_headings_with_next, nothing, split_spans)
from briefpack.markup import Inline, Span  # noqa: E402
from briefpack.model import WHITE, Brand, Colour  # noqa: E402

PAGE_SIZES = {"A4": A4, "Letter": LETTER}
MARGIN_X = 18 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 20 * mm
BODY_PT = 11


def rl(colour: Colour) -> colors.Color:
    return colors.Color(*colour.rgb01)


class Renderer:
    """Turn one Document into PDF bytes in one brand's look."""

    def __init__(self, brand: Brand, document: Document) -> None:
        self.brand = brand
        self.keys = 0
        self.fonts = Fonts(brand, faces_used(document))
        p = brand.palette
        self.primary, self.accent, self.text = rl(p.primary), rl(p.accent), rl(p.text)
        self.muted, self.background = rl(p.muted), rl(p.background)
        self.tint = rl(p.primary.mix(p.background, 0.92))
        self.on_primary = rl(WHITE) if p.primary.contrast(WHITE) >= 4.5 else self.text
        self.landscape = False
        self.notes: list[str] = []
        self.set_body_size(BODY_PT)

    def set_body_size(self, body: float, tight: bool = False) -> None:
        """Make every style for body text of *body* points (the tiles layout shrinks it to fit).

        *tight* sets closer lines and less space between paragraphs, for tiles.
        """
        f = self.fonts
        k = body / BODY_PT
        self.body_pt = body
        self.list_gap = 0.6 if tight else 1.0
        line = 0.9 if tight else 1.0
        gap = 0.5 if tight else 1.0

        def style(name: str, size: float, leading: float, colour: colors.Color, bold: bool = False,
                  before: float = 0, after: float = 0) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=f.face(bold=bold), fontSize=size * k,
                                  leading=max(leading * k * line, size * k * 1.2), textColor=colour,
                                  spaceBefore=before * k * gap, spaceAfter=after * k * gap, alignment=TA_LEFT)

        self.styles = {
            "body": style("body", BODY_PT, 14.5, self.text, after=5),
            "small": style("small", 10, 13.5, self.muted, after=3),
            "kicker": style("kicker", 11, 14, self.accent, bold=True, after=4),
            "title": style("title", 24, 28, self.primary, bold=True, after=4),
            "subtitle": style("subtitle", 14, 19, self.text, after=3),
            "date": style("date", 11, 15, self.muted),
            "h1": style("h1", 16, 20, self.primary, bold=True, before=10, after=6),
            "h2": style("h2", 13, 17, self.primary, bold=True, before=10, after=4),
            "contact_head": style("contact_head", 13, 17, self.primary, bold=True),
            "contact_name": style("contact_name", BODY_PT, 15.5, self.text, bold=True),
            "contact_line": style("contact_line", BODY_PT, 15.5, self.text),
        }

    # -- text -------------------------------------------------------------------------------------
    def inline(self, spans: Inline) -> str:
        parts = []
        for span in spans:
            chunk = self.fonts.markup(span.text)
            if span.bold:
                chunk = f"<b>{chunk}</b>"
            if span.italic:
                chunk = f"<i>{chunk}</i>"
            if span.href:
                chunk = (f"<a href={quoteattr(span.href)} color={quoteattr('#' + self.brand.palette.primary.hex)}>"
                         f"<u>{chunk}</u></a>")
            parts.append(chunk)
        return "".join(parts)

    def para(self, spans: Inline, style: str = "body", **overrides) -> Paragraph:
        st = self.styles[style]
        if overrides:
            st = ParagraphStyle(f"{style}+", parent=st, **overrides)
        return Paragraph(self.inline(spans), st)

    def paras(self, spans: Inline, style: str = "body", **overrides) -> list[Paragraph]:
        """Long text as several Paragraphs of at most CHUNK characters, broken between words.

        reportlab lays a paragraph out in time that grows with the square of its length (a 100,000-character
        paragraph takes seconds); chunks keep any text fast, and only a line end shows where one ends.
        """
        chunks = split_spans(spans, CHUNK)
        if len(chunks) == 1:
            return [self.para(spans, style, **overrides)]
        last = len(chunks) - 1
        return [self.para(chunk, style, **{**overrides, **({} if i == last else {"spaceAfter": 0})})
                for i, chunk in enumerate(chunks)]

    def plain(self, text: str, style: str, **overrides) -> Paragraph:
        return self.para((Span(text),), style, **overrides)

    # -- blocks -----------------------------------------------------------------------------------
    def flowables(self, block: TopBlock, indent: float = 0, compact: bool = False) -> list[Flowable]:
        """The flowables of *block*; *compact* for the closing tile of the tiles layout."""
        match block:
            case TitleBlock() if block.cover:
                return self.cover(block)
            case TitleBlock():
                out = [self.plain(block.kicker, "kicker"), self.plain(block.title, "title")]
                if block.subtitle:
                    out.append(self.plain(block.subtitle, "subtitle"))
                if block.date:
                    out.append(self.plain(block.date, "date"))
                return [*out, Spacer(1, 4 * mm), Rule(self.primary, 1.2), Spacer(1, 3 * mm)]
            case Section():
                inner: list[Flowable] = [CondPageBreak(30 * mm), SectionHeading(block.number, block.label, self)]
                for child in block.blocks:
                    inner.extend(self.flowables(child, INDENT))
                inner.append(Spacer(1, 1.5 * mm))
                return inner
            case Heading():
                style = "h1" if block.level == 1 else "h2"
                heading = Bookmarked(self.plain(block.text, style, leftIndent=indent), block.text,
                                     block.level - 1, self.next_key())
                return [CondPageBreak((30 if block.level == 1 else 22) * mm), heading]
            case Chart():
                return [Spacer(1, 2 * mm), bar_chart(block, self, self.frame_width - indent), Spacer(1, 3 * mm)]
            case Table():
                return [self.table(block, indent)]
            case LinkBlock():
                return [self.link_block(block, indent)]
            case Contents():
                toc = TableOfContents(dotsMinLevel=0, levelStyles=[
                    ParagraphStyle("toc1", parent=self.styles["body"], leftIndent=0, spaceAfter=3),
                    ParagraphStyle("toc2", parent=self.styles["body"], leftIndent=8 * mm, spaceAfter=2)])
                return [self.plain(block.title, "h1"), toc]
            case PageBreak():
                return [RLPageBreak()]
            case Para():
                return self.paras(block.text, block.style, leftIndent=indent)
            case BulletList():
                return [self.list_flowable(block.items, indent, numbered=False)]
            case NumberedList():
                return [self.list_flowable(block.items, indent, numbered=True)]
            case ContactBlock() if compact:
                out = [self.plain(block.heading, "h2", spaceBefore=0)]
                for entry in block.entries:
                    out.append(self.plain(entry.name, "contact_name"))
                    out.extend(self.para(line, "contact_line") for line in entry.lines)
                return out
            case ContactBlock():
                return self.contact_block(block)
            case _:
                assert_never(block)

    def partner_strip(self) -> list[Flowable]:
        """The partner agencies' logos in a row, at the end of the document."""
        if not self.brand.partners:
            return []
        cells = [RLImage(str(path), width=34 * mm, height=14 * mm, kind="proportional")
                 for path, _ in self.brand.partners]
        strip = RLTable([cells], colWidths=[38 * mm] * len(cells), hAlign="LEFT")
        strip.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("FONT", (0, 0), (-1, -1), self.fonts.face(), self.body_pt)]))
        return [Spacer(1, 6 * mm), Rule(self.muted, 0.5), Spacer(1, 3 * mm), strip]

    def compact_title(self, block: TitleBlock) -> list[Flowable]:
        """The title row of a one-page layout: the title's words on the left, the logo on the right."""
        words: list[Flowable] = [self.plain(block.kicker, "kicker", spaceAfter=1),
                                 self.plain(block.title, "title", fontSize=21, leading=25, spaceAfter=2)]
        line = " · ".join(t for t in (block.subtitle, block.date) if t)
        if line:
            words.append(self.plain(line, "subtitle", fontSize=12, leading=15, spaceAfter=0))
        logo = RLImage(str(self.brand.logo), width=62 * mm, height=15 * mm, kind="proportional", hAlign="RIGHT")
        row = RLTable([[words, logo]], colWidths=[self.frame_width - 66 * mm, 66 * mm])
        row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                 ("FONT", (0, 0), (-1, -1), self.fonts.face(), self.body_pt)]))
        return [row, Spacer(1, 2 * mm), Rule(self.primary, 1.2), Spacer(1, 3 * mm)]

    def next_key(self) -> str:
        self.keys += 1
        return f"h{self.keys}"

    def cover(self, block: TitleBlock) -> list[Flowable]:
        """A cover page: the logo large, then kicker, title, subtitle, board and date."""
        out: list[Flowable] = [Spacer(1, 62 * mm), self.plain(block.kicker, "kicker", fontSize=13, leading=17),
                               self.plain(block.title, "title", fontSize=30, leading=36, spaceAfter=10)]
        if block.subtitle:
            out.append(self.plain(block.subtitle, "subtitle", fontSize=16, leading=21))
        out += [Spacer(1, 6 * mm), Rule(self.accent, 2.5), Spacer(1, 6 * mm),
                self.plain(self.brand.name, "subtitle", fontName=self.fonts.face(bold=True))]
        if block.date:
            out.append(self.plain(block.date, "date"))
        return out

    def table(self, block: Table, indent: float) -> RLTable:
        header = [self.plain(text, "body", fontName=self.fonts.face(bold=True), textColor=rl(WHITE)
                             if self.brand.palette.primary.contrast(WHITE) >= 4.5 else self.text)
                  for text in block.header]
        rows = [[self.plain(text, "body", spaceAfter=0) for text in row] for row in block.rows]
        width = self.frame_width - indent
        first = width * 0.7
        table = RLTable([header, *rows], colWidths=[first, width - first], repeatRows=1, hAlign="RIGHT")
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.fonts.face(), self.body_pt),
            ("BACKGROUND", (0, 0), (-1, 0), self.primary),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [self.background, self.tint]),
            ("LINEBELOW", (0, -1), (-1, -1), 0.6, self.primary),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 2 * mm), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return table

    def link_block(self, block: LinkBlock, indent: float) -> RLTable:
        """A QR code beside the link's title and printed address, since paper cannot be clicked."""
        size = 24 * mm
        text = [self.plain(block.title, "body", fontName=self.fonts.face(bold=True), spaceAfter=2),
                self.para((Span(block.address, href=block.url),), "body", spaceAfter=2),
                self.plain("Scan the code with a phone camera to open the page.", "small")]
        table = RLTable([[qr_drawing(block.url, size, self.text), text]],
                        colWidths=[size + 5 * mm, self.frame_width - indent - size - 5 * mm], hAlign="RIGHT")
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.fonts.face(), self.body_pt),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("BOX", (0, 0), (-1, -1), 0.6, self.primary), ("LEFTPADDING", (0, 0), (0, 0), 2.5 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm),
        ]))
        return table

    def list_flowable(self, items: tuple[Item, ...], indent: float, numbered: bool, depth: int = 0) -> ListFlowable:
        entries = []
        for item in items:
            parts: list[Flowable] = self.paras(item.text, spaceAfter=2 * self.list_gap)
            for more in item.more:
                parts.extend(self.paras(more, spaceAfter=2 * self.list_gap))
            if item.children:
                parts.append(self.list_flowable(item.children, 0, numbered=False, depth=depth + 1))
            entries.append(ListItem(parts if len(parts) > 1 else parts[0]))
        gap = (7 * mm if numbered else 5 * mm) * self.list_gap
        kw = dict(leftIndent=indent + gap, bulletDedent=gap, spaceAfter=4 * self.list_gap, bulletColor=self.primary,
                  bulletFontName=self.fonts.face(bold=numbered))
        if numbered:
            return ListFlowable(entries, bulletType="1", bulletFormat="%s.", bulletFontSize=self.body_pt, **kw)
        return ListFlowable(entries, bulletType="bullet", start="•" if depth == 0 else "–",
                            bulletFontSize=self.body_pt, **kw)

    def contact_block(self, block: ContactBlock) -> list[Flowable]:
        rows: list[list[Flowable]] = [[Bookmarked(self.plain(block.heading, "contact_head"), block.heading, 0,
                                                  self.next_key())]]
        for entry in block.entries:
            cell = [self.plain(entry.name, "contact_name")]
            cell.extend(self.para(line, "contact_line") for line in entry.lines)
            rows.append([cell])
        width = self.frame_width
        table = RLTable(rows, colWidths=[width], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.fonts.face(), self.body_pt),
            ("BACKGROUND", (0, 0), (-1, -1), self.tint),
            ("LINEBEFORE", (0, 0), (0, -1), 3, self.primary),
            ("LEFTPADDING", (0, 0), (-1, -1), 5 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 5 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 2.2 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2 * mm),
            ("TOPPADDING", (0, 0), (-1, 0), 4 * mm), ("BOTTOMPADDING", (0, -1), (-1, -1), 4 * mm),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return [Spacer(1, 4 * mm), KeepTogether([table]), Spacer(1, 2 * mm)]

    # -- pages ------------------------------------------------------------------------------------
    @property
    def page_size(self) -> tuple[float, float]:
        size = PAGE_SIZES[self.brand.page_size]
        return landscape(size) if self.landscape else size

    @property
    def margin_x(self) -> float:
        return 12 * mm if self.landscape else MARGIN_X

    @property
    def margin_top(self) -> float:
        return 11 * mm if self.landscape else MARGIN_TOP

    @property
    def margin_bottom(self) -> float:
        return 17 * mm if self.landscape else MARGIN_BOTTOM

    @property
    def frame_width(self) -> float:
        return self.page_size[0] - 2 * self.margin_x

    def first_page(self, canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        width, height = self.page_size
        logo_h = 17 * mm
        top = height - self.margin_top
        canv.saveState()
        canv.drawImage(str(self.brand.logo), self.margin_x, top - logo_h, width=70 * mm, height=logo_h,
                       preserveAspectRatio=True, anchor="w", mask="auto")
        canv.setFillColor(self.primary)
        canv.setFont(self.fonts.face(bold=True), 11)
        y = top - logo_h / 2 + 1
        canv.drawRightString(width - self.margin_x, y + 2, self.brand.name)
        canv.restoreState()

    def on_background(self, header):  # noqa: ANN001, ANN201 - a reportlab page callback
        """*header*, drawn on the brand's background colour when that is not white."""
        if self.brand.palette.background == WHITE:
            return header

        def page(canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
            canv.saveState()
            canv.setFillColor(self.background)
            width, height = self.page_size
            canv.rect(0, 0, width, height, stroke=0, fill=1)
            canv.restoreState()
            header(canv, doc)
        return page

    def cover_page(self, canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        """The cover: the logo large at the top, a band of the brand's colour at the foot."""
        width, height = self.page_size
        canv.saveState()
        canv.drawImage(str(self.brand.logo), self.margin_x, height - self.margin_top - 40 * mm, width=120 * mm,
                       height=36 * mm, preserveAspectRatio=True, anchor="w", mask="auto")
        canv.setFillColor(self.primary)
        canv.rect(0, 0, width, 16 * mm, stroke=0, fill=1)
        canv.setFillColor(self.accent)
        canv.rect(0, 16 * mm, width, 2.5 * mm, stroke=0, fill=1)
        canv.restoreState()

    def later_pages(self, canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        width, height = self.page_size
        canv.saveState()
        canv.setFillColor(self.muted)
        canv.setFont(self.fonts.face(), 9)
        # One line, left-aligned: text extraction reads it as one line before the page's content.
        line = self.footer_text(canv, f"{self.brand.short_name} · {doc.title}")
        canv.drawString(self.margin_x, height - 11 * mm, line)
        canv.setStrokeColor(self.primary)
        canv.setLineWidth(0.6)
        canv.line(self.margin_x, height - 13 * mm, width - self.margin_x, height - 13 * mm)
        canv.restoreState()

    def footer(self, canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        """Drawn when the page is finished, so text extraction reads it after the page's content."""
        width, _ = self.page_size
        canv.saveState()
        canv.setStrokeColor(self.primary)
        canv.setLineWidth(0.6)
        canv.line(self.margin_x, 14 * mm, width - self.margin_x, 14 * mm)
        canv.setFillColor(self.muted)
        canv.setFont(self.fonts.face(), 9)
        canv.drawString(self.margin_x, 9.5 * mm, self.footer_text(canv, self.doc_footer))
        label = f"Page {canv.getPageNumber()} of "
        x = width - self.margin_x - 10 * mm - canv.stringWidth(label, self.fonts.face(), 9)
        canv.drawString(x, 9.5 * mm, label)
        canv.translate(width - self.margin_x - 10 * mm, 9.5 * mm)
        canv.doForm(TOTAL_FORM)
        canv.restoreState()

    def footer_text(self, canv: rl_canvas.Canvas, text: str) -> str:
        """Shorten *text* to leave room for the page number."""
        limit = self.frame_width - 30 * mm
        face = self.fonts.face()
        if canv.stringWidth(text, face, 9) <= limit:
            return text
        while text and canv.stringWidth(text + "…", face, 9) > limit:
            text = text[:-1]
        return text.rstrip() + "…"

    def render(self, document: Document) -> bytes:
        self.doc_footer = document.footer
        buffer = io.BytesIO()
        story: list[Flowable] | None = None
        top_first = self.margin_top + 21 * mm
        if document.layout == "tiles":
            from briefpack.render.tiles import tiles_story
            self.landscape = True
            width, height = self.page_size
            story = tiles_story(self, document, self.frame_width, height - self.margin_top - self.margin_bottom)
            if story is not None:
                top_first = self.margin_top  # the logo is in the title row
            else:
                self.landscape = False
                self.notes.append("the seven tiles do not fit on one page even with 9 pt text, so this PDF "
                                  "uses the linear layout — shorten the longest sections to get tiles")
        width, height = self.page_size
        doc = DocTemplate(
            buffer, pagesize=self.page_size, leftMargin=self.margin_x, rightMargin=self.margin_x,
            topMargin=self.margin_top + 4 * mm, bottomMargin=self.margin_bottom, title=document.title,
            author=document.author, subject=document.subject, keywords=", ".join(document.keywords),
            creator="briefpack", producer="briefpack", lang=document.language, displayDocTitle=True,
            invariant=1, pageCompression=1,
            # Start every page in the brand font, so no unembedded Helvetica is ever referenced.
            initialFontName=self.fonts.face(), initialFontSize=BODY_PT)
        first = Frame(self.margin_x, self.margin_bottom, self.frame_width, height - top_first - self.margin_bottom,
                      id="first", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        later_height = height - self.margin_top - 4 * mm - self.margin_bottom
        later = Frame(self.margin_x, self.margin_bottom, self.frame_width, later_height,
                      id="later", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = isinstance(document.blocks[0], TitleBlock) and document.blocks[0].cover
        first_header = self.cover_page if cover else (nothing if self.landscape else self.first_page)
        templates = [
            PageTemplate("first", [first], onPage=self.on_background(first_header),
                         onPageEnd=nothing if cover else self.footer, autoNextPageTemplate="later",
                         pagesize=self.page_size),
            PageTemplate("later", [later], onPage=self.on_background(self.later_pages), onPageEnd=self.footer,
                         pagesize=self.page_size),
        ]
        doc.addPageTemplates(templates)
        if story is None:
            story = []
            for block in document.blocks:
                story.extend(self.flowables(block))
            story = keep_headings_with_next(story) + self.partner_strip()
        face, muted = self.fonts.face(), self.muted

        def canvasmaker(*a, **k):
            return TotalPagesCanvas(*a, footer_font=face, footer_colour=muted, **k)

        if any(isinstance(b, Contents) for b in document.blocks):
            doc.multiBuild(story, canvasmaker=canvasmaker)  # two passes: the contents need page numbers
        else:
            doc.build(story, canvasmaker=canvasmaker)
        return buffer.getvalue()


def render_pdf(document: Document, brand: Brand) -> tuple[bytes, tuple[str, ...]]:
    """Return the PDF for *document* in *brand*, and any notes for the user about how it was laid out."""
    from reportlab.platypus.doctemplate import LayoutError

    renderer = Renderer(brand, document)
    try:
        data = renderer.render(document)
    except LayoutError as exc:
        raise TooLarge(str(exc)) from None
    if renderer.fonts.missing:
        raise MissingCharacters(frozenset(renderer.fonts.missing))
    return data, tuple(renderer.notes)


class TooLarge(Exception):
    """Something in the document cannot be laid out on a page (reportlab's LayoutError)."""


class MissingCharacters(Exception):
    """Characters of the document that neither the brand font nor its fallback can draw."""

    def __init__(self, characters: frozenset[str]) -> None:
        super().__init__(characters)
        self.characters = characters


