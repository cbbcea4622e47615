"""Import reportlab with its configuration fixed by briefpack, not by the user's environment.

reportlab reads RL_* environment variables, a reportlab_settings.py on the import path and
~/.reportlab_settings when it is first imported; any of them can re-enable expression evaluation or
URL fetching, or change the bytes of every PDF. briefpack hides all three during that first import.
"""

from __future__ import annotations

import os
import sys


def _import_clean() -> None:
    saved_env = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("RL_")}
    saved_env.update({k: os.environ.pop(k) for k in ("USERPROFILE", "HOMEDRIVE", "HOMEPATH") if k in os.environ})
    saved_home = os.environ.get("HOME")
    saved_module: object = sys.modules.get("reportlab_settings", False)
    os.environ["HOME"] = os.path.join(os.sep, "nonexistent-briefpack-home")
    sys.modules["reportlab_settings"] = None  # type: ignore[assignment]  # makes the import fail
    try:
        import reportlab.rl_config  # noqa: F401
    finally:
        os.environ.update(saved_env)
        if saved_home is None:
            os.environ.pop("HOME", None)
        else:
            os.environ["HOME"] = saved_home
        if saved_module is False:
            del sys.modules["reportlab_settings"]
        else:
            sys.modules["reportlab_settings"] = saved_module  # type: ignore[assignment]


if "reportlab.rl_config" not in sys.modules:
    _import_clean()

from reportlab import rl_config  # noqa: E402

rl_config.invariant = 1
rl_config.trustedHosts = None
rl_config.toColorCanUse = "rl_extended_literal_eval"
rl_config.warnOnMissingFontGlyphs = 0
rl_config.pageCompression = 1
rl_config.useA85 = 0  # binary streams: smaller files, and no slow ASCII85 encoding

# Text as typed. reportlab breaks lines at every Unicode space and joins the words again with an ordinary
# space, so an em, thin or ideographic space the user typed became a plain space; and it writes a
# no-break space as a space. Here only the white space that separates words (space, tab, line breaks)
# breaks lines; every other space is a character like any other, kept in the PDF's text.
import re  # noqa: E402

from briefpack.lazyre import deferred  # noqa: E402

with deferred():  # reportlab's hyphenation and CJK patterns, which a build seldom uses, compiled if it does
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import paragraph as _paragraph

from briefpack.fontfile import SPACE_WIDTHS  # noqa: E402

_WORD_SPACE = " \t\n\r"
_word_split = re.compile(f"[{_WORD_SPACE}]+").split


def _split(text: str | bytes, delim: str | None = None) -> list[str]:
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return [word for word in _word_split(text) if word] if delim is None else text.split(delim)


_paragraph.split = _split
_paragraph._wsc = _WORD_SPACE
_paragraph._wsc_re_split = _word_split
_paragraph._wsc_end_search = re.compile(f"[{_WORD_SPACE}]+$").search

_NBSP_STAND_IN = 0xF00A0
"""A private-use code point standing in for U+00A0 while reportlab encodes text. No font has it, so the
character check refuses it in anything a user writes."""


def keep_spaces(font: TTFont) -> None:
    """Let *font* draw every typographic space: a face that lacks one draws its space glyph that wide."""
    face = font.face
    space = face.charToGlyph.get(0x20)
    if space is None:
        return
    for code, width in SPACE_WIDTHS.items():
        if code not in face.charToGlyph:
            face.charToGlyph[code] = space
            face.charWidths[code] = width or face.charWidths.get(0x30 if code == 0x2007 else 0x2E, 500)
    face.charToGlyph[_NBSP_STAND_IN] = face.charToGlyph.get(0xA0, space)
    face.charWidths[_NBSP_STAND_IN] = face.charWidths.get(0xA0, face.charWidths.get(0x20, 250))


_split_string_slowly = TTFont.splitString


