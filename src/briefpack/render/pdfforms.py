"""Fillable PDF forms: text fields and radio buttons (AcroForm) that a team fills in a PDF reader.

reportlab's own acroform module names only the standard-14 fonts (an unembedded Helvetica in every field),
so the fields are written here: their default appearance uses the brand's regular font, embedded whole for
the characters of Windows-1252 (what a reader types into a field), and an empty field's appearance is a box
with no text at all, so it prints cleanly. Widgets are made in the order they are drawn, which is the
reading order, so the tab order follows the page.
"""

from __future__ import annotations

import io
from typing import Any

from briefpack.render import rlsafe  # noqa: F401  (first: fixes reportlab's configuration)

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfbase.pdfdoc import (PDFArray, PDFDictionary, PDFInfo, PDFName, PDFObject,  # noqa: E402
                                      PDFStream, PDFStreamFilterZCompress, PDFString)
from reportlab.pdfgen import canvas as rl_canvas  # noqa: E402
from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle  # noqa: E402
from reportlab.platypus import Table as RLTable  # noqa: E402

from briefpack.document import Choice, Field, FieldTable  # noqa: E402
from briefpack.model import Brand  # noqa: E402
from briefpack.render.tagging import Element, form_field, marked, table_furniture  # noqa: E402

FIELD_FONT = "BPForm"
"""The font's name in the form's resources, as field appearances name it."""
FIELD_PT = 10
LINE_PT = 15
"""Height of one line of a notes box."""
MULTILINE = 1 << 12
RADIO = (1 << 15) | (1 << 14)
"""Radio, and no toggle to off: one value is chosen, or none yet."""
PRINT = 4


def _winansi() -> list[tuple[int, str]]:
    """(code, character) of every character of Windows-1252 from space on."""
    out = []
    for code in range(32, 256):
        try:
            out.append((code, bytes([code]).decode("cp1252")))
        except UnicodeDecodeError:
            continue
    return out


def _font_program(path: str) -> bytes:
    """The TrueType file subset to Windows-1252, all a form field can encode."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(path, recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(ch) for _, ch in _winansi()])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def field_font(canv: rl_canvas.Canvas, brand: Brand) -> Any:
    """A reference to the brand's regular font as a simple TrueType font for the form's fields."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    doc = canv._doc
    path = str(brand.fonts.regular)
    info = TTFontFile(path)
    chars = dict(_winansi())
    widths = []
    for code in range(32, 256):
        ch = chars.get(code)
        if ch is None:
            widths.append(0)
            continue
        widths.append(round(info.charWidths.get(ord(ch), info.defaultWidth)))
    program = _font_program(path)
    fontfile = PDFStream(PDFDictionary({"Length1": len(program)}), program, filters=[PDFStreamFilterZCompress()])
    name = info.name.decode("latin-1") if isinstance(info.name, bytes) else str(info.name)
    descriptor = PDFDictionary({
        "Type": PDFName("FontDescriptor"), "FontName": PDFName(name), "Flags": 32,
        "FontBBox": PDFArray([round(v) for v in info.bbox]), "ItalicAngle": info.italicAngle,
        "Ascent": round(info.ascent), "Descent": round(info.descent), "CapHeight": round(info.capHeight),
        "StemV": info.stemV, "FontFile2": doc.Reference(fontfile)})
    font = PDFDictionary({
        "Type": PDFName("Font"), "Subtype": PDFName("TrueType"), "BaseFont": PDFName(name),
        "FirstChar": 32, "LastChar": 255, "Widths": PDFArray(widths), "Encoding": PDFName("WinAnsiEncoding"),
        "FontDescriptor": doc.Reference(descriptor)})
    return doc.Reference(font)


class _AcroForm(PDFObject):
    """The document's interactive form: its fields, and the font their text is drawn in."""

    def __init__(self, font_ref: Any) -> None:
        self.fields: list[Any] = []
        self.font_ref = font_ref

    def format(self, document: Any) -> bytes:
        return PDFDictionary({
            "Fields": PDFArray(self.fields),
            "DA": PDFString(f"/{FIELD_FONT} {FIELD_PT} Tf 0 g"),
            "DR": PDFDictionary({"Font": PDFDictionary({FIELD_FONT: self.font_ref})}),
        }).format(document)


class _KitInfo(PDFInfo):
    """The document information, with the kit's identity for `briefpack returns`."""

    form_id = ""

    def format(self, document: Any) -> bytes:
        text = super().format(document)
        extra = PDFString(self.form_id).format(document)
        return text.replace(b"/Trapped", b"/BriefpackKit " + extra + b"\n/Trapped", 1)


def _rgb(colour: colors.Color) -> list[float]:
    return [round(colour.red, 4), round(colour.green, 4), round(colour.blue, 4)]


