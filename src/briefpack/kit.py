"""The team-meeting kit of a pack: a facilitator's page, a team record and a feedback form to fill in.

The kit is composed here, like every other document, and rendered by the same two renderers. Its field
names are the contract that `briefpack returns` reads (see packs/README.md, "The meeting kit's fields"):
change them only with a new KIT_VERSION, and keep returns.py reading the old ones.
"""

from __future__ import annotations

import re
from dataclasses import replace

from briefpack import readtime
from briefpack.compose import board_references, display_url, resolved
from briefpack.document import (BulletList, Choice, Document, Field, FieldTable, Heading, Item, PageBreak, Para,
                                Table, TitleBlock, TopBlock)
from briefpack.markup import Inline, Span, plain
from briefpack.model import Brand, Library, Pack

KIT_VERSION = "1"
"""The version of the kit's field names, written into every kit (form_id)."""
ATTENDEES = 10
"""Rows of the attendance table."""
ACTIONS = 5
"""Rows of the actions table."""
RATINGS = ("1", "2", "3", "4", "5")
SEVEN_MINUTES = 7 * 60
STEP = 15
"""The timing plan gives each section a multiple of this many seconds."""

MEETING_DATE, TEAM, FACILITATOR = "meeting_date", "team", "facilitator"
RATING, DO_DIFFERENTLY, SUPPORT_NEEDED = "rating", "do_differently", "support_needed"
ATTENDEE_PARTS = ("name", "role", "agency", "signature")
ACTION_PARTS = ("", "_owner", "_by")
ACTION_LABELS = {"": "", "_owner": ": owner", "_by": ": by when"}
LABELS = {
    MEETING_DATE: "Date of the meeting",
    TEAM: "Team or service",
    FACILITATOR: "Facilitator",
    RATING: "How useful was this briefing to your team?",
    DO_DIFFERENTLY: "What will the team do differently as a result?",
    SUPPORT_NEEDED: "What support does the team need from the board?",
}
"""The fields' titles (PDF /TU, Word content-control title). A Word file saved by LibreOffice keeps a
control's title but not its tag, so returns.py also reads a field by its title: change them with care."""


def attendee_label(row: int, part: str) -> str:
    return f"Attendee {row}: {part}"


def action_label(row: int, part: str = "") -> str:
    return f"Action {row}{ACTION_LABELS[part]}"


def question_label(number: int, text: str) -> str:
    return f"{number}. {text}"


def field_of_title(title: str) -> str | None:
    """The field a title belongs to (the inverse of the labels above), or None."""
    for name, label in LABELS.items():
        if title == label:
            return name
    if m := re.fullmatch(r"Attendee (\d+): (name|role|agency|signature)", title):
        return attendee_field(int(m[1]), m[2])
    if m := re.fullmatch(r"Action (\d+)(: owner|: by when)?", title):
        return action_field(int(m[1]), {None: "", ": owner": "_owner", ": by when": "_by"}[m[2]])
    if m := re.match(r"(\d+)\. ", title):
        return question_field(int(m[1]))
    return None


def attendee_field(row: int, part: str) -> str:
    """'attendee_3_role'."""
    return f"attendee_{row}_{part}"


def question_field(number: int) -> str:
    return f"question_{number}"


def action_field(row: int, part: str = "") -> str:
    """'action_2', 'action_2_owner' or 'action_2_by'."""
    return f"action_{row}{part}"


def form_id(pack_id: str, brand_id: str) -> str:
    return f"briefpack-kit/{KIT_VERSION} pack={pack_id} brand={brand_id}"


_FORM_ID = re.compile(r"briefpack-kit/(?P<version>\S+) pack=(?P<pack>\S*) brand=(?P<brand>\S*)")


def read_form_id(text: str) -> tuple[str, str, str] | None:
    """(version, pack id, brand id) from a kit's form id, or None if *text* is not one."""
    m = _FORM_ID.fullmatch(text.strip())
    return (m["version"], m["pack"], m["brand"]) if m else None


