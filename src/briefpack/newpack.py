"""Start a new pack: packs/<id>.yaml, commented, that builds at once, with library items chosen by theme."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

from briefpack.brand import brand_names
from briefpack.doccontrol import HAPPENED, LEARNING, PRACTICE, PURPOSE
from briefpack.errors import BriefpackError, Problem, Problems, did_you_mean, display_path
from briefpack.load import Project, read_library
from briefpack.project import WINDOWS_DEVICES, a_device, require_branding
from briefpack.model import Library
from briefpack.output import atomic_write, why
from briefpack.schema import ID, long_id

LESSONS = {"seven-minute-briefing": 6, "leaflet": 8}
"""How many lessons of the theme a new pack starts with; other kinds take up to 10."""


def q(text: str) -> str:
    """*text* as a YAML scalar that reads back exactly (a JSON string is YAML)."""
    return json.dumps(text, ensure_ascii=False)


def commented(line: str, note: str) -> str:
    return f"{line.ljust(40)}  # {note}\n" if len(line) <= 40 else f"{line}  # {note}\n"


def flow(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


def new_pack(project: Project, pack_id: str, kind: str, brand: str | None, theme: str | None,
             today: datetime.date | None = None) -> Path:
    """Write packs/<pack_id>.yaml; refuse a bad id, an existing pack, an unknown brand or theme (*kind* is one of
    PACK_KINDS: the command line took no other)."""
    require_branding(project.branding)  # outside a project, say so (not "unknown brand 'default'")
    path = project.packs / f"{pack_id}.yaml"
    where = f"{display_path(project.packs)}/{pack_id}.yaml"  # not resolved: a link there is named, not its target
    problems = Problems()
    if not ID.fullmatch(pack_id) or pack_id in WINDOWS_DEVICES:
        problems.add(pack_id or display_path(project.packs), 0, 0, *(
            (a_device(pack_id, "a pack id", "files", f"{pack_id}-7mb") if ID.fullmatch(pack_id) else None)
            or long_id(pack_id, "a pack id")
            or (f"'{pack_id}' cannot be a pack id",
                "use lower-case letters, digits and hyphens, e.g. 'north-somerset-bruising-7mb'")))
    elif os.path.lexists(path):
        problems.add(where, 0, 0, *_taken(path, where))
    brands = brand_names(project.branding)
    brand = brand or ("default" if "default" in brands else (brands or ["default"])[0])
    if brand not in brands:
        problems.add(display_path(project.branding), 0, 0, f"unknown brand '{brand}'{did_you_mean(brand, brands)}",
                     f"use one of: {', '.join(brands)}" if brands else f"make it with 'briefpack brand new {brand}'")
    library = read_library(project.library, problems)
    if theme is not None and library.complete and theme not in library.themes:
        known = sorted(library.themes)
        problems.add(display_path(project.library), 0, 0, f"there is no theme '{theme}'{did_you_mean(theme, known)}",
                     f"use one of: {', '.join(known)}")
    problems.raise_if_any()
    text = pack_yaml(pack_id, kind, brand, theme, library, today or datetime.date.today())
    if os.path.lexists(path):  # made meanwhile: never replace a user's work
        raise BriefpackError([Problem(where, 0, 0, *_taken(path, where))])
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:  # a read-only or full disk, a folder the user may not write to
        reason, fix = why(exc, out=False)
        raise BriefpackError([Problem(where, 0, 0, f"cannot write the pack ({reason})", fix)]) from None
    return path


def _taken(path: Path, where: str) -> tuple[str, str]:
    """Why packs/ID.yaml (shown as *where*) cannot be written: a pack is there, or a link (to a drive not mounted?)."""
    if not path.exists():  # a link to nothing: replacing it would lose where it led
        return (f"this pack already exists as a link to {os.readlink(path)}, which is not there now",
                "mount or restore what it links to, or delete the link, or choose another id")
    return "this pack already exists", f"edit {where}, or choose another id"


def pack_yaml(pack_id: str, kind: str, brand: str, theme: str | None, library: Library,
              today: datetime.date) -> str:
    """The pack's text: every key it sets commented, placeholders where the board's words go."""
    lessons = [lid for lid, lesson in library.lessons.items() if theme in lesson.themes][:LESSONS.get(kind, 10)]
    questions = [qid for qid, question in library.questions.items() if theme in question.themes]
    about = library.themes[theme] if theme else ""
    title = f"Learning about {about[0].lower() + about[1:]}" if about else "Learning from reviews"
    found = (f"# The lessons and questions below are those of theme '{theme}' in packs/library/; see others with\n"
             f"#   briefpack list lessons --theme {theme}\n") if theme else (
             "# Choose lessons, questions and actions from the library by id; see them with\n"
             "#   briefpack list lessons        (add --theme THEME for one theme)\n")
    head = f"""# A new {kind} pack. Change the words in quotes, choose from the library, then:
#   briefpack build {pack_id}
# Every key is described in packs/README.md.
{found}""" + "".join(commented(line, note) for line, note in (
        (f"kind: {kind}", "seven-minute-briefing, precis, leaflet, learning-points or handout"),
        (f"title: {q(title)}", "the document's title"),
        (f"date: {today:%Y-%m}", f"2017, 2017-01 or 2017-01-31; this one is printed as '{today:%B %Y}'"),
        (f"brand: {brand}", "a folder in branding/; build in another brand with --brand"),
        *([("layout: linear", "or tiles: seven numbered panels on one landscape sheet, as boards print them")]
          if kind == "seven-minute-briefing" else [])))
    placeholder = q(HAPPENED)
    reflect = q("What will you do differently after reading this?")
    learning = [f"lessons: {flow(g)}" if g else f"text: {q(LEARNING)}"
                for g in ([lessons[i:i + 2] for i in (0, 2, 4)] if kind == "seven-minute-briefing" else [lessons])]
    last = f"questions: {flow(questions)}" if questions else f"points: [{reflect}]"
    if kind == "seven-minute-briefing":
        actions = list(library.actions)[:3]
        todo = f"actions: {flow(actions)}" if actions else f"points: [{q('Take what you learnt to supervision.')}]"
        sections = [f"text: {placeholder}", *learning, f"text: {q(PRACTICE)}",
                    todo, last]
        return head + commented("sections:", "exactly seven, 01 to 07; the brand labels each") + "".join(
            commented(f"  - {section}", f"{n:02d}") for n, section in enumerate(sections, 1))
    labelled = [("Background", f"text: {placeholder}"), ("Learning", learning[0]), ("Questions for reflection", last)]
    return head + (f"intro: {q(PURPOSE)}\n"
                   + commented("sections:", "each with a 'label', its heading")
                   + "".join(f"  - label: {label}\n    {section}\n" for label, section in labelled))
