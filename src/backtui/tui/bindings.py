"""Every binding of backtui's screens, widgets and apps, for the keymap to be checked against.

Read from the classes' own `BINDINGS` (with those they inherit, Textual's too, as
Textual merges them), so a new binding with an `id=` is known to the keymap,
`backtui keys` and the help without another list to keep.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from functools import cache

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from backtui.core.keymap import KnownBinding, Scope, key_name

_OWN = "backtui.tui"


def _import_all() -> None:
    """Load every screen and widget, so a binding on one not yet shown is known too."""
    import backtui.tui.app
    import backtui.tui.runner_app
    import backtui.tui.screens
    import backtui.tui.widgets

    for package in (backtui.tui.screens, backtui.tui.widgets):
        for module in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)


def _subclasses(cls: type[object]) -> Iterator[type[object]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _bindings_of(cls: type) -> Iterator[Binding]:
    """The class's bindings and those it inherits, each with all its keys."""
    for base in cls.__mro__:
        for entry in base.__dict__.get("BINDINGS", ()):
            yield entry if isinstance(entry, Binding) else Binding(*entry)


def _keys(binding: Binding) -> tuple[str, ...]:
    keys = (key_name(key) or key.strip() for key in binding.key.split(","))
    return tuple(dict.fromkeys(keys))


def _scope(cls: type) -> Scope:
    if issubclass(cls, App):
        return Scope.APP
    return Scope.SCREEN if issubclass(cls, Screen) else Scope.WIDGET


@cache
def known_bindings() -> tuple[KnownBinding, ...]:
    """Each binding of each of backtui's classes, where that class declares or inherits it."""
    _import_all()
    found: list[KnownBinding] = []
    classes = {cls for cls in _subclasses(DOMNode) if cls.__module__.startswith(_OWN)}
    for cls in sorted(classes, key=lambda c: (c.__module__, c.__qualname__)):
        place = getattr(cls, "BINDING_GROUP_TITLE", None) or cls.__name__
        context = f"{cls.__module__}.{cls.__qualname__}"
        for binding in _bindings_of(cls):
            found.append(
                KnownBinding(
                    keys=_keys(binding),
                    context=context,
                    scope=_scope(cls),
                    id=binding.id or "",
                    description=binding.description,
                    tooltip=binding.tooltip,
                    place=place,
                    priority=binding.priority,
                )
            )
    return tuple(found)
