"""Build packs: load everything, report every problem at once, render in memory, then write."""

from __future__ import annotations

import contextlib
import functools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefpack.frozen import frozen
from briefpack import parallel, readtime, uptodate
from briefpack import compose as composing
from briefpack.compose import compose
from briefpack.doccontrol import pack_notes
from briefpack.document import Document
from briefpack.errors import BriefpackError, Problem, display_path
from briefpack.brand import board_name
from briefpack.load import BrandsRead, Loaded, Loading
from briefpack.leaks import Identities, leak_warnings
from briefpack.project import Project, all_packs, brand_names, real_path  # noqa: F401 - all_packs: where callers find it
from briefpack.rendering import MissingCharactersIn, Task, render  # noqa: F401 - build.render: tests wrap it
from briefpack.model import Brand, Library, Pack
from briefpack.uptodate import KIT_SUFFIX, WARNING, Said, notes_as_problems, said_notes  # noqa: F401 - WARNING, notes_as_problems: where callers find them



@frozen
class Job:
    """One pack in one brand, composed and ready to render."""

    pack: Pack
    brand: Brand
    document: Document
    library: Library


def prepare(pack_paths: list[Path], brand_name: str | None | tuple[str, ...],
            only: set[tuple[str, Path]] | None = None, brands: BrandsRead | None = None,
            each: Callable[[Job, int], None] | None = None) -> list[Job]:
    """Load every pack in each brand asked for (see load.load_packs: every check is done there, and *brands*
    already read are not read again), and compose.

    *each* is given each job as soon as it is composed, with the number of pack-brand pairs to load in all:
    the jobs given before a problem is raised were sound (see load.Loading)."""
    boards: dict[tuple[Path, str], str] = {}  # each pack's own board, read once for all the brands it is built in
    loading = Loading(pack_paths, brand_name, only, brands)
    jobs = []
    for item in loading:
        jobs.append(Job(item.pack, item.brand, compose(item.pack, item.library, item.brand,
                                                       adapted_from(item, boards)), item.library))
        if each:
            each(jobs[-1], len(loading.pairs))
    return jobs


def adapted_from(item: Loaded, boards: dict[tuple[Path, str], str]) -> str:
    """The pack's own board, when it is built in another board's brand: the document credits it.

    A brand with the same board name (a variant of the pack's own brand) is the same board: no credit.
    *boards* keeps the names found, by branding folder and brand, for the build's other documents."""
    if not item.pack.credit or item.pack.brand == item.brand.id:
        return ""
    key = (item.brand.folder.parent, item.pack.brand)
    if key not in boards:
        boards[key] = board_name(*key)
    return "" if boards[key].casefold() == item.brand.name.casefold() else boards[key]


def same_output(tasks: list[Task]) -> list[Problem]:
    """Two different pack files that would write the same output file."""
    first: dict[str, Path] = {}
    real: dict[Path, Path] = {}  # each pack's, found once (a batch has a few packs in many brands)
    problems = []
    for task in tasks:
        other = first.setdefault(task.name, task.pack_path)
        for path in (other, task.pack_path):
            if path not in real:
                real[path] = real_path(path)
        if real[other] != real[task.pack_path]:
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
    reading_times: list[str] = field(default_factory=list)
    """'lancashire-7mb: about 5 minutes to read aloud (616 words)', for each 7-minute briefing made."""
    backups: list[tuple[Path, Path]] = field(default_factory=list)
    """Each file --force replaced, and the dated name its previous version is kept under."""


def reading_times(jobs: list[Job]) -> list[str]:
    """The time to read each 7-minute briefing aloud."""
    times = []
    brands_of = Counter(job.pack.path for job in jobs)
    for job in jobs:
        if job.pack.kind != "seven-minute-briefing":
            continue
        name = f"{job.brand.id}/{job.pack.id}" if brands_of[job.pack.path] > 1 else job.pack.id
        total = readtime.words(job.document.blocks)
        minutes = readtime.minutes(total, job.brand.words_per_minute)
        times.append(f"{name}: about {minutes} minute{'s' if minutes != 1 else ''} to read aloud "
                     f"({total} words)")
    return times


