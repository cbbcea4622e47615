"""Reading-time words are counted from the composed Document, as a facilitator reads them."""

from __future__ import annotations

import pytest

from briefpack import readtime


@pytest.mark.parametrize(("text", "expected"), [
    ("", 0),
    ("Think family.", 2),
    ("don't multi-agency 7-minute", 3),
    ("  spaced\u00a0out\twords  ", 3),
])
def test_count(text: str, expected: int) -> None:
    assert readtime.count(text) == expected


@pytest.mark.parametrize(("words", "wpm", "expected"), [(0, 150, 1), (150, 150, 1), (151, 150, 2), (742, 150, 5)])
def test_minutes(words: int, wpm: int, expected: int) -> None:
    assert readtime.minutes(words, wpm) == expected
