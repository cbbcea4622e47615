"""The machine-checkable PDF/UA-1 rules a tagged briefpack PDF must meet, read back with pikepdf.

problems(path) lists what is wrong, one line each (empty when all is well). It checks the document entries
(MarkInfo, Lang, DisplayDocTitle, XMP with dc:title and pdfuaid:part 1, Info title), the structure tree (every
element's /P, list/table/TOC nesting, one H1 first and no skipped heading level, Figure /Alt, TH /Scope), the
marked content of every page (every painting operator inside tagged content or an artifact, never one inside
the other, balanced, never across q/Q, each MCID owned by one element and the ParentTree agreeing), links
(annotation in a Link element through an OBJR, /StructParent, /Contents, /Tabs /S) and fonts (embedded, with
ToUnicode). Not a conformance validator: a human check (PAC 2024, a screen reader) is still advised.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

PAINT = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "INLINE IMAGE"}
PARENTS = {"LI": {"L"}, "Lbl": {"LI"}, "LBody": {"LI"}, "TR": {"Table", "THead", "TBody", "TFoot"},
           "TH": {"TR"}, "TD": {"TR"}, "TOCI": {"TOC"}}
CHILDREN = {"L": {"LI", "Caption", "L"}, "LI": {"Lbl", "LBody"}, "Table": {"TR", "THead", "TBody", "TFoot", "Caption"},
            "TR": {"TH", "TD"}, "TOC": {"TOC", "TOCI", "Caption"},
            "TOCI": {"Lbl", "Reference", "NonStruct", "P", "TOC"}}


def _kids(node: Dictionary) -> list:
    k = node.get("/K")
    return list(k) if isinstance(k, Array) else ([] if k is None else [k])


def _is_int(obj: object) -> bool:
    return isinstance(obj, int) and not isinstance(obj, bool)


def problems(path: Path) -> list[str]:
    out: list[str] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if not (root.get("/MarkInfo") is not None and root.MarkInfo.get("/Marked") is True):
            out.append("MarkInfo /Marked is not true")
        if not str(root.get("/Lang", "")).strip():
            out.append("no /Lang")
        if not (root.get("/ViewerPreferences") is not None and root.ViewerPreferences.get("/DisplayDocTitle") is True):
            out.append("DisplayDocTitle is not true")
        xmp = root.Metadata.read_bytes().decode("utf-8") if "/Metadata" in root else ""
        if "<pdfuaid:part>1</pdfuaid:part>" not in xmp:
            out.append("no pdfuaid:part 1 in the XMP metadata")
        if "<dc:title>" not in xmp:
            out.append("no dc:title in the XMP metadata")
        if not str(pdf.docinfo.get("/Title", "")).strip():
            out.append("no Info /Title")
        if "/StructTreeRoot" not in root:
            return [*out, "no structure tree"]
        tree = root.StructTreeRoot
        pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
        owner: dict[tuple[int, int], tuple] = {}
        objr: dict[tuple, tuple] = {}
        headings: list[int] = []

        def walk(node: Dictionary, parent: Dictionary) -> None:
            role = str(node.get("/S"))[1:]
            parent_role = str(parent.get("/S", "/StructTreeRoot"))[1:]
            if node.get("/P") is None or node.P.objgen != parent.objgen:
                out.append(f"{role}: /P is not its parent")
            if role in PARENTS and parent_role not in PARENTS[role]:
                out.append(f"{role} inside {parent_role}")
            if parent_role in CHILDREN and role not in CHILDREN[parent_role]:
                out.append(f"{parent_role} holds {role}")
            if role == "Figure" and not str(node.get("/Alt", "")).strip():
                out.append("Figure without /Alt")
            if role == "TH" and "/Scope" not in node.get("/A", {}):
                out.append("TH without /Scope")
            if re.fullmatch(r"H[1-6]", role):
                headings.append(int(role[1]))
            for kid in _kids(node):
                if _is_int(kid) or (isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR):
                    page = node.get("/Pg") if _is_int(kid) else kid.Pg
                    mcid = int(kid) if _is_int(kid) else int(kid.MCID)
                    if page is None:
                        out.append(f"{role}: MCID {mcid} without /Pg")
                        continue
                    key = (pages[page.objgen], mcid)
                    if key in owner:
                        out.append(f"MCID {key} claimed twice")
                    owner[key] = (node.objgen, role)
                elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                    objr[kid.Obj.objgen] = (node.objgen, role)
                elif isinstance(kid, Dictionary):
                    walk(kid, node)

        for kid in _kids(tree):
            walk(kid, tree)
        if headings.count(1) != 1 or (headings and headings[0] != 1):
            out.append(f"not one H1 first: headings {headings}")
        for a, b in itertools.pairwise(headings):
            if b > a + 1:
                out.append(f"heading level skipped: H{a} then H{b}")
        nums = list(tree.ParentTree.get("/Nums", []))
        parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        seen: set[tuple[int, int]] = set()
        for index, page in enumerate(pdf.pages):
            where = f"page {index + 1}"
            stack: list[tuple[str, int]] = []
            depth = untagged = 0
            for operands, op in pikepdf.parse_content_stream(page):
                op = str(op)
                if op == "q":
                    depth += 1
                elif op == "Q":
                    depth -= 1
                elif op in ("BDC", "BMC"):
                    props = operands[1] if op == "BDC" else None
                    if str(operands[0]) == "/Artifact":
                        if any(kind == "tag" for kind, _ in stack):
                            out.append(f"{where}: an artifact inside tagged content")
                        stack.append(("art", depth))
                    elif isinstance(props, Dictionary) and "/MCID" in props:
                        if stack:
                            out.append(f"{where}: marked content inside other marked content")
                        key = (index, int(props.MCID))
                        seen.add(key)
                        if key not in owner:
                            out.append(f"{where}: MCID {key[1]} belongs to no structure element")
                        elif int(page.get("/StructParents", -1)) not in parent_tree:
                            out.append(f"{where}: no ParentTree entry for the page")
                        else:
                            marks = parent_tree[int(page.StructParents)]
                            if key[1] >= len(marks) or marks[key[1]].objgen != owner[key][0]:
                                out.append(f"{where}: the ParentTree disagrees about MCID {key[1]}")
                        stack.append(("tag", depth))
                    else:
                        stack.append(("other", depth))
                elif op == "EMC":
                    if not stack:
                        out.append(f"{where}: EMC without BDC")
                    elif stack.pop()[1] != depth:
                        out.append(f"{where}: marked content crosses q/Q")
                elif op in PAINT and not any(kind in ("tag", "art") for kind, _ in stack):
                    untagged += 1
            if stack:
                out.append(f"{where}: marked content left open")
            if untagged:
                out.append(f"{where}: {untagged} painting operators neither tagged nor artifacts")
            for annotation in page.get("/Annots", []):
                if page.get("/Tabs") != Name.S:
                    out.append(f"{where}: annotations but /Tabs is not /S")
                if annotation.get("/Subtype") == Name.Link:
                    if not str(annotation.get("/Contents", "")).strip():
                        out.append(f"{where}: a link without /Contents")
                    if objr.get(annotation.objgen, (None, ""))[1] != "Link":
                        out.append(f"{where}: a link annotation not in a Link element")
                    elif parent_tree.get(int(annotation.get("/StructParent", -1))) is None:
                        out.append(f"{where}: a link annotation without its ParentTree entry")
            for font in page.Resources.get("/Font", {}).values():
                base = font.get("/BaseFont")
                descriptor = (font.DescendantFonts[0] if font.get("/Subtype") == Name.Type0 else font).get(
                    "/FontDescriptor")
                if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    out.append(f"{where}: font {base} is not embedded")
                if "/ToUnicode" not in font:
                    out.append(f"{where}: font {base} has no ToUnicode map")
        for key in owner:
            if key not in seen:
                out.append(f"the structure names MCID {key} that no page has")
    return out


def artifact_text(path: Path) -> list[str]:
    """(page, text) of the text shown inside artifacts other than running headers and footers, as one string each.

    Such text is only right for what is said once already (a table's header row repeated on a new page, the
    dots of a contents line); anything else is content a screen reader never reads.
    """
    out: list[str] = []
    with pikepdf.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            stack: list[Dictionary | None] = []
            for operands, op in pikepdf.parse_content_stream(page):
                op = str(op)
                if op in ("BDC", "BMC"):
                    props = operands[1] if op == "BDC" and isinstance(operands[1], Dictionary) else None
                    stack.append(props if str(operands[0]) == "/Artifact" else None)
                    if str(operands[0]) == "/Artifact" and props is None:
                        stack[-1] = Dictionary()
                elif op == "EMC" and stack:
                    stack.pop()
                elif op in ("Tj", "TJ", "'", '"') and stack and stack[-1] is not None:
                    if stack[-1].get("/Type") == Name.Pagination:
                        continue
                    shown = operands[-1] if op != "TJ" else operands[0]
                    parts = [shown] if op != "TJ" else [s for s in shown if isinstance(s, pikepdf.String)]
                    out.append(f"page {index + 1}: " + b"".join(bytes(s) for s in parts).decode("latin-1"))
    return out


def run_together(path: Path) -> list[str]:
    """Words of the structure tree (as `pdfinfo -struct-text` reads it) that the page does not show: two words
    run together where a line broke at a space. Needs poppler. A word broken after / . or - (a long address)
    is one word; what a Figure holds is read from its /Alt, so its drawn labels are not looked at."""
    import subprocess

    tree = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True,
                          check=True).stdout
    page = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    seen = set(page.split()) | set(re.sub(r"(?<=[/.\-])\s+(?=\S)", "", page).split())
    out: list[str] = []
    figure: int | None = None
    for line in tree.splitlines():
        indent = len(line) - len(line.lstrip())
        if figure is not None and indent > figure:
            continue
        figure = indent if line.strip() == "Figure" else None
        if m := re.fullmatch(r'\s*"(.*)"', line):
            words = m[1].split()
            out += [w for w in words[1:-1] if w not in seen]  # the first and last may be pieces of words
    return out
