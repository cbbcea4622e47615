"""Build packs: load everything, report every problem at once, render in memory, then write."""

from __future__ import annotations

import contextlib
import re
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefpack import parallel, uptodate
from briefpack.brand import brand_problem_at, load_brand
from briefpack.brandcheck import (build_problems, character_problems, procedure_problems,
                                  right_to_left_problems)
from briefpack.compose import compose
from briefpack.document import Document
from briefpack.errors import BriefpackError, Problem, Problems, did_you_mean, display_path
from briefpack.load import read_library, read_pack
from briefpack.project import Project, all_packs, brand_names  # noqa: F401 - all_packs: where callers find it
from briefpack.model import Brand, Library, Pack



@dataclass(frozen=True, slots=True)
class Job:
    """One pack in one brand, composed and ready to render."""

    pack: Pack
    brand: Brand
    document: Document
    library: Library


def prepare(pack_paths: list[Path], brand_name: str | None | tuple[str, ...],
            only: set[tuple[str, Path]] | None = None) -> list[Job]:
    """Load and compose every pack in each brand asked for, collecting the problems of all of them.

    *brand_name* is one brand, several, or none (each pack's own); 'all' means every brand of the pack's
    project. Jobs come brand by brand, so a worker that renders one brand's jobs reads its fonts once.
    With *only*, just those (brand, pack path) pairs are composed; every pack is still checked.
    """
    asked = (brand_name,) if isinstance(brand_name, str) else tuple(dict.fromkeys(brand_name or ()))
    problems = Problems()
    libraries: dict[Path, Library] = {}
    packs: dict[Path, tuple[Pack, Library, Project]] = {}
    for path in pack_paths:
        project = Project.of_pack(path)
        if project.library not in libraries:
            libraries[project.library] = read_library(project.library, problems)
        library = libraries[project.library]
        # Ids are not judged against a library that could not be read whole: the reading problem says enough.
        pack = read_pack(path, library if library.complete else None, problems)
        if pack is not None and path not in packs:
            packs[path] = (pack, library, project)
    pairs: list[tuple[str, Path]] = []
    for name in asked or ("",):
        for path, (pack, _, project) in packs.items():
            names = brand_names(project.branding) if name == "all" else [name or pack.brand]
            pairs.extend((n, path) for n in names if n and (only is None or (n, path) in only))
    brands: dict[tuple[Path, str], Brand | None] = {}
    checked_contacts: set[tuple[Path, str]] = set()
    checked_text: set[tuple[Path, object]] = set()
    pack_nodes: dict[Path, list] = {}
    jobs = []
    for name, path in dict.fromkeys(pairs):
        pack, library, project = packs[path]
        asked_at = None if asked else brand_problem_at(path, pack.brand_at)
        key = (project.branding, name)
        if key not in brands:
            try:
                brands[key] = loaded = load_brand(project.branding, name, asked_at)
                problems.extend(build_problems(loaded))
            except BriefpackError as exc:
                problems.extend(exc.problems)
                brands[key] = None
        brand = brands[key]
        if brand is None:
            continue
        problems.extend(service_problems(path, pack, brand))
        if library.complete and key not in checked_contacts:
            checked_contacts.add(key)
            problems.extend(brand_contact_problems(brand, library))
        if not problems:
            nodes = pack_nodes[path] if path in pack_nodes else pack_nodes.setdefault(
                path, used_nodes(path, pack, library))
            text_key = (path, (brand.fonts, brand.fallback))
            if text_key not in checked_text:
                # Right-to-left text is refused here; missing glyphs are found by the PDF renderer. The answer
                # depends on the pack and the brand's fonts only, so a pack is checked once for many brands.
                checked_text.add(text_key)
                problems.extend(right_to_left_problems(brand, nodes))
            problems.extend(procedure_problems(brand, nodes))
        if not problems:
            jobs.append(Job(pack, brand, compose(pack, library, brand), library))
    problems.raise_if_any()
    return jobs


def brand_contact_problems(brand: Brand, library: Library) -> list[Problem]:
    """Contacts a brand names that the library does not have."""
    known = library.contacts
    return [Problem(where, line, column, f"unknown contact '{cid}'{did_you_mean(cid, known)}",
                    "use a contact id from packs/library/contacts.yaml, or add it there")
            for cid, where, line, column in brand.contacts_at if cid not in known]


