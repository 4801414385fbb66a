"""Telegram Desktop JSON exports (``result.json``).

Two shapes, told apart by their top-level keys:

* single chat ("Export chat history", ``ChatExport_…/result.json``):
  ``{name, type, id, messages: […]}``;
* whole account ("Export Telegram data", ``DataExport_…/result.json``):
  ``{about, personal_information, contacts: {list}, chats: {list: [chat…]},
  left_chats: {list}, …}`` where each chat is ``{name, type, id, messages}``.

Both are streamed event by event with ijson (account exports reach hundreds of MB; one
chat can hold most of them), so memory stays flat. A chat's ``name``/``type``/``id`` come
before its ``messages`` in Telegram's output; if a file puts them after, that chat's
messages are held back until its end (or its ``id``) is reached.

Record mapping:

* each ``type: "message"`` → ``message``: ``creator`` is ``from`` (``"Deleted Account"`` when
  null), ``title`` ``"<sender> in “<chat>” (Telegram)"``, ``text`` the message text (a string,
  or an array of strings and ``{type, text, href}`` entities concatenated as written;
  links kept in ``extra.links``); a media message without caption reads ``"[media: photo]"``.
  ``extra``: ``chat``, ``chat_type``, ``chat_id``, ``message_id``, ``reply_to``,
  ``forwarded_from``, ``via_bot``, ``edited``, ``media``, ``location``, ``poll``,
  ``reactions``, ``links``. Service messages (``type: "service"``: joins, calls, pins) are
  skipped, as chat-miner does.
* ``contacts.list`` → ``contact`` (``third_party``); ``personal_information`` → ``profile``.

Time: ``date_unixtime`` (epoch seconds as a string, newer exports) is UTC; without it,
``date`` is the exporting machine's local wall-clock time, stored as if UTC with
``tz_known=False``.

``third_party``: in an account export, a message is someone else's when its ``from_id``
is not ``user<personal_information.user_id>`` (or, without ``from_id``, its sender is
not the owner's name). A single-chat export does not say who the owner is: every message
is then ``third_party=False``.

Native key: ``f"{chat_id}|{message_id}"``, the same in a single-chat export and an account
export of the same chat [unverified across Telegram Desktop versions]. Messages without
ids (hand-trimmed files) fall back to ``f"{chat id or name}|{time}|{sender}|{sha1(text)}"``.
Contacts: ``contact|<user_id>``, else ``contact|<phone>|<name>``.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import ijson
from ijson.common import ObjectBuilder

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import from_epoch, parse_iso

SOURCE = "telegram"
DELETED_ACCOUNT = "Deleted Account"

_CHAT_PREFIXES = ("", "chats.list.item", "left_chats.list.item")
_MESSAGE_PREFIXES = {f"{p}.messages.item" if p else "messages.item": p for p in _CHAT_PREFIXES}
_CHAT_FIELDS = {
    (f"{p}.{k}" if p else k): (p, k) for p in _CHAT_PREFIXES for k in ("name", "type", "id")
}
_SCALAR_EVENTS = frozenset({"string", "number", "null", "boolean"})
_EXPORT_FOLDER_RE = re.compile(r"^(?:ChatExport|DataExport)_")
_HTML_PAGE_RE = re.compile(r"^messages\d*\.html$")
_TYPE_RE = re.compile(r'"type"\s*:\s*"(?:message|service)"')
_NOT_INCLUDED = "(File not included"
_GROUP_TYPES = ("private_group", "private_supergroup", "public_supergroup", "public_group")
_CHAT_TYPE_NAMES = {"saved_messages": "Saved Messages", "replies": "Replies"}


@dataclass(slots=True)
class _Chat:
    """The chat whose messages are being read."""

    prefix: str
    index: int
    name: str | None = None
    type: str | None = None
    id: Any = None
    ready: bool = False
    waiting: list[tuple[int, Any]] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The chat name shown to people."""
        if self.name:
            return self.name
        if self.type in _CHAT_TYPE_NAMES:
            return _CHAT_TYPE_NAMES[self.type]
        return DELETED_ACCOUNT if self.type == "personal_chat" else "Telegram chat"


@dataclass(slots=True)
class _Owner:
    """The account owner, from ``personal_information`` (account exports only)."""

    from_id: str | None = None
    name: str | None = None


def _events(file: ExportFile) -> Iterator[tuple[str, str, Any]]:
    """ijson parse events of the file; a syntax error becomes a ParseError."""
    fh = file.open()
    if fh.read(3) != codecs.BOM_UTF8:
        fh.close()
        fh = file.open()
    with fh:
        try:
            yield from ijson.parse(fh, use_float=True)
        except ijson.common.IncompleteJSONError as exc:
            first = str(exc).splitlines()[0] if str(exc) else "syntax error"
            raise ParseError(f"invalid or truncated JSON: {first}") from exc


