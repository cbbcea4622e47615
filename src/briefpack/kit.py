"""The team-meeting kit of a pack: a facilitator's page, a team record and a feedback form to fill in.

The kit is composed here, like every other document, and rendered by the same two renderers. Its field
names are the contract that `briefpack returns` reads (see packs/README.md, "The meeting kit's fields"):
change them only with a new KIT_VERSION, and keep returns.py reading the old ones. Every word it prints is
the board's (words.WORDS, the `kit…` keys), English unless the brand says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from briefpack import markup, readtime
from briefpack.compose import board_references, display_url, kept_words, resolved
from briefpack.document import (BulletList, Choice, Document, Field, FieldTable, Heading, Item, PageBreak, Para,
                                Table, TitleBlock, TopBlock)
from briefpack.markup import Inline, Resolve, Span, joined, plain, word_runs
from briefpack.model import Brand, Library, Pack
from briefpack.project import PACK_KINDS
from briefpack.words import WORDS, fill_in, pieces

Words = Callable[[str], str]
"""A brand's word for a key, its board references filled in and its escapes kept (compose.kept_words), for
words.fill_in to fill (see said); ENGLISH when there is no brand."""
ENGLISH: Words = WORDS.__getitem__

KIT_VERSION = "1"
"""The version of the kit's field names, written into every kit (form_id)."""
ATTENDEES = 10
"""Rows of the attendance table."""
ACTIONS = 5
"""Rows of the actions table."""
RATINGS = ("1", "2", "3", "4", "5")
SEVEN_MINUTES = 7 * 60
MEETING_MINUTES = 20
"""The meeting a 7-minute briefing's kit books (its word 'kit_before_book'): seven minutes to read, the rest to talk."""
STEP = 15
"""The timing plan gives each section a multiple of this many seconds."""

MEETING_DATE, TEAM, FACILITATOR = "meeting_date", "team", "facilitator"
RATING, DO_DIFFERENTLY, SUPPORT_NEEDED = "rating", "do_differently", "support_needed"
ATTENDEE_PARTS = ("name", "role", "agency", "signature")
ATTENDEE_WORDS = {"name": "kit_name", "role": "kit_role", "agency": "kit_agency", "signature": "kit_signature"}
"""Each attendance column's word: its heading, and (first letter small) in its fields' titles."""
ACTION_PARTS = ("", "_owner", "_by")
ACTION_WORDS = {"": "kit_action", "_owner": "kit_owner", "_by": "kit_by_when"}
LABEL_WORDS = {
    MEETING_DATE: "kit_meeting_date",
    TEAM: "kit_team",
    FACILITATOR: "kit_facilitator_field",
    RATING: "kit_rating",
    DO_DIFFERENTLY: "kit_do_differently",
    SUPPORT_NEEDED: "kit_support_needed",
}
"""The words of the fields' titles (PDF /TU, Word content-control title). A Word file saved by LibreOffice
keeps a control's title but not its tag, so returns.py also reads a field by its title, in English or in
the words of the kit's brand: change them with care."""
LABELS = {name: fill_in(WORDS[key], pack=WORDS["kit_pack_seven-minute-briefing"]) for name, key in LABEL_WORDS.items()}
"""The fields' titles in English, in a 7-minute briefing's kit."""


def said(w: Words, key: str, **values: str | int) -> str:
    """The word *key* as the kit prints it: final text, its placeholders filled with *values* (final text too, data:
    a pack title's '{words}' or '**' stays as it is) and '\\{' printed as a brace, by words.fill_in. The kit's
    plain text is made only here: a word filled in before it was resolved read '\\{part}' as '{part}' filled in."""
    return fill_in(w(key), **values)


def the_pack(kind: str, w: Words = ENGLISH) -> str:
    """What a kit calls a pack of *kind*, its {pack}: 'briefing', 'leaflet' (the word kit_pack_KIND). Decided here
    for both renderers: the kit of a leaflet said 'Run the briefing' and 'Read the briefing yourself'."""
    return said(w, f"kit_pack_{kind}")


