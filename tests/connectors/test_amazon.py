"""Amazon orders: current, Amazon.in, Amazon.de and legacy exports, digital items, returns.

The fixtures under ``tests/fixtures/amazon`` are hand-written from the export spec (no
redistributable real export exists), with made-up people and orders.
"""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.amazon import (
    CONNECTORS,
    AmazonOrdersConnector,
    parse_date,
    parse_money,
    payment_type,
)
from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.discover import iter_files, route

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
AMAZON = FIXTURES / "amazon"
ORDERS = AMAZON / "Your Orders"

connector = AmazonOrdersConnector()


def fixture(path: Path) -> ExportFile:
    return ExportFile.from_path(path, path.relative_to(FIXTURES).as_posix())


def parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    items = list(connector.parse(file))
    records = [i for i in items if isinstance(i, Record)]
    issues = [i for i in items if isinstance(i, ParseIssue)]
    assert len(records) + len(issues) == len(items)
    return records, issues


def retail(folder: str = "Your Orders", n: int = 1) -> ExportFile:
    return fixture(AMAZON / folder / f"Retail.OrderHistory.{n}" / f"Retail.OrderHistory.{n}.csv")


def purchase_id(key: str) -> str:
    return Record.create("amazon", "purchase", key).id


def test_registered() -> None:
    assert [c.name for c in CONNECTORS] == ["amazon"]


# --------------------------------------------------------------------------- retail


def test_current_export() -> None:
    records, issues = parse(retail())
    assert issues == [ParseIssue("row without Order Date", "9")]
    assert len(records) == 8
    assert {r.kind for r in records} == {"purchase"}

    charger = records[1]
    assert charger.source == "amazon"
    assert charger.title == "Anker USB C Charger, 65W PIQ 3.0 Compact Fast Charger"
    assert charger.creator is None  # no brand column in the retail export
    assert charger.timestamp == datetime(2023, 11, 24, 18, 2, 11, tzinfo=UTC)
    assert charger.tz_known is True
    assert charger.numbers == {"price": 24.99, "quantity": 1.0, "total": 27.05}
    assert charger.tags == ["amazon.com"]
    assert charger.position == "3"
    assert charger.extra == {
        "order_id": "112-4839201-5583410",
        "marketplace": "amazon.com",
        "currency": "USD",
        "asin": "B0BQ3K9F2L",
        "condition": "New",
        "order_status": "Closed",
        "shipment_status": "Shipped",
        "ship_date": "2023-11-25T09:14:02+00:00",
        "shipping_option": "next-1dc",
        "carrier": "AMZN_US",
        "payment_type": "Visa",
        "unit_tax": 2.06,
        "shipping_charge": 0.0,
        "discounts": 0.0,
    }
    assert charger.id == purchase_id("112-4839201-5583410|B0BQ3K9F2L|0")

    # A multi-item order: one record per line.
    cable = records[2]
    assert cable.extra["order_id"] == charger.extra["order_id"]
    assert cable.numbers == {"price": 9.99, "quantity": 2.0, "total": 21.62}

    # The same ASIN twice in one order: counted in order of appearance.
    first, second = records[3], records[4]
    assert first.title == second.title == "Organic Whole Bean Coffee, Medium Roast, 2 lb"
    assert first.id == purchase_id("113-2207715-9921034|B07D7MFWCV|0")
    assert second.id == purchase_id("113-2207715-9921034|B07D7MFWCV|1")
    assert first.timestamp == datetime(2023, 12, 2, 9, 41, 5, 512000, tzinfo=UTC)
    assert first.extra["payment_type"] == "Gift Certificate/Card and Visa"
    assert second.numbers["price"] == 14.99

    gift = records[5]
    assert gift.extra["gift"] is True

    cancelled = records[6]
    assert cancelled.tags == ["cancelled", "amazon.com"]
    assert cancelled.extra["order_status"] == "Cancelled"
    # "Not Available" placeholders are dropped, not stored.
    for field in ("shipment_status", "ship_date", "payment_type", "carrier", "shipping_option"):
        assert field not in cancelled.extra


