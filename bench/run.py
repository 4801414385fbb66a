"""The benchmark harness: ``python -m bench.run --size small`` from the repository root.

Generates (or reuses) the corpus, then measures, each in a fresh data directory:

``ingest``     end-to-end ``Ingestor(Store(db)).run([corpus])`` in a child process:
               records/s, wall time, peak RSS, database size;
``floor``      the same rows (parsed beforehand, untimed) inserted into a bare database
               with the same schema, ``executemany`` in large transactions; ingest/floor;
``search``     p50/p95 of the query mix through ``Reader.search`` in-process;
``mcp``        the same mix through the MCP ``search`` tool over real stdio;
``coldstart``  spawn ``pctx serve`` over stdio until ``tools/list`` answers;
``rescan``     the ingest again on the unchanged corpus, then with one new export file;
``whoosh``     the optional Whoosh engine against FTS5: index build, ingest, query
               latency, disk; see ``bench/engines.py``;
``gtp``, ``live``, ``bigfile``  see ``bench/extra.py`` (``bigfile`` is opt-in).

Prints a table and writes ``bench/results/<size>-<UTC time>.json`` and
``bench/results/latest-<size>.json``. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.table import Table

from bench import engines, extra
from bench.generate import DEFAULT_SEED, EXPORTS, NEW_EXPORT, SIZES, corpus_dir, ensure_corpus
from bench.queries import BenchQuery, build_queries, latency_summary, percentile, run_mix

REPO = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO / "bench" / "results"
SECTIONS: tuple[str, ...] = (
    "ingest", "floor", "search", "mcp", "coldstart", "rescan", *engines.SECTIONS, *extra.SECTIONS
)  # fmt: skip
#: Sections that need the ingested database (``engines.needs_database`` says for its own).
DB_SECTIONS = frozenset({"ingest", "search", "mcp", "coldstart", "rescan"})
RESULT_SCHEMA = 1
MIB = 1024 * 1024

#: The issue's targets: figure key -> (comparison, bound).
TARGETS: dict[str, tuple[str, float]] = {
    "ingest_records_per_s": (">=", 15_000),
    "ingest_vs_floor": (">=", 0.5),
    "ingest_peak_rss_mb": ("<=", 300),
    "search_inprocess_p95_ms": ("<=", 30),
    "search_stdio_p95_ms": ("<=", 80),
    "cold_start_s": ("<=", 1.0),
    "rescan_unchanged_s": ("<=", 2.0),
    **engines.TARGETS,
    **extra.TARGETS,
}

#: Figure key -> (label, unit), in table order.
FIGURES: dict[str, tuple[str, str]] = {
    "ingest_records": ("records indexed", "records"),
    "ingest_seconds": ("ingest wall time", "s"),
    "ingest_cpu_seconds": ("ingest CPU time (user + sys)", "s"),
    "ingest_records_per_s": ("ingest throughput", "rec/s"),
    "ingest_peak_rss_mb": ("ingest peak RSS", "MiB"),
    "ingest_db_mb": ("database size", "MiB"),
    "parse_records_per_s": ("parse only (connectors, no database)", "rec/s"),
    "floor_records_per_s": ("floor: bare executemany + FTS5", "rec/s"),
    "ingest_vs_floor": ("ingest / floor", "x"),
    "floor_rebuild_records_per_s": ("bare load, then FTS5 rebuild", "rec/s"),
    "search_inprocess_p50_ms": ("search in-process p50", "ms"),
    "search_inprocess_p95_ms": ("search in-process p95", "ms"),
    "search_stdio_p50_ms": ("search over MCP stdio p50", "ms"),
    "search_stdio_p95_ms": ("search over MCP stdio p95", "ms"),
    "cold_start_s": ("cold start to tools/list", "s"),
    "rescan_unchanged_s": ("re-scan, unchanged corpus", "s"),
    "rescan_new_file_s": ("re-scan with one new export file", "s"),
    **engines.FIGURES,
    **extra.FIGURES,
}

err = Console(stderr=True, highlight=False)


@dataclass
class Figure:
    """One measured figure: the median of its samples, and its target if it has one."""

    key: str
    samples: list[float] = field(default_factory=list)

    @property
    def value(self) -> float:
        """The median of the samples."""
        return float(statistics.median(self.samples))

    @property
    def target(self) -> tuple[str, float] | None:
        return TARGETS.get(self.key)

    @property
    def passed(self) -> bool | None:
        """Whether the value meets the target; None without a target."""
        if self.target is None:
            return None
        op, bound = self.target
        return self.value >= bound if op == ">=" else self.value <= bound

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        label, unit = FIGURES[self.key]
        target = self.target
        return {
            "label": label,
            "value": self.value,
            "unit": unit,
            "target": None if target is None else f"{target[0]} {target[1]:g}",
            "pass": self.passed,
            "samples": self.samples,
        }


class Results:
    """Figures, details and checks collected during one run."""

    def __init__(self) -> None:
        self.figures: dict[str, Figure] = {}
        self.details: dict[str, Any] = {}
        self.checks: dict[str, bool] = {}

    def add(self, key: str, value: float) -> None:
        """Add one sample of a figure."""
        self.figures.setdefault(key, Figure(key)).samples.append(value)

    def check(self, name: str, ok: bool) -> None:
        """Record a correctness check; with repeats it holds only if it held every time."""
        self.checks[name] = self.checks.get(name, True) and bool(ok)


# -- helpers -------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """CPU, memory, Python and SQLite versions of this machine."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
    }


