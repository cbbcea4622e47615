"""Hostile input found by a sweep of every command: each mistake is one clear message at its place, never a
cascade of consequences, a misleading word or a write into the project's own sources."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import found, pdf_text

ONE = "1 problem found; nothing was written.\n"
READ = found("check")
PACK = "packs/lancashire-7mb.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("extends", "problem"), [
    ("nosuch", "branding/lancashire/brand.yaml:2:10: unknown brand 'nosuch' — use one of: bscb, default, "
               "gloucestershire, lancashire; or make it with 'briefpack brand new nosuch'"),
    ("lancashire", "branding/lancashire/brand.yaml:2:10: brand 'lancashire' extends itself (through lancashire → "
                   "lancashire) — remove one of the 'extends:' lines"),
])
def test_a_brand_whose_parent_cannot_be_read_is_one_problem(project: Path, run, extends: str, problem: str) -> None:
    # It was followed by twelve "brand 'lancashire' has no 'fonts' (and no brand it extends has one)" and the like,
    # for keys the brand does not need to have: its parent has them.
    edit(project / "branding/lancashire/brand.yaml", "name: Lancashire", f"extends: {extends}\nname: Lancashire")
    for command in (("build", "lancashire-7mb"), ("brand", "check", "lancashire")):
        result = run(*command)
        assert (result.exit_code, result.stderr) == (1, f"{problem}\n{found(command)}")


def test_a_brand_name_no_folder_can_have_is_shown_as_typed(project: Path, run) -> None:
    # 'branding/../x' resolved to 'x', a file of that name in the working folder, which has nothing to do with it.
    result = run("build", "lancashire-7mb", "--brand", "../x")
    assert (result.exit_code, result.stderr) == (1, (
        "branding/../x: unknown brand '../x' — use one of: bscb, default, gloucestershire, lancashire (a brand's "
        f"name is its folder's: lower-case letters, digits and hyphens)\n{ONE}"))
    result = run("brand", "new", "../x")
    assert (result.exit_code, result.stderr) == (1, (
        "branding/../x: '../x' cannot be a brand name — use lower-case letters, digits and hyphens, e.g. "
        f"'north-somerset'\n{ONE}"))


LOGO = "branding/lancashire/brand.yaml:5:9"


@pytest.mark.parametrize(("make", "problem"), [
    (lambda folder: (folder / "a.png").symlink_to("b.png") or (folder / "b.png").symlink_to("a.png"),
     "cannot read logo 'a.png' (Too many levels of symbolic links) — check that it exists and that you may read it"),
    (lambda folder: (folder / "a.png").symlink_to("gone.png"),
     "logo 'a.png' is a link to a file that does not exist — put the file itself in branding/lancashire/"),
], ids=["link-in-a-circle", "link-to-nothing"])
def test_a_logo_that_is_a_broken_link_is_called_that(project: Path, run, make, problem: str) -> None:
    # Both were "logo 'a.png' does not exist", of a file the user sees in the folder.
    make(project / "branding/lancashire")
    edit(project / "branding/lancashire/brand.yaml", "file: logo.png", "file: a.png")
    result = run("build", "lancashire-7mb")
    assert (result.exit_code, result.stderr) == (1, f"{LOGO}: {problem}\n{ONE}")


@pytest.mark.parametrize(("size", "problem"), [
    ((6000, 3), "'thin.png' is 6000×3 pixels, too long and thin to print — crop it to a shape no more than 12 times "
                "as wide as tall"),  # was "is only 6000×3 pixels — use a larger image"
    ((3, 3), "'thin.png' is only 3×3 pixels — use a larger image"),
])
def test_a_long_thin_logo_is_not_called_small(project: Path, run, size: tuple[int, int], problem: str) -> None:
    from PIL import Image

    Image.new("RGB", size, "white").save(project / "branding/lancashire/thin.png")
    edit(project / "branding/lancashire/brand.yaml", "file: logo.png", "file: thin.png")
    result = run("build", "lancashire-7mb")
    assert (result.exit_code, result.stderr) == (1, f"{LOGO}: {problem}\n{ONE}")


def test_a_pack_in_a_folder_that_does_not_exist_is_one_problem(project: Path, run) -> None:
    # It also said "nowhere/packs/library: the lesson library folder is missing", of a project that is not there.
    for command in ("build", "check"):
        result = run(command, "nowhere/packs/lancashire-7mb.yaml")
        assert (result.exit_code, result.stderr) == (
            1, f"nowhere/packs/lancashire-7mb.yaml: no such file — check the name and folder\n{found(command)}")


RUN_ON = ("YAML syntax error: a value in quotes is not closed on this line: YAML read on to the next quote mark, at "
          "line {} — add the closing quote mark (the same kind, ' or \"), or write the value without quotes")


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("title: Themes from", "title: {Themes: from", "3:8: YAML syntax error: a mapping in { } is not closed — "
                                                   "close it with }, or put the text in quotes"),
    # Was "13:12: … did not find expected key — check the indentation": where the next quote mark is.
    ("title: Themes from", "title: \"Themes from", "3:8: " + RUN_ON.format(13)),
    ("title: Themes from", "title: 'Themes from", "3:8: " + RUN_ON.format(10)),  # the ' of a comment's "reviews'"
    ("contacts: [lancashire-scp]\n", "contacts: [lancashire-scp]\nowner: \"Me\n",
     "30:8: YAML syntax error: a value in quotes is not closed — add the closing quote mark (the same kind, ' or "
     "\"), or write the value without quotes"),  # was "31:1: … found unexpected end of stream"
])
def test_what_is_left_open_is_pointed_at_where_it_opens(project: Path, run, old: str, new: str, problem: str) -> None:
    # Not where the parser gave up: the next line, or the end of the file ("found unexpected end of stream").
    edit(project / PACK, old, new)
    result = run("build", "lancashire-7mb")
    assert (result.exit_code, result.stderr) == (1, f"{PACK}:{problem}\n{ONE}")


@pytest.mark.parametrize(("out", "folder"), [
    ("packs", "packs"), ("packs/out", "packs"), ("packs/library", "packs"), ("branding", "branding"),
    ("branding/lancashire", "branding"),
])
def test_an_output_folder_among_the_sources_is_refused(project: Path, run, out: str, folder: str) -> None:
    # The files went into the brand's own folder (branding/lancashire/lancashire-7mb.pdf) or among the packs.
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    result = run("build", "lancashire-7mb", "--out", out)
    what = "packs" if folder == "packs" else "brands"
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"Error: Invalid value for '--out': '{out}' is in the project's {folder}/ folder, where briefpack reads your "
        f"{what} — choose a folder outside packs/ and branding/, e.g. output/ (the default)\n")
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_an_output_folder_beside_the_sources_is_fine(project: Path, run) -> None:
    result = run("build", "lancashire-7mb", "--out", "packs-output", "--format", "pdf")
    assert result.exit_code == 0
    assert (project / "packs-output/lancashire/lancashire-7mb.pdf").is_file()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_returns_of_a_device_are_not_called_missing(project: Path, run) -> None:
    result = run("returns", "/dev/zero")  # was "there is no such file or folder"
    assert (result.exit_code, result.stderr) == (1, (
        "/dev/zero: this is not a file or folder briefpack can read (a device, a pipe, or a link that leads nowhere "
        f"or round in a circle) — name files or folders of returned kits\n{ONE}"))
    assert not (project / "returns.csv").exists()


def test_one_file_is_one_file(project: Path, run) -> None:
    assert run("build", "lancashire-7mb", "--format", "pdf").exit_code == 0
    result = run("build", "lancashire-7mb", "--format", "pdf")
    assert (result.exit_code, result.stdout) == (0, "nothing to do: the 1 file in output/ is up to date\n")
    shutil.rmtree(project / "output")


@pytest.mark.parametrize(("url", "problem"), [
    ("https://", "'https://' has no site after // — write the whole address, e.g. https://www.example.org/page"),
    ("https://www.example.org/a page", "'https://www.example.org/a page' has a space in it — take the spaces out (in "
                                       "a web address, write a space as %20)"),
    ("tel:+44 1772 000000", "'tel:+44 1772 000000' has a space in it — write the number without spaces, e.g. "
                            "tel:+441772000000"),
])
def test_a_link_that_leads_nowhere_is_refused(project: Path, run, url: str, problem: str) -> None:
    # Each was written into the PDF and the Word file as a link (the first to no site at all).
    links = project / "packs/library/links.yaml"
    line = links.read_text(encoding="utf-8").splitlines().index("links:") + 3
    edit(links, "links:\n", f"links:\n  - id: broken\n    title: Broken\n    url: '{url}'\n")
    result = run("check", "lancashire-7mb")
    assert (result.exit_code, result.stderr) == (1, f"packs/library/links.yaml:{line + 1}:10: {problem}\n{READ}")


def test_a_link_in_text_with_a_space_in_its_address_is_refused(project: Path, run) -> None:
    # '[the guidance](https://www.example.org/a page)' was printed as typed, brackets and all, and linked nowhere.
    edit(project / PACK, '"Whilst the cases', '"See [the guidance](https://www.example.org/a page). Whilst the cases')
    result = run("check", "lancashire-7mb")
    assert (result.exit_code, result.stderr) == (1, (
        f"{PACK}:13:16: 'text' in section 02: link address 'https://www.example.org/a page' has a space in it — take "
        f"the spaces out (in a web address, write a space as %20)\n{READ}"))


def test_an_empty_list_item_is_called_empty(project: Path, run) -> None:
    edit(project / "packs/library/actions.yaml", "actions:\n", "actions:\n  -\n")
    result = run("check", "lancashire-7mb")  # was "… must be a mapping (key: value lines), not text"
    assert (result.exit_code, result.stderr) == (1, (
        "packs/library/actions.yaml:3:4: an item of 'actions' must be a mapping (key: value lines), not empty — write "
        f"it as 'key: value' lines\n{READ}"))


def test_new_pack_keeps_a_link_to_a_pack_that_is_not_there(project: Path, run) -> None:
    # A pack kept on a drive that is not mounted now: the link was replaced by a new pack, and where it led was lost.
    (project / "packs/shared.yaml").symlink_to("/nonexistent/drive/shared.yaml")
    result = run("new", "pack", "shared")
    assert (result.exit_code, result.stderr) == (1, (
        "packs/shared.yaml: this pack already exists as a link to /nonexistent/drive/shared.yaml, which is not there "
        f"now — mount or restore what it links to, or delete the link, or choose another id\n{ONE}"))
    assert os.readlink(project / "packs/shared.yaml") == "/nonexistent/drive/shared.yaml"


@pytest.mark.parametrize(("make", "problem"), [
    (lambda path: path.symlink_to("/nonexistent/drive/board"),
     "this brand already exists as a link to /nonexistent/drive/board, which is not there now — mount or restore "
     "what it links to, or delete the link, or choose another name"),  # was a FileExistsError traceback
    (lambda path: path.write_text("notes", encoding="utf-8"),
     "there is a file of this name in branding/ — rename or move the file, or choose another name"),  # was "edit …"
], ids=["link-to-nothing", "a-file"])
def test_brand_new_where_something_else_has_the_name(project: Path, run, make, problem: str) -> None:
    make(project / "branding/board")
    result = run("brand", "new", "board")
    assert (result.exit_code, result.stderr) == (1, f"branding/board: {problem}\n{ONE}")


@pytest.mark.parametrize(("command", "problem"), [
    (("new", "pack", "fresh"), "packs/fresh.yaml: cannot write the pack"),
    (("brand", "new", "fresh"), "branding/fresh: cannot make the brand's folder"),
])
def test_new_on_a_read_only_disk_says_so(project: Path, run, monkeypatch: pytest.MonkeyPatch, command,
                                         problem: str) -> None:
    # Both were a PermissionError or OSError traceback (a folder the user may not write to, a read-only disk).
    import errno
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(os, "mkdir", refuse)
    result = run(*command)
    assert (result.exit_code, result.stderr) == (
        1, f"{problem} (Read-only file system) — the disk is read-only: work on a copy of the project on another "
           f"disk\n{ONE}")
    monkeypatch.undo()
    assert not (project / "packs/fresh.yaml").exists() and not (project / "branding/fresh").exists()


def test_a_brand_check_failure_points_at_the_value_it_judges(project: Path, run) -> None:
    # Each was 'branding/lancashire/brand.yaml: brand …' with no line, though the colour is inherited from default.
    edit(project / "branding/default/brand.yaml", "text: '#1f2933'", "text: '#aaaaaa'")
    edit(project / "branding/lancashire/brand.yaml", "bold: Lato-Bold.ttf", "bold: Lato-Regular.ttf")
    fix = "run 'briefpack brand check lancashire' for the full report"
    for command in ("build", "check"):
        result = run(command, "lancashire-7mb")
        assert (result.exit_code, result.stderr) == (1, (
            "branding/default/brand.yaml:10:9: brand 'lancashire' fails its check: contrast: body text on the page: "
            f"#AAAAAA on #FFFFFF: 2.32:1 (needs 4.5:1) — choose a darker or lighter colour in 'palette' — {fix}\n"
            "branding/default/brand.yaml:10:9: brand 'lancashire' fails its check: contrast: text in contact boxes "
            "and tiles (tinted): #AAAAAA on #F6ECEF: 2.01:1 (needs 4.5:1) — choose a darker or lighter colour in "
            f"'palette' — {fix}\n"
            "branding/lancashire/brand.yaml:15:9: brand 'lancashire' fails its check: fonts: a real bold face: "
            f"'Lato-Regular.ttf' is not a bold face (weight 400) — name the family's Bold file — {fix}\n"
            f"{found(command, 3)}"))


def test_a_section_emptied_by_a_misspelt_id_is_not_also_called_empty(project: Path, run) -> None:
    # Section 01 holds only its source: misspelt, it was also "section 01 'Background' has nothing in it".
    edit(project / PACK, "sources: [lancashire-scrs-2016-17]", "sources: [lancashire-scrs-2016-1]")
    edit(project / PACK, "take-to-supervision]", "take-to-supervison]")
    result = run("check", "lancashire-7mb")
    assert (result.exit_code, result.stderr) == (1, (
        f"{PACK}:11:15: unknown source 'lancashire-scrs-2016-1' (did you mean 'lancashire-scrs-2016-17'?) — use a "
        "source id from packs/library/, or add it there\n"
        f"{PACK}:20:61: unknown action 'take-to-supervison' (did you mean 'take-to-supervision'?) — use an action "
        "id from packs/library/, or add it there\n"  # was "use a action id"
        "2 problems found.\n"))
    # Truly empty, it still is.
    edit(project / PACK, "    sources: [lancashire-scrs-2016-1]\n", "")
    edit(project / PACK, "take-to-supervison]", "take-to-supervision]")
    result = run("check", "lancashire-7mb")
    assert (result.exit_code, result.stderr) == (1, (
        f"{PACK}:9:5: section 01 'Background' has nothing in it, so it would be printed empty — add 'text:', "
        f"'lessons:', 'questions:' or 'actions:' to it\n{READ}"))


def test_too_long_names_the_panel_that_is_tall_for_its_words(project: Path, run) -> None:
    # Twelve QR-coded links in section 06: it named every panel (eight problems, 470 words to trim) but 06.
    (project / "packs/library/guidance.yaml").write_text("links:\n" + "".join(
        f"  - id: page-{n}\n    title: Guidance page number {n}\n    url: https://www.example.org/guidance/page-{n}\n"
        for n in range(12)), encoding="utf-8")
    edit(project / PACK, "take-to-supervision]\n",
         f"take-to-supervision]\n    links: [{', '.join(f'page-{n}' for n in range(12))}]\n")
    result = run("check", "lancashire-7mb")
    assert (result.exit_code, result.stderr) == (1, (
        f"{PACK}: section 06 'What to do' is about 40 words over in the lancashire brand — trim it or use layout: "
        f"linear\n{READ}"))


def test_fonts_says_which_font_files_it_left_out(project: Path, run) -> None:
    # A board's own font that is damaged or no font at all was left out of the list without a word.
    (project / "branding/lancashire/House-Regular.ttf").write_bytes(b"<html>not a font</html>")
    (project / "branding/lancashire/House-Bold.ttf").mkdir()
    result = run("fonts")
    assert result.exit_code == 0
    assert result.stdout.endswith(
        "\nLeft out, as briefpack cannot use them:\n"
        "  branding/lancashire/House-Bold.ttf: not a file (a folder, or a link that leads nowhere)\n"
        "  branding/lancashire/House-Regular.ttf: not a font file, or a damaged one\n")
    shutil.rmtree(project / "branding/lancashire/House-Bold.ttf")
    (project / "branding/lancashire/House-Regular.ttf").unlink()
    assert "Left out" not in run("fonts").stdout


def test_hidden_files_beside_packs_are_no_packs(project: Path, run) -> None:
    # An editor's lock ('.#pack.yaml', a link to nowhere) and the '._' files macOS leaves on shared drives stopped
    # every build: "packs/user@host.4242:1701234567: no such file", "character U+0000 cannot appear …".
    apple_double = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02"
    (project / "packs/._lancashire-7mb.yaml").write_bytes(apple_double)
    (project / "packs/library/._lessons.yaml").write_bytes(apple_double)
    (project / "packs/.#ten-principles.yaml").symlink_to("user@host.4242:1701234567")
    for command in (("build", "--all", "--format", "pdf", "-q"), ("check",), ("list",), ("brand", "check", "bscb")):
        result = run(*command)
        assert (result.exit_code, result.stderr) == (0, ""), command
    assert sorted(p.name for p in (project / "output").rglob("*.pdf")) == [
        f"{pack}.pdf" for pack in ("bscb-key-learning-2014", "gloucestershire-8-lessons", "lancashire-7mb",
                                   "national-scr-precis", "ten-principles")]


def test_a_link_s_words_are_text_like_any_other(project: Path, run) -> None:
    # '[{board} guidance](…)' printed '{board} guidance', and '[**Read** it](…)' '**Read** it', as typed.
    import docx

    edit(project / PACK, '"Whilst the cases', '"See [{board} guidance](https://www.example.org/guidance) and '
                                             '[**Read** it](https://www.example.org/read). Whilst the cases')
    assert run("build", "lancashire-7mb").exit_code == 0
    pdf = " ".join(pdf_text(project / "output/lancashire/lancashire-7mb.pdf").split())
    assert "See Lancashire Safeguarding Children Board guidance and Read it. Whilst" in pdf
    assert "{board}" not in pdf and "**" not in pdf
    links = [(link.address, link.text) for p in docx.Document(str(project / "output/lancashire/lancashire-7mb.docx"))
             .paragraphs for link in p.hyperlinks]
    assert ("https://www.example.org/guidance", "Lancashire Safeguarding Children Board guidance") in links
    assert [text for address, text in links if address == "https://www.example.org/read"] == ["Read", " it"]


def test_a_reference_in_a_link_address_is_refused(project: Path, run) -> None:
    # It was printed and linked as typed: https://www.example.org/{board_short}/guidance.
    edit(project / PACK, '"Whilst the cases', '"See [it](https://www.example.org/{board_short}/guidance). Whilst')
    result = run("check", "lancashire-7mb")
    assert (result.exit_code, result.stderr) == (1, (
        f"{PACK}:13:16: 'text' in section 02: link address 'https://www.example.org/{{board_short}}/guidance' has a "
        "brace in it: a reference such as {board} is not filled in inside an address — write the address in full, "
        f"as the page has it\n{READ}"))


INVISIBLE = ("holds only spaces or invisible characters (such as a no-break space or a soft hyphen), so nothing would "
             "be printed — write the text after the colon")


@pytest.mark.parametrize(("key", "value", "problem"), [
    ("label", '"\\u00a0"', f"8:12: 'label' in section 01 {INVISIBLE}"),
    ("label", '"\\u00ad\\u200b"', f"8:12: 'label' in section 01 {INVISIBLE}"),
    ("label", '""', "8:12: 'label' in section 01 is empty — write the text after the colon"),
    ("title", '"\\u00a0 \\u3000"', f"4:8: 'title' in the pack {INVISIBLE}"),
])
def test_a_heading_that_would_print_nothing_is_refused(project: Path, run, key: str, value: str, problem: str) -> None:
    # A no-break space or soft hyphen alone made an empty title or heading; an empty leaflet label left its section
    # without a heading (its lessons' H3 straight under the H1), where no 'label' at all is an error.
    pack = project / "packs/gloucestershire-8-lessons.yaml"
    old = {"label": "label: 8 lessons to inform your practice",
           "title": "title: \"'Sharing the lessons and reducing the risk' when working with children\""}[key]
    edit(pack, old, f"{key}: {value}")
    result = run("check", "gloucestershire-8-lessons")
    assert (result.exit_code, result.stderr) == (1, f"packs/gloucestershire-8-lessons.yaml:{problem}\n{READ}")


@pytest.mark.parametrize(("command", "status"), [
    (("list", "--json"), 1), (("--version",), 1), (("build", "lancashire-7mb", "--format", "pdf", "-q"), 0),
])
def test_a_command_started_with_its_output_closed(project: Path, command, status: int) -> None:
    # `briefpack list --json >&-` printed nothing and exited 0, as if there were nothing to list.
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "briefpack", *command], preexec_fn=lambda: os.close(1),
                            stderr=subprocess.PIPE, text=True)
    assert result.returncode == status
    assert result.stderr == ("" if status == 0 else "cannot print what briefpack has to say (standard output is "
                             "closed) — give it somewhere to print: a terminal, a file or a pipe\n")


@pytest.mark.parametrize("value", ["-21%", "−21%", "- 2.5"])
def test_a_negative_value_in_a_chart_is_called_negative(project: Path, run, value: str) -> None:
    # It was "statistic 'characteristic-addiction' has no number to chart", of a value that is plainly a number.
    edit(project / "packs/library/statistics.yaml", "value: 21%, text: Addiction", f"value: '{value}', text: Addiction")
    result = run("check", "ten-principles")
    assert (result.exit_code, result.stderr) == (1, (
        f"packs/ten-principles.yaml:32:11: statistic 'characteristic-addiction' has the value '{value}', below 0: a "
        "chart's bars show amounts of 0 or more — list it under 'statistics' instead, where its value is printed as "
        f"written\n{READ}"))


def test_every_markup_mistake_in_a_text_is_reported_where_it_is(project: Path, run) -> None:
    # Only the first was reported ('{bord}' on line 14); the others came one build at a time. Two mistakes written
    # alike are each pointed at where they are, and a text's mistakes come with the pack's others.
    edit(project / PACK, '    text: "Whilst the cases were diverse, there were themes to learn from:"', (
        "    text: |\n      See {bord} and **this and [x](www.a.org).\n\n      Then {bord} again, and *that."))
    edit(project / "packs/library/lessons.yaml", "themes: [fathers, assessment]", "themes: [father, assessment]")
    result = run("check", "lancashire-7mb")
    refs = "use one of: {board}, {board_short}, {review_type}, {procedure:ID}; write \\{ for a literal brace"
    assert (result.exit_code, result.stderr) == (1, (
        "packs/library/lessons.yaml:8:14: unknown theme 'father' (did you mean 'fathers'?) — use a theme id from "
        "packs/library/, or add it there\n"
        f"{PACK}:14:11: 'text' in section 02: unknown reference '{{bord}}' (did you mean 'board'?) — {refs}\n"
        f"{PACK}:14:22: 'text' in section 02: '**' starts bold text that is never closed — close it with '**', or "
        "write \\* for a literal asterisk\n"
        f"{PACK}:14:33: 'text' in section 02: link address 'www.a.org' has no scheme — write it with https:// in "
        "front: https://www.a.org\n"
        f"{PACK}:16:12: 'text' in section 02: unknown reference '{{bord}}' (did you mean 'board'?) — {refs}\n"
        f"{PACK}:16:30: 'text' in section 02: '*' starts italic text that is never closed — close it with '*', or "
        "write \\* for a literal asterisk\n"
        "6 problems found.\n"))


def test_every_mistake_in_a_one_line_text_is_reported(project: Path, run) -> None:
    edit(project / PACK, "subtitle: Learning from five", "subtitle: Learning {from} {bord} five")
    result = run("check", "lancashire-7mb")
    refs = "use one of: {board}, {board_short}, {review_type}, {procedure:ID}; write \\{ for a literal brace"
    assert (result.exit_code, result.stderr) == (1, (
        f"{PACK}:4:20: 'subtitle' in the pack: unknown reference '{{from}}' — {refs}\n"
        f"{PACK}:4:27: 'subtitle' in the pack: unknown reference '{{bord}}' (did you mean 'board'?) — {refs}\n"
        "2 problems found.\n"))


def test_an_unknown_reference_in_a_brand_s_words_is_reported(project: Path, run) -> None:
    # '{dat}' and '{boardd}' were printed as typed, in every document of the brand, without a word. (In the order of
    # the file's lines, not of briefpack's list of words.)
    edit(project / "branding/lancashire/brand.yaml", "vocabulary:\n", (
        "vocabulary:\n  words:\n    credit: Adapted from {board}, {dat}, {date}\n    contacts: Contacts at {boardd}\n"
        "    kit_before_read: Read it with {x} and {x}\n"))
    for command in (("build", "lancashire-7mb"), ("brand", "check", "lancashire")):
        result = run(*command)
        assert (result.exit_code, result.stderr) == (1, (
            "branding/lancashire/brand.yaml:34:35: 'credit' in 'words': unknown reference '{dat}' (did you mean "
            "'date'?) — use {board} or {date} (what briefpack fills in here), or write the words in full\n"
            "branding/lancashire/brand.yaml:35:27: 'contacts' in 'words': unknown reference '{boardd}' (did you mean "
            "'board'?) — write the words in full\n"
            "branding/lancashire/brand.yaml:36:35: 'kit_before_read' in 'words': unknown reference '{x}' — use {pack} "
            "(what briefpack fills in here), or write the words in full\n"
            "branding/lancashire/brand.yaml:36:43: 'kit_before_read' in 'words': unknown reference '{x}' — use {pack} "
            "(what briefpack fills in here), or write the words in full\n"
            f"{found(command, 4)}")), command


@pytest.mark.parametrize(("brand", "place", "commands"), [
    ("lancashire", "34:28", (("build", "lancashire-7mb", "--kit"), ("brand", "check", "lancashire"))),
    # A parent's word is the parent's to judge: default's was reported once for each brand loaded, with the
    # procedures of a brand extending it ('extra-one', which default has not) as well as default's own.
    ("default", "42:28", (("check", "--all", "--brand", "all"), ("brand", "check"), ("build", "lancashire-7mb"))),
])
def test_a_procedure_a_brand_s_word_names_and_the_brand_lacks_is_reported(
        project: Path, run, brand: str, place: str, commands: tuple[tuple[str, ...], ...]) -> None:
    # '{procedure:escalaton}' in a word was printed as typed, with no message (pack text's is reported).
    edit(project / f"branding/{brand}/brand.yaml", "vocabulary:\n", (
        "vocabulary:\n  words:\n    kit_before_read: 'Read {procedure:escalaton} and {procedure:escalation}.'\n"))
    if brand == "default":
        edit(project / "branding/lancashire/brand.yaml", "procedures:\n", (
            "procedures:\n  - {id: extra-one, title: Extra, url: https://www.example.org/x}\n"))
    known = "use one of: escalation, thresholds, hard-to-reach-young-people; or add it under procedures:"
    for command in commands:
        result = run(*command)
        assert (result.exit_code, result.stderr) == (1, (
            f"branding/{brand}/brand.yaml:{place}: 'kit_before_read' in 'words': the brand has no procedure "
            f"'escalaton' (did you mean 'escalation'?) — {known}\n{found(command)}")), command


def test_a_word_naming_a_procedure_a_brand_extending_it_lacks_names_that_brand(project: Path, run) -> None:
    # default's word names a procedure of its own; the brands extending it list procedures of their own without it,
    # so their documents printed '{procedure:extra-one}' as typed. Told at the word, which brand lacks it: not 'the
    # brand', which in default's file is default, and has it. (Each brand lacking it is a file to mend.)
    edit(project / "branding/default/brand.yaml", "procedures:", (
        "procedures:\n  - {id: extra-one, title: Extra, url: https://www.example.org/x}\n#"))
    edit(project / "branding/default/brand.yaml", "vocabulary:\n", (
        "vocabulary:\n  words:\n    kit_before_read: 'Read it and see {procedure:extra-one}.'\n"))
    assert run("brand", "check", "default").exit_code == 0

    def lacks(brand: str) -> str:
        return (f"branding/default/brand.yaml:44:39: 'kit_before_read' in 'words': brand '{brand}', which extends "
                f"this brand, lists its own procedures and has no 'extra-one' — add it under procedures: in "
                f"branding/{brand}/brand.yaml, or give brand '{brand}' its own 'kit_before_read' there\n")

    for command in (("brand", "check", "lancashire"), ("build", "lancashire-7mb")):
        result = run(*command)
        assert (result.exit_code, result.stderr) == (1, lacks("lancashire") + found(command)), command
    result = run("check", "--all", "--brand", "all")
    assert (result.exit_code, result.stderr) == (1, (
        lacks("bscb") + lacks("gloucestershire") + lacks("lancashire") + found("check", 3)))
    # A brand's own word is its own to judge.
    edit(project / "branding/lancashire/brand.yaml", "vocabulary:\n", (
        "vocabulary:\n  words:\n    kit_before_read: 'Read it and see {procedure:escalation}.'\n"))
    assert run("brand", "check", "lancashire").exit_code == 0


def test_a_word_missing_a_placeholder_has_its_unknown_references_reported_too(project: Path, run) -> None:
    # Only "'credit' must keep {date}" was said; the two '{dat}' came on the next run.
    edit(project / "branding/lancashire/brand.yaml", "vocabulary:\n", (
        "vocabulary:\n  words:\n    credit: 'From {board} {dat} and {dat}'\n"))
    fix = "use {board} or {date} (what briefpack fills in here), or write the words in full"
    for command in (("build", "lancashire-7mb"), ("brand", "check", "lancashire")):
        result = run(*command)
        assert (result.exit_code, result.stderr) == (1, (
            "branding/lancashire/brand.yaml:34:13: 'credit' must keep {date} — briefpack fills it in; the English "
            "is 'Adapted from a briefing by {board}, {date}'\n"
            "branding/lancashire/brand.yaml:34:27: 'credit' in 'words': unknown reference '{dat}' (did you mean "
            f"'date'?) — {fix}\n"
            "branding/lancashire/brand.yaml:34:37: 'credit' in 'words': unknown reference '{dat}' (did you mean "
            f"'date'?) — {fix}\n"
            f"{found(command, 3)}")), command


def test_a_word_whose_placeholder_is_escaped_does_not_keep_it(project: Path, run) -> None:
    # 'Attendee {row} \\{part}' passed as keeping {part} (the text '{part}' was in it), though '\\{part}' prints as
    # written: every attendee's four fields had one title, and returns could not tell them apart by their titles.
    edit(project / "branding/lancashire/brand.yaml", "vocabulary:\n", (
        "vocabulary:\n  words:\n    kit_attendee: 'Attendee {row} \\{part}'\n"
        "    reading_time: 'About \\{minutes} minutes'\n"))
    for command in (("build", "lancashire-7mb"), ("brand", "check", "lancashire")):
        result = run(*command)
        assert (result.exit_code, result.stderr) == (1, (
            "branding/lancashire/brand.yaml:34:19: 'kit_attendee' must keep {part} — briefpack fills it in; the "
            "English is 'Attendee {row}: {part}'\n"
            "branding/lancashire/brand.yaml:35:19: 'reading_time' must keep {minutes} — briefpack fills it in; the "
            "English is 'About {minutes} minutes to read'\n"
            f"{found(command, 2)}")), command


def test_every_word_of_a_brand_fills_in_the_board_references(project: Path, run) -> None:
    # The page label, the kit's sentences and a contact line's label were printed as typed ('{board_short} page 1
    # of 2'), '\\{' with its backslash: only words that reached the document as plain fields were filled in.
    from conftest import docx_header_footer_text, docx_text, norm

    edit(project / "branding/lancashire/brand.yaml", "vocabulary:\n", (
        "vocabulary:\n  words:\n    page: '{board_short} page {page} of {pages}'\n"
        "    kit_before_read: 'Read it with the \\{team} of {board_short} and {procedure:escalation}.'\n"
        "    credit: 'Adapted from {board}, {date}, for {review_type}'\n"
        "    website: '{board_short} website'\n"
        "    document_control: 'Control at {board_short}'\n"
        "    kit_discussion_notes: 'Notes for {board}.'\n"))
    edit(project / "packs/gloucestershire-8-lessons.yaml", "\ntitle:", "\nversion: '1.2'\ntitle:")
    result = run("build", "lancashire-7mb", "gloucestershire-8-lessons", "--brand", "lancashire", "--kit", "-q")
    assert result.exit_code == 0, result.output
    out = project / "output/lancashire"
    kit_said = ("Read it with the {team} of LSCB and LSCB guidance – Resolving Professional Disagreement.",
                "Notes for Lancashire Safeguarding Children Board.")
    for name, said in (("lancashire-7mb", ("LSCB page 1 of 2", "LSCB website: www.lancshiresafeguarding.org.uk")),
                       ("gloucestershire-8-lessons", (
                           "LSCB page 1 of 2", "Control at LSCB: Version 1.2",
                           "Adapted from Gloucestershire Safeguarding Children Board, 2010, for Serious Case Review")),
                       ("lancashire-7mb-kit", ("LSCB page 1 of 4", *kit_said)),
                       ("gloucestershire-8-lessons-kit", ("LSCB page 1 of 3", *kit_said))):
        pdf = norm(pdf_text(out / f"{name}.pdf"))
        docx = norm(docx_text(out / f"{name}.docx") + "\n" + docx_header_footer_text(out / f"{name}.docx"))
        for text in said:
            assert text in pdf, (name, text)
            word = text.replace("page 1 of 2", "page 1 of 1").replace("page 1 of 3", "page 1 of 1").replace(
                "page 1 of 4", "page 1 of 1")  # Word's PAGE and NUMPAGES fields hold 1 until Word lays it out
            assert word in docx, (name, text)
        assert "{board" not in pdf + docx and "\\{" not in pdf + docx, name


def test_a_kit_names_its_pack_by_the_kicker_the_briefing_prints(project: Path, run) -> None:
    # The kit's "goes with" sentence took the kicker as written, as data: '{board_short} précis \\{k\\}' printed
    # with its braces and backslashes while the briefing said 'LSCB précis {k}'.
    from docx import Document
    from pypdf import PdfReader

    from conftest import docx_text, norm

    edit(project / "branding/lancashire/brand.yaml", "vocabulary:\n",
         "vocabulary:\n  words:\n    precis: '{board_short} précis \\{k\\}'\n")
    edit(project / PACK, "\ntitle:", "\nkicker: 'About \\{board\\} at {board_short}'\ntitle:")
    result = run("build", "national-scr-precis", "lancashire-7mb", "--brand", "lancashire", "--kit", "-q")
    assert result.exit_code == 0, result.output
    out = project / "output/lancashire"
    for name, kicker, title in (
            ("national-scr-precis", "LSCB précis {k}", "Learning lessons from national serious case reviews on "
                                                       "children"),
            ("lancashire-7mb", "About {board} at LSCB", "Themes from Serious Case Reviews")):
        for path in (out / f"{name}.pdf", out / f"{name}.docx"):
            text = norm(pdf_text(path) if path.suffix == ".pdf" else docx_text(path))
            assert kicker in text, path
        goes_with = f"This kit goes with the {kicker} \u201c{title}\u201d."
        subject = f"Team meeting kit for a {kicker} from Lancashire Safeguarding Children Board"
        pdf, docx = out / f"{name}-kit.pdf", out / f"{name}-kit.docx"
        assert goes_with in norm(pdf_text(pdf)), name
        assert goes_with in norm(docx_text(docx)), name
        assert PdfReader(pdf).metadata["/Subject"] == subject
        assert Document(str(docx)).core_properties.subject == subject


def test_the_subject_says_the_document_control_as_the_body_does(project: Path, run) -> None:
    # The subject was made of the control's text with its escapes removed, then resolved again: a version word
    # 'Ver \\{board_short\\}' said 'Ver {board_short} 1.0' in the body and 'Ver LSCB 1.0' in the subject.
    from docx import Document
    from pypdf import PdfReader

    from conftest import docx_text, norm

    edit(project / "branding/lancashire/brand.yaml", "vocabulary:\n", (
        "vocabulary:\n  words:\n    version: 'Ver \\{board_short\\}'\n    owner: 'Owner at {board_short}'\n"))
    edit(project / PACK, "\ntitle:", "\nversion: '1.0'\nowner: Team\ntitle:")
    result = run("build", "lancashire-7mb", "-q")
    assert result.exit_code == 0, result.output
    control = "Ver {board_short} 1.0 · Owner at LSCB: Team"
    pdf, docx = project / "output/lancashire/lancashire-7mb.pdf", project / "output/lancashire/lancashire-7mb.docx"
    assert f"Document control: {control}" in norm(pdf_text(pdf))
    assert f"Document control: {control}" in norm(docx_text(docx))
    subject = f"7-minute briefing from Lancashire Safeguarding Children Board – {control}"
    assert PdfReader(pdf).metadata["/Subject"] == subject
    assert Document(str(docx)).core_properties.subject == subject


def test_an_escaped_placeholder_of_the_page_logo_and_link_words_is_printed(project: Path, run) -> None:
    # Resolving the words read '\\{page\\}' as '{page}' before the renderers filled the placeholders in, so
    # 'Page \\{page\\} is {page} of {pages}' printed 'Page 1 is 1 of 2', and the logo's and links' words alike.
    import re

    from docx import Document
    from pypdf import PdfReader

    from conftest import docx_header_footer_text, norm, pdf_dictionaries, structure_alts

    edit(project / "branding/lancashire/brand.yaml", "vocabulary:\n", (
        "vocabulary:\n  words:\n    page: 'Page \\{page\\} is {page} of {pages} at {board_short}'\n"
        "    logo_alt: 'Logo \\{name\\} of {name}'\n"
        "    link_open: 'Opens \\{address\\}: {address}'\n"))
    result = run("build", "lancashire-7mb", "-q")
    assert result.exit_code == 0, result.output
    pdf, docx = project / "output/lancashire/lancashire-7mb.pdf", project / "output/lancashire/lancashire-7mb.docx"
    assert "Page {page} is 1 of 2 at LSCB" in norm(pdf_text(pdf))
    assert "Page {page} is 1 of 1 at LSCB" in norm(docx_header_footer_text(docx))  # Word's PAGE and NUMPAGES fields
    logo = "Logo {name} of Lancashire Safeguarding Children Board"
    assert logo in structure_alts(pdf)
    header = Document(str(docx)).sections[0].first_page_header._element
    assert logo in header.xpath(".//wp:docPr/@descr")
    address = "https://www.lancashiresafeguarding.org.uk/resolving-professional-disagreement"
    contents = {str(d["/Contents"]) for page in PdfReader(pdf).pages for d in pdf_dictionaries(page)
                if d.get("/Subtype") == "/Link" and "/Contents" in d}
    assert f"Opens {{address}}: {address}" in contents
    tips = set(re.findall(r'w:tooltip="([^"]*)"', Document(str(docx)).element.xml))
    assert f"Opens {{address}}: {address}" in tips


KIT_WORDS = {"kit_section_words": "{section} \\{words} ({words} words)",
             "kit_attendee": "Attendee {row} \\{part}: {part}",
             "kit_action_part": "Action {row} \\{part}: {part}", "kit_minutes": "{minutes} min \\{minutes}",
             "reading_time": "About {minutes} minutes (\\{minutes})", "subject": "{kind} \\{kind} from {board}"}


def _kit_fields(pdf: Path, docx: Path) -> list[dict[str, str]]:
    """{field name: title} of a kit's PDF (/TU) and of its Word file (content control tag: title)."""
    import zipfile

    from lxml import etree
    from pypdf import PdfReader

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    fields = PdfReader(pdf).get_fields() or {}
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return [{name: str(f.get("/TU")) for name, f in fields.items()},
            {pr.find(f"{w}tag").get(f"{w}val"): pr.find(f"{w}alias").get(f"{w}val") for pr in root.iter(f"{w}sdtPr")}]


