"""Native-key helpers on the hot path agree with the slow, obvious versions they replaced:
a changed key would change record ids and duplicate every record on the next ingest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.google import youtube
from connectors.timeutil import parse_iso, utc_key_time

OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda m: timezone(timedelta(minutes=m))
)


@given(
    st.datetimes(min_value=datetime(1971, 1, 2), max_value=datetime(2100, 1, 1)),
    st.one_of(st.just(UTC), OFFSETS),
)
def test_utc_key_time_is_what_strftime_gave(naive: datetime, tz: timezone) -> None:
    dt = naive.replace(tzinfo=tz)
    assert utc_key_time(dt) == dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert utc_key_time(dt, "minutes") == dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


@given(
    st.datetimes(min_value=datetime(1971, 1, 2), max_value=datetime(2027, 1, 1)),  # plausible
    st.integers(min_value=0, max_value=9),
    st.sampled_from(["Z", "+00:00", "+02:00", " UTC", "z"]),
)
def test_utc_key_time_from_the_raw_string(naive: datetime, digits: int, zone: str) -> None:
    fraction = f".{naive.microsecond:06d}{'123'}"[: digits + 1] if digits else ""
    raw = naive.strftime("%Y-%m-%dT%H:%M:%S") + fraction + zone
    dt, _ = parse_iso(raw)
    assert utc_key_time(dt, raw=raw) == dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=Gzcb4_IN6DM",
        "https://www.youtube.com/watch?v=Gzcb4_IN6DM&t=42s",
        "https://music.youtube.com/watch?v=abc-DEF_123#frag",
        "https://m.youtube.com/watch?v=a1&v=b2",
        "http://youtube.com/watch?v=x",
        "https://www.youtube.com/watch?feature=share&v=late",  # not first: slow path
        "https://www.youtube.com/watch?v=sp%41ce",  # escaped: slow path
        "https://www.youtube.com/watch?v=",
        "https://www.youtube.com/shorts/AbC123",
        "https://youtu.be/XyZ",
        "https://example.com/watch?v=notyoutube",
        "not a url",
    ],
)
def test_video_id_fast_path_agrees_with_parse_qs(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = youtube._video_id(url)
    monkeypatch.setattr(youtube, "_WATCH_URL_RE", youtube.re.compile(r"(?!)"))  # never
    assert fast == youtube._video_id(url)
