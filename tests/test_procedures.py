"""A brand's local procedures in the contacts box: every document gives the general ones, and one on a theme
(a bruising protocol) only where the document is on that theme or refers to it."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import docx_text, norm, pdf_text, unbreak
from test_tiles import NEW_BOARD, new_board

PROTOCOL = "Bruising in non-mobile babies – multi-agency protocol"
ESCALATION = "Resolving professional disagreements"


def northvale(project: Path) -> None:
    """The new board's brand and both its briefings."""
    new_board(project)
    shutil.copy(NEW_BOARD / "packs" / "northvale-safe-sleep-7mb.yaml", project / "packs")


def procedures_listed(project: Path, pack: str) -> dict[str, list[str]]:
    """Which of the two procedures each file of *pack* names, for the PDF and the Word file."""
    out = {}
    for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
        text = unbreak(norm(read(project / "output" / "northvale" / f"{pack}.{fmt}")))
        out[fmt] = [title for title in (PROTOCOL, ESCALATION) if title in text]
    return out


def test_a_procedure_on_a_theme_is_listed_only_in_documents_on_it(project: Path, run) -> None:
    northvale(project)
    result = run("build", "northvale-bruising-7mb", "northvale-safe-sleep-7mb", "--strict")
    assert result.exit_code == 0, result.output
    both = [PROTOCOL, ESCALATION]
    assert procedures_listed(project, "northvale-bruising-7mb") == {"pdf": both, "docx": both}
    # Safe sleep is not about bruising: it sent staff to the bruising protocol too.
    assert procedures_listed(project, "northvale-safe-sleep-7mb") == {"pdf": [ESCALATION], "docx": [ESCALATION]}


def test_a_document_that_refers_to_a_procedure_lists_it_whatever_its_themes(project: Path, run) -> None:
    pack = project / "packs" / "northvale-safe-sleep-7mb.yaml"
    northvale(project)
    pack.write_text(pack.read_text(encoding="utf-8").replace(
        "  - label: Questions\n",
        "  - label: Questions\n    text: If you see a bruise there, follow {procedure:bruising-protocol}.\n",
        1), encoding="utf-8")
    assert run("build", "northvale-safe-sleep-7mb", "--strict").exit_code == 0
    both = [PROTOCOL, ESCALATION]
    assert procedures_listed(project, "northvale-safe-sleep-7mb") == {"pdf": both, "docx": both}


def test_a_procedures_unknown_theme_is_named_where_it_is_written(project: Path, run) -> None:
    new_board(project)
    brand = project / "branding" / "northvale" / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(text.replace("themes: [non-mobile-bruising]", "themes: [non-mobile-bruisng]"), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "themes: [non-mobile-bruising]" in row)
    column = text.splitlines()[line - 1].index("non-mobile") + 1
    result = run("build", "northvale-bruising-7mb")
    assert (result.exit_code, result.stderr) == (1, (
        f"branding/northvale/brand.yaml:{line}:{column}: unknown theme 'non-mobile-bruisng' (did you mean "
        "'non-mobile-bruising'?) — use a theme id from packs/library/ (briefpack list themes), or add it there\n"
        "1 problem found; nothing was written.\n"))
