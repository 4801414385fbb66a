"""Discovery: walk folders and zip archives in place and route each file to a connector.

Nothing is extracted to disk: archive members are read straight from the zip (nested zips
too, up to a depth limit). Every file ends in exactly one routing decision: parse it with a
connector, known-and-ignored (with a reason), unrecognised, or failed (with a reason).

Archives are untrusted input. Before a member is read, :class:`ArchiveLimits` are checked
against the zip's central directory: entries per archive, declared uncompressed bytes per
archive, bytes per member, the compression ratio (zip bombs), nesting depth; encrypted and
bzip2 members are refused and symbolic links are ignored, never followed. Member names are
made relative and free of ``..``. Headers can lie, so every member stream is also wrapped
in a :class:`LimitedReader` that stops once more bytes come out than were declared.
A refusal names the limit and its ``[index]`` config key.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import stat
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from connectors.base import Connector, ExportFile, ParseError

log = logging.getLogger(__name__)

Outcome = Literal["indexed", "ignored", "unrecognised", "failed"]

#: Names of partial downloads: skipped until the browser renames them.
_PARTIAL_RE = re.compile(r"(\.(crdownload|part|partial|download|tmp)$)|(^~\$)|(^\.~lock)", re.I)
_MEDIA_SUFFIXES = frozenset(
    [
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".webp",
        ".heic",
        ".heif",
        ".bmp",
        ".tif",
        ".tiff",
        ".svg",
        ".ico",
        ".pdf",
        ".mp3",
        ".m4a",
        ".wav",
        ".ogg",
        ".opus",
        ".aac",
        ".flac",
        ".amr",
        ".mp4",
        ".mov",
        ".m4v",
        ".webm",
        ".3gp",
        ".avi",
        ".mkv",
    ]
)
_SYSTEM_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini", "icon\r"})
#: Archive index pages with no data (Takeout's, localised).
_INDEX_PAGE_RE = re.compile(r"(^|/)(archive_browser|archiv_übersicht)\.html$", re.I)


#: Defaults of the archive limits (the ``[index]`` config keys of the same names).
DEFAULT_MAX_MEMBER_BYTES = 8 * 1024**3
DEFAULT_MAX_ARCHIVE_DEPTH = 2
DEFAULT_MAX_COMPRESSION_RATIO = 200.0
DEFAULT_MAX_ARCHIVE_BYTES = 64 * 1024**3
DEFAULT_MAX_ARCHIVE_ENTRIES = 100_000
#: Members declaring fewer bytes than this are never refused for their compression ratio:
#: small repetitive files compress extremely well and cannot be bombs.
RATIO_CHECK_MIN_BYTES = 1024 * 1024


@dataclass(slots=True, frozen=True)
class ArchiveLimits:
    """What discovery accepts from a zip archive (see ``[index]`` in the config)."""

    #: Zips inside zips are opened up to this depth (``index.max_archive_depth``).
    max_depth: int = DEFAULT_MAX_ARCHIVE_DEPTH
    #: Members declaring more uncompressed bytes are not read (``index.max_member_bytes``).
    max_member_bytes: int = DEFAULT_MAX_MEMBER_BYTES
    #: Members of at least :data:`RATIO_CHECK_MIN_BYTES` expanding more than this many
    #: times are not read (``index.max_compression_ratio``).
    max_compression_ratio: float = DEFAULT_MAX_COMPRESSION_RATIO
    #: Declared uncompressed bytes of the members that would be read (media and nested
    #: zips aside), nested archives included, per archive (``index.max_archive_bytes``).
    max_archive_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES
    #: Entries per archive, nested archives included (``index.max_archive_entries``).
    max_archive_entries: int = DEFAULT_MAX_ARCHIVE_ENTRIES


@dataclass(slots=True)
class _Budget:
    """What one top-level archive (with its nested archives) has used of the limits."""

    entries: int = 0
    bytes: int = 0
    limits: ArchiveLimits = field(default_factory=ArchiveLimits)


class ArchiveLimitError(ParseError, OSError):
    """An archive member produced more bytes than its header declared or the limit."""


class LimitedReader(io.BufferedIOBase):
    """A member stream that raises :class:`ArchiveLimitError` as soon as more than
    ``limit`` bytes come out of it (reads past a lying header stop there)."""

    _CHUNK = 1024 * 1024

    def __init__(self, raw: IO[bytes], limit: int, message: str) -> None:
        super().__init__()
        self._raw = raw
        self._limit = limit
        self._message = message
        self._pos = 0

    def _count(self, data: bytes) -> bytes:
        self._pos += len(data)
        if self._pos > self._limit:
            raise ArchiveLimitError(self._message)
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._raw.seekable()

    def read(self, size: int | None = -1) -> bytes:
        if size is not None and size >= 0:
            return self._count(self._raw.read(size))
        chunks = []
        while chunk := self._raw.read(self._CHUNK):
            chunks.append(self._count(chunk))
        return b"".join(chunks)

    def read1(self, size: int = -1) -> bytes:
        reader = getattr(self._raw, "read1", self._raw.read)
        return self._count(reader(self._CHUNK if size is None or size < 0 else size))

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        room = max(self._limit - self._pos, 0) + 1
        size = room if size is None or size < 0 else min(size, room)
        return self._count(self._raw.readline(size))

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._pos = self._raw.seek(offset, whence)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


class _ArchiveLink(ExportFile):
    """A symbolic link stored in an archive: ignored, never followed nor read."""


@dataclass(slots=True)
class Found:
    """A file found by discovery; ``failure`` is set when it could not even be opened."""

    file: ExportFile
    failure: str | None = None


@dataclass(slots=True)
class Route:
    """The routing decision for one file."""

    outcome: Literal["parse", "ignored", "unrecognised", "failed"]
    connector: Connector | None = None
    reason: str | None = None


def is_partial_download(name: str) -> bool:
    """True for in-progress download or lock-file names (``.crdownload``, ``~$x``)."""
    return bool(_PARTIAL_RE.search(name))


def _safe_member_path(name: str) -> str:
    """A member name made relative and free of ``..`` (we never extract, but paths are
    shown to users and matched by connectors)."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return "/".join(parts)


