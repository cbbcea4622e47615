"""Read typed fields out of YAML nodes, collecting every problem with its place."""

from __future__ import annotations

import re
from collections.abc import Iterable

from briefpack import markup
from briefpack.errors import Problem, Problems, did_you_mean
from briefpack.markup import Inline
from briefpack.model import Colour, Contact, Point, Rich
from briefpack.yamlio import Mapping, Node, Scalar, Sequence

MAX_ID = 80
ID = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{MAX_ID - 1}}}")
_ID_LETTERS = re.compile(r"[a-z0-9][a-z0-9-]*")


def long_id(value: str, what: str = "an id", most: int = MAX_ID) -> tuple[str, str] | None:
    """(message, fix) when *value* would be an id but for its length: it was told 'use lower-case letters, digits
    and hyphens', which it does."""
    if len(value) > most and _ID_LETTERS.fullmatch(value):
        return (f"'{value[:30]}…' is {len(value):,} characters long, more than the {most} {what} may have",
                "shorten it")
    return None
MAX_TEXT = 100_000
"""Characters one text field may hold."""
_SPACES = re.compile(r"[ \t\r\n]+")
"""The white space typed to lay out YAML: collapsed to one space. No-break, thin, em and other spaces
are the user's typography and are kept as typed."""
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
_LAYOUT_SPACE = " \t\r\n"
MAX_LINE = 300
"""Characters a one-line field (title, label, name, address) may hold: it must fit a heading or a box."""


