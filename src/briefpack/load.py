"""Load the lesson library and packs from YAML into the model, reporting every problem at once."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from briefpack.frozen import frozen
from briefpack import yamlio
from briefpack.doccontrol import date_problem, format_date
from briefpack.errors import BriefpackError, Problem, Problems, did_you_mean, display_path
from briefpack.model import (Action, Brand, Chart, Lesson, Library, Pack, PackSection, Question, Source,
                             Statistic, WebLink)
from briefpack.schema import CONTACT_KEYS, ID, MAX_ID, Fields, contact, long_id, scalar_text
from briefpack.project import PACK_KINDS, WINDOWS_DEVICES, Project, brand_names, pack_id, real_path, yaml_files  # noqa: F401 - where callers find them
from briefpack.yamlio import Node

if TYPE_CHECKING:
    from briefpack.brand import BrandFiles

BrandsRead = dict[tuple[Path, str], "BrandFiles"]
"""Brands whose files were read already, by (branding folder, brand name): see load_packs."""

LIBRARY_KINDS = ("themes", "sources", "lessons", "questions", "actions", "contacts", "statistics", "links")
ITEM_FIELDS = {
    "themes": (("id", "label"), ("label",)),
    "sources": (("id", "title", "kind", "board", "year", "url", "summary"), ("title", "kind", "board")),
    "lessons": (("id", "title", "text", "points", "themes", "sources"), ("title", "text", "sources")),
    "questions": (("id", "text", "themes"), ("text",)),
    "actions": (("id", "text"), ("text",)),
    "contacts": (CONTACT_KEYS, ("name",)),
    "statistics": (("id", "text", "value", "source"), ("text", "source")),
    "links": (("id", "title", "url"), ("title", "url")),
}
"""Each library list's keys, and those an item must have (besides its id)."""
LAYOUTS = ("linear", "tiles")
SHOW = ("bullets", "blocks", "numbered", "titles")
SEVEN = 7
MAX_TITLE = 200
"""Characters in a title: Word's document properties hold 255, and a title longer than this is a paragraph."""


def read_files(paths: list[Path], problems: Problems) -> list[tuple[Path, Node | None]]:
    """Read each YAML file, collecting every file's problems instead of stopping at the first."""
    out = []
    for path in paths:
        try:
            out.append((path, yamlio.read(path)))
        except BriefpackError as exc:
            problems.extend(exc.problems)
    return out


def load_library(folder: Path) -> Library:
    """Load every *.yaml file in *folder* into one Library."""
    problems = Problems()
    library = read_library(folder, problems)
    problems.raise_if_any()
    return library


