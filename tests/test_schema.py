"""`briefpack schema`: JSON Schemas every example validates against, and that catch what briefpack would."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from conftest import EXAMPLE_BRANDS, EXAMPLE_PACKS


def plain(node):  # noqa: ANN001, ANN201 - a yamlio node
    """The YAML as briefpack reads it: every value text."""
    from briefpack.yamlio import Mapping, Sequence

    if isinstance(node, Mapping):
        return {key: plain(value) for key, (_, value) in node.items.items()}
    if isinstance(node, Sequence):
        return [plain(item) for item in node.items]
    return node.value


def typed(value):  # noqa: ANN001, ANN201
    """The YAML as an editor reads it: numbers, yes/no and dates typed (dates as text, as YAML 1.2 has them)."""
    if isinstance(value, dict):
        return {key: typed(v) for key, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return value.isoformat() if isinstance(value, datetime.date) else value


def examples(project: Path) -> list[tuple[str, Path]]:
    files = [("pack", project / "packs" / f"{pack}.yaml") for pack in EXAMPLE_PACKS]
    files += [("library", path) for path in sorted((project / "packs" / "library").glob("*.yaml"))]
    files += [("brand", project / "branding" / brand / "brand.yaml") for brand in EXAMPLE_BRANDS]
    return files


def test_every_example_is_valid(project: Path, run) -> None:
    import jsonschema
    import yaml

    from briefpack import yamlio

    result = run("schema")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:3] == ["wrote schemas/pack.schema.json", "wrote schemas/library.schema.json",
                                              "wrote schemas/brand.schema.json"]
    schemas = {kind: json.loads((project / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
               for kind in ("pack", "library", "brand")}
    checked = 0
    for kind, path in examples(project):
        validator = jsonschema.Draft202012Validator(schemas[kind])
        for data in (plain(yamlio.read(path)), typed(yaml.safe_load(path.read_text(encoding="utf-8")))):
            errors = [f"{path.name}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
                      for e in validator.iter_errors(data)]
            assert errors == []
            checked += 1
    assert checked == 2 * len(examples(project))


@pytest.mark.parametrize(("kind", "file", "old", "new", "error"), [
    ("pack", "packs/lancashire-7mb.yaml", "subtitle:", "subtitel:", "Additional properties are not allowed"),
    ("pack", "packs/lancashire-7mb.yaml", "kind: seven-minute-briefing", "kind: seven-minute-brief",
     "'seven-minute-brief' is not one of"),
    ("pack", "packs/lancashire-7mb.yaml", "date: 2017-01", "date: January 2017", "does not match"),
    ("library", "packs/library/lessons.yaml", "title: Fathers", "titel: Fathers", "'title' is a required property"),
    ("brand", "branding/lancashire/brand.yaml", "primary: '#8a1538'", "primary: '#8a153'", "does not match"),
    ("brand", "branding/lancashire/brand.yaml", "family: Lato", "familly: Lato", "'family' is a required property"),
])
def test_a_mistake_is_shown(project: Path, kind: str, file: str, old: str, new: str, error: str) -> None:
    import jsonschema

    from briefpack import yamlio
    from briefpack.editorschema import SCHEMAS

    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    validator = jsonschema.Draft202012Validator(SCHEMAS[kind]())
    messages = [e.message for e in validator.iter_errors(plain(yamlio.read(path)))]
    assert any(error in m for m in messages), messages


def test_the_schemas_know_every_key_the_readers_know() -> None:
    from briefpack.brand import BRAND_KEYS
    from briefpack.editorschema import SCHEMAS
    from briefpack.load import ITEM_FIELDS, PACK_KEYS, SECTION_KEYS

    pack = SCHEMAS["pack"]()
    assert list(pack["properties"]) == list(PACK_KEYS)
    assert list(pack["properties"]["sections"]["items"]["properties"]) == list(SECTION_KEYS)
    library = SCHEMAS["library"]()
    assert {k: list(v["items"]["properties"]) for k, v in library["properties"].items()} == {
        k: list(keys) for k, (keys, _) in ITEM_FIELDS.items()}
    assert list(SCHEMAS["brand"]()["properties"]) == list(BRAND_KEYS)
