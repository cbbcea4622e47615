"""The reportlab pieces the PDF renderer is built from: flowables, the canvas, the document template."""

from __future__ import annotations

from briefpack.render import rlsafe  # noqa: F401  (first: fixes reportlab's configuration)

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen import canvas as rl_canvas  # noqa: E402
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table  # noqa: E402
from reportlab.platypus.flowables import _listWrapOn  # noqa: E402
from reportlab.platypus.frames import Frame  # noqa: E402
from reportlab.platypus.doctemplate import IndexingFlowable  # noqa: E402
from reportlab.platypus.paragraph import FragLine, Paragraph, _HSFrag  # noqa: E402
from reportlab.platypus.paraparser import ParaFrag  # noqa: E402
from reportlab.lib.abag import ABag  # noqa: E402
from reportlab.rl_config import _FUZZ  # noqa: E402

import re  # noqa: E402
from copy import deepcopy  # noqa: E402

from briefpack import memo  # noqa: E402
from briefpack.markup import Inline, Span  # noqa: E402
from briefpack.render import pdfwriter  # noqa: E402
from briefpack.render.tagging import Element, TaggedCanvas, artifact, marked, tag  # noqa: E402

INDENT = 15 * mm
"""Section content aligns with the section label, right of the number badge."""
BADGE = 9.5 * mm
TOTAL_FORM = "bp-total-pages"
"""The form XObject that holds the number of pages, drawn once it is known."""

CHUNK = 3000
"""Characters in one reportlab Paragraph at most (see Renderer.paras)."""


_WRAPPED = ("width", "_wrapWidths", "blPara", "height", "_width_max", "_splitLongWordCount", "_hyphenations", "frags")
"""What reportlab's Paragraph.wrap (and the breakLines it calls) sets on the paragraph."""
_wrap, _split, _draw = Paragraph.wrap, Paragraph.split, Paragraph.draw
_FRAGMENT_WORDS = (list, _HSFrag)
"""The fragment words of a paragraph broken into lines that WRAPPED copies (a word, a word followed by a space)."""


