"""`briefpack check` lays PDFs out without making them (render/pdfparts.ProofCanvas): it still finds what a build
finds, in the same words. What it leaves out is shown here to be unable to find anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpack.schema import MAX_LINE

LONG = " ".join(["Professionals should always provide parents the opportunity to consider a CAF."] * 90)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_address_briefpack_accepts_fits_a_qr_code() -> None:
    """A check draws no QR code: the longest address a link may have, in characters UTF-8 writes in four bytes
    each, still fits one at the build's error correction."""
    from briefpack.render.figures import _qr_code, qr_matrix

    longest = "https://" + "\U00013000" * (MAX_LINE - len("https://"))
    assert len(longest) == MAX_LINE
    assert _qr_code(longest).ec_level == "M" and len(qr_matrix(longest)) <= 177


def test_a_link_longer_than_that_is_refused_when_loaded(project: Path, run) -> None:
    links = project / "packs" / "library" / "links.yaml"
    text = links.read_text(encoding="utf-8")
    address = "https://virtual-college.co.uk/courses/safeguarding/learning-from-serious-case-reviews"
    assert address in text
    links.write_text(text.replace(address, address + "?" + "a" * MAX_LINE), encoding="utf-8")
    for command in ("build", "check"):
        result = run(command, "ten-principles")
        assert result.exit_code == 1
        assert f"more than the {MAX_LINE} a url may have" in result.stderr


@pytest.mark.parametrize("pack", ["lancashire-7mb", "linear-7mb", "ten-principles", "bscb-key-learning-2014"])
def test_a_proof_lays_out_as_a_build_and_makes_no_file(project: Path, pack: str) -> None:
    """The same notes, pages, last page's fill and heading pages as the PDF a build makes; no bytes. (The
    examples: tiles, linear, a QR code, logos of partners.)"""
    import shutil

    from briefpack.build import prepare
    from briefpack.render import pdf
    from conftest import ROOT

    shutil.copy(ROOT / "tests" / "fixtures" / "linear-7mb.yaml", project / "packs" / "linear-7mb.yaml")
    (job,) = prepare([project / "packs" / f"{pack}.yaml"], None)
    pdf.ENDINGS.clear()
    made, notes = pdf.render_pdf(job.document, job.brand, tagged=False)
    assert made.startswith(b"%PDF")
    built = pdf.Renderer(job.brand, job.document, tagged=False)
    built.render(job.document)
    proved = pdf.Renderer(job.brand, job.document, tagged=False, proof=True)
    assert proved.render(job.document) == b""
    assert (proved.pages, proved.last_fill, proved.heading_pages, proved.notes) == (
        built.pages, built.last_fill, built.heading_pages, built.notes)
    pdf.ENDINGS.clear()
    assert pdf.render_pdf(job.document, job.brand, proof=True) == (b"", notes)


def test_a_check_of_several_finds_every_problem_a_build_finds(project: Path, run) -> None:
    """Documents laid out in two processes: each one's problems, all of them, in the command line's order, in
    the words of a build (whose workers say them in the order they finish)."""
    import shutil

    from conftest import ROOT

    tiles = project / "packs" / "tiles-7mb.yaml"
    shutil.copy(ROOT / "tests" / "fixtures" / "tiles-7mb.yaml", tiles)
    section = "  - lessons: [multi-agency-clarification, caf-continuum-of-need]\n"
    edit(project / "packs" / "lancashire-7mb.yaml", section, f"{section}    text: {LONG}\n")
    section = "  - lessons: [domestic-abuse-screening]\n"
    edit(tiles, section, f"{section}    text: {LONG}\n")
    checked = run("check")
    assert (checked.exit_code, checked.stdout) == (1, "")
    lines = checked.stderr.splitlines()
    assert lines[0] == ("packs/lancashire-7mb.yaml: section 05 'Learning into practice' is about 620 words over "
                        "in the lancashire brand — trim it or use layout: linear")
    assert lines[1].startswith("packs/tiles-7mb.yaml: section 03 ")
    assert lines[2:] == ["2 problems found."]
    built = run("build", "--all")
    assert built.exit_code == 1
    assert sorted(built.stderr.splitlines()[:-1]) == sorted(lines[:-1])
    assert not (project / "output").exists()


def test_each_document_is_laid_out_once_in_one_of_two_processes(project: Path, monkeypatch) -> None:
    import os

    from briefpack import check, rendering
    from briefpack.build import prepare
    from briefpack.project import Project, all_packs
    from briefpack.rendering import Task

    jobs = prepare(all_packs(Project(project)), ())
    tasks = [Task(f"{j.brand.id}/{j.pack.id}", j.pack.path, j.document, j.brand, False, True) for j in jobs] * 3
    monkeypatch.setattr(rendering, "render", lambda task, fmt: (b"", (task.name, str(os.getpid()))))
    outcomes = check.prove_all(tasks)
    assert [(ok, value[0], trace) for ok, value, trace in outcomes] == [(True, t.name, "") for t in tasks]
    assert len({value[1] for _, value, _ in outcomes} - {str(os.getpid())}) <= 1


@pytest.mark.parametrize("mode", ["P", "LA", "I;16", "1"])
def test_a_logo_the_loader_takes_is_drawn_by_a_build(project: Path, run, mode: str) -> None:
    """A check does not encode pictures: every kind of PNG the brand loader accepts is drawn by a build
    without a problem, so there is nothing for a check to find there."""
    from PIL import Image

    logo = project / "branding" / "lancashire" / "logo.png"
    with Image.open(logo) as picture:
        converted = picture.convert("RGBA").convert("L" if mode == "I;16" else mode)
    (converted.convert("I;16") if mode == "I;16" else converted).save(logo, **({"transparency": 0} if mode == "P"
                                                                                else {}))
    for command in ("build", "check"):
        result = run(command, "lancashire-7mb", *(("--format", "pdf") if command == "build" else ()))
        assert (result.exit_code, result.stderr) == (0, ""), result.output


def test_a_damaged_logo_is_found_by_a_check_as_by_a_build(project: Path, run) -> None:
    logo = project / "branding" / "lancashire" / "logo.png"
    good = logo.read_bytes()
    corrupt = bytearray(good)
    corrupt[good.index(b"IDAT") + 200:good.index(b"IDAT") + 250] = bytes(50)
    logo.write_bytes(bytes(corrupt))
    built, checked = run("build", "lancashire-7mb"), run("check", "lancashire-7mb")
    assert built.exit_code == checked.exit_code == 1
    assert checked.stderr.replace("found.", "found; nothing was written.") == built.stderr
    assert "'logo.png' is damaged: its image data is corrupt" in checked.stderr
