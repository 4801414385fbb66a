"""``iter_json_items`` decodes runs of whole elements with orjson and hands the rest to
ijson: whatever the split points, it must yield exactly what ijson alone yields, and fail
where ijson fails, after the same elements."""

from __future__ import annotations

import io
import json
from typing import Any

import ijson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors import util
from connectors.base import ExportFile, ParseError
from connectors.util import iter_json_items

TRICKY = st.sampled_from(["},", "}, {", "]", '"', "\\", "é", "\u2028", "{", "},\n  {", ""])
TEXT = st.one_of(st.text(max_size=12), TRICKY)
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1),  # yajl: -2**63 overflows
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
ELEMENTS = st.lists(st.one_of(st.dictionaries(TEXT, VALUE, max_size=5), VALUE), max_size=30)


def _file(data: bytes) -> ExportFile:
    return ExportFile("<test>", "test.json", len(data), lambda: io.BytesIO(data))


def _reference(data: bytes, prefix: str) -> tuple[list[Any], bool]:
    """What ijson alone yields, and whether it fails (BOM removed as the reader does)."""
    out: list[Any] = []
    stream = io.BytesIO(data.removeprefix(b"\xef\xbb\xbf"))
    try:
        for item in ijson.items(stream, prefix, use_float=True):
            out.append(item)
    except (ijson.common.IncompleteJSONError, UnicodeDecodeError):
        return out, True
    return out, False


def _ours(data: bytes, prefix: str) -> tuple[list[Any], bool]:
    out: list[Any] = []
    try:
        for item in iter_json_items(_file(data), prefix):
            out.append(item)
    except ParseError:
        return out, True
    return out, False


def _encode(doc: Any, indent: int | None, bom: bool) -> bytes:
    data = json.dumps(doc, indent=indent, ensure_ascii=indent is None).encode()
    return (b"\xef\xbb\xbf" if bom else b"") + data


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few dozen bytes: every document is cut in many places."""
    monkeypatch.setattr(util, "JSON_CHUNK", 48)
    monkeypatch.setattr(util, "_MAX_BUFFER", 48 * 16)


@settings(max_examples=300, deadline=None)
@given(ELEMENTS, st.sampled_from([None, 0, 2]), st.booleans(), st.booleans())
def test_same_elements_as_ijson(
    elements: list[Any], indent: int | None, bom: bool, wrapped: bool
) -> None:
    doc: Any = {"Browser History": elements, "after": [{"x": "},"}]} if wrapped else elements
    prefix = "Browser History.item" if wrapped else "item"
    data = _encode(doc, indent, bom)
    assert _ours(data, prefix) == _reference(data, prefix) == (elements, False)


@settings(max_examples=300, deadline=None)
@given(ELEMENTS, st.sampled_from([None, 2]), st.booleans(), st.data())
def test_broken_documents_fail_like_ijson(
    elements: list[Any], indent: int | None, wrapped: bool, data: st.DataObject
) -> None:
    doc: Any = {"locations": elements} if wrapped else elements
    prefix = "locations.item" if wrapped else "item"
    whole = _encode(doc, indent, False)
    cut = data.draw(st.integers(min_value=0, max_value=len(whole)))
    junk = data.draw(st.sampled_from([b"", b"}", b",", b"]", b"x", b'"', b"\xff", b" ]]"]))
    broken = whole[:cut] + junk + whole[cut + 1 :]
    ours, theirs = _ours(broken, prefix), _reference(broken, prefix)
    assert ours == theirs


def test_real_sized_chunks_and_other_prefixes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(util, "JSON_CHUNK", 1 << 20)
    monkeypatch.setattr(util, "_MAX_BUFFER", 16 << 20)
    rows = [{"url": f"https://e.com/{i}", "n": i, "t": "a}, {b"} for i in range(60_000)]
    data = json.dumps({"Browser History": rows}).encode()
    assert list(iter_json_items(_file(data), "Browser History.item")) == rows
    nested = json.dumps({"a": {"b": rows[:10]}}).encode()  # not a first-member array
    assert list(iter_json_items(_file(nested), "a.b.item")) == rows[:10]
    later = json.dumps({"x": 1, "locations": rows[:10]}).encode()  # not the first key
    assert list(iter_json_items(_file(later), "locations.item")) == rows[:10]
    assert list(iter_json_items(_file(b"  [ ]  "), "item")) == []
    with pytest.raises(ParseError, match="truncated"):
        list(iter_json_items(_file(data[: len(data) // 2]), "Browser History.item"))


@pytest.mark.parametrize(
    ("data", "prefix"),
    [
        (b'[{"a": 1}, {"b": 2},\n ]', "item"),  # found by the property test above
        (b'{"k": [{"a": 1}, {"b": 2}, ], "z": 1}', "k.item"),
    ],
)
def test_a_trailing_comma_fails_like_ijson(data: bytes, prefix: str) -> None:
    assert _ours(data, prefix) == _reference(data, prefix) == ([{"a": 1}, {"b": 2}], True)
