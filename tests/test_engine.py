"""The engine on the demo procedure: no database, no Django."""

from decimal import Decimal

import pytest

from guide import engine
from tests.conftest import PROTECTED_CARD, STOLEN_IN_CAVAILLON


def test_first_question_comes_first(demo):
    assert demo.next_step({}).id == "lieu"


def test_question_that_applies_is_asked_next(demo):
    assert demo.next_step({"lieu": "france"}).id == "enfant"


def test_question_that_does_not_apply_is_skipped(demo):
    result = demo.next_step({"lieu": "etranger"})
    assert isinstance(result, engine.Result)
    assert result.outcome.id == "a-l-etranger"


def test_result_lists_items_whose_condition_holds(demo):
    result = demo.next_step({"lieu": "france", "enfant": "oui"})
    assert [line.item.id for line in result.documents] == ["passeport", "livret"]
    assert [line.item.id for line in result.offices] == ["mairie"]
    assert result.offices[0].item.office.address.startswith("1 place de la Mairie")


def test_fee_total_adds_the_lines_that_apply(demo):
    result = demo.next_step({"lieu": "france", "enfant": "oui"})
    assert [line.item.amount for line in result.fees.lines] == [Decimal("25.00"), Decimal("10.00")]
    assert result.fees.total == Decimal("35.00")


def test_decimal_amounts_keep_their_cents(demo):
    assert demo.next_step({"lieu": "etranger"}).fees.total == Decimal("12.50")


def test_fee_total_rounds_to_the_cent():
    assert engine.fee_total([Decimal("0.10"), Decimal("0.20")]) == Decimal("0.30")
    assert engine.fee_total([]) == Decimal("0.00")


def test_each_line_says_which_answers_put_it_there(demo):
    result = demo.next_step({"lieu": "france", "enfant": "oui"})
    livret = next(line for line in result.documents if line.item.id == "livret")
    assert [(r.question.id, r.option.id) for r in livret.because] == [("enfant", "oui")]
    passeport = next(line for line in result.documents if line.item.id == "passeport")
    assert passeport.because == ()


def test_result_lists_the_sources_it_used(demo):
    result = demo.next_step({"lieu": "etranger"})
    assert [s.id for s in result.sources] == ["loi", "annuaire"]


def test_unknown_option_is_rejected(demo):
    with pytest.raises(engine.AnswerError, match="réponse inconnue 'mars'"):
        demo.next_step({"lieu": "mars"})


def test_unknown_question_is_rejected(demo):
    with pytest.raises(engine.AnswerError, match="question inconnue : 'age'"):
        demo.next_step({"lieu": "france", "age": "12"})


def test_answer_to_a_question_off_the_path_is_rejected(demo):
    with pytest.raises(engine.AnswerError, match="enfant : cette question ne s'applique pas"):
        demo.next_step({"lieu": "etranger", "enfant": "oui"})


def test_skipping_a_question_is_rejected(demo):
    with pytest.raises(engine.AnswerError, match="la question lieu doit être répondue avant"):
        demo.next_step({"enfant": "oui"})


def test_non_text_answer_is_rejected(demo):
    with pytest.raises(engine.AnswerError, match="réponse inconnue 3"):
        demo.next_step({"lieu": 3})


def test_every_problem_is_reported(demo):
    with pytest.raises(engine.AnswerError) as error:
        demo.next_step({"lieu": "mars", "x": "y"})
    assert len(error.value.problems) == 2


def test_resume_keeps_answers_that_still_apply(demo):
    assert demo.resume({"lieu": "etranger", "enfant": "oui"}) == ({"lieu": "etranger"}, None, {})
    assert demo.resume({"lieu": "france", "enfant": "oui", "x": "y"}) == (
        {"lieu": "france", "enfant": "oui"},
        None,
        {},
    )


def test_resume_asks_the_newly_opened_question_and_holds_the_later_answers(permit):
    """A 1-year card changed to a multi-year one: the mention question opens, the commune stays."""
    before = STOLEN_IN_CAVAILLON
    accepted, pending, held = permit.resume({**before, "carte": "pluriannuelle"})
    assert pending.id == "mention_pluriannuelle"
    assert accepted == {
        "evenement": "vole",
        "statut": "autre",
        "lieu": "france",
        "carte": "pluriannuelle",
    }
    assert held == {"commune": "84035"}
    accepted, pending, held = permit.resume(
        {**accepted, "mention_pluriannuelle": "reduite", **held}
    )
    assert pending is None
    assert accepted["commune"] == "84035"
    assert permit.check(accepted) == (accepted, None)


def test_paths_enumerates_every_complete_set_of_answers(demo):
    assert list(demo.paths()) == [
        {"lieu": "france", "enfant": "oui"},
        {"lieu": "france", "enfant": "non"},
        {"lieu": "etranger"},
    ]


def test_remaining_is_known_only_when_the_path_is(demo):
    assert demo.remaining({}) is None
    assert demo.remaining({"lieu": "france"}) == 1


def test_yes_no_question_has_oui_and_non(demo):
    assert [o.id for o in demo.question("enfant").options] == ["oui", "non"]


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"a": "x"}, {"a": "x"}, True),
        ({"a": ["x", "y"]}, {"a": "y"}, True),
        ({"a": "x", "b": "z"}, {"a": "x", "b": "y"}, False),
        ({"any": [{"a": "x"}, {"b": "z"}]}, {"b": "z"}, True),
        ({"not": {"a": "x"}}, {}, True),
        ({"all": [{"a": "x"}, {"not": {"b": "z"}}]}, {"a": "x", "b": "z"}, False),
        (None, {}, True),
    ],
)
def test_conditions_are_data(condition, answers, expected):
    assert engine.compile_condition(condition).holds(answers) is expected


def test_sensitive_question_is_never_a_reason(permit):
    answers = PROTECTED_CARD
    line = next(line for line in permit.next_step(answers).fees.lines)
    assert line.item.id == "duplicata-gratuit-protection"
    assert line.because == ()


def test_remaining_from_the_table_matches_walking_the_paths_left(compiled):
    """`remaining` reads a table built once; walking the paths left at each prefix gives the same."""
    for procedure in compiled.values():
        for path in procedure.paths():
            items = list(path.items())
            for asked in range(len(items) + 1):
                prefix = dict(items[:asked])
                lengths = {len(p) - asked for p in procedure.paths(prefix)}
                expected = lengths.pop() if len(lengths) == 1 else None
                assert procedure.remaining(prefix) == expected, (procedure.slug, prefix)
    permit = compiled["titre-sejour-perdu-vole"]
    carpentras = {**STOLEN_IN_CAVAILLON, "commune": "84031"}
    assert permit.remaining(carpentras) == permit.remaining(STOLEN_IN_CAVAILLON) == 0
