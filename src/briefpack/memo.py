"""Results remembered within one process, so a batch does shared work once.

In a batch (`--brand all`) one worker renders many documents in turn, and boards that share their fonts and
content get the same layout: the tiles search, and a linear document's choice of how to end its last page,
need not be made again; nor need a QR code, a Word chart, a look's starting .docx or a deflated zip member
many documents share, nor a YAML file's nodes (yamlio), a decoded picture (pdfimages) or a font's subset
and its compression (pdfwriter). Each memo is a small LRU (memory stays flat however long the batch), keyed by
everything the remembered result depends on, and counts its hits and misses (the tests read them).

At the package's top level, not among the renderers: yamlio uses it too, and importing it brings nothing else.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

V = TypeVar("V")

_memos: list[Memo] = []
_enabled = True
_MISSING = object()


class Memo(Generic[V]):
    """At most *size* results by key, the least recently used forgotten first (*forget* is told of each, with
    its key, when it goes)."""

    def __init__(self, size: int, forget: Callable[[Hashable, V], object] | None = None) -> None:
        self.size = size
        self.forget = forget
        self.data: OrderedDict[Hashable, V] = OrderedDict()
        self.hits = self.misses = 0
        _memos.append(self)

    def get(self, key: Hashable) -> V | None:
        found = self.data.get(key) if _enabled else None
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self.data.move_to_end(key)
        return found

    def put(self, key: Hashable, value: V) -> V:
        if _enabled:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                old = self.data.popitem(last=False)
                if self.forget is not None:
                    self.forget(*old)
        return value

    def recall(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value remembered for *key* (None too), or what *make* makes (then remembered)."""
        found = self.data.get(key, _MISSING) if _enabled else _MISSING
        if found is _MISSING:
            self.misses += 1
            return self.put(key, make())
        self.hits += 1
        self.data.move_to_end(key)
        return found  # type: ignore[return-value]

    def __contains__(self, key: Hashable) -> bool:
        return key in self.data

    def __len__(self) -> int:
        return len(self.data)

    def clear(self) -> None:
        while self.data:
            old = self.data.popitem(last=False)
            if self.forget is not None:
                self.forget(*old)


def enabled() -> bool:
    """Whether results are remembered now (not inside off())."""
    return _enabled


def clear() -> None:
    """Forget everything remembered, and the counts."""
    for memo in _memos:
        memo.clear()
        memo.hits = memo.misses = 0


@contextlib.contextmanager
def off() -> Iterator[None]:
    """Nothing is remembered or recalled inside (the tests compare output with and without the memos)."""
    global _enabled
    saved, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = saved
