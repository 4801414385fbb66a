"""Twitter / X archive (``twitter-YYYY-MM-DD-<hash>.zip``): the ``data/*.js`` files.

Format: every data file is JavaScript, ``window.YTD.<name>.partN = [ ... ]`` (archives
from before about 2020 keep the files at the root instead of under ``data/``; big
archives split a file into ``tweets-part1.js`` with ``window.YTD.tweets.part1``). The
variable uses ``_`` where the file name uses ``-`` (``saved-search.js`` ->
``window.YTD.saved_search``). Files are recognised by that prefix, so renamed files
still work; the prefix is skipped and the array after it is streamed with ijson. The
pre-2018 Grailbird files (``data/js/tweets/YYYY_MM.js``, ``Grailbird.data.tweets_YYYY_MM =
[...]``) are read the same way.

Record mapping (variable -> kind, native key):

* ``tweets`` / ``tweet`` (old name) / ``deleted_tweets`` / ``community_tweet`` and
  Grailbird ``tweets_*`` -> ``post``, key ``tweet:<id>``. Each element is
  ``{"tweet": {...}}`` or (oldest archives) the tweet itself. Text is rebuilt: t.co links
  in ``entities.urls`` are replaced by their ``expanded_url``, t.co links of attached
  media are removed (the media file names are kept in ``extra.media``), then HTML
  entities are unescaped. Replies are tagged ``reply``; retweets (``RT @user:``) are
  tagged ``retweet``, have the retweeted account as creator and are ``third_party``
  (the text is someone else's). Hashtags become tags too. ``created_at``
  (``Sat Jun 06 13:02:35 +0000 2020``) is the timestamp; tweets dated before 2006 (a
  known export bug) become parse issues.
* ``like`` -> ``like``, key ``like:<tweet id>``; ``bookmark`` -> ``save``, key
  ``bookmark:<tweet id>``. The export has **no date for a like**: the record has no
  timestamp and ``extra.liked_at_unknown``; the liked tweet's own creation time, derived
  from its snowflake id (``(id >> 22) + 1288834974657`` ms), is ``extra.tweet_created``.
* ``direct_messages`` / ``direct_messages_group`` (and the singular ``direct_message*``
  names) -> ``message``, key ``dm:<message id>``; creator is the sender's account id
  (the archive has no names). Whose messages are the user's is decided inside the file,
  without account.js: the account holder takes part in every conversation, so the
  account id is the one id present in every conversation (from the ``<a>-<b>``
  conversation ids of one-to-one chats, senders, recipients and group participant
  lists). When that is ambiguous (a single conversation, or always the same partner)
  every message is marked ``third_party`` and tagged neither ``sent`` nor ``received``.
* ``following`` -> ``follow``, key ``following:<account id>``; ``follower`` -> ``follow``
  tagged ``follower``, ``third_party``, key ``follower:<account id>``. No names, no dates.
* ``account`` -> ``profile`` (key ``account:<account id>``, timestamp = account creation;
  the phone number is not kept); ``profile`` -> ``profile`` (bio, website, location;
  key ``profile:<hash of the three>``, so each distinct version of the bio seen in
  successive archives is kept once).
* ``saved_search`` -> ``search`` tagged ``saved``, key ``saved_search:<id>``, no date.

Everything else with a ``window.YTD.`` prefix (ads, personalisation, IP audit, blocks,
mutes, lists, apps, devices, header-only DM files, ...) and ``manifest.js``,
``Your archive.html`` and the archive viewer's ``assets/`` are known and not indexed.

Keys are Twitter's own ids, so the same tweet, like or message in two archives (or in
``tweets.js`` and ``tweets-part1.js``) has one record; the first file read wins when
their contents differ (e.g. later retweet counts).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import quote

import ijson

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import parse_iso, plausible

SOURCE = "twitter"

#: ``window.YTD.<name>.partN =`` (new archives) or ``Grailbird.data.<name> =`` (old).
_PREFIX_RE = re.compile(
    rb"^\s*(?:window\.YTD\.(?P<ytd>[A-Za-z0-9_]+)\.part(?P<part>\d+)"
    rb"|Grailbird\.data\.(?P<grail>[A-Za-z0-9_]+))\s*=\s*"
)
_MANIFEST_RE = re.compile(rb"^\s*window\.__THAR_CONFIG\s*=")
_GRAILBIRD_TWEETS_RE = re.compile(r"^tweets_\d{4}_\d{2}$")
_RT_RE = re.compile(r"^RT @(\w{1,20}):")
_STATUS_URL_RE = re.compile(r"^https?://(?:mobile\.|www\.)?(?:twitter|x)\.com/(\w{1,20})/status")
_TAG_RE = re.compile(r"<[^>]+>")

TWEET_NAMES = frozenset({"tweets", "tweet", "deleted_tweets", "community_tweet"})
LIKE_NAMES = frozenset({"like"})
BOOKMARK_NAMES = frozenset({"bookmark", "bookmarks"})
DM_NAMES = frozenset(
    {"direct_messages", "direct_message", "direct_messages_group", "direct_message_group"}
)
FOLLOW_NAMES = frozenset({"follower", "following"})
PARSED_NAMES = (
    TWEET_NAMES
    | LIKE_NAMES
    | BOOKMARK_NAMES
    | DM_NAMES
    | FOLLOW_NAMES
    | {"account", "profile", "saved_search"}
)

#: Twitter's epoch for snowflake ids (ms), and the smallest id that is a snowflake.
SNOWFLAKE_EPOCH_MS = 1288834974657
_SNOWFLAKE_MIN = 10**15
#: Twitter launched in 2006; earlier dates are an export bug.
_FIRST_YEAR = 2006

_NOT_INDEXED = "known, not indexed"
#: Reasons for known data files that are not indexed, by variable name (or prefix).
_IGNORED: dict[str, str] = {
    "personalization": f"Twitter interest and ad inferences: {_NOT_INDEXED}",
    "ip_audit": f"Twitter login IP log: {_NOT_INDEXED}",
    "account_creation_ip": f"Twitter login IP log: {_NOT_INDEXED}",
    "block": f"Twitter blocked accounts: {_NOT_INDEXED}",
    "mute": f"Twitter muted accounts: {_NOT_INDEXED}",
    "app": f"Twitter connected apps: {_NOT_INDEXED}",
    "connected_application": f"Twitter connected apps: {_NOT_INDEXED}",
    "account_suspension": f"Twitter account suspensions: {_NOT_INDEXED}",
    "direct_message_headers": "Twitter DM headers (no text; messages are read from "
    "direct-messages.js): known, not indexed",
    "direct_message_group_headers": "Twitter group DM headers (no text; messages are read "
    "from direct-messages-group.js): known, not indexed",
    "tweet_headers": "Twitter tweet headers (no text; tweets are read from tweets.js): "
    f"{_NOT_INDEXED}",
    "note_tweet": f"Twitter long-tweet texts (the tweets are read from tweets.js): {_NOT_INDEXED}",
    "contact": f"Twitter uploaded address book: {_NOT_INDEXED}",
}
_IGNORED_PREFIXES: tuple[tuple[str, str], ...] = (
    ("ad_", f"Twitter ad data: {_NOT_INDEXED}"),
    ("lists_", "Twitter lists: not read yet"),
    ("periscope_", f"Periscope data: {_NOT_INDEXED}"),
)


def _prefix_match(head: bytes) -> re.Match[bytes] | None:
    """The JS assignment prefix at the start of ``head`` (a BOM is skipped), or None."""
    return _PREFIX_RE.match(head.removeprefix(b"\xef\xbb\xbf"))


def _variable(file: ExportFile) -> str | None:
    """The data variable name of a Twitter JS file (``tweets``, ``saved_search``), from
    the peek; None when the file does not start like one."""
    if file.suffix != ".js":
        return None
    match = _prefix_match(file.peek())
    if not match:
        return None
    return (match["ytd"] or match["grail"]).decode("ascii")


def _parsed_kind(name: str) -> bool:
    """Whether the variable ``name`` is one this connector turns into records."""
    return name in PARSED_NAMES or bool(_GRAILBIRD_TWEETS_RE.match(name))


def _in_twitter_archive(file: ExportFile) -> bool:
    """True when the path (or archive name) looks like a Twitter archive."""
    parts = [p.casefold() for p in file.relpath.split("/")[:-1]]
    parts.append((file.archive or "").rsplit("/", 1)[-1].casefold())
    return any(p.startswith(("twitter-", "twitter_")) or p == "twitter" for p in parts)


class TwitterArchiveConnector:
    """Reads the ``window.YTD`` data files of a Twitter / X archive."""

    name = "twitter"
    description = (
        "Twitter / X archive: tweets, likes, bookmarks, DMs, follows, account and saved "
        "searches from data/*.js (window.YTD.* files, plus old Grailbird tweet files)"
    )

    def recognise(self, file: ExportFile) -> float:
        """0.95 for a ``.js`` file starting with the ``window.YTD.<name>`` prefix of a
        kind that is read; 0 for everything else (the rest is known-ignored)."""
        name = _variable(file)
        if name is None or not _parsed_kind(name):
            return 0.0
        return 0.95

    def known_ignored(self, file: ExportFile) -> str | None:
        """Why a known archive file is not indexed, or None."""
        if file.name == "Your archive.html":
            return f"Twitter archive viewer page: {_NOT_INDEXED}"
        if file.suffix == ".js" and _MANIFEST_RE.match(file.peek()):
            return f"Twitter archive manifest: {_NOT_INDEXED}"
        folders = [p.casefold() for p in file.relpath.split("/")[:-1]]
        if "assets" in folders and _in_twitter_archive(file):
            return f"Twitter archive viewer code: {_NOT_INDEXED}"
        name = _variable(file)
        if name is None:
            if file.name.casefold() in {"tweet_index.js", "user_details.js", "payload_details.js"}:
                return f"Twitter (Grailbird) archive index: {_NOT_INDEXED}"
            return None
        if _parsed_kind(name):
            return None
        if name in _IGNORED:
            return _IGNORED[name]
        for prefix, reason in _IGNORED_PREFIXES:
            if name.startswith(prefix):
                return reason
        return f"Twitter {name.replace('_', ' ')}: {_NOT_INDEXED}"

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream records from one data file, chosen by its variable name."""
        name = _variable(file)
        if name is None:
            raise ParseError(
                "not a Twitter archive data file: it does not start with "
                "'window.YTD.<name>.partN = ['"
            )
        if name in TWEET_NAMES or _GRAILBIRD_TWEETS_RE.match(name):
            yield from _parse_tweets(file, name)
        elif name in LIKE_NAMES or name in BOOKMARK_NAMES:
            yield from _parse_likes(file, bookmark=name in BOOKMARK_NAMES)
        elif name in DM_NAMES:
            yield from _parse_dms(file, group="group" in name)
        elif name in FOLLOW_NAMES:
            yield from _parse_follows(file, name)
        elif name == "account":
            yield from _parse_account(file)
        elif name == "profile":
            yield from _parse_profile(file)
        elif name == "saved_search":
            yield from _parse_saved_searches(file)
        else:
            raise ParseError(f"Twitter {name!r} files are not indexed")


