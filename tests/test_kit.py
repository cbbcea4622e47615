"""The team-meeting kit: built with the pack, fillable in a PDF reader and in Word, read back as a reader would."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, copy_examples, docx_text, needs, norm, pdf_dictionaries, pdf_text

KIT = Path("output/lancashire/lancashire-7mb-kit")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# The field names are the contract `briefpack returns` reads (packs/README.md lists them).
CONTRACT = (["meeting_date", "team", "facilitator"]
            + [f"attendee_{n}_{part}" for n in range(1, 11) for part in ("name", "role", "agency", "signature")]
            + [f"question_{n}" for n in range(1, 7)]
            + [f"action_{n}{part}" for n in range(1, 6) for part in ("", "_owner", "_by")]
            + ["rating", "do_differently", "support_needed"])


def said(output: str) -> list[str]:
    """The lines a build printed, without the reading time of each briefing (test_readtime checks it)."""
    return [line for line in output.splitlines() if not re.search(r": about \d+ minutes? to read aloud", line)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One build of the Lancashire briefing with its kit, for the tests that only read the kit."""
    from click.testing import CliRunner

    from briefpack.cli import main

    root = copy_examples(tmp_path_factory.mktemp("kit"))
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        result = CliRunner().invoke(main, ["build", "packs/lancashire-7mb.yaml", "--kit"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root, result.output


@pytest.fixture
def kit(built: tuple[Path, str]) -> Path:
    return built[0] / KIT


def test_build_kit_writes_the_kit_beside_the_briefing(built: tuple[Path, str]) -> None:
    assert said(built[1]) == [
        "wrote output/lancashire/lancashire-7mb.pdf", "wrote output/lancashire/lancashire-7mb.docx",
        "wrote output/lancashire/lancashire-7mb-kit.pdf", "wrote output/lancashire/lancashire-7mb-kit.docx"]


def test_kit_pdf_fields_in_reading_order_with_accessible_names(kit: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(kit.with_suffix(".pdf"))
    widgets = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])
               if a.get_object()["/Subtype"] == "/Widget"]
    names = list(dict.fromkeys(str(w.get("/T") or w["/Parent"].get_object()["/T"]) for w in widgets))
    assert names == CONTRACT  # the tab order is the order of the widgets on each page
    fields = reader.get_fields()
    assert fields is not None and sorted(fields) == sorted(CONTRACT)
    assert fields["question_1"]["/TU"] == ("1. Have I heard the views of the father, have I made assumptions "
                                           "about the father?")
    assert fields["attendee_3_agency"]["/TU"] == "Attendee 3: agency"
    assert fields["action_2_by"]["/TU"] == "Action 2: by when"
    assert fields["rating"]["/TU"] == "How useful was this briefing to your team?"
    assert fields["rating"]["/_States_"] == ["/1", "/2", "/3", "/4", "/5"]
    assert all(f.get("/TU") for f in fields.values())
    assert fields["question_1"]["/Ff"] & 4096 and not fields["team"].get("/Ff", 0) & 4096  # notes are multi-line
    assert reader.metadata["/BriefpackKit"] == "briefpack-kit/1 pack=lancashire-7mb brand=lancashire"
    from briefpack.kit import field_of_title

    assert {name: field_of_title(str(f["/TU"])) for name, f in fields.items()} == {n: n for n in CONTRACT}