def test_personal_data_is_not_kept() -> None:
    records, _ = parse(retail())
    dump = json.dumps([[r.title, r.text, r.creator, r.extra] for r in records])
    for secret in (
        "Sample Street",  # shipping/billing address
        "Other Road",  # gift recipient contact details
        "Happy birthday",  # gift message
        "G0W1234567890ABC",  # item serial number
        "- 1234",  # card digits
        "- 4903",
        "TBA308812345000",  # tracking number
        "Not Applicable",  # purchase order number placeholder
    ):
        assert secret not in dump, secret


def test_same_orders_in_a_later_export_keep_their_ids() -> None:
    old, _ = parse(retail())
    new, issues = parse(retail("Your Orders 2024"))
    assert issues == []
    old_ids = {r.id for r in old}
    new_ids = {r.id for r in new}
    # Rows come in another order in the later export; only the new order is new.
    assert old_ids < new_ids
    assert [r.title for r in new if r.id not in old_ids] == [
        "Pilot G2 Retractable Gel Pens, Fine Point, Black, 4 Count"
    ]
    by_id = {r.id: r for r in new}
    for record in old:
        assert by_id[record.id].numbers == record.numbers


def test_amazon_in_variant() -> None:
    records, issues = parse(retail(n=2))
    assert issues == []
    mixer, infuser = records
    assert mixer.title == "Prestige Iris 750 Watt Mixer Grinder"
    assert mixer.numbers == {"price": 1219.49, "quantity": 1.0, "total": 1430.11}
    assert mixer.extra["discounts"] == -14.39  # "'-14.39'"
    assert mixer.extra["currency"] == "INR"
    assert mixer.extra["ship_date"] == "2022-03-06T04:00:00+00:00"  # from "Shipment Date"
    assert mixer.extra["payment_type"] == "UPI"
    assert mixer.tags == ["amazon.in"]
    assert infuser.numbers["price"] == 299.0


def test_amazon_de_decimal_comma() -> None:
    records, issues = parse(retail(n=3))
    assert issues == []
    book, machine = records
    assert book.title == "Der Richter und sein Henker (detebe)"
    assert book.numbers == {"price": 12.99, "quantity": 1.0, "total": 15.48}
    assert book.extra["shipping_charge"] == 0.42
    assert book.extra["payment_type"] == "Mastercard"
    assert machine.numbers == {"price": 1049.0, "quantity": 1.0, "total": 1049.0}
    assert machine.extra["currency"] == "EUR"


def test_legacy_items_report() -> None:
    records, issues = parse(fixture(AMAZON / "legacy" / "01-Jan-2019_to_31-Jan-2023.csv"))
    assert issues == [ParseIssue("bad Order Date '13/45/19'", "6")]
    book, notebook, pot, hail_mary = records
    assert book.title.startswith("The Pragmatic Programmer")
    assert book.creator == "Amazon.com Services, Inc"  # the legacy Seller column
    assert book.timestamp == datetime(2019, 3, 15, tzinfo=UTC)
    assert book.tz_known is False
    assert book.numbers == {"price": 38.49, "quantity": 1.0, "total": 41.67}
    assert book.extra["category"] == "ABIS_BOOK"
    assert book.extra["ship_date"] == "2019-03-16"
    assert book.extra["currency"] == "USD"
    assert "Jane" not in json.dumps(book.extra)  # buyer name, e-mail, address dropped
    assert notebook.creator == "Pen Palace LLC"
    assert notebook.numbers["price"] == 12.99  # purchase price, not list price
    assert pot.extra["order_status"] == "Shipped"
    # An order present in the legacy report and in the current export: one record.
    current, _ = parse(retail())
    assert hail_mary.id == current[0].id == purchase_id("111-9081234-4471302|0593135202|0")


def test_header_only_variant_of_newer_exports() -> None:
    """Newer "Order History.csv" columns: Total Amount, Original Quantity, Payment Method."""
    data = (
        b"ASIN,Billing Address,Currency,Order Date,Order ID,Order Status,Original Quantity,"
        b"Payment Method Type,Product Name,Ship Date,Shipment Status,Shipping Address,"
        b"Total Amount,Unit Price,Website\n"
        b"B00TEST001,Lee Somewhere,USD,2026-03-30T21:04:32Z,114-1111111-1111111,Closed,3,"
        b'Visa - 9910,"Paper towels, 6 rolls",2026-03-31T08:00:00Z,Shipped,Lee Somewhere,'
        b"20.00,6.00,Amazon.com\n"
    )
    file = ExportFile.from_bytes("Your Amazon Orders/Order History.csv", data)
    assert connector.recognise(file) == 0.9
    (record,), issues = parse(file)
    assert issues == []
    assert record.title == "Paper towels, 6 rolls"
    assert record.numbers == {"price": 6.0, "quantity": 3.0, "total": 20.0}
    assert record.extra["payment_type"] == "Visa"
    assert "Lee" not in json.dumps(record.extra)


