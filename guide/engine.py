"""The procedure engine: pure Python, no Django.

A procedure is an ordered list of questions, each of which may say when it
applies, and a list of outcomes, each with a condition. Given the answers so
far, the next question is the first applicable question not yet answered;
once none is left, exactly one outcome matches and the result is every item
whose condition holds. Because a question's condition may only refer to
earlier questions, a procedure cannot loop.

`compile_procedure` turns the normalised definition produced by the loader
(plain dicts, as stored in the database) into frozen objects; views, the API,
the PDF and the checks all call the methods below and nothing else.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

# The kinds of result line, and the order and headings a result shows them in unless the
# procedure gives its own (`sections:` in the YAML): what can stop the person first, then what
# to do, what to bring, where, what it costs, what to do after a refusal, the general rules.
SECTIONS = (
    "conditions",
    "steps",
    "documents",
    "offices",
    "fees",
    "appeals",
    "deadlines",
    "notes",
)


def gettext_noop(text: str) -> str:
    """Marks a text for the interface's catalogue (makemessages); no Django here."""
    return text


SECTION_TITLES = {
    "conditions": gettext_noop("Avant de commencer, vérifiez que…"),
    "steps": gettext_noop("Ce que vous devez faire"),
    "documents": gettext_noop("Documents à apporter"),
    "offices": gettext_noop("Où s'adresser"),
    "fees": gettext_noop("Frais"),
    "appeals": gettext_noop("Si votre demande est refusée"),
    "deadlines": gettext_noop("Délais"),
    "notes": gettext_noop("Bon à savoir"),
}
# Outcomes that are an answer ("pas besoin d'attestation") rather than a procedure to follow.
OUTCOME_KINDS = ("procedure", "answer")
CENTS = Decimal("0.01")
# A "commune" question's answer is a commune key: its INSEE code, with the type for a delegated
# or associated commune or a municipal arrondissement that shares it ("01015-deleguee").
COMMUNE_KEY = re.compile(r"^[0-9][0-9AB][0-9]{3}(-(deleguee|associee|arrondissement))?$")
# The commune used for a commune question when walking every path (checks, snapshots): results
# do not depend on which commune it is, only the offices shown for it do.
SAMPLE_COMMUNE = "84035"


def any_commune(key: str) -> str | None:
    """Default commune naming for an engine without a communes directory: the key itself."""
    return key if COMMUNE_KEY.match(key) else None


