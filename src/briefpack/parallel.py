"""Render on the machine's other cores: forked worker processes.

A one-file build starts one worker (Helper) before the packs are loaded, so importing reportlab (the slowest
import) overlaps the loading; the worker then renders the PDFs while this process writes the Word files.
A build of many documents spreads them over one worker per core, a concurrent.futures.ProcessPoolExecutor
(see build.py). An exception in a worker comes back with the worker's own traceback attached; a worker that
dies is reported as a problem.
Where processes cannot be started (or BRIEFPACK_NO_FORK is set) the same work runs in this process.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor


def workers_allowed() -> bool:
    """Whether to use worker processes at all."""
    return not os.environ.get("BRIEFPACK_NO_FORK")


def cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows
        return os.cpu_count() or 1


def forking() -> bool:
    """Whether a pool's workers are forked from this process (Linux): they then start with what it holds."""
    return sys.platform.startswith("linux")


def pool(workers: int, warm: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    """A pool of *workers* processes, each running *warm* first.

    On Linux the workers are forked (they start with this process's imports, in a few milliseconds);
    elsewhere Python's default start method is used. Forking happens here, before any thread exists.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if forking() else None
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=functools.partial(_start, warm))
    if context is not None:
        # Forked now, with everything this process made so far frozen: a worker's full collections then
        # look only at what the worker makes, not again and again at every module and loaded document it
        # inherited (a 750-pair batch: about a quarter of each worker's CPU went to collections, most of it
        # to the dozen full ones). Frozen, inherited objects also keep their pages shared with this process.
        gc.freeze()
        try:
            executor.submit(int)  # a forking pool starts all its workers at its first task
        finally:
            gc.unfreeze()
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


class WorkerDied(Exception):
    """The helper process ended without an answer (killed, or out of memory)."""


class RemoteTraceback(Exception):
    """The traceback of an exception raised in the helper process, as its __cause__ here."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return f'\n"""\n{self.text}"""'


class Helper:
    """Run work(request) in one worker process that first ran warm().

    On Linux the worker is forked directly, and request and answer go through two pipes: a one-file build
    then imports neither multiprocessing nor concurrent.futures (about 15 ms of its start) and starts no
    threads. Elsewhere a one-worker process pool does the same.
    """

    def __init__(self, warm: Callable[[], None], work: Callable[[Any], Any]) -> None:
        self.work = work
        self.request: Any = None
        self.future: Future | None = None
        self.executor: ProcessPoolExecutor | None = None
        self.pid = 0
        self.to_child = self.from_child = -1
        self.writer: Any = None
        if not workers_allowed():
            return
        if not (sys.platform.startswith("linux") and hasattr(os, "fork")):
            self.executor = pool(1, warm)
            self.executor.submit(int)  # starts the worker now, so its warm-up overlaps our loading
            return
        request_r, request_w = os.pipe()
        answer_r, answer_w = os.pipe()
        pid = fork()  # -1: no process to be had, the work is done here
        if pid == 0:  # the worker: it never returns from here
            os.close(request_w)
            os.close(answer_r)
            child(functools.partial(_serve, warm, work, request_r, answer_w))
        os.close(request_r)
        os.close(answer_w)
        if pid < 0:
            os.close(request_w)
            os.close(answer_r)
            return
        self.pid, self.to_child, self.from_child = pid, request_w, answer_r

    def send(self, request: Any) -> None:
        """Hand the worker its work (without a worker, just remember it)."""
        if self.executor:
            self.future = self.executor.submit(self.work, request)
        elif self.pid:
            data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
            fd, self.to_child = self.to_child, -1
            if len(data) <= PIPE_BYTES:  # fits the pipe: written at once, whatever the worker is doing
                _write_all(fd, data)
            else:  # the worker reads it once warm: write it meanwhile
                import threading

                self.writer = threading.Thread(target=_write_all, args=(fd, data), daemon=True)
                self.writer.start()
        else:
            self.request = request

    def answer(self) -> Any:
        """The result of the work, or its exception raised here."""
        if self.pid:
            try:
                return self._answer()
            finally:
                self.cancel()
        if not self.executor or self.future is None:
            return self.work(self.request)
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.future.result()
        except BrokenProcessPool:
            raise WorkerDied from None
        finally:
            self.cancel()

    def _answer(self) -> Any:
        if self.writer is not None:
            self.writer.join()
        with os.fdopen(self.from_child, "rb") as answer:
            self.from_child = -1
            data = answer.read()
        os.waitpid(self.pid, 0)
        self.pid = 0
        if not data:
            raise WorkerDied
        ok, value, trace = pickle.loads(data)
        if ok:
            return value
        raise value from RemoteTraceback(trace)

    def stop(self) -> None:
        """Stop the worker at once, without its answer."""
        if self.executor:
            stop(self.executor)
            self.executor = None
        self.cancel()

    def cancel(self) -> None:
        """Stop the worker (after its answer, or without work when the build found problems)."""
        if self.executor:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
        for fd in (self.to_child, self.from_child):
            if fd >= 0:
                os.close(fd)
        self.to_child = self.from_child = -1
        if self.pid:  # no answer wanted: what it does is only for us (imports, rendering in memory)
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0


PIPE_BYTES = 4096
"""A request this small is written to the worker's pipe at once (a pipe holds at least a page)."""


def _write_all(fd: int, data: bytes) -> None:
    with contextlib.suppress(OSError), os.fdopen(fd, "wb") as pipe:  # a worker that died is found by answer()
        pipe.write(data)


def fork() -> int:
    """A child process (0 in it), or -1 when none can be had.

    Everything this process holds is frozen out of the child's collections: they leave what it inherits
    alone, so its pages stay shared with this process instead of being copied as they are scanned.
    """
    gc.freeze()
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid != 0:
        gc.unfreeze()
    return pid


def child(body: Callable[[], None]) -> NoReturn:
    """Run *body* in a process made by fork(), then end that process: it never returns into the copy of
    its parent's code. Ctrl-C is left to the parent (a terminal sends it to both; the parent stops the
    child), SIGTERM ends it quietly, and anything *body* raises only makes the exit status 1."""
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        body()
    except BaseException:  # noqa: BLE001 - nothing may escape into the copy of the parent's code
        status = 1
    finally:
        os._exit(status)


Outcome = tuple[bool, Any, str]
"""How a piece of work went: (True, its result, "") or (False, the exception it raised, its traceback)."""


def outcome(work: Callable[[], Any]) -> Outcome:
    """*work()*'s outcome, ready to go to another process: an exception that cannot be pickled goes as a
    RuntimeError naming it (its traceback says the rest)."""
    try:
        return True, work(), ""
    except Exception as exc:  # noqa: BLE001 - every exception goes back to the process that asked
        import traceback

        trace = traceback.format_exc()
        try:
            pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001
            return False, RuntimeError(f"{type(exc).__name__}: {exc}"), trace
        return False, exc, trace


def _serve(warm: Callable[[], None], work: Callable[[Any], Any], requests: int, answers: int) -> None:
    """The forked worker (see child): warm up, read the request (none when the build needs no work), answer.

    It ends when the build is gone: the build's end of the request pipe closes with it.
    """
    with contextlib.suppress(Exception):
        warm()  # if it fails, the work fails the same way and says why
    with os.fdopen(requests, "rb") as pipe:
        data = pipe.read()
    if data:
        answer = pickle.dumps(outcome(lambda: work(pickle.loads(data))), protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError), os.fdopen(answers, "wb") as pipe:
            pipe.write(answer)


def warm_pdf() -> None:
    import PIL.PngImagePlugin  # noqa: F401 - reportlab reads logos with Pillow
    import briefpack.render.pdf  # noqa: F401 - the slowest import, done while the parent reads the YAML


def warm(formats: tuple[str, ...]) -> None:
    """Import the renderers of *formats* here, once, before a pool's workers are forked from this process:
    each worker imported them itself (reportlab and python-docx, about 120 ms of CPU a worker). This
    process renders nothing; its workers share the imported modules' memory with it."""
    if "pdf" in formats:
        warm_pdf()
    if "docx" in formats:
        import briefpack.render.docx  # noqa: F401


def render_pdfs(tasks):  # noqa: ANN001, ANN202 - a list of build.Task
    from briefpack.rendering import render_all

    return render_all(tasks, "pdf")


def pdf_helper(formats: tuple[str, ...]) -> Helper | None:
    """A helper for the PDFs when both formats are wanted (with one, there is nothing to overlap).

    None when worker processes are not allowed: the caller then renders both formats itself.
    """
    if set(formats) != {"pdf", "docx"} or not workers_allowed():
        return None
    return Helper(warm_pdf, render_pdfs)