def read_library(folder: Path, problems: Problems, nodes: dict[str, Node] | None = None) -> Library:
    """Read the library, adding its problems to *problems*; return every item that is valid.

    Given *nodes*, fill it with each item's YAML node by 'kind:id', for checks that need the brand too.
    """
    there = folder.is_dir()
    if not there:
        missing = not os.path.lexists(folder)
        problems.extend([problem_for(
            folder, "the lesson library folder is missing" if missing else
            "this should be the lesson library folder, but it is not a folder",
            f"{'create it' if missing else 'move it elsewhere and create the folder'} with at least a lessons.yaml "
            "(see packs/README.md)")])
    paths = yaml_files(folder)
    files = read_files(paths, problems)
    raw: dict[str, dict[str, tuple[Node, Path]]] = {k: {} for k in LIBRARY_KINDS}
    lost: set[str] = set()
    """Kinds with an item whose id could not be read (or a list that could not be): an id naming one of them
    is not judged, as the item's problem says enough (it was also 'unknown lesson …', wherever it was used)."""
    for path, root in files:
        f = Fields(root, f"library file {path.name}", problems, LIBRARY_KINDS,
                   where=yamlio.Scalar(display_path(path), 1, 1))
        for kind in LIBRARY_KINDS:
            found_before = len(problems.items)
            items = f.sequence(kind)
            if len(problems.items) > found_before:
                lost.add(kind)
            for item in items:
                item_id = _item_id(item, kind, problems)
                if not item_id:
                    lost.add(kind)
                    continue
                if item_id in raw[kind]:
                    first = raw[kind][item_id][0]
                    problems.extend([item.problem(
                        f"{kind[:-1]} id '{item_id}' is already used at {first.path}:{first.line}",
                        "give each item its own id, or merge the two (one lesson may have several sources)")])
                    continue
                raw[kind][item_id] = (item, path)
    themes = {}
    for theme_id, (node, _) in raw["themes"].items():
        f = Fields(node, f"theme '{theme_id}'", problems, *ITEM_FIELDS["themes"])
        themes[theme_id] = f.text("label", required=True)
    sources = {}
    for sid, (node, _) in raw["sources"].items():
        f = Fields(node, f"source '{sid}'", problems, *ITEM_FIELDS["sources"])
        url = f.url("url")
        sources[sid] = Source(sid, f.text("title", required=True), f.text("kind", required=True),
                              f.text("board", required=True), f.text("year"), url, f.rich("summary"))
    lessons = {}
    for lid, (node, _) in raw["lessons"].items():
        f = Fields(node, f"lesson '{lid}'", problems, *ITEM_FIELDS["lessons"])
        lesson_themes = _refs(f, "themes", themes, "theme", problems, judged="themes" not in lost)
        lesson_sources = _refs(f, "sources", sources, "source", problems, judged="sources" not in lost)
        lessons[lid] = Lesson(lid, f.text("title", required=True), f.rich("text"), f.points("points"),
                              lesson_themes, lesson_sources)
    questions = {}
    for qid, (node, _) in raw["questions"].items():
        f = Fields(node, f"question '{qid}'", problems, *ITEM_FIELDS["questions"])
        questions[qid] = Question(qid, f.inline("text", required=True),
                                  _refs(f, "themes", themes, "theme", problems, judged="themes" not in lost))
    actions = {}
    for aid, (node, _) in raw["actions"].items():
        f = Fields(node, f"action '{aid}'", problems, *ITEM_FIELDS["actions"])
        actions[aid] = Action(aid, f.inline("text", required=True))
    contacts = {}
    for cid, (node, _) in raw["contacts"].items():
        contacts[cid] = contact(node, cid, problems)
    statistics = {}
    for stat_id, (node, _) in raw["statistics"].items():
        f = Fields(node, f"statistic '{stat_id}'", problems, *ITEM_FIELDS["statistics"])
        source = _refs_one(f, "source", sources, problems)
        statistics[stat_id] = Statistic(stat_id, f.inline("text", required=True), f.text("value"), source)
    links = {}
    for link_id, (node, _) in raw["links"].items():
        f = Fields(node, f"link '{link_id}'", problems, *ITEM_FIELDS["links"])
        url = f.url("url", required=True)
        links[link_id] = WebLink(link_id, f.text("title", required=True), url)
    if nodes is not None:
        nodes.update({f"{kind}:{item_id}": node for kind in LIBRARY_KINDS
                      for item_id, (node, _) in raw[kind].items()})
    return Library(
        themes=MappingProxyType(themes), sources=MappingProxyType(sources), lessons=MappingProxyType(lessons),
        questions=MappingProxyType(questions), actions=MappingProxyType(actions),
        contacts=MappingProxyType(contacts), statistics=MappingProxyType(statistics),
        links=MappingProxyType(links),
        complete=there and len(files) == len(paths) and all(root is not None for _, root in files),
        lost=frozenset(lost))


def _refs_one(f: Fields, key: str, known, problems: Problems) -> str:
    """One id naming an item of *known*."""
    node = f.get(key)
    value = f.text(key, required=True)
    if value and node is not None and value not in known:
        problems.extend([node.problem(f"unknown {key} '{value}'{did_you_mean(value, known)}",
                                      f"use {_a(key)} id from packs/library/, or add it there")])
    return value


