"""Netflix viewing history: ViewingActivity.csv and the NetflixViewingHistory.csv download."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.netflix import CONNECTORS, NetflixConnector, parse_quick_date, split_title

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "netflix"
VIEWING = "netflix-report/CONTENT_INTERACTION/ViewingActivity.csv"
HEADER = (
    "Profile Name,Start Time,Duration,Attributes,Title,Supplemental Video Type,"
    "Device Type,Bookmark,Latest Bookmark,Country"
)

connector = NetflixConnector()


def fixture(relpath: str) -> ExportFile:
    """An export file for a fixture, with its path relative to the fixtures folder."""
    return ExportFile.from_path(FIXTURES / relpath, relpath)


def parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    """Parse ``file`` fully, splitting records from issues."""
    items = list(connector.parse(file))
    records = [i for i in items if isinstance(i, Record)]
    issues = [i for i in items if isinstance(i, ParseIssue)]
    assert len(records) + len(issues) == len(items)
    return records, issues


def test_registered() -> None:
    assert [c.name for c in CONNECTORS] == ["netflix"]


def test_viewing_activity_records() -> None:
    file = fixture(VIEWING)
    assert file.peek().startswith(b"\xef\xbb\xbf")  # the fixture is BOM-prefixed
    records, issues = parse(file)
    assert [r.title for r in records] == [
        "Stranger Things: Stranger Things 4: Chapter One: The Hellfire Club",
        "Stranger Things: Stranger Things 4: Chapter One: The Hellfire Club",
        "The Queen's Gambit: Limited Series: Openings",
        "Avatar: The Last Airbender: Book One: Water: The Boy in the Iceberg",
        "Dune: Part Two",
        "Glass Onion: A Knives Out Mystery",
        "Money Heist: Part 1: Episode 1",
        "Love, Death & Robots: Volume 3: Bad Travelling",
        "Gabby's Dollhouse: Season 8: Cat-Tastic Birthday",
    ]
    # The row with a day-first start time is reported with its line number.
    assert issues == [ParseIssue("unparseable Start Time '29/05/2024 22:30'", "12")]

    first = records[0]
    assert first.source == "netflix"
    assert first.kind == "watch"
    assert first.timestamp == datetime(2023, 3, 4, 21, 14, 9, tzinfo=UTC)
    assert first.tz_known is True
    assert first.creator is None
    assert first.tags == ["netflix", "series"]
    assert first.numbers == {"duration_s": 2832.0, "bookmark_s": 4670.0}
    assert first.position == "2"
    assert first.extra == {
        "profile": "Alex",  # the BOM did not eat the first column name
        "show": "Stranger Things",
        "season": "Stranger Things 4",
        "episode": "Chapter One: The Hellfire Club",
        "device": "Samsung 2019 UHD TV (Tizen)",
        "country": "GB (United Kingdom)",
        "bookmark": "01:17:50",
        "latest_bookmark": "01:17:50",
    }
    # Two sessions of the same episode are two records.
    assert records[1].id != first.id
    assert records[1].extra["latest_bookmark"] == "Not latest view"
    assert records[3].extra["attributes"] == "Autoplayed: user action: Unspecified;"


def test_supplemental_videos_dropped() -> None:
    records, _ = parse(fixture(VIEWING))
    titles = {r.title for r in records}
    assert "Stranger Things 4: Trailer 2" not in titles
    assert "Wednesday: Season 1 (Hook)" not in titles
    assert "Bridgerton: Season 3 (Teaser)" not in titles
    assert "Gabby's Dollhouse: Season 8" not in titles  # CINEMAGRAPH
    assert len(records) == 9  # 14 data rows - 4 supplemental - 1 bad date


def test_profiles_kept() -> None:
    records, _ = parse(fixture(VIEWING))
    counts: dict[str, int] = {}
    for r in records:
        counts[r.extra["profile"]] = counts.get(r.extra["profile"], 0) + 1
    assert counts == {"Alex": 4, "Sam": 4, "Kids": 1}


def test_films_and_series() -> None:
    records, _ = parse(fixture(VIEWING))
    kinds = {r.title: r.tags[1] for r in records}
    assert kinds["Dune: Part Two"] == "film"
    assert kinds["Glass Onion: A Knives Out Mystery"] == "film"
    assert kinds["Money Heist: Part 1: Episode 1"] == "series"
    dune = next(r for r in records if r.title == "Dune: Part Two")
    assert dune.extra["profile"] == "Sam"
    assert "show" not in dune.extra
    assert dune.numbers["duration_s"] == 2 * 3600 + 35 * 60 + 50
    avatar = next(r for r in records if r.title and r.title.startswith("Avatar"))
    assert avatar.extra["show"] == "Avatar: The Last Airbender"
    assert avatar.extra["season"] == "Book One: Water"
    assert avatar.extra["episode"] == "The Boy in the Iceberg"


@pytest.mark.parametrize(
    ("title", "show", "season", "episode"),
    [
        ("The Crown: Season 5: Mou Mou", "The Crown", "Season 5", "Mou Mou"),
        ("Dark: Staffel 1: Geheimnisse", "Dark", "Staffel 1", "Geheimnisse"),
        ("Lupin: Part 2: Chapter 6", "Lupin", "Part 2", "Chapter 6"),
        ("Some Anime: Episode 12", "Some Anime", None, "Episode 12"),
        ("Show: With: Colons: Season 2: Ep: One", "Show: With: Colons", "Season 2", "Ep: One"),
    ],
)
def test_split_title_series(title: str, show: str, season: str | None, episode: str) -> None:
    parts = split_title(title)
    assert (parts.series, parts.show, parts.season, parts.episode) == (
        True,
        show,
        season,
        episode,
    )


@pytest.mark.parametrize(
    "title", ["Dune: Part Two", "Kill Bill: Vol. 1", "Roma", "Glass Onion: A Knives Out Mystery"]
)
def test_split_title_films(title: str) -> None:
    assert split_title(title).series is False


def test_ids_stable_and_keyed_by_profile() -> None:
    text = (FIXTURES / VIEWING).read_text(encoding="utf-8-sig")
    first, _ = parse(fixture(VIEWING))
    again, _ = parse(ExportFile.from_bytes("other/ViewingActivity.csv", text.encode()))
    assert [r.id for r in first] == [r.id for r in again]
    row = "2024-06-01 19:02:33,02:35:50,,Dune: Part Two,,Apple TV 4K (tvOS),,,US"
    two = f"{HEADER}\nSam,{row}\nAlex,{row}\n".encode()
    sam, alex = parse(ExportFile.from_bytes("ViewingActivity.csv", two))[0]
    assert sam.id != alex.id


def test_missing_title_column_raises_parse_error() -> None:
    data = (
        b"Profile Name,Start Time,Duration,Device Type\n"
        b"Alex,2023-03-04 21:14:09,00:47:12,Chrome PC (Cadmium)\n"
    )
    file = ExportFile.from_bytes("ViewingActivity.csv", data)
    assert connector.recognise(file) > 0  # claimed by name, so the error is shown
    with pytest.raises(ParseError, match="Title"):
        list(connector.parse(file))


def test_header_without_supplemental_column() -> None:
    data = b"Profile Name,Start Time,Duration,Title\nAlex,2020-01-02 03:04:05,0:10:00,Roma\n"
    records, issues = parse(ExportFile.from_bytes("ViewingActivity.csv", data))
    assert issues == []
    assert records[0].tags == ["netflix", "film"]
    assert records[0].numbers == {"duration_s": 600.0}


def test_recognise() -> None:
    assert connector.recognise(fixture(VIEWING)) == 0.95
    assert connector.recognise(fixture("quick-us/NetflixViewingHistory.csv")) == 0.95
    renamed = ExportFile.from_bytes(
        "Downloads/netflix_views.csv", (FIXTURES / VIEWING).read_bytes()
    )
    assert connector.recognise(renamed) == 0.8
    assert connector.recognise(ExportFile.from_bytes("x.csv", b"Title,Author\nA,B\n")) == 0.0
    # "Title,Date" alone is too generic without a Netflix-looking path.
    generic = b"Title,Date\nRoma,1/2/19\n"
    assert connector.recognise(ExportFile.from_bytes("books.csv", generic)) == 0.0
    assert connector.recognise(ExportFile.from_bytes("netflix/views.csv", generic)) == 0.5


def test_quick_download_month_first() -> None:
    records, issues = parse(fixture("quick-us/NetflixViewingHistory.csv"))
    assert issues == []
    assert [(r.title, r.timestamp) for r in records] == [
        (
            "Stranger Things: Stranger Things 4: Chapter One: The Hellfire Club",
            datetime(2022, 5, 27, tzinfo=UTC),
        ),
        ("Glass Onion: A Knives Out Mystery", datetime(2023, 1, 2, tzinfo=UTC)),
        ("The Queen's Gambit: Limited Series: Openings", datetime(2020, 11, 8, tzinfo=UTC)),
    ]
    assert all(r.kind == "watch" and r.tz_known is False for r in records)
    assert records[0].tags == ["netflix", "series"]
    assert records[0].extra["show"] == "Stranger Things"
    assert records[1].tags == ["netflix", "film"]
    assert records[1].extra == {"date": "1/2/23"}


def test_quick_download_day_first() -> None:
    records, issues = parse(fixture("quick-gb/NetflixViewingHistory.csv"))
    assert issues == []
    # "14/03/2019" proves day-first, so "03/04/2019" is 3 April and "01/02/2019" 1 Feb.
    assert [(r.title, r.timestamp) for r in records] == [
        ("Dark: Season 1: Secrets", datetime(2019, 4, 3, tzinfo=UTC)),
        ("Dark: Season 1: Lies", datetime(2019, 3, 14, tzinfo=UTC)),
        ("Roma", datetime(2019, 2, 1, tzinfo=UTC)),
    ]
    assert records[2].tags == ["netflix", "film"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Ambiguous en-US shape: month-first by default.
        ("Roma,3/4/19\nOkja,1/2/19\n", [(2019, 3, 4), (2019, 1, 2)]),
        # Ambiguous en-GB shape (zero-padded, four-digit year): day-first.
        ("Roma,03/04/2019\nOkja,01/02/2019\n", [(2019, 4, 3), (2019, 2, 1)]),
        # A second field above 12 proves month-first even in the padded shape.
        ("Roma,03/04/2019\nOkja,01/22/2019\n", [(2019, 3, 4), (2019, 1, 22)]),
        # Dotted dates are always day-first; ISO dates are year-first.
        ("Roma,3.4.19\nOkja,2019-01-22\n", [(2019, 4, 3), (2019, 1, 22)]),
    ],
)
def test_quick_download_date_order(rows: str, expected: list[tuple[int, int, int]]) -> None:
    data = ("\ufeffTitle,Date\n" + rows).encode()
    records, issues = parse(ExportFile.from_bytes("NetflixViewingHistory.csv", data))
    assert issues == []
    assert [r.timestamp for r in records] == [datetime(*d, tzinfo=UTC) for d in expected]


def test_quick_download_bad_date_is_an_issue() -> None:
    data = b"Title,Date\nRoma,14/03/2019\nOkja,someday\nDark,30/02/2019\nMank,01/12/2020\n"
    records, issues = parse(ExportFile.from_bytes("NetflixViewingHistory.csv", data))
    assert [r.title for r in records] == ["Roma", "Mank"]
    assert records[1].timestamp == datetime(2020, 12, 1, tzinfo=UTC)
    assert [(i.position, i.message) for i in issues] == [
        ("3", "unparseable Date 'someday'"),
        ("4", "unparseable Date '30/02/2019'"),
    ]


def test_quick_download_missing_column() -> None:
    file = ExportFile.from_bytes("NetflixViewingHistory.csv", b"Date\n1/2/19\n")
    with pytest.raises(ParseError, match="Title"):
        list(connector.parse(file))


def test_parse_quick_date_two_digit_year() -> None:
    assert parse_quick_date("12/31/09", "mdy") == datetime(2009, 12, 31, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_quick_date("13/31/09", "mdy")


@pytest.mark.parametrize(
    ("relpath", "reason_part"),
    [
        ("CONTENT_INTERACTION/PlaybackRelatedEvents.csv", "known, not indexed"),
        ("CONTENT_INTERACTION/InteractiveTitles.csv", "known, not indexed"),
        ("CONTENT_INTERACTION/GamePlaySession.csv", "known, not indexed"),
        ("12345678/PROFILES/Profiles.csv", "known, not indexed"),
        ("PROFILES/AvatarHistory.csv", "known, not indexed"),
        ("ACCOUNT/AccountDetails.csv", "known, not indexed"),
        ("ACCOUNT/SubscriptionHistory.csv", "known, not indexed"),
        ("ACCOUNT/ExtraMembers.txt", "known, not indexed"),
        ("DEVICES/Devices.csv", "known, not indexed"),
        ("DEVICES/AccessAndDevices.csv", "known, not indexed"),
        ("IP_ADDRESSES/IpAddressesLogin.csv", "known, not indexed"),
        ("IP_ADDRESSES/IpAddressesAccountCreation.txt", "known, not indexed"),
        ("PAYMENT_AND_BILLING/BillingHistory.csv", "known, not indexed"),
        ("MESSAGES/MessagesSentByNetflix.csv", "known, not indexed"),
        ("CUSTOMER_SERVICE/CSContact.txt", "known, not indexed"),
        ("CUSTOMER_SERVICE/ChatTranscripts.txt", "known, not indexed"),
        ("netflix-report/Clickstream.csv", "known, not indexed"),
        ("netflix-report/ParentalControlsRestrictedTitles.txt", "known, not indexed"),
        ("netflix-report/ProductCancellationSurvey.txt", "known, not indexed"),
        ("netflix-report/Cover sheet.pdf", "known, not indexed"),
        ("netflix-report/Additional Information.pdf", "known, not indexed"),
    ],
)
def test_known_ignored(relpath: str, reason_part: str) -> None:
    file = ExportFile.from_bytes(relpath, b"Profile Name,Something\nAlex,x\n")
    reason = connector.known_ignored(file)
    assert reason is not None
    assert reason_part in reason
    assert connector.recognise(file) == 0.0


@pytest.mark.parametrize(
    "relpath",
    ["Devices.csv", "phone-backup/Ratings.csv", "Cover sheet.pdf", "Downloads/MyList.csv"],
)
def test_generic_names_outside_netflix_paths_not_claimed(relpath: str) -> None:
    assert connector.known_ignored(ExportFile.from_bytes(relpath, b"a,b\n")) is None


def test_viewing_activity_not_known_ignored() -> None:
    assert connector.known_ignored(fixture(VIEWING)) is None


REPORT = "netflix-report/CONTENT_INTERACTION"


def test_my_list() -> None:
    records, issues = parse(fixture(f"{REPORT}/MyList.csv"))
    assert [(r.kind, r.title, r.extra["profile"], r.timestamp) for r in records] == [
        ("save", "Dark", "Alex", datetime(2023, 1, 5, tzinfo=UTC)),
        ("save", "Love, Death & Robots", "Alex", datetime(2022, 11, 20, tzinfo=UTC)),
        ("save", "Dark", "Sam", datetime(2024, 2, 29, tzinfo=UTC)),
        ("save", "Roma", "Sam", None),
    ]
    assert all(r.tz_known is False for r in records)
    assert records[0].tags == ["netflix", "my-list"]
    assert records[0].extra == {"profile": "Alex", "country": "GB (United Kingdom)"}
    # The same title on two profiles is two records.
    assert records[0].id != records[2].id
    assert issues == [
        ParseIssue("row without a Title Name", "5"),
        ParseIssue("unparseable Utc Title Add Date 'last tuesday'", "6"),
    ]


def test_ratings_thumbs_mapping() -> None:
    records, issues = parse(fixture(f"{REPORT}/Ratings.csv"))
    assert [(r.title, r.tags[1], r.numbers["rating"]) for r in records] == [
        ("Stranger Things", "thumbs-up", 0.75),
        ("Glass Onion: A Knives Out Mystery", "double-thumbs-up", 1.0),
        ("Red Notice", "thumbs-down", 0.0),
        ("House of Cards", "stars", 0.8),  # an old star rating (Thumbs Value 0)
    ]
    first = records[0]
    assert first.kind == "rate"
    assert first.timestamp == datetime(2022, 6, 1, 20, 15, 42, tzinfo=UTC)
    assert first.tz_known is True
    assert first.numbers == {"rating": 0.75, "rating_raw": 2.0, "rating_max": 3.0}
    assert first.extra["profile"] == "Alex"
    assert first.extra["device"] == "Samsung 2019 UHD TV (Tizen)"
    assert records[3].numbers == {"rating": 0.8, "rating_raw": 4.0, "rating_max": 5.0}
    assert issues == [
        ParseIssue("no thumbs or star rating (cleared rating)", "6"),
        ParseIssue("unparseable Event Utc Ts '29/05/2024 22:30'", "7"),
    ]


@pytest.mark.parametrize(
    ("thumbs", "stars", "message"),
    [("4", "0", "unknown Thumbs Value"), ("up", "", "bad Thumbs Value"), ("0", "9", "Star")],
)
def test_ratings_bad_values(thumbs: str, stars: str, message: str) -> None:
    data = (
        "Profile Name,Title Name,Star Value,Thumbs Value,Event Utc Ts\n"
        f"Alex,Roma,{stars},{thumbs},2020-01-02 03:04:05\n"
    ).encode()
    records, issues = parse(ExportFile.from_bytes("Ratings.csv", data))
    assert records == []
    assert len(issues) == 1 and message in issues[0].message


def test_ratings_missing_column_raises_parse_error() -> None:
    data = b"Profile Name,Title Name,Thumbs Value\nAlex,Roma,2\n"
    file = ExportFile.from_bytes("netflix/CONTENT_INTERACTION/Ratings.csv", data)
    assert connector.recognise(file) == 0.95
    with pytest.raises(ParseError, match="Event Utc Ts"):
        list(connector.parse(file))


def test_search_history() -> None:
    records, issues = parse(fixture(f"{REPORT}/SearchHistory.csv"))
    assert [(r.kind, r.title, r.timestamp) for r in records] == [
        ("search", "dark", datetime(2023, 3, 4, 21, 10, 2, tzinfo=UTC)),
        ("search", "glass on", datetime(2023, 1, 2, 21, 55, 13, tzinfo=UTC)),
        # No query typed: the displayed name stands in.
        ("search", "Gabby's Dollhouse", datetime(2024, 5, 1, 16, tzinfo=UTC)),
    ]
    assert records[1].extra["displayed_name"] == "Glass Onion: A Knives Out Mystery"
    assert records[2].extra["profile"] == "Kids"
    assert "query" not in records[2].extra
    assert issues == [
        ParseIssue("search without a query or displayed name", "5"),
        ParseIssue("unparseable Utc Timestamp 'not a time'", "6"),
    ]


def test_search_history_header_drift() -> None:
    # Fewer columns, in another order: parsed by name.
    data = b"Utc Timestamp,Query Typed\n2021-02-03 04:05:06,roma\n"
    records, issues = parse(ExportFile.from_bytes("netflix/SearchHistory.csv", data))
    assert issues == []
    assert [(r.title, r.extra) for r in records] == [("roma", {"query": "roma"})]
    no_text = ExportFile.from_bytes("netflix/SearchHistory.csv", b"Utc Timestamp,Device\nx,y\n")
    with pytest.raises(ParseError, match="Query Typed or Displayed Name"):
        list(connector.parse(no_text))


def test_indicated_preferences() -> None:
    records, issues = parse(fixture(f"{REPORT}/IndicatedPreferences.csv"))
    assert issues == []
    assert [(r.kind, r.title, r.tags[1]) for r in records] == [
        ("like", "The Crown", "interested"),
        ("rate", "Tiger King", "not-interested"),
        ("like", "Money Heist", "indicated-preference"),
    ]
    assert records[1].numbers["rating"] == 0.0
    assert records[0].extra == {"profile": "Alex", "is_interested": True, "has_watched": False}
    assert records[0].timestamp == datetime(2021, 5, 2, tzinfo=UTC)
    assert records[0].tz_known is False


def test_indicated_preferences_other_title_column() -> None:
    data = b"Profile Name,Title Name,Is Interested,Event Date\nSam,Okja,yes,2020-04-18\n"
    file = ExportFile.from_bytes("Downloads/prefs.csv", data)
    assert connector.recognise(file) == 0.8
    records, _ = parse(file)
    assert [(r.kind, r.title) for r in records] == [("like", "Okja")]
    bad = ExportFile.from_bytes("netflix/IndicatedPreferences.csv", b"Profile Name,Name\nA,B\n")
    assert connector.recognise(bad) == 0.6
    with pytest.raises(ParseError, match="Show"):
        list(connector.parse(bad))


def test_report_files_keys_stable_across_exports() -> None:
    for name in ("MyList.csv", "Ratings.csv", "SearchHistory.csv", "IndicatedPreferences.csv"):
        first, _ = parse(fixture(f"{REPORT}/{name}"))
        data = (FIXTURES / REPORT / name).read_bytes()
        again, _ = parse(ExportFile.from_bytes(f"netflix-2025/CONTENT_INTERACTION/{name}", data))
        assert [r.id for r in again] == [r.id for r in first]
        assert len({r.id for r in first}) == len(first)


def test_report_files_recognised_by_header() -> None:
    for name in ("MyList.csv", "Ratings.csv", "SearchHistory.csv", "IndicatedPreferences.csv"):
        assert connector.recognise(fixture(f"{REPORT}/{name}")) == 0.95
        renamed = ExportFile.from_bytes(
            "export/renamed.csv", (FIXTURES / REPORT / name).read_bytes()
        )
        assert connector.recognise(renamed) == 0.8, name
    # Generic names with other content, outside a Netflix path: not ours.
    for relpath in ("phone-backup/Ratings.csv", "Downloads/MyList.csv"):
        assert connector.recognise(ExportFile.from_bytes(relpath, b"a,b\n1,2\n")) == 0.0
    letterboxd = b"Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Roma,2018,https://boxd.it/x,4\n"
    assert connector.recognise(ExportFile.from_bytes("ratings.csv", letterboxd)) == 0.0


def test_does_not_claim_other_platforms_fixtures() -> None:
    root = FIXTURES.parent
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        relpath = path.relative_to(root).as_posix()
        file = ExportFile.from_path(path, relpath)
        mine = relpath.startswith("netflix/")
        assert (connector.recognise(file) > 0) == mine, relpath
        if not mine:
            assert connector.known_ignored(file) is None, relpath
