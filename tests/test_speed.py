"""Speed work must not change what is built: workers, batches and skipped rebuilds (no timings here)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

import briefpack.build  # noqa: F401 - imported first, so build.render is the real one, not a test's stand-in
from briefpack import rendering
from briefpack.errors import BriefpackError, Problem


def _refuse_in_worker(task, fmt):  # noqa: ANN001, ANN202 - rendering.render's signature
    if fmt == "pdf":
        raise BriefpackError([Problem("packs/x.yaml", 3, 1, "refused in the worker", "fix it")])
    return real_render(task, fmt)


def _die_in_worker(task, fmt):  # noqa: ANN001, ANN202
    if fmt == "pdf":
        os._exit(3)
    return real_render(task, fmt)


real_render = rendering.render


def test_a_problem_found_in_the_pdf_worker_is_reported_whole(project: Path, run, monkeypatch) -> None:
    monkeypatch.setattr(rendering, "render", _refuse_in_worker)
    result = run("build", "packs/lancashire-7mb.yaml")
    assert result.exit_code == 1
    assert result.output == ("packs/x.yaml:3:1: refused in the worker — fix it\n"
                             "1 problem found; nothing was written.\n")
    assert not (project / "output").exists()


def test_a_worker_that_dies_is_a_message_not_a_hang(project: Path, run, monkeypatch) -> None:
    monkeypatch.setattr(rendering, "render", _die_in_worker)
    result = run("build", "packs/lancashire-7mb.yaml")
    assert result.exit_code == 1
    assert result.output == (
        "packs/lancashire-7mb.yaml: the process rendering this pack stopped unexpectedly — build again; "
        "if it stops again, build with --format pdf and --format docx separately\n"
        "1 problem found; nothing was written.\n")
    assert not (project / "output").exists()


def test_a_bug_in_a_worker_keeps_the_workers_traceback(project: Path, run, monkeypatch) -> None:
    def broken(task, fmt):  # noqa: ANN001, ANN202
        if fmt == "pdf":
            raise ZeroDivisionError("in the worker")
        return real_render(task, fmt)

    monkeypatch.setattr(rendering, "render", broken)
    with pytest.raises(ZeroDivisionError) as caught:
        run("build", "packs/lancashire-7mb.yaml")
    assert "raise ZeroDivisionError" in str(caught.value.__cause__)


def _refuse_two(task, fmt):  # noqa: ANN001, ANN202 - rendering.render's signature, run in a worker
    if fmt == "pdf" and task.name in ("bscb/ten-principles", "bscb/lancashire-7mb"):
        raise BriefpackError([Problem(f"packs/{task.name.split('/')[1]}.yaml", 1, 1, "refused", "fix it")])
    return real_render(task, fmt)


def test_every_problem_of_a_batch_is_reported_in_order(project: Path, run, monkeypatch) -> None:
    """Two documents of one part of the workers' work that cannot be made: both are said, in the command line's
    order of packs, whichever a worker met first."""
    from briefpack import build

    monkeypatch.setattr(build, "render", _refuse_two)
    monkeypatch.setattr(build, "PART", 5)  # one brand's five packs in one part
    result = run("build", "--all", "--brand", "all", "-q")
    assert result.exit_code == 1
    assert result.output == ("packs/lancashire-7mb.yaml:1:1: refused — fix it\n"
                             "packs/ten-principles.yaml:1:1: refused — fix it\n"
                             "2 problems found; nothing was written.\n")
    assert not (project / "output").exists()


def test_a_batch_goes_to_the_workers_brand_by_brand_in_small_parts() -> None:
    from briefpack import build
    from briefpack.rendering import Task

    tasks = [Task(f"{brand}/{pack}", Path(f"packs/{pack}.yaml"), None, _Brand(brand))  # type: ignore[arg-type]
             for pack in "abcde" for brand in ("x", "y", "z")]
    parts = build.chunks(tasks, 2)
    assert [[t.name for t in part] for part in parts] == [
        ["x/a", "x/b", "x/c", "x/d"], ["x/e", "y/a", "y/b", "y/c"], ["y/d", "y/e", "z/a", "z/b"], ["z/c", "z/d", "z/e"]]
    assert [len(part) for part in build.chunks(tasks[:3], 2)] == [1, 1, 1]  # a share of the work each


class _Brand:
    def __init__(self, brand_id: str) -> None:
        self.id = brand_id


def _documents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.suffix in (".pdf", ".docx")}


def test_a_batch_of_brands_makes_the_same_bytes_as_single_builds(project: Path, run, monkeypatch) -> None:
    packs = ("packs/lancashire-7mb.yaml", "packs/ten-principles.yaml")
    result = run("build", *packs, "--brand", "bscb", "--brand", "gloucestershire", "--out", "batch")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "wrote batch/bscb/lancashire-7mb.pdf", "wrote batch/bscb/lancashire-7mb.docx",
        "wrote batch/bscb/ten-principles.pdf", "wrote batch/bscb/ten-principles.docx",
        "wrote batch/gloucestershire/lancashire-7mb.pdf", "wrote batch/gloucestershire/lancashire-7mb.docx",
        "wrote batch/gloucestershire/ten-principles.pdf", "wrote batch/gloucestershire/ten-principles.docx",
        "bscb/lancashire-7mb: about 5 minutes to read aloud (643 words)",
        "gloucestershire/lancashire-7mb: about 5 minutes to read aloud (676 words)"]
    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    for pack in packs:
        for brand in ("bscb", "gloucestershire"):
            assert run("build", pack, "--brand", brand, "--out", "single").exit_code == 0
    batch, single = _documents(project / "batch"), _documents(project / "single")
    assert len(batch) == 8 and batch == single


def test_brand_all_builds_in_every_brand(project: Path, run) -> None:
    result = run("build", "packs/gloucestershire-8-lessons.yaml", "--brand", "all")
    assert result.exit_code == 0, result.output
    assert sorted(_documents(project / "output")) == [
        f"{brand}/gloucestershire-8-lessons.{fmt}"
        for brand in ("bscb", "default", "gloucestershire", "lancashire") for fmt in ("docx", "pdf")]


def _state(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_rebuild_with_nothing_changed_says_so_and_writes_nothing(project: Path, run) -> None:
    assert run("build", "--all").exit_code == 0
    before = _state(project / "output")
    result = run("build", "--all")
    assert result.exit_code == 0
    assert result.output == "nothing to do: all 10 files in output/ are up to date\n"
    assert _state(project / "output") == before


def test_a_rebuild_remakes_only_what_changed(project: Path, run) -> None:
    assert run("build", "--all").exit_code == 0
    lessons = project / "packs" / "library" / "lessons.yaml"
    lessons.write_text(lessons.read_text(encoding="utf-8").replace(
        "Working proactively with fathers", "Working closely with fathers"), encoding="utf-8")
    result = run("build", "--all")
    assert result.exit_code == 0
    assert result.output == ("wrote output/lancashire/lancashire-7mb.pdf\n"
                             "wrote output/lancashire/lancashire-7mb.docx\n"
                             "8 files in output/ already up to date\n"
                             "lancashire-7mb: about 5 minutes to read aloud (649 words)\n")
    brand = project / "branding" / "bscb" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("#3b2a6b", "#3b2a6c"), encoding="utf-8")
    # Only the bscb brand changed: nothing else is composed again, so no other reading time is printed.
    assert run("build", "--all").output == ("wrote output/bscb/bscb-key-learning-2014.pdf\n"
                                            "wrote output/bscb/bscb-key-learning-2014.docx\n"
                                            "8 files in output/ already up to date\n")


@pytest.mark.parametrize("package", ["briefpack", "briefpack's source", "reportlab", "python_docx", "pillow"])
def test_a_new_version_of_briefpack_or_a_writer_rebuilds_everything(project: Path, run, monkeypatch,
                                                                     package: str) -> None:
    from briefpack import uptodate

    assert run("build", "--all").exit_code == 0
    assert run("build", "--all").output == "nothing to do: all 10 files in output/ are up to date\n"
    if package == "briefpack":
        monkeypatch.setattr(uptodate, "__version__", "99.0")
    elif package == "briefpack's source":  # a checkout being worked on: the same version, other code
        monkeypatch.setattr(uptodate, "_own", "edited")
    else:
        assert uptodate.installed()[package]  # found, as importlib.metadata finds it
        monkeypatch.setitem(uptodate.installed(), package, "99.0")
    before = _keys(project / "output")
    result = run("build", "--all")
    assert result.exit_code == 0
    # Made again (a reading time is printed only for a briefing composed now), to the same bytes.
    assert result.output == ("nothing to do: all 10 files in output/ are up to date\n"
                             "lancashire-7mb: about 5 minutes to read aloud (649 words)\n")
    after = _keys(project / "output")
    assert len(after) == 10 and all(after[name] != key for name, key in before.items())
    assert run("build", "--all").output == "nothing to do: all 10 files in output/ are up to date\n"


def _keys(out: Path) -> dict[str, str]:
    """Each output's recorded inputs hash."""
    from briefpack.output import MANIFEST
    from briefpack.uptodate import recorded

    return {name: entry[0] for name, entry in recorded(out, MANIFEST).outputs.items()}