def _loadavg() -> list[float] | None:
    """1, 5 and 15-minute load averages: other work on the machine skews the timings."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def project() -> dict[str, Any]:
    """Project version, the current commit and whether tracked files differ from it."""
    from server import __version__

    commit: str | None = None
    dirty: bool | None = None
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10
        )
        commit = out.stdout.strip() or None
        # Read-only: do tracked files differ from HEAD? (untracked files are not counted)
        diff = subprocess.run(
            ["git", "diff", "--quiet", "HEAD", "--"], cwd=REPO, capture_output=True, timeout=30
        )
        dirty = {0: False, 1: True}.get(diff.returncode)
    except (OSError, subprocess.SubprocessError):
        pass
    return {"version": __version__, "git_commit": commit, "git_dirty": dirty}


def run_worker(args: list[str], work: Path, name: str) -> dict[str, Any]:
    """Run ``python -m bench.worker ARGS --out FILE`` and return its JSON result."""
    out = work / f"{name}.json"
    cmd = [sys.executable, "-m", "bench.worker", args[0], "--out", str(out), *args[1:]]
    subprocess.run(cmd, cwd=REPO, check=True)
    return dict(json.loads(out.read_text(encoding="utf-8")))


def db_path(data_dir: Path) -> Path:
    """Where ``pctx --data-dir DATA_DIR`` keeps its database."""
    from server.config import Settings

    return Settings(data_dir=data_dir).db_path


# -- sections ------------------------------------------------------------------------------


def measure_ingest(
    res: Results,
    corpus: Path,
    manifest: dict[str, Any],
    work: Path,
    repeat: int,
    sections: set[str],
    profile: Path | None,
) -> Path:
    """Ingest (and re-scan) ``repeat`` times in fresh data dirs; returns the last data dir."""
    exports, new_export = corpus / EXPORTS, corpus / NEW_EXPORT
    expected = int(manifest["expected_records"]["total"])
    expected_new = int(manifest["new_export"]["expected_new_records"])
    runs = repeat if sections & {"ingest", "rescan"} else 1
    data_dir = work / "data"
    details: dict[str, Any] = {"runs": []}
    for r in range(runs):
        shutil.rmtree(data_dir, ignore_errors=True)
        db = db_path(data_dir)
        err.print(f"ingest {r + 1}/{runs} ...")
        first = run_worker(["ingest", "--db", str(db), str(exports)], work, f"ingest-{r}")
        run_detail: dict[str, Any] = {"ingest": first}
        res.check("records_match_manifest", first["records"] == expected)
        if "ingest" in sections:
            res.add("ingest_records", first["records"])
            res.add("ingest_seconds", first["seconds"])
            res.add("ingest_cpu_seconds", first["cpu_seconds"])
            res.add("ingest_records_per_s", first["records"] / first["seconds"])
            res.add("ingest_peak_rss_mb", first["peak_rss_kb"] / 1024)
            res.add("ingest_db_mb", first["db_bytes"] / MIB)
        if "rescan" in sections:
            err.print(f"re-scan {r + 1}/{runs} ...")
            same = run_worker(["ingest", "--db", str(db), str(exports)], work, f"rescan-{r}")
            new = run_worker(
                ["ingest", "--db", str(db), str(exports), str(new_export)], work, f"newfile-{r}"
            )
            res.add("rescan_unchanged_s", same["seconds"])
            res.add("rescan_new_file_s", new["seconds"])
            added = new["records"] - same["records"]
            res.check(
                "rescan_unchanged_parsed_nothing",
                same["report"]["parsed_files"] == 0 and same["records"] == first["records"],
            )
            res.check("new_file_records_match_manifest", added == expected_new)
            run_detail |= {"rescan_unchanged": same, "rescan_new_file": new, "new_records": added}
        details["runs"].append(run_detail)
    if profile is not None:
        shutil.rmtree(work / "profile-data", ignore_errors=True)
        db = db_path(work / "profile-data")
        err.print(f"ingest under cProfile -> {profile} ...")
        run_worker(
            ["ingest", "--db", str(db), "--profile", str(profile), str(exports)], work, "profile"
        )
        details["profile"] = str(profile)
    res.details["ingest"] = details
    return data_dir


def measure_floor(res: Results, corpus: Path, work: Path, repeat: int) -> None:
    """The floor: parse once, then bare inserts of the same rows (fresh databases)."""
    err.print("floor: parsing the corpus, then bare inserts ...")
    out = run_worker(
        ["floor", "--db-dir", str(work / "floor"), "--repeat", str(repeat), str(corpus / EXPORTS)],
        work,
        "floor",
    )
    rows = out["rows"]
    res.add("parse_records_per_s", rows / out["parse"]["seconds"])
    for s in out["floor_seconds"]:
        res.add("floor_records_per_s", rows / s)
    for s in out["rebuild_seconds"]:
        res.add("floor_rebuild_records_per_s", rows / s)
    ingest = res.figures.get("ingest_records_per_s")
    if ingest is not None:
        res.add("ingest_vs_floor", ingest.value / res.figures["floor_records_per_s"].value)
    res.details["floor"] = out


def measure_search(
    res: Results, data_dir: Path, queries: list[BenchQuery], passes: int
) -> list[int]:
    """Query-mix latency in-process through ``Reader.search``; returns each query's total."""
    from server.search import FTS5Engine

    err.print(f"search in-process: {len(queries)} queries x {passes} (after a warm-up pass) ...")
    mix = asyncio.run(run_mix(db_path(data_dir), FTS5Engine(), queries, passes))
    for one in mix.timings:
        ms = [t for _, t in one]
        res.add("search_inprocess_p50_ms", percentile(ms, 50))
        res.add("search_inprocess_p95_ms", percentile(ms, 95))
    res.check("search_inprocess_no_errors", not mix.errors)
    res.details["search_inprocess"] = {
        "by_category": latency_summary(mix.timings[-1]),
        "zero_hit_queries": sum(1 for t in mix.totals if t == 0),
        "median_total_hits": statistics.median(mix.totals),
        "errors": mix.errors[:5],
    }
    return mix.totals


