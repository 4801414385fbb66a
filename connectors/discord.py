"""Discord data package (``package.zip``): messages, channels, servers and the account.

Layout: ``account/user.json``; ``messages/index.json`` (channel id -> display name); one
folder per channel, ``messages/<channel id>/`` (old) or ``Messages/c<channel id>/`` (new),
holding ``channel.json`` and ``messages.csv`` (old, ``ID,Timestamp,Contents,Attachments``)
or ``messages.json`` (new, ``[{"ID", "Timestamp", "Contents", "Attachments"}]``);
``servers/index.json`` (server id -> name) and ``servers/<id>/guild.json``; ``activity/``
telemetry (NDJSON). Since about 2025 the top folders are capitalised; both are accepted.

Record mapping (file -> kind, native key):

* ``messages.csv`` / ``messages.json`` -> ``message``, key ``message:<message id>``. The
  package holds **only the user's own messages**: creator is None, tag ``sent``, never
  ``third_party``. A message file cannot see its ``channel.json`` or ``index.json``, so
  the channel comes from the folder name: its id is ``extra.channel_id`` and a tag
  ``channel-<id>``; when a folder name also carries a name (``general_1234...``) it is
  the title's channel name. Markup: ``<@123>`` mentions are kept, ``<:name:id>`` custom
  emoji become ``:name:``, ``<https://...>`` becomes the bare URL. Attachments (URLs) are
  ``extra.attachments``. Timestamps: ``2020-08-25 22:54:05.726000+00:00`` in the CSV,
  zone-less ``YYYY-MM-DD HH:MM:SS`` in the JSON (documented as UTC).
* ``channel.json`` -> one ``activity`` per channel (name, server, type, recipients),
  key ``channel:<id>``; ``messages/index.json`` -> one ``activity`` per channel with the
  display name (``general in Server``, ``Direct Message with user#1234``; the only place
  DM partners are named), key ``channel-name:<id>``. A channel therefore has up to two
  records; a message points at both through its channel id.
* ``servers/index.json`` and ``servers/<id>/guild.json`` -> ``follow`` (server membership),
  both keyed ``server:<id>`` so they collapse.
* ``account/user.json`` -> ``profile``, key ``user:<id>`` (username, global name; the email
  and phone are not kept).

Message ids are Discord snowflakes, so the same message in an old and a new package has
one record. Activity events (``events-*.json``, often GBs of telemetry), the package's
``README.txt``, audit logs, applications and other account files are known and not
indexed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import parse_iso
from connectors.util import csv_header, iter_csv_rows, iter_json_items, load_json

SOURCE = "discord"

MESSAGE_CSV_COLUMNS = ("ID", "Timestamp", "Contents")

#: ``<id>`` (old), ``c<id>`` (new), or ``<name>_<id>`` channel folder names.
_CHANNEL_DIR_RE = re.compile(r"^(?:c?(?P<id>\d{6,21})|(?P<name>.+?)[_ -](?P<nid>\d{15,21}))$")
_SERVER_DIR_RE = re.compile(r"^\d{6,21}$")
#: The start of an ``index.json``: a JSON object keyed by snowflake ids (or empty).
_ID_MAP_RE = re.compile(r'^\s*\{\s*(?:"\d{6,21}"\s*:|\})')
_EVENTS_RE = re.compile(r"^events-\d{4}-\d{5}-of-\d{5}\.json$", re.IGNORECASE)
_CUSTOM_EMOJI_RE = re.compile(r"<a?(:[A-Za-z0-9_~]+:)\d+>")
_SUPPRESSED_LINK_RE = re.compile(r"<(https?://[^\s<>]+)>")

#: Discord channel type numbers (the new package writes names like "DM" instead).
_CHANNEL_TYPES = {
    0: "text",
    1: "dm",
    2: "voice",
    3: "group_dm",
    4: "category",
    5: "announcement",
    10: "thread",
    11: "thread",
    12: "thread",
    13: "stage",
    15: "forum",
}

_NOT_INDEXED = "known, not indexed"


def _parts(file: ExportFile) -> list[str]:
    """Path parts, lower case."""
    return file.relpath.casefold().split("/")


def _top_index(parts: list[str], name: str) -> int:
    """Index of the folder ``name`` in ``parts`` (before the file name), or -1."""
    for i, part in enumerate(parts[:-1]):
        if part == name:
            return i
    return -1


def channel_from_folder(folder: str) -> tuple[str | None, str | None]:
    """(channel id, channel name) from a channel folder name; (None, None) if not one."""
    match = _CHANNEL_DIR_RE.match(folder)
    if not match:
        return None, None
    if match["id"]:
        return match["id"], None
    return match["nid"], match["name"]


def _message_folder(file: ExportFile) -> str | None:
    """The channel folder name when ``file`` sits in ``messages/<channel>/``."""
    parts = file.relpath.split("/")
    if len(parts) >= 3 and parts[-3].casefold() == "messages":
        return parts[-2]
    return None


def _in_package(file: ExportFile) -> bool:
    """True when the path looks like a Discord data package."""
    lowered = file.relpath.casefold()
    archive = (file.archive or "").casefold().rsplit("/", 1)[-1]
    return "discord" in lowered or archive.startswith("package") or lowered.startswith("package")


def _file_type(file: ExportFile) -> str | None:
    """Which Discord file this is, or None."""
    name = file.name.casefold()
    parts = _parts(file)
    folder = _message_folder(file)
    if name == "messages.csv":
        header = csv_header(file)
        if set(MESSAGE_CSV_COLUMNS) <= set(header) and "Attachments" in header:
            return "messages_csv"
        return None
    if name == "messages.json":
        head = file.peek_text().lstrip()
        if head.startswith("[") and (
            head == "[]" or ('"ID"' in head and '"Timestamp"' in head and '"Contents"' in head)
        ):
            return "messages_json"
        return None
    if name == "channel.json" and folder is not None:
        head = file.peek_text()
        if head.lstrip().startswith("{") and '"id"' in head and '"type"' in head:
            return "channel"
        return None
    if name == "index.json" and len(parts) >= 2 and parts[-2] in ("messages", "servers"):
        if not _ID_MAP_RE.match(file.peek_text()):
            return None
        return "channel_index" if parts[-2] == "messages" else "server_index"
    if (
        name == "guild.json"
        and len(parts) >= 3
        and parts[-3] == "servers"
        and _SERVER_DIR_RE.match(parts[-2])
    ):
        return "guild"
    if name == "user.json" and len(parts) >= 2 and parts[-2] == "account":
        head = file.peek_text()
        if '"username"' in head and '"id"' in head:
            return "user"
    return None


class DiscordConnector:
    """Reads a Discord data package (messages, channels, servers, account)."""

    name = "discord"
    description = (
        "Discord data package: your messages (messages/<channel>/messages.csv|json), "
        "channels, servers and account (package.zip)"
    )

    def recognise(self, file: ExportFile) -> float:
        """0.95 for a message file in a channel folder, 0.9 for the other files read,
        0.7 for a message file with the Discord shape outside a channel folder."""
        if file.suffix not in (".csv", ".json"):
            return 0.0
        kind = _file_type(file)
        if kind is None:
            return 0.0
        if kind in ("messages_csv", "messages_json"):
            folder = _message_folder(file)
            if folder is not None and channel_from_folder(folder)[0]:
                return 0.95
            return 0.7
        return 0.9

    def known_ignored(self, file: ExportFile) -> str | None:
        """Why a known package file is not indexed, or None."""
        parts = _parts(file)
        name = parts[-1]
        if file.suffix in (".csv", ".json") and _file_type(file) is not None:
            return None
        if _EVENTS_RE.match(name):
            return f"Discord telemetry events: {_NOT_INDEXED}"
        if _top_index(parts, "activity") >= 0 and name.endswith(".json") and _in_package(file):
            return f"Discord telemetry events: {_NOT_INDEXED}"
        if name == "audit-log.json" and _top_index(parts, "servers") >= 0:
            return f"Discord server audit log: {_NOT_INDEXED}"
        if name == "emoji.json" and _top_index(parts, "servers") >= 0:
            return f"Discord server emoji: {_NOT_INDEXED}"
        if _top_index(parts, "account") >= 0 and _in_package(file):
            return f"Discord account data (applications, avatar, settings): {_NOT_INDEXED}"
        if _top_index(parts, "programs") >= 0 and _in_package(file):
            return f"Discord programs data: {_NOT_INDEXED}"
        if name == "readme.txt" and "discord" in file.peek_text()[:2000].casefold():
            return f"Discord package readme: {_NOT_INDEXED}"
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream records from one package file."""
        kind = _file_type(file)
        if kind == "messages_csv":
            yield from _parse_messages_csv(file)
        elif kind == "messages_json":
            yield from _parse_messages_json(file)
        elif kind == "channel":
            yield from _parse_channel(file)
        elif kind == "channel_index":
            yield from _parse_channel_index(file)
        elif kind == "server_index":
            yield from _parse_server_index(file)
        elif kind == "guild":
            yield from _parse_guild(file)
        elif kind == "user":
            yield from _parse_user(file)
        elif file.name.casefold() == "messages.csv":
            raise ParseError(
                "not a Discord messages.csv: missing column(s) of "
                f"{', '.join(MESSAGE_CSV_COLUMNS)}, Attachments"
            )
        else:
            raise ParseError("not a Discord data package file")