def test_the_versions_recorded_are_the_installed_ones() -> None:
    import importlib.metadata

    from briefpack import __version__, uptodate

    recorded = dict(part.split("=", 1) for part in uptodate.versions(["fontpkg_lato"]).split())
    assert recorded["briefpack"] == f"{__version__}@{uptodate.own_stamp()}"
    for name in ("reportlab", "python_docx", "lxml", "pillow", "fonttools", "zxing_cpp", "fontpkg_lato"):
        assert recorded[name] == importlib.metadata.version(name), name


def test_the_source_stamp_changes_when_a_source_file_does(tmp_path: Path) -> None:
    import os

    from briefpack.uptodate import source_stamp

    (tmp_path / "render").mkdir()
    code = tmp_path / "render" / "pdf.py"
    code.write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not code", encoding="utf-8")
    first = source_stamp(tmp_path)
    assert first == source_stamp(tmp_path) != ""
    (tmp_path / "notes.txt").write_text("still not code", encoding="utf-8")
    assert source_stamp(tmp_path) == first
    stat = code.stat()
    os.utime(code, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # saved again, same size
    assert source_stamp(tmp_path) != first


def test_a_new_version_of_a_font_package_rebuilds_the_brands_that_name_it(project: Path, run, monkeypatch) -> None:
    from briefpack import uptodate

    assert run("build", "--all").exit_code == 0
    monkeypatch.setitem(uptodate.installed(), "fontpkg_lato", "99.0")  # only the lancashire brand uses Lato
    before = _keys(project / "output")
    result = run("build", "--all")
    assert result.output == ("nothing to do: all 10 files in output/ are up to date\n"
                             "lancashire-7mb: about 5 minutes to read aloud (649 words)\n")
    after = _keys(project / "output")
    assert sorted(name for name in after if after[name] != before[name]) == [
        "lancashire/lancashire-7mb.docx", "lancashire/lancashire-7mb.pdf"]


def test_an_edited_output_is_not_taken_for_up_to_date(project: Path, run) -> None:
    assert run("build", "--all").exit_code == 0
    edited = project / "output" / "lancashire" / "lancashire-7mb.docx"
    edited.write_bytes(edited.read_bytes() + b"\0")
    result = run("build", "--all")
    assert result.exit_code == 1
    assert "output/lancashire/lancashire-7mb.docx: " in result.output
    assert result.output.endswith("1 problem found; nothing was written.\n")


def test_quiet_prints_only_problems(project: Path, run) -> None:
    assert run("build", "--all", "-q").output == ""
    assert (project / "output" / "default" / "ten-principles.pdf").is_file()
    assert run("build", "--all", "-q").output == ""
    pack = project / "packs" / "lancashire-7mb.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("brand: lancashire", "brand: lancashir"),
                    encoding="utf-8")
    result = run("build", "--all", "-q")
    assert result.exit_code == 1
    assert result.output.startswith("packs/lancashire-7mb.yaml:")
    assert "unknown brand 'lancashir' (did you mean 'lancashire'?)" in result.output


