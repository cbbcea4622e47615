"""The few Word XML workarounds python-docx has no API for, kept together and tested by reopening files."""

from __future__ import annotations

import io
import re
import struct
import zlib
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, RGBColor

from briefpack.markup import link_purpose
from briefpack.memo import Memo
from docx.text.paragraph import Paragraph



def _run_properties(bold: bool, italic: bool, colour: str | None, underline: bool) -> BaseOxmlElement:
    rpr = OxmlElement("w:rPr")
    if bold:
        rpr.append(OxmlElement("w:b"))
    if italic:
        rpr.append(OxmlElement("w:i"))
    if colour:
        c = OxmlElement("w:color")
        c.set(qn("w:val"), colour)
        rpr.append(c)
    if underline:
        u = OxmlElement("w:u")
        u.set(qn("w:val"), "single")
        rpr.append(u)
    return rpr


def _text(text: str) -> BaseOxmlElement:
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    return t


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_BREAKS = re.compile(r"([\t\r\n])")


def new_paragraph(body, section, style_id: str | None):  # noqa: ANN001, ANN201 - python-docx's w:body, w:p
    """A paragraph in the style *style_id* (none: Normal) at the end of *body*, before its section properties
    *section* (`body.find("w:sectPr")`, found once by the caller; None if it has none): the XML python-docx's
    add_paragraph and `paragraph.style = ...` make, without looking each child's place up in the schema,
    nor searching the whole body for its section properties each time."""
    from lxml.etree import SubElement

    p = body.makeelement(f"{_W}p")
    if section is None:
        body.append(p)
    else:
        section.addprevious(p)
    if style_id is not None:
        SubElement(SubElement(p, f"{_W}pPr"), f"{_W}pStyle").set(f"{_W}val", style_id)
    return p


def add_run(p, text: str, *, bold: bool | None = False, italic: bool | None = False):  # noqa: ANN001, ANN201
    """Append a run of *text* to the w:p *p*: the XML python-docx's `paragraph.add_run(text)` makes (a tab
    becomes w:tab, a line end w:br), with, when *bold* or *italic* is None or True, the run properties
    `run.bold = bold` then `run.italic = italic` give (an empty w:rPr when both are None)."""
    from lxml.etree import SubElement

    r = SubElement(p, f"{_W}r")
    if bold is not False or italic is not False:
        properties = SubElement(r, f"{_W}rPr")
        if bold:
            SubElement(properties, f"{_W}b")
        if italic:
            SubElement(properties, f"{_W}i")
    for piece in _BREAKS.split(text):
        if piece == "\t":
            SubElement(r, f"{_W}tab")
        elif piece in ("\r", "\n"):
            SubElement(r, f"{_W}br")
        elif piece:
            t = SubElement(r, f"{_W}t")
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(_XML_SPACE, "preserve")
    return r


def add_hyperlink(paragraph: Paragraph, url: str, text: str, *, bold: bool = False, italic: bool = False,
                  colour: RGBColor | str | None = None, words: dict[str, str] | None = None) -> None:
    """Append a clickable link to *url* showing *text*, with a screen tip saying where it goes (in *words*,
    see markup.link_purpose)."""
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    link.set(qn("w:tooltip"), link_purpose(url, words))  # the screen tip says where it goes, as the PDF's does
    run = OxmlElement("w:r")
    run.append(_run_properties(bold, italic, str(colour) if colour else None, underline=True))
    run.append(_text(text))
    link.append(run)
    paragraph._p.append(link)


def add_field(p, instruction: str, placeholder: str = "1") -> None:  # noqa: ANN001 - python-docx's w:p
    """Append a field such as PAGE or NUMPAGES; Word and LibreOffice fill it when they show the page."""
    def fld_char(kind: str) -> BaseOxmlElement:
        run = OxmlElement("w:r")
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run.append(char)
        return run

    p.append(fld_char("begin"))
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    p.append(instr_run)
    p.append(fld_char("separate"))
    value = OxmlElement("w:r")
    value.append(_text(placeholder))
    p.append(value)
    p.append(fld_char("end"))


