import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guide.settings")

django_application = get_wsgi_application()

# Before the first visitor: read the communes file (0.5–0.7 s), which the first question page
# would otherwise wait for. The PDF workers are started by each server process after it forks
# (deploy/gunicorn.conf.py), never here: a server that loads the app before forking would
# otherwise start them in its master process.
from guide import communes, modes, pdf  # noqa: E402

communes.directory()


def application(environ, start_response):
    """Django, behind the PDF admission: a PDF request over this process's capacity gets its 503
    here, before Django, in microseconds, so that a burst of PDFs costs the wizard nothing."""
    if not environ.get("PATH_INFO", "").endswith(".pdf"):
        return django_application(environ, start_response)
    if not pdf.admit():
        language, mode, _ = modes.split(environ.get("PATH_INFO", ""))
        embed = mode == modes.EMBED
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Retry-After", "5"),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            # The page has no script and only our own styles; framed only when embedded.
            (
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:"
                + ("" if embed else "; frame-ancestors 'none'"),
            ),
        ]
        if not embed:
            headers.append(("X-Frame-Options", "DENY"))
        start_response("503 Service Unavailable", headers)
        return [pdf.busy_page(mode, language, environ.get("SCRIPT_NAME", "").rstrip("/") + "/")]
    environ[pdf.ADMITTED] = True
    try:
        return django_application(environ, start_response)
    finally:
        pdf.leave()
