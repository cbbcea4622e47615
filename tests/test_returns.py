"""`briefpack returns`: filled kits (two PDFs filled with pypdf, one Word file filled by XML) -> CSV and summary."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import copy_examples, docx_text, needs, norm, pdf_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

LANCASHIRE_PDF = {
    "meeting_date": "14/03/2017", "team": "Burnley Children's Social Care", "facilitator": "Sam Patel",
    "attendee_1_name": "Amy Jones", "attendee_1_role": "Social worker", "attendee_2_name": "Ben Ode",
    "attendee_3_agency": "Health",
    "question_1": "We do not always ask to meet fathers.\nWe will ask at every first visit.",
    "question_6": "Decisions are recorded, their impact less often.",
    "action_1": "Add fathers to the visit checklist", "action_1_owner": "Amy Jones", "action_1_by": "31/03/2017",
    "action_3": "Book domestic abuse training", "action_3_owner": "Sam Patel", "action_3_by": "2017-05-01",
    "rating": "/4", "do_differently": "Ask about fathers – every time.", "support_needed": "Training, £0 budget",
}
GLOUCESTERSHIRE_PDF = {
    "meeting_date": "2 April 2017", "team": "Stroud Health Visitors", "facilitator": "Jo King",
    "attendee_1_name": "Jo King", "question_1": "Thresholds are clearer now.",
    "action_1": "Share the leaflet", "action_1_owner": "Jo King", "action_1_by": "soon",
    "rating": "/5", "do_differently": "Use the leaflet in supervision.",
}
LANCASHIRE_WORD = {
    "meeting_date": "20/03/2017", "team": "Preston Early Help", "facilitator": "Kim Lee",
    "attendee_1_name": "Kim Lee", "attendee_2_name": "Raj Shah", "attendee_3_name": "Eve Ball",
    "question_2": "We screen, but not always alone with the adult.",
    "action_2": "Audit ten cases", "action_2_owner": "Raj Shah", "action_2_by": "15/03/2017",
    "rating": "4", "support_needed": "A briefing on disguised compliance\nfor the whole team",
}


def fill_pdf(kit: Path, target: Path, values: dict[str, str]) -> None:
    """Fill a kit's form fields as a PDF reader would, appearance streams and all."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(kit))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as fh:
        writer.write(fh)


def fill_docx(kit: Path, target: Path, values: dict[str, str], form_id: str | None = None) -> None:
    """Fill a kit's content controls as Word does: the placeholder goes, the typed text (with breaks) comes."""
    from lxml import etree

    with zipfile.ZipFile(kit) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    for sdt in root.iter(f"{{{W}}}sdt"):
        pr = sdt.find(f"{{{W}}}sdtPr")
        tag = pr.find(f"{{{W}}}tag").get(f"{{{W}}}val")
        if tag not in values:
            continue
        pr.remove(pr.find(f"{{{W}}}showingPlcHdr"))
        run = sdt.find(f"{{{W}}}sdtContent/{{{W}}}r")
        for child in list(run):
            run.remove(child)
        for i, line in enumerate(values[tag].split("\n")):
            if i:
                etree.SubElement(run, f"{{{W}}}br")
            etree.SubElement(run, f"{{{W}}}t").text = line
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if form_id is not None:
        parts["docProps/core.xml"] = re.sub(rb"<dc:identifier>[^<]*</dc:identifier>",
                                            f"<dc:identifier>{form_id}</dc:identifier>".encode(),
                                            parts["docProps/core.xml"])
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with three filled kits in returns/: two PDFs (two packs, two brands) and one Word file."""
    from click.testing import CliRunner

    from briefpack.cli import main

    root = copy_examples(tmp_path_factory.mktemp("returns"))
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        result = CliRunner().invoke(main, ["build", "packs/lancashire-7mb.yaml", "packs/gloucestershire-8-lessons.yaml",
                                           "--kit"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    kits = root / "output"
    fill_pdf(kits / "lancashire/lancashire-7mb-kit.pdf", root / "returns/burnley.pdf", LANCASHIRE_PDF)
    fill_pdf(kits / "gloucestershire/gloucestershire-8-lessons-kit.pdf", root / "returns/stroud.pdf",
             GLOUCESTERSHIRE_PDF)
    fill_docx(kits / "lancashire/lancashire-7mb-kit.docx", root / "returns/word/preston.docx", LANCASHIRE_WORD)
    return root


@pytest.fixture
def returned(filled: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The filled kits' folder; the working folder is their project (each test writes its own outputs)."""
    monkeypatch.chdir(filled)
    return filled / "returns"


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # so Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


