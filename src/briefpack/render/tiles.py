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

import contextlib
import math
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import combinations, pairwise

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, ListFlowable, Paragraph
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus.flowables import DDIndenter

from briefpack import readtime
from briefpack.frozen import frozen
from briefpack.document import (BulletList, ContactBlock, Document, Heading, NumberedList, Para, Section, TitleBlock,
                                TopBlock)
from briefpack.memo import Memo
from briefpack.render.pdfparts import Bookmarked, space_after
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
    lines: list[object] = field(default_factory=list)
    """The lines of the content's paragraphs as the search broke them, to be drawn with (empty: broken anew)."""
    heading: Element | None = None
    """The panel's H2 element (its number and label)."""
    head_gap: float = 2 * mm
    """Space between the panel's heading and its content."""
    height: float = 0.0
    width: float = 0.0
    x: float = 0.0
    y: float = 0.0
    """Top of the panel, from the top of the grid."""


@frozen
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


@frozen
class Plan:
    size: float
    pages: tuple[PagePlan, ...]
    cost: float


@frozen
class Recipe:
    """A plan as laid out: what place() settled on, so a document with the same layout inputs is laid out at once."""

    plan: Plan
    spacings: tuple[tuple[float, float], ...]
    """Each page's spacing and closing spacing, once closed up to fit."""
    gaps: tuple[float, ...]
    """How far each panel's paragraphs were spread to fill it (0: not)."""


Metrics = tuple[tuple[float, float, float], ...]
"""Each flowable of a block as measured: its height, the space before it and the space after it."""

