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


_string_width = TTFont.stringWidth
_widths: dict[tuple, float] = {}
WIDTHS_KEPT = 32768
"""Widths remembered at most, for all fonts together (then they are forgotten and remembered anew): about
5 MiB, a batch's words and lines in a few fonts, whatever number of fonts its brands have."""


def _string_width_once(self: TTFont, text: str | bytes, size: float, encoding: str = "utf8") -> float:
    """reportlab's TTFont.stringWidth, remembered for each font, text and size: lines are broken and drawn by
    measuring each word and line, over 1,500 times a document, mostly the same words (about 0.7 µs each in
    reportlab's C; some 3 % of a batch's CPU).

    A width depends on the font's face's widths too, which briefpack extends once, as the font is made
    (keep_spaces): how many characters the face has widths for is part of the key, so a width measured before
    the face had more is never given after.
    """
    key = (self, len(self.face.charWidths), text, size, encoding)
    found = _widths.get(key)
    if found is None:
        if len(_widths) >= WIDTHS_KEPT:
            _widths.clear()
        found = _widths[key] = _string_width(self, text, size, encoding)
    return found


TTFont.stringWidth = _string_width_once  # type: ignore[method-assign]


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


# Registering a TrueType font: reportlab reads its character map, horizontal metrics and glyph index two bytes
# at a time (about 10,000 calls to read_ushort for a Lato face: most of the 5-6 ms each face costs the PDF
# helper). Here the header tables are read by reportlab itself (extractInfo without charInfo), and those three
# tables a whole array at a time, for the character maps a Unicode font has (formats 4 and 12, decoded by
# fontfile.cmap_glyphs as the character checks decode them); anything else, or anything out of the ordinary
# (a map cut short or breaking its format's rules), is left to reportlab's own code. The same attributes, in
# the same order (test_fonts compares them for every installed font).
import struct  # noqa: E402

from reportlab.pdfbase.ttfonts import TTFontFile  # noqa: E402

from briefpack.fontfile import cmap_glyphs  # noqa: E402

_extract_info = TTFontFile.extractInfo


def _extract_info_quickly(self: TTFontFile, charInfo: int = 1) -> None:  # noqa: N803 - reportlab's name
    _extract_info(self, 0)
    if not charInfo:
        return
    try:
        done = _char_info(self)
    except (struct.error, IndexError, KeyError):
        done = False
    if not done:
        _extract_info(self, charInfo)


def _char_info(self: TTFontFile) -> bool:
    """charToGlyph, glyphToChar, charWidths, hmetrics, defaultWidth and glyphPos as extractInfo sets them;
    False (nothing set) when its own code should read them."""
    data: bytes = self._ttf_data
    unpack_from = struct.unpack_from
    head = self.table["head"]["offset"]
    index_to_loc, glyph_format = unpack_from(">hh", data, head + 50)
    if glyph_format != 0 or index_to_loc not in (0, 1) or "loca" not in self.table:
        return False
    metrics = unpack_from(">H", data, self.table["hhea"]["offset"] + 34)[0]
    glyphs = self.numGlyphs
    cmap = self.table["cmap"]["offset"]
    version, count = unpack_from(">HH", data, cmap)
    if count == 0 and version != 0:
        count = version
    encoffs, enc = None, 0
    for n in range(count):  # the subtable extractInfo picks
        platform, encoding, offset = unpack_from(">HHL", data, cmap + 4 + 8 * n)
        if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
            enc, encoffs = 1, offset
        elif platform == 1 and encoding == 0 and enc != 1:
            enc, encoffs = 2, offset
    if encoffs is None:
        return False
    to_glyph = cmap_glyphs(data, cmap + encoffs)
    if to_glyph is None:
        return False  # another format, or one extractInfo reads its own way (a glyph past the subtable is glyph 0)
    to_chars: dict[int, list[int]] = {}
    for code, glyph in to_glyph.items():
        to_chars.setdefault(glyph, []).append(code)
    hmtx = self.table["hmtx"]["offset"]
    pairs = unpack_from(f">{2 * metrics}H", data, hmtx)
    advances, bearings = pairs[0::2], pairs[1::2]
    widths = list(map(self._pdfScale, advances))
    hmetrics = list(zip(advances, bearings, strict=True))
    if glyphs > metrics:  # the rest only list their left side bearings: they take the last advance (scaled)
        rest = unpack_from(f">{glyphs - metrics}H", data, hmtx + 4 * metrics)
        hmetrics += [(widths[-1], bearing) for bearing in rest]
        widths += [widths[-1]] * (glyphs - metrics)
    char_widths: dict[int, float] = {}
    for glyph in sorted(to_chars):
        if glyph < len(widths):
            width = widths[glyph]
            for code in to_chars[glyph]:
                char_widths[code] = width
    loca = self.table["loca"]["offset"]
    if index_to_loc == 0:
        places = [place << 1 for place in unpack_from(f">{glyphs + 1}H", data, loca)]
    else:
        places = list(unpack_from(f">{glyphs + 1}L", data, loca))
    for code, other in ((0x20, 0xA0), (0xA0, 0x20)):
        if code in to_glyph:
            to_glyph[other] = to_glyph[code]
            char_widths[other] = char_widths[code]
            break
    self.charToGlyph, self.glyphToChar, self.charWidths = to_glyph, to_chars, char_widths
    self.hmetrics, self.defaultWidth, self.glyphPos = hmetrics, widths[0], places
    return True


TTFontFile.extractInfo = _extract_info_quickly  # type: ignore[method-assign]