def _item_id(item: Node, kind: str, problems: Problems) -> str:
    """The item's id; its other keys are checked once its kind's fields are read."""
    if not isinstance(item, yamlio.Mapping):
        Fields(item, f"an item of '{kind}'", problems, ())
        return ""
    if "id" not in item.items:
        problems.extend([item.problem(f"an item of '{kind}' has no 'id'", "add 'id: a-short-name'")])
        return ""
    value = scalar_text(item.items["id"][1], "'id'", problems, required=True)
    if value and not ID.fullmatch(value):
        problems.extend([item.items["id"][1].problem(*long_id(value) or (
            f"'{value}' is not a valid id", "use lower-case letters, digits and hyphens, e.g. 'voice-of-the-child'"))])
        return ""
    return value


def _refs(f: Fields, key: str, known, what: str, problems: Problems, judged: bool = True) -> tuple[str, ...]:
    """The ids under *key* that *known* has (all, if *known* is None); each other one is a problem, unless not
    *judged* (an item of *known*'s kind lost its id: it may be the one meant)."""
    out = []
    first: dict[str, Node] = {}
    for value, node in f.ids(key):
        if value in first:  # printed twice in the document: always a slip
            problems.extend([node.problem(f"{what} '{value}' is listed twice in '{key}' (first at line "
                                          f"{first[value].line}, column {first[value].column})",
                                          "remove one of them")])
            continue
        first[value] = node
        if known is None:
            out.append(value)
        elif value not in known:
            if judged and not isinstance(known, _Lost):
                problems.extend([node.problem(f"unknown {what} '{value}'{did_you_mean(value, known)}",
                                              f"use {_a(what)} id from packs/library/, or add it there")])
        else:
            out.append(value)
    return tuple(out)


def _a(word: str) -> str:
    """'a lesson', 'an action'."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def problem_for(path: Path, message: str, fix: str) -> Problem:
    """A problem about a whole file or folder."""
    return Problem(display_path(path), 0, 0, message, fix)


PACK_KEYS = ("kind", "kicker", "title", "subtitle", "date", "brand", "layout", "intro", "sections", "contacts",
             "contacts_heading", "sources", "version", "status", "review_date", "owner", "kit",
             "language", "credit")
PACK_REQUIRED = ("kind", "title", "date", "brand", "sections")
STATUSES = ("draft", "final")
"""A pack's document-control status: a draft is marked DRAFT on every page."""
SECTION_KEYS = ("label", "text", "sources", "lessons", "show", "questions", "actions", "points", "statistics",
                "chart", "links", "services", "after")
DEFAULT_SHOW = {"seven-minute-briefing": "bullets", "learning-points": "numbered"}
"""How lessons appear when a section does not say: headed blocks unless the kind has its own way."""


def load_pack(path: Path, library: Library) -> Pack:
    """Load one pack file, checking every id it names against *library*."""
    problems = Problems()
    pack = read_pack(path, library, problems)
    problems.raise_if_any()
    assert pack is not None
    return pack


def read_pack(path: Path, library: Library | None, problems: Problems) -> Pack | None:
    """Read a pack, adding its problems to *problems*; None when it is not a pack at all.

    With no *library* (it had problems of its own) ids are not checked, but everything else is.
    """
    read = _read_pack(path, library, problems)
    return read.pack if read else None


@frozen
class _PackRead:
    """A pack and the YAML nodes of what can only be checked once its brand is known."""

    pack: Pack
    root: Node
    brand: Node | None
    services: tuple[tuple[str, Node], ...]