def service_problems(path: Path, pack: Pack, brand: Brand) -> list[Problem]:
    """Services a section names that are not in the brand's vocabulary."""
    known = brand.services
    return [Problem(display_path(path), *section.services_at,
                    f"'{service}' is not a service in brand '{brand.id}'{did_you_mean(service, known)}",
                    f"use one of: {', '.join(known)}; or add it to 'services' in the brand's vocabulary")
            for section in pack.sections for service in section.services if service not in known]


def used_nodes(path: Path, pack: Pack, library: Library) -> list:
    """The YAML of the pack and of every library item it uses, to check their characters."""
    from briefpack import yamlio

    ids = [("lessons", i) for s in pack.sections for i in s.lessons]
    ids += [("questions", i) for s in pack.sections for i in s.questions]
    ids += [("actions", i) for s in pack.sections for i in s.actions]
    ids += [("statistics", i) for s in pack.sections
            for i in s.statistics + (s.chart.statistics if s.chart else ())]
    ids += [("links", i) for s in pack.sections for i in s.links]
    ids += [("contacts", i) for i in pack.contacts] + [("sources", i) for i in pack.sources]
    ids += [("sources", i) for s in pack.sections for i in s.sources]
    return [yamlio.read(path), *(library.nodes.get(f"{kind}:{i}") for kind, i in ids)]


class MissingCharactersIn(Exception):
    """A job's PDF found characters no font of its brand has (picklable: it may come from a child)."""

    def __init__(self, name: str, characters: frozenset[str]) -> None:
        super().__init__(name, characters)
        self.name, self.characters = name, characters


@dataclass(frozen=True, slots=True)
class Task:
    """One file to render: all a renderer needs, and picklable, to go to the PDF helper."""

    name: str
    """'brand/pack', the output name without its format."""
    pack_path: Path
    document: Document
    brand: Brand


def render(task: Task, fmt: str) -> tuple[bytes, tuple[str, ...]]:
    """The file's bytes, and notes for the user about how it was laid out."""
    if fmt == "pdf":
        from briefpack.render.pdf import MissingCharacters, TooLarge, render_pdf
        try:
            return render_pdf(task.document, task.brand)
        except MissingCharacters as exc:
            raise MissingCharactersIn(task.name, exc.characters) from None
        except TooLarge as exc:
            what = re.sub(r"\s+", " ", str(exc))[:160]
            raise BriefpackError([Problem(display_path(task.pack_path), 0, 0,
                                          f"part of this pack is too large to fit on a page ({what})",
                                          "split the longest text into several paragraphs or items")]) from None
    from briefpack.render.docx import render_docx
    return render_docx(task.document, task.brand)


def same_output(tasks: list[Task]) -> list[Problem]:
    """Two different pack files that would write the same output file."""
    first: dict[str, Path] = {}
    problems = []
    for task in tasks:
        other = first.setdefault(task.name, task.pack_path)
        if other.resolve() != task.pack_path.resolve():
            problems.append(Problem(display_path(task.pack_path), 0, 0,
                                    f"this pack would write the same files as {display_path(other)} "
                                    f"({task.name}.pdf and .docx)", "rename one of the two pack files"))
    return problems


def stopped(pack_path: Path) -> Problem:
    """A worker process died (killed, or out of memory) while rendering."""
    return Problem(display_path(pack_path), 0, 0, "the process rendering this pack stopped unexpectedly",
                   "build again; if it stops again, build with --format pdf and --format docx separately")


def render_all(tasks: list[Task], fmt: str) -> dict[str, tuple[bytes, tuple[str, ...]]]:
    return {f"{task.name}.{fmt}": render(task, fmt) for task in tasks}


@dataclass
class Result:
    """What a build did."""

    written: list[Path]
    """Files written now (or already holding exactly these bytes before, see *unchanged*)."""
    unchanged: list[Path]
    """Files left as they were: their inputs have not changed since they were written, or their bytes."""
    notes: list[str]


Progress = Callable[[int, str], None]
"""Called as documents are made: how many more pairs are done, and the last one's 'brand/pack'."""


def build(pack_paths: list[Path], *, brand: str | None | tuple[str, ...], formats: tuple[str, ...], out: Path,
          force: bool = False, helper: parallel.Helper | None = None) -> tuple[list[Path], list[str]]:
    """Build each pack in each format under *out*/<brand>/; return the files written and notes."""
    result = run(pack_paths, brand=brand, formats=formats, out=out, force=force, helper=helper)
    return result.written, result.notes