class AnswerError(ValueError):
    """Answers that do not fit the procedure; `problems` lists each reason."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# Conditions -----------------------------------------------------------------


@dataclass(frozen=True)
class Equals:
    question: str
    options: frozenset[str]

    def holds(self, answers: Mapping[str, str]) -> bool:
        return answers.get(self.question) in self.options

    def questions(self) -> Iterator[str]:
        yield self.question


@dataclass(frozen=True)
class All:
    parts: tuple[Condition, ...]

    def holds(self, answers: Mapping[str, str]) -> bool:
        return all(part.holds(answers) for part in self.parts)

    def questions(self) -> Iterator[str]:
        for part in self.parts:
            yield from part.questions()


@dataclass(frozen=True)
class Any:
    parts: tuple[Condition, ...]

    def holds(self, answers: Mapping[str, str]) -> bool:
        return any(part.holds(answers) for part in self.parts)

    def questions(self) -> Iterator[str]:
        for part in self.parts:
            yield from part.questions()


@dataclass(frozen=True)
class Not:
    part: Condition

    def holds(self, answers: Mapping[str, str]) -> bool:
        return not self.part.holds(answers)

    def questions(self) -> Iterator[str]:
        yield from self.part.questions()


@dataclass(frozen=True)
class Always:
    def holds(self, answers: Mapping[str, str]) -> bool:
        return True

    def questions(self) -> Iterator[str]:
        yield from ()


Condition = Equals | All | Any | Not | Always
ALWAYS = Always()


def compile_condition(data: object) -> Condition:
    """Build a condition from its data form (already validated by the loader).

    A mapping is a conjunction of its keys; `all`/`any` take lists, `not` a
    condition, and any other key is a question id whose value is an option id
    or a list of option ids.
    """
    if data is None:
        return ALWAYS
    assert isinstance(data, Mapping)
    parts: list[Condition] = []
    for key, value in data.items():
        if key == "all":
            parts.append(All(tuple(compile_condition(v) for v in value)))
        elif key == "any":
            parts.append(Any(tuple(compile_condition(v) for v in value)))
        elif key == "not":
            parts.append(Not(compile_condition(value)))
        else:
            options = value if isinstance(value, list) else [value]
            parts.append(Equals(key, frozenset(options)))
    return parts[0] if len(parts) == 1 else All(tuple(parts))


# Content ----------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str
    verified: dt.date  # the source's own date: the version of the fiche or text we read
    read: dt.date | None = None  # the day we read it
    seed: str = ""
    note: str = ""  # how it was read: shown on /sources/, never on a result


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    hint: str = ""
    place: str = ""  # the région ("r93") or département ("d84") it stands for, if any


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    kind: str
    options: tuple[Option, ...]
    hint: str = ""
    when: Condition = ALWAYS
    sensitive: bool = False  # never quoted back in "parce que vous avez répondu"

    @property
    def is_commune(self) -> bool:
        return self.kind == "commune"

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Office:
    id: str
    name: str
    kind: str
    source: Source
    address: str = ""
    hours: str = ""
    phone: str = ""
    email: str = ""
    url: str = ""
    note: str = ""
    local: str = ""  # a kind of local office, found for the visitor's commune (guide.places)


@dataclass(frozen=True)
class Item:
    """One line of a result: a document, step, office, fee, deadline, appeal or note."""

    section: str
    id: str
    text: str
    source: Source
    when: Condition = ALWAYS
    detail: str = ""
    # documents
    original: str = ""
    recent: str = ""
    issuer: str = ""
    translation: str = ""
    # offices
    office: Office | None = None
    # fees
    amount: Decimal | None = None
    # when the visitor could not say which applies ("Je ne sais pas"): the other possible amount
    or_amount: Decimal | None = None
    payment: str = ""
    exemptions: str = ""
    # the one deadline or warning that matters, repeated in "En bref"
    key: bool = False
    # an office needed only if the request is refused (grouped apart under "Où s'adresser")
    appeal: bool = False
    # the form or online service the line needs (https only), and what to call the link
    link: str = ""
    link_label: str = ""


@dataclass(frozen=True)
class Outcome:
    id: str
    title: str
    when: Condition
    summary: str = ""
    kind: str = "procedure"  # or "answer": the summary is the answer, shown first
    source: Source | None = None  # the source of the summary, for an answer


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class Decision:
    """A contradiction between sources and the choice made, for the sources page."""

    id: str
    text: str
    source: Source


@dataclass(frozen=True)
class Reason:
    question: Question
    option: Option


@dataclass(frozen=True)
class Line:
    """A result item with the answers that put it there."""

    item: Item
    because: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Fees:
    lines: tuple[Line, ...]
    total: Decimal

    @property
    def or_total(self) -> Decimal | None:
        """The total with the other possible amounts, when a line has one (else None)."""
        if not any(line.item.or_amount is not None for line in self.lines):
            return None
        return fee_total(
            [
                line.item.or_amount if line.item.or_amount is not None else line.item.amount
                for line in self.lines
            ]
        )

    @property
    def payment(self) -> str:
        """How to pay: the first fee line that says it."""
        return next((line.item.payment for line in self.lines if line.item.payment), "")


@dataclass(frozen=True)
class Result:
    procedure: Procedure
    outcome: Outcome
    answers: tuple[Reason, ...]
    documents: tuple[Line, ...]
    steps: tuple[Line, ...]
    offices: tuple[Line, ...]
    fees: Fees
    deadlines: tuple[Line, ...]
    appeals: tuple[Line, ...]
    notes: tuple[Line, ...]
    sources: tuple[Source, ...]
    commune: str = ""  # the answer to the procedure's commune question, if it was asked
    conditions: tuple[Line, ...] = ()

    def section(self, section: str) -> tuple[Line, ...]:
        return self.fees.lines if section == "fees" else getattr(self, section)

    def lines(self) -> Iterator[Line]:
        """Every line, in the order the procedure shows its sections."""
        for section in self.procedure.sections:
            yield from self.section(section.id)

    @property
    def first_action(self) -> Line | None:
        """The first thing to do: the first step, or for an appeal, the first appeal."""
        for section in self.procedure.sections:
            if section.id in ("steps", "appeals") and self.section(section.id):
                return self.section(section.id)[0]
        return None

    @property
    def key_line(self) -> Line | None:
        """The deadline or warning that matters most (`key: true`; the loader allows one a path)."""
        return next((line for line in self.lines() if line.item.key), None)

    def source_number(self, source: Source) -> int:
        """A source's number on this result (1, 2…), for the short reference after each line."""
        return self.sources.index(source) + 1