def test_progress_shows_on_a_terminal_only(project: Path, run, monkeypatch) -> None:
    from briefpack import cli

    logged = run("build", "--all", "--brand", "default", "--brand", "bscb", "--format", "docx")
    assert "building" not in logged.output and logged.output.count("wrote output/") == 10
    monkeypatch.setattr(cli, "_is_terminal", lambda: True)
    shown = run("build", "--all", "--brand", "default", "--brand", "bscb", "--format", "pdf")
    assert shown.exit_code == 0
    assert shown.output.startswith("building")  # Click draws the bar itself only on a real terminal
    assert "wrote output/" not in shown.output
    assert shown.output.endswith("wrote 10 files in output/\n")
    small = run("build", "packs/lancashire-7mb.yaml", "--brand", "lancashire", "--brand", "gloucestershire")
    assert "building" not in small.output and small.output.count("wrote output/") == 4


def _imported(run: str, modules: tuple[str, ...]) -> tuple[str, list[str]]:
    """What a fresh Python prints running *run* (a Python statement), and which of *modules* it imported."""
    import subprocess
    import sys

    script = (f"import sys\ntry:\n    {run}\nexcept SystemExit:\n    pass\n"
              f"print('IMPORTED', sorted(m for m in {modules!r} if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    printed, _, imported = done.stdout.rpartition("IMPORTED ")
    return printed, eval(imported)  # noqa: S307 - our own script's printed list


def test_a_rebuild_with_nothing_to_do_loads_no_renderer(project: Path) -> None:
    build = "from briefpack.cli import main; main(['build', '--all'])"
    heavy = ("reportlab", "docx", "yaml", "briefpack.build")
    # The renderers are imported once, before the workers that use them are forked, not in each worker.
    assert _imported(build, heavy)[1] == ["briefpack.build", "docx", "reportlab", "yaml"]
    assert _imported(build, heavy) == ("nothing to do: all 10 files in output/ are up to date\n", [])


def test_a_one_file_build_forks_its_pdf_helper_without_multiprocessing(project: Path) -> None:
    """The build itself imports neither reportlab (its helper's) nor the process-pool machinery (about 15 ms
    of its start); the helper renders the same bytes (test_cli), and dies with the build (test_interrupt)."""
    import sys

    if not sys.platform.startswith("linux"):
        pytest.skip("the helper is forked directly on Linux only")
    build = "from briefpack.cli import main; main(['build', 'packs/lancashire-7mb.yaml'])"
    printed, imported = _imported(build, ("reportlab", "multiprocessing", "concurrent.futures", "docx"))
    assert printed.startswith("wrote output/lancashire/lancashire-7mb.pdf\n") and imported == ["docx"]


def test_rendering_imports_no_network_modules() -> None:
    """xml.sax.saxutils would bring urllib.request, http.client, email and ssl: tens of ms for nothing.

    reportlab before 4.1 imports urllib.request itself (reportlab.lib.utils): what the libraries import
    on their own is not briefpack's doing."""
    everything = "import briefpack.cli, briefpack.build, briefpack.render.pdf, briefpack.render.docx"
    network = ("urllib.request", "http.client", "email", "ssl", "xml.sax.saxutils")
    _, libraries = _imported("import reportlab.platypus, reportlab.pdfgen.canvas, docx", network)
    assert "xml.sax.saxutils" not in libraries
    printed, imported = _imported(everything, network)
    assert (printed, [m for m in imported if m not in libraries]) == ("", [])


def test_building_a_pack_with_links_imports_no_network_modules(project: Path) -> None:
    """ten-principles has a QR-coded link: neither the build nor its PDF helper (forked: both write to the one
    -X importtime log) imports xml.sax.saxutils or what it brings, beyond what the libraries import on their own."""
    import subprocess
    import sys

    network = ("urllib.request", "http.client", "email", "ssl", "xml.sax.saxutils")
    _, libraries = _imported("import reportlab.platypus, reportlab.pdfgen.canvas, docx", network)
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "briefpack", "build", "packs/ten-principles.yaml"],
                          capture_output=True, text=True, check=True)
    imported = {line.rpartition("|")[2].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert done.stdout == "wrote output/default/ten-principles.pdf\nwrote output/default/ten-principles.docx\n"
    assert "zxingcpp" in imported  # the QR code was made
    assert sorted(m for m in imported.intersection(network) if m not in libraries) == []


def test_briefpack_help_imports_no_renderer() -> None:
    printed, imported = _imported("from briefpack.cli import main; main(['--help'])",
                                  ("reportlab", "docx", "yaml", "concurrent.futures.process"))
    assert "Usage:" in printed and imported == []


def test_a_large_build_writes_in_groups_the_same_bytes(project: Path, run, monkeypatch) -> None:
    from briefpack import build, output

    assert run("build", "--all", "--brand", "all", "--out", "whole", "-q").exit_code == 0
    monkeypatch.setattr(build, "STREAM_FROM", 3)
    monkeypatch.setattr(build, "STREAM_BYTES", 1)  # a group per part of the work
    calls = []
    real = output.OutputFolder.write_all
    monkeypatch.setattr(output.OutputFolder, "write_all", lambda self, files, *more: calls.append(len(files))
                        or real(self, files, *more))
    assert run("build", "--all", "--brand", "all", "--out", "groups", "-q").exit_code == 0
    assert len(calls) > 2 and sum(calls) == 40
    assert _documents(project / "groups") == _documents(project / "whole")


def test_a_large_build_writes_its_last_parts_as_they_come(project: Path, run, monkeypatch) -> None:
    # What it holds is written as each of the last parts comes in: after the workers finish, only the very
    # last part's files are left to write.
    from briefpack import build, output

    assert run("build", "--all", "--brand", "all", "--out", "whole", "-q").exit_code == 0
    monkeypatch.setattr(build, "STREAM_FROM", 3)  # 20 pairs stream; STREAM_BYTES is never reached
    calls = []
    real = output.OutputFolder.write_all
    monkeypatch.setattr(output.OutputFolder, "write_all", lambda self, files, *more: calls.append(len(files))
                        or real(self, files, *more))
    assert run("build", "--all", "--brand", "all", "--out", "groups", "-q").exit_code == 0
    assert len(calls) > 1 and sum(calls) == 40 and calls[-1] <= 2 * build.PART
    assert _documents(project / "groups") == _documents(project / "whole")


def test_a_large_build_with_an_edited_file_writes_nothing(project: Path, run, monkeypatch) -> None:
    from briefpack import build

    assert run("build", "--all", "--brand", "all").exit_code == 0
    monkeypatch.setattr(build, "STREAM_FROM", 3)
    monkeypatch.setattr(build, "STREAM_BYTES", 1)
    edited = project / "output" / "lancashire" / "ten-principles.docx"
    edited.write_bytes(edited.read_bytes() + b"\0")
    lessons = project / "packs" / "library" / "lessons.yaml"
    lessons.write_text(lessons.read_text(encoding="utf-8").replace(
        "Working proactively with fathers", "Working closely with fathers"), encoding="utf-8")
    before = _state(project / "output")
    result = run("build", "--all", "--brand", "all")
    assert result.exit_code == 1
    assert result.output.startswith("output/lancashire/ten-principles.docx: ")
    assert result.output.endswith("1 problem found; nothing was written.\n")
    assert _state(project / "output") == before


def _copy_brand(project: Path, base: str, name: str) -> None:
    import shutil

    shutil.copytree(project / "branding" / base, project / "branding" / name)
    brand = project / "branding" / name / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("\nname: ", f"\nname: {name} · ", 1), encoding="utf-8")