def test_kit_pdf_embeds_every_font_even_the_fields_one(kit: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(kit.with_suffix(".pdf"))
    fonts = [d for d in pdf_dictionaries(reader.trailer["/Root"]) if d.get("/Type") == "/Font"]
    names = sorted({str(f["/BaseFont"]) for f in fonts})
    assert names == ["/AAAAAA+Lato-Bold", "/AAAAAA+Lato-Regular", "/Lato-Regular"]
    assert all("/FontFile2" in f["/FontDescriptor"] for f in fonts)
    acroform = reader.trailer["/Root"]["/AcroForm"]
    assert acroform["/DA"] == "/BPForm 10 Tf 0 g"
    assert acroform["/DR"]["/Font"]["/BPForm"]["/BaseFont"] == "/Lato-Regular"


def test_empty_fields_print_as_empty_boxes(kit: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(kit.with_suffix(".pdf"))
    for page in reader.pages:
        for annot in page.get("/Annots", []):
            widget = annot.get_object()
            if widget["/Subtype"] != "/Widget":
                continue
            assert widget["/F"] == 4  # printed, never hidden
            normal = widget["/AP"]["/N"]
            streams = normal.values() if "/Off" in normal else [normal]
            for stream in streams:
                assert b"Tj" not in stream.get_object().get_data()  # no placeholder text to print


def test_kit_pdf_reads_as_facilitator_page_team_record_and_feedback_form(kit: Path) -> None:
    text = norm(pdf_text(kit.with_suffix(".pdf")))
    for piece in ["Team meeting kit", "Themes from Serious Case Reviews", "Facilitator's page",
                  "Before the meeting", "During the meeting", "After the meeting",
                  "Send the team record and the feedback form to Lancashire Safeguarding Children Board "
                  "(www.lancshiresafeguarding.org.uk).",
                  "Timing plan", "The plan shares seven minutes between its sections by their words.",
                  "Section (its words) Time to read it", "(from 0:00)",
                  "Team record", "Date of the meeting", "Team or service", "Facilitator",
                  "Who attended", "Name Role Agency Signature",
                  "6. Have I considered the impact of my decisions on the child?",
                  "Actions agreed", "Action Owner By when", "Feedback for LSCB",
                  "How useful was this briefing to your team?", "1 2 3 4 5", "1 = not useful, 5 = very useful",
                  "What will the team do differently as a result?",
                  "What support does the team need from the board?"]:
        assert piece in text
    words, minutes = re.search(r"Read aloud at 150 words a minute, the whole briefing \((\d+) words\) takes about "
                               r"(\d+) minutes\.", text).groups()
    assert int(minutes) == -(-int(words) // 150)
    sections = int(re.search(r"All seven sections \((\d+) words\) 7 min", text)[1])
    assert 0 < sections < int(words)  # the title, contacts and sources are read too, outside the plan


def test_every_field_is_a_form_element_of_the_structure_tree(kit: Path) -> None:
    import pikepdf

    with pikepdf.open(kit.with_suffix(".pdf")) as pdf:
        parents = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
        widgets = 0
        for page in pdf.pages:
            assert page.obj.Tabs == "/S"  # tab order follows the structure, which is the reading order
            for annot in page.obj.get("/Annots", []):
                if annot.Subtype != "/Widget":
                    continue
                element = parents[int(annot.StructParent)]
                kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                assert element.S == "/Form"
                assert [k.Obj.objgen for k in kids if isinstance(k, pikepdf.Dictionary)
                        and k.get("/Type") == "/OBJR"] == [annot.objgen]
                assert str(annot.Contents) == str(annot.TU)  # a radio button's: the question and its value
                widgets += 1
    assert widgets == len(CONTRACT) - 1 + 5  # the rating is five buttons


def test_timing_plan_adds_up_to_seven_minutes_weighted_by_words(kit: Path) -> None:
    text = norm(pdf_text(kit.with_suffix(".pdf")))
    plan = re.findall(r"0\d [^()]+ \((\d+) words\) (?:(\d+) min)? ?(?:(\d+) s)? \(from (\d+):(\d\d)\)", text)
    assert len(plan) == 7
    seconds = [int(m or 0) * 60 + int(s or 0) for _, m, s, _, _ in plan]
    starts = [int(a) * 60 + int(b) for *_, a, b in plan]
    assert sum(seconds) == 420
    assert starts == [sum(seconds[:i]) for i in range(7)]
    words = [int(w) for w, *_ in plan]
    assert seconds.index(max(seconds)) == words.index(max(words))


def test_the_pace_sentence_says_it_counts_the_whole_pack_and_the_plan_its_sections(project: Path, run) -> None:
    # 'the handout's 1256 words take about 9 minutes' stood above a plan ending 'All sections (1239 words)': two
    # counts of the same words, it seemed. The sentence counts what the pack's reading time counts (the build's line
    # for a 7-minute briefing), and now says it is the whole pack; the plan's rows and total count its sections.
    result = run("build", "lancashire-7mb", "ten-principles", "--kit")
    assert result.exit_code == 0, result.output
    assert "lancashire-7mb: about 5 minutes to read aloud (649 words)" in result.output.splitlines()
    for pack, pace, total, sections in (
            ("lancashire/lancashire-7mb", "the whole briefing (649 words) takes about 5 minutes.",
             "All seven sections (557 words) 7 min", [129, 105, 67, 47, 113, 18, 78]),
            ("default/ten-principles", "the whole handout (1256 words) takes about 9 minutes.",
             "All sections (1239 words) 9 min", [60, 100, 78, 20, 56, 827, 98])):
        kit = project / "output" / f"{pack}-kit"
        for text in (norm(pdf_text(kit.with_suffix(".pdf"))), norm(docx_text(kit.with_suffix(".docx")))):
            assert f"Read aloud at 150 words a minute, {pace}" in text
            assert f"{total} " in text
            rows = [int(n) for n in re.findall(r"\((\d+) words\) (?:\d+ min )?(?:\d+ s )?\(from \d+:\d\d\)", text)]
            assert rows == sections and sum(rows) == int(re.search(r"sections \((\d+) words\)", total)[1])


@pytest.mark.parametrize(("weights", "total", "expected"), [
    ([129, 105, 67, 47, 113, 18, 78], 420, [105, 75, 45, 30, 90, 15, 60]),
    ([0, 0, 0, 0, 0, 0, 0], 420, [60, 60, 60, 60, 60, 60, 60]),
    ([1000, 1, 1, 1, 1, 1, 1], 420, [330, 15, 15, 15, 15, 15, 15]),
    ([10, 10, 10], 60, [30, 15, 15]),
])
def test_shares_add_up_exactly(weights: list[int], total: int, expected: list[int]) -> None:
    from briefpack.readtime import shares

    assert shares(weights, total, 15) == expected
    assert sum(expected) == total


def test_kit_word_fields_are_content_controls_with_titles_and_tags(kit: Path) -> None:
    from lxml import etree

    with zipfile.ZipFile(kit.with_suffix(".docx")) as z:
        root = etree.fromstring(z.read("word/document.xml"))
        core = z.read("docProps/core.xml").decode()
    controls = root.iter(f"{W}sdt")
    tags, titles = [], {}
    for sdt in controls:
        pr = sdt.find(f"{W}sdtPr")
        tag = pr.find(f"{W}tag").get(f"{W}val")
        tags.append(tag)
        titles[tag] = pr.find(f"{W}alias").get(f"{W}val")
        assert pr.find(f"{W}showingPlcHdr") is not None  # empty: its no-break spaces print as nothing
    assert tags == CONTRACT
    assert titles["question_6"] == "6. Have I considered the impact of my decisions on the child?"
    assert titles["attendee_10_signature"] == "Attendee 10: signature"
    assert [i.get(f"{W}value") for i in root.iter(f"{W}listItem")] == ["1", "2", "3", "4", "5"]
    assert "briefpack-kit/1 pack=lancashire-7mb brand=lancashire" in core
    grids = [[int(col.get(f"{W}w")) for col in tbl.iter(f"{W}gridCol")] for tbl in root.iter(f"{W}tbl")]
    actions = next(g for g in grids if len(g) == 3)
    assert actions[0] > 2 * actions[1] > 0  # the grid too (LibreOffice follows it): room to write an action
    text = norm(docx_text(kit.with_suffix(".docx")))
    assert re.search(r"All seven sections \(\d+ words\) 7 min", text)
    for piece in ["Facilitator's page", "Team record",
                  "Who attended", "Name Role Agency Signature", "Actions agreed", "Feedback for LSCB",
                  "Choose or write one of 1, 2, 3, 4, 5: 1 = not useful, 5 = very useful."]:
        assert piece in text


def test_pack_key_kit_builds_it_by_default(project: Path, run) -> None:
    pack = project / "packs/lancashire-7mb.yaml"
    pack.write_text(pack.read_text(encoding="utf-8") + "kit: true\n", encoding="utf-8")
    result = run("build", "packs/lancashire-7mb.yaml", "--format", "pdf")
    assert said(result.output) == ["wrote output/lancashire/lancashire-7mb.pdf",
                                          "wrote output/lancashire/lancashire-7mb-kit.pdf"]


def test_kit_asked_after_a_build_without_it_is_built_then_up_to_date(project: Path, run) -> None:
    assert run("build", "packs/lancashire-7mb.yaml", "--format", "pdf").exit_code == 0
    result = run("build", "packs/lancashire-7mb.yaml", "--format", "pdf", "--kit")
    assert said(result.output) == ["wrote output/lancashire/lancashire-7mb-kit.pdf",
                                          "1 file in output/ already up to date"]
    result = run("build", "packs/lancashire-7mb.yaml", "--format", "pdf", "--kit")
    assert result.output == "nothing to do: all 2 files in output/ are up to date\n"
    (project / KIT.with_suffix(".pdf")).unlink()
    result = run("build", "packs/lancashire-7mb.yaml", "--format", "pdf", "--kit")
    assert "wrote output/lancashire/lancashire-7mb-kit.pdf" in said(result.output)


def test_pack_key_kit_is_true_or_false(project: Path, run) -> None:
    pack = project / "packs/lancashire-7mb.yaml"
    pack.write_text(pack.read_text(encoding="utf-8") + "kit: yes please\n", encoding="utf-8")
    result = run("build", "packs/lancashire-7mb.yaml")
    assert result.exit_code == 1
    assert result.output == ("packs/lancashire-7mb.yaml:30:6: 'kit' is true or false, not 'yes please' — write "
                             "'kit: true' to build the team-meeting kit with this pack\n"
                             "1 problem found; nothing was written.\n")


def test_returns_go_where_the_brand_says(project: Path, run) -> None:
    brand = project / "branding/lancashire/brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "returns: learning@lancashire.example.org\n",
                     encoding="utf-8")
    run("build", "packs/lancashire-7mb.yaml", "--kit", "--format", "pdf")
    text = norm(pdf_text(project / KIT.with_suffix(".pdf")))
    assert "Return this form to learning@lancashire.example.org." in text


def test_a_leaflet_s_kit_books_the_time_its_words_take(project: Path, run) -> None:
    # A leaflet's kit said "Book about 20 minutes: seven to read the briefing aloud", of a leaflet read in three,
    # and named the pack's kind 'serious Case Review'.
    assert run("build", "gloucestershire-8-lessons", "ten-principles", "--kit").exit_code == 0
    for pack, booked, to_read in (("gloucestershire/gloucestershire-8-lessons", 20, 3),
                                  ("default/ten-principles", 25, 9)):
        kit = project / "output" / f"{pack}-kit"
        for text in (norm(pdf_text(kit.with_suffix(".pdf"))), norm(docx_text(kit.with_suffix(".docx")))):
            assert (f"Book about {booked} minutes: about {to_read} to read it aloud, the rest to discuss it and agree "
                    "actions. Print it for everyone, and the team record.") in text
            assert f"words) takes about {to_read} minutes." in text
            assert "seven" not in text.lower()
    text = norm(pdf_text(project / "output/gloucestershire/gloucestershire-8-lessons-kit.pdf"))
    assert "This kit goes with the Serious Case Review “'Sharing the lessons" in text


def test_a_kit_calls_its_pack_by_its_kind(project: Path, run) -> None:
    # The kit of a leaflet, précis, handout or learning points said 'Run the briefing…', 'Read the briefing
    # yourself…' and asked how useful 'this briefing' was. What it calls its pack is decided once (kit.the_pack),
    # so both files say the same; a board changes it with the kit_pack_KIND word, and field titles still read back.
    from briefpack import kit as kit_module
    from briefpack.words import WORDS

    edit = project / "branding/bscb/brand.yaml"
    edit.write_text(edit.read_text(encoding="utf-8").replace(
        "vocabulary:\n", "vocabulary:\n  words:\n    kit_pack_learning-points: '{board_short} list'\n", 1),
        encoding="utf-8")
    packs = ("gloucestershire-8-lessons", "ten-principles", "national-scr-precis", "bscb-key-learning-2014")
    assert run("build", *packs, "--kit").exit_code == 0
    for pack, it in (("gloucestershire/gloucestershire-8-lessons", "leaflet"), ("default/ten-principles", "handout"),
                     ("default/national-scr-precis", "précis pack"), ("bscb/bscb-key-learning-2014", "BSCB list")):
        kit = project / "output" / f"{pack}-kit"
        for text in (norm(pdf_text(kit.with_suffix(".pdf"))), norm(docx_text(kit.with_suffix(".docx")))):
            for said in (f"Run the {it}, record the meeting, tell the board how it went",
                         f"Read the {it} yourself and check the local contacts and procedures it gives.",
                         f"the whole {it} (", f"Tell the board how the {it} worked for your team.",
                         f"How useful was this {it} to your team?"):
                assert said in text, (pack, said)
            assert "briefing" not in text.replace("7-minute briefing", ""), pack
        if it == "leaflet":
            assert f"What did the team learn from this {it}?" in text
    assert kit_module.field_of_title("How useful was this handout to your team?") == kit_module.RATING
    assert kit_module.field_of_title("How useful was this briefing to your team?") == kit_module.RATING
    assert kit_module.LABELS[kit_module.RATING] == "How useful was this briefing to your team?"
    assert WORDS["kit_pack_seven-minute-briefing"] == "briefing"


def test_a_field_titled_with_a_board_reference_is_read_back_by_its_title(project: Path, run) -> None:
    # A field's title fills in the board's references ('Team at LSCB'); a Word kit saved by LibreOffice (title
    # kept, tag lost) was read by the word as written ('Team at {board_short}'), so the team was not collected.
    from lxml import etree

    from briefpack import kit as kit_module
    from briefpack.returns import _ProjectWords

    brand = project / "branding/lancashire/brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("vocabulary:\n", (
        "vocabulary:\n  words:\n    kit_team: 'Team at {board_short}'\n"
        "    kit_rating: 'Was this {pack} useful to {board_short}?'\n"), 1), encoding="utf-8")
    assert run("build", "lancashire-7mb", "--kit", "--format", "docx").exit_code == 0
    with zipfile.ZipFile(project / "output/lancashire/lancashire-7mb-kit.docx") as z:
        root = etree.fromstring(z.read("word/document.xml"))
    titles = {pr.find(f"{W}tag").get(f"{W}val"): pr.find(f"{W}alias").get(f"{W}val")
              for pr in root.iter(f"{W}sdtPr")}
    assert (titles["team"], titles["rating"]) == ("Team at LSCB", "Was this briefing useful to LSCB?")
    words = _ProjectWords().of("lancashire")
    assert words is not None
    assert [kit_module.field_of_title(titles[name], words) for name in ("team", "rating")] == ["team", "rating"]


