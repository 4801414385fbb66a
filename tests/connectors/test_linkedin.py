"""LinkedIn data export: preamble, BOM, per-file dates, messages, overlap, recognition."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.linkedin import CONNECTORS, LinkedInConnector, html_to_text, parse_date

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OWN = FIXTURES / "linkedin"
BASIC = "Basic_LinkedInDataExport_05-01-2023"
COMPLETE = "Complete_LinkedInDataExport_11-20-2023"

connector = LinkedInConnector()


def own(relpath: str) -> ExportFile:
    return ExportFile.from_path(OWN / relpath, relpath)


def parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    items = list(connector.parse(file))
    records = [i for i in items if isinstance(i, Record)]
    issues = [i for i in items if isinstance(i, ParseIssue)]
    assert len(records) + len(issues) == len(items)
    return records, issues


def test_registered() -> None:
    assert [c.name for c in CONNECTORS] == ["linkedin"]


def test_connections_with_preamble_bom_and_empty_row() -> None:
    records, issues = parse(own(f"{BASIC}/Connections.csv"))
    # Line 8 (after 3 preamble lines, the header and an empty ",,,,,," row).
    assert issues == [ParseIssue("bad Connected On 'sometime in 2021'", "8")]
    ada, bruno, dana = records
    assert ada.kind == "contact"
    assert ada.title == "Ada Fictional"
    assert ada.text == "Engineer at Analytical Works"
    assert ada.url == "https://www.linkedin.com/in/ada-fictional"
    assert ada.timestamp == datetime(2023, 1, 7, tzinfo=UTC)
    assert ada.tz_known is False
    assert ada.third_party is True
    assert ada.tags == ["connection"]
    # "7-Feb-22" variant; a quoted company with a comma; an e-mail.
    assert bruno.timestamp == datetime(2022, 2, 7, tzinfo=UTC)
    assert bruno.extra == {
        "company": "Northwind, Ltd.",
        "position": "Head of Sales",
        "email": "bruno@example.invalid",
    }
    # No profile URL: keyed by name and date.
    assert dana.url is None
    assert dana.timestamp == datetime(2019, 3, 12, tzinfo=UTC)


def test_same_connection_in_two_exports_has_one_id() -> None:
    basic, _ = parse(own(f"{BASIC}/Connections.csv"))
    complete, _ = parse(own(f"{COMPLETE}/Connections.csv"))
    # The later export writes the URL with a trailing slash and a new position.
    shared = {r.id for r in basic} & {r.id for r in complete}
    assert [r.title for r in complete if r.id in shared] == ["Ada Fictional"]
    assert len({r.id for r in basic} | {r.id for r in complete}) == 4


def test_positions() -> None:
    records, issues = parse(own(f"{BASIC}/Positions.csv"))
    assert issues == []
    baker, carto = records
    assert baker.kind == "profile"
    assert baker.title == "Head Baker at Lakeside Bread Co."
    assert baker.text == "Runs the sourdough programme.\nTrains apprentices."
    assert baker.creator == "Lakeside Bread Co."
    assert baker.timestamp == datetime(2021, 3, 1, tzinfo=UTC)
    assert baker.tz_known is False
    assert baker.tags == ["position"]
    assert "finished_on" not in baker.extra
    assert carto.extra["finished_on"] == "Feb 2021"


def test_profile_skills_education() -> None:
    (profile,), _ = parse(own(f"{BASIC}/Profile.csv"))
    assert profile.title == "Mara Fictive — Head Baker at Lakeside Bread Co."
    assert profile.text == "Baker and map nerd."
    assert "1 Example Street" not in repr(profile)  # no address, no birth date
    skills, _ = parse(own(f"{BASIC}/Skills.csv"))
    assert [(r.kind, r.title, r.tags) for r in skills] == [
        ("profile", "Sourdough", ["skill"]),
        ("profile", "Cartography", ["skill"]),
        ("profile", "Team Leadership", ["skill"]),
    ]
    (education,), _ = parse(own(f"{BASIC}/Education.csv"))
    assert education.title == "BSc Geography, University of Exampleton"
    assert education.timestamp == datetime(2008, 1, 1, tzinfo=UTC)
    assert education.text == "Hiking club"


def test_messages() -> None:
    records, issues = parse(own(f"{BASIC}/messages.csv"))
    assert issues == [ParseIssue("bad DATE 'not a date'", "6")]
    order, reply, ada = records
    assert order.kind == "message"
    assert order.title == "Wholesale order"
    # HTML content reduced to text.
    assert order.text == "Hi Mara,\nCould you do 40 loaves & 10 rye for Friday?"
    assert order.creator == "Bruno Placeholder"
    assert order.timestamp == datetime(2023, 4, 2, 9, 15, tzinfo=UTC)
    assert order.tz_known is True
    # The user is the profile URL present in every message.
    assert order.tags == ["dm", "received"] and order.third_party is True
    assert reply.tags == ["dm", "sent"] and reply.third_party is False
    assert reply.text == "Yes, that works.\nDelivery at 7?"
    assert reply.title == "LinkedIn message from Mara Fictive"
    assert ada.tags == ["dm", "received"]
    assert len({r.id for r in records}) == 3


def test_invitations_endorsements_recommendations() -> None:
    incoming, outgoing = parse(own(f"{BASIC}/Invitations.csv"))[0]
    assert incoming.title == "Invitation from Chidi Sample"
    assert incoming.text == "Met you at the bread fair!"
    assert incoming.timestamp == datetime(2022, 9, 5, 1, 12, tzinfo=UTC)
    assert incoming.tz_known is False
    assert incoming.third_party is True
    assert outgoing.title == "Invitation to Erin Demo"
    assert outgoing.third_party is False
    assert outgoing.tags == ["invitation", "outgoing"]

    (endorsement,), _ = parse(own(f"{BASIC}/Endorsement_Received_Info.csv"))
    assert endorsement.title == "Ada Fictional endorsed you for Sourdough"
    assert endorsement.timestamp == datetime(2021, 9, 1, 12, 41, 31, tzinfo=UTC)
    assert endorsement.tz_known is True
    assert endorsement.url == "https://www.linkedin.com/in/ada-fictional"

    (recommendation,), _ = parse(own(f"{BASIC}/Recommendations_Received.csv"))
    assert recommendation.kind == "review"
    assert recommendation.title == "Recommendation from Bruno Placeholder"
    assert recommendation.timestamp == datetime(2023, 3, 5, 14, 3, tzinfo=UTC)
    assert recommendation.third_party is True


def test_activity_files() -> None:
    hiring, link = parse(own(f"{BASIC}/Shares.csv"))[0]
    assert hiring.kind == "post"
    assert hiring.text == 'We\'re hiring an apprentice baker! 🍞\nDM me "bread" for details.'
    assert hiring.url.endswith("urn%3Ali%3Ashare%3A7036000000000000001")
    assert link.extra["shared_url"] == "https://trails.example.org/new-maps"

    (comment,), _ = parse(own(f"{BASIC}/Comments.csv"))
    assert comment.kind == "comment"
    assert comment.text == "Congratulations on the launch!"

    reactions, issues = parse(own(f"{BASIC}/Reactions.csv"))
    assert issues == [ParseIssue("reaction without a link", "3")]
    assert reactions[0].kind == "like"
    assert reactions[0].tags == ["reaction", "praise"]

    (search,), _ = parse(own(f"{BASIC}/SearchQueries.csv"))
    assert (search.kind, search.title) == ("search", "apprentice baker lakeside")

    (follow,), _ = parse(own(f"{BASIC}/Company Follows.csv"))
    assert follow.kind == "follow"
    assert follow.timestamp == datetime(2020, 9, 5, 8, 12, 14, tzinfo=UTC)

    (job,), _ = parse(own(f"{BASIC}/Jobs/Saved Jobs.csv"))
    assert job.kind == "save"
    assert job.title == "Master Baker at Hilltop Patisserie"
    assert job.timestamp == datetime(2023, 1, 20, 17, 43, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected", "tz_known"),
    [
        ("07 Jan 2023", datetime(2023, 1, 7, tzinfo=UTC), False),
        ("7-Feb-22", datetime(2022, 2, 7, tzinfo=UTC), False),
        ("2023-05-01 14:22:10 UTC", datetime(2023, 5, 1, 14, 22, 10, tzinfo=UTC), True),
        ("2019/03/05 14:03:08 UTC", datetime(2019, 3, 5, 14, 3, 8, tzinfo=UTC), True),
        ("9/5/26, 1:12 AM", datetime(2026, 9, 5, 1, 12, tzinfo=UTC), False),
        ("Sat Sep 05 08:12:14 UTC 2020", datetime(2020, 9, 5, 8, 12, 14, tzinfo=UTC), True),
        ("Jan 2025", datetime(2025, 1, 1, tzinfo=UTC), False),
        ("2012", datetime(2012, 1, 1, tzinfo=UTC), False),
    ],
)
def test_parse_date(raw: str, expected: datetime, tz_known: bool) -> None:
    assert parse_date(raw) == (expected, tz_known)


def test_parse_date_rejects_nonsense() -> None:
    for raw in ("", "soon", "31 Feb 2020", "1 Jan 1900"):
        with pytest.raises(ValueError):
            parse_date(raw)


def test_html_to_text() -> None:
    assert html_to_text("<p>a &amp; b</p><p>c<br/>d</p>") == "a & b\nc\nd\n"
    assert html_to_text("plain 1 < 2") == "plain 1 < 2"


# -- recognition, ignoring, broken files -----------------------------------------------


def test_recognise() -> None:
    assert connector.recognise(own(f"{BASIC}/Connections.csv")) == 0.9
    assert connector.recognise(own(f"{BASIC}/Skills.csv")) == 0.9
    # A distinctive header under another name, outside a LinkedIn folder.
    data = (OWN / BASIC / "messages.csv").read_bytes()
    assert connector.recognise(ExportFile.from_bytes("dl/inbox.csv", data)) == 0.75
    # Generic names need the LinkedIn path or linkedin.com content.
    comments = b"Date,Link,Message\n2023-01-01 10:00:00,https://example.com/x,hi\n"
    assert connector.recognise(ExportFile.from_bytes("Comments.csv", comments)) == 0.0
    hinted = ExportFile.from_bytes("Basic_LinkedInDataExport_01-01-2024/Comments.csv", comments)
    assert connector.recognise(hinted) == 0.9
    # A bare Skills.csv with only a Name column: low confidence.
    skills = ExportFile.from_bytes("Skills.csv", b"Name\nPython\n")
    assert connector.recognise(skills) == 0.6
    assert connector.recognise(ExportFile.from_bytes("Skills.csv", b"Name,Level\nx,1\n")) == 0.0
    # Member-id suffixed names of the Complete export.
    shares = (OWN / BASIC / "Shares.csv").read_bytes()
    assert connector.recognise(ExportFile.from_bytes("x/Shares_17529409.csv", shares)) == 0.9


@pytest.mark.parametrize(
    ("relpath", "reason_part"),
    [(f"{BASIC}/Ad_Targeting.csv", "ad targeting"), (f"{BASIC}/Registration.csv", "registration")],
)
def test_known_ignored(relpath: str, reason_part: str) -> None:
    file = own(relpath)
    assert connector.recognise(file) == 0.0
    reason = connector.known_ignored(file)
    assert reason is not None and reason_part in reason


def test_generic_ignored_names_need_a_linkedin_path() -> None:
    assert connector.known_ignored(ExportFile.from_bytes("Registration.csv", b"a\n")) is None
    assert connector.known_ignored(ExportFile.from_bytes("x/Ad_Targeting.csv", b"a\n"))


def test_missing_columns_fail_with_a_reason() -> None:
    file = ExportFile.from_bytes(f"{BASIC}/Connections.csv", b"First Name,Last Name\nA,B\n")
    assert connector.recognise(file) == 0.0
    with pytest.raises(ParseError, match="not a LinkedIn export CSV"):
        list(connector.parse(file))


def test_does_not_claim_other_platforms_fixtures() -> None:
    for path in FIXTURES.rglob("*"):
        rel = path.relative_to(FIXTURES).as_posix()
        if path.is_dir() or rel.startswith("linkedin/"):
            continue
        assert connector.recognise(ExportFile.from_path(path, rel)) == 0.0, rel
