"""The leak check: composed text that names another board of branding/, with the YAML it came from.

A pack rebuilt in another brand must not send staff to the first board's procedures. Every document's
composed text (not its citations, the credit line, or a source's summary quoted as background) is searched
for the identity of every other brand: its name, short name, `aliases:` and the domains of its addresses.
Each hit is a warning pointing at the YAML it came from; `--strict` makes it an error.
"""

from __future__ import annotations

import contextlib
import re
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from briefpack.frozen import frozen
from briefpack import filememo, yamlio
from briefpack.brandcheck import text_scalars
from briefpack.document import Document, texts
from briefpack.errors import BriefpackError, Problem, Problems, display_path
from briefpack.model import Brand, Library, Pack
from briefpack.yamlio import Mapping, Node, Scalar, Sequence

EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")
"""Reserved for examples (RFC 2606): they identify no board."""
FIX = ("write a board reference instead ({board}, {board_short}, {review_type} or {procedure:ID}), "
       "or quote it as background from the source (a section's 'sources:')")


@frozen
class Term:
    """One way a board is named: its name, short name, an alias, or a domain of its addresses."""

    text: str
    brand: str
    """The brand it identifies."""
    kind: str
    """'name', 'short name', 'alias' or 'address'."""

    @property
    def pattern(self) -> re.Pattern[str]:
        return _pattern(self.text, self.kind == "address")


@cache
def _pattern(text: str, address: bool) -> re.Pattern[str]:
    """Compiled once: a build of many brands looks for each of their terms in every document."""
    # Not preceded by a word character: said by a look behind placed after the first word, which checks the
    # character before it. The same matches as a look behind in front ('(?<!\w)Board\s+5…'), which keeps re
    # from scanning for the first word's letters: each document's text was searched three to ten times slower.
    if address:
        first = re.escape(text)
        return re.compile(rf"{first}(?<![\w-]{first})(?![\w-])", re.IGNORECASE)
    first, *rest = (re.escape(w) for w in text.split())
    # An acronym is matched as written ('LSCB', not 'lscb' inside a word list); a name in any case.
    flags = 0 if text.isupper() else re.IGNORECASE
    following = "".join(rf"\s+{w}" for w in rest)
    return re.compile(rf"{first}(?<!\w{first}){following}(?!\w)", flags)


def _read(path: Path) -> Node | None:
    """*path*'s YAML, read once per version of the file (see filememo); None when it is missing or broken (a
    broken brand is reported when it is built or checked)."""
    return filememo.once(("leaks: yaml", str(path)), path, lambda: _parsed(path))


def _parsed(path: Path) -> Node | None:
    try:
        return yamlio.read(path)
    except BriefpackError:
        return None


def domain(address: str) -> str:
    """'https://www.gscb.org.uk/x' -> 'gscb.org.uk'; 'a@gloucestershire.gov.uk' -> 'gloucestershire.gov.uk'."""
    host = address.rpartition("@")[2] if "@" in address and "//" not in address else (
        urlsplit(address).hostname or "")
    host = host.lower().removeprefix("www.")
    return "" if not host or "." not in host or host.endswith(EXAMPLE_DOMAINS) else host


def _texts(node: Node | None, key: str) -> list[str]:
    if not isinstance(node, Mapping) or key not in node.items:
        return []
    value = node.items[key][1]
    items = value.items if isinstance(value, Sequence) else [value]
    return [s.value.strip() for s in items if isinstance(s, Scalar) and s.value.strip()]


def _identity(brand_file: Path) -> tuple[tuple[str, str], ...]:
    """(kind, text) of what one brand.yaml itself says the board is called and where it lives on the web, found
    once per version of the file (see filememo)."""
    return filememo.once(("leaks: identity", str(brand_file)), brand_file, lambda: _identity_of(brand_file))


def _identity_of(brand_file: Path) -> tuple[tuple[str, str], ...]:
    root = _read(brand_file)
    found = [("name", t) for t in _texts(root, "name")] + [("short name", t) for t in _texts(root, "short_name")]
    found += [("alias", t) for t in _texts(root, "aliases")]
    if isinstance(root, Mapping) and "procedures" in root.items:
        procedures = root.items["procedures"][1]
        for item in procedures.items if isinstance(procedures, Sequence) else []:
            found += [("address", d) for u in _texts(item, "url") if (d := domain(u))]
    return tuple(dict.fromkeys(found))


def identity(branding: Path, brand_id: str, library: Library | None = None) -> tuple[Term, ...]:
    """Every term that names the board of brand *brand_id*.

    A brand that extends another shares its look, not its identity: what it says itself names it. But a
    brand that takes its name from the brand it extends (no 'name' of its own, or the same one) is the same
    board in another look, so that brand's identity is its too, each term still said to be that brand's.
    """
    terms: list[Term] = []
    seen: set[str] = set()
    current: str | None = brand_id
    while current and current not in seen:
        seen.add(current)
        terms += _stated(branding, current, library)
        current = _same_board(branding, current)
    return tuple(dict.fromkeys(terms))