class Form:
    """One PDF's form, made when its first field is drawn."""

    def __init__(self, canv: rl_canvas.Canvas, renderer: Any) -> None:
        self.canv = canv
        doc = canv._doc
        self.acroform = _AcroForm(field_font(canv, renderer.brand))
        doc._catalog.AcroForm = doc.Reference(self.acroform)
        doc.info.__class__ = _KitInfo  # the same object: the document already refers to it
        doc.info.form_id = renderer.form_id
        self.border = renderer.muted
        self.text = renderer.text
        self.mark = renderer.primary

    @staticmethod
    def of(canv: rl_canvas.Canvas, renderer: Any) -> Form:
        form = getattr(canv, "_briefpack_form", None)
        if form is None:
            form = Form(canv, renderer)
            canv._briefpack_form = form  # type: ignore[attr-defined]
        return form

    def _stream(self, width: float, height: float, code: str) -> Any:
        return self.canv._doc.Reference(PDFStream(PDFDictionary({
            "Type": PDFName("XObject"), "Subtype": PDFName("Form"), "BBox": PDFArray([0, 0, round(width, 3),
                                                                                    round(height, 3)]),
            "Resources": PDFDictionary({})}), code.encode("ascii")))

    def _box(self, width: float, height: float, border: bool) -> str:
        if not border:
            return "/Tx BMC EMC"
        r, g, b = _rgb(self.border)
        return f"1 g 0 0 {width:.3f} {height:.3f} re f {r} {g} {b} RG 1 w 0.5 0.5 {width - 1:.3f} " \
               f"{height - 1:.3f} re S /Tx BMC EMC"

    def text_field(self, name: str, label: str, x: float, y: float, width: float, height: float,
                   multiline: bool, border: bool = True) -> None:
        """A text field *name* at (x, y), in page coordinates, with *label* as its accessible name.

        Without *border* the field is drawn with none (a table's grid draws it) and no background.
        """
        canv = self.canv
        r, g, b = _rgb(self.text)
        annot = PDFDictionary({
            "Type": PDFName("Annot"), "Subtype": PDFName("Widget"), "FT": PDFName("Tx"),
            "T": PDFString(name), "TU": PDFString(label), "V": PDFString(""),
            "Rect": PDFArray([round(v, 3) for v in (x, y, x + width, y + height)]),
            "F": PRINT, "Ff": MULTILINE if multiline else 0, "P": canv._doc.thisPageRef(),
            "DA": PDFString(f"/{FIELD_FONT} {FIELD_PT} Tf {r} {g} {b} rg"),
            "MK": PDFDictionary({"BC": PDFArray(_rgb(self.border)), "BG": PDFArray([1, 1, 1])} if border else {}),
            # A whole number: Chrome's and Edge's viewer (pdfium) reads the width as one, and a filled field
            # whose border was 0.75 is redrawn with none.
            "BS": PDFDictionary({"W": 1 if border else 0, "S": PDFName("S")}),
            "AP": PDFDictionary({"N": self._stream(width, height, self._box(width, height, border))}),
        })
        canv._addAnnotation(annot)
        self.acroform.fields.append(canv._doc.Reference(annot))

    def radio_group(self, name: str, label: str) -> Any:
        """A group of radio buttons *name*, none chosen yet; add its buttons with radio_button."""
        parent = PDFDictionary({"FT": PDFName("Btn"), "T": PDFString(name), "TU": PDFString(label),
                                "Ff": RADIO, "V": PDFName("Off"), "Kids": PDFArray([])})
        self.acroform.fields.append(self.canv._doc.Reference(parent))
        return parent

    def radio_button(self, group: Any, value: str, label: str, x: float, y: float, size: float) -> None:
        """One button of *group*, choosing *value*: a circle of *size* at (x, y) in page coordinates."""
        canv = self.canv
        doc = canv._doc

        def circle(radius: float) -> str:
            c, k = size / 2, 0.5523 * radius
            return (f"{c + radius:.3f} {c:.3f} m {c + radius:.3f} {c + k:.3f} {c + k:.3f} {c + radius:.3f} "
                    f"{c:.3f} {c + radius:.3f} c {c - k:.3f} {c + radius:.3f} {c - radius:.3f} {c + k:.3f} "
                    f"{c - radius:.3f} {c:.3f} c {c - radius:.3f} {c - k:.3f} {c - k:.3f} {c - radius:.3f} "
                    f"{c:.3f} {c - radius:.3f} c {c + k:.3f} {c - radius:.3f} {c + radius:.3f} {c - k:.3f} "
                    f"{c + radius:.3f} {c:.3f} c")

        br, bg, bb = _rgb(self.border)
        mr, mg, mb = _rgb(self.mark)
        ring = f"1 g {circle(size / 2 - 0.5)} f {br} {bg} {bb} RG 1 w {circle(size / 2 - 0.5)} S"
        widget = PDFDictionary({
            "Type": PDFName("Annot"), "Subtype": PDFName("Widget"), "Parent": doc.Reference(group),
            "TU": PDFString(label), "Rect": PDFArray([round(v, 3) for v in (x, y, x + size, y + size)]),
            "F": PRINT, "P": doc.thisPageRef(), "AS": PDFName("Off"),
            "MK": PDFDictionary({"BC": PDFArray(_rgb(self.border)), "BG": PDFArray([1, 1, 1])}),
            "AP": PDFDictionary({"N": PDFDictionary({
                value: self._stream(size, size, f"{ring} {mr} {mg} {mb} rg {circle(size / 4)} f"),
                "Off": self._stream(size, size, ring)})}),
        })
        canv._addAnnotation(widget)
        group.dict["Kids"].sequence.append(doc.Reference(widget))


