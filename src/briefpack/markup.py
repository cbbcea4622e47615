"""The small inline markup of lesson text: **bold**, *italic*, [link text](https://address), {board}.

Pure: no renderer imports. Everything else in a text is literal data, and a backslash makes the next
character literal too (write \\* for an asterisk that is not italic, \\{ for a brace).

A reference in braces names something of the board a document is built for, not of any one board:
{board}, {board_short}, {review_type} and {procedure:ID}. Parsing keeps it as a Span with its `ref`;
compose resolves it against the brand, so both renderers get final text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from briefpack.frozen import frozen
from briefpack.errors import did_you_mean
from briefpack.words import LINK_WORDS, WORDS, fill_in

LINK_SCHEMES = ("https", "http", "mailto", "tel")


@frozen
class Span:
    """A run of text with one look."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    """Link target; only https, http, mailto and tel ever reach a document."""
    ref: str = ""
    """A board reference still to resolve ('board', 'procedure:escalation'); its text is what was written."""


Inline = tuple[Span, ...]
"""One paragraph's worth of spans."""


class MarkupError(ValueError):
    """The text's markup is malformed; the message says how to fix it."""

    def __init__(self, offset: int, message: str, fix: str, fragment: str = "") -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message
        self.fix = fix
        self.fragment = fragment
        """The text at fault, to point at it in the file."""
        self.unknown = False
        """An unknown reference: what is known depends on where the text is, and so does the fix."""
        self.errors: tuple[MarkupError, ...] = (self,)
        """Every mistake in the text, this one (the first) among them: all are reported at once."""


def _raise_all(errors: list[MarkupError]) -> None:
    """Raise the first of *errors*, carrying them all; nothing when there are none."""
    if errors:
        errors[0].errors = tuple(errors)
        raise errors[0]


_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\n]*)\)")
"""[text](address): an address with a space in it is a link too, so check_url can say so (it was printed as typed,
brackets and all, with no link)."""
_REF = re.compile(r"\{([A-Za-z_][A-Za-z0-9_-]*)(?:\s*:\s*([^{}\s]*))?\}")
REFERENCES = ("board", "board_short", "review_type", "procedure")
"""What a text can refer to; 'procedure' takes the id of one of the brand's procedures."""


@frozen
class Reference:
    """One reference in braces, found in a text."""

    offset: int
    text: str
    """As written, e.g. '{procedure:escalation}'."""
    name: str
    arg: str = ""

    @property
    def key(self) -> str:
        return f"{self.name}:{self.arg}" if self.arg else self.name


def _reference_at(text: str, i: int, checked: bool = False, names: tuple[str, ...] = REFERENCES) -> Reference | None:
    """The reference starting at *i*, or None when the brace there is just a brace; raise if malformed.

    *checked*: the text was checked when it was read, so an unknown name is plain text (no message made).
    *names*: what the text may refer to (a board's fixed words also take what briefpack fills in them)."""
    m = _REF.match(text, i)
    if not m:
        return None
    name, arg = m.group(1).strip(), m.group(2)
    if name not in names:
        if checked:
            return None
        known = ", ".join("{" + r + (":ID" if r == "procedure" else "") + "}" for r in REFERENCES)
        unknown = MarkupError(i, f"unknown reference '{m.group()}'{did_you_mean(name.lower(), names)}",
                              f"use one of: {known}; write \\{{ for a literal brace", m.group())
        unknown.unknown = True
        raise unknown
    if name == "procedure":
        if not arg or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", arg):
            raise MarkupError(i, f"'{m.group()}' needs the id of a procedure",
                              "write it as {procedure:escalation}, with an id from the brand's procedures", m.group())
    elif arg is not None:
        raise MarkupError(i, f"'{{{name}}}' takes no id", f"write {{{name}}}", m.group())
    return Reference(i, m.group(), name, arg or "")


def _checked_reference_at(text: str, i: int) -> Reference | None:
    """The reference at *i*; a malformed one (already reported when the text was read) is plain text."""
    try:
        return _reference_at(text, i, checked=True)
    except MarkupError:
        return None


def references(text: str, names: tuple[str, ...] = REFERENCES) -> list[Reference]:
    """Every reference in *text* (escaped braces are not) to one of *names*; raise MarkupError, carrying every
    malformed one."""
    found, errors = [], []
    i, n = 0, len(text)
    while i < n:
        if text[i] == "\\" and i + 1 < n and not text[i + 1].isalnum() and not text[i + 1].isspace():
            i += 2
            continue
        if text[i] == "{":
            try:
                ref = _reference_at(text, i, names=names)
            except MarkupError as exc:
                errors.append(exc)
                i += len(exc.fragment)
                continue
            if ref is not None:
                found.append(ref)
                i += len(ref.text)
                continue
        i += 1
    _raise_all(errors)
    return found


