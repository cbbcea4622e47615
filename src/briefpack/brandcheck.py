"""Check a brand as a reader and a printer would: contrast, fonts, characters and logo."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING
from pathlib import Path

from briefpack.frozen import frozen
from briefpack import fontfile
from briefpack.errors import Problem, did_you_mean, display_path
from briefpack.markup import MarkupError, Reference, references
from briefpack.model import WHITE, Brand, Colour
from briefpack.project import yaml_files
from briefpack.yamlio import Mapping, Node, Scalar, Sequence

if TYPE_CHECKING:
    from briefpack.load import Project

NORMAL_TEXT = 4.5
"""WCAG 2.1 AA minimum contrast for text."""
LARGE_TEXT = 3.0
"""WCAG 2.1 AA minimum for large text (18 pt, or 14 pt bold) and for graphics."""
LOGO_PRINTED_MM = 70.0
"""The widest a logo is printed (the PDF header)."""
LOGO_MIN_DPI = 150


@frozen
class Check:
    """One line of the report."""

    name: str
    ok: bool
    detail: str
    keys: tuple[tuple[str, ...], ...] = ()
    """The brand.yaml keys whose values this check judges (('palette', 'muted'), …): a build's problem points at
    the one written in the nearest brand file."""


def contrast_pairs(brand: Brand) -> list[tuple[str, Colour, Colour, float]]:
    """Every foreground/background pair the layouts use, with the ratio it needs."""
    return [(name, fg, bg, need) for name, fg, bg, need, _ in _contrast_pairs(brand)]


def _contrast_pairs(brand: Brand) -> list[tuple[str, Colour, Colour, float, tuple[str, ...]]]:
    """contrast_pairs, each with the palette roles its two colours come from."""
    p = brand.palette
    tint = p.primary.mix(p.background, 0.92)
    on_primary = WHITE if p.primary.contrast(WHITE) >= NORMAL_TEXT else p.text
    return [
        ("body text on the page", p.text, p.background, NORMAL_TEXT, ("text", "background")),
        ("small print and footer (muted) on the page", p.muted, p.background, NORMAL_TEXT, ("muted", "background")),
        ("headings, links and bullets (primary) on the page", p.primary, p.background, NORMAL_TEXT,
         ("primary", "background")),
        ("the kicker line (accent) on the page", p.accent, p.background, NORMAL_TEXT, ("accent", "background")),
        ("section numbers and table headings on primary", on_primary, p.primary, NORMAL_TEXT, ("primary", "text")),
        # The tint is nearly the background (8 % of primary): it is what a board changes to mend these.
        ("text in contact boxes and tiles (tinted)", p.text, tint, NORMAL_TEXT, ("text", "background")),
        ("headings in contact boxes and tiles (tinted)", p.primary, tint, NORMAL_TEXT, ("primary", "background")),
        ("rules, badges and chart bars (graphics) on the page", p.primary, p.background, LARGE_TEXT,
         ("primary", "background")),
    ]


def check_contrast(brand: Brand) -> list[Check]:
    checks = []
    for name, fg, bg, need, roles in _contrast_pairs(brand):
        ratio = fg.contrast(bg)
        ok = ratio >= need
        detail = f"#{fg.hex} on #{bg.hex}: {ratio:.2f}:1 (needs {need:g}:1)"
        checks.append(Check(f"contrast: {name}", ok, detail if ok else detail + " — choose a darker or lighter "
                            "colour in 'palette'", tuple(("palette", role) for role in roles)))
    return checks


def check_fonts(brand: Brand) -> list[Check]:
    checks = []
    for role, faces in (("brand font", brand.fonts), ("fallback font", brand.fallback)):
        for face in ("regular", "bold", "italic", "bold_italic"):
            path = getattr(faces, face)
            weight, italic, angle, truetype = fontfile.info(path)
            if not truetype:
                checks.append(Check(f"{role} {face}", False, f"{path.name} has no TrueType outlines — use a "
                                    ".ttf font with TrueType (glyf) outlines",
                                    (("fonts" if role == "brand font" else "fallback", face),)))
    fonts = brand.fonts
    bold_weight = fontfile.info(fonts.bold)[0]
    italic_info = fontfile.info(fonts.italic)
    real_bold = fonts.bold != fonts.regular and bold_weight >= 600
    real_italic = fonts.italic != fonts.regular and (italic_info[1] or italic_info[2] != 0)
    checks.append(Check("fonts: TrueType, embeddable", all(c.ok for c in checks),
                        f"{fonts.family}, fallback {brand.fallback.family}", tuple(k for c in checks for k in c.keys)))
    checks.append(Check("fonts: a real bold face", real_bold,
                        f"{fonts.bold.name}, weight {bold_weight}" if real_bold else
                        f"'{fonts.bold.name}' is not a bold face (weight {bold_weight}) — name the family's Bold file",
                        (("fonts", "bold"),)))
    checks.append(Check("fonts: a real italic face", real_italic,
                        f"{fonts.italic.name}" if real_italic else
                        f"'{fonts.italic.name}' is not an italic face — name the family's Italic file",
                        (("fonts", "italic"),)))
    return checks


def check_logo(brand: Brand) -> list[Check]:
    from PIL import Image

    with Image.open(brand.logo) as im:
        fmt, (w, h) = im.format, im.size
    printed_mm = min(LOGO_PRINTED_MM, 17.0 * w / h)
    dpi = w / (printed_mm / 25.4)
    ok = dpi >= LOGO_MIN_DPI
    detail = f"{brand.logo.name}: {fmt}, {w}×{h} pixels, {dpi:.0f} dpi at {printed_mm:.0f} mm wide"
    return [Check("logo: format, size and resolution", ok,
                  detail if ok else detail + f" — use an image at least {round(printed_mm / 25.4 * LOGO_MIN_DPI)} "
                  "pixels wide", (("logo", "file"),))]


_covered: dict[tuple[frozenset[str], frozenset[str]], frozenset[str]] = {}
"""The union for each pair of character sets: brands copied from each other share their fonts."""


def covered(brand: Brand) -> frozenset[str]:
    """Every character the brand's regular face or its fallback can draw."""
    key = fontfile.characters(brand.fonts.regular), fontfile.characters(brand.fallback.regular)
    found = _covered.get(key)  # a frozenset keeps its hash: the same sets again are found at once
    if found is None:
        if len(_covered) >= 8:
            _covered.clear()
        found = _covered[key] = key[0] | key[1] | fontfile.SPACES
    return found


