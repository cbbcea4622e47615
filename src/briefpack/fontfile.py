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
        offset = best[1]
        if struct.unpack_from(">H", cmap, offset)[0] == 12:
            return _format12(cmap, offset)
        return _format4(cmap, offset)
    except struct.error:
        raise DamagedFont("its character map is cut short") from None


def _format12(cmap: bytes, offset: int) -> frozenset[str]:
    groups = struct.unpack_from(">L", cmap, offset + 12)[0]
    found: set[str] = set()
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">LLL", cmap, offset + 16 + 12 * i)
        if end > 0x10FFFF or end - start > 0x10FFFF:
            raise DamagedFont("its character map is damaged")
        found.update(map(chr, range(start, end + 1)))
        if glyph == 0:
            found.discard(chr(start))
    return frozenset(found)


def _format4(cmap: bytes, offset: int) -> frozenset[str]:
    segments = struct.unpack_from(">H", cmap, offset + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", cmap, offset + 14)
    starts = struct.unpack_from(f">{segments}H", cmap, offset + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", cmap, offset + 16 + 4 * segments)
    range_at = offset + 16 + 6 * segments
    ranges = struct.unpack_from(f">{segments}H", cmap, range_at)
    found: set[str] = set()
    for i, (start, end, delta, range_offset) in enumerate(zip(starts, ends, deltas, ranges, strict=True)):
        if start > end or start == 0xFFFF:
            continue
        if range_offset == 0:
            found.update(chr(c) for c in range(start, end + 1) if (c + delta) & 0xFFFF)
            continue
        at = range_at + 2 * i + range_offset
        glyphs = struct.unpack_from(f">{end - start + 1}H", cmap, at)
        found.update(chr(start + k) for k, g in enumerate(glyphs) if g and (g + delta) & 0xFFFF)
    return frozenset(c for c in found if not 0xD800 <= ord(c) <= 0xDFFF)
