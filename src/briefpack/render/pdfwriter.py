"""reportlab's PDF writer, with the work that comes out the same in every document done once per process.

Nothing here changes a byte of any PDF: each piece gives exactly what reportlab's own code gives, only
without doing the same work again.

- Font subsets. A document embeds, for each face it uses, the subset of the font's glyphs it draws; the
  first subset of a face is always the same 128 characters (reportlab keeps ASCII readable), so every
  document in that face embeds the same bytes. Each subset, and its character map for text extraction
  (ToUnicode), is made and compressed once per process, keyed by the face it was made from (a face is read
  once per version of its file: render/pdffonts.py), the characters and the glyph each maps to. Only the
  last few are kept.
- Names and text. reportlab encodes every dictionary key and number through a Python-level codec
  (PDFDocEncoding) and escapes every name character by character; a name is escaped once per process
  here, a dictionary key made into bytes once, and text whose characters PDFDocEncoding writes as in
  ASCII is encoded as ASCII. A tagged document has a dictionary for each structure element (a hundred or
  more), so this is most of the time spent writing one.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from briefpack.render import rlsafe  # noqa: F401  (first: fixes reportlab's configuration)
from briefpack import memo
from briefpack.memo import Memo

from reportlab.pdfbase import pdfdoc, ttfonts  # noqa: E402

KEEP_STREAMS = 48
"""Font streams kept made and compressed: a brand's faces in a few documents' character sets (a subset and
its character map each)."""
KEEP_NAMES = 4096
"""Escaped names, and dictionary keys as bytes, kept (a document uses about a hundred distinct ones)."""

_compressed: dict[int, tuple[str | bytes, bytes]] = {}
"""id of a kept stream -> (the stream, compressed as reportlab compresses it). Holding the stream keeps its id
from being reused while the entry lives."""
_faces: dict[tuple, ttfonts.TTFontFile] = {}
"""The face of each kept subset, so the id in its key stays its own."""


def _forget(key: Hashable, stream: str | bytes) -> None:
    """A stream is no longer kept: nor are its compression and its face."""
    _compressed.pop(id(stream), None)
    _faces.pop(key, None)  # type: ignore[call-overload]


_streams: Memo[str | bytes] = Memo(KEEP_STREAMS, _forget)
"""('subset', id of the face, its file, characters, glyphs) -> the subset's bytes, or ('cmap', the subset's font
name, characters) -> its ToUnicode character map."""


def _kept(key: tuple, make: Callable[[], str | bytes]) -> str | bytes:
    """The stream *make()* makes, made and compressed once while it is kept."""
    def made() -> str | bytes:
        stream = make()
        if memo.enabled():
            _compressed[id(stream)] = (stream, _zcompress(pdfdoc.PDFZCompress, stream))
        return stream
    return _streams.recall(key, made)


_make_subset = ttfonts.TTFontFile.makeSubset


def _subset_once(self: ttfonts.TTFontFile, subset: list[int]) -> bytes:
    """reportlab's subset of *self* for the characters *subset*, made once while it is kept.

    The key holds the face itself (kept alive in _faces, so its id is not reused) and the glyph each
    character maps to, so a face whose character map is extended later (rlsafe.keep_spaces) gets new subsets.
    """
    codes = tuple(subset)
    key = ("subset", id(self), self.filename, codes, tuple(map(self.charToGlyph.get, codes)))
    made = _kept(key, lambda: _make_subset(self, subset))
    if key in _streams:  # once made and kept: a subset that could not be made (a damaged glyph) holds no face
        _faces[key] = self
    return made  # type: ignore[return-value]


def prove_subset(face: ttfonts.TTFontFile, subset: list[int]) -> None:
    """Make reportlab's subset of *face* for the characters *subset*, as a PDF would embed it, and let it go:
    making it is where a damaged glyph shows (reportlab raises). For a check, which makes no file: nothing is
    compressed, and a subset already kept was made before."""
    codes = tuple(subset)
    if ("subset", id(face), face.filename, codes, tuple(map(face.charToGlyph.get, codes))) not in _streams:
        _make_subset(face, subset)


_to_unicode = ttfonts.makeToUnicodeCMap


def _cmap_once(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode character map of the subset *fontname* (its characters *subset*), made once while
    it is kept: a pure function of the two."""
    return _kept(("cmap", fontname, tuple(subset)), lambda: _to_unicode(fontname, subset))  # type: ignore[return-value]


