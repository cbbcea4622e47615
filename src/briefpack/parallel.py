"""Run two pieces of work on two cores: the PDFs in a forked child, the Word files here.

Importing reportlab and python-docx and rendering with each cost about the same, so a build of both
formats takes the time of the slower half instead of the sum. Where fork is missing, both run here.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def both(child: Callable[[], dict[str, T]], here: Callable[[], dict[str, T]]) -> dict[str, T]:
    """Return child() | here(), computing child() in a forked process when that is possible."""
    if not hasattr(os, "fork") or os.environ.get("BRIEFPACK_NO_FORK"):
        return child() | here()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send the result (or the error) back, and leave at once
        os.close(read_end)
        try:
            outcome = ("ok", child())
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
            outcome = ("error", exc)
        try:
            data = pickle.dumps(outcome)
        except Exception as exc:  # noqa: BLE001 - an unpicklable error still reports its text
            data = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        os._exit(0)
    os.close(write_end)
    try:
        mine = here()
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
    if not data:
        raise RuntimeError("the PDF renderer stopped without an answer")
    status, value = pickle.loads(data)
    if status == "error":
        raise value
    return value | mine
