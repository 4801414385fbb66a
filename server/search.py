"""Full-text search behind one small interface; SQLite FTS5 is the default engine.

Model-written text never reaches ``MATCH`` raw: :func:`build_match` parses a tiny grammar
(words, ``"phrases"``, trailing ``*`` for prefixes, ``OR``) and quotes every token. Field
filters (source, kind, dates) are plain SQL, and FTS5 drives the plan (``CROSS JOIN``)
so a filter never turns into a per-row FTS probe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
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
    #: False when more than COUNT_CAP records match: ``total`` is then COUNT_CAP.
    total_exact: bool = True
    #: Set when so many records match that only the most recently indexed ones were
    #: ranked (this many): add words or filters to rank among all of them.
    ranked_among: int | None = None


#: Counting stops here: "more than 10,000" is as useful as the exact number.
COUNT_CAP = 10_000
#: Queries matching more records than this rank only the most recently indexed
#: RANK_WINDOW matches (BM25 over hundreds of thousands of rows takes too long).
RANK_WINDOW = 4_000
#: BM25 on one row costs about as much as walking this many doclist entries (measured
#: at 1M records: ~2 us vs ~25 ns); see ``FTS5Engine._text_ranking``.
RANK_VS_WALK = 80
CONTENT_COLUMNS = "{title text creator tags}"


def _compact(name: str) -> str:
    return name.replace(".", "").replace("_", "").replace("-", "").lower()


def _months(since: datetime, until: datetime) -> list[str]:
    """Facet tokens covering [since, until): whole years as ``zy``, the rest ``zm``."""
    months: list[tuple[int, int]] = []
    y, m = since.year, since.month
    last = until - timedelta(microseconds=1)
    while (y, m) <= (last.year, last.month) and len(months) < 1200:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    years = {yy for yy, _ in months}
    full = {yy for yy in years if sum(1 for a, _ in months if a == yy) == 12}
    tokens = [f"zy{yy}" for yy in sorted(full)]
    tokens += [f"zm{yy}{mm:02d}" for yy, mm in months if yy not in full]
    return tokens


def facet_match(q: SearchQuery) -> str:
    """``AND facets : (...)`` clauses for the query's source, kind and date filters, so
    FTS5 itself narrows the matches (exact date edges are still checked in SQL)."""
    clauses: list[str] = []
    if q.sources:
        clauses.append(" OR ".join(f"zs{_compact(s)}" for s in q.sources))
    if q.kinds:
        clauses.append(" OR ".join(f"zk{_compact(k)}" for k in q.kinds))
    if q.since is not None or q.until is not None:
        since = q.since or datetime(1971, 1, 1, tzinfo=UTC)
        until = q.until or datetime.now(UTC) + timedelta(days=365 * 5)
        tokens = _months(since, until) if since < until else []
        clauses.append(" OR ".join(tokens) if tokens else "zynone")
    return "".join(f" AND facets : ({c})" for c in clauses)


def _month_start(dt: datetime) -> bool:
    utc = dt.astimezone(UTC)
    return utc.day == 1 and utc.time() == datetime.min.time()


def date_sql(q: SearchQuery, alias: str = "r") -> tuple[str, list[object]]:
    """The date bounds the facets cannot express (they see whole months): a bound on a
    month's first instant needs no SQL, and then no join to count."""
    parts: list[str] = []
    params: list[object] = []
    if q.since is not None and not _month_start(q.since):
        parts.append(f"{alias}.ts >= ?")
        params.append(to_ms(q.since))
    if q.until is not None and not _month_start(q.until):
        parts.append(f"{alias}.ts < ?")
        params.append(to_ms(q.until))
    return "".join(" AND " + p for p in parts), params


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class Term:
    """One word or quoted phrase of a query; ``prefix`` for a trailing ``*``."""

    text: str
    prefix: bool = False


def parse_groups(text: str) -> list[list[Term]] | None:
    """The query grammar every engine reads: words, ``"phrases"``, trailing ``*`` for
    prefixes, ``OR`` between terms (``AND`` is implied). Returns AND-ed groups of OR-ed
    terms, or None when nothing is searchable."""
    groups: list[list[Term]] = [[]]
    pending_or = False
    for match in _TOKEN_RE.finditer(text):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            if not _WORDISH_RE.search(phrase):
                continue
            term = Term(phrase.strip())
        else:
            if word == "OR":
                pending_or = bool(groups[-1])
                continue
            if word == "AND":
                continue
            core = word.rstrip("*")
            if not _WORDISH_RE.search(core):
                continue
            term = Term(core, prefix=word.endswith("*"))
        if pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            groups.append([term])
    groups = [g for g in groups if g]
    if not groups:
        # Only operator words ("AND", "OR"): search them as plain words.
        groups = [[Term(w)] for w in text.split() if w in ("AND", "OR")]
    return groups or None


