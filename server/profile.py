"""Derived summaries: per-source statistics and the first profile summary.

Computed by the writer after each ingest run and cached in the ``meta`` table, so the
server answers ``list_sources`` and ``get_profile_summary`` without scanning records.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from server.search import iso_from_ms

STATS_KEY = "stats"
TOP_CREATORS = 10


def compute_stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """Per-source counts, spans, kinds and top creators; per-outcome file counts."""
    sources: dict[str, dict[str, Any]] = {}
    for source, count, first, last in conn.execute(
        "SELECT source, count(*), min(ts), max(ts) FROM records GROUP BY source"
    ):
        sources[source] = {
            "records": count,
            "first": iso_from_ms(first),
            "last": iso_from_ms(last),
            "kinds": {},
            "top_creators": [],
            "last_indexed": None,
            "files": {},
        }
    for source, kind, count in conn.execute(
        "SELECT source, kind, count(*) FROM records GROUP BY source, kind"
    ):
        sources[source]["kinds"][kind] = count
    creators: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for source, creator, count in conn.execute(
        "SELECT source, creator, count(*) FROM records WHERE creator IS NOT NULL"
        " GROUP BY source, creator"
    ):
        creators[source].append((count, creator))
    for source, items in creators.items():
        items.sort(key=lambda item: (-item[0], item[1]))
        sources[source]["top_creators"] = [
            {"name": name, "records": n} for n, name in items[:TOP_CREATORS]
        ]
    for source, file_outcome, count, last in conn.execute(
        "SELECT r.source, f.outcome, count(DISTINCT f.id), max(f.indexed_at)"
        " FROM files f JOIN records r ON r.file_id = f.id GROUP BY r.source, f.outcome"
    ):
        entry = sources[source]
        entry["files"][file_outcome] = count
        if last and (entry["last_indexed"] is None or last > entry["last_indexed"]):
            entry["last_indexed"] = last
    outcomes = {
        outcome: count
        for outcome, count in conn.execute("SELECT outcome, count(*) FROM files GROUP BY outcome")
    }
    return {
        "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "records": sum(s["records"] for s in sources.values()),
        "sources": sources,
        "file_outcomes": outcomes,
    }


def refresh_stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """Recompute the statistics and cache them in ``meta`` (own transaction)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        stats = compute_stats(conn)
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (STATS_KEY, json.dumps(stats, ensure_ascii=False)),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return stats
