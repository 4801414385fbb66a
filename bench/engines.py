"""The ``whoosh`` section of the benchmark harness: the optional Whoosh engine against the
default FTS5 engine, on the same corpus.

``bench.run`` calls :func:`measure_whoosh` after its own search sections; the figures,
targets and section name here are merged into its tables. Measured, all on copies of
the database the ``ingest`` section built:

- **index build**: in one child process each, FTS5 building its index from the stored
  records (``'rebuild'`` in one transaction, the index emptied first, untimed) and
  Whoosh building its index from the same records (``WhooshEngine.sync`` on a database
  it has never seen: its full-rebuild path). Parsing is shared code, so this is the
  engine-against-engine figure;
- **end-to-end**: ``Ingestor`` with the Whoosh engine's sync at the end of the run, as
  ``pctx index`` does with ``[index] engine = "whoosh"``, in a fresh data directory
  (for context: FTS5 is built too, and parsing dilutes the engine difference);
- **query latency**: the query mix in-process through ``Reader``, a pass with FTS5 then
  one with Whoosh, ``repeat`` times (the ratio is taken pass by pass, under the same
  machine load), and how often the engines agree on finding hits;
- **disk**: the FTS5 index's shadow tables against the Whoosh index directory.

Skipped when ``whoosh`` cannot be imported. ``python -m bench.engines build ...`` is the
index-build child.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.worker import cpu_seconds, peak_rss_kb, status_kb

if TYPE_CHECKING:
    from bench.extra import ResultsLike
    from bench.queries import BenchQuery

REPO = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024

#: Section names, in run order.
SECTIONS: tuple[str, ...] = ("whoosh",)

#: The issue's targets: the default engine at least 10x faster to index, 5x lower p95.
TARGETS: dict[str, tuple[str, float]] = {
    "whoosh_index_speedup": (">=", 10),
    "whoosh_p95_ratio": (">=", 5),
}

#: Figure key -> (label, unit), in table order.
FIGURES: dict[str, tuple[str, str]] = {
    "whoosh_fts5_build_seconds": ("FTS5 index build from the records", "s"),
    "whoosh_fts5_build_records_per_s": ("FTS5 index build throughput", "rec/s"),
    "whoosh_fts5_build_peak_rss_mb": ("FTS5 index build peak RSS", "MiB"),
    "whoosh_build_seconds": ("Whoosh index build from the records", "s"),
    "whoosh_build_records_per_s": ("Whoosh index build throughput", "rec/s"),
    "whoosh_build_peak_rss_mb": ("Whoosh index build peak RSS", "MiB"),
    "whoosh_index_speedup": ("index build rate FTS5 / Whoosh", "x"),
    "whoosh_build_rss_ratio": ("index build peak RSS Whoosh / FTS5", "x"),
    "whoosh_ingest_records_per_s": ("ingest + Whoosh sync throughput", "rec/s"),
    "whoosh_ingest_peak_rss_mb": ("ingest + Whoosh sync peak RSS", "MiB"),
    "whoosh_ingest_ratio": ("ingest rate FTS5 / FTS5 + Whoosh", "x"),
    "whoosh_search_p50_ms": ("Whoosh search in-process p50", "ms"),
    "whoosh_search_p95_ms": ("Whoosh search in-process p95", "ms"),
    "whoosh_p95_ratio": ("search p95 Whoosh / FTS5", "x"),
    "whoosh_fts5_disk_mb": ("FTS5 index on disk", "MiB"),
    "whoosh_disk_mb": ("Whoosh index on disk", "MiB"),
    "whoosh_disk_ratio": ("index on disk Whoosh / FTS5", "x"),
}

#: Which section produces which figures (a figure key starts with its section's name).
SECTION_FIGURES: dict[str, tuple[str, ...]] = {
    s: tuple(k for k in FIGURES if k.startswith(s + "_")) for s in SECTIONS
}

#: Whoosh must find hits for at least this share of the queries FTS5 finds hits for.
HIT_AGREEMENT = 0.9


def whoosh_available() -> bool:
    """Whether the optional ``whoosh`` package can be imported."""
    return importlib.util.find_spec("whoosh") is not None


def needs_database(sections: set[str]) -> bool:
    """Whether the sections of this module named in ``sections`` need the ingested
    database (they are skipped without Whoosh)."""
    return bool(sections & set(SECTIONS)) and whoosh_available()


def _say(message: str) -> None:
    # rich is imported here, not at module level: the build child's peak RSS stays lean.
    from rich.console import Console

    Console(stderr=True, highlight=False).print(message)


def _db_path(data_dir: Path) -> Path:
    from server.config import Settings

    return Settings(data_dir=data_dir).db_path


# -- disk ------------------------------------------------------------------------------------


def dbstat_available(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite has the ``dbstat`` virtual table."""
    try:
        conn.execute("SELECT 1 FROM dbstat LIMIT 1").fetchall()
    except sqlite3.OperationalError:
        return False
    return True