def text_scalars(node: Node | None, skip: frozenset[str] = frozenset()) -> Iterator[Scalar]:
    """Every scalar value (not key) under *node*, leaving out the values of keys in *skip* at any depth."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, Scalar):
            yield current
        elif isinstance(current, Sequence):
            stack.extend(reversed(current.items))
        elif isinstance(current, Mapping):
            stack.extend(value for key, (_, value) in reversed(list(current.items.items())) if key not in skip)


_RIGHT_TO_LEFT = "\u0590-\u08ff\ufb1d-\ufdcf\ufdf0-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff"
"""Hebrew, Arabic, Syriac, Thaana, N'Ko and the other right-to-left scripts, with their presentation forms."""
_SHAPED = ("\u0900-\u0dff"  # Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala
           "\u0e00-\u0fff"  # Thai, Lao, Tibetan
           "\u1000-\u109f\u1780-\u18af\u19e0-\u19ff\u1a20-\u1aaf\u1b00-\u1bbf\u1cd0-\u1cff"
           "\ua8e0-\ua8ff\ua980-\ua9ff\uaa60-\uaadf\U00011fc0-\U00011fff")
"""Scripts whose letters join, reorder or stack: reportlab draws them one by one, in the wrong shapes."""
UNSUPPORTED = re.compile(f"([{_RIGHT_TO_LEFT}])|[{_SHAPED}]")
LAYOUT_SPACE = frozenset(" \t\r\n")


def character_problems(brand: Brand, nodes: Iterable[Node | None]) -> list[Problem]:
    """A problem for each text in *nodes* in a script briefpack cannot draw, and for each character no
    font of *brand* has.

    Linear in the text and cheap: a regex finds the scripts, set difference the missing characters.
    """
    have = covered(brand) | LAYOUT_SPACE
    problems = []
    for scalar in (s for node in nodes for s in text_scalars(node)):
        text = scalar.value
        chars = set(text)  # looked for among the distinct characters first: the regex's ranges are slow
        if UNSUPPORTED.search("".join(chars)) is not None and (m := UNSUPPORTED.search(text)) is not None:
            ch = m.group()
            name = unicodedata.name(ch, f"U+{ord(ch):04X}")
            if m.group(1):
                problems.append(scalar.problem(
                    f"right-to-left text ('{ch}', {name}) is not supported yet",
                    "keep briefings in left-to-right scripts; put translations in a separate document"))
            else:
                problems.append(scalar.problem(
                    f"{name.split()[0].capitalize()} text ('{ch}', {name}) needs shaping that briefpack's PDF "
                    "writer cannot do, so its letters would be drawn wrongly",
                    "keep briefings in scripts such as Latin, Greek or Cyrillic; put translations in a "
                    "separate document"))
            continue
        missing = chars.difference(have)
        for ch in sorted(missing, key=text.index):
            problems.append(scalar.problem(
                f"character '{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}) is in neither "
                f"the brand font ({brand.fonts.family}) nor its fallback ({brand.fallback.family})",
                "replace it, or give the brand a 'fallback' font that has it"))
    return problems


def procedure_references(nodes: Iterable[Node | None]) -> Iterator[tuple[Scalar, Reference]]:
    """Every {procedure:ID} written in *nodes*, with the scalar it is in."""
    for scalar in (s for node in nodes for s in text_scalars(node)):
        if "{" not in scalar.value:
            continue
        try:
            found = references(scalar.value)
        except MarkupError:
            continue  # reported where the text was read
        yield from ((scalar, ref) for ref in found if ref.name == "procedure")


def procedure_problems(brand: Brand, nodes: Iterable[Node | None]) -> list[Problem]:
    """A problem for each {procedure:ID} in *nodes* that *brand* has no procedure for."""
    return missing_procedures(brand, procedure_references(nodes))


