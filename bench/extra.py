"""More sections of the benchmark harness: ``gtp``, ``live`` and ``bigfile``.

``bench.run`` calls :func:`run_sections`; the figures, targets and section names here are
merged into its tables.

``gtp``      google-takeout-parser (purarue) and pctx's Google connectors on the corpus's
             Takeout: events per product and parse time for each. pctx reads the zip;
             google-takeout-parser wants a folder, so the zip is extracted first (the
             extraction is not counted). Counts and peak RSS come from one child process
             per parser; the times from one child that runs both, interleaved, after a
             warm-up pass of each. Skipped when google-takeout-parser is not installed.
``live``     ``pctx serve`` (stdio, through the MCP SDK client) on a watched folder: time
             from dropping a new export file to the MCP ``search`` tool returning it, then
             the CPU used by the idle watching server (and its children).
``bigfile``  (opt-in) peak RSS and time of ``pctx index`` on a ~1 GB Location History
             ``Records.json`` and, separately, a ~1 GB Gmail mbox. The files are generated
             once into ``bench/corpus/bigfile/`` by the connector authors' generators and
             reused while their marker matches.

``python -m bench.extra gtp-parse ...`` and ``gtp-time ...`` are the child processes of the
``gtp`` section.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import IO, Any, Protocol

from rich.console import Console

from bench.generate import CORPUS_ROOT, EXPORTS, TAKEOUT_ZIP
from bench.worker import peak_rss_kb, status_kb

REPO = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024

#: Section names, in run order; ``OPT_IN`` ones run only when named in ``--only`` (or,
#: for ``bigfile``, at ``--size 1m``).
SECTIONS: tuple[str, ...] = ("gtp", "live", "bigfile")
OPT_IN: frozenset[str] = frozenset({"bigfile"})

TARGETS: dict[str, tuple[str, float]] = {
    "gtp_events_min_ratio": (">=", 1.0),
    "gtp_parse_time_ratio": ("<=", 1.0),
    "bigfile_location_peak_rss_mb": ("<=", 200),
    "bigfile_mbox_peak_rss_mb": ("<=", 200),
    "bigfile_mbox_long_peak_rss_mb": ("<=", 200),
}

#: Figure key -> (label, unit), in table order.
FIGURES: dict[str, tuple[str, str]] = {
    "gtp_pctx_events": ("Takeout events, pctx", "events"),
    "gtp_gtp_events": ("Takeout events, google-takeout-parser", "events"),
    "gtp_events_min_ratio": ("events pctx / gtp, worst product", "x"),
    "gtp_pctx_parse_s": ("Takeout parse, pctx (zip)", "s"),
    "gtp_gtp_parse_s": ("Takeout parse, google-takeout-parser (folder)", "s"),
    "gtp_parse_time_ratio": ("parse time pctx / gtp", "x"),
    "live_ready_s": ("live: spawn to writer watching", "s"),
    "live_drop_p50_s": ("live: drop to searchable, median", "s"),
    "live_drop_max_s": ("live: drop to searchable, max", "s"),
    "live_idle_cpu_pct": ("live: idle CPU, server + children", "% core"),
    "bigfile_location_seconds": ("big Records.json: pctx index time", "s"),
    "bigfile_location_peak_rss_mb": ("big Records.json: peak RSS", "MiB"),
    "bigfile_mbox_seconds": ("big mbox: pctx index time", "s"),
    "bigfile_mbox_peak_rss_mb": ("big mbox: peak RSS", "MiB"),
    "bigfile_mbox_long_seconds": ("big mbox, 60 KB bodies: pctx index time", "s"),
    "bigfile_mbox_long_peak_rss_mb": ("big mbox, 60 KB bodies: peak RSS", "MiB"),
}

#: Which section produces which figures (a figure key starts with its section's name).
SECTION_FIGURES: dict[str, tuple[str, ...]] = {
    s: tuple(k for k in FIGURES if k.startswith(s + "_")) for s in SECTIONS
}

#: google-takeout-parser event types without a ``header``, mapped to pctx sources.
GTP_TYPES: dict[str, str] = {
    "ChromeHistory": "google.chrome",
    "Location": "google.location",
    "PlaceVisit": "google.location",
    "YoutubeComment": "google.youtube",
    "CSVYoutubeComment": "google.youtube",
    "CSVYoutubeLiveChat": "google.youtube",
    "LikedYoutubeVideo": "google.youtube",
    "PlayStoreAppInstall": "google.play",
    "Keep": "google.keep",
}

#: Bump when the big files' generation changes (the marker then no longer matches).
BIGFILE_VERSION = 1
BIGFILE_DIR = CORPUS_ROOT / "bigfile"
BIGFILE_MARKER = "bigfile.json"
LOCATION_REL = "Takeout/Location History/Records.json"
MBOX_REL = "Takeout/Mail/All mail Including Spam and Trash.mbox"
#: ``python -c`` program: run the ``pctx`` command line (``python -m server ARGS``) in this
#: process, then write its peak resident set (``VmHWM``, KiB) to the file named first.
#: ``ru_maxrss`` from ``wait4`` is not used: Linux starts it at the parent's resident set
#: at exec time, so it would report this harness's size when that is larger.
PCTX_WITH_PEAK = """\
import runpy, sys
out = sys.argv.pop(1)
sys.argv[0] = "pctx"
try:
    runpy.run_module("server", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as fh, open(out, "w") as dest:
        dest.write(next(x for x in fh if x.startswith("VmHWM:")).split()[1])
"""
#: How often the child's resident set is sampled while it runs.
RSS_SAMPLE_SECONDS = 0.5
#: Seconds to wait for a dropped file to become searchable.
LIVE_DEADLINE = 30.0
LIVE_POLL = 0.1

err = Console(stderr=True, highlight=False)


class ResultsLike(Protocol):
    """What the sections need of ``bench.run.Results``."""

    details: dict[str, Any]

    def add(self, key: str, value: float) -> None: ...

    def check(self, name: str, ok: bool) -> None: ...


@dataclass(frozen=True, slots=True)
class Options:
    """The options of these sections (from ``bench.run``'s command line)."""

    repeat: int = 1
    live_drops: int = 5
    idle_seconds: float = 30.0
    bigfile_mb: int = 1024


def default_sections(size: str) -> set[str]:
    """The sections of this module a run includes when ``--only`` is not given."""
    return {s for s in SECTIONS if s not in OPT_IN} | ({"bigfile"} if size == "1m" else set())


def run_sections(
    res: ResultsLike, sections: set[str], corpus: Path, work: Path, opts: Options
) -> None:
    """Run the sections of this module named in ``sections``."""
    if "gtp" in sections:
        measure_gtp(res, corpus, work, opts)
    if "live" in sections:
        measure_live(res, corpus, work, opts)
    if "bigfile" in sections:
        measure_bigfile(res, work, opts)


# -- helpers -------------------------------------------------------------------------------


def isolated_env(work: Path, **extra: str) -> dict[str, str]:
    """A child's environment without the user's config or data directories."""
    xdg = work / "xdg"
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(work)),
        "XDG_CONFIG_HOME": str(xdg / "config"),
        "XDG_DATA_HOME": str(xdg / "data"),
        **extra,
    }


