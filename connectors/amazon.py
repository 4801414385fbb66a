"""Amazon orders: the "Request My Data" → "Your Orders" export and the legacy order reports.

Files read (CSV, streamed, columns found by name through a small alias table, BOMs
honoured):

* ``Retail.OrderHistory.N/Retail.OrderHistory.N.csv`` — one row per item line (an order
  spans several rows). The current header starts ``Website,Order ID,Order Date,…``; the
  Amazon.in variant says ``Shipment Date`` for ``Ship Date``, lacks ``Item Serial
  Number`` and quotes every field; newer files say ``Total Amount``, ``Original
  Quantity`` and ``Payment Method Type``. Recognised by name, or by header anywhere.
* legacy "Items" order-history reports (amazon.com/gp/b2b/reports, discontinued around
  2023), recognised by header (``Order Date,Order ID,Title,Category,ASIN/ISBN,…``):
  ``MM/DD/YY`` dates and ``$12.99`` money;
* ``Digital-Ordering.N/Digital Items.csv`` (Kindle books, apps, video, music): one row
  per digital item (older layout, ``OurPrice``) or per price/tax component of an item
  (newer layout, ``Component Type`` + ``Transaction Amount``), grouped by item id;
* returns: ``Retail.OrdersReturned.N.csv``, ``Retail.OrdersReturned.Payments.N.csv``,
  ``Retail.CustomerReturns.N[.N].csv``, ``Retail.Orders.ManageYourReturns.N.csv``,
  ``Digital.Orders.Returns.Transaction.N.csv`` and the legacy "Refunds" report. Their
  headers are not verified, so any file of these names with an order-id column is read,
  with aliases for the date, amount, reason and status columns.

Record mapping (source ``amazon``):

* each retail item line → ``purchase``: title = product name, creator = brand or seller
  when a ``Seller``/``Brand`` column exists (only the legacy report has ``Seller``),
  numbers ``price`` (unit price; else shipment item subtotal / quantity, which is only
  right for single-item shipments), ``quantity``, ``total`` (``Total Owed``: the line's
  total with tax and shipping), timestamp = ``Order Date`` (ISO UTC; legacy ``MM/DD/YY``
  → the date at 00:00 with ``tz_known=False``). ``extra``: order_id, marketplace,
  currency (ISO; guessed from the marketplace when there is no column), asin, condition,
  order_status, shipment_status, ship_date, shipping_option, carrier (name only),
  payment_type (card digits removed), category (legacy), tax/shipping/discounts, gift.
  Tags: ``cancelled``, ``returned`` (from the order or shipment status), the marketplace.
* each digital item → ``purchase`` tagged ``digital`` plus a product type when something
  says it: a type column if a future layout has one, else keywords in the title or
  seller (``subscription``, ``audiobook``, ``kindle`` + ``book``, ``video``, ``music``,
  ``app``), else a book publisher's name (``… Books``, ``… Publishing``, ``Verlag``) →
  ``kindle`` + ``book``. These are heuristics: the known layouts have no product-type
  column, so an app or a film with a plain title gets ``digital`` alone. Creator =
  publisher, else seller of record; numbers ``price`` (``OurPrice``, or the sum of the
  price components), ``quantity``, ``total`` (price + tax).
* each return/refund row → ``activity`` tagged ``returned``, key
  ``return|<order id>|<asin, else normalised product name, else "">``. A return cannot
  update the purchase record (it comes from another file): the preferences engine joins
  returns to purchases by ``extra.order_id`` and ``extra.asin``. The same return seen in
  two of the returns files collapses into one record when both give the same ASIN.

Deliberately NOT kept (personal data not needed to understand purchases): ``Shipping
Address``, ``Billing Address``, ``Gift Recipient Contact Details``, gift message and
sender names, ``Item Serial Number``, ``Purchase Order Number``, tracking numbers, card
numbers (``Visa - 1234`` → ``Visa``), and the legacy buyer/e-mail/address columns.

Native key of a purchase: ``<order id>|<asin>|<n>`` (the product name, normalised,
stands in for a missing ASIN), where ``n`` counts the rows with the same order and ASIN
in order of appearance (0, 1, …). No file position is involved, so the same order in
two exports (or in a legacy report and the current export) gets the same ids; the limit
is that if Amazon reorders two identical lines of one order, their ``n`` swap. Digital
items are keyed ``digital|<order id>|<item id>`` (``…|<asin>|<n>`` without an item id).

Money is parsed with a tolerant rule: currency symbols, codes, spaces and stray quotes
or apostrophes (``"'-14.39'"``) are dropped; with both ``,`` and ``.`` the last one is
the decimal separator; a lone ``,`` is decimal on decimal-comma marketplaces
(:data:`DECIMAL_COMMA_MARKETPLACES`: .de, .fr, .it, .es, .nl, .com.be, .pl, .se,
.com.tr, .com.br) or when exactly two digits follow it (``12,99 €``), and a thousands
separator otherwise (``"1,219.49"``, ``1,219``); on decimal-comma marketplaces a ``.``
followed by groups of three digits (``1.219``) is a thousands separator.

Known, not indexed: ``FileDescriptions.csv``, ``Retail.CartItems``, PhotoOnDelivery,
``Digital Orders.csv`` (order summary without item names), ``Digital Orders
Monetary.csv``, ``Legacy Payment Information.csv`` (payment data, deliberately not
indexed), the README files, rentals, concessions and return-accounting datasets, and the
legacy "Shipments" report.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import parse_iso, plausible
from connectors.util import csv_header, iter_csv_rows

SOURCE = "amazon"

#: Marketplaces whose money values may use a decimal comma.
DECIMAL_COMMA_MARKETPLACES = frozenset(
    {
        "amazon.de",
        "amazon.fr",
        "amazon.it",
        "amazon.es",
        "amazon.nl",
        "amazon.com.be",
        "amazon.pl",
        "amazon.se",
        "amazon.com.tr",
        "amazon.com.br",
    }
)

#: Currency of a marketplace, for files without a currency column.
MARKETPLACE_CURRENCY: dict[str, str] = {
    "amazon.com": "USD",
    "amazon.ca": "CAD",
    "amazon.com.mx": "MXN",
    "amazon.com.br": "BRL",
    "amazon.co.uk": "GBP",
    "amazon.de": "EUR",
    "amazon.fr": "EUR",
    "amazon.it": "EUR",
    "amazon.es": "EUR",
    "amazon.nl": "EUR",
    "amazon.com.be": "EUR",
    "amazon.ie": "EUR",
    "amazon.pl": "PLN",
    "amazon.se": "SEK",
    "amazon.com.tr": "TRY",
    "amazon.in": "INR",
    "amazon.co.jp": "JPY",
    "amazon.com.au": "AUD",
    "amazon.sg": "SGD",
    "amazon.ae": "AED",
    "amazon.sa": "SAR",
}

#: Canonical field -> normalised header names (lower case, letters and digits only),
#: first match wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "order_id": ("orderid",),
    "order_date": ("orderdate",),
    "title": ("productname", "title", "itemname"),
    "asin": ("asin", "asinisbn"),
    "website": ("website", "marketplace"),
    "currency": (
        "currency",
        "ourpricecurrencycode",
        "basecurrencycode",
        "returnamountcurrency",
        "currencycode",
    ),
    "unit_price": ("unitprice", "purchasepriceperunit", "ourprice", "listpriceperunit"),
    "unit_tax": ("unitpricetax", "ourpricetax"),
    "subtotal": ("shipmentitemsubtotal", "itemsubtotal"),
    "total": ("totalowed", "totalamount", "itemtotal"),
    "quantity": ("quantity", "originalquantity", "quantityordered"),
    "condition": ("productcondition", "condition"),
    "payment": ("paymentinstrumenttype", "paymentmethodtype"),
    "order_status": ("orderstatus",),
    "shipment_status": ("shipmentstatus",),
    "ship_date": ("shipdate", "shipmentdate"),
    "shipping_option": ("shippingoption",),
    "shipping_charge": ("shippingcharge",),
    "discounts": ("totaldiscounts",),
    "carrier": ("carriernametrackingnumber",),
    "gift_message": ("giftmessage",),
    "category": ("category",),
    "seller": ("brand", "seller"),
    # digital items
    "item_id": ("digitalorderitemid",),
    "publisher": ("publisher",),
    "seller_of_record": ("sellerofrecord",),
    "product_type": (
        "producttype",
        "digitalproducttype",
        "contenttype",
        "productgroup",
        "productline",
    ),
    "component_type": ("componenttype", "monetarycomponenttypecode"),
    "amount": ("transactionamount",),
    "fulfilled_date": ("fulfilleddate",),
    # returns
    "return_date": (
        "dateofreturn",
        "returndate",
        "returnrequesteddate",
        "returncreationdate",
        "refunddate",
        "refundcompletiondate",
        "creationdate",
    ),
    "refund": ("returnamount", "refundamount", "amountrefunded"),
    "reason": ("returnreason", "reversalreason", "refundreason", "returnreasoncode", "reasoncode"),
    "resolution": ("resolution", "returnresolution", "returnstatus", "reversalstatus"),
    "return_quantity": ("returnquantity", "quantity"),
}

PLACEHOLDERS = frozenset(
    {"not available", "not applicable", "n/a", "na", "null", "none available", "-", "--"}
)

_RETAIL_NAME_RE = re.compile(r"^Retail\.OrderHistory\.\d+(?:\.\d+)?\.csv$", re.IGNORECASE)
_DIGITAL_ITEMS_NAME_RE = re.compile(r"^Digital ?Items(?: \(\d+\))?\.csv$", re.IGNORECASE)
_RETURNS_NAME_RE = re.compile(
    r"^(?:Retail\.(?:OrdersReturned(?:\.Payments)?|CustomerReturns|Orders\.ManageYourReturns)"
    r"|Digital\.Orders\.Returns\.Transaction)(?:\.\d+)+\.csv$",
    re.IGNORECASE,
)
#: Names of other Amazon products' datasets, never read as orders here.
_OTHER_PRODUCTS_RE = re.compile(r"^(?:Audible|Kindle|PrimeVideo|Prime\.|Alexa)", re.IGNORECASE)

_NOT_INDEXED = "known, not indexed"
#: Distinctive names of the "Your Orders" export: (pattern on the relpath, reason).
_IGNORED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(^|/)FileDescriptions\.csv$", re.I), "Amazon export file descriptions: no data"),
    (
        re.compile(r"(^|/)Legacy Payment Information\.csv$", re.I),
        "Amazon payment information: payment data, deliberately not indexed",
    ),
    (
        re.compile(r"(^|/)Digital Orders Monetary\.csv$", re.I),
        "Amazon digital order amounts per price/tax component: prices are read from "
        "Digital Items.csv",
    ),
    (
        re.compile(r"(^|/)Retail\.CartItems[^/]*/|(^|/)Retail\.CartItems[.\d]*\.csv$", re.I),
        f"Amazon cart contents (added, not bought): {_NOT_INDEXED}",
    ),
    (
        re.compile(r"(^|/)YourOrders\.PhotoOnDelivery[^/]*/", re.I),
        f"Amazon delivery photos: {_NOT_INDEXED}",
    ),
    (
        re.compile(r"(^|/)Digital\.Orders\.Returns\.Monetary[.\d]*\.csv$", re.I),
        "Amazon digital refund amounts per component: returns are read from "
        "Digital.Orders.Returns.Transaction",
    ),
    (
        re.compile(r"(^|/)Retail\.AmazonRentals[^/]*/", re.I),
        f"Amazon textbook rentals: {_NOT_INDEXED}",
    ),
    (
        re.compile(r"(^|/)Retail\.Orders&Returns\.Concessions[^/]*/", re.I),
        f"Amazon customer-service concessions: {_NOT_INDEXED}",
    ),
    (
        re.compile(r"(^|/)Retail\.Returns\.(?:Receivable|Retrocharge)[^/]*\.csv$", re.I),
        f"Amazon return accounting: {_NOT_INDEXED}",
    ),
    (
        re.compile(r"(^|/)(?:Digital-Ordering|Digital\.Orders\.Returns)[^/]*/README\.txt$", re.I),
        "Amazon export readme: no data",
    ),
)
_DIGITAL_ORDERS_RE = re.compile(r"(^|/)Digital ?Orders\.csv$", re.I)
_DIGITAL_ORDERS_REASON = (
    "Amazon digital orders summary (status, payment, addresses; no item names): items "
    "are read from Digital Items.csv"
)
_LEGACY_SHIPMENTS_START = ("orderdate", "orderid", "paymentinstrumenttype", "website")
_LEGACY_SHIPMENTS_REASON = (
    "Amazon legacy Shipments report: order totals and addresses; items come from the Items report"
)

_NUMBER_JUNK_RE = re.compile(r"[^\d,.\-()]")
_GROUPED_COMMA_RE = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_GROUPED_DOT_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_TWO_DECIMALS_COMMA_RE = re.compile(r"^\d+,\d{2}$")
_US_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_CARD_DIGITS_RE = re.compile(
    r"\s*(?:[-–:]|ending in|ending with|endet mit|\*+|x{2,})?\s*[\dXx*]*\d{2,}\b", re.I
)
_CARRIER_RE = re.compile(r"([^(),]+)\(")
_SPACES_RE = re.compile(r"\s+")


# --------------------------------------------------------------------------- helpers


def _norm_header(name: str) -> str:
    """``Carrier Name & Tracking Number`` -> ``carriernametrackingnumber``."""
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def _norm_text(value: str) -> str:
    """A name for a key: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def clean(value: str | None) -> str | None:
    """A cell's text, or None for empty cells and Amazon's placeholders."""
    if value is None:
        return None
    value = value.strip().lstrip("\ufeff")
    if not value or value.casefold() in PLACEHOLDERS:
        return None
    return value