def too_long(job: Job) -> tuple[str, ...]:
    """A note with the sections' words of a 7-minute briefing that takes too long to read aloud (without the
    pack's name, see uptodate.said_notes)."""
    if job.pack.kind != "seven-minute-briefing":
        return ()
    minutes = readtime.minutes(readtime.words(job.document.blocks), job.brand.words_per_minute)
    if minutes <= readtime.BUDGET_MINUTES:
        return ()
    sections = ", ".join(f"{s.number} {s.label} {n}" for s, n in readtime.section_words(job.document))
    return (f"about {minutes} minutes to read aloud at {job.brand.words_per_minute} words a minute, more than "
            f"{readtime.BUDGET_MINUTES} — words by section: {sections}; trim the longest",)


Progress = Callable[[int, str], None]
"""Called as documents are made: how many more pairs are done, and the last one's 'brand/pack'."""


def build(pack_paths: list[Path], *, brand: str | None | tuple[str, ...], formats: tuple[str, ...], out: Path,
          force: bool = False, helper: parallel.Helper | None = None,
          kit: bool = False) -> tuple[list[Path], list[str]]:
    """Build each pack in each format under *out*/<brand>/; return the files written and notes.

    With *kit* (or a pack's own 'kit: true') each pack's team-meeting kit is built too, as <pack>-kit.
    """
    result = run(pack_paths, brand=brand, formats=formats, out=out, force=force, helper=helper, kit=kit)
    return result.written, result.notes


def run(pack_paths: list[Path], *, brand: str | None | tuple[str, ...], formats: tuple[str, ...], out: Path,
        force: bool = False, helper: parallel.Helper | None = None, progress: Progress | None = None,
        planned: Callable[[int], None] | None = None, strict: bool = False,
        kit: bool = False, large_print: bool = False) -> Result:
    """Build each pack in each brand asked for (see prepare) in each format under *out*/<brand>/.

    Outputs whose inputs have not changed since they were written are skipped without loading anything.
    *helper* is a PDF helper the caller started early (see parallel.pdf_helper); *planned* is told how
    many pack-brand pairs will be made, before any is; *progress* as each is made. With *strict*, notes
    and warnings (another board named in the text) are problems: nothing is written. With *large_print*,
    the large-print edition is made instead: <pack>-large-print.pdf and .docx (always made, never skipped).
    """
    from briefpack.output import MANIFEST

    asked = (brand,) if isinstance(brand, str) else tuple(dict.fromkeys(brand or ()))
    planner = uptodate.Planner(formats, kit)
    try:
        if not pack_paths:
            raise BriefpackError([no_packs()])
        record = uptodate.recorded(out, MANIFEST)
        requests = None if large_print else planner.plan(pack_paths, asked, record)
        todo = [r for r in requests or () if not uptodate.unchanged(r, out, record)]
        # A set to look in: 'r in todo' compared each request with every one before it, about 280,000
        # comparisons of two paths and a name for 750 pairs (0.1-0.2 s, once before the rendering and once
        # after it, when no worker is busy).
        rebuilt = set(todo)
        skipped = [out / rel for r in requests or () if r not in rebuilt for rel in r.outputs]
        if requests is not None and not todo:
            if helper:
                helper.cancel()
            notes = said_notes((r.brand, r.pack, uptodate.said_before(r, record)) for r in requests)
            notes += uptodate.stale_kits(requests, record, out) + pack_notes(pack_paths)
            if strict and notes:
                raise BriefpackError(notes_as_problems(notes))
            return Result([], skipped, notes)
        recordable = None if large_print else planner.snapshot(pack_paths)
    except BaseException:
        if helper:
            helper.cancel()
        raise
    only = None if requests is None else {(r.brand, r.pack) for r in todo}
    stream = Stream(out, force, allowed=not strict)  # --strict: notes stop the build before any write
    with stream:
        try:
            jobs, files, said = _render(pack_paths, asked, formats, helper, only, progress, planned, kit,
                                        large_print, stream)
        except BriefpackError as exc:
            if stream.written:  # a large build wrote its first groups before a later one found a problem
                raise BriefpackError(exc.problems, nothing_written=False) from None
            raise
        # What a skipped pair's build said is said again: the same warnings on every run.
        if requests is None:
            everything = [(brand_id, path, s) for (brand_id, path), s in said.items()]
        else:
            everything = [(r.brand, r.pack, said.get((r.brand, r.pack), Said()) if r in rebuilt
                           else uptodate.said_before(r, record)) for r in requests]
        if large_print:
            made: list[uptodate.Request] = []
        else:  # (a pack that changed since the last build names its brand only inside: known once loaded)
            made = requests if requests is not None else [planner.request(j.pack.path, j.brand.id) for j in jobs]
        notes = said_notes(everything) + uptodate.stale_kits(made, record, out) + pack_notes(pack_paths)
        if strict and notes:
            raise BriefpackError(notes_as_problems(notes))
        stream.add(files)
        # What each output was made from is saved with the manifest's last list of what was written: once.
        stream.flush(record_inputs(planner, jobs, said, out) if recordable else None)
    written = stream.in_order(stream.written)
    return Result([p for p in written if p.relative_to(out).as_posix() not in stream.same],
                  skipped + stream.in_order([out / name for name in stream.same]), notes, reading_times(jobs),
                  stream.folder.backups)