def missing_procedures(brand: Brand, found: Iterable[tuple[Scalar, Reference]]) -> list[Problem]:
    """A problem for each {procedure:ID} *found* (see procedure_references) that *brand* has no procedure for."""
    known = [link.id for link in brand.procedures if link.id]
    missing = [(scalar, ref) for scalar, ref in found if ref.arg not in known]
    where = display_path(brand.folder / "brand.yaml") if missing else ""
    return [scalar.problem_at(ref.text, f"{where} has no procedure '{ref.arg}'{did_you_mean(ref.arg, known)}",
                              "add it under procedures:") for scalar, ref in missing]


def project_nodes(library_folder: Path, pack_files: Iterable[Path]) -> list[Node | None]:
    """The YAML of every library file and pack that can be read (the others are reported when built)."""
    from briefpack import yamlio
    from briefpack.errors import BriefpackError

    nodes = []
    for path in [*yaml_files(library_folder), *pack_files]:
        try:
            nodes.append(yamlio.read(path))
        except BriefpackError:
            continue
    return nodes


def check_procedures(brand: Brand, nodes: list[Node | None]) -> list[Check]:
    """Every {procedure:ID} the library and packs write is one the brand has."""
    problems = procedure_problems(brand, nodes)
    if not problems:
        ids = sorted({ref.arg for _, ref in procedure_references(nodes)})
        return [Check("procedures: every one the library and packs refer to", True,
                      ", ".join(ids) if ids else "none is referred to")]
    return [Check("procedures", False, str(p)) for p in problems]


def check_partners(brand: Brand) -> list[Check]:
    """Each partner logo is sharp enough where it is printed (in a 34 × 14 mm box)."""
    from PIL import Image

    checks = []
    for path, alt in brand.partners:
        with Image.open(path) as im:
            w, h = im.size
        printed_mm = min(14.0, 34.0 * h / w)
        dpi = h / (printed_mm / 25.4)
        ok = dpi >= LOGO_MIN_DPI
        detail = f"{path.name} ({alt}): {w}×{h} pixels, {dpi:.0f} dpi at {printed_mm:.0f} mm tall"
        checks.append(Check("partner logo", ok, detail if ok else detail + " — use an image at least "
                            f"{round(printed_mm / 25.4 * LOGO_MIN_DPI)} pixels tall", (("partners",),)))
    return checks


def check_characters(brand: Brand, nodes: list[Node | None]) -> list[Check]:
    problems = character_problems(brand, nodes)
    if not problems:
        return [Check("characters: every character of the library and packs", True,
                      f"all drawn by {brand.fonts.family} or {brand.fallback.family}")]
    return [Check("characters", False, str(p)) for p in problems]


def run_checks(brand: Brand, library_folder: Path | None = None, pack_files: Iterable[Path] = ()) -> list[Check]:
    """All the checks; characters and procedures only when a library is given."""
    checks = check_contrast(brand) + check_fonts(brand) + check_logo(brand) + check_partners(brand)
    if library_folder is not None:
        nodes = project_nodes(library_folder, pack_files)
        checks += check_characters(brand, nodes) + check_procedures(brand, nodes)
    return checks


def check_brand(project: Project, name: str) -> list[Check]:
    """Load brand *name* of *project* (raising its problems, contacts checked against the library) and check it."""
    from briefpack.brand import load_brand
    from briefpack.errors import Problems
    from briefpack.load import read_library

    library = read_library(project.library, Problems()) if project.library.is_dir() else None
    brand = load_brand(project.branding, name, library=library if library and library.complete else None)
    return run_checks(brand, project.library, yaml_files(project.packs)) + check_font_files(brand)


def check_font_files(brand: Brand) -> list[Check]:
    """Every font file's tables against their checksums, installed font packages' fonts too.

    Only here, not in every build: a build checksums only the tables of a package's fonts that reportlab
    parses on registering them, since checksumming the glyphs too costs about half a build's CPU, and
    pip has already checked the files it unpacked. 'brand check' is where a board looks when its PDFs
    draw wrong letters.
    """
    damaged = [f"{what} — {fontfile.mend(path)}" for path in dict.fromkeys(brand.fonts.files + brand.fallback.files)
               if (what := fontfile.damage(path))]
    if damaged:
        return [Check("fonts: files intact", False, "; ".join(damaged))]
    return [Check("fonts: files intact", True, "every table matches its checksum")]


def build_problems(brand: Brand) -> list[Problem]:
    """What stops a build: any failing brand check (characters are checked per document), each at the value it
    judges, in the nearest brand file that writes it (a colour the brand inherits is in its parent's file)."""
    from briefpack.brand import where_set

    where = display_path(brand.folder / "brand.yaml")
    problems = []
    for c in run_checks(brand):
        if c.ok:
            continue
        node = where_set(brand.folder.parent, brand.id, *c.keys)
        problems.append(Problem(node.path if node else where, node.line if node else 0, node.column if node else 0,
                                f"brand '{brand.id}' fails its check: {c.name}: {c.detail}",
                                f"run 'briefpack brand check {brand.id}' for the full report"))
    return problems
