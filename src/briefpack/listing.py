"""`briefpack list`: what is in the library, the packs and the brands, and which packs use each item."""

from __future__ import annotations

import json
from dataclasses import asdict, field

from briefpack.frozen import frozen
from briefpack.errors import BriefpackError, Problem, Problems, did_you_mean, display_path
from briefpack.load import Project, read_library, read_pack
from briefpack.markup import plain
from briefpack.model import Library, Pack
from briefpack.project import yaml_files

LIBRARY_LISTS = ("lessons", "questions", "actions", "contacts", "sources", "statistics", "links")
KINDS = (*LIBRARY_LISTS, "packs", "brands")
THEMED = ("lessons", "questions", "packs")
"""What has themes: lessons and questions their own, packs those of their lessons."""
TITLE_WIDTH = 50
"""Characters of a title shown in the table; --json gives it whole."""


@frozen
class Row:
    """One item as listed."""

    id: str
    title: str
    themes: tuple[str, ...] = ()
    packs: tuple[str, ...] = ()
    """The packs that use it (for a brand: that name it; for a pack: itself is not listed)."""
    extra: dict[str, str] = field(default_factory=dict)
    """A pack's kind and brand; a brand's board and the brand it extends."""


@frozen
class Listing:
    kind: str
    rows: tuple[Row, ...]
    notes: tuple[str, ...]
    what: str = ""
    """What was asked for, in words: 'unused lessons with theme 'fathers''."""


def read_project(project: Project) -> tuple[Library, list[Pack], list[str]]:
    """The library (its problems raised), and the packs that can be read, with notes about those that cannot."""
    problems = Problems()
    library = read_library(project.library, problems)
    problems.raise_if_any()
    packs, notes = [], []
    for path in yaml_files(project.packs):
        pack_problems = Problems()
        pack = read_pack(path, library, pack_problems)
        if pack is not None:
            packs.append(pack)
        if pack_problems:
            notes.append(f"{display_path(path)} has problems, so what it uses may be missing here — run "
                         f"'briefpack check {path.stem}' to see them")
    return library, packs, notes


def used_ids(pack: Pack, library: Library, brand_contacts: dict[str, tuple[str, ...]]) -> dict[str, set[str]]:
    """Every library id the pack's document uses, by list."""
    from briefpack.compose import pack_sources

    sections = pack.sections
    used: dict[str, set[str]] = {kind: set() for kind in LIBRARY_LISTS}
    used["lessons"].update(i for s in sections for i in s.lessons)
    used["questions"].update(i for s in sections for i in s.questions)
    used["actions"].update(i for s in sections for i in s.actions)
    used["statistics"].update(i for s in sections for i in s.statistics + (s.chart.statistics if s.chart else ()))
    used["links"].update(i for s in sections for i in s.links)
    used["contacts"].update(pack.contacts or brand_contacts.get(pack.brand, ()))
    used["sources"].update(i for s in sections for i in s.sources)
    used["sources"].update(s.id for s in pack_sources(pack, library))
    return used


def pack_themes(pack: Pack, library: Library) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for s in pack.sections for i in s.lessons for t in library.lessons[i].themes))


def brand_rows(project: Project, packs: list[Pack]) -> tuple[list[Row], dict[str, tuple[str, ...]]]:
    """Each brand as listed, and the contacts each names (a pack without its own uses its brand's)."""
    from briefpack import yamlio
    from briefpack.brand import brand_names
    from briefpack.schema import Fields

    rows, own, parents = [], {}, {}
    for name in brand_names(project.branding):
        try:
            root = yamlio.read(project.branding / name / "brand.yaml")
        except BriefpackError:
            rows.append(Row(name, "", packs=tuple(p.id for p in packs if p.brand == name)))
            continue
        f = Fields(root, f"brand '{name}'", Problems(), ())
        if f.has("contacts"):
            own[name] = tuple(v for v, _ in f.ids("contacts"))
        extends = parents[name] = f.text("extends", "" if name == "default" else "default")
        rows.append(Row(name, f.text("name"), packs=tuple(p.id for p in packs if p.brand == name),
                        extra={"extends": extends}))
    return rows, {name: inherited(name, own, parents) for name in parents}


def inherited(name: str, own: dict[str, tuple[str, ...]], parents: dict[str, str]) -> tuple[str, ...]:
    """A brand's contacts: its own, or those of the nearest brand it extends that names some."""
    seen = set()
    while name and name not in seen:
        if name in own:
            return own[name]
        seen.add(name)
        name = parents.get(name, "")
    return ()