def _wrap_once(self: Paragraph, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
    """reportlab's Paragraph.wrap, whose lines are broken once for each width in a row, not on every call.

    A paragraph is wrapped again and again at the width it had (a heading kept with what follows, each pass of
    a document with a contents list, a tiles panel measured, then drawn): breaking its lines anew gave the
    same lines (the same fragments and style, the same width) at about a fifth of a PDF's CPU. What wrap set
    is kept and set again, until the paragraph is split or drawn (both may change its fragments); the height
    never depends on availHeight.
    """
    state = self.__dict__
    known = state.get("_bp_wrapped")
    if known is not None and known[0] == availWidth and known[1] is state.get("frags") \
            and known[2] is state.get("style"):
        state.update(known[3])
        return self.width, self.height
    parsed = state.pop("_bp_parsed", None)
    key = _wrap_key(self, parsed, availWidth) if parsed is not None and availWidth >= _FUZZ else None
    try:
        shared = WRAPPED.get(key) if key is not None else None
    except TypeError:  # a style value that cannot be a key
        key = shared = None
    if shared is not None:
        state.update(_lines_copied(shared))  # type: ignore[arg-type]
        size = self.width, self.height
    else:
        frags = state.get("frags")
        size = _wrap(self, availWidth, availHeight)
        if key is not None:
            made = {name: state[name] for name in _WRAPPED
                    if name in state and (name != "frags" or state[name] is not frags)}  # frags: if wrap made them
            copied = _lines_copied(made)
            if copied is not None:
                WRAPPED.put(key, copied)
    if availWidth >= _FUZZ and memo.enabled():
        state["_bp_wrapped"] = (availWidth, state.get("frags"), state.get("style"),
                                {name: state[name] for name in _WRAPPED if name in state})
    return size


def _split_afresh(self: Paragraph, availWidth: float, availHeight: float) -> list:  # noqa: N803
    self.__dict__.pop("_bp_parsed", None)
    try:
        return _split(self, availWidth, availHeight)
    finally:  # (it may wrap, then change fragments)
        self.__dict__.pop("_bp_wrapped", None)


def _draw_afresh(self: Paragraph) -> None:
    self.__dict__.pop("_bp_wrapped", None)
    self.__dict__.pop("_bp_parsed", None)
    _draw(self)


WRAPPED: memo.Memo[dict[str, object]] = memo.Memo(4096)
"""A freshly parsed paragraph's markup, style, class and width -> what reportlab's wrap set on it (copies).

The boards of a batch that share fonts and colours have most paragraphs in common: the same markup in the same
style at the same width breaks into the same lines. Breaking them was about a tenth of a PDF's CPU; with the key
made and the lines copied, about 3 % of the PDFs' instructions are saved (callgrind, 40 documents twice)."""


def _wrap_key(paragraph: Paragraph, parsed: tuple, width: float) -> tuple:
    """Everything reportlab's wrap and breakLines read of a freshly parsed *paragraph* (the parse key *parsed*
    says its markup and fragments): every attribute of its style but its name and parent, with their types
    (11 and 11.0 are equal keys), its class, encoding and own autoLeading, and the width."""
    values = paragraph.style.__dict__.copy()
    values.pop("name", None)
    values.pop("parent", None)
    return (parsed, type(paragraph), width, paragraph.encoding, paragraph.__dict__.get("autoLeading"),
            tuple(values.items()), tuple(map(type, values.values())))


def _lines_copied(wrapped: dict[str, object]) -> dict[str, object] | None:
    """A copy of what wrap set (see WRAPPED) that shares nothing a paragraph's splitting, drawing or wrapping
    again may change: its lines, their lists of words and each word's fragment (splitting adds a space to
    them), and the list of each fragment word it made (a width in it may be rescaled); the (fragment, text)
    pieces of a fragment word are only read (breakLines clones the fragment), so they are shared. None for a
    shape of reportlab's other than the ones copied here (a hyphenated or split word: not remembered)."""
    out = dict(wrapped)
    widths = wrapped["_wrapWidths"]
    para = wrapped["blPara"]
    if not isinstance(widths, list) or not isinstance(para, ABag):
        return None
    out["_wrapWidths"] = list(widths)
    lines = para.__dict__.get("lines")
    if not isinstance(lines, list):
        return None
    if para.__dict__.get("kind") == 0:
        if not all(type(line) is tuple and len(line) == 2 and type(line[1]) is list for line in lines):
            return None
        out["blPara"] = para.clone(lines=[(extra, list(words)) for extra, words in lines])
    else:
        if not all(type(line) is FragLine and type(line.words) is list for line in lines):
            return None
        if not all(type(word) is ParaFrag for line in lines for word in line.words):
            return None
        out["blPara"] = para.clone(lines=[line.clone(words=[word.clone() for word in line.words]) for line in lines])
    if "frags" in wrapped:
        fragment_words = wrapped["frags"]
        if not isinstance(fragment_words, list) or not all(type(word) in _FRAGMENT_WORDS for word in fragment_words):
            return None
        out["frags"] = [type(word)(word) for word in fragment_words]
    return out


PARSED: memo.Memo[tuple[str, list]] = memo.Memo(1024)
"""A paragraph's markup and what of its style the parser reads -> the text and fragments parsing made."""
_PARSED_FROM = ("fontName", "fontSize", "textColor", "bulletFontName", "bulletFontSize", "bulletColor",
                "textTransform", "underlineWidth", "underlineColor", "underlineOffset", "underlineGap",
                "strikeWidth", "strikeColor", "strikeOffset", "strikeGap", "linkUnderline")
"""Every attribute of a style reportlab's paragraph parser (paraparser.py, textTransformFrags) reads."""
_PLAIN_TAGS = frozenset(("para", "b", "i", "u", "a", "br", "font", "span", "strike", "super", "sub"))
"""Tags whose meaning is in the markup alone (a <seq/> counts on, an <img> or <index> is drawn: not these)."""
_TAG = re.compile(r"<\s*/?\s*([A-Za-z_]+)")
_setup = Paragraph._setup


def _setup_once(self: Paragraph, text: object, style: ParagraphStyle, bulletText: object, frags: object,  # noqa: N803
                cleaner: object) -> None:
    """reportlab's Paragraph._setup, whose parsing of the markup is done once per process for each markup and
    style: a batch's boards that share fonts and colours give most paragraphs the same markup and style.

    Each paragraph gets its own copies of the fragments (lines are broken by changing and copying them); what
    a fragment holds besides (its link and underline lists) is only read. Not remembered: a paragraph made of
    fragments or with a bullet, markup with any other tag than plain ones, or markup that changed its style.
    """
    key = _parse_key(text, style, self.caseSensitive, cleaner) if frags is None and bulletText is None else None
    known = PARSED.get(key) if key is not None else None
    if known is None:
        _setup(self, text, style, bulletText, frags, cleaner)
        if key is not None and self.style is style and self.bulletText is None:
            PARSED.put(key, (self.text, [f.clone() for f in self.frags]))
            self.__dict__["_bp_parsed"] = key  # its fragments as parsed: its lines may be shared (WRAPPED)
        return
    self.text, self.frags = known[0], [f.clone() for f in known[1]]
    self.style, self.bulletText, self.debug = style, None, 0
    self.__dict__["_bp_parsed"] = key


def _parse_key(text: object, style: ParagraphStyle, case: object, cleaner: object) -> tuple | None:
    """Everything a paragraph's parsing depends on, or None when it cannot be told by a key."""
    if not isinstance(text, str) or not _PLAIN_TAGS.issuperset(t.lower() for t in _TAG.findall(text)):
        return None
    values: list[object] = [text, case, cleaner]
    for name in _PARSED_FROM:
        value = getattr(style, name, None)
        kind = type(value)
        if isinstance(value, colors.Color):
            value = tuple(sorted(value.__dict__.items()))
        elif not isinstance(value, (str, int, float, type(None))):
            return None
        values += [kind, value]
    return tuple(values)


_ATOMIC = frozenset((int, float, str, bool, type(None)))


def _copy_frame(self: Frame, memo: dict[int, object]) -> Frame:
    """copy.deepcopy of a Frame, as deepcopy makes it (a new object of its class, with a deep copy of each
    attribute: numbers and strings are themselves), without deepcopy's general machinery for each of its 25
    attributes.

    reportlab deep-copies the frame being filled each time it measures a list of flowables (_listWrapOn: a
    paragraph kept with the next, a list, a table cell), about 20 times a PDF: 30-50 µs each, now a few.
    """
    new = self.__class__.__new__(self.__class__)
    memo[id(self)] = new
    new.__dict__.update({name: value if type(value) in _ATOMIC else deepcopy(value, memo)
                         for name, value in self.__dict__.items()})
    return new


Frame.__deepcopy__ = _copy_frame  # type: ignore[attr-defined]
Paragraph._setup = _setup_once  # type: ignore[method-assign]
Paragraph.wrap = _wrap_once  # type: ignore[method-assign]
Paragraph.split = _split_afresh  # type: ignore[method-assign]
Paragraph.draw = _draw_afresh  # type: ignore[method-assign]


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


def keep_headings_with_next(story: list[Flowable], least: float) -> list[Flowable]:
    """Never leave a heading alone at the foot of a page, nor a QR box away from its heading.

    A heading (or a heading and the headings right under it) goes with at least *least* points of what
    follows it; a link box goes on the same page as the heading before it, with everything between, when
    that fits a page.
    """
    out: list[Flowable] = []
    i = 0
    while i < len(story):
        box = next((k for k in range(i, len(story)) if getattr(story[k], "bp_keep_with_heading", False)), None)
        head = None if box is None else next((k for k in range(box, i - 1, -1) if _is_heading(story[k])), None)
        if box is None or head is None:
            out.extend(_heading_groups(story[i:box if box is not None else len(story)], least))
            if box is not None:
                out.append(story[box])
            i = len(story) if box is None else box + 1
            continue
        out.extend(_heading_groups(story[i:head], least))
        out.append(KeepSection(_heading_groups(story[head:box + 1], least)))
        i = box + 1
    return out


def break_before_heading(story: list[Flowable], index: int) -> list[Flowable]:
    """*story* with a new page started at its heading number *index* (from 0)."""
    headings = [i for i, f in enumerate(story) if _is_heading(f)]
    if index >= len(headings):
        return story
    at = headings[index]
    while at > 0 and isinstance(story[at - 1], CondPageBreak):
        at -= 1
    return [*story[:at], PageBreak(), *story[at:]]


def _is_heading(flowable: Flowable) -> bool:
    return isinstance(flowable, (Bookmarked, SectionHeading))


def _heading_groups(story: list[Flowable], least: float) -> list[Flowable]:
    """*story* with each run of headings grouped with the flowable after it (the spaces between kept)."""
    out: list[Flowable] = []
    i = 0
    while i < len(story):
        if not _is_heading(story[i]):
            out.append(story[i])
            i += 1
            continue
        group = [story[i]]
        j = i + 1
        while j < len(story) and (_is_heading(story[j]) or isinstance(story[j], Spacer)):
            if not isinstance(story[j], CondPageBreak):  # the group does their work
                group.append(story[j])
            j += 1
        if j < len(story):
            group.append(story[j])
            j += 1
        out.append(KeepWithNext(group, least) if len(group) > 1 else group[0])
        i = j
    return out


class RowsTable(Table):
    """A table with a header row that never leaves its last row alone at the top of a page.

    Where reportlab would split a table so that only its last row goes on (a total, under a header repeated
    for it on an otherwise empty page), the split comes one row sooner, so two rows go on together; unless
    that would leave fewer than two rows of the table's body before the split, when reportlab's split
    stands. No split becomes impossible, so no table is made too large to place."""

    def _getFirstPossibleSplitRowPosition(self, availHeight: float, ignoreSpans: int = 0) -> int:
        at = super()._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans)
        rows = len(self._rowHeights)
        if at == rows - 1 and at - 1 - self.repeatRows >= 2:
            return at - 1
        return at


