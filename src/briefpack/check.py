"""`briefpack check`: a build without its write step, so it runs every check a build runs and no other."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.errors import BriefpackError, Problems

if TYPE_CHECKING:
    from briefpack.build import Job
    from briefpack.rendering import Task

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
        _, notes = render_packs(pack_paths, brand=brand, formats=CHECKED_FORMATS, settled=proven, proof=True)
    except BriefpackError as exc:
        problems.extend(exc.problems)
    if strict:
        problems.extend(notes_as_problems(notes))
        notes = []
    problems.raise_if_any()
    return notes


def proven(jobs: list[Job], tasks: list[Task], formats: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The outputs a build already made from exactly these inputs, with the layout notes it recorded: their
    layout was proved then (it fitted, every character was drawn), so checking needs no rendering of them.

    Read from the build manifest of each pack's project's output/ folder, where there is one; an output is
    proven when the hash of its inputs now (the pack, the library, the brand's folders, every brand's
    identity, the versions of briefpack, its writers and fonts: see uptodate) is the one recorded when it
    was written. The hashes are taken now, after the packs were loaded: a file edited since the build, or
    while this check read it, has another hash, and its pack is rendered. Any doubt means "render it".
    """
    from briefpack import uptodate
    from briefpack.output import MANIFEST
    from briefpack.project import Project

    planner = uptodate.Planner(formats)
    records: dict[Path, uptodate.Record] = {}
    wanted = {f"{task.name}.{fmt}" for task in tasks for fmt in formats}
    done: dict[str, tuple[str, ...]] = {}
    for job in jobs:
        out = Project.of_pack(job.pack.path).root / "output"
        if out not in records:
            records[out] = uptodate.recorded(out, MANIFEST)
        record = records[out]
        if not record.outputs:
            continue
        try:
            request = planner.request(job.pack.path, job.brand.id)
        except (OSError, UnicodeError):
            continue
        for name in request.outputs:
            notes = uptodate.recorded_notes(request, record, name)
            if name in wanted and notes is not None:
                done[name] = notes
    return done