HEADER = ["file", "pack", "brand", "kit_version", "meeting_date", "team", "facilitator", "attending", "rating",
          "question_1", "question_2", "question_3", "question_4", "question_5", "question_6", "do_differently",
          "support_needed", "action_1", "action_1_owner", "action_1_by", "action_2", "action_2_owner",
          "action_2_by"]


def test_three_kits_give_the_csv_and_the_summary(returned: Path, run) -> None:
    result = run("returns", "returns", "--out", "returns.csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "read 3 returns: 2 PDF, 1 Word",
        "returns per pack:",
        "  lancashire-7mb (lancashire): 2",
        "  gloucestershire-8-lessons (gloucestershire): 1",
        "mean rating: 4.3 out of 5 (3 ratings)",
        "actions due: 4",
        "  15/03/2017: Audit ten cases — Raj Shah (Preston Early Help)",
        "  31/03/2017: Add fathers to the visit checklist — Amy Jones (Burnley Children's Social Care)",
        "  2017-05-01: Book domestic abuse training — Sam Patel (Burnley Children's Social Care)",
        "  soon: Share the leaflet — Jo King (Stroud Health Visitors)",
        "wrote returns.csv",
    ]
    assert read_csv(returned.parent / "returns.csv") == [
        HEADER,
        ["returns/burnley.pdf", "lancashire-7mb", "lancashire", "1", "14/03/2017", "Burnley Children's Social Care",
         "Sam Patel", "3", "4", "We do not always ask to meet fathers.\nWe will ask at every first visit.", "", "",
         "", "", "Decisions are recorded, their impact less often.", "Ask about fathers – every time.",
         "Training, £0 budget", "Add fathers to the visit checklist", "Amy Jones", "31/03/2017",
         "Book domestic abuse training", "Sam Patel", "2017-05-01"],
        ["returns/stroud.pdf", "gloucestershire-8-lessons", "gloucestershire", "1", "2 April 2017",
         "Stroud Health Visitors", "Jo King", "1", "5", "Thresholds are clearer now.", "", "", "", "", "",
         "Use the leaflet in supervision.", "", "Share the leaflet", "Jo King", "soon", "", "", ""],
        ["returns/word/preston.docx", "lancashire-7mb", "lancashire", "1", "20/03/2017", "Preston Early Help",
         "Kim Lee", "3", "4", "", "We screen, but not always alone with the adult.", "", "", "", "", "",
         "A briefing on disguised compliance\nfor the whole team", "Audit ten cases", "Raj Shah", "15/03/2017",
         "", "", ""],
    ]


def test_unreadable_and_foreign_files_are_named_and_the_others_read(returned: Path, run) -> None:
    project = returned.parent
    mixed = project / "mixed"
    shutil.copytree(returned, mixed)
    shutil.copy(project / "output/lancashire/lancashire-7mb.pdf", mixed / "briefing.pdf")
    shutil.copy(project / "output/lancashire/lancashire-7mb-kit.docx", mixed / "blank.docx")
    (mixed / "broken.pdf").write_bytes(b"%PDF-1.7\nnot really")
    (mixed / "notes.docx").write_text("typed notes", encoding="utf-8")
    result = run("returns", "mixed", "--out", "out/returns.csv")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "read 3 returns: 2 PDF, 1 Word"
    assert lines[-6:] == [
        "wrote out/returns.csv",
        "mixed/blank.docx: this meeting kit has nothing filled in — fill it in, or leave it out (a kit printed "
        "and filled in by hand is typed in first)",
        "mixed/briefing.pdf: this is not a meeting kit: it has none of the kit's fields — collect the kit made "
        "by 'briefpack build --kit', filled in",
        "mixed/broken.pdf: this is not a PDF file briefpack can read — open it in a PDF reader and save it "
        "again, or ask the team for a new copy",
        "mixed/notes.docx: this is not a Word file briefpack can read — open it in Word and save it again as "
        ".docx, or ask the team for a new copy",
        "4 problems found; see above.",
    ]
    assert len(read_csv(project / "out/returns.csv")) == 4


