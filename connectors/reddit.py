"""Reddit data request (GDPR/CCPA): a zip of CSV files, one per kind of data.

Files are told apart by their header (names are generic, so a file is claimed only when
its header is Reddit-shaped; the ``id,permalink`` files also need Reddit permalinks in
them or a Reddit-looking path). Ids are bare base36; fullnames are built as keys:
``t1_`` comments, ``t3_`` posts, ``t4_`` private messages. ``date`` is
``YYYY-MM-DD HH:MM:SS UTC``. Bodies are Markdown with newlines inside quoted fields.

Record mapping (file -> kind, native key):

* ``comments.csv`` -> ``comment``, key ``t1_<id>``: title ``Comment in r/<sub>``, text the
  body, url the permalink, creator None (the user), tag the subreddit (lower case).
* ``posts.csv`` -> ``post``, key ``t3_<id>``: the post title, body, permalink; an external
  link is ``extra.link``.
* ``saved_posts.csv`` / ``saved_comments.csv`` -> ``save``, key ``saved:t3_<id>`` /
  ``saved:t1_<id>``; ``hidden_posts.csv`` -> ``activity`` tagged ``hidden`` (hiding a post
  is a "not interested" signal), key ``hidden:t3_<id>``. These files have no date and no
  text: the title is the permalink's slug (``/r/sub/comments/id/some_slug/`` -> "some
  slug"), the tags are the subreddit and ``post``/``comment``; ``third_party``.
* ``post_votes.csv`` / ``comment_votes.csv`` -> ``like`` for ``up``, ``rate`` with rating 0
  for ``down`` (``none`` rows are skipped: no vote); key ``vote:t3_<id>`` / ``vote:t1_<id>``,
  no date.
* ``subscribed_subreddits.csv`` -> ``follow``, key ``subreddit:<name, lower case>``;
  ``friends.csv`` -> ``follow`` tagged ``friend``, key ``friend:<username, lower case>``.
* ``messages.csv`` / ``messages_archive.csv`` -> ``message``, key ``t4_<id>``, creator the
  sender. ``chat_history.csv`` -> ``message``, key ``chat:<message_id>``.
* ``statistics.csv`` -> one ``profile`` record (account name, registration date, ...),
  key ``account:<account name>``.

Whose messages are the user's: the user's name is in ``statistics.csv``, which cannot be
read while parsing another file. Instead each message file is read twice: the user is
the one name present in every message (as ``from`` or ``to``) of ``messages.csv``, or
posting in every channel of ``chat_history.csv``. When that is ambiguous (one message,
one partner), every message is marked ``third_party`` and tagged neither ``sent`` nor
``received``.

``comment_headers.csv``, ``post_headers.csv`` and ``message_headers.csv`` repeat the same
items without their text: they are known-ignored (their records would share the keys of
the full files and could win over them). IP logs, preferences, ads preferences, gilded
content, drafts, linked identities and the rest are known and not indexed.

Keys are Reddit's own ids, so the same comment in two data requests has one record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import from_epoch, parse_iso
from connectors.util import csv_header, iter_csv_rows

SOURCE = "reddit"
BASE_URL = "https://www.reddit.com"

COMMENT_COLUMNS = ("id", "permalink", "date", "subreddit", "body")
POST_COLUMNS = ("id", "permalink", "date", "subreddit", "title")
LINK_COLUMNS = ("id", "permalink")
VOTE_COLUMNS = ("id", "permalink", "direction")
MESSAGE_COLUMNS = ("id", "date", "from", "to", "body")
CHAT_COLUMNS = ("message_id", "created_at", "username", "message")
STAT_COLUMNS = ("statistic", "value")

_PERMALINK_RE = re.compile(
    r"/r/(?P<sub>[A-Za-z0-9_]+)/comments/(?P<post>[a-z0-9]+)(?:/(?P<slug>[^/?#]*))?"
    r"(?:/(?P<comment>[a-z0-9]+))?",
    re.IGNORECASE,
)
_FULLNAME_RE = re.compile(r"^t[1-6]_", re.IGNORECASE)

_NOT_INDEXED = "known, not indexed"
#: Names that are Reddit's wherever they are found (lower case) -> reason.
_DISTINCTIVE_IGNORED: dict[str, str] = {
    "comment_headers.csv": "Reddit comment headers (the same comments are read from "
    f"comments.csv): {_NOT_INDEXED}",
    "post_headers.csv": f"Reddit post headers (the same posts are read from posts.csv): "
    f"{_NOT_INDEXED}",
    "message_headers.csv": "Reddit message headers (the same messages are read from "
    f"messages.csv): {_NOT_INDEXED}",
    "sensitive_ads_preferences.csv": f"Reddit ad preferences: {_NOT_INDEXED}",
    "gilded_content.csv": f"Reddit gilded content: {_NOT_INDEXED}",
    "gold_received.csv": f"Reddit gold received: {_NOT_INDEXED}",
    "multireddits.csv": f"Reddit multireddits: {_NOT_INDEXED}",
    "linked_identities.csv": f"Reddit linked identities: {_NOT_INDEXED}",
    "approved_submitter_subreddits.csv": f"Reddit approved-submitter list: {_NOT_INDEXED}",
    "moderated_subreddits.csv": f"Reddit moderated subreddits: {_NOT_INDEXED}",
    "scheduled_posts.csv": f"Reddit scheduled posts: {_NOT_INDEXED}",
    "poll_votes.csv": f"Reddit poll votes: {_NOT_INDEXED}",
    "account_gender.csv": f"Reddit account gender: {_NOT_INDEXED}",
    "persona.csv": f"Reddit persona data: {_NOT_INDEXED}",
    "linked_phone_number.csv": f"Reddit linked phone number: {_NOT_INDEXED}",
    "stripe.csv": f"Reddit payment data: {_NOT_INDEXED}",
}
#: Generic names, ignored only under a Reddit-looking path.
_GENERIC_IGNORED: dict[str, str] = {
    "ip_logs.csv": f"Reddit login IP log: {_NOT_INDEXED}",
    "user_preferences.csv": f"Reddit preferences: {_NOT_INDEXED}",
    "drafts.csv": f"Reddit drafts: {_NOT_INDEXED}",
    "announcements.csv": f"Reddit announcements: {_NOT_INDEXED}",
    "birthdate.csv": f"Reddit birth date: {_NOT_INDEXED}",
    "twitter.csv": f"Reddit linked Twitter account: {_NOT_INDEXED}",
    "purchases.csv": f"Reddit purchases: {_NOT_INDEXED}",
    "subscriptions.csv": f"Reddit premium subscriptions: {_NOT_INDEXED}",
    "payouts.csv": f"Reddit payouts: {_NOT_INDEXED}",
    "checkfile.csv": f"Reddit export check file: {_NOT_INDEXED}",
    "hidden_comments.csv": f"Reddit hidden comments: {_NOT_INDEXED}",
}


#: Names (without ``.csv``) of the files read.
_KNOWN_STEMS = frozenset(
    {
        "comments",
        "posts",
        "saved_posts",
        "saved_comments",
        "hidden_posts",
        "post_votes",
        "comment_votes",
        "subscribed_subreddits",
        "friends",
        "messages",
        "messages_archive",
        "chat_history",
        "statistics",
    }
)


def _reddit_path(file: ExportFile) -> bool:
    """True when a folder or the archive name says Reddit."""
    folders = file.relpath.casefold().split("/")[:-1]
    return any("reddit" in f for f in folders) or "reddit" in (file.archive or "").casefold()


def _has_reddit_links(file: ExportFile) -> bool:
    """True when the peek holds Reddit permalinks."""
    head = file.peek_text()
    return "reddit.com/" in head or bool(_PERMALINK_RE.search(head))


def _stem(file: ExportFile) -> str:
    """The lower-case file name without ``.csv`` and a `` (1)`` copy suffix."""
    name = file.name.casefold().removesuffix(".csv")
    return re.sub(r"\s*\(\d+\)$", "", name)


def _file_type(file: ExportFile) -> str | None:
    """Which Reddit file this is, from its name and header; None when not Reddit's."""
    if file.suffix != ".csv":
        return None
    header = set(csv_header(file))
    if not header:
        return None
    stem = _stem(file)
    if stem.endswith("_headers"):
        return None
    if set(COMMENT_COLUMNS) <= header and "title" not in header:
        return "comments"
    if set(POST_COLUMNS) <= header:
        return "posts"
    if {"thread_id", *MESSAGE_COLUMNS} <= header:
        return "messages"
    if set(CHAT_COLUMNS) <= header and ({"channel_url", "conversation_type"} & header):
        return "chat"
    reddit_ish = _reddit_path(file) or _has_reddit_links(file)
    if set(VOTE_COLUMNS) <= header and reddit_ish:
        return stem if stem in ("comment_votes", "post_votes") else "votes"
    if set(LINK_COLUMNS) <= header and reddit_ish:
        for kind in ("saved_posts", "saved_comments", "hidden_posts"):
            if stem == kind:
                return kind
        return None
    if stem == "subscribed_subreddits" and "subreddit" in header:
        return "subscribed"
    if stem == "statistics" and set(STAT_COLUMNS) <= header:
        head = file.peek_text().casefold()
        if _reddit_path(file) or "account name" in head or "export time" in head:
            return "statistics"
        return None
    if stem == "friends" and "username" in header and _reddit_path(file):
        return "friends"
    return None


