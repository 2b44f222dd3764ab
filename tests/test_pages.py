"""Home search, commune theming, embed mode, legal pages and response headers."""

import json
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from guide import commune
from guide.checks import FOCUS_RING
from guide.commune import contrast_ratio

pytestmark = pytest.mark.django_db


def test_search_filters_procedures_without_accents_or_case(client, loaded):
    html = client.get("/", {"q": "NATIONALITE"}).content.decode()
    assert "Réintégration dans la nationalité française" in html
    assert "Attestation d&#x27;accueil" not in html
    assert "1 démarche pour" in html


def test_search_without_match_says_so(client, loaded):
    html = client.get("/", {"q": "permis de conduire"}).content.decode()
    assert "Aucune démarche ne correspond" in html


def test_home_groups_procedures_by_theme(client, loaded):
    html = client.get("/").content.decode()
    assert html.index("Étrangers en France") < html.index("Attestation d&#x27;accueil")
    assert "Nationalité française" in html


def test_theme_css_carries_the_commune_colours(client):
    response = client.get(reverse("guide:theme"))
    assert response["Content-Type"].startswith("text/css")
    assert "--accent: #1d4f91;" in response.content.decode()


def test_commune_name_and_logo_are_on_every_page(client, loaded):
    html = client.get("/").content.decode()
    assert "Luberon Monts de Vaucluse Agglomération" in html
    assert "guide/img/demo-logo.svg" in html


def check_ids_with_commune_file(settings, tmp_path, text: str) -> set[str]:
    """The ids of the system checks' messages with this commune file."""
    path = tmp_path / "commune.json"
    path.write_text(text)
    settings.COMMUNE_FILE = path
    commune.get.cache_clear()
    try:
        return {message.id for message in run_checks()}
    finally:
        commune.get.cache_clear()


def test_badly_contrasted_colours_are_reported(settings, tmp_path):
    ids = check_ids_with_commune_file(
        settings,
        tmp_path,
        '{"name": "Test", "colours": {"accent": "#ffff00", "accent_text": "#ffffff"}}',
    )
    assert {"guide.W003", "guide.W004"} <= ids


def test_a_focus_colour_too_dark_for_the_two_colour_ring_is_reported(settings, tmp_path):
    ids = check_ids_with_commune_file(
        settings, tmp_path, '{"name": "Test", "colours": {"focus": "#1d4f91"}}'
    )
    assert "guide.W005" in ids
    assert contrast_ratio("#ffbf47", FOCUS_RING) >= 9  # the demo's colour passes


def test_invalid_colour_falls_back_to_the_default(settings, tmp_path):
    path = tmp_path / "commune.json"
    path.write_text('{"name": "Test", "colours": {"accent": "red; background: url(x)"}}')
    settings.COMMUNE_FILE = path
    commune.get.cache_clear()
    try:
        assert commune.get()["colours"]["accent"] == "#1d4f91"
    finally:
        commune.get.cache_clear()


def test_pages_cannot_be_framed_outside_embed_mode(client, loaded):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_embed_mode_has_no_header_and_allows_the_commune_origin(client, loaded):
    response = client.get("/embed/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "site-header" not in html
    assert "site-footer" not in html
    assert "X-Frame-Options" not in response
    assert (
        "frame-ancestors https://www.luberonmontsdevaucluse.fr"
        in response["Content-Security-Policy"]
    )
    assert 'href="/embed/demarche/titre-sejour-perdu-vole/"' in html


def test_embed_mode_keeps_its_prefix_through_the_wizard(client, loaded):
    response = client.post("/embed/demarche/titre-sejour-perdu-vole/", {"s": "", "answer": "perdu"})
    assert response["Location"].startswith("/embed/demarche/titre-sejour-perdu-vole/?s=")
    assert (
        client.get("/").content.decode().count('href="/demarche/') >= 1
    )  # prefix reset afterwards


def test_content_security_policy_forbids_inline_and_external_code(client, loaded):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "default-src 'self'" in policy


def test_no_cookie_is_ever_set(client, loaded):
    client.get("/")
    client.post(
        reverse("guide:step", args=["titre-sejour-perdu-vole"]), {"s": "", "answer": "perdu"}
    )
    assert not client.cookies


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("guide:accessibility", "Défenseur des droits"),
        ("guide:privacy", "Vos réponses ne sont pas enregistrées sur nos serveurs"),
        ("guide:embed-help", '&lt;iframe src="http://testserver/embed/"'),
    ],
)
def test_legal_and_help_pages(client, loaded, name, text):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert text in response.content.decode()


def test_the_parts_shared_by_every_visitor_follow_the_mode_and_the_commune(
    client, loaded, settings, tmp_path
):
    """base.html's header, footer and <head> are rendered once ({% memo %}) and reused: the
    embed mode and a changed commune each get their own, and the visitor's part never sticks."""
    site = client.get("/").content.decode()
    embedded = client.get("/embed/").content.decode()
    assert 'class="site-header"' in site
    assert 'class="site-header"' not in embedded
    assert 'href="/embed/sources/"' not in embedded  # no footer in embed mode
    assert client.get("/").content.decode() == site  # reused, the same
    step = client.get("/demarche/titre-sejour-perdu-vole/").content.decode()
    assert "<h1" in step
    assert step.count('class="site-header"') == 1
    original = settings.COMMUNE_FILE
    data = json.loads(Path(original).read_text(encoding="utf-8"))
    path = tmp_path / "commune.json"
    path.write_text(json.dumps({**data, "name": "Ville-Témoin"}), encoding="utf-8")
    settings.COMMUNE_FILE = path
    commune.get.cache_clear()
    try:
        other = client.get("/").content.decode()
        assert "Ville-Témoin" in other
        assert "Luberon" not in other
    finally:
        settings.COMMUNE_FILE = original
        commune.get.cache_clear()
    assert "Luberon" in client.get("/").content.decode()


def test_home_lists_the_most_asked_first_and_finds_the_words_people_use(client, loaded):
    html = client.get("/").content.decode()
    assert html.index("Titre de séjour perdu ou volé") < html.index("Attestation d&#x27;accueil")
    assert "2 à 7 questions" in html  # roughly how many questions each takes
    for words, title in (
        ("hébergement", "Attestation d&#x27;accueil"),
        ("visa", "Attestation d&#x27;accueil"),
        ("récépissé", "Titre de séjour perdu ou volé"),
        ("carte de séjour", "Titre de séjour perdu ou volé"),
    ):
        assert title in client.get("/", {"q": words}).content.decode(), words
    # An empty search (the field cleared, with htmx) lists every procedure.
    empty = client.get("/", {"q": ""}, headers={"HX-Request": "true", "HX-Target": "resultats"})
    assert empty.content.decode().count('<li><a href="/demarche/') == 4
    # No procedure has both words: those with one of them are offered, and said to be so.
    lost = client.get("/", {"q": "passeport perdu"}).content.decode()
    assert "Aucune démarche ne contient tous ces mots" in lost
    assert "Recours après un refus de carte d&#x27;identité ou de passeport" in lost
