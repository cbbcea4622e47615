"""What a worker needs to render a file: the task, the call, and the one exception that crosses processes.

Light on purpose (no YAML, no loading): the PDF helper imports this, not build.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.frozen import frozen
from briefpack.document import Document, Section
from briefpack.errors import BriefpackError, Problem, display_path
from briefpack.model import Brand

if TYPE_CHECKING:
    from briefpack.render.tiles import TilesTooLong


class MissingCharactersIn(Exception):
    """A job's PDF found characters no font of its brand has (picklable: it may come from a child)."""

    def __init__(self, name: str, characters: frozenset[str]) -> None:
        super().__init__(name, characters)
        self.name, self.characters = name, characters


@frozen
class Task:
    """One file to render: all a renderer needs, and picklable, to go to the PDF helper."""

    name: str
    """'brand/pack', the output name without its format."""
    pack_path: Path
    document: Document
    brand: Brand
    tagged: bool = True
    """False only to check a layout (briefpack check): the PDF is laid out and drawn the same, without the
    structure tree and marked content that a reader needs and a check does not (tagging changes no pixel)."""
    proof: bool = False
    """True only to check a layout (briefpack check, untagged): laid out to find what a build finds, with no
    file made (its bytes are empty; see render/pdfparts.ProofCanvas)."""


def render(task: Task, fmt: str) -> tuple[bytes, tuple[str, ...]]:
    """The file's bytes, and notes for the user about how it was laid out."""
    if fmt == "pdf":
        from briefpack.render.pdf import MissingCharacters, TooLarge, render_pdf

        too_long: tuple[type[TilesTooLong], ...] = ()
        if task.document.layout == "tiles":  # only tiles can be too long; a linear PDF never loads tiles.py
            from briefpack.render import tiles
            too_long = (tiles.TilesTooLong,)
        try:
            return render_pdf(task.document, task.brand, task.tagged, task.proof)
        except MissingCharacters as exc:
            raise MissingCharactersIn(task.name, exc.characters) from None
        except too_long as exc:
            raise BriefpackError([_too_long(task, *over) for over in exc.over]) from None
        except TooLarge as exc:
            what = re.sub(r"\s+", " ", str(exc))[:160]
            raise BriefpackError([Problem(display_path(task.pack_path), 0, 0,
                                          f"part of this pack is too large to fit on a page ({what})",
                                          "split the longest text into several paragraphs or items")]) from None
    from briefpack.render.docx import render_docx
    return render_docx(task.document, task.brand)


LONG_WORD = 100
"""Characters a word may have and still be a word: more than a line of any panel is text pasted without its spaces
(or a file pasted as text), and no number of words to trim describes it."""
CHARACTERS_A_WORD = 6
"""A word of the average length, and its space."""


def _too_long(task: Task, number: str, label: str, words: int) -> Problem:
    """The problem of a panel *words* words over (number '' for the contacts and sources panel)."""
    # How much fits depends on the brand's fonts and page: a build for several brands says which.
    where = f"in the {task.brand.id} brand"
    message = (f"section {number} '{label}' is about {words} words over {where}" if number else
               f"the contacts and sources panel is about {words} words over {where}")
    fix = "trim it or use layout: linear"
    longest = _longest_word(task.document, number) if number else ""
    if len(longest) > LONG_WORD and len(longest) >= words * CHARACTERS_A_WORD:  # the word is what is too long
        message = (f"section {number} '{label}' is too long {where}: one word in it is {len(longest):,} characters "
                   f"long ('{longest[:20]}…'), more than a line can hold")
        fix = "shorten that word or put spaces in it (was text pasted without its spaces?)"
    return Problem(display_path(task.pack_path), 0, 0, message, fix)


def _longest_word(document: Document, number: str) -> str:
    """The longest run of characters without a space that section *number* reads out."""
    from briefpack.readtime import block_texts

    runs = (run for block in document.blocks if isinstance(block, Section) and block.number == number
            for text in block_texts(block) for run in text.split())
    return max(runs, key=len, default="")


def render_all(tasks: list[Task], fmt: str) -> dict[str, tuple[bytes, tuple[str, ...]]]:
    return {f"{task.name}.{fmt}": render(task, fmt) for task in tasks}
