"""Collect filled meeting kits — PDF forms and Word content controls — into one CSV, a summary and a report.

Fields are read by name (the contract in kit.py and packs/README.md), so a kit of any pack, or of an
older kit version, is read the same way. A file that cannot be read, or is not a kit, is named with what
is wrong and left out; the others are still read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import statistics
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from briefpack.frozen import frozen
from briefpack import filememo, kit
from briefpack.errors import BriefpackError, Problem, display_path
from briefpack.yamlio import FORBIDDEN

KIT_FIELD = re.compile(r"meeting_date|team|facilitator|rating|do_differently|support_needed"
                       r"|attendee_\d+_(?:name|role|agency|signature)|question_\d+|action_\d+(?:_owner|_by)?")
"""Every field name a kit of any version has."""
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d.%m.%Y", "%d-%m-%Y")


class Unreadable(Exception):
    """A file that is left out: what is wrong with it, and what to do."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message, self.fix = message, fix


@frozen
class Action:
    text: str
    owner: str
    by: str


@frozen
class Return:
    """One filled kit, as read."""

    path: Path
    kind: str
    """'PDF' or 'Word'."""
    version: str
    """The kit version it says it is; empty when it does not say (a copy saved by another program)."""
    pack: str
    brand: str
    values: Mapping[str, str]

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    @property
    def attending(self) -> int:
        """Rows of the attendance table with anything written in them."""
        rows = {int(m[1]) for name, value in self.values.items()
                if value and (m := re.fullmatch(r"attendee_(\d+)_\w+", name))}
        return len(rows)

    @property
    def questions(self) -> dict[int, str]:
        return {int(name.rsplit("_", 1)[1]): value for name, value in self.values.items()
                if re.fullmatch(r"question_\d+", name)}

    @property
    def actions(self) -> list[Action]:
        """The actions with anything written in them, in the order of the table's rows."""
        rows = sorted({int(m[1]) for name in self.values if (m := re.fullmatch(r"action_(\d+)(?:_owner|_by)?", name))})
        out = [Action(self.get(f"action_{n}"), self.get(f"action_{n}_owner"), self.get(f"action_{n}_by"))
               for n in rows]
        return [a for a in out if a.text or a.owner or a.by]

    @property
    def rating(self) -> int | None:
        value = self.get("rating")
        return int(value) if value in kit.RATINGS else None


def clean(text: str) -> str:
    """A field's text without surrounding space, and without the characters no briefing may hold.

    Those are the characters a pack may not hold either (yamlio.FORBIDDEN): controls XML cannot hold, and
    invisible direction controls and formatting characters. A returned kit is filled in outside the board,
    and a right-to-left override pasted into an answer would show the CSV cell, the summary and the report
    in an order other than the one typed. Letters of every script are kept as typed.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return FORBIDDEN.sub("", text).replace("\u00a0", " ").strip()


def read_pdf(path: Path) -> tuple[str, dict[str, str]]:
    """(form id, field values) of a PDF form."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)  # what is wrong is said once, below
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("this PDF is protected by a password",
                             "save a copy without the password and collect that")
        fields = reader.get_fields() or {}
        form_id = str(reader.metadata.get("/BriefpackKit", "")) if reader.metadata else ""
    except Unreadable:
        raise
    except Exception:  # noqa: BLE001 - a damaged file can fail anywhere inside pypdf
        raise Unreadable("this is not a PDF file briefpack can read",
                         "open it in a PDF reader and save it again, or ask the team for a new copy") from None
    values = {}
    for name, field in fields.items():
        value = field.get("/V")
        if value is None:
            text = ""
        elif field.get("/FT") == "/Btn":
            text = str(value).lstrip("/")
            text = "" if text == "Off" else text
        else:
            text = str(value)
        values[str(name)] = clean(text)
    return form_id, values


MAX_RETURN_PART = 20_000_000
"""Bytes a returned Word kit's text (word/document.xml) may expand to: a filled-in kit's is about 100 KB, and a
few hundred kilobytes of zip can expand to gigabytes, all read at once."""


