"""Email: mbox files (Gmail's Takeout mbox and any other) and single ``.eml`` messages.

Files read:

* ``.mbox`` files, whatever their name: Takeout's ``Mail/All mail Including Spam and
  Trash.mbox`` and its localised, cut-short names (``Gmail/Alle E-Mails einschließlich
  Spam-Nachrichten und E.mbox``), label-only Takeout exports, Thunderbird/Apple Mail
  mboxes. They are recognised by content: a ``From `` separator line followed by RFC 822
  headers (files without an extension and ``.txt`` files are claimed on content alone);
* ``.eml`` files: one RFC 822 message each.

The mbox is split by a streaming splitter over the binary file (not ``mailbox.mbox``,
which keeps a table of contents and whole messages around): a message starts at a
``From `` line that follows a blank line and has a time in it (or at any complete, dated
``From `` line), mboxrd ``>From `` quoting is undone, and each message is parsed alone with
``email.parser.BytesParser(policy=email.policy.default)``. While a message is read, the
base64 bodies of its non-text MIME parts (attachments, inline images) are dropped: only
their headers reach the parser, which is all it needs to list them. Memory stays flat
whatever the file and attachment sizes (peak RSS 23 MB parsing a generated 1 GB Gmail-style
mbox with 20 MB attachments, see ``tests/fixtures/mail/make_big_mbox.py``). A message
larger than :data:`MAX_MESSAGE_BYTES` (as written, attachments included) is skipped with a
:class:`ParseIssue`.

Each message becomes one ``email`` record:

* ``title`` = Subject, ``creator`` = sender display name (or address);
* ``text`` = the body: the text/plain part, else the HTML part turned into readable text
  (scripts and styles dropped, line breaks kept), capped at :data:`MAX_TEXT_CHARS`;
  attachments are listed by name in ``extra.attachments``, never indexed;
* ``timestamp`` from ``Date:``; when missing, broken or implausible, from the mbox
  ``From `` line, else from the first ``Received:`` header (``extra.date_source`` says
  which). A message with no usable date is skipped with a :class:`ParseIssue`;
* ``extra``: ``from`` (address), ``to``, ``cc``, ``date`` (raw), ``message_id``,
  ``thread_id`` (``X-GM-THRID``), ``labels`` (``X-Gmail-Labels``, localised names kept
  as they are), ``attachments``, ``in_reply_to``; ``tags`` are the labels lower-cased;
* ``third_party`` is True unless the account owner sent it: a ``Sent``/``Gesendet``
  (or draft) label, or a From address equal to the account address, inferred from an
  address in the file's path or from the messages' ``Delivered-To`` (learned while
  reading: an unlabelled message from the owner before any ``Delivered-To`` is missed).

Source: ``google.gmail`` when the file sits in a Takeout ``Mail/``/``Gmail/`` folder or
the message carries ``X-Gmail-Labels``/``X-GM-THRID``; else ``mail``.

Headers are decoded defensively (RFC 2047 words with unknown or wrong charsets fall back to
UTF-8, then Windows-1252/Latin-1); bodies likewise (declared charset, UTF-8, cp1252,
Latin-1). A message that cannot be parsed at all becomes a :class:`ParseIssue`.

Native key: the Message-ID without angle brackets, so the same message in two exports
(or in an mbox and a saved ``.eml``) has one id per source. Messages without a
Message-ID (drafts, some sent items, old mailers) fall back to a hash of the raw Date,
the From address and the Subject: two such messages with identical values collapse, and
a re-encoded Date header breaks the match. Mailers that reuse a Message-ID for different
messages collapse them too.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import decode_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import IO, Any

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.text import decode_bytes, html_to_text
from connectors.timeutil import plausible

SOURCE_GMAIL = "google.gmail"
SOURCE_MAIL = "mail"

#: Largest single message parsed; bigger ones are skipped with a ParseIssue.
MAX_MESSAGE_BYTES = 50 * 1024 * 1024
#: Longest body text kept in a record (characters); the rest is cut.
MAX_TEXT_CHARS = 200_000
#: Bytes read per ``readline`` call, so one endless line cannot exhaust memory.
_READ_CHUNK = 1024 * 1024
#: Longest ``From `` line read whole to decide whether it separates messages.
_FROM_LINE_MAX = 64 * 1024

#: Labels that mean the account owner wrote the message (Gmail system labels, a few
#: languages), lower-case.
OWNER_LABELS: frozenset[str] = frozenset(
    {
        "sent",
        "gesendet",
        "enviados",
        "envoyés",
        "verzonden",
        "inviati",
        "posta inviata",
        "wysłane",
        "draft",
        "drafts",
        "entwürfe",
        "entwurf",
        "borradores",
        "brouillons",
        "concepten",
        "bozze",
    }
)

#: Folders of a Takeout mail export (English, German).
_MAIL_FOLDERS = frozenset({"mail", "gmail"})
#: Settings folders under it (English, German).
_SETTINGS_FOLDERS = frozenset({"user settings", "nutzereinstellungen"})
SETTINGS_REASON = "Gmail settings (filters, labels, blocked addresses): known, not indexed"

_FROM_LINE_LOOSE = re.compile(rb"^From \S+\s.*\d{1,2}:\d{2}")
_FROM_LINE_STRICT = re.compile(
    rb"^From \S+\s+(?:[A-Za-z]{3},?\s+)?[A-Za-z]{3}\s+\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?"
    rb"\s+(?:[A-Za-z]{1,5}\s+|[+-]\d{4}\s+)?\d{4}\s*$"
)
_QUOTED_FROM = re.compile(rb"^>+From ")
_HEADER_BYTES = re.compile(rb"^[!-9;-~]+:")
#: MIME types whose base64 bodies are kept (read as text or walked into).
_KEPT_TYPES = (b"text/", b"multipart/", b"message/")
_HEADER_LINE = re.compile(r"^([!-9;-~]+):")
_MAIL_HEADERS = frozenset(
    {
        "from",
        "date",
        "subject",
        "message-id",
        "received",
        "return-path",
        "delivered-to",
        "x-gmail-labels",
        "x-gm-thrid",
    }
)
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_UNFOLD_RE = re.compile(r"\r?\n[ \t]*")
_GMAIL_ID_RE = re.compile(r"^(\d{10,})@xxx$")
_FROM_LINE_FORMATS = (
    "%a %b %d %H:%M:%S %z %Y",
    "%a %b %d %H:%M:%S %Y",
    "%a %b %d %H:%M %Y",
    "%b %d %H:%M:%S %Y",
    "%a %b %d %H:%M:%S %Z %Y",
)


# ---------------------------------------------------------------------------- recognition


def _is_settings(file: ExportFile) -> bool:
    """True for files of a Takeout ``Mail/User Settings/`` folder (any language)."""
    parts = [p.casefold() for p in file.relpath.split("/")]
    return len(parts) >= 3 and parts[-2] in _SETTINGS_FOLDERS and parts[-3] in _MAIL_FOLDERS


def _in_takeout(file: ExportFile) -> bool:
    """True when the path or the archive name says Google Takeout."""
    parts = [p.casefold() for p in file.relpath.split("/")[:-1]]
    if any(p == "takeout" or p.startswith("takeout-") for p in parts):
        return True
    return "takeout" in (file.archive or "").casefold()


def is_takeout_mail_path(file: ExportFile) -> bool:
    """True for a file in Takeout's mail folder: ``Gmail/``, or ``Mail/`` inside Takeout."""
    parts = file.relpath.split("/")
    if len(parts) < 2:
        return False
    folder = parts[-2].casefold()
    return folder == "gmail" or (folder == "mail" and _in_takeout(file))