def test_the_kit_prints_the_briefing_s_text_as_the_briefing_does(project: Path, run) -> None:
    # The kit resolved the briefing's already resolved text again: a question and a section label written with
    # '\\{board}' (a brace, not a reference) printed '{board}' in the briefing and the board's name in the kit.
    from pypdf import PdfReader

    questions = project / "packs/library/questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace(
        "views of the father,", "views of the father (\\{board} as written),", 1), encoding="utf-8")
    pack = project / "packs/lancashire-7mb.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace(
        "label: Why it matters", "label: Why \\{board_short} matters", 1), encoding="utf-8")
    assert run("build", "lancashire-7mb", "--kit").exit_code == 0
    out = project / "output/lancashire"
    question = "Have I heard the views of the father ({board} as written), have I made assumptions about the father?"
    for name in ("lancashire-7mb", "lancashire-7mb-kit"):
        for text in (norm(pdf_text(out / f"{name}.pdf")), norm(docx_text(out / f"{name}.docx"))):
            assert "02 Why {board_short} matters" in text and question in text, name
    fields = PdfReader(out / "lancashire-7mb-kit.pdf").get_fields()
    assert fields is not None and fields["question_1"]["/TU"] == f"1. {question}"


def test_kit_of_a_pack_without_questions_asks_one(project: Path, run) -> None:
    result = run("build", "packs/gloucestershire-8-lessons.yaml", "--kit", "--format", "pdf")
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    fields = PdfReader(project / "output/gloucestershire/gloucestershire-8-lessons-kit.pdf").get_fields()
    assert fields is not None
    assert sorted(k for k in fields if k.startswith("question_")) == ["question_1"]
    assert fields["question_1"]["/TU"] == "1. What did the team learn from this leaflet?"


