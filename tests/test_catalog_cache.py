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
    """How many times the user's file was parsed (the built-in ones are not cached)."""
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
    assert cached["files"] == {}


def _entry(document: dict) -> dict:
    (entry,) = document["files"].values()
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


def _bad_haystack(document: dict) -> None:
    _entry(document)["haystacks"][1][0] = -5


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
        _bad_haystack,
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
