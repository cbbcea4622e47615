"""Render on the machine's other cores with concurrent.futures.ProcessPoolExecutor.

A one-file build starts one worker before the packs are loaded, so importing reportlab (the slowest
import) overlaps the loading; the worker then renders the PDFs while this process writes the Word files.
A build of many documents spreads them over one worker per core (see build.py). An exception in a worker
comes back with the worker's own traceback attached; a worker that dies is reported as a problem.
Where processes cannot be started (or BRIEFPACK_NO_FORK is set) the same work runs in this process.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any


def workers_allowed() -> bool:
    """Whether to use worker processes at all."""
    return not os.environ.get("BRIEFPACK_NO_FORK")


def cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows
        return os.cpu_count() or 1


def pool(workers: int, warm: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    """A pool of *workers* processes, each running *warm* first.

    On Linux the workers are forked (they start with this process's imports, in a few milliseconds);
    elsewhere Python's default start method is used. Forking happens here, before any thread exists.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=functools.partial(_start, warm))
    return executor


def _start(warm: Callable[[], None] | None) -> None:
    """A worker's first step: leave Ctrl-C to the main process (which stops the build and says so), die
    quietly when stopped, leave when the main process is gone, then warm up.

    A terminal sends Ctrl-C to every process of the build; a worker that took it would print a traceback.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # forked with the command's handler; stop() ends workers with it
    _leave_with_parent()
    if warm:
        warm()


def _leave_with_parent() -> None:
    """End this worker when the process that started it is gone (killed, say, with SIGKILL).

    A pool's worker waits for work on a pipe whose other end it holds itself, so it never notices on its
    own: left alone, it would wait for ever. A thread looks once a second; it costs nothing measurable.
    """
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="briefpack-parent-watch", daemon=True).start()


_libc: Any = None


def give_back_memory() -> None:
    """Return the memory C code freed (lxml's trees, Pillow's images, zlib's buffers) to the system.

    glibc keeps freed memory for reuse, scattered between blocks still in use, so a worker that renders
    hundreds of documents grew by tens of MiB more than it ever used at once (a 750-pair batch: 212 MiB).
    malloc_trim hands the free pages back; a millisecond or so, once per part of the work. Elsewhere
    (macOS, Windows, musl) nothing is done.
    """
    global _libc
    if _libc is None:
        _libc = False
        if sys.platform.startswith("linux"):
            import ctypes

            with contextlib.suppress(OSError, AttributeError):
                libc = ctypes.CDLL("libc.so.6")
                _libc = libc if hasattr(libc, "malloc_trim") else False
    if _libc:
        _libc.malloc_trim(0)


def stop(executor: ProcessPoolExecutor) -> None:
    """End the workers now (Ctrl-C, or a failure here): their work is not wanted, and waiting for it is slow.

    Waiting could even hang: a pool interrupted part-way through handing out its work may never tell its
    workers to leave.
    """
    terminate = getattr(executor, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.terminate()
    executor.shutdown(wait=False, cancel_futures=True)


class Helper:
    """Run work(request) in one worker process that first ran warm()."""

    def __init__(self, warm: Callable[[], None], work: Callable[[Any], Any]) -> None:
        self.work = work
        self.request: Any = None
        self.future: Future | None = None
        self.executor: ProcessPoolExecutor | None = None
        if workers_allowed():
            self.executor = pool(1, warm)
            self.executor.submit(int)  # starts the worker now, so its warm-up overlaps our loading

    def send(self, request: Any) -> None:
        """Hand the worker its work (without a worker, just remember it)."""
        if self.executor:
            self.future = self.executor.submit(self.work, request)
        else:
            self.request = request

    def answer(self) -> Any:
        """The result of the work, or its exception raised here."""
        if not self.executor or self.future is None:
            return self.work(self.request)
        try:
            return self.future.result()
        finally:
            self.cancel()

    def stop(self) -> None:
        """Stop the worker at once, without its answer."""
        if self.executor:
            stop(self.executor)
            self.executor = None

    def cancel(self) -> None:
        """Stop the worker (after its answer, or without work when the build found problems)."""
        if self.executor:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


def _warm_pdf() -> None:
    import PIL.PngImagePlugin  # noqa: F401 - reportlab reads logos with Pillow
    import briefpack.render.pdf  # noqa: F401 - the slowest import, done while the parent reads the YAML


def _render_pdfs(tasks):  # noqa: ANN001, ANN202 - a list of build.Task
    from briefpack.rendering import render_all

    return render_all(tasks, "pdf")


def pdf_helper(formats: tuple[str, ...]) -> Helper | None:
    """A helper for the PDFs when both formats are wanted (with one, there is nothing to overlap).

    None when worker processes are not allowed: the caller then renders both formats itself.
    """
    if set(formats) != {"pdf", "docx"} or not workers_allowed():
        return None
    return Helper(_warm_pdf, _render_pdfs)