class KeepWithNext(KeepTogether):
    """Headings and the flowable after them: where the headings go, at least the first lines of it go too."""

    def __init__(self, flowables: list[Flowable], least: float) -> None:
        super().__init__(flowables)
        self.least = least

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (avail_width, avail_height):
            self.wrap(avail_width, avail_height)
        *heads, last = self._content
        if self._H <= avail_height:
            return list(self._content)
        _, above = _listWrapOn(heads, avail_width, self.canv)
        # What the frame will take before the first part: the space above the headings (unless at the top of
        # the frame: counted anyway, to be safe), the headings, the space between.
        room = (avail_height - heads[0].getSpaceBefore() - above
                - max(heads[-1].getSpaceAfter(), last.getSpaceBefore()) - 1)
        if room >= self.least:
            last.wrapOn(self.canv, avail_width, room)
            parts = last.splitOn(self.canv, avail_width, room)
            if len(parts) > 1 and _fitting_height(parts, avail_width, room, self.canv) >= self.least:
                return [*heads, *parts]
        return super().split(avail_width, avail_height)  # all of it to the next page


def _fitting_height(parts: list[Flowable], width: float, room: float, canv: rl_canvas.Canvas) -> float:
    """How much of *parts* (a split flowable: a list splits into its items) fits in *room*, from the first."""
    height = 0.0
    for i, part in enumerate(parts):
        more = part.wrapOn(canv, width, room)[1] + (max(part.getSpaceBefore(), parts[i - 1].getSpaceAfter())
                                                    if i else 0)
        if height + more > room:
            break
        height += more
    return height