def small(word: str) -> str:
    """*word* with a small first letter, as it is said inside a sentence or a title ('Owner' -> 'owner'). A name
    keeps its capitals: a pack's kicker 'Serious Case Review' (another word capitalised) or 'SCR briefing' (a
    capital after the first letter) was made 'serious Case Review', 'sCR briefing'."""
    first, _, rest = word.partition(" ")
    if first[1:] != first[1:].lower() or any(w[:1].isupper() for w in rest.split()):
        return word
    return word[:1].lower() + word[1:]


def _titled(word: str) -> tuple[str, ...]:
    """*word* as a field's title says it (small), and as kits made before 2026-12-06 said it (its first letter
    always small: 'job Title'), so a kit saved by LibreOffice (which keeps a field's title, not its tag) then is
    still read back."""
    return (small(word), word[:1].lower() + word[1:])


def attendee_label(row: int, part: str, word: Words = ENGLISH) -> str:
    return said(word, "kit_attendee", row=row, part=small(said(word, ATTENDEE_WORDS[part])))


def action_label(row: int, part: str = "", word: Words = ENGLISH) -> str:
    if not part:
        return said(word, "kit_action_row", row=row)
    return said(word, "kit_action_part", row=row, part=small(said(word, ACTION_WORDS[part])))


def question_label(number: int, text: str) -> str:
    return f"{number}. {text}"


def _row_title(template: str, parts: dict[str, str]) -> re.Pattern[str]:
    """A pattern for the titles a row template ('Attendee {row}: {part}', kept: see Words) makes with each of
    *parts*, as said fills it in: '\\{part}' is text, and a placeholder written twice says the same twice."""
    alternatives = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
    groups = {"row": r"(?P<row>\d+)", "part": f"(?P<part>{alternatives})"}
    pattern: list[str] = []
    for is_placeholder, piece in pieces(template, *groups):
        if not is_placeholder:
            pattern.append(re.escape(piece))
        else:
            pattern.append(f"(?P={piece})" if groups[piece] in pattern else groups[piece])
    return re.compile("".join(pattern))


def field_of_title(title: str, word: Words = ENGLISH) -> str | None:
    """The field a title in the words *word* gives belongs to (the inverse of the labels above), or None."""
    for name, key in LABEL_WORDS.items():
        if title in {said(word, key, pack=the_pack(kind, word)) for kind in PACK_KINDS}:
            return name
    attendees = {t: part for part, key in ATTENDEE_WORDS.items() for t in _titled(said(word, key))}
    if m := _row_title(word("kit_attendee"), attendees).fullmatch(title):
        return attendee_field(int(m["row"]), attendees[m["part"]])
    actions = {t: part for part, key in ACTION_WORDS.items() if part for t in _titled(said(word, key))}
    if m := _row_title(word("kit_action_part"), actions).fullmatch(title):
        return action_field(int(m["row"]), actions[m["part"]])
    if m := _row_title(word("kit_action_row"), {}).fullmatch(title):
        return action_field(int(m["row"]))
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


def duration(seconds: int, word: Words = ENGLISH) -> str:
    """'1 min 15 s', '45 s', '2 min'."""
    minutes, rest = divmod(seconds, 60)
    parts = [said(word, "kit_minutes", minutes=minutes)] if minutes else []
    if rest or not minutes:
        parts.append(said(word, "kit_seconds", seconds=rest))
    return " ".join(parts)


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
        return word_runs(brand.word("kit_returns_team"), board=brand.name)
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", target):
        return (Span(target, href=f"mailto:{target}"),)
    if target.startswith(("https://", "http://")):
        return (Span(display_url(target), href=target),)
    return (Span(target),)


