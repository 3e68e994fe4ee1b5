"""The keys a person chooses: the `[keymap]` table of config.toml, checked.

```toml
[keymap]
"builder.help" = "f1"
"run.pain" = "x,p"      # several keys, comma-separated
```

Each entry names a key binding by its id (the `id=` of a binding in the apps;
`backtui keys` lists them) and gives the keys to use instead of its own. The
apps hand the table they know (`KnownBinding`s, collected from their bindings)
to `check_keymap`, which keeps the good entries and reports each bad one with
its line, never stopping the app:

- an id no binding has (`did you mean builder.help?`),
- a key that is not a key name Textual knows (`ctlr+s`),
- a clash: the key is already another binding's where this one works, after
  the whole keymap is applied (two entries given the same key, or an entry
  given a key another binding keeps). Bindings that share a key by design
  (pause and resume are both space) may go on sharing one.

Key names are Textual's: `f1`, `ctrl+s`, `shift+up`, `enter`, `escape`, a
letter, or a character (`?`, written back as Textual names it, `question_mark`).
Modifiers are put in Textual's order, so `shift+ctrl+up` works as `ctrl+shift+up`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from backtui.core.reader import Problems, describe, read_bytes
from backtui.core.spec import INVALID, At, Context, Kind
from backtui.core.text import shorten

MAX_ENTRIES = 200
TABLE = "keymap"

MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")
NAMED_KEYS = frozenset(
    {
        "escape",
        "enter",
        "tab",
        "space",
        "backspace",
        "delete",
        "insert",
        "home",
        "end",
        "pageup",
        "pagedown",
        "up",
        "down",
        "left",
        "right",
        *(f"f{n}" for n in range(1, 25)),
    }
)
# What people write for a key that Textual names otherwise.
ALIASES = {
    "return": "enter",
    "esc": "escape",
    "pgup": "pageup",
    "pgdn": "pagedown",
    "del": "delete",
}
# Textual's shorter names for some characters (textual.keys.KEY_NAME_REPLACEMENTS).
_SHORT_NAMES = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}
_LONG_NAMES = {short: long for long, short in _SHORT_NAMES.items()}
_HYPHENATED = {"hyphen_minus": "HYPHEN-MINUS", "less_than_sign": "LESS-THAN SIGN"}
_HYPHENATED["greater_than_sign"] = "GREATER-THAN SIGN"


def _character_key(character: str) -> str:
    """A character's key name, as Textual gives it (`?` is `question_mark`)."""
    if character.isalnum():
        return character
    name = unicodedata.name(character, character).lower().replace("-", "_").replace(" ", "_")
    return _SHORT_NAMES.get(name, name)


def _named_character(name: str) -> bool:
    """Is this a character's key name (`question_mark`, `slash`, `less_than_sign`)?"""
    long = _LONG_NAMES.get(name, name)
    try:
        character = unicodedata.lookup(_HYPHENATED.get(long, long.replace("_", " ").upper()))
    except KeyError:
        return False
    return (
        len(character) == 1
        and character.isprintable()
        and not character.isspace()
        and _character_key(character) == name
    )


def key_name(text: str) -> str | None:
    """The key as Textual names it, or None if it is not a plausible key.

    >>> key_name("?"), key_name("shift+ctrl+Up"), key_name("ctlr+s")
    ('question_mark', 'ctrl+shift+up', None)
    """
    text = text.strip()
    if not text:
        return None
    if len(text) == 1:  # a character on its own: "+" is the plus key, not a modifier
        return _character_key(text) if text.isprintable() and not text.isspace() else None
    *modifiers, base = text.split("+") if not text.endswith("++") else [*text[:-2].split("+"), "+"]
    modifiers = [modifier.strip().lower() for modifier in modifiers]
    if any(m not in MODIFIERS for m in modifiers) or len(set(modifiers)) < len(modifiers):
        return None
    base = base.strip()
    if len(base) == 1:
        if not base.isprintable() or base.isspace():
            return None
        base = _character_key(base.lower() if modifiers and base.isalpha() else base)
    else:
        base = ALIASES.get(base.lower(), base.lower())
        if base not in NAMED_KEYS and not _named_character(base):
            return None
    return "+".join([*sorted(modifiers), base])


class Scope(StrEnum):
    """What kind of place a binding is declared on, which says where its key works."""

    APP = "app"
    SCREEN = "screen"
    WIDGET = "widget"