BLOCKS: Memo[dict[tuple[float, float, float, float], Metrics]] = Memo(512)
"""(renderer's look, compact, block) -> {(size, column width, spacing, gaps): the block's metrics}. A block's
flowables depend only on the block, the fonts and scale (the look) and these values, not on the brand's name
or colours: boards sharing fonts share the measuring of the panels they share."""
PLANS: Memo[Recipe] = Memo(32)
"""(look, each panel's number, label and blocks, width, grid heights) -> the recipe laid out for them."""


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
            with _given_lines(_paragraphs(tile.content), tile.lines):
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

    given_lines = True
    """Whether a piece measured again at another spacing, and a panel drawn, is given the lines its paragraphs
    were broken into at the closest spacing (see _measured, _drawn_lines); the tests switch it off to compare."""

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
        self.look = renderer.look()
        self.blocks: list[tuple[TopBlock, ...]] = [s.blocks for s in self.sections]
        self.pieces: list[tuple[tuple[TopBlock, int], ...]] = [tuple((b, 0) for b in s.blocks) for s in self.sections]
        if self.closing:
            self.blocks.append(tuple(self.closing))
            self.pieces.append(tuple(piece for block in self.closing for piece in _pieces(block)))
        self.metrics = [[self._block_memo(piece, i == len(self.sections)) for piece in pieces]
                        for i, pieces in enumerate(self.pieces)]
        """Each panel's blocks' metrics by (size, width, spacing, gaps), shared by documents of the same look."""
        self._kept: dict[tuple[int, float, float, float, float], tuple[list[Flowable], Element | None]] | None = None
        """While placing: each panel as built to be measured, and its heading, to be drawn if chosen."""
        self.rewrap = [[_rewrappable(piece, i == len(self.sections)) for piece, _ in pieces]
                       for i, pieces in enumerate(self.pieces)]
        self._made: dict[tuple[int, int, float, float, float], list[Flowable]] = {}
        """(panel, piece, size, spacing, gaps) -> the piece's flowables, for pieces that are the same at every
        width (_rewrappable): the search measures each at up to four column widths, and builds it once."""
        self._lines: dict[tuple[int, int, float, float], list[tuple[type, object]]] = {}
        """(panel, piece, size, width) -> each of the piece's paragraphs' class and lines as broken at the closest
        spacing, given to its paragraphs at any other spacing (see _measured)."""
        self._heights: dict[tuple[float, float, float], list[float]] = {}
        self._labels: dict[tuple[str, float], float] = {}
        self.scale: list[float] | None = None
        """While finding what to trim: the share of each panel's height that would be left."""

    def _block_memo(self, piece: tuple[TopBlock, int],
                    compact: bool) -> dict[tuple[float, float, float, float], Metrics]:
        return BLOCKS.recall((self.look, compact, piece), dict)

    def build(self, size: float, width: float, only: Container[int] | None = None, spacing: float = 0.0,
              closing_spacing: float | None = None, gaps: float = 0.0,
              blocks: dict[int, set[int]] | None = None) -> list[list[list[Flowable]]]:
        """Each panel's flowables, piece by piece (see _pieces), at *size* points and *spacing* (0 close … 1 airy)
        for a column *width* wide (only those in *only*, and of those in *blocks* only the pieces it names); the
        closing panel may have a *closing_spacing* of its own, and *gaps* opens the space between paragraphs
        further."""
        r = self.r

        def wanted(i: int, k: int) -> bool:
            return blocks is None or i not in blocks or k in blocks[i]

        contents: list[list[list[Flowable]]] = []
        r.width_override = width - 2 * PAD
        try:
            r.set_body_size(size, spacing, gaps)
            for i in range(len(self.sections)):
                if only is not None and i not in only:
                    contents.append([])
                    continue
                with r.inside(Element("Sect", r.root)) as sect:  # each panel a section of the structure tree
                    self.tiles[i].heading = Element("H2", sect)
                    contents.append([r.flowables(child)[drop:] if wanted(i, k) else []
                                     for k, (child, drop) in enumerate(self.pieces[i])])
            if self.closing:
                closing = only is None or len(self.sections) in only
                r.set_body_size(size, spacing if closing_spacing is None else closing_spacing, gaps)
                i = len(self.sections)
                contents.append([r.flowables(block, compact=True)[drop:] if wanted(i, k) else []
                                 for k, (block, drop) in enumerate(self.pieces[i])] if closing else [])
        finally:
            r.width_override = None
        return contents

    def heights(self, size: float, width: float, spacing: float = 0.0) -> list[float]:
        """Each panel's height at *size* points and *spacing* in a column *width* wide."""
        key = (size, round(width, 3), spacing)
        if key not in self._heights:
            everyone = range(len(self.tiles))
            self._measure(size, width, everyone, spacing, spacing)
            self._heights[key] = [self._height(i, size, width, spacing) for i in everyone]
        if self.scale is not None:
            return [h * k for h, k in zip(self._heights[key], self.scale, strict=True)]
        return self._heights[key]

    def _own(self, i: int, spacing: float, closing_spacing: float) -> float:
        return spacing if self.tiles[i].number else closing_spacing

    def _measure(self, size: float, width: float, panels: range, spacing: float, closing_spacing: float,
                 gaps: float = 0.0) -> None:
        """Make sure the metrics of each panel in *panels* at these values are known: the panels that are not
        remembered are built and measured (and, while placing, kept to be drawn)."""
        missing: dict[int, set[int]] = {}
        made: dict[tuple[int, int], list[Flowable]] = {}
        """Pieces built earlier at another width, measured again at this one."""
        for i in panels:
            own = self._own(i, spacing, closing_spacing)
            unknown = {k for k, memo in enumerate(self.metrics[i]) if (size, width, own, gaps) not in memo}
            for k in unknown:
                if (i, k, size, own, gaps) in self._made:
                    made[i, k] = self._made[i, k, size, own, gaps]
            if unknown:
                missing[i] = unknown
        if not missing:
            return
        inner = width - 2 * PAD
        build = {i: {k for k in unknown if (i, k) not in made} for i, unknown in missing.items()}
        build = {i: pieces for i, pieces in build.items() if pieces}
        built = self.build(size, width, build, spacing, closing_spacing, gaps, build) if build else []
        for i, unknown in missing.items():
            own = self._own(i, spacing, closing_spacing)
            for k in unknown:
                flowables = made[i, k] if (i, k) in made else built[i][k]
                if self.rewrap[i][k]:
                    self._made[i, k, size, own, gaps] = flowables
                self.metrics[i][k][size, width, own, gaps] = self._measured(flowables, inner, (i, k, size, width),
                                                                            own == gaps == 0)
            if self._kept is not None and len(build.get(i, ())) == len(self.metrics[i]):  # built whole: may be drawn
                self._kept[i, size, width, own, gaps] = [f for piece in built[i] for f in piece], self.tiles[i].heading

    def _measured(self, flowables: list[Flowable], inner: float, where: tuple[int, int, float, float],
                  closest: bool) -> Metrics:
        """The metrics of a piece's *flowables* wrapped *inner* wide; *where* says which piece at which size and
        column width, *closest* whether at the closest spacing (0, no gaps).

        Spacing and gaps change no line break, only the leading and the space around paragraphs and list items
        (Renderer.set_body_size). So the lines reportlab breaks at the closest spacing are remembered, and at
        any other spacing the same piece's paragraphs are given them (_given_lines) instead of breaking their
        lines again, which is most of the search's time: reportlab's own wrap still works out every height and
        space from them, so the metrics are the same floats. A piece whose paragraphs do not match the ones
        remembered (none are, for one measured first at another spacing) is measured in full. The panels chosen
        are drawn with the same lines too (_drawn_lines).
        """
        paragraphs = _paragraphs(flowables) if self.given_lines else []
        known = None if closest else self._lines.get(where)
        with _given_lines(paragraphs, [] if known is None else _matching(known, paragraphs)):
            measured = []
            for f in flowables:
                _, h = f.wrapOn(self.canv, inner, 10_000)
                measured.append((h, f.getSpaceBefore(), f.getSpaceAfter()))
        if closest and self.given_lines:
            self._lines[where] = [(type(p), p.blPara) for p in paragraphs]
        return tuple(measured)

    def _height(self, i: int, size: float, width: float, spacing: float, gaps: float = 0.0) -> float:
        """Panel *i*'s height, from its blocks' metrics (see _measure): the same sum as _content_height's."""
        key = (size, width, spacing, gaps)
        total = 0.0
        n = 0
        for memo in self.metrics[i]:
            for h, before, after in memo[key]:
                total += h + (before if n else 0) + after
                n += 1
        tile = self.tiles[i]
        inner = width - 2 * PAD
        head = self._label_height(tile.label, inner) + _head_gap(spacing, gaps) if tile.number else 0
        return head + total + 2 * PAD

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
        # Rounded, so a grid and its mirror image have the same two widths to the bit (1 - 0.58 is not 0.42 in
        # binary floating point), and measure their panels once.
        return [(room * share, room * round(1 - share, 9)) for share in SHARES]

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

    def lay_out(self) -> list[list[Tile]]:
        """Each page's panels, placed: found by search(), or as a document with the same layout inputs was laid
        out earlier in this process (checked to fit again); TilesTooLong if even two pages cannot hold them."""
        key = (self.look, tuple((t.number, t.label) for t in self.tiles), tuple(self.blocks), self.width,
               self.front, self.back)
        recipe = PLANS.get(key)
        pages = None if recipe is None else self.arrange(recipe)
        if pages is not None:
            return pages
        plan = self.search()
        if plan is None:
            raise TilesTooLong(self.too_long())
        recipe = PLANS.put(key, self.place(plan))
        pages = self.arrange(recipe)
        self._kept = None
        assert pages is not None, "a recipe fits as it was found"
        return pages

    def place(self, plan: Plan) -> Recipe:
        """Decide each page's spacing, and how far each panel is opened up: each column's spare height goes to its
        panels in proportion to their content, so every column ends level and no panel is left half empty."""
        self._kept = {}
        spacings = []
        gaps = [0.0] * len(self.tiles)
        for page, grid in zip(plan.pages, (self.front, self.back), strict=False):
            spacing, closing_spacing = page.spacing, page.closing_spacing
            while True:  # the spacing was estimated; close it up until every column fits, as it does at 0
                heights, fill = self._fill(plan.size, page, spacing, closing_spacing)
                if max(fill) <= grid + 0.01 or spacing == closing_spacing == 0:
                    break
                spacing, closing_spacing = max(0.0, spacing - 0.05), max(0.0, closing_spacing - 0.05)
            spacings.append((spacing, closing_spacing))
            for column, (width, (a, b)) in enumerate(zip(page.widths, pairwise(page.bounds), strict=True)):
                spare = max(0.0, grid - fill[column])
                total = sum(heights[i] for i in range(a, b))
                for i in range(a, b):
                    height = heights[i] + spare * heights[i] / total
                    if height - heights[i] > 1:
                        gaps[i] = self._open_up(plan.size, width, i, self._own(i, spacing, closing_spacing),
                                                heights[i], height)
        return Recipe(plan, tuple(spacings), tuple(gaps))

    def _fill(self, size: float, page: PagePlan, spacing: float,
              closing_spacing: float) -> tuple[dict[int, float], list[float]]:
        """Each panel's height on *page* at these spacings, and each column's."""
        heights: dict[int, float] = {}
        spans = list(pairwise(page.bounds))
        for width, (a, b) in zip(page.widths, spans, strict=True):
            self._measure(size, width, range(a, b), spacing, closing_spacing)
            for i in range(a, b):
                heights[i] = self._height(i, size, width, self._own(i, spacing, closing_spacing))
        return heights, [sum(heights[i] for i in range(a, b)) + GUTTER * (b - a - 1) for a, b in spans]

    def arrange(self, recipe: Recipe) -> list[list[Tile]] | None:
        """The panels of each page placed as *recipe* says, with their content built to be drawn; None if they do
        not fit (a recipe remembered from another document is used only when it fits this one exactly)."""
        out = []
        size = recipe.plan.size
        for page, grid, (spacing, closing_spacing) in zip(recipe.plan.pages, (self.front, self.back),
                                                           recipe.spacings, strict=False):
            heights, fill = self._fill(size, page, spacing, closing_spacing)
            if max(fill) > grid + 0.01 and not spacing == closing_spacing == 0:
                return None
            tiles = []
            x = 0.0
            for column, (width, (a, b)) in enumerate(zip(page.widths, pairwise(page.bounds), strict=True)):
                spare = max(0.0, grid - fill[column])
                total = sum(heights[i] for i in range(a, b))
                y = 0.0
                for i in range(a, b):
                    tile = self.tiles[i]
                    own, gaps = self._own(i, spacing, closing_spacing), recipe.gaps[i]
                    tile.width = width
                    tile.height = heights[i] + spare * heights[i] / total
                    if gaps:
                        self._measure(size, width, range(i, i + 1), own, own, gaps)
                        if self._height(i, size, width, own, gaps) > tile.height + 0.01:
                            return None
                    tile.content, tile.heading = self._content(i, size, width, own, gaps)
                    tile.lines = self._drawn_lines(i, size, width, tile.content)
                    tile.head_gap = _head_gap(own, gaps)
                    tile.x, tile.y = x, y
                    y += tile.height + GUTTER
                    tiles.append(tile)
                x += width + GUTTER
            out.append(tiles)
        return out

    def _content(self, i: int, size: float, width: float, spacing: float,
                 gaps: float) -> tuple[list[Flowable], Element | None]:
        """Panel *i*'s flowables to be drawn, and its heading: as built to be measured, or built now."""
        kept = None if self._kept is None else self._kept.get((i, size, width, spacing, gaps))
        if kept is not None:
            return kept
        built = self.build(size, width, (i,), spacing, spacing, gaps)[i]
        return [f for block in built for f in block], self.tiles[i].heading

    def _drawn_lines(self, i: int, size: float, width: float, content: list[Flowable]) -> list:
        """The lines the search broke panel *i*'s paragraphs into at this size and width, for *content* (its
        flowables as drawn) to be drawn with: the same lines (spacing and gaps break none), not broken again.
        Empty when any of its pieces was not broken here (remembered from another document: see _measured)."""
        known: list[tuple[type, object]] = []
        for k in range(len(self.pieces[i])):
            piece = self._lines.get((i, k, size, width))
            if piece is None:
                return []
            known += piece
        return _matching(known, _paragraphs(content))

    def _open_up(self, size: float, width: float, i: int, spacing: float, height: float, room: float) -> float:
        """How far to spread panel *i*'s paragraphs and list items (not its lines) over the *room* it was given,
        at most GAPS, so its white space is shared out rather than left as a block at its foot (0: not)."""

        def opened(gaps: float) -> float:
            self._measure(size, width, range(i, i + 1), spacing, spacing, gaps)
            return self._height(i, size, width, spacing, gaps)

        most = opened(1.0)
        if most <= height:
            return 0.0
        gaps = min(GAPS, (room - height) / (most - height))
        while gaps > 0:
            if opened(gaps) <= room + 0.01:
                return gaps
            gaps = round(gaps - 0.1, 6)
        return 0.0

    def too_long(self) -> list[tuple[str, str, int]]:
        """Which panels to trim, and by about how many words, for two pages of 9 pt text.

        The cut is level, from the tallest panel down: the largest height every panel may keep so that the panels
        fit, found by trying the layout with each panel shortened in proportion, and told in words. Heights, not
        word counts, are levelled: a panel tall for its words (a dozen QR-coded links, one endless word) is the one
        named, where a cut of word counts named every panel but it.
        """
        words = [t.words for t in self.tiles]
        heights = self.heights(SIZES[-1], _column_width(self.width, COLUMNS[0]))
        per_word = sum(heights) / max(1, sum(words))
        room = [h / per_word for h in heights]  # each panel's height in words of the document's average height

        def fits(cap: int) -> bool:
            self.scale = [min(1.0, cap / r) if r else 1.0 for r in room]
            try:
                return self.search(SIZES[-1:], airy=False) is not None
            finally:
                self.scale = None

        low, high = 0, math.ceil(max(room))
        while low < high:  # the largest cap that fits
            middle = (low + high + 1) // 2
            if fits(middle):
                low = middle
            else:
                high = middle - 1
        return [(t.number, t.label, _about(round(t.words * (1 - low / r))))
                for t, r in zip(self.tiles, room, strict=True) if r > low]