def test_an_escaped_placeholder_of_a_kit_word_is_printed_and_the_real_one_filled(project: Path, run) -> None:
    # The kit's words (and the reading time and subject) were filled in before they were resolved, by a plain
    # replace: '{section} \\{words} ({words} words)' printed '01 Background \\129 (129 words)', 'Attendee {row}
    # \\{part}: {part}' titled the field 'Attendee 3 \\agency: agency', and returns could not read that title back.
    from docx import Document
    from pypdf import PdfReader

    from briefpack import kit
    from briefpack.returns import _ProjectWords
    from conftest import docx_text, norm

    words = "".join(f"    {key}: '{value}'\n" for key, value in KIT_WORDS.items())
    edit(project / "branding/lancashire/brand.yaml", "vocabulary:\n", f"vocabulary:\n  words:\n{words}")
    result = run("build", "lancashire-7mb", "--kit", "-q")
    assert result.exit_code == 0, result.output
    out = project / "output/lancashire"
    for name in ("lancashire-7mb", "lancashire-7mb-kit"):
        subject = ("7-minute briefing {kind} from Lancashire Safeguarding Children Board" if name == "lancashire-7mb"
                   else "Team meeting kit for a 7-minute briefing from Lancashire Safeguarding Children Board")
        assert PdfReader(out / f"{name}.pdf").metadata["/Subject"] == subject
        assert Document(str(out / f"{name}.docx")).core_properties.subject == subject
    for text in (norm(pdf_text(out / "lancashire-7mb.pdf")), norm(docx_text(out / "lancashire-7mb.docx"))):
        assert "About 5 minutes ({minutes})" in text
    for text in (norm(pdf_text(out / "lancashire-7mb-kit.pdf")), norm(docx_text(out / "lancashire-7mb-kit.docx"))):
        for row in ("01 Background {words} (129 words) 1 min {minutes} 45 s (from 0:00)",
                    "03 Information {words} (67 words) 45 s (from 3:00)",
                    "All seven sections (557 words) 7 min {minutes}"):
            assert row in text, row
        assert "\\" not in text
    said = _ProjectWords().of("lancashire")
    assert said is not None
    for titles in _kit_fields(out / "lancashire-7mb-kit.pdf", out / "lancashire-7mb-kit.docx"):
        assert (titles["attendee_3_agency"], titles["action_2_by"]) == ("Attendee 3 {part}: agency",
                                                                        "Action 2 {part}: by when")
        # A Word kit saved by LibreOffice keeps only the titles: each is read back to its field.
        assert {kit.field_of_title(title, said) for name, title in titles.items() if name != "rating"} == (
            set(titles) - {"rating"})


