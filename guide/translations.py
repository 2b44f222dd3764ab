"""Translations of the content, French being the reference.

A translation is a YAML file beside the procedures, `procedures/translations/<language>/<slug>.yaml`
(and `_offices.yaml` for the offices), that mirrors the French file with ids as keys:

    title:
      from: "3f2a9c1e"             # the fingerprint of the French text it was made from
      text: "Attestation d'accueil (hosting certificate)"
    questions:
      visiteur:
        text: {from: "5be0d1a7", text: "Where does your visitor come from?"}
        options:
          europeen:
            label: {from: "0c41f2d9", text: "From the European Union, …"}

Why YAML keyed by ids rather than a gettext catalogue per procedure: the ids already name every
text (a gettext msgid would be the French sentence itself, so changing one comma of the French
would orphan its translation silently, and two identical French sentences could not be
translated differently), the file reads like the French one beside it, and the checks below can
say which question or item a problem is in, with its line.

`check_procedures` reports, with file and line: unknown ids or fields (an error), numbers that
differ between the French and the translation ("25 €" must stay 25: an error), a translation
whose French text changed since (its `from` differs: stale), and French texts with no
translation (missing). Stale and missing texts are shown in French, marked `lang="fr"` (a
`French` string renders itself in a <span lang="fr">), and counted; errors refuse the load, like
any content error.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.html import escape, format_html

# The fields that hold prose a visitor reads; everything else (ids, conditions, amounts, URLs,
# dates, postal addresses and opening hours) is the same in every language. `decisions` and a
# source's `note` are research notes for the /sources/ page, kept in French.
TEXT_FIELDS = {
    "title",
    "summary",
    "theme",
    "keywords",
    "text",
    "hint",
    "label",
    "detail",
    "payment",
    "exemptions",
    "original",
    "recent",
    "issuer",
    "translation",
    "name",
    "note",
}
UNTRANSLATED_LISTS = {"decisions", "translations"}
DIRECTORY = "translations"
EMPTY = '""'  # a text still to translate


class French(str):
    """A French text on a page in another language: no translation yet, or a stale one."""

    __slots__ = ()

    def __html__(self) -> str:
        # dir="ltr": inside a right-to-left page, French punctuation stays where it belongs.
        return format_html('<span lang="fr" dir="ltr">{}</span>', str(self))


# On the printed sheet of a translated result, each translated text is followed by its French:
# the visitor and the agent read the same sheet (guide/pdf.py sets this while it renders).
_bilingual: contextvars.ContextVar[bool] = contextvars.ContextVar("guide_bilingual", default=False)


@contextlib.contextmanager
def bilingual():
    token = _bilingual.set(True)
    try:
        yield
    finally:
        _bilingual.reset(token)


class Translated(str):
    """A translated text that knows the French it was made from."""

    def __new__(cls, text: str, french: str):
        value = super().__new__(cls, text)
        value.french = french
        return value

    def __html__(self) -> str:
        if not _bilingual.get():
            return str(escape(str(self)))
        return format_html(
            '<span class="bi">{}</span><span class="bi-fr" lang="fr" dir="ltr">{}</span>',
            str(self),
            self.french,
        )


def fingerprint(text: str | list) -> str:
    """8 hex digits of the French text, spaces normalised (typography may change them)."""
    if isinstance(text, list):
        text = "\n".join(text)
    flat = re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()
    return hashlib.sha256(flat.encode()).hexdigest()[:8]


def numbers(text: str | list) -> list[str]:
    """The numbers of a text, in order of size, whatever their spacing ("30 000" is 30000) or
    digits (Arabic-Indic digits are read as their values)."""
    if isinstance(text, list):
        text = " ".join(text)
    text = "".join(
        str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in text
    )
    found = re.findall(r"\d+(?:[ \u00a0\u202f.,]\d+)*", text)
    # A space, dot or comma before exactly 3 digits groups thousands ("30 000", "30,000");
    # a comma before other digits is a decimal one ("25,50").
    grouped = (re.sub(r"(?<=\d)[ \u00a0\u202f.,](?=\d{3}(?!\d))", "", n) for n in found)
    return sorted(n.replace(",", ".") for n in grouped)


def leaves(node: object, path: tuple = ()) -> Iterator[tuple[tuple, str | list]]:
    """(path, French text) of every translatable text of a normalised definition; a path names
    list entries by their id: ("questions", "visiteur", "options", "europeen", "label")."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in UNTRANSLATED_LISTS or (key == "note" and path[:1] == ("sources",)):
                continue
            if key in TEXT_FIELDS and (
                isinstance(value, str)
                or (isinstance(value, list) and all(isinstance(v, str) for v in value))
            ):
                if value:
                    yield (*path, key), value
            elif isinstance(value, list):
                for entry in value:
                    if isinstance(entry, dict) and "id" in entry:
                        yield from leaves(entry, (*path, key, entry["id"]))
            elif isinstance(value, dict):
                yield from leaves(value, (*path, key))


@dataclass
class Report:
    """What a translation file gives for its French file."""

    translated: int = 0
    missing: list[tuple] = field(default_factory=list)  # paths
    stale: list[tuple[tuple, int]] = field(default_factory=list)  # (path, line)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


