"""Skip outputs whose inputs have not changed since briefpack wrote them, without loading anything.

For each output file the manifest keeps, under "inputs", a hash of everything the file was made from
(the pack file, every library file, the brand's folder and the folders of the brands it extends, what
every brand of branding/ says about who it is, and the versions of briefpack (with a stamp of its source
files, for a checkout being worked on), of the libraries that write its files and of the font packages
the brand names) with the size and modification time the file had when it was written, and what its
build said (the warnings and notes, see Said); and for each pack file, the hash of its bytes and the
brand it names. A rebuild whose inputs hash the same, and whose outputs still
have that size and time, has nothing to do: nothing is parsed, composed or rendered, and what the build
said is said again, so a warning (and --strict) is the same on every run. Any doubt (a file touched, a
manifest unreadable, a brand file that cannot be read) means "build it". The inputs are hashed before the build
reads them, and looked at again once it has rendered: outputs of a project one of whose inputs changed meanwhile
(even one put back since: its changed time moved) are not recorded, so the next build makes them again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from briefpack.frozen import frozen
from briefpack import __version__
from briefpack.errors import Problem, display_path
from briefpack.project import MAX_FILE_BYTES, Project, brand_names, pack_id, read_plain, real_path

KEY = "inputs"
KIT_SUFFIX = "-kit"
"""A pack's team-meeting kit is <pack>-kit.pdf and .docx beside it."""
"""The manifest's key for this record."""

_KIT = re.compile(r"^kit:[ \t]*(['\"]?)true\1[ \t]*(?:#.*)?$", re.MULTILINE)
"""A pack's 'kit: true' at a glance, so that its kit counts among its outputs."""
_COMMENT = re.compile(r"(?m)(?:^|[ \t])#.*$")
_EXTENDS = re.compile(r"^extends:[ \t]*(['\"]?)([a-z0-9][a-z0-9-]*)\1[ \t]*(?:#.*)?$", re.MULTILINE)
_FONT_PACKAGE = re.compile(r"fontpkg_[a-z0-9_]+")
"""A font package a brand names (brand.FONT_PACKAGE), wherever it is in brand.yaml: naming one too many is harmless."""

WRITERS = ("reportlab", "rl_accel", "python_docx", "lxml", "pillow", "fonttools", "zxing_cpp")
"""The libraries whose version can change the bytes briefpack writes: upgrading one rebuilds everything."""
_TOP_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:")
LOOKS = frozenset({"logo", "palette", "fonts", "fallback", "partners", "word_template", "page_size", "footer",
                   "words_per_minute", "returns", "language", "vocabulary"})
"""Keys of brand.yaml that only say how the brand's own documents look and read: another brand's documents
do not depend on them (the leak check and the credit line read the rest: name, aliases, extends, addresses)."""
WARNING = "warning: "
"""How a note that is a warning about the text (another board named) begins; the others say how it was laid out."""


@frozen
class Said:
    """What building one pack in one brand says, kept in the manifest to be said again when it is skipped."""

    leaks: tuple[str, ...] = ()
    """Leak warnings (another board named), without 'warning: '."""
    layout: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Each output ('brand/pack.pdf') with its notes from rendering (e.g. tiles that do not fit)."""
    reading: tuple[str, ...] = ()
    """The reading-time warning, without the pack's name (which depends on the brands built with it)."""

    def as_json(self, output: str) -> dict[str, list[str]]:
        return {"leaks": list(self.leaks), "layout": list(dict(self.layout).get(output, ())),
                "reading": list(self.reading)}


def said_notes(said: Iterable[tuple[str, Path, Said]]) -> list[str]:
    """The warnings and notes of a build of (brand, pack file, what it said) in the command line's order,
    in the order a build prints them: leak warnings, layout notes, reading-time warnings."""
    said = list(said)
    brands_of = Counter(path for _, path, _ in said)
    notes = [WARNING + w for w in dict.fromkeys(w for *_, s in said for w in s.leaks)]
    notes += [f"{name}: {note}" for *_, s in said for name, layout in s.layout for note in layout]
    for brand, path, s in said:
        name = f"{brand}/{pack_id(path)}" if brands_of[path] > 1 else pack_id(path)
        notes += [f"{name}: {note}" for note in s.reading]
    return notes


