"""The plain server-rendered journey, privacy and speed."""

import re

import pytest
from django.urls import reverse

from guide import registry, state
from guide.typography import french
from tests.conftest import PROTECTED_CARD, STOLEN_IN_CAVAILLON

pytestmark = pytest.mark.django_db
SLUG = "titre-sejour-perdu-vole"
STEP = reverse("guide:step", args=[SLUG])


def answer(client, url, value):
    """Post one answer (an option, or the form's fields) on the page at `url`; return the redirect target."""
    page = client.get(url)
    token = re.search(r'name="s" value="([^"]*)"', page.content.decode())
    fields = value if isinstance(value, dict) else {"answer": value}
    response = client.post(STEP, {"s": token.group(1) if token else "", **fields})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_home_lists_the_procedures(client, loaded):
    page = client.get("/")
    assert page.status_code == 200
    assert "Titre de séjour perdu ou volé" in page.content.decode()


def test_a_resident_walks_to_the_result(client, loaded):
    url = STEP
    for value in ("vole", "autre", "france", "pluriannuelle", "general", {"q": "Cavaillon"}):
        url = answer(client, url, value)
    assert url.startswith(reverse("guide:summary", args=[SLUG]))
    summary = client.get(url).content.decode()
    assert "Vérifiez vos réponses" in summary
    result_url = (
        re.search(r'<a class="button" href="([^"]+)"', summary).group(1).replace("&amp;", "&")
    )
    page = client.get(result_url, follow=True)  # `vu=1` counts, then the clean address
    html = page.content.decode()
    assert page.status_code == 200
    assert "Titre de séjour volé en France" in html
    assert "Récépissé de la déclaration de vol" in html
    assert french("225,00 €") in html  # French number format
    # The fiche's own date and the day we read it: two facts, shown as two.
    assert french("version du 10 juillet 2025 ; lue le 27 novembre 2026") in html


def test_answers_never_appear_in_urls(client, loaded):
    url = STEP
    for value in ("vole", "autre", "france"):
        url = answer(client, url, value)
        query = url.split("?", 1)[1]
        assert not re.search(r"vole|autre|france|evenement|statut", query)


def test_question_page_shows_progress_and_back_link(client, loaded):
    html = client.get(answer(client, STEP, "vole")).content.decode()
    assert "Question 2" in html
    assert "Retour" in html


def test_missing_answer_shows_an_error_not_a_crash(client, loaded):
    response = client.post(STEP, {"s": ""})
    assert response.status_code == 400
    assert "Choisissez une réponse" in response.content.decode()


def test_an_error_is_summarised_first_linked_to_its_field_and_titled(client, loaded):
    html = client.post(STEP, {"s": ""}).content.decode()
    summary = html.index('class="error-summary"')
    assert summary < html.index("<form")
    assert 'href="#reponse-perdu"' in html  # the first option of the question
    assert 'id="reponse-perdu"' in html
    assert re.search(r"<title>Erreur – ", html)
    assert 'aria-describedby="erreur-champ"' in html


def test_debug_mode_does_not_load_the_htmx_debug_handler(client, loaded, settings):
    """It replaces the whole document with any 400 answer, our error summaries included."""
    settings.DEBUG = True
    html = client.get(STEP).content.decode()
    assert "htmx-2.min.js" in html
    assert "django-htmx.js" not in html


def test_unknown_option_shows_an_error(client, loaded):
    response = client.post(STEP, {"s": "", "answer": "mars"})
    assert response.status_code == 400
    assert "Cette réponse n&#x27;existe pas" in response.content.decode()


@pytest.mark.parametrize("token", ["abc", "gAAAAA" + "x" * 80, ""])
def test_tampered_state_gets_a_friendly_400(client, loaded, token):
    for url in (STEP, reverse("guide:result", args=[SLUG])):
        response = client.get(url, {"s": token or state.dump(SLUG, {"evenement": "mars"})})
        assert response.status_code == 400
        assert "Recommencer" in response.content.decode()


def test_error_page_states_the_configured_lifetime(client, loaded, settings):
    settings.STATE_MAX_AGE = {**settings.STATE_MAX_AGE, "wizard": 3 * 3600}
    html = client.get(STEP, {"s": "abime"}).content.decode()
    assert "gardées que 3 heures" in html


def test_state_from_another_procedure_gets_a_400(client, loaded):
    response = client.get(STEP, {"s": state.dump("autre", {})})
    assert response.status_code == 400


def test_unknown_procedure_is_a_404(client, loaded):
    assert client.get(reverse("guide:step", args=["inconnue"])).status_code == 404


