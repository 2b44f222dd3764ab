"""Offices found for the visitor's commune, from the DILA fixture (test records, real codes)."""

import html

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guide import places, registry, state
from guide.typography import french
from tests.test_annuaire import import_fixture

pytestmark = pytest.mark.django_db

THEFT_IN_FRANCE = {
    "evenement": "vole",
    "statut": "autre",
    "lieu": "france",
    "carte": "pluriannuelle",
    "mention_pluriannuelle": "general",
}
HOSTING = {  # attestation d'accueil, up to the commune question
    "visiteur": "non_europeen",
    "sejour": "oui",
    "dispense": "aucun",
    "hebergeant": "francais_europeen",
    "mineur": "non",
}
REINTEGRATION = {
    "cas": "mariage",
    "residence": "france",
    "enfants": "non",
    "schengen": "non",
    "documents_etrangers": "non",
}


def local_offices(slug: str, answers: dict) -> dict[str, places.Local | None]:
    result = registry.get(slug).next_step(answers)
    return {entry.line.item.office.id: entry.local for entry in places.office_lines(result)}


def result_page(client, slug: str, answers: dict) -> str:
    response = client.get(f"/demarche/{slug}/resultat/?s={state.dump(slug, answers)}")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def directory(loaded):
    import_fixture()


def test_competent_offices_of_an_ordinary_commune(directory):
    found = local_offices("attestation-accueil", {**HOSTING, "commune": "84031"})
    mairie = found["mairie-hebergement"]
    assert [p.name for p in mairie.places] == ["Mairie - Carpentras (fiche de test)"]
    assert not mairie.approximate
    assert mairie.commune == "Carpentras"
    prefecture = found["prefecture-recours"]
    assert [p.name for p in prefecture.places] == ["Préfecture de Vaucluse (fiche de test)"]
    assert not prefecture.approximate


def test_police_of_a_commune(directory):
    found = local_offices("titre-sejour-perdu-vole", {**THEFT_IN_FRANCE, "commune": "84031"})
    assert [p.kind for p in found["police-gendarmerie"].places] == ["commissariat"]
    assert found["anef"] is None  # a national online service: nothing to find


def test_commune_nouvelle_is_served_by_its_main_mairie_not_the_delegated_one(directory):
    for key in ("01015", "01015-deleguee"):
        found = local_offices("attestation-accueil", {**HOSTING, "commune": key})
        assert [p.name for p in found["mairie-hebergement"].places] == [
            "Mairie - Arboys en Bugey (fiche de test)"
        ], key
    police = local_offices("titre-sejour-perdu-vole", {**THEFT_IN_FRANCE, "commune": "01015"})
    assert [p.kind for p in police["police-gendarmerie"].places] == ["gendarmerie"]


def test_paris_arrondissement(directory):
    """No "Paris, Lyon ou Marseille ?" question: the arrondissement chosen as the commune finds
    its own mairie."""
    hosting = {**HOSTING, "commune": "75101-arrondissement"}
    found = local_offices("attestation-accueil", hosting)
    assert [p.name for p in found["mairie-hebergement"].places] == [
        "Mairie du 1er arrondissement de Paris (fiche de test)"
    ]
    assert [p.name for p in found["prefecture-recours"].places] == [
        "Préfecture de police de Paris (fiche de test)"
    ]


def test_overseas_commune(directory):
    found = local_offices("attestation-accueil", {**HOSTING, "commune": "97411"})
    assert [p.name for p in found["prefecture-recours"].places] == [
        "Préfecture de La Réunion (fiche de test)"
    ]


def test_no_competence_falls_back_to_the_departement_with_a_label(directory):
    # Cavaillon (84035) has no commune file in the fixture: the Vaucluse préfecture is shown,
    # labelled as an approximation; no commissariat is located there, so none is shown.
    found = local_offices("attestation-accueil", {**HOSTING, "commune": "84035"})
    prefecture = found["prefecture-recours"]
    assert [p.name for p in prefecture.places] == ["Préfecture de Vaucluse (fiche de test)"]
    assert "ne dit pas quel service est compétent pour Cavaillon" in prefecture.approximate
    assert "Vaucluse" in prefecture.approximate
    police = local_offices("titre-sejour-perdu-vole", {**THEFT_IN_FRANCE, "commune": "84035"})
    assert police["police-gendarmerie"].missing


def test_tribunal_judiciaire_for_reintegration(directory):
    found = local_offices("reintegration-nationalite", {**REINTEGRATION, "commune": "84031"})
    assert [p.name for p in found["tribunal-judiciaire"].places] == [
        "Tribunal judiciaire de Carpentras (fiche de test)"
    ]


def test_without_an_imported_directory_nothing_is_invented(loaded):
    found = local_offices("attestation-accueil", {**HOSTING, "commune": "84031"})
    assert found["mairie-hebergement"].missing
    assert found["mairie-hebergement"].commune == "Carpentras"