def notes_as_problems(notes: list[str]) -> list[Problem]:
    """Notes and warnings as problems, for --strict: each already says how to fix it."""
    problems = []
    for note in notes:
        where, _, what = note.removeprefix(WARNING).partition(": ")
        problems.append(Problem(where, 0, 0, what))
    return problems


def identity_text(brand_yaml: str) -> str:
    """The lines of a brand.yaml that other brands' documents depend on: all but its looks (see LOOKS).

    Comments and blank lines are left out, so a comment changes nothing; anything this quick look does
    not recognise is kept (then it counts, as it may).
    """
    kept, keep = [], True
    for line in brand_yaml.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line[0].isspace():
            top = _TOP_KEY.match(line)
            keep = not (top and top.group(1) in LOOKS)
        if keep:
            kept.append(line)
    return "\n".join(kept)


@frozen
class Request:
    """One pack in one brand: the outputs it makes and the hash of its inputs."""

    pack: Path
    brand: str
    outputs: tuple[str, ...]
    """'brand/pack.format', relative to the output folder."""
    key: str


@dataclass
class Record:
    """The manifest's record of inputs."""

    outputs: dict[str, list] = field(default_factory=dict)
    """Output file -> [inputs hash, size, mtime_ns, what its build said (see Said.as_json)] when it was written."""
    packs: dict[str, list] = field(default_factory=dict)
    """Pack file (absolute) -> [hash of its bytes, the brand it names]."""


def _files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _version(path: Path) -> tuple[int | str, ...] | None:
    """What tells this version of the file from any other, to look at again after a build: its identity on
    disk (see filememo; the changed time moves with every change, even one put back since, and no call sets it
    back), and on Windows, where it is the creation time, a digest of its bytes too. None when it is not there."""
    from briefpack import filememo

    try:
        st = os.stat(path)
        found: tuple[int | str, ...] = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        return found if filememo.TRUST_CTIME else (*found, filememo.digest(path))
    except OSError:
        return None


_installed: dict[str, str] | None = None


def installed() -> dict[str, str]:
    """Every installed distribution's version by its normalised name ('python_docx'), first on sys.path winning.

    Read from the names of the .dist-info (or .egg-info) folders, as importlib.metadata would find them, but
    without importing it (tens of milliseconds) or anything else: this runs before a rebuild with nothing to do.
    """
    global _installed
    if _installed is None:
        found: dict[str, str] = {}
        for entry in sys.path:
            try:
                names = os.listdir(entry or ".")
            except OSError:  # not a folder (a zip file), or gone
                continue
            for folder in names:
                stem = folder.removesuffix(".dist-info").removesuffix(".egg-info")
                if stem != folder and "-" in stem:
                    name, _, version = stem.partition("-")
                    found.setdefault(re.sub(r"[-_.]+", "_", name).lower(), version)
        _installed = found
    return _installed


def versions(packages: Iterable[str] = ()) -> str:
    """briefpack's version (and its source files' stamp), those of the libraries that write its files and of
    *packages*, as one string."""
    known = installed()
    names = (*WRITERS, *sorted(set(packages)))
    return " ".join([f"briefpack={__version__}@{own_stamp()}",
                     *(f"{name}={known.get(name, '?')}" for name in names)])


_own: str | None = None


def own_stamp() -> str:
    """A stamp of briefpack's own source files, once per run: in a checkout being worked on the version stays
    the same while the code that writes the files changes, and the next build must remake them."""
    global _own
    if _own is None:
        _own = source_stamp(Path(__file__).parent)
    return _own


def source_stamp(folder: Path) -> str:
    """The names, sizes, modified and changed times of the .py files under *folder* (no file is read: about
    0.3 ms for briefpack's), hashed; '' when they cannot be listed. The changed time tells a file replaced by one
    of the same size and modified time (`git checkout`, `cp -p`): see filememo."""
    h = hashlib.sha256()
    try:
        for path in sorted(folder.rglob("*.py")):
            stat = path.stat()
            h.update(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0"
                     .encode("utf-8", "replace"))
    except OSError:
        return ""
    return h.hexdigest()[:16]


