"""LinkedIn "Get a copy of your data" export (``Basic_LinkedInDataExport_MM-DD-YYYY.zip`` or
``Complete_…``): flat CSV files, some in sub-folders (``Jobs/Saved Jobs.csv``).

File names are generic (``Skills.csv``, ``Comments.csv``), so a file is claimed only when
its header is LinkedIn's and, for headers that are not distinctive on their own, its name
matches and the path (``*LinkedInDataExport*``) or the content (``linkedin.com`` links)
says LinkedIn. ``Connections.csv`` starts with a ``Notes:`` preamble before its header:
the reader skips any lines before the header row (up to 25). BOMs and empty rows
(``,,,,,,``) are tolerated. Dates differ per file (``07 Jan 2023``, ``7-Feb-22``,
``2023-05-01 14:22:10 UTC``, ``2019/03/05 14:03:08 UTC``, ``9/5/26, 1:12 AM``,
``Sat Sep 05 08:12:14 UTC 2026``, ``Jan 2025``, ``2012``); every date column goes through
one tolerant parser. Values with ``UTC`` are ``tz_known``; the others (date-only, or a
clock time without a zone) are stored as UTC wall-clock with ``tz_known=False``.

Record mapping (file -> kind, native key):

* ``Connections.csv`` -> ``contact`` (third party), key ``connection:<profile URL>`` (or
  ``connection:<name>|<date>`` when the URL is missing); timestamp ``Connected On``.
* ``Positions.csv`` -> ``profile`` tagged ``position``, title ``Title at Company``,
  timestamp ``Started On``; key ``position:<company>|<title>|<started on>``.
* ``Profile.csv`` -> ``profile`` (name, headline, summary; no address or birth date);
  ``Skills.csv`` / ``Languages.csv`` -> one ``profile`` per skill / language;
  ``Education.csv`` -> ``profile`` tagged ``education``.
* ``messages.csv`` (and ``guide_messages.csv``, ``learning_role_play_messages.csv``) ->
  ``message``, creator ``FROM``; LinkedIn gives no message id, so the key is
  ``message:<conversation id>|<date>|<sender>|<hash of the content>``. HTML content is
  reduced to text. Whose messages are the user's: the user's profile is in
  ``Profile.csv``, which cannot be read here, so the file is read twice and the user is
  the one profile URL present (as sender or recipient) in every message; when that is
  ambiguous every message is ``third_party`` and tagged neither ``sent`` nor ``received``.
* ``Invitations.csv`` -> ``activity`` (incoming ones are third party);
  ``Endorsement_Received_Info.csv`` / ``Endorsement_Given_Info.csv`` -> ``activity``;
  ``Recommendations_Received.csv`` / ``Recommendations_Given.csv`` -> ``review``.
* ``Shares.csv`` (also ``Shares_<member id>.csv``) -> ``post``, key ``share:<ShareLink>``;
  ``Comments.csv`` -> ``comment``; ``Reactions.csv`` -> ``like``; ``SearchQueries.csv`` ->
  ``search``; ``Company Follows.csv`` / ``Member_Follows.csv`` -> ``follow``;
  ``Jobs/Saved Jobs.csv`` -> ``save``; ``Jobs/Job Applications.csv`` -> ``activity``.

Ad targeting, inferences, registration, e-mail addresses, phone numbers, rich media,
learning, ads, logins, receipts, imported contacts and the like are known and not
indexed. Keys use LinkedIn's URLs and names, so the same item in two exports collapses;
a renamed connection or company, or a changed profile URL, makes a new record.
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import parse_iso, plausible

SOURCE = "linkedin"

#: Lines that may precede the header row (the ``Notes:`` preamble is about 3).
_MAX_PREAMBLE_LINES = 25

_NOT_INDEXED = "known, not indexed"

Row = dict[str, str]


@dataclass(frozen=True)
class _Spec:
    """One LinkedIn file: how to recognise it and how to turn a row into a record."""

    kind: str
    #: Lower-case file names (a trailing ``_<digits>`` member id is allowed).
    names: tuple[str, ...]
    #: Header columns that must all be present.
    columns: tuple[str, ...]
    #: Whether the header alone identifies the file (no name or path check needed).
    distinctive: bool


SPECS: tuple[_Spec, ...] = (
    _Spec("connections", ("connections",), ("First Name", "Last Name", "Connected On"), True),
    _Spec(
        "messages",
        ("messages", "guide_messages", "learning_role_play_messages"),
        ("CONVERSATION ID", "FROM", "DATE", "CONTENT"),
        True,
    ),
    _Spec(
        "positions",
        ("positions",),
        ("Company Name", "Title", "Started On", "Finished On"),
        True,
    ),
    _Spec("profile", ("profile",), ("First Name", "Last Name", "Headline", "Summary"), True),
    _Spec("skills", ("skills",), ("Name",), False),
    _Spec("languages", ("languages",), ("Name", "Proficiency"), False),
    _Spec(
        "education",
        ("education",),
        ("School Name", "Start Date", "End Date", "Degree Name"),
        True,
    ),
    _Spec("invitations", ("invitations",), ("From", "To", "Sent At", "Direction"), True),
    _Spec(
        "endorsement_received",
        ("endorsement_received_info",),
        ("Endorsement Date", "Skill Name", "Endorser First Name", "Endorser Last Name"),
        True,
    ),
    _Spec(
        "endorsement_given",
        ("endorsement_given_info",),
        ("Endorsement Date", "Skill Name", "Endorsee First Name", "Endorsee Last Name"),
        True,
    ),
    _Spec(
        "recommendations_received",
        ("recommendations_received",),
        ("First Name", "Last Name", "Text", "Creation Date"),
        False,
    ),
    _Spec(
        "recommendations_given",
        ("recommendations_given",),
        ("First Name", "Last Name", "Text", "Creation Date"),
        False,
    ),
    _Spec("shares", ("shares",), ("Date", "ShareLink", "ShareCommentary"), True),
    _Spec("comments", ("comments",), ("Date", "Link", "Message"), False),
    _Spec("reactions", ("reactions",), ("Date", "Type", "Link"), False),
    _Spec("searches", ("searchqueries",), ("Time", "Search Query"), False),
    _Spec("company_follows", ("company follows",), ("Organization", "Followed On"), True),
    _Spec("member_follows", ("member_follows",), ("Date", "FullName"), False),
    _Spec(
        "saved_jobs",
        ("saved jobs",),
        ("Saved Date", "Job Url", "Job Title", "Company Name"),
        True,
    ),
    _Spec(
        "job_applications",
        ("job applications",),
        ("Application Date", "Company Name", "Job Title"),
        True,
    ),
)

#: Known files that are not indexed, claimed anywhere (distinctive names).
_DISTINCTIVE_IGNORED: dict[str, str] = {
    "ad_targeting": f"LinkedIn ad targeting: {_NOT_INDEXED}",
    "inferences_about_you": f"LinkedIn inferences about you: {_NOT_INDEXED}",
    "lan ads engagement": f"LinkedIn ads engagement: {_NOT_INDEXED}",
    "ads clicked": f"LinkedIn ads clicked: {_NOT_INDEXED}",
    "rich media": f"LinkedIn rich media list: {_NOT_INDEXED}",
    "rich_media": f"LinkedIn rich media list: {_NOT_INDEXED}",
    "private_identity_asset": f"LinkedIn identity documents: {_NOT_INDEXED}",
    "savedjobalerts": f"LinkedIn saved job alerts: {_NOT_INDEXED}",
    "job seeker preferences": f"LinkedIn job seeker preferences: {_NOT_INDEXED}",
    "whatsapp phone numbers": f"LinkedIn phone numbers: {_NOT_INDEXED}",
    "job applicant saved answers": f"LinkedIn job application answers: {_NOT_INDEXED}",
    "job applicant saved screening question responses": (
        f"LinkedIn job application answers: {_NOT_INDEXED}"
    ),
}
#: Known files with generic names, claimed only under a LinkedIn-looking path.
_GENERIC_IGNORED: dict[str, str] = {
    "registration": f"LinkedIn registration: {_NOT_INDEXED}",
    "email addresses": f"LinkedIn e-mail addresses: {_NOT_INDEXED}",
    "phonenumbers": f"LinkedIn phone numbers: {_NOT_INDEXED}",
    "learning": f"LinkedIn Learning history: {_NOT_INDEXED}",
    "contacts": f"LinkedIn imported address book: {_NOT_INDEXED}",
    "receipts": f"LinkedIn receipts: {_NOT_INDEXED}",
    "receipts_v2": f"LinkedIn receipts: {_NOT_INDEXED}",
    "logins": f"LinkedIn login history: {_NOT_INDEXED}",
    "security challenges": f"LinkedIn security challenges: {_NOT_INDEXED}",
    "profile summary": f"LinkedIn profile summary (also in Profile.csv): {_NOT_INDEXED}",
    "events": f"LinkedIn events: {_NOT_INDEXED}",
    "projects": f"LinkedIn projects: {_NOT_INDEXED}",
    "publications": f"LinkedIn publications: {_NOT_INDEXED}",
    "honors": f"LinkedIn honors: {_NOT_INDEXED}",
    "courses": f"LinkedIn courses: {_NOT_INDEXED}",
    "certifications": f"LinkedIn certifications: {_NOT_INDEXED}",
    "volunteering": f"LinkedIn volunteering: {_NOT_INDEXED}",
    "causes you care about": f"LinkedIn causes: {_NOT_INDEXED}",
    "hashtag_follows": f"LinkedIn hashtag follows: {_NOT_INDEXED}",
    "groups": f"LinkedIn groups: {_NOT_INDEXED}",
    "votes": f"LinkedIn poll votes: {_NOT_INDEXED}",
    "verifications": f"LinkedIn verifications: {_NOT_INDEXED}",
    "instant messengers": f"LinkedIn messenger handles: {_NOT_INDEXED}",
}


def _stem(file: ExportFile) -> str:
    """Lower-case file name without ``.csv``, a ``_<member id>`` suffix and `` (1)``."""
    stem = file.name.casefold().removesuffix(".csv")
    stem = re.sub(r"\s*\(\d+\)$", "", stem)
    return re.sub(r"_\d{5,}$", "", stem)


def _linkedin_path(file: ExportFile) -> bool:
    """True when a folder or the archive name says LinkedIn."""
    folders = file.relpath.casefold().split("/")[:-1]
    return any("linkedin" in f for f in folders) or "linkedin" in (file.archive or "").casefold()


def _parse_header_line(line: str) -> list[str]:
    try:
        cells = next(csv.reader([line]))
    except (StopIteration, csv.Error):
        return []
    return [c.strip().lstrip("\ufeff") for c in cells]


def _peek_header(file: ExportFile) -> list[str]:
    """The header row from the peek, skipping a ``Notes:`` preamble."""
    lines = file.peek_text().splitlines()
    if not lines:
        return []
    if not lines[0].strip().casefold().startswith("notes:"):
        return _parse_header_line(lines[0])
    for line in lines[1:_MAX_PREAMBLE_LINES]:
        cells = _parse_header_line(line)
        if "First Name" in cells or len(cells) >= 3:
            return cells
    return []


def _spec_for(file: ExportFile) -> _Spec | None:
    """The spec this file matches, or None (see the module docstring for the rules)."""
    if file.suffix != ".csv":
        return None
    header = set(_peek_header(file))
    if not header:
        return None
    stem = _stem(file)
    hinted: bool | None = None
    for spec in SPECS:
        if not set(spec.columns) <= header:
            continue
        if spec.distinctive:
            return spec
        if stem in spec.names:
            if hinted is None:
                hinted = _linkedin_path(file) or "linkedin.com" in file.peek_text()
            if hinted or (spec.kind == "skills" and header == {"Name"}):
                return spec
    return None


class LinkedInConnector:
    """Reads the CSV files of a LinkedIn data export."""

    name = "linkedin"
    description = (
        "LinkedIn data export: connections, messages, positions, skills, education, "
        "invitations, endorsements, recommendations, posts, comments, reactions, "
        "searches and follows (CSV)"
    )

    def recognise(self, file: ExportFile) -> float:
        """0.9 for a LinkedIn file name with its header (or a LinkedIn path), 0.75 for a
        distinctive LinkedIn header under another name, 0.6 for a bare ``Skills.csv``
        (``Name`` only) outside a LinkedIn path; 0 otherwise."""
        spec = _spec_for(file)
        if spec is None:
            return 0.0
        if _stem(file) in spec.names:
            if spec.kind == "skills" and not _linkedin_path(file):
                return 0.6
            return 0.9
        return 0.9 if _linkedin_path(file) else 0.75

    def known_ignored(self, file: ExportFile) -> str | None:
        """Why a known LinkedIn file is not indexed, or None."""
        stem = _stem(file)
        if file.suffix == ".csv" and stem in _DISTINCTIVE_IGNORED:
            return _DISTINCTIVE_IGNORED[stem]
        if not _linkedin_path(file):
            return None
        if file.suffix == ".csv" and stem in _GENERIC_IGNORED:
            return _GENERIC_IGNORED[stem]
        if file.suffix in (".html", ".htm"):
            return "LinkedIn articles: not read yet"
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream records from one LinkedIn CSV, chosen by its header and name."""
        spec = _spec_for(file)
        if spec is None:
            header = _peek_header(file)
            raise ParseError(
                f"not a LinkedIn export CSV: unexpected header {', '.join(header[:8]) or '(none)'}"
            )
        if spec.kind == "messages":
            yield from _parse_messages(file, spec)
            return
        build = _BUILDERS[spec.kind]
        for line, row in iter_rows(file, spec.columns):
            try:
                record = build(row, line)
            except _RowError as exc:
                yield ParseIssue(str(exc), str(line))
                continue
            if record is not None:
                yield record


