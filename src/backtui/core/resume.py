"""Where an unfinished session was, kept on disk so a closed terminal loses nothing.

One small JSON file per routine, written whole or not at all, so a crash while
saving leaves the previous place. Reading is forgiving on purpose: a damaged,
foreign or stale file means "nothing to resume", never an error in the runner's
way. The runner decides when to save; there is no timer here.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from backtui.core import locations, model
from backtui.core.session import Clock, Session
from backtui.core.store import atomic_write, is_slug, sweep_temporaries

FORMAT = "backtui-session"
VERSION = 1
MAX_BYTES = 256 * 1024  # a snapshot is well under 1 KiB; anything this big is not ours


@dataclass(frozen=True, slots=True)
class Saved:
    snapshot: dict[str, Any]
    saved_at: datetime  # UTC
    started_at: datetime | None  # UTC, when the session first began, for history
    pain_before: int | None = None
    record_id: int | None = None  # the history row to bring up to date


def sessions_dir() -> Path:
    return locations.data_dir() / "sessions"


def key_for(path: Path) -> str:
    """The routine's slug for a file in the routines folder, else a short hash of
    where the file is (a file's name could be anything; the key must be a safe name)."""
    resolved = path.expanduser().resolve()
    if resolved.parent == locations.routines_dir().resolve() and is_slug(resolved.stem):
        return resolved.stem
    import hashlib  # only for files outside the routines folder

    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()
    return f"file-{digest[:16]}"


def path_for(key: str) -> Path:
    if not is_slug(key):
        raise ValueError(f"{key!r} is not a session key")
    return sessions_dir() / f"{key}.json"


def save(
    key: str,
    snapshot: Mapping[str, Any],
    *,
    started_at: datetime | None = None,
    pain_before: int | None = None,
    record_id: int | None = None,
) -> bool:
    """Write the place atomically; False (not an exception) if the disk refused,
    so a full disk cannot stop a session in progress. The pain rating and the
    history row travel with it, so a resumed session stays one row."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "saved_at": _iso(datetime.now(UTC)),
        "started_at": None if started_at is None else _iso(started_at),
        "pain_before": pain_before,
        "record_id": record_id,
        "snapshot": dict(snapshot),
    }
    try:
        atomic_write(path_for(key), json.dumps(document, indent=1) + "\n")
    except (OSError, TypeError, ValueError):
        return False
    return True


_swept = False


def load(key: str) -> Saved | None:
    """The saved place, or None if there is none or it cannot be read as ours.

    The first look in a process also sweeps the temporary files a killed save
    left in the folder (once they are a minute old)."""
    global _swept
    if not _swept:
        _swept = True
        sweep_temporaries(sessions_dir())
    try:
        path = path_for(key)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            return None
        document = json.loads(data.decode("utf-8"))
        if (
            not isinstance(document, dict)
            or document.get("format") != FORMAT
            or document.get("version") != VERSION
            or not isinstance(document.get("snapshot"), dict)
        ):
            return None
        saved_at = _parse_time(document.get("saved_at"))
        if saved_at is None:
            return None
        started = document.get("started_at")
        started_at = None if started is None else _parse_time(started)
        pain = document.get("pain_before")
        record = document.get("record_id")
        return Saved(
            document["snapshot"],
            saved_at,
            started_at,
            pain_before=pain if _whole(pain, 0, 10) else None,
            record_id=record if _whole(record, 1, 2**62) else None,
        )
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None


def clear(key: str) -> None:
    """Forget the place (the session finished or was abandoned); quiet if there is none."""
    with contextlib.suppress(OSError, ValueError):
        path_for(key).unlink(missing_ok=True)


DROPPED = "Your saved place was dropped: the routine has changed since you stopped."


def restore(
    key: str,
    routine: model.Routine,
    catalog: Mapping[str, model.Exercise],
    clock: Clock = time.monotonic,
) -> tuple[Session, Saved] | None:
    """The saved session for this routine, paused where it was, or None if there is
    none or it was saved for a routine that has since changed."""
    found = find(key, routine, catalog, clock)
    return None if isinstance(found, str) else found


def find(
    key: str,
    routine: model.Routine,
    catalog: Mapping[str, model.Exercise],
    clock: Clock = time.monotonic,
) -> tuple[Session, Saved] | str | None:
    """As `restore`, but a place kept for a routine that has changed since is
    forgotten and reported (`DROPPED`), so the person is told, not left wondering."""
    saved = load(key)
    if saved is None:
        return None
    try:
        return Session.restore(routine, catalog, saved.snapshot, clock), saved
    except ValueError:
        clear(key)
        return DROPPED


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC)


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
