"""The real content of procedures/: every path ends on a non-empty, fully sourced result."""

import datetime as dt
from decimal import Decimal

import pytest

from guide import engine


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
            assert lines, (slug, answers)
            for line in lines:
                assert line.item.text or line.item.office, (slug, line.item.id)
                assert isinstance(line.item.source.verified, dt.date)
                assert line.item.source in result.sources
            assert all(s.verified <= dt.date.today() for s in result.sources)


# Residence permit: a few scenarios checked against content-facts §4 and §5.
SCENARIOS = [
    (
        {
            "evenement": "vole",
            "statut": "autre",
            "lieu": "france",
            "carte": "pluriannuelle",
            "mention_pluriannuelle": "general",
        },
        "vol-france",
        {
            "recepisse-plainte",
            "passeport",
            "justificatif-domicile",
            "e-photo",
            "justificatif-paiement",
        },
        "225.00",
    ),
    (
        {
            "evenement": "perdu",
            "statut": "autre",
            "lieu": "france",
            "carte": "un_an",
            "protection": "non",
            "mention_un_an": "reduite",
        },
        "perte-france",
        {"declaration-perte", "passeport", "justificatif-domicile", "e-photo"},
        "75.00",
    ),
    (
        {
            "evenement": "perdu",
            "statut": "autre",
            "lieu": "etranger",
            "carte": "resident",
            "protection": "sans_reponse",
            "mention_resident": "algerien",
        },
        "perte-etranger",
        {"declaration-perte", "passeport"},
        "25.00",
    ),
    (
        {
            "evenement": "vole",
            "statut": "autre",
            "lieu": "etranger",
            "carte": "un_an",
            "protection": "oui",
        },
        "vol-etranger",
        {"declaration-vol-etranger", "passeport"},
        "0.00",
    ),
    (
        {"evenement": "perdu", "statut": "europeen"},
        "europeen-perte",
        {"declaration-perte-europeen", "piece-identite-europeen"},
        "0.00",
    ),
    (
        {"evenement": "vole", "statut": "famille", "lieu": "france"},
        "famille-vol",
        {"lien-famille", "passeport-famille"},
        "0.00",
    ),
    (
        {"evenement": "perdu", "statut": "autre", "lieu": "france", "carte": "retraite"},
        "perte-france",
        {"passeport"},
        "25.00",
    ),
]


@pytest.mark.parametrize(("answers", "outcome", "documents", "total"), SCENARIOS)
def test_residence_permit_scenario(permit, answers, outcome, documents, total):
    result = permit.next_step(answers)
    assert result.outcome.id == outcome
    assert documents <= {line.item.id for line in result.documents}
    assert result.fees.total == Decimal(total)


def test_theft_in_france_sends_to_the_police_and_online(permit):
    answers = SCENARIOS[0][0]
    offices = {line.item.office.id for line in permit.next_step(answers).offices}
    assert offices == {"anef", "police-gendarmerie"}


def test_europeans_are_not_asked_where_a_lost_card_was(permit):
    assert isinstance(permit.next_step({"evenement": "perdu", "statut": "europeen"}), engine.Result)


def test_preferring_not_to_answer_gives_the_general_fee_with_a_note(permit):
    answers = {
        "evenement": "perdu",
        "statut": "autre",
        "lieu": "france",
        "carte": "un_an",
        "protection": "sans_reponse",
        "mention_un_an": "general",
    }
    result = permit.next_step(answers)
    assert result.fees.total == Decimal("225.00")
    assert "prix-sans-reponse" in {line.item.id for line in result.notes}


# Attestation d'accueil: content-facts §2 (F2191, 2025).
ACCUEIL = [
    ({"visiteur": "europeen"}, "visiteur-europeen", set(), "0.00"),
    ({"visiteur": "non_europeen", "sejour": "non"}, "autre-sejour", set(), "0.00"),
    (
        {"visiteur": "non_europeen", "sejour": "oui", "dispense": "visa_famille"},
        "dispense",
        set(),
        "0.00",
    ),
    (
        {
            "visiteur": "non_europeen",
            "sejour": "oui",
            "dispense": "aucun",
            "hebergeant": "francais_europeen",
            "mineur": "non",
            "grande_ville": "non",
        },
        "demande",
        {
            "identite",
            "occupation",
            "domicile",
            "ressources",
            "logement",
            "paiement-taxe",
            "numero-passeport",
        },
        "30.00",
    ),
    (
        {
            "visiteur": "non_europeen",
            "sejour": "oui",
            "dispense": "aucun",
            "hebergeant": "autre",
            "mineur": "oui",
            "grande_ville": "oui",
        },
        "demande",
        {"titre-sejour", "accord-parents", "paiement-taxe"},
        "30.00",
    ),
]


@pytest.mark.parametrize(("answers", "outcome", "documents", "total"), ACCUEIL)
def test_attestation_accueil_scenario(real_content, answers, outcome, documents, total):
    result = real_content.compile()["attestation-accueil"].next_step(answers)
    assert result.outcome.id == outcome
    assert documents <= {line.item.id for line in result.documents}
    assert not ({"identite", "titre-sejour"} <= {line.item.id for line in result.documents})
    assert result.fees.total == Decimal(total)


def test_attestation_in_paris_lyon_marseille_goes_to_the_arrondissement(real_content):
    answers = ACCUEIL[4][0]
    result = real_content.compile()["attestation-accueil"].next_step(answers)
    assert {line.item.office.id for line in result.offices} == {
        "mairie-arrondissement",
        "prefecture-recours",
    }
    assert {line.item.id for line in result.appeals} == {"recours-prefet", "tribunal-administratif"}
