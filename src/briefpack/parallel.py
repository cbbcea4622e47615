"""A forked helper that renders the PDFs on the second core while this process does the Word files.

The helper starts before the packs are loaded, so importing reportlab (the slowest import) overlaps the
loading; it then receives the documents, renders them and sends the bytes back. Where fork is missing
(or BRIEFPACK_NO_FORK is set) the same work simply runs in this process.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Any


def _write_all(fd: int, data: bytes) -> None:
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(data)


def _read_all(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as pipe:
        return pipe.read()


class Helper:
    """Run work(request) in a forked process that first ran warm()."""

    def __init__(self, warm: Callable[[], None], work: Callable[[Any], Any]) -> None:
        self.work = work
        self.pid = 0
        if not hasattr(os, "fork") or os.environ.get("BRIEFPACK_NO_FORK"):
            return
        request_read, self.request_write = os.pipe()
        self.answer_read, answer_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the helper: warm up, wait for the request, answer it, leave at once
            os.close(self.request_write)
            os.close(self.answer_read)
            try:
                warm()
                data = _read_all(request_read)
                if data:
                    outcome = ("ok", work(pickle.loads(data)))
                    try:
                        answer = pickle.dumps(outcome)
                    except Exception as exc:  # noqa: BLE001 - an unpicklable result still reports
                        answer = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
                    _write_all(answer_write, answer)
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
                try:
                    _write_all(answer_write, pickle.dumps(("error", exc)))
                except Exception:  # noqa: BLE001
                    _write_all(answer_write, pickle.dumps(("error", RuntimeError(repr(exc)))))
            finally:
                os._exit(0)
        os.close(request_read)
        os.close(answer_write)
        self.pid = pid
        self.request: Any = None

    def send(self, request: Any) -> None:
        """Hand the helper its work (in this process, just remember it)."""
        if self.pid:
            _write_all(self.request_write, pickle.dumps(request))
        else:
            self.request = request

    def answer(self) -> Any:
        """The result of the work, or its exception raised here."""
        if not self.pid:
            return self.work(self.request)
        data = _read_all(self.answer_read)
        os.waitpid(self.pid, 0)
        self.pid = 0
        if not data:
            raise RuntimeError("the PDF renderer stopped without an answer")
        status, value = pickle.loads(data)
        if status == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the helper without work (the build found problems before rendering)."""
        if self.pid:
            os.close(self.request_write)
            _read_all(self.answer_read)
            os.waitpid(self.pid, 0)
            self.pid = 0


def _warm_pdf() -> None:
    import PIL.PngImagePlugin  # noqa: F401 - reportlab reads logos with Pillow
    import briefpack.render.pdf  # noqa: F401 - the slowest import, done while the parent reads the YAML


def _render_pdfs(tasks):  # noqa: ANN001, ANN202 - a list of build.Task
    from briefpack.build import render_all

    return render_all(tasks, "pdf")


def pdf_helper(formats: tuple[str, ...]) -> Helper | None:
    """A helper for the PDFs when both formats are wanted (with one, there is nothing to overlap)."""
    if set(formats) != {"pdf", "docx"}:
        return None
    return Helper(_warm_pdf, _render_pdfs)
