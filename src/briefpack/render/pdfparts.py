"""The reportlab pieces the PDF renderer is built from: flowables, the canvas, the document template."""

from __future__ import annotations

from briefpack.render import rlsafe  # noqa: F401  (first: fixes reportlab's configuration)

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen import canvas as rl_canvas  # noqa: E402
from reportlab.platypus import BaseDocTemplate, Flowable, KeepTogether, Spacer  # noqa: E402
from reportlab.platypus import Table as RLTable  # noqa: E402

from briefpack.markup import Inline, Span  # noqa: E402

INDENT = 15 * mm
"""Section content aligns with the section label, right of the number badge."""
BADGE = 9.5 * mm
TOTAL_FORM = "bp-total-pages"
"""The form XObject that holds the number of pages, drawn once it is known."""

CHUNK = 3000
"""Characters in one reportlab Paragraph at most (see Renderer.paras)."""


def split_spans(spans: Inline, limit: int) -> list[Inline]:
    """Cut *spans* into runs of about *limit* characters, between words, keeping each span's look."""
    chunks: list[list] = [[]]
    size = 0
    for span in spans:
        text = span.text
        while size + len(text) > limit:
            cut = text.rfind(" ", 0, max(limit - size, 1))
            if cut <= 0 and size:
                chunks.append([])
                size = 0
                continue
            cut = cut if cut > 0 else limit
            chunks[-1].append(Span(text[:cut], span.bold, span.italic, span.href))
            chunks.append([])
            size = 0
            text = text[cut:].lstrip(" ")
        if text:
            chunks[-1].append(Span(text, span.bold, span.italic, span.href))
            size += len(text)
    return [tuple(c) for c in chunks if c]


def keep_headings_with_next(story: list[Flowable]) -> list[Flowable]:
    """Never leave a heading alone at the foot of a page.

    Text and lists that follow a heading can split, so the CondPageBreak before every heading (room for
    the heading and a few lines) is enough; what cannot split (a chart, a link with its QR code) is kept
    together with its heading.
    """
    out: list[Flowable] = []
    i = 0
    while i < len(story):
        item = story[i]
        j = i + 1
        while j < len(story) and isinstance(story[j], Spacer):
            j += 1
        if isinstance(item, (Bookmarked, SectionHeading)) and j < len(story) and _unsplittable(story[j]):
            out.append(KeepTogether(story[i:j + 1]))
            i = j + 1
        else:
            out.append(item)
            i += 1
    return out


def _unsplittable(flowable: Flowable) -> bool:
    from reportlab.graphics.shapes import Drawing

    return isinstance(flowable, Drawing) or (isinstance(flowable, RLTable) and len(flowable._cellvalues) == 1)


def nothing(canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
    """A page callback that draws nothing (a cover has no footer)."""


class DocTemplate(BaseDocTemplate):
    """Sends each heading to the table of contents, with its page and bookmark."""

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's name
        if isinstance(flowable, Bookmarked) and flowable.level == 0:
            self.notify("TOCEntry", (0, flowable.title, self.page, flowable.key))


class Rule(Flowable):
    """A horizontal line across the frame."""

    def __init__(self, colour: colors.Color, thickness: float) -> None:
        super().__init__()
        self.colour, self.thickness = colour, thickness

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.thickness

    def draw(self) -> None:
        self.canv.setStrokeColor(self.colour)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, 0, self.width, 0)


class Bookmarked(Flowable):
    """A flowable that adds an outline entry (bookmark) where it is drawn, and a contents entry."""

    def __init__(self, inner: Flowable, title: str, level: int, key: str) -> None:
        super().__init__()
        self.inner, self.title, self.level, self.key = inner, title, level, key

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(avail_width, avail_height)
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab's name
        return self.inner.getSpaceAfter()

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, self.height)
        self.canv.addOutlineEntry(self.title, self.key, self.level, closed=False)
        self.inner.drawOn(self.canv, 0, 0)


class SectionHeading(Flowable):
    """A 7-minute briefing section heading: the number in a badge, then the label; also a bookmark."""

    keepWithNext = True

    def __init__(self, number: str, label: str, renderer) -> None:  # noqa: ANN001 - the PDF Renderer
        super().__init__()
        self.number, self.label, self.r = number, label, renderer
        self.para = renderer.plain(label, "h1", spaceBefore=0, spaceAfter=0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        _, h = self.para.wrap(avail_width - INDENT, avail_height)
        self.height = max(BADGE, h)
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return 3 * mm

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab's name
        return 2.2 * mm

    def draw(self) -> None:
        canv = self.canv
        key = f"section-{self.number}"
        canv.bookmarkHorizontal(key, 0, self.height)
        canv.addOutlineEntry(f"{self.number} {self.label}", key, 0, closed=False)
        top = self.height
        canv.setFillColor(self.r.primary)
        canv.roundRect(0, top - BADGE, BADGE, BADGE, 1.8 * mm, stroke=0, fill=1)
        canv.setFillColor(self.r.on_primary)
        canv.setFont(self.r.fonts.face(bold=True), 13.5)
        canv.drawCentredString(BADGE / 2, top - BADGE / 2 - 4.7, self.number)
        _, h = self.para.wrap(self.width - INDENT, self.height)
        self.para.drawOn(canv, INDENT, top - BADGE / 2 - h / 2 + (0 if h > BADGE else 1))


class TotalPagesCanvas(rl_canvas.Canvas):
    """A canvas that fills in the 'of M' of every page's footer once the number of pages is known.

    Each footer shows a form XObject that is drawn only at the end, so one pass is enough and links
    and bookmarks keep pointing at the right pages.
    """

    def __init__(self, *args, footer_font: str, footer_colour: colors.Color, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer_font, footer_colour

    def save(self) -> None:
        font, colour = self._footer
        self.beginForm(TOTAL_FORM)
        self.setFont(font, 9)
        self.setFillColor(colour)
        self.drawString(0, 0, str(self.getPageNumber() - 1))
        self.endForm()
        super().save()
