"""Tagged PDF (PDF/UA-1) from reportlab: structure elements, marked content, and the tree written at save time.

Open-source reportlab writes no structure tree, so briefpack makes one. The renderer gives every flowable that
shows content a structure *element*; when the flowable draws itself it wraps its own drawing in
``/<role> <</MCID n>> BDC … EMC``, and everything else that is painted (page header and footer, rules, panel
backgrounds, badges, table backgrounds and grid lines, a table's header row repeated on a new page) is wrapped
in ``/Artifact … EMC``. When the canvas is saved, the StructTreeRoot, ParentTree, each page's ``/StructParents``
and ``/Tabs /S``, ``/MarkInfo``, and XMP metadata (``dc:title``, ``pdfuaid:part 1``) are added to reportlab's own
``pdfdoc`` objects.

How a flowable gets tagged
--------------------------
1. Make its element when the story is built, under its parent: ``Element("P", parent)``;
   ``Element("Figure", parent, alt="…")``; ``Element("TH", row, scope="Column")``. The root is
   ``Element.document()``. Elements are made up front (not when drawn) because reportlab takes lists and
   tables apart when they split across pages: a list item's paragraph still knows its LBody, LI and L.
2. ``tag(flowable, element)`` gives any reportlab flowable (Paragraph, Image, Drawing, …) a tagged drawOn.
   Paragraphs split across pages stay one element with one marked-content sequence on each page; a flowable
   drawn a second time (a table's header row repeated on the next page) is drawn as an artifact. The element
   joins the tree when its flowable is first drawn, so the tree follows the order things are drawn in.
3. Inside your own ``draw()``: ``with marked(canv, element):`` around content, ``with artifact(canv):`` around
   decoration (``artifact(canv, "Header")`` or ``"Footer"`` for running headers and footers, which adds
   ``/Type /Pagination``). Open and close them at the same ``saveState`` depth: never across ``q``/``Q``.
4. Tables: pass ``renderCB=table_furniture`` to reportlab's Table so its backgrounds and lines are artifacts;
   tag the cells' flowables with their TH/TD elements (a layout table's cells with their own elements).
5. Lists: use ``TaggedList`` (a ListFlowable) and give the first flowable of each item ``bp_label`` (its Lbl
   element): the bullet or number is drawn as that label.
6. Links in a tagged Paragraph need nothing: the text of each ``<a>`` becomes a Link element inside the
   paragraph's element, which also holds the annotation (OBJR, ``/StructParent``, ``/Contents``).
7. Form fields (for fillable PDFs): ``form_field(canv, element)`` after the widget is added attaches the newest
   annotation of the page to a ``Form`` element, like links.

Everything works only on a canvas made by ``TaggedCanvas`` with ``tagged=True``; on any other canvas
(``tagged=False``, reportlab's measuring canvases) the helpers draw exactly the same and mark nothing, which
is how the tests prove that tagging changes no pixel.

reportlab internals relied on (tested with reportlab 4.4 and 5.1; the range is pinned in pyproject.toml):
``Canvas._code``, ``Canvas._doc`` (``Pages.pages``, ``Catalog``, ``Reference``, ``refAnnotation``),
``Canvas._addAnnotation`` and ``_annotationCount``, the text object's ``_linkRecord`` hook that paragraphs call
where a link starts and ends, ``PDFTextObject._code`` and ``_textOut``, ``Paragraph.blPara``,
``PDFPage.__NoDefault__``, ``ListFlowable._makeBullet``, ``LIIndenter._flowable``,
``LinkAnnotation.permitted``/``otherkw``, and ``Paragraph.split`` building its pieces with ``self.__class__``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from briefpack.markup import link_purpose
from briefpack.render.xmltext import escape

from briefpack.render import rlsafe  # noqa: F401  (first: fixes reportlab's configuration)

from reportlab.pdfbase import pdfdoc  # noqa: E402
from reportlab.pdfgen import canvas as rl_canvas  # noqa: E402
from reportlab.pdfgen.textobject import PDFTextObject  # noqa: E402
from reportlab.platypus import Flowable, ListFlowable, Paragraph  # noqa: E402
from reportlab.platypus.flowables import BulletDrawer  # noqa: E402


class Element:
    """A structure element: its role (P, H1, Figure, TD …), parent, and attributes."""

    __slots__ = ("role", "parent", "alt", "scope", "actual", "contents")

    def __init__(self, role: str, parent: Element | None, *, alt: str = "", scope: str = "",
                 actual: str = "", contents: str = "") -> None:
        self.role, self.parent = role, parent
        self.alt, self.scope, self.actual = alt, scope, actual
        self.contents = contents
        """For a Link or Form element: the annotation's /Contents (what the link does, said in words)."""

    @classmethod
    def document(cls) -> Element:
        return cls("Document", None)

    def __repr__(self) -> str:
        return f"<{self.role}>"


