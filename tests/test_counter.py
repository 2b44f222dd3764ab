"""The counter mode (/guichet/): visits that end, a short answer lifetime, the agent's result,
and the short code that reopens a result (README, "Au guichet")."""

import datetime as dt
import html
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import DatabaseError
from django.utils import timezone

from guide import counter, state, statistics
from guide.models import EndedVisit, ResultCount, ShortCode
from guide.typography import french

pytestmark = pytest.mark.django_db
SLUG = "titre-sejour-perdu-vole"
LONG = {"evenement": "perdu", "statut": "autre", "lieu": "france", "carte": "retraite"}
HTMX = {"HX-Request": "true", "HX-Target": "contenu"}


def walk(client, answers=LONG, prefix="/guichet", slug=SLUG) -> str:
    """Answer each question as a browser without JavaScript would; the result page's address."""
    token = ""
    for value in answers.values():
        response = client.post(f"{prefix}/demarche/{slug}/", {"s": token, "answer": value})
        assert response.status_code == 302, response.content.decode()[:500]
        token = parse_qs(urlsplit(response["Location"]).query).get("s", [""])[0]
    location = response["Location"]
    if "/recapitulatif/" in location:  # "Voir le résultat", as the summary gives it
        summary = client.get(location).content.decode()
        link = html.unescape(summary.split('class="button" href="', 1)[1].split('"', 1)[0])
        location = client.get(link)["Location"]
    assert "/resultat/" in location
    return location


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["s"][0]


def test_a_counter_visit_ends_with_visiteur_suivant_and_its_addresses_no_longer_open(
    client, loaded
):
    result = walk(client)
    assert result.startswith("/guichet/demarche/")
    page = client.get(result)
    assert page.status_code == 200
    # The page's *Visiteur suivant* form carries this visit's token.
    assert f'name="s" value="{token_of(result)}"' in page.content.decode()
    summary = result.replace("/resultat/", "/recapitulatif/")
    pdf = result.replace("/resultat/", "/resultat.pdf")
    ended = client.post("/guichet/suivant/", {"s": token_of(result)})
    assert (ended.status_code, ended["Location"]) == (303, "/guichet/")
    assert ended["Cache-Control"] == "no-store"
    for address in (result, summary, pdf, f"{result}&vue=simple"):  # Back, Forward, history
        response = client.get(address)
        assert response.status_code == 410, address
        text = response.content.decode()
        assert "Cette visite est terminée" in text
        assert "Perte" not in text
        assert "retraite" not in text
    # A later question of the ended visit, with htmx: the same page, swapped.
    step = client.get(f"/guichet/demarche/{SLUG}/?s={token_of(result)}", headers=HTMX)
    assert step.status_code == 410
    # Another visit is not affected.
    other = walk(client)
    assert client.get(other).status_code == 200
    assert token_of(other) != token_of(result)


def test_counter_and_public_tokens_do_not_mix(client, loaded):
    counter_result = walk(client)
    public = counter_result.replace("/guichet/", "/", 1)
    assert client.get(public).status_code == 400
    public_result = walk(client, prefix="")
    assert client.get(f"/guichet{public_result}").status_code == 400


def test_counter_answers_live_minutes(client, loaded, settings, monkeypatch):
    result = walk(client)
    later = time.time() + settings.STATE_MAX_AGE["counter"] + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert settings.STATE_MAX_AGE["counter"] == 30 * 60
    assert client.get(result).status_code == 400


def test_visiteur_suivant_exists_only_at_the_counter_and_forgives_a_missing_token(client, loaded):
    assert client.post("/suivant/", {"s": "x"}).status_code == 404
    assert client.post("/guichet/suivant/", {}).status_code == 303
    assert client.post("/guichet/suivant/", {"s": "gAAAAAbroken"}).status_code == 303
    assert client.get("/guichet/suivant/").status_code == 405
    assert EndedVisit.objects.count() == 0


def test_an_ended_visit_is_kept_only_as_a_random_id_until_its_tokens_expire(client, loaded):
    result = walk(client)
    client.post("/guichet/suivant/", {"s": token_of(result)})
    (record,) = EndedVisit.objects.all()
    assert {f.name for f in EndedVisit._meta.get_fields()} == {"visit", "until"}
    assert len(record.visit) == 16  # 12 random bytes, base64
    remaining = (record.until - timezone.now()).total_seconds()
    assert 29 * 60 < remaining <= 30 * 60


