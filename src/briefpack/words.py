"""The fixed words of a document, each the board's to change (`vocabulary: words:`), and month names.

English by default; a brand's (or a pack's) `language:` sets the document language, and Welsh month
names are built in, so a Welsh board translates the words below and nothing English is left.
"""

from __future__ import annotations

import re

WORDS = {
    "seven-minute-briefing": "7-minute briefing",
    "precis": "Précis pack",
    "leaflet": "Lessons to inform your practice",
    "learning-points": "Key learning points",
    "handout": "Training handout",
    "contents": "Contents",
    "contents_hint": "Right-click here and choose Update Field to show the contents.",
    "contacts": "Contacts",
    "local_procedures": "Local procedures",
    "sources": "Sources",
    "page": "Page {page} of {pages}",
    "scan": "Scan the code with a phone camera to open the page.",
    "telephone": "Telephone",
    "email": "Email",
    "website": "Website",
    "applies_to": "Applies to",
    "reading_time": "About {minutes} minutes to read",
    "reading_time_one": "About 1 minute to read",
    "bar_chart": "Bar chart",
    "subject": "{kind} from {board}",
    "credit": "Adapted from a briefing by {board}, {date}",
    "document_control": "Document control",
    "version": "Version",
    "owner": "Owner",
    "review_date": "Review date",
    "draft": "Draft",
    "final": "Final",
    "draft_mark": "DRAFT",
    "logo_alt": "Logo of {name}",
    "qr_alt": "QR code for {address}",
    # What following a link does, for screen readers (the PDF link's /Contents, the Word link's screen tip).
    "link_open": "Open {address}",
    "link_email": "Email {address}",
    "link_telephone": "Telephone {number}",
    "link_section": "Go to this section",
    # The team-meeting kit (briefpack build --kit).
    "kit": "Team meeting kit",
    "kit_title": "{title} – team meeting kit",
    "kit_subtitle": "Run the {pack}, record the meeting, tell the board how it went",
    "kit_subject": "Team meeting kit for a {kind} from {board}",
    "kit_facilitator": "Facilitator's page",
    # What the kit calls its pack, by the pack's kind ({pack} in the kit's words that speak of it).
    "kit_pack_seven-minute-briefing": "briefing",
    "kit_pack_precis": "précis pack",
    "kit_pack_leaflet": "leaflet",
    "kit_pack_learning-points": "learning points pack",
    "kit_pack_handout": "handout",
    "kit_goes_with": "This kit goes with the {kind} “{title}”. Fill it in on screen (PDF or Word), or print it "
                     "and write on it.",
    "kit_before": "Before the meeting",
    "kit_before_read": "Read the {pack} yourself and check the local contacts and procedures it gives.",
    "kit_before_book": "Book about 20 minutes: seven to read the briefing aloud, the rest to discuss it and agree "
                       "actions. Print the briefing for everyone, and the team record.",
    "kit_before_book_time": "Book about {meeting} minutes: about {minutes} to read it aloud, the rest to discuss it "
                            "and agree actions. Print it for everyone, and the team record.",
    "kit_during": "During the meeting",
    "kit_during_read": "Read each section aloud in about the time the plan below gives it.",
    "kit_during_discuss": "Discuss the questions on the team record and note the main points under each one.",
    "kit_during_agree": "Agree actions, each with an owner and a date. Ask everyone present to sign the attendance "
                        "table.",
    "kit_after": "After the meeting",
    "kit_after_send": "Send the team record and the feedback form to {to}. Keep a copy with your team's training "
                      "records and follow up each action by its date.",
    "kit_timing": "Timing plan",
    # The whole pack's words, as its reading time counts them: the timing plan's rows count only its sections.
    "kit_pace": "Read aloud at {pace} words a minute, the whole {pack} ({words} words) takes about {minutes} minutes.",
    "kit_pace_one": "Read aloud at {pace} words a minute, the whole {pack} ({words} words) takes about 1 minute.",
    "kit_shares": "The plan shares seven minutes between its sections by their words.",
    "kit_section_column": "Section (its words)",
    "kit_time_column": "Time to read it",
    "kit_section_words": "{section} ({words} words)",
    "kit_all_seven": "All seven sections ({words} words)",
    "kit_all": "All sections ({words} words)",
    "kit_from": "{time} (from {start})",
    "kit_minutes": "{minutes} min",
    "kit_seconds": "{seconds} s",
    "kit_record": "Team record",
    "kit_meeting_date": "Date of the meeting",
    "kit_team": "Team or service",
    "kit_facilitator_field": "Facilitator",
    "kit_attended": "Who attended",
    "kit_name": "Name",
    "kit_role": "Role",
    "kit_agency": "Agency",
    "kit_signature": "Signature",
    "kit_attendee": "Attendee {row}: {part}",
    "kit_discussion": "Discussion",
    "kit_discussion_notes": "Notes of the team's discussion of each question.",
    "kit_no_questions": "What did the team learn from this {pack}?",
    "kit_actions": "Actions agreed",
    "kit_action": "Action",
    "kit_owner": "Owner",
    "kit_by_when": "By when",
    "kit_action_row": "Action {row}",
    "kit_action_part": "Action {row}: {part}",
    "kit_feedback": "Feedback for {board_short}",
    "kit_feedback_return": "Tell the board how the {pack} worked for your team. Return this form to {to}.",
    "kit_rating": "How useful was this {pack} to your team?",
    "kit_rating_scale": "1 = not useful, 5 = very useful",
    "kit_rating_choose": "Choose or write one of {options}: {scale}.",
    "kit_do_differently": "What will the team do differently as a result?",
    "kit_support_needed": "What support does the team need from the board?",
    "kit_returns_team": "the learning and development team of {board}",
    # The returns report (briefpack returns --report), for the board's learning group.
    "report": "Meeting kit returns",
    "report_title": "What teams said about the briefings",
    "report_subject": "Meeting kit returns collected by {board}",
    "report_subtitle": "{returns} from {teams}",
    "report_returns_one": "1 return",
    "report_returns_many": "{count} returns",
    "report_teams_one": "1 team",
    "report_teams_many": "{count} teams",
    "report_returns_heading": "Returns",
    "report_briefing_column": "Briefing (brand)",
    "report_returns_column": "Returns",
    "report_all": "All briefings",
    "report_useful": "How useful teams found them",
    "report_rating_low": "1 – not useful",
    "report_rating_high": "5 – very useful",
    "report_mean": "Mean rating {mean} out of 5, from {ratings}.",
    "report_ratings_one": "1 rating",
    "report_ratings_many": "{count} ratings",
    "report_chart": "Returns by rating",
    "report_chart_alt": "Bar chart: returns by rating. {bars}.",
    "report_rating_column": "Rating",
    "report_no_rating": "No return gave a rating.",
    "report_owner": "Owner: {owner}",
    "report_by": "By: {date}",
    "report_no_date": "no date given",
    "report_team": "Team: {team}",
    "report_no_action_text": "(no action written)",
    "report_no_action": "No return listed an action.",
    "report_differently": "What teams will do differently",
    "report_support": "Support teams need",
    "report_none_said": "No return said.",
}
"""Every fixed word a document prints, by the key a brand's `vocabulary: words:` changes it with."""