# -- marked content on a canvas -------------------------------------------------------------------------------
class Tagger:
    """What one canvas has marked: the elements' kids, page by page MCIDs, annotations. One per build pass."""

    def __init__(self, canv: TaggedCanvas, root: Element, link_words: dict[str, str] | None = None) -> None:
        self.canv, self.root = canv, root
        self.link_words = link_words or {}
        self.kids: dict[int, list] = {id(root): []}
        """id(element) -> its kids in order: Elements, ('mcr', page, mcid), ('objr', annotation name, page)."""
        self.elements: dict[int, Element] = {id(root): root}
        self.marks: list[list[Element]] = []
        """Page index -> the element of each MCID on that page."""
        self.drawn: dict[int, object] = {}
        """id(flowable) -> the flowable, for each flowable drawn. Holding the flowable keeps its id from being
        reused: a split paragraph's piece drawn and freed must not make a later piece look like a repeat."""
        self.open: list[str] = []
        """The open sequences on the page: 'tag' or 'art'."""
        self.para: _ParaState | None = None

    @property
    def page(self) -> int:
        return self.canv.getPageNumber() - 1

    def attach(self, element: Element) -> None:
        if id(element) in self.kids:
            return
        parent = element.parent or self.root
        self.attach(parent)
        self.kids[id(element)] = []
        self.elements[id(element)] = element
        self.kids[id(parent)].append(element)

    def new_mcid(self, element: Element) -> int:
        self.attach(element)
        while len(self.marks) <= self.page:
            self.marks.append([])
        marks = self.marks[self.page]
        marks.append(element)
        self.kids[id(element)].append(("mcr", self.page, len(marks) - 1))
        return len(marks) - 1

    def forget_mcid(self, element: Element, mcid: int) -> None:
        """Take back the newest MCID when its sequence turned out empty."""
        marks = self.marks[self.page]
        if mcid == len(marks) - 1 and marks[-1] is element:
            marks.pop()
            kids = self.kids[id(element)]
            kids.remove(("mcr", self.page, mcid))

    def bdc(self, element: Element) -> str:
        return f"/{element.role} <</MCID {self.new_mcid(element)}>> BDC"

    def begin(self, element: Element) -> None:
        if "art" in self.open:
            raise AssertionError(f"{element} inside an artifact")
        self.open.append("tag")
        self.canv._code.append(self.bdc(element))

    def begin_artifact(self, kind: str = "") -> None:
        if "tag" in self.open or self.para is not None:
            raise AssertionError("an artifact inside tagged content")
        self.open.append("art")
        props = f" <</Type /Pagination /Subtype /{kind}>> BDC" if kind else " BMC"
        self.canv._code.append("/Artifact" + props)

    def end(self) -> None:
        self.open.pop()
        self.canv._code.append("EMC")

    def add_annotation(self, name: str, annotation: object) -> None:
        """Give an annotation just added to the page its Link (or Form) element."""
        element = self._owner(annotation)
        if element is None:
            return
        self.attach(element)
        self.kids[id(element)].append(("objr", name, self.page))
        text = element.contents or element.alt
        if isinstance(annotation, pdfdoc.PDFDictionary):
            annotation.dict["Contents"] = pdfdoc.PDFString(text)
        elif isinstance(annotation, pdfdoc.LinkAnnotation):
            annotation.Contents = text

    def _owner(self, annotation: object) -> Element | None:
        if self.para is None:
            return self.pending_form
        href = _annotation_target(annotation)
        for element, target in self.para.links:
            if target == href:
                return element
        return self.para.links[-1][0] if self.para.links else None

    pending_form: Element | None = None