def test_nothing_readable_writes_nothing(project: Path, run) -> None:
    (project / "returns").mkdir()
    (project / "returns/a.pdf").write_bytes(b"junk")
    result = run("returns", "returns", "missing.pdf")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "returns/a.pdf: this is not a PDF file briefpack can read — open it in a PDF reader and save it again, or "
        "ask the team for a new copy",
        "missing.pdf: there is no such file or folder — check the name; name files or folders of returned kits",
        "2 problems found; nothing was written.",
    ]
    assert not (project / "returns.csv").exists()


def test_an_older_kit_or_one_that_forgot_its_pack_is_read_by_field_names(returned: Path, run) -> None:
    project = returned.parent
    kit = project / "output/lancashire/lancashire-7mb-kit.docx"
    fill_docx(kit, project / "old/v0.docx", {"team": "Old team", "rating": "2", "question_6": "More than now"},
              form_id="briefpack-kit/0 pack=old-pack brand=lancashire")
    fill_docx(kit, project / "old/resaved.docx", {"team": "Resaved", "do_differently": "Keep going"}, form_id="")
    result = run("returns", "old", "--out", "old.csv")
    assert result.exit_code == 0, result.output
    rows = read_csv(project / "old.csv")
    assert rows[0] == HEADER[:17]  # no return has an action
    assert [row[:9] for row in rows[1:]] == [
        ["old/resaved.docx", "", "", "", "", "Resaved", "", "0", ""],
        ["old/v0.docx", "old-pack", "lancashire", "0", "", "Old team", "", "0", "2"]]
    assert rows[2][14] == "More than now"
    assert "  a kit that does not say its pack: 1" in result.output.splitlines()


def test_report_is_a_branded_pdf_and_word_file(returned: Path, run) -> None:
    project = returned.parent
    result = run("returns", "returns", "--out", "board/returns.csv", "--report")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-3:] == ["wrote board/returns.csv", "wrote board/returns-report.pdf",
                                               "wrote board/returns-report.docx"]
    pdf = norm(pdf_text(project / "board/returns-report.pdf"))
    word = norm(docx_text(project / "board/returns-report.docx"))
    for text in (pdf, word):
        for piece in ["What teams said about the briefings", "3 returns from 3 teams",
                      "lancashire-7mb (lancashire) 2", "gloucestershire-8-lessons (gloucestershire) 1",
                      "All briefings 3", "Mean rating 4.3 out of 5, from 3 ratings.",
                      "1 – not useful 0", "4 2", "5 – very useful 1",
                      "Audit ten cases", "Owner: Raj Shah · By: 15/03/2017 · Team: Preston Early Help",
                      "Use the leaflet in supervision.", "Training, £0 budget"]:
            assert piece in text
    assert "Lancashire Safeguarding Children Board" in pdf  # the brand most returns name


REPORT_WORDS = """  words:
    report: Returned team records
    report_title: What our teams told {board_short}
    report_returns_many: "{count} forms"
    report_teams_many: "{count} services"
    report_mean: "Average {mean} of 5 ({ratings})."
    report_rating_high: 5 – essential
    report_owner: 'Lead at \\{{board_short}}: {owner}'
    report_by: 'By \\{date\\}: {date}'
    kit_actions: Agreed actions
"""


