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
the best field it is in at all. A field keeps each of its words once: where a
word is within a field never matters, only which field it is in.

A large list (the catalogue: tens of thousands of items) is searched a column
at a time instead (`Columns`, `matching`, `Ranking`): every step is a `map` of
a `str` method over all the items at once, at C speed, and the order is worked
out only as far as it is read (the list on screen reads a page of it). The
results are exactly `scan`'s; the tests hold the two together.
"""

from __future__ import annotations

import re
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, compress, filterfalse, repeat
from operator import add, contains, itemgetter
from typing import Generic, NamedTuple, TypeVar, overload

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


def _field(*texts: str) -> str:
    """Texts as one field of a haystack: `normalise`, each word once."""
    words = dict.fromkeys(_spaced(" ".join(texts)).split())
    return " " + " ".join(words) if words else ""


# The many-at-once form of `_spaced`: the texts of all items joined by a NUL,
# which no text the reader gives holds and which both keep, then split again.
_SEP = "\x00"
_ASCII_SPACED_KEEP_SEP = bytes(byte if byte == 0 else _ASCII_SPACED[byte] for byte in range(256))
_NOT_ALPHANUMERIC_OR_SEP = re.compile(r"(?:[^\w\x00]|_)+")


def _fields(texts: list[str]) -> list[str] | None:
    """`_field` of each text, for all of them at once; None if a text holds a NUL."""
    joined = _SEP.join(texts)
    if joined.count(_SEP) != max(len(texts) - 1, 0):
        return None
    if joined.isascii():
        spaced = joined.encode("ascii").translate(_ASCII_SPACED_KEEP_SEP).decode("ascii")
    else:
        spaced = _NOT_ALPHANUMERIC_OR_SEP.sub(" ", joined.casefold())
    parts = spaced.split(_SEP) if texts else []
    # " " + the words once each, joined by spaces; "" when there are none.
    return list(
        map(str.rstrip, map(" ".__add__, map(" ".join, map(dict.fromkeys, map(str.split, parts)))))
    )


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
        name_field, others, ident_field = _field(name), _field(*other_names), _field(ident)
        others_at = len(name_field) + 1
        ident_at = others_at + len(others) + 1
        texts_at = ident_at + len(ident_field) + 1
        text = "\n".join((name_field, others, ident_field, _field(*texts)))
        return cls(text, others_at, ident_at, texts_at)

    @classmethod
    def many(
        cls,
        names: Sequence[str],
        idents: Sequence[str],
        texts: Sequence[Sequence[str]],
        other_names: Sequence[Sequence[str]],
    ) -> list[Haystack]:
        """`Haystack.of` for each item (the i-th of every argument), a field at a
        time for all the items at once: the same haystacks."""
        columns = [
            _fields(list(names)),
            _fields(list(map(" ".join, other_names))),
            _fields(list(idents)),
            _fields(list(map(" ".join, texts))),
        ]
        if any(column is None for column in columns):  # a NUL in a text: one at a time
            return [
                cls.of(name, ident, more, other_names=others)
                for name, ident, more, others in zip(names, idents, texts, other_names, strict=True)
            ]
        name_fields, others, ident_fields, rest = columns
        assert name_fields is not None and others is not None and ident_fields is not None
        assert rest is not None
        others_at = list(map(add, map(len, name_fields), repeat(1)))
        ident_at = list(map(add, map(add, others_at, map(len, others)), repeat(1)))
        texts_at = list(map(add, map(add, ident_at, map(len, ident_fields)), repeat(1)))
        joined = map("\n".join, zip(name_fields, others, ident_fields, rest, strict=True))
        return list(
            map(tuple.__new__, repeat(cls), zip(joined, others_at, ident_at, texts_at, strict=True))
        )


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


# The column-wise search -------------------------------------------------------
#
# A word's quality in an item comes down to which prefix of its haystack holds
# the word, or the word after a space (it starts a word there): the name (up to
# `others_at`), the name and other names (`ident_at`), those and the id (the
# "head", up to `texts_at`), or the whole text. Each "quality at most q" is one
# or two such tests, each a `str.count` (or `in`) per item, done for many items
# at once with `map` at C speed; an item's quality is its worst word's.
#
# The head is short; the rest of the text (steps, cue) is most of the bytes. So
# a search first goes through the head of every item, which finds and ranks
# every item of quality up to IDENT_INSIDE, then through the rest of the text,
# which finds the other matches (TEXT_STARTS, then TEXT_INSIDE). Both go a chunk
# at a time, and only as far as what is read needs: the first screenful of a
# large search is usually known after a chunk or two, the whole of it later.
# Rows are kept in arrays of machine integers rather than lists: a search of
# 50,000 items keeps a few of them, and the collector walks every list on each
# full pass (30-40 ms pauses while typing), never an array; half the memory too.
Rows = array  # array[int], typecode "l"


def _rows(values: Iterable[int] = ()) -> Rows:
    return array("l", values)


_NAME, _NAMES, _HEAD, _ALL = 0, 1, 2, 3  # the prefixes: name; + other names; + id; all
_STARTS, _INSIDE = True, False
Place = tuple[int, bool]  # (prefix, starts a word there?)
# The qualities a match within the head can have, best first, with the places
# that give a word at most that quality; what is left over has IDENT_INSIDE.
# A match outside the head has TEXT_STARTS if each word starts a word (or is in
# the head), else TEXT_INSIDE.
_HEAD_LEVELS: tuple[tuple[int, tuple[Place, ...]], ...] = (
    (NAME_STARTS, ((_NAME, _STARTS),)),
    (OTHER_NAME_STARTS, ((_NAMES, _STARTS),)),
    (NAME_INSIDE, ((_NAMES, _STARTS), (_NAME, _INSIDE))),
    (OTHER_NAME_INSIDE, ((_NAMES, _INSIDE),)),
    (IDENT_STARTS, ((_NAMES, _INSIDE), (_HEAD, _STARTS))),
)
_TEXT_LEVELS: tuple[tuple[int, tuple[Place, ...]], ...] = (
    (TEXT_STARTS, ((_HEAD, _INSIDE), (_ALL, _STARTS))),
)
_FIRST_CHUNK = 256  # items gone through at first: enough for a screen, in most searches
_MOST_CHUNK = 4096  # then twice as many each time, up to this: ~2 ms of work at most


class Columns:
    """The haystacks of a list of items, a column per part, for `Search`.

    Items are named by their row: their index in the list given.
    """

    def __init__(self, haystacks: Sequence[Haystack]) -> None:
        self.texts: list[str] = list(map(itemgetter(0), haystacks))
        self.ends: tuple[Rows, Rows, Rows] = (
            _rows(map(itemgetter(1), haystacks)),  # the name's end
            _rows(map(itemgetter(2), haystacks)),  # the other names' end
            _rows(map(itemgetter(3), haystacks)),  # the id's end: the head's
        )

    def __len__(self) -> int:
        return len(self.texts)

    def joined(self, more: Columns) -> Columns:
        """These items, then those of `more`."""
        columns = Columns(())
        columns.texts = self.texts + more.texts
        ends = [mine + theirs for mine, theirs in zip(self.ends, more.ends, strict=True)]
        columns.ends = (ends[0], ends[1], ends[2])
        return columns

    def holding(self, rows: Rows, needle: str, prefix: int) -> Rows:
        """The rows (in the order given) whose text holds `needle` within `prefix`."""
        texts = map(self.texts.__getitem__, rows)
        if prefix == _ALL:
            return _rows(compress(rows, map(contains, texts, repeat(needle))))
        ends = map(self.ends[prefix].__getitem__, rows)
        return _rows(compress(rows, map(str.count, texts, repeat(needle), repeat(0), ends)))


class _Levels:
    """Rows split quality by quality, best first, each in the order they came:
    a quality's rows are those whose every word is in one of its places, of the
    rows no better quality took; what is left at the end has the worst quality.
    Rows are fed in order (`rows`, until `closed`); split a chunk at a time."""

    def __init__(self, search: Search, levels: tuple[tuple[int, tuple[Place, ...]], ...]) -> None:
        self._search = search
        self._levels = levels  # (quality, places), best first
        self._level = 0
        self._chunk = _FIRST_CHUNK
        self.rows: Rows = _rows()  # the rows of the level being split
        self.closed = False  # no more rows will be fed
        self._at = 0
        self._later: Rows = _rows()  # what this level leaves: the next one's rows
        self.placed: Rows = _rows()  # in their final place: the rows ranked so far
        self.done = False

    def step(self) -> bool:
        """Split one more chunk; False if that needs rows not fed yet."""
        if self._level == len(self._levels):  # what is left has the worst quality
            if not self.closed:
                return False
            self.placed += self.rows[self._at :]
            self.done = True
            return True
        chunk = self.rows[self._at : self._at + self._chunk]
        if not chunk:
            if not self.closed:
                return False
            self._level += 1  # this quality is done: the next splits what it left
            self.rows, self._at, self._later = self._later, 0, _rows()
            self._chunk = _FIRST_CHUNK
            return True
        self._at += len(chunk)
        self._chunk = min(self._chunk * 2, _MOST_CHUNK)
        _, places = self._levels[self._level]
        best = self._search._all(chunk, places)
        self.placed += best
        if len(best) < len(chunk):
            self._later += _without(chunk, best)
        return True


Segment = tuple[Rows, frozenset[str]]  # rows, ascending; the words they hold


class Search(Sequence[int]):
    """The rows that hold every word, best first as `scan` orders them; found and
    ranked a chunk at a time, only as far as they are read.

    `pool` is where to look: segments of rows, ascending, each with the words
    its rows are known to hold (a narrower search starts from a wider one's
    matches). Two passes go through it in order. The head pass takes the rows
    whose every word is in the head (name, other names, id), which is short:
    they match, with a quality up to IDENT_INSIDE. The text pass reads the
    others' whole text (most of the bytes): those holding every word match,
    with TEXT_STARTS if each word starts a word there (or is in the head),
    else TEXT_INSIDE. Each set is ranked quality by quality (`_Levels`).

    So the first screenful of a search that many names match is known after a
    chunk of the head pass; `ready` says how many rows, from the first, are in
    their final place. Counting (`len`) needs both passes through every row,
    but no ranking; `advance` does that a little at a time, so a screen can
    show the first rows at once and the count a few milliseconds later.
    """

    def __init__(self, columns: Columns, pool: list[Segment], words: Sequence[str]) -> None:
        self._columns = columns
        self._words = [(word, " " + word) for word in words]
        self._word_set = frozenset(words)
        self.pool = pool
        self._head_at = self._text_at = (0, 0)  # (segment, row) each pass is at
        self._head_chunk = self._text_chunk = _FIRST_CHUNK
        self._text_rows: list[Segment] = []  # what the head pass left for the text pass
        self._head = _Levels(self, _HEAD_LEVELS)
        self._text = _Levels(self, _TEXT_LEVELS)
        self._found: Rows = _rows()  # every match so far: the head's, then the text's
        self._text_found: Rows = _rows()
        self._rejected: Rows = _rows()  # rows the text pass found without a word
        self._joined: tuple[tuple[int, int], Rows] = ((0, 0), _rows())
        self._matched: Rows | None = None
        if not words:  # nothing to look for: every row, in order
            rows = pool[0][0] if len(pool) == 1 else _rows(chain.from_iterable(r for r, _ in pool))
            self._head.placed = self._found = self._matched = rows
            self._head.closed = self._head.done = True
            self._text.closed = self._text.done = True
            self.pool = []

    # What is known ------------------------------------------------------------
    @property
    def counted(self) -> bool:
        """True once every row is checked: `len` costs nothing more."""
        return self._text.closed

    @property
    def ready(self) -> int:
        """How many rows, from the first, are in their final place so far."""
        return len(self._head.placed) + (len(self._text.placed) if self._head.done else 0)

    def __len__(self) -> int:
        while not self.counted:
            self._count_step()
        return len(self._found) + len(self._text_found)

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            if (index.start or 0) < 0 or (index.stop or 0) < 0:
                len(self)
            start, stop, step = index.indices(1 << 62 if not self.counted else len(self))
            self._place(max(start + 1, stop) if step > 0 else start + 1)
            return self._placed()[index].tolist()
        self._place((index + len(self) if index < 0 else index) + 1)
        return self._placed()[index]

    def __iter__(self) -> Iterator[int]:
        self._place(1 << 62)
        return iter(self._placed())

    def matched(self) -> Rows:
        """Every matching row, in pool order."""
        if self._matched is None:
            len(self)
            self._matched = _rows(sorted(self._found + self._text_found))
        return self._matched

    def narrower_size(self) -> int:
        """How many rows `narrower_pool` has, without making it."""
        if self.counted:
            return len(self)
        return sum(len(rows) for rows, _ in self.pool) - len(self._rejected)

    def narrower_pool(self) -> list[Segment]:
        """Where a search for more words can start: the matches once counted; else
        the pool, less the rows found not to match."""
        if self.counted:
            return [(self.matched(), self._word_set)]
        if not self._rejected:
            return self.pool
        rejected = set(self._rejected)
        return [(_rows(filterfalse(rejected.__contains__, rows)), held) for rows, held in self.pool]

    def advance(self, seconds: float) -> bool:
        """Count for about that long (a chunk at least); True once counted."""
        deadline = time.perf_counter() + seconds
        while not self.counted:
            self._count_step()
            if time.perf_counter() >= deadline:
                break
        return self.counted

    # The work -----------------------------------------------------------------
    def _placed(self) -> Rows:
        if not self._head.done or not self._text.placed:
            return self._head.placed
        sizes = (len(self._head.placed), len(self._text.placed))
        if self._joined[0] != sizes:  # a list reads row by row: join once per change
            self._joined = (sizes, self._head.placed + self._text.placed)
        return self._joined[1]

    def _place(self, wanted: int) -> None:
        while self.ready < wanted:
            if not self._head.done:
                if not self._head.step():  # it needs more rows from the head pass
                    self._head_step()
            elif not self._text.done:
                if not self._text.step():
                    self._text_step()
            else:
                return

    def _count_step(self) -> None:
        if not self._head.closed:
            self._head_step()
        else:
            self._text_step()

    @staticmethod
    def _next(
        segments: list[Segment], at: tuple[int, int], size: int
    ) -> tuple[tuple[int, int], Segment | None]:
        segment, row = at
        while segment < len(segments) and row >= len(segments[segment][0]):
            segment, row = segment + 1, 0
        if segment >= len(segments):
            return at, None
        rows, held = segments[segment]
        chunk = rows[row : row + size]
        return (segment, row + len(chunk)), (chunk, held)

    def _head_step(self) -> None:
        """The next rows of the pool: those with every word in the head to the head
        ranking, the others to the text pass."""
        self._head_at, taken = self._next(self.pool, self._head_at, self._head_chunk)
        self._head_chunk = min(self._head_chunk * 2, _MOST_CHUNK)
        if taken is None:
            self._head.closed = True
            return
        rows, held = taken
        head = self._all(rows, ((_HEAD, _INSIDE),))
        self._head.rows += head
        self._found += head
        if len(head) < len(rows):
            self._text_rows.append((_without(rows, head), held))

    def _text_step(self) -> None:
        """The next rows the head pass left: those holding every word to the text
        ranking."""
        if not self._head.closed:  # it follows the head pass
            self._head_step()
            return
        self._text_at, taken = self._next(self._text_rows, self._text_at, self._text_chunk)
        self._text_chunk = min(self._text_chunk * 2, _MOST_CHUNK)
        if taken is None:
            self._text.closed = True
            # Counted: what only counting needed can go (a recent search is kept).
            self.pool, self._text_rows, self._rejected = [], [], _rows()
            return
        rows, held = taken
        kept = rows
        for word in self._word_set - held:
            if not kept:
                break
            kept = self._columns.holding(kept, word, _ALL)
        if len(kept) < len(rows):
            self._rejected += _without(rows, kept)
        self._text.rows += kept
        self._text_found += kept

    def _all(self, rows: Rows, places: tuple[Place, ...]) -> Rows:
        """The rows (in order) where every word is in one of the places."""
        for word, word_start in self._words:
            if not rows:
                break
            found: Rows = _rows()
            left = rows
            for prefix, starts in places:
                more = self._columns.holding(left, word_start if starts else word, prefix)
                found = _rows(sorted(found + more)) if found else more
                if len(found) == len(rows):
                    break
                left = _without(left, more)
            rows = found
        return rows


def _without(rows: Rows, taken: Rows) -> Rows:
    """`rows` less those in `taken`, in order."""
    kept = set(taken)
    return _rows(filterfalse(kept.__contains__, rows))
