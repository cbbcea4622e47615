"""The one user-facing error type: problems formatted like a compiler's."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from briefpack.frozen import frozen


@frozen
class Problem:
    """One thing wrong in the user's input, with where it is and how to fix it."""

    path: str
    """The file, as the user would type it (relative to the working folder when possible)."""
    line: int
    """1-based line; 0 when the problem is about the whole file."""
    column: int
    """1-based column; 0 when unknown."""
    message: str
    """What is wrong."""
    fix: str = ""
    """How to fix it."""

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        text = f"{where}: {self.message}"
        if self.fix:
            text += f" — {self.fix}"
        # One line per problem, even when it quotes a value that spans lines; and no character that would
        # act on the terminal (a control or direction character typed on the command line) is printed raw.
        return _UNPRINTABLE.sub(lambda m: f"U+{ord(m.group()):04X}",
                                text.replace("\r", "\\r").replace("\n", "\\n"))


_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def display_path(path: Path | str) -> str:
    """Return *path* as the user would type it: relative to the working folder when it is inside it, its links
    not followed (a pack named through a linked folder is shown as named, not as where the link leads)."""
    p = Path(path)
    try:
        return str(p.absolute().relative_to(Path.cwd()))
    except (ValueError, OSError):
        pass
    try:  # the working folder named otherwise, through a link of its own (a path made from $HOME, say)
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a link that leads to itself
        return str(p)


class BriefpackError(click.ClickException):
    """Every problem found in one run; Click prints them and exits 1."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem], nothing_written: bool = True):
        # In the order a user walks down their files: each file's problems together, by line and column. Files
        # (and values named on the command line, which have no line) come in the order their first problem was
        # found: the library before the packs that use it, arguments as typed. Otherwise in the order found.
        found = tuple(dict.fromkeys(problems))
        files = {path: n for n, path in enumerate(dict.fromkeys(p.path for p in found))}
        self.problems = tuple(sorted(found, key=lambda p: (files[p.path], p.line, p.column)))
        self.nothing_written = nothing_written
        self.reads_only = False
        """Set by a command that writes nothing at all (check, list): its report does not speak of writing."""
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # so a problem found in a forked renderer reaches the parent whole
        return (BriefpackError, (self.problems, self.nothing_written))

    def format_message(self) -> str:
        n = len(self.problems)
        found = f"{n} problem found" if n == 1 else f"{n} problems found"
        if self.reads_only:
            return f"{self.message}\n{found}."
        return f"{self.message}\n{found}; {'nothing was written' if self.nothing_written else 'see above'}."

    def show(self, file=None) -> None:  # noqa: ANN001 - Click's signature
        click.echo(self.format_message(), file=file or sys.stderr)


class Problems:
    """Collect problems, then raise them all at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str, line: int, column: int, message: str, fix: str = "") -> None:
        self.items.append(Problem(path, line, column, message, fix))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise BriefpackError(self.items)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return " (did you mean 'x'?)" for a near miss, else ""."""
    import difflib  # only when something is misspelt

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
