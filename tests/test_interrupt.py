"""Ctrl-C at any moment: one line saying what was written, exit 130, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from briefpack import build, output

PACK = "packs/lancashire-7mb.yaml"
DOCX = Path("output/lancashire/lancashire-7mb.docx")
PDF = Path("output/lancashire/lancashire-7mb.pdf")
NOTHING = "stopped; nothing was changed\n"


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def ctrl_c_on_call(n: int):  # noqa: ANN201
    """A wrapper factory: the wrapped function's n-th call is where the user presses Ctrl-C."""
    calls = [0]

    def wrap(real):  # noqa: ANN001, ANN202
        def wrapped(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            calls[0] += 1
            if calls[0] == n:
                raise KeyboardInterrupt
            return real(*args, **kwargs)
        return wrapped

    return wrap


@pytest.fixture
def changed_pack(project: Path, run) -> dict[str, bytes]:
    """A built project whose pack then changed, so the next build replaces both files; the files before."""
    assert run("build", PACK).exit_code == 0
    pack = Path(PACK)
    pack.write_text(pack.read_text(encoding="utf-8").replace("Themes from Serious Case Reviews",
                                                             "Themes from reviews"), encoding="utf-8")
    return files_under(Path("output"))


@pytest.mark.parametrize(("module", "name", "n"), [
    (build, "prepare", 1),          # while reading the packs
    (build, "render", 1),           # while rendering the first file
    (build, "render", 2),           # while rendering the second
    (output.OutputFolder, "locked", 1),  # while taking the output folder's lock
    (output, "stage", 1),           # while writing the first new file beside its target
    (output, "stage", 2),           # ... the second
    (output, "atomic_write", 1),    # while saving the manifest of pending files
])
def test_ctrl_c_before_any_file_is_replaced_changes_nothing(changed_pack, run, monkeypatch, module, name, n) -> None:
    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")
    monkeypatch.setattr(module, name, ctrl_c_on_call(n)(getattr(module, name)))
    result = run("build", PACK)
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", NOTHING)
    after = files_under(Path("output"))
    if name == "atomic_write":
        after.pop(output.MANIFEST), changed_pack.pop(output.MANIFEST)  # pending hashes may be recorded
    assert after == changed_pack  # no temporary file left either


@pytest.mark.parametrize(("n", "written"), [
    (2, NOTHING),  # the first document's replace
    (3, "stopped; wrote output/lancashire/lancashire-7mb.pdf; nothing else was changed\n"),
    (4, "stopped; wrote output/lancashire/lancashire-7mb.pdf, output/lancashire/lancashire-7mb.docx; nothing "
        "else was changed\n"),  # the final manifest
])
def test_ctrl_c_while_replacing_says_what_was_written(changed_pack, run, monkeypatch, n, written) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", ctrl_c_on_call(n)(os.replace))
        result = run("build", PACK)
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", written)
    result = run("build", PACK)  # the next plain build finishes the job, with no "edited" alarm
    assert result.exit_code == 0, result.output
    assert [p.name for p in DOCX.parent.iterdir() if p.name.startswith(".")] == []


BOTH = ("stopped; wrote output/lancashire/lancashire-7mb.pdf, output/lancashire/lancashire-7mb.docx; nothing else "
        "was changed\n")


def test_ctrl_c_after_the_files_are_written_says_so(changed_pack, run, monkeypatch) -> None:
    with monkeypatch.context() as patch:
        real = build.record_inputs  # what it makes records the inputs once the files are in place
        patch.setattr(build, "record_inputs", lambda *args: ctrl_c_on_call(1)(real(*args)))
        result = run("build", PACK)
    assert (result.exit_code, result.stderr) == (130, BOTH)
    with monkeypatch.context() as patch:
        patch.setattr("click.echo", ctrl_c_on_call(2)(__import__("click").echo))  # while saying what it wrote
        pack = Path(PACK)
        pack.write_text(pack.read_text(encoding="utf-8").replace("Themes from reviews", "Themes"), encoding="utf-8")
        result = run("build", PACK)
    assert (result.exit_code, result.stderr) == (130, BOTH)
    assert run("build", PACK).exit_code == 0


def test_ctrl_c_in_brand_new_names_what_it_wrote(project: Path, run, monkeypatch) -> None:
    from briefpack import brandnew

    monkeypatch.setattr(brandnew, "atomic_write", ctrl_c_on_call(2)(brandnew.atomic_write))
    result = run("brand", "new", "north-somerset")
    assert (result.exit_code, result.stdout, result.stderr) == (
        130, "", "stopped; wrote branding/north-somerset/logo.png; nothing else was changed\n")


def test_ctrl_c_before_brand_new_writes_leaves_no_empty_brand(project: Path, run, monkeypatch) -> None:
    from briefpack import brandnew

    monkeypatch.setattr(brandnew, "atomic_write", ctrl_c_on_call(1)(brandnew.atomic_write))
    result = run("brand", "new", "north-somerset")
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", NOTHING)
    assert not Path("branding/north-somerset").exists()


SCRIPT = textwrap.dedent("""
    import functools, os, signal, sys, zlib
    where = sys.argv[1]
    calls = [0]

    def ctrl_c(real):
        def wrapped(*args, **kwargs):
            calls[0] += 1
            if calls[0] == 3:
                os.killpg(os.getpgrp(), signal.SIGINT)  # as a terminal does: this process and its helper
            return real(*args, **kwargs)
        return wrapped

    from briefpack import build
    from briefpack.cli import main

    if where == "zip":
        zlib.compressobj = ctrl_c(zlib.compressobj)  # while the Word file is being zipped
    elif where == "workers":  # while the worker processes render (the main process waits for them)
        calls[0] = 2
        build.render_chunk = functools.wraps(build.render_chunk)(ctrl_c(build.render_chunk))
    else:
        os.replace = ctrl_c(os.replace)  # while the new files replace the old
    main(["build", "--all" if where == "workers" else "packs/lancashire-7mb.yaml"])
""")


@pytest.mark.parametrize(("where", "said"), [
    ("zip", NOTHING),
    ("workers", NOTHING),
    ("replace", "stopped; wrote output/lancashire/lancashire-7mb.pdf; nothing else was changed\n")])
def test_a_real_ctrl_c_prints_one_line(changed_pack, where: str, said: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, where], capture_output=True, text=True, env=env,
                          start_new_session=True, check=False, timeout=600)  # a hang fails, never blocks CI
    assert (done.returncode, done.stdout, done.stderr) == (130, "", said)


