"""Layout decisions remembered within a process (memo.py): the same bytes with or without them, never
shared by documents whose layout inputs differ, and really used in a batch."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import EXAMPLE_BRANDS, EXAMPLE_PACKS, ROOT, copy_examples

FONTS_OF_GLOUCESTERSHIRE = """fonts:
  family: Fira Sans
  package: fontpkg_fira_sans
  regular: FiraSans-Regular.ttf
  bold: FiraSans-Bold.ttf
  italic: FiraSans-Italic.ttf
  bold_italic: FiraSans-BoldItalic.ttf
  word: Arial
"""


def copy_brand(project: Path, base: str, name: str, new_name: str, fonts: str | None = None) -> None:
    """A copy of brand *base* called *name*, its board named *new_name* (and in other *fonts*, if given)."""
    target = project / "branding" / name
    shutil.copytree(project / "branding" / base, target)
    text = (target / "brand.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^name: .*$", f"name: {new_name}", text, count=1)
    if fonts:
        text = re.sub(r"(?ms)^fonts:\n(?:  .*\n)+", fonts, text, count=1)
    (target / "brand.yaml").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples, the linear and one-page tiles briefings, and copies of two brands under other boards' names
    (the same fonts and content, a different name in the contacts heading), as a batch would have them."""
    project = copy_examples(tmp_path_factory.mktemp("memo"))
    for fixture in ("linear-7mb.yaml", "tiles-7mb.yaml"):
        shutil.copy(ROOT / "tests" / "fixtures" / fixture, project / "packs" / fixture)
    copy_brand(project, "lancashire", "lancs-copy", "Board 7 · Lancashire Safeguarding Children Board")
    copy_brand(project, "lancashire", "lancs-copy2", "Board 8 · Lancashire Safeguarding Children Board")
    copy_brand(project, "lancashire", "lancs-long", "Board 12 of the Very Long Named Partnership for Safeguarding "
               "Children and Young People in Lancashire and Beyond")
    copy_brand(project, "gloucestershire", "glos-copy", "Board 3 · Gloucestershire Safeguarding Children Board")
    return project


@pytest.fixture(autouse=True)
def fresh_memos():
    from briefpack import memo

    memo.clear()
    yield
    memo.clear()


def documents(project: Path, packs: tuple[str, ...], brands: tuple[str, ...], editions: bool = False):
    """(name, document, brand) of each pack in each brand; with *editions* its kit and large-print edition too."""
    from briefpack.build import prepare
    from briefpack.compose import large_print
    from briefpack.kit import compose_kit

    out = []
    for job in prepare([project / "packs" / f"{pack}.yaml" for pack in packs], brands):
        name = f"{job.brand.id}/{job.pack.id}"
        out.append((name, job.document, job.brand))
        if editions:
            out.append((f"{name}-kit", compose_kit(job.pack, job.library, job.brand, job.document), job.brand))
            out.append((f"{name}-large-print", large_print(job.document), job.brand))
    return out


def render_all(docs) -> dict[str, bytes]:
    from briefpack.render.pdf import render_pdf

    return {name: render_pdf(document, brand)[0] for name, document, brand in docs}


def test_the_same_bytes_with_and_without_the_memos(batch: Path) -> None:
    """Every example pack and the linear and one-page tiles briefings in every example brand; the briefings in the
    brands' copies; kits and large-print editions of a linear briefing and of a handout: rendered with nothing
    remembered, then twice in one process (the second time from the memos)."""
    from briefpack import memo
    from briefpack.render.figures import QR_OPS
    from briefpack.render.pdf import ENDINGS
    from briefpack.render.tiles import BLOCKS, PLANS

    briefings = ("lancashire-7mb", "linear-7mb", "tiles-7mb")
    copies = ("lancs-copy", "lancs-copy2", "lancs-long", "glos-copy")
    docs = documents(batch, (*EXAMPLE_PACKS, *briefings[1:]), EXAMPLE_BRANDS) + documents(batch, briefings, copies)
    editions = documents(batch, ("linear-7mb", "ten-principles"), EXAMPLE_BRANDS, editions=True)
    docs += [doc for doc in editions if doc[0].endswith(("-kit", "-large-print"))]
    with memo.off():
        alone = render_all(docs)
    assert (BLOCKS.hits, PLANS.hits, ENDINGS.hits) == (0, 0, 0) and not BLOCKS.data and not ENDINGS.data
    first = render_all(docs)
    assert BLOCKS.hits and ENDINGS.hits, "boards sharing fonts and content share decisions in one batch"
    assert QR_OPS.hits, "a QR code in the same colour and font is drawn once"
    assert PLANS.hits == 0, "no two tiles documents have the same contacts heading"
    again = render_all(docs)
    tiles = sum(document.layout == "tiles" for _, document, _ in docs)
    assert tiles == 2 * 8 and PLANS.hits == tiles, "each tiles document laid out at once the second time"
    differ = sorted(name for name in alone if not alone[name] == first[name] == again[name])
    assert differ == []


