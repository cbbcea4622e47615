"""The fixed words of a document, each the board's to change (`vocabulary: words:`), and month names.

English by default; a brand's (or a pack's) `language:` sets the document language, and Welsh month
names are built in, so a Welsh board translates the words below and nothing English is left.
"""

from __future__ import annotations

import re

WORDS = {
    "seven-minute-briefing": "7-minute briefing",
    "precis": "Précis pack",
    "leaflet": "Lessons to inform your practice",
    "learning-points": "Key learning points",
    "handout": "Training handout",
    "contents": "Contents",
    "contents_hint": "Right-click here and choose Update Field to show the contents.",
    "contacts": "Contacts",
    "local_procedures": "Local procedures",
    "sources": "Sources",
    "page": "Page {page} of {pages}",
    "scan": "Scan the code with a phone camera to open the page.",
    "telephone": "Telephone",
    "email": "Email",
    "website": "Website",
    "applies_to": "Applies to",
    "reading_time": "About {minutes} minutes to read",
    "reading_time_one": "About 1 minute to read",
    "bar_chart": "Bar chart",
    "subject": "{kind} from {board}",
    "credit": "Adapted from a briefing by {board}, {date}",
    "document_control": "Document control",
    "version": "Version",
    "owner": "Owner",
    "review_date": "Review date",
    "draft": "Draft",
    "final": "Final",
    "draft_mark": "DRAFT",
    "logo_alt": "Logo of {name}",
    "qr_alt": "QR code for {address}",
}
"""Every fixed word a document prints, by the key a brand's `vocabulary: words:` changes it with."""

PLACEHOLDERS = {
    "page": ("{page}", "{pages}"),
    "reading_time": ("{minutes}",),
    "subject": ("{kind}", "{board}"),
    "credit": ("{board}", "{date}"),
    "logo_alt": ("{name}",),
    "qr_alt": ("{address}",),
}
"""What a word must keep: the renderer or compose fills these in."""

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "cy": ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
           "Tachwedd", "Rhagfyr"),
}
"""Month names built in, by language; any other language names its months in `vocabulary: months:`."""

LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
"""A language tag as PDF and Word take it: 'en-GB', 'cy', 'cy-GB'."""


def fill(word: str, **values: str | int) -> str:
    """*word* with its placeholders ('{date}') filled in; any other brace is the board's own text."""
    for name, value in values.items():
        word = word.replace("{" + name + "}", str(value))
    return word


def months_for(language: str) -> tuple[str, ...]:
    """The built-in month names of *language* ('cy-GB' -> Welsh), English when there are none."""
    return MONTHS.get(language.split("-")[0].lower(), MONTHS["en"])


def printed_date(date_iso: str, months: tuple[str, ...]) -> str:
    """'2017', '2017-02' or '2017-02-14' as printed: '2017', 'February 2017', '14 February 2017'."""
    parts = date_iso.split("-")
    if len(parts) == 1:
        return date_iso
    month = months[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"
