"""The validated, frozen model that YAML is loaded into."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from briefpack.frozen import frozen
from briefpack.markup import Inline

Rich = tuple[Inline, ...]
"""Paragraphs of inline text."""


@frozen
class Colour:
    """An sRGB colour, parsed once from '#RRGGBB' for both renderers."""

    red: int
    green: int
    blue: int

    _HEX = re.compile(r"#[0-9a-fA-F]{6}")

    @classmethod
    def from_hex(cls, text: str) -> Colour:
        """Parse '#RRGGBB'; raise ValueError for anything else (no '#FFF' guessing)."""
        if not cls._HEX.fullmatch(text):
            raise ValueError(text)
        return cls(int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16))

    @property
    def hex(self) -> str:
        """'RRGGBB', upper case, as python-docx wants it."""
        return f"{self.red:02X}{self.green:02X}{self.blue:02X}"

    @property
    def rgb01(self) -> tuple[float, float, float]:
        """Components from 0 to 1, as reportlab wants them."""
        return (self.red / 255, self.green / 255, self.blue / 255)

    def luminance(self) -> float:
        """WCAG 2.1 relative luminance."""
        def channel(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(self.red) + 0.7152 * channel(self.green) + 0.0722 * channel(self.blue)

    def contrast(self, other: Colour) -> float:
        """WCAG 2.1 contrast ratio with *other*, from 1 to 21."""
        a, b = sorted((self.luminance(), other.luminance()), reverse=True)
        return (a + 0.05) / (b + 0.05)

    def mix(self, other: Colour, amount: float) -> Colour:
        """Return this colour moved *amount* (0 to 1) of the way to *other*."""
        return Colour(*(round(a + (b - a) * amount) for a, b in
                        zip((self.red, self.green, self.blue), (other.red, other.green, other.blue), strict=True)))


WHITE = Colour(255, 255, 255)


@frozen
class Source:
    """A review or publication that lessons come from."""

    id: str
    title: str
    kind: str
    """serious-case-review, practice-review, national-review, audit, partnership-review, publication …"""
    board: str
    """Who published it, as printed."""
    year: str = ""
    """Empty when the publication is undated."""
    url: str = ""
    summary: Rich = ()
    """What the review or publication is, as a section can quote it."""


@frozen
class Point:
    """A bullet, possibly with its own bullets."""

    text: Inline
    points: tuple[Point, ...] = ()


@frozen
class Lesson:
    """A piece of learning: a short heading and its text."""

    id: str
    title: str
    text: Rich
    points: tuple[Point, ...]
    themes: tuple[str, ...]
    sources: tuple[str, ...]


@frozen
class Question:
    """A reflective question for a team or a practitioner."""

    id: str
    text: Inline
    themes: tuple[str, ...]


@frozen
class Action:
    """A next step ("Take issues to supervision")."""

    id: str
    text: Inline


@frozen
class Contact:
    """A service or person to contact."""

    id: str
    name: str
    phone: str = ""
    email: str = ""
    website: str = ""
    """Full address with https://."""
    note: str = ""


@frozen
class Statistic:
    """A figure: its sentence, and (to be charted) its value, e.g. '35%'."""

    id: str
    text: Inline
    value: str
    source: str


@frozen
class WebLink:
    """A web page worth pointing readers to."""

    id: str
    title: str
    url: str


@frozen
class Library:
    """Everything the packs can choose from, by id."""

    themes: Mapping[str, str]
    sources: Mapping[str, Source]
    lessons: Mapping[str, Lesson]
    questions: Mapping[str, Question]
    actions: Mapping[str, Action]
    contacts: Mapping[str, Contact]
    statistics: Mapping[str, Statistic]
    links: Mapping[str, WebLink]
    complete: bool = True
    """False when a library file could not be read at all: then ids naming its items are not judged."""
    lost: frozenset[str] = frozenset()
    """Kinds ('lessons') an item of which lost its id (or whose list could not be read): an id naming none of that
    kind's items is not judged, as it may name the lost one (whose problem says enough)."""


@frozen
class Chart:
    """A bar chart of statistics, also given as a table so no meaning lives only in the picture."""

    title: str
    statistics: tuple[str, ...]
    columns: tuple[str, str]
    """Table headings: what each bar is, and its value."""


@frozen
class PackSection:
    """One section of a document: a 7-minute briefing's numbered slot, or a headed section."""

    label: str
    """The heading; for a 7-minute briefing, empty means the brand's label for this slot."""
    text: Rich
    lessons: tuple[str, ...]
    show: str
    """How lessons appear: bullets, blocks, numbered or titles."""
    questions: tuple[str, ...]
    actions: tuple[str, ...]
    points: tuple[Point, ...]
    statistics: tuple[str, ...]
    chart: Chart | None
    links: tuple[str, ...]
    sources: tuple[str, ...]
    """Sources whose summaries the section quotes (a source may name its own board)."""
    services: tuple[str, ...]
    """The services the section applies to, from the brand's vocabulary (a précis case)."""
    after: Rich
    """Text after the lessons and lists."""


