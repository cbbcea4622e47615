"""The 7-minute briefing as boards make it: seven numbered panels on one landscape page, or both sides of a sheet.

The layout is found by search, not a fixed grid. For one page, and then for two (01–04 on the front is the
usual split, but a split that balances both pages much better wins), each page tries three columns, and two
columns of equal or unequal width, at every body size from 11 pt down to 9 pt; panels run down the columns in
order, like a newspaper, so text extraction and screen readers meet them 01, 02 … 07 (hand-made briefings often
draw them out of order). Fewer pages win, then larger text, then the layout that leaves least empty space at the
foot of its columns. Panel sizes come from their content: each page's lines and paragraphs are opened up (from
close to airy) until its fullest column reaches the foot of the page, the closing panel (contacts and sources)
may open further, and what a column still has spare goes to its panels in proportion to their content, spread
between their paragraphs, so every column ends level and no panel is a half-empty box. A panel is never split or
clipped: its content is laid out at the panel's own width (a QR box or a chart as wide as the panel allows), and
when even two pages of 9 pt text cannot hold it all, TilesTooLong says which panels are too long and by about
how many words. The same input gives the same layout: the search has no randomness and breaks ties in order.
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
SPLIT_COST = 0.05
"""What a front page other than 01–04 must gain in evenness to be chosen: 01–04 is what readers expect."""
GAPS = 2.0
"""How far a panel's paragraphs and list items may be spread to fill it (in units of the airy spacing's gaps)."""
SHARES = (0.5, 0.42, 0.58)
"""The share of a two-column page's width its first column may take: a narrower column for the shorter panels
balances a page whose columns would otherwise end far apart."""
UNEQUAL = 0.05
"""What columns of unequal width cost, per page width of difference: equal columns win a tie."""
TIGHT = 0.01
"""What close spacing costs: between two equally even layouts, the airier one wins."""


@dataclass
class Tile:
    """One panel: its number (empty for the closing panel), label, words and laid-out content."""

    number: str
    label: str
    words: int
    content: list[Flowable] = field(default_factory=list)
    heading: Element | None = None
    """The panel's H2 element (its number and label)."""
    head_gap: float = 2 * mm
    """Space between the panel's heading and its content."""
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
    bounds: tuple[int, ...]
    """Panel indices where each column starts, then the end: (first, …, last)."""
    widths: tuple[float, ...]
    """Each column's width, in points."""
    fill: tuple[float, ...]
    """Each column's content height, in points, at *spacing*."""
    spacing: float
    """How open the lines and paragraphs are: 0 close (to fit) … 1 airy (to fill the page)."""
    closing_spacing: float
    """The closing panel's (contacts and sources) own spacing: it may open further to fill its column."""


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


def _emptiness(fill: tuple[float, ...] | list[float], grid: float) -> float:
    """What the empty space at the foot of a page's columns costs: the mean of their squares (ragged columns
    cost most), plus the emptiest column's square (so a half-empty column is never the price of a full one)."""
    empty = [(grid - f) / grid for f in fill]
    return sum(e * e for e in empty) / len(empty) + max(empty) ** 2