def tiles_layout(document, brand):  # noqa: ANN001, ANN201 - a Document and Brand; the Layout
    """The tiles Layout of *document* as render_pdf made it."""
    from briefpack.render import tiles
    from briefpack.render.pdf import render_pdf

    made = []
    lay_out = tiles.Layout.lay_out

    def keep(self):  # noqa: ANN001, ANN202
        made.append(self)
        self.pages = lay_out(self)
        return self.pages

    tiles.Layout.lay_out = keep
    try:
        render_pdf(document, brand)
    finally:
        tiles.Layout.lay_out = lay_out
    [layout] = made
    return layout


def tiles_job(project: Path, brand: str, pack: str = "lancashire-7mb"):  # noqa: ANN201
    from briefpack.build import prepare

    [job] = prepare([project / "packs" / f"{pack}.yaml"], brand)
    return job.document, job.brand


def test_a_plan_is_not_shared_by_brands_in_other_fonts(batch: Path) -> None:
    from briefpack.render.tiles import BLOCKS, PLANS

    copy = batch / "branding" / "lancs-fira"
    if not copy.exists():
        copy_brand(batch, "lancashire", "lancs-fira", "Lancashire Safeguarding Children Board",
                   FONTS_OF_GLOUCESTERSHIRE)
    lato = tiles_layout(*tiles_job(batch, "lancashire"))
    hits = BLOCKS.hits
    fira = tiles_layout(*tiles_job(batch, "lancs-fira"))
    assert BLOCKS.hits == hits, "no block is measured once for both fonts"
    assert (PLANS.hits, PLANS.misses) == (0, 2)
    assert lato.look != fira.look
    size = lato.pages[0][0].width
    assert lato.metrics[0][0] is not fira.metrics[0][0]
    assert lato.heights(11.0, size)[:7] != fira.heights(11.0, size)[:7], "the same panels measure otherwise"


def test_nothing_is_shared_by_documents_at_another_scale(batch: Path) -> None:
    """The large-print edition (every size 1.6 times) of the linear briefing ends otherwise, and is not given the
    normal edition's ending; a tiles document at that scale (its lists are indented by it) gets its own plan."""
    from briefpack.compose import large_print
    from briefpack.render.pdf import ENDINGS, render_pdf
    from briefpack.render.tiles import BLOCKS, PLANS

    document, brand = tiles_job(batch, "lancashire", "linear-7mb")
    render_pdf(document, brand)
    render_pdf(large_print(document), brand)
    assert (ENDINGS.hits, ENDINGS.misses) == (0, 2)
    normal, large = ENDINGS.data.values()
    assert normal[2] < large[2], "the large print takes more pages"

    document, brand = tiles_job(batch, "lancashire")
    normal_layout = tiles_layout(document, brand)
    hits = BLOCKS.hits
    large_layout = tiles_layout(replace(document, large_print=True), brand)
    assert BLOCKS.hits == hits and (PLANS.hits, PLANS.misses) == (0, 2)
    assert normal_layout.look != large_layout.look


