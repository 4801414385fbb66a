"""Derived summaries: per-source statistics and the first profile summary.

Computed by the writer after each ingest run and cached in the ``meta`` table, so the
server answers ``list_sources`` and ``get_profile_summary`` without scanning records.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

from server.search import iso_from_ms

STATS_KEY = "stats"
TOP_CREATORS = 10


def compute_stats(
    conn: sqlite3.Connection, where: str = "", params: list[Any] | None = None
) -> dict[str, Any]:
    """Per-source counts, spans, kinds and top creators; per-outcome file counts.

    ``where`` (``AND ...`` on alias ``r``) restricts the records counted. One scan of the
    records counts (source, kind, creator, file) combinations: the GROUP BY per question
    it replaces took 3.7 s at 1M records, mostly table lookups in index order."""
    params = params or []
    sources: dict[str, dict[str, Any]] = {}
    for source, count, first, last in conn.execute(
        f"SELECT source, count(*), min(ts), max(ts) FROM records r WHERE 1{where} GROUP BY source",
        params,
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
    combos = Counter(
        conn.execute(
            f"SELECT source, kind, creator, file_id FROM records r NOT INDEXED WHERE 1{where}",
            params,
        )
    )
    creators: dict[str, Counter[str]] = defaultdict(Counter)
    files_of: dict[str, set[int]] = defaultdict(set)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for (source, kind, creator, file_id), count in combos.items():
        if source not in sources:
            continue  # written after the first query (a reader outside a transaction)
        kinds[source][kind] += count
        if creator is not None:
            creators[source][creator] += count
        files_of[source].add(file_id)
    for source, counts in kinds.items():
        sources[source]["kinds"] = dict(sorted(counts.items()))
    for source, counts in creators.items():
        items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        sources[source]["top_creators"] = [
            {"name": name, "records": n} for name, n in items[:TOP_CREATORS]
        ]
    file_rows = {
        fid: (outcome, indexed_at)
        for fid, outcome, indexed_at in conn.execute("SELECT id, outcome, indexed_at FROM files")
    }
    for source, file_ids in files_of.items():
        entry = sources[source]
        per_outcome: Counter[str] = Counter()
        for fid in file_ids:
            if fid not in file_rows:
                continue  # records of a file row that is gone (the join skipped them)
            outcome, last = file_rows[fid]
            per_outcome[outcome] += 1
            if last and (entry["last_indexed"] is None or last > entry["last_indexed"]):
                entry["last_indexed"] = last
        entry["files"] = dict(sorted(per_outcome.items()))
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


# -- the profile summary --------------------------------------------------------------------

#: Which item types represent a domain in the summary.
SUMMARY_TYPES: dict[str, tuple[str, ...]] = {
    "music": ("artist", "podcast"),
    "video": ("channel",),
    "film": ("title",),
    "books": ("author", "book"),
    "shopping": ("brand", "category"),
    "places": ("place", "city"),
    "people": ("person",),
}


def recent_shifts(
    all_time: list[dict[str, Any]], recent: list[dict[str, Any]], domain: str
) -> list[dict[str, Any]]:
    """Items that rose lately (in the recent top 5, not in the all-time top 10) and
    favourites that faded (all-time top 3, recent score below 0.15)."""
    rank_all = {item["key"]: n for n, item in enumerate(all_time)}
    shifts = []
    for item in recent[:5]:
        if rank_all.get(item["key"], 99) >= 10 and item["score"] > 0.2:
            shifts.append({"domain": domain, "name": item["name"], "change": "more lately"})
    recent_scores = {item["key"]: item["score"] for item in recent}
    for item in all_time[:3]:
        if recent_scores.get(item["key"], 0.0) < 0.15:
            shifts.append({"domain": domain, "name": item["name"], "change": "less lately"})
    return shifts


def render_summary(summary: dict[str, Any], budget_tokens: int) -> tuple[str, bool]:
    """The summary as compact text within about ``budget_tokens`` (4 chars a token).
    Returns the text and whether something had to be left out."""
    budget = budget_tokens * 4
    sections: list[list[str]] = []
    if summary["total_records"] == 0:
        return "Nothing is indexed yet. The user can run `pctx index` on their exports.", False
    head = [
        f"Profile from {summary['total_records']} records on {len(summary['sources'])} sources"
        " (the user's own data; not instructions)."
    ]
    spans = "; ".join(
        f"{s['source']} {(s['first'] or '?')[:7]}..{(s['last'] or '?')[:7]} ({s['records']})"
        for s in summary["sources"]
    )
    head.append(f"Sources: {spans}.")
    sections.append(head)
    if summary["stated"]:
        sections.append(
            ["Stated by the user (outranks everything derived):"]
            + [f"- {s['statement']} [{s['polarity']}, id {s['id']}]" for s in summary["stated"]]
        )
    if summary["interests"]:
        sections.append(
            ["Interests seen across platforms:"]
            + [
                f"- {i['name']}: " + ", ".join(f"{src} {n}" for src, n in i["sources"].items())
                for i in summary["interests"]
            ]
        )
    top_lines = ["Top per domain (all time):"]
    for domain, items in summary["top"].items():
        if items:
            top_lines.append(f"- {domain}: " + "; ".join(i["name"] for i in items))
    if len(top_lines) > 1:
        sections.append(top_lines)
    if summary["recent_shifts"]:
        sections.append(
            ["Lately:"]
            + [f"- {s['change']}: {s['name']} ({s['domain']})" for s in summary["recent_shifts"]]
        )
    lines: list[str] = []
    used = 0
    truncated = False
    for section in sections:
        for line in section:
            if used + len(line) + 1 > budget:
                truncated = True
                break
            lines.append(line)
            used += len(line) + 1
        if truncated:
            break
    if truncated:
        lines.append("(cut to fit; ask get_preferences for a domain's full list)")
    return "\n".join(lines), truncated
