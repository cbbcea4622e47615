"""The one-page 7-minute briefing: seven numbered tiles on a landscape page, read 01 to 07.

Tiles run down three columns like a newspaper, in order, so text extraction and screen readers meet
them 01, 02 … 07 (the tiles of hand-made briefings are often drawn out of order). A tile is never
split or clipped: when the content does not fit, body text shrinks in steps down to 9 pt, and below
that the caller falls back to the linear layout and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, pairwise

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from briefpack.document import Document, Section, TitleBlock
from briefpack.render.pdfparts import space_after
from briefpack.render.tagging import Element, artifact, marked, tag

COLUMNS = 3
BADGE = 7 * mm
GUTTER = 5 * mm
PAD = 2.6 * mm
SIZES = (11.0, 10.5, 10.0, 9.5, 9.0)
"""Body sizes tried in turn; never below 9 pt."""


@dataclass
class Tile:
    """One tile: its number (empty for the closing tile), label and laid-out content."""

    number: str
    label: str
    content: list[Flowable]
    heading: Element | None = None
    """The tile's H2 element (its number and label)."""
    height: float = 0.0
    x: float = 0.0
    y: float = 0.0
    """Top of the tile, from the top of the grid."""


def _measuring_canvas():
    import io

    from reportlab.pdfgen.canvas import Canvas
    return Canvas(io.BytesIO())


def _content_height(flowables: list[Flowable], width: float, canv=None) -> float:  # noqa: ANN001
    canv = canv or _measuring_canvas()
    total = 0.0
    for i, f in enumerate(flowables):
        _, h = f.wrapOn(canv, width, 10_000)
        total += h + (f.getSpaceBefore() if i else 0) + f.getSpaceAfter()
    return total


class TileGrid(Flowable):
    """The tiles, drawn in reading order; fills the rest of the page."""

    def __init__(self, tiles: list[Tile], renderer, width: float, height: float) -> None:  # noqa: ANN001
        super().__init__()
        self.tiles, self.r = tiles, renderer
        self.width, self.height = width, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv, r = self.canv, self.r
        badge = BADGE
        for tile in self.tiles:
            top = self.height - tile.y
            canv.saveState()
            canv.setFillColor(r.tint if tile.number else r.background)
            canv.setStrokeColor(r.primary)
            canv.setLineWidth(0.8)
            with artifact(canv):
                canv.roundRect(tile.x, top - tile.height, self.column_width, tile.height, 2.5 * mm,
                               stroke=0 if tile.number else 1, fill=1)
            canv.restoreState()
            inner_x = tile.x + PAD
            y = top - PAD
            if tile.number:
                key = f"tile-{tile.number}"
                canv.bookmarkHorizontal(key, tile.x, top)
                canv.addOutlineEntry(f"{tile.number} {tile.label}", key, 0, closed=False)
                canv.saveState()
                canv.setFillColor(r.primary)
                with artifact(canv):
                    canv.roundRect(inner_x, y - badge, badge, badge, 1.5 * mm, stroke=0, fill=1)
                canv.restoreState()
                # One marked-content sequence for the number and the label: "01 Why it matters".
                label = tag(r.plain(tile.label, "h2", spaceBefore=0, spaceAfter=0, fontSize=12.5, leading=14.5),
                            None)
                with marked(canv, tile.heading):
                    canv.saveState()
                    canv.setFillColor(r.on_primary)
                    canv.setFont(r.fonts.face(bold=True), 11)
                    canv.drawCentredString(inner_x + badge / 2, y - badge / 2 - 3.8, tile.number)
                    space_after(canv, inner_x + badge / 2 + canv.stringWidth(tile.number) / 2, y - badge / 2 - 3.8)
                    canv.restoreState()
                    _, h = label.wrap(self.column_width - 2 * PAD - badge - 2.5 * mm, 1000)
                    label.drawOn(canv, inner_x + badge + 2.5 * mm, y - badge / 2 - h / 2 + 1)
                y -= max(badge, h) + 2 * mm
            width = self.column_width - 2 * PAD
            for i, f in enumerate(tile.content):
                if i:
                    y -= f.getSpaceBefore()
                _, h = f.wrapOn(canv, width, 10_000)
                f.drawOn(canv, inner_x, y - h)
                y -= h + f.getSpaceAfter()

    @property
    def column_width(self) -> float:
        return (self.width - (COLUMNS - 1) * GUTTER) / COLUMNS


def tiles_story(renderer, document: Document, width: float, height: float) -> list[Flowable] | None:  # noqa: ANN001
    """The page's flowables in the tiles layout, or None when even 9 pt text cannot fit one page."""
    title = next(b for b in document.blocks if isinstance(b, TitleBlock))
    head = renderer.compact_title(title)
    available = height - _content_height(head, width) - 2 * mm
    sections = [b for b in document.blocks if isinstance(b, Section)]
    closing = [b for b in document.blocks if not isinstance(b, (Section, TitleBlock))]
    column_width = (width - (COLUMNS - 1) * GUTTER) / COLUMNS
    inner = column_width - 2 * PAD
    for size in SIZES:
        renderer.set_body_size(size, tight=True)
        tiles = []
        for s in sections:  # each tile a section of the structure tree, 01 to 07
            with renderer.inside(Element("Sect", renderer.root)) as sect:
                heading = Element("H2", sect)
                tiles.append(Tile(s.number, s.label, [f for child in s.blocks for f in renderer.flowables(child)],
                                  heading))
        tail = [f for block in closing for f in renderer.flowables(block, compact=True)]
        if tail:
            tiles.append(Tile("", "", tail))
        if _place(tiles, inner, available, column_width):
            return [*head, TileGrid(tiles, renderer, width, available)]
    renderer.set_body_size(SIZES[0])
    return None


def _place(tiles: list[Tile], inner: float, available: float, column_width: float) -> bool:
    """Put tiles down the columns in order, as evenly as possible; False if they need more than a page."""
    canv = _measuring_canvas()
    for tile in tiles:
        header = (BADGE + 2 * mm) if tile.number else 0
        tile.height = header + _content_height(tile.content, inner, canv) + 2 * PAD
    best: tuple[float, tuple[int, ...]] | None = None
    for cuts in combinations(range(1, len(tiles)), min(COLUMNS, len(tiles)) - 1):
        bounds = (0, *cuts, len(tiles))
        tallest = max(sum(t.height for t in tiles[a:b]) + GUTTER * (b - a - 1) for a, b in pairwise(bounds))
        if best is None or tallest < best[0]:
            best = (tallest, bounds)
    if best is None or best[0] > available:
        return False
    for column, (a, b) in enumerate(pairwise(best[1])):
        y = 0.0
        for tile in tiles[a:b]:
            tile.x, tile.y = column * (column_width + GUTTER), y
            y += tile.height + GUTTER
    return True
