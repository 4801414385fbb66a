"""Name normalisation, so the same artist, film, book or brand from several platforms is
one item: diacritics folded, case folded, "The" dropped, featured artists and
decorations ("Remastered 2011", "(Official Video)", " - Topic") removed, film years
split off."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s&+#]", re.UNICODE)
_FEAT = re.compile(r"\s*[\(\[]?\s*\b(feat\.?|ft\.?|featuring|with)\s+[^\)\]]*[\)\]]?", re.I)
_DECORATION = re.compile(
    r"\s*[\(\[][^\)\]]*\b(remaster(ed)?|official|lyrics?|audio|video|visualizer|live at|"
    r"version|edit|mix|mono|stereo|hd|4k|explicit|clean)\b[^\)\]]*[\)\]]",
    re.I,
)
_DASH_DECORATION = re.compile(
    r"\s+-\s+(\d{4}\s+)?(remaster(ed)?|single version|radio edit|live|mono|stereo)\b.*$", re.I
)
_TOPIC_SUFFIX = re.compile(r"\s+-\s+topic$", re.I)
_YEAR = re.compile(r"^(?P<name>.*?)\s*[\(\[]?(?P<year>(18|19|20)\d{2})[\)\]]?$")
_LEADING_THE = re.compile(r"^(the|a|an)\s+", re.I)


@lru_cache(maxsize=131_072)
def fold(text: str) -> str:
    """Lower-case, diacritics removed, punctuation dropped, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("’", "'").replace("'", "")
    return _SPACES.sub(" ", _PUNCT.sub(" ", stripped.casefold())).strip()


@lru_cache(maxsize=131_072)
def artist_key(name: str) -> str:
    """``The Beatles`` = ``Beatles``; ``Björk`` = ``Bjork``; ``X feat. Y`` = ``X``;
    YouTube's ``X - Topic`` channels = ``X``."""
    base = _TOPIC_SUFFIX.sub("", name)
    base = _FEAT.sub("", base)
    key = fold(base)
    return _LEADING_THE.sub("", key) or key


@lru_cache(maxsize=131_072)
def title_key(title: str) -> str:
    """A track, video or book title without decorations and featured artists."""
    base = _DASH_DECORATION.sub("", _DECORATION.sub("", _FEAT.sub("", title)))
    key = fold(base)
    return _LEADING_THE.sub("", key) or key


def split_year(title: str) -> tuple[str, int | None]:
    """``Parasite (2019)`` -> (``Parasite``, 2019)."""
    match = _YEAR.match(title.strip())
    if match and match.group("name").strip():
        return match.group("name").strip(), int(match.group("year"))
    return title.strip(), None


@lru_cache(maxsize=131_072)
def film_key(title: str) -> str:
    """A film or show, year removed: ``Parasite (2019)`` = ``parasite``."""
    name, _ = split_year(title)
    return title_key(name)


def display(name: str) -> str:
    """A clean display form (``X - Topic`` -> ``X``)."""
    return _TOPIC_SUFFIX.sub("", name).strip()
