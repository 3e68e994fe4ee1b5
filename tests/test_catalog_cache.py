"""The parsed user catalogue kept in the cache folder, and never trusted blindly."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from backtui.core import catalog as catalog_module
from backtui.core import catalog_cache, locations, model
from backtui.core.services import load_catalog_only

FILE = """\
schema = 1

[exercises.wall-sit]
name = "Wall sit"
spine = "neutral"
category = "strengthening"
position = "standing"
hold_s = 20
steps = ["Lean on a wall.", "Slide down a little.", "Hold."]
counters = ["childs-pose"]
aliases = ["chair pose"]

[exercises.broken]
name = "Broken"
spine = "sideways"

[exercises.step-up]
name = "Step up"
spine = "neutral"
category = "strengthening"
position = "standing"
reps = 10
steps = ["Step onto a low step.", "Step down."]
progressions = ["nowhere-yet"]
surprise = 1
"""


@pytest.fixture
def user_file() -> Path:
    path = locations.user_catalog_dir() / "mine.toml"
    path.parent.mkdir(parents=True)
    path.write_text(FILE, encoding="utf-8")
    return path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the user's file was parsed."""
    calls: list[int] = []
    real = catalog_module.parse_exercise_file

    def counted(data, problems):
        if b"wall-sit" in data:
            calls.append(1)
        return real(data, problems)

    monkeypatch.setattr(catalog_module, "parse_exercise_file", counted)
    return calls


def _load():
    catalog, problems = load_catalog_only()
    return catalog, [str(p) for p in problems]


def test_columns_are_in_the_exercise_constructor_order():
    assert [f.name for f in dataclasses.fields(model.Exercise)] == catalog_cache._NAMES


def test_an_unchanged_file_is_not_parsed_again(user_file, parses):
    first, first_problems = _load()
    assert len(parses) == 1
    assert locations.catalog_cache_file().is_file()
    second, second_problems = _load()
    assert len(parses) == 1  # from the cache
    assert list(second.values()) == list(first.values())
    assert [second.haystack(i) for i in second] == [first.haystack(i) for i in first]
    # The file's problems are still reported, every time.
    assert second_problems == first_problems
    assert any("broken" in p and "error" in p for p in second_problems)
    assert any("surprise" in p for p in second_problems)
    assert any("nowhere-yet" in p for p in second_problems)
    assert second.search("chair pose")[0] == second["wall-sit"]  # its alias, from the cache


def test_a_changed_file_is_parsed_again(user_file, parses):
    _load()
    user_file.write_text(FILE.replace("Wall sit", "Wall squat"), encoding="utf-8")
    catalog, _ = _load()
    assert len(parses) == 2
    assert catalog["wall-sit"].name == "Wall squat"
    _load()
    assert len(parses) == 2  # and cached again


def test_same_size_and_mtime_but_other_bytes_is_noticed_by_the_hash(user_file, parses):
    _load()
    before = os.stat(user_file)
    changed = FILE.replace("Wall sit", "Wall set")  # same length
    assert len(changed) == len(FILE)
    user_file.write_text(changed, encoding="utf-8")
    os.utime(user_file, ns=(before.st_atime_ns, before.st_mtime_ns))
    catalog, _ = _load()
    assert len(parses) == 2
    assert catalog["wall-sit"].name == "Wall set"


def test_a_deleted_file_leaves_the_cache(user_file):
    _load()
    user_file.unlink()
    catalog, _ = _load()
    assert "wall-sit" not in catalog
    cached = json.loads(locations.catalog_cache_file().read_text())
    assert str(user_file) not in cached["files"]
    assert cached["files"]  # the built-in files stay


def _entry(document: dict) -> dict:
    """The user's file's entry (the built-in files are cached beside it)."""
    (entry,) = (e for path, e in document["files"].items() if path.endswith("mine.toml"))
    return entry


def _hostile(document: dict) -> None:
    _entry(document)["exercises"]["name"][0] = "Wall \x1b[2Jsit"


def _out_of_range(document: dict) -> None:
    _entry(document)["exercises"]["hold_s"][0] = 99999


def _bad_choice(document: dict) -> None:
    _entry(document)["exercises"]["spine"][0] = "sideways"


def _bad_id(document: dict) -> None:
    _entry(document)["exercises"]["counters"][0] = ["../../etc"]


def _short_column(document: dict) -> None:
    _entry(document)["exercises"]["steps"].pop()


def _bad_problem(document: dict) -> None:
    _entry(document)["problems"].append(["x", "y", "fatal", None, None])


def _other_version(document: dict) -> None:
    document["version"] = 999


def _other_backtui(document: dict) -> None:
    document["backtui"] = "0.0.0-other"