def _header_lines_ok(lines: list[str]) -> bool:
    """True when ``lines`` start like an RFC 822 header block with mail headers."""
    names: list[str] = []
    for line in lines[:40]:
        if not line.strip():
            break
        if line[:1] in (" ", "\t"):
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            return False
        names.append(match.group(1).casefold())
    return len(names) >= 2 and any(n in _MAIL_HEADERS for n in names)


def _sniff(head: bytes) -> str | None:
    """``"mbox"`` when ``head`` starts with a From line then mail headers, ``"message"``
    when it starts with mail headers, else None."""
    head = head.lstrip(b"\r\n")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    lines = head.decode("latin-1").splitlines()
    if not lines:
        return None
    if lines[0].startswith("From "):
        return "mbox" if _header_lines_ok(lines[1:]) else None
    return "message" if _header_lines_ok(lines) else None


# ---------------------------------------------------------------------------- decoding


def _surrogates_to_text(value: str) -> str:
    """Undo ``surrogateescape``: raw 8-bit header bytes decoded as UTF-8 or Latin-1."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return decode_bytes(value.encode("utf-8", "surrogateescape"))
    return value


def decode_header_value(raw: str | None) -> str | None:
    """A raw header value -> readable text: unfolded, RFC 2047 words decoded with
    fallbacks for unknown or wrong charsets, raw 8-bit bytes read as UTF-8/Latin-1."""
    if raw is None:
        return None
    value = _surrogates_to_text(_UNFOLD_RE.sub(" ", str(raw)))
    if "=?" not in value:
        return value.strip() or None
    try:
        parts = decode_header(value)
    except Exception:  # a malformed encoded word: keep the raw text
        return value.strip() or None
    out: list[str] = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            out.append(decode_bytes(chunk, charset if charset != "unknown-8bit" else None))
        else:
            out.append(chunk)
    return "".join(out).strip() or None


def parse_labels(value: str | None) -> list[str]:
    """``X-Gmail-Labels`` -> label names: comma-separated, double-quoted when a label
    holds a comma; order kept, duplicates dropped."""
    if not value:
        return []
    try:
        cells = next(csv.reader([value], skipinitialspace=True))
    except (csv.Error, StopIteration):
        cells = value.split(",")
    labels: list[str] = []
    for cell in cells:
        label = cell.strip()
        if label and label not in labels:
            labels.append(label)
    return labels


# ---------------------------------------------------------------------------- splitting


@dataclass(slots=True)
class RawMessage:
    """One message cut out of an mbox: its bytes (None when over the size cap)."""

    index: int
    from_line: bytes | None
    data: bytes | None
    size: int


def iter_mbox(
    fh: IO[bytes], max_bytes: int = MAX_MESSAGE_BYTES, *, split: bool = True
) -> Iterator[RawMessage]:
    """Stream the messages of an mbox without loading it.

    A message starts at a ``From `` line that opens the file, follows a blank line and has
    a time in it, or is a complete dated ``From `` line; mboxrd ``>From `` quoting is
    undone. With ``split=False`` the whole stream is one message (an ``.eml``).

    To keep memory flat, the base64 bodies of non-text MIME parts (attachments, inline
    images) are dropped while reading: only their headers reach the parser, which is all
    that is needed to list them. A message whose full size exceeds ``max_bytes`` comes
    out with ``data=None``.
    """
    chunks: list[bytes] = []
    size = 0
    oversize = False
    from_line: bytes | None = None
    index = -1
    at_line_start = True
    prev_blank = True
    # MIME state of the current message: in a header block, the block's Content-Type
    # and Content-Transfer-Encoding, and whether a binary body is being skipped.
    in_headers, skipping = True, False
    ctype = cte = b""
    while True:
        line = fh.readline(_READ_CHUNK)
        if not line:
            break
        line_start = at_line_start
        if line_start and line[:5] == b"From ":
            # Read a possible separator whole (bounded) before matching it.
            while not line.endswith(b"\n") and len(line) < _FROM_LINE_MAX:
                more = fh.readline(_READ_CHUNK)
                if not more:
                    break
                line += more
        at_line_start = line.endswith(b"\n")
        if (
            split
            and line_start
            and line[:5] == b"From "
            and (
                index < 0
                or (prev_blank and _FROM_LINE_LOOSE.match(line))
                or _FROM_LINE_STRICT.match(line)
            )
        ):
            if index >= 0:
                yield _finish(index, from_line, chunks, size, oversize)
            index += 1
            from_line = line.rstrip(b"\r\n")
            chunks, size, oversize = [], 0, False
            in_headers, skipping, ctype, cte = True, False, b"", b""
            prev_blank = False
            continue
        if index < 0:
            if not line.strip():
                continue  # blank lines before the first From line
            index = 0  # content before any From line: a single bare message
        if line_start:
            if split and line[:1] == b">" and _QUOTED_FROM.match(line):
                line = line[1:]
            prev_blank = line in (b"\n", b"\r\n")
        else:
            prev_blank = False
        size += len(line)
        if oversize:
            continue
        if size > max_bytes:
            oversize = True
            chunks = []
            continue
        if not line_start:
            if not skipping:
                chunks.append(line)
            continue
        if skipping:
            if line[:2] != b"--":
                continue  # base64 of an attachment: not kept
            skipping, in_headers, ctype, cte = False, True, b"", b""
        elif in_headers:
            if prev_blank:
                in_headers = False
                if cte == b"base64" and ctype and not ctype.startswith(_KEPT_TYPES):
                    skipping = True
            elif line[:1] in (b" ", b"\t"):
                pass  # a folded header line
            elif not _HEADER_BYTES.match(line):
                in_headers = False  # body text after a "--" line, not a MIME part
            else:
                low = line[:27].lower()
                if low.startswith(b"content-type:"):
                    ctype = line[13:].split(b";")[0].strip().lower()
                elif low.startswith(b"content-transfer-encoding:"):
                    cte = line[26:].strip().lower()
        elif line[:2] == b"--":
            in_headers, ctype, cte = True, b"", b""
        chunks.append(line)
    if index >= 0:
        yield _finish(index, from_line, chunks, size, oversize)


def _finish(
    index: int, from_line: bytes | None, chunks: list[bytes], size: int, oversize: bool
) -> RawMessage:
    """Assemble a split message; the blank separator line before the next From goes."""
    if oversize:
        return RawMessage(index, from_line, None, size)
    if chunks and chunks[-1] in (b"\n", b"\r\n"):
        chunks.pop()
    return RawMessage(index, from_line, b"".join(chunks), size)


# ---------------------------------------------------------------------------- messages


@dataclass(slots=True)
class _Context:
    """What is known about the whole file while its messages are parsed."""

    gmail_path: bool
    owner: set[str] = field(default_factory=set)


def _raw_headers(msg: Message) -> dict[str, list[str]]:
    """Header values as written (not parsed by the policy), by lower-case name."""
    headers: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        headers.setdefault(name.strip().casefold(), []).append(str(value))
    return headers


def _first(headers: dict[str, list[str]], name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None


def _addresses(raw: str | None) -> list[tuple[str, str]]:
    """``(display name, address)`` pairs of an address header; names decoded."""
    if not raw:
        return []
    value = _surrogates_to_text(_UNFOLD_RE.sub(" ", raw))
    try:
        pairs = getaddresses([value])
    except Exception:
        return []
    out: list[tuple[str, str]] = []
    for name, address in pairs:
        name = (decode_header_value(name) or "").strip().strip('"').strip()
        address = address.strip()
        if name or address:
            out.append((name, address))
    return out


def _format_address(name: str, address: str) -> str:
    if name and address and name != address:
        return f"{name} <{address}>"
    return address or name


def _strip_id(value: str | None) -> str | None:
    """A message id without angle brackets and spaces; None when empty."""
    if not value:
        return None
    value = _surrogates_to_text(_UNFOLD_RE.sub(" ", value)).strip()
    match = re.search(r"<([^<>]+)>", value)
    ident = (match.group(1) if match else value).strip()
    return ident if ident and " " not in ident else None


def _parse_mail_date(raw: str | None) -> tuple[datetime, bool] | None:
    """An RFC 2822 date -> (UTC, tz_known); None when unreadable or implausible."""
    if not raw:
        return None
    try:
        dt = parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if dt is None:
        return None
    tz_known = dt.tzinfo is not None or "-0000" in raw
    dt = dt.astimezone(UTC) if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
    return (dt, tz_known) if plausible(dt) else None


def parse_from_line_date(from_line: bytes | None) -> tuple[datetime, bool] | None:
    """The date of an mbox ``From sender date`` line -> (UTC, tz_known), or None."""
    if not from_line:
        return None
    parts = from_line.decode("latin-1").split(None, 2)
    if len(parts) < 3:
        return None
    text = " ".join(parts[2].replace(",", " ").split())
    for fmt in _FROM_LINE_FORMATS:
        try:
            dt = datetime.strptime(text, fmt)
        except ValueError:
            continue
        tz_known = dt.tzinfo is not None
        dt = dt.astimezone(UTC) if tz_known else dt.replace(tzinfo=UTC)
        return (dt, tz_known) if plausible(dt) else None
    return _parse_mail_date(text)


def _received_date(headers: dict[str, list[str]]) -> tuple[datetime, bool] | None:
    """The date of the first (most recent) ``Received:`` header that has a readable one."""
    for raw in headers.get("received", []):
        _, sep, date_part = _UNFOLD_RE.sub(" ", raw).rpartition(";")
        if sep and (found := _parse_mail_date(date_part)):
            return found
    return None


def _decode_part(part: Message) -> str:
    """The decoded text of a leaf MIME part."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    return decode_bytes(payload, charset)


