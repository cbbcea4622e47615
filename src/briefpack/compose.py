"""Decide every word, its order and its numbering: (Pack, Library, Brand) -> Document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol
from dataclasses import replace

from briefpack import markup, readtime
from briefpack.document import (Bar, Block, BulletList, Chart, ContactBlock, ContactEntry, Contents, Document,
                                Heading, Item, LinkBlock, NumberedList, PageBreak, Para, Section, Table,
                                TitleBlock, TopBlock, field_names, texts)
from briefpack.load import chart_number
from briefpack.markup import Inline, Reference, Resolve, Span, joined, literal, plain, word_runs
from briefpack.model import Brand, Contact, Lesson, Library, Link, Pack, PackSection, Point, Source, Statistic
from briefpack.model import Chart as ChartSpec
from briefpack.words import LINK_WORDS, fill_in, months_for, printed_date

DASH = " – "


def compose(pack: Pack, library: Library, brand: Brand, adapted_from: str = "") -> Document:
    """Build the document for *pack* in *brand*; *adapted_from* is the pack's own board, to credit it."""
    kicker = pack.kicker or brand.word(pack.kind)
    date = printed_date(pack.date_iso, brand.months or months_for(pack.language or brand.language))
    status = brand.word(pack.status) if pack.status else ""
    cover = pack.kind == "precis"
    blocks: list[TopBlock] = [TitleBlock(kicker=kicker, title=pack.title, subtitle=pack.subtitle, date=date,
                                         cover=cover)]
    if cover:
        blocks.extend([PageBreak(), Contents(brand.word("contents"), brand.word("contents_hint"))])
    blocks.extend(Para(p) for p in pack.intro)
    if pack.kind == "seven-minute-briefing":
        slots = zip(pack.sections, brand.section_labels, strict=True)
        for number, (section, default_label) in enumerate(slots, start=1):
            blocks.append(Section(f"{number:02d}", section.label or default_label,
                                  section_blocks(section, library, brand)))
    else:
        for section in pack.sections:
            blocks.append(Heading(section.label, 1))
            blocks.extend(section_blocks(section, library, brand))
    credit = word_runs(brand.word("credit"), board=adapted_from, date=date) if (
        adapted_from and pack.credit and pack.brand != brand.id) else ()
    blocks.extend(closing_blocks(pack, library, brand, credit, procedures_for(pack, library, brand, blocks)))
    months = brand.months or months_for(pack.language or brand.language)
    control = document_control(pack, brand, months)
    if control:
        blocks.append(Para(joined(said(brand, "document_control", bold=True) + control), "small"))
    lesson_ids = [lid for s in pack.sections for lid in s.lessons]
    themes = dict.fromkeys(t for lid in lesson_ids for t in library.lessons[lid].themes)
    resolve = board_references(brand)
    document = Document(
        title=pack.title, kind=pack.kind, layout=pack.layout, subject="", author=brand.name,
        keywords=tuple(library.themes[t] for t in themes), language=pack.language or brand.language,
        date=date, date_iso=pack.date_iso, footer=brand.footer or brand.name, blocks=tuple(blocks),
        header=f"{brand.short_name} · {pack.title}", mark=brand.word("draft_mark") if pack.status == "draft" else "",
        version=pack.version, status=status)
    # The page label's {page} and {pages}, the logo's {name} and the links' words' are the renderers' to fill
    # (words.fill_in), not references: their board references are filled in, their escapes kept for it.
    kept = kept_words(brand)
    words = board_words(brand)
    # The subject is filled in with final text (the kicker and the document control as the body prints them).
    subject = words("subject", kind=resolved(kicker, resolve), board=brand.name) + (
        f" – {plain(markup.resolve(control, resolve))}" if control else "")
    document = replace(resolved(document, resolve), subject=subject, page_label=kept("page"),
                       logo_alt=kept("logo_alt"), link_words=tuple((key, kept(key)) for key in LINK_WORDS))
    if pack.kind != "seven-minute-briefing":
        return document
    # Counted once the board's own words are in: what the facilitator will read aloud.
    minutes = readtime.minutes(readtime.words(document.blocks), brand.words_per_minute)
    title, *rest = document.blocks
    return replace(document, blocks=(replace(title, reading_time=reading_time(minutes, words)), *rest))