def parse_money(text: str | None, *, decimal_comma: bool = False) -> float | None:
    """A money or number cell -> float (see the module docstring for the rule); None
    when the cell is empty, a placeholder or holds no digits."""
    value = clean(text)
    if value is None:
        return None
    value = value.strip("'\" ")
    digits = _NUMBER_JUNK_RE.sub("", value)
    negative = "-" in digits or (value.startswith("(") and value.endswith(")"))
    digits = digits.replace("-", "").replace("(", "").replace(")", "")
    if not any(c.isdigit() for c in digits):
        return None
    if "," in digits and "." in digits:
        if digits.rfind(",") > digits.rfind("."):
            digits = digits.replace(".", "").replace(",", ".")
        else:
            digits = digits.replace(",", "")
    elif "," in digits:
        if digits.count(",") == 1 and (decimal_comma or _TWO_DECIMALS_COMMA_RE.match(digits)):
            digits = digits.replace(",", ".")
        elif _GROUPED_COMMA_RE.match(digits) or digits.count(",") > 1:
            digits = digits.replace(",", "")
        else:
            digits = digits.replace(",", ".")
    elif digits.count(".") > 1 or (decimal_comma and _GROUPED_DOT_RE.match(digits)):
        digits = digits.replace(".", "")
    try:
        number = float(digits)
    except ValueError:
        return None
    return -number if negative else number