def vm_rss_kb(pid: int) -> int | None:
    """The current resident set of ``pid`` in KiB, or None once it is gone."""
    return status_kb("VmRSS", pid)


def _proc_ticks(pid: int) -> int:
    """utime + stime + cutime + cstime of ``pid`` (itself, all its threads, and its
    waited-for children) in clock ticks; 0 when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = stat[stat.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
    return sum(int(f) for f in fields[11:15])


def _thread_ns(pid: int) -> int:
    """On-CPU nanoseconds of the live threads of ``pid`` (``/proc/PID/task/*/schedstat``):
    finer than clock ticks, but threads that ended are not counted."""
    total = 0
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError, IndexError):
                total += int((task / "schedstat").read_text().split()[0])
    return total


def descendants(pid: int) -> list[int]:
    """``pid`` and its live descendants (parents read from ``/proc/*/stat``)."""
    parent: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            parent[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    found, stack = [pid], [pid]
    while stack:
        p = stack.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        found += kids
        stack += kids
    return found


def tree_cpu(pid: int) -> tuple[int, int]:
    """CPU used so far by ``pid`` and its descendants: ``(clock ticks of utime + stime,
    waited-for children included; nanoseconds on CPU of the live threads)``."""
    procs = descendants(pid)
    return sum(_proc_ticks(p) for p in procs), sum(_thread_ns(p) for p in procs)


def _downsample(values: list[Any], n: int = 40) -> list[Any]:
    if len(values) <= n:
        return values
    step = len(values) / n
    return [values[int(i * step)] for i in range(n)] + [values[-1]]


# -- gtp: google-takeout-parser side by side ------------------------------------------------


def gtp_available() -> bool:
    """Whether google-takeout-parser can be imported."""
    return importlib.util.find_spec("google_takeout_parser") is not None


def gtp_product(event: Any) -> str:
    """The pctx source a google-takeout-parser event belongs to (as the cross-check test
    maps them: My Activity by its header, the other types by their class)."""
    from connectors.google.my_activity import source_for

    header = getattr(event, "header", None)
    if header:
        return source_for(header)
    name = type(event).__name__
    return GTP_TYPES.get(name, f"other:{name}")


def _parse_gtp(path: Path) -> dict[str, Any]:
    from google_takeout_parser.path_dispatch import TakeoutParser

    counts: Counter[str] = Counter()
    errors: list[str] = []
    for event in TakeoutParser(path, warn_exceptions=False).parse(cache=False):
        if isinstance(event, Exception):
            errors.append(str(event)[:200])
        else:
            counts[gtp_product(event)] += 1
    return {"events": dict(counts), "errors": len(errors), "error_samples": errors[:5]}


def _parse_pctx(path: Path, unique: bool = True) -> dict[str, Any]:
    """pctx's connectors over ``path``: records per source and (``unique``: not in the
    timed passes, google-takeout-parser does no such work) distinct ids per source."""
    from connectors import all_connectors
    from connectors.base import Record
    from connectors.discover import iter_files, route

    connectors = all_connectors()
    counts: Counter[str] = Counter()
    ids: dict[str, set[str]] = {}
    issues = 0
    routed: dict[str, str] = {}
    for found in iter_files(path):
        if found.failure:
            routed[found.file.relpath] = f"failed: {found.failure}"
            continue
        decision = route(found.file, connectors)
        connector = decision.connector
        routed[found.file.relpath] = (
            f"{decision.outcome} {connector.name}" if connector else decision.outcome
        )
        if decision.outcome != "parse" or connector is None:
            continue
        for item in connector.parse(found.file):
            if isinstance(item, Record):
                counts[item.source] += 1
                if unique:
                    ids.setdefault(item.source, set()).add(item.id)
            else:
                issues += 1
    return {
        "events": dict(counts),
        "unique_records": {k: len(v) for k, v in ids.items()},
        "issues": issues,
        "files": routed,
    }


def gtp_parse_child(engine: str, path: Path) -> dict[str, Any]:
    """One pass of one parser over ``path``: its counts, its time (imports and first-call
    costs included) and this process's peak RSS (one parser per process)."""
    parse: Callable[[Path], dict[str, Any]] = _parse_gtp if engine == "gtp" else _parse_pctx
    started = time.perf_counter()
    result = parse(path)
    return result | {
        "engine": engine,
        "first_pass_seconds": time.perf_counter() - started,
        "peak_rss_kb": peak_rss_kb(),
    }


