"""The command line. Thin: parse options, call one function, print. Heavy modules load inside commands."""

from __future__ import annotations

from pathlib import Path

import click

from briefpack import __version__

FORMATS = ("pdf", "docx")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefpack")
def main() -> None:
    """Make branded safeguarding learning briefings, as PDF and Word, from YAML."""


@main.command()
@click.argument("packs", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--all", "build_all", is_flag=True, help="Build every pack in packs/.")
@click.option("--brand", metavar="NAME", help="Build in this brand instead of the pack's own.")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Only this format (repeat for both). Default: pdf and docx.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Output folder instead of output/.")
@click.option("--force", is_flag=True, help="Replace files edited since they were built, keeping a backup.")
def build(packs: tuple[Path, ...], build_all: bool, brand: str | None, formats: tuple[str, ...],
          out: Path | None, force: bool) -> None:
    """Build PACK.yaml files into output/<brand>/<pack>.pdf and .docx."""
    from briefpack.build import all_packs, build as run_build
    from briefpack.load import Project

    if build_all == bool(packs):
        raise click.UsageError("name one or more PACK.yaml files, or use --all (not both)")
    paths = all_packs(Project(Path.cwd())) if build_all else list(packs)
    root = Project.of_pack(paths[0]).root if paths and not build_all else Path.cwd()
    written, notes = run_build(paths, brand=brand, formats=tuple(dict.fromkeys(formats or FORMATS)),
                               out=out or root / "output", force=force)
    for path in written:
        click.echo(f"wrote {_shown(path)}")
    for note in notes:
        click.echo(f"note: {note}", err=True)


def _shown(path: Path) -> str:
    from briefpack.errors import display_path
    return display_path(path)
