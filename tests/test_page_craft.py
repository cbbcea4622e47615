"""Linear PDFs laid out as a designer would: read back page by page (pagecheck.py says how).

No heading ends a page; a QR box is on the page of the heading before it; no page fills less than 15 % of
its text area (about seven lines: less looks like a mistake, and the layout pulls such a page back or sends
it more); no rule stands alone above the footer; page one's header does not print the board's name (the logo
says it). The awkward fixture and the lengthened introductions move every heading and QR box in turn to a
page's foot, so the rules are met by the layout, not by luck.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import pagecheck
from conftest import EXAMPLE_PACKS, ROOT

FIXTURES = ("linear-7mb", "awkward-handout")
SENTENCE = "This sentence lengthens the introduction so that what follows moves down the page a little. "
LONG = " – and a second line, because some lesson titles are long enough to wrap"


def linear_examples() -> list[str]:
    return [p for p in EXAMPLE_PACKS
            if "layout: tiles" not in (ROOT / "packs" / f"{p}.yaml").read_text(encoding="utf-8")]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import copy_examples

    from briefpack.build import build

    root = copy_examples(tmp_path_factory.mktemp("craft"))
    for name in FIXTURES:
        shutil.copy(ROOT / "tests" / "fixtures" / f"{name}.yaml", root / "packs" / f"{name}.yaml")
    packs = [root / "packs" / f"{p}.yaml" for p in [*linear_examples(), *FIXTURES]]
    build(packs, brand=None, formats=("pdf",), out=root / "output")
    return root / "output"


def test_the_linear_briefing_fixture_is_the_lancashire_briefing_laid_out_linear() -> None:
    pack = (ROOT / "packs" / "lancashire-7mb.yaml").read_text(encoding="utf-8")
    pack = re.sub(r"^layout: .*\n", "", pack, flags=re.M)
    assert (ROOT / "tests" / "fixtures" / "linear-7mb.yaml").read_text(encoding="utf-8") == pack.replace(
        "\nbrand: lancashire\n", "\nbrand: lancashire\nlayout: linear\n", 1)


@pytest.mark.parametrize("pack", [*linear_examples(), *FIXTURES])
def test_every_page_is_well_made(built: Path, pack: str) -> None:
    [path] = built.glob(f"*/{pack}.pdf")
    assert pagecheck.problems(path, cover=pack == "national-scr-precis") == []


@pytest.fixture(scope="module")
def large_print(built: Path) -> Path:
    from briefpack.build import run

    root = built.parent
    packs = [root / "packs" / f"{p}.yaml" for p in [*linear_examples(), *FIXTURES]]
    run(packs, brand=None, formats=("pdf",), out=root / "large-print", large_print=True)
    return root / "large-print"


@pytest.mark.parametrize("pack", [*linear_examples(), *FIXTURES])
def test_every_page_of_the_large_print_edition_is_well_made(large_print: Path, pack: str) -> None:
    from briefpack.render.pdf import LARGE_PRINT

    [path] = large_print.glob(f"*/{pack}-large-print.pdf")
    # Its headings are larger too: bold body text of 17.6 pt is not one.
    assert pagecheck.problems(path, cover=pack == "national-scr-precis",
                              heading_pt=pagecheck.HEADING_PT * LARGE_PRINT) == []


@pytest.mark.parametrize("pack", [*linear_examples(), *FIXTURES])
def test_page_one_header_does_not_print_the_board_name(built: Path, pack: str) -> None:
    import pdfplumber

    from briefpack.render.pdf import MARGIN_TOP

    [path] = built.glob(f"*/{pack}.pdf")
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        band = "".join(c["text"] for c in page.chars if c["bottom"] < MARGIN_TOP + 21 * pagecheck.MM)
        assert len(page.images) >= 1  # the logo, which names the board
    assert band.strip() == ""


def render_variant(blocks, job, name: str, tmp_path: Path) -> list[str]:  # noqa: ANN001
    from briefpack.render.pdf import render_pdf

    pdf, _ = render_pdf(replace(job.document, blocks=tuple(blocks)), job.brand)
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return pagecheck.problems(path)


def awkward_job(tmp_path: Path):  # noqa: ANN201 - a build.Job
    from conftest import copy_examples

    from briefpack.build import prepare

    root = copy_examples(tmp_path / "project")
    shutil.copy(ROOT / "tests" / "fixtures" / "awkward-handout.yaml", root / "packs" / "awkward-handout.yaml")
    [job] = prepare([root / "packs" / "awkward-handout.yaml"], None)
    return job


def test_qr_boxes_stay_with_their_heading_wherever_the_page_ends(tmp_path: Path) -> None:
    from briefpack.document import LinkBlock, Para
    from briefpack.markup import Span

    job = awkward_job(tmp_path)
    title, *rest = job.document.blocks
    at = next(i for i, b in enumerate(rest) if isinstance(b, LinkBlock))
    section = rest[at - 2:at + 1]  # 'E-learning', a line of text, the QR box
    found = {}
    for lines in range(18, 36):  # one line more each time: the section crosses the foot of page one
        filler = [Para((Span(f"Line {i}."),)) for i in range(lines)]
        found[lines] = render_variant([title, *filler, *section, *section], job, f"lines-{lines}", tmp_path)
    assert found == {n: [] for n in found}


def test_two_line_headings_and_nearly_empty_last_pages(tmp_path: Path) -> None:
    from briefpack.document import Heading, Para
    from briefpack.markup import Span

    job = awkward_job(tmp_path)
    title, *rest = (replace(b, text=b.text + LONG) if isinstance(b, Heading) and b.level == 2 else b
                    for b in job.document.blocks)
    found = {}
    for n in range(0, 20, 3):
        filler = Para((Span(("Filler. " + SENTENCE * (n // 2)).strip() + " Words." * (n % 2 * 6)),))
        found[n] = render_variant([title, filler, *rest], job, f"long-{n}", tmp_path)
    assert found == {n: [] for n in found}


def test_a_last_page_that_cannot_be_pulled_back_is_given_more(tmp_path: Path) -> None:
    """A QR box cannot split: when it alone would spill onto a last page, even with the text set closer, the
    last heading of the page before starts that page, so neither page is nearly empty."""
    from briefpack.document import Heading, LinkBlock, Para
    from briefpack.markup import Span

    job = awkward_job(tmp_path)
    title, *rest = job.document.blocks
    box = next(b for b in rest if isinstance(b, LinkBlock))
    fills = {}
    for lines in range(24, 36):
        filler = [Para((Span(f"Line {i}."),)) for i in range(lines)]
        blocks = [title, Heading("Lines", 1), *filler[:lines // 2], Heading("More lines", 1), *filler[lines // 2:],
                  Heading("The end", 1), box]
        render_variant(blocks, job, f"end-{lines}", tmp_path)
        fills[lines] = [round(page.fill, 2) for page in pagecheck.read_pages(tmp_path / f"end-{lines}.pdf")]
    assert {n: f for n, f in fills.items() if len(f) > 1 and min(f) < 0.2} == {}