def _str(value: Any) -> str | None:
    """A non-empty stripped NFC string, or None."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value.strip())
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return None


def _norm(value: str) -> str:
    """Normalised for identity keys: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def message_text(value: Any) -> tuple[str, list[str]]:
    """The text of a message and the links in it.

    ``text`` is a string or a list of strings and ``{type, text, href}`` entities; the
    parts are concatenated as written (Telegram puts the spaces in the strings).
    """
    if isinstance(value, str):
        return value, []
    if not isinstance(value, list):
        return "", []
    parts: list[str] = []
    links: list[str] = []
    for part in value:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict):
            text = part.get("text")
            parts.append(text if isinstance(text, str) else "")
            kind = part.get("type")
            if kind == "text_link" and isinstance(part.get("href"), str):
                links.append(part["href"])
            elif kind == "link" and isinstance(text, str):
                links.append(text)
    return "".join(parts), links


def _when(item: dict[str, Any], unix_key: str, local_key: str) -> tuple[datetime, bool] | None:
    """The time of an item: the UTC epoch field when present, else local wall-clock."""
    unix = item.get(unix_key)
    if unix not in (None, ""):
        try:
            return from_epoch(str(unix).strip()), True
        except (TypeError, ValueError, OverflowError):
            raise _RowError(f"bad {unix_key} {unix!r}") from None
    local = item.get(local_key)
    if isinstance(local, str) and local.strip():
        try:
            return parse_iso(local)
        except ValueError:
            raise _RowError(f"bad {local_key} {local!r}") from None
    return None


class _RowError(ValueError):
    """An item that cannot become a record; becomes a ParseIssue."""