def document_control(pack: Pack, brand: Brand, months: tuple[str, ...]) -> Inline:
    """'Version 1.2 · Draft · Owner: Learning and Development Team · Review date: March 2027', or nothing."""
    parts = [word_runs(brand.word("version")) + (Span(f" {pack.version}"),) if pack.version else (),
             word_runs(brand.word(pack.status)) if pack.status else (),
             word_runs(brand.word("owner")) + (Span(f": {pack.owner}"),) if pack.owner else (),
             word_runs(brand.word("review_date")) + (Span(f": {printed_date(pack.review_date_iso, months)}"),)
             if pack.review_date_iso else ()]
    said = [p for p in parts if p]
    return joined(tuple(s for i, p in enumerate(said) for s in ((Span(" · "),) if i else ()) + p))


def board_references(brand: Brand) -> Resolve:
    """What {board}, {board_short}, {review_type} and {procedure:ID} say in *brand*.

    A procedure the brand lacks stays as written: build reports it, with the text's line, before composing.
    """
    procedures = {link.id: link for link in brand.procedures if link.id}
    words = {"board": brand.name, "board_short": brand.short_name, "review_type": brand.review_type}

    def resolve(ref: Reference) -> Span:
        if ref.name == "procedure":
            link = procedures.get(ref.arg)
            return Span(link.title, href=link.url) if link else Span(ref.text)
        return Span(words[ref.name])
    return resolve


class Said(Protocol):
    """A board's word as printed (board_words)."""

    def __call__(self, key: str, /, **values: str | int) -> str: ...


def board_words(brand: Brand) -> Said:
    """The board's word *key* (Brand.word) as a title, a label or a field's title prints it: its board references
    filled in once (kept_words), then its placeholders filled with *values* and '\\{' printed as a brace
    (words.fill_in). A value is final text, data: never read for references, placeholders or markup."""
    kept = kept_words(brand)
    return lambda key, /, **values: fill_in(kept(key), **values)


def kept_words(brand: Brand) -> Callable[[str], str]:
    """The board's words with their board references filled in and their escaped braces kept, for a word whose own
    placeholders are filled afterwards (words.fill_in), so that '\\{page\\}' stays text and '{page}' is filled."""
    resolve = board_references(brand)
    return lambda key: markup.substitute(brand.word(key), resolve, keep_escapes=True)


def resolved(value, resolve: Resolve, text: bool = True):  # noqa: ANN001, ANN201 - any part of a Document
    """*value* with the references in all its text resolved: inline text keeps its looks, plain text is text.
    Without *text*, plain text is final already (a kit's, see kit.compose_kit) and left as it is: only runs are
    resolved.

    A part with no reference in it is returned as it is (not rebuilt)."""
    if isinstance(value, str):
        return markup.substitute(value, resolve) if text else value
    if isinstance(value, tuple):
        if value and all(isinstance(v, Span) for v in value):
            return markup.resolve(value, resolve)
        parts = tuple(resolved(v, resolve, text) for v in value)
        return value if all(a is b for a, b in zip(parts, value, strict=True)) else parts
    names = field_names(type(value))
    if names is None:
        return value
    changed = {}
    for name in names:
        old = getattr(value, name)
        new = resolved(old, resolve, text)
        if new is not old:
            changed[name] = new
    return replace(value, **changed) if changed else value


def reading_time(minutes: int, words: Said) -> str:
    """'About 5 minutes to read', for the facilitator, under the title (*words*: the board's, board_words)."""
    return words("reading_time_one") if minutes == 1 else words("reading_time", minutes=minutes)