# --------------------------------------------------------------------------- digital


def test_digital_items() -> None:
    records, issues = parse(fixture(ORDERS / "Digital-Ordering.1" / "Digital Items.csv"))
    assert issues == [ParseIssue("digital item without an order id", "6")]
    book, unlimited, game, film = records
    assert book.kind == "purchase"
    assert book.title == "Project Hail Mary: A Novel"
    assert book.creator == "Ballantine Books"
    assert book.tags == ["digital", "kindle", "book", "amazon.com"]
    assert book.timestamp == datetime(2023, 11, 20, 21, 10, tzinfo=UTC)
    assert book.numbers == {"price": 14.99, "quantity": 1.0, "total": 15.89}
    assert book.extra["order_id"] == "D01-1234567-1234567"
    assert book.extra["tax"] == 0.9
    assert book.extra["currency"] == "USD"
    assert book.id == purchase_id("digital|D01-1234567-1234567|D01-1234567-1234567-1")
    assert unlimited.tags == ["digital", "subscription", "amazon.com"]
    assert unlimited.creator == "Amazon.com Services LLC"  # publisher is "N/A"
    assert game.tags == ["digital", "amazon.com"]  # nothing says what it is
    assert game.creator == "ustwo games"
    assert film.tags == ["digital", "video", "amazon.com"]
    assert film.numbers["price"] == 0.0
    assert film.timestamp == datetime(2024, 1, 5, tzinfo=UTC)
    assert film.tz_known is False


def test_digital_items_component_layout() -> None:
    """Newer layout: one row per price/tax component, grouped by item id."""
    header = (
        "ASIN,Component Type,Digital Order Item ID,Marketplace,Order Date,Order ID,"
        "Order Status,Payment Information,Product Name,Quantity Ordered,Transaction Amount\n"
    )
    rows = [
        "B00BOOK,Tax,ITEM1,www.amazon.com,2024-12-06T21:10:00Z,D01-1,SUCCESS,Not Applicable,"
        "Hackers: Heroes of the Computer Revolution,1,0",
        "B00BOOK,Price Amount,ITEM1,www.amazon.com,2024-12-06T21:10:00Z,D01-1,SUCCESS,"
        "Not Applicable,Hackers: Heroes of the Computer Revolution,1,29.95",
        "B00BOOK,Price Amount,ITEM1,www.amazon.com,2024-12-06T21:10:00Z,D01-1,SUCCESS,"
        "Not Applicable,Hackers: Heroes of the Computer Revolution,1,-8.99",
        "B00BOOK,Tax,ITEM1,www.amazon.com,2024-12-06T21:10:00Z,D01-1,SUCCESS,Not Applicable,"
        "Hackers: Heroes of the Computer Revolution,1,1.20",
    ]
    file = ExportFile.from_bytes("Digital Items.csv", (header + "\n".join(rows)).encode())
    assert connector.recognise(file) == 1.0
    (record,), issues = parse(file)
    assert issues == []
    assert record.numbers == {"price": 20.96, "quantity": 1.0, "total": 22.16}
    assert record.extra["tax"] == 1.2
    assert record.extra["order_status"] == "SUCCESS"
    assert record.tags == ["digital", "amazon.com"]
    assert record.id == purchase_id("digital|D01-1|ITEM1")


# --------------------------------------------------------------------------- returns


def activity_id(key: str) -> str:
    return Record.create("amazon", "activity", key).id