class Inputs:
    """Hashes of one project's inputs, each computed once per run (OSError when one cannot be read).

    Each file is hashed as it was read then, and what was looked at (each file's version, taken before it was
    read, and which files each folder held) is kept, to be looked at again once the build has rendered (see
    unchanged): a file changed meanwhile, even one put back since, gave the build other bytes than the hash
    describes, and its outputs are not recorded as made from them.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self._folders: dict[Path, str] = {}
        self._brands: dict[str, str] = {}
        self._identities: str | None = None
        self._looks: dict[tuple[str, Path], object] = {}
        """('file', path) -> its version before it was read; ('folder', path) -> the files it held;
        ('brands', branding) -> the brands it held."""

    def _look(self, what: str, path: Path) -> object:
        if what == "file":
            return _version(path)
        return _files_in(path) if what == "folder" else brand_names(path)

    def _seen(self, what: str, path: Path) -> object:
        """What *path* is now (see _look), kept the first time it is asked, to be compared after the build."""
        found = self._look(what, path)
        self._looks.setdefault((what, path), found)
        return found

    def _read(self, path: Path) -> bytes:
        self._seen("file", path)  # before reading: a change between the two moves its version
        return read_plain(path, MAX_FILE_BYTES)

    def unchanged(self) -> bool:
        """Whether every file and folder read for the hashes is as it was before it was read."""
        return all(self._look(what, path) == seen for (what, path), seen in list(self._looks.items()))

    def library(self) -> str:
        return self.folder(self.project.library)

    def folder(self, folder: Path) -> str:
        """The hash of every file under *folder*, once per run."""
        if folder not in self._folders:
            h = hashlib.sha256()
            for path in self._seen("folder", folder):  # type: ignore[attr-defined] # a list of paths
                h.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
                self._seen("file", path)
                h.update(path.read_bytes())
                h.update(b"\0")
            self._folders[folder] = h.hexdigest()
        return self._folders[folder]

    def brand(self, name: str) -> str:
        """The brand's own folder and those of every brand it extends (ending with 'default'), and the versions of
        briefpack, of the libraries that write the files and of the font packages these brands name."""
        if name not in self._brands:
            branding = self.project.branding
            parts: list[str] = []
            seen: list[str] = []
            fonts: set[str] = set()
            current = name
            while current and current not in seen:
                seen.append(current)
                folder = branding / current
                parts.append(f"{current}:{self.folder(folder)}")
                text = self._read(folder / "brand.yaml").decode("utf-8", errors="replace")
                fonts.update(_FONT_PACKAGE.findall(text))
                found = _EXTENDS.findall(text)
                if "extends" in _COMMENT.sub("", text) and len(found) != 1:
                    # Written in a way this quick look does not follow: the whole branding folder counts.
                    parts.append(self.folder(branding))
                    fonts.update(n for n in installed() if n.startswith("fontpkg_"))
                    break
                current = found[0][1] if found else ("" if current == "default" else "default")
            parts.append(versions(fonts))
            self._brands[name] = "\n".join(parts)
        return self._brands[name]

    def identities(self) -> str:
        """Who every brand of branding/ says it is: the leak check looks for the others, and the credit
        line names the pack's own board, so adding or renaming a brand changes every document's warnings."""
        if self._identities is None:
            h = hashlib.sha256()
            for name in self._seen("brands", self.project.branding):  # type: ignore[attr-defined] # names
                folder = self.project.branding / name
                h.update(name.encode("utf-8") + b"\0")
                h.update(identity_text(self._read(folder / "brand.yaml").decode("utf-8", "replace"))
                         .encode("utf-8", "surrogateescape") + b"\0")
                if self._seen("file", folder / "contacts.yaml") is not None:
                    h.update((folder / "contacts.yaml").read_bytes())
                h.update(b"\0")
            self._identities = h.hexdigest()
        return self._identities

    def key(self, brand: str, pack_bytes: bytes) -> str:
        h = hashlib.sha256()
        for part in (brand, self.library(), self.brand(brand), self.identities()):
            h.update(part.encode("utf-8", "surrogateescape") + b"\0")
        h.update(pack_bytes)
        return h.hexdigest()


class Planner:
    """The pack-brand pairs of a build, and the hashes of their inputs."""

    def __init__(self, formats: tuple[str, ...], kit: bool = False) -> None:
        self.formats = formats
        self.kit = kit
        """Every pack's team-meeting kit too (build --kit); a pack saying 'kit: true' has it anyway."""
        self.inputs: dict[Path, Inputs] = {}
        self.read: dict[Path, bytes] = {}
        """Each pack's bytes as first read in this run: what the hashes describe."""
        self._versions: dict[Path, tuple[int | str, ...] | None] = {}
        """Each pack file's version (see _version) before it was first read."""
        self._still: dict[Path, bool] = {}
        """Whether each project's hashed inputs are still as they were read (see still_read)."""
        self._packs: dict[Path, tuple[Inputs, list[str]]] = {}
        """Each pack's project's hashes and its outputs' names (without brand and format)."""

    def snapshot(self, pack_paths: list[Path]) -> bool:
        """Read and hash every input now, before the build reads them; False if one cannot be read.

        What is recorded after the build then describes what the build read (or older: never newer).
        """
        try:
            for path in pack_paths:
                self.pack_bytes(path)
                project = Project.of_pack(path)
                hashes = self.inputs.setdefault(project.root, Inputs(project))
                hashes.library()
                hashes.identities()
                for name in brand_names(project.branding):
                    hashes.brand(name)
        except (OSError, UnicodeError):
            return False
        return True

    def pack_bytes(self, path: Path) -> bytes:
        if path not in self.read:
            self._versions[path] = _version(path)  # before reading: a change between the two moves it
            self.read[path] = read_plain(path, MAX_FILE_BYTES)
        return self.read[path]

    def still_read(self, path: Path) -> bool:
        """Whether the pack at *path* and every input of its project hashed in this run are as they were when
        they were read: a build's outputs are recorded as made from the hashed inputs only if so."""
        if path not in self._versions or _version(path) != self._versions[path]:
            return False
        root = Project.of_pack(path).root
        if root not in self._still:  # once a project, after the build
            self._still[root] = root in self.inputs and self.inputs[root].unchanged()
        return self._still[root]

    def request(self, path: Path, brand: str) -> Request:
        if path not in self._packs:  # once a pack, not once a pair: its project (a resolve) and output names
            project = Project.of_pack(path)
            names = [pack_id(path)]
            if self.kit or _KIT.search(self.pack_bytes(path).decode("utf-8", "replace")):
                names.append(pack_id(path) + KIT_SUFFIX)
            self._packs[path] = self.inputs.setdefault(project.root, Inputs(project)), names
        hashes, names = self._packs[path]
        outputs = tuple(f"{brand}/{name}.{fmt}" for name in names for fmt in self.formats)
        return Request(path, brand, outputs, hashes.key(brand, self.pack_bytes(path)))

    def plan(self, pack_paths: list[Path], asked: tuple[str, ...], record: Record) -> list[Request] | None:
        """Every pair asked for; None when one cannot be known without reading the packs."""
        requests: list[Request] = []
        try:
            for name in asked or ("",):
                for path in dict.fromkeys(pack_paths):
                    if name == "all":
                        names = brand_names(Project.of_pack(path).branding)
                    elif name:
                        names = [name]
                    else:
                        own = record.packs.get(str(real_path(path)))
                        if not (isinstance(own, list) and len(own) == 2 and own[0] == sha(self.pack_bytes(path))):
                            return None
                        names = [str(own[1])]
                    requests.extend(self.request(path, n) for n in names)
        except (OSError, UnicodeError):
            return None  # the build itself will say what is wrong
        return requests


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stat(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _manifest(out: Path, manifest_name: str) -> dict | None:
    try:
        data = json.loads((out / manifest_name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def recorded(out: Path, manifest_name: str) -> Record:
    """The manifest's record of inputs; empty when there is none."""
    return _record_of(_manifest(out, manifest_name) or {})


def _record_of(data: dict) -> Record:
    record = data.get(KEY)
    if not isinstance(record, dict):
        return Record()
    outputs, packs = record.get("outputs"), record.get("packs")
    return Record(outputs if isinstance(outputs, dict) else {}, packs if isinstance(packs, dict) else {})


def unchanged(request: Request, out: Path, record: Record) -> bool:
    """Whether every output of *request* is what briefpack wrote from these same inputs (and what its build
    said is recorded: an older manifest without it means 'build it')."""
    for rel in request.outputs:
        entry = record.outputs.get(rel)
        if not (isinstance(entry, list) and len(entry) == 4 and entry[0] == request.key
                and entry[1:3] == _stat(out / rel) and _said(entry[3]) is not None):
            return False
    return True


def _said(data: object) -> dict[str, list[str]] | None:
    if not isinstance(data, dict):
        return None
    lists = {key: data.get(key) for key in ("leaks", "layout", "reading")}
    ok = all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in lists.values())
    return lists if ok else None  # type: ignore[return-value]


def recorded_notes(request: Request, record: Record, output: str) -> tuple[str, ...] | None:
    """The layout notes recorded for *output* (one of *request*'s) when it was written from the same inputs
    as *request*'s now; None when it was not (or the record is not whole). The file itself may have changed
    since: this says only that these inputs were rendered, and what their rendering said."""
    entry = record.outputs.get(output)
    if not (isinstance(entry, list) and len(entry) == 4 and entry[0] == request.key):
        return None
    said = _said(entry[3])
    return None if said is None else tuple(said["layout"])


def said_before(request: Request, record: Record) -> Said:
    """What the build of an unchanged *request* said when its outputs were written."""
    entries = [_said(record.outputs[rel][3]) or {} for rel in request.outputs]
    first = entries[0] if entries else {}
    return Said(tuple(first.get("leaks", ())),
                tuple((rel, tuple(e.get("layout", ()))) for rel, e in zip(request.outputs, entries, strict=True)),
                tuple(first.get("reading", ())))


def record_into(data: dict, out: Path, requests: Iterable[tuple[Request, Said]],
                packs: dict[Path, tuple[str, str]]) -> None:
    """Record in the manifest's entries *data* the *requests* whose outputs (under *out*) are on disk now, with
    what their build said, and *packs* (path -> its hash, the brand it names). Everything else is kept as it is.
    """
    record = _record_of(data)
    for request, said in requests:
        for rel in request.outputs:
            st = _stat(out / rel)
            if st is None:
                record.outputs.pop(rel, None)
            else:
                record.outputs[rel] = [request.key, *st, said.as_json(rel)]
    for path, (data_sha, brand) in packs.items():
        record.packs[str(real_path(path))] = [data_sha, brand]
    data[KEY] = {"outputs": dict(sorted(record.outputs.items())), "packs": dict(sorted(record.packs.items()))}



def stale_kits(requests: Iterable[Request], record: Record, out: Path) -> list[str]:
    """A note for each team-meeting kit under *out* made from other inputs than its pack's now, when this build
    does not make it: a build without --kit makes only the pack, and the kit from before (its timing plan, its
    questions) would go on saying what the pack no longer does, with nothing said."""
    notes = []
    for request in requests:
        kit = f"{request.brand}/{pack_id(request.pack)}{KIT_SUFFIX}"
        if any(rel.startswith(kit + ".") for rel in request.outputs):
            continue
        for fmt in ("pdf", "docx"):
            entry = record.outputs.get(f"{kit}.{fmt}")
            if isinstance(entry, list) and entry and entry[0] != request.key and (out / f"{kit}.{fmt}").is_file():
                notes.append(f"{display_path(out / kit)}.{fmt}: made from an earlier version of the pack or its "
                             "brand — build the pack again with --kit to bring its kit up to date")
                break
    return notes


def nothing_to_do(pack_paths: list[Path], asked: tuple[str, ...], formats: tuple[str, ...],
                  out: Path, kit: bool = False) -> tuple[list[Path], list[str]] | None:
    """Every output of the build and the warnings and notes its build said, when all are up to date
    (nothing to load, compose or render); else None."""
    from briefpack.output import MANIFEST

    record = recorded(out, MANIFEST)
    requests = Planner(formats, kit).plan(pack_paths, asked, record) if record.outputs else None
    if not requests or not all(unchanged(r, out, record) for r in requests):
        return None
    return ([out / rel for r in requests for rel in r.outputs],
            said_notes((r.brand, r.pack, said_before(r, record)) for r in requests) + stale_kits(requests, record, out))