def parse_date(text: str | None) -> tuple[datetime, bool] | None:
    """An Amazon date cell -> (UTC datetime, tz_known); None when empty.

    ISO timestamps are UTC (a missing zone is read as UTC too, as Amazon documents);
    dates without a time (``2019-01-15``, legacy ``01/15/19``) are 00:00 with
    ``tz_known=False``. Raises ValueError for anything else or an implausible date.
    """
    value = clean(text)
    if value is None:
        return None
    if match := _US_DATE_RE.match(value):
        month, day, year = (int(g) for g in match.groups())
        if year < 100:
            year += 2000 if year < 70 else 1900
        dt = datetime(year, month, day, tzinfo=UTC)
        if not plausible(dt):
            raise ValueError(f"implausible date {value!r}")
        return dt, False
    if len(value) == 10:
        dt = datetime.fromisoformat(value).replace(tzinfo=UTC)
        if not plausible(dt):
            raise ValueError(f"implausible date {value!r}")
        return dt, False
    dt, _ = parse_iso(value)
    return dt, True


def _marketplace(value: str | None) -> str | None:
    """``Amazon.com`` / ``www.amazon.de`` -> ``amazon.com`` / ``amazon.de``."""
    value = clean(value)
    if value is None:
        return None
    value = value.casefold().removeprefix("https://").removeprefix("www.").rstrip("/")
    return value


