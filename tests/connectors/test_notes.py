"""Notes folders: Markdown / text notes, front matter, tags, links, timestamps, claims."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.notes import CONNECTORS, MAX_NOTE_BYTES, NotesConnector, parse_simple_yaml

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OWN = FIXTURES / "notes"
#: A fixed modification time for files read from disk (2024-02-03 04:05:06 UTC).
MTIME = 1706933106.0

connector = NotesConnector()


def own(relpath: str, *, mtime: float | None = MTIME, archive: str | None = None) -> ExportFile:
    data = (OWN / relpath).read_bytes()
    return ExportFile(
        f"<test>/{relpath}",
        relpath,
        len(data),
        lambda: io.BytesIO(data),
        mtime=mtime,
        archive=archive,
    )


def parse(file: ExportFile) -> tuple[Record, list[ParseIssue]]:
    items = list(connector.parse(file))
    records = [i for i in items if isinstance(i, Record)]
    issues = [i for i in items if isinstance(i, ParseIssue)]
    assert len(records) == 1 and len(records) + len(issues) == len(items)
    return records[0], issues


def test_registered() -> None:
    assert [c.name for c in CONNECTORS] == ["notes"]


def test_obsidian_note_with_front_matter() -> None:
    note, issues = parse(own("MyVault/Recipes/Sourdough starter.md"))
    assert issues == []
    assert note.kind == "note"
    assert note.source == "notes"
    assert note.title == "Sourdough starter: day-by-day"
    # Front matter tags, then inline tags; code blocks and inline code are not scanned,
    # "#12" is not a tag.
    assert note.tags == ["baking", "sourdough", "kitchen/fermentation", "week-1"]
    # created (with an offset) wins over updated.
    assert note.timestamp == datetime(2023, 3, 1, 7, 30, tzinfo=UTC)
    assert note.tz_known is True
    assert note.text is not None and note.text.startswith("# Sourdough starter\n\nFeed 1:1:1")
    assert "cssclass" not in note.text  # front matter removed
    assert note.extra["links"] == ["Rye flour", "Baking schedule"]
    assert note.extra["aliases"] == ["Starter", "Levain"]
    assert note.extra["time_source"] == "front matter created"
    assert note.extra["front_matter"]["source"] == "https://bread.example.org/starter-guide"
    assert "nested" not in note.extra["front_matter"]  # nested mappings are not kept
    assert note.creator is None


def test_daily_note_dated_by_its_name() -> None:
    note, _ = parse(own("MyVault/Daily/2023-03-14.md"))
    assert note.title == "Tuesday"  # the first heading
    assert note.timestamp == datetime(2023, 3, 14, tzinfo=UTC)
    assert note.tz_known is False
    assert note.extra["time_source"] == "file name"
    assert note.tags == ["hiking"]
    assert note.extra["links"] == ["Rye flour"]


def test_plain_note_uses_file_name_and_mtime() -> None:
    note, _ = parse(own("MyVault/Ideas/untitled idea.md"))
    assert note.title == "untitled idea"
    assert note.text == "A map of every bakery within a day's walk."
    assert note.timestamp == datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert note.tz_known is True
    assert note.extra["time_source"] == "file mtime"
    assert note.tags == []


def test_mtime_inside_an_archive_is_not_used() -> None:
    note, _ = parse(own("MyVault/Ideas/untitled idea.md", archive="/exports/vault.zip"))
    assert note.timestamp is None
    assert "time_source" not in note.extra
    note, _ = parse(own("MyVault/Ideas/untitled idea.md", mtime=None))
    assert note.timestamp is None


def test_windows_note_with_bom_crlf_and_comma_tags() -> None:
    note, issues = parse(own("MyVault/Windows note.md"))
    assert issues == []
    assert note.title == "Windows note"
    assert note.text == "Pack list for the lakes."
    assert note.tags == ["travel", "lake-district"]
    assert note.timestamp == datetime(2022, 12, 1, tzinfo=UTC)
    assert note.tz_known is False  # a date without a time zone


def test_logseq_page_properties_and_journal() -> None:
    page, _ = parse(own("logseq-graph/pages/Trail maps.md"))
    assert page.title == "Trail maps"
    assert page.tags == ["maps", "hiking"]
    assert page.extra["aliases"] == ["Routes"]
    assert page.extra["links"] == ["Bob Sample"]
    assert page.text == "- Ordnance maps for the ridge walk\n\t- borrowed from [[Bob Sample]]"

    journal, _ = parse(own("logseq-graph/journals/2023_04_01.md"))
    assert journal.timestamp == datetime(2023, 4, 1, tzinfo=UTC)
    assert journal.tags == ["bakery"]
    assert journal.extra["links"] == ["Northwind"]


def test_text_note_in_notes_folder() -> None:
    note, _ = parse(own("Notes/shopping list.txt"))
    assert note.title == "shopping list"
    assert note.text == "milk\neggs\nrye flour"


def test_broken_front_matter_is_an_issue_and_the_note_is_text() -> None:
    note, issues = parse(own("MyVault/Broken front matter.md"))
    assert len(issues) == 1
    assert issues[0].message.startswith("front matter ignored: line 3 is not 'key: value'")
    assert note.title == "Broken front matter"  # the front matter title is not trusted
    assert note.text is not None and note.text.startswith("---\ntitle: Half-finished")

    note, issues = parse(own("MyVault/Unclosed.md"))
    assert [i.message for i in issues] == [
        "front matter ignored: front matter is not closed by a '---' line"
    ]
    assert note.text == "---\ntitle: never closed\nBody text that goes on."


def test_key_is_the_path() -> None:
    first, _ = parse(own("MyVault/Daily/2023-03-14.md"))
    again, _ = parse(own("MyVault/Daily/2023-03-14.md", mtime=MTIME + 60))
    assert first.id == again.id
    data = (OWN / "MyVault/Daily/2023-03-14.md").read_bytes()
    moved, _ = parse(ExportFile.from_bytes("MyVault/Archive/2023-03-14.md", data))
    assert moved.id != first.id  # moving a note makes a new record


def test_parse_simple_yaml() -> None:
    meta = parse_simple_yaml(
        [
            'title: "A: quoted title"',
            "tags: [one, 'two, three']",
            "aliases:",
            "  - first",
            "- second",
            "summary: >",
            "  folded text",
            "  over lines",
            "poem: |",
            "  line one",
            "  line two",
            "draft: true # a comment",
        ]
    )
    assert meta == {
        "title": "A: quoted title",
        "tags": ["one", "two, three"],
        "aliases": ["first", "second"],
        "summary": "folded text over lines",
        "poem": "line one\nline two",
        "draft": "true",
    }
    with pytest.raises(ValueError, match="not 'key: value'"):
        parse_simple_yaml(["just words"])


# -- recognition and broken files ------------------------------------------------------


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        ("MyVault/Recipes/Sourdough starter.md", 0.3),
        ("logseq-graph/journals/2023_04_01.md", 0.3),
        ("Notes/shopping list.txt", 0.2),
        ("MyVault/README.md", 0.0),
        ("Notes/LICENSE.txt", 0.0),
    ],
)
def test_recognise_fixtures(relpath: str, expected: float) -> None:
    assert connector.recognise(own(relpath)) == expected


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        ("Obsidian Vault/idea.markdown", 0.3),
        ("my-journal/2024-01-01.txt", 0.2),
        ("Dropbox/Notizen/Einkauf.txt", 0.2),
        ("Downloads/random.txt", 0.0),
        ("WhatsApp Chat with Priya Nair.txt", 0.0),
        ("package/README.txt", 0.0),
        ("Notes/ExtraMembers.txt", 0.0),
        ("project/node_modules/pkg/docs.md", 0.0),
        ("project/CHANGELOG.md", 0.0),
        ("notesapp/data.json", 0.0),
        ("denotes/x.txt", 0.0),  # "notes" must be a word of the folder name
    ],
)
def test_recognise_by_path(relpath: str, expected: float) -> None:
    assert connector.recognise(ExportFile.from_bytes(relpath, b"some text\n")) == expected


def test_binary_file_is_not_claimed_and_fails() -> None:
    file = ExportFile.from_bytes("Notes/blob.md", b"\x00\x01\x02binary")
    assert connector.recognise(file) == 0.0
    with pytest.raises(ParseError, match="not a text file"):
        list(connector.parse(file))


def test_utf16_note_is_text() -> None:
    data = "# Liste\n\nÄpfel #einkauf\n".encode("utf-16")
    file = ExportFile.from_bytes("Notizen/liste.md", data)
    assert connector.recognise(file) == 0.3
    note, _ = parse(file)
    assert note.title == "Liste"
    assert note.tags == ["einkauf"]


def test_huge_file_fails_with_a_reason() -> None:
    file = ExportFile("<big>", "Notes/huge.md", MAX_NOTE_BYTES + 1, lambda: io.BytesIO(b"x"))
    with pytest.raises(ParseError, match="5 MB"):
        list(connector.parse(file))


def test_known_ignored_is_none() -> None:
    assert connector.known_ignored(own("MyVault/README.md")) is None


def test_does_not_claim_other_platforms_fixtures() -> None:
    for path in FIXTURES.rglob("*"):
        rel = path.relative_to(FIXTURES).as_posix()
        # real/SOURCES.md (documentation of the fixtures) belongs to no platform.
        if path.is_dir() or rel.startswith("notes/") or rel == "real/SOURCES.md":
            continue
        assert connector.recognise(ExportFile.from_path(path, rel)) == 0.0, rel
