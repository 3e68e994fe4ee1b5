import tomllib

import pytest

from backtui.core import locations
from backtui.core.catalog import integrity_errors, load_catalog
from backtui.core.model import Category, Position, Spine
from helpers import CONTRACT_IDS, write

USER_EXERCISE = """\
[exercises.wall-sit]
name = "Wall sit"
spine = "neutral"
category = "strengthening"
position = "standing"
hold_s = 20
steps = ["Lean on a wall.", "Slide down a little.", "Hold."]
counters = ["childs-pose"]
"""


def test_every_contract_id_exists_with_its_spine(catalog):
    assert {i: str(catalog[i].spine) for i in CONTRACT_IDS} == CONTRACT_IDS


def test_builtin_catalogue_is_whole(catalog):
    assert integrity_errors(catalog) == []
    assert catalog.builtin_ids == frozenset(catalog)


@pytest.mark.parametrize("exercise_id", sorted(CONTRACT_IDS))
def test_each_builtin_exercise_is_complete(catalog, exercise_id):
    exercise = catalog[exercise_id]
    assert 3 <= len(exercise.steps) <= 6
    assert exercise.cue
    assert exercise.cautions
    assert exercise.hold_s or exercise.reps


def test_every_extension_move_is_countered_by_flexion(catalog):
    for exercise in catalog.values():
        if exercise.spine is Spine.EXTENSION:
            assert exercise.counters, exercise.id
            for ref in exercise.counters:
                assert catalog[ref].spine in (Spine.FLEXION, Spine.MIXED), (exercise.id, ref)


def test_builtin_files_are_one_category_each():
    for path in sorted(locations.builtin_catalog_dir().glob("*.toml")):
        document = tomllib.loads(path.read_text())
        categories = {table["category"] for table in document["exercises"].values()}
        assert categories == {path.stem}, path


def test_user_exercises_are_merged(tmp_path):
    user = tmp_path / "mine"
    write(user / "mine.toml", USER_EXERCISE)
    loaded = load_catalog(locations.builtin_catalog_dir(), user)
    assert "wall-sit" in loaded.catalog
    assert not loaded.catalog.is_builtin("wall-sit")
    assert loaded.catalog.is_builtin("cat")
    assert loaded.problems == []


def test_a_broken_user_file_is_reported_by_file_and_line_and_skipped(tmp_path):
    user = tmp_path / "mine"
    write(user / "a-good.toml", USER_EXERCISE)
    write(user / "b-syntax.toml", "[exercises.x]\nname = \n")
    bad_value = USER_EXERCISE.replace("wall-sit", "wall-sit-2").replace("hold_s = 20", "hold_s = 0")
    write(user / "c-value.toml", "# mine\n\n" + bad_value)
    write(user / "d-shadow.toml", USER_EXERCISE.replace("wall-sit", "cat"))
    loaded = load_catalog(locations.builtin_catalog_dir(), user)
    lines = [str(p) for p in loaded.problems]
    assert "wall-sit" in loaded.catalog and "wall-sit-2" not in loaded.catalog
    assert loaded.catalog["cat"].name != "Wall sit"
    assert any(line.startswith(f"{user / 'b-syntax.toml'}:2:8: error:") for line in lines), lines
    assert (
        f"{user / 'c-value.toml'}:3: exercises.wall-sit-2.hold_s: error: "
        "must be 1–1800 seconds, got 0"
    ) in lines
    assert any(str(user / "d-shadow.toml") in line and "built-in" in line for line in lines)


def test_dangling_references_in_user_exercises_are_warned(tmp_path):
    user = tmp_path / "mine"
    write(user / "m.toml", USER_EXERCISE.replace('["childs-pose"]', '["no-such"]'))
    loaded = load_catalog(locations.builtin_catalog_dir(), user)
    assert "wall-sit" in loaded.catalog
    assert any("no-such" in str(p) and p.severity == "warning" for p in loaded.problems)


def test_search_matches_words_in_name_id_alias_and_cue(catalog):
    assert next(e.id for e in catalog.search("child")) == "childs-pose"
    assert {e.id for e in catalog.search("cat")} >= {"cat", "cat-cow"}
    assert [e.id for e in catalog.search("sphinx")] == ["prone-on-elbows"]  # an alias
    assert [e.id for e in catalog.search("cobra")] == ["prone-press-up"]
    assert catalog.search("zzzz-nothing") == []
    assert all(e.id == "childs-pose" or "child" in e.id for e in catalog.search("child pose"))


def test_search_filters(catalog):
    ext = catalog.search(spine=Spine.EXTENSION)
    assert ext and all(e.spine is Spine.EXTENSION for e in ext)
    prone_strength = catalog.search(category=Category.STRENGTHENING, position=Position.PRONE)
    assert {e.id for e in prone_strength} >= {"superman"}


def test_remembered_searches_give_the_same_answers_as_fresh_ones(catalog):
    from backtui.core.catalog import Catalog
    from backtui.core.ranking import rank

    typed = Catalog(catalog.values(), catalog.builtin_ids)
    keys = ["", "c", "ch", "chi", "chil", "child", "child ", "child p", "child", "chi", "c", ""]
    for query in [*keys, "knee chest", "knee", "chest knee", "ext", "x", "press", "pre", "p"]:
        for spine in (None, Spine.FLEXION):
            fresh = Catalog(catalog.values(), catalog.builtin_ids)  # nothing remembered
            expected = rank(
                [e for e in catalog.values() if spine is None or e.spine is spine],
                lambda e: catalog.haystack(e.id),
                query,
            )
            assert typed.search(query, spine=spine) == expected, query
            assert fresh.search(query, spine=spine) == expected, query