def test_a_plan_is_not_shared_when_one_panel_says_more(batch: Path) -> None:
    from briefpack.document import Para, Section
    from briefpack.markup import Span
    from briefpack.render.tiles import BLOCKS, PLANS

    document, brand = tiles_job(batch, "lancashire")
    before = tiles_layout(document, brand)
    blocks = list(document.blocks)
    third = next(i for i, b in enumerate(blocks) if isinstance(b, Section) and b.number == "03")
    more = Para((Span("Write down who will do what and by when, and check that it was done. " * 6),))
    blocks[third] = replace(blocks[third], blocks=(*blocks[third].blocks, more))
    hits, misses = BLOCKS.hits, BLOCKS.misses
    after = tiles_layout(replace(document, blocks=tuple(blocks)), brand)
    assert (PLANS.hits, PLANS.misses) == (0, 2), "the plan of the shorter panel is not used"
    assert BLOCKS.misses - misses == 1, "only the new block is measured anew"
    assert BLOCKS.hits - hits == sum(len(m) for m in after.metrics) - 1
    width = before.pages[0][0].width
    old, new = before.heights(11.0, width), after.heights(11.0, width)
    assert [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b] == [2], "panel 03 is taller"
    assert new[2] > old[2]


def test_a_further_board_is_laid_out_from_the_memos(batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a batch a further tiles briefing in the same fonts builds only what it draws (and its contacts
    heading, which names its board), and a further linear briefing is rendered once, not twice."""
    from briefpack.document import ContactBlock, Section, TitleBlock
    from briefpack.render import pdf
    from briefpack.render.pdf import ENDINGS, render_pdf

    built: list[object] = []
    renders: list[bool] = []
    saves: list[bool] = []
    flowables, lay_out, finish = pdf.Renderer.flowables, pdf.Renderer.lay_out, pdf.Renderer.finish
    monkeypatch.setattr(pdf.Renderer, "flowables",
                        lambda self, b, *a, **k: built.append(b) or flowables(self, b, *a, **k))
    monkeypatch.setattr(pdf.Renderer, "lay_out", lambda self, d: renders.append(self.snug) or lay_out(self, d))
    monkeypatch.setattr(pdf.Renderer, "finish", lambda self: saves.append(self.snug) or finish(self))

    document, brand = tiles_job(batch, "lancs-copy")
    render_pdf(document, brand)
    first = len(built)
    built.clear()
    render_pdf(*tiles_job(batch, "lancs-copy2"))
    sections = [b for b in document.blocks if isinstance(b, Section)]
    closing = [b for b in document.blocks if not isinstance(b, (Section, TitleBlock))]
    assert first > 3 * (len(sections) + len(closing)), "the first board's search builds its panels several times"
    headings = [b for b in built if isinstance(b, ContactBlock) and not b.entries]
    assert len(built) - len(headings) == sum(len(s.blocks) for s in sections) + len(closing), \
        "the further board's panels are built once each, to be drawn; only its contacts heading is measured"

    renders.clear()
    saves.clear()
    render_pdf(*tiles_job(batch, "lancs-copy", "linear-7mb"))
    assert renders == [False, True], "the first board's: as it is, then set closer (its last page was nearly empty)"
    assert saves == [True], "only the layout kept is saved as a PDF"
    renders.clear()
    saves.clear()
    render_pdf(*tiles_job(batch, "lancs-copy2", "linear-7mb"))
    assert renders == [True], "the next board's: rendered once, set closer as remembered"
    assert saves == [True]
    assert ENDINGS.hits == 1


def test_a_remembered_ending_that_does_not_hold_is_found_again(batch: Path) -> None:
    from briefpack.render.pdf import ENDINGS, render_pdf

    job = tiles_job(batch, "lancashire", "linear-7mb")
    right = render_pdf(*job)[0]
    [key] = ENDINGS.data
    snug, push, pages, fill = ENDINGS.data[key]
    ENDINGS.data[key] = (snug, push, pages + 1, fill)  # as if another layout had been remembered
    assert render_pdf(*job)[0] == right
    assert ENDINGS.data[key] == (snug, push, pages, fill), "found again and remembered right"


def test_contacts_headings_measured_apart_measure_as_the_whole_block(batch: Path) -> None:
    """The tiles memo measures a contacts block's heading apart from its entries (tiles._pieces): the pieces'
    flowables measure as the block's own, in every example brand, at the sizes and spacings the search tries."""
    from briefpack.document import ContactBlock
    from briefpack.render.tiles import PAD, SIZES, _pieces

    for brand_id in EXAMPLE_BRANDS:
        document, brand = tiles_job(batch, brand_id)
        layout = tiles_layout(document, brand)
        contacts = [b for b in layout.closing if isinstance(b, ContactBlock)]
        assert contacts
        r = layout.r
        for size in SIZES[::2]:
            for spacing in (0.0, 1.0):
                r.set_body_size(size, spacing)
                r.width_override = inner = layout.width / 3 - 2 * PAD

                for block in contacts:
                    whole = measure(r.flowables(block, compact=True), layout.canv, inner)
                    pieces = [m for piece, drop in _pieces(block)
                              for m in measure(r.flowables(piece, compact=True)[drop:], layout.canv, inner)]
                    assert pieces == whole


def test_text_built_once_measures_as_built_for_each_width(batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search builds a text or list once and wraps it at each column width it tries (tiles._rewrappable):
    every panel of every example tiles briefing measures the same as when built anew for each width."""
    from briefpack import memo
    from briefpack.render import tiles

    for pack in ("lancashire-7mb", "tiles-7mb"):
        for brand_id in EXAMPLE_BRANDS:
            document, brand = tiles_job(batch, brand_id, pack)
            with memo.off():
                once = tiles_layout(document, brand)
                with monkeypatch.context() as m:
                    m.setattr(tiles, "_rewrappable", lambda piece, compact: False)
                    anew = tiles_layout(document, brand)
            assert any(any(row) for row in once.rewrap) and not any(any(row) for row in anew.rewrap)
            assert once.metrics == anew.metrics, f"{brand_id}/{pack}"


def measure(flowables, canv, width: float) -> list[tuple[float, float, float]]:  # noqa: ANN001
    return [(f.wrapOn(canv, width, 10_000)[1], f.getSpaceBefore(), f.getSpaceAfter()) for f in flowables]


def test_the_memos_stay_small() -> None:
    from briefpack.memo import Memo
    from briefpack.render.pdf import ENDINGS
    from briefpack.render.tiles import BLOCKS, PLANS

    lru: Memo[int] = Memo(2)
    for n in range(5):
        lru.put(n, n)
    assert lru.get(3) == 3 and lru.get(2) is None and list(lru.data) == [4, 3]
    assert (BLOCKS.size, PLANS.size, ENDINGS.size) == (512, 32, 64)


def test_a_memo_tells_what_it_forgets_and_keeps_none_as_a_value() -> None:
    from briefpack import memo
    from briefpack.memo import Memo

    gone: list[tuple[object, object]] = []
    lru: Memo[str | None] = Memo(2, lambda key, value: gone.append((key, value)))
    made: list[int] = []
    for n in (1, 2, 1, 3):
        lru.recall(n, lambda n=n: made.append(n) or (None if n == 1 else str(n)))  # type: ignore[misc]
    assert made == [1, 2, 3] and gone == [(2, "2")] and list(lru.data) == [1, 3]  # 1 was used last: 2 went
    lru.clear()
    assert gone == [(2, "2"), (1, None), (3, "3")] and not lru
    with memo.off():
        assert lru.recall(4, lambda: "4") == "4" and not lru


def test_a_qr_code_is_drawn_again_for_another_colour_or_font_and_reads_back(batch: Path, tmp_path: Path) -> None:
    """The QR codes of ten-principles in Lancashire, again in Lancashire (from the memo), in a copy in other
    fonts and in Gloucestershire's colours: each draws its own, and every one still reads back."""
    import subprocess

    from briefpack.render.figures import QR_OPS
    from briefpack.render.pdf import render_pdf

    copy = batch / "branding" / "lancs-fira-qr"
    if not copy.exists():
        copy_brand(batch, "lancashire", "lancs-fira-qr", "Board 9 · Lancashire Safeguarding Children Board",
                   FONTS_OF_GLOUCESTERSHIRE)
    docs = documents(batch, ("ten-principles",), ("lancashire", "lancs-fira-qr", "gloucestershire"))
    docs.insert(1, docs[0])
    pdfs, counts = [], []
    for _, document, brand in docs:
        pdfs.append(render_pdf(document, brand)[0])
        counts.append((QR_OPS.misses, QR_OPS.hits))
    codes = counts[0][0]
    assert codes >= 1
    assert counts == [(codes, 0), (codes, codes), (2 * codes, codes), (3 * codes, codes)]
    assert pdfs[0] == pdfs[1]
    if shutil.which("zbarimg") and shutil.which("pdftoppm"):
        for n, pdf in enumerate(pdfs[2:], start=2):
            (tmp_path / f"{n}.pdf").write_bytes(pdf)
            subprocess.run(["pdftoppm", "-png", "-r", "150", str(tmp_path / f"{n}.pdf"), str(tmp_path / f"p{n}")],
                           check=True)
            found = subprocess.run(["zbarimg", "-q", *map(str, sorted(tmp_path.glob(f"p{n}-*.png")))],
                                   capture_output=True, text=True).stdout
            assert "QR-Code:https://" in found


ODD_TILES = """kind: seven-minute-briefing
title: Tiles with every kind of content
date: 2019-05
brand: lancashire
layout: tiles
sections:
  - label: Background
    text: Reviews of serious cases, nationally and in one board's area, 2014 to 2019.
    sources: [bscb-scrs-2014, national-panel-2018-19]
  - lessons: [culture-of-challenge, collaboration-to-identify-vulnerable-families, working-with-both-parents]
    statistics: [scrs-published-2018-19, notifications-2018-19]
  - lessons: [child-until-18, self-harm-risk-assessment]
    links: [learning-from-serious-case-reviews-elearning]
  - lessons: [longer-term-experiences, deviate-from-rigid-structures]
    show: numbered
  - lessons: [concealed-pregnancies]
    show: blocks
    chart:
      title: Characteristics of the children notified
      columns: [Characteristic, Percentage of children]
      statistics: [characteristic-domestic-abuse, characteristic-addiction]
  - actions: [reflect-on-briefing, take-to-supervision]
    points: ["See https://www.example.org/safeguarding/procedures/a-very-long-address/index.html first", "Short"]
  - questions: [fathers-views-heard, respond-to-domestic-abuse, know-child-experience]
    show: titles
"""
"""A two-page tiles briefing with what the examples' tiles lack: a QR link and a chart (tables, measured in
full), headed blocks, numbered and titled lists, a long address broken at its own places."""


def tiles_documents(project: Path):  # noqa: ANN201 - [(name, document, brand)]
    """The example tiles briefings, and ODD_TILES, in every example brand."""
    odd = project / "packs" / "tiles-odd.yaml"
    if not odd.exists():
        odd.write_text(ODD_TILES, encoding="utf-8")
    return documents(project, ("lancashire-7mb", "tiles-7mb", "tiles-odd"), EXAMPLE_BRANDS)


def test_lines_given_at_another_spacing_measure_as_broken_again(batch: Path) -> None:
    """The search breaks a piece's lines once per size and column width, at the closest spacing, and gives them
    to the piece built at any other spacing and gaps (tiles.Layout._measured), and to the panels drawn: every
    piece of every tiles briefing measures to the same floats as when its lines are broken again, at the sizes,
    widths, spacings and gaps the search tries, and far fewer lines are broken."""
    from reportlab.platypus import Paragraph

    from briefpack import memo
    from briefpack.render import tiles

    broken = 0
    original = Paragraph.breakLines

    def counted(self, widths):  # noqa: ANN001, ANN202
        nonlocal broken
        broken += 1
        return original(self, widths)

    for name, document, brand in tiles_documents(batch):
        with memo.off():
            found = tiles_layout(document, brand)
            drawn = [tile for page in found.pages for tile in page]
            assert all(tile.lines or not tiles._paragraphs(tile.content) for tile in drawn), "lines broken once"
            grids = (found.front, found.back)
            given, anew = (tiles.Layout(found.r, document, found.width, grids) for _ in range(2))
            anew.given_lines = False
            widths = {tiles._column_width(found.width, 3), *(w for grid in found.grids(2, True) for w in grid)}
            everyone = range(len(found.tiles))
            counts = []
            for layout in (given, anew):
                broken = 0
                Paragraph.breakLines = counted  # type: ignore[method-assign]
                try:
                    for size in (11.0, 9.5):
                        for spacing, gaps in ((0.0, 0.0), (0.35, 0.0), (1.0, 0.0), (0.7, 1.5)):
                            for width in sorted(widths):  # each width's lines broken, then given at each width
                                layout._measure(size, width, everyone, spacing, spacing, gaps)
                finally:
                    Paragraph.breakLines = original  # type: ignore[method-assign]
                counts.append(broken)
        assert given.metrics == anew.metrics, name
        assert given._lines and not anew._lines
        assert counts[0] < counts[1] / 2, f"{name}: lines broken {counts}"


def test_the_same_bytes_with_lines_given_and_broken_again(batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every tiles briefing in every example brand, and its large-print edition's layout inputs (a tiles document
    at 1.6 times the scale), rendered with lines given at other spacings and to the panels drawn, and with every
    line broken anew."""
    from briefpack import memo
    from briefpack.render import tiles

    docs = tiles_documents(batch)
    docs += [(f"{name}-large", replace(document, large_print=True), brand) for name, document, brand in docs]
    with memo.off():
        given = render_all(docs)
        monkeypatch.setattr(tiles.Layout, "given_lines", False)
        anew = render_all(docs)
    assert [name for name in given if given[name] != anew[name]] == []


def test_an_address_is_laid_out_again_only_where_its_breaks_move(batch: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A paragraph with a long address (pdf.AddressParagraph) parses its text again for a new width only when the
    places the address must break move; at every width it has the lines of a plain Paragraph of its text broken
    for that width."""
    from reportlab.platypus import Paragraph

    from briefpack.markup import Span
    from briefpack.render.pdf import AddressParagraph, Renderer

    def lines(paragraph: Paragraph) -> list[tuple[float, str]]:
        found = paragraph.blPara
        if found.kind == 0:
            return [(extra, " ".join(words)) for extra, words in found.lines]
        return [(line.extraSpace, "".join(getattr(w, "text", "") for w in line.words)) for line in found.lines]

    document, brand = tiles_job(batch, "lancashire")
    renderer = Renderer(brand, document)
    spans = (Span("See "), Span("www.example.org/safeguarding/procedures/a-very-long-address/index.html", bold=True),
             Span(" first, then the rest of the sentence."))
    again = renderer.para(spans)
    assert isinstance(again, AddressParagraph)
    parsed = 0
    init = Paragraph.__init__

    def counted(self, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        nonlocal parsed
        parsed += 1
        init(self, *args, **kwargs)

    widths = (420.0, 410.0, 300.0, 150.0, 140.0, 100.0, 420.0)  # breaks: none, none, 1, 2, 3, 4, none
    style = again.style
    for width in widths:
        anew = Paragraph(renderer.inline(spans, renderer.break_long_words(spans, width, style.fontSize)), style)
        monkeypatch.setattr(Paragraph, "__init__", counted)
        try:
            size = again.wrap(width, 1000)
        finally:
            monkeypatch.setattr(Paragraph, "__init__", init)
        assert size == anew.wrap(width, 1000) and lines(again) == lines(anew), width
    assert 1 < parsed < len(widths), "parsed again where the breaks moved, and only there"


def test_a_paragraph_wrapped_again_at_its_width_keeps_its_lines(batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines are broken once for each width in a row (pdfparts._wrap_once): fewer breaks than wraps, the same bytes
    as breaking them every time (test above), and broken again once a paragraph is split or drawn."""
    from briefpack import memo
    from briefpack.render.pdfparts import Paragraph
    from reportlab.lib.styles import ParagraphStyle

    counts = {"wrap": 0, "breakLines": 0}
    for name in counts:
        real = getattr(Paragraph, name)

        def counted(self, *args, real=real, name=name):  # noqa: ANN001, ANN002, ANN202
            counts[name] += 1
            return real(self, *args)

        monkeypatch.setattr(Paragraph, name, counted)
    docs = documents(batch, ("lancashire-7mb", "national-scr-precis"), ("lancashire",))
    with memo.off():
        alone = render_all(docs)
    each_time = dict(counts)
    counts.update(wrap=0, breakLines=0)
    assert render_all(docs) == alone
    assert counts["wrap"] == each_time["wrap"] and counts["breakLines"] < 0.8 * each_time["breakLines"]

    paragraph = Paragraph("Several words that take more than one line at this width.", ParagraphStyle("p"))
    counts.update(wrap=0, breakLines=0)
    paragraph.wrap(60, 1000)
    paragraph.wrap(60, 20)
    assert counts == {"wrap": 2, "breakLines": 1}
    paragraph.wrap(80, 1000)
    paragraph.wrap(60, 1000)
    assert counts["breakLines"] == 3
    paragraph.split(60, 30)
    paragraph.wrap(60, 1000)
    assert counts["breakLines"] > 3


def test_a_paragraph_parsed_once_is_never_shared_by_another_style_or_markup() -> None:
    """Markup parsed once per style (pdfparts._setup_once): each paragraph gets fragments of its own, in its own
    colour and font; a tag whose meaning is not in the markup alone (a <seq/>) is parsed every time."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    from briefpack.render.pdfparts import PARSED, Paragraph

    red, blue = ParagraphStyle("a", textColor=colors.red), ParagraphStyle("b", textColor=colors.blue)
    first = Paragraph("Some <b>bold</b> words", red)
    again = Paragraph("Some <b>bold</b> words", ParagraphStyle("c", textColor=colors.red))
    other = Paragraph("Some <b>bold</b> words", blue)
    assert PARSED.hits == 1
    assert [f.__dict__ for f in again.frags] == [f.__dict__ for f in first.frags]
    assert not {id(f) for f in again.frags} & {id(f) for f in first.frags}
    assert {f.textColor for f in other.frags} == {colors.blue} and {f.textColor for f in first.frags} == {colors.red}
    first.frags[0].text = "changed"
    assert Paragraph("Some <b>bold</b> words", red).frags[0].text == "Some "
    counted = [Paragraph("Figure <seq/>", red).getPlainText() for _ in range(2)]
    assert counted[0] != counted[1] and PARSED.hits == 2


def drawn(paragraph, width: float) -> bytes:  # noqa: ANN001
    """The page content of *paragraph* wrapped at *width*, split at a height of two lines, both parts drawn."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(io.BytesIO(), invariant=1, pageCompression=0)
    _, height = paragraph.wrapOn(canvas, width, 10_000)
    parts = paragraph.split(width, 2.5 * paragraph.style.leading) or [paragraph]
    y = 800.0
    for part in parts:
        _, h = part.wrapOn(canvas, width, 10_000)
        part.drawOn(canvas, 20, y - h)
        y -= h + 10
    return f"{height}|".encode() + canvas.getpdfdata().split(b"stream", 1)[1]


@pytest.mark.parametrize("markup", [
    "Plain words, enough of them to fill three or four lines of a narrow column of text, and then some more.",
    "Some <b>bold</b> words, a <a href=\"https://example.org/a\"><u>link</u></a> and <i>italic ones</i> too, "
    "enough to fill three or four lines of a narrow column.",
])
def test_a_paragraph_s_lines_are_broken_once_for_its_markup_style_and_width(markup: str) -> None:
    """Lines broken once (pdfparts.WRAPPED) for a paragraph of the same markup, style and width in another
    renderer: the second paragraph is not broken again, is split and drawn as if it had been, and drawing or
    splitting the first changes nothing the second is given; another width, size or colour is broken anew."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import paragraph as rl_paragraph

    from briefpack import memo
    from briefpack.render.pdfparts import WRAPPED, Paragraph

    broken: list[object] = []  # the paragraphs whose lines were broken (a split's parts are new paragraphs)
    break_lines = rl_paragraph.Paragraph.breakLines

    def counted(self, width):  # noqa: ANN001, ANN202
        broken.append(self)
        return break_lines(self, width)

    def style(**changes) -> ParagraphStyle:  # noqa: ANN003
        return ParagraphStyle("body", **{"fontName": "Helvetica", "fontSize": 11, "leading": 14,
                                         "textColor": colors.black, **changes})

    with memo.off():
        alone = drawn(Paragraph(markup, style()), 120)
    made = [Paragraph(markup, style()), Paragraph(markup, style())]
    others = [Paragraph(markup, style(**other)) for other in
              ({"textColor": colors.red}, {"fontSize": 11.5}, {"leading": 15}, {"fontSize": 11.0})]
    rl_paragraph.Paragraph.breakLines = counted
    try:
        first, second = drawn(made[0], 120), drawn(made[1], 120)
        for other in others:
            drawn(other, 120)
        wider = Paragraph(markup, style())
        drawn(wider, 121)
    finally:
        rl_paragraph.Paragraph.breakLines = break_lines
    assert made[0] in broken and made[1] not in broken, "the second paragraph's lines are the first's"
    assert WRAPPED.hits == 1
    assert first == second == alone
    assert all(other in broken for other in [*others, wider]), "another colour, size, leading, type or width"
    listed = style()
    listed.bp_note = ["a list: no key can be made of it"]  # type: ignore[attr-defined]
    hits = WRAPPED.hits
    assert drawn(Paragraph(markup, listed), 120) == alone and WRAPPED.hits == hits


def test_a_frame_copied_quickly_is_the_frame_deepcopy_makes(batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """reportlab deep-copies the frame being filled whenever it measures a list of flowables; briefpack's
    Frame.__deepcopy__ makes that copy without deepcopy's general machinery. The copy is what deepcopy made
    (attributes equal, lists copied), and every example pack in every example brand has the same bytes."""
    import copy

    from reportlab.platypus.frames import Frame

    import briefpack.render.pdfparts  # noqa: F401 - where Frame.__deepcopy__ is given

    frame = Frame(10, 20, 300, 400, id="later", leftPadding=0, rightPadding=1.5, topPadding=0, bottomPadding=2)
    frame._frameBGs = [(0, 0, "red")]
    quick = copy.deepcopy(frame)
    docs = documents(batch, EXAMPLE_PACKS, EXAMPLE_BRANDS)
    with_it = render_all(docs)
    monkeypatch.delattr(Frame, "__deepcopy__")
    general = copy.deepcopy(frame)
    assert type(quick) is type(general) is Frame and quick.__dict__ == general.__dict__ == frame.__dict__
    assert quick._frameBGs is not frame._frameBGs
    without = render_all(docs)
    assert [name for name in with_it if with_it[name] != without[name]] == []


def test_fragments_compare_as_reportlabs_own_samefrag_says(batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """rlsafe's sameFrag (reading a fragment's own attributes) answers as rl_accel's C one (getattr) for every pair of
    fragments the example documents, kits and large-print editions in every example brand compare, and for
    fragments with and without each attribute it reads; and the PDFs are the same bytes with either."""
    from reportlab.lib.colors import black, red
    from reportlab.lib.rl_accel import sameFrag
    from reportlab.platypus import paragraph
    from reportlab.platypus.paraparser import ParaFrag

    from briefpack import memo
    from briefpack.render import rlsafe

    assert paragraph.sameFrag is rlsafe._same_frag
    met: list[tuple[object, object]] = []

    def both(f: object, g: object) -> bool:
        met.append((f, g))
        return rlsafe._same_frag(f, g)

    monkeypatch.setattr(paragraph, "sameFrag", both)
    docs = documents(batch, EXAMPLE_PACKS, EXAMPLE_BRANDS, editions=True)
    with memo.off():
        ours = render_all(docs)
        monkeypatch.setattr(paragraph, "sameFrag", sameFrag)
        theirs = render_all(docs)
    assert [name for name in ours if ours[name] != theirs[name]] == []
    base = {"fontName": "F", "fontSize": 10, "textColor": black, "rise": 0, "text": "a"}
    variants = [ParaFrag(**base), ParaFrag(**base, link=None), ParaFrag(**base, us_lines=[]),
                ParaFrag(**base, lineBreak=True), ParaFrag(**base, cbDefn=None), ParaFrag(**{**base, "textColor": red}),
                ParaFrag(**{**base, "fontSize": 10.0}), ParaFrag(**base, backColor=None, nobr=0)]
    met += [(f, g) for f in variants for g in variants]
    assert len(met) > 1000
    assert [(f, g) for f, g in met if rlsafe._same_frag(f, g) != bool(sameFrag(f, g))] == []


def test_a_document_kept_as_it_is_is_laid_out_once_by_the_next_board(batch: Path) -> None:
    """Gloucestershire's eight lessons in Lancashire's look end on a short last page that setting the text
    closer cannot pull back, so the first board's document is laid out twice (as it is, then closer) and kept
    as it was. A second board with the same look is laid out once, as it is, and has the bytes it would have
    alone."""
    from briefpack import memo
    from briefpack.render import pdf

    docs = documents(batch, ("gloucestershire-8-lessons",), ("lancashire", "lancs-copy"))
    layouts: list[tuple[bool, int | None]] = []
    lay_out = pdf.Renderer.lay_out

    def counted(self, document):  # noqa: ANN001, ANN202
        layouts.append((self.snug, self.break_before))
        return lay_out(self, document)

    with memo.off():
        alone = render_all(docs)
    pdf.Renderer.lay_out = counted
    try:
        first = render_all(docs)
    finally:
        pdf.Renderer.lay_out = lay_out
    assert layouts == [(False, None), (True, None), (False, None)]
    assert [ending[:2] for ending in pdf.ENDINGS.data.values()] == [(False, None)]
    assert first == alone