def fee_total(amounts: list[Decimal]) -> Decimal:
    """Sum fee amounts, rounded half-up to the cent (amounts are given in cents already)."""
    return sum(amounts, Decimal("0")).quantize(CENTS)


@dataclass(frozen=True)
class Procedure:
    slug: str
    title: str
    summary: str
    theme: str
    sources: tuple[Source, ...]
    questions: tuple[Question, ...]
    outcomes: tuple[Outcome, ...]
    items: tuple[Item, ...]
    decisions: tuple[Decision, ...] = ()
    sections: tuple[Section, ...] = tuple(Section(s, SECTION_TITLES[s]) for s in SECTIONS)
    position: int = 100  # place on the home page, most asked first
    keywords: tuple[str, ...] = ()  # the words people search with
    # Names a commune key, or None for an unknown commune (guide.communes in the site).
    communes: Callable[[str], str | None] = field(default=any_commune, repr=False, compare=False)
    _index: Mapping[str, Question] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {q.id: q for q in self.questions})

    def question(self, question_id: str) -> Question | None:
        return self._index.get(question_id)

    def answer(self, question: Question, value: object) -> Option | None:
        """The option a value stands for; for a commune question, the commune named."""
        if not isinstance(value, str):
            return None
        if question.is_commune:
            label = self.communes(value) if COMMUNE_KEY.match(value) else None
            return Option(value, label) if label else None
        return question.option(value)

    # Walking the questions ---------------------------------------------------

    def check(self, answers: Mapping[str, object]) -> tuple[dict[str, str], Question | None]:
        """Validate answers strictly: return (answers in order, next question or None).

        Raises AnswerError listing every answer that does not belong: unknown
        question or option, a question that does not apply, or an answer to a
        later question while an earlier applicable one is unanswered.
        """
        problems = [f"question inconnue : {qid!r}" for qid in answers if qid not in self._index]
        accepted: dict[str, str] = {}
        pending: Question | None = None
        for question in self.questions:
            applies = question.when.holds(accepted)
            if question.id not in answers:
                if applies and pending is None:
                    pending = question
                continue
            value = answers[question.id]
            if pending is not None:
                problems.append(
                    f"{question.id} : la question {pending.id} doit être répondue avant"
                )
            elif not applies:
                problems.append(f"{question.id} : cette question ne s'applique pas à vos réponses")
            elif self.answer(question, value) is None:
                problems.append(
                    f"{question.id} : commune inconnue {value!r}"
                    if question.is_commune
                    else f"{question.id} : réponse inconnue {value!r}"
                )
            else:
                accepted[question.id] = value
        if problems:
            raise AnswerError(problems)
        return accepted, pending

    def resume(
        self, answers: Mapping[str, object]
    ) -> tuple[dict[str, str], Question | None, dict[str, str]]:
        """After an answer was changed: (the answers that still fit, in order, up to the first
        question left open; that question, or None; the later answers, held until it is answered).

        An answer is dropped only when its question no longer applies or its value no longer
        fits. Answers after the open question are held without judging them, since whether
        their questions apply may depend on the answer still to come: call `resume` again with
        that answer and the held ones.
        """
        accepted: dict[str, str] = {}
        held: dict[str, str] = {}
        pending: Question | None = None
        for question in self.questions:
            value = answers.get(question.id)
            fits = self.answer(question, value) is not None
            if pending is not None:
                if fits:
                    held[question.id] = value
            elif question.when.holds(accepted):
                if fits:
                    accepted[question.id] = value
                else:
                    pending = question
        return accepted, pending, held

    def next_step(self, answers: Mapping[str, object]) -> Question | Result:
        """The next question to ask, or the result when every applicable question is answered."""
        accepted, pending = self.check(answers)
        return pending if pending is not None else self.result(accepted)

    def asked(self, answers: Mapping[str, str]) -> tuple[Reason, ...]:
        reasons = []
        for question in self.questions:
            option = self.answer(question, answers.get(question.id, ""))
            if option is not None:
                reasons.append(Reason(question, option))
        return tuple(reasons)

    def remaining(self, answers: Mapping[str, str]) -> int | None:
        """How many questions are left (this one included), or None while that depends on answers to come."""
        accepted, _ = self.check(answers)
        return self._remaining_by_prefix.get(self._shape_of(accepted))

    def _shape_of(self, answers: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
        # Conditions cannot cite a commune: every commune answer walks the same paths.
        return tuple(
            (qid, SAMPLE_COMMUNE if self._index[qid].is_commune else value)
            for qid, value in answers.items()
        )

    @functools.cached_property
    def _remaining_by_prefix(self) -> dict[tuple[tuple[str, str], ...], int | None]:
        """`remaining` for every answered prefix of every path, computed once from the content
        (a question page would otherwise walk the paths left at every request)."""
        lengths: dict[tuple, set[int]] = {}
        for path in self.paths():
            items = tuple(path.items())
            for asked in range(len(items) + 1):
                lengths.setdefault(items[:asked], set()).add(len(items) - asked)
        return {key: next(iter(v)) if len(v) == 1 else None for key, v in lengths.items()}

    @functools.cached_property
    def question_counts(self) -> tuple[int, int]:
        """The fewest and the most questions a path asks (the home page says "3 à 7 questions")."""
        lengths = [len(path) for path in self.paths()]
        return (min(lengths), max(lengths)) if lengths else (0, 0)

    # Results -------------------------------------------------------------------

    def result(self, answers: Mapping[str, str]) -> Result:
        """The result for complete answers (call `check` or `next_step` first)."""
        matching = [o for o in self.outcomes if o.when.holds(answers)]
        if len(matching) != 1:
            names = ", ".join(o.id for o in matching) or "aucune"
            raise AnswerError([f"les réponses mènent à {len(matching)} issues ({names})"])
        chosen: dict[str, list[Line]] = {section: [] for section in SECTIONS}
        for item in self.items:
            if item.when.holds(answers):
                chosen[item.section].append(Line(item, self._because(item, answers)))
        fee_lines = tuple(chosen.pop("fees"))
        # Numbered in the order they are first cited on the page.
        shown = [
            line
            for section in self.sections
            for line in (fee_lines if section.id == "fees" else chosen[section.id])
        ]
        sources: dict[str, Source] = {}
        if matching[0].source is not None:
            sources[matching[0].source.id] = matching[0].source
        for line in shown:
            sources.setdefault(line.item.source.id, line.item.source)
        for line in chosen["offices"]:
            if line.item.office:
                sources.setdefault(line.item.office.source.id, line.item.office.source)
        return Result(
            procedure=self,
            outcome=matching[0],
            answers=self.asked(answers),
            fees=Fees(fee_lines, fee_total([line.item.amount or Decimal(0) for line in fee_lines])),
            sources=tuple(sources.values()),
            commune=next(
                (answers[q.id] for q in self.questions if q.is_commune and q.id in answers), ""
            ),
            **{section: tuple(lines) for section, lines in chosen.items()},
        )

    def _because(self, item: Item, answers: Mapping[str, str]) -> tuple[Reason, ...]:
        reasons = []
        for qid in dict.fromkeys(item.when.questions()):
            question = self._index[qid]
            if question.sensitive:
                continue
            option = self.answer(question, answers.get(qid, ""))
            if option is not None:
                reasons.append(Reason(question, option))
        return tuple(reasons)

    def paths(self, start: Mapping[str, str] | None = None) -> Iterator[dict[str, str]]:
        """Every complete set of answers (from `start`), depth first, in the order of the options."""
        stack: list[dict[str, str]] = [dict(start or {})]
        while stack:
            answers = stack.pop()
            _, pending = self.check(answers)
            if pending is None:
                yield answers
                continue
            if pending.is_commune:
                stack.append({**answers, pending.id: SAMPLE_COMMUNE})
            for option in reversed(pending.options):
                stack.append({**answers, pending.id: option.id})


# Building from the normalised definition ----------------------------------------


def _source(data: Mapping) -> Source:
    return Source(
        id=data["id"],
        title=data["title"],
        url=data.get("url", ""),
        verified=dt.date.fromisoformat(data["verified"]),
        read=dt.date.fromisoformat(data["read"]) if data.get("read") else None,
        seed=data.get("seed", ""),
        note=data.get("note", ""),
    )


def compile_offices(data: Mapping) -> dict[str, Office]:
    """Build the office catalogue from its normalised form ({"sources": [...], "offices": [...]})."""
    sources = {s["id"]: _source(s) for s in data.get("sources", [])}
    text_fields = ("address", "hours", "phone", "email", "url", "note", "local")
    return {
        o["id"]: Office(
            id=o["id"],
            name=o["name"],
            kind=o["kind"],
            source=sources[o["source"]],
            **{key: o.get(key, "") for key in text_fields},
        )
        for o in data.get("offices", [])
    }


ITEM_TEXT_FIELDS = (
    "detail",
    "original",
    "recent",
    "issuer",
    "translation",
    "payment",
    "exemptions",
)


def compile_procedure(
    data: Mapping,
    offices: Mapping[str, Office],
    communes: Callable[[str], str | None] = any_commune,
    section_titles: Mapping[str, str] | None = None,
) -> Procedure:
    """Build a Procedure from its normalised definition (as produced by the loader).

    `section_titles` are the default headings of sections the procedure does not title (in the
    page's language; French by default).

    `communes` names a commune key (None when unknown): the site passes its directory of communes.
    """
    sources = {s["id"]: _source(s) for s in data["sources"]}
    questions = tuple(
        Question(
            id=q["id"],
            text=q["text"],
            kind=q["kind"],
            hint=q.get("hint", ""),
            when=compile_condition(q.get("when")),
            sensitive=q.get("sensitive", False),
            options=tuple(
                Option(o["id"], o["label"], o.get("hint", ""), o.get("place", ""))
                for o in q.get("options", [])
            ),
        )
        for q in data["questions"]
    )
    outcomes = tuple(
        Outcome(
            o["id"],
            o["title"],
            compile_condition(o.get("when")),
            o.get("summary", ""),
            o.get("kind", "procedure"),
            sources[o["source"]] if "source" in o else None,
        )
        for o in data["outcomes"]
    )
    items = []
    for section in SECTIONS:
        for raw in data.get(section, []):
            items.append(
                Item(
                    section=section,
                    id=raw["id"],
                    text=raw.get("text", ""),
                    source=sources[raw["source"]],
                    when=compile_condition(raw.get("when")),
                    office=offices[raw["office"]] if "office" in raw else None,
                    amount=Decimal(raw["amount"]) if "amount" in raw else None,
                    or_amount=Decimal(raw["or_amount"]) if "or_amount" in raw else None,
                    key=raw.get("key", False),
                    appeal=raw.get("appeal", False),
                    link=raw.get("link", {}).get("url", ""),
                    link_label=raw.get("link", {}).get("label", ""),
                    **{key: raw.get(key, "") for key in ITEM_TEXT_FIELDS},
                )
            )
    return Procedure(
        slug=data["slug"],
        title=data["title"],
        summary=data["summary"],
        theme=data.get("theme", ""),
        sources=tuple(sources.values()),
        questions=questions,
        outcomes=outcomes,
        items=tuple(items),
        decisions=tuple(
            Decision(d["id"], d["text"], sources[d["source"]]) for d in data.get("decisions", [])
        ),
        sections=tuple(
            Section(s["id"], s.get("title") or (section_titles or SECTION_TITLES)[s["id"]])
            for s in data.get("sections") or [{"id": section} for section in SECTIONS]
        ),
        position=data.get("position", 100),
        keywords=tuple(data.get("keywords", ())),
        communes=communes,
    )
