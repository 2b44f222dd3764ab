"""The PDF checklist: content per scenario, accessibility tags, privacy, the printed link."""

import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse, set_script_prefix
from pypdf import PdfReader

from guide import pdf, pdf_worker, state
from guide.typography import french
from tests.conftest import PROTECTED_CARD
from tests.test_procedures import SCENARIOS

pytestmark = pytest.mark.django_db


def two_per_procedure():
    picked = {}
    for scenario in SCENARIOS:
        picked.setdefault(scenario["procedure"], []).append(scenario)
    return [s for scenarios in picked.values() for s in (scenarios[0], scenarios[-1])]


def get_pdf(client, slug, answers):
    return client.get(reverse("guide:pdf", args=[slug]), {"s": state.dump(slug, answers)})


def text_of(document: bytes) -> str:
    reader = PdfReader(io.BytesIO(document))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize(
    "scenario", two_per_procedure(), ids=lambda s: f"{s['procedure']}:{s['outcome']}"
)
def test_pdf_holds_the_documents_total_and_offices_of_the_scenario(
    client, loaded, compiled, scenario
):
    response = get_pdf(client, scenario["procedure"], scenario["answers"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    result = compiled[scenario["procedure"]].result(scenario["answers"])
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731 (pypdf puts line breaks anywhere)
    for line in result.documents:
        assert squeeze(line.item.text) in squeeze(text), line.item.id
    for line in result.offices:
        assert squeeze(line.item.office.name) in squeeze(text), line.item.office.id
    if result.fees.lines:
        assert squeeze(f"Total {scenario['total'].replace('.', ',')} €") in squeeze(text)
    assert squeeze(result.outcome.title) in squeeze(text)
    assert "ne remplacent pas l'examen de votre dossier" in text
    assert re.search(r"Page 1 / \d", text)


def test_pdf_is_tagged_with_language_and_title(client, loaded):
    answers = SCENARIOS[0]["answers"]
    reader = PdfReader(io.BytesIO(get_pdf(client, SCENARIOS[0]["procedure"], answers).content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "fr"
    assert reader.metadata.title.startswith("Titre de séjour perdu ou volé")
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_pdf_is_never_stored_and_its_name_says_nothing_personal(client, loaded):
    answers = PROTECTED_CARD
    response = get_pdf(client, "titre-sejour-perdu-vole", answers)
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == 'attachment; filename="titre-sejour-perdu-vole.pdf"'
    text = text_of(response.content)
    assert french("protéger ?") not in text  # the sensitive question is not in "Votre situation"


def test_tampered_state_gets_the_400_page_not_a_pdf(client, loaded):
    response = client.get(
        reverse("guide:pdf", args=["titre-sejour-perdu-vole"]), {"s": "gAAAAAabime"}
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_printed_link_reopens_the_result(client, loaded, compiled):
    answers = SCENARIOS[0]["answers"]
    text = text_of(get_pdf(client, "titre-sejour-perdu-vole", answers).content)
    url = re.search(
        r"(http://testserver/r/titre-sejour-perdu-vole/[A-Za-z0-9_-]+/)", text.replace(" ", "")
    ).group(1)
    assert len(url.split("/")[-2]) <= 64  # 55 characters, 8 more when a commune was asked
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert (
        compiled["titre-sejour-perdu-vole"].result(answers).outcome.title in page.content.decode()
    )


def test_printed_link_expires_and_refuses_tampering(permit):
    answers = SCENARIOS[0]["answers"]
    token, expires = state.dump_link(permit, answers, now=1_000_000)
    assert state.load_link(permit, token, now=expires - 1) == answers
    with pytest.raises(state.BadState):
        state.load_link(permit, token, now=expires + 1)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    with pytest.raises(state.BadState):
        state.load_link(permit, tampered)


def test_printed_link_is_refused_when_the_questions_changed(permit, compiled):
    token, _ = state.dump_link(permit, SCENARIOS[0]["answers"])
    with pytest.raises(state.BadState):
        state.load_link(compiled["attestation-accueil"], token)


def test_fetcher_serves_static_files_and_refuses_the_network():
    fetcher = pdf_worker.StaticOnlyFetcher(pdf.static_files())
    font = fetcher.fetch(pdf_worker.BASE_URL + "static/guide/fonts/guide-sans.ttf")
    assert font.read(4) == b"\x00\x01\x00\x00"
    for url in (
        "https://example.org/x.css",
        "file:///etc/passwd",
        pdf_worker.BASE_URL + "static/../../etc/passwd",
        pdf_worker.BASE_URL + "static/guide/../../guide/settings.py",
    ):
        with pytest.raises(ValueError, match="ressource refusée"):
            fetcher.fetch(url)


def test_a_burst_of_pdfs_gets_a_503_instead_of_queuing_forever(
    client, loaded, settings, monkeypatch
):
    settings.PDF_WAIT_SECONDS = 0.05
    monkeypatch.setattr(pdf, "_slots", threading.BoundedSemaphore(1))
    pdf._slots.acquire()  # another request is rendering
    response = get_pdf(client, SCENARIOS[0]["procedure"], SCENARIOS[0]["answers"])
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_result_page_links_to_the_pdf(client, loaded):
    answers = SCENARIOS[0]["answers"]
    html = client.get(
        reverse("guide:result", args=["titre-sejour-perdu-vole"]),
        {"s": state.dump("titre-sejour-perdu-vole", answers)},
    ).content.decode()
    assert "Télécharger en PDF" in html
    assert "/demarche/titre-sejour-perdu-vole/resultat.pdf?s=" in html


def test_pdf_scenarios_cover_every_procedure(compiled):
    assert {s["procedure"] for s in two_per_procedure()} == set(compiled)


def test_the_longest_result_embeds_only_our_two_fonts_and_stays_small(client, loaded, compiled):
    """A character outside the font subset, or a synthesised italic, embeds another whole font."""
    longest = max(
        ((slug, answers) for slug, p in compiled.items() for answers in p.paths()),
        key=lambda pair: sum(1 for _ in compiled[pair[0]].result(pair[1]).lines()),
    )
    document = get_pdf(client, *longest).content
    fonts = set()
    for page in PdfReader(io.BytesIO(document)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(font.get_object()["/BaseFont"].split("+", 1)[1])
    assert fonts == {"Guide-Sans", "Guide-Sans-Bold"}
    assert len(document) <= 100_000


def test_requests_over_the_queue_get_a_503_at_once(client, loaded, settings, monkeypatch):
    """A PDF request never waits when enough others render or wait already."""
    settings.PDF_WAIT_SECONDS = 10
    monkeypatch.setattr(pdf, "_queue", threading.BoundedSemaphore(1))
    pdf._queue.acquire()  # the queue is full
    started = time.monotonic()
    response = get_pdf(client, SCENARIOS[0]["procedure"], SCENARIOS[0]["answers"])
    assert response.status_code == 503
    assert time.monotonic() - started < 1
    assert "Réessayez" in response.content.decode()


def test_a_killed_worker_is_replaced_and_the_next_pdf_succeeds(client, loaded):
    scenario = SCENARIOS[0]
    assert get_pdf(client, scenario["procedure"], scenario["answers"]).status_code == 200
    pool = pdf._pool()
    for pid in list(pool._processes):
        os.kill(pid, signal.SIGKILL)
    response = get_pdf(client, scenario["procedure"], scenario["answers"])
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert pdf._pool() is not pool


def test_pdf_workers_exit_with_their_parent_and_leave_no_folder(tmp_path):
    """A web process killed with its PDF workers running leaves neither them nor their files."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import os, sys\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'guide.settings'\n"
        "if __name__ == '__main__':\n"
        "    import django; django.setup()\n"
        "    from guide import pdf\n"
        "    pdf.warm_up()\n"
        "    pool, folder = pdf._pools[os.getpid()]\n"
        "    print(' '.join(map(str, pool._processes)), folder, flush=True)\n"
        "    sys.stdin.read()\n"
    )
    with subprocess.Popen(
        [sys.executable, str(script)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "PYTHONPATH": str(settings.BASE_DIR)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as parent:
        *pids, folder = parent.stdout.readline().split()
        parent.kill()
    assert pids
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(int(pid)) for pid in pids):
        time.sleep(0.1)
    assert not any(alive(int(pid)) for pid in pids)
    assert not Path(folder).exists()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"  # a zombie has exited


def test_shutting_the_pool_down_removes_its_folder():
    pdf.warm_up()
    _, folder = pdf._pools[os.getpid()]
    assert Path(folder).is_dir()
    pdf.shutdown()
    assert not Path(folder).exists()


def test_the_server_answers_a_pdf_over_capacity_before_django(monkeypatch):
    """In a burst, the 503 comes from guide.wsgi without running Django (microseconds)."""
    from guide import wsgi

    monkeypatch.setattr(pdf, "_queue", threading.BoundedSemaphore(1))
    pdf._queue.acquire()  # every place is taken
    monkeypatch.setattr(wsgi, "django_application", lambda *args: pytest.fail("Django ran"))
    answer = {}
    body = wsgi.application(
        {"PATH_INFO": "/demarche/x/resultat.pdf", "REQUEST_METHOD": "GET"},
        lambda status, headers: answer.update(status=status, headers=dict(headers)),
    )
    assert answer["status"].startswith("503")
    assert answer["headers"]["Retry-After"] == "5"
    assert answer["headers"]["X-Frame-Options"] == "DENY"
    assert "Réessayez" in b"".join(body).decode()
    # Embedded (and at the counter): the page's links stay in the mode, whatever this thread's
    # script prefix was left at by its previous request.
    set_script_prefix("/guichet/")
    try:
        body = wsgi.application(
            {"PATH_INFO": "/embed/demarche/x/resultat.pdf", "REQUEST_METHOD": "GET"},
            lambda status, headers: answer.update(status=status, headers=dict(headers)),
        )
    finally:
        set_script_prefix("/")
    assert "X-Frame-Options" not in answer["headers"]
    assert 'href="/embed/"' in b"".join(body).decode()


def test_the_embedded_busy_page_links_stay_embedded():
    pdf._busy_pages.clear()
    try:
        assert 'href="/embed/"' in pdf.busy_page("embed").decode()
        assert 'href="/"' in pdf.busy_page("site").decode()
        assert 'href="/guichet/"' in pdf.busy_page("counter").decode()
    finally:
        pdf._busy_pages.clear()


HOSTING_IN_CAVAILLON = {
    "visiteur": "non_europeen",
    "sejour": "oui",
    "dispense": "aucun",
    "hebergeant": "autre",
    "mineur": "oui",
    "commune": "84035",
}


def languages_of(document: bytes) -> set[str]:
    """The languages the PDF's structure elements declare (beside the document's own)."""
    found = set()

    def walk(node):
        node = node.get_object()
        if "/Lang" in node:
            found.add(str(node["/Lang"]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            target = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(target, "get"):
                walk(target)

    walk(PdfReader(io.BytesIO(document)).trailer["/Root"]["/StructTreeRoot"])
    return found


def fonts_of(document: bytes) -> set[str]:
    found = set()
    for page in PdfReader(io.BytesIO(document)).pages:
        for font in page["/Resources"]["/Font"].values():
            found.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return found


@pytest.mark.parametrize(
    ("language", "translated", "font"),
    [
        ("en", "Apply for an attestation d'accueil", "Guide-Sans"),
        ("ar", "attestation d'accueil", "Guide-Arabic"),
    ],
)
def test_a_translated_result_prints_bilingual_with_its_own_font(
    client, loaded, settings, language, translated, font
):
    """Each translated text is followed by its French, so that the visitor and the agent read the
    same sheet; Arabic is set in the Arabic cut of the font, never in a system font; the
    document says its language."""
    settings.LANGUAGES = [("fr", "Français"), ("en", "English"), ("ar", "العربية")]
    slug = "attestation-accueil"
    url = f"/{language}/demarche/{slug}/resultat.pdf"
    response = client.get(url, {"s": state.dump(slug, HOSTING_IN_CAVAILLON)})
    assert response.status_code == 200
    text = text_of(response.content)
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    assert squeeze(translated) in squeeze(text)
    for french_text in ("Demander une attestation d'accueil", "Justificatif de domicile récent"):
        assert squeeze(french(french_text)) in squeeze(text), french_text
    assert fonts_of(response.content) == {font, "Guide-Sans", "Guide-Sans-Bold"} | (
        {"Guide-Arabic-Bold"} if language == "ar" else set()
    )
    assert PdfReader(io.BytesIO(response.content)).trailer["/Root"]["/Lang"] == language
    assert languages_of(response.content) == {"fr"}  # each French part says so
    french_only = client.get(
        f"/demarche/{slug}/resultat.pdf", {"s": state.dump(slug, HOSTING_IN_CAVAILLON)}
    )
    assert "Apply for" not in text_of(french_only.content)
    assert fonts_of(french_only.content) == {"Guide-Sans", "Guide-Sans-Bold"}