def set_language(styles_element, language: str) -> None:
    """Set the document's default language (core_properties.language does nothing in Word)."""
    doc_defaults = styles_element.find(qn("w:docDefaults"))
    if doc_defaults is None:
        doc_defaults = OxmlElement("w:docDefaults")
        styles_element.insert(0, doc_defaults)
    rpr_default = doc_defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        doc_defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language)


def set_alt_text(inline_shape, text: str) -> None:
    """Give a picture its alternative text (what a screen reader says)."""
    doc_pr = inline_shape._inline.docPr
    doc_pr.set("descr", text)
    doc_pr.set("title", text)


_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange")
"""The children of w:pPr in the schema's order (python-docx's CT_PPr._tag_seq)."""
_PPR_RANK = {qn(tag): rank for rank, tag in enumerate(_PPR_ORDER)}


def _insert_in_order(ppr, child) -> None:  # noqa: ANN001 - python-docx's w:pPr and a child for it
    """Put *child* into *ppr* where python-docx's insert_element_before would, given the tags the schema puts
    after it: before the first child of the earliest such tag. One pass over the children, where
    python-docx searches them again for each of the 30-odd tags that may follow."""
    rank, successor, best = _PPR_RANK[child.tag], None, len(_PPR_ORDER)
    for existing in ppr:
        found = _PPR_RANK.get(existing.tag)
        if found is not None and rank < found < best:
            successor, best = existing, found
    if successor is None:
        ppr.append(child)
    else:
        successor.addprevious(child)


def paragraph_property(p, tag: str):  # noqa: ANN001, ANN201 - python-docx's w:p, and its w:pPr child
    """The w:pPr child *tag* ('w:spacing') of the paragraph *p*, made if it has none where python-docx's
    `p.get_or_add_pPr().get_or_add_spacing()` makes it; set its values through python-docx's own attributes
    (`.after = Pt(3)`), which write them as python-docx does."""
    ppr = p.pPr
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    found = ppr.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        _insert_in_order(ppr, found)
    return found


def set_keep_with_next(paragraph: Paragraph) -> None:
    """`paragraph.paragraph_format.keep_with_next = True`."""
    paragraph_property(paragraph._p, "w:keepNext").val = True


def set_spacing(paragraph: Paragraph, before: Length | None = None, after: Length | None = None) -> None:
    """`paragraph.paragraph_format.space_before = before`, then `.space_after = after` (None: left alone)."""
    spacing = paragraph_property(paragraph._p, "w:spacing")
    if before is not None:
        spacing.before = before
    if after is not None:
        spacing.after = after


_DEFLATED: Memo[tuple[int, bytes]] = Memo(64)
"""Members many documents share (a brand's styles, the template's theme and settings, a logo), deflated once
per process; the least recently used goes first, so that each document's own members (its text), used
once, pass through without pushing out the shared ones (a Word file has about 20 members, a dozen shared)."""


def _deflate(blob: bytes) -> tuple[int, bytes]:
    """The CRC-32 and raw deflate stream of *blob*."""
    def deflate() -> tuple[int, bytes]:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        return zlib.crc32(blob), compressor.compress(blob) + compressor.flush()
    return _DEFLATED.recall(blob, deflate)


class _FixedTimeZip:
    """Stands in for python-docx's zip writer: every member deflated, dated 1980-01-01, mode 644."""

    DOS_DATE = (0 << 9) | (1 << 5) | 1
    """1980-01-01, the first day a zip can say."""

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.directory: list[bytes] = []

    def write(self, pack_uri, blob: bytes) -> None:  # noqa: ANN001 - a python-docx PackURI
        name = pack_uri.membername.encode("utf-8")
        crc, data = _deflate(blob)
        offset = self.out.tell()
        self.out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, self.DOS_DATE, crc, len(data),
                                   len(blob), len(name), 0) + name)
        self.out.write(data)
        self.directory.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, 0, 8, 0, self.DOS_DATE,
                                          crc, len(data), len(blob), len(name), 0, 0, 0, 0, 0o100644 << 16,
                                          offset) + name)

    def close(self) -> bytes:
        start = self.out.tell()
        self.out.write(b"".join(self.directory))
        self.out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(self.directory), len(self.directory),
                                   self.out.tell() - start, start, 0))
        return self.out.getvalue()