def _read_pack(path: Path, library: Library | None, problems: Problems) -> _PackRead | None:
    try:
        root = yamlio.read(path)
    except BriefpackError as exc:
        problems.extend(exc.problems)
        return None
    where = yamlio.Scalar(display_path(path), 1, 1)
    if (what := _not_a_pack(path, root)) is not None:
        problems.add(where.path, 0, 0, *what)
        return None
    named = pack_id(path)  # what its outputs are named
    if named in WINDOWS_DEVICES:
        problems.add(where.path, 0, 0, f"this pack's files would be named '{named}' ({named}.pdf, {named}.docx), a "
                     f"name Windows keeps for a device ({named.upper()}): they could not be opened there",
                     f"rename the pack file, e.g. to {named}-briefing.yaml")
    elif len(named) > MAX_ID:
        problems.add(where.path, 0, 0, f"this pack's files are named after its file name, which is {len(named):,} "
                     f"characters long: more than the {MAX_ID} a pack's id may have", "rename the pack file to a "
                     "shorter name")
    f = Fields(root, "the pack", problems, PACK_KEYS, PACK_REQUIRED, where=where)
    if not f.ok or root is None:
        return None
    kind = f.text("kind", required=True)
    if kind and kind not in PACK_KINDS:
        problems.extend([f.at("kind").problem(f"unknown kind '{kind}'{did_you_mean(kind, PACK_KINDS)}",
                                              f"use one of: {', '.join(PACK_KINDS)}")])
    layout = f.text("layout", "linear")
    if layout == "tiles" and kind != "seven-minute-briefing":
        problems.extend([f.at("layout").problem("only a 7-minute briefing has a tiles layout",
                                                "remove 'layout: tiles' or use 'layout: linear'")])
    elif layout not in LAYOUTS:
        problems.extend([f.at("layout").problem(f"unknown layout '{layout}'{did_you_mean(layout, LAYOUTS)}",
                                                f"use one of: {', '.join(LAYOUTS)}")])
    date_text = f.text("date", required=True)
    date = format_date(date_text) if date_text else ""
    if date is None:
        problems.extend([f.at("date").problem(date_problem(date_text),
                                              "write it as 2017-02 (a month) or 2017-02-14 (a day)")])
    status = f.text("status")
    if status and status not in STATUSES:
        problems.extend([f.at("status").problem(f"unknown status '{status}'{did_you_mean(status, STATUSES)}",
                                                f"use one of: {', '.join(STATUSES)}")])
    review_iso = f.text("review_date")
    review = format_date(review_iso) if review_iso else ""
    if review is None:
        problems.extend([f.at("review_date").problem(date_problem(review_iso),
                                                     "write it as 2027-03 (a month) or 2027-03-31 (a day)")])
    sections = []
    services: list[tuple[str, Node]] = []
    section_nodes = f.sequence("sections")
    for index, node in enumerate(section_nodes, start=1):
        sections.append(_section(node, index, kind, library, problems, services))
    if kind == "seven-minute-briefing" and f.has("sections") and len(section_nodes) != SEVEN:
        problems.extend([f.at("sections").problem(
            f"a 7-minute briefing has {SEVEN} sections, this one has {len(section_nodes)}",
            "give exactly seven '- label: …' items, 01 to 07")])
    contacts = _refs(f, "contacts", _known(library, "contacts"), "contact", problems)
    sources = _refs(f, "sources", _known(library, "sources"), "source", problems)
    brand_node = f.get("brand")
    brand = scalar_text(brand_node, "'brand'", problems, required=True) if brand_node else ""
    title = f.text("title", required=True, most=MAX_TITLE, fix="shorten it; put the rest in 'subtitle'")
    kit = f.text("kit", "false")
    if kit not in ("true", "false"):
        problems.extend([f.at("kit").problem(f"'kit' is true or false, not '{kit}'",
                                             "write 'kit: true' to build the team-meeting kit with this pack")])
    pack = Pack(id=pack_id(path), path=path, kind=kind, kicker=f.text("kicker"), kit=kit == "true",
                title=title, subtitle=f.text("subtitle"), intro=f.rich("intro"),
                contacts_heading=f.text("contacts_heading"), date=date or "", date_iso=date_text, brand=brand,
                layout=layout, sections=tuple(sections), contacts=contacts, sources=sources, version=f.text("version"),
                status=status, review_date=review or "", review_date_iso=review_iso, owner=f.text("owner"),
                language=f.language("language", ""), credit=f.yes_no("credit", True))
    return _PackRead(pack, root, brand_node, tuple(services))