def run(pack_paths: list[Path], *, brand: str | None | tuple[str, ...], formats: tuple[str, ...], out: Path,
        force: bool = False, helper: parallel.Helper | None = None, progress: Progress | None = None,
        planned: Callable[[int], None] | None = None) -> Result:
    """Build each pack in each brand asked for (see prepare) in each format under *out*/<brand>/.

    Outputs whose inputs have not changed since they were written are skipped without loading anything.
    *helper* is a PDF helper the caller started early (see parallel.pdf_helper); *planned* is told how
    many pack-brand pairs will be made, before any is; *progress* as each is made.
    """
    from briefpack.output import MANIFEST, OutputFolder

    asked = (brand,) if isinstance(brand, str) else tuple(dict.fromkeys(brand or ()))
    planner = uptodate.Planner(formats)
    try:
        if not pack_paths:
            raise BriefpackError([no_packs()])
        record = uptodate.recorded(out, MANIFEST)
        requests = planner.plan(pack_paths, asked, record)
        todo = [r for r in requests or () if not uptodate.unchanged(r, out, record)]
        skipped = [out / rel for r in requests or () if r not in todo for rel in r.outputs]
        if requests is not None and not todo:
            if helper:
                helper.cancel()
            return Result([], skipped, [])
        recordable = planner.snapshot(pack_paths)
    except BaseException:
        if helper:
            helper.cancel()
        raise
    only = None if requests is None else {(r.brand, r.pack) for r in todo}
    jobs, files, notes = _render(pack_paths, asked, formats, helper, only, progress, planned)
    names = list(files)
    same = {name for name in names if _holds(out / name, files[name])}
    folder = OutputFolder(out)
    with folder.locked():
        written = folder.write_all(files, force)
        if recordable:
            record_inputs(planner, jobs, out, MANIFEST)
    return Result([p for p in written if p.relative_to(out).as_posix() not in same],
                  skipped + [out / name for name in names if name in same], notes)


def render_packs(pack_paths: list[Path], *, brand: str | None | tuple[str, ...], formats: tuple[str, ...],
                 helper: parallel.Helper | None = None) -> tuple[dict[str, bytes], list[str]]:
    """Every check and every file of a build, in memory: 'brand/pack.format' -> bytes, and notes.

    This is a build without its write step; `briefpack check` runs it too, so it inherits every check.
    """
    if not pack_paths:
        if helper:
            helper.cancel()
        raise BriefpackError([no_packs()])
    asked = (brand,) if isinstance(brand, str) else tuple(dict.fromkeys(brand or ()))
    _, files, notes = _render(pack_paths, asked, formats, helper)
    return files, notes


def no_packs() -> Problem:
    return Problem(display_path(Path.cwd() / "packs"), 0, 0, "there are no pack files here",
                   "run briefpack in your project folder (the one with packs/ and branding/), or name a pack file")


def _render(pack_paths: list[Path], asked: tuple[str, ...], formats: tuple[str, ...],
            helper: parallel.Helper | None, only: set[tuple[str, Path]] | None = None,
            progress: Progress | None = None, planned: Callable[[int], None] | None = None,
            ) -> tuple[list[Job], dict[str, bytes], list[str]]:
    """Prepare and render: the jobs, each file's bytes ('brand/pack.format', in command-line order), notes.

    Two or more pack-brand pairs are spread over one worker process per core; one is rendered here,
    its PDF in *helper* if there is one.
    """
    try:
        jobs = prepare(pack_paths, asked, only)
    except BaseException:
        if helper:
            helper.cancel()
        raise
    tasks = [Task(f"{job.brand.id}/{job.pack.id}", job.pack.path, job.document, job.brand) for job in jobs]
    clashes = same_output(tasks)
    if clashes:
        if helper:
            helper.cancel()
        raise BriefpackError(clashes)
    if planned:
        planned(len(tasks))
    if len(tasks) > 1 and parallel.workers_allowed():
        if helper:
            helper.cancel()
        rendered = render_in_pool(jobs, tasks, formats, progress)
    else:
        rendered = render_here(jobs, tasks, formats, helper)
        if progress and tasks:
            progress(len(tasks), tasks[-1].name)
    # The same order as the command line asked for: each pack, then each format.
    names = [f"{task.name}.{fmt}" for task in tasks for fmt in formats]
    notes = [f"{name}: {note}" for name in names for note in rendered[name][1]]
    return jobs, {name: rendered[name][0] for name in names}, notes