def _vacuumed_bytes(conn: sqlite3.Connection) -> int:
    conn.execute("VACUUM")
    (pages,) = conn.execute("PRAGMA page_count").fetchone()
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    return int(pages) * int(size)


def fts5_index_bytes(
    db: Path, table: str = "records_fts", use_dbstat: bool = True
) -> tuple[int, str]:
    """Bytes of the FTS5 index ``table`` in ``db`` and how they were found: the pages of
    its shadow tables (``<table>_data``, ``_idx``, ...) and their indexes per ``dbstat``;
    without ``dbstat`` (or ``use_dbstat`` False), what a vacuumed copy of the database
    loses when the table is dropped."""
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        if use_dbstat and dbstat_available(src):
            names = {
                row[0]
                for row in src.execute(
                    "SELECT name FROM sqlite_master WHERE tbl_name GLOB ?", (f"{table}_*",)
                )
            }
            sizes = src.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")
            return sum(int(size) for name, size in sizes if name in names), "dbstat"
        with tempfile.TemporaryDirectory(prefix="pctx-fts5-size-") as tmp:
            dst = sqlite3.connect(Path(tmp) / "copy.db", isolation_level=None)
            try:
                src.backup(dst)
                before = _vacuumed_bytes(dst)
                dst.execute(f'DROP TABLE "{table}"')
                return before - _vacuumed_bytes(dst), "drop-table"
            finally:
                dst.close()
    finally:
        src.close()


def dir_bytes(path: Path) -> int:
    """Total size of the files under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def whoosh_documents(data_dir: Path) -> int:
    """Records in the Whoosh index of ``data_dir`` (its sync-state document not counted)."""
    from whoosh import index as windex

    from server.whoosh_engine import SYNC_ID, WhooshEngine

    with windex.open_dir(WhooshEngine(data_dir).path).searcher() as s:
        return int(s.doc_count()) - (1 if s.document(id=SYNC_ID) else 0)


# -- the index-build child -------------------------------------------------------------------


def build_child(engine: str, db: Path) -> dict[str, Any]:
    """Build ``engine``'s index of the records in ``db`` from nothing, timed: FTS5's
    ``'rebuild'`` in one transaction (after an untimed ``'delete-all'``), or Whoosh's
    full rebuild (``WhooshEngine.sync`` with no index yet, its index next to ``db``).
    Imports are done before the clock starts."""
    from server.schema import connect

    if engine == "whoosh":
        from server.whoosh_engine import WhooshEngine

        whoosh = WhooshEngine(db.parent)
        if whoosh.path.exists():
            raise RuntimeError(f"{whoosh.path} exists: the build must start from nothing")
    conn = connect(db)
    try:
        records = int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
        out: dict[str, Any] = {"engine": engine, "records": records}
        if engine == "fts5":
            conn.execute("INSERT INTO records_fts (records_fts) VALUES ('delete-all')")
        rss_before = status_kb("VmRSS") or 0
        cpu0, t0 = cpu_seconds(), time.perf_counter()
        if engine == "fts5":
            conn.execute("BEGIN")
            conn.execute("INSERT INTO records_fts (records_fts) VALUES ('rebuild')")
            conn.execute("COMMIT")
            seconds = time.perf_counter() - t0
            (indexed,) = conn.execute("SELECT count(*) FROM records_fts_docsize").fetchone()
            out |= {"rebuilt": True, "indexed": int(indexed)}
        else:
            report = whoosh.sync(conn)
            seconds = time.perf_counter() - t0
            out |= {"rebuilt": report.rebuilt, "indexed": report.indexed}
        out |= {
            "seconds": seconds,
            "cpu_seconds": cpu_seconds() - cpu0,
            "rss_before_kb": rss_before,
            "peak_rss_kb": peak_rss_kb(),
        }
    finally:
        conn.close()
    return out


# -- the section -----------------------------------------------------------------------------


def _run_child(module: str, args: list[str], work: Path, name: str) -> dict[str, Any]:
    """Run ``python -m MODULE ARGS[0] --out FILE ARGS[1:]`` (isolated from the user's
    config) and return its JSON result."""
    from bench.extra import isolated_env

    out = work / f"{name}.json"
    cmd = [sys.executable, "-m", module, args[0], "--out", str(out), *args[1:]]
    subprocess.run(cmd, cwd=REPO, env=isolated_env(work), check=True)
    return dict(json.loads(out.read_text(encoding="utf-8")))


def _copy(data_dir: Path, dest: Path) -> Path:
    """A fresh copy of ``data_dir`` (database, WAL, no Whoosh index) at ``dest``."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(data_dir, dest, ignore=shutil.ignore_patterns("whoosh", "*.lock"))
    return dest