class RedditConnector:
    """Reads the CSV files of a Reddit data request."""

    name = "reddit"
    description = (
        "Reddit data request: comments, posts, saved and hidden items, votes, "
        "subscriptions, messages, chat history and account statistics (CSV)"
    )

    def recognise(self, file: ExportFile) -> float:
        """0.9 for a Reddit file name with its header, 0.8 for a Reddit-shaped header
        under another name; 0 otherwise."""
        if file.suffix != ".csv" or file.name.casefold() in _DISTINCTIVE_IGNORED:
            return 0.0
        if _file_type(file) is None:
            return 0.0
        return 0.9 if _stem(file) in _KNOWN_STEMS else 0.8

    def known_ignored(self, file: ExportFile) -> str | None:
        """Why a known Reddit file is not indexed, or None."""
        name = file.name.casefold()
        if name in _DISTINCTIVE_IGNORED:
            return _DISTINCTIVE_IGNORED[name]
        if name in _GENERIC_IGNORED and _reddit_path(file):
            return _GENERIC_IGNORED[name]
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream records from one Reddit CSV, chosen by its header."""
        kind = _file_type(file)
        if kind is None:
            header = csv_header(file)
            raise ParseError(
                "not a Reddit data-request CSV: unexpected header "
                f"{', '.join(header[:8]) or '(none)'}"
            )
        if kind == "comments":
            yield from _parse_comments(file)
        elif kind == "posts":
            yield from _parse_posts(file)
        elif kind in ("saved_posts", "saved_comments", "hidden_posts"):
            yield from _parse_links(file, kind)
        elif kind in ("post_votes", "comment_votes", "votes"):
            comment = {"post_votes": False, "comment_votes": True}.get(kind)
            yield from _parse_votes(file, comment=comment)
        elif kind == "subscribed":
            yield from _parse_subscribed(file)
        elif kind == "friends":
            yield from _parse_friends(file)
        elif kind == "messages":
            yield from _parse_messages(file)
        elif kind == "chat":
            yield from _parse_chat(file)
        elif kind == "statistics":
            yield from _parse_statistics(file)


class _RowError(ValueError):
    """A row that cannot become a record; becomes a ParseIssue."""


def _base_id(raw: str | None, what: str) -> str:
    """A bare base36 id (a ``t1_``-style prefix removed); raises for an empty one."""
    value = (raw or "").strip()
    value = _FULLNAME_RE.sub("", value)
    if not value or not value.isalnum():
        raise _RowError(f"{what} without a valid id: {raw!r}")
    return value.lower()


def _cell(raw: str | None) -> str | None:
    """A stripped cell, or None when empty."""
    value = (raw or "").strip()
    return value or None


def _absolute(url: str | None) -> str | None:
    """A permalink made absolute (``/r/...`` -> ``https://www.reddit.com/r/...``)."""
    value = (url or "").strip()
    if not value:
        return None
    if value.startswith("/"):
        return BASE_URL + value
    return value


def _date(raw: str | None, what: str) -> tuple[datetime, bool]:
    """``YYYY-MM-DD HH:MM:SS UTC`` (or another ISO variant, or an epoch number) ->
    (UTC datetime, tz known)."""
    value = (raw or "").strip()
    try:
        if value.replace(".", "", 1).isdigit():
            return from_epoch(value), True
        return parse_iso(value)
    except ValueError:
        raise _RowError(f"{what}: bad date {raw!r}") from None


def _sub_tag(sub: str | None) -> str | None:
    """A subreddit name as a tag (lower case, no ``r/``)."""
    value = (sub or "").strip().removeprefix("r/").removeprefix("/r/")
    return value.casefold() or None


def slug_title(permalink: str | None) -> str | None:
    """Words of a permalink's slug: ``/r/sub/comments/id/some_slug/`` -> "some slug"."""
    match = _PERMALINK_RE.search(permalink or "")
    if not match or not match["slug"]:
        return None
    words = match["slug"].replace("_", " ").replace("-", " ").strip()
    return words or None


# -- comments and posts ----------------------------------------------------------------


def _parse_comments(file: ExportFile) -> Iterator[Record | ParseIssue]:
    for line, row in iter_csv_rows(file, COMMENT_COLUMNS):
        try:
            comment_id = _base_id(row.get("id"), "comment")
            when, tz_known = _date(row.get("date"), f"comment {comment_id}")
        except _RowError as exc:
            yield ParseIssue(str(exc), str(line))
            continue
        sub = (row.get("subreddit") or "").strip()
        link = _cell(row.get("link"))
        parent = _cell(row.get("parent"))
        tags = [t for t in (_sub_tag(sub),) if t]
        if parent and parent.casefold().startswith("t1_"):
            tags.append("reply")
        yield Record.create(
            SOURCE,
            "comment",
            f"t1_{comment_id}",
            timestamp=when,
            tz_known=tz_known,
            title=f"Comment in r/{sub}" if sub else "Reddit comment",
            text=row.get("body"),
            url=_absolute(row.get("permalink")),
            tags=tags,
            numbers={"gildings": _number(row.get("gildings"))},
            extra={
                "id": comment_id,
                "subreddit": sub,
                "post": link,
                "post_slug": slug_title(link) or slug_title(row.get("permalink")),
                "parent": parent,
                "media": (row.get("media") or "").strip(),
            },
            position=line,
        )


def _parse_posts(file: ExportFile) -> Iterator[Record | ParseIssue]:
    for line, row in iter_csv_rows(file, POST_COLUMNS):
        try:
            post_id = _base_id(row.get("id"), "post")
            when, tz_known = _date(row.get("date"), f"post {post_id}")
        except _RowError as exc:
            yield ParseIssue(str(exc), str(line))
            continue
        sub = (row.get("subreddit") or "").strip()
        permalink = _absolute(row.get("permalink"))
        link = _absolute(row.get("url"))
        yield Record.create(
            SOURCE,
            "post",
            f"t3_{post_id}",
            timestamp=when,
            tz_known=tz_known,
            title=row.get("title") or slug_title(permalink) or f"Post in r/{sub}",
            text=row.get("body"),
            url=permalink,
            tags=[t for t in (_sub_tag(sub),) if t],
            numbers={"gildings": _number(row.get("gildings"))},
            extra={
                "id": post_id,
                "subreddit": sub,
                "link": link if link and link != permalink else None,
            },
            position=line,
        )


def _number(raw: str | None) -> float | None:
    """A numeric cell, or None."""
    try:
        return float((raw or "").strip())
    except ValueError:
        return None


# -- saved, hidden, votes --------------------------------------------------------------


def _link_parts(row: dict[str, str], comment_file: bool | None) -> tuple[str, str, str | None]:
    """(fullname, absolute permalink, subreddit) of an ``id,permalink`` row. Whether the
    item is a comment comes from the file name, else from the permalink's shape."""
    permalink = _absolute(row.get("permalink"))
    match = _PERMALINK_RE.search(permalink or "")
    is_comment = comment_file if comment_file is not None else bool(match and match["comment"])
    item_id = _base_id(row.get("id"), "item")
    prefix = "t1_" if is_comment else "t3_"
    return f"{prefix}{item_id}", permalink or "", match["sub"] if match else None


def _parse_links(file: ExportFile, kind: str) -> Iterator[Record | ParseIssue]:
    comment = kind == "saved_comments"
    hidden = kind == "hidden_posts"
    for line, row in iter_csv_rows(file, LINK_COLUMNS):
        try:
            fullname, permalink, sub = _link_parts(row, comment)
        except _RowError as exc:
            yield ParseIssue(str(exc), str(line))
            continue
        slug = slug_title(permalink)
        noun = "comment" if comment else "post"
        title = slug or f"Reddit {noun} {fullname}"
        if comment and slug:
            title = f"Comment on: {slug}"
        yield Record.create(
            SOURCE,
            "activity" if hidden else "save",
            f"{'hidden' if hidden else 'saved'}:{fullname}",
            title=title,
            url=permalink or None,
            tags=[t for t in (_sub_tag(sub), noun, "hidden" if hidden else None) if t],
            extra={"id": fullname, "subreddit": sub},
            position=line,
            third_party=True,
        )


def _parse_votes(file: ExportFile, *, comment: bool | None) -> Iterator[Record | ParseIssue]:
    """Votes; ``comment`` None means "decide per row from the permalink's shape"."""
    for line, row in iter_csv_rows(file, VOTE_COLUMNS):
        direction = (row.get("direction") or "").strip().casefold()
        if direction == "none":
            continue  # a withdrawn vote: nothing to record
        try:
            fullname, permalink, sub = _link_parts(row, comment)
            if direction not in ("up", "down"):
                raise _RowError(f"vote on {fullname}: unknown direction {direction!r}")
        except _RowError as exc:
            yield ParseIssue(str(exc), str(line))
            continue
        noun = "comment" if fullname.startswith("t1_") else "post"
        slug = slug_title(permalink)
        up = direction == "up"
        yield Record.create(
            SOURCE,
            "like" if up else "rate",
            f"vote:{fullname}",
            title=slug or f"Reddit {noun} {fullname}",
            url=permalink or None,
            tags=[t for t in (_sub_tag(sub), noun, "upvote" if up else "downvote") if t],
            numbers={} if up else {"rating": 0.0, "rating_raw": -1.0, "rating_max": 1.0},
            extra={"id": fullname, "subreddit": sub, "direction": direction},
            position=line,
            third_party=True,
        )


# -- subscriptions and friends ---------------------------------------------------------


def _parse_subscribed(file: ExportFile) -> Iterator[Record | ParseIssue]:
    for line, row in iter_csv_rows(file, ("subreddit",)):
        sub = (row.get("subreddit") or "").strip().removeprefix("r/")
        if not re.fullmatch(r"[A-Za-z0-9_]{2,32}", sub):
            yield ParseIssue(f"bad subreddit name {sub!r}", str(line))
            continue
        yield Record.create(
            SOURCE,
            "follow",
            f"subreddit:{sub.casefold()}",
            title=f"r/{sub}",
            url=f"{BASE_URL}/r/{sub}/",
            creator=f"r/{sub}",
            tags=["subreddit", sub.casefold()],
            position=line,
        )


def _parse_friends(file: ExportFile) -> Iterator[Record | ParseIssue]:
    for line, row in iter_csv_rows(file, ("username",)):
        user = (row.get("username") or "").strip().removeprefix("u/")
        if not user:
            yield ParseIssue("friend without a username", str(line))
            continue
        yield Record.create(
            SOURCE,
            "follow",
            f"friend:{user.casefold()}",
            title=f"u/{user}",
            text=row.get("note"),
            url=f"{BASE_URL}/user/{user}/",
            creator=f"u/{user}",
            tags=["friend"],
            position=line,
            third_party=True,
        )


# -- messages and chat -----------------------------------------------------------------


def common_member(groups: Iterator[set[str]]) -> str | None:
    """The one value present in every group (the account holder in every conversation),
    or None when there is no group, no such value, or more than one."""
    common: set[str] | None = None
    for group in groups:
        common = set(group) if common is None else common & group
        if not common:
            return None
    if common is not None and len(common) == 1:
        return next(iter(common))
    return None


def _name(raw: str | None) -> str:
    """A username compared case-insensitively, without ``u/`` / ``/u/``."""
    return (raw or "").strip().removeprefix("/").removeprefix("u/").casefold()


def _message_user(file: ExportFile) -> str | None:
    """The user's name in a messages file: present in every message (from or to)."""

    def groups() -> Iterator[set[str]]:
        for _, row in iter_csv_rows(file, MESSAGE_COLUMNS):
            names = {_name(row.get("from")), _name(row.get("to"))} - {""}
            if names:
                yield names

    return common_member(groups())


def _parse_messages(file: ExportFile) -> Iterator[Record | ParseIssue]:
    user = _message_user(file)
    for line, row in iter_csv_rows(file, MESSAGE_COLUMNS):
        try:
            message_id = _base_id(row.get("id"), "message")
            when, tz_known = _date(row.get("date"), f"message {message_id}")
        except _RowError as exc:
            yield ParseIssue(str(exc), str(line))
            continue
        sender = (row.get("from") or "").strip() or None
        tags = ["dm"]
        if user is not None:
            own = _name(sender) == user
            tags.append("sent" if own else "received")
            third_party = not own
        else:
            third_party = True
        yield Record.create(
            SOURCE,
            "message",
            f"t4_{message_id}",
            timestamp=when,
            tz_known=tz_known,
            title=row.get("subject") or "Reddit message",
            text=row.get("body"),
            url=_absolute(row.get("permalink")),
            creator=sender,
            tags=tags,
            extra={
                "id": message_id,
                "thread_id": (row.get("thread_id") or "").strip(),
                "to": (row.get("to") or "").strip(),
            },
            position=line,
            third_party=third_party,
        )


def _chat_user(file: ExportFile) -> str | None:
    """The user's name in a chat history: posting in every channel."""
    channels: dict[str, set[str]] = {}
    for _, row in iter_csv_rows(file, CHAT_COLUMNS):
        channel = (row.get("channel_url") or row.get("channel_name") or "").strip()
        if name := _name(row.get("username")):
            channels.setdefault(channel, set()).add(name)
    if len(channels) < 2:
        return None
    return common_member(iter(channels.values()))


def _parse_chat(file: ExportFile) -> Iterator[Record | ParseIssue]:
    user = _chat_user(file)
    for line, row in iter_csv_rows(file, CHAT_COLUMNS):
        message_id = (row.get("message_id") or "").strip()
        if not message_id:
            yield ParseIssue("chat message without a message_id", str(line))
            continue
        try:
            when, tz_known = _date(row.get("created_at"), f"chat message {message_id}")
        except _RowError as exc:
            yield ParseIssue(str(exc), str(line))
            continue
        sender = (row.get("username") or "").strip() or None
        channel = (row.get("channel_name") or "").strip()
        sub = (row.get("subreddit") or "").strip()
        tags = ["chat"] + [t for t in (_sub_tag(sub),) if t]
        if user is not None:
            own = _name(sender) == user
            tags.append("sent" if own else "received")
            third_party = not own
        else:
            third_party = True
        yield Record.create(
            SOURCE,
            "message",
            f"chat:{message_id}",
            timestamp=when,
            tz_known=tz_known,
            title=f"Chat in {channel or (f'r/{sub}' if sub else 'Reddit chat')}",
            text=row.get("message"),
            creator=sender,
            tags=tags,
            extra={
                "id": message_id,
                "channel_url": (row.get("channel_url") or "").strip(),
                "channel_name": channel,
                "subreddit": sub,
                "thread_parent": (row.get("thread_parent_message_id") or "").strip(),
                "conversation_type": (row.get("conversation_type") or "").strip(),
            },
            position=line,
            third_party=third_party,
        )


# -- statistics ------------------------------------------------------------------------


def _parse_statistics(file: ExportFile) -> Iterator[Record | ParseIssue]:
    stats: dict[str, Any] = {}
    for line, row in iter_csv_rows(file, STAT_COLUMNS):
        key = (row.get("statistic") or "").strip().casefold()
        if not key:
            yield ParseIssue("statistic without a name", str(line))
            continue
        stats[key.replace(" ", "_")] = (row.get("value") or "").strip()
    account = stats.get("account_name")
    if not account:
        raise ParseError("Reddit statistics.csv without an 'account name' row")
    registered: datetime | None = None
    tz_known = True
    if raw := stats.get("registration_date"):
        try:
            registered, tz_known = parse_iso(raw)
        except ValueError:
            yield ParseIssue(f"bad registration date {raw!r}", None)
    yield Record.create(
        SOURCE,
        "profile",
        f"account:{account.casefold()}",
        timestamp=registered,
        tz_known=tz_known,
        title=f"u/{account}",
        url=f"{BASE_URL}/user/{account}/",
        tags=["account"],
        extra=stats,
    )


CONNECTORS = [RedditConnector()]