def gtp_time_child(archive: Path, folder: Path, rounds: int) -> dict[str, Any]:
    """Parse times, interleaved so that other work on the machine hits all alike: a
    warm-up pass of each, then ``rounds`` rounds of google-takeout-parser on ``folder``,
    pctx on ``archive`` and pctx on ``folder``."""

    def pctx(path: Path) -> dict[str, Any]:
        return _parse_pctx(path, unique=False)

    runs: list[tuple[str, Callable[[Path], dict[str, Any]], Path]] = [
        ("gtp", _parse_gtp, folder),
        ("pctx", pctx, archive),
        ("pctx_folder", pctx, folder),
    ]
    for _, parse, path in runs:
        parse(path)
    seconds: dict[str, list[float]] = {name: [] for name, _, _ in runs}
    for _ in range(rounds):
        for name, parse, path in runs:
            t0 = time.perf_counter()
            parse(path)
            seconds[name].append(time.perf_counter() - t0)
    return {"seconds": seconds, "rounds": rounds}


def _run_extra_child(args: list[str], work: Path, name: str) -> dict[str, Any]:
    out = work / f"{name}.json"
    cmd = [sys.executable, "-m", "bench.extra", args[0], "--out", str(out), *args[1:]]
    env = isolated_env(work, TAKEOUT_LOGS="40")  # google-takeout-parser: errors only
    subprocess.run(cmd, cwd=REPO, env=env, check=True)
    return dict(json.loads(out.read_text(encoding="utf-8")))


