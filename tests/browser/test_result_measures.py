"""What a person sees of every outcome: the measures of issue 12, taken in Chromium.

One path per outcome (the first, in the order of the options; 21 outcomes), with the demo's real
directory records imported: on a 360×800 phone,
the answer or the first thing to do, and the amount to pay, are on the first screen; the short
source references are at most 10 % of the words; the PDF and the browser's print of the page
have at most 3 pages, and at least 80 % of them at most 2; the PDF's QR code and link are on
page 1, and its last page never holds the sources alone.
"""

import io

from django.core.management import call_command
from pypdf import PdfReader

from guide import places, registry, state

PHONE = {"width": 360, "height": 800}


def one_path_per_outcome() -> list[tuple[str, str, dict[str, str]]]:
    paths = {}
    for slug, procedure in registry.procedures().items():
        for answers in procedure.paths():
            paths.setdefault((slug, procedure.result(answers).outcome.id), answers)
    return [(slug, outcome, answers) for (slug, outcome), answers in paths.items()]


def pages(document: bytes) -> int:
    return len(PdfReader(io.BytesIO(document)).pages)


def test_every_outcome_reads_first_what_matters_and_prints_short(browser, site):
    # As the demo shows them: with the real directory records (paths answer the commune
    # question with Cavaillon, whose mairie record is the longest of the extract).
    from tests.test_demo_annuaire import COMMUNES, LOCAL

    call_command("import_annuaire", "--demo", "--file", str(LOCAL), "--communes", str(COMMUNES))
    places.clear()
    outcomes = one_path_per_outcome()
    assert len(outcomes) == 21
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    seen, printed, pdfs = {}, {}, {}
    for slug, outcome, answers in outcomes:
        url = f"{site}/demarche/{slug}/resultat/?s={state.dump(slug, answers)}"
        page.goto(url)
        seen[outcome] = page.evaluate(
            """() => {
              const bottom = (el) => el ? el.getBoundingClientRect().bottom + scrollY : Infinity;
              const brief = document.querySelector('.brief');
              const rows = [...brief.querySelectorAll('dt')];
              const row = (name) => rows.find(dt => dt.textContent.trim() === name);
              const words = (text) => text.split(/\\s+/).filter(Boolean).length;
              const refs = [...document.querySelectorAll('main .ref')].map(e => e.innerText).join(' ');
              return {
                lead: bottom(brief.querySelector('.lead')),
                first: bottom(row("À faire d'abord")?.nextElementSibling),
                pay: bottom(row('À payer')?.nextElementSibling),
                hasLead: !!brief.querySelector('.lead'),
                hasPay: !!row('À payer'),
                share: words(refs) / words(document.querySelector('main').innerText),
              };
            }"""
        )
        printed[outcome] = pages(page.pdf(format="A4"))
        document = PdfReader(
            io.BytesIO(page.request.get(url.replace("/resultat/", "/resultat.pdf")).body())
        )
        pdfs[outcome] = len(document.pages)
        # The way back to the result (QR code and link) on page 1; no last page of sources alone.
        assert "Retrouver ce résultat en ligne" in document.pages[0].extract_text(), outcome
        if len(document.pages) > 1:
            assert not document.pages[-1].extract_text().lstrip().startswith("Sources"), outcome
    context.close()
    for outcome, m in seen.items():
        if m["hasLead"]:  # an answer: the answer itself is the lead
            assert m["lead"] <= PHONE["height"], (outcome, m)
        else:
            assert m["hasPay"], outcome
            assert max(m["first"], m["pay"]) <= PHONE["height"], (outcome, m)
        assert m["share"] <= 0.10, (outcome, m)
    for counts in (printed, pdfs):
        assert max(counts.values()) <= 3, counts
        assert sum(n <= 2 for n in counts.values()) >= 0.8 * len(counts), counts
