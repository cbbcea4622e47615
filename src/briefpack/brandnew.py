"""Start a new brand: a brand.yaml that extends another, and a generated wordmark logo."""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path

from briefpack.brand import brand_names, load_brand, where_set
from briefpack.errors import BriefpackError, Problem, did_you_mean, display_path
from briefpack.model import Brand
from briefpack.output import atomic_write, why
from briefpack.project import a_device, require_branding
from briefpack.schema import long_id
from briefpack.wordmark import wordmark_png
from briefpack.yamlio import Mapping, Scalar, Sequence

WRITTEN = ("brand.yaml", "logo.png")
"""The files a new brand's folder is given."""
MAX_NAME = 40
NAME = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{MAX_NAME - 1}}}")


def place_name(brand_id: str) -> str:
    """'north-somerset' -> 'North Somerset'."""
    return " ".join(w.capitalize() for w in brand_id.split("-"))


def board_name(brand_id: str) -> str:
    """'north-somerset' -> 'North Somerset Safeguarding Children Partnership'."""
    return place_name(brand_id) + " Safeguarding Children Partnership"


def short_name(brand_id: str) -> str:
    """'north-somerset' -> 'NSSCP'."""
    return "".join(w[0] for w in brand_id.split("-") if w).upper() + "SCP"


def procedures_yaml(branding: Path) -> str:
    """The default brand's example procedures, for the new board to replace with its own.

    Never another board's: a brand made --from lancashire must not send its staff to Lancashire's procedures.
    """
    examples = load_brand(branding, "default").procedures if "default" in brand_names(branding) else ()
    if not examples:
        return ("procedures: []                # e.g. - {id: escalation, title: Resolving professional "
                "disagreements, url: https://…}\n")
    lines = ["procedures:                   # texts refer to these by id, e.g. {procedure:escalation}:",
             "                              # replace each example title and address with your board's own"]
    for link in examples:
        lines += [f"  - id: {link.id}" if link.id else "  -",
                  f"    title: {json.dumps(link.title, ensure_ascii=False)}", f"    url: {json.dumps(link.url)}"]
    return "\n".join(lines) + "\n"


def new_brand(branding: Path, brand_id: str, parent: str) -> list[Path]:
    """Write branding/<brand_id>/ extending *parent*; return the files written."""
    require_branding(branding)
    where = display_path(branding / brand_id)
    unresolved = f"{display_path(branding)}/{brand_id}"  # 'branding/../x', not the 'x' it resolves to
    if brand_id == "all":
        raise BriefpackError([Problem(where, 0, 0, "'all' cannot be a brand name: 'build --brand all' means "
                                      "every brand", "choose another name, e.g. 'north-somerset'")])
    device = a_device(brand_id, "a brand name", "folders", f"{brand_id}-scp") if NAME.fullmatch(brand_id) else None
    if not NAME.fullmatch(brand_id) or device:
        raise BriefpackError([Problem(unresolved, 0, 0, *(
            device or long_id(brand_id, "a brand name", MAX_NAME)
            or (f"'{brand_id}' cannot be a brand name",
                "use lower-case letters, digits and hyphens, e.g. 'north-somerset'")))])
    folder = branding / brand_id
    # A folder made by hand, with neither file this writes, is filled in (the fonts put there stay); else nothing
    # of the user's is replaced.
    made = not (folder.is_dir() and not folder.is_symlink() and not any(os.path.lexists(folder / name)
                                                                        for name in WRITTEN))
    if made and os.path.lexists(folder):
        raise BriefpackError([_taken(folder, unresolved)])
    if parent not in brand_names(branding):
        raise BriefpackError([Problem(display_path(branding), 0, 0,
                                      f"unknown brand '{parent}'{did_you_mean(parent, brand_names(branding))}",
                                      f"use one of: {', '.join(brand_names(branding))}")])
    base = load_brand(branding, parent)
    name, short = board_name(brand_id), short_name(brand_id)
    try:
        if made:
            folder.mkdir()
    except FileExistsError:  # made meanwhile: never replace a user's work
        raise BriefpackError([_taken(folder, unresolved)]) from None
    except OSError as exc:  # a read-only or full disk, a folder the user may not write to
        reason, fix = why(exc, out=False)
        raise BriefpackError([Problem(unresolved, 0, 0, f"cannot make the brand's folder ({reason})", fix)]) from None
    try:
        return _write_brand(branding, folder, brand_id, parent, base, name, short)
    except OSError as exc:
        reason, fix = why(exc, out=False)
        raise BriefpackError([Problem(unresolved, 0, 0, f"cannot write the brand ({reason})", fix)]) from None
    finally:  # stopped (Ctrl-C) or failed before anything was written: leave no empty brand
        with contextlib.suppress(OSError):
            if made and not any(folder.iterdir()):
                folder.rmdir()