def duration(seconds: int) -> str:
    """'1 min 15 s', '45 s', '2 min'."""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def clock(seconds: int) -> str:
    """'1:15'."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def timed_parts(briefing: Document) -> list[tuple[str, int]]:
    """The parts a facilitator reads, with their words: the numbered sections, or else the level-1 headings."""
    sections = readtime.section_words(briefing)
    if sections:
        return [(f"{s.number} {s.label}", n) for s, n in sections]
    parts: list[tuple[str, list[TopBlock]]] = []
    for block in briefing.blocks:
        if isinstance(block, Heading) and block.level == 1:
            parts.append((block.text, [block]))
        elif parts:
            parts[-1][1].append(block)
    return [(label, readtime.words(blocks)) for label, blocks in parts]


def timing_plan(briefing: Document, pace: int) -> tuple[list[tuple[str, int, int, int]], int]:
    """(label, words, start second, seconds) of each part, and the total seconds.

    A 7-minute briefing's sections share exactly seven minutes, in proportion to their words; another
    kind of pack shares its reading-time estimate the same way.
    """
    parts = timed_parts(briefing)
    if not parts:
        return [], 0
    if briefing.kind == "seven-minute-briefing":
        total = SEVEN_MINUTES
    else:
        total = max(readtime.minutes(sum(n for _, n in parts), pace) * 60, STEP * len(parts))
        total = -(-total // STEP) * STEP
    seconds = readtime.shares([n for _, n in parts], total, STEP)
    plan, start = [], 0
    for (label, n), secs in zip(parts, seconds, strict=True):
        plan.append((label, n, start, secs))
        start += secs
    return plan, total


def returns_to(brand: Brand, library: Library) -> Inline:
    """Where the feedback form goes: the brand's 'returns', else its first contact's email, else that contact."""
    target = brand.returns
    contacts = [c for cid in brand.contacts if (c := brand.contact(cid, library)) is not None]
    if not target:
        target = next((c.email for c in contacts if c.email), "")
    if not target:
        contact = contacts[0] if contacts else None
        if contact is not None and (contact.website or contact.phone):
            where = display_url(contact.website) if contact.website else contact.phone
            return (Span(f"{contact.name} ("), Span(where, href=contact.website or None), Span(")"))
        return (Span(f"the learning and development team of {brand.name}"),)
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", target):
        return (Span(target, href=f"mailto:{target}"),)
    if target.startswith(("https://", "http://")):
        return (Span(display_url(target), href=target),)
    return (Span(target),)


def pack_questions(pack: Pack, library: Library) -> list[str]:
    """The pack's own reflective questions, in order, each once."""
    ids = dict.fromkeys(q for section in pack.sections for q in section.questions)
    return [plain(library.questions[q].text) for q in ids]


def compose_kit(pack: Pack, library: Library, brand: Brand, briefing: Document) -> Document:
    """The meeting kit of *pack* in *brand*; *briefing* is the pack's composed document (for its words)."""
    kicker = pack.kicker or brand.word(pack.kind)
    blocks: list[TopBlock] = [TitleBlock(
        kicker="Team meeting kit", title=pack.title,
        subtitle="Run the briefing, record the meeting, tell the board how it went", date=pack.date)]
    blocks.extend(facilitator_page(kicker, briefing, brand, library))
    blocks.append(PageBreak())
    blocks.extend(team_record(pack, library))
    blocks.append(PageBreak())
    blocks.extend(feedback_form(brand, library))
    document = Document(
        title=f"{pack.title} – team meeting kit", kind=pack.kind, layout="linear",
        subject=f"Team meeting kit for a {kicker[0].lower() + kicker[1:]} from {brand.name}", author=brand.name,
        keywords=briefing.keywords, language=briefing.language, date=briefing.date, date_iso=briefing.date_iso,
        footer=briefing.footer, blocks=tuple(blocks), header=f"{brand.short_name} · {pack.title} – team meeting kit",
        form_id=form_id(pack.id, brand.id))
    # The questions are the library's text: the board's own words go in as they do in the briefing.
    return replace(resolved(document, board_references(brand)), page_label=briefing.page_label)