# -- reading ---------------------------------------------------------------------------


def iter_rows(file: ExportFile, required: tuple[str, ...]) -> Iterator[tuple[int, Row]]:
    """Stream ``(line number, row)`` by header name, skipping any preamble before the
    header (the first line holding every ``required`` column); empty rows are skipped."""
    with file.open_text(newline="") as fh:
        header: list[str] | None = None
        skipped = 0
        for _ in range(_MAX_PREAMBLE_LINES):
            line = fh.readline()
            if not line:
                break
            skipped += 1
            cells = _parse_header_line(line)
            if set(required) <= set(cells):
                header = cells
                break
        if header is None:
            raise ParseError(f"missing CSV column(s): no header row with {', '.join(required)}")
        reader = csv.reader(fh)
        try:
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                yield skipped + reader.line_num, dict(zip(header, row, strict=False))
        except csv.Error as exc:
            raise ParseError(f"malformed CSV near line {skipped + reader.line_num}: {exc}") from exc


class _RowError(ValueError):
    """A row that cannot become a record; becomes a ParseIssue."""


def _cell(row: Row, column: str) -> str | None:
    """A stripped cell, or None when missing or empty."""
    value = (row.get(column) or "").strip()
    return value or None


_DATE_FORMATS: tuple[tuple[str, bool], ...] = (
    ("%a %b %d %H:%M:%S UTC %Y", True),
    ("%Y/%m/%d %H:%M:%S UTC", True),
    ("%d %b %Y", False),
    ("%d %B %Y", False),
    ("%d-%b-%y", False),
    ("%d-%b-%Y", False),
    ("%m/%d/%y, %I:%M %p", False),
    ("%m/%d/%Y, %I:%M %p", False),
    ("%m/%d/%y %I:%M %p", False),
    ("%m/%d/%y", False),
    ("%m/%d/%Y", False),
    ("%Y/%m/%d", False),
    ("%b %Y", False),
    ("%B %Y", False),
    ("%Y", False),
)


