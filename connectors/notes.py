"""Notes folders: Markdown files (Obsidian vaults, Logseq graphs, plain folders of notes)
and plain-text notes.

Which files are claimed (by path only; no other export is mistaken for notes):

* ``.md`` / ``.markdown`` anywhere, confidence 0.3 (so any connector that knows a Markdown
  file better wins), except the files software projects carry (``README``,
  ``CHANGELOG``, ``LICENSE``, ``CONTRIBUTING``, ``CODE_OF_CONDUCT``, ``SECURITY``,
  ``AUTHORS``, ...) and anything under ``node_modules/``, ``site-packages/`` or
  ``vendor/``;
* ``.txt`` only inside a folder whose name says notes (``notes``, ``vault``, ``journal``,
  ``diary``, ``obsidian``, ``logseq``, ``zettelkasten``, ...; matched as a word),
  confidence 0.2, and never for software or export boilerplate names (``README.txt``,
  ``LICENSE.txt``, ``ExtraMembers.txt``, ...). Chat exports such as WhatsApp's ``.txt``
  are left to their own connectors, which claim them with a higher confidence.

One ``note`` record per file, keyed by the file's path inside the export (notes are
identified by their path: moving or renaming a note makes a new record, and the same
vault watched from two places gives two records per note).

* Front matter (``---`` ... ``---`` at the very top): a small YAML subset is read here
  (``key: value``, quoted strings, ``[a, b]`` lists, ``- item`` block lists; nested
  mappings are skipped). A block that is not that subset, or is never closed, is a
  :class:`ParseIssue` and the file is then indexed as plain text. Logseq page
  properties (``key:: value`` lines at the top) are read too.
* Title: front matter ``title``, else Logseq ``title::``, else the first ``# heading``,
  else the file name without its extension.
* Tags: front matter / Logseq ``tags`` (a list or a comma-separated string) plus inline
  Obsidian ``#tags`` outside code; lower case, spaces turned to ``-``.
* Timestamp: front matter ``created`` / ``date`` / ``updated`` (in that order; a date or
  a time without an offset is ``tz_known=False``); else a date-shaped file name
  (``2023-01-05.md``, Logseq ``2023_01_05.md``; ``tz_known=False``); else the file's
  modification time (a UTC epoch, so ``tz_known=True``), with ``extra.time_source``
  saying which. Inside an archive the modification time is the archive's, not the
  note's, so it is not used and the note has no timestamp.
* Text: the body without the front matter. ``[[wiki links]]`` are listed in
  ``extra.links``.

Files over 5 MB are refused (:class:`ParseError`): they are not hand-written notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import from_epoch, parse_iso, plausible

SOURCE = "notes"

MAX_NOTE_BYTES = 5 * 1024 * 1024
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})

#: File stems (lower case) that are software-project or export boilerplate, not notes.
_BOILERPLATE_STEMS = frozenset(
    {
        "readme",
        "changelog",
        "changes",
        "history",
        "news",
        "license",
        "licence",
        "copying",
        "notice",
        "contributing",
        "code_of_conduct",
        "security",
        "authors",
        "contributors",
        "maintainers",
        "codeowners",
        "pull_request_template",
        "issue_template",
        "extramembers",
        "cscontact",
    }
)
_EXCLUDED_FOLDERS = frozenset({"node_modules", "site-packages", "dist-packages", "vendor"})
#: Folder-name words that make a folder a notes folder (for ``.txt`` files).
_NOTES_FOLDER_RE = re.compile(
    r"(?:^|[\s_.-])(?:notes?|notizen|vault|journals?|diary|obsidian|logseq|"
    r"zettelkasten|notebook|pages|daily)(?:$|[\s_.-])",
    re.IGNORECASE,
)
_FILENAME_DATE_RE = re.compile(r"^(\d{4})[-_.](\d{2})[-_.](\d{2})$")
_HEADING_RE = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_INLINE_CODE_RE = re.compile(r"`[^`\n]*`")
_INLINE_TAG_RE = re.compile(r"(?:(?<=\s)|^)#([^\s#.,;:!?()\[\]{}\"'`<>]+)", re.MULTILINE)
_WIKI_LINK_RE = re.compile(r"\[\[([^\]|#\n]+)(?:#[^\]|\n]*)?(?:\|[^\]\n]*)?\]\]")
_LOGSEQ_PROPERTY_RE = re.compile(r"^([A-Za-z][\w-]*)::\s*(.*)$")
_YAML_KEY_RE = re.compile(r"^([A-Za-z_][\w -]*?)\s*:(?:\s+(.*))?$")
_YAML_ITEM_RE = re.compile(r"^\s+-\s*(.*)$|^-\s+(.*)$")

_TIME_KEYS = ("created", "date", "updated")


def _folders(file: ExportFile) -> list[str]:
    return file.relpath.split("/")[:-1]


def _stem(file: ExportFile) -> str:
    dot = file.name.rfind(".")
    return file.name[:dot] if dot > 0 else file.name


def _excluded(file: ExportFile) -> bool:
    """Software-project files and boilerplate names are never notes."""
    if _stem(file).casefold() in _BOILERPLATE_STEMS:
        return True
    return any(f.casefold() in _EXCLUDED_FOLDERS for f in _folders(file))


def _binary(file: ExportFile) -> bool:
    """NUL bytes in the peek of a file that is not UTF-16 (which has a BOM)."""
    head = file.peek()
    return b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def _in_notes_folder(file: ExportFile) -> bool:
    """True when some folder's name says notes (``Notes``, ``my-vault``, ``journals``)."""
    return any(_NOTES_FOLDER_RE.search(f) for f in _folders(file))