def _count_decodes(monkeypatch) -> list[tuple[str, str]]:
    """Every picture Pillow decodes from now on in this process: ('pdf' or 'check', a hash of its pixels)."""
    import hashlib
    import traceback

    from PIL import ImageFile

    from briefpack import brand
    from briefpack.render import pdfimages

    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")  # every document made in this process, where it is counted
    pdfimages._pictures.clear()  # nothing decoded by an earlier test
    monkeypatch.setattr(brand, "_damages", {})
    decoded: list[tuple[str, str]] = []
    real = ImageFile.ImageFile.load

    def load(self):  # noqa: ANN001, ANN202
        fresh = bool(self.tile)  # pixels still to decode
        done = real(self)
        if fresh:
            where = "pdf" if any("reportlab" in f.filename for f in traceback.extract_stack()) else "check"
            decoded.append((where, hashlib.sha256(self.tobytes()).hexdigest()))
        return done

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return decoded


def test_each_picture_is_decoded_once_per_run(project: Path, run, monkeypatch) -> None:
    """The brand check decodes each distinct logo once, the PDF renderer once, however many documents use it."""
    for n in range(3):
        _copy_brand(project, "bscb", f"copy-{n}")  # the bscb logo in three more brands
    decoded = _count_decodes(monkeypatch)
    result = run("build", "--all", "--brand", "all", "--format", "pdf", "-q")
    assert result.exit_code == 0, result.output
    assert len(list((project / "output").rglob("*.pdf"))) == 35  # 7 brands × 5 packs
    assert sorted(Counter(where for where, _ in decoded).items()) == [("check", 4), ("pdf", 4)]  # 4 distinct logos
    assert max(Counter(decoded).values()) == 1


