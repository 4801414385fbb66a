"""The optional Whoosh engine (``[index] engine = "whoosh"``), behind the FTS5 interface.

SQLite stays the source of truth. The records feed a Whoosh index in
``<data_dir>/whoosh/`` through a change log: triggers, created only once this engine is
used, append the id of every inserted, updated or deleted record to ``whoosh_log``.
:meth:`WhooshEngine.sync` applies the log since the sequence number the index last saw,
in one Whoosh commit that also stores that number, so a crash between the SQLite commit
and the Whoosh commit only delays the change. Ingest runs, ``pctx forget`` and every
reader's start call it. An index that is missing, unreadable, of an older layout, built
for another database (``meta.whoosh_epoch`` differs) or behind a log whose entries were
already pruned is rebuilt from all records.

Searching parses the grammar of :func:`server.search.build_match` (words, ``"phrases"``,
``prefix*``, ``OR``; every word required, any word when that finds nothing) and ranks
with BM25F (field boosts = the FTS5 BM25 weights). Sources, kinds and whole months are
filter tokens in the index (as FTS5's facets); date bounds inside a month and the
privacy scope are SQL conditions on the hits, which are then read from SQLite. While the
index is not built yet (a first rebuild running, a deleted index), FTS5 answers.

Known differences from FTS5: stemming is Snowball English (``porter2``; Whoosh's own
Porter stemmer turns "running" into "runn"), so "news" does not find "new"; a prefix
matches the stemmed or the unstemmed form; every match is ranked (``ranked_among`` is
always None); with a scope that hides fields, a hit stands only if FTS5 also finds it in
the shown fields; undated records come last in both time orders.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import aiosqlite
import anyio
from whoosh import collectors, sorting
from whoosh import index as windex
from whoosh import query as wq
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.highlight import (
    FIRST,
    BasicFragmentScorer,
    ContextFragmenter,
    Formatter,
    get_text,
    set_matched_filter,
    top_fragments,
)
from whoosh.lang.porter2 import stem
from whoosh.support.charset import accent_map
from whoosh.writing import CLEAR

import server.search as search_mod
from server.change_log import EPOCH_KEY, LOG_NAMES, LOG_SQL, LOG_TABLE, log_objects
from server.locks import ingest_lock
from server.schema import BM25_WEIGHTS, FTS_COLUMNS, connect, run_script
from server.search import (
    SNIPPET_CLOSE,
    SNIPPET_OPEN,
    FTS5Engine,
    QueryError,
    Scope,
    SearchHit,
    SearchPage,
    SearchQuery,
    Term,
    _months,
    build_match,
    date_sql,
    iso_from_ms,
    parse_groups,
)

log = logging.getLogger(__name__)

#: Bump when the Whoosh schema or analysis changes: the index is then created afresh.
SCHEMA_VERSION = 1
#: The index document holding the sync state (record ids are 20 hex digits).
SYNC_ID = "pctx-sync"
TEXT_FIELDS: tuple[str, ...] = FTS_COLUMNS[:4]  # title, text, creator, tags
BOOSTS = dict(zip(TEXT_FIELDS, BM25_WEIGHTS[:4], strict=True))
#: More pending changes than this (and than a quarter of the index): rebuild instead.
REBUILD_PENDING = 10_000
#: A reader's start rebuilds in the background (FTS5 answering meanwhile) above this many
#: records, so a server does not keep its client waiting for minutes.
BACKGROUND_REBUILD = 20_000
#: Seconds a sync waits for another process's Whoosh writer.
WRITER_TIMEOUT = 300.0
#: Characters of a record's text read for its snippet.
SNIPPET_TEXT_CHARS = 20_000
_CHUNK = 900
#: The sort keys of undated records.
UNDATED = 2**63 - 1

_ROW_SQL = "SELECT rowid, id, source, kind, ts, title, text, creator, tags FROM records"

#: Words as FTS5's unicode61 sees them: letters and digits with their combining marks
#: ("_", "." and "-" split).
WORD_PATTERN = r"(?:[^\W_]|[\u0300-\u036f])+"


class FoldFilter(Filter):  # type: ignore[misc]
    """Accent folding like FTS5's ``remove_diacritics``: decompose, drop the combining
    marks (``Björk`` written either way is ``bjork``), then map what is left (ø, ł, ...)
    with Whoosh's accent map."""

    def __call__(self, tokens: Iterable[Any]) -> Iterator[Any]:
        for t in tokens:
            if not t.text.isascii():
                bare = unicodedata.normalize("NFKD", t.text)
                t.text = "".join(c for c in bare if not unicodedata.combining(c)).translate(
                    accent_map
                )
            yield t