class FieldBox(Flowable):
    """An empty box the width of its frame or cell that becomes a text field (in a Form element) where drawn."""

    def __init__(self, field: Field, renderer: Any, element: Element, border: bool = True) -> None:
        super().__init__()
        self.field, self.r, self.element = field, renderer, element
        self.box_height = (7.5 * mm if field.lines == 1 else field.lines * LINE_PT + 6)
        self.border = border

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, self.box_height
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        with form_field(self.canv, self.element):
            Form.of(self.canv, self.r).text_field(self.field.name, self.field.label, x, y, self.width,
                                                  self.height, self.field.lines > 1, self.border)


class RadioRow(Flowable):
    """A row of radio buttons, each followed by its value; each button and its value one Form element."""

    SIZE = 5 * mm
    GAP = 16 * mm

    def __init__(self, choice: Choice, renderer: Any, elements: list[Element]) -> None:
        super().__init__()
        self.choice, self.r, self.elements = choice, renderer, elements

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, self.SIZE + 2
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        form = Form.of(canv, self.r)
        group = form.radio_group(self.choice.name, self.choice.label)
        face = self.r.fonts.face(bold=True)
        for i, (value, element) in enumerate(zip(self.choice.options, self.elements, strict=True)):
            x = i * self.GAP
            with marked(canv, element):
                canv.saveState()
                canv.setFillColor(self.r.text)
                canv.setFont(face, self.r.body_pt)
                canv.drawString(x + self.SIZE + 2 * mm, 1 + self.SIZE / 2 - self.r.body_pt * 0.35, value)
                canv.restoreState()
            px, py = canv.absolutePosition(x, 1)
            with form_field(canv, element):
                form.radio_button(group, value, element.contents, px, py, self.SIZE)


def _layout_table(rows: list[list[Any]], widths: list[float], style: list[tuple]) -> RLTable:
    table = RLTable(rows, colWidths=widths, hAlign="LEFT", renderCB=table_furniture)
    table.setStyle(TableStyle(style))
    return table


def field_flowables(block: Field | FieldTable | Choice, renderer: Any, indent: float) -> list[Flowable]:
    """The flowables of a form block: labels, and boxes that become fields, each field a Form element."""
    bold = renderer.fonts.face(bold=True)
    width = renderer.frame_width - indent
    font = ("FONT", (0, 0), (-1, -1), renderer.fonts.face(), renderer.body_pt)
    if isinstance(block, Choice):
        label = renderer.plain(block.label, "body", fontName=bold, spaceAfter=3)
        buttons = [renderer.element("Form", contents=f"{block.label} {value}") for value in block.options]
        return [KeepTogether([label, RadioRow(block, renderer, buttons),
                              renderer.plain(block.hint, "small", spaceBefore=2)]), Spacer(1, 3 * mm)]
    if isinstance(block, Field) and block.lines > 1:
        label = renderer.plain(block.label, "body", fontName=bold, spaceAfter=2, leftIndent=indent)
        box = FieldBox(block, renderer, renderer.element("Form", contents=block.label))
        return [KeepTogether([label, box]), Spacer(1, 3 * mm)]
    if isinstance(block, Field):
        label_width = 45 * mm
        cells = [[renderer.plain(block.label, "body", fontName=bold, spaceAfter=0),
                  FieldBox(block, renderer, renderer.element("Form", contents=block.label))]]
        table = _layout_table(cells, [label_width, width - label_width], [
            font, ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
        return [table, Spacer(1, 2.5 * mm)]
    element = renderer.element("Table")
    head_row = Element("TR", element)
    header = [renderer.plain(text, "body", Element("TH", head_row, scope="Column"), fontName=bold,
                             textColor=renderer.on_primary, spaceAfter=0) for text in block.header]
    rows = []
    for row in block.rows:
        tr = Element("TR", element)
        rows.append([FieldBox(f, renderer, Element("Form", Element("TD", tr), contents=f.label), border=False)
                     for f in row])
    table = _layout_table([header, *rows], [width * w for w in block.widths], [
        font, ("BACKGROUND", (0, 0), (-1, 0), renderer.primary),
        ("GRID", (0, 1), (-1, -1), 0.75, renderer.muted),
        ("LEFTPADDING", (0, 1), (-1, -1), 0), ("RIGHTPADDING", (0, 1), (-1, -1), 0),
        ("TOPPADDING", (0, 1), (-1, -1), 0), ("BOTTOMPADDING", (0, 1), (-1, -1), 0),
        ("LEFTPADDING", (0, 0), (-1, 0), 2 * mm), ("TOPPADDING", (0, 0), (-1, 0), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 3.5), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    table.repeatRows = 1
    return [table, Spacer(1, 4 * mm)]
