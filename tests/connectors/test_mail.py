"""Email: Gmail Takeout mbox (English and German), other mboxes, .eml (connectors/mail.py)."""

from __future__ import annotations

import base64
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors import all_connectors
from connectors import mail as mail_module
from connectors.base import ExportFile, ParseError, ParseIssue, Record, record_id
from connectors.discover import iter_files, route
from connectors.mail import (
    CONNECTORS,
    SETTINGS_REASON,
    MailConnector,
    decode_header_value,
    html_to_text,
    iter_mbox,
    parse_labels,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
POTLUCK_REL = "Takeout/Mail/All mail Including Spam and Trash.mbox"
POTLUCK = FIXTURES / "real/google_takeout/potluck-synthetic" / POTLUCK_REL
GERMAN_REL = "Takeout/Gmail/Alle E-Mails einschließlich Spam-Nachrichten und E.mbox"
GERMAN = FIXTURES / "mail/takeout-de" / GERMAN_REL

MAIL = MailConnector()


def _parse(
    file: ExportFile, connector: MailConnector = MAIL
) -> tuple[list[Record], list[ParseIssue]]:
    out = list(connector.parse(file))
    records = [r for r in out if isinstance(r, Record)]
    issues = [i for i in out if isinstance(i, ParseIssue)]
    assert len(records) + len(issues) == len(out)
    return records, issues


def _msg(
    subject: str,
    *,
    date: str = "Mon, 02 Oct 2023 10:00:00 +0000",
    body: str = "Hello.\n",
    from_line: str = "From someone@example.org Mon Oct 02 10:00:00 +0000 2023",
    extra_headers: str = "",
) -> bytes:
    return (
        f"{from_line}\nDate: {date}\nFrom: Someone <someone@example.org>\n"
        f"To: me@example.org\nSubject: {subject}\nMessage-ID: <{subject.replace(' ', '-')}@x>\n"
        f"{extra_headers}Content-Type: text/plain; charset=utf-8\n\n{body}\n"
    ).encode()


def test_module_exposes_connector() -> None:
    assert [c.name for c in CONNECTORS] == ["mail"]


# ------------------------------------------------------------------ real Takeout fixture


def test_potluck_takeout_mbox() -> None:
    file = ExportFile.from_path(POTLUCK, POTLUCK_REL)
    assert MAIL.recognise(file) == 1.0
    records, issues = _parse(file)
    assert issues == []
    assert [r.title for r in records] == [
        "Violet Glade Rowan",
        "Willow Fennel Walnut",
        "Re: Violet Glade Rowan",
    ]
    assert [r.creator for r in records] == ["Hazel", "Kelp", "Juniper"]
    assert [r.timestamp for r in records] == [
        datetime(2021, 1, 1, 8, 0, tzinfo=UTC),
        datetime(2021, 1, 1, 8, 7, tzinfo=UTC),
        datetime(2021, 1, 1, 8, 14, tzinfo=UTC),
    ]
    assert {r.source for r in records} == {"google.gmail"}
    assert {r.kind for r in records} == {"email"}
    first, sent, reply = records
    assert first.text == (
        "Summit tundra yarrow ridge walnut dune cliff.\n\n"
        "Amber glade willow nutmeg island island willow ember meadow."
    )
    assert first.extra["from"] == "hazel@potluck.test"
    assert first.extra["to"] == ["cedar@potluck.test", "garnet@potluck.test"]
    assert first.extra["labels"] == ["Inbox", "Category Updates"]
    assert first.tags == ["inbox", "category updates"]
    assert first.extra["message_id"] == "synth-7-000000@potluck.test"
    assert first.id == record_id("google.gmail", "synth-7-000000@potluck.test")
    assert first.third_party is True
    # Labelled Sent: written by the account owner.
    assert sent.third_party is False
    assert "message_id" not in sent.extra  # no Message-ID: a hashed fallback key
    # multipart/alternative: the plain part wins over the HTML part.
    assert reply.text == "Hazel fjord cedar kelp valley umber rowan orchard."
    assert reply.extra["in_reply_to"] == "synth-7-000000@potluck.test"
    assert reply.tags == ["inbox", "unread"]


def test_same_messages_in_two_exports_share_ids() -> None:
    data = POTLUCK.read_bytes()
    a, _ = _parse(ExportFile.from_bytes(POTLUCK_REL, data))
    b, _ = _parse(ExportFile.from_bytes("takeout-2024/Takeout/Mail/Inbox.mbox", data))
    assert [r.id for r in a] == [r.id for r in b]
    assert len({r.id for r in a}) == 3


# ------------------------------------------------------------------ German Takeout quirks


@pytest.fixture(scope="module")
def german() -> tuple[list[Record], list[ParseIssue]]:
    return _parse(ExportFile.from_path(GERMAN, GERMAN_REL))


def test_german_takeout_counts(german: tuple[list[Record], list[ParseIssue]]) -> None:
    records, issues = german
    assert [r.position for r in records] == ["0", "1", "2", "3", "5"]
    assert {r.source for r in records} == {"google.gmail"}
    # The draft without any usable date is skipped with a reason, the rest goes on.
    assert len(issues) == 1
    assert issues[0].position == "4"
    assert "no Date header" in issues[0].message
    assert "Entwurf ohne Datum" in issues[0].message


def test_german_rfc2047_headers_and_qp_latin1_body(
    german: tuple[list[Record], list[ParseIssue]],
) -> None:
    msg = german[0][0]
    assert msg.title == "Grüße aus München"
    assert msg.creator == "Jürgen Müller"
    assert msg.timestamp == datetime(2023, 3, 14, 8, 15, 2, tzinfo=UTC)
    assert msg.tz_known is True
    assert msg.text is not None
    assert "die Zugtickets für München sind gebucht" in msg.text
    assert msg.text.endswith("Viele Grüße\nJürgen")
    assert msg.extra["labels"] == ["Posteingang", "Wichtig", "Reise, 2023"]
    assert msg.tags == ["posteingang", "wichtig", "reise, 2023"]
    assert msg.extra["cc"] == ["Weber, Klaus <klaus.weber@example.de>", "lena@example.de"]
    assert msg.extra["thread_id"] == "1760000000000000001"
    assert msg.extra["gmail_id"] == "1760000000000000001"
    assert msg.extra["date"] == "Tue, 14 Mar 2023 09:15:02 +0100"
    assert msg.third_party is True


def test_german_sent_with_attachment_and_mboxrd_quoting(
    german: tuple[list[Record], list[ParseIssue]],
) -> None:
    sent = german[0][1]
    assert sent.title == "Re: Grüße aus München"
    assert sent.third_party is False  # label "Gesendet"
    assert sent.extra["attachments"] == ["Rechnung März.pdf"]
    # ">From the station" was mboxrd-quoted: the quote is undone; the PDF is not indexed.
    assert sent.text == "Danke! Die Rechnung hängt an.\n\nFrom the station we take the S-Bahn."
    assert sent.extra["in_reply_to"] == "CAF7x1=abc@mail.example.de"
    assert sent.extra["thread_id"] == german[0][0].extra["thread_id"]


def test_german_html_only_wrong_charset_date_from_separator(
    german: tuple[list[Record], list[ParseIssue]],
) -> None:
    news = german[0][2]
    assert news.title == "Ihre Reise im Überblick"
    assert news.creator == "Bahn Newsletter"
    # No Date header: the mbox From line's date is used.
    assert news.timestamp == datetime(2023, 3, 16, 6, 0, tzinfo=UTC)
    assert news.extra["date_source"] == "from_line"
    # Declared us-ascii, really UTF-8; script/style/title dropped; rows on their own lines.
    assert news.text == (
        "Ihre Reise & mehr\n\nSparpreis ab 17,90 €\nJetzt buchen: München – Berlin\n\n"
        "Hinfahrt Fr 08:05\nRückfahrt So 18:12"
    )


def test_german_broken_date_falls_back_to_received(
    german: tuple[list[Record], list[ParseIssue]],
) -> None:
    spam = german[0][3]
    # Date unreadable and the From line is the 1970 epoch: the newest Received wins.
    assert spam.timestamp == datetime(2023, 3, 18, 2, 1, 30, tzinfo=UTC)
    assert spam.extra["date_source"] == "received"
    assert spam.extra["date"] == "someday soon"
    assert spam.title == "Gewinner"  # =?x-unknown?B?...?= decoded anyway
    assert spam.text == "Sie haben gewonnen! Grüße"  # nonsense charset: cp1252 fallback
    assert spam.tags == ["spam"]


def test_german_owner_from_delivered_to(german: tuple[list[Record], list[ParseIssue]]) -> None:
    chat = german[0][4]
    # Not labelled Gesendet, but From is the account address seen in Delivered-To.
    assert chat.creator == "anna.beispiel@gmail.com"
    assert chat.third_party is False
    assert chat.tags == ["archiviert", "chat"]
    # "From here on" after a blank line has no time in it: not a message separator.
    assert chat.text == "Hast du morgen Zeit?\n\nFrom here on we walk."


# ------------------------------------------------------------------ other mail files


def test_saved_eml_is_plain_mail() -> None:
    rel = "Downloads/Bestellung unterwegs.eml"
    file = ExportFile.from_path(FIXTURES / "mail/saved/Bestellung unterwegs.eml", rel)
    assert MAIL.recognise(file) == 0.95
    (record,), issues = _parse(file)
    assert issues == []
    assert record.source == "mail"
    assert record.title == "Ihre Bestellung “Wanderschuhe” ist unterwegs"
    assert record.creator == "Shop Example"
    assert record.timestamp == datetime(2023, 10, 2, 14, 3, 9, tzinfo=UTC)
    assert (
        record.text == "Hallo Peter,\n\nIhre Wanderschuhe sind unterwegs – Lieferung am Mittwoch."
    )
    assert "attachments" not in record.extra  # the inline logo has no name
    assert record.id == record_id("mail", "order-88213@shop.example")
    assert record.third_party is True


def test_thunderbird_mbox_without_extension() -> None:
    rel = "Thunderbird/Local Folders/Inbox"
    file = ExportFile.from_path(FIXTURES / "mail/thunderbird/Inbox", rel)
    assert MAIL.recognise(file) == 0.8
    records, issues = _parse(file)
    assert issues == []
    assert [r.title for r in records] == [
        "Minutes of the September meeting",
        "Re: Minutes of the September meeting",
    ]
    assert {r.source for r in records} == {"mail"}
    assert records[0].text == "Attached are the minutes.\nFrom the chair: thanks to all."
    assert records[1].timestamp == datetime(2023, 10, 3, 7, 0, tzinfo=UTC)
    assert records[1].creator == "peter@example.org"


def test_gmail_headers_outside_takeout_are_gmail() -> None:
    data = _msg("Hi", extra_headers="X-Gmail-Labels: Inbox\n")
    (record,), _ = _parse(ExportFile.from_bytes("Downloads/export.mbox", data))
    assert record.source == "google.gmail"
    plain = _msg("Hi")
    (record,), _ = _parse(ExportFile.from_bytes("Downloads/export.mbox", plain))
    assert record.source == "mail"


def test_owner_address_from_path() -> None:
    data = _msg("Note to self").replace(b"someone@example.org>", b"anna@example.org>")
    file = ExportFile.from_bytes("anna@example.org/Mail/Sent.mbox", data)
    (record,), _ = _parse(file)
    assert record.third_party is False


def test_crlf_mbox() -> None:
    data = (_msg("One") + _msg("Two", date="Tue, 03 Oct 2023 10:00:00 +0200")).replace(
        b"\n", b"\r\n"
    )
    records, issues = _parse(ExportFile.from_bytes("x.mbox", data))
    assert issues == []
    assert [r.title for r in records] == ["One", "Two"]
    assert records[1].timestamp == datetime(2023, 10, 3, 8, 0, tzinfo=UTC)
    assert records[0].text == "Hello."


def test_long_lines_read_in_chunks_do_not_split(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("connectors.mail._READ_CHUNK", 8)
    body = "x" * 16 + "From a Mon Oct 02 10:00:00 2023 tail\n\nend\n"
    data = _msg("Chunks", body=body) + _msg("Next")
    records, issues = _parse(ExportFile.from_bytes("x.mbox", data))
    assert issues == []
    assert [r.title for r in records] == ["Chunks", "Next"]
    assert records[0].text == body.strip()


# ------------------------------------------------------------------ bad messages and files


def test_message_without_headers_is_an_issue() -> None:
    data = _msg("Good") + b"From x Mon Oct 02 11:00:00 2023\nno headers at all, just text\n\n"
    data += _msg("Also good")
    records, issues = _parse(ExportFile.from_bytes("x.mbox", data))
    assert [r.title for r in records] == ["Good", "Also good"]
    assert [(i.position, i.message) for i in issues] == [
        ("1", "not an email message: no mail headers found")
    ]


def test_raw_8bit_message_id_is_decoded() -> None:
    data = _msg("Eight").replace(b"Message-ID: <Eight@x>", b"Message-ID: <caf\xe9@x>")
    (record,), issues = _parse(ExportFile.from_bytes("x.mbox", data))
    assert issues == []
    assert record.extra["message_id"] == "café@x"


def test_unexpected_error_in_one_message_is_an_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    real = mail_module._addresses

    def flaky(raw: str | None) -> list[tuple[str, str]]:
        if raw and "bad@" in raw:
            raise RuntimeError("library bug")
        return real(raw)

    monkeypatch.setattr(mail_module, "_addresses", flaky)
    bad = _msg("Bad").replace(b"someone@example.org>", b"bad@example.org>")
    records, issues = _parse(ExportFile.from_bytes("x.mbox", _msg("A") + bad + _msg("B")))
    assert [r.title for r in records] == ["A", "B"]
    assert [(i.position, i.message) for i in issues] == [
        ("1", "unreadable message: RuntimeError: library bug")
    ]


def test_oversized_message_is_an_issue() -> None:
    big = _msg("Big", body="y" * 5000)
    data = _msg("Small") + big + _msg("After")
    records, issues = _parse(ExportFile.from_bytes("x.mbox", data), MailConnector(2000))
    assert [r.title for r in records] == ["Small", "After"]
    assert len(issues) == 1
    assert issues[0].position == "1"
    assert "exceeds the limit of 2000 bytes" in issues[0].message


def test_oversized_eml_fails_the_file() -> None:
    file = ExportFile.from_bytes("big.eml", _msg("Big", body="y" * 5000).split(b"\n", 1)[1])
    with pytest.raises(ParseError, match="exceeds the limit"):
        list(MailConnector(2000).parse(file))


@pytest.mark.parametrize(
    ("relpath", "data", "reason"),
    [
        ("Takeout/Mail/All mail.mbox", b"<!DOCTYPE html><html>Error 404</html>", "not an mbox"),
        ("Takeout/Mail/All mail.mbox", b"PK\x03\x04\x14\x00\x00\x00binary", "not an mbox"),
        ("mail/letter.eml", b"Dear John,\nthis is not a message file.\n", "does not start"),
    ],
)
def test_broken_file_raises_parse_error(relpath: str, data: bytes, reason: str) -> None:
    file = ExportFile.from_bytes(relpath, data)
    assert MAIL.recognise(file) == 0.5  # claimed by name, so the failure is reported
    with pytest.raises(ParseError, match=reason):
        list(MAIL.parse(file))


def test_attachment_bodies_are_dropped_while_streaming() -> None:
    blob = base64.encodebytes(bytes(range(256)) * 4096).decode()  # ~1.4 MB of base64
    mime = (
        "From a@b Mon Oct 02 10:00:00 +0000 2023\nDate: Mon, 02 Oct 2023 10:00:00 +0000\n"
        "From: a@b\nSubject: Photos\nMessage-ID: <p@b>\n"
        'Content-Type: multipart/mixed; boundary="B"\n\n--B\n'
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes("Grüße, see attached.".encode()).decode()
        + '--B\nContent-Type: image/jpeg; name="beach.jpg"\nContent-Transfer-Encoding: base64\n'
        'Content-Disposition: attachment; filename="beach.jpg"\n\n' + blob + "--B--\n"
    ).encode()
    (raw,) = iter_mbox(io.BytesIO(mime))
    assert raw.data is not None
    assert len(raw.data) < 2000 < raw.size
    (record,), _ = _parse(ExportFile.from_bytes("x.mbox", mime))
    assert record.text == "Grüße, see attached."  # a base64 text part is kept
    assert record.extra["attachments"] == ["beach.jpg"]


def test_bare_attachment_message_lists_its_file() -> None:
    data = (
        "From a@b Mon Oct 02 10:00:00 +0000 2023\nDate: Mon, 02 Oct 2023 10:00:00 +0000\n"
        "From: Scanner <scanner@office.example>\nSubject: Scan\nMessage-ID: <scan@b>\n"
        'Content-Type: application/pdf; name="scan.pdf"\nContent-Transfer-Encoding: base64\n'
        'Content-Disposition: attachment; filename="scan.pdf"\n\n'
        + base64.encodebytes(b"%PDF-1.4" * 100).decode()
        + "\n"
    ).encode()
    (record,), issues = _parse(ExportFile.from_bytes("x.mbox", data))
    assert issues == []
    assert record.text is None
    assert record.extra["attachments"] == ["scan.pdf"]


# ------------------------------------------------------------------ helpers


def test_parse_labels_quoted_and_localised() -> None:
    assert parse_labels('Posteingang,"Reise, 2023",Wichtig, Ärger/Steuern') == [
        "Posteingang",
        "Reise, 2023",
        "Wichtig",
        "Ärger/Steuern",
    ]
    assert parse_labels("") == []


def test_decode_header_value_fallbacks() -> None:
    assert decode_header_value("=?utf-8?q?Caf=C3=A9?= =?utf-8?q?_au_lait?=") == "Café au lait"
    assert decode_header_value("=?bogus-charset?q?Caf=E9?=") == "Café"
    assert decode_header_value("plain\r\n folded") == "plain folded"
    assert decode_header_value("raw 8-bit Gr\udcc3\udcbc\udcc3\udc9fe") == "raw 8-bit Grüße"


def test_html_to_text() -> None:
    html = "<style>x{}</style><p>A&nbsp;b</p><ul><li>one</li><li>two</li></ul>c<br>d"
    assert html_to_text(html) == "A b\n\none\ntwo\n\nc\nd"


# ------------------------------------------------------------------ recognition, routing


@pytest.mark.parametrize(
    ("relpath", "data", "score"),
    [
        (GERMAN_REL, GERMAN.read_bytes(), 1.0),
        ("Takeout/Mail/Inbox-Sent.mbox", POTLUCK.read_bytes(), 1.0),
        ("export.mbox", _msg("x").split(b"\n", 1)[1], 0.9),  # headers without a From line
        ("mail/letter.eml", _msg("x").split(b"\n", 1)[1], 0.95),
        ("Thunderbird/Inbox", _msg("x"), 0.8),
        ("odd.mbox", _msg("x", from_line="From MAILER-DAEMON"), 1.0),
        ("notes/mail.txt", _msg("x"), 0.8),
        ("notes/letter.txt", b"From Berlin with love\nDear you,\n", 0.0),
        ("Takeout/Mail/All mail.json", b'{"From": "x"}', 0.0),
        ("chat.txt", b"12/03/2023, 10:00 - Anna: hi\n", 0.0),
    ],
)
def test_recognise(relpath: str, data: bytes, score: float) -> None:
    assert MAIL.recognise(ExportFile.from_bytes(relpath, data)) == score


@pytest.mark.parametrize(
    ("relpath", "reason"),
    [
        ("Takeout/Mail/User Settings/Filters.json", SETTINGS_REASON),
        ("Takeout/Mail/User Settings/Blocked Addresses.json", SETTINGS_REASON),
        ("Takeout/Gmail/Nutzereinstellungen/Blockierte Adressen.json", SETTINGS_REASON),
        ("Takeout/Mail/All mail Including Spam and Trash.mbox", None),
        ("Takeout/Chrome/Settings/x.json", None),
        ("User Settings/x.json", None),
    ],
)
def test_known_ignored(relpath: str, reason: str | None) -> None:
    assert MAIL.known_ignored(ExportFile.from_bytes(relpath, b"{}")) == reason


def test_claims_no_other_platforms_fixture() -> None:
    """Only mbox/eml-shaped fixtures are claimed; everything else is left alone."""
    mine = {"mail/", "real/google_takeout/potluck-synthetic/Takeout/Mail/"}
    for found in iter_files(FIXTURES):
        file = found.file
        decision = route(file, all_connectors())
        ours = decision.connector is not None and decision.connector.name == "mail"
        if any(file.relpath.startswith(prefix) for prefix in mine):
            continue
        assert not ours, f"mail connector claims {file.relpath}"
