"""Read, validate and load the YAML procedures.

Reading turns each file into plain data, keeping the line of every key, and
checks it against the format documented in procedures/README.md. Every
problem is collected (never only the first) as `file:line: reason`. A file
that passes is normalised into JSON-ready data (dates as ISO strings, amounts
as strings) and compiled by the engine once, to walk all its paths.

`load_into_database` validates the whole directory first and writes nothing
unless everything passes; then it replaces the content in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from guide import engine, translations, typography

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
AMOUNT_RE = re.compile(r"^\d+(\.\d{1,2})?$")
OFFICES_FILE = "_offices.yaml"
URL_SCHEMES = ("https://", "mailto:", "tel:")
MAX_PATHS = 20_000
QUESTION_KINDS = ("choice", "yes_no", "commune")
# Kinds of local office an office of _offices.yaml may ask to find for the visitor's commune.
LOCAL_KINDS = ("mairie", "prefecture", "sous_prefecture", "tribunal_judiciaire", "police")
YES_NO_OPTIONS = [{"id": "oui", "label": "Oui"}, {"id": "non", "label": "Non"}]

PROCEDURE_KEYS = {
    "slug",
    "title",
    "summary",
    "theme",
    "sources",
    "questions",
    "outcomes",
    "decisions",
    "sections",
    "position",
    "keywords",
}
SOURCE_KEYS = {"id", "title", "url", "seed", "verified", "read", "note"}
QUESTION_KEYS = {"id", "text", "hint", "kind", "options", "when", "sensitive"}
DECISION_KEYS = {"id", "text", "source"}
OPTION_KEYS = {"id", "label", "hint", "place"}
OUTCOME_KEYS = {"id", "title", "summary", "when", "kind", "source"}
ITEM_KEYS = {"id", "text", "detail", "source", "when", "key", "link"}
SECTION_KEYS = {
    "conditions": set(),
    "documents": {"original", "recent", "issuer", "translation"},
    "steps": set(),
    "offices": {"office", "appeal"},
    "fees": {"amount", "or_amount", "payment", "exemptions"},
    "deadlines": set(),
    "appeals": set(),
    "notes": set(),
}
OFFICE_KEYS = {
    "id",
    "name",
    "kind",
    "address",
    "hours",
    "phone",
    "email",
    "url",
    "note",
    "source",
    "local",
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class ContentError(Exception):
    """Raised when the content directory does not validate; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# YAML with line numbers -----------------------------------------------------


class LineDict(dict):
    line = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[object, int] = {}

    def line_of(self, key: object) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    line = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, object]] = []


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | bool | float | dt.date) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text", key_node.start_mark
            )
        if key in result:
            loader.duplicates.append((key_node.start_mark.line + 1, key))
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList()
    result.line = node.start_mark.line + 1
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))
        result.lines.append(child.start_mark.line + 1)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def parse_yaml(text: str, name: str) -> tuple[object, list[Problem]]:
    """Parse YAML text; return (data, problems). Duplicate keys are problems."""
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(name, line, f"YAML illisible : {reason}")]
    finally:
        loader.dispose()
    return data, [
        Problem(name, line, f"clé en double : {key!r}") for line, key in loader.duplicates
    ]