def _part(z: zipfile.ZipFile, name: str) -> bytes:
    """The part *name* of a Word file, read no further than MAX_RETURN_PART (whatever its header says)."""
    with z.open(name) as fh:
        data = fh.read(MAX_RETURN_PART + 1)
    if len(data) > MAX_RETURN_PART:
        raise Unreadable(f"this Word file's part {name} expands to more than {MAX_RETURN_PART // 1_000_000} MB, far "
                         "more than a filled-in kit holds", "open it in Word and save it again as .docx, or leave it "
                         "out")
    return data


def read_docx(path: Path) -> tuple[str, dict[str, str]]:
    """(form id, content control values by tag) of a Word file."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        with zipfile.ZipFile(path) as z:
            body = etree.fromstring(_part(z, "word/document.xml"), parser)
            try:
                core = etree.fromstring(_part(z, "docProps/core.xml"), parser)
            except KeyError:
                core = None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError, ValueError, zlib.error):
        raise Unreadable("this is not a Word file briefpack can read",
                         "open it in Word and save it again as .docx, or ask the team for a new copy") from None
    form_id = ""
    if core is not None:
        found = core.find("{http://purl.org/dc/elements/1.1/}identifier")
        form_id = (found.text or "") if found is not None else ""
    values: dict[str, str] = {}
    brands = _ProjectWords()
    for sdt in body.iter(f"{W}sdt"):
        pr = sdt.find(f"{W}sdtPr")
        name = _control_name(pr, brands, form_id) if pr is not None else None
        if name is None:
            continue
        content = sdt.find(f"{W}sdtContent")
        if pr.find(f"{W}showingPlcHdr") is not None or content is None:
            text = ""
        else:
            text = _text_of(content)
        if name not in values or not values[name]:
            values[name] = clean(text)
    return form_id, values


def _control_name(pr, brands: _ProjectWords, form_id: str = "") -> str | None:  # noqa: ANN001 - a w:sdtPr
    """The field a content control holds: its tag, else its title (LibreOffice keeps only the title), else
    for a drop-down list of 1 to 5 with neither (LibreOffice keeps neither there), the rating.

    A title is read in English, else in the words of the kit's brand (named in *form_id*; every brand of
    the project here when it names none)."""
    tag = pr.find(f"{W}tag")
    if tag is not None and tag.get(f"{W}val"):
        return tag.get(f"{W}val")
    alias = pr.find(f"{W}alias")
    if alias is not None and alias.get(f"{W}val"):
        title = alias.get(f"{W}val")
        found = kit.field_of_title(title)
        if found is None:
            named = kit.read_form_id(form_id)
            words = brands.of(named[2]) if named else None
            for word in [words] if words else brands.every():
                if (found := kit.field_of_title(title, word)) is not None:
                    break
        return found
    items = tuple(item.get(f"{W}value") for item in pr.iter(f"{W}listItem"))
    return kit.RATING if items == kit.RATINGS else None


class _ProjectWords:
    """The words of the brands of the project in the working folder, read when a form needs them: once per
    version of its brand files in this process (a long one may move to another project, or see them change)."""

    _known: dict[tuple, kit.Words] = {}
    """(branding folder, brand, the versions of every brand.yaml there) -> the brand's words."""
    KEEP = 256

    def __init__(self) -> None:
        self._files: tuple[Path, list[str], tuple] | None = None

    def _now(self) -> tuple[Path, list[str], tuple]:
        """The branding folder, its brands, and their brand.yaml files' versions, looked at once per form."""
        if self._files is None:
            from briefpack.project import Project, brand_names

            branding = Project(Path.cwd()).branding
            names = brand_names(branding)
            self._files = (branding, names, tuple(filememo.version(branding / n / "brand.yaml") for n in names))
        return self._files

    def of(self, brand_id: str) -> kit.Words | None:
        """The words of brand *brand_id*, or None if it cannot be loaded (not remembered: it is said again)."""
        from briefpack.brand import load_brand
        from briefpack.compose import kept_words

        branding, _, versions = self._now()
        key = (branding, brand_id, versions)
        if key not in self._known:
            try:
                words = kept_words(load_brand(branding, brand_id))  # filled in as the kit's titles are (kit.said)
            except (BriefpackError, OSError):
                return None
            if len(self._known) >= self.KEEP:
                self._known.clear()
            self._known[key] = words
        return self._known[key]

    def every(self) -> list[kit.Words]:
        return [w for name in self._now()[1] if (w := self.of(name)) is not None]


