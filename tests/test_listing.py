"""`briefpack list`: what the library, packs and brands hold, and which packs use each item."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import EXAMPLE_BRANDS, EXAMPLE_PACKS


def test_lessons_with_a_theme_as_a_table(project: Path, run) -> None:
    result = run("list", "lessons", "--theme", "fathers")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "ID                            TITLE                                               THEMES"
        "                                           USED BY",
        "absent-men                    Absent men                                          fathers, record-keeping"
        "                          national-scr-precis",
        "fathers-involvement           Fathers                                             fathers, assessment"
        "                              lancashire-7mb",
        "training-for-evasive-parents  All need training to work with challenging and ev…  engaging-parents, "
        "disguised-compliance, fathers  ten-principles",
        "who-is-in-the-household       Who is in the household                             fathers, record-keeping"
        "                          bscb-key-learning-2014",
        "working-with-both-parents     Working with both parents                           fathers, engaging-parents"
        "                        bscb-key-learning-2014",
    ]


def test_json_for_scripts(project: Path, run) -> None:
    rows = json.loads(run("list", "lessons", "--json").stdout)
    assert {"id": "fathers-involvement", "title": "Fathers", "themes": ["fathers", "assessment"],
            "packs": ["lancashire-7mb"], "extra": {}} in rows
    packs = json.loads(run("list", "packs", "--json").stdout)
    assert [p["id"] for p in packs] == list(EXAMPLE_PACKS)
    assert packs[2]["extra"] == {"kind": "seven-minute-briefing", "brand": "lancashire"}


def test_unused_items_and_the_summary(project: Path, run) -> None:
    with open(project / "packs" / "library" / "actions.yaml", "a", encoding="utf-8") as fh:
        fh.write("  - id: read-the-review\n    text: Read the whole review.\n")
    assert run("list", "actions", "--unused").stdout == ("ID               TITLE                   USED BY\n"
                                                         "read-the-review  Read the whole review.  -\n")
    summary = run("list").stdout.splitlines()
    assert summary[0].split() == ["LIST", "ITEMS", "UNUSED"]
    assert summary[3].split() == ["actions", "4", "1"]
    assert summary[8].split() == ["packs", str(len(EXAMPLE_PACKS))]
    assert summary[9].split() == ["brands", str(len(EXAMPLE_BRANDS)), "0"]
    assert run("list", "sources", "--unused").stdout == "no unused sources found\n"


def test_brands_and_contacts_used_through_a_brand(project: Path, run) -> None:
    brands = run("list", "brands").stdout.splitlines()
    assert brands[0].split() == ["ID", "BOARD", "EXTENDS", "USED", "BY"]
    assert brands[2].split()[-2:] == ["national-scr-precis,", "ten-principles"]
    pack = project / "packs" / "lancashire-7mb.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("contacts: [lancashire-scp]\n", ""), encoding="utf-8")
    contacts = json.loads(run("list", "contacts", "--json").stdout)
    assert {c["id"]: c["packs"] for c in contacts}["lancashire-scp"] == ["lancashire-7mb"]  # the brand's contact


def test_mistakes(project: Path, run) -> None:
    wrong = run("list", "lessons", "--theme", "father")
    assert wrong.exit_code == 1
    assert wrong.stderr.startswith("packs/library: there is no theme 'father' (did you mean 'fathers'?) — use one "
                                   "of: adolescents, assessment, ")
    assert run("list", "actions", "--theme", "fathers").exit_code == 2
    assert "actions have no themes" in run("list", "actions", "--theme", "fathers").stderr
    pack = project / "packs" / "lancashire-7mb.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("fathers-involvement,", "fathers-involvment,"),
                    encoding="utf-8")
    result = run("list", "lessons", "--unused")
    assert result.exit_code == 0
    assert result.stdout.startswith("ID ") and "fathers-involvement" in result.stdout
    assert result.stderr == ("note: packs/lancashire-7mb.yaml has problems, so what it uses may be missing here — "
                             "run 'briefpack check lancashire-7mb' to see them\n")


def test_a_brand_that_extends_another_uses_its_contacts(project: Path, run) -> None:
    folder = project / "branding" / "lancashire-east"
    folder.mkdir()
    (folder / "brand.yaml").write_text("extends: lancashire\nname: East Lancashire\n", encoding="utf-8")
    pack = project / "packs" / "east.yaml"
    text = (project / "packs" / "lancashire-7mb.yaml").read_text(encoding="utf-8")
    pack.write_text(text.replace("brand: lancashire", "brand: lancashire-east").replace("contacts: [lancashire-scp]\n",
                                                                                        ""), encoding="utf-8")
    contacts = {c["id"]: c["packs"] for c in json.loads(run("list", "contacts", "--json").stdout)}
    assert contacts["lancashire-scp"] == ["east", "lancashire-7mb"]
