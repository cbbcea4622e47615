"""Properties over many inputs: any text round-trips through both outputs; no edit gives a traceback."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_BRANDS, ROOT

# Printable text a lesson might hold: Latin-1, Latin Extended-A, typographic punctuation, the symbols
# that are markup elsewhere, and spaces. (Markup of our own — * [ ] \ — is tested in test_markup.py.)
ALPHABET = st.sampled_from(
    [chr(c) for c in range(0x20, 0x7F) if chr(c) not in "*[]\\"]
    + [chr(c) for c in range(0xA1, 0x180) if chr(c).isprintable() and c != 0xAD]
    + list("‘’“”–—…•€ŵŷŴŶ"))


@pytest.fixture(scope="module")
def job():
    from briefpack.build import prepare

    return prepare([ROOT / "packs" / "lancashire-7mb.yaml"], None)[0]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(ALPHABET, min_size=1, max_size=120).filter(lambda t: t.strip()))
def test_any_printable_text_comes_back_from_pdf_and_word(job, tmp_path_factory, text: str) -> None:
    import io

    import docx
    from pypdf import PdfReader

    from briefpack.document import Para, Section
    from briefpack.markup import Span
    from briefpack.render.docx import render_docx
    from briefpack.render.pdf import render_pdf

    blocks = list(job.document.blocks)
    first = next(i for i, b in enumerate(blocks) if isinstance(b, Section))
    blocks[first] = replace(blocks[first], blocks=(Para((Span(text),)),))
    document = replace(job.document, blocks=tuple(blocks))
    pdf, _ = render_pdf(document, job.brand)
    word, _ = render_docx(document, job.brand)
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    word_text = "\n".join(p.text for p in docx.Document(io.BytesIO(word)).paragraphs)
    assert squash(text) in squash(pdf_text)
    assert text in word_text


PACK_LINES = (ROOT / "packs" / "lancashire-7mb.yaml").read_text(encoding="utf-8").splitlines()
BRAND_LINES = (ROOT / "branding" / "lancashire" / "brand.yaml").read_text(encoding="utf-8").splitlines()


@st.composite
def edited(draw, original: list[str]) -> str:
    """*original* with a few random edits a hurried person might make."""
    lines = list(original)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "dedent", "indent", "replace-value", "junk",
                                     "tab", "truncate"]))
        if edit == "delete":
            del lines[i]
        elif edit == "duplicate":
            lines.insert(i, lines[i])
        elif edit == "dedent":
            lines[i] = lines[i][2:]
        elif edit == "indent":
            lines[i] = "  " + lines[i]
        elif edit == "replace-value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            values = ["", "no", "012", "1:30", "#1a2b3c", "[x", "{", "&a", "*a", "!!int 3", "~", "null", "- x"]
            lines[i] = f"{key}: {draw(st.sampled_from(values))}"
        elif edit == "junk":
            lines.insert(i, draw(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)))
        elif edit == "tab":
            lines[i] = "\t" + lines[i]
        elif edit == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, max(len(lines[i]) - 1, 0)))]
        if not lines:
            break
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=edited(PACK_LINES))
def test_random_edits_of_a_pack_never_give_a_traceback(tmp_path_factory, text: str) -> None:
    check_no_traceback(tmp_path_factory, pack=text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=edited(BRAND_LINES))
def test_random_edits_of_a_brand_never_give_a_traceback(tmp_path_factory, text: str) -> None:
    check_no_traceback(tmp_path_factory, brand=text)


def check_no_traceback(tmp_path_factory, pack: str | None = None, brand: str | None = None) -> str:
    import shutil

    from click.testing import CliRunner

    from briefpack.cli import main

    root = tmp_path_factory.mktemp("edit")
    shutil.copytree(ROOT / "packs" / "library", root / "packs" / "library")
    for name in EXAMPLE_BRANDS:
        shutil.copytree(ROOT / "branding" / name, root / "branding" / name)
    (root / "packs" / "edited.yaml").write_text(pack or "\n".join(PACK_LINES) + "\n", encoding="utf-8")
    if brand is not None:
        (root / "branding" / "lancashire" / "brand.yaml").write_text(brand, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(root / "packs" / "edited.yaml"), "--format", "docx",
                                       "--out", str(root / "out")])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 1:
        assert result.stderr.splitlines()[-1].endswith("nothing was written.")
        assert re.match(r"\S+(:\d+:\d+)?: .+ — .+", result.stderr.splitlines()[0])
    return result.stderr if result.exit_code else ""


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.text(st.sampled_from("ab ·\u00a0"), max_size=80), min_size=1, max_size=6),
       limit=st.integers(5, 40))
def test_long_text_is_cut_between_words_without_losing_any(texts: list[str], limit: int) -> None:
    from briefpack.markup import Span
    from briefpack.render.pdf import split_spans

    spans = tuple(Span(t, bold=i % 2 == 1) for i, t in enumerate(texts) if t)
    chunks = split_spans(spans, limit)
    assert squash("".join(s.text for c in chunks for s in c)) == squash("".join(s.text for s in spans))
    assert all(sum(len(s.text) for s in chunk) <= limit for chunk in chunks)
    looks = [(ch, s.bold) for c in chunks for s in c for ch in s.text if not ch.isspace()]
    assert looks == [(ch, s.bold) for s in spans for ch in s.text if not ch.isspace()]  # each keeps its look


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(), min_size=1, max_size=12))
def test_any_decoded_string_in_any_field_never_gives_a_traceback(tmp_path_factory, text: str) -> None:
    from briefpack.yamlio import FORBIDDEN

    escaped = '"' + "".join(f"\\U{ord(c):08x}" for c in text) + '"'
    lines = [f"title: {escaped}" if line.startswith("title:") else
             f"      - {escaped}" if line == "      - child-heard-safely" else line for line in PACK_LINES]
    stderr = check_no_traceback(tmp_path_factory, pack="\n".join(lines) + "\n")
    assert not FORBIDDEN.search(stderr), "a control character reached the terminal"