def plain(value: object) -> object:
    """Turn parsed YAML into JSON-ready data (dates as ISO strings)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# Validation -------------------------------------------------------------------


class _Checker:
    """Collects the problems of one file."""

    def __init__(self, name: str, today: dt.date):
        self.name = name
        self.today = today
        self.problems: list[Problem] = []

    def error(self, line: int, reason: str) -> None:
        self.problems.append(Problem(self.name, line, reason))

    def mapping(self, value: object, line: int, what: str) -> bool:
        if not isinstance(value, LineDict):
            self.error(
                getattr(value, "line", line), f"{what} : un dictionnaire (clé: valeur) est attendu"
            )
            return False
        return True

    def sequence(self, parent: LineDict, key: str, required: bool = True) -> list[LineDict]:
        if key not in parent:
            if required:
                self.error(parent.line, f"clé obligatoire manquante : {key}")
            return []
        value = parent[key]
        if not isinstance(value, LineList):
            self.error(parent.line_of(key), f"{key} : une liste est attendue")
            return []
        if required and not value:
            self.error(parent.line_of(key), f"{key} : la liste est vide")
        return [v for i, v in enumerate(value) if self.mapping(v, value.line_of(i), key)]

    def keys(self, data: LineDict, allowed: set[str], required: set[str], what: str) -> None:
        for key in data:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.error(
                    data.line_of(key), f"{what} : clé inconnue {key!r} (clés permises : {known})"
                )
        for key in sorted(required - data.keys()):
            self.error(data.line, f"{what} : clé obligatoire manquante : {key}")

    def text(self, data: LineDict, key: str, what: str) -> None:
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            self.error(data.line_of(key), f"{what} : {key} doit être un texte non vide")
        elif key in data:
            for reason in typography.problems(data[key]):
                self.error(data.line_of(key), f"{what} : {key} : typographie, {reason}")

    def url(self, data: LineDict, key: str, what: str) -> None:
        """Only links a visitor can follow safely: https, mailto, tel (never javascript:, file:…)."""
        value = data.get(key)
        if isinstance(value, str) and not value.startswith(URL_SCHEMES):
            self.error(
                data.line_of(key),
                f"{what} : {key} doit commencer par {', '.join(URL_SCHEMES)} ({value[:40]!r})",
            )

    def ident(self, data: LineDict, what: str, seen: dict[str, int]) -> str | None:
        value = data.get("id")
        if value is None:
            return None
        if not isinstance(value, str) or not ID_RE.match(value):
            self.error(
                data.line_of("id"),
                f"{what} : identifiant invalide {value!r} "
                "(lettres sans accent, chiffres, - et _ ; écrivez-le entre guillemets s'il ressemble à oui/non)",
            )
            return None
        if value in seen:
            self.error(
                data.line_of("id"),
                f"{what} : identifiant en double {value!r} (déjà ligne {seen[value]})",
            )
            return None
        seen[value] = data.line_of("id")
        return value

    def date(self, data: LineDict, key: str, what: str, missing: str = "") -> None:
        if key not in data:
            self.error(
                data.line,
                f"{what} : {missing or f'date de vérification manquante ({key}: AAAA-MM-JJ)'}",
            )
            return
        value = data[key]
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                value = None
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            self.error(data.line_of(key), f"{what} : {key} doit être une date AAAA-MM-JJ")
        elif value > self.today:
            self.error(data.line_of(key), f"{what} : {key} est dans le futur ({value})")

    def sources(self, parent: LineDict) -> dict[str, int]:
        seen: dict[str, int] = {}
        for source in self.sequence(parent, "sources"):
            what = f"source {source.get('id', '?')}"
            self.keys(source, SOURCE_KEYS, {"id", "title", "verified"}, what)
            self.ident(source, "source", seen)
            for key in ("title", "url", "seed", "note"):
                self.text(source, key, what)
            self.url(source, "url", what)
            if "url" not in source and "seed" not in source:
                self.error(
                    source.line, f"{what} : indiquez url (texte officiel) ou seed (page d'origine)"
                )
            self.date(source, "verified", what)
            self.date(
                source,
                "read",
                what,
                "date de lecture manquante (read: AAAA-MM-JJ, le jour où nous l'avons lue)",
            )
            if (
                isinstance(source.get("read"), dt.date)
                and isinstance(source.get("verified"), dt.date)
                and source["read"] < source["verified"]
            ):
                self.error(
                    source.line_of("read"),
                    f"{what} : lue ({source['read']}) avant sa date ({source['verified']})",
                )
        return seen

    def reference(self, data: LineDict, key: str, known: dict[str, int] | None, what: str) -> None:
        if key not in data or known is None:  # None: the catalogue itself is broken
            return
        if data[key] not in known:
            self.error(data.line_of(key), f"{what} : {key} {data[key]!r} n'existe pas")

    def condition(
        self, cond: object, line: int, questions: dict[str, engine.Question], what: str
    ) -> None:
        """Check a condition; `questions` are those it may refer to (earlier ones, for a question)."""
        if not isinstance(cond, LineDict) or not cond:
            self.error(getattr(cond, "line", line), f"{what} : condition vide ou mal formée")
            return
        for key, value in cond.items():
            at = cond.line_of(key)
            if key in ("all", "any"):
                if not isinstance(value, LineList) or not value:
                    self.error(at, f"{what} : {key} attend une liste de conditions")
                    continue
                for i, part in enumerate(value):
                    self.condition(part, value.line_of(i), questions, what)
            elif key == "not":
                self.condition(value, at, questions, what)
            elif key not in questions:
                self.error(
                    at,
                    f"{what} : la condition cite la question {key!r}, inconnue ou posée plus tard",
                )
            elif questions[key].is_commune:
                self.error(
                    at,
                    f"{what} : la question {key!r} demande une commune : elle ne peut pas servir de condition",
                )
            else:
                options = value if isinstance(value, list) else [value]
                if not options:
                    self.error(at, f"{what} : la condition sur {key} ne cite aucune réponse")
                for option in options:
                    if not isinstance(option, str):
                        self.error(at, f"{what} : réponse {option!r} : écrivez-la entre guillemets")
                    elif questions[key].option(option) is None:
                        self.error(at, f"{what} : la question {key} n'a pas de réponse {option!r}")


def _stub_question(data: LineDict, kind: str) -> engine.Question:
    """A question with only ids, enough to check conditions against."""
    raw = data.get("options") if kind == "choice" else YES_NO_OPTIONS
    options = tuple(
        engine.Option(o["id"], "")
        for o in raw or []
        if isinstance(o, dict) and isinstance(o.get("id"), str)
    )
    return engine.Question(id=data["id"], text="", kind=kind, options=options)


def _check_questions(c: _Checker, doc: LineDict) -> dict[str, engine.Question]:
    seen: dict[str, int] = {}
    earlier: dict[str, engine.Question] = {}
    for q in c.sequence(doc, "questions"):
        what = f"question {q.get('id', '?')}"
        c.keys(q, QUESTION_KEYS, {"id", "text"}, what)
        qid = c.ident(q, "question", seen)
        c.text(q, "text", what)
        c.text(q, "hint", what)
        kind = q.get("kind", "choice")
        if kind not in QUESTION_KINDS:
            c.error(
                q.line_of("kind"),
                f"{what} : kind {kind!r} inconnu (permis : {', '.join(QUESTION_KINDS)})",
            )
            kind = "choice"
        if kind == "choice":
            option_ids: dict[str, int] = {}
            options = c.sequence(q, "options")
            for option in options:
                c.keys(option, OPTION_KEYS, {"id", "label"}, f"{what}, réponse")
                c.ident(option, f"{what}, réponse", option_ids)
                c.text(option, "label", f"{what}, réponse")
                place = option.get("place")
                if place is not None and (
                    not isinstance(place, str) or not re.fullmatch(r"(r|d)[0-9AB]{2,3}", place)
                ):
                    c.error(
                        option.line_of("place"),
                        f"{what}, réponse : place est « r » + le code INSEE d'une région (r93) "
                        f"ou « d » + celui d'un département (d84), pas {place!r}",
                    )
            if 0 < len(options) < 2:
                c.error(q.line_of("options"), f"{what} : il faut au moins deux réponses")
        elif "options" in q:
            c.error(
                q.line_of("options"),
                f"{what} : une question {'commune' if kind == 'commune' else 'oui/non'} n'a pas d'options",
            )
        if "when" in q:
            c.condition(q["when"], q.line_of("when"), earlier, what)
        if "sensitive" in q and not isinstance(q["sensitive"], bool):
            c.error(q.line_of("sensitive"), f"{what} : sensitive vaut true ou false")
        if qid:
            earlier[qid] = _stub_question(q, kind)
    return earlier


def _check_items(c: _Checker, doc: LineDict, questions, sources, offices) -> None:
    seen: dict[str, int] = {}
    for section, extra in SECTION_KEYS.items():
        for item in c.sequence(doc, section, required=False):
            what = f"{section} {item.get('id', '?')}"
            required = {"id", "source"} | ({"office"} if section == "offices" else {"text"})
            if section == "fees":
                required.add("amount")
            c.keys(item, ITEM_KEYS | extra, required, what)
            c.ident(item, "élément", seen)
            for key in ({"text", "detail"} | extra) - {"office", "amount", "or_amount", "appeal"}:
                c.text(item, key, what)
            c.reference(item, "source", sources, what)
            c.reference(item, "office", offices, what)
            for key in ("amount", "or_amount"):
                if key in item:
                    _check_amount(c, item, what, key)
            # Shown as "Daté de …": a duration, not an adjective ("Daté de récent").
            if isinstance(item.get("recent"), str) and not item["recent"].startswith("moins de "):
                c.error(
                    item.line_of("recent"),
                    f"{what} : recent est une durée qui commence par « moins de » "
                    f"(affiché « Daté de moins de 3 mois »), pas {item['recent']!r}",
                )
            for flag in ("key", "appeal"):
                if flag in item and not isinstance(item[flag], bool):
                    c.error(item.line_of(flag), f"{what} : {flag} vaut true ou false")
            if "link" in item:
                _check_link(c, item, what)
            if "when" in item:
                c.condition(item["when"], item.line_of("when"), questions, what)


def _check_link(c: _Checker, item: LineDict, what: str) -> None:
    """link: {url: https://…, label: "Remplir le formulaire en ligne"}: the form or online
    service the line needs, named for what the person does there."""
    link = item["link"]
    if not isinstance(link, LineDict) or set(link) != {"url", "label"}:
        c.error(item.line_of("link"), f"{what} : link attend url et label (et rien d'autre)")
        return
    c.text(link, "label", f"{what}, link")
    c.url(link, "url", f"{what}, link")


def _check_presentation(c: _Checker, doc: LineDict) -> None:
    """position, keywords and sections: how the procedure is listed and how its results read."""
    if "position" in doc and (
        isinstance(doc["position"], bool) or not isinstance(doc["position"], int)
    ):
        c.error(
            doc.line_of("position"), "procédure : position est un nombre entier (1 : en premier)"
        )
    if "keywords" in doc:
        words = doc["keywords"]
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            c.error(doc.line_of("keywords"), "procédure : keywords est une liste de mots")
    seen: dict[str, int] = {}
    for section in c.sequence(doc, "sections", required=False):
        c.keys(section, {"id", "title"}, {"id"}, "section")
        c.text(section, "title", f"section {section.get('id', '?')}")
        if section.get("id") not in engine.SECTIONS:
            c.error(
                section.line_of("id"),
                f"section {section.get('id')!r} inconnue (permis : {', '.join(engine.SECTIONS)})",
            )
        elif section["id"] in seen:
            c.error(
                section.line_of("id"),
                f"section {section['id']} en double (déjà ligne {seen[section['id']]})",
            )
        else:
            seen[section["id"]] = section.line_of("id")


def _check_amount(c: _Checker, item: LineDict, what: str, key: str = "amount") -> None:
    value = item[key]
    text = repr(value) if isinstance(value, float) else str(value)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float | str)
        or not AMOUNT_RE.match(text)
    ):
        c.error(item.line_of(key), f'{what} : montant {value!r} invalide (euros, ex. "225.00")')
        return
    item[key] = str(Decimal(text).quantize(engine.CENTS))


def validate_procedure(
    data: object, name: str, offices: dict[str, int] | None, today: dt.date
) -> list[Problem]:
    """Check one parsed procedure against the format; return its problems."""
    c = _Checker(name, today)
    if not c.mapping(data, 1, "procédure"):
        return c.problems
    c.keys(data, PROCEDURE_KEYS | SECTION_KEYS.keys(), {"slug", "title", "summary"}, "procédure")
    for key in ("title", "summary", "theme"):
        c.text(data, key, "procédure")
    slug = data.get("slug")
    if not isinstance(slug, str) or not ID_RE.match(slug):
        c.error(data.line_of("slug"), f"procédure : slug invalide {slug!r}")
    elif slug != Path(name).stem:
        c.error(data.line_of("slug"), f"procédure : le slug {slug!r} doit être le nom du fichier")
    sources = c.sources(data)
    _check_presentation(c, data)
    questions = _check_questions(c, data)
    outcome_ids: dict[str, int] = {}
    for outcome in c.sequence(data, "outcomes"):
        what = f"issue {outcome.get('id', '?')}"
        c.keys(outcome, OUTCOME_KEYS, {"id", "title"}, what)
        c.ident(outcome, "issue", outcome_ids)
        c.text(outcome, "title", what)
        c.text(outcome, "summary", what)
        kind = outcome.get("kind", "procedure")
        if kind not in engine.OUTCOME_KINDS:
            c.error(
                outcome.line_of("kind"),
                f"{what} : kind {kind!r} inconnu (permis : {', '.join(engine.OUTCOME_KINDS)})",
            )
        elif kind == "answer" and not {"summary", "source"} <= outcome.keys():
            c.error(
                outcome.line,
                f"{what} : une issue-réponse donne sa réponse dans summary, avec sa source",
            )
        c.reference(outcome, "source", sources, what)
        if "when" in outcome:
            c.condition(outcome["when"], outcome.line_of("when"), questions, what)
    _check_items(c, data, questions, sources, offices)
    decision_ids: dict[str, int] = {}
    for decision in c.sequence(data, "decisions", required=False):
        what = f"décision {decision.get('id', '?')}"
        c.keys(decision, DECISION_KEYS, DECISION_KEYS, what)
        c.ident(decision, "décision", decision_ids)
        c.text(decision, "text", what)
        c.reference(decision, "source", sources, what)
    return c.problems


def walk_paths(procedure: engine.Procedure, data: LineDict, name: str) -> tuple[int, list[Problem]]:
    """Walk every path; report dead ends, ambiguities and anything never reached."""
    problems: list[Problem] = []
    asked: set[str] = set()
    reached: set[str] = set()
    used: set[str] = set()
    count = 0
    lines = {
        key: {x["id"]: x.line for x in data.get(key, []) if isinstance(x, dict) and "id" in x}
        for key in ("questions", "outcomes", *SECTION_KEYS)
    }
    for answers in procedure.paths():
        count += 1
        if count > MAX_PATHS:
            problems.append(Problem(name, data.line, f"plus de {MAX_PATHS} parcours : simplifiez"))
            break
        asked.update(answers)
        where = " → ".join(f"{q}={a}" for q, a in answers.items()) or "(aucune réponse)"
        matching = [o for o in procedure.outcomes if o.when.holds(answers)]
        if not matching:
            line = data.line_of("outcomes")
            problems.append(Problem(name, line, f"le parcours {where} ne mène à aucune issue"))
            continue
        if len(matching) > 1:
            line = lines["outcomes"][matching[1].id]
            ids = ", ".join(o.id for o in matching)
            problems.append(
                Problem(name, line, f"le parcours {where} mène à plusieurs issues ({ids})")
            )
            continue
        result = procedure.result(answers)
        reached.add(result.outcome.id)
        items = [line.item.id for line in result.lines()]
        keys = [line.item.id for line in result.lines() if line.item.key]
        if len(keys) > 1:
            line = lines[next(s for s in SECTION_KEYS if keys[1] in lines[s])][keys[1]]
            problems.append(
                Problem(
                    name,
                    line,
                    f"le parcours {where} a plusieurs key: true ({', '.join(keys)}) : une seule compte",
                )
            )
        if not items and result.outcome.kind != "answer":  # an answer is its own result
            line = lines["outcomes"][result.outcome.id]
            problems.append(
                Problem(name, line, f"le parcours {where} se termine sur un résultat vide")
            )
        used.update(items)
    for key, seen, label in (
        ("questions", asked, "question jamais posée"),
        ("outcomes", reached, "issue jamais atteinte"),
        *((section, used, "élément jamais utilisé") for section in SECTION_KEYS),
    ):
        for ident, line in lines[key].items():
            if ident not in seen:
                problems.append(Problem(name, line, f"{label} : {ident}"))
    return count, problems


def validate_offices(data: object, name: str, today: dt.date) -> list[Problem]:
    c = _Checker(name, today)
    if not c.mapping(data, 1, "annuaire"):
        return c.problems
    c.keys(data, {"sources", "offices"}, {"sources", "offices"}, "annuaire")
    sources = c.sources(data)
    seen: dict[str, int] = {}
    for office in c.sequence(data, "offices"):
        what = f"office {office.get('id', '?')}"
        c.keys(office, OFFICE_KEYS, {"id", "name", "kind", "source"}, what)
        c.ident(office, "office", seen)
        for key in OFFICE_KEYS - {"id", "source"}:
            c.text(office, key, what)
        c.url(office, "url", what)
        c.reference(office, "source", sources, what)
        if "local" in office and office["local"] not in LOCAL_KINDS:
            c.error(
                office.line_of("local"),
                f"{what} : local {office['local']!r} inconnu (permis : {', '.join(LOCAL_KINDS)})",
            )
    return c.problems


def _normalise(definition: dict) -> dict:
    """Fill the defaults so that the stored definition is explicit; French typography on texts."""
    listed = [dict(section) for section in definition.get("sections", [])]
    ids = {section["id"] for section in listed}
    definition["sections"] = listed + [{"id": s} for s in engine.SECTIONS if s not in ids]
    for question in definition["questions"]:
        question.setdefault("kind", "choice")
        if question["kind"] == "yes_no":
            question["options"] = [dict(option) for option in YES_NO_OPTIONS]
    return typography.french_data(definition, NOT_PROSE)


# Keys whose values are identifiers, addresses, dates, amounts or conditions, not prose.
NOT_PROSE = {
    "id",
    "slug",
    "url",
    "seed",
    "verified",
    "read",
    "amount",
    "source",
    "office",
    "when",
    "kind",
}
NOT_PROSE |= {"position", "keywords", "key", "or_amount", "appeal", "place"}
NOT_PROSE |= {"local", "email", "phone"}


# The content directory ------------------------------------------------------------


@dataclass
class Content:
    """A validated content directory, ready to load."""

    offices: dict
    procedures: dict[str, dict] = field(default_factory=dict)  # slug -> normalised definition
    files: dict[str, str] = field(default_factory=dict)  # slug -> file name
    path_counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # {language: {slug or "_offices": report}} of the translations (guide/translations.py)
    translation_reports: dict[str, dict[str, translations.Report]] = field(default_factory=dict)

    @property
    def version(self) -> str:
        blob = json.dumps([self.offices, self.procedures], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def compile(self) -> dict[str, engine.Procedure]:
        offices = engine.compile_offices(self.offices)
        return {slug: engine.compile_procedure(d, offices) for slug, d in self.procedures.items()}


def _read(path: Path, name: str) -> tuple[object, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(name, 1, f"fichier illisible : {exc}")]
    return parse_yaml(text, name)


def read_directory(directory: Path, today: dt.date | None = None) -> Content:
    """Read and validate every file of a content directory; never raises on bad content."""
    today = today or dt.date.today()
    offices_path = directory / OFFICES_FILE
    content = Content(offices={"sources": [], "offices": []})
    office_ids: dict[str, int] | None = {}
    if offices_path.exists():
        data, problems = _read(offices_path, OFFICES_FILE)
        problems += [] if problems else validate_offices(data, OFFICES_FILE, today)
        content.problems += problems
        office_ids = None if problems else office_ids
        if not problems:
            content.offices = typography.french_data(plain(data), NOT_PROSE)
            office_ids = {o["id"]: 0 for o in content.offices["offices"]}
    for path in sorted(directory.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        data, problems = _read(path, path.name)
        problems += [] if problems else validate_procedure(data, path.name, office_ids, today)
        if not problems and data["slug"] in content.files:
            problems.append(
                Problem(
                    path.name,
                    data.line_of("slug"),
                    f"slug déjà pris par {content.files[data['slug']]}",
                )
            )
        if not problems:
            definition = _normalise(plain(data))
            try:
                offices = engine.compile_offices(content.offices)
                compiled = engine.compile_procedure(definition, offices)
            except KeyError as exc:  # an office catalogue that failed its own checks
                problems.append(Problem(path.name, 1, f"référence introuvable : {exc}"))
            else:
                count, problems = walk_paths(compiled, data, path.name)
                content.path_counts[data["slug"]] = count
        content.problems += problems
        if not problems:
            content.procedures[data["slug"]] = definition
            content.files[data["slug"]] = path.name
    _read_translations(directory, content)
    content.problems.sort(key=lambda p: (p.file, p.line))
    return content


def _read_translations(directory: Path, content: Content) -> None:
    """Check each translation against its French file; keep what is usable in the definition
    (`translations: {language: [[path, text], …]}`) and the report of the rest."""
    for language, found in translations.files(directory).items():
        reports = content.translation_reports.setdefault(language, {})
        for slug, path in found.items():
            name = f"{translations.DIRECTORY}/{language}/{path.name}"
            french = content.offices if slug == "_offices" else content.procedures.get(slug)
            if french is None:
                content.problems.append(Problem(name, 1, f"démarche inconnue : {slug}"))
                continue
            data, problems = _read(path, name)
            content.problems += problems
            if problems:
                continue
            usable, report = translations.check(french, data)
            content.problems += [Problem(name, line, reason) for line, reason in report.errors]
            reports[slug] = report
            french.setdefault("translations", {})[language] = [
                [list(path), text] for path, text in usable.items()
            ]


def load_into_database(directory: Path, today: dt.date | None = None) -> dict[str, int]:
    """Validate the directory, then replace the loaded content in one transaction.

    Returns counts of created, updated, unchanged and deleted procedures.
    Raises ContentError, writing nothing, if any file has a problem.
    """
    from django.db import transaction

    from guide.models import ContentState, Procedure, Source

    content = read_directory(directory, today)
    if content.problems:
        raise ContentError(content.problems)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}
    with transaction.atomic():
        for slug, definition in content.procedures.items():
            digest = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()
            existing = Procedure.objects.filter(slug=slug).first()
            if (
                existing
                and existing.content_hash == digest
                and existing.source_file == content.files[slug]
            ):
                counts["unchanged"] += 1
                continue
            counts["updated" if existing else "created"] += 1
            procedure, _ = Procedure.objects.update_or_create(
                slug=slug,
                defaults={
                    "title": definition["title"],
                    "summary": definition["summary"],
                    "theme": definition.get("theme", ""),
                    "source_file": content.files[slug],
                    "content_hash": digest,
                    "definition": definition,
                },
            )
            procedure.sources.all().delete()
            Source.objects.bulk_create(
                Source(
                    procedure=procedure,
                    key=s["id"],
                    title=s["title"],
                    url=s.get("url", ""),
                    verified=dt.date.fromisoformat(s["verified"]),
                    read=dt.date.fromisoformat(s["read"]) if s.get("read") else None,
                )
                for s in definition["sources"]
            )
        _, per_model = Procedure.objects.exclude(slug__in=content.procedures).delete()
        counts["deleted"] = per_model.get("guide.Procedure", 0)
        ContentState.objects.update_or_create(
            pk=1, defaults={"version": content.version, "offices": content.offices}
        )
    return counts
