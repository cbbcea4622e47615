"""`briefpack fonts`: the font families a brand can use now, their faces, and the `fonts:` block to paste."""

from __future__ import annotations

import pkgutil
from pathlib import Path

from briefpack.frozen import frozen
from briefpack.brand import brand_names, font_folder
from briefpack.fontfaces import FACES, Face, families, pick_faces, read_font

SUGGESTED = (
    ("Open Sans", "fontpkg-open-sans"),
    ("Roboto", "fontpkg-roboto"),
    ("Inter", "fontpkg-inter"),
    ("Public Sans", "fontpkg-public-sans"),
    ("Source Sans 3", "fontpkg-source-sans-3"),
)
"""Well-made, legible families on PyPI, each with upright and italic variable fonts briefpack makes faces from."""


@frozen
class Family:
    """A family briefpack can use, and where it is."""

    name: str
    package: str
    """The fontpkg module ('fontpkg_lato'), or '' for a brand folder's own font."""
    brand: str
    """The brand folder holding it, or ''."""
    faces: dict[str, Face]


def installed_packages() -> list[str]:
    """The fontpkg_* modules installed, found without importing them."""
    return sorted(m.name for m in pkgutil.iter_modules() if m.name.startswith("fontpkg_") and m.name != "fontpkg")


def usable_families(branding: Path) -> list[Family]:
    """Families in installed fontpkg packages, then in brand folders."""
    out = []
    for package in installed_packages():
        folder = font_folder(package)
        for name, files in (families(folder) if folder else {}).items():
            out.append(Family(name, package, "", pick_faces(files)))
    for brand in brand_names(branding):
        for name, files in families(branding / brand).items():
            out.append(Family(name, "", brand, pick_faces(files)))
    return out


def unusable(branding: Path) -> list[str]:
    """Each .ttf file in a brand folder that is no family briefpack can use, with why: it was left out unsaid."""
    out = []
    for brand in brand_names(branding):
        for path in sorted((branding / brand).glob("*.[tT][tT][fF]")):
            font = read_font(path) if path.is_file() else None
            if font is not None and font.truetype and font.family:
                continue
            why = ("not a file (a folder, or a link that leads nowhere)" if not path.is_file() else
                   "not a font file, or a damaged one" if font is None else
                   "not TrueType (its outlines are CFF, as in most .otf fonts)" if not font.truetype else
                   "names no font family")
            out.append(f"branding/{brand}/{path.name}: {why}")
    return out


def face_text(face: Face | None) -> str:
    if face is None:
        return "missing — name a file for it"
    if face.weight is None:
        return face.file.path.name
    return f"made at weight {face.weight} from {face.file.path.name} (a variable font)"


def fonts_block(family: Family) -> list[str]:
    """The lines to paste into brand.yaml."""
    lines = ["fonts:", f"  family: {family.name}"]
    if family.package:
        lines.append(f"  package: {family.package}")
    return lines + ["  word: Arial                # Word files name a font every PC has"]


def report(branding: Path) -> str:
    """The text `briefpack fonts` prints."""
    found = usable_families(branding)
    out: list[str] = []
    for family in found:
        where = (f"pip package {family.package.replace('_', '-')}" if family.package else
                 f"brand folder branding/{family.brand}/")
        complete = all(face in family.faces for face in FACES)
        out.append(f"{family.name}  ({where}{'' if complete else '; some faces missing'})")
        out += [f"  {face.replace('_', ' ')}: {face_text(family.faces.get(face))}" for face in FACES]
        if complete:
            out.append("  paste into brand.yaml:")
            out += [f"    {line}" for line in fonts_block(family)]
        else:
            out.append("  name a file for each missing face under 'fonts:' in brand.yaml ('briefpack brand check' "
                       "says if the faces are right)")
        out.append("")
    have = {family.name for family in found}
    more = [(name, package) for name, package in SUGGESTED if name not in have]
    if more:
        out.append("More well-made families to install, then use as above:")
        width = max(len(package) for _, package in more)
        out += [f"  pip install {package.ljust(width)}  # {name}" for name, package in more]
        out.append("")
    out.append("A brand's own TrueType (.ttf) files go in its folder, branding/<brand>/; name the family and leave "
               "out 'package'.")
    if skipped := unusable(branding):
        out += ["", "Left out, as briefpack cannot use them:", *(f"  {line}" for line in skipped)]
    return "\n".join(out) + "\n"