STREAM_FROM = 20
"""Builds of more pack-brand pairs than this write their files in groups as they are made."""
STREAM_BYTES = 24 * 1024 * 1024
"""How much rendered output a large build holds before writing it."""


class Stream:
    """Write a build's files: all at once, or for a large build in groups as they are rendered.

    A large build holds a few groups in memory, not all of its files. It streams only when every output
    that already exists is briefpack's own: then no later group can be refused for an edited file after
    an earlier one was written. Otherwise it writes all at once, or none, as a small build does.
    """

    def __init__(self, out: Path, force: bool, allowed: bool = True) -> None:
        from briefpack.output import OutputFolder

        self.folder = OutputFolder(out)
        self.force = force
        self.allowed = allowed
        self.streaming = False
        self.pending: dict[str, bytes] = {}
        self.size = 0
        self.written: list[Path] = []
        self.same: set[str] = set()
        """Files that already held exactly the bytes rendered for them."""
        self.stack = contextlib.ExitStack()
        self.locked = False
        self.order: dict[str, int] = {}
        """The command line's order of the files, as they are added."""

    def __enter__(self) -> Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stack.close()

    def start(self, names: list[str]) -> bool:
        """Stream *names* if it is allowed and safe (see the class); say whether it does."""
        from briefpack.output import file_digest

        self.order = {name: n for n, name in enumerate(names)}
        if not self.allowed:
            return False
        record = self.folder.record()
        for name in names:
            try:
                current = file_digest(self.folder.root / name)
            except FileNotFoundError:
                continue
            except OSError:
                return False
            if not record.accepts(name, current):
                return False
        self.streaming = True
        return True

    def in_order(self, paths: list[Path]) -> list[Path]:
        """*paths* (under the output folder) in the command line's order: each pack, then each format."""
        return sorted(paths, key=lambda path: self.order[path.relative_to(self.folder.root).as_posix()])

    def add(self, files: dict[str, bytes]) -> None:
        for name in files:
            self.order.setdefault(name, len(self.order))
        self.same.update(name for name, data in files.items() if _holds(self.folder.root / name, data))
        self.pending.update(files)
        self.size += sum(len(data) for data in files.values())
        if self.streaming and self.size >= STREAM_BYTES:
            self.flush()

    def flush(self, also: Callable[[dict[str, object]], None] | None = None) -> None:
        """Write what is pending, taking the folder's lock for the rest of the build if not yet taken; *also*
        changes the manifest's other entries, saved with the files' hashes (see OutputFolder.write_all)."""
        if not self.locked:
            self.stack.enter_context(self.folder.locked())
            self.locked = True
        if self.pending:
            self.written += self.folder.write_all(self.pending, self.force, also)
        elif also is not None:
            self.folder.save_others(also)
        self.pending, self.size = {}, 0


