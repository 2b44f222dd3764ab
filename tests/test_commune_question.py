"""The "Votre commune" question: without JavaScript, with the htmx suggestions, and its rules."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from guide import engine, registry, state
from guide.loader import read_directory
from guide.typography import french
from tests.test_places import THEFT_IN_FRANCE

pytestmark = pytest.mark.django_db
SLUG = "titre-sejour-perdu-vole"
STEP = reverse("guide:step", args=[SLUG])
TOKEN = re.compile(r'name="s" value="([^"]*)"')


def commune_page(client) -> tuple[str, str]:
    """The commune question's page (HTML) and its token."""
    page = client.get(f"{STEP}?s={state.dump(SLUG, THEFT_IN_FRANCE)}")
    text = page.content.decode()
    assert french("Dans quelle commune habitez-vous ?") in text
    return text, TOKEN.search(text).group(1)


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["s"][0]


def post(client, token: str, **fields):
    return client.post(STEP, {"s": token, **fields})


def test_the_deployment_communes_are_offered_first(client, loaded):
    text, _ = commune_page(client)
    assert french("Communes de LMV Agglomération :") in text
    assert 'value="84035"' in text
    assert "Cavaillon (84300 – Vaucluse)" in text
    assert text.count('type="radio"') == 16  # the 16 communes of the agglomeration


def test_choosing_a_listed_commune_answers(client, loaded):
    _, token = commune_page(client)
    response = post(client, token, answer="84065")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("guide:summary", args=[SLUG]))
    answers = state.load(token_of(response["Location"]), SLUG).answers
    assert answers["commune"] == "84065"


def test_a_postcode_of_one_commune_answers(client, loaded):
    _, token = commune_page(client)
    response = post(client, token, q="84200")
    assert response.status_code == 302
    assert state.load(token_of(response["Location"]), SLUG).answers["commune"] == "84031"


def test_a_postcode_of_several_communes_offers_a_choice(client, loaded):
    _, token = commune_page(client)
    response = post(client, token, q="84210")
    text = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert french("Plusieurs communes correspondent à « 84210 » : choisissez la vôtre.") in text
    assert french("Communes qui correspondent :") in text
    assert text.count('type="radio"') == 6
    assert "Pernes-les-Fontaines (84210 – Vaucluse)" in text
    assert 'name="q" id="commune-q" value=""' in text  # the choice now answers
    token = TOKEN.search(text).group(1)
    key = re.search(r'value="([^"]+)" id="commune-[^"]+">\s*<label[^>]*>Venasque', text).group(1)
    response = post(client, token, answer=key)
    assert response.status_code == 302


def test_an_unknown_commune_keeps_the_text_and_says_why(client, loaded):
    _, token = commune_page(client)
    response = post(client, token, q="Atlantide")
    text = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert french("Aucune commune ne correspond à « Atlantide »") in text
    assert 'value="Atlantide"' in text
    assert 'role="alert"' in text


def test_nothing_chosen_is_an_error(client, loaded):
    _, token = commune_page(client)
    response = post(client, token)
    assert response.status_code == 400
    assert "Choisissez votre commune, ou tapez son code postal ou son nom." in html.unescape(
        response.content.decode()
    )


def test_a_tampered_commune_is_refused(client, loaded):
    _, token = commune_page(client)
    response = post(client, token, answer="99999")
    assert response.status_code == 400
    bad = state.dump(SLUG, {**THEFT_IN_FRANCE, "commune": "00000"})
    assert client.get(f"{reverse('guide:result', args=[SLUG])}?s={bad}").status_code == 400


def test_a_suggestion_picked_with_javascript_answers(client, loaded):
    _, token = commune_page(client)
    response = post(
        client,
        token,
        q="Paris 1er Arrondissement (arrondissement de Paris – 75001 – Paris)",
        picked="75101-arrondissement",
    )
    assert response.status_code == 302
    answers = state.load(token_of(response["Location"]), SLUG).answers
    assert answers["commune"] == "75101-arrondissement"


def test_suggestions_are_posted_never_in_the_address(client, loaded):
    url = reverse("guide:communes")
    assert client.get(url, {"q": "84300"}).status_code == 405
    response = client.post(url, {"q": "84300"})
    text = html.unescape(response.content.decode())
    assert text.count('role="option"') == 2
    assert 'data-key="84035"' in text
    assert "Taillades (84300 – Vaucluse)" in text
    assert client.post(url, {"q": "8"}).content.decode().strip() == ""


def test_the_summary_and_result_name_the_commune(client, loaded):
    token = state.dump(SLUG, {**THEFT_IN_FRANCE, "commune": "84035"})
    summary = html.unescape(
        client.get(f"{reverse('guide:summary', args=[SLUG])}?s={token}").content.decode()
    )
    assert "Cavaillon (84300 – Vaucluse)" in summary


def test_engine_refuses_an_unknown_commune(loaded):
    procedure = registry.get(SLUG)
    with pytest.raises(engine.AnswerError, match="commune inconnue"):
        procedure.check({**THEFT_IN_FRANCE, "commune": "99999"})
    answers, pending = procedure.check({**THEFT_IN_FRANCE, "commune": "84035"})
    assert pending is None
    assert answers["commune"] == "84035"


def test_printed_link_keeps_the_commune(loaded):
    procedure = registry.get(SLUG)
    for key in ("84035", "01015-deleguee", "75101-arrondissement", "2A004"):
        answers = {**THEFT_IN_FRANCE, "commune": key}
        token, _ = state.dump_link(procedure, answers)
        assert state.load_link(procedure, token) == answers
    lost = {"evenement": "perdu", "statut": "europeen"}  # no commune asked
    token, _ = state.dump_link(procedure, lost)
    assert state.load_link(procedure, token) == lost


def test_format_rules_for_commune_questions(tmp_path):
    base = (
        "slug: essai\ntitle: Essai\nsummary: Essai\nsources:\n"
        "  - {{id: s, title: S, url: 'https://example.org', verified: 2025-01-01, read: 2026-11-23}}\n"
        "questions:\n"
        "  - id: lieu\n    text: Où ?\n    kind: commune\n{extra_question}"
        "outcomes:\n  - id: fin\n    title: Fin\n{outcome_when}"
        "notes:\n  - {{id: n, text: Note, source: s}}\n"
    )
    cases = {
        "options": (
            "    options: [{id: a, label: A}, {id: b, label: B}]\n",
            "",
            "une question commune n'a pas d'options",
        ),
        "condition": (
            "",
            "    when: {lieu: '84035'}\n",
            "demande une commune : elle ne peut pas servir de condition",
        ),
    }
    for name, (extra, when, message) in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / "essai.yaml").write_text(
            base.format(extra_question=extra, outcome_when=when), encoding="utf-8"
        )
        problems = [p.reason for p in read_directory(folder).problems]
        assert any(message in p for p in problems), (name, problems)


def test_a_single_commune_guide_starts_with_its_commune_chosen(client, loaded, monkeypatch):
    from guide import commune

    monkeypatch.setitem(commune.get(), "communes", ["84031"])
    text, _ = commune_page(client)
    assert re.search(r'value="84031" id="commune-84031" checked', text)


def test_changing_a_commune_from_the_summary_shows_the_current_one_checked(client, loaded):
    edit = state.dump(SLUG, {**THEFT_IN_FRANCE, "commune": "97411"}, edit="commune")
    text = html.unescape(client.get(f"{STEP}?s={edit}").content.decode())
    assert re.search(r'value="97411" id="commune-97411" checked', text)
    assert text.index("Saint-Denis (97400") < text.index("Beaumettes")  # listed first