def test_a_pack_s_text_with_braces_and_asterisks_prints_as_written_in_the_briefing_and_its_kit(project: Path,
                                                                                               run) -> None:
    # What the board's words are filled with is data: a title's '{words}' or '**', a label's '{section}', a
    # question's '\\{x}' print as the briefing prints them. A kicker's '\\{board}' (a brace, as written) was put into
    # the subject word before its '{board}' was filled in, and filled in too: 'Review of \\Lancashire … from …'.
    from docx import Document
    from pypdf import PdfReader

    from conftest import docx_text, norm

    pack = project / PACK
    edit(pack, "title: Themes from Serious Case Reviews",
         "title: Themes \\{words} from **Serious** Case Reviews a\\b\nkicker: Review of \\{board}")
    edit(pack, "label: Why it matters", "label: Why \\{section} **matters**")
    edit(project / "packs/library/questions.yaml", "views of the father,", "views of the father (\\\\\\{x\\} said),")
    result = run("build", "lancashire-7mb", "--kit", "-q")
    assert result.exit_code == 0, result.output
    out = project / "output/lancashire"
    title = "Themes {words} from **Serious** Case Reviews a\\b"
    question = "1. Have I heard the views of the father (\\{x} said), have I made assumptions about the father?"
    for name in ("lancashire-7mb", "lancashire-7mb-kit"):
        for text in (norm(pdf_text(out / f"{name}.pdf")), norm(docx_text(out / f"{name}.docx"))):
            assert title in text and "02 Why {section} **matters**" in text, name
            assert question[3:] in text, name
    subject = "Review of {board} from Lancashire Safeguarding Children Board"
    kit_subject = "Team meeting kit for a review of {board} from Lancashire Safeguarding Children Board"
    for name, said in (("lancashire-7mb", (title, subject)), ("lancashire-7mb-kit", (f"{title} – team meeting kit",
                                                                                      kit_subject))):
        metadata = PdfReader(out / f"{name}.pdf").metadata
        assert (metadata["/Title"], metadata["/Subject"]) == said
        core = Document(str(out / f"{name}.docx")).core_properties
        assert (core.title, core.subject) == said
    for text in (norm(pdf_text(out / "lancashire-7mb-kit.pdf")), norm(docx_text(out / "lancashire-7mb-kit.docx"))):
        assert f"This kit goes with the review of {{board}} \u201c{title}\u201d." in text
        assert "02 Why {section} **matters** (105 words)" in text
    for titles in _kit_fields(out / "lancashire-7mb-kit.pdf", out / "lancashire-7mb-kit.docx"):
        assert titles["question_1"] == question


