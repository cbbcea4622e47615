"""Document control: packs whose review date has passed."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

from briefpack.errors import display_path
from briefpack.model import Pack


def today() -> datetime.date:
    """The date reviews are judged on (tests replace it)."""
    return datetime.date.today()


def period_end(iso: str) -> datetime.date:
    """The last day of '2027', '2027-03' or '2027-03-31'."""
    parts = [int(x) for x in iso.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return datetime.date(year, month, day)


def review_notes(packs: Iterable[Pack], on: datetime.date | None = None) -> list[str]:
    """A note for each pack (once) whose review date is over by *on* (today by default)."""
    on = on or today()
    seen = set()
    notes = []
    for pack in packs:
        if pack.review_date_iso and pack.path not in seen and period_end(pack.review_date_iso) < on:
            seen.add(pack.path)
            notes.append(f"{display_path(pack.path)}: its review date, {pack.review_date}, has passed — review the "
                         "pack, then set a new 'review_date'")
    return notes