def _taken(folder: Path, where: str) -> Problem:
    """Why branding/NAME cannot be made: a brand, a file, or a link (to a drive not mounted now?) is there."""
    if not folder.exists():  # a link to nothing: replacing it would lose where it led
        return Problem(where, 0, 0, f"this brand already exists as a link to {os.readlink(folder)}, which is not "
                       "there now", "mount or restore what it links to, or delete the link, or choose another name")
    if not folder.is_dir():
        return Problem(where, 0, 0, "there is a file of this name in branding/",
                       "rename or move the file, or choose another name")
    if not os.path.lexists(folder / "brand.yaml"):  # a folder made by hand, with a logo.png of its own
        return Problem(where, 0, 0, "there is a folder of this name without a brand.yaml, and its logo.png would be "
                       "replaced", f"write {where}/brand.yaml yourself (see branding/README.md), or move logo.png "
                       "out of the folder and run this again")
    return Problem(where, 0, 0, "this brand already exists", f"edit {where}/brand.yaml, or choose another name")


def _write_brand(branding: Path, folder: Path, brand_id: str, parent: str, base: Brand, name: str,
                 short: str) -> list[Path]:
    p = base.palette
    place = place_name(brand_id)
    logo = folder / WRITTEN[1]
    atomic_write(logo, wordmark_png(short, name, p.primary, p.accent, p.text, base.fonts.bold, base.fonts.regular))
    yaml_text = f"""# {name}: a new brand. It extends '{parent}', so it needs only what differs.
# Change the lines below, then: briefpack brand check {brand_id}
#                         and: briefpack build --all --brand {brand_id}
# Every key is described in branding/README.md.
extends: {parent}
name: {name}
short_name: {short}
# aliases: [{place}]{' ' * max(1, 17 - len(place))}# other names text may use for your board (the place, old names):
                              # other boards' builds warn when they find them
# fonts:                      # 'briefpack fonts' lists the families you can use, with the lines to paste here
logo:
  file: logo.png              # a wordmark briefpack drew; replace it with your own PNG or JPEG
  alt: {name}
palette:                      # colours in quotes, '#RRGGBB'
  primary: '#{p.primary.hex.lower()}'
  accent: '#{p.accent.hex.lower()}'
footer: {name}
contacts: []                  # your contacts' ids, from contacts.yaml in this folder (write it as
                              # packs/library/contacts.yaml is written) or from packs/library/contacts.yaml
{procedures_yaml(branding)}"""
    atomic_write(folder / WRITTEN[0], yaml_text.encode("utf-8"))
    return [folder / "brand.yaml", logo]


def example_address_warnings(brand: Brand) -> tuple[str, ...]:
    """A warning for each of the default brand's example procedure addresses that *brand* (not default itself)
    still gives, at the place in its files that writes it.

    'brand new' copies them for the new board to replace, so that the library's {procedure:…} references work
    at once; a briefing built before they are replaced sends staff to www.example.org. Read from the files (as
    briefpack new pack's example sentences are), so a check and every build say it, however it was begun.
    """
    branding = brand.folder.parent
    if brand.id == "default":
        return ()
    examples = {url.value for url, _ in _procedure_urls(branding, "default")}
    kept = {link.url for link in brand.procedures} & examples
    written = _procedure_urls(branding, brand.id)
    if not kept or written and written[0][1] == display_path(branding / "default" / "brand.yaml"):
        return ()  # none, or the default brand's own list (the brand lists no procedures of its own)
    return tuple(str(url.problem_at(url.value, f"'{url.value}' is the default brand's example address, not a page "
                                    f"of {brand.name}", "put the address of your board's own page there"))
                 for url, _ in written if url.value in kept)


def _procedure_urls(branding: Path, brand_id: str) -> list[tuple[Scalar, str]]:
    """Each procedure address written in the nearest file of *brand_id*'s extends chain that lists procedures (read
    leniently), with that file."""
    procedures = where_set(branding, brand_id, ("procedures",))
    if not isinstance(procedures, Sequence):
        return []
    return [(item.items["url"][1], procedures.path) for item in procedures.items
            if isinstance(item, Mapping) and "url" in item.items and isinstance(item.items["url"][1], Scalar)]