def _parent(branding: Path, brand_id: str) -> str:
    """The brand *brand_id* extends ('default' unless it says otherwise; none for 'default')."""
    return (_texts(_read(branding / brand_id / "brand.yaml"), "extends") or
            ["" if brand_id == "default" else "default"])[0]


def _board_name(branding: Path, brand_id: str) -> str:
    """The board's name in brand *brand_id* or the nearest brand it extends (as brand.board_name)."""
    seen: set[str] = set()
    while brand_id and brand_id not in seen:
        seen.add(brand_id)
        if name := _texts(_read(branding / brand_id / "brand.yaml"), "name"):
            return name[0]
        brand_id = _parent(branding, brand_id)
    return ""


def _same_board(branding: Path, brand_id: str) -> str | None:
    """The brand *brand_id* extends, when it takes its name from it (see identity); else None."""
    parent = _parent(branding, brand_id)
    if not parent:
        return None
    name = _texts(_read(branding / brand_id / "brand.yaml"), "name")
    return parent if not name or name[0].casefold() == _board_name(branding, parent).casefold() else None


def _stated(branding: Path, brand_id: str, library: Library | None) -> list[Term]:
    """The terms brand *brand_id*'s own files state: name, short name, aliases, addresses."""
    path = branding / brand_id / "brand.yaml"
    root = _read(path)
    if root is None:
        return []
    terms = [Term(text, brand_id, kind) for kind, text in _identity(path)]
    if library is not None:
        for cid in _texts(root, "contacts"):
            contact = library.contacts.get(cid)
            if contact is not None:
                terms += [Term(d, brand_id, "address") for a in (contact.website, contact.email) if (d := domain(a))]
    # The board's own contacts: written out in brand.yaml, or in its contacts.yaml.
    for node in (root, _read(path.parent / "contacts.yaml")):
        items = node.items.get("contacts") if isinstance(node, Mapping) else None
        for item in items[1].items if items and isinstance(items[1], Sequence) else []:
            terms += [Term(d, brand_id, "address") for key in ("website", "email")
                      for a in _texts(item, key) if (d := domain(a))]
    return terms


def _chain_files(brand: Brand) -> list[Path]:
    """brand.yaml of *brand* and of every brand it extends."""
    files, seen = [], set()
    folder = brand.folder
    while (folder / "brand.yaml").is_file() and folder.name not in seen:
        seen.add(folder.name)
        files.append(folder / "brand.yaml")
        try:
            root = yamlio.read(folder / "brand.yaml")
        except BriefpackError:
            break
        parent = (_texts(root, "extends") or ["" if folder.name == "default" else "default"])[0]
        if not parent:
            break
        folder = folder.parent / parent
    return files


def library_nodes(pack: Pack) -> dict[str, Node]:
    """The YAML node of each library item by 'kind:id', read again: only a document that names another
    board needs them, to say where."""
    from briefpack.load import read_library
    from briefpack.project import Project

    nodes: dict[str, Node] = {}
    read_library(Project.of_pack(pack.path).library, Problems(), nodes)
    return nodes


def source_nodes(pack: Pack, library: Library, brand: Brand) -> list[tuple[Node | None, frozenset[str]]]:
    """The YAML whose text a document of *pack* in *brand* says as its own, each with keys to leave out."""
    own = pack.brand == brand.id
    pack_skip = frozenset({"brand", "sources", "date", "kind", "layout", "show"}
                          | (set() if own else {"contacts", "contacts_heading"}))
    try:
        pack_root = yamlio.read(pack.path)
    except BriefpackError:
        pack_root = None
    nodes: list[tuple[Node | None, frozenset[str]]] = [(pack_root, pack_skip)]
    ids = [("lessons", i) for s in pack.sections for i in s.lessons]
    ids += [("questions", i) for s in pack.sections for i in s.questions]
    ids += [("actions", i) for s in pack.sections for i in s.actions]
    ids += [("statistics", i) for s in pack.sections for i in s.statistics + (s.chart.statistics if s.chart else ())]
    ids += [("links", i) for s in pack.sections for i in s.links]
    ids += [("contacts", i) for i in (pack.contacts if own and pack.contacts else brand.contacts)]
    item_skip = frozenset({"id", "sources", "source", "themes"})
    items = library_nodes(pack)
    nodes += [(items.get(f"{kind}:{i}"), item_skip) for kind, i in ids]
    brand_skip = frozenset({"extends", "logo", "palette", "fonts", "fallback", "partners", "word_template",
                            "page_size", "aliases", "contacts"})
    for path in _chain_files(brand):
        for file, skip in ((path, brand_skip), (path.parent / "contacts.yaml", frozenset({"id"}))):
            with contextlib.suppress(BriefpackError):
                nodes.append((yamlio.read(file) if file.is_file() else None, skip))
    return nodes


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _reaches(scalar: Scalar, match: re.Match[str], said: str) -> bool:
    """Does the text around *match* in *scalar* reach the document (whose words are *said*)?"""
    before = re.findall(r"\w+", scalar.value[:match.start()])[-2:]
    after = re.findall(r"\w+", scalar.value[match.end():])[:2]
    term = re.findall(r"\w+", match.group())
    return any(f" {_words(' '.join(w))} " in f" {said} " for w in (term + after, before + term, term))


