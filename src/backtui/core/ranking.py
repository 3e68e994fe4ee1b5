"""One search order for every list with a search box: exercises, routines, commands.

A query is split into words; an item matches when every word occurs somewhere
in it. Matches are ranked by where their words were found:

1. the name (or another name: an exercise's aliases) ranks above
2. the id (an exercise's id, a routine's slug), which ranks above
3. the rest of its text (cue, steps and category; a routine's description).

An item is ranked by its worst word: each word counts in the best field it was
found in, and the item takes the worst of those. Within a rank, an item whose
words all start a word of the text ("press" in "Prone press-up") comes before
one where a word is found only inside another ("press" in "impressed"); then,
as a last tie-break, an item whose words are all in its own name comes before
one that needs its other names ("prone press" is the name of the prone press-up
and two aliases of the back push-up). Anything still equal keeps the order it
was given in (the catalogue's order).

Texts and queries are compared after `normalise`: lower case (casefolded),
split on anything that is not a letter or a digit. A word matches inside a
word of the text, never across two ("press-up" is the two words "press" and
"up").

Speed: an item's texts are normalised once into a `Haystack`, one string with
the fields one after the other, best first, so one `str.find` gives the best
field a word starts a word of and a second (only when that is not the name)
the best field it is in at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")

_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
_ASCII_SPACED = bytes(
    byte if chr(byte).isascii() and chr(byte).isalnum() else ord(" ") for byte in range(256)
).lower()

# How well a word matches, 0 (best) to 10: 4 * rank (0 name or other names,
# 1 id, 2 the rest) + 2 if it is only inside a word there + 1 if that is in the
# other names. An item's quality is its worst word's.
NAME_STARTS, OTHER_NAME_STARTS, NAME_INSIDE, OTHER_NAME_INSIDE = 0, 1, 2, 3
IDENT_STARTS, IDENT_INSIDE, TEXT_STARTS, TEXT_INSIDE = 4, 6, 8, 10
WORST = TEXT_INSIDE
E = TypeVar("E", bound=tuple[object, "Haystack"])


def _spaced(text: str) -> str:
    """Lower case, with a space for each character that is not a letter or a digit."""
    if text.isascii():  # the common case, eight times faster than the regex
        return text.encode("ascii").translate(_ASCII_SPACED).decode("ascii")
    return _NOT_ALPHANUMERIC.sub(" ", text.casefold())


def words_of(text: str) -> list[str]:
    """The words of a text: lower case, split on anything not a letter or digit."""
    return _spaced(text).split()


def query_words(query: str) -> tuple[str, ...]:
    """A query's words, each once, in order; a query of only spaces has none."""
    return tuple(dict.fromkeys(words_of(query)))


def normalise(*texts: str) -> str:
    """Texts as one field: each word preceded by a space (" prone press up")."""
    words = _spaced(" ".join(texts)).split()
    return " " + " ".join(words) if words else ""


class Haystack(NamedTuple):
    """An item's normalised texts, ready to be searched many times.

    `text` holds the four fields in order (name, other names, id, the rest),
    each a run of space-led words, separated by a newline; the name starts at
    0 and the others at `others_at`, `ident_at` and `texts_at`.
    """

    text: str
    others_at: int
    ident_at: int
    texts_at: int

    @classmethod
    def of(
        cls, name: str, ident: str = "", texts: Iterable[str] = (), other_names: Iterable[str] = ()
    ) -> Haystack:
        name_field, others, ident_field = normalise(name), normalise(*other_names), normalise(ident)
        others_at = len(name_field) + 1
        ident_at = others_at + len(others) + 1
        texts_at = ident_at + len(ident_field) + 1
        text = "\n".join((name_field, others, ident_field, normalise(*texts)))
        return cls(text, others_at, ident_at, texts_at)


def quality(haystack: Haystack, words: Sequence[str]) -> int | None:
    """How well an item matches the words (0 best, `WORST` worst); None if a word is missing."""
    found = scan([(None, haystack)], words)
    return next((score for score, bucket in enumerate(found.buckets) if bucket), None)


@dataclass(frozen=True, slots=True)
class Scan(Generic[E]):
    """What `scan` found: the matching entries in the order given, and by quality."""

    matched: list[E]
    buckets: tuple[list[E], ...]  # buckets[q]: the matches of quality q, in the order given

    def ranked(self) -> list[E]:
        """The matches best first; equal ones in the order given."""
        return list(chain.from_iterable(self.buckets))

    def scored(self) -> Iterator[tuple[int, E]]:
        """(quality, entry), best first."""
        for score, bucket in enumerate(self.buckets):
            for entry in bucket:
                yield score, entry


def scan(entries: Iterable[E], words: Sequence[str]) -> Scan[E]:
    """The (item, haystack) entries matching every word, and how well each matches.

    The one loop every search runs, once per item: kept flat (no call per item
    or per word, and no sort: qualities are few, so matches go straight into a
    bucket per quality) because a large catalogue runs it tens of thousands of
    times per keystroke.
    """
    prepared = [(word, " " + word) for word in words]
    matched: list[E] = []
    buckets: tuple[list[E], ...] = tuple([] for _ in range(WORST + 1))
    append = matched.append
    for entry in entries:
        text, others_at, ident_at, texts_at = entry[1]
        worst = 0
        for word, word_start in prepared:
            # Fields come best first, so a word's first place is its best place.
            starting = text.find(word_start)
            if starting < 0:  # only inside words: its first place is its best
                inside = text.find(word)
                if inside < 0:
                    break
                if inside < ident_at:
                    best = NAME_INSIDE if inside < others_at else OTHER_NAME_INSIDE
                else:
                    best = IDENT_INSIDE if inside < texts_at else TEXT_INSIDE
            elif starting < others_at:
                continue  # starts a word of the name: the best there is
            elif starting < ident_at:
                best = OTHER_NAME_STARTS
            else:  # starts a word of the id or the rest: is it inside a word of a better rank?
                rank_at = ident_at if starting < texts_at else texts_at
                inside = text.find(word, 0, rank_at)
                if inside < 0:
                    best = IDENT_STARTS if starting < texts_at else TEXT_STARTS
                elif inside < ident_at:
                    best = NAME_INSIDE if inside < others_at else OTHER_NAME_INSIDE
                else:
                    best = IDENT_INSIDE
            if best > worst:
                worst = best
        else:
            append(entry)
            buckets[worst].append(entry)
    return Scan(matched, buckets)


def matches(
    items: Iterable[T], haystack: Callable[[T], Haystack], words: Sequence[str]
) -> list[tuple[int, T]]:
    """The items matching every word, with their quality, best first (ties in the order given)."""
    found = scan([(item, haystack(item)) for item in items], words)
    return [(score, item) for score, (item, _) in found.scored()]


def rank(items: Iterable[T], haystack: Callable[[T], Haystack], query: str) -> list[T]:
    """The items matching every word of the query, best first (see the module's doc).

    A query with no words (empty, or only spaces) returns every item, in order.
    """
    words = query_words(query)
    if not words:
        return list(items)
    return [item for _, item in matches(items, haystack, words)]