@needs("pdftoppm")
def test_kit_pages_render(kit: Path, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(kit.with_suffix(".pdf")), str(tmp_path / "p")], check=True)
    assert len(list(tmp_path.glob("p-*.png"))) == 4


@needs("pdffonts")
def test_pdffonts_sees_only_embedded_fonts(kit: Path) -> None:
    out = subprocess.run(["pdffonts", str(kit.with_suffix(".pdf"))], capture_output=True, text=True,
                         check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(" yes " in row.split("TrueType", 1)[1] for row in rows)


def test_readme_lists_the_field_names() -> None:
    readme = (ROOT / "packs/README.md").read_text(encoding="utf-8")
    for name in ("meeting_date", "attendee_N_name", "question_N", "action_N_owner", "action_N_by", "rating",
                 "do_differently", "support_needed"):
        assert f"`{name}`" in readme


def converted_by_libreoffice(docx: Path, to: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{to}/profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(to), str(docx)], capture_output=True, timeout=180)
    converted = to / docx.with_suffix(".pdf").name
    assert converted.exists()  # soffice exits 0 even when it cannot load a file
    return converted


def assert_laid_out_as_the_pdf(converted: Path, board: str) -> None:
    """Even in LibreOffice's stand-in for a font the machine lacks: the facilitator's page on one page, the
    team record on two (its tables whole), the feedback form on the fourth."""
    from pypdf import PdfReader

    pages = [norm(page.extract_text()) for page in PdfReader(converted).pages]
    assert len(pages) == 4, [page[:80] for page in pages]
    assert "Facilitator's page" in pages[0] and re.search(r"All seven sections \(\d+ words\) 7 min", pages[0])
    assert "Team record" in pages[1] and "Who attended Name Role Agency Signature" in pages[1]
    assert "Actions agreed Action Owner By when" in pages[2]
    assert f"Feedback for {board}" in pages[3]


