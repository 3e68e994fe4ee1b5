from backtui.core.editing import EditHistory
from backtui.core.model import Routine, Step

EMPTY = Routine("r", ())


def test_undo_redo_walks_the_history():
    history = EditHistory(EMPTY)
    history.mark_saved()
    one = EMPTY.inserted(0, Step("cat"))
    two = one.inserted(1, Step("cow"))
    assert history.apply(one, "add cat") and history.apply(two, "add cow")
    assert history.dirty
    assert history.undo() == "add cow" and history.current == one
    assert history.undo() == "add cat" and history.current == EMPTY
    assert not history.dirty
    assert history.undo() is None
    assert history.redo() == "add cat" and history.redo() == "add cow"
    assert history.current == two and history.redo() is None


def test_a_new_edit_clears_redo_and_no_change_is_not_an_edit():
    history = EditHistory(EMPTY)
    one = EMPTY.inserted(0, Step("cat"))
    history.apply(one, "a")
    history.undo()
    assert history.can_redo
    history.apply(EMPTY.inserted(0, Step("cow")), "b")
    assert not history.can_redo
    assert history.apply(history.current, "same") is False