def test_returns_files() -> None:
    returned, issues = parse(
        fixture(ORDERS / "Retail.OrdersReturned.1" / "Retail.OrdersReturned.1.csv")
    )
    assert issues == [ParseIssue("return without an order id", "3")]
    (refund,) = returned
    assert refund.kind == "activity"
    assert refund.title == "Returned: order 112-4839201-5583410"
    assert refund.tags == ["returned", "amazon.com"]
    assert refund.timestamp == datetime(2023, 12, 7, 16, 45, tzinfo=UTC)
    assert refund.numbers == {"refund": 27.05, "quantity": 1.0}
    assert refund.extra["reason"] == "Item defective or doesn't work"
    assert refund.id == activity_id("return|112-4839201-5583410|")

    customer, issues = parse(
        fixture(ORDERS / "Retail.CustomerReturns.1" / "Retail.CustomerReturns.1.csv")
    )
    assert issues == []
    (item_return,) = customer
    assert item_return.timestamp == datetime(2023, 12, 5, 14, 30, tzinfo=UTC)
    assert item_return.extra == {
        "order_id": "112-4839201-5583410",
        "asin": "B0BQ3K9F2L",
        "reason": "CR-DEFECTIVE",
        "resolution": "Refund",
        "currency": "USD",
    }
    # Joinable with the purchase by order id and ASIN.
    purchases, _ = parse(retail())
    charger = next(r for r in purchases if r.extra.get("asin") == "B0BQ3K9F2L")
    assert charger.extra["order_id"] == item_return.extra["order_id"]
    assert item_return.id == activity_id("return|112-4839201-5583410|B0BQ3K9F2L")


def test_legacy_refunds_report() -> None:
    (refund,), issues = parse(fixture(AMAZON / "legacy" / "refunds_2019.csv"))
    assert issues == []
    assert refund.title == "Returned: Instant Pot Duo 7-in-1 Electric Pressure Cooker, 6 Quart"
    assert refund.timestamp == datetime(2019, 12, 9, tzinfo=UTC)
    assert refund.tz_known is False
    assert refund.numbers == {"refund": 59.0, "quantity": 1.0}
    assert refund.extra["order_date"] == "2019-11-29"
    assert refund.id == activity_id("return|113-9988776-6554433|B00FLYWNYQ")


def test_manage_your_returns_header() -> None:
    data = (
        b"Order ID,Product Name,Return Requested Date,Return Reason Code,Return Status\n"
        b"113-5555555-5555555,Desk Lamp,2024-02-01T10:00:00Z,AMZ-PG-MISORDERED,Closed\n"
    )
    file = ExportFile.from_bytes(
        "Retail.Orders.ManageYourReturns.1/Retail.Orders.ManageYourReturns.1.csv", data
    )
    assert connector.recognise(file) == 1.0
    (record,), _ = parse(file)
    assert record.title == "Returned: Desk Lamp"
    assert record.extra["reason"] == "AMZ-PG-MISORDERED"
    assert record.id == activity_id("return|113-5555555-5555555|desk lamp")


# --------------------------------------------------------------------------- broken files


def test_header_lost_fails_with_reason() -> None:
    file = fixture(AMAZON / "broken" / "Retail.OrderHistory.1" / "Retail.OrderHistory.1.csv")
    assert connector.recognise(file) == 0.7  # by name only
    with pytest.raises(ParseError, match=r"missing CSV column\(s\): Order ID, Order Date"):
        list(connector.parse(file))


def test_empty_file_fails() -> None:
    with pytest.raises(ParseError, match="empty CSV"):
        list(connector.parse(ExportFile.from_bytes("Retail.OrderHistory.1.csv", b"")))


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("$12.99", False, 12.99),
        ("1,219.49", False, 1219.49),
        ("'-14.39'", False, -14.39),
        ("12,99 €", True, 12.99),
        ("12,99 €", False, 12.99),  # two decimals after a lone comma
        ("1.049,00 €", True, 1049.0),
        ("1,219", False, 1219.0),
        ("1,219", True, 1.219),
        ("1.219", True, 1219.0),
        ("1.219", False, 1.219),
        ("-$5.00", False, -5.0),
        ("(3.50)", False, -3.5),
        ("€ 1 234,56", True, 1234.56),
        ("Not Available", False, None),
        ("N/A", False, None),
        ("abc", False, None),
    ],
)
def test_parse_money(text: str, decimal_comma: bool, expected: float | None) -> None:
    assert parse_money(text, decimal_comma=decimal_comma) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Visa - 1234", "Visa"),
        ("Visa ending in 1234", "Visa"),
        ("MasterCard ****1234", "MasterCard"),
        ("Gift Certificate/Card and Visa - 4903", "Gift Certificate/Card and Visa"),
        ("Visa - 1234, Mastercard - 9876", "Visa, Mastercard"),
        ("1234567812345678", None),
        ("Not Available", None),
    ],
)
def test_payment_type(text: str, expected: str | None) -> None:
    assert payment_type(text) == expected


