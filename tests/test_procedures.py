"""The real content of procedures/: every path ends on a non-empty, fully sourced result."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from guide import engine, snapshot


def test_every_path_of_every_procedure_ends_on_a_sourced_result(real_content):
    compiled = real_content.compile()
    assert compiled, "procedures/ holds no procedure"
    for slug, procedure in compiled.items():
        paths = list(procedure.paths())
        assert len(paths) == real_content.path_counts[slug]
        for answers in paths:
            result = procedure.next_step(answers)
            assert isinstance(result, engine.Result)
            lines = list(result.lines())
            # An outcome that is an answer ("pas besoin d'attestation") says it in its summary.
            assert lines or (result.outcome.kind == "answer" and result.outcome.summary), (
                slug,
                answers,
            )
            for line in lines:
                assert line.item.text or line.item.office, (slug, line.item.id)
                assert isinstance(line.item.source.verified, dt.date)
                assert line.item.source.read >= line.item.source.verified
                assert line.item.source in result.sources
            assert all(s.verified <= dt.date.today() for s in result.sources)


SCENARIOS = yaml.safe_load((Path(__file__).parent / "scenarios.yaml").read_text(encoding="utf-8"))


def test_there_are_at_least_40_scenarios_covering_every_procedure(real_content):
    assert len(SCENARIOS) >= 40
    assert {s["procedure"] for s in SCENARIOS} == set(real_content.procedures)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: f"{s['procedure']}:{s['outcome']}")
def test_scenario(compiled, scenario):
    procedure = compiled[scenario["procedure"]]
    result = procedure.next_step(scenario["answers"])
    assert isinstance(result, engine.Result), "the answers must be complete"
    assert result.outcome.id == scenario["outcome"]
    assert sorted(line.item.id for line in result.documents) == sorted(scenario["documents"])
    assert result.fees.total == Decimal(scenario["total"])
    assert {line.item.office.kind for line in result.offices} == set(scenario["offices"])
    if "office_ids" in scenario:
        assert {line.item.office.id for line in result.offices} == set(scenario["office_ids"])
    assert set(scenario.get("notes", [])) <= {line.item.id for line in result.notes}
    assert set(scenario.get("conditions", [])) <= {line.item.id for line in result.conditions}
    or_total = scenario.get("or_total")
    assert result.fees.or_total == (Decimal(or_total) if or_total else None)


def test_every_outcome_has_a_scenario(compiled):
    covered = {(s["procedure"], s["outcome"]) for s in SCENARIOS}
    for slug, procedure in compiled.items():
        for outcome in procedure.outcomes:
            assert (slug, outcome.id) in covered


def test_europeans_are_not_asked_where_a_lost_card_was(permit):
    assert isinstance(permit.next_step({"evenement": "perdu", "statut": "europeen"}), engine.Result)


def test_committed_snapshots_match_the_content(compiled, settings):
    """If this fails, run `python manage.py snapshot_procedures` and review the diff."""
    directory = settings.BASE_DIR / "tests" / "snapshots"
    assert {p.stem for p in directory.glob("*.yaml")} == set(compiled)
    for slug, procedure in compiled.items():
        assert (directory / f"{slug}.yaml").read_text(encoding="utf-8") == snapshot.render(
            procedure
        ), slug


# Wording that was wrong on real results (issue 10, item 7) -------------------------------------


def test_the_mairie_result_does_not_say_the_mairie_refused(compiled):
    procedure = compiled["recours-refus-cni-passeport"]
    result = procedure.result({"administration": "mairie", "region": "paca"})
    assert "refusé par la mairie" not in result.outcome.title
    assert "Cert" in result.outcome.title
    assert "C'est le Cert qui accepte ou refuse" in result.steps[0].item.text


def test_a_reduced_price_is_not_called_the_general_price(compiled):
    """An Algerian certificate costs 25 €: a note must not call what is shown the general price."""
    result = compiled["titre-sejour-perdu-vole"].result(
        {
            "evenement": "perdu",
            "statut": "autre",
            "lieu": "france",
            "carte": "resident",
            "protection": "sans_reponse",
            "mention_resident": "algerien",
        }
    )
    assert result.fees.total == Decimal("25.00")
    assert not any("prix général" in line.item.text for line in result.lines())


def test_a_source_cited_outside_its_procedure_says_what_it_is_cited_for(compiled):
    """The attestation d'accueil fiche, cited on a residence-permit result for the timbre."""
    for answers in compiled["titre-sejour-perdu-vole"].paths():
        for source in compiled["titre-sejour-perdu-vole"].result(answers).sources:
            if source.id == "F2191":
                assert source.title.startswith("Comment acheter un timbre fiscal électronique")