# -- messages --------------------------------------------------------------------------


def clean_contents(text: str) -> str:
    """Discord markup made readable: custom emoji -> ``:name:``, ``<https://…>`` -> URL,
    CRLF -> LF; mentions (``<@123>``, ``<#123>``) are kept."""
    text = _CUSTOM_EMOJI_RE.sub(r"\1", text.replace("\r\n", "\n"))
    return _SUPPRESSED_LINK_RE.sub(r"\1", text)


def _attachments(raw: Any) -> list[str]:
    """Attachment URLs: space- or comma-separated in one cell, or a list."""
    if isinstance(raw, list):
        return [a.strip() for a in raw if isinstance(a, str) and a.strip()]
    if not isinstance(raw, str):
        return []
    return [a for a in re.split(r"[\s,]+", raw.strip()) if a]


def _message_id(raw: Any) -> str | None:
    """A snowflake id given as a number or digit string."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, str) and raw.strip().isdigit():
        return raw.strip()
    return None


def _message_record(
    raw_id: Any,
    raw_time: Any,
    contents: Any,
    attachments: Any,
    position: str,
    channel_id: str | None,
    channel_name: str | None,
) -> Record | ParseIssue:
    message_id = _message_id(raw_id)
    if message_id is None:
        return ParseIssue(f"message without a valid ID: {raw_id!r}", position)
    try:
        when, _ = parse_iso(str(raw_time))
    except ValueError:
        return ParseIssue(f"message {message_id}: bad Timestamp {raw_time!r}", position)
    files = _attachments(attachments)
    text = clean_contents(contents) if isinstance(contents, str) else None
    where = f"#{channel_name}" if channel_name else f"channel {channel_id or '?'}"
    tags = ["sent"] + ([f"channel-{channel_id}"] if channel_id else [])
    if files:
        tags.append("attachment")
    return Record.create(
        SOURCE,
        "message",
        f"message:{message_id}",
        timestamp=when,  # the new package's zone-less time is documented as UTC
        title=f"Discord message in {where}",
        text=text,
        url=f"https://discord.com/channels/@me/{channel_id}/{message_id}" if channel_id else None,
        tags=tags,
        extra={
            "id": message_id,
            "channel_id": channel_id,
            "channel_name": channel_name,
            "attachments": files,
        },
        position=position,
    )


def _channel_of(file: ExportFile) -> tuple[str | None, str | None]:
    folder = _message_folder(file)
    return channel_from_folder(folder) if folder else (None, None)


def _parse_messages_csv(file: ExportFile) -> Iterator[Record | ParseIssue]:
    channel_id, channel_name = _channel_of(file)
    for line, row in iter_csv_rows(file, MESSAGE_CSV_COLUMNS):
        yield _message_record(
            row.get("ID"),
            row.get("Timestamp"),
            row.get("Contents"),
            row.get("Attachments"),
            str(line),
            channel_id,
            channel_name,
        )


def _parse_messages_json(file: ExportFile) -> Iterator[Record | ParseIssue]:
    channel_id, channel_name = _channel_of(file)
    for index, item in enumerate(iter_json_items(file)):
        if not isinstance(item, dict):
            yield ParseIssue("message is not a JSON object", str(index))
            continue
        yield _message_record(
            item.get("ID"),
            item.get("Timestamp"),
            item.get("Contents"),
            item.get("Attachments"),
            str(index),
            channel_id,
            channel_name,
        )


# -- channels --------------------------------------------------------------------------


def _channel_type(raw: Any) -> str | None:
    """A channel type number or name -> a lower-case word."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return _CHANNEL_TYPES.get(raw, f"type-{raw}")
    if isinstance(raw, str) and raw.strip():
        return raw.strip().casefold().replace(" ", "_")
    return None


