"""The wizard in real Chromium: keyboard only, without JavaScript, history, focus, storage, axe."""

import re

import pytest
from django.conf import settings

from guide import communes, state
from guide.forms import ordered_options
from guide.loader import read_directory
from guide.typography import french
from tests.browser.conftest import axe_violations
from tests.conftest import BEFORE_COMMUNE
from tests.test_annuaire import import_fixture
from tests.test_places import HOSTING

PROCEDURES = read_directory(settings.PROCEDURES_DIR).compile()
SLUGS = sorted(PROCEDURES)


def first_path(slug: str) -> dict[str, str]:
    """A path through the procedure that does not take the first option everywhere."""
    paths = list(PROCEDURES[slug].paths())
    return paths[len(paths) // 2]


def tab_to(page, predicate: str, limit: int = 40) -> None:
    """Press Tab until document.activeElement satisfies the JS predicate `el => …`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"({predicate})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element matching {predicate}")


def answer_with_keyboard(page, question, option_id: str) -> None:
    if question.is_commune:
        answer_commune_with_keyboard(page, option_id)
        return
    tab_to(page, "el => el && el.name === 'answer'")
    index = [o.id for o in ordered_options(question)].index(option_id)  # as shown
    page.keyboard.press("Home" if index == 0 else "ArrowDown")
    for _ in range(index - 1):
        page.keyboard.press("ArrowDown")
    if index == 0:
        page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.value") == option_id
    tab_to(page, "el => el && el.type === 'submit'")
    page.keyboard.press("Enter")


def answer_commune_with_keyboard(page, key: str) -> None:
    """Type the commune's name in the combobox, pick the first suggestion with the arrow keys."""
    tab_to(page, "el => el && el.name === 'q'")
    page.keyboard.type(communes.directory().get(key).name)
    page.wait_for_selector("#commune-suggestions:not([hidden]) [role=option]")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('aria-activedescendant')") == (
        "suggestion-1"
    )
    page.keyboard.press("Enter")
    assert page.input_value("#commune-picked") == key
    tab_to(page, "el => el && el.type === 'submit'")
    page.keyboard.press("Enter")


