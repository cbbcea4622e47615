"""`briefpack check` after a build: outputs made from exactly the same inputs are not laid out again (their fit
was proved by that build), and every other check still runs. No timings here: what is rendered is counted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import briefpack.build as building
from briefpack import parallel, rendering
from conftest import EXAMPLE_PACKS

LONG = " ".join(["Professionals should always provide parents the opportunity to consider a CAF."] * 90)
TOO_LONG = ("packs/lancashire-7mb.yaml: section 05 'Learning into practice' is about 620 words over in the "
            "lancashire brand — trim it or use layout: linear\n1 problem found.\n")


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files laid out from now on ('brand/pack.format'), all in this process."""
    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    made: list[str] = []
    real = rendering.render

    def counting(task, fmt):  # noqa: ANN001, ANN202 - rendering.render's signature
        made.append(f"{task.name}.{fmt}")
        return real(task, fmt)

    monkeypatch.setattr(building, "render", counting)
    monkeypatch.setattr(rendering, "render", counting)  # the PDF helper's
    return made


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_after_a_build_lays_out_nothing_and_says_the_same(project: Path, run, rendered: list[str]) -> None:
    before = run("check")
    assert len(rendered) == len(EXAMPLE_PACKS)  # no manifest yet: every PDF is laid out
    assert run("build", "--all", "-q").exit_code == 0
    manifest = (project / "output" / ".briefpack-manifest.json").read_bytes()
    rendered.clear()
    after = run("check")
    assert (after.exit_code, after.stdout, after.stderr) == (before.exit_code, before.stdout, before.stderr)
    assert (after.exit_code, after.stdout) == (0, f"checked {len(EXAMPLE_PACKS)} packs: no problems found\n")
    assert rendered == []
    assert (project / "output" / ".briefpack-manifest.json").read_bytes() == manifest  # check writes nothing


def test_a_tiles_pack_made_too_long_after_a_build_still_fails_its_check(project: Path, run,
                                                                         rendered: list[str]) -> None:
    assert run("build", "lancashire-7mb").exit_code == 0
    section = "  - lessons: [multi-agency-clarification, caf-continuum-of-need]\n"
    edit(project / "packs" / "lancashire-7mb.yaml", section, f"{section}    text: {LONG}\n")
    rendered.clear()
    checked = run("check", "lancashire-7mb")
    assert (checked.exit_code, checked.stdout, checked.stderr) == (1, "", TOO_LONG)
    assert rendered == ["lancashire/lancashire-7mb.pdf"]


def test_a_library_edit_lays_out_every_pack_again(project: Path, run, rendered: list[str]) -> None:
    assert run("build", "--all", "-q").exit_code == 0
    library = project / "packs" / "library" / "lessons.yaml"
    library.write_text(library.read_text(encoding="utf-8") + "\n# a comment changes the library's bytes\n",
                       encoding="utf-8")
    rendered.clear()
    assert run("check").exit_code == 0
    assert len(rendered) == len(EXAMPLE_PACKS)


def test_only_what_changed_since_the_build_is_laid_out_again(project: Path, run, rendered: list[str]) -> None:
    assert run("build", "--all", "-q").exit_code == 0
    rendered.clear()
    edit(project / "packs" / "ten-principles.yaml", "\n", "\n# edited after the build\n")
    assert run("check").exit_code == 0
    assert rendered == ["default/ten-principles.pdf"]
    rendered.clear()
    edit(project / "branding" / "lancashire" / "brand.yaml", "\n", "\n# edited after the build\n")
    assert run("check", "lancashire-7mb", "ten-principles").exit_code == 0
    assert rendered == ["lancashire/lancashire-7mb.pdf", "default/ten-principles.pdf"]
    rendered.clear()  # another brand than the one built: never proved
    assert run("check", "bscb-key-learning-2014", "--brand", "gloucestershire").exit_code == 0
    assert rendered == ["gloucestershire/bscb-key-learning-2014.pdf"]


def test_a_manifest_in_doubt_proves_nothing(project: Path, run, rendered: list[str]) -> None:
    assert run("build", "lancashire-7mb").exit_code == 0
    manifest = project / "output" / ".briefpack-manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    entry = data["inputs"]["outputs"]["lancashire/lancashire-7mb.pdf"]
    for wrong in ([entry[0][::-1], *entry[1:]], entry[:3], [*entry[:3], {"layout": "not a list"}]):
        data["inputs"]["outputs"]["lancashire/lancashire-7mb.pdf"] = wrong
        manifest.write_text(json.dumps(data), encoding="utf-8")
        rendered.clear()
        assert run("check", "lancashire-7mb").exit_code == 0
        assert rendered == ["lancashire/lancashire-7mb.pdf"]
    manifest.write_text("{not json", encoding="utf-8")
    rendered.clear()
    assert run("check", "lancashire-7mb").exit_code == 0
    assert rendered == ["lancashire/lancashire-7mb.pdf"]


