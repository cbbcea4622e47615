"""The renderer-neutral document: blocks whose text is final."""

from __future__ import annotations

from dataclasses import fields, is_dataclass

from briefpack.frozen import frozen
from briefpack.markup import Inline


@frozen
class Item:
    """One list item: a paragraph, more paragraphs, and sub-items."""

    text: Inline
    more: tuple[Inline, ...] = ()
    """Further paragraphs of the same item."""
    children: tuple[Item, ...] = ()


@frozen
class TitleBlock:
    """The top of the first page."""

    kicker: str
    """The kind of document, e.g. '7-minute briefing'."""
    title: str
    subtitle: str
    date: str
    cover: bool = False
    """A whole cover page (title, board, date, logo) rather than a title at the top of page 1."""
    reading_time: str = ""
    """'About 5 minutes to read', under the title of a 7-minute briefing; empty for other kinds."""


@frozen
class Heading:
    """A heading; level 1 is a main section, 2 a sub-heading."""

    text: str
    level: int = 1


@frozen
class Para:
    """A paragraph; style 'body' or 'small'."""

    text: Inline
    style: str = "body"
    background: bool = False
    """Words about a source, not the publishing board's own: a source's summary quoted, a citation, the
    credit line. They may name another board; the leak check passes over them."""


@frozen
class BulletList:
    """A bulleted list."""

    items: tuple[Item, ...]


@frozen
class NumberedList:
    """A numbered list; numbering starts at 1 in every list."""

    items: tuple[Item, ...]


@frozen
class ContactEntry:
    """One contact: a name and its lines (phone, email, website)."""

    name: str
    lines: tuple[Inline, ...]


@frozen
class ContactBlock:
    """The board's contacts."""

    heading: str
    entries: tuple[ContactEntry, ...]


@frozen
class Bar:
    """One bar of a chart."""

    label: str
    value: float
    text: str
    """The value as printed, e.g. '35%'."""


@frozen
class Chart:
    """A horizontal bar chart; always followed by a Table with the same figures."""

    title: str
    alt: str
    """Alternative text: what the chart shows, for readers who cannot see it."""
    bars: tuple[Bar, ...]


@frozen
class Table:
    """A table with a header row."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@frozen
class LinkBlock:
    """A link for paper: its title, its printed address, and a QR code."""

    title: str
    url: str
    address: str
    """The address as printed."""
    caption: str = ""
    """What to do with the QR code, e.g. 'Scan the code with a phone camera to open the page.'"""
    alt: str = ""
    """The QR code's alternative text, e.g. 'QR code for virtual-college.co.uk/…'."""


@frozen
class Contents:
    """A table of contents of the level-1 headings (page numbers in the PDF, a TOC field in Word)."""

    title: str
    hint: str = "Right-click here and choose Update Field to show the contents."
    """What Word shows until the contents are filled in."""


@frozen
class PageBreak:
    """Start a new page."""


@frozen
class Field:
    """A space to fill in: a form field in the PDF, a content control in Word, a box on paper."""

    name: str
    """The field's stable name (the PDF field name and the Word tag): what `briefpack returns` reads."""
    label: str
    """What the field is for, as printed and as its accessible name (PDF /TU, Word title)."""
    lines: int = 1
    """1 for a one-line answer; more for a notes box of about that many lines."""
    show_label: bool = True
    """False in a FieldTable, where the column heading says what the field is."""


@frozen
class FieldTable:
    """A table to fill in, one row per entry (who attended, actions agreed)."""

    header: tuple[str, ...]
    widths: tuple[float, ...]
    """Each column's share of the width; they add up to 1."""
    rows: tuple[tuple[Field, ...], ...]


@frozen
class Choice:
    """Choose one of a few values (a rating): radio buttons in the PDF, a drop-down list in Word."""

    name: str
    label: str
    options: tuple[str, ...]
    """The values, as stored and as printed beside each button."""
    hint: str
    """What the ends of the scale mean, printed under the buttons."""
    choose: str = ""
    """What Word prints under its drop-down list instead (it has no buttons): how to choose, and the hint."""


Block = (TitleBlock | Heading | Para | BulletList | NumberedList | ContactBlock | Chart | Table | LinkBlock
         | Contents | PageBreak | Field | FieldTable | Choice)
"""Anything a section may hold."""


@frozen
class Section:
    """A numbered section of a 7-minute briefing."""

    number: str
    """'01' to '07'."""
    label: str
    blocks: tuple[Block, ...]


TopBlock = Block | Section


@frozen
class Document:
    """Everything both renderers need to say, in order."""

    title: str
    kind: str
    """The pack kind, e.g. 'seven-minute-briefing'."""
    layout: str
    """'linear', or 'tiles' for a one-page 7-minute briefing."""
    subject: str
    author: str
    """The board, as the document's author."""
    keywords: tuple[str, ...]
    language: str
    date: str
    date_iso: str
    """'2017', '2017-02' or '2017-02-14': Word's document dates come from it, not the clock."""
    footer: str
    """The footer line of every page, before the page number, e.g. 'Lancashire … Board · 7-minute briefing'."""
    blocks: tuple[TopBlock, ...]
    header: str = ""
    """The running header of every page after the first, e.g. 'LSCB · Themes from Serious Case Reviews'."""
    page_label: str = ""
    """The page number as printed in the footer, e.g. 'Page {page} of {pages}': each renderer fills them in."""
    mark: str = ""
    """Printed across every PDF page and in the Word header: 'DRAFT' for a draft, empty otherwise."""
    version: str = ""
    """Document control, for the files' properties."""
    status: str = ""
    """'Draft' or 'Final', for the files' properties (Word's content status)."""
    form_id: str = ""
    """For a fillable kit, what `briefpack returns` reads to know its pack ('briefpack-kit/1 pack=… brand=…');
    kept in the PDF's document information and the Word file's identifier property."""
    large_print: bool = False
    """The large-print edition: every text at least 16 pt, headings scaled with it, always linear."""
    logo_alt: str = "Logo of {name}"
    """A logo's alternative text, in the board's words; {name} is the board or partner agency."""
    link_words: tuple[tuple[str, str], ...] = ()
    """What the renderers say a link does (words.LINK_WORDS), in the board's words; English when not given."""

    def logo_alts(self, logo: str, partners: tuple[tuple[object, str], ...]) -> tuple[str, ...]:
        """What a screen reader says for the board's logo (brand.yaml's logo alt), then each partner's; PDF and Word."""
        from briefpack.words import fill_in

        return tuple(fill_in(self.logo_alt, name=name) for name in (logo, *(alt for _, alt in partners)))


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of dataclass *cls*, found once per class; None for any other class. The walks over a
    whole Document (references resolved, the leak check's texts) ask for each of its thousands of parts."""
    if cls not in _FIELD_NAMES:
        _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
    return _FIELD_NAMES[cls]


def texts(value: object, background: bool = True) -> list[str]:
    """Every string of *value* (a Document or any part of one, link addresses included), in order; without
    *background*, a Para quoted as background is passed over."""
    out: list[str] = []

    def walk(value: object) -> None:  # a list filled by one function: nested generators cost more than the work
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, (tuple, list)):
            for item in value:
                walk(item)
        elif not background and isinstance(value, Para) and value.background:
            return
        elif (names := field_names(type(value))) is not None:
            for name in names:
                walk(getattr(value, name))

    walk(value)
    return out