def test_partner_logos_are_decoded_once_per_run(project: Path, run, monkeypatch) -> None:
    from test_tiles import new_board

    new_board(project)
    _copy_brand(project, "northvale", "northvale-copy")
    decoded = _count_decodes(monkeypatch)
    result = run("build", "packs/northvale-bruising-7mb.yaml", "--brand", "northvale", "--brand", "northvale-copy",
                 "--format", "pdf", "--kit", "-q")
    assert result.exit_code == 0, result.output
    assert len(list((project / "output").rglob("*.pdf"))) == 4  # a briefing and a kit in each brand
    # The board's logo and 3 partner logos in 4 documents: each decoded once to draw it. The check also
    # decodes the logo of 'default', the brand northvale extends.
    assert sorted(Counter(where for where, _ in decoded).items()) == [("check", 5), ("pdf", 4)]
    assert max(Counter(decoded).values()) == 1


def test_a_chart_is_drawn_once_for_brands_that_draw_it_alike(project: Path, run, monkeypatch) -> None:
    """The Word chart (a PNG, about 45 ms to make) is drawn once per process for the same chart, colours and fonts."""
    from briefpack.render import figures

    for n in range(2):
        _copy_brand(project, "default", f"copy-{n}")  # the same colours and fonts under other names
    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    figures._CHARTS.clear()
    drawn = []
    real = figures._draw_bar_chart_png
    monkeypatch.setattr(figures, "_draw_bar_chart_png", lambda *a: drawn.append(a[1].id) or real(*a))
    result = run("build", "packs/ten-principles.yaml", "--brand", "default", "--brand", "copy-0", "--brand", "copy-1",
                 "--brand", "bscb", "--format", "docx", "-q")
    assert result.exit_code == 0, result.output
    assert drawn == ["default", "bscb"]
    charts = {brand: zipped_media(project / "output" / brand / "ten-principles.docx")
              for brand in ("default", "copy-0", "copy-1", "bscb")}
    assert charts["default"] == charts["copy-0"] == charts["copy-1"] != charts["bscb"]


