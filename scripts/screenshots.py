"""Screenshots of every page type at 320 and 1280 px, and the result page as the browser prints it,
to look at before calling a change done.

    uv run python scripts/screenshots.py [output folder, default /tmp/guide-screenshots]

Starts its own server on a throw-away SQLite database; needs Debian's Chromium.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(DJANGO_SETTINGS_MODULE="guide.settings", GUIDE_DEBUG="1")
os.environ["GUIDE_SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "screens.sqlite3")

import django  # noqa: E402 (after django.setup)

django.setup()

from django.core.management import call_command  # noqa: E402 (after django.setup)
from playwright.sync_api import sync_playwright  # noqa: E402 (after django.setup)

from guide import samples, state  # noqa: E402 (after django.setup)

SLUG = "titre-sejour-perdu-vole"
ANSWERS = samples.BEFORE_COMMUNE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/guide-screenshots")
    out.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("load_procedures")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=os.environ,
    )
    base = f"http://127.0.0.1:{port}"
    token = state.dump(SLUG, samples.STOLEN_IN_CAVAILLON)  # a complete path
    pages = {
        "accueil": "/",
        "question": f"/demarche/{SLUG}/?s={state.dump(SLUG, {'evenement': 'vole', 'statut': 'autre'})}",
        "recapitulatif": f"/demarche/{SLUG}/recapitulatif/?s={token}",
        "resultat": f"/demarche/{SLUG}/resultat/?s={token}",
        "erreur": f"/demarche/{SLUG}/?s=jeton-abime",
        "sources": "/sources/",
        "embed": "/embed/",
    }
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            for width in (320, 1280):
                page = browser.new_page(viewport={"width": width, "height": 900})
                for name, path in pages.items():
                    page.goto(base + path)
                    page.screenshot(path=out / f"{name}-{width}.png", full_page=True)
                page.close()
            # Error states as a phone shows them, with JavaScript (htmx swaps the answer) and without.
            for javascript in (True, False):
                context = browser.new_context(
                    viewport={"width": 360, "height": 800}, java_script_enabled=javascript
                )
                page = context.new_page()
                suffix = "js" if javascript else "sans-js"
                for name, path, typed in (
                    ("erreur-question", pages["question"], None),
                    ("erreur-commune", f"/demarche/{SLUG}/?s={state.dump(SLUG, ANSWERS)}", "Saint"),
                ):
                    page.goto(base + path)
                    if typed:
                        page.fill("#commune-q", typed)
                    page.click("button[type=submit]")
                    page.wait_for_selector(".error-summary")
                    page.screenshot(path=out / f"{name}-{suffix}-360.png", full_page=False)
                context.close()
            # What the browser's own "Imprimer" gives (Chromium prints with the print media rules).
            page = browser.new_page()
            page.goto(base + pages["resultat"])
            page.pdf(path=out / "resultat-imprime.pdf", format="A4")
            page.close()
            browser.close()
    finally:
        server.terminate()
    print(f"{len(pages) * 2 + 4} captures et resultat-imprime.pdf dans {out}")


if __name__ == "__main__":
    main()