def test_changing_an_answer_keeps_the_later_answers_that_still_apply(client, loaded):
    answers = {
        "evenement": "vole",
        "statut": "autre",
        "lieu": "france",
        "carte": "pluriannuelle",
        "mention_pluriannuelle": "general",
    }
    edit = state.dump(SLUG, answers, edit="evenement")
    page = client.get(STEP, {"s": edit}).content.decode()
    assert re.search(r'id="reponse-vole"\s+checked', page)
    response = client.post(STEP, {"s": edit, "answer": "perdu"})
    target = response["Location"]
    assert target.startswith(reverse("guide:summary", args=[SLUG]))
    kept = state.load(target.partition("?s=")[2], SLUG).answers
    assert kept == {**answers, "evenement": "perdu"}


def test_changing_an_answer_that_opens_a_new_question_asks_it(client, loaded):
    answers = {"evenement": "perdu", "statut": "europeen"}
    response = client.post(STEP, {"s": state.dump(SLUG, answers, edit="statut"), "answer": "autre"})
    target = response["Location"]
    assert target.startswith(STEP)
    html = client.get(target).content.decode()
    assert "Où était votre carte" in html


def test_editing_a_question_that_was_not_asked_is_a_400(client, loaded):
    token = state.dump(SLUG, {"evenement": "perdu", "statut": "europeen"}, edit="carte")
    assert client.get(STEP, {"s": token}).status_code == 400


def test_summary_lists_answers_with_links_to_change_them(client, loaded):
    token = state.dump(SLUG, {"evenement": "perdu", "statut": "europeen"})
    html = client.get(reverse("guide:summary", args=[SLUG]), {"s": token}).content.decode()
    assert "Je l&#x27;ai perdu" in html
    assert html.count(">Modifier<") == 2


def test_incomplete_result_redirects_to_the_next_question(client, loaded):
    token = state.dump(SLUG, {"evenement": "vole"})
    response = client.get(reverse("guide:result", args=[SLUG]), {"s": token})
    assert response.status_code == 302
    assert response["Location"].startswith(STEP)


def test_wizard_step_and_result_make_no_query_after_warm_up(
    client, loaded, django_assert_num_queries, settings
):
    settings.PROCEDURES_RECHECK_SECONDS = 3600
    token = state.dump(SLUG, {"evenement": "perdu", "statut": "europeen"})
    client.get(STEP)  # warm-up: compiles the content once
    with django_assert_num_queries(0):
        assert client.get(STEP, {"s": state.dump(SLUG, {"evenement": "vole"})}).status_code == 200
        assert client.post(STEP, {"s": "", "answer": "perdu"}).status_code == 302
        assert (
            client.post(
                STEP, {"s": "", "answer": "perdu"}, headers={"HX-Request": "true"}
            ).status_code
            == 200
        )
        assert client.get(reverse("guide:summary", args=[SLUG]), {"s": token}).status_code == 200
        assert client.get(reverse("guide:result", args=[SLUG]), {"s": token}).status_code == 200


def test_running_process_picks_up_a_new_load(client, loaded, settings, content_dir):
    from guide.loader import load_into_database

    settings.PROCEDURES_RECHECK_SECONDS = 0
    assert SLUG in registry.procedures()
    load_into_database(content_dir)  # replaces the real content with the demo procedure
    assert set(registry.procedures()) == {"demo"}


def test_recheck_waits_for_its_interval(loaded, settings, django_assert_num_queries):
    settings.PROCEDURES_RECHECK_SECONDS = 3600
    registry.procedures()
    with django_assert_num_queries(0):
        registry.procedures()


def test_sources_page_lists_sources_dates_and_decisions(client, loaded):
    html = client.get(reverse("guide:sources")).content.decode()
    assert "Réintégration dans la nationalité française par déclaration (F3071)" in html
    assert french("version du 28 mai 2025 ; lue le 23 novembre 2026") in html
    assert "Le tableau de 2017" in html


def test_sensitive_answers_are_not_quoted_back(client, loaded):
    answers = PROTECTED_CARD
    html = client.get(
        reverse("guide:result", args=[SLUG]), {"s": state.dump(SLUG, answers)}
    ).content.decode()
    assert french("Duplicata : gratuit dans votre situation") in html
    assert french("vous avez répondu : oui") not in html
    assert "protéger" not in html.split("<title>")[1].split("</title>")[0]


