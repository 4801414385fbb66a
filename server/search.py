"""Full-text search behind one small interface; SQLite FTS5 is the default engine.

Model-written text never reaches ``MATCH`` raw: :func:`build_match` parses a tiny grammar
(words, ``"phrases"``, trailing ``*`` for prefixes, ``OR``) and quotes every token. Field
filters (source, kind, dates) are plain SQL, and FTS5 drives the plan (``CROSS JOIN``)
so a filter never turns into a per-row FTS probe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

import aiosqlite

SortOrder = Literal["relevance", "newest", "oldest"]

_TOKEN_RE = re.compile(r'"([^"]*)"?|(\S+)')
_WORDISH_RE = re.compile(r"\w", re.UNICODE)
SNIPPET_OPEN, SNIPPET_CLOSE = "**", "**"


class QueryError(ValueError):
    """The query cannot be searched; the message says how to fix it."""


@dataclass(slots=True)
class SearchQuery:
    """A search request, already validated."""

    text: str
    sources: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 10
    offset: int = 0
    sort: SortOrder = "relevance"


@dataclass(slots=True)
class SearchHit:
    """One result row."""

    id: str
    source: str
    kind: str
    timestamp: str | None
    title: str | None
    snippet: str
    url: str | None
    creator: str | None


@dataclass(slots=True)
class SearchPage:
    """A page of results."""

    total: int
    results: list[SearchHit]
    next_offset: int | None
    #: True when the strict (all words) search found nothing and the relaxed (any word)
    #: search was used instead.
    relaxed: bool = False


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def build_match(text: str, mode: Literal["all", "any"] = "all") -> str | None:
    """Turn free text into a safe FTS5 MATCH expression, or None if nothing searchable.

    ``all`` requires every term (an explicit ``OR`` between two terms is honoured);
    ``any`` accepts any term.
    """
    groups: list[list[str]] = [[]]
    pending_or = False
    for match in _TOKEN_RE.finditer(text):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            if not _WORDISH_RE.search(phrase):
                continue
            term = _quote(phrase.strip())
        else:
            if word == "OR":
                pending_or = bool(groups[-1])
                continue
            if word == "AND":
                continue
            prefix = word.endswith("*")
            core = word.rstrip("*")
            if not _WORDISH_RE.search(core):
                continue
            term = _quote(core) + ("*" if prefix else "")
        if pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            groups.append([term])
    groups = [g for g in groups if g]
    if not groups:
        # Only operator words ("AND", "OR"): search them as plain words.
        words = [w for w in text.split() if w in ("AND", "OR")]
        groups = [[_quote(w)] for w in words]
        if not groups:
            return None
    if mode == "any":
        return " OR ".join(t for g in groups for t in g)
    if len(groups) == 1:
        return " OR ".join(groups[0])
    return " AND ".join(g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups)


def to_ms(dt: datetime) -> int:
    """Aware datetime -> epoch milliseconds."""
    return int(dt.astimezone(UTC).timestamp() * 1000)


def iso_from_ms(ms: int | None) -> str | None:
    """Epoch milliseconds -> ISO 8601 UTC string (seconds precision)."""
    if ms is None:
        return None
    return (
        datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    )


def filter_sql(q: SearchQuery, alias: str = "r") -> tuple[str, list[object]]:
    """SQL conditions (``AND ...``) and parameters for the query's field filters.

    A source filter ``google`` matches ``google`` and every ``google.*`` product.
    """
    parts: list[str] = []
    params: list[object] = []
    if q.sources:
        ors = []
        for s in q.sources:
            ors.append(f"({alias}.source = ? OR {alias}.source LIKE ?)")
            params += [s, s.replace("%", "").replace("_", "") + ".%"]
        parts.append("(" + " OR ".join(ors) + ")")
    if q.kinds:
        parts.append(f"{alias}.kind IN ({','.join('?' * len(q.kinds))})")
        params += q.kinds
    if q.since is not None:
        parts.append(f"{alias}.ts >= ?")
        params.append(to_ms(q.since))
    if q.until is not None:
        parts.append(f"{alias}.ts < ?")
        params.append(to_ms(q.until))
    return "".join(" AND " + p for p in parts), params


class Scope(Protocol):
    """What the user lets the assistant see (``server.privacy.Policy``)."""

    def visible_sql(self, alias: str = "r") -> tuple[str, list[Any]]: ...

    def search_sql(self, match: str, alias: str = "r") -> tuple[str, list[Any]]: ...


class SearchEngine(Protocol):
    """What every engine offers callers."""

    name: str

    async def search(
        self, db: aiosqlite.Connection, q: SearchQuery, scope: Scope | None = None
    ) -> SearchPage: ...


class FTS5Engine:
    """SQLite FTS5 over the ``records`` table (kept in sync by triggers)."""

    name = "fts5"

    async def _run(
        self, db: aiosqlite.Connection, q: SearchQuery, match: str, scope: Scope | None
    ) -> SearchPage:
        where, params = filter_sql(q)
        if scope is not None:
            for extra_sql, extra_params in (scope.visible_sql(), scope.search_sql(match)):
                where += extra_sql
                params += extra_params
        order = {
            "relevance": "records_fts.rank",
            "newest": "r.ts DESC",
            "oldest": "r.ts ASC",
        }[q.sort]
        base = (
            " FROM records_fts CROSS JOIN records r ON r.rowid = records_fts.rowid"
            f" WHERE records_fts MATCH ?{where}"
        )
        async with db.execute(f"SELECT count(*){base}", [match, *params]) as cur:
            row = await cur.fetchone()
            total = int(row[0]) if row else 0
        hits: list[SearchHit] = []
        if total and q.offset < total:
            sql = (
                "SELECT r.id, r.source, r.kind, r.ts, r.title, r.url, r.creator,"
                f" snippet(records_fts, -1, '{SNIPPET_OPEN}', '{SNIPPET_CLOSE}', '…', 16)"
                f"{base} ORDER BY {order} LIMIT ? OFFSET ?"
            )
            async with db.execute(sql, [match, *params, q.limit, q.offset]) as cur:
                async for rid, source, kind, ts, title, url, creator, snip in cur:
                    hits.append(
                        SearchHit(rid, source, kind, iso_from_ms(ts), title, snip, url, creator)
                    )
        end = q.offset + len(hits)
        return SearchPage(total, hits, end if end < total else None)

    async def search(
        self, db: aiosqlite.Connection, q: SearchQuery, scope: Scope | None = None
    ) -> SearchPage:
        """Strict search (every term); when it finds nothing, relaxed (any term)."""
        strict = build_match(q.text, "all")
        if strict is None:
            raise QueryError(
                f"the query {q.text!r} has no searchable words; use words or a quoted phrase"
            )
        page = await self._run(db, q, strict, scope)
        if page.total == 0 and q.offset == 0:
            relaxed = build_match(q.text, "any")
            if relaxed and relaxed != strict:
                page = await self._run(db, q, relaxed, scope)
                page.relaxed = page.total > 0
        return page


def make_engine(name: str) -> SearchEngine:
    """The engine configured by ``[index] engine``."""
    if name == "fts5":
        return FTS5Engine()
    raise QueryError(f"search engine {name!r} is not available in this version")
