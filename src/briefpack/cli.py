"""The command line. Thin: parse options, call one function, print. Heavy modules load inside commands."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys


def _stopped_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C before the command has even started: nothing can have changed, so say so and stop."""
    os.write(2, b"stopped; nothing was changed\n")
    os._exit(130)


# Ctrl-C while Python imports Click gives the same one line as Ctrl-C in a command, not a traceback.
# Only when Ctrl-C has its usual meaning (not ignored, not a test runner's own handler); restored below.
_STARTING = signal.getsignal(signal.SIGINT) is signal.default_int_handler
if _STARTING:
    try:
        signal.signal(signal.SIGINT, _stopped_while_starting)
    except ValueError:  # imported outside the main thread
        _STARTING = False

import gc  # noqa: E402

# A command makes many objects and frees few of them until it ends (modules, loaded packs, layouts): with
# Python's default, a collection every 700 new objects, a one-briefing build spent about 5 % of its CPU
# looking for cycles to free and finding next to none. The workers of a batch, forked from this process, keep
# this too: at the default a worker spent about 6 % more CPU (a 750-pair batch: about 2 s of its 30), for a
# peak of 112 MiB against 120 MiB (the target is 150). Their inherited objects are frozen (parallel.pool), so a
# collection there looks only at what the worker made.
USUAL_COLLECTION = gc.get_threshold()
gc.set_threshold(10_000, *USUAL_COLLECTION[1:])
ONE_DOCUMENT_COLLECTION = 50_000
"""A build of one pack in one brand collects still less often: at 10,000 its two processes made six
collections (about 6 ms of CPU, the young objects of loading scanned again and again) and freed almost nothing;
at 50,000, none or one. Its peak memory is the same; a batch keeps 10,000 (its main process holds every job)."""

from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import click  # noqa: E402

from briefpack import __version__  # noqa: E402
from briefpack.project import PACK_KINDS  # noqa: E402

FORMATS = ("pdf", "docx")

class _Given(click.ParamType):
    """A value that must not be empty: an empty one is a shell slip and a usage error, never 'this folder'
    or 'the pack's own brand'. Mixed in before a Click type (or alone, for plain text)."""

    name = "name"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("it is empty — give a name (quotes around nothing, or a variable that is not set?)", param, ctx)
        return super().convert(value, param, ctx)


class _Path(_Given, click.Path):
    """A file or folder name, not empty."""


class _Name(_Given):
    """A brand or pack name, not empty."""


NAME = _Name()


def _reads_only(command: Any) -> Any:
    """Mark *command* as one that writes nothing: its problems end '2 problems found.', not '…; nothing was
    written.' (which would suggest it might have written something)."""
    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        from briefpack.errors import BriefpackError

        try:
            return command(*args, **kwargs)
        except BriefpackError as exc:
            exc.reads_only = True
            raise
    return run