def heading(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def wait_for_heading(page, text: str) -> None:
    page.wait_for_function(
        "t => document.querySelector('h1') && document.querySelector('h1').innerText.trim() === t",
        arg=text,
    )


def wait_for_focus_on_heading(page) -> None:
    """htmx moves focus to the new <h1> once the swap has settled; fails after 2 s if it never does."""
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.tagName === 'H1'", timeout=2000
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_every_procedure_can_be_completed_with_the_keyboard_only(page, site, slug):
    procedure = PROCEDURES[slug]
    answers = first_path(slug)
    page.goto(f"{site}/demarche/{slug}/")
    for question_id, option_id in answers.items():
        question = procedure.question(question_id)
        wait_for_heading(page, question.text)
        answer_with_keyboard(page, question, option_id)
        if question_id != list(answers)[-1]:
            # htmx swapped the next question in: focus is on its heading
            next_question = procedure.check(
                dict(list(answers.items())[: list(answers).index(question_id) + 1])
            )[1]
            wait_for_heading(page, next_question.text)
            wait_for_focus_on_heading(page)
    if len(answers) > 2:  # one or two answers go straight to the result
        wait_for_heading(page, "Vérifiez vos réponses")
        wait_for_focus_on_heading(page)
        tab_to(page, "el => el && el.textContent.trim() === 'Voir le résultat'")
        page.keyboard.press("Enter")
    outcome = procedure.result(answers).outcome
    wait_for_heading(page, outcome.title)
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert "?s=" in page.url
    for value in answers.values():
        assert not re.search(rf"[?&=/]{re.escape(value)}\b", page.url.split("?s=")[1])


@pytest.mark.parametrize("slug", SLUGS)
def test_the_same_journey_without_javascript_reaches_the_same_result(page_without_js, site, slug):
    page = page_without_js
    procedure = PROCEDURES[slug]
    answers = first_path(slug)
    page.goto(f"{site}/demarche/{slug}/")
    for option_id in answers.values():
        page.locator(f"input[name=answer][value='{option_id}']").check()
        page.get_by_role("button", name="Continuer").click()
    if len(answers) > 2:
        assert heading(page) == "Vérifiez vos réponses"
        page.get_by_role("link", name="Voir le résultat").click()
    result = procedure.result(answers)
    assert heading(page) == result.outcome.title
    documents = page.locator(".checklist > li > label").all_inner_texts()
    assert documents == [line.item.text for line in result.documents]


def test_back_and_forward_after_htmx_swaps(page, site):
    procedure = PROCEDURES["titre-sejour-perdu-vole"]
    page.goto(f"{site}/demarche/titre-sejour-perdu-vole/")
    page.locator("input[value=vole]").check()
    page.get_by_role("button", name="Continuer").click()
    wait_for_heading(page, procedure.question("statut").text)
    page.locator("input[value=autre]").check()
    page.get_by_role("button", name="Continuer").click()
    wait_for_heading(page, procedure.question("lieu").text)
    page.go_back()
    wait_for_heading(page, procedure.question("statut").text)
    page.go_back()
    wait_for_heading(page, procedure.question("evenement").text)
    page.go_forward()
    wait_for_heading(page, procedure.question("statut").text)
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0


def test_live_search_filters_as_you_type(page, site):
    page.goto(site + "/")
    page.get_by_label("Chercher une démarche").fill("nationalité")
    page.wait_for_function(
        "() => document.querySelector('.result-count').innerText.startsWith('1 démarche')"
    )
    assert page.locator(".procedure-list a").all_inner_texts() == [
        "Réintégration dans la nationalité française par déclaration"
    ]


def test_our_pages_run_under_their_csp(browser, site):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    page.goto(f"{site}/demarche/attestation-accueil/")
    page.locator("input[value=europeen]").check()
    page.get_by_role("button", name="Continuer").click()
    wait_for_heading(page, "Pas d'attestation d'accueil pour un visiteur européen")
    context.close()
    assert errors == []


HOSTING_CARPENTRAS = {**HOSTING, "commune": "84031"}


def page_urls(site: str) -> dict[str, str]:
    slug = "titre-sejour-perdu-vole"
    answers = BEFORE_COMMUNE
    token = state.dump(slug, {**answers, "commune": "84035"})
    return {
        "accueil": f"{site}/",
        "question": f"{site}/demarche/{slug}/?s={state.dump(slug, {'evenement': 'vole', 'statut': 'autre'})}",
        "question commune": f"{site}/demarche/{slug}/?s={state.dump(slug, answers)}",
        "résultat avec adresses": f"{site}/demarche/attestation-accueil/resultat/?s={state.dump('attestation-accueil', HOSTING_CARPENTRAS)}",
        "récapitulatif": f"{site}/demarche/{slug}/recapitulatif/?s={token}",
        "résultat": f"{site}/demarche/{slug}/resultat/?s={token}",
        "résultat, vue détaillée": f"{site}/demarche/{slug}/resultat/?s={token}&vue=detail",
        "résultat-réponse": f"{site}/demarche/attestation-accueil/resultat/?s={state.dump('attestation-accueil', {'visiteur': 'europeen'})}",
        "erreur": f"{site}/demarche/{slug}/?s=gAAAAAjeton-abime",
        "sources": f"{site}/sources/",
        "statistiques": f"{site}/statistiques/",
        "accessibilité": f"{site}/accessibilite/",
    }


@pytest.mark.parametrize("width", [320, 640, 1280], ids=lambda w: f"{w}px")
def test_axe_finds_no_violation_and_nothing_scrolls_sideways(browser, site, width):
    # 640 px is a 1280 px window at 200 % zoom.
    import_fixture()  # offices with addresses, phones, hours and links on one result page
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    problems = {}
    for name, url in page_urls(site).items():
        page.goto(url)
        violations = axe_violations(page)
        if violations:
            problems[name] = violations
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.setdefault(name, []).append({"id": "horizontal-scroll", "pixels": overflow})
    context.close()
    assert problems == {}


def test_the_axe_harness_reports_a_known_violation(page):
    """Guards the axe tests above against passing vacuously."""
    page.set_content(
        '<!doctype html><html lang="fr"><head><title>t</title></head><body><main><img src="x.png"></main></body></html>'
    )
    assert "image-alt" in {violation["id"] for violation in axe_violations(page)}


def test_commune_combobox_keyboard_screen_reader_states_and_axe(browser, site):
    slug = "titre-sejour-perdu-vole"
    answers = BEFORE_COMMUNE
    context = browser.new_context(viewport={"width": 320, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{site}/demarche/{slug}/?s={state.dump(slug, answers)}")
    field = page.locator("#commune-q")
    assert field.get_attribute("role") == "combobox"
    assert field.get_attribute("aria-expanded") == "false"
    field.focus()
    page.keyboard.type("84210")
    page.wait_for_selector("#commune-suggestions:not([hidden]) [role=option]")
    assert field.get_attribute("aria-expanded") == "true"
    assert page.locator("#commune-suggestions [role=option]").count() == 6
    assert "6 communes proposées" in page.locator("#commune-status").inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == "suggestion-2"
    assert page.locator("#suggestion-2").get_attribute("aria-selected") == "true"
    assert axe_violations(page) == []  # with the list open
    page.keyboard.press("Escape")
    assert field.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.input_value("#commune-picked") == page.locator("#suggestion-1").get_attribute(
        "data-key"
    )
    page.get_by_role("button", name="Continuer").click()
    wait_for_heading(page, "Vérifiez vos réponses")
    context.close()


def test_result_with_addresses_shows_them(page, site):
    import_fixture()
    page.goto(page_urls(site)["résultat avec adresses"])
    offices = page.locator("#s-offices").locator("xpath=..").inner_text()
    assert "Mairie - Carpentras (fiche de test)" in offices
    assert french("Lundi – Vendredi : 08:30–12:00, 13:30–17:00") in offices
    assert "Service-Public.gouv.fr / DILA" in offices