def test_a_proved_output_says_what_its_build_said(project: Path, run, rendered: list[str]) -> None:
    """The layout notes of a proved output are the ones its build recorded (a build prints them too), and
    --strict makes them problems."""
    assert run("build", "lancashire-7mb").exit_code == 0
    manifest = project / "output" / ".briefpack-manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["inputs"]["outputs"]["lancashire/lancashire-7mb.pdf"][3]["layout"] = ["laid out on two pages"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    rendered.clear()
    result = run("check", "lancashire-7mb")
    assert (result.exit_code, result.stdout) == (0, "checked 1 pack: no problems found (1 note)\n")
    assert result.stderr == "note: lancashire/lancashire-7mb.pdf: laid out on two pages\n"
    strict = run("check", "lancashire-7mb", "--strict")
    assert (strict.exit_code, strict.stderr) == (
        1, "lancashire/lancashire-7mb.pdf: laid out on two pages\n1 problem found.\n")
    assert rendered == []


real_render = rendering.render


def _noting_how(task, fmt):  # noqa: ANN001, ANN202 - rendering.render's signature, run in a worker
    """A file's bytes and notes, with a note of whether it was laid out tagged and whether a file was made."""
    data, notes = real_render(task, fmt)
    return data, (*notes, f"tagged={task.tagged} made={bool(data)}")


def test_check_lays_out_untagged_and_makes_no_file(project: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    """A check wants the layout's verdict, not the file: it leaves out the structure tree (tagging changes no
    pixel: test_tagged_pdf) and makes no PDF (test_check_proof), in its other processes too. What it finds
    laying out is what a build finds (test_authoring, test_check_proof, and the too-long tiles above)."""
    monkeypatch.setattr(building, "render", _noting_how)  # a build's workers'
    monkeypatch.setattr(rendering, "render", _noting_how)  # a check's, and the PDF helper's
    checked = run("check", "lancashire-7mb", "ten-principles")
    built = run("build", "lancashire-7mb", "ten-principles", "--format", "pdf")
    for result, how in ((checked, "tagged=False made=False"), (built, "tagged=True made=True")):
        assert result.exit_code == 0, result.output
        assert result.stderr.splitlines() == [f"note: lancashire/lancashire-7mb.pdf: {how}",
                                              f"note: default/ten-principles.pdf: {how}"]


def test_a_check_with_one_document_to_lay_out_imports_the_renderer_while_it_loads(project: Path, run,
                                                                                  monkeypatch) -> None:
    """As a one-file build does: a PDF helper started before loading (several documents are shared by it with
    a second process it forks: test_check_proof); none need no renderer at all. What the check says is the
    same either way."""
    started: list[int] = []

    class Counted(parallel.Helper):
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            started.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(parallel, "Helper", Counted)
    one = "checked 1 pack: no problems found\n"
    assert (run("check", "lancashire-7mb").stdout, len(started)) == (one, 1)
    assert (run("check").stdout, len(started)) == (f"checked {len(EXAMPLE_PACKS)} packs: no problems found\n", 2)
    assert run("build", "--all", "-q").exit_code == 0
    assert (run("check", "lancashire-7mb").stdout, len(started)) == (one, 2)  # proved: no renderer
    section = "  - lessons: [multi-agency-clarification, caf-continuum-of-need]\n"
    edit(project / "packs" / "lancashire-7mb.yaml", section, f"{section}    text: {LONG}\n")
    checked = run("check")  # the edited pack is laid out in the helper, the four others are proved
    assert (checked.exit_code, checked.stdout, checked.stderr, len(started)) == (1, "", TOO_LONG, 3)


def test_check_of_what_builds_checked_loads_nothing_and_says_the_same(project: Path, run, monkeypatch) -> None:
    """Every pack in every brand built from exactly these inputs: the check says what those builds said (as
    a rebuild with nothing to do does), notes and --strict alike, without reading a pack."""
    brand = project / "branding" / "lancashire" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "words_per_minute: 80\n", encoding="utf-8")
    before = [run("check"), run("check", "--strict"), run("check", "lancashire-7mb", "--strict")]
    assert before[0].exit_code == 0 and "to read aloud at 80 words a minute" in before[0].stderr
    assert run("build", "--all", "-q").exit_code == 0
    loaded: list[object] = []
    real_prepare = building.prepare
    monkeypatch.setattr(building, "prepare",
                        lambda *args, **kwargs: loaded.append(args) or real_prepare(*args, **kwargs))
    after = [run("check"), run("check", "--strict"), run("check", "lancashire-7mb", "--strict")]
    assert [(r.exit_code, r.stdout, r.stderr) for r in after] == [(r.exit_code, r.stdout, r.stderr) for r in before]
    assert loaded == []
    # Another brand than the one built was never checked with this pack: it is loaded as usual.
    assert run("check", "lancashire-7mb", "--brand", "bscb").exit_code == 0
    assert len(loaded) == 1


def test_a_brand_no_build_used_is_still_checked(project: Path, run) -> None:
    shutil.copytree(project / "branding" / "lancashire", project / "branding" / "unused")
    assert run("build", "--all", "-q").exit_code == 0
    # Its palette is its own look, not part of who it is: every pack built stays proved, the brand is not.
    edit(project / "branding" / "unused" / "brand.yaml", "muted: '#555555'", "muted: '#aaaaaa'")
    assert run("check", "lancashire-7mb").exit_code == 0
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.startswith("branding/unused/brand.yaml:10:10: brand 'unused' fails its check: contrast: ")
