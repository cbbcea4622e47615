"""The 7-minute briefing as boards make it: seven numbered panels on one landscape page, or both sides of a sheet.

The layout is found by search, not a fixed grid. For one page, and then for two (01–04 on the front is the
usual split, but any split that balances better wins), each page tries two and three columns and every body
size from 11 pt down to 9 pt; panels run down the columns in order, like a newspaper, so text extraction and
screen readers meet them 01, 02 … 07 (hand-made briefings often draw them out of order). Fewer pages win,
then larger text, then the layout whose columns are most evenly filled; the panels of each column are then
stretched so every column ends on the same line. A panel is never split or clipped: its content is laid out
at the panel's own width (a QR box or a chart as wide as the panel allows), and when even two pages of 9 pt
text cannot hold it all, TilesTooLong says which panels are too long and by about how many words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations, pairwise

from reportlab.lib.units import mm
from reportlab.platypus import Flowable
from reportlab.platypus import PageBreak as RLPageBreak

from briefpack import readtime
from briefpack.document import Document, Section, TitleBlock
from briefpack.render.pdfparts import space_after
from briefpack.render.tagging import Element, artifact, marked, tag

BADGE = 7 * mm
GUTTER = 4.5 * mm
PAD = 3 * mm
SIZES = (11.0, 10.5, 10.0, 9.5, 9.0)
"""Body sizes tried in turn; never below 9 pt."""
COLUMNS = (3, 2)
"""Columns a page may have (four would make lines too short to read at these sizes)."""
SPLITS = (4, 3, 5)
"""How many of the eight panels (seven sections and the closing one) the front of a two-page sheet takes."""


@dataclass
class Tile:
    """One panel: its number (empty for the closing panel), label, words and laid-out content."""

    number: str
    label: str
    words: int
    content: list[Flowable] = field(default_factory=list)
    heading: Element | None = None
    """The panel's H2 element (its number and label)."""
    height: float = 0.0
    width: float = 0.0
    x: float = 0.0
    y: float = 0.0
    """Top of the panel, from the top of the grid."""


@dataclass(frozen=True)
class PagePlan:
    """Which panels one page holds, in how many columns, and where each column ends."""

    first: int
    last: int
    """The page holds panels first..last-1."""
    columns: int
    bounds: tuple[int, ...]
    """Panel indices where each column starts, then the end: (first, …, last)."""
    fill: tuple[float, ...]
    """Each column's content height, in points."""


@dataclass(frozen=True)
class Plan:
    size: float
    pages: tuple[PagePlan, ...]
    cost: float


class TilesTooLong(Exception):
    """Even two landscape pages of 9 pt text cannot hold the panels: (number, label, words over) for each."""

    def __init__(self, over: list[tuple[str, str, int]]) -> None:
        super().__init__(over)
        self.over = over


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


def _label_height(renderer, label: str, inner: float, canv) -> float:  # noqa: ANN001
    para = renderer.plain(label, "h2", spaceBefore=0, spaceAfter=0, fontSize=12.5, leading=14.5)
    _, h = para.wrap(inner - BADGE - 2.5 * mm, 1000)
    return max(BADGE, h)


class TileGrid(Flowable):
    """One page's panels, drawn in reading order; fills the rest of the page."""

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
                canv.roundRect(tile.x, top - tile.height, tile.width, tile.height, 2.5 * mm,
                               stroke=0 if tile.number else 1, fill=1)
            canv.restoreState()
            inner_x = tile.x + PAD
            inner = tile.width - 2 * PAD
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
                    _, h = label.wrap(inner - badge - 2.5 * mm, 1000)
                    label.drawOn(canv, inner_x + badge + 2.5 * mm, y - max(badge, h) / 2 - h / 2 + 1)
                y -= max(badge, h) + 2 * mm
            for i, f in enumerate(tile.content):
                if i:
                    y -= f.getSpaceBefore()
                _, h = f.wrapOn(canv, inner, 10_000)
                f.drawOn(canv, inner_x, y - h)
                y -= h + f.getSpaceAfter()


def _column_width(width: float, columns: int) -> float:
    return (width - (columns - 1) * GUTTER) / columns


