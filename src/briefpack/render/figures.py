"""Charts and QR codes: laid out once, drawn as vectors in the PDF and as PNG images for Word."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from briefpack import filememo
from briefpack.frozen import frozen
from briefpack.document import Chart
from briefpack.model import Brand, Colour
from briefpack.memo import Memo

if TYPE_CHECKING:
    from zxingcpp import Barcode

T = TypeVar("T")
Measure = Callable[[str, float, bool], float]
"""Width in points of a text at a size, bold or not."""

LABEL_PT = 9.5
VALUE_PT = 9.5
ROW_PT = 17.0
BAR_PT = 10.0
SIZES = (LABEL_PT, VALUE_PT, ROW_PT, BAR_PT)


@frozen
class Box:
    """A filled rectangle, in points from the top left."""

    x: float
    y: float
    width: float
    height: float
    role: str
    """'bar', 'track' or 'axis': which brand colour fills it."""


@frozen
class Text:
    """A line of text; (x, y) is the left or right end of its baseline, in points from the top left."""

    x: float
    y: float
    text: str
    size: float
    bold: bool
    align: str
    """'left' or 'right'."""


def _pieces(word: str, width: float, size: float, measure: Measure) -> list[str]:
    """*word*, wider than *width*, cut into lines no wider: after a '/', '-' or '.' where it can be (as the
    documents break long addresses), else between two letters."""
    lines: list[str] = []
    current = ""
    for part in re.findall(r"[^/.\-]*[/.\-]?", word):
        for piece in (part,) if measure(part, size, False) <= width else part:  # a part too wide: letter by letter
            if current and measure(current + piece, size, False) > width:
                lines.append(current)
                current = piece
            else:
                current += piece
    return [*lines, current] if current else lines


def wrap(text: str, width: float, size: float, measure: Measure) -> list[str]:
    """Break *text* into lines no wider than *width* (a word wider than that is cut, see _pieces: it was drawn
    whole, past the chart's edge, where it was cut off)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if measure(word, size, False) > width:
            lines += [current] if current else []
            *whole, current = _pieces(word, width, size, measure)
            lines += whole
            continue
        candidate = f"{current} {word}".strip()
        if current and measure(candidate, size, False) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


def layout_bar_chart(chart: Chart, width: float, measure: Measure,
                     scale: float = 1.0) -> tuple[float, list[Box | Text]]:
    """Lay out a horizontal bar chart *width* points wide; return its height and what to draw.

    *scale* enlarges the text and the bars (the large-print edition).
    """
    LABEL_PT, VALUE_PT, ROW_PT, BAR_PT = (size * scale for size in SIZES)  # noqa: N806 - the module's names
    if scale > 1:  # large print: no text under 16 pt
        LABEL_PT, VALUE_PT = max(LABEL_PT, 16), max(VALUE_PT, 16)  # noqa: N806
    label_width = width * 0.46
    gap = 8.0
    value_room = max((measure(b.text, VALUE_PT, True) for b in chart.bars), default=0) + 6
    bar_room = width - label_width - gap - value_room
    top = max((b.value for b in chart.bars), default=1) or 1
    items: list[Box | Text] = []
    y = 0.0
    for bar in chart.bars:
        lines = wrap(bar.label, label_width, LABEL_PT, measure)
        row = max(ROW_PT, len(lines) * (LABEL_PT + 2) + 5)
        centre = y + row / 2
        first_baseline = centre - (len(lines) - 1) * (LABEL_PT + 2) / 2 + LABEL_PT * 0.35
        for i, line in enumerate(lines):
            items.append(Text(label_width, first_baseline + i * (LABEL_PT + 2), line, LABEL_PT, False, "right"))
        x0 = label_width + gap
        items.append(Box(x0, centre - BAR_PT / 2, bar_room, BAR_PT, "track"))
        length = bar_room * bar.value / top
        items.append(Box(x0, centre - BAR_PT / 2, length, BAR_PT, "bar"))
        items.append(Text(x0 + length + 4, centre + VALUE_PT * 0.35, bar.text, VALUE_PT, True, "left"))
        y += row
    items.append(Box(label_width + gap - 0.6, 0, 0.8, y, "axis"))
    return y, items


def chart_colours(brand: Brand) -> dict[str, Colour]:
    p = brand.palette
    return {"bar": p.primary, "track": p.primary.mix(p.background, 0.9), "axis": p.text, "text": p.text}


_QR: Memo[object] = Memo(48)
"""QR codes made in this process, by form and address: the same link in every brand's briefing is encoded
once and drawn as a PNG once. A few links a pack: enough for a batch's packs, and memory stays flat."""

_DARK = bytes([1] + [0] * 255)
"""zxing-cpp's image of a code is a byte a module, 0 for dark and 255 for light: this turns it into 1 and 0."""


def _remember(key: tuple[str, str], make: Callable[[], T]) -> T:
    return cast(T, _QR.recall(key, make))


def _qr_code(url: str) -> Barcode:
    """The QR code of *url* at error correction level M, in the smallest version it fits.

    zxing-cpp's writer (zint's encoder, compiled) scores all eight masks in under half a millisecond of CPU
    (3 ms for the longest address), and importing it (3 ms) imports nothing else. segno, used before, took
    6 ms a code (75 ms for the longest) and its import, 25 ms in each process that made a code, brought in
    xml.sax.saxutils and with it urllib.request, http.client, email and ssl. Text outside ISO 8859-1 (a QR
    code's default) says its character set, so a reader gets back exactly the address; segno wrote UTF-8
    without saying so, and zbarimg read an address with '€' in it as Shift JIS.
    """
    import zxingcpp

    return _remember(("code", url), lambda: zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode,
                                                                    ec_level="M"))