def _pieces(block: TopBlock) -> tuple[tuple[TopBlock, int], ...]:
    """A block of the closing panel as parts built and measured apart, each with how many of its first flowables
    are another part's: a contacts block's flowables are its heading's, then its entries' (pdf.Renderer.flowables,
    compact), and the heading names the board while the entries are often the same for many boards."""
    if isinstance(block, ContactBlock) and block.entries:
        return (ContactBlock(block.heading, ()), 0), (ContactBlock("", block.entries), 1)
    return ((block, 0),)


def _rewrappable(piece: TopBlock, compact: bool) -> bool:
    """Whether *piece*'s flowables are the same at every column width, only laid out (wrapped) differently: text
    and lists are (a long address is broken again for each width it is wrapped at: pdf.AddressParagraph); a
    table, chart, QR box or field is made for its width."""
    return isinstance(piece, (Para, BulletList, NumberedList, Heading)) or (compact and isinstance(piece, ContactBlock))


def _paragraphs(flowables: list[Flowable]) -> list[Paragraph]:
    """The Paragraphs in *flowables*, in order, also those inside the lists, list items, headings and groups the
    renderer makes (a table's are not: they are measured by the table, in full)."""
    found: list[Paragraph] = []
    for f in flowables:
        if isinstance(f, Paragraph):
            found.append(f)
        elif isinstance(f, (ListFlowable, KeepTogether)):
            found += _paragraphs(f._content)
        elif isinstance(f, DDIndenter):
            found += _paragraphs([f._flowable])
        elif isinstance(f, Bookmarked):
            found += _paragraphs([f.inner])
    return found


