"""The counter mode in Chromium, as an agent uses it: a visit, *Visiteur suivant*, then what the
next person could try (Back, Forward, an address from the history); the inactivity timeout; the
code read out and typed; axe on every counter page."""

import re

import pytest

from tests.browser.conftest import axe_violations

SLUG = "titre-sejour-perdu-vole"
ANSWERS = {"evenement": "perdu", "statut": "autre", "lieu": "france", "carte": "retraite"}
# What the previous visitor's pages show and the next one must not see.
PRIVATE = re.compile(r"Titre de séjour perdu en France|retraité|Autre nationalité|Votre situation")


def visit(page, site) -> list[str]:
    """A counter visit from the counter home to the result; the addresses it went through."""
    page.goto(f"{site}/guichet/")
    page.get_by_role("link", name=re.compile("titre de séjour", re.I)).first.click()
    page.wait_for_function("document.title.startsWith('Question 1 ')")
    seen = [page.url]
    for number, value in enumerate(ANSWERS.values(), 1):
        page.locator(f"input[name=answer][value='{value}']").check()
        page.get_by_role("button", name="Continuer").click()
        page.wait_for_function(
            "title => !document.title.startsWith(title)", arg=f"Question {number} "
        )
        seen.append(page.url)
    page.get_by_role("link", name="Voir le résultat").click()
    page.wait_for_function("document.title.startsWith('Résultat')")
    seen.append(page.url)
    assert page.get_by_role("heading", name="À dire à la personne").is_visible()
    return seen


def next_visitor(page, site):
    page.locator("#visiteur-suivant").get_by_role("button").click()
    page.wait_for_url(f"{site}/guichet/")
    page.wait_for_load_state()


def shows_nothing_private(page) -> bool:
    return not PRIVATE.search(page.locator("body").inner_text())


def test_with_javascript_a_visit_leaves_nothing_to_go_back_or_forward_to(page, site):
    page.goto("about:blank")
    start = page.evaluate("history.length")
    seen = visit(page, site)
    # Each page of the visit replaced the same history entry.
    assert page.evaluate("history.length") == start + 1
    next_visitor(page, site)
    assert page.evaluate("history.length") == start + 1
    assert shows_nothing_private(page)
    page.go_back()
    assert page.url == "about:blank"
    page.go_forward()
    assert page.url == f"{site}/guichet/"
    # An address taken from the history list (or typed back) shows that the visit is over.
    for address in seen[1:]:
        page.goto(address)
        assert shows_nothing_private(page), address
        if "?s=" in address:
            assert page.get_by_role("heading", name="Cette visite est terminée").is_visible()
    assert page.evaluate("sessionStorage.length") == 0


def test_without_javascript_back_and_forward_reach_only_the_ended_visit_page(page_without_js, site):
    page = page_without_js
    visit(page, site)
    next_visitor(page, site)
    backs = 0
    while page.url != "about:blank" and backs < 12:
        page.go_back()
        backs += 1
        assert shows_nothing_private(page), page.url
    assert backs >= 5  # without JavaScript every page was its own entry: each one was checked
    while page.url != f"{site}/guichet/":
        page.go_forward()
        assert shows_nothing_private(page), page.url


def test_the_inactivity_timeout_warns_then_ends_the_visit(page, site, settings):
    settings.COUNTER_IDLE_SECONDS = 4  # warns after 2 s, ends after 4 s
    result = visit(page, site)[-1]
    dialog = page.get_by_role("dialog", name="Toujours là ?")
    dialog.wait_for(state="visible", timeout=5000)
    assert page.evaluate("document.activeElement.textContent") == "Continuer la visite"
    page.keyboard.press("Enter")  # "Continuer la visite": the visit goes on
    assert not dialog.is_visible()
    assert page.url == result
    dialog.wait_for(state="visible", timeout=5000)  # no activity again: warned again…
    page.wait_for_url(f"{site}/guichet/", timeout=5000)  # …then ended
    assert shows_nothing_private(page)
    page.goto(result)
    assert page.get_by_role("heading", name="Cette visite est terminée").is_visible()


def test_the_code_read_out_reopens_the_result_and_a_wrong_one_says_so(page, site):
    visit(page, site)
    code = page.locator(".short-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{4}", code)
    next_visitor(page, site)
    # At home, on the public site: typed in lower case, with spaces.
    page.goto(f"{site}/")
    page.get_by_label("J'ai un code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Ouvrir le résultat").click()
    page.wait_for_function("document.title.startsWith('Résultat')")
    assert page.get_by_role("heading", name="Titre de séjour perdu en France").is_visible()
    assert "/guichet/" not in page.url
    page.goto(f"{site}/")
    page.get_by_label("J'ai un code").fill("7KQ-2M9-XW3A")
    page.get_by_role("button", name="Ouvrir le résultat").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "inconnu ou a expiré" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "erreur"


@pytest.mark.parametrize("width", [320, 1280], ids=lambda w: f"{w}px")
def test_axe_finds_no_violation_on_the_counter_pages(browser, site, settings, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    problems = {}

    def check(name):
        violations = axe_violations(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            violations.append({"id": "horizontal-scroll", "pixels": overflow})
        if violations:
            problems[name] = violations

    page.goto(f"{site}/guichet/")
    check("accueil")
    page.get_by_role("link", name=re.compile("titre de séjour", re.I)).first.click()
    page.wait_for_function("document.title.startsWith('Question 1 ')")
    check("question")
    seen = visit(page, site)
    check("résultat")
    page.goto(seen[-1].replace("/resultat/", "/recapitulatif/"))
    check("récapitulatif")
    page.evaluate("document.getElementById('inactivite').showModal()")
    check("avertissement")
    page.keyboard.press("Escape")
    next_visitor(page, site)
    page.goto(seen[-1])
    check("visite terminée")
    page.goto(f"{site}/guichet/code/")
    page.get_by_role("button", name="Ouvrir le résultat").click()
    page.locator(".error-summary").wait_for()
    check("code, erreur")
    context.close()
    assert problems == {}
