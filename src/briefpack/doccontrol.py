"""Document control: dates as packs write and print them, and packs whose review date has passed."""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from pathlib import Path

from briefpack.errors import display_path


FIRST_YEAR, LAST_YEAR = 1900, 2999
"""Years a date may have: year 0 is no date, and Word's document dates start in 1601."""


def format_date(text: str) -> str | None:
    """'2017', '2017-02' or '2017-02-14' as printed ('February 2017'); None if not a date."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not m or not FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        return None
    name = calendar.month_name[int(month)]
    if day is None:
        return f"{name} {year}"
    if not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        return None
    return f"{int(day)} {name} {year}"


def date_problem(text: str) -> str:
    """Why *text*, which format_date refused, is not a date briefpack takes: said as the reader would check it."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not m:
        return f"'{text}' is not a date"
    year, month, day = (int(g) if g else None for g in m.groups())
    assert year is not None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return f"'{text}' has the year {year}: briefpack takes years from {FIRST_YEAR} to {LAST_YEAR}"
    if month is not None and not 1 <= month <= 12:
        return f"'{text}' has no month {month}: months run from 01 to 12"
    assert month is not None and day is not None
    days = calendar.monthrange(year, month)[1]
    return f"'{text}' has no day {day}: {calendar.month_name[month]} {year} has {days} days"


def today() -> datetime.date:
    """The date reviews are judged on (tests replace it)."""
    return datetime.date.today()


def period_end(iso: str) -> datetime.date:
    """The last day of '2027', '2027-03' or '2027-03-31'."""
    parts = [int(x) for x in iso.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return datetime.date(year, month, day)


REVIEW_DATE = re.compile(r"""^review_date:[ \t]*(["']?)(\d{4}(?:-\d{2}(?:-\d{2})?)?)\1[ \t]*(?:#.*)?$""", re.M)


def review_notes(pack_paths: Iterable[Path], on: datetime.date | None = None) -> list[str]:
    """A note for each pack (once) whose review date is over by *on* (today by default).

    The date is found in the pack's text, without reading the YAML: a build with nothing to do says it too.
    A date that is not one is reported by the build.
    """
    on = on or today()
    notes = []
    for path in dict.fromkeys(pack_paths):
        try:
            found = REVIEW_DATE.search(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        if found is None or format_date(found.group(2)) is None:
            continue
        if period_end(found.group(2)) < on:
            notes.append(f"{display_path(path)}: its review date, {format_date(found.group(2))}, has passed — "
                         "review the pack, then set a new 'review_date'")
    return notes


STARTER_WORDS = (HAPPENED, LEARNING, PRACTICE, PURPOSE) = (
    "Write here what happened and which review this learning comes from.",
    "Write the learning here.",
    "Write how this learning changes practice here.",
    "Write a sentence or two saying what this document is for.",
)
"""What 'briefpack new pack' writes where the board's own words go (see newpack.pack_yaml)."""


def starter_notes(pack_paths: Iterable[Path]) -> list[str]:
    """A note for each of new pack's example sentences a pack still holds, at its line and column.

    A new pack builds at once, so nothing else stopped a newcomer's briefing going to print saying 'Write here
    what happened'. Found in the pack's text, like the review date: a build with nothing to do says it too.
    """
    notes = []
    for path in dict.fromkeys(pack_paths):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            code = line.split(" #", 1)[0]
            for words in STARTER_WORDS:
                at = code.find(words)
                if at >= 0:
                    column = at if at and code[at - 1] in "\"'" else at + 1  # at the quotes they are in
                    notes.append(f"{display_path(path)}:{number}:{column}: '{words}' is the example text "
                                 "'briefpack new pack' wrote — replace it with your own words")
    return notes


def pack_notes(pack_paths: Iterable[Path]) -> list[str]:
    """What every build and check of these packs says of their own text: a review date passed, example text."""
    paths = list(dict.fromkeys(pack_paths))
    return review_notes(paths) + starter_notes(paths)