def test_ctrl_c_while_the_command_line_is_read(project: Path, run, monkeypatch) -> None:
    from briefpack import cli

    monkeypatch.setattr(cli.Briefpack, "parse_args", ctrl_c_on_call(1)(cli.Briefpack.parse_args))
    result = run("build", PACK)
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", NOTHING)  # not Click's "Aborted!", 1


STARTING = textwrap.dedent("""
    import os, signal, sys

    class CtrlC:  # Ctrl-C pressed while Python is still importing Click
        def find_spec(self, name, path=None, target=None):
            if name == "click":
                os.kill(os.getpid(), signal.SIGINT)
            return None

    sys.meta_path.insert(0, CtrlC())
    sys.argv = ["briefpack", "build", "packs/lancashire-7mb.yaml"]
    import runpy
    runpy.run_module("briefpack", run_name="__main__")
""")


def test_ctrl_c_while_starting_up(project: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, "-c", STARTING], capture_output=True, text=True, env=env, check=False,
                          timeout=600)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", NOTHING)
    assert not Path("output").exists()


TERM_SCRIPT = SCRIPT.replace("os.killpg(os.getpgrp(), signal.SIGINT)",
                             "os.kill(os.getpid(), signal.SIGTERM)")  # kill PID, or a CI job's time limit


@pytest.mark.parametrize(("where", "said"), [
    ("zip", NOTHING),
    ("replace", "stopped; wrote output/lancashire/lancashire-7mb.pdf; nothing else was changed\n")])
def test_sigterm_stops_a_build_as_ctrl_c_does(changed_pack, where: str, said: str) -> None:
    # Killed outright, the build left its PDF helper waiting for ever, and its temporary files behind.
    assert "SIGTERM" in TERM_SCRIPT
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, "-c", TERM_SCRIPT, where], capture_output=True, text=True, env=env,
                          start_new_session=True, check=False, timeout=600)
    assert (done.returncode, done.stdout, done.stderr) == (143, "", said)
    assert [p.name for p in DOCX.parent.iterdir() if p.name.startswith(".")] == []


ORPHAN = textwrap.dedent("""
    import os, signal, sys
    from briefpack import parallel

    executor = parallel.pool(1)
    print(executor.submit(os.getpid).result(), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # no handler runs: the worker is left on its own
""")


HELPER_ORPHAN = textwrap.dedent("""
    import os, signal
    from briefpack import parallel

    helper = parallel.Helper(lambda: None, str)
    print(helper.pid, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # the PDF helper of a one-file build, left waiting for its work
""")


@pytest.mark.parametrize("script", [ORPHAN, HELPER_ORPHAN], ids=["pool", "helper"])
def test_a_worker_leaves_when_its_build_is_killed(script: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False,
                          timeout=600)
    worker = int(done.stdout)
    assert worker > 0
    for _ in range(600):  # it looks once a second; a worker that stays fails here, never hangs the tests
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(worker, 9)
    pytest.fail("the worker was still waiting a minute after its build was killed")


def test_ctrl_c_while_the_command_starts_up(project: Path, run, monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def importing(name, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if name == "briefpack" and args[2] and "output" in args[2]:  # from briefpack import output
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", importing)
    result = run("build", PACK)
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", NOTHING)  # was "Aborted!", status 1


WORKER_TERM = textwrap.dedent("""
    import functools, signal
    from briefpack import cli, parallel

    cli._stop_on_sigterm()  # as in a command: SIGTERM raises Terminated here
    executor = parallel.pool(1)
    print(executor.submit(functools.partial(signal.getsignal, signal.SIGTERM)).result() == signal.SIG_DFL)
    executor.shutdown()
""")


def test_a_worker_stopped_with_the_build_dies_quietly() -> None:
    # Forked with the command's SIGTERM handler, a worker ended by stop() printed a Terminated traceback.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, "-c", WORKER_TERM], capture_output=True, text=True, env=env, check=False,
                          timeout=600)
    assert (done.stdout, done.stderr) == ("True\n", "")