def test_the_report_speaks_in_the_boards_words(filled: Path, tmp_path: Path, run, monkeypatch) -> None:
    """Every fixed word of the report is the board's to change (vocabulary: words:), in PDF and Word alike."""
    project = tmp_path / "project"
    shutil.copytree(filled, project)
    brand = project / "branding" / "lancashire" / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(text.replace("    - Questions\n", "    - Questions\n" + REPORT_WORDS, 1), encoding="utf-8")
    monkeypatch.chdir(project)
    result = run("returns", "returns", "--out", "board/returns.csv", "--report", "--brand", "lancashire")
    assert result.exit_code == 0, result.output
    pdf = norm(pdf_text(project / "board/returns-report.pdf"))
    word = norm(docx_text(project / "board/returns-report.docx"))
    for text in (pdf, word):
        for piece in ["Returned team records", "What our teams told LSCB", "3 forms from 3 services",
                      "Average 4.3 of 5 (3 ratings).", "5 – essential 1", "Agreed actions",
                      "Lead at {LSCB}: Raj Shah · By {date}: 15/03/2017 · Team: Preston Early Help"]:
            assert piece in text, piece
        for english in ["What teams said about the briefings", "3 returns", "Mean rating", "very useful", "Owner:"]:
            assert english not in text, english


@needs("soffice")
def test_a_word_kit_saved_again_by_libreoffice_is_still_collected(returned: Path, run, tmp_path: Path) -> None:
    """LibreOffice keeps a content control's title but not its tag (and neither on a drop-down list)."""
    project = returned.parent
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(project / "libreoffice"),
                    str(returned / "word/preston.docx")], capture_output=True, timeout=180)
    assert (project / "libreoffice/preston.docx").exists()
    result = run("returns", "libreoffice", "--out", "libreoffice.csv")
    assert result.exit_code == 0, result.output
    row = read_csv(project / "libreoffice.csv")[1]
    assert row[:9] == ["libreoffice/preston.docx", "lancashire-7mb", "lancashire", "1", "20/03/2017",
                       "Preston Early Help", "Kim Lee", "3", "4"]
    assert row[-3:] == ["Audit ten cases", "Raj Shah", "15/03/2017"]


def test_an_edited_csv_is_never_overwritten_without_force(returned: Path, run) -> None:
    project = returned.parent
    assert run("returns", "returns", "--out", "kept/returns.csv").exit_code == 0
    csv_path = project / "kept/returns.csv"
    csv_path.write_text("my own notes\n", encoding="utf-8")
    refused = run("returns", "returns", "--out", "kept/returns.csv")
    assert (refused.exit_code, refused.stderr) == (1, (  # it said "build with --force"
        "kept/returns.csv: this file has changed since briefpack wrote it (edited in a spreadsheet, perhaps) — save "
        "your edits under another name, or run 'briefpack returns' again with --force to replace it (briefpack keeps "
        "a dated backup first)\n1 problem found; nothing was written.\n"))
    assert csv_path.read_text(encoding="utf-8") == "my own notes\n"
    forced = run("returns", "returns", "--out", "kept/returns.csv", "--force")
    assert forced.exit_code == 0
    backups = list((project / "kept").glob("returns.backup-*.csv"))
    assert [b.read_text(encoding="utf-8") for b in backups] == ["my own notes\n"]
    assert forced.stdout.splitlines()[-2:] == [  # where the notes went is said, not left to be found
        "wrote kept/returns.csv", f"kept the previous kept/returns.csv as kept/{backups[0].name}"]
    assert read_csv(csv_path)[0][0] == "file"


def type_in_viewer(kit: Path, target: Path, values: dict[str, str]) -> None:
    """Type into a kit's text fields as Chrome's and Edge's PDF viewer does (pdfium: click, keys, save)."""
    pdfium = pytest.importorskip("pypdfium2")
    raw = pytest.importorskip("pypdfium2.raw")
    from pypdf import PdfReader

    where = {str(a["/T"]): (i, [float(v) for v in a["/Rect"]])
             for i, page in enumerate(PdfReader(kit).pages)
             for a in (annot.get_object() for annot in page.get("/Annots", [])) if "/T" in a}
    pdf = pdfium.PdfDocument(str(kit))
    pdf.init_forms()
    for name, text in values.items():
        index, (x0, y0, x1, y1) = where[name]
        page = pdf[index]  # held while pdfium uses its handle
        x, y = (x0 + x1) / 2, (y0 + y1) / 2
        raw.FORM_OnLButtonDown(pdf.formenv, page.raw, 0, x, y)
        raw.FORM_OnLButtonUp(pdf.formenv, page.raw, 0, x, y)
        for ch in text:
            raw.FORM_OnChar(pdf.formenv, page.raw, 0x0D if ch == "\n" else ord(ch), 0)
        raw.FORM_ForceToKillFocus(pdf.formenv)
        page.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(str(target))
    pdf.close()


