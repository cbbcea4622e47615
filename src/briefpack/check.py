"""`briefpack check`: a build without its write step, so it runs every check a build runs and no other."""

from __future__ import annotations

from pathlib import Path

from briefpack.errors import BriefpackError, Problems

CHECKED_FORMATS = ("pdf",)
"""Formats rendered (in memory) to check: the PDF renderer finds what only a layout shows (tiles that do not
fit, characters no font draws, parts too large for a page). The Word renderer finds nothing of its own, so it
is skipped for speed; add "docx" here if it ever does."""


def check(pack_paths: list[Path], *, brand: str | None | tuple[str, ...], strict: bool = False,
          every_brand: Path | None = None) -> list[str]:
    """Check the packs (and, given a branding folder, every brand in it); return the notes for the user.

    Raises the problems of all of them at once, and with *strict* the notes too.
    """
    from briefpack.brand import brand_names, load_brand
    from briefpack.brandcheck import build_problems
    from briefpack.build import notes_as_problems, render_packs

    problems = Problems()
    if every_brand is not None:
        for name in brand_names(every_brand):
            try:
                problems.extend(build_problems(load_brand(every_brand, name)))
            except BriefpackError as exc:
                problems.extend(exc.problems)
    notes: list[str] = []
    try:
        _, notes = render_packs(pack_paths, brand=brand, formats=CHECKED_FORMATS)
    except BriefpackError as exc:
        problems.extend(exc.problems)
    if strict:
        problems.extend(notes_as_problems(notes))
        notes = []
    problems.raise_if_any()
    return notes
