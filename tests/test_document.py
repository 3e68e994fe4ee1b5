"""The routine being edited, without the Pilot: edits, saves, conflicts, imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from backtui.core.catalog import Catalog
from backtui.core.document import (
    NEW_NAME,
    Conflict,
    Done,
    Failed,
    RoutineDocument,
    check_name,
)
from backtui.core.model import Routine, Step
from backtui.core.routine_file import dumps_routine
from backtui.core.store import RoutineStore
from helpers import write


@pytest.fixture
def document(tmp_path: Path, catalog: Catalog) -> RoutineDocument:
    return RoutineDocument(RoutineStore(tmp_path / "routines", catalog), catalog)


def add(document: RoutineDocument, exercise: str = "cat-cow") -> None:
    routine = document.routine
    document.edit(routine.inserted(len(routine.steps), Step(exercise)), f"add {exercise}")


def test_a_new_document_is_empty_and_saved(document):
    assert document.routine.name == NEW_NAME and not document.dirty
    add(document)
    assert document.dirty and document.slug is None
    assert document.undo() == "add cat-cow" and not document.routine.steps
    assert document.redo() == "add cat-cow" and document.routine.steps


def test_an_empty_routine_is_not_saved(document):
    result = document.save()
    assert isinstance(result, Failed) and result.severity == "warning"
    assert not document.store.folder.exists() or not list(document.store.folder.glob("new*"))


def test_save_gives_a_slug_and_a_fingerprint(document):
    add(document)
    result = document.save()
    assert isinstance(result, Done) and document.slug == "new-routine"
    assert not document.dirty and document.fingerprint is not None
    path = document.store.path_for("new-routine")
    assert path.read_text() == dumps_routine(document.routine)


def test_a_file_changed_on_disk_is_a_conflict_and_is_not_overwritten(document):
    add(document)
    document.save()
    path = document.store.path_for("new-routine")
    path.write_text(path.read_text().replace(NEW_NAME, "Theirs"))
    theirs = path.read_text()
    add(document, "childs-pose")
    result = document.save()
    assert isinstance(result, Conflict) and "changed on disk" in result.question
    assert path.read_text() == theirs and document.dirty
    assert isinstance(document.save(force=True), Done)
    assert "childs-pose" in path.read_text()


def test_reload_takes_theirs(document):
    add(document)
    document.save()
    path = document.store.path_for("new-routine")
    path.write_text(path.read_text().replace(NEW_NAME, "Theirs"))
    add(document, "childs-pose")
    assert isinstance(document.reload(), Done)
    assert document.routine.name == "Theirs" and not document.dirty


def test_save_as_keeps_the_old_file(document):
    add(document)
    document.save()
    old = document.store.path_for("new-routine").read_text()
    assert isinstance(document.save_as("Evening"), Done)
    assert document.slug == "evening" and document.routine.name == "Evening"
    assert document.store.path_for("new-routine").read_text() == old


def test_rename_is_an_edit_that_can_be_undone(document):
    document.rename("Desk break")
    assert document.routine.name == "Desk break" and document.dirty
    assert document.undo() == "rename" and document.routine.name == NEW_NAME


def test_renaming_a_saved_routine_renames_its_file_when_the_slug_is_free(document):
    add(document)
    document.save()  # new-routine.toml
    add(document, "childs-pose")  # an unsaved edit, which the rename must not save
    result = document.rename("Evening")
    assert isinstance(result, Done) and "evening.toml" in result.message
    store = document.store
    assert document.slug == "evening" and not store.path_for("new-routine").exists()
    on_disk = store.load("evening").routine
    assert on_disk is not None and on_disk.name == "Evening"
    assert [s.exercise for s in on_disk.steps] == ["cat-cow"]
    assert document.dirty  # the child's pose is still only here
    document.undo()  # the added step stays undone
    document.redo()
    assert isinstance(document.save(), Done)
    assert document.slug == "evening" and len(store.load("evening").routine.steps) == 2


def test_renaming_to_a_taken_slug_keeps_the_file_and_says_so(document):
    add(document)
    document.save_as("Morning")
    document.new()
    add(document)
    document.save()  # new-routine.toml
    result = document.rename("morning")
    assert isinstance(result, Done) and "stays new-routine.toml" in result.message
    assert document.slug == "new-routine" and not document.dirty
    assert document.store.load("new-routine").routine.name == "morning"
    assert document.store.load("morning").routine.name == "Morning"


def test_renaming_a_file_changed_on_disk_renames_here_only(document):
    add(document)
    document.save()
    path = document.store.path_for("new-routine")
    path.write_text(path.read_text().replace("New routine", "Theirs"))
    result = document.rename("Evening")
    assert isinstance(result, Failed) and "changed on disk" in result.message
    assert path.exists() and "Theirs" in path.read_text()
    assert document.routine.name == "Evening" and document.slug == "new-routine"


def test_only_a_routine_made_here_needs_a_name_on_first_save(document, tmp_path):
    assert document.needs_name
    add(document)
    document.save()
    assert not document.needs_name
    outside = write(tmp_path / "shared.toml", dumps_routine(document.routine))
    document.open_path(outside)
    assert not document.needs_name  # an import keeps the name it came with


def test_export_goes_to_the_home_folder_unless_told(document, tmp_path):
    home = tmp_path / "home-folder"
    (home / "shared").mkdir(parents=True)
    add(document)
    document.set_name("Desk break")
    assert document.export_default(home) == str(home / "desk-break.toml")
    assert document.export_target("~/x.toml", home) == Path("~/x.toml").expanduser()
    assert document.export_target("notes/x.toml", home) == home / "notes" / "x.toml"
    assert document.export_target(str(home / "shared"), home) == home / "shared" / "desk-break.toml"
    assert document.export_target("shared", home) == home / "shared" / "desk-break.toml"


def test_delete_only_what_is_saved_and_unchanged(document):
    refused = document.deletable()
    assert isinstance(refused, Failed) and refused.severity == "information"
    add(document)
    document.save()
    path = document.store.path_for("new-routine")
    path.write_text(path.read_text() + "\n# touched\n")
    assert isinstance(document.delete(), Failed) and path.exists()
    assert isinstance(document.open_slug("new-routine"), Done)
    assert isinstance(document.delete(), Done)
    assert not path.exists() and document.routine.name == NEW_NAME and document.slug is None


def test_a_file_from_elsewhere_is_an_import_and_is_never_written(document, tmp_path):
    shared = tmp_path / "from-a-friend.toml"
    text = dumps_routine(Routine("Shared", (Step("childs-pose"),)))
    shared.write_text(text)
    assert isinstance(document.open_path(shared), Done)
    assert document.imported and document.source == shared
    assert document.dirty  # not in the routines folder yet: quitting asks first
    assert document.run_key().startswith("file-")
    add(document)
    assert isinstance(document.save(), Done)
    assert document.slug == "shared" and not document.imported
    assert shared.read_text() == text
    assert document.run_key() == "shared"


def test_a_file_in_the_routines_folder_is_edited_in_place(document):
    add(document)
    document.save()
    other = RoutineDocument(document.store, document.catalog)
    assert isinstance(other.open_path(document.store.path_for("new-routine")), Done)
    assert other.slug == "new-routine" and not other.imported


def test_a_broken_or_hostile_file_is_a_clear_failure_and_changes_nothing(document, tmp_path):
    add(document)
    before = document.routine
    broken = write(
        tmp_path / "bad.toml",
        "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'nope'\n[[steps]]\nexercise = 1\n",
    )
    data = broken.read_bytes()
    result = document.open_path(broken)
    assert isinstance(result, Failed) and result.severity == "error"
    assert "backtui validate FILE" in result.message
    assert document.routine == before and broken.read_bytes() == data
    hostile = write(tmp_path / "esc.toml", "schema = 1\nname = 'x\x1b[31m'\n")
    escaped = document.open_path(hostile)
    assert isinstance(escaped, Failed) and "\x1b" not in escaped.message
    assert isinstance(document.open_path(tmp_path / "missing.toml"), Failed)
    assert isinstance(document.open_slug("../escape"), Failed)


def test_moves_carried_in_a_file_join_the_shown_catalogue(document, tmp_path, catalog):
    text = (
        "schema = 1\nname = 'Carried'\n[[steps]]\nexercise = 'my-wall-slide'\n"
        "[exercises.my-wall-slide]\nname = 'My wall slide'\nspine = 'neutral'\n"
        "category = 'strengthening'\nposition = 'standing'\nsteps = ['Stand at a wall.']\n"
        "hold_s = 10\n"
    )
    assert isinstance(document.open_path(write(tmp_path / "carried.toml", text)), Done)
    assert "my-wall-slide" in document.shown_catalog and "my-wall-slide" not in catalog
    document.new()
    assert document.shown_catalog is document.catalog


def test_export_writes_a_self_contained_file(document, tmp_path):
    assert isinstance(document.export(tmp_path / "x.toml"), Failed)
    add(document)
    target = tmp_path / "out" / "shared.toml"
    (tmp_path / "out").mkdir()
    assert isinstance(document.export(target), Done)
    assert target.read_text() == document.store.export(document.routine)
    assert document.export_name() == "new-routine.toml"  # named after the routine
    a_file = write(tmp_path / "a-file", "")
    assert isinstance(document.export(a_file / "x.toml"), Failed)


def test_listings_include_broken_files(document):
    add(document)
    document.save()
    write(document.store.folder / "broken.toml", "not toml [")
    listings = {listing.slug: listing for listing in document.listings()}
    assert listings["broken"].broken and listings["new-routine"].steps == 1


def test_names_are_checked():
    assert check_name("") and check_name("x" * 500) and check_name("Evening") is None


def test_import_saves_once_and_an_identical_second_import_writes_nothing(document, tmp_path):
    add(document)
    document.set_name("Shared")
    shared = write(tmp_path / "shared.toml", dumps_routine(document.routine))
    document.new()
    first = document.import_file(shared)
    assert isinstance(first, Done) and "saved as shared" in first.message
    assert document.slug == "shared" and not document.dirty
    saved = document.store.path_for("shared")
    before = saved.stat().st_mtime_ns
    again = document.import_file(shared)
    assert isinstance(again, Done) and "already saved as shared" in again.message
    assert saved.stat().st_mtime_ns == before
    assert sorted(p.name for p in document.store.folder.glob("shared*")) == ["shared.toml"]
    broken = write(tmp_path / "broken.toml", "schema = 1\nname = 3\n")
    assert isinstance(document.import_file(broken), Failed)