def test_a_chart_prints_a_statistic_as_its_list_does(project: Path, run) -> None:
    # A chart's labels were a statistic's text already read (its '\\{board}' a brace), then resolved again with the
    # document: 'Domestic abuse \\{board}' was 'Domestic abuse Local Safeguarding Children Partnership' in the chart,
    # its table and its alt text. A reference in it is still filled in, once.
    from docx import Document

    from conftest import docx_text, norm, structure_alts

    edit(project / "packs/library/statistics.yaml", "text: Domestic abuse/violence,",
         'text: "Domestic abuse in {board_short} \\\\{board}",')
    result = run("build", "ten-principles", "-q")
    assert result.exit_code == 0, result.output
    pdf, docx = project / "output/default/ten-principles.pdf", project / "output/default/ten-principles.docx"
    said = "Domestic abuse in LSCP {board}"
    assert norm(pdf_text(pdf)).count(f"{said} 35%") == 2  # the chart's label and its table
    assert f"{said} 35%" in norm(docx_text(docx))
    alt = f"Bar chart: Characteristics of the 538 children notified, 2018-19. {said}: 35%; Addiction: 21%;"
    assert any(a.startswith(alt) for a in structure_alts(pdf))
    described = [e.get("descr") or "" for e in Document(str(docx)).element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert any(d.startswith(alt) for d in described)


def test_problems_come_in_the_order_of_the_file(project: Path, run) -> None:
    # They came by kind: the unknown lesson (line 14) and key (line 20) before the brand (line 6).
    edit(project / PACK, "lessons: [fathers-involvement,", "lessons: [fathers-involvment,")
    edit(project / PACK, "  - label: What to do\n", "  - label: What to do\n    labl: x\n")
    edit(project / PACK, "brand: lancashire", "brand: lancs")
    result = run("check", "lancashire-7mb")
    assert (result.exit_code, result.stderr) == (1, (
        f"{PACK}:6:8: unknown brand 'lancs' (did you mean 'lancashire'?) — use one of: bscb, default, gloucestershire, "
        "lancashire; or make it with 'briefpack brand new lancs'\n"
        f"{PACK}:14:15: unknown lesson 'fathers-involvment' (did you mean 'fathers-involvement'?) — use a lesson id "
        "from packs/library/, or add it there\n"
        f"{PACK}:20:5: unknown key 'labl' in section 06 (did you mean 'label'?) — use one of: label, text, sources, "
        "lessons, show, questions, actions, points, statistics, chart, links, services, after\n"
        "3 problems found.\n"))


def test_a_linked_packs_folder_is_the_project_s_and_named_as_typed(project: Path, run) -> None:
    # packs/ a link to a shared folder: every brand was unknown ("unknown brand 'lancashire' — make it with …"), as
    # briefpack looked for branding/ beside the link's target, and each pack was named by where the link leads.
    (project / "shared").mkdir()
    (project / "packs").rename(project / "shared/packs")
    (project / "packs").symlink_to("shared/packs")
    assert run("check", "packs/lancashire-7mb.yaml").exit_code == 0
    edit(project / "packs/lancashire-7mb.yaml", "brand: lancashire", "brand: lancs")
    (project / "linked").symlink_to("packs")  # a link to a link to a folder in the working folder
    for pack, shown in (("packs/lancashire-7mb.yaml", PACK), ("lancashire-7mb", PACK),
                        ("linked/lancashire-7mb.yaml", "linked/lancashire-7mb.yaml")):
        result = run("check", pack)
        assert (result.exit_code, result.stderr) == (1, (
            f"{shown}:6:8: unknown brand 'lancs' (did you mean 'lancashire'?) — use one of: bscb, default, "
            f"gloucestershire, lancashire; or make it with 'briefpack brand new lancs'\n{READ}"))


@pytest.mark.parametrize("command", [("check", "nosuch"), ("list", "lessons", "--theme", "nosuch"),
                                     ("brand", "check", "nosuch")])
def test_a_command_that_writes_nothing_does_not_speak_of_writing(project: Path, run, command) -> None:
    # Each ended "1 problem found; nothing was written.", as if it might have written something.
    result = run(*command)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (1, "1 problem found.")
    assert run("build", "nosuch").stderr.splitlines()[-1] == "1 problem found; nothing was written."


def test_a_word_no_line_can_hold_is_called_that_not_words_over(project: Path, run) -> None:
    # 99,000 characters without a space were "about 110 words over": trimming 110 words would not have helped.
    edit(project / PACK, '"Whilst the cases', f'"{"x" * 99_000} Whilst the cases')
    result = run("check", "lancashire-7mb")
    assert (result.exit_code, result.stderr) == (1, (
        f"{PACK}: section 02 'Why it matters' is too long in the lancashire brand: one word in it is 99,000 characters "
        f"long ('{'x' * 20}…'), more than a line can hold — shorten that word or put spaces in it (was text pasted "
        f"without its spaces?)\n{READ}"))


def test_brand_check_reports_every_brand_it_cannot_load(project: Path, run) -> None:
    # It stopped at the first brand that failed to load: bscb's problem hid lancashire's, and gloucestershire (which
    # loads, and fails its contrast check) was not checked at all.
    edit(project / "branding/bscb/brand.yaml", "name: BSCB", "name: [BSCB]")
    edit(project / "branding/lancashire/brand.yaml", "name: Lancashire", "extends: nosuch\nname: Lancashire")
    edit(project / "branding/gloucestershire/brand.yaml", "primary: '#00594f'", "primary: '#eeeeee'")
    problems = (
        "branding/bscb/brand.yaml:2:7: 'name' in brand 'bscb' must be text, not a list — write it on one line after "
        "the colon, in quotes if it has ': ' in it\n"
        "branding/lancashire/brand.yaml:2:10: unknown brand 'nosuch' — use one of: bscb, default, gloucestershire, "
        "lancashire; or make it with 'briefpack brand new nosuch'\n")
    for names in ((), ("bscb", "gloucestershire", "lancashire")):
        result = run("brand", "check", *names)
        assert (result.exit_code, result.stderr) == (1, problems + found(("brand", "check"), 2)), names
        assert "brand 'gloucestershire': 12 checks passed, 3 failed\n" in result.stdout
        assert ("brand 'default': 15 checks passed, 0 failed\n" in result.stdout) == (not names)


@pytest.mark.parametrize(("command", "problem"), [
    (("new", "pack", "con"), "con: 'con' cannot be a pack id: Windows keeps the name CON for a device, so files named "
                             "after it cannot be opened there — choose another, e.g. 'con-7mb'"),
    (("brand", "new", "aux"), "branding/aux: 'aux' cannot be a brand name: Windows keeps the name AUX for a device, so "
                              "folders named after it cannot be opened there — choose another, e.g. 'aux-scp'"),
    # Both were told "use lower-case letters, digits and hyphens", which they were.
    (("new", "pack", "a" * 81), f"{'a' * 81}: '{'a' * 30}…' is 81 characters long, more than the 80 a pack id may "
                                "have — shorten it"),
    (("brand", "new", "b" * 41), f"branding/{'b' * 41}: '{'b' * 30}…' is 41 characters long, more than the 40 a brand "
                                 "name may have — shorten it"),
])
def test_a_new_pack_or_brand_is_named_so_it_can_be_opened_anywhere(project: Path, run, command, problem: str) -> None:
    # 'con' and 'aux' were made: packs/con.yaml, output/default/con.pdf and branding/aux/ cannot be opened on Windows.
    result = run(*command)
    assert (result.exit_code, result.stderr) == (1, f"{problem}\n{ONE}")
    assert not (project / f"packs/{command[-1]}.yaml").exists() and not (project / f"branding/{command[-1]}").exists()


def test_a_pack_whose_files_could_not_be_named_is_refused(project: Path, run) -> None:
    # packs/AUX.yaml wrote output/default/aux.pdf, which Windows cannot open; a file name of 250 letters was told
    # "this file cannot be read, so briefpack cannot tell whether it was edited", of a -large-print.docx too long to
    # be a file name at all.
    long = "b" * 250
    for name in ("AUX", long):
        shutil.copy(project / "packs/ten-principles.yaml", project / f"packs/{name}.yaml")
    device = ("packs/AUX.yaml: this pack's files would be named 'aux' (aux.pdf, aux.docx), a name Windows keeps for a "
              "device (AUX): they could not be opened there — rename the pack file, e.g. to aux-briefing.yaml\n")
    too_long = (f"packs/{long}.yaml: this pack's files are named after its file name, which is 250 characters long: "
                "more than the 80 a pack's id may have — rename the pack file to a shorter name\n")
    result = run("check")
    assert (result.exit_code, result.stderr) == (1, device + too_long + found("check", 2))
    result = run("build", f"packs/{long}.yaml", "--large-print")
    assert (result.exit_code, result.stderr) == (1, too_long + ONE)
    assert not (project / "output").exists()


def test_an_id_too_long_is_told_its_length(project: Path, run) -> None:
    edit(project / "packs/library/lessons.yaml", "  - id: fathers-involvement", f"  - id: {'f' * 90}")
    result = run("check", "ten-principles")
    assert (result.exit_code, result.stderr) == (1, (  # was "… is not a valid id — use lower-case letters, …"
        f"packs/library/lessons.yaml:3:9: '{'f' * 30}…' is 90 characters long, more than the 80 an id may have — "
        f"shorten it\n{READ}"))


def test_a_brand_folder_without_its_brand_yaml_is_called_that(project: Path, run) -> None:
    # It was "unknown brand 'board' — … or make it with 'briefpack brand new board'", of a folder the user can see,
    # and 'brand new board' then said "this brand already exists — edit branding/board/brand.yaml", a file that
    # is not there.
    (project / "branding/board").mkdir()
    (project / "branding/board/House-Regular.ttf").write_bytes(b"a font of the board's own")
    result = run("build", "lancashire-7mb", "--brand", "board")
    assert (result.exit_code, result.stderr) == (1, (
        "branding/board: unknown brand 'board': branding/board/ has no brand.yaml — write branding/board/brand.yaml "
        f"(see branding/README.md), or make it with 'briefpack brand new board'\n{ONE}"))
    result = run("brand", "new", "board")  # fills the folder in, keeping what is there
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "branding/board").iterdir()) == [
        "House-Regular.ttf", "brand.yaml", "logo.png"]
    assert (project / "branding/board/House-Regular.ttf").read_bytes() == b"a font of the board's own"
    assert run("brand", "check", "board").exit_code == 0
    # A logo.png of the user's own is never replaced.
    (project / "branding/other").mkdir()
    (project / "branding/other/logo.png").write_bytes(b"the board's own logo")
    result = run("brand", "new", "other")
    assert (result.exit_code, result.stderr) == (1, (
        "branding/other: there is a folder of this name without a brand.yaml, and its logo.png would be replaced — "
        "write branding/other/brand.yaml yourself (see branding/README.md), or move logo.png out of the folder and "
        f"run this again\n{ONE}"))
    assert [p.name for p in (project / "branding/other").iterdir()] == ["logo.png"]
    assert (project / "branding/other/logo.png").read_bytes() == b"the board's own logo"


