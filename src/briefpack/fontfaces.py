"""Font families in a folder, their faces, and static faces made from variable fonts (cached by content).

A brand may name just a family (and the fontpkg package or brand folder holding it): briefpack picks the
regular, bold, italic and bold italic files, and where the family has only a variable font (Open Sans,
Noto Sans, Roboto on PyPI), makes the bold faces it lacks with fontTools' instancer. The regular and italic
faces of a variable font are its default outlines, which the PDF embeds as they are.
"""

from __future__ import annotations

import hashlib
import os
import struct
import sys
from pathlib import Path

from briefpack import filememo
from briefpack.frozen import frozen

FACES = ("regular", "bold", "italic", "bold_italic")
WEIGHTS = {"regular": 400, "bold": 700, "italic": 400, "bold_italic": 700}
BOLD = 600
"""The lowest weight class that reads as bold."""
MADE = "m1"
"""Changes when the way faces are made changes, so faces made before are not used."""


@frozen
class FontFile:
    """What a TrueType file says about itself, read from its tables without fontTools."""

    path: Path
    family: str
    """The typographic family ('Noto Sans'), not the style-linked one ('Noto Sans Light')."""
    style: str
    weight: int
    italic: bool
    variable: bool
    """Has an 'fvar' table."""
    weight_range: tuple[float, float, float] = (0.0, 0.0, 0.0)
    """A variable font's wght axis: minimum, default, maximum (zeros when it has none)."""
    truetype: bool = True
    """Has TrueType (glyf) outlines, which the PDF renderer needs."""


def _name(data: bytes, ids: tuple[int, ...]) -> str:
    """The first of the name ids found in a 'name' table, in Windows Unicode or Mac Roman."""
    _, count, strings = struct.unpack(">HHH", data[:6])
    found: dict[int, str] = {}
    for i in range(count):
        platform, encoding, _, name_id, length, offset = struct.unpack(">6H", data[6 + 12 * i:18 + 12 * i])
        raw = data[strings + offset:strings + offset + length]
        if name_id in ids and name_id not in found:
            if platform == 3 and encoding in (0, 1, 10):
                found[name_id] = raw.decode("utf-16-be", "replace")
            elif platform == 1 and encoding == 0:
                found[name_id] = raw.decode("mac_roman", "replace")
    return next((found[i] for i in ids if i in found), "")


def read_font(path: Path) -> FontFile | None:
    """The font's family, style, weight and kind; None when it is not a font file (or a damaged one).

    Read once per version of the file in this process (see filememo): a font replaced by another, even of the
    same size and modified time, is read again."""
    return filememo.once(("font faces", str(path)), path, lambda: _read_font_whole(path))


def _read_font_whole(path: Path) -> FontFile | None:
    try:
        return _read_font(path)
    except (struct.error, ValueError, IndexError):
        return None


def _read_font(path: Path) -> FontFile | None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            if len(head) < 12 or head[:4] not in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
                return None
            count = struct.unpack(">H", head[4:6])[0]
            tables = {}
            for _ in range(count):
                tag, _checksum, offset, length = struct.unpack(">4sLLL", fh.read(16))
                tables[tag] = (offset, length)

            def table(tag: bytes) -> bytes:
                if tag not in tables:
                    return b""
                fh.seek(tables[tag][0])
                return fh.read(tables[tag][1])

            name, os2, fvar = table(b"name"), table(b"OS/2"), table(b"fvar")
    except (OSError, struct.error):
        return None
    if not name:
        return None
    weight = struct.unpack(">H", os2[4:6])[0] if len(os2) >= 6 else 400
    italic = bool(struct.unpack(">H", os2[62:64])[0] & 1) if len(os2) >= 64 else False
    wght = (0.0, 0.0, 0.0)
    if fvar:
        axes_at, axis_count, axis_size = struct.unpack(">H2xHH", fvar[4:12])
        for i in range(axis_count):
            tag, low, default, high = struct.unpack(">4s3l", fvar[axes_at + i * axis_size:axes_at + i * axis_size + 16])
            if tag == b"wght":
                wght = (low / 65536, default / 65536, high / 65536)
    family = _name(name, (16, 1))
    style = _name(name, (17, 2))
    return FontFile(path, family, style, weight, italic or "italic" in path.stem.lower(), bool(fvar), wght,
                    b"glyf" in tables)