def _head_gap(spacing: float, gaps: float = 0.0) -> float:
    return (2 + 1.5 * spacing + 1.5 * gaps) * mm


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
                y -= max(badge, h) + tile.head_gap
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
        self._heights: dict[tuple[float, float, float], list[float]] = {}
        self._labels: dict[tuple[str, float], float] = {}
        self.scale: list[float] | None = None
        """While finding what to trim: the share of each panel's height that would be left."""

    def build(self, size: float, width: float, only: range | None = None, spacing: float = 0.0,
              closing_spacing: float | None = None, gaps: float = 0.0) -> list[list[Flowable]]:
        """Each panel's flowables at *size* points and *spacing* (0 close … 1 airy) for a column *width* wide
        (only those in *only*); the closing panel may have a *closing_spacing* of its own, and *gaps* opens the
        space between paragraphs further."""
        r = self.r
        contents: list[list[Flowable]] = []
        r.width_override = width - 2 * PAD
        try:
            r.set_body_size(size, spacing, gaps)
            for i, section in enumerate(self.sections):
                if only is not None and i not in only:
                    contents.append([])
                    continue
                with r.inside(Element("Sect", r.root)) as sect:  # each panel a section of the structure tree
                    self.tiles[i].heading = Element("H2", sect)
                    contents.append([f for child in section.blocks for f in r.flowables(child)])
            if self.closing:
                closing = only is None or len(self.sections) in only
                r.set_body_size(size, spacing if closing_spacing is None else closing_spacing, gaps)
                contents.append([f for block in self.closing for f in r.flowables(block, compact=True)]
                                if closing else [])
        finally:
            r.width_override = None
        return contents

    def heights(self, size: float, width: float, spacing: float = 0.0) -> list[float]:
        """Each panel's height at *size* points and *spacing* in a column *width* wide."""
        key = (size, round(width, 3), spacing)
        if key not in self._heights:
            contents = self.build(size, width, spacing=spacing)
            self._heights[key] = [self._height(tile, content, width, spacing)
                                  for tile, content in zip(self.tiles, contents, strict=True)]
        if self.scale is not None:
            return [h * k for h, k in zip(self._heights[key], self.scale, strict=True)]
        return self._heights[key]

    def _height(self, tile: Tile, content: list[Flowable], width: float, spacing: float, gaps: float = 0.0) -> float:
        inner = width - 2 * PAD
        head = self._label_height(tile.label, inner) + _head_gap(spacing, gaps) if tile.number else 0
        return head + _content_height(content, inner, self.canv) + 2 * PAD

    def _label_height(self, label: str, inner: float) -> float:
        """A panel label's height at *inner* width: the same at every body size and spacing, so measured once."""
        key = (label, inner)
        if key not in self._labels:
            self._labels[key] = _label_height(self.r, label, inner, self.canv)
        return self._labels[key]

    def grids(self, columns: int, airy: bool) -> list[tuple[float, ...]]:
        """The column widths a page of *columns* columns may have: equal, or for two columns also unequal."""
        if columns != 2 or not airy:
            return [(_column_width(self.width, columns),) * columns]
        room = self.width - GUTTER
        return [(room * share, room * (1 - share)) for share in SHARES]

    def page(self, size: float, first: int, last: int, grid: float, airy: bool = True) -> PagePlan | None:
        """The best way to put panels first..last-1 on a page of height *grid*, or None if none fits.

        A way fits if it fits with the closest spacing. Each fitting way is then opened up as far as its
        fullest column allows (the closing panel on its own further, up to airy), and what is left empty at
        the foot of each column, squared, is its cost: ragged columns and half-empty pages cost most.
        Without *airy*, only whether anything fits is found (quick), in columns of equal width.
        """
        best: tuple[float, PagePlan] | None = None
        closing = len(self.tiles) - 1 if self.closing else -1
        for columns in COLUMNS:
            count = min(columns, last - first)
            for widths in self.grids(columns, airy):
                close = [self.heights(size, w) for w in widths]
                for cuts in combinations(range(first + 1, last), count - 1):
                    bounds = (first, *cuts, last)
                    spans = list(pairwise(bounds))
                    fill0 = [sum(close[c][a:b]) + GUTTER * (b - a - 1) for c, (a, b) in enumerate(spans)]
                    if max(fill0) > grid:
                        continue
                    if not airy:
                        return PagePlan(first, last, bounds, widths[:count], tuple(fill0), 0.0, 0.0)
                    loose = [self.heights(size, w, 1.0) for w in widths]
                    fill1 = [sum(loose[c][a:b]) + GUTTER * (b - a - 1) for c, (a, b) in enumerate(spans)]
                    spacing = min([1.0, *((grid - f0) / (f1 - f0) for f0, f1 in zip(fill0, fill1, strict=True)
                                          if f1 > f0)])
                    fill = [f0 + spacing * (f1 - f0) for f0, f1 in zip(fill0, fill1, strict=True)]
                    closing_spacing = spacing
                    for c, (a, b) in enumerate(spans):
                        if a <= closing < b and loose[c][closing] > close[c][closing]:
                            grow = loose[c][closing] - close[c][closing]
                            closing_spacing = min(1.0, spacing + (grid - fill[c]) / grow)
                            fill[c] += (closing_spacing - spacing) * grow
                    cost = _emptiness(fill, grid) + (columns - count) * 0.5 + TIGHT * (1 - spacing)
                    cost += UNEQUAL * abs(widths[0] - widths[-1]) / self.width
                    if best is None or cost < best[0]:
                        best = (cost, PagePlan(first, last, bounds, widths[:count], tuple(fill), spacing,
                                               closing_spacing))
        return best[1] if best else None

    def search(self, sizes: tuple[float, ...] = SIZES, airy: bool = True, most: int = 2) -> Plan | None:
        """The best plan: one page if any size fits, else two (at *most* pages); then the largest text; then the
        most even."""
        n = len(self.tiles)
        for pages in range(1, most + 1):
            grids = (self.front,) if pages == 1 else (self.front, self.back)
            if pages == 1 and len(sizes) > 1 and self.search(sizes[-1:], airy=False, most=1) is None:
                continue  # what does not fit one page in the smallest text fits it in none (and is quick to see)
            for size in sizes:
                plans = []
                for split in (n,) if pages == 1 else [split for split in SPLITS if 0 < split < n]:
                    spans = ((0, n),) if pages == 1 else ((0, split), (split, n))
                    if not all(self.page(size, a, b, g, airy=False) for (a, b), g in zip(spans, grids, strict=True)):
                        continue
                    if not airy:
                        return Plan(size, (), 0.0)
                    found = [self.page(size, a, b, g) for (a, b), g in zip(spans, grids, strict=True)]
                    chosen = tuple(p for p in found if p is not None)
                    cost = self._cost(chosen, grids) + (pages == 2 and split != 4) * SPLIT_COST
                    plans.append(Plan(size, chosen, cost))
                if plans:
                    return min(plans, key=lambda p: p.cost)
        return None

    def _cost(self, pages: tuple[PagePlan, ...], grids: tuple[float, ...]) -> float:
        return sum(_emptiness(p.fill, g) + TIGHT * (1 - p.spacing) + UNEQUAL * abs(p.widths[0] - p.widths[-1])
                   / self.width for p, g in zip(pages, grids, strict=True))

    def place(self, plan: Plan) -> list[list[Tile]]:
        """Lay out each page's panels at their column's width and page's spacing; each column's spare height goes
        to its panels in proportion to their content, so every column ends level and no panel is left half empty."""
        out = []
        for page, grid in zip(plan.pages, (self.front, self.back), strict=False):
            spans = list(pairwise(page.bounds))
            spacing, closing_spacing = page.spacing, page.closing_spacing
            while True:  # the spacing was estimated; close it up until every column fits, as it does at 0
                content: dict[int, list[Flowable]] = {}
                heights: dict[int, float] = {}
                for width, (a, b) in zip(page.widths, spans, strict=True):
                    built = self.build(plan.size, width, range(a, b), spacing, closing_spacing)
                    for i in range(a, b):
                        own = spacing if self.tiles[i].number else closing_spacing
                        content[i], heights[i] = built[i], self._height(self.tiles[i], built[i], width, own)
                fill = [sum(heights[i] for i in range(a, b)) + GUTTER * (b - a - 1) for a, b in spans]
                if max(fill) <= grid + 0.01 or spacing == closing_spacing == 0:
                    break
                spacing, closing_spacing = max(0.0, spacing - 0.05), max(0.0, closing_spacing - 0.05)
            tiles = []
            x = 0.0
            for column, (width, (a, b)) in enumerate(zip(page.widths, spans, strict=True)):
                spare = max(0.0, grid - fill[column])
                total = sum(heights[i] for i in range(a, b))
                y = 0.0
                for i in range(a, b):
                    tile = self.tiles[i]
                    own = spacing if tile.number else closing_spacing
                    tile.content, tile.width = content[i], width
                    tile.height = heights[i] + spare * heights[i] / total
                    tile.head_gap = _head_gap(own)
                    if tile.height - heights[i] > 1:
                        self._open_up(plan.size, width, i, own, heights[i])
                    tile.x, tile.y = x, y
                    y += tile.height + GUTTER
                    tiles.append(tile)
                x += width + GUTTER
            out.append(tiles)
        return out

    def _open_up(self, size: float, width: float, i: int, spacing: float, height: float) -> None:
        """Spread panel *i*'s paragraphs and list items (not its lines) over the height it was given, as far as
        GAPS allows, so its white space is shared out rather than left as a block at its foot."""
        tile = self.tiles[i]

        def built(gaps: float) -> tuple[list[Flowable], float]:
            content = self.build(size, width, range(i, i + 1), spacing, spacing, gaps)[i]
            return content, self._height(tile, content, width, spacing, gaps)

        _, opened = built(1.0)
        if opened <= height:
            return
        gaps = min(GAPS, (tile.height - height) / (opened - height))
        while gaps > 0:
            content, h = built(gaps)
            if h <= tile.height + 0.01:
                tile.content, tile.head_gap = content, _head_gap(spacing, gaps)
                return
            gaps = round(gaps - 0.1, 6)

    def too_long(self) -> list[tuple[str, str, int]]:
        """Which panels to trim, and by about how many words, for two pages of 9 pt text.

        The cut is level, from the longest panel down: the largest word count every panel may keep so that
        the panels fit, found by trying the layout with each panel shortened in proportion.
        """
        words = [t.words for t in self.tiles]

        def fits(cap: int) -> bool:
            self.scale = [min(1.0, cap / w) if w else 1.0 for w in words]
            try:
                return self.search(SIZES[-1:], airy=False) is not None
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