def pack_questions(pack: Pack, library: Library, resolve: Resolve) -> list[str]:
    """The pack's own reflective questions, in order, each once, as the briefing prints them (*resolve*: the
    board's references)."""
    ids = dict.fromkeys(q for section in pack.sections for q in section.questions)
    return [plain(markup.resolve(library.questions[q].text, resolve)) for q in ids]


def compose_kit(pack: Pack, library: Library, brand: Brand, briefing: Document) -> Document:
    """The meeting kit of *pack* in *brand*; *briefing* is the pack's composed document (for its words).

    Its plain text is final when it is made: the board's words filled in by said, the briefing's text (title,
    kicker, section labels, questions, footer) as the briefing prints it. Only its sentences' runs (word_runs) keep
    references, resolved once at the end."""
    w = kept_words(brand)
    resolve = board_references(brand)
    # The briefing's kicker as the briefing printed it (resolved): the pack's own, or the board's word for its kind.
    kicker = next(b.kicker for b in briefing.blocks if isinstance(b, TitleBlock))
    blocks: list[TopBlock] = [TitleBlock(kicker=said(w, "kit"), title=briefing.title,
                                         subtitle=said(w, "kit_subtitle", pack=the_pack(pack.kind, w)),
                                         date=briefing.date)]
    blocks.extend(facilitator_page(kicker, briefing, brand, library))
    blocks.append(PageBreak())
    blocks.extend(team_record(pack, library, brand))
    blocks.append(PageBreak())
    blocks.extend(feedback_form(brand, library, pack.kind))
    title = said(w, "kit_title", title=briefing.title)
    document = Document(
        title=title, kind=pack.kind, layout="linear",
        subject=said(w, "kit_subject", kind=small(kicker), board=brand.name), author=briefing.author,
        keywords=briefing.keywords, language=briefing.language, date=briefing.date,
        date_iso=briefing.date_iso, footer=briefing.footer, blocks=tuple(blocks),
        header=f"{resolved(brand.short_name, resolve)} · {title}",
        form_id=form_id(pack.id, brand.id))
    return replace(resolved(document, resolve, text=False), page_label=briefing.page_label,
                   logo_alt=briefing.logo_alt, link_words=briefing.link_words)


def facilitator_page(kicker: str, briefing: Document, brand: Brand, library: Library) -> list[TopBlock]:
    """How to run the meeting, the timing plan and the reading-time estimate; *kicker* as the briefing prints it
    (word_runs takes it as data, never resolved again)."""
    raw, w = brand.word, kept_words(brand)  # raw: a sentence's word, for word_runs
    total_words = readtime.words(briefing.blocks)
    pace = brand.words_per_minute
    estimate = readtime.minutes(total_words, pace)
    plan, total = timing_plan(briefing, pace)
    ret = returns_to(brand, library)
    it = the_pack(briefing.kind, w)
    pace_said = (word_runs(raw("kit_pace_one"), pace=pace, words=total_words, pack=it) if estimate == 1
                 else word_runs(raw("kit_pace"), pace=pace, words=total_words, minutes=estimate, pack=it))
    if plan and briefing.kind == "seven-minute-briefing":
        pace_said = joined(pace_said + word_runs(" " + raw("kit_shares")))
    blocks: list[TopBlock] = [
        Heading(said(w, "kit_facilitator"), 1),
        Para(word_runs(raw("kit_goes_with"), kind=small(kicker), title=briefing.title)),
        Heading(said(w, "kit_before"), 2),
        BulletList((Item(word_runs(raw("kit_before_read"), pack=it)), Item(booking(briefing.kind, estimate, raw)))),
        Heading(said(w, "kit_during"), 2),
        BulletList(tuple(Item(word_runs(raw(key))) for key in ("kit_during_read", "kit_during_discuss",
                                                                "kit_during_agree"))),
        Heading(said(w, "kit_after"), 2),
        BulletList((Item(word_runs(raw("kit_after_send"), to=ret)),)),
        Heading(said(w, "kit_timing"), 2),
        Para(pace_said),
    ]
    if plan:
        rows = tuple((said(w, "kit_section_words", section=label, words=n),  # the briefing's label, resolved
                      said(w, "kit_from", time=duration(secs, w), start=clock(start)))
                     for label, n, start, secs in plan)
        count = "kit_all_seven" if briefing.kind == "seven-minute-briefing" else "kit_all"
        rows += ((said(w, count, words=sum(n for _, n, _, _ in plan)), duration(total, w)),)
        blocks.append(Table((said(w, "kit_section_column"), said(w, "kit_time_column")), rows))
    return blocks


