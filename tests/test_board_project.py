"""A board's own project stays testable: its brands and packs beside the examples break no test."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

EXAMPLE_DRIVEN = (
    "tests/test_examples.py::test_build_all_writes_ten_files",
    "tests/test_brands.py::test_brand_new_builds_at_once",
    "tests/test_brands.py::test_brand_check_without_a_name_checks_every_brand",
    "tests/test_errors.py::test_mistake_gives_exact_message[missing-brand]",
    "tests/test_cli.py::test_build_all_builds_every_pack",
)
"""Tests that once counted the example packs or reused brand names a board is likely to add."""


def test_tests_pass_in_a_project_with_its_own_brand_and_pack(tmp_path: Path) -> None:
    board = tmp_path / "board"
    for folder in ("tests", "packs", "branding"):
        shutil.copytree(ROOT / folder, board / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", board / "pyproject.toml")
    shutil.copytree(ROOT / "branding" / "lancashire", board / "branding" / "north-somerset")
    pack = (ROOT / "packs" / "lancashire-7mb.yaml").read_text(encoding="utf-8")
    (board / "packs" / "ns-bruising-7mb.yaml").write_text(pack.replace("brand: lancashire", "brand: north-somerset"),
                                                           encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *EXAMPLE_DRIVEN],
                            cwd=board, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert f"{len(EXAMPLE_DRIVEN)} passed" in result.stdout
