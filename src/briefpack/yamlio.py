"""Read YAML safely into position-aware nodes whose scalars are all text.

The schema, not YAML, decides types: `no`, `012`, `1:30` stay the text the user typed. Tags, anchors,
aliases, duplicate keys, deep nesting, oversized files, text that is not UTF-8 and characters that XML
cannot hold are all rejected with the place they occur and how to fix them.
"""

from __future__ import annotations

import codecs
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from briefpack.lazyre import deferred

with deferred():  # the pure-Python reader's pattern: libyaml reads the files (see _LOADER)
    import yaml

from briefpack.errors import BriefpackError, Problem, display_path
from briefpack.project import MAX_FILE_BYTES, NotAPlainFile, read_plain
from briefpack.memo import Memo

MAX_DEPTH = 12
"""Deeper nesting is refused; no briefpack format nests more than a few levels."""

# Only the parser's events are used (never PyYAML's recursive composer), and the builder below stops at
# MAX_DEPTH while reading them, so libyaml's fast parser is safe here: it reads 500,000 nested brackets
# without trouble. Pure Python where libyaml is missing.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Characters no briefing may hold, wherever they come from: typed or pasted into the file, or written as a
# double-quoted escape ("\x0b", "\e", "\uFFFF", "\N", "\L", "\P") that YAML decodes. Control characters:
# XML 1.0 cannot hold C0 controls (python-docx raises, reportlab draws boxes), and the C1 controls (NEL
# too), line and paragraph separators and non-characters are invisible in an editor and read differently
# by Word and a PDF viewer. Bidi controls change the order Word shows text in, but not the PDF's.
# One regex pass per text: linear and cheap.
_CONTROL = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
            + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(1, 17)))
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Invisible formatting characters Word shows as nothing but the PDF draws as a gap or a mark (reportlab
# neither joins nor breaks by them): the word joiner, zero-width non-joiner, invisible operators, a byte
# order mark inside the text, interlinear annotations, language tags. The soft hyphen, zero-width space
# and zero-width joiner are kept: both writers treat them alike.
_INVISIBLE = "\u180e\u200c\u2060-\u2065\u206a-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
FORBIDDEN = re.compile(f"[{_CONTROL}{_BIDI}{_INVISIBLE}]")
"""Characters refused in any file and any decoded value."""


def forbidden_in(text: str) -> bool:
    """Whether *text* holds a FORBIDDEN character. Looked for among its distinct characters (a set, made at C
    speed): the regex's dozens of ranges cost about 150 ns for every character of every file and value read
    (the whole library for each build), and a text has a few dozen distinct characters."""
    return FORBIDDEN.search("".join(set(text))) is not None


_IS_BIDI = re.compile(f"[{_BIDI}]")
_IS_INVISIBLE = re.compile(f"[{_INVISIBLE}]")


def character_problem(path: str, line: int, column: int, ch: str) -> Problem:
    """Why *ch* (a match of FORBIDDEN) cannot be in a briefing, shown as U+XXXX, never as itself."""
    if _IS_BIDI.match(ch):
        return Problem(path, line, column,
                       f"character U+{ord(ch):04X} (a direction control) cannot appear in a document: Word and "
                       "PDF readers would show the text in different orders",
                       "delete it; briefings are written left to right")
    if _IS_INVISIBLE.match(ch):
        return Problem(path, line, column,
                       f"character U+{ord(ch):04X} (an invisible formatting character) cannot appear in a "
                       "document: Word shows nothing there, a PDF may show a gap or a mark",
                       "delete it (it often comes from pasting out of another program)")
    return Problem(path, line, column, f"character U+{ord(ch):04X} cannot appear in a document",
                   "delete it (it often comes from pasting out of another program)")


@dataclass(eq=False, slots=True)
class Node:
    """Where a YAML value starts."""

    path: str
    line: int
    column: int

    def problem(self, message: str, fix: str = "") -> Problem:
        return Problem(self.path, self.line, self.column, message, fix)


@dataclass(eq=False, slots=True)
class Scalar(Node):
    """A scalar, always as the text the user wrote."""

    value: str = ""
    plain: bool = True
    """True when unquoted (so an empty plain value may be a comment the user meant as text)."""
    swallowed: str = ""
    """For an empty unquoted value followed by '#text': that text, which the user most likely meant as the
    value ('#1a2b3c', '#1 priority') but YAML read as a comment."""
    raw: str = ""
    """The scalar as written in the file (quotes, indentation and line breaks included)."""

    def find(self, words: str, *, ignore_case: bool = False, before: str = "") -> tuple[int, int] | None:
        """Line and column in the file where *words* are written in this scalar, across line breaks.

        *before* is the scalar's text before them, as read: *words* written there too are passed over, so each
        of two mistakes written alike is pointed at where it is (the first copy when the file has too few)."""
        parts = words.split()
        if not parts or not self.raw:
            return None
        pattern = re.compile(r"\s+".join(re.escape(p) for p in parts), re.IGNORECASE if ignore_case else 0)
        skip = len(pattern.findall(before)) if before else 0
        m = next(itertools.islice(pattern.finditer(self.raw), skip, None), None) or pattern.search(self.raw)
        if m is None:
            return None
        before = self.raw[:m.start()]
        newline = before.rfind("\n")
        column = self.column + m.start() if newline < 0 else m.start() - newline
        return self.line + before.count("\n"), column

    def problem_at(self, words: str, message: str, fix: str = "", before: str = "") -> Problem:
        """A problem pointing at *words* inside this scalar (at its start if they cannot be found); see find."""
        line, column = self.find(words, before=before) or (self.line, self.column)
        return Problem(self.path, line, column, message, fix)


@dataclass(eq=False, slots=True)
class Mapping(Node):
    """A mapping with text keys, in file order."""

    items: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)


