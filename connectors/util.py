"""Streaming readers shared by connectors: JSON arrays (ijson) and CSV by header name."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from typing import IO, Any

import ijson
import orjson

from connectors.base import ExportFile, ParseError

csv.field_size_limit(64 * 1024 * 1024)


#: Bytes of a JSON array decoded per orjson call by :func:`iter_json_items`.
JSON_CHUNK = 1 << 20
#: Split points tried per chunk before reading more (a ``},`` inside a string or a
#: nested array is not one), and the buffer beyond which ijson takes over.
_SPLIT_TRIES = 4
_MAX_BUFFER = 16 * JSON_CHUNK
_WHITESPACE = b" \t\r\n"
_IJSON_BUFFER = 1 << 20
_CLOSING = re.compile(rb"[ \t\r\n]*\]")


def iter_json_items(file: ExportFile, prefix: str = "item") -> Iterator[Any]:
    """Stream the elements of a JSON array at ``prefix`` (ijson syntax) without loading
    the file. A syntax error becomes :class:`ParseError` saying where the file broke.

    A top-level array (``item``) or an array that is an object's first member
    (``key.item``) is cut into ~1 MiB runs of whole elements, each decoded by orjson
    (2-3x faster than ijson); ijson reads the rest wherever that does not apply (elements
    that are not objects, a huge element, the end of a ``key.item`` array) and reports
    every syntax error, after the elements before it, as it always did."""
    with file.open() as fh:
        buf = fh.read(JSON_CHUNK)
        if buf.startswith(codecs.BOM_UTF8):
            buf = buf[3:]
        key = None if prefix == "item" else prefix.removesuffix(".item")
        start = _array_start(buf, key) if key is None or "." not in key else None
        if start is None:
            yield from _ijson_items(_Prefixed(buf, fh), prefix)
            return
        pos = start
        eof = split = False
        while True:
            if not eof and len(buf) - pos < JSON_CHUNK:
                more = fh.read(JSON_CHUNK)
                buf, pos, eof = buf[pos:] + more, 0, not more
            if split and _CLOSING.match(buf, pos):
                # "...}, ]": the comma a split consumed has no element after it.
                raise ParseError("invalid or truncated JSON: a comma before the closing ]")
            if eof and key is None and buf.rstrip(_WHITESPACE).endswith(b"]"):
                try:
                    items = orjson.loads(b"[" + buf[pos:])
                except orjson.JSONDecodeError:
                    break  # ijson finds and reports the error
                yield from items
                return
            items, end = (None, pos) if eof else _split(buf, pos)
            if items is None:
                if eof or len(buf) - pos >= _MAX_BUFFER:
                    break
                more = fh.read(len(buf) - pos)  # no whole run yet: read as much again
                buf, pos, eof = buf[pos:] + more, 0, not more
                continue
            yield from items
            pos, split = end, True
        opening = b"[" if key is None else b"{" + json.dumps(key).encode() + b":["
        yield from _ijson_items(_Prefixed(opening + buf[pos:], fh), prefix)


def _array_start(head: bytes, key: str | None) -> int | None:
    """Where the elements of the array start in ``head``: after a leading ``[`` (``key``
    None), or after ``{"key": [`` when ``key`` is the object's first member."""
    text = head.lstrip(_WHITESPACE)
    skipped = len(head) - len(text)
    if key is None:
        return skipped + 1 if text.startswith(b"[") else None
    match = re.match(rb'\{\s*"' + re.escape(key.encode()) + rb'"\s*:\s*\[', text)
    return skipped + match.end() if match else None


def _split(buf: bytes, pos: int) -> tuple[list[Any] | None, int]:
    """The whole elements from ``pos`` up to the last ``},`` that ends one, decoded, and
    where the next element starts; ``(None, pos)`` when no split point decodes."""
    end = len(buf)
    for _ in range(_SPLIT_TRIES):
        while True:  # the last comma after a "}" before ``end``
            comma = buf.rfind(b",", pos, end)
            if comma < 0:
                return None, pos
            j = comma - 1
            while j > pos and buf[j] in _WHITESPACE:
                j -= 1
            if j >= pos and buf[j] == 0x7D:  # "}"
                break
            end = comma
        try:
            return orjson.loads(b"[" + buf[pos : j + 1] + b"]"), comma + 1
        except orjson.JSONDecodeError:
            end = j  # inside a string or a nested array: try an earlier one
    return None, pos


class _Prefixed:
    """A binary stream: ``head``, then the rest of ``fh``."""

    def __init__(self, head: bytes, fh: IO[bytes]) -> None:
        self._head = head
        self._fh = fh

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._fh.read(size)
        if size < 0:
            out, self._head = self._head + self._fh.read(), b""
        else:
            out, self._head = self._head[:size], self._head[size:]
        return out


def _ijson_items(stream: _Prefixed, prefix: str) -> Iterator[Any]:
    try:
        # A 1 MiB read buffer: yajl is quadratic on very long strings, and a larger
        # buffer makes a 50 MB string ~16x cheaper.
        yield from ijson.items(stream, prefix, use_float=True, buf_size=_IJSON_BUFFER)
    except ijson.common.IncompleteJSONError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise ParseError(f"invalid or truncated JSON: {first}") from exc
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8 JSON (byte {exc.start}): {exc.reason}") from exc


def load_json(file: ExportFile, max_bytes: int = 64 * 1024 * 1024) -> Any:
    """Load a small JSON document whole (for files that are never large)."""
    if file.size > max_bytes:
        raise ParseError(f"file too large to load whole ({file.size} bytes)")
    with file.open_text() as fh:
        try:
            return json.load(fh)
        except json.JSONDecodeError as exc:
            raise ParseError(f"invalid JSON: {exc}") from exc


def looks_like_json(file: ExportFile, *keys: str) -> bool:
    """True when the file starts like JSON and its first KB mention every ``key``
    as a quoted JSON key."""
    head = file.peek_text().lstrip()
    if not head.startswith(("[", "{")):
        return False
    return all(f'"{key}"' in head for key in keys)


def csv_header(file: ExportFile) -> list[str]:
    """The first row of a CSV file (BOM removed), from the peek; [] if none."""
    text = file.peek_text()
    first_line = text.splitlines()[0] if text else ""
    try:
        return [h.strip() for h in next(csv.reader([first_line]))]
    except (StopIteration, csv.Error):
        return []


def iter_csv_rows(
    file: ExportFile, required: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """Stream ``(row_number, row_dict)`` from a CSV, keyed by header name.

    Multi-line quoted fields are handled; blank rows are skipped; a header missing any of
    ``required`` raises :class:`ParseError` naming the missing columns.
    """
    with file.open_text(newline="") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise ParseError("empty CSV file (no header row)") from None
        except csv.Error as exc:
            raise ParseError(f"unreadable CSV header: {exc}") from exc
        header = [h.strip().lstrip("\ufeff") for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            raise ParseError(f"missing CSV column(s): {', '.join(missing)}")
        try:
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                yield reader.line_num, dict(zip(header, row, strict=False))
        except csv.Error as exc:
            raise ParseError(f"malformed CSV near line {reader.line_num}: {exc}") from exc


def peek_json_items(file: ExportFile, prefix: str = "item", limit: int = 5) -> list[Any]:
    """The first ``limit`` complete elements of the JSON array at ``prefix`` that fit in
    the file's peek, for content sniffing; [] when the peek is not such JSON."""
    data = file.peek_text().encode("utf-8")
    found: list[Any] = []
    try:
        for item in ijson.items(io.BytesIO(data), prefix, use_float=True):
            found.append(item)
            if len(found) >= limit:
                break
    except ijson.common.JSONError:
        pass  # the peek cuts the document short; keep what was complete
    return found
