"""Letterboxd export: real fixtures, every file of a hand-made export, film identity
between the diary and watched.csv, and two exports a month apart."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors import all_connectors
from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.discover import iter_files, route
from connectors.letterboxd import CONNECTORS, LetterboxdConnector, parse_rating

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NOTION = "real/letterboxd/letterboxd-notion-sync"
NUVIO = "real/letterboxd/letterboxd-nuvio-sync"
MAY = "letterboxd/letterboxd-alexsample-2024-05-01-09-12-utc"
JUNE = "letterboxd/letterboxd-alexsample-2024-06-02-18-40-utc"

connector = LetterboxdConnector()


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


def export_records(folder: str) -> list[Record]:
    """Every record of every file of an export folder that this connector parses."""
    records: list[Record] = []
    for path in sorted((FIXTURES / folder).rglob("*.csv")):
        file = fixture(path.relative_to(FIXTURES).as_posix())
        if connector.recognise(file) > 0:
            records.extend(parse(file)[0])
    return records


def ingest(*files: str) -> dict[str, Record]:
    """What the store keeps: the first record ingested for each id."""
    kept: dict[str, Record] = {}
    for relpath in files:
        for record in parse(fixture(relpath))[0]:
            kept.setdefault(record.id, record)
    return kept


def test_registered() -> None:
    assert [c.name for c in CONNECTORS] == ["letterboxd"]


def test_real_diary() -> None:
    records, issues = parse(fixture(f"{NOTION}/diary.csv"))
    assert issues == []
    battle, hearts, foo = records
    assert battle.source == "letterboxd"
    assert battle.kind == "watch"
    assert battle.title == "One Battle After Another"
    # Watched Date, not the logged Date.
    assert battle.timestamp == datetime(2025, 12, 19, tzinfo=UTC)
    assert battle.tz_known is False
    assert battle.url == "https://boxd.it/abc"
    assert battle.numbers == {"rating": 0.8, "rating_raw": 4.0, "rating_max": 5.0}
    assert battle.tags == ["film"]
    assert battle.extra == {
        "year": "2025",
        "watched_date": "2025-12-19",
        "logged_date": "2026-01-15",
        "rewatch": False,
        "log_url": "https://boxd.it/abc",
    }
    assert hearts.tags == ["film", "rewatch", "friday-night"]
    assert hearts.extra["rewatch"] is True
    assert hearts.numbers["rating"] == 0.5
    assert foo.title == "Foo, the Movie"
    assert foo.tags == ["film", 'comma "in" tag']


def test_real_ratings_with_invalid_value() -> None:
    records, issues = parse(fixture(f"{NOTION}/ratings.csv"))
    assert [(r.kind, r.title, r.numbers["rating_raw"]) for r in records] == [
        ("rate", "Whiplash", 5.0),
        ("rate", "Mad Max: Fury Road", 4.5),
    ]
    assert records[0].timestamp == datetime(2024, 5, 12, tzinfo=UTC)
    assert records[0].url == "https://boxd.it/7bQA"
    assert issues == [ParseIssue("bad Rating 'not-a-number'", "4")]


def test_real_diary_and_watched_are_one_film() -> None:
    diary, _ = parse(fixture(f"{NOTION}/diary.csv"))
    watched, _ = parse(fixture(f"{NOTION}/watched.csv"))
    assert [r.title for r in watched] == ["Whiplash", "Foo, the Movie", "Mad Max: Fury Road"]
    assert watched[1].id == diary[2].id  # "Foo, the Movie": first diary viewing
    # "Heart Eyes" is a flagged rewatch: a viewing of its own, not the film's first.
    assert diary[1].id not in {r.id for r in watched}


@pytest.mark.parametrize(
    "order",
    [("diary.csv", "watched.csv"), ("watched.csv", "diary.csv")],
    ids=["diary-first", "watched-first"],
)
def test_nuvio_both_ingest_orders(order: tuple[str, str]) -> None:
    kept = ingest(*(f"{NUVIO}/{name}" for name in order))
    # The Thing, Alien and Amélie once each, plus Alien's rewatch: four viewings.
    assert sorted((r.title, r.kind) for r in kept.values()) == [
        ("Alien", "watch"),
        ("Alien", "watch"),
        ("Amélie", "watch"),
        ("The Thing", "watch"),
    ]
    alien = [r for r in kept.values() if r.title == "Alien"]
    first = next(r for r in alien if not r.extra.get("rewatch"))
    rewatch = next(r for r in alien if r.extra.get("rewatch"))
    assert rewatch.url == "https://letterboxd.com/example/film/alien/1/"
    assert rewatch.timestamp == datetime(2024, 9, 14, tzinfo=UTC)
    if order[0] == "diary.csv":
        # The richer diary record wins: watched date and the log-entry URL.
        assert first.timestamp == datetime(2022, 8, 12, tzinfo=UTC)
        assert first.extra["log_url"] == "https://letterboxd.com/example/film/alien/"
    else:
        assert first.url == "https://letterboxd.com/film/alien/"
        assert first.extra["date_kind"] == "marked as watched (not a viewing date)"


def test_nuvio_ids_shared_between_diary_and_watched() -> None:
    diary, _ = parse(fixture(f"{NUVIO}/diary.csv"))
    watched, _ = parse(fixture(f"{NUVIO}/watched.csv"))
    # watched.csv lists Alien twice: one film.
    assert watched[1].id == watched[3].id
    assert [d.id == w.id for d, w in zip(diary, watched, strict=False)] == [True, True, False]


def test_first_unflagged_entry_is_the_film_and_later_ones_are_viewings() -> None:
    records, issues = parse(fixture(f"{MAY}/diary.csv"))
    watched, _ = parse(fixture(f"{MAY}/watched.csv"))
    watched_ids = {r.id: r.title for r in watched}
    film_entries = [(r.title, r.extra["watched_date"]) for r in records if r.id in watched_ids]
    assert film_entries == [
        ("Alien", "2023-02-10"),
        ("Amélie", "2023-06-03"),
        ("Crouching Tiger, Hidden Dragon", "2024-01-19"),
        ("Dune: Part Two", "2024-03-01"),  # the earlier of two unflagged entries
        ("Past Lives", "2024-04-09"),
    ]
    # Two rewatches of Alien on the same day stay two records.
    alien_rewatches = [r for r in records if r.title == "Alien" and r.extra["rewatch"]]
    assert len(alien_rewatches) == 2
    assert alien_rewatches[0].id != alien_rewatches[1].id
    assert len({r.id for r in records}) == len(records) == 8
    # The bad rating is reported and the viewing kept without it.
    assert issues == [
        ParseIssue("bad Rating 'seven'", "9"),
        ParseIssue("row without a Name", "10"),
    ]
    past_lives = next(r for r in records if r.title == "Past Lives")
    assert past_lives.numbers == {}


def test_diary_order_in_file_does_not_change_keys() -> None:
    lines = (FIXTURES / MAY / "diary.csv").read_text(encoding="utf-8").splitlines()
    shuffled = "\n".join([lines[0], *reversed(lines[1:])]) + "\n"
    original, _ = parse(fixture(f"{MAY}/diary.csv"))
    again, _ = parse(ExportFile.from_bytes("x/diary.csv", shuffled.encode()))
    assert {r.id for r in again} == {r.id for r in original}

    def by_entry(records: list[Record]) -> dict[tuple[str | None, str], str]:
        return {(r.title, r.extra["watched_date"]): r.id for r in records}

    # Each entry keeps its id, except that two entries of one film on the same day
    # (Alien's rewatches on 2023-09-29) are told apart by their order in the file.
    same_day = ("Alien", "2023-09-29")
    assert {k: v for k, v in by_entry(again).items() if k != same_day} == {
        k: v for k, v in by_entry(original).items() if k != same_day
    }


def test_reviews() -> None:
    records, issues = parse(fixture(f"{MAY}/reviews.csv"))
    assert issues == []
    alien, dune = records
    assert alien.kind == "review"
    assert alien.text == (
        "In space no one can hear you scream.\n\nRipley is the blueprint.\n"
        "Still holds up & then some."
    )
    assert alien.timestamp == datetime(2023, 2, 10, tzinfo=UTC)
    assert alien.numbers["rating"] == 0.9
    assert alien.tags == ["film", "sci-fi", "horror"]
    assert dune.text == 'Sandworm surfing, "finally".'
    diary, _ = parse(fixture(f"{MAY}/diary.csv"))
    assert not {r.id for r in records} & {r.id for r in diary}


def test_ratings_watchlist_likes() -> None:
    ratings, issues = parse(fixture(f"{MAY}/ratings.csv"))
    assert [(r.title, r.numbers["rating_raw"]) for r in ratings] == [
        ("Alien", 5.0),
        ("Amélie", 5.0),
        ("Dune: Part Two", 4.5),
        ("Past Lives", 3.5),  # "★★★½"
    ]
    assert issues == [ParseIssue("bad Rating '6'", "6")]
    watchlist, _ = parse(fixture(f"{MAY}/watchlist.csv"))
    assert [(r.kind, r.title, r.tags) for r in watchlist] == [
        ("save", "Perfect Days", ["film", "watchlist"]),
        ("save", "Seven Samurai", ["film", "watchlist"]),
    ]
    (liked,) = parse(fixture(f"{MAY}/likes/films.csv"))[0]
    assert (liked.kind, liked.title, liked.third_party) == ("like", "Amélie", False)
    (liked_list,) = parse(fixture(f"{MAY}/likes/lists.csv"))[0]
    assert liked_list.title == "Every Studio Ghibli Film Ranked"
    assert liked_list.third_party is True
    assert liked_list.tags == ["list"]
    (liked_review,) = parse(fixture(f"{MAY}/likes/reviews.csv"))[0]
    assert (liked_review.kind, liked_review.tags) == ("like", ["film", "review"])


def test_list_file() -> None:
    records, issues = parse(fixture(f"{MAY}/lists/comfort-films.csv"))
    made, amelie, spirited = records
    assert (made.kind, made.title) == ("post", "Comfort Films")
    assert made.text == "Films for a rainy, grey Sunday."
    assert made.tags == ["list", "cozy", "rewatchable"]
    assert made.timestamp == datetime(2023, 12, 24, tzinfo=UTC)
    assert (amelie.kind, amelie.title) == ("save", "Amélie")
    assert amelie.tags == ["film", "list", "comfort films"]
    assert amelie.numbers == {"list_position": 1.0}
    assert amelie.url == "https://letterboxd.com/film/amelie/"
    assert spirited.text == "No-Face, forever"
    assert issues == [ParseIssue("list entry without a Name", "8")]


def test_profile_and_comments() -> None:
    (profile,) = parse(fixture(f"{MAY}/profile.csv"))[0]
    assert profile.kind == "profile"
    assert profile.text == "Mostly horror, sometimes Ghibli."
    assert profile.timestamp == datetime(2022, 12, 31, tzinfo=UTC)
    assert profile.extra["favorite_films"] == [
        "https://boxd.it/2b0Y",
        "https://boxd.it/2aHu",
        "https://boxd.it/2aTE",
    ]
    assert profile.extra["location"] == "Leeds, UK"
    assert "alex@example.com" not in str(profile.extra)
    comments, issues = parse(fixture(f"{MAY}/comments.csv"))
    (comment,) = comments
    assert comment.kind == "comment"
    assert comment.text == "Totally agree about the worms!"
    assert comment.extra == {"on": "Review of Dune: Part Two by samsample"}
    assert issues == [ParseIssue("comment without text", "3")]


def test_two_exports_a_month_apart_add_only_new_records() -> None:
    may = {r.id for r in export_records(MAY)}
    june = export_records(JUNE)
    new = sorted(
        (r.kind, r.title, r.extra.get("watched_date") or r.extra.get("date"))
        for r in june
        if r.id not in may
    )
    # The Alien rewatch and Perfect Days (diary and watched.csv: one film).
    assert new == [
        ("watch", "Alien", "2024-05-19"),
        ("watch", "Perfect Days", "2024-05-24"),
        ("watch", "Perfect Days", "2024-05-25"),
    ]
    assert len({r.id for r in june if r.id not in may}) == 2


def test_recognise_by_header_and_path() -> None:
    assert connector.recognise(fixture(f"{NOTION}/watched.csv")) == 0.95
    assert connector.recognise(fixture(f"{MAY}/likes/films.csv")) == 0.9
    assert connector.recognise(fixture(f"{MAY}/lists/comfort-films.csv")) == 0.95
    # Generic names without the Letterboxd column are not ours.
    plain = b"Date,Name,Year,URI\n2024-01-01,Roma,2018,x\n"
    assert connector.recognise(ExportFile.from_bytes("watched.csv", plain)) == 0.0
    netflix = b"Profile Name,Title Name,Thumbs Value,Event Utc Ts\nA,Roma,2,2020-01-01 00:00:00\n"
    assert connector.recognise(ExportFile.from_bytes("Ratings.csv", netflix)) == 0.0
    assert connector.recognise(ExportFile.from_bytes("comments.csv", b"Date,Content\n1,x\n")) == 0
    # Renamed diary/ratings files are recognised by their columns; plain ones are not.
    diary = (FIXTURES / NOTION / "diary.csv").read_bytes()
    assert connector.recognise(ExportFile.from_bytes("backup/my diary.csv", diary)) == 0.7
    watched = (FIXTURES / NOTION / "watched.csv").read_bytes()
    assert connector.recognise(ExportFile.from_bytes("backup/films.csv", watched)) == 0.0


def test_deleted_and_orphaned_are_known_ignored() -> None:
    for folder in ("deleted", "orphaned"):
        file = fixture(f"{MAY}/{folder}/diary.csv")
        assert connector.recognise(file) == 0.0
        assert folder in (connector.known_ignored(file) or "")
    assert connector.known_ignored(fixture(f"{MAY}/diary.csv")) is None
    assert connector.known_ignored(ExportFile.from_bytes("deleted/notes.csv", b"a,b\n")) is None


def test_zip_export_routes_every_member(tmp_path: Path) -> None:
    archive = tmp_path / "letterboxd-alexsample-2024-05-01-09-12-utc.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted((FIXTURES / MAY).rglob("*.csv")):
            zf.write(path, path.relative_to(FIXTURES / MAY).as_posix())
    outcomes = {}
    for found in iter_files(archive):
        decision = route(found.file, all_connectors())
        name = decision.connector.name if decision.connector else None
        outcomes[found.file.relpath.split("/", 1)[1]] = (decision.outcome, name)
    assert outcomes["diary.csv"] == ("parse", "letterboxd")
    assert outcomes["comments.csv"] == ("parse", "letterboxd")
    assert outcomes["deleted/diary.csv"] == ("ignored", "letterboxd")
    assert {o for o, _ in outcomes.values()} == {"parse", "ignored"}
    assert len(outcomes) == 13


def test_missing_name_column_raises_parse_error() -> None:
    file = ExportFile.from_bytes("diary.csv", b"Date,Letterboxd URI,Rating\n2024-01-01,x,4\n")
    assert connector.recognise(file) == 0.0  # not claimed...
    with pytest.raises(ParseError, match="Letterboxd"):  # ...and refused if forced
        list(connector.parse(file))
    # Inside a Letterboxd export, a known name with a drifted header is claimed, and
    # fails with the missing column named.
    drifted = ExportFile.from_bytes(
        "letterboxd-alex-2024-05-01-09-12-utc/ratings.csv",
        b"Date,Title,Year,Letterboxd URI,Rating\n2024-01-01,Roma,2018,x,4\n",
    )
    assert connector.recognise(drifted) == 0.6
    with pytest.raises(ParseError, match="Name"):
        list(connector.parse(drifted))


def test_list_file_without_tables_raises_parse_error() -> None:
    file = ExportFile.from_bytes("lists/empty.csv", b"Letterboxd list export v7\n\n")
    assert connector.recognise(file) == 0.95
    with pytest.raises(ParseError, match="empty list"):
        list(connector.parse(file))


@pytest.mark.parametrize(
    ("text", "stars"),
    [("4", 4.0), ("2.5", 2.5), ("0.5", 0.5), ("", None), ("★★★★½", 4.5), ("★", 1.0)],
)
def test_parse_rating(text: str, stars: float | None) -> None:
    assert parse_rating(text) == stars


@pytest.mark.parametrize("text", ["0", "5.5", "3.3", "four", "½½"])
def test_parse_rating_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rating(text)


def test_does_not_claim_other_platforms_fixtures() -> None:
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file():
            continue
        relpath = path.relative_to(FIXTURES).as_posix()
        file = ExportFile.from_path(path, relpath)
        mine = relpath.startswith(("letterboxd/", "real/letterboxd/"))
        assert (connector.recognise(file) > 0 or bool(connector.known_ignored(file))) == mine, (
            relpath
        )
