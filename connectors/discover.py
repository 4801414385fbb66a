"""Discovery: walk folders and zip archives in place and route each file to a connector.

Nothing is extracted to disk: archive members are read straight from the zip (nested zips
too, up to a depth limit). Every file ends in exactly one routing decision: parse it with a
connector, known-and-ignored (with a reason), unrecognised, or failed (with a reason).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from connectors.base import Connector, ExportFile

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


def _iter_zip(
    zf: zipfile.ZipFile,
    display_prefix: str,
    rel_prefix: str,
    depth: int,
    max_depth: int,
    max_member_bytes: int,
    mtime: float | None,
) -> Iterator[Found]:
    for info in zf.infolist():
        if info.is_dir():
            continue
        rel = _safe_member_path(info.filename)
        if not rel:
            continue
        display = f"{display_prefix}!{info.filename}"
        relpath = f"{rel_prefix}{rel}"

        def opener(info: zipfile.ZipInfo = info) -> IO[bytes]:
            return zf.open(info)

        file = ExportFile(
            display,
            relpath,
            info.file_size,
            opener,
            mtime=mtime,
            archive=display_prefix,
            member=info.filename,
            crc=info.CRC,
        )
        if info.flag_bits & 0x1:
            yield Found(file, "encrypted archive member: cannot be read without a password")
            continue
        if info.file_size > max_member_bytes:
            yield Found(
                file,
                f"archive member of {info.file_size} bytes exceeds the limit of "
                f"{max_member_bytes} bytes (index.max_member_bytes)",
            )
            continue
        if rel.lower().endswith(".zip"):
            if depth >= max_depth:
                yield Found(file, f"nested archive deeper than {max_depth} levels")
                continue
            try:
                with zf.open(info) as raw, zipfile.ZipFile(raw) as inner:
                    yield from _iter_zip(
                        inner,
                        display,
                        f"{relpath}/",
                        depth + 1,
                        max_depth,
                        max_member_bytes,
                        mtime,
                    )
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                yield Found(file, f"unreadable nested archive: {exc}")
            continue
        yield Found(file)


def iter_archive(
    path: Path, relbase: str = "", *, max_depth: int = 2, max_member_bytes: int = 8 * 1024**3
) -> Iterator[Found]:
    """Members of a zip archive on disk, read in place. A broken archive yields one
    failed entry for the archive itself."""
    display = str(path)
    try:
        st = path.stat()
        with zipfile.ZipFile(path) as zf:
            yield from _iter_zip(zf, display, relbase, 0, max_depth, max_member_bytes, st.st_mtime)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        size = path.stat().st_size if path.exists() else 0
        file = ExportFile(display, relbase.rstrip("/") or path.name, size, lambda: open(path, "rb"))
        yield Found(file, f"not a readable zip archive: {exc}")


def iter_files(
    root: Path,
    *,
    recursive: bool = True,
    max_depth: int = 2,
    max_member_bytes: int = 8 * 1024**3,
    skip: Path | None = None,
) -> Iterator[Found]:
    """Every file under ``root`` (a folder, a zip, or a single file), zips opened in place.

    ``relpath`` of each file is relative to ``root``; archive members get the archive's
    relative path as prefix (``takeout-001.zip/Takeout/Chrome/History.json``). Hidden
    folders and the ``skip`` folder (pctx's own data directory) are not entered.
    """
    root = Path(root)
    if root.is_file():
        yield from _one_path(root, root.name, max_depth, max_member_bytes)
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
            yield from _one_path(full, rel, max_depth, max_member_bytes)


def _one_path(full: Path, rel: str, max_depth: int, max_member_bytes: int) -> Iterator[Found]:
    if full.suffix.lower() == ".zip" and not is_partial_download(full.name):
        yield from iter_archive(
            full, f"{rel}/", max_depth=max_depth, max_member_bytes=max_member_bytes
        )
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


def fingerprint(file: ExportFile) -> str:
    """Content fingerprint: CRC and size for archive members (free, from the zip
    directory); a BLAKE2 hash of the content for plain files (head and tail samples plus
    the size for files over 64 MiB)."""
    if file.crc is not None:
        return f"crc:{file.crc:08x}:{file.size}"
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
    roots: Iterable[Path], connectors: Sequence[Connector], **kwargs: int
) -> Iterator[tuple[Found, Route]]:
    """Files under each root with their routing decision."""
    for root in roots:
        for found in iter_files(Path(root), **kwargs):  # type: ignore[arg-type]
            if found.failure:
                yield found, Route("failed", reason=found.failure)
            else:
                yield found, route(found.file, connectors)
