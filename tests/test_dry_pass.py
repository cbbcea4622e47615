"""A document with a contents list is laid out twice (the contents need the headings' pages); its first pass is
laid out without being drawn (pdfparts.DocTemplate.multiBuild, LayoutFrame). The PDF is the same bytes as with
reportlab's multiBuild, which draws every pass and keeps the last."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import EXAMPLE_BRANDS, EXAMPLE_PACKS, copy_examples
from test_layout_memo import documents


@pytest.fixture(autouse=True)
def fresh_memos():
    from briefpack import memo

    memo.clear()
    yield
    memo.clear()


def has_contents(document) -> bool:  # noqa: ANN001 - a Document
    from briefpack.document import Contents

    return any(isinstance(block, Contents) for block in document.blocks)


def rendered(document, brand, *, dry: bool) -> tuple[bytes, list[int]]:  # noqa: ANN001 - a Document, a Brand
    """The PDF and the headings' pages noted, with the dry first pass or with reportlab's multiBuild."""
    from reportlab.platypus import BaseDocTemplate

    from briefpack import memo
    from briefpack.render.pdf import _fitted
    from briefpack.render.pdfparts import DocTemplate

    memo.clear()
    own = DocTemplate.multiBuild
    if not dry:
        DocTemplate.multiBuild = BaseDocTemplate.multiBuild  # type: ignore[method-assign]
    try:
        renderer, data = _fitted(document, brand, True, False)
    finally:
        DocTemplate.multiBuild = own  # type: ignore[method-assign]
    return data, list(renderer.heading_pages)


@pytest.fixture(scope="module")
def with_contents(tmp_path_factory: pytest.TempPathFactory) -> list:
    project = copy_examples(tmp_path_factory.mktemp("dry"))
    docs = [doc for doc in documents(project, EXAMPLE_PACKS, EXAMPLE_BRANDS, editions=True) if has_contents(doc[1])]
    names = {name for name, _, _ in docs}  # a kit has no contents list
    assert names == {f"{brand}/national-scr-precis{edition}" for brand in EXAMPLE_BRANDS
                     for edition in ("", "-large-print")}
    return docs


def test_the_same_bytes_and_heading_pages_with_a_dry_first_pass(with_contents: list) -> None:
    """Every example with a contents list, in every brand, its kit and large-print editions too."""
    differ = [name for name, document, brand in with_contents
              if rendered(document, brand, dry=True) != rendered(document, brand, dry=False)]
    assert differ == []


def test_a_dry_pass_draws_nothing(with_contents: list) -> None:
    """No flowable is drawn in the first pass; every pass after it draws, and the contents learn every heading."""
    from reportlab.platypus import Flowable
    from reportlab.platypus.doctemplate import BaseDocTemplate

    from briefpack.render.pdfparts import ContentsList, DocTemplate

    drawn: dict[bool, int] = {True: 0, False: 0}
    passes: list[tuple[bool, int]] = []
    draw_on, contents_draw_on, build = Flowable.drawOn, ContentsList.drawOn, BaseDocTemplate.build

    def counting(original):  # noqa: ANN001, ANN202
        def draw(self, canv, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            drawn[canv._doctemplate.bp_dry] += 1
            return original(self, canv, *args, **kwargs)
        return draw

    def counting_build(self, story, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        result = build(self, story, *args, **kwargs)
        passes.append((self.bp_dry, len(self._indexingFlowables[0]._entries)))
        return result

    Flowable.drawOn = counting(draw_on)  # type: ignore[method-assign]
    ContentsList.drawOn = counting(contents_draw_on)  # type: ignore[method-assign]
    DocTemplate.build = counting_build  # type: ignore[method-assign]
    try:
        name, document, brand = with_contents[0]
        rendered(document, brand, dry=True)
    finally:
        Flowable.drawOn, ContentsList.drawOn = draw_on, contents_draw_on  # type: ignore[method-assign]
        del DocTemplate.build
    assert drawn[True] == 0 and drawn[False] > 50
    assert passes[0][0] and not any(dry for dry, _ in passes[1:])
    assert len({entries for _, entries in passes}) == 1 and passes[0][1] > 3, "each pass finds every heading"


def test_a_first_pass_that_satisfies_the_contents_is_drawn(with_contents: list) -> None:
    """A précis with only sub-headings: its contents are satisfied by the first pass, which reportlab keeps; the
    dry pass is then made again, drawn, and the page of each heading noted once."""
    from briefpack.document import ContactBlock, Contents, Heading

    name, document, brand = with_contents[0]
    blocks = [replace(b, level=2) if isinstance(b, Heading) else b for b in document.blocks]
    [contacts] = [b for b in blocks if isinstance(b, ContactBlock)]  # its heading: the outline's level 0
    blocks.remove(contacts)
    blocks.insert(blocks.index(next(b for b in blocks if isinstance(b, Contents))) + 1, contacts)
    bare = replace(document, blocks=type(document.blocks)(blocks))
    data, pages = rendered(bare, brand, dry=True)
    assert (data, pages) == rendered(bare, brand, dry=False)
    assert data.startswith(b"%PDF") and len(pages) == sum(isinstance(b, Heading) for b in bare.blocks)


def test_the_heading_pages_are_the_last_passs_alone(with_contents: list) -> None:
    """The pages a linear ending pushes a heading by are noted once a heading, from the pass that is kept: the
    list held the first pass's (laid out with an empty contents list) and then the second's, so an index into
    it could name the wrong heading or none."""
    from briefpack.render.pdf import _fitted
    from briefpack.render.pdfparts import _is_heading

    for name, document, brand in with_contents:
        renderer, _ = _fitted(document, brand, True, False)
        headings = sum(_is_heading(f) for block in document.blocks for f in renderer.flowables(block))
        pages = renderer.heading_pages
        assert headings > 3 and len(pages) == headings, name
        assert pages == sorted(pages) and pages[-1] <= renderer.pages, name