def test_when_the_database_cannot_say_the_counter_still_works(client, loaded, monkeypatch):
    result = walk(client)

    def fail(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(EndedVisit.objects, "filter", fail)
    assert client.get(result).status_code == 200
    monkeypatch.setattr(EndedVisit.objects, "update_or_create", fail)
    assert client.post("/guichet/suivant/", {"s": token_of(result)}).status_code == 303


def test_the_agent_sees_the_detail_a_script_a_qr_code_and_the_short_code(client, loaded):
    page = client.get(walk(client)).content.decode()
    assert "À dire à la personne" in page
    assert "parce que vous avez répondu" in page  # the detailed view by default
    assert 'class="qr"' in page
    assert 'role="img"' in page
    shown = re.search(r'<strong class="short-code">([0-9A-Z-]+)</strong>', page).group(1)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{4}", shown)
    # No download at the counter (a file left on a shared computer): print only.
    assert "Télécharger en PDF" not in page
    assert "Imprimer la fiche" in page
    # The title names only the kind of page: the history shows titles to the next visitor.
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.startswith("Résultat – Guichet")
    assert "séjour" not in title
    # The QR code opens the public result, not the counter's.
    assert "/guichet/r/" not in page


def test_the_same_code_on_screen_and_on_paper_within_a_visit(client, loaded, monkeypatch):
    seen = {}
    from guide import pdf

    def capture(context, request):
        seen.update(context)
        return b"%PDF-1.7"

    monkeypatch.setattr(pdf, "render", capture)
    result = walk(client)
    page = client.get(result).content.decode()
    shown = re.search(r'<strong class="short-code">([0-9A-Z-]+)</strong>', page).group(1)
    client.get(result.replace("/resultat/", "/resultat.pdf"))
    assert seen["short_code"] == shown
    assert seen["link_url"].startswith("http://testserver/r/")
    assert seen["code_url"] == "http://testserver/code/"
    assert ShortCode.objects.count() == 1
    # A public PDF gets a code of its own, each time.
    client.get(walk(client, prefix="").replace("/resultat/", "/resultat.pdf"))
    assert seen["short_code"] != shown
    assert ShortCode.objects.count() == 2


@pytest.mark.parametrize("prefix", ["", "/guichet"])
def test_a_typed_code_reopens_the_result(client, loaded, prefix):
    code = counter.issue(_procedure(SLUG), LONG)
    # Read out and typed: lower case, spaces, a dash, l for 1 and o for 0 are forgiven.
    typed = f" {code[:3].lower()} {code[3:6]}-{code[6:]} ".replace("1", "l").replace("0", "o")
    response = client.post(f"{prefix}/code/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{prefix}/demarche/{SLUG}/resultat/?s=")
    with state.mode(state.COUNTER if prefix else "site"):
        assert state.load(token_of(response["Location"]), SLUG).answers == LONG
    assert client.get(response["Location"]).status_code == 200


def test_a_wrong_or_malformed_code_gets_a_clear_message(client, loaded):
    for typed, message in [
        ("", "Saisissez le code"),
        ("ABC", "n&#x27;a pas la bonne forme"),
        ("7KQ-2M9-XW3U", "n&#x27;a pas la bonne forme"),  # U is not in the alphabet
        ("7KQ-2M9-XW3A", "inconnu ou a expiré"),
    ]:
        response = client.post("/code/", {"code": typed})
        assert response.status_code == 400, typed
        assert message in response.content.decode(), typed
        assert 'aria-invalid="true"' in response.content.decode()
    assert client.get("/code/").status_code == 200


def test_an_expired_code_is_unknown_and_purged(client, loaded):
    code = counter.issue(_procedure(SLUG), LONG)
    ShortCode.objects.update(expires=timezone.localdate() - dt.timedelta(days=1))
    response = client.post("/code/", {"code": code})
    assert response.status_code == 400
    counter._purged = 0.0
    counter.issue(_procedure(SLUG), LONG)
    assert ShortCode.objects.count() == 1


def test_a_code_record_reveals_nothing_without_the_server_key(loaded):
    code = counter.issue(_procedure(SLUG), LONG)
    (record,) = ShortCode.objects.all()
    stored = f"{record.digest} {record.sealed}"
    assert code not in stored
    for value in (SLUG, *LONG.values(), *LONG.keys()):
        assert value not in stored
    assert {f.name for f in ShortCode._meta.get_fields()} == {"digest", "sealed", "expires"}


def test_when_the_database_is_down_the_pdf_comes_without_a_code(client, loaded, monkeypatch):
    seen = {}
    from guide import pdf

    monkeypatch.setattr(pdf, "render", lambda context, request: seen.update(context) or b"%PDF")

    def fail(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(ShortCode.objects, "bulk_create", fail)
    response = client.get(walk(client, prefix="").replace("/resultat/", "/resultat.pdf"))
    assert response.status_code == 200
    assert seen["short_code"] == ""


def test_htmx_replaces_the_history_entry_at_the_counter_and_pushes_elsewhere(client, loaded):
    token = state.dump(SLUG, {"evenement": "perdu"})
    public = client.post(f"/demarche/{SLUG}/", {"s": token, "answer": "autre"}, headers=HTMX)
    assert "HX-Push-Url" in public
    assert "HX-Replace-Url" not in public
    with state.mode(state.COUNTER):
        token = state.dump(SLUG, {"evenement": "perdu"})
    at_counter = client.post(
        f"/guichet/demarche/{SLUG}/", {"s": token, "answer": "autre"}, headers=HTMX
    )
    assert at_counter.status_code == 200
    assert "HX-Push-Url" not in at_counter
    assert at_counter["HX-Replace-Url"].startswith(f"/guichet/demarche/{SLUG}/?s=")
    assert at_counter.content.decode().startswith("<title>Question 3 – Guichet")
    # A GET through a link (hx-push-url="true" in the page) is replaced too.
    link = client.get(at_counter["HX-Replace-Url"], headers=HTMX)
    assert link["HX-Replace-Url"] == at_counter["HX-Replace-Url"]


def test_results_reached_at_the_counter_are_counted_as_such(client, loaded):
    walk(client)
    statistics.flush()
    assert list(ResultCount.objects.values_list("channel", "count")) == [("counter", 1)]


def test_the_counter_home_and_the_integration_page(client, loaded, settings):
    home = client.get("/guichet/").content.decode()
    assert french("Guichet : quelle démarche ?") in html.unescape(home)
    assert 'id="visiteur-suivant"' in home
    assert 'data-counter-idle="300"' in home
    assert 'href="/guichet/demarche/' in home
    assert 'id="visiteur-suivant"' not in client.get("/").content.decode()
    help_page = client.get("/integrer/").content.decode()
    assert 'href="http://testserver/guichet/"' in help_page


def _procedure(slug):
    from guide import registry

    return registry.get(slug)
