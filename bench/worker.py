"""The measured work that runs in a child process (so its peak RSS is its own).

``python -m bench.worker ingest --db DB --out OUT.json ROOT [ROOT ...]``
    ``Ingestor(Store(db)).run(roots)``; writes seconds, record count, the ingest report,
    peak RSS and database size. ``--profile FILE`` runs it under cProfile. ``--engine
    whoosh`` gives the ingestor that engine's sync, as ``pctx index`` does with
    ``[index] engine = "whoosh"`` (its index goes next to the database).
``python -m bench.worker floor --db-dir DIR --out OUT.json [--repeat N] ROOT``
    parses ROOT with the connectors (not timed as insert), then times inserting the same
    rows into a fresh database with the ``server.schema`` DDL: ``executemany`` in large
    transactions (the floor), and load-then-``rebuild`` of the FTS index (for reference).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sqlite3
import time
from pathlib import Path
from typing import Any

#: Rows per transaction for the floor.
FLOOR_TRANSACTION_ROWS = 100_000


def db_bytes(db: Path) -> int:
    """Size of the database with its WAL and shared-memory files."""
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


def status_kb(field: str, pid: int | str = "self") -> int | None:
    """A KiB value of ``/proc/PID/status`` (``VmRSS``, ``VmHWM``); None without it (not
    Linux, or the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def peak_rss_kb() -> int:
    """This process's peak resident set size in KiB: ``VmHWM`` on Linux. ``ru_maxrss``
    (the fallback elsewhere) starts at the parent's resident set at exec time on Linux,
    so a large harness process would inflate it."""
    peak = status_kb("VmHWM")
    return peak if peak is not None else int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def cpu_seconds() -> float:
    """User + system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def count_records(db: Path) -> int:
    """Rows in ``records``."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
    finally:
        conn.close()


def ingest(
    db: Path, roots: list[Path], profile: Path | None = None, engine: str = "fts5"
) -> dict[str, Any]:
    """One ingest run with ``engine``'s sync at its end (none for FTS5), timed from
    opening the store to closing it."""
    from server.ingest import Ingestor
    from server.search import make_engine
    from server.store import Store

    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
    started = time.perf_counter()
    cpu_started = cpu_seconds()
    store = Store(db)
    try:
        index_sync = getattr(make_engine(engine, db.parent), "sync", None)
        if profiler is not None:
            profiler.enable()
        report = Ingestor(store, index_sync=index_sync).run(roots)
        if profiler is not None:
            profiler.disable()
    finally:
        store.close()
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    if profiler is not None and profile is not None:
        profiler.dump_stats(profile)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "run_seconds": report.seconds,
        "records": count_records(db),
        "report": report.as_dict(),
        "peak_rss_kb": peak_rss_kb(),
        "db_bytes": db_bytes(db),
        "engine": engine,
    }


def parse_rows(root: Path) -> tuple[list[tuple[object, ...]], dict[str, Any]]:
    """Every record the connectors read under ``root``, as ``records`` rows, first
    occurrence of each id only (what the index ends up holding)."""
    from connectors import all_connectors
    from connectors.base import Record
    from connectors.discover import iter_files, route
    from server.store import record_row

    connectors = all_connectors()
    rows: list[tuple[object, ...]] = []
    seen: set[str] = set()
    files = parsed = 0
    started = time.perf_counter()
    for found in iter_files(root):
        files += 1
        if found.failure:
            continue
        decision = route(found.file, connectors)
        if decision.outcome != "parse" or decision.connector is None:
            continue
        parsed += 1
        for item in decision.connector.parse(found.file):
            if isinstance(item, Record) and item.id not in seen:
                seen.add(item.id)
                rows.append(record_row(item, parsed))
    info = {"files": files, "parsed_files": parsed, "seconds": time.perf_counter() - started}
    return rows, info


def _insert_floor(db: Path, rows: list[tuple[object, ...]]) -> float:
    """Seconds to insert ``rows`` through the schema's triggers, in large transactions."""
    from server.schema import connect
    from server.store import _INSERT_RECORD

    conn = connect(db)
    started = time.perf_counter()
    for start in range(0, len(rows), FLOOR_TRANSACTION_ROWS):
        conn.execute("BEGIN")
        conn.executemany(_INSERT_RECORD, rows[start : start + FLOOR_TRANSACTION_ROWS])
        conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - started


def _insert_rebuild(db: Path, rows: list[tuple[object, ...]]) -> float:
    """Seconds to load ``rows`` without the FTS trigger, then rebuild the FTS index."""
    from server.schema import connect
    from server.store import _INSERT_RECORD

    conn = connect(db)
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'records_ai'"
    ).fetchone()[0]
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.execute("DROP TRIGGER records_ai")
    for start in range(0, len(rows), FLOOR_TRANSACTION_ROWS):
        conn.executemany(_INSERT_RECORD, rows[start : start + FLOOR_TRANSACTION_ROWS])
    conn.execute("INSERT INTO records_fts (records_fts) VALUES ('rebuild')")
    conn.execute(trigger)
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - started


def floor(root: Path, db_dir: Path, repeat: int) -> dict[str, Any]:
    """Parse once, then time the bare inserts ``repeat`` times (fresh databases).

    The cyclic GC is off: the rows held for the floor (a million tuples at ``1m``) would
    otherwise make every full collection slower and inflate the parse time, which the
    streaming ingest never holds. Records and rows contain no reference cycles.
    """
    gc.disable()
    rows, info = parse_rows(root)
    floor_s: list[float] = []
    rebuild_s: list[float] = []
    db_dir.mkdir(parents=True, exist_ok=True)
    for i in range(repeat):
        for kind, fn, out in (
            ("floor", _insert_floor, floor_s),
            ("rebuild", _insert_rebuild, rebuild_s),
        ):
            db = db_dir / f"{kind}-{i}.db"
            out.append(fn(db, rows))
            for p in db_dir.glob(db.name + "*"):
                p.unlink()
    return {
        "rows": len(rows),
        "parse": info,
        "floor_seconds": floor_s,
        "rebuild_seconds": rebuild_s,
        "peak_rss_kb": peak_rss_kb(),
    }


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``ingest`` or ``floor``; the result goes to ``--out`` as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest")
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--profile", type=Path, default=None)
    p.add_argument("--engine", choices=["fts5", "whoosh"], default="fts5")
    p.add_argument("roots", nargs="+", type=Path)
    p = sub.add_parser("floor")
    p.add_argument("--db-dir", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("root", type=Path)
    args = parser.parse_args(argv)
    if args.command == "ingest":
        result = ingest(args.db, args.roots, args.profile, args.engine)
    else:
        result = floor(args.root, args.db_dir, args.repeat)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
