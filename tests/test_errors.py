"""Every mistake gives path:line:col, what is wrong and how to fix it; all at once; exit 1; nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

PACK = "packs/lancashire-7mb.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CASES = [
    pytest.param(PACK, "lessons: [engaging-with-parents, disguised-compliance-risk]",
                 "lessons: [engaging-with-parents, disguised-compliance-risk, engaging-with-parents]",
                 "packs/lancashire-7mb.yaml:16:65: lesson 'engaging-with-parents' is listed twice in 'lessons' "
                 "(first at line 16, column 15) — remove one of them",
                 id="lesson-twice"),  # was accepted, and printed twice
    pytest.param(PACK, "lessons: [fathers-involvement,", "lessons: [fathers-involvment,",
                 "packs/lancashire-7mb.yaml:14:15: unknown lesson 'fathers-involvment' (did you mean "
                 "'fathers-involvement'?) — use a lesson id from packs/library/, or add it there",
                 id="unknown-lesson"),
    pytest.param(PACK, "      - know-child-experience", "      - know-child-experiance",
                 "packs/lancashire-7mb.yaml:26:9: unknown question 'know-child-experiance' (did you mean "
                 "'know-child-experience'?) — use a question id from packs/library/, or add it there",
                 id="unknown-question"),
    pytest.param(PACK, "contacts: [lancashire-scp]", "contacts: [lancashire-scb]",
                 "packs/lancashire-7mb.yaml:29:12: unknown contact 'lancashire-scb' (did you mean "
                 "'lancashire-scp'?) — use a contact id from packs/library/, or add it there",
                 id="unknown-contact"),
    pytest.param(PACK, "subtitle:", "subtitel:",
                 "packs/lancashire-7mb.yaml:4:1: unknown key 'subtitel' in the pack (did you mean 'subtitle'?) "
                 "— use one of: kind, kicker, title, subtitle, date, brand, layout, intro, sections, contacts, "
                 "contacts_heading, sources, version, status, review_date, owner, kit, language, credit",
                 id="unknown-key"),
    pytest.param(PACK, "brand: lancashire", "brand: lancs",
                 "packs/lancashire-7mb.yaml:6:8: unknown brand 'lancs' (did you mean 'lancashire'?) — "
                 "use one of: bscb, default, gloucestershire, lancashire; "
                 "or make it with 'briefpack brand new lancs'",
                 id="missing-brand"),
    pytest.param(PACK, "brand: lancashire", "brand: ../Lancashire",
                 "packs/lancashire-7mb.yaml:6:8: unknown brand '../Lancashire' (did you mean 'lancashire'?) — "
                 "use one of: bscb, default, gloucestershire, lancashire (a brand's name is its folder's: "
                 "lower-case letters, digits and hyphens)",  # was: make it with 'briefpack brand new ../Lancashire'
                 id="impossible-brand-name"),
    pytest.param("branding/lancashire/brand.yaml", "package: fontpkg_lato", "package: os",
                 "branding/lancashire/brand.yaml:13:12: 'os' is not a font package: their names start with "
                 "fontpkg_ (e.g. fontpkg_lato) — 'briefpack fonts' lists the font packages installed and the "
                 "'fonts:' block to paste",  # was: install it with 'pip install os'
                 id="not-a-font-package"),
    pytest.param("branding/lancashire/brand.yaml", "file: logo.png", "file: logo.jpg",
                 "branding/lancashire/brand.yaml:5:9: logo 'logo.jpg' does not exist (did you mean 'logo.png'?) "
                 "— put the file in branding/lancashire/",
                 id="missing-logo"),
    pytest.param(PACK, "date: 2017-01", "date: January 2017",
                 "packs/lancashire-7mb.yaml:5:7: 'January 2017' is not a date — write it as 2017-02 (a month) "
                 "or 2017-02-14 (a day)",
                 id="bad-date"),
    pytest.param(PACK, "  - label: What to do\n", "  - label: What to do\n    labl: x\n",
                 "packs/lancashire-7mb.yaml:20:5: unknown key 'labl' in section 06 (did you mean 'label'?) — "
                 "use one of: label, text, sources, lessons, show, questions, actions, points, statistics, chart, "
                 "links, services, after",
                 id="unknown-section-key"),
    pytest.param(PACK, "title: Themes from Serious Case Reviews", "title: [Themes",
                 "packs/lancashire-7mb.yaml:3:8: YAML syntax error: a list in [ ] is not closed — close it "
                 "with ], or put the text in quotes",  # where the [ is, not the next line where YAML gave up
                 id="yaml-syntax"),
    pytest.param("branding/lancashire/brand.yaml", "primary: '#8a1538'", "primary: #8a1538",
                 "branding/lancashire/brand.yaml:8:11: 'primary' is empty: YAML reads '#8a1538' as a comment — "
                 "put the value in quotes: '#8a1538'",
                 id="unquoted-colour"),
    pytest.param(PACK, "subtitle: Learning from five", "subtitle: #5 reviews: learning from five",
                 "packs/lancashire-7mb.yaml:4:10: 'subtitle' in the pack is empty: YAML reads '#5 reviews: learning "
                 "from five Serious Case Reviews published 2016–17' as a comment — put the value in quotes: '#5 "
                 "reviews: learning from five Serious Case Reviews published 2016–17'",
                 id="hash-swallowed"),
    pytest.param("packs/library/lessons.yaml", "    themes: [fathers, assessment]",
                 "    themes: [father, assessment]",
                 "packs/library/lessons.yaml:8:14: unknown theme 'father' (did you mean 'fathers'?) — use a "
                 "theme id from packs/library/, or add it there",
                 id="unknown-theme"),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), CASES)
def test_mistake_gives_exact_message(project: Path, run, file: str, old: str, new: str, message: str) -> None:
    edit(project / file, old, new)
    result = run("build", PACK)
    assert result.exit_code == 1
    assert result.stderr == f"{message}\n1 problem found; nothing was written.\n"
    assert "Traceback" not in result.output
    assert not (project / "output").exists()


def test_every_problem_is_reported_in_one_run(project: Path, run) -> None:
    edit(project / PACK, "lessons: [fathers-involvement,", "lessons: [fathers-involvment,")
    edit(project / PACK, "subtitle:", "subtitel:")
    edit(project / PACK, "brand: lancashire", "brand: lancs")
    edit(project / "packs/library/questions.yaml", "  - id: child-heard-safely", "  - id: Child Heard")
    result = run("build", PACK)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "4 problems found; nothing was written."
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "packs/library/questions.yaml", "packs/lancashire-7mb.yaml", "packs/lancashire-7mb.yaml",
        "packs/lancashire-7mb.yaml"]
    assert lines[0] == ("packs/library/questions.yaml:14:9: 'Child Heard' is not a valid id — use lower-case "
                        "letters, digits and hyphens, e.g. 'voice-of-the-child'")
    # Each file's problems in the order of its lines, whatever their kind. The question whose id could not be read
    # is not also 'unknown' where the pack names it (line 27): it is there, and may be the one meant.
    assert [tuple(map(int, line.split(":")[1:3])) for line in lines[1:-1]] == [(4, 1), (6, 8), (14, 15)]


def test_a_bad_pack_stops_the_whole_batch(project: Path, run) -> None:
    (project / "packs" / "broken.yaml").write_text("kind: seven-minute-briefing\n", encoding="utf-8")
    result = run("build", "--all")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "packs/broken.yaml:1:1: the pack has no 'title' — add 'title: …'",
        "packs/broken.yaml:1:1: the pack has no 'date' — add 'date: …'",
        "packs/broken.yaml:1:1: the pack has no 'brand' — add 'brand: …'",
        "packs/broken.yaml:1:1: the pack has no 'sections' — add 'sections: …'",
        "4 problems found; nothing was written.",
    ]
    assert not (project / "output").exists()


def test_a_missing_pack_file(project: Path, run) -> None:
    result = run("build", "packs/nope.yaml")
    assert result.exit_code == 1
    assert result.stderr == ("packs/nope.yaml: no such file — check the name and folder\n"
                             "1 problem found; nothing was written.\n")


@pytest.mark.parametrize(("args", "message"), [
    ((), "Error: name one or more packs (a file or an id from packs/), or use --all (not both)"),
    (("--all", PACK), "Error: name one or more packs (a file or an id from packs/), or use --all (not both)"),
    (("--format", "rtf", PACK), "Error: Invalid value for '--format': 'rtf' is not one of 'pdf', 'docx'."),
    (("--colour", PACK), "Error: No such option '--colour'. Did you mean '--out'?"),
])
def test_usage_errors_exit_2(project: Path, run, args: tuple[str, ...], message: str) -> None:
    result = run("build", *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message


def test_a_brand_naming_an_unknown_contact(project: Path, run) -> None:
    brand = project / "branding" / "lancashire" / "brand.yaml"
    text = brand.read_text(encoding="utf-8").replace("contacts: [lancashire-scp]", "contacts: [lancashire-scb]")
    brand.write_text(text, encoding="utf-8")
    result = run("build", "packs/ten-principles.yaml", "--brand", "lancashire")
    assert result.exit_code == 1
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("contacts:"))
    assert result.stderr == (f"branding/lancashire/brand.yaml:{line}:12: unknown contact 'lancashire-scb' (did you "
                             "mean 'lancashire-scp'?) — use a contact id from packs/library/contacts.yaml or the "
                             "brand's own contacts.yaml, or add it there\n1 problem found; nothing was written.\n")


def test_build_all_outside_a_project(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("build", "--all")
    assert result.exit_code == 1
    assert result.stderr == ("packs: there are no pack files here — run briefpack in your project folder (the one "
                             "with packs/ and branding/), or name a pack file\n1 problem found; nothing was written.\n")


def test_two_packs_that_would_write_the_same_files(project: Path, run) -> None:
    import shutil
    (project / "elsewhere" / "packs").mkdir(parents=True)
    shutil.copy(project / PACK, project / "elsewhere" / "packs" / "lancashire-7mb.yaml")
    shutil.copytree(project / "packs" / "library", project / "elsewhere" / "packs" / "library")
    shutil.copytree(project / "branding", project / "elsewhere" / "branding")
    result = run("build", PACK, "elsewhere/packs/lancashire-7mb.yaml", PACK)
    assert result.exit_code == 1
    assert result.stderr == (
        "elsewhere/packs/lancashire-7mb.yaml: this pack would write the same files as packs/lancashire-7mb.yaml "
        "(lancashire/lancashire-7mb.pdf and .docx) — rename one of the two pack files\n"
        "1 problem found; nothing was written.\n")
