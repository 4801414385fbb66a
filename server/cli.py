"""The ``pctx`` command: index exports, inspect the index, search it, serve it over MCP."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from server import __version__
from server.config import ConfigError, Settings, default_config_path, load_settings

log = logging.getLogger("pctx")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", metavar="FILE", default=argparse.SUPPRESS, help="config file (TOML)"
    )
    parser.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="where the index lives"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="debug logging"
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the full traceback of an unexpected error",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (global options work before or after the command)."""
    parser = argparse.ArgumentParser(
        prog="pctx",
        description="Index your data exports and serve them to AI assistants over MCP.",
    )
    parser.add_argument("--version", action="version", version=f"pctx {__version__}")
    _common(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("index", help="index exports (the configured folders by default)")
    _common(p)
    p.add_argument("paths", nargs="*", type=Path, help="folders, zips or files to index")
    p.add_argument("--json", action="store_true", help="print the run summary as JSON")

    p = sub.add_parser("status", help="what is indexed, and what happened to every file")
    _common(p)
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("search", help="full-text search of the index")
    _common(p)
    p.add_argument("query", help='words, "a phrase", prefix*, OR')
    p.add_argument("--source", action="append", default=[], help="only this source (repeatable)")
    p.add_argument("--kind", action="append", default=[], help="only this kind (repeatable)")
    p.add_argument("--since", help="from this date (YYYY, YYYY-MM, YYYY-MM-DD, ISO)")
    p.add_argument("--until", help="up to the end of this date")
    p.add_argument("--limit", type=int, default=10, help="results to show (default 10)")
    p.add_argument("--offset", type=int, default=0, help="skip this many results")
    p.add_argument("--sort", choices=["relevance", "newest", "oldest"], default="relevance")
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("profile", help="the portrait an assistant gets of you")
    _common(p)
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser(
        "prefs",
        help="ranked preferences (pctx prefs DOMAIN), or stated ones (add, rm, stated)",
        description='pctx prefs music [--recent] | pctx prefs add "I\'m vegetarian" | '
        "pctx prefs rm ID | pctx prefs stated",
    )
    _common(p)
    p.add_argument("words", nargs="+", help="DOMAIN, or add STATEMENT, rm ID, stated")
    p.add_argument("--recent", action="store_true", help="rank by recent activity")
    p.add_argument("--limit", type=int, default=20, help="items to show (default 20)")
    p.add_argument("--type", default=None, help="only this item type (artist, channel, ...)")
    p.add_argument("--domain", default=None, help="with add: the domain it is about")
    p.add_argument("--polarity", choices=["like", "dislike", "fact"], default=None, help="with add")
    p.add_argument("--item", default=None, help="with add: what it is about")
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("serve", help="run the MCP server (stdio by default)")
    _common(p)
    p.add_argument("--transport", choices=["stdio", "http"], default=None)
    p.add_argument("--host", default=None, help="HTTP bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="HTTP port (default 8765)")
    p.add_argument(
        "--no-watch",
        action="store_true",
        help="do not watch the configured folders (serve the index as it is)",
    )

    p = sub.add_parser("forget", help="delete records (by source, id, dates, query); tombstoned")
    _common(p)
    p.add_argument("--source", action="append", default=[], help="a source (repeatable)")
    p.add_argument("--id", action="append", default=[], help="a record id (repeatable)")
    p.add_argument("--since", help="from this date")
    p.add_argument("--until", help="up to the end of this date")
    p.add_argument("--query", help="records matching this search")
    p.add_argument("--reason", help="a note kept with the tombstones")
    p.add_argument("--yes", action="store_true", help="really delete (else only show)")
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("audit", help="what the assistant asked, and which records it got")
    _common(p)
    p.add_argument("--since", help="from this date")
    p.add_argument("--tool", help="only this tool")
    p.add_argument("--limit", type=int, default=100, help="rows (default 100)")
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("preview", help="what an assistant would see right now")
    _common(p)
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("token", help="bearer tokens for serving HTTP beyond loopback")
    _common(p)
    p.add_argument("action", choices=["create", "list", "revoke"])
    p.add_argument("id", nargs="?", type=int, help="with revoke: the token id")
    p.add_argument("--label", help="with create: a note to recognise it")
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("watch", help="watch the configured folders and index changes, live")
    _common(p)

    p = sub.add_parser("folders", help="list, add or remove watched folders in the config")
    _common(p)
    fsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    fl = fsub.add_parser("list", help="the watched folders")
    _common(fl)
    fl.add_argument("--json", action="store_true", help="print as JSON")
    fa = fsub.add_parser("add", help="watch another folder")
    _common(fa)
    fa.add_argument("path", help="the folder (it may not exist yet)")
    fa.add_argument("--no-recursive", action="store_true", help="do not look into sub-folders")
    fr = fsub.add_parser("remove", help="stop watching a folder (its records stay indexed)")
    _common(fr)
    fr.add_argument("path", help="the folder, as listed")

    p = sub.add_parser("setup", help="connect an MCP client: write its config file")
    _common(p)
    p.add_argument("client", choices=["claude-desktop", "claude-code", "cursor", "vscode"])
    p.add_argument("--name", default="personal-context", help="server name in the client")
    p.add_argument("--config-file", type=Path, help="write this file, not the client's usual one")
    p.add_argument("--workspace", action="store_true", help="vscode: .vscode/mcp.json here")
    p.add_argument("--force", action="store_true", help="replace an entry of the same name")
    p.add_argument("--dry-run", action="store_true", help="print the resulting file; write nothing")

    p = sub.add_parser("doctor", help="check the install, config, index, locks and clients")
    _common(p)
    p.add_argument("--repair", action="store_true", help="fix what can be fixed")
    p.add_argument("--vacuum", action="store_true", help="with --repair: also VACUUM the index")
    p.add_argument("--json", action="store_true", help="print as JSON")
    return parser


def _split(values: Sequence[str]) -> list[str]:
    return [v.strip().lower() for item in values for v in item.split(",") if v.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pctx`` console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings(
            getattr(args, "config", None),
            getattr(args, "data_dir", None),
            must_exist=args.command != "folders",
        )
    except ConfigError as exc:
        if args.command == "doctor":  # a broken config is one of the things it reports
            return cmd_doctor(args, None, config_error=str(exc))
        print(str(exc), file=sys.stderr)
        return 2
    handler = {
        "index": cmd_index,
        "status": cmd_status,
        "search": cmd_search,
        "profile": cmd_profile,
        "prefs": cmd_prefs,
        "serve": cmd_serve,
        "watch": cmd_watch,
        "forget": cmd_forget,
        "audit": cmd_audit,
        "preview": cmd_preview,
        "token": cmd_token,
        "folders": cmd_folders,
        "setup": cmd_setup,
        "doctor": cmd_doctor,
    }[args.command]
    try:
        return handler(args, settings)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0
    except CommandError as exc:
        print(f"pctx {args.command}: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        from server.search import QueryError

        if not isinstance(exc, QueryError):  # e.g. the configured engine is not installed
            raise
        print(f"pctx {args.command}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        problem = _data_dir_problem(exc, settings)
        if problem is not None:
            print(f"pctx {args.command}: {problem}", file=sys.stderr)
            return 2
        if getattr(args, "debug", False):
            raise
        print(
            f"pctx {args.command}: unexpected error: {type(exc).__name__}: {exc}"
            " (run again with --debug to see where; please report it)",
            file=sys.stderr,
        )
        return 1


class CommandError(Exception):
    """A user mistake, reported as one line."""


def _data_dir_problem(exc: BaseException, settings: Settings) -> str | None:
    """One line for a problem of the data directory itself (a database from a newer
    pctx, a read-only directory, a full disk); None for anything else."""
    import errno
    import os
    import sqlite3

    from server.ingest import index_write_problem
    from server.schema import SchemaError

    data_dir = settings.resolved_data_dir
    if isinstance(exc, SchemaError):
        return f"{settings.db_path}: {exc}"
    problem = index_write_problem(exc)
    if problem == "full" or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC):
        return (
            f"the disk holding the data directory {data_dir} is full: free some space and "
            "run it again (what was indexed before is intact)"
        )
    existing = next((p for p in (data_dir, *data_dir.parents) if p.exists()), data_dir)
    if problem == "read-only" or (
        isinstance(exc, (sqlite3.Error, OSError)) and not os.access(existing, os.W_OK)
    ):
        return (
            f"the data directory {data_dir} is read-only: pctx keeps its index there "
            "(choose another with --data-dir or $PCTX_DATA_DIR)"
        )
    if problem:
        return f"cannot write the index in {data_dir}: {exc}"
    return None


# -- index ---------------------------------------------------------------------------------


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    """``pctx index [PATH ...]``."""
    from server.change_log import has_log, remove_log
    from server.ingest import FileEvent, Ingestor
    from server.prefs import refresh_if_stale
    from server.privacy import Policy
    from server.search import make_engine
    from server.store import Store

    roots = [p.expanduser() for p in args.paths] or [f.path for f in settings.folders]
    if not roots:
        raise CommandError(
            "no folders to index: give a PATH, or add [[folders]] to the config "
            "(see config.example.toml)"
        )
    err = Console(stderr=True, soft_wrap=True)
    out = Console(soft_wrap=True)
    with Store(settings.db_path) as store:
        if settings.index.engine == "fts5" and has_log(store.conn):
            remove_log(store.conn)  # back from Whoosh: stop logging changes for it
        ingestor = Ingestor(
            store,
            batch_size=settings.index.batch_size,
            max_member_bytes=settings.index.max_member_bytes,
            max_archive_depth=settings.index.max_archive_depth,
            max_compression_ratio=settings.index.max_compression_ratio,
            max_archive_bytes=settings.index.max_archive_bytes,
            max_archive_entries=settings.index.max_archive_entries,
            half_life_days=settings.preferences.half_life_days,
            keep=Policy(settings.privacy).indexable,
            index_sync=getattr(
                make_engine(settings.index.engine, settings.resolved_data_dir), "sync", None
            ),
        )
        if err.is_terminal and not args.json:
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

            with Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(bar_width=None),
                TextColumn("{task.fields[files]} files, {task.fields[records]} records"),
                console=err,
                transient=True,
            ) as bar:
                task = bar.add_task("indexing", total=None, files=0, records=0)
                counts = {"files": 0, "records": 0}

                def progress(event: FileEvent) -> None:
                    counts["files"] += 1
                    counts["records"] += event.records
                    name = event.path.rsplit("/", 1)[-1][:40]
                    bar.update(task, description=f"indexing {name}", **counts)

                report = ingestor.run(roots, progress)
        else:
            report = ingestor.run(roots)
        started = time.perf_counter()
        if err.is_terminal and not args.json:
            with err.status("deriving preferences"):
                derived = refresh_if_stale(store.conn, settings.preferences.half_life_days)
        else:
            derived = refresh_if_stale(store.conn, settings.preferences.half_life_days)
        derive_seconds = time.perf_counter() - started
    if args.json:
        out.print_json(
            json.dumps(
                {
                    **report.as_dict(),
                    "preferences_derived": derived,
                    "derive_seconds": round(derive_seconds, 3),
                }
            )
        )
        return 0
    for missing in report.missing_roots:
        err.print(f"[yellow]folder not found (skipped): {missing}[/]")
    table = Table(show_edge=False)
    table.add_column("source")
    table.add_column("records read", justify="right")
    table.add_column("new", justify="right")
    for source, n in sorted(report.records_by_source.items()):
        table.add_row(source, str(n), str(report.new_by_source[source]))
    if report.records_by_source:
        out.print(table)
    outcomes = ", ".join(f"{n} {o}" for o, n in sorted(report.files.items()))
    out.print(
        f"files: {outcomes or 'none found'}; {report.records_written} records read "
        f"({report.records_new} new, the rest already known from other files), "
        f"{report.records_removed} removed, in {report.seconds:.1f}s"
        + (f"; preferences derived in {derive_seconds:.1f}s" if derived else "")
    )
    for path, reason in report.failures[:20]:
        out.print(f"[red]failed[/] {path}: {reason}", markup=True, highlight=False)
    if len(report.failures) > 20:
        out.print(f"... and {len(report.failures) - 20} more failed files (pctx status)")
    return 0


# -- reads ---------------------------------------------------------------------------------


def _read(settings: Settings, coro_fn: Any) -> Any:
    from server.reader import Reader
    from server.search import make_engine

    async def go() -> Any:
        engine = make_engine(settings.index.engine, settings.resolved_data_dir)
        async with Reader(settings.db_path, engine, 1) as reader:
            return await coro_fn(reader)

    return asyncio.run(go())


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """``pctx status``."""
    status = _read(settings, lambda r: r.status())
    out = Console(soft_wrap=True)
    if args.json:
        out.print_json(json.dumps(status))
        return 0
    out.print(f"index: {status['database']}")
    from server.reader import live_lines

    for line in live_lines(status["live"]):
        out.print(line, highlight=False)
    writer = status["live"].get("writer")
    if writer:
        out.print(f"writer: pid {writer['pid']} since {writer['since']}", highlight=False)
    table = Table(show_edge=False)
    for col in ("source", "records", "from", "to", "last indexed"):
        table.add_column(col, justify="right" if col == "records" else "left")
    for name, s in sorted(status["sources"].items()):
        table.add_row(
            name,
            str(s["records"]),
            (s["first"] or "")[:10],
            (s["last"] or "")[:10],
            (s["last_indexed"] or "")[:19],
        )
    if status["sources"]:
        out.print(table)
    else:
        out.print("no records indexed yet: run `pctx index PATH`")
    out.print(
        "files: " + ", ".join(f"{n} {o}" for o, n in status["files"].items()),
        highlight=False,
    )
    for f in status["failed_files"]:
        out.print(f"[red]failed[/] {f['path']}: {f['reason']}", highlight=False)
    for f in status["files_with_issues"]:
        out.print(
            f"[yellow]{f['issues']} bad rows[/] in {f['path']}: {'; '.join(f['sample'][:2])}",
            highlight=False,
        )
    for r in status["ignored_reasons"]:
        out.print(f"ignored ({r['files']} files): {r['reason']}", highlight=False)
    unrecognised = status["files"]["unrecognised"]
    for p in status["unrecognised_files"][:10]:
        out.print(f"unrecognised: {p}", highlight=False)
    if unrecognised > 10:
        out.print(f"... {unrecognised - 10} more unrecognised files (--json lists 20)")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    """``pctx search QUERY``."""
    from connectors.base import KINDS
    from server.dates import DateError, parse_bound
    from server.search import QueryError, SearchQuery

    kinds = _split(args.kind)
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise CommandError(f"unknown kind {bad[0]!r}; kinds: {', '.join(sorted(KINDS))}")
    if not 1 <= args.limit <= 500:
        raise CommandError("--limit must be between 1 and 500")
    try:
        q = SearchQuery(
            text=args.query,
            sources=_split(args.source),
            kinds=kinds,
            since=parse_bound(args.since) if args.since else None,
            until=parse_bound(args.until, end=True) if args.until else None,
            limit=args.limit,
            offset=max(0, args.offset),
            sort=args.sort,
        )
        page = _read(settings, lambda r: r.search(q))
    except (DateError, QueryError) as exc:
        raise CommandError(str(exc)) from None
    out = Console(soft_wrap=True)
    if args.json:
        payload = {
            "total": page.total,
            "results": [
                {
                    "id": h.id,
                    "source": h.source,
                    "kind": h.kind,
                    "timestamp": h.timestamp,
                    "title": h.title,
                    "snippet": h.snippet,
                    "url": h.url,
                    "creator": h.creator,
                }
                for h in page.results
            ],
            "next_offset": page.next_offset,
            "relaxed": page.relaxed,
            "total_exact": page.total_exact,
            "ranked_among": page.ranked_among,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    if not page.total:
        out.print(f"no results for {args.query!r}")
        return 0
    note = " (no record has every word; showing any)" if page.relaxed else ""
    if page.ranked_among:
        note += f" (ranked among the {page.ranked_among} most recently indexed)"
    count = f"{page.total}" if page.total_exact else f"more than {page.total}"
    out.print(f"{count} results{note}", highlight=False)
    for n, h in enumerate(page.results, start=q.offset + 1):
        when = (h.timestamp or "undated")[:10]
        by = f" — {h.creator}" if h.creator else ""
        out.print(
            f"[bold]{n}. {h.title or '(untitled)'}[/]{by}  [dim]{h.source} {h.kind} {when}[/]",
            highlight=False,
        )
        snippet = h.snippet.replace("**", "")
        if snippet and snippet != h.title:
            out.print(f"   {snippet}", highlight=False, markup=False)
        out.print(f"   [dim]id {h.id}[/]", highlight=False)
    return 0


def cmd_profile(args: argparse.Namespace, settings: Settings) -> int:
    """``pctx profile``: the portrait an assistant gets from get_profile_summary."""
    from server.profile import render_summary
    from server.stated import all_stated

    stated = all_stated(settings.resolved_data_dir)
    data = _read(
        settings,
        lambda r: r.profile_summary(people=settings.preferences.people, stated=stated),
    )
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    text, _ = render_summary(data, settings.preferences.summary_tokens)
    Console(soft_wrap=True, highlight=False).print(text, markup=False)
    return 0


def cmd_prefs(args: argparse.Namespace, settings: Settings) -> int:
    """``pctx prefs DOMAIN [--recent]``, ``pctx prefs add "…"``, ``pctx prefs rm ID``,
    ``pctx prefs stated``."""
    from server import stated as stated_mod
    from server.prefs import DOMAINS, normalise_domain

    out = Console(soft_wrap=True, highlight=False)
    data_dir = settings.resolved_data_dir
    words = args.words
    if words[0] == "add":
        if len(words) < 2:
            raise CommandError('say what to remember: pctx prefs add "I\'m vegetarian"')
        try:
            saved = stated_mod.add(
                data_dir,
                " ".join(words[1:]),
                domain=args.domain,
                polarity=args.polarity,
                item=args.item,
            )
        except stated_mod.StatedError as exc:
            raise CommandError(str(exc)) from None
        if args.json:
            print(json.dumps(saved, ensure_ascii=False))
        else:
            what = f" about {saved['item']!r}" if saved["item"] else ""
            out.print(
                f"remembered ({saved['polarity']}{what}) as {saved['id']}: {saved['statement']}"
            )
        return 0
    if words[0] in ("rm", "remove"):
        if len(words) != 2 or not words[1].isdigit():
            raise CommandError("give the id to remove: pctx prefs rm ID (ids: pctx prefs stated)")
        removed = stated_mod.remove(data_dir, int(words[1]))
        if removed is None:
            raise CommandError(f"no stated preference has id {words[1]} (see pctx prefs stated)")
        out.print(f"forgot {removed['id']}: {removed['statement']}")
        return 0
    if words[0] in ("stated", "list"):
        rows = stated_mod.all_stated(data_dir)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return 0
        if not rows:
            out.print('nothing stated yet: pctx prefs add "I don\'t like horror films"')
        for r in rows:
            scope = f", {r['domain']}" if r["domain"] else ""
            out.print(
                f"{r['id']}. {r['statement']} ({r['polarity']}{scope}, by {r['origin']})",
                markup=False,
            )
        return 0
    domain = normalise_domain(words[0])
    if domain is None or len(words) != 1:
        raise CommandError(
            f"unknown domain {words[0]!r}: use one of {', '.join(DOMAINS)}, or add / rm / stated"
        )
    if domain == "people" and not settings.preferences.people:
        raise CommandError("the people domain is off: set [preferences] people = true to use it")
    period = "recent" if args.recent else "all"
    stated = stated_mod.all_stated(data_dir)
    page = _read(
        settings,
        lambda r: r.preferences(
            domain, period=period, limit=args.limit, type=args.type, stated=stated
        ),
    )
    if args.json:
        print(json.dumps(page, ensure_ascii=False, indent=2))
        return 0
    label = "lately" if args.recent else "all time"
    out.print(f"[bold]{domain}[/] ({label}): {page['total']} items")
    for n, item in enumerate(page["items"], start=1):
        srcs = ", ".join(f"{k} {v}" for k, v in item["sources"].items())
        tag = "  [stated]" if item["stated"] else ""
        out.print(
            f"{n:>3}. {item['name']} [dim]({item['type']})[/] {item['score']:.2f}"
            f"  [dim]{srcs}[/]{tag}"
        )
    if page["hidden"]:
        out.print(f"[dim]hidden by stated dislikes: {len(page['hidden'])} items[/]")
    return 0


# -- serve ---------------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """``pctx serve``: the MCP server. Logs go to stderr; stdout is the MCP wire."""
    from server.app import build_server
    from server.http import HTTPRefused, build_http_app, is_loopback

    transport = args.transport or settings.server.transport
    host = args.host or settings.server.host
    port = args.port or settings.server.port
    logging.getLogger().setLevel(settings.server.log_level)
    from server.schema import connect

    connect(settings.db_path).close()  # a newer or unwritable database: one line, now
    mcp = build_server(settings, watch=not args.no_watch)
    if transport == "stdio":
        mcp.run()
        return 0
    try:
        app = build_http_app(mcp, settings, host, port)
    except HTTPRefused as exc:
        raise CommandError(str(exc)) from None
    import uvicorn

    guard = "" if is_loopback(host) else " (bearer token required)"
    print(f"pctx: serving MCP on http://{host}:{port}/mcp{guard}", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level=settings.server.log_level.lower())
    return 0


# -- the user's control: forget, audit, preview, tokens --------------------------------------


def cmd_forget(args: argparse.Namespace, settings: Settings) -> int:
    """``pctx forget``: show what would go; with --yes delete it and leave tombstones."""
    from server.dates import DateError, parse_bound
    from server.forget import Criteria, forget, preview
    from server.search import QueryError, make_engine
    from server.store import Store

    try:
        criteria = Criteria(
            sources=_split(args.source),
            ids=[i.strip() for i in args.id],
            since=parse_bound(args.since) if args.since else None,
            until=parse_bound(args.until, end=True) if args.until else None,
            query=args.query,
        )
    except DateError as exc:
        raise CommandError(str(exc)) from None
    if criteria.empty():
        raise CommandError("say what to forget: --source, --id, --since/--until or --query")
    out = Console(soft_wrap=True, highlight=False)
    with Store(settings.db_path) as store:
        try:
            plan = preview(store, criteria)
        except QueryError as exc:
            raise CommandError(str(exc)) from None
        if not args.yes:
            if args.json:
                print(json.dumps({"would_forget": plan}, ensure_ascii=False, indent=2))
                return 0
            out.print(f"{plan['records']} records would be forgotten:", markup=False)
            for source, n in plan["by_source"].items():
                out.print(f"  {source}: {n}", markup=False)
            for row in plan["sample"]:
                when = (row["timestamp"] or "undated")[:10]
                out.print(f"  e.g. [{row['source']} {when}] {row['title'] or ''}", markup=False)
            out.print("Nothing was deleted. Run again with --yes to forget them.")
            return 0
        err = Console(stderr=True)
        total = plan["records"]
        engine = make_engine(settings.index.engine, settings.resolved_data_dir)
        index_sync = getattr(engine, "sync", None)
        if err.is_terminal and not args.json and total:
            from rich.progress import Progress

            with Progress(console=err, transient=True) as bar:
                task = bar.add_task("forgetting", total=total)
                removed = forget(
                    store,
                    criteria,
                    half_life_days=settings.preferences.half_life_days,
                    reason=args.reason,
                    progress=lambda n: bar.update(task, completed=n),
                    index_sync=index_sync,
                )
        else:
            removed = forget(
                store,
                criteria,
                half_life_days=settings.preferences.half_life_days,
                reason=args.reason,
                index_sync=index_sync,
            )
    if args.json:
        print(json.dumps({"forgotten": removed, "by_source": plan["by_source"]}))
    else:
        out.print(
            f"forgot {removed} records; a re-import of the same exports will not bring them back",
            markup=False,
        )
    return 0


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    """``pctx audit``: what the assistant asked and which records it got."""
    from server.audit import read_audit
    from server.dates import DateError, parse_bound

    try:
        since = parse_bound(args.since).isoformat() if args.since else None
    except DateError as exc:
        raise CommandError(str(exc)) from None
    rows = read_audit(settings.resolved_data_dir, since=since, tool=args.tool, limit=args.limit)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    out = Console(soft_wrap=True, highlight=False)
    if not rows:
        out.print("no tool calls recorded" + (" in that period" if since else ""))
    for row in reversed(rows):
        red = ", ".join(f"{n} {c}" for c, n in row["redactions"].items())
        args_text = json.dumps(row["arguments"], ensure_ascii=False)
        out.print(
            f"{row['at'][:19]} {row['client'] or '?'} {row['tool']} {args_text}"
            f" -> {len(row['record_ids'])} records"
            + (f", redacted {red}" if red else "")
            + (" [error]" if row["is_error"] else ""),
            markup=False,
        )
    return 0


def cmd_preview(args: argparse.Namespace, settings: Settings) -> int:
    """``pctx preview``: what an assistant would see right now."""
    from server.privacy import Policy, Redactor
    from server.profile import render_summary
    from server.reader import Reader
    from server.search import make_engine
    from server.stated import all_stated

    policy = Policy(settings.privacy)
    stated = all_stated(settings.resolved_data_dir)

    async def go() -> dict[str, Any]:
        engine = make_engine(settings.index.engine, settings.resolved_data_dir)
        reader = Reader(settings.db_path, engine, 1, policy=policy)
        async with reader:
            stats = await reader.stats()
            summary = await reader.profile_summary(
                people=settings.preferences.people, stated=stated
            )
        return {"stats": stats, "summary": summary}

    data = asyncio.run(go())
    redactor = Redactor(settings.privacy.redact, settings.privacy.coordinate_decimals)
    text, _ = render_summary(data["summary"], settings.preferences.summary_tokens)
    text = redactor.text(text)
    view = {
        "scopes": policy.describe() or ["everything indexed is visible"],
        "redact": settings.privacy.redact,
        "audit": settings.privacy.audit,
        "visible_records": {s: v["records"] for s, v in data["stats"]["sources"].items()},
        "profile_summary": text,
    }
    if args.json:
        print(json.dumps(view, ensure_ascii=False, indent=2))
        return 0
    out = Console(soft_wrap=True, highlight=False)
    out.print("[bold]What the assistant may see[/]")
    for line in view["scopes"]:
        out.print(f"- {line}", markup=False)
    out.print(f"redacted in every answer: {', '.join(view['redact']) or 'nothing'}")
    out.print(f"audit log: {'on' if view['audit'] else 'off'}")
    out.print("[bold]Visible records[/]")
    for source, n in sorted(view["visible_records"].items()):
        out.print(f"  {source}: {n}", markup=False)
    out.print("[bold]Profile summary, as the assistant gets it[/]")
    out.print(text, markup=False)
    return 0


def cmd_token(args: argparse.Namespace, settings: Settings) -> int:
    """``pctx token create|list|revoke``: bearer tokens for HTTP beyond loopback."""
    from server.audit import create_token, list_tokens, revoke_token

    data_dir = settings.resolved_data_dir
    out = Console(soft_wrap=True, highlight=False)
    if args.action == "create":
        token = create_token(data_dir, args.label)
        print(token)
        print(
            "This token is shown once and stored only as a hash. Give it to your MCP client "
            "as 'Authorization: Bearer <token>'.",
            file=sys.stderr,
        )
        return 0
    if args.action == "list":
        rows = list_tokens(data_dir)
        if args.json:
            print(json.dumps(rows, indent=2))
        elif not rows:
            out.print("no tokens: pctx token create")
        for row in rows if not args.json else []:
            out.print(f"{row['id']}. {row['label'] or '(no label)'} created {row['created_at']}")
        return 0
    if args.id is None:
        raise CommandError("give the token id to revoke (see pctx token list)")
    if not revoke_token(data_dir, args.id):
        raise CommandError(f"no token has id {args.id} (see pctx token list)")
    out.print(f"revoked token {args.id}")
    return 0


# -- live folders --------------------------------------------------------------------------


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    """``pctx watch``: the writer role in the foreground, with live progress."""
    import signal

    from server.live import LiveIndexer

    if not settings.folders:
        raise CommandError("no folders to watch: add one with `pctx folders add PATH`")
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    state = {"waiting_said": False, "last": ""}

    def on_event(kind: str, data: dict[str, Any]) -> None:
        if kind == "waiting" and not state["waiting_said"]:
            holder = data.get("holder") or {}
            err.print(
                f"another pctx process (pid {holder.get('pid', '?')}) is the writer; "
                "waiting to take over (Ctrl-C to stop)"
            )
            state["waiting_said"] = True
        elif kind == "writer":
            folders = ", ".join(str(f.path) for f in settings.folders)
            err.print(f"watching {folders}")
        elif kind == "ingest-start":
            err.print(f"[bold]{data['why']}[/]: indexing {', '.join(data['roots'])}")
        elif kind == "progress":
            line = f"  {data.get('files_seen', 0)} files, {data.get('records_read', 0)} records"
            current = data.get("current")
            if current and line != state["last"]:
                err.print(f"{line} — {current.rsplit('/', 1)[-1]}")
                state["last"] = line
        elif kind == "ingest-done":
            report = data.get("report") or {}
            if data["code"] != 0:
                err.print(f"[red]ingest failed (exit {data['code']})[/]")
            else:
                err.print(
                    f"  done in {data['seconds']}s: {report.get('records_new', 0)} new records, "
                    f"{report.get('records_removed', 0)} removed, "
                    f"{len(report.get('failures', []))} failed files"
                )
        elif kind == "config":
            err.print(f"folders changed: {', '.join(data['folders']) or 'none'}")

    indexer = LiveIndexer(settings, on_event=on_event)
    signal.signal(signal.SIGTERM, lambda *_: indexer.stop())
    try:
        indexer.run_forever()
    except KeyboardInterrupt:
        indexer.stop()
    return 0


def cmd_folders(args: argparse.Namespace, settings: Settings) -> int:
    """``pctx folders list | add PATH | remove PATH``: edit the config file in place."""
    from server.folders import FolderError, add_folder, list_folders, remove_folder

    path = settings.config_path or default_config_path()
    out = Console(soft_wrap=True, highlight=False)
    try:
        if args.action == "list":
            rows = list_folders(path)
            if args.json:
                print(json.dumps({"config": str(path), "folders": rows}, indent=2))
                return 0
            if not rows:
                out.print(f"no folders in {path}: add one with `pctx folders add PATH`")
            for row in rows:
                flag = "" if row["exists"] else "  (not found yet)"
                out.print(f"{row['path']}{flag}")
            return 0
        if args.action == "add":
            added = add_folder(path, args.path, recursive=not args.no_recursive)
            note = "" if Path(added).expanduser().exists() else " (it does not exist yet)"
            out.print(f"watching {added}{note}; config: {path}")
            return 0
        removed = remove_folder(path, args.path)
        out.print(f"no longer watching {removed}; what was indexed from it stays in the index")
        return 0
    except FolderError as exc:
        raise CommandError(str(exc)) from None


# -- clients and health --------------------------------------------------------------------


def cmd_setup(args: argparse.Namespace, settings: Settings) -> int:
    """``pctx setup CLIENT``: add pctx to an MCP client's config (see server.clients)."""
    import os

    from server.clients import SetupError, claude_mcp_add, setup_client

    if args.workspace and args.client != "vscode":
        raise CommandError("--workspace is for vscode only")
    try:
        result = setup_client(
            args.client,
            settings,
            name=args.name,
            config_file=args.config_file,
            workspace=args.workspace,
            force=args.force,
            dry_run=args.dry_run,
            config_given=bool(getattr(args, "config", None) or os.environ.get("PCTX_CONFIG")),
            data_dir_given=bool(getattr(args, "data_dir", None) or os.environ.get("PCTX_DATA_DIR")),
        )
    except SetupError as exc:
        raise CommandError(str(exc)) from None
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    if args.dry_run:
        sys.stdout.write(result.rendered())
        err.print(f"dry run: {result.path} was not written", markup=False)
        return 0
    label = result.client.label
    if not result.changed:
        err.print(f"{label} already starts pctx as {args.name!r} ({result.path})", markup=False)
        return 0
    verb = "replaced" if result.replaced else "added"
    err.print(f"{verb} {args.name!r} in {result.path}", markup=False)
    if result.backup:
        err.print(f"backup of the previous file: {result.backup}", markup=False)
    err.print(f"command: {result.entry['command']} {' '.join(result.entry['args'])}", markup=False)
    err.print(result.client.restart, markup=False)
    if args.client == "claude-code":
        err.print(f"(the same with Claude's CLI: {claude_mcp_add(args.name, result.entry)})")
    return 0


def cmd_doctor(
    args: argparse.Namespace, settings: Settings | None, config_error: str | None = None
) -> int:
    """``pctx doctor [--repair] [--vacuum] [--json]``: exit 1 when a check fails."""
    from server.doctor import render, run_checks

    if args.vacuum and not args.repair:
        print("pctx doctor: --vacuum goes with --repair", file=sys.stderr)
        return 2
    report = run_checks(settings, config_error=config_error, repair=args.repair, vacuum=args.vacuum)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        out = Console(soft_wrap=True, highlight=False)
        for line in render(report):
            out.print(line)
    return 0 if report.ok else 1