Settled = Callable[[list[Job], list[Task], tuple[str, ...]], dict[str, tuple[str, ...]]]
"""Given the jobs and tasks of a build, the outputs whose rendering is already known without rendering them
('brand/pack.format' -> its layout notes); see check.proven."""
Prove = Callable[[list[Job], list[Task], tuple[str, ...], parallel.Helper | None, Callable[[], None]],
                 dict[str, tuple[bytes, tuple[str, ...]]]]
"""Lays out tasks for their verdicts only, making no files (given the jobs, the tasks, the formats, the helper
started early, and what to do meanwhile if they are laid out elsewhere); see check.prove."""


def render_packs(pack_paths: list[Path], *, brand: str | None | tuple[str, ...], formats: tuple[str, ...],
                 helper: parallel.Helper | None = None, kit: bool = False,
                 settled: Settled | None = None, prove: Prove | None = None,
                 brands: BrandsRead | None = None) -> tuple[dict[str, bytes], list[str]]:
    """Every check and every file of a build, in memory: 'brand/pack.format' -> bytes, and notes.

    This is a build without its write step; `briefpack check` runs it too, so it inherits every check.
    Outputs *settled* names are not rendered (and have no bytes here); their notes are as it says. With
    *prove* only the checks are wanted, not the files: it lays the PDFs out, untagged and not made (Task.proof).
    *brands* the caller read already are not read again.
    """
    if not pack_paths:
        if helper:
            helper.cancel()
        raise BriefpackError([no_packs()])
    asked = (brand,) if isinstance(brand, str) else tuple(dict.fromkeys(brand or ()))
    _, files, said = _render(pack_paths, asked, formats, helper, kit=kit, settled=settled, prove=prove,
                             brands=brands)
    return files, said_notes((b, path, s) for (b, path), s in said.items()) + pack_notes(pack_paths)


def no_packs() -> Problem:
    return Problem(display_path(Path.cwd() / "packs"), 0, 0, "there are no pack files here",
                   "run briefpack in your project folder (the one with packs/ and branding/), or name a pack file")


def _render(pack_paths: list[Path], asked: tuple[str, ...], formats: tuple[str, ...],
            helper: parallel.Helper | None, only: set[tuple[str, Path]] | None = None,
            progress: Progress | None = None, planned: Callable[[int], None] | None = None, kit: bool = False,
            large_print: bool = False, stream: Stream | None = None, settled: Settled | None = None,
            prove: Prove | None = None,
            brands: BrandsRead | None = None) -> tuple[list[Job], dict[str, bytes], dict[tuple[str, Path], Said]]:
    """Prepare and render: the jobs, each file's bytes ('brand/pack.format', in command-line order), and what
    each job's build says (its warnings and notes) by (brand, pack file), in command-line order.

    Two or more pack-brand pairs are spread over one worker process per core; one is rendered here,
    its PDF in *helper* if there is one. With *prove* (a check) it lays the PDFs out instead, with *helper*.
    A large build hands its files to *stream* as they are made (they are then not among the files returned).
    """
    suffix = LARGE_PRINT_SUFFIX if large_print else ""
    proof = prove is not None
    jobs: list[Job] = []
    tasks: list[Task] = []
    tasks_of: dict[tuple[str, Path], list[Task]] = {}
    early: Early | None = None
    eager = (prove is None and settled is None and helper is None and parallel.workers_allowed()
             and parallel.forking())

    def take(job: Job, pairs: int) -> None:
        nonlocal early
        if large_print:
            job = replace(job, document=composing.large_print(job.document))
        jobs.append(job)
        mine = [Task(f"{job.brand.id}/{job.pack.id}{suffix}", job.pack.path, job.document, job.brand, not proof,
                     proof)]
        if (kit or job.pack.kit) and not large_print:
            from briefpack.kit import compose_kit
            mine.append(Task(f"{job.brand.id}/{job.pack.id}{KIT_SUFFIX}", job.pack.path,
                             compose_kit(job.pack, job.library, job.brand, job.document), job.brand, not proof,
                             proof))
        tasks_of[(job.brand.id, job.pack.path)] = mine
        tasks.extend(mine)
        if eager and early is None and 0 < early_share(pairs * len(mine)) <= len(tasks):
            early = Early(tasks, formats)  # the rest are loaded and composed while it renders these

    try:
        prepare(pack_paths, asked, only, brands, take)
        clashes = same_output(tasks)
        if clashes:
            raise BriefpackError(clashes)
    except BaseException:
        if helper:
            helper.cancel()
        if early:
            early.cancel()
        raise
    with contextlib.ExitStack() as stack:
        if early:
            stack.callback(early.cancel)  # stopped if anything goes wrong before its work is taken
        return _rendered(jobs, tasks, tasks_of, formats, helper, progress, planned, stream, settled, prove, early)


