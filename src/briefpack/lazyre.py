"""Regular expressions other packages compile as they are imported, over wide character ranges, compiled when
first used instead.

Compiling a class such as [\\xa1-\\uffff] visits every character of the range (and with IGNORECASE case-folds
each one). reportlab compiles such a URL pattern for hyphenation (about 20 ms) and one for wrapping Chinese and
Japanese text, PyYAML one for its pure-Python reader: a build that hyphenates nothing, wraps no CJK text and
reads YAML with libyaml never uses them, yet every process that imported those modules paid for them (a third
of the PDF helper's import time). Patterns with narrower ranges are compiled as they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

WIDE = 4096
"""A character range spanning more code points than this makes a pattern wait until it is used."""
_compile = re.compile
_RANGE = _compile(r"(.)-(.)", re.DOTALL)


class LazyPattern:
    """Stands for re.compile(pattern, flags) and compiles it when one of its attributes is first asked for."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.args = pattern, flags
        self.compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self.compiled is None:
            self.compiled = _compile(*self.args)
        return getattr(self.compiled, name)


def wide(pattern: object) -> bool:
    """Whether *pattern* (a regular expression's text) holds a character range wider than WIDE."""
    return isinstance(pattern, str) and any(ord(b) - ord(a) > WIDE for a, b in _RANGE.findall(pattern))


def _lazy_compile(pattern: Any, flags: int = 0) -> Any:
    return LazyPattern(pattern, flags) if wide(pattern) else _compile(pattern, flags)


@contextmanager
def deferred() -> Iterator[None]:
    """Inside, re.compile of a pattern with a wide range gives a LazyPattern (for imports made here)."""
    re.compile = _lazy_compile  # type: ignore[assignment]
    try:
        yield
    finally:
        re.compile = _compile
