"""The one search order: its invariants (hypothesis), and what a person types."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backtui.core import ranking
from backtui.core.catalog import Catalog
from backtui.core.model import Category, Exercise, Position, Spine
from backtui.core.ranking import (
    WORST,
    Columns,
    Haystack,
    Search,
    normalise,
    quality,
    query_words,
    rank,
    scan,
    words_of,
)

# Few letters, so words often match; "é" and "ß" take the non-ASCII path.
TEXT = st.text(alphabet="abcé ß-'_AB", max_size=14)
ITEM = st.tuples(TEXT, TEXT, TEXT, st.lists(TEXT, max_size=2), st.lists(TEXT, max_size=2))
ITEMS = st.lists(ITEM, max_size=12)
QUERY = st.text(alphabet="abcé ß-AB", max_size=6)


def hay(item) -> Haystack:
    name, ident, text, others, more = item
    return Haystack.of(name, ident, (text, *more), other_names=others)


def everything(item) -> list[str]:
    name, ident, text, others, more = item
    return words_of(" ".join((name, ident, text, *others, *more)))


def expected_quality(item, words) -> int | None:
    """The order as the module's doc states it, the slow way."""
    name, ident, text, others, more = item
    fields = [  # (rank, other names?, words)
        (0, 0, words_of(name)),
        (0, 1, words_of(" ".join(others))),
        (1, 0, words_of(ident)),
        (2, 0, words_of(" ".join((text, *more)))),
    ]
    worst = 0
    for word in words:
        places = [
            (rank, 0 if any(w.startswith(word) for w in found) else 1, other)
            for rank, other, found in fields
            if any(word in w for w in found)
        ]
        if not places:
            return None
        rank_, inside, other = min(places)
        worst = max(worst, rank_ * 4 + inside * 2 + other)
    return worst


@given(ITEMS, QUERY)
def test_results_are_the_items_holding_every_word_each_once(items, query):
    words = query_words(query)
    results = rank(range(len(items)), lambda i: hay(items[i]), query)
    assert len(set(results)) == len(results)
    holding = [
        i
        for i, item in enumerate(items)
        if all(any(w in t for t in everything(item)) for w in words)
    ]
    assert sorted(results) == holding


@given(ITEMS, QUERY)
def test_the_order_is_by_quality_then_as_given(items, query):
    words = query_words(query)
    results = rank(range(len(items)), lambda i: hay(items[i]), query)
    keys = [(expected_quality(items[i], words), i) for i in results]
    assert keys == sorted(keys)
    assert all(
        quality(hay(items[i]), words) == key for i, (key, _) in zip(results, keys, strict=True)
    )
    assert all(0 <= key <= WORST for key, _ in keys)


@given(ITEMS, QUERY, QUERY)
def test_another_word_never_adds_results(items, query, more):
    fewer = set(rank(range(len(items)), lambda i: hay(items[i]), query))
    narrower = set(rank(range(len(items)), lambda i: hay(items[i]), f"{query} {more}"))
    assert narrower <= fewer


@given(ITEMS, st.text(alphabet=" -'_", max_size=4))
def test_a_query_without_words_lists_everything_in_order(items, query):
    assert rank(items, hay, query) == items


def test_normalising_splits_on_anything_not_a_letter_or_digit():
    assert normalise("Child's pose", "Prone press-up") == " child s pose prone press up"
    assert normalise("  ", "") == ""
    assert query_words("Press-UP  press 90/90") == ("press", "up", "90")
    assert words_of("Straße Élan_x") == ["strasse", "élan", "x"]


def test_a_name_ranks_above_an_alias_above_an_id_above_the_rest():
    items = [
        ("in text", Haystack.of("Other", "other-1", ("slow breath",))),
        ("in id", Haystack.of("Other", "breath-2")),
        ("in an alias", Haystack.of("Other", "other-3", other_names=("breath",))),
        ("inside the name", Haystack.of("Outbreath", "other-4")),
        ("starts the name", Haystack.of("Breath", "other-5")),
    ]
    found = [label for label, _ in scan(items, ["breath"]).ranked()]
    assert found == ["starts the name", "in an alias", "inside the name", "in id", "in text"]


