"""The one-page tiles layout: seven tiles on landscape A4, read 01 to 07, never clipped."""

from __future__ import annotations

import re
import shutil
import subprocess
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE_BRANDS, ROOT, copy_examples, needs, norm, pdf_runs, pdf_text

LABELS = ["01 Background", "02 Why it matters", "03 Information", "04 Learning", "05 Learning into practice",
          "06 What to do", "07 Questions"]


def build_tiles(project: Path, run, name: str = "tiles-7mb.yaml"):
    shutil.copy(ROOT / "tests" / "fixtures" / "tiles-7mb.yaml", project / "packs" / name)
    return run("build", f"packs/{name}", "--format", "pdf")


def test_tiles_fit_one_landscape_page(project: Path, run) -> None:
    from pypdf import PdfReader

    result = build_tiles(project, run)
    assert result.exit_code == 0 and result.stderr == ""
    reader = PdfReader(project / "output" / "lancashire" / "tiles-7mb.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_tiles_read_01_to_07(project: Path, run) -> None:
    build_tiles(project, run)
    text = re.sub(r"\s+", " ", pdf_text(project / "output" / "lancashire" / "tiles-7mb.pdf"))
    positions = [text.find(label) for label in LABELS]
    assert -1 not in positions and positions == sorted(positions)
    # Each tile's content comes after its own label and before the next one.
    assert positions[1] < text.find("Fathers – Working proactively") < positions[2]
    assert positions[6] < text.find("Have I heard the views of the father") < text.find("Contacts –")


@needs("pdftotext")
def test_tiles_content_stream_order_for_pdftotext_raw(project: Path, run) -> None:
    build_tiles(project, run)
    raw = subprocess.run(["pdftotext", "-raw", str(project / "output" / "lancashire" / "tiles-7mb.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    found = [line for line in raw.splitlines() if re.fullmatch(r"0[1-7] .+", line)]
    assert found == LABELS


def test_tile_text_is_never_below_9_points(project: Path, run) -> None:
    build_tiles(project, run)
    sizes = []
    from pypdf import PdfReader

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(size * tm[0] * cm[0] if tm[0] and cm[0] else size)

    PdfReader(project / "output" / "lancashire" / "tiles-7mb.pdf").pages[0].extract_text(visitor_text=visit)
    body = [s for s in sizes if s]
    assert min(body) >= 9


def page_texts(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [norm(page.extract_text()) for page in pdf.pages]


def test_the_lancashire_briefing_is_both_sides_of_one_sheet(project: Path, run) -> None:
    from pypdf import PdfReader

    result = run("build", "packs/lancashire-7mb.yaml", "--format", "pdf")
    assert result.exit_code == 0 and result.stderr == ""
    path = project / "output" / "lancashire" / "lancashire-7mb.pdf"
    reader = PdfReader(path)
    assert [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages] == [
        (842, 595), (842, 595)]
    front, back = page_texts(path)
    # The front makes sense alone: the title and panels 01 to 04; the back 05 to 07, contacts and sources.
    assert "Themes from Serious Case Reviews" in front and "About 5 minutes to read" in front
    assert [label for label in LABELS if label in front] == LABELS[:4]
    assert [label for label in LABELS if label in back] == LABELS[4:]
    assert "Contacts – Lancashire Safeguarding Children Board" in back and "Sources" in back
    assert runs_mention(path, "Take issues to supervision.")
    assert_nothing_clipped(path)


def test_too_long_for_two_pages_names_each_panel_and_the_words_over(project: Path, run) -> None:
    pack = project / "packs" / "lancashire-7mb.yaml"
    long_text = " ".join(["Professionals should always provide parents the opportunity to consider a CAF."] * 90)
    pack.write_text(pack.read_text(encoding="utf-8").replace(
        "  - lessons: [multi-agency-clarification, caf-continuum-of-need]\n",
        f"  - lessons: [multi-agency-clarification, caf-continuum-of-need]\n    text: {long_text}\n"),
        encoding="utf-8")
    result = run("build", "packs/lancashire-7mb.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "packs/lancashire-7mb.yaml: section 05 'Learning into practice' is about 620 words over in the lancashire "
        "brand — trim it or use layout: linear\n1 problem found; nothing was written.\n")
    assert not (project / "output").exists() or not any((project / "output").rglob("*.pdf"))
    # For every board at once: each brand's own label, words over and name, in the brands' order, every time.
    expected = "".join(
        f"packs/lancashire-7mb.yaml: section 05 '{label}' is about {words} words over in the {brand} brand — "
        "trim it or use layout: linear\n" for brand, label, words in (
            ("bscb", "What is expected to change", 540), ("default", "Learning into practice", 610),
            ("gloucestershire", "What is expected to change", 620), ("lancashire", "Learning into practice", 620)))
    for _ in range(3):
        result = run("build", "packs/lancashire-7mb.yaml", "--brand", "all")
        assert (result.exit_code, result.stderr) == (1, expected + "4 problems found; nothing was written.\n")


def runs_mention(path: Path, text: str) -> bool:
    return any(text in t for _, t in pdf_runs(path))


def test_tiles_are_only_for_seven_minute_briefings(project: Path, run) -> None:
    pack = project / "packs" / "ten-principles.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("brand: default\n", "brand: default\nlayout: tiles\n"),
                    encoding="utf-8")
    result = run("build", "packs/ten-principles.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("packs/ten-principles.yaml:7:9: only a 7-minute briefing has a tiles "
                                             "layout — remove 'layout: tiles' or use 'layout: linear'")


MARGIN = 14.0
"""Points from each edge of the sheet that nothing may come closer than (5 mm: what printers can print)."""


def _inside(box: dict, panel: dict, slack: float = 0.6) -> bool:
    return (box["x0"] >= panel["x0"] - slack and box["x1"] <= panel["x1"] + slack
            and box["top"] >= panel["top"] - slack and box["bottom"] <= panel["bottom"] + slack)


def _overlaps(box: dict, panel: dict) -> bool:
    return (box["x0"] < panel["x1"] and box["x1"] > panel["x0"]
            and box["top"] < panel["bottom"] and box["bottom"] > panel["top"])


def panels_of(page) -> list[dict]:  # noqa: ANN001 - a pdfplumber page
    """The panels of a page: its large rounded boxes (a QR or contact box inside one is drawn with lines)."""
    return [c for c in page.curves if c["width"] > 100 and c["height"] > 40]


def assert_nothing_clipped(path: Path) -> None:
    """Every word, QR module, box line and image lies wholly inside one panel, or wholly outside all of them
    (the title row and the footer band), and inside the printable margins."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            panels = panels_of(page)
            assert panels, f"page {number} has no panels"
            things = [("word " + w["text"], w) for w in page.extract_words()]
            things += [("box or QR module", r) for r in page.rects + page.lines if r not in panels]
            things += [("image", i) for i in page.images]
            for what, box in things:
                where = f"page {number}: {what} at ({box['x0']:.0f}, {box['top']:.0f})"
                assert (box["x0"] >= MARGIN and box["x1"] <= page.width - MARGIN and box["top"] >= MARGIN
                        and box["bottom"] <= page.height - MARGIN), f"{where} is outside the margins"
                touched = [p for p in panels if _overlaps(box, p)]
                assert all(_inside(box, p) for p in touched), f"{where} runs out of its panel"


NEW_BOARD = ROOT / "tests" / "fixtures" / "new-board"


def new_board(project: Path) -> Path:
    """The project with a new board's brand (three partner logos) and its briefing with a QR link."""
    shutil.copytree(NEW_BOARD / "branding" / "northvale", project / "branding" / "northvale")
    shutil.copy(NEW_BOARD / "packs" / "library" / "northvale.yaml", project / "packs" / "library")
    shutil.copy(NEW_BOARD / "packs" / "northvale-bruising-7mb.yaml", project / "packs")
    return project / "packs" / "northvale-bruising-7mb.yaml"


def test_a_new_boards_briefing_fits_two_pages_with_nothing_clipped(project: Path, run) -> None:
    new_board(project)
    result = run("build", "packs/northvale-bruising-7mb.yaml", "--format", "pdf")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.splitlines()[-1] == "northvale-bruising-7mb: about 4 minutes to read aloud (535 words)"
    path = project / "output" / "northvale" / "northvale-bruising-7mb.pdf"
    pages = page_texts(path)
    assert 1 <= len(pages) <= 2
    labels = [f"0{n} " for n in range(1, 8)]
    assert all(any(label in text for text in pages) for label in labels)
    assert_nothing_clipped(path)


def test_partner_logos_are_in_the_footer_band_of_the_last_page(project: Path, run) -> None:
    import pdfplumber

    new_board(project)
    run("build", "packs/northvale-bruising-7mb.yaml", "--format", "pdf")
    with pdfplumber.open(project / "output" / "northvale" / "northvale-bruising-7mb.pdf") as pdf:
        last = pdf.pages[-1]
        panels = panels_of(last)
        lowest = max(p["bottom"] for p in panels)
        footer = [i for i in last.images if i["top"] > lowest]
        assert len(footer) == 3  # below every panel: they cost no panel its room
        words = [w for w in last.extract_words() if w["top"] > lowest]
        assert not any(_overlaps(i, w) for i in footer for w in words)


def test_long_addresses_break_only_after_a_slash_dot_or_hyphen(project: Path, run) -> None:
    new_board(project)
    run("build", "packs/northvale-bruising-7mb.yaml", "--format", "pdf")
    text = "\n".join(page_texts_raw(project / "output" / "northvale" / "northvale-bruising-7mb.pdf"))
    addresses = ["www.northvale-safeguarding.example.org/learning/e-learning/bruising-in-non-mobile-babies",
                 "www.northvale-safeguarding.example.org/procedures/bruising-in-non-mobile-babies-protocol",
                 "www.northvale-safeguarding.example.org/procedures/resolving-professional-disagreements"]
    for address in addresses:
        pattern = r"\s?".join(re.escape(ch) for ch in address)
        found = re.search(pattern, text)
        assert found, address
        shown = found.group()
        breaks = [i for i, ch in enumerate(shown) if ch.isspace()]
        assert breaks, f"{address} was expected to need a line break in a panel"
        assert all(shown[i - 1] in "/.-" for i in breaks), shown


def page_texts_raw(path: Path) -> list[str]:
    """The text of each panel of each page, line by line."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [page.crop((c["x0"], c["top"], c["x1"], c["bottom"])).extract_text() for page in pdf.pages
                for c in panels_of(page)]


@needs("zbarimg")
def test_the_qr_code_in_a_panel_reads_back(project: Path, run, tmp_path: Path) -> None:
    new_board(project)
    run("build", "packs/northvale-bruising-7mb.yaml", "--format", "pdf")
    pdf = project / "output" / "northvale" / "northvale-bruising-7mb.pdf"
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    [png] = tmp_path.glob("p*.png")
    out = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True).stdout
    assert "https://www.northvale-safeguarding.example.org/learning/e-learning/bruising-in-non-mobile-babies" in out


# -- The layout read back: Lancashire's briefing in every example brand, and a new board's two briefings --------
CASES = [*(("lancashire-7mb", brand) for brand in EXAMPLE_BRANDS), ("northvale-bruising-7mb", "northvale"),
         ("northvale-safe-sleep-7mb", "northvale")]
TITLES = {"lancashire-7mb": "Themes from Serious Case Reviews",
          "northvale-bruising-7mb": "Bruising in non-mobile babies",
          "northvale-safe-sleep-7mb": "Safe sleep when things change"}
EMPTIEST = 0.4
"""The most of a panel's height its text may leave empty at its foot (the panels stretched level used to leave
over half of some empty)."""


@pytest.fixture(scope="module")
def tiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Lancashire example built in every example brand and the new board's two briefings, once for this
    module."""
    from briefpack.cli import main

    root = copy_examples(tmp_path_factory.mktemp("tiled"))
    shutil.copytree(NEW_BOARD / "branding" / "northvale", root / "branding" / "northvale")
    shutil.copy(NEW_BOARD / "packs" / "library" / "northvale.yaml", root / "packs" / "library")
    for pack in ("northvale-bruising-7mb", "northvale-safe-sleep-7mb"):
        shutil.copy(NEW_BOARD / "packs" / f"{pack}.yaml", root / "packs")
    runner = CliRunner()
    brands = [arg for brand in EXAMPLE_BRANDS for arg in ("--brand", brand)]
    for args in ([str(root / "packs" / "lancashire-7mb.yaml"), *brands],
                 [str(root / "packs" / "northvale-bruising-7mb.yaml"),
                  str(root / "packs" / "northvale-safe-sleep-7mb.yaml")]):
        result = runner.invoke(main, ["build", *args, "--format", "pdf", "--out", str(root / "output"), "-q"],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return root / "output"


def _pages(path: Path):  # noqa: ANN202 - (pdfplumber page, its panels in reading order) for each page
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            # Columns left to right, each read down: the order the layout promises.
            yield page, sorted(panels_of(page), key=lambda c: (round(c["x0"]), c["top"]))


def _chars_in(page, panel: dict) -> list[dict]:  # noqa: ANN001
    return [ch for ch in page.chars if _inside(ch, panel, slack=0) and ch["text"].strip()]


@pytest.mark.parametrize(("pack", "brand"), CASES, ids=[f"{p}-in-{b}" for p, b in CASES])
def test_tiles_read_back(tiled: Path, pack: str, brand: str) -> None:
    """At most two landscape pages; nothing clipped; panels apart, read 01 onwards from the front page."""
    path = tiled / brand / f"{pack}.pdf"
    assert_nothing_clipped(path)
    numbers: list[list[str]] = []
    for page, panels in _pages(path):
        assert page.width > page.height, "a tiles page is landscape"
        for a, b in combinations(panels, 2):
            assert not _overlaps(a, b), f"panels at ({a['x0']:.0f}, {a['top']:.0f}), ({b['x0']:.0f}, {b['top']:.0f})"
        numbers.append([norm(page.crop((c["x0"], c["top"], c["x1"], c["bottom"])).extract_text())[:2] for c in panels])
    assert 1 <= len(numbers) <= 2
    front = norm(page_texts(path)[0])
    assert front.startswith(f"7-minute briefing {TITLES[pack]}")
    # The front page starts at 01 and every panel follows in order; the closing panel (contacts) ends the sheet.
    assert numbers[0][0] == "01"
    assert [n for page in numbers for n in page] == ["01", "02", "03", "04", "05", "06", "07", "Co"]


@pytest.mark.parametrize(("pack", "brand"), CASES, ids=[f"{p}-in-{b}" for p, b in CASES])
def test_panel_text_is_9_to_11_points_and_fills_its_panel(tiled: Path, pack: str, brand: str) -> None:
    """Body text 9–11 pt (headings larger), columns ending level, and no panel a half-empty box."""
    for number, (page, panels) in enumerate(_pages(path := tiled / brand / f"{pack}.pdf"), start=1):
        for panel in panels:
            chars = _chars_in(page, panel)
            body = {round(ch["size"], 2) for ch in chars if "Bold" not in ch["fontname"] or ch["size"] <= 11.01}
            assert body and 9 <= min(body) and max(body) <= 11, (path.name, number, sorted(body))
            heads = {round(ch["size"], 2) for ch in chars if ch["size"] > 11.01}
            assert all(h <= 13 for h in heads)
            empty = (panel["bottom"] - max(ch["bottom"] for ch in chars)) / panel["height"]
            where = f"page {number}: the panel at ({panel['x0']:.0f}, {panel['top']:.0f})"
            assert empty < EMPTIEST, f"{where} is {empty:.0%} empty"
        columns = {round(c["x0"]) for c in panels}
        bottoms = {round(max(c["bottom"] for c in panels if round(c["x0"]) == x)) for x in columns}
        assert len(bottoms) == 1, f"page {number}: columns end at {sorted(bottoms)}"


def test_a_long_briefing_shrinks_to_no_less_than_9_points_notes_included(project: Path, run) -> None:
    pack = project / "packs" / "lancashire-7mb.yaml"
    text = pack.read_text(encoding="utf-8")
    more = " ".join(["Professionals should always provide parents the opportunity to consider a CAF."] * 12)
    for lessons in ("    lessons: [engaging-with-parents, disguised-compliance-risk]\n",  # 03, 04 and 05
                    "  - lessons: [children-until-18, voice-of-the-child-heard-safely]\n",
                    "  - lessons: [multi-agency-clarification, caf-continuum-of-need]\n"):
        text = text.replace(lessons, f"{lessons}    text: {more}\n")
    pack.write_text(text, encoding="utf-8")
    assert run("build", "packs/lancashire-7mb.yaml", "--format", "pdf").exit_code == 0
    path = project / "output" / "lancashire" / "lancashire-7mb.pdf"
    sizes = {round(ch["size"], 2) for page, panels in _pages(path) for panel in panels for ch in _chars_in(page, panel)}
    assert min(sizes) == 9  # the body had to shrink to 9 pt, and the sources and captions (10 pt at 11) with it
    assert len(page_texts(path)) == 2
    assert_nothing_clipped(path)
