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
from django.utils import translation

from guide import communes, engine, translations
from guide.models import ContentState, ImportRun, Procedure

log = logging.getLogger(__name__)
_lock = threading.Lock()
_state: dict = {
    "version": None,
    "run": None,
    "generation": 0,
    "checked": float("-inf"),
    "procedures": {},  # {language: {slug: Procedure}}
    "offices": {},  # {language: {id: Office}}
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
    return _in_language(_state["procedures"])


def _in_language(compiled: dict) -> dict:
    """The active language's part of `compiled` (French when it has none)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return compiled.get(language) or compiled.get(settings.LANGUAGE_CODE, {})


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
    return _in_language(_state["offices"])


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
    definitions = [d for _, d in Procedure.objects.by_theme().values_list("slug", "definition")]
    _state["procedures"], _state["offices"] = {}, {}
    for language, _ in settings.LANGUAGES:
        offices = engine.compile_offices(in_language(row["offices"] if row else {}, language))
        with translation.override(language):
            titles = section_titles(language)
        compiled = [
            engine.compile_procedure(
                in_language(definition, language), offices, communes.label_of, titles
            )
            for definition in definitions
        ]
        # Most asked first (`position` in the YAML), then by title.
        compiled.sort(key=lambda procedure: (procedure.position, procedure.title))
        _state["procedures"][language] = {procedure.slug: procedure for procedure in compiled}
        _state["offices"][language] = offices
    _state["version"] = version
    _state["generation"] += 1


def in_language(definition: dict, language: str) -> dict:
    """A definition (or the offices) in a language: its usable translations, French elsewhere."""
    if language == settings.LANGUAGE_CODE:
        return definition
    usable = definition.get("translations", {}).get(language, [])
    return translations.apply(definition, {tuple(path): text for path, text in usable})


def section_titles(language: str) -> dict[str, str]:
    """The default section headings in the active language (the interface's catalogue)."""
    from django.utils.translation import gettext

    titles = {}
    for key, french in engine.SECTION_TITLES.items():
        translated = gettext(french)
        if language == settings.LANGUAGE_CODE:
            titles[key] = translated
        elif translated == french:
            titles[key] = translations.French(french)
        else:
            titles[key] = translations.Translated(translated, french)
    return titles


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