Resolve = Callable[[Reference], Span]
"""A reference's final text (and link, for a procedure), from the brand a document is built for."""


def substitute(text: str, resolve: Resolve, keep_escapes: bool = False) -> str:
    """Plain one-line *text* (a title, a label) with its references resolved and '\\{' '\\}' unescaped; with
    *keep_escapes*, '\\{' '\\}' kept and what a reference says escaped (literal), for a word whose own
    placeholders are filled later (words.fill_in): '\\{page\\}' is then still told from '{page}'."""
    if "{" not in text and "}" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == "\\" and i + 1 < n and text[i + 1] in "{}":
            out.append(text[i:i + 2] if keep_escapes else text[i + 1])
            i += 2
            continue
        ref = _checked_reference_at(text, i) if text[i] == "{" else None
        if ref is not None:
            said = resolve(ref).text
            out.append(literal(said) if keep_escapes else said)
            i += len(ref.text)
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def literal(text: str) -> str:
    """Final *text* (already resolved) put into a text that is yet to be: its braces escaped, so resolving gives it
    back as it is ('{board}' that a pack wrote as '\\{board}' stays '{board}', not the board's name)."""
    return text.replace("{", "\\{").replace("}", "\\}") if "{" in text or "}" in text else text


def word_runs(word: str, bold: bool = False, **values: str | int | Inline) -> Inline:
    """A board's fixed *word* (Brand.word) as runs of text in a paragraph, read as a one-line text is: its board
    references kept to resolve (Span.ref) like pack text's, '\\{' '\\}' unescaped, and each placeholder of *values*
    ('{to}') filled in (a placeholder wins over a reference of the same name: the credit's {board} is the first
    board). A value is data, never read for references: text joins the word's run, runs (a link) go in as they are.
    """
    out: list[Span] = []
    text: list[str] = []

    def flush() -> None:
        if text:
            out.append(Span("".join(text), bold=bold))
            text.clear()

    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        if ch == "\\" and i + 1 < n and word[i + 1] in "{}":
            text.append(word[i + 1])
            i += 2
            continue
        m = _REF.match(word, i) if ch == "{" else None
        if m and m.group(2) is None and m.group(1) in values:
            value = values[m.group(1)]
            if isinstance(value, tuple):
                flush()
                out.extend(s for s in value if s.text)
            else:
                text.append(str(value))
            i = m.end()
            continue
        ref = _checked_reference_at(word, i) if m else None
        if ref is not None:
            flush()
            out.append(Span(ref.text, bold=bold, ref=ref.key))
            i += len(ref.text)
            continue
        text.append(ch)
        i += 1
    flush()
    return tuple(out)


def resolve(spans: Inline, resolve: Resolve) -> Inline:
    """*spans* with every reference replaced by the brand's words, keeping each span's looks."""
    if not any(s.ref for s in spans):
        return spans
    out = []
    for s in spans:
        if s.ref:
            name, _, arg = s.ref.partition(":")
            got = resolve(Reference(0, s.text, name, arg))
            out.append(Span(got.text, s.bold, s.italic, s.href or got.href))  # a link's own address wins
        else:
            out.append(s)
    return _merge(out)


def check_url(url: str) -> str | None:
    """Return why *url* cannot be a link, or None when it can."""
    scheme, colon, rest = url.partition(":")
    if not colon or not rest:
        return "has no scheme"
    if scheme.lower() not in LINK_SCHEMES:
        return f"uses the scheme '{scheme}'"
    if scheme.lower() in ("http", "https") and not rest.startswith("//"):
        return "is not a web address"
    if scheme.lower() in ("http", "https") and not rest[2:].split("/", 1)[0].strip():
        return "has no site after //"
    if any(ch.isspace() for ch in url):  # a PDF viewer and Word would cut it there, or send it on with the gap
        return "has a space in it"
    if "{" in url or "}" in url:  # '{board_short}' there was printed and linked as typed
        return "has a brace in it: a reference such as {board} is not filled in inside an address"
    return None


def link_fix(url: str) -> str:
    """Say how to make *url* (which check_url refused) a link address."""
    if url.lower().startswith("www."):
        return f"write it with https:// in front: https://{url}"
    scheme = url.partition(":")[0].lower()
    if scheme in LINK_SCHEMES and any(ch.isspace() for ch in url):
        return ("write the number without spaces, e.g. tel:+441772000000" if scheme == "tel" else
                "take the spaces out (in a web address, write a space as %20)")
    if scheme in LINK_SCHEMES and ("{" in url or "}" in url):
        return "write the address in full, as the page has it"
    if scheme in ("http", "https") and url[len(scheme) + 1:].startswith("//"):
        return "write the whole address, e.g. https://www.example.org/page"
    return "links must start with https://, http://, mailto: or tel:"