def kind_of(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping (key: value lines)"
    if isinstance(node, Sequence):
        return "a list"
    return "text" if isinstance(node, Scalar) and node.value else "empty"  # '-' with nothing after it


class Fields:
    """The fields of one YAML mapping, read with checks; problems go to *problems*."""

    def __init__(self, node: Node | None, what: str, problems: Problems, allowed: Iterable[str],
                 required: Iterable[str] = (), where: Node | None = None) -> None:
        self.what = what
        self.problems = problems
        self.map: Mapping | None = None
        self.node = node
        self.anchor: Node = node or where or Scalar("", 0, 0)
        """Where to point when a problem has no better place."""
        if not isinstance(node, Mapping):
            at = node or where
            if at is not None:
                problems.extend([at.problem(
                    f"{what} must be a mapping (key: value lines), not {kind_of(node) if node else 'empty'}",
                    "write it as 'key: value' lines")])
            return
        self.map = node
        allowed = tuple(allowed)
        for key, (key_node, _) in node.items.items():
            if key not in allowed:
                problems.extend([key_node.problem(
                    f"unknown key '{key}' in {what}{did_you_mean(key, allowed)}",
                    f"use one of: {', '.join(allowed)}")])
        for key in required:
            if key not in node.items:
                problems.extend([node.problem(f"{what} has no '{key}'", f"add '{key}: …'")])

    @property
    def ok(self) -> bool:
        return self.map is not None

    def has(self, key: str) -> bool:
        return self.map is not None and key in self.map.items

    def key_node(self, key: str) -> Scalar | None:
        return self.map.items[key][0] if self.map is not None and key in self.map.items else None

    def get(self, key: str) -> Node | None:
        return self.map.items[key][1] if self.map is not None and key in self.map.items else None

    def at(self, key: str) -> Node:
        """The value node, or the key when the value is missing, or the mapping, or the file."""
        return self.get(key) or self.key_node(key) or self.map or self.anchor

    def text(self, key: str, default: str = "", *, required: bool = False, most: int = MAX_LINE,
             fix: str = "shorten it; longer text belongs in a 'text' field") -> str:
        """Return a one-line text field (a title, a name, an address): at most *most* characters.

        Line breaks and tabs in it (a '|' block, or "\\n" and "\\t" in quotes) are layout, made single spaces
        as in a paragraph: Word would show them as a line break and a tab stop, the PDF as spaces.
        """
        node = self.get(key)
        if node is None:
            return default
        value = one_line(scalar_text(node, f"'{key}' in {self.what}", self.problems, required=required))
        if len(value) > most:
            self.problems.extend([node.problem(f"'{key}' in {self.what} is {len(value):,} characters long, more "
                                               f"than the {most} a {key} may have", fix)])
            return default
        if "{" in value:
            try:
                markup.references(value)
            except markup.MarkupError as exc:
                self.problems.extend(at_fragments(node, exc, f"'{key}' in {self.what}", value))
                return default
        return value or default

    def language(self, key: str, default: str = "en-GB") -> str:
        """Return a language tag ('en-GB', 'cy') for a document's /Lang and Word's proofing language."""
        from briefpack.words import LANGUAGE

        value = self.text(key, default)
        if value and not LANGUAGE.fullmatch(value):
            self.problems.extend([self.at(key).problem(f"'{value}' is not a language tag",
                                                       "write e.g. 'en-GB' for English or 'cy' for Welsh")])
            return default
        return value

    def yes_no(self, key: str, default: bool) -> bool:
        """Return a yes/no field: yes, no, true or false."""
        value = self.text(key).lower()
        if not value:
            return default
        if value not in ("yes", "no", "true", "false"):
            self.problems.extend([self.at(key).problem(f"'{key}' must be yes or no, not '{value}'",
                                                       f"write '{key}: no' or '{key}: yes'")])
            return default
        return value in ("yes", "true")

    def url(self, key: str, *, required: bool = False) -> str:
        """Return a web address: https, http, mailto or tel only."""
        value = self.text(key, required=required)
        if value and (why := markup.check_url(value)):
            self.problems.extend([self.at(key).problem(f"'{value}' {why}", markup.link_fix(value))])
        return value

    def ident(self, key: str) -> str:
        """Return an id field: lower-case letters, digits and hyphens."""
        node = self.get(key)
        value = self.text(key, required=True)
        if value and node is not None and not ID.fullmatch(value):
            self.problems.extend([node.problem(*long_id(value) or (
                f"'{value}' is not a valid id",
                "use lower-case letters, digits and hyphens, e.g. 'voice-of-the-child'"))])
        return value

    def rich(self, key: str) -> Rich:
        """Return paragraphs (separated by blank lines) of inline markup."""
        node = self.get(key)
        if node is None:
            return ()
        return rich_text(node, f"'{key}' in {self.what}", self.problems)

    def inline(self, key: str, *, required: bool = False) -> Inline:
        node = self.get(key)
        if node is None:
            if required:
                self.problems.extend([self.at(key).problem(f"{self.what} has no '{key}'", f"add '{key}: …'")])
            return ()
        return inline_text(node, f"'{key}' in {self.what}", self.problems, required=required)

    def sequence(self, key: str) -> list[Node]:
        """Return the items of a list field ([] when absent)."""
        node = self.get(key)
        if node is None:
            return []
        if isinstance(node, Scalar) and node.value == "" and node.plain:
            return []
        if not isinstance(node, Sequence):
            self.problems.extend([node.problem(f"'{key}' in {self.what} must be a list, not {kind_of(node)}",
                                               "write one '- item' per line under it")])
            return []
        return node.items

    def ids(self, key: str) -> list[tuple[str, Node]]:
        """Return a list of ids, each with its node for later messages."""
        out = []
        for item in self.sequence(key):
            value = scalar_text(item, f"an item of '{key}'", self.problems, required=True)
            if value:
                if not ID.fullmatch(value):
                    self.problems.extend([item.problem(*long_id(value) or (
                        f"'{value}' is not a valid id", "use lower-case letters, digits and hyphens"))])
                else:
                    out.append((value, item))
        return out

    def texts(self, key: str) -> list[str]:
        return [one_line(t) for item in self.sequence(key)
                if (t := scalar_text(item, f"an item of '{key}'", self.problems, required=True))]

    def points(self, key: str) -> tuple[Point, ...]:
        return points(self.sequence(key), self.what, self.problems)

    def colour(self, key: str) -> Colour | None:
        node = self.get(key)
        if node is None:
            return None
        if isinstance(node, Scalar) and node.plain and node.value == "" and not node.swallowed:
            self.problems.extend([node.problem(
                f"'{key}' is empty", "if you wrote a colour like #1a2b3c, put it in quotes: '#1a2b3c' "
                "(unquoted, YAML reads # as the start of a comment)")])
            return None
        value = scalar_text(node, f"'{key}'", self.problems, required=True)
        try:
            return Colour.from_hex(value)
        except ValueError:
            if value:
                self.problems.extend([node.problem(f"'{value}' is not a colour",
                                                   "write it as '#RRGGBB' in quotes, e.g. '#1d4f91'")])
            return None


_DRAWS_NOTHING = "\u00ad\u200b\u200d"
"""Characters kept in text that print nothing by themselves: the soft hyphen, zero-width space and joiner."""


def scalar_text(node: Node, what: str, problems: Problems, *, required: bool = False) -> str:
    """Return the text of a scalar node; report lists, mappings, over-long and (if required) empty text."""
    if not isinstance(node, Scalar):
        problems.extend([node.problem(f"{what} must be text, not {kind_of(node)}",
                                      "write it on one line after the colon, in quotes if it has ': ' in it")])
        return ""
    value = node.value
    if node.swallowed:
        problems.extend([node.problem(f"{what} is empty: YAML reads '{node.swallowed}' as a comment",
                                      f"put the value in quotes: '{node.swallowed}'")])
        return ""
    if len(value) > MAX_TEXT:
        problems.extend([node.problem(f"{what} is {len(value):,} characters long, more than {MAX_TEXT:,}",
                                      "shorten it or split it into several items")])
        return ""
    if required and not value.strip(_LAYOUT_SPACE):
        fix = "write the text after the colon"
        if node.plain:
            fix += "; if it starts with #, put it in quotes (unquoted, # starts a comment)"
        problems.extend([node.problem(f"{what} is empty", fix)])
        return ""
    if required and not any(not ch.isspace() and ch not in _DRAWS_NOTHING for ch in value):
        problems.extend([node.problem(f"{what} holds only spaces or invisible characters (such as a no-break "
                                      "space or a soft hyphen), so nothing would be printed",
                                      "write the text after the colon")])
        return ""
    return value.strip(_LAYOUT_SPACE)


def one_line(text: str) -> str:
    """*text* with its layout white space (line breaks, runs of spaces) made single spaces."""
    return _SPACES.sub(" ", text).strip(" ")


def at_fragments(node: Node, exc: markup.MarkupError, what: str, text: str, before: str = "") -> list[Problem]:
    """A problem for each mistake *exc* carries in *text*, pointing at the text at fault when it can be found in
    the file; *before* is the scalar's text before *text* (an earlier paragraph)."""
    out = []
    for error in exc.errors:
        message = f"{what}: {error.message}"
        if isinstance(node, Scalar) and error.fragment:
            out.append(node.problem_at(error.fragment, message, error.fix, f"{before} {text[:error.offset]}"))
        else:
            out.append(node.problem(message, error.fix))
    return out


def _inline(value: str, node: Node, what: str, problems: Problems, before: str = "") -> Inline:
    try:
        return markup.parse(value)
    except markup.MarkupError as exc:
        problems.extend(at_fragments(node, exc, what, value, before))
        return (markup.Span(value),)


def inline_text(node: Node, what: str, problems: Problems, *, required: bool = True) -> Inline:
    """Return one paragraph of inline markup (line breaks become spaces)."""
    value = scalar_text(node, what, problems, required=required)
    return _inline(one_line(value), node, what, problems) if value else ()


def rich_text(node: Node, what: str, problems: Problems) -> Rich:
    """Return paragraphs split at blank lines."""
    value = scalar_text(node, what, problems, required=True)
    out, start = [], 0
    for gap in [*_BLANK_LINE.finditer(value), None]:
        end = gap.start() if gap else len(value)
        if paragraph := one_line(value[start:end]):
            out.append(_inline(paragraph, node, what, problems, value[:start]))
        start = gap.end() if gap else end
    return tuple(out)


def points(items: list[Node], what: str, problems: Problems) -> tuple[Point, ...]:
    """Return bullets: each item is text, or a mapping with 'text' and its own 'points'."""
    out = []
    for item in items:
        if isinstance(item, Mapping):
            f = Fields(item, f"a point in {what}", problems, ("text", "points"), ("text",))
            out.append(Point(f.inline("text", required=True), f.points("points")))
        else:
            text = inline_text(item, f"a point in {what}", problems)
            if text:
                out.append(Point(text))
    return tuple(out)


CONTACT_KEYS = ("id", "name", "phone", "email", "website", "note")


def contact(node: Node, contact_id: str, problems: Problems) -> Contact:
    """A contact, as the library and a brand's own contacts write it."""
    f = Fields(node, f"contact '{contact_id}'", problems, CONTACT_KEYS, ("name",))
    website = f.url("website")
    email = f.text("email")
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        problems.extend([f.at("email").problem(f"'{email}' is not an email address",
                                               "write it as name@example.org")])
    return Contact(contact_id, f.text("name", required=True), f.text("phone"), email, website, f.text("note"))