class _ParaState:
    """A paragraph being drawn: its element, its text object, and the sequence open inside that object."""

    def link(self, key: tuple) -> Element:
        """The Link element of reportlab's link *key* (number, address) in this paragraph."""
        if key not in self.link_elements:
            self.link_elements[key] = Element("Link", self.element, contents=link_purpose(key[1], self.link_words))
            self.links.append((self.link_elements[key], key[1]))
        return self.link_elements[key]

    def __init__(self, element: Element, text: str, continues: bool, link_words: dict[str, str]) -> None:
        self.element = element
        self.link_words = link_words
        self.current = element
        self.tx: PDFTextObject | None = None
        self.mcid: int | None = None
        self.text = text
        """The paragraph's plain text, to tell a line broken at a space from a word broken in two."""
        self.link_elements: dict[object, Element] = {}
        self.links: list[tuple[Element, str]] = []
        """The paragraph's links (element, address), waiting for their annotations."""
        """reportlab's key of each link of the paragraph -> its Link element."""
        self.continues = continues
        """This is a piece of a paragraph split across pages, not its last."""


def _annotation_target(annotation: object) -> str:
    if isinstance(annotation, pdfdoc.PDFDictionary):
        action = annotation.dict.get("A")
        if isinstance(action, pdfdoc.PDFDictionary):
            uri = action.dict.get("URI")
            return getattr(uri, "s", str(uri))
    destination = getattr(annotation, "Destination", None)
    return "#" + str(destination) if destination is not None else ""


def tagger_of(canv: object) -> Tagger | None:
    return getattr(canv, "bp_tagger", None)


@contextlib.contextmanager
def marked(canv: rl_canvas.Canvas, element: Element | None) -> Iterator[None]:
    """Mark what is drawn inside the block as content of *element* (nothing if the canvas is not tagged)."""
    tagger = tagger_of(canv)
    if tagger is None or element is None:
        yield
        return
    tagger.begin(element)
    try:
        yield
    finally:
        tagger.end()


@contextlib.contextmanager
def artifact(canv: rl_canvas.Canvas, kind: str = "") -> Iterator[None]:
    """Mark what is drawn inside the block as an artifact; *kind* 'Header' or 'Footer' for running ones."""
    tagger = tagger_of(canv)
    if tagger is None:
        yield
        return
    tagger.begin_artifact(kind)
    try:
        yield
    finally:
        tagger.end()


def artifact_page(callback):  # noqa: ANN001, ANN201 - a reportlab page callback
    """A page callback whose whole drawing is an artifact (a background, a band of colour)."""
    def page(canv: rl_canvas.Canvas, doc: object) -> None:
        with artifact(canv):
            callback(canv, doc)
    return page


def table_furniture(table: object, event: str, *args: object) -> None:
    """A reportlab Table renderCB: the table's backgrounds and lines are artifacts."""
    tagger = tagger_of(getattr(table, "canv", None))
    if tagger is None:
        return
    if event in ("startBG", "startLines"):
        tagger.begin_artifact()
    elif event in ("endBG", "endLines"):
        tagger.end()


def form_field(canv: rl_canvas.Canvas, element: Element) -> contextlib.AbstractContextManager:
    """Inside the block, annotations added (AcroForm widgets) belong to *element* (a 'Form' element)."""
    @contextlib.contextmanager
    def block() -> Iterator[None]:
        tagger = tagger_of(canv)
        if tagger is None:
            yield
            return
        tagger.pending_form = element
        try:
            yield
        finally:
            tagger.pending_form = None
    return block()


# -- flowables ---------------------------------------------------------------------------------------------
_BP_ATTRS = ("bp_tag", "bp_label")


