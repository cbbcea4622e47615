"""Files that are not plain files where briefpack expects YAML: a clear message, never a hang or a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import found

PACK = "packs/lancashire-7mb.yaml"
NOT_PLAIN = "this is not a plain file (a device, pipe or socket) — name a .yaml file\n"
ONE = "1 problem found; nothing was written.\n"


def replace_with_link(path: Path, target: str) -> None:
    path.unlink()
    path.symlink_to(target)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("file", ["packs/library/contacts.yaml", "branding/lancashire/brand.yaml"])
def test_a_link_to_an_endless_device_is_refused_without_reading_it(project: Path, run, file: str) -> None:
    replace_with_link(project / file, "/dev/zero")  # read whole, it filled 9 GB of memory
    result = run("build", PACK)
    assert (result.exit_code, result.stderr) == (1, f"{file}: {NOT_PLAIN}{ONE}")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("command", [("build", "lancashire-7mb"), ("build", "--all"), ("check",)])
def test_a_named_pipe_named_like_a_pack_is_refused_without_waiting(project: Path, run, command) -> None:
    (project / PACK).unlink()
    os.mkfifo(project / PACK)  # opening it for reading waited for a writer for ever
    result = run(*command)
    assert (result.exit_code, result.stderr) == (1, f"{PACK}: {NOT_PLAIN}{found(command)}")


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_device_named_as_the_pack_is_called_that_and_nothing_else(project: Path, run, command: str) -> None:
    result = run(command, "/dev/null")  # it also said the library folder beside /dev was missing
    assert (result.exit_code, result.stderr) == (1, f"/dev/null: {NOT_PLAIN}{found(command)}")


@pytest.mark.parametrize("file", [PACK, "packs/library/lessons.yaml", "branding/lancashire/brand.yaml"])
def test_a_link_in_a_circle_is_named_as_unreadable(project: Path, run, file: str) -> None:
    replace_with_link(project / file, Path(file).name)  # a RuntimeError from pathlib's resolve()
    result = run("build", "lancashire-7mb")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{file}: cannot read the file (")  # the system's words for ELOOP
    assert result.stderr.endswith(") — check that it exists and that you may read it\n" + ONE)


def test_a_brand_file_that_is_a_folder_is_named_not_called_an_unknown_brand(project: Path, run) -> None:
    brand = project / "branding/lancashire/brand.yaml"
    brand.unlink()
    brand.mkdir()
    result = run("build", "lancashire-7mb")
    assert (result.exit_code, result.stderr) == (
        1, f"branding/lancashire/brand.yaml: this is a folder, not a YAML file — name a .yaml file\n{ONE}")


@pytest.mark.parametrize(("command", "stderr"), [
    (("new", "pack", "p\x01\u202e"), "pU+0001U+202E: 'pU+0001U+202E' cannot be a pack id — use lower-case "
                                     "letters, digits and hyphens, e.g. 'north-somerset-bruising-7mb'"),  # was raw
])
def test_odd_names_on_the_command_line(project: Path, run, command, stderr: str) -> None:
    result = run(*command)
    assert (result.exit_code, result.stderr) == (1, f"{stderr}\n{ONE}")


@pytest.mark.parametrize(("command", "what"), [
    (("build", ""), "'[PACK]...'"),  # was '/packs/library is missing' and '.: this is a folder'
    (("build", "lancashire-7mb", "--brand", ""), "'--brand'"),  # was built in the pack's own brand
    (("build", "lancashire-7mb", "--out", ""), "'--out'"),  # was written into the project folder
    (("check", "--brand", ""), "'--brand'"),
    (("new", "pack", ""), "'ID'"),  # was ": '' cannot be …", with no place
    (("brand", "new", "x", "--from", ""), "'--from'"),
    (("brand", "check", ""), "'[NAME]...'"),  # was an assert
    (("schema", "--out", ""), "'--out'"),  # was written into this folder
    (("returns", ""), "'FILE_OR_FOLDER...'"),
    (("returns", "kits", "--out", ""), "'--out'"),
])
def test_an_empty_name_is_a_usage_error(project: Path, run, command, what: str) -> None:
    """An empty argument is a shell slip (quotes around nothing, a variable not set), never 'here' or 'the default'."""
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    result = run(*command)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (f"Error: Invalid value for {what}: it is empty — give a name (quotes "
                                              "around nothing, or a variable that is not set?)")
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_schemas_into_a_folder_that_cannot_be_made(project: Path, run) -> None:
    result = run("schema", "--out", "/proc/briefpack-schemas")  # was FileNotFoundError from mkdir
    assert (result.exit_code, result.stderr) == (1, (
        "/proc/briefpack-schemas: cannot write the schemas here (No such file or directory) — check the folder, "
        f"or choose another with --out\n{ONE}"))


def test_all_cannot_be_a_brand_name(project: Path, run) -> None:
    result = run("brand", "new", "all")  # was made, and then 'build --brand all' could never mean it
    assert (result.exit_code, result.stderr) == (1, (
        "branding/all: 'all' cannot be a brand name: 'build --brand all' means every brand — choose another name, "
        f"e.g. 'north-somerset'\n{ONE}"))
    assert not (project / "branding/all").exists()


def test_new_pack_outside_a_project_says_so(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("new", "pack", "x")  # was "unknown brand 'default' — make it with 'briefpack brand new default'"
    assert (result.exit_code, result.stderr) == (1, (
        "branding: there is no branding/ folder here, so this is not a briefpack project — run briefpack in your "
        f"project folder (the one with packs/ and branding/)\n{ONE}"))


@pytest.mark.parametrize("target", ["nowhere/out", "out"])  # a link to nothing, a link to itself
def test_an_output_folder_that_is_a_broken_link(project: Path, run, target: str) -> None:
    (project / "out").symlink_to(project / target)  # was "cannot use the output folder (File exists)"
    result = run("build", "lancashire-7mb", "--out", "out")
    assert (result.exit_code, result.stderr) == (1, (  # named as typed, not as where the link leads
        "out: the way to this folder goes through a link that leads nowhere, or round in a circle — fix or "
        f"delete the link, or choose another output folder with --out\n{ONE}"))
