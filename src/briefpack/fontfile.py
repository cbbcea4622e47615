"""Read what briefpack needs from a TrueType file, bounds-checked, without importing fontTools.

Every build reads its brand's fonts (which characters they draw, weight and slant), so this stays a
few struct reads. A file that is truncated or whose tables do not add up raises DamagedFont: found
here, it is a message naming the file, not a traceback from deep inside reportlab.
"""

from __future__ import annotations

import operator
import os
import struct
from array import array
from collections.abc import Sequence
from itertools import chain, compress
from pathlib import Path

from briefpack.filememo import once

REQUIRED = (b"cmap", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"name", b"post")
"""Tables reportlab reads to measure and embed a TrueType font (without 'name' or 'post' it raises KeyError)."""
PARSED = (b"cmap", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"name", b"post", b"OS/2")
"""Tables reportlab reads whole when it registers a font: about 5 % of a font's bytes. It reads 'glyf', the
bulk, only for the glyphs a document uses."""
MAX_TABLES = 200
SPACE_WIDTHS = {0x2000: 500, 0x2001: 1000, 0x2002: 500, 0x2003: 1000, 0x2004: 333, 0x2005: 250, 0x2006: 167,
                0x2007: 0, 0x2008: 0, 0x2009: 200, 0x200A: 100, 0x202F: 200, 0x205F: 222, 0x3000: 1000}
"""The typographic spaces, with their widths in thousandths of an em (0: as wide as a digit or a full stop).
The PDF draws each with the font's space glyph at that width when the font lacks it, so every font draws
them all, and the no-break space (reportlab maps it to the space glyph itself)."""
SPACES = frozenset(map(chr, SPACE_WIDTHS)) | {"\xa0"}
_NOT_CHARACTERS = frozenset(map(chr, range(0xD800, 0xE000))) | {"\uffff"}
"""Codes a character map may give a glyph that are no characters a text holds: the surrogates and U+FFFF."""


class DamagedFont(ValueError):
    """The file starts like a font but its contents do not hold together."""


def _directory(data: bytes, size: int) -> list[tuple[bytes, int, int, int]]:
    """Each table's tag, checksum, offset and length, every one checked to lie inside the file: *data* is the
    file, or its start up to the end of its table directory when the file is *size* bytes long."""
    try:
        count = struct.unpack_from(">H", data, 4)[0]
        if not 0 < count <= MAX_TABLES:
            raise DamagedFont(f"its table directory says {count} tables")
        entries = []
        for i in range(count):
            tag, checksum, offset, length = struct.unpack_from(">4sLLL", data, 12 + 16 * i)
            if offset + length > size:
                raise DamagedFont(f"the file is cut short (its '{tag.decode('latin-1')}' table is missing)")
            entries.append((tag, checksum, offset, length))
        return entries
    except struct.error:
        raise DamagedFont("the file is cut short") from None


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    """Each table's (offset, length) in the font file *data*, every one checked to lie inside it."""
    return {tag: (offset, length) for tag, _, offset, length in _directory(data, len(data))}


def _read(path: Path, wanted: tuple[bytes, ...]) -> tuple[list[tuple[bytes, int, int, int]], dict[bytes, bytes]]:
    """The font's table directory (see _directory) and the bytes of the *wanted* tables it has, read alone.

    A build reads a few tables of each of its brand's font files and their fallback's, about 5 % of their
    bytes: read whole, three times over (checked, described, its characters listed), they were about 20 MB
    for one Lancashire briefing, most of its main process's system time."""
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        head = fh.read(12)
        count = struct.unpack_from(">H", head, 4)[0] if len(head) >= 6 else 0
        entries = _directory(head + fh.read(16 * count) if 0 < count <= MAX_TABLES else head, size)
        parts = {}
        for tag, _, offset, length in entries:
            if tag in wanted:
                fh.seek(offset)
                parts[tag] = fh.read(length)
    return entries, parts


