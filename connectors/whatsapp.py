"""WhatsApp chat exports (``.txt``), from Android and iOS.

Delivery: Android writes ``WhatsApp Chat with <name>.txt`` (the phrase is translated:
``WhatsApp Chat mit …``, ``Chat de WhatsApp con …``); iOS writes ``WhatsApp Chat - <name>.zip``
holding ``_chat.txt`` plus media (discovery reads the zip in place). One file is one chat.

Line format: a message starts a line with a date and a time, continuation lines have no
prefix. Android: ``DD/MM/YY, HH:MM - Name: text``; iOS: ``[DD/MM/YYYY, HH:MM:SS] Name: text``.
Locales vary the date order (day-first, month-first, year-first), the separators
(``/ . -``), 2- or 4-digit years, 12 h clocks (``PM``, ``p. m.``, with U+202F or U+00A0
before them) and extras such as the Finnish ``klo``. The day/month order is inferred from
the WHOLE file (any first field > 12 means day-first, any second field > 12 month-first;
when no field tells, the order whose dates run forward wins, then day-first), so the file
is read twice: once for the date prefixes and the senders, once to parse.

Record mapping: one ``message`` per chat message; ``creator`` is the sender, ``title``
``"<sender> in “<chat>” (WhatsApp)"``, ``text`` the message (continuation lines joined with
newlines). The chat name comes from the file name (or the iOS zip's name), else from the
participants. ``extra``: ``chat``, ``chat_type`` (``group`` when group events appear or more
than two people write, else ``private``), ``participants`` (names, at most 20, with
``participants_total``), ``media``, ``media_type``, ``edited``. Media placeholders
(``<Media omitted>``, ``image omitted``, ``<attached: …>``, ``IMG-….jpg (file attached)``)
become ``"[media: image]"`` (plus any caption). Timestamps are device wall-clock time with no
zone: stored as if UTC with ``tz_known=False``.

Dropped on purpose (they carry no content; chat-miner drops them too): system lines
(no ``Name:`` part, or the iOS ``Name: ‎<system text>`` form marked by U+200E), deleted
messages (``This message was deleted.``, ``You deleted this message.``) and empty
``Name:.`` lines (disappearing / view-once messages).

``third_party`` is always False: a chat export does not say which participant is the
account owner (``You`` only appears in system lines).

Native key (WhatsApp has no message ids)::

    f"{chat}|{minute}|{sender}|{sha1(text)[:12]}|{n}"

with chat and sender case-folded, the wall-clock time truncated to the minute (Android
has no seconds, so the same message exported from iOS and Android can meet), and ``n``
counting identical messages from the same sender in the same minute, in file order. A
later export of the same chat with more history gives the overlapping messages the same
ids. Limits: renaming the chat (or the file it is named from) changes every id; an export
whose first minute is cut in the middle of identical repeated messages numbers them
differently; media placeholders differ between iOS and Android, so media messages only
meet within one platform.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import plausible

SOURCE = "whatsapp"

#: At most this many participant names are kept in each record's ``extra``.
MAX_PARTICIPANTS = 20

#: Invisible direction marks removed from every line.
_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"), None)
#: Odd spaces folded to a plain space.
_SPACES = dict.fromkeys(map(ord, "\u202f\u00a0\u2009\u2007"), " ")

_HEADER_RE = re.compile(
    r"""^\[?
    (?P<d1>\d{1,4})(?P<sep>[./-])\ ?(?P<d2>\d{1,2})(?P=sep)\ ?(?P<d3>\d{2,4})(?P<dot>\.)?
    ,?\ (?:klo\ )?
    (?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?
    (?:\ ?(?P<ampm>[AaPp]\.?\ ?[Mm]\.?))?
    (?P<end>\]\ ?|\ [-–]\ |\ )
    (?P<rest>.*)$""",
    re.VERBOSE,
)

#: The chat name in an export's file or zip name (localised phrases).
_CHAT_NAME_RE = re.compile(
    r"^(?:WhatsApp[- ]Chat(?: with| mit| met| com| con| avec| z)?(?: -)?"
    r"|Chat de WhatsApp con|Chat WhatsApp con|Conversa do WhatsApp com"
    r"|Discussion WhatsApp avec|Conversación de WhatsApp con)\s+(?P<name>.+?)"
    r"(?: \(\d+\))?(?:\.txt|\.zip)?$",
    re.IGNORECASE,
)

#: System lines whose text may contain ": " (a quoted subject), checked before splitting.
_SYSTEM_BEFORE_SPLIT_RE = re.compile(
    r"^[^:]{1,80}? (?:changed the subject|changed the group (?:name|description)"
    r"|changed this group's|created group) ",
)
#: System lines that say the chat is a group.
_GROUP_EVENT_RE = re.compile(
    r"(?:created group|created this group|changed the subject|changed this group's"
    r"|changed the group|\badded\b|\bleft\b|\bremoved\b|joined using|You were added"
    r"|group (?:name|description|icon))",
    re.IGNORECASE,
)
_DELETED = frozenset(
    {
        "this message was deleted",
        "you deleted this message",
        "diese nachricht wurde gelöscht",
        "du hast diese nachricht gelöscht",
        "se eliminó este mensaje",
        "eliminaste este mensaje",
        "ce message a été supprimé",
        "vous avez supprimé ce message",
    }
)
_EDITED_RE = re.compile(r"\s*<(?:This message was edited|Diese Nachricht wurde bearbeitet)>\s*$")
_OMITTED_RE = re.compile(
    r"^(?P<kind>image|video|audio|sticker|GIF|document|Contact card|video note) omitted$",
    re.IGNORECASE,
)
_MEDIA_OMITTED = frozenset(
    {"<media omitted>", "<medien ausgeschlossen>", "<multimedia omitido>", "<médias omis>"}
)
_ATTACHED_RE = re.compile(r"<attached: (?P<file>[^>]+)>")
_FILE_ATTACHED_RE = re.compile(
    r"^(?P<file>\S.*?\.\w{2,5}) \((?:file attached|Datei angehängt|archivo adjunto"
    r"|fichier joint|arquivo anexado)\)$",
    re.IGNORECASE,
)
#: iOS content that starts with U+200E but is a real message, not a system line.
_LRM_CONTENT_RE = re.compile(
    r"^(?:<attached: |<This message was edited>|This message was deleted|"
    r"You deleted this message|Location: |POLL:|ENCUESTA:|(?:image|video|audio|sticker|GIF"
    r"|document|Contact card|video note) omitted|Missed (?:voice|video) call|"
    r"(?:Voice|Video) call|.*\(file attached\))",
    re.IGNORECASE,
)

_MEDIA_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:^|-)(?:STK|STICKER)-|\.webp$", re.I), "sticker"),
    (re.compile(r"(?:^|-)(?:IMG|PHOTO)-|\.(?:jpe?g|png|heic|bmp)$", re.I), "image"),
    (re.compile(r"(?:^|-)GIF-|\.gif$", re.I), "gif"),
    (re.compile(r"(?:^|-)(?:VID|VIDEO)-|\.(?:mp4|mov|3gp|m4v)$", re.I), "video"),
    (re.compile(r"(?:^|-)(?:AUD|PTT|AUDIO)-|\.(?:opus|m4a|mp3|aac|ogg|amr|wav)$", re.I), "audio"),
    (re.compile(r"\.vcf$", re.I), "contact"),
    (re.compile(r"(?:^|-)DOC-|\.(?:pdf|docx?|xlsx?|pptx?|txt|zip)$", re.I), "document"),
)


@dataclass(slots=True)
class _Header:
    """The parts of a message's first line."""

    d1: int
    d2: int
    d3: int
    year_first: bool
    hour: int
    minute: int
    second: int
    ampm: str | None
    rest: str


@dataclass(slots=True)
class _Scan:
    """What the first pass learns about the whole file."""

    headers: int = 0
    max_d1: int = 0
    max_d2: int = 0
    backwards_dayfirst: int = 0
    backwards_monthfirst: int = 0
    senders: dict[str, None] = field(default_factory=dict)
    group_event: bool = False
    year_first: bool = False

    def day_first(self) -> bool:
        """Day/month order inferred across the file (see the module docstring)."""
        if self.max_d1 > 12 >= self.max_d2:
            return True
        if self.max_d2 > 12 >= self.max_d1:
            return False
        return self.backwards_dayfirst <= self.backwards_monthfirst


def _clean_line(line: str) -> str:
    """A line without its newline, odd spaces folded to plain spaces."""
    return line.rstrip("\r\n").translate(_SPACES)


def _match_header(line: str) -> _Header | None:
    """Parse the date/time prefix of a line, or None when it is a continuation line."""
    m = _HEADER_RE.match(line.lstrip("\u200e\u200f\ufeff"))
    if m is None:
        return None
    end = m["end"]
    bracketed = line.lstrip("\u200e\u200f\ufeff").startswith("[")
    if bracketed != end.startswith("]"):
        return None
    if end == " " and not m["dot"]:
        # A bare space after the time is only seen with "13. 6. 2018. 21:25:15 a: m".
        return None
    year_first = len(m["d1"]) == 4
    if not year_first and len(m["d3"]) == 3:
        return None
    hour, minute = int(m["h"]), int(m["mi"])
    if hour > 23 or minute > 59:
        return None
    return _Header(
        d1=int(m["d1"]),
        d2=int(m["d2"]),
        d3=int(m["d3"]),
        year_first=year_first,
        hour=hour,
        minute=minute,
        second=int(m["s"] or 0),
        ampm=(m["ampm"] or "")[:1].lower() or None,
        rest=m["rest"],
    )


def _date(h: _Header, day_first: bool) -> tuple[int, int, int] | None:
    """(year, month, day) of a header under a day/month order; None when impossible."""
    if h.year_first:
        year, month, day = h.d1, h.d2, h.d3
    else:
        year = h.d3 + 2000 if h.d3 < 100 else h.d3
        day, month = (h.d1, h.d2) if day_first else (h.d2, h.d1)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return year, month, day


def _timestamp(h: _Header, day_first: bool) -> datetime | None:
    """The wall-clock time of a header, as if UTC; None when it is not a real date."""
    ymd = _date(h, day_first)
    if ymd is None:
        return None
    hour = h.hour
    if h.ampm == "p":
        hour = hour % 12 + 12
    elif h.ampm == "a":
        hour = hour % 12
    try:
        dt = datetime(*ymd, hour, h.minute, h.second, tzinfo=UTC)
    except ValueError:
        return None
    return dt if plausible(dt) else None


def _split(rest: str) -> tuple[str, str] | None:
    """``(sender, first body line)`` of a message line; None for system lines and empty
    ``Name:.`` lines. The body keeps its U+200E marks (they flag iOS system text)."""
    plain = rest.translate(_MARKS)
    if _SYSTEM_BEFORE_SPLIT_RE.match(plain):
        return None
    sender, sep, body = rest.partition(": ")
    if not sep:
        return None
    sender = sender.translate(_MARKS).strip()
    if not sender:
        return None
    if body.startswith("\u200e") and not _LRM_CONTENT_RE.match(body.translate(_MARKS).strip()):
        return None  # iOS system text after a name ("Group: ‎Alice added Bob")
    return sender, body


def _norm(value: str) -> str:
    """Normalised for the identity key: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def chat_name_from_path(relpath: str) -> str | None:
    """The chat name given by the export's file name or its iOS zip / folder name."""
    parts = relpath.split("/")
    candidates = [parts[-1]]
    if parts[-1].casefold() == "_chat.txt":
        candidates = list(reversed(parts[:-1]))
    for part in candidates:
        m = _CHAT_NAME_RE.match(part)
        if m:
            return m["name"].strip()
    return None


def _media_kind(filename: str) -> str:
    """A media kind word from an attachment file name."""
    for pattern, kind in _MEDIA_KINDS:
        if pattern.search(filename):
            return kind
    return "file"


def _body(text: str) -> tuple[str | None, dict[str, Any]]:
    """The message text and its extra fields; text None for deleted messages."""
    extra: dict[str, Any] = {}
    text = text.translate(_MARKS).strip()
    edited = _EDITED_RE.search(text)
    if edited:
        text = text[: edited.start()].rstrip()
        extra["edited"] = True
    if text.rstrip(".").casefold() in _DELETED:
        return None, extra
    first, _, caption = text.partition("\n")
    media: list[str] = []
    kind: str | None = None
    if first.strip().casefold() in _MEDIA_OMITTED:
        media, caption = [first.strip()], caption
        kind = "media"
    elif m := _OMITTED_RE.match(first.strip()):
        media, kind = [first.strip()], m["kind"].lower().replace(" ", "_")
    elif m := _FILE_ATTACHED_RE.match(first.strip()):
        media, kind = [m["file"]], _media_kind(m["file"])
    elif attached := _ATTACHED_RE.findall(text):
        media, kind = attached, _media_kind(attached[0])
        caption = _ATTACHED_RE.sub("", text).strip()
    if kind is None:
        return text, extra
    extra["media"] = media
    if kind != "media":
        extra["media_type"] = kind
    label = "[media]" if kind == "media" else f"[media: {kind}]"
    caption = caption.strip()
    return (f"{label}\n{caption}" if caption else label), extra


class WhatsAppConnector:
    """Reads WhatsApp ``.txt`` chat exports (Android and iOS ``_chat.txt``)."""

    name = "whatsapp"
    description = "WhatsApp chat exports: 'WhatsApp Chat with <name>.txt' and iOS '_chat.txt'"

    def recognise(self, file: ExportFile) -> float:
        """0.95 for an export name with WhatsApp lines inside, 0.85 for WhatsApp lines in
        any ``.txt``, 0.5 for an export name whose content does not match (so the parse
        fails with a reason instead of the file going unnoticed)."""
        if file.suffix != ".txt":
            return 0.0
        named = file.name.casefold() == "_chat.txt" or bool(_CHAT_NAME_RE.match(file.name))
        if _looks_like_chat(file.peek_text()):
            return 0.95 if named else 0.85
        return 0.5 if named and file.name.casefold() != "_chat.txt" else 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """WhatsApp exports hold nothing else but media (ignored by discovery)."""
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream one ``message`` per chat message (two passes over the file)."""
        scan = _scan(file)
        if scan.headers == 0:
            raise ParseError("no WhatsApp message lines found (expected 'date, time - Name: text')")
        day_first = scan.day_first()
        senders = list(scan.senders)
        chat = chat_name_from_path(file.relpath) or _chat_from_participants(senders)
        chat_type = "group" if scan.group_event or len(senders) > 2 else "private"
        base_extra: dict[str, Any] = {
            "chat": chat,
            "chat_type": chat_type,
            "participants": senders[:MAX_PARTICIPANTS],
            "participants_total": len(senders) if len(senders) > MAX_PARTICIPANTS else None,
            "date_order": "year-first"
            if scan.year_first
            else ("day-first" if day_first else "month-first"),
        }
        builder = _Builder(chat, chat_type, base_extra)
        pending: tuple[int, datetime, str, list[str]] | None = None
        leading = 0
        started = False
        with file.open_text() as fh:
            for number, raw in enumerate(fh, start=1):
                line = _clean_line(raw)
                header = _match_header(line)
                if header is None:
                    if pending is not None:
                        pending[3].append(line)
                    elif not started and line.strip():
                        leading += 1
                    # else: a continuation of a system line or of a bad line: dropped
                    continue
                started = True
                if pending is not None:
                    yield from builder.emit(*pending)
                    pending = None
                when = _timestamp(header, day_first)
                if when is None:
                    yield ParseIssue(f"impossible date or time in {line[:40]!r}", str(number))
                    continue
                split = _split(header.rest)
                if split is None:
                    continue  # system line or empty disappearing message
                pending = (number, when, split[0], [split[1]])
        if pending is not None:
            yield from builder.emit(*pending)
        if leading:
            yield ParseIssue(f"{leading} line(s) before the first message were skipped", "1")


class _Builder:
    """Turns buffered messages into records, numbering identical ones per minute."""

    def __init__(self, chat: str, chat_type: str, base_extra: dict[str, Any]) -> None:
        self.chat = chat
        self.chat_key = _norm(chat)
        self.tags = ["group"] if chat_type == "group" else []
        self.base_extra = base_extra
        self.minute: str | None = None
        self.seen: dict[tuple[str, str], int] = {}

    def emit(self, number: int, when: datetime, sender: str, lines: list[str]) -> Iterator[Record]:
        """The record of one message (nothing for deleted messages)."""
        text, extra = _body("\n".join(lines))
        if text is None:
            return
        minute = when.strftime("%Y-%m-%dT%H:%M")
        if minute != self.minute:
            self.minute, self.seen = minute, {}
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
        ident = (_norm(sender), digest)
        n = self.seen.get(ident, 0)
        self.seen[ident] = n + 1
        tags = [*self.tags, "media"] if "media" in extra else list(self.tags)
        yield Record.create(
            SOURCE,
            "message",
            f"{self.chat_key}|{minute}|{ident[0]}|{digest}|{n}",
            timestamp=when,
            tz_known=False,
            title=f"{sender} in “{self.chat}” (WhatsApp)",
            text=text,
            creator=sender,
            tags=tags,
            extra={**self.base_extra, **extra},
            position=number,
        )


def _chat_from_participants(senders: list[str]) -> str:
    """A chat name made of its participants, for exports whose name says nothing."""
    if not senders:
        return "WhatsApp chat"
    names = sorted(senders, key=str.casefold)
    if len(names) <= 3:
        return ", ".join(names)
    return f"{', '.join(names[:3])} and {len(names) - 3} others"


def _scan(file: ExportFile) -> _Scan:
    """First pass: date-field statistics, senders and group hints."""
    scan = _Scan()
    prev: dict[bool, tuple[int, int, int] | None] = {True: None, False: None}
    with file.open_text() as fh:
        for raw in fh:
            header = _match_header(_clean_line(raw))
            if header is None:
                continue
            scan.headers += 1
            if not header.year_first:
                scan.max_d1 = max(scan.max_d1, header.d1)
                scan.max_d2 = max(scan.max_d2, header.d2)
                for order in (True, False):
                    ymd = _date(header, order)
                    if ymd is None:
                        continue
                    previous = prev[order]
                    if previous is not None and ymd < previous:
                        if order:
                            scan.backwards_dayfirst += 1
                        else:
                            scan.backwards_monthfirst += 1
                    prev[order] = ymd
            else:
                scan.year_first = True
            split = _split(header.rest)
            if split is None:
                if _GROUP_EVENT_RE.search(header.rest):
                    scan.group_event = True
            else:
                scan.senders.setdefault(split[0], None)
    return scan


def _looks_like_chat(head: str) -> bool:
    """True when the first line is a WhatsApp message line and the head has a few more."""
    lines = [_clean_line(line) for line in head.splitlines()[:40]]
    lines = [line for line in lines if line.strip()]
    if not lines or _match_header(lines[0]) is None:
        return False
    headers = [h for h in map(_match_header, lines[:-1] or lines) if h is not None]
    if not any(_timestamp(h, True) or _timestamp(h, False) for h in headers):
        return False
    return any(_split(h.rest) is not None for h in headers) or len(headers) >= 2


CONNECTORS = [WhatsAppConnector()]
