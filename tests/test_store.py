import errno
import os
import stat
import time
from dataclasses import replace

import pytest

from backtui.core import locations
from backtui.core.balance import unbalanced
from backtui.core.model import Category, Exercise, Position, Routine, Spine, Step
from backtui.core.routine_file import dumps_routine, loads_routine
from backtui.core.store import (
    Ambiguous,
    ConflictError,
    ImportCase,
    InvalidRoutine,
    NoSuchFile,
    NotFound,
    RoutineStore,
    StarterStatus,
    atomic_write,
    slugify,
)
from helpers import write


@pytest.fixture
def store(tmp_path, catalog):
    return RoutineStore(tmp_path / "routines", catalog, locations.starters_dir())


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Morning reset", "morning-reset"),
        ("../../x", "x"),
        ("/etc/passwd", "etc-passwd"),
        ("Ünïcödé  Stretch!", "unicode-stretch"),
        ("", "routine"),
        ("🙂🙂", "routine"),
        ("..", "routine"),
        ("a" * 100, "a" * 64),
        ("x" * 63 + "-y", "x" * 63),
    ],
)
def test_slugs_are_safe(name, slug):
    assert slugify(name) == slug


def test_first_use_copies_the_starters(store):
    assert store.slugs() == sorted(p.stem for p in locations.starters_dir().glob("*.toml"))
    assert {"quick-relief", "morning", "cat-cow-flow"} <= set(store.slugs())


def test_starters_are_valid_and_balanced(store, catalog):
    stored = store.list()
    assert len(stored) >= 5
    for routine in stored:
        assert routine.routine is not None, [str(p) for p in routine.result.problems]
        assert [str(p) for p in routine.result.problems] == []
        assert unbalanced(routine.routine, catalog) == [], routine.slug
        # The file name is the slug of the routine's name, so export | import --replace
        # lands on the same file.
        assert slugify(routine.routine.name) == routine.slug


def test_morning_starter_pairs_superman_with_side_leg_raises(store):
    steps = [s.exercise for s in store.load("morning").routine.steps]
    assert steps.index("superman") < steps.index("childs-pose")
    assert "side-leg-raise" in steps


def test_first_days_starts_with_cold_and_breath(store):
    steps = [s.exercise for s in store.load("gentle-first-days").routine.steps]
    assert steps[:2] == ["cold-pack", "therapeutic-breath"]


def test_save_collides_into_numbered_slugs(store):
    routine = Routine("Evening", (Step("cat"),))
    assert store.save(routine).slug == "evening"
    assert store.save(routine).slug == "evening-2"
    assert store.save(routine).slug == "evening-3"
    assert store.save(routine, "evening").path.name == "evening.toml"


def test_a_slug_cannot_leave_the_folder(store):
    for bad in ("../x", "/etc/passwd", "a/b", "", ".hidden", "UPPER"):
        with pytest.raises(Exception, match="routine"):
            store.path_for(bad)


def test_hostile_name_saves_inside_the_folder(store, tmp_path):
    saved = store.save(Routine("../../escape", (Step("cat"),)))
    assert saved.path.parent == store.folder.resolve()
    assert not (tmp_path / "escape.toml").exists()


