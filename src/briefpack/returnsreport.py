"""The returns report: a short branded summary of the collected kits, for a board's learning group.

Composed here into an ordinary Document (counts, a rating chart with its table, the actions, what teams
will do differently and the support they need) and rendered by the same two renderers as every briefing.
"""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

from briefpack import kit
from briefpack.compose import Said, board_words, kept_words
from briefpack.document import Bar, BulletList, Chart, Document, Heading, Item, Para, Table, TitleBlock, TopBlock
from briefpack.errors import BriefpackError, Problem, display_path
from briefpack.markup import Span
from briefpack.model import Brand
from briefpack.returns import Return, actions_due, pack_label
from briefpack.words import LINK_WORDS

def team_of(r: Return) -> str:
    return r.get("team") or display_path(r.path)


def counted(w: Said, key: str, count: int) -> str:
    """'1 return' or '3 returns', in the board's words (report_returns_one, report_returns_many)."""
    return w(f"{key}_one") if count == 1 else w(f"{key}_many", count=count)


def compose_report(returns: list[Return], brand: Brand) -> Document:
    """The report of *returns* in *brand*, in the board's words (words.WORDS, the `report…` keys)."""
    w = board_words(brand)  # the report is the board's own words and the teams' data: only its words are resolved
    kept = kept_words(brand)  # the page label's, logo's and links' words: the renderers fill them in
    teams = len({team_of(r) for r in returns})
    n = len(returns)
    blocks: list[TopBlock] = [TitleBlock(
        kicker=w("report"), title=w("report_title"),
        subtitle=w("report_subtitle", returns=counted(w, "report_returns", n),
                   teams=counted(w, "report_teams", teams)), date="")]
    per_pack = Counter(pack_label(r) for r in returns)
    blocks += [Heading(w("report_returns_heading"), 1),
               Table((w("report_briefing_column"), w("report_returns_column")),
                     tuple((label, str(k)) for label, k in per_pack.items()) + ((w("report_all"), str(n)),))]
    counts = Counter(r.get("rating") for r in returns if r.rating is not None)
    ratings = [r.rating for r in returns if r.rating is not None]
    blocks.append(Heading(w("report_useful"), 1))
    if ratings:
        labels = {**{v: v for v in kit.RATINGS}, kit.RATINGS[0]: w("report_rating_low"),
                  kit.RATINGS[-1]: w("report_rating_high")}
        bars = tuple(Bar(labels[v], counts[v], str(counts[v])) for v in kit.RATINGS)
        alt = w("report_chart_alt", bars="; ".join(f"{b.label}: {b.text}" for b in bars))
        blocks += [Para((Span(w("report_mean", mean=f"{statistics.mean(ratings):.1f}",
                                ratings=counted(w, "report_ratings", len(ratings)))),)),
                   Chart(w("report_chart"), alt, bars),
                   Table((w("report_rating_column"), w("report_returns_column")),
                         tuple((b.label, b.text) for b in bars))]
    else:
        blocks.append(Para((Span(w("report_no_rating")),)))
    due = actions_due(returns)
    blocks.append(Heading(w("kit_actions"), 1))
    if due:
        items = []
        for action, r in due:
            details = " · ".join(x for x in (w("report_owner", owner=action.owner) if action.owner else "",
                                             w("report_by", date=action.by or w("report_no_date")),
                                             w("report_team", team=team_of(r))) if x)
            items.append(Item((Span(action.text or w("report_no_action_text"), bold=True),), ((Span(details),),)))
        blocks.append(BulletList(tuple(items)))
    else:
        blocks.append(Para((Span(w("report_no_action")),)))
    for title, name in (("report_differently", kit.DO_DIFFERENTLY), ("report_support", kit.SUPPORT_NEEDED)):
        said = [(r.get(name), team_of(r)) for r in returns if r.get(name)]
        blocks.append(Heading(w(title), 1))
        if said:
            blocks.append(BulletList(tuple(Item((Span(text),), ((Span(w("report_team", team=team)),),))
                                           for text, team in said)))
        else:
            blocks.append(Para((Span(w("report_none_said")),)))
    return Document(title=w("report"), kind="report", layout="linear",
                    subject=w("report_subject", board=brand.name), author=brand.name, keywords=(),
                    language=brand.language, date="", date_iso="", footer=f"{brand.name} · {w('report')}",
                    blocks=tuple(blocks), header=f"{brand.short_name} · {w('report')}",
                    page_label=kept("page"), logo_alt=kept("logo_alt"),
                    link_words=tuple((key, kept(key)) for key in LINK_WORDS))


def report_brand(returns: list[Return], name: str | None) -> Brand:
    """The brand asked for, or the one most returns name, or else the default brand (from ./branding)."""
    from briefpack.brand import brand_names, load_brand
    from briefpack.load import Project

    branding = Project(Path.cwd()).branding
    known = brand_names(branding)
    if name is None:
        named = Counter(r.brand for r in returns if r.brand in known).most_common(1)
        name = named[0][0] if named else "default"
    if not known:
        raise BriefpackError([Problem(display_path(branding), 0, 0, "there is no branding folder here for the report",
                                      "run briefpack returns --report in your project folder")])
    return load_brand(branding, name)


def render_report(returns: list[Return], brand_name: str | None) -> tuple[bytes, bytes]:
    """The report's PDF and Word bytes."""
    from briefpack.render.docx import render_docx
    from briefpack.render.pdf import MissingCharacters, render_pdf

    brand = report_brand(returns, brand_name)
    document = compose_report(returns, brand)
    try:
        pdf, _ = render_pdf(document, brand)
    except MissingCharacters as exc:
        problems = []
        for r in returns:
            used = sorted({c for value in r.values.values() for c in value if c in exc.characters})
            if used:
                chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in used)
                problems.append(Problem(display_path(r.path), 0, 0, f"the fonts of brand '{brand.id}' cannot draw "
                                        f"{chars} for the report", "choose another brand with --brand"))
        raise BriefpackError(problems) from None
    docx, _ = render_docx(document, brand)
    return pdf, docx
