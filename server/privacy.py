"""The user's rules for what the assistant sees: scopes and redaction.

:class:`Policy` turns ``[privacy]`` into SQL conditions that every read query adds (a
hidden scope is invisible to search, record lookup, timeline, preferences and counts),
into the fields to blank per record, and into what ingest must not index at all.
:class:`Redactor` replaces chosen categories (emails, phone numbers, card and IBAN
numbers, street addresses, exact coordinates) in everything that leaves the server, with
placeholders that are stable within one answer (``[email-1]``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from connectors.base import Record
from server.config import PrivacySettings, ScopeRule

FTS_COLUMNS = ("title", "text", "creator", "tags")


def _ms(day: Any) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def _source_matches(pattern: str, source: str) -> bool:
    return pattern == "*" or source == pattern or source.startswith(pattern + ".")


def rule_matches(rule: ScopeRule, source: str, kind: str) -> bool:
    """True when the rule's scope (source and kind) covers this record."""
    return _source_matches(rule.source, source) and (rule.kind is None or rule.kind == kind)


class Policy:
    """Visibility rules from the config, as SQL and as Python checks."""

    def __init__(self, settings: PrivacySettings) -> None:
        self.settings = settings
        self.rules = list(settings.rules)
        self._patterns = {
            i: re.compile(r.exclude_pattern, re.I)
            for i, r in enumerate(self.rules)
            if r.exclude_pattern
        }

    @property
    def restricts(self) -> bool:
        """True when anything is hidden (the cached counts must then be recomputed)."""
        return bool(self.rules) or not self.settings.third_party

    # -- SQL ------------------------------------------------------------------------------

    def _scope_sql(self, rule: ScopeRule, alias: str) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        if rule.source != "*":
            parts.append(f"({alias}.source = ? OR {alias}.source LIKE ?)")
            params += [rule.source, rule.source + ".%"]
        if rule.kind is not None:
            parts.append(f"{alias}.kind = ?")
            params.append(rule.kind)
        return (" AND ".join(parts) or "1"), params

    def visible_sql(self, alias: str = "r") -> tuple[str, list[Any]]:
        """``AND ...`` conditions keeping only records the assistant may see."""
        conds: list[str] = []
        params: list[Any] = []
        if not self.settings.third_party:
            conds.append(f"{alias}.third_party = 0")
        for i, rule in enumerate(self.rules):
            scope, sp = self._scope_sql(rule, alias)
            if not rule.serve or not rule.index:
                conds.append(f"NOT ({scope})")
                params += sp
                continue
            for sender in rule.exclude_senders:
                needle = f"%{sender.lower()}%"
                conds.append(
                    f"NOT ({scope} AND (lower(coalesce({alias}.creator, '')) LIKE ?"
                    f" OR lower(coalesce({alias}.extra, '')) LIKE ?))"
                )
                params += [*sp, needle, needle]
            if rule.exclude_since or rule.exclude_until:
                lo = _ms(rule.exclude_since) if rule.exclude_since else -(2**62)
                hi = _ms(rule.exclude_until) if rule.exclude_until else 2**62
                conds.append(
                    f"NOT ({scope} AND {alias}.ts IS NOT NULL"
                    f" AND {alias}.ts >= ? AND {alias}.ts < ?)"
                )
                params += [*sp, lo, hi]
            if i in self._patterns:
                conds.append(
                    f"NOT ({scope} AND pctx_match({i}, coalesce({alias}.title, '') || ' ' ||"
                    f" coalesce({alias}.text, '')))"
                )
                params += sp
        return "".join(f" AND {c}" for c in conds), params

    def search_sql(self, match: str, alias: str = "r") -> tuple[str, list[Any]]:
        """Extra conditions for a full-text query: where a rule hides some fields, a
        record of its scope only matches on the fields that are still shown."""
        conds: list[str] = []
        params: list[Any] = []
        for rule in self.rules:
            hidden = set(rule.exclude_fields) & set(FTS_COLUMNS)
            if not hidden or not rule.serve:
                continue
            shown = [c for c in FTS_COLUMNS if c not in hidden]
            scope, sp = self._scope_sql(rule, alias)
            if not shown:
                conds.append(f"NOT ({scope})")
                params += sp
                continue
            conds.append(
                f"(NOT ({scope}) OR {alias}.rowid IN (SELECT rowid FROM records_fts"
                " WHERE records_fts MATCH ?))"
            )
            params += [*sp, "{" + " ".join(shown) + "} : (" + match + ")"]
        return "".join(f" AND {c}" for c in conds), params

    def sql_functions(self) -> dict[str, tuple[int, Callable[..., Any]]]:
        """SQL functions the conditions use (register them on every connection)."""
        patterns = self._patterns

        def pctx_match(index: int, text: str) -> int:
            pattern = patterns.get(int(index))
            return 1 if pattern is not None and pattern.search(text or "") else 0

        return {"pctx_match": (2, pctx_match)}

    # -- Python -----------------------------------------------------------------------------

    def hidden_fields(self, source: str, kind: str) -> set[str]:
        """Fields to blank for a record of this source and kind."""
        fields: set[str] = set()
        for rule in self.rules:
            if rule_matches(rule, source, kind):
                fields.update(rule.exclude_fields)
        return fields

    def source_visible(self, source: str) -> bool:
        """False when every kind of this source is hidden."""
        return not any(
            rule.kind is None
            and (not rule.serve or not rule.index)
            and _source_matches(rule.source, source)
            for rule in self.rules
        )

    def indexable(self, record: Record) -> bool:
        """False for records the user does not want indexed at all."""
        return not any(
            not rule.index and rule_matches(rule, record.source, record.kind) for rule in self.rules
        )

    def describe(self) -> list[str]:
        """The rules in words (``pctx preview``)."""
        out = []
        if not self.settings.third_party:
            out.append("other people's messages and contacts are withheld")
        for rule in self.rules:
            scope = rule.source if rule.source != "*" else "every source"
            if rule.kind:
                scope += f" ({rule.kind})"
            if not rule.index:
                out.append(f"{scope}: not indexed")
            elif not rule.serve:
                out.append(f"{scope}: indexed, never shown")
            if rule.exclude_fields:
                out.append(f"{scope}: fields hidden: {', '.join(rule.exclude_fields)}")
            if rule.exclude_senders:
                out.append(f"{scope}: senders hidden: {', '.join(rule.exclude_senders)}")
            if rule.exclude_since or rule.exclude_until:
                out.append(
                    f"{scope}: hidden from {rule.exclude_since or 'the start'}"
                    f" to {rule.exclude_until or 'now'}"
                )
            if rule.exclude_pattern:
                out.append(f"{scope}: records matching /{rule.exclude_pattern}/ hidden")
        return out


