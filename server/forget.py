"""Forgetting: delete records by source, id, time range or query, leaving tombstones.

Tombstones live in ``user.db``, so re-importing the same export (or rebuilding the index)
never brings the records back. Statistics and preferences are recomputed afterwards.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from server.ingest import RECORDS_VERSION_KEY
from server.locks import ingest_lock
from server.prefs import refresh_if_stale
from server.profile import refresh_stats
from server.search import QueryError, build_match, iso_from_ms, to_ms
from server.store import Store

BATCH = 2000


@dataclass
class Criteria:
    """What to forget; every given criterion must hold (AND)."""

    sources: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    since: datetime | None = None
    until: datetime | None = None
    query: str | None = None

    def empty(self) -> bool:
        """True when nothing was asked for (forgetting everything needs --source etc.)."""
        return not (self.sources or self.ids or self.since or self.until or self.query)

    def sql(self) -> tuple[str, list[Any]]:
        """``FROM ... WHERE ...`` selecting the records (alias ``r``)."""
        conds: list[str] = []
        params: list[Any] = []
        frm = "FROM records r"
        if self.query:
            match = build_match(self.query)
            if match is None:
                raise QueryError(f"the query {self.query!r} has no searchable words")
            frm = "FROM records_fts CROSS JOIN records r ON r.rowid = records_fts.rowid"
            conds.append("records_fts MATCH ?")
            params.append(match)
        if self.sources:
            conds.append(
                "(" + " OR ".join("(r.source = ? OR r.source LIKE ?)" for _ in self.sources) + ")"
            )
            for s in self.sources:
                params += [s, s + ".%"]
        if self.ids:
            conds.append(f"r.id IN ({','.join('?' * len(self.ids))})")
            params += self.ids
        if self.since:
            conds.append("r.ts >= ?")
            params.append(to_ms(self.since))
        if self.until:
            conds.append("r.ts < ?")
            params.append(to_ms(self.until))
        return f"{frm} WHERE {' AND '.join(conds) or '1'}", params


def preview(store: Store, criteria: Criteria, sample: int = 10) -> dict[str, Any]:
    """How many records would go, per source, and a few of them."""
    frm, params = criteria.sql()
    per_source = dict(
        store.conn.execute(
            f"SELECT r.source, count(*) {frm} GROUP BY r.source ORDER BY 2 DESC", params
        ).fetchall()
    )
    rows = store.conn.execute(
        f"SELECT r.id, r.source, r.kind, r.ts, r.title {frm} ORDER BY r.ts DESC LIMIT ?",
        [*params, sample],
    ).fetchall()
    return {
        "records": sum(per_source.values()),
        "by_source": per_source,
        "sample": [
            {"id": i, "source": s, "kind": k, "timestamp": iso_from_ms(t), "title": title}
            for i, s, k, t, title in rows
        ],
    }


def _batches(store: Store, criteria: Criteria) -> Iterator[list[tuple[int, str, str]]]:
    frm, params = criteria.sql()
    while True:
        rows = store.conn.execute(
            f"SELECT r.rowid, r.id, r.source {frm} LIMIT {BATCH}", params
        ).fetchall()
        if not rows:
            return
        yield rows


def forget(
    store: Store,
    criteria: Criteria,
    *,
    half_life_days: float = 90.0,
    reason: str | None = None,
    progress: Callable[[int], None] | None = None,
    index_sync: Callable[[sqlite3.Connection], object] | None = None,
) -> int:
    """Delete the matching records and tombstone them; returns how many went.

    Holds the ingest lock, so no ingest runs meanwhile; preferences are derived again,
    and ``index_sync`` (an engine with its own index, such as whoosh) catches up.
    """
    if criteria.empty():
        raise ValueError("say what to forget (a source, ids, dates or a query)")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    removed = 0
    with ingest_lock(store.db_path.parent):
        for rows in _batches(store, criteria):
            with store.transaction():
                store.conn.executemany(
                    "INSERT OR IGNORE INTO userdb.tombstones (id, source, forgotten_at, reason)"
                    " VALUES (?, ?, ?, ?)",
                    [(rid, source, now, reason) for _, rid, source in rows],
                )
                rowids = [(rowid,) for rowid, _, _ in rows]
                store.conn.executemany("DELETE FROM extra_providers WHERE record_rowid = ?", rowids)
                store.conn.executemany("DELETE FROM records WHERE rowid = ?", rowids)
            removed += len(rows)
            if progress is not None:
                progress(removed)
        if removed:
            store.conn.execute(
                "UPDATE files SET records = (SELECT count(*) FROM records r"
                " WHERE r.file_id = files.id) + (SELECT count(*) FROM extra_providers e"
                " WHERE e.file_id = files.id) WHERE outcome = 'indexed'"
            )
            with store.transaction():
                version = int(store.get_meta(RECORDS_VERSION_KEY) or 0) + 1
                store.set_meta(RECORDS_VERSION_KEY, str(version))
            refresh_stats(store.conn)
            refresh_if_stale(store.conn, half_life_days)
            if index_sync is not None:
                index_sync(store.conn)
    store.refresh_tombstones()
    return removed