def _body_text(msg: EmailMessage) -> str | None:
    """The body: the plain-text part, else the HTML part as text."""
    plain = msg.get_body(preferencelist=("plain",))
    text = _decode_part(plain).strip() if plain is not None else ""
    if text:
        return text
    rich = msg.get_body(preferencelist=("html",))
    if rich is not None:
        return html_to_text(_decode_part(rich)) or None
    return None


def _attachments(msg: Message) -> list[str]:
    """Names of the attached files (and forwarded messages), in order."""
    names: list[str] = []
    for part in msg.walk():
        if part is msg and (part.is_multipart() or part.get_content_maintype() == "text"):
            continue  # the message itself, unless it is a bare attachment
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            name = _part_filename(part) or "(attached message)"
        elif part.is_multipart():
            continue
        else:
            name = _part_filename(part)
            if not name and part is not msg:
                disposition = (part.get("Content-Disposition") or "").split(";")[0]
                if disposition.strip().casefold() != "attachment":
                    continue
                name = f"(unnamed {ctype})"
        if name:
            names.append(name)
    return names


def _part_filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        return None
    return decode_header_value(name) if name else None


def _labels_owner(labels: list[str]) -> bool:
    return any(label.casefold() in OWNER_LABELS for label in labels)


def parse_message(
    raw: bytes, from_line: bytes | None, index: int, ctx: _Context
) -> Record | ParseIssue:
    """One message's bytes -> an ``email`` record, or an issue saying what is wrong.

    Whatever goes wrong inside one message (broken MIME, headers the library chokes on)
    is an issue for that message, never a failure of the whole file."""
    try:
        return _parse_message(raw, from_line, index, ctx)
    except Exception as exc:
        return ParseIssue(f"unreadable message: {type(exc).__name__}: {exc}", str(index))