def _image(url: str, scale: int, quiet: bool) -> tuple[int, int, bytes]:
    """Width, height and pixels (a byte each, 0 dark, 255 light) of *url*'s QR code at *scale* pixels a module,
    with its quiet zone of four modules or without."""
    image = _qr_code(url).to_image(scale=scale, add_quiet_zones=quiet)
    height, width = image.shape
    return width, height, bytes(memoryview(image))  # type: ignore[arg-type] # its stub leaves out its buffer


def qr_matrix(url: str) -> tuple[tuple[int, ...], ...]:
    """The QR code of *url* as rows of 1 (dark) and 0 (light), without the quiet zone."""
    def rows() -> tuple[tuple[int, ...], ...]:
        size, _, grey = _image(url, scale=1, quiet=False)
        dark = grey.translate(_DARK)
        return tuple(tuple(dark[start:start + size]) for start in range(0, len(dark), size))
    return _remember(("matrix", url), rows)


def qr_png(url: str) -> bytes:
    """A PNG of the QR code of *url*, with its quiet zone of four modules, ten pixels a module, for Word."""
    def draw() -> bytes:
        from PIL import Image

        width, height, grey = _image(url, scale=10, quiet=True)
        out = io.BytesIO()
        Image.frombytes("L", (width, height), grey).convert("1", dither=Image.Dither.NONE).save(out, format="PNG")
        return out.getvalue()
    return _remember(("png", url), draw)


def bar_chart(chart: Chart, renderer, width: float):  # noqa: ANN001 - the PDF renderer
    """The chart as a reportlab Drawing (vector)."""
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    fonts = renderer.fonts

    def measure(text: str, size: float, bold: bool) -> float:
        return stringWidth(text, fonts.face(bold=bold), size)

    height, items = layout_bar_chart(chart, width, measure, renderer.scale)
    palette = chart_colours(renderer.brand)
    drawing = Drawing(width, height)
    drawing.initialFontName, drawing.initialFontSize = fonts.face(), LABEL_PT  # never reportlab's Helvetica
    for item in items:
        if isinstance(item, Box):
            drawing.add(Rect(item.x, height - item.y - item.height, item.width, item.height, strokeColor=None,
                             fillColor=colors.Color(*palette[item.role].rgb01)))
        else:
            drawing.add(String(item.x, height - item.y, item.text, fontName=fonts.face(bold=item.bold),
                               fontSize=item.size, fillColor=colors.Color(*palette["text"].rgb01),
                               textAnchor="end" if item.align == "right" else "start"))
    return drawing


def qr_drawing(url: str, size: float, colour, font: str) -> object:  # noqa: ANN001 - a reportlab colour
    """The QR code of *url* as a reportlab Drawing of *size* points, dark modules as vector squares.

    *font* is the drawing's default font (it has no text; reportlab would otherwise name Helvetica). The
    squares are added, and reportlab's graphics turns them into drawing operators, once per process for
    each code, size, colour and font: a QR code is several hundred shapes (about 25 ms of CPU), the same
    in every brand's copy of a document. See _QRDrawing.
    """
    drawing = _qr_class()(size, size)
    drawing.initialFontName = font
    drawing.__dict__["bp_qr"] = (url, size, colour, font)  # Drawing's __setattr__ checks attribute names
    return drawing


QR_OPS: Memo[list[str]] = Memo(32)
"""The drawing operators of the QR codes drawn last (a batch goes brand by brand: a few documents' worth)."""