def _media(item: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Media fields of a message and a short label (``photo``, ``sticker 😀``)."""
    media: dict[str, Any] = {}
    for key in (
        "photo",
        "file",
        "file_name",
        "thumbnail",
        "media_type",
        "mime_type",
        "duration_seconds",
        "sticker_emoji",
        "width",
        "height",
    ):
        value = item.get(key)
        if isinstance(value, str) and value.startswith(_NOT_INCLUDED):
            value = "(not included)"
        if value not in (None, ""):
            media[key] = value
    label: str | None = None
    if "photo" in media:
        label = "photo"
    elif "media_type" in media:
        label = str(media["media_type"])
    elif "file" in media or "file_name" in media:
        label = "file"
    if label == "sticker" and media.get("sticker_emoji"):
        label = f"sticker {media['sticker_emoji']}"
    return media, label


def _reactions(value: Any) -> list[dict[str, Any]]:
    """Reactions simplified to ``{emoji, count, from}``."""
    out: list[dict[str, Any]] = []
    if not isinstance(value, list):
        return out
    for reaction in value:
        if not isinstance(reaction, dict):
            continue
        who = [r.get("from") for r in reaction.get("recent") or [] if isinstance(r, dict)]
        out.append(
            {
                "emoji": reaction.get("emoji") or reaction.get("document_id"),
                "count": reaction.get("count"),
                "from": [w for w in who if isinstance(w, str)] or None,
            }
        )
    return out


class TelegramConnector:
    """Reads Telegram Desktop JSON exports (single chat and whole account)."""

    name = "telegram"
    description = "Telegram Desktop JSON exports (result.json): messages, contacts, profile"

    def recognise(self, file: ExportFile) -> float:
        """0.95 for ``result.json`` with Telegram keys, 0.85 for an account export under
        another name, 0.8 for another JSON file holding Telegram-shaped messages."""
        if file.suffix != ".json":
            return 0.0
        head = file.peek_text().lstrip()
        if not head.startswith("{"):
            return 0.0
        account = '"personal_information"' in head and (
            '"about"' in head or '"chats"' in head or '"user_id"' in head
        )
        chat = (
            '"messages"' in head
            and '"sender_name"' not in head
            and ('"date_unixtime"' in head or '"from_id"' in head or bool(_TYPE_RE.search(head)))
        )
        if file.name.casefold() == "result.json" and (account or chat):
            return 0.95
        if account and '"first_name"' in head:
            return 0.85
        return 0.8 if chat else 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """The HTML export (``messages.html`` in a ``ChatExport_…`` folder) is not read."""
        parts = file.relpath.split("/")
        if (
            len(parts) >= 2
            and _EXPORT_FOLDER_RE.match(parts[-2])
            and _HTML_PAGE_RE.match(file.name)
        ):
            return "Telegram HTML export: not read (export again choosing JSON)"
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream messages, contacts and the profile from the event stream."""
        head = file.peek_text().lstrip()
        if head and not head.startswith("{"):
            raise ParseError("expected a Telegram JSON object, found something else")
        reader = _Reader()
        yield from reader.run(_events(file))
        if reader.items == 0:
            raise ParseError("no Telegram chats, messages or contacts found in this JSON file")


class _Reader:
    """The event-driven parser state."""

    def __init__(self) -> None:
        self.owner = _Owner()
        self.chats: dict[str, _Chat] = {}
        self.chat_counts: dict[str, int] = {}
        self.message_counts: dict[str, int] = {}
        self.items = 0

    def run(self, events: Iterator[tuple[str, str, Any]]) -> Iterator[Record | ParseIssue]:
        """Consume the events, yielding records as items complete."""
        builder: ObjectBuilder | None = None
        target: tuple[str, str] | None = None  # (kind, prefix) of the item being built
        for prefix, event, value in events:
            if builder is not None and target is not None:
                builder.event(event, value)
                if event == "end_map" and prefix == target[1]:
                    yield from self._item(target[0], target[1], builder.value)
                    builder = target = None
                continue
            if event == "start_map":
                kind = self._kind_of(prefix)
                if kind is not None:
                    builder, target = ObjectBuilder(), (kind, prefix)
                    builder.event(event, value)
                elif prefix in _CHAT_PREFIXES:
                    index = self.chat_counts.get(prefix, 0)
                    self.chat_counts[prefix] = index + 1
                    self.chats[prefix] = _Chat(prefix, index)
                    self.message_counts[prefix] = 0
                continue
            if event == "end_map" and prefix in self.chats:
                chat = self.chats.pop(prefix)
                chat.ready = True
                for position, item in chat.waiting:
                    yield from self._message(chat, position, item)
                continue
            if prefix in _MESSAGE_PREFIXES and event in _SCALAR_EVENTS | {"start_array"}:
                chat_prefix = _MESSAGE_PREFIXES[prefix]
                self.message_counts[chat_prefix] = self.message_counts.get(chat_prefix, 0) + 1
                yield ParseIssue("message is not a JSON object", prefix)
                continue
            field_of = _CHAT_FIELDS.get(prefix)
            if field_of is not None and event in _SCALAR_EVENTS and field_of[0] in self.chats:
                chat = self.chats[field_of[0]]
                setattr(chat, field_of[1], value)
                if field_of[1] == "id":
                    chat.ready = True
                    for position, item in chat.waiting:
                        yield from self._message(chat, position, item)
                    chat.waiting.clear()

    def _kind_of(self, prefix: str) -> str | None:
        """Which item a map starting at ``prefix`` is, if one we build whole."""
        if prefix in _MESSAGE_PREFIXES:
            return "message"
        if prefix == "contacts.list.item":
            return "contact"
        if prefix == "personal_information":
            return "profile"
        return None

    def _item(self, kind: str, prefix: str, item: Any) -> Iterator[Record | ParseIssue]:
        """Dispatch a completed item."""
        if kind == "message":
            chat_prefix = _MESSAGE_PREFIXES[prefix]
            chat = self.chats.get(chat_prefix)
            index = self.message_counts.get(chat_prefix, 0)
            self.message_counts[chat_prefix] = index + 1
            if chat is None:
                return
            position = (
                f"chats[{chat.index}].messages[{index}]"
                if chat_prefix.startswith("chats")
                else (
                    f"left_chats[{chat.index}].messages[{index}]"
                    if chat_prefix
                    else f"messages[{index}]"
                )
            )
            if chat.ready:
                yield from self._message(chat, position, item)
            else:
                chat.waiting.append((position, item))
        elif kind == "contact":
            index = self.chat_counts.get("contacts", 0)
            self.chat_counts["contacts"] = index + 1
            yield from self._contact(index, item)
        elif kind == "profile":
            yield from self._profile(item)

    def _message(self, chat: _Chat, position: str, item: Any) -> Iterator[Record | ParseIssue]:
        """One chat message, or nothing for service messages."""
        self.items += 1
        if item.get("type", "message") != "message":
            return
        try:
            when = _when(item, "date_unixtime", "date")
        except _RowError as exc:
            yield ParseIssue(str(exc), position)
            return
        if when is None:
            yield ParseIssue("message has no date", position)
            return
        timestamp, tz_known = when
        if "from" in item:
            sender = _str(item.get("from")) or DELETED_ACCOUNT
        elif chat.type and "channel" in chat.type:
            sender = chat.label
        else:
            sender = DELETED_ACCOUNT
        text, links = message_text(item.get("text"))
        if not text and item.get("text") is None and isinstance(item.get("text_entities"), list):
            text, links = message_text(item["text_entities"])
        media, label = _media(item)
        extra: dict[str, Any] = {"media": media or None, "links": links or None}
        poll = item.get("poll")
        if isinstance(poll, dict):
            extra["poll"] = poll
            label = f"poll: {poll.get('question')}" if poll.get("question") else "poll"
        location = item.get("location_information")
        if isinstance(location, dict):
            extra["location"] = location
            label = label or "location"
        contact = item.get("contact_information")
        if isinstance(contact, dict):
            extra["contact"] = contact
            label = label or "contact"
        text = text.strip()
        if not text and label:
            text = f"[media: {label}]" if media else f"[{label}]"
        edited = None
        try:
            edited_when = _when(item, "edited_unixtime", "edited")
            edited = edited_when[0].isoformat() if edited_when else None
        except _RowError:
            edited = None
        message_id = _str(item.get("id"))
        chat_id = _str(chat.id)
        extra.update(
            {
                "chat": chat.label,
                "chat_type": chat.type,
                "chat_id": chat_id,
                "message_id": message_id,
                "reply_to": item.get("reply_to_message_id"),
                "forwarded_from": item.get("forwarded_from"),
                "via_bot": item.get("via_bot"),
                "edited": edited,
                "reactions": _reactions(item.get("reactions")) or None,
                "left_chat": True if chat.prefix.startswith("left_chats") else None,
                "raw_date": item.get("date") if tz_known else None,
            }
        )
        if chat_id and message_id:
            key = f"{chat_id}|{message_id}"
        else:
            digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
            key = f"{chat_id or _norm(chat.label)}|{timestamp.isoformat()}|{_norm(sender)}|{digest}"
        tags: list[str] = []
        if chat.type in _GROUP_TYPES:
            tags.append("group")
        elif chat.type and "channel" in chat.type:
            tags.append("channel")
        if media:
            tags.append("media")
        if item.get("forwarded_from"):
            tags.append("forwarded")
        yield Record.create(
            SOURCE,
            "message",
            key,
            timestamp=timestamp,
            tz_known=tz_known,
            title=f"{sender} in “{chat.label}” (Telegram)",
            text=text or None,
            creator=sender,
            tags=tags,
            extra=extra,
            position=position,
            third_party=self._third_party(item, sender),
        )

    def _third_party(self, item: dict[str, Any], sender: str) -> bool:
        """True when the owner is known and did not send the message."""
        from_id = item.get("from_id")
        if self.owner.from_id and isinstance(from_id, str):
            return from_id != self.owner.from_id
        if self.owner.name:
            return _norm(sender) != _norm(self.owner.name)
        return False

    def _contact(self, index: int, item: Any) -> Iterator[Record | ParseIssue]:
        """One address-book contact."""
        self.items += 1
        position = f"contacts[{index}]"
        if not isinstance(item, dict):
            yield ParseIssue("contact is not a JSON object", position)
            return
        name = " ".join(n for n in (_str(item.get("first_name")), _str(item.get("last_name"))) if n)
        phone = _str(item.get("phone_number"))
        if not name and not phone:
            yield ParseIssue("contact has neither a name nor a phone number", position)
            return
        try:
            when = _when(item, "date_unixtime", "date")
        except _RowError:
            when = None  # contacts often carry a zero date; the contact still counts
        user_id = _str(item.get("user_id"))
        digits = re.sub(r"\D", "", phone or "")
        key = f"contact|{user_id}" if user_id else f"contact|{digits}|{_norm(name)}"
        yield Record.create(
            SOURCE,
            "contact",
            key,
            timestamp=when[0] if when else None,
            tz_known=when[1] if when else True,
            title=name or phone,
            text=phone,
            extra={"phone": phone, "user_id": user_id},
            position=position,
            third_party=True,
        )

    def _profile(self, item: Any) -> Iterator[Record | ParseIssue]:
        """The account owner's profile; also remembers the owner for ``third_party``."""
        if not isinstance(item, dict):
            return
        self.items += 1
        user_id = _str(item.get("user_id"))
        name = " ".join(n for n in (_str(item.get("first_name")), _str(item.get("last_name"))) if n)
        self.owner = _Owner(from_id=f"user{user_id}" if user_id else None, name=name or None)
        yield Record.create(
            SOURCE,
            "profile",
            f"profile|{user_id or _norm(name)}",
            title=f"Telegram account: {name}" if name else "Telegram account",
            text=_str(item.get("bio")),
            extra={
                "user_id": user_id,
                "username": _str(item.get("username")),
                "phone": _str(item.get("phone_number")),
            },
            position="personal_information",
        )


CONNECTORS = [TelegramConnector()]