class NotesConnector:
    """Reads Markdown and plain-text notes, one record per file."""

    name = "notes"
    description = (
        "Notes folders: Markdown files (.md, Obsidian / Logseq front matter, #tags, "
        "[[links]]) anywhere, and .txt files inside folders named like notes"
    )

    def recognise(self, file: ExportFile) -> float:
        """0.3 for Markdown, 0.2 for a ``.txt`` in a notes folder, 0 otherwise (path
        checks only, plus a NUL-byte check of the peek for text files)."""
        suffix = file.suffix
        if suffix in MARKDOWN_SUFFIXES:
            score = 0.3
        elif suffix == ".txt" and _in_notes_folder(file):
            score = 0.2
        else:
            return 0.0
        if _excluded(file) or _binary(file):
            return 0.0
        return score

    def known_ignored(self, file: ExportFile) -> str | None:
        """Notes have no known-but-ignored files."""
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """One ``note`` record for the file (plus an issue for unreadable front matter)."""
        if file.size > MAX_NOTE_BYTES:
            raise ParseError(
                f"file of {file.size} bytes is larger than the {MAX_NOTE_BYTES // 2**20} MB "
                "limit for a note"
            )
        if _binary(file):
            raise ParseError("not a text file (contains NUL bytes)")
        with file.open_text() as fh:
            content = fh.read(MAX_NOTE_BYTES + 1)
        content = content.lstrip("\ufeff").replace("\r\n", "\n")

        meta: dict[str, Any] = {}
        body = content
        if content.startswith("---\n") or content == "---":
            try:
                meta, body = split_front_matter(content)
            except ValueError as exc:
                yield ParseIssue(f"front matter ignored: {exc}", "1")
                meta, body = {}, content
        properties, text = _logseq_properties(body)

        title = _first_text(meta.get("title")) or _first_text(properties.get("title"))
        title = title or _first_heading(body) or _stem(file)
        tags = _tags(meta.get("tags"), meta.get("tag"), properties.get("tags"), text)
        when, tz_known, source = self._timestamp(file, meta, properties)
        aliases = _as_list(meta.get("aliases")) or _as_list(properties.get("alias"))
        yield Record.create(
            SOURCE,
            "note",
            file.relpath,
            timestamp=when,
            tz_known=tz_known,
            title=title,
            text=text,
            tags=tags,
            extra={
                "path": file.relpath,
                "links": _wiki_links(text),
                "aliases": aliases,
                "time_source": source,
                "front_matter": {k: v for k, v in meta.items() if _json_scalar_or_list(v)},
            },
        )

    @staticmethod
    def _timestamp(
        file: ExportFile, meta: dict[str, Any], properties: dict[str, str]
    ) -> tuple[datetime | None, bool, str | None]:
        """(timestamp, tz_known, where it came from) — see the module docstring."""
        for key in _TIME_KEYS:
            for holder, label in ((meta, "front matter"), (properties, "page property")):
                raw = _first_text(holder.get(key))
                if not raw:
                    continue
                try:
                    dt, tz_known = parse_iso(raw)
                except ValueError:
                    continue
                return dt, tz_known, f"{label} {key}"
        if match := _FILENAME_DATE_RE.match(_stem(file)):
            try:
                dt, _ = parse_iso(f"{match[1]}-{match[2]}-{match[3]}")
                return dt, False, "file name"
            except ValueError:
                pass
        if file.archive is None and file.mtime:
            try:
                dt = from_epoch(file.mtime)
            except (ValueError, OverflowError, OSError):
                return None, True, None
            if plausible(dt):
                return dt, True, "file mtime"
        return None, True, None


# -- front matter ----------------------------------------------------------------------


def split_front_matter(content: str) -> tuple[dict[str, Any], str]:
    """Split ``---`` front matter from the body; raises ValueError when the block is
    not closed or not the supported YAML subset."""
    lines = content.split("\n")
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        raise ValueError("front matter is not closed by a '---' line")
    meta = parse_simple_yaml(lines[1:end])
    return meta, "\n".join(lines[end + 1 :]).lstrip("\n")