def test_a_word_chart_keeps_every_pixel_drawn_in_a_file_not_much_larger(project: Path, run, monkeypatch) -> None:
    """The chart's PNG is compressed at zlib's usual level, not with optimize (a fifth of the CPU): what Word
    shows is exactly the image drawn, and the file is at most 5 % larger than the smallest Pillow makes."""
    import io

    from PIL import Image

    from briefpack.render import figures

    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    figures._CHARTS.clear()
    drawn: list[Image.Image] = []
    real = Image.Image.save
    monkeypatch.setattr(Image.Image, "save", lambda self, *a, **k: drawn.append(self.copy()) or real(self, *a, **k))
    result = run("build", "packs/ten-principles.yaml", "--brand", "default", "--brand", "bscb", "--format", "docx",
                 "-q")
    assert result.exit_code == 0, result.output
    assert len(drawn) == 2  # one chart in each brand's colours
    for brand, image in zip(("default", "bscb"), drawn, strict=True):
        media = zipped_media(project / "output" / brand / "ten-principles.docx").values()
        (png,) = [data for data in media if Image.open(io.BytesIO(data)).size == image.size]  # not a logo or QR code
        shown = Image.open(io.BytesIO(png))
        assert (shown.format, shown.mode) == ("PNG", image.mode)
        assert shown.tobytes() == image.tobytes()
        smallest = io.BytesIO()
        real(image, smallest, format="PNG", optimize=True)
        assert len(png) <= 1.05 * len(smallest.getvalue()), (len(png), len(smallest.getvalue()))