def _rendered(jobs: list[Job], tasks: list[Task], tasks_of: dict[tuple[str, Path], list[Task]],
              formats: tuple[str, ...], helper: parallel.Helper | None, progress: Progress | None,
              planned: Callable[[int], None] | None, stream: Stream | None, settled: Settled | None,
              prove: Prove | None,
              early: Early | None) -> tuple[list[Job], dict[str, bytes], dict[tuple[str, Path], Said]]:
    """_render's rendering, once every job is composed (see _render)."""
    if planned:
        planned(len(tasks))
    done = settled(jobs, tasks, formats) if settled else {}
    rendered = {name: (b"", notes) for name, notes in done.items()}
    todo = [task for task in tasks if any(f"{task.name}.{fmt}" not in done for fmt in formats)]
    leaks: dict[tuple[str, Path], tuple[str, ...]] | None = None

    def check_leaks() -> None:  # while the workers render: the main process has nothing else to do then
        nonlocal leaks
        leaks = leak_check(jobs)
    try:
        if done and not todo:  # every output settled: nothing to render
            if helper:
                helper.cancel()
        elif prove is not None:
            rendered |= prove(jobs, todo, formats, helper, check_leaks)
        elif len(todo) > 1 and parallel.workers_allowed():
            if helper:
                helper.cancel()
            names = [f"{task.name}.{fmt}" for task in todo for fmt in formats]
            sink = stream if stream and len(todo) > STREAM_FROM and stream.start(names) else None
            rendered |= render_in_pool(jobs, todo, formats, progress, sink.add if sink else None, check_leaks,
                                       sink.flush if sink else None, early)
        else:
            rendered |= render_here(jobs, todo, formats, helper)
            if progress and todo:
                progress(len(todo), todo[-1].name)
    except BriefpackError:
        raise
    except Exception:
        # A renderer that fails on sound input most likely met a damaged glyph in an installed font
        # package, which a build does not checksum (see fontfile.verify): name the file, not reportlab's
        # IndexError. Anything else is briefpack's own bug and stays a traceback.
        damaged = damaged_fonts(jobs)
        if damaged:
            raise BriefpackError(damaged) from None
        raise
    if leaks is None:
        leaks = leak_check(jobs)
    # The same order as the command line asked for: each pack, then each format.
    names = [f"{task.name}.{fmt}" for task in tasks for fmt in formats]
    said = {}
    for job in jobs:
        outputs = [f"{task.name}.{fmt}" for task in tasks_of[(job.brand.id, job.pack.path)] for fmt in formats]
        said[(job.brand.id, job.pack.path)] = Said(
            leaks[(job.brand.id, job.pack.path)], tuple((name, tuple(rendered[name][1])) for name in outputs),
            too_long(job))
    return jobs, {name: rendered[name][0] for name in names if name in rendered and rendered[name][0]}, said


def leak_check(jobs: list[Job]) -> dict[tuple[str, Path], tuple[str, ...]]:
    """The leak check's warnings for each job (another board named in its document, or the default brand's example
    addresses kept by its brand), by (brand, pack file)."""
    from briefpack.brandnew import example_address_warnings

    found = {}
    identities: dict[int, Identities] = {}  # the brands' names and aliases, found once per library
    examples: dict[Path, tuple[str, ...]] = {}  # the default brand's example addresses kept, once per brand
    for job in jobs:
        known = identities.setdefault(id(job.library), Identities(job.library))
        kept = examples.get(job.brand.folder)
        if kept is None:
            kept = examples[job.brand.folder] = example_address_warnings(job.brand)
        found[(job.brand.id, job.pack.path)] = tuple(
            str(w) for w in leak_warnings(job.pack, job.library, job.brand, job.document, known)) + kept
    return found


