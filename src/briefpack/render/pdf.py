"""Render a Document to PDF with reportlab. Every user string is escaped here and nowhere else."""

from __future__ import annotations

import contextlib
import io
import math
import re
from collections.abc import Iterator
from typing import assert_never

from briefpack.render.xmltext import quoteattr

from briefpack.render import rlsafe  # noqa: F401  (first: fixes reportlab's configuration)

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_LEFT  # noqa: E402
from reportlab.lib.pagesizes import A4, LETTER, landscape  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: E402
from reportlab.pdfgen import canvas as rl_canvas  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.platypus import (BaseDocTemplate, Flowable, KeepTogether,  # noqa: E402
                                ListItem, PageTemplate, Paragraph, Spacer, TableStyle)
from reportlab.platypus import Image as RLImage  # noqa: E402
from reportlab.platypus import PageBreak as RLPageBreak  # noqa: E402
from reportlab.platypus import Table as RLTable  # noqa: E402

from briefpack.document import (BulletList, Chart, Choice, ContactBlock, Contents, Document, Field,  # noqa: E402
                                FieldTable, Heading, Item, LinkBlock, NumberedList, PageBreak, Para, Section, Table,
                                TitleBlock, TopBlock)
from briefpack.render.figures import bar_chart, qr_drawing  # noqa: E402
from briefpack.render.pdfimages import picture  # noqa: E402
from briefpack.render import pdfwriter  # noqa: E402, F401  (what every document writes alike, made once)
from briefpack.render.pdffonts import Fonts, faces_used  # noqa: E402
from briefpack.render.pdfparts import (CHUNK, INDENT, TOTAL_FORM, Bookmarked, ContentsList, DocTemplate,  # noqa: E402
                                       LayoutFrame, ProofCanvas, RowsTable, Rule, SectionHeading,
                                       TotalPagesCanvas,
                                       break_before_heading,
                                       keep_headings_with_next, nothing, split_spans)
from briefpack.render.tagging import (Element, TaggedList, artifact, marked,  # noqa: E402
                                      tag, table_furniture)
from briefpack.markup import Inline, Span  # noqa: E402
from briefpack.model import WHITE, Brand, Colour  # noqa: E402
from briefpack.memo import Memo  # noqa: E402
from briefpack.words import pieces  # noqa: E402

PAGE_SIZES = {"A4": A4, "Letter": LETTER}
MARGIN_X = 18 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 20 * mm
FOOTER_RULE = 14 * mm
"""The height of the line over a portrait page's footer (see Renderer.footer_rule)."""
BODY_PT = 11
LARGE_PRINT = 16 / 10
"""How much the large-print edition scales every size: the smallest text (10 pt notes) becomes 16 pt."""
LARGE_PRINT_PT = 16
TILES_LEAST_PT = 9.0
"""The least size of any text in a panel of the tiles layout."""
"""The least size of any text in the large-print edition (page header and footer, chart labels)."""


def rl(colour: Colour) -> colors.Color:
    return colors.Color(*colour.rgb01)