class TagMixin:
    """drawOn inside the flowable's element; split pieces keep the element (see the module docstring)."""

    bp_tag: Element | None = None
    bp_label: Element | None = None

    def split(self, aW: float, aH: float) -> list:  # noqa: N803 - reportlab's names
        pieces = super().split(aW, aH)  # type: ignore[misc]
        for i, piece in enumerate(pieces):
            if piece is not self and isinstance(piece, TagMixin):
                for name in _BP_ATTRS:
                    if name in self.__dict__:
                        piece.__dict__[name] = self.__dict__[name]
                piece.__dict__["bp_continues"] = i < len(pieces) - 1 or self.__dict__.get("bp_continues", False)
                if isinstance(piece, Paragraph):
                    piece.__dict__["bp_text"] = self.getPlainText()
        return pieces

    def getPlainText(self, identify: object = None) -> str:  # noqa: N802 - reportlab's name
        """A piece of a split paragraph answers with the whole paragraph's text: reportlab's pieces have none,
        and the tagged text object finds each of the piece's lines in it, to tell a line broken at a space
        (a space goes into the structure's text) from a word broken in two."""
        text = self.__dict__.get("bp_text")
        if text is not None:
            return text
        parent = getattr(super(), "getPlainText", None)
        return parent(identify) if parent is not None else ""

    def drawOn(self, canv: rl_canvas.Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        draw = super().drawOn  # type: ignore[misc]
        tagger = tagger_of(canv)
        if tagger is None or self.bp_tag is None:
            return draw(canv, x, y, _sW)
        if tagger.drawn.get(id(self)) is self:  # the same flowable again: a repeated table header row
            with artifact(canv):
                return draw(canv, x, y, _sW)
        tagger.drawn[id(self)] = self
        if isinstance(self, Paragraph):
            tagger.para = _ParaState(self.bp_tag, self.getPlainText(), self.__dict__.get("bp_continues", False),
                                     tagger.link_words)
            whole = getattr(getattr(self, "blPara", None), "link", None)  # one style: all or nothing a link
            if whole and getattr(self.blPara, "kind", 1) == 0:
                tagger.para.current = tagger.para.link(whole[0])
            try:
                return draw(canv, x, y, _sW)
            finally:
                tagger.para = None
        with marked(canv, self.bp_tag):
            return draw(canv, x, y, _sW)


_CLASSES: dict[type, type] = {}


def tag(flowable: Flowable, element: Element | None, label: Element | None = None) -> Flowable:
    """Make *flowable* draw as content of *element* (and, if given, its list bullet as *label*)."""
    cls = type(flowable)
    if not issubclass(cls, TagMixin):
        if cls not in _CLASSES:
            _CLASSES[cls] = type(f"Tagged{cls.__name__}", (TagMixin, cls), {})
        object.__setattr__(flowable, "__class__", _CLASSES[cls])  # Drawing's own __setattr__ would not do it
    # Drawing checks attribute names; the instance dictionary takes ours.
    flowable.__dict__["bp_tag"] = element
    if label is not None:
        flowable.__dict__["bp_label"] = label
    return flowable


class _TaggedBullet(BulletDrawer):
    def drawOn(self, indenter, canv, x, y, _sW=0):  # noqa: ANN001, N802, N803 - reportlab's signature
        label = getattr(getattr(indenter, "_flowable", None), "bp_label", None)
        if self.value and label is not None:
            with marked(canv, label):
                return super().drawOn(indenter, canv, x, y, _sW)
        return super().drawOn(indenter, canv, x, y, _sW)


class TaggedList(ListFlowable):
    """A ListFlowable whose bullets and numbers are drawn as each item's Lbl element."""

    def _makeBullet(self, value, params=None):  # noqa: ANN001, ANN202, N802 - reportlab's names
        bullet = super()._makeBullet(value, params)
        object.__setattr__(bullet, "__class__", _TaggedBullet)
        return bullet


# -- the canvas and the writer ------------------------------------------------------------------------------
class TaggedCanvas(rl_canvas.Canvas):
    """A canvas that marks content for the structure tree of *root* and writes the tree when saved."""

    def __init__(self, *args, tag_root: Element | None = None, metadata: dict[str, str] | None = None,
                 link_words: dict[str, str] | None = None, **kwargs) -> None:
        """*metadata*: title, author, subject, keywords and lang, for the XMP metadata; *link_words*: what a
        link does, in the board's words (see markup.link_purpose)."""
        super().__init__(*args, **kwargs)
        self.bp_tagger = Tagger(self, tag_root, link_words) if tag_root is not None else None
        self._bp_meta = {k: "" for k in ("title", "author", "subject", "keywords", "lang")} | (metadata or {})

    # Paragraph text: the sequence opens inside the text object (BT … ET must nest with BDC … EMC).
    def beginText(self, x: float = 0, y: float = 0, direction: object = None):  # noqa: ANN201, N802
        tx = super().beginText(x, y, direction)
        tagger = self.bp_tagger
        if tagger is not None and tagger.para is not None and tagger.para.tx is None:
            tagger.para.tx = tx
            tx.__class__ = _SpacedText
            tx.bp_text, tx.bp_continues = tagger.para.text, tagger.para.continues
            self._bp_open_in(tx, tagger.para.current)
        return tx

    def drawText(self, aTextObject) -> None:  # noqa: ANN001, N802, N803
        tagger = self.bp_tagger
        if tagger is not None and tagger.para is not None and tagger.para.tx is aTextObject:
            self._bp_close_in(aTextObject)
            tagger.para.tx = None
        super().drawText(aTextObject)

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        tagger = self.bp_tagger
        if tagger is not None and tagger.para is not None:  # a link's underline, drawn outside the text
            self._code.append("/Artifact BMC")
            super().line(x1, y1, x2, y2)
            self._code.append("EMC")
            return
        super().line(x1, y1, x2, y2)

    def _bp_open_in(self, tx, element: Element, at: int | None = None) -> None:  # noqa: ANN001
        """Open *element*'s sequence in text object *tx*, at index *at* of its code (default: the end)."""
        tagger = self.bp_tagger
        assert tagger is not None and tagger.para is not None
        code = tx._code
        at = len(code) if at is None else at
        mcid = tagger.new_mcid(element)
        tagger.para.current, tagger.para.mcid = element, mcid
        code.insert(at, f"/{element.role} <</MCID {mcid}>> BDC")
        self._bp_mark = at + 1

    def _bp_close_in(self, tx, at: int | None = None) -> int:  # noqa: ANN001
        """Close the open sequence in *tx* at index *at* (default: the end); return where the next may open."""
        tagger = self.bp_tagger
        assert tagger is not None and tagger.para is not None and tagger.para.mcid is not None
        code = tx._code
        at = len(code) if at is None else at
        if not any(_SHOWS_TEXT.search(op) for op in code[self._bp_mark:at]):  # nothing shown: take it back
            del code[self._bp_mark - 1]
            tagger.forget_mcid(tagger.para.current, tagger.para.mcid)
            at -= 1
        else:
            code.insert(at, "EMC")
            at += 1
        tagger.para.mcid = None
        return at

    def bp_link(self, tx: PDFTextObject, key: tuple, kind: str) -> None:
        """A link of the paragraph starts (its first text just drawn) or ends: switch sequences."""
        tagger, drawn = self.bp_tagger, len(tx._code)
        if tagger is None or tagger.para is None or tagger.para.tx is not tx or tagger.para.mcid is None:
            return
        para = tagger.para
        if kind == "start" and para.current is para.element:  # before the link's first text, just drawn
            self._bp_open_in(tx, para.link(key), self._bp_close_in(tx, drawn - 1))
        elif kind == "end" and para.current is not para.element:
            self._bp_open_in(tx, para.element, self._bp_close_in(tx))

    def _addAnnotation(self, annotation, name=None, addtopage=1):  # noqa: ANN001, ANN202, N802
        super()._addAnnotation(annotation, name, addtopage)
        if self.bp_tagger is not None and addtopage:
            self.bp_tagger.add_annotation(name or f"NUMBER{self._annotationCount}", annotation)

    def save(self) -> None:
        if self.bp_tagger is not None:
            if len(self._code):
                self.showPage()
            write_structure(self, self.bp_tagger, **self._bp_meta)
        super().save()


_SHOWS_TEXT = re.compile(r"(\((?!\) )|<[0-9A-Fa-f]).*T[jJ]")
"""A text-showing operator with a non-empty string."""


class _SpacedText(PDFTextObject):
    """A paragraph's text object that keeps the space at each soft line break.

    reportlab drops it, so the structure's text would read "Everyparagraph"; a space glyph at the end of a
    line draws nothing, so the page looks the same.
    """

    bp_text = ""
    bp_continues = False
    bp_at = 0
    """How far into bp_text the text drawn so far reaches."""

    def _linkRecord(self, key: tuple, kind: str) -> None:  # noqa: N802 - reportlab's hook
        self._canvas.bp_link(self, key, kind)

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N802, N803 - reportlab's names
        if text:
            found = self.bp_text.find(text, self.bp_at)
            if found >= 0:
                self.bp_at = found + len(text)
        if TStar and not text.endswith(" "):
            rest = self.bp_text[self.bp_at:]
            if rest[:1].isspace() or (not rest and self.bp_continues):
                text += " "
        super()._textOut(text, TStar)


def write_structure(canv: rl_canvas.Canvas, tagger: Tagger, *, title: str, author: str, subject: str,
                    keywords: str, lang: str) -> None:
    """Add the structure tree, ParentTree, page entries, MarkInfo and XMP metadata to the canvas's document."""
    doc = canv._doc
    pages = list(doc.Pages.pages)
    page_refs = [doc.Reference(page) for page in pages]
    refs: dict[int, pdfdoc.PDFObjectReference] = {}
    dicts: dict[int, pdfdoc.PDFDictionary] = {}

    def register(element: Element) -> None:
        d = pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("StructElem")})
        refs[id(element)] = doc.Reference(d)
        dicts[id(element)] = d
        for kid in tagger.kids[id(element)]:
            if isinstance(kid, Element):
                register(kid)

    root = tagger.root
    register(root)
    tree = pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("StructTreeRoot")})
    tree_ref = doc.Reference(tree)
    annots: list[tuple[str, Element]] = []
    for key, d in dicts.items():
        element = tagger.elements[key]
        d["S"] = pdfdoc.PDFName(element.role)
        d["P"] = refs[id(element.parent)] if element.parent is not None else tree_ref
        kids = tagger.kids[key]
        first_page = next((k[1] for k in kids if isinstance(k, tuple) and k[0] == "mcr"), None)
        if first_page is not None:
            d["Pg"] = page_refs[first_page]
        out: list = []
        for kid in kids:
            if isinstance(kid, Element):
                out.append(refs[id(kid)])
            elif kid[0] == "mcr":
                _, page, mcid = kid
                out.append(mcid if page == first_page else pdfdoc.PDFDictionary(
                    {"Type": pdfdoc.PDFName("MCR"), "Pg": page_refs[page], "MCID": mcid}))
            else:
                _, name, page = kid
                annots.append((name, element))
                out.append(pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("OBJR"), "Pg": page_refs[page],
                                                 "Obj": doc.refAnnotation(name)}))
        d["K"] = out[0] if len(out) == 1 else pdfdoc.PDFArray(out)
        if element.alt:
            d["Alt"] = pdfdoc.PDFString(element.alt)
        if element.actual:
            d["ActualText"] = pdfdoc.PDFString(element.actual)
        if element.scope:
            d["A"] = pdfdoc.PDFDictionary({"O": pdfdoc.PDFName("Table"), "Scope": pdfdoc.PDFName(element.scope)})
    nums: list = []
    for index, page in enumerate(pages):
        marks = tagger.marks[index] if index < len(tagger.marks) else []
        nums += [index, pdfdoc.PDFArray([refs[id(e)] for e in marks])]
        page.__NoDefault__ = [*type(page).__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = index
        page.Tabs = pdfdoc.PDFName("S")
    for offset, (name, element) in enumerate(annots):
        key = len(pages) + offset
        annotation = doc.idToObject[doc.annotationName(name)]
        if isinstance(annotation, pdfdoc.PDFDictionary):
            annotation.dict["StructParent"] = key
        else:
            annotation.permitted = (*annotation.permitted, "StructParent")
            annotation.otherkw["StructParent"] = key
        nums += [key, refs[id(element)]]
    tree["K"] = pdfdoc.PDFArray([refs[id(root)]])
    tree["ParentTree"] = doc.Reference(pdfdoc.PDFDictionary({"Nums": pdfdoc.PDFArray(nums)}))
    tree["ParentTreeNextKey"] = len(pages) + len(annots)
    catalog = doc.Catalog
    catalog.StructTreeRoot = tree_ref
    catalog.MarkInfo = pdfdoc.PDFDictionary({"Marked": "true"})
    metadata = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"),
                                                      "Subtype": pdfdoc.PDFName("XML")}),
                                xmp(title=title, author=author, subject=subject, keywords=keywords, lang=lang),
                                filters=[])
    catalog.Metadata = doc.Reference(metadata)


def xmp(*, title: str, author: str, subject: str, keywords: str, lang: str) -> bytes:
    """XMP metadata saying what the Info dictionary says, and that the file claims PDF/UA-1."""
    language = f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>" if lang else ""
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(subject)}</rdf:li></rdf:Alt></dc:description>
{language}
<pdf:Keywords>{escape(keywords)}</pdf:Keywords>
<pdf:Producer>briefpack</pdf:Producer>
<xmp:CreatorTool>briefpack</xmp:CreatorTool>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return text.encode("utf-8")