def test_the_worst_word_sets_the_rank():
    items = [
        ("both in the cue", Haystack.of("Other", "x", ("prone press",))),
        ("one in the name", Haystack.of("Prone", "y", ("press",))),
        ("both in the name", Haystack.of("Prone press-up", "z")),
    ]
    # "one in the name" has its worst word in the cue, as "both in the cue" does:
    # equal, so they keep the order given.
    ranked = [label for label, _ in scan(items, ["prone", "press"]).ranked()]
    assert ranked == ["both in the name", "both in the cue", "one in the name"]


# The built-in catalogue, as a person searches it.
def ids(catalog, query):
    return [e.id for e in catalog.search(query)]


def test_prone_press_finds_the_prone_press_up_first(catalog):
    assert ids(catalog, "prone press")[0] == "prone-press-up"
    assert ids(catalog, "Prone press-up")[0] == "prone-press-up"


def test_breath_finds_the_therapeutic_breath_first(catalog):
    found = ids(catalog, "breath")
    assert found[0] == "therapeutic-breath"
    assert len(found) > 10  # nearly every cue says breathe: they come after


def test_child_finds_childs_pose_first(catalog):
    assert ids(catalog, "child")[0] == "childs-pose"
    assert ids(catalog, "child's pose")[0] == "childs-pose"


def test_an_alias_ranks_above_a_word_only_in_the_cue_or_steps(catalog):
    pursed = ids(catalog, "pursed")  # an alias of the breath, in the cold pack's cue
    assert pursed.index("therapeutic-breath") < pursed.index("cold-pack")
    assert "pursed" not in catalog.haystack("cold-pack").text.split("\n")[1]
    ball = ids(catalog, "ball")  # "be the ball"; feet up mentions an exercise ball in its steps
    assert ball.index("knees-to-chest") < ball.index("feet-up-relax")
    assert list(catalog).index("feet-up-relax") < list(catalog).index("knees-to-chest")


def test_an_alias_beats_catalogue_order():
    def move(id_, **texts) -> Exercise:
        return Exercise(
            id_, id_.title(), Spine.NEUTRAL, Category.STRETCH, Position.ANY, ("Lie down.",), **texts
        )

    cue_only, aliased = move("first", cue="cobra"), move("second", aliases=("cobra",))
    assert [e.id for e in Catalog([cue_only, aliased]).search("cobra")] == ["second", "first"]


def test_spaces_list_the_whole_catalogue_in_order(catalog):
    assert catalog.search("   ") == list(catalog.values())


# The column-wise search the catalogue uses: exactly `scan`'s answers.
def spread(item) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    name, ident, text, others, more = item
    return name, ident, (text, *more), tuple(others)


def unique_words_kept(item) -> Haystack:
    """A haystack as before fields kept each word once: every word, in order."""
    name, ident, text, others, more = item
    fields = (normalise(name), normalise(*others), normalise(ident), normalise(text, *more))
    others_at = len(fields[0]) + 1
    ident_at = others_at + len(fields[1]) + 1
    return Haystack("\n".join(fields), others_at, ident_at, ident_at + len(fields[2]) + 1)


NUL_TEXT = st.text(alphabet="abcé ß-'_AB\x00\n", max_size=14)
ANY_ITEMS = st.lists(
    st.tuples(NUL_TEXT, NUL_TEXT, NUL_TEXT, st.lists(NUL_TEXT, max_size=2), st.lists(TEXT)),
    max_size=12,
)


@given(ANY_ITEMS)
def test_many_haystacks_at_once_are_the_same_as_one_at_a_time(items):
    names, idents, texts, others = ([spread(item)[k] for item in items] for k in range(4))
    assert Haystack.many(names, idents, texts, others) == [hay(item) for item in items]


@given(ITEMS, QUERY)
def test_keeping_each_word_of_a_field_once_changes_no_answer(items, query):
    words = query_words(query)
    once = scan([(i, hay(item)) for i, item in enumerate(items)], words)
    every = scan([(i, unique_words_kept(item)) for i, item in enumerate(items)], words)
    assert [i for i, _ in once.ranked()] == [i for i, _ in every.ranked()]
    assert [i for i, _ in once.matched] == [i for i, _ in every.matched]