def fts5_ingest_rate(res: Results) -> float | None:
    """The FTS5 ingest rate of this run, for the engine comparison: the figure, else the
    runs the database was built by."""
    rate = res.figures.get("ingest_records_per_s")
    ingest_rate = rate.value if rate is not None else None
    runs = res.details.get("ingest", {}).get("runs", [])
    if ingest_rate is None and runs:
        ingest_rate = statistics.median(
            r["ingest"]["records"] / r["ingest"]["seconds"] for r in runs
        )
    return ingest_rate


def server_params(data_dir: Path, work: Path) -> Any:
    """How to spawn ``pctx --data-dir DIR serve`` (stdio), isolated from user config."""
    from mcp import StdioServerParameters

    xdg = work / "xdg"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(work)),
        "PCTX_DATA_DIR": str(data_dir),
        "XDG_CONFIG_HOME": str(xdg / "config"),
        "XDG_DATA_HOME": str(xdg / "data"),
    }
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "server", "--data-dir", str(data_dir), "serve"],
        env=env,
        cwd=str(REPO),
    )


async def _search_stdio(
    params: Any, errlog: IO[str], queries: list[BenchQuery], passes: int, mode: str
) -> tuple[list[list[tuple[str, float]]], list[int], list[str]]:
    from mcp import Client
    from mcp.client.stdio import stdio_client

    timings: list[list[tuple[str, float]]] = []
    totals: list[int] = []
    errors: list[str] = []
    async with Client(stdio_client(params, errlog=errlog), cache=None, mode=mode) as client:  # type: ignore[arg-type]
        for q in queries:  # warm-up pass
            result = await client.call_tool("search", q.arguments)
            if result.is_error:
                errors.append(f"{q.arguments}: {result.content}")
                totals.append(-1)
            else:
                totals.append(int((result.structured_content or {}).get("total", -1)))
        for _ in range(passes):
            one: list[tuple[str, float]] = []
            for q in queries:
                t0 = time.perf_counter()
                await client.call_tool("search", q.arguments)
                one.append((q.category, (time.perf_counter() - t0) * 1000))
            timings.append(one)
    return timings, totals, errors