def _parse_message(
    raw: bytes, from_line: bytes | None, index: int, ctx: _Context
) -> Record | ParseIssue:
    position = str(index)
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:
        return ParseIssue(f"unparseable message: {type(exc).__name__}: {exc}", position)
    assert isinstance(msg, EmailMessage)
    headers = _raw_headers(msg)
    if not any(name in headers for name in _MAIL_HEADERS):
        return ParseIssue("not an email message: no mail headers found", position)

    senders = _addresses(_first(headers, "from"))
    sender_name, sender_address = senders[0] if senders else ("", "")
    subject = decode_header_value(_first(headers, "subject"))
    raw_date = decode_header_value(_first(headers, "date"))
    labels = parse_labels(decode_header_value(_first(headers, "x-gmail-labels")))
    thread_id = decode_header_value(_first(headers, "x-gm-thrid"))

    when = _parse_mail_date(raw_date)
    date_source = None
    if when is None:
        if (when := parse_from_line_date(from_line)) is not None:
            date_source = "from_line"
        elif (when := _received_date(headers)) is not None:
            date_source = "received"
        else:
            why = f"unreadable Date {raw_date!r}" if raw_date else "no Date header"
            return ParseIssue(f"message without a usable date ({why}): {subject!r:.80}", position)
    timestamp, tz_known = when

    for raw_to in headers.get("delivered-to", [])[:1]:
        if (address := _strip_id(raw_to)) and "@" in address:
            ctx.owner.add(address.casefold())
    owner = _labels_owner(labels) or (
        bool(sender_address) and sender_address.casefold() in ctx.owner
    )

    try:
        text = _body_text(msg)
    except Exception as exc:
        return ParseIssue(f"unreadable message body: {type(exc).__name__}: {exc}", position)
    try:
        attachments = _attachments(msg)
    except Exception:
        attachments = []
    truncated = bool(text and len(text) > MAX_TEXT_CHARS)
    if text and truncated:
        text = text[:MAX_TEXT_CHARS]

    message_id = _strip_id(_first(headers, "message-id"))
    key = (
        message_id
        or "nomid:"
        + hashlib.blake2b(
            f"{raw_date}|{sender_address.casefold()}|{subject}".encode(), digest_size=12
        ).hexdigest()
    )
    gmail = ctx.gmail_path or "x-gmail-labels" in headers or "x-gm-thrid" in headers
    gmail_id = None
    sender_token = from_line.decode("latin-1").split()[1:2] if from_line else []
    if sender_token and (m := _GMAIL_ID_RE.match(sender_token[0])):
        gmail_id = m.group(1)
    extra: dict[str, Any] = {
        "from": sender_address or None,
        "to": [_format_address(n, a) for n, a in _addresses(_first(headers, "to"))],
        "cc": [_format_address(n, a) for n, a in _addresses(_first(headers, "cc"))],
        "date": raw_date,
        "date_source": date_source,
        "message_id": message_id,
        "thread_id": thread_id,
        "gmail_id": gmail_id,
        "labels": labels,
        "attachments": attachments,
        "in_reply_to": _strip_id(_first(headers, "in-reply-to")),
        "text_truncated": truncated or None,
    }
    return Record.create(
        SOURCE_GMAIL if gmail else SOURCE_MAIL,
        "email",
        key,
        timestamp=timestamp,
        tz_known=tz_known,
        title=subject,
        text=text,
        creator=sender_name or sender_address or None,
        tags=[label.casefold() for label in labels],
        extra=extra,
        position=position,
        third_party=not owner,
    )