@dataclass(frozen=True, slots=True)
class KnownBinding:
    """One binding of the apps, as declared: its default keys and where it works."""

    keys: tuple[str, ...]  # its own keys, Textual's names
    context: str  # the screen, widget or app that declares it (unique: its class's path)
    scope: Scope = Scope.WIDGET
    id: str = ""  # "" for a binding that cannot be remapped
    description: str = ""  # short, as the Footer says it ("Save")
    tooltip: str = ""  # the fuller line the help shows
    place: str = ""  # the context as the help titles it ("Builder")
    priority: bool = False  # handled before the widgets under it see the key

    def reaches(self, other: KnownBinding) -> bool:
        """Could this binding's key take the same key from `other`?"""
        if self.context == other.context:
            return True
        if not self.priority:
            return False
        # An app's priority key comes first everywhere; a screen's, before its widgets.
        return self.scope is Scope.APP or (
            self.scope is Scope.SCREEN and other.scope is Scope.WIDGET
        )


def remappable(known: Iterable[KnownBinding]) -> dict[str, KnownBinding]:
    """The bindings a keymap may name, by id (the first place each is declared)."""
    found: dict[str, KnownBinding] = {}
    for binding in known:
        if binding.id:
            found.setdefault(binding.id, binding)
    return found


# --- config.toml's table -----------------------------------------------------------


@dataclass(frozen=True)
class KeyTable(Kind):
    """The `[keymap]` table as the settings reader reads it: binding id = keys (text).

    Only the form is checked here (a table of text); whether the ids exist and the
    keys are keys is `check_keymap`'s work, once the apps say which bindings they have.
    A dotted key written without quotes (`builder.help = "f1"`, which TOML reads as
    a table `builder` holding `help`) is taken as the id it spells.
    """

    def read(self, value: Any, at: At) -> Any:
        if not isinstance(value, dict):
            at.error(f"must be a table of binding id = keys, got {describe(value)}")
            return INVALID
        entries = dict(_flatten(value))
        if len(entries) > MAX_ENTRIES:
            at.error(f"at most {MAX_ENTRIES} keys, got {len(entries)}")
            return INVALID
        kept: dict[str, str] = {}
        for ident, keys in entries.items():
            if isinstance(keys, str):
                kept[ident] = keys
            else:
                at.problems.error(_where(ident), f"must be keys as text, got {describe(keys)}")
        return kept

    def schema(self, context: Context) -> dict[str, Any]:
        return {
            "type": "object",
            "maxProperties": MAX_ENTRIES,
            "additionalProperties": {"type": "string", "minLength": 1},
        }