def _split_string(self: TTFont, text: str, doc: object, encoding: str = "utf-8") -> list:
    """reportlab's TTFont.splitString, at C speed for text whose every character already has its code in the
    document's first subset (all but the first lines of a document): one chunk, the text translated to its codes.

    reportlab looks each character up in a Python loop, about 2 µs a character, every line drawn: about 4 % of
    a batch's CPU. Anything else (a character met for the first time, one the font lacks, one in a later
    subset) goes to reportlab's own. A character's code never changes once given, so the table is made again
    only when the document's characters have grown.
    """
    state = self.state.get(doc) if text else None
    if state is None:
        return _split_string_slowly(self, text, doc, encoding)
    assignments = state.assignments
    known = state.__dict__.get("bp_codes")
    if known is None or known[0] != len(assignments):
        table = {code: n for code, n in assignments.items() if n < 256}
        if 32 in table:
            table[0xA0] = table[32]  # reportlab gives U+00A0 the space's code
        known = state.bp_codes = (len(assignments), table, frozenset(map(chr, table)))
    if not known[2].issuperset(text):
        return _split_string_slowly(self, text, doc, encoding)
    return [(0, text.translate(known[1]).encode("latin-1"))]


def _split_keeping_nbsp(self: TTFont, text: str | bytes, doc: object, encoding: str = "utf-8") -> list:
    # reportlab encodes U+00A0 as the space code (so word spacing applies to it); give it a code of its own,
    # through a stand-in, so the PDF's text says U+00A0.
    if isinstance(text, bytes):
        text = text.decode(encoding)
    if "\xa0" not in text or _NBSP_STAND_IN not in self.face.charToGlyph:
        return _split_string(self, text, doc, encoding)
    chunks = _split_string(self, text.replace("\xa0", chr(_NBSP_STAND_IN)), doc, encoding)
    for subset in self.state[doc].subsets:
        for i, code in enumerate(subset):
            if code == _NBSP_STAND_IN:
                subset[i] = 0xA0
    return chunks


TTFont.splitString = _split_keeping_nbsp  # type: ignore[method-assign]


# Colours in paragraph markup ('<a color="#1f4e79">') parsed once per process. reportlab's toColor tries a
# hex colour last, after Python's and its own expression parsers (about 20 µs); the tiles layout makes the
# same paragraphs hundreds of times. A colour is a pure function of its text, and reportlab itself hands out
# one shared object for each named colour, so each text's colour object is shared too.
from reportlab.lib.colors import toColor as _to_color  # noqa: E402
from reportlab.platypus import paraparser as _paraparser  # noqa: E402

_colours: dict[str, object] = {}


def _colour_once(value: object) -> object:
    if type(value) is not str:
        return _to_color(value)
    found = _colours.get(value)
    if found is None:
        if len(_colours) >= 1024:
            _colours.clear()
        found = _colours[value] = _to_color(value)
    return found


for _table in list(vars(_paraparser).values()):
    if isinstance(_table, dict):
        for _key, _entry in list(_table.items()):
            if isinstance(_entry, tuple) and len(_entry) == 2 and _entry[1] is _to_color:
                _table[_key] = (_entry[0], _colour_once)


# Whether two fragments of a paragraph draw alike (breakLines joins the words of alike fragments). rl_accel's
# C sameFrag reads ten attributes with getattr, and a fragment has few of them: each one it lacks raises and
# formats an AttributeError inside the C code, about 4.5 µs a call where reading the fragment's own attributes
# takes 1, and it was about a twentieth of a tiles PDF's CPU (the search breaks the same paragraphs at several
# widths). Fragments are attribute bags (ABag) whose classes have none of these names, so their own attributes
# (__dict__, as reportlab's pure-Python sameFrag reads them) are all getattr sees; and as in the C code, an
# attribute one fragment has and the other lacks differs (test_layout_memo compares the two on every pair met).
_FRAG_LOOKS = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")
_LACKED = object()


def _same_frag(f: object, g: object) -> bool:
    mine, theirs = f.__dict__, g.__dict__
    if "cbDefn" in mine or "lineBreak" in mine or "cbDefn" in theirs or "lineBreak" in theirs:
        return False
    for name in _FRAG_LOOKS:
        a, b = mine.get(name, _LACKED), theirs.get(name, _LACKED)
        if a is not b and a != b:
            return False
    return True


_paragraph.sameFrag = _same_frag