def _measure_builds(
    res: ResultsLike, data_dir: Path, work: Path, repeat: int
) -> tuple[Path, dict[str, Any]]:
    """Both index builds ``repeat`` times, and both indexes' size on disk; returns the
    data dir of the last Whoosh build (for the queries) and the details."""
    runs: list[dict[str, Any]] = []
    disk: dict[str, Any] = {}
    who_dir = work / "whoosh-build"
    for r in range(repeat):
        fts_dir = _copy(data_dir, work / "whoosh-fts5-build")
        who_dir = _copy(data_dir, work / "whoosh-build")
        _say(f"whoosh {r + 1}/{repeat}: FTS5 and Whoosh each build an index of the records ...")
        fts = _run_child(
            "bench.engines",
            ["build", "--engine", "fts5", "--db", str(_db_path(fts_dir))],
            work,
            f"whoosh-fts5-build-{r}",
        )
        who = _run_child(
            "bench.engines",
            ["build", "--engine", "whoosh", "--db", str(_db_path(who_dir))],
            work,
            f"whoosh-build-{r}",
        )
        fts_rate = fts["records"] / fts["seconds"]
        who_rate = who["records"] / who["seconds"]
        res.add("whoosh_fts5_build_seconds", fts["seconds"])
        res.add("whoosh_fts5_build_records_per_s", fts_rate)
        res.add("whoosh_fts5_build_peak_rss_mb", fts["peak_rss_kb"] / 1024)
        res.add("whoosh_build_seconds", who["seconds"])
        res.add("whoosh_build_records_per_s", who_rate)
        res.add("whoosh_build_peak_rss_mb", who["peak_rss_kb"] / 1024)
        res.add("whoosh_index_speedup", fts_rate / who_rate)
        res.add("whoosh_build_rss_ratio", who["peak_rss_kb"] / fts["peak_rss_kb"])
        res.check(
            "whoosh_builds_index_every_record",
            fts["indexed"] == fts["records"]
            and who["rebuilt"]
            and who["indexed"] == who["records"] == fts["records"],
        )
        if r == 0:  # the sizes do not change between rounds
            fts_bytes, method = fts5_index_bytes(_db_path(fts_dir))
            who_bytes = dir_bytes(who_dir / "whoosh")
            res.add("whoosh_fts5_disk_mb", fts_bytes / MIB)
            res.add("whoosh_disk_mb", who_bytes / MIB)
            res.add("whoosh_disk_ratio", who_bytes / fts_bytes)
            disk = {"fts5_bytes": fts_bytes, "fts5_method": method, "whoosh_bytes": who_bytes}
        runs.append({"fts5": fts, "whoosh": who})
        shutil.rmtree(fts_dir, ignore_errors=True)
    return who_dir, {"builds": runs, "disk": disk}


def _measure_ingest(
    res: ResultsLike, exports: Path, work: Path, repeat: int, fts5_rate: float | None
) -> list[dict[str, Any]]:
    """The full ingest with the Whoosh engine's sync, ``repeat`` times, fresh data dirs."""
    runs: list[dict[str, Any]] = []
    for r in range(repeat):
        data = work / "whoosh-ingest"
        shutil.rmtree(data, ignore_errors=True)
        _say(f"whoosh {r + 1}/{repeat}: ingest with the Whoosh engine ...")
        out = _run_child(
            "bench.worker",
            ["ingest", "--engine", "whoosh", "--db", str(_db_path(data)), str(exports)],
            work,
            f"whoosh-ingest-{r}",
        )
        rate = out["records"] / out["seconds"]
        res.add("whoosh_ingest_records_per_s", rate)
        res.add("whoosh_ingest_peak_rss_mb", out["peak_rss_kb"] / 1024)
        if fts5_rate is not None:
            res.add("whoosh_ingest_ratio", fts5_rate / rate)
        res.check("whoosh_ingest_indexes_every_record", whoosh_documents(data) == out["records"])
        runs.append(out)
        shutil.rmtree(data, ignore_errors=True)
    return runs