# -- reading the JS files --------------------------------------------------------------


class _ArrayStream:
    """A binary stream over a JS data file that starts at the JSON array (the
    ``window.YTD... =`` prefix already consumed), for ijson."""

    def __init__(self, fh: IO[bytes], head: bytes) -> None:
        self._fh = fh
        self._head = head

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data, self._head = self._head + self._fh.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._fh.read(size)

    def close(self) -> None:
        self._fh.close()


def _open_array(file: ExportFile) -> _ArrayStream:
    """Open ``file`` positioned at the ``[`` that follows its JS prefix."""
    fh = file.open()
    head = fh.read(64 * 1024)
    match = _prefix_match(head)
    if not match:
        fh.close()
        raise ParseError("not a Twitter archive data file: no 'window.YTD.<name> =' prefix")
    rest = head.removeprefix(b"\xef\xbb\xbf")[match.end() :].lstrip()
    if not rest.startswith(b"["):
        fh.close()
        raise ParseError("not a Twitter archive data file: no JSON array after the prefix")
    return _ArrayStream(fh, rest)


def _iter_items(file: ExportFile, prefix: str = "item") -> Iterator[Any]:
    """Stream the elements of the data array (ijson ``prefix``)."""
    stream = _open_array(file)
    try:
        yield from ijson.items(stream, prefix, use_float=True)
    except ijson.common.JSONError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise ParseError(f"invalid or truncated JSON in the data array: {first}") from exc
    finally:
        stream.close()


