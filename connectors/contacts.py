"""Contacts: vCard files (Google Takeout ``Contacts/<Label>/<Label>.vcf`` and any ``.vcf``).

Files read: Takeout's one-file-per-label layout (``Contacts/All Contacts/All
Contacts.vcf``, ``My Contacts/…``, ``Starred in Android/…``, device folders; German
``Google Kontakte/Alle Kontakte/Alle Kontakte.vcf``) and any vCard file, recognised by
content (``BEGIN:VCARD``). vCard 2.1, 3.0 and 4.0 are read.

Parsing is a small hand-written streaming parser, not ``vobject``: vobject silently cuts
TEXT values at an unescaped comma (``NOTE:a, b, c`` becomes ``a``), keeps Google's ``\\:``
escapes in URLs, and parses a whole file at once. Here the file is read line by line,
cards are cut at ``BEGIN:VCARD``/``END:VCARD``, folded lines are joined, vCard 2.1
quoted-printable values (soft line breaks, ``CHARSET``) are decoded, grouped properties
(``item1.EMAIL`` + ``item1.X-ABLabel``) get their label, and inline ``PHOTO`` data is dropped
(a photo URL is kept). Bytes are decoded per line (UTF-8, else cp1252/Latin-1). A card
larger than :data:`MAX_CARD_BYTES`, an unreadable line, a card left open at the end of the
file or a card with neither name, email nor phone is a :class:`ParseIssue`.

Each card becomes one ``contact`` record: ``title`` = FN (else the N parts, the
organisation, the first email or phone), ``text`` = a readable summary (emails, phones,
organisation, title, birthday, addresses, websites, notes...), ``creator`` None,
``timestamp`` = REV when present (Google's cards have none), ``extra`` = emails, phones,
org, title, bday (kept as written, may be ``--MM-DD``), addresses, urls, categories, uid
and more; ``tags`` = categories lower-cased (``mycontacts``, ``starred``, labels);
``third_party`` is always True (a contact's details are someone else's).

Source: ``google.contacts`` inside a Takeout export, else ``contacts``.

Native key: the UID when the card has one; else ``FN|first email|first phone``,
normalised (name case-folded with single spaces, email lower-case, phone digits with a
leading ``+``). Takeout writes the same person into ``All Contacts.vcf``, ``My
Contacts.vcf`` and ``Starred in Android.vcf``: the cards are identical, so they collapse
into one record. Limits: editing a contact's name, first email or first phone between two
exports gives a new record (Google's cards carry no UID); two different people with the
same name and no email or phone collapse.
"""

from __future__ import annotations

import codecs
import quopri
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.text import decode_bytes
from connectors.timeutil import parse_iso, plausible

SOURCE_GOOGLE = "google.contacts"
SOURCE_CONTACTS = "contacts"

#: Largest single card kept (inline photos are dropped before counting).
MAX_CARD_BYTES = 5 * 1024 * 1024
_SUFFIXES = (".vcf", ".vcard")
_BINARY_PROPS = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})
#: TYPE values that say nothing a person cares about.
_NOISE_TYPES = frozenset({"INTERNET", "PREF", "VOICE", "X400", "OTHER"})
_APPLE_LABEL_RE = re.compile(r"^_\$!<(.*)>!\$_$")
_ESCAPE_RE = re.compile(r"\\(.)", re.S)
_NAME_RE = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)")


def _starts_like_vcard(head: str) -> bool:
    return head.lstrip("\ufeff \t\r\n").upper().startswith("BEGIN:VCARD")


def _in_takeout(file: ExportFile) -> bool:
    """True inside a Google Takeout export (a ``Takeout`` folder or archive, or a
    ``Google Contacts``/``Google Kontakte`` folder)."""
    for part in file.relpath.split("/")[:-1]:
        low = part.casefold()
        if low == "takeout" or low.startswith("takeout-"):
            return True
        if low.startswith("google ") and ("contact" in low or "kontakt" in low):
            return True
    return "takeout" in (file.archive or "").casefold()


# ---------------------------------------------------------------------------- lines


def _physical_lines(file: ExportFile) -> Iterator[str]:
    """The file's lines, decoded one by one (UTF-8, else cp1252/Latin-1); UTF-16 files
    (with a BOM) are decoded whole-stream."""
    head = file.peek()
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        with file.open_text() as text:
            for line in text:
                yield line.rstrip("\r\n")
        return
    with file.open() as fh:
        first = True
        for raw in fh:
            if first:
                raw = raw.removeprefix(codecs.BOM_UTF8)
                first = False
            yield decode_bytes(raw.rstrip(b"\r\n"))