def _is_leaf(node: object) -> bool:
    return isinstance(node, dict) and "from" in node and "text" in node


def check(french: dict, tree: object) -> tuple[dict[tuple, str | list], Report]:
    """The usable translations of a French definition ({path: text}) and the report."""
    report = Report()
    wanted = dict(leaves(french))
    usable: dict[tuple, str | list] = {}
    if not isinstance(tree, dict):
        report.errors.append((getattr(tree, "line", 1), "un dictionnaire est attendu"))
        tree = {}

    def walk(node, path):
        for key, value in node.items():
            here = (*path, key)
            line = node.line_of(key) if hasattr(node, "line_of") else 1
            if _is_leaf(value):
                if hasattr(value, "line_of"):  # the line of the translated text itself
                    line = value.line_of("text")
                if here not in wanted:
                    report.errors.append((line, f"texte inconnu : {'.'.join(map(str, here))}"))
                    continue
                extra = set(value) - {"from", "text"}
                text, source = value["text"], wanted[here]
                if text in ("", None, []):  # not translated yet
                    continue
                if extra:
                    report.errors.append((line, f"clé inconnue : {', '.join(sorted(extra))}"))
                elif not isinstance(value["from"], str):  # 04627273 unquoted is an octal number
                    report.errors.append((line, "from : écrivez l'empreinte entre guillemets"))
                elif not text or not isinstance(text, type(source)):
                    report.errors.append(
                        (line, f"{'.'.join(map(str, here))} : traduction vide ou mal formée")
                    )
                elif numbers(text) != numbers(source):
                    report.errors.append(
                        (
                            line,
                            f"{'.'.join(map(str, here))} : nombres différents du français "
                            f"({', '.join(numbers(source)) or 'aucun'} ≠ "
                            f"{', '.join(numbers(text)) or 'aucun'})",
                        )
                    )
                elif str(value["from"]) != fingerprint(source):
                    report.stale.append((here, line))
                else:
                    usable[here] = text
            elif isinstance(value, dict):
                walk(value, here)
            else:
                report.errors.append(
                    (line, f"{'.'.join(map(str, here))} : attendu from et text, ou des clés")
                )

    walk(tree, ())
    report.translated = len(usable)
    stale = {path for path, _ in report.stale}
    report.missing = [path for path in wanted if path not in usable and path not in stale]
    return usable, report


def apply(french: dict, usable: dict[tuple, str | list]) -> dict:
    """A copy of the French definition in the translation's language: translated texts where
    usable, the French marked as such (`French`) everywhere else."""
    result = copy.deepcopy(french)
    for path, text in leaves(french):
        value = usable.get(path)
        if value is None:
            value = [French(v) for v in text] if isinstance(text, list) else French(text)
        elif isinstance(value, str):
            value = Translated(value, text)
        _set(result, path, value)
    return result


def _set(node: object, path: tuple, value: object) -> None:
    *parents, last = path
    for part in parents:
        if isinstance(node, list):
            node = next(entry for entry in node if entry.get("id") == part)
        else:
            node = node[part]
    node[last] = value


def template(french: dict, language: str, tree: dict | None = None) -> str:
    """The translation file to fill in or update: every French text (as a comment) with its
    fingerprint; a usable translation kept; a stale one kept with its old `from` and a line
    saying what to do; a missing one empty."""
    usable, report = check(french, tree) if tree else ({}, Report())
    stale = {path for path, _ in report.stale}
    lines = [
        f"# {language}: translation of the French content, which is the reference.",
        "# `from` is the fingerprint of the French text a translation was made from.",
        "# Regenerate with: python manage.py translations " + language + " <slug>",
    ]
    previous: tuple = ()
    for path, text in leaves(french):
        common = 0
        while common < min(len(previous), len(path) - 1) and previous[common] == path[common]:
            common += 1
        for depth in range(common, len(path) - 1):
            lines.append(f"{'  ' * depth}{path[depth]}:")
        indent = "  " * (len(path) - 1)
        shown = " | ".join(text) if isinstance(text, list) else text
        lines.append(f"{indent}# fr: {shown}")
        if path in stale:
            old = _at(tree, path)
            lines.append(
                f"{indent}# À REVOIR : le français a changé. Corrigez le texte, puis écrivez "
                f'from: "{fingerprint(text)}"'
            )
            lines += [
                f"{indent}{path[-1]}:",
                f'{indent}  from: "{old["from"]}"',
                f"{indent}  text: {_yaml_value(old['text'])}",
            ]
        else:
            done = usable.get(path)
            lines += [
                f"{indent}{path[-1]}:",
                f'{indent}  from: "{fingerprint(text)}"',
                f"{indent}  text: {_yaml_value(done) if done else EMPTY}",
            ]
        previous = path[:-1]
    return "\n".join(lines) + "\n"


def _at(tree: dict, path: tuple) -> dict:
    for part in path:
        tree = tree[part]
    return tree


def _yaml_value(value: str | list) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def files(directory: Path) -> dict[str, dict[str, Path]]:
    """{language: {slug or "_offices": path}} of the translations beside the procedures."""
    found: dict[str, dict[str, Path]] = {}
    for path in sorted((directory / DIRECTORY).glob("*/*.yaml")):
        found.setdefault(path.parent.name, {})[path.stem] = path
    return found