def _parse_channel(file: ExportFile) -> Iterator[Record | ParseIssue]:
    data = load_json(file, max_bytes=16 * 1024 * 1024)
    if not isinstance(data, dict):
        raise ParseError("channel.json is not a JSON object")
    channel_id = _message_id(data.get("id"))
    if channel_id is None:
        raise ParseError("channel.json without a channel id")
    kind = _channel_type(data.get("type"))
    name = data.get("name") if isinstance(data.get("name"), str) else None
    guild = data.get("guild") if isinstance(data.get("guild"), dict) else {}
    server = guild.get("name") if isinstance(guild.get("name"), str) else None
    recipients = [r for r in (_message_id(x) for x in data.get("recipients") or []) if r]
    if name and server:
        title = f"#{name} in {server}"
    elif name:
        title = f"#{name}" if kind not in ("dm", "group_dm") else name
    elif kind == "dm":
        title = "Direct message channel"
    else:
        title = f"Discord channel {channel_id}"
    yield Record.create(
        SOURCE,
        "activity",
        f"channel:{channel_id}",
        title=title,
        creator=server,
        url=f"https://discord.com/channels/{_message_id(guild.get('id')) or '@me'}/{channel_id}",
        tags=[t for t in ("channel", kind, f"channel-{channel_id}") if t],
        extra={
            "channel_id": channel_id,
            "type": kind,
            "name": name,
            "server": server,
            "server_id": _message_id(guild.get("id")),
            "recipients": recipients,
        },
    )