def section_blocks(section: PackSection, library: Library, brand: Brand) -> tuple[Block, ...]:
    """The blocks of one section, in the order the pack format documents."""
    blocks: list[Block] = [Para(p) for p in section.text]
    blocks.extend(Para(p, background=True) for source_id in section.sources
                  for p in library.sources[source_id].summary)
    lessons = [library.lessons[i] for i in section.lessons]
    if lessons:
        blocks.extend(lesson_blocks(lessons, section.show))
    if section.statistics:
        blocks.append(BulletList(tuple(Item(statistic_text(library.statistics[i])) for i in section.statistics)))
    if section.chart:
        blocks.extend(chart_blocks(section.chart, library, brand.word("bar_chart"), board_references(brand)))
    if section.points:
        blocks.append(BulletList(point_items(section.points)))
    if section.actions:
        blocks.append(BulletList(tuple(Item(library.actions[i].text) for i in section.actions)))
    if section.questions:
        blocks.append(NumberedList(tuple(Item(library.questions[i].text) for i in section.questions)))
    if section.services:
        blocks.append(Para(said(brand, "applies_to", bold=True) + (Span(", ".join(section.services)),)))
    for link_id in section.links:
        link = library.links[link_id]
        alt = board_words(brand)("qr_alt", address=display_url(link.url))  # final: kept as it is (literal)
        blocks.append(LinkBlock(link.title, link.url, display_url(link.url), brand.word("scan"), literal(alt)))
    blocks.extend(Para(p) for p in section.after)
    return tuple(blocks)


def lesson_blocks(lessons: list[Lesson], show: str) -> list[Block]:
    """Lessons as bullets ("Title – text"), headed blocks, a numbered list of texts, or of titles."""
    if show == "bullets":
        return [BulletList(tuple(lesson_item(lesson) for lesson in lessons))]
    if show == "numbered":
        return [NumberedList(tuple(Item(lesson.text[0] if lesson.text else (Span(lesson.title),),
                                        lesson.text[1:], point_items(lesson.points)) for lesson in lessons))]
    if show == "titles":
        return [NumberedList(tuple(Item((Span(lesson.title),)) for lesson in lessons))]
    blocks: list[Block] = []
    for lesson in lessons:
        blocks.append(Heading(lesson.title, 2))
        blocks.extend(Para(p) for p in lesson.text)
        if lesson.points:
            blocks.append(BulletList(point_items(lesson.points)))
    return blocks


def statistic_text(statistic: Statistic) -> Inline:
    """A statistic as listed: its value in bold, then its sentence."""
    if statistic.value:
        return (Span(statistic.value, bold=True), Span(" ")) + statistic.text
    return statistic.text


def chart_blocks(chart: ChartSpec, library: Library, bar_chart: str, resolve: Resolve) -> list[Block]:
    """A bar chart and the table of the same figures. Each statistic's words and value go in as the list prints
    them (its references resolved by *resolve*), kept as they are (literal) when the document is resolved."""
    stats = [library.statistics[i] for i in chart.statistics]
    bars = tuple(Bar(literal(plain(markup.resolve(s.text, resolve))), chart_number(s.value) or 0.0, literal(s.value))
                 for s in stats)
    title = chart.title
    alt = f"{bar_chart}{': ' + title if title else ''}. " + "; ".join(f"{b.label}: {b.text}" for b in bars) + "."
    return [Chart(title, alt, bars), Table(chart.columns, tuple((b.label, b.text) for b in bars))]


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
        [s for section in pack.sections for s in section.sources]
        + [s for section in pack.sections for lid in section.lessons for s in library.lessons[lid].sources]
        + [library.statistics[i].source for section in pack.sections
           for i in section.statistics + (section.chart.statistics if section.chart else ())]))
    return tuple(library.sources[i] for i in ids)