@pytest.mark.parametrize(
    "spoil",
    [
        _hostile,
        _out_of_range,
        _bad_choice,
        _bad_id,
        _short_column,
        _bad_problem,
        _other_version,
        _other_backtui,
    ],
)
def test_a_cache_the_reader_would_not_have_written_is_ignored(user_file, parses, spoil):
    first, first_problems = _load()
    path = locations.catalog_cache_file()
    document = json.loads(path.read_text())
    spoil(document)
    path.write_text(json.dumps(document))
    catalog, problems = _load()
    assert len(parses) == 2  # parsed again
    assert list(catalog.values()) == list(first.values())
    assert problems == first_problems
    _load()
    assert len(parses) == 2  # and the cache rebuilt


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"garbage \x00\xff",
        b'{"format": "backtui-catalog-cache", "vers',
        b"[1, 2]",
        b"[" * 100_000,
    ],
)
def test_a_corrupt_or_truncated_cache_is_ignored(user_file, parses, content, capsys):
    first, _ = _load()
    locations.catalog_cache_file().write_bytes(content)
    catalog, _ = _load()
    assert len(parses) == 2
    assert list(catalog.values()) == list(first.values())
    assert capsys.readouterr().err == ""


def test_a_cache_that_cannot_be_written_costs_only_time(user_file, parses):
    locations.cache_dir().parent.mkdir(parents=True, exist_ok=True)
    locations.cache_dir().write_text("a file where the folder would be")
    first, _ = _load()
    second, _ = _load()
    assert len(parses) == 2
    assert list(second.values()) == list(first.values())


def test_nothing_is_written_outside_the_cache_folder(user_file, isolated_home):
    def files() -> set[Path]:
        return {p for p in isolated_home.rglob("*") if p.is_file()}

    before = files()
    _load()
    _load()
    written = files() - before
    assert written == {locations.catalog_cache_file()}
    assert locations.catalog_cache_file().is_relative_to(isolated_home / "cache")


def test_the_cache_folder_follows_xdg_cache_home(isolated_home):
    assert locations.cache_dir() == isolated_home / "cache" / "backtui"


def test_the_built_in_files_are_cached_too(user_file, monkeypatch):
    _load()
    builtin = str(locations.builtin_catalog_dir())
    parsed: list[bytes] = []
    real = catalog_module.parse_exercise_file

    def counted(data, problems):
        parsed.append(data)
        return real(data, problems)

    monkeypatch.setattr(catalog_module, "parse_exercise_file", counted)
    catalog, _ = _load()
    assert parsed == []
    assert "childs-pose" in catalog and catalog.is_builtin("childs-pose")
    cached = json.loads(locations.catalog_cache_file().read_text())
    assert any(path.startswith(builtin) for path in cached["files"])


MULTILINE = """\
schema = 1

[exercises.slow-breath]
name = "Slow breath"
spine = "neutral"
category = "breathing"
position = "any"
steps = ["Breathe in.", "Breathe out."]
cue = \"\"\"In through the nose,
out through the mouth.\"\"\"
aliases = ["pause respiratoire", "ゆっくり呼吸"]
"""


def test_a_multi_line_cue_and_other_scripts_come_from_the_cache(isolated_home, monkeypatch):
    path = locations.user_catalog_dir() / "breath.toml"
    path.parent.mkdir(parents=True)
    path.write_text(MULTILINE, encoding="utf-8")
    parsed: list[int] = []
    real = catalog_module.parse_exercise_file

    def counted(data, problems):
        if b"slow-breath" in data:
            parsed.append(1)
        return real(data, problems)

    monkeypatch.setattr(catalog_module, "parse_exercise_file", counted)
    first, _ = _load()
    assert "\n" in first["slow-breath"].cue
    second, _ = _load()
    assert parsed == [1]  # the cue's newline is one the reader keeps: the cache is used
    assert second["slow-breath"] == first["slow-breath"]
    assert second.search("ゆっくり") == [second["slow-breath"]]


def _newline_in_a_step(document: dict) -> None:
    _entry(document)["exercises"]["steps"][0][0] = "Lean on\na wall."


def _tab_in_the_cue(document: dict) -> None:
    _entry(document)["exercises"]["cue"][0] = "in\tand out"


def _bidi_in_an_alias(document: dict) -> None:
    _entry(document)["exercises"]["aliases"][0] = ["chair \u202epose"]


def _c1_control_in_a_name(document: dict) -> None:
    _entry(document)["exercises"]["name"][0] = "Wall \x9bsit"


def _list_for_a_text(document: dict) -> None:
    _entry(document)["exercises"]["cue"][0] = ["a"]