def _checksum(data: bytes) -> int:
    words = array("I", data + b"\0" * (-len(data) % 4))
    if words.itemsize != 4:  # pragma: no cover - every platform Python runs on has 4-byte unsigned int
        words = array("L", data + b"\0" * (-len(data) % 4))
    if struct.pack("=I", 1) != struct.pack(">I", 1):
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def verify(path: Path, whole: bool = True) -> None:
    """Raise DamagedFont unless every table reportlab needs is present, inside the file and matches its
    checksum, and the glyph index points inside the glyphs.

    With *whole* every table is checksummed: 'brand check', and fonts in a brand's folder. Without, only
    the tables reportlab parses on registering the font (PARSED, about 2 ms for a brand's six files
    where the whole files take about 300 ms): a build's check of an installed font package's files.
    Each version of a file is checked once per process (see filememo).
    """
    once("font whole" if whole else "font parsed", path, lambda: _verify(path, whole), (DamagedFont,))


def _verify(path: Path, whole: bool) -> None:
    if whole:
        data = path.read_bytes()
        entries = _directory(data, len(data))
        parts = {tag: data[offset:offset + length] for tag, _, offset, length in entries if tag in PARSED}
    else:
        data = b""
        entries, parts = _read(path, PARSED)
    tables = {tag: (offset, length) for tag, _, offset, length in entries}
    missing = [t.decode("latin-1") for t in REQUIRED if t not in tables]
    if missing:
        raise DamagedFont(f"it has no {', '.join(missing)} table")
    for tag, stored, offset, length in entries:
        if whole:
            table = data[offset:offset + length]
        elif tag in PARSED:
            table = parts[tag]
        else:
            continue
        total = _checksum(table)
        if tag == b"head" and length >= 12:  # its checksum leaves out the whole file's adjustment
            total = (total - struct.unpack_from(">L", table, 8)[0]) & 0xFFFFFFFF
        if total != stored:
            raise DamagedFont(f"its '{tag.decode('latin-1')}' table is damaged")
    _check_glyph_index(parts, tables)


def _check_glyph_index(parts: dict[bytes, bytes], tables: dict[bytes, tuple[int, int]]) -> None:
    """Raise DamagedFont unless 'loca' gives every glyph a place inside 'glyf', in order."""
    try:
        long_offsets = struct.unpack_from(">h", parts[b"head"], 50)[0]
        glyphs = struct.unpack_from(">H", parts[b"maxp"], 4)[0]
        loca = parts[b"loca"]
        size = 4 if long_offsets else 2
        if (glyphs + 1) * size > len(loca):
            raise DamagedFont("its 'loca' table is too short")
        places = array("I" if size == 4 and array("I").itemsize == 4 else "L" if size == 4 else "H",
                       loca[:(glyphs + 1) * size])
        if struct.pack("=H", 1) != struct.pack(">H", 1):
            places.byteswap()
    except struct.error:
        raise DamagedFont("the file is cut short") from None
    end = places[-1] * (1 if long_offsets else 2)
    if end > tables[b"glyf"][1] or not all(map(operator.le, places, places[1:])):  # in order, at C speed
        raise DamagedFont("its 'loca' table points outside its glyphs")


def damage(path: Path, whole: bool = True) -> str:
    """What is wrong with the font at *path* ('' when it is sound); mend() says how to put it right."""
    try:
        verify(path, whole)
    except (DamagedFont, OSError) as exc:
        return f"'{path.name}' is a damaged font file: {exc}"
    return ""


def mend(path: Path) -> str:
    """How to replace a damaged font file: a package's by installing it again, a brand's by copying it."""
    package = path.parent.parent.name if path.parent.name == "files" else ""
    if package.startswith("fontpkg_"):
        return f"install it again: pip install --force-reinstall {package.replace('_', '-')}"
    return "copy the font file again from where you got it"


def info(path: Path) -> tuple[int, bool, float, bool]:
    """(weight class, italic bit, italic angle, has TrueType outlines)."""
    return once("font info", path, lambda: _info(path), (DamagedFont,))


def _info(path: Path) -> tuple[int, bool, float, bool]:
    tables, parts = _read(path, (b"OS/2", b"post"))

    def read(tag: bytes, at: int, fmt: str):  # noqa: ANN202 - a struct value
        if at + struct.calcsize(fmt) > len(parts[tag]):
            raise DamagedFont(f"its '{tag.decode('latin-1')}' table is too short")
        return struct.unpack_from(fmt, parts[tag], at)[0]

    weight = read(b"OS/2", 4, ">H") if b"OS/2" in parts else 400
    italic = bool(read(b"OS/2", 62, ">H") & 1) if b"OS/2" in parts else False
    angle = read(b"post", 4, ">l") / 65536 if b"post" in parts else 0.0
    return weight, italic, angle, any(tag == b"glyf" for tag, *_ in tables)



