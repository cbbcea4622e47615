"""Load a board's brand from branding/<name>/brand.yaml (with `extends:`), checking every file it names."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefpack.frozen import frozen
from briefpack import filememo, markup, yamlio
from briefpack.errors import BriefpackError, Problem, Problems, did_you_mean, display_path
from briefpack.model import Brand, Contact, FontFaces, Library, Link, Palette
from briefpack.project import brand_names
from briefpack.readtime import WORDS_PER_MINUTE as DEFAULT_PACE
from briefpack.markup import REFERENCES
from briefpack.schema import CONTACT_KEYS, ID, Fields, at_fragments, long_id, contact, scalar_text
from briefpack.words import MAY_USE, PLACEHOLDERS, WORDS, missing_placeholders
from briefpack.yamlio import Node, Scalar

BRAND_KEYS = ("extends", "name", "short_name", "aliases", "logo", "partners", "palette", "fonts", "fallback",
              "footer", "contacts", "procedures", "vocabulary", "page_size", "word_template", "words_per_minute",
              "returns", "language")
WORD_STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet", "List Bullet 2",
               "List Number", "Table Grid")
"""Styles the Word renderer uses that it cannot make itself (lists need the template's numbering)."""
PALETTE_KEYS = ("primary", "accent", "text", "background", "muted")
FONT_KEYS = ("family", "package", "regular", "bold", "italic", "bold_italic", "word")
FONT_REQUIRED = ("family",)
"""The faces may be left out: briefpack picks (or makes) them from the family's files."""
VOCABULARY_KEYS = ("review_type", "seven_minute_labels", "services")
"""Every brand has these (the default brand gives them all)."""
OPTIONAL_VOCABULARY = ("words", "months")
"""A brand's own fixed words and month names: English (or built in for its language) when not given."""
PROCEDURE_KEYS = ("id", "title", "url", "themes")
IMAGE_KEYS = ("file", "alt")
"""A logo's or partner logo's keys, both required."""
MERGED = ("palette", "vocabulary")
"""Mappings merged key by key with the parent brand; every other key replaces the parent's whole."""
PAGE_SIZES = ("A4", "Letter")
WORDS_PER_MINUTE = (80, 250)
"""The reading-aloud pace a brand may set, in words a minute (150 is a fair default)."""
MAX_PIXELS = 25_000_000
"""Logos above this many pixels are refused (a decompression bomb would be far larger)."""
MAX_TEMPLATE_PART = 10_000_000
"""Bytes one part of a house Word template may expand to (Word's own styles part is about 40 KB)."""
MAX_TEMPLATE = 50_000_000
"""Bytes a whole house Word template may expand to."""
FONT_PACKAGE = re.compile(r"fontpkg_[a-z0-9_]+")


@frozen
class _Layer:
    """One brand.yaml in an extends chain, every key it has already read and checked."""

    id: str
    folder: Path
    fields: Fields
    values: dict[str, Any]
    """Each key this file has, as its checked value (None when the value is wrong: a problem says why).
    For a merged key (palette, vocabulary) a dict of the sub-keys it has."""

    def has(self, key: str) -> bool:
        return key in self.values

    def words(self) -> dict[str, tuple[str, Node]]:
        """The words this file writes under vocabulary (each with where it is written)."""
        return self.values.get("vocabulary", {}).get("words", {})


def load_brand(branding: Path, name: str, asked_at: Problem | None = None, library: Library | None = None) -> Brand:
    """Load brand *name*; *asked_at* is where a pack named it, for the message if it does not exist.

    Every file of the extends chain is checked whole, parents too: a bad colour in branding/default is
    reported even where a brand overrides it, so what the brands share is always sound. The brand's own
    text is checked against its fonts, and given the *library*, the contacts it names against it.
    """
    return BrandFiles(branding, name, asked_at).checked(library)


class BrandFiles:
    """A brand as its files say, each checked whole; then checked against any library (see load_brand)."""

    def __init__(self, branding: Path, name: str, asked_at: Problem | None = None) -> None:
        from briefpack.brandcheck import character_problems

        self.problems = Problems()
        self.layers, whole = _chain(branding, name, asked_at, self.problems)
        """The brand's file and those of the brands it extends; none when its own cannot be read (the only
        case where *asked_at* is said)."""
        # A chain cut short (an unknown or unreadable parent, a circle) has its problem already; what the missing
        # parent would have given is not a dozen more ("has no 'fonts'" …).
        self.brand = _merge(name, self.layers, self.problems) if self.layers and whole else None
        if self.brand is not None:
            self.problems.extend(character_problems(self.brand, [layer.fields.node for layer in self.layers] + [
                node for layer in self.layers for _, node in layer.values.get("contact_book", {}).values()]))

    def checked(self, library: Library | None = None) -> Brand:
        """The brand, checked against *library* too if given; raises every problem found."""
        problems = Problems()
        problems.extend(self.problems.items)
        brand, layers = self.brand, self.layers
        if brand is not None and library is not None:
            known = [*library.contacts, *(c.id for c in brand.contact_book)]
            problems.extend(Problem(path, line, column, f"unknown contact '{cid}'{did_you_mean(cid, known)}",
                                    "use a contact id from packs/library/contacts.yaml or the brand's own "
                                    "contacts.yaml, or add it there")
                            for cid, path, line, column in _nearest(layers, "contacts", ()) if cid not in known)
            themes = list(library.themes)
            problems.extend(Problem(path, line, column, f"unknown theme '{tid}'{did_you_mean(tid, themes)}",
                                    "use a theme id from packs/library/ (briefpack list themes), or add it there")
                            for tid, path, line, column in _nearest(layers, "procedure_themes", ())
                            if tid not in themes)
        problems.raise_if_any()
        assert brand is not None
        return brand


def _nearest(layers: list[_Layer], key: str, default: Any = None) -> Any:
    """The checked value of *key* from the nearest brand file that has it."""
    layer = _first(layers, key)
    return default if layer is None else layer.values[key]


def board_name(branding: Path, brand_id: str) -> str:
    """The board's name in brand *brand_id* (or a brand it extends), read leniently; '' when there is none.

    For the credit line of a pack built in another brand: that brand must build, the pack's own need not.
    """
    for root in _files(branding, brand_id):
        name = root.items["name"][1] if "name" in root.items else None
        if isinstance(name, Scalar) and name.value.strip():
            return name.value.strip()
    return ""


def where_set(branding: Path, brand_id: str, *keys: tuple[str, ...]) -> Node | None:
    """Where the value at one of *keys* (('palette', 'muted'), ('fonts', 'bold') …) is written: in the nearest
    brand file of *brand_id*'s extends chain that sets one of them, read leniently. A key that is not merged with the
    parent's ('fonts') is the whole of the nearest file's, so a file naming only the family is pointed at there."""
    for root in _files(branding, brand_id):
        for path in keys:
            node, found = _deepest(root, path)
            if found == len(path) or (found and path[0] not in MERGED):
                return node
    return None


def _deepest(root: Node, path: tuple[str, ...]) -> tuple[Node, int]:
    """The node at as much of *path* as *root* has, and how many of its keys that is."""
    node = root
    for n, key in enumerate(path):
        if not isinstance(node, yamlio.Mapping) or key not in node.items:
            return node, n
        node = node.items[key][1]
    return node, len(path)


def _files(branding: Path, brand_id: str) -> Iterator[yamlio.Mapping]:
    """Each brand.yaml of *brand_id*'s extends chain, nearest first, read leniently: as far as they can be read."""
    seen: set[str] = set()
    current = brand_id
    while re.fullmatch(r"[a-z0-9][a-z0-9-]*", current) and current not in seen:
        seen.add(current)
        try:
            root = yamlio.read(branding / current / "brand.yaml")
        except BriefpackError:
            return
        if not isinstance(root, yamlio.Mapping):
            return
        yield root
        parent = root.items.get("extends")
        current = (parent[1].value.strip() if parent and isinstance(parent[1], Scalar)
                   else "" if current == "default" else "default")


def _chain(branding: Path, name: str, asked_at: Problem | None, problems: Problems) -> tuple[list[_Layer], bool]:
    """The brand files of *name*'s extends chain, nearest first, and whether the chain was read to its end."""
    layers: list[_Layer] = []
    seen: list[str] = []
    current, where = name, asked_at
    while current or not seen:  # an empty name is an unknown brand; an empty 'extends' ends the chain
        folder = branding / current
        if current in seen:
            problems.add(where.path if where else display_path(folder), where.line if where else 0,
                         where.column if where else 0, f"brand '{current}' extends itself (through "
                         f"{' → '.join(seen + [current])})", "remove one of the 'extends:' lines")
            return layers, False
        # A brand.yaml that is there but cannot be read (a folder, a link in a circle) is read below, which
        # says what is wrong with it: it is no unknown brand.
        valid = re.fullmatch(r"[a-z0-9][a-z0-9-]*", current) is not None
        if not valid or not os.path.lexists(folder / "brand.yaml"):
            known = brand_names(branding)
            message = f"unknown brand '{current}'{did_you_mean(current, known)}"
            if not valid:  # no brand can have that name
                fix = (f"use one of: {', '.join(known)} (a brand's name is its folder's: lower-case letters, "
                       "digits and hyphens)")
            elif folder.is_dir():  # made by hand: 'brand new' fills it in
                message = f"unknown brand '{current}': {display_path(folder)}/ has no brand.yaml"
                fix = (f"write {display_path(folder)}/brand.yaml (see branding/README.md), or make it with "
                       f"'briefpack brand new {current}'")
            else:
                fix = (f"use one of: {', '.join(known)}; or make it with 'briefpack brand new {current}'"
                       if known else f"make it with 'briefpack brand new {current}'")
            if where:
                problems.add(where.path, where.line, where.column, message, fix)
            else:  # named on the command line; 'branding/../x' as typed, not the 'x' it resolves to
                problems.add(display_path(folder) if valid else f"{display_path(branding)}/{current}", 0, 0,
                             message, fix)
            return layers, False
        seen.append(current)
        try:
            root = yamlio.read(folder / "brand.yaml")
        except BriefpackError as exc:
            problems.extend(exc.problems)
            return layers, False
        f = Fields(root, f"brand '{current}'", problems, BRAND_KEYS,
                   where=Scalar(display_path(folder / "brand.yaml"), 1, 1))
        if not f.ok:
            return layers, False
        layers.append(_read_layer(current, folder, f, problems))
        parent = f.text("extends", "" if current == "default" else "default")
        extends_node = f.get("extends")
        where = extends_node.problem("", "") if extends_node else Problem(
            display_path(folder / "brand.yaml"), 1, 1, "")
        current = parent
    return layers, True


def _read_layer(brand_id: str, folder: Path, f: Fields, problems: Problems) -> _Layer:
    """Read and check every key one brand.yaml has, whether or not a brand extending it overrides it."""
    values: dict[str, Any] = {}
    for key in ("name", "short_name", "footer", "returns"):
        if f.has(key):
            values[key] = f.text(key, required=key in ("name", "short_name"))
    if f.has("aliases"):  # read by the leak check (leaks.py): inherited only by the same board (leaks.identity)
        f.texts("aliases")
    if f.has("page_size"):
        values["page_size"] = page_size = f.text("page_size", "A4")
        if page_size not in PAGE_SIZES:
            problems.extend([f.at("page_size").problem(
                f"unknown page size '{page_size}'", f"use one of: {', '.join(PAGE_SIZES)}")])
    if f.has("palette"):
        sub = Fields(f.get("palette"), "'palette'", problems, PALETTE_KEYS)
        values["palette"] = {role: sub.colour(role) for role in PALETTE_KEYS if sub.has(role)}
    if f.has("logo"):
        values["logo"] = _image(Fields(f.get("logo"), "'logo'", problems, IMAGE_KEYS, IMAGE_KEYS,
                                       where=f.key_node("logo")), folder, "logo", problems)
    for key in ("fonts", "fallback"):
        if f.has(key):
            values[key] = _fonts(f, key, folder, problems)
    book = _contacts_file(folder, problems)
    if f.has("contacts"):
        named: list[tuple[str, Node]] = []
        for item in f.sequence("contacts"):
            if isinstance(item, yamlio.Mapping):  # a contact written out in full
                cid = Fields(item, "a contact", Problems(), CONTACT_KEYS).ident("id") if "id" in item.items else ""
                if not cid:
                    problems.extend([item.problem("a contact written out here has no 'id'",
                                                  "add 'id: a-short-name'")])
                    continue
                book[cid] = (contact(item, cid, problems), item)
                named.append((cid, item))
            elif value := scalar_text(item, "an item of 'contacts'", problems, required=True):
                if ID.fullmatch(value):
                    named.append((value, item))
                else:
                    problems.extend([item.problem(*long_id(value) or (
                        f"'{value}' is not a valid id", "use lower-case letters, digits and hyphens"))])
        values["contacts"] = tuple((v, node.path, node.line, node.column) for v, node in named)
    if book:
        values["contact_book"] = book
    if f.has("procedures"):
        values["procedures"], values["procedure_themes"] = _procedures(f, problems)
    if f.has("vocabulary"):
        values["vocabulary"] = _vocabulary(f, problems)
    if f.has("word_template"):
        values["word_template"] = _template(f, folder, problems)
    if f.has("partners"):
        values["partners"] = _partners(f, folder, problems)
    if f.has("words_per_minute"):
        values["words_per_minute"] = _words_per_minute(f, problems)
    if f.has("language"):
        values["language"] = f.language("language")
    return _Layer(brand_id, folder, f, values)


def _first(layers: list[_Layer], key: str) -> _Layer | None:
    return next((layer for layer in layers if layer.has(key)), None)


def _missing(layers: list[_Layer], key: str, problems: Problems) -> None:
    top = layers[0]
    problems.add(display_path(top.folder / "brand.yaml"), 1, 1,
                 f"brand '{top.id}' has no '{key}' (and no brand it extends has one)", f"add '{key}: …'")


def _merge(name: str, layers: list[_Layer], problems: Problems) -> Brand | None:
    """The brand: each key from the nearest file that has it; palette and vocabulary key by key."""

    def value(key: str, default: Any = None, *, required: bool = False) -> Any:
        layer = _first(layers, key)
        if layer is None:
            if required:
                _missing(layers, key, problems)
            return default
        return layer.values[key]

    def merged(key: str, sub_keys: tuple[str, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for sub in sub_keys:
            layer = next((layer for layer in layers if sub in layer.values.get(key, {})), None)
            if layer is None:
                _missing(layers, f"{key}: {sub}", problems)
                out[sub] = None
            else:
                out[sub] = layer.values[key][sub]
        return out

    board, short = value("name", required=True), value("short_name", required=True)
    logo, logo_alt = value("logo", (None, ""), required=True)
    fonts, fallback = value("fonts", required=True), value("fallback", required=True)
    colours = merged("palette", PALETTE_KEYS)
    vocabulary = merged("vocabulary", VOCABULARY_KEYS)
    book: dict[str, Contact] = {}
    for layer in reversed(layers):  # the nearest brand's contact wins, id by id
        book |= {cid: c for cid, (c, _) in layer.values.get("contact_book", {}).items()}
    written: dict[str, tuple[str, Node]] = {}
    for layer in reversed(layers):  # the nearest brand's word wins, word by word
        written |= layer.words()
    _unknown_procedures(layers, problems)
    words = {key: word for key, (word, _) in written.items()}
    months = next((m for layer in layers if len(m := layer.values.get("vocabulary", {}).get("months", ())) == 12),
                  ())
    if problems or logo is None or fonts is None or fallback is None or None in colours.values():
        return None
    faces, word_font = fonts
    return Brand(id=name, folder=layers[0].folder, name=board, short_name=short, logo=logo,
                 logo_alt=logo_alt, palette=Palette(**colours), fonts=faces, fallback=fallback[0],
                 word_font=word_font, footer=value("footer", ""), contacts=tuple(
                     c for c, *_ in value("contacts", ())), procedures=value("procedures", ()),
                 review_type=vocabulary["review_type"], section_labels=vocabulary["seven_minute_labels"],
                 services=vocabulary["services"], page_size=value("page_size", "A4"),
                 word_template=value("word_template"), partners=value("partners", ()),
                 words_per_minute=value("words_per_minute", DEFAULT_PACE), returns=value("returns", ""),
                 language=value("language", "en-GB"),
                 words=tuple(sorted(words.items())), months=months, contact_book=tuple(book.values()))


def _contacts_file(folder: Path, problems: Problems) -> dict[str, tuple[Contact, Node]]:
    """The board's own contacts in its folder's contacts.yaml (the library's format), if it has one."""
    path = folder / "contacts.yaml"
    if not path.is_file():
        return {}
    try:
        root = yamlio.read(path)
    except BriefpackError as exc:
        problems.extend(exc.problems)
        return {}
    f = Fields(root, "contacts.yaml", problems, ("contacts",), where=Scalar(display_path(path), 1, 1))
    book: dict[str, tuple[Contact, Node]] = {}
    for item in f.sequence("contacts"):
        sub = Fields(item, "a contact", Problems(), CONTACT_KEYS)
        cid = sub.ident("id") if sub.has("id") else ""
        if not cid:
            problems.extend([item.problem("a contact has no 'id'", "add 'id: a-short-name'")])
        elif cid in book:
            problems.extend([item.problem(f"contact id '{cid}' is already used at line {book[cid][1].line}",
                                          "give each contact its own id")])
        else:
            book[cid] = (contact(item, cid, problems), item)
    return book


def _words(vocabulary: Fields, problems: Problems) -> dict[str, tuple[str, Node]]:
    """The board's own fixed words (and where each is written), each keeping the placeholders briefpack fills in."""
    sub = Fields(vocabulary.get("words"), "'words'", problems, tuple(WORDS))
    out = {}
    for key in WORDS:
        if not sub.has(key):
            continue
        node = sub.at(key)
        value = scalar_text(node, f"'{key}' in 'words'", problems, required=True)
        missing = missing_placeholders(key, value)
        if value and missing:
            problems.extend([node.problem(f"'{key}' must keep {' and '.join(missing)}",
                                          f"briefpack fills it in; the English is '{WORDS[key]}'")])
        # Its unknown references too, with a missing placeholder: every problem of the word at once.
        if value and not _unknown_placeholders(key, value, node, problems) and not missing:
            out[key] = (value, node)
    return out


def _unknown_procedures(layers: list[_Layer], problems: Problems) -> None:
    """Report each {procedure:ID} in a brand file's words that names none of its procedures (it was printed as
    typed), at its place: pack text's are reported by build and brand check, a word's here.

    A word is judged by the procedures of the brand whose file writes it (those of the brand it extends if it has
    none), so every brand extending it reports it alike. A word the brand inherits that names a procedure of the
    brand writing it, but not of a brand between (which lists procedures of its own), names the brand that lacks it.
    """
    lacking = _first(layers, "procedures")
    brand_ids = [link.id for link in _nearest(layers, "procedures", ()) if link.id]
    for n, layer in enumerate(layers):
        known = [link.id for link in _nearest(layers[n:], "procedures", ()) if link.id]
        for key, (value, node) in layer.words().items():
            if "{procedure" not in value or not isinstance(node, Scalar):
                continue
            inherited = not any(key in nearer.words() for nearer in layers[:n])
            for ref in markup.references(value, REFERENCES + _fills(key)):
                if ref.name != "procedure":
                    continue
                if ref.arg not in known:
                    problems.extend([node.problem_at(
                        ref.text, f"'{key}' in 'words': the brand has no procedure '{ref.arg}'"
                                  f"{did_you_mean(ref.arg, known)}",
                        f"use one of: {', '.join(known)}; or add it under procedures:" if known
                        else "add it under procedures:", value[:ref.offset])])
                elif inherited and lacking is not None and ref.arg not in brand_ids:
                    where = display_path(lacking.folder / "brand.yaml")
                    problems.extend([node.problem_at(
                        ref.text, f"'{key}' in 'words': brand '{lacking.id}', which extends this brand, lists "
                                  f"its own procedures and has no '{ref.arg}'",
                        f"add it under procedures: in {where}, or give brand '{lacking.id}' its own '{key}' there",
                        value[:ref.offset])])


def _fills(key: str) -> tuple[str, ...]:
    """The names briefpack fills in the word *key* ('date' in 'credit'), besides the board references."""
    return tuple(p.strip("{}") for p in PLACEHOLDERS.get(key, ()) + MAY_USE.get(key, ()))


def _unknown_placeholders(key: str, value: str, node: Node, problems: Problems) -> bool:
    """Report each reference in the word *key* that briefpack does not fill in (a misspelt '{bord}' was printed as
    typed); return whether there was one."""
    placeholders = PLACEHOLDERS.get(key, ()) + MAY_USE.get(key, ())
    fills = _fills(key)
    try:
        markup.references(value, REFERENCES + fills)
    except markup.MarkupError as exc:
        fix = (f"use {' or '.join(placeholders)} (what briefpack fills in here), or write the words in full"
               if fills else "write the words in full")
        for error in exc.errors:
            error.fix = fix if error.unknown else error.fix
        problems.extend(at_fragments(node, exc, f"'{key}' in 'words'", value))
        return True
    return False


def _words_per_minute(f: Fields, problems: Problems) -> int:
    """The brand's reading-aloud pace, for the reading time of a 7-minute briefing."""
    found_before = len(problems.items)
    value = f.text("words_per_minute")
    if len(problems.items) > found_before:  # not text ('words_per_minute: [150]'): that says enough
        return DEFAULT_PACE
    low, high = WORDS_PER_MINUTE
    if not re.fullmatch(r"[0-9]{1,4}", value) or not low <= int(value) <= high:
        problems.extend([f.at("words_per_minute").problem(
            f"'words_per_minute' must be a whole number from {low} to {high}, not '{value}'",
            f"write e.g. 'words_per_minute: {DEFAULT_PACE}' (a fair pace for reading aloud)")])
        return DEFAULT_PACE
    return int(value)


def _partners(f: Fields, folder: Path, problems: Problems) -> tuple[tuple[Path, str], ...]:
    out = []
    for item in f.sequence("partners"):
        path, alt = _image(Fields(item, "a partner logo", problems, IMAGE_KEYS, IMAGE_KEYS),
                           folder, "partner logo", problems)
        if path is not None:
            out.append((path, alt))
    return tuple(out)


def _image(f: Fields, folder: Path, what: str, problems: Problems) -> tuple[Path | None, str]:
    """An image named by 'file' (inside *folder*, checked) and its 'alt' text."""
    name, alt = f.text("file", required=True), f.text("alt", required=True)
    path = contained(folder, name, f.at("file"), what, problems) if name else None
    if path is not None:
        check_image(path, f.at("file"), problems)
    return path, alt


def _template(f: Fields, folder: Path, problems: Problems) -> Path | None:
    """The house Word template, checked to be a Word file with the styles briefpack needs."""
    import zipfile
    import zlib

    node = f.at("word_template")
    name = f.text("word_template", required=True)
    if not name:
        return None
    if not name.lower().endswith((".docx", ".dotx")):
        problems.extend([node.problem(f"'{name}' is not a Word document or template",
                                      "save it from Word as .docx or .dotx and name that file")])
        return None
    path = contained(folder, name, node, "Word template", problems)
    if path is None:
        return None
    again = "open it in Word and save it again as .docx or .dotx"
    try:
        with zipfile.ZipFile(path) as z:
            parts = {info.filename: info.file_size for info in z.infolist()}
            # Sizes first: python-docx reads every part whole, and a few kilobytes can expand to gigabytes.
            largest = max(parts, key=parts.__getitem__, default="")
            if parts and (parts[largest] > MAX_TEMPLATE_PART or sum(parts.values()) > MAX_TEMPLATE):
                what = (f"its part {largest} expands to {parts[largest] / 1e6:,.0f} MB"
                        if parts[largest] > MAX_TEMPLATE_PART else f"it expands to {sum(parts.values()) / 1e6:,.0f} MB")
                problems.extend([node.problem(
                    f"'{name}' is too large: {what}, far more than a Word template holds",
                    "save a new, empty document with your styles from Word as .dotx and name that file")])
                return None
            if "[Content_Types].xml" not in parts:
                problems.extend([node.problem(f"'{name}' is not a Word file briefpack can read: it has no "
                                              "[Content_Types].xml", again)])
                return None
            types = z.read("[Content_Types].xml")
            if b"macroEnabled" in types or "word/vbaProject.bin" in parts:
                problems.extend([node.problem(f"'{name}' is a macro-enabled Word file (.docm or .dotm) renamed",
                                              "save it from Word as a Word Template (.dotx), without macros")])
                return None
            styles = z.read("word/styles.xml").decode("utf-8", "replace")
            z.getinfo("word/document.xml")
            broken = _broken_xml(z, parts)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, NotImplementedError):
        problems.extend([node.problem(f"'{name}' is not a Word file briefpack can read", again)])
        return None
    if broken:
        problems.extend([node.problem(f"'{name}' is damaged: its part {broken}", again)])
        return None
    missing = [s for s in WORD_STYLES if f'w:val="{s}"' not in styles and f'w:val="{s.lower()}"' not in styles]
    if missing:
        problems.extend([node.problem(f"'{name}' lacks the styles {', '.join(missing)}",
                                      "base the template on a new blank Word document, which has them all")])
        return None
    return path


def _broken_xml(z: Any, parts: dict[str, int]) -> str:
    """The first XML part of a Word file that python-docx could not parse, and why ('' when none): parsed
    here as python-docx parses it, so a damaged template is a message, not lxml's XMLSyntaxError."""
    from lxml import etree

    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
    for part in parts:
        if part.endswith((".xml", ".rels")):
            try:
                etree.fromstring(z.read(part), parser)
            except etree.XMLSyntaxError as exc:
                return f"{part} is not well-formed XML (line {exc.lineno}: {exc.msg})"
    return ""


def _vocabulary(f: Fields, problems: Problems) -> dict[str, Any]:
    sub = Fields(f.get("vocabulary"), "'vocabulary'", problems, VOCABULARY_KEYS + OPTIONAL_VOCABULARY)
    out: dict[str, Any] = {}
    if sub.has("words"):
        out["words"] = _words(sub, problems)
    found_before = len(problems.items)  # a list whose items cannot be read is not also miscounted
    if sub.has("months"):
        out["months"] = months = tuple(sub.texts("months"))
        if len(months) != 12 and len(problems.items) == found_before:
            problems.extend([sub.at("months").problem(f"'months' has {len(months)} names",
                                                      "give all twelve, January to December")])
    if sub.has("review_type"):
        out["review_type"] = sub.text("review_type", required=True)
    if sub.has("services"):
        out["services"] = tuple(sub.texts("services"))
    if sub.has("seven_minute_labels"):
        found_before = len(problems.items)
        out["seven_minute_labels"] = labels = tuple(sub.texts("seven_minute_labels"))
        if len(labels) != 7 and len(problems.items) == found_before:
            problems.extend([sub.at("seven_minute_labels").problem(
                f"'seven_minute_labels' has {len(labels)} labels", "give exactly seven, 01 to 07")])
    return out


def _procedures(f: Fields, problems: Problems) -> tuple[tuple[Link, ...], tuple[tuple[str, str, int, int], ...]]:
    """The procedures, and where each theme they name is written (checked against the library later)."""
    out: list[Link] = []
    places: list[tuple[str, str, int, int]] = []
    seen: dict[str, Node] = {}
    for item in f.sequence("procedures"):
        sub = Fields(item, "a procedure", problems, PROCEDURE_KEYS, ("title", "url"))
        procedure_id = sub.ident("id") if sub.has("id") else ""
        if procedure_id in seen:
            problems.extend([sub.at("id").problem(f"procedure id '{procedure_id}' is already used at line "
                                                  f"{seen[procedure_id].line}", "give each procedure its own id")])
        elif procedure_id:
            seen[procedure_id] = sub.at("id")
        title, url = sub.text("title", required=True), sub.url("url", required=True)
        named = sub.ids("themes")
        out.append(Link(title, url, procedure_id, tuple(dict.fromkeys(value for value, _ in named))))
        places.extend((value, node.path, node.line, node.column) for value, node in named)
    return tuple(out), tuple(places)


def contained(folder: Path, name: str, node: Node, what: str, problems: Problems) -> Path | None:
    """Resolve *name* inside *folder*; refuse absolute paths, '..' and links that lead out."""
    candidate = Path(name)
    if candidate.is_absolute() or ".." in candidate.parts or name.startswith("~"):
        problems.extend([node.problem(f"{what} '{name}' is outside the brand folder",
                                      f"copy the file into {display_path(folder)}/ and give its name only")])
        return None
    path = folder / candidate
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a link in a circle, in Python before 3.13
        try:
            os.stat(path)  # the system's own words for what is wrong, if the file is there at all
        except FileNotFoundError:
            if os.path.islink(path):  # it is in the folder's listing: "does not exist" would puzzle
                problems.extend([node.problem(f"{what} '{name}' is a link to a file that does not exist",
                                              f"put the file itself in {display_path(folder)}/")])
                return None
            here = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
            problems.extend([node.problem(f"{what} '{name}' does not exist{did_you_mean(name, here)}",
                                          f"put the file in {display_path(folder)}/")])
        except OSError as exc:  # a link in a circle, a folder on the way that may not be read
            problems.extend([node.problem(f"cannot read {what} '{name}' ({exc.strerror})",
                                          "check that it exists and that you may read it")])
        else:
            problems.extend([node.problem(f"cannot read {what} '{name}'",
                                          "check that it exists and that you may read it")])
        return None
    if not real.is_relative_to(folder.resolve()):
        problems.extend([node.problem(f"{what} '{name}' links to a file outside the brand folder",
                                      f"copy the file itself into {display_path(folder)}/")])
        return None
    if not real.is_file():
        problems.extend([node.problem(f"{what} '{name}' is not a file", "name a file")])
        return None
    return real


def check_image(path: Path, node: Node, problems: Problems) -> None:
    """Refuse anything but a reasonably sized RGB(A)/grey PNG or JPEG, before any renderer decodes it.

    Each version of a file is looked at once per process (a logo copied into many brands, and the default
    brand's logo in every brand's chain): see filememo."""
    problems.extend([node.problem(message, fix) for message, fix in
                     filememo.once(("image", str(path)), path, lambda: _image_problems(path))])


def _image_problems(path: Path) -> list[tuple[str, str]]:
    """What is wrong with the image at *path*: (message, fix) for each problem."""
    from PIL import Image

    try:
        head = _read_head(path, 512)
    except OSError as exc:
        return [_unreadable(path, exc)]
    if not head:
        return [_empty(path)]
    if head.lstrip().startswith((b"<?xml", b"<svg")) or b"<svg" in head:
        return [(f"'{path.name}' is an SVG drawing", "export it as PNG (at least 600 pixels wide) and name that file")]
    try:
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        with Image.open(path) as im:
            fmt, mode, (w, h) = im.format, im.mode, im.size
        if fmt in ("PNG", "JPEG") and w * h <= MAX_PIXELS:
            damage = _damage(path)
            if damage:
                return [(f"'{path.name}' is damaged: {damage}", "export or save the image again as PNG or JPEG")]
    except Image.DecompressionBombError:
        return [(f"'{path.name}' is too large in pixels", f"use an image of at most {MAX_PIXELS:,} pixels")]
    except Exception:  # Pillow raises many types for unreadable files
        return [(f"'{path.name}' is not an image briefpack can read", "use a PNG or JPEG file")]
    if fmt not in ("PNG", "JPEG"):
        return [(f"'{path.name}' is a {fmt} image", "convert it to PNG or JPEG")]
    if w * h > MAX_PIXELS:
        return [(f"'{path.name}' is {w}×{h} pixels, too large", f"use an image of at most {MAX_PIXELS:,} pixels")]
    if mode == "CMYK":
        return [(f"'{path.name}' is a CMYK JPEG (for print shops)", "save it as an RGB JPEG or PNG")]
    if max(w / h, h / w) > 12:  # before the size: 60000×3 is not "only" anything
        return [(f"'{path.name}' is {w}×{h} pixels, too long and thin to print",
                 "crop it to a shape no more than 12 times as wide as tall")]
    if w < 16 or h < 16:
        return [(f"'{path.name}' is only {w}×{h} pixels", "use a larger image")]
    return []


def font_folder(package: str) -> Path | None:
    """The files/ folder of an installed fontpkg package, found without importing it."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "files"


def _read_head(path: Path, size: int) -> bytes:
    """The first *size* bytes of a file."""
    with open(path, "rb") as fh:
        return fh.read(size)


def _unreadable(path: Path, exc: OSError) -> tuple[str, str]:
    return f"cannot read '{path.name}' ({exc.strerror})", "check that the file exists and that you may read it"


_damages: dict[str, str] = {}
"""_damage's answer for each image content (sha256) this run: a logo copied into many brands is decoded once."""


def _damage(path: Path) -> str:
    """Why a PNG or JPEG cannot be decoded whole ('' when it can): decoded once, here, not in a renderer."""
    try:
        data = path.read_bytes()
    except OSError:
        return "its image data is corrupt"
    key = hashlib.sha256(data).hexdigest()
    if key not in _damages:
        _damages[key] = _decoded_damage(data)
    return _damages[key]


def _decoded_damage(data: bytes) -> str:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.verify()  # a PNG's chunks and their checksums, up to its end chunk
        with Image.open(io.BytesIO(data)) as im:
            im.load()  # every pixel
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types for damaged files
        return "it is cut short" if "truncated" in str(exc).lower() else "its image data is corrupt"
    return ""


def check_font(path: Path, node: Node, problems: Problems, whole: bool = True) -> None:
    """Refuse files that are not TrueType (glyf) fonts (reportlab takes no CFF .otf), or are damaged.

    With *whole*, every table is checked against its checksum (fonts from the brand folder); for fonts
    from an installed package, only the tables reportlab parses on registering them (see fontfile.verify).
    Each version of a file is checked once per process: see filememo.
    """
    problems.extend([node.problem(message, fix) for message, fix in
                     filememo.once(("font", str(path), whole), path, lambda: _font_problems(path, whole))])


def _empty(path: Path) -> tuple[str, str]:
    """An image or font file with nothing in it (a copy or download that was cut off): 'not an image' it is not."""
    return (f"'{path.name}' is empty (0 bytes)", "copy the file again from where you got it")


def _font_problems(path: Path, whole: bool) -> list[tuple[str, str]]:
    """What is wrong with the font at *path*: (message, fix) for each problem."""
    from briefpack import fontfile

    try:
        head = _read_head(path, 4)
    except OSError as exc:
        return [_unreadable(path, exc)]
    if not head:
        return [_empty(path)]
    if head == b"OTTO":
        return [(f"'{path.name}' is an OpenType CFF font, which PDFs here cannot embed",
                 "use the TrueType (.ttf) version of the font")]
    if head not in (b"\x00\x01\x00\x00", b"true"):
        return [(f"'{path.name}' is not a TrueType font file", "copy the font file again from where you got it"
                 if path.suffix.lower() == ".ttf" else "name a .ttf font file")]
    what = fontfile.damage(path, whole)
    if not what:
        try:
            fontfile.info(path)
            fontfile.characters(path)
        except (fontfile.DamagedFont, OSError) as exc:
            what = f"'{path.name}' is a damaged font file: {exc}"
    return [(what, fontfile.mend(path))] if what else []


def _fonts(brand: Fields, key: str, folder: Path, problems: Problems) -> tuple[FontFaces, str] | None:
    """The four faces of 'fonts' or 'fallback', each file checked, and the font Word names.

    Faces not named are picked from the family's files in the package or brand folder; for the brand font,
    bold faces a variable font lacks are made from it (see fontfaces.py).
    """
    from briefpack import fontfaces

    f = Fields(brand.get(key), f"'{key}'", problems, FONT_KEYS, FONT_REQUIRED, where=brand.key_node(key))
    if not f.ok:
        return None
    word_font = f.text("word", "Arial")
    package = f.text("package")
    if package:
        found = font_folder(package) if FONT_PACKAGE.fullmatch(package) else None
        if not FONT_PACKAGE.fullmatch(package):
            problems.extend([f.at("package").problem(
                f"'{package}' is not a font package: their names start with fontpkg_ (e.g. fontpkg_lato)",
                "'briefpack fonts' lists the font packages installed and the 'fonts:' block to paste")])
            return None
        if found is None:
            problems.extend([f.at("package").problem(
                f"font package '{package}' is not installed",
                f"install it with 'pip install {package.replace('_', '-')}' and add it to pyproject.toml")])
            return None
        folder = found
    family = f.text("family", required=True)
    picked: dict[str, fontfaces.Face] = {}
    if family and not all(f.has(face) for face in fontfaces.FACES):
        picked = _picked_faces(f, family, package, folder, problems)
    faces: dict[str, Path | None] = {}
    for face in fontfaces.FACES:
        if not f.has(face):
            if face in picked:
                faces[face] = made = _made(f, picked[face] if key == "fonts" else fontfaces.Face(picked[face].file),
                                           problems)
                if made is not None:
                    check_font(made, f.at("family"), problems, whole=not package)
            continue
        name = f.text(face, required=True)
        if not name:
            continue
        if package:
            path = folder / name
            if "/" in name or "\\" in name or not path.is_file():
                here = sorted(p.name for p in folder.glob("*.ttf"))
                problems.extend([f.at(face).problem(
                    f"font package '{package}' has no file '{name}'{did_you_mean(name, here)}",
                    f"use one of: {', '.join(here)}")])
                continue
        else:
            inside = contained(folder, name, f.at(face), "font", problems)
            if inside is None:
                continue
            path = inside
        check_font(path, f.at(face), problems, whole=not package)
        font = fontfaces.read_font(path)
        if key == "fonts" and face in ("bold", "bold_italic") and font is not None and font.variable \
                and font.weight < fontfaces.BOLD <= font.weight_range[2]:
            faces[face] = _made(f, fontfaces.Face(font, fontfaces.WEIGHTS[face]), problems)  # a variable font's bold
        else:
            faces[face] = path
    if len(faces) != 4 or not all(faces.values()):
        return None
    return FontFaces(family=family, **faces), word_font  # type: ignore[arg-type]


def _picked_faces(f: Fields, family: str, package: str, folder: Path, problems: Problems) -> dict:
    """The family's faces found in the package or brand folder; a problem for each missing one."""
    from briefpack import fontfaces

    where = f"font package '{package}'" if package else f"the brand folder {display_path(folder)}"
    found = fontfaces.families(folder)
    if family not in found:
        fix = (f"use one of: {', '.join(found)}; 'briefpack fonts' lists every family you can use" if found else
               "'briefpack fonts' lists the families you can use")
        problems.extend([f.at("family").problem(f"{where} has no font family '{family}'"
                                                f"{did_you_mean(family, found)}", fix)])
        return {}
    picked = fontfaces.pick_faces(found[family])
    for face in fontfaces.FACES:
        if face not in picked and not f.has(face):
            problems.extend([f.at("family").problem(
                f"font family '{family}' in {where} has no {face.replace('_', ' ')} face",
                f"name a file for it in '{face}'")])
    return picked


def _made(f: Fields, face, problems: Problems) -> Path | None:  # noqa: ANN001 - a fontfaces.Face
    """The face's file, made from a variable font if it needs to be; None (with a problem) if that fails."""
    from briefpack import fontfaces

    try:
        return fontfaces.face_path(face)
    except Exception as exc:  # noqa: BLE001 - fontTools raises many types for fonts it cannot instance
        problems.extend([f.at("family").problem(
            f"cannot make a static face of '{face.file.path.name}' at weight {face.weight} ({type(exc).__name__})",
            "name static font files in 'regular', 'bold', 'italic' and 'bold_italic'")])
        return None