def payment_type(value: str | None) -> str | None:
    """The payment method without card digits: ``Visa - 1234`` -> ``Visa``."""
    value = clean(value)
    if value is None:
        return None
    value = _CARD_DIGITS_RE.sub("", value)
    value = _SPACES_RE.sub(" ", value).strip(" -–:,;")
    return value or None


def _carrier(value: str | None) -> str | None:
    """``AMZN_US(TBA123…)`` -> ``AMZN_US`` (tracking numbers dropped)."""
    value = clean(value)
    if value is None:
        return None
    names = [n.strip() for n in _CARRIER_RE.findall(value) if n.strip()]
    if names:
        return ", ".join(dict.fromkeys(names))
    return None if any(c.isdigit() for c in value) else value


@dataclass(slots=True)
class Columns:
    """Where each canonical field is in a file's header."""

    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_header(cls, header: list[str]) -> Columns:
        by_norm: dict[str, str] = {}
        for name in header:
            by_norm.setdefault(_norm_header(name), name.strip().lstrip("\ufeff"))
        names = {}
        for canonical, aliases in ALIASES.items():
            for alias in aliases:
                if alias in by_norm:
                    names[canonical] = by_norm[alias]
                    break
        return cls(names)

    def has(self, canonical: str) -> bool:
        return canonical in self.names

    def get(self, row: dict[str, str], canonical: str) -> str | None:
        """The cleaned value of a field in a row (None when absent or a placeholder)."""
        name = self.names.get(canonical)
        return clean(row.get(name)) if name else None


