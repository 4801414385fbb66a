"""Contacts: Google Takeout vCards per label (English, German) and other vCards."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors import all_connectors
from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.contacts import CONNECTORS, ContactsConnector, parse_line, unescape
from connectors.discover import iter_files, route

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CONTACTS = FIXTURES / "contacts"
TAKEOUT = "takeout/Takeout/Contacts"
ALL = f"{TAKEOUT}/All Contacts/All Contacts.vcf"
MINE = f"{TAKEOUT}/My Contacts/My Contacts.vcf"
STARRED = f"{TAKEOUT}/Starred in Android/Starred in Android.vcf"
GERMAN = "takeout-de/Takeout/Google Kontakte/Alle Kontakte/Alle Kontakte.vcf"

VCF = ContactsConnector()


def fixture(relpath: str) -> ExportFile:
    return ExportFile.from_path(CONTACTS / relpath, relpath)


def _parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    out = list(VCF.parse(file))
    records = [r for r in out if isinstance(r, Record)]
    issues = [i for i in out if isinstance(i, ParseIssue)]
    assert len(records) + len(issues) == len(out)
    return records, issues


def _card(*lines: str) -> str:
    return "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(f"{x}\r\n" for x in lines) + "END:VCARD\r\n"


def test_module_exposes_connector() -> None:
    assert [c.name for c in CONNECTORS] == ["contacts"]


def test_takeout_all_contacts() -> None:
    records, issues = _parse(fixture(ALL))
    assert [r.title for r in records] == [
        "Anna Müller",
        "Bob Builder",
        "Klempner Schmidt",
        "Clara Zweig",
    ]
    assert {r.source for r in records} == {"google.contacts"}
    assert {r.kind for r in records} == {"contact"}
    assert all(r.third_party for r in records)
    assert all(r.creator is None and r.timestamp is None for r in records)
    assert [(i.position, i.message) for i in issues] == [
        ("3", "contact card without a name, organisation, email or phone"),
        ("4", "unreadable card line skipped (no ':' in the line): 'this line has no colon'"),
    ]
    # The card with a bad line still counts, without it.
    assert records[3].extra["emails"] == ["clara@example.net"]
    assert records[2].extra["org"] == "Klempner Schmidt"  # no name: the organisation


def test_takeout_card_details() -> None:
    anna = _parse(fixture(ALL))[0][0]
    assert anna.tags == ["mycontacts", "starred", "familie"]
    assert anna.extra["emails"] == ["anna.mueller@example.org", "anna.mueller@firma.example"]
    assert anna.extra["phones"] == ["+49 170 1234567", "030 1234567"]
    # item1.EMAIL + item1.X-ABLabel; Apple's _$!<Spouse>!$_ wrapper removed.
    assert anna.extra["labels"]["anna.mueller@firma.example"] == "Büro"
    assert anna.extra["labels"]["+49 170 1234567"] == "cell"
    assert anna.extra["related"] == ["Bernd Müller"]
    assert anna.extra["labels"]["Bernd Müller"] == "Spouse"
    assert anna.extra["org"] == "Firma GmbH, Vertrieb"
    assert anna.extra["title"] == "Leiterin Vertrieb, EMEA"  # escaped comma kept
    assert anna.extra["bday"] == "--04-15"
    assert anna.extra["addresses"] == ["Hauptstraße 1, 10115 Berlin, Deutschland"]
    assert anna.extra["urls"] == ["https://anna.example.org/blog"]  # Google's \: undone
    assert anna.extra["photo_url"] == "https://lh3.googleusercontent.com/contacts/AHmX0synthetic"
    # Folded NOTE joined; \n and \, unescaped.
    assert anna.extra["note"] == (
        "Kennengelernt auf der Konferenz 2019\nmag Tee, keinen Kaffee. Sehr nette Person."
    )
    assert anna.text == (
        "Nickname: Anni\n"
        "Organisation: Firma GmbH, Vertrieb\n"
        "Title: Leiterin Vertrieb, EMEA\n"
        "Birthday: --04-15\n"
        "Email (home): anna.mueller@example.org\n"
        "Email (Büro): anna.mueller@firma.example\n"
        "Phone (cell): +49 170 1234567\n"
        "Phone (home): 030 1234567\n"
        "Address (home): Hauptstraße 1, 10115 Berlin, Deutschland\n"
        "Website (Blog): https://anna.example.org/blog\n"
        "Related (Spouse): Bernd Müller\n"
        "Note: Kennengelernt auf der Konferenz 2019\nmag Tee, keinen Kaffee. Sehr nette Person."
    )


def test_same_person_in_every_label_file_is_one_record() -> None:
    anna_ids = set()
    bob_ids = set()
    for relpath in (ALL, MINE, STARRED, GERMAN):
        records, _ = _parse(fixture(relpath))
        anna_ids.update(r.id for r in records if r.title == "Anna Müller")
        bob_ids.update(r.id for r in records if r.title == "Bob Builder")
    assert len(anna_ids) == 1
    assert len(bob_ids) == 1


def test_fallback_key_is_normalised() -> None:
    a = _card("FN:Bob  Builder", "EMAIL:BOB@builder.example", "TEL:+1 (555) 010-9999")
    b = _card("FN:bob builder", "EMAIL:bob@BUILDER.example", "TEL:+1-555-010-9999", "NOTE:x")
    (ra,), _ = _parse(ExportFile.from_bytes("a.vcf", a.encode()))
    (rb,), _ = _parse(ExportFile.from_bytes("b.vcf", b.encode()))
    assert ra.id == rb.id
    c = _card("FN:Bob Builder", "EMAIL:other@builder.example")
    (rc,), _ = _parse(ExportFile.from_bytes("c.vcf", c.encode()))
    assert rc.id != ra.id


def test_vcard_21_quoted_printable_and_inline_photo() -> None:
    records, issues = _parse(fixture("phone/Kontakte.vcf"))
    assert issues == []
    juergen, lena = records
    assert juergen.source == "contacts"
    assert juergen.title == "Jürgen Müller"
    assert juergen.extra["phones"] == ["+49 160 7654321", "089 555 0100"]
    assert juergen.extra["labels"] == {"+49 160 7654321": "cell", "089 555 0100": "work"}
    # QP soft line break joined, ISO-8859-1 charset honoured, CRLF -> newline.
    assert juergen.extra["note"] == "Zweite Zeile ändern\nHaus am See"
    assert "photo_url" not in juergen.extra  # inline JPEG dropped
    assert "9j/4AAQ" not in (juergen.text or "")
    # Raw Latin-1 bytes in a UTF-8 world.
    assert lena.title == "Lena Grün"
    assert lena.extra["emails"] == ["lena@example.de"]


def test_vcard_40() -> None:
    (zoe,), issues = _parse(fixture("icloud/Zoe Zed.vcf"))
    assert issues == []
    assert zoe.title == "Zoë Zed"
    assert zoe.source == "contacts"
    assert zoe.extra["uid"] == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    assert zoe.extra["phones"] == ["+1-555-555-0142"]  # tel: URI
    assert zoe.extra["labels"]["+1-555-555-0142"] == "cell"  # TYPE="voice,cell"
    assert zoe.extra["bday"] == "--04-15"  # --0415
    assert zoe.extra["addresses"] == [
        "100 Waters Edge, 30314 Baytown, LA, United States of America"
    ]
    assert zoe.timestamp == datetime(2023, 1, 5, 10, 15, tzinfo=UTC)  # REV
    assert zoe.tags == ["friends", "book club"]
    assert "photo_url" not in zoe.extra  # data: URI dropped
    # The UID is the key: another card with the same UID is the same record.
    other = _card("UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1", "FN:Zoe Z.")
    (same,), _ = _parse(ExportFile.from_bytes("x.vcf", other.encode()))
    assert same.id == zoe.id


def test_parse_line_and_unescape() -> None:
    prop = parse_line('item2.TEL;TYPE="cell,voice";X-NOTE="a:b;c":+49 1')
    assert (prop.group, prop.name, prop.value) == ("item2", "TEL", "+49 1")
    assert prop.types() == ["cell", "voice"]
    assert prop.params["X-NOTE"] == ["a:b;c"]
    assert unescape(r"a\, b\; c\nd\\e\:f") == "a, b; c\nd\\e:f"
    with pytest.raises(ValueError):
        parse_line("no colon here")


# ------------------------------------------------------------------ broken files


@pytest.mark.parametrize(
    "data", [b"<html><body>Not found</body></html>", b"Name,Email\nAnna,a@x\n"]
)
def test_not_a_vcard_raises_parse_error(data: bytes) -> None:
    file = ExportFile.from_bytes("Takeout/Contacts/All Contacts/All Contacts.vcf", data)
    assert VCF.recognise(file) == 0.5
    with pytest.raises(ParseError, match="not a vCard file"):
        list(VCF.parse(file))


def test_truncated_file_reports_the_open_card() -> None:
    data = (CONTACTS / ALL).read_bytes()
    cut = data[: data.index(b"X-GOOGLE-TALK")]
    records, issues = _parse(ExportFile.from_bytes(ALL, cut))
    assert [r.title for r in records] == ["Anna Müller"]
    assert [(i.position, i.message) for i in issues] == [
        ("1", "card not closed: the file ends inside it (truncated?)")
    ]


def test_oversized_card_is_an_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("connectors.contacts.MAX_CARD_BYTES", 200)
    data = _card("FN:Small") + _card("FN:Big", "NOTE:" + "x" * 300) + _card("FN:After")
    records, issues = _parse(ExportFile.from_bytes("x.vcf", data.encode()))
    assert [r.title for r in records] == ["Small", "After"]
    assert [(i.position, i.message) for i in issues] == [
        ("1", "card larger than 200 bytes: skipped")
    ]


# ------------------------------------------------------------------ recognition, routing


@pytest.mark.parametrize(
    ("relpath", "data", "score"),
    [
        (GERMAN, (CONTACTS / GERMAN).read_bytes(), 1.0),
        ("Downloads/kontakt.vcf", _card("FN:A").encode(), 1.0),
        ("Downloads/contact", _card("FN:A").encode(), 0.8),
        ("Downloads/x.vcf", b"garbage", 0.5),
        ("Downloads/x.txt", b"FN:A", 0.0),
        ("Takeout/Contacts/All Contacts/All Contacts.csv", b"Name,Email\n", 0.0),
        ("cal.ics", b"BEGIN:VCALENDAR\r\n", 0.0),
    ],
)
def test_recognise(relpath: str, data: bytes, score: float) -> None:
    assert VCF.recognise(ExportFile.from_bytes(relpath, data)) == score


def test_known_ignored_is_none() -> None:
    assert VCF.known_ignored(ExportFile.from_bytes("Takeout/Contacts/x.vcf", b"x")) is None


def test_source_outside_takeout() -> None:
    data = (CONTACTS / STARRED).read_bytes()
    (inside,), _ = _parse(ExportFile.from_bytes("takeout-001.zip/Takeout/Contacts/a.vcf", data))
    (outside,), _ = _parse(ExportFile.from_bytes("Phone backup/contacts.vcf", data))
    assert inside.source == "google.contacts"
    assert outside.source == "contacts"


def test_claims_no_other_platforms_fixture() -> None:
    for found in iter_files(FIXTURES):
        file = found.file
        if file.relpath.startswith("contacts/"):
            continue
        decision = route(file, all_connectors())
        ours = decision.connector is not None and decision.connector.name == "contacts"
        assert not ours, f"contacts connector claims {file.relpath}"
