"""Streaming readers shared by connectors: JSON arrays (ijson) and CSV by header name."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import ijson

from connectors.base import ExportFile, ParseError

csv.field_size_limit(64 * 1024 * 1024)


def iter_json_items(file: ExportFile, prefix: str = "item") -> Iterator[Any]:
    """Stream the elements of a JSON array at ``prefix`` (ijson syntax) without loading
    the file. A syntax error becomes :class:`ParseError` saying where the file broke."""
    fh = file.open()
    if fh.read(3) != codecs.BOM_UTF8:
        fh.close()
        fh = file.open()
    with fh:
        try:
            # A 1 MiB read buffer: yajl is quadratic on very long strings, and a larger
            # buffer makes a 50 MB string ~16x cheaper.
            yield from ijson.items(fh, prefix, use_float=True, buf_size=1 << 20)
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