def parse_date(raw: str) -> tuple[datetime, bool]:
    """Any LinkedIn date -> (UTC datetime, tz_known); raises ValueError."""
    text = " ".join(raw.split())
    if not text:
        raise ValueError("empty date")
    try:
        return parse_iso(text)
    except ValueError:
        pass
    for fmt, tz_known in _DATE_FORMATS:
        try:
            dt = datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
        if not plausible(dt):
            raise ValueError(f"implausible date {raw!r}")
        return dt, tz_known
    raise ValueError(f"unrecognised date {raw!r}")


def _date(row: Row, column: str, *, required: bool) -> tuple[datetime | None, bool]:
    """The date in ``column``; a bad value raises :class:`_RowError`, a missing one
    too when ``required``."""
    raw = _cell(row, column)
    if raw is None:
        if required:
            raise _RowError(f"missing {column}")
        return None, True
    try:
        return parse_date(raw)
    except ValueError:
        raise _RowError(f"bad {column} {raw!r}") from None


def _norm(value: str | None) -> str:
    """A key part: case-folded, whitespace collapsed."""
    return " ".join((value or "").casefold().split())


def _url_key(url: str | None) -> str | None:
    """A profile URL normalised for keys (scheme, ``www.`` and trailing ``/`` dropped)."""
    if not url:
        return None
    value = url.strip().casefold()
    value = re.sub(r"^https?://", "", value).removeprefix("www.")
    return value.rstrip("/") or None