def _counts_towards_bytes(name: str) -> bool:
    """Members that would be read count towards ``max_archive_bytes`` (media attachments
    are never read, nested zips are counted by their own members)."""
    suffix = name[name.rfind(".") :].lower() if "." in name.rsplit("/", 1)[-1] else ""
    return suffix not in _MEDIA_SUFFIXES and suffix != ".zip"


def _archive_refusal(infos: list[zipfile.ZipInfo], budget: _Budget, nested: bool) -> str | None:
    """Why a whole archive is not read (too many entries, too many bytes), or None."""
    limits = budget.limits
    scope = "with the archives it contains " if nested else ""
    budget.entries += len(infos)
    if budget.entries > limits.max_archive_entries:
        return (
            f"archive {scope}has {budget.entries} entries, more than the limit of "
            f"{limits.max_archive_entries} (index.max_archive_entries); not read"
        )
    budget.bytes += sum(
        i.file_size for i in infos if not i.is_dir() and _counts_towards_bytes(i.filename)
    )
    if budget.bytes > limits.max_archive_bytes:
        return (
            f"archive {scope}declares {budget.bytes} bytes uncompressed, more than the limit "
            f"of {limits.max_archive_bytes} bytes (index.max_archive_bytes); not read"
        )
    return None


def _member_refusal(info: zipfile.ZipInfo, limits: ArchiveLimits) -> str | None:
    """Why one archive member is not read, or None."""
    if info.flag_bits & 0x1:
        return "encrypted archive member: cannot be read without a password"
    if info.file_size > limits.max_member_bytes:
        return (
            f"archive member of {info.file_size} bytes exceeds the limit of "
            f"{limits.max_member_bytes} bytes (index.max_member_bytes)"
        )
    if info.compress_type == zipfile.ZIP_BZIP2:
        # zipfile inflates a whole bzip2 read at once: a few KB can become GBs in memory
        # before any size is checked, whatever the header says.
        return "bzip2-compressed archive member: not read (re-zip with the standard method)"
    if info.file_size >= RATIO_CHECK_MIN_BYTES and info.compress_type != zipfile.ZIP_STORED:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            return (
                f"archive member expands {ratio:.0f} times ({info.compress_size} to "
                f"{info.file_size} bytes), more than the limit of "
                f"{limits.max_compression_ratio:g} (index.max_compression_ratio): "
                "looks like a zip bomb; not read"
            )
    return None