def measure_gtp(res: ResultsLike, corpus: Path, work: Path, opts: Options) -> None:
    """pctx's Google connectors and google-takeout-parser on the same Takeout."""
    if not gtp_available():
        err.print("gtp: skipped, google-takeout-parser is not installed")
        res.details["gtp"] = {"skipped": "google-takeout-parser not installed"}
        return
    rounds = max(5, opts.repeat)
    archive = corpus / EXPORTS / TAKEOUT_ZIP
    folder = work / "gtp-extracted"
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(folder)
    extract_s = time.perf_counter() - t0
    takeout = folder / "Takeout"
    err.print(f"gtp: google-takeout-parser and pctx on {archive.name}, {rounds} rounds ...")
    theirs = _run_extra_child(["gtp-parse", "--engine", "gtp", str(takeout)], work, "gtp-gtp")
    ours = _run_extra_child(["gtp-parse", "--engine", "pctx", str(archive)], work, "gtp-pctx")
    timing = _run_extra_child(
        ["gtp-time", "--rounds", str(rounds), str(archive), str(takeout)], work, "gtp-time"
    )
    shutil.rmtree(folder, ignore_errors=True)
    seconds: dict[str, list[float]] = timing["seconds"]

    gtp_events: dict[str, int] = theirs["events"]
    pctx_events: dict[str, int] = ours["events"]
    products = sorted(set(gtp_events) | {k for k in pctx_events if k.startswith("google.")})
    per_product = {
        p: {
            "pctx": pctx_events.get(p, 0),
            "pctx_unique": ours["unique_records"].get(p, 0),
            "gtp": gtp_events.get(p, 0),
        }
        for p in products
    }
    ratios = {p: c["pctx"] / c["gtp"] for p, c in per_product.items() if c["gtp"]}
    fewer = sorted(p for p, r in ratios.items() if r < 1)
    pctx_s = statistics.median(seconds["pctx"])
    gtp_s = statistics.median(seconds["gtp"])
    # Per round, so that a slow stretch on a busy machine cancels out.
    ratio = statistics.median(p / g for p, g in zip(seconds["pctx"], seconds["gtp"], strict=True))
    res.add("gtp_pctx_events", sum(c["pctx"] for c in per_product.values()))
    res.add("gtp_gtp_events", sum(c["gtp"] for c in per_product.values()))
    if ratios:
        res.add("gtp_events_min_ratio", min(ratios.values()))
    res.add("gtp_pctx_parse_s", pctx_s)
    res.add("gtp_gtp_parse_s", gtp_s)
    res.add("gtp_parse_time_ratio", ratio)
    for p, c in per_product.items():
        err.print(f"  {p}: pctx {c['pctx']:,} ({c['pctx_unique']:,} unique), gtp {c['gtp']:,}")
    import google_takeout_parser

    res.details["gtp"] = {
        "google_takeout_parser_version": getattr(google_takeout_parser, "__version__", None),
        "archive": str(archive),
        "extract_seconds": extract_s,
        "rounds": rounds,
        "per_product": per_product,
        "products_where_pctx_reads_fewer": fewer,
        "pctx_seconds": seconds["pctx"],
        "gtp_seconds": seconds["gtp"],
        "pctx_on_extracted_folder_seconds": seconds["pctx_folder"],
        "pctx_first_pass_seconds": ours["first_pass_seconds"],
        "gtp_first_pass_seconds": theirs["first_pass_seconds"],
        "pctx_peak_rss_mb": ours["peak_rss_kb"] / 1024,
        "gtp_peak_rss_mb": theirs["peak_rss_kb"] / 1024,
        "pctx_files": ours["files"],
        "pctx_issues": ours["issues"],
        "gtp_errors": theirs["errors"],
        "gtp_error_samples": theirs["error_samples"],
    }


