"""The result as an A4 PDF, rendered by WeasyPrint from the result page's partials.

What does not depend on the visitor is built once per process: the font configuration and the
parsed print stylesheet (with its @font-face). Resources come from the static files on disk
through a URL fetcher that refuses everything else, so rendering never touches the network.
Nothing is cached: the PDF describes a personal situation.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://guide.invalid/"  # a base that is never fetched: the fetcher serves it from disk
MIME = {".css": "text/css", ".ttf": "font/ttf", ".svg": "image/svg+xml", ".png": "image/png"}
_slots = threading.BoundedSemaphore(settings.PDF_CONCURRENCY)
# PDF/UA-1 makes WeasyPrint tag the structure and set the language and title; the font is
# already a small subset, so it is embedded whole rather than subset again at every render.
WRITE_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "full_fonts": True}


class Busy(Exception):
    """Every PDF slot of this process is taken."""


class StaticOnlyFetcher(URLFetcher):
    """Serves /static/… from the static files on disk, and data: URLs; refuses any other URL."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):  # inline data (the QR code): no network involved
            return super().fetch(url, headers)
        prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if not url.startswith(prefix):
            raise ValueError(f"ressource refusée : {url}")
        try:
            path = finders.find(url.removeprefix(prefix).split("?")[0])
        except SuspiciousFileOperation as exc:
            raise ValueError(f"ressource refusée : {url}") from exc
        if not path:
            raise ValueError(f"fichier statique introuvable : {url}")
        suffix = Path(path).suffix
        return URLFetcherResponse(
            url,
            Path(path).read_bytes(),
            {"Content-Type": MIME.get(suffix, "application/octet-stream")},
        )


@functools.cache
def _resources() -> tuple[FontConfiguration, CSS, StaticOnlyFetcher]:
    fonts = FontConfiguration()
    fetcher = StaticOnlyFetcher()
    css_path = finders.find("guide/css/pdf.css")
    stylesheet = CSS(
        string=Path(css_path).read_text(encoding="utf-8"),
        base_url=BASE_URL + settings.STATIC_URL.lstrip("/") + "guide/css/",
        font_config=fonts,
        url_fetcher=fetcher,
    )
    return fonts, stylesheet, fetcher


def warm_up() -> None:
    """Parse the stylesheet and load the fonts now rather than on the first visitor's request."""
    _resources()


def render(context: dict, request=None) -> bytes:
    """The PDF bytes of `guide/result_pdf.html` with this context; raises Busy if no slot frees up."""
    if not _slots.acquire(timeout=settings.PDF_WAIT_SECONDS):
        raise Busy
    try:
        fonts, stylesheet, fetcher = _resources()
        html = render_to_string("guide/result_pdf.html", context, request)
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[stylesheet], font_config=fonts, **WRITE_OPTIONS)
    finally:
        _slots.release()
