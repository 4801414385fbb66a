"""Google Play Store from Google Takeout (``Google Play Store/*.json``).

The folder and file names stay English in other languages. Each file is a JSON array of
objects with a single wrapper key (shapes **[unverified]** beyond ``Installs.json``,
parsed tolerantly):

* ``Installs.json``: ``{install: {doc: {documentType, title}, firstInstallationTime,
  lastUpdateTime, deviceAttribute{manufacturer, model, deviceDisplayName, carrier}}}``
  -> ``activity`` tagged ``install`` at the first installation.
  Key ``install|<title>|<device>`` (one record per app and device).
* ``Library.json``: ``{libraryDoc: {doc: {documentType, title}, acquisitionTime}}``
  -> ``save`` tagged ``library``. Key ``library|<document type>|<title>``.
* ``Purchase History.json``: ``{purchaseHistory: {doc, purchaseTime, invoicePrice
  ("€0.99", "1,99 €"), paymentMethodTitle, userCountry}}`` -> ``purchase`` with
  ``numbers.price`` and the currency text in ``extra.currency``.
  Key ``purchase|<title>|<purchaseTime>``.
* ``Reviews.json``: ``{review: {document|doc: {documentType, title}, starRating, comment,
  title, reviewTime|publishTime}}`` -> ``review`` with ``rating`` on 0–1.
  Key ``review|<document type>|<title>`` (an edited review keeps its id).

Source ``google.play``. ``Order History.json`` (the same purchases as orders),
``Devices.json``, ``Play Settings.json``, ``Promotion History.json``,
``Redemption History.json`` and ``Subscriptions.json`` are known and not indexed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import parse_iso
from connectors.util import iter_json_items, peek_json_items

NAME = "google.play"
SOURCE = "google.play"
FOLDER = "google play store"

#: File name (lower-case) -> wrapper key of its items.
WRAPPERS: dict[str, str] = {
    "installs.json": "install",
    "library.json": "libraryDoc",
    "purchase history.json": "purchaseHistory",
    "reviews.json": "review",
}
IGNORED: dict[str, str] = {
    "order history.json": "Google Play orders: same purchases as Purchase History, not indexed",
    "devices.json": "Google Play devices: not indexed",
    "play settings.json": "Google Play settings: not indexed",
    "promotion history.json": "Google Play promotions: not indexed",
    "redemption history.json": "Google Play redemptions: not indexed",
    "subscriptions.json": "Google Play subscriptions: not indexed",
}
_NUMBER_RE = re.compile(r"\d[\d.,\s\u00a0\u202f']*")


def _in_play_folder(file: ExportFile) -> bool:
    parts = file.relpath.split("/")
    return len(parts) >= 2 and parts[-2].casefold() == FOLDER


def _wrapper_of(items: list[Any]) -> str | None:
    """The single wrapper key shared by sampled items, when it is a known one."""
    keys = {next(iter(i)) if len(i) == 1 else "" for i in items if isinstance(i, dict)}
    if len(keys) == 1:
        key = keys.pop()
        if key in WRAPPERS.values():
            return key
    return None


def parse_price(text: str) -> tuple[float | None, str | None]:
    """``"€1.99"`` / ``"1,99 €"`` / ``"US$1,234.50"`` -> ``(amount, currency text)``."""
    match = _NUMBER_RE.search(text)
    if not match:
        return None, text.strip() or None
    digits = re.sub(r"[\s\u00a0\u202f']", "", match.group()).rstrip(".,")
    currency = (text[: match.start()] + text[match.end() :]).strip() or None
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif "," in digits:
        decimal = "," if re.search(r",\d{1,2}$", digits) else ""
    else:
        decimal = "." if re.search(r"\.\d{1,2}$", digits) else ""
    thousands = {",", "."} - {decimal}
    for sep in thousands:
        digits = digits.replace(sep, "")
    if decimal == ",":
        digits = digits.replace(",", ".")
    try:
        return float(digits), currency
    except ValueError:
        return None, currency


def _doc(inner: dict[str, Any]) -> tuple[str | None, str | None]:
    """``(title, document type)`` of the item's ``doc`` / ``document``."""
    doc = inner.get("doc") if isinstance(inner.get("doc"), dict) else inner.get("document")
    if not isinstance(doc, dict):
        return None, None
    title = doc.get("title")
    doc_type = doc.get("documentType")
    return (
        title.strip() if isinstance(title, str) and title.strip() else None,
        doc_type if isinstance(doc_type, str) and doc_type else None,
    )


def _time(inner: dict[str, Any], *keys: str) -> tuple[Any, bool, str | None]:
    """``(timestamp, tz_known, error)`` from the first present key."""
    for key in keys:
        raw = inner.get(key)
        if isinstance(raw, str) and raw.strip():
            try:
                timestamp, tz_known = parse_iso(raw)
            except ValueError:
                return None, True, f"invalid {key} {raw!r}"
            return timestamp, tz_known, None
    return None, True, None


def _type_tag(doc_type: str | None) -> list[str]:
    return [doc_type.casefold()] if doc_type else []