def _absolute(url: str | None) -> str | None:
    """``www.linkedin.com/in/x`` -> ``https://www.linkedin.com/in/x``."""
    if not url:
        return None
    return url if re.match(r"^https?://", url) else f"https://{url}"


def _full_name(first: str | None, last: str | None) -> str | None:
    name = " ".join(p for p in (first, last) if p)
    return name or None


_BR_RE = re.compile(r"<br\s*/?>|</p\s*>|</div\s*>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]+>")


def html_to_text(value: str | None) -> str | None:
    """Message content that may be HTML -> plain text."""
    if not value:
        return None
    if "<" in value and ">" in value:
        value = _TAG_RE.sub("", _BR_RE.sub("\n", value))
    return html.unescape(value)


# -- builders, one per file ------------------------------------------------------------


def _connection(row: Row, line: int) -> Record:
    name = _full_name(_cell(row, "First Name"), _cell(row, "Last Name"))
    url = _cell(row, "URL")
    if name is None and url is None:
        raise _RowError("connection without a name or profile URL")
    when, tz_known = _date(row, "Connected On", required=False)
    company, position = _cell(row, "Company"), _cell(row, "Position")
    role = " at ".join(p for p in (position, company) if p) or None
    key = _url_key(url) or f"{_norm(name)}|{when.date().isoformat() if when else ''}"
    return Record.create(
        SOURCE,
        "contact",
        f"connection:{key}",
        timestamp=when,
        tz_known=tz_known,
        title=name or url,
        text=role,
        url=_absolute(url),
        tags=["connection"],
        extra={"company": company, "position": position, "email": _cell(row, "Email Address")},
        position=line,
        third_party=True,
    )