# -- live: drop a file into a watched folder, search for it ------------------------------------


def _drop_template(corpus: Path) -> list[dict[str, Any]]:
    """Rows of the corpus's first extended Spotify history file with a track name."""
    folder = corpus / EXPORTS / "Spotify Extended Streaming History"
    source = sorted(folder.glob("Streaming_History_Audio_*.json"))[0]
    rows: list[dict[str, Any]] = []
    with source.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip().rstrip(",")
            if not line.startswith("{"):
                continue
            row = json.loads(line)
            if row.get("master_metadata_track_name"):
                rows.append(row)
            if len(rows) >= 200:
                break
    return rows


def drop_file(template: list[dict[str, Any]], i: int, marker: str, rows: int = 20) -> str:
    """A small extended-history file (``rows`` plays on a day of February 2026) whose first
    track title holds ``marker``."""
    start = (i * rows) % max(1, len(template) - rows)
    out = []
    for n, row in enumerate(template[start : start + rows]):
        row = dict(row)
        row["ts"] = f"2026-02-{i % 28 + 1:02d}T{10 + n // 60:02d}:{n % 60:02d}:00Z"
        row["offline_timestamp"] = None
        if n == 0:
            row["master_metadata_track_name"] = f"{row['master_metadata_track_name']} {marker}"
        out.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
    return "[\n" + ",\n".join(out) + "\n]\n"


def _watch_state(db: Path) -> dict[str, Any] | None:
    """The writer's published state (``meta.watch_state``), or None."""
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'watch_state'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return json.loads(row[0]) if row else None