# ---------------------------------------------------------------------------- connector


def _open_without_bom(file: ExportFile) -> IO[bytes]:
    """Open ``file`` positioned after a UTF-8 BOM, if it has one."""
    fh = file.open()
    if fh.read(3) != codecs.BOM_UTF8:
        fh.close()
        fh = file.open()
    return fh


class MailConnector:
    """Reads mbox files (Gmail Takeout and others) and ``.eml`` messages."""

    name = "mail"
    description = "Email: Gmail Takeout mbox, any mbox file and .eml messages"
    version = 1

    def __init__(self, max_message_bytes: int = MAX_MESSAGE_BYTES) -> None:
        self.max_message_bytes = max_message_bytes

    def recognise(self, file: ExportFile) -> float:
        """1.0 for an ``.mbox`` that looks like one, 0.95 for an ``.eml`` with mail
        headers, 0.8 for an extension-less or ``.txt`` file that sniffs as an mbox, 0.5
        for an ``.mbox``/``.eml`` name whose content does not look like mail (parse
        then says why)."""
        suffix = file.suffix
        if suffix in (".mbox", ".mbx"):
            kind = _sniff(file.peek())
            return {"mbox": 1.0, "message": 0.9}.get(kind or "", 0.5)
        if suffix == ".eml":
            return 0.95 if _sniff(file.peek()) else 0.5
        if suffix in ("", ".txt", ".mail") and _sniff(file.peek()) == "mbox":
            return 0.8
        return 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """Takeout's ``Mail/User Settings/`` files (localised) are known, not indexed."""
        return SETTINGS_REASON if _is_settings(file) else None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream one ``email`` record per message; bad messages become issues."""
        kind = _sniff(file.peek())
        if kind is None:
            first = file.peek_text().strip().splitlines()[:1]
            raise ParseError(
                "not an mbox or email file: it does not start with a 'From ' line or mail "
                f"headers (starts with {first[0][:60]!r})"
                if first
                else "not an mbox or email file: no content"
            )
        ctx = _Context(gmail_path=is_takeout_mail_path(file))
        ctx.owner.update(a.casefold() for a in _EMAIL_RE.findall(file.relpath))
        single = kind == "message"  # an .eml: the whole file, never split on body lines
        if single and file.size > self.max_message_bytes:
            raise ParseError(
                f"email message of {file.size} bytes exceeds the limit of "
                f"{self.max_message_bytes} bytes"
            )
        with _open_without_bom(file) as fh:
            for raw in iter_mbox(fh, self.max_message_bytes, split=not single):
                if raw.data is None:
                    yield ParseIssue(
                        f"message of {raw.size} bytes exceeds the limit of "
                        f"{self.max_message_bytes} bytes: skipped",
                        str(raw.index),
                    )
                    continue
                yield parse_message(raw.data, raw.from_line, raw.index, ctx)


CONNECTORS = [MailConnector()]