def _position(row: Row, line: int) -> Record:
    company, title = _cell(row, "Company Name"), _cell(row, "Title")
    if company is None and title is None:
        raise _RowError("position without a company or title")
    started, tz_known = _date(row, "Started On", required=False)
    _date(row, "Finished On", required=False)  # validates it
    return Record.create(
        SOURCE,
        "profile",
        f"position:{_norm(company)}|{_norm(title)}|{_norm(_cell(row, 'Started On'))}",
        timestamp=started,
        tz_known=tz_known,
        title=" at ".join(p for p in (title, company) if p),
        text=_cell(row, "Description"),
        creator=company,
        tags=["position"],
        extra={
            "company": company,
            "role": title,
            "location": _cell(row, "Location"),
            "started_on": _cell(row, "Started On"),
            "finished_on": _cell(row, "Finished On"),
        },
        position=line,
    )


def _profile(row: Row, line: int) -> Record:
    name = _full_name(_cell(row, "First Name"), _cell(row, "Last Name"))
    if name is None:
        raise _RowError("profile without a name")
    headline = _cell(row, "Headline")
    return Record.create(
        SOURCE,
        "profile",
        f"profile:{_norm(name)}",
        title=f"{name} — {headline}" if headline else name,
        text=_cell(row, "Summary"),
        tags=["account"],
        extra={
            "name": name,
            "headline": headline,
            "industry": _cell(row, "Industry"),
            "location": _cell(row, "Geo Location"),
            "websites": _cell(row, "Websites"),
            "twitter": _cell(row, "Twitter Handles"),
        },
        position=line,
    )