def _iter_object(file: ExportFile) -> Iterator[tuple[str, Any]]:
    """Key/value pairs of a top-level JSON object (small files: loaded whole)."""
    data = load_json(file, max_bytes=64 * 1024 * 1024)
    if not isinstance(data, dict):
        raise ParseError("expected a JSON object mapping ids to names")
    yield from data.items()


def _parse_channel_index(file: ExportFile) -> Iterator[Record | ParseIssue]:
    for index, (raw_id, name) in enumerate(_iter_object(file)):
        channel_id = _message_id(raw_id)
        if channel_id is None:
            yield ParseIssue(f"channel index entry with a bad id {raw_id!r}", str(index))
            continue
        if not isinstance(name, str) or not name.strip():
            continue  # unnamed channels (deleted, unknown): nothing to add
        dm = name.startswith("Direct Message with")
        yield Record.create(
            SOURCE,
            "activity",
            f"channel-name:{channel_id}",
            title=name,
            tags=["channel", "dm" if dm else "server-channel", f"channel-{channel_id}"],
            extra={"channel_id": channel_id},
            position=index,
        )


def _server_record(server_id: str, name: str, position: int | None) -> Record:
    return Record.create(
        SOURCE,
        "follow",
        f"server:{server_id}",
        title=name,
        creator=name,
        url=f"https://discord.com/channels/{server_id}",
        tags=["server"],
        extra={"server_id": server_id},
        position=position,
    )


def _parse_server_index(file: ExportFile) -> Iterator[Record | ParseIssue]:
    for index, (raw_id, name) in enumerate(_iter_object(file)):
        server_id = _message_id(raw_id)
        if server_id is None or not isinstance(name, str) or not name.strip():
            yield ParseIssue(f"server index entry without an id or name: {raw_id!r}", str(index))
            continue
        yield _server_record(server_id, name.strip(), index)


def _parse_guild(file: ExportFile) -> Iterator[Record | ParseIssue]:
    data = load_json(file, max_bytes=16 * 1024 * 1024)
    if not isinstance(data, dict):
        raise ParseError("guild.json is not a JSON object")
    server_id = _message_id(data.get("id"))
    name = data.get("name")
    if server_id is None or not isinstance(name, str) or not name.strip():
        raise ParseError("guild.json without a server id and name")
    yield _server_record(server_id, name.strip(), None)


# -- account ---------------------------------------------------------------------------


def _parse_user(file: ExportFile) -> Iterator[Record | ParseIssue]:
    data = load_json(file, max_bytes=256 * 1024 * 1024)
    if not isinstance(data, dict):
        raise ParseError("user.json is not a JSON object")
    user_id = _message_id(data.get("id"))
    username = data.get("username") if isinstance(data.get("username"), str) else None
    if user_id is None or not username:
        raise ParseError("user.json without an id and username")
    discriminator = data.get("discriminator")
    handle = username
    if str(discriminator).isdigit() and int(str(discriminator)) != 0:
        handle = f"{username}#{int(str(discriminator)):04d}"
    global_name = data.get("global_name") if isinstance(data.get("global_name"), str) else None
    relationships = data.get("relationships")
    yield Record.create(
        SOURCE,
        "profile",
        f"user:{user_id}",
        title=f"{handle} ({global_name})" if global_name else handle,
        tags=["account"],
        extra={
            "user_id": user_id,
            "username": username,
            "discriminator": str(discriminator) if discriminator is not None else None,
            "global_name": global_name,
            "relationships": len(relationships) if isinstance(relationships, list) else None,
            "premium_until": data.get("premium_until")
            if isinstance(data.get("premium_until"), str)
            else None,
        },
    )


CONNECTORS = [DiscordConnector()]