@needs("soffice")
def test_kit_word_file_opens_in_libreoffice_with_empty_boxes(kit: Path, tmp_path: Path) -> None:
    converted = converted_by_libreoffice(kit.with_suffix(".docx"), tmp_path)
    text = norm(pdf_text(converted))
    for piece in ["Facilitator's page", "Date of the meeting", "Who attended", "Actions agreed",
                  "How useful was this briefing to your team?"]:
        assert piece in text
    assert "Click or tap" not in text and "enter text" not in text  # empty controls print as empty boxes
    assert_laid_out_as_the_pdf(converted, "LSCB")


@needs("soffice")
def test_kit_word_file_in_another_brand_is_laid_out_as_the_pdf(project: Path, run, tmp_path: Path) -> None:
    """BSCB's section labels are longer: a plan row of two lines once pushed the facilitator's page over."""
    assert run("build", "packs/lancashire-7mb.yaml", "--brand", "bscb", "--kit", "--format", "docx").exit_code == 0
    converted = converted_by_libreoffice(project / "output/bscb/lancashire-7mb-kit.docx", tmp_path)
    assert_laid_out_as_the_pdf(converted, "BSCB")


def test_kit_pdf_meets_the_tagged_pdf_rules_like_every_pdf(kit: Path) -> None:
    from tagcheck import problems

    assert problems(kit.with_suffix(".pdf")) == []