BRAND_ONLY_KEYS = ("extends", "short_name", "logo", "palette", "fonts", "fallback", "footer", "word_template")


def _not_a_pack(path: Path, root: Node | None) -> tuple[str, str] | None:
    """(message, fix) when *root* is plainly a library or brand file named as a pack; else None."""
    keys = set(root.items) if isinstance(root, yamlio.Mapping) else set()
    folder = real_path(path).parent
    if (keys <= set(LIBRARY_KINDS) and keys - set(PACK_KEYS)) or (
            folder.name == "library" and folder.parent.name == "packs"):
        return ("this is a library file (items for packs to choose from), not a pack",
                "name a pack from packs/, e.g. 'briefpack build lancashire-7mb'")
    if ("sections" not in keys and keys & set(BRAND_ONLY_KEYS)) or (
            path.name == "brand.yaml" and folder.parent.name == "branding"):
        if folder.parent.name == "branding":
            return ("this is a brand file, not a pack",
                    f"to build packs in this brand, name a pack and add '--brand {folder.name}'")
        return ("this is a brand file, not a pack",
                "put it in branding/NAME/brand.yaml; to build packs in it, name a pack and add '--brand NAME'")
    return None


def _section(node: Node, index: int, kind: str, library: Library | None, problems: Problems,
             services: list[tuple[str, Node]]) -> PackSection:
    found_before = len(problems.items)
    s = Fields(node, f"section {index:02d}", problems, SECTION_KEYS)
    show = s.text("show", DEFAULT_SHOW.get(kind, "blocks"))
    if show not in SHOW:
        problems.extend([s.at("show").problem(f"unknown way to show lessons '{show}'{did_you_mean(show, SHOW)}",
                                              f"use one of: {', '.join(SHOW)}")])
    if kind != "seven-minute-briefing" and s.ok and not s.has("label"):
        problems.extend([s.at("label").problem(f"section {index:02d} has no 'label'",
                                               "add 'label: …', the section's heading")])
    chart = None
    if s.has("chart"):
        c = Fields(s.get("chart"), f"the chart of section {index:02d}", problems,
                   ("title", "statistics", "columns"), ("statistics",))
        columns = tuple(c.texts("columns")) or ("Category", "Value")
        if len(columns) != 2:
            problems.extend([c.at("columns").problem("'columns' needs two headings",
                                                     "write e.g. [Characteristic, Percentage]")])
            columns = ("Category", "Value")
        stats = _refs(c, "statistics", _known(library, "statistics"), "statistic", problems)
        for stat_id, stat_node in c.ids("statistics"):
            stat = library.statistics.get(stat_id) if library else None
            if stat is not None and len(stat.value.strip()) > MAX_CHART_VALUE and chart_number(stat.value) is not None:
                # Printed beside its bar: longer, it ran over the bars and the labels.
                problems.extend([stat_node.problem(
                    f"statistic '{stat_id}' has the value '{stat.value.strip()[:20]}…', {len(stat.value.strip()):,} "
                    f"characters long: too long to print beside a chart's bar (at most {MAX_CHART_VALUE})",
                    "check the number in packs/library/, or list it under 'statistics' instead, where its value is "
                    "printed as written")])
            elif stat is not None and chart_number(stat.value) is None:
                if _NEGATIVE.fullmatch(stat.value):  # a bar grows from 0: a fall has no bar to draw
                    problems.extend([stat_node.problem(
                        f"statistic '{stat_id}' has the value '{stat.value}', below 0: a chart's bars show amounts "
                        "of 0 or more", "list it under 'statistics' instead, where its value is printed as written")])
                    continue
                problems.extend([stat_node.problem(
                    f"statistic '{stat_id}' has no number to chart",
                    "give it a value such as '35%' in packs/library/, or list it under 'statistics' instead")])
        chart = Chart(c.text("title"), stats, columns)  # type: ignore[arg-type]
    section = PackSection(
        # A leaflet's (or précis' …) label is its heading: written empty, it is as missing as no label at all.
        label=s.text("label", required=kind != "seven-minute-briefing" and s.has("label")), text=s.rich("text"),
        lessons=_refs(s, "lessons", _known(library, "lessons"), "lesson", problems), show=show,
        questions=_refs(s, "questions", _known(library, "questions"), "question", problems),
        actions=_refs(s, "actions", _known(library, "actions"), "action", problems),
        points=s.points("points"),
        statistics=_refs(s, "statistics", _known(library, "statistics"), "statistic", problems),
        chart=chart, links=_refs(s, "links", _known(library, "links"), "link", problems),
        sources=_refs(s, "sources", _known(library, "sources"), "source", problems),
        services=tuple(_services(s, services)),
        after=s.rich("after"))
    # A section emptied by its own refused items (an unknown lesson, a misspelt source) is not "empty": the
    # problem with the item says what to mend.
    lost = library is not None and any(s.has(key) and key in library.lost for key in LIBRARY_KINDS)
    if s.ok and library is not None and len(problems.items) == found_before and not lost and _shows_nothing(
            section, library):
        name = f"section {index:02d}" + (f" '{section.label}'" if section.label else "")
        quiet = [i for i in section.sources if i in library.sources]
        if quiet:
            problems.extend([s.at("sources").problem(
                f"{name} would be printed empty: {_quoted(quiet)} {'has' if len(quiet) == 1 else 'have'} no "
                "summary to quote", "give the source a 'summary:' in packs/library/, or add 'text:' or 'lessons:' "
                "to the section")])
        else:
            problems.extend([s.anchor.problem(f"{name} has nothing in it, so it would be printed empty",
                                              "add 'text:', 'lessons:', 'questions:' or 'actions:' to it")])
    return section