def source_text(source: Source) -> Inline:
    """'Child O: Lancashire Safeguarding Children Board, Serious Case Review, 2016.'"""
    words = f"{source.title}{DASH}{source.board}" + (f", {source.year}" if source.year else "")
    if source.url:
        return (Span(words + ". "), Span(display_url(source.url), href=source.url))
    return (Span(words + "."),)


def display_url(url: str) -> str:
    """An address as printed: without the scheme, since paper cannot be clicked and readers type it."""
    for prefix in ("https://", "http://", "mailto:", "tel:"):
        if url.lower().startswith(prefix):
            return url[len(prefix):].rstrip("/")
    return url


def said(brand: Brand, key: str, bold: bool = False) -> Inline:
    """'Telephone: ': the board's word as a label (its references resolved with the document's)."""
    return joined(word_runs(brand.word(key), bold=bold) + (Span(": ", bold=bold),))


def contact_entry(contact: Contact, brand: Brand) -> ContactEntry:
    lines: list[Inline] = []
    if contact.phone:
        digits = "".join(ch for ch in contact.phone if ch.isdigit() or ch == "+")
        lines.append(said(brand, "telephone") + (Span(contact.phone, href=f"tel:{digits}"),))
    if contact.email:
        lines.append(said(brand, "email") + (Span(contact.email, href=f"mailto:{contact.email}"),))
    if contact.website:
        lines.append(said(brand, "website") + (Span(display_url(contact.website), href=contact.website),))
    if contact.note:
        lines.append((Span(contact.note),))
    return ContactEntry(contact.name, tuple(lines))


def procedures_for(pack: Pack, library: Library, brand: Brand, blocks: list[TopBlock]) -> tuple[Link, ...]:
    """The brand's procedures this document lists: those without themes, those on a theme of one of its lessons
    or questions, and those its text refers to ({procedure:ID}), in the brand's order.

    A safe-sleep briefing does not send staff to the board's bruising protocol, but every briefing gives the
    escalation policy.
    """
    if not any(link.themes for link in brand.procedures):
        return brand.procedures
    themes = {t for s in pack.sections for lid in s.lessons for t in library.lessons[lid].themes}
    themes |= {t for s in pack.sections for qid in s.questions for t in library.questions[qid].themes}
    referred = {ref.arg for text in texts(blocks) if "{procedure:" in text
                for ref in markup.references(text) if ref.name == "procedure"}
    return tuple(link for link in brand.procedures
                 if not link.themes or themes.intersection(link.themes) or link.id in referred)


def closing_blocks(pack: Pack, library: Library, brand: Brand, credit: Inline = (),
                   procedures: tuple[Link, ...] = ()) -> list[TopBlock]:
    """Contacts, local *procedures*, the credit line and sources, after the sections.

    A pack's own contacts belong to the board whose brand it names; built in another brand, that
    brand's contacts are used instead, so nothing of the first board is left but the credit and sources.
    """
    own_brand = pack.brand == brand.id
    contact_ids = pack.contacts if pack.contacts and own_brand else brand.contacts
    blocks: list[TopBlock] = []
    entries = [contact_entry(c, brand) for cid in contact_ids if (c := brand.contact(cid, library)) is not None]
    if procedures:
        entries.append(ContactEntry(brand.word("local_procedures"), tuple(
            (Span(link.title, href=link.url), Span(f": {display_url(link.url)}")) for link in procedures)))
    if entries:
        heading = (pack.contacts_heading if pack.contacts_heading and own_brand
                   else f"{brand.word('contacts')}{DASH}{brand.name}")
        blocks.append(ContactBlock(heading, tuple(entries)))
    if credit:
        blocks.append(Para(credit, "small", background=True))
    sources = pack_sources(pack, library)
    if sources:
        blocks.append(Heading(brand.word("sources"), 2))
        blocks.extend(Para(source_text(s), "small", background=True) for s in sources)
    return blocks


def large_print(document: Document) -> Document:
    """The large-print edition of *document*: the same content, linear, every text scaled up by the renderers."""
    from dataclasses import replace

    return replace(document, layout="linear", large_print=True)