def library_rows(kind: str, library: Library, packs: list[Pack],
                 brand_contacts: dict[str, tuple[str, ...]]) -> list[Row]:
    users: dict[str, list[str]] = {}
    for pack in packs:
        for item_id in used_ids(pack, library, brand_contacts)[kind]:
            users.setdefault(item_id, []).append(pack.id)
    rows = []
    for item_id, item in getattr(library, kind).items():
        title = getattr(item, "title", "") or getattr(item, "name", "")
        if not title and hasattr(item, "text"):
            title = plain(item.text)
        rows.append(Row(item_id, title, tuple(getattr(item, "themes", ())), tuple(users.get(item_id, ()))))
    return sorted(rows, key=lambda r: r.id)


@frozen
class Contents:
    """A project read for listing."""

    library: Library
    packs: list[Pack]
    brands: list[Row]
    brand_contacts: dict[str, tuple[str, ...]]
    notes: list[str]


def read_all(project: Project) -> Contents:
    library, packs, notes = read_project(project)
    brands, brand_contacts = brand_rows(project, packs)
    return Contents(library, packs, brands, brand_contacts, notes)


def rows_of(kind: str, read: Contents) -> list[Row]:
    if kind == "brands":
        return read.brands
    if kind == "packs":
        return [Row(p.id, p.title, pack_themes(p, read.library), extra={"kind": p.kind, "brand": p.brand})
                for p in read.packs]
    return library_rows(kind, read.library, read.packs, read.brand_contacts)


def listing(project: Project, kind: str, theme: str | None = None, unused: bool = False) -> Listing:
    """The rows of *kind*, only those with *theme* or used by no pack if asked."""
    read = read_all(project)
    if theme is not None and theme not in read.library.themes:
        known = sorted(read.library.themes)
        raise BriefpackError([Problem(display_path(project.library), 0, 0,
                                      f"there is no theme '{theme}'{did_you_mean(theme, known)}",
                                      f"use one of: {', '.join(known)}")])
    rows = rows_of(kind, read)
    if theme is not None:
        rows = [r for r in rows if theme in r.themes]
    if unused:
        rows = [r for r in rows if not r.packs]
    what = ("unused " if unused else "") + kind + (f" with theme '{theme}'" if theme else "")
    return Listing(kind, tuple(rows), tuple(read.notes), what)


def summary(project: Project) -> Listing:
    """How many of each kind there are, and how many no pack uses."""
    read = read_all(project)
    rows = []
    for kind in KINDS:
        found = rows_of(kind, read)
        unused = {"unused": str(sum(not r.packs for r in found))} if kind != "packs" else {}
        rows.append(Row(kind, str(len(found)), extra=unused))
    return Listing("summary", tuple(rows), tuple(read.notes))


def as_json(found: Listing) -> str:
    return json.dumps([asdict(r) for r in found.rows], indent=2, ensure_ascii=False) + "\n"


def as_table(found: Listing) -> str:
    """A plain table: one line a row, columns padded."""
    if not found.rows:
        return f"no {found.what or found.kind} found\n"
    head: tuple[str, ...]
    lines: list[tuple[str, ...]]
    if found.kind == "summary":
        head = ("LIST", "ITEMS", "UNUSED")
        lines = [(r.id, r.title, r.extra.get("unused", "")) for r in found.rows]
    elif found.kind == "packs":
        head = ("ID", "KIND", "BRAND", "TITLE")
        lines = [(r.id, r.extra["kind"], r.extra["brand"], shorten(r.title)) for r in found.rows]
    elif found.kind == "brands":
        head = ("ID", "BOARD", "EXTENDS", "USED BY")
        lines = [(r.id, shorten(r.title), r.extra.get("extends", ""), ", ".join(r.packs) or "-") for r in found.rows]
    elif found.kind in THEMED:
        head = ("ID", "TITLE", "THEMES", "USED BY")
        lines = [(r.id, shorten(r.title), ", ".join(r.themes), ", ".join(r.packs) or "-") for r in found.rows]
    else:
        head = ("ID", "TITLE", "USED BY")
        lines = [(r.id, shorten(r.title), ", ".join(r.packs) or "-") for r in found.rows]
    widths = [max(len(cell) for cell in column) for column in zip(head, *lines, strict=True)]
    out = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
           for line in (head, *lines)]
    return "\n".join(out) + "\n"


def shorten(text: str) -> str:
    return text if len(text) <= TITLE_WIDTH else text[:TITLE_WIDTH - 1].rstrip() + "…"