def test_a_chart_label_wider_than_its_column_is_broken_not_cut_off() -> None:
    # 'Addiction/alcohol-misuse/drug-misuse/…' was drawn whole, right-aligned to the bars, so its start ran past the
    # chart's left edge and was cut off ('ddiction/alcohol…'). It breaks after a '/', '-' or '.', else between letters.
    from briefpack.document import Bar, Chart
    from briefpack.render.figures import Text, layout_bar_chart

    def measure(text: str, size: float, bold: bool) -> float:
        return len(text) * size * 0.5

    labels = ("Addiction/alcohol-misuse/drug-misuse/substance-misuse/gambling", "x" * 120, "Sexual abuse")
    chart = Chart("Characteristics", "", tuple(Bar(label, 10.0, "10%") for label in labels))
    _, items = layout_bar_chart(chart, 400, measure)
    lines = [item for item in items if isinstance(item, Text) and item.align == "right"]
    assert all(line.x - measure(line.text, line.size, False) >= 0 for line in lines)
    assert [line.text for line in lines] == [
        "Addiction/alcohol-misuse/drug-misuse/", "substance-misuse/gambling",  # 38 characters a line here
        "x" * 38, "x" * 38, "x" * 38, "x" * 6, "Sexual abuse"]


def test_a_charted_value_too_long_to_print_beside_its_bar_is_refused(project: Path, run) -> None:
    # '100000000000000000000000000000000000000000000000%' took the bars' room: the bars ran backwards over the labels.
    edit(project / "packs/library/statistics.yaml", "value: 21%, text: Addiction",
         f"value: '{'1' * 47}%', text: Addiction")
    result = run("check", "ten-principles")
    assert (result.exit_code, result.stderr) == (1, (
        f"packs/ten-principles.yaml:32:11: statistic 'characteristic-addiction' has the value '{'1' * 20}…', 48 "
        "characters long: too long to print beside a chart's bar (at most 12) — check the number in packs/library/, "
        f"or list it under 'statistics' instead, where its value is printed as written\n{READ}"))
    edit(project / "packs/library/statistics.yaml", f"{'1' * 47}%", "123456789.5%")  # twelve is fine
    assert run("check", "ten-principles").exit_code == 0