class Layout:
    """The search for the best arrangement of one document's panels."""

    def __init__(self, renderer, document: Document, width: float, grids: tuple[float, float]) -> None:  # noqa: ANN001
        self.r, self.width = renderer, width
        self.front, self.back = grids
        """Grid heights of the front page (under the title) and of the back page, in points."""
        self.sections = [b for b in document.blocks if isinstance(b, Section)]
        self.closing = [b for b in document.blocks if not isinstance(b, (Section, TitleBlock))]
        self.tiles = [Tile(s.number, s.label, readtime.words([s])) for s in self.sections]
        if self.closing:
            self.tiles.append(Tile("", "", readtime.words(self.closing)))
        self.canv = _measuring_canvas()
        self._heights: dict[tuple[float, int], list[float]] = {}
        self.scale: list[float] | None = None
        """While finding what to trim: the share of each panel's height that would be left."""

    def build(self, size: float, columns: int, only: range | None = None) -> list[list[Flowable]]:
        """Each panel's flowables at *size* points for a page of *columns* columns (only those in *only*)."""
        r = self.r
        r.set_body_size(size, tight=True)
        inner = _column_width(self.width, columns) - 2 * PAD
        contents: list[list[Flowable]] = []
        r.width_override = inner
        try:
            for i, section in enumerate(self.sections):
                if only is not None and i not in only:
                    contents.append([])
                    continue
                with r.inside(Element("Sect", r.root)) as sect:  # each panel a section of the structure tree
                    self.tiles[i].heading = Element("H2", sect)
                    contents.append([f for child in section.blocks for f in r.flowables(child)])
            if self.closing:
                closing = only is None or len(self.sections) in only
                contents.append([f for block in self.closing for f in r.flowables(block, compact=True)]
                                if closing else [])
        finally:
            r.width_override = None
        return contents

    def heights(self, size: float, columns: int) -> list[float]:
        """Each panel's height at *size* points in a page of *columns* columns."""
        key = (size, columns)
        if key not in self._heights:
            inner = _column_width(self.width, columns) - 2 * PAD
            out = []
            for tile, content in zip(self.tiles, self.build(size, columns), strict=True):
                head = _label_height(self.r, tile.label, inner, self.canv) + 2 * mm if tile.number else 0
                out.append(head + _content_height(content, inner, self.canv) + 2 * PAD)
            self._heights[key] = out
        if self.scale is not None:
            return [h * k for h, k in zip(self._heights[key], self.scale, strict=True)]
        return self._heights[key]

    def page(self, size: float, first: int, last: int, grid: float) -> PagePlan | None:
        """The most evenly filled way to put panels first..last-1 on a page of height *grid*, or None."""
        best: tuple[float, PagePlan] | None = None
        for columns in COLUMNS:
            count = min(columns, last - first)
            heights = self.heights(size, columns)
            for cuts in combinations(range(first + 1, last), count - 1):
                bounds = (first, *cuts, last)
                fill = tuple(sum(heights[a:b]) + GUTTER * (b - a - 1) for a, b in pairwise(bounds))
                if max(fill) > grid:
                    continue
                # Empty space at the foot of each column, squared: ragged columns and half-empty pages cost most.
                cost = sum(((grid - f) / grid) ** 2 for f in fill) / count + (columns - count) * 0.5
                if best is None or cost < best[0]:
                    best = (cost, PagePlan(first, last, count, bounds, fill))
        return best[1] if best else None

    def search(self, sizes: tuple[float, ...] = SIZES) -> Plan | None:
        """The best plan: one page if any size fits, else two; then the largest text; then the most even."""
        n = len(self.tiles)
        for pages in (1, 2):
            for size in sizes:
                plans = []
                if pages == 1:
                    front = self.page(size, 0, n, self.front)
                    if front:
                        plans.append(Plan(size, (front,), self._cost((front,), (self.front,))))
                else:
                    for split in SPLITS:
                        if not 0 < split < n:
                            continue
                        front, back = self.page(size, 0, split, self.front), self.page(size, split, n, self.back)
                        if front and back:
                            cost = self._cost((front, back), (self.front, self.back)) + (split != 4) * 0.05
                            plans.append(Plan(size, (front, back), cost))
                if plans:
                    return min(plans, key=lambda p: p.cost)
        return None

    def _cost(self, pages: tuple[PagePlan, ...], grids: tuple[float, ...]) -> float:
        return sum(sum(((g - f) / g) ** 2 for f in p.fill) / len(p.fill) for p, g in zip(pages, grids, strict=True))

    def place(self, plan: Plan) -> list[list[Tile]]:
        """Lay out each page's panels: built at their page's width, stretched so every column ends level."""
        out = []
        for page, grid in zip(plan.pages, (self.front, self.back), strict=False):
            content = self.build(plan.size, page.columns, range(page.first, page.last))
            heights = self.heights(plan.size, page.columns)
            width = _column_width(self.width, page.columns)
            tiles = []
            for column, (a, b) in enumerate(pairwise(page.bounds)):
                spare = (grid - page.fill[column]) / (b - a)
                y = 0.0
                for i in range(a, b):
                    tile = self.tiles[i]
                    tile.content, tile.width = content[i], width
                    tile.height = heights[i] + spare
                    tile.x, tile.y = column * (width + GUTTER), y
                    y += tile.height + GUTTER
                    tiles.append(tile)
            out.append(tiles)
        return out

    def too_long(self) -> list[tuple[str, str, int]]:
        """Which panels to trim, and by about how many words, for two pages of 9 pt text.

        The cut is level, from the longest panel down: the largest word count every panel may keep so that
        the panels fit, found by trying the layout with each panel shortened in proportion.
        """
        words = [t.words for t in self.tiles]

        def fits(cap: int) -> bool:
            self.scale = [min(1.0, cap / w) if w else 1.0 for w in words]
            try:
                return self.search(SIZES[-1:]) is not None
            finally:
                self.scale = None

        low, high = 0, max(words)
        while low < high:  # the largest cap that fits
            middle = (low + high + 1) // 2
            if fits(middle):
                low = middle
            else:
                high = middle - 1
        return [(t.number, t.label, _about(t.words - low)) for t in self.tiles if t.words > low]


def _about(words: int) -> int:
    """A round number of words, never less than the true one: 'about 240 words'."""
    return max(10, math.ceil(words / 10) * 10)


def tiles_story(renderer, document: Document, width: float, height: float) -> list[Flowable]:  # noqa: ANN001
    """The pages' flowables in the tiles layout; TilesTooLong if even two pages of 9 pt text cannot hold it."""
    title = next(b for b in document.blocks if isinstance(b, TitleBlock))
    head = renderer.compact_title(title)
    front = height - _content_height(head, width) - 2 * mm
    back = height - renderer.later_top_extra
    layout = Layout(renderer, document, width, (front, back))
    plan = layout.search()
    if plan is None:
        raise TilesTooLong(layout.too_long())
    pages = layout.place(plan)
    renderer.tiles_pages = len(pages)
    story: list[Flowable] = [*head, TileGrid(pages[0], renderer, width, front)]
    for tiles in pages[1:]:
        story += [RLPageBreak(), TileGrid(tiles, renderer, width, back)]
    return story