_zcompress = pdfdoc.PDFStreamFilterZCompress.encode


def _compress(self: pdfdoc.PDFStreamFilterZCompress, text: str | bytes) -> bytes:
    """reportlab's Flate compression; a kept font stream's is made once."""
    kept = _compressed.get(id(text))
    if kept is not None and kept[0] is text:
        return kept[1]
    return _zcompress(self, text)


_pdf_name = pdfdoc.PDFName
_names: dict[str, str] = {}


def _name_once(data: str, *args: str) -> str:
    """reportlab's PDFName, escaped once per name."""
    if args or type(data) is not str:
        return _pdf_name(data, *args)
    found = _names.get(data)
    if found is None:
        if len(_names) >= KEEP_NAMES:
            _names.clear()
        found = _names[data] = _pdf_name(data)
    return found


_pdfdoc_enc = pdfdoc.pdfdocEnc
_NOT_AS_ASCII = re.compile("[^\x00-\x17\x20-\x7f]").search
"""A character PDFDocEncoding writes otherwise than ASCII does, or cannot write (U+0018 to U+001F)."""


def _enc(x: str | bytes) -> bytes:
    """reportlab's pdfdocEnc: text in PDFDocEncoding, bytes as they are."""
    if type(x) is str and not _NOT_AS_ASCII(x):
        return x.encode("ascii")
    return _pdfdoc_enc(x)


_format = pdfdoc.format


def _format_plain_first(element: Any, document: Any, toplevel: int = 0) -> bytes:
    """reportlab's format: text, bytes and whole numbers (the most common) answered first, as reportlab answers
    them; everything else by reportlab."""
    kind = type(element)
    if kind is str:
        return _enc(element)
    if kind is int:
        return _enc(pdfdoc.fp_str(element))
    if kind is bytes:
        return element
    return _format(element, document, toplevel)


_keys: dict[str, bytes] = {}
_dictionary_format_reportlab = pdfdoc.PDFDictionary.format


def _key(key: str, document: Any) -> bytes:
    """A dictionary key as reportlab writes it (an escaped name), made once."""
    if type(key) is not str:
        return pdfdoc.format(pdfdoc.PDFName(key), document)
    found = _keys.get(key)
    if found is None:
        if len(_keys) >= KEEP_NAMES:
            _keys.clear()
        found = _keys[key] = pdfdoc.format(pdfdoc.PDFName(key), document)
    return found


def _dictionary_format(self: pdfdoc.PDFDictionary, document: Any, IND: bytes = b"\n ") -> bytes:  # noqa: N803
    """reportlab's PDFDictionary.format (reportlab 4.4 to 5.1), each key's bytes made once."""
    entries = self.dict
    keys = list(entries.keys())
    if not isinstance(entries, OrderedDict):
        keys.sort()
    fmt = pdfdoc.format
    lines = [_key(k, document) + b" " + fmt(entries[k], document) for k in keys]
    if (self.multiline and rlsafe.rl_config.pdfMultiLine) or self.multiline == "forced":
        return b"<<\n" + IND.join(lines) + b"\n>>"
    for i in reversed(range(6, len(lines), 6)):  # a line break after every six entries
        lines.insert(i, b"\n ")
    return b"<<\n" + b" ".join(lines) + b"\n>>"


ttfonts.TTFontFile.makeSubset = _subset_once  # type: ignore[method-assign]
ttfonts.makeToUnicodeCMap = _cmap_once
pdfdoc.PDFStreamFilterZCompress.encode = _compress  # type: ignore[method-assign]
pdfdoc.PDFName = _name_once
pdfdoc.pdfdocEnc = _enc
pdfdoc.format = _format_plain_first
pdfdoc.PDFDictionary.format = _dictionary_format  # type: ignore[method-assign]
