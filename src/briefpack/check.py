"""`briefpack check`: a build without its write step, so it runs every check a build runs and no other."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.errors import BriefpackError, Problems

if TYPE_CHECKING:
    from briefpack.build import Job
    from briefpack.parallel import Helper
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
    asked = (brand,) if isinstance(brand, str) else tuple(dict.fromkeys(brand or ()))
    said = said_by_builds(pack_paths, asked, every_brand)
    if said is not None:
        from briefpack.doccontrol import review_notes
        from briefpack.uptodate import notes_as_problems

        said += review_notes(pack_paths)
        if strict and said:
            raise BriefpackError(notes_as_problems(said))
        return said
    helper = early_helper(pack_paths, asked)
    try:
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
            _, notes = render_packs(pack_paths, brand=asked, formats=CHECKED_FORMATS, helper=helper,
                                    settled=proven, proof=True)
        except BriefpackError as exc:
            problems.extend(exc.problems)
    finally:
        if helper:
            helper.cancel()
    if strict:
        problems.extend(notes_as_problems(notes))
        notes = []
    problems.raise_if_any()
    return notes


def said_by_builds(pack_paths: list[Path], asked: tuple[str, ...], every_brand: Path | None) -> list[str] | None:
    """What a check would say, when builds already checked every pack in every brand asked for, from exactly
    the inputs there are now, and (given *every_brand*) every brand of it: their notes, as recorded; else None.

    A build that wrote a PDF had run every check on its inputs (the library, the pack, its brand and the
    brands it extends, the layout), and a rebuild with nothing changed runs none of them again but says
    what the build said (uptodate): so does check then, with the same words, without loading anything.
    The inputs are hashed as a rebuild hashes them; a brand no build used is checked as usual.
    """
    from briefpack import uptodate
    from briefpack.output import MANIFEST
    from briefpack.project import Project, brand_names

    roots = {Project.of_pack(path).root for path in pack_paths}
    if len(roots) != 1:
        return None
    record = uptodate.recorded(roots.pop() / "output", MANIFEST)
    if not record.outputs:
        return None
    requests = uptodate.Planner(CHECKED_FORMATS).plan(pack_paths, asked, record)
    if not requests or any(uptodate.recorded_notes(r, record, name) is None for r in requests for name in r.outputs):
        return None
    if every_brand is not None and not set(brand_names(every_brand)) <= {r.brand for r in requests}:
        return None
    return uptodate.said_notes((r.brand, r.pack, uptodate.said_before(r, record)) for r in requests)


def early_helper(pack_paths: list[Path], asked: tuple[str, ...]) -> Helper | None:
    """A PDF helper started now, importing the renderer while the packs are loaded, when one document looks
    likely to need laying out: several are spread over worker processes once loaded, none need no renderer.

    A quick look, not the proof (that is *proven*'s, after loading): a pack looks proven when the build
    manifest of its project's output/ holds its bytes' hash, the brand built, and that brand's PDF of it.
    """
    from briefpack import parallel

    if not parallel.workers_allowed() or len(asked) > 1 or "all" in asked:
        return None
    from briefpack import uptodate
    from briefpack.output import MANIFEST
    from briefpack.project import MAX_FILE_BYTES, Project, pack_id, read_plain, real_path

    records: dict[Path, uptodate.Record] = {}
    likely = 0
    for path in dict.fromkeys(pack_paths):
        out = Project.of_pack(path).root / "output"
        if out not in records:
            records[out] = uptodate.recorded(out, MANIFEST)
        record = records[out]
        try:
            own = record.packs.get(str(real_path(path)))
            unchanged = (isinstance(own, list) and len(own) == 2
                         and own[0] == uptodate.sha(read_plain(path, MAX_FILE_BYTES)))
        except (OSError, ValueError):
            own, unchanged = None, False
        name = asked[0] if asked else str(own[1]) if unchanged and own else ""
        if not (unchanged and f"{name}/{pack_id(path)}.pdf" in record.outputs):
            likely += 1
        if likely > 1:
            return None
    if not likely:
        return None
    # What both processes need, imported once, before the fork (as a one-file build does, see cli.build).
    import PIL.Image

    import briefpack.fontfile  # noqa: F401
    import briefpack.rendering  # noqa: F401

    PIL.Image.preinit()
    return parallel.Helper(parallel.warm_pdf, parallel.render_pdfs)


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
