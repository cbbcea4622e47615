"""Where a project's packs, library and brands are, and what its packs and brands are called.

Light on purpose: a rebuild with nothing to do needs only this and uptodate.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
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
        """The project a pack file belongs to: the folder above its packs/ folder."""
        return cls(pack.resolve().parent.parent)


def all_packs(project: Project) -> list[Path]:
    """Every pack in the project's packs/ folder."""
    return sorted(project.packs.glob("*.yaml"))


def pack_id(path: Path) -> str:
    """The pack's id: its file name, made safe for an output file name."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug or "pack"


def brand_names(branding: Path) -> list[str]:
    return sorted(p.name for p in branding.iterdir() if (p / "brand.yaml").is_file()) if branding.is_dir() else []


IN_A_PROJECT = "run briefpack in your project folder (the one with packs/ and branding/)"


def require_branding(branding: Path) -> None:
    """Raise a problem saying this is no project when there is no *branding* folder to work in."""
    if not branding.is_dir():
        from briefpack.errors import BriefpackError, Problem, display_path

        raise BriefpackError([Problem(display_path(branding), 0, 0,
                                      "there is no branding/ folder here, so this is not a briefpack project",
                                      IN_A_PROJECT)])
