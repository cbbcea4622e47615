"""Read a linear PDF's pages back as a reader sees them, and list what a designer would send back.

Geometry from pdfplumber (top-down coordinates, points). A heading is text of 12.5 pt or more in a bold face
(body text is 11 pt, lesson titles 13 pt, section headings 16 pt); a QR code is a square of many small dark
squares; the content area lies between the page's header band and the footer rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4
HEADING_PT = 12.5
FEW = 0.15
"""The least share of the text area a page may fill (15 %: about seven lines of body text)."""


@dataclass
class Page:
    number: int
    height: float
    area_top: float
    """Where the text area starts (below the page-one header, or the running header)."""
    area_bottom: float
    """The foot of the text area (the bottom margin)."""
    chars: list[dict]
    heading_lines: list[tuple[float, float, str]]
    """(top, bottom, text) of each line of heading text."""
    lines: list[tuple[float, float, float, float]]
    """(x0, x1, top, bottom) of each horizontal rule in the content area."""
    qr_tops: list[float]
    ink: list[tuple[float, float]]
    """(top, bottom) of every piece of content: text, images, drawings."""
    content_bottom: float
    """The lowest ink of the content (text, images, drawings), or area_top on an empty page."""

    @property
    def fill(self) -> float:
        return (self.content_bottom - self.area_top) / (self.area_bottom - self.area_top)


def _is_heading(char: dict, least: float) -> bool:
    return char["size"] >= least and "bold" in char["fontname"].lower()


def _lines_of(chars: list[dict]) -> list[list[dict]]:
    """Chars grouped into lines by their vertical middle."""
    out: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2):
        middle = (char["top"] + char["bottom"]) / 2
        if out and abs(middle - (out[-1][-1]["top"] + out[-1][-1]["bottom"]) / 2) <= 4:
            out[-1].append(char)
        else:
            out.append([char])
    return out


def _qr_tops(rects: list[dict]) -> list[float]:
    """The top of each QR code: a cluster of at least 40 small dark squares."""
    small = [r for r in rects if r["fill"] and r["height"] < 2 * MM and r["width"] < 12 * MM]
    tops: list[float] = []
    for r in sorted(small, key=lambda r: r["top"]):
        if tops and r["top"] - tops[-1] < 40 * MM:
            continue
        near = [s for s in small if 0 <= s["top"] - r["top"] < 40 * MM and abs(s["x0"] - r["x0"]) < 40 * MM]
        if len(near) >= 40:
            tops.append(r["top"])
    return tops


def read_pages(path: Path, heading_pt: float = HEADING_PT) -> list[Page]:
    import pdfplumber

    from briefpack.render.pdf import FOOTER_RULE, MARGIN_BOTTOM, MARGIN_TOP

    pages = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            height = float(page.height)
            # The frame of page one starts below the logo band; later pages' below the running header.
            area_top = MARGIN_TOP + 21 * MM if number == 1 else MARGIN_TOP + 4 * MM
            # The footer's rule: the lowest line across the page near its foot (higher in large print, whose
            # footer takes two lines), else where an ordinary page has it.
            feet = [float(line["top"]) for line in page.lines if line["top"] > height - 40 * MM
                    and line["x1"] - line["x0"] > page.width / 2 and line["height"] < 0.1]
            footer_rule = max(feet, default=height - FOOTER_RULE)
            area_bottom = footer_rule - (MARGIN_BOTTOM - FOOTER_RULE)

            def inside(o: dict, top: float = area_top, foot: float = footer_rule) -> bool:
                return o["top"] >= top - 3 and o["bottom"] < foot - 1

            chars = [c for c in page.chars if c["text"].strip() and inside(c)]
            heading_lines = []
            for line in _lines_of(chars):
                if any(_is_heading(c, heading_pt) for c in line):
                    text = "".join(c["text"] for c in sorted(line, key=lambda c: c["x0"]))
                    heading_lines.append((min(c["top"] for c in line), max(c["bottom"] for c in line), text))
            rules = [(float(e["x0"]), float(e["x1"]), float(e["top"]), float(e["bottom"]))
                     for e in [*page.lines, *page.rects]
                     if e["height"] <= 2.5 and e["width"] > 40 * MM and inside(e)]
            # Everything drawn but the rules themselves: a box's sides end where its bottom rule is.
            ink = [(float(o["top"]), float(o["bottom"]))
                   for o in [*chars, *page.images, *page.rects, *page.curves, *page.lines]
                   if inside(o) and not (o["height"] <= 2.5 and o["width"] > 40 * MM)]
            pages.append(Page(number, height, area_top, area_bottom, chars, heading_lines, rules,
                              _qr_tops([r for r in page.rects if inside(r)]), ink,
                              max([*(b for _, b in ink), *(r[3] for r in rules)], default=area_top)))
    return pages


def heading_at_foot(pages: list[Page]) -> list[str]:
    """Pages whose last line of text is a heading (its text follows on the next page, or nowhere)."""
    out = []
    for page in pages:
        if not page.chars:
            continue
        lowest = max(page.chars, key=lambda c: c["bottom"])
        middle = (lowest["top"] + lowest["bottom"]) / 2
        if any(top - 2 <= middle <= bottom + 2 for top, bottom, _ in page.heading_lines):
            text = next(t for top, bottom, t in page.heading_lines if top - 2 <= middle <= bottom + 2)
            out.append(f"page {page.number} ends with the heading {text!r}")
    return out


def qr_without_heading(pages: list[Page]) -> list[str]:
    """QR codes with no heading above them on their page (their section's heading is on an earlier page)."""
    return [f"page {page.number}: a QR code at {top / MM:.0f} mm has no heading above it on its page"
            for page in pages for top in page.qr_tops
            if not any(bottom <= top for _, bottom, _ in page.heading_lines)]


def nearly_empty(pages: list[Page], cover: bool = False) -> list[str]:
    """Pages that fill less than FEW of the text area (a cover page aside)."""
    if len(pages) == 1:
        return []
    return [f"page {page.number} fills {page.fill:.0%} of its text area" for page in pages
            if page.fill < FEW and not (cover and page.number == 1)]


def stray_rules(pages: list[Page]) -> list[str]:
    """Rules with nothing under them down to the footer rule, not the edge of something just above."""
    out = []
    for page in pages:
        for _x0, _x1, top, bottom in page.lines:
            below = [c for c in page.chars if c["top"] > bottom] or [
                qr for qr in page.qr_tops if qr > bottom]
            above = [b for t, b in page.ink if t < top]
            if not below and (not above or top - max(above) > 2.5 * MM):
                out.append(f"page {page.number}: a rule at {top / MM:.0f} mm stands alone above the footer")
    return out


def problems(path: Path, cover: bool = False, heading_pt: float = HEADING_PT) -> list[str]:
    """Everything pagecheck finds; *heading_pt* is the least size of a heading (larger in large print)."""
    pages = read_pages(path, heading_pt)
    return [*heading_at_foot(pages), *qr_without_heading(pages), *nearly_empty(pages, cover), *stray_rules(pages)]
