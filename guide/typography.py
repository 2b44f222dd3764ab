"""French typography, applied once where text is loaded: procedures by the loader, templates by
the template loader (guide/template_loader.py). No Django import.

A narrow no-break space (U+202F) goes before ? ! ; : and » and after «, and between groups of
digits ("30 000"); a no-break space (U+00A0) before € and %. So a sign never starts a line on its
own and an amount is never cut. `problems` finds what `french` cannot mend: a sign glued to its
word ("Attention:"), an ungrouped amount ("30000 €").
"""

from __future__ import annotations

import re

NNBSP = "\u202f"  # espace fine insécable
NBSP = "\u00a0"  # espace insécable

_SPACES = "[ \u00a0\u202f]+"
_RULES = (
    (re.compile(_SPACES + "(?=[?!;:»])"), NNBSP),
    (re.compile("«" + _SPACES), "«" + NNBSP),
    (re.compile(r"(?<=\d)" + _SPACES + r"(?=\d{3}(?!\d))"), NNBSP),
    (re.compile(_SPACES + r"(?=€|%(?!\())"), NBSP),  # not before a "%(name)s" placeholder
)
_URL = re.compile(r"\S+://\S*|www\.\S+")
_PROBLEMS = (
    (re.compile(r"[^\s\d\u00a0\u202f(«]([?!;:])(?=\s|$)"), "espace manquante avant « {} »"),
    (re.compile(r"«(?=[^\s\u00a0\u202f])"), "espace manquante après « « »"),
    (re.compile(r"[^\s\u00a0\u202f](»)"), "espace manquante avant « » »"),
    (
        re.compile(r"(?<![\d\u202f])(\d{5,})(?=\s?€)"),
        "montant sans espaces entre les milliers : {}",
    ),
)


def french(text: str) -> str:
    """The text with French no-break spaces where a line must not break."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def french_data(value: object, not_prose: frozenset[str] | set[str], key: str = "") -> object:
    """Parsed data (JSON or YAML) with `french` on every string, except under the keys named
    in `not_prose` (identifiers, URLs, dates, conditions…)."""
    if key in not_prose:
        return value
    if isinstance(value, dict):
        return {k: french_data(v, not_prose, k) for k, v in value.items()}
    if isinstance(value, list):
        return [french_data(v, not_prose, key) for v in value]
    return french(value) if isinstance(value, str) else value


def problems(text: str) -> list[str]:
    """What would still break or read wrong after `french`, in words (URLs are left alone)."""
    text = _URL.sub(" ", text)
    return [
        reason.format(match.group(1)) if "{}" in reason else reason
        for pattern, reason in _PROBLEMS
        for match in pattern.finditer(text)
    ]
