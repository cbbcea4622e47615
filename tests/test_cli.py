"""The command line: fast help, versions, and what a build prints."""

from __future__ import annotations

import re

import subprocess
import sys
from pathlib import Path

import pytest

from briefpack import __version__
from conftest import docx_text, pdf_text

HEAVY = ("reportlab", "docx", "PIL", "fontTools", "yaml")


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["--version"]])
def test_help_and_version_import_no_heavy_library(args: list[str]) -> None:
    code = ("import sys\nfrom briefpack.cli import main\n"
            "try:\n    main(%r)\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in %r))" % (args, HEAVY))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_version(run) -> None:
    result = run("--version")
    assert result.output == f"briefpack, version {__version__}\n"


def test_build_prints_each_file_written(project: Path, run) -> None:
    result = run("build", "packs/lancashire-7mb.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("wrote output/lancashire/lancashire-7mb.pdf\n"
                             "wrote output/lancashire/lancashire-7mb.docx\n"
                             "lancashire-7mb: about 5 minutes to read aloud (649 words)\n")


def test_brand_and_format_and_out(project: Path, run) -> None:
    result = run("build", "packs/lancashire-7mb.yaml", "--brand", "default", "--format", "docx",
                 "--out", "elsewhere")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("wrote elsewhere/default/lancashire-7mb.docx\n"
                             "lancashire-7mb: about 5 minutes to read aloud (649 words)\n")
    assert not (project / "elsewhere" / "default" / "lancashire-7mb.pdf").exists()


def test_build_all_builds_every_pack(project: Path, run) -> None:
    result = run("build", "--all")
    assert result.exit_code == 0, result.output
    packs = sorted(p.stem for p in (project / "packs").glob("*.yaml"))
    written = [line for line in result.stdout.splitlines() if line.startswith("wrote ")]
    assert len(written) == 2 * len(packs)
    times = result.stdout.splitlines()[len(written):]
    assert "lancashire-7mb: about 5 minutes to read aloud (649 words)" in times
    assert all(re.fullmatch(r"[a-z0-9-]+: about [0-9]+ minutes? to read aloud \([0-9]+ words\)", t) for t in times)
    for line in written:
        assert (project / line.removeprefix("wrote ")).is_file()


def test_python_m_briefpack(project: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "briefpack", "--version"], capture_output=True, text=True)
    assert result.stdout == f"briefpack, version {__version__}\n"


ENDING = ("import atexit, sys, threading\n"
          "atexit.register(print, 'an exit handler ran')\n"
          "if sys.argv[1] == 'thread':\n"
          "    threading.Thread(target=lambda: (threading.main_thread().join(), print('a thread finished'))).start()\n"
          "from briefpack.cli import main\n"
          "sys.argv[:2] = ['briefpack']\n"
          "main()\n")


@pytest.mark.parametrize("thread", [False, True], ids=["plain", "thread"])
def test_a_successful_command_ends_with_all_it_would_have_done(project: Path, thread: bool) -> None:
    # The program leaves at once after a successful command, without Python's teardown (cli._leave_now):
    # the files are whole, every line is printed, exit handlers run, a thread still running is waited for.
    result = subprocess.run([sys.executable, "-c", ENDING, "thread" if thread else "plain", "build",
                             "packs/lancashire-7mb.yaml"], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == ["wrote output/lancashire/lancashire-7mb.pdf",
                                          "wrote output/lancashire/lancashire-7mb.docx",
                                          "lancashire-7mb: about 5 minutes to read aloud (649 words)",
                                          *(["a thread finished"] if thread else []), "an exit handler ran"]
    assert "Lancashire" in pdf_text(project / "output" / "lancashire" / "lancashire-7mb.pdf")
    assert "Lancashire" in docx_text(project / "output" / "lancashire" / "lancashire-7mb.docx")


def test_a_profiler_still_writes_its_results(tmp_path: Path) -> None:
    import pstats

    out = tmp_path / "profile"
    result = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "briefpack", "--version"],
                            capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (0, f"briefpack, version {__version__}\n")
    assert pstats.Stats(str(out)).total_calls > 0


def test_output_names_come_from_ids_inside_the_output_folder(project: Path, run) -> None:
    import shutil
    shutil.copy(project / "packs" / "lancashire-7mb.yaml", project / "packs" / "My Pack (v2) ..CON.yaml")
    result = run("build", "packs/My Pack (v2) ..CON.yaml", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("wrote output/lancashire/my-pack-v2-con.pdf\n"
                             "my-pack-v2-con: about 5 minutes to read aloud (649 words)\n")


def test_letter_paper(project: Path, run) -> None:
    import docx
    from pypdf import PdfReader

    brand = project / "branding" / "bscb" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "page_size: Letter\n", encoding="utf-8")
    assert run("build", "packs/bscb-key-learning-2014.yaml").exit_code == 0
    box = PdfReader(project / "output" / "bscb" / "bscb-key-learning-2014.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    section = docx.Document(str(project / "output" / "bscb" / "bscb-key-learning-2014.docx")).sections[0]
    assert round(section.page_width.mm, 1) == 215.9


def test_help_lists_every_command(run) -> None:
    result = run("--help")
    assert "build" in result.output and "brand" in result.output
    assert "check" in run("brand", "--help").output and "new" in run("brand", "--help").output


def test_the_pdf_helper_process_changes_nothing(project: Path, run, monkeypatch) -> None:
    assert run("build", "--all", "--out", "forked").exit_code == 0
    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    assert run("build", "--all", "--out", "single").exit_code == 0
    # The documents only: the manifest records when each was written.
    forked = {p.relative_to(project / "forked"): p.read_bytes() for p in (project / "forked").rglob("*.*")
              if p.suffix in (".pdf", ".docx")}
    single = {p.relative_to(project / "single"): p.read_bytes() for p in (project / "single").rglob("*.*")
              if p.suffix in (".pdf", ".docx")}
    assert forked.keys() == single.keys() and forked == single


CANNOT_PRINT = ("cannot print what briefpack has to say (No space left on device) — make room where its output "
                "goes, or run it without redirecting its output\n")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", [["--help"], ["--version"], ["build", "--help"], ["list", "lessons"],
                                  ["build", "packs/lancashire-7mb.yaml"]])
def test_output_that_cannot_be_printed_is_one_line_not_a_traceback(project: Path, args: list[str]) -> None:
    """`briefpack … > file` on a full disk: one line on standard error and status 1; files a build wrote stay."""
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "briefpack", *args], stdout=full, stderr=subprocess.PIPE,
                                text=True)
    assert (result.returncode, result.stderr) == (1, CANNOT_PRINT)
    if args[-1].endswith(".yaml"):
        assert (project / "output" / "lancashire" / "lancashire-7mb.docx").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_nowhere_to_print_at_all_is_status_1(project: Path) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "briefpack", "list", "lessons"], stdout=full, stderr=full)
    assert result.returncode == 1
