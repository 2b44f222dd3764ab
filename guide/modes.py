"""The site's language and mode, which travel in the address: no cookie, no login, no guess.

Language: French at the root, the others under their code (`/en/…`, `/ar/…`; settings.LANGUAGES).
The address alone decides, never a cookie or Accept-Language (one address, one page, one cache).

Mode, after the language:
- `/embed/…`: the same pages without header and footer, framable by the commune's own sites
  (only by the origins listed in the commune file: CSP frame-ancestors).
- `/guichet/…`: the counter mode, for an agent on a shared computer (guide/counter.py): a
  *Visiteur suivant* control on every page, an inactivity timeout, answers valid for minutes, the
  detailed result with a script, a QR code and a short code for the visitor.

So `/en/guichet/demarche/…` is the English counter. The middleware strips both prefixes before
URL resolution and sets the script prefix, so every URL that `reverse` builds during the request
stays in its language and mode; it activates the language and sets the mode for guide.state,
whose tokens differ per mode (a counter token carries its visit).
"""

from django.conf import settings
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation

from guide import commune, state

SITE, EMBED, COUNTER = "site", "embed", "counter"
PREFIXES = {"/embed": EMBED, "/guichet": COUNTER}
MODE_PREFIX = {mode: prefix for prefix, mode in PREFIXES.items()} | {SITE: ""}


def _strip(path: str, prefix: str) -> str | None:
    if path == prefix or path.startswith(prefix + "/"):
        return path[len(prefix) :] or "/"
    return None


def split(path: str) -> tuple[str, str, str]:
    """(language, mode, path inside them) of an address's path."""
    language = settings.LANGUAGE_CODE
    for code in offered():
        if code != settings.LANGUAGE_CODE and (inside := _strip(path, f"/{code}")) is not None:
            language, path = code, inside
            break
    for prefix, mode in PREFIXES.items():
        if (inside := _strip(path, prefix)) is not None:
            return language, mode, inside
    return language, SITE, path


def offered() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def language_prefix(language: str) -> str:
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


class ModeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language, mode, request.path_info = split(request.path_info)
        request.mode, request.embed, request.counter = mode, mode == EMBED, mode == COUNTER
        request.LANGUAGE_CODE = language
        # The public site's prefix in this language (printed links and QR codes point there).
        request.script_base = base = get_script_prefix()
        request.site_prefix = base.rstrip("/") + language_prefix(language) + "/"
        prefix = request.site_prefix.rstrip("/") + MODE_PREFIX[mode] + "/"
        with state.mode(COUNTER if request.counter else SITE), translation.override(language):
            set_script_prefix(prefix)
            try:
                response = self.get_response(request)
            finally:
                set_script_prefix(base)
        response.headers.setdefault("Content-Language", language)
        if request.embed:
            origins = commune.get()["embed_origins"]
            response.xframe_options_exempt = True
            response._csp_config = {
                **settings.SECURE_CSP,
                "frame-ancestors": [*origins] or ["'none'"],
            }
        return response


def public_path(request, path: str) -> str:
    """A path that `reverse` built in this request, moved to the public site (same language)."""
    script = get_script_prefix()
    if path.startswith(script):
        return request.site_prefix + path[len(script) :]
    return path


def path_in(request, language: str, address: str = "") -> str:
    """This page's address in another language (same mode, same answers): for the switcher.
    `address` is the page's full path when it is not the request's (htmx pushes another)."""
    prefix = request.script_base.rstrip("/") + language_prefix(language) + MODE_PREFIX[request.mode]
    if address:
        path, _, query = address.partition("?")
        if path.startswith(request.script_base):
            path = "/" + path[len(request.script_base) :]
        _, _, inner = split(path)
        return prefix + inner + (f"?{query}" if query else "")
    token = request.GET.get("s") or posted_token(request)
    query = request.GET.copy()
    if token:
        query["s"] = token
    encoded = query.urlencode(safe="=")  # a token ends with "=", as in every other link
    return prefix + request.path_info + (f"?{encoded}" if encoded else "")


def posted_token(request) -> str:
    """The answers token a POST carries, or "" (also when its body cannot be read: the page
    that answers it, a 400 or a 404, must not fail on what it only echoes)."""
    if request.method != "POST":
        return ""
    try:
        return request.POST.get("s", "")
    except Exception:  # a malformed body (MultiPartParserError, bad encoding…)
        return ""
