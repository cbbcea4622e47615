"""The small inline markup of lesson text: **bold**, *italic*, [link text](https://address).

Pure: no renderer imports. Everything else in a text is literal data, and a backslash makes the next
character literal too (write \\* for an asterisk that is not italic).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LINK_SCHEMES = ("https", "http", "mailto", "tel")


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with one look."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    """Link target; only https, http, mailto and tel ever reach a document."""


Inline = tuple[Span, ...]
"""One paragraph's worth of spans."""


class MarkupError(ValueError):
    """The text's markup is malformed; the message says how to fix it."""

    def __init__(self, offset: int, message: str, fix: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message
        self.fix = fix


_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]*)\)")


def check_url(url: str) -> str | None:
    """Return why *url* cannot be a link, or None when it can."""
    scheme, colon, rest = url.partition(":")
    if not colon or not rest:
        return "has no scheme"
    if scheme.lower() not in LINK_SCHEMES:
        return f"uses the scheme '{scheme}'"
    if scheme.lower() in ("http", "https") and not rest.startswith("//"):
        return "is not a web address"
    return None


def link_fix(url: str) -> str:
    """Say how to make *url* a link address."""
    if url.lower().startswith("www."):
        return f"write it with https:// in front: https://{url}"
    return "links must start with https://, http://, mailto: or tel:"


def plain(spans: Inline) -> str:
    """Return the text of *spans* without any looks."""
    return "".join(s.text for s in spans)


def parse(text: str) -> Inline:
    """Turn marked-up *text* into spans; raise MarkupError on a malformed marker or link."""
    spans: list[Span] = []
    buf: list[str] = []
    bold = italic = False
    opened: dict[str, int] = {}

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
        if ch == "[":
            m = _LINK.match(text, i)
            if m:
                label, url = m.group(1), m.group(2)
                why = check_url(url)
                if why:
                    raise MarkupError(i, f"link address '{url}' {why}", link_fix(url))
                flush()
                spans.append(Span(label, bold, italic, url))
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
    if opened:
        marker, at = min(opened.items(), key=lambda kv: kv[1])
        word = "bold" if marker == "**" else "italic"
        raise MarkupError(at, f"'{marker}' starts {word} text that is never closed",
                          f"close it with '{marker}', or write \\{marker[0]} for a literal asterisk")
    flush()
    return _merge(spans)


def _merge(spans: list[Span]) -> Inline:
    merged: list[Span] = []
    for s in spans:
        if not s.text:
            continue
        if merged and merged[-1].href is None and s.href is None and (
                merged[-1].bold, merged[-1].italic) == (s.bold, s.italic):
            merged[-1] = Span(merged[-1].text + s.text, s.bold, s.italic)
        else:
            merged.append(s)
    return tuple(merged)