def test_every_outcome_of_every_procedure_is_reached_through_the_site(client, loaded, compiled):
    for slug, procedure in compiled.items():
        step_url = reverse("guide:step", args=[slug])
        first_path_per_outcome = {}
        for answers in procedure.paths():
            first_path_per_outcome.setdefault(procedure.result(answers).outcome.id, answers)
        for outcome_id, answers in first_path_per_outcome.items():
            token = ""
            for value in answers.values():
                response = client.post(step_url, {"s": token, "answer": value})
                assert response.status_code == 302
                token = response["Location"].partition("?s=")[2]
            # One or two answers go straight to the result (it shows them); more, to the summary.
            last = "guide:result" if len(answers) <= 2 else "guide:summary"
            assert response["Location"].startswith(reverse(last, args=[slug]))
            page = client.get(reverse("guide:result", args=[slug]), {"s": token})
            assert page.status_code == 200, (slug, outcome_id)
            assert (
                procedure.result(answers).outcome.title.replace("'", "&#x27;")
                in page.content.decode()
            )


def test_a_change_that_opens_a_question_asks_only_it_then_keeps_the_later_answers(client, loaded):
    """1-year card → multi-year card: the mention question opens; the commune is not asked again."""
    answers = STOLEN_IN_CAVAILLON
    response = client.post(
        STEP, {"s": state.dump(SLUG, answers, edit="carte"), "answer": "pluriannuelle"}
    )
    html = client.get(response["Location"]).content.decode()
    assert "Quelle mention est écrite sur votre carte pluriannuelle" in html
    token = re.search(r'name="s" value="([^"]+)"', html).group(1)
    response = client.post(STEP, {"s": token, "answer": "reduite"})
    target = response["Location"]
    assert target.startswith(reverse("guide:summary", args=[SLUG]))
    assert state.load(target.partition("?s=")[2], SLUG).answers == {
        "evenement": "vole",
        "statut": "autre",
        "lieu": "france",
        "carte": "pluriannuelle",
        "mention_pluriannuelle": "reduite",
        "commune": "84035",
    }


def test_back_from_a_newly_opened_question_keeps_the_held_answers(client, loaded):
    answers = {"evenement": "vole", "statut": "autre", "lieu": "france", "carte": "pluriannuelle"}
    token = state.dump(SLUG, answers, later={"commune": "84035"})
    html = client.get(STEP, {"s": token}).content.decode()
    back = re.search(r'href="([^"]+)"[^>]*>Retour<', html).group(1).replace("&amp;", "&")
    assert state.load(back.partition("?s=")[2], SLUG).later == {"commune": "84035"}


def test_the_public_result_quotes_the_answers_once_and_the_detailed_view_says_why(client, loaded):
    token = state.dump(SLUG, STOLEN_IN_CAVAILLON)
    url = reverse("guide:result", args=[SLUG])
    public = client.get(url, {"s": token}).content.decode()
    assert "En bref" in public
    assert "parce que vous avez répondu" not in public
    assert "Votre situation" in public
    assert public.count(">On me l&#x27;a volé<") + public.count(">On me l&#x27;a volé ") <= 1
    assert 'class="ref" href="#source-1"' in public
    detailed = client.get(url, {"s": token, "vue": "detail"}).content.decode()
    detailed = detailed.replace("&#x27;", "'")
    assert french("(parce que vous avez répondu : «") in detailed
    # each answer with its question (PostgreSQL's jsonb may give the conditions in another order)
    assert (
        french("« Que s'est-il passé avec votre titre de séjour ? » : On me l'a volé") in detailed
    )


def test_the_deployment_s_own_region_and_departement_come_first(client, loaded, monkeypatch):
    from guide import commune

    recours = "recours-refus-cni-passeport"
    url = reverse("guide:step", args=[recours])
    page = client.get(url, {"s": state.dump(recours, {"administration": "cert"})})
    labels = re.findall(r'<label for="reponse-[^"]+">([^<]+)</label>', page.content.decode())
    assert labels[0] == "Provence-Alpes-Côte d&#x27;Azur"  # the demo serves 16 Vaucluse communes
    assert labels[1:3] == ["Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté"]  # then as written
    monkeypatch.setitem(commune.get(), "communes", ["93066"])  # Saint-Denis (93)
    page = client.get(url, {"s": state.dump(recours, {"administration": "cert"})})
    labels = re.findall(r'<label for="reponse-[^"]+">([^<]+)</label>', page.content.decode())
    assert labels[0] == "Île-de-France"
    answers = {"administration": "cert", "region": "idf"}
    page = client.get(url, {"s": state.dump(recours, answers)}).content.decode()
    labels = re.findall(r'<label for="reponse-[^"]+">([^<]+)</label>', page)
    assert labels[0] == "Seine-Saint-Denis (93)"
    # the error summary links to the first option shown
    monkeypatch.setitem(commune.get(), "communes", ["84035"])
    token = state.dump(recours, {"administration": "cert"})
    error = client.post(url, {"s": token}).content.decode()
    assert 'href="#reponse-paca"' in error
