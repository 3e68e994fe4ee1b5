"""Undo and redo for the routine editor.

Routines are immutable, so history is a list of whole routines: an edit is a new
routine, undo steps back to the previous one. No edit ever needs an inverse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backtui.core.model import Routine

HISTORY_LIMIT = 500


@dataclass
class EditHistory:
    current: Routine
    saved: Routine | None = None  # what is on disk, to tell whether there is unsaved work
    _undo: list[tuple[Routine, str]] = field(default_factory=list)
    _redo: list[tuple[Routine, str]] = field(default_factory=list)

    @property
    def dirty(self) -> bool:
        return self.current != self.saved

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def apply(self, routine: Routine, label: str) -> bool:
        """Make `routine` current; False (and no history entry) if nothing changed."""
        if routine == self.current:
            return False
        self._undo.append((self.current, label))
        del self._undo[:-HISTORY_LIMIT]
        self._redo.clear()
        self.current = routine
        return True

    def undo(self) -> str | None:
        """Step back; returns what was undone, or None if there was nothing."""
        if not self._undo:
            return None
        previous, label = self._undo.pop()
        self._redo.append((self.current, label))
        self.current = previous
        return label

    def redo(self) -> str | None:
        if not self._redo:
            return None
        following, label = self._redo.pop()
        self._undo.append((self.current, label))
        self.current = following
        return label

    def mark_saved(self) -> None:
        self.saved = self.current
