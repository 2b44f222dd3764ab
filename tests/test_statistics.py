"""Anonymous statistics: one count per result reached, per day, procedure, outcome and channel;
nothing else stored; never a failing page; small counts hidden."""

import datetime as dt

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from guide import commune, state, statistics
from guide.models import ResultCount

pytestmark = pytest.mark.django_db
SLUG = "titre-sejour-perdu-vole"
LONG = {"evenement": "perdu", "statut": "autre", "lieu": "france", "carte": "retraite"}
HTMX = {"HX-Request": "true", "HX-Target": "contenu"}


def counts() -> list[tuple]:
    statistics.flush()
    return list(ResultCount.objects.values_list("procedure", "outcome", "channel", "count"))


def reach_through_the_summary(client, prefix="", headers=None):
    """Answer the last question, then follow "Voir le résultat" as the page gives it."""
    token = state.dump(SLUG, dict(list(LONG.items())[:-1]))
    response = client.post(f"{prefix}/demarche/{SLUG}/", {"s": token, "answer": "retraite"})
    summary = client.get(response["Location"])
    link = summary.content.decode().split('class="button" href="', 1)[1].split('"', 1)[0]
    return client.get(link.replace("&amp;", "&"), headers=headers or {})


def test_a_result_is_counted_once_when_reached_never_on_reload(client, loaded):
    assert commune.get()["statistics"] is True  # the demo's commune file opts in
    reached = reach_through_the_summary(client)
    assert reached.status_code == 302  # the counted address is dropped from the address bar
    assert "vu=" not in reached["Location"]
    client.get(reached["Location"])
    client.get(reached["Location"])  # a reload
    assert counts() == [(SLUG, "perte-france", "site", 1)]
    # a short path is counted at its last answer
    response = client.post(
        reverse("guide:step", args=["attestation-accueil"]), {"s": "", "answer": "europeen"}
    )
    client.get(response["Location"])
    assert ("attestation-accueil", "visiteur-europeen", "site", 1) in counts()


def test_with_htmx_and_embedded_the_channel_is_counted_and_the_address_clean(client, loaded):
    response = reach_through_the_summary(client, prefix="/embed", headers=HTMX)
    assert response.status_code == 200
    assert "vu=" not in response["HX-Push-Url"]
    assert counts() == [(SLUG, "perte-france", "embed", 1)]


def test_nothing_but_the_day_procedure_outcome_and_channel_is_stored(client, loaded):
    reach_through_the_summary(client)
    statistics.flush()
    fields = {f.name for f in ResultCount._meta.get_fields()}
    assert fields == {"id", "day", "procedure", "outcome", "channel", "count"}
    row = ResultCount.objects.get()
    assert row.day == timezone.localdate()
    values = ResultCount.objects.values("procedure", "outcome", "channel").get()
    assert values == {"procedure": SLUG, "outcome": "perte-france", "channel": "site"}


def test_without_the_opt_in_nothing_is_counted(client, loaded, monkeypatch):
    monkeypatch.setitem(commune.get(), "statistics", False)
    reached = reach_through_the_summary(client)
    assert reached.status_code == 200  # no counting address, so no extra redirect
    assert counts() == []
    assert client.get(reverse("guide:statistics-csv")).status_code == 404


def test_a_database_failure_keeps_the_counts_for_later_and_never_fails_a_page(
    client, loaded, monkeypatch
):
    def broken(*args, **kwargs):
        raise DatabaseError("base indisponible")

    with monkeypatch.context() as patch:
        patch.setattr(ResultCount.objects, "filter", broken)
        reached = reach_through_the_summary(client)
        assert reached.status_code == 302
        assert client.get(reached["Location"]).status_code == 200
        statistics.flush()  # fails: the count waits in memory
    assert counts() == [(SLUG, "perte-france", "site", 1)]  # written at the next flush


def test_the_statistics_page_hides_small_counts_and_offers_the_csv(client, loaded):
    day = dt.date(2026, 10, 15)
    ResultCount.objects.create(
        day=day, procedure=SLUG, outcome="perte-france", channel="site", count=7
    )
    ResultCount.objects.create(
        day=day, procedure=SLUG, outcome="vol-france", channel="site", count=3
    )
    page = client.get(reverse("guide:statistics")).content.decode()
    assert "Octobre 2026" in page
    assert ">7<" in page
    assert ">moins de 5<" in page
    assert ">3<" not in page
    assert '<svg role="img" aria-labelledby="graphique-titre"' in page
    csv = client.get(reverse("guide:statistics-csv")).content.decode()
    assert "2026-10-15,titre-sejour-perdu-vole,perte-france,site,7" in csv
    assert "2026-10-15,titre-sejour-perdu-vole,vol-france,site,moins de 5" in csv