def _named_fact(tag: str, detail: str | None = None) -> Callable[[Row, int], Record]:
    """A builder for one-name-per-row files (skills, languages)."""

    def build(row: Row, line: int) -> Record:
        name = _cell(row, "Name")
        if name is None:
            raise _RowError(f"{tag} without a name")
        return Record.create(
            SOURCE,
            "profile",
            f"{tag}:{_norm(name)}",
            title=name,
            text=_cell(row, detail) if detail else None,
            tags=[tag],
            position=line,
        )

    return build


def _education(row: Row, line: int) -> Record:
    school = _cell(row, "School Name")
    if school is None:
        raise _RowError("education without a school name")
    started, tz_known = _date(row, "Start Date", required=False)
    degree = _cell(row, "Degree Name")
    notes = [p for p in (_cell(row, "Notes"), _cell(row, "Activities")) if p]
    return Record.create(
        SOURCE,
        "profile",
        f"education:{_norm(school)}|{_norm(_cell(row, 'Start Date'))}",
        timestamp=started,
        tz_known=tz_known,
        title=f"{degree}, {school}" if degree else school,
        text="\n\n".join(notes) or None,
        creator=school,
        tags=["education"],
        extra={"degree": degree, "end_date": _cell(row, "End Date")},
        position=line,
    )


def _invitation(row: Row, line: int) -> Record:
    sender, recipient = _cell(row, "From"), _cell(row, "To")
    when, tz_known = _date(row, "Sent At", required=True)
    direction = (_cell(row, "Direction") or "").casefold()
    incoming = direction == "incoming"
    title = f"Invitation from {sender}" if incoming else f"Invitation to {recipient}"
    return Record.create(
        SOURCE,
        "activity",
        f"invitation:{_norm(sender)}|{_norm(recipient)}|{_norm(_cell(row, 'Sent At'))}",
        timestamp=when,
        tz_known=tz_known,
        title=title,
        text=_cell(row, "Message"),
        creator=sender,
        tags=["invitation"] + ([direction] if direction else []),
        extra={
            "from": sender,
            "to": recipient,
            "inviter_url": _cell(row, "inviterProfileUrl"),
            "invitee_url": _cell(row, "inviteeProfileUrl"),
        },
        position=line,
        third_party=incoming,
    )


def _endorsement(received: bool) -> Callable[[Row, int], Record]:
    role = "Endorser" if received else "Endorsee"

    def build(row: Row, line: int) -> Record:
        skill = _cell(row, "Skill Name")
        person = _full_name(_cell(row, f"{role} First Name"), _cell(row, f"{role} Last Name"))
        if skill is None or person is None:
            raise _RowError("endorsement without a skill or a person")
        when, tz_known = _date(row, "Endorsement Date", required=False)
        url = _cell(row, f"{role} Public Url")
        who = _url_key(url) or _norm(person)
        direction = "received" if received else "given"
        return Record.create(
            SOURCE,
            "activity",
            f"endorsement-{direction}:{_norm(skill)}|{who}",
            timestamp=when,
            tz_known=tz_known,
            title=f"{person} endorsed you for {skill}"
            if received
            else f"Endorsed {person} for {skill}",
            url=_absolute(url),
            creator=person,
            tags=["endorsement", direction],
            extra={"skill": skill, "status": _cell(row, "Endorsement Status")},
            position=line,
            third_party=received,
        )

    return build