TYPED = {"team": "Tîm Gofal – Ŵyn a Ŷd, Łódź Żółć €", "facilitator": "Siân Ŵatcyn",
         "do_differently": "Gofyn am y tad bob tro.\nZapytać o ojca – zawsze."}


def test_letters_outside_windows_1252_typed_in_a_viewer_are_collected_as_typed(filled: Path, tmp_path: Path,
                                                                              run, monkeypatch) -> None:
    """The fields' font covers Windows-1252 only, but a field's value is Unicode: Welsh ŵ and ŷ and Polish
    letters come back exactly (how the viewer shows them is its own affair; see README)."""
    monkeypatch.chdir(filled)
    type_in_viewer(filled / "output/lancashire/lancashire-7mb-kit.pdf", tmp_path / "typed/cymraeg.pdf", TYPED)
    result = run("returns", str(tmp_path / "typed"), "--out", str(tmp_path / "typed.csv"))
    assert result.exit_code == 0, result.output
    header, row = read_csv(tmp_path / "typed.csv")
    got = dict(zip(header, row, strict=True))
    assert {name: got[name] for name in TYPED} == TYPED


def test_a_field_filled_in_a_viewer_keeps_its_border(filled: Path, tmp_path: Path) -> None:
    """pdfium redraws a filled field from its border style: a width it reads as 0 would leave no box."""
    import pikepdf

    type_in_viewer(filled / "output/lancashire/lancashire-7mb-kit.pdf", tmp_path / "typed.pdf", {"team": "Team A"})
    with pikepdf.open(tmp_path / "typed.pdf") as pdf:
        team = next(f for f in pdf.Root.AcroForm.Fields if str(f.get("/T")) == "team")
        drawn = team.AP.N.read_bytes()
    assert b"Team A" in drawn
    assert b"f*" in drawn  # the border: a ring filled between two rectangles


def test_the_report_pdf_is_tagged_like_every_pdf(returned: Path, run) -> None:
    import sys

    from tagcheck import problems

    project = returned.parent
    assert run("returns", "returns", "--out", "tagged/returns.csv", "--report").exit_code == 0
    report = project / "tagged/returns-report.pdf"
    assert problems(report) == []
    result = subprocess.run([sys.executable, "-m", "pdfua", "check", str(report)], capture_output=True, text=True)
    assert result.returncode == 0 and "result: PASS" in result.stdout, result.stdout
    if shutil.which("qpdf"):
        check = subprocess.run(["qpdf", "--check", str(report)], capture_output=True, text=True)
        assert check.returncode == 0 and "No syntax or stream encoding errors found" in check.stdout

def collected(returned: Path, run, tmp_path: Path, answers: dict[str, str]) -> dict[str, str]:  # noqa: ANN001
    """The CSV row of a Lancashire kit filled in with *answers* (on top of LANCASHIRE_PDF), by column."""
    kit = returned.parent / "output/lancashire/lancashire-7mb-kit.pdf"
    fill_pdf(kit, tmp_path / "filled.pdf", {**LANCASHIRE_PDF, **answers})
    result = run("returns", str(tmp_path / "filled.pdf"), "--out", str(tmp_path / "filled.csv"))
    assert result.exit_code == 0, result.output
    header, row = read_csv(tmp_path / "filled.csv")
    return dict(zip(header, row, strict=True))


def test_an_answer_that_would_be_a_formula_is_text_in_the_csv(returned: Path, run, tmp_path: Path) -> None:
    # A kit comes back from outside the board: '=cmd|...' in a cell starts a program when Excel opens the CSV.
    answers = collected(returned, run, tmp_path, {"team": "=HYPERLINK(\"https://example.org\")",
                                                  "facilitator": "+44 1234 567890", "support_needed": "- more time"})
    assert (answers["team"], answers["facilitator"], answers["support_needed"]) == (
        "'=HYPERLINK(\"https://example.org\")", "'+44 1234 567890", "'- more time")


