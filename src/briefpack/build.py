"""Build packs: load everything, report every problem at once, render in memory, then write."""

from __future__ import annotations

import contextlib
import re
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from briefpack import parallel
from briefpack.brand import brand_problem_at, load_brand
from briefpack.brandcheck import build_problems, character_problems, right_to_left_problems
from briefpack.compose import compose
from briefpack.document import Document
from briefpack.errors import BriefpackError, Problem, Problems, did_you_mean, display_path
from briefpack.load import Project, read_library, read_pack
from briefpack.model import Brand, Library, Pack



@dataclass(frozen=True, slots=True)
class Job:
    """One pack in one brand, composed and ready to render."""

    pack: Pack
    brand: Brand
    document: Document
    library: Library


def all_packs(project: Project) -> list[Path]:
    """Every pack in the project's packs/ folder."""
    return sorted(project.packs.glob("*.yaml"))


def prepare(pack_paths: list[Path], brand_name: str | None) -> list[Job]:
    """Load and compose every pack, collecting the problems of all of them."""
    problems = Problems()
    brand: Brand | None
    libraries: dict[Path, Library] = {}
    brands: dict[tuple[Path, str], Brand | None] = {}
    jobs = []
    checked_contacts: set[tuple[Path, str]] = set()
    for path in pack_paths:
        project = Project.of_pack(path)
        if project.library not in libraries:
            libraries[project.library] = read_library(project.library, problems)
        library = libraries[project.library]
        # Ids are not judged against a library that could not be read whole: the reading problem says enough.
        pack = read_pack(path, library if library.complete else None, problems)
        if pack is None:
            continue
        name = brand_name or pack.brand
        if not name:
            continue
        asked_at = None if brand_name else brand_problem_at(path, pack.brand_at)
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
            # Right-to-left text is refused here; missing glyphs are found by the PDF renderer.
            problems.extend(right_to_left_problems(brand, used_nodes(path, pack, library)))
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


def build(pack_paths: list[Path], *, brand: str | None, formats: tuple[str, ...], out: Path,
          force: bool = False, helper: parallel.Helper | None = None) -> tuple[list[Path], list[str]]:
    """Build each pack in each format under *out*/<brand>/; return the files written and notes.

    *helper* is a PDF helper the caller started early (see parallel.pdf_helper); one is started here if not.
    """
    from briefpack.output import OutputFolder

    files, notes = render_packs(pack_paths, brand=brand, formats=formats, helper=helper)
    folder = OutputFolder(out)
    with folder.locked():
        return folder.write_all(files, force), notes


def render_packs(pack_paths: list[Path], *, brand: str | None, formats: tuple[str, ...],
                 helper: parallel.Helper | None = None) -> tuple[dict[str, bytes], list[str]]:
    """Every check and every file of a build, in memory: 'brand/pack.format' -> bytes, and notes.

    This is a build without its write step; `briefpack check` runs it too, so it inherits every check.
    """
    helper = helper or parallel.pdf_helper(formats)
    try:
        if not pack_paths:
            raise BriefpackError([Problem(display_path(Path.cwd() / "packs"), 0, 0, "there are no pack files here",
                                          "run briefpack in your project folder (the one with packs/ and "
                                          "branding/), or name a pack file")])
        jobs = prepare(pack_paths, brand)
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
        job = next(j for j in jobs if f"{j.brand.id}/{j.pack.id}" == exc.name)
        raise BriefpackError(character_problems(job.brand, used_nodes(job.pack.path, job.pack, job.library),
                                                exc.characters)) from None
    # The same order as the command line asked for: each pack, then each format.
    names = [f"{task.name}.{fmt}" for task in tasks for fmt in formats]
    notes = [f"{name}: {note}" for name in names for note in rendered[name][1]]
    return {name: rendered[name][0] for name in names}, notes