class Briefpack(click.Group):
    """The command group; Ctrl-C in any command prints one line and exits 130."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            if args or kwargs:  # called from Python with its own arguments (tests, a script): an ordinary call
                return super().main(*args, **kwargs)
            if sys.stdout is None:  # started with it closed (`>&-`): what it prints would vanish with status 0
                sys.stdout = _Closed()
            try:  # the program itself (the briefpack command, python -m briefpack)
                return super().main()
            except SystemExit as exc:
                if exc.code in (0, None):
                    _leave_now()
                raise
        except OSError as exc:  # Click ends a closed pipe (`| head`) quietly itself
            if exc.filename is not None:
                raise  # a named file's error not turned into a problem: a bug to see
            _cannot_print(exc)

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        # Ctrl-C while Click reads the command line: the same line and status as in a command (not
        # Click's "Aborted!" and status 1). Subcommands' command lines are read inside invoke() below.
        try:
            return super().make_context(info_name, args, parent, **extra)
        except KeyboardInterrupt:
            click.echo(stopped([]), err=True)
            raise click.exceptions.Exit(130) from None

    def invoke(self, ctx: click.Context) -> Any:
        hook = sys.unraisablehook
        terminate = None
        journal = None
        try:  # the import too: Ctrl-C while it runs is Ctrl-C in the command, not Click's "Aborted!"
            from briefpack import output

            output.start_journal()
            journal = output
            terminate = _stop_on_sigterm()
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            written = journal.written_in_this_run() if journal else []
            status = 128 + signal.SIGTERM if isinstance(exc, Terminated) else 130
            # What Ctrl-C cut short (a Word file half-zipped) is freed now; its complaints are noise.
            sys.unraisablehook = _quiet
        finally:
            if terminate is not None:
                signal.signal(signal.SIGTERM, terminate)
        try:
            gc.collect()
        finally:
            sys.unraisablehook = hook
        click.echo(stopped(written), err=True)
        raise click.exceptions.Exit(status)


class _Closed:
    """Standard output when the command was started without one: writing to it fails as a full disk does, so a
    command with something to print exits 1 (a quiet build prints nothing, and succeeds)."""

    def write(self, text: str) -> int:
        raise OSError(9, "standard output is closed")  # EBADF

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _cannot_print(exc: OSError) -> None:
    """What the command prints could not be written (a full disk behind `> file`, a terminal gone): say so on
    standard error if it can be, and exit 1. Files the command wrote stay as its last 'wrote' lines say."""
    fix = ("give it somewhere to print: a terminal, a file or a pipe" if isinstance(sys.stdout, _Closed) else
           "make room where its output goes, or run it without redirecting its output")
    with contextlib.suppress(OSError, ValueError):
        click.echo(f"cannot print what briefpack has to say ({exc.strerror}) — {fix}", err=True)
    sys.exit(1)


def _leave_now() -> None:
    """End the program that ran a command successfully at once, without the interpreter's teardown.

    At exit Python frees every object of the process one by one: after a one-briefing build about 45 ms of
    its 500 ms of CPU (a tenth), for nothing anyone sees. What a user could see of an exit is done first:
    the exit handlers run (atexit) and both output streams are flushed. Python exits as usual when that is
    not enough: a thread it would wait for is still running, output cannot be flushed (a closed pipe: it
    reports it), or a profiler or tracer (cProfile, coverage) writes its results at the end.
    """
    threading = sys.modules.get("threading")
    if threading and any(not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        return
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return
    import atexit

    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: started with the stream closed
                stream.flush()
    except (OSError, ValueError):
        return
    os._exit(0)


class Terminated(KeyboardInterrupt):
    """SIGTERM (kill, a CI job's time limit): stopped as Ctrl-C stops a build, with status 143."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated


def _stop_on_sigterm() -> Any:
    """Make SIGTERM stop a command as Ctrl-C does: temporary files removed, workers ended (killed
    outright they were left waiting for ever), one line saying what was written. Returns the handler to
    put back, or None when SIGTERM already had one (or this is not the main thread)."""
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return None
    try:
        return signal.signal(signal.SIGTERM, _terminated)
    except ValueError:
        return None


def _quiet(unraisable: Any) -> None:
    """Say nothing about an object that could not finish tidying up after Ctrl-C."""


def stopped(written: list[Path]) -> str:
    """The one line Ctrl-C prints: nothing changed, or which files were already replaced."""
    if not written:
        return "stopped; nothing was changed"
    return f"stopped; wrote {', '.join(_shown(p) for p in written)}; nothing else was changed"


@click.group(cls=Briefpack, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefpack")
def main() -> None:
    """Make branded safeguarding learning briefings, as PDF and Word, from YAML."""


PROGRESS_FROM = 4
"""Builds of more pack-brand pairs than this show a progress bar on a terminal instead of 'wrote' lines."""


def _outside_sources(out: Path, folder: Path, roots: set[Path], what: str, default: str) -> None:
    """Refuse an --out *out* whose *folder* is a project's packs/ or branding/ folder or inside one: briefpack
    reads there, and its files (and its list of them) would be taken for the user's."""
    from briefpack.project import source_folder

    if source := source_folder(folder, roots):
        raise click.BadParameter(f"'{out}' is in the project's {source.name}/ folder, where briefpack reads your "
                                 f"{'packs' if source.name == 'packs' else 'brands'} — choose {what} outside "
                                 f"packs/ and branding/, e.g. {default} (the default)", param_hint="'--out'")


@main.command()
@click.argument("packs", nargs=-1, type=_Path(path_type=Path, dir_okay=False), metavar="[PACK]...")
@click.option("--all", "build_all", is_flag=True, help="Build every pack in packs/.")
@click.option("--brand", "brands", metavar="NAME", multiple=True, type=NAME,
              help="Build in this brand instead of the pack's own (repeat for several; 'all' for every brand).")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Only this format (repeat for both). Default: pdf and docx.")
@click.option("--out", type=_Path(path_type=Path, file_okay=False),
              help="Output folder instead of output/.")
@click.option("--force", is_flag=True, help="Replace files edited since they were built, keeping a backup.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option("--strict", is_flag=True, help="Treat warnings and notes as problems: write nothing.")
@click.option("--kit", is_flag=True, help="Also build each pack's team-meeting kit (<pack>-kit.pdf and .docx).")
@click.option("--large-print", is_flag=True,
              help="Make the large-print edition instead: <pack>-large-print.pdf and .docx, text 16 pt or more.")
def build(packs: tuple[Path, ...], build_all: bool, brands: tuple[str, ...], formats: tuple[str, ...],
          out: Path | None, force: bool, quiet: bool, strict: bool,
          kit: bool, large_print: bool) -> None:
    """Build packs (files, or ids from packs/) into output/<brand>/<pack>.pdf and .docx."""
    if build_all == bool(packs):
        raise click.UsageError("name one or more packs (a file or an id from packs/), or use --all (not both)")
    brands = tuple(dict.fromkeys(brands))
    # One pack in one brand: a helper starts importing reportlab at once, while this process reads the
    # pack. Larger builds spread their documents over every core once they know there is work to do.
    single = len(packs) == 1 and len(brands) <= 1 and "all" not in brands
    if single:
        gc.set_threshold(ONE_DOCUMENT_COLLECTION, *USUAL_COLLECTION[1:])
    from briefpack.packref import find_packs
    from briefpack.project import Project, all_packs
    from briefpack.uptodate import nothing_to_do

    formats = tuple(dict.fromkeys(formats or FORMATS))
    paths = all_packs(Project(Path.cwd())) if build_all else find_packs(packs, Project(Path.cwd()))
    root = Project.of_pack(paths[0]).root if paths and not build_all else Path.cwd()
    if out is not None:
        _outside_sources(out, out, {root, *(Project.of_pack(p).root for p in paths)}, "a folder", "output/")
    out = out or root / "output"
    unchanged = nothing_to_do(paths, brands, formats, out, kit) if paths and not large_print else None
    if unchanged is not None:  # found without loading anything; what the build said is said again
        from briefpack.doccontrol import pack_notes
        from briefpack.uptodate import notes_as_problems

        files, notes = unchanged
        notes += pack_notes(paths)
        if strict and notes:
            from briefpack.errors import BriefpackError
            raise BriefpackError(notes_as_problems(notes))
        if not quiet:
            click.echo(_up_to_date(len(files), out))
        for note in notes:
            click.echo(_note(note), err=True)
        return
    # Before the helper starts, what both processes need, imported once: the model, Pillow (this process
    # checks the brand's images, the helper draws them), the font files' checks, reading times and charts.
    import PIL.Image

    import briefpack.fontfile  # noqa: F401
    import briefpack.readtime  # noqa: F401
    import briefpack.render.figures  # noqa: F401
    import briefpack.rendering  # noqa: F401

    PIL.Image.preinit()  # the common image formats' readers
    from briefpack.parallel import pdf_helper

    helper = pdf_helper(formats) if single else None
    from briefpack.build import run

    with Progress(quiet) as progress:
        result = run(paths, brand=brands, formats=formats, out=out, force=force,
                     helper=helper, planned=progress.start, progress=progress.advance, strict=strict, kit=kit,
                     large_print=large_print)
    if not quiet:
        folder = _shown(out)
        if progress.shown:
            for line in result.reading_times:  # before the one summary line a progress bar ends with
                click.echo(line)
            click.echo(f"wrote {_files(len(result.written))} in {folder}/")
        else:
            for path in result.written:
                click.echo(f"wrote {_shown(path)}")
        if result.unchanged:
            click.echo(f"{_files(len(result.unchanged))} in {folder}/ already up to date" if result.written
                       else _up_to_date(len(result.unchanged), out))
        if not progress.shown:
            for line in result.reading_times:
                click.echo(line)
    from briefpack.output import kept

    for line in kept(result.backups):  # even with -q: where the user's edits went is never left unsaid
        click.echo(line)
    for note in result.notes:
        click.echo(_note(note), err=True)


@main.command()
@click.argument("packs", nargs=-1, type=_Path(path_type=Path, dir_okay=False), metavar="[PACK]...")
@click.option("--all", "check_all", is_flag=True, help="Check every pack and every brand (the default).")
@click.option("--brand", "brands", metavar="NAME", multiple=True, type=NAME,
              help="Check in this brand instead of each pack's own (repeat for several; 'all' for every brand).")
@click.option("--strict", is_flag=True, help="Treat notes (e.g. tiles that do not fit) as problems.")
@_reads_only
def check(packs: tuple[Path, ...], check_all: bool, brands: tuple[str, ...], strict: bool) -> None:
    """Run every check a build runs, writing nothing; exit 1 on a problem."""
    if check_all and packs:
        raise click.UsageError("name packs to check, or use --all (not both)")
    from briefpack.check import check as run_check
    from briefpack.packref import find_packs
    from briefpack.project import Project, all_packs

    project = Project(Path.cwd())
    paths = find_packs(packs, project) if packs else all_packs(project)
    notes = run_check(paths, brand=tuple(dict.fromkeys(brands)), strict=strict,
                      every_brand=None if packs else project.branding)
    for note in notes:
        click.echo(_note(note), err=True)
    noted = f" ({len(notes)} note{'s' * (len(notes) != 1)})" if notes else ""
    click.echo(f"checked {len(paths)} pack{'s' * (len(paths) != 1)}: no problems found{noted}")


class Progress:
    """Click's progress bar with the current brand and pack, for builds of many documents on a terminal."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.shown = False

    def __enter__(self) -> Progress:
        return self

    def start(self, pairs: int) -> None:
        if self.quiet or pairs <= PROGRESS_FROM or not _is_terminal():
            return
        self.bar = click.progressbar(length=pairs, label="building", show_pos=True,
                                     item_show_func=lambda name: name, file=sys.stdout)
        self.bar.__enter__()
        self.shown = True

    def advance(self, pairs: int, name: str) -> None:
        if self.bar is not None:
            self.bar.update(pairs, name)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _is_terminal() -> bool:
    """Whether standard output is a terminal (not a log file or a pipe)."""
    return sys.stdout.isatty()


def _up_to_date(files: int, out: Path) -> str:
    if files == 1:
        return f"nothing to do: the 1 file in {_shown(out)}/ is up to date"
    return f"nothing to do: all {files} files in {_shown(out)}/ are up to date"


def _files(n: int) -> str:
    return "1 file" if n == 1 else f"{n} files"


def _note(note: str) -> str:
    """A note as printed: a warning says so itself."""
    return note if note.startswith("warning: ") else f"note: {note}"


@main.group()
def new() -> None:
    """Start something new: a pack (for a brand, see 'briefpack brand new')."""


@new.command("pack")
@click.argument("pack_id", metavar="ID", type=NAME)
@click.option("--kind", default="seven-minute-briefing", show_default=True, type=click.Choice(PACK_KINDS),
              help="The document kind.")
@click.option("--brand", metavar="NAME", type=NAME, help="The pack's brand (default: 'default').")
@click.option("--theme", metavar="THEME", help="Start with the library's lessons and questions of this theme.")
def new_pack(pack_id: str, kind: str, brand: str | None, theme: str | None) -> None:
    """Write packs/ID.yaml, commented, that builds at once."""
    from briefpack.newpack import new_pack as write_pack
    from briefpack.project import Project

    path = write_pack(Project(Path.cwd()), pack_id, kind, brand, theme)
    click.echo(f"wrote {_shown(path)}")
    click.echo(f"next: edit {_shown(path)}, then run 'briefpack build {pack_id}'")


@main.command()
def fonts() -> None:
    """List the font families a brand can use now, with the 'fonts:' block to paste into brand.yaml."""
    from briefpack.fontlist import report

    click.echo(report(Path.cwd() / "branding"), nl=False)


@main.command()
@click.option("--out", type=_Path(path_type=Path, file_okay=False), default=Path("schemas"), show_default=True,
              help="The folder to write them in.")
def schema(out: Path) -> None:
    """Write JSON Schemas of packs, library files and brands, for your editor's completion and checks."""
    from briefpack.editorschema import write_schemas

    for path in write_schemas(out):
        click.echo(f"wrote {_shown(path)}")
    click.echo(f"next: put '# yaml-language-server: $schema=../{out.name}/pack.schema.json' at the top of a pack "
               "(see the README)")


LIST_KINDS = ("lessons", "questions", "actions", "contacts", "sources", "statistics", "links", "packs", "brands")


@main.command("list")
@click.argument("kind", required=False, type=click.Choice(LIST_KINDS))
@click.option("--theme", metavar="THEME", help="Only items with this theme (lessons, questions, packs).")
@click.option("--unused", is_flag=True, help="Only items no pack uses.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON, for scripts.")
@_reads_only
def list_(kind: str | None, theme: str | None, unused: bool, as_json: bool) -> None:
    """List the library's lessons, questions … and the packs and brands, with the packs that use each."""
    from briefpack import listing
    from briefpack.project import Project

    if kind is None and (theme or unused):
        raise click.UsageError("name what to list with --theme or --unused, e.g. 'briefpack list lessons'")
    if theme and kind not in listing.THEMED:
        raise click.UsageError(f"{kind} have no themes; --theme works with: {', '.join(listing.THEMED)}")
    if unused and kind == "packs":
        raise click.UsageError("--unused lists library items and brands no pack uses, not packs")
    project = Project(Path.cwd())
    found = listing.listing(project, kind, theme, unused) if kind else listing.summary(project)
    click.echo(listing.as_json(found) if as_json else listing.as_table(found), nl=False)
    for note in found.notes:
        click.echo(f"note: {note}", err=True)


def _shown(path: Path) -> str:
    from briefpack.errors import display_path
    return display_path(path)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="FILE_OR_FOLDER...",
                type=_Path(path_type=Path))
@click.option("--out", type=_Path(path_type=Path, dir_okay=False), default=Path("returns.csv"),
              show_default=True, help="The CSV file to write, one row per return.")
@click.option("--report", is_flag=True, help="Also write a branded summary, <out>-report.pdf and .docx.")
@click.option("--brand", metavar="NAME", type=NAME, help="The report's brand (default: the brand most returns name).")
@click.option("--force", is_flag=True, help="Replace files edited since they were written, keeping a backup.")
def returns(paths: tuple[Path, ...], out: Path, report: bool, brand: str | None, force: bool) -> None:
    """Collect filled team-meeting kits (PDF or Word) into a CSV and a summary; exit 1 if any was left out."""
    from briefpack.errors import BriefpackError
    from briefpack.returns import collect

    _outside_sources(out, out.parent, {Path.cwd()}, "a file", "returns.csv")
    lines, skipped = collect(list(paths), out, report=report, brand=brand, force=force)
    click.echo("\n".join(lines))
    if skipped:
        raise BriefpackError(skipped, nothing_written=False)


@main.group()
def brand() -> None:
    """Make and check a board's brand (branding/NAME/)."""


@brand.command("new")
@click.argument("name", type=NAME)
@click.option("--from", "parent", default="default", show_default=True, metavar="BRAND", type=NAME,
              help="The brand to start from (the new one extends it).")
def brand_new(name: str, parent: str) -> None:
    """Write a starter brand folder that builds at once."""
    from briefpack.brandnew import new_brand

    for path in new_brand(Path.cwd() / "branding", name, parent):
        click.echo(f"wrote {_shown(path)}")
    click.echo(f"next: edit branding/{name}/brand.yaml (your logo, colours, contacts and procedures; "
               f"'briefpack fonts' for the fonts), then run 'briefpack brand check {name}'")
    click.echo(f"then: 'briefpack new pack {name}-7mb --brand {name} --theme THEME' starts a briefing "
               "('briefpack list lessons' shows the themes)")


@brand.command("check")
@click.argument("names", nargs=-1, metavar="[NAME]...", type=NAME)
@_reads_only
def brand_check(names: tuple[str, ...]) -> None:
    """Check brands' contrast, fonts, characters and logo (all brands if none is named); exit 1 on a failure."""
    from briefpack.brand import brand_names
    from briefpack.brandcheck import check_brand
    from briefpack.errors import BriefpackError, Problems
    from briefpack.project import Project, require_branding

    project = Project(Path.cwd())
    require_branding(project.branding)
    failed_brands = 0
    unreadable = Problems()  # every brand is checked: one that cannot be loaded does not hide the others' problems
    for name in names or tuple(brand_names(project.branding)):
        try:
            checks = check_brand(project, name)
        except BriefpackError as exc:
            unreadable.extend(exc.problems)
            continue
        for check in checks:
            click.echo(f"{'ok  ' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
        failed = sum(not c.ok for c in checks)
        click.echo(f"brand '{name}': {len(checks) - failed} checks passed, {failed} failed")
        failed_brands += bool(failed)
    unreadable.raise_if_any()
    if failed_brands:
        raise SystemExit(1)


if _STARTING:
    signal.signal(signal.SIGINT, signal.default_int_handler)