def test_direction_controls_and_invisible_characters_in_an_answer_are_not_collected(returned: Path, run,
                                                                                    tmp_path: Path) -> None:
    # A right-to-left override pasted into an answer showed the cell (and the rest of a plain-text line)
    # reversed: 'txt.exe' read as 'exe.txt'. Letters of any script are kept as typed.
    answers = collected(returned, run, tmp_path, {"team": "Team \u202eexe.txt\u202c A",
                                                  "facilitator": "Sa\u2060ra\u200b \u05e9\u05e8\u05d4",
                                                  "support_needed": "\u2067more time\u2069"})
    assert (answers["team"], answers["facilitator"], answers["support_needed"]) == (
        "Team exe.txt A", "Sara\u200b \u05e9\u05e8\u05d4", "more time")


@pytest.mark.parametrize(("out", "folder"), [
    ("packs/returns.csv", "packs"), ("packs/lancashire-7mb.yaml", "packs"), ("packs/library/r.csv", "packs"),
    ("branding/lancashire/returns.csv", "branding"),
])
def test_returns_are_not_written_among_the_sources(returned: Path, run, out: str, folder: str) -> None:
    # The CSV (and the list of what briefpack wrote) went among the packs, and with --force it replaced a pack.
    project = returned.parent
    before = {p: p.read_bytes() for p in (project / "packs").rglob("*") if p.is_file()}
    before.update({p: p.read_bytes() for p in (project / "branding").rglob("*") if p.is_file()})
    result = run("returns", "returns", "--out", out, "--force")
    what = "packs" if folder == "packs" else "brands"
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"Error: Invalid value for '--out': '{out}' is in the project's {folder}/ folder, where briefpack reads your "
        f"{what} — choose a file outside packs/ and branding/, e.g. returns.csv (the default)\n")
    after = {p: p.read_bytes() for p in (project / "packs").rglob("*") if p.is_file()}
    after.update({p: p.read_bytes() for p in (project / "branding").rglob("*") if p.is_file()})
    assert after == before


def test_a_word_file_that_expands_enormously_or_is_damaged_inside_is_left_out(project: Path, run) -> None:
    # A 500 KB zip expanding to 500 MB took a gigabyte of memory to be called unreadable (more would stop the
    # machine), and a Word file whose compressed text is damaged stopped returns with a zlib.error traceback.
    folder = project / "returned"
    folder.mkdir()
    with zipfile.ZipFile(folder / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b" " * 21_000_000)
    with zipfile.ZipFile(folder / "damaged.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<a>" + b"x" * 100_000 + b"</a>")
    damaged = bytearray((folder / "damaged.docx").read_bytes())
    damaged[60:90] = b"\xff" * 30  # inside the compressed text
    (folder / "damaged.docx").write_bytes(bytes(damaged))
    result = run("returns", "returned")
    assert (result.exit_code, result.stderr) == (1, (
        "returned/bomb.docx: this Word file's part word/document.xml expands to more than 20 MB, far more than a "
        "filled-in kit holds — open it in Word and save it again as .docx, or leave it out\n"
        "returned/damaged.docx: this is not a Word file briefpack can read — open it in Word and save it again as "
        ".docx, or ask the team for a new copy\n"
        "2 problems found; nothing was written.\n"))


def test_a_report_name_too_long_for_the_disk_is_called_that(returned: Path, run) -> None:
    # Each was "this file cannot be read, so briefpack cannot tell whether it was edited — make it readable …".
    stem = "r" * 250  # returns.csv fits the disk's 255 characters; its -report.pdf and .docx do not
    result = run("returns", "returns", "--report", "--out", f"long/{stem}.csv")
    assert (result.exit_code, result.stderr) == (1, (
        f"long/{stem}-report.pdf: this name is too long for the disk (261 characters) — choose a shorter name with "
        f"--out\nlong/{stem}-report.docx: this name is too long for the disk (262 characters) — choose a shorter name "
        "with --out\n2 problems found; nothing was written.\n"))
    assert not (returned.parent / f"long/{stem}.csv").exists()
