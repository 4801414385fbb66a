"""Facebook and Instagram "Download Your Information" exports (JSON option).

Two connectors, ``facebook`` and ``instagram``, share this module. Which platform a file
belongs to is decided from its path (``your_instagram_activity/``, an export zip or folder
named ``instagram-…`` / ``facebook-…``, any folder naming the platform), then from
platform-only top-level keys (``likes_media_likes`` → Instagram, ``comments_v2`` →
Facebook); a Messenger-style thread with no such hint is read as Facebook.

Text: every string (values and keys) is UTF-8 written as ``\\u00XX`` escapes (mojibake,
``"Ã©"``); each is repaired with ``s.encode("latin-1").decode("utf-8")``, keeping the
original when that fails (text that was already right). Times are epoch seconds
(``timestamp``, ``creation_timestamp``), except messages (``timestamp_ms``); all are read
as UTC (HPI suspects Instagram message times are device-local; they are epochs, so they
are stored as such with ``tz_known=True``).

Files read (found by name anywhere in the tree, new and old layouts), record kinds:

* messages — ``messages/{inbox,archived_threads,filtered_threads,message_requests,
  e2ee_cutover}/<thread>/message_N.json`` (newest first, paginated): ``message``.
  ``creator`` is the sender, ``title`` ``"<sender> in “<thread>” (Facebook)"``, ``text`` the
  content (or ``"[media: photo]"``, the share text, ``"[call: 60 s]"``); ``extra``: ``chat``,
  ``chat_type``, ``participants``, ``thread_path``, ``media``, ``share``, ``reactions``,
  ``unsent``. System lines ("X sent an attachment.", "X reacted ❤ to your message") are
  kept and tagged ``system``. Unsent messages with nothing left are skipped (other empty
  ones, e.g. a reel share the export left bare, read ``"[empty message]"``). A thread file
  lists its ``title``/``thread_path`` after the messages, so it is read twice: once for
  that metadata, once for the messages. ``third_party``: a file does not say who the
  owner is; the owner is taken as the sender of "You sent …"-style system lines, else,
  in a two-person thread titled with one participant's name, the other participant. When
  neither tells, every message is ``third_party=False``. Messenger's end-to-end export
  (``senderName``/``text``/``timestamp``, participants as plain names) is read the same
  way [unverified shape].
* posts — FB ``your_posts__check_ins__photos_and_videos_N.json`` / ``your_posts_N.json``,
  IG ``posts_N.json``, ``stories.json``, ``reels.json``: ``post``.
* comments — FB ``comments.json`` (``comments_v2``), IG ``post_comments_N.json``,
  ``reels_comments.json``: ``comment``.
* likes and reactions — FB ``likes_and_reactions_N.json`` (old ``{title, data[reaction]}``
  and new ``label_values`` shapes), ``pages_you've_liked.json``; IG ``liked_posts.json``
  (``likes_media_likes`` and the 2025 ``label_values`` list), ``liked_comments.json``,
  ``story_likes.json``: ``like`` (``creator`` = owner of the liked content when known: the
  IG title or ``Username``, the FB ``Name`` label [unverified meaning] or the English
  title "A likes B's photo.").
* saved — IG ``saved_posts.json``, FB ``your_saved_items.json``: ``save`` (``third_party``:
  the saved content is someone else's).
* follows — IG ``following.json``, FB ``who_you've_followed.json`` (or ``who_you_ve_…``),
  ``pages_and_profiles_you_follow.json``: ``follow``.
* searches — FB ``your_search_history.json``, IG ``word_or_phrase_searches.json``,
  ``account_searches.json``, ``tag_searches.json``: ``search``.

Label strings (``string_map_data`` keys, ``label_values[].label``) are localised: a small
table of known labels is used, and unknown labels are matched by shape (the entry with a
``timestamp`` is the time, the one with an ``href`` or a URL the link, the other value the
text). Every other file of a clearly-Meta export is known-ignored with a reason.

Native keys: messages ``f"{thread_path}|{timestamp_ms}|{sender}|{sha1(content)[:12]}"`` where
the content hash covers the text, media file names and shared link (``thread_path`` is the
JSON's own ``inbox/<folder>``, the same in old and new layouts; an Instagram user who
renames themselves changes the folder, hence the ids). Other kinds:
``f"{kind}|{timestamp}|{url or title}|{sha1(text)[:12]}"``; items without a time collapse
when their URL and text are equal.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import ijson
from ijson.common import ObjectBuilder

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import from_epoch

FACEBOOK = "facebook"
INSTAGRAM = "instagram"
_LABEL = {FACEBOOK: "Facebook", INSTAGRAM: "Instagram"}

_START = frozenset({"start_map", "start_array"})
_END = frozenset({"end_map", "end_array"})
_SCALARS = frozenset({"string", "number", "null", "boolean"})

_MESSAGE_FILE_RE = re.compile(r"^message_\d+\.json$", re.IGNORECASE)
_THREAD_BOXES = (
    "inbox",
    "archived_threads",
    "filtered_threads",
    "message_requests",
    "e2ee_cutover",
)
_STRONG_SEGMENT_RE = re.compile(
    r"^(?:(?P<p1>facebook|instagram)-.+|your_(?P<p2>facebook|instagram)_activity)$", re.IGNORECASE
)

#: Top-level keys that exist on one platform only.
_KEY_PLATFORM: dict[str, str] = {
    "likes_media_likes": INSTAGRAM,
    "likes_comment_likes": INSTAGRAM,
    "story_activities_story_likes": INSTAGRAM,
    "saved_saved_media": INSTAGRAM,
    "relationships_following": INSTAGRAM,
    "searches_keyword": INSTAGRAM,
    "searches_user": INSTAGRAM,
    "searches_hashtag": INSTAGRAM,
    "comments_reels_comments": INSTAGRAM,
    "ig_stories": INSTAGRAM,
    "ig_reels_media": INSTAGRAM,
    "comments_v2": FACEBOOK,
    "reactions_v2": FACEBOOK,
    "searches_v2": FACEBOOK,
    "saves_v2": FACEBOOK,
    "following_v3": FACEBOOK,
    "following_v2": FACEBOOK,
    "page_likes_v2": FACEBOOK,
    "pages_followed_v2": FACEBOOK,
}


@dataclass(frozen=True, slots=True)
class _Spec:
    """A non-message file: its names, record kind, identifying keys and platform."""

    kind: str
    names: re.Pattern[str]
    keys: tuple[str, ...]
    platform: str | None
    tag: str | None = None
    #: The file name is common outside Meta exports: it needs a Meta path or Meta content.
    generic: bool = False


def _names(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_SPECS: tuple[_Spec, ...] = (
    _Spec(
        "post",
        _names(r"^your_posts(?:__check_ins__photos_and_videos)?(?:_\d+)?\.json$"),
        ("status_updates_v2", "status_updates"),
        FACEBOOK,
    ),
    _Spec("post", _names(r"^posts_\d+\.json$"), (), INSTAGRAM, generic=True),
    _Spec("post", _names(r"^stories\.json$"), ("ig_stories",), INSTAGRAM, "story", generic=True),
    _Spec("post", _names(r"^reels\.json$"), ("ig_reels_media",), INSTAGRAM, "reel", generic=True),
    _Spec(
        "comment", _names(r"^comments\.json$"), ("comments_v2", "comments"), FACEBOOK, generic=True
    ),
    _Spec("comment", _names(r"^post_comments_\d+\.json$"), (), INSTAGRAM),
    _Spec(
        "comment",
        _names(r"^reels_comments\.json$"),
        ("comments_reels_comments",),
        INSTAGRAM,
        "reel",
    ),
    _Spec(
        "like",
        _names(r"^(?:likes_and_reactions(?:_\d+)?|posts_and_comments)\.json$"),
        ("reactions_v2", "reactions"),
        FACEBOOK,
    ),
    _Spec(
        "like",
        _names(r"^pages_you(?:'|_|’)ve_liked\.json$"),
        ("page_likes_v2", "page_likes"),
        FACEBOOK,
        "page",
    ),
    _Spec("like", _names(r"^liked_posts\.json$"), ("likes_media_likes",), INSTAGRAM),
    _Spec(
        "like", _names(r"^liked_comments\.json$"), ("likes_comment_likes",), INSTAGRAM, "comment"
    ),
    _Spec(
        "like",
        _names(r"^story_likes\.json$"),
        ("story_activities_story_likes",),
        INSTAGRAM,
        "story",
    ),
    _Spec("save", _names(r"^saved_posts\.json$"), ("saved_saved_media",), INSTAGRAM),
    _Spec(
        "save",
        _names(r"^(?:your_saved_items|saved_items_and_collections)\.json$"),
        ("saves_v2", "saves"),
        FACEBOOK,
    ),
    _Spec(
        "follow",
        _names(r"^following\.json$"),
        ("relationships_following",),
        INSTAGRAM,
        generic=True,
    ),
    _Spec(
        "follow",
        _names(r"^who_you(?:'|_|’)ve_followed\.json$"),
        ("following_v3", "following_v2", "following"),
        FACEBOOK,
    ),
    _Spec(
        "follow",
        _names(r"^following\.json$"),
        ("following_v3", "following_v2", "following"),
        FACEBOOK,
        generic=True,
    ),
    _Spec(
        "follow",
        _names(r"^(?:pages_and_profiles_you_follow|pages_you(?:'|_|’)ve_followed)\.json$"),
        ("pages_followed_v2", "pages_followed"),
        FACEBOOK,
        "page",
    ),
    _Spec(
        "search",
        _names(r"^your_search_history\.json$"),
        ("searches_v2", "searches"),
        FACEBOOK,
    ),
    _Spec("search", _names(r"^word_or_phrase_searches\.json$"), ("searches_keyword",), INSTAGRAM),
    _Spec("search", _names(r"^account_searches\.json$"), ("searches_user",), INSTAGRAM, "account"),
    _Spec("search", _names(r"^tag_searches\.json$"), ("searches_hashtag",), INSTAGRAM, "hashtag"),
)

#: Known-ignored parts of an export: (folder or file name pattern, reason).
_IGNORED: tuple[tuple[re.Pattern[str], str], ...] = (
    (_names(r"(?:^|/)(?:ads_information|ads_and_businesses|ads)/"), "ads data"),
    (
        _names(r"(?:^|/)(?:security_and_login_information|login_and_account_creation)/"),
        "security and login logs",
    ),
    (
        _names(r"(?:^|/)apps_and_websites_off_of_(?:facebook|instagram)/"),
        "off-platform activity (apps and websites)",
    ),
    (
        _names(
            r"(?:^|/)(?:personal_information|profile_information|account_information"
            r"|about_you)/"
        ),
        "profile details",
    ),
    (
        _names(r"(?:^|/)(?:preferences|your_topics|information_about_you)/"),
        "settings and inferred topics",
    ),
    (
        _names(r"(?:^|/)(?:connections|friends|followers_and_following|friends_and_followers)/"),
        "friends and followers lists",
    ),
    (_names(r"(?:^|/)(?:logged_information|activity_messages)/"), "activity logs"),
    (_names(r"(?:^|/)device_information|(?:^|/)devices?[^/]*\.json$"), "device information"),
)

_KNOWN_LABELS: dict[str, frozenset[str]] = {
    "url": frozenset({"url", "link", "href", "uri"}),
    "name": frozenset({"name", "naam", "nom", "nombre", "nome", "navn", "namn", "titel", "title"}),
    "username": frozenset(
        {
            "username",
            "nutzername",
            "benutzername",
            "gebruikersnaam",
            "nom d'utilisateur",
            "nombre de usuario",
            "nome utente",
            "nome de usuário",
            "brugernavn",
            "användarnamn",
        }
    ),
    "search": frozenset(
        {"search", "suche", "zoekopdracht", "recherche", "búsqueda", "ricerca", "pesquisa"}
    ),
    "reaction": frozenset(
        {"reaction", "reaktion", "reactie", "réaction", "reacción", "reazione", "reação"}
    ),
    "comment": frozenset(
        {"comment", "kommentar", "opmerking", "commentaire", "comentario", "commento", "comentário"}
    ),
    "owner": frozenset(
        {"media owner", "owner", "inhaber", "eigenaar", "propriétaire", "propietario"}
    ),
}

_SYSTEM_RES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r" sent an attachment\.$",
        r" sent (?:a|an) (?:photo|video|voice message|GIF|sticker|link|post|reel|story)\.?$",
        r"^(?:Reacted|Liked) .* to your message\s*$",
        r" reacted .* to your message\s*$",
        r" liked a message\.?$",
        r" unsent a message\.?$",
        r" (?:named|renamed) the group",
        r" changed the (?:group (?:photo|name)|theme|chat theme|emoji|nickname)",
        r" set (?:the|your|his|her|their) nickname",
        r" added .+ to the group\.?$",
        r" removed .+ from the group\.?$",
        r" left the group\.?$",
        r" (?:started|joined|ended) (?:a |the )?(?:video |audio )?call\.?$",
        r" missed (?:a|your) (?:video |audio )?call",
        r"^The (?:video |audio )?call ended\.?$",
        r" created a poll: ",
        r" in the poll\.$",
        r"^This poll is no longer available\.$",
        r"'s poll has multiple updates\.$",
        r"^You are now connected on Messenger",
        r"^Say hi to your new Facebook friend",
    )
)
_OWNER_HINT_RE = re.compile(
    r"^You (?:sent|reacted|unsent|named|changed|added|removed|left|created|started|missed"
    r"|called|set|joined|liked)\b"
)
#: Structures only Meta exports use, for files whose name is common elsewhere.
_META_MARKERS = (
    '"string_list_data"',
    '"string_map_data"',
    '"label_values"',
    '"media_list_data"',
    '"creation_timestamp"',
)
_MEDIA_FIELDS = (
    ("photos", "photo"),
    ("videos", "video"),
    ("audio_files", "audio"),
    ("gifs", "gif"),
    ("files", "file"),
)


# ---------------------------------------------------------------------------- helpers


def fix_mojibake(value: Any) -> Any:
    """Repair Meta's Latin-1 mojibake in every string and key of ``value``."""
    if isinstance(value, str):
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value
    if isinstance(value, list):
        return [fix_mojibake(v) for v in value]
    if isinstance(value, dict):
        return {fix_mojibake(k): fix_mojibake(v) for k, v in value.items()}
    return value


