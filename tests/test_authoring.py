"""Authoring: packs named by id, and `briefpack check`, a build that writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE_PACKS, docx_text, found, norm, pdf_text


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_pack_is_built_by_its_id(project: Path, run) -> None:
    result = run("build", "lancashire-7mb", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("wrote output/lancashire/lancashire-7mb.pdf\n"
                             "lancashire-7mb: about 5 minutes to read aloud (649 words)\n")


def test_an_unknown_pack_id_gets_did_you_mean(project: Path, run) -> None:
    result = run("build", "lancashire-7m", "ten-principle.yaml")
    assert result.exit_code == 1
    known = ", ".join(EXAMPLE_PACKS)
    assert result.stderr == (
        f"lancashire-7m: there is no pack 'lancashire-7m' (did you mean 'lancashire-7mb'?) — name a pack file, or one "
        f"of the packs in packs/: {known}\n"
        f"ten-principle.yaml: there is no pack 'ten-principle' (did you mean 'ten-principles'?) — name a pack file, "
        f"or one of the packs in packs/: {known}\n"
        "2 problems found; nothing was written.\n")
    assert not (project / "output").exists()


def test_check_passes_the_examples_and_writes_nothing(project: Path, run) -> None:
    before = tree(project)
    result = run("check")
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"checked {len(EXAMPLE_PACKS)} packs: no problems "
                                                                   "found\n", "")
    assert run("check", "--all").stdout == result.stdout
    assert run("check", "lancashire-7mb", "packs/ten-principles.yaml").stdout == "checked 2 packs: no problems found\n"
    assert tree(project) == before


@pytest.mark.parametrize(("file", "old", "new"), [
    ("packs/lancashire-7mb.yaml", "fathers-involvement,", "fathers-involvment,"),             # a pack
    ("packs/library/lessons.yaml", "title: Fathers", "titel: Fathers"),                       # the library
    ("branding/lancashire/brand.yaml", "muted: '#555555'", "muted: '#aaaaaa'"),               # a brand's check
    ("packs/lancashire-7mb.yaml", "title: Themes from", "title: Themes 𓀀 from"),              # found laying out
])
def test_check_finds_what_a_build_finds_in_the_same_words(project: Path, run, file: str, old: str, new: str) -> None:
    edit(project / file, old, new)
    built = run("build", "lancashire-7mb")
    checked = run("check", "lancashire-7mb")
    assert built.exit_code == checked.exit_code == 1
    # The same problems; only the last line differs: a check writes nothing, so it does not speak of writing.
    assert checked.stderr.splitlines()[:-1] == built.stderr.splitlines()[:-1] and checked.stdout == ""
    assert checked.stderr.splitlines()[-1] == built.stderr.splitlines()[-1].replace("; nothing was written.", ".")
    assert not (project / "output").exists()


def test_check_all_checks_brands_no_pack_uses(project: Path, run) -> None:
    shutil.copytree(project / "branding" / "lancashire", project / "branding" / "unused")
    edit(project / "branding" / "unused" / "brand.yaml", "muted: '#555555'", "muted: '#aaaaaa'")
    assert run("check", "lancashire-7mb").exit_code == 0
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "branding/unused/brand.yaml:10:10: brand 'unused' fails its check: contrast: small print and footer (muted) "
        "on the page: #AAAAAA on #FFFFFF: 2.32:1 (needs 4.5:1) — choose a darker or lighter colour in 'palette' — run "
        "'briefpack brand check unused' for the full report\n1 problem found.\n")


SLOW = ("lancashire-7mb: about 9 minutes to read aloud at 80 words a minute, more than 7 — words by section: "
        "01 Background 129, 02 Why it matters 105, 03 Information 67, 04 Learning 47, 05 Learning into practice "
        "113, 06 What to do 18, 07 Questions 78; trim the longest")


def read_slowly(project: Path) -> None:
    brand = project / "branding" / "lancashire" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "words_per_minute: 80\n", encoding="utf-8")


def test_strict_makes_notes_problems(project: Path, run) -> None:
    read_slowly(project)
    note = SLOW
    result = run("check", "lancashire-7mb")
    assert (result.exit_code, result.stdout) == (0, "checked 1 pack: no problems found (1 note)\n")
    assert result.stderr == f"note: {note}\n"
    strict = run("check", "lancashire-7mb", "--strict")
    assert (strict.exit_code, strict.stdout) == (1, "")
    assert strict.stderr == f"{note}\n1 problem found.\n"



def test_a_note_is_the_same_on_every_build_and_strict_build_fails_as_check(project: Path, run) -> None:
    read_slowly(project)
    first = run("build", "lancashire-7mb", "--format", "pdf")
    assert first.exit_code == 0 and first.stderr == f"note: {SLOW}\n"
    again = run("build", "lancashire-7mb", "--format", "pdf")  # nothing to do: the note is said again
    assert again.stdout.startswith("nothing to do") and again.stderr == first.stderr
    for command in ("build", "check"):
        strict = run(command, "lancashire-7mb", "--strict")
        assert (strict.exit_code, strict.stderr) == (1, f"{SLOW}\n{found(command)}")

def test_check_refuses_packs_and_all_together(project: Path, run) -> None:
    result = run("check", "--all", "lancashire-7mb")
    assert result.exit_code == 2 and "name packs to check, or use --all (not both)" in result.stderr


@pytest.mark.parametrize("kind", ["seven-minute-briefing", "precis", "leaflet", "learning-points", "handout"])
def test_a_new_pack_builds_at_once_with_the_lessons_of_its_theme(project: Path, run, kind: str) -> None:
    from briefpack.load import load_library
    from briefpack.markup import plain

    lessons = load_library(project / "packs" / "library").lessons
    wanted = ["working-with-both-parents", "who-is-in-the-household"]
    result = run("new", "pack", "ns-fathers", "--kind", kind, "--brand", "lancashire", "--theme", "fathers")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("wrote packs/ns-fathers.yaml\n"
                             "next: edit packs/ns-fathers.yaml, then run 'briefpack build ns-fathers'\n")
    built = run("build", "ns-fathers")
    assert built.exit_code == 0, built.output
    fix = "is the example text 'briefpack new pack' wrote — replace it with your own words"
    happened = "'Write here what happened and which review this learning comes from.'"
    assert built.stderr.splitlines() == ([  # it builds at once, and says what is still to write
        f"note: packs/ns-fathers.yaml:12:11: {happened} {fix}",
        f"note: packs/ns-fathers.yaml:16:11: 'Write how this learning changes practice here.' {fix}"]
        if kind == "seven-minute-briefing" else [
        f"note: packs/ns-fathers.yaml:10:8: 'Write a sentence or two saying what this document is for.' {fix}",
        f"note: packs/ns-fathers.yaml:13:11: {happened} {fix}"])
    for text in (pdf_text(project / "output" / "lancashire" / "ns-fathers.pdf"),
                 docx_text(project / "output" / "lancashire" / "ns-fathers.docx")):
        text = norm(text)
        assert "Learning about fathers and male carers" in text
        # Learning points show a lesson's text, the other kinds its title.
        assert all(lessons[i].title in text or norm(plain(lessons[i].text[0]))[:60] in text for i in wanted)
        assert "Have I heard the views of the father" in text


def test_a_new_pack_is_commented_and_dated_today(project: Path) -> None:
    import datetime

    from briefpack.load import Project
    from briefpack.newpack import new_pack

    path = new_pack(Project(project), "plain", "seven-minute-briefing", None, None, datetime.date(2026, 3, 9))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# A new seven-minute-briefing pack. Change the words in quotes, choose from the library, then:"
    assert lines[1] == "#   briefpack build plain"
    assert "date: 2026-03                             # 2017, 2017-01 or 2017-01-31; this one is printed as " \
           "'March 2026'" in lines
    assert "brand: default                            # a folder in branding/; build in another brand with --brand" \
           in lines
    assert sum(line.startswith("  - ") for line in lines) == 7


def test_new_pack_never_overwrites_and_says_what_is_wrong(project: Path, run) -> None:
    before = (project / "packs" / "lancashire-7mb.yaml").read_bytes()
    result = run("new", "pack", "lancashire-7mb")
    assert result.exit_code == 1
    assert result.stderr == ("packs/lancashire-7mb.yaml: this pack already exists — edit packs/lancashire-7mb.yaml, "
                             "or choose another id\n1 problem found; nothing was written.\n")
    assert (project / "packs" / "lancashire-7mb.yaml").read_bytes() == before
    result = run("new", "pack", "New", "--kind", "leaflet", "--brand", "lancs", "--theme", "father")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "New: 'New' cannot be a pack id — use lower-case letters, digits and hyphens, e.g. "
        "'north-somerset-bruising-7mb'",
        "branding: unknown brand 'lancs' (did you mean 'lancashire'?) — use one of: bscb, default, gloucestershire, "
        "lancashire",
        "packs/library: there is no theme 'father' (did you mean 'fathers'?) — use one of: adolescents, assessment, "
        "child-sexual-exploitation, disability, disguised-compliance, domestic-abuse, engaging-parents, escalation, "
        "fathers, information-sharing, looked-after-children, multi-agency, parental-mental-health, pregnancy, "
        "record-keeping, self-harm, substance-misuse, supervision, thresholds, voice-of-the-child",
        "3 problems found; nothing was written."]


def test_new_pack_of_a_kind_there_is_not_is_a_usage_error(project: Path, run) -> None:
    # It exited 1, as if a file were wrong: the kinds are briefpack's own, a choice made on the command line (as
    # --format's is). The brands and themes a project has are its files' (exit 1, above).
    result = run("new", "pack", "fresh", "--kind", "leaflett", "--brand", "lancs")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--kind': 'leaflett' is not one of 'seven-minute-briefing', 'precis', 'leaflet', "
        "'learning-points', 'handout'.")
    assert not (project / "packs/fresh.yaml").exists()


def test_check_in_other_brands(project: Path, run) -> None:
    result = run("check", "lancashire-7mb", "--brand", "default", "--brand", "bscb")
    assert (result.exit_code, result.stdout) == (0, "checked 1 pack: no problems found\n")
    result = run("check", "lancashire-7mb", "--brand", "lancs")
    assert result.exit_code == 1
    assert result.stderr.startswith("branding/lancs: unknown brand 'lancs' (did you mean 'lancashire'?)")


def test_from_a_new_brand_to_a_built_briefing(project: Path, run) -> None:
    made = run("brand", "new", "north-somerset")
    # 'briefpack list' shows counts, not themes; the fonts were not named at all, so a newcomer did not know
    # 'briefpack fonts' was the way to choose them.
    assert made.stdout.splitlines()[-2:] == [
        "next: edit branding/north-somerset/brand.yaml (your logo, colours, contacts and procedures; 'briefpack "
        "fonts' for the fonts), then run 'briefpack brand check north-somerset'",
        "then: 'briefpack new pack north-somerset-7mb --brand north-somerset --theme THEME' starts a briefing "
        "('briefpack list lessons' shows the themes)"]
    assert "fathers" in run("list", "lessons").stdout  # where the themes are, as it says
    assert run("new", "pack", "north-somerset-7mb", "--brand", "north-somerset", "--theme",
               "domestic-abuse").exit_code == 0
    built = run("build", "north-somerset-7mb")
    assert built.exit_code == 0, built.output
    text = norm(pdf_text(project / "output" / "north-somerset" / "north-somerset-7mb.pdf"))
    assert "North Somerset Safeguarding Children Partnership" in text and "Learning about domestic abuse" in text


def test_a_new_brand_made_as_its_comments_say(project: Path, run) -> None:
    """brand.yaml's comments are the newcomer's guide: its aliases line uncommented, a fonts block pasted from
    'briefpack fonts', and contacts in the brand's own contacts.yaml (the comment named only the shared
    library's file, where other boards' contacts are) all work as they say."""
    assert run("brand", "new", "north-somerset").exit_code == 0
    brand_yaml = project / "branding" / "north-somerset" / "brand.yaml"
    text = brand_yaml.read_text(encoding="utf-8")
    assert "# aliases: [North Somerset]   # other names text may use for your board (the place, old names):\n" in text
    assert "# fonts:                      # 'briefpack fonts' lists the families you can use, with the lines to " \
           "paste here\n" in text
    assert ("contacts: []                  # your contacts' ids, from contacts.yaml in this folder (write it as\n"
            "                              # packs/library/contacts.yaml is written) or from "
            "packs/library/contacts.yaml\n") in text
    fonts = run("fonts").stdout
    block = fonts[fonts.index("Lato  ("):].split("paste into brand.yaml:\n", 1)[1].split("\n\n", 1)[0]
    pasted = "\n".join(line[4:] for line in block.splitlines()) + "\n"
    text = (text.replace("# aliases: [North Somerset]", "aliases: [North Somerset]  ")
            .replace("# fonts:                      # 'briefpack fonts' lists the families you can use, with the "
                     "lines to paste here\n", pasted)
            .replace("contacts: []", "contacts: [ns-front-door]"))
    brand_yaml.write_text(text, encoding="utf-8")
    (brand_yaml.parent / "contacts.yaml").write_text(
        "contacts:\n  - id: ns-front-door\n    name: North Somerset Front Door\n    phone: 01275 888808\n",
        encoding="utf-8")
    assert run("brand", "check", "north-somerset").exit_code == 0
    built = run("build", "lancashire-7mb", "--brand", "north-somerset", "--format", "pdf")
    assert built.exit_code == 0, built.output
    pdf = project / "output" / "north-somerset" / "lancashire-7mb.pdf"
    assert "North Somerset Front Door" in norm(pdf_text(pdf))
    from pypdf import PdfReader

    faces = {str(font.get_object()["/BaseFont"]) for page in PdfReader(pdf).pages
             for font in page["/Resources"]["/Font"].values()}
    assert any(face.endswith("+Lato-Regular") for face in faces), faces  # the pasted fonts, not the default's


def test_a_new_seven_minute_briefing_says_how_to_make_tiles(project: Path, run) -> None:
    """Without a word about 'layout', a newcomer's briefing came out as portrait pages, not the seven panels the
    README shows; the pack now says which it is and how to have the other."""
    assert run("new", "pack", "ns-7mb", "--theme", "fathers").exit_code == 0
    pack = project / "packs" / "ns-7mb.yaml"
    assert ("layout: linear                            # or tiles: seven numbered panels on one landscape sheet, "
            "as boards print them") in pack.read_text(encoding="utf-8").splitlines()
    edit(pack, "layout: linear ", "layout: tiles  ")
    assert run("build", "ns-7mb", "--format", "pdf").exit_code == 0
    from pypdf import PdfReader

    page = PdfReader(project / "output" / "default" / "ns-7mb.pdf").pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape: the tiles layout
    assert run("new", "pack", "ns-leaflet", "--kind", "leaflet").exit_code == 0
    assert "layout:" not in (project / "packs" / "ns-leaflet.yaml").read_text(encoding="utf-8")


def test_the_example_text_of_a_new_pack_is_noted_until_it_is_replaced(project: Path, run) -> None:
    """A new pack builds at once, so a newcomer's briefing could go to print saying 'Write here what happened':
    build and check note each example sentence still in the pack (once rebuilt with nothing to do, too), and
    --strict refuses it."""
    assert run("new", "pack", "ns-7mb").exit_code == 0
    pack = project / "packs" / "ns-7mb.yaml"
    fix = "is the example text 'briefpack new pack' wrote — replace it with your own words"
    notes = [f"note: packs/ns-7mb.yaml:{n}:11: '{words}' {fix}" for n, words in (
        (12, "Write here what happened and which review this learning comes from."),
        (13, "Write the learning here."), (14, "Write the learning here."), (15, "Write the learning here."),
        (16, "Write how this learning changes practice here."))]
    for args in (("build", "ns-7mb", "--format", "pdf"), ("build", "ns-7mb", "--format", "pdf"), ("check", "ns-7mb")):
        said = run(*args)
        assert (said.exit_code, said.stderr.splitlines()) == (0, notes), args
    strict = run("build", "ns-7mb", "--strict", "--force")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[0] == notes[0].removeprefix("note: ")
    text = pack.read_text(encoding="utf-8")
    for n in (1, 2, 3):
        text = text.replace('"Write the learning here."', f'"Learning {n} from our review."', 1)
    pack.write_text(text.replace("Write here what happened and which review this learning comes from.",
                                 "In 2025 a review found fathers were not asked for their views.")
                    .replace("Write how this learning changes practice here.", "Ask about every man in the home."),
                    encoding="utf-8")
    built = run("build", "ns-7mb", "--strict")
    assert (built.exit_code, built.stderr) == (0, "")


def example_warnings(brand_file: str, name: str, lines: tuple[int, ...]) -> list[str]:
    urls = ("resolving-professional-disagreements", "threshold-guidance", "hard-to-reach-young-people")
    return [f"warning: {brand_file}:{line}:11: 'https://www.example.org/procedures/{url}' is the default brand's "
            f"example address, not a page of {name} — put the address of your board's own page there"
            for line, url in zip(lines, urls, strict=True)]


def test_a_new_brand_s_example_addresses_are_said_until_replaced(project: Path, run) -> None:
    """'brand new' copies the default brand's example procedures so the library's {procedure:…} references work
    at once; a briefing built before they were replaced sent staff to www.example.org with no word said. Every
    build (a rebuild with nothing to do too) and check says where each one is written, --strict refuses,
    and a brand extending the new one is told of its parent's file; replaced, nothing is said."""
    assert run("brand", "new", "north-somerset").exit_code == 0
    brand_yaml = project / "branding" / "north-somerset" / "brand.yaml"
    lines = tuple(n for n, line in enumerate(brand_yaml.read_text(encoding="utf-8").splitlines(), 1)
                  if "www.example.org" in line)
    said = example_warnings("branding/north-somerset/brand.yaml",
                            "North Somerset Safeguarding Children Partnership", lines)
    built = run("build", "lancashire-7mb", "--brand", "north-somerset", "--format", "pdf")
    assert built.exit_code == 0 and built.stderr.splitlines() == said
    again = run("build", "lancashire-7mb", "--brand", "north-somerset", "--format", "pdf")
    assert again.stdout.startswith("nothing to do") and again.stderr.splitlines() == said
    checked = run("check", "lancashire-7mb", "--brand", "north-somerset")
    assert checked.exit_code == 0 and checked.stderr.splitlines() == said
    strict = run("build", "lancashire-7mb", "--brand", "north-somerset", "--strict", "--out", "strict")
    assert strict.exit_code == 1 and not (project / "strict").exists()
    assert strict.stderr.splitlines()[:3] == [line.removeprefix("warning: ") for line in said]
    child = project / "branding" / "north-somerset-east"
    child.mkdir()
    (child / "brand.yaml").write_text("extends: north-somerset\nname: North Somerset East Partnership\n"
                                      "short_name: NSEP\n", encoding="utf-8")
    of_child = run("build", "lancashire-7mb", "--brand", "north-somerset-east", "--format", "pdf")
    assert [line for line in of_child.stderr.splitlines() if "example address" in line] == example_warnings(
        "branding/north-somerset/brand.yaml", "North Somerset East Partnership", lines)
    brand_yaml.write_text(brand_yaml.read_text(encoding="utf-8").replace(
        "https://www.example.org/procedures/", "https://www.nssp.org.uk/procedures/"), encoding="utf-8")
    replaced = run("build", "lancashire-7mb", "--brand", "north-somerset", "--format", "pdf")
    assert replaced.exit_code == 0 and replaced.stderr == ""
