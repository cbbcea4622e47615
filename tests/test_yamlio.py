"""The YAML reader: text stays text, and every YAML hazard is refused with its place and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpack import yamlio
from briefpack.errors import BriefpackError


def messages(text: str | bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "f.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(BriefpackError) as caught:
        yamlio.read(path)
    return [str(p).replace(str(path), "f.yaml") for p in caught.value.problems]


@pytest.mark.parametrize(("text", "expected"), [
    ("a: no\n", "no"), ("a: 012\n", "012"), ("a: 1:30\n", "1:30"), ("a: 0x1F\n", "0x1F"),
    ("a: 2017-01-31\n", "2017-01-31"), ("a: ~\n", "~"), ("a: 1e3\n", "1e3"), ("a: 'yes'\n", "yes"),
])
def test_every_scalar_is_the_text_typed(text: str, expected: str) -> None:
    root = yamlio.parse(text, "f.yaml")
    assert isinstance(root, yamlio.Mapping)
    assert root.items["a"][1].value == expected


SAVE_AS_UTF8 = "save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"


def saved_as(encoding: str) -> list[str]:
    return [f"f.yaml:1:1: the file is saved as {encoding} — {SAVE_AS_UTF8}"]


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("a: 1\nb: 2\na: 3\n",
                 ["f.yaml:3:1: duplicate key 'a' (first at line 1) — keep one of them"], id="duplicate-key"),
    pytest.param("a: &x hello\nb: *x\n",
                 ["f.yaml:1:4: anchor '&x' is not allowed — write each value out in full",
                  "f.yaml:2:4: alias '*x' is not allowed — write the value out in full"], id="anchor-alias"),
    pytest.param("a: !!python/object/apply:os.system ['echo hi']\n",
                 ["f.yaml:1:4: tag '!!python/object/apply:os.system' is not allowed — remove it; briefpack "
                  "reads every value as text"], id="unsafe-tag"),
    pytest.param("a: !!int 3\n",
                 ["f.yaml:1:4: tag '!!int' is not allowed — remove it; briefpack reads every value as text"],
                 id="type-tag"),
    pytest.param("[" * 50_000 + "]" * 50_000,
                 ["f.yaml:1:13: nesting deeper than 12 levels — check the indentation; briefpack files are "
                  "only a few levels deep"], id="deep-nesting"),
    pytest.param("a: 1\n---\nb: 2\n",
                 ["f.yaml:2:1: a second YAML document ('---') in one file — keep one document per file"],
                 id="two-documents"),
    pytest.param("a: 'x\x0by'\n",
                 ["f.yaml:1:6: character U+000B cannot appear in a document — delete it (it often comes from "
                  "pasting out of another program)"], id="xml-invalid-character"),
    pytest.param("a: x\x00\n",
                 ["f.yaml:1:5: character U+0000 cannot appear in a document — delete it (it often comes from "
                  "pasting out of another program)"], id="nul"),
    pytest.param("name: Caf\xe9\n".encode("latin-1"),
                 ["f.yaml:1:10: byte 0xe9 is not UTF-8 text — save the file as UTF-8 (in Notepad: Save As, "
                  "Encoding: UTF-8)"], id="latin-1"),
    pytest.param("name: x\n".encode("utf-16"),
                 saved_as("UTF-16"), id="utf-16"),
    pytest.param("name: x\n".encode("utf-16-le"),  # no byte order mark: each NUL byte was one problem (20 lines)
                 saved_as("UTF-16"), id="utf-16-without-bom"),
    pytest.param("name: x\n".encode("utf-32"),  # was called UTF-16: its mark starts like UTF-16's
                 saved_as("UTF-32"), id="utf-32"),
    pytest.param("name: x\n".encode("utf-32-be"),
                 saved_as("UTF-32"), id="utf-32-without-bom"),
    pytest.param('a: "x\\ud800"\n',
                 ["f.yaml:1:8: YAML syntax error: an escape such as \\uD800 that stands for no character — delete "
                  "it, or type the character itself"], id="surrogate-escape"),
    pytest.param('a: "C:\\Users\\me"\n',
                 ["f.yaml:1:9: YAML syntax error: in double quotes, \\x, \\u and \\U start a character code (as "
                  "in \"C:\\Users\") — write \\\\ for a backslash, or use single quotes"], id="windows-path"),
    pytest.param('a: "x\\qy"\n',
                 ["f.yaml:1:6: YAML syntax error: an unknown escape after \\ in double quotes — write \\\\ for a "
                  "backslash, or use single quotes"], id="unknown-escape"),
    pytest.param("a: b: c\n",
                 ["f.yaml:1:5: YAML syntax error: a ': ' inside a value — put the whole value in quotes, or write "
                  "it after the key on one line"], id="colon-in-text"),
    pytest.param("a:\n\t- x\n",
                 ["f.yaml:2:1: YAML syntax error: a value starts with a character YAML reserves (such as @, ` or a "
                  "tab) — put the value in quotes, and indent with spaces"], id="tab"),
])
def test_yaml_hazards_are_refused(tmp_path: Path, text: str | bytes, expected: list[str]) -> None:
    assert messages(text, tmp_path) == expected


def test_a_billion_laughs_is_refused_before_it_expands(tmp_path: Path) -> None:
    bomb = 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
    found = messages(bomb, tmp_path)
    assert found[0] == "f.yaml:1:4: anchor '&a' is not allowed — write each value out in full"
    assert len(found) == 21


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: \xc5\xb5\n")
    root = yamlio.read(path)
    assert root.items["name"][1].value == "ŵ"


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    found = messages("a: " + "x" * (yamlio.MAX_FILE_BYTES + 1) + "\n", tmp_path)
    assert found == ["f.yaml: the file is 1,000,005 bytes, more than the 1,000,000 allowed — split it into "
                     "smaller files"]


def test_positions_are_one_based(tmp_path: Path) -> None:
    root = yamlio.parse("a:\n  b: [x, y]\n", "f.yaml")
    b = root.items["a"][1].items["b"][1]
    assert (b.line, b.column) == (2, 6)
    assert [(i.line, i.column) for i in b.items] == [(2, 7), (2, 10)]


@pytest.mark.parametrize("char", ["\x7f", "\x9f", "\ufffe"])
def test_characters_yaml_refuses_are_reported_with_their_place(tmp_path: Path, char: str) -> None:
    assert messages(f"a: x\nb: y{char}\n", tmp_path) == [
        f"f.yaml:2:5: character U+{ord(char):04X} cannot appear in a document — delete it (it often comes from "
        "pasting out of another program)"]


def _shape(node: yamlio.Node | None) -> object:
    """Everything a reader of *node* can see, as plain values (nodes compare by identity)."""
    if node is None:
        return None
    where = (type(node).__name__, node.path, node.line, node.column)
    if isinstance(node, yamlio.Scalar):
        return (*where, node.value, node.plain, node.swallowed, node.raw)
    if isinstance(node, yamlio.Mapping):
        return (*where, [(k, _shape(key), _shape(value)) for k, (key, value) in node.items.items()])
    assert isinstance(node, yamlio.Sequence)
    return (*where, [_shape(item) for item in node.items])


def test_no_reader_changes_a_shared_tree(project: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    """yamlio.read hands one tree to every reader of the same bytes: after every command that reads the
    examples has run in this process, each kept tree is still what its file's bytes parse to."""
    monkeypatch.setenv("BRIEFPACK_NO_FORK", "1")  # workers in this process, so their reads share the trees
    yamlio._parsed.clear()
    for args in (["build", "--all", "--brand", "all", "-q"], ["build", "--all", "--kit", "-q"],
                 ["check", "--all"], ["list", "lessons"], ["brand", "check", "lancashire"]):
        assert run(*args).exit_code == 0, args
    assert len(yamlio._parsed) > 10
    for (where, data), root in yamlio._parsed.data.items():
        assert _shape(root) == _shape(yamlio.parse(yamlio.decode(data, where), where)), where
