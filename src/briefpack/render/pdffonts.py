"""Fonts for the PDF: the brand's faces and its fallback, registered once, and which faces a document uses."""

from __future__ import annotations

import io
from pathlib import Path
from typing import assert_never

from briefpack import filememo
from briefpack.render.xmltext import escape, quoteattr

from briefpack.render import rlsafe  # noqa: F401  (first: fixes reportlab's configuration)

from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402

from briefpack.document import (BulletList, Chart, Choice, ContactBlock, Contents, Document, Field,  # noqa: E402
                                FieldTable, Heading, LinkBlock, NumberedList, PageBreak, Para, Section, Table,
                                TitleBlock)
from briefpack.markup import Inline  # noqa: E402
from briefpack.model import Brand, FontFaces  # noqa: E402

FACES = ("regular", "bold", "italic", "bold_italic")


class Fonts:
    """The brand's faces and its fallback, registered once per process (once per version of each font file),
    with their character coverage.

    Parsing a TrueType file is the slowest part of a small PDF, so only the faces a document uses are
    registered; a face it never uses is mapped to the regular one.
    """

    _files: dict[tuple, str] = {}
    """(font file, the version of it that was read) -> registered reportlab name: a file changed in a long
    process (a brand's font replaced, even by one of the same size and modified time) is read and named again."""
    _markups: dict[tuple, dict[str, tuple[str, frozenset[str]]]] = {}
    """(registered regular face, fallback's regular file, the versions of the fallback's files) -> {text: its
    markup, the characters neither font has}.
    The markup depends on nothing else: the tiles layout makes the same paragraphs at many sizes and widths,
    and every document in the same fonts the same headings, labels and lessons."""
    KEEP_MARKUPS = 5_000
    """Texts kept for one pair of fonts (a document has a few hundred)."""

    def __init__(self, brand: Brand, used: frozenset[str]) -> None:
        self.used = used
        self.names = self._register(brand.fonts, used)
        self.fallback_faces = brand.fallback
        self._fallback_files = {str(path): filememo.versioned(path) for path in dict.fromkeys(brand.fallback.files)}
        """The fallback's files as they are now, each version with the bytes it was told by, if any (see
        filememo.versioned): registered only when a text needs them, from those bytes."""
        self.fallback_version = tuple(version for version, _ in self._fallback_files.values())
        self._fallback: dict[str, str] | None = None
        self.covered = pdfmetrics.getFont(self.names["regular"]).face.charToGlyph
        self.missing: set[str] = set()
        key = (self.names["regular"], str(brand.fallback.regular), self.fallback_version)
        if key not in self._markups and len(self._markups) >= 8:
            self._markups.clear()
        self._markup = self._markups.setdefault(key, {})

    @classmethod
    def _register(cls, faces: FontFaces, used: frozenset[str],
                  read: dict[str, tuple[tuple[int | str, ...] | None, bytes | None]] | None = None) -> dict[str, str]:
        """The registered name of each face; *read* holds the files' versions taken already (filememo.versioned)."""
        names = {}
        for face in FACES:
            path = str(getattr(faces, face))
            if face not in used:
                # Never drawn; a name of its own keeps reportlab's face-to-family map one-to-one.
                names[face] = f"unused-{face}-{path}"
                continue
            names[face] = cls._registered(path, read.get(path) if read else None)
        pdfmetrics.registerFontFamily(names["regular"], normal=names["regular"], bold=names["bold"],
                                      italic=names["italic"], boldItalic=names["bold_italic"])
        return names

    @classmethod
    def _registered(cls, path: str,
                    read: tuple[tuple[int | str, ...] | None, bytes | None] | None = None) -> str:
        """The registered name of the font in file *path* as it is now, or as *read* (its version, taken before)."""
        version, data = filememo.versioned(Path(path)) if read is None else read
        source: str | io.BytesIO = path  # unreadable (version None): reportlab says what is wrong with it
        if data is not None:  # changed just now: known by its bytes, and read from those very bytes
            source = io.BytesIO(data)
            source.name = path  # what reportlab calls the file (TTFontParser.readFile)
        key = (path, version)
        name = cls._files.get(key)
        if name is None:
            name = f"BP{len(cls._files)}"
            font = TTFont(name, source)
            rlsafe.keep_spaces(font)
            # Not pdfmetrics.registerFont: for a font whose face (PostScript) name it has met before, that
            # registers the font met before under the new name, which would be the old version of a replaced
            # file (or another file of that name), and its name in the PDF another than the one registered.
            pdfmetrics._fonts[name] = font
            pdfmetrics.registerFontFamily(name)  # as registerFont does for a TrueType font
            cls._files[key] = name
        return name

    @property
    def key(self) -> tuple:
        """What decides how text in these fonts is measured and where its lines break: the faces' names (each
        version of a font file is read and named once per process), the registered font objects themselves, and
        the fallback's files and their versions (for characters the brand's fonts lack)."""
        names = tuple(self.names[face] for face in FACES)
        return names, tuple(pdfmetrics.getFont(self.names[face]) for face in FACES if face in self.used), \
            self.fallback_faces, self.fallback_version

    def face(self, bold: bool = False, italic: bool = False) -> str:
        return self.names["bold_italic" if bold and italic else "bold" if bold else "italic" if italic else "regular"]

    @property
    def fallback(self) -> str:
        if self._fallback is None:
            self._fallback = self._register(self.fallback_faces, frozenset(FACES), self._fallback_files)
        return self._fallback["regular"]

    @property
    def fallback_covered(self) -> dict[int, int]:
        return pdfmetrics.getFont(self.fallback).face.charToGlyph

    def markup(self, text: str) -> str:
        """Escape *text* for a Paragraph, switching to the fallback font for characters the brand font lacks.

        Characters neither font has are collected in self.missing (the build reports them, with the file
        and line they come from) instead of being drawn as empty boxes.
        """
        found = self._markup.get(text)
        if found is None:
            if len(self._markup) >= self.KEEP_MARKUPS:
                self._markup.clear()
            found = self._markup[text] = self._escape(text)
        self.missing.update(found[1])
        return found[0]

    def _escape(self, text: str) -> tuple[str, frozenset[str]]:
        """The markup of *text*, and the characters in it that neither font has."""
        out: list[str] = []
        run: list[str] = []
        missing: set[str] = set()
        in_fallback = False
        for ch in text:
            need = ord(ch) not in self.covered and not ch.isspace()
            if need and ord(ch) not in self.fallback_covered:
                missing.add(ch)
            if need != in_fallback and run:
                chunk = escape("".join(run))
                out.append(f"<font name={quoteattr(self.fallback)}>{chunk}</font>" if in_fallback else chunk)
                run.clear()
            in_fallback = need
            run.append(ch)
        if run:
            chunk = escape("".join(run))
            out.append(f"<font name={quoteattr(self.fallback)}>{chunk}</font>" if in_fallback else chunk)
        return "".join(out), frozenset(missing)



def faces_used(document: Document) -> frozenset[str]:
    """Which faces the document's text needs: regular and bold always (headings), italics if any."""
    used = {"regular", "bold"}
    stack: list = list(document.blocks)
    while stack:
        block = stack.pop()
        match block:
            case Section():
                stack.extend(block.blocks)
            case Para():
                used.update(_span_faces(block.text))
            case BulletList() | NumberedList():
                items = list(block.items)
                while items:
                    item = items.pop()
                    used.update(_span_faces(item.text))
                    for more in item.more:
                        used.update(_span_faces(more))
                    items.extend(item.children)
            case ContactBlock():
                for entry in block.entries:
                    for line in entry.lines:
                        used.update(_span_faces(line))
            case (TitleBlock() | Heading() | Chart() | Table() | LinkBlock() | Contents() | PageBreak() | Field()
                  | FieldTable() | Choice()):
                pass
            case _:
                assert_never(block)
    return frozenset(used)


def _span_faces(spans: Inline) -> set[str]:
    return {"bold_italic" if s.bold else "italic" for s in spans if s.italic}