def _guarded_open(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ArchiveLimits) -> IO[bytes]:
    """Open a member; reading more than its declared size (or the limit) raises."""
    limit = min(info.file_size, limits.max_member_bytes)
    if limit < info.file_size:
        why = f"the limit of {limit} bytes (index.max_member_bytes)"
    else:
        why = f"the {info.file_size} bytes its header declares (corrupt or hostile archive)"
    message = f"archive member {info.filename} decompresses to more than {why}; stopped reading"
    return LimitedReader(zf.open(info), limit, message)


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    """True for members stored as symbolic links (Unix mode in the external attributes)."""
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _iter_zip(
    zf: zipfile.ZipFile,
    display_prefix: str,
    rel_prefix: str,
    depth: int,
    budget: _Budget,
    mtime: float | None,
    infos: list[zipfile.ZipInfo],
) -> Iterator[Found]:
    limits = budget.limits
    for info in infos:
        if info.is_dir():
            continue
        rel = _safe_member_path(info.filename)
        if not rel:
            continue
        display = f"{display_prefix}!{info.filename}"
        relpath = f"{rel_prefix}{rel}"

        def opener(info: zipfile.ZipInfo = info) -> IO[bytes]:
            return _guarded_open(zf, info, limits)

        kind = _ArchiveLink if _is_symlink(info) else ExportFile
        file = kind(
            display,
            relpath,
            info.file_size,
            opener,
            mtime=mtime,
            archive=display_prefix,
            member=info.filename,
            crc=info.CRC,
        )
        if kind is _ArchiveLink:
            yield Found(file)  # routed as ignored by generic_ignore_reason
            continue
        refusal = _member_refusal(info, limits)
        if refusal:
            yield Found(file, refusal)
            continue
        if rel.lower().endswith(".zip"):
            if depth >= limits.max_depth:
                yield Found(
                    file,
                    f"nested archive deeper than {limits.max_depth} levels "
                    "(index.max_archive_depth)",
                )
                continue
            try:
                with opener() as raw, zipfile.ZipFile(raw) as inner:
                    inner_infos = inner.infolist()
                    refusal = _archive_refusal(inner_infos, budget, nested=True)
                    if refusal:
                        yield Found(file, refusal)
                        continue
                    yield from _iter_zip(
                        inner, display, f"{relpath}/", depth + 1, budget, mtime, inner_infos
                    )
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                yield Found(file, f"unreadable nested archive: {exc}")
            continue
        yield Found(file)


def iter_archive(
    path: Path,
    relbase: str = "",
    *,
    max_depth: int = DEFAULT_MAX_ARCHIVE_DEPTH,
    max_member_bytes: int = DEFAULT_MAX_MEMBER_BYTES,
    max_compression_ratio: float = DEFAULT_MAX_COMPRESSION_RATIO,
    max_archive_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES,
    max_archive_entries: int = DEFAULT_MAX_ARCHIVE_ENTRIES,
) -> Iterator[Found]:
    """Members of a zip archive on disk, read in place. A broken archive, or one over the
    entry or byte limits, yields one failed entry for the archive itself."""
    limits = ArchiveLimits(
        max_depth=max_depth,
        max_member_bytes=max_member_bytes,
        max_compression_ratio=max_compression_ratio,
        max_archive_bytes=max_archive_bytes,
        max_archive_entries=max_archive_entries,
    )
    yield from _archive(path, relbase, limits)


def _archive(path: Path, relbase: str, limits: ArchiveLimits) -> Iterator[Found]:
    display = str(path)

    def itself(failure: str) -> Found:
        size = path.stat().st_size if path.exists() else 0
        file = ExportFile(display, relbase.rstrip("/") or path.name, size, lambda: open(path, "rb"))
        return Found(file, failure)

    try:
        st = path.stat()
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            budget = _Budget(limits=limits)
            refusal = _archive_refusal(infos, budget, nested=False)
            if refusal:
                yield itself(refusal)
                return
            yield from _iter_zip(zf, display, relbase, 0, budget, st.st_mtime, infos)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        yield itself(f"not a readable zip archive: {exc}")


def iter_files(
    root: Path,
    *,
    recursive: bool = True,
    skip: Path | None = None,
    max_depth: int = DEFAULT_MAX_ARCHIVE_DEPTH,
    max_member_bytes: int = DEFAULT_MAX_MEMBER_BYTES,
    max_compression_ratio: float = DEFAULT_MAX_COMPRESSION_RATIO,
    max_archive_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES,
    max_archive_entries: int = DEFAULT_MAX_ARCHIVE_ENTRIES,
) -> Iterator[Found]:
    """Every file under ``root`` (a folder, a zip, or a single file), zips opened in place.

    ``relpath`` of each file is relative to ``root``; archive members get the archive's
    relative path as prefix (``takeout-001.zip/Takeout/Chrome/History.json``). Hidden
    folders and the ``skip`` folder (pctx's own data directory) are not entered. The
    ``max_*`` arguments are the :class:`ArchiveLimits`.
    """
    limits = ArchiveLimits(
        max_depth=max_depth,
        max_member_bytes=max_member_bytes,
        max_compression_ratio=max_compression_ratio,
        max_archive_bytes=max_archive_bytes,
        max_archive_entries=max_archive_entries,
    )
    root = Path(root)
    if root.is_file():
        yield from _one_path(root, root.name, limits)
        return
    skip_real = os.path.realpath(skip) if skip is not None else None
    for dirpath, dirnames, filenames in os.walk(root):
        if skip_real is not None and os.path.realpath(dirpath) == skip_real:
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if not recursive:
            dirnames[:] = []
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            yield from _one_path(full, rel, limits)