def damaged_fonts(jobs: list[Job]) -> list[Problem]:
    """A problem for each font file of these jobs' brands that fails the whole check ('brand check's)."""
    from briefpack import fontfile

    problems = []
    for brand in {job.brand.id: job.brand for job in jobs}.values():
        for path in dict.fromkeys(brand.fonts.files + brand.fallback.files):
            if what := fontfile.damage(path):
                problems.append(Problem(display_path(brand.folder / "brand.yaml"), 0, 0, what, fontfile.mend(path)))
    return problems


LARGE_PRINT_SUFFIX = "-large-print"
"""Added to a pack's output name for its large-print edition."""


def record_inputs(planner: uptodate.Planner, jobs: list[Job], said: dict[tuple[str, Path], Said],
                  out: Path) -> Callable[[dict[str, object]], None]:
    """What remembers, in the manifest's entries (once the outputs are written), what each output was made
    from, so an unchanged one is skipped next time."""
    def record(manifest: dict[str, object]) -> None:
        unchanged_packs = {}
        for path in {job.pack.path for job in jobs}:
            # An input changed while it was built (the pack, the library, a brand file, even one put back since)
            # is not recorded, so built again next time: what was hashed is not what the build read.
            if planner.still_read(path):
                unchanged_packs[path] = uptodate.sha(planner.read[path])
        done = [job for job in jobs if job.pack.path in unchanged_packs]
        uptodate.record_into(manifest, out, [(planner.request(job.pack.path, job.brand.id),
                                              said.get((job.brand.id, job.pack.path), Said())) for job in done],
                             {job.pack.path: (unchanged_packs[job.pack.path], job.pack.brand) for job in done})
    return record


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
    rendered: dict[str, tuple[bytes, tuple[str, ...]]] = {}
    try:
        if helper:
            helper.send(tasks)
            try:
                for fmt in formats:
                    if fmt != "pdf":
                        rendered |= render_all(tasks, fmt)
            except BaseException:
                helper.stop()
                raise
            try:
                rendered |= helper.answer()
            except parallel.WorkerDied:
                raise BriefpackError([stopped(tasks[0].pack_path)]) from None
        else:
            for fmt in formats:
                rendered |= render_all(tasks, fmt)
    except MissingCharactersIn as exc:
        raise BriefpackError(missing_problems(jobs, exc)) from None
    return rendered


def missing_problems(jobs: list[Job], exc: MissingCharactersIn) -> list[Problem]:
    """Characters the PDF could not draw. load checked every user text, so these come from briefpack's own
    words or from a font that does not draw what its character map claims."""
    names = {f"{j.brand.id}/{j.pack.id}": j for j in jobs}
    job = names.get(exc.name) or names[exc.name.removesuffix(KIT_SUFFIX)]
    shown = ", ".join(f"U+{ord(c):04X}" for c in sorted(exc.characters))
    return [Problem(display_path(job.brand.folder / "brand.yaml"), 0, 0,
                    f"the brand's fonts ({job.brand.fonts.family}, {job.brand.fallback.family}) cannot draw {shown}",
                    "give the brand a 'fallback' font that has these characters")]


PART = 4
"""At most this many tasks (pack-brand pairs) go to a worker at once: parts small enough that the cores finish
together and a part's files are written soon, large enough that handing them out costs next to nothing."""


DRAIN_FROM = 2
"""A streaming batch writes its files as each part comes in once no more than this many parts a worker are
left to come: what it held until then (up to STREAM_BYTES, about 200 files to write and sync) took about
0.3 s after the workers had finished, with both cores idle. Earlier, writing part by part would save the
manifest hundreds of times."""


