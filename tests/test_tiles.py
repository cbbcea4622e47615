"""The one-page tiles layout: seven tiles on landscape A4, read 01 to 07, never clipped."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, needs, pdf_runs, pdf_text

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


def test_too_much_for_tiles_falls_back_to_linear_and_says_so(project: Path, run) -> None:
    pack = project / "packs" / "lancashire-7mb.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("brand: lancashire\n",
                                                             "brand: lancashire\nlayout: tiles\n"),
                    encoding="utf-8")
    result = run("build", "packs/lancashire-7mb.yaml", "--format", "pdf")
    assert result.exit_code == 0
    assert result.stderr == ("note: lancashire/lancashire-7mb.pdf: the seven tiles do not fit on one page even "
                             "with 9 pt text, so this PDF uses the linear layout — shorten the longest sections "
                             "to get tiles\n")
    from pypdf import PdfReader
    reader = PdfReader(project / "output" / "lancashire" / "lancashire-7mb.pdf")
    assert len(reader.pages) > 1 and float(reader.pages[0].mediabox.height) > float(reader.pages[0].mediabox.width)
    assert runs_mention(project / "output" / "lancashire" / "lancashire-7mb.pdf", "Take issues to supervision.")


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