@frozen
class Pack:
    """What goes into one document."""

    id: str
    path: Path
    kind: str
    kicker: str
    """The line above the title; empty means the kind's name (e.g. '7-minute briefing')."""
    title: str
    subtitle: str
    date: str
    """As printed, e.g. 'February 2017'."""
    date_iso: str
    """As written in the pack, e.g. '2017-02'."""
    brand: str
    layout: str
    intro: Rich
    """Text under the title, before the first section."""
    sections: tuple[PackSection, ...]
    contacts: tuple[str, ...]
    contacts_heading: str
    sources: tuple[str, ...]
    version: str = ""
    """Document control: the board's version number, e.g. '1.2'."""
    status: str = ""
    """'draft', 'final', or empty when the pack does not say."""
    review_date: str = ""
    """As printed, e.g. 'March 2027'."""
    review_date_iso: str = ""
    """As written, e.g. '2027-03'."""
    owner: str = ""
    """Who owns the document (a person or a team)."""
    kit: bool = False
    """Build the team-meeting kit with the pack, as `build --kit` does."""
    language: str = ""
    """The document's language when it is not the brand's, e.g. 'cy' for a Welsh version."""
    credit: bool = True
    """Built in another brand than its own, say whose briefing it was adapted from."""


@frozen
class Palette:
    """Brand colours by role."""

    primary: Colour
    """Headings, number badges, rules."""
    accent: Colour
    """Small highlights and the kicker line."""
    text: Colour
    background: Colour
    muted: Colour
    """Footer and small print."""


@frozen
class FontFaces:
    """TrueType files for one family."""

    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    @property
    def files(self) -> tuple[Path, ...]:
        """Each file once (one file may serve several faces)."""
        return tuple(dict.fromkeys((self.regular, self.bold, self.italic, self.bold_italic)))


@frozen
class Link:
    """A titled web address."""

    title: str
    url: str
    id: str = ""
    """For a brand's procedure: the id texts refer to it by ('{procedure:escalation}'); may be empty."""
    themes: tuple[str, ...] = ()
    """For a brand's procedure: the themes it is about; it is listed only in documents on one of them (or that
    refer to it). Without themes it is listed in every document."""


@frozen
class Brand:
    """How one board's documents look and what they call things."""

    id: str
    folder: Path
    name: str
    short_name: str
    logo: Path
    logo_alt: str
    palette: Palette
    fonts: FontFaces
    fallback: FontFaces
    word_font: str
    """The font named in Word files: Word does not embed fonts, so one every PC has."""
    footer: str
    contacts: tuple[str, ...]
    procedures: tuple[Link, ...]
    review_type: str
    section_labels: tuple[str, ...]
    """The seven 7-minute-briefing labels, 01 to 07."""
    services: tuple[str, ...]
    page_size: str
    """'A4' or 'Letter'."""
    word_template: Path | None = None
    """A house .docx or .dotx whose styles, page setup, header and footer the Word files use."""
    partners: tuple[tuple[Path, str], ...] = ()
    """Partner-agency logos and their alt text, shown in a strip at the end of each document."""
    words_per_minute: int = 150
    """The pace at which a facilitator reads aloud, for the reading time of a 7-minute briefing."""
    returns: str = ""
    """Where teams send a meeting kit's feedback form (an email address or a few words); empty means the
    email of the brand's first contact."""
    language: str = "en-GB"
    """The documents' language (PDF /Lang, Word's proofing language), unless a pack says otherwise."""
    words: tuple[tuple[str, str], ...] = ()
    """The board's own fixed words (see words.WORDS), by key; any not given are English."""
    months: tuple[str, ...] = ()
    """Twelve month names; empty means those built in for the language (see words.MONTHS)."""
    contact_book: tuple[Contact, ...] = ()
    """The board's own contacts (its contacts.yaml, or written out under 'contacts:'), before the library's."""

    def contact(self, contact_id: str, library: Library) -> Contact | None:
        """The contact *contact_id*: the board's own, else the shared library's."""
        return next((c for c in self.contact_book if c.id == contact_id), None) or library.contacts.get(contact_id)

    def word(self, key: str) -> str:
        """The fixed word *key* as this board says it."""
        from briefpack.words import WORDS

        return dict(self.words).get(key) or WORDS[key]