def measure_stdio(
    res: Results,
    data_dir: Path,
    work: Path,
    queries: list[BenchQuery],
    passes: int,
    mode: str,
    inprocess_totals: list[int] | None,
) -> None:
    """Query-mix latency through the MCP ``search`` tool over real stdio."""
    err.print(f"search over MCP stdio: {len(queries)} queries x {passes} (after a warm-up) ...")
    with open(work / "server-stderr.log", "a", encoding="utf-8") as errlog:
        timings, totals, errors = asyncio.run(
            _search_stdio(server_params(data_dir, work), errlog, queries, passes, mode)
        )
    for one in timings:
        ms = [t for _, t in one]
        res.add("search_stdio_p50_ms", percentile(ms, 50))
        res.add("search_stdio_p95_ms", percentile(ms, 95))
    res.check("stdio_search_no_errors", not errors)
    if inprocess_totals is not None:
        res.check("stdio_totals_match_inprocess", totals == inprocess_totals)
    res.details["search_stdio"] = {
        "by_category": latency_summary(timings[-1]),
        "errors": errors[:5],
        "mode": mode,
    }


async def _cold_start_once(params: Any, errlog: IO[str], mode: str) -> tuple[float, int]:
    from mcp import Client
    from mcp.client.stdio import stdio_client

    t0 = time.perf_counter()
    async with Client(stdio_client(params, errlog=errlog), cache=None, mode=mode) as client:  # type: ignore[arg-type]
        tools = await client.list_tools()
        return time.perf_counter() - t0, len(tools.tools)


def measure_cold_start(res: Results, data_dir: Path, work: Path, count: int, mode: str) -> None:
    """Spawn ``pctx serve`` and time until ``tools/list`` answers, ``count`` times."""
    err.print(f"cold start x {count} ...")
    params = server_params(data_dir, work)
    tools = 0
    with open(work / "server-stderr.log", "a", encoding="utf-8") as errlog:
        for _ in range(count):
            seconds, tools = asyncio.run(_cold_start_once(params, errlog, mode))
            res.add("cold_start_s", seconds)
    res.check("cold_start_lists_tools", tools > 0)
    res.details["cold_start"] = {"tools": tools, "mode": mode}