def build_match(text: str, mode: Literal["all", "any"] = "all") -> str | None:
    """Turn free text into a safe FTS5 MATCH expression, or None if nothing searchable.

    ``all`` requires every term (an explicit ``OR`` between two terms is honoured);
    ``any`` accepts any term. Every token is quoted: model text never reaches MATCH raw.
    """
    parsed = parse_groups(text)
    if parsed is None:
        return None
    groups = [[_quote(t.text) + ("*" if t.prefix else "") for t in g] for g in parsed]
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
        full = f"{CONTENT_COLUMNS} : ({match}){facet_match(q)}"
        where, params = date_sql(q)
        if scope is not None:
            for extra_sql, extra_params in (scope.visible_sql(), scope.search_sql(match)):
                where += extra_sql
                params += extra_params
        join = " FROM records_fts CROSS JOIN records r ON r.rowid = records_fts.rowid"
        base = f"{join} WHERE records_fts MATCH ?{where}"
        if where:
            count_sql = f"SELECT count(*) FROM (SELECT 1{base} LIMIT {COUNT_CAP + 1})"
            count_params = [full, *params]
        else:  # no join needed to count
            count_sql = (
                "SELECT count(*) FROM (SELECT 1 FROM records_fts WHERE records_fts MATCH ?"
                f" LIMIT {COUNT_CAP + 1})"
            )
            count_params = [full]
        async with db.execute(count_sql, count_params) as cur:
            row = await cur.fetchone()
            counted = int(row[0]) if row else 0
        total, exact = min(counted, COUNT_CAP), counted <= COUNT_CAP
        if not total or q.offset >= total:
            return SearchPage(total, [], None, total_exact=exact)
        columns = (
            "SELECT r.id, r.source, r.kind, r.ts, r.title, r.url, r.creator,"
            f" snippet(records_fts, -1, '{SNIPPET_OPEN}', '{SNIPPET_CLOSE}', '…', 16)"
        )
        many = not exact or total > RANK_WINDOW
        ranked_among: int | None = None
        if q.sort == "relevance":
            bound = hi = None
            if many and q.offset + q.limit <= RANK_WINDOW:
                # The window's lowest rowid (the bound) and its highest, in one walk.
                async with db.execute(
                    "SELECT min(rowid), max(rowid), count(*) FROM (SELECT rowid FROM"
                    " records_fts WHERE records_fts MATCH ? ORDER BY rowid DESC"
                    f" LIMIT {RANK_WINDOW})",
                    [full],
                ) as cur:
                    row = await cur.fetchone()
                if row is not None and row[2] >= RANK_WINDOW:
                    bound, hi = int(row[0]), int(row[1])
            ranked = RANK_WINDOW if bound is not None else total
            ranking = await self._text_ranking(db, q, match, full, ranked, bound, hi, where, params)
            if ranking is not None:
                sql, rank_params = ranking
                hits = await self._rows(db, f"{columns}{sql}", [*rank_params, q.limit, q.offset])
            else:
                hits = await self._rows(
                    db,
                    f"{columns}{base}{' AND records_fts.rowid >= ?' if bound else ''}"
                    " ORDER BY records_fts.rank LIMIT ? OFFSET ?",
                    [full, *params, *([bound] if bound else []), q.limit, q.offset],
                )
            if bound is not None and len(hits) < min(q.limit, total - q.offset):
                # The filters left too few of the window: rank among all matches.
                hits = await self._rows(
                    db,
                    f"{columns}{base} ORDER BY records_fts.rank LIMIT ? OFFSET ?",
                    [full, *params, q.limit, q.offset],
                )
            elif bound is not None:
                ranked_among = RANK_WINDOW
        elif not many:
            order = "r.ts DESC" if q.sort == "newest" else "r.ts ASC"
            hits = await self._rows(
                db,
                f"{columns}{base} ORDER BY {order} LIMIT ? OFFSET ?",
                [full, *params, q.limit, q.offset],
            )
        else:
            hits = await self._by_time(db, q, full, where, params)
        end = q.offset + len(hits)
        more = end < total or (not exact and len(hits) == q.limit)
        return SearchPage(
            total, hits, end if more else None, total_exact=exact, ranked_among=ranked_among
        )

    @staticmethod
    async def _rowid_at(db: aiosqlite.Connection, match: str, order: str) -> int | None:
        """The rowid of the first match in rowid ``order`` (``ASC``/``DESC``)."""
        async with db.execute(
            f"SELECT rowid FROM records_fts WHERE records_fts MATCH ? ORDER BY rowid {order}"
            " LIMIT 1",
            [match],
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else None

    async def _text_ranking(
        self,
        db: aiosqlite.Connection,
        q: SearchQuery,
        match: str,
        full: str,
        ranked: int,
        bound: int | None,
        hi: int | None,
        where: str,
        params: list[Any],
    ) -> tuple[str, list[Any]] | None:
        """The ranking statement without the filter phrases, or None to rank with them.

        ``bound``/``hi`` span the window when there is one (else they are looked up).
        BM25 computes every phrase's IDF by walking its whole doclist, and a filter
        phrase (``zsgoogle``) can match most of the index: ~15 ms at 1M records for a
        score it weights 0. Ranking the rowid span of the ``ranked`` filtered matches
        with the text phrases alone (filters checked in SQL; the scores are identical)
        instead costs BM25 over every text-only match in that span. The span's share of
        filtered matches estimates the filter phrases' share of the index, so the cheaper
        statement is chosen by :data:`RANK_VS_WALK`."""
        if not (q.sources or q.kinds or q.since or q.until):
            return None
        if hi is None:
            hi = await self._rowid_at(db, full, "DESC")
        lo = bound if bound is not None else await self._rowid_at(db, full, "ASC")
        if hi is None or lo is None:
            return None
        async with db.execute("SELECT max(rowid) FROM records") as cur:
            row = await cur.fetchone()
        indexed = int(row[0] or 0) if row else 0
        text = f"{CONTENT_COLUMNS} : ({match})"
        # Beyond this many text-only matches in the span, the walk is the cheaper cost.
        cap = ranked + indexed // RANK_VS_WALK
        async with db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM records_fts WHERE records_fts MATCH ?"
            f" AND rowid BETWEEN ? AND ? LIMIT {cap + 1})",
            [text, lo, hi],
        ) as cur:
            row = await cur.fetchone()
        in_span = int(row[0]) if row else cap + 1
        walk = indexed * ranked / max(in_span, 1)  # the filter phrases' estimated doclists
        if (in_span - ranked) * RANK_VS_WALK > walk:
            return None
        exact, exact_params = filter_sql(q)
        sql = (
            " FROM records_fts CROSS JOIN records r ON r.rowid = records_fts.rowid"
            f" WHERE records_fts MATCH ? AND records_fts.rowid BETWEEN ? AND ?{exact}{where}"
            " ORDER BY records_fts.rank LIMIT ? OFFSET ?"
        )
        return sql, [text, lo, hi, *exact_params, *params]

    @staticmethod
    async def _rows(db: aiosqlite.Connection, sql: str, params: list[Any]) -> list[SearchHit]:
        hits: list[SearchHit] = []
        async with db.execute(sql, params) as cur:
            async for rid, source, kind, ts, title, url, creator, snip in cur:
                hits.append(
                    SearchHit(rid, source, kind, iso_from_ms(ts), title, snip, url, creator)
                )
        return hits

    async def _by_time(
        self,
        db: aiosqlite.Connection,
        q: SearchQuery,
        full: str,
        where: str,
        params: list[Any],
    ) -> list[SearchHit]:
        """Newest/oldest first over very many matches: walk the time index and keep the
        matching rows, then fetch snippets for the page."""
        order = "DESC" if q.sort == "newest" else "ASC"
        sql = (
            "SELECT r.rowid FROM records r WHERE r.ts IS NOT NULL AND r.rowid IN"
            f" (SELECT rowid FROM records_fts WHERE records_fts MATCH ?){where}"
            f" ORDER BY r.ts {order} LIMIT ? OFFSET ?"
        )
        async with db.execute(sql, [full, *params, q.limit, q.offset]) as cur:
            rowids = [r[0] async for r in cur]
        if not rowids:
            return []
        marks = ",".join("?" * len(rowids))
        by_rowid: dict[int, SearchHit] = {}
        async with db.execute(
            "SELECT r.rowid, r.id, r.source, r.kind, r.ts, r.title, r.url, r.creator,"
            f" snippet(records_fts, -1, '{SNIPPET_OPEN}', '{SNIPPET_CLOSE}', '…', 16)"
            " FROM records_fts CROSS JOIN records r ON r.rowid = records_fts.rowid"
            f" WHERE records_fts MATCH ? AND records_fts.rowid IN ({marks})",
            [full, *rowids],
        ) as cur:
            async for rowid, rid, source, kind, ts, title, url, creator, snip in cur:
                by_rowid[rowid] = SearchHit(
                    rid, source, kind, iso_from_ms(ts), title, snip, url, creator
                )
        return [by_rowid[r] for r in rowids if r in by_rowid]

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


def make_engine(name: str, data_dir: Path | None = None) -> SearchEngine:
    """The engine configured by ``[index] engine``; ``whoosh`` keeps its index in
    ``data_dir``."""
    if name == "fts5":
        return FTS5Engine()
    if name == "whoosh":
        import importlib.util

        if importlib.util.find_spec("whoosh") is None:
            raise QueryError("the whoosh engine needs: pip install 'personal-context-mcp[whoosh]'")
        if data_dir is None:
            raise QueryError("the whoosh engine needs the data directory")
        from server.whoosh_engine import WhooshEngine

        return WhooshEngine(data_dir)
    raise QueryError(f"search engine {name!r} is not available in this version")
