"""Scale-out: two production servers (gunicorn, DEBUG off, hashed static files) on one
PostgreSQL, sharing nothing but the database and the secret key.

Runs when GUIDE_TEST_POSTGRES_URL is set (CI sets it): the database named there gets a
throw-away sibling database for these servers.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from guide import state
from tests.conftest import BEFORE_COMMUNE
from tests.test_annuaire import COMMUNES, LOCAL
from tests.test_places import HOSTING

POSTGRES = os.environ.get("GUIDE_TEST_POSTGRES_URL", "")
pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(not POSTGRES, reason="GUIDE_TEST_POSTGRES_URL is not set"),
]
SLUG = "titre-sejour-perdu-vole"
KEY = "two-servers-test-key-0123456789abcdefghijklmnopqrstuvwxyz"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, data: dict | None = None) -> tuple[int, dict, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with OPENER.open(url, body, timeout=30) as response:
            return (
                response.status,
                dict(response.headers),
                response.read().decode("utf-8", "replace"),
            )
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    import psycopg

    base = urllib.parse.urlsplit(POSTGRES)
    name = "guide_two_servers"
    admin = POSTGRES.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    folder = tmp_path_factory.mktemp("servers")
    content = folder / "procedures"
    shutil.copytree(settings.PROCEDURES_DIR, content)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GUIDE_")},
        "DATABASE_URL": base._replace(path=f"/{name}").geturl(),
        "GUIDE_SECRET_KEY": KEY,
        "GUIDE_PROCEDURES_DIR": str(content),
        "GUIDE_PROCEDURES_RECHECK_SECONDS": "1",
        "GUIDE_STATIC_ROOT": str(folder / "static"),
        "GUIDE_STATIC_MANIFEST": "1",
        "GUIDE_WEB_WORKERS": "1",
        "GUIDE_WEB_THREADS": "4",
        "GUIDE_ACCESS_LOG": str(folder / "access.log"),
    }

    def manage(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
        )

    manage("migrate", "--verbosity", "0")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage("load_procedures")
    urls, processes = [], []
    for _ in range(2):
        port = free_port()
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
                cwd=settings.BASE_DIR,
                env={**env, "HOST": f"127.0.0.1:{port}"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 30
    for url in urls:
        while fetch_or_none(url + "/sante/") != 200:
            assert time.monotonic() < deadline, "a server did not start"
            time.sleep(0.2)
    yield {"urls": urls, "manage": manage, "content": content, "folder": folder}
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


def fetch_or_none(url: str) -> int | None:
    try:
        return fetch(url)[0]
    except OSError:
        return None


def test_a_journey_alternating_between_two_servers_and_a_pdf_from_the_other(servers):
    a, b = servers["urls"]
    path = f"/demarche/{SLUG}/"
    token = ""  # the first answer; then the token each server gives back
    for number, (question, answer) in enumerate({**BEFORE_COMMUNE, "commune": "84035"}.items()):
        server = (a, b)[number % 2]
        status, headers, _ = fetch(server + path, {"s": token, "answer": answer})
        assert status == 302, (question, status)
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(headers["Location"]).query)["s"][0]
    status, _, html = fetch(f"{b}/demarche/{SLUG}/resultat/?s={token}")
    assert status == 200
    assert "Titre de séjour volé en France" in html
    status, headers, _ = fetch(f"{a}/demarche/{SLUG}/resultat.pdf?s={token}")
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    # Styles and scripts served by both, with hashed names and a long cache.
    for server in (a, b):
        css = re.search(r'href="(/static/guide/css/site\.[0-9a-f]+\.css)"', html).group(1)
        status, headers, _ = fetch(server + css)
        assert status == 200
        assert "immutable" in headers["Cache-Control"]


def test_new_content_loaded_through_one_is_served_by_both(servers):
    a, b = servers["urls"]
    procedure = servers["content"] / "attestation-accueil.yaml"
    text = procedure.read_text(encoding="utf-8")
    procedure.write_text(
        text.replace(
            'title: "Attestation d\'accueil"', 'title: "Attestation d\'accueil (revue)"', 1
        ),
        encoding="utf-8",
    )
    try:
        servers["manage"]("load_procedures")
        deadline = time.monotonic() + 5
        while not all("(revue)" in fetch(url + "/")[2] for url in (a, b)):
            assert time.monotonic() < deadline, "a server still shows the old content"
            time.sleep(0.2)
    finally:
        procedure.write_text(text, encoding="utf-8")
        servers["manage"]("load_procedures")


def test_a_directory_import_during_traffic(servers):
    a, b = servers["urls"]
    question = f"/demarche/{SLUG}/"
    statuses: list[int] = []
    stop = threading.Event()

    def traffic():
        while not stop.is_set():
            for url in (a, b):
                statuses.append(fetch(url + question)[0])

    thread = threading.Thread(target=traffic)
    thread.start()
    try:
        servers["manage"]("import_annuaire", "--file", str(LOCAL), "--communes", str(COMMUNES))
    finally:
        stop.set()
        thread.join()
    assert statuses
    assert set(statuses) == {200}
    token = state_token({**HOSTING, "commune": "84031"})  # Carpentras: in the fixture
    deadline = time.monotonic() + 5
    while not all(
        "Mairie - Carpentras (fiche de test)"
        in fetch(f"{url}/demarche/attestation-accueil/resultat/?s={token}")[2]
        for url in (a, b)
    ):
        assert time.monotonic() < deadline, "the imported offices are not shown by both servers"
        time.sleep(0.2)


def test_the_access_log_holds_no_answer_token(servers):
    a, _ = servers["urls"]
    token = state_token({**HOSTING, "commune": "84031"})
    assert fetch(f"{a}/demarche/attestation-accueil/resultat/?s={token}")[0] == 200
    deadline = time.monotonic() + 5
    log = ""
    while "/demarche/" not in log and time.monotonic() < deadline:
        time.sleep(0.1)
        log = Path(servers["folder"] / "access.log").read_text()
    assert "/demarche/" in log
    assert "?s=" not in log
    assert "gAAAAA" not in log


def state_token(answers: dict) -> str:
    """A wizard token the servers accept: made with their key."""
    with override_settings(SECRET_KEY=KEY, SECRET_KEY_FALLBACKS=[]):
        return state.dump("attestation-accueil", answers)