class Renderer:
    """Turn one Document into PDF bytes in one brand's look."""

    def __init__(self, brand: Brand, document: Document, tagged: bool = True, snug: bool = False,
                 break_before: int | None = None, proof: bool = False) -> None:
        """*snug* sets lines and paragraphs a little closer (to pull a nearly empty last page back);
        *break_before* starts a new page at that heading (counted from 0), to give the last page more;
        *proof* lays the document out for its verdict only, making no PDF (see pdfparts.ProofCanvas)."""
        self.brand, self.document = brand, document
        self.snug, self.break_before = snug, break_before
        self.heading_pages: list[int] = []
        """The page of each heading of the linear layout, in order, once rendered."""
        self.last_fill = 1.0
        """How much of its text area the last page fills, once rendered (0 to 1)."""
        self.pages = 0
        self._unsaved: tuple[rl_canvas.Canvas | None, io.BytesIO] = (None, io.BytesIO())
        """The canvas lay_out left unsaved (see finish), and where it writes."""
        self.tagged = tagged
        self.proof = proof
        self.root = Element.document()
        self.parent = self.root
        """The structure element new content goes into (the document, or a section)."""
        self.keys = 0
        self.fonts = Fonts(brand, faces_used(document))
        p = brand.palette
        self.primary, self.accent, self.text = rl(p.primary), rl(p.accent), rl(p.text)
        self.muted, self.background = rl(p.muted), rl(p.background)
        self.tint = rl(p.primary.mix(p.background, 0.92))
        self.on_primary = rl(WHITE) if p.primary.contrast(WHITE) >= 4.5 else self.text
        self.landscape = False
        self.notes: list[str] = []
        self.width_override: float | None = None
        """The width content is laid out in when it is not the frame's (a panel of the tiles layout)."""
        self.tiles_pages = 0
        """Pages of the tiles layout (0: linear); the last one shows the partner logos in its footer band."""
        self.scale = LARGE_PRINT if document.large_print else 1.0
        self.furniture_pt = LARGE_PRINT_PT if document.large_print else 9
        """The size of the running header and footer."""
        self.set_body_size(BODY_PT * self.scale)

    def set_body_size(self, body: float, spacing: float | None = None, gaps: float = 0.0) -> None:
        """Make every style for body text of *body* points (the tiles layout shrinks it to fit).

        *spacing*, for tiles, runs from 0 (close lines, little space between paragraphs: to fit) to 1 (airy: to
        fill a page); *gaps* opens the space between paragraphs and list items further (to fill one panel).
        Neither changes where a line breaks, only heights.
        """
        f = self.fonts
        k = body / BODY_PT
        self.body_pt = body
        tiles = spacing is not None
        s = spacing or 0.0
        self.list_indent = 0.6 if tiles else 1.0
        self.list_gap = 0.6 + 0.8 * s + 2 * gaps if tiles else 1.0
        line = 0.9 + 0.2 * s if tiles else 0.93 if self.snug else 1.0
        gap = 0.5 + 1.0 * s + gaps if tiles else 0.5 if self.snug else 1.0
        self.gap = 0.5 if self.snug else 1.0
        """How much of the usual space between blocks is left (less when set close)."""

        def style(name: str, size: float, leading: float, colour: colors.Color, bold: bool = False,
                  before: float = 0, after: float = 0) -> ParagraphStyle:
            z = max(size * k, TILES_LEAST_PT) / size if tiles else k  # no tiles text under 9 pt, notes included
            return ParagraphStyle(name, fontName=f.face(bold=bold), fontSize=size * z,
                                  leading=max(leading * z * line, size * z * 1.2), textColor=colour,
                                  spaceBefore=before * k * gap, spaceAfter=after * k * gap, alignment=TA_LEFT)

        self.styles = {
            "body": style("body", BODY_PT, 14.5, self.text, after=5),
            "small": style("small", 10, 13.5, self.muted, after=3),
            "kicker": style("kicker", 11, 14, self.accent, bold=True, after=4),
            "title": style("title", 24, 28, self.primary, bold=True, after=4),
            "subtitle": style("subtitle", 14, 19, self.text, after=3),
            "date": style("date", 11, 15, self.muted),
            "reading_time": style("reading_time", 11, 15, self.accent, bold=True, before=2),
            "h1": style("h1", 16, 20, self.primary, bold=True, before=10, after=6),
            "h2": style("h2", 13, 17, self.primary, bold=True, before=10, after=4),
            "contact_head": style("contact_head", 13, 17, self.primary, bold=True),
            "contact_name": style("contact_name", BODY_PT, 15.5, self.text, bold=True),
            "contact_line": style("contact_line", BODY_PT, 15.5, self.text),
        }

    def look(self) -> tuple:
        """Everything of the renderer (not the document) that decides where lines break and how tall things are:
        the fonts, the large-print scale, snug setting and page orientation. Layout memos key on it."""
        return self.fonts.key, self.scale, self.snug, self.landscape, self.brand.page_size

    # -- text -------------------------------------------------------------------------------------
    def inline(self, spans: Inline, breaks: dict[int, list[int]] | None = None) -> str:
        """Paragraph markup of *spans*; *breaks* are line breaks inside span i at these character offsets."""
        parts = []
        for i, span in enumerate(spans):
            cuts = (breaks or {}).get(i, [])
            pieces = [span.text[a:b] for a, b in zip([0, *cuts], [*cuts, len(span.text)], strict=True)]
            chunk = "<br/>".join(self.fonts.markup(piece) for piece in pieces)
            if span.bold:
                chunk = f"<b>{chunk}</b>"
            if span.italic:
                chunk = f"<i>{chunk}</i>"
            if span.href:
                chunk = (f"<a href={quoteattr(span.href)} color={quoteattr('#' + self.brand.palette.primary.hex)}>"
                         f"<u>{chunk}</u></a>")
            parts.append(chunk)
        return "".join(parts)

    def para(self, spans: Inline, style: str = "body", role: str | Element = "P", **overrides) -> Paragraph:
        """A Paragraph tagged as *role* (a new element in the current parent) or as the element given."""
        st = self.styles[style]
        if overrides:
            st = ParagraphStyle(f"{style}+", parent=st, **overrides)
        if any(len(word) >= LONG_WORD for span in spans for word in span.text.split(" ")):
            paragraph: Paragraph = AddressParagraph(self.inline(spans), st)
            paragraph.bp_spans, paragraph.bp_renderer = spans, self  # type: ignore[attr-defined]
        else:
            paragraph = Paragraph(self.inline(spans), st)
        return tag(paragraph, self.element(role))

    def break_long_words(self, spans: Inline, width: float, size: float) -> dict[int, list[int]]:
        """Where a word longer than a whole line must break, after '/', '.' or '-': {span index: offsets}.

        Follows reportlab's own greedy line filling, so the breaks land where its lines end; words that fit
        a line are left to reportlab, and nothing else is ever cut inside a word-piece. A link broken so
        stays one link.
        """
        breaks: dict[int, list[int]] = {}
        x = 0.0
        for i, span in enumerate(spans):
            face = self.fonts.face(bold=span.bold, italic=span.italic)
            at = 0
            for token in re.split(r"( )", span.text):
                w = stringWidth(token, face, size)
                if token == " " or x + w <= width:
                    x += w
                elif w <= width:  # reportlab starts a new line with it
                    x = w
                else:
                    offset = at
                    pieces = re.split(r"(?<=[/.\-])", token)
                    while len(pieces) > 1 and len(pieces[0]) < 9:  # never 'www.' or 'https://' alone on a line
                        pieces[:2] = [pieces[0] + pieces[1]]
                    after_space = at > 0 or i == 0 or spans[i - 1].text.endswith(" ")
                    for k, piece in enumerate(pieces):
                        pw = stringWidth(piece, face, size)
                        if x + pw > width and x > 0:
                            if k == 0 and after_space:
                                x = 0.0  # reportlab starts a new line with the address itself
                            elif offset > 0:
                                breaks.setdefault(i, []).append(offset)
                                x = 0.0
                        x += pw
                        offset += len(piece)
                at += len(token)
        return breaks

    def element(self, role: str | Element, **attributes: str) -> Element:
        return role if isinstance(role, Element) else Element(role, self.parent, **attributes)

    @contextlib.contextmanager
    def inside(self, element: Element) -> Iterator[Element]:
        """Make the content built inside the block children of *element*."""
        saved, self.parent = self.parent, element
        try:
            yield element
        finally:
            self.parent = saved

    def image(self, path: object, **kwargs) -> RLImage:
        """An image flowable, drawn from the picture decoded once (see image_reader)."""
        flowable = RLImage(str(path), **kwargs)
        flowable._img = self.image_reader(path)  # what reportlab would read from the file itself, made once
        return flowable

    def image_reader(self, path: object) -> ImageReader:
        """The picture in *path*, decoded once per process (render/pdfimages.py). Drawn from a reader, an
        image's PDF name comes from its pixels, not from where the project folder is (the same bytes wherever
        it is)."""
        return picture(path)

    def paras(self, spans: Inline, style: str = "body", role: str | Element = "P", **overrides) -> list[Paragraph]:
        """Long text as several Paragraphs of at most CHUNK characters, broken between words.

        reportlab lays a paragraph out in time that grows with the square of its length (a 100,000-character
        paragraph takes seconds); chunks keep any text fast, and only a line end shows where one ends.
        """
        chunks = split_spans(spans, CHUNK)
        element = self.element(role)  # one paragraph, however many chunks
        if len(chunks) == 1:
            return [self.para(spans, style, element, **overrides)]
        last = len(chunks) - 1
        return [self.para(chunk, style, element, **{**overrides, **({} if i == last else {"spaceAfter": 0})})
                for i, chunk in enumerate(chunks)]

    def plain(self, text: str, style: str, role: str | Element = "P", **overrides) -> Paragraph:
        return self.para((Span(text),), style, role, **overrides)

    # -- blocks -----------------------------------------------------------------------------------
    def flowables(self, block: TopBlock, indent: float = 0, compact: bool = False) -> list[Flowable]:
        """The flowables of *block*; *compact* for the closing tile of the tiles layout."""
        match block:
            case TitleBlock() if block.cover:
                return self.cover(block)
            case TitleBlock():
                out = [self.plain(block.kicker, "kicker"), self.plain(block.title, "title", "H1")]
                if block.subtitle:
                    out.append(self.plain(block.subtitle, "subtitle"))
                if block.date:
                    out.append(self.plain(block.date, "date"))
                if block.reading_time:
                    out.append(self.plain(block.reading_time, "reading_time"))
                return [*out, Spacer(1, 4 * mm), Rule(self.primary, 1.2), Spacer(1, 3 * mm)]
            case Section():
                with self.inside(self.element("Sect")):
                    # No room reserved: the heading goes with the first lines after it (keep_headings_with_next).
                    inner: list[Flowable] = [SectionHeading(block.number, block.label, self, self.element("H2"))]
                    for child in block.blocks:
                        inner.extend(self.flowables(child, INDENT * self.scale))
                inner.append(Spacer(1, 1.5 * mm * self.gap))
                return inner
            case Heading():
                style = "h1" if block.level == 1 else "h2"
                # The title is the one H1: a document's own headings start at H2.
                heading = Bookmarked(self.plain(block.text, style, f"H{block.level + 1}", leftIndent=indent),
                                     block.text, block.level - 1, self.next_key())
                return [heading]
            case Chart():
                chart = tag(bar_chart(block, self, self.frame_width - indent), self.element("Figure", alt=block.alt))
                return [Spacer(1, 2 * mm), chart, Spacer(1, 3 * mm)]
            case Table():
                return [self.table(block, indent)]
            case LinkBlock():
                return [self.link_block(block, indent)]
            case Contents():
                return [self.plain(block.title, "h1", "H2"), ContentsList(self, self.element("TOC"))]
            case PageBreak():
                return [RLPageBreak()]
            case Para():
                return self.paras(block.text, block.style, leftIndent=indent)
            case BulletList():
                return [self.list_flowable(block.items, indent, numbered=False)]
            case NumberedList():
                return [self.list_flowable(block.items, indent, numbered=True)]
            case ContactBlock() if compact:
                out = [self.plain(block.heading, "h2", "H2", spaceBefore=0)]
                for entry in block.entries:
                    out.append(self.plain(entry.name, "contact_name"))
                    out.extend(self.para(line, "contact_line") for line in entry.lines)
                return out
            case ContactBlock():
                return self.contact_block(block)
            case Field() | FieldTable() | Choice():
                from briefpack.render.pdfforms import field_flowables
                return field_flowables(block, self, indent)
            case _:
                assert_never(block)

    def partner_logos(self, canv: rl_canvas.Canvas, left: float, right: float, bottom: float,
                      height: float) -> None:
        """The partner agencies' logos in a row centred between *left* and *right*, at most *height* tall.

        They sit in the page's header or footer band, so they never cost the content any room; each is a
        Figure with its alt text, read after the page's content.
        """
        if not self.brand.partners or right <= left:
            return
        gap = 4 * mm
        alts = self.document.logo_alts(self.brand.logo_alt, self.brand.partners)[1:]
        readers = [(self.image_reader(path), alt) for (path, _), alt in zip(self.brand.partners, alts, strict=True)]
        widths = []
        for reader, _ in readers:
            w, h = reader.getSize()
            widths.append(min(height * w / h, 32 * mm))
        total = sum(widths) + gap * (len(widths) - 1)
        scale = min(1.0, (right - left - gap * (len(widths) - 1)) / sum(widths))
        widths = [w * scale for w in widths]
        total = sum(widths) + gap * (len(widths) - 1)
        x = left + (right - left - total) / 2
        canv.saveState()
        for (reader, alt), w in zip(readers, widths, strict=True):
            with marked(canv, Element("Figure", self.root, alt=alt)):
                canv.drawImage(reader, x, bottom, width=w, height=height * scale, preserveAspectRatio=True,
                               anchor="c", mask="auto")
            x += w + gap
        canv.restoreState()

    def compact_title(self, block: TitleBlock) -> list[Flowable]:
        """The title row of a one-page layout: the title's words on the left, the logo on the right."""
        words: list[Flowable] = [self.plain(block.kicker, "kicker", spaceAfter=1),
                                 self.plain(block.title, "title", "H1", fontSize=21, leading=25, spaceAfter=2)]
        line = " · ".join(t for t in (block.subtitle, block.date) if t)
        if line:
            words.append(self.plain(line, "subtitle", fontSize=12, leading=15, spaceAfter=0))
        if block.reading_time:
            words.append(self.plain(block.reading_time, "reading_time", fontSize=10.5, leading=13, spaceBefore=2))
        logo = tag(self.image(self.brand.logo, width=62 * mm, height=15 * mm, kind="proportional", hAlign="RIGHT"),
                   self.element("Figure", alt=self.logo_alt))
        row = RLTable([[words, logo]], colWidths=[self.frame_width - 66 * mm, 66 * mm], renderCB=table_furniture)
        row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                 ("FONT", (0, 0), (-1, -1), self.fonts.face(), self.body_pt)]))
        return [row, Spacer(1, 2 * mm), Rule(self.primary, 1.2), Spacer(1, 3 * mm)]

    @property
    def logo_alt(self) -> str:
        return self.document.logo_alts(self.brand.logo_alt, ())[0]

    def next_key(self) -> str:
        self.keys += 1
        return f"h{self.keys}"

    def cover(self, block: TitleBlock) -> list[Flowable]:
        """A cover page: the logo large, then kicker, title, subtitle, board and date."""
        s = self.scale
        out: list[Flowable] = [Spacer(1, 62 * mm),
                               self.plain(block.kicker, "kicker", fontSize=13 * s, leading=17 * s),
                               self.plain(block.title, "title", "H1", fontSize=30 * s, leading=36 * s,
                                          spaceAfter=10 * s)]
        if block.subtitle:
            out.append(self.plain(block.subtitle, "subtitle", fontSize=16 * s, leading=21 * s))
        out += [Spacer(1, 6 * mm), Rule(self.accent, 2.5), Spacer(1, 6 * mm),
                self.plain(self.brand.name, "subtitle", fontName=self.fonts.face(bold=True))]
        if block.date:
            out.append(self.plain(block.date, "date"))
        return out

    def table(self, block: Table, indent: float) -> RLTable:
        element = self.element("Table")
        head_row = Element("TR", element)
        header = [self.plain(text, "body", Element("TH", head_row, scope="Column"),
                             fontName=self.fonts.face(bold=True), textColor=rl(WHITE)
                             if self.brand.palette.primary.contrast(WHITE) >= 4.5 else self.text)
                  for text in block.header]
        rows = []
        for row in block.rows:
            tr = Element("TR", element)
            rows.append([self.plain(text, "body", Element("TD", tr), spaceAfter=0) for text in row])
        width = self.frame_width - indent
        first = width * 0.7
        table = RowsTable([header, *rows], colWidths=[first, width - first], repeatRows=1, hAlign="RIGHT",
                          renderCB=table_furniture)
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
        qr = tag(qr_drawing(block.url, size, self.text, self.fonts.face()),
                 self.element("Figure", alt=block.alt or f"QR code for {block.address}"))
        text = [self.plain(block.title, "body", fontName=self.fonts.face(bold=True), spaceAfter=2),
                self.para((Span(block.address, href=block.url),), "body", spaceAfter=2),
                self.plain(block.caption, "small")]
        table = RLTable([[qr, text]], colWidths=[size + 5 * mm, self.frame_width - indent - size - 5 * mm],
                        hAlign="RIGHT", renderCB=table_furniture)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.fonts.face(), self.body_pt),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("BOX", (0, 0), (-1, -1), 0.6, self.primary), ("LEFTPADDING", (0, 0), (0, 0), 2.5 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm),
        ]))
        table.bp_keep_with_heading = True  # type: ignore[attr-defined]  # on the page of its section's heading
        return table

    def list_flowable(self, items: tuple[Item, ...], indent: float, numbered: bool, depth: int = 0) -> TaggedList:
        entries = []
        element = self.element("L")
        for item in items:
            li = Element("LI", element)
            label = Element("Lbl", li)
            with self.inside(Element("LBody", li)):
                parts: list[Flowable] = self.paras(item.text, spaceAfter=2 * self.list_gap)
                for more in item.more:
                    parts.extend(self.paras(more, spaceAfter=2 * self.list_gap))
                if item.children:
                    parts.append(self.list_flowable(item.children, 0, numbered=False, depth=depth + 1))
            tag(parts[0], parts[0].bp_tag, label)
            entries.append(ListItem(parts if len(parts) > 1 else parts[0]))
        gap = (7 * mm if numbered else 5 * mm) * self.list_indent * self.scale
        kw = dict(leftIndent=indent + gap, bulletDedent=gap, spaceAfter=4 * self.list_gap, bulletColor=self.primary,
                  bulletFontName=self.fonts.face(bold=numbered))
        if numbered:
            return TaggedList(entries, bulletType="1", bulletFormat="%s.", bulletFontSize=self.body_pt, **kw)
        return TaggedList(entries, bulletType="bullet", start="•" if depth == 0 else "–",
                          bulletFontSize=self.body_pt, **kw)

    def contact_block(self, block: ContactBlock) -> list[Flowable]:
        rows: list[list[Flowable]] = [[Bookmarked(self.plain(block.heading, "contact_head", "H2"), block.heading,
                                                  0, self.next_key())]]
        for entry in block.entries:
            cell = [self.plain(entry.name, "contact_name")]
            cell.extend(self.para(line, "contact_line") for line in entry.lines)
            rows.append([cell])
        width = self.frame_width
        table = RLTable(rows, colWidths=[width], hAlign="LEFT", renderCB=table_furniture)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.fonts.face(), self.body_pt),
            ("BACKGROUND", (0, 0), (-1, -1), self.tint),
            ("LINEBEFORE", (0, 0), (0, -1), 3, self.primary),
            ("LEFTPADDING", (0, 0), (-1, -1), 5 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 5 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 2.2 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2 * mm),
            ("TOPPADDING", (0, 0), (-1, 0), 4 * mm), ("BOTTOMPADDING", (0, -1), (-1, -1), 4 * mm),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return [Spacer(1, 4 * mm * self.gap), KeepTogether([table]), Spacer(1, 2 * mm * self.gap)]

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
        if self.landscape:
            return 17 * mm
        return MARGIN_BOTTOM + (self.footer_rule - FOOTER_RULE)

    @property
    def two_line_footer(self) -> bool:
        """Large print (linear, portrait) sets its footer on two lines: the board's footer over the page number.
        At 16 pt one line held the page number and about 40 characters of the footer, which cut most boards'
        names short ('North Somerset Safeguarding Children Partne…')."""
        return self.scale > 1 and not self.landscape

    @property
    def footer_rule(self) -> float:
        """The height of the line over the footer."""
        return FOOTER_RULE + 7 * mm if self.two_line_footer else FOOTER_RULE

    @property
    def frame_width(self) -> float:
        if self.width_override is not None:
            return self.width_override
        return self.page_size[0] - 2 * self.margin_x

    later_top_extra = 4 * mm
    """Pages after the first start this much lower, under the running header."""

    def first_page(self, canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        width, height = self.page_size
        logo_h = 17 * mm
        top = height - self.margin_top
        canv.saveState()
        # The logo alone: it names the board, and the footer says it again in words.
        with marked(canv, Element("Figure", self.root, alt=self.logo_alt)):
            canv.drawImage(self.image_reader(self.brand.logo), self.margin_x, top - logo_h, width=70 * mm,
                           height=logo_h, preserveAspectRatio=True, anchor="w", mask="auto")
        canv.restoreState()
        # The partners beside the board's logo: a header band, so no page ever holds only logos.
        self.partner_logos(canv, self.margin_x + 80 * mm, width - self.margin_x, top - logo_h + 2 * mm, 13 * mm)

    def on_background(self, header):  # noqa: ANN001, ANN201 - a reportlab page callback
        """*header*, drawn on the brand's background colour when that is not white."""
        if self.brand.palette.background == WHITE:
            return header

        def page(canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
            canv.saveState()
            canv.setFillColor(self.background)
            width, height = self.page_size
            with artifact(canv):
                canv.rect(0, 0, width, height, stroke=0, fill=1)
            canv.restoreState()
            header(canv, doc)
        return page

    def with_mark(self, end):  # noqa: ANN001, ANN201 - a reportlab page callback
        """*end*, then the document's mark ('DRAFT') across the page, over everything and pale.

        An artifact (a watermark): the status is read out in the document-control line and properties.
        """
        if not self.doc_mark:
            return end

        def page(canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
            end(canv, doc)
            width, height = self.page_size
            face = self.fonts.face(bold=True)
            size = min(110.0, 0.7 * (width ** 2 + height ** 2) ** 0.5 / canv.stringWidth(self.doc_mark, face, 1))
            canv.saveState()
            canv.setFillColor(self.accent)
            canv.setFillAlpha(0.2)
            canv.setFont(face, size)
            canv.translate(width / 2, height / 2)
            canv.rotate(math.degrees(math.atan2(height, width)))
            with artifact(canv, "Watermark"):
                canv.drawCentredString(0, -size / 3, self.doc_mark)
            canv.restoreState()
        return page

    def cover_page(self, canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        """The cover: the logo large at the top, a band of the brand's colour at the foot."""
        width, height = self.page_size
        canv.saveState()
        with marked(canv, Element("Figure", self.root, alt=self.logo_alt)):
            canv.drawImage(self.image_reader(self.brand.logo), self.margin_x, height - self.margin_top - 40 * mm,
                           width=120 * mm, height=36 * mm, preserveAspectRatio=True, anchor="w", mask="auto")
        with artifact(canv):
            canv.setFillColor(self.primary)
            canv.rect(0, 0, width, 16 * mm, stroke=0, fill=1)
            canv.setFillColor(self.accent)
            canv.rect(0, 16 * mm, width, 2.5 * mm, stroke=0, fill=1)
        canv.restoreState()

    def later_pages(self, canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        with artifact(canv, "Header"):
            self.running_header(canv, doc)

    def running_header(self, canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        width, height = self.page_size
        canv.saveState()
        canv.setFillColor(self.muted)
        canv.setFont(self.fonts.face(), self.furniture_pt)
        # One line, left-aligned: text extraction reads it as one line before the page's content.
        line = self.footer_text(canv, self.document.header, self.frame_width)  # nothing else on its line
        canv.drawString(self.margin_x, height - 13 * mm + 2 * mm * self.scale, line)  # its tails clear the rule
        canv.setStrokeColor(self.primary)
        canv.setLineWidth(0.6)
        canv.line(self.margin_x, height - 13 * mm, width - self.margin_x, height - 13 * mm)
        canv.restoreState()

    def footer(self, canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        """Drawn when the page is finished, so text extraction reads it after the page's content."""
        with artifact(canv, "Footer"):
            self.running_footer(canv, doc)
        if self.tiles_pages and canv.getPageNumber() == self.tiles_pages:
            # The last panel page's footer band holds the partners, between the footer line and the page number.
            width, _ = self.page_size
            face = self.fonts.face()
            left = self.margin_x + canv.stringWidth(self.footer_text(canv, self.document.footer), face, 9) + 8 * mm
            right = width - self.margin_x - 10 * mm - canv.stringWidth(self.document.page_label, face, 9) - 8 * mm
            self.partner_logos(canv, left, right, 5.5 * mm, 7.5 * mm)

    def running_footer(self, canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
        """The line, the board's footer and the page number: on one line under the rule (4.5 mm from it to
        the baseline at 9 pt), or in large print on two (each baseline 7 mm under the one above), so the
        footer has the whole width and no letter touches the rule."""
        width, _ = self.page_size
        canv.saveState()
        canv.setStrokeColor(self.primary)
        canv.setLineWidth(0.6)
        rule = self.footer_rule
        canv.line(self.margin_x, rule, width - self.margin_x, rule)
        canv.setFillColor(self.muted)
        canv.setFont(self.fonts.face(), self.furniture_pt)
        two = self.two_line_footer
        text_at = rule - (7 * mm if two else 4.5 * mm)
        canv.drawString(self.margin_x, text_at,
                        self.footer_text(canv, self.document.footer, self.frame_width if two else None))
        label_at = text_at - 7 * mm if two else text_at
        before, after = page_label_parts(self.document.page_label, canv.getPageNumber())
        x = width - self.margin_x - 10 * mm - canv.stringWidth(before, self.fonts.face(), self.furniture_pt)
        canv.drawString(x, label_at, before)
        if after is not None:
            canv.translate(width - self.margin_x - 10 * mm, label_at)
            canv.doForm(TOTAL_FORM)
            canv.drawString(5 * mm * self.scale, 0, after)
        canv.restoreState()

    def footer_text(self, canv: rl_canvas.Canvas, text: str, limit: float | None = None) -> str:
        """Shorten *text* to *limit* (by default, what leaves room for the page number beside it)."""
        if limit is None:
            limit = self.frame_width - 30 * mm * self.scale
        face = self.fonts.face()
        if canv.stringWidth(text, face, self.furniture_pt) <= limit:
            return text
        while text and canv.stringWidth(text + "…", face, self.furniture_pt) > limit:
            text = text[:-1]
        return text.rstrip() + "…"

    def render(self, document: Document) -> bytes:
        self.lay_out(document)
        return self.finish()

    def finish(self) -> bytes:
        """The PDF of the document laid out: saved now if lay_out left that to be done."""
        canvas, buffer = self._unsaved
        if canvas is not None:
            canvas.save()
            self._unsaved = None, buffer
        return buffer.getvalue()

    def lay_out(self, document: Document) -> None:
        """Lay out and draw *document*, leaving only the saving to finish(): the pages, the last page's fill
        and the headings' pages are known, and a layout that is not kept costs no saving (see _ending)."""
        self.doc_mark = document.mark
        self.form_id = document.form_id
        buffer = io.BytesIO()
        story: list[Flowable] | None = None
        top_first = self.margin_top + 21 * mm
        if document.layout == "tiles":
            from briefpack.render.tiles import tiles_story
            self.landscape = True
            width, height = self.page_size
            story = tiles_story(self, document, self.frame_width, height - self.margin_top - self.margin_bottom)
            top_first = self.margin_top  # the logo is in the title row
        width, height = self.page_size
        doc = DocTemplate(
            buffer, pagesize=self.page_size, leftMargin=self.margin_x, rightMargin=self.margin_x,
            topMargin=self.margin_top + 4 * mm, bottomMargin=self.margin_bottom, title=document.title,
            author=document.author, subject=document.subject, keywords=", ".join(document.keywords),
            creator="briefpack", producer="briefpack", lang=document.language, displayDocTitle=True,
            invariant=1, pageCompression=1,
            # Start every page in the brand font, so no unembedded Helvetica is ever referenced.
            initialFontName=self.fonts.face(), initialFontSize=BODY_PT)
        first = LayoutFrame(self.margin_x, self.margin_bottom, self.frame_width,
                            height - top_first - self.margin_bottom, id="first", leftPadding=0, rightPadding=0,
                            topPadding=0, bottomPadding=0)
        later_height = height - self.margin_top - self.later_top_extra - self.margin_bottom
        later = LayoutFrame(self.margin_x, self.margin_bottom, self.frame_width, later_height,
                            id="later", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = isinstance(document.blocks[0], TitleBlock) and document.blocks[0].cover
        first_header = self.cover_page if cover else (nothing if self.landscape else self.first_page)
        templates = [
            PageTemplate("first", [first], onPage=self.on_background(first_header),
                         onPageEnd=self.with_mark(nothing if cover else self.footer), autoNextPageTemplate="later",
                         pagesize=self.page_size),
            PageTemplate("later", [later], onPage=self.on_background(self.later_pages),
                         onPageEnd=self.with_mark(self.footer), pagesize=self.page_size),
        ]
        doc.addPageTemplates(templates)
        if story is None:
            story = []
            for block in document.blocks:
                story.extend(self.flowables(block))
            if self.break_before is not None:
                story = break_before_heading(story, self.break_before)
            story = keep_headings_with_next(story, 2 * self.styles["body"].leading)
        face, muted = self.fonts.face(), self.muted
        root = self.root if self.tagged else None
        metadata = dict(title=document.title, author=document.author, subject=document.subject,
                        keywords=", ".join(document.keywords), lang=document.language)

        canvas_class = ProofCanvas if self.proof else TotalPagesCanvas

        def canvasmaker(*a, **k):
            return canvas_class(*a, footer_font=face, footer_colour=muted, footer_size=self.furniture_pt,
                                    tag_root=root, metadata=metadata, link_words=dict(document.link_words), **k)

        doc.bp_heading_pages = self.heading_pages = []
        if any(isinstance(b, Contents) for b in document.blocks):
            doc.multiBuild(story, canvasmaker=canvasmaker)  # two passes: the contents need page numbers
            self._unsaved = None, buffer
        else:
            doc._doSave = 0  # reportlab's switch (multiBuild's too): the canvas is saved by finish()
            doc.build(story, canvasmaker=canvasmaker)
            self._unsaved = doc.canv, buffer
        self.pages = doc.page
        frame = doc.frame
        self.last_fill = (frame._y1p + frame._height - frame._y) / frame._height if frame is not None else 1.0


LONG_WORD = 24
"""Characters of a word (an address) that may be longer than a narrow line."""


class AddressParagraph(Paragraph):
    """A Paragraph whose long addresses break only after '/', '.' or '-', at the width it is given.

    reportlab cuts a word longer than the line anywhere ('…/procedu' 'res/…'); this lays the text out again
    with line breaks at the allowed places first. Pieces of a split are plain Paragraphs of the broken text.
    """

    bp_spans: Inline | None = None
    bp_renderer: Renderer | None = None
    _bp_width: float | None = None
    _bp_breaks: dict[int, list[int]] | None = None
    """The breaks the text was last laid out with; None: none, as it was made."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's
        r, spans = self.bp_renderer, self.bp_spans
        if r is not None and spans is not None and self._bp_width != availWidth:
            style = self.style
            width = availWidth - style.leftIndent - style.rightIndent - style.firstLineIndent
            breaks = r.break_long_words(spans, width, style.fontSize)
            if breaks != (self._bp_breaks or {}):  # else the same text: not parsed again (most of the cost)
                Paragraph.__init__(self, r.inline(spans, breaks), style)
                self._bp_breaks = breaks
            self._bp_width = availWidth
        return super().wrap(availWidth, availHeight)


LAST_PAGE_LEAST = 0.4
"""A linear document's last page filling less of its text area than this is pulled back if it can be."""
LAST_PAGE_FEW = 0.2
"""... and if it cannot, and fills less than this, more is sent to it: never a page of a few lines."""


Ending = tuple[bool, int | None, int, float]
"""How a linear document was rendered (snug, break_before), and the pages and last page's fill that gave."""
ENDINGS: Memo[Ending] = Memo(64)
"""A linear document's layout inputs (_layout_key) -> its ending: a batch renders its boards' documents once."""


def _fitted(document: Document, brand: Brand, tagged: bool, proof: bool = False) -> tuple[Renderer, bytes]:
    """The renderer and PDF of *document*, with no nearly empty last page when that can be helped.

    A last page with little on it is pulled back onto the page before by setting the text a little
    closer; when that still needs the page, the last heading of the page before starts the last page.
    How a document with the same layout inputs ended is remembered (ENDINGS): it is rendered so at once, and
    kept when it has the pages and last page's fill it had (else found again).
    """
    renderer = Renderer(brand, document, tagged, proof=proof)
    if document.layout == "tiles":
        return renderer, renderer.render(document)
    key = _layout_key(renderer, document, tagged)
    known = ENDINGS.get(key)
    if known is not None:  # as it is too: else a short last page is tried closer again, to the same end
        snug, break_before, pages, fill = known
        again = _laid_out(document, brand, tagged, proof, snug=snug, break_before=break_before)
        if (again.pages, again.last_fill) == (pages, fill):
            return again, again.finish()
    chosen, data = _ending(document, brand, tagged, renderer, proof)
    ENDINGS.put(key, (chosen.snug, chosen.break_before, chosen.pages, chosen.last_fill))
    return chosen, data


def _ending(document: Document, brand: Brand, tagged: bool, renderer: Renderer,
            proof: bool = False) -> tuple[Renderer, bytes]:
    """*renderer* rendering *document* as it is, set closer, or with its last heading pushed: see _fitted."""
    renderer.lay_out(document)  # each layout is saved only if it is the one kept
    if renderer.pages < 2 or renderer.last_fill >= LAST_PAGE_LEAST:
        return renderer, renderer.finish()
    snug = _laid_out(document, brand, tagged, proof, snug=True)
    if snug.pages < renderer.pages:
        return snug, snug.finish()
    if renderer.last_fill >= LAST_PAGE_FEW:
        return renderer, renderer.finish()
    before = renderer.pages - 1
    candidates = [i for i, page in enumerate(renderer.heading_pages) if page == before][::-1]
    for index in candidates[:3]:
        pushed = _laid_out(document, brand, tagged, proof, break_before=index)
        if pushed.pages == renderer.pages and pushed.last_fill >= LAST_PAGE_FEW:
            return pushed, pushed.finish()
    return renderer, renderer.finish()


def _laid_out(document: Document, brand: Brand, tagged: bool, proof: bool, *, snug: bool = False,
              break_before: int | None = None) -> Renderer:
    """A renderer that has laid *document* out so, its saving left to finish() (only the layout kept is saved)."""
    renderer = Renderer(brand, document, tagged, snug=snug, break_before=break_before, proof=proof)
    renderer.lay_out(document)
    return renderer


def _layout_key(renderer: Renderer, document: Document, tagged: bool) -> tuple:
    """Everything that decides where a linear document's pages break: the renderer's look, the blocks (the
    cover also prints the board's name), and whether it is tagged.

    A contacts block is there as its entries and the heights of its table's rows, not its heading's words:
    the heading names the board, and is seen by the layout only through its row's height (a table breaks
    only between rows; a contacts heading is not in the contents list). So boards whose headings take as
    many lines share the layout.
    """
    cover = isinstance(document.blocks[0], TitleBlock) and document.blocks[0].cover
    blocks = tuple(_contacts_rows(renderer, block) if isinstance(block, ContactBlock) else block
                   for block in document.blocks)
    return renderer.look(), tagged, document.layout, renderer.brand.name if cover else "", blocks


def _contacts_rows(renderer: Renderer, block: ContactBlock) -> tuple:
    keys = renderer.keys  # the bookmarks made here are not the document's: its own are numbered as without
    try:
        rows: list[tuple] = []
        for f in renderer.contact_block(block):
            for part in (f._content if isinstance(f, KeepTogether) else [f]):
                if isinstance(part, RLTable):
                    part.wrap(renderer.frame_width, 10_000)
                    rows.append((tuple(part._colWidths), tuple(part._rowHeights)))
                elif isinstance(part, Spacer):
                    rows.append((part.width, part.height))
                else:
                    return ("block", block)
    finally:
        renderer.keys = keys
    return ("contacts", block.entries, tuple(rows))


def page_label_parts(label: str, page: int) -> tuple[str, str | None]:
    """'Page 3 of ', '' for 'Page {page} of {pages}': the text before and after the number of pages.

    The number of pages is known only at the end, so it is drawn between the two; None when the label has none.
    """
    parts = pieces(label, "page", "pages")
    cut = next((i for i, part in enumerate(parts) if part == (True, "pages")), len(parts))

    def said(some: list[tuple[bool, str]]) -> str:
        return "".join((str(page) if t == "page" else "{pages}") if is_placeholder else t for is_placeholder, t in some)
    return said(parts[:cut]), (said(parts[cut + 1:]) if cut < len(parts) else None)


def render_pdf(document: Document, brand: Brand, tagged: bool = True,
               proof: bool = False) -> tuple[bytes, tuple[str, ...]]:
    """Return the PDF for *document* in *brand*, and any notes for the user about how it was laid out.

    *tagged* False leaves out the structure tree and marked content (the tests compare the two renderings).
    *proof* (untagged) lays it out, finding what a build finds, without making the PDF: its bytes are empty.
    """
    from reportlab.platypus.doctemplate import LayoutError

    try:
        renderer, data = _fitted(document, brand, tagged and not proof, proof)
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