def _too_many_steps(document: dict) -> None:
    _entry(document)["exercises"]["steps"][0] = ["step"] * 13


@pytest.mark.parametrize(
    "spoil",
    [
        _newline_in_a_step,
        _tab_in_the_cue,
        _bidi_in_an_alias,
        _c1_control_in_a_name,
        _list_for_a_text,
        _too_many_steps,
    ],
)
def test_hidden_characters_and_wrong_shapes_in_the_cache_are_caught(user_file, parses, spoil):
    first, _ = _load()
    path = locations.catalog_cache_file()
    document = json.loads(path.read_text())
    spoil(document)
    path.write_text(json.dumps(document))
    catalog, _ = _load()
    assert len(parses) == 2  # parsed again
    assert list(catalog.values()) == list(first.values())


def test_exercises_made_a_column_at_a_time_equal_the_constructor_s(user_file):
    catalog, _ = _load()
    made = list(catalog.values())
    columns = [[getattr(e, name) for e in made] for name in catalog_cache._NAMES]
    fast = catalog_cache._construct(columns, len(made))
    slow = [model.Exercise(*values) for values in zip(*columns, strict=True)]
    assert fast == slow
    assert [hash(e) for e in fast] == [hash(e) for e in slow]
    assert [repr(e) for e in fast] == [repr(e) for e in slow]
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast[0].name = "changed"  # type: ignore[misc]


def test_the_collector_runs_again_after_a_load(user_file, monkeypatch):
    import gc

    assert gc.isenabled()
    _load()
    assert gc.isenabled()

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(catalog_module, "dangling_references", broken)
    with pytest.raises(RuntimeError):
        _load()
    assert gc.isenabled()


@pytest.mark.parametrize(
    "ids",
    [
        ["childs pose"],  # a space: read as two ids by the check before this one
        [""],  # empty: passed that check too
        ["childs-pose", ""],
        ["-childs"],
        ["childs-"],
        ["childs--pose"],
        ["Childs-pose"],
        ["childs_pose"],
        ["çhilds"],
        ["a" * 65],
    ],
)
def test_an_id_the_reader_would_not_give_is_caught(user_file, parses, ids):
    first, _ = _load()
    path = locations.catalog_cache_file()
    document = json.loads(path.read_text())
    _entry(document)["exercises"]["counters"][0] = ids
    path.write_text(json.dumps(document))
    catalog, _ = _load()
    assert len(parses) == 2
    assert list(catalog.values()) == list(first.values())


def test_the_id_check_passes_what_the_id_pattern_passes():
    from hypothesis import given
    from hypothesis import strategies as st

    from backtui.core.spec import is_id

    @given(st.lists(st.text(alphabet="ab9- _A", max_size=6), max_size=4))
    def agree(ids):
        try:
            catalog_cache._ids(ids)
            passed = True
        except catalog_cache.Invalid:
            passed = False
        assert passed == all(is_id(i) for i in ids)

    agree()


def _fresh_haystacks(catalog) -> list:
    return [catalog_module.Catalog(catalog.values()).haystack(i) for i in catalog]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda search: search.pop("texts"),
        lambda search: search.update(ends="1 2 x"),
        lambda search: search.update(ends="5 3 1 " * 2),  # out of order
        lambda search: search.update(texts=search["texts"] + "~extra"),
        lambda search: search.update(ends=search["ends"] + " 1"),
    ],
)
def test_wrong_search_texts_are_made_again_and_the_rest_still_comes_from_the_cache(
    user_file, parses, spoil
):
    first, _ = _load()
    expected = _fresh_haystacks(first)
    path = locations.catalog_cache_file()
    document = json.loads(path.read_text())
    spoil(_entry(document)["search"])
    path.write_text(json.dumps(document))
    catalog, _ = _load()
    assert len(parses) == 1  # the exercises came from the cache
    assert [catalog.haystack(i) for i in catalog] == expected
    assert catalog.search("chair pose")[0] == catalog["wall-sit"]


def test_the_search_texts_are_read_only_when_a_search_needs_them(user_file, monkeypatch):
    _load()
    read: list[int] = []
    real = catalog_cache._search_texts

    def counted(raw, count):
        read.append(count)
        return real(raw, count)

    monkeypatch.setattr(catalog_cache, "_search_texts", counted)
    catalog, _ = _load()
    assert read == []  # loading (every command) leaves them
    assert catalog.search("wall")[0].id == "wall-sit"
    files = len(json.loads(locations.catalog_cache_file().read_text())["files"])
    assert len(read) == files  # once a file, at the first search
    catalog.search("step")
    assert len(read) == files
    assert [catalog.haystack(i) for i in catalog] == _fresh_haystacks(catalog)
