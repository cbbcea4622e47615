"""JSON Schemas of packs, library files and brand files, for editors' completion and checks as you type.

The keys come from the readers' own lists (load.py, brand.py), so a key they learn is in the schemas too;
a key whose value this module does not describe is allowed any value. briefpack reads every value as text,
so anything YAML may read as a number or a yes/no is allowed where text is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from briefpack.brand import (BRAND_KEYS, FONT_KEYS, FONT_REQUIRED, IMAGE_KEYS, OPTIONAL_VOCABULARY, PAGE_SIZES,
                             PALETTE_KEYS, PROCEDURE_KEYS, VOCABULARY_KEYS)
from briefpack.words import WORDS
from briefpack.load import (ITEM_FIELDS, LAYOUTS, LIBRARY_KINDS, PACK_KEYS, PACK_KINDS, PACK_REQUIRED, SECTION_KEYS,
                            SHOW, STATUSES)

SCHEMA = "https://json-schema.org/draft/2020-12/schema"
TEXT: dict[str, Any] = {"type": ["string", "number", "boolean"]}
ID: dict[str, Any] = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,79}$"}
IDS: dict[str, Any] = {"type": "array", "items": ID}
TEXTS: dict[str, Any] = {"type": "array", "items": TEXT}
COLOUR: dict[str, Any] = {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$",
                          "description": "A colour as '#RRGGBB', in quotes."}
DATE: dict[str, Any] = {"type": ["string", "number"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                        "description": "2017, 2017-01 or 2017-01-31."}
POINTS: dict[str, Any] = {"type": "array", "items": {"anyOf": [TEXT, {"$ref": "#/$defs/point"}]}}
DEFS = {"point": {"type": "object", "additionalProperties": False, "required": ["text"],
                  "properties": {"text": TEXT, "points": POINTS}}}

VALUES: dict[str, dict[str, Any]] = {
    "kind": {"enum": list(PACK_KINDS)}, "layout": {"enum": list(LAYOUTS)}, "show": {"enum": list(SHOW)},
    "status": {"enum": list(STATUSES)}, "date": DATE, "review_date": DATE,
    "brand": ID, "extends": ID, "id": ID, "source": ID,
    "contacts": IDS, "sources": IDS, "lessons": IDS, "questions": IDS, "actions": IDS, "statistics": IDS,
    "links": IDS, "themes": IDS,
    "points": POINTS, "services": TEXTS, "columns": {**TEXTS, "minItems": 2, "maxItems": 2},
    "page_size": {"enum": list(PAGE_SIZES)},
    "seven_minute_labels": {**TEXTS, "minItems": 7, "maxItems": 7},
    "kit": {"type": ["boolean", "string"], "enum": [True, False, "true", "false"]},
    "months": {**TEXTS, "minItems": 12, "maxItems": 12}, "aliases": TEXTS, "credit": TEXT,
    "language": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                 "description": "A language tag: en-GB, cy."},
}
"""What each key's value is; keys not here take text (or anything, for a key only the readers know)."""
TEXT_KEYS = ("kicker", "title", "subtitle", "intro", "contacts_heading", "label", "text", "after", "name",
             "short_name", "footer", "word_template", "kind", "board", "year", "url", "summary", "phone", "email",
             "website", "note", "value", "family", "package", "regular", "bold", "italic", "bold_italic", "word",
             "review_type", "version", "owner", "file", "alt", "returns")


def value(key: str) -> dict[str, Any]:
    if key in VALUES:
        return VALUES[key]
    return TEXT if key in TEXT_KEYS else {}


def mapping(keys: tuple[str, ...], required: tuple[str, ...] = (),
            special: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """An object with exactly *keys*: a misspelt key is shown as you type, as briefpack would report it."""
    special = special or {}
    return {"type": "object", "additionalProperties": False, "required": list(required),
            "properties": {key: special.get(key, value(key)) for key in keys}}


def pack_schema() -> dict[str, Any]:
    chart = mapping(("title", "statistics", "columns"), ("statistics",))
    section = mapping(SECTION_KEYS, special={"chart": chart})
    return {"$schema": SCHEMA, "title": "briefpack pack (packs/<id>.yaml)", "$defs": DEFS,
            **mapping(PACK_KEYS, PACK_REQUIRED, {"sections": {"type": "array", "items": section}})}


def library_schema() -> dict[str, Any]:
    lists = {kind: {"type": "array", "items": mapping(ITEM_FIELDS[kind][0], ("id", *ITEM_FIELDS[kind][1]),
                                                     {"kind": TEXT})}
             for kind in LIBRARY_KINDS}
    return {"$schema": SCHEMA, "title": "briefpack library file (packs/library/*.yaml)", "$defs": DEFS,
            **mapping(LIBRARY_KINDS, special=lists)}


def brand_schema() -> dict[str, Any]:
    image = mapping(IMAGE_KEYS, IMAGE_KEYS)
    fonts = mapping(FONT_KEYS, FONT_REQUIRED)
    special = {"logo": image, "partners": {"type": "array", "items": image},
               "palette": mapping(PALETTE_KEYS, special={role: COLOUR for role in PALETTE_KEYS}),
               "fonts": fonts, "fallback": fonts,
               "procedures": {"type": "array", "items": mapping(PROCEDURE_KEYS, ("title", "url"))},
               "contacts": {"type": "array", "items": {"anyOf": [ID, mapping(ITEM_FIELDS["contacts"][0],
                                                                            ("id", "name"))]}},
               "vocabulary": mapping(VOCABULARY_KEYS + OPTIONAL_VOCABULARY, special={
                   "words": mapping(tuple(WORDS), special={key: TEXT for key in WORDS})})}
    return {"$schema": SCHEMA, "title": "briefpack brand (branding/<name>/brand.yaml)",
            **mapping(BRAND_KEYS, special=special)}


SCHEMAS = {"pack": pack_schema, "library": library_schema, "brand": brand_schema}


def write_schemas(folder: Path) -> list[Path]:
    """Write <kind>.schema.json for each kind into *folder*; return the files written."""
    from briefpack.errors import BriefpackError, Problem, display_path
    from briefpack.output import atomic_write, why

    written: list[Path] = []
    # A folder of a schema's name: replacing it said only 'cannot write the schemas here (Is a directory)', of
    # the schemas/ folder, after writing the schemas before it. Each is named, before anything is written.
    folders = [Problem(display_path(path), 0, 0, "this is a folder, not a file, so the schema cannot be written "
                       "here", "move or rename the folder, or choose another with --out")
               for name in SCHEMAS if (path := folder / f"{name}.schema.json").is_dir()]
    if folders:
        raise BriefpackError(folders)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, make in SCHEMAS.items():
            path = folder / f"{name}.schema.json"
            atomic_write(path, (json.dumps(make(), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
            written.append(path)
    except OSError as exc:  # a folder that cannot be made (under /proc, a link in a circle) or written to
        reason, fix = why(exc)
        raise BriefpackError([Problem(display_path(folder), 0, 0, f"cannot write the schemas here ({reason})", fix)],
                             nothing_written=not written) from None
    return written
