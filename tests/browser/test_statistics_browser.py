"""Statistics seen from Chromium: a journey with JavaScript and one without each count once,
reloads do not, and what is stored names no answer but the outcome."""

from guide import statistics
from guide.models import ResultCount

SLUG = "titre-sejour-perdu-vole"
ANSWERS = {"evenement": "perdu", "statut": "autre", "lieu": "france", "carte": "retraite"}


def walk(page, site, prefix=""):
    page.goto(f"{site}{prefix}/demarche/{SLUG}/")
    for value in ANSWERS.values():
        page.locator(f"input[name=answer][value='{value}']").check()
        page.get_by_role("button", name="Continuer").click()
        page.wait_for_load_state()
    page.get_by_role("link", name="Voir le résultat").click()
    page.wait_for_function("document.querySelector('h1') && document.title.startsWith('Résultat')")
    assert "vu=" not in page.url  # the counted address never stays in the address bar
    page.reload()


def test_each_journey_counts_once_with_and_without_javascript(page, page_without_js, site):
    walk(page, site)
    walk(page_without_js, site)
    walk(page, site, prefix="/guichet")
    statistics.flush()
    rows = list(ResultCount.objects.values("procedure", "outcome", "channel", "count"))
    assert sorted(rows, key=lambda row: row["channel"]) == [
        {"procedure": SLUG, "outcome": "perte-france", "channel": "counter", "count": 1},
        {"procedure": SLUG, "outcome": "perte-france", "channel": "site", "count": 2},
    ]