def _header_kind(header: list[str]) -> str | None:
    """What an Amazon CSV is, from its header: ``retail``, ``digital``, ``returns``,
    ``shipments`` (legacy report), or None."""
    cols = {_norm_header(h) for h in header}
    has_title = bool({"productname", "title"} & cols)
    if "digitalorderitemid" in cols and ("orderid" in cols) and has_title:
        return "digital"
    if {"orderid", "orderdate"} <= cols and ({"asin", "asinisbn"} & cols) and has_title:
        if {"refunddate", "refundamount"} & cols:
            return "returns"
        return "retail"
    normed = [_norm_header(h) for h in header]
    if tuple(normed[: len(_LEGACY_SHIPMENTS_START)]) == _LEGACY_SHIPMENTS_START:
        return "shipments"
    return None


def _kind_by_name(name: str) -> str | None:
    if _RETAIL_NAME_RE.match(name):
        return "retail"
    if _DIGITAL_ITEMS_NAME_RE.match(name):
        return "digital"
    if _RETURNS_NAME_RE.match(name):
        return "returns"
    return None


class _RowError(ValueError):
    """A row that cannot become a record; becomes a ParseIssue."""


def _date_or_error(cols: Columns, row: dict[str, str], canonical: str) -> tuple[datetime, bool]:
    raw = cols.get(row, canonical)
    label = cols.names.get(canonical, canonical)
    if raw is None:
        raise _RowError(f"row without {label}")
    try:
        parsed = parse_date(raw)
    except ValueError:
        parsed = None
    if parsed is None:
        raise _RowError(f"bad {label} {raw!r}")
    return parsed


def _optional_date(cols: Columns, row: dict[str, str], canonical: str) -> str | None:
    """An optional date as ISO text (date only when the export gives no time)."""
    try:
        parsed = parse_date(cols.get(row, canonical))
    except ValueError:
        return None
    if parsed is None:
        return None
    dt, with_time = parsed
    return dt.isoformat() if with_time else dt.date().isoformat()


def _status_tags(*statuses: str | None) -> list[str]:
    tags = []
    text = " ".join(s.casefold() for s in statuses if s)
    if "cancel" in text:
        tags.append("cancelled")
    if "return" in text or "refund" in text:
        tags.append("returned")
    return tags


# --------------------------------------------------------------------------- retail


