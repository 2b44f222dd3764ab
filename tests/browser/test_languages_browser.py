"""English and Arabic in Chromium: a path of every procedure with and without JavaScript, and
axe on every kind of page at 320 and 1280 px, right to left included."""

import pytest
from django.utils import translation

from guide import communes, registry, state
from tests.browser.conftest import axe_violations
from tests.browser.test_wizard_browser import SLUGS, first_path

LANGUAGES = [("fr", "Français"), ("en", "English"), ("ar", "العربية")]
CONTINUE = {"en": "Continue", "ar": "متابعة"}
SEE_RESULT = {"en": "See the result", "ar": "عرض النتيجة"}


@pytest.fixture
def offered(settings, site):
    settings.LANGUAGES = LANGUAGES
    registry.clear()
    return site


def translated(language: str, slug: str):
    with translation.override(language):
        return registry.get(slug)


def journey(page, site, language, slug):
    answers = first_path(slug)
    procedure = translated(language, slug)
    page.goto(f"{site}/{language}/demarche/{slug}/")
    for question_id, option_id in answers.items():
        question = procedure.question(question_id)
        page.wait_for_function(
            "t => document.querySelector('h1') && document.querySelector('h1').innerText.trim() === t",
            arg=str(question.text),
        )
        if question.is_commune:
            page.fill("#commune-q", communes.directory().get(option_id).name)
        else:
            page.locator(f"input[name=answer][value='{option_id}']").check()
        page.get_by_role("button", name=CONTINUE[language]).click()
    if len(answers) > 2:
        page.get_by_role("link", name=SEE_RESULT[language]).click()
    outcome = procedure.result(answers).outcome
    page.wait_for_function(
        "t => document.querySelector('h1') && document.querySelector('h1').innerText.trim() === t",
        arg=str(outcome.title),
    )
    assert page.evaluate("document.documentElement.lang") == language
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("slug", SLUGS)
def test_a_path_of_every_procedure_completes_with_and_without_javascript(
    browser, offered, language, slug
):
    for javascript in (True, False):
        context = browser.new_context(java_script_enabled=javascript)
        journey(context.new_page(), offered, language, slug)
        context.close()


def page_urls(site: str, language: str) -> dict[str, str]:
    slug = "attestation-accueil"
    hosting = {
        "visiteur": "non_europeen",
        "sejour": "oui",
        "dispense": "aucun",
        "hebergeant": "autre",
        "mineur": "oui",
    }
    base = f"{site}/{language}"
    return {
        "home": f"{base}/",
        "question": f"{base}/demarche/{slug}/?s={state.dump(slug, {'visiteur': 'non_europeen'})}",
        "commune question": f"{base}/demarche/{slug}/?s={state.dump(slug, hosting)}",
        "summary": f"{base}/demarche/{slug}/recapitulatif/?s={state.dump(slug, {**hosting, 'commune': '84035'})}",
        "result": f"{base}/demarche/{slug}/resultat/?s={state.dump(slug, {**hosting, 'commune': '84035'})}",
        "result, untranslated parts": f"{base}/demarche/titre-sejour-perdu-vole/resultat/?s={state.dump('titre-sejour-perdu-vole', {'evenement': 'perdu', 'statut': 'autre', 'lieu': 'france', 'carte': 'retraite'})}",
        "error": f"{base}/demarche/{slug}/?s=gAAAAAbroken",
        "code": f"{base}/code/",
        "counter home": f"{base}/guichet/",
        "privacy": f"{base}/confidentialite/",
        "French-only page": f"{base}/accessibilite/",
    }


@pytest.mark.parametrize("width", [320, 1280], ids=lambda w: f"{w}px")
@pytest.mark.parametrize("language", ["en", "ar"])
def test_axe_finds_no_violation_in_english_and_arabic(browser, offered, language, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    problems = {}
    for name, url in page_urls(offered, language).items():
        page.goto(url)
        violations = axe_violations(page)
        overflow = page.evaluate(
            "Math.max(document.documentElement.scrollWidth - window.innerWidth, 0)"
        )
        if overflow:
            violations.append({"id": "horizontal-scroll", "pixels": overflow})
        if violations:
            problems[name] = violations
    context.close()
    assert problems == {}


def test_the_switcher_follows_the_journey_after_htmx_swaps(page, offered):
    """The switcher is outside <main>: htmx replaces it with each page, so switching language
    after two answers keeps both answers."""
    slug = "titre-sejour-perdu-vole"
    page.goto(f"{offered}/en/demarche/{slug}/")
    for value in ("perdu", "autre"):
        page.locator(f"input[name=answer][value='{value}']").check()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_function("v => location.search.includes('s=')", arg=value)
    page.wait_for_function("() => document.title.startsWith('Question 3')")
    page.locator("#langues").get_by_role("link", name="العربية").click()
    page.wait_for_function("() => document.documentElement.lang === 'ar'")
    expected = translated("ar", slug).question("lieu").text
    assert page.locator("h1").inner_text().strip() == str(expected)