def _unwrap(item: Any, key: str) -> dict[str, Any] | None:
    """``{"<key>": {...}}`` -> the inner object; an unwrapped object as is; else None."""
    if not isinstance(item, dict):
        return None
    inner = item.get(key)
    if isinstance(inner, dict) and len(item) == 1:
        return inner
    return item


def _str_id(value: Any) -> str | None:
    """An id given as a string or an integer, as a digit string; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.strip().isdigit():
        return value.strip()
    return None


def _text(value: Any) -> str | None:
    """A non-empty stripped string, or None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _count(value: Any) -> int | None:
    """A count given as a number or a digit string (Twitter writes them as strings)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def status_url(tweet_id: str) -> str:
    """A link to a tweet that works without knowing its author's handle."""
    return f"https://twitter.com/i/web/status/{tweet_id}"


def snowflake_time(tweet_id: str) -> datetime | None:
    """The creation time encoded in a snowflake tweet id (ids from Nov 2010 on)."""
    number = int(tweet_id)
    if number < _SNOWFLAKE_MIN:
        return None
    dt = datetime.fromtimestamp(((number >> 22) + SNOWFLAKE_EPOCH_MS) / 1000, UTC)
    return dt if plausible(dt) else None


def _parse_created_at(raw: Any) -> datetime:
    """``Sat Jun 06 13:02:35 +0000 2020`` (or Grailbird's ``2012-10-03 17:32:49 +0000``)."""
    if not isinstance(raw, str):
        raise ValueError(f"bad created_at {raw!r}")
    for fmt in ("%a %b %d %H:%M:%S %z %Y", "%Y-%m-%d %H:%M:%S %z"):
        try:
            return datetime.strptime(raw.strip(), fmt).astimezone(UTC)
        except ValueError:
            continue
    raise ValueError(f"bad created_at {raw!r}")