# -- output --------------------------------------------------------------------------------


def _fmt(value: float, unit: str) -> str:
    if unit in ("rec/s", "records"):
        return f"{value:,.0f}"
    if unit == "ms":
        return f"{value:.1f}"
    if unit in ("x", "% core"):
        return f"{value:.3f}"
    if unit == "MiB":
        return f"{value:.1f}" if value < 100 else f"{value:,.0f}"
    return f"{value:.2f}" if value < 100 else f"{value:,.0f}"


def render(result: dict[str, Any], console: Console) -> None:
    """Print the result as a table."""
    m = result["machine"]
    c = result["corpus"]
    title = (
        f"pctx bench [bold]{result['size']}[/] — {c['expected_records']['total']:,} records "
        f"expected, repeat {result['options']['repeat']}"
    )
    console.print(title)
    console.print(
        f"{m['cpu_count']} x {m['cpu_model']}, {m['memory_gb']} GB; Python {m['python']}, "
        f"SQLite {m['sqlite']}; {m['platform']}; load average {m.get('loadavg_start')} at "
        f"start, {m.get('loadavg_end')} at the end",
        highlight=False,
    )
    proj = result["project"]
    dirty = {True: " (uncommitted changes)", False: "", None: ""}[proj.get("git_dirty")]
    console.print(
        f"pctx {proj['version']}, commit {(proj['git_commit'] or '?')[:10]}{dirty}", highlight=False
    )
    table = Table(show_edge=False)
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("unit")
    table.add_column("target", justify="right")
    table.add_column("")
    for key in FIGURES:
        fig = result["figures"].get(key)
        if fig is None:
            continue
        verdict = {True: "[green]pass[/]", False: "[red]MISS[/]", None: ""}[fig["pass"]]
        table.add_row(
            fig["label"], _fmt(fig["value"], fig["unit"]), fig["unit"], fig["target"] or "", verdict
        )
    console.print(table)
    for name, ok in result["checks"].items():
        console.print(f"check {name}: {'[green]ok[/]' if ok else '[red]FAILED[/]'}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m bench.run``."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description="pctx benchmark harness (see bench/README.md)"
    )
    parser.add_argument("--size", choices=list(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus seed")
    parser.add_argument("--corpus", type=Path, default=None, help="default bench/corpus/<size>")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure (median)")
    parser.add_argument(
        "--only",
        default=None,
        help=f"comma-separated: {','.join(SECTIONS)} (default: all but the opt-in "
        f"{','.join(sorted(extra.OPT_IN))}, which --size 1m includes)",
    )
    parser.add_argument("--queries", type=int, default=200, help="queries in the mix")
    parser.add_argument("--cold-starts", type=int, default=5, help="cold starts per repeat")
    parser.add_argument(
        "--mcp-mode", default="legacy", help="MCP client mode: legacy (initialize) or auto"
    )
    parser.add_argument("--live-drops", type=int, default=5, help="files dropped, live")
    parser.add_argument("--idle-seconds", type=float, default=30.0, help="idle CPU window, live")
    parser.add_argument("--bigfile-mb", type=int, default=1024, help="size of each big file")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    parser.add_argument("--work-dir", type=Path, default=None, help="default: a temp dir")
    parser.add_argument("--keep-work", action="store_true", help="keep databases and logs")
    parser.add_argument(
        "--profile", action="store_true", help="also ingest once under cProfile (.prof saved)"
    )
    args = parser.parse_args(argv)
    if args.only is None:
        sections = {s for s in SECTIONS if s not in extra.OPT_IN} | extra.default_sections(
            args.size
        )
    else:
        sections = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = sections - set(SECTIONS)
    if unknown or not sections:
        parser.error(f"--only takes {', '.join(SECTIONS)}; got {args.only!r}")
    if min(args.repeat, args.queries, args.cold_starts, args.live_drops, args.bigfile_mb) < 1:
        parser.error(
            "--repeat, --queries, --cold-starts, --live-drops and --bigfile-mb must be at least 1"
        )
    if args.idle_seconds <= 0:
        parser.error("--idle-seconds must be positive")

    started_at = datetime.now(UTC)
    load_start = _loadavg()
    stamp = started_at.strftime("%Y%m%dT%H%M%SZ")
    corpus = (args.corpus or corpus_dir(args.size)).absolute()
    err.print(f"corpus {args.size}: {corpus}")
    t0 = time.perf_counter()
    manifest, generated = ensure_corpus(args.size, args.seed, corpus)
    err.print("generated" if generated else "already generated (manifest matches)")
    work = (args.work_dir or Path(tempfile.mkdtemp(prefix="pctx-bench-"))).absolute()
    work.mkdir(parents=True, exist_ok=True)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    profile = args.results_dir / f"ingest-{args.size}-{stamp}.prof" if args.profile else None

    res = Results()
    try:
        data_dir = work / "data"
        if sections & DB_SECTIONS or engines.needs_database(sections):
            data_dir = measure_ingest(res, corpus, manifest, work, args.repeat, sections, profile)
        if "floor" in sections:
            measure_floor(res, corpus, work, args.repeat)
        queries = build_queries(manifest["query_terms"], args.queries)
        totals = None
        if "search" in sections:
            totals = measure_search(res, data_dir, queries, args.repeat)
        if "mcp" in sections:
            measure_stdio(res, data_dir, work, queries, args.repeat, args.mcp_mode, totals)
        if "coldstart" in sections:
            measure_cold_start(res, data_dir, work, args.cold_starts * args.repeat, args.mcp_mode)
        if "whoosh" in sections:
            engines.measure_whoosh(
                res, data_dir, corpus / EXPORTS, work, queries, args.repeat, fts5_ingest_rate(res)
            )
        opts = extra.Options(args.repeat, args.live_drops, args.idle_seconds, args.bigfile_mb)
        extra.run_sections(res, sections, corpus, work, opts)
    finally:
        if not args.keep_work and args.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
        elif args.keep_work:
            err.print(f"work dir kept: {work}")

    exports = corpus / EXPORTS
    corpus_files = [p for p in exports.rglob("*") if p.is_file()]
    result = {
        "schema": RESULT_SCHEMA,
        "size": args.size,
        "seed": args.seed,
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - t0, 1),
        "command": ["python", "-m", "bench.run", *(argv if argv is not None else sys.argv[1:])],
        "machine": machine() | {"loadavg_start": load_start, "loadavg_end": _loadavg()},
        "project": project(),
        "corpus": {
            "dir": str(corpus),
            "generated_now": generated,
            "generator_version": manifest["generator_version"],
            "files": len(corpus_files),
            "bytes": sum(p.stat().st_size for p in corpus_files),
            "expected_records": manifest["expected_records"],
            "rows": manifest["rows"],
        },
        "options": {
            "repeat": args.repeat,
            "only": sorted(sections, key=SECTIONS.index),
            "queries": args.queries,
            "cold_starts": args.cold_starts,
            "mcp_mode": args.mcp_mode,
            "live_drops": args.live_drops,
            "idle_seconds": args.idle_seconds,
            "bigfile_mb": args.bigfile_mb,
        },
        "targets": {k: f"{op} {bound:g}" for k, (op, bound) in TARGETS.items()},
        "figures": {k: res.figures[k].as_dict() for k in FIGURES if k in res.figures},
        "checks": res.checks,
        "details": res.details,
    }
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    out = args.results_dir / f"{args.size}-{stamp}.json"
    out.write_text(text, encoding="utf-8")
    (args.results_dir / f"latest-{args.size}.json").write_text(text, encoding="utf-8")
    render(result, Console(soft_wrap=True))
    err.print(f"results: {out}")
    return 0 if all(res.checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