PLACEHOLDERS = {
    "page": ("{page}", "{pages}"),
    "reading_time": ("{minutes}",),
    "subject": ("{kind}", "{board}"),
    "credit": ("{board}", "{date}"),
    "logo_alt": ("{name}",),
    "qr_alt": ("{address}",),
    "link_open": ("{address}",),
    "link_email": ("{address}",),
    "link_telephone": ("{number}",),
    "kit_title": ("{title}",),
    "kit_subject": ("{kind}", "{board}"),
    "kit_goes_with": ("{kind}", "{title}"),
    "kit_before_book_time": ("{meeting}", "{minutes}"),
    "kit_after_send": ("{to}",),
    "kit_pace": ("{pace}", "{words}", "{minutes}"),
    "kit_pace_one": ("{pace}", "{words}"),
    "kit_section_words": ("{section}", "{words}"),
    "kit_all_seven": ("{words}",),
    "kit_all": ("{words}",),
    "kit_from": ("{time}", "{start}"),
    "kit_minutes": ("{minutes}",),
    "kit_seconds": ("{seconds}",),
    "kit_attendee": ("{row}", "{part}"),
    "kit_action_row": ("{row}",),
    "kit_action_part": ("{row}", "{part}"),
    "kit_feedback": ("{board_short}",),
    "kit_feedback_return": ("{to}",),
    "kit_rating_choose": ("{options}", "{scale}"),
    "kit_returns_team": ("{board}",),
    "report_subject": ("{board}",),
    "report_subtitle": ("{returns}", "{teams}"),
    "report_returns_many": ("{count}",),
    "report_teams_many": ("{count}",),
    "report_mean": ("{mean}", "{ratings}"),
    "report_ratings_many": ("{count}",),
    "report_chart_alt": ("{bars}",),
    "report_owner": ("{owner}",),
    "report_by": ("{date}",),
    "report_team": ("{team}",),
}
"""What a word must keep: the renderer or compose fills these in."""

