"""Preferences the user states ("I'm vegetarian", "I don't like horror"): stored in
``user.db``, they outrank derived preferences and can hide derived items."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from server.normalise import fold
from server.prefs import normalise_domain
from server.userdb import connect_user

Polarity = Literal["like", "dislike", "fact"]

_DISLIKE = re.compile(
    r"\b(don'?t|do not|doesn'?t|never|no longer|not (?:into|a fan)|hate|dislike|avoid|"
    r"can'?t stand|ignore|stop (?:recommending|suggesting)|allergic)\b",
    re.I,
)
_LIKE = re.compile(r"\b(like|love|enjoy|prefer|adore|am into|i'?m into|fan of|favou?rite)\b", re.I)
_LEAD = re.compile(
    r"^\s*(?:please\s+)?(?:(?:stop|quit)\s+(?:recommending|suggesting|showing)\s+|"
    r"(?:i\s+|i'?m\s+|i am\s+)?(?:really\s+|do\s+|don'?t\s+|do not\s+|no longer\s+|"
    r"never\s+|always\s+)*(?:like|love|enjoy|prefer|adore|hate|dislike|avoid|watch|listen to|"
    r"read|eat|want|am into|into|a fan of|fan of|can'?t stand)\s+)",
    re.I,
)
_TAIL = re.compile(r"[,.;:!]\s*(?:ignore|so|but|please|and)\b.*$|[.!]+$", re.I)


class StatedError(ValueError):
    """A stated preference cannot be stored as given; the message says why."""


def infer_polarity(statement: str) -> Polarity:
    """``dislike`` for negations and dislikes, ``like`` for likes, else ``fact``."""
    if _DISLIKE.search(statement):
        return "dislike"
    if _LIKE.search(statement):
        return "like"
    return "fact"


def infer_item(statement: str) -> str | None:
    """The thing a like/dislike is about: ``I don't like horror, ignore…`` -> ``horror``."""
    text = _TAIL.sub("", statement.strip())
    text = _LEAD.sub("", text).strip(" '\"")
    for prefix in ("films ", "movies ", "music by ", "books by ", "the music of "):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    return text or None


def _row(row: tuple[Any, ...]) -> dict[str, Any]:
    keys = ("id", "statement", "domain", "polarity", "item", "created_at", "origin")
    return dict(zip(keys, row, strict=True))


def add(
    data_dir: Path,
    statement: str,
    *,
    domain: str | None = None,
    polarity: str | None = None,
    item: str | None = None,
    origin: str = "user",
) -> dict[str, Any]:
    """Store a stated preference; an identical one is returned instead of duplicated."""
    statement = " ".join(statement.split())
    if not statement:
        raise StatedError("the statement is empty: say what the user likes, dislikes or is")
    dom = None
    if domain:
        dom = normalise_domain(domain)
        if dom is None:
            raise StatedError(
                f"unknown domain {domain!r}: use music, video, film, books, shopping, places, "
                "topics or people (or leave it out)"
            )
    pol = polarity or infer_polarity(statement)
    if pol not in ("like", "dislike", "fact"):
        raise StatedError("polarity must be 'like', 'dislike' or 'fact'")
    what = item.strip() if item else (infer_item(statement) if pol != "fact" else None)
    conn = connect_user(data_dir)
    try:
        existing = conn.execute(
            "SELECT id, statement, domain, polarity, item, created_at, origin"
            " FROM stated_preferences WHERE statement = ? AND domain IS ? AND polarity = ?",
            (statement, dom, pol),
        ).fetchone()
        if existing:
            return _row(existing)
        cur = conn.execute(
            "INSERT INTO stated_preferences (statement, domain, polarity, item, created_at,"
            " origin) VALUES (?, ?, ?, ?, ?, ?) RETURNING id, statement, domain, polarity,"
            " item, created_at, origin",
            (statement, dom, pol, what, datetime.now(UTC).isoformat(timespec="seconds"), origin),
        )
        return _row(cur.fetchone())
    finally:
        conn.close()


def remove(data_dir: Path, pref_id: int) -> dict[str, Any] | None:
    """Delete a stated preference; returns it, or None when there is no such id."""
    conn = connect_user(data_dir)
    try:
        row = conn.execute(
            "DELETE FROM stated_preferences WHERE id = ? RETURNING id, statement, domain,"
            " polarity, item, created_at, origin",
            (pref_id,),
        ).fetchone()
        return _row(row) if row else None
    finally:
        conn.close()


def all_stated(data_dir: Path) -> list[dict[str, Any]]:
    """Every stated preference, oldest first."""
    conn = connect_user(data_dir)
    try:
        rows = conn.execute(
            "SELECT id, statement, domain, polarity, item, created_at, origin"
            " FROM stated_preferences ORDER BY id"
        ).fetchall()
        return [_row(r) for r in rows]
    finally:
        conn.close()


def hides(stated: dict[str, Any], domain: str, key: str, name: str) -> bool:
    """True when a stated dislike is about this derived item (same domain or no domain;
    its words all appear in the item's name)."""
    if stated["polarity"] != "dislike" or not stated.get("item"):
        return False
    if stated.get("domain") and stated["domain"] != domain:
        return False
    words = fold(stated["item"]).split()
    haystack = f" {key} {fold(name)} "
    return bool(words) and all(f" {w} " in haystack or f" {w}s " in haystack for w in words)