def characters(path: Path) -> frozenset[str]:
    """Every character the font's Unicode cmap maps to a glyph."""
    return once("font characters", path, lambda: _characters(path), (DamagedFont,))


def _characters(path: Path) -> frozenset[str]:
    _, parts = _read(path, (b"cmap",))
    if b"cmap" not in parts:
        raise DamagedFont("it has no cmap table")
    cmap = parts[b"cmap"]
    try:
        count = struct.unpack_from(">H", cmap, 2)[0]
        best: tuple[int, int] | None = None
        for i in range(count):
            platform, encoding, offset = struct.unpack_from(">HHL", cmap, 4 + 8 * i)
            fmt = struct.unpack_from(">H", cmap, offset)[0]
            rank = {(3, 10, 12): 4, (0, 4, 12): 3, (0, 6, 12): 3, (3, 1, 4): 2, (0, 3, 4): 1}.get(
                (platform, encoding, fmt), 0)
            if rank and (best is None or rank > best[0]):
                best = (rank, offset)
        if best is None:
            raise DamagedFont("it has no Unicode character map")
        glyphs = cmap_glyphs(cmap, best[1])
    except struct.error:
        raise DamagedFont("its character map is cut short") from None
    if glyphs is None:
        raise DamagedFont("its character map is damaged")
    return frozenset(map(chr, compress(glyphs, glyphs.values()))) - _NOT_CHARACTERS  # those of a glyph but 0


def cmap_glyphs(data: bytes, at: int) -> dict[int, int] | None:
    """The glyph each character code maps to in the cmap subtable at *at* in *data* (format 4 or 12), as reportlab
    reads it (a code may map to glyph 0, drawing nothing); None when the subtable is of another format or breaks the
    format's rules (a glyph array reaching past the subtable, a code past Unicode's, a code mapped twice): a font's
    characters (fontfile) and reportlab's registration (rlsafe) both decode a character map here, each choosing
    the subtable and treating damage its own way. struct.error when *data* ends first.
    """
    unpack_from = struct.unpack_from
    fmt = unpack_from(">H", data, at)[0]
    glyphs: dict[int, int] = {}
    codes = 0
    if fmt == 4:
        limit = at + unpack_from(">H", data, at + 2)[0]
        segments = unpack_from(">H", data, at + 6)[0] // 2
        ends = unpack_from(f">{segments}H", data, at + 14)
        starts = unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
        deltas = unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
        range_at = at + 16 + 6 * segments
        ranges = unpack_from(f">{segments}H", data, range_at)
        for n, (start, end, delta, range_offset) in enumerate(zip(starts, ends, deltas, ranges, strict=True)):
            segment = range(start, end + 1)
            if not segment:
                continue
            found: Sequence[int]
            if range_offset == 0:  # glyph = code + delta, modulo 65536
                low = (start + delta) & 0xFFFF
                if low + len(segment) <= 0x10000:  # the usual case, none past 65535: a run of glyphs
                    found = range(low, low + len(segment))
                else:
                    found = [(code + delta) & 0xFFFF for code in segment]
            else:  # glyph = the array's glyph (0 stays 0) + delta
                first = range_at + 2 * n + range_offset
                if first + 2 * len(segment) > limit:
                    return None
                found = unpack_from(f">{len(segment)}H", data, first)
                if delta:
                    found = [(g + delta) & 0xFFFF if g else 0 for g in found]
            glyphs.update(zip(segment, found, strict=True))
            codes += len(segment)
    elif fmt == 12:
        groups = unpack_from(">L", data, at + 12)[0]
        values = unpack_from(f">{3 * groups}L", data, at + 16)
        starts, stops, firsts = values[0::3], [end + 1 for end in values[1::3]], values[2::3]
        if groups and max(stops) > 0x110000:
            return None
        # Each group's codes start..end and glyphs first..first + end - start, every group's run joined (at C
        # speed: a fallback font has about a thousand groups of a few codes each).
        every = list(chain.from_iterable(map(range, starts, stops)))
        lasts = map(operator.add, firsts, map(operator.sub, stops, starts))
        glyphs = dict(zip(every, chain.from_iterable(map(range, firsts, lasts)), strict=True))
        codes = len(every)
    else:
        return None
    return glyphs if len(glyphs) == codes else None
