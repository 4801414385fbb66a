"""The record model, the export-file abstraction and the connector protocol.

Connectors are pure parsers: they get an :class:`ExportFile` (a file on disk or a member
of a zip archive), say whether they recognise it, and stream :class:`Record` objects (and
:class:`ParseIssue` objects for bad rows) out of it. They never touch the database.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any, ClassVar, Protocol, runtime_checkable

#: The closed set of record kinds.
KINDS: frozenset[str] = frozenset(
    {
        "listen",  # a play of a track, episode or audiobook
        "watch",  # a view of a video, film or episode
        "read",  # a book read or being read
        "rate",  # an explicit rating
        "like",  # a like / thumbs up / save of something
        "purchase",  # an item bought
        "search",  # a query typed somewhere
        "visit",  # a web page visited
        "message",  # a chat or direct message
        "email",  # an email message
        "note",  # a note the user wrote
        "event",  # a calendar event
        "contact",  # a person in an address book
        "post",  # something the user published (tweet, post, comment, review)
        "place",  # a place visited or saved
        "workout",  # a workout or a day's health aggregate
        "follow",  # a subscription / follow of a channel, artist, account, person
        "save",  # saved for later: watchlist, to-read shelf, bookmark, saved post, my list
        "review",  # a review the user wrote (with or without a rating)
        "comment",  # a comment or reply the user wrote under someone else's content
        "health",  # a day's aggregate of a health measure (steps, sleep, heart rate)
        "activity",  # any other logged activity
        "profile",  # facts about the account holder
    }
)

# Conventions every connector follows (the preferences engine relies on them):
# - ``creator``: the artist, author, channel, show, site (host without "www."), brand or
#   seller, or the sender of a message — the name a person would recognise.
# - ``numbers``: ``rating`` on a common 0–1 scale, with ``rating_raw`` and ``rating_max``
#   (the original value and scale); ``price`` and ``quantity``; ``duration_s``;
#   ``ms_played``. Plain floats only.
# - ``tags``: lower-case words (genres, shelves, labels, "ad", "skip", "series").
# - ``third_party``: True when the content was written or is owned by someone else (a
#   message received, a contact's details, someone else's post the user saved).
# - ``extra``: anything else worth keeping from the raw item (JSON-serialisable).

_SOURCE_RE = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")

#: Timestamps outside this window are treated as nonsense (a missing field read as 0, a
#: unit mistake) and dropped rather than stored.
MIN_PLAUSIBLE = datetime(1971, 1, 1, tzinfo=UTC)
MAX_PLAUSIBLE_YEARS_AHEAD = 5


def record_id(source: str, native_key: str) -> str:
    """Stable id of a record: a hash of its source and its native key."""
    digest = hashlib.blake2b(f"{source}\x1f{native_key}".encode(), digest_size=10)
    return digest.hexdigest()


@dataclass(slots=True)
class Record:
    """One normalised item from an export.

    ``timestamp`` is timezone-aware UTC. When the export gives only a local wall-clock
    time (WhatsApp, Telegram ``date``), the wall-clock value is stored as if it were UTC
    and ``tz_known`` is False.
    """

    id: str
    source: str
    kind: str
    timestamp: datetime | None = None
    tz_known: bool = True
    title: str | None = None
    text: str | None = None
    url: str | None = None
    creator: str | None = None
    tags: list[str] = field(default_factory=list)
    numbers: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    #: Where in the file the record came from (row number, JSON index, message number).
    position: str | None = None
    #: The content is someone else's (a received message, a contact's details).
    third_party: bool = False

    @classmethod
    def create(
        cls,
        source: str,
        kind: str,
        key: str,
        *,
        timestamp: datetime | None = None,
        tz_known: bool = True,
        title: str | None = None,
        text: str | None = None,
        url: str | None = None,
        creator: str | None = None,
        tags: list[str] | None = None,
        numbers: dict[str, float] | None = None,
        extra: dict[str, Any] | None = None,
        position: str | int | None = None,
        third_party: bool = False,
    ) -> Record:
        """Build a record whose id is derived from ``source`` and the native ``key``."""
        if kind not in KINDS:
            raise ValueError(f"unknown record kind {kind!r}")
        if source not in _VALID_SOURCES:
            if not _SOURCE_RE.match(source):
                raise ValueError(f"bad source name {source!r}: use lower-case platform[.product]")
            _VALID_SOURCES.add(source)
        if timestamp is not None and timestamp.tzinfo is not UTC:
            if timestamp.tzinfo is None:
                raise ValueError("timestamp must be timezone-aware (use UTC)")
            timestamp = timestamp.astimezone(UTC)
        return cls(
            record_id(source, key),
            source,
            kind,
            timestamp,
            tz_known,
            clean_text(title),
            clean_text(text),
            url or None,
            clean_text(creator),
            [t for t in tags if t] if tags else [],
            {k: float(v) for k, v in numbers.items() if v is not None} if numbers else {},
            {k: v for k, v in extra.items() if v or v not in _EMPTY} if extra else {},
            None if position is None else str(position),
            third_party,
        )


@dataclass(slots=True, frozen=True)
class ParseIssue:
    """A problem with one part of a file (a bad row); the rest of the file still counts."""

    message: str
    position: str | None = None


class ParseError(Exception):
    """The whole file cannot be read; the message says why, in words a user understands."""


_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\ufeff"), None)
#: Values dropped from ``extra`` (nothing to keep).
_EMPTY: tuple[Any, ...] = (None, "", [], {})
#: Source names already checked against _SOURCE_RE (a hot path: millions of records).
_VALID_SOURCES: set[str] = set()


def clean_text(value: str | None) -> str | None:
    """Strip invisible direction marks and BOMs and surrounding space; empty -> None."""
    if value is None:
        return None
    if not value.isascii():  # the marks are non-ASCII: most values skip the translate
        value = value.translate(_INVISIBLE)
    value = value.strip()
    return value or None


def normalise_path(path: str) -> str:
    """NFC-normalise a path and fold non-breaking spaces, for pattern matching."""
    return unicodedata.normalize("NFC", path).replace("\u00a0", " ").replace("\\", "/")


class ExportFile:
    """A file to parse: on disk, or a member of a zip archive read in place.

    ``relpath`` is the path inside the export (relative to the watched folder, or the
    member name inside an archive), normalised with :func:`normalise_path`; connectors
    match their patterns against it.
    """

    PEEK_BYTES: ClassVar[int] = 8192

    def __init__(
        self,
        display_path: str,
        relpath: str,
        size: int,
        opener: Callable[[], IO[bytes]],
        *,
        mtime: float | None = None,
        archive: str | None = None,
        member: str | None = None,
        crc: int | None = None,
    ) -> None:
        self.display_path = display_path
        self.relpath = normalise_path(relpath)
        self.name = self.relpath.rsplit("/", 1)[-1]
        self.size = size
        self.mtime = mtime
        self.archive = archive
        self.member = member
        self.crc = crc
        self._opener = opener
        self._peek: bytes | None = None

    def __repr__(self) -> str:
        return f"ExportFile({self.display_path!r})"

    @classmethod
    def from_path(cls, path: str | Any, relpath: str | None = None) -> ExportFile:
        """An export file for a plain file on disk (handy in tests)."""
        import os

        p = os.fspath(path)
        st = os.stat(p)
        return cls(
            display_path=os.path.abspath(p),
            relpath=relpath if relpath is not None else os.path.basename(p),
            size=st.st_size,
            opener=lambda: open(p, "rb"),
            mtime=st.st_mtime,
        )

    @classmethod
    def from_bytes(cls, relpath: str, data: bytes) -> ExportFile:
        """An in-memory export file (handy in tests)."""
        return cls(f"<memory>/{relpath}", relpath, len(data), lambda: io.BytesIO(data))

    @property
    def suffix(self) -> str:
        """Lower-case extension with the dot (``.json``), or ``""``."""
        dot = self.name.rfind(".")
        return self.name[dot:].lower() if dot > 0 else ""

    def open(self) -> IO[bytes]:
        """Open the file for binary reading (a fresh stream each call)."""
        return self._opener()

    def peek(self) -> bytes:
        """The first few KB of the file (cached), for content sniffing."""
        if self._peek is None:
            with self.open() as fh:
                self._peek = fh.read(self.PEEK_BYTES)
        return self._peek

    def peek_text(self) -> str:
        """The peek decoded as text (BOM removed, undecodable bytes replaced)."""
        data = self.peek()
        encoding = sniff_encoding(data)
        return data.decode(encoding, errors="replace").lstrip("\ufeff")

    def open_text(self, encoding: str | None = None, newline: str | None = None) -> IO[str]:
        """Open as text: BOMs honoured (UTF-8/UTF-16), invalid bytes replaced, not fatal."""
        enc = encoding or sniff_encoding(self.peek())
        return io.TextIOWrapper(self.open(), encoding=enc, errors="replace", newline=newline)


def sniff_encoding(head: bytes) -> str:
    """Pick a decoder from a file's first bytes: BOMs first, then UTF-8, then Latin-1."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte sequence cut by the peek boundary is still UTF-8.
        if exc.start < len(head) - 4:
            return "latin-1"
    return "utf-8"


@runtime_checkable
class Connector(Protocol):
    """What every connector provides.

    ``recognise`` returns a confidence in [0, 1] (0: not mine). It should look at the
    path AND peek at the content, because folder names are translated in some exports.
    ``known_ignored`` returns a reason when the file is a known part of an export that
    is deliberately not indexed (e.g. Spotify ``Inferences.json``), else None.
    ``parse`` streams records and parse issues; it raises :class:`ParseError` (or any
    exception) when the whole file is unreadable.
    """

    #: Connector name, e.g. ``google.chrome``; also the default record source.
    name: str
    #: One line for humans: what this connector reads.
    description: str

    def recognise(self, file: ExportFile) -> float: ...

    def known_ignored(self, file: ExportFile) -> str | None: ...

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]: ...