def test_pdfua_finds_nothing_in_the_kit(kit: Path) -> None:
    import sys

    result = subprocess.run([sys.executable, "-m", "pdfua", "check", str(kit.with_suffix(".pdf"))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert "result: PASS" in result.stdout


def test_editor_schemas_know_the_kit_and_returns_keys() -> None:
    import jsonschema

    from briefpack.editorschema import brand_schema, pack_schema

    kit_key = pack_schema()["properties"]["kit"]
    jsonschema.validate(True, kit_key)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("maybe", kit_key)
    jsonschema.validate("learning@example.org.uk", brand_schema()["properties"]["returns"])


def test_a_table_s_last_row_does_not_go_on_alone(project: Path, run) -> None:
    # The handout's timing plan filled its first page but for the total row, which went on alone under the
    # repeated header at the top of page 2. The row before it now goes with it; in Word too.
    from pypdf import PdfReader

    assert run("build", "ten-principles", "--kit").exit_code == 0
    kit = project / "output/default/ten-principles-kit"
    pages = [norm(page.extract_text()) for page in PdfReader(kit.with_suffix(".pdf")).pages]
    [total] = [n for n, text in enumerate(pages) if "All sections (1239 words)" in text]
    assert "E-learning (98 words)" in pages[total]
    assert pages[total].count("words)") >= 2
    import docx

    table = next(t for t in docx.Document(str(kit.with_suffix(".docx"))).tables
                 if t.rows[-1].cells[0].text.startswith("All sections"))
    keeps = [any(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs)
             for row in table.rows[1:]]
    assert keeps == [False] * (len(keeps) - 2) + [True, False]


@pytest.mark.parametrize(("body", "room", "ours", "reportlab_s"), [
    (6, 5, 2, 1),  # the last row alone: the one before it goes with it
    (6, 4, 2, 2), (6, 2, 4, 4), (6, 1, 5, 5),  # two or more go on: reportlab's split stands
    (3, 2, 1, 1),  # moving a row would leave one before the split: reportlab's stands
])
def test_a_table_splits_one_row_sooner_rather_than_leave_its_last_alone(body: int, room: int, ours: int,
                                                                       reportlab_s: int) -> None:
    # A header and *body* rows of 20 points each, with room for the header and *room* rows: the rows of the
    # body that go on to the next page, under the header repeated there.
    from reportlab.platypus import Table

    from briefpack.render.pdfparts import RowsTable

    data = [["head"]] + [[f"row {n}"] for n in range(1, body + 1)]
    for kind, expected in ((RowsTable, ours), (Table, reportlab_s)):
        parts = kind(data, rowHeights=[20] * (body + 1), repeatRows=1).split(100, 20 * (room + 1) + 1)
        assert [len(part._rowHeights) - 1 for part in parts] == [body - expected, expected], kind


def test_a_kit_made_before_names_kept_their_capitals_is_still_read_back() -> None:
    # Kits made before a column word kept its capitals titled the field 'Attendee 1: job Title' for a brand's
    # 'Job Title'; LibreOffice keeps only that title, so both forms name the field.
    from briefpack.kit import ENGLISH, field_of_title

    def words(key: str) -> str:
        return {"kit_role": "Job Title", "kit_owner": "Lead Officer"}.get(key) or ENGLISH(key)

    assert [field_of_title(title, words) for title in (
        "Attendee 1: Job Title", "Attendee 1: job Title", "Attendee 10: name", "Action 2: Lead Officer",
        "Action 2: lead Officer", "Attendee 1: job title")] == [
        "attendee_1_role", "attendee_1_role", "attendee_10_name", "action_2_owner", "action_2_owner", None]


def test_a_kit_left_behind_by_a_build_without_kit_is_said_to_be_out_of_date(project: Path, run) -> None:
    """A build without --kit makes only the pack: the kit from before kept the pack's old title, questions and
    timing with nothing said. Each build that leaves an out-of-date kit behind (a rebuild with nothing to do
    too) says so and how to remake it; --strict refuses; made again with --kit, nothing is said."""
    import re

    assert run("build", "lancashire-7mb", "--kit", "-q").exit_code == 0
    pack = project / "packs" / "lancashire-7mb.yaml"
    pack.write_text(re.sub(r"(?m)^title: .*$", "title: Themes from Serious Case Reviews, revised",
                           pack.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    note = ("output/lancashire/lancashire-7mb-kit.pdf: made from an earlier version of the pack or its brand — "
            "build the pack again with --kit to bring its kit up to date")
    built = run("build", "lancashire-7mb")
    assert built.exit_code == 0 and built.stderr.splitlines() == ["note: " + note]
    again = run("build", "lancashire-7mb")
    assert again.stdout.startswith("nothing to do") and again.stderr.splitlines() == ["note: " + note]
    strict = run("build", "lancashire-7mb", "--strict")
    assert strict.exit_code == 1 and strict.stderr.splitlines()[0] == note
    assert run("build", "lancashire-7mb", "--kit", "-q").exit_code == 0
    after = run("build", "lancashire-7mb")
    assert after.exit_code == 0 and after.stderr == ""