def agreement(fts5_totals: list[int], whoosh_totals: list[int]) -> dict[str, int]:
    """How the engines' per-query totals compare (-1: the query failed)."""
    pairs = list(zip(fts5_totals, whoosh_totals, strict=True))
    return {
        "queries": len(pairs),
        "fts5_hits": sum(1 for f, _ in pairs if f > 0),
        "whoosh_hits": sum(1 for _, w in pairs if w > 0),
        "both_hits": sum(1 for f, w in pairs if f > 0 and w > 0),
        "fts5_only": sum(1 for f, w in pairs if f > 0 and w <= 0),
        "whoosh_only": sum(1 for f, w in pairs if f <= 0 and w > 0),
        "neither": sum(1 for f, w in pairs if f <= 0 and w <= 0),
        "totals_equal": sum(1 for f, w in pairs if f == w),
        "totals_differ": sum(1 for f, w in pairs if f != w),
    }


def _measure_queries(
    res: ResultsLike,
    data_dir: Path,
    who_dir: Path,
    queries: list[BenchQuery],
    passes: int,
) -> dict[str, Any]:
    """The query mix through both engines, a pass of each in turn (so both see the same
    machine load): p50/p95, their ratio, and how often the engines agree on hits."""
    from bench.queries import latency_summary, percentile, run_mix
    from server.search import FTS5Engine
    from server.whoosh_engine import WhooshEngine

    fts5_totals: list[int] = []
    whoosh_totals: list[int] = []
    errors: list[str] = []
    last: list[tuple[str, float]] = []
    engine = WhooshEngine(who_dir)
    try:
        res.check("whoosh_index_ready", engine.ready)
        for r in range(passes):
            _say(f"whoosh {r + 1}/{passes}: the query mix through FTS5, then Whoosh ...")
            fts = asyncio.run(run_mix(_db_path(data_dir), FTS5Engine(), queries, 1))
            who = asyncio.run(run_mix(_db_path(who_dir), engine, queries, 1))
            fts5_totals, whoosh_totals = fts.totals, who.totals
            errors += who.errors
            fts_p95 = percentile([t for _, t in fts.timings[0]], 95)
            ms = [t for _, t in who.timings[0]]
            res.add("whoosh_search_p50_ms", percentile(ms, 50))
            res.add("whoosh_search_p95_ms", percentile(ms, 95))
            res.add("whoosh_p95_ratio", percentile(ms, 95) / fts_p95)
            last = who.timings[0]
        res.check("whoosh_index_ready", engine.ready and engine.rebuilding is None)
    finally:
        engine.close()
    agree = agreement(fts5_totals, whoosh_totals)
    res.check("whoosh_search_no_errors", not errors)
    res.check("whoosh_finds_hits", agree["both_hits"] >= HIT_AGREEMENT * agree["fts5_hits"])
    differ = [
        {"query": q.arguments, "fts5": f, "whoosh": w}
        for q, f, w in zip(queries, fts5_totals, whoosh_totals, strict=True)
        if (f > 0) != (w > 0)
    ]
    return {
        "by_category": latency_summary(last),
        "agreement": agree,
        "hit_disagreements": differ[:10],
        "errors": errors[:5],
    }


def measure_whoosh(
    res: ResultsLike,
    data_dir: Path,
    exports: Path,
    work: Path,
    queries: list[BenchQuery],
    repeat: int,
    fts5_ingest_rate: float | None,
) -> None:
    """The Whoosh engine against FTS5 on the database in ``data_dir``: index build,
    end-to-end ingest of ``exports``, query latency and disk."""
    if not whoosh_available():
        _say("whoosh: skipped, whoosh is not installed (pip install '.[whoosh]')")
        res.details["whoosh"] = {"skipped": "whoosh not installed"}
        return
    from importlib.metadata import PackageNotFoundError, version

    who_dir, details = _measure_builds(res, data_dir, work, repeat)
    details["ingest"] = _measure_ingest(res, exports, work, repeat, fts5_ingest_rate)
    details |= _measure_queries(res, data_dir, who_dir, queries, repeat)
    try:
        details["whoosh_version"] = version("whoosh-reloaded")
    except PackageNotFoundError:
        details["whoosh_version"] = None
    res.details["whoosh"] = details


# -- child entry point -----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """The index-build child; it writes its result as JSON to ``--out``."""
    parser = argparse.ArgumentParser(prog="python -m bench.engines")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="build one engine's index of the records, timed")
    p.add_argument("--engine", choices=["fts5", "whoosh"], required=True)
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    result = build_child(args.engine, args.db)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
