"""Draw a simple wordmark logo (a badge with the board's short name, then its name) as a PNG."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from briefpack.model import WHITE, Colour

WIDTH, HEIGHT = 1400, 340
"""Pixels it is drawn at; it is saved OUT_WIDTH wide."""
OUT_WIDTH = 1000
"""Pixels saved: 360 dpi at the 70 mm of the PDF header, 210 dpi on a cover; more only slows every PDF."""


def wordmark_png(short_name: str, name: str, primary: Colour, accent: Colour, text: Colour,
                 bold_font: Path, regular_font: Path) -> bytes:
    """Return PNG bytes of a wordmark on a transparent background."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (WIDTH, HEIGHT), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    badge = HEIGHT - 20
    draw.rounded_rectangle((0, 10, badge, 10 + badge), radius=44, fill=(*_rgb(primary), 255))
    draw.rectangle((0, badge - 26, badge, badge - 6), fill=(*_rgb(accent), 255))
    size = 150
    while size > 40:
        font = ImageFont.truetype(str(bold_font), size)
        box = draw.textbbox((0, 0), short_name, font=font)
        if box[2] - box[0] <= badge - 50:
            break
        size -= 6
    box = draw.textbbox((0, 0), short_name, font=font)
    x = (badge - (box[2] - box[0])) / 2 - box[0]
    y = 10 + (badge - 30 - (box[3] - box[1])) / 2 - box[1]
    draw.text((x, y), short_name, font=font, fill=(*_rgb(WHITE), 255))
    lines = textwrap.wrap(name, 24)[:3]
    size = 74 if len(lines) <= 2 else 60
    font = ImageFont.truetype(str(regular_font), size)
    line_height = size * 1.18
    top = (HEIGHT - line_height * len(lines)) / 2
    for i, line in enumerate(lines):
        draw.text((badge + 44, top + i * line_height), line, font=font, fill=(*_rgb(text), 255))
    image = image.resize((OUT_WIDTH, round(HEIGHT * OUT_WIDTH / WIDTH)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _rgb(colour: Colour) -> tuple[int, int, int]:
    return colour.red, colour.green, colour.blue