@pytest.mark.parametrize(("file", "old", "new", "problem"), [
    # Each was followed by "unknown lesson 'fathers-involvement'" where the pack uses it, and "unknown theme
    # 'fathers'" at every lesson and question of that theme: the item is there, its id could not be read.
    ("lessons.yaml", "  - id: fathers-involvement", "  - id: {fathers: involvement}",
     "packs/library/lessons.yaml:3:9: 'id' must be text, not a mapping (key: value lines) — write it on one line "
     "after the colon, in quotes if it has ': ' in it"),
    ("themes.yaml", "  - {id: fathers, ", "  - {id: Fathers, ",
     "packs/library/themes.yaml:3:10: 'Fathers' is not a valid id — use lower-case letters, digits and hyphens, e.g. "
     "'voice-of-the-child'"),
])
def test_a_library_item_whose_id_cannot_be_read_is_one_problem(project: Path, run, file: str, old: str, new: str,
                                                                problem: str) -> None:
    edit(project / "packs/library" / file, old, new)
    for command in (("check",), ("build", "lancashire-7mb")):
        result = run(*command)
        assert (result.exit_code, result.stderr) == (1, f"{problem}\n{found(command)}"), command


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("  review_type: Serious Case Review\n", "  review_type: Serious Case Review\n  months: 5\n",
     # and "'months' has 0 names"
     "34:11: 'months' in 'vocabulary' must be a list, not text — write one '- item' per line under it"),
    ("  review_type: Serious Case Review\n", "  review_type: Serious Case Review\n  months: [a, [b]]\n",
     "34:15: an item of 'months' must be text, not a list — write it on one line after the colon, in quotes if it "
     "has ': ' in it"),  # and "'months' has 1 names"
    ("short_name: LSCB\n", "short_name: LSCB\nwords_per_minute: [150]\n",
     "4:19: 'words_per_minute' in brand 'lancashire' must be text, not a list — write it on one line after the colon, "
     "in quotes if it has ': ' in it"),  # and "must be a whole number from 80 to 250, not ''"
])
def test_a_brand_value_of_the_wrong_shape_is_one_problem(project: Path, run, old: str, new: str, problem: str) -> None:
    edit(project / "branding/lancashire/brand.yaml", old, new)
    result = run("brand", "check", "lancashire")
    assert (result.exit_code, result.stderr) == (
        1, f"branding/lancashire/brand.yaml:{problem}\n{found(('brand', 'check'))}")


