"""Where a project's packs, library and brands are, and what its packs and brands are called.

Light on purpose: a rebuild with nothing to do needs only this and uptodate.py.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from briefpack.frozen import frozen


PACK_KINDS = ("seven-minute-briefing", "precis", "leaflet", "learning-points", "handout")
"""The kinds of document a pack can be (its 'kind:', and 'briefpack new pack --kind')."""


@frozen
class Project:
    """Where a project's packs, brands and library live."""

    root: Path

    @property
    def packs(self) -> Path:
        return self.root / "packs"

    @property
    def library(self) -> Path:
        return self.root / "packs" / "library"

    @property
    def branding(self) -> Path:
        return self.root / "branding"

    @classmethod
    def of_pack(cls, pack: Path) -> Project:
        """The project a pack file belongs to: the folder above its packs/ folder, as the user sees it (a packs/
        folder that is a link to a shared drive is still this project's: its brands are beside the link)."""
        return cls(pack.absolute().parent.parent)


def real_path(path: Path) -> Path:
    """*path* with its symbolic links followed; as it is (made absolute) when they lead in a circle.

    Whatever is wrong with the file is then said by whoever reads it, with its name.
    """
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # RuntimeError: Python before 3.13 on a link loop
        return path.absolute()


def source_folder(folder: Path, roots: Iterable[Path]) -> Path | None:
    """The packs/ or branding/ folder of a project in *roots* that *folder* is or is inside, if any: briefpack
    reads there and must never write there (files of its own in a brand's folder would be taken for the brand's)."""
    real = real_path(folder)
    for root in roots:
        for source in (Project(root).packs, Project(root).branding):
            if real.is_relative_to(real_path(source)):
                return source
    return None


def yaml_files(folder: Path) -> list[Path]:
    """The .yaml files in *folder*, sorted, leaving out hidden ones: an editor's lock ('.#pack.yaml', a link to
    nowhere) and the '._pack.yaml' files macOS leaves on shared drives and in zips are no packs or library."""
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("."))


def all_packs(project: Project) -> list[Path]:
    """Every pack in the project's packs/ folder."""
    return yaml_files(project.packs)


WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                             *(f"lpt{n}" for n in range(10))})
"""Names Windows keeps for devices, whatever follows a dot: a file 'aux.pdf' or a folder 'con' is no file there."""


def a_device(name: str, what: str, named: str, example: str) -> tuple[str, str] | None:
    """(message, fix) when *name*, which would be *what* ('a pack id') and name *named* ('files', 'folders'), is a
    name Windows keeps for a device: the project's files are opened there too (a shared drive, a zip)."""
    if name.lower() not in WINDOWS_DEVICES:
        return None
    return (f"'{name}' cannot be {what}: Windows keeps the name {name.upper()} for a device, so {named} named after "
            "it cannot be opened there", f"choose another, e.g. '{example}'")


def pack_id(path: Path) -> str:
    """The pack's id: its file name, made safe for an output file name."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug or "pack"


def brand_names(branding: Path) -> list[str]:
    """The brands in *branding*: folders with a brand.yaml (there, even if unreadable: loading it says why)."""
    return sorted(p.name for p in branding.iterdir() if os.path.lexists(p / "brand.yaml")) if branding.is_dir() else []


IN_A_PROJECT = "run briefpack in your project folder (the one with packs/ and branding/)"


def require_branding(branding: Path) -> None:
    """Raise a problem saying this is no project when there is no *branding* folder to work in."""
    if not branding.is_dir():
        from briefpack.errors import BriefpackError, Problem, display_path

        raise BriefpackError([Problem(display_path(branding), 0, 0,
                                      "there is no branding/ folder here, so this is not a briefpack project",
                                      IN_A_PROJECT)])


MAX_FILE_BYTES = 1_000_000
"""Larger YAML files are refused: no briefing needs them and reportlab slows badly on huge text."""


class NotAPlainFile(OSError):
    """A device, named pipe or socket where a file should be: reading it could block or never end."""


def read_plain(path: Path, most: int) -> bytes:
    """The bytes of the plain file *path*, at most *most* + 1 of them (so a caller can tell it is too long).

    Opened without waiting (a named pipe would block) and checked before reading (a link to /dev/zero
    never ends). Raises OSError: IsADirectoryError, NotAPlainFile, or what the system said.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise NotAPlainFile(0, "not a plain file", str(path))
        return fh.read(most + 1)