def _str(value: Any) -> str | None:
    """A non-empty stripped NFC string, or None."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value.strip())
        return value or None
    return None


def _norm(value: str) -> str:
    """Normalised for identity keys: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def _digest(*parts: str | None) -> str:
    """A short hash of some text parts."""
    return hashlib.sha1("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()[:12]


def _epoch(value: Any) -> datetime | None:
    """An epoch (s or ms) -> UTC; None for missing or zero; ValueError for garbage."""
    if value in (None, "", 0, "0") or isinstance(value, bool):
        return None
    return from_epoch(value)


def _open(file: ExportFile) -> Any:
    """The file opened in binary with any UTF-8 BOM skipped."""
    fh = file.open()
    if fh.read(3) != codecs.BOM_UTF8:
        fh.close()
        fh = file.open()
    return fh


def _events(file: ExportFile) -> Iterator[tuple[str, str, Any]]:
    """ijson parse events; a syntax error becomes a ParseError."""
    with _open(file) as fh:
        try:
            yield from ijson.parse(fh, use_float=True)
        except ijson.common.IncompleteJSONError as exc:
            first = str(exc).splitlines()[0] if str(exc) else "syntax error"
            raise ParseError(f"invalid or truncated JSON: {first}") from exc


def iter_top_items(file: ExportFile) -> Iterator[tuple[str | None, int, Any]]:
    """``(top-level key, index, item)`` for every element of every top-level array (key
    None when the document itself is an array), each built whole but one at a time."""
    stack: list[str] = []
    key: str | None = None
    counts: dict[str | None, int] = {}
    builder: ObjectBuilder | None = None
    depth = 0
    for _prefix, event, value in _events(file):
        if builder is not None:
            builder.event(event, value)
            depth += 1 if event in _START else -1 if event in _END else 0
            if depth == 0:
                index = counts.get(key, 0)
                counts[key] = index + 1
                yield key, index, builder.value
                builder = None
            continue
        if event == "map_key" and len(stack) == 1:
            key = value
            continue
        item_level = stack == ["array"] or stack == ["map", "array"]
        if item_level and event in _START:
            builder = ObjectBuilder()
            builder.event(event, value)
            depth = 1
            continue
        if item_level and event in _SCALARS:
            index = counts.get(key, 0)
            counts[key] = index + 1
            yield key, index, value
            continue
        if event in _START:
            stack.append("map" if event == "start_map" else "array")
        elif event in _END:
            stack.pop()


def _first_key(head: str) -> str | None:
    """The first top-level key of a JSON object from its head, or None."""
    m = re.match(r'\s*\{\s*"([^"]+)"', head)
    return m[1] if m else None


def _path_platform(relpath: str) -> tuple[str | None, bool]:
    """The platform a path names (nearest folder first) and whether the hint is strong
    (an export's own folder or zip name rather than any folder mentioning it)."""
    parts = relpath.split("/")[:-1]
    for part in reversed(parts):
        m = _STRONG_SEGMENT_RE.match(part)
        if m:
            return (m["p1"] or m["p2"]).lower(), True
    for part in reversed(parts):
        low = part.casefold()
        if "instagram" in low:
            return INSTAGRAM, False
        if "facebook" in low or "messenger" in low:
            return FACEBOOK, False
    return None, False


# --------------------------------------------------------------------- label fields


@dataclass(slots=True)
class _Field:
    """One labelled value of ``string_map_data``/``string_list_data``/``label_values``."""

    label: str | None
    value: str | None
    href: str | None
    timestamp: Any


def _fields(item: dict[str, Any]) -> list[_Field]:
    """Every labelled value of an item, in order, descending into ``dict``/``vec``."""
    out: list[_Field] = []
    smd = item.get("string_map_data")
    if isinstance(smd, dict):
        for label, entry in smd.items():
            if isinstance(entry, dict):
                out.append(
                    _Field(
                        label,
                        _str(entry.get("value")),
                        _str(entry.get("href")),
                        entry.get("timestamp"),
                    )
                )
    sld = item.get("string_list_data")
    if isinstance(sld, list):
        for entry in sld:
            if isinstance(entry, dict):
                out.append(
                    _Field(
                        None,
                        _str(entry.get("value")),
                        _str(entry.get("href")),
                        entry.get("timestamp"),
                    )
                )

    def walk(values: Any) -> None:
        if not isinstance(values, list):
            return
        for entry in values:
            if not isinstance(entry, dict):
                continue
            label = _str(entry.get("label")) or _str(entry.get("title"))
            if "value" in entry or "href" in entry or "timestamp_value" in entry:
                out.append(
                    _Field(
                        label,
                        _str(entry.get("value")),
                        _str(entry.get("href")),
                        entry.get("timestamp_value"),
                    )
                )
            walk(entry.get("dict"))
            walk(entry.get("vec"))

    walk(item.get("label_values"))
    return out


def _labelled(fields: list[_Field], role: str) -> str | None:
    """The value of the first field whose label is a known label for ``role``."""
    names = _KNOWN_LABELS[role]
    for f in fields:
        if f.label and f.label.casefold() in names and f.value:
            return f.value
    return None


def _looks_like_url(value: str | None) -> bool:
    return bool(value) and bool(re.match(r"^https?://", value or ""))


def _field_url(fields: list[_Field]) -> str | None:
    for f in fields:
        if f.href:
            return f.href
    for f in fields:
        if _looks_like_url(f.value):
            return f.value
    return None


def _field_time(fields: list[_Field]) -> Any:
    for f in fields:
        if f.timestamp not in (None, 0, "0", ""):
            return f.timestamp
    return None


def _field_text(fields: list[_Field], *roles: str) -> str | None:
    """A text value: by known label for ``roles``, else the first plain value by shape."""
    for role in roles:
        if value := _labelled(fields, role):
            return value
    for f in fields:
        if f.value and not _looks_like_url(f.value) and not _is_reaction(f.value):
            known = f.label and any(f.label.casefold() in names for names in _KNOWN_LABELS.values())
            if not known or (f.label and f.label.casefold() in _KNOWN_LABELS["name"]):
                return f.value
    return None


def _attachment_data(item: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``attachments[].data[]`` entries of an item."""
    out: list[dict[str, Any]] = []
    for attachment in item.get("attachments") or []:
        if isinstance(attachment, dict):
            out.extend(d for d in attachment.get("data") or [] if isinstance(d, dict))
    return out


def _data_entries(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in item.get("data") or [] if isinstance(d, dict)]


# --------------------------------------------------------------------------- the class


class MetaConnector:
    """Reads one platform's (Facebook or Instagram) JSON export files."""

    def __init__(self, platform: str) -> None:
        self.name = platform
        self.platform = platform
        self.label = _LABEL[platform]
        self.description = (
            f"{self.label} 'Download Your Information' JSON: messages, posts, comments, "
            "likes, saved items, follows, searches"
        )

    # ----------------------------------------------------------------- recognition

    def _classify(self, file: ExportFile) -> tuple[str, str, _Spec | None, float] | None:
        """``(platform, "messages"|"items", spec, confidence)`` for a file this module
        can read, else None."""
        if file.suffix != ".json":
            return None
        hint, _strong = _path_platform(file.relpath)
        head = file.peek_text().lstrip()
        if not head.startswith(("{", "[")):
            return None
        if ('"sender_name"' in head or '"senderName"' in head) and '"messages"' in head:
            if _MESSAGE_FILE_RE.match(file.name):
                return (hint or FACEBOOK), "messages", None, 0.95
            if '"timestamp_ms"' in head or '"timestamp"' in head:
                return (hint or FACEBOOK), "messages", None, 0.85
            return None
        if _MESSAGE_FILE_RE.match(file.name) and '"participants"' in head:
            return (hint or FACEBOOK), "messages", None, 0.9
        first = _first_key(head)
        for spec in _SPECS:
            named = bool(spec.names.match(file.name))
            keyed = first is not None and first in spec.keys
            if not (named or keyed):
                continue
            if named and not keyed and first is not None and first in _KEY_PLATFORM:
                continue  # another spec with the same file name owns this key
            platform = (first and _KEY_PLATFORM.get(first)) or hint or spec.platform
            if platform is None:
                continue
            if spec.platform is not None and platform != spec.platform:
                continue
            distinctive = keyed and first in _KEY_PLATFORM
            meta_like = hint is not None or any(m in head for m in _META_MARKERS)
            if distinctive:
                return platform, "items", spec, 0.9 if named else 0.8
            if named and (not spec.generic or meta_like):
                return platform, "items", spec, 0.9 if keyed else 0.7
            if keyed and hint is not None:
                return platform, "items", spec, 0.6  # a common key ("comments") in a Meta path
        return None

    def recognise(self, file: ExportFile) -> float:
        """Confidence for files of this connector's platform (see the module docstring)."""
        found = self._classify(file)
        if found is None or found[0] != self.platform:
            return 0.0
        return found[3]

    def known_ignored(self, file: ExportFile) -> str | None:
        """A reason for the other files of a clearly-Meta export of this platform."""
        platform, strong = _path_platform(file.relpath)
        if platform != self.platform or not strong:
            return None
        rel = file.relpath
        if file.suffix in (".html", ".htm"):
            return f"{self.label} HTML export: not read (request the JSON format)"
        if file.suffix != ".json":
            return None
        for pattern, reason in _IGNORED:
            if pattern.search(rel):
                return f"{self.label} {reason}: known, not indexed"
        return f"{self.label} export file: known, not indexed"

    # --------------------------------------------------------------------- parsing

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream the records of one file."""
        found = self._classify(file)
        head = file.peek_text().lstrip()
        if not head.startswith(("{", "[")):
            raise ParseError(f"not a {self.label} JSON export file (it does not start as JSON)")
        if found is None:
            raise ParseError(f"not a {self.label} export file this connector reads")
        _platform, what, spec, _score = found
        if what == "messages":
            yield from self._messages(file)
        else:
            assert spec is not None
            yield from self._items(file, spec)

    # ------------------------------------------------------------------- messages

    def _messages(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        meta = _scan_thread(file)
        if meta.messages == 0 and not meta.seen_messages_key:
            raise ParseError("no 'messages' array in this message file")
        folder = file.relpath.rsplit("/", 1)[0] if "/" in file.relpath else ""
        thread_path = meta.thread_path or _thread_path_from(file.relpath) or folder
        participants = meta.participants or sorted(meta.senders, key=str.casefold)
        chat = meta.title or _chat_from(participants) or f"{self.label} chat"
        owner = meta.owner()
        chat_type = (
            "group"
            if (meta.thread_type or "").lower().endswith("group") or len(participants) > 2
            else "private"
        )
        base_extra = {
            "chat": chat,
            "chat_type": chat_type,
            "participants": participants[:50],
            "thread_path": thread_path,
        }
        with _open(file) as fh:
            try:
                for index, raw in enumerate(ijson.items(fh, "messages.item", use_float=True)):
                    position = f"messages[{index}]"
                    if not isinstance(raw, dict):
                        yield ParseIssue("message is not a JSON object", position)
                        continue
                    try:
                        record = self._message(
                            fix_mojibake(raw), chat, thread_path, owner, base_extra, position
                        )
                    except _RowError as exc:
                        yield ParseIssue(str(exc), position)
                        continue
                    if record is not None:
                        yield record
            except ijson.common.IncompleteJSONError as exc:
                first = str(exc).splitlines()[0] if str(exc) else "syntax error"
                raise ParseError(f"invalid or truncated JSON: {first}") from exc

    def _message(
        self,
        item: dict[str, Any],
        chat: str,
        thread_path: str,
        owner: str | None,
        base_extra: dict[str, Any],
        position: str,
    ) -> Record | None:
        """One thread message, or None for an unsent message with nothing left."""
        sender = _str(item.get("sender_name")) or _str(item.get("senderName"))
        if sender is None:
            raise _RowError("message has no sender_name")
        raw_ms = item.get("timestamp_ms", item.get("timestamp"))
        try:
            when = _epoch(raw_ms)
        except (TypeError, ValueError, OverflowError):
            raise _RowError(f"bad timestamp_ms {raw_ms!r}") from None
        if when is None:
            raise _RowError("message has no timestamp_ms")
        content = _str(item.get("content")) or _str(item.get("text"))
        media: list[str] = []
        label: str | None = None
        for key, kind in _MEDIA_FIELDS:
            for entry in item.get(key) or []:
                uri = _str(entry.get("uri")) if isinstance(entry, dict) else None
                if uri:
                    media.append(uri)
                    label = label or kind
        for entry in item.get("media") or []:  # Messenger end-to-end export
            uri = _str(entry.get("uri")) if isinstance(entry, dict) else None
            if uri:
                media.append(uri)
                label = label or "file"
        sticker = item.get("sticker")
        if isinstance(sticker, dict) and _str(sticker.get("uri")):
            media.append(sticker["uri"])
            label = label or "sticker"
        share = item.get("share") if isinstance(item.get("share"), dict) else None
        share_link = _str(share.get("link")) if share else None
        share_text = _str(share.get("share_text")) if share else None
        call = item.get("call_duration")
        text = content
        if text is None and share_text:
            text = share_text
        if text is None and label:
            text = f"[media: {label}]"
        if text is None and share_link:
            text = share_link
        if text is None and item.get("type") == "Call" and isinstance(call, int | float):
            text = f"[call: {int(call)} s]"
        unsent = bool(item.get("is_unsent") or item.get("isUnsent"))
        if text is None:
            if unsent:
                return None
            text = "[empty message]"
        tags: list[str] = []
        if content and any(p.search(content) for p in _SYSTEM_RES):
            tags.append("system")
        if media:
            tags.append("media")
        if base_extra["chat_type"] == "group":
            tags.append("group")
        reactions = [
            {"reaction": _str(r.get("reaction")), "actor": _str(r.get("actor"))}
            for r in item.get("reactions") or []
            if isinstance(r, dict)
        ]
        media_names = sorted(uri.rsplit("/", 1)[-1] for uri in media)
        key = (
            f"{thread_path}|{int(float(raw_ms))}|{_norm(sender)}|"
            f"{_digest(content, *media_names, share_link)}"
        )
        return Record.create(
            self.platform,
            "message",
            key,
            timestamp=when,
            title=f"{sender} in “{chat}” ({self.label})",
            text=text,
            url=share_link,
            creator=sender,
            tags=tags,
            extra={
                **base_extra,
                "media": media or None,
                "share": {"link": share_link, "text": share_text} if share else None,
                "reactions": reactions or None,
                "unsent": unsent or None,
                "type": item.get("type") if item.get("type") not in (None, "Generic") else None,
                "call_duration_s": call if isinstance(call, int | float) else None,
            },
            position=position,
            third_party=owner is not None and _norm(sender) != _norm(owner),
        )

    # ---------------------------------------------------------------- other files

    def _items(self, file: ExportFile, spec: _Spec) -> Iterator[Record | ParseIssue]:
        handler: Callable[[dict[str, Any], _Spec], _Item | None] = _HANDLERS[spec.kind]
        count = 0
        for key, index, raw in iter_top_items(file):
            if spec.keys and key is not None and key not in spec.keys:
                continue  # another list in the same file (e.g. collections)
            count += 1
            position = f"{key}[{index}]" if key else f"[{index}]"
            if not isinstance(raw, dict):
                yield ParseIssue("entry is not a JSON object", position)
                continue
            item = fix_mojibake(raw)
            try:
                found = handler(item, spec)
            except _RowError as exc:
                yield ParseIssue(str(exc), position)
                continue
            if found is None:
                yield ParseIssue(f"{spec.kind} entry without any usable field", position)
                continue
            yield self._item_record(spec, found, position)
        if count == 0:
            first = _first_key(file.peek_text())
            if first is not None and spec.keys and first not in spec.keys:
                raise ParseError(
                    f"unexpected layout for {file.name}: top-level key {first!r}, expected "
                    f"{' or '.join(repr(k) for k in spec.keys)}"
                )

    def _item_record(self, spec: _Spec, found: _Item, position: str) -> Record:
        tags = [t for t in (spec.tag, *found.tags) if t]
        key = (
            f"{spec.kind}|{int(found.when.timestamp()) if found.when else ''}|"
            f"{found.url or _norm(found.title)}|{_digest(found.text)}"
        )
        return Record.create(
            self.platform,
            spec.kind,
            key,
            timestamp=found.when,
            title=found.title,
            text=found.text,
            url=found.url,
            creator=found.creator,
            tags=tags,
            extra=found.extra,
            position=position,
            third_party=spec.kind == "save",
        )


class _RowError(ValueError):
    """An entry that cannot become a record; becomes a ParseIssue."""


@dataclass(slots=True)
class _Item:
    """What a handler extracted from one entry."""

    title: str
    when: datetime | None
    text: str | None = None
    url: str | None = None
    creator: str | None = None
    tags: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def _time_of(item: dict[str, Any], fields: list[_Field]) -> datetime | None:
    """The entry's time: its own ``timestamp``/``creation_timestamp``, else a field's."""
    raw = item.get("timestamp")
    if raw in (None, 0):
        raw = item.get("creation_timestamp")
    if raw in (None, 0):
        raw = _field_time(fields)
    if raw in (None, 0):
        media = item.get("media")
        if isinstance(media, list) and media and isinstance(media[0], dict):
            raw = media[0].get("creation_timestamp")
    try:
        return _epoch(raw)
    except (TypeError, ValueError, OverflowError):
        raise _RowError(f"bad timestamp {raw!r}") from None


def _short(text: str, limit: int = 80) -> str:
    """The first line of a text, cut to ``limit`` characters."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


_OWNER_IN_TITLE_RE = re.compile(
    r"^.+? (?:likes|liked|reacted to|commented on|replied to|saved) (?P<owner>.+?)'s? "
    r"(?:own )?(?:post|photo|video|comment|link|status|album|story|reel)"
)


def _owner_from_title(title: str | None) -> str | None:
    """The content owner in an English Facebook title ("A likes B's post.")."""
    m = _OWNER_IN_TITLE_RE.match(title or "")
    if not m or m["owner"] in ("his", "her", "their", "your", "a", "an"):
        return None
    return m["owner"]


def _post(item: dict[str, Any], spec: _Spec) -> _Item | None:
    fields = _fields(item)
    when = _time_of(item, fields)
    texts = [_str(d.get("post")) for d in _data_entries(item)]
    text = "\n".join(t for t in texts if t) or None
    media: list[str] = []
    url: str | None = None
    place: str | None = None
    extra: dict[str, Any] = {}
    media_list = [m for m in item.get("media") or [] if isinstance(m, dict)]
    if "uri" in item:  # an Instagram story is a single media entry
        media_list.append(item)
    for m in media_list:
        if _str(m.get("uri")):
            media.append(m["uri"])
        if text is None and _str(m.get("title")):
            text = _str(m.get("title"))
    for d in _attachment_data(item):
        if isinstance(d.get("media"), dict):
            m = d["media"]
            if _str(m.get("uri")):
                media.append(m["uri"])
            text = text or _str(m.get("description"))
        if isinstance(d.get("external_context"), dict):
            url = url or _str(d["external_context"].get("url"))
        if isinstance(d.get("place"), dict):
            place = place or _str(d["place"].get("name"))
        if isinstance(d.get("life_event"), dict):
            extra["life_event"] = _str(d["life_event"].get("title"))
        if _str(d.get("text")) and text is None:
            text = _str(d.get("text"))
    caption = _str(item.get("title"))
    if spec.platform == INSTAGRAM and caption and text is None:
        text = caption
        caption = None
    if text is None and caption is None and not media and url is None and place is None:
        return None
    title = caption or (_short(text) if text else None) or place or url or "Post"
    extra.update({"media": media or None, "place": place})
    return _Item(title=title, when=when, text=text, url=url, extra=extra)


def _comment(item: dict[str, Any], spec: _Spec) -> _Item | None:
    fields = _fields(item)
    when = _time_of(item, fields)
    text: str | None = None
    author: str | None = None
    group: str | None = None
    for d in _data_entries(item):
        c = d.get("comment")
        if isinstance(c, dict):
            text = text or _str(c.get("comment"))
            author = author or _str(c.get("author"))
            group = group or _str(c.get("group"))
            if when is None:
                try:
                    when = _epoch(c.get("timestamp"))
                except (TypeError, ValueError, OverflowError):
                    raise _RowError(f"bad timestamp {c.get('timestamp')!r}") from None
    if text is None:
        text = _labelled(fields, "comment") or _field_text(fields, "comment")
    owner = _labelled(fields, "owner")
    title = _str(item.get("title"))
    if title is None:
        title = f"Comment on {owner}'s post" if owner else (_short(text) if text else "Comment")
    if text is None and title == "Comment":
        return None
    url = _field_url(fields)
    for d in _attachment_data(item):
        if isinstance(d.get("external_context"), dict):
            url = url or _str(d["external_context"].get("url"))
    return _Item(
        title=title,
        when=when,
        text=text,
        url=url,
        creator=author,
        extra={"media_owner": owner or _owner_from_title(title), "group": group},
    )


def _like(item: dict[str, Any], spec: _Spec) -> _Item | None:
    fields = _fields(item)
    when = _time_of(item, fields)
    reaction: str | None = None
    for d in _data_entries(item):
        r = d.get("reaction")
        if isinstance(r, dict):
            reaction = reaction or _str(r.get("reaction"))
    reaction = reaction or _labelled(fields, "reaction")
    url = _field_url(fields)
    title = _str(item.get("title"))
    name = _str(item.get("name"))
    owner = _labelled(fields, "username")
    label_name = _labelled(fields, "name")
    if spec.platform == INSTAGRAM:
        owner = owner or title or label_name
        if owner is None:
            plain = _field_text(fields)
            owner = plain if plain and not _is_reaction(plain) else None
        if reaction is None:
            values = [f.value for f in fields if f.value and _is_reaction(f.value)]
            reaction = values[0] if values else None
        what = {"comment": "Comment", "story": "Story"}.get(spec.tag or "", "Post")
        shown = f"{what} by {owner}" if owner else url
    else:
        owner = name or owner or label_name or _owner_from_title(title)
        shown = title or name or label_name or url
    if shown is None:
        return None
    return _Item(
        title=shown,
        when=when,
        url=url,
        creator=owner,
        extra={"reaction": reaction, "name": label_name if label_name != owner else None},
    )


def _is_reaction(value: str) -> bool:
    """True for a short non-word value (an emoji like 👍)."""
    return len(value) <= 4 and not any(ch.isalnum() for ch in value)


def _save(item: dict[str, Any], spec: _Spec) -> _Item | None:
    fields = _fields(item)
    when = _time_of(item, fields)
    url = _field_url(fields)
    owner: str | None = None
    name: str | None = None
    for d in _attachment_data(item):
        ctx = d.get("external_context")
        if isinstance(ctx, dict):
            url = url or _str(ctx.get("url"))
            name = name or _str(ctx.get("name"))
            owner = owner or _str(ctx.get("source"))
    title = _str(item.get("title"))
    if spec.platform == INSTAGRAM:
        owner = owner or title or _labelled(fields, "username")
        shown = f"Post by {owner}" if owner else url
    else:
        shown = name or title or _field_text(fields, "name") or url
    if shown is None:
        return None
    return _Item(title=shown, when=when, url=url, creator=owner)


def _follow(item: dict[str, Any], spec: _Spec) -> _Item | None:
    fields = _fields(item)
    when = _time_of(item, fields)
    url = _field_url(fields)
    names = [_str(d.get("name")) for d in _data_entries(item)]
    name = (
        _str(item.get("name"))
        or next((n for n in names if n), None)
        or (_str(item.get("title")) if spec.platform == INSTAGRAM else None)
        or _labelled(fields, "username")
        or _field_text(fields, "name")
    )
    if name is None and spec.platform == FACEBOOK:
        name = _str(item.get("title"))
    if name is None:
        return None
    return _Item(title=name, when=when, url=url, creator=name)


def _search(item: dict[str, Any], spec: _Spec) -> _Item | None:
    fields = _fields(item)
    when = _time_of(item, fields)
    texts = [_str(d.get("text")) for d in _data_entries(item)]
    texts += [_str(d.get("text")) for d in _attachment_data(item)]
    query = next((t for t in texts if t), None)
    query = query or _labelled(fields, "search") or _field_text(fields, "search", "name")
    if query is None:
        return None
    return _Item(title=query, when=when, text=query, url=_field_url(fields))


_HANDLERS: dict[str, Callable[[dict[str, Any], _Spec], _Item | None]] = {
    "post": _post,
    "comment": _comment,
    "like": _like,
    "save": _save,
    "follow": _follow,
    "search": _search,
}


# -------------------------------------------------------------------- thread scan


@dataclass(slots=True)
class _ThreadMeta:
    """A thread file's metadata (read in a first pass) and owner hints."""

    title: str | None = None
    thread_path: str | None = None
    thread_type: str | None = None
    participants: list[str] = field(default_factory=list)
    messages: int = 0
    seen_messages_key: bool = False
    owner_hints: dict[str, int] = field(default_factory=dict)
    senders: dict[str, None] = field(default_factory=dict)

    def owner(self) -> str | None:
        """The account owner's name as far as this file tells (see the docstring)."""
        if self.owner_hints:
            return max(self.owner_hints, key=lambda n: self.owner_hints[n])
        if len(self.participants) == 2 and self.title:
            others = [p for p in self.participants if _norm(p) != _norm(self.title)]
            if len(others) == 1:
                return others[0]
        return None


def _scan_thread(file: ExportFile) -> _ThreadMeta:
    """First pass over a thread file: metadata, participants, owner hints."""
    meta = _ThreadMeta()
    sender: str | None = None
    content: str | None = None
    for prefix, event, value in _events(file):
        if prefix in ("title", "threadName") and event == "string":
            meta.title = _str(fix_mojibake(value))
        elif prefix == "thread_path" and event == "string":
            meta.thread_path = _str(value)
        elif prefix == "thread_type" and event == "string":
            meta.thread_type = value
        elif prefix in ("participants.item.name", "participants.item") and event == "string":
            name = _str(fix_mojibake(value))
            if name:
                meta.participants.append(name)
        elif prefix == "messages" and event == "start_array":
            meta.seen_messages_key = True
        elif prefix == "messages.item":
            if event == "start_map":
                sender = content = None
            elif event == "end_map":
                meta.messages += 1
                if sender and len(meta.senders) < 50:
                    meta.senders.setdefault(sender, None)
                if sender and content and _OWNER_HINT_RE.match(content):
                    meta.owner_hints[sender] = meta.owner_hints.get(sender, 0) + 1
        elif prefix in ("messages.item.sender_name", "messages.item.senderName"):
            sender = _str(fix_mojibake(value)) if event == "string" else None
        elif prefix in ("messages.item.content", "messages.item.text") and event == "string":
            content = _str(fix_mojibake(value))
    return meta


def _thread_path_from(relpath: str) -> str | None:
    """``<box>/<thread folder>`` from a message file's path, if it has one."""
    parts = relpath.split("/")
    for i in range(len(parts) - 2):
        if parts[i] in _THREAD_BOXES and i >= 1 and parts[i - 1].casefold() == "messages":
            return f"{parts[i]}/{parts[i + 1]}"
    return None


def _chat_from(participants: list[str]) -> str | None:
    if not participants:
        return None
    if len(participants) <= 3:
        return ", ".join(participants)
    return f"{', '.join(participants[:3])} and {len(participants) - 3} others"


CONNECTORS = [MetaConnector(FACEBOOK), MetaConnector(INSTAGRAM)]