def _one_path(full: Path, rel: str, limits: ArchiveLimits) -> Iterator[Found]:
    if full.suffix.lower() == ".zip" and not is_partial_download(full.name):
        yield from _archive(full, f"{rel}/", limits)
        return
    try:
        st = full.stat()
    except OSError as exc:
        file = ExportFile(str(full), rel, 0, lambda: open(full, "rb"))
        yield Found(file, f"cannot read file: {exc.strerror or exc}")
        return
    yield Found(
        ExportFile(
            str(full.absolute()),
            rel,
            st.st_size,
            lambda: open(full, "rb"),
            mtime=st.st_mtime,
        )
    )


def generic_ignore_reason(file: ExportFile) -> str | None:
    """Reasons to skip a file whatever the connectors say (media, system files, ...)."""
    if isinstance(file, _ArchiveLink):
        return "symbolic link inside an archive: never followed"
    name = file.name
    lower = name.lower()
    if is_partial_download(name):
        return "incomplete download (temporary name); read once renamed"
    if lower in _SYSTEM_NAMES or lower.startswith("._") or "__macosx/" in file.relpath.lower():
        return "operating-system metadata file"
    if _INDEX_PAGE_RE.search(file.relpath):
        return "archive index page, no data"
    if file.suffix in _MEDIA_SUFFIXES:
        return f"media or document attachment ({file.suffix}), not indexed"
    if file.size == 0:
        return "empty file"
    return None


def route(file: ExportFile, connectors: Sequence[Connector]) -> Route:
    """Decide what to do with one file: the most confident connector parses it."""
    reason = generic_ignore_reason(file)
    if reason:
        return Route("ignored", reason=reason)
    best: Connector | None = None
    best_score = 0.0
    try:
        for connector in connectors:
            try:
                score = connector.recognise(file)
            except (OSError, EOFError, ValueError, zipfile.BadZipFile) as exc:
                return Route("failed", reason=f"cannot read file: {exc}")
            if score > best_score:
                best, best_score = connector, score
        if best is not None:
            return Route("parse", connector=best)
        for connector in connectors:
            why = connector.known_ignored(file)
            if why:
                return Route("ignored", connector=connector, reason=why)
    except Exception as exc:  # a recogniser bug must not stop discovery
        log.exception("recognising %s failed", file.display_path)
        return Route("failed", reason=f"recognition error: {type(exc).__name__}: {exc}")
    return Route("unrecognised", reason="no connector recognises this file")


def cheap_fingerprint(file: ExportFile) -> str | None:
    """The fingerprint of an archive member (free: CRC and size from the zip directory);
    None for plain files (their size and mtime decide instead)."""
    return None if file.crc is None else f"crc:{file.crc:08x}:{file.size}"


def fingerprint(file: ExportFile) -> str:
    """Content fingerprint: CRC and size for archive members (free, from the zip
    directory); a BLAKE2 hash of the content for plain files (head and tail samples plus
    the size for files over 64 MiB)."""
    cheap = cheap_fingerprint(file)
    if cheap is not None:
        return cheap
    h = hashlib.blake2b(digest_size=16)
    sample = 1024 * 1024
    with file.open() as fh:
        if file.size <= 64 * 1024 * 1024:
            for chunk in iter(lambda: fh.read(1024 * 1024), b""):
                h.update(chunk)
            kind = "b2"
        else:
            h.update(fh.read(sample))
            fh.seek(max(0, file.size - sample))
            h.update(fh.read(sample))
            kind = "b2s"
    return f"{kind}:{h.hexdigest()}:{file.size}"


def discover(
    roots: Iterable[Path], connectors: Sequence[Connector], **kwargs: Any
) -> Iterator[tuple[Found, Route]]:
    """Files under each root with their routing decision (``kwargs`` as for
    :func:`iter_files`)."""
    for root in roots:
        for found in iter_files(Path(root), **kwargs):
            if found.failure:
                yield found, Route("failed", reason=found.failure)
            else:
                yield found, route(found.file, connectors)