# Lower-cased and folded (Ines = Inês), then stemmed (Snowball English).
_FOLD = RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | FoldFilter()
ANALYZER = (
    RegexTokenizer(WORD_PATTERN)
    | LowercaseFilter()
    | FoldFilter()
    | StemFilter(stemfn=stem, cachesize=50_000)
)


def whoosh_schema() -> Schema:
    """The index layout: text fields boosted like FTS5's BM25 weights, filter fields,
    and the stored sync state."""
    return Schema(
        id=ID(unique=True, sortable=True),
        rowid=STORED(),
        title=TEXT(analyzer=ANALYZER, field_boost=BOOSTS["title"]),
        text=TEXT(analyzer=ANALYZER, field_boost=BOOSTS["text"]),
        creator=TEXT(analyzer=ANALYZER, field_boost=BOOSTS["creator"]),
        tags=TEXT(analyzer=ANALYZER, field_boost=BOOSTS["tags"]),
        # Filter tokens (see facet_tokens): source families, kind, year and month.
        facets=KEYWORD(lowercase=False, commas=False),
        # Sort keys only (a column, no terms: numeric terms made indexing twice as slow).
        # Undated records hold the largest value: last in both orders.
        ts=COLUMN(NumericColumn("q", default=UNDATED)),
        newest=COLUMN(NumericColumn("q", default=UNDATED)),
        sync_seq=STORED(),
        sync_epoch=STORED(),
        sync_schema=STORED(),
    )