def _install(inner: dict[str, Any], index: int) -> Record | ParseIssue:
    title, doc_type = _doc(inner)
    if title is None:
        return ParseIssue("install without an app title", str(index))
    timestamp, tz_known, error = _time(inner, "firstInstallationTime", "lastUpdateTime")
    if error:
        return ParseIssue(f"{title}: {error}", str(index))
    device = inner.get("deviceAttribute") if isinstance(inner.get("deviceAttribute"), dict) else {}
    device_name = device.get("deviceDisplayName") or device.get("model")
    return Record.create(
        SOURCE,
        "activity",
        f"install|{title}|{device_name or ''}",
        timestamp=timestamp,
        tz_known=tz_known,
        title=title,
        tags=["install", *_type_tag(doc_type)],
        extra={
            "document_type": doc_type,
            "device": device_name,
            "manufacturer": device.get("manufacturer"),
            "carrier": device.get("carrier"),
            "last_update": inner.get("lastUpdateTime"),
        },
        position=index,
    )


def _library(inner: dict[str, Any], index: int) -> Record | ParseIssue:
    title, doc_type = _doc(inner)
    if title is None:
        return ParseIssue("library item without a title", str(index))
    timestamp, tz_known, error = _time(inner, "acquisitionTime")
    if error:
        return ParseIssue(f"{title}: {error}", str(index))
    return Record.create(
        SOURCE,
        "save",
        f"library|{doc_type or ''}|{title}",
        timestamp=timestamp,
        tz_known=tz_known,
        title=title,
        tags=["library", *_type_tag(doc_type)],
        extra={"document_type": doc_type},
        position=index,
    )


def _purchase(inner: dict[str, Any], index: int) -> Record | ParseIssue:
    title, doc_type = _doc(inner)
    if title is None:
        return ParseIssue("purchase without a title", str(index))
    timestamp, tz_known, error = _time(inner, "purchaseTime")
    if error:
        return ParseIssue(f"{title}: {error}", str(index))
    raw_price = inner.get("invoicePrice")
    price, currency = parse_price(raw_price) if isinstance(raw_price, str) else (None, None)
    return Record.create(
        SOURCE,
        "purchase",
        f"purchase|{title}|{inner.get('purchaseTime') or ''}",
        timestamp=timestamp,
        tz_known=tz_known,
        title=title,
        tags=_type_tag(doc_type),
        numbers={"price": price},
        extra={
            "document_type": doc_type,
            "currency": currency,
            "invoice_price": raw_price,
            "payment_method": inner.get("paymentMethodTitle"),
            "country": inner.get("userCountry"),
        },
        position=index,
    )


def _review(inner: dict[str, Any], index: int) -> Record | ParseIssue:
    title, doc_type = _doc(inner)
    if title is None:
        return ParseIssue("review without the reviewed item's title", str(index))
    timestamp, tz_known, error = _time(inner, "reviewTime", "publishTime", "lastUpdateTime")
    if error:
        return ParseIssue(f"{title}: {error}", str(index))
    stars = inner.get("starRating")
    numbers = None
    if isinstance(stars, int | float) and not isinstance(stars, bool):
        if not 1 <= stars <= 5:
            return ParseIssue(f"{title}: star rating {stars} out of range", str(index))
        numbers = {"rating": stars / 5, "rating_raw": stars, "rating_max": 5}
    comment = inner.get("comment")
    headline = inner.get("title")
    return Record.create(
        SOURCE,
        "review",
        f"review|{doc_type or ''}|{title}",
        timestamp=timestamp,
        tz_known=tz_known,
        title=title,
        text=comment if isinstance(comment, str) else None,
        tags=_type_tag(doc_type),
        numbers=numbers,
        extra={"document_type": doc_type, "headline": headline},
        position=index,
    )


_HANDLERS: dict[str, Callable[[dict[str, Any], int], Record | ParseIssue]] = {
    "install": _install,
    "libraryDoc": _library,
    "purchaseHistory": _purchase,
    "review": _review,
}


class PlayStoreConnector:
    """Reads Google Play Store installs, library, purchases and reviews from Takeout."""

    name = NAME
    description = "Google Takeout: Google Play Store installs, library, purchases, reviews"

    def _wrapper(self, file: ExportFile) -> tuple[str | None, float]:
        if file.suffix != ".json":
            return None, 0.0
        by_path = WRAPPERS.get(file.name.casefold()) if _in_play_folder(file) else None
        if not file.peek_text().lstrip().startswith("["):
            # A known name with other content: ours, and parse says what is wrong.
            return (by_path, 0.8) if by_path else (None, 0.0)
        by_content = _wrapper_of(peek_json_items(file, limit=5))
        if by_path and by_content == by_path:
            return by_path, 1.0
        if by_path:
            return by_path, 0.9
        return (by_content, 0.6) if by_content else (None, 0.0)

    def recognise(self, file: ExportFile) -> float:
        """1.0 for a known file in ``Google Play Store/`` whose items have the expected
        wrapper key, 0.9 for the name alone with a JSON list (0.8 with other content:
        parse says what is wrong), 0.6 for the wrapper key alone."""
        return self._wrapper(file)[1]

    def known_ignored(self, file: ExportFile) -> str | None:
        """Reasons for the other Play Store files."""
        if not _in_play_folder(file):
            return None
        return IGNORED.get(file.name.casefold(), "Google Play Store file: not indexed")

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream one record per item; bad items become issues."""
        wrapper, _ = self._wrapper(file)
        if wrapper is None or not file.peek_text().lstrip().startswith("["):
            raise ParseError("not a Google Play Store list (expected a JSON array)")
        handler = _HANDLERS[wrapper]
        for index, item in enumerate(iter_json_items(file)):
            inner = item.get(wrapper) if isinstance(item, dict) else None
            if not isinstance(inner, dict):
                yield ParseIssue(f"item without {wrapper!r}: {item!r:.80}", str(index))
                continue
            yield handler(inner, index)


CONNECTORS = [PlayStoreConnector()]
