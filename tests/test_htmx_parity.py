"""An htmx response applied to the page gives the page the server renders without htmx.

The browser side of htmx (swap into <main id="contenu">, title from the response, URL from
HX-Push-Url) is simulated here for the one swap mode we use: innerHTML of <main>.
"""

import html
import re

import pytest
from django.urls import reverse

from guide import state

pytestmark = pytest.mark.django_db
SLUG = "titre-sejour-perdu-vole"
STEP = reverse("guide:step", args=[SLUG])
HTMX = {"HX-Request": "true", "HX-Target": "contenu", "HX-Current-URL": "http://testserver/"}
MAIN = re.compile(r'(<main id="contenu"[^>]*>)(.*?)(</main>)', re.S)
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
TOKEN = re.compile(r"gAAAAA[A-Za-z0-9_\-=]+")


def readable(html: str) -> str:
    """Tokens differ at every render (random IV, timestamp): compare what they carry instead."""

    def decode(match):
        current = state.load(match.group(0), SLUG)
        return f"STATE({sorted(current.answers.items())}, {current.edit})"

    return re.sub(r"\s+", " ", TOKEN.sub(decode, html)).strip()


LANGUAGES_NAV = re.compile(r'<nav class="languages" id="langues".*?</nav>', re.S)
# The hreflang alternates in <head> stay those of the first page loaded: htmx swaps <main> (and the
# switcher), not <head>; search engines, which read them, do not run htmx.
ALTERNATES = re.compile(r'<link rel="alternate"[^>]*>\s*')


def apply_htmx(page: str, response: str) -> str:
    """What the browser shows after htmx swaps `response` into <main> of `page`, and its
    out-of-band language switcher into the page's."""
    title = TITLE.match(response)
    assert title, "an htmx response starts with the new page's <title>"
    body = response[title.end() :]
    switcher = LANGUAGES_NAV.search(body)
    if switcher:
        body = body[: switcher.start()] + body[switcher.end() :]
        fresh = switcher.group(0).replace(' hx-swap-oob="true"', "")
        page = LANGUAGES_NAV.sub(lambda _: fresh, page, count=1)
    page = TITLE.sub(lambda _: f"<title>{title.group(1)}</title>", page, count=1)
    return MAIN.sub(lambda m: m.group(1) + body + m.group(3), page, count=1)


def assert_same_page(client, before_url, response, expected_url=None):
    expected_url = expected_url or response["HX-Push-Url"]
    before = client.get(before_url).content.decode()
    fresh = client.get(expected_url).content.decode()
    assert readable(ALTERNATES.sub("", apply_htmx(before, response.content.decode()))) == (
        readable(ALTERNATES.sub("", fresh))
    )


def test_answer_with_htmx_gives_the_next_question_page(client, loaded):
    response = client.post(STEP, {"s": "", "answer": "vole"}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Push-Url"].startswith(STEP + "?s=")
    assert response["Vary"] == "HX-Request"
    assert_same_page(client, STEP, response)


def test_last_answer_with_htmx_gives_the_summary_page(client, loaded):
    answers = {"evenement": "perdu", "statut": "autre", "lieu": "france"}
    token = state.dump(SLUG, answers)
    before = f"{STEP}?s={token}"
    response = client.post(STEP, {"s": token, "answer": "retraite"}, headers=HTMX)
    assert response["HX-Push-Url"].startswith(reverse("guide:summary", args=[SLUG]))
    assert_same_page(client, before, response)


def test_the_last_of_two_answers_with_htmx_gives_the_result_page(client, loaded):
    """No *Vérifiez vos réponses* after one or two answers: the result shows them."""
    token = state.dump(SLUG, {"evenement": "perdu"})
    before = f"{STEP}?s={token}"
    response = client.post(STEP, {"s": token, "answer": "europeen"}, headers=HTMX)
    assert response["HX-Push-Url"].startswith(reverse("guide:result", args=[SLUG]))
    assert_same_page(client, before, response)


def test_result_link_with_htmx_gives_the_result_page(client, loaded):
    token = state.dump(SLUG, {"evenement": "perdu", "statut": "europeen"})
    summary = f"{reverse('guide:summary', args=[SLUG])}?s={token}"
    result = f"{reverse('guide:result', args=[SLUG])}?s={token}"
    response = client.get(result, headers=HTMX)
    assert_same_page(client, summary, response, expected_url=result)


def test_back_link_with_htmx_gives_the_previous_question(client, loaded):
    token = state.dump(SLUG, {"evenement": "perdu", "statut": "autre"})
    back = f"{STEP}?s={state.dump(SLUG, {'evenement': 'perdu'})}"
    response = client.get(back, headers=HTMX)
    assert_same_page(client, f"{STEP}?s={token}", response, expected_url=back)


def test_missing_answer_with_htmx_gives_the_same_error_page(client, loaded):
    htmx = client.post(STEP, {"s": ""}, headers=HTMX)
    plain = client.post(STEP, {"s": ""})
    assert htmx.status_code == plain.status_code == 400
    assert readable(
        apply_htmx(client.get(STEP).content.decode(), htmx.content.decode())
    ) == readable(plain.content.decode())


def test_tampered_state_with_htmx_gives_the_friendly_400(client, loaded):
    response = client.post(STEP, {"s": "gAAAAAbroken", "answer": "vole"}, headers=HTMX)
    assert response.status_code == 400
    assert "Votre parcours ne peut pas continuer" in response.content.decode()


def test_live_search_fragment_matches_the_plain_search(client, loaded):
    fragment = client.get(
        "/", {"q": "carte"}, headers={**HTMX, "HX-Target": "resultats"}
    ).content.decode()
    page = client.get("/", {"q": "carte"}).content.decode()
    inner = re.search(r'<div id="resultats">(.*?)</div>\s*<section class="have-code"', page, re.S)
    inner = inner.group(1)
    assert readable(fragment) == readable(inner)


def test_htmx_title_reads_like_the_full_page_title(client, loaded):
    """htmx sets document.title from the <title> text: it must be escaped once, like the page's."""
    url = reverse("guide:step", args=["attestation-accueil"])
    swapped = TITLE.match(client.get(url, headers=HTMX).content.decode()).group(1)
    full = TITLE.search(client.get(url).content.decode()).group(1)
    assert html.unescape(swapped) == html.unescape(full)
    assert "Attestation d'accueil" in html.unescape(swapped)


def test_not_found_with_htmx_gives_the_404_partial(client, loaded):
    response = client.get("/nulle-part/", headers=HTMX)
    assert response.status_code == 404
    body = response.content.decode()
    assert body.startswith("<title>Page introuvable – ")
    assert "<html" not in body
    assert "<h1" in body


def test_error_summary_with_htmx_is_the_plain_one(client, loaded):
    token = state.dump(SLUG, {"evenement": "vole", "statut": "autre"})
    htmx = client.post(STEP, {"s": token}, headers=HTMX)
    plain = client.post(STEP, {"s": token})
    assert htmx.status_code == plain.status_code == 400
    assert readable(
        apply_htmx(client.get(STEP, {"s": token}).content.decode(), htmx.content.decode())
    ) == readable(plain.content.decode())
