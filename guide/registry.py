"""The compiled procedures of this process, served from memory.

The database is read only when the content version changes, and the version
itself at most every PROCEDURES_RECHECK_SECONDS: a wizard step or an API
call between two checks performs no query at all.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError

from guide import communes, engine
from guide.models import ContentState, ImportRun, Procedure

log = logging.getLogger(__name__)
_lock = threading.Lock()
_state: dict = {
    "version": None,
    "run": None,
    "generation": 0,
    "checked": float("-inf"),
    "procedures": {},
    "offices": {},
    "database_ok": True,
}


class Unavailable(Exception):
    """No content is compiled in this process and the database cannot be read."""


def procedures() -> dict[str, engine.Procedure]:
    """Every loaded procedure by slug, most asked first (their `position`), then by title."""
    now = time.monotonic()
    if now - _state["checked"] >= settings.PROCEDURES_RECHECK_SECONDS:
        with _lock:
            if now - _state["checked"] >= settings.PROCEDURES_RECHECK_SECONDS:
                _refresh_or_keep()
                _state["checked"] = now
    if _state["version"] is None and not _state["database_ok"]:
        raise Unavailable
    return _state["procedures"]


def database_ok() -> bool:
    """Whether the last content check could read the database."""
    return _state["database_ok"]


def _refresh_or_keep() -> None:
    """Refresh; with the database down, keep serving what is compiled and say so once."""
    try:
        _refresh()
    except DatabaseError as exc:
        if _state["database_ok"]:
            log.warning("Base de données injoignable, contenu servi depuis la mémoire : %s", exc)
        _state["database_ok"] = False
    else:
        if not _state["database_ok"]:
            log.warning("Base de données de nouveau joignable.")
        _state["database_ok"] = True


def get(slug: str) -> engine.Procedure | None:
    return procedures().get(slug)


def offices() -> dict[str, engine.Office]:
    """The shared office catalogue (procedures/_offices.yaml) by id."""
    procedures()
    return _state["offices"]


def generation() -> int:
    """A number that changes whenever the content or the offices directory changes."""
    procedures()
    return _state["generation"]


def _refresh() -> None:
    run = (
        ImportRun.objects.filter(finished_at__isnull=False)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    if run != _state["run"]:
        _state["run"] = run
        _state["generation"] += 1
    row = ContentState.objects.filter(pk=1).values("version", "offices").first()
    version = row["version"] if row else None
    if version == _state["version"]:
        return
    offices = engine.compile_offices(row["offices"] if row else {})
    definitions = Procedure.objects.by_theme().values_list("slug", "definition")
    compiled = [
        engine.compile_procedure(definition, offices, communes.label_of)
        for _, definition in definitions
    ]
    # Most asked first (`position` in the YAML), then by title.
    compiled.sort(key=lambda procedure: (procedure.position, procedure.title))
    _state["procedures"] = {procedure.slug: procedure for procedure in compiled}
    _state["offices"] = offices
    _state["version"] = version
    _state["generation"] += 1


def clear() -> None:
    """Forget the compiled content (tests, and after loading in this process)."""
    with _lock:
        _state.update(
            version=None,
            run=None,
            checked=float("-inf"),
            procedures={},
            offices={},
            database_ok=True,
        )
        _state["generation"] += 1