def _meta_int(db: Path, key: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return 0
    return int(row[0]) if row else 0


async def _until(check: Callable[[], Any], deadline: float, what: str) -> Any:
    end = time.perf_counter() + deadline
    while time.perf_counter() < end:
        value = check()
        if value:
            return value
        await asyncio.sleep(LIVE_POLL)
    raise TimeoutError(f"live: timed out after {deadline:.0f}s waiting for {what}")


def _idle(db: Path) -> dict[str, Any] | None:
    state = _watch_state(db)
    if state and state.get("state") == "watching" and not state.get("pending_changes"):
        return state
    return None


async def _live_session(
    params: Any,
    errlog: IO[str],
    db: Path,
    folder: Path,
    staging: Path,
    template: list[dict[str, Any]],
    opts: Options,
    round_no: int,
) -> dict[str, Any]:
    from mcp import Client
    from mcp.client.stdio import stdio_client

    out: dict[str, Any] = {"drops": [], "missed": []}
    t0 = time.perf_counter()
    async with Client(stdio_client(params, errlog=errlog), cache=None, mode="legacy") as client:  # type: ignore[arg-type]
        state = await _until(lambda: _idle(db), 60, "the writer to watch the folder")
        out["ready_seconds"] = time.perf_counter() - t0
        pid = int(state["pid"])
        out["server_pid"] = pid
        ready_cpu = tree_cpu(pid)[0]
        for i in range(opts.live_drops):
            await _until(lambda: _idle(db), 60, "the writer to be idle")
            await asyncio.sleep(0.3)
            marker = f"zqlivedrop{round_no}x{i}q"
            name = f"Streaming_History_Audio_2026_{round_no}_{i}.json"
            tmp = staging / name
            tmp.write_text(drop_file(template, round_no * 97 + i, marker), encoding="utf-8")
            dropped = time.perf_counter()
            os.replace(tmp, folder / name)  # the drop: a complete file appears at once
            found = None
            polls = 0
            while time.perf_counter() - dropped < LIVE_DEADLINE:
                polls += 1
                result = await client.call_tool("search", {"query": marker, "limit": 5})
                data = result.structured_content or {}
                if not result.is_error and any(
                    marker in json.dumps(hit, ensure_ascii=False).lower()
                    for hit in data.get("results", [])
                ):
                    found = time.perf_counter() - dropped
                    break
                await asyncio.sleep(LIVE_POLL)
            if found is None:
                out["missed"].append(name)
            else:
                out["drops"].append({"file": name, "seconds": found, "polls": polls})
        await _until(lambda: _idle(db), 60, "the writer to be idle after the drops")
        await asyncio.sleep(1.0)
        ticks = os.sysconf("SC_CLK_TCK")
        drops_cpu = tree_cpu(pid)[0] - ready_cpu
        runs_before = _meta_int(db, "run")
        rss_before = vm_rss_kb(pid)
        (t0_ticks, t0_ns), w0 = tree_cpu(pid), time.perf_counter()
        await asyncio.sleep(opts.idle_seconds)
        (t1_ticks, t1_ns), w1 = tree_cpu(pid), time.perf_counter()
        rss_after = vm_rss_kb(pid)
        wall = w1 - w0
        out["idle"] = {
            "seconds": wall,
            "cpu_seconds": (t1_ticks - t0_ticks) / ticks,
            "cpu_pct": 100 * (t1_ticks - t0_ticks) / ticks / wall,
            "cpu_pct_threads_ns": 100 * (t1_ns - t0_ns) / 1e9 / wall,
            "ingest_runs": _meta_int(db, "run") - runs_before,
            "server_rss_mb_start": None if rss_before is None else rss_before / 1024,
            "server_rss_mb_end": None if rss_after is None else rss_after / 1024,
            "clock_ticks_per_s": ticks,
        }
        out["cpu_seconds_during_drops"] = drops_cpu / ticks
    return out


def measure_live(res: ResultsLike, corpus: Path, work: Path, opts: Options) -> None:
    """Drop-to-searchable time through ``pctx serve``'s watcher, and its idle CPU."""
    from mcp import StdioServerParameters

    from server.config import Settings

    template = _drop_template(corpus)
    details: dict[str, Any] = {"rounds": []}
    for r in range(opts.repeat):
        base = work / f"live-{r}"
        shutil.rmtree(base, ignore_errors=True)
        folder, staging, data = base / "Exports", base / "staging", base / "data"
        for d in (folder, staging, data):
            d.mkdir(parents=True)
        config = base / "config.toml"
        config.write_text(f"[[folders]]\npath = {json.dumps(str(folder))}\n", encoding="utf-8")
        db = Settings(data_dir=data).db_path
        params = StdioServerParameters(
            command=sys.executable,
            args=["-m", "server", "--config", str(config), "--data-dir", str(data), "serve"],
            env=isolated_env(work, PCTX_DATA_DIR=str(data)),
            cwd=str(REPO),
        )
        err.print(
            f"live {r + 1}/{opts.repeat}: {opts.live_drops} drops into a watched folder, "
            f"then {opts.idle_seconds:g} s idle ..."
        )
        with open(work / "server-stderr.log", "a", encoding="utf-8") as errlog:
            out = asyncio.run(_live_session(params, errlog, db, folder, staging, template, opts, r))
        seconds = [d["seconds"] for d in out["drops"]]
        res.add("live_ready_s", out["ready_seconds"])
        if seconds:
            res.add("live_drop_p50_s", statistics.median(seconds))
            res.add("live_drop_max_s", max(seconds))
        res.add("live_idle_cpu_pct", out["idle"]["cpu_pct"])
        res.check("live_all_drops_searchable", not out["missed"])
        res.check("live_idle_no_ingest", out["idle"]["ingest_runs"] == 0)
        details["rounds"].append(out)
        shutil.rmtree(base, ignore_errors=True)
    res.details["live"] = details


# -- bigfile: ~1 GB Records.json and ~1 GB mbox through `pctx index` -------------------------


def _load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _intact(path: Path, size: int) -> bool:
    try:
        return path.stat().st_size == size
    except OSError:
        return False


#: Words of the newsletter-sized messages.
_NEWSLETTER_WORDS = (
    "offer week update news member price event story guide new free today your our "
    "team product launch tips read more latest save spring summer autumn winter deal"
).split()


def write_long_mbox(path: Path, megabytes: int, seed: int = 11) -> None:
    """About ``megabytes`` MB of Gmail-style mbox whose messages have long plain-text
    bodies (~60 KB, a newsletter's size) and no attachments: the record texts, not the
    file, are what is large. Streamed, seeded."""
    import random

    rng = random.Random(seed)
    target = megabytes * 1024 * 1024
    written = i = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        while written < target:
            when = 1_600_000_000 + i * 3600
            date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(when))
            stamp = time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime(when))
            lines = (" ".join(rng.choices(_NEWSLETTER_WORDS, k=12)) for _ in range(800))
            message = (
                f"From {1_700_000_000_000_000_000 + i}@xxx {stamp}\n"
                f"X-GM-THRID: {1_700_000_000_000_000_000 + i}\n"
                "X-Gmail-Labels: Inbox,Category Promotions\n"
                f"Date: {date}\n"
                f"From: Newsletter {i % 40} <news{i % 40}@example.org>\n"
                "To: owner@example.com\n"
                f"Subject: Weekly letter #{i}\n"
                f"Message-ID: <letter-{i}@example.org>\n"
                "MIME-Version: 1.0\n"
                "Content-Type: text/plain; charset=utf-8\n\n" + "\n".join(lines) + "\n\n"
            )
            fh.write(message)
            written += len(message)
            i += 1
    print(f"wrote {i} messages, {written / MIB:.0f} MiB to {path}")


