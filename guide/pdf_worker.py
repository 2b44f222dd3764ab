"""What runs inside a PDF worker process: WeasyPrint only, no Django.

Workers are started by guide.pdf with the static files they may read and the path of the print
stylesheet. Each worker parses the stylesheet and loads the font once, renders HTML strings to
PDF bytes, and is replaced after a number of renders: WeasyPrint's native memory (Pango,
HarfBuzz) grows by about 0.1 MiB per render, and a fresh process gives it back.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://guide.invalid/"  # a base that is never fetched: the fetcher serves it from disk
STATIC_URL = "/static/"
MIME = {".css": "text/css", ".ttf": "font/ttf", ".svg": "image/svg+xml", ".png": "image/png"}
# PDF/UA-1 makes WeasyPrint tag the structure and set the language and title; the font is
# already a small subset, so it is embedded whole rather than subset again at every render.
WRITE_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "full_fonts": True}

_resources: tuple[FontConfiguration, CSS, StaticOnlyFetcher] | None = None


def _tag_languages() -> None:
    """Give each tagged element of the PDF the language its HTML element declares (`lang`).

    WeasyPrint writes the document's language only; a bilingual sheet has French parts in an
    English or Arabic document, which a screen reader must read as French. WeasyPrint builds one
    structure element per box in `_build_box_tree` (weasyprint/pdf/tags.py, a private function:
    tests/test_pdf.py checks the result on each upgrade); this wraps it."""
    import pydyf
    from weasyprint.pdf import tags

    if getattr(tags._build_box_tree, "guide_languages", False):
        return
    build = tags._build_box_tree

    def build_with_languages(box, parent, *args):
        for element in build(box, parent, *args):
            source = getattr(box, "element", None)
            language = source.get("lang") if source is not None else None
            if language and "Lang" not in element and box.element_tag not in ("html", "body"):
                element["Lang"] = pydyf.String(language)
            yield element

    build_with_languages.guide_languages = True
    tags._build_box_tree = build_with_languages


_tag_languages()
PRIORITY = 10  # added niceness: wizard steps come first when the CPU is busy with PDFs


def _exit_with(parent: int) -> None:
    """Exit as soon as the process that started this worker is gone (killed, crashed), removing
    the temporary folder it can no longer remove."""
    while os.getppid() == parent:
        time.sleep(1)
    if tempfile.tempdir and Path(tempfile.tempdir).name.startswith("guide-pdf-"):
        shutil.rmtree(tempfile.tempdir, ignore_errors=True)
    os._exit(0)


class StaticOnlyFetcher(URLFetcher):
    """Serves the listed static files and data: URLs; refuses any other URL (no network)."""

    def __init__(self, static_files: dict[str, str]):
        super().__init__()
        self.static_files = static_files

    def fetch(self, url, headers=None):
        if url.startswith("data:"):  # inline data (the QR code): no network involved
            return super().fetch(url, headers)
        prefix = BASE_URL.rstrip("/") + STATIC_URL
        path = (
            self.static_files.get(url.removeprefix(prefix).split("?")[0])
            if url.startswith(prefix)
            else None
        )
        if path is None:
            raise ValueError(f"ressource refusée : {url}")
        body = Path(path).read_bytes()
        return URLFetcherResponse(
            url, body, {"Content-Type": MIME.get(Path(path).suffix, "application/octet-stream")}
        )


def load(
    static_files: dict[str, str], stylesheet: str, parent: int | None = None, folder: str = ""
) -> None:
    """Worker initialiser: build what every render reuses.

    The worker runs at a lower CPU priority than the web process, keeps its temporary files in
    `folder` (removed by the parent with the pool), and exits when its parent process is gone.
    """
    global _resources
    os.nice(PRIORITY)
    if folder:
        tempfile.tempdir = folder
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    fonts = FontConfiguration()
    fetcher = StaticOnlyFetcher(static_files)
    css = CSS(
        string=Path(static_files[stylesheet]).read_text(encoding="utf-8"),
        base_url=BASE_URL + STATIC_URL.lstrip("/") + stylesheet.rsplit("/", 1)[0] + "/",
        font_config=fonts,
        url_fetcher=fetcher,
    )
    _resources = (fonts, css, fetcher)


def render(html: str) -> bytes:
    assert _resources is not None, "load() first"
    fonts, css, fetcher = _resources
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[css], font_config=fonts, **WRITE_OPTIONS)