def _is_qp(line: str) -> bool:
    head = _split_unquoted(line, ":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head


def _logical_lines(lines: Iterator[str]) -> Iterator[str]:
    """Join folded lines (leading space or tab) and quoted-printable soft breaks."""
    current: str | None = None
    for line in lines:
        if current is not None:
            if line[:1] in (" ", "\t"):
                current += line[1:]
                continue
            if current.endswith("=") and _is_qp(current):
                current = current[:-1] + line
                continue
            yield current
            current = None
        if line.strip():
            current = line
    if current is not None:
        yield current


def _split_unquoted(text: str, sep: str, maxsplit: int = -1) -> list[str]:
    """Split on ``sep`` outside double quotes."""
    parts: list[str] = []
    buf: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted and (maxsplit < 0 or len(parts) < maxsplit):
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def _split_escaped(value: str, sep: str) -> list[str]:
    """Split a structured value on ``sep`` not escaped by a backslash (escapes kept)."""
    parts: list[str] = []
    buf: list[str] = []
    escaped = False
    for ch in value:
        if escaped:
            buf.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    if escaped:
        buf.append("\\")
    parts.append("".join(buf))
    return parts


def unescape(value: str) -> str:
    """vCard TEXT escapes: ``\\n`` -> newline, ``\\,`` ``\\;`` ``\\:`` ``\\\\`` -> the char."""
    return _ESCAPE_RE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value).strip()


# ---------------------------------------------------------------------------- properties


@dataclass(slots=True)
class Prop:
    """One content line of a card."""

    group: str | None
    name: str
    params: dict[str, list[str]]
    value: str  # decoded from QP/charset, vCard escapes still in place

    def types(self) -> list[str]:
        out: list[str] = []
        for value in self.params.get("TYPE", []):
            out.extend(v.strip().strip('"') for v in value.split(",") if v.strip())
        return out


def parse_line(line: str) -> Prop:
    """``[group.]NAME;PARAM=V:value`` -> :class:`Prop`; ValueError when malformed."""
    head_value = _split_unquoted(line, ":", 1)
    if len(head_value) < 2:
        raise ValueError("no ':' in the line")
    head, value = head_value
    pieces = _split_unquoted(head, ";")
    name = pieces[0].strip()
    group = None
    if "." in name:
        group, name = name.rsplit(".", 1)
    if not name or not re.fullmatch(r"[A-Za-z0-9-]+", name):
        raise ValueError(f"bad property name {pieces[0]!r}")
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        if not piece.strip():
            continue
        key, eq, val = piece.partition("=")
        key = key.strip().upper()
        if not eq:
            target = "ENCODING" if key in _ENCODINGS else "TYPE"
            params.setdefault(target, []).append(key)
        else:
            params.setdefault(key, []).append(val.strip().strip('"'))
    encoding = (params.get("ENCODING") or [""])[0].upper()
    if encoding == "QUOTED-PRINTABLE":
        charset = (params.get("CHARSET") or [None])[0]
        data = quopri.decodestring(value.encode("utf-8", "replace"))
        value = decode_bytes(data, charset).replace("\r\n", "\n")
    return Prop(group, name.upper(), params, value)


def _label(prop: Prop, labels: dict[str, str]) -> str | None:
    """The label of a value: its group's X-ABLabel, else its meaningful TYPEs."""
    if prop.group and prop.group.casefold() in labels:
        return labels[prop.group.casefold()]
    kinds = [t.lower() for t in prop.types() if t.upper() not in _NOISE_TYPES]
    return ", ".join(dict.fromkeys(kinds)) or None


def _clean_label(value: str) -> str:
    text = unescape(value)
    match = _APPLE_LABEL_RE.match(text)
    return (match.group(1) if match else text).strip()


def _format_address(value: str) -> str | None:
    parts = [unescape(p).replace("\n", ", ") for p in _split_escaped(value, ";")]
    parts += [""] * (7 - len(parts))
    po_box, extended, street, locality, region, code, country = parts[:7]
    town = " ".join(p for p in (code, locality) if p)
    text = ", ".join(p for p in (street, extended, po_box, town, region, country) if p)
    return text or None


def _normalise_bday(value: str) -> str:
    """``--0415`` -> ``--04-15``, ``19800415`` -> ``1980-04-15``; else as written."""
    value = value.strip()
    if re.fullmatch(r"--\d{4}", value):
        return f"--{value[2:4]}-{value[4:6]}"
    if re.fullmatch(r"\d{8}", value):
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value