@dataclass(frozen=True, slots=True)
class BigFile:
    """One big file: its name (and folder under ``bench/corpus/bigfile/``), its path
    inside that folder, how big to make it and how to write it."""

    name: str
    relpath: str
    share: float  # of --bigfile-mb
    write: Callable[[Path, int], None]


def _big_files() -> list[BigFile]:
    fixtures = REPO / "tests" / "fixtures"

    def location(path: Path, mb: int) -> None:
        module = _load_module(fixtures / "google/location/make_big_records.py", "_big_records")
        module.generate(path, mb)

    def mbox(path: Path, mb: int) -> None:
        _load_module(fixtures / "mail/make_big_mbox.py", "_big_mbox").write(path, mb, False)

    return [
        BigFile("location", LOCATION_REL, 1.0, location),
        BigFile("mbox", MBOX_REL, 1.0, mbox),
        BigFile("mbox_long", MBOX_REL, 1 / 3, write_long_mbox),
    ]


def ensure_bigfiles(mb: int, root: Path = BIGFILE_DIR) -> tuple[dict[str, Any], list[str]]:
    """Generate the big files under ``root`` that the marker does not list at this size
    and generator version (or that changed size since); returns the marker and the names
    generated now."""
    marker = root / BIGFILE_MARKER
    info: dict[str, Any] = {"files": {}}
    with contextlib.suppress(OSError, ValueError):
        info = json.loads(marker.read_text(encoding="utf-8"))
    files: dict[str, Any] = {}
    generated: list[str] = []
    for big in _big_files():
        size = max(1, round(mb * big.share))
        known = info.get("files", {}).get(big.name)
        if (
            known
            and known.get("version") == BIGFILE_VERSION
            and known.get("mb") == size
            and _intact(root / known["path"], known["bytes"])
        ):
            files[big.name] = known
            continue
        shutil.rmtree(root / big.name, ignore_errors=True)
        target = root / big.name / big.relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        err.print(f"bigfile: writing ~{size} MB {big.name}: {big.relpath} ...")
        t0 = time.perf_counter()
        partial = target.with_name(target.name + ".partial")
        with contextlib.redirect_stdout(sys.stderr):
            big.write(partial, size)
        partial.rename(target)
        files[big.name] = {
            "version": BIGFILE_VERSION,
            "mb": size,
            "path": str(target.relative_to(root)),
            "root": big.name,
            "bytes": target.stat().st_size,
            "generate_seconds": round(time.perf_counter() - t0, 1),
        }
        generated.append(big.name)
        # Written after each file, so that an interrupted run keeps what was finished.
        marker.write_text(json.dumps({"files": files}, indent=2) + "\n", encoding="utf-8")
    info = {"files": files}
    marker.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info, generated