def deterministic_bytes(document) -> bytes:  # noqa: ANN001 - a python-docx Document
    """The .docx, zipped once with fixed member times, so the same input gives the same bytes.

    python-docx's own save, member by member, written by _FixedTimeZip instead of its zip writer.
    """
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    writer: Any = _FixedTimeZip()
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    return writer.close()


class Snapshot:
    """A .docx read once, to open many documents from: its parts' bytes and how they relate.

    Opening one parses an XML part only when it is used: a part left untouched, such as the 350 kB of
    styles, is written out as the bytes it was read from. python-docx would parse it and serialise it
    again, which gives the same bytes (its parser drops no text: they were serialised by lxml) at a cost.
    """

    def __init__(self, data: bytes) -> None:
        from docx.opc.pkgreader import PackageReader

        self.reader = PackageReader.from_file(io.BytesIO(data))

    def open(self):  # noqa: ANN201 - a python-docx Document
        from docx.opc.package import Unmarshaller
        from docx.package import Package

        package = Package()
        Unmarshaller.unmarshal(self.reader, package, _part)
        return package.main_document_part.document


def _part(partname, content_type: str, reltype: str, blob: bytes, package):  # noqa: ANN001, ANN202
    """The part python-docx's PartFactory would make, its XML parsed when first used if the class allows."""
    from docx.opc.part import PartFactory

    selector = PartFactory.part_class_selector
    cls = (selector(content_type, reltype) if selector else None) or PartFactory._part_cls_for(content_type)
    lazy = _lazy_class(cls)
    return cls.load(partname, content_type, blob, package) if lazy is None else lazy(partname, content_type,
                                                                                      blob, package)


_LAZY: dict[type, type | None] = {}


def _lazy_class(cls: type) -> type | None:
    """A subclass of the XML part class *cls* that parses its XML when first used; None when *cls* keeps
    its element under other names too (its own __init__), or is not an XML part."""
    if cls not in _LAZY:
        from docx.opc.part import Part, XmlPart
        from docx.opc.oxml import serialize_part_xml
        from docx.oxml.parser import parse_xml

        if not issubclass(cls, XmlPart) or cls.__init__ is not XmlPart.__init__:
            _LAZY[cls] = None
        else:
            def __init__(self, partname, content_type: str, blob: bytes, package) -> None:  # noqa: ANN001, N807
                Part.__init__(self, partname, content_type, package=package)
                self._read = blob

            def element(self):  # noqa: ANN001, ANN202
                if "_parsed" not in self.__dict__:
                    self.__dict__["_parsed"] = parse_xml(self._read)
                return self.__dict__["_parsed"]

            def set_element(self, element) -> None:  # noqa: ANN001
                self.__dict__["_parsed"] = element

            def blob(self) -> bytes:  # noqa: ANN001
                parsed = self.__dict__.get("_parsed")
                return self._read if parsed is None else serialize_part_xml(parsed)

            _LAZY[cls] = type(f"Lazy{cls.__name__}", (cls,), {
                "__init__": __init__, "_element": property(element, set_element), "blob": property(blob)})
    return _LAZY[cls]


def restart_numbering(document, paragraphs: list[Paragraph], style_num: int | None) -> None:
    """Number *paragraphs* (in a numbered-list style whose numbering is *style_num*) from 1, as their own list.

    python-docx has no API for this: Word continues one numbering through every paragraph of a
    style. Each list gets a new w:num on the style's abstract numbering, starting again at 1.
    """
    if not paragraphs:
        return
    numbering = document.part.numbering_part.element  # made if the template has none, even when not used
    if style_num is None:
        return
    abstract_id = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract_id)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    for paragraph in paragraphs:
        num_pr = paragraph_property(paragraph._p, "w:numPr")
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num.numId