def facet_tokens(source: str, kind: str, ts: int | None) -> str:
    """The filter tokens of a record: ``s:google s:google.youtube`` (a filter on
    ``google`` finds every google.* product), ``k:watch``, and the year and month as
    FTS5's facets write them (``zy2024 zm202403``)."""
    parts = source.split(".")
    out = [f"s:{'.'.join(parts[: n + 1])}" for n in range(len(parts))] + [f"k:{kind}"]
    if ts is not None:
        month = datetime.fromtimestamp(ts // 1000, UTC).strftime("%Y%m")
        out += [f"zy{month[:4]}", f"zm{month}"]
    return " ".join(out)


# -- the query grammar ------------------------------------------------------------------------


def _words(analyzer: Any, text: str) -> list[str]:
    return [str(t.text) for t in analyzer(text)]


def _exact(field: str, words: Sequence[str]) -> Any:
    return wq.Term(field, words[0]) if len(words) == 1 else wq.Phrase(field, list(words))


def term_query(term: Term) -> Any:
    """A Whoosh query for one term over every text field."""
    words = _words(ANALYZER, term.text)
    if not words:
        return wq.NullQuery
    per_field = []
    for field in TEXT_FIELDS:
        if not term.prefix:
            per_field.append(_exact(field, words))
            continue
        plain = _words(_FOLD, term.text)[-1]
        stems = {plain, words[-1]}
        last = (
            wq.Prefix(field, plain)
            if len(stems) == 1
            else wq.Or([wq.Prefix(field, s) for s in sorted(stems)])
        )
        per_field.append(last if len(words) == 1 else wq.And([_exact(field, words[:-1]), last]))
    return wq.Or(per_field)


def build_query(groups: list[list[Term]], mode: Literal["all", "any"]) -> Any:
    """Every group required (``all``) or any term (``any``), as :func:`build_match`."""
    if mode == "any":
        return wq.Or([term_query(t) for g in groups for t in g])
    parts = [term_query(g[0]) if len(g) == 1 else wq.Or([term_query(t) for t in g]) for g in groups]
    return parts[0] if len(parts) == 1 else wq.And(parts)


def filter_query(q: SearchQuery) -> Any | None:
    """Source (family), kind and date filters as one Whoosh query, or None. Dates are
    whole months here, as FTS5's facets; :func:`server.search.date_sql` checks the
    rest in SQL."""
    parts: list[Any] = []
    if q.sources:
        parts.append(wq.Or([wq.Term("facets", f"s:{s}") for s in q.sources]))
    if q.kinds:
        parts.append(wq.Or([wq.Term("facets", f"k:{k}") for k in q.kinds]))
    if q.since is not None or q.until is not None:
        since = q.since or datetime(1971, 1, 1, tzinfo=UTC)
        until = q.until or datetime.now(UTC) + timedelta(days=365 * 5)
        tokens = _months(since, until) if since < until else ["zynone"]
        parts.append(wq.Or([wq.Term("facets", t) for t in tokens]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


def filtered(query: Any, q: SearchQuery) -> Any:
    """``query`` restricted by the filters, which do not score (``Require``). Not
    Whoosh's ``filter=``: its bit set costs a scan of the whole set per matching
    document in whoosh-reloaded 2.7.5."""
    filt = filter_query(q)
    return query if filt is None else wq.Require(query, filt)


# -- snippets ------------------------------------------------------------------------------


class _Marks(Formatter):  # type: ignore[misc]
    between = "…"

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{SNIPPET_OPEN}{get_text(text, token, replace)}{SNIPPET_CLOSE}"


_FORMATTER = _Marks()
_FRAGMENTER = ContextFragmenter(maxchars=160, surround=50)


def mark(text: str, terms: frozenset[str]) -> tuple[int, str]:
    """``(matched words, best fragment with **marks**)`` of ``text`` for the terms."""
    if not text or not terms:
        return 0, ""
    tokens = set_matched_filter(ANALYZER(text, chars=True, mode="query", removestops=False), terms)
    best = top_fragments(
        _FRAGMENTER.fragment_tokens(text, tokens), 1, BasicFragmentScorer(), FIRST, minscore=1
    )
    if not best:
        return 0, ""
    frag = best[0]
    out = _FORMATTER.format_fragment(frag)
    if frag.startchar > 0:
        out = "…" + out.lstrip()
    if frag.endchar < len(text):
        out = out.rstrip() + "…"
    return len(frag.matches), out


def snippet(values: dict[str, str | None], terms: dict[str, frozenset[str]]) -> str:
    """The field with the most matched words (the first on a tie, as FTS5), marked."""
    best = (0, "")
    for field in TEXT_FIELDS:
        found = mark(values.get(field) or "", terms.get(field, frozenset()))
        if found[0] > best[0]:
            best = found
    return best[1] or values.get("title") or ""


# -- the engine ---------------------------------------------------------------------------


@dataclass(slots=True)
class SyncReport:
    """What one :meth:`WhooshEngine.sync` did."""

    rebuilt: bool
    indexed: int
    deleted: int
    #: The change-log sequence number the index is now at.
    seq: int


@dataclass(slots=True)
class _State:
    seq: int
    epoch: str
    schema: int


@dataclass(slots=True)
class _Found:
    ids: list[str]
    #: Matches counted, up to COUNT_CAP + 1.
    matched: int
    #: True when ``ids`` holds every match.
    complete: bool
    terms: dict[str, frozenset[str]]


def _state(searcher: Any) -> _State | None:
    fields = searcher.document(id=SYNC_ID)
    if not fields:
        return None
    return _State(
        int(fields.get("sync_seq") or 0),
        str(fields.get("sync_epoch") or ""),
        int(fields.get("sync_schema") or 0),
    )


def _document(row: tuple[Any, ...]) -> dict[str, Any]:
    rowid, rid, source, kind, ts, title, text, creator, tags = row
    doc: dict[str, Any] = {"id": rid, "rowid": rowid, "facets": facet_tokens(source, kind, ts)}
    if ts is not None:
        doc["ts"] = int(ts)
        doc["newest"] = -int(ts)
    for name, value in (("title", title), ("text", text), ("creator", creator), ("tags", tags)):
        if value:
            doc[name] = str(value)
    return doc


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _matched_terms(query: Any, reader: Any) -> dict[str, frozenset[str]]:
    """The indexed words each text field would highlight (prefixes expanded)."""
    out: dict[str, set[str]] = {}
    for leaf in query.leaves():
        field = leaf.field()
        if field not in TEXT_FIELDS:
            continue
        for _, text in leaf.expanded_terms(reader, phrases=True):
            word = text.decode("utf-8") if isinstance(text, bytes) else str(text)
            out.setdefault(field, set()).add(word)
    return {f: frozenset(words) for f, words in out.items()}


class WhooshEngine:
    """Whoosh over ``<data_dir>/whoosh/``, fed from the records through a change log."""

    name = "whoosh"

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / "whoosh"
        self._lock = threading.Lock()
        self._index: Any | None = None
        self._searcher: Any | None = None
        self._ready_generation: int | None = None
        self._fallback = FTS5Engine()
        self._warned = False
        #: A background rebuild started by :meth:`start`, if any.
        self.rebuilding: threading.Thread | None = None

    # -- keeping the index in step with SQLite --------------------------------------------

    def prepare(self, conn: sqlite3.Connection) -> None:
        """Create the change log, its triggers and the database's epoch, once. When any
        of them was missing, changes may have gone unlogged: a new epoch forces a
        rebuild."""
        epoch = conn.execute("SELECT value FROM meta WHERE key = ?", (EPOCH_KEY,)).fetchone()
        if log_objects(conn) == len(LOG_NAMES) and epoch is not None:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            run_script(conn, LOG_SQL)
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, lower(hex(randomblob(8))))",
                (EPOCH_KEY,),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _open_index(self) -> Any:
        """The index, created (empty) when missing, unreadable or of another layout."""
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            if windex.exists_in(self.path):
                ix = windex.open_dir(self.path)
                with ix.searcher() as s:
                    state = _state(s)
                same = set(ix.schema.names()) == set(whoosh_schema().names())
                if same and (state is None or state.schema == SCHEMA_VERSION):
                    return ix
                log.info("the whoosh index has an older layout: building it again")
        except Exception as exc:  # an unreadable index is rebuilt from the records
            log.warning("the whoosh index in %s cannot be read (%s): rebuilding it", self.path, exc)
        return windex.create_in(self.path, whoosh_schema())

    @staticmethod
    def _log_position(conn: sqlite3.Connection) -> tuple[str, int]:
        epoch = conn.execute("SELECT value FROM meta WHERE key = ?", (EPOCH_KEY,)).fetchone()
        high = conn.execute(
            "SELECT seq FROM main.sqlite_sequence WHERE name = ?", (LOG_TABLE,)
        ).fetchone()
        return (str(epoch[0]) if epoch else ""), (int(high[0]) if high else 0)

    @staticmethod
    def _behind(conn: sqlite3.Connection, state: _State | None, epoch: str, high: int) -> bool:
        """True when the log cannot bring the index up to date (rebuild instead)."""
        if state is None or state.epoch != epoch or state.schema != SCHEMA_VERSION:
            return True
        if state.seq > high:
            return True
        pending = conn.execute(
            f"SELECT count(*) FROM {LOG_TABLE} WHERE seq > ?", (state.seq,)
        ).fetchone()[0]
        return int(pending) != high - state.seq  # entries it never saw were pruned

    def needs_rebuild(self, conn: sqlite3.Connection) -> bool:
        """True when the next :meth:`sync` will rebuild the whole index."""
        self.prepare(conn)
        try:
            if not windex.exists_in(self.path):
                return True
            with windex.open_dir(self.path).searcher() as s:
                state = _state(s)
        except Exception:
            return True
        epoch, high = self._log_position(conn)
        return self._behind(conn, state, epoch, high)

    def sync(self, conn: sqlite3.Connection) -> SyncReport:
        """Apply the change log to the index in one commit (rebuilding when the log
        cannot), then prune the applied log entries. ``conn`` must be writable and not
        inside a transaction."""
        self.prepare(conn)
        ix = self._open_index()
        with ix.searcher() as s:
            state = _state(s)
        epoch, high = self._log_position(conn)
        if state == _State(high, epoch, SCHEMA_VERSION):  # up to date: no writer needed
            return SyncReport(False, 0, 0, high)
        writer = ix.writer(procs=1, limitmb=128, timeout=WRITER_TIMEOUT)
        try:
            report = self._apply(conn, writer)
        except BaseException:
            writer.cancel()
            raise
        if report is None:
            writer.cancel()
            return SyncReport(False, 0, 0, self._log_position(conn)[1])
        if report.rebuilt:
            writer.commit(mergetype=CLEAR)  # the old segments go
        else:
            writer.commit()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"DELETE FROM {LOG_TABLE} WHERE seq <= ?", (report.seq,))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:  # pruning can wait for the next sync
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            log.info("could not prune the whoosh change log: %s", exc)
        if report.rebuilt or report.indexed or report.deleted:
            log.info(
                "whoosh index %s: %d indexed, %d deleted",
                "rebuilt" if report.rebuilt else "updated",
                report.indexed,
                report.deleted,
            )
        return report

    def _apply(self, conn: sqlite3.Connection, writer: Any) -> SyncReport | None:
        searcher = writer.searcher()
        state = _state(searcher)
        in_index = searcher.doc_count() - (1 if state else 0)
        own = not conn.in_transaction
        if own:
            conn.execute("BEGIN")  # one snapshot of the log and the records
        try:
            epoch, high = self._log_position(conn)
            rebuild = self._behind(conn, state, epoch, high)
            ids: list[str] = []
            if not rebuild:
                assert state is not None
                ids = [
                    r[0]
                    for r in conn.execute(
                        f"SELECT DISTINCT id FROM {LOG_TABLE} WHERE seq > ?", (state.seq,)
                    )
                ]
                if not ids:
                    return None
                rebuild = len(ids) > max(REBUILD_PENDING, in_index // 4)
            indexed = deleted = 0
            if rebuild:
                for row in conn.execute(_ROW_SQL):
                    writer.add_document(**_document(row))
                    indexed += 1
            else:
                for chunk in _chunks(ids):
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(f"{_ROW_SQL} WHERE id IN ({marks})", chunk).fetchall()
                    for rid in chunk:
                        writer.delete_by_term("id", rid, searcher=searcher)
                    for row in rows:
                        writer.add_document(**_document(row))
                    indexed += len(rows)
                    deleted += len(chunk) - len(rows)
                writer.delete_by_term("id", SYNC_ID, searcher=searcher)
            writer.add_document(
                id=SYNC_ID, sync_seq=high, sync_epoch=epoch, sync_schema=SCHEMA_VERSION
            )
            return SyncReport(rebuild, indexed, deleted, high)
        finally:
            if own:
                conn.execute("COMMIT")

    async def start(self, db_path: Path) -> None:
        """Catch up with changes made while no sync ran (called when a reader opens).
        Skipped while an ingest runs (it syncs when it ends); a large rebuild runs in
        the background, FTS5 answering until it is done."""
        await anyio.to_thread.run_sync(self._start, Path(db_path))

    def _start(self, db_path: Path) -> None:
        if self.rebuilding is not None and self.rebuilding.is_alive():
            return
        lock = ingest_lock(db_path.parent)
        try:
            if not lock.acquire(timeout=0):
                return
        except OSError as exc:  # a read-only data directory: search what the index holds
            log.warning("the whoosh index cannot be updated: %s", exc)
            return
        background = False
        try:
            conn = connect(db_path)
            try:
                if self.needs_rebuild(conn):
                    (records,) = conn.execute("SELECT count(*) FROM records").fetchone()
                    background = records > BACKGROUND_REBUILD
                if not background:
                    self.sync(conn)
            finally:
                conn.close()
        except Exception as exc:  # searching must not depend on catching up
            log.warning("the whoosh index could not catch up with the records: %s", exc)
        finally:
            if not background:
                lock.release()
        if background:
            log.warning(
                "building the whoosh index in the background; FTS5 answers searches meanwhile"
            )
            self.rebuilding = threading.Thread(
                target=self._rebuild, args=(db_path, lock), name="whoosh-rebuild", daemon=True
            )
            self.rebuilding.start()

    def _rebuild(self, db_path: Path, lock: Any) -> None:
        try:
            conn = connect(db_path)
            try:
                self.sync(conn)
            finally:
                conn.close()
        except Exception:
            log.exception("building the whoosh index failed; FTS5 keeps answering")
        finally:
            lock.release()

    # -- searching --------------------------------------------------------------------------

    def _current(self) -> Any | None:
        """The cached searcher, reopened after every commit (whoosh-reloaded's
        ``Searcher.refresh`` reuses segment readers with stale deletions); None while the
        index is not built. Call with ``self._lock`` held."""
        try:
            if self._index is None:
                if not windex.exists_in(self.path):
                    return None
                self._index = windex.open_dir(self.path)
            latest = self._index.latest_generation()
            if self._searcher is None or self._searcher.reader().generation() != latest:
                self._drop_searcher()
                self._searcher = self._index.searcher()
            generation = self._searcher.reader().generation()
            if generation != self._ready_generation:
                state = _state(self._searcher)
                if state is None or state.schema != SCHEMA_VERSION:
                    return None
                self._ready_generation = generation
        except Exception as exc:  # deleted or broken on disk: rebuilt at the next sync
            log.info("the whoosh index cannot be searched: %s", exc)
            self._drop_searcher()
            self._index = None
            return None
        return self._searcher

    def _drop_searcher(self) -> None:
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
        self._searcher = None
        self._ready_generation = None

    @property
    def ready(self) -> bool:
        """True when the index is built and searchable."""
        with self._lock:
            return self._current() is not None

    def _find(self, q: SearchQuery, query: Any, depth: int | None) -> _Found | None:
        """The ids of the top ``depth`` (None: all) matches in order, the match count
        (capped) and the matched words; None when the index is not ready."""
        cap = search_mod.COUNT_CAP + 1
        with self._lock:
            searcher = self._current()
            if searcher is None:
                return None
            sortedby = None
            if q.sort != "relevance":
                sortedby = sorting.FieldFacet("newest" if q.sort == "newest" else "ts")
            full = filtered(query, q)
            if depth is not None and sortedby is None:
                # Every match visited (no block-quality skipping, no pruning of sub-
                # queries that cannot reach the top): the count comes exact from the same
                # pass, and whoosh-reloaded 2.7.5's Require matcher fails with skipping.
                collector = collectors.TopCollector(
                    limit=max(depth, 1), usequality=False, replace=0
                )
                searcher.search_with_collector(full, collector)
                results = collector.results()
            else:
                limit = None if depth is None else max(depth, 1)
                results = searcher.search(full, limit=limit, sortedby=sortedby)
            counted = len(results)
            column = searcher.reader().column_reader("id")
            ids = [str(column[results.docnum(n)]) for n in range(results.scored_length())]
            return _Found(
                ids,
                min(counted, cap),
                counted <= len(ids),
                _matched_terms(query, searcher.reader()),
            )

    def _all_matches(self, q: SearchQuery, query: Any) -> list[str]:
        """The ids of every match, unranked."""
        with self._lock:
            searcher = self._current()
            if searcher is None:
                return []
            column = searcher.reader().column_reader("id")
            return [str(column[n]) for n in searcher.docs_for_query(filtered(query, q))]

    async def _visible(
        self, db: aiosqlite.Connection, ids: list[str], where: str, params: list[Any]
    ) -> list[str]:
        """``ids`` the scope lets through, in order."""
        seen: set[str] = set()
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            async with db.execute(
                f"SELECT r.id FROM records r WHERE r.id IN ({marks}){where}", [*chunk, *params]
            ) as cur:
                seen.update([row[0] async for row in cur])
        return [i for i in ids if i in seen]

    async def _count_visible(
        self, db: aiosqlite.Connection, ids: list[str], where: str, params: list[Any], upto: int
    ) -> int:
        """How many of ``ids`` the scope lets through, counting stops at ``upto``."""
        counted = 0
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            async with db.execute(
                f"SELECT count(*) FROM records r WHERE r.id IN ({marks}){where}",
                [*chunk, *params],
            ) as cur:
                row = await cur.fetchone()
            counted += int(row[0]) if row else 0
            if counted >= upto:
                break
        return counted

    async def _rows(self, db: aiosqlite.Connection, ids: list[str]) -> list[tuple[Any, ...]]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        async with db.execute(
            "SELECT r.id, r.source, r.kind, r.ts, r.title, r.url, r.creator,"
            f" substr(r.text, 1, {SNIPPET_TEXT_CHARS}), r.tags"
            f" FROM records r WHERE r.id IN ({marks})",
            ids,
        ) as cur:
            by_id = {row[0]: tuple(row) async for row in cur}
        return [by_id[i] for i in ids if i in by_id]  # gone since the last sync: dropped

    @staticmethod
    def _hits(rows: Iterable[tuple[Any, ...]], terms: dict[str, frozenset[str]]) -> list[SearchHit]:
        hits = []
        for rid, source, kind, ts, title, url, creator, text, tags in rows:
            values = {"title": title, "text": text, "creator": creator, "tags": tags}
            snip = snippet(values, terms)
            hits.append(SearchHit(rid, source, kind, iso_from_ms(ts), title, snip, url, creator))
        return hits

    async def _run(
        self,
        db: aiosqlite.Connection,
        q: SearchQuery,
        query: Any,
        match: str,
        scope: Scope | None,
    ) -> SearchPage | None:
        cap = search_mod.COUNT_CAP
        # Date bounds inside a month are checked in SQL, like the scope.
        where, params = date_sql(q)
        if scope is not None:
            for extra_sql, extra_params in (scope.visible_sql(), scope.search_sql(match)):
                where += extra_sql
                params += extra_params
        # A scope can hide any match: rank (and count) up to the cap, then keep the
        # visible ones. Without one, the page is enough.
        depth = cap + 1 if where else q.offset + q.limit
        found = await anyio.to_thread.run_sync(self._find, q, query, depth)
        if found is None:
            return None
        if where:
            ids = await self._visible(db, found.ids, where, params)
            counted = len(ids)
            if not found.complete:  # more matches than were ranked
                every = await anyio.to_thread.run_sync(self._all_matches, q, query)
                counted = await self._count_visible(db, every, where, params, cap + 1)
                if len(ids) < q.offset + q.limit:  # the page lies beyond: rank them all
                    ranked = await anyio.to_thread.run_sync(self._find, q, query, None)
                    if ranked is not None:
                        ids = await self._visible(db, ranked.ids, where, params)
            total, exact = min(counted, cap), counted <= cap
        else:
            ids = found.ids
            total, exact = min(found.matched, cap), found.matched <= cap
        if not total or q.offset >= total:
            return SearchPage(total, [], None, total_exact=exact)
        rows = await self._rows(db, ids[q.offset : q.offset + q.limit])
        hits = await anyio.to_thread.run_sync(self._hits, rows, found.terms)
        end = q.offset + len(hits)
        more = end < total or (not exact and len(hits) == q.limit)
        return SearchPage(total, hits, end if more else None, total_exact=exact)

    async def search(
        self, db: aiosqlite.Connection, q: SearchQuery, scope: Scope | None = None
    ) -> SearchPage:
        """Strict search (every term); when it finds nothing, relaxed (any term)."""
        strict = build_match(q.text, "all")
        groups = parse_groups(q.text)
        if strict is None or groups is None:
            raise QueryError(
                f"the query {q.text!r} has no searchable words; use words or a quoted phrase"
            )
        page = await self._run(db, q, build_query(groups, "all"), strict, scope)
        if page is None:
            if not self._warned:
                self._warned = True
                log.warning("the whoosh index is not built yet: FTS5 answers until it is")
            return await self._fallback.search(db, q, scope)
        if page.total == 0 and q.offset == 0:
            relaxed = build_match(q.text, "any")
            if relaxed and relaxed != strict:
                again = await self._run(db, q, build_query(groups, "any"), relaxed, scope)
                if again is not None:
                    page = again
                    page.relaxed = page.total > 0
        return page

    def close(self) -> None:
        """Close the cached searcher."""
        with self._lock:
            self._drop_searcher()
            self._index = None