def test_parse_date() -> None:
    assert parse_date("2025-08-04T20:39:52Z") == (
        datetime(2025, 8, 4, 20, 39, 52, tzinfo=UTC),
        True,
    )
    assert parse_date("01/15/19") == (datetime(2019, 1, 15, tzinfo=UTC), False)
    assert parse_date("Not Available") is None
    with pytest.raises(ValueError):
        parse_date("13/45/19")


# --------------------------------------------------------------------------- recognition


def test_recognition() -> None:
    assert connector.recognise(retail()) == 1.0
    assert connector.recognise(retail(n=2)) == 1.0
    # Renamed: found by its header.
    renamed = ExportFile.from_bytes("downloads/orders (1).csv", retail().peek())
    assert connector.recognise(renamed) == 0.9
    legacy = fixture(AMAZON / "legacy" / "01-Jan-2019_to_31-Jan-2023.csv")
    assert connector.recognise(legacy) == 0.9
    # Another Amazon product's file with a similar header is left alone.
    audible = ExportFile.from_bytes("Audible.PurchaseHistory.csv", retail().peek())
    assert connector.recognise(audible) == 0.0
    assert connector.recognise(ExportFile.from_bytes("notes.csv", b"a,b\n1,2\n")) == 0.0


@pytest.mark.parametrize(
    ("relpath", "reason_start"),
    [
        ("Your Orders/FileDescriptions.csv", "Amazon export file descriptions"),
        ("Your Orders/Retail.CartItems.1/Retail.CartItems.1.csv", "Amazon cart contents"),
        (
            "Your Orders/Digital-Ordering.1/Legacy Payment Information.csv",
            "Amazon payment information: payment data, deliberately not indexed",
        ),
        ("Your Orders/Digital-Ordering.1/Digital Orders.csv", "Amazon digital orders summary"),
        ("Your Orders/Digital-Ordering.1/Digital Orders Monetary.csv", "Amazon digital order"),
        ("Your Orders/Digital-Ordering.1/README.txt", "Amazon export readme"),
        (
            "Your Orders/YourOrders.PhotoOnDelivery/datasets/PhotoOnDelivery.NA/"
            "PhotoOnDelivery.NA.json",
            "Amazon delivery photos",
        ),
        ("legacy/shipments_2019.csv", "Amazon legacy Shipments report"),
    ],
)
def test_known_ignored(relpath: str, reason_start: str) -> None:
    file = fixture(AMAZON / relpath)
    assert connector.recognise(file) == 0.0
    reason = connector.known_ignored(file)
    assert reason is not None and reason.startswith(reason_start)


def test_whole_export_is_accounted_for(tmp_path: Path) -> None:
    archive = tmp_path / "Your Orders.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(ORDERS.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(ORDERS).as_posix())
    outcomes = {}
    for found in iter_files(archive):
        decision = route(found.file, [connector])
        outcomes[found.file.name] = decision.outcome
    assert outcomes == {
        "Digital Items.csv": "parse",
        "Digital Orders Monetary.csv": "ignored",
        "Digital Orders.csv": "ignored",
        "Legacy Payment Information.csv": "ignored",
        "README.txt": "ignored",
        "FileDescriptions.csv": "ignored",
        "Retail.CartItems.1.csv": "ignored",
        "Retail.CustomerReturns.1.csv": "parse",
        "Retail.OrderHistory.1.csv": "parse",
        "Retail.OrderHistory.2.csv": "parse",
        "Retail.OrderHistory.3.csv": "parse",
        "Retail.OrdersReturned.1.csv": "parse",
        "PhotoOnDelivery.NA.json": "ignored",
    }


def test_other_platforms_fixtures_are_not_claimed() -> None:
    checked = 0
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file() or path.is_relative_to(AMAZON):
            continue
        file = fixture(path)
        checked += 1
        assert connector.recognise(file) == 0.0, path
        assert connector.known_ignored(file) is None, path
    assert checked > 20