def plain(spans: Inline) -> str:
    """Return the text of *spans* without any looks."""
    return "".join(s.text for s in spans)


def parse(text: str) -> Inline:
    """Turn marked-up *text* into spans; raise MarkupError on a malformed marker or link, carrying every one in
    the text (a mistake is read as plain text, and the reading goes on)."""
    spans: list[Span] = []
    buf: list[str] = []
    bold = italic = False
    opened: dict[str, int] = {}
    errors: list[MarkupError] = []

    def flush() -> None:
        if buf:
            spans.append(Span("".join(buf), bold, italic))
            buf.clear()

    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and not text[i + 1].isalnum() and not text[i + 1].isspace():
            buf.append(text[i + 1])
            i += 2
            continue
        if ch == "{":
            try:
                ref = _reference_at(text, i)
            except MarkupError as exc:
                errors.append(exc)
                buf.append(exc.fragment)
                i += len(exc.fragment)
                continue
            if ref is not None:
                flush()
                spans.append(Span(ref.text, bold, italic, None, ref.key))
                i += len(ref.text)
                continue
        if ch == "[":
            m = _LINK.match(text, i)
            if m:
                label, url = m.group(1), m.group(2)
                why = check_url(url)
                if why:  # pointed at in the file: a long text's link is not at its first line
                    errors.append(MarkupError(i, f"link address '{url}' {why}", link_fix(url), m.group()))
                    buf.append(m.group())
                    i = m.end()
                    continue
                flush()
                try:  # the link's words are text like any other: **bold**, {board} and \* work there too
                    words = parse(label)
                except MarkupError as exc:
                    errors.extend(MarkupError(m.start(1) + e.offset, e.message, e.fix, e.fragment or m.group(1))
                                  for e in exc.errors)
                    words = (Span(label),)
                spans.extend(Span(s.text, s.bold or bold, s.italic or italic, url, s.ref) for s in words)
                i = m.end()
                continue
        if ch == "*":
            marker = "**" if text.startswith("**", i) else "*"
            after = text[i + len(marker)] if i + len(marker) < n else " "
            before = text[i - 1] if i > 0 else " "
            is_open = bold if marker == "**" else italic
            if is_open and not before.isspace():
                flush()
                if marker == "**":
                    bold = False
                else:
                    italic = False
                opened.pop(marker, None)
                i += len(marker)
                continue
            if not is_open and not after.isspace() and (marker == "**" or after != "*"):
                flush()
                if marker == "**":
                    bold = True
                else:
                    italic = True
                opened[marker] = i
                i += len(marker)
                continue
        buf.append(ch)
        i += 1
    for marker, at in sorted(opened.items(), key=lambda kv: kv[1]):
        word = "bold" if marker == "**" else "italic"
        errors.append(MarkupError(at, f"'{marker}' starts {word} text that is never closed",
                                  f"close it with '{marker}', or write \\{marker[0]} for a literal asterisk", marker))
    _raise_all(sorted(errors, key=lambda e: e.offset))
    flush()
    return _merge(spans)


def joined(spans: Inline) -> Inline:
    """*spans* with each run of neighbours of one look (no reference among them) made one span."""
    return _merge(list(spans))


def _merge(spans: list[Span]) -> Inline:
    merged: list[Span] = []
    for s in spans:
        if not s.text:
            continue
        if merged and merged[-1].href == s.href and not merged[-1].ref and not s.ref and (
                merged[-1].bold, merged[-1].italic) == (s.bold, s.italic):  # one link's words, with a {board} in them
            merged[-1] = Span(merged[-1].text + s.text, s.bold, s.italic, s.href)
        else:
            merged.append(s)
    return tuple(merged)


def link_purpose(href: str, words: Mapping[str, str] | None = None) -> str:
    """What following a link does, in the board's *words* (see words.LINK_WORDS; English when not given):
    the PDF link's /Contents and the Word link's screen tip."""
    said = {**{key: WORDS[key] for key in LINK_WORDS}, **(words or {})}
    if href.startswith("mailto:"):
        return fill_in(said["link_email"], address=href[7:])
    if href.startswith("tel:"):
        return fill_in(said["link_telephone"], number=href[4:])
    if href.startswith("#"):
        return fill_in(said["link_section"])
    return fill_in(said["link_open"], address=href)