def _matching(known: list[tuple[type, object]], paragraphs: list[Paragraph]) -> list:
    """The *known* lines, if they are of paragraphs of the same classes as *paragraphs*, in order; else none."""
    return [lines for _, lines in known] if [kind for kind, _ in known] == [type(p) for p in paragraphs] else []


@contextlib.contextmanager
def _given_lines(paragraphs: list[Paragraph], lines: list) -> Iterator[None]:
    """Inside, each of *paragraphs* is wrapped as a plain Paragraph given its *lines* (reportlab's ParaLines, as
    breakLines returned them for a paragraph of the same text, fonts, colours and width) instead of breaking its
    text again (an AddressParagraph would first lay its text out again for the width: pdf.AddressParagraph), and
    is drawn with them. After, each wraps as before. No lines: no change."""
    for paragraph, known in zip(paragraphs, lines, strict=False):
        paragraph.breakLines = lambda widths, known=known: known  # type: ignore[method-assign]
        paragraph.wrap = partial(Paragraph.wrap, paragraph)  # type: ignore[method-assign]
    try:
        yield
    finally:
        for paragraph in paragraphs[:len(lines)]:
            vars(paragraph).pop("breakLines", None)  # (a paragraph met twice is given its lines once)
            vars(paragraph).pop("wrap", None)


def _about(words: int) -> int:
    """A round number of words, never less than the true one: 'about 240 words'."""
    return max(10, math.ceil(words / 10) * 10)


def tiles_story(renderer, document: Document, width: float, height: float) -> list[Flowable]:  # noqa: ANN001
    """The pages' flowables in the tiles layout; TilesTooLong if even two pages of 9 pt text cannot hold it."""
    title = next(b for b in document.blocks if isinstance(b, TitleBlock))
    head = renderer.compact_title(title)
    front = height - _content_height(head, width) - 2 * mm
    back = height - renderer.later_top_extra
    pages = Layout(renderer, document, width, (front, back)).lay_out()
    renderer.tiles_pages = len(pages)
    story: list[Flowable] = [*head, TileGrid(pages[0], renderer, width, front)]
    for tiles in pages[1:]:
        story += [RLPageBreak(), TileGrid(tiles, renderer, width, back)]
    return story