class Identities:
    """The terms of each brand of a branding folder, found once for all the documents of one build."""

    def __init__(self, library: Library | None = None) -> None:
        self.library = library
        self.names: dict[Path, list[str]] = {}
        self.terms: dict[tuple[Path, str], tuple[Term, ...]] = {}
        self.split: dict[tuple[Path, str], tuple[list[Term], list[Term]]] = {}

    def brands(self, branding: Path) -> list[str]:
        if branding not in self.names:
            self.names[branding] = sorted(p.name for p in branding.iterdir() if (p / "brand.yaml").is_file())
        return self.names[branding]

    def of(self, branding: Path, brand_id: str) -> tuple[Term, ...]:
        if (branding, brand_id) not in self.terms:
            self.terms[(branding, brand_id)] = identity(branding, brand_id, self.library)
        return self.terms[(branding, brand_id)]

    def own_and_others(self, branding: Path, brand_id: str) -> tuple[list[Term], list[Term]]:
        """The brand's own terms, longest first, and the other brands' terms that are not also its own."""
        key = (branding, brand_id)
        if key not in self.split:
            own = self.of(branding, brand_id)
            own_texts = {t.text.casefold() for t in own}
            others = [t for name in self.brands(branding) if name != brand_id for t in self.of(branding, name)
                      if t.text.casefold() not in own_texts]
            self.split[key] = (sorted(own, key=lambda t: -len(t.text)), others)
        return self.split[key]


def _tokens(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.casefold()))


@lru_cache(maxsize=4096)
def _term_tokens(text: str) -> frozenset[str]:
    """A term's words, found once. (Not the document's: a cache of every document's text, unbounded, held
    about 40 KiB for each document a build made, to the end of the run.)"""
    return _tokens(text)


def leak_warnings(pack: Pack, library: Library, brand: Brand, document: Document,
                  identities: Identities | None = None) -> list[Problem]:
    """A warning for each place the document of *pack* in *brand* names another brand of branding/.

    Give the *identities* of the build's other documents (of the same *library*) to find them once."""
    branding = brand.folder.parent
    identities = identities or Identities(library)
    own, others = identities.own_and_others(branding, brand.id)
    if not others:
        return []
    text = "\n".join(texts(document, background=False))  # what the board says itself, not what it quotes
    # A term can be found only where each of its words is: most are ruled out without a search.
    present = _tokens(text)
    # Taking out the board's own names only takes words out (they are cut at word boundaries): a term whose
    # words are not all here now is not found after it either.
    candidates = [t for t in others if _term_tokens(t.text) <= present]
    if not candidates:
        return []
    before = text
    for term in own:  # the board's own name may hold another's alias
        if _term_tokens(term.text) <= present:
            text = term.pattern.sub(" ", text)
    left: frozenset[str] | None = present if text is before else None  # the words left, found if needed

    def kept(term: Term) -> bool:
        nonlocal left
        if left is None:
            left = _tokens(text)
        return _term_tokens(term.text) <= left
    hits = [t for t in candidates if t.pattern.search(text) and kept(t)]
    if not hits:
        return []
    said = _words(text)
    warnings: list[Problem] = []
    nodes = source_nodes(pack, library, brand)
    for term in hits:
        places = []
        for node, skip in nodes:
            for scalar in text_scalars(node, skip):
                for m in term.pattern.finditer(scalar.value):
                    if _reaches(scalar, m, said):
                        places.append(scalar.problem_at(m.group(), ""))
                        break
        where = places or [Problem(display_path(pack.path), 0, 0, "")]
        what = {"name": "the name", "short name": "the short name", "alias": "a name",
                "address": "a web or email address"}[term.kind]
        warnings += [Problem(p.path, p.line, p.column, f"'{term.text}' is {what} of another board "
                             f"(brand '{term.brand}'), in a document for '{brand.id}'", FIX) for p in where]
    return list(dict.fromkeys(warnings))