def _retail_record(
    cols: Columns, row: dict[str, str], line: int, counts: dict[tuple[str, str], int]
) -> Record:
    order_id = cols.get(row, "order_id")
    if order_id is None:
        raise _RowError("row without Order ID")
    when, tz_known = _date_or_error(cols, row, "order_date")
    title = cols.get(row, "title")
    asin = cols.get(row, "asin")
    if title is None and asin is None:
        raise _RowError(f"order {order_id}: row without product name or ASIN")
    item_key = asin or f"title:{_norm_text(title or '')}"
    n = counts.get((order_id, item_key), 0)
    counts[(order_id, item_key)] = n + 1

    marketplace = _marketplace(cols.get(row, "website"))
    comma = marketplace in DECIMAL_COMMA_MARKETPLACES

    def money(canonical: str) -> float | None:
        return parse_money(cols.get(row, canonical), decimal_comma=comma)

    quantity = money("quantity")
    price = money("unit_price")
    subtotal = money("subtotal")
    if price is None and subtotal is not None and quantity:
        price = round(subtotal / quantity, 2)
    order_status = cols.get(row, "order_status")
    shipment_status = cols.get(row, "shipment_status")
    currency = cols.get(row, "currency")
    currency = currency.upper() if currency else MARKETPLACE_CURRENCY.get(marketplace or "")
    tags = _status_tags(order_status, shipment_status)
    if marketplace:
        tags.append(marketplace)
    return Record.create(
        SOURCE,
        "purchase",
        f"{order_id}|{item_key}|{n}",
        timestamp=when,
        tz_known=tz_known,
        title=title or f"Amazon item {asin}",
        creator=cols.get(row, "seller"),
        tags=tags,
        numbers={"price": price, "quantity": quantity, "total": money("total")},
        extra={
            "order_id": order_id,
            "marketplace": marketplace,
            "currency": currency,
            "asin": asin,
            "condition": cols.get(row, "condition"),
            "order_status": order_status,
            "shipment_status": shipment_status,
            "ship_date": _optional_date(cols, row, "ship_date"),
            "shipping_option": cols.get(row, "shipping_option"),
            "carrier": _carrier(cols.get(row, "carrier")),
            "payment_type": payment_type(cols.get(row, "payment")),
            "category": cols.get(row, "category"),
            "unit_tax": money("unit_tax"),
            "shipping_charge": money("shipping_charge"),
            "discounts": money("discounts"),
            "gift": True if cols.get(row, "gift_message") else None,
        },
        position=line,
    )


# --------------------------------------------------------------------------- digital

#: (keyword in type/title/seller text, tags), first match wins.
_DIGITAL_TYPES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("subscription", "membership", "unlimited"), ("subscription",)),
    (("audible", "audiobook"), ("audiobook",)),
    (("kindle", "ebook", "e-book", "digital_book", "digital book"), ("kindle", "book")),
    (("prime video", "video", "movie", "tv season", "episode"), ("video",)),
    (("amazon music", "mp3", "music", "album"), ("music",)),
    (("appstore", "mobile_app", "mobile app", "software", "video game"), ("app",)),
)
#: Publisher names that say "book publisher" (Kindle books carry their publisher).
_BOOK_PUBLISHER_RE = re.compile(
    r"publish|\bbooks?\b|\bpress\b|verlag|[ée]ditions?\b|editorial|\bhouse\b", re.IGNORECASE
)


def _digital_tags(
    product_type: str | None, title: str | None, publisher: str | None, seller: str | None
) -> list[str]:
    """Product-type tags of a digital item: from a type column when there is one, else
    from keywords in the title and seller, else from a book-publisher name (heuristics:
    the known layouts of Digital Items.csv have no product-type column)."""
    for text in (product_type, f"{title or ''} {seller or ''}"):
        haystack = (text or "").casefold()
        for keywords, tags in _DIGITAL_TYPES:
            if any(k in haystack for k in keywords):
                return list(tags)
    if product_type:
        return [_SPACES_RE.sub("_", product_type.casefold())]
    if publisher and _BOOK_PUBLISHER_RE.search(publisher):
        return ["kindle", "book"]
    return []