@dataclass(eq=False, slots=True)
class Sequence(Node):
    """A list."""

    items: list[Node] = field(default_factory=list)


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _wide_encoding(data: bytes) -> str:
    """'UTF-16' or 'UTF-32' when *data* is saved so (with a byte order mark or, as some editors save it,
    without one: then every other byte of plain text is 0), else ''."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    head = data[:200]
    if len(head) >= 8 and max(head[0::2].count(0), head[1::2].count(0)) * 4 >= len(head):
        return "UTF-32" if head[1::4].count(0) + head[2::4].count(0) >= len(head) // 2 else "UTF-16"
    return ""


def decode(data: bytes, where: str) -> str:
    """Return *data* as text, or raise a problem saying how to save it as UTF-8."""
    wide = _wide_encoding(data)
    if wide:
        raise BriefpackError([Problem(where, 1, 1, f"the file is saved as {wide}",
                                      "save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)")])
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BriefpackError([Problem(
            where, line, column, f"byte 0x{data[exc.start]:02x} is not UTF-8 text",
            "save the file as UTF-8 (in Notepad: Save As, Encoding: UTF-8)")]) from None
    if forbidden_in(text):
        bad = [character_problem(where, *_position(text, m.start()), m.group()) for m in FORBIDDEN.finditer(text)]
        raise BriefpackError(bad[:20])
    return text


KEEP_PARSED = 256
"""Files whose nodes are kept once parsed: every brand extends 'default', and the leak check reads each brand's
file again, so a batch of 150 brands read 'default' 150 times and each brand.yaml twice."""
KEEP_PARSED_BYTES = 256 * 1024
"""Only files up to this size are kept (a brand.yaml is a few KB)."""
_parsed: Memo[Node | None] = Memo(KEEP_PARSED)
"""(where, the file's bytes) -> its root node. Nodes are never changed once built, so one tree serves every
reader of the same bytes under the same name."""


def read(path: Path) -> Node | None:
    """Read one YAML file; return its root node (None for an empty file).

    The same bytes read under the same name give the same nodes, parsed once per process (the last
    KEEP_PARSED files). Do not change a node you are given.
    """
    where = display_path(path)
    try:
        data = read_plain(path, MAX_FILE_BYTES)
        if len(data) > MAX_FILE_BYTES:
            size = max(path.stat().st_size, len(data))
            raise BriefpackError([Problem(
                where, 0, 0, f"the file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} allowed",
                "split it into smaller files")])
    except FileNotFoundError:
        raise BriefpackError([Problem(where, 0, 0, "no such file", "check the name and folder")]) from None
    except IsADirectoryError:
        raise BriefpackError([Problem(where, 0, 0, "this is a folder, not a YAML file",
                                      "name a .yaml file")]) from None
    except NotAPlainFile:
        raise BriefpackError([Problem(where, 0, 0, "this is not a plain file (a device, pipe or socket)",
                                      "name a .yaml file")]) from None
    except OSError as exc:
        raise BriefpackError([Problem(where, 0, 0, f"cannot read the file ({exc.strerror})",
                                      "check that it exists and that you may read it")]) from None
    if len(data) > KEEP_PARSED_BYTES:
        return parse(decode(data, where), where)
    return _parsed.recall((where, data), lambda: parse(decode(data, where), where))


def parse(text: str, where: str) -> Node | None:
    """Parse YAML *text* from the file named *where*."""
    try:
        return _Builder(where, text).build(yaml.parse(text, Loader=_LOADER))
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):  # PyYAML 6.0.4+ stops at 1,000 levels while reading ahead
            line, column = _too_deep(text)
            raise BriefpackError([Problem(where, line, column, f"nesting deeper than {MAX_DEPTH} levels",
                                          _DEPTH_FIX)]) from None
        what = exc.problem or exc.context or "this is not valid YAML"
        message, fix = _explain(what, exc.context or "")
        # Something left open (a [ list, a { mapping, a quote) is pointed at where it opens: where the parser
        # gave up is the line after it, or the end of the file, which is not where the mistake is.
        opened = message in _LEFT_OPEN and exc.context_mark is not None
        mark = exc.context_mark if opened else exc.problem_mark or exc.context_mark
        if not opened and exc.problem_mark is not None and (run_on := _run_on(text, exc.problem_mark)):
            mark = run_on.start_mark
            message = (f"YAML syntax error: {_QUOTE_OPEN} on this line: YAML read on to the next quote mark, at "
                       f"line {run_on.end_mark.line + 1}")
            fix = _QUOTE_FIX
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise BriefpackError([Problem(where, line, column, message, fix)]) from None
    except yaml.YAMLError as exc:  # a reader error: decode() lets no such character through, but be sure
        raise BriefpackError([Problem(where, 0, 0, f"YAML error: {exc}",
                                      "save the file as plain UTF-8 text and check it for odd characters")]) from None


_DEPTH_FIX = "check the indentation; briefpack files are only a few levels deep"


def _run_on(text: str, problem: yaml.Mark) -> yaml.ScalarToken | None:
    """A quoted value that spans lines and ends on the line where YAML found a mistake, if there is one: a
    missing closing quote makes YAML read on to the next quote mark, often lines later, and stumble there."""
    found = None
    try:
        for token in yaml.scan(text, Loader=_LOADER):
            if token.start_mark.index >= problem.index:
                break
            if (isinstance(token, yaml.ScalarToken) and token.style in ("'", '"')
                    and token.start_mark.line < token.end_mark.line == problem.line):
                found = token
    except yaml.YAMLError:
        pass
    return found


def _too_deep(text: str) -> tuple[int, int]:
    """Where brackets first nest deeper than MAX_DEPTH: PyYAML's own limit reports where it gave up instead."""
    depth, quote = 0, ""
    for index, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _position(text, index)
        elif ch in "]}":
            depth -= 1
    return 0, 0


_GENERAL_FIX = "check the indentation, and put text containing ': ' or starting with a symbol in quotes"
_LIST_OPEN = "a list in [ ] is not closed"
_MAPPING_OPEN = "a mapping in { } is not closed"
_QUOTE_OPEN = "a value in quotes is not closed"
_QUOTE_FIX = "add the closing quote mark (the same kind, ' or \"), or write the value without quotes"
_LEFT_OPEN = tuple(f"YAML syntax error: {what}" for what in (_LIST_OPEN, _MAPPING_OPEN, _QUOTE_OPEN))
"""Mistakes pointed at where the thing left open starts."""
_EXPLAINED = (
    ("mapping values are not allowed", "a ': ' inside a value",
     "put the whole value in quotes, or write it after the key on one line"),
    ("expected ',' or ']'", _LIST_OPEN, "close it with ], or put the text in quotes"),
    ("expected ',' or '}'", _MAPPING_OPEN, "close it with }, or put the text in quotes"),
    ("found character '\\t'", "a tab character", "indent with spaces, not tabs"),
    ("found character that cannot start any token", "a value starts with a character YAML reserves "
     "(such as @, ` or a tab)", "put the value in quotes, and indent with spaces"),
    ("found undefined alias", "an alias ('*name') is not allowed", "write the value out in full"),
    ("found invalid Unicode character escape code", "an escape such as \\uD800 that stands for no character",
     "delete it, or type the character itself"),
    ("found unknown escape character", "an unknown escape after \\ in double quotes",
     "write \\\\ for a backslash, or use single quotes"),
    ("expected hexdecimal number", "in double quotes, \\x, \\u and \\U start a character code (as in "
     "\"C:\\Users\")", "write \\\\ for a backslash, or use single quotes"),
)


def _explain(problem: str, context: str = "") -> tuple[str, str]:
    """Say what a YAML parser's *problem* (found *context*) means, in the words of someone editing a briefing."""
    if "quoted scalar" in context and "end of stream" in problem:
        return f"YAML syntax error: {_QUOTE_OPEN}", _QUOTE_FIX
    for needle, message, fix in _EXPLAINED:
        if needle in problem:
            return f"YAML syntax error: {message}", fix
    return f"YAML syntax error: {problem}", _GENERAL_FIX


class _Builder:
    """Build nodes from the event stream: no recursion, so depth is checked before it can hurt."""

    def __init__(self, where: str, text: str = "") -> None:
        self.where = where
        self.text = text
        self.problems: list[Problem] = []

    def swallowed(self, event: yaml.ScalarEvent) -> str:
        """The '#word' after an empty unquoted value: a comment to YAML, a value to the user."""
        if event.value or event.style or not self.text or event.start_mark is None:
            return ""
        start = event.start_mark.index
        end = self.text.find("\n", start)
        rest = self.text[start:end if end >= 0 else len(self.text)].strip()
        return rest if len(rest) > 1 and rest[0] == "#" and not rest[1].isspace() else ""

    def _at(self, event: yaml.Event) -> tuple[str, int, int]:
        mark = event.start_mark
        return (self.where, mark.line + 1, mark.column + 1) if mark is not None else (self.where, 0, 0)

    def _refuse(self, event: yaml.Event, message: str, fix: str) -> BriefpackError:
        return BriefpackError([*self.problems, Problem(*self._at(event), message, fix)])

    def _note(self, event: yaml.Event, message: str, fix: str) -> None:
        self.problems.append(Problem(*self._at(event), message, fix))

    def build(self, events) -> Node | None:  # noqa: ANN001 - an iterator of yaml events
        root: Node | None = None
        documents = 0
        stack: list[Node] = []
        pending_key: list[Scalar | None] = []
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self._refuse(event, "a second YAML document ('---') in one file",
                                       "keep one document per file")
                continue
            if isinstance(event, yaml.AliasEvent):
                self._note(event, f"alias '*{event.anchor}' is not allowed", "write the value out in full")
                event = yaml.ScalarEvent(None, None, (True, False), "", event.start_mark, event.end_mark)
            if not isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.CollectionEndEvent)):
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                finished = stack.pop()
                pending_key.pop()
                if not stack:
                    root = finished
                continue
            if event.anchor is not None:
                self._note(event, f"anchor '&{event.anchor}' is not allowed", "write each value out in full")
            if event.tag is not None:
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                self._note(event, f"tag '{tag}' is not allowed",
                           "remove it; briefpack reads every value as text")
            where = self._at(event)
            node: Node
            if isinstance(event, yaml.ScalarEvent):
                if forbidden_in(event.value):  # an escape such as "\x0b" or "\N", decoded by YAML
                    self.problems.extend(character_problem(*where, ch) for ch in dict.fromkeys(
                        FORBIDDEN.findall(event.value)))
                raw = self.text[event.start_mark.index:event.end_mark.index] if (
                    self.text and event.start_mark is not None and event.end_mark is not None) else ""
                node = Scalar(*where, value=event.value, plain=not event.style, swallowed=self.swallowed(event),
                              raw=raw)
            elif isinstance(event, yaml.MappingStartEvent):
                node = Mapping(*where)
            else:
                node = Sequence(*where)
            if stack:
                self._attach(stack[-1], pending_key, node, event)
            if isinstance(node, Scalar):
                if not stack:
                    root = node
                continue
            if len(stack) >= MAX_DEPTH:
                raise self._refuse(event, f"nesting deeper than {MAX_DEPTH} levels", _DEPTH_FIX)
            stack.append(node)
            pending_key.append(None)
        if self.problems:
            raise BriefpackError(self.problems)
        return root

    def _attach(self, parent: Node, pending_key: list[Scalar | None], node: Node, event: yaml.Event) -> None:
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        assert isinstance(parent, Mapping)
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                raise self._refuse(event, "a key must be plain text", "write the key as a simple name")
            if node.value == "<<" and node.plain:  # YAML 1.1's merge key ('<<: *base'), unquoted
                self._note(event, "merge key '<<' is not allowed", "write each key out in full")
            elif node.value in parent.items:
                first = parent.items[node.value][0]
                self._note(event, f"duplicate key '{node.value}' (first at line {first.line})",
                           "keep one of them")
                node = Scalar(node.path, node.line, node.column, value="\0duplicate")
            pending_key[-1] = node
        else:
            if key.value != "\0duplicate":
                parent.items[key.value] = (key, node)
            pending_key[-1] = None