def zipped_media(path: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist() if name.startswith("word/media/")}


def test_a_worker_gives_back_freed_memory_without_fuss() -> None:
    from briefpack import parallel

    parallel.give_back_memory()
    parallel.give_back_memory()  # the C library is looked up once; calling again is harmless


def test_patterns_over_wide_ranges_are_compiled_only_when_used(project: Path) -> None:
    """reportlab's hyphenation and CJK patterns and PyYAML's reader's (about 0.4 G instructions of a one-briefing
    build, mostly case-folding [\\xa1-\\uffff]): deferred while those packages are imported, never compiled by a
    build of every example and kit, and the same pattern as compiling it at once when a paragraph does use it."""
    import re
    import subprocess
    import sys

    script = ("from briefpack.cli import main\n"
              "try:\n    main(['build', '--all', '--kit', '-q'])\nexcept SystemExit:\n    pass\n"
              "import yaml\nfrom reportlab.lib import textsplit\nfrom reportlab.platypus import paragraph\n"
              "from briefpack.lazyre import LazyPattern\n"
              "found = [paragraph.uri_pat, textsplit.rx, yaml.reader.Reader.NON_PRINTABLE]\n"
              "print([(type(p) is LazyPattern, p.compiled) for p in found])\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          env={**os.environ, "BRIEFPACK_NO_FORK": "1"})
    assert done.stdout == f"{[(True, None)] * 3}\n"
    assert (project / "output" / "lancashire" / "lancashire-7mb-kit.pdf").is_file()

    from reportlab.platypus import paragraph

    from briefpack import lazyre

    uri = paragraph.uri_pat  # eager if reportlab was imported here before briefpack's renderer
    lazy = lazyre.LazyPattern(*(uri.args if isinstance(uri, lazyre.LazyPattern) else (uri.pattern, uri.flags)))
    url = "https://www.lancashiresafeguarding.org.uk/resolving-professional-disagreement/escalation"
    assert lazy.match(url).groups() == re.compile(*lazy.args).match(url).groups()
    assert paragraph._uri_split_pairs(url)[0] == ("https://www.lancashiresafeguarding.org.uk/resolving-professional-"
                                                  "disagreement/", "escalation")
    assert [lazyre.wide(p) for p in ("[a-z]", "[\\x00-\\uffff]", "[\x00-\uffff]", "[\u0590-\u08ff]")] == \
        [False, False, True, False]


def _early(monkeypatch, share: int) -> list[object]:  # noqa: ANN001
    """Make every build of the examples (20 pairs) start an early worker for its first *share* documents;
    return the list the early workers made are put in."""
    from briefpack import build

    monkeypatch.setattr(build, "EARLY_FROM", 2)
    monkeypatch.setattr(build, "early_share", lambda documents: share)
    made: list[object] = []
    real = build.Early

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args) -> None:  # noqa: ANN002
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(build, "Early", Counted)
    return made


@pytest.mark.parametrize("share", [2, 9, 19])
def test_an_early_worker_makes_the_same_files_and_says_the_same(project: Path, run, monkeypatch, share) -> None:
    """The first documents rendered while the rest are composed, by a worker of their own: the same files, the
    same lines said, in the same order, whatever share of the work it had."""
    whole = run("build", "--all", "--brand", "all", "--out", "whole")
    assert whole.exit_code == 0, whole.output
    made = _early(monkeypatch, share)
    early = run("build", "--all", "--brand", "all", "--out", "early")
    assert early.exit_code == 0, early.output
    assert len(made) == 1 and len(made[0].tasks) == share  # type: ignore[attr-defined]
    assert early.output == whole.output.replace("wrote whole/", "wrote early/")
    assert _documents(project / "early") == _documents(project / "whole")
    assert len(_documents(project / "early")) == 40


