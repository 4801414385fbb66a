"""Google Keep notes from Google Takeout (``Keep/<note title>.json``).

Takeout writes one JSON object per note, next to an ``.html`` copy of it and the note's
attachments (images, recordings). The object has ``title`` (may be ``""``), either
``textContent`` or ``listContent`` (checklist items ``{text, isChecked}``), ``color``,
``isPinned``/``isArchived``/``isTrashed``, ``labels[{name}]``,
``annotations[{source: "WEBLINK", title, url, description}]``,
``attachments[{filePath, mimetype}]``, ``sharees[{email, isOwner, type}]``,
``userEditedTimestampUsec`` and (from about 2022) ``createdTimestampUsec``: µs since the
epoch, ints or digit strings, and the edited time can be ``0``.

File names come from the note title (sanitised, truncated, ``(1)`` added on clashes) and
the ``Keep`` folder name could be localised, so a note is recognised by its content: a JSON
object with ``textContent`` or ``listContent`` and ``userEditedTimestampUsec`` or
``isTrashed``.

Mapping: one ``note`` record per file. ``text`` is the text, or the checklist rendered as
``[x] item`` / ``[ ] item`` lines; ``tags`` are the label names (lower-case) plus
``pinned``, ``archived``, ``trashed`` (trashed notes are kept, only tagged) and
``checklist``; ``timestamp`` is the edit time, else the creation time. A note whose two
times are both ``0`` or missing is still yielded, with ``timestamp=None``: it is the one
Keep case where no date is right (a 1970 date would be a lie). Attachments are listed by
file name only; sharees by e-mail. The note is the user's own (``third_party`` False).

Native key: ``note|<title>|<created µs, or "e" + edited µs>|<hash of the text>``. The file
name is not used because it changes between exports (``(1)`` suffixes). Limits: editing a
note changes its text hash (and, in exports without ``createdTimestampUsec``, its time), so
an edited note exported twice is stored twice, once per version; an old export (no
creation time) and a new one (with it) key the same unchanged note differently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import as_int, from_epoch_exact
from connectors.util import load_json

SOURCE = "google.keep"

#: Folder names of Keep in Takeout, lower-case (the product name is not translated in the
#: exports we know of; content sniffing covers any other).
KEEP_FOLDERS: frozenset[str] = frozenset({"keep", "google keep"})

HTML_REASON = "Keep note HTML copy; the JSON is read"
ATTACHMENT_REASON = "Keep note attachment, not indexed (the note lists it by name)"
LABELS_REASON = "Keep label list; labels are read from each note"

_TEXT_KEYS = ('"textContent"', '"listContent"')
_NOTE_KEYS = ('"userEditedTimestampUsec"', '"isTrashed"')


def _in_keep_folder(file: ExportFile) -> bool:
    """True when the file sits directly in a folder named ``Keep``."""
    parts = file.relpath.split("/")
    return len(parts) >= 2 and parts[-2].casefold() in KEEP_FOLDERS


def _checklist(items: Any) -> str | None:
    """``listContent`` rendered as ``[x] item`` / ``[ ] item`` lines."""
    if not isinstance(items, list):
        return None
    lines = []
    for item in items:
        if not isinstance(item, dict):
            continue
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        mark = "[x]" if item.get("isChecked") is True else "[ ]"
        lines.append(f"{mark} {text.strip()}")
    return "\n".join(lines) or None


def _dicts(value: Any) -> list[dict[str, Any]]:
    """The dict elements of a list field (anything else -> [])."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _str(value: Any) -> str | None:
    """A non-blank string, stripped; else None."""
    return value.strip() if isinstance(value, str) and value.strip() else None