def _flatten(table: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _where(ident: str) -> str:
    return f'{TABLE}."{ident}"'


# --- checking the entries ----------------------------------------------------------


def check_keymap(
    entries: Mapping[str, str],
    known: Sequence[KnownBinding],
    problems: Problems,
    text: str | None = None,
) -> dict[str, str]:
    """The good entries, keys in Textual's names; a located problem for each one dropped.

    `text` is the file's text, to give each problem its line.
    """
    bindings = remappable(known)
    candidates: dict[str, tuple[str, ...]] = {}
    found: dict[str, str] = {}  # what is wrong with an entry, reported in the file's order
    for ident, value in entries.items():
        if ident not in bindings:
            close = difflib.get_close_matches(ident, bindings, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else "; `backtui keys` lists them"
            found[ident] = f"no such key binding{hint}"
            continue
        keys, bad = _parse_keys(value)
        if bad is not None:
            found[ident] = bad
            continue
        candidates[ident] = keys
    while clash := _last_clash(candidates, known):
        ident, key, other = clash
        found[ident] = _clash_message(key, other)
        del candidates[ident]
    for ident in entries:
        if ident in found:
            line = entry_line(text, ident) if text is not None else None
            problems.error(_where(ident), found[ident], line)
    return _keep_partners(candidates, known)


def _keep_partners(
    candidates: Mapping[str, tuple[str, ...]], known: Sequence[KnownBinding]
) -> dict[str, str]:
    """The keymap to apply: the entries, and the keys of their partners left alone.

    Textual drops every binding on a key when it moves one of them, so a partner
    (pause, when only resume moves) is given its own keys back explicitly.
    """
    chosen = {ident: ",".join(keys) for ident, keys in candidates.items()}
    for binding in known:
        if binding.id not in candidates:
            continue
        for other in known:
            if (
                other.id
                and other.id not in chosen
                and other.context == binding.context
                and set(other.keys) & set(binding.keys)
            ):
                chosen[other.id] = ",".join(other.keys)
    return chosen


def _parse_keys(value: str) -> tuple[tuple[str, ...], str | None]:
    """The keys of an entry, or a message saying what is wrong with it."""
    parts = [part.strip() for part in value.split(",")] if value.strip() != "," else [","]
    if not any(parts):
        return (), 'no key given (write keys such as "f1" or "x,p")'
    keys: list[str] = []
    for part in parts:
        name = key_name(part) if part else None
        if name is None:
            shown = shorten(repr(part), 40) if part else "an empty key"
            return (), f'{shown} is not a key name (such as "f1", "ctrl+s", "shift+up", "x")'
        if name not in keys:
            keys.append(name)
    return tuple(keys), None


def _last_clash(
    candidates: Mapping[str, tuple[str, ...]], known: Sequence[KnownBinding]
) -> tuple[str, str, KnownBinding] | None:
    """The entry to drop next: the last one in the file whose key another binding has.

    An entry is compared with every binding as the keymap leaves it (the other
    entries applied), so two keys swapped in one keymap do not clash.
    """

    def keys_of(binding: KnownBinding) -> tuple[str, ...]:
        return candidates.get(binding.id, binding.keys) if binding.id else binding.keys

    for ident in reversed(list(candidates)):
        mine = [b for b in known if b.id == ident]
        for binding in mine:
            for other in known:
                if other.id == ident or not (binding.reaches(other) or other.reaches(binding)):
                    continue
                if other.context == binding.context and set(other.keys) & set(binding.keys):
                    continue  # partners by design (pause and resume on one key)
                shared = [key for key in candidates[ident] if key in keys_of(other)]
                if shared:
                    return ident, shared[0], other
    return None


def _clash_message(key: str, other: KnownBinding) -> str:
    what = other.description or other.id or "another binding"
    where = ", ".join(part for part in (other.id, other.place) if part)
    return f"{shown_key(key)!r} is already the key of {what} ({where}); entry ignored"


def load_keymap(
    entries: Mapping[str, str], known: Sequence[KnownBinding], path: Path
) -> tuple[dict[str, str], Problems]:
    """`check_keymap` for the entries read from `path`, whose text locates the problems."""
    problems = Problems(str(path))
    if not entries:
        return {}, problems
    data = read_bytes(path, Problems(str(path))) if path.exists() else None
    text = data.decode("utf-8", errors="replace") if data is not None else None
    return check_keymap(entries, known, problems, text), problems


_HEADER = re.compile(r"^\s*\[\s*(?P<name>[^\]]*?)\s*\]")


def _bare(key: str) -> str:
    return re.sub(r"[\s\"']", "", key)


def entry_line(text: str | None, ident: str) -> int | None:
    """The line an entry of the keymap is on: `"ID" =` under `[keymap]`, or
    `keymap."ID" =`, or inside an inline table; else the `[keymap]` line."""
    if text is None:
        return None
    lines = text.splitlines()
    table = ""
    header: int | None = None
    for number, line in enumerate(lines, 1):
        if match := _HEADER.match(line):
            table = _bare(match["name"])
            if table == TABLE and header is None:
                header = number
            continue
        name, equals, _ = line.partition("=")
        if not equals:
            continue
        full = _bare(name) if not table else f"{table}.{_bare(name)}"
        if full == f"{TABLE}.{ident}":
            return number
    for number, line in enumerate(lines, 1):
        if f'"{ident}"' in line or f"'{ident}'" in line:
            return number
    return header


# --- the list for people -----------------------------------------------------------


def shown_key(key: str) -> str:
    """A key as a person writes it: `question_mark` is `?`, `ctrl+slash` is `ctrl+/`."""
    *modifiers, base = key.split("+")
    if _named_character(base):
        long = _LONG_NAMES.get(base, base)
        base = unicodedata.lookup(_HYPHENATED.get(long, long.replace("_", " ").upper()))
    return "+".join([*modifiers, base])


def keys_rows(
    known: Iterable[KnownBinding], keymap: Mapping[str, str] | None = None
) -> list[tuple[str, str, str]]:
    """(id, its keys, what it does) for each binding a keymap may name, by id; the
    keys are the keymap's (checked, as `check_keymap` gives it) where it names one."""
    keymap = keymap or {}
    rows = []
    for ident, binding in sorted(remappable(known).items()):
        keys = keymap[ident].split(",") if ident in keymap else binding.keys
        rows.append(
            (
                ident,
                ",".join(shown_key(key) for key in keys),
                binding.tooltip or binding.description,
            )
        )
    return rows