def test_atomic_write_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "a" / "r.toml"
    atomic_write(path, "one")
    atomic_write(path, "two")
    assert path.read_text() == "two"
    assert os.listdir(path.parent) == ["r.toml"]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = write(tmp_path / "r.toml", "old")

    def broken_replace(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write(path, "new")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["r.toml"]


def test_save_refuses_to_overwrite_a_file_changed_on_disk(store):
    saved = store.save(Routine("Mine", (Step("cat"),)))
    opened = store.load(saved.slug)
    saved.path.write_text(saved.path.read_text().replace("cat", "cow"))
    with pytest.raises(ConflictError):
        store.save(opened.routine, opened.slug, expected=opened.fingerprint)
    assert "cow" in saved.path.read_text()
    again = store.load(saved.slug)
    store.save(again.routine, again.slug, expected=again.fingerprint)


def test_import_never_overwrites_unless_asked(store):
    data = dumps_routine(Routine("Shared", (Step("cat"),))).encode()
    other = dumps_routine(Routine("Shared", (Step("cow"),))).encode()
    first = store.import_bytes(data, "a.toml")
    second = store.import_bytes(other, "b.toml")
    assert (first.slug, second.slug) == ("shared", "shared-2")
    assert (first.case, second.case) == (ImportCase.SAVED, ImportCase.RENAMED)
    assert second.taken == "shared"
    assert second.message() == (
        "saved as shared-2 (shared is taken by a different routine; --replace overwrites it)"
    )
    replaced = store.import_bytes(other, "b.toml", replace=True)
    assert (replaced.slug, replaced.case) == ("shared", ImportCase.REPLACED)
    assert "cow" in (store.folder / "shared.toml").read_text()


def test_importing_a_saved_routine_again_writes_nothing(store):
    routine = Routine("Shared", (Step("cat", reps=5),), description="one")
    saved = store.save(routine, "kept-elsewhere")
    before = (saved.path.read_bytes(), saved.path.stat().st_mtime_ns, sorted(store.slugs()))
    # The same routine in another form: comments, other spacing, keys in another order.
    data = (
        b"# mine\nname='Shared'\nschema=1\ndescription = 'one'\n[[steps]]\nreps=5\nexercise='cat'\n"
    )
    for replace_ in (False, True):
        imported = store.import_bytes(data, "a.toml", replace=replace_)
        if not replace_:
            assert (imported.case, imported.slug) == (ImportCase.ALREADY_SAVED, "kept-elsewhere")
            assert imported.message() == "already saved as kept-elsewhere"
            assert not imported.wrote
            assert (saved.path.read_bytes(), saved.path.stat().st_mtime_ns, store.slugs()) == before
    # With --replace only the name's own slug counts: that was free, so it is saved there.
    assert imported.case is ImportCase.SAVED and imported.slug == "shared"
    assert imported.also_named == ("kept-elsewhere",)


def test_starters_are_listed_and_only_missing_ones_restored(store):
    store.ensure_folder()
    (store.folder / "morning.toml").unlink()
    mine = store.folder / "quick-relief.toml"
    mine.write_text(mine.read_text().replace("name = ", "description = 'mine'\nname = ", 1))
    changed = mine.read_bytes()
    desk = store.load("desk-break")
    store.save(desk.routine, "desk-break")  # written afresh, the same routine: still present
    states = {s.slug: s.status for s in store.starter_states()}
    assert states["morning"] is StarterStatus.MISSING
    assert states["quick-relief"] is StarterStatus.CHANGED
    assert states["desk-break"] is StarterStatus.PRESENT
    assert [s.slug for s in store.restore_starters()] == ["morning"]
    assert (store.folder / "morning.toml").read_bytes() == (
        locations.starters_dir() / "morning.toml"
    ).read_bytes()
    assert mine.read_bytes() == changed
    assert store.restore_starters() == []
    assert not list(store.folder.glob("*.tmp"))  # no temporary files left (.lock stays)


def test_resolve_finds_names_and_suggests_near_misses(store, tmp_path):
    store.save(Routine("Evening", (Step("cat"),)), "new-routine-2")
    assert store.resolve("evening") == store.folder.resolve() / "new-routine-2.toml"
    assert store.resolve("  EVENING ") == store.folder.resolve() / "new-routine-2.toml"
    assert store.resolve("Quick Relief") == store.folder.resolve() / "quick-relief.toml"
    assert store.resolve("MORNING") == store.folder.resolve() / "morning.toml"
    with pytest.raises(NotFound) as raised:
        store.resolve("quick-releif")
    assert raised.value.suggestions == ("quick-relief",)
    assert str(raised.value) == 'no saved routine "quick-releif"; did you mean quick-relief?'
    with pytest.raises(NotFound) as raised:
        store.resolve("zzzz")
    assert raised.value.suggestions == ()
    with pytest.raises(NoSuchFile, match=r"no such file: nowhere/x\.toml"):
        store.resolve("nowhere/x.toml")
    store.save(Routine("evening", (Step("cow"),)), "other")
    with pytest.raises(Ambiguous) as raised:
        store.resolve("Evening")
    assert set(raised.value.slugs) == {"new-routine-2", "other"}
    assert "new-routine-2" in str(raised.value) and "other" in str(raised.value)


def test_import_of_an_invalid_file_raises_with_problems(store):
    with pytest.raises(InvalidRoutine) as raised:
        store.import_bytes(b"schema = 9\n", "bad.toml")
    assert "bad.toml: schema: error" in str(raised.value)


def test_export_carries_user_exercises(tmp_path, catalog):
    mine = Exercise(
        "wall-sit",
        "Wall sit",
        Spine.NEUTRAL,
        Category.STRENGTHENING,
        Position.STANDING,
        ("Lean.",),
        hold_s=20,
    )
    from backtui.core.catalog import Catalog

    merged = Catalog([*catalog.values(), mine], catalog.builtin_ids)
    store = RoutineStore(tmp_path / "r", merged)
    routine = Routine("W", (Step("wall-sit"), Step("cat")))
    text = store.export(routine)
    assert "[exercises.wall-sit]" in text and "[exercises.cat]" not in text
    # Another machine without the user's exercise reads it whole.
    back = loads_routine(text.encode(), catalog, "w.toml").routine
    assert back.exercises["wall-sit"] == mine


def test_resolve_takes_a_slug_or_a_path(store, tmp_path):
    path = write(tmp_path / "elsewhere.toml", "x")
    assert store.resolve("morning") == store.folder.resolve() / "morning.toml"
    assert store.resolve(str(path)) == path
    with pytest.raises(Exception, match="no saved routine"):
        store.resolve("nothing-here")


def test_a_broken_file_in_the_folder_does_not_hide_the_others(store):
    store.ensure_folder()
    write(store.folder / "broken.toml", "schema = [")
    listed = {s.slug: s for s in store.list()}
    assert listed["broken"].routine is None
    assert listed["morning"].routine is not None
    assert (store.folder / "broken.toml").read_text() == "schema = ["


# --- several writers, leftovers, modes ------------------------------------------

ROUTINE_A = Routine("Same name", (Step("cat-cow"),))
ROUTINE_B = Routine("Same name", (Step("childs-pose"),))


def test_the_lock_file_and_temporary_files_are_never_routines(store):
    store.save(ROUTINE_A)
    assert (store.folder / ".lock").is_file()
    write(store.folder / ".same-name.toml.abcd1234.tmp", "half a routine")
    assert "same-name" in store.slugs()
    assert all(not s.startswith(".") for s in store.slugs())
    assert all(s.routine is not None for s in store.list())


def test_old_temporary_files_are_swept_on_the_next_start_and_young_ones_kept(store):
    store.ensure_folder()
    old = write(store.folder / ".morning.toml.abcd1234.tmp", "killed mid-write")
    young = write(store.folder / ".quick-relief.toml.zz9_0xyw.tmp", "being written now")
    mine = write(store.folder / "notes.tmp", "not ours: no hidden atomic_write name")
    staged = store.folder.parent / ".routines.q1w2e3r4.tmp"
    write(staged / "morning.toml", "a first use that was killed")
    an_hour_ago = time.time() - 3600
    for path in (old, mine, staged):
        os.utime(path, (an_hour_ago, an_hour_ago))
    fresh = RoutineStore(store.folder, store.catalog, store.starters)
    fresh.slugs()
    assert not old.exists() and not staged.exists()
    assert young.exists() and mine.exists()


def test_a_slug_taken_between_the_look_and_the_write_gets_another_slug(store):
    """What two `backtui import` runs at once did: both said they saved to one path."""
    other = RoutineStore(store.folder, store.catalog)
    store.ensure_folder()
    real_lock = store.locked

    def racing_lock():
        other.import_bytes(dumps_routine(ROUTINE_B).encode(), "b.toml")  # gets in first
        return real_lock()

    store.locked = racing_lock  # type: ignore[method-assign]
    imported = store.import_bytes(dumps_routine(ROUTINE_A).encode(), "a.toml")
    assert imported.case is ImportCase.RENAMED and imported.slug == "same-name-2"
    assert store.load("same-name").routine == ROUTINE_B
    assert store.load("same-name-2").routine == ROUTINE_A


def test_a_file_changed_between_the_look_and_the_write_is_a_conflict(store):
    """What two builders saving at once did: both said Saved."""
    first = store.save(ROUTINE_A)
    other = RoutineStore(store.folder, store.catalog)
    real_lock = store.locked

    def racing_lock():
        other.save(ROUTINE_B, first.slug, expected=first.fingerprint)
        return real_lock()

    store.locked = racing_lock  # type: ignore[method-assign]
    with pytest.raises(ConflictError):
        store.save(replace(ROUTINE_A, description="mine"), first.slug, expected=first.fingerprint)
    assert store.load(first.slug).routine == ROUTINE_B
    with pytest.raises(ConflictError):
        store.delete(first.slug, expected=first.fingerprint)
    assert store.path_for(first.slug).exists()


def test_a_new_routine_takes_a_free_slug_under_the_lock(store):
    store.ensure_folder()
    other = RoutineStore(store.folder, store.catalog)
    real_lock = store.locked
    taken: list[str] = []

    def racing_lock():
        taken.append(other.save(ROUTINE_B).slug)
        return real_lock()

    store.locked = racing_lock  # type: ignore[method-assign]
    mine = store.save(ROUTINE_A)
    assert taken == ["same-name"] and mine.slug == "same-name-2"


def test_atomic_write_keeps_a_files_mode_and_gives_a_new_one_the_umask(tmp_path):
    kept = write(tmp_path / "kept.toml", "old")
    os.chmod(kept, 0o640)
    atomic_write(kept, "new")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text() == "new"
    previous = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.toml", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.toml").stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.toml", "new.toml"]


def test_a_first_use_on_a_full_disk_leaves_no_routine_and_tries_again(store, monkeypatch):
    real_fsync, calls = os.fsync, []

    def fsync_until_full(fd):
        calls.append(fd)
        if len(calls) > 3:  # three starters fit, the fourth does not
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_until_full)
    with pytest.raises(OSError, match="No space"):
        store.ensure_folder()
    parent = store.folder.parent
    assert not store.folder.exists()
    assert not [p for p in parent.iterdir() if p.name.startswith(".")]  # no staging, no temp
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert store.slugs() == sorted(p.stem for p in locations.starters_dir().glob("*.toml"))
    assert all(p.stat().st_size > 0 for p in store.folder.glob("*.toml"))