@functools.cache
def _qr_class() -> type:
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.rl_config import _unset_

    class _QRDrawing(Drawing):
        """A QR code's Drawing that adds its squares only when first drawn, and draws a code it has drawn
        before (the same code, size, colour and font) by repeating the operators reportlab's graphics made.

        Those operators are the same wherever the drawing is: it is drawn from its own origin (Drawing.drawOn
        translates first) between q and Q. The one thing in them that depends on the document is the font's
        name inside this PDF (/F1 …), which is part of the key, and asking for it registers the font with
        the document as setting it would.
        """

        def draw(self, showBoundary=_unset_) -> None:  # noqa: ANN001, N803 - reportlab's signature
            url, size, colour, font = self.__dict__["bp_qr"]
            canv = self.canv
            if getattr(canv, "bp_proof", False):
                # Only the layout is wanted (pdfparts.ProofCanvas): the code's size is fixed, and every address
                # briefpack accepts (schema.MAX_LINE characters at most) fits a QR code: nothing to find here.
                return
            key = (url, size, colour.red, colour.green, colour.blue, colour.alpha, font,
                   canv._doc.getInternalFontName(font))
            ops = QR_OPS.get(key)
            if ops is None:
                _add_modules(self, Rect, url, size, colour)
                start = len(canv._code)
                Drawing.draw(self, showBoundary)
                QR_OPS.put(key, canv._code[start:])
            else:
                canv._code.extend(ops)

    return _QRDrawing


def _add_modules(drawing, rect: type, url: str, size: float, colour) -> None:  # noqa: ANN001
    """The dark modules of *url*'s QR code, each run of them along a row as one square-ended bar."""
    matrix = qr_matrix(url)
    quiet = 2
    n = len(matrix) + 2 * quiet
    module = size / n
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                drawing.add(rect((start + quiet) * module, size - (r + quiet + 1) * module,
                                 (c - start) * module, module, strokeColor=None, fillColor=colour, strokeWidth=0))
            else:
                c += 1


_CHARTS: Memo[bytes] = Memo(8)
"""Charts drawn in this process, by everything their pixels depend on: the same chart in a brand's colours
and fonts is drawn and compressed once (about 45 ms of CPU each)."""


def bar_chart_png(chart: Chart, brand: Brand, width_pt: float, bold_font: str, regular_font: str,
                  scale: float = 1.0) -> bytes:
    """The chart as a PNG for Word, drawn from the same layout at 3 pixels a point."""
    # A batch goes brand by brand: a few are enough. The fonts as their files are now, drawn from the bytes their
    # versions were taken of when they were just changed (see filememo.versioned).
    bold_version, bold_data = filememo.versioned(Path(bold_font))
    regular_version, regular_data = filememo.versioned(Path(regular_font))
    key = (chart, brand.palette, width_pt, bold_font, regular_font, scale, bold_version, regular_version)
    return _CHARTS.recall(key, lambda: _draw_bar_chart_png(chart, brand, width_pt, bold_font, regular_font, scale,
                                                           bold_data, regular_data))


def _draw_bar_chart_png(chart: Chart, brand: Brand, width_pt: float, bold_font: str, regular_font: str,
                        scale: float, bold_data: bytes | None = None, regular_data: bytes | None = None) -> bytes:
    """The chart's PNG, in the fonts in files *bold_font* and *regular_font*, or their bytes when given."""
    from PIL import Image, ImageDraw, ImageFont

    px = 3.0  # pixels a point; *scale* is the text's (larger in the large-print edition)
    cache: dict[tuple[float, bool], ImageFont.FreeTypeFont] = {}

    def font(size: float, bold: bool) -> ImageFont.FreeTypeFont:
        key = (size, bold)
        if key not in cache:
            data = bold_data if bold else regular_data
            source = (bold_font if bold else regular_font) if data is None else io.BytesIO(data)
            cache[key] = ImageFont.truetype(source, round(size * px))
        return cache[key]

    def measure(text: str, size: float, bold: bool) -> float:
        return font(size, bold).getlength(text) / px

    height, items = layout_bar_chart(chart, width_pt, measure, scale)
    palette = chart_colours(brand)
    bg = brand.palette.background
    image = Image.new("RGB", (round(width_pt * px), round(height * px) + 2), (bg.red, bg.green, bg.blue))
    draw = ImageDraw.Draw(image)
    for item in items:
        if isinstance(item, Box):
            c = palette[item.role]
            if item.width > 0:
                draw.rectangle((item.x * px, item.y * px, (item.x + item.width) * px,
                                (item.y + item.height) * px), fill=(c.red, c.green, c.blue))
        else:
            c = palette["text"]
            f = font(item.size, item.bold)
            x = item.x * px - (f.getlength(item.text) if item.align == "right" else 0)
            draw.text((x, item.y * px), item.text, font=f, fill=(c.red, c.green, c.blue), anchor="ls")
    out = io.BytesIO()
    # zlib's usual level, not optimize (level 9): the same pixels in a file about 3 % larger, made in 17 ms
    # instead of 80. Every brand with colours or fonts of its own draws its chart (a consortium's 150 boards:
    # 150 charts), so the saving was most of the chart's cost. The palette is no help: a chart's anti-aliased
    # text has hundreds of colours.
    image.save(out, format="PNG", compress_level=CHART_COMPRESSION)
    return out.getvalue()


CHART_COMPRESSION = 6
"""zlib's level for a Word chart's PNG (see _draw_bar_chart_png)."""
