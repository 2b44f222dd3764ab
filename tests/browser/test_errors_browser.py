"""What a person sees when something is wrong, in Chromium with DEBUG off: error summaries with
JavaScript on and off, titles after htmx swaps, hidden controls, and the focus ring's contrast."""

import re

import pytest

from guide import state
from guide.commune import contrast_ratio
from guide.typography import french
from tests.conftest import BEFORE_COMMUNE, STOLEN_IN_CAVAILLON

SLUG = "titre-sejour-perdu-vole"

# (what the visitor does on the question, the message, the id of the field the message links to)
WRONG_ANSWERS = {
    "no option chosen": (
        {"evenement": "vole", "statut": "autre"},
        None,
        "Choisissez une réponse pour continuer.",
        "reponse-france",
    ),
    "commune left empty": (
        BEFORE_COMMUNE,
        "",
        french("Choisissez votre commune, ou tapez son code postal ou son nom."),
        "commune-84013",  # the first of the deployment's communes, by name (Beaumettes)
    ),
    "ambiguous commune": (
        BEFORE_COMMUNE,
        "Saint",
        french("Plusieurs communes correspondent à « Saint » : choisissez la vôtre."),
        None,  # the first commune of the choice offered
    ),
    "unknown commune": (
        BEFORE_COMMUNE,
        "Xyzzy",
        french("Aucune commune ne correspond à « Xyzzy »."),
        "commune-q",
    ),
}


def send_wrong_answer(page, site, answers, typed):
    page.goto(f"{site}/demarche/{SLUG}/?s={state.dump(SLUG, answers)}")
    if typed:
        page.locator("#commune-q").fill(typed)
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_selector(".error-summary")


def assert_error_summary_is_shown_and_focused(page, message, target):
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "Il y a un problème" in summary.inner_text()
    assert message in summary.inner_text()
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.classList.contains('error-summary')",
        timeout=2000,
    )
    assert page.title().startswith("Erreur – ")
    link = summary.get_by_role("link")
    href = link.get_attribute("href")
    if target:
        assert href == f"#{target}"
    field = page.locator(href)
    assert field.count() == 1, f"the error links to {href}, which is not on the page"
    return link, field


@pytest.mark.parametrize("case", WRONG_ANSWERS, ids=str)
def test_a_wrong_answer_with_javascript_shows_a_focused_error_summary(page, site, case):
    answers, typed, message, target = WRONG_ANSWERS[case]
    send_wrong_answer(page, site, answers, typed)
    assert page.evaluate("typeof htmx") == "object"  # the answer went through htmx
    link, field = assert_error_summary_is_shown_and_focused(page, message, target)
    link.click()
    assert field.evaluate("el => el === document.activeElement")


@pytest.mark.parametrize("case", WRONG_ANSWERS, ids=str)
def test_a_wrong_answer_without_javascript_shows_a_focused_error_summary(
    page_without_js, site, case
):
    answers, typed, message, target = WRONG_ANSWERS[case]
    send_wrong_answer(page_without_js, site, answers, typed)
    assert_error_summary_is_shown_and_focused(page_without_js, message, target)


def test_a_wrong_answer_in_debug_mode_keeps_the_page_around_the_summary(page, site, settings):
    """django-htmx's debug handler used to replace the whole document with the bare partial."""
    settings.DEBUG = True
    answers, typed, message, target = WRONG_ANSWERS["no option chosen"]
    send_wrong_answer(page, site, answers, typed)
    assert_error_summary_is_shown_and_focused(page, message, target)
    assert page.locator("header.site-header").is_visible()
    assert page.locator("main#contenu .error-summary").count() == 1


def test_the_tab_title_after_an_htmx_swap_is_the_full_page_title(page, site):
    page.goto(f"{site}/demarche/attestation-accueil/")
    first = page.title()
    page.locator("input[name=answer]").first.check()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_function("t => document.title !== t", arg=first)
    swapped = page.title()
    page.reload()
    assert page.title() == swapped
    assert "d'accueil" in swapped


def test_print_opens_the_pdf_itself_with_or_without_javascript(page, page_without_js, site):
    """*Imprimer* gives the very document the PDF is (opened in the browser, to print from
    there), not a different print of the page."""
    url = f"{site}/demarche/{SLUG}/resultat/?s={state.dump(SLUG, STOLEN_IN_CAVAILLON)}"
    for each in (page, page_without_js):
        each.goto(url)
        printing = each.get_by_role("link", name="Imprimer (ouvre le PDF)")
        assert printing.is_visible()
        download = each.get_by_role("link", name="Télécharger en PDF").get_attribute("href")
        assert printing.get_attribute("href") == f"{download}&imprimer=1"
        answer = each.request.get(f"{site}{printing.get_attribute('href')}")
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.headers["content-disposition"].startswith("inline;")


RGB = re.compile(r"rgba?\((\d+), (\d+), (\d+)")


def hex_colour(css: str) -> str:
    red, green, blue = RGB.search(css).groups()
    return f"#{int(red):02x}{int(green):02x}{int(blue):02x}"


def focus_ring(page) -> list[str]:
    """The colours drawn around the focused element: its outline and its box-shadow."""
    style = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return {outline: s.outlineColor, width: s.outlineWidth, shadow: s.boxShadow}; }"""
    )
    assert style["width"] != "0px"
    colours = [hex_colour(style["outline"])]
    if style["shadow"] != "none":
        colours.append(hex_colour(style["shadow"]))
    return colours


def test_the_focus_ring_contrasts_on_white_and_on_the_accent_colour(page, site):
    from guide.commune import get

    accent = get()["colours"]["accent"]
    page.goto(f"{site}/demarche/{SLUG}/resultat/?s={state.dump(SLUG, STOLEN_IN_CAVAILLON)}")
    rings = {}
    for name in ("Télécharger en PDF", "Modifier mes réponses"):  # a button, then a link
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim()") == name:
                break
        rings[name] = focus_ring(page)
    # The button sits on white and has the accent colour inside: the ring touches both.
    for name, colours in rings.items():
        for background in ("#ffffff", accent):
            best = max(contrast_ratio(colour, background) for colour in colours)
            assert best >= 3, f"{name}: focus ring {colours} is {best:.1f}:1 on {background}"
        assert len(colours) == 2, f"{name}: one ring only ({colours})"
        assert contrast_ratio(*colours) >= 9, (
            f"{name}: the two rings {colours} must contrast 9:1 to work on any background"
        )


def test_changing_an_answer_asks_only_the_question_it_opens(page, site):
    """From the summary: 1-year card → multi-year card asks the mention, not the commune again."""
    page.goto(f"{site}/demarche/{SLUG}/recapitulatif/?s={state.dump(SLUG, STOLEN_IN_CAVAILLON)}")
    page.get_by_role("link", name="Modifier la réponse à « Quelle carte aviez-vous").click()
    page.locator("input[value=pluriannuelle]").check()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_function(
        "() => document.querySelector('h1').innerText.startsWith('Quelle mention est écrite sur votre carte pluriannuelle')"
    )
    page.locator("input[value=general]").check()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_function(
        "() => document.querySelector('h1').innerText === 'Vérifiez vos réponses'"
    )
    summary = page.locator("dl.summary").inner_text()
    assert "Cavaillon" in summary
    assert "pluriannuelle" in summary