def test_result_page_shows_the_offices_and_the_credit(client, directory):
    html = result_page(client, "attestation-accueil", {**HOSTING, "commune": "84031"})
    assert "<h3>Mairie - Carpentras (fiche de test)</h3>" in html  # titled with the place
    assert html.count("Mairie - Carpentras (fiche de test)") == 2  # the title and its link
    assert "Lundi – Vendredi" in html  # opening hours as published
    assert (
        "Service-Public.gouv.fr / DILA, annuaire de l'administration, fichier du 12/09/2026 "
        "(2026-09-12_003346-data.gouv_local.json), Licence Ouverte 2.0." in html
    )


def test_result_page_says_once_when_addresses_are_missing_and_links_each_office(client, loaded):
    """One sentence per result, and per office one link worded as what to do."""
    html = result_page(client, "attestation-accueil", {**HOSTING, "commune": "84031"})
    assert html.count("ne nous a pas encore donné l") == 1
    assert (
        '<a class="line-link" href="https://lannuaire.service-public.gouv.fr/recherche?'
        'whoWhat=Mairie&where=Carpentras">Trouver la mairie pour Carpentras</a>'
    ) in html
    assert french("Trouver la préfecture pour Carpentras") in html
    assert html.count('href="https://lannuaire.service-public.gouv.fr/recherche?') == 2
    assert "DILA, annuaire" not in html  # no credit for data that is not shown
    # the préfecture, needed only after a refusal, is grouped apart
    assert html.index("Si votre demande est refusée") < html.index(
        french("Trouver la préfecture pour Carpentras")
    )
    assert html.index(french("Trouver la mairie pour Carpentras")) < html.index(
        "Si votre demande est refusée"
    )


def test_a_commune_costs_two_queries_at_most_then_none(client, directory):
    answers = {**HOSTING, "commune": "84035"}  # the fallback path: competences, then département
    registry.get("attestation-accueil")  # the registry's own periodic check is not counted
    with CaptureQueriesContext(connection) as first:
        local_offices("attestation-accueil", answers)
    with CaptureQueriesContext(connection) as again:
        local_offices("attestation-accueil", answers)
    lookups = [q["sql"] for q in first.captured_queries if "guide_importrun" not in q["sql"]]
    assert len(lookups) == 2  # mairie and préfecture: their competences, then the fallbacks
    assert again.captured_queries == []


def test_a_new_import_is_picked_up(directory, settings):
    settings.PROCEDURES_RECHECK_SECONDS = 0
    before = local_offices("attestation-accueil", {**HOSTING, "commune": "84031"})
    assert before["mairie-hebergement"].places
    call_command("import_annuaire", "--file", str(places_fixture_without_carpentras()))
    after = local_offices("attestation-accueil", {**HOSTING, "commune": "84031"})
    assert after["mairie-hebergement"].missing


def places_fixture_without_carpentras():
    """A copy of the fixture's local file without Carpentras's mairie (a later file)."""
    import json
    import tempfile
    from pathlib import Path

    from tests.test_annuaire import LOCAL

    data = json.loads(LOCAL.read_text(encoding="utf-8"))
    records = data["service"] if isinstance(data, dict) else data
    kept = [r for r in records if r["id"] != "test-0001-mairie-carpentras"]
    target = Path(tempfile.mkdtemp()) / "2026-10-01_003346-data.gouv_local.json"
    target.write_text(json.dumps({"service": kept}), encoding="utf-8")
    return target


def test_residents_of_the_deployment_get_one_help_line_from_their_mairie(client, directory):
    """The mairie plays no part after a theft: no "Votre mairie" box, one help line."""
    served = {**THEFT_IN_FRANCE, "commune": "84035"}  # Cavaillon, one of the demo's communes
    html_served = result_page(client, "titre-sejour-perdu-vole", served)
    assert "Votre mairie</h3>" not in html_served
    assert html_served.count('class="help-line"') == 1
    assert french("Besoin d'aide ? Service à la population de votre mairie") in html_served
    elsewhere = {**THEFT_IN_FRANCE, "commune": "84031"}  # Carpentras: not served by the demo
    assert "help-line" not in result_page(client, "titre-sejour-perdu-vole", elsewhere)


def test_a_served_commune_with_a_directory_record_names_its_mairie_and_phone(
    client, directory, monkeypatch
):
    from guide import commune

    monkeypatch.setitem(commune.get(), "communes", ["84031"])
    page = result_page(client, "titre-sejour-perdu-vole", {**THEFT_IN_FRANCE, "commune": "84031"})
    line = page[page.index('class="help-line"') :]
    line = line[: line.index("</p>")]
    assert french("Besoin d'aide ? Mairie - Carpentras (fiche de test)") in line


def test_sources_page_lists_national_bodies_and_the_directory_credit(client, loaded):
    page = html.unescape(client.get("/sources/").content.decode())
    assert "Service central d'état civil, 11 rue de la Maison Blanche, 44941 Nantes Cedex 9" in page
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in page
    sdanf = page[page.index("Sous-direction de l'accès à la nationalité française") :]
    assert sdanf[: sdanf.index("</li>")].count("adresse non confirmée") == 1
    assert "n'est pas encore importé sur ce site" in page
    import_fixture()
    places.clear()
    registry.clear()
    page = html.unescape(client.get("/sources/").content.decode())
    assert "fichier du 12/09/2026 (2026-09-12_003346-data.gouv_local.json)" in page