def _phone_key(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return ("+" if value.strip().startswith("+") else "") + digits


def _norm(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def _rev(value: str) -> datetime | None:
    value = value.strip()
    try:
        return parse_iso(value)[0]
    except ValueError:
        pass
    for fmt in ("%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S%z", "%Y%m%d"):
        try:
            dt = datetime.strptime(value, fmt)
        except ValueError:
            continue
        dt = dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)
        return dt if plausible(dt) else None
    return None


# ---------------------------------------------------------------------------- cards


@dataclass(slots=True)
class _Card:
    index: int
    lines: list[str] = field(default_factory=list)
    size: int = 0
    oversize: bool = False
    photo_url: str | None = None


def _iter_cards(file: ExportFile) -> Iterator[_Card | ParseIssue]:
    """Cut the file into cards (nested 2.1 AGENT cards stay inside their parent)."""
    card: _Card | None = None
    depth = 0
    index = -1
    seen_card = False
    stray = 0
    for line in _logical_lines(_physical_lines(file)):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            depth += 1
            if depth == 1:
                index += 1
                seen_card = True
                card = _Card(index)
                continue
        elif upper == "END:VCARD" and depth > 0:
            depth -= 1
            if depth == 0 and card is not None:
                yield card
                card = None
                continue
        if card is None:
            if not seen_card:
                raise ParseError(
                    f"not a vCard file: it does not start with BEGIN:VCARD (starts with "
                    f"{line.strip()[:60]!r})"
                )
            stray += 1
            continue
        if depth > 1:
            continue  # inside an embedded AGENT card
        match = _NAME_RE.match(line)
        if match and match.group(1).upper() in _BINARY_PROPS:
            name = match.group(1).upper()
            value = line.partition(":")[2].strip()
            if name == "PHOTO" and value.lower().startswith(("http://", "https://")):
                card.photo_url = unescape(value)
            continue  # inline image or key data: never kept
        card.size += len(line)
        if card.size > MAX_CARD_BYTES:
            card.oversize = True
            card.lines = []
        elif not card.oversize:
            card.lines.append(line)
    if card is not None:
        yield ParseIssue("card not closed: the file ends inside it (truncated?)", str(card.index))
    if not seen_card:
        raise ParseError("not a vCard file: no BEGIN:VCARD found")
    if stray:
        yield ParseIssue(f"{stray} line(s) outside any card ignored", "end")


def _card_record(card: _Card, source: str) -> Iterator[Record | ParseIssue]:
    """One card -> its record (and issues for lines that could not be read)."""
    position = str(card.index)
    if card.oversize:
        yield ParseIssue(f"card larger than {MAX_CARD_BYTES} bytes: skipped", position)
        return
    props: list[Prop] = []
    for line in card.lines:
        try:
            props.append(parse_line(line))
        except ValueError as exc:
            yield ParseIssue(f"unreadable card line skipped ({exc}): {line[:60]!r}", position)
    labels = {
        p.group.casefold(): _clean_label(p.value)
        for p in props
        if p.name == "X-ABLABEL" and p.group
    }

    def values(name: str) -> list[Prop]:
        return [p for p in props if p.name == name]

    def first(name: str) -> str | None:
        for prop in values(name):
            if text := unescape(prop.value):
                return text
        return None

    fn = first("FN")
    n_parts: list[str] = []
    if n_props := values("N"):
        parts = [unescape(p) for p in _split_escaped(n_props[0].value, ";")]
        parts += [""] * (5 - len(parts))
        family, given, additional, prefix, suffix = parts[:5]
        n_parts = [p for p in (prefix, given, additional, family, suffix) if p]
    emails: list[str] = []
    phones: list[str] = []
    labels_by_value: dict[str, str] = {}
    lines: list[str] = []

    def add(kind: str, prop: Prop, value: str | None, bucket: list[str]) -> None:
        if not value or value in bucket:
            return
        bucket.append(value)
        label = _label(prop, labels)
        if label:
            labels_by_value[value] = label
        lines.append(f"{kind}{f' ({label})' if label else ''}: {value}")

    for prop in values("EMAIL"):
        add("Email", prop, unescape(prop.value).removeprefix("mailto:"), emails)
    for prop in values("TEL"):
        add("Phone", prop, unescape(prop.value).removeprefix("tel:"), phones)

    org = None
    if org_props := values("ORG"):
        units = [unescape(x) for x in _split_escaped(org_props[0].value, ";")]
        org = ", ".join(u for u in units if u) or None
    title = first("TITLE")
    role = first("ROLE")
    nicknames = [
        unescape(x) for p in values("NICKNAME") for x in _split_escaped(p.value, ",") if unescape(x)
    ]
    bday = _normalise_bday(first("BDAY") or "") or None
    anniversary = first("ANNIVERSARY") or first("X-ANNIVERSARY")
    addresses: list[str] = []
    for prop in values("ADR"):
        add("Address", prop, _format_address(prop.value), addresses)
    urls: list[str] = []
    for prop in values("URL"):
        add("Website", prop, unescape(prop.value), urls)
    im: list[str] = []
    for name in ("IMPP", "X-GOOGLE-TALK", "X-JABBER", "X-SKYPE", "X-AIM", "X-MSN", "X-ICQ"):
        for prop in values(name):
            add("Chat", prop, unescape(prop.value), im)
    related: list[str] = []
    for name in ("X-ABRELATEDNAMES", "RELATED"):
        for prop in values(name):
            add("Related", prop, unescape(prop.value), related)
    notes = [text for p in values("NOTE") if (text := unescape(p.value))]
    categories: list[str] = []
    for prop in values("CATEGORIES"):
        for item in _split_escaped(prop.value, ","):
            if (cat := unescape(item)) and cat not in categories:
                categories.append(cat)
    uid = first("UID")
    rev = first("REV")

    name = fn or " ".join(n_parts) or None
    title_text = name or org or (emails[0] if emails else None) or (phones[0] if phones else None)
    if not title_text:
        yield ParseIssue("contact card without a name, organisation, email or phone", position)
        return
    summary = list(lines)
    head = [
        f"Nickname: {', '.join(nicknames)}" if nicknames else None,
        f"Organisation: {org}" if org else None,
        f"Title: {title}" if title else None,
        f"Role: {role}" if role else None,
        f"Birthday: {bday}" if bday else None,
        f"Anniversary: {anniversary}" if anniversary else None,
    ]
    summary = [h for h in head if h] + summary + [f"Note: {note}" for note in notes]

    if uid:
        key = uid
    else:
        key = "card:" + "|".join(
            (
                _norm(name or org or ""),
                emails[0].casefold() if emails else "",
                _phone_key(phones[0]) if phones else "",
            )
        )
    extra: dict[str, Any] = {
        "emails": emails,
        "phones": phones,
        "labels": labels_by_value,
        "org": org,
        "title": title,
        "role": role,
        "nickname": nicknames,
        "bday": bday,
        "anniversary": anniversary,
        "addresses": addresses,
        "urls": urls,
        "im": im,
        "related": related,
        "note": "\n\n".join(notes) or None,
        "categories": categories,
        "uid": uid,
        "photo_url": card.photo_url,
        "rev": rev,
    }
    yield Record.create(
        source,
        "contact",
        key,
        timestamp=_rev(rev) if rev else None,
        title=title_text,
        text="\n".join(summary) or None,
        tags=[c.casefold() for c in categories],
        extra=extra,
        position=position,
        third_party=True,
    )


class ContactsConnector:
    """Reads vCard files: Google Takeout contacts and any other ``.vcf``."""

    name = "contacts"
    description = "Contacts: Google Takeout Contacts/*/*.vcf and any vCard (.vcf) file"
    version = 1

    def recognise(self, file: ExportFile) -> float:
        """1.0 for a ``.vcf`` starting with BEGIN:VCARD, 0.5 for the name alone (parse
        then says what is wrong), 0.8 for an extension-less or ``.txt`` file that starts
        like a vCard."""
        if file.suffix in _SUFFIXES:
            return 1.0 if _starts_like_vcard(file.peek_text()) else 0.5
        if file.suffix in ("", ".txt") and _starts_like_vcard(file.peek_text()):
            return 0.8
        return 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """Nothing in a contacts export is deliberately skipped."""
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream one ``contact`` record per card; bad cards and lines become issues."""
        source = SOURCE_GOOGLE if _in_takeout(file) else SOURCE_CONTACTS
        for item in _iter_cards(file):
            if isinstance(item, ParseIssue):
                yield item
                continue
            try:
                yield from _card_record(item, source)
            except Exception as exc:  # one odd card never fails the file
                yield ParseIssue(f"unreadable card: {type(exc).__name__}: {exc}", str(item.index))


CONNECTORS = [ContactsConnector()]