def _refuse_early_and_late(task, fmt):  # noqa: ANN001, ANN202 - rendering.render's signature, run in a worker
    # bscb/lancashire-7mb is the ninth pair loaded (packs first, then brands); bscb/ten-principles the 17th.
    refused = ("bscb/ten-principles", "bscb/lancashire-7mb", "lancashire/bscb-key-learning-2014")
    if fmt == "pdf" and task.name in refused:
        raise BriefpackError([Problem(f"packs/{task.name.split('/')[1]}.yaml", 1, 1, f"refused in {task.name}", "fix")])
    return real_render(task, fmt)


@pytest.mark.parametrize("share", [2, 9, 19])
def test_problems_in_the_early_worker_and_the_pool_are_said_in_order(project: Path, run, monkeypatch, share) -> None:
    from briefpack import build

    monkeypatch.setattr(build, "render", _refuse_early_and_late)
    whole = run("build", "--all", "--brand", "all", "-q")
    made = _early(monkeypatch, share)
    early = run("build", "--all", "--brand", "all", "-q")
    assert len(made) == 1
    assert (early.exit_code, early.output) == (whole.exit_code, whole.output) == (1, (
        "packs/lancashire-7mb.yaml:1:1: refused in bscb/lancashire-7mb — fix\n"
        "packs/ten-principles.yaml:1:1: refused in bscb/ten-principles — fix\n"
        "packs/bscb-key-learning-2014.yaml:1:1: refused in lancashire/bscb-key-learning-2014 — fix\n"
        "3 problems found; nothing was written.\n"))
    assert not (project / "output").exists()


def _die_in_bscb(task, fmt):  # noqa: ANN001, ANN202
    if fmt == "pdf" and task.name.startswith("bscb/"):
        os._exit(3)
    return real_render(task, fmt)


def test_an_early_worker_that_dies_is_a_message(project: Path, run, monkeypatch) -> None:
    from briefpack import build

    monkeypatch.setattr(build, "render", _die_in_bscb)
    monkeypatch.setattr(build, "PART", 5)  # bscb's documents, all in the pool's first part
    made = _early(monkeypatch, 2)  # bscb/bscb-key-learning-2014 and default/bscb-key-learning-2014
    result = run("build", "--all", "--brand", "all", "-q")
    assert len(made) == 1
    stop = ("the process rendering this pack stopped unexpectedly — build again; "
            "if it stops again, build with --format pdf and --format docx separately")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"packs/bscb-key-learning-2014.yaml: {stop}"
    assert result.output.endswith("nothing was written.\n")
    assert not (project / "output").exists()


def test_a_problem_loaded_after_the_early_worker_started_stops_it(project: Path, run, monkeypatch) -> None:
    brand = project / "branding" / "lancashire" / "brand.yaml"  # the fourth brand: loaded with the fourth pair
    brand.write_text(brand.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    whole = run("build", "--all", "--brand", "all")
    made = _early(monkeypatch, 2)
    early = run("build", "--all", "--brand", "all")
    assert len(made) == 1 and made[0].helper.pid == 0  # type: ignore[attr-defined]  # stopped, and waited for
    assert (early.exit_code, early.output) == (whole.exit_code, whole.output)
    assert early.exit_code == 1 and early.output.startswith("branding/lancashire/brand.yaml:")
    assert not (project / "output").exists()


@pytest.mark.parametrize(("name", "n"), [("compose", 5), ("leak_check", 1)])
def test_ctrl_c_while_an_early_worker_renders_stops_it(project: Path, run, monkeypatch, name, n) -> None:
    """Ctrl-C while the rest is composed, or while the pool renders: the early worker is stopped and waited
    for, and nothing is written."""
    from briefpack import build

    made = _early(monkeypatch, 2)
    calls = []
    real = getattr(build, name)

    def interrupted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == n:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(build, name, interrupted)
    result = run("build", "--all", "--brand", "all", "-q")
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "stopped; nothing was changed\n")
    assert len(made) == 1 and made[0].helper.pid == 0  # type: ignore[attr-defined]
    assert not (project / "output").exists() or _documents(project / "output") == {}
