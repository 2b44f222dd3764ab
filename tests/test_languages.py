"""The interface in English and Arabic: the language in the address, combined with the modes;
lang and dir; hreflang; a switcher that keeps the visitor's place; complete catalogues whose
French ids carry French typography; amounts per language."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from guide import state
from guide.templatetags.guide import euros
from guide.typography import french

pytestmark = pytest.mark.django_db
SLUG = "attestation-accueil"
LOCALE = Path(django_settings.BASE_DIR) / "locale"


@pytest.fixture
def languages(settings, loaded):
    settings.LANGUAGES = [("fr", "Français"), ("en", "English"), ("ar", "العربية")]


def test_only_the_offered_languages_have_an_address(client, loaded, settings):
    settings.LANGUAGES = [("fr", "Français")]
    assert client.get("/en/").status_code == 404
    # No guess from the browser, no cookie: the address alone decides.
    page = client.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="fr" dir="ltr">' in page.content.decode()
    assert not page.cookies
    assert 'hreflang="en"' not in page.content.decode()


@pytest.mark.parametrize(
    ("prefix", "lang", "direction", "heading"),
    [("/en", "en", "ltr", "Your procedures"), ("/ar", "ar", "rtl", "إجراءاتك")],
)
def test_each_language_has_its_address_lang_and_direction(
    client, languages, prefix, lang, direction, heading
):
    page = client.get(f"{prefix}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Language"] == lang
    assert f'<html lang="{lang}" dir="{direction}">' in text
    assert f"<h1>{heading}</h1>" in text
    assert f'href="{prefix}/demarche/{SLUG}/"' in text  # links stay in the language
    for code, address in (("fr", "/"), ("en", "/en/"), ("ar", "/ar/")):
        assert f'<link rel="alternate" hreflang="{code}" href="http://testserver{address}">' in text
    assert not page.cookies


def test_the_switcher_keeps_the_visitor_s_place_and_answers(client, languages):
    token = state.dump(SLUG, {"visiteur": "non_europeen"})
    page = client.get(f"/en/demarche/{SLUG}/", {"s": token}).content.decode()
    switcher = page.split('<nav class="languages"', 1)[1].split("</nav>", 1)[0]
    assert f'href="/ar/demarche/{SLUG}/?s={token}" lang="ar" hreflang="ar" dir="rtl"' in switcher
    assert f'href="/demarche/{SLUG}/?s={token}" lang="fr" hreflang="fr"' in switcher
    assert "English" not in switcher  # the current language is not offered again
    # The same answers, the next question, in Arabic.
    arabic = client.get(f"/ar/demarche/{SLUG}/", {"s": token}).content.decode()
    assert "السؤال 2" in arabic


def test_languages_combine_with_the_counter_and_the_embedded_modes(client, languages):
    counter = client.get("/en/guichet/").content.decode()
    assert "Next visitor" in counter
    assert 'href="/en/guichet/demarche/' in counter
    assert 'action="/en/guichet/suivant/"' in counter
    embedded = client.get("/ar/embed/").content.decode()
    assert 'href="/ar/embed/demarche/' in embedded
    assert '<nav class="languages"' in embedded  # no header there: the switcher opens <main>


def test_a_translated_question_around_its_translated_interface(client, languages):
    english = client.get(f"/en/demarche/{SLUG}/").content.decode()
    assert "Is your visitor European?" in english
    assert "Question 1" in english
    assert ">Continue</button>" in english
    arabic = client.get(f"/ar/demarche/{SLUG}/").content.decode()
    assert "هل زائرك أوروبي؟" in arabic
    assert ">متابعة</button>" in arabic


def _entries(language: str) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, python-format) of a catalogue, header excluded."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    found = []
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not msgid:
            continue
        ident = "".join(re.findall(r'"(.*)"', msgid.group(1)))
        if not ident:
            continue
        strings = [
            "".join(re.findall(r'"(.*)"', m))
            for m in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        ]
        found.append((ident, strings, "python-format" in block))
    return found


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_catalogues_are_complete_and_keep_the_placeholders(language):
    entries = _entries(language)
    assert len(entries) > 150
    for ident, strings, _ in entries:
        assert all(strings), f"{language}: not translated: {ident}"
        wanted = sorted(re.findall(r"%\(\w+\)[sd]", ident))
        for string in strings:
            if wanted:  # Arabic plural forms may spell "one" and "two" out
                assert set(re.findall(r"%\(\w+\)[sd]", string)) <= set(wanted), ident
        assert "\u202f" not in "".join(strings) or language == "fr", ident


def test_the_french_ids_carry_french_typography():
    """French pages show the ids themselves: they must already be typeset (a narrow no-break
    space before : ; ? and inside « »), or the French would lose its typography."""
    for ident, _, _ in _entries("en"):
        plain = ident.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        assert french(plain) == plain, plain


@pytest.mark.parametrize(
    ("language", "shown"), [("fr", "25,00\u00a0€"), ("en", "€25.00"), ("ar", "25,00\u00a0€")]
)
def test_amounts_are_written_as_each_language_writes_them(language, shown):
    with translation.override(language):
        assert euros(Decimal("25")) == shown


def test_every_path_of_every_procedure_ends_on_the_same_result_in_every_language(client, languages):
    """Each language's result of a path has the French result's outcome and items, in order;
    its page answers 200, titled with the translated outcome."""
    from guide import registry

    registry.clear()
    french = dict(registry.procedures())
    walked = 0
    for slug, procedure in french.items():
        for answers in procedure.paths():
            token = state.dump(slug, answers)
            reference = procedure.result(answers)
            for language in ("en", "ar"):
                with translation.override(language):
                    translated = registry.get(slug).result(answers)
                assert translated.outcome.id == reference.outcome.id
                assert [line.item.id for line in translated.lines()] == [
                    line.item.id for line in reference.lines()
                ]
            walked += 1
            if walked % 20 == 0:  # the pages themselves, for a sample of the paths
                for language in ("en", "ar"):
                    page = client.get(f"/{language}/demarche/{slug}/resultat/", {"s": token})
                    assert page.status_code == 200
    assert walked == 181


def test_a_translated_result_says_once_that_only_the_french_counts(client, languages):
    token = state.dump(SLUG, {"visiteur": "europeen"})
    english = client.get(f"/en/demarche/{SLUG}/resultat/", {"s": token}).content.decode()
    assert english.count("Only the French text is authoritative") == 1
    arabic = client.get(f"/ar/demarche/{SLUG}/resultat/", {"s": token}).content.decode()
    assert arabic.count("النص الفرنسي وحده هو المعتمد") == 1
    french_page = client.get(f"/demarche/{SLUG}/resultat/", {"s": token}).content.decode()
    assert "translation-notice" not in french_page


def test_the_privacy_page_is_translated_and_the_legal_statement_says_it_is_french(
    client, languages
):
    english = client.get("/en/confidentialite/").content.decode()
    assert "Your answers are not recorded on our servers" in english
    assert 'href="/en/statistiques/"' in english
    assert "This page is only available in French" not in english
    statement = client.get("/ar/accessibilite/").content.decode()
    assert "هذه الصفحة متوفرة بالفرنسية فقط." in statement
    assert '<div lang="fr" dir="ltr">' in statement