@dataclass(slots=True)
class _DigitalItem:
    """The rows of one digital item (one row, or one per price/tax component)."""

    row: dict[str, str]
    line: int
    price: float | None = None
    tax: float | None = None


def _digital_records(file: ExportFile, cols: Columns) -> Iterator[Record | ParseIssue]:
    items: dict[str, _DigitalItem] = {}
    counts: dict[tuple[str, str], int] = {}
    components = cols.has("component_type") and cols.has("amount")
    for line, row in iter_csv_rows(file):
        order_id = cols.get(row, "order_id")
        if order_id is None:
            yield ParseIssue("digital item without an order id", str(line))
            continue
        item_id = cols.get(row, "item_id")
        if item_id is None:
            asin = cols.get(row, "asin") or _norm_text(cols.get(row, "title") or "")
            n = counts.get((order_id, asin), 0)
            counts[(order_id, asin)] = n + 1
            item_id = f"{asin}|{n}"
        key = f"{order_id}|{item_id}"
        item = items.get(key)
        if item is None:
            item = items[key] = _DigitalItem(row, line)
        if components:
            kind = (cols.get(row, "component_type") or "").casefold()
            amount = parse_money(cols.get(row, "amount"))
            if amount is not None:
                if "tax" in kind:
                    item.tax = (item.tax or 0.0) + amount
                else:
                    item.price = (item.price or 0.0) + amount
    for key, item in items.items():
        try:
            yield _digital_record(cols, item, key, components)
        except _RowError as exc:
            yield ParseIssue(str(exc), str(item.line))


def _digital_record(cols: Columns, item: _DigitalItem, key: str, components: bool) -> Record:
    row = item.row
    when, tz_known = _date_or_error(cols, row, "order_date")
    title = cols.get(row, "title")
    asin = cols.get(row, "asin")
    if title is None and asin is None:
        raise _RowError("digital item without a product name or ASIN")
    marketplace = _marketplace(cols.get(row, "website"))
    comma = marketplace in DECIMAL_COMMA_MARKETPLACES
    price, tax = item.price, item.tax
    if not components:
        price = parse_money(cols.get(row, "unit_price"), decimal_comma=comma)
        tax = parse_money(cols.get(row, "unit_tax"), decimal_comma=comma)
    quantity = parse_money(cols.get(row, "quantity"))
    publisher = cols.get(row, "publisher")
    seller = cols.get(row, "seller_of_record")
    product_type = cols.get(row, "product_type")
    currency = cols.get(row, "currency")
    tags = ["digital", *_digital_tags(product_type, title, publisher, seller)]
    if marketplace:
        tags.append(marketplace)
    total = None if price is None else round(price + (tax or 0.0), 2)
    return Record.create(
        SOURCE,
        "purchase",
        f"digital|{key}",
        timestamp=when,
        tz_known=tz_known,
        title=title or f"Amazon digital item {asin}",
        creator=publisher or seller,
        tags=tags,
        numbers={"price": price, "quantity": quantity, "total": total},
        extra={
            "order_id": cols.get(row, "order_id"),
            "item_id": cols.get(row, "item_id"),
            "asin": asin,
            "marketplace": marketplace,
            "currency": currency.upper() if currency else None,
            "tax": tax,
            "publisher": publisher,
            "seller_of_record": seller,
            "product_type": product_type,
            "order_status": cols.get(row, "order_status"),
            "fulfilled_date": _optional_date(cols, row, "fulfilled_date"),
        },
        position=item.line,
    )


# --------------------------------------------------------------------------- returns


