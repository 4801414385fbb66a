"""Reading from the store (async, aiosqlite): search, records, sources, status.

Used by the MCP server and the CLI alike. A small pool gives each concurrent request its
own connection (queries on one aiosqlite connection would be serialised).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC
from pathlib import Path
from typing import Any

import aiosqlite
import anyio

from server.privacy import Policy
from server.profile import STATS_KEY, compute_stats
from server.schema import connect
from server.search import SearchEngine, SearchPage, SearchQuery, iso_from_ms

FAILED_FILES_SHOWN = 20


# -- preferences, profile, timeline ---------------------------------------------------------

PREF_COLUMNS = (
    "domain, type, key, name, score_all, score_recent, confidence, events, explicit,"
    " sources, first_ts, last_ts, evidence"
)


def _pref_item(row: tuple[Any, ...], period: str) -> dict[str, Any]:
    _, typ, key, name, s_all, s_recent, conf, events, explicit, sources, first, last = row[:12]
    return {
        "name": name,
        "type": typ,
        "key": key,
        "score": round(s_recent if period == "recent" else s_all, 3),
        "confidence": conf,
        "events": events,
        "explicit": explicit,
        "sources": json.loads(sources),
        "first_seen": iso_from_ms(first),
        "last_seen": iso_from_ms(last),
        "evidence": json.loads(row[12]),
        "stated": False,
    }


class PreferenceReader:
    """Ranked preferences with the user's stated preferences applied (mixin for Reader)."""

    async def preferences(
        self: Any,
        domain: str,
        *,
        period: str = "all",
        limit: int = 10,
        offset: int = 0,
        type: str | None = None,
        stated: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Items of one domain, best first; stated likes first, stated dislikes hide."""
        from server.stated import hides

        order = "score_recent" if period == "recent" else "score_all"
        where = "domain = ? AND weight > 0"
        params: list[Any] = [domain]
        if type:
            where += " AND type = ?"
            params.append(type)
        async with self.connection() as db:
            async with db.execute(
                f"SELECT {PREF_COLUMNS} FROM preferences WHERE {where}"
                f" ORDER BY {order} DESC, events DESC",
                params,
            ) as cur:
                rows = await cur.fetchall()
            async with db.execute(
                "SELECT type, count(*) FROM preferences WHERE domain = ? GROUP BY type",
                (domain,),
            ) as cur:
                types = {t: n async for t, n in cur}
        stated = stated or []
        hidden: list[str] = []
        items: list[dict[str, Any]] = []
        for s in stated:
            if s["polarity"] == "like" and s.get("domain") == domain and s.get("item"):
                items.append(
                    {
                        "name": s["item"],
                        "type": "stated",
                        "key": f"stated-{s['id']}",
                        "score": 1.0,
                        "confidence": 1.0,
                        "events": 0,
                        "explicit": 1,
                        "sources": {"stated by the user": 1},
                        "first_seen": s["created_at"],
                        "last_seen": s["created_at"],
                        "evidence": [],
                        "stated": True,
                        "stated_id": s["id"],
                    }
                )
        policy = self.policy
        if policy is not None and domain == "people" and not policy.settings.third_party:
            rows = []  # people are derived from others' messages: withheld
        visible_ids: set[str] | None = None
        if policy is not None and policy.restricts and rows:
            wanted = list({rid for row in rows for rid in json.loads(row[12])})
            visible_ids = set()
            vis_sql, vis_params = self.visible()
            async with self.connection() as db:
                for start in range(0, len(wanted), 500):
                    chunk = wanted[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    async with db.execute(
                        f"SELECT r.id FROM records r WHERE r.id IN ({marks}){vis_sql}",
                        [*chunk, *vis_params],
                    ) as cur:
                        visible_ids.update([r[0] async for r in cur])
        for row in rows:
            item = _pref_item(row, period)
            if policy is not None and visible_ids is not None:
                item["sources"] = {
                    k: v for k, v in item["sources"].items() if policy.source_visible(k)
                }
                item["evidence"] = [e for e in item["evidence"] if e in visible_ids]
                if not item["sources"] or not item["evidence"]:
                    continue
            blocker = next((s for s in stated if hides(s, domain, item["key"], item["name"])), None)
            if blocker is not None:
                hidden.append(f"{item['name']} (hidden by stated preference {blocker['id']})")
                continue
            items.append(item)
        page = items[offset : offset + limit]
        end = offset + len(page)
        return {
            "domain": domain,
            "period": period,
            "total": len(items),
            "items": page,
            "types": types,
            "hidden": hidden[:20],
            "next_offset": end if end < len(items) else None,
        }

    async def profile_summary(
        self: Any,
        *,
        people: bool = False,
        stated: list[dict[str, Any]] | None = None,
        per_domain: int = 5,
        interests: int = 8,
    ) -> dict[str, Any]:
        """Sources and spans, stated preferences, top items per domain, cross-platform
        interests and recent shifts."""
        from server.prefs import DOMAINS
        from server.profile import SUMMARY_TYPES, recent_shifts

        stats = await self.stats()
        sources = [
            {
                "source": name,
                "records": s["records"],
                "first": s["first"],
                "last": s["last"],
                "kinds": s["kinds"],
                "top_creators": s["top_creators"][:5],
            }
            for name, s in sorted(stats["sources"].items(), key=lambda kv: -kv[1]["records"])
        ]
        top: dict[str, list[dict[str, Any]]] = {}
        shifts: list[dict[str, Any]] = []
        for domain in DOMAINS:
            if domain == "topics" or (domain == "people" and not people):
                continue
            picked: list[dict[str, Any]] = []
            for typ in SUMMARY_TYPES[domain]:
                page = await self.preferences(domain, limit=per_domain, type=typ, stated=stated)
                picked.extend(page["items"])
            picked.sort(key=lambda i: (not i["stated"], -i["score"]))
            top[domain] = [_brief(i) for i in picked[:per_domain]]
            main = SUMMARY_TYPES[domain][0]
            all_time = await self.preferences(domain, limit=20, type=main, stated=stated)
            recent = await self.preferences(
                domain, limit=20, type=main, stated=stated, period="recent"
            )
            shifts += recent_shifts(all_time["items"], recent["items"], domain)
        topics = await self.preferences("topics", limit=interests, stated=stated)
        return {
            "total_records": stats["records"],
            "sources": sources,
            "stated": [
                {k: s[k] for k in ("id", "statement", "polarity", "domain", "item")}
                for s in stated or []
            ],
            "top": {d: items for d, items in top.items() if items},
            "interests": [
                {"name": i["name"], "score": i["score"], "sources": i["sources"]}
                for i in topics["items"]
            ],
            "recent_shifts": shifts[:8],
        }

    async def timeline(
        self: Any,
        since_ms: int,
        until_ms: int,
        *,
        sources: list[str] | None = None,
        kinds: list[str] | None = None,
        days: int = 14,
        per_day: int = 6,
        offset_days: int = 0,
    ) -> dict[str, Any]:
        """What happened in a period, grouped by UTC day (newest day first), bounded."""
        from server.search import SearchQuery, filter_sql

        q = SearchQuery(text="", sources=sources or [], kinds=kinds or [])
        where, params = filter_sql(q)
        vis_sql, vis_params = self.visible()
        where += vis_sql
        params += vis_params
        base = f"FROM records r WHERE r.ts >= ? AND r.ts < ?{where}"
        base_params = [since_ms, until_ms, *params]
        async with self.connection() as db:
            async with db.execute(
                f"SELECT date(r.ts / 1000, 'unixepoch') AS day, r.source, r.kind, count(*) {base}"
                " GROUP BY day, r.source, r.kind ORDER BY day DESC",
                base_params,
            ) as cur:
                counts: dict[str, dict[str, int]] = {}
                async for day, source, kind, n in cur:
                    counts.setdefault(day, {})[f"{source} {kind}"] = n
            all_days = list(counts)
            chosen = all_days[offset_days : offset_days + days]
            highlights: dict[str, list[dict[str, Any]]] = {d: [] for d in chosen}
            if chosen:
                lo = int(_day_ms(chosen[-1]))
                hi = int(_day_ms(chosen[0])) + 86_400_000
                sql = (
                    "SELECT day, id, source, kind, ts, title, creator FROM ("
                    " SELECT date(r.ts / 1000, 'unixepoch') AS day, r.id, r.source, r.kind,"
                    " r.ts, r.title, r.creator, row_number() OVER ("
                    "  PARTITION BY date(r.ts / 1000, 'unixepoch'), r.source"
                    "  ORDER BY r.kind IN ('rate','like','save','purchase','review','read',"
                    "  'post','event','email','note') DESC, r.ts) AS n"
                    f" {base} AND r.ts >= ? AND r.ts < ?) WHERE n <= ? ORDER BY day DESC, ts"
                )
                async with db.execute(sql, [*base_params, lo, hi, per_day]) as cur:
                    async for day, rid, source, kind, ts, title, creator in cur:
                        if day in highlights and len(highlights[day]) < per_day * 3:
                            highlights[day].append(
                                {
                                    "id": rid,
                                    "source": source,
                                    "kind": kind,
                                    "time": iso_from_ms(ts),
                                    "title": title,
                                    "creator": creator,
                                }
                            )
        out_days = [
            {
                "date": d,
                "records": sum(counts[d].values()),
                "counts": counts[d],
                "highlights": highlights[d][: per_day * 2],
            }
            for d in chosen
        ]
        end = offset_days + len(chosen)
        return {
            "total_days": len(all_days),
            "days": out_days,
            "next_offset": end if end < len(all_days) else None,
        }


def _brief(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": item["name"],
        "type": item["type"],
        "score": item["score"],
        "sources": list(item["sources"]),
        "stated": item["stated"],
    }


def _day_ms(day: str) -> float:
    from datetime import datetime as _dt

    return _dt.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC).timestamp() * 1000


class RecordNotFound(LookupError):
    """No record has this id."""


class Reader(PreferenceReader):
    """Read-only access to the database through a small connection pool."""

    def __init__(
        self,
        db_path: Path,
        engine: SearchEngine,
        pool_size: int = 4,
        policy: Policy | None = None,
    ) -> None:
        self.db_path = db_path
        self.engine = engine
        self.pool_size = pool_size
        #: What the user lets the assistant see; None: everything (the CLI's own view).
        self.policy = policy
        self._pool: asyncio.Queue[aiosqlite.Connection] | None = None
        self._all: list[aiosqlite.Connection] = []
        self._filtered_stats: tuple[str | None, dict[str, Any]] | None = None

    def visible(self, alias: str = "r") -> tuple[str, list[Any]]:
        """``AND ...`` SQL keeping only what the policy lets through."""
        return self.policy.visible_sql(alias) if self.policy else ("", [])

    def blank(self, source: str, kind: str) -> set[str]:
        """Fields the policy hides for this source and kind."""
        return self.policy.hidden_fields(source, kind) if self.policy else set()

    async def open(self) -> None:
        """Create and migrate the database if needed, then open the pool."""
        connect(self.db_path).close()
        start = getattr(self.engine, "start", None)
        if start is not None:  # an engine with its own index (whoosh) catches up
            await start(self.db_path)
        self._pool = asyncio.Queue()
        for _ in range(self.pool_size):
            conn = await aiosqlite.connect(self.db_path)
            await conn.execute("PRAGMA busy_timeout = 30000")
            await conn.execute("PRAGMA query_only = 1")
            if self.policy is not None:
                for name, (nargs, fn) in self.policy.sql_functions().items():
                    await conn.create_function(name, nargs, fn, deterministic=True)
            self._all.append(conn)
            self._pool.put_nowait(conn)

    async def close(self) -> None:
        """Close every pooled connection."""
        for conn in self._all:
            await conn.close()
        self._all.clear()
        self._pool = None

    async def __aenter__(self) -> Reader:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[aiosqlite.Connection]:
        """Borrow a pooled connection."""
        if self._pool is None:
            raise RuntimeError("Reader is not open")
        conn = await self._pool.get()
        try:
            yield conn
        finally:
            self._pool.put_nowait(conn)

    async def search(self, q: SearchQuery) -> SearchPage:
        """Full-text search with filters (and the policy's scopes)."""
        async with self.connection() as db:
            page = await self.engine.search(db, q, self.policy)
        if self.policy is not None:
            for hit in page.results:
                hidden = self.blank(hit.source, hit.kind)
                if hidden:
                    hit.title = None if "title" in hidden else hit.title
                    hit.url = None if "url" in hidden else hit.url
                    hit.creator = None if "creator" in hidden else hit.creator
                    # The snippet may come from any field: rebuild it from what is shown.
                    hit.snippet = hit.title or ""
        return page

    async def get_record(self, record_id: str, max_chars: int) -> dict[str, Any]:
        """The full record with its provenance; text cut at ``max_chars``."""
        async with self.connection() as db:
            async with db.execute(
                "SELECT r.rowid, r.id, r.source, r.kind, r.ts, r.tz_known, r.title, r.text,"
                " r.url, r.creator, r.tags, r.numbers, r.extra, r.position, f.path,"
                " r.third_party"
                " FROM records r LEFT JOIN files f ON f.id = r.file_id WHERE r.id = ?"
                + self.visible()[0],
                (record_id, *self.visible()[1]),
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                raise RecordNotFound(record_id)
            (rowid, rid, source, kind, ts, tz_known, title, text, url, creator, tags) = row[:11]
            numbers, extra, position, path, third_party = row[11:]
            async with db.execute(
                "SELECT f.path FROM extra_providers e JOIN files f ON f.id = e.file_id"
                " WHERE e.record_rowid = ? ORDER BY f.path LIMIT 20",
                (rowid,),
            ) as cur:
                also = [r[0] async for r in cur]
        hidden = self.blank(source, kind)
        title = None if "title" in hidden else title
        text = None if "text" in hidden else text
        url = None if "url" in hidden else url
        creator = None if "creator" in hidden else creator
        extra = None if "extra" in hidden else extra
        full_len = len(text or "")
        truncated = full_len > max_chars
        return {
            "id": rid,
            "source": source,
            "kind": kind,
            "timestamp": iso_from_ms(ts),
            "timezone_known": bool(tz_known),
            "title": title,
            "text": (text[:max_chars] + "…") if truncated and text else text,
            "text_truncated": truncated,
            "text_chars": full_len,
            "url": url,
            "creator": creator,
            "tags": tags.split() if tags else [],
            "numbers": json.loads(numbers) if numbers else {},
            "extra": json.loads(extra) if extra else {},
            "third_party": bool(third_party),
            "provenance": {"file": path, "position": position, "also_in": also},
        }

    async def stats(self) -> dict[str, Any]:
        """Per-source statistics: the writer's cache, or (when the policy hides
        anything) recomputed over the visible records once per change of the data."""
        sql = "SELECT value FROM meta WHERE key = ?"
        async with self.connection() as db, db.execute(sql, (STATS_KEY,)) as cur:
            row = await cur.fetchone()
        if row is None:
            return {"records": 0, "sources": {}, "file_outcomes": {}, "computed_at": None}
        cached = dict(json.loads(row[0]))
        if self.policy is None or not self.policy.restricts:
            return cached
        stamp = cached.get("computed_at")
        if self._filtered_stats is None or self._filtered_stats[0] != stamp:
            self._filtered_stats = (stamp, await anyio.to_thread.run_sync(self._visible_stats))
        return self._filtered_stats[1]

    def _visible_stats(self) -> dict[str, Any]:
        conn = sqlite3.connect(self.db_path, timeout=30)
        try:
            assert self.policy is not None
            for name, (nargs, fn) in self.policy.sql_functions().items():
                conn.create_function(name, nargs, fn, deterministic=True)
            return compute_stats(conn, *self.visible())
        finally:
            conn.close()

    async def source_names(self) -> list[str]:
        """Names of sources that have records."""
        return sorted((await self.stats())["sources"])

    async def failed_files(self, limit: int = FAILED_FILES_SHOWN) -> list[dict[str, str]]:
        """Failed files with their reasons (most recent first)."""
        async with (
            self.connection() as db,
            db.execute(
                "SELECT path, reason FROM files WHERE outcome = 'failed'"
                " ORDER BY indexed_at DESC, path LIMIT ?",
                (limit,),
            ) as cur,
        ):
            return [{"path": p, "reason": r or ""} async for p, r in cur]

    async def files_with_issues(self, limit: int = FAILED_FILES_SHOWN) -> list[dict[str, Any]]:
        """Indexed files that had bad rows, with a sample of the problems."""
        async with (
            self.connection() as db,
            db.execute(
                "SELECT path, issues, issue_sample FROM files WHERE issues > 0"
                " ORDER BY issues DESC, path LIMIT ?",
                (limit,),
            ) as cur,
        ):
            return [
                {"path": p, "issues": n, "sample": json.loads(s) if s else []}
                async for p, n, s in cur
            ]

    async def _meta_json(self, key: str) -> dict[str, Any] | None:
        sql = "SELECT value FROM meta WHERE key = ?"
        async with self.connection() as db, db.execute(sql, (key,)) as cur:
            row = await cur.fetchone()
        return dict(json.loads(row[0])) if row else None

    async def live(self) -> dict[str, Any]:
        """The live state: who watches the folders, what is being indexed now, the last
        run. Entries of processes that died are dropped."""
        from server.ingest import LAST_RUN_KEY, LIVE_KEY
        from server.live import WATCH_KEY
        from server.locks import pid_alive, writer_lock

        watch = await self._meta_json(WATCH_KEY)
        indexing = await self._meta_json(LIVE_KEY)
        return {
            "writer": writer_lock(self.db_path.parent).holder(),
            "watch": watch if watch and pid_alive(int(watch.get("pid", 0))) else None,
            "indexing": indexing if indexing and pid_alive(int(indexing.get("pid", 0))) else None,
            "last_run": await self._meta_json(LAST_RUN_KEY),
        }

    async def status(self) -> dict[str, Any]:
        """Everything ``pctx status`` and ``list_sources`` show."""
        stats = await self.stats()
        async with self.connection() as db:
            async with db.execute("SELECT outcome, count(*) FROM files GROUP BY outcome") as cur:
                outcomes = {o: n async for o, n in cur}
            async with db.execute(
                "SELECT reason, count(*) FROM files WHERE outcome = 'ignored'"
                " GROUP BY reason ORDER BY count(*) DESC LIMIT 20"
            ) as cur:
                ignored = [{"reason": r, "files": n} async for r, n in cur]
            async with db.execute(
                "SELECT path FROM files WHERE outcome = 'unrecognised' ORDER BY path LIMIT 20"
            ) as cur:
                unrecognised = [p async for (p,) in cur]
        return {
            "database": str(self.db_path),
            "records": stats["records"],
            "sources": stats["sources"],
            "files": {
                o: outcomes.get(o, 0) for o in ("indexed", "ignored", "unrecognised", "failed")
            },
            "failed_files": await self.failed_files(),
            "files_with_issues": await self.files_with_issues(),
            "ignored_reasons": ignored,
            "unrecognised_files": unrecognised,
            "stats_computed_at": stats.get("computed_at"),
            "live": await self.live(),
        }


def live_lines(live: dict[str, Any]) -> list[str]:
    """The live state in a few words."""
    lines = []
    if live.get("indexing"):
        now = live["indexing"]
        lines.append(
            f"Indexing now: {now.get('current') or 'starting'} "
            f"({now['files_seen']} files, {now['records_read']} records so far)."
        )
    watch = live.get("watch")
    if watch:
        lines.append(
            f"Watching {len(watch['folders'])} folders ({watch['state']}); "
            f"{watch['pending_changes']} changes waiting to settle."
        )
        if watch["missing_folders"]:
            lines.append("Folders not found: " + ", ".join(watch["missing_folders"]) + ".")
    last = live.get("last_run")
    if last:
        lines.append(
            f"Last index run finished {last['finished_at']}: {last['records_new']} new records, "
            f"{last['failures']} failed files."
        )
    return lines
