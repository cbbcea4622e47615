"""The returns report: a short branded summary of the collected kits, for a board's learning group.

Composed here into an ordinary Document (counts, a rating chart with its table, the actions, what teams
will do differently and the support they need) and rendered by the same two renderers as every briefing.
"""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

from briefpack import kit
from briefpack.document import Bar, BulletList, Chart, Document, Heading, Item, Para, Table, TitleBlock, TopBlock
from briefpack.errors import BriefpackError, Problem, display_path
from briefpack.markup import Span
from briefpack.model import Brand
from briefpack.returns import Return, actions_due, pack_label

RATING_LABELS = {"1": "1 – not useful", "2": "2", "3": "3", "4": "4", "5": "5 – very useful"}


def team_of(r: Return) -> str:
    return r.get("team") or display_path(r.path)


def compose_report(returns: list[Return], brand: Brand) -> Document:
    """The report of *returns* in *brand*."""
    teams = len({team_of(r) for r in returns})
    n = len(returns)
    blocks: list[TopBlock] = [TitleBlock(
        kicker="Meeting kit returns", title="What teams said about the briefings",
        subtitle=f"{n} return{'s' if n != 1 else ''} from {teams} team{'s' if teams != 1 else ''}", date="")]
    per_pack = Counter(pack_label(r) for r in returns)
    blocks += [Heading("Returns", 1),
               Table(("Briefing (brand)", "Returns"), tuple((label, str(k)) for label, k in per_pack.items())
                     + (("All briefings", str(n)),))]
    counts = Counter(r.get("rating") for r in returns if r.rating is not None)
    ratings = [r.rating for r in returns if r.rating is not None]
    blocks.append(Heading("How useful teams found them", 1))
    if ratings:
        bars = tuple(Bar(RATING_LABELS[v], counts[v], str(counts[v])) for v in kit.RATINGS)
        alt = "Bar chart: returns by rating. " + "; ".join(f"{b.label}: {b.text}" for b in bars) + "."
        blocks += [Para((Span(f"Mean rating {statistics.mean(ratings):.1f} out of 5, from {len(ratings)} "
                              f"rating{'s' if len(ratings) != 1 else ''}."),)),
                   Chart("Returns by rating", alt, bars),
                   Table(("Rating", "Returns"), tuple((b.label, b.text) for b in bars))]
    else:
        blocks.append(Para((Span("No return gave a rating."),)))
    due = actions_due(returns)
    blocks.append(Heading("Actions agreed", 1))
    if due:
        items = []
        for action, r in due:
            details = " · ".join(x for x in (f"Owner: {action.owner}" if action.owner else "",
                                             f"By: {action.by or 'no date given'}",
                                             f"Team: {team_of(r)}") if x)
            items.append(Item((Span(action.text or "(no action written)", bold=True),), ((Span(details),),)))
        blocks.append(BulletList(tuple(items)))
    else:
        blocks.append(Para((Span("No return listed an action."),)))
    for title, name in (("What teams will do differently", kit.DO_DIFFERENTLY),
                        ("Support teams need", kit.SUPPORT_NEEDED)):
        said = [(r.get(name), team_of(r)) for r in returns if r.get(name)]
        blocks.append(Heading(title, 1))
        if said:
            blocks.append(BulletList(tuple(Item((Span(text),), ((Span(f"Team: {team}"),),)) for text, team in said)))
        else:
            blocks.append(Para((Span("No return said."),)))
    return Document(title="Meeting kit returns", kind="report", layout="linear",
                    subject=f"Meeting kit returns collected by {brand.name}", author=brand.name, keywords=(),
                    language=brand.language, date="", date_iso="", footer=f"{brand.name} · Meeting kit returns",
                    blocks=tuple(blocks), header=f"{brand.short_name} · Meeting kit returns",
                    page_label=brand.word("page"), logo_alt=brand.word("logo_alt"),
                    link_words=brand.link_words())


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