def record_inputs(planner: uptodate.Planner, jobs: list[Job], out: Path, manifest: str) -> None:
    """Remember what each output was made from, so an unchanged one is skipped next time."""
    unchanged_packs = {}
    for path in {job.pack.path for job in jobs}:
        try:
            if path.read_bytes() == planner.read[path]:
                unchanged_packs[path] = uptodate.sha(planner.read[path])
        except OSError:
            continue  # changed while it was built: not recorded, so built again next time
    done = [job for job in jobs if job.pack.path in unchanged_packs]
    uptodate.save(out, manifest, [planner.request(job.pack.path, job.brand.id) for job in done],
                  {job.pack.path: (unchanged_packs[job.pack.path], job.pack.brand) for job in done})


def _holds(path: Path, data: bytes) -> bool:
    """Whether *path* is a file holding exactly *data*."""
    from briefpack.output import digest, file_digest

    try:
        return path.stat().st_size == len(data) and file_digest(path) == digest(data)
    except OSError:
        return False


def render_here(jobs: list[Job], tasks: list[Task], formats: tuple[str, ...],
                helper: parallel.Helper | None) -> dict[str, tuple[bytes, tuple[str, ...]]]:
    """Render in this process, with the PDFs in the early-started helper if there is one."""
    try:
        if helper:
            helper.send(tasks)
            try:
                rendered = render_all(tasks, "docx")
            except BaseException:
                with contextlib.suppress(BaseException):
                    helper.answer()
                raise
            try:
                rendered |= helper.answer()
            except BrokenProcessPool:
                raise BriefpackError([stopped(tasks[0].pack_path)]) from None
        else:
            rendered = {}
            for fmt in formats:
                rendered |= render_all(tasks, fmt)
    except MissingCharactersIn as exc:
        raise BriefpackError(missing_problems(jobs, exc)) from None
    return rendered


def missing_problems(jobs: list[Job], exc: MissingCharactersIn) -> list[Problem]:
    job = next(j for j in jobs if f"{j.brand.id}/{j.pack.id}" == exc.name)
    return character_problems(job.brand, used_nodes(job.pack.path, job.pack, job.library), exc.characters)


def chunks(tasks: list[Task], workers: int) -> list[list[Task]]:
    """Consecutive tasks of one brand, at most a share of the work each, so the cores finish together."""
    most = max(1, -(-len(tasks) // (2 * workers)))
    out: list[list[Task]] = []
    for task in tasks:
        if out and out[-1][-1].brand.id == task.brand.id and len(out[-1]) < most:
            out[-1].append(task)
        else:
            out.append([task])
    return out


def render_chunk(tasks: list[Task], formats: tuple[str, ...]) -> dict[str, tuple[bytes, tuple[str, ...]]]:
    """Render *tasks* in every format (in a worker process)."""
    return {f"{task.name}.{fmt}": render(task, fmt) for task in tasks for fmt in formats}


def render_in_pool(jobs: list[Job], tasks: list[Task], formats: tuple[str, ...],
                   progress: Progress | None) -> dict[str, tuple[bytes, tuple[str, ...]]]:
    """Render over one worker process per core; every problem of every worker is reported."""
    from concurrent.futures import as_completed

    workers = parallel.cores()
    parts = chunks(tasks, workers)
    rendered: dict[str, tuple[bytes, tuple[str, ...]]] = {}
    problems: list[Problem] = []
    executor = parallel.pool(min(workers, len(parts)))
    try:
        futures = {executor.submit(render_chunk, part, formats): part for part in parts}
        for future in as_completed(futures):
            part = futures[future]
            try:
                rendered |= future.result()
            except MissingCharactersIn as exc:
                problems.extend(missing_problems(jobs, exc))
            except BriefpackError as exc:
                problems.extend(exc.problems)
            except BrokenProcessPool:
                problems.append(stopped(part[0].pack_path))
                break
            if progress:
                progress(len(part), part[-1].name)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    if problems:
        raise BriefpackError(problems)
    return rendered