class KeepSection(KeepTogether):
    """A heading down to a box that belongs with it (a QR code): on one page, unless longer than a page."""

    def flat(self) -> list[Flowable]:
        return [f for group in self._content for f in (group._content if isinstance(group, KeepWithNext)
                                                       else [group])]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width, _ = super().wrap(avail_width, avail_height)
        self._H = _listWrapOn(self.flat(), avail_width, self.canv)[1]  # the groups' own heights, not 'split me'
        return width, 0xFFFFFF

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (avail_width, avail_height):
            self.wrap(avail_width, avail_height)
        if self._H <= avail_height:  # all of it here: the groups inside have nothing to keep
            return self.flat()
        frame = getattr(self, "_frame", None)
        if frame is not None and self._H > frame._height:  # it flows; reportlab places what comes first
            return [self.NullActionFlowable(), *self._content]
        return super().split(avail_width, avail_height)  # starts with a frame break


class ContentsList(IndexingFlowable):
    """The contents: each level-1 heading with its page number, tagged TOC > TOCI > Reference > Link.

    Made here rather than with reportlab's TableOfContents, which draws the page number before the entry's
    text (so a screen reader would meet them in that order).
    """

    def __init__(self, renderer, element: Element) -> None:  # noqa: ANN001 - the PDF Renderer
        super().__init__()
        self.r, self.element = renderer, element
        self._entries: list[tuple] = []
        self._last: list[tuple] = []
        self._rows: list[Flowable] = []

    def notify(self, kind: str, stuff: tuple) -> None:
        if kind == "TOCEntry":
            self._entries.append(stuff)

    def beforeBuild(self) -> None:  # noqa: N802 - reportlab's name
        self._last, self._entries = self._entries, []

    def isSatisfied(self) -> bool:  # noqa: N802 - reportlab's name
        return self._entries == self._last

    def rows(self) -> list[Flowable]:
        entries = self._last or [(0, "Contents", 0, None)]
        return [ContentsRow(self.r, Element("TOCI", self.element), title, str(page), key)
                for _, title, page, key in entries]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._rows = self.rows()
        height = 0.0
        for i, row in enumerate(self._rows):
            height += row.wrap(avail_width, avail_height)[1] + (row.getSpaceBefore() if i else 0)
            height += row.getSpaceAfter() if i < len(self._rows) - 1 else 0
        self.width, self.height = avail_width, height
        return avail_width, height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return self.rows()

    def drawOn(self, canv: rl_canvas.Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        top = y + self.height
        for i, row in enumerate(self._rows):
            if i:
                top -= row.getSpaceBefore()
            _, h = row.wrap(self.width, self.height)
            row.drawOn(canv, x, top - h)
            top -= h + row.getSpaceAfter()


class ContentsRow(Flowable):
    """One entry of the contents: its title, linked to the heading, dotted leaders, and the page number."""

    NUMBER_ROOM = 14 * mm

    def __init__(self, renderer, element: Element, title: str, page: str, key: str | None) -> None:  # noqa: ANN001
        super().__init__()
        self.r, self.page = renderer, page
        self.reference = Element("Reference", element)
        spans = (Span(title, href=f"#{key}"),) if key else (Span(title),)
        self.para = renderer.para(spans, "body", self.reference, spaceAfter=3)
        self.spaceAfter = 3

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        _, self.height = self.para.wrap(avail_width - self.NUMBER_ROOM, avail_height)
        return avail_width, self.height

    def draw(self) -> None:
        canv, r = self.canv, self.r
        self.para.drawOn(canv, 0, 0)
        face, size = r.fonts.face(), r.body_pt
        baseline = self.para.style.leading - size  # the last line's baseline, above the bottom
        last = self.para.getActualLineWidths0()[-1] if self.para.blPara.lines else 0
        number_width = canv.stringWidth(self.page, face, size)
        dot = canv.stringWidth(" .", face, size)
        dots = int((self.width - last - number_width - 6) / dot) if dot else 0
        canv.saveState()
        canv.setFont(face, size)
        canv.setFillColor(r.muted)
        if dots > 0:
            with artifact(canv):
                canv.drawRightString(self.width - number_width - 4, baseline, " ." * dots)
        canv.setFillColor(r.text)
        with marked(canv, self.reference):
            canv.drawRightString(self.width, baseline, self.page)
        canv.restoreState()


def space_after(canv: rl_canvas.Canvas, x: float, y: float) -> None:
    """Draw a space (nothing visible) so the text before it and the text after it read as two words."""
    canv.drawString(x, y, " ")


def nothing(canv: rl_canvas.Canvas, doc: BaseDocTemplate) -> None:
    """A page callback that draws nothing (a cover has no footer)."""


class DocTemplate(BaseDocTemplate):
    """Sends each heading to the table of contents, with its page and bookmark; lays out a contents' first pass
    without drawing it."""

    bp_heading_pages: list[int] | None = None
    bp_dry = False
    """A pass laid out only for what the contents learn from it (pages of headings): its drawing, which reportlab
    throws away, is not made (see LayoutFrame)."""

    def multiBuild(self, story: list[Flowable], maxPasses: int = 10, **kwargs: object) -> int:  # noqa: N802, N803
        """reportlab's multiBuild after a first pass laid out without drawing: reportlab draws every pass and
        keeps only the last, and a first pass is the last only when it satisfies the contents (no headings).
        Then the pass is made again, drawn."""
        self._indexingFlowables = indexing = [thing for thing in story if thing.isIndexing()]  # notify()'s
        edits: list[tuple] = []
        self._doSave, self._multiBuildEdits, self.bp_dry = 0, edits.append, True
        try:
            for flowable in indexing:
                flowable.beforeBuild()
            self.build(story[:], **kwargs)  # type: ignore[arg-type]
            for flowable in indexing:
                flowable.afterBuild()
        finally:
            self.bp_dry = False
            del self._multiBuildEdits
        for edit in edits:
            edit[0](*edit[1:])
        return super().multiBuild(story, maxPasses, **kwargs) + 1

    def beforeDocument(self) -> None:  # noqa: N802 - reportlab's name
        """Each pass notes its headings' pages afresh: only the last pass's are the document's."""
        if self.bp_heading_pages is not None:
            self.bp_heading_pages.clear()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's name
        if self.bp_heading_pages is not None and _is_heading(flowable):
            self.bp_heading_pages.append(self.page)
        if isinstance(flowable, Bookmarked) and flowable.level == 0:
            self.notify("TOCEntry", (0, flowable.title, self.page, flowable.key))


class LayoutFrame(Frame):
    """A frame that, in a DocTemplate's dry pass, places each flowable as it would be drawn but does not draw it
    (the pass's canvas is never saved)."""

    def _add(self, flowable: Flowable, canv: rl_canvas.Canvas, trySplit: int = 0) -> int:  # noqa: N803
        if not getattr(getattr(canv, "_doctemplate", None), "bp_dry", False):
            return super()._add(flowable, canv, trySplit)
        own = flowable.__dict__.get("drawOn", _NONE)
        flowable.drawOn = _not_drawn  # type: ignore[method-assign]
        try:
            return super()._add(flowable, canv, trySplit)
        finally:
            if own is _NONE:
                del flowable.drawOn
            else:
                flowable.drawOn = own  # type: ignore[method-assign]

    add = _add


_NONE = object()


def _not_drawn(canv: rl_canvas.Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N803
    """A dry pass's drawOn."""


class Rule(Flowable):
    """A horizontal line across the frame."""

    def __init__(self, colour: colors.Color, thickness: float) -> None:
        super().__init__()
        self.colour, self.thickness = colour, thickness

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.thickness

    def draw(self) -> None:
        with artifact(self.canv):
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

    def __init__(self, number: str, label: str, renderer, element: Element) -> None:  # noqa: ANN001 - the Renderer
        super().__init__()
        self.number, self.label, self.r, self.element = number, label, renderer, element
        # One marked-content sequence for the number and the label: "01 Why it matters".
        self.para = renderer.plain(label, "h1", element, spaceBefore=0, spaceAfter=0)
        tag(self.para, None)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        _, h = self.para.wrap(avail_width - INDENT * self.r.scale, avail_height)
        self.height = max(BADGE * self.r.scale, h)
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return 3 * mm * self.r.gap

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab's name
        return 2.2 * mm * self.r.gap

    def draw(self) -> None:
        canv = self.canv
        key = f"section-{self.number}"
        canv.bookmarkHorizontal(key, 0, self.height)
        canv.addOutlineEntry(f"{self.number} {self.label}", key, 0, closed=False)
        top = self.height
        s = self.r.scale
        badge, indent, baseline = BADGE * s, INDENT * s, top - BADGE * s / 2 - 4.7 * s
        canv.setFillColor(self.r.primary)
        with artifact(canv):
            canv.roundRect(0, top - badge, badge, badge, 1.8 * mm * s, stroke=0, fill=1)
        canv.setFillColor(self.r.on_primary)
        canv.setFont(self.r.fonts.face(bold=True), 13.5 * s)
        with marked(canv, self.element):
            canv.drawCentredString(badge / 2, baseline, self.number)
            space_after(canv, badge / 2 + canv.stringWidth(self.number) / 2, baseline)
            _, h = self.para.wrap(self.width - indent, self.height)
            self.para.drawOn(canv, indent, top - badge / 2 - h / 2 + (0 if h > badge else 1))


class TotalPagesCanvas(TaggedCanvas):
    """A canvas that fills in the 'of M' of every page's footer once the number of pages is known.

    Each footer shows a form XObject that is drawn only at the end, so one pass is enough and links
    and bookmarks keep pointing at the right pages.
    """

    def __init__(self, *args, footer_font: str, footer_colour: colors.Color, footer_size: float = 9,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer_font, footer_colour, footer_size

    def save(self) -> None:
        self.draw_total()
        super().save()

    def draw_total(self) -> None:
        """The number of pages, in the form every footer shows."""
        font, colour, size = self._footer
        self.beginForm(TOTAL_FORM)
        self.setFont(font, size)
        self.setFillColor(colour)
        self.drawString(0, 0, str(self.getPageNumber() - 1))
        self.endForm()


class ProofCanvas(TotalPagesCanvas):
    """The canvas of a layout whose verdict is wanted, not its file (briefpack check): every page is laid out
    and drawn as a build draws it, but what only makes the file's bytes is left out.

    Pictures are not encoded (a brand's images were decoded whole, and refused if damaged, when it was
    loaded; where one is drawn is the layout's, not the picture's), and saving writes no file: it only makes
    each font's subsets, as a build's saving does, since that is where a damaged glyph shows (not compressed,
    and without the PDF objects around them).
    """

    bp_proof = True

    def drawImage(self, image: object, x: float, y: float, width: float | None = None,  # noqa: N802 - reportlab's
                  height: float | None = None, *args: object, **kwargs: object) -> tuple[float | None, float | None]:
        return width, height

    def save(self) -> None:
        self.draw_total()
        if len(self._code):
            self.showPage()
        document = self._doc
        for font in document.delayedFonts:
            if not isinstance(font, TTFont):
                font.addObjects(document)
                continue
            state = font.state.pop(document, None)  # what addObjects would embed; it forgets the document too
            for subset in state.subsets if state is not None else ():
                pdfwriter.prove_subset(font.face, subset)