@pytest.mark.parametrize(("make", "problem"), [
    (lambda library: shutil.rmtree(library), "the lesson library folder is missing — create it with at least a "
                                             "lessons.yaml (see packs/README.md)"),
    (lambda library: shutil.rmtree(library) or library.write_text("notes", encoding="utf-8"),
     "this should be the lesson library folder, but it is not a folder — move it elsewhere and create the folder with "
     "at least a lessons.yaml (see packs/README.md)"),  # was "the … folder is missing", of a file the user can see
], ids=["missing", "a-file"])
def test_a_library_that_is_not_there_is_one_problem(project: Path, run, make, problem: str) -> None:
    # It was followed by 21 "unknown lesson …", "unknown question …", "unknown contact …" (the brand's too): every id
    # the pack and the brand name, judged against a library that was not read.
    make(project / "packs/library")
    for command in (("check", "lancashire-7mb"), ("build", "lancashire-7mb")):
        result = run(*command)
        assert (result.exit_code, result.stderr) == (1, f"packs/library: {problem}\n{found(command)}"), command


def test_a_folder_where_a_schema_goes_is_named_before_anything_is_written(project: Path, run) -> None:
    # It was "schemas: cannot write the schemas here (Is a directory) … 1 problem found; see above", of the schemas/
    # folder, once pack.schema.json had been written.
    for name in ("library", "brand"):
        (project / f"schemas/{name}.schema.json").mkdir(parents=True)
    result = run("schema")
    fix = "move or rename the folder, or choose another with --out"
    assert (result.exit_code, result.stderr) == (1, (
        f"schemas/library.schema.json: this is a folder, not a file, so the schema cannot be written here — {fix}\n"
        f"schemas/brand.schema.json: this is a folder, not a file, so the schema cannot be written here — {fix}\n"
        "2 problems found; nothing was written.\n"))
    assert sorted(p.name for p in (project / "schemas").iterdir()) == ["brand.schema.json", "library.schema.json"]