def _shows_nothing(section: PackSection, library: Library) -> bool:
    """Whether *section* would be printed as a heading alone: nothing of its own, and its sources (which it
    quotes) have no summary."""
    own = (section.text, section.lessons, section.questions, section.actions, section.points, section.statistics,
           section.chart, section.links, section.services, section.after)
    return not any(own) and not any(library.sources[i].summary for i in section.sources if i in library.sources)


def _quoted(ids: list[str]) -> str:
    return ("source " if len(ids) == 1 else "sources ") + ", ".join(f"'{i}'" for i in ids)


def _services(s: Fields, found: list[tuple[str, Node]]) -> list[str]:
    """The services a section names; each is also added to *found* with its node, to check against the brand."""
    out = []
    for item in s.sequence("services"):
        value = scalar_text(item, "an item of 'services'", s.problems, required=True)
        if value:
            out.append(value)
            found.append((value, s.at("services")))
    return out


_NEGATIVE = re.compile(r"\s*[-\u2212\u2013]\s*[0-9]+(?:\.[0-9]+)?\s*%?\s*")
"""A value below 0 ('-5%', '−2.5'), with a hyphen, a minus sign or the en dash a word processor makes of it."""


MAX_CHART_VALUE = 12
"""Characters a charted value may have ('12,345.67%' has 10): it is printed beside its bar, whose room it takes."""


def chart_number(value: str) -> float | None:
    """The number in a statistic's value ('35%' -> 35.0), or None."""
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*%?\s*", value)
    return float(m.group(1)) if m else None


class _Lost(dict):
    """The items of a kind one of which lost its id (see Library.lost): an id naming none of them is not judged."""


def _known(library: Library | None, kind: str):
    if library is None:
        return None
    return _Lost(getattr(library, kind)) if kind in library.lost else getattr(library, kind)

@frozen
class Loaded:
    """A pack with the library and brand it is built from, every check done."""

    pack: Pack
    brand: Brand
    library: Library


