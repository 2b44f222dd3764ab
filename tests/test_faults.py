"""Faults a production server meets: the database down, a key rotation, hostile requests."""

import logging

import pytest
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse

from guide import health, registry, state
from guide.context_processors import duration
from tests.conftest import STOLEN_IN_CAVAILLON

pytestmark = pytest.mark.django_db
SLUG = "titre-sejour-perdu-vole"


@pytest.fixture(autouse=True)
def _log_afresh():
    health._last_logged[0] = float("-inf")


@pytest.fixture
def database_down(monkeypatch):
    """Every new query fails as if PostgreSQL were stopped."""

    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)


def test_with_the_database_down_before_anything_is_compiled_pages_are_503(
    client, loaded, settings, database_down
):
    settings.PROCEDURES_RECHECK_SECONDS = 0  # every request checks the content version
    registry.clear()
    # Nothing compiled yet and no database: a friendly 503, not a 500.
    response = client.get("/")
    assert response.status_code == 503
    assert "Réessayez dans une minute" in response.content.decode()
    assert response["Retry-After"] == "30"


def test_with_the_database_down_after_start_pages_come_from_memory(
    client, loaded, settings, monkeypatch, caplog
):
    settings.PROCEDURES_RECHECK_SECONDS = 0
    assert client.get("/").status_code == 200  # compiled while the database was up

    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    caplog.set_level(logging.WARNING)
    step = reverse("guide:step", args=[SLUG])
    pages = [
        "/",
        step,
        f"{step}?s={state.dump(SLUG, {'evenement': 'vole'})}",
        f"{reverse('guide:summary', args=[SLUG])}?s={state.dump(SLUG, STOLEN_IN_CAVAILLON)}",
        reverse("guide:api-list"),
        reverse("guide:api-detail", args=[SLUG]),
    ]
    for _ in range(3):
        for url in pages:
            assert client.get(url).status_code == 200, url
    assert client.post(step, {"s": "", "answer": "vole"}).status_code == 302
    # The result needs the offices of the commune, which are in the database: a 503.
    result = f"{reverse('guide:result', args=[SLUG])}?s={state.dump(SLUG, STOLEN_IN_CAVAILLON)}"
    assert client.get(result).status_code == 503
    assert client.get(reverse("guide:health")).status_code == 503
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len([r for r in warnings if r.name == "guide.registry"]) == 1, warnings
    assert len([r for r in warnings if r.name == "guide.health"]) == 1, warnings
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_health_says_ok_when_everything_answers(client, loaded):
    response = client.get(reverse("guide:health"))
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["procedures"] == 4
    assert body["pdf"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_without_content_is_503(client, db):
    response = client.get(reverse("guide:health"))
    assert response.status_code == 503
    assert response.json()["procedures"] == 0


def test_a_printed_link_survives_a_key_rotation(permit, settings):
    answers = dict(STOLEN_IN_CAVAILLON)
    token, _ = state.dump_link(permit, answers)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-after-rotation-0123456789abcdefghijklmnop"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert state.load_link(permit, token) == answers
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(state.BadState):
        state.load_link(permit, token)


def test_json_nested_deep_is_a_400(client, loaded):
    body = "[" * 5000 + "]" * 5000
    response = client.post(
        reverse("guide:api-result", args=[SLUG]), body, content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/nulle-part/",
        f"/demarche/{SLUG}/?s=abime",
        "/",
        f"/demarche/{SLUG}/resultat/?s=abime",
    ],
)
def test_no_page_sets_a_cookie_even_with_a_malformed_one(client, loaded, url):
    client.cookies["csrftoken"] = "malformed!"
    response = client.get(url)
    assert response.cookies == {}, url


def test_a_server_error_page_sets_no_cookie_and_needs_nothing(client, loaded, settings):
    from guide import views

    client.cookies["csrftoken"] = "malformed!"
    client.raise_request_exception = False
    response = views.server_error(client.get("/").wsgi_request)
    assert response.status_code == 500
    assert response.cookies == {}


def test_pages_that_show_answers_are_never_stored(client, loaded):
    token = state.dump(SLUG, STOLEN_IN_CAVAILLON)
    for name in ("guide:step", "guide:summary", "guide:result"):
        response = client.get(f"{reverse(name, args=[SLUG])}?s={token}")
        assert "no-store" in response["Cache-Control"], name


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(7200, "2 heures"), (3600, "1 heure"), (1800, "30 minutes"), (5400, "1 heure 30 minutes")],
)
def test_the_answers_lifetime_reads_right(seconds, words):
    assert duration(seconds) == words


def test_the_error_page_says_minutes_under_an_hour(client, loaded, settings):
    settings.STATE_MAX_AGE = {**settings.STATE_MAX_AGE, "wizard": 1800}
    html = client.get(reverse("guide:step", args=[SLUG]), {"s": "abime"}).content.decode()
    assert "gardées que 30 minutes" in html
    assert "0 heure" not in html


def test_footer_links_with_unsafe_schemes_are_dropped(settings, tmp_path):
    from guide import commune

    path = tmp_path / "commune.json"
    path.write_text(
        '{"name": "T", "footer_links": [{"label": "x", "url": "javascript:alert(1)"},'
        ' {"label": "y", "url": "https://example.org/"}]}'
    )
    settings.COMMUNE_FILE = path
    commune.get.cache_clear()
    try:
        assert [link["url"] for link in commune.get()["footer_links"]] == ["https://example.org/"]
    finally:
        commune.get.cache_clear()