def chunks(tasks: list[Task], workers: int) -> list[list[Task]]:
    """The tasks in parts for the workers: each brand's together, at most PART or a share of the work each.

    A brand's documents are rendered one after another (its fonts, logos and looks are then at hand in the
    worker's memos), however the command line ordered them; the files are still reported in its order.
    """
    ordered = by_brand(tasks)
    most = max(1, min(PART, -(-len(ordered) // (2 * workers))))
    return [ordered[n:n + most] for n in range(0, len(ordered), most)]


def by_brand(tasks: list[Task]) -> list[Task]:
    """*tasks* with each brand's together, brands in the order they first come (see chunks)."""
    same: dict[str, list[Task]] = {}
    for task in tasks:
        same.setdefault(task.brand.id, []).append(task)
    return [task for brand in same.values() for task in brand]


def render_chunk(tasks: list[Task], formats: tuple[str, ...]) -> dict[str, tuple[bytes, tuple[str, ...]]]:
    """Render *tasks* in every format (in a worker process), then give back the memory their making freed."""
    done = {f"{task.name}.{fmt}": render(task, fmt) for task in tasks for fmt in formats}
    parallel.give_back_memory()
    return done


_WORK: list[Task] = []
"""The tasks of the batch being rendered in a pool: workers forked from this process have them already and
are sent only their numbers (pickling every document to a worker and back into objects cost ~1 ms a pair)."""

Failed = MissingCharactersIn | BriefpackError


def failure_problems(jobs: list[Job], exc: Failed) -> Sequence[Problem]:
    """The problems a task that could not be rendered reports: characters no font draws, with the brand that
    lacks them (missing_problems), or a BriefpackError's own."""
    return missing_problems(jobs, exc) if isinstance(exc, MissingCharactersIn) else exc.problems


def render_part(part: list[int] | list[Task], formats: tuple[str, ...]) -> tuple[
        dict[str, tuple[bytes, tuple[str, ...]]], list[tuple[int, Failed]]]:
    """Render a part of the work in a worker: its tasks, or their numbers in _WORK. Returns the files, and
    the problems of the tasks that could not be rendered, each with its place in the part (every one: a
    failing task does not hide the next's problems); with a problem, the part's files are not returned."""
    tasks = [_WORK[n] if isinstance(n, int) else n for n in part]
    try:
        return render_chunk(tasks, formats), []
    except (MissingCharactersIn, BriefpackError) as exc:
        if len(tasks) == 1:
            return {}, [(0, exc)]
    failed: list[tuple[int, Failed]] = []
    for n, task in enumerate(tasks):
        try:
            render_chunk([task], formats)
        except (MissingCharactersIn, BriefpackError) as exc:
            failed.append((n, exc))
    return {}, failed


EARLY_FROM = 100
"""A build of at least this many documents starts rendering its first ones while it loads and composes the rest
(see Early)."""
EARLY_SHARE = 30
"""The early worker renders one document in this many: about what it renders while the build loads and composes
the rest, which costs about a thirtieth of rendering them (150 brands x 5 packs: ~0.75 s against ~27 s)."""


def early_share(documents: int) -> int:
    """How many of a build's first *documents* an early worker renders (0: none; see Early)."""
    return max(2, documents // EARLY_SHARE) if documents >= EARLY_FROM else 0


class Early:
    """The first documents of a large build, rendered in a worker forked as soon as they are composed.

    Loading and composing 750 pairs took about 0.8 s in this process before any worker started, with the
    machine's other cores idle. This worker (a parallel.Helper, forked with the tasks composed so far in
    _WORK) renders those while the rest are loaded and composed; the pool started after that renders the rest.
    If loading then finds a problem, it is stopped and its work is thrown away: nothing is written.
    """

    def __init__(self, tasks: list[Task], formats: tuple[str, ...]) -> None:
        parallel.warm(formats)
        self.tasks = list(tasks)
        _WORK[:] = self.tasks
        try:
            self.helper = parallel.Helper(lambda: None, functools.partial(_render_first, formats=formats))
            # Only a number: a request that fits the pipe is written at once, so no thread holds the pipe's end
            # open when the pool is forked (its workers would keep the early worker waiting for the rest).
            self.helper.send(len(self.tasks))
        finally:
            _WORK.clear()

    def answer(self) -> tuple[dict[str, tuple[bytes, tuple[str, ...]]], list[tuple[int, Failed]]]:
        """Its files and failures, as render_part's (parallel.WorkerDied if it died)."""
        return self.helper.answer()  # type: ignore[no-any-return]

    def cancel(self) -> None:
        self.helper.cancel()

    def stop(self) -> None:
        self.helper.stop()


def _render_first(count: int, formats: tuple[str, ...]) -> tuple[
        dict[str, tuple[bytes, tuple[str, ...]]], list[tuple[int, Failed]]]:
    """The early worker's work: the first *count* tasks of _WORK (see Early)."""
    return render_part(list(range(count)), formats)


def render_in_pool(jobs: list[Job], tasks: list[Task], formats: tuple[str, ...], progress: Progress | None,
                   sink: Callable[[dict[str, bytes]], None] | None = None,
                   meanwhile: Callable[[], None] | None = None,
                   drain: Callable[[], None] | None = None,
                   early: Early | None = None) -> dict[str, tuple[bytes, tuple[str, ...]]]:
    """Render over one worker process per core; every problem of every worker is reported.

    With *sink*, each part's files go to it as the part is done, and only their notes are returned.
    *meanwhile* is done here once the work is handed out, while the workers render. *drain* writes what the
    sink holds: it is called as each of the last parts comes in, so that the files of all but the very last
    are written while a worker still renders, not after every worker has finished. *early* renders the first
    of *tasks* already (see Early); the pool renders the rest. Problems are said in the order of by_brand(),
    however the work was handed out.
    """
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    workers = parallel.cores()
    first_tasks = early.tasks if early else []
    assert tasks[:len(first_tasks)] == first_tasks
    parts = chunks(tasks[len(first_tasks):], workers)
    rank = {id(task): n for n, task in enumerate(by_brand(tasks))}
    rendered: dict[str, tuple[bytes, tuple[str, ...]]] = {}
    problems: list[tuple[int, list[Problem]]] = []
    executor = None
    parallel.warm(formats)
    inherit = parallel.forking()

    def take(part: list[Task], done: dict[str, tuple[bytes, tuple[str, ...]]], failed: list[tuple[int, Failed]],
             left: int) -> None:
        """A part's outcome; *left*: how many parts are still to come."""
        nonlocal rendered
        if failed:
            problems.extend((rank[id(part[n])], list(failure_problems(jobs, exc))) for n, exc in failed)
        elif sink:
            sink({name: data for name, (data, _) in done.items()})
            done = {name: (b"", notes) for name, (_, notes) in done.items()}
            if drain and left <= DRAIN_FROM * workers:
                drain()
        rendered |= done
        if progress:
            progress(len(part), part[-1].name)
    if inherit:
        _WORK[:] = first_tasks + [task for part in parts for task in part]
    try:
        try:
            futures, first = {}, len(first_tasks)
            if parts:
                executor = parallel.pool(min(workers, len(parts)))
                for n, part in enumerate(parts):
                    sent = list(range(first, first + len(part))) if inherit else part
                    futures[executor.submit(render_part, sent, formats)] = n
                    first += len(part)
            if meanwhile:
                meanwhile()
            if early:
                try:
                    take(first_tasks, *early.answer(), len(futures))
                except parallel.WorkerDied:
                    problems.append((rank[id(first_tasks[0])], [stopped(first_tasks[0].pack_path)]))
            for future in as_completed(futures):
                n = futures.pop(future)  # the future holds its files: let them go once written
                try:
                    done, failed = future.result()
                except BrokenProcessPool:
                    problems.append((rank[id(parts[n][0])], [stopped(parts[n][0].pack_path)]))
                    break
                take(parts[n], done, failed, len(futures))
        except BaseException:
            if executor:
                parallel.stop(executor)
            if early:
                early.stop()
            raise
        finally:
            if executor:
                executor.shutdown(wait=True, cancel_futures=True)
    finally:
        _WORK.clear()
    if problems:
        raise BriefpackError([p for _, found in sorted(problems, key=lambda item: item[0]) for p in found])
    return rendered
