"""Decide every word, its order and its numbering: (Pack, Library, Brand) -> Document."""

from __future__ import annotations

from briefpack.document import (Block, BulletList, ContactBlock, ContactEntry, Document, Item,
                                NumberedList, Para, Section, TitleBlock, TopBlock, Heading)
from briefpack.markup import Inline, Span
from briefpack.model import Brand, Contact, Lesson, Library, Pack, PackSection, Point, Source

KICKERS = {"seven-minute-briefing": "7-minute briefing"}
DASH = " – "


def compose(pack: Pack, library: Library, brand: Brand) -> Document:
    """Build the document for *pack* in *brand*."""
    blocks: list[TopBlock] = [TitleBlock(
        kicker=KICKERS[pack.kind], title=pack.title,
        subtitle=pack.subtitle or f"Learning from {brand.review_type}s", date=pack.date)]
    for number, (section, default_label) in enumerate(zip(pack.sections, brand.section_labels), start=1):
        blocks.append(Section(f"{number:02d}", section.label or default_label,
                              section_blocks(section, library)))
    blocks.extend(closing_blocks(pack, library, brand))
    themes = dict.fromkeys(t for s in pack.sections for lid in s.lessons for t in library.lessons[lid].themes)
    return Document(
        title=pack.title, subject=f"{KICKERS[pack.kind].capitalize()} from {brand.name}",
        author=brand.name, keywords=tuple(library.themes[t] for t in themes), language="en-GB",
        date=pack.date, date_iso=pack.date_iso, footer=brand.footer or brand.name, blocks=tuple(blocks))


def section_blocks(section: PackSection, library: Library) -> tuple[Block, ...]:
    """The blocks of one numbered section, in the order the pack format documents."""
    blocks: list[Block] = [Para(p) for p in section.text]
    if section.lessons:
        blocks.append(BulletList(tuple(lesson_item(library.lessons[i]) for i in section.lessons)))
    if section.points:
        blocks.append(BulletList(point_items(section.points)))
    if section.actions:
        blocks.append(BulletList(tuple(Item(library.actions[i].text) for i in section.actions)))
    if section.questions:
        blocks.append(NumberedList(tuple(Item(library.questions[i].text) for i in section.questions)))
    blocks.extend(Para(p) for p in section.after)
    return tuple(blocks)


def lesson_item(lesson: Lesson) -> Item:
    """A lesson as a list item: its title in bold, a dash, then its text."""
    first, *rest = lesson.text or ((),)
    lead: Inline = (Span(lesson.title, bold=True), Span(DASH)) if first else (Span(lesson.title, bold=True),)
    return Item(lead + tuple(first), tuple(rest), point_items(lesson.points))


def point_items(points: tuple[Point, ...]) -> tuple[Item, ...]:
    return tuple(Item(p.text, (), point_items(p.points)) for p in points)


def pack_sources(pack: Pack, library: Library) -> tuple[Source, ...]:
    """The sources the pack names, or else those of its lessons, in order of first use."""
    ids = pack.sources or tuple(dict.fromkeys(
        s for section in pack.sections for lid in section.lessons for s in library.lessons[lid].sources))
    return tuple(library.sources[i] for i in ids)


def source_text(source: Source) -> Inline:
    """'Child O: Lancashire Safeguarding Children Board, Serious Case Review, 2016.'"""
    words = f"{source.title}{DASH}{source.board}, {source.year}"
    if source.url:
        return (Span(words + ". "), Span(display_url(source.url), href=source.url))
    return (Span(words + "."),)


def display_url(url: str) -> str:
    """An address as printed: without the scheme, since paper cannot be clicked and readers type it."""
    for prefix in ("https://", "http://", "mailto:", "tel:"):
        if url.lower().startswith(prefix):
            return url[len(prefix):].rstrip("/")
    return url


def contact_entry(contact: Contact) -> ContactEntry:
    lines: list[Inline] = []
    if contact.phone:
        digits = "".join(ch for ch in contact.phone if ch.isdigit() or ch == "+")
        lines.append((Span("Telephone: "), Span(contact.phone, href=f"tel:{digits}")))
    if contact.email:
        lines.append((Span("Email: "), Span(contact.email, href=f"mailto:{contact.email}")))
    if contact.website:
        lines.append((Span("Website: "), Span(display_url(contact.website), href=contact.website)))
    if contact.note:
        lines.append((Span(contact.note),))
    return ContactEntry(contact.name, tuple(lines))


def closing_blocks(pack: Pack, library: Library, brand: Brand) -> list[TopBlock]:
    """Contacts, local procedures and sources, after the sections.

    A pack's own contacts belong to the board whose brand it names; built in another brand, that
    brand's contacts are used instead, so nothing of the first board is left.
    """
    contact_ids = pack.contacts if pack.contacts and pack.brand == brand.id else brand.contacts
    blocks: list[TopBlock] = []
    entries = [contact_entry(library.contacts[c]) for c in contact_ids if c in library.contacts]
    if brand.procedures:
        entries.append(ContactEntry("Local procedures", tuple(
            (Span(link.title, href=link.url), Span(f": {display_url(link.url)}")) for link in brand.procedures)))
    if entries:
        blocks.append(ContactBlock(f"Contacts – {brand.name}", tuple(entries)))
    sources = pack_sources(pack, library)
    if sources:
        blocks.append(Heading("Sources", 2))
        blocks.extend(Para(source_text(s), "small") for s in sources)
    return blocks
