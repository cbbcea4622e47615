"""Inline markup: bold, italic and links; everything else is literal."""

from __future__ import annotations

import pytest

from briefpack.markup import MarkupError, Span, parse


@pytest.mark.parametrize(("text", "spans"), [
    ("plain", (Span("plain"),)),
    ("a **b** c", (Span("a "), Span("b", bold=True), Span(" c"))),
    ("a *b* c", (Span("a "), Span("b", italic=True), Span(" c"))),
    ("***both***", (Span("both", bold=True, italic=True),)),
    ("see [the site](https://x.org/a?b=1&c=2).", (Span("see "), Span("the site", href="https://x.org/a?b=1&c=2"),
                                                  Span("."))),
    ("mail [us](mailto:a@b.org)", (Span("mail "), Span("us", href="mailto:a@b.org"))),
    ("5 * 3 = 15", (Span("5 * 3 = 15"),)),
    (r"a \*literal\* star", (Span("a *literal* star"),)),
    ("J&C <b>x</b> <img src='/etc/passwd'/>", (Span("J&C <b>x</b> <img src='/etc/passwd'/>"),)),
    ("[not a link] (x)", (Span("[not a link] (x)"),)),
    ("C:\\Users\\x", (Span("C:\\Users\\x"),)),
    ("the {board} and **{procedure:escalation}**", (Span("the "), Span("{board}", ref="board"), Span(" and "),
                                                    Span("{procedure:escalation}", bold=True,
                                                         ref="procedure:escalation"))),
    (r"a \{board} brace, { alone, {1}", (Span("a {board} brace, { alone, {1}"),)),
])
def test_parse(text: str, spans: tuple[Span, ...]) -> None:
    assert parse(text) == spans


@pytest.mark.parametrize(("text", "message", "fix"), [
    ("a **b", "'**' starts bold text that is never closed",
     "close it with '**', or write \\* for a literal asterisk"),
    ("[x](javascript:alert(1))", "link address 'javascript:alert(1' uses the scheme 'javascript'",
     "links must start with https://, http://, mailto: or tel:"),
    ("[x](www.gscb.org.uk)", "link address 'www.gscb.org.uk' has no scheme",
     "write it with https:// in front: https://www.gscb.org.uk"),
    ("[x](file:///etc/passwd)", "link address 'file:///etc/passwd' uses the scheme 'file'",
     "links must start with https://, http://, mailto: or tel:"),
    ("see {bord}", "unknown reference '{bord}' (did you mean 'board'?)",
     "use one of: {board}, {board_short}, {review_type}, {procedure:ID}; write \\{ for a literal brace"),
    ("{Board_Short}", "unknown reference '{Board_Short}' (did you mean 'board_short'?)",
     "use one of: {board}, {board_short}, {review_type}, {procedure:ID}; write \\{ for a literal brace"),
    ("{procedure}", "'{procedure}' needs the id of a procedure",
     "write it as {procedure:escalation}, with an id from the brand's procedures"),
    ("{board:lancashire}", "'{board}' takes no id", "write {board}"),
])
def test_malformed_markup(text: str, message: str, fix: str) -> None:
    with pytest.raises(MarkupError) as caught:
        parse(text)
    assert (caught.value.message, caught.value.fix) == (message, fix)


def test_every_mistake_in_a_text_is_carried() -> None:
    with pytest.raises(MarkupError) as caught:
        parse("a **b, {bord}, [x](www.a.org), [{bord}](https://a.org) and *c")
    assert [(e.offset, e.fragment, e.message) for e in caught.value.errors] == [
        (2, "**", "'**' starts bold text that is never closed"),
        (7, "{bord}", "unknown reference '{bord}' (did you mean 'board'?)"),
        (15, "[x](www.a.org)", "link address 'www.a.org' has no scheme"),
        (32, "{bord}", "unknown reference '{bord}' (did you mean 'board'?)"),
        (59, "*", "'*' starts italic text that is never closed"),
    ]
