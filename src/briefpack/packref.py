"""Packs as users name them: a pack file, or a pack's id from packs/ ('lancashire-7mb')."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from briefpack.errors import Problems, did_you_mean
from briefpack.project import Project, yaml_files


def pack_ids(project: Project) -> list[str]:
    """The ids of the packs in packs/, sorted."""
    return [p.stem for p in yaml_files(project.packs)]


def find_packs(names: Iterable[str | Path], project: Project) -> list[Path]:
    """The pack file each name means; an id that is no pack in packs/ is a problem, with a near miss."""
    problems = Problems()
    out = []
    for name in names:
        text = str(name)
        if text == "-":
            problems.add(text, 0, 0, "'-' (standard input) cannot be a pack: briefpack reads packs from files",
                         "name a pack file, or the id of a pack in packs/")
            continue
        path = Path(text)
        if path.exists() or len(path.parts) != 1:
            out.append(path)  # a file, or a path whose absence the pack reader reports
            continue
        candidate = project.packs / (text if text.endswith(".yaml") else f"{text}.yaml")
        if os.path.lexists(candidate):  # there, even if unreadable: the pack reader says what is wrong
            out.append(candidate)
            continue
        known = pack_ids(project)
        stem = text.removesuffix(".yaml")
        if known:
            fix = f"name a pack file, or one of the packs in packs/: {', '.join(known)}"
        else:
            fix = "run briefpack in your project folder (the one with packs/ and branding/), or name a pack file"
        problems.add(text, 0, 0, f"there is no pack '{stem}'{did_you_mean(stem, known)}", fix)
    problems.raise_if_any()
    return out
