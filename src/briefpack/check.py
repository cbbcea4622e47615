"""`briefpack check`: a build without its write step, so it runs every check a build runs and no other."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack import parallel
from briefpack.errors import BriefpackError, Problems

if TYPE_CHECKING:
    from briefpack import uptodate
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
    asked = (brand,) if isinstance(brand, str) else tuple(dict.fromkeys(brand or ()))
    said = said_by_builds(pack_paths, asked, every_brand)
    if said is not None:
        from briefpack.doccontrol import pack_notes
        from briefpack.uptodate import notes_as_problems

        said += pack_notes(pack_paths)
        if strict and said:
            raise BriefpackError(notes_as_problems(said))
        return said
    helper = early_helper(pack_paths, asked)
    try:
        from briefpack.brand import BrandFiles, brand_names
        from briefpack.brandcheck import build_problems
        from briefpack.build import notes_as_problems, render_packs

        problems = Problems()
        read: dict[tuple[Path, str], BrandFiles] = {}  # each brand read once: here, and for the packs in it
        if every_brand is not None:
            for name in brand_names(every_brand):
                read[(every_brand, name)] = files = BrandFiles(every_brand, name)
                try:
                    problems.extend(build_problems(files.checked()))
                except BriefpackError as exc:
                    problems.extend(exc.problems)
        notes: list[str] = []
        try:
            _, notes = render_packs(pack_paths, brand=asked, formats=CHECKED_FORMATS, helper=helper,
                                    settled=proven, prove=prove, brands=read)
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


def early_helper(pack_paths: list[Path], asked: tuple[str, ...]) -> parallel.Helper | None:
    """A PDF helper started now, importing the renderer while the packs are loaded, when a document looks
    likely to need laying out (see prove: with several, it shares them with a second process); none need no
    renderer.

    A quick look, not the proof (that is *proven*'s, after loading): a pack looks proven when the build
    manifest of its project's output/ holds its bytes' hash, the brand built, and that brand's PDF of it.
    In several brands, or all of them, some document is taken to be likely.
    """

    if not parallel.workers_allowed():
        return None
    if not (len(asked) > 1 or "all" in asked or any(likely_unproven(pack_paths, asked))):
        return None
    # What both processes need, imported once, before the fork (as a one-file build does, see cli.build).
    import PIL.Image

    import briefpack.fontfile  # noqa: F401
    import briefpack.rendering  # noqa: F401

    PIL.Image.preinit()
    return parallel.Helper(parallel.warm_pdf, prove_all)


def likely_unproven(pack_paths: list[Path], asked: tuple[str, ...]) -> Iterator[bool]:
    """For each pack (in one brand: *asked*'s, else its own), whether it looks unproven (see early_helper)."""
    from briefpack import uptodate
    from briefpack.project import MAX_FILE_BYTES, pack_id, read_plain, real_path

    records: dict[Path, uptodate.Record] = {}
    for path in dict.fromkeys(pack_paths):
        record = _manifest(path, records)
        try:
            own = record.packs.get(str(real_path(path)))
            unchanged = (isinstance(own, list) and len(own) == 2
                         and own[0] == uptodate.sha(read_plain(path, MAX_FILE_BYTES)))
        except (OSError, ValueError):
            own, unchanged = None, False
        name = asked[0] if asked else str(own[1]) if unchanged and own else ""
        yield not (unchanged and f"{name}/{pack_id(path)}.pdf" in record.outputs)


def _manifest(pack: Path, records: dict[Path, uptodate.Record]) -> uptodate.Record:
    """The build manifest of *pack*'s project's output/ folder, read once for each folder into *records*."""
    from briefpack import uptodate
    from briefpack.output import MANIFEST
    from briefpack.project import Project

    out = Project.of_pack(pack).root / "output"
    if out not in records:
        records[out] = uptodate.recorded(out, MANIFEST)
    return records[out]


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

    planner = uptodate.Planner(formats)
    records: dict[Path, uptodate.Record] = {}
    wanted = {f"{task.name}.{fmt}" for task in tasks for fmt in formats}
    done: dict[str, tuple[str, ...]] = {}
    for job in jobs:
        record = _manifest(job.pack.path, records)
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


def prove(jobs: list[Job], tasks: list[Task], formats: tuple[str, ...], helper: parallel.Helper | None,
          meanwhile: Callable[[], None]) -> dict[str, tuple[bytes, tuple[str, ...]]]:
    """Lay out *tasks*' PDFs for their verdicts (no file is made: Task.proof): in *helper*, started while the
    packs were loaded, doing *meanwhile* here while it works; else here; either way shared with a second
    process when there are several (prove_all).

    Every document is laid out, and the problems of all of them are raised together, in the command line's
    order; as a build does, characters no font draws are named with the brand that lacks them, and anything
    else a renderer raises is raised here (build.py names a damaged font then).
    """
    from briefpack.build import failure_problems, stopped
    from briefpack.rendering import MissingCharactersIn

    assert formats == CHECKED_FORMATS
    try:
        if helper is None:
            outcomes = prove_all(tasks)
        else:
            helper.send(tasks)
            try:
                meanwhile()
            except BaseException:
                helper.stop()
                raise
            outcomes = helper.answer()
    except parallel.WorkerDied:
        raise BriefpackError([stopped(tasks[0].pack_path)]) from None
    rendered: dict[str, tuple[bytes, tuple[str, ...]]] = {}
    problems = Problems()
    for task, (ok, value, trace) in zip(tasks, outcomes, strict=True):
        if ok:
            rendered[f"{task.name}.pdf"] = (b"", value)  # type: ignore[assignment]
        elif isinstance(value, (MissingCharactersIn, BriefpackError)):
            problems.extend(failure_problems(jobs, value))
        else:
            raise value from parallel.RemoteTraceback(trace)  # type: ignore[misc]
    problems.raise_if_any()
    return rendered


def prove_all(tasks: list[Task]) -> list[parallel.Outcome]:
    """Lay out every task (see prove), each one's outcome in *tasks*' order.

    Several are shared with a second process forked here, once the renderer is imported: each process takes
    the next task from a common queue (a pipe holding their numbers, the longest-looking first), so the two
    finish close together whatever each document costs. Elsewhere than on Linux (where forking is safe), all
    are laid out here.
    """
    import os
    import pickle
    import sys


    order = sorted(range(len(tasks)), key=lambda i: _heaviest_first(tasks[i]))
    queue = b"".join(i.to_bytes(4, "little") for i in order)
    if (len(tasks) < 2 or not parallel.workers_allowed() or parallel.cores() < 2
            or not sys.platform.startswith("linux") or len(queue) > QUEUE_BYTES):
        return [_outcome(task) for task in tasks]
    take, put = os.pipe()
    os.write(put, queue)  # all of it at once: it fits the pipe
    os.close(put)
    answer_r, answer_w = os.pipe()
    pid = parallel.fork()
    if pid == 0:  # the second process: it never returns from here
        os.close(answer_r)
        parallel.child(lambda: _serve_share(take, tasks, answer_w))
    os.close(answer_w)
    try:
        mine = _take(take, tasks) if pid > 0 else {i: _outcome(tasks[i]) for i in order}
        with os.fdopen(answer_r, "rb") as answer:
            data = answer.read()
    finally:
        os.close(take)
        if pid > 0:
            os.waitpid(pid, 0)
    theirs: dict[int, parallel.Outcome] = pickle.loads(data) if data else {}
    everything = mine | theirs
    if len(everything) != len(tasks):  # the second process died (killed, or out of memory)
        raise parallel.WorkerDied
    return [everything[i] for i in range(len(tasks))]


QUEUE_BYTES = 65536
"""The most a pipe surely holds on Linux: more tasks than fit are laid out in one process."""


def _serve_share(take: int, tasks: list[Task], answers: int) -> None:
    """The second process of prove_all (see parallel.child): lay out tasks from the queue, hand back their
    outcomes. It stops taking tasks once the process that forked it is gone."""
    import os
    import pickle

    done = _take(take, tasks, os.getppid())
    with os.fdopen(answers, "wb") as pipe:
        pipe.write(pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))


def _take(take: int, tasks: list[Task], parent: int = 0) -> dict[int, parallel.Outcome]:
    """Lay out the tasks whose numbers this process reads from the queue, until it is empty (or, given
    *parent*, that process is gone)."""
    import os

    done = {}
    while not parent or os.getppid() == parent:
        record = os.read(take, 4)  # whole numbers: all were written before either process read one
        if len(record) < 4:
            break
        i = int.from_bytes(record, "little")
        done[i] = _outcome(tasks[i])
    return done


def _outcome(task: Task) -> parallel.Outcome:
    """Lay *task* out (rendering.render, found when called: the tests count its calls)."""
    from briefpack import rendering

    return parallel.outcome(lambda: rendering.render(task, "pdf")[1])


def _heaviest_first(task: Task) -> tuple[bool, int]:
    """Tiles before linear layouts (their search lays the text out many times), then the longest."""
    from briefpack import readtime

    return task.document.layout != "tiles", -readtime.words(task.document.blocks)
