"""French typography: no sign alone at the start of a line, no amount cut in two, on every page
a person sees (content typeset by the loader, templates by the template loader)."""

import html
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from guide import pdf, state
from guide.template_loader import typeset
from guide.typography import NBSP, NNBSP, french, problems
from tests.conftest import BEFORE_COMMUNE
from tests.test_annuaire import import_fixture
from tests.test_places import HOSTING

HOSTING_CAVAILLON = {**HOSTING, "commune": "84035"}

pytestmark = pytest.mark.django_db

# A place where a line may break and leave a sign or half a number alone.
# (Python's \s also matches the no-break spaces: spell out the ones a line may break at.)
BREAKABLE = re.compile(r"[ \t\n\r][?!;:»€%]|«[ \t\n\r]|\d[ \t\n\r]\d{3}(?!\d)")


def breakable(page: str) -> list[str]:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    text = re.sub(r"[ \t\n\r]*\n[ \t\r\n]*", "\n", text)  # markup between tags is not text
    return [text[max(0, m.start() - 30) : m.end() + 5] for m in BREAKABLE.finditer(text)]


def test_french_puts_no_break_spaces_where_a_line_must_not_break():
    assert french("Quelle carte ?") == f"Quelle carte{NNBSP}?"
    assert (
        french("« Oui » : bien ; non !") == f"«{NNBSP}Oui{NNBSP}»{NNBSP}: bien{NNBSP}; non{NNBSP}!"
    )
    assert french("au moins 30 000 €") == f"au moins 30{NNBSP}000{NBSP}€"
    assert french("https://example.org/a?b=1 à 08:30") == "https://example.org/a?b=1 à 08:30"
    assert french(french("Quoi ?")) == french("Quoi ?")


def test_problems_names_what_french_cannot_mend():
    assert problems("Attention: ici") == ["espace manquante avant « : »"]
    assert problems("«mot»") == ["espace manquante après « « »", "espace manquante avant « » »"]
    assert problems("au moins 30000 €") == ["montant sans espaces entre les milliers : 30000"]
    assert problems("Voir https://example.org/a?b=1 ; 08:30 ; (ANEF) !") == []


def test_templates_are_typeset_between_their_tags():
    source = "{% if x %}Source : {{ x }} ?{% endif %}{{ amount }} € « {{ q }} »"
    assert typeset(source) == (
        f"{{% if x %}}Source{NNBSP}: {{{{ x }}}}{NNBSP}?{{% endif %}}{{{{ amount }}}}{NBSP}€"
        f" «{NNBSP}{{{{ q }}}}{NNBSP}»"
    )


def test_loaded_content_is_typeset(compiled):
    attestation = compiled["attestation-accueil"]
    texts = [item.text for item in attestation.items]
    assert any(f"30{NNBSP}000{NBSP}€" in text for text in texts)
    assert all(not BREAKABLE.search(q.text) for p in compiled.values() for q in p.questions)


def pages(compiled) -> dict[str, str]:
    """One address per kind of page, and one result per outcome of every procedure."""
    slug = "titre-sejour-perdu-vole"
    urls = {
        "accueil": "/",
        "sources": reverse("guide:sources"),
        "accessibilité": reverse("guide:accessibility"),
        "confidentialité": reverse("guide:privacy"),
        "intégrer": reverse("guide:embed-help"),
        "400": f"{reverse('guide:step', args=[slug])}?s=abime",
        "404": "/nulle-part/",
        "attestation, résultat avec adresses": f"{reverse('guide:result', args=['attestation-accueil'])}?s={state.dump('attestation-accueil', {**HOSTING, 'commune': '84031'})}",
    }
    for slug, procedure in compiled.items():
        reached = set()
        for answers in procedure.paths():
            outcome = procedure.result(answers).outcome.id
            if outcome in reached:
                continue
            reached.add(outcome)
            token = state.dump(slug, answers)
            urls[f"{slug} : {outcome}"] = f"{reverse('guide:result', args=[slug])}?s={token}"
            urls[f"{slug} : récapitulatif {outcome}"] = (
                f"{reverse('guide:summary', args=[slug])}?s={token}"
            )
        for question in procedure.questions:
            answers = next(p for p in procedure.paths() if question.id in p)
            before = dict(list(answers.items())[: list(answers).index(question.id)])
            urls[f"{slug} : {question.id}"] = (
                f"{reverse('guide:step', args=[slug])}?s={state.dump(slug, before)}"
            )
    return urls


def test_no_page_leaves_a_sign_or_half_an_amount_alone_on_a_line(client, loaded, compiled):
    import_fixture()  # the attestation's result then shows places with their opening hours
    found = {}
    for name, url in pages(compiled).items():
        page = client.get(url).content.decode()
        if name == "attestation, résultat avec adresses":
            assert "Horaires" in page
        spots = breakable(page)
        if spots:
            found[name] = spots
    assert found == {}


def test_error_messages_are_typeset(client, loaded):
    step = reverse("guide:step", args=["titre-sejour-perdu-vole"])
    token = state.dump("titre-sejour-perdu-vole", BEFORE_COMMUNE)
    for data in ({"s": token, "q": "Saint"}, {"s": token, "q": "Xyzzy"}, {"s": ""}):
        assert breakable(client.post(step, data).content.decode()) == [], data


def test_the_html_the_pdf_is_made_from_is_typeset(client, loaded, monkeypatch):
    """The PDF view's HTML, caught before WeasyPrint (its text extraction loses the spaces)."""

    def html_instead_of_pdf(context, request=None):
        return render_to_string("guide/result_pdf.html", context, request).encode()

    monkeypatch.setattr(pdf, "render", html_instead_of_pdf)
    url = reverse("guide:pdf", args=["attestation-accueil"])
    source = client.get(
        url, {"s": state.dump("attestation-accueil", HOSTING_CAVAILLON)}
    ).content.decode()
    assert "<h1" in source
    assert breakable(source) == []