# -- tweets ----------------------------------------------------------------------------


def _parse_tweets(file: ExportFile, name: str) -> Iterator[Record | ParseIssue]:
    tags = {"deleted_tweets": ["deleted"], "community_tweet": ["community"]}.get(name, [])
    for index, item in enumerate(_iter_items(file)):
        tweet = _unwrap(item, "tweet")
        if tweet is None:
            yield ParseIssue("tweet is not a JSON object", str(index))
            continue
        yield _tweet_record(tweet, index, tags)


def _media_names(tweet: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(file names of attached media, t.co links that point at them)."""
    names: list[str] = []
    links: list[str] = []
    for holder in (tweet.get("extended_entities"), tweet.get("entities")):
        media = holder.get("media") if isinstance(holder, dict) else None
        for m in media if isinstance(media, list) else []:
            if not isinstance(m, dict):
                continue
            url = _text(m.get("media_url_https")) or _text(m.get("media_url"))
            if url:
                base = url.rsplit("/", 1)[-1]
                if base not in names:
                    names.append(base)
            if (link := _text(m.get("url"))) and link not in links:
                links.append(link)
        if names:
            break
    return names, links


def rebuild_text(raw: str, entities: Any, media_links: list[str]) -> tuple[str, list[str]]:
    """Readable tweet text: t.co links expanded, media links removed, HTML unescaped.

    Returns the text and the expanded URLs."""
    text = raw
    expanded_urls: list[str] = []
    urls = entities.get("urls") if isinstance(entities, dict) else None
    for u in urls if isinstance(urls, list) else []:
        if not isinstance(u, dict):
            continue
        short = _text(u.get("url"))
        expanded = _text(u.get("expanded_url")) or _text(u.get("expanded"))
        if expanded:
            expanded_urls.append(expanded)
            if short:
                text = text.replace(short, expanded)
    for link in media_links:
        text = text.replace(link, "")
    return html.unescape(text).strip(), expanded_urls


def _entity_values(entities: Any, kind: str, field: str) -> list[str]:
    """``entities[kind][*][field]`` as a list of strings."""
    values = entities.get(kind) if isinstance(entities, dict) else None
    out: list[str] = []
    for v in values if isinstance(values, list) else []:
        if isinstance(v, dict) and (s := _text(v.get(field))):
            out.append(s)
    return out


def _tweet_record(tweet: dict[str, Any], index: int, base_tags: list[str]) -> Record | ParseIssue:
    tweet_id = _str_id(tweet.get("id_str")) or _str_id(tweet.get("id"))
    if tweet_id is None:
        return ParseIssue("tweet without an id", str(index))
    try:
        created = _parse_created_at(tweet.get("created_at"))
    except ValueError as exc:
        return ParseIssue(f"tweet {tweet_id}: {exc}", str(index))
    if created.year < _FIRST_YEAR or not plausible(created):
        return ParseIssue(
            f"tweet {tweet_id} dated {created.date()} (before Twitter existed): skipped",
            str(index),
        )
    raw_text = tweet.get("full_text") if "full_text" in tweet else tweet.get("text")
    entities = tweet.get("entities")
    media, media_links = _media_names(tweet)
    text, urls = rebuild_text(raw_text if isinstance(raw_text, str) else "", entities, media_links)
    hashtags = _entity_values(entities, "hashtags", "text")
    mentions = _entity_values(entities, "user_mentions", "screen_name")

    tags = list(base_tags)
    reply_to = _str_id(tweet.get("in_reply_to_status_id_str")) or _str_id(
        tweet.get("in_reply_to_status_id")
    )
    reply_user = _text(tweet.get("in_reply_to_screen_name"))
    rt = _RT_RE.match(text)
    retweeted = isinstance(tweet.get("retweeted_status"), dict) or rt is not None
    creator: str | None = None
    if retweeted:
        tags.append("retweet")
        title = "Retweet"
        if rt:
            creator = f"@{rt[1]}"
            title = f"Retweet of {creator}"
    elif reply_to or reply_user:
        tags.append("reply")
        title = f"Reply to @{reply_user}" if reply_user else "Reply"
    else:
        title = "Tweet"
    tags.extend(h.casefold() for h in hashtags if h.casefold() not in tags)

    numbers: dict[str, float] = {}
    for field in ("favorite_count", "retweet_count"):
        if (n := _count(tweet.get(field))) is not None:
            numbers[field] = n
    client = tweet.get("source")
    return Record.create(
        SOURCE,
        "post",
        f"tweet:{tweet_id}",
        timestamp=created,
        title=title,
        text=text,
        url=status_url(tweet_id),
        creator=creator,
        tags=tags,
        numbers=numbers,
        extra={
            "id": tweet_id,
            "reply_to": reply_to,
            "reply_to_user": reply_user,
            "lang": _text(tweet.get("lang")),
            "hashtags": hashtags,
            "mentions": mentions,
            "urls": urls,
            "media": media,
            "client": html.unescape(_TAG_RE.sub("", client)).strip()
            if isinstance(client, str)
            else None,
            "deleted_at": _text(tweet.get("deleted_at")),
        },
        position=index,
        third_party=retweeted,
    )


# -- likes and bookmarks ---------------------------------------------------------------


def _parse_likes(file: ExportFile, *, bookmark: bool) -> Iterator[Record | ParseIssue]:
    wrapper = "bookmark" if bookmark else "like"
    for index, item in enumerate(_iter_items(file)):
        like = _unwrap(item, wrapper)
        if like is None:
            yield ParseIssue(f"{wrapper} is not a JSON object", str(index))
            continue
        tweet_id = _str_id(like.get("tweetId"))
        if tweet_id is None:
            yield ParseIssue(f"{wrapper} without a tweetId", str(index))
            continue
        url = _text(like.get("expandedUrl"))
        author = _STATUS_URL_RE.match(url or "")
        creator = f"@{author[1]}" if author and author[1] != "i" else None
        created = snowflake_time(tweet_id)
        noun = "Bookmarked tweet" if bookmark else "Liked tweet"
        full_text = like.get("fullText")
        yield Record.create(
            SOURCE,
            "save" if bookmark else "like",
            f"{wrapper}:{tweet_id}",
            timestamp=None,
            title=f"{noun} by {creator}" if creator else noun,
            text=html.unescape(full_text) if isinstance(full_text, str) else None,
            url=url or status_url(tweet_id),
            creator=creator,
            extra={
                "tweet_id": tweet_id,
                f"{'bookmarked' if bookmark else 'liked'}_at_unknown": True,
                "tweet_created": created.isoformat() if created else None,
                "deleted_tweet": True if full_text is None else None,
            },
            position=index,
            third_party=True,
        )


# -- direct messages -------------------------------------------------------------------

_MSG_PREFIX = "item.dmConversation.messages.item"
_ID_FIELDS = (".senderId", ".recipientId", ".initiatingUserId")
_ID_LISTS = (".participantsSnapshot.item", ".userIds.item")


def _account_from_conversations(file: ExportFile) -> str | None:
    """The account holder's id: the one id taking part in every conversation (see the
    module docstring), or None when that is ambiguous. One streaming pass."""
    common: set[str] | None = None
    current: set[str] = set()
    stream = _open_array(file)
    try:
        for prefix, event, value in ijson.parse(stream, use_float=True):
            if prefix == "item" and event == "start_map":
                current = set()
            elif prefix == "item" and event == "end_map":
                if current:
                    common = current if common is None else common & current
            elif prefix == "item.dmConversation.conversationId" and isinstance(value, str):
                parts = value.split("-")
                if len(parts) == 2 and all(p.isdigit() for p in parts):
                    current.update(parts)
            elif (
                event in ("string", "number")
                and prefix.endswith(_ID_FIELDS + _ID_LISTS)
                and (ident := _str_id(value)) is not None
            ):
                current.add(ident)
    except ijson.common.JSONError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise ParseError(f"invalid or truncated JSON in the data array: {first}") from exc
    finally:
        stream.close()
    if common is not None and len(common) == 1:
        return next(iter(common))
    return None


def _parse_dms(file: ExportFile, *, group: bool) -> Iterator[Record | ParseIssue]:
    account = _account_from_conversations(file)
    conversation: str | None = None
    builder: ijson.common.ObjectBuilder | None = None
    index = 0
    stream = _open_array(file)
    try:
        for prefix, event, value in ijson.parse(stream, use_float=True):
            if prefix == "item.dmConversation.conversationId" and event == "string":
                conversation = value
            elif prefix == "item" and event == "start_map":
                conversation = None
            if prefix == _MSG_PREFIX and event == "start_map":
                builder = ijson.common.ObjectBuilder()
            if builder is not None:
                builder.event(event, value)
                if prefix == _MSG_PREFIX and event == "end_map":
                    record = _dm_record(builder.value, index, conversation, account, group)
                    if record is not None:
                        yield record
                    builder = None
                    index += 1
    except ijson.common.JSONError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise ParseError(f"invalid or truncated JSON in the data array: {first}") from exc
    finally:
        stream.close()


def _dm_record(
    event: Any, index: int, conversation: str | None, account: str | None, group: bool
) -> Record | ParseIssue | None:
    position = str(index)
    if not isinstance(event, dict):
        return ParseIssue("conversation event is not a JSON object", position)
    message = event.get("messageCreate")
    if not isinstance(message, dict):
        # joinConversation, participantsJoin/Leave, conversationNameUpdate: not messages.
        return None
    message_id = _str_id(message.get("id"))
    if message_id is None:
        return ParseIssue("direct message without an id", position)
    try:
        sent_at, _ = parse_iso(str(message.get("createdAt")))
    except ValueError:
        return ParseIssue(
            f"direct message {message_id}: bad createdAt {message.get('createdAt')!r}", position
        )
    sender = _str_id(message.get("senderId"))
    recipient = _str_id(message.get("recipientId"))
    raw = message.get("text")
    text, urls = rebuild_text(raw if isinstance(raw, str) else "", message, [])
    media = [
        m.rsplit("/", 1)[-1]
        for m in message.get("mediaUrls") or []
        if isinstance(m, str) and m.strip()
    ]
    tags = ["dm"] + (["group"] if group else [])
    if account is not None and sender is not None:
        own = sender == account
        tags.append("sent" if own else "received")
        third_party = not own
    else:
        third_party = True
    reactions = message.get("reactions")
    return Record.create(
        SOURCE,
        "message",
        f"dm:{message_id}",
        timestamp=sent_at,
        title="Group direct message" if group else "Direct message",
        text=text,
        creator=sender,
        tags=tags,
        extra={
            "id": message_id,
            "conversation_id": conversation,
            "sender_id": sender,
            "recipient_id": recipient,
            "urls": urls,
            "media": media,
            "reactions": len(reactions) if isinstance(reactions, list) else None,
        },
        position=position,
        third_party=third_party,
    )


# -- follows, account, profile, saved searches -----------------------------------------


def _parse_follows(file: ExportFile, name: str) -> Iterator[Record | ParseIssue]:
    follower = name == "follower"
    for index, item in enumerate(_iter_items(file)):
        entry = _unwrap(item, name)
        account_id = _str_id(entry.get("accountId")) if entry else None
        if account_id is None:
            yield ParseIssue(f"{name} entry without an accountId", str(index))
            continue
        link = _text(entry.get("userLink")) if entry else None
        yield Record.create(
            SOURCE,
            "follow",
            f"{name}:{account_id}",
            title=f"Twitter account {account_id}",
            url=link or f"https://twitter.com/intent/user?user_id={account_id}",
            tags=[name],
            extra={"account_id": account_id},
            position=index,
            third_party=follower,
        )


def _parse_account(file: ExportFile) -> Iterator[Record | ParseIssue]:
    for index, item in enumerate(_iter_items(file)):
        account = _unwrap(item, "account")
        account_id = _str_id(account.get("accountId")) if account else None
        if account is None or account_id is None:
            yield ParseIssue("account entry without an accountId", str(index))
            continue
        created: datetime | None = None
        if raw := _text(account.get("createdAt")):
            try:
                created, _ = parse_iso(raw)
            except ValueError:
                yield ParseIssue(f"bad account createdAt {raw!r}", str(index))
        username = _text(account.get("username"))
        display = _text(account.get("accountDisplayName"))
        title = f"@{username}" if username else f"Twitter account {account_id}"
        if display:
            title += f" ({display})"
        yield Record.create(
            SOURCE,
            "profile",
            f"account:{account_id}",
            timestamp=created,
            title=title,
            url=f"https://twitter.com/{username}" if username else None,
            tags=["account"],
            extra={
                "account_id": account_id,
                "username": username,
                "display_name": display,
                "email": _text(account.get("email")),
                "created_via": _text(account.get("createdVia")),
            },
            position=index,
        )


def _parse_profile(file: ExportFile) -> Iterator[Record | ParseIssue]:
    for index, item in enumerate(_iter_items(file)):
        profile = _unwrap(item, "profile")
        if profile is None:
            yield ParseIssue("profile entry is not a JSON object", str(index))
            continue
        description = profile.get("description")
        description = description if isinstance(description, dict) else {}
        bio = _text(description.get("bio"))
        website = _text(description.get("website"))
        location = _text(description.get("location"))
        version = "\x1f".join([bio or "", website or "", location or ""])
        digest = hashlib.blake2b(version.encode(), digest_size=8).hexdigest()
        yield Record.create(
            SOURCE,
            "profile",
            f"profile:{digest}",
            title="Twitter profile",
            text=html.unescape(bio) if bio else None,
            tags=["profile"],
            extra={"website": website, "location": location},
            position=index,
        )


def _parse_saved_searches(file: ExportFile) -> Iterator[Record | ParseIssue]:
    for index, item in enumerate(_iter_items(file)):
        search = _unwrap(item, "savedSearch")
        query = _text(search.get("query")) if search else None
        search_id = _str_id(search.get("savedSearchId")) if search else None
        if query is None:
            yield ParseIssue("saved search without a query", str(index))
            continue
        yield Record.create(
            SOURCE,
            "search",
            f"saved_search:{search_id or query}",
            title=query,
            url=f"https://twitter.com/search?q={quote(query, safe='')}",
            tags=["saved"],
            extra={"saved_search_id": search_id},
            position=index,
        )


CONNECTORS = [TwitterArchiveConnector()]