MAY_USE = {key: ("{pack}",) for key in ("kit_subtitle", "kit_before_read", "kit_pace", "kit_pace_one",
                                         "kit_no_questions", "kit_feedback_return", "kit_rating")}
"""What a word may use and need not keep: {pack} is what the kit calls its pack ('leaflet': the word
kit_pack_KIND), so a board's own sentence that says 'the briefing' for every kind of pack still works."""

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "cy": ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
           "Tachwedd", "Rhagfyr"),
}
"""Month names built in, by language; any other language names its months in `vocabulary: months:`."""

LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
"""A language tag as PDF and Word take it: 'en-GB', 'cy', 'cy-GB'."""


LINK_WORDS = ("link_open", "link_email", "link_telephone", "link_section")
"""The words a renderer itself says about a link (see markup.link_purpose)."""


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def pieces(word: str, *names: str) -> list[tuple[bool, str]]:
    """*word* (its references resolved, its own braces still escaped: compose.kept_words) cut at each placeholder
    of *names*: (True, 'page') for the placeholder {page}, (False, text) for the text between, '\\{' '\\}' read
    as braces ('Page \\{page\\} is ' is the text 'Page {page} is ')."""
    out: list[tuple[bool, str]] = []
    text: list[str] = []
    i, n = 0, len(word)
    while i < n:
        if word[i] == "\\" and i + 1 < n and word[i + 1] in "{}":
            text.append(word[i + 1])
            i += 2
            continue
        m = _PLACEHOLDER.match(word, i) if word[i] == "{" else None
        if m and m.group(1) in names:
            if text:
                out.append((False, "".join(text)))
                text.clear()
            out.append((True, m.group(1)))
            i = m.end()
            continue
        text.append(word[i])
        i += 1
    if text:
        out.append((False, "".join(text)))
    return out


def fill_in(word: str, **values: str | int) -> str:
    """A kept word (see pieces) with its placeholders of *values* filled in and its escaped braces printed as
    braces: the one way a board's word is filled in as plain text (compose.board_words, kit.said, the page label,
    the logo's and links' words), for PDF and Word alike. A value is data, put in as it is: a pack title's '{words}',
    '\\{' or '**' is never read as a placeholder, an escape or markup."""
    return "".join(str(values[t]) if is_placeholder else t for is_placeholder, t in pieces(word, *values))


def missing_placeholders(key: str, word: str) -> list[str]:
    """The placeholders ('{part}') a board's *word* for *key* must keep (PLACEHOLDERS) and does not, as fill_in
    reads it: one written '\\{part}' is text, printed as written, and never filled in."""
    names = [p.strip("{}") for p in PLACEHOLDERS.get(key, ())]
    kept = {t for is_placeholder, t in pieces(word, *names) if is_placeholder}
    return [f"{{{name}}}" for name in names if name not in kept]


def months_for(language: str) -> tuple[str, ...]:
    """The built-in month names of *language* ('cy-GB' -> Welsh), English when there are none."""
    return MONTHS.get(language.split("-")[0].lower(), MONTHS["en"])


def printed_date(date_iso: str, months: tuple[str, ...]) -> str:
    """'2017', '2017-02' or '2017-02-14' as printed: '2017', 'February 2017', '14 February 2017'."""
    parts = date_iso.split("-")
    if len(parts) == 1:
        return date_iso
    month = months[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"
