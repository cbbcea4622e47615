"""Speed work must not change what is built: workers, batches and skipped rebuilds (no timings here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefpack import build as build_module
from briefpack.errors import BriefpackError, Problem


def _refuse_in_worker(task, fmt):  # noqa: ANN001, ANN202 - build.render's signature
    if fmt == "pdf":
        raise BriefpackError([Problem("packs/x.yaml", 3, 1, "refused in the worker", "fix it")])
    return real_render(task, fmt)


def _die_in_worker(task, fmt):  # noqa: ANN001, ANN202
    if fmt == "pdf":
        os._exit(3)
    return real_render(task, fmt)


real_render = build_module.render


def test_a_problem_found_in_the_pdf_worker_is_reported_whole(project: Path, run, monkeypatch) -> None:
    monkeypatch.setattr(build_module, "render", _refuse_in_worker)
    result = run("build", "packs/lancashire-7mb.yaml")
    assert result.exit_code == 1
    assert result.output == ("packs/x.yaml:3:1: refused in the worker — fix it\n"
                             "1 problem found; nothing was written.\n")
    assert not (project / "output").exists()


def test_a_worker_that_dies_is_a_message_not_a_hang(project: Path, run, monkeypatch) -> None:
    monkeypatch.setattr(build_module, "render", _die_in_worker)
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

    monkeypatch.setattr(build_module, "render", broken)
    with pytest.raises(ZeroDivisionError) as caught:
        run("build", "packs/lancashire-7mb.yaml")
    assert "raise ZeroDivisionError" in str(caught.value.__cause__)
