"""The compiled procedures of this process, served from memory.

The database is read only when the content version changes, and the version
itself at most every PROCEDURES_RECHECK_SECONDS: a wizard step or an API
call between two checks performs no query at all.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings

from guide import engine
from guide.models import ContentState, Procedure

_lock = threading.Lock()
_state: dict = {"version": None, "checked": float("-inf"), "procedures": {}}


def procedures() -> dict[str, engine.Procedure]:
    """Every loaded procedure by slug, in the order of their themes and titles."""
    now = time.monotonic()
    if now - _state["checked"] >= settings.PROCEDURES_RECHECK_SECONDS:
        with _lock:
            if now - _state["checked"] >= settings.PROCEDURES_RECHECK_SECONDS:
                _refresh()
                _state["checked"] = now
    return _state["procedures"]


def get(slug: str) -> engine.Procedure | None:
    return procedures().get(slug)


def _refresh() -> None:
    row = ContentState.objects.filter(pk=1).values("version", "offices").first()
    version = row["version"] if row else None
    if version == _state["version"]:
        return
    offices = engine.compile_offices(row["offices"] if row else {})
    definitions = Procedure.objects.by_theme().values_list("slug", "definition")
    _state["procedures"] = {
        slug: engine.compile_procedure(definition, offices) for slug, definition in definitions
    }
    _state["version"] = version


def clear() -> None:
    """Forget the compiled content (tests, and after loading in this process)."""
    with _lock:
        _state.update(version=None, checked=float("-inf"), procedures={})