def _text_of(element) -> str:  # noqa: ANN001 - an lxml element
    """The text of Word XML as a reader sees it: tabs, line breaks and one line per paragraph."""
    parts: list[str] = []
    paragraphs = 0
    for el in element.iter(f"{W}p", f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if el.tag == f"{W}p":
            if paragraphs:
                parts.append("\n")
            paragraphs += 1
        elif el.tag == f"{W}t":
            parts.append(el.text or "")
        elif el.tag == f"{W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def read_return(path: Path) -> Return:
    """Read one filled kit, or raise Unreadable."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        form_id, values = read_pdf(path)
        kind = "PDF"
    elif suffix == ".docx":
        form_id, values = read_docx(path)
        kind = "Word"
    else:
        raise Unreadable("briefpack reads returned kits as PDF or Word (.docx) files only",
                         "save it as PDF or .docx, or leave it out")
    kit_values = {name: value for name, value in values.items() if KIT_FIELD.fullmatch(name)}
    if not kit_values:
        raise Unreadable("this is not a meeting kit: it has none of the kit's fields",
                         "collect the kit made by 'briefpack build --kit', filled in")
    if not any(kit_values.values()):
        raise Unreadable("this meeting kit has nothing filled in",
                         "fill it in, or leave it out (a kit printed and filled in by hand is typed in first)")
    version, pack, brand = kit.read_form_id(form_id) or ("", "", "")
    return Return(path, kind, version, pack, brand, kit_values)


def files_in(paths: Iterable[Path]) -> list[Path | Problem]:
    """The PDF and Word files named, or in the folders named (and their subfolders), in order; a problem in
    the place of a name that is neither."""
    found: list[Path | Problem] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".pdf", ".docx") and p.is_file()
                            and not p.name.startswith(("~$", ".~lock", ".")))
            if not inside:
                found.append(Problem(display_path(path), 0, 0, "there are no PDF or Word files in this folder",
                                     "name the folder the returned kits are in"))
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        elif os.path.lexists(path):  # a device, a pipe, a link in a circle: there, but nothing to read
            found.append(Problem(display_path(path), 0, 0, "this is not a file or folder briefpack can read (a "
                                 "device, a pipe, or a link that leads nowhere or round in a circle)",
                                 "name files or folders of returned kits"))
        else:
            found.append(Problem(display_path(path), 0, 0, "there is no such file or folder",
                                 "check the name; name files or folders of returned kits"))
    return list(dict.fromkeys(found))


def csv_rows(returns: list[Return]) -> list[list[str]]:
    """The header and one row per return; as many question and action columns as the fullest return needs."""
    questions = max((max(r.questions, default=0) for r in returns), default=0)
    actions = max((len(r.actions) for r in returns), default=0)
    header = ["file", "pack", "brand", "kit_version", "meeting_date", "team", "facilitator", "attending", "rating"]
    header += [f"question_{n}" for n in range(1, questions + 1)] + ["do_differently", "support_needed"]
    header += [f"action_{n}{part}" for n in range(1, actions + 1) for part in kit.ACTION_PARTS]
    rows = [header]
    for r in returns:
        row = [display_path(r.path), r.pack, r.brand, r.version, r.get("meeting_date"), r.get("team"),
               r.get("facilitator"), str(r.attending), r.get("rating")]
        row += [r.questions.get(n, "") for n in range(1, questions + 1)]
        row += [r.get("do_differently"), r.get("support_needed")]
        padded = r.actions + [Action("", "", "")] * (actions - len(r.actions))
        row += [value for a in padded for value in (a.text, a.owner, a.by)]
        rows.append(row)
    return rows


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel or LibreOffice read a cell as a formula (and run it: '=cmd|...' starts a program)."""


def csv_bytes(rows: list[list[str]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows £ and – as written.

    A returned kit is filled in outside the board, so a cell that would start a formula ('=HYPERLINK(…)',
    '+44 …') gets a ' in front, as OWASP advises: the spreadsheet shows it as text.
    """
    out = io.StringIO()
    csv.writer(out).writerows([[f"'{cell}" if cell.startswith(FORMULA_START) else cell for cell in row]
                               for row in rows])
    return out.getvalue().encode("utf-8-sig")


def due_date(text: str) -> dt.date | None:
    """A date as teams write it ('31/03/2017', '2017-03-31', '31 March 2017'), or None."""
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def actions_due(returns: list[Return]) -> list[tuple[Action, Return]]:
    """Every action, those with a date first, soonest first; the others in the order they were read."""
    every = [(due_date(a.by), a, r) for r in returns for a in r.actions]
    dated = sorted(((when, i) for i, (when, _, _) in enumerate(every) if when is not None))
    return [every[i][1:] for _, i in dated] + [(a, r) for when, a, r in every if when is None]


def pack_label(r: Return) -> str:
    return f"{r.pack} ({r.brand})" if r.pack else "a kit that does not say its pack"


def summary(returns: list[Return]) -> list[str]:
    """What a learning and development officer wants to know first: how many, how useful, what is due."""
    kinds = Counter(r.kind for r in returns)
    lines = [f"read {len(returns)} return{'s' if len(returns) != 1 else ''}: "
             + ", ".join(f"{kinds[k]} {k}" for k in ("PDF", "Word") if kinds[k])]
    lines.append("returns per pack:")
    for label, n in Counter(pack_label(r) for r in returns).items():
        lines.append(f"  {label}: {n}")
    ratings = [r.rating for r in returns if r.rating is not None]
    if ratings:
        lines.append(f"mean rating: {statistics.mean(ratings):.1f} out of 5 ({len(ratings)} "
                     f"rating{'s' if len(ratings) != 1 else ''})")
    else:
        lines.append("mean rating: none given")
    due = actions_due(returns)
    lines.append(f"actions due: {len(due)}")
    for action, r in due:
        who = f" — {action.owner}" if action.owner else ""
        team = r.get("team") or display_path(r.path)
        lines.append(f"  {action.by or 'no date'}: {action.text or '(no action written)'}{who} ({team})")
    return lines


def collect(paths: list[Path], out: Path, *, report: bool = False, brand: str | None = None,
            force: bool = False) -> tuple[list[str], list[Problem]]:
    """Read every return, write the CSV (and with *report* the summary documents); return the summary
    lines and the problems of the files left out. Raise when no file could be read."""
    from briefpack.output import OutputFolder, kept

    returns = []
    problems = []
    for path in files_in(paths):
        if isinstance(path, Problem):
            problems.append(path)
            continue
        try:
            returns.append(read_return(path))
        except Unreadable as exc:
            problems.append(Problem(display_path(path), 0, 0, exc.message, exc.fix))
    if not returns:
        raise BriefpackError(problems or [Problem(".", 0, 0, "no returns were named",
                                                  "name the returned kits, or the folder they are in")])
    files_out = {out.name: csv_bytes(csv_rows(returns))}
    if report:
        from briefpack.returnsreport import render_report

        stem = out.stem
        pdf, docx = render_report(returns, brand)
        files_out[f"{stem}-report.pdf"] = pdf
        files_out[f"{stem}-report.docx"] = docx
    folder = OutputFolder(out.parent if str(out.parent) else Path("."), again="run 'briefpack returns' again",
                          forced="run 'briefpack returns' again with --force")
    with folder.locked():
        written = folder.write_all(files_out, force)
    lines = summary(returns) + [f"wrote {display_path(path)}" for path in written] + kept(folder.backups)
    return lines, problems
