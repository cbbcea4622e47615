"""How long a document takes to read aloud to a team: words counted from the composed Document."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import assert_never

from briefpack.document import (BulletList, Chart, Choice, ContactBlock, Contents, Document, Field, FieldTable,
                                Heading, Item, LinkBlock, NumberedList, PageBreak, Para, Section, Table, TitleBlock,
                                TopBlock)
from briefpack.markup import Inline

WORDS_PER_MINUTE = 150
"""A fair pace for reading aloud to a team; a brand may set its own."""
BUDGET_MINUTES = 7
"""A 7-minute briefing should be read in this time."""

_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def count(text: str) -> int:
    """Words in *text*, as a reader counts them ("don't" and "multi-agency" are one word each)."""
    return len(_WORD.findall(text))


def _inline(spans: Inline) -> str:
    return "".join(span.text for span in spans)


def _items(items: Iterable[Item]) -> Iterable[str]:
    for item in items:
        yield _inline(item.text)
        yield from (_inline(more) for more in item.more)
        yield from _items(item.children)


def block_texts(block: TopBlock) -> Iterable[str]:
    """The words a facilitator reads aloud from *block* (a chart is read from its table, once)."""
    match block:
        case TitleBlock():
            yield from (block.title, block.subtitle)
        case Heading():
            yield block.text
        case Para():
            yield _inline(block.text)
        case BulletList() | NumberedList():
            yield from _items(block.items)
        case ContactBlock():
            yield block.heading
            for entry in block.entries:
                yield entry.name
                yield from (_inline(line) for line in entry.lines)
        case Table():
            yield from block.header
            yield from (cell for row in block.rows for cell in row)
        case LinkBlock():
            yield block.title
        case Section():
            yield block.label
            for inner in block.blocks:
                yield from block_texts(inner)
        case Field() | Choice():
            yield block.label
        case FieldTable():
            yield from block.header
        case Chart() | Contents() | PageBreak():
            return
        case _:
            assert_never(block)


def words(blocks: Iterable[TopBlock]) -> int:
    """Words read aloud from *blocks*."""
    return sum(count(text) for block in blocks for text in block_texts(block))


def section_words(document: Document) -> list[tuple[Section, int]]:
    """Each numbered section of *document* with its word count, in order."""
    return [(block, words([block])) for block in document.blocks if isinstance(block, Section)]


def minutes(word_count: int, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Whole minutes to read *word_count* words aloud, never less than one."""
    return max(1, math.ceil(word_count / words_per_minute))


def shares(weights: list[int], total: int, step: int) -> list[int]:
    """Split *total* (a multiple of *step*) in proportion to *weights*, in steps of *step*.

    Every part gets at least one step and the parts add up to *total* exactly (largest remainders
    decide the last steps; ties go to the earlier part). Weights that are all 0 share equally.
    """
    units = total // step
    if not weights or units < len(weights):
        raise ValueError(f"cannot give {len(weights)} parts at least {step} of {total}")
    whole = sum(weights)
    quotas = [units * w / whole if whole else units / len(weights) for w in weights]
    given = [max(1, math.floor(q)) for q in quotas]
    while sum(given) < units:
        given[max(range(len(given)), key=lambda i: (quotas[i] - given[i], -i))] += 1
    while sum(given) > units:
        given[min((i for i in range(len(given)) if given[i] > 1), key=lambda i: (quotas[i] - given[i], i))] -= 1
    return [g * step for g in given]