def update_fields_on_open(document) -> None:
    """Ask Word to fill fields (the table of contents) when it opens the file."""
    settings = document.settings.element
    existing = settings.find(qn("w:updateFields"))
    if existing is None:
        existing = OxmlElement("w:updateFields")
        # Word reads settings.xml in schema order and calls a file with elements out of order corrupt.
        later = [settings.find(qn(f"w:{name}")) for name in _AFTER_UPDATE_FIELDS]
        following = next((element for element in later if element is not None), None)
        if following is None:
            settings.append(existing)
        else:
            following.addprevious(existing)
    existing.set(qn("w:val"), "true")


_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
    "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")
"""The elements of w:settings that the schema puts after w:updateFields."""


def mark_header_row(table) -> None:
    """Make a table's first row a header row, repeated on each page and announced by screen readers."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def shade_cell(cell, fill_hex: str) -> None:
    """Fill a table cell with a colour ('RRGGBB')."""
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill_hex)
    tc_pr.append(shading)


def box_table(table, rule_hex: str, widths_emu: list[int]) -> None:
    """Rule a table's outside in one colour (no lines inside), give its columns these widths, keep its rows
    whole and vertically centred: a box like the PDF's QR box."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        inside = side.startswith("inside")
        for attribute, value in (("w:val", "nil" if inside else "single"), ("w:sz", "5"), ("w:space", "0"),
                                 ("w:color", rule_hex)):
            if not (inside and attribute != "w:val"):
                edge.set(qn(attribute), value)
        borders.append(edge)
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                                 "w:tblDescription", "w:tblPrChange")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.insert_element_before(layout, "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                                 "w:tblPrChange")
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_emu, strict=True):
        col.set(qn("w:w"), str(width // 635))  # twentieths of a point
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, width in zip(row.cells, widths_emu, strict=True):
            cell.width = width
            v_align = OxmlElement("w:vAlign")
            v_align.set(qn("w:val"), "center")
            cell._tc.get_or_add_tcPr().append(v_align)


def is_empty(element) -> bool:  # noqa: ANN001 - python-docx's w:hdr or w:ftr
    """True when a header or footer has no text and no picture."""
    return not "".join(element.itertext()).strip() and not element.xpath(".//w:drawing | .//w:pict")


_BEFORE_BACKGROUND_SHAPE = ("writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
                            "doNotDisplayPageBoundaries")
"""The elements of w:settings that the schema puts before w:displayBackgroundShape."""


def set_page_background(document, fill_hex: str) -> None:
    """Colour every page ('RRGGBB'), and ask Word to show it."""
    root = document.element
    background = root.find(qn("w:background"))
    if background is None:
        background = OxmlElement("w:background")
        root.insert(0, background)
    background.set(qn("w:color"), fill_hex)
    settings = document.settings.element
    if settings.find(qn("w:displayBackgroundShape")) is None:
        show = OxmlElement("w:displayBackgroundShape")
        earlier = [e for e in settings if e.tag in {qn(f"w:{n}") for n in _BEFORE_BACKGROUND_SHAPE}]
        if earlier:
            earlier[-1].addnext(show)
        else:
            settings.insert(0, show)


def _rule(paragraph: Paragraph, side: str, eighths: int, space_pt: int, colour_hex: str) -> None:
    """Draw a rule on one *side* ('left', 'bottom') of a paragraph, *eighths* of a point thick."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    rule = OxmlElement(f"w:{side}")
    for attribute, value in (("w:val", "single"), ("w:sz", str(eighths)), ("w:space", str(space_pt)),
                             ("w:color", colour_hex)):
        rule.set(qn(attribute), value)
    borders.append(rule)
    _insert_in_order(ppr, borders)


def rule_below(paragraph: Paragraph, colour_hex: str) -> None:
    """A thin coloured rule under a paragraph, like the PDF's running header."""
    _rule(paragraph, "bottom", 5, 4, colour_hex)


def box_paragraph(paragraph: Paragraph, fill_hex: str, rule_hex: str) -> None:
    """Give a paragraph a tinted background and a coloured rule on its left, like the PDF's contact box."""
    _rule(paragraph, "left", 24, 8, rule_hex)
    ppr = paragraph._p.get_or_add_pPr()
    shading = OxmlElement("w:shd")
    for attribute, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill_hex)):
        shading.set(qn(attribute), value)
    _insert_in_order(ppr, shading)