def booking(kind: str, minutes: int, raw: Callable[[str], str]) -> Inline:
    """The meeting to book: a 7-minute briefing's twenty minutes, seven of them to read it; for another kind (a
    leaflet is not read in seven minutes), its reading time (*minutes*, from its words) and a briefing's time to
    talk, rounded up to five minutes. *raw*: the board's words as written (Brand.word), for word_runs."""
    if kind == "seven-minute-briefing":
        return word_runs(raw("kit_before_book"))
    discussion = MEETING_MINUTES - SEVEN_MINUTES // 60
    return word_runs(raw("kit_before_book_time"), meeting=-(-(minutes + discussion) // 5) * 5, minutes=minutes)


def team_record(pack: Pack, library: Library, brand: Brand) -> list[TopBlock]:
    """The meeting's details, who attended, the discussion of each question, and the actions agreed."""
    w = kept_words(brand)
    blocks: list[TopBlock] = [
        Heading(said(w, "kit_record"), 1),
        Field(MEETING_DATE, said(w, LABEL_WORDS[MEETING_DATE])),
        Field(TEAM, said(w, LABEL_WORDS[TEAM])),
        Field(FACILITATOR, said(w, LABEL_WORDS[FACILITATOR])),
        Heading(said(w, "kit_attended"), 2),
        FieldTable(tuple(said(w, ATTENDEE_WORDS[part]) for part in ATTENDEE_PARTS), (0.28, 0.24, 0.24, 0.24), tuple(
            tuple(Field(attendee_field(row, part), attendee_label(row, part, w), show_label=False)
                  for part in ATTENDEE_PARTS) for row in range(1, ATTENDEES + 1))),
        Heading(said(w, "kit_discussion"), 2),
    ]
    questions = (pack_questions(pack, library, board_references(brand))
                 or [said(w, "kit_no_questions", pack=the_pack(pack.kind, w))])
    blocks.append(Para(word_runs(brand.word("kit_discussion_notes")), "small"))
    blocks.extend(Field(question_field(i), question_label(i, text), lines=4)
                  for i, text in enumerate(questions, start=1))
    blocks += [
        Heading(said(w, "kit_actions"), 2),
        FieldTable(tuple(said(w, ACTION_WORDS[part]) for part in ACTION_PARTS), (0.56, 0.24, 0.2), tuple(
            tuple(Field(action_field(row, part), action_label(row, part, w), show_label=False)
                  for part in ACTION_PARTS) for row in range(1, ACTIONS + 1))),
    ]
    return blocks


def feedback_form(brand: Brand, library: Library, kind: str) -> list[TopBlock]:
    """The board's feedback form and where to return it, for a pack of *kind*."""
    w = kept_words(brand)
    scale = said(w, "kit_rating_scale")
    return [
        Heading(said(w, "kit_feedback"), 1),
        Para(word_runs(brand.word("kit_feedback_return"), to=returns_to(brand, library), pack=the_pack(kind, w))),
        Choice(RATING, said(w, LABEL_WORDS[RATING], pack=the_pack(kind, w)), RATINGS, scale,
               said(w, "kit_rating_choose", options=", ".join(RATINGS), scale=scale)),
        Field(DO_DIFFERENTLY, said(w, LABEL_WORDS[DO_DIFFERENTLY]), lines=5),
        Field(SUPPORT_NEEDED, said(w, LABEL_WORDS[SUPPORT_NEEDED]), lines=5),
    ]