def _recommendation(received: bool) -> Callable[[Row, int], Record]:
    def build(row: Row, line: int) -> Record:
        person = _full_name(_cell(row, "First Name"), _cell(row, "Last Name"))
        if person is None:
            raise _RowError("recommendation without a person")
        when, tz_known = _date(row, "Creation Date", required=False)
        direction = "received" if received else "given"
        return Record.create(
            SOURCE,
            "review",
            f"recommendation-{direction}:{_norm(person)}|{_norm(_cell(row, 'Creation Date'))}",
            timestamp=when,
            tz_known=tz_known,
            title=f"Recommendation from {person}" if received else f"Recommendation for {person}",
            text=_cell(row, "Text"),
            creator=person,
            tags=["recommendation", direction],
            extra={
                "company": _cell(row, "Company"),
                "job_title": _cell(row, "Job Title"),
                "status": _cell(row, "Status"),
            },
            position=line,
            third_party=received,
        )

    return build


def _share(row: Row, line: int) -> Record:
    when, tz_known = _date(row, "Date", required=True)
    link = _cell(row, "ShareLink")
    shared = _cell(row, "SharedUrl")
    return Record.create(
        SOURCE,
        "post",
        f"share:{link or _cell(row, 'Date')}",
        timestamp=when,
        tz_known=tz_known,
        title="LinkedIn post" if not shared else "LinkedIn post sharing a link",
        text=_cell(row, "ShareCommentary"),
        url=link,
        extra={
            "shared_url": shared,
            "media_url": _cell(row, "MediaUrl"),
            "visibility": _cell(row, "Visibility"),
        },
        position=line,
    )


def _comment(row: Row, line: int) -> Record:
    when, tz_known = _date(row, "Date", required=True)
    link = _cell(row, "Link")
    return Record.create(
        SOURCE,
        "comment",
        f"comment:{link or ''}|{_cell(row, 'Date')}",
        timestamp=when,
        tz_known=tz_known,
        title="Comment on LinkedIn",
        text=_cell(row, "Message"),
        url=link,
        position=line,
    )


def _reaction(row: Row, line: int) -> Record:
    link = _cell(row, "Link")
    if link is None:
        raise _RowError("reaction without a link")
    when, tz_known = _date(row, "Date", required=False)
    kind = (_cell(row, "Type") or "like").casefold()
    return Record.create(
        SOURCE,
        "like",
        f"reaction:{link}",
        timestamp=when,
        tz_known=tz_known,
        title=f"Reacted '{kind}' to a LinkedIn post",
        url=link,
        tags=["reaction", kind],
        position=line,
        third_party=True,
    )


def _search(row: Row, line: int) -> Record:
    query = _cell(row, "Search Query")
    if query is None:
        raise _RowError("search without a query")
    when, tz_known = _date(row, "Time", required=True)
    return Record.create(
        SOURCE,
        "search",
        f"search:{_cell(row, 'Time')}|{query}",
        timestamp=when,
        tz_known=tz_known,
        title=query,
        position=line,
    )


def _company_follow(row: Row, line: int) -> Record:
    org = _cell(row, "Organization")
    if org is None:
        raise _RowError("company follow without an organization")
    when, tz_known = _date(row, "Followed On", required=False)
    return Record.create(
        SOURCE,
        "follow",
        f"company:{_norm(org)}",
        timestamp=when,
        tz_known=tz_known,
        title=org,
        creator=org,
        tags=["company"],
        position=line,
    )


def _member_follow(row: Row, line: int) -> Record:
    name = _cell(row, "FullName")
    if name is None:
        raise _RowError("member follow without a name")
    when, tz_known = _date(row, "Date", required=False)
    return Record.create(
        SOURCE,
        "follow",
        f"member:{_norm(name)}",
        timestamp=when,
        tz_known=tz_known,
        title=name,
        creator=name,
        tags=["member"],
        extra={"status": _cell(row, "Status")},
        position=line,
    )


def _saved_job(row: Row, line: int) -> Record:
    title, company = _cell(row, "Job Title"), _cell(row, "Company Name")
    url = _cell(row, "Job Url")
    if title is None and url is None:
        raise _RowError("saved job without a title or URL")
    when, tz_known = _date(row, "Saved Date", required=False)
    return Record.create(
        SOURCE,
        "save",
        f"saved-job:{url or _norm(title) + '|' + _norm(company)}",
        timestamp=when,
        tz_known=tz_known,
        title=" at ".join(p for p in (title, company) if p),
        url=url,
        creator=company,
        tags=["job"],
        position=line,
    )