def load_packs(pack_paths: list[Path], brand_name: str | None | tuple[str, ...] = None,
               only: set[tuple[str, Path]] | None = None, brands: BrandsRead | None = None) -> list[Loaded]:
    """Load each pack with its library and brand, reporting every problem of all of them at once.

    *brand_name* is one brand, several, or none (each pack's own); 'all' means every brand of the pack's
    project. Results come brand by brand, so a worker that renders one brand's documents reads its fonts
    once. With *only*, just those (brand, pack path) pairs are loaded; every pack is still checked.

    Every check happens here, while the YAML nodes are at hand to say where a problem is: the pack's
    own, its library's and brand's, then what needs the two together (services, contacts, characters
    the brand's fonts cannot draw). What is returned holds no positions and needs no more checking.
    The *brands* the caller read already (`check --all` checks every brand first) are not read again.
    """
    return list(Loading(pack_paths, brand_name, only, brands))


class Loading:
    """load_packs one pack-brand pair at a time: the packs are read at once, each pair as it is asked for.

    Iterating gives the pairs loaded, in load_packs' order, and raises every problem at the end. After the
    first problem no more pairs are given (nothing wrong is ever given), so what was given before the end was
    all sound so far. *pairs* says how many pairs there are to load.
    """

    def __init__(self, pack_paths: list[Path], brand_name: str | None | tuple[str, ...] = None,
                 only: set[tuple[str, Path]] | None = None, brands: BrandsRead | None = None) -> None:
        asked = (brand_name,) if isinstance(brand_name, str) else tuple(dict.fromkeys(brand_name or ()))
        self.loader = _Loader(bool(asked), brands or {})
        self.reads: dict[Path, tuple[_PackRead, Project]] = {}
        for path in pack_paths:
            if path not in self.reads and (found := self.loader.read(path)) is not None:
                self.reads[path] = found
        pairs: list[tuple[str, Path]] = []
        for name in asked or ("",):
            for path, (read, project) in self.reads.items():
                names = brand_names(project.branding) if name == "all" else [name or read.pack.brand]
                pairs.extend((n, path) for n in names if n and (only is None or (n, path) in only))
        self.pairs = list(dict.fromkeys(pairs))

    def __iter__(self) -> Iterator[Loaded]:
        for name, path in self.pairs:
            if (item := self.loader.pair(name, *self.reads[path])) is not None:
                yield item
        self.loader.problems.raise_if_any()