@given(
    ITEMS,
    QUERY,
    st.lists(st.one_of(st.integers(0, 14), st.none()), max_size=5),
    st.integers(0, 3),
    st.integers(0, 12),
)
def test_the_column_search_gives_what_scan_gives(items, query, reads, chunk_power, split):
    words = query_words(query)
    haystacks = [hay(item) for item in items]
    expected = scan(list(enumerate(haystacks)), words)
    best_first = [i for i, _ in expected.ranked()]
    rows = list(range(len(items)))
    # A pool in two parts, the second known to hold the first word already (as a
    # narrower search's pool is): rows that do not hold it cannot match anyway.
    held = frozenset(words[:1])
    holding = [r for r in rows[split:] if all(w in haystacks[r].text for w in held)]
    pool = [(rows[:split], frozenset()), (holding, held)]
    original = ranking._FIRST_CHUNK
    ranking._FIRST_CHUNK = 1 << chunk_power  # small chunks: every way of splitting the work
    try:
        search = Search(Columns(haystacks), pool, words)
        ready = 0
        for read in reads:  # a screenful first, or some counting, then more: as scan has it
            if read is None:
                search.advance(0)
            else:
                assert search[:read] == best_first[:read]
                if read < len(best_first):
                    assert search[read] == best_first[read]
            assert search.ready >= ready  # only ever grows
            ready = search.ready
            assert list(search._placed()[:ready]) == best_first[:ready]
        assert len(search) == len(best_first)
        assert list(search.matched()) == [i for i, _ in expected.matched]
        assert list(search) == best_first
        assert search[-1:] == best_first[-1:]
        assert search.counted and search.ready == len(best_first)
    finally:
        ranking._FIRST_CHUNK = original


@given(ITEMS, QUERY, QUERY)
def test_narrowing_from_an_earlier_search_gives_what_a_fresh_search_gives(items, first, more):
    exercises = [
        Exercise(
            f"e-{n}",
            name or "x",
            Spine.NEUTRAL,
            Category.STRETCH,
            Position.ANY,
            (text or "t", *more_texts),
            cue=ident,
            aliases=tuple(others),
        )
        for n, (name, ident, text, others, more_texts) in enumerate(items)
    ]
    typed = [first[:i] for i in range(len(first) + 1)] + [f"{first} {more}", first, more]
    warm = Catalog(exercises)
    original = ranking._FIRST_CHUNK
    ranking._FIRST_CHUNK = 1  # a row at a time, so a search is often left half done
    try:
        for n, query in enumerate(typed):  # one catalogue typed into, a fresh one per query
            fresh = Catalog(exercises)
            if n % 2:  # the screen reads a row and the next key comes
                assert warm.results(query)[:1] == fresh.search(query)[:1]
                continue
            assert warm.results(query) == fresh.search(query)
            haystacks = [(e, fresh.haystack(e.id)) for e in exercises]
            expected = [e for e, _ in scan(haystacks, query_words(query)).ranked()]
            assert fresh.search(query) == (expected if query_words(query) else exercises)
    finally:
        ranking._FIRST_CHUNK = original


@given(ITEMS, QUERY, st.integers(0, 12), st.sampled_from([None, *Category]))
def test_an_extended_catalogue_and_filters_search_as_a_fresh_one(items, query, split, category):
    exercises = [
        Exercise(
            f"e-{n}",
            name or "x",
            Spine.NEUTRAL,
            list(Category)[n % len(Category)],
            Position.ANY,
            (text or "t", *more_texts),
            aliases=tuple(others),
        )
        for n, (name, ident, text, others, more_texts) in enumerate(items)
    ]
    base = Catalog(exercises[:split])
    base.prepare_search()
    extended = base.extended([*exercises[split:], *exercises[:1]])  # an id twice: kept once
    fresh = Catalog(exercises)
    assert list(extended) == list(fresh)
    for typed in (query, query[:2], query):
        assert extended.search(typed, category=category) == fresh.search(typed, category=category)
        expected = (
            [
                e
                for e, _ in scan(
                    [(e, fresh.haystack(e.id)) for e in exercises], query_words(typed)
                ).ranked()
            ]
            if query_words(typed)
            else exercises
        )
        assert fresh.search(typed, category=category) == [
            e for e in expected if category is None or e.category is category
        ]