def families(folder: Path) -> dict[str, list[FontFile]]:
    """Every family of TrueType fonts in *folder* (not its sub-folders), with its files."""
    out: dict[str, list[FontFile]] = {}
    for path in sorted(folder.glob("*.[tT][tT][fF]")) if folder.is_dir() else []:
        font = read_font(path)
        if font is not None and font.truetype and font.family:
            out.setdefault(font.family, []).append(font)
    return out


@frozen
class Face:
    """Where one face of a family comes from: a file, and the weight to make from it if it is variable."""

    file: FontFile
    weight: int | None = None
    """None: use the file as it is; else make a static instance at this weight."""


def pick_faces(files: list[FontFile]) -> dict[str, Face]:
    """The family's regular, bold, italic and bold italic faces (fewer if it lacks some)."""
    faces: dict[str, Face] = {}
    for face in FACES:
        italic, weight = face in ("italic", "bold_italic"), WEIGHTS[face]
        same = [f for f in files if f.italic == italic]
        static = [f for f in same if not f.variable]
        if static:
            best = min(static, key=lambda f: (abs(f.weight - weight), f.path.name))
            if abs(best.weight - weight) < 100:
                faces[face] = Face(best)
                continue
        variable = [f for f in same if f.variable and f.weight_range[0] <= weight <= f.weight_range[2]]
        if variable:
            font = min(variable, key=lambda f: f.path.name)
            faces[face] = Face(font, None if font.weight_range[1] == weight else weight)
    return faces


def cache_folder() -> Path:
    """Where made fonts are kept: $BRIEFPACK_CACHE, else the user's cache folder."""
    if os.environ.get("BRIEFPACK_CACHE"):
        return Path(os.environ["BRIEFPACK_CACHE"]) / "fonts"
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "briefpack" / "fonts"


def static_instance(source: Path, weight: int) -> Path:
    """A static TrueType file of *source* (a variable font) at *weight*, made once and kept by content."""
    import fontTools

    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:20]
    folder = cache_folder()
    path = folder / f"{source.stem.split('[')[0]}-{digest}-wght{weight}-ft{fontTools.version}-{MADE}.ttf"
    if path.is_file():
        return path
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    # No timestamps from the clock: the same font gives the same bytes, and so the same PDF.
    font = TTFont(str(source), recalcTimestamp=False)
    location = {axis.axisTag: axis.defaultValue for axis in font["fvar"].axes} | {"wght": weight}
    try:
        static = instancer.instantiateVariableFont(font, location, updateFontNames="STAT" in font)
    except Exception:  # noqa: BLE001 - names are a nicety; some fonts' STAT tables cannot update them
        font = TTFont(str(source), recalcTimestamp=False)
        static = instancer.instantiateVariableFont(font, location)
    # The PDF knows a font by its PostScript name: the made face needs its own, or it is taken for the source.
    original = TTFont(str(source), lazy=True)["name"].getDebugName(6) or source.stem
    if static["name"].getDebugName(6) in (None, original):
        base = original.split("-")[0]
        style = "Bold" if weight >= BOLD else f"W{weight}"
        static["name"].setName(f"{base}-{style}{'Italic' if 'italic' in source.stem.lower() else ''}", 6, 3, 1, 0x409)
    static["OS/2"].usWeightClass = weight
    if weight >= BOLD:
        static["OS/2"].fsSelection = (static["OS/2"].fsSelection | 0x20) & ~0x40  # bold, not regular
        static["head"].macStyle |= 1
    folder.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    static.save(str(temporary))
    os.replace(temporary, path)
    return path


def face_path(face: Face) -> Path:
    """The file to embed for *face*, made from a variable font when it needs another weight."""
    return face.file.path if face.weight is None else static_instance(face.file.path, face.weight)