def facilitator_page(kicker: str, briefing: Document, brand: Brand, library: Library) -> list[TopBlock]:
    """How to run the meeting, the timing plan and the reading-time estimate."""
    what = kicker[0].lower() + kicker[1:]
    total_words = readtime.words(briefing.blocks)
    pace = brand.words_per_minute
    estimate = readtime.minutes(total_words, pace)
    plan, total = timing_plan(briefing, pace)
    ret = returns_to(brand, library)
    blocks: list[TopBlock] = [
        Heading("Facilitator's page", 1),
        Para((Span(f"This kit goes with the {what} “{briefing.title}”. Fill it in on screen (PDF or Word), or "
                   "print it and write on it."),)),
        Heading("Before the meeting", 2),
        BulletList(tuple(Item((Span(t),)) for t in (
            "Read the briefing yourself and check the local contacts and procedures it gives.",
            "Book about 20 minutes: seven to read the briefing aloud, the rest to discuss it and agree actions. "
            "Print the briefing for everyone, and the team record."))),
        Heading("During the meeting", 2),
        BulletList(tuple(Item((Span(t),)) for t in (
            "Read each section aloud in about the time the plan below gives it.",
            "Discuss the questions on the team record and note the main points under each one.",
            "Agree actions, each with an owner and a date. Ask everyone present to sign the attendance table."))),
        Heading("After the meeting", 2),
        BulletList((Item((Span("Send the team record and the feedback form to "),) + ret + (Span(
            ". Keep a copy with your team's training records and follow up each action by its date."),)),)),
        Heading("Timing plan", 2),
        Para((Span(f"Read aloud at {pace} words a minute, the briefing's {total_words} words "
                   f"take about {estimate} minute{'s' if estimate != 1 else ''}."
                   + (" The plan shares seven minutes between its sections by their words."
                      if plan and briefing.kind == "seven-minute-briefing" else "")),)),
    ]
    if plan:
        rows = tuple((f"{label} ({n} words)", f"{duration(secs)} (from {clock(start)})")
                     for label, n, start, secs in plan)
        count = "All seven sections" if briefing.kind == "seven-minute-briefing" else "All sections"
        rows += ((f"{count} ({sum(n for _, n, _, _ in plan)} words)", duration(total)),)
        blocks.append(Table(("Section (its words)", "Time to read it"), rows))
    return blocks


def team_record(pack: Pack, library: Library) -> list[TopBlock]:
    """The meeting's details, who attended, the discussion of each question, and the actions agreed."""
    blocks: list[TopBlock] = [
        Heading("Team record", 1),
        Field(MEETING_DATE, LABELS[MEETING_DATE]),
        Field(TEAM, LABELS[TEAM]),
        Field(FACILITATOR, LABELS[FACILITATOR]),
        Heading("Who attended", 2),
        FieldTable(("Name", "Role", "Agency", "Signature"), (0.28, 0.24, 0.24, 0.24), tuple(
            tuple(Field(attendee_field(row, part), attendee_label(row, part), show_label=False)
                  for part in ATTENDEE_PARTS) for row in range(1, ATTENDEES + 1))),
        Heading("Discussion", 2),
    ]
    questions = pack_questions(pack, library) or ["What did the team learn from this briefing?"]
    blocks.append(Para((Span("Notes of the team's discussion of each question."),), "small"))
    blocks.extend(Field(question_field(i), question_label(i, text), lines=4)
                  for i, text in enumerate(questions, start=1))
    blocks += [
        Heading("Actions agreed", 2),
        FieldTable(("Action", "Owner", "By when"), (0.56, 0.24, 0.2), tuple(
            tuple(Field(action_field(row, part), action_label(row, part), show_label=False) for part in ACTION_PARTS)
            for row in range(1, ACTIONS + 1))),
    ]
    return blocks


def feedback_form(brand: Brand, library: Library) -> list[TopBlock]:
    """The board's feedback form and where to return it."""
    return [
        Heading(f"Feedback for {brand.short_name}", 1),
        Para((Span("Tell the board how the briefing worked for your team. Return this form to "),)
             + returns_to(brand, library) + (Span("."),)),
        Choice(RATING, LABELS[RATING], RATINGS, "1 = not useful, 5 = very useful"),
        Field(DO_DIFFERENTLY, LABELS[DO_DIFFERENTLY], lines=5),
        Field(SUPPORT_NEEDED, LABELS[SUPPORT_NEEDED], lines=5),
    ]