def test_an_output_folder_under_a_file_names_the_file(project: Path, run) -> None:
    # It was "notes.txt/out: cannot use the output folder (Not a directory) — choose another with --out, or check
    # its permissions": which part is not a folder was left to guess.
    (project / "notes.txt").write_text("notes", encoding="utf-8")
    result = run("build", "lancashire-7mb", "--out", "notes.txt/out/deeper")
    assert (result.exit_code, result.stderr) == (1, (
        "notes.txt/out/deeper: notes.txt is a file, not a folder, so this folder cannot be made — choose another "
        f"output folder with --out, or move the file away\n{ONE}"))
    assert (project / "notes.txt").read_text(encoding="utf-8") == "notes"


def test_a_merge_key_is_refused_as_anchors_are(project: Path, run) -> None:
    # '<<: {kind: leaflet}' was "unknown key '<<' in the pack" and then "the pack has no 'kind'" (and no 'date', …):
    # the keys it was meant to bring in, as if the user had not written them.
    (project / "packs/merged.yaml").write_text("<<: {kind: leaflet}\ntitle: Merged\n", encoding="utf-8")
    result = run("check", "merged")
    assert (result.exit_code, result.stderr) == (1, (
        f"packs/merged.yaml:1:1: merge key '<<' is not allowed — write each key out in full\n{READ}"))