def parse_simple_yaml(lines: list[str]) -> dict[str, Any]:
    """The YAML subset found in note front matter: ``key: value``, ``key: [a, b]``,
    ``key:`` followed by ``- item`` lines, ``|`` / ``>`` block text; nested mappings are
    kept as ``{}`` without their content. Raises ValueError for anything else."""
    meta: dict[str, Any] = {}
    current: str | None = None
    block: str | None = None
    for number, raw in enumerate(lines, start=2):
        line = raw.rstrip()
        if not line.strip() or (line.lstrip().startswith("#") and not block):
            continue
        item = _YAML_ITEM_RE.match(line)
        if item and current is not None and not block:
            value = _scalar(item[1] if item[1] is not None else item[2])
            existing = meta.get(current)
            if isinstance(existing, dict):
                continue  # a list inside a nested mapping
            items = existing if isinstance(existing, list) else []
            meta[current] = items + ([value] if value is not None else [])
            continue
        if line[0].isspace():
            if current is None:
                raise ValueError(f"unexpected indented line {number}: {line.strip()[:60]!r}")
            existing = meta.get(current)
            if block:
                sep = ("\n" if block == "|" else " ") if existing else ""
                meta[current] = f"{existing or ''}{sep}{line.strip()}"
            elif existing is None or isinstance(existing, dict | list):
                if existing is None:
                    meta[current] = {}  # a nested mapping: present, not read
            else:
                meta[current] = f"{existing} {line.strip()}"  # a folded long value
            continue
        key = _YAML_KEY_RE.match(line)
        if not key:
            raise ValueError(f"line {number} is not 'key: value': {line.strip()[:60]!r}")
        current = key[1].strip().casefold()
        value = (key[2] or "").strip()
        block = value[:1] if value[:1] in ("|", ">") else None
        if not value:
            meta[current] = None
        elif block:
            meta[current] = ""
        elif value.startswith("[") and value.endswith("]"):
            items = [_scalar(v) for v in _split_flow(value[1:-1])]
            meta[current] = [v for v in items if v is not None]
        elif value.startswith(("{", "&", "*", "!")):
            meta[current] = {}  # flow mappings, anchors, tags: present, not read
        else:
            meta[current] = _scalar(value)
    return meta


def _split_flow(inner: str) -> list[str]:
    """Split ``a, "b, c", d`` on commas outside quotes."""
    parts: list[str] = []
    buf: list[str] = []
    quote: str | None = None
    for ch in inner:
        if quote:
            buf.append(ch)
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
            buf.append(ch)
        elif ch == ",":
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def _scalar(value: str | None) -> str | None:
    """A YAML scalar as a string: quotes removed, a trailing comment dropped."""
    if value is None:
        return None
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    value = re.sub(r"\s+#.*$", "", value)
    return value or None


def _logseq_properties(body: str) -> tuple[dict[str, str], str]:
    """Logseq page properties (``key:: value`` lines at the top) and the rest."""
    props: dict[str, str] = {}
    lines = body.split("\n")
    index = 0
    for index, line in enumerate(lines):  # noqa: B007 - index used after the loop
        match = _LOGSEQ_PROPERTY_RE.match(line.strip().removeprefix("- ").strip())
        if not match:
            break
        props[match[1].casefold()] = match[2].strip()
    else:
        index = len(lines)
    if not props:
        return {}, body
    return props, "\n".join(lines[index:]).lstrip("\n")


# -- fields ----------------------------------------------------------------------------


def _first_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _as_list(value: Any) -> list[str]:
    """A list or comma-separated string of names -> names (Logseq ``[[x]]`` unwrapped)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    out = []
    for item in items:
        if not isinstance(item, str):
            continue
        name = item.strip().removeprefix("[[").removesuffix("]]").strip().lstrip("#")
        if name:
            out.append(name)
    return out


def _first_heading(body: str) -> str | None:
    in_code = False
    for line in body.split("\n"):
        if _FENCE_RE.match(line):
            in_code = not in_code
            continue
        if not in_code and (match := _HEADING_RE.match(line)):
            return match[1]
    return None


def _prose(body: str) -> str:
    """The body without fenced code blocks and inline code (for #tag scanning)."""
    out = []
    in_code = False
    for line in body.split("\n"):
        if _FENCE_RE.match(line):
            in_code = not in_code
            continue
        if not in_code:
            out.append(_INLINE_CODE_RE.sub(" ", line))
    return "\n".join(out)


def _tag(name: str) -> str | None:
    tag = "-".join(name.strip().casefold().split())
    return tag or None


def _tags(*sources: Any) -> list[str]:
    """Front matter / property tags plus inline ``#tags`` (the last source is the body)."""
    *declared, body = sources
    tags: list[str] = []
    for value in declared:
        for name in _as_list(value):
            if (tag := _tag(name)) and tag not in tags:
                tags.append(tag)
    for match in _INLINE_TAG_RE.finditer(_prose(body)):
        name = match[1].rstrip("/-_")
        if not any(ch.isalpha() for ch in name):
            continue  # "#1", "#2024": issue numbers and years, not tags
        if (tag := _tag(name)) and tag not in tags:
            tags.append(tag)
    return tags


def _wiki_links(body: str) -> list[str]:
    links: list[str] = []
    for match in _WIKI_LINK_RE.finditer(_prose(body)):
        target = match[1].strip()
        if target and target not in links:
            links.append(target)
    return links


def _json_scalar_or_list(value: Any) -> bool:
    """Front matter values worth keeping in ``extra`` (strings and lists of strings)."""
    if isinstance(value, str):
        return True
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


CONNECTORS = [NotesConnector()]