class _Loader:
    """Libraries and brands read once per project, for many packs and brands."""

    def __init__(self, brand_asked: bool, read: BrandsRead) -> None:
        self.brand_asked = brand_asked
        self.brands_read = read
        """Brands' files read already, by (branding folder, brand)."""
        self.problems = Problems()
        self.libraries: dict[Path, tuple[Library, dict[str, Node]]] = {}
        self.brands: dict[tuple[Path, str], Brand | None] = {}
        self.checked_text: set[tuple[Path, object]] = set()
        self.sound: set[object] = set()
        """The libraries (by folder), packs (by path) and brands (by key) read without a problem: the checks of a
        pack in a brand that need both run when these are sound, whatever is wrong with other packs or brands."""
        self.procedures: dict[int, tuple[Node, list]] = {}
        """The {procedure:ID} references written in each node (by its id, the node kept alive with them): the
        same for every brand, which only decides which of them are missing."""

    def library(self, project: Project) -> tuple[Library, dict[str, Node]]:
        if project.library not in self.libraries:
            nodes: dict[str, Node] = {}
            with self._sound_if_quiet(project.library):
                self.libraries[project.library] = (read_library(project.library, self.problems, nodes), nodes)
        return self.libraries[project.library]

    def read(self, path: Path) -> tuple[_PackRead, Project] | None:
        project = Project.of_pack(path)
        if (what := _not_a_pack(path, None)) is not None:
            self.problems.add(display_path(path), 0, 0, *what)
            return None
        if not path.is_file():  # missing, a device or a pipe: reading it says so; no project (or library) to judge
            _read_pack(path, None, self.problems)
            return None
        if path.is_file() and not project.library.is_dir() and not project.branding.is_dir():
            self.problems.add(display_path(path), 0, 0, "this pack is not in a briefpack project: there is no "
                              "packs/library/ or branding/ folder beside its folder",
                              "keep packs in the packs/ folder of your project (the one with packs/ and branding/)")
            return None
        library, _ = self.library(project)
        # Ids are not judged against a library that could not be read whole: the reading problem says enough.
        with self._sound_if_quiet(path):
            read = _read_pack(path, library if library.complete else None, self.problems)
        return None if read is None else (read, project)

    def brand(self, project: Project, name: str, asked_at: Problem | None, library: Library) -> Brand | None:
        from briefpack.brand import BrandFiles
        from briefpack.brandcheck import build_problems

        key = (project.branding, name)
        if key not in self.brands:
            files = self.brands_read.get(key)
            if files is None or not files.layers:  # with no file of its own read, a problem says where it was named
                files = BrandFiles(project.branding, name, asked_at)
            try:
                with self._sound_if_quiet(key):
                    self.brands[key] = brand = files.checked(library if library.complete else None)
                    self.problems.extend(build_problems(brand))
            except BriefpackError as exc:
                self.problems.extend(exc.problems)
                self.brands[key] = None
        return self.brands[key]

    def pair(self, name: str, read: _PackRead, project: Project) -> Loaded | None:
        """The pack of *read* in brand *name*, checked against it."""
        from briefpack.brandcheck import character_problems, missing_procedures

        library, nodes = self.library(project)
        pack = read.pack
        asked_at = None if self.brand_asked or read.brand is None else read.brand.problem("")
        brand = self.brand(project, name, asked_at, library)
        if brand is None:
            return None
        known = brand.services
        before = len(self.problems.items)
        self.problems.extend(node.problem(
            f"'{service}' is not a service in brand '{brand.id}'{did_you_mean(service, known)}",
            f"use one of: {', '.join(known)}; or add it to 'services' in the brand's vocabulary")
            for service, node in read.services if service not in known)
        # The characters depend on the pack and the brand's fonts only: checked once for many brands.
        text_key = (pack.path, (brand.fonts, brand.fallback, brand.contacts))
        if len(self.problems.items) == before and {project.library, pack.path, (project.branding, name)} <= self.sound:
            used = [read.root, *used_nodes(pack, nodes, brand.contacts)]
            if text_key not in self.checked_text:
                self.checked_text.add(text_key)
                self.problems.extend(character_problems(brand, used))
            self.problems.extend(missing_procedures(brand, (ref for node in used for ref in self.references(node))))
        return None if self.problems else Loaded(pack, brand, library)

    @contextmanager
    def _sound_if_quiet(self, what: object) -> Iterator[None]:
        """Count *what* as sound if reading it (inside the block) added no problem."""
        before = len(self.problems.items)
        yield
        if len(self.problems.items) == before:
            self.sound.add(what)

    def references(self, node: Node) -> list:
        """The {procedure:ID} references written in *node*, found once for all the brands a pack is built in
        (a walk over every text of the pack and the library items it uses, for each of 750 pairs)."""
        from briefpack.brandcheck import procedure_references

        if id(node) not in self.procedures:
            self.procedures[id(node)] = node, list(procedure_references([node]))
        return self.procedures[id(node)][1]


def used_nodes(pack: Pack, nodes: dict[str, Node], contacts: tuple[str, ...] = ()) -> list[Node]:
    """The YAML of every library item *pack* uses (and of the brand's *contacts*, printed with it)."""
    ids = [("lessons", i) for s in pack.sections for i in s.lessons]
    ids += [("questions", i) for s in pack.sections for i in s.questions]
    ids += [("actions", i) for s in pack.sections for i in s.actions]
    ids += [("statistics", i) for s in pack.sections
            for i in s.statistics + (s.chart.statistics if s.chart else ())]
    ids += [("links", i) for s in pack.sections for i in s.links]
    ids += [("contacts", i) for i in pack.contacts + contacts] + [("sources", i) for i in pack.sources]
    ids += [("sources", i) for s in pack.sections for i in s.sources]
    return [node for kind, i in dict.fromkeys(ids) if (node := nodes.get(f"{kind}:{i}")) is not None]