# -- redaction ------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?![\w-])")
_PHONE = re.compile(r"(?<![\w+])(?:\+|\()?\d[\d\s().-]{6,18}\d(?![\w])")
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")
_STREET_WORDS = (
    r"street|st\.?|avenue|ave\.?|road|rd\.?|lane|ln\.?|drive|dr\.?|boulevard|blvd\.?|way|"
    r"place|pl\.?|court|ct\.?|square|sq\.?|terrace|rua|avenida|travessa|largo|praça|calle|"
    r"carrer|via|viale|rue|allée|straße|strasse|str\.|weg|gasse|platz|laan|straat"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,5}}[a-zA-Z]?,?\s+(?:[A-ZÀ-Ý][\w'.-]*\s+){{0,4}}(?:{_STREET_WORDS})\b"
    rf"|\b(?:{_STREET_WORDS})\s+(?:[A-ZÀ-Ýa-zà-ÿ][\w'.-]*\s+){{0,4}}\d{{1,5}}[a-zA-Z]?\b",
    re.I,
)
_COORD = re.compile(r"(?<![\d.])(-?\d{1,3}\.\d{3,})(°?\s*,\s*)(-?\d{1,3}\.\d{3,})°?")
#: Structured keys never redacted (ids, names of sources, timestamps).
SAFE_KEYS = frozenset(
    {"id", "source", "kind", "timestamp", "time", "first_seen", "last_seen", "evidence",
     "key", "type", "domain", "period", "date", "created_at", "stated_id", "next_offset"}
)  # fmt: skip


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _iban_ok(value: str) -> bool:
    compact = value.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return int(digits) % 97 == 1


class Redactor:
    """Replaces chosen categories in one answer; the same value gets the same
    placeholder everywhere in that answer."""

    def __init__(self, categories: list[str], coordinate_decimals: int = 2) -> None:
        self.categories = set(categories)
        self.decimals = coordinate_decimals
        self.counts: Counter[str] = Counter()
        self._seen: dict[tuple[str, str], str] = {}

    def _placeholder(self, category: str, value: str) -> str:
        key = (category, value.lower())
        if key not in self._seen:
            n = sum(1 for c, _ in self._seen if c == category) + 1
            self._seen[key] = f"[{category}-{n}]"
        self.counts[category] += 1
        return self._seen[key]

    def text(self, value: str) -> str:
        """Redact one string."""
        if not self.categories or not value:
            return value
        out = value
        if "iban" in self.categories:
            out = _IBAN.sub(
                lambda m: (
                    self._placeholder("iban", m.group()) if _iban_ok(m.group()) else m.group()
                ),
                out,
            )
        if "card" in self.categories:

            def card(m: re.Match[str]) -> str:
                digits = re.sub(r"\D", "", m.group())
                if 13 <= len(digits) <= 19 and _luhn(digits):
                    return self._placeholder("card", digits)
                return m.group()

            out = _CARD.sub(card, out)
        if "email" in self.categories:
            out = _EMAIL.sub(lambda m: self._placeholder("email", m.group()), out)
        if "coordinates" in self.categories:

            def coord(m: re.Match[str]) -> str:
                lat = round(float(m.group(1)), self.decimals)
                lng = round(float(m.group(3)), self.decimals)
                self.counts["coordinates"] += 1
                return f"{lat:.{self.decimals}f}{m.group(2)}{lng:.{self.decimals}f}"

            out = _COORD.sub(coord, out)
        if "phone" in self.categories:

            def phone(m: re.Match[str]) -> str:
                raw = m.group()
                digits = re.sub(r"\D", "", raw)
                separated = raw.startswith("+") or bool(re.search(r"[\s().-]", raw))
                if not 8 <= len(digits) <= 15 or not separated or _looks_like_date(raw):
                    return raw
                return self._placeholder("phone", digits)

            out = _PHONE.sub(phone, out)
        if "address" in self.categories:
            out = _ADDRESS.sub(lambda m: self._placeholder("address", m.group()), out)
        return out

    def value(self, obj: Any, key: str | None = None) -> Any:
        """Redact every string in a JSON-like structure (safe keys kept)."""
        if key in SAFE_KEYS:
            return obj
        if isinstance(obj, str):
            return self.text(obj)
        if isinstance(obj, list):
            return [self.value(v) for v in obj]
        if isinstance(obj, dict):
            return {k: self.value(v, k) for k, v in obj.items()}
        coordinate = key in ("lat", "lng", "latitude", "longitude")
        if isinstance(obj, float) and coordinate and "coordinates" in self.categories:
            self.counts["coordinates"] += 1
            return round(obj, self.decimals)
        return obj


_DATE_LIKE = re.compile(
    r"^\s*\d{4}[-./]\d{1,2}[-./]\d{1,2}|^\s*\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\s*$"
)


def _looks_like_date(text: str) -> bool:
    return bool(_DATE_LIKE.match(text))