def _return_record(cols: Columns, row: dict[str, str], line: int, digital: bool) -> Record:
    order_id = cols.get(row, "order_id")
    if order_id is None:
        raise _RowError("return without an order id")
    asin = cols.get(row, "asin")
    title = cols.get(row, "title")
    when: datetime | None = None
    tz_known = True
    if cols.has("return_date") and cols.get(row, "return_date") is not None:
        when, tz_known = _date_or_error(cols, row, "return_date")
    marketplace = _marketplace(cols.get(row, "website"))
    comma = marketplace in DECIMAL_COMMA_MARKETPLACES
    currency = cols.get(row, "currency")
    item_key = asin or (_norm_text(title) if title else "")
    tags = ["returned"]
    if digital:
        tags.append("digital")
    if marketplace:
        tags.append(marketplace)
    refund = parse_money(cols.get(row, "refund"), decimal_comma=comma)
    return Record.create(
        SOURCE,
        "activity",
        f"return|{order_id}|{item_key}",
        timestamp=when,
        tz_known=tz_known,
        title=f"Returned: {title}" if title else f"Returned: order {order_id}",
        tags=tags,
        numbers={
            "refund": abs(refund) if refund is not None else None,
            "quantity": parse_money(cols.get(row, "return_quantity")),
        },
        extra={
            "order_id": order_id,
            "asin": asin,
            "product": title,
            "reason": cols.get(row, "reason"),
            "resolution": cols.get(row, "resolution"),
            "currency": currency.upper() if currency else None,
            "marketplace": marketplace,
            "order_date": _optional_date(cols, row, "order_date"),
        },
        position=line,
    )


# --------------------------------------------------------------------------- connector


class AmazonOrdersConnector:
    """Reads Amazon order history (retail, digital, returns) into purchase records."""

    name = SOURCE
    description = (
        "Amazon orders: Retail.OrderHistory.*.csv, Digital Items.csv, returns files of "
        "the 'Your Orders' export, and legacy order-history reports"
    )

    def recognise(self, file: ExportFile) -> float:
        """1.0 for an Amazon file name with a matching header, 0.9 for the header alone
        (a renamed file, a legacy report), 0.7 for the name alone (parse then says what
        is missing)."""
        if file.suffix != ".csv" or _OTHER_PRODUCTS_RE.match(file.name):
            return 0.0
        by_name = _kind_by_name(file.name)
        by_header = _header_kind(csv_header(file))
        if by_name == "returns":
            header = Columns.from_header(csv_header(file))
            return 1.0 if header.has("order_id") else 0.7
        if by_header in ("retail", "digital", "returns"):
            return 1.0 if by_name == by_header else 0.9
        if by_name is not None:
            return 0.7
        return 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """Reasons for the other files of the Amazon "Your Orders" export."""
        for pattern, reason in _IGNORED:
            if pattern.search(file.relpath):
                return reason
        if file.suffix != ".csv":
            return None
        kind = _header_kind(csv_header(file))
        if _DIGITAL_ORDERS_RE.search(file.relpath) and kind != "digital":
            return _DIGITAL_ORDERS_REASON
        if kind == "shipments":
            return _LEGACY_SHIPMENTS_REASON
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream the records of one Amazon CSV; bad rows become issues."""
        header = csv_header(file)
        if not header or not any(header):
            raise ParseError("empty CSV file (no header row)")
        cols = Columns.from_header(header)
        kind = _header_kind(header) or _kind_by_name(file.name)
        if _kind_by_name(file.name) == "returns":
            kind = "returns"
        if kind == "digital":
            self._require(cols, ("order_id", "order_date", "title"))
            yield from _digital_records(file, cols)
            return
        if kind == "returns":
            self._require(cols, ("order_id",))
            digital = file.name.casefold().startswith("digital")
            for line, row in iter_csv_rows(file):
                try:
                    yield _return_record(cols, row, line, digital)
                except _RowError as exc:
                    yield ParseIssue(str(exc), str(line))
            return
        self._require(cols, ("order_id", "order_date"))
        if not (cols.has("title") or cols.has("asin")):
            raise ParseError("missing CSV column(s): Product Name or ASIN")
        counts: dict[tuple[str, str], int] = {}
        for line, row in iter_csv_rows(file):
            try:
                yield _retail_record(cols, row, line, counts)
            except _RowError as exc:
                yield ParseIssue(str(exc), str(line))

    @staticmethod
    def _require(cols: Columns, fields: tuple[str, ...]) -> None:
        labels = {
            "order_id": "Order ID",
            "order_date": "Order Date",
            "title": "Product Name",
        }
        missing = [labels.get(f, f) for f in fields if not cols.has(f)]
        if missing:
            raise ParseError(f"missing CSV column(s): {', '.join(missing)}")


CONNECTORS = [AmazonOrdersConnector()]