def index_child(root: Path, data_dir: Path, work: Path, name: str) -> dict[str, Any]:
    """``pctx --data-dir DIR index --json ROOT`` in a child: wall time, CPU time, the
    child's peak RSS (its ``VmHWM`` as it exits), its resident set sampled while it runs,
    and its JSON report."""
    stdout, stderr, peak = work / f"{name}.out", work / f"{name}.err", work / f"{name}.peak"
    cmd = [sys.executable, "-c", PCTX_WITH_PEAK, str(peak)]
    cmd += ["--data-dir", str(data_dir), "index", "--json"]
    samples: list[tuple[float, int]] = []
    with stdout.open("wb") as out, stderr.open("wb") as errf:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [*cmd, str(root)],
            cwd=REPO,
            env=isolated_env(work, PCTX_DATA_DIR=str(data_dir)),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=errf,
        )
        done = threading.Event()

        def sample() -> None:
            while not done.wait(RSS_SAMPLE_SECONDS):
                kb = vm_rss_kb(proc.pid)
                if kb is not None:
                    samples.append((round(time.perf_counter() - t0, 1), kb // 1024))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = stderr.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RuntimeError(f"pctx index {root} exited with {proc.returncode}: {tail}")
    report = json.loads(stdout.read_text(encoding="utf-8"))
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_kb": int(peak.read_text(encoding="utf-8")),
        "wait4_ru_maxrss_kb": usage.ru_maxrss,
        "rss_mb_samples": _downsample(samples),
        "rss_growth_mb": _growth(samples),
        "report": report,
    }


def _growth(samples: list[tuple[float, int]]) -> float | None:
    """RSS in the last fifth of the run minus the first fifth (MiB): a parser that holds
    what it read grows steadily; a streaming one stays flat."""
    if len(samples) < 10:
        return None
    k = len(samples) // 5
    return float(max(m for _, m in samples[-k:]) - max(m for _, m in samples[:k]))


def measure_bigfile(res: ResultsLike, work: Path, opts: Options) -> None:
    """Peak RSS of ``pctx index`` on each big file, in fresh data directories."""
    info, generated = ensure_bigfiles(opts.bigfile_mb)
    details: dict[str, Any] = {"files": info["files"], "generated_now": generated, "runs": []}
    for r in range(opts.repeat):
        run: dict[str, Any] = {}
        for name, f in info["files"].items():
            data = work / f"bigfile-{name}-{r}"
            shutil.rmtree(data, ignore_errors=True)
            mb = f["bytes"] / MIB
            err.print(f"bigfile {r + 1}/{opts.repeat}: pctx index on {mb:,.0f} MiB {name} ...")
            out = index_child(BIGFILE_DIR / f["root"], data, work, f"bigfile-{name}-{r}")
            res.add(f"bigfile_{name}_seconds", out["seconds"])
            res.add(f"bigfile_{name}_peak_rss_mb", out["peak_rss_kb"] / 1024)
            report = out["report"]
            res.check(
                f"bigfile_{name}_indexed",
                report.get("files", {}).get("indexed") == 1 and report.get("records_new", 0) > 0,
            )
            out["mib_per_s"] = mb / out["seconds"]
            run[name] = out
            shutil.rmtree(data, ignore_errors=True)
        details["runs"].append(run)
    res.details["bigfile"] = details


# -- child entry point -----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """The ``gtp`` section's children; each writes its result as JSON to ``--out``."""
    parser = argparse.ArgumentParser(prog="python -m bench.extra")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("gtp-parse", help="one parser, one pass: counts and peak RSS")
    p.add_argument("--engine", choices=["gtp", "pctx"], required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("path", type=Path)
    p = sub.add_parser("gtp-time", help="both parsers, interleaved timed rounds")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("archive", type=Path)
    p.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "gtp-parse":
        result = gtp_parse_child(args.engine, args.path)
    else:
        result = gtp_time_child(args.archive, args.folder, args.rounds)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