def _job_application(row: Row, line: int) -> Record:
    title, company = _cell(row, "Job Title"), _cell(row, "Company Name")
    when, tz_known = _date(row, "Application Date", required=True)
    url = _cell(row, "Job Url")
    job = url or f"{_norm(title)}|{_norm(company)}"
    return Record.create(
        SOURCE,
        "activity",
        f"job-application:{job}|{_cell(row, 'Application Date')}",
        timestamp=when,
        tz_known=tz_known,
        title="Applied: " + " at ".join(p for p in (title, company) if p),
        url=url,
        creator=company,
        tags=["job", "application"],
        extra={"resume": _cell(row, "Resume Name")},
        position=line,
    )


_BUILDERS: dict[str, Callable[[Row, int], Record | None]] = {
    "connections": _connection,
    "positions": _position,
    "profile": _profile,
    "skills": _named_fact("skill"),
    "languages": _named_fact("language", "Proficiency"),
    "education": _education,
    "invitations": _invitation,
    "endorsement_received": _endorsement(received=True),
    "endorsement_given": _endorsement(received=False),
    "recommendations_received": _recommendation(received=True),
    "recommendations_given": _recommendation(received=False),
    "shares": _share,
    "comments": _comment,
    "reactions": _reaction,
    "searches": _search,
    "company_follows": _company_follow,
    "member_follows": _member_follow,
    "saved_jobs": _saved_job,
    "job_applications": _job_application,
}


# -- messages --------------------------------------------------------------------------


def _participants(row: Row) -> set[str]:
    """Normalised profile URLs of a message's sender and recipients."""
    urls = [_cell(row, "SENDER PROFILE URL")]
    urls.extend((_cell(row, "RECIPIENT PROFILE URLS") or "").split(","))
    return {key for key in (_url_key(u) for u in urls) if key}


def _message_owner(file: ExportFile, spec: _Spec) -> str | None:
    """The user's profile URL key: present in every message (see the module docstring)."""
    common: set[str] | None = None
    for _, row in iter_rows(file, spec.columns):
        if _cell(row, "SENDER PROFILE URL") is None:
            continue
        people = _participants(row)
        common = people if common is None else common & people
        if not common:
            return None
    if common is not None and len(common) == 1:
        return next(iter(common))
    return None


def _parse_messages(file: ExportFile, spec: _Spec) -> Iterator[Record | ParseIssue]:
    owner = _message_owner(file, spec)
    for line, row in iter_rows(file, spec.columns):
        try:
            when, tz_known = _date(row, "DATE", required=True)
        except _RowError as exc:
            yield ParseIssue(str(exc), str(line))
            continue
        sender = _cell(row, "FROM")
        sender_url = _cell(row, "SENDER PROFILE URL")
        content = html_to_text(_cell(row, "CONTENT"))
        conversation = _cell(row, "CONVERSATION ID") or ""
        digest = hashlib.blake2b((content or "").encode(), digest_size=6).hexdigest()
        tags = ["dm"]
        sender_key = _url_key(sender_url)
        if owner is not None and sender_key is not None:
            own = sender_key == owner
            tags.append("sent" if own else "received")
            third_party = not own
        else:
            third_party = True
        if (_cell(row, "IS MESSAGE DRAFT") or "").casefold() in ("yes", "true"):
            tags.append("draft")
        subject = _cell(row, "SUBJECT") or _cell(row, "CONVERSATION TITLE")
        yield Record.create(
            SOURCE,
            "message",
            f"message:{conversation}|{_cell(row, 'DATE')}|{sender_key or _norm(sender)}|{digest}",
            timestamp=when,
            tz_known=tz_known,
            title=subject or (f"LinkedIn message from {sender}" if sender else "LinkedIn message"),
            text=content,
            creator=sender,
            tags=tags,
            extra={
                "conversation_id": conversation,
                "to": _cell(row, "TO"),
                "sender_url": sender_url,
                "folder": _cell(row, "FOLDER"),
                "attachments": _cell(row, "ATTACHMENTS"),
            },
            position=line,
            third_party=third_party,
        )


CONNECTORS = [LinkedInConnector()]