class KeepConnector:
    """Reads Google Keep notes (one JSON file per note) from a Google Takeout export."""

    name = SOURCE
    description = "Google Takeout: Keep notes (Keep/*.json)"

    def recognise(self, file: ExportFile) -> float:
        """1.0 for a note-shaped JSON object in a ``Keep`` folder, 0.9 for the shape in
        any folder, 0.7 for a ``Keep`` JSON object with only the note flags in its peek
        (a note without text)."""
        if file.suffix != ".json":
            return 0.0
        head = file.peek_text().lstrip()
        if not head.startswith("{"):
            return 0.0
        has_flags = any(k in head for k in _NOTE_KEYS)
        if not has_flags:
            return 0.0
        has_text = any(k in head for k in _TEXT_KEYS)
        in_keep = _in_keep_folder(file)
        if has_text:
            return 1.0 if in_keep else 0.9
        return 0.7 if in_keep else 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """Reasons for the HTML twins, the label list and the attachments in ``Keep/``."""
        if not _in_keep_folder(file):
            return None
        if file.suffix in (".html", ".htm"):
            return HTML_REASON
        if file.name.casefold() == "labels.txt":
            return LABELS_REASON
        if file.suffix != ".json":
            return ATTACHMENT_REASON
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Yield the note's record (and issues for unreadable times)."""
        note = load_json(file, max_bytes=16 * 1024 * 1024)
        if not isinstance(note, dict):
            raise ParseError("not a Keep note: the file is not a JSON object")
        if not any(k in note for k in ("textContent", "listContent", "title")):
            raise ParseError("not a Keep note: no title, textContent or listContent")
        yield from _note_to_record(note, file.relpath)


def _note_time(note: dict[str, Any], field: str) -> tuple[int | None, datetime | None, str | None]:
    """``(µs, datetime, problem)`` of a timestamp field; 0 and missing are "no time"."""
    raw = note.get(field)
    if raw is None:
        return None, None, None
    usec = as_int(raw)
    if usec == 0:
        return None, None, None
    dt = from_epoch_exact(usec, "us")
    if dt is None:
        return None, None, f"unreadable or implausible {field} {raw!r:.40}; ignored"
    return usec, dt, None


def _note_to_record(note: dict[str, Any], relpath: str) -> Iterator[Record | ParseIssue]:
    """One Keep note object -> its record, preceded by issues for bad timestamps."""
    created_us, created, problem_c = _note_time(note, "createdTimestampUsec")
    edited_us, edited, problem_e = _note_time(note, "userEditedTimestampUsec")
    for problem in (problem_c, problem_e):
        if problem:
            yield ParseIssue(problem, relpath)

    title = _str(note.get("title"))
    text = _str(note.get("textContent"))
    is_list = isinstance(note.get("listContent"), list)
    if text is None and is_list:
        text = _checklist(note.get("listContent"))

    tags = sorted(
        {
            name.casefold()
            for label in _dicts(note.get("labels"))
            if (name := _str(label.get("name")))
        }
    )
    for flag, tag in (("isPinned", "pinned"), ("isArchived", "archived"), ("isTrashed", "trashed")):
        if note.get(flag) is True:
            tags.append(tag)
    if is_list:
        tags.append("checklist")

    annotations = [
        {k: a[k] for k in ("title", "url", "description", "source") if _str(a.get(k))}
        for a in _dicts(note.get("annotations"))
    ]
    attachments = [
        path.rsplit("/", 1)[-1]
        for a in _dicts(note.get("attachments"))
        if (path := _str(a.get("filePath")))
    ]
    sharees = [email for s in _dicts(note.get("sharees")) if (email := _str(s.get("email")))]

    when = f"{created_us}" if created_us is not None else f"e{edited_us or ''}"
    digest = hashlib.blake2b((text or "").encode(), digest_size=8).hexdigest()
    yield Record.create(
        SOURCE,
        "note",
        f"note|{title or ''}|{when}|{digest}",
        timestamp=edited or created,
        title=title,
        text=text,
        tags=tags,
        extra={
            "color": _str(note.get("color")),
            "annotations": [a for a in annotations if a],
            "attachments": attachments,
            "sharees": sharees,
            "created": created.isoformat() if created else None,
            "edited": edited.isoformat() if edited else None,
        },
        position=relpath,
        third_party=False,
    )


CONNECTORS = [KeepConnector()]
